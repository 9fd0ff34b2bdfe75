//! The counter sales (spec section 8) against the simulator, through the Rust API and the C
//! ABI: each payer, channel inference, the QR order's life, every bad input (nothing sent),
//! and the sale that recovers from `A`, `Z` and a lost answer by querying its own `tradeNo`
//! without ever paying twice.

mod common;

use common::*;
use starpos::ffi::*;
use starpos::{BarcodePayRequest, Client, Config, QrPayRequest, Status, TxnResult};
use starpos_sim::{Fault, OrderKind, Simulator};
use std::time::Duration;

fn barcode<'a>(code: &'a str, amount: u64) -> BarcodePayRequest<'a> {
    BarcodePayRequest {
        auth_code: code,
        amount,
        total_amount: amount,
        subject: Some("咖啡 coffee"),
        ..Default::default()
    }
}

/// How many pay requests the simulator saw with the code of the sale `trade_no`.
fn pays_of(sim: &Simulator, trade_no: &str) -> u32 {
    sim.orders()
        .iter()
        .find(|o| o.trade_no == trade_no)
        .map_or(0, |o| o.auth_code_pays)
}

#[test]
fn each_payer_gives_its_result() {
    let sim = sim();
    let client = client(&sim);
    for (last, result) in [
        ('0', TxnResult::Success),
        ('1', TxnResult::Waiting),
        ('2', TxnResult::Failed),
        ('3', TxnResult::Unknown),
    ] {
        let code = wechat_code(last);
        let paid = client.barcode_pay(&barcode(&code, 150)).unwrap();
        assert_eq!(paid.result, Some(result), "payer {last}");
        assert_eq!(paid.pay_channel, "WXPAY");
        assert_eq!(paid.amount, 150);
        assert_eq!(paid.subject, "咖啡 coffee");
        assert!(!paid.trade_no.is_empty());
        assert_eq!(pays_of(&sim, &paid.trade_no), 1);
    }
}

#[test]
fn the_channel_comes_from_the_code_unless_given() {
    let sim = sim();
    let client = client(&sim);
    for (code, channel) in [
        (payment_code("28", 16, '0'), "ALIPAY"),
        (payment_code("62", 19, '0'), "YLPAY"),
        (wechat_code('0'), "WXPAY"),
    ] {
        let paid = client.barcode_pay(&barcode(&code, 1)).unwrap();
        assert_eq!(paid.pay_channel, channel);
        let order = sim.order(&paid.trade_no).unwrap();
        assert_eq!(order.pay_channel, channel, "sent on the wire");
    }
    let code = wechat_code('0');
    let paid = client
        .barcode_pay(&BarcodePayRequest {
            pay_channel: Some("ALIPAY"),
            ..barcode(&code, 1)
        })
        .unwrap();
    assert_eq!(sim.order(&paid.trade_no).unwrap().pay_channel, "ALIPAY");
}

#[test]
fn a_qr_order_is_shown_then_paid_or_closed_after_15_minutes() {
    let sim = sim();
    let client = client(&sim);
    let qr = |amount| {
        client
            .qr_pay(&QrPayRequest {
                pay_channel: "WXPAY",
                amount,
                total_amount: amount,
                ..Default::default()
            })
            .unwrap()
    };
    let made = qr(800);
    assert_eq!(made.result, Some(TxnResult::Success), "the order was made");
    assert!(!made.pay_code.is_empty());
    let fast = Duration::from_millis(20);
    // Not paid until the payer scans: a short wait ends TIMEOUT with the last answer A.
    let waited = client
        .wait(&made.trade_no, fast, Duration::from_millis(500))
        .unwrap_err();
    assert_eq!(waited.error.status(), Status::Timeout);
    assert_eq!(waited.last_answer.unwrap().result, Some(TxnResult::Waiting));
    assert!(sim.confirm(&made.trade_no), "the payer scans and pays");
    let done = client
        .wait(&made.trade_no, fast, Duration::from_secs(2))
        .unwrap();
    assert_eq!(done.result, Some(TxnResult::Success));
    assert_eq!(done.amount, 800);

    let unpaid = qr(900);
    sim.advance(Duration::from_secs(15 * 60));
    let closed = client
        .wait(&unpaid.trade_no, fast, Duration::from_secs(2))
        .unwrap();
    assert_eq!(
        closed.result,
        Some(TxnResult::Failed),
        "closed after 15 minutes"
    );
}

