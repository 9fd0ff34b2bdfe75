//! `pubSigPay`: pay with a WeChat OAuth code (or an openid).

use super::{optional, version_for, Reader, TxnResult};
use crate::error::Error;
use crate::fields;
use crate::limits::*;
use crate::wire::Answer;

/// What `pubSigPay` asks.
#[derive(Debug, Clone, Default)]
pub struct PayRequest<'a> {
    /// `yyyyMMddHHmmss`; `None` = the terminal's local time now.
    pub txn_time: Option<&'a str>,
    /// Protocol version; `None` = `V1.0.0`, or `V1.0.1` with `attach` or `openid`.
    pub version: Option<&'a str>,
    /// The OAuth code from the WeChat redirect (≤ 64 characters). Exactly one of `code` and
    /// `openid` is given.
    pub code: Option<&'a str>,
    /// The payer's openid, instead of `code`.
    pub openid: Option<&'a str>,
    /// Fen actually paid: 0 < amount ≤ total_amount.
    pub amount: u64,
    /// Order total in fen, < 10^13.
    pub total_amount: u64,
    /// Order title (≤ 256 GBK bytes: ASCII 1, other characters 2).
    pub subject: Option<&'a str>,
    /// The merchant's order number (≤ 50).
    pub sel_order_no: Option<&'a str>,
    /// Discount note (≤ 250 GBK bytes), sent as `goods_tag`.
    pub goods_tag: Option<&'a str>,
    /// Free text echoed back (≤ 256 GBK bytes).
    pub attach: Option<&'a str>,
}

impl PayRequest<'_> {
    /// The endpoint name.
    pub const ENDPOINT: &'static str = "pubSigPay";

    /// Validates the request and lists its own wire fields.
    pub fn wire_fields(&self) -> Result<Vec<(&'static str, String)>, Error> {
        let code = optional(self.code, |v| fields::token("code", v, 64))?;
        let openid = optional(self.openid, |v| fields::token("openid", v, 64))?;
        let (name, payer) = match (code, openid) {
            (Some(c), None) => ("code", c),
            (None, Some(o)) => ("openid", o),
            (None, None) => {
                return Err(Error::invalid("code", "one of code or openid is required"))
            }
            (Some(_), Some(_)) => {
                return Err(Error::invalid("openid", "give code or openid, not both"))
            }
        };
        fields::amount("amount", self.amount)?;
        fields::amount("total_amount", self.total_amount)?;
        if self.amount > self.total_amount {
            return Err(Error::invalid(
                "amount",
                format!(
                    "must not exceed total_amount ({} fen), got {} fen",
                    self.total_amount, self.amount
                ),
            ));
        }
        let subject = optional(self.subject, |v| fields::text("subject", v, 256))?;
        let sel_order_no = optional(self.sel_order_no, |v| fields::token("sel_order_no", v, 50))?;
        let goods_tag = optional(self.goods_tag, |v| fields::text("goods_tag", v, 250))?;
        let attach = optional(self.attach, |v| fields::text("attach", v, 256))?;
        let version = version_for(self.version, attach.is_some() || openid.is_some())?;
        let mut out = vec![
            ("version", version),
            (name, payer.to_owned()),
            ("amount", self.amount.to_string()),
            ("total_amount", self.total_amount.to_string()),
        ];
        for (wire, value) in [
            ("subject", subject),
            ("selOrderNo", sel_order_no),
            ("goods_tag", goods_tag),
            ("attach", attach),
        ] {
            if let Some(v) = value {
                out.push((wire, v.to_owned()));
            }
        }
        Ok(out)
    }
}

/// What `pubSigPay` answered (verified). `result` is `A` or `Z` by design: follow up with an
/// order query until it is final.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PayResponse {
    /// `returnCode` (`000000`).
    pub return_code: String,
    /// `message`, decoded.
    pub message: String,
    /// `sysTime`.
    pub sys_time: String,
    /// `mercId`.
    pub merc_id: String,
    /// `logNo` (or `LogNo`): the gateway's serial, to query the order by.
    pub log_no: String,
    /// `result`; `None` when the gateway sent none (which it means as failed).
    pub result: Option<TxnResult>,
    /// `orderNo`: the channel order number.
    pub order_no: String,
    /// `amount` in fen.
    pub amount: u64,
    /// `total_amount` in fen.
    pub total_amount: u64,
    /// `PrepayId`.
    pub prepay_id: String,
    /// `apiAppid`: `appId` for `getBrandWCPayRequest`.
    pub api_appid: String,
    /// `apiTimestamp`: `timeStamp` for `getBrandWCPayRequest`.
    pub api_timestamp: String,
    /// `apiNoncestr`: `nonceStr` for `getBrandWCPayRequest`.
    pub api_noncestr: String,
    /// `apiPackage`: `package` (`prepay_id=...`) for `getBrandWCPayRequest`.
    pub api_package: String,
    /// `apiSigntype`: `signType` for `getBrandWCPayRequest`.
    pub api_signtype: String,
    /// `apiPaysign`: `paySign` for `getBrandWCPayRequest`.
    pub api_paysign: String,
    /// `subject`, echoed.
    pub subject: String,
    /// `selOrderNo`, echoed.
    pub sel_order_no: String,
    /// `goodsTag`, echoed.
    pub goods_tag: String,
    /// `attach`, echoed.
    pub attach: String,
}

