//! Money truth (spec sections 5, 9, 10): every answer is bound to its request and judged by
//! the gateway's own rule, on every endpoint that moves or reports money, through the Rust API
//! and through the C ABI. The gateway here is a closure ([`common::answerer`]) that answers
//! what no honest gateway would: another request's answer, a changed amount, a result beside
//! a refusal, every free-text field at its documented maximum.

mod common;

use common::answerer::{answerer, field, Answerer};
use common::{c, c_config_at, text, zeroed};
use serde_json::{Map, Value};
use starpos::ffi::*;
use starpos::{
    BarcodePayRequest, Client, Config, PayRequest, QrPayRequest, QueryRequest, RefundRequest,
    Status,
};
use std::os::raw::c_char;
use std::time::Duration;

/// What the answerer does to the honest answer.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Twist {
    /// The honest answer.
    None,
    /// Another request's answer, correctly signed: another `tradeNo` (pubSigPay, which has
    /// none: another amount and `selOrderNo`).
    Stale,
    /// This request's answer with the amount (refund: `txnAmt`) one fen higher.
    MismatchedAmount,
    /// `returnCode` 100001 with `result` Z: not a final refusal.
    ZUnderRefusal,
    /// `returnCode` 100009 with no result, signed, echoing the request's `tradeNo`: the
    /// gateway's refusal, provably this request's.
    Refusal,
    /// The same refusal without `tradeNo`: it may be another request's (spec section 5).
    UnboundRefusal,
    /// The honest answer with a 150-character `message`, over its documented 100.
    LongMessage,
    /// The honest answer with this `result` letter.
    Letter(char),
    /// `subject`, `goodsTag`, `attach` at 512 GBK bytes: 256 Chinese characters.
    Longest,
}

const LONGEST: &str = "支";

/// `message` at 100 Chinese characters, the most the library's buffers are documented for.
const LONGEST_MESSAGE: &str = "交";
/// `logNo` at its documented 20 characters.
const LONGEST_LOG_NO: &str = "20261201000000000001";

fn longest() -> String {
    LONGEST.repeat(256)
}

/// The endpoints that move or report money.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Call {
    Pay,
    Query,
    Refund,
    BarcodePay,
    QrPay,
}

const CALLS: [Call; 5] = [
    Call::Pay,
    Call::Query,
    Call::Refund,
    Call::BarcodePay,
    Call::QrPay,
];

/// The honest answer to `request` on `endpoint`, then twisted.
fn answer(endpoint: &str, request: &Map<String, Value>, twist: Twist) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = vec![
        ("returnCode".into(), "000000".into()),
        ("message".into(), "交易成功".into()),
        ("sysTime".into(), "20261201120000".into()),
        ("mercId".into(), field(request, "mercId").into()),
        ("logNo".into(), "202612010000000001".into()),
        ("orderNo".into(), "4200000001202612010000000001".into()),
    ];
    let mut set = |name: &str, value: String| {
        out.retain(|(n, _)| n != name);
        out.push((name.to_owned(), value));
    };
    let result = match endpoint {
        "pubSigPay" => "A",
        _ => "S",
    };
    set("result", result.into());
    for name in ["tradeNo", "amount", "total_amount", "selOrderNo", "txnAmt"] {
        if !field(request, name).is_empty() {
            set(name, field(request, name).into());
        }
    }
    if endpoint == "sdkQryBarcodePay" {
        set("amount", "100".into());
        set("total_amount", "100".into());
        set("payChannel", "WXPAY".into());
    }
    if endpoint == "sdkBarcodePosPay" {
        set("payCode", "https://qr.example/abc".into());
    }
    let bump = |v: &str| (v.parse::<u64>().unwrap_or(0) + 1).to_string();
    match twist {
        Twist::None => {}
        Twist::Stale if endpoint == "pubSigPay" => {
            set("amount", bump(field(request, "amount")));
            set("selOrderNo", "ANOTHER-ORDER".into());
        }
        Twist::Stale => set("tradeNo", "20261201000000999999".into()),
        Twist::MismatchedAmount if endpoint == "sdkRefundBarcodePay" => {
            set("txnAmt", bump(field(request, "txnAmt")))
        }
        Twist::MismatchedAmount => set("amount", bump(field(request, "amount"))),
        Twist::ZUnderRefusal => {
            set("returnCode", "100001".into());
            set("message", "处理中".into());
            set("result", "Z".into());
        }
        Twist::Refusal | Twist::UnboundRefusal => {
            let trade_no = field(request, "tradeNo").to_owned();
            out = vec![
                ("returnCode".into(), "100009".into()),
                ("message".into(), "订单不存在".into()),
                ("sysTime".into(), "20261201120000".into()),
            ];
            if twist == Twist::Refusal && !trade_no.is_empty() {
                out.push(("tradeNo".into(), trade_no));
            }
        }
        Twist::LongMessage => set("message", "交".repeat(150)),
        Twist::Letter(letter) => set("result", letter.to_string()),
        Twist::Longest => {
            for name in ["subject", "goodsTag", "attach"] {
                set(name, longest());
            }
            set("message", LONGEST_MESSAGE.repeat(100));
            set("logNo", LONGEST_LOG_NO.into());
        }
    }
    out
}

