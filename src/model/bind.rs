//! Binding an answer to the request it answers (spec section 9). The MD5 signature has no
//! nonce: any signed answer ever captured stays valid, and on plain http anyone on the path
//! (or a confused proxy, or a stale connection) can hand the terminal another request's
//! answer. So an answer is only used when it echoes what this request sent:
//!
//! - `tradeNo`: an answer to an `sdk*` request (one that sent a `tradeNo`) must echo it — a
//!   verified answer must carry it, and any answer (a refusal too) that carries one must
//!   carry this one;
//! - `amount`, `total_amount`, `txnAmt`: when the answer has them and the request sent them,
//!   the same number of fen;
//! - `selOrderNo` of a pay (a request that sent `amount`): when the answer has one, the one
//!   sent.
//!
//! A mismatch is PROTOCOL (in doubt: this request's own answer never came) naming the field,
//! and nothing of that answer reaches the caller.
//!
//! A refusal of a request that can move money ([`MONEY_ENDPOINTS`]) says "nothing moved" only
//! when it is provably this request's (spec section 5): signed, and echoing the request's
//! `tradeNo` (`pubSigPay` sends none and needs the signature only). Anything less may be
//! anyone's refusal — a proxy's, a stale connection's, an attacker's on plain http — and is
//! in doubt, settled by querying the request's own `tradeNo` ([`refusal`]).

use super::Money;
use crate::error::Error;
use crate::wire::Answer;

/// Checks that `answer` belongs to the request whose money facts were `sent` (typed, as the
/// request carried them: [`Money`]) and whose `tradeNo` was `trade_no` ("" = none). `refusal` is true for an answer without a result and with
/// a `returnCode` other than `000000` (the gateway's refusal), of which only a `tradeNo` it
/// carries is checked.
pub(crate) fn check(
    sent: &Money,
    trade_no: &str,
    answer: &Answer,
    refusal: bool,
) -> Result<(), Error> {
    let echoed = |name: &str| answer.get(name).filter(|v| !v.is_empty());
    if !trade_no.is_empty() {
        match echoed("tradeNo") {
            Some(echo) if echo == trade_no => {}
            None if refusal => {}
            None => return Err(mismatch("tradeNo", None, trade_no)),
            Some(echo) => return Err(mismatch("tradeNo", Some(echo), trade_no)),
        }
    }
    if refusal {
        return Ok(());
    }
    for (name, fen) in [
        ("amount", sent.amount),
        ("total_amount", sent.total_amount),
        ("txnAmt", sent.txn_amt),
    ] {
        if let (Some(fen), Some(echo)) = (fen, echoed(name)) {
            // "0100" is 100 fen; so is a JSON number.
            if echo.parse::<u64>() != Ok(fen) {
                return Err(mismatch(name, Some(echo), &fen.to_string()));
            }
        }
    }
    if sent.amount.is_some() {
        if let Some(echo) = echoed("selOrderNo") {
            if echo != sent.sel_order_no {
                return Err(mismatch("selOrderNo", Some(echo), sent.sel_order_no));
            }
        }
    }
    Ok(())
}

/// The endpoints whose request can move money: a refusal of one of them is final only when
/// [`refusal`] accepts it.
pub const MONEY_ENDPOINTS: [&str; 5] = [
    "pubSigPay",
    "sdkBarcodePay",
    "sdkBarcodePosPay",
    "sdkRefundBarcodePay",
    "RevokeBarcodepay",
];

/// True for an endpoint in [`MONEY_ENDPOINTS`].
pub fn moves_money(endpoint: &str) -> bool {
    MONEY_ENDPOINTS.contains(&endpoint)
}

