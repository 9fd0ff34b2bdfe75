//! The `#[repr(C)]` types of the C ABI. Field order is part of the ABI: fields are only ever
//! appended.

use crate::limits::*;
use std::ffi::c_void;
use std::os::raw::c_char;

/// The outcome of every call. 0 is success; the values never change and new ones are only
/// appended. `starpos_status_str` names them; `starpos_status_in_doubt` says which may hide a
/// payment that went through.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum starpos_status {
    /// Success; the answer was verified.
    STARPOS_OK = 0,
    /// Input rejected before anything was sent; `error` names the field and the rule.
    STARPOS_ERR_INVALID_ARGUMENT = 1,
    /// Gateway not reached; nothing was sent (DNS, TCP connect, TLS handshake: never once a
    /// byte of the request was written). Safe to retry.
    STARPOS_ERR_CONNECT = 2,
    /// Sent, no full answer in time: outcome unknown. After pay or refund: query, never resend.
    STARPOS_ERR_TIMEOUT = 3,
    /// HTTP status other than 200 (in doubt: query before retrying a pay or refund).
    STARPOS_ERR_HTTP = 4,
    /// Answer unparseable, incomplete or too large, the connection broke after sending, a
    /// result letter the endpoint does not answer, or an answer that is not this request's;
    /// also a money call's refusal without the request's `tradeNo` (`return_code`/`message`
    /// filled): it may be another request's (in doubt).
    STARPOS_ERR_PROTOCOL = 5,
    /// Answer's signValue missing or wrong: nothing in it is trusted; also a money call's
    /// unsigned refusal (`return_code`/`message` filled, `verified` 0): it may not come from the
    /// gateway (in doubt).
    STARPOS_ERR_SIGNATURE = 6,
    /// The gateway refused (no `result`); see `return_code` and `message`. Nothing moved: for
    /// a pay, QR pay, refund or revoke this is said only of a refusal proven this request's
    /// (signed, echoing its `tradeNo`; `pubSigPay`: signed).
    STARPOS_ERR_GATEWAY = 7,
    /// A bug was caught (a panic); the process lives on (in doubt).
    STARPOS_ERR_INTERNAL = 8,
    /// The sale journal could not be read or written (no space, read-only, locked, not a
    /// journal file); nothing was sent. `error` names the file and what to do.
    STARPOS_ERR_JOURNAL = 9,
    /// `config->cancel` was fired after a request may have left (a wait's pay, or a query
    /// answered or in flight): in doubt, as TIMEOUT. `trade_no` says what to query; the
    /// journal keeps the sale open.
    STARPOS_ERR_CANCELLED = 10,
    /// `config->cancel` was fired before the request was sent: nothing was sent.
    STARPOS_ERR_CANCELLED_NOT_SENT = 11,
}

/// `flags` bit: open a new connection for every call instead of keeping one alive.
pub const STARPOS_FLAG_NO_KEEPALIVE: u32 = 1;

/// `flags` bit: the caller's strings are GBK, not UTF-8. Inputs are converted to UTF-8 before
/// they are checked and signed (a string that is not valid GBK is INVALID_ARGUMENT naming the
/// field); answers (`message`, `subject`, ...) and `error` come back in GBK. Builds without the
/// `gbk` feature refuse it (INVALID_ARGUMENT).
pub const STARPOS_FLAG_GBK_STRINGS: u32 = 2;

/// `flags` bit: send request bodies in GBK (`Content-Type: application/json;charset=GBK`), the
/// gateway's documented encoding, instead of UTF-8. The signature is over the UTF-8 text either
/// way. Answers declared GBK are decoded whatever the flags.
pub const STARPOS_FLAG_GBK_BODY: u32 = 4;

