//! The counter sales (`sdkBarcodePay`, `sdkBarcodePosPay`): payer behaviours, QR expiry on the
//! simulated clock, lookups, refunds, `refAmt`, uniqueness rules and field checks.

mod common;

use common::*;
use starpos::Answer;
use starpos_sim::{codes, OrderKind, SimConfig, Simulator, QR_LIFETIME};
use std::time::Duration;

fn sim() -> Simulator {
    Simulator::start(SimConfig::default()).expect("simulator starts")
}

/// Sends a barcode sale; the verified answer.
fn barcode(sim: &Simulator, fields: &[(&'static str, String)]) -> Answer {
    call(sim, "sdkBarcodePay", &pairs(fields))
        .answer()
        .expect("a verified sale answer")
}

/// The refusal answer's `returnCode`, checking it is signed and echoes `trade_no`.
fn refused(resp: &Resp, trade_no: &str) -> String {
    let e = resp.answer().expect_err("a refusal");
    let answer = e.refusal().expect("the refusal answer");
    assert!(answer.verified(), "{answer:?}");
    assert_eq!(answer.text("tradeNo"), trade_no, "refusals echo tradeNo");
    answer.text("returnCode").to_owned()
}

#[test]
fn barcode_pays_at_once_and_is_found_by_every_number() {
    let sim = sim();
    let mut fields = barcode_fields(&auth_code('0'), "100", "120");
    set(&mut fields, "payChannel", "ALIPAY");
    set(&mut fields, "subject", "咖啡 coffee");
    set(&mut fields, "selOrderNo", &unique("SEL"));
    set(&mut fields, "goods_tag", "tag");
    set(&mut fields, "attach", "note");
    set(&mut fields, "trmTyp", "P");
    let trade_no = field(&fields, "tradeNo").to_owned();
    let paid = barcode(&sim, &fields);
    assert_eq!(paid.text("returnCode"), codes::SUCCESS);
    assert_eq!(paid.text("result"), "S");
    assert_eq!(paid.text("tradeNo"), trade_no);
    let order_no = paid.text("orderNo").to_owned();
    assert!(
        order_no.starts_with("4200"),
        "the channel's number: {order_no}"
    );
    let log_no = paid.text("logNo").to_owned();
    assert_ne!(log_no, order_no);
    for (name, value) in [
        ("amount", "100"),
        ("total_amount", "120"),
        ("selOrderNo", field(&fields, "selOrderNo")),
        ("subject", "咖啡 coffee"),
        ("goodsTag", "tag"),
        ("attach", "note"),
    ] {
        assert_eq!(paid.text(name), value, "{name} is echoed");
    }
    for no in [&trade_no, &log_no, &order_no] {
        let found = query(&sim, no).expect("found");
        assert_eq!(found.text("result"), "S", "{no}");
        assert_eq!(found.text("logNo"), log_no);
        assert_eq!(found.text("orderNo"), order_no);
        assert_eq!(found.text("payChannel"), "ALIPAY");
    }
    let orders = sim.orders();
    assert_eq!(orders.len(), 1);
    assert_eq!(orders[0].kind, OrderKind::Barcode);
    assert_eq!(orders[0].trade_no, trade_no);
    assert_eq!(orders[0].auth_code_pays, 1);
}

#[test]
fn password_payer_waits_until_confirmed() {
    let sim = sim();
    let fields = barcode_fields(&auth_code('1'), "5", "5");
    let trade_no = field(&fields, "tradeNo").to_owned();
    let waiting = barcode(&sim, &fields);
    assert_eq!(waiting.text("result"), "A");
    assert_eq!(waiting.text("orderNo"), waiting.text("logNo"));
    assert_eq!(query(&sim, &trade_no).unwrap().text("result"), "A");
    assert!(sim.confirm(&trade_no), "confirm finds it by tradeNo");
    let paid = query(&sim, waiting.text("logNo")).unwrap();
    assert_eq!(paid.text("result"), "S");
    assert!(paid.text("orderNo").starts_with("4200"));
}

#[test]
fn password_payer_settles_after_the_configured_simulated_time() {
    let config = SimConfig {
        settle_after: Some(Duration::from_secs(60)),
        ..SimConfig::default()
    };
    let sim = Simulator::start(config).unwrap();
    let fields = barcode_fields(&auth_code('1'), "5", "5");
    let trade_no = field(&fields, "tradeNo").to_owned();
    assert_eq!(barcode(&sim, &fields).text("result"), "A");
    assert_eq!(query(&sim, &trade_no).unwrap().text("result"), "A");
    assert_eq!(
        sim.advance(Duration::from_secs(60)),
        Duration::from_secs(60)
    );
    assert_eq!(query(&sim, &trade_no).unwrap().text("result"), "S");
}

#[test]
fn refusing_wallet_fails_and_cancel_needs_an_a_order() {
    let sim = sim();
    let fields = barcode_fields(&auth_code('2'), "5", "5");
    let answer = barcode(&sim, &fields);
    assert_eq!(answer.text("result"), "F");
    let found = query(&sim, field(&fields, "tradeNo")).unwrap();
    assert_eq!(found.text("result"), "F");
    assert!(!sim.confirm(field(&fields, "tradeNo")));
}

#[test]
fn lost_answer_says_z_but_the_money_moved() {
    let sim = sim();
    let fields = barcode_fields(&auth_code('3'), "7", "7");
    let answer = barcode(&sim, &fields);
    assert_eq!(answer.text("result"), "Z");
    assert_eq!(sim.orders()[0].state, 'S');
    let found = query(&sim, field(&fields, "tradeNo")).unwrap();
    assert_eq!(found.text("result"), "S");
    assert!(found.text("orderNo").starts_with("4200"));
}

#[test]
fn qr_sale_waits_for_the_payer_then_confirm_or_cancel() {
    let sim = sim();
    let mut fields = qr_fields("300", "300");
    set(&mut fields, "selOrderNo", "QR-1");
    let trade_no = field(&fields, "tradeNo").to_owned();
    let made = call(&sim, "sdkBarcodePosPay", &pairs(&fields))
        .answer()
        .expect("verified");
    assert_eq!(made.text("result"), "S", "the QR order was made");
    assert_eq!(made.text("tradeNo"), trade_no);
    assert_eq!(
        (made.text("amount"), made.text("total_amount")),
        ("300", "300")
    );
    assert_eq!(made.text("selOrderNo"), "QR-1");
    let pay_code = made.text("payCode");
    assert!(
        pay_code.starts_with("https://qr.sim.starpos/"),
        "{pay_code}"
    );
    assert!(pay_code.len() <= 256);
    assert_eq!(sim.orders()[0].pay_code, pay_code);
    assert_eq!(sim.orders()[0].kind, OrderKind::Qr);
    assert_eq!(query(&sim, &trade_no).unwrap().text("result"), "A");
    assert!(
        sim.confirm(made.text("orderNo")),
        "confirm finds it by orderNo"
    );
    assert_eq!(query(&sim, &trade_no).unwrap().text("result"), "S");

    let other = qr_fields("1", "1");
    call(&sim, "sdkBarcodePosPay", &pairs(&other))
        .answer()
        .expect("verified");
    assert!(sim.cancel(field(&other, "tradeNo")));
    assert_eq!(
        query(&sim, field(&other, "tradeNo"))
            .unwrap()
            .text("result"),
        "F"
    );
}

#[test]
fn qr_sale_expires_after_fifteen_simulated_minutes() {
    let sim = sim();
    let fields = qr_fields("1", "1");
    let trade_no = field(&fields, "tradeNo");
    call(&sim, "sdkBarcodePosPay", &pairs(&fields))
        .answer()
        .expect("verified");
    sim.advance(QR_LIFETIME - Duration::from_secs(1));
    assert_eq!(query(&sim, trade_no).unwrap().text("result"), "A");
    sim.advance(Duration::from_secs(1));
    let closed = query(&sim, trade_no).unwrap();
    assert_eq!(closed.text("result"), "F");
    assert!(closed.text("message").contains("expired"), "{closed:?}");
    assert!(sim.orders()[0].expired);
    assert!(!sim.confirm(trade_no), "too late to pay");
    assert_eq!(sim.advanced(), QR_LIFETIME);
}

#[test]
fn barcode_order_refunds_and_ref_amt_by_version() {
    let sim = sim();
    let fields = barcode_fields(&auth_code('5'), "100", "100");
    let order_no = barcode(&sim, &fields).text("orderNo").to_owned();
    let v0 = query_version(&sim, &order_no, "V1.0.0");
    assert!(v0.get("refAmt").is_none(), "V1.0.0 has no refAmt");
    assert_eq!(query_version(&sim, &order_no, "V1.0.1").text("refAmt"), "0");

    let refund = refund_fields(&order_no, Some("30"));
    let answer = call(&sim, "sdkRefundBarcodePay", &pairs(&refund))
        .answer()
        .expect("verified");
    assert_eq!(answer.text("result"), "S");
    assert_eq!(answer.text("txnAmt"), "30");
    assert_eq!(answer.text("tradeNo"), field(&refund, "tradeNo"));
    assert_eq!(
        query_version(&sim, &order_no, "V1.0.1").text("refAmt"),
        "30"
    );
    assert!(query_version(&sim, &order_no, "V1.0.0")
        .get("refAmt")
        .is_none());
    assert_eq!(sim.orders()[0].refunded, 30);
}

#[test]
fn trade_numbers_are_unique_across_sdk_requests() {
    let sim = sim();
    let first = barcode_fields(&auth_code('0'), "1", "1");
    let trade_no = field(&first, "tradeNo").to_owned();
    barcode(&sim, &first);

    let mut again = barcode_fields(&auth_code('0'), "1", "1");
    set(&mut again, "tradeNo", &trade_no);
    let resp = call(&sim, "sdkBarcodePay", &pairs(&again));
    assert_eq!(refused(&resp, &trade_no), codes::DUPLICATE);

    let mut qr = qr_fields("1", "1");
    set(&mut qr, "tradeNo", &trade_no);
    let resp = call(&sim, "sdkBarcodePosPay", &pairs(&qr));
    assert_eq!(refused(&resp, &trade_no), codes::DUPLICATE);

    let mut q = query_fields(&trade_no);
    set(&mut q, "tradeNo", &trade_no);
    let resp = call(&sim, "sdkQryBarcodePay", &pairs(&q));
    assert_eq!(refused(&resp, &trade_no), codes::DUPLICATE);
    assert_eq!(sim.orders().len(), 1);
}

#[test]
fn an_auth_code_pays_once_and_every_attempt_is_counted() {
    let sim = sim();
    let code = auth_code('0');
    barcode(&sim, &barcode_fields(&code, "1", "1"));
    let again = barcode_fields(&code, "1", "1");
    let resp = call(&sim, "sdkBarcodePay", &pairs(&again));
    assert_eq!(refused(&resp, field(&again, "tradeNo")), codes::CODE_USED);
    let orders = sim.orders();
    assert_eq!(orders.len(), 1, "nothing was booked twice");
    assert_eq!(orders[0].auth_code_pays, 2, "but the code was sent twice");
    // The code itself is in no log.
    for received in sim.requests() {
        assert!(!format!("{:?}", received.fields).contains(&code));
        assert!(!String::from_utf8_lossy(&received.body).contains(&code));
        assert_eq!(received.fields["authCode"], "*".repeat(code.len()));
    }
}

#[test]
fn malformed_sales_are_refused_naming_the_field() {
    let sim = sim();
    let cn = |n: usize| "咖".repeat(n);
    type Edit = Box<dyn Fn(&mut Vec<(&'static str, String)>)>;
    let cases: Vec<(&str, &str, Edit)> = vec![
        (
            "sdkBarcodePay",
            "authCode",
            Box::new(|f| unset(f, "authCode")),
        ),
        (
            "sdkBarcodePay",
            "authCode",
            Box::new(|f| set(f, "authCode", &"1".repeat(257))),
        ),
        (
            "sdkBarcodePay",
            "payChannel",
            Box::new(|f| set(f, "payChannel", "CASH")),
        ),
        (
            "sdkBarcodePosPay",
            "payChannel",
            Box::new(|f| unset(f, "payChannel")),
        ),
        (
            "sdkBarcodePay",
            "amount",
            Box::new(|f| set(f, "amount", "0")),
        ),
        (
            "sdkBarcodePosPay",
            "amount",
            Box::new(|f| set(f, "amount", "2")),
        ),
        (
            "sdkBarcodePosPay",
            "total_amount",
            Box::new(|f| unset(f, "total_amount")),
        ),
        (
            "sdkBarcodePay",
            "subject",
            Box::new(move |f| set(f, "subject", &cn(257))),
        ),
        (
            "sdkBarcodePosPay",
            "goods_tag",
            Box::new(|f| set(f, "goods_tag", &"g".repeat(513))),
        ),
        (
            "sdkBarcodePay",
            "attach",
            Box::new(|f| set(f, "attach", &"a".repeat(513))),
        ),
        (
            "sdkBarcodePay",
            "selOrderNo",
            Box::new(|f| set(f, "selOrderNo", &"s".repeat(51))),
        ),
        (
            "sdkBarcodePosPay",
            "tradeNo",
            Box::new(|f| set(f, "tradeNo", &"t".repeat(65))),
        ),
        (
            "sdkBarcodePay",
            "tradeNo",
            Box::new(|f| unset(f, "tradeNo")),
        ),
        (
            "sdkBarcodePay",
            "trmTyp",
            Box::new(|f| set(f, "trmTyp", "X")),
        ),
        (
            "sdkBarcodePosPay",
            "oprId",
            Box::new(|f| set(f, "oprId", "1234567")),
        ),
        (
            "sdkBarcodePay",
            "latitude",
            Box::new(|f| set(f, "latitude", &"1".repeat(16))),
        ),
        (
            "sdkBarcodePay",
            "longitude",
            Box::new(|f| set(f, "longitude", &"1".repeat(16))),
        ),
        (
            "sdkBarcodePosPay",
            "addField",
            Box::new(|f| set(f, "addField", &"x".repeat(257))),
        ),
        (
            "sdkBarcodePay",
            "characterSet",
            Box::new(|f| set(f, "characterSet", "02")),
        ),
        ("sdkBarcodePosPay", "opSys", Box::new(|f| unset(f, "opSys"))),
    ];
    for (endpoint, name, edit) in cases {
        let mut fields = if endpoint == "sdkBarcodePay" {
            barcode_fields(&auth_code('0'), "1", "1")
        } else {
            qr_fields("1", "1")
        };
        edit(&mut fields);
        let answer = call(&sim, endpoint, &pairs(&fields))
            .answer()
            .expect_err("refused")
            .refusal()
            .expect("a refusal answer")
            .clone();
        assert_eq!(answer.text("returnCode"), codes::BAD_REQUEST, "{name}");
        assert!(answer.verified(), "{name}");
        assert!(
            answer.text("message").contains(name),
            "{name}: {}",
            answer.text("message")
        );
    }
    assert!(sim.orders().is_empty());
}

#[test]
fn every_documented_terminal_type_is_accepted() {
    // P, A, C, T from scanAPI's common parameters; I (smart POS) from the iOS SDK's appendix.
    let sim = sim();
    for trm_typ in ["P", "I", "A", "C", "T"] {
        let mut fields = barcode_fields(&auth_code('0'), "1", "1");
        set(&mut fields, "trmTyp", trm_typ);
        assert_eq!(barcode(&sim, &fields).text("result"), "S", "{trm_typ}");
    }
}

#[test]
fn a_wechat_barcode_answer_carries_the_payers_open_id() {
    let sim = sim();
    let code = auth_code('2'); // refused: WeChat still knows who the payer is
    let answer = barcode(&sim, &barcode_fields(&code, "1", "1"));
    let open_id = answer.text("openId").to_owned();
    assert!(
        open_id.starts_with(starpos_sim::OPEN_ID_PREFIX),
        "{open_id}"
    );
    assert_eq!(open_id.len(), 28, "as long as WeChat's openids");
    for last in ['0', '1', '3'] {
        let other = barcode(&sim, &barcode_fields(&auth_code(last), "1", "1"));
        let theirs = other.text("openId");
        assert!(theirs.starts_with(starpos_sim::OPEN_ID_PREFIX), "{last}");
        assert_ne!(theirs, open_id, "another payer, another openid");
    }
    let mut alipay = barcode_fields(&auth_code('0'), "1", "1");
    set(&mut alipay, "payChannel", "ALIPAY");
    assert_eq!(barcode(&sim, &alipay).get("openId"), None, "WeChat only");
    let qr = call(&sim, "sdkBarcodePosPay", &pairs(&qr_fields("1", "1")))
        .answer()
        .unwrap();
    assert_eq!(qr.get("openId"), None, "the QR sale answers none");
}

#[test]
fn add_field_is_echoed_by_every_sdk_answer() {
    let sim = sim();
    let mut fields = barcode_fields(&auth_code('0'), "10", "10");
    set(&mut fields, "addField", "桌号 7");
    let paid = barcode(&sim, &fields);
    assert_eq!(paid.text("addField"), "桌号 7");
    let trade_no = field(&fields, "tradeNo").to_owned();
    // The sale's queries and refunds carry the sale's addField ...
    let found = query(&sim, &trade_no).unwrap();
    assert_eq!(found.text("addField"), "桌号 7");
    let refunded = call(
        &sim,
        "sdkRefundBarcodePay",
        &pairs(&refund_fields(found.text("orderNo"), Some("1"))),
    )
    .answer()
    .unwrap();
    assert_eq!(refunded.text("addField"), "桌号 7");
    // ... unless the request asking carries its own.
    let mut asking = query_fields(&trade_no);
    set(&mut asking, "addField", "query's own");
    let answer = call(&sim, "sdkQryBarcodePay", &pairs(&asking))
        .answer()
        .unwrap();
    assert_eq!(answer.text("addField"), "query's own");
    let mut qr = qr_fields("1", "1");
    set(&mut qr, "addField", "qr");
    let made = call(&sim, "sdkBarcodePosPay", &pairs(&qr))
        .answer()
        .unwrap();
    assert_eq!(made.text("addField"), "qr");
    // A refusal echoes it too (a common answer parameter), signed.
    let mut unknown = query_fields("999999999999");
    set(&mut unknown, "addField", "lost");
    let e = call(&sim, "sdkQryBarcodePay", &pairs(&unknown))
        .answer()
        .unwrap_err();
    assert_eq!(e.refusal().unwrap().text("addField"), "lost");
    // Without one, none.
    let plain = barcode(&sim, &barcode_fields(&auth_code('0'), "1", "1"));
    assert_eq!(plain.get("addField"), None);
}

#[test]
fn text_limits_count_gbk_bytes() {
    let sim = sim();
    let mut fields = barcode_fields(&auth_code('0'), "1", "1");
    // 256 Chinese characters are 512 GBK bytes: the most allowed.
    set(&mut fields, "subject", &"咖".repeat(256));
    set(&mut fields, "attach", &"a".repeat(512));
    let answer = barcode(&sim, &fields);
    assert_eq!(answer.text("subject"), "咖".repeat(256));
    assert_eq!(answer.text("attach").len(), 512);
}

#[test]
fn gbk_declared_over_utf8_text_is_refused() {
    let sim = sim();
    let mut fields = barcode_fields(&auth_code('0'), "1", "1");
    fields.push(("subject", "测试".to_owned()));
    let pairs = pairs(&fields);
    // Straight on the socket: `call` would relabel the body 01 as the library does.
    let resp = Conn::open(sim.port())
        .call("sdkBarcodePay", &pairs)
        .unwrap();
    let e = resp.answer().expect_err("refused");
    let message = e.refusal().unwrap().text("message").to_owned();
    assert!(message.contains("characterSet"), "{message}");
    assert!(sim.orders().is_empty());
}