/// Judges the gateway's refusal `refused` (a [`crate::Status::Gateway`] error carrying the
/// answer) of the request whose wire fields were `sent` to `endpoint`: the same error when it
/// stands as the final word, else the in-doubt error that replaces it, still carrying the
/// refusal (its `returnCode` and `message` stay visible):
///
/// - a refusal echoing another `tradeNo`: PROTOCOL (another request's answer), any endpoint;
/// - a money call's refusal without a signature: SIGNATURE (it may not come from the gateway);
/// - a money call's refusal without the request's `tradeNo`: PROTOCOL (it may be another
///   request's);
/// - a read-only call's refusal stands as it came: it moved nothing.
pub(crate) fn refusal(endpoint: &str, sent: &Money, trade_no: &str, refused: Error) -> Error {
    let Some(answer) = refused.refusal() else {
        return refused;
    };
    if let Err(e) = check(sent, trade_no, answer, true) {
        // Another request's answer: nothing of it is handed out.
        return e;
    }
    if !moves_money(endpoint) {
        return refused;
    }
    let sent_trade_no = Some(trade_no).filter(|t| !t.is_empty());
    let what = format!(
        "returnCode {}, message \"{}\"",
        answer.text("returnCode"),
        answer.text("message")
    );
    let unproven = if !answer.verified() {
        Some((
            crate::Status::Signature,
            "is not signed, so it may not come from the gateway",
        ))
    } else if sent_trade_no.is_some() && answer.get("tradeNo").map_or(true, str::is_empty) {
        Some((
            crate::Status::Protocol,
            "carries no tradeNo, so it may be another request's",
        ))
    } else {
        None
    };
    match unproven {
        None => refused,
        Some((status, why)) => Error::new(
            status,
            format!(
                "a refusal ({what}) {why}: it does not prove that nothing moved (spec section \
                 5); the outcome is unknown: query the request's tradeNo, never send it again"
            ),
        )
        .with_refusal(answer.clone()),
    }
}

/// `returnCode`s of refusals that say "try again later" (system busy), as the gateway and the
/// simulator word them: `100099` (seen from the gateway), `100009` (the simulator's).
pub const TRY_AGAIN_CODES: [&str; 2] = ["100099", "100009"];

/// Words of a refusal's `message` that say "try again later": 繁忙 (busy), 稍后 (later),
/// 重试 (retry), and the English the simulator adds.
const TRY_AGAIN_WORDS: [&str; 5] = ["繁忙", "稍后", "重试", "busy", "try again"];

/// True when a refusal says the gateway will not answer now (busy, try again later), rather
/// than what it knows: such a refusal is never evidence that an order does not exist
/// (docs/protocol.md section 12). Judged by [`TRY_AGAIN_CODES`] and [`TRY_AGAIN_WORDS`]: the
/// gateway documents no code for either, so a refusal that may mean "busy" counts as busy.
pub(crate) fn says_try_again(refusal: &Answer) -> bool {
    let message = refusal.text("message").to_ascii_lowercase();
    TRY_AGAIN_CODES.contains(&refusal.text("returnCode"))
        || TRY_AGAIN_WORDS.iter().any(|w| message.contains(w))
}

