//! The simulator's gateway behaviour, over real loopback HTTP.

mod common;

use common::*;
use starpos::unversioned::wire::encode_request;
use starpos::Status;
use starpos_sim::{
    codes, SimConfig, Simulator, DEFAULT_APP_ID, DEFAULT_APP_ID_KEY, DEFAULT_KEY, DEFAULT_MERC_ID,
};
use std::time::{Duration, Instant};

fn sim() -> Simulator {
    Simulator::start(SimConfig::default()).expect("simulator starts")
}

fn refusal_code(resp: &Resp) -> String {
    let e = resp.answer().expect_err("a refusal");
    assert_eq!(e.status(), Status::Gateway, "{e}");
    e.refusal()
        .expect("the refusal answer")
        .text("returnCode")
        .to_owned()
}

fn refusal(resp: &Resp) -> starpos::Answer {
    resp.answer()
        .expect_err("a refusal")
        .refusal()
        .expect("the refusal answer")
        .clone()
}

#[test]
fn base_url_and_port() {
    let sim = sim();
    assert_eq!(
        sim.base_url(),
        format!("http://127.0.0.1:{}/adpweb/ehpspos3/", sim.port())
    );
    assert_ne!(sim.port(), 0);
}

#[test]
fn qry_answers_the_official_account_signed() {
    let sim = sim();
    let mut fields = qry_fields();
    fields.push(("attach", "备注 note".to_owned()));
    let resp = call(&sim, "pubSigQry", &pairs(&fields));
    assert_eq!(resp.status, 200);
    assert_eq!(
        resp.header("Content-Type"),
        Some("application/json;charset=UTF-8")
    );
    assert!(
        resp.text().contains("%E4%BA%A4%E6%98%93%E6%88%90%E5%8A%9F"),
        "{}",
        resp.text()
    );
    let answer = resp.answer().expect("verified");
    assert!(answer.verified());
    assert_eq!(answer.text("returnCode"), "000000");
    assert_eq!(answer.text("message"), "交易成功");
    assert_eq!(answer.text("mercId"), DEFAULT_MERC_ID);
    assert_eq!(answer.text("appId"), DEFAULT_APP_ID);
    assert_eq!(answer.text("appIdKey"), DEFAULT_APP_ID_KEY);
    assert_eq!(answer.text("attach"), "备注 note");
    assert_eq!(answer.text("sysTime").len(), 14);
    let received = sim.requests();
    assert_eq!(received.len(), 1);
    assert_eq!(received[0].endpoint, "pubSigQry");
    assert_eq!(received[0].fields["attach"], "备注 note");
    assert_eq!(sim.request_count(), 1);
}

