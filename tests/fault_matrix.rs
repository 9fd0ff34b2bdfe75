//! Every simulator fault against qry, pay, query, refund and the two counter sales, through
//! the C ABI. For each one:
//! the exact status; CONNECT only where nothing can have reached the gateway and an in-doubt
//! status wherever the request may have been processed; the call returns within its timeout
//! plus a margin; and no field of an unverified answer is handed out.

mod common;

use common::*;
use starpos::ffi::*;
use starpos_sim::{Fault, Simulator};
use std::os::raw::c_char;
use std::ptr;
use std::time::{Duration, Instant};

/// The whole-call timeout the matrix runs with, and what a call may take beyond it.
const TIMEOUT_MS: u32 = 1500;
const MARGIN: Duration = Duration::from_millis(1000);

#[derive(Debug, Clone, Copy, PartialEq)]
enum Endpoint {
    Qry,
    Pay,
    Query,
    Refund,
    BarcodePay,
    QrPay,
}

const ALL: [Endpoint; 6] = [
    Endpoint::Qry,
    Endpoint::Pay,
    Endpoint::Query,
    Endpoint::Refund,
    Endpoint::BarcodePay,
    Endpoint::QrPay,
];

impl Endpoint {
    fn wire(self) -> &'static str {
        match self {
            Endpoint::Qry => "pubSigQry",
            Endpoint::Pay => "pubSigPay",
            Endpoint::Query => "sdkQryBarcodePay",
            Endpoint::Refund => "sdkRefundBarcodePay",
            Endpoint::BarcodePay => "sdkBarcodePay",
            Endpoint::QrPay => "sdkBarcodePosPay",
        }
    }
}

