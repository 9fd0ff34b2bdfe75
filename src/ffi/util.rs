//! The exported helpers: status names, version, low-level signing, the WeChat steps.

use super::convert::*;
use super::types::*;
use crate::error::Status;
use crate::{fields, wire};
use std::ffi::{c_void, CStr, CString};
use std::os::raw::{c_char, c_int};

/// The name of a status (`"OK"`, `"SIGNATURE"`, ...): static, never NULL; `"UNKNOWN"` for a
/// value that is not a status. It takes an `int` rather than `starpos_status` so that any
/// value a caller passes is safe (a `starpos_status` converts to it implicitly).
#[no_mangle]
pub extern "C" fn starpos_status_str(status: c_int) -> *const c_char {
    let name: &'static CStr = match Status::from_code(i64::from(status)) {
        Some(Status::Ok) => c"OK",
        Some(Status::InvalidArgument) => c"INVALID_ARGUMENT",
        Some(Status::Connect) => c"CONNECT",
        Some(Status::Timeout) => c"TIMEOUT",
        Some(Status::Http) => c"HTTP",
        Some(Status::Protocol) => c"PROTOCOL",
        Some(Status::Signature) => c"SIGNATURE",
        Some(Status::Gateway) => c"GATEWAY",
        Some(Status::Internal) => c"INTERNAL",
        Some(Status::Journal) => c"JOURNAL",
        Some(Status::Cancelled) => c"CANCELLED",
        Some(Status::CancelledNotSent) => c"CANCELLED_NOT_SENT",
        None => c"UNKNOWN",
    };
    name.as_ptr()
}

/// 1 when a pay or refund that ended with `status` may have taken effect (TIMEOUT, HTTP,
/// PROTOCOL, SIGNATURE, INTERNAL): query the order, never resend. 0 otherwise, including for
/// values that are not statuses. Takes an `int` like `starpos_status_str`.
#[no_mangle]
pub extern "C" fn starpos_status_in_doubt(status: c_int) -> bool {
    Status::from_code(i64::from(status)).is_some_and(Status::in_doubt)
}

/// The library's version (`"0.3.0"`), static, never NULL.
#[no_mangle]
pub extern "C" fn starpos_version() -> *const c_char {
    const VERSION: &str = concat!(env!("CARGO_PKG_VERSION"), "\0");
    VERSION.as_ptr().cast()
}

/// The words of this thread's last failed call, or "" after a call that succeeded. Valid
/// until this thread's next call into the library. Never NULL.
#[no_mangle]
pub extern "C" fn starpos_last_error() -> *const c_char {
    last_error_ptr()
}

/// Signs any JSON object per the gateway's rule (a `signValue` in it is ignored; numbers sign
/// as their text) and writes the 32 hex characters and a NUL into `signature` (33 bytes).
/// Returns OK or INVALID_ARGUMENT (not a JSON object of plain values, bad key, NULL).
///
/// # Safety
/// Strings are NULL or NUL-terminated; `signature` is NULL or has 33 writable bytes.
#[no_mangle]
pub unsafe extern "C" fn starpos_sign_json(
    json_object: *const c_char,
    key: *const c_char,
    signature: *mut c_char,
) -> starpos_status {
    write_text(
        signature,
        if signature.is_null() { 0 } else { 33 },
        Strings::default(),
        || {
            let json = req_str(json_object, "json_object")?;
            let key = req_str(key, "key")?;
            fields::key(key)?;
            wire::sign_json(json, key)
        },
        |_| None,
    )
}

/// Checks the `signValue` of a gateway answer as received (`message` percent-encoded; it is
/// decoded before checking, as the gateway signs it). OK = genuine; SIGNATURE = missing or
/// wrong; INVALID_ARGUMENT = not a JSON object, bad key, NULL.
///
/// # Safety
/// Strings are NULL or NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn starpos_verify_json(
    json_object: *const c_char,
    key: *const c_char,
) -> starpos_status {
    guarded(|| {
        let json = req_str(json_object, "json_object")?;
        let key = req_str(key, "key")?;
        fields::key(key)?;
        wire::verify_json(json, key)
    })
}

