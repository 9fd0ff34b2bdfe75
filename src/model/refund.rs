//! `sdkRefundBarcodePay`: give money back. Not safe to repeat blindly: query after a doubt.
//! The request (`RefundRequest`) and the answer are generated from `tables/refund.rs`.

use super::RefundResponse;
use crate::error::Error;
use crate::wire::Answer;

impl RefundResponse {
    /// Reads the answer (its table: `tables/refund.rs`) to a refund sent with `trade_no`.
    pub fn from_answer(answer: &Answer, trade_no: &str) -> Result<RefundResponse, Error> {
        let mut a = RefundResponse::read(answer, super::letters::REFUND)?;
        a.trade_no = trade_no.to_owned();
        Ok(a)
    }
}
