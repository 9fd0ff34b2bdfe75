//! The exported gateway calls.

use super::convert::*;
use super::types::*;
use crate::client::WaitError;
use crate::error::Error;
use crate::model::{BarcodePayResponse, PayResponse, QryRequest, QueryResponse};
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
        let a = match request.as_ref() {
            None => client.qry(&QryRequest::default())?,
            Some(r) => r.with(s, |request| client.qry(request))?,
        };
        out.fill(&a, s)
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
        let paid = arg(request, "request")?.with(s, |request| client.pay(request))?;
        fill_pay(out, &paid, s)
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
    out.fill(a, s)
}

fn fill_query(
    out: &mut starpos_query_response,
    a: &QueryResponse,
    s: Strings,
) -> Result<(), Error> {
    out.fill(a, s)
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
        let answer = arg(request, "request")?.with(s, |request| client.query(request))?;
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
        let a = arg(request, "request")?.with(s, |request| client.refund(request))?;
        out.fill(&a, s)
    })
}

/// `RevokeBarcodepay`: undo the counter sale whose `tradeNo` is `request->qry_no`, the same
/// day only (scan payments until 24:00). OK with 'S': revoked; the sale's order now queries
/// 'D' (a paid sale's money goes back to the payer, an unpaid one can no longer be paid) and
/// the journal records it so. 'F': not revoked. 'Z', or an in-doubt status: query the sale
/// (`qry_no`) until final, 'D' meaning the revoke went through; never send the sale again.
/// Acquirers that do not support revoking refuse it: GATEWAY, nothing moved (refund instead).
/// Journaled like a refund (kind "revoke"); `response.trade_no` is this revoke's own
/// `tradeNo`, filled whenever the request was valid.
///
/// # Safety
/// Each pointer is NULL or valid for the call; strings are NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn starpos_revoke(
    config: *const starpos_config,
    request: *const starpos_revoke_request,
    response: *mut starpos_revoke_response,
) -> starpos_status {
    let s = Strings::of(config);
    respond(response, s, |out| {
        let client = client_from(config)?;
        let a = arg(request, "request")?.with(s, |request| client.revoke(request))?;
        out.fill(&a, s)
    })
}

/// Queries `qry_no` every `interval_ms` (0 = 3000) until the order is final ('S', 'F' or 'D')
/// or `deadline_ms` (0 = 60000) has passed.
///
/// OK: `response` holds the final answer. TIMEOUT: the deadline passed; `response` holds the
/// last answer ('A' or 'Z') if any came; else, if some queries were refused (right after a pay
/// the gateway may not know the order yet), `return_code` and `message` hold the last refusal,
/// even when a later query got no answer in time; else `error` tells the last failure. A failed poll (network, bad answer) or a refusal does not end the
/// wait; only INVALID_ARGUMENT does.
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
    respond_waited(response, s, || {
        let client = client_from(config)?;
        let qry_no = s.req(qry_no, "qry_no")?;
        Ok(client.wait(&qry_no, ms(interval_ms), ms(deadline_ms)))
    })
}

fn ms(value: u32) -> Duration {
    Duration::from_millis(u64::from(value))
}

/// [`respond`] for the calls that follow an order until it is final: the final answer on OK;
/// on failure the error, and the last (non-final) answer if one came — it is still the
/// gateway's verified word, handed out with the error so the till can show it.
///
/// # Safety
/// `response` is NULL or valid for writes.
unsafe fn respond_waited(
    response: *mut starpos_query_response,
    s: Strings,
    follow: impl FnOnce() -> Result<Result<QueryResponse, WaitError>, Error>,
) -> starpos_status {
    let mut last_answer = None;
    let status = respond(response, s, |out| match follow()? {
        Ok(answer) => fill_query(out, &answer, s),
        Err(waited) => {
            last_answer = waited.last_answer;
            Err(waited.error)
        }
    });
    if let (Some(answer), Some(out)) = (last_answer, response.as_mut()) {
        let error = out.error;
        if fill_query(out, &answer, s).is_ok() {
            out.error = error;
        }
    }
    status
}

/// Calls any endpoint: `fields_json` is a JSON object of its own fields (`orgNo`, `mercId`,
/// `trmNo`, `txnTime`, `signType` and `version` `V1.0.0` are added when absent), signed and
/// POSTed to `<base_url><endpoint>.json`. On OK `answer_json` holds the verified answer as a
/// JSON object of strings (`message` decoded, `signValue` left out); on GATEWAY it holds the
/// refusal; on any other failure the error in words. For an endpoint that can move money
/// (`sdkBarcodePay`, `sdkBarcodePosPay`, `pubSigPay`, `sdkRefundBarcodePay`,
/// `RevokeBarcodepay`), `answer_len` below `STARPOS_CALL_ANSWER_SIZE` is INVALID_ARGUMENT
/// before anything is sent. For a read-only one, an answer too large for `answer_len` is
/// INVALID_ARGUMENT with the size needed in words (the call was made: ask again with a larger
/// buffer), nothing written past it.
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
    // The same as the `_sized` form, without the size out-parameter: one copy of the code.
    // SAFETY: the same pointers, as documented; `needed` NULL is accepted.
    unsafe {
        super::sized::starpos_call_sized(
            config,
            endpoint,
            fields_json,
            answer_json,
            answer_len,
            std::ptr::null_mut(),
        )
    }
}

