//! The exported journal calls: recovery at start-up and the list of journaled sales.

use super::convert::*;
use super::types::*;
use crate::error::Error;
use crate::journal::{Entry, SummaryRow};
use std::ffi::c_void;
use std::time::Duration;

/// Copies a journal entry into its C struct (texts cut to fit; the journal holds no value
/// longer than its buffer but `error`).
fn entry_to_c(entry: &Entry, s: Strings) -> starpos_journal_entry {
    // SAFETY: the struct is plain C data for which all-zero bytes are valid.
    let mut out: starpos_journal_entry = unsafe { std::mem::zeroed() };
    s.put_cut(&mut out.kind, entry.kind.as_str());
    s.put_cut(&mut out.trade_no, &entry.trade_no);
    s.put_cut(&mut out.sel_order_no, &entry.sel_order_no);
    s.put_cut(&mut out.log_no, &entry.log_no);
    s.put_cut(&mut out.order_no, &entry.order_no);
    s.put_cut(&mut out.txn_time, &entry.txn_time);
    out.amount = entry.amount;
    out.total_amount = entry.total_amount;
    out.status = entry.status.into();
    out.result = result_char(entry.result);
    out.settled = entry.settled;
    out.created_unix_ms = entry.created_unix_ms;
    s.put_cut(&mut out.error, &entry.error);
    s.put_cut(&mut out.sys_time, &entry.sys_time);
    out.not_found = entry.not_found;
    out.recoveries = entry.recoveries;
    out.attention = entry.attention;
    s.put_cut(&mut out.pay_channel, &entry.pay_channel);
    s.put_cut(&mut out.opr_id, &entry.opr_id);
    out
}

/// At start-up, settles what a crash or power cut left open: every sale the journal
/// (`config->journal_path`, required) holds unsettled is queried — by its `tradeNo`, or a
/// pubSigPay's `logNo`; nothing is ever paid again — every 500 ms until it is final or
/// `deadline_ms` (0 = 30000) has passed, and reported once through `callback` (which may be NULL).
/// Settled sales are neither queried nor reported again.
///
/// Queries send `V1.0.1`. A refund is confirmed from the order it refunds: that order's
/// `refAmt` against the refunds of it the journal already settled, never from the refund's
/// own `tradeNo`.
///
/// Each report's `status`: OK = final (`result` 'S', 'F' or 'D'); an in-doubt status = still
/// unknown (it stays open for the next `starpos_recover`; `error` says why; `attention` = 1
/// after 3 such passes: a person should look); GATEWAY = no money moved, said only on proof:
/// the sale never had any answer, and at least 3 signed answers bound to their queries said the
/// gateway does not know it over ten minutes of the gateway's own clock (`sys_time`), never of
/// the terminal's. A sale that ever had an answer (a `log_no`, an 'A' or 'Z') is never
/// concluded so. A pubSigPay whose answer was lost is reported in doubt with the reason (no
/// money can move without that answer) and settled.
///
/// Returns OK when the journal could be read, whatever the sales say; INVALID_ARGUMENT
/// without `journal_path`; JOURNAL when the file cannot be read or written.
///
/// # Safety
/// Each pointer is NULL or valid for the call; `callback` is called on this thread only, before
/// this function returns.
#[no_mangle]
pub unsafe extern "C" fn starpos_recover(
    config: *const starpos_config,
    deadline_ms: u32,
    callback: starpos_journal_fn,
    userdata: *mut c_void,
) -> starpos_status {
    let s = Strings::of(config);
    guarded(|| {
        let client = client_from(config)?;
        let deadline = Duration::from_millis(u64::from(deadline_ms));
        client
            .recover(deadline, |entry| {
                if let Some(f) = callback {
                    let c = entry_to_c(entry, s);
                    // SAFETY: the caller's callback, called as documented.
                    unsafe { f(&c, userdata) };
                }
            })
            .map(|_| ())
    })
}

/// Every sale the journal (`config->journal_path`, required) still holds, oldest first, once
/// each through `callback`: the unsettled ones, and settled ones kept for reprints and end-of-day
/// totals (`journal_retention_days`). Nothing is sent to the gateway. A journal whose storage
/// can no longer be written is still listed, read-only.
///
/// Returns OK, INVALID_ARGUMENT (no `journal_path`, `callback` NULL) or JOURNAL.
///
/// # Safety
/// Each pointer is NULL or valid for the call; `callback` is called on this thread only, before
/// this function returns.
#[no_mangle]
pub unsafe extern "C" fn starpos_journal_list(
    config: *const starpos_config,
    callback: starpos_journal_fn,
    userdata: *mut c_void,
) -> starpos_status {
    let s = Strings::of(config);
    guarded(|| {
        let client = client_from(config)?;
        let f = callback.ok_or_else(|| Error::invalid("callback", "is NULL"))?;
        for entry in client.journal_entries()? {
            let c = entry_to_c(&entry, s);
            // SAFETY: the caller's callback, called as documented.
            unsafe { f(&c, userdata) };
        }
        Ok(())
    })
}

fn row_to_c(row: &SummaryRow, s: Strings) -> starpos_summary_row {
    // SAFETY: the struct is plain C data for which all-zero bytes are valid.
    let mut out: starpos_summary_row = unsafe { std::mem::zeroed() };
    s.put_cut(&mut out.kind, row.kind.as_str());
    s.put_cut(&mut out.pay_channel, &row.pay_channel);
    out.count = row.count;
    out.paid_fen = row.paid_fen;
    out.refunded_fen = row.refunded_fen;
    out.revoked_fen = row.revoked_fen;
    out.open = u32::try_from(row.open.len()).unwrap_or(u32::MAX);
    out
}

/// The closing summary, what a cashier prints at the end of the day: the sales the journal
/// (`config->journal_path`, required) holds, added up per kind and channel, once per row
/// through `callback` (rows in the order "pay", "barcode_pay", "qr_pay", "refund", then by
/// channel; none when the journal is empty). Each row counts its sales, the fen paid and
/// refunded (settled, result 'S'), and how many are still open: those are listed by
/// `starpos_journal_list` (`settled` 0) and settled by `starpos_recover`, which is worth
/// running before closing. Nothing is sent to the gateway. The journal holds the sales within
/// `journal_retention_days`: the summary is of those. A journal whose storage can no longer
/// be written is still read.
///
/// Returns OK, INVALID_ARGUMENT (no `journal_path`, `callback` NULL) or JOURNAL.
///
/// # Safety
/// Each pointer is NULL or valid for the call; `callback` is called on this thread only, before
/// this function returns.
#[no_mangle]
pub unsafe extern "C" fn starpos_journal_summary(
    config: *const starpos_config,
    callback: starpos_summary_fn,
    userdata: *mut c_void,
) -> starpos_status {
    let s = Strings::of(config);
    guarded(|| {
        let client = client_from(config)?;
        let f = callback.ok_or_else(|| Error::invalid("callback", "is NULL"))?;
        for row in client.journal_summary()? {
            let c = row_to_c(&row, s);
            // SAFETY: the caller's callback, called as documented.
            unsafe { f(&c, userdata) };
        }
        Ok(())
    })
}
