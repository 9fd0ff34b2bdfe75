//! Wiping what held a secret when a call ends (issue 17, point 6): the request's wire fields
//! (`authCode`, OAuth `code`, `openid`), the signed body, the request bytes, the key's copies
//! and the C side's converted strings are overwritten with zeros before their memory is
//! freed, so a scan of the process's memory after the call finds none of them.
//!
//! The library's own buffers are wiped as `explicit_bzero` does: one `memset`-like write over
//! the whole allocation ([`std::ptr::write_bytes`]) followed by a compiler fence, so the write
//! is neither dropped as a dead store before the free nor moved past it. `zeroize` writes
//! each byte with its own volatile store, which the compiler may not merge or vectorise: the
//! same guarantee at several times the instructions on the request's few hundred bytes.

use std::borrow::Cow;
use std::ops::Deref;
use std::sync::atomic::{compiler_fence, Ordering};

/// Zeros `len` bytes at `ptr` in one write, then fences it (see the module).
///
/// # Safety
/// `ptr` must be valid for writes of `len` bytes.
unsafe fn zero(ptr: *mut u8, len: usize) {
    // SAFETY: the caller's promise.
    unsafe { std::ptr::write_bytes(ptr, 0, len) };
    // The write is observable: neither elided nor reordered after the free that follows.
    std::hint::black_box(ptr);
    compiler_fence(Ordering::SeqCst);
}

/// Wipes `bytes` and empties it: its whole allocation, spare capacity included, is zeroed.
pub(crate) fn vec(bytes: &mut Vec<u8>) {
    bytes.clear();
    // SAFETY: the allocation is valid for `capacity` bytes (writing zeros to its unused part
    // is allowed: nothing there is read as initialised, the length is 0).
    unsafe { zero(bytes.as_mut_ptr(), bytes.capacity()) };
}

/// Wipes `text` and empties it, as [`vec`].
pub(crate) fn string(text: &mut String) {
    // SAFETY: `vec` leaves the string empty, which is valid UTF-8.
    vec(unsafe { text.as_mut_vec() });
}

/// Wipes a string the caller handed over that had to be converted (GBK to UTF-8): a borrowed
/// one is the caller's and is left alone.
pub(crate) fn cow(text: &mut Option<Cow<'_, str>>) {
    if let Some(Cow::Owned(owned)) = text {
        string(owned);
    }
}

/// Bytes wiped ([`vec`]) when dropped: the signed request body.
pub(crate) struct Wiped(pub Vec<u8>);

impl Deref for Wiped {
    type Target = Vec<u8>;
    fn deref(&self) -> &Vec<u8> {
        &self.0
    }
}

impl Drop for Wiped {
    fn drop(&mut self) {
        vec(&mut self.0);
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_whole_allocation_is_zeroed_and_emptied() {
        let mut v = Vec::with_capacity(64);
        v.extend_from_slice(b"134567890123456789");
        let (ptr, cap) = (v.as_ptr(), v.capacity());
        super::vec(&mut v);
        assert!(v.is_empty());
        assert_eq!((v.as_ptr(), v.capacity()), (ptr, cap), "not reallocated");
        // SAFETY: the allocation is still v's, `cap` bytes, all written by `vec`.
        let all = unsafe { std::slice::from_raw_parts(ptr, cap) };
        assert!(all.iter().all(|&b| b == 0));
        let mut s = String::from("secret");
        super::string(&mut s);
        assert!(s.is_empty());
    }
}
