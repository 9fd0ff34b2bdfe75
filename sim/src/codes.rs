//! The refusal codes the simulator answers with.
//!
//! The gateway documents only `000000` (processed); every other `returnCode` is a refusal whose
//! `message` says why. These six-digit codes are the simulator's own, one per kind of refusal,
//! so tests can tell them apart. Every refusal carries a `message` (Chinese, then the detail in
//! English) and `sysTime`, and is signed with the merchant key, except [`UNKNOWN_MERCHANT`] and
//! refusals of bodies that are not a JSON object, which cannot be tied to a key.

/// The request was processed (the gateway's only documented code).
pub const SUCCESS: &str = "000000";
/// The body is not a JSON object, or a field is missing or malformed; the message names it.
pub const BAD_REQUEST: &str = "100001";
/// `signValue` is missing or does not match the request.
pub const BAD_SIGNATURE: &str = "100002";
/// `orgNo`/`mercId` is not the merchant the simulator knows (answered unsigned).
pub const UNKNOWN_MERCHANT: &str = "100003";
/// No order has that `qryNo` / `orderNo`.
pub const ORDER_NOT_FOUND: &str = "100004";
/// The refund asks for more than remains refundable.
pub const REFUND_TOO_LARGE: &str = "100005";
/// The order is not in a state that allows this (a refund of an order that is not `S`, a
/// revoke of an order that has refunds).
pub const ORDER_STATE: &str = "100006";
/// The WeChat OAuth `code` was already used by an earlier payment (codes are single-use).
pub const CODE_USED: &str = "100007";
/// The number must be unique and was seen before: a payment's `selOrderNo`, or a refund's
/// `tradeNo`.
pub const DUPLICATE: &str = "100008";
/// The gateway is busy; sent only by the `unsigned_refusal` fault, unsigned.
pub const SYSTEM_BUSY: &str = "100009";
/// A revoke (`RevokeBarcodepay`) of a sale made on an earlier day (China time, by the
/// simulator's clock): the gateway revokes same-day sales only; a refund undoes older ones.
pub const REVOKE_NOT_TODAY: &str = "100010";

/// Why a request was refused: a code from this module and the message to send.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Refusal {
    pub code: &'static str,
    pub message: String,
}

impl Refusal {
    /// A refusal with `code` and `message`.
    pub fn new(code: &'static str, message: impl Into<String>) -> Self {
        Refusal {
            code,
            message: message.into(),
        }
    }

    /// A [`BAD_REQUEST`] refusal naming `field`.
    pub fn field(field: &str, problem: impl std::fmt::Display) -> Self {
        Refusal::new(BAD_REQUEST, format!("请求参数错误: {field}: {problem}"))
    }
}