/// `flags` bit: the closed loop. When `starpos_barcode_sale`, or `starpos_wait` on a QR
/// order's `trade_no`, gives up with the outcome still unknown (its deadline passed, or
/// `cancel` fired), it revokes the sale (`starpos_revoke`) and follows the revoke to its end,
/// so the payer is never charged for a sale the till gave up on (and a QR code shown can no
/// longer be paid): then OK with `result` 'D' (revoked; the revoke went even though `cancel`
/// was fired), or the sale's final state if it became final first ('S' paid: print the
/// receipt), or the in-doubt status with `error` saying what the revoke did. Everything is
/// journaled. With it, `starpos_wait`'s `qry_no` must be a counter sale's `tradeNo` (another
/// order's revoke is refused: the wait then ends in doubt, 15 s later). Without it, the sale
/// is left in doubt for the caller or `starpos_recover`.
pub const STARPOS_FLAG_REVOKE_ON_GIVE_UP: u32 = 8;

/// Where and as whom to call the gateway. Zero-initialise it (`starpos_config c = {0};`) and
/// set what you need: every zero field means its default. Strings are NUL-terminated UTF-8,
/// borrowed for the duration of the call only. In every request struct, a text or token
/// field whose whole value is the word `null` (any letter case) is INVALID_ARGUMENT naming
/// the field: the gateway would read it as absent; leave the field NULL instead.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct starpos_config {
    /// Base URL ending in `/`, `http://` (or `https://` in TLS builds), in plain URL characters
    /// (percent-encode the rest; no `#`). NULL or "" = the production gateway.
    pub base_url: *const c_char,
    /// `orgNo`, the institution number: 1–15 letters/digits. Required.
    pub org_no: *const c_char,
    /// `mercId`, the merchant number: 1–15 letters/digits. Required.
    pub merc_id: *const c_char,
    /// `trmNo`, the terminal number: 1–8 letters/digits. Required.
    pub trm_no: *const c_char,
    /// The merchant key (16–128 letters/digits). Required; never logged or echoed.
    pub key: *const c_char,
    /// Milliseconds for the DNS lookup and for the TCP connect, each; 0 = 10000.
    pub connect_timeout_ms: u32,
    /// Milliseconds for the whole call, DNS to the last byte of the answer; 0 = 30000.
    pub timeout_ms: u32,
    /// `STARPOS_FLAG_*` bits; 0 = defaults. Unknown bits are INVALID_ARGUMENT.
    pub flags: u32,
    /// https only (builds with the `tls` feature): path of a PEM file of CA certificates to
    /// trust instead of the built-in Mozilla roots (terminals have no system store). NULL or ""
    /// = the built-in roots. Ignored for http.
    pub ca_file: *const c_char,
    /// `trmTyp`, sent with every `sdk*` call: "P" smart POS, "I" smart POS (the iOS SDK's
    /// name for it), "A" app, "C" PC, "T" table sign; anything else is INVALID_ARGUMENT.
    /// NULL or "" = not sent.
    pub trm_typ: *const c_char,
    /// `oprId`, sent with every `sdk*` call: the cashier, ≤ 6 letters/digits. NULL or "" = not
    /// sent.
    pub opr_id: *const c_char,
    /// `latitude`, sent with every `sdk*` call: where the terminal is, degrees from -90 to 90
    /// as a decimal number with 1 to 5 decimals, ≤ 15 characters ("31.23042", "-31.5"), as
    /// the vendor's SDK docs define it; any other form is INVALID_ARGUMENT naming `latitude`.
    /// NULL or "" = not sent.
    pub latitude: *const c_char,
    /// `longitude`, as `latitude` but from -180 to 180 ("121.47370", "-121.5").
    pub longitude: *const c_char,
    /// The sale journal: a file the library owns (and `<journal_path>.lock` beside it). With a
    /// journal, every pay, barcode pay, QR pay and refund is recorded on stable storage before
    /// its first byte leaves, its outcome when known; `starpos_recover` settles what a crash
    /// left open. NULL or "" = no journal.
    pub journal_path: *const c_char,
    /// Days a settled sale stays in the journal (for reprints and end-of-day totals) before
    /// compaction drops it; 0 = 7.
    pub journal_retention_days: u32,
    /// A cancel handle (`starpos_cancel_new`) that ends `starpos_wait`, `starpos_barcode_sale`
    /// and `starpos_recover` within 100 ms when fired from any thread, also while a query is in
    /// flight over http; any call it is fired before sending sends nothing
    /// (STARPOS_ERR_CANCELLED_NOT_SENT). NULL = not cancellable. Must outlive the calls that
    /// use this config.
    pub cancel: *mut starpos_cancel,
    /// Called on the waiting thread of `starpos_wait` and `starpos_barcode_sale` once before
    /// the first query and after each query's answer or failure; NULL = not told. It should
    /// return quickly; it may fire `cancel`; it may call the library (the wait holds no lock
    /// while it runs).
    pub progress: starpos_progress_fn,
    /// Passed to `progress` as it is.
    pub progress_userdata: *mut c_void,
}