#[test]
fn pay_query_confirm_and_find_by_every_number() {
    let sim = sim();
    let mut fields = pay_fields(&unique("code"), "100", "120");
    fields.push(("subject", "测试商品".to_owned()));
    fields.push(("selOrderNo", unique("SEL")));
    fields.push(("goods_tag", "tag1".to_owned()));
    fields.push(("attach", "a1".to_owned()));
    let sel = fields
        .iter()
        .find(|(n, _)| *n == "selOrderNo")
        .unwrap()
        .1
        .clone();
    let pay = call(&sim, "pubSigPay", &pairs(&fields))
        .answer()
        .expect("verified");
    assert_eq!(pay.text("result"), "A");
    assert_eq!(pay.text("message"), "等待支付");
    let log_no = pay.text("logNo").to_owned();
    assert!(
        log_no.len() <= 20 && log_no.bytes().all(|b| b.is_ascii_digit()),
        "{log_no}"
    );
    assert_eq!(pay.text("orderNo"), log_no);
    assert_eq!(
        (pay.text("amount"), pay.text("total_amount")),
        ("100", "120")
    );
    let prepay = pay.text("PrepayId");
    assert!(!prepay.is_empty());
    assert_eq!(pay.text("apiPackage"), format!("prepay_id={prepay}"));
    assert_eq!(pay.text("apiAppid"), DEFAULT_APP_ID);
    assert_eq!(pay.text("apiSigntype"), "MD5");
    assert_eq!(pay.text("apiNoncestr").len(), 32);
    assert_eq!(pay.text("apiPaysign").len(), 32);
    assert!(pay.text("apiTimestamp").parse::<u64>().is_ok());
    assert_eq!(pay.text("subject"), "测试商品");
    assert_eq!(pay.text("selOrderNo"), sel);
    assert_eq!(pay.text("goodsTag"), "tag1");
    assert_eq!(pay.text("attach"), "a1");

    let waiting = query(&sim, &log_no).expect("verified");
    assert_eq!(waiting.text("result"), "A");
    assert_eq!(waiting.text("orderNo"), log_no);
    assert_eq!(waiting.text("payChannel"), "WXPAY");

    assert!(sim.confirm(&log_no));
    assert!(!sim.confirm(&log_no), "only an A order can be confirmed");
    let paid = query(&sim, &log_no).expect("verified");
    assert_eq!(paid.text("result"), "S");
    let channel = paid.text("orderNo").to_owned();
    assert_ne!(channel, log_no);
    assert!(channel.starts_with("4200"));
    for no in [&log_no, &channel, &sel] {
        let found = query(&sim, no).expect("found");
        assert_eq!(found.text("logNo"), log_no);
        assert_eq!(found.text("orderNo"), channel);
        assert_eq!(found.text("result"), "S");
        assert_eq!(found.text("subject"), "测试商品");
        assert_eq!(found.text("goodsTag"), "tag1");
    }
    let order = sim.order(&channel).expect("snapshot");
    assert_eq!(
        (order.state, order.amount, order.total_amount),
        ('S', 100, 120)
    );
    assert_eq!(order.log_no, log_no);
}

#[test]
fn cancel_makes_it_fail() {
    let sim = sim();
    let log_no = pay(&sim, "5", "5").text("logNo").to_owned();
    assert!(sim.cancel(&log_no));
    assert!(!sim.cancel(&log_no));
    assert_eq!(query(&sim, &log_no).unwrap().text("result"), "F");
    assert!(!sim.confirm(&log_no));
    assert!(!sim.cancel("no-such-order"));
}

#[test]
fn settles_after_the_configured_delay() {
    let config = SimConfig {
        settle_after: Some(Duration::from_millis(30)),
        ..SimConfig::default()
    };
    let sim = Simulator::start(config).unwrap();
    let log_no = pay(&sim, "1", "1").text("logNo").to_owned();
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let answer = query(&sim, &log_no).unwrap();
        if answer.text("result") == "S" {
            assert_ne!(answer.text("orderNo"), log_no);
            break;
        }
        assert_eq!(answer.text("result"), "A");
        assert!(Instant::now() < deadline, "never settled");
        std::thread::sleep(Duration::from_millis(5));
    }
}

#[test]
fn refunds_partial_full_and_too_much() {
    let sim = sim();
    let log_no = pay(&sim, "100", "100").text("logNo").to_owned();
    // Not paid yet: refused.
    let early = call(
        &sim,
        "sdkRefundBarcodePay",
        &pairs(&refund_fields(&log_no, Some("10"))),
    );
    assert_eq!(refusal_code(&early), codes::ORDER_STATE);
    assert!(refusal(&early).verified());
    sim.confirm(&log_no);
    let channel = query(&sim, &log_no).unwrap().text("orderNo").to_owned();

    let too_much = call(
        &sim,
        "sdkRefundBarcodePay",
        &pairs(&refund_fields(&channel, Some("101"))),
    );
    assert_eq!(refusal_code(&too_much), codes::REFUND_TOO_LARGE);
    assert!(refusal(&too_much).text("message").contains("101"));

    let part = call(
        &sim,
        "sdkRefundBarcodePay",
        &pairs(&refund_fields(&channel, Some("30"))),
    );
    let part = part.answer().expect("verified");
    assert_eq!(part.text("result"), "S");
    assert_eq!(part.text("txnAmt"), "30");
    assert_eq!(part.text("amount"), "100");
    assert_eq!(part.text("message"), "退款成功");
    assert!(!part.text("logNo").is_empty());
    assert_ne!(part.text("logNo"), log_no);

    let rest = call(
        &sim,
        "sdkRefundBarcodePay",
        &pairs(&refund_fields(&channel, None)),
    );
    let rest = rest.answer().expect("verified");
    assert_eq!(rest.text("txnAmt"), "70");
    assert_ne!(rest.text("logNo"), part.text("logNo"));
    assert_eq!(sim.order(&log_no).unwrap().refunded, 100);

    let nothing_left = call(
        &sim,
        "sdkRefundBarcodePay",
        &pairs(&refund_fields(&channel, Some("1"))),
    );
    assert_eq!(refusal_code(&nothing_left), codes::REFUND_TOO_LARGE);
    let unknown = call(
        &sim,
        "sdkRefundBarcodePay",
        &pairs(&refund_fields("nope", None)),
    );
    assert_eq!(refusal_code(&unknown), codes::ORDER_NOT_FOUND);
}

