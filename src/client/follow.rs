//! Following a sale to its final state: [`Client::wait`] and [`Client::barcode_sale`], and the
//! early end of a sale whose every answer is untrusted.

use super::send::millis;
use super::{Client, Progress};
use crate::clock;
use crate::error::{Error, Status};
use crate::log::{log, Level};
use crate::model::{
    BarcodePayRequest, QueryRequest, QueryResponse, RevokeRequest, RevokeResponse, TxnResult,
};
use std::time::{Duration, Instant};

/// Why [`Client::wait`] stopped without a final answer: the error, and the last answer the
/// gateway gave (still `A` or `Z`) if any came.
#[derive(Debug, Clone)]
pub struct WaitError {
    /// TIMEOUT when the deadline passed; otherwise the error that ended the wait.
    pub error: Error,
    /// The last query answer received, if any.
    pub last_answer: Option<Box<QueryResponse>>,
}

impl Client {
    /// The whole barcode sale: pay once, then follow an `A`, a `Z` or an in-doubt failure by
    /// querying the sale's own `tradeNo` (never paying again) every `interval` until `S`, `F`
    /// or `D`, or until `deadline` (zero durations: 3 s and 60 s) has passed since the pay
    /// was answered.
    ///
    /// `Ok`: the sale is final; `result` says which way, and `trade_no` is the sale's. `Err`:
    /// a refusal or bad input (nothing moved), or an in-doubt status (still unknown: query
    /// [`Error::trade_no`] later), with the last non-final answer if one came.
    pub fn barcode_sale(
        &self,
        request: &BarcodePayRequest,
        interval: Duration,
        deadline: Duration,
    ) -> Result<QueryResponse, WaitError> {
        let no_answer = |error| WaitError {
            error,
            last_answer: None,
        };
        let own_trade_no;
        let request = match request.trade_no.filter(|t| !t.is_empty()) {
            Some(_) => request.clone(),
            None => {
                own_trade_no = clock::new_trade_no(&self.config.trm_no);
                BarcodePayRequest {
                    trade_no: Some(&own_trade_no),
                    ..request.clone()
                }
            }
        };
        let trade_no = request.trade_no.unwrap_or_default();
        if self.cancelled() {
            return Err(no_answer(cancelled_before(trade_no)));
        }
        let mut untrusted = None;
        let paid = match self.barcode_pay(&request) {
            Ok(paid) if paid.result.is_some_and(TxnResult::is_final) => {
                return Ok(QueryResponse::from_sale(paid));
            }
            Ok(paid) => Some(paid),
            Err(e) if e.in_doubt() => {
                log(Level::Warn, || {
                    format!("barcode sale {trade_no}: the pay is in doubt ({e}); querying it")
                });
                // An answer came but could not be trusted (an unproven refusal, a bad
                // signature): if the queries fare no better, the sale ends early (`follow`).
                if e.status() == Status::Signature || e.refusal().is_some() {
                    untrusted = Some(e);
                }
                None
            }
            Err(e) => return Err(no_answer(e)),
        };
        // The payer cannot have paid the moment the pay was answered: the first query waits
        // one step of the schedule (an explicit interval keeps its meaning: at once).
        let first = if interval.is_zero() {
            Schedule::DEFAULT.after(Duration::ZERO)
        } else {
            Duration::ZERO
        };
        match self.follow(trade_no, interval, deadline, untrusted, first) {
            Ok(mut done) => {
                done.trade_no = trade_no.to_owned();
                Ok(done)
            }
            Err(mut waited) => {
                if waited.last_answer.is_none() {
                    waited.last_answer = paid.map(|p| Box::new(QueryResponse::from_sale(p)));
                }
                if let Some(answer) = waited.last_answer.as_mut() {
                    answer.trade_no = trade_no.to_owned();
                }
                waited.error = waited.error.with_trade_no(trade_no);
                if self.config.revoke_on_give_up && waited.error.in_doubt() {
                    return self.close_the_loop(trade_no, waited);
                }
                Err(waited)
            }
        }
    }

