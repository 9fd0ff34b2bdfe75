//! `sdkRefundBarcodePay`: give money back. Not safe to repeat blindly: query after a doubt.

use super::query::common_fields;
use super::{Money, Outgoing, RefundResponse};
use crate::error::Error;
use crate::fields;
use crate::wire::Answer;

/// What a refund asks.
#[derive(Debug, Clone, Default)]
pub struct RefundRequest<'a> {
    /// `yyyyMMddHHmmss`; `None` = the terminal's local time now.
    pub txn_time: Option<&'a str>,
    /// Protocol version; `None` = `V1.0.0`.
    pub version: Option<&'a str>,
    /// This request's own number (≤ 64); `None` = a new unique one, returned in the answer.
    pub trade_no: Option<&'a str>,
    /// The channel order number of the paid order (from a query that answered `S`).
    pub order_no: &'a str,
    /// Fen to give back; 0 = all that remains (the field is then not sent).
    pub txn_amt: u64,
}

impl RefundRequest<'_> {
    /// The endpoint name.
    pub const ENDPOINT: &'static str = "sdkRefundBarcodePay";

    /// Validates the request and lists its own wire fields, `tradeNo` included.
    pub fn wire_fields(&self) -> Result<Vec<(&'static str, String)>, Error> {
        self.outgoing().map(Outgoing::into_fields)
    }

    /// The validated request: its wire fields and, typed beside them, its money facts.
    pub(crate) fn outgoing(&self) -> Result<Outgoing, Error> {
        fields::token("order_no", self.order_no, 64)?;
        if self.txn_amt != 0 {
            fields::amount("txn_amt", self.txn_amt)?;
        }
        let mut out = common_fields(self.trade_no, self.version)?;
        out.push(("orderNo", self.order_no.to_owned()));
        if self.txn_amt != 0 {
            out.push(("txnAmt", self.txn_amt.to_string()));
        }
        let money = Money {
            txn_amt: (self.txn_amt != 0).then_some(self.txn_amt),
            of_order: self.order_no.to_owned(),
            ..Money::default()
        };
        Ok(Outgoing::new(out, money))
    }
}

impl RefundResponse {
    /// Reads the answer (its table: `tables/refund.rs`) to a refund sent with `trade_no`.
    pub fn from_answer(answer: &Answer, trade_no: &str) -> Result<RefundResponse, Error> {
        let mut a = RefundResponse::read(answer, super::letters::REFUND)?;
        a.trade_no = trade_no.to_owned();
        Ok(a)
    }
}
