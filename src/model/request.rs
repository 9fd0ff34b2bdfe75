//! The request builder shared by every endpoint: a request's parameters (generated from its
//! table, `tables/<endpoint>.rs`, as a `Spec` per field) are checked by their kind, turned
//! into wire fields, and their money facts ([`Money`]) read as typed values, in one loop for
//! all endpoints (one copy of the code: armv7 size, docs/terminal.md). What a table cannot
//! say is the endpoint's `rules` (`pay.rs`: code or openid; `counter.rs`: the channel from the
//! payment code), run after this.

#[path = "tables/param.rs"]
mod param;

pub(crate) use param::In;
use param::{EXTENDS, REQUIRED};

use super::counter::PAY_CHANNELS;
use super::{version_for, Money, Outgoing};
use crate::error::Error;
use crate::fields;

/// One parameter of a request, as its table says (generated into each request type's
/// `PARAMS`).
pub(crate) struct Spec {
    /// The Rust and C field name: the one every error names.
    pub name: &'static str,
    /// The wire name ("" for `txn_time`, which the client sends itself).
    pub wire: &'static str,
    /// How it is given and checked.
    pub kind: In,
    /// `REQUIRED` / `EXTENDS` bits (and `SECRET`, which the generated code acts on).
    pub flags: u8,
}

/// A parameter's value as the caller gave it.
#[derive(Clone, Copy)]
pub(crate) enum Value<'a> {
    /// Text; `None` and `""` are both absent.
    Text(Option<&'a str>),
    /// An amount in fen.
    Fen(u64),
}

/// What `Debug` shows of a secret: `***` when given, nothing when absent.
pub(crate) fn masked(value: Option<&str>) -> &'static str {
    match value {
        Some(v) if !v.is_empty() => "***",
        _ => "",
    }
}

/// Checks every parameter (the first bad one is the error, naming its field), and makes the
/// request's wire fields and its money facts. `common`: an `sdk*` endpoint, whose requests
/// carry `opSys` 3 (direct connection), `characterSet` `00` (the client makes it `01` for a
/// UTF-8 body with non-ASCII text, spec section 1) and a `tradeNo`, left empty when the
/// caller gave none: the client numbers it ([`crate::clock::new_trade_no`]). The version is
/// the caller's, else `V1.0.1` when a parameter that needs it (`EXTENDS`) is given, else
/// `V1.0.0`. An amount must not exceed the total.
pub(crate) fn build<'a>(
    params: &[Spec],
    values: &[Value<'a>],
    common: bool,
) -> Result<Outgoing<'a>, Error> {
    let mut wire: Vec<(&'static str, String)> = Vec::with_capacity(params.len() + 2);
    let mut money = Money::default();
    if common {
        wire.push(("opSys", "3".to_owned()));
        wire.push(("characterSet", "00".to_owned()));
    }
    let (mut version, mut extended) = (None, false);
    for (p, value) in params.iter().zip(values) {
        let text = match *value {
            Value::Fen(0) if p.kind == In::FenOrNone => continue,
            Value::Fen(fen) => {
                fields::amount(p.name, fen)?;
                money.set_fen(p.wire, fen);
                wire.push((p.wire, fen.to_string()));
                continue;
            }
            Value::Text(text) => text.filter(|t| !t.is_empty()),
        };
        match (p.kind, text) {
            (In::TxnTime, _) => {}
            (In::Version, given) => version = given,
            (In::TradeNo, None) => wire.push((p.wire, String::new())),
            (kind, None) if p.flags & REQUIRED != 0 => {
                let rule = match kind {
                    In::Channel => "is required (WXPAY, ALIPAY or YLPAY)",
                    _ => "is required",
                };
                return Err(Error::invalid(p.name, rule));
            }
            (_, None) => {}
            (kind, Some(text)) => {
                check(kind, p.name, text)?;
                extended |= p.flags & EXTENDS != 0;
                money.set(p.wire, text);
                wire.push((p.wire, text.to_owned()));
            }
        }
    }
    wire.push(("version", version_for(version, extended)?));
    if let (Some(amount), Some(total)) = (money.amount, money.total_amount) {
        if amount > total {
            return Err(Error::invalid(
                "amount",
                format!("must not exceed total_amount ({total} fen), got {amount} fen"),
            ));
        }
    }
    Ok(Outgoing::new(wire, money))
}

