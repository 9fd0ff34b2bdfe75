//! The exported cancel handle: made, fired from any thread, freed.

use super::types::starpos_cancel;

/// A new cancel handle, not fired; NULL when the process may open no more file descriptors.
/// Put it in `starpos_config.cancel`; fire it with `starpos_cancel_request`; free it with
/// `starpos_cancel_free` once no call uses it. One handle may serve many calls, but once fired
/// it stays fired: make a new one per sale.
#[no_mangle]
pub extern "C" fn starpos_cancel_new() -> *mut starpos_cancel {
    match crate::cancel::Cancel::new() {
        Ok(inner) => Box::into_raw(Box::new(starpos_cancel { inner })),
        Err(_) => std::ptr::null_mut(),
    }
}

/// Fires the handle: every wait using it ends within 100 ms (STARPOS_ERR_CANCELLED, in doubt
/// once a money request may have left), and every call that has not sent yet sends nothing
/// (STARPOS_ERR_CANCELLED_NOT_SENT). Any thread, any number of times; NULL is ignored.
/// Async-signal-safe (an atomic swap and one `write`).
///
/// # Safety
/// `cancel` is NULL or a handle from `starpos_cancel_new` not yet freed.
#[no_mangle]
pub unsafe extern "C" fn starpos_cancel_request(cancel: *mut starpos_cancel) {
    // SAFETY: NULL or a live handle, as documented.
    if let Some(handle) = unsafe { cancel.as_ref() } {
        handle.inner.request();
    }
}

/// Frees a handle from `starpos_cancel_new`; NULL is ignored.
///
/// # Safety
/// `cancel` is NULL or a handle from `starpos_cancel_new`, freed once, that no call in
/// progress uses.
#[no_mangle]
pub unsafe extern "C" fn starpos_cancel_free(cancel: *mut starpos_cancel) {
    if !cancel.is_null() {
        // SAFETY: made by Box::into_raw in starpos_cancel_new, freed once (documented).
        drop(unsafe { Box::from_raw(cancel) });
    }
}
