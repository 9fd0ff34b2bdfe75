//! The exported gateway calls.

use super::convert::*;
use super::types::*;
use crate::model::{PayRequest, QryRequest, QueryRequest, RefundRequest};
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
    respond(response, |out| {
        let client = client_from(config)?;
        let rust = match request.as_ref() {
            None => QryRequest::default(),
            Some(r) => QryRequest {
                txn_time: opt_str(r.txn_time, "txn_time")?,
                attach: opt_str(r.attach, "attach")?,
                version: opt_str(r.version, "version")?,
            },
        };
        let a = client.qry(&rust)?;
        put(&mut out.return_code, &a.return_code, "returnCode")?;
        put(&mut out.message, &a.message, "message")?;
        put(&mut out.sys_time, &a.sys_time, "sysTime")?;
        put(&mut out.merc_id, &a.merc_id, "mercId")?;
        put(&mut out.app_id, &a.app_id, "appId")?;
        put(&mut out.app_id_key, &a.app_id_key, "appIdKey")?;
        put(&mut out.attach, &a.attach, "attach")?;
        out.verified = true;
        Ok(())
    })
}

/// `pubSigPay`: pay with a WeChat OAuth code (or openid).
///
/// The answer's `result` is 'A' or 'Z' by design: follow with `starpos_wait` on `log_no`.
/// After TIMEOUT, HTTP, PROTOCOL, SIGNATURE or INTERNAL (`starpos_status_in_doubt`) the payment
/// may have gone through: query the order, never send the pay again.
///
/// # Safety
/// Each pointer is NULL or valid for the call; strings are NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn starpos_pay(
    config: *const starpos_config,
    request: *const starpos_pay_request,
    response: *mut starpos_pay_response,
) -> starpos_status {
    respond(response, |out| {
        let client = client_from(config)?;
        let r = arg(request, "request")?;
        let rust = PayRequest {
            txn_time: opt_str(r.txn_time, "txn_time")?,
            version: opt_str(r.version, "version")?,
            code: opt_str(r.code, "code")?,
            openid: opt_str(r.openid, "openid")?,
            amount: r.amount,
            total_amount: r.total_amount,
            subject: opt_str(r.subject, "subject")?,
            sel_order_no: opt_str(r.sel_order_no, "sel_order_no")?,
            goods_tag: opt_str(r.goods_tag, "goods_tag")?,
            attach: opt_str(r.attach, "attach")?,
        };
        copy_pay_response(&client.pay(&rust)?, out)
    })
}

/// Copies a verified pay answer into the C struct (PROTOCOL if a value does not fit). Public
/// for benchmarks of the whole call without the network; C callers use `starpos_pay`.
pub fn copy_pay_response(
    answer: &crate::PayResponse,
    out: &mut starpos_pay_response,
) -> Result<(), crate::Error> {
    put(&mut out.return_code, &answer.return_code, "returnCode")?;
    put(&mut out.message, &answer.message, "message")?;
    put(&mut out.sys_time, &answer.sys_time, "sysTime")?;
    put(&mut out.merc_id, &answer.merc_id, "mercId")?;
    put(&mut out.log_no, &answer.log_no, "logNo")?;
    out.result = result_char(answer.result);
    put(&mut out.order_no, &answer.order_no, "orderNo")?;
    out.amount = answer.amount;
    out.total_amount = answer.total_amount;
    put(&mut out.prepay_id, &answer.prepay_id, "PrepayId")?;
    put(&mut out.api_appid, &answer.api_appid, "apiAppid")?;
    put(
        &mut out.api_timestamp,
        &answer.api_timestamp,
        "apiTimestamp",
    )?;
    put(&mut out.api_noncestr, &answer.api_noncestr, "apiNoncestr")?;
    put(&mut out.api_package, &answer.api_package, "apiPackage")?;
    put(&mut out.api_signtype, &answer.api_signtype, "apiSigntype")?;
    put(&mut out.api_paysign, &answer.api_paysign, "apiPaysign")?;
    put(&mut out.subject, &answer.subject, "subject")?;
    put(&mut out.sel_order_no, &answer.sel_order_no, "selOrderNo")?;
    put(&mut out.goods_tag, &answer.goods_tag, "goodsTag")?;
    put(&mut out.attach, &answer.attach, "attach")?;
    out.verified = true;
    Ok(())
}

