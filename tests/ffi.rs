//! The C ABI, called from Rust exactly as C would call it, against the simulator.

mod common;

use common::*;
use starpos::ffi::*;
use std::os::raw::c_char;
use std::ptr;

const OK: starpos_status = starpos_status::STARPOS_OK;

struct Sale {
    pay: starpos_pay_response,
    log_no: String,
}

fn pay(cfg: &CConfig, amount: u64) -> Sale {
    let code = c(&unique("code"));
    let sel = c(&unique("sel"));
    let subject = c("测试商品");
    let request = starpos_pay_request {
        txn_time: ptr::null(),
        version: ptr::null(),
        code: code.as_ptr(),
        openid: ptr::null(),
        amount,
        total_amount: amount,
        subject: subject.as_ptr(),
        sel_order_no: sel.as_ptr(),
        goods_tag: ptr::null(),
        attach: ptr::null(),
    };
    let mut pay: starpos_pay_response = zeroed();
    let status = unsafe { starpos_pay(&cfg.raw, &request, &mut pay) };
    assert_eq!(status, OK, "{}", text(&pay.error));
    assert_eq!(pay.result, b'A' as c_char);
    assert!(pay.verified);
    Sale {
        log_no: text(&pay.log_no),
        pay,
    }
}

fn wait(cfg: &CConfig, no: &str, deadline_ms: u32) -> (starpos_status, starpos_query_response) {
    let no = c(no);
    let mut out: starpos_query_response = zeroed();
    let status = unsafe { starpos_wait(&cfg.raw, no.as_ptr(), 20, deadline_ms, &mut out) };
    (status, out)
}

fn refund(cfg: &CConfig, order_no: &str, fen: u64) -> (starpos_status, starpos_refund_response) {
    let order_no = c(order_no);
    let request = starpos_refund_request {
        txn_time: ptr::null(),
        version: ptr::null(),
        trade_no: ptr::null(),
        order_no: order_no.as_ptr(),
        txn_amt: fen,
    };
    let mut out: starpos_refund_response = zeroed();
    let status = unsafe { starpos_refund(&cfg.raw, &request, &mut out) };
    (status, out)
}

#[test]
fn whole_sale_through_the_c_abi() {
    let sim = sim();
    let cfg = c_config(&sim);

    let mut qry: starpos_qry_response = zeroed();
    assert_eq!(unsafe { starpos_qry(&cfg.raw, ptr::null(), &mut qry) }, OK);
    assert_eq!(text(&qry.app_id), sim.config().app_id);
    assert_eq!(text(&qry.return_code), "000000");
    assert_eq!(text(&qry.error), "");

    let sale = pay(&cfg, 2000);
    assert_eq!(text(&sale.pay.subject), "测试商品");
    assert_eq!(sale.pay.amount, 2000);

    let mut jsapi = [0 as c_char; 512];
    assert_eq!(
        unsafe { starpos_wechat_jsapi_params(&sale.pay, jsapi.as_mut_ptr(), jsapi.len()) },
        OK
    );
    let jsapi: serde_json::Value = serde_json::from_str(&text(&jsapi)).unwrap();
    assert_eq!(jsapi["package"], text(&sale.pay.api_package));
    assert_eq!(jsapi["appId"], sim.config().app_id);

    assert!(sim.confirm(&sale.log_no));
    let (status, done) = wait(&cfg, &sale.log_no, 5000);
    assert_eq!(status, OK, "{}", text(&done.error));
    assert_eq!(done.result, b'S' as c_char);
    let channel_order = text(&done.order_no);
    assert_eq!(text(&done.pay_channel), "WXPAY");

    let (status, part) = refund(&cfg, &channel_order, 500);
    assert_eq!(status, OK, "{}", text(&part.error));
    assert_eq!((part.result, part.txn_amt), (b'S' as c_char, 500));
    // A generated tradeNo: the terminal number, the time, random letters and digits.
    let generated = text(&part.trade_no);
    assert!(
        generated.starts_with(starpos_sim::DEFAULT_TRM_NO),
        "{generated}"
    );
    assert_eq!(generated.len(), 8 + 13 + 16, "{generated}");

    let (status, too_much) = refund(&cfg, &channel_order, 1501);
    assert_eq!(status, starpos_status::STARPOS_ERR_GATEWAY);
    assert_ne!(text(&too_much.return_code), "000000");
    assert!(
        !text(&too_much.message).is_empty(),
        "the gateway's message is handed out"
    );
    assert!(too_much.verified);
    assert!(text(&too_much.error).contains(&text(&too_much.message)));
    assert!(
        !text(&too_much.trade_no).is_empty(),
        "the tradeNo used is kept on failure"
    );

    let (status, rest) = refund(&cfg, &channel_order, 0);
    assert_eq!(status, OK, "{}", text(&rest.error));
    assert_eq!(rest.txn_amt, 1500);
}

