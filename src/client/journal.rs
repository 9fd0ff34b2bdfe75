//! The client's use of the [sale journal](crate::journal): a money call recorded before its
//! first byte leaves and settled when its outcome is known ([`crate::ledger`] keeps the books),
//! what a query teaches, and recovery at start-up. Without `Config::journal_path` none of this
//! runs.

use super::Client;
use crate::error::Error;
use crate::journal::{Entry, Journal, Kind};
use crate::ledger::{self, Learned, Told};
use crate::log::{log, Level};
use crate::model::{Outgoing, QueryRequest};
use std::time::{Duration, Instant};

/// How often recovery queries the sales still open.
const RECOVER_INTERVAL: Duration = Duration::from_millis(500);

impl Client {
    /// The journal, opened on first use; `None` without `journal_path`.
    fn journal(&self) -> Result<Option<Journal>, Error> {
        match &self.config().journal_path {
            None => Ok(None),
            Some(path) => ledger::journal_at(path, self.config().journal_retention).map(Some),
        }
    }

    /// Runs the money call `call` (given the `txnTime` to send) under the journal: the sale is
    /// recorded and synced before `call` runs (if that fails, JOURNAL and nothing is sent),
    /// and what its answer or failure taught is recorded after. `own` are the request's wire
    /// fields (validated); `txn_time` the caller's.
    ///
    /// Only the call itself is generic; the journal work is in [`ledger::begin`] and
    /// [`ledger::end`], once for every kind of sale (armv7 code size).
    pub(crate) fn journaled<T>(
        &self,
        kind: Kind,
        own: &Outgoing,
        txn_time: Option<&str>,
        call: impl FnOnce(Option<&str>) -> Result<T, Error>,
        learned: impl Fn(&T) -> Learned<'_>,
    ) -> Result<T, Error> {
        if self.cancelled() {
            // Fired before anything was recorded or sent: nothing to record either.
            return Err(crate::transport::cancelled_before_sending());
        }
        let Some((journal, mut entry)) = self.journal_begin(kind, own, txn_time)? else {
            return call(txn_time);
        };
        let outcome = call(Some(&entry.txn_time));
        ledger::end(&journal, &mut entry, outcome.as_ref().map(learned));
        outcome
    }

    /// The first half of [`Client::journaled`]: the sale recorded and synced, with the
    /// `txnTime` it will be sent with; `None` without a journal.
    fn journal_begin(
        &self,
        kind: Kind,
        own: &Outgoing,
        txn_time: Option<&str>,
    ) -> Result<Option<(Journal, Entry)>, Error> {
        if self.config().journal_path.is_none() {
            return Ok(None);
        }
        // Bad input is named before any storage trouble.
        let txn_time = super::resolve_txn_time(txn_time)?;
        let Some(journal) = self.journal().map_err(ledger::not_sent)? else {
            return Ok(None);
        };
        let entry = ledger::begin(
            &journal,
            kind,
            &own.money,
            own.trade_no(),
            txn_time,
            &self.config().opr_id,
        )?;
        Ok(Some((journal, entry)))
    }

