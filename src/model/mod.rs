//! Layer 2: the endpoints. Each has one table (`tables/<endpoint>.rs`, data only: its
//! `REQUEST` and its `ANSWER`) from which `build.rs` generates
//!
//! - the request type (`requests.rs`): its fields and their docs, `Debug` with secrets
//!   masked, `ENDPOINT`, `wire_fields` and `outgoing`, which hands the parameters to the
//!   shared builder ([`request::build`]): each checked by its kind, turned into wire fields,
//!   its money facts typed ([`Outgoing`], [`Money`]);
//! - the answer type (`answers.rs`): fields, `Debug` with secrets masked, `to_wire`, the
//!   reader that checks every field against its size in [`crate::limits`];
//! - the `#[repr(C)]` request and response structs, the reading of a C request into its Rust
//!   one and the copy of an answer into its C struct (`ffi/`); cbindgen puts the structs in
//!   `include/starpos.h`, and `scripts/gen_python_abi.py` makes the Python mirror from that.
//!
//! Beside each table, in `<endpoint>.rs`, the hand-written part: the rules no table says
//! (`fn rules` of a request: `pubSigPay`'s code or openid, the channel from a payment code;
//! `from_answer`: the result letters, which fields an outcome needs). The outcome rules
//! shared by all endpoints are in [`bind`] (binding, when a refusal is final) and `wire.rs`
//! (result first).
//!
//! Adding a field to a request: one `param(...)` in its table's `params`, at the end (the C
//! struct's order is the ABI, append-only), plus a test; a kind the builder does not know is
//! a new `In` variant (`tables/param.rs`) and its check in `request.rs`. A field of an
//! answer: one line in its table (`text(...)`, `field(...)`) and its name at the end of each
//! C struct's field list, plus a test. Adding an endpoint (revoke was the first added this
//! way):
//!
//! 1. `tables/<endpoint>.rs`: `REQUEST` and `ANSWER` with its C struct(s); list them in
//!    `tables/mod.rs`'s `REQUESTS` and `ALL`.
//! 2. `<endpoint>.rs`: `from_answer` calling the generated `read` with its result letters
//!    (`letters` below) and its own rules, and `fn rules` if the request has any (set
//!    `rules: true`); re-export the types here and in `lib.rs`.
//! 3. If it can move money: add it to [`bind::MONEY_ENDPOINTS`]; journal it (a
//!    `journal::Kind`, the ledger's `begin`/`learn` for how it is confirmed). A money fact
//!    the builder does not know yet is a wire name in [`Money::set`] / `set_fen`.
//! 4. `client/mod.rs`: the `Client` method (`journaled` for a money call).
//! 5. `ffi/calls.rs`: the `extern "C"` function (`respond`, `request.with`, `out.fill`);
//!    `scripts/abi.sh update` while unreleased.
//! 6. The simulator (`sim/src/handlers.rs`), the CLI command (`cli/src/args.rs`,
//!    `commands.rs`, `scripts/cli-share.sh`), Python (the method in
//!    `python/starpos/_client.py`; the answer class is one `ANSWER_CLASSES` line of
//!    `scripts/gen_python_abi.py`, which regenerates `_abi.py` and `_answers.py`), tests through the C
//!    ABI, docs/protocol.md and docs/c.md.

mod answers;
pub(crate) mod bind;
mod counter;
mod outgoing;
mod pay;
mod qry;
mod query;
mod refund;
pub(crate) mod request;
mod requests;
mod revoke;

pub use answers::{
    CounterPayResponse, PayResponse, QryResponse, QueryResponse, RefundResponse, RevokeResponse,
};
pub use counter::{channel_of_code, BarcodePayResponse, QrPayResponse, PAY_CHANNELS};
pub(crate) use outgoing::{Money, Outgoing};
pub use requests::{
    BarcodePayRequest, PayRequest, QrPayRequest, QryRequest, QueryRequest, RefundRequest,
    RevokeRequest,
};

use crate::error::Error;
use crate::fields;
use crate::wire::Answer;

/// The version sent when the caller names none.
pub const DEFAULT_VERSION: &str = fields::VERSIONS[0];
/// The version the gateway wants when `attach` or `openid` is used.
pub const EXTENDED_VERSION: &str = fields::VERSIONS[1];

