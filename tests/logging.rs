//! The C logging hook: messages arrive with their levels, say what the library did (endpoint,
//! status, time, gateway serials), carry no secret, and stop when the hook is removed.

mod common;

use common::*;
use starpos::ffi::*;
use std::ffi::{c_void, CStr};
use std::os::raw::c_char;
use std::ptr;
use std::sync::Mutex;

static CAPTURED: Mutex<Vec<(i32, String)>> = Mutex::new(Vec::new());

unsafe extern "C" fn capture(level: i32, message: *const c_char, userdata: *mut c_void) {
    assert_eq!(userdata as usize, 0x5AFE, "userdata comes back untouched");
    let text = unsafe { CStr::from_ptr(message) }
        .to_string_lossy()
        .into_owned();
    CAPTURED.lock().unwrap().push((level, text));
}

#[test]
fn the_logger_sees_each_call_and_no_secret() {
    let sim = sim();
    let cfg = c_config(&sim);
    unsafe { starpos_set_logger(Some(capture), 0x5AFE as *mut c_void) };

    let code = c(&unique("code"));
    let request = starpos_pay_request {
        txn_time: ptr::null(),
        version: ptr::null(),
        code: code.as_ptr(),
        openid: ptr::null(),
        amount: 100,
        total_amount: 100,
        subject: ptr::null(),
        sel_order_no: ptr::null(),
        goods_tag: ptr::null(),
        attach: ptr::null(),
    };
    let mut pay: starpos_pay_response = zeroed();
    assert_eq!(
        unsafe { starpos_pay(&cfg.raw, &request, &mut pay) },
        starpos_status::STARPOS_OK
    );
    let mut qry: starpos_qry_response = zeroed();
    assert_eq!(
        unsafe { starpos_qry(&cfg.raw, ptr::null(), &mut qry) },
        starpos_status::STARPOS_OK
    );
    // A refusal and an in-doubt failure.
    let reused = unsafe { starpos_pay(&cfg.raw, &request, &mut pay) };
    assert_eq!(
        reused,
        starpos_status::STARPOS_ERR_GATEWAY,
        "an OAuth code works once"
    );
    sim.inject(starpos_sim::Fault::WrongSignature);
    assert_eq!(
        unsafe { starpos_qry(&cfg.raw, ptr::null(), &mut qry) },
        starpos_status::STARPOS_ERR_SIGNATURE
    );

    unsafe { starpos_set_logger(None, ptr::null_mut()) };
    let before = CAPTURED.lock().unwrap().len();
    assert_eq!(
        unsafe { starpos_qry(&cfg.raw, ptr::null(), &mut qry) },
        starpos_status::STARPOS_OK
    );
    let captured = CAPTURED.lock().unwrap().clone();
    assert_eq!(
        captured.len(),
        before,
        "nothing is logged once the hook is removed"
    );

    let has = |level: i32, needle: &str| {
        captured
            .iter()
            .any(|(l, m)| *l == level && m.contains(needle))
    };
    assert!(has(4, "pubSigPay: POST http://127.0.0.1:"), "{captured:#?}");
    assert!(has(3, "pubSigPay: OK in"), "{captured:#?}");
    assert!(
        has(3, &format!("logNo {}", text(&pay.log_no).trim())) || has(3, "logNo "),
        "{captured:#?}"
    );
    assert!(has(2, "pubSigPay: GATEWAY after"), "{captured:#?}");
    assert!(
        has(1, "pubSigQry: SIGNATURE after"),
        "in-doubt failures are errors: {captured:#?}"
    );
    for (_, message) in &captured {
        assert_eq!(leaked_secret(message), None, "{message}");
        assert!(!message.contains(code.to_str().unwrap()));
    }
}

#[test]
fn the_secret_guard_would_catch_a_leak() {
    // The check every test binary's logger runs must itself be able to fail.
    assert!(leaked_secret(&format!("key {}", starpos_sim::DEFAULT_KEY)).is_some());
    assert!(leaked_secret("signValue 5c2f8445c4fb7fa73a07c2390f692e64 x").is_some());
    let code = unique("code");
    assert!(leaked_secret(&format!("code={code}")).is_some());
    let open_id = format!("{}0123456789abcdefghi", starpos_sim::OPEN_ID_PREFIX);
    assert!(leaked_secret(&format!("paid by {open_id}")).is_some());
    assert_eq!(
        leaked_secret("pubSigPay: OK in 3 ms (returnCode 000000, logNo 202611260753197909)"),
        None
    );
}
