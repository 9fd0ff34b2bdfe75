//! The text calls that also say how large the caller's buffer must be: `starpos_call_sized`,
//! `starpos_wechat_oauth_url_sized`, `starpos_wechat_jsapi_params_sized`. Each is its older
//! sibling (same arguments, same skeleton [`write_text`], same inner work, same bytes in the
//! buffer, same status and last error) with one more out-parameter, `needed`, so that a
//! caller never has to read the size out of the error's words.

use super::convert::*;
use super::types::*;
use crate::error::Error;
use crate::model::{PayResponse, TxnResult};
use crate::wechat;
use std::cell::Cell;
use std::os::raw::c_char;

/// What a sized call records while [`write_text`] runs: the size (NUL included) of the text it
/// made for the buffer, 0 while none.
#[derive(Default)]
struct Needed(Cell<usize>);

impl Needed {
    /// Records `text`, written as `bytes` of it, as what the buffer must hold.
    fn saw(&self, bytes: usize) {
        self.0.set(bytes.saturating_add(1));
    }

    /// Stores the size in `*needed` when it is not NULL.
    ///
    /// # Safety
    /// `needed` is NULL or points to a writable `size_t`.
    unsafe fn store(&self, needed: *mut usize) {
        if let Some(slot) = needed.as_mut() {
            *slot = self.0.get();
        }
    }
}

/// The length of `text` in the buffer of a call whose configuration is `config`: GBK bytes
/// with `STARPOS_FLAG_GBK_STRINGS` (UTF-8 when GBK cannot write it, as the buffer gets it).
///
/// # Safety
/// `config` is NULL or points to a valid `starpos_config`.
unsafe fn encoded_len(config: *const starpos_config, text: &str) -> usize {
    let gbk = config
        .as_ref()
        .is_some_and(|c| c.flags & STARPOS_FLAG_GBK_STRINGS != 0);
    if gbk && !text.is_ascii() {
        if let Ok(bytes) = crate::charset::utf8_to_gbk(text) {
            return bytes.len();
        }
    }
    text.len()
}

/// `starpos_call`, and the size its answer needs.
///
/// Same arguments, status, buffer contents and last error as `starpos_call`. In addition
/// `*needed` (when `needed` is not NULL) is set on every return to the bytes, NUL included,
/// that the text meant for `answer_json` takes: the verified answer on OK and when
/// `answer_len` is too small (then INVALID_ARGUMENT: call again with `*needed` bytes; the
/// request was sent and answered, so calling again sends it again); the refusal on GATEWAY
/// (when it does not fit, `answer_json` holds the error's words instead); 0 when the call made
/// no such text (any other failure: `answer_json` holds the error's words, cut to fit, and
/// `starpos_last_error` all of them).
///
/// # Safety
/// Each pointer is NULL or valid for the call; `answer_json` has `answer_len` writable bytes;
/// `needed` is NULL or points to a writable `size_t`.
#[no_mangle]
pub unsafe extern "C" fn starpos_call_sized(
    config: *const starpos_config,
    endpoint: *const c_char,
    fields_json: *const c_char,
    answer_json: *mut c_char,
    answer_len: usize,
    needed: *mut usize,
) -> starpos_status {
    let seen = Needed::default();
    let s = Strings::of(config);
    let status = write_text(
        answer_json,
        answer_len,
        s,
        || {
            let client = client_from(config)?;
            let endpoint = s.req(endpoint, "endpoint")?;
            let fields = s.req(fields_json, "fields_json")?;
            super::calls::call_buffer_fits(&endpoint, answer_len)?;
            let answer = client.call(&endpoint, &fields)?;
            let text = serde_json::Value::Object(answer.to_json()).to_string();
            seen.saw(text.len());
            Ok(text)
        },
        |refusal| {
            let text = serde_json::Value::Object(refusal.to_json()).to_string();
            seen.saw(encoded_len(config, &text));
            Some(text)
        },
    );
    seen.store(needed);
    status
}