    /// The closed loop ([`Config::revoke_on_give_up`](super::Config::revoke_on_give_up)):
    /// the sale `trade_no` was given up on in doubt (`waited`), so it is revoked. `S`: the sale
    /// ends `D` (revoked), the payer not charged. Anything else proves nothing either way, so
    /// the sale is followed [`REVOKE_FOLLOW`] longer: its final state if it reaches one (`S`
    /// paid after all, `F`, or `D`), else `waited`'s in-doubt status saying what the revoke
    /// did. The revoke and the queries go even though the cancel was fired (giving up is
    /// what asks for them) and are not reported as the wait's progress; all is journaled.
    fn close_the_loop(
        &self,
        trade_no: &str,
        waited: WaitError,
    ) -> Result<QueryResponse, WaitError> {
        let mut closing = self.clone();
        closing.config.cancel = None;
        closing.config.progress = None;
        closing.config.revoke_on_give_up = false;
        log(Level::Warn, || {
            format!(
                "sale {trade_no}: given up in doubt ({}); revoking it (closed loop)",
                waited.error.detail()
            )
        });
        let revoke = closing.revoke(&RevokeRequest {
            qry_no: trade_no,
            ..RevokeRequest::default()
        });
        let what = match &revoke {
            Ok(r) if r.result == Some(TxnResult::Success) => {
                return Ok(revoked(trade_no, r, waited.last_answer.as_deref()));
            }
            Ok(r) => format!(
                "the revoke (tradeNo {}) answered {}",
                r.trade_no,
                r.result.map_or('-', TxnResult::as_char)
            ),
            Err(e) => format!("the revoke failed ({}: {})", e.status(), e.detail()),
        };
        match closing.follow(
            trade_no,
            Duration::ZERO,
            REVOKE_FOLLOW,
            None,
            Duration::ZERO,
        ) {
            Ok(mut done) => {
                done.trade_no = trade_no.to_owned();
                Ok(done)
            }
            Err(still) => Err(WaitError {
                error: Error::new(
                    waited.error.status(),
                    format!(
                        "{}; closed loop: {what}, and the sale was still not final {} ms \
                         later: query tradeNo {trade_no} later (the payer may yet be charged)",
                        waited.error.detail(),
                        millis(REVOKE_FOLLOW)
                    ),
                )
                .with_trade_no(trade_no),
                last_answer: still.last_answer.or(waited.last_answer),
            }),
        }
    }

    /// Queries `qry_no` every `interval` until the order is final (`S`, `F`, `D`) or `deadline`
    /// has passed (then TIMEOUT). A zero `interval` is the library's schedule ([`Schedule`]):
    /// quick while most payers confirm, then backing off; zero `deadline` is 60 s.
    ///
    /// `Config::cancel` ends it within milliseconds, also while a query is in flight over
    /// http and https: CANCELLED (in doubt: the order may still be paid; query it later).
    /// `Config::progress` is told where it stands before the first query and after each. Only INVALID_ARGUMENT ends the wait early: a failed poll
    /// (network, bad answer) and a refusal do not, since right after a pay the gateway may
    /// refuse ("order not found") until the order reaches its query service (spec section 5).
    /// When the deadline passes with no answer but refusals, the error is TIMEOUT (in doubt:
    /// the order may still appear) carrying the last refusal ([`Error::refusal`]), even if a
    /// later query got no answer in time: a failure to get an answer never hides a refusal.
    ///
    /// The queries send `V1.0.1`, so the answer's `ref_amt` is the gateway's report of the fen
    /// refunded so far.
    ///
    /// With [`Config::revoke_on_give_up`](super::Config::revoke_on_give_up), a wait that gives
    /// up in doubt revokes `qry_no` as [`Client::barcode_sale`] does (the closed loop): for a
    /// QR order nobody paid, so that a late scan cannot pay it. `qry_no` must then be the
    /// counter sale's `tradeNo`; the revoke of anything else is refused, and the wait ends in
    /// doubt after following the order a little longer.
    pub fn wait(
        &self,
        qry_no: &str,
        interval: Duration,
        deadline: Duration,
    ) -> Result<QueryResponse, WaitError> {
        match self.follow(qry_no, interval, deadline, None, Duration::ZERO) {
            Err(waited) if self.config.revoke_on_give_up && waited.error.in_doubt() => {
                self.close_the_loop(qry_no, waited)
            }
            other => other,
        }
    }