/// Checks a given text parameter by its kind.
fn check(kind: In, name: &str, value: &str) -> Result<(), Error> {
    match kind {
        In::TradeNo => fields::token(name, value, 64),
        In::Token(max) => fields::token(name, value, max),
        In::Text(max) => fields::text(name, value, max),
        In::Code(max) => {
            // The code's value never goes into an error text, only its shape.
            if value.len() > max || !value.bytes().all(|b| b.is_ascii_graphic()) {
                return Err(Error::invalid(
                    name,
                    format!(
                        "must be 1 to {max} printable ASCII characters without spaces (got {} \
                         bytes)",
                        value.len()
                    ),
                ));
            }
            fields::not_null(name, value)
        }
        In::Channel => channel(name, value),
        In::TxnTime | In::Version | In::Fen | In::FenOrNone => Ok(()),
    }
}

/// A payment channel the gateway knows.
pub(crate) fn channel(name: &str, value: &str) -> Result<(), Error> {
    if PAY_CHANNELS.contains(&value) {
        Ok(())
    } else {
        Err(Error::invalid(
            name,
            format!("must be WXPAY, ALIPAY or YLPAY, got {value:?}"),
        ))
    }
}

#[cfg(test)]
mod tests {
    use crate::model::{
        BarcodePayRequest, Money, PayRequest, QrPayRequest, QryRequest, QueryRequest,
        RefundRequest, RevokeRequest,
    };

