//! `sdkRefundBarcodePay`: give money back. Not safe to repeat blindly: query after a doubt.

use super::query::common_fields;
use super::{Reader, TxnResult};
use crate::error::Error;
use crate::fields;
use crate::limits::*;
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
        fields::token("order_no", self.order_no, 64)?;
        if self.txn_amt != 0 {
            fields::amount("txn_amt", self.txn_amt)?;
        }
        let mut out = common_fields(self.trade_no, self.version)?;
        out.push(("orderNo", self.order_no.to_owned()));
        if self.txn_amt != 0 {
            out.push(("txnAmt", self.txn_amt.to_string()));
        }
        Ok(out)
    }
}

/// What the refund answered (verified).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RefundResponse {
    /// `returnCode` (`000000`).
    pub return_code: String,
    /// `message`, decoded.
    pub message: String,
    /// `sysTime`.
    pub sys_time: String,
    /// `mercId`.
    pub merc_id: String,
    /// The `tradeNo` this refund was sent with: query it to learn the outcome after a doubt.
    pub trade_no: String,
    /// `logNo` of the refund.
    pub log_no: String,
    /// `result`: `S` refunded, `F` failed, `Z` unknown (query again).
    pub result: Option<TxnResult>,
    /// `txnAmt`: fen refunded.
    pub txn_amt: u64,
    /// `amount` in fen.
    pub amount: u64,
    /// `total_amount` in fen.
    pub total_amount: u64,
    /// `subject`.
    pub subject: String,
    /// `selOrderNo`.
    pub sel_order_no: String,
    /// `goodsTag`.
    pub goods_tag: String,
    /// `attach`.
    pub attach: String,
    /// `addField` (common answer parameter, ≤ 256 GBK bytes).
    pub add_field: String,
}

impl RefundResponse {
    /// The answer's fields under their wire names, for printing.
    pub fn to_wire(&self) -> Vec<(&'static str, String)> {
        vec![
            ("returnCode", self.return_code.clone()),
            ("message", self.message.clone()),
            ("sysTime", self.sys_time.clone()),
            ("mercId", self.merc_id.clone()),
            ("tradeNo", self.trade_no.clone()),
            ("logNo", self.log_no.clone()),
            ("result", super::result_text(self.result)),
            ("txnAmt", self.txn_amt.to_string()),
            ("amount", self.amount.to_string()),
            ("total_amount", self.total_amount.to_string()),
            ("subject", self.subject.clone()),
            ("selOrderNo", self.sel_order_no.clone()),
            ("goodsTag", self.goods_tag.clone()),
            ("attach", self.attach.clone()),
            ("addField", self.add_field.clone()),
        ]
    }

    /// Reads the answer to a refund sent with `trade_no`.
    pub fn from_answer(answer: &Answer, trade_no: &str) -> Result<RefundResponse, Error> {
        let r = Reader::new(answer);
        // Filled in place, in wire order, from tables: one value to drop on every error path
        // and one loop per group instead of a call per field (armv7 code size).
        let mut a = RefundResponse {
            return_code: r.required("returnCode", STARPOS_RETURN_CODE_SIZE)?,
            trade_no: trade_no.to_owned(),
            ..RefundResponse::default()
        };
        r.texts(&mut [
            (&mut a.message, "message", STARPOS_MESSAGE_SIZE),
            (&mut a.sys_time, "sysTime", STARPOS_SYS_TIME_SIZE),
            (&mut a.merc_id, "mercId", STARPOS_MERC_ID_SIZE),
        ])?;
        a.log_no = r.text_any(&["logNo", "LogNo"], STARPOS_LOG_NO_SIZE)?;
        a.result = Some(r.required_result(super::letters::REFUND)?);
        a.txn_amt = r.fen("txnAmt")?;
        a.amount = r.fen("amount")?;
        a.total_amount = r.fen("total_amount")?;
        r.texts(&mut [
            (&mut a.subject, "subject", STARPOS_SUBJECT_SIZE),
            (&mut a.sel_order_no, "selOrderNo", STARPOS_SEL_ORDER_NO_SIZE),
            (&mut a.goods_tag, "goodsTag", STARPOS_GOODS_TAG_SIZE),
            (&mut a.attach, "attach", STARPOS_ATTACH_SIZE),
            (&mut a.add_field, "addField", STARPOS_ADD_FIELD_SIZE),
        ])?;
        Ok(a)
    }
}