/// `result`: what happened to the money.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TxnResult {
    /// `S`: paid (or refunded).
    Success,
    /// `F`: failed.
    Failed,
    /// `A`: waiting for the payer's authorisation; query again.
    Waiting,
    /// `Z`: unknown; query again.
    Unknown,
    /// `D`: revoked (order query only).
    Revoked,
}

impl TxnResult {
    /// The letter on the wire.
    pub fn as_char(self) -> char {
        match self {
            TxnResult::Success => 'S',
            TxnResult::Failed => 'F',
            TxnResult::Waiting => 'A',
            TxnResult::Unknown => 'Z',
            TxnResult::Revoked => 'D',
        }
    }

    /// The result for a wire letter.
    pub fn from_char(c: char) -> Option<TxnResult> {
        Some(match c {
            'S' => TxnResult::Success,
            'F' => TxnResult::Failed,
            'A' => TxnResult::Waiting,
            'Z' => TxnResult::Unknown,
            'D' => TxnResult::Revoked,
            _ => return None,
        })
    }

    /// True for `S`, `F` and `D`: the order will not change any more.
    pub fn is_final(self) -> bool {
        matches!(
            self,
            TxnResult::Success | TxnResult::Failed | TxnResult::Revoked
        )
    }
}

/// `result` as the wire letter, or empty when absent.
pub(crate) fn result_text(result: Option<TxnResult>) -> String {
    result.map(|r| r.as_char().to_string()).unwrap_or_default()
}

/// The version to send: the caller's if given (an empty one counts as not given), else `V1.0.1` when an extended field is used,
/// else `V1.0.0` (spec section 4).
pub(crate) fn version_for(explicit: Option<&str>, extended: bool) -> Result<String, Error> {
    match explicit.filter(|v| !v.is_empty()) {
        Some(v) => {
            fields::version("version", v)?;
            Ok(v.to_owned())
        }
        None if extended => Ok(EXTENDED_VERSION.to_owned()),
        None => Ok(DEFAULT_VERSION.to_owned()),
    }
}

/// Answer fields that are free text: over their size they are cut, never refused.
pub(crate) const FREE_TEXT: [&str; 4] = ["message", "subject", "goodsTag", "attach"];

/// The result letters each endpoint answers (spec section 5); any other is PROTOCOL.
pub(crate) mod letters {
    /// `pubSigPay`: never final (its `S` would not mean paid).
    pub const PAY: &str = "AZ";
    /// `sdkBarcodePay`.
    pub const BARCODE_PAY: &str = "SFAZ";
    /// `sdkBarcodePosPay` (`S`: the order was made, not paid).
    pub const QR_PAY: &str = "SFZ";
    /// `sdkQryBarcodePay`.
    pub const QUERY: &str = "SFAZD";
    /// `sdkRefundBarcodePay`.
    pub const REFUND: &str = "SFZ";
    /// `RevokeBarcodepay` (`S`: revoked).
    pub const REVOKE: &str = "SFZ";
}

/// Reads typed fields out of a verified answer, enforcing the sizes in [`crate::limits`].
pub(crate) struct Reader<'a> {
    answer: &'a Answer,
}

