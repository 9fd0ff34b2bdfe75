//! The whole sale through the Rust API against the simulator over loopback HTTP.

mod common;

use common::*;
use starpos::{
    Client, Config, PayRequest, QryRequest, QueryRequest, RefundRequest, Status, TxnResult,
};
use std::time::{Duration, Instant};

fn pay(client: &Client, amount: u64) -> starpos::PayResponse {
    let code = unique("code");
    let sel = unique("sel");
    client
        .pay(&PayRequest {
            code: Some(&code),
            amount,
            total_amount: amount,
            subject: Some("测试 goods"),
            sel_order_no: Some(&sel),
            ..PayRequest::default()
        })
        .expect("pay answers")
}

#[test]
fn qry_returns_the_official_account_and_sends_the_right_version() {
    let sim = sim();
    let client = client(&sim);
    let answer = client.qry(&QryRequest::default()).unwrap();
    assert_eq!(answer.return_code, "000000");
    assert_eq!(answer.app_id, sim.config().app_id);
    assert_eq!(answer.app_id_key, sim.config().app_id_key);
    assert!(
        !format!("{answer:?}").contains(&sim.config().app_id_key),
        "Debug masks appIdKey"
    );

    let with_attach = client
        .qry(&QryRequest {
            attach: Some("备注 1"),
            ..QryRequest::default()
        })
        .unwrap();
    assert_eq!(with_attach.attach, "备注 1");
    let sent: Vec<String> = sim
        .requests()
        .iter()
        .map(|r| r.fields["version"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(sent, ["V1.0.0", "V1.0.1"]);
}

#[test]
fn a_sale_that_the_payer_confirms_ends_paid() {
    let sim = sim();
    let client = client(&sim);
    let paid = pay(&client, 1234);
    assert_eq!(paid.result, Some(TxnResult::Waiting));
    assert!(paid.api_package.starts_with("prepay_id="));
    assert_eq!(paid.amount, 1234);
    assert_eq!(paid.subject, "测试 goods");

    let before = client
        .query(&QueryRequest {
            qry_no: &paid.log_no,
            ..QueryRequest::default()
        })
        .unwrap();
    assert_eq!(before.result, Some(TxnResult::Waiting));
    assert!(
        before.trade_no.starts_with(&client.config().trm_no) && before.trade_no.len() == 37,
        "a generated tradeNo is returned: {}",
        before.trade_no
    );

    assert!(sim.confirm(&paid.log_no));
    let done = client
        .wait(
            &paid.log_no,
            Duration::from_millis(20),
            Duration::from_secs(5),
        )
        .unwrap();
    assert_eq!(done.result, Some(TxnResult::Success));
    assert_ne!(
        done.order_no, paid.order_no,
        "the paid order carries the channel's number"
    );
    // Every number of the order finds it.
    for no in [
        &paid.log_no,
        &paid.order_no,
        &done.order_no,
        &paid.sel_order_no,
    ] {
        let q = client
            .query(&QueryRequest {
                qry_no: no,
                ..QueryRequest::default()
            })
            .unwrap();
        assert_eq!(q.log_no, paid.log_no, "query by {no}");
    }
}

#[test]
fn a_sale_settles_by_itself_and_wait_follows_it() {
    let sim = sim_settling(150);
    let client = client(&sim);
    let paid = pay(&client, 50);
    let started = Instant::now();
    let done = client
        .wait(
            &paid.log_no,
            Duration::from_millis(30),
            Duration::from_secs(5),
        )
        .unwrap();
    assert_eq!(done.result, Some(TxnResult::Success));
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[test]
fn a_sale_the_payer_cancels_ends_failed() {
    let sim = sim();
    let client = client(&sim);
    let paid = pay(&client, 99);
    assert!(sim.cancel(&paid.log_no));
    let done = client
        .wait(
            &paid.log_no,
            Duration::from_millis(20),
            Duration::from_secs(5),
        )
        .unwrap();
    assert_eq!(done.result, Some(TxnResult::Failed));
}

#[test]
fn wait_gives_timeout_with_the_last_answer_when_the_deadline_passes() {
    let sim = sim();
    let client = client(&sim);
    let paid = pay(&client, 10);
    let started = Instant::now();
    let waited = client
        .wait(
            &paid.log_no,
            Duration::from_millis(50),
            Duration::from_millis(500),
        )
        .unwrap_err();
    assert_eq!(waited.error.status(), Status::Timeout);
    assert!(
        waited.error.detail().contains("still not final"),
        "{}",
        waited.error
    );
    assert_eq!(waited.last_answer.unwrap().result, Some(TxnResult::Waiting));
    assert!(started.elapsed() < Duration::from_secs(2));
    assert!(sim.request_count() >= 3, "it polled more than once");
}

#[test]
fn wait_keeps_querying_through_refusals_and_reports_the_last_one_as_in_doubt() {
    // Right after a pay the gateway may answer "order not found" for a moment (spec section
    // 5): a refusal does not end the wait, and after the deadline it is not final either.
    let sim = sim();
    let waited = client(&sim)
        .wait(
            "999999",
            Duration::from_millis(20),
            Duration::from_millis(600),
        )
        .unwrap_err();
    assert_eq!(waited.error.status(), Status::Timeout, "{}", waited.error);
    assert!(waited.error.in_doubt());
    assert!(waited
        .error
        .detail()
        .contains("every answered query was refused"));
    let refusal = waited.error.refusal().expect("the last refusal is kept");
    assert_ne!(refusal.text("returnCode"), "000000");
    assert!(waited.last_answer.is_none());
    assert!(sim.request_count() >= 3, "it kept querying");
}

#[test]
fn partial_then_full_refund_and_a_refund_too_large_is_refused() {
    let sim = sim();
    let client = client(&sim);
    let paid = pay(&client, 1000);
    sim.confirm(&paid.log_no);
    let done = client
        .query(&QueryRequest {
            qry_no: &paid.log_no,
            ..QueryRequest::default()
        })
        .unwrap();

    let part = client
        .refund(&RefundRequest {
            order_no: &done.order_no,
            txn_amt: 300,
            ..RefundRequest::default()
        })
        .unwrap();
    assert_eq!(part.result, Some(TxnResult::Success));
    assert_eq!(part.txn_amt, 300);
    assert!(!part.trade_no.is_empty());

    let too_much = client
        .refund(&RefundRequest {
            order_no: &done.order_no,
            txn_amt: 701,
            ..RefundRequest::default()
        })
        .unwrap_err();
    assert_eq!(too_much.status(), Status::Gateway);
    let refusal = too_much.refusal().expect("the refusal is attached");
    assert!(refusal.verified(), "the simulator signs its refusals");
    assert_ne!(refusal.text("returnCode"), "000000");
    assert!(!refusal.text("message").is_empty());
    assert!(
        too_much.trade_no().is_some(),
        "the tradeNo used is reported on failure too"
    );

    // What a refund whose answer was lost did is told by the order it refunds: queried with
    // V1.0.1, the order answers the fen refunded so far (docs/protocol.md, "refunds"). The
    // refund's own tradeNo is not an order: the query documents no refund lookup.
    let order = client
        .query(&QueryRequest {
            qry_no: &done.order_no,
            version: Some("V1.0.1"),
            ..QueryRequest::default()
        })
        .unwrap();
    assert_eq!(order.ref_amt, 300);
    let own = client
        .query(&QueryRequest {
            qry_no: &part.trade_no,
            ..QueryRequest::default()
        })
        .unwrap_err();
    assert_eq!(own.status(), Status::Gateway, "{own}");

    let rest = client
        .refund(&RefundRequest {
            order_no: &done.order_no,
            ..RefundRequest::default()
        })
        .unwrap();
    assert_eq!(
        rest.txn_amt, 700,
        "a refund without an amount gives back what remains"
    );
    assert_eq!(sim.order(&paid.log_no).unwrap().refunded, 1000);
}

#[test]
fn rejected_input_sends_nothing_and_names_the_field() {
    let sim = sim();
    let client = client(&sim);
    let long_code = "c".repeat(65);
    let long_subject = "字".repeat(257);
    let cases: Vec<(PayRequest, &str)> = vec![
        (
            PayRequest {
                code: Some("c"),
                amount: 0,
                total_amount: 1,
                ..Default::default()
            },
            "amount",
        ),
        (
            PayRequest {
                code: Some("c"),
                amount: 2,
                total_amount: 1,
                ..Default::default()
            },
            "amount",
        ),
        (
            PayRequest {
                code: Some("c"),
                amount: 1,
                total_amount: 10_000_000_000_000,
                ..Default::default()
            },
            "total_amount",
        ),
        (
            PayRequest {
                amount: 1,
                total_amount: 1,
                ..Default::default()
            },
            "code",
        ),
        (
            PayRequest {
                code: Some("c"),
                openid: Some("o"),
                amount: 1,
                total_amount: 1,
                ..Default::default()
            },
            "openid",
        ),
        (
            PayRequest {
                code: Some(&long_code),
                amount: 1,
                total_amount: 1,
                ..Default::default()
            },
            "code",
        ),
        (
            PayRequest {
                code: Some("c"),
                amount: 1,
                total_amount: 1,
                txn_time: Some("20261301000000"),
                ..Default::default()
            },
            "txn_time",
        ),
        (
            PayRequest {
                code: Some("c"),
                amount: 1,
                total_amount: 1,
                subject: Some(&long_subject),
                ..Default::default()
            },
            "subject",
        ),
    ];
    for (request, field) in cases {
        let e = client.pay(&request).unwrap_err();
        assert_eq!(e.status(), Status::InvalidArgument, "{e}");
        assert!(e.detail().starts_with(&format!("{field}: ")), "{e}");
    }
    let bad_terminal = Client::new(Config {
        trm_no: "XB0064391".into(),
        ..config(&sim)
    })
    .unwrap_err();
    assert!(bad_terminal.detail().starts_with("trm_no: "));
    assert_eq!(sim.request_count(), 0);
}

#[test]
fn openid_and_attach_switch_the_version_and_an_explicit_one_wins() {
    let sim = sim();
    let client = client(&sim);
    client
        .pay(&PayRequest {
            openid: Some(&unique("o")),
            amount: 1,
            total_amount: 1,
            ..Default::default()
        })
        .unwrap();
    client
        .pay(&PayRequest {
            code: Some(&unique("c")),
            attach: Some("a"),
            amount: 1,
            total_amount: 1,
            ..Default::default()
        })
        .unwrap();
    client
        .pay(&PayRequest {
            code: Some(&unique("c")),
            version: Some("V1.0.0"),
            attach: Some("a"),
            amount: 1,
            total_amount: 1,
            ..Default::default()
        })
        .unwrap();
    let versions: Vec<String> = sim
        .requests()
        .iter()
        .map(|r| r.fields["version"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(versions, ["V1.0.1", "V1.0.1", "V1.0.0"]);
    let first = &sim.requests()[0].fields;
    assert!(first.contains_key("openid") && !first.contains_key("code"));
}

#[test]
fn an_answer_signed_with_another_key_is_not_trusted() {
    let sim = sim();
    let mut config = config(&sim);
    config.key = "0000000000000000AAAAAAAAAAAAAAAA".into();
    let e = Client::new(config)
        .unwrap()
        .qry(&QryRequest::default())
        .unwrap_err();
    // The simulator refuses our signature with a refusal signed by the real key, which our key
    // cannot verify: nothing from it is handed out.
    assert_eq!(e.status(), Status::Signature, "{e}");
    assert!(e.refusal().is_none());
}

#[test]
fn nothing_listening_is_connect_and_not_in_doubt() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let sim = sim();
    let config = config(&sim).with_base_url(&format!("http://127.0.0.1:{port}/adpweb/ehpspos3/"));
    let e = Client::new(config)
        .unwrap()
        .qry(&QryRequest::default())
        .unwrap_err();
    assert_eq!(e.status(), Status::Connect);
    assert!(!e.in_doubt());
}

#[test]
fn generic_call_signs_sends_and_verifies() {
    let sim = sim();
    let client = client(&sim);
    let paid = pay(&client, 5);
    let fields = format!(
        r#"{{"opSys":"3","characterSet":"00","tradeNo":"{}","version":"V1.0.0","qryNo":"{}"}}"#,
        unique("t"),
        paid.log_no
    );
    let answer = client.call("sdkQryBarcodePay", &fields).unwrap();
    assert!(answer.verified());
    assert_eq!(answer.text("result"), "A");
    assert_eq!(answer.text("logNo"), paid.log_no);
    // `version` is added like the typed calls add it (the gateway refuses a call without).
    let answer = client.call("pubSigQry", "{}").unwrap();
    assert!(answer.verified());
    assert_eq!(sim.requests().last().unwrap().fields["version"], "V1.0.0");
    let e = client.call("no/such", "{}").unwrap_err();
    assert!(e.detail().starts_with("endpoint: "));
    let e = client.call("sdkQryBarcodePay", "[1]").unwrap_err();
    assert!(e.detail().starts_with("fields_json: "));
}