    fn names(fields: &[(&'static str, String)]) -> Vec<&'static str> {
        let mut names: Vec<&str> = fields.iter().map(|(n, _)| *n).collect();
        names.sort_unstable();
        names
    }

    fn value<'f>(fields: &'f [(&'static str, String)], name: &str) -> Option<&'f str> {
        fields
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    }

    #[test]
    fn money_facts_are_the_requests_own_values_typed() {
        let sale = BarcodePayRequest {
            trade_no: Some("T1"),
            auth_code: "130219205322723729",
            amount: 5,
            total_amount: 9,
            sel_order_no: Some("S-1"),
            ..Default::default()
        };
        let out = sale.outgoing().unwrap();
        assert_eq!(out.trade_no(), "T1");
        assert_eq!(
            out.money,
            Money {
                amount: Some(5),
                total_amount: Some(9),
                sel_order_no: "S-1",
                // Not given: the channel the code's shape names, sent and recorded.
                pay_channel: "WXPAY",
                ..Money::default()
            }
        );
        assert_eq!(value(&out.fields, "payChannel"), Some("WXPAY"));
        let refund = RefundRequest {
            order_no: "O-9",
            txn_amt: 3,
            ..Default::default()
        };
        let out = refund.outgoing().unwrap();
        assert_eq!(out.money.txn_amt, Some(3));
        assert_eq!(out.money.of_order, "O-9");
        let revoke = RevokeRequest {
            qry_no: "T1",
            ..Default::default()
        };
        assert_eq!(revoke.outgoing().unwrap().money.of_order, "T1");
    }

    #[test]
    fn a_refund_of_all_sends_no_amount_and_a_refund_of_some_does() {
        let all = RefundRequest {
            order_no: "O",
            ..Default::default()
        };
        let fields = all.wire_fields().unwrap();
        assert_eq!(
            names(&fields),
            ["characterSet", "opSys", "orderNo", "tradeNo", "version"]
        );
        let some = RefundRequest { txn_amt: 7, ..all };
        assert_eq!(value(&some.wire_fields().unwrap(), "txnAmt"), Some("7"));
        let e = RefundRequest {
            txn_amt: 10_000_000_000_000,
            ..all
        }
        .wire_fields()
        .unwrap_err();
        assert!(e.detail().starts_with("txn_amt: "), "{e}");
    }

    #[test]
    fn required_parameters_are_named_when_missing() {
        for (e, field) in [
            (QueryRequest::default().wire_fields(), "qry_no"),
            (RevokeRequest::default().wire_fields(), "qry_no"),
            (RefundRequest::default().wire_fields(), "order_no"),
            (
                BarcodePayRequest {
                    amount: 1,
                    total_amount: 1,
                    ..Default::default()
                }
                .wire_fields(),
                "auth_code",
            ),
        ] {
            assert_eq!(e.unwrap_err().detail(), format!("{field}: is required"));
        }
        let e = QrPayRequest {
            amount: 1,
            total_amount: 1,
            ..Default::default()
        }
        .wire_fields()
        .unwrap_err();
        assert_eq!(
            e.detail(),
            "pay_channel: is required (WXPAY, ALIPAY or YLPAY)"
        );
    }

    #[test]
    fn each_kind_is_checked_and_the_field_named() {
        let ok = PayRequest {
            code: Some("c"),
            amount: 1,
            total_amount: 2,
            ..Default::default()
        };
        let cases: [(PayRequest, &str); 7] = [
            (
                PayRequest {
                    code: Some("a b"),
                    ..ok.clone()
                },
                "code: must be printable",
            ),
            (
                PayRequest {
                    code: Some(&"x".repeat(65)),
                    ..ok.clone()
                },
                "code: must be at most 64",
            ),
            (
                PayRequest {
                    sel_order_no: Some("null"),
                    ..ok.clone()
                },
                "sel_order_no: must not be",
            ),
            (
                PayRequest {
                    goods_tag: Some(&"好".repeat(126)),
                    ..ok.clone()
                },
                "goods_tag: must be at most 250 bytes",
            ),
            (
                PayRequest {
                    amount: 0,
                    ..ok.clone()
                },
                "amount: ",
            ),
            (
                PayRequest {
                    amount: 3,
                    ..ok.clone()
                },
                "amount: must not exceed total_amount (2 fen), got 3 fen",
            ),
            (
                PayRequest {
                    version: Some("V9"),
                    ..ok.clone()
                },
                "version: ",
            ),
        ];
        for (request, starts) in cases {
            let e = request.wire_fields().unwrap_err();
            assert!(
                e.detail().starts_with(starts),
                "{} for {starts}",
                e.detail()
            );
        }
        let code = BarcodePayRequest {
            auth_code: "13021920 5322723729",
            amount: 1,
            total_amount: 1,
            ..Default::default()
        };
        let e = code.wire_fields().unwrap_err();
        assert!(e.detail().starts_with("auth_code: must be 1 to 256"), "{e}");
        assert!(!e.detail().contains("5322723729"), "the code's value: {e}");
        let channel = QrPayRequest {
            pay_channel: "PAYPAL",
            amount: 1,
            total_amount: 1,
            ..Default::default()
        };
        assert!(channel
            .wire_fields()
            .unwrap_err()
            .detail()
            .starts_with("pay_channel: must be WXPAY, ALIPAY or YLPAY"));
    }

    #[test]
    fn the_version_is_extended_by_the_parameters_that_need_it() {
        let version = |fields: Vec<(&'static str, String)>| {
            value(&fields, "version").map(str::to_owned).unwrap()
        };
        assert_eq!(
            version(QryRequest::default().wire_fields().unwrap()),
            "V1.0.0"
        );
        let attach = QryRequest {
            attach: Some("a"),
            ..Default::default()
        };
        assert_eq!(version(attach.wire_fields().unwrap()), "V1.0.1");
        let openid = PayRequest {
            openid: Some("o"),
            amount: 1,
            total_amount: 1,
            ..Default::default()
        };
        assert_eq!(version(openid.wire_fields().unwrap()), "V1.0.1");
        // addField is not an extended field.
        let add_field = QrPayRequest {
            pay_channel: "WXPAY",
            amount: 1,
            total_amount: 1,
            add_field: Some("f"),
            ..Default::default()
        };
        assert_eq!(version(add_field.wire_fields().unwrap()), "V1.0.0");
    }

    #[test]
    fn debug_never_shows_a_secret() {
        let sale = BarcodePayRequest {
            auth_code: "130219205322723729",
            amount: 1,
            total_amount: 1,
            ..Default::default()
        };
        let text = format!("{sale:?}");
        assert!(!text.contains("130219205322723729"), "{text}");
        assert!(text.contains("auth_code: \"***\""), "{text}");
        let pay = PayRequest {
            code: Some("the-oauth-code"),
            openid: Some("the-openid"),
            sel_order_no: Some("S-7"),
            ..Default::default()
        };
        let text = format!("{pay:?}");
        assert!(
            !text.contains("the-oauth-code") && !text.contains("the-openid"),
            "{text}"
        );
        assert!(text.contains("S-7"), "other fields are shown: {text}");
    }

    #[test]
    fn raw_fields_give_their_money_facts_as_the_gateway_reads_them() {
        let fields = [
            ("amount", "5"),
            ("amount", "6"),
            ("total_amount", "x"),
            ("qryNo", "Q"),
            ("orderNo", "O"),
            ("selOrderNo", "S"),
        ];
        let money = Money::of_wire(&fields);
        assert_eq!(money.amount, Some(6), "the last of a repeated name");
        assert_eq!(money.total_amount, None, "not a number of fen");
        assert_eq!(money.of_order, "O", "orderNo before qryNo");
        assert_eq!(money.sel_order_no, "S");
        assert_eq!(Money::of_wire(&[("qryNo", "Q")]).of_order, "Q");
    }
}
