//! The `_sized` text calls of the C ABI (`starpos_call_sized`, `starpos_wechat_oauth_url_sized`,
//! `starpos_wechat_jsapi_params_sized`): the size needed is reported, NUL included, on success
//! and on a buffer too small, so a caller can grow the buffer without reading the error's
//! words; a NULL `needed` is accepted; and each writes what its older sibling writes.

mod common;

use common::*;
use starpos::ffi::*;
use std::ffi::CStr;
use std::os::raw::c_char;
use std::ptr;

const OK: starpos_status = starpos_status::STARPOS_OK;
const INVALID: starpos_status = starpos_status::STARPOS_ERR_INVALID_ARGUMENT;
const GATEWAY: starpos_status = starpos_status::STARPOS_ERR_GATEWAY;

/// Set before each call, so that a test sees the call overwrite it.
const UNTOUCHED: usize = 987_654_321;

fn last_error() -> String {
    static_text(starpos_last_error())
}

/// The text of a byte buffer the library wrote into.
fn buf_text(buf: &[c_char]) -> String {
    text(buf)
}

/// A NUL-terminated length of what the library wrote (for sizes: text length + 1).
fn written(buf: &[c_char]) -> usize {
    // SAFETY: the library always NUL-terminates inside the buffer it was given.
    unsafe { CStr::from_ptr(buf.as_ptr()) }.to_bytes().len() + 1
}

struct OauthArgs {
    app_id: std::ffi::CString,
    redirect: std::ffi::CString,
}

fn oauth_args(redirect: &str) -> OauthArgs {
    OauthArgs {
        app_id: c("wx1a2b3c4d5e6f7a8b"),
        redirect: c(redirect),
    }
}

/// `starpos_wechat_oauth_url_sized` into a buffer of `len` bytes: (status, text, needed).
fn oauth_sized(args: &OauthArgs, len: usize) -> (starpos_status, String, usize) {
    let mut buf = vec![0 as c_char; len.max(1)];
    let mut needed = UNTOUCHED;
    let status = unsafe {
        starpos_wechat_oauth_url_sized(
            args.app_id.as_ptr(),
            args.redirect.as_ptr(),
            ptr::null(),
            buf.as_mut_ptr(),
            len,
            &mut needed,
        )
    };
    (status, buf_text(&buf), needed)
}

#[test]
fn oauth_url_reports_the_size_needed_on_success_and_on_a_small_buffer() {
    let args = oauth_args(&format!("https://shop.example/{}", "x".repeat(1000)));
    let (status, small, needed) = oauth_sized(&args, 64);
    assert_eq!(status, INVALID, "{small}");
    assert!(needed > 64, "needed {needed}");
    // The words say the same number: the field is the one an old caller parsed.
    assert!(
        last_error().contains(&format!("{needed} bytes are needed")),
        "{}",
        last_error()
    );
    let (status, url, again) = oauth_sized(&args, needed);
    assert_eq!(status, OK, "{}", last_error());
    assert_eq!(again, needed, "the same size on success");
    assert_eq!(url.len() + 1, needed, "NUL included");
    assert!(url.ends_with("#wechat_redirect"), "{url}");
    let (status, _, short) = oauth_sized(&args, needed - 1);
    assert_eq!((status, short), (INVALID, needed), "one byte short");
    // A roomy buffer: the size is still the link's own.
    let (status, roomy, size) = oauth_sized(&args, needed * 2);
    assert_eq!((status, roomy, size), (OK, url, needed));
}

#[test]
fn oauth_url_needed_is_zero_when_there_is_no_link() {
    let bad = oauth_args("ftp://a.example/");
    let (status, words, needed) = oauth_sized(&bad, 256);
    assert_eq!(status, INVALID);
    assert_eq!(needed, 0, "no link, no size");
    assert!(words.starts_with("redirect_uri"), "{words}");
    let mut needed = UNTOUCHED;
    let args = oauth_args("https://a.example/");
    let status = unsafe {
        starpos_wechat_oauth_url_sized(
            args.app_id.as_ptr(),
            args.redirect.as_ptr(),
            ptr::null(),
            ptr::null_mut(),
            64,
            &mut needed,
        )
    };
    assert_eq!((status, needed), (INVALID, 0), "NULL out");
    assert!(last_error().starts_with("out"), "{}", last_error());
}