#[test]
fn cancelled_sale_and_a_deadline_that_passes() {
    let sim = sim();
    let cfg = c_config(&sim);
    let cancelled = pay(&cfg, 10);
    sim.cancel(&cancelled.log_no);
    let (status, out) = wait(&cfg, &cancelled.log_no, 5000);
    assert_eq!((status, out.result), (OK, b'F' as c_char));

    let pending = pay(&cfg, 10);
    let (status, out) = wait(&cfg, &pending.log_no, 200);
    assert_eq!(status, starpos_status::STARPOS_ERR_TIMEOUT);
    assert_eq!(
        out.result, b'A' as c_char,
        "the last answer is handed out with TIMEOUT"
    );
    assert_eq!(text(&out.log_no), pending.log_no);
    assert!(
        text(&out.error).contains("still not final"),
        "{}",
        text(&out.error)
    );
    assert!(starpos_status_in_doubt(status as i32));
}

#[test]
fn null_pointers_are_invalid_arguments_naming_what_was_null() {
    let sim = sim();
    let cfg = c_config(&sim);
    let mut qry: starpos_qry_response = zeroed();
    unsafe {
        assert_eq!(
            starpos_qry(ptr::null(), ptr::null(), &mut qry),
            starpos_status::STARPOS_ERR_INVALID_ARGUMENT
        );
        assert_eq!(text(&qry.error), "config: is NULL");
        assert_eq!(
            starpos_qry(&cfg.raw, ptr::null(), ptr::null_mut()),
            starpos_status::STARPOS_ERR_INVALID_ARGUMENT
        );
        assert_eq!(static_text(starpos_last_error()), "response: is NULL");
        let mut p: starpos_pay_response = zeroed();
        assert_eq!(
            starpos_pay(&cfg.raw, ptr::null(), &mut p),
            starpos_status::STARPOS_ERR_INVALID_ARGUMENT
        );
        assert_eq!(text(&p.error), "request: is NULL");
        let mut q: starpos_query_response = zeroed();
        assert_eq!(
            starpos_wait(&cfg.raw, ptr::null(), 0, 0, &mut q),
            starpos_status::STARPOS_ERR_INVALID_ARGUMENT
        );
        assert_eq!(text(&q.error), "qry_no: is required");
        let mut missing_key = cfg.raw;
        missing_key.key = ptr::null();
        assert_eq!(
            starpos_qry(&missing_key, ptr::null(), &mut qry),
            starpos_status::STARPOS_ERR_INVALID_ARGUMENT
        );
        assert_eq!(text(&qry.error), "key: is required");
        assert_eq!(
            starpos_verify_json(ptr::null(), ptr::null()),
            starpos_status::STARPOS_ERR_INVALID_ARGUMENT
        );
        let mut sig = [0 as c_char; 33];
        assert_eq!(
            starpos_sign_json(ptr::null(), ptr::null(), sig.as_mut_ptr()),
            starpos_status::STARPOS_ERR_INVALID_ARGUMENT
        );
        assert_eq!(
            starpos_sign_json(ptr::null(), ptr::null(), ptr::null_mut()),
            starpos_status::STARPOS_ERR_INVALID_ARGUMENT
        );
        assert_eq!(
            starpos_wechat_jsapi_params(ptr::null(), sig.as_mut_ptr(), sig.len()),
            starpos_status::STARPOS_ERR_INVALID_ARGUMENT
        );
        assert_eq!(text(&sig), "pay_response: is NULL");
    }
    assert_eq!(sim.request_count(), 0);
}

#[test]
fn the_response_is_zeroed_before_anything_else() {
    let sim = sim();
    let mut cfg = c_config(&sim);
    let bad_terminal = c("XB0064391");
    cfg.raw.trm_no = bad_terminal.as_ptr();
    let mut out: starpos_qry_response = zeroed();
    // Fill it with garbage the way uninitialised stack memory would be.
    unsafe {
        ptr::write_bytes(
            &mut out as *mut starpos_qry_response as *mut u8,
            0x41,
            std::mem::size_of_val(&out),
        )
    };
    out.verified = false;
    let status = unsafe { starpos_qry(&cfg.raw, ptr::null(), &mut out) };
    assert_eq!(status, starpos_status::STARPOS_ERR_INVALID_ARGUMENT);
    assert_eq!(text(&out.app_id), "");
    assert_eq!(text(&out.return_code), "");
    assert!(
        text(&out.error).starts_with("trm_no: must be at most 8"),
        "{}",
        text(&out.error)
    );
    assert_eq!(sim.request_count(), 0);
}