impl PayResponse {
    /// The answer's fields under their wire names (`logNo`, `PrepayId`, ...), for printing.
    pub fn to_wire(&self) -> Vec<(&'static str, String)> {
        vec![
            ("returnCode", self.return_code.clone()),
            ("message", self.message.clone()),
            ("sysTime", self.sys_time.clone()),
            ("mercId", self.merc_id.clone()),
            ("logNo", self.log_no.clone()),
            ("result", super::result_text(self.result)),
            ("orderNo", self.order_no.clone()),
            ("amount", self.amount.to_string()),
            ("total_amount", self.total_amount.to_string()),
            ("PrepayId", self.prepay_id.clone()),
            ("apiAppid", self.api_appid.clone()),
            ("apiTimestamp", self.api_timestamp.clone()),
            ("apiNoncestr", self.api_noncestr.clone()),
            ("apiPackage", self.api_package.clone()),
            ("apiSigntype", self.api_signtype.clone()),
            ("apiPaysign", self.api_paysign.clone()),
            ("subject", self.subject.clone()),
            ("selOrderNo", self.sel_order_no.clone()),
            ("goodsTag", self.goods_tag.clone()),
            ("attach", self.attach.clone()),
        ]
    }

    /// Reads the answer: `result` is required, and `logNo` unless the result is `F`.
    pub fn from_answer(answer: &Answer) -> Result<PayResponse, Error> {
        let r = Reader::new(answer);
        let result = r.required_result(super::letters::PAY)?;
        let log_no = r.text_any(&["logNo", "LogNo"], STARPOS_LOG_NO_SIZE)?;
        if log_no.is_empty() && result != TxnResult::Failed {
            // Without logNo the order cannot be followed.
            return Err(Error::protocol("answer lacks the field logNo"));
        }
        // Filled in place, in wire order, from tables: one value to drop on every error path
        // and one loop per group instead of a call per field (armv7 code size).
        let mut a = PayResponse {
            result: Some(result),
            log_no,
            return_code: r.required("returnCode", STARPOS_RETURN_CODE_SIZE)?,
            ..PayResponse::default()
        };
        r.texts(&mut [
            (&mut a.message, "message", STARPOS_MESSAGE_SIZE),
            (&mut a.sys_time, "sysTime", STARPOS_SYS_TIME_SIZE),
            (&mut a.merc_id, "mercId", STARPOS_MERC_ID_SIZE),
            (&mut a.order_no, "orderNo", STARPOS_ORDER_NO_SIZE),
        ])?;
        a.amount = r.fen("amount")?;
        a.total_amount = r.fen("total_amount")?;
        r.texts(&mut [
            (&mut a.prepay_id, "PrepayId", STARPOS_PREPAY_ID_SIZE),
            (&mut a.api_appid, "apiAppid", STARPOS_API_SHORT_SIZE),
            (&mut a.api_timestamp, "apiTimestamp", STARPOS_API_SHORT_SIZE),
            (&mut a.api_noncestr, "apiNoncestr", STARPOS_API_SHORT_SIZE),
            (&mut a.api_package, "apiPackage", STARPOS_API_PACKAGE_SIZE),
            (&mut a.api_signtype, "apiSigntype", STARPOS_API_SHORT_SIZE),
            (&mut a.api_paysign, "apiPaysign", STARPOS_API_PAYSIGN_SIZE),
            (&mut a.subject, "subject", STARPOS_SUBJECT_SIZE),
            (&mut a.sel_order_no, "selOrderNo", STARPOS_SEL_ORDER_NO_SIZE),
            (&mut a.goods_tag, "goodsTag", STARPOS_GOODS_TAG_SIZE),
            (&mut a.attach, "attach", STARPOS_ATTACH_SIZE),
        ])?;
        Ok(a)
    }
}
