//! The journal's bookkeeping ([`crate::journal`] holds the storage): what a money call records
//! before its first byte leaves and when its outcome is known, what a query teaches the open
//! sales, and the rules by which a sale is settled (docs/protocol.md section 12). The client
//! calls it; it never calls the client.

use crate::error::{Error, Status};
use crate::journal::{Entry, Journal, Kind};
use crate::log::{log, Level};
use crate::model::{Money, QueryResponse, TxnResult};
use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;
use std::sync::Mutex;
use std::time::Duration;

/// What an answer to a money call taught: its result, and the gateway's numbers.
pub(crate) struct Learned<'a> {
    /// The answer's `result`.
    pub result: Option<TxnResult>,
    /// True when nothing more will happen to the money (`S`, `F`, `D`; a QR pay's `S` only
    /// made the order and is not).
    pub settled: bool,
    /// `logNo`.
    pub log_no: &'a str,
    /// `orderNo` (not recorded for a refund, whose entry keeps the order refunded).
    pub order_no: &'a str,
    /// Fen the answer says this call moves, when the request left it open (a refund sent
    /// without `txnAmt` answers how much it gave back); 0 = keep what was recorded.
    pub amount: u64,
    /// The answer's `sysTime`: the gateway's clock.
    pub sys_time: &'a str,
    /// The answer's `payChannel` (else the one sent); "" = keep what was recorded.
    pub pay_channel: &'a str,
}

/// What a query told about an order: its answer, or a signed refusal bound to the query (the
/// gateway does not know the order, or will not say now).
pub(crate) enum Told<'a> {
    /// The order's state; `ref_amt_reported` when the answer carried `refAmt` (a `V1.0.1`
    /// query).
    Answer {
        answer: &'a QueryResponse,
        ref_amt_reported: bool,
    },
    /// A signed refusal that echoed the query's own `tradeNo`, with the gateway's `sysTime`.
    Refused { sys_time: &'a str },
}

/// The journals this process has open, one per path: the C ABI builds a client per call, and
/// opening (reading, compacting) a journal per call would cost a file read each time.
static OPEN: Mutex<Vec<(PathBuf, Journal)>> = Mutex::new(Vec::new());

pub(crate) fn journal_at(path: &Path, retention: Duration) -> Result<Journal, Error> {
    let mut open = OPEN.lock().unwrap_or_else(|p| p.into_inner());
    if let Some((_, journal)) = open.iter().find(|(p, _)| p == path) {
        return Ok(journal.clone());
    }
    let journal = Journal::open(path, retention)?;
    open.push((path.to_owned(), journal.clone()));
    Ok(journal)
}

/// Logs, once per process, that the terminal's clock is plainly wrong: nothing the library
/// decides rests on it, but `txnTime`, the journal's times and the merchant's reports do.
pub(crate) fn warn_if_clock_wrong() {
    static WARNED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
    if crate::clock::clock_is_plainly_wrong() && !WARNED.swap(true, Ordering::Relaxed) {
        log(Level::Warn, || {
            format!(
                "the terminal's clock reads {} (txnTime form), before this library was released: \
                 it was never set (no clock battery?). Sales still work and nothing the \
                 library decides rests on it, but txnTime and the journal's times are wrong; \
                 the journal records the gateway's sysTime beside them",
                crate::clock::local_txn_time()
            )
        });
    }
}

/// A journal failure that stopped a sale before it was sent, saying so.
pub(crate) fn not_sent(e: Error) -> Error {
    e.context("the sale was not sent: it could not be recorded in the journal first")
}

