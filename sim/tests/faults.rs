//! Each fault, as seen on the socket.

mod common;

use common::*;
use starpos::Status;
use starpos_sim::{codes, Fault, SimConfig, Simulator, DEFAULT_KEY};
use std::io::ErrorKind;
use std::time::{Duration, Instant};

fn sim() -> Simulator {
    Simulator::start(SimConfig::default()).expect("simulator starts")
}

fn qry(conn: &mut Conn) -> Resp {
    conn.call("pubSigQry", &pairs(&qry_fields()))
        .expect("an answer")
}

fn send_pay(conn: &mut Conn) {
    let fields = pay_fields(&unique("code"), "1", "1");
    let body = starpos::unversioned::wire::encode_request(&pairs(&fields), DEFAULT_KEY);
    conn.send("POST", "/adpweb/ehpspos3/pubSigPay.json", &body)
        .unwrap();
}

fn is_timeout(e: &std::io::Error) -> bool {
    matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut)
}

#[test]
fn never_answer_processes_the_pay_and_holds_the_socket_until_shutdown() {
    let sim = sim();
    sim.inject_for(Some("pubSigPay"), 1, Fault::NeverAnswer);
    let mut conn = Conn::open(sim.port());
    conn.stream()
        .set_read_timeout(Some(Duration::from_millis(200)))
        .unwrap();
    send_pay(&mut conn);
    let e = conn.read_head().expect_err("no answer");
    assert!(is_timeout(&e), "{e}");
    let orders = sim.orders();
    assert_eq!(
        orders.len(),
        1,
        "the pay was processed: its outcome is in doubt"
    );
    assert_eq!(orders[0].state, 'A');
    assert_eq!(sim.pending_faults(), 0);
    conn.stream()
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    sim.shutdown();
    assert!(conn.read_rest().expect("closed at shutdown").is_empty());
}

#[test]
fn stall_after_headers_sends_headers_only() {
    let sim = sim();
    sim.inject(Fault::StallAfterHeaders);
    let mut conn = Conn::open(sim.port());
    conn.stream()
        .set_read_timeout(Some(Duration::from_millis(200)))
        .unwrap();
    send_pay(&mut conn);
    let (status, headers) = conn.read_head().expect("headers");
    assert_eq!(status, 200);
    let length: usize = headers
        .iter()
        .find(|(n, _)| n == "Content-Length")
        .unwrap()
        .1
        .parse()
        .unwrap();
    assert!(length > 100);
    let e = conn.read_rest().expect_err("no body");
    assert!(is_timeout(&e), "{e}");
    assert_eq!(sim.orders().len(), 1);
}

#[test]
fn close_mid_body_sends_half_and_closes() {
    let sim = sim();
    sim.inject(Fault::CloseMidBody);
    let mut conn = Conn::open(sim.port());
    send_pay(&mut conn);
    let (status, headers) = conn.read_head().expect("headers");
    assert_eq!(status, 200);
    let length: usize = headers
        .iter()
        .find(|(n, _)| n == "Content-Length")
        .unwrap()
        .1
        .parse()
        .unwrap();
    let started = Instant::now();
    let rest = conn.read_rest().expect("closed, not timed out");
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(rest.len(), length / 2);
    assert!(rest.starts_with(b"{"));
    assert_eq!(sim.orders().len(), 1);
}

#[test]
fn http_status_with_a_small_body() {
    let sim = sim();
    for status in [500, 502, 404] {
        sim.inject(Fault::Http(status));
        let resp = qry(&mut Conn::open(sim.port()));
        assert_eq!(resp.status, status);
        assert!(resp.text().contains(&status.to_string()));
    }
}

#[test]
fn bodies_that_are_not_answers() {
    let sim = sim();
    let mut conn = Conn::open(sim.port());
    sim.inject(Fault::EmptyBody);
    let resp = qry(&mut conn);
    assert_eq!((resp.status, resp.body.len()), (200, 0));
    assert_eq!(resp.answer().unwrap_err().status(), Status::Protocol);

    sim.inject(Fault::NotJson);
    let resp = qry(&mut conn);
    assert!(resp.text().starts_with("<html>"));
    assert_eq!(resp.answer().unwrap_err().status(), Status::Protocol);

    sim.inject(Fault::JsonArray);
    let resp = qry(&mut conn);
    assert!(resp.body.starts_with(b"[{") && resp.body.ends_with(b"}]"));
    assert_eq!(resp.answer().unwrap_err().status(), Status::Protocol);
    let inner = &resp.body[1..resp.body.len() - 1];
    assert!(starpos::unversioned::wire::decode_answer(inner, DEFAULT_KEY).is_ok());

    // The connection is still good for a normal answer.
    assert!(qry(&mut conn).answer().is_ok());
}