fn mismatch(field: &str, echo: Option<&str>, sent: &str) -> Error {
    let got = match echo {
        Some(echo) => format!("{field} {echo:?}"),
        None => format!("no {field}"),
    };
    Error::protocol(format!(
        "answer is not this request's (spec section 9): it carries {got} where the request \
         sent {sent:?}; nothing in it was used, the outcome is unknown"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::{decode_answer, encode_answer};

    const KEY: &str = "0123456789ABCDEF0123456789ABCDEF";

    /// [`check`] of `answer` against the request of wire fields `sent`.
    fn bind(sent: &[(&str, &str)], answer: &Answer, refusal: bool) -> Result<(), Error> {
        let trade_no = crate::model::Outgoing::trade_no_of(sent.iter().copied());
        check(&Money::of_wire(sent), trade_no, answer, refusal)
    }

    fn answer(fields: &[(&str, &str)]) -> Answer {
        decode_answer(&encode_answer(fields, KEY), KEY)
            .unwrap_or_else(|e| e.refusal().expect("a refusal").clone())
    }

    const PAY: [(&str, &str); 4] = [
        ("tradeNo", "T1"),
        ("amount", "100"),
        ("total_amount", "200"),
        ("selOrderNo", "S1"),
    ];

    #[test]
    fn the_right_answer_binds() {
        let a = answer(&[
            ("returnCode", "000000"),
            ("result", "S"),
            ("tradeNo", "T1"),
            ("amount", "0100"),
            ("total_amount", "200"),
            ("selOrderNo", "S1"),
        ]);
        bind(&PAY, &a, false).unwrap();
        // Fields the gateway leaves out are not held against it.
        let a = answer(&[("returnCode", "000000"), ("result", "A"), ("tradeNo", "T1")]);
        bind(&PAY, &a, false).unwrap();
    }

    #[test]
    fn another_requests_answer_is_refused_naming_the_field() {
        for (field, value) in [
            ("tradeNo", "T2"),
            ("amount", "101"),
            ("total_amount", "1"),
            ("selOrderNo", "S2"),
        ] {
            let mut fields = vec![("returnCode", "000000"), ("result", "S")];
            fields.extend(PAY.iter().filter(|(n, _)| *n != field));
            fields.push((field, value));
            let e = bind(&PAY, &answer(&fields), false).unwrap_err();
            assert_eq!(e.status(), crate::Status::Protocol);
            assert!(e.in_doubt());
            assert!(e.detail().contains(&format!("{field} \"{value}\"")), "{e}");
        }
        let e = bind(
            &PAY,
            &answer(&[("returnCode", "000000"), ("result", "S")]),
            false,
        )
        .unwrap_err();
        assert!(e.detail().contains("no tradeNo"), "{e}");
    }

    #[test]
    fn a_refusal_is_only_held_to_a_trade_no_it_carries() {
        let sent = [("tradeNo", "T1"), ("txnAmt", "5")];
        let refusal = answer(&[("returnCode", "100002"), ("message", "no")]);
        bind(&sent, &refusal, true).unwrap();
        let stale = answer(&[("returnCode", "100002"), ("tradeNo", "T0")]);
        assert!(bind(&sent, &stale, true).is_err());
        let refund = answer(&[("returnCode", "000000"), ("tradeNo", "T1"), ("txnAmt", "6")]);
        assert!(bind(&sent, &refund, false)
            .unwrap_err()
            .detail()
            .contains("txnAmt \"6\""));
    }

    #[test]
    fn real_shaped_answers_bind_numbers_and_empty_echoes() {
        // As real integrations see them: amounts as JSON numbers, empty goodsTag, selOrderNo
        // and attach (spec section 9: an echo is only checked when present).
        let json = r#"{"returnCode":"000000","message":"ok","result":"S","tradeNo":"T1","logNo":"L1",
            "amount":100,"total_amount":200,"goodsTag":"","selOrderNo":"","attach":""}"#;
        let signature = crate::wire::sign_json(json, KEY).unwrap();
        let body = json.replacen('{', &format!("{{\"signValue\":\"{signature}\","), 1);
        let answer = decode_answer(body.as_bytes(), KEY).unwrap();
        bind(&PAY, &answer, false).unwrap();
        let read =
            crate::model::BarcodePayResponse::from_answer(&answer, "T1", "WXPAY", false).unwrap();
        assert_eq!((read.amount, read.total_amount), (100, 200));
        assert_eq!(read.sel_order_no, "");
    }

    #[test]
    fn a_query_answer_may_name_its_order() {
        // The query sends no amount: the order's amount and selOrderNo are the answer's own.
        let sent = [("tradeNo", "Q1"), ("qryNo", "L1")];
        let a = answer(&[
            ("returnCode", "000000"),
            ("tradeNo", "Q1"),
            ("amount", "7"),
            ("selOrderNo", "S9"),
        ]);
        bind(&sent, &a, false).unwrap();
    }
}