    /// True when the config's cancel was fired.
    pub(super) fn cancelled(&self) -> bool {
        self.config
            .cancel
            .as_ref()
            .is_some_and(crate::Cancel::is_requested)
    }

    /// Tells `Config::progress` where the wait on `trade_no` stands.
    fn progress(
        &self,
        trade_no: &str,
        result: Option<TxnResult>,
        queries: u32,
        start: Instant,
        next_query: Duration,
    ) {
        if let Some(progress) = &self.config.progress {
            progress(&Progress {
                trade_no,
                result,
                queries,
                elapsed: start.elapsed(),
                next_query,
            });
        }
    }

    /// [`Client::wait`], for a sale whose own answer came but could not be trusted when
    /// `untrusted` is that answer's error (an unproven refusal, a bad signature): then, once
    /// [`UNTRUSTED_QUERIES`] queries over at least [`UNTRUSTED_SPAN`] have fared no better
    /// (each refused, or failing the signature check) and none told a state, the sale ends
    /// early in doubt with `untrusted` (the journal keeps it open), instead of at the deadline.
    /// The first query goes `first` after the start.
    fn follow(
        &self,
        qry_no: &str,
        interval: Duration,
        deadline: Duration,
        untrusted: Option<Error>,
        first: Duration,
    ) -> Result<QueryResponse, WaitError> {
        let schedule = if interval.is_zero() {
            Schedule::DEFAULT
        } else {
            Schedule::Every(interval)
        };
        let deadline = if deadline.is_zero() {
            Duration::from_secs(60)
        } else {
            deadline
        };
        let start = Instant::now();
        let mut last_answer: Option<Box<QueryResponse>> = None;
        // A refusal says more than a failure to get any answer (a query cut short by the
        // deadline itself, say), so a later failure never hides an earlier refusal.
        let mut last_refusal: Option<Error> = None;
        let mut last_failure: Option<Error> = None;
        // Queries that fared no better than an untrusted answer: (refused, bad signature).
        let mut no_better = (0u32, 0u32);
        let mut queries = 0u32;
        let cancel = self.config.cancel.as_ref();
        let cancelled = |queries: u32, last_answer: Option<Box<QueryResponse>>| WaitError {
            error: cancelled_waiting(qry_no, queries),
            last_answer,
        };
        let first = first.min(deadline);
        self.progress(qry_no, None, 0, start, first);
        if crate::cancel::sleep(cancel, first) || self.cancelled() {
            return Err(cancelled(0, None));
        }
        loop {
            let remaining = deadline.saturating_sub(start.elapsed());
            if remaining.is_zero() {
                break;
            }
            if self.cancelled() {
                return Err(cancelled(queries, last_answer));
            }
            let request = QueryRequest {
                qry_no,
                version: Some(crate::model::EXTENDED_VERSION),
                ..QueryRequest::default()
            };
            queries += 1;
            let outcome = self.query_within(&request, Some(remaining));
            let next = schedule
                .after(start.elapsed())
                .min(deadline.saturating_sub(start.elapsed()));
            let told = match &outcome {
                Ok(answer) => answer.result,
                Err(_) => last_answer.as_ref().and_then(|a| a.result),
            };
            let ends = matches!(&outcome, Ok(a) if a.result.is_some_and(|r| r.is_final()));
            self.progress(
                qry_no,
                told,
                queries,
                start,
                if ends { Duration::ZERO } else { next },
            );
            match outcome {
                Ok(answer) if answer.result.is_some_and(|r| r.is_final()) => return Ok(answer),
                Ok(answer) => last_answer = Some(Box::new(answer)),
                Err(error) if error.status() == Status::Cancelled => {
                    return Err(cancelled(queries, last_answer));
                }
                Err(error) if error.status() == Status::InvalidArgument => {
                    return Err(WaitError { error, last_answer });
                }
                Err(error) if error.status() == Status::Gateway => {
                    no_better.0 += 1;
                    last_refusal = Some(error);
                }
                Err(error) => {
                    if error.status() == Status::Signature {
                        no_better.1 += 1;
                    }
                    last_failure = Some(error);
                }
            }
            if let Some(pay) = untrusted.as_ref().filter(|_| {
                last_answer.is_none()
                    && no_better.0 + no_better.1 >= UNTRUSTED_QUERIES
                    && start.elapsed() >= UNTRUSTED_SPAN
            }) {
                return Err(WaitError {
                    error: untrusted_end(pay, qry_no, no_better),
                    last_answer: None,
                });
            }
            if next.is_zero() {
                break;
            }
            if crate::cancel::sleep(cancel, next) {
                return Err(cancelled(queries, last_answer));
            }
        }
        let error = match (&last_answer, last_refusal.or(last_failure)) {
            (Some(answer), _) => Error::new(
                Status::Timeout,
                format!(
                    "order {qry_no} still not final after {} ms (last result {})",
                    millis(deadline),
                    answer.result.map_or('-', |r| r.as_char())
                ),
            ),
            (None, Some(error)) if error.status() == Status::Gateway => {
                let refused = Error::new(
                    Status::Timeout,
                    format!(
                        "order {qry_no} not found final within {} ms: every answered query was \
                         refused, the last: {} (the order may still appear: query again later)",
                        millis(deadline),
                        error.detail()
                    ),
                );
                match error.refusal() {
                    Some(answer) => refused.with_refusal(answer.clone()),
                    None => refused,
                }
            }
            (None, Some(error)) => error.context(&format!(
                "no answer to any query of {qry_no} within {} ms; the last failure",
                millis(deadline)
            )),
            (None, None) => Error::new(
                Status::Timeout,
                format!(
                    "no query of {qry_no} could be made within {} ms",
                    millis(deadline)
                ),
            ),
        };
        Err(WaitError { error, last_answer })
    }
}