#[test]
fn huge_body_is_streamed_with_its_length() {
    let sim = sim();
    let size = 4 << 20;
    sim.inject(Fault::HugeBody(size));
    let resp = qry(&mut Conn::open(sim.port()));
    assert_eq!(resp.body.len(), size);
    assert!(resp
        .body
        .starts_with(br#"{"returnCode":"000000","message":"xxx"#));
    let json: serde_json::Value =
        serde_json::from_slice(&resp.body).expect("valid JSON, just huge");
    assert!(json.is_object());
}

#[test]
fn signature_faults() {
    let sim = sim();
    let mut conn = Conn::open(sim.port());

    sim.inject(Fault::WrongSignature);
    let resp = qry(&mut conn);
    assert_eq!(resp.json()["returnCode"], "000000");
    assert_eq!(resp.json()["signValue"].as_str().unwrap().len(), 32);
    assert_eq!(resp.answer().unwrap_err().status(), Status::Signature);

    sim.inject(Fault::MissingSignature);
    let resp = qry(&mut conn);
    assert_eq!(resp.json()["returnCode"], "000000");
    assert!(!resp.json().contains_key("signValue"));
    assert_eq!(resp.answer().unwrap_err().status(), Status::Signature);

    sim.inject_for(Some("pubSigPay"), 1, Fault::UnsignedRefusal);
    let fields = pay_fields(&unique("code"), "1", "1");
    let resp = conn.call("pubSigPay", &pairs(&fields)).unwrap();
    let e = resp.answer().unwrap_err();
    assert_eq!(e.status(), Status::Gateway);
    let refusal = e.refusal().unwrap();
    assert!(!refusal.verified());
    assert_eq!(refusal.text("returnCode"), codes::SYSTEM_BUSY);
    assert_eq!(
        sim.orders().len(),
        1,
        "processed before the refusal was sent"
    );
}

#[test]
fn missing_and_overlong_fields_are_signed() {
    let sim = sim();
    let mut conn = Conn::open(sim.port());
    sim.inject(Fault::MissingFields);
    let answer = qry(&mut conn).answer().expect("verified");
    assert!(answer.get("appId").is_none() && answer.get("appIdKey").is_none());
    assert_eq!(answer.text("returnCode"), "000000");

    sim.inject_for(Some("pubSigPay"), 1, Fault::MissingFields);
    let fields = pay_fields(&unique("code"), "1", "1");
    let answer = conn
        .call("pubSigPay", &pairs(&fields))
        .unwrap()
        .answer()
        .expect("verified");
    for name in ["logNo", "result", "orderNo", "PrepayId"] {
        assert!(answer.get(name).is_none(), "{name}");
    }

    sim.inject(Fault::OverlongFields);
    let answer = qry(&mut conn).answer().expect("verified");
    assert_eq!(answer.text("appId").len(), 500);
}

#[test]
fn gbk_body_is_signed_over_utf8() {
    let sim = sim();
    sim.inject(Fault::GbkBody);
    let resp = qry(&mut Conn::open(sim.port()));
    assert_eq!(
        resp.header("Content-Type"),
        Some("application/json;charset=GBK")
    );
    assert!(std::str::from_utf8(&resp.body).is_err());
    let gbk_success = [0xBD, 0xBB, 0xD2, 0xD7, 0xB3, 0xC9, 0xB9, 0xA6];
    let at = resp
        .body
        .windows(8)
        .position(|w| w == gbk_success)
        .expect("交易成功 in GBK");
    let mut utf8 = resp.body[..at].to_vec();
    utf8.extend_from_slice("交易成功".as_bytes());
    utf8.extend_from_slice(&resp.body[at + 8..]);
    let text = String::from_utf8(utf8).expect("only the message was Chinese");
    assert!(starpos::unversioned::wire::verify_json(&text, DEFAULT_KEY).is_ok());
}

#[test]
fn broken_percent_message() {
    let sim = sim();
    sim.inject(Fault::BrokenPercent);
    let resp = qry(&mut Conn::open(sim.port()));
    assert_eq!(resp.json()["message"], "%E4%BA%");
    assert_eq!(resp.answer().unwrap_err().status(), Status::Protocol);
}

#[test]
fn slow_trickle_sends_the_real_answer_slowly() {
    let sim = sim();
    sim.inject(Fault::SlowTrickle { byte_every_ms: 1 });
    let started = Instant::now();
    let mut conn = Conn::open(sim.port());
    let resp = qry(&mut conn);
    assert!(
        started.elapsed() >= Duration::from_millis(200),
        "{:?}",
        started.elapsed()
    );
    assert!(resp.answer().is_ok());
    // Keep-alive goes on afterwards.
    assert!(qry(&mut conn).answer().is_ok());
}

#[test]
fn faults_are_scoped_and_counted() {
    let sim = sim();
    let mut conn = Conn::open(sim.port());
    sim.inject_for(Some("sdkQryBarcodePay"), 2, Fault::Http(503));
    assert_eq!(sim.pending_faults(), 2);
    assert_eq!(
        qry(&mut conn).status,
        200,
        "another endpoint is not affected"
    );
    let resp = conn
        .call("sdkQryBarcodePay", &pairs(&query_fields("x")))
        .unwrap();
    assert_eq!(resp.status, 503);
    assert_eq!(sim.pending_faults(), 1);
    sim.clear_faults();
    assert_eq!(sim.pending_faults(), 0);
    let resp = conn
        .call("sdkQryBarcodePay", &pairs(&query_fields("x")))
        .unwrap();
    assert_eq!(resp.status, 200);
    sim.inject_for(None, 0, Fault::EmptyBody);
    assert_eq!(sim.pending_faults(), 0);
}

#[test]
fn shutdown_is_prompt_with_slow_faults_running() {
    let sim = sim();
    sim.inject_for(
        None,
        3,
        Fault::SlowTrickle {
            byte_every_ms: 1000,
        },
    );
    let mut conns: Vec<Conn> = (0..3).map(|_| Conn::open(sim.port())).collect();
    for conn in &mut conns {
        send_pay(conn);
    }
    // Wait until all three have started trickling.
    for conn in &mut conns {
        let mut first = [0u8; 1];
        std::io::Read::read_exact(&mut conn.stream().try_clone().unwrap(), &mut first).unwrap();
        assert_eq!(&first, b"H");
    }
    let started = Instant::now();
    sim.shutdown();
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn stale_sends_the_previous_answer_of_another_request() {
    let sim = sim();
    let first = barcode_fields(&auth_code('0'), "10", "10");
    let first_answer = call(&sim, "sdkBarcodePay", &pairs(&first))
        .answer()
        .expect("verified");
    sim.inject_for(Some("sdkBarcodePay"), 1, Fault::Stale);
    let second = barcode_fields(&auth_code('0'), "20", "20");
    let stale = call(&sim, "sdkBarcodePay", &pairs(&second))
        .answer()
        .expect("correctly signed");
    assert_eq!(stale.text("tradeNo"), field(&first, "tradeNo"));
    assert_eq!(stale.text("logNo"), first_answer.text("logNo"));
    assert_eq!(stale.text("amount"), "10");
    assert_eq!(
        sim.orders().len(),
        2,
        "the second sale was booked all the same"
    );
}

#[test]
fn stale_without_another_answer_disguises_this_one() {
    let sim = sim();
    sim.inject_for(Some("sdkQryBarcodePay"), 1, Fault::Stale);
    let fields = barcode_fields(&auth_code('0'), "10", "10");
    let order_no = call(&sim, "sdkBarcodePay", &pairs(&fields))
        .answer()
        .unwrap()
        .text("orderNo")
        .to_owned();
    let q = query_fields(&order_no);
    let stale = call(&sim, "sdkQryBarcodePay", &pairs(&q))
        .answer()
        .expect("correctly signed");
    assert_ne!(stale.text("tradeNo"), field(&q, "tradeNo"));
    assert_eq!(stale.text("tradeNo").len(), field(&q, "tradeNo").len());
    assert_eq!(stale.text("orderNo"), order_no, "otherwise the real answer");

    // pubSigPay has no tradeNo: another logNo, amount + 1, another selOrderNo.
    sim.inject_for(Some("pubSigPay"), 1, Fault::Stale);
    let mut pay = pay_fields(&unique("code"), "5", "9");
    pay.push(("selOrderNo", "SEL-1".to_owned()));
    let stale = call(&sim, "pubSigPay", &pairs(&pay))
        .answer()
        .expect("correctly signed");
    let booked = sim
        .orders()
        .into_iter()
        .find(|o| o.sel_order_no == "SEL-1")
        .expect("the pay was booked");
    assert_ne!(stale.text("logNo"), booked.log_no);
    assert_eq!(stale.text("orderNo"), stale.text("logNo"));
    assert_eq!(stale.text("amount"), "6");
    assert_ne!(stale.text("selOrderNo"), "SEL-1");
}

#[test]
fn stale_repeats_nothing_for_the_same_request() {
    let sim = sim();
    // The same body twice (no tradeNo): the remembered answer is this request's own, so the
    // stale answer is a disguised one, not the earlier answer.
    let body = starpos::unversioned::wire::encode_request(&pairs(&qry_fields()), DEFAULT_KEY);
    let mut conn = Conn::open(sim.port());
    let real = conn
        .post("/adpweb/ehpspos3/pubSigQry.json", &body)
        .unwrap()
        .answer()
        .unwrap();
    sim.inject(Fault::Stale);
    let stale = conn
        .post("/adpweb/ehpspos3/pubSigQry.json", &body)
        .unwrap()
        .answer()
        .expect("correctly signed");
    assert_ne!(stale.text("sysTime"), real.text("sysTime"));
    assert_eq!(stale.text("attach"), "1");
}

#[test]
fn mismatched_amount_is_one_fen_more_and_signed() {
    let sim = sim();
    sim.inject_for(Some("sdkBarcodePay"), 1, Fault::MismatchedAmount);
    let fields = barcode_fields(&auth_code('0'), "10", "10");
    let answer = call(&sim, "sdkBarcodePay", &pairs(&fields))
        .answer()
        .expect("correctly signed");
    assert_eq!(answer.text("amount"), "11");
    assert_eq!(answer.text("tradeNo"), field(&fields, "tradeNo"));
    assert_eq!(sim.orders()[0].amount, 10);

    sim.inject_for(Some("sdkRefundBarcodePay"), 1, Fault::MismatchedAmount);
    let refund = refund_fields(answer.text("orderNo"), Some("4"));
    let answer = call(&sim, "sdkRefundBarcodePay", &pairs(&refund))
        .answer()
        .expect("correctly signed");
    assert_eq!(answer.text("txnAmt"), "5");
    assert_eq!(sim.orders()[0].refunded, 4);
}

#[test]
fn delay_books_first_and_answers_late() {
    let sim = sim();
    sim.inject_for(Some("sdkBarcodePay"), 1, Fault::Delay { ms: 400 });
    let fields = barcode_fields(&auth_code('0'), "10", "10");
    let body = starpos::unversioned::wire::encode_request(&pairs(&fields), DEFAULT_KEY);
    let mut conn = Conn::open(sim.port());
    conn.stream()
        .set_read_timeout(Some(Duration::from_millis(100)))
        .unwrap();
    let started = Instant::now();
    conn.send("POST", "/adpweb/ehpspos3/sdkBarcodePay.json", &body)
        .unwrap();
    let e = conn.read_head().expect_err("not yet");
    assert!(is_timeout(&e), "{e}");
    assert_eq!(sim.orders().len(), 1, "booked before the answer left");
    conn.stream()
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    let answer = conn.read_response().unwrap().answer().expect("verified");
    assert!(started.elapsed() >= Duration::from_millis(400));
    assert_eq!(answer.text("result"), "S");
}

#[test]
fn missing_and_overlong_fields_on_the_sales() {
    let sim = sim();
    sim.inject_for(Some("sdkBarcodePosPay"), 1, Fault::MissingFields);
    let answer = call(&sim, "sdkBarcodePosPay", &pairs(&qr_fields("1", "1")))
        .answer()
        .expect("verified");
    for name in ["logNo", "result", "orderNo", "payCode"] {
        assert!(answer.get(name).is_none(), "{name}");
    }
    sim.inject_for(Some("sdkBarcodePay"), 1, Fault::OverlongFields);
    let fields = barcode_fields(&auth_code('0'), "1", "1");
    let answer = call(&sim, "sdkBarcodePay", &pairs(&fields))
        .answer()
        .expect("verified");
    assert_eq!(answer.text("orderNo").len(), 500);
    assert_eq!(sim.orders().len(), 2);
}