#[test]
fn oauth_codes_are_single_use() {
    let sim = sim();
    let code = unique("code");
    assert!(
        call(&sim, "pubSigPay", &pairs(&pay_fields(&code, "1", "1")))
            .answer()
            .is_ok()
    );
    let again = call(&sim, "pubSigPay", &pairs(&pay_fields(&code, "1", "1")));
    assert_eq!(refusal_code(&again), codes::CODE_USED);
    assert_eq!(sim.orders().len(), 1);
    // openid payments have no code to use up.
    let mut by_openid = base();
    by_openid.push(("openid", "o-user-1".to_owned()));
    by_openid.push(("amount", "1".to_owned()));
    by_openid.push(("total_amount", "1".to_owned()));
    by_openid.push(("version", "V1.0.1".to_owned()));
    by_openid.retain(|(n, v)| *n != "version" || v == "V1.0.1");
    for _ in 0..2 {
        assert!(call(&sim, "pubSigPay", &pairs(&by_openid)).answer().is_ok());
    }
}

#[test]
fn unknown_order_is_a_signed_refusal() {
    let sim = sim();
    let resp = call(&sim, "sdkQryBarcodePay", &pairs(&query_fields("0000")));
    assert_eq!(refusal_code(&resp), codes::ORDER_NOT_FOUND);
    assert!(refusal(&resp).verified());
}

#[test]
fn bad_signature_refusal_is_signed() {
    let sim = sim();
    let body = encode_request(&pairs(&qry_fields()), "SOMEOTHERKEY0000SOMEOTHERKEY0000");
    let resp = Conn::open(sim.port())
        .post("/adpweb/ehpspos3/pubSigQry.json", &body)
        .unwrap();
    assert_eq!(refusal_code(&resp), codes::BAD_SIGNATURE);
    assert!(refusal(&resp).verified());
    assert!(resp.json().contains_key("signValue"));

    let mut unsigned = serde_json::Map::new();
    for (n, v) in qry_fields() {
        unsigned.insert(n.to_owned(), v.into());
    }
    let resp = Conn::open(sim.port())
        .post(
            "/adpweb/ehpspos3/pubSigQry.json",
            &serde_json::to_vec(&unsigned).unwrap(),
        )
        .unwrap();
    assert_eq!(refusal_code(&resp), codes::BAD_SIGNATURE);
    assert!(refusal(&resp).text("message").contains("signValue"));
}

#[test]
fn unknown_merchant_refusal_is_unsigned() {
    let sim = sim();
    let mut fields = qry_fields();
    fields[1].1 = "800290000000001".to_owned();
    let resp = call(&sim, "pubSigQry", &pairs(&fields));
    assert!(!resp.json().contains_key("signValue"));
    assert_eq!(refusal_code(&resp), codes::UNKNOWN_MERCHANT);
    assert!(!refusal(&resp).verified());
}

