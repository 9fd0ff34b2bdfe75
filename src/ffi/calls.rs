//! The exported gateway calls.

use super::convert::*;
use super::types::*;
use crate::error::Error;
use crate::model::{
    PayRequest, PayResponse, QryRequest, QueryRequest, QueryResponse, RefundRequest,
};
use std::os::raw::c_char;
use std::time::Duration;

/// `pubSigQry`: look up the merchant's WeChat official account (`app_id`, `app_id_key`).
///
/// `request` may be NULL (all defaults). `response` is zeroed first; on OK it holds the
/// verified answer. Returns OK, INVALID_ARGUMENT, CONNECT, TIMEOUT, HTTP, PROTOCOL, SIGNATURE,
/// GATEWAY or INTERNAL. Safe to call from many threads at once.
///
/// # Safety
/// Each pointer is NULL or valid for the call; strings are NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn starpos_qry(
    config: *const starpos_config,
    request: *const starpos_qry_request,
    response: *mut starpos_qry_response,
) -> starpos_status {
    let s = Strings::of(config);
    respond(response, s, |out| {
        let client = client_from(config)?;
        let (txn_time, attach, version) = match request.as_ref() {
            None => (None, None, None),
            Some(r) => (
                s.opt(r.txn_time, "txn_time")?,
                s.opt(r.attach, "attach")?,
                s.opt(r.version, "version")?,
            ),
        };
        let a = client.qry(&QryRequest {
            txn_time: txn_time.as_deref(),
            attach: attach.as_deref(),
            version: version.as_deref(),
        })?;
        s.put(&mut out.return_code, &a.return_code, "returnCode")?;
        s.put(&mut out.message, &a.message, "message")?;
        s.put(&mut out.sys_time, &a.sys_time, "sysTime")?;
        s.put(&mut out.merc_id, &a.merc_id, "mercId")?;
        s.put(&mut out.app_id, &a.app_id, "appId")?;
        s.put(&mut out.app_id_key, &a.app_id_key, "appIdKey")?;
        s.put(&mut out.attach, &a.attach, "attach")?;
        out.verified = true;
        Ok(())
    })
}

/// `pubSigPay`: pay with a WeChat OAuth code (or openid).
///
/// The answer's `result` is 'A' or 'Z' by design: follow with `starpos_wait` on `log_no`.
/// After TIMEOUT, HTTP, PROTOCOL, SIGNATURE or INTERNAL (`starpos_status_in_doubt`) the payment
/// may have gone through: query the order (by the `sel_order_no` you sent), never send the pay
/// again.
///
/// # Safety
/// Each pointer is NULL or valid for the call; strings are NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn starpos_pay(
    config: *const starpos_config,
    request: *const starpos_pay_request,
    response: *mut starpos_pay_response,
) -> starpos_status {
    let s = Strings::of(config);
    respond(response, s, |out| {
        let client = client_from(config)?;
        let r = arg(request, "request")?;
        let txn_time = s.opt(r.txn_time, "txn_time")?;
        let version = s.opt(r.version, "version")?;
        let code = s.opt(r.code, "code")?;
        let openid = s.opt(r.openid, "openid")?;
        let subject = s.opt(r.subject, "subject")?;
        let sel_order_no = s.opt(r.sel_order_no, "sel_order_no")?;
        let goods_tag = s.opt(r.goods_tag, "goods_tag")?;
        let attach = s.opt(r.attach, "attach")?;
        let answer = client.pay(&PayRequest {
            txn_time: txn_time.as_deref(),
            version: version.as_deref(),
            code: code.as_deref(),
            openid: openid.as_deref(),
            amount: r.amount,
            total_amount: r.total_amount,
            subject: subject.as_deref(),
            sel_order_no: sel_order_no.as_deref(),
            goods_tag: goods_tag.as_deref(),
            attach: attach.as_deref(),
        })?;
        fill_pay(out, &answer, s)
    })
}

/// Copies a verified pay answer into the C struct as UTF-8 (PROTOCOL if a value does not fit).
/// Public for benchmarks of the whole call without the network; C callers use `starpos_pay`.
pub fn copy_pay_response(
    answer: &PayResponse,
    out: &mut starpos_pay_response,
) -> Result<(), Error> {
    fill_pay(out, answer, Strings::default())
}

