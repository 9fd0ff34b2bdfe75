//! `RevokeBarcodepay`: undo a counter sale, the same day (spec section 8). Moves money (a paid
//! sale's goes back), so it is journaled and judged like a refund; its `Z` is followed by
//! querying the sale, which answers `D` once revoked. Acquirers may not support it: the
//! gateway then refuses it (GATEWAY, nothing moved).

use super::query::about_order;
use super::{Outgoing, RevokeResponse};
use crate::error::Error;
use crate::wire::Answer;

/// What a revoke asks.
#[derive(Debug, Clone, Default)]
pub struct RevokeRequest<'a> {
    /// `yyyyMMddHHmmss`; `None` = the terminal's local time now.
    pub txn_time: Option<&'a str>,
    /// Protocol version; `None` = `V1.0.0`.
    pub version: Option<&'a str>,
    /// This revoke's own number (≤ 64); `None` = a new unique one, returned in the answer.
    pub trade_no: Option<&'a str>,
    /// The sale to revoke: its `tradeNo` (≤ 64), sent as `qryNo`.
    pub qry_no: &'a str,
}

impl RevokeRequest<'_> {
    /// The endpoint name.
    pub const ENDPOINT: &'static str = "RevokeBarcodepay";

    /// Validates the request and lists its own wire fields, `tradeNo` included.
    pub fn wire_fields(&self) -> Result<Vec<(&'static str, String)>, Error> {
        self.outgoing().map(Outgoing::into_fields)
    }

    /// The validated request: its wire fields and, typed beside them, its money facts.
    pub(crate) fn outgoing(&self) -> Result<Outgoing, Error> {
        about_order(self.trade_no, self.version, self.qry_no)
    }
}

impl RevokeResponse {
    /// Reads the answer (its table: `tables/revoke.rs`) to a revoke sent with `trade_no`.
    pub fn from_answer(answer: &Answer, trade_no: &str) -> Result<RevokeResponse, Error> {
        let mut a = RevokeResponse::read(answer, super::letters::REVOKE)?;
        a.trade_no = trade_no.to_owned();
        Ok(a)
    }
}
