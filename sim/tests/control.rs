//! The `/_sim/` control surface.

mod common;

use common::*;
use serde_json::{json, Value};
use starpos_sim::{SimConfig, Simulator};

fn control(sim: &Simulator, path: &str, body: Value) -> Resp {
    Conn::open(sim.port())
        .post(
            &format!("/_sim/{path}"),
            &serde_json::to_vec(&body).unwrap(),
        )
        .unwrap()
}

fn get(sim: &Simulator, path: &str) -> Value {
    let mut conn = Conn::open(sim.port());
    conn.send("GET", &format!("/_sim/{path}"), b"").unwrap();
    let resp = conn.read_response().unwrap();
    assert_eq!(resp.status, 200);
    serde_json::from_slice(&resp.body).unwrap()
}

#[test]
fn confirm_cancel_state_and_list() {
    let sim = Simulator::start(SimConfig::default()).unwrap();
    let a = pay(&sim, "10", "10").text("logNo").to_owned();
    let b = pay(&sim, "20", "20").text("logNo").to_owned();

    let resp = control(&sim, "confirm", json!({ "no": a }));
    assert_eq!(resp.status, 200, "{}", resp.text());
    let body: Value = serde_json::from_slice(&resp.body).unwrap();
    assert_eq!(body["ok"], true);
    assert_eq!(body["order"]["state"], "S");
    assert_eq!(control(&sim, "confirm", json!({ "no": a })).status, 404);
    assert_eq!(control(&sim, "cancel", json!({ "no": b })).status, 200);
    assert_eq!(query(&sim, &b).unwrap().text("result"), "F");
    assert_eq!(
        control(&sim, "state", json!({ "no": b, "state": "Z" })).status,
        200
    );
    assert_eq!(query(&sim, &b).unwrap().text("result"), "Z");
    assert_eq!(
        control(&sim, "state", json!({ "no": b, "state": "Q" })).status,
        400
    );
    assert_eq!(control(&sim, "confirm", json!({})).status, 400);
    assert_eq!(control(&sim, "confirm", json!([1])).status, 400);

    let orders = get(&sim, "orders");
    let orders = orders.as_array().unwrap();
    assert_eq!(orders.len(), 2);
    assert_eq!(orders[0]["logNo"], a.as_str());
    assert_eq!(orders[0]["state"], "S");
    assert_eq!(orders[0]["amount"], 10);
    assert_eq!(orders[1]["state"], "Z");

    let requests = get(&sim, "requests");
    assert_eq!(requests.as_array().unwrap().len(), 4);
    assert_eq!(requests[0]["endpoint"], "pubSigPay");
}

#[test]
fn faults_over_http() {
    let sim = Simulator::start(SimConfig::default()).unwrap();
    let resp = control(
        &sim,
        "fault",
        json!({ "fault": "http", "status": 502, "endpoint": "pubSigQry", "count": 2 }),
    );
    assert_eq!(resp.status, 200, "{}", resp.text());
    assert_eq!(sim.pending_faults(), 2);
    assert_eq!(call(&sim, "pubSigQry", &pairs(&qry_fields())).status, 502);
    assert_eq!(
        control(&sim, "fault", json!({ "fault": "none" })).status,
        200
    );
    assert_eq!(sim.pending_faults(), 0);
    assert_eq!(
        control(
            &sim,
            "fault",
            json!({ "fault": "slow_trickle", "byte_every_ms": 0 })
        )
        .status,
        200
    );
    assert!(call(&sim, "pubSigQry", &pairs(&qry_fields()))
        .answer()
        .is_ok());
    for bad in [
        json!({ "fault": "bogus" }),
        json!({}),
        json!({ "fault": "http", "status": 5 }),
        json!({ "fault": "empty_body", "endpoint": "nope" }),
        json!({ "fault": "empty_body", "count": 0 }),
    ] {
        let resp = control(&sim, "fault", bad.clone());
        assert_eq!(resp.status, 400, "{bad}");
        assert_eq!(resp.json()["ok"], false);
    }
    assert_eq!(sim.pending_faults(), 0);
    let mut conn = Conn::open(sim.port());
    conn.send("GET", "/_sim/nothing", b"").unwrap();
    assert_eq!(conn.read_response().unwrap().status, 404);
}

#[test]
fn advance_moves_the_clock_and_orders_list_the_sales() {
    let sim = Simulator::start(SimConfig::default()).unwrap();
    let code = auth_code('0');
    let sale = barcode_fields(&code, "100", "100");
    call(&sim, "sdkBarcodePay", &pairs(&sale)).answer().unwrap();
    let qr = qr_fields("7", "9");
    call(&sim, "sdkBarcodePosPay", &pairs(&qr))
        .answer()
        .unwrap();

    let resp = control(&sim, "advance", json!({ "ms": 900_000 }));
    assert_eq!(resp.status, 200, "{}", resp.text());
    assert_eq!(resp.json()["advancedMs"], 900_000);
    assert_eq!(sim.advanced(), starpos_sim::QR_LIFETIME);
    for bad in [json!({}), json!({ "ms": -1 }), json!({ "ms": "x" })] {
        assert_eq!(control(&sim, "advance", bad.clone()).status, 400, "{bad}");
    }

    let orders = get(&sim, "orders");
    assert!(
        !orders.to_string().contains(&code),
        "the authCode is never listed"
    );
    let orders = orders.as_array().unwrap();
    assert_eq!(orders[0]["endpoint"], "sdkBarcodePay");
    assert_eq!(orders[0]["tradeNo"], field(&sale, "tradeNo"));
    assert_eq!(orders[0]["state"], "S");
    assert_eq!(orders[0]["authCodePays"], 1);
    assert_eq!(orders[0]["refunded"], 0);
    assert_eq!(orders[1]["endpoint"], "sdkBarcodePosPay");
    assert_eq!(orders[1]["state"], "F", "expired");
    assert_eq!(orders[1]["expired"], true);
    assert_eq!(
        (
            orders[1]["amount"].clone(),
            orders[1]["total_amount"].clone()
        ),
        (json!(7), json!(9))
    );
    assert_eq!(orders[1]["payChannel"], "ALIPAY");
    let requests = get(&sim, "requests");
    assert!(!requests.to_string().contains(&code), "nor logged");

    for (fault, extra) in [
        ("stale", json!(null)),
        ("mismatched_amount", json!(null)),
        ("delay", json!(5)),
    ] {
        let resp = control(
            &sim,
            "fault",
            json!({ "fault": fault, "ms": extra, "endpoint": "sdkBarcodePosPay" }),
        );
        assert_eq!(resp.status, 200, "{fault}: {}", resp.text());
    }
    assert_eq!(sim.pending_faults(), 3);
}
