//! Conversions between C and Rust: pointers, strings, fixed buffers, statuses, the thread's
//! last error, and the skeleton every exported call shares.

use super::types::*;
use crate::client::{BodyCharset, Client, Config};
use crate::error::{Error, Status};
use crate::transport::Timeouts;
use crate::wire::Answer;
use std::borrow::Cow;
use std::cell::RefCell;
use std::ffi::{CStr, CString};
use std::os::raw::c_char;
use std::os::unix::ffi::OsStrExt;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;
use std::time::Duration;

/// The longest C string read (bytes); anything longer is INVALID_ARGUMENT, so a missing NUL
/// in caller memory cannot make the library read without bound.
pub(crate) const MAX_C_STRING: usize = 64 * 1024;

/// The words given for a caught panic.
pub(crate) const PANIC_TEXT: &str = "internal error: a panic was caught at the library boundary";

impl From<Status> for starpos_status {
    fn from(status: Status) -> starpos_status {
        use starpos_status::*;
        match status {
            Status::Ok => STARPOS_OK,
            Status::InvalidArgument => STARPOS_ERR_INVALID_ARGUMENT,
            Status::Connect => STARPOS_ERR_CONNECT,
            Status::Timeout => STARPOS_ERR_TIMEOUT,
            Status::Http => STARPOS_ERR_HTTP,
            Status::Protocol => STARPOS_ERR_PROTOCOL,
            Status::Signature => STARPOS_ERR_SIGNATURE,
            Status::Gateway => STARPOS_ERR_GATEWAY,
            Status::Internal => STARPOS_ERR_INTERNAL,
            Status::Journal => STARPOS_ERR_JOURNAL,
            Status::Cancelled => STARPOS_ERR_CANCELLED,
            Status::CancelledNotSent => STARPOS_ERR_CANCELLED_NOT_SENT,
        }
    }
}

thread_local! {
    static LAST_ERROR: RefCell<CString> = RefCell::new(CString::default());
}

/// Records `text` as this thread's last error (`starpos_last_error`).
pub(crate) fn set_last_error(text: &str) {
    let c = CString::new(text.replace('\0', " ")).unwrap_or_default();
    LAST_ERROR.with(|cell| *cell.borrow_mut() = c);
}

/// Clears this thread's last error: done at the start of every call.
pub(crate) fn clear_last_error() {
    LAST_ERROR.with(|cell| *cell.borrow_mut() = CString::default());
}

/// This thread's last error, valid until its next call into the library.
pub(crate) fn last_error_ptr() -> *const c_char {
    LAST_ERROR.with(|cell| cell.borrow().as_ptr())
}

/// Borrows `*ptr`, or fails naming `name` when it is NULL.
///
/// # Safety
/// `ptr` is NULL or points to a valid `T` for the duration of the call.
pub(crate) unsafe fn arg<'a, T>(ptr: *const T, name: &str) -> Result<&'a T, Error> {
    ptr.as_ref().ok_or_else(|| Error::invalid(name, "is NULL"))
}

/// Reads the bytes of an optional C string: NULL and "" are both absent.
///
/// # Safety
/// `ptr` is NULL or points to a NUL-terminated string.
unsafe fn opt_bytes<'a>(ptr: *const c_char, field: &str) -> Result<Option<&'a [u8]>, Error> {
    if ptr.is_null() {
        return Ok(None);
    }
    let len = libc::strnlen(ptr, MAX_C_STRING + 1);
    if len > MAX_C_STRING {
        return Err(Error::invalid(
            field,
            format!("is longer than {MAX_C_STRING} bytes"),
        ));
    }
    if len == 0 {
        return Ok(None);
    }
    Ok(Some(CStr::from_ptr(ptr).to_bytes()))
}

/// Reads an optional UTF-8 C string: NULL and "" are both absent.
///
/// # Safety
/// `ptr` is NULL or points to a NUL-terminated string.
pub(crate) unsafe fn opt_str<'a>(
    ptr: *const c_char,
    field: &str,
) -> Result<Option<&'a str>, Error> {
    opt_bytes(ptr, field)?
        .map(|bytes| {
            std::str::from_utf8(bytes).map_err(|e| {
                Error::invalid(
                    field,
                    format!("is not valid UTF-8 (at byte {})", e.valid_up_to()),
                )
            })
        })
        .transpose()
}

/// Reads a required C string.
///
/// # Safety
/// As [`opt_str`].
pub(crate) unsafe fn req_str<'a>(ptr: *const c_char, field: &str) -> Result<&'a str, Error> {
    opt_str(ptr, field)?.ok_or_else(|| Error::invalid(field, "is required"))
}

/// How one call reads and writes the caller's strings: UTF-8, or GBK when the configuration
/// has `STARPOS_FLAG_GBK_STRINGS` (inputs converted to UTF-8 before validation and signing,
/// answers and error words converted back).
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Strings {
    gbk: bool,
}

