//! `pubSigQry`: the merchant's WeChat official account.

use super::{optional, version_for, Reader};
use crate::error::Error;
use crate::fields;
use crate::limits::*;
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
        let attach = optional(self.attach, |v| fields::text("attach", v, 256))?;
        let version = version_for(self.version, attach.is_some())?;
        let mut out = vec![("version", version)];
        if let Some(a) = attach {
            out.push(("attach", a.to_owned()));
        }
        Ok(out)
    }
}

/// The merchant's official account, as `pubSigQry` answered it (verified).
#[derive(Clone, Default, PartialEq, Eq)]
pub struct QryResponse {
    /// `returnCode` (`000000`).
    pub return_code: String,
    /// `message`, decoded.
    pub message: String,
    /// `sysTime`, the gateway's time.
    pub sys_time: String,
    /// `mercId`.
    pub merc_id: String,
    /// `appId`: the official account's id, needed for the OAuth link.
    pub app_id: String,
    /// `appIdKey`: the official account's secret. Never log it.
    pub app_id_key: String,
    /// `attach`, echoed.
    pub attach: String,
}

impl QryResponse {
    /// The answer's fields under their wire names (`appId`, `appIdKey`, ...), for printing.
    pub fn to_wire(&self) -> Vec<(&'static str, String)> {
        vec![
            ("returnCode", self.return_code.clone()),
            ("message", self.message.clone()),
            ("sysTime", self.sys_time.clone()),
            ("mercId", self.merc_id.clone()),
            ("appId", self.app_id.clone()),
            ("appIdKey", self.app_id_key.clone()),
            ("attach", self.attach.clone()),
        ]
    }

    /// Reads the answer; `appId` must be there.
    pub fn from_answer(answer: &Answer) -> Result<QryResponse, Error> {
        let r = Reader::new(answer);
        // Filled in place, in wire order, from tables (armv7 code size, as the other readers).
        let mut a = QryResponse {
            return_code: r.required("returnCode", STARPOS_RETURN_CODE_SIZE)?,
            ..QryResponse::default()
        };
        r.texts(&mut [
            (&mut a.message, "message", STARPOS_MESSAGE_SIZE),
            (&mut a.sys_time, "sysTime", STARPOS_SYS_TIME_SIZE),
            (&mut a.merc_id, "mercId", STARPOS_MERC_ID_SIZE),
        ])?;
        a.app_id = r.required("appId", STARPOS_APP_ID_SIZE)?;
        r.texts(&mut [
            (&mut a.app_id_key, "appIdKey", STARPOS_APP_ID_KEY_SIZE),
            (&mut a.attach, "attach", STARPOS_ATTACH_SIZE),
        ])?;
        Ok(a)
    }
}

impl std::fmt::Debug for QryResponse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("QryResponse")
            .field("return_code", &self.return_code)
            .field("message", &self.message)
            .field("sys_time", &self.sys_time)
            .field("merc_id", &self.merc_id)
            .field("app_id", &self.app_id)
            .field("app_id_key", &"***")
            .field("attach", &self.attach)
            .finish()
    }
}
