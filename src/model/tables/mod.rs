//! The endpoint tables: one per endpoint, data only, its `REQUEST` and its `ANSWER`.
//! `build.rs` reads them (this directory is not a module of the library; only `param.rs`,
//! the parameters' kinds, is shared with the request builder) and generates, for each
//! request, the Rust request type, its `#[repr(C)]` struct and the reading of one into the
//! other (`$OUT_DIR/requests.rs`, `ffi_requests.rs`, `ffi_read.rs`), and for each answer the
//! Rust answer type with its reader and `to_wire`, and each `#[repr(C)]` response struct
//! with its copy code (`answers.rs`, `ffi_answers.rs`, `ffi_fill.rs`). cbindgen reads the
//! generated C structs for `include/starpos.h`, and `scripts/gen_python_abi.py` makes the
//! Python mirror from that header: a field is written once, here.
//!
//! What a table cannot say stays in Rust beside it (`src/model/<endpoint>.rs`): the result
//! letters an endpoint answers, which fields an outcome needs (`logNo` unless `F`, `payCode`
//! for a QR order made), the binding rules (`model::bind`).
//!
//! The C struct's field list is its ABI: fields are only ever appended (`error` and
//! `verified` are in the middle of the older structs for that reason).

/// How an answer field is read and carried.
#[derive(Clone, Copy, PartialEq, Eq)]
#[allow(dead_code)]
pub enum Kind {
    /// Text that must fit the named size (`limits.rs`) including its NUL; absent = "".
    Text(&'static str),
    /// Text that must be present and not empty.
    Required(&'static str),
    /// An amount in fen, at most 13 digits; absent = 0.
    Fen,
    /// The `result` letter: required, one of the endpoint's letters (given to the reader).
    Result,
    /// Not read from the answer: the request's value, which binding checked (`tradeNo`).
    Sent(&'static str),
}

/// One field of an answer.
pub struct Field {
    /// The Rust and C field name.
    pub name: &'static str,
    /// The wire name.
    pub wire: &'static str,
    /// Another spelling the gateway uses for it (`LogNo`), or "".
    pub alias: &'static str,
    /// How it is read.
    pub kind: Kind,
    /// The Rust doc comment.
    pub doc: &'static str,
    /// The C doc comment; "" = the Rust one.
    pub c_doc: &'static str,
    /// `SECRET` / `WHEN_SET` bits.
    pub flags: u8,
}

/// A secret (`appIdKey`, `openId`): masked in `Debug`; never logged or journaled.
pub const SECRET: u8 = 1;
/// Listed by `to_wire` only when not empty (`payCode`, `openId`).
pub const WHEN_SET: u8 = 2;

/// One `#[repr(C)]` response struct made from an answer: its fields in ABI order, by name
/// (a field of the answer, or `error` / `verified`, which every struct has).
pub struct CStruct {
    /// The C name (`starpos_query_response`).
    pub name: &'static str,
    /// Its doc comment.
    pub doc: &'static str,
    /// Its doc comment for `verified`.
    pub verified_doc: &'static str,
    /// Its doc comment for `error`.
    pub error_doc: &'static str,
    /// The fields, in ABI order.
    pub fields: &'static [&'static str],
    /// Doc comments of this struct's own for some fields (name, doc): a type shared by two
    /// endpoints says per endpoint what a field holds.
    pub docs: &'static [(&'static str, &'static str)],
}

/// One endpoint's answer.
pub struct Answer {
    /// The Rust type (`QueryResponse`).
    pub rust: &'static str,
    /// Its doc comment.
    pub doc: &'static str,
    /// Its fields, in wire order (`to_wire`'s order).
    pub fields: &'static [Field],
    /// The C structs made from it.
    pub c: &'static [CStruct],
}

/// A field, for the tables below.
#[allow(clippy::too_many_arguments)]
pub const fn field(name: &'static str, wire: &'static str, kind: Kind, doc: &'static str) -> Field {
    Field {
        name,
        wire,
        alias: "",
        kind,
        doc,
        c_doc: "",
        flags: 0,
    }
}

impl Field {
    /// With a C doc comment of its own.
    pub const fn c(mut self, c_doc: &'static str) -> Field {
        self.c_doc = c_doc;
        self
    }
    /// With a Rust doc comment other than the shared field's.
    pub const fn doc_rust(mut self, doc: &'static str) -> Field {
        self.doc = doc;
        self
    }
    /// With flags.
    pub const fn flags(mut self, flags: u8) -> Field {
        self.flags = flags;
        self
    }
    /// With another wire spelling.
    pub const fn alias(mut self, alias: &'static str) -> Field {
        self.alias = alias;
        self
    }
}

/// The common answer parameters every endpoint answers first.
pub const RETURN_CODE: Field = field(
    "return_code",
    "returnCode",
    Kind::Required("STARPOS_RETURN_CODE_SIZE"),
    "`returnCode` (`000000`).",
)
.c("`returnCode`.");
/// `message`.
pub const MESSAGE: Field = field(
    "message",
    "message",
    Kind::Text("STARPOS_MESSAGE_SIZE"),
    "`message`, decoded.",
)
.c("`message`, URL-decoded.");
/// `sysTime`.
pub const SYS_TIME: Field = field(
    "sys_time",
    "sysTime",
    Kind::Text("STARPOS_SYS_TIME_SIZE"),
    "`sysTime`.",
);
/// `mercId`.
pub const MERC_ID: Field = field(
    "merc_id",
    "mercId",
    Kind::Text("STARPOS_MERC_ID_SIZE"),
    "`mercId`.",
);
/// `logNo` (also spelled `LogNo`).
pub const fn log_no(doc: &'static str) -> Field {
    field("log_no", "logNo", Kind::Text("STARPOS_LOG_NO_SIZE"), doc).alias("LogNo")
}
/// `amount`.
pub const AMOUNT: Field = field("amount", "amount", Kind::Fen, "`amount` in fen.");
/// `total_amount`.
pub const TOTAL_AMOUNT: Field = field(
    "total_amount",
    "total_amount",
    Kind::Fen,
    "`total_amount` in fen.",
);
/// `addField`.
pub const ADD_FIELD: Field = field(
    "add_field",
    "addField",
    Kind::Text("STARPOS_ADD_FIELD_SIZE"),
    "`addField` (common answer parameter, ≤ 256 GBK bytes).",
)
.c("`addField`, the common answer parameter, echoed or set by the gateway (≤ 256 GBK\nbytes).");
/// A text field named `name` on the wire as `wire`.
pub const fn text(
    name: &'static str,
    wire: &'static str,
    size: &'static str,
    doc: &'static str,
) -> Field {
    field(name, wire, Kind::Text(size), doc)
}

/// What every C struct says of `error`.
pub const ERROR_DOC: &str = "What went wrong, in words, when the status is not OK.";
/// What most C structs say of `verified`.
pub const VERIFIED_DOC: &str = "1 when the answer's signature was checked.";

mod counter;
mod pay;
mod qry;
mod query;
mod refund;
mod revoke;

/// Every answer table.
pub const ALL: &[&Answer] = &[
    &qry::ANSWER,
    &pay::ANSWER,
    &query::ANSWER,
    &refund::ANSWER,
    &counter::ANSWER,
    &revoke::ANSWER,
];

// ---- Requests ---------------------------------------------------------------------------

pub(crate) use param::{In, EXTENDS, REQUIRED};

#[path = "param.rs"]
mod param;

/// One request parameter: a field of the Rust request type and of its C struct, and the wire
/// field it is sent as.
pub struct Param {
    /// The Rust and C field name.
    pub name: &'static str,
    /// The wire name ("" for `txn_time`, which the client sends itself).
    pub wire: &'static str,
    /// How it is given and checked.
    pub kind: In,
    /// The Rust doc comment.
    pub doc: &'static str,
    /// The C doc comment.
    pub c_doc: &'static str,
    /// `SECRET` / `REQUIRED` / `EXTENDS` bits.
    pub flags: u8,
}

/// A parameter, for the tables below.
pub const fn param(
    name: &'static str,
    wire: &'static str,
    kind: In,
    doc: &'static str,
    c_doc: &'static str,
) -> Param {
    Param {
        name,
        wire,
        kind,
        doc,
        c_doc,
        flags: 0,
    }
}

impl Param {
    /// With flags.
    pub const fn flags(mut self, flags: u8) -> Param {
        self.flags = flags;
        self
    }
    /// With other doc comments (a shared parameter said per endpoint).
    pub const fn docs(mut self, doc: &'static str, c_doc: &'static str) -> Param {
        self.doc = doc;
        self.c_doc = c_doc;
        self
    }
}

/// One endpoint's request.
pub struct Request {
    /// The Rust type (`RefundRequest`).
    pub rust: &'static str,
    /// Its doc comment.
    pub doc: &'static str,
    /// The endpoint's name on the wire.
    pub endpoint: &'static str,
    /// True for the `sdk*` endpoints: `opSys`, `characterSet` sent, `tradeNo` numbered.
    pub common: bool,
    /// True when `model/<endpoint>.rs` adds rules of its own (`fn rules`).
    pub rules: bool,
    /// The C struct (`starpos_refund_request`).
    pub c: &'static str,
    /// Its doc comment.
    pub c_doc: &'static str,
    /// The parameters, in ABI order (the C struct's; the Rust type's too).
    pub params: &'static [Param],
}

/// `txn_time`, every request's first or a late parameter.
pub const TXN_TIME: Param = param(
    "txn_time",
    "",
    In::TxnTime,
    "`yyyyMMddHHmmss`; `None` = the terminal's local time now.",
    "`yyyyMMddHHmmss`; NULL = the terminal's local time now.",
);
/// `version` of an `sdk*` endpoint without extended fields.
pub const VERSION: Param = param(
    "version",
    "version",
    In::Version,
    "Protocol version; `None` = `V1.0.0`.",
    "Protocol version, \"V1.0.0\" or \"V1.0.1\"; NULL = V1.0.0.",
);
/// `tradeNo` of a request that is not a sale.
pub const TRADE_NO: Param = param(
    "trade_no",
    "tradeNo",
    In::TradeNo,
    "This request's own number (≤ 64); `None` = a new unique one, returned in the answer.",
    "This request's number, ≤ 64; NULL = generated, unique (returned in the response).",
);

/// Every request table.
pub const REQUESTS: &[&Request] = &[
    &qry::REQUEST,
    &pay::REQUEST,
    &query::REQUEST,
    &refund::REQUEST,
    &counter::BARCODE_REQUEST,
    &counter::QR_REQUEST,
    &revoke::REQUEST,
];
