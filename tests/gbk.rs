//! GBK firmware: with STARPOS_FLAG_GBK_STRINGS the caller's strings are GBK going in and
//! coming out; with STARPOS_FLAG_GBK_BODY the body travels in GBK. The signature is over the
//! UTF-8 text either way, so the simulator (which verifies it) accepts both.
#![cfg(feature = "gbk")]

mod common;

use common::*;
use starpos::ffi::*;
use std::ffi::CString;
use std::os::raw::c_char;
use std::ptr;

fn gbk(text: &str) -> CString {
    CString::new(starpos::unversioned::charset::utf8_to_gbk(text).unwrap()).unwrap()
}

fn bytes(buf: &[c_char]) -> Vec<u8> {
    buf.iter()
        .take_while(|b| **b != 0)
        .map(|b| *b as u8)
        .collect()
}

fn pay(cfg: &starpos_config, subject: &CString) -> (starpos_status, starpos_pay_response) {
    let code = c(&unique("code"));
    let request = starpos_pay_request {
        txn_time: ptr::null(),
        version: ptr::null(),
        code: code.as_ptr(),
        openid: ptr::null(),
        amount: 88,
        total_amount: 88,
        subject: subject.as_ptr(),
        sel_order_no: ptr::null(),
        goods_tag: ptr::null(),
        attach: ptr::null(),
    };
    let mut out: starpos_pay_response = zeroed();
    let status = unsafe { starpos_pay(cfg, &request, &mut out) };
    (status, out)
}

#[test]
fn gbk_strings_go_in_and_come_back_in_gbk() {
    let sim = sim();
    let mut cfg = c_config(&sim);
    cfg.raw.flags = STARPOS_FLAG_GBK_STRINGS;
    let subject = gbk("红烧牛肉面");
    let (status, out) = pay(&cfg.raw, &subject);
    assert_eq!(status, starpos_status::STARPOS_OK);
    // The gateway saw UTF-8 text.
    let sent = sim.requests().pop().unwrap();
    assert_eq!(sent.fields["subject"], "红烧牛肉面");
    // The till gets GBK back.
    assert_eq!(bytes(&out.subject), subject.as_bytes());
    assert_eq!(
        bytes(&out.message),
        starpos::unversioned::charset::utf8_to_gbk("等待支付").unwrap()
    );
}

#[test]
fn gbk_errors_come_back_in_gbk_and_bad_gbk_is_refused() {
    let sim = sim();
    let mut cfg = c_config(&sim);
    cfg.raw.flags = STARPOS_FLAG_GBK_STRINGS;
    // A byte sequence that is not GBK.
    let broken = CString::new(vec![b'a', 0x81, 0x20]).unwrap();
    let (status, out) = pay(&cfg.raw, &broken);
    assert_eq!(status, starpos_status::STARPOS_ERR_INVALID_ARGUMENT);
    assert_eq!(text(&out.error), "subject: is not valid GBK");
    // A refusal's Chinese message arrives in GBK in both message and error.
    let unknown = c(&unique("order"));
    let request = starpos_refund_request {
        txn_time: ptr::null(),
        version: ptr::null(),
        trade_no: ptr::null(),
        order_no: unknown.as_ptr(),
        txn_amt: 0,
    };
    let mut refused: starpos_refund_response = zeroed();
    assert_eq!(
        unsafe { starpos_refund(&cfg.raw, &request, &mut refused) },
        starpos_status::STARPOS_ERR_GATEWAY
    );
    let message = bytes(&refused.message);
    assert!(
        !message.is_ascii() && std::str::from_utf8(&message).is_err(),
        "GBK, not UTF-8"
    );
    let decoded = starpos::unversioned::charset::gbk_to_utf8(&message, "message").unwrap();
    assert!(decoded.starts_with("订单不存在"), "{decoded}");
    assert_eq!(
        sim.request_count(),
        1,
        "the invalid GBK subject was never sent"
    );
}

#[test]
fn gbk_bodies_are_signed_over_utf8_and_accepted() {
    let sim = sim();
    let mut cfg = c_config(&sim);
    cfg.raw.flags = STARPOS_FLAG_GBK_BODY;
    let subject = c("红烧牛肉面");
    let (status, out) = pay(&cfg.raw, &subject);
    assert_eq!(status, starpos_status::STARPOS_OK, "{}", text(&out.error));
    let sent = sim.requests().pop().unwrap();
    assert!(
        std::str::from_utf8(&sent.body).is_err(),
        "the body travelled in GBK"
    );
    assert_eq!(sent.fields["subject"], "红烧牛肉面");
    assert_eq!(
        text(&out.subject),
        "红烧牛肉面",
        "strings stay UTF-8 without GBK_STRINGS"
    );
}