impl Strings {
    /// The conversion `config` asks for (UTF-8 when it is NULL).
    ///
    /// # Safety
    /// `config` is NULL or points to a valid `starpos_config`.
    pub(crate) unsafe fn of(config: *const starpos_config) -> Strings {
        Strings {
            gbk: config
                .as_ref()
                .is_some_and(|c| c.flags & STARPOS_FLAG_GBK_STRINGS != 0),
        }
    }

    /// Reads an optional caller string.
    ///
    /// # Safety
    /// As [`opt_str`].
    pub(crate) unsafe fn opt<'a>(
        self,
        ptr: *const c_char,
        field: &str,
    ) -> Result<Option<Cow<'a, str>>, Error> {
        if !self.gbk {
            return Ok(opt_str(ptr, field)?.map(Cow::Borrowed));
        }
        match opt_bytes(ptr, field)? {
            None => Ok(None),
            Some(bytes) if bytes.is_ascii() => Ok(Some(Cow::Borrowed(
                std::str::from_utf8(bytes).unwrap_or_default(),
            ))),
            Some(bytes) => crate::charset::gbk_to_utf8(bytes, field).map(|s| Some(Cow::Owned(s))),
        }
    }

    /// Reads several optional caller strings in order, as [`Strings::opt`]; the first that is
    /// bad ends the reading. One loop instead of a call per field keeps each exported call
    /// small (armv7 code size; docs/terminal.md).
    ///
    /// # Safety
    /// As [`opt_str`], for every pointer.
    pub(crate) unsafe fn opts<'a, const N: usize>(
        self,
        args: [(*const c_char, &str); N],
    ) -> Result<[Option<Cow<'a, str>>; N], Error> {
        let mut out = [const { None }; N];
        for (slot, (ptr, field)) in out.iter_mut().zip(args) {
            *slot = self.opt(ptr, field)?;
        }
        Ok(out)
    }

    /// Reads a required caller string.
    ///
    /// # Safety
    /// As [`opt_str`].
    pub(crate) unsafe fn req<'a>(
        self,
        ptr: *const c_char,
        field: &str,
    ) -> Result<Cow<'a, str>, Error> {
        self.opt(ptr, field)?
            .ok_or_else(|| Error::invalid(field, "is required"))
    }

    fn encode(self, text: &str) -> Cow<'_, [u8]> {
        if self.gbk && !text.is_ascii() {
            if let Ok(bytes) = crate::charset::utf8_to_gbk(text) {
                return Cow::Owned(bytes);
            }
        }
        Cow::Borrowed(text.as_bytes())
    }

    /// Copies an answer value into `buf` (PROTOCOL naming `field` if it does not fit).
    pub(crate) fn put(self, buf: &mut [c_char], value: &str, field: &str) -> Result<(), Error> {
        let bytes = self.encode(value);
        if bytes.len() >= buf.len() {
            return Err(Error::protocol(format!(
                "answer field {field} is {} bytes and does not fit its {}-byte buffer",
                bytes.len(),
                buf.len()
            )));
        }
        copy_bytes(buf, &bytes);
        Ok(())
    }

    /// Copies answer values into their buffers in order, as [`Strings::put`] (`(buffer, value,
    /// wire name)`); the first that does not fit ends the copying.
    pub(crate) fn put_all(self, slots: &mut [(&mut [c_char], &str, &str)]) -> Result<(), Error> {
        for (buf, value, field) in slots.iter_mut() {
            self.put(buf, value, field)?;
        }
        Ok(())
    }

    /// Copies as much of `text` as fits, cut between characters, and a NUL into `buf`.
    pub(crate) fn put_cut(self, buf: &mut [c_char], text: &str) {
        if buf.is_empty() {
            return;
        }
        let mut end = text.len().min(buf.len() - 1);
        loop {
            while !text.is_char_boundary(end) {
                end -= 1;
            }
            let bytes = self.encode(&text[..end]);
            if bytes.len() < buf.len() {
                copy_bytes(buf, &bytes);
                return;
            }
            // GBK can be longer than UTF-8 for a few characters: drop one more byte's worth.
            end -= 1;
        }
    }
}

fn copy_bytes(buf: &mut [c_char], bytes: &[u8]) {
    for (slot, b) in buf.iter_mut().zip(bytes) {
        *slot = *b as c_char;
    }
    buf[bytes.len()] = 0;
}

/// A `result` letter as a C char (0 when absent).
pub(crate) fn result_char(result: Option<crate::TxnResult>) -> c_char {
    result.map_or(0, |r| r.as_char() as u8 as c_char)
}