#[test]
fn a_signature_failure_hands_out_no_field() {
    let sim = sim();
    let mut cfg = c_config(&sim);
    let wrong = c("0000000000000000AAAAAAAAAAAAAAAA");
    cfg.raw.key = wrong.as_ptr();
    let mut out: starpos_qry_response = zeroed();
    let status = unsafe { starpos_qry(&cfg.raw, ptr::null(), &mut out) };
    assert_eq!(status, starpos_status::STARPOS_ERR_SIGNATURE);
    assert_eq!(text(&out.return_code), "");
    assert_eq!(text(&out.message), "");
    assert!(!out.verified);
    assert!(!text(&out.error).contains("0000000000000000AAAAAAAAAAAAAAAA"));
}

#[test]
fn small_buffers_are_refused_with_the_size_needed_and_never_overrun() {
    let app_id = c("wx1a2b3c4d5e6f7a8b");
    let uri = c("https://shop.example/cb");
    let mut full = [0 as c_char; 400];
    let status = unsafe {
        starpos_wechat_oauth_url(
            app_id.as_ptr(),
            uri.as_ptr(),
            ptr::null(),
            full.as_mut_ptr(),
            full.len(),
        )
    };
    assert_eq!(status, OK);
    let needed = text(&full).len() + 1;
    assert_eq!(
        text(&full),
        "https://open.weixin.qq.com/connect/oauth2/authorize?appid=wx1a2b3c4d5e6f7a8b&redirect_uri=https%3A%2F%2Fshop.example%2Fcb&response_type=code&scope=snsapi_base#wechat_redirect"
    );

    // A buffer one byte short, inside a larger one whose tail must stay untouched.
    let mut guarded = [0x55 as c_char; 400];
    let status = unsafe {
        starpos_wechat_oauth_url(
            app_id.as_ptr(),
            uri.as_ptr(),
            ptr::null(),
            guarded.as_mut_ptr(),
            needed - 1,
        )
    };
    assert_eq!(status, starpos_status::STARPOS_ERR_INVALID_ARGUMENT);
    assert!(
        guarded[needed - 1..].iter().all(|b| *b == 0x55),
        "nothing written past out_len"
    );
    let words = static_text(starpos_last_error());
    assert!(
        words.contains(&format!("{needed} bytes are needed")),
        "{words}"
    );
    assert!(text(&guarded[..needed - 1]).starts_with("out_len: "));

    let mut tiny = [0x55 as c_char; 8];
    let status = unsafe {
        starpos_wechat_oauth_url(
            app_id.as_ptr(),
            uri.as_ptr(),
            ptr::null(),
            tiny.as_mut_ptr(),
            4,
        )
    };
    assert_eq!(status, starpos_status::STARPOS_ERR_INVALID_ARGUMENT);
    assert_eq!(tiny[3], 0, "cut and terminated inside the buffer");
    assert!(tiny[4..].iter().all(|b| *b == 0x55));
}

#[test]
fn jsapi_and_call_buffers_too_small() {
    let sim = sim();
    let cfg = c_config(&sim);
    let sale = pay(&cfg, 1);
    let mut small = [0 as c_char; 16];
    let status = unsafe { starpos_wechat_jsapi_params(&sale.pay, small.as_mut_ptr(), small.len()) };
    assert_eq!(status, starpos_status::STARPOS_ERR_INVALID_ARGUMENT);
    assert!(static_text(starpos_last_error()).contains("bytes are needed"));

    let endpoint = c("sdkQryBarcodePay");
    let fields = c(&format!(
        r#"{{"opSys":"3","characterSet":"00","tradeNo":"{}","version":"V1.0.0","qryNo":"{}"}}"#,
        unique("t"),
        sale.log_no
    ));
    let mut answer = [0 as c_char; 4096];
    let status = unsafe {
        starpos_call(
            &cfg.raw,
            endpoint.as_ptr(),
            fields.as_ptr(),
            answer.as_mut_ptr(),
            answer.len(),
        )
    };
    assert_eq!(status, OK, "{}", text(&answer));
    let json: serde_json::Value = serde_json::from_str(&text(&answer)).unwrap();
    assert_eq!(json["logNo"], sale.log_no);
    // tradeNo is unique per request: the second query gets its own.
    let fields = c(&format!(
        r#"{{"opSys":"3","characterSet":"00","tradeNo":"{}","version":"V1.0.0","qryNo":"{}"}}"#,
        unique("t"),
        sale.log_no
    ));
    let status = unsafe {
        starpos_call(
            &cfg.raw,
            endpoint.as_ptr(),
            fields.as_ptr(),
            small.as_mut_ptr(),
            small.len(),
        )
    };
    assert_eq!(status, starpos_status::STARPOS_ERR_INVALID_ARGUMENT);

    // A refusal through starpos_call hands back the refusal's JSON.
    let unknown = c(&format!(
        r#"{{"opSys":"3","characterSet":"00","tradeNo":"{}","version":"V1.0.0","qryNo":"424242"}}"#,
        unique("t")
    ));
    let status = unsafe {
        starpos_call(
            &cfg.raw,
            endpoint.as_ptr(),
            unknown.as_ptr(),
            answer.as_mut_ptr(),
            answer.len(),
        )
    };
    assert_eq!(status, starpos_status::STARPOS_ERR_GATEWAY);
    let json: serde_json::Value = serde_json::from_str(&text(&answer)).unwrap();
    assert_ne!(json["returnCode"], "000000");
}

