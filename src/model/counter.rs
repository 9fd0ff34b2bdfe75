//! The counter sales (spec section 8): `sdkBarcodePay`, the terminal scans the payment code on
//! the payer's phone, and `sdkBarcodePosPay`, the terminal shows a QR code the payer scans.
//! Both carry a `tradeNo` the terminal chooses, which is also the key to query the sale by
//! when its answer was lost.

use super::query::common_fields;
use super::{optional, CounterPayResponse, Money, Outgoing, TxnResult};
use crate::error::Error;
use crate::fields;
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

fn channel(field: &str, value: &str) -> Result<(), Error> {
    if PAY_CHANNELS.contains(&value) {
        Ok(())
    } else {
        Err(Error::invalid(
            field,
            format!("must be WXPAY, ALIPAY or YLPAY, got {value:?}"),
        ))
    }
}

/// What a counter sale pays for: the fields `sdkBarcodePay` and `sdkBarcodePosPay` share.
struct Order<'a> {
    amount: u64,
    total_amount: u64,
    subject: Option<&'a str>,
    sel_order_no: Option<&'a str>,
    goods_tag: Option<&'a str>,
    attach: Option<&'a str>,
    add_field: Option<&'a str>,
}

impl Order<'_> {
    /// Validates the order and appends its wire fields to `out`: the request's money facts,
    /// sent on `pay_channel`.
    fn push_fields(
        &self,
        mut out: Vec<(&'static str, String)>,
        pay_channel: &str,
    ) -> Result<Outgoing, Error> {
        fields::amount("amount", self.amount)?;
        fields::amount("total_amount", self.total_amount)?;
        if self.amount > self.total_amount {
            return Err(Error::invalid(
                "amount",
                format!(
                    "must not exceed total_amount ({} fen), got {} fen",
                    self.total_amount, self.amount
                ),
            ));
        }
        let subject = optional(self.subject, |v| fields::text("subject", v, 512))?;
        let sel_order_no = optional(self.sel_order_no, |v| fields::token("sel_order_no", v, 50))?;
        let goods_tag = optional(self.goods_tag, |v| fields::text("goods_tag", v, 512))?;
        let attach = optional(self.attach, |v| fields::text("attach", v, 512))?;
        let add_field = optional(self.add_field, |v| fields::text("add_field", v, 256))?;
        out.push(("amount", self.amount.to_string()));
        out.push(("total_amount", self.total_amount.to_string()));
        for (wire, value) in [
            ("subject", subject),
            ("selOrderNo", sel_order_no),
            ("goods_tag", goods_tag),
            ("attach", attach),
            ("addField", add_field),
        ] {
            if let Some(v) = value {
                out.push((wire, v.to_owned()));
            }
        }
        let money = Money {
            amount: Some(self.amount),
            total_amount: Some(self.total_amount),
            sel_order_no: sel_order_no.unwrap_or_default().to_owned(),
            pay_channel: pay_channel.to_owned(),
            ..Money::default()
        };
        Ok(Outgoing::new(out, money))
    }
}

/// What `sdkBarcodePay` asks: charge the payment code scanned from the payer's phone.
#[derive(Debug, Clone, Default)]
pub struct BarcodePayRequest<'a> {
    /// `yyyyMMddHHmmss`; `None` = the terminal's local time now.
    pub txn_time: Option<&'a str>,
    /// Protocol version; `None` = `V1.0.0`.
    pub version: Option<&'a str>,
    /// This sale's number (≤ 64, unique per merchant); `None` = a new unique one. Always in
    /// the answer and in every error after validation: the handle on a lost answer.
    pub trade_no: Option<&'a str>,
    /// The scanned payment code (≤ 256). Never logged or journaled.
    pub auth_code: &'a str,
    /// `WXPAY`, `ALIPAY` or `YLPAY`; `None` = from the code's prefix ([`channel_of_code`]).
    pub pay_channel: Option<&'a str>,
    /// Fen actually paid: 0 < amount ≤ total_amount.
    pub amount: u64,
    /// Order total in fen, < 10^13.
    pub total_amount: u64,
    /// Order title (≤ 512 GBK bytes).
    pub subject: Option<&'a str>,
    /// The merchant's order number (≤ 50).
    pub sel_order_no: Option<&'a str>,
    /// Discount note (≤ 512 GBK bytes), sent as `goods_tag`.
    pub goods_tag: Option<&'a str>,
    /// Free text echoed back (≤ 512 GBK bytes).
    pub attach: Option<&'a str>,
    /// `addField` (≤ 256 GBK bytes), sent as given; does not change the version.
    pub add_field: Option<&'a str>,
}