/// A cancel handle: made by `starpos_cancel_new`, fired by `starpos_cancel_request` from any
/// thread, freed by `starpos_cancel_free`. Opaque.
pub struct starpos_cancel {
    pub(crate) inner: crate::cancel::Cancel,
}

/// Where a wait stands, as `starpos_config.progress` is told. Valid only during the call.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct starpos_progress {
    /// The order being followed (NUL-terminated; the wait's `qry_no`, the sale's `tradeNo`).
    pub trade_no: *const c_char,
    /// The last answer's result letter, 0 when none yet.
    pub result: c_char,
    /// Queries sent so far in this wait.
    pub queries: u32,
    /// Milliseconds since the wait began.
    pub elapsed_ms: u64,
    /// Milliseconds from now until the next query goes (0 when none will: the wait ends).
    pub next_query_ms: u64,
}

/// The progress callback: `progress` is valid only during the call.
pub type starpos_progress_fn =
    Option<unsafe extern "C" fn(progress: *const starpos_progress, userdata: *mut c_void)>;

// The request structs, generated by build.rs from the request tables (src/model/tables/):
// cbindgen reads the same file.
include!(concat!(env!("OUT_DIR"), "/ffi_requests.rs"));

// The response structs, generated by build.rs from the answer tables (src/model/tables/):
// cbindgen reads the same file.
include!(concat!(env!("OUT_DIR"), "/ffi_answers.rs"));