#[test]
fn status_names_and_doubt() {
    let names: Vec<String> = (0..=12)
        .map(|i| static_text(starpos_status_str(i)))
        .collect();
    assert_eq!(
        names,
        [
            "OK",
            "INVALID_ARGUMENT",
            "CONNECT",
            "TIMEOUT",
            "HTTP",
            "PROTOCOL",
            "SIGNATURE",
            "GATEWAY",
            "INTERNAL",
            "JOURNAL",
            "CANCELLED",
            "CANCELLED_NOT_SENT",
            "UNKNOWN"
        ]
    );
    assert_eq!(static_text(starpos_status_str(-1)), "UNKNOWN");
    let doubtful: Vec<i32> = (0..=12).filter(|i| starpos_status_in_doubt(*i)).collect();
    assert_eq!(doubtful, [3, 4, 5, 6, 8, 10]);
    assert_eq!(static_text(starpos_version()), env!("CARGO_PKG_VERSION"));
}

#[test]
fn sign_and_verify_json_with_the_spec_examples() {
    let request = c(
        r#"{"amount":"1","authCode":"130219205322723729","characterSet":"00","mercId":"800290000000441","opSys":"3","orgNo":"489","payChannel":"WXPAY","signType":"MD5","total_amount":"1","tradeNo":"20170804103115431251","trmNo":"95006888","txnTime":"20170804103115","version":"V1.0.0","signValue":""}"#,
    );
    let key = c("Pz5meIuUxRKcF7rlvPglliyfwvC9vhjGcBy61WHM00Qfwz0E6yTTLwgxJsFYE9IQ");
    let mut sig = [0 as c_char; 33];
    assert_eq!(
        unsafe { starpos_sign_json(request.as_ptr(), key.as_ptr(), sig.as_mut_ptr()) },
        OK
    );
    assert_eq!(text(&sig), "a8fda4082fbdd3e3ff679097cd4fae72");

    let answer = r#"{"total_amount":"222","amount":"1","message":"%E7%AD%89%E5%BE%85%E6%94%AF%E4%BB%98","sysTime":"20190108185251","result":"A","returnCode":"000000","orderNo":"201901080013547459","logNo":"201901080013547459","tradeNo":"20190804103115431293","mercId":"800290000007906","signValue":"5c2f8445c4fb7fa73a07c2390f692e64"}"#;
    let key = c("9FF13E7726C4DFEB3BED750779F59711");
    assert_eq!(
        unsafe { starpos_verify_json(c(answer).as_ptr(), key.as_ptr()) },
        OK
    );
    let forged = c(&answer.replace("\"222\"", "\"223\""));
    assert_eq!(
        unsafe { starpos_verify_json(forged.as_ptr(), key.as_ptr()) },
        starpos_status::STARPOS_ERR_SIGNATURE
    );
    let not_json = c("{");
    assert_eq!(
        unsafe { starpos_verify_json(not_json.as_ptr(), key.as_ptr()) },
        starpos_status::STARPOS_ERR_INVALID_ARGUMENT
    );
    assert!(static_text(starpos_last_error()).starts_with("json_object: "));
}

#[test]
fn invalid_utf8_and_unknown_flags_are_refused() {
    let sim = sim();
    let mut cfg = c_config(&sim);
    let bad = [0xffu8 as c_char, 0x41, 0];
    let request = starpos_qry_request {
        txn_time: ptr::null(),
        attach: bad.as_ptr(),
        version: ptr::null(),
    };
    let mut out: starpos_qry_response = zeroed();
    assert_eq!(
        unsafe { starpos_qry(&cfg.raw, &request, &mut out) },
        starpos_status::STARPOS_ERR_INVALID_ARGUMENT
    );
    assert!(
        text(&out.error).starts_with("attach: is not valid UTF-8"),
        "{}",
        text(&out.error)
    );
    cfg.raw.flags = 0x80;
    assert_eq!(
        unsafe { starpos_qry(&cfg.raw, ptr::null(), &mut out) },
        starpos_status::STARPOS_ERR_INVALID_ARGUMENT
    );
    assert!(text(&out.error).starts_with("flags: "));
    assert_eq!(sim.request_count(), 0);
}