fn gateway(twist: Twist) -> Answerer {
    answerer(move |endpoint, request| answer(endpoint, request, twist))
}

fn client(gateway: &Answerer) -> Client {
    let config = Config::new(
        starpos_sim::DEFAULT_ORG_NO,
        starpos_sim::DEFAULT_MERC_ID,
        starpos_sim::DEFAULT_TRM_NO,
        starpos_sim::DEFAULT_KEY,
    )
    .with_base_url(&gateway.base_url)
    .with_timeouts(Duration::from_secs(2), Duration::from_secs(5));
    Client::new(config).unwrap()
}

/// What a call gave back: the status, and on OK the result letter and the three free texts.
#[derive(Debug, PartialEq)]
struct Seen {
    status: Status,
    result: char,
    texts: [String; 5],
    detail: String,
}

fn seen_ok(result: Option<starpos::TxnResult>, texts: [&str; 5]) -> Seen {
    Seen {
        status: Status::Ok,
        result: result.map_or('-', |r| r.as_char()),
        texts: texts.map(str::to_owned),
        detail: String::new(),
    }
}

fn seen_err(e: starpos::Error) -> Seen {
    Seen {
        status: e.status(),
        result: '-',
        texts: Default::default(),
        detail: e.detail().to_owned(),
    }
}

fn through_rust(client: &Client, call: Call) -> Seen {
    let result = match call {
        Call::Pay => client
            .pay(&PayRequest {
                code: Some("OAUTHCODE0001"),
                amount: 100,
                total_amount: 100,
                sel_order_no: Some("SO-1"),
                ..Default::default()
            })
            .map(|a| {
                seen_ok(
                    a.result,
                    [&a.subject, &a.goods_tag, &a.attach, &a.message, &a.log_no],
                )
            }),
        Call::Query => client
            .query(&QueryRequest {
                qry_no: "202612010000000001",
                ..Default::default()
            })
            .map(|a| {
                seen_ok(
                    a.result,
                    [&a.subject, &a.goods_tag, &a.attach, &a.message, &a.log_no],
                )
            }),
        Call::Refund => client
            .refund(&RefundRequest {
                order_no: "4200000001202612010000000001",
                txn_amt: 40,
                ..Default::default()
            })
            .map(|a| {
                seen_ok(
                    a.result,
                    [&a.subject, &a.goods_tag, &a.attach, &a.message, &a.log_no],
                )
            }),
        Call::BarcodePay => client
            .barcode_pay(&BarcodePayRequest {
                auth_code: "130219205322723729",
                amount: 100,
                total_amount: 100,
                ..Default::default()
            })
            .map(|a| {
                seen_ok(
                    a.result,
                    [&a.subject, &a.goods_tag, &a.attach, &a.message, &a.log_no],
                )
            }),
        Call::QrPay => client
            .qr_pay(&QrPayRequest {
                pay_channel: "ALIPAY",
                amount: 100,
                total_amount: 100,
                ..Default::default()
            })
            .map(|a| {
                seen_ok(
                    a.result,
                    [&a.subject, &a.goods_tag, &a.attach, &a.message, &a.log_no],
                )
            }),
    };
    result.unwrap_or_else(seen_err)
}