/// Writes WeChat's `snsapi_base` authorize link into `out`: `redirect_uri` (http or https) is
/// percent-encoded; `state` may be NULL, else 1–128 ASCII letters and digits. Returns OK or
/// INVALID_ARGUMENT (bad input, or `out_len` too small: the size needed is in `out` and
/// `starpos_last_error`).
///
/// # Safety
/// Strings are NULL or NUL-terminated; `out` is NULL or has `out_len` writable bytes.
#[no_mangle]
pub unsafe extern "C" fn starpos_wechat_oauth_url(
    app_id: *const c_char,
    redirect_uri: *const c_char,
    state: *const c_char,
    out: *mut c_char,
    out_len: usize,
) -> starpos_status {
    // The same as the `_sized` form, without the size out-parameter: one copy of the code.
    // SAFETY: the same pointers, as documented; `needed` NULL is accepted.
    unsafe {
        super::sized::starpos_wechat_oauth_url_sized(
            app_id,
            redirect_uri,
            state,
            out,
            out_len,
            std::ptr::null_mut(),
        )
    }
}

/// Writes the `getBrandWCPayRequest` object for the H5 page (`appId`, `timeStamp`,
/// `nonceStr`, `package`, `signType`, `paySign`, in that order) as JSON into `out`, from a pay
/// response that came back OK. Returns OK or INVALID_ARGUMENT (a field missing, or `out_len`
/// too small: the size needed is in `out` and `starpos_last_error`).
///
/// # Safety
/// `pay` is NULL or a valid response; `out` is NULL or has `out_len` writable bytes.
#[no_mangle]
pub unsafe extern "C" fn starpos_wechat_jsapi_params(
    pay: *const starpos_pay_response,
    out: *mut c_char,
    out_len: usize,
) -> starpos_status {
    // The same as the `_sized` form, without the size out-parameter: one copy of the code.
    // SAFETY: the same pointers, as documented; `needed` NULL is accepted.
    unsafe {
        super::sized::starpos_wechat_jsapi_params_sized(pay, out, out_len, std::ptr::null_mut())
    }
}

/// A C logging callback: `level` 1 error, 2 warning, 3 info, 4 debug; `message` is UTF-8,
/// valid only during the call; `userdata` is what was given to `starpos_set_logger`.
pub type starpos_log_fn =
    Option<unsafe extern "C" fn(level: i32, message: *const c_char, userdata: *mut c_void)>;

/// The caller's userdata pointer, handed back untouched from any thread.
struct UserData(*mut c_void);
// SAFETY: the library never dereferences the pointer; making the callback thread-safe is the
// caller's side of the contract, as documented on starpos_set_logger.
unsafe impl Send for UserData {}
unsafe impl Sync for UserData {}

impl UserData {
    fn get(&self) -> *mut c_void {
        self.0
    }
}

/// Installs a process-wide logger (NULL `callback` = off). It is called from whichever thread
/// makes a call, so it must be thread-safe. Messages tell which call went where, its status,
/// its time and the gateway's serials; they never contain the key, `appIdKey`, `signValue` or
/// an OAuth code.
///
/// # Safety
/// `callback`, if not NULL, must be callable from any thread until it is replaced.
#[no_mangle]
pub unsafe extern "C" fn starpos_set_logger(callback: starpos_log_fn, userdata: *mut c_void) {
    let _ = std::panic::catch_unwind(|| match callback {
        None => crate::log::set_logger(None),
        Some(f) => {
            let userdata = UserData(userdata);
            crate::log::set_logger(Some(std::sync::Arc::new(move |level, message: &str| {
                let text = CString::new(message.replace('\0', " ")).unwrap_or_default();
                // SAFETY: the caller promised the callback is valid until replaced.
                unsafe { f(level as i32, text.as_ptr(), userdata.get()) };
            })));
        }
    });
}
