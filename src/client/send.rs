//! Sending one request: the common fields, a new `tradeNo` where the caller gave none,
//! `characterSet`, the signed body (wiped when the call ends), the exchange, and how its answer
//! is judged (verified, bound to the request, a refusal judged by [`bind::refusal`]), with
//! every text that leaves masked ([`crate::redact`]) and logged.

use super::{BodyCharset, Client};
use crate::answer::Answer;
use crate::error::Error;
use crate::log::{log, Level};
use crate::model::{bind, Money, Outgoing};
use crate::wipe::{self, Wiped};
use crate::{clock, fields, redact, transport, wire};
use std::time::{Duration, Instant};

impl Client {
    /// `own` with an empty `tradeNo` replaced by a new one of this terminal's
    /// ([`clock::new_trade_no`]): never repeated across terminals, boots and processes.
    pub(super) fn numbered<'a>(&self, mut own: Outgoing<'a>) -> Outgoing<'a> {
        let sends_one = own.fields.iter().any(|(name, _)| *name == "tradeNo");
        if sends_one && own.trade_no().is_empty() {
            own.set_trade_no(clock::new_trade_no(&self.config.trm_no));
        }
        own
    }

    /// [`Client::exchange`] for an `sdk*` endpoint: the terminal's optional common parameters
    /// (`trmTyp`, `oprId`, `latitude`, `longitude`) are added when configured.
    pub(super) fn exchange_sdk(
        &self,
        endpoint: &str,
        txn_time: Option<&str>,
        own: &Outgoing,
        budget: Option<Duration>,
    ) -> Result<Answer, Error> {
        let terminal = [
            ("trmTyp", self.config.trm_typ.as_str()),
            ("oprId", &self.config.opr_id),
            ("latitude", &self.config.latitude),
            ("longitude", &self.config.longitude),
        ];
        self.exchange(endpoint, txn_time, own, &terminal, budget)
    }

    /// Adds the merchant's fields (and `extra`, where not empty) to `own`, signs, sends and
    /// verifies.
    pub(super) fn exchange(
        &self,
        endpoint: &str,
        txn_time: Option<&str>,
        own: &Outgoing,
        extra: &[(&'static str, &str)],
        budget: Option<Duration>,
    ) -> Result<Answer, Error> {
        let txn_time = resolve_txn_time(txn_time)?;
        let common = [
            ("orgNo", self.config.org_no.as_str()),
            ("mercId", &self.config.merc_id),
            ("trmNo", &self.config.trm_no),
            ("txnTime", &txn_time),
            ("signType", "MD5"),
        ];
        let all = common
            .into_iter()
            .chain(own.fields.iter().map(|(n, v)| (*n, v.as_str())))
            .chain(extra.iter().filter(|(_, v)| !v.is_empty()).copied());
        // Every typed request fits on the stack (the longest, a barcode pay with every
        // optional field and the terminal's, has 21): no heap list per call.
        let mut stack = [("", ""); STACK_FIELDS];
        let heap: Vec<(&str, &str)>;
        let all = if common.len() + own.fields.len() + extra.len() <= STACK_FIELDS {
            let mut n = 0;
            for (slot, field) in stack.iter_mut().zip(all) {
                *slot = field;
                n += 1;
            }
            &stack[..n]
        } else {
            heap = all.collect();
            &heap[..]
        };
        self.send(endpoint, all, &own.money, budget)
    }

    /// Signs `fields`, sends them and judges the answer: verified, then bound to the
    /// request's money facts `money` ([`bind::check`]), a refusal judged ([`bind::refusal`]).
    pub(super) fn send(
        &self,
        endpoint: &str,
        fields: &[(&str, &str)],
        money: &Money,
        budget: Option<Duration>,
    ) -> Result<Answer, Error> {
        // `characterSet` names the body's bytes (spec section 1): `00` (GBK) is true of an
        // ASCII body and of a GBK one; a UTF-8 body with any other text says `01`.
        let utf8_text = self.config.body_charset == BodyCharset::Utf8
            && fields.iter().any(|(_, v)| !v.is_ascii());
        let relabelled: Vec<(&str, &str)>;
        let fields = if utf8_text && fields.iter().any(|(n, _)| *n == "characterSet") {
            relabelled = fields
                .iter()
                .map(|&(n, v)| {
                    if n == "characterSet" {
                        (n, "01")
                    } else {
                        (n, v)
                    }
                })
                .collect();
            &relabelled[..]
        } else {
            fields
        };
        let trade_no = Outgoing::trade_no_of(fields.iter().copied());
        // The signed body holds the request's secrets: wiped when the call ends.
        let utf8 = Wiped(wire::encode_request(fields, &self.config.key));
        let (body, content_type) = match self.config.body_charset {
            BodyCharset::Utf8 => (utf8, "application/json;charset=UTF-8"),
            BodyCharset::Gbk => {
                // encode_request writes UTF-8 JSON, so this is text.
                let mut text = String::from_utf8_lossy(&utf8).into_owned();
                let gbk = crate::charset::utf8_to_gbk(&text);
                wipe::string(&mut text);
                (Wiped(gbk?), "application/json;charset=GBK")
            }
        };
        let url = format!("{}{endpoint}.json", self.config.base_url);
        let mut timeouts = self.config.timeouts;
        if let Some(budget) = budget {
            timeouts.total = timeouts.total.min(budget).max(Duration::from_millis(1));
        }
        log(Level::Debug, || {
            format!(
                "{endpoint}: POST {url} ({} bytes, timeout {} ms)",
                body.len(),
                millis(timeouts.total)
            )
        });
        let started = Instant::now();
        let reply = match &self.exchange {
            Some(exchange) => exchange(&url, &body),
            // base_url was checked in `new`; an endpoint is letters and digits (a constant, or
            // checked in `call`), so the URL needs no second check.
            None => transport::post_checked(
                &url,
                &body,
                content_type,
                timeouts,
                &transport::Connection {
                    keep_alive: self.config.keep_alive,
                    ca_file: self.config.ca_file.as_deref(),
                    cancel: self.config.cancel.as_ref(),
                },
            ),
        };
        let result = reply.and_then(|reply| {
            let text = wire::answer_utf8(&reply.body, reply.charset.as_deref())?;
            match wire::decode_answer(&text, &self.config.key) {
                Ok(answer) => bind::check(money, trade_no, &answer, false).map(|()| answer),
                Err(e) => Err(bind::refusal(endpoint, money, trade_no, e)),
            }
        });
        let ms = millis(started.elapsed());
        // What the gateway says back can echo the request: its secrets and any payment code
        // are masked here, once, so every consumer (journal, CLI, C structs) gets masked text.
        let secrets = redact::Secrets::of_request(fields, &self.config.key);
        let result = result
            .map(|answer| answer.with_masked_message(&secrets))
            .map_err(|e| e.masked(&secrets));
        // The payer's openId an answer (or a refusal) carries is the caller's, never the log's.
        let open_id = match &result {
            Ok(answer) => answer.text("openId"),
            Err(e) => e.refusal().map_or("", |a| a.text("openId")),
        };
        let log = |level, message: &dyn Fn() -> String| {
            log(level, || {
                let masked = secrets.mask(&message()).into_owned();
                if open_id.is_empty() {
                    masked
                } else {
                    masked.replace(open_id, redact::MASK)
                }
            });
        };
        match &result {
            Ok(answer) => log(Level::Info, &|| {
                let serials: String = ["logNo", "orderNo", "tradeNo", "result"]
                    .iter()
                    .filter_map(|n| {
                        answer
                            .get(n)
                            .filter(|v| !v.is_empty())
                            .map(|v| format!(", {n} {v}"))
                    })
                    .collect();
                format!(
                    "{endpoint}: OK in {ms} ms (returnCode {}{serials})",
                    answer.text("returnCode")
                )
            }),
            Err(e) => {
                let level = if e.in_doubt() {
                    Level::Error
                } else {
                    Level::Warn
                };
                log(level, &|| {
                    let doubt = if e.in_doubt() {
                        " [in doubt: query before retrying]"
                    } else {
                        ""
                    };
                    format!(
                        "{endpoint}: {} after {ms} ms: {}{doubt}",
                        e.status(),
                        e.detail()
                    )
                })
            }
        }
        result
    }
}

/// How many wire fields [`Client::exchange`] lists on the stack (more go on the heap).
const STACK_FIELDS: usize = 32;

/// `duration` in whole milliseconds for messages, as a u64 (saturating at u64::MAX, some 584
/// million years): formatting a u128 would link in code of its own (armv7 code size).
pub(super) fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}

/// The `txnTime` to send: the caller's, checked, or the terminal's local time now.
pub(crate) fn resolve_txn_time(txn_time: Option<&str>) -> Result<String, Error> {
    match txn_time {
        Some(t) if !t.is_empty() => {
            fields::txn_time("txn_time", t)?;
            Ok(t.to_owned())
        }
        _ => Ok(clock::local_txn_time()),
    }
}