fn c_seen(status: starpos_status, result: c_char, texts: [&[c_char]; 5], error: &[c_char]) -> Seen {
    let status = Status::from_code(status as i64).unwrap();
    if status != Status::Ok {
        return Seen {
            status,
            result: '-',
            texts: Default::default(),
            detail: text(error),
        };
    }
    Seen {
        status,
        result: if result == 0 {
            '-'
        } else {
            result as u8 as char
        },
        texts: texts.map(text),
        detail: String::new(),
    }
}

fn through_c(gateway: &Answerer, call: Call) -> Seen {
    let config = c_config_at(&gateway.base_url);
    let cfg = &config.raw;
    unsafe {
        match call {
            Call::Pay => {
                let (code, sel) = (c("OAUTHCODE0001"), c("SO-1"));
                let mut req: starpos_pay_request = zeroed();
                req.code = code.as_ptr();
                req.sel_order_no = sel.as_ptr();
                req.amount = 100;
                req.total_amount = 100;
                let mut out: starpos_pay_response = zeroed();
                let st = starpos_pay(cfg, &req, &mut out);
                c_seen(
                    st,
                    out.result,
                    [
                        &out.subject,
                        &out.goods_tag,
                        &out.attach,
                        &out.message,
                        &out.log_no,
                    ],
                    &out.error,
                )
            }
            Call::Query => {
                let qry_no = c("202612010000000001");
                let mut req: starpos_query_request = zeroed();
                req.qry_no = qry_no.as_ptr();
                let mut out: starpos_query_response = zeroed();
                let st = starpos_query(cfg, &req, &mut out);
                c_seen(
                    st,
                    out.result,
                    [
                        &out.subject,
                        &out.goods_tag,
                        &out.attach,
                        &out.message,
                        &out.log_no,
                    ],
                    &out.error,
                )
            }
            Call::Refund => {
                let order_no = c("4200000001202612010000000001");
                let mut req: starpos_refund_request = zeroed();
                req.order_no = order_no.as_ptr();
                req.txn_amt = 40;
                let mut out: starpos_refund_response = zeroed();
                let st = starpos_refund(cfg, &req, &mut out);
                c_seen(
                    st,
                    out.result,
                    [
                        &out.subject,
                        &out.goods_tag,
                        &out.attach,
                        &out.message,
                        &out.log_no,
                    ],
                    &out.error,
                )
            }
            Call::BarcodePay => {
                let code = c("130219205322723729");
                let mut req: starpos_barcode_pay_request = zeroed();
                req.auth_code = code.as_ptr();
                req.amount = 100;
                req.total_amount = 100;
                let mut out: starpos_barcode_pay_response = zeroed();
                let st = starpos_barcode_pay(cfg, &req, &mut out);
                assert!(!text(&out.trade_no).is_empty(), "trade_no is always filled");
                c_seen(
                    st,
                    out.result,
                    [
                        &out.subject,
                        &out.goods_tag,
                        &out.attach,
                        &out.message,
                        &out.log_no,
                    ],
                    &out.error,
                )
            }
            Call::QrPay => {
                let channel = c("ALIPAY");
                let mut req: starpos_qr_pay_request = zeroed();
                req.pay_channel = channel.as_ptr();
                req.amount = 100;
                req.total_amount = 100;
                let mut out: starpos_qr_pay_response = zeroed();
                let st = starpos_qr_pay(cfg, &req, &mut out);
                assert!(!text(&out.trade_no).is_empty(), "trade_no is always filled");
                c_seen(
                    st,
                    out.result,
                    [
                        &out.subject,
                        &out.goods_tag,
                        &out.attach,
                        &out.message,
                        &out.log_no,
                    ],
                    &out.error,
                )
            }
        }
    }
}

