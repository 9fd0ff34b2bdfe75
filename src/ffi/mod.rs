//! Layer 5: the C ABI. Only conversion lives here: check pointers, turn C strings into `&str`,
//! call the [`Client`](crate::Client), copy the answer into fixed buffers. Every exported
//! function catches panics (they become `STARPOS_ERR_INTERNAL`), accepts NULL for every
//! pointer, and keeps no global state beyond the shared connection pool and a thread-local
//! copy of the last error text.

#![allow(non_camel_case_types)]

mod answers;
mod calls;
mod cancel;
mod convert;
mod journal;
mod requests;
mod sized;
mod types;
mod util;

pub use calls::*;
pub use cancel::*;
pub use journal::*;
pub use sized::*;
pub use types::*;
pub use util::*;