/// How long the closed loop follows a sale whose revoke did not answer `S`.
pub const REVOKE_FOLLOW: Duration = Duration::from_secs(15);

/// The answer a barcode sale ends with when its revoke answered `S`: the sale's order,
/// `D` (revoked), with the revoke's words and the sale's facts it echoed.
fn revoked(trade_no: &str, r: &RevokeResponse, last: Option<&QueryResponse>) -> QueryResponse {
    let last = last.cloned().unwrap_or_default();
    QueryResponse {
        return_code: r.return_code.clone(),
        message: r.message.clone(),
        sys_time: r.sys_time.clone(),
        merc_id: r.merc_id.clone(),
        trade_no: trade_no.to_owned(),
        result: Some(TxnResult::Revoked),
        pay_channel: if r.pay_channel.is_empty() {
            last.pay_channel
        } else {
            r.pay_channel.clone()
        },
        amount: r.amount,
        total_amount: r.total_amount,
        subject: r.subject.clone(),
        sel_order_no: r.sel_order_no.clone(),
        goods_tag: r.goods_tag.clone(),
        attach: r.attach.clone(),
        add_field: r.add_field.clone(),
        ..last
    }
}

/// When a wait queries: every `interval` the caller chose, or the library's default schedule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Schedule {
    /// A query every this long, the first at once (an explicit `interval`).
    Every(Duration),
    /// Steps of `quick` while less than `quick_for` has passed since the wait began (most
    /// payers confirm within seconds), then of `slow` until `slow_for`, then of `slowest`.
    Stepped {
        /// The step while most payers confirm.
        quick: Duration,
        /// How long the quick steps last.
        quick_for: Duration,
        /// The step after that.
        slow: Duration,
        /// Until this long since the wait began.
        slow_for: Duration,
        /// The step after that: payers who take this long are rare.
        slowest: Duration,
    },
}

