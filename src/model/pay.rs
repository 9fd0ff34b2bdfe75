//! `pubSigPay`: pay with a WeChat OAuth code (or an openid).

use super::{optional, version_for, Money, Outgoing, PayResponse, TxnResult};
use crate::error::Error;
use crate::fields;
use crate::wire::Answer;

/// What `pubSigPay` asks.
#[derive(Debug, Clone, Default)]
pub struct PayRequest<'a> {
    /// `yyyyMMddHHmmss`; `None` = the terminal's local time now.
    pub txn_time: Option<&'a str>,
    /// Protocol version; `None` = `V1.0.0`, or `V1.0.1` with `attach` or `openid`.
    pub version: Option<&'a str>,
    /// The OAuth code from the WeChat redirect (≤ 64 characters). Exactly one of `code` and
    /// `openid` is given.
    pub code: Option<&'a str>,
    /// The payer's openid, instead of `code`.
    pub openid: Option<&'a str>,
    /// Fen actually paid: 0 < amount ≤ total_amount.
    pub amount: u64,
    /// Order total in fen, < 10^13.
    pub total_amount: u64,
    /// Order title (≤ 256 GBK bytes: ASCII 1, other characters 2).
    pub subject: Option<&'a str>,
    /// The merchant's order number (≤ 50).
    pub sel_order_no: Option<&'a str>,
    /// Discount note (≤ 250 GBK bytes), sent as `goods_tag`.
    pub goods_tag: Option<&'a str>,
    /// Free text echoed back (≤ 256 GBK bytes).
    pub attach: Option<&'a str>,
}

impl PayRequest<'_> {
    /// The endpoint name.
    pub const ENDPOINT: &'static str = "pubSigPay";

    /// Validates the request and lists its own wire fields.
    pub fn wire_fields(&self) -> Result<Vec<(&'static str, String)>, Error> {
        self.outgoing().map(Outgoing::into_fields)
    }

    /// The validated request: its wire fields and, typed beside them, its money facts.
    pub(crate) fn outgoing(&self) -> Result<Outgoing, Error> {
        let code = optional(self.code, |v| fields::token("code", v, 64))?;
        let openid = optional(self.openid, |v| fields::token("openid", v, 64))?;
        let (name, payer) = match (code, openid) {
            (Some(c), None) => ("code", c),
            (None, Some(o)) => ("openid", o),
            (None, None) => {
                return Err(Error::invalid("code", "one of code or openid is required"))
            }
            (Some(_), Some(_)) => {
                return Err(Error::invalid("openid", "give code or openid, not both"))
            }
        };
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
        let subject = optional(self.subject, |v| fields::text("subject", v, 256))?;
        let sel_order_no = optional(self.sel_order_no, |v| fields::token("sel_order_no", v, 50))?;
        let goods_tag = optional(self.goods_tag, |v| fields::text("goods_tag", v, 250))?;
        let attach = optional(self.attach, |v| fields::text("attach", v, 256))?;
        let version = version_for(self.version, attach.is_some() || openid.is_some())?;
        let mut out = vec![
            ("version", version),
            (name, payer.to_owned()),
            ("amount", self.amount.to_string()),
            ("total_amount", self.total_amount.to_string()),
        ];
        for (wire, value) in [
            ("subject", subject),
            ("selOrderNo", sel_order_no),
            ("goods_tag", goods_tag),
            ("attach", attach),
        ] {
            if let Some(v) = value {
                out.push((wire, v.to_owned()));
            }
        }
        let money = Money {
            amount: Some(self.amount),
            total_amount: Some(self.total_amount),
            sel_order_no: sel_order_no.unwrap_or_default().to_owned(),
            ..Money::default()
        };
        Ok(Outgoing { fields: out, money })
    }
}

impl PayResponse {
    /// Reads the answer (its table: `tables/pay.rs`): `result` is required, and `logNo` unless
    /// the result is `F`.
    pub fn from_answer(answer: &Answer) -> Result<PayResponse, Error> {
        let a = PayResponse::read(answer, super::letters::PAY)?;
        if a.log_no.is_empty() && a.result != Some(TxnResult::Failed) {
            // Without logNo the order cannot be followed.
            return Err(Error::protocol("answer lacks the field logNo"));
        }
        Ok(a)
    }
}