    /// Records what a query of `qry_no` told into the open sales it concerns
    /// ([`ledger::learn`]). Never fails the query: a journal that cannot be opened is logged,
    /// and the sale stays open for recovery.
    pub(crate) fn learn(&self, qry_no: &str, told: Told<'_>) {
        match self.journal() {
            Ok(Some(journal)) => ledger::learn(&journal, qry_no, told),
            Ok(None) => {}
            Err(e) => log(Level::Warn, || {
                format!("query {qry_no}: journal not updated: {e}")
            }),
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

    /// The closing summary of [`Client::journal_entries`]: per kind and channel, how many
    /// sales, the fen paid and refunded (settled `S` ones), and the sales still open
    /// ([`crate::journal::summary`]). Sends nothing; errors as `journal_entries`.
    pub fn journal_summary(&self) -> Result<Vec<crate::journal::SummaryRow>, Error> {
        self.journal_entries()
            .map(|entries| crate::journal::summary(&entries))
    }

    fn required_journal(&self) -> Result<Journal, Error> {
        self.journal()?
            .ok_or_else(|| Error::invalid("journal_path", "is required: no journal is configured"))
    }

    /// At start-up: settles what a crash left open. Every sale the journal holds unsettled is
    /// queried (never paid again) until it is final or `deadline` (zero = 30 s) has passed,
    /// and reported once through `report`. Settled sales are neither queried nor reported. The
    /// queries send `V1.0.1`, so `refAmt` is always answered.
    ///
    /// - A sale (pay, counter sale) is queried by its own `tradeNo` (a `pubSigPay`, which has
    ///   none, by its `logNo`); its state is the answer's.
    /// - A refund is confirmed from the order it refunds (spec section 12): that order's
    ///   `refAmt` against the refunds of it the journal already settled. Never from the
    ///   refund's own `tradeNo`, which the query documents no way to find.
    /// - A `pubSigPay` whose answer was lost has no key to query by; no money can move for it
    ///   (the payer needs the JSAPI parameters of that lost answer, spec section 5): it is
    ///   reported with its in-doubt status and that reason, and settled.
    /// - "Never arrived" (GATEWAY, settled: no money moved) only on proof
    ///   ([`Entry::never_arrived`]): the sale never had an answer, and signed, bound answers
    ///   that the gateway does not know it span ten minutes of the gateway's own clock. A sale
    ///   that ever had an answer is never concluded so, whatever the queries say.
    /// - A sale still unknown at the deadline is reported with an in-doubt status and stays
    ///   open for the next recovery; after [`crate::journal::ATTENTION_AFTER_RECOVERIES`] such
    ///   passes it is flagged [`Entry::attention`]: a person should look.
    ///
    /// `Config::cancel` ends it within milliseconds, also while a query is in flight over
    /// http: the sales not settled yet are reported as they stand (not counted as a pass), and
    /// the result is CANCELLED.
    ///
    /// Returns how many sales were reported; an error only when the journal cannot be read
    /// (or none is configured) or the cancel was fired, whatever the sales say.
    pub fn recover(
        &self,
        deadline: Duration,
        mut report: impl FnMut(&Entry),
    ) -> Result<usize, Error> {
        let journal = self.required_journal()?;
        ledger::warn_if_clock_wrong();
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
            let lost = ledger::settle_lost_pay(&journal, entry);
            if lost {
                done(entry, &mut reported);
            }
            !lost
        });
        while !open.is_empty() {
            let remaining = deadline.saturating_sub(started.elapsed());
            if remaining.is_zero() {
                break;
            }
            let mut still_open = Vec::with_capacity(open.len());
            let mut queue = open.into_iter();
            while let Some(mut entry) = queue.next() {
                if self.cancelled() {
                    still_open.push(entry);
                    still_open.extend(queue);
                    return self.recovery_cancelled(still_open, &mut done, reported);
                }
                let qry_no = ledger::qry_no_of(&entry);
                let request = QueryRequest {
                    qry_no: &qry_no,
                    version: Some(crate::model::EXTENDED_VERSION),
                    ..QueryRequest::default()
                };
                let budget = deadline
                    .saturating_sub(started.elapsed())
                    .max(Duration::from_millis(1));
                let queried = self.query_within(&request, Some(budget));
                if queried
                    .as_ref()
                    .is_err_and(|e| e.status() == crate::Status::Cancelled)
                {
                    still_open.push(entry);
                    still_open.extend(queue);
                    return self.recovery_cancelled(still_open, &mut done, reported);
                }
                // `learn` recorded what the query told; the journal has the sale's state now.
                if let Some(now) = journal.entries()?.into_iter().find(|e| e.id == entry.id) {
                    entry = now;
                }
                if entry.settled {
                    done(&entry, &mut reported);
                    continue;
                }
                ledger::still_open(&mut entry, &qry_no, queried.as_ref());
                still_open.push(entry);
            }
            open = still_open;
            let remaining = deadline.saturating_sub(started.elapsed());
            if open.is_empty() || remaining.is_zero() {
                break;
            }
            if crate::cancel::sleep(self.config.cancel.as_ref(), RECOVER_INTERVAL.min(remaining)) {
                return self.recovery_cancelled(open, &mut done, reported);
            }
        }
        for entry in &mut open {
            ledger::end_of_pass(&journal, entry);
            done(entry, &mut reported);
        }
        Ok(reported)
    }

    /// The end of a recovery the caller's cancel stopped: the sales still open are reported
    /// as they stand (this pass does not count towards `attention`), then CANCELLED.
    fn recovery_cancelled(
        &self,
        open: Vec<Entry>,
        done: &mut impl FnMut(&Entry, &mut usize),
        mut reported: usize,
    ) -> Result<usize, Error> {
        let left = open.len();
        for entry in &open {
            done(entry, &mut reported);
        }
        Err(Error::new(
            crate::Status::Cancelled,
            format!(
                "recovery cancelled: {left} sale(s) still open, reported as they stand; run it \
                 again to settle them ({reported} reported in all)"
            ),
        ))
    }
}