/// Runs `check` on what every call gives, through both layers, against a gateway twisted so.
fn every_call(twist: Twist, check: impl Fn(Call, &Seen)) {
    let gateway = gateway(twist);
    let client = client(&gateway);
    for call in CALLS {
        let rust = through_rust(&client, call);
        check(call, &rust);
        let c = through_c(&gateway, call);
        check(call, &c);
        assert_eq!(rust.status, c.status, "{call:?}: both layers agree");
    }
}

#[test]
fn honest_answers_are_accepted_on_every_endpoint() {
    every_call(Twist::None, |call, seen| {
        assert_eq!(seen.status, Status::Ok, "{call:?}: {}", seen.detail);
    });
}

#[test]
fn another_requests_answer_is_in_doubt_and_says_which_field_differed() {
    every_call(Twist::Stale, |call, seen| {
        assert_eq!(seen.status, Status::Protocol, "{call:?}: {seen:?}");
        assert!(seen.status.in_doubt());
        let field = if call == Call::Pay {
            "amount"
        } else {
            "tradeNo"
        };
        assert!(
            seen.detail.contains(&format!("carries {field} ")),
            "{call:?}: {}",
            seen.detail
        );
        assert!(
            seen.detail.contains("not this request's"),
            "{}",
            seen.detail
        );
    });
}

#[test]
fn a_changed_amount_is_in_doubt_on_every_call_that_sent_one() {
    every_call(Twist::MismatchedAmount, |call, seen| {
        if call == Call::Query {
            // The query sends no amount: the order's amount is the answer's own.
            assert_eq!(seen.status, Status::Ok, "{}", seen.detail);
            return;
        }
        assert_eq!(seen.status, Status::Protocol, "{call:?}: {seen:?}");
        let field = if call == Call::Refund {
            "txnAmt"
        } else {
            "amount"
        };
        assert!(
            seen.detail.contains(&format!("carries {field} \"")),
            "{}",
            seen.detail
        );
    });
}

#[test]
fn z_under_a_refusal_code_is_not_final_it_is_followed_up() {
    // Spec section 5: judge by result, not returnCode. Z under 100001 is OK with Z (query
    // again), never a final GATEWAY refusal.
    every_call(Twist::ZUnderRefusal, |call, seen| {
        assert_eq!(seen.status, Status::Ok, "{call:?}: {}", seen.detail);
        assert_eq!(seen.result, 'Z', "{call:?}");
    });
}

#[test]
fn a_signed_bound_refusal_without_result_stays_final() {
    every_call(Twist::Refusal, |call, seen| {
        assert_eq!(seen.status, Status::Gateway, "{call:?}: {}", seen.detail);
        assert!(!seen.status.in_doubt());
    });
}

#[test]
fn a_refusal_without_the_trade_no_proves_nothing_for_a_money_call() {
    // Spec section 5: a stale refusal of another request looks like this. pubSigPay sends no
    // tradeNo (the signature is its proof); the query moves nothing.
    every_call(Twist::UnboundRefusal, |call, seen| match call {
        Call::Pay | Call::Query => {
            assert_eq!(seen.status, Status::Gateway, "{call:?}: {}", seen.detail)
        }
        _ => {
            assert_eq!(seen.status, Status::Protocol, "{call:?}: {}", seen.detail);
            assert!(seen.status.in_doubt());
            assert!(seen.detail.contains("no tradeNo"), "{}", seen.detail);
            assert!(seen.detail.contains("100009"), "{}", seen.detail);
        }
    });
}

