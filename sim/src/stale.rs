//! What the `stale` fault sends: an answer that belongs to another request of the same
//! endpoint, correctly signed.
//!
//! The simulator remembers, per endpoint, the last answer it made and which request it was
//! for: the request's `tradeNo` when it has one, else its body. A stale answer is that
//! remembered answer when it was for another request; otherwise this request's own answer
//! disguised as another's ([`disguise`]).

use crate::handlers::{Endpoint, Reply};
use crate::{clock, lock, Shared};
use serde_json::{Map, Value};
use starpos::sign::md5_hex;
use std::collections::HashMap;

/// The last answer made per endpoint, with the identity of the request it answered.
pub(crate) type LastAnswers = HashMap<Endpoint, (String, Reply)>;

/// Who a request is, for telling answers apart: `tradeNo:<tradeNo>` when it carries one,
/// else `body:<md5 of the body>`.
pub(crate) fn identity(fields: &Map<String, Value>, body: &[u8]) -> String {
    match fields.get("tradeNo").and_then(Value::as_str) {
        Some(trade_no) if !trade_no.is_empty() => format!("tradeNo:{trade_no}"),
        _ => format!("body:{}", md5_hex(body)),
    }
}

/// Records `reply` as the last answer on `endpoint` for the request `identity`; returns the
/// answer it replaces when that one was for another request.
pub(crate) fn remember(
    shared: &Shared,
    endpoint: Endpoint,
    identity: String,
    reply: &Reply,
) -> Option<Reply> {
    let previous = lock(&shared.last_answers).insert(endpoint, (identity.clone(), reply.clone()));
    previous
        .filter(|(other, _)| *other != identity)
        .map(|(_, reply)| reply)
}

/// `number` changed in its last character (a digit counts up by one, wrapping; anything else
/// becomes `X`, or `Y` if it was `X`): same length and shape, another number. Empty becomes `1`.
pub(crate) fn other_number(number: &str) -> String {
    let mut chars: Vec<char> = number.chars().collect();
    match chars.last_mut() {
        None => return "1".to_owned(),
        Some(last) => {
            *last = match *last {
                '9' => '0',
                d @ '0'..='8' => char::from(d as u8 + 1),
                'X' => 'Y',
                _ => 'X',
            }
        }
    }
    chars.into_iter().collect()
}

/// `reply` (this request's answer) made into the answer of another request of `endpoint`.
pub(crate) fn disguise(endpoint: Endpoint, mut reply: Reply) -> Reply {
    match endpoint {
        Endpoint::Pay => {
            let log_no = reply.get("logNo").unwrap_or("").to_owned();
            let new_log_no = other_number(&log_no);
            if reply.get("orderNo") == Some(log_no.as_str()) {
                reply.set("orderNo", &new_log_no);
            }
            reply.set("logNo", &new_log_no);
            let amount = reply.get("amount").and_then(|a| a.parse::<u64>().ok());
            let total = reply
                .get("total_amount")
                .and_then(|a| a.parse::<u64>().ok());
            if let Some(amount) = amount.map(|a| a.saturating_add(1)) {
                reply.set("amount", &amount.to_string());
                if total.is_some_and(|total| total < amount) {
                    reply.set("total_amount", &amount.to_string());
                }
            }
            let sel = match reply.get("selOrderNo") {
                Some(sel) if !sel.is_empty() => other_number(sel),
                _ => format!("S{new_log_no}"),
            };
            reply.set("selOrderNo", &sel);
        }
        Endpoint::Qry => {
            let day_earlier = clock::format_cst(clock::unix_seconds().saturating_sub(86_400));
            reply.set("sysTime", &day_earlier);
            let attach = other_number(reply.get("attach").unwrap_or(""));
            reply.set("attach", &attach);
        }
        _ => {
            let trade_no = other_number(reply.get("tradeNo").unwrap_or(""));
            reply.set("tradeNo", &trade_no);
        }
    }
    reply
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn other_numbers_differ_in_the_last_character() {
        assert_eq!(other_number("2024010100000001"), "2024010100000002");
        assert_eq!(other_number("T9"), "T0");
        assert_eq!(other_number("abc"), "abX");
        assert_eq!(other_number("abX"), "abY");
        assert_eq!(other_number(""), "1");
        assert_eq!(other_number("咖啡"), "咖X");
    }
}
