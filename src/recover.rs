//! The client's side of the sale journal ([`crate::journal`]): what a money call records before
//! its first byte leaves and when its outcome is known, what a query teaches it, and recovery
//! at start-up. Without `Config::journal_path` none of this runs.

use crate::client::Client;
use crate::error::{Error, Status};
use crate::journal::{Entry, Journal, Kind};
use crate::log::{log, Level};
use crate::model::{QueryRequest, QueryResponse, TxnResult};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// How long the gateway may say it does not know a recorded sale before recovery concludes
/// that the sale never arrived (the process died between recording it and sending it, or the
/// request was lost on the way): then no money moved, and the sale is settled as refused.
/// Right after a pay the query service may lag by seconds (spec section 5); ten minutes is far
/// beyond that, and a QR order lives fifteen.
pub const NEVER_ARRIVED_AFTER: Duration = Duration::from_secs(10 * 60);

/// How often recovery queries the sales still open.
const RECOVER_INTERVAL: Duration = Duration::from_millis(500);

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
}

/// The journals this process has open, one per path: the C ABI builds a client per call, and
/// opening (reading, compacting) a journal per call would cost a file read each time.
static OPEN: Mutex<Vec<(PathBuf, Journal)>> = Mutex::new(Vec::new());

fn journal_at(path: &Path, retention: Duration) -> Result<Journal, Error> {
    let mut open = OPEN.lock().unwrap_or_else(|p| p.into_inner());
    if let Some((_, journal)) = open.iter().find(|(p, _)| p == path) {
        return Ok(journal.clone());
    }
    let journal = Journal::open(path, retention)?;
    open.push((path.to_owned(), journal.clone()));
    Ok(journal)
}

