//! Wiping what held a secret when a call ends (issue 17, point 6): the request's wire fields
//! (`authCode`, OAuth `code`, `openid`), the signed body, the request bytes, the key's copies
//! and the C side's converted strings are overwritten with zeros before their memory is
//! freed, so a scan of the process's memory after the call finds none of them.

use std::borrow::Cow;
use zeroize::Zeroize;

pub use zeroize::Zeroizing;

/// Wipes a string the caller handed over that had to be converted (GBK to UTF-8): a borrowed
/// one is the caller's and is left alone.
pub(crate) fn cow(text: &mut Option<Cow<'_, str>>) {
    if let Some(Cow::Owned(owned)) = text {
        owned.zeroize();
    }
}
