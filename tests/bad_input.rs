//! Every exported function fed bad input: NULL for each pointer, invalid UTF-8, over-long
//! values for every field, empty required fields, bad amounts, impossible times, a 9-character
//! terminal, a base URL that is not http(s), a key of the wrong shape. Each must answer
//! INVALID_ARGUMENT with an `error` that names the field, and the simulator must see nothing.

mod common;

use common::*;
use starpos::ffi::*;
use std::ffi::CString;
use std::os::raw::c_char;
use std::ptr;

const INVALID: starpos_status = starpos_status::STARPOS_ERR_INVALID_ARGUMENT;

/// Owns every string a case points at.
#[derive(Default)]
struct Strings(Vec<CString>);

impl Strings {
    fn s(&mut self, text: &str) -> *const c_char {
        self.0.push(CString::new(text).unwrap());
        self.0.last().unwrap().as_ptr()
    }
    fn bytes(&mut self, bytes: &[u8]) -> *const c_char {
        self.0.push(CString::new(bytes).unwrap());
        self.0.last().unwrap().as_ptr()
    }
}

const NOT_UTF8: &[u8] = &[b'a', 0xC3, 0x28];

fn pay_request(s: &mut Strings) -> starpos_pay_request {
    starpos_pay_request {
        txn_time: ptr::null(),
        version: ptr::null(),
        code: s.s("code123"),
        openid: ptr::null(),
        amount: 100,
        total_amount: 100,
        subject: ptr::null(),
        sel_order_no: ptr::null(),
        goods_tag: ptr::null(),
        attach: ptr::null(),
    }
}

/// Runs `starpos_pay` with one change to a valid request and returns status and error.
fn pay_with(
    cfg: &starpos_config,
    change: impl FnOnce(&mut starpos_pay_request, &mut Strings),
) -> (starpos_status, String) {
    let mut s = Strings::default();
    let mut request = pay_request(&mut s);
    change(&mut request, &mut s);
    let mut out: starpos_pay_response = zeroed();
    let status = unsafe { starpos_pay(cfg, &request, &mut out) };
    (status, text(&out.error))
}

fn qry_with(cfg: &starpos_config) -> (starpos_status, String) {
    let mut out: starpos_qry_response = zeroed();
    let status = unsafe { starpos_qry(cfg, ptr::null(), &mut out) };
    (status, text(&out.error))
}

fn check(case: &str, (status, error): (starpos_status, String), field: &str) {
    assert_eq!(status, INVALID, "{case}: {error}");
    assert!(
        error.starts_with(&format!("{field}: ")),
        "{case}: error {error:?} does not name {field}"
    );
}