fn fill_query(
    out: &mut starpos_query_response,
    a: &crate::QueryResponse,
) -> Result<(), crate::Error> {
    put(&mut out.return_code, &a.return_code, "returnCode")?;
    put(&mut out.message, &a.message, "message")?;
    put(&mut out.sys_time, &a.sys_time, "sysTime")?;
    put(&mut out.merc_id, &a.merc_id, "mercId")?;
    put(&mut out.trade_no, &a.trade_no, "tradeNo")?;
    put(&mut out.log_no, &a.log_no, "logNo")?;
    out.result = result_char(a.result);
    put(&mut out.pay_channel, &a.pay_channel, "payChannel")?;
    put(&mut out.order_no, &a.order_no, "orderNo")?;
    out.amount = a.amount;
    out.total_amount = a.total_amount;
    put(&mut out.subject, &a.subject, "subject")?;
    put(&mut out.sel_order_no, &a.sel_order_no, "selOrderNo")?;
    put(&mut out.goods_tag, &a.goods_tag, "goodsTag")?;
    put(&mut out.attach, &a.attach, "attach")?;
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
    respond(response, |out| {
        let client = client_from(config)?;
        let r = arg(request, "request")?;
        let rust = QueryRequest {
            txn_time: opt_str(r.txn_time, "txn_time")?,
            version: opt_str(r.version, "version")?,
            trade_no: opt_str(r.trade_no, "trade_no")?,
            qry_no: req_str(r.qry_no, "qry_no")?,
        };
        fill_query(out, &client.query(&rust)?)
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
    respond(response, |out| {
        let client = client_from(config)?;
        let r = arg(request, "request")?;
        let rust = RefundRequest {
            txn_time: opt_str(r.txn_time, "txn_time")?,
            version: opt_str(r.version, "version")?,
            trade_no: opt_str(r.trade_no, "trade_no")?,
            order_no: req_str(r.order_no, "order_no")?,
            txn_amt: r.txn_amt,
        };
        let a = client.refund(&rust)?;
        put(&mut out.return_code, &a.return_code, "returnCode")?;
        put(&mut out.message, &a.message, "message")?;
        put(&mut out.sys_time, &a.sys_time, "sysTime")?;
        put(&mut out.merc_id, &a.merc_id, "mercId")?;
        put(&mut out.trade_no, &a.trade_no, "tradeNo")?;
        put(&mut out.log_no, &a.log_no, "logNo")?;
        out.result = result_char(a.result);
        out.txn_amt = a.txn_amt;
        out.amount = a.amount;
        out.total_amount = a.total_amount;
        put(&mut out.subject, &a.subject, "subject")?;
        put(&mut out.sel_order_no, &a.sel_order_no, "selOrderNo")?;
        put(&mut out.goods_tag, &a.goods_tag, "goodsTag")?;
        put(&mut out.attach, &a.attach, "attach")?;
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
    let mut last_answer = None;
    let status = respond(response, |out| {
        let client = client_from(config)?;
        let qry_no = req_str(qry_no, "qry_no")?;
        let ms = |v: u32| Duration::from_millis(u64::from(v));
        match client.wait(qry_no, ms(interval_ms), ms(deadline_ms)) {
            Ok(answer) => fill_query(out, &answer),
            Err(waited) => {
                last_answer = waited.last_answer;
                Err(waited.error)
            }
        }
    });
    // The last (non-final) answer is still the gateway's verified word: hand it out with the
    // TIMEOUT so the till can show it.
    if let (Some(answer), Some(out)) = (last_answer, response.as_mut()) {
        let mut error = [0 as c_char; crate::limits::STARPOS_ERROR_SIZE];
        error.copy_from_slice(&out.error);
        if fill_query(out, &answer).is_ok() {
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
    write_text(
        answer_json,
        answer_len,
        || {
            let client = client_from(config)?;
            let endpoint = req_str(endpoint, "endpoint")?;
            let fields = req_str(fields_json, "fields_json")?;
            let answer = client.call(endpoint, fields)?;
            Ok(serde_json::Value::Object(answer.to_json()).to_string())
        },
        |refusal| Some(serde_json::Value::Object(refusal.to_json()).to_string()),
    )
}
