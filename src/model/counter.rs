//! The counter sales (spec section 8): `sdkBarcodePay`, the terminal scans the payment code on
//! the payer's phone, and `sdkBarcodePosPay`, the terminal shows a QR code the payer scans.
//! Both carry a `tradeNo` the terminal chooses, which is also the key to query the sale by
//! when its answer was lost. Their requests (`BarcodePayRequest`, `QrPayRequest`) and their
//! answer are generated from `tables/counter.rs`; the channel taken from the payment code is
//! here.

use super::request::channel;
use super::{BarcodePayRequest, CounterPayResponse, Outgoing, TxnResult};
use crate::error::Error;
use crate::wire::Answer;

/// The payment channels the gateway knows (`payChannel`).
pub const PAY_CHANNELS: [&str; 3] = ["WXPAY", "ALIPAY", "YLPAY"];

/// The channel a scanned payment code belongs to, by the prefixes the wallets publish (spec
/// section 8): WeChat 18 digits beginning 10–15, Alipay 16–24 digits beginning 25–30,
/// UnionPay 19 digits beginning 62. `None` for a code of no known shape.
pub fn channel_of_code(auth_code: &str) -> Option<&'static str> {
    if auth_code.is_empty() || !auth_code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let prefix: u32 = auth_code.get(..2)?.parse().ok()?;
    match (auth_code.len(), prefix) {
        (18, 10..=15) => Some("WXPAY"),
        (16..=24, 25..=30) => Some("ALIPAY"),
        (19, 62) => Some("YLPAY"),
        _ => None,
    }
}

impl<'a> BarcodePayRequest<'a> {
    /// The channel this sale goes to: the caller's, else the one the code's shape names.
    pub fn channel(&self) -> Result<&'a str, Error> {
        match self.pay_channel.filter(|c| !c.is_empty()) {
            Some(c) => channel("pay_channel", c).map(|()| c),
            None => channel_of_code(self.auth_code).ok_or_else(|| {
                Error::invalid(
                    "pay_channel",
                    "not given, and the payment code is of no known shape (WeChat: 18 digits \
                     from 10-15; Alipay: 16-24 digits from 25-30; UnionPay: 19 digits from 62): \
                     give the channel",
                )
            }),
        }
    }

    /// A sale without a channel goes to the one its code's shape names.
    pub(super) fn rules(&self, out: &mut Outgoing<'a>) -> Result<(), Error> {
        if out.money.pay_channel.is_empty() {
            let channel = self.channel()?;
            out.fields.push(("payChannel", channel.to_owned()));
            out.money.pay_channel = channel;
        }
        Ok(())
    }
}

/// The answer to `sdkBarcodePay`.
pub type BarcodePayResponse = CounterPayResponse;
/// The answer to `sdkBarcodePosPay` (with `pay_code`).
pub type QrPayResponse = CounterPayResponse;