#[test]
fn pay_request_fields() {
    let sim = sim();
    let cfg = c_config(&sim);
    let long = |n: usize| "x".repeat(n);
    type Change = Box<dyn FnOnce(&mut starpos_pay_request, &mut Strings)>;
    let cases: Vec<(&str, &str, Change)> = vec![
        (
            "no code or openid",
            "code",
            Box::new(|r, _| r.code = ptr::null()),
        ),
        ("empty code", "code", Box::new(|r, s| r.code = s.s(""))),
        (
            "code and openid",
            "openid",
            Box::new(|r, s| r.openid = s.s("o")),
        ),
        (
            "code of 65",
            "code",
            Box::new(move |r, s| r.code = s.s(&long(65))),
        ),
        (
            "code with a space",
            "code",
            Box::new(|r, s| r.code = s.s("a b")),
        ),
        (
            "code not UTF-8",
            "code",
            Box::new(|r, s| r.code = s.bytes(NOT_UTF8)),
        ),
        (
            "openid of 65",
            "openid",
            Box::new(move |r, s| {
                r.code = ptr::null();
                r.openid = s.s(&long(65))
            }),
        ),
        ("zero amount", "amount", Box::new(|r, _| r.amount = 0)),
        (
            "zero total",
            "total_amount",
            Box::new(|r, _| {
                r.amount = 1;
                r.total_amount = 0
            }),
        ),
        ("amount > total", "amount", Box::new(|r, _| r.amount = 101)),
        (
            "14-digit amount",
            "amount",
            Box::new(|r, _| {
                r.amount = 10_000_000_000_000;
                r.total_amount = 10_000_000_000_000
            }),
        ),
        (
            "14-digit total",
            "total_amount",
            Box::new(|r, _| r.total_amount = 10_000_000_000_000),
        ),
        ("u64::MAX", "amount", Box::new(|r, _| r.amount = u64::MAX)),
        (
            "month 13",
            "txn_time",
            Box::new(|r, s| r.txn_time = s.s("20261301000000")),
        ),
        (
            "short time",
            "txn_time",
            Box::new(|r, s| r.txn_time = s.s("2026010100000")),
        ),
        (
            "letters in time",
            "txn_time",
            Box::new(|r, s| r.txn_time = s.s("2026O101000000")),
        ),
        (
            "Feb 30",
            "txn_time",
            Box::new(|r, s| r.txn_time = s.s("20260230120000")),
        ),
        (
            "time not UTF-8",
            "txn_time",
            Box::new(|r, s| r.txn_time = s.bytes(NOT_UTF8)),
        ),
        (
            "version of 11",
            "version",
            Box::new(move |r, s| r.version = s.s(&long(11))),
        ),
        (
            "subject of 257",
            "subject",
            Box::new(move |r, s| r.subject = s.s(&"好".repeat(257))),
        ),
        (
            "subject not UTF-8",
            "subject",
            Box::new(|r, s| r.subject = s.bytes(NOT_UTF8)),
        ),
        (
            "subject with a newline",
            "subject",
            Box::new(|r, s| r.subject = s.s("a\nb")),
        ),
        (
            "sel_order_no of 51",
            "sel_order_no",
            Box::new(move |r, s| r.sel_order_no = s.s(&long(51))),
        ),
        (
            "goods_tag of 251",
            "goods_tag",
            Box::new(move |r, s| r.goods_tag = s.s(&long(251))),
        ),
        (
            "attach of 257",
            "attach",
            Box::new(move |r, s| r.attach = s.s(&long(257))),
        ),
        (
            "huge string",
            "subject",
            Box::new(move |r, s| r.subject = s.s(&long(70_000))),
        ),
    ];
    for (case, field, change) in cases {
        check(case, pay_with(&cfg.raw, change), field);
    }
    assert_eq!(sim.request_count(), 0, "a rejected call sends nothing");
}

#[test]
fn config_fields() {
    let sim = sim();
    let base = c_config(&sim);
    type Change = Box<dyn FnOnce(&mut starpos_config, &mut Strings)>;
    let mut cases: Vec<(&str, &str, Change)> = vec![
        (
            "org_no NULL",
            "org_no",
            Box::new(|c, _| c.org_no = ptr::null()),
        ),
        (
            "org_no empty",
            "org_no",
            Box::new(|c, s| c.org_no = s.s("")),
        ),
        (
            "org_no of 16",
            "org_no",
            Box::new(|c, s| c.org_no = s.s("1234567890123456")),
        ),
        (
            "merc_id NULL",
            "merc_id",
            Box::new(|c, _| c.merc_id = ptr::null()),
        ),
        (
            "merc_id of 16",
            "merc_id",
            Box::new(|c, s| c.merc_id = s.s("8002900000079060")),
        ),
        (
            "merc_id not UTF-8",
            "merc_id",
            Box::new(|c, s| c.merc_id = s.bytes(NOT_UTF8)),
        ),
        (
            "trm_no NULL",
            "trm_no",
            Box::new(|c, _| c.trm_no = ptr::null()),
        ),
        (
            "trm_no of 9",
            "trm_no",
            Box::new(|c, s| c.trm_no = s.s("XB0064391")),
        ),
        (
            "trm_no with a dash",
            "trm_no",
            Box::new(|c, s| c.trm_no = s.s("XB-06439")),
        ),
        ("key NULL", "key", Box::new(|c, _| c.key = ptr::null())),
        (
            "key too short",
            "key",
            Box::new(|c, s| c.key = s.s("abc123")),
        ),
        (
            "key with symbols",
            "key",
            Box::new(|c, s| c.key = s.s("9E1D5C0A7B3F4E2D8C6A1B0F3E5D7C9!")),
        ),
        (
            "key of 129",
            "key",
            Box::new(|c, s| c.key = s.s(&"k".repeat(129))),
        ),
        (
            "base_url ftp",
            "base_url",
            Box::new(|c, s| c.base_url = s.s("ftp://127.0.0.1/")),
        ),
        (
            "base_url no scheme",
            "base_url",
            Box::new(|c, s| c.base_url = s.s("127.0.0.1:8080/")),
        ),
        (
            "base_url no host",
            "base_url",
            Box::new(|c, s| c.base_url = s.s("http:///x")),
        ),
        (
            "base_url not UTF-8",
            "base_url",
            Box::new(|c, s| c.base_url = s.bytes(NOT_UTF8)),
        ),
        ("unknown flags", "flags", Box::new(|c, _| c.flags = 1 << 31)),
    ];
    if !starpos::unversioned::transport::TLS_SUPPORTED {
        cases.push((
            "base_url https without TLS",
            "base_url",
            Box::new(|c, s| c.base_url = s.s("https://127.0.0.1/")),
        ));
    }
    for (case, field, change) in cases {
        let mut s = Strings::default();
        let mut cfg = base.raw;
        change(&mut cfg, &mut s);
        let result = qry_with(&cfg);
        check(case, result, field);
        let key = "9E1D5C0A7B3F4E2D8C6A1B0F3E5D7C9";
        assert!(
            !qry_with(&cfg).1.contains(key),
            "{case}: the key is never echoed"
        );
    }
    assert_eq!(sim.request_count(), 0);
}

