//! `starpos`: the StarPOS scan-payment gateway for Rust and (through [`ffi`]) for C firmware on
//! payment terminals: the counter sales, the WeChat official-account sale, queries, refunds,
//! and a sale journal that settles what a crash left open.
//!
//! Layers, each depending only on those above it (the modules are private: what is public
//! is re-exported here, plus the modules named below):
//!
//! 1. [`sign`]: the MD5 signature, pure functions.
//! 2. Validation, the endpoint tables (`src/model/tables/`: the answer types and the C
//!    structs are generated from them), typed requests and answers, binding, the JSON.
//! 3. The transport: HTTP/1.1 over a shared keep-alive pool; failures mapped to [`Status`].
//! 4. [`Client`]: the calls (`qry`, `pay`, `query`, `refund`, `revoke`, `wait`,
//!    `barcode_pay`, `qr_pay`, `barcode_sale`, `call`, `recover`); it keeps the sale journal
//!    ([`journal`], the storage) through the ledger (the bookkeeping), which never calls back.
//! 5. [`ffi`]: the C ABI, a thin conversion layer over [`Client`].
//!
//! Also public: [`log`] (where the library's log goes), [`wechat`] (the OAuth link and the
//! JSAPI parameters), [`limits`] (the C structs' buffer sizes). [`unversioned`] is not part
//! of the API: it holds what the simulator, the fuzzers, the tests and the benchmarks reach
//! inside, and changes in any release.

mod answer;
mod cancel;
mod charset;
mod client;
mod clock;
mod error;
pub mod ffi;
mod fields;
pub mod journal;
mod ledger;
pub mod limits;
pub mod log;
mod model;
mod percent;
mod redact;
pub mod sign;
mod transport;
pub mod wechat;
mod wipe;
mod wire;

pub use answer::Answer;
pub use cancel::Cancel;
pub use client::{
    BodyCharset, Client, Config, Progress, ProgressFn, WaitError, DEFAULT_JOURNAL_RETENTION,
    PRODUCTION_URL, SANDBOX_URL,
};
pub use error::{Error, Status};
pub use fields::MAX_AMOUNT_FEN;
pub use model::{
    channel_of_code, BarcodePayRequest, BarcodePayResponse, CounterPayResponse, PayRequest,
    PayResponse, QrPayRequest, QrPayResponse, QryRequest, QryResponse, QueryRequest, QueryResponse,
    RefundRequest, RefundResponse, RevokeRequest, RevokeResponse, TxnResult, PAY_CHANNELS,
};
pub use transport::Timeouts;

#[doc(hidden)]
pub mod unversioned {
    //! Not part of the API, with no stability promise: the insides the simulator (`sim/`), the
    //! fuzzers, the tests and the benchmarks reach, in one place (as ureq's `unversioned`).

    /// The JSON of requests and answers.
    pub mod wire {
        pub use crate::wire::{
            answer_utf8, call_fields, decode_answer, encode_answer, encode_request, sign_json,
            value_text, verify_json,
        };
    }
    /// The terminal's clock and `tradeNo`s.
    pub mod clock {
        pub use crate::clock::{clock_is_plainly_wrong, local_txn_time, new_trade_no};
    }
    /// The HTTP transport.
    pub mod transport {
        pub use crate::transport::{post, Connection, Reply, TLS_SUPPORTED};
        /// The HTTP/1.1 framing (no I/O).
        pub mod http1 {
            pub use crate::transport::http1::*;
        }
    }
    /// GBK.
    pub mod charset {
        pub use crate::charset::{gbk_to_utf8, utf8_to_gbk, GBK_SUPPORTED};
    }
    /// Percent-encoding.
    pub mod percent {
        pub use crate::percent::encode;
    }
    /// The stand-in for the transport that [`Client::with_exchange`](crate::Client) takes.
    pub use crate::client::Exchange;
}

/// This library's version (the crate version, `MAJOR.MINOR.PATCH`), as `starpos --version`
/// prints it.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