/// `starpos_wechat_oauth_url`, and the size the link needs.
///
/// Same arguments, status, buffer contents and last error as `starpos_wechat_oauth_url`. In
/// addition `*needed` (when `needed` is not NULL) is set on every return to the bytes, NUL
/// included, that the link takes: on OK, and when `out_len` is too small (INVALID_ARGUMENT:
/// call again with `*needed` bytes); 0 when there is no link (bad input, NULL `out`, `out_len`
/// 0: `out` holds the error's words when it can).
///
/// # Safety
/// Strings are NULL or NUL-terminated; `out` is NULL or has `out_len` writable bytes;
/// `needed` is NULL or points to a writable `size_t`.
#[no_mangle]
pub unsafe extern "C" fn starpos_wechat_oauth_url_sized(
    app_id: *const c_char,
    redirect_uri: *const c_char,
    state: *const c_char,
    out: *mut c_char,
    out_len: usize,
    needed: *mut usize,
) -> starpos_status {
    let seen = Needed::default();
    let status = write_text(
        out,
        out_len,
        Strings::default(),
        || {
            let url = wechat::oauth_url(
                req_str(app_id, "app_id")?,
                req_str(redirect_uri, "redirect_uri")?,
                opt_str(state, "state")?,
            )?;
            seen.saw(url.len());
            Ok(url)
        },
        |_| None,
    );
    seen.store(needed);
    status
}

/// `starpos_wechat_jsapi_params`, and the size the JSON needs.
///
/// Same arguments, status, buffer contents and last error as `starpos_wechat_jsapi_params`.
/// In addition `*needed` (when `needed` is not NULL) is set on every return to the bytes, NUL
/// included, that the JSON object takes: on OK, and when `out_len` is too small
/// (INVALID_ARGUMENT: call again with `*needed` bytes); 0 when there is no JSON (a field
/// missing, NULL `pay` or `out`, `out_len` 0: `out` holds the error's words when it can).
///
/// # Safety
/// `pay` is NULL or a valid response; `out` is NULL or has `out_len` writable bytes; `needed`
/// is NULL or points to a writable `size_t`.
#[no_mangle]
pub unsafe extern "C" fn starpos_wechat_jsapi_params_sized(
    pay: *const starpos_pay_response,
    out: *mut c_char,
    out_len: usize,
    needed: *mut usize,
) -> starpos_status {
    let seen = Needed::default();
    let status = write_text(
        out,
        out_len,
        Strings::default(),
        || {
            let p = arg(pay, "pay_response")?;
            let rust = PayResponse {
                api_appid: buffer_str(&p.api_appid, "api_appid")?.to_owned(),
                api_timestamp: buffer_str(&p.api_timestamp, "api_timestamp")?.to_owned(),
                api_noncestr: buffer_str(&p.api_noncestr, "api_noncestr")?.to_owned(),
                api_package: buffer_str(&p.api_package, "api_package")?.to_owned(),
                api_signtype: buffer_str(&p.api_signtype, "api_signtype")?.to_owned(),
                api_paysign: buffer_str(&p.api_paysign, "api_paysign")?.to_owned(),
                result: TxnResult::from_char(p.result as u8 as char),
                ..PayResponse::default()
            };
            let params = wechat::jsapi_params(&rust)?;
            seen.saw(params.len());
            Ok(params)
        },
        |_| None,
    );
    seen.store(needed);
    status
}

/// Reads a NUL-terminated UTF-8 string out of a fixed buffer of a response struct (as
/// `starpos_wechat_jsapi_params` does).
fn buffer_str<'a>(buf: &'a [c_char], field: &str) -> Result<&'a str, Error> {
    // SAFETY: c_char and u8 have the same size and alignment.
    let bytes = unsafe { std::slice::from_raw_parts(buf.as_ptr().cast::<u8>(), buf.len()) };
    let end = bytes
        .iter()
        .position(|b| *b == 0)
        .ok_or_else(|| Error::invalid(field, "has no terminating NUL"))?;
    std::str::from_utf8(&bytes[..end]).map_err(|_| Error::invalid(field, "is not valid UTF-8"))
}
