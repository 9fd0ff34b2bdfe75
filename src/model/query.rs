//! `sdkQryBarcodePay`: the order query, safe to repeat.

use super::{optional, version_for, Reader, TxnResult};
use crate::error::Error;
use crate::fields;
use crate::limits::*;
use crate::wire::Answer;

/// The common parameters of the `sdk*` endpoints that the library fills in: direct connection
/// (`opSys` 3), character set `00` (the client makes it `01` for a UTF-8 body with non-ASCII
/// text, spec section 1), and the caller's `tradeNo` (empty: the client makes a new one).
pub(crate) fn common_fields(
    trade_no: Option<&str>,
    version: Option<&str>,
) -> Result<Vec<(&'static str, String)>, Error> {
    // Left empty when the caller gave none: the client fills in a new one, made with the
    // terminal number ([`crate::clock::new_trade_no`]).
    let trade_no = optional(trade_no, |v| fields::token("trade_no", v, 64))?
        .unwrap_or_default()
        .to_owned();
    Ok(vec![
        ("opSys", "3".to_owned()),
        ("characterSet", "00".to_owned()),
        ("tradeNo", trade_no),
        ("version", version_for(version, false)?),
    ])
}

/// What the order query asks.
#[derive(Debug, Clone, Default)]
pub struct QueryRequest<'a> {
    /// `yyyyMMddHHmmss`; `None` = the terminal's local time now.
    pub txn_time: Option<&'a str>,
    /// Protocol version; `None` = `V1.0.0`.
    pub version: Option<&'a str>,
    /// This request's own number (≤ 64); `None` = a new unique one, returned in the answer.
    pub trade_no: Option<&'a str>,
    /// The order to look up: its `logNo`, `orderNo` or `tradeNo` (≤ 64).
    pub qry_no: &'a str,
}

impl QueryRequest<'_> {
    /// The endpoint name.
    pub const ENDPOINT: &'static str = "sdkQryBarcodePay";

    /// Validates the request and lists its own wire fields, `tradeNo` included.
    pub fn wire_fields(&self) -> Result<Vec<(&'static str, String)>, Error> {
        fields::token("qry_no", self.qry_no, 64)?;
        let mut out = common_fields(self.trade_no, self.version)?;
        out.push(("qryNo", self.qry_no.to_owned()));
        Ok(out)
    }
}

/// What the order query answered (verified).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QueryResponse {
    /// `returnCode` (`000000`).
    pub return_code: String,
    /// `message`, decoded.
    pub message: String,
    /// `sysTime`.
    pub sys_time: String,
    /// `mercId`.
    pub merc_id: String,
    /// The `tradeNo` this query was sent with: after [`Client::wait`](crate::Client::wait)
    /// that of its last query, not the order's (the order is the `qry_no` given); after
    /// [`Client::barcode_sale`](crate::Client::barcode_sale) the sale's own `tradeNo`.
    pub trade_no: String,
    /// `logNo` of the order.
    pub log_no: String,
    /// `result`: `S`, `F` and `D` are final; `A` and `Z` mean query again.
    pub result: Option<TxnResult>,
    /// `payChannel`: `WXPAY`, `ALIPAY`, `YLPAY`.
    pub pay_channel: String,
    /// `orderNo`: the channel order number (the one a refund needs once `S`).
    pub order_no: String,
    /// `amount` in fen.
    pub amount: u64,
    /// `total_amount` in fen.
    pub total_amount: u64,
    /// `refAmt`: fen already refunded on the order (answered to version `V1.0.1`; else 0).
    pub ref_amt: u64,
    /// `subject`.
    pub subject: String,
    /// `selOrderNo`.
    pub sel_order_no: String,
    /// `goodsTag`.
    pub goods_tag: String,
    /// `attach`.
    pub attach: String,
    /// `addField` (common answer parameter, ≤ 256 GBK bytes); after
    /// [`Client::barcode_sale`](crate::Client::barcode_sale) ended by the pay itself, the pay's.
    pub add_field: String,
}

impl QueryResponse {
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
            ("payChannel", self.pay_channel.clone()),
            ("orderNo", self.order_no.clone()),
            ("amount", self.amount.to_string()),
            ("total_amount", self.total_amount.to_string()),
            ("refAmt", self.ref_amt.to_string()),
            ("subject", self.subject.clone()),
            ("selOrderNo", self.sel_order_no.clone()),
            ("goodsTag", self.goods_tag.clone()),
            ("attach", self.attach.clone()),
            ("addField", self.add_field.clone()),
        ]
    }

    /// A counter sale's own answer, read as the order's state: a barcode pay that answered
    /// `S` or `F` needs no query to be final. `trade_no` is the sale's.
    pub fn from_sale(sale: super::CounterPayResponse) -> QueryResponse {
        QueryResponse {
            return_code: sale.return_code,
            message: sale.message,
            sys_time: sale.sys_time,
            merc_id: sale.merc_id,
            trade_no: sale.trade_no,
            log_no: sale.log_no,
            result: sale.result,
            pay_channel: sale.pay_channel,
            order_no: sale.order_no,
            amount: sale.amount,
            total_amount: sale.total_amount,
            ref_amt: 0,
            subject: sale.subject,
            sel_order_no: sale.sel_order_no,
            goods_tag: sale.goods_tag,
            attach: sale.attach,
            add_field: sale.add_field,
        }
    }

    /// Reads the answer to a query sent with `trade_no`.
    pub fn from_answer(answer: &Answer, trade_no: &str) -> Result<QueryResponse, Error> {
        let r = Reader::new(answer);
        // Filled in place, in wire order, from tables: one value to drop on every error path
        // and one loop per group instead of a call per field (armv7 code size).
        let mut a = QueryResponse {
            return_code: r.required("returnCode", STARPOS_RETURN_CODE_SIZE)?,
            trade_no: trade_no.to_owned(),
            ..QueryResponse::default()
        };
        r.texts(&mut [
            (&mut a.message, "message", STARPOS_MESSAGE_SIZE),
            (&mut a.sys_time, "sysTime", STARPOS_SYS_TIME_SIZE),
            (&mut a.merc_id, "mercId", STARPOS_MERC_ID_SIZE),
        ])?;
        a.log_no = r.text_any(&["logNo", "LogNo"], STARPOS_LOG_NO_SIZE)?;
        a.result = Some(r.required_result(super::letters::QUERY)?);
        r.texts(&mut [
            (&mut a.pay_channel, "payChannel", STARPOS_PAY_CHANNEL_SIZE),
            (&mut a.order_no, "orderNo", STARPOS_ORDER_NO_SIZE),
        ])?;
        a.amount = r.fen("amount")?;
        a.total_amount = r.fen("total_amount")?;
        a.ref_amt = r.fen("refAmt")?;
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