#[test]
fn malformed_fields_are_named_in_signed_refusals() {
    let sim = sim();
    let cases: Vec<(Vec<(&'static str, String)>, &str)> = vec![
        (
            {
                let mut f = qry_fields();
                f[3].1 = "2024010203040".into();
                f
            },
            "txnTime",
        ),
        (pay_fields("c-a", "0", "1"), "amount"),
        (pay_fields("c-b", "1x", "1"), "amount"),
        (pay_fields("c-c", "5", "4"), "amount"),
        (pay_fields("c-d", "1", ""), "total_amount"),
        (pay_fields("", "1", "1"), "code"),
        (
            {
                let mut f = pay_fields("c-e", "1", "1");
                f.push(("openid", "o1".into()));
                f
            },
            "code",
        ),
        (
            {
                let mut f = qry_fields();
                f.retain(|(n, _)| *n != "trmNo");
                f
            },
            "trmNo",
        ),
        (
            {
                let mut f = qry_fields();
                f[5].1 = "V9".into();
                f
            },
            "version",
        ),
        (
            {
                let mut f = query_fields("x");
                f.retain(|(n, _)| *n != "qryNo");
                f
            },
            "qryNo",
        ),
        (refund_fields("x", Some("-1")), "txnAmt"),
    ];
    for (fields, field) in cases {
        let endpoint = if fields.iter().any(|(n, _)| *n == "orderNo") {
            "sdkRefundBarcodePay"
        } else if fields.iter().any(|(n, _)| *n == "opSys") {
            "sdkQryBarcodePay"
        } else if fields.iter().any(|(n, _)| *n == "amount") {
            "pubSigPay"
        } else {
            "pubSigQry"
        };
        let resp = call(&sim, endpoint, &pairs(&fields));
        let answer = refusal(&resp);
        assert_eq!(
            answer.text("returnCode"),
            codes::BAD_REQUEST,
            "{field}: {answer:?}"
        );
        assert!(answer.verified(), "{field}");
        assert!(
            answer.text("message").contains(field),
            "{field}: {}",
            answer.text("message")
        );
    }
    assert!(sim.orders().is_empty());
}

#[test]
fn bodies_that_are_not_objects_are_refused() {
    let sim = sim();
    let mut conn = Conn::open(sim.port());
    for body in [
        &b""[..],
        b"[]",
        b"{",
        b"\"x\"",
        b"{\"orgNo\":[1]}",
        b"\xff\xfe",
    ] {
        let resp = conn.post("/adpweb/ehpspos3/pubSigPay.json", body).unwrap();
        assert_eq!(resp.status, 200);
        let code = resp
            .answer()
            .expect_err("refusal")
            .refusal()
            .map(|a| a.text("returnCode").to_owned());
        assert!(code.is_some(), "{:?}", resp.text());
    }
    // A nested value after a known merchant: signed refusal naming it.
    let mut fields = serde_json::Map::new();
    for (n, v) in qry_fields() {
        fields.insert(n.to_owned(), v.into());
    }
    fields.insert("attach".into(), serde_json::json!({"a": 1}));
    let resp = conn
        .post(
            "/adpweb/ehpspos3/pubSigQry.json",
            &serde_json::to_vec(&fields).unwrap(),
        )
        .unwrap();
    let answer = refusal(&resp);
    assert_eq!(answer.text("returnCode"), codes::BAD_REQUEST);
    assert!(answer.text("message").contains("attach"));
}

#[test]
fn numbers_sign_as_their_text() {
    let sim = sim();
    let mut fields = serde_json::Map::new();
    for (n, v) in pay_fields(&unique("code"), "1", "1") {
        fields.insert(n.to_owned(), v.into());
    }
    fields.insert("amount".into(), serde_json::json!(1));
    let text: Vec<(String, String)> = fields
        .iter()
        .map(|(n, v)| {
            (
                n.clone(),
                starpos::unversioned::wire::value_text(n, v)
                    .unwrap()
                    .into_owned(),
            )
        })
        .collect();
    let signature = starpos::sign::sign(
        text.iter().map(|(n, v)| (n.as_str(), v.as_str())),
        DEFAULT_KEY,
    );
    fields.insert("signValue".into(), signature.into());
    let resp = Conn::open(sim.port())
        .post(
            "/adpweb/ehpspos3/pubSigPay.json",
            &serde_json::to_vec(&fields).unwrap(),
        )
        .unwrap();
    assert_eq!(resp.answer().expect("verified").text("result"), "A");
}

#[test]
fn paths_methods_and_sizes() {
    let sim = sim();
    let mut conn = Conn::open(sim.port());
    let body = encode_request(&pairs(&qry_fields()), DEFAULT_KEY);
    assert_eq!(
        conn.post("/adpweb/ehpspos3/nope.json", &body)
            .unwrap()
            .status,
        404
    );
    assert_eq!(
        conn.post("/other/pubSigQry.json", &body).unwrap().status,
        404
    );
    assert_eq!(
        conn.post("/adpweb/ehpspos3/pubSigQry", &body)
            .unwrap()
            .status,
        404
    );
    conn.send("GET", "/adpweb/ehpspos3/pubSigQry.json", b"")
        .unwrap();
    assert_eq!(conn.read_response().unwrap().status, 405);
    // Still the same keep-alive connection.
    assert_eq!(
        conn.post("/adpweb/ehpspos3/pubSigQry.json?x=1", &body)
            .unwrap()
            .status,
        200
    );
    let big = vec![b' '; starpos_sim::MAX_BODY + 1];
    let resp = Conn::open(sim.port())
        .post("/adpweb/ehpspos3/pubSigQry.json", &big)
        .unwrap();
    assert_eq!(resp.status, 413);
}

#[test]
fn shutdown_releases_the_port() {
    let sim = sim();
    let port = sim.port();
    let mut idle = Conn::open(port);
    assert_eq!(
        idle.call("pubSigQry", &pairs(&qry_fields()))
            .unwrap()
            .status,
        200
    );
    sim.shutdown();
    // The idle keep-alive connection is closed, and the port is free again.
    assert!(idle.read_rest().unwrap_or_default().is_empty());
    let config = SimConfig {
        bind: ([127, 0, 0, 1], port).into(),
        ..SimConfig::default()
    };
    let again = Simulator::start(config).expect("port released");
    assert_eq!(again.port(), port);
}

#[test]
fn gbk_request_bodies_are_read() {
    let sim = sim();
    let mut fields = pay_fields(&unique("code"), "1", "1");
    fields.push(("subject", "咖啡".to_owned()));
    let utf8 = encode_request(&pairs(&fields), DEFAULT_KEY);
    let at = utf8
        .windows(6)
        .position(|w| w == "咖啡".as_bytes())
        .unwrap();
    let mut gbk = utf8[..at].to_vec();
    gbk.extend_from_slice(&[0xBF, 0xA7, 0xB7, 0xC8]);
    gbk.extend_from_slice(&utf8[at + 6..]);
    let resp = Conn::open(sim.port())
        .post("/adpweb/ehpspos3/pubSigPay.json", &gbk)
        .unwrap();
    let answer = resp.answer().expect("verified");
    assert_eq!(answer.text("subject"), "咖啡");
    assert_eq!(sim.requests()[0].fields["subject"], "咖啡");
    assert_eq!(sim.requests()[0].body, gbk);
}

#[test]
fn sdk_answers_echo_the_request_trade_no() {
    let sim = sim();
    let log_no = pay(&sim, "10", "10").text("logNo").to_owned();
    let q = query_fields(&log_no);
    let answer = call(&sim, "sdkQryBarcodePay", &pairs(&q)).answer().unwrap();
    assert_eq!(answer.text("tradeNo"), field(&q, "tradeNo"));
    let refused = refund_fields(&log_no, None);
    let resp = call(&sim, "sdkRefundBarcodePay", &pairs(&refused));
    let not_paid = refusal(&resp);
    assert_eq!(not_paid.text("returnCode"), codes::ORDER_STATE);
    assert_eq!(not_paid.text("tradeNo"), field(&refused, "tradeNo"));
    let unknown = query_fields("0000");
    let resp = call(&sim, "sdkQryBarcodePay", &pairs(&unknown));
    assert_eq!(refusal(&resp).text("tradeNo"), field(&unknown, "tradeNo"));
}