/// `sdkBarcodePay`: charge the payment code scanned from the payer's phone.
///
/// `response.trade_no` is filled whenever the request was valid, whatever the status: it is
/// the handle on the sale. OK with 'S' (paid) or 'F' (failed) is final; 'A' (the payer is
/// entering a password) or 'Z': follow with `starpos_wait` on `trade_no`. After an in-doubt
/// status (`starpos_status_in_doubt`) the payer may have been charged: query `trade_no`, never
/// send the code again. `starpos_barcode_sale` does all of that.
///
/// # Safety
/// Each pointer is NULL or valid for the call; strings are NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn starpos_barcode_pay(
    config: *const starpos_config,
    request: *const starpos_barcode_pay_request,
    response: *mut starpos_barcode_pay_response,
) -> starpos_status {
    let s = Strings::of(config);
    respond(response, s, |out| {
        let client = client_from(config)?;
        let a = arg(request, "request")?.with(s, |request| client.barcode_pay(request))?;
        fill_barcode_pay(out, &a, s)
    })
}

/// Copies a verified barcode pay answer into the C struct as UTF-8 (PROTOCOL if a value does
/// not fit). Public for benchmarks of the whole call without the network; C callers use
/// `starpos_barcode_pay`.
pub fn copy_barcode_pay_response(
    answer: &BarcodePayResponse,
    out: &mut starpos_barcode_pay_response,
) -> Result<(), Error> {
    fill_barcode_pay(out, answer, Strings::default())
}

fn fill_barcode_pay(
    out: &mut starpos_barcode_pay_response,
    a: &BarcodePayResponse,
    s: Strings,
) -> Result<(), Error> {
    out.fill(a, s)
}

/// `sdkBarcodePosPay`: make a QR order for the payer to scan. OK with 'S': show `pay_code` as
/// a QR code, then follow with `starpos_wait` on `trade_no` (the order is paid only when the
/// query says 'S'; it closes after 15 minutes). `trade_no` is filled whenever the request was
/// valid.
///
/// # Safety
/// Each pointer is NULL or valid for the call; strings are NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn starpos_qr_pay(
    config: *const starpos_config,
    request: *const starpos_qr_pay_request,
    response: *mut starpos_qr_pay_response,
) -> starpos_status {
    let s = Strings::of(config);
    respond(response, s, |out| {
        let client = client_from(config)?;
        let a = arg(request, "request")?.with(s, |request| client.qr_pay(request))?;
        out.fill(&a, s)
    })
}

/// The whole barcode sale: pay once, then follow an 'A', a 'Z' or an in-doubt failure by
/// querying the sale's own `tradeNo` (never paying again) every `interval_ms` (0 = 3000)
/// until 'S', 'F' or 'D', or until `deadline_ms` (0 = 60000) has passed since the pay.
///
/// OK = final: `out->result` says which way ('S' paid). An in-doubt status = still unknown:
/// query `out->trade_no` later (`out` holds the last non-final answer if one came). Any other
/// status = nothing moved (bad input, not reached, a refusal proven this sale's).
/// `out->trade_no` is the sale's `tradeNo` whenever the request was valid.
///
/// A pay answered by a refusal that proves nothing (unsigned, or without the `tradeNo`) or
/// by an answer failing the signature check is followed by queries like a lost answer; when 3
/// queries over at least 2 s fare no better (refused or failing the signature check), the sale
/// ends early with that in-doubt status and `error` saying so (and that the merchant key is
/// the likely cause when every answer failed the signature check). The queries send `V1.0.1`.
///
/// # Safety
/// Each pointer is NULL or valid for the call; strings are NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn starpos_barcode_sale(
    config: *const starpos_config,
    request: *const starpos_barcode_pay_request,
    interval_ms: u32,
    deadline_ms: u32,
    out: *mut starpos_query_response,
) -> starpos_status {
    let s = Strings::of(config);
    respond_waited(out, s, || {
        let client = client_from(config)?;
        arg(request, "request")?.with(s, |request| {
            Ok(client.barcode_sale(request, ms(interval_ms), ms(deadline_ms)))
        })
    })
}

/// A `starpos_call` buffer too small for any answer, to an endpoint that can move money: that
/// answer could not be handed back, nor asked for again, so nothing is sent.
pub(crate) fn call_buffer_fits(endpoint: &str, answer_len: usize) -> Result<(), Error> {
    if answer_len < crate::limits::STARPOS_CALL_ANSWER_SIZE
        && crate::model::bind::moves_money(endpoint)
    {
        return Err(Error::invalid(
            "answer_len",
            format!(
                "must be at least STARPOS_CALL_ANSWER_SIZE ({}) bytes for {endpoint}, which can \
                 move money: an answer that did not fit could not be handed back, nor asked \
                 for again; got {answer_len}; nothing was sent",
                crate::limits::STARPOS_CALL_ANSWER_SIZE
            ),
        ));
    }
    Ok(())
}