fn fill_pay(out: &mut starpos_pay_response, a: &PayResponse, s: Strings) -> Result<(), Error> {
    s.put(&mut out.return_code, &a.return_code, "returnCode")?;
    s.put(&mut out.message, &a.message, "message")?;
    s.put(&mut out.sys_time, &a.sys_time, "sysTime")?;
    s.put(&mut out.merc_id, &a.merc_id, "mercId")?;
    s.put(&mut out.log_no, &a.log_no, "logNo")?;
    out.result = result_char(a.result);
    s.put(&mut out.order_no, &a.order_no, "orderNo")?;
    out.amount = a.amount;
    out.total_amount = a.total_amount;
    s.put(&mut out.prepay_id, &a.prepay_id, "PrepayId")?;
    s.put(&mut out.api_appid, &a.api_appid, "apiAppid")?;
    s.put(&mut out.api_timestamp, &a.api_timestamp, "apiTimestamp")?;
    s.put(&mut out.api_noncestr, &a.api_noncestr, "apiNoncestr")?;
    s.put(&mut out.api_package, &a.api_package, "apiPackage")?;
    s.put(&mut out.api_signtype, &a.api_signtype, "apiSigntype")?;
    s.put(&mut out.api_paysign, &a.api_paysign, "apiPaysign")?;
    s.put(&mut out.subject, &a.subject, "subject")?;
    s.put(&mut out.sel_order_no, &a.sel_order_no, "selOrderNo")?;
    s.put(&mut out.goods_tag, &a.goods_tag, "goodsTag")?;
    s.put(&mut out.attach, &a.attach, "attach")?;
    out.verified = true;
    Ok(())
}

fn fill_query(
    out: &mut starpos_query_response,
    a: &QueryResponse,
    s: Strings,
) -> Result<(), Error> {
    s.put(&mut out.return_code, &a.return_code, "returnCode")?;
    s.put(&mut out.message, &a.message, "message")?;
    s.put(&mut out.sys_time, &a.sys_time, "sysTime")?;
    s.put(&mut out.merc_id, &a.merc_id, "mercId")?;
    s.put(&mut out.trade_no, &a.trade_no, "tradeNo")?;
    s.put(&mut out.log_no, &a.log_no, "logNo")?;
    out.result = result_char(a.result);
    s.put(&mut out.pay_channel, &a.pay_channel, "payChannel")?;
    s.put(&mut out.order_no, &a.order_no, "orderNo")?;
    out.amount = a.amount;
    out.total_amount = a.total_amount;
    s.put(&mut out.subject, &a.subject, "subject")?;
    s.put(&mut out.sel_order_no, &a.sel_order_no, "selOrderNo")?;
    s.put(&mut out.goods_tag, &a.goods_tag, "goodsTag")?;
    s.put(&mut out.attach, &a.attach, "attach")?;
    out.verified = true;
    Ok(())
}

/// `sdkQryBarcodePay`: the order's state now. Safe to repeat. `response.trade_no` is the
/// `tradeNo` used (generated when the request's is NULL), filled on failure too.
///
/// # Safety
/// Each pointer is NULL or valid for the call; strings are NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn starpos_query(
    config: *const starpos_config,
    request: *const starpos_query_request,
    response: *mut starpos_query_response,
) -> starpos_status {
    let s = Strings::of(config);
    respond(response, s, |out| {
        let client = client_from(config)?;
        let r = arg(request, "request")?;
        let txn_time = s.opt(r.txn_time, "txn_time")?;
        let version = s.opt(r.version, "version")?;
        let trade_no = s.opt(r.trade_no, "trade_no")?;
        let qry_no = s.req(r.qry_no, "qry_no")?;
        let answer = client.query(&QueryRequest {
            txn_time: txn_time.as_deref(),
            version: version.as_deref(),
            trade_no: trade_no.as_deref(),
            qry_no: &qry_no,
        })?;
        fill_query(out, &answer, s)
    })
}