impl CounterPayResponse {
    /// Reads the answer (its table: `tables/counter.rs`) to a counter sale sent with
    /// `trade_no` on `pay_channel`. `result` is required, `logNo` unless the result is `F`,
    /// and for a QR order made (`S`) `payCode`; without a `payChannel` the answer's channel
    /// is the one sent.
    pub fn from_answer(
        answer: &Answer,
        trade_no: &str,
        pay_channel: &str,
        qr: bool,
    ) -> Result<CounterPayResponse, Error> {
        let letters = if qr {
            super::letters::QR_PAY
        } else {
            super::letters::BARCODE_PAY
        };
        let mut a = CounterPayResponse::read(answer, letters)?;
        if a.log_no.is_empty() && a.result != Some(TxnResult::Failed) {
            return Err(Error::protocol("answer lacks the field logNo"));
        }
        if qr && a.result == Some(TxnResult::Success) && a.pay_code.is_empty() {
            return Err(Error::protocol(
                "answer lacks the field payCode: the QR order cannot be shown",
            ));
        }
        if a.pay_channel.is_empty() {
            a.pay_channel = pay_channel.to_owned();
        }
        a.trade_no = trade_no.to_owned();
        Ok(a)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::QrPayRequest;

    #[test]
    fn channels_by_the_wallets_prefixes() {
        assert_eq!(channel_of_code("130219205322723729"), Some("WXPAY"));
        assert_eq!(channel_of_code("100000000000000000"), Some("WXPAY"));
        assert_eq!(channel_of_code("160000000000000000"), None);
        assert_eq!(channel_of_code("1302192053227237"), None);
        assert_eq!(channel_of_code("2800000000000000"), Some("ALIPAY"));
        assert_eq!(channel_of_code("250000000000000000000000"), Some("ALIPAY"));
        assert_eq!(channel_of_code("2500000000000000000000000"), None);
        assert_eq!(channel_of_code("310000000000000000"), None);
        assert_eq!(channel_of_code("6200000000000000000"), Some("YLPAY"));
        assert_eq!(channel_of_code("620000000000000000"), None);
        assert_eq!(channel_of_code("62000000000000000a0"), None);
        assert_eq!(channel_of_code(""), None);
    }

    #[test]
    fn an_explicit_channel_wins_and_unknown_codes_need_one() {
        let mut r = BarcodePayRequest {
            auth_code: "130219205322723729",
            amount: 1,
            total_amount: 1,
            ..Default::default()
        };
        assert_eq!(r.channel().unwrap(), "WXPAY");
        r.pay_channel = Some("ALIPAY");
        assert_eq!(r.channel().unwrap(), "ALIPAY");
        r.pay_channel = Some("PAYPAL");
        assert!(r
            .channel()
            .unwrap_err()
            .detail()
            .starts_with("pay_channel: must be"));
        r.pay_channel = None;
        r.auth_code = "999999999";
        let e = r.wire_fields().unwrap_err();
        assert!(e.detail().starts_with("pay_channel: not given"), "{e}");
        assert!(!e.detail().contains("999999999"), "{e}");
    }

    #[test]
    fn the_documented_example_request_has_exactly_its_fields() {
        // Spec section 2's worked example is an sdkBarcodePay request.
        let r = BarcodePayRequest {
            version: Some("V1.0.0"),
            trade_no: Some("20170804103115431251"),
            auth_code: "130219205322723729",
            amount: 1,
            total_amount: 1,
            ..Default::default()
        };
        let mut names: Vec<&str> = r.wire_fields().unwrap().iter().map(|(n, _)| *n).collect();
        names.sort_unstable();
        assert_eq!(
            names,
            [
                "amount",
                "authCode",
                "characterSet",
                "opSys",
                "payChannel",
                "total_amount",
                "tradeNo",
                "version"
            ]
        );
    }

    #[test]
    fn a_qr_request_has_exactly_the_documented_fields() {
        // Spec section 8: common parameters + amount, total_amount, payChannel and the
        // optional texts; empty optional fields send nothing, and there is no authCode.
        let r = QrPayRequest {
            trade_no: Some("T1"),
            pay_channel: "ALIPAY",
            amount: 5,
            total_amount: 5,
            subject: Some(""),
            ..Default::default()
        };
        let mut names: Vec<&str> = r.wire_fields().unwrap().iter().map(|(n, _)| *n).collect();
        names.sort_unstable();
        assert_eq!(
            names,
            [
                "amount",
                "characterSet",
                "opSys",
                "payChannel",
                "total_amount",
                "tradeNo",
                "version"
            ]
        );
        let full = QrPayRequest {
            subject: Some("s"),
            sel_order_no: Some("o"),
            goods_tag: Some("g"),
            attach: Some("a"),
            add_field: Some("f"),
            ..r
        };
        let names: Vec<&str> = full
            .wire_fields()
            .unwrap()
            .iter()
            .map(|(n, _)| *n)
            .collect();
        for name in ["subject", "selOrderNo", "goods_tag", "attach", "addField"] {
            assert!(names.contains(&name), "{name} in {names:?}");
        }
        assert_eq!(names.len(), 12);
    }

    #[test]
    fn text_fields_count_gbk_bytes() {
        let long = "好".repeat(256);
        let r = QrPayRequest {
            pay_channel: "WXPAY",
            amount: 1,
            total_amount: 1,
            subject: Some(&long),
            goods_tag: Some(&long),
            attach: Some(&long),
            ..Default::default()
        };
        assert!(r.wire_fields().is_ok());
        let longer = format!("{long}a");
        let r = QrPayRequest {
            attach: Some(&longer),
            ..r
        };
        assert!(r
            .wire_fields()
            .unwrap_err()
            .detail()
            .starts_with("attach: must be at most 512 bytes"));
    }
}