impl<'a> Reader<'a> {
    pub(crate) fn new(answer: &'a Answer) -> Reader<'a> {
        Reader { answer }
    }

    /// A text field (absent = empty) that must fit `size` bytes including a NUL. Free text
    /// ([`FREE_TEXT`]) over that is cut at a character boundary, with a warning in the log,
    /// never refused (spec section 5: the money facts decide, not the words); any other
    /// field over it is PROTOCOL.
    pub(crate) fn text(&self, name: &str, size: usize) -> Result<String, Error> {
        let value = self.answer.text(name);
        if value.len() >= size && FREE_TEXT.contains(&name) {
            let mut end = size.saturating_sub(1);
            while !value.is_char_boundary(end) {
                end -= 1;
            }
            crate::log::log(crate::log::Level::Warn, || {
                format!(
                    "answer field {name} is {} bytes, more than the {} it may have: cut to {end} \
                     bytes (the answer is used: free text never decides an outcome)",
                    value.len(),
                    size - 1
                )
            });
            return Ok(value[..end].to_owned());
        }
        if value.len() >= size {
            return Err(Error::protocol(format!(
                "answer field {name} is {} bytes, more than the {} allowed",
                value.len(),
                size - 1
            )));
        }
        Ok(value.to_owned())
    }

    /// Reads text fields into their slots, in the order given, stopping at the first that
    /// does not fit (as [`Reader::text`]). One loop instead of a call per field keeps each
    /// reader small (armv7 code size; docs/terminal.md).
    pub(crate) fn texts(&self, slots: &mut [(&mut String, &str, usize)]) -> Result<(), Error> {
        for (slot, name, size) in slots.iter_mut() {
            **slot = self.text(name, *size)?;
        }
        Ok(())
    }

    /// The first of `names` that the answer has (`logNo` / `LogNo`).
    pub(crate) fn text_any(&self, names: &[&str], size: usize) -> Result<String, Error> {
        let name = names
            .iter()
            .find(|n| self.answer.get(n).is_some())
            .unwrap_or(&names[0]);
        self.text(name, size)
    }

    /// A text field that must be present and non-empty.
    pub(crate) fn required(&self, name: &str, size: usize) -> Result<String, Error> {
        let value = self.text(name, size)?;
        if value.is_empty() {
            return Err(Error::protocol(format!("answer lacks the field {name}")));
        }
        Ok(value)
    }

    /// An amount in fen (absent = 0).
    pub(crate) fn fen(&self, name: &str) -> Result<u64, Error> {
        let value = self.answer.text(name);
        if value.is_empty() {
            return Ok(0);
        }
        if value.len() > 13 || !value.bytes().all(|b| b.is_ascii_digit()) {
            return Err(Error::protocol(format!(
                "answer field {name} is not an amount of at most 13 digits: {value:?}"
            )));
        }
        value
            .parse()
            .map_err(|_| Error::protocol(format!("answer field {name} is not a number")))
    }

    /// `result`, required and one of the letters `documented` for the endpoint (spec section
    /// 5: e.g. `"AZ"` for `pubSigPay`): an answer without one, or with a letter the endpoint
    /// does not answer, cannot say whether money moved, so it is PROTOCOL (in doubt), never
    /// taken as final.
    pub(crate) fn required_result(&self, documented: &str) -> Result<TxnResult, Error> {
        let result = self
            .result()?
            .ok_or_else(|| Error::protocol("answer lacks the field result"))?;
        if !documented.contains(result.as_char()) {
            return Err(Error::protocol(format!(
                "answer field result is {}, which this endpoint does not answer (only {}): \
                 the outcome is unknown",
                result.as_char(),
                documented
                    .chars()
                    .map(String::from)
                    .collect::<Vec<_>>()
                    .join(", ")
            )));
        }
        Ok(result)
    }

    /// `result`: one of S F A Z D, or absent/empty.
    pub(crate) fn result(&self) -> Result<Option<TxnResult>, Error> {
        let value = self.answer.text("result");
        let mut chars = value.chars();
        match (chars.next(), chars.next()) {
            (None, _) => Ok(None),
            (Some(c), None) => TxnResult::from_char(c).map(Some).ok_or_else(|| {
                Error::protocol(format!(
                    "answer field result is not one of S F A Z D: {value:?}"
                ))
            }),
            _ => Err(Error::protocol(format!(
                "answer field result is not one letter: {value:?}"
            ))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_rules() {
        assert_eq!(version_for(None, false).unwrap(), "V1.0.0");
        assert_eq!(version_for(None, true).unwrap(), "V1.0.1");
        // An explicit version wins, within the documented ones.
        assert_eq!(version_for(Some("V1.0.0"), true).unwrap(), "V1.0.0");
        assert_eq!(version_for(Some("V1.0.1"), false).unwrap(), "V1.0.1");
        assert!(version_for(Some("V2.0.0"), true).is_err());
        assert!(version_for(Some("V 1"), false).is_err());
        assert!(version_for(Some("1"), false).is_err());
        assert!(version_for(Some("V1.0.0.0.0.0"), false).is_err());
    }

    #[test]
    fn results() {
        for c in ['S', 'F', 'A', 'Z', 'D'] {
            assert_eq!(TxnResult::from_char(c).unwrap().as_char(), c);
        }
        assert!(TxnResult::Success.is_final());
        assert!(!TxnResult::Waiting.is_final());
        assert!(!TxnResult::Unknown.is_final());
    }
}