/// What a call gave back.
#[derive(Debug)]
struct Outcome {
    status: starpos_status,
    elapsed: Duration,
    /// Every non-empty answer field handed out (not `error`, not the request's own `tradeNo`).
    handed_out: Vec<(&'static str, String)>,
    verified: bool,
    error: String,
}

fn config(sim: &Simulator) -> CConfig {
    let mut cfg = c_config(sim);
    cfg.raw.connect_timeout_ms = 1000;
    cfg.raw.timeout_ms = TIMEOUT_MS;
    cfg
}

fn non_empty(fields: &[(&'static str, &[c_char])]) -> Vec<(&'static str, String)> {
    fields
        .iter()
        .map(|(n, b)| (*n, text(b)))
        .filter(|(_, v)| !v.is_empty())
        .collect()
}

/// Makes an order (paid when `confirm`) without any fault.
fn order(sim: &Simulator, cfg: &CConfig, confirm: bool) -> String {
    let code = c(&unique("code"));
    let request = starpos_pay_request {
        txn_time: ptr::null(),
        version: ptr::null(),
        code: code.as_ptr(),
        openid: ptr::null(),
        amount: 300,
        total_amount: 300,
        subject: ptr::null(),
        sel_order_no: ptr::null(),
        goods_tag: ptr::null(),
        attach: ptr::null(),
    };
    let mut out: starpos_pay_response = zeroed();
    assert_eq!(
        unsafe { starpos_pay(&cfg.raw, &request, &mut out) },
        starpos_status::STARPOS_OK
    );
    let log_no = text(&out.log_no);
    if confirm {
        assert!(sim.confirm(&log_no));
    }
    log_no
}

/// A WeChat payment code the simulator pays at once (18 digits from 13, last digit 0).
fn payment_code() -> String {
    static N: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    format!(
        "13{:09}{:06}0",
        std::process::id() % 1_000_000_000,
        n % 1_000_000
    )
}

/// The fields a counter sale's response hands out.
fn counter_fields(
    return_code: &[c_char],
    message: &[c_char],
    sys_time: &[c_char],
    merc_id: &[c_char],
    log_no: &[c_char],
    order_no: &[c_char],
    (result, amount): (c_char, u64),
) -> Vec<(&'static str, String)> {
    let mut f = non_empty(&[
        ("return_code", return_code),
        ("message", message),
        ("sys_time", sys_time),
        ("merc_id", merc_id),
        ("log_no", log_no),
        ("order_no", order_no),
    ]);
    if result != 0 || amount != 0 {
        f.push(("result/amount", format!("{result} {amount}")));
    }
    f
}

/// Runs `endpoint` with `fault` applied to its answer.
fn call(sim: &Simulator, endpoint: Endpoint, fault: &Fault) -> Outcome {
    let cfg = config(sim);
    let order_no = match endpoint {
        Endpoint::Query => order(sim, &cfg, false),
        Endpoint::Refund => order(sim, &cfg, true),
        _ => String::new(),
    };
    sim.inject_for(Some(endpoint.wire()), 1, fault.clone());
    let started = Instant::now();
    let (status, handed_out, verified, error) = unsafe {
        match endpoint {
            Endpoint::Qry => {
                let mut o: starpos_qry_response = zeroed();
                let s = starpos_qry(&cfg.raw, ptr::null(), &mut o);
                let f = non_empty(&[
                    ("return_code", &o.return_code),
                    ("message", &o.message),
                    ("sys_time", &o.sys_time),
                    ("merc_id", &o.merc_id),
                    ("app_id", &o.app_id),
                    ("app_id_key", &o.app_id_key),
                    ("attach", &o.attach),
                ]);
                (s, f, o.verified, text(&o.error))
            }
            Endpoint::Pay => {
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
                let mut o: starpos_pay_response = zeroed();
                let s = starpos_pay(&cfg.raw, &request, &mut o);
                let mut f = non_empty(&[
                    ("return_code", &o.return_code),
                    ("message", &o.message),
                    ("sys_time", &o.sys_time),
                    ("merc_id", &o.merc_id),
                    ("log_no", &o.log_no),
                    ("order_no", &o.order_no),
                    ("prepay_id", &o.prepay_id),
                    ("api_appid", &o.api_appid),
                    ("api_package", &o.api_package),
                    ("api_paysign", &o.api_paysign),
                ]);
                if o.result != 0 || o.amount != 0 {
                    f.push(("result/amount", format!("{} {}", o.result, o.amount)));
                }
                (s, f, o.verified, text(&o.error))
            }
            Endpoint::Query => {
                let no = c(&order_no);
                let request = starpos_query_request {
                    txn_time: ptr::null(),
                    version: ptr::null(),
                    trade_no: ptr::null(),
                    qry_no: no.as_ptr(),
                };
                let mut o: starpos_query_response = zeroed();
                let s = starpos_query(&cfg.raw, &request, &mut o);
                let mut f = non_empty(&[
                    ("return_code", &o.return_code),
                    ("message", &o.message),
                    ("sys_time", &o.sys_time),
                    ("merc_id", &o.merc_id),
                    ("log_no", &o.log_no),
                    ("order_no", &o.order_no),
                    ("pay_channel", &o.pay_channel),
                ]);
                if o.result != 0 || o.amount != 0 {
                    f.push(("result/amount", format!("{} {}", o.result, o.amount)));
                }
                assert!(!text(&o.trade_no).is_empty(), "the query's tradeNo is kept");
                (s, f, o.verified, text(&o.error))
            }
            Endpoint::Refund => {
                let no = c(&order_no);
                let request = starpos_refund_request {
                    txn_time: ptr::null(),
                    version: ptr::null(),
                    trade_no: ptr::null(),
                    order_no: no.as_ptr(),
                    // The whole order, named: an answer's txnAmt is then bound to it.
                    txn_amt: 300,
                };
                let mut o: starpos_refund_response = zeroed();
                let s = starpos_refund(&cfg.raw, &request, &mut o);
                let mut f = non_empty(&[
                    ("return_code", &o.return_code),
                    ("message", &o.message),
                    ("sys_time", &o.sys_time),
                    ("merc_id", &o.merc_id),
                    ("log_no", &o.log_no),
                ]);
                if o.result != 0 || o.txn_amt != 0 {
                    f.push(("result/txn_amt", format!("{} {}", o.result, o.txn_amt)));
                }
                assert!(
                    !text(&o.trade_no).is_empty(),
                    "the refund's tradeNo is kept for a later query"
                );
                (s, f, o.verified, text(&o.error))
            }
            Endpoint::BarcodePay => {
                let code = c(&payment_code());
                let mut request: starpos_barcode_pay_request = zeroed();
                request.auth_code = code.as_ptr();
                request.amount = 100;
                request.total_amount = 100;
                let mut o: starpos_barcode_pay_response = zeroed();
                let s = starpos_barcode_pay(&cfg.raw, &request, &mut o);
                let f = counter_fields(
                    &o.return_code,
                    &o.message,
                    &o.sys_time,
                    &o.merc_id,
                    &o.log_no,
                    &o.order_no,
                    (o.result, o.amount),
                );
                assert!(!text(&o.trade_no).is_empty(), "the sale's tradeNo is kept");
                (s, f, o.verified, text(&o.error))
            }
            Endpoint::QrPay => {
                let channel = c("WXPAY");
                let mut request: starpos_qr_pay_request = zeroed();
                request.pay_channel = channel.as_ptr();
                request.amount = 100;
                request.total_amount = 100;
                let mut o: starpos_qr_pay_response = zeroed();
                let s = starpos_qr_pay(&cfg.raw, &request, &mut o);
                let mut f = counter_fields(
                    &o.return_code,
                    &o.message,
                    &o.sys_time,
                    &o.merc_id,
                    &o.log_no,
                    &o.order_no,
                    (o.result, o.amount),
                );
                f.extend(non_empty(&[("pay_code", &o.pay_code)]));
                assert!(!text(&o.trade_no).is_empty(), "the sale's tradeNo is kept");
                (s, f, o.verified, text(&o.error))
            }
        }
    };
    Outcome {
        status,
        elapsed: started.elapsed(),
        handed_out,
        verified,
        error,
    }
}

/// Runs `fault` against every endpoint and checks the outcome.
fn matrix(fault: Fault, expected: starpos_status) {
    matrix_by(fault, |_| expected);
}

/// [`matrix`] with the status expected of each endpoint.
fn matrix_by(fault: Fault, expected_of: impl Fn(Endpoint) -> starpos_status) {
    let sim = sim();
    for endpoint in ALL {
        let expected = expected_of(endpoint);
        let o = call(&sim, endpoint, &fault);
        let case = format!("{fault:?} on {endpoint:?}: {o:?}");
        assert_eq!(o.status, expected, "{case}");
        assert!(
            o.elapsed <= Duration::from_millis(u64::from(TIMEOUT_MS)) + MARGIN,
            "{case}: took {:?}",
            o.elapsed
        );
        assert!(!o.error.is_empty(), "{case}: error says what happened");
        if expected == starpos_status::STARPOS_ERR_GATEWAY || fault == Fault::UnsignedRefusal {
            // An unsigned refusal: its words are handed out, marked unverified (in doubt for a
            // money call: it proves nothing).
            assert!(!o.verified, "{case}");
            let names: Vec<&str> = o.handed_out.iter().map(|(n, _)| *n).collect();
            assert!(
                names
                    .iter()
                    .all(|n| ["return_code", "message", "sys_time", "merc_id"].contains(n)),
                "{case}"
            );
        } else {
            assert!(
                o.handed_out.is_empty(),
                "{case}: nothing of an unusable answer is handed out"
            );
            assert!(!o.verified, "{case}");
            assert!(
                starpos_status_in_doubt(o.status as i32),
                "{case}: the request reached the gateway"
            );
        }
    }
    assert_eq!(sim.pending_faults(), 0, "every fault was used");
}

use starpos_status::*;

#[test]
fn never_answer_is_timeout() {
    matrix(Fault::NeverAnswer, STARPOS_ERR_TIMEOUT);
}

#[test]
fn stall_after_headers_is_timeout() {
    matrix(Fault::StallAfterHeaders, STARPOS_ERR_TIMEOUT);
}

#[test]
fn slow_trickle_is_bounded_by_the_whole_call_timeout() {
    matrix(
        Fault::SlowTrickle { byte_every_ms: 20 },
        STARPOS_ERR_TIMEOUT,
    );
}

#[test]
fn close_mid_body_is_protocol() {
    matrix(Fault::CloseMidBody, STARPOS_ERR_PROTOCOL);
}

#[test]
fn http_errors_are_http() {
    for status in [500, 502, 404] {
        matrix(Fault::Http(status), STARPOS_ERR_HTTP);
    }
}

#[test]
fn unusable_bodies_are_protocol() {
    for fault in [
        Fault::EmptyBody,
        Fault::NotJson,
        Fault::JsonArray,
        Fault::HugeBody(8 << 20),
        Fault::MissingFields,
        Fault::OverlongFields,
        Fault::BrokenPercent,
    ] {
        matrix(fault, STARPOS_ERR_PROTOCOL);
    }
}

#[test]
fn a_gbk_body_is_decoded_when_the_build_has_gbk() {
    if !starpos::unversioned::charset::GBK_SUPPORTED {
        matrix(Fault::GbkBody, STARPOS_ERR_PROTOCOL);
        return;
    }
    let sim = sim();
    for endpoint in ALL {
        let o = call(&sim, endpoint, &Fault::GbkBody);
        assert_eq!(o.status, STARPOS_OK, "{endpoint:?}: {o:?}");
        assert!(o.verified);
        let message = o
            .handed_out
            .iter()
            .find(|(n, _)| *n == "message")
            .map(|(_, v)| v.as_str());
        assert!(
            message.is_some_and(|m| !m.is_ascii()),
            "the Chinese message arrives as UTF-8: {o:?}"
        );
    }
}

#[test]
fn bad_signatures_are_signature() {
    matrix(Fault::WrongSignature, STARPOS_ERR_SIGNATURE);
    matrix(Fault::MissingSignature, STARPOS_ERR_SIGNATURE);
}

#[test]
fn another_requests_answer_is_protocol() {
    // pubSigQry is left out: its answer is the merchant's account, the same for every request,
    // so a replayed one carries nothing to tell it by and nothing false.
    let sim = sim();
    for endpoint in ALL.into_iter().filter(|e| *e != Endpoint::Qry) {
        let o = call(&sim, endpoint, &Fault::Stale);
        let case = format!("stale on {endpoint:?}: {o:?}");
        assert_eq!(o.status, STARPOS_ERR_PROTOCOL, "{case}");
        assert!(o.error.contains("not this request's"), "{case}");
        assert!(o.handed_out.is_empty(), "{case}");
    }
    assert_eq!(sim.pending_faults(), 0);
}

#[test]
fn a_changed_amount_is_protocol_where_the_request_sent_one() {
    let sim = sim();
    for endpoint in ALL {
        let o = call(&sim, endpoint, &Fault::MismatchedAmount);
        let case = format!("mismatched amount on {endpoint:?}: {o:?}");
        match endpoint {
            // No amount was sent: the order's amount is the answer's own word.
            Endpoint::Qry | Endpoint::Query => assert_eq!(o.status, STARPOS_OK, "{case}"),
            _ => {
                assert_eq!(o.status, STARPOS_ERR_PROTOCOL, "{case}");
                assert!(
                    o.error.contains("amount") || o.error.contains("txnAmt"),
                    "{case}"
                );
                assert!(o.handed_out.is_empty(), "{case}");
            }
        }
    }
}

#[test]
fn unsigned_refusal_is_gateway_marked_unverified() {
    // A read-only call takes the refusal as it comes; a money call's unsigned refusal may be
    // anyone's: SIGNATURE, in doubt (docs/protocol.md, "when a refusal is final").
    matrix_by(Fault::UnsignedRefusal, |endpoint| match endpoint {
        Endpoint::Qry | Endpoint::Query => STARPOS_ERR_GATEWAY,
        _ => STARPOS_ERR_SIGNATURE,
    });
}

#[test]
fn nothing_listening_is_connect_within_the_timeout() {
    let sim = sim();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    for base in [
        format!("http://127.0.0.1:{port}/adpweb/ehpspos3/"),
        // A name that cannot resolve: the lookup must not hang past the timeout.
        "http://starpos-no-such-host.invalid/adpweb/ehpspos3/".to_owned(),
    ] {
        let mut cfg = config(&sim);
        let url = c(&base);
        cfg.raw.base_url = url.as_ptr();
        let mut out: starpos_qry_response = zeroed();
        let started = Instant::now();
        let status = unsafe { starpos_qry(&cfg.raw, ptr::null(), &mut out) };
        assert_eq!(status, STARPOS_ERR_CONNECT, "{base}: {}", text(&out.error));
        assert!(started.elapsed() <= Duration::from_millis(u64::from(TIMEOUT_MS)) + MARGIN);
        assert!(!starpos_status_in_doubt(status as i32));
    }
}