/// `sdkRefundBarcodePay`: give money back (`txn_amt` fen, 0 = all that remains).
///
/// Not safe to repeat blindly: after an in-doubt status, query `response.trade_no` (filled on
/// failure too) before trying again.
///
/// # Safety
/// Each pointer is NULL or valid for the call; strings are NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn starpos_refund(
    config: *const starpos_config,
    request: *const starpos_refund_request,
    response: *mut starpos_refund_response,
) -> starpos_status {
    let s = Strings::of(config);
    respond(response, s, |out| {
        let client = client_from(config)?;
        let r = arg(request, "request")?;
        let txn_time = s.opt(r.txn_time, "txn_time")?;
        let version = s.opt(r.version, "version")?;
        let trade_no = s.opt(r.trade_no, "trade_no")?;
        let order_no = s.req(r.order_no, "order_no")?;
        let a = client.refund(&RefundRequest {
            txn_time: txn_time.as_deref(),
            version: version.as_deref(),
            trade_no: trade_no.as_deref(),
            order_no: &order_no,
            txn_amt: r.txn_amt,
        })?;
        s.put(&mut out.return_code, &a.return_code, "returnCode")?;
        s.put(&mut out.message, &a.message, "message")?;
        s.put(&mut out.sys_time, &a.sys_time, "sysTime")?;
        s.put(&mut out.merc_id, &a.merc_id, "mercId")?;
        s.put(&mut out.trade_no, &a.trade_no, "tradeNo")?;
        s.put(&mut out.log_no, &a.log_no, "logNo")?;
        out.result = result_char(a.result);
        out.txn_amt = a.txn_amt;
        out.amount = a.amount;
        out.total_amount = a.total_amount;
        s.put(&mut out.subject, &a.subject, "subject")?;
        s.put(&mut out.sel_order_no, &a.sel_order_no, "selOrderNo")?;
        s.put(&mut out.goods_tag, &a.goods_tag, "goodsTag")?;
        s.put(&mut out.attach, &a.attach, "attach")?;
        out.verified = true;
        Ok(())
    })
}

/// Queries `qry_no` every `interval_ms` (0 = 3000) until the order is final ('S', 'F' or 'D')
/// or `deadline_ms` (0 = 60000) has passed.
///
/// OK: `response` holds the final answer. TIMEOUT: the deadline passed; `response` holds the
/// last answer ('A' or 'Z') if any came, else `error` tells the last failure. A failed poll
/// (network, bad answer) does not end the wait; INVALID_ARGUMENT and GATEWAY do.
///
/// # Safety
/// Each pointer is NULL or valid for the call; strings are NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn starpos_wait(
    config: *const starpos_config,
    qry_no: *const c_char,
    interval_ms: u32,
    deadline_ms: u32,
    response: *mut starpos_query_response,
) -> starpos_status {
    let s = Strings::of(config);
    let mut last_answer = None;
    let status = respond(response, s, |out| {
        let client = client_from(config)?;
        let qry_no = s.req(qry_no, "qry_no")?;
        let ms = |v: u32| Duration::from_millis(u64::from(v));
        match client.wait(&qry_no, ms(interval_ms), ms(deadline_ms)) {
            Ok(answer) => fill_query(out, &answer, s),
            Err(waited) => {
                last_answer = waited.last_answer;
                Err(waited.error)
            }
        }
    });
    // The last (non-final) answer is still the gateway's verified word: hand it out with the
    // TIMEOUT so the till can show it.
    if let (Some(answer), Some(out)) = (last_answer, response.as_mut()) {
        let error = out.error;
        if fill_query(out, &answer, s).is_ok() {
            out.error = error;
        }
    }
    status
}

/// Calls any endpoint: `fields_json` is a JSON object of its own fields (`orgNo`, `mercId`,
/// `trmNo`, `txnTime` and `signType` are added when absent), signed and POSTed to
/// `<base_url><endpoint>.json`. On OK `answer_json` holds the verified answer as a JSON object
/// of strings (`message` decoded, `signValue` left out); on GATEWAY it holds the refusal; on
/// any other failure the error in words. `answer_len` too small: INVALID_ARGUMENT with the
/// size needed in words, nothing written past it.
///
/// # Safety
/// Each pointer is NULL or valid for the call; `answer_json` has `answer_len` writable bytes.
#[no_mangle]
pub unsafe extern "C" fn starpos_call(
    config: *const starpos_config,
    endpoint: *const c_char,
    fields_json: *const c_char,
    answer_json: *mut c_char,
    answer_len: usize,
) -> starpos_status {
    let s = Strings::of(config);
    write_text(
        answer_json,
        answer_len,
        s,
        || {
            let client = client_from(config)?;
            let endpoint = s.req(endpoint, "endpoint")?;
            let fields = s.req(fields_json, "fields_json")?;
            let answer = client.call(&endpoint, &fields)?;
            Ok(serde_json::Value::Object(answer.to_json()).to_string())
        },
        |refusal| Some(serde_json::Value::Object(refusal.to_json()).to_string()),
    )
}