/// Records the sale of `kind` numbered `trade_no` whose money facts are `money` (typed, as the
/// request carries them), to be sent with
/// `txn_time` for the cashier `opr_id` (the configuration's `oprId`, "" = none), and syncs it:
/// the entry to finish with [`end`] once the call is over. Its channel is the request's
/// `payChannel`; a refund's, the channel of the order it refunds when the journal holds that
/// order. A `tradeNo` the journal holds already is INVALID_ARGUMENT; any other failure is
/// JOURNAL, and the sale must not be sent.
pub(crate) fn begin(
    journal: &Journal,
    kind: Kind,
    money: &Money,
    trade_no: &str,
    txn_time: String,
    opr_id: &str,
) -> Result<Entry, Error> {
    let mut entry = Entry::new(kind);
    trade_no.clone_into(&mut entry.trade_no);
    money.sel_order_no.clone_into(&mut entry.sel_order_no);
    entry.txn_time = txn_time;
    entry.opr_id = opr_id.to_owned();
    money.pay_channel.clone_into(&mut entry.pay_channel);
    if kind == Kind::Revoke {
        // The sale revoked: its tradeNo, and what the journal knows of it (the end-of-day
        // totals count the revoke at the sale's amount, on its channel).
        money.of_order.clone_into(&mut entry.order_no);
        if let Ok(entries) = journal.entries() {
            if let Some(sale) = sale_of(&entries, &entry.order_no) {
                entry.amount = sale.amount;
                entry.total_amount = sale.total_amount;
                entry.pay_channel.clone_from(&sale.pay_channel);
                entry.sel_order_no.clone_from(&sale.sel_order_no);
            }
        }
    } else if kind == Kind::Refund {
        money.of_order.clone_into(&mut entry.order_no);
        entry.amount = money.txn_amt.unwrap_or(0);
        // The refund goes back through the channel the order was paid on. Only a hint for
        // the end-of-day totals: a journal that cannot be read here fails `begin` below.
        if let Ok(entries) = journal.entries() {
            entry.pay_channel = channel_of_order(&entries, &entry.order_no).to_owned();
        }
    } else {
        entry.amount = money.amount.unwrap_or(0);
        entry.total_amount = money.total_amount.unwrap_or(0);
    }
    entry.error = "recorded before sending; no answer recorded".to_owned();
    warn_if_clock_wrong();
    journal.begin(entry).map_err(|e| {
        // A tradeNo the journal holds already: the caller's mistake, named as such.
        if e.status() == Status::InvalidArgument {
            e
        } else {
            not_sent(e)
        }
    })
}

/// The channel of the (non-refund) sale whose `orderNo` is `order_no`, "" when the journal
/// holds none or it is not known.
fn channel_of_order<'a>(entries: &'a [Entry], order_no: &str) -> &'a str {
    entries
        .iter()
        .rev()
        .find(|e| !e.kind.undoes() && !order_no.is_empty() && e.order_no == order_no)
        .map_or("", |e| e.pay_channel.as_str())
}

/// The latest sale (not a refund or revoke) whose `tradeNo` is `trade_no`.
fn sale_of<'a>(entries: &'a [Entry], trade_no: &str) -> Option<&'a Entry> {
    entries
        .iter()
        .rev()
        .find(|e| !e.kind.undoes() && !trade_no.is_empty() && e.trade_no == trade_no)
}

/// The entries that change when the sale `trade_no` is known revoked (a revoke answered `S`,
/// or a query of the sale answered `D`): the sale itself, settled `D` whatever it was before
/// (a paid sale revoked is no longer paid: the order queries `D`), and its open revokes,
/// settled `S` at the sale's amount. With `open_sales` false, a sale still open is left to
/// the caller (a query's answer settles it itself).
fn revoked(entries: &[Entry], trade_no: &str, sys_time: &str, open_sales: bool) -> Vec<Entry> {
    let mut out = Vec::new();
    if trade_no.is_empty() {
        return out;
    }
    for before in entries {
        let mut entry = before.clone();
        if !entry.kind.undoes() && entry.trade_no == trade_no && (open_sales || entry.settled) {
            entry.result = Some(TxnResult::Revoked);
        } else if entry.kind == Kind::Revoke && !entry.settled && entry.order_no == trade_no {
            entry.result = Some(TxnResult::Success);
            if entry.amount == 0 {
                if let Some(sale) = sale_of(entries, trade_no) {
                    entry.amount = sale.amount;
                }
            }
        } else {
            continue;
        }
        if !sys_time.is_empty() {
            entry.sys_time = sys_time.to_owned();
        }
        settle(&mut entry, true);
        if entry != *before {
            out.push(entry);
        }
    }
    out
}

