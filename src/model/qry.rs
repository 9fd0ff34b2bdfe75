//! `pubSigQry`: the merchant's WeChat official account.

use super::{optional, version_for, Money, Outgoing, QryResponse};
use crate::error::Error;
use crate::fields;
use crate::wire::Answer;

/// What `pubSigQry` asks. Every field is optional.
#[derive(Debug, Clone, Default)]
pub struct QryRequest<'a> {
    /// `yyyyMMddHHmmss`; `None` = the terminal's local time now.
    pub txn_time: Option<&'a str>,
    /// Free text echoed back (≤ 256 GBK bytes); using it makes the version `V1.0.1`.
    pub attach: Option<&'a str>,
    /// Protocol version; `None` = `V1.0.0`, or `V1.0.1` with `attach`.
    pub version: Option<&'a str>,
}

impl QryRequest<'_> {
    /// The endpoint name.
    pub const ENDPOINT: &'static str = "pubSigQry";

    /// Validates the request and lists its own wire fields (the merchant's are added by the
    /// client).
    pub fn wire_fields(&self) -> Result<Vec<(&'static str, String)>, Error> {
        self.outgoing().map(Outgoing::into_fields)
    }

    /// The validated request: its wire fields and, typed beside them, its money facts.
    pub(crate) fn outgoing(&self) -> Result<Outgoing, Error> {
        let attach = optional(self.attach, |v| fields::text("attach", v, 256))?;
        let version = version_for(self.version, attach.is_some())?;
        let mut out = vec![("version", version)];
        if let Some(a) = attach {
            out.push(("attach", a.to_owned()));
        }
        Ok(Outgoing {
            fields: out,
            money: Money::default(),
        })
    }
}

impl QryResponse {
    /// Reads the answer (its table: `tables/qry.rs`); `appId` must be there.
    pub fn from_answer(answer: &Answer) -> Result<QryResponse, Error> {
        QryResponse::read(answer, "")
    }
}