/// Builds a validated client from the C configuration.
///
/// # Safety
/// `config` is NULL or points to a valid `starpos_config` whose strings are NULL or
/// NUL-terminated.
pub(crate) unsafe fn client_from(config: *const starpos_config) -> Result<Client, Error> {
    let c = arg(config, "config")?;
    let known = STARPOS_FLAG_NO_KEEPALIVE
        | STARPOS_FLAG_GBK_STRINGS
        | STARPOS_FLAG_GBK_BODY
        | STARPOS_FLAG_REVOKE_ON_GIVE_UP;
    let unknown = c.flags & !known;
    if unknown != 0 {
        return Err(Error::invalid(
            "flags",
            format!("bits {unknown:#x} are not known to this build"),
        ));
    }
    if c.flags & (STARPOS_FLAG_GBK_STRINGS | STARPOS_FLAG_GBK_BODY) != 0
        && !crate::charset::GBK_SUPPORTED
    {
        return Err(Error::invalid(
            "flags",
            "GBK needs a build with the `gbk` feature",
        ));
    }
    let ms = |v: u32| Duration::from_millis(u64::from(v));
    // The strings in one loop, in this order (the first bad one is the error), instead of a
    // call and a cleanup per field (armv7 code size).
    let mut text = [""; 10];
    for (slot, (ptr, field, required)) in text.iter_mut().zip([
        (c.base_url, "base_url", false),
        (c.org_no, "org_no", true),
        (c.merc_id, "merc_id", true),
        (c.trm_no, "trm_no", true),
        (c.key, "key", true),
        (c.ca_file, "ca_file", false),
        (c.trm_typ, "trm_typ", false),
        (c.opr_id, "opr_id", false),
        (c.latitude, "latitude", false),
        (c.longitude, "longitude", false),
    ]) {
        *slot = if required {
            req_str(ptr, field)?
        } else {
            opt_str(ptr, field)?.unwrap_or_default()
        };
    }
    let [base_url, org_no, merc_id, trm_no, key, ca_file, trm_typ, opr_id, latitude, longitude] =
        text;
    // A path is bytes on Linux: taken as given, whatever its encoding.
    let journal_path = opt_bytes(c.journal_path, "journal_path")?
        .map(|b| PathBuf::from(std::ffi::OsStr::from_bytes(b)));
    Client::new(Config {
        base_url: base_url.to_owned(),
        org_no: org_no.to_owned(),
        merc_id: merc_id.to_owned(),
        trm_no: trm_no.to_owned(),
        key: key.to_owned(),
        timeouts: Timeouts {
            connect: ms(c.connect_timeout_ms),
            total: ms(c.timeout_ms),
        },
        keep_alive: c.flags & STARPOS_FLAG_NO_KEEPALIVE == 0,
        // NULL and "" alike: no CA file (Client::new treats an empty path as none).
        ca_file: (!ca_file.is_empty()).then(|| PathBuf::from(ca_file)),
        body_charset: if c.flags & STARPOS_FLAG_GBK_BODY != 0 {
            BodyCharset::Gbk
        } else {
            BodyCharset::Utf8
        },
        trm_typ: trm_typ.to_owned(),
        opr_id: opr_id.to_owned(),
        latitude: latitude.to_owned(),
        longitude: longitude.to_owned(),
        journal_path,
        journal_retention: Duration::from_secs(u64::from(c.journal_retention_days) * 24 * 3600),
        // SAFETY: the caller keeps the handle alive for the call (documented).
        cancel: unsafe { c.cancel.as_ref() }.map(|h| h.inner.clone()),
        progress: c.progress.map(|f| progress_of(f, c.progress_userdata)),
        revoke_on_give_up: c.flags & STARPOS_FLAG_REVOKE_ON_GIVE_UP != 0,
    })
}

/// The caller's userdata, handed back on the thread that made the call.
struct Userdata(*mut std::ffi::c_void);
// SAFETY: the progress callback runs on the calling thread, during the call (documented);
// the pointer is only handed back, never dereferenced here.
unsafe impl Send for Userdata {}
// SAFETY: as above.
unsafe impl Sync for Userdata {}

impl Userdata {
    /// The pointer (a method, so a closure captures the whole `Userdata`, which is `Send`).
    fn get(&self) -> *mut std::ffi::c_void {
        self.0
    }
}

/// The C progress callback as the client's.
fn progress_of(
    f: unsafe extern "C" fn(*const starpos_progress, *mut std::ffi::c_void),
    userdata: *mut std::ffi::c_void,
) -> crate::client::ProgressFn {
    let userdata = Userdata(userdata);
    std::sync::Arc::new(move |p: &crate::client::Progress<'_>| {
        let trade_no = CString::new(p.trade_no).unwrap_or_default();
        let ms = |d: Duration| u64::try_from(d.as_millis()).unwrap_or(u64::MAX);
        let c = starpos_progress {
            trade_no: trade_no.as_ptr(),
            result: result_char(p.result),
            queries: p.queries,
            elapsed_ms: ms(p.elapsed),
            next_query_ms: ms(p.next_query),
        };
        // SAFETY: the caller's callback, called as documented, with a struct valid for the call.
        unsafe { f(&c, userdata.get()) };
    })
}