/// Records that the sale `trade_no` is revoked ([`revoked`]): called by [`end`] when the
/// revoke `revoke_id` answered `S`, before that revoke's own entry is settled (which [`end`]
/// writes itself, so it is left out here). Logged, never failed; false when the sale's `D`
/// could not be written.
fn learn_revoked(journal: &Journal, trade_no: &str, sys_time: &str, revoke_id: &str) -> bool {
    let learned = journal.entries().and_then(|entries| {
        for entry in revoked(&entries, trade_no, sys_time, true) {
            if entry.id != revoke_id {
                journal.update(&entry)?;
            }
        }
        Ok(())
    });
    match learned {
        Ok(()) => true,
        Err(e) => {
            log(Level::Warn, || {
                format!("revoke of {trade_no}: journal not updated: {e}")
            });
            false
        }
    }
}

/// Records what a query of `qry_no` told into the open sales it concerns: a sale whose
/// `tradeNo`, `logNo` or `orderNo` it is takes the order's state; the open refunds of the
/// order (by its `orderNo`) learn from its `refAmt` ([`learn_refunds`]); a signed, bound
/// refusal counts as evidence that a sale which never had an answer never arrived
/// ([`Entry::never_arrived`]). Never fails the query: a journal that cannot be written is
/// logged, and the sale stays open for recovery.
pub(crate) fn learn(journal: &Journal, qry_no: &str, told: Told<'_>) {
    let learned = journal.entries().and_then(|entries| {
        let mut changed = Vec::new();
        for before in entries.iter().filter(|e| names(e, qry_no)) {
            let mut entry = before.clone();
            match &told {
                Told::Answer { answer, .. } => {
                    entry.result = answer.result;
                    if !answer.log_no.is_empty() {
                        entry.log_no.clone_from(&answer.log_no);
                    }
                    if !answer.order_no.is_empty() {
                        entry.order_no.clone_from(&answer.order_no);
                    }
                    if !answer.sys_time.is_empty() {
                        entry.sys_time.clone_from(&answer.sys_time);
                    }
                    if !answer.pay_channel.is_empty() {
                        entry.pay_channel.clone_from(&answer.pay_channel);
                    }
                    settle(&mut entry, answer.result.is_some_and(TxnResult::is_final));
                }
                Told::Refused { sys_time } => not_found(&mut entry, sys_time, || {
                    format!("the gateway refused every query of tradeNo {qry_no}")
                }),
            }
            changed.push(entry);
        }
        if let Told::Answer {
            answer,
            ref_amt_reported: true,
        } = &told
        {
            changed.extend(learn_refunds(&entries, qry_no, answer));
        }
        if let Told::Answer { answer, .. } = &told {
            changed.extend(learn_revokes(&entries, qry_no, answer));
        }
        for entry in changed {
            // A wait polls every few seconds: only news is worth a sync.
            if entries.iter().any(|e| e.id == entry.id && *e != entry) {
                journal.update(&entry)?;
            }
        }
        Ok(())
    });
    if let Err(e) = learned {
        log(Level::Warn, || {
            format!("query {qry_no}: journal not updated: {e}")
        });
    }
}

/// The query key of an open sale: a refund's order (its `orderNo`), a sale's own `tradeNo`,
/// or a `pubSigPay`'s `logNo`.
pub(crate) fn qry_no_of(entry: &Entry) -> String {
    if entry.kind.undoes() {
        entry.order_no.clone()
    } else if entry.trade_no.is_empty() {
        entry.log_no.clone()
    } else {
        entry.trade_no.clone()
    }
}

/// Settles a `pubSigPay` whose answer was lost (no `logNo`): it cannot be queried, and no
/// money can move for it (docs/protocol.md section 5). True when `entry` was one.
pub(crate) fn settle_lost_pay(journal: &Journal, entry: &mut Entry) -> bool {
    if entry.kind != Kind::Pay || !entry.log_no.is_empty() {
        return false;
    }
    entry.error = format!(
        "pubSigPay answer lost ({}): it cannot be queried (no tradeNo, no logNo), and no money \
         can move for it, since the payer can only pay with the JSAPI parameters of that lost \
         answer (docs/protocol.md section 5); start over with a new OAuth code",
        entry.error
    );
    entry.settled = true;
    if let Err(e) = journal.update(entry) {
        log(Level::Error, || format!("recover {}: {e}", entry.id));
    }
    true
}

