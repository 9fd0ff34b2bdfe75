//! How a request parameter is given and checked: shared by the tables (read by `build.rs`)
//! and the library's request builder (`model/request.rs`), which checks a value by its kind.

/// How a request parameter is given and checked.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[allow(dead_code)]
pub enum In {
    /// `yyyyMMddHHmmss` or none (the terminal's clock): the client checks and sends it.
    TxnTime,
    /// One of the documented versions, or none: `V1.0.0`, or `V1.0.1` when a parameter
    /// flagged [`EXTENDS`] is given.
    Version,
    /// The request's own `tradeNo`: a token of at most 64, or none (the client numbers it).
    TradeNo,
    /// A token: printable ASCII without spaces, at most this many characters.
    Token(usize),
    /// Free text: at most this many bytes counted in GBK.
    Text(usize),
    /// A payment code: printable ASCII, at most this many; its value is never put in an error.
    Code(usize),
    /// A payment channel: `WXPAY`, `ALIPAY` or `YLPAY`.
    Channel,
    /// An amount in fen: 0 < fen < 10^13.
    Fen,
    /// An amount in fen, or 0 = not sent.
    FenOrNone,
}

/// Required: the Rust field is `&str`, and an empty one is refused ("is required").
pub(crate) const REQUIRED: u8 = 4;
/// Using it makes the default version `V1.0.1` (`attach`, `openid`).
pub(crate) const EXTENDS: u8 = 8;