/// `latitude` and `longitude` as the vendor's SDK docs define them: degrees within range as
/// a decimal number with 1 to 5 decimals. Every other form is INVALID_ARGUMENT naming the
/// field and the form expected, before anything is sent.
#[test]
fn coordinates_outside_the_documented_form() {
    let sim = sim();
    let base = c_config(&sim);
    for (field, value) in [
        ("latitude", "31"),
        ("latitude", "31.230421"),
        ("latitude", "91.0"),
        ("latitude", "+31.2"),
        ("latitude", "31.2e0"),
        ("latitude", "north"),
        ("longitude", "-121"),
        ("longitude", "180.00001"),
        ("longitude", "121.4737 "),
        ("longitude", "1.000000"),
    ] {
        let mut s = Strings::default();
        let mut cfg = base.raw;
        match field {
            "latitude" => cfg.latitude = s.s(value),
            _ => cfg.longitude = s.s(value),
        }
        let (status, error) = qry_with(&cfg);
        let case = format!("{field} {value:?}");
        check(&case, (status, error.clone()), field);
        assert!(
            error.contains("a decimal number with 1 to 5 decimals"),
            "{case}: the rule is said: {error}"
        );
    }
    assert_eq!(sim.request_count(), 0, "nothing was sent");
}

/// The word `null` in any letter case as a text or token value: the gateway reads it as the
/// field being absent (the vendor's SDK docs), so it is refused naming the field, nothing
/// sent, in every call that takes caller text.
#[test]
fn the_word_null_is_refused_in_every_text_and_token() {
    let sim = sim();
    let cfg = c_config(&sim);
    const RULE: &str = "must not be the word null: leave it out instead";
    let expect = |case: &str, field: &str, status: starpos_status, error: String| {
        check(case, (status, error.clone()), field);
        assert!(error.ends_with(RULE), "{case}: {error}");
    };
    for word in ["null", "NULL", "Null"] {
        for field in [
            "code",
            "openid",
            "subject",
            "sel_order_no",
            "goods_tag",
            "attach",
            "version",
        ] {
            let (status, error) = pay_with(&cfg.raw, |r, s| {
                let v = s.s(word);
                match field {
                    "code" => r.code = v,
                    "openid" => (r.code, r.openid) = (ptr::null(), v),
                    "subject" => r.subject = v,
                    "sel_order_no" => r.sel_order_no = v,
                    "goods_tag" => r.goods_tag = v,
                    "attach" => r.attach = v,
                    _ => r.version = v,
                }
            });
            expect(&format!("pay {field} {word}"), field, status, error);
        }
        let mut s = Strings::default();
        let qry = starpos_qry_request {
            txn_time: ptr::null(),
            attach: s.s(word),
            version: ptr::null(),
        };
        let mut out: starpos_qry_response = zeroed();
        let status = unsafe { starpos_qry(&cfg.raw, &qry, &mut out) };
        expect(
            &format!("qry attach {word}"),
            "attach",
            status,
            text(&out.error),
        );
        let code = s.s("134567890123456789");
        for field in [
            "trade_no",
            "auth_code",
            "subject",
            "sel_order_no",
            "goods_tag",
            "attach",
            "add_field",
        ] {
            let mut r: starpos_barcode_pay_request = zeroed();
            r.auth_code = code;
            r.amount = 1;
            r.total_amount = 1;
            let v = s.s(word);
            match field {
                "trade_no" => r.trade_no = v,
                "auth_code" => r.auth_code = v,
                "subject" => r.subject = v,
                "sel_order_no" => r.sel_order_no = v,
                "goods_tag" => r.goods_tag = v,
                "attach" => r.attach = v,
                _ => r.add_field = v,
            }
            let mut out: starpos_barcode_pay_response = zeroed();
            let status = unsafe { starpos_barcode_pay(&cfg.raw, &r, &mut out) };
            expect(
                &format!("barcode {field} {word}"),
                field,
                status,
                text(&out.error),
            );
            let mut q: starpos_qr_pay_request = zeroed();
            q.pay_channel = s.s("WXPAY");
            q.amount = 1;
            q.total_amount = 1;
            let qr_field = if field == "auth_code" {
                "trade_no"
            } else {
                field
            };
            match qr_field {
                "trade_no" => q.trade_no = v,
                "subject" => q.subject = v,
                "sel_order_no" => q.sel_order_no = v,
                "goods_tag" => q.goods_tag = v,
                "attach" => q.attach = v,
                _ => q.add_field = v,
            }
            let mut out: starpos_qr_pay_response = zeroed();
            let status = unsafe { starpos_qr_pay(&cfg.raw, &q, &mut out) };
            expect(
                &format!("qr {qr_field} {word}"),
                qr_field,
                status,
                text(&out.error),
            );
        }
        let one = s.s("1");
        for field in ["qry_no", "trade_no"] {
            let v = s.s(word);
            let r = starpos_query_request {
                txn_time: ptr::null(),
                version: ptr::null(),
                trade_no: if field == "trade_no" { v } else { ptr::null() },
                qry_no: if field == "qry_no" { v } else { one },
            };
            let mut out: starpos_query_response = zeroed();
            let status = unsafe { starpos_query(&cfg.raw, &r, &mut out) };
            expect(
                &format!("query {field} {word}"),
                field,
                status,
                text(&out.error),
            );
        }
        for field in ["order_no", "trade_no"] {
            let v = s.s(word);
            let r = starpos_refund_request {
                txn_time: ptr::null(),
                version: ptr::null(),
                trade_no: if field == "trade_no" { v } else { ptr::null() },
                order_no: if field == "order_no" { v } else { one },
                txn_amt: 0,
            };
            let mut out: starpos_refund_response = zeroed();
            let status = unsafe { starpos_refund(&cfg.raw, &r, &mut out) };
            expect(
                &format!("refund {field} {word}"),
                field,
                status,
                text(&out.error),
            );
        }
    }
    assert_eq!(sim.request_count(), 0, "nothing was sent");
}