/// Words for a sale a recovery query of `qry_no` left open, by what the query gave.
pub(crate) fn still_open(entry: &mut Entry, qry_no: &str, queried: Result<&QueryResponse, &Error>) {
    entry.error = match queried {
        Ok(answer) if entry.kind == Kind::Revoke => {
            let mut words = format!(
                "not confirmed yet: the sale {qry_no} is still {} at the gateway; a revoke that \
                 went through makes it D",
                crate::model::result_text(answer.result)
            );
            if !entry.answered() && entry.not_found > 0 {
                words += &format!(
                    "; {} such answer(s) since sysTime {}: {}",
                    entry.not_found,
                    entry.not_found_since,
                    never_arrived_needs()
                );
            }
            words
        }
        Ok(answer) if entry.kind == Kind::Refund => format!(
            "not confirmed yet: order {qry_no} reports {} fen refunded (refAmt), which does not \
             show this refund beside those already settled",
            answer.ref_amt
        ),
        Ok(answer) => format!(
            "still {} at the gateway",
            crate::model::result_text(answer.result)
        ),
        Err(e) if e.status() == Status::Gateway && entry.answered() => format!(
            "the sale had an answer, so it arrived; this query was refused ({}), which says \
             nothing of its money",
            e.detail()
        ),
        Err(e) if e.status() == Status::Gateway => format!(
            "no answer yet; {} signed refusal(s) of its queries so far ({}); {}",
            entry.not_found,
            e.detail(),
            never_arrived_needs()
        ),
        Err(e) if e.status() == Status::InvalidArgument => e.detail().to_owned(),
        Err(e) => format!("query failed: {}", e.detail()),
    };
}

/// What "never arrived" still needs, in the words of [`still_open`]'s messages.
fn never_arrived_needs() -> String {
    format!(
        "\"never arrived\" needs {} over {} minutes of the gateway's clock",
        crate::journal::NEVER_ARRIVED_ANSWERS,
        crate::journal::NEVER_ARRIVED_SPAN_SECS / 60
    )
}

/// The end of a recovery pass for a sale still open: one more pass counted, and after
/// [`crate::journal::ATTENTION_AFTER_RECOVERIES`] of them a person asked for. Recorded.
pub(crate) fn end_of_pass(journal: &Journal, entry: &mut Entry) {
    entry.recoveries = entry.recoveries.saturating_add(1);
    if entry.recoveries >= crate::journal::ATTENTION_AFTER_RECOVERIES {
        entry.attention = true;
        entry.error = format!(
            "needs a person: still open after {} recoveries; look tradeNo {} up in the \
             merchant's back office. Last: {}",
            entry.recoveries, entry.trade_no, entry.error
        );
    }
    if let Err(e) = journal.update(entry) {
        log(Level::Error, || format!("recover {}: {e}", entry.id));
    }
}

/// Whether `entry` is an open sale that a query of `qry_no` answers.
///
/// A refund is never named: the order query documents no refund lookup (spec section 12),
/// so what a query of a refund's own `tradeNo` answers is not taken as the refund's state.
fn names(entry: &Entry, qry_no: &str) -> bool {
    !entry.settled
        && !entry.kind.undoes()
        && (entry.trade_no == qry_no || entry.log_no == qry_no || entry.order_no == qry_no)
}

/// Counts a signed, bound "not known" answer (at the gateway's `sys_time`) as evidence for an
/// open sale that never had an answer, and settles it "never arrived" (GATEWAY: no money
/// moved) once [`Entry::never_arrived`] holds, the evidence in its `error`. A sale that had
/// an answer only records the gateway's time: it arrived, whatever the queries say.
fn not_found(entry: &mut Entry, sys_time: &str, what: impl FnOnce() -> String) {
    if !sys_time.is_empty() {
        entry.sys_time = sys_time.to_owned();
    }
    if entry.answered() {
        return;
    }
    entry.not_found = entry.not_found.saturating_add(1);
    if entry.not_found_since.is_empty() {
        entry.not_found_since = sys_time.to_owned();
    }
    if entry.never_arrived() {
        entry.status = Status::Gateway;
        entry.result = None;
        entry.settled = true;
        entry.attention = false;
        entry.error = format!(
            "never arrived, no money moved: it never had an answer, and {}: {} signed answers \
             bound to their queries from the gateway's sysTime {} to {} (at least {} minutes \
             of the gateway's clock)",
            what(),
            entry.not_found,
            entry.not_found_since,
            entry.sys_time,
            crate::journal::NEVER_ARRIVED_SPAN_SECS / 60
        );
    }
}

