//! `sdkQryBarcodePay`: the order query, safe to repeat.

use super::{optional, version_for, Money, Outgoing, QueryResponse};
use crate::error::Error;
use crate::fields;
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

/// A request about the order `qry_no` (a query, a revoke): the common fields and `qryNo`, its
/// money facts naming that order.
pub(crate) fn about_order(
    trade_no: Option<&str>,
    version: Option<&str>,
    qry_no: &str,
) -> Result<Outgoing, Error> {
    fields::token("qry_no", qry_no, 64)?;
    let mut out = common_fields(trade_no, version)?;
    out.push(("qryNo", qry_no.to_owned()));
    Ok(Outgoing::new(
        out,
        Money {
            of_order: qry_no.to_owned(),
            ..Money::default()
        },
    ))
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
        self.outgoing().map(Outgoing::into_fields)
    }

    /// The validated request: its wire fields and, typed beside them, its money facts.
    pub(crate) fn outgoing(&self) -> Result<Outgoing, Error> {
        about_order(self.trade_no, self.version, self.qry_no)
    }
}

impl QueryResponse {
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

    /// Reads the answer (its table: `tables/query.rs`) to a query sent with `trade_no`.
    pub fn from_answer(answer: &Answer, trade_no: &str) -> Result<QueryResponse, Error> {
        let mut a = QueryResponse::read(answer, super::letters::QUERY)?;
        a.trade_no = trade_no.to_owned();
        Ok(a)
    }
}