#[test]
fn null_pointers_for_every_function() {
    let sim = sim();
    let cfg = c_config(&sim);
    let mut s = Strings::default();
    let (key, json, word) = (s.s("9E1D5C0A7B3F4E2D8C6A1B0F3E5D7C9A"), s.s("{}"), s.s("x"));
    let mut buf = [0 as c_char; 64];
    let pay_req = pay_request(&mut s);
    let query_req = starpos_query_request {
        txn_time: ptr::null(),
        version: ptr::null(),
        trade_no: ptr::null(),
        qry_no: word,
    };
    let refund_req = starpos_refund_request {
        txn_time: ptr::null(),
        version: ptr::null(),
        trade_no: ptr::null(),
        order_no: word,
        txn_amt: 0,
    };
    let (mut qry, mut pay, mut query, mut refund): (
        starpos_qry_response,
        starpos_pay_response,
        starpos_query_response,
        starpos_refund_response,
    ) = (zeroed(), zeroed(), zeroed(), zeroed());
    let (qry_p, pay_p, query_p, refund_p): (
        *mut starpos_qry_response,
        *mut starpos_pay_response,
        *mut starpos_query_response,
        *mut starpos_refund_response,
    ) = (&mut qry, &mut pay, &mut query, &mut refund);
    let last = || static_text(starpos_last_error());
    let buf_ptr = buf.as_mut_ptr();
    type Call<'a> = Box<dyn FnOnce() -> starpos_status + 'a>;
    let cases: Vec<(&str, &str, Call)> = unsafe {
        vec![
            (
                "qry config",
                "config",
                Box::new(|| starpos_qry(ptr::null(), ptr::null(), qry_p)),
            ),
            (
                "qry response",
                "response",
                Box::new(|| starpos_qry(&cfg.raw, ptr::null(), ptr::null_mut())),
            ),
            (
                "pay config",
                "config",
                Box::new(|| starpos_pay(ptr::null(), &pay_req, pay_p)),
            ),
            (
                "pay request",
                "request",
                Box::new(|| starpos_pay(&cfg.raw, ptr::null(), pay_p)),
            ),
            (
                "pay response",
                "response",
                Box::new(|| starpos_pay(&cfg.raw, &pay_req, ptr::null_mut())),
            ),
            (
                "query config",
                "config",
                Box::new(|| starpos_query(ptr::null(), &query_req, query_p)),
            ),
            (
                "query request",
                "request",
                Box::new(|| starpos_query(&cfg.raw, ptr::null(), query_p)),
            ),
            (
                "query response",
                "response",
                Box::new(|| starpos_query(&cfg.raw, &query_req, ptr::null_mut())),
            ),
            (
                "query qry_no",
                "qry_no",
                Box::new(|| {
                    let r = starpos_query_request {
                        qry_no: ptr::null(),
                        ..query_req
                    };
                    starpos_query(&cfg.raw, &r, query_p)
                }),
            ),
            (
                "refund config",
                "config",
                Box::new(|| starpos_refund(ptr::null(), &refund_req, refund_p)),
            ),
            (
                "refund request",
                "request",
                Box::new(|| starpos_refund(&cfg.raw, ptr::null(), refund_p)),
            ),
            (
                "refund response",
                "response",
                Box::new(|| starpos_refund(&cfg.raw, &refund_req, ptr::null_mut())),
            ),
            (
                "refund order_no",
                "order_no",
                Box::new(|| {
                    let r = starpos_refund_request {
                        order_no: ptr::null(),
                        ..refund_req
                    };
                    starpos_refund(&cfg.raw, &r, refund_p)
                }),
            ),
            (
                "wait config",
                "config",
                Box::new(|| starpos_wait(ptr::null(), word, 1, 1, query_p)),
            ),
            (
                "wait qry_no",
                "qry_no",
                Box::new(|| starpos_wait(&cfg.raw, ptr::null(), 1, 1, query_p)),
            ),
            (
                "wait response",
                "response",
                Box::new(|| starpos_wait(&cfg.raw, word, 1, 1, ptr::null_mut())),
            ),
            (
                "call config",
                "config",
                Box::new(|| starpos_call(ptr::null(), word, json, buf_ptr, 64)),
            ),
            (
                "call endpoint",
                "endpoint",
                Box::new(|| starpos_call(&cfg.raw, ptr::null(), json, buf_ptr, 64)),
            ),
            (
                "call fields",
                "fields_json",
                Box::new(|| starpos_call(&cfg.raw, word, ptr::null(), buf_ptr, 64)),
            ),
            (
                "call answer",
                "out",
                Box::new(|| starpos_call(&cfg.raw, word, json, ptr::null_mut(), 64)),
            ),
            (
                "call answer_len 0",
                "out_len",
                Box::new(|| starpos_call(&cfg.raw, word, json, buf_ptr, 0)),
            ),
            (
                "sign json",
                "json_object",
                Box::new(|| starpos_sign_json(ptr::null(), key, buf_ptr)),
            ),
            (
                "sign key",
                "key",
                Box::new(|| starpos_sign_json(json, ptr::null(), buf_ptr)),
            ),
            (
                "sign out",
                "out",
                Box::new(|| starpos_sign_json(json, key, ptr::null_mut())),
            ),
            (
                "verify json",
                "json_object",
                Box::new(|| starpos_verify_json(ptr::null(), key)),
            ),
            (
                "verify key",
                "key",
                Box::new(|| starpos_verify_json(json, ptr::null())),
            ),
            (
                "oauth app_id",
                "app_id",
                Box::new(|| starpos_wechat_oauth_url(ptr::null(), word, ptr::null(), buf_ptr, 64)),
            ),
            (
                "oauth redirect",
                "redirect_uri",
                Box::new(|| starpos_wechat_oauth_url(word, ptr::null(), ptr::null(), buf_ptr, 64)),
            ),
            (
                "oauth out",
                "out",
                Box::new(|| starpos_wechat_oauth_url(word, word, ptr::null(), ptr::null_mut(), 64)),
            ),
            (
                "jsapi pay",
                "pay_response",
                Box::new(|| starpos_wechat_jsapi_params(ptr::null(), buf_ptr, 64)),
            ),
            (
                "jsapi out",
                "out",
                Box::new(|| starpos_wechat_jsapi_params(pay_p, ptr::null_mut(), 64)),
            ),
        ]
    };
    for (case, field, call) in cases {
        let status = call();
        assert_eq!(status, INVALID, "{case}");
        let words = last();
        assert!(
            words.starts_with(&format!("{field}: ")),
            "{case}: {words:?}"
        );
    }
    assert_eq!(sim.request_count(), 0);
}