#[test]
fn long_text_never_hides_a_final_answer() {
    // Spec section 5: free text over its maximum is cut at a character boundary, visibly (a
    // warning in the log); the money facts decide.
    every_call(Twist::LongMessage, |call, seen| {
        assert_eq!(seen.status, Status::Ok, "{call:?}: {}", seen.detail);
        let message = &seen.texts[3];
        assert!(
            message.len() < 150 * 3 && message.len() >= 100 * 3,
            "{call:?}"
        );
        assert!(
            message.chars().all(|c| c == '交'),
            "{call:?}: cut on a boundary"
        );
    });
}

#[test]
fn only_the_letters_an_endpoint_documents_are_taken() {
    // Spec section 5: pubSigPay A Z; sdkBarcodePay S F A Z; sdkBarcodePosPay S F Z; the query
    // S F A Z D; the refund S F Z. Any other letter is PROTOCOL, in doubt: never final.
    for letter in ['S', 'F', 'A', 'Z', 'D'] {
        every_call(Twist::Letter(letter), |call, seen| {
            let documented = match call {
                Call::Pay => "AZ",
                Call::BarcodePay => "SFAZ",
                Call::QrPay => "SFZ",
                Call::Query => "SFAZD",
                Call::Refund => "SFZ",
            };
            if documented.contains(letter) {
                assert_eq!(
                    seen.status,
                    Status::Ok,
                    "{call:?} {letter}: {}",
                    seen.detail
                );
                assert_eq!(seen.result, letter);
            } else {
                assert_eq!(seen.status, Status::Protocol, "{call:?} {letter}: {seen:?}");
                assert!(seen.detail.contains("does not answer"), "{}", seen.detail);
            }
        });
    }
}

#[test]
fn free_text_at_its_documented_maximum_comes_back_whole() {
    // 512 GBK bytes = 256 Chinese characters = 768 UTF-8 bytes (spec section 10); message at
    // 100 Chinese characters; logNo at its 20.
    every_call(Twist::Longest, |call, seen| {
        assert_eq!(seen.status, Status::Ok, "{call:?}: {}", seen.detail);
        for t in &seen.texts[..3] {
            assert_eq!(t, &longest(), "{call:?}");
            assert_eq!(t.len(), 768);
        }
        assert_eq!(
            seen.texts[3],
            LONGEST_MESSAGE.repeat(100),
            "{call:?}: message"
        );
        assert_eq!(seen.texts[4], LONGEST_LOG_NO, "{call:?}: logNo");
    });
}

#[test]
fn a_query_cut_short_by_the_deadline_does_not_hide_an_earlier_refusal() {
    // The first query is refused ("order not found"), every later one gets no answer before
    // the deadline. What the wait learned is the refusal: it is what the caller is told, in
    // doubt, not the bare timeout of the last query.
    let (release, stalled) = std::sync::mpsc::channel::<()>();
    let stalled = std::sync::Mutex::new(stalled);
    let answered = std::sync::atomic::AtomicBool::new(false);
    let gateway = answerer(move |endpoint, request| {
        if answered.swap(true, std::sync::atomic::Ordering::SeqCst) {
            // Held until the test ends (its sender is dropped) or ten seconds pass.
            let _ = stalled
                .lock()
                .map(|rx| rx.recv_timeout(Duration::from_secs(10)));
        }
        answer(endpoint, request, Twist::Refusal)
    });
    let waited = client(&gateway)
        .wait(
            "20261201000000000042",
            Duration::from_millis(10),
            Duration::from_millis(400),
        )
        .unwrap_err();
    drop(release);
    assert!(
        gateway.requests() >= 2,
        "it queried again after the refusal"
    );
    assert_eq!(waited.error.status(), Status::Timeout, "{}", waited.error);
    assert!(waited.error.in_doubt());
    assert!(
        waited
            .error
            .detail()
            .contains("every answered query was refused"),
        "{}",
        waited.error
    );
    let refusal = waited.error.refusal().expect("the refusal is kept");
    assert_eq!(refusal.text("returnCode"), "100009");
}
