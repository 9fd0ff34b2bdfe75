//! `starpos`: the StarPOS scan-payment gateway for Rust and (through [`ffi`]) for C firmware on
//! payment terminals: the counter sales, the WeChat official-account sale, queries, refunds,
//! and a sale journal that settles what a crash left open.
//!
//! Layers, each depending only on those above it:
//!
//! 1. [`sign`]: the MD5 signature, pure functions.
//! 2. [`fields`], [`model`], [`wire`]: validation, typed requests and answers, the JSON.
//! 3. [`transport`]: HTTP over one shared keep-alive agent; failures mapped to [`Status`].
//! 4. [`Client`]: the calls (`qry`, `pay`, `query`, `refund`, `wait`, `barcode_pay`, `qr_pay`,
//!    `barcode_sale`, `call`, `recover`), one type in [`client`]; it keeps the sale journal
//!    ([`journal`], the storage) through the ledger (the bookkeeping), which never calls back.
//! 5. [`ffi`]: the C ABI, a thin conversion layer over [`Client`].

pub mod answer;
pub mod cancel;
pub mod charset;
pub mod client;
pub mod clock;
pub mod error;
pub mod ffi;
pub mod fields;
pub mod journal;
pub(crate) mod ledger;
pub mod limits;
pub mod log;
pub mod model;
pub mod percent;
pub mod redact;
pub mod sign;
pub mod transport;
pub mod wechat;
pub(crate) mod wipe;
pub mod wire;

pub use cancel::Cancel;
pub use client::{BodyCharset, Client, Config, WaitError, PRODUCTION_URL, SANDBOX_URL};
pub use error::{Error, Status};
pub use model::{
    BarcodePayRequest, BarcodePayResponse, CounterPayResponse, PayRequest, PayResponse,
    QrPayRequest, QrPayResponse, QryRequest, QryResponse, QueryRequest, QueryResponse,
    RefundRequest, RefundResponse, RevokeRequest, RevokeResponse, TxnResult,
};
pub use transport::Timeouts;

/// This library's version (the crate version, `MAJOR.MINOR.PATCH`), as `starpos --version`
/// prints it.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
