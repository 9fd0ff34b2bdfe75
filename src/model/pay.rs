//! `pubSigPay`: pay with a WeChat OAuth code (or an openid). The request (`PayRequest`) and
//! the answer are generated from `tables/pay.rs`; the rule a table cannot say is here.

use super::{Outgoing, PayRequest, PayResponse, TxnResult};
use crate::error::Error;
use crate::wire::Answer;

impl<'a> PayRequest<'a> {
    /// Exactly one of `code` and `openid` (each checked by the table as a token ≤ 64).
    pub(super) fn rules(&self, _out: &mut Outgoing<'a>) -> Result<(), Error> {
        let given = |v: Option<&str>| v.is_some_and(|v| !v.is_empty());
        match (given(self.code), given(self.openid)) {
            (true, false) | (false, true) => Ok(()),
            (false, false) => Err(Error::invalid("code", "one of code or openid is required")),
            (true, true) => Err(Error::invalid("openid", "give code or openid, not both")),
        }
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