#[test]
fn a_paid_counter_sale_is_refunded_by_its_order_no() {
    let sim = sim();
    let client = client(&sim);
    let code = wechat_code('0');
    let paid = client.barcode_pay(&barcode(&code, 500)).unwrap();
    let refund = client
        .refund(&starpos::RefundRequest {
            order_no: &paid.order_no,
            txn_amt: 200,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(refund.result, Some(TxnResult::Success));
    let order = client
        .query(&starpos::QueryRequest {
            qry_no: &paid.trade_no,
            version: Some("V1.0.1"),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(order.ref_amt, 200, "refAmt answered to V1.0.1");
}

#[test]
fn the_sale_is_final_at_once_for_s_and_f() {
    let sim = sim();
    let client = client(&sim);
    let fast = Duration::from_millis(20);
    for (last, result) in [('0', TxnResult::Success), ('2', TxnResult::Failed)] {
        let code = wechat_code(last);
        let before = sim.request_count();
        let done = client
            .barcode_sale(&barcode(&code, 10), fast, Duration::from_secs(2))
            .unwrap();
        assert_eq!(done.result, Some(result));
        assert_eq!(sim.request_count() - before, 1, "no query needed");
        assert_eq!(pays_of(&sim, &done.trade_no), 1);
    }
}

#[test]
fn the_sale_follows_a_password_and_a_z_by_its_trade_no() {
    let sim = sim_settling(150);
    let client = client(&sim);
    let fast = Duration::from_millis(20);
    for last in ['1', '3'] {
        let code = wechat_code(last);
        let done = client
            .barcode_sale(&barcode(&code, 10), fast, Duration::from_secs(3))
            .unwrap();
        assert_eq!(done.result, Some(TxnResult::Success), "payer {last}");
        assert_eq!(pays_of(&sim, &done.trade_no), 1, "paid once");
        let queries: Vec<String> = sim
            .requests()
            .iter()
            .filter(|r| r.endpoint == "sdkQryBarcodePay")
            .map(|r| r.fields["qryNo"].as_str().unwrap_or("").to_owned())
            .collect();
        assert!(
            queries.contains(&done.trade_no),
            "queried by its own tradeNo"
        );
    }
}

#[test]
fn the_sale_recovers_a_lost_answer_by_querying_never_paying_again() {
    let sim = sim();
    let mut config = config(&sim);
    config.timeouts.total = Duration::from_secs(1);
    let client = Client::new(config).unwrap();
    for fault in [Fault::NeverAnswer, Fault::CloseMidBody, Fault::Stale] {
        sim.inject_for(Some("sdkBarcodePay"), 1, fault.clone());
        let code = wechat_code('0');
        let done = client
            .barcode_sale(
                &barcode(&code, 10),
                Duration::from_millis(20),
                Duration::from_secs(3),
            )
            .unwrap_or_else(|e| panic!("{fault:?}: {}", e.error));
        assert_eq!(done.result, Some(TxnResult::Success), "{fault:?}");
        assert_eq!(
            pays_of(&sim, &done.trade_no),
            1,
            "{fault:?}: the code was sent once"
        );
    }
}

#[test]
fn a_sale_still_unknown_at_its_deadline_is_in_doubt_with_its_trade_no() {
    let sim = sim();
    let client = client(&sim);
    let code = wechat_code('1'); // the payer never finishes the password
    let waited = client
        .barcode_sale(
            &barcode(&code, 10),
            Duration::from_millis(20),
            Duration::from_millis(200),
        )
        .unwrap_err();
    assert_eq!(waited.error.status(), Status::Timeout);
    let trade_no = waited
        .error
        .trade_no()
        .expect("the handle on the sale")
        .to_owned();
    assert_eq!(sim.order(&trade_no).unwrap().state, 'A');
    assert_eq!(waited.last_answer.unwrap().trade_no, trade_no);
    assert_eq!(pays_of(&sim, &trade_no), 1);
}

#[test]
fn bad_input_names_the_field_and_sends_nothing() {
    let sim = sim();
    let client = client(&sim);
    let code = wechat_code('0');
    let long = "好".repeat(257);
    let cases: Vec<(&str, BarcodePayRequest)> = vec![
        ("auth_code", barcode("", 1)),
        (
            "auth_code",
            BarcodePayRequest {
                auth_code: "12 34",
                ..barcode("", 1)
            },
        ),
        ("pay_channel", barcode("999", 1)),
        (
            "pay_channel",
            BarcodePayRequest {
                pay_channel: Some("PAYPAL"),
                ..barcode(&code, 1)
            },
        ),
        ("amount", barcode(&code, 0)),
        (
            "amount",
            BarcodePayRequest {
                total_amount: 1,
                ..barcode(&code, 2)
            },
        ),
        (
            "subject",
            BarcodePayRequest {
                subject: Some(&long),
                ..barcode(&code, 1)
            },
        ),
        (
            "attach",
            BarcodePayRequest {
                attach: Some("a\u{7}"),
                ..barcode(&code, 1)
            },
        ),
        (
            "trade_no",
            BarcodePayRequest {
                trade_no: Some("with space"),
                ..barcode(&code, 1)
            },
        ),
        (
            "version",
            BarcodePayRequest {
                version: Some("1"),
                ..barcode(&code, 1)
            },
        ),
        (
            // Well shaped, but no version the gateway documents: it would be refused after
            // the sale was sent (and journaled).
            "version",
            BarcodePayRequest {
                version: Some("V2.0.0"),
                ..barcode(&code, 1)
            },
        ),
    ];
    for (field, request) in cases {
        let e = client.barcode_pay(&request).unwrap_err();
        assert_eq!(e.status(), Status::InvalidArgument, "{field}: {e}");
        assert!(
            e.detail().starts_with(&format!("{field}: ")),
            "{field}: {e}"
        );
        let e = client
            .barcode_sale(&request, Duration::ZERO, Duration::ZERO)
            .unwrap_err();
        assert_eq!(e.error.status(), Status::InvalidArgument, "{field}");
    }
    let e = client
        .qr_pay(&QrPayRequest {
            amount: 1,
            total_amount: 1,
            ..Default::default()
        })
        .unwrap_err();
    assert!(e.detail().starts_with("pay_channel: is required"), "{e}");
    for (field, edit) in [
        (
            "trm_typ",
            (|c: &mut Config| c.trm_typ = "X".into()) as fn(&mut Config),
        ),
        ("opr_id", |c| c.opr_id = "toolong7".into()),
        ("latitude", |c| c.latitude = "91.5".into()),
        ("longitude", |c| c.longitude = "east".into()),
    ] {
        let mut c = config(&sim);
        edit(&mut c);
        let e = Client::new(c).unwrap_err();
        assert!(e.detail().starts_with(&format!("{field}: ")), "{e}");
    }
    assert_eq!(sim.request_count(), 0, "nothing was sent");
}

#[test]
fn the_word_null_is_refused_naming_the_field() {
    // The gateway reads the text null as "absent" (the vendor's SDK docs): refused, not sent.
    let sim = sim();
    let client = client(&sim);
    let code = wechat_code('0');
    for word in ["null", "NULL", "Null"] {
        let sale = barcode(&code, 1);
        let cases: Vec<(&str, BarcodePayRequest)> = vec![
            ("auth_code", barcode(word, 1)),
            (
                "trade_no",
                BarcodePayRequest {
                    trade_no: Some(word),
                    ..sale.clone()
                },
            ),
            (
                "subject",
                BarcodePayRequest {
                    subject: Some(word),
                    ..sale.clone()
                },
            ),
            (
                "sel_order_no",
                BarcodePayRequest {
                    sel_order_no: Some(word),
                    ..sale.clone()
                },
            ),
            (
                "goods_tag",
                BarcodePayRequest {
                    goods_tag: Some(word),
                    ..sale.clone()
                },
            ),
            (
                "attach",
                BarcodePayRequest {
                    attach: Some(word),
                    ..sale.clone()
                },
            ),
            (
                "add_field",
                BarcodePayRequest {
                    add_field: Some(word),
                    ..sale.clone()
                },
            ),
            (
                "version",
                BarcodePayRequest {
                    version: Some(word),
                    ..sale.clone()
                },
            ),
        ];
        for (field, request) in cases {
            let e = client.barcode_pay(&request).unwrap_err();
            assert_eq!(e.status(), Status::InvalidArgument, "{field} {word}");
            assert_eq!(
                e.detail(),
                format!("{field}: must not be the word null: leave it out instead")
            );
        }
        let e = client
            .qr_pay(&QrPayRequest {
                pay_channel: "WXPAY",
                amount: 1,
                total_amount: 1,
                attach: Some(word),
                ..Default::default()
            })
            .unwrap_err();
        assert!(
            e.detail().starts_with("attach: must not be the word null"),
            "{e}"
        );
    }
    assert_eq!(sim.request_count(), 0, "nothing was sent");
    // The word inside text is text.
    let paid = client
        .barcode_pay(&BarcodePayRequest {
            subject: Some("null and void"),
            ..barcode(&code, 1)
        })
        .unwrap();
    assert_eq!(paid.subject, "null and void");
}

#[test]
fn the_terminal_fields_go_with_every_sdk_call_and_no_other() {
    let sim = sim();
    let mut c = config(&sim);
    c.trm_typ = "P".into();
    c.opr_id = "01".into();
    c.latitude = "31.2304".into();
    c.longitude = "-121.4737".into();
    let client = Client::new(c).unwrap();
    let code = wechat_code('0');
    let paid = client.barcode_pay(&barcode(&code, 1)).unwrap();
    client
        .wait(&paid.trade_no, Duration::ZERO, Duration::from_secs(1))
        .unwrap();
    client.qry(&Default::default()).unwrap();
    for r in sim.requests() {
        let sdk = r.endpoint.starts_with("sdk");
        for (name, value) in [("trmTyp", "P"), ("oprId", "01"), ("latitude", "31.2304")] {
            let sent = r.fields.get(name).and_then(|v| v.as_str());
            assert_eq!(sent, sdk.then_some(value), "{} {name}", r.endpoint);
        }
    }
    assert!(sim
        .orders()
        .iter()
        .all(|o| o.kind != OrderKind::Barcode || o.auth_code_pays == 1));
}

#[test]
fn coordinates_in_the_documented_form_are_sent_as_given() {
    let sim = sim();
    for (latitude, longitude) in [
        ("31.23042", "121.47370"),
        ("-90.0", "-180.00000"),
        ("0.5", "-121.5"),
    ] {
        let mut c = config(&sim);
        c.latitude = latitude.into();
        c.longitude = longitude.into();
        let client = Client::new(c).unwrap();
        client.barcode_pay(&barcode(&wechat_code('0'), 1)).unwrap();
        let sent = sim.requests().pop().unwrap();
        assert_eq!(sent.fields["latitude"], latitude);
        assert_eq!(sent.fields["longitude"], longitude);
    }
    // Whole degrees, six decimals: not the documented form, refused before anything is sent.
    let before = sim.request_count();
    for (latitude, longitude, field) in [
        ("31", "", "latitude"),
        ("31.230421", "", "latitude"),
        ("", "121", "longitude"),
        ("", "-121.473701", "longitude"),
    ] {
        let mut c = config(&sim);
        c.latitude = latitude.into();
        c.longitude = longitude.into();
        let e = Client::new(c).unwrap_err();
        assert_eq!(e.status(), Status::InvalidArgument);
        assert!(
            e.detail()
                .starts_with(&format!("{field}: must be degrees from")),
            "{e}"
        );
        assert!(e.detail().contains("1 to 5 decimals"), "{e}");
    }
    assert_eq!(sim.request_count(), before);
}

#[test]
fn trm_typ_i_the_ios_smart_pos_is_accepted_and_sent() {
    let sim = sim();
    let mut rust = config(&sim);
    rust.trm_typ = "I".into();
    let client = Client::new(rust).expect("I is a documented trmTyp");
    client.barcode_pay(&barcode(&wechat_code('0'), 1)).unwrap();
    assert_eq!(sim.requests().pop().unwrap().fields["trmTyp"], "I");
    // Through the C ABI too.
    let mut cfg = c_config(&sim);
    let i = c("I");
    cfg.raw.trm_typ = i.as_ptr();
    let code = c(&wechat_code('0'));
    let mut req: starpos_barcode_pay_request = zeroed();
    req.auth_code = code.as_ptr();
    req.amount = 3;
    req.total_amount = 3;
    let mut out: starpos_barcode_pay_response = zeroed();
    let st = unsafe { starpos_barcode_pay(&cfg.raw, &req, &mut out) };
    assert_eq!(st, starpos_status::STARPOS_OK, "{}", text(&out.error));
    assert_eq!(sim.requests().pop().unwrap().fields["trmTyp"], "I");
    // Other letters are still refused, naming the field and the letters allowed.
    for bad in ["X", "i", "PI", "null"] {
        let mut rust = config(&sim);
        rust.trm_typ = bad.into();
        let e = Client::new(rust).unwrap_err();
        assert!(
            e.detail()
                .starts_with("trm_typ: must be P or I (smart POS), A (app), C (PC) or T"),
            "{bad}: {e}"
        );
    }
}

/// `openId` (the barcode pay's answer, WeChat) and `addField` (every `sdk*` answer) reach the
/// caller; the openId never goes into the journal, a log or a `Debug` text.
#[test]
fn open_id_and_add_field_are_surfaced() {
    let sim = sim();
    let dir = TempDir::new("fields-journal");
    let mut c = config(&sim);
    c.journal_path = Some(dir.join("sales.journal"));
    let client = Client::new(c).unwrap();
    let add = "桌号 7 table";
    let paid = client
        .barcode_pay(&BarcodePayRequest {
            add_field: Some(add),
            ..barcode(&wechat_code('0'), 20)
        })
        .unwrap();
    assert!(
        paid.open_id.starts_with(starpos_sim::OPEN_ID_PREFIX),
        "the payer's openid in WeChat"
    );
    assert_eq!(paid.open_id.len(), 28);
    assert_eq!(paid.add_field, add);
    assert!(
        !format!("{paid:?}").contains(&paid.open_id),
        "Debug masks it"
    );
    let wire = paid.to_wire();
    assert!(wire.contains(&("openId", paid.open_id.clone())));
    assert!(wire.contains(&("addField", add.to_owned())));
    // Other channels and the QR sale answer no openId.
    let alipay = client
        .barcode_pay(&barcode(&payment_code("28", 16, '0'), 1))
        .unwrap();
    assert_eq!(alipay.open_id, "");
    assert_eq!(alipay.add_field, "");
    assert!(!alipay.to_wire().iter().any(|(n, _)| *n == "openId"));
    let qr = client
        .qr_pay(&QrPayRequest {
            pay_channel: "WXPAY",
            amount: 4,
            total_amount: 4,
            add_field: Some("qr note"),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(
        (qr.add_field.as_str(), qr.open_id.as_str()),
        ("qr note", "")
    );
    // The query and the refund of the sale answer the sale's addField.
    let found = client
        .query(&starpos::QueryRequest {
            qry_no: &paid.trade_no,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(found.add_field, add);
    assert_eq!(found.to_wire().last(), Some(&("addField", add.to_owned())));
    let refund = client
        .refund(&starpos::RefundRequest {
            order_no: &found.order_no,
            txn_amt: 5,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(refund.add_field, add);
    assert_eq!(refund.to_wire().last(), Some(&("addField", add.to_owned())));
    let journal = std::fs::read_to_string(dir.join("sales.journal")).unwrap();
    assert!(!journal.contains(&paid.open_id), "never journaled");
    assert!(!journal.contains(starpos_sim::OPEN_ID_PREFIX));
}

#[test]
fn the_sale_answers_add_field_whether_the_pay_or_a_query_ended_it() {
    let sim = sim_settling(80);
    let client = client(&sim);
    for last in ['0', '1'] {
        let done = client
            .barcode_sale(
                &BarcodePayRequest {
                    add_field: Some("sale note"),
                    ..barcode(&wechat_code(last), 6)
                },
                Duration::from_millis(20),
                Duration::from_secs(3),
            )
            .unwrap();
        assert_eq!(done.result, Some(TxnResult::Success), "payer {last}");
        assert_eq!(done.add_field, "sale note", "payer {last}");
    }
}

#[test]
fn open_id_and_add_field_through_the_c_abi() {
    let sim = sim_settling(80);
    let cfg = c_config(&sim);
    let add = c("桌号 7");
    let code = c(&wechat_code('0'));
    let mut req: starpos_barcode_pay_request = zeroed();
    req.auth_code = code.as_ptr();
    req.amount = 30;
    req.total_amount = 30;
    req.add_field = add.as_ptr();
    let mut paid: starpos_barcode_pay_response = zeroed();
    let st = unsafe { starpos_barcode_pay(&cfg.raw, &req, &mut paid) };
    assert_eq!(st, starpos_status::STARPOS_OK, "{}", text(&paid.error));
    let open_id = text(&paid.open_id);
    assert!(
        open_id.starts_with(starpos_sim::OPEN_ID_PREFIX),
        "{open_id}"
    );
    assert_eq!(text(&paid.add_field), "桌号 7");
    // Query and refund of that sale.
    let trade_no = c(&text(&paid.trade_no));
    let mut q: starpos_query_request = zeroed();
    q.qry_no = trade_no.as_ptr();
    let mut found: starpos_query_response = zeroed();
    let st = unsafe { starpos_query(&cfg.raw, &q, &mut found) };
    assert_eq!(st, starpos_status::STARPOS_OK, "{}", text(&found.error));
    assert_eq!(text(&found.add_field), "桌号 7");
    let order_no = c(&text(&found.order_no));
    let mut r: starpos_refund_request = zeroed();
    r.order_no = order_no.as_ptr();
    r.txn_amt = 1;
    let mut refund: starpos_refund_response = zeroed();
    let st = unsafe { starpos_refund(&cfg.raw, &r, &mut refund) };
    assert_eq!(st, starpos_status::STARPOS_OK, "{}", text(&refund.error));
    assert_eq!(text(&refund.add_field), "桌号 7");
    // A QR order, and the whole sale through a password.
    let channel = c("WXPAY");
    let note = c("qr note");
    let mut qr: starpos_qr_pay_request = zeroed();
    qr.pay_channel = channel.as_ptr();
    qr.amount = 2;
    qr.total_amount = 2;
    qr.add_field = note.as_ptr();
    let mut made: starpos_qr_pay_response = zeroed();
    let st = unsafe { starpos_qr_pay(&cfg.raw, &qr, &mut made) };
    assert_eq!(st, starpos_status::STARPOS_OK, "{}", text(&made.error));
    assert_eq!(text(&made.add_field), "qr note");
    // At its documented maximum (256 GBK bytes: 128 Chinese characters, 384 UTF-8 bytes) it
    // comes back whole.
    let most = "好".repeat(128);
    let longest = c(&most);
    qr.add_field = longest.as_ptr();
    let st = unsafe { starpos_qr_pay(&cfg.raw, &qr, &mut made) };
    assert_eq!(st, starpos_status::STARPOS_OK, "{}", text(&made.error));
    assert_eq!(text(&made.add_field), most);
    let code = c(&wechat_code('1'));
    req.auth_code = code.as_ptr();
    let mut done: starpos_query_response = zeroed();
    let st = unsafe { starpos_barcode_sale(&cfg.raw, &req, 20, 3000, &mut done) };
    assert_eq!(st, starpos_status::STARPOS_OK, "{}", text(&done.error));
    assert_eq!(text(&done.add_field), "桌号 7");
    // A refusal zeroes both: nothing of an unusable answer stays.
    let mut again: starpos_barcode_pay_response = zeroed();
    let mut dup = req;
    dup.trade_no = trade_no.as_ptr();
    let st = unsafe { starpos_barcode_pay(&cfg.raw, &dup, &mut again) };
    assert_eq!(st, starpos_status::STARPOS_ERR_GATEWAY);
    assert_eq!(text(&again.open_id), "");
}

#[test]
fn through_the_c_abi() {
    let sim = sim_settling(100);
    let cfg = c_config(&sim);
    unsafe {
        // Each payer through starpos_barcode_pay.
        for (last, result) in [('0', b'S'), ('1', b'A'), ('2', b'F'), ('3', b'Z')] {
            let code = c(&wechat_code(last));
            let mut req: starpos_barcode_pay_request = zeroed();
            req.auth_code = code.as_ptr();
            req.amount = 42;
            req.total_amount = 42;
            let mut out: starpos_barcode_pay_response = zeroed();
            let st = starpos_barcode_pay(&cfg.raw, &req, &mut out);
            assert_eq!(st, starpos_status::STARPOS_OK, "{}", text(&out.error));
            assert_eq!(out.result as u8, result);
            assert_eq!(text(&out.pay_channel), "WXPAY");
            assert!(out.verified);
        }
        // The whole sale, through a password.
        let code = c(&wechat_code('1'));
        let mut req: starpos_barcode_pay_request = zeroed();
        req.auth_code = code.as_ptr();
        req.amount = 42;
        req.total_amount = 42;
        let mut done: starpos_query_response = zeroed();
        let st = starpos_barcode_sale(&cfg.raw, &req, 20, 3000, &mut done);
        assert_eq!(st, starpos_status::STARPOS_OK, "{}", text(&done.error));
        assert_eq!(done.result as u8, b'S');
        let trade_no = text(&done.trade_no);
        assert_eq!(pays_of(&sim, &trade_no), 1);
        // A QR order.
        let channel = c("ALIPAY");
        let mut qr: starpos_qr_pay_request = zeroed();
        qr.pay_channel = channel.as_ptr();
        qr.amount = 7;
        qr.total_amount = 7;
        let mut made: starpos_qr_pay_response = zeroed();
        assert_eq!(
            starpos_qr_pay(&cfg.raw, &qr, &mut made),
            starpos_status::STARPOS_OK
        );
        assert!(text(&made.pay_code).starts_with("https://"));
        // Bad input: INVALID_ARGUMENT naming the field; trade_no not filled, nothing sent.
        let before = sim.request_count();
        let mut bad = req;
        bad.auth_code = std::ptr::null();
        let mut out: starpos_barcode_pay_response = zeroed();
        let st = starpos_barcode_pay(&cfg.raw, &bad, &mut out);
        assert_eq!(st, starpos_status::STARPOS_ERR_INVALID_ARGUMENT);
        assert!(
            text(&out.error).starts_with("auth_code: "),
            "{}",
            text(&out.error)
        );
        let st = starpos_barcode_sale(&cfg.raw, std::ptr::null(), 0, 0, &mut done);
        assert_eq!(st, starpos_status::STARPOS_ERR_INVALID_ARGUMENT);
        assert_eq!(sim.request_count(), before);
    }
}

#[test]
fn a_lost_barcode_answer_through_the_c_abi_keeps_the_trade_no() {
    let sim = sim();
    let mut cfg = c_config(&sim);
    cfg.raw.timeout_ms = 1000;
    sim.inject_for(Some("sdkBarcodePay"), 1, Fault::NeverAnswer);
    let code = c(&wechat_code('0'));
    let mut req: starpos_barcode_pay_request = zeroed();
    req.auth_code = code.as_ptr();
    req.amount = 42;
    req.total_amount = 42;
    let mut out: starpos_barcode_pay_response = zeroed();
    let st = unsafe { starpos_barcode_pay(&cfg.raw, &req, &mut out) };
    assert_eq!(st, starpos_status::STARPOS_ERR_TIMEOUT);
    assert!(starpos_status_in_doubt(st as i32));
    let trade_no = text(&out.trade_no);
    assert!(!trade_no.is_empty(), "the handle on the lost sale");
    assert_eq!(sim.order(&trade_no).unwrap().state, 'S', "the money moved");
}

#[test]
fn the_documented_barcode_request_comes_out_byte_for_byte() {
    // Spec section 2's worked example is a real sdkBarcodePay request: the same inputs must
    // give exactly its fields and its signature, nothing more (empty optional fields send
    // nothing), in the key order the library always writes.
    use std::sync::{Arc, Mutex};
    let sent: Arc<Mutex<Vec<u8>>> = Arc::default();
    let seen = sent.clone();
    let config = Config::new(
        "489",
        "800290000000441",
        "95006888",
        "Pz5meIuUxRKcF7rlvPglliyfwvC9vhjGcBy61WHM00Qfwz0E6yTTLwgxJsFYE9IQ",
    );
    let client =
        Client::new(config)
            .unwrap()
            .with_exchange(Arc::new(move |_url: &str, body: &[u8]| {
                *seen.lock().unwrap() = body.to_vec();
                Err(starpos::Error::new(
                    Status::Connect,
                    "not sent: the test only looks",
                ))
            }));
    let _ = client.barcode_pay(&BarcodePayRequest {
        txn_time: Some("20170804103115"),
        version: Some("V1.0.0"),
        trade_no: Some("20170804103115431251"),
        auth_code: "130219205322723729",
        amount: 1,
        total_amount: 1,
        subject: Some(""),
        ..Default::default()
    });
    let body = String::from_utf8(sent.lock().unwrap().clone()).unwrap();
    assert_eq!(
        body,
        concat!(
            r#"{"amount":"1","authCode":"130219205322723729","characterSet":"00","#,
            r#""mercId":"800290000000441","opSys":"3","orgNo":"489","payChannel":"WXPAY","#,
            r#""signType":"MD5","signValue":"a8fda4082fbdd3e3ff679097cd4fae72","#,
            r#""total_amount":"1","tradeNo":"20170804103115431251","trmNo":"95006888","#,
            r#""txnTime":"20170804103115","version":"V1.0.0"}"#
        )
    );
}

#[test]
fn the_character_set_names_the_bodys_bytes() {
    // Spec section 1: 00 for an ASCII body (as every real sandbox request sends), 01 for a
    // UTF-8 body carrying other text; never 00 (GBK) over UTF-8 bytes.
    let sim = sim();
    let client = client(&sim);
    let ascii = client
        .barcode_pay(&BarcodePayRequest {
            subject: Some("coffee"),
            ..barcode(&wechat_code('0'), 1)
        })
        .unwrap();
    let chinese = client
        .barcode_pay(&BarcodePayRequest {
            subject: Some("测试商品"),
            ..barcode(&wechat_code('0'), 1)
        })
        .unwrap();
    let declared = |trade_no: &str| {
        sim.requests()
            .iter()
            .find(|r| r.fields["tradeNo"] == trade_no)
            .map(|r| r.fields["characterSet"].as_str().unwrap_or("").to_owned())
            .unwrap()
    };
    assert_eq!(declared(&ascii.trade_no), "00");
    assert_eq!(declared(&chinese.trade_no), "01");
    assert_eq!(chinese.subject, "测试商品");
}