fn field<'a>(own: &'a [(&'static str, String)], name: &str) -> &'a str {
    own.iter()
        .find(|(n, _)| *n == name)
        .map_or("", |(_, v)| v.as_str())
}

fn now_unix_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}

impl Client {
    /// The journal, opened on first use; `None` without `journal_path`.
    fn journal(&self) -> Result<Option<Journal>, Error> {
        match &self.config().journal_path {
            None => Ok(None),
            Some(path) => journal_at(path, self.config().journal_retention).map(Some),
        }
    }

    /// Runs the money call `call` (given the `txnTime` to send) under the journal: the sale is
    /// recorded and synced before `call` runs (if that fails, JOURNAL and nothing is sent),
    /// and what its answer or failure taught is recorded after. `own` are the request's wire
    /// fields (validated); `txn_time` the caller's.
    ///
    /// Only the call itself is generic; the journal work is in [`Client::journal_begin`] and
    /// [`journal_end`], once for every kind of sale (armv7 code size).
    pub(crate) fn journaled<T>(
        &self,
        kind: Kind,
        own: &[(&'static str, String)],
        txn_time: Option<&str>,
        call: impl FnOnce(Option<&str>) -> Result<T, Error>,
        learned: impl Fn(&T) -> Learned<'_>,
    ) -> Result<T, Error> {
        let Some((journal, mut entry)) = self.journal_begin(kind, own, txn_time)? else {
            return call(txn_time);
        };
        let outcome = call(Some(&entry.txn_time));
        journal_end(&journal, &mut entry, outcome.as_ref().map(learned));
        outcome
    }

    /// The first half of [`Client::journaled`]: the sale recorded and synced, with the
    /// `txnTime` it will be sent with; `None` without a journal.
    fn journal_begin(
        &self,
        kind: Kind,
        own: &[(&'static str, String)],
        txn_time: Option<&str>,
    ) -> Result<Option<(Journal, Entry)>, Error> {
        let not_sent = |e: Error| {
            e.context("the sale was not sent: it could not be recorded in the journal first")
        };
        if self.config().journal_path.is_none() {
            return Ok(None);
        }
        // Bad input is named before any storage trouble.
        let txn_time = crate::client::resolve_txn_time(txn_time)?;
        let Some(journal) = self.journal().map_err(not_sent)? else {
            return Ok(None);
        };
        let mut entry = Entry::new(kind);
        entry.trade_no = field(own, "tradeNo").to_owned();
        entry.sel_order_no = field(own, "selOrderNo").to_owned();
        entry.txn_time = txn_time;
        let fen = |name| field(own, name).parse::<u64>().unwrap_or(0);
        if kind == Kind::Refund {
            entry.order_no = field(own, "orderNo").to_owned();
            entry.amount = fen("txnAmt");
        } else {
            entry.amount = fen("amount");
            entry.total_amount = fen("total_amount");
        }
        entry.error = "recorded before sending; no answer recorded".to_owned();
        let entry = journal.begin(entry).map_err(not_sent)?;
        Ok(Some((journal, entry)))
    }

    /// Records what a query of `qry_no` answered into the open sales it names (by `tradeNo`,
    /// `logNo` or, but for refunds, `orderNo`). Never fails the query: a journal that cannot
    /// be written is logged, and the sale stays open for recovery.
    pub(crate) fn learn(&self, qry_no: &str, answer: &QueryResponse) {
        let journal = match self.journal() {
            Ok(Some(journal)) => journal,
            Ok(None) => return,
            Err(e) => {
                log(Level::Warn, || {
                    format!("query {qry_no}: journal not updated: {e}")
                });
                return;
            }
        };
        let learned = journal.entries().and_then(|entries| {
            for before in entries.into_iter().filter(|e| names(e, qry_no)) {
                let mut entry = before.clone();
                entry.result = answer.result;
                if !answer.log_no.is_empty() && entry.kind != Kind::Refund {
                    entry.log_no.clone_from(&answer.log_no);
                }
                if !answer.order_no.is_empty() && entry.kind != Kind::Refund {
                    entry.order_no.clone_from(&answer.order_no);
                }
                settle(&mut entry, answer.result.is_some_and(TxnResult::is_final));
                // A wait polls every few seconds: only news is worth a sync.
                if entry != before {
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

    /// Every sale the journal holds (unsettled ones, and settled ones within the retention),
    /// oldest first. INVALID_ARGUMENT without `journal_path`; JOURNAL when it cannot be read.
    /// A journal whose storage can no longer be written is still listed (read-only, with a
    /// warning in the log): reprints and end-of-day totals need it most then.
    pub fn journal_entries(&self) -> Result<Vec<Entry>, Error> {
        match (self.required_journal(), &self.config().journal_path) {
            (Ok(journal), _) => journal.entries(),
            (Err(e), Some(path)) => Journal::open_read_only_after(path, e)?.entries(),
            (Err(e), None) => Err(e),
        }
    }

    fn required_journal(&self) -> Result<Journal, Error> {
        self.journal()?
            .ok_or_else(|| Error::invalid("journal_path", "is required: no journal is configured"))
    }

    /// At start-up: settles what a crash left open. Every sale the journal holds unsettled is
    /// queried (by its `tradeNo`, or a `pubSigPay`'s `logNo`; never paid again) until it is
    /// final or `deadline` (zero = 30 s) has passed, and reported once through `report`.
    /// Settled sales are neither queried nor reported.
    ///
    /// - A `pubSigPay` whose answer was lost has no key to query by; no money can move for it
    ///   (the payer needs the JSAPI parameters of that lost answer, spec section 5): it is
    ///   reported with its in-doubt status and that reason, and settled.
    /// - A sale the gateway still does not know [`NEVER_ARRIVED_AFTER`] after it was recorded
    ///   never arrived: it is settled as GATEWAY (refused; no money moved).
    /// - A sale still unknown at the deadline is reported with an in-doubt status and stays
    ///   open for the next recovery.
    ///
    /// Returns how many sales were reported; an error only when the journal cannot be read
    /// (or none is configured), whatever the sales say.
    pub fn recover(
        &self,
        deadline: Duration,
        mut report: impl FnMut(&Entry),
    ) -> Result<usize, Error> {
        let journal = self.required_journal()?;
        let deadline = if deadline.is_zero() {
            Duration::from_secs(30)
        } else {
            deadline
        };
        let started = Instant::now();
        let mut open: Vec<Entry> = journal
            .entries()?
            .into_iter()
            .filter(|e| !e.settled)
            .collect();
        let mut reported = 0;
        let mut done = |entry: &Entry, reported: &mut usize| {
            report(entry);
            *reported += 1;
        };
        // A pubSigPay without its answer: nothing to query by, and nothing can move.
        open.retain_mut(|entry| {
            if entry.kind != Kind::Pay || !entry.log_no.is_empty() {
                return true;
            }
            entry.error = format!(
                "pubSigPay answer lost ({}): it cannot be queried (no tradeNo, no logNo), and no \
                 money can move for it, since the payer can only pay with the JSAPI parameters of \
                 that lost answer (spec section 5); start over with a new OAuth code",
                entry.error
            );
            entry.settled = true;
            if let Err(e) = journal.update(entry) {
                log(Level::Error, || format!("recover {}: {e}", entry.id));
            }
            done(entry, &mut reported);
            false
        });
        while !open.is_empty() {
            let remaining = deadline.saturating_sub(started.elapsed());
            if remaining.is_zero() {
                break;
            }
            let mut still_open = Vec::with_capacity(open.len());
            for mut entry in open {
                let qry_no = if entry.trade_no.is_empty() {
                    entry.log_no.clone()
                } else {
                    entry.trade_no.clone()
                };
                let request = QueryRequest {
                    qry_no: &qry_no,
                    ..QueryRequest::default()
                };
                let budget = deadline
                    .saturating_sub(started.elapsed())
                    .max(Duration::from_millis(1));
                match self.query_within(&request, Some(budget)) {
                    Ok(answer) => {
                        // `learn` recorded it; mirror that here for the report.
                        entry.result = answer.result;
                        if answer.result.is_some_and(TxnResult::is_final) {
                            if entry.kind != Kind::Refund {
                                entry.log_no.clone_from(&answer.log_no);
                                entry.order_no.clone_from(&answer.order_no);
                            }
                            settle(&mut entry, true);
                            done(&entry, &mut reported);
                            continue;
                        }
                        entry.error = format!(
                            "still {} at the gateway",
                            super::model::result_text(answer.result)
                        );
                    }
                    Err(e)
                        if e.status() == Status::Gateway
                            && now_unix_ms().saturating_sub(entry.created_unix_ms)
                                > u64::try_from(NEVER_ARRIVED_AFTER.as_millis())
                                    .unwrap_or(u64::MAX) =>
                    {
                        entry.status = Status::Gateway;
                        entry.error = format!(
                            "the gateway does not know this sale {} minutes after it was recorded: \
                             it never arrived, no money moved ({})",
                            NEVER_ARRIVED_AFTER.as_secs() / 60,
                            e.detail()
                        );
                        entry.settled = true;
                        if let Err(e) = journal.update(&entry) {
                            log(Level::Error, || format!("recover {}: {e}", entry.id));
                        }
                        done(&entry, &mut reported);
                        continue;
                    }
                    Err(e) if e.status() == Status::InvalidArgument => {
                        entry.error = e.detail().to_owned();
                    }
                    Err(e) => entry.error = format!("query failed: {}", e.detail()),
                }
                still_open.push(entry);
            }
            open = still_open;
            let remaining = deadline.saturating_sub(started.elapsed());
            if open.is_empty() || remaining.is_zero() {
                break;
            }
            std::thread::sleep(RECOVER_INTERVAL.min(remaining));
        }
        for entry in &open {
            done(entry, &mut reported);
        }
        Ok(reported)
    }
}

/// Whether `entry` is an open sale that a query of `qry_no` answers.
fn names(entry: &Entry, qry_no: &str) -> bool {
    !entry.settled
        && (entry.trade_no == qry_no
            || entry.log_no == qry_no
            || (entry.kind != Kind::Refund && entry.order_no == qry_no))
}

/// Marks `entry` final (status OK) or still open (an in-doubt status saying what to do).
/// The second half of [`Client::journaled`]: what the answer (or the failure) taught, recorded.
fn journal_end(journal: &Journal, entry: &mut Entry, outcome: Result<Learned<'_>, &Error>) {
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
            if kind != Kind::Refund && !l.order_no.is_empty() {
                entry.order_no = l.order_no.to_owned();
            }
            if l.amount != 0 {
                entry.amount = l.amount;
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
            // Not in doubt: refused, or never reached the gateway; no money moved.
            entry.settled = !e.in_doubt();
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
    } else {
        entry.status = Status::Timeout;
        entry.error = format!(
            "answered {}: not final yet; query it until S, F or D",
            crate::model::result_text(entry.result)
        );
    }
}