impl BarcodePayRequest<'_> {
    /// The endpoint name.
    pub const ENDPOINT: &'static str = "sdkBarcodePay";

    /// The channel this sale goes to: the caller's, else the one the code's shape names.
    pub fn channel(&self) -> Result<&str, Error> {
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

    /// Validates the request and lists its own wire fields, `tradeNo` included.
    pub fn wire_fields(&self) -> Result<Vec<(&'static str, String)>, Error> {
        self.outgoing().map(Outgoing::into_fields)
    }

    /// The validated request: its wire fields and, typed beside them, its money facts.
    pub(crate) fn outgoing(&self) -> Result<Outgoing, Error> {
        if self.auth_code.is_empty() {
            return Err(Error::invalid("auth_code", "is required"));
        }
        // The code's value never goes into an error text, only its shape.
        if self.auth_code.len() > 256 || !self.auth_code.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(Error::invalid(
                "auth_code",
                format!(
                    "must be 1 to 256 printable ASCII characters without spaces (got {} bytes)",
                    self.auth_code.len()
                ),
            ));
        }
        fields::not_null("auth_code", self.auth_code)?;
        let channel = self.channel()?;
        let mut out = common_fields(self.trade_no, self.version)?;
        out.push(("authCode", self.auth_code.to_owned()));
        out.push(("payChannel", channel.to_owned()));
        self.order().push_fields(out, channel)
    }

    fn order(&self) -> Order<'_> {
        Order {
            amount: self.amount,
            total_amount: self.total_amount,
            subject: self.subject,
            sel_order_no: self.sel_order_no,
            goods_tag: self.goods_tag,
            attach: self.attach,
            add_field: self.add_field,
        }
    }
}

/// What `sdkBarcodePosPay` asks: make a QR order for the payer to scan.
#[derive(Debug, Clone, Default)]
pub struct QrPayRequest<'a> {
    /// `yyyyMMddHHmmss`; `None` = the terminal's local time now.
    pub txn_time: Option<&'a str>,
    /// Protocol version; `None` = `V1.0.0`.
    pub version: Option<&'a str>,
    /// This sale's number (≤ 64, unique per merchant); `None` = a new unique one.
    pub trade_no: Option<&'a str>,
    /// `WXPAY`, `ALIPAY` or `YLPAY` (required).
    pub pay_channel: &'a str,
    /// Fen actually paid: 0 < amount ≤ total_amount.
    pub amount: u64,
    /// Order total in fen, < 10^13.
    pub total_amount: u64,
    /// Order title (≤ 512 GBK bytes).
    pub subject: Option<&'a str>,
    /// The merchant's order number (≤ 50).
    pub sel_order_no: Option<&'a str>,
    /// Discount note (≤ 512 GBK bytes), sent as `goods_tag`.
    pub goods_tag: Option<&'a str>,
    /// Free text echoed back (≤ 512 GBK bytes).
    pub attach: Option<&'a str>,
    /// `addField` (≤ 256 GBK bytes), sent as given.
    pub add_field: Option<&'a str>,
}

impl QrPayRequest<'_> {
    /// The endpoint name.
    pub const ENDPOINT: &'static str = "sdkBarcodePosPay";

    /// Validates the request and lists its own wire fields, `tradeNo` included.
    pub fn wire_fields(&self) -> Result<Vec<(&'static str, String)>, Error> {
        self.outgoing().map(Outgoing::into_fields)
    }

    /// The validated request: its wire fields and, typed beside them, its money facts.
    pub(crate) fn outgoing(&self) -> Result<Outgoing, Error> {
        if self.pay_channel.is_empty() {
            return Err(Error::invalid(
                "pay_channel",
                "is required (WXPAY, ALIPAY or YLPAY)",
            ));
        }
        channel("pay_channel", self.pay_channel)?;
        let mut out = common_fields(self.trade_no, self.version)?;
        out.push(("payChannel", self.pay_channel.to_owned()));
        Order {
            amount: self.amount,
            total_amount: self.total_amount,
            subject: self.subject,
            sel_order_no: self.sel_order_no,
            goods_tag: self.goods_tag,
            attach: self.attach,
            add_field: self.add_field,
        }
        .push_fields(out, self.pay_channel)
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