impl Schedule {
    /// The default (an `interval` of 0): every 800 ms for the first 12 s, every 2 s to 30 s,
    /// then every 5 s. For payers who confirm between 1 and 10 s after the pay, the sale
    /// returns about 0.4 s after the payment on average (half a step, plus a query's round
    /// trip), at about 1.3 queries per second; the vendor SDKs' 10 s steps cost 5 s on average
    /// (`BENCHMARKS.md`, "time to receipt").
    pub const DEFAULT: Schedule = Schedule::Stepped {
        quick: Duration::from_millis(800),
        quick_for: Duration::from_secs(12),
        slow: Duration::from_secs(2),
        slow_for: Duration::from_secs(30),
        slowest: Duration::from_secs(5),
    };

    /// The wait before the next query, `elapsed` into the wait.
    pub fn after(self, elapsed: Duration) -> Duration {
        match self {
            Schedule::Every(interval) => interval,
            Schedule::Stepped {
                quick,
                quick_for,
                slow,
                slow_for,
                slowest,
            } => {
                if elapsed < quick_for {
                    quick
                } else if elapsed < slow_for {
                    slow
                } else {
                    slowest
                }
            }
        }
    }
}

/// The error of a wait on `qry_no` the caller's cancel ended after `queries` queries: in doubt
/// (the order may still be paid).
fn cancelled_waiting(qry_no: &str, queries: u32) -> Error {
    Error::new(
        Status::Cancelled,
        format!(
            "cancelled after {queries} quer{} of {qry_no}: the order may still be paid; query \
             it later (a journal keeps it open), never pay it again",
            if queries == 1 { "y" } else { "ies" }
        ),
    )
}

/// The error of a sale the caller's cancel ended before its pay was sent.
fn cancelled_before(trade_no: &str) -> Error {
    Error::new(
        Status::CancelledNotSent,
        format!("cancelled before the pay of {trade_no} was sent: nothing was sent"),
    )
}

/// How many queries must fare no better than a sale's untrusted answer before the sale ends
/// early ([`Client::barcode_sale`]).
pub const UNTRUSTED_QUERIES: u32 = 3;

/// The least time those queries must span: the query service may lag a pay by a second or
/// two (spec section 5).
pub const UNTRUSTED_SPAN: Duration = Duration::from_secs(2);

/// The error a sale ends with when its own answer could not be trusted (`pay`) and the
/// queries of `trade_no` fared no better (`no_better`: how many were refused, how many failed
/// the signature check): `pay`'s status (in doubt) and refusal, with words that say what is
/// known and what to do.
fn untrusted_end(pay: &Error, trade_no: &str, no_better: (u32, u32)) -> Error {
    let (refused, bad_signature) = no_better;
    let advice = if bad_signature > 0 && refused == 0 {
        format!(
            "the pay's answer and {bad_signature} queries since all failed the signature check: \
             the merchant key is most likely wrong (check the key configured for this \
             terminal against the one the acquirer issued). Money moved only if the gateway \
             accepted the request: with the right key, query tradeNo {trade_no} (or run \
             recovery) before selling again"
        )
    } else {
        format!(
            "{} queries of tradeNo {trade_no} since were refused or failed the signature check \
             and none told the order's state: most likely nothing moved, but that is not \
             proven; the journal keeps the sale open and recovery settles it (query it again \
             in a few minutes); never pay this code again",
            refused + bad_signature
        )
    };
    let mut error = Error::new(pay.status(), format!("{}; {advice}", pay.detail()));
    if let Some(answer) = pay.refusal() {
        error = error.with_refusal(answer.clone());
    }
    error
}