/// What every response struct shares: the error text, the refusal's common fields and the
/// `verified` flag.
pub(crate) trait ResponseStruct {
    fn error_buf(&mut self) -> &mut [c_char];
    fn set_refusal(&mut self, answer: &Answer, strings: Strings);
    /// Records the `tradeNo` a failed query or refund was sent with (others have none).
    fn set_trade_no(&mut self, _trade_no: &str) {}
}

/// The skeleton of every call with a response struct: clear the last error, reject a NULL
/// `out`, zero it, run `fill` behind a panic boundary, and on failure zero it again before
/// writing the error (and a refusal's fields), so nothing of an unusable answer remains.
///
/// # Safety
/// `out` is NULL or points to writable memory for one `R`, a plain C struct for which all
/// zero bytes is a valid value.
pub(crate) unsafe fn respond<R: ResponseStruct>(
    out: *mut R,
    strings: Strings,
    fill: impl FnOnce(&mut R) -> Result<(), Error>,
) -> starpos_status {
    clear_last_error();
    if out.is_null() {
        set_last_error("response: is NULL");
        return starpos_status::STARPOS_ERR_INVALID_ARGUMENT;
    }
    std::ptr::write_bytes(out, 0, 1);
    let out = &mut *out;
    let error = match catch_unwind(AssertUnwindSafe(|| fill(&mut *out))) {
        Ok(Ok(())) => return starpos_status::STARPOS_OK,
        Ok(Err(e)) => e,
        Err(_) => Error::new(Status::Internal, PANIC_TEXT),
    };
    std::ptr::write_bytes(out as *mut R, 0, 1);
    if let Some(answer) = error.refusal() {
        out.set_refusal(answer, strings);
    }
    if let Some(trade_no) = error.trade_no() {
        out.set_trade_no(trade_no);
    }
    strings.put_cut(out.error_buf(), error.detail());
    set_last_error(error.detail());
    error.status().into()
}

/// The skeleton of every call that writes text into a caller's buffer: the text and a NUL on
/// success; on failure the error in words, cut to fit, and INVALID_ARGUMENT naming the size
/// needed when the buffer is too small. Nothing is ever written past `out_len`.
///
/// `on_refusal` may put a gateway refusal's own text in the buffer instead of the words.
///
/// # Safety
/// `out` is NULL or points to `out_len` writable bytes.
pub(crate) unsafe fn write_text(
    out: *mut c_char,
    out_len: usize,
    strings: Strings,
    make: impl FnOnce() -> Result<String, Error>,
    on_refusal: impl FnOnce(&Answer) -> Option<String>,
) -> starpos_status {
    clear_last_error();
    if out.is_null() || out_len == 0 {
        let text = if out.is_null() {
            "out: is NULL"
        } else {
            "out_len: is 0"
        };
        set_last_error(text);
        return starpos_status::STARPOS_ERR_INVALID_ARGUMENT;
    }
    let buf = std::slice::from_raw_parts_mut(out, out_len);
    buf[0] = 0;
    let error = match catch_unwind(AssertUnwindSafe(make)) {
        Ok(Ok(text)) if text.len() < out_len => {
            copy_bytes(buf, text.as_bytes());
            return starpos_status::STARPOS_OK;
        }
        Ok(Ok(text)) => Error::invalid(
            "out_len",
            format!(
                "{out_len} bytes is too small: {} bytes are needed",
                text.len() + 1
            ),
        ),
        Ok(Err(e)) => e,
        Err(_) => Error::new(Status::Internal, PANIC_TEXT),
    };
    let refusal_text = error.refusal().and_then(on_refusal);
    match refusal_text.map(|text| strings.encode(&text).into_owned()) {
        Some(bytes) if bytes.len() < out_len => copy_bytes(buf, &bytes),
        _ => strings.put_cut(buf, error.detail()),
    }
    set_last_error(error.detail());
    error.status().into()
}

/// The skeleton of every call that returns only a status: clear the last error, run `work`
/// behind a panic boundary, and on failure record its words as the thread's last error.
pub(crate) fn guarded(work: impl FnOnce() -> Result<(), Error>) -> starpos_status {
    clear_last_error();
    let error = match catch_unwind(AssertUnwindSafe(work)) {
        Ok(Ok(())) => return starpos_status::STARPOS_OK,
        Ok(Err(e)) => e,
        Err(_) => Error::new(Status::Internal, PANIC_TEXT),
    };
    set_last_error(error.detail());
    error.status().into()
}
