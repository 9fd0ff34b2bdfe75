//! Sizes of the answer fields, in bytes including the terminating NUL. They size the C
//! structs' fixed buffers and bound what the Rust API accepts from the gateway, so a value that
//! one layer accepts always fits the other.
//!
//! Identifiers get at least twice their documented maximum plus the NUL. Free text (`subject`,
//! `goods_tag`, `attach`) is documented in GBK bytes (spec section 10: a Chinese character is 2
//! bytes there, 3 in UTF-8), so its buffer holds 1.5 times the documented byte maximum plus the
//! NUL: a legitimate answer always fits (`addField`, 256 GBK bytes, likewise). `message` gets
//! three bytes per documented character.

/// `returnCode` (documented max 10).
pub const STARPOS_RETURN_CODE_SIZE: usize = 24;
/// `message` (documented max 100 characters).
pub const STARPOS_MESSAGE_SIZE: usize = 320;
/// `sysTime` (14 digits).
pub const STARPOS_SYS_TIME_SIZE: usize = 32;
/// `mercId` (documented max 15).
pub const STARPOS_MERC_ID_SIZE: usize = 32;
/// `appId` (documented max 32).
pub const STARPOS_APP_ID_SIZE: usize = 72;
/// `appIdKey` (documented max 128).
pub const STARPOS_APP_ID_KEY_SIZE: usize = 264;
/// `attach` (documented max 512 GBK bytes in the `sdk*` answers: 768 UTF-8 bytes + NUL).
pub const STARPOS_ATTACH_SIZE: usize = 776;
/// `logNo` (documented max 20).
pub const STARPOS_LOG_NO_SIZE: usize = 48;
/// `orderNo` (documented max 64).
pub const STARPOS_ORDER_NO_SIZE: usize = 136;
/// `tradeNo` (documented max 64).
pub const STARPOS_TRADE_NO_SIZE: usize = 136;
/// `PrepayId` (documented max 64).
pub const STARPOS_PREPAY_ID_SIZE: usize = 136;
/// `apiAppid`, `apiTimestamp`, `apiNoncestr`, `apiSigntype` (documented max 32 each).
pub const STARPOS_API_SHORT_SIZE: usize = 72;
/// `apiPackage` (documented max 128).
pub const STARPOS_API_PACKAGE_SIZE: usize = 264;
/// `apiPaysign` (documented max 64).
pub const STARPOS_API_PAYSIGN_SIZE: usize = 136;
/// `subject` (documented max 512 GBK bytes in the `sdk*` answers: 768 UTF-8 bytes + NUL).
pub const STARPOS_SUBJECT_SIZE: usize = 776;
/// `selOrderNo` (documented max 50).
pub const STARPOS_SEL_ORDER_NO_SIZE: usize = 104;
/// `goodsTag` (documented max 512 GBK bytes in the `sdk*` answers: 768 UTF-8 bytes + NUL).
pub const STARPOS_GOODS_TAG_SIZE: usize = 776;
/// `payChannel` (`ALIPAY`, `WXPAY`, `YLPAY`).
pub const STARPOS_PAY_CHANNEL_SIZE: usize = 24;
/// `payCode` of the QR sale (documented max 256): the text to render as the QR code.
pub const STARPOS_PAY_CODE_SIZE: usize = 520;
/// `txnTime` (14 digits).
pub const STARPOS_TXN_TIME_SIZE: usize = 16;
/// The `kind` of a journal entry (`"barcode_pay"` is the longest).
pub const STARPOS_KIND_SIZE: usize = 16;
/// The `error` text of every response struct (cut at a UTF-8 boundary when longer).
pub const STARPOS_ERROR_SIZE: usize = 512;
/// `openId` of the `sdkBarcodePay` answer: the payer's openid in WeChat. Neither the gateway's
/// docs nor the spec give its maximum; WeChat Pay documents `openid` as at most 128
/// characters, so 128 is taken as the documented maximum: twice that plus the NUL, as
/// `appIdKey`. A secret: never logged, printed in clear or journaled.
pub const STARPOS_OPEN_ID_SIZE: usize = 264;
/// `oprId`, the cashier (at most 6 letters and digits).
pub const STARPOS_OPR_ID_SIZE: usize = 16;
/// `addField` of every `sdk*` answer (documented max 256 GBK bytes: 384 UTF-8 bytes + NUL).
pub const STARPOS_ADD_FIELD_SIZE: usize = 392;

/// An `answer_json` buffer of `starpos_call` this large holds any answer: the JSON of an answer
/// body of at most 64 KiB, every byte of which JSON may write as at most 6 (`\u00XX`), and the
/// NUL. `starpos_call` to an endpoint that can move money refuses a smaller buffer before
/// sending (INVALID_ARGUMENT, nothing sent): that answer could not be handed back, nor asked
/// for again.
pub const STARPOS_CALL_ANSWER_SIZE: usize = 393_217; // 6 * 64 KiB + 1

/// The most bytes of an answer body the library reads; a longer answer is a PROTOCOL error and
/// is never buffered whole.
pub const MAX_ANSWER_BYTES: u64 = 64 * 1024;