/// One sale of the journal, as `starpos_recover` and `starpos_journal_list` report it. No key,
/// payment code, OAuth code or openid is ever in it.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct starpos_journal_entry {
    /// "pay" (pubSigPay), "barcode_pay", "qr_pay", "refund" or "revoke".
    pub kind: [c_char; STARPOS_KIND_SIZE],
    /// The sale's `tradeNo` (empty for "pay", which has none).
    pub trade_no: [c_char; STARPOS_TRADE_NO_SIZE],
    /// The merchant's order number sent with it.
    pub sel_order_no: [c_char; STARPOS_SEL_ORDER_NO_SIZE],
    /// The gateway's `logNo`, once an answer told it.
    pub log_no: [c_char; STARPOS_LOG_NO_SIZE],
    /// The channel's `orderNo`, once an answer told it (a refund of this sale needs it; for a
    /// "refund" entry, the order refunded; for a "revoke", the `tradeNo` of the sale revoked).
    pub order_no: [c_char; STARPOS_ORDER_NO_SIZE],
    /// The `txnTime` the sale was sent with.
    pub txn_time: [c_char; STARPOS_TXN_TIME_SIZE],
    /// Fen paid (refund: fen refunded; one sent without an amount records what its answer
    /// gave back, 0 until that answer came).
    pub amount: u64,
    /// Order total in fen.
    pub total_amount: u64,
    /// OK = the final state is known (`result`); an in-doubt status = still unknown (`error`
    /// says why and what to query); another status = the sale was refused, no money moved.
    pub status: starpos_status,
    /// 'S' 'F' 'D' when final; else 0 or the last 'A'/'Z' (a QR order made but not yet paid
    /// is 0: its pay's 'S' only made the order).
    pub result: c_char,
    /// 1 when nothing more will be learned or done for this sale (final, refused, or given up
    /// with a reason in `error`): `starpos_recover` neither queries nor reports it again.
    pub settled: bool,
    /// When the sale was recorded: milliseconds since 1970-01-01 UTC.
    pub created_unix_ms: u64,
    /// Why the sale is not final, or what recovery found, in words.
    pub error: [c_char; STARPOS_ERROR_SIZE],
    /// The gateway's `sysTime` (`yyyyMMddHHmmss`, China time) of the last signed answer about
    /// the sale: the gateway's clock, right even when the terminal's is not. Empty until one.
    pub sys_time: [c_char; STARPOS_SYS_TIME_SIZE],
    /// While the sale has had no answer: how many signed answers bound to their queries said
    /// the gateway does not know it (the evidence for "never arrived", which needs 3 over ten
    /// minutes of the gateway's clock).
    pub not_found: u32,
    /// Recovery passes that ended with the sale still open.
    pub recoveries: u32,
    /// 1 when the sale needs a person: still open after 3 recovery passes. It is still queried
    /// by every `starpos_recover`; look its `trade_no` up in the merchant's back office.
    pub attention: bool,
    /// `payChannel`: "WXPAY", "ALIPAY" or "YLPAY", the answer's, else the one a counter sale
    /// was sent with; a refund's is the order's it refunds (when the journal holds that order
    /// or a query of it told). Empty while unknown (a pubSigPay before a query told it, or a
    /// sale recorded by a library before 0.3).
    pub pay_channel: [c_char; STARPOS_PAY_CHANNEL_SIZE],
    /// `oprId`, the cashier the sale was sent for (`config->opr_id`); empty when none was
    /// configured.
    pub opr_id: [c_char; STARPOS_OPR_ID_SIZE],
}

/// Called once per journal entry by `starpos_recover` and `starpos_journal_list`, on the
/// calling thread, before the function returns. `entry` is valid only during the call.
pub type starpos_journal_fn =
    Option<unsafe extern "C" fn(entry: *const starpos_journal_entry, userdata: *mut c_void)>;

/// One line of the closing summary (`starpos_journal_summary`): the sales of one kind on one
/// channel that the journal holds.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct starpos_summary_row {
    /// "pay" (pubSigPay), "barcode_pay", "qr_pay", "refund" or "revoke".
    pub kind: [c_char; STARPOS_KIND_SIZE],
    /// "WXPAY", "ALIPAY", "YLPAY"; empty for the sales whose channel is not known.
    pub pay_channel: [c_char; STARPOS_PAY_CHANNEL_SIZE],
    /// How many sales: paid, failed, refused and open alike.
    pub count: u32,
    /// Fen paid: the amounts of the settled pays whose result is 'S' (a QR order made but
    /// not yet paid is not paid).
    pub paid_fen: u64,
    /// Fen refunded: the amounts of the settled refunds whose result is 'S'.
    pub refunded_fen: u64,
    /// Fen revoked: the amounts of the settled revokes whose result is 'S' (the sales they
    /// revoked are then recorded 'D', not in `paid_fen`; a sale revoked twice counts once).
    pub revoked_fen: u64,
    /// How many of the sales are still open (outcome unknown, or a QR order not paid yet):
    /// `starpos_journal_list` lists them (`settled` 0), `starpos_recover` settles them.
    pub open: u32,
}

/// Called once per row by `starpos_journal_summary`, on the calling thread, before the
/// function returns. `row` is valid only during the call.
pub type starpos_summary_fn =
    Option<unsafe extern "C" fn(row: *const starpos_summary_row, userdata: *mut c_void)>;
