//! `pubSigQry`: the merchant's WeChat official account. The request (`QryRequest`, every
//! field optional) and the answer are generated from `tables/qry.rs`.

use super::QryResponse;
use crate::error::Error;
use crate::wire::Answer;

impl QryResponse {
    /// Reads the answer (its table: `tables/qry.rs`); `appId` must be there.
    pub fn from_answer(answer: &Answer) -> Result<QryResponse, Error> {
        QryResponse::read(answer, "")
    }
}
