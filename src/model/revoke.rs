//! `RevokeBarcodepay`: undo a counter sale, the same day (spec section 8). Moves money (a paid
//! sale's goes back), so it is journaled and judged like a refund; its `Z` is followed by
//! querying the sale, which answers `D` once revoked. Acquirers may not support it: the
//! gateway then refuses it (GATEWAY, nothing moved). The request (`RevokeRequest`, the sale's
//! `tradeNo` sent as `qryNo`) and the answer are generated from `tables/revoke.rs`.

use super::RevokeResponse;
use crate::error::Error;
use crate::wire::Answer;

impl RevokeResponse {
    /// Reads the answer (its table: `tables/revoke.rs`) to a revoke sent with `trade_no`.
    pub fn from_answer(answer: &Answer, trade_no: &str) -> Result<RevokeResponse, Error> {
        let mut a = RevokeResponse::read(answer, super::letters::REVOKE)?;
        a.trade_no = trade_no.to_owned();
        Ok(a)
    }
}