#[test]
fn query_refund_and_helpers_reject_bad_values() {
    let sim = sim();
    let cfg = c_config(&sim);
    let mut s = Strings::default();
    let long = s.s(&"9".repeat(65));
    let space = s.s("12 34");
    let mut query: starpos_query_response = zeroed();
    let mut refund: starpos_refund_response = zeroed();
    unsafe {
        let r = starpos_query_request {
            txn_time: ptr::null(),
            version: ptr::null(),
            trade_no: ptr::null(),
            qry_no: long,
        };
        assert_eq!(starpos_query(&cfg.raw, &r, &mut query), INVALID);
        assert!(text(&query.error).starts_with("qry_no: "));
        let r = starpos_query_request {
            trade_no: space,
            qry_no: s.s("1"),
            ..r
        };
        assert_eq!(starpos_query(&cfg.raw, &r, &mut query), INVALID);
        assert!(text(&query.error).starts_with("trade_no: "));
        let r = starpos_refund_request {
            txn_time: ptr::null(),
            version: ptr::null(),
            trade_no: ptr::null(),
            order_no: s.s("1"),
            txn_amt: 10_000_000_000_000,
        };
        assert_eq!(starpos_refund(&cfg.raw, &r, &mut refund), INVALID);
        assert!(text(&refund.error).starts_with("txn_amt: "));
        let r = starpos_refund_request {
            order_no: long,
            txn_amt: 1,
            ..r
        };
        assert_eq!(starpos_refund(&cfg.raw, &r, &mut refund), INVALID);
        assert!(text(&refund.error).starts_with("order_no: "));

        let mut out = [0 as c_char; 512];
        let (app, uri) = (s.s("wx1"), s.s("https://a.example/cb"));
        for (state, expect) in [
            (s.s("bad state"), "state: "),
            (s.s(&"a".repeat(129)), "state: "),
        ] {
            assert_eq!(
                starpos_wechat_oauth_url(app, uri, state, out.as_mut_ptr(), out.len()),
                INVALID
            );
            assert!(text(&out).starts_with(expect));
        }
        assert_eq!(
            starpos_wechat_oauth_url(
                app,
                s.s("javascript:alert(1)"),
                ptr::null(),
                out.as_mut_ptr(),
                out.len()
            ),
            INVALID
        );
        assert!(text(&out).starts_with("redirect_uri: "));
        let empty_pay: starpos_pay_response = zeroed();
        assert_eq!(
            starpos_wechat_jsapi_params(&empty_pay, out.as_mut_ptr(), out.len()),
            INVALID
        );
        assert!(text(&out).starts_with("pay_response: has no apiAppid"));

        let key = s.s("9E1D5C0A7B3F4E2D8C6A1B0F3E5D7C9A");
        for bad in [
            s.s("[1,2]"),
            s.s("{\"a\":{\"b\":1}}"),
            s.bytes(NOT_UTF8),
            s.s(""),
        ] {
            let mut sig = [0 as c_char; 33];
            assert_eq!(starpos_sign_json(bad, key, sig.as_mut_ptr()), INVALID);
            assert!(static_text(starpos_last_error()).starts_with("json_object: "));
        }
        assert_eq!(starpos_verify_json(s.s("{}"), s.s("short")), INVALID);
        assert!(static_text(starpos_last_error()).starts_with("key: "));

        let mut answer = [0 as c_char; 256];
        for (endpoint, fields, field) in [
            (s.s("bad/endpoint"), s.s("{}"), "endpoint: "),
            (s.s("sdkQryBarcodePay"), s.s("not json"), "fields_json: "),
            (
                s.s("sdkQryBarcodePay"),
                s.s("{\"txnTime\":\"20261301000000\"}"),
                "txnTime: ",
            ),
        ] {
            assert_eq!(
                starpos_call(
                    &cfg.raw,
                    endpoint,
                    fields,
                    answer.as_mut_ptr(),
                    answer.len()
                ),
                INVALID
            );
            assert!(text(&answer).starts_with(field), "{}", text(&answer));
        }
    }
    assert_eq!(sim.request_count(), 0);
}