#[test]
fn a_null_needed_is_accepted() {
    let args = oauth_args("https://a.example/cb");
    let mut buf = [0 as c_char; 512];
    let call = |buf: &mut [c_char], len: usize| unsafe {
        starpos_wechat_oauth_url_sized(
            args.app_id.as_ptr(),
            args.redirect.as_ptr(),
            ptr::null(),
            buf.as_mut_ptr(),
            len,
            ptr::null_mut(),
        )
    };
    assert_eq!(call(&mut buf, 512), OK);
    assert!(buf_text(&buf).starts_with("https://open.weixin.qq.com/"));
    assert_eq!(call(&mut buf, 8), INVALID);
    let mut jsapi = [0 as c_char; 512];
    let status = unsafe {
        starpos_wechat_jsapi_params_sized(&filled_pay(), jsapi.as_mut_ptr(), 512, ptr::null_mut())
    };
    assert_eq!(status, OK, "{}", last_error());
    let sim = sim();
    let cfg = c_config(&sim);
    let (endpoint, fields) = (c("pubSigQry"), c(r#"{"version":"V1.0.0"}"#));
    let mut answer = vec![0 as c_char; 16 * 1024];
    let status = unsafe {
        starpos_call_sized(
            &cfg.raw,
            endpoint.as_ptr(),
            fields.as_ptr(),
            answer.as_mut_ptr(),
            answer.len(),
            ptr::null_mut(),
        )
    };
    assert_eq!(status, OK, "{}", last_error());
    sim.shutdown();
}

/// Every old/sized pair writes the same bytes, status and last error, whatever the input.
#[test]
fn the_sized_calls_write_what_their_siblings_write() {
    for (redirect, state, len) in [
        ("https://a.example/cb", None, 512),
        ("https://a.example/cb", Some("abc123"), 40),
        ("http://a.example/回调", Some("not ok"), 512),
        ("ftp://a.example/", None, 16),
    ] {
        let (app, uri) = (c("wx1"), c(redirect));
        let state = state.map(c);
        let state_p = state.as_ref().map_or(ptr::null(), |s| s.as_ptr());
        let mut old = vec![0x55 as c_char; len];
        let mut new = vec![0x55 as c_char; len];
        let s_old = unsafe {
            starpos_wechat_oauth_url(app.as_ptr(), uri.as_ptr(), state_p, old.as_mut_ptr(), len)
        };
        let e_old = last_error();
        let mut needed = 0;
        let s_new = unsafe {
            starpos_wechat_oauth_url_sized(
                app.as_ptr(),
                uri.as_ptr(),
                state_p,
                new.as_mut_ptr(),
                len,
                &mut needed,
            )
        };
        assert_eq!(
            (s_old, &old, e_old),
            (s_new, &new, last_error()),
            "{redirect}"
        );
    }
    let mut missing = filled_pay();
    missing.api_paysign[0] = 0;
    for (pay, len) in [(filled_pay(), 512), (filled_pay(), 20), (missing, 512)] {
        let mut old = vec![0x55 as c_char; len];
        let mut new = vec![0x55 as c_char; len];
        let s_old = unsafe { starpos_wechat_jsapi_params(&pay, old.as_mut_ptr(), len) };
        let e_old = last_error();
        let mut needed = 0;
        let s_new =
            unsafe { starpos_wechat_jsapi_params_sized(&pay, new.as_mut_ptr(), len, &mut needed) };
        assert_eq!(
            (s_old, &old, e_old),
            (s_new, &new, last_error()),
            "len {len}"
        );
    }
}

/// A pay response as `starpos_pay` fills it, for the JSAPI parameters.
fn filled_pay() -> starpos_pay_response {
    let mut pay: starpos_pay_response = zeroed();
    fn put(buf: &mut [c_char], value: &str) {
        for (slot, b) in buf.iter_mut().zip(value.bytes()) {
            *slot = b as c_char;
        }
    }
    put(&mut pay.api_appid, "wx1234567890abcdef");
    put(&mut pay.api_timestamp, "1700000000");
    put(&mut pay.api_noncestr, "n0nce");
    put(&mut pay.api_package, "prepay_id=wx2017");
    put(&mut pay.api_signtype, "MD5");
    put(&mut pay.api_paysign, "C380BEC2BFD727A4B6845133519F3AD6");
    pay.result = b'A' as c_char;
    pay
}

#[test]
fn jsapi_params_report_the_size_needed() {
    let pay = filled_pay();
    let mut small = [0 as c_char; 16];
    let mut needed = UNTOUCHED;
    let status = unsafe {
        starpos_wechat_jsapi_params_sized(&pay, small.as_mut_ptr(), small.len(), &mut needed)
    };
    assert_eq!(status, INVALID);
    assert!(needed > small.len(), "needed {needed}");
    let mut exact = vec![0 as c_char; needed];
    let mut again = UNTOUCHED;
    let status =
        unsafe { starpos_wechat_jsapi_params_sized(&pay, exact.as_mut_ptr(), needed, &mut again) };
    assert_eq!(status, OK, "{}", last_error());
    assert_eq!((again, written(&exact)), (needed, needed));
    let params: serde_json::Value = serde_json::from_str(&buf_text(&exact)).unwrap();
    assert_eq!(params["paySign"], "C380BEC2BFD727A4B6845133519F3AD6");

    let mut missing = filled_pay();
    missing.api_appid[0] = 0;
    let mut out = [0 as c_char; 256];
    let mut needed = UNTOUCHED;
    let status =
        unsafe { starpos_wechat_jsapi_params_sized(&missing, out.as_mut_ptr(), 256, &mut needed) };
    assert_eq!((status, needed), (INVALID, 0), "{}", buf_text(&out));
    let mut needed = UNTOUCHED;
    let status = unsafe {
        starpos_wechat_jsapi_params_sized(ptr::null(), out.as_mut_ptr(), 256, &mut needed)
    };
    assert_eq!((status, needed), (INVALID, 0), "NULL pay");
}

/// `starpos_call_sized` into a buffer of `len` bytes: (status, text, needed).
fn call_sized(
    cfg: &CConfig,
    endpoint: &str,
    fields: &str,
    len: usize,
) -> (starpos_status, String, usize) {
    let (endpoint, fields) = (c(endpoint), c(fields));
    let mut buf = vec![0 as c_char; len];
    let mut needed = UNTOUCHED;
    let status = unsafe {
        starpos_call_sized(
            &cfg.raw,
            endpoint.as_ptr(),
            fields.as_ptr(),
            buf.as_mut_ptr(),
            len,
            &mut needed,
        )
    };
    (status, buf_text(&buf), needed)
}

#[test]
fn call_reports_the_answers_size_on_success_and_on_a_small_buffer() {
    let sim = sim();
    let cfg = c_config(&sim);
    let qry = r#"{"version":"V1.0.0"}"#;
    let (status, _, needed) = call_sized(&cfg, "pubSigQry", qry, 32);
    assert_eq!(status, INVALID, "{}", last_error());
    assert!(needed > 32, "needed {needed}");
    let (status, answer, again) = call_sized(&cfg, "pubSigQry", qry, needed);
    assert_eq!(status, OK, "{}", last_error());
    assert_eq!((answer.len() + 1, again), (needed, needed), "{answer}");
    let answer: serde_json::Value = serde_json::from_str(&answer).unwrap();
    assert_eq!(answer["returnCode"], "000000");
    assert_eq!(sim.request_count(), 2, "each call was sent once");
    sim.shutdown();
}

#[test]
fn call_reports_the_refusals_size_and_nothing_for_bad_input() {
    let sim = sim();
    let cfg = c_config(&sim);
    let unknown = format!(
        r#"{{"opSys":"3","characterSet":"00","tradeNo":"{}","version":"V1.0.0","qryNo":"999999999999999999"}}"#,
        unique("T")
    );
    let (status, refusal, needed) = call_sized(&cfg, "sdkQryBarcodePay", &unknown, 4096);
    assert_eq!(status, GATEWAY, "{refusal}");
    assert_eq!(refusal.len() + 1, needed, "{refusal}");
    let refusal: serde_json::Value = serde_json::from_str(&refusal).unwrap();
    assert_ne!(refusal["returnCode"], "000000");
    // Too small for the refusal: the words instead, and the refusal's size.
    let (status, words, small_needed) = call_sized(&cfg, "sdkQryBarcodePay", &unknown, 24);
    assert_eq!(status, GATEWAY);
    assert!(
        serde_json::from_str::<serde_json::Value>(&words).is_err(),
        "{words}"
    );
    assert!(small_needed > 24, "needed {small_needed}");

    let before = sim.request_count();
    let (status, words, needed) = call_sized(&cfg, "", "{}", 4096);
    assert_eq!((status, needed), (INVALID, 0), "{words}");
    assert!(words.starts_with("endpoint"), "{words}");
    let (status, _, needed) = call_sized(&cfg, "pubSigQry", "[1]", 4096);
    assert_eq!((status, needed), (INVALID, 0));
    let mut needed = UNTOUCHED;
    let status = unsafe {
        starpos_call_sized(
            ptr::null(),
            c("pubSigQry").as_ptr(),
            c("{}").as_ptr(),
            ptr::null_mut(),
            0,
            &mut needed,
        )
    };
    assert_eq!((status, needed), (INVALID, 0), "NULL config and buffer");
    assert_eq!(sim.request_count(), before, "bad input sends nothing");
    sim.shutdown();
}

/// With `STARPOS_FLAG_GBK_STRINGS` the refusal reaches the buffer in GBK: the size is of
/// those bytes, not of the UTF-8 text.
#[cfg(feature = "gbk")]
#[test]
fn a_gbk_refusal_is_sized_in_gbk() {
    let sim = sim();
    let mut cfg = c_config(&sim);
    let endpoint = c("sdkQryBarcodePay");
    // A new tradeNo each time: the same one twice is refused for that instead.
    let call = |cfg: &CConfig, buf: &mut [c_char], needed: &mut usize| unsafe {
        let fields = c(&format!(
            r#"{{"opSys":"3","characterSet":"00","tradeNo":"{}","version":"V1.0.0","qryNo":"999999999999999999"}}"#,
            unique("T")
        ));
        starpos_call_sized(
            &cfg.raw,
            endpoint.as_ptr(),
            fields.as_ptr(),
            buf.as_mut_ptr(),
            buf.len(),
            needed,
        )
    };
    let mut utf8 = vec![0 as c_char; 4096];
    let mut utf8_needed = UNTOUCHED;
    assert_eq!(call(&cfg, &mut utf8, &mut utf8_needed), GATEWAY);
    assert_eq!(written(&utf8), utf8_needed);
    cfg.raw.flags = STARPOS_FLAG_GBK_STRINGS;
    let mut gbk = vec![0 as c_char; 4096];
    let mut gbk_needed = UNTOUCHED;
    assert_eq!(call(&cfg, &mut gbk, &mut gbk_needed), GATEWAY);
    assert_eq!(
        written(&gbk),
        gbk_needed,
        "the GBK bytes written, NUL included"
    );
    assert!(
        gbk_needed < utf8_needed,
        "Chinese takes 2 bytes in GBK, 3 in UTF-8: {gbk_needed} vs {utf8_needed}"
    );
    sim.shutdown();
}
