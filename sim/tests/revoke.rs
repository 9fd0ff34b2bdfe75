//! The revoke (`RevokeBarcodepay`): paid and waiting orders become `D` and stay so, repeats
//! are idempotent, and the refusals (unknown order, an earlier day, refunds, a repeated
//! `tradeNo`); faults apply to it as to the other money calls.

mod common;

use common::*;
use starpos::Answer;
use starpos_sim::{codes, Fault, SimConfig, Simulator, QR_LIFETIME};
use std::time::Duration;

fn sim() -> Simulator {
    Simulator::start(SimConfig::default()).expect("simulator starts")
}

/// A revoke request for the sale known by `qry_no`, with a fresh `tradeNo`.
fn revoke_fields(qry_no: &str) -> Vec<(&'static str, String)> {
    let mut f = sdk_base();
    set(&mut f, "tradeNo", &unique("V"));
    f.push(("qryNo", qry_no.to_owned()));
    f
}

fn send(sim: &Simulator, fields: &[(&'static str, String)]) -> Resp {
    call(sim, "RevokeBarcodepay", &pairs(fields))
}

/// Revokes `qry_no`; the verified answer, checked to echo the revoke's own `tradeNo`.
fn revoke(sim: &Simulator, qry_no: &str) -> Answer {
    let fields = revoke_fields(qry_no);
    let answer = send(sim, &fields)
        .answer()
        .expect("a verified revoke answer");
    assert_eq!(answer.text("returnCode"), codes::SUCCESS);
    assert_eq!(answer.text("tradeNo"), field(&fields, "tradeNo"));
    answer
}

/// The refusal's `returnCode`, checking it is signed and echoes `trade_no`.
fn refused(resp: &Resp, trade_no: &str) -> String {
    let e = resp.answer().expect_err("a refusal");
    let answer = e.refusal().expect("the refusal answer");
    assert!(answer.verified(), "{answer:?}");
    assert_eq!(answer.text("tradeNo"), trade_no, "refusals echo tradeNo");
    answer.text("returnCode").to_owned()
}

/// A barcode sale whose payer acts as `last` says; its `tradeNo` and answer.
fn sale(sim: &Simulator, last: char, amount: &str) -> (String, Answer) {
    let mut fields = barcode_fields(&auth_code(last), amount, "120");
    set(&mut fields, "subject", "coffee");
    set(&mut fields, "selOrderNo", &unique("SEL"));
    let trade_no = field(&fields, "tradeNo").to_owned();
    let answer = call(sim, "sdkBarcodePay", &pairs(&fields))
        .answer()
        .expect("a verified sale answer");
    (trade_no, answer)
}

#[test]
fn a_paid_sale_is_revoked_and_the_query_says_d() {
    let sim = sim();
    let (trade_no, paid) = sale(&sim, '0', "100");
    assert_eq!(paid.text("result"), "S");
    let revoked = revoke(&sim, &trade_no);
    assert_eq!(revoked.text("result"), "S");
    assert_eq!(revoked.text("LogNo").len(), 18, "{revoked:?}");
    assert_ne!(revoked.text("LogNo"), paid.text("logNo"));
    for (name, value) in [
        ("amount", "100"),
        ("total_amount", "120"),
        ("payChannel", "WXPAY"),
        ("subject", "coffee"),
        ("selOrderNo", paid.text("selOrderNo")),
    ] {
        assert_eq!(revoked.text(name), value, "{name}");
    }
    let found = query(&sim, &trade_no).unwrap();
    assert_eq!(found.text("result"), "D");
    assert_eq!(found.text("message"), "交易已撤销");
    let order = sim.order(&trade_no).unwrap();
    assert_eq!(order.state, 'D');
    let record = order.revoke.expect("the revoke is recorded");
    assert_eq!((record.returned, record.was), (100, 'S'));
    assert_eq!(record.log_no, revoked.text("LogNo"));
    assert_eq!(order.refunded, 0, "a revoke is not a refund");
    // The order's other numbers find it too, and a refund of a revoked order is refused.
    let by_log_no = revoke(&sim, paid.text("logNo"));
    assert_eq!(by_log_no.text("result"), "S");
    let fields = refund_fields(paid.text("orderNo"), None);
    let resp = call(&sim, "sdkRefundBarcodePay", &pairs(&fields));
    assert_eq!(
        refused(&resp, field(&fields, "tradeNo")),
        codes::ORDER_STATE
    );
}

#[test]
fn a_waiting_sale_is_closed_and_the_payer_can_no_longer_pay() {
    let sim = sim();
    let (trade_no, waiting) = sale(&sim, '1', "5");
    assert_eq!(waiting.text("result"), "A");
    assert_eq!(revoke(&sim, &trade_no).text("result"), "S");
    assert!(
        !sim.confirm(&trade_no),
        "the payer cannot pay a revoked order"
    );
    let found = query(&sim, &trade_no).unwrap();
    assert_eq!(found.text("result"), "D");
    assert_eq!(found.text("orderNo"), waiting.text("logNo"), "never paid");
    let order = sim.order(&trade_no).unwrap();
    assert_eq!(order.state, 'D');
    assert_eq!(order.channel_order_no, None, "never charged");
    let record = order.revoke.unwrap();
    assert_eq!((record.returned, record.was), (0, 'A'));
}

#[test]
fn a_revoked_qr_sale_neither_settles_nor_expires() {
    let config = SimConfig {
        settle_after: Some(Duration::from_secs(60)),
        ..SimConfig::default()
    };
    let sim = Simulator::start(config).unwrap();
    let fields = qr_fields("7", "7");
    let trade_no = field(&fields, "tradeNo").to_owned();
    let made = call(&sim, "sdkBarcodePosPay", &pairs(&fields))
        .answer()
        .unwrap();
    assert_eq!(made.text("result"), "S");
    assert_eq!(revoke(&sim, &trade_no).text("result"), "S");
    sim.advance(Duration::from_secs(120));
    assert_eq!(query(&sim, &trade_no).unwrap().text("result"), "D");
    sim.advance(QR_LIFETIME);
    assert!(!sim.confirm(&trade_no));
    let order = sim.order(&trade_no).unwrap();
    assert_eq!((order.state, order.expired), ('D', false));
    assert_eq!(order.channel_order_no, None);
}

#[test]
fn a_second_revoke_answers_s_again_and_returns_nothing_more() {
    let sim = sim();
    let (trade_no, _) = sale(&sim, '0', "30");
    let first = revoke(&sim, &trade_no);
    let before = sim.order(&trade_no).unwrap();
    let second = revoke(&sim, &trade_no);
    assert_eq!(second.text("result"), "S");
    assert_eq!(second.text("amount"), "30");
    assert_ne!(second.text("LogNo"), first.text("LogNo"), "its own serial");
    let after = sim.order(&trade_no).unwrap();
    assert_eq!(after, before, "nothing changed: no second return");
    assert_eq!(after.revoke.unwrap().returned, 30);
}

#[test]
fn an_unknown_order_is_not_found() {
    let sim = sim();
    let fields = revoke_fields("NO-SUCH-ORDER");
    let resp = send(&sim, &fields);
    assert_eq!(
        refused(&resp, field(&fields, "tradeNo")),
        codes::ORDER_NOT_FOUND
    );
    let mut fields = revoke_fields("x");
    unset(&mut fields, "qryNo");
    let resp = send(&sim, &fields);
    assert_eq!(
        refused(&resp, field(&fields, "tradeNo")),
        codes::BAD_REQUEST
    );
}

#[test]
fn a_sale_of_an_earlier_day_is_refused() {
    let sim = sim();
    let (trade_no, _) = sale(&sim, '0', "10");
    sim.advance(Duration::from_secs(24 * 3600));
    let fields = revoke_fields(&trade_no);
    let resp = send(&sim, &fields);
    assert_eq!(
        refused(&resp, field(&fields, "tradeNo")),
        codes::REVOKE_NOT_TODAY
    );
    assert_eq!(sim.order(&trade_no).unwrap().state, 'S', "untouched");
}

#[test]
fn a_repeated_revoke_trade_no_is_refused() {
    let sim = sim();
    let (trade_no, _) = sale(&sim, '0', "10");
    let (other, _) = sale(&sim, '0', "10");
    let fields = revoke_fields(&trade_no);
    assert_eq!(send(&sim, &fields).answer().unwrap().text("result"), "S");
    let mut again = revoke_fields(&other);
    set(&mut again, "tradeNo", field(&fields, "tradeNo"));
    let resp = send(&sim, &again);
    assert_eq!(refused(&resp, field(&fields, "tradeNo")), codes::DUPLICATE);
    assert_eq!(sim.order(&other).unwrap().state, 'S', "not revoked");
    // A sale's own tradeNo cannot be reused as a revoke's either.
    let mut reused = revoke_fields(&other);
    set(&mut reused, "tradeNo", &other);
    let resp = send(&sim, &reused);
    assert_eq!(refused(&resp, &other), codes::DUPLICATE);
}

#[test]
fn failed_and_refunded_orders() {
    let sim = sim();
    let (failed, _) = sale(&sim, '2', "10");
    let answer = revoke(&sim, &failed);
    assert_eq!(answer.text("result"), "F");
    assert_eq!(sim.order(&failed).unwrap().state, 'F');
    let (refunded, paid) = sale(&sim, '0', "10");
    let fields = refund_fields(paid.text("orderNo"), Some("4"));
    let refund = call(&sim, "sdkRefundBarcodePay", &pairs(&fields));
    assert_eq!(refund.answer().unwrap().text("result"), "S");
    let fields = revoke_fields(&refunded);
    let resp = send(&sim, &fields);
    assert_eq!(
        refused(&resp, field(&fields, "tradeNo")),
        codes::ORDER_STATE
    );
    assert_eq!(sim.order(&refunded).unwrap().state, 'S');
}

#[test]
fn faults_spoil_the_answer_after_the_revoke_is_made() {
    let sim = sim();
    let (trade_no, _) = sale(&sim, '0', "10");
    sim.inject_for(Some("RevokeBarcodepay"), 1, Fault::Busy);
    let fields = revoke_fields(&trade_no);
    let resp = send(&sim, &fields);
    assert_eq!(
        refused(&resp, field(&fields, "tradeNo")),
        codes::SYSTEM_BUSY
    );
    assert_eq!(
        sim.order(&trade_no).unwrap().state,
        'D',
        "revoked all the same"
    );
    let (other, _) = sale(&sim, '0', "10");
    sim.inject_for(Some("RevokeBarcodepay"), 1, Fault::MissingFields);
    let answer = send(&sim, &revoke_fields(&other)).answer().unwrap();
    assert_eq!(answer.text("LogNo"), "");
    assert_eq!(answer.text("result"), "");
    assert_eq!(sim.order(&other).unwrap().state, 'D');
}