/// What the sale `qry_no`'s answer teaches its open revokes: `D` (revoked) settles them `S`
/// and the sale `D` ([`revoked`], also a sale settled `S` before: the order is no longer
/// paid); `F` (the sale failed, so there was nothing to undo) settles them `F`, nothing
/// moved; `S` or `A` (still paid, or still waiting: not revoked) is "not known" evidence for
/// each that never had an answer ([`not_found`]: settled "never arrived" only on the same
/// proof as a sale's, docs/protocol.md section 12 rule 4); anything else (`Z`) leaves them
/// open.
fn learn_revokes(entries: &[Entry], qry_no: &str, answer: &QueryResponse) -> Vec<Entry> {
    let open = |e: &&Entry| e.kind == Kind::Revoke && !e.settled && e.order_no == qry_no;
    if !entries.iter().any(|e| open(&e)) {
        return Vec::new();
    }
    match answer.result {
        Some(TxnResult::Revoked) => revoked(entries, qry_no, &answer.sys_time, false),
        Some(TxnResult::Failed) => entries
            .iter()
            .filter(open)
            .map(|before| {
                let mut entry = before.clone();
                entry.result = Some(TxnResult::Failed);
                if !answer.sys_time.is_empty() {
                    entry.sys_time.clone_from(&answer.sys_time);
                }
                settle(&mut entry, true);
                entry.error = format!("the sale {qry_no} failed: there was nothing to revoke");
                entry
            })
            .collect(),
        Some(still @ (TxnResult::Success | TxnResult::Waiting)) => entries
            .iter()
            .filter(open)
            .map(|before| {
                let mut entry = before.clone();
                not_found(&mut entry, &answer.sys_time, || {
                    format!(
                        "the sale {qry_no} it revokes was still {} every time (a revoke that \
                         went through makes it D)",
                        crate::model::result_text(Some(still))
                    )
                });
                entry
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// What the order `qry_no`'s answer (which reported `refAmt`) teaches its open refunds. The
/// fen refunded beyond the refunds the journal already settled `S` (`unexplained`) are the
/// open refunds' only when the attribution is certain:
///
/// - `unexplained` is 0: none of them went through (yet); each that never had an answer
///   counts the answer as "not known" evidence ([`not_found`]);
/// - one refund is open: it went through when `unexplained` is exactly its amount, or, sent
///   without an amount (all that remained), when the order is now refunded in full (it records
///   the fen);
/// - several are open, all with amounts: they all went through when `unexplained` is exactly
///   their sum.
///
/// Anything else (a refund made elsewhere, two open refunds of which only one went through)
/// cannot be told apart from the order's word alone: they stay open, gathering no evidence,
/// and after three recoveries ask for a person. Never a wrong "refunded" or "never arrived".
fn learn_refunds(entries: &[Entry], qry_no: &str, answer: &QueryResponse) -> Vec<Entry> {
    let of_order = |e: &&Entry| {
        e.kind == Kind::Refund
            && !e.order_no.is_empty()
            && (e.order_no == qry_no || e.order_no == answer.order_no)
    };
    let settled_fen: u64 = entries
        .iter()
        .filter(of_order)
        .filter(|e| e.settled && e.result == Some(TxnResult::Success))
        .map(|e| e.amount)
        .sum();
    let open: Vec<&Entry> = entries
        .iter()
        .filter(of_order)
        .filter(|e| !e.settled)
        .collect();
    let unexplained = answer.ref_amt.saturating_sub(settled_fen);
    let refunded_in_full = answer.amount > 0 && answer.ref_amt >= answer.amount;
    let all_went = match open.as_slice() {
        [] => return Vec::new(),
        _ if unexplained == 0 => Some(false),
        [only] if only.amount == 0 => refunded_in_full.then_some(true),
        [only] => (only.amount == unexplained).then_some(true),
        several => (several.iter().all(|e| e.amount > 0)
            && several.iter().map(|e| e.amount).sum::<u64>() == unexplained)
            .then_some(true),
    };
    let mut out = Vec::with_capacity(open.len());
    for before in open {
        let mut entry = before.clone();
        if !answer.sys_time.is_empty() {
            entry.sys_time.clone_from(&answer.sys_time);
        }
        if !answer.pay_channel.is_empty() {
            // The order's channel, which the refund goes back through.
            entry.pay_channel.clone_from(&answer.pay_channel);
        }
        match all_went {
            Some(true) => {
                if entry.amount == 0 {
                    entry.amount = unexplained;
                }
                entry.result = Some(TxnResult::Success);
                settle(&mut entry, true);
            }
            Some(false) => not_found(&mut entry, &answer.sys_time, || {
                format!(
                    "the order {qry_no} it refunds reported refAmt {} fen, {settled_fen} of them \
                     the refunds already settled, every time",
                    answer.ref_amt
                )
            }),
            None => {
                entry.error = format!(
                    "cannot tell yet: order {qry_no} reports refAmt {} fen, {settled_fen} of them \
                     settled refunds, and the rest does not match this journal's open refunds of \
                     it exactly (a refund made elsewhere, or one of several that went through)",
                    answer.ref_amt
                );
            }
        }
        out.push(entry);
    }
    out
}

/// Marks `entry` final (status OK) or still open (an in-doubt status saying what to do).
/// The second half of `Client::journaled`: what the answer (or the failure) taught, recorded.
pub(crate) fn end(journal: &Journal, entry: &mut Entry, outcome: Result<Learned<'_>, &Error>) {
    let kind = entry.kind;
    match outcome {
        Ok(l) => {
            // A QR pay's S only made the order. Recorded as a result, it would read as paid
            // to anyone adding up the journal's S entries: it is kept as no result yet.
            let order_made =
                kind == Kind::QrPay && !l.settled && l.result == Some(TxnResult::Success);
            entry.result = if order_made { None } else { l.result };
            if !l.log_no.is_empty() {
                entry.log_no = l.log_no.to_owned();
            }
            if !kind.undoes() && !l.order_no.is_empty() {
                entry.order_no = l.order_no.to_owned();
            }
            if l.amount != 0 {
                entry.amount = l.amount;
            }
            if !l.sys_time.is_empty() {
                entry.sys_time = l.sys_time.to_owned();
            }
            if !l.pay_channel.is_empty() {
                entry.pay_channel = l.pay_channel.to_owned();
            }
            settle(entry, l.settled);
            if order_made {
                entry.error =
                    "QR order made (answered S), not paid yet: query it until S, F or D".to_owned();
            }
        }
        Err(e) => {
            entry.status = e.status();
            entry.error = e.detail().to_owned();
            if let Some(answer) = e.refusal().filter(|a| a.verified()) {
                entry.sys_time = answer.text("sysTime").to_owned();
            }
            // Not in doubt: a refusal proven this request's (signed and bound), or never
            // reached the gateway; no money moved.
            entry.settled = !e.in_doubt();
        }
    }
    if kind == Kind::Revoke && entry.settled && entry.result == Some(TxnResult::Success) {
        // The sale's `D` is written first. A power cut between the two writes then leaves
        // this revoke open, and recovery's query of the sale (`D`) settles it `S`; in the
        // other order the revoke would be settled and its sale stay `S` for good, since
        // nothing queries a settled sale.
        if !learn_revoked(journal, &entry.order_no, &entry.sys_time, &entry.id) {
            // Nor may the revoke be settled while its sale reads paid: left open, it is
            // queried by recovery, whose `D` then records both.
            settle(entry, false);
            entry.error = format!(
                "revoked (S), but the sale {}'s D could not be journaled: recovery records it",
                entry.order_no
            );
        }
    }
    if let Err(e) = journal.update(entry) {
        // The sale stays open in the journal: recovery will query it. Safe, so the
        // answer still goes to the caller.
        log(Level::Error, || {
            format!(
                "{} {}: its outcome could not be journaled: {e}",
                kind.as_str(),
                entry.id
            )
        });
    }
}

fn settle(entry: &mut Entry, settled: bool) {
    entry.settled = settled;
    if settled {
        entry.status = Status::Ok;
        entry.error.clear();
        entry.attention = false;
    } else {
        entry.status = Status::Timeout;
        entry.error = format!(
            "answered {}: not final yet; query it until S, F or D",
            crate::model::result_text(entry.result)
        );
    }
}
