//! `sdkQryBarcodePay`: the order query, safe to repeat. The request (`QueryRequest`) and the
//! answer are generated from `tables/query.rs`.

use super::QueryResponse;
use crate::error::Error;
use crate::wire::Answer;

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
