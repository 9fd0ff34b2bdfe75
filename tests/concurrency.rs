//! 8 threads × 500 calls mixing qry, pay and query through the C ABI against one simulator:
//! every call succeeds, every answer belongs to its own request (no cross-talk in the shared
//! connection pool), and nothing reports INTERNAL.

mod common;

use common::*;
use starpos::ffi::*;
use std::os::raw::c_char;
use std::ptr;

const THREADS: usize = 8;
const CALLS: usize = 500;

fn worker(cfg: &starpos_config, thread: usize) {
    let mut last_log_no: Option<String> = None;
    for i in 0..CALLS {
        let tag = format!("t{thread}c{i}");
        match i % 3 {
            0 => {
                let attach = c(&tag);
                let request = starpos_qry_request {
                    txn_time: ptr::null(),
                    attach: attach.as_ptr(),
                    version: ptr::null(),
                };
                let mut out: starpos_qry_response = zeroed();
                let status = unsafe { starpos_qry(cfg, &request, &mut out) };
                assert_eq!(
                    status,
                    starpos_status::STARPOS_OK,
                    "{tag}: {}",
                    text(&out.error)
                );
                assert_eq!(text(&out.attach), tag, "qry answer belongs to its request");
            }
            1 => {
                let code = c(&unique(&tag));
                let sel = c(&unique(&tag));
                let amount = (thread * CALLS + i) as u64 + 1;
                let request = starpos_pay_request {
                    txn_time: ptr::null(),
                    version: ptr::null(),
                    code: code.as_ptr(),
                    openid: ptr::null(),
                    amount,
                    total_amount: amount,
                    subject: ptr::null(),
                    sel_order_no: sel.as_ptr(),
                    goods_tag: ptr::null(),
                    attach: ptr::null(),
                };
                let mut out: starpos_pay_response = zeroed();
                let status = unsafe { starpos_pay(cfg, &request, &mut out) };
                assert_eq!(
                    status,
                    starpos_status::STARPOS_OK,
                    "{tag}: {}",
                    text(&out.error)
                );
                assert_eq!(out.amount, amount, "pay answer belongs to its request");
                assert_eq!(text(&out.sel_order_no), sel.to_str().unwrap());
                last_log_no = Some(text(&out.log_no));
            }
            _ => {
                let Some(log_no) = &last_log_no else { continue };
                let qry_no = c(log_no);
                let request = starpos_query_request {
                    txn_time: ptr::null(),
                    version: ptr::null(),
                    trade_no: ptr::null(),
                    qry_no: qry_no.as_ptr(),
                };
                let mut out: starpos_query_response = zeroed();
                let status = unsafe { starpos_query(cfg, &request, &mut out) };
                assert_eq!(
                    status,
                    starpos_status::STARPOS_OK,
                    "{tag}: {}",
                    text(&out.error)
                );
                assert_eq!(
                    &text(&out.log_no),
                    log_no,
                    "query answer belongs to its request"
                );
                assert_eq!(out.result, b'A' as c_char);
            }
        }
    }
}

#[test]
fn eight_threads_share_the_pool_without_cross_talk() {
    let sim = sim();
    std::thread::scope(|scope| {
        for thread in 0..THREADS {
            let sim = &sim;
            // Each thread holds its own config, as firmware tasks would; all share one pool.
            scope.spawn(move || worker(&c_config(sim).raw, thread));
        }
    });
    let expected = THREADS * (CALLS / 3 + CALLS / 3 + CALLS / 3);
    assert!(
        sim.request_count() >= expected,
        "{} requests",
        sim.request_count()
    );
    assert_eq!(
        sim.orders().len(),
        THREADS * CALLS.div_ceil(3) - THREADS * usize::from(CALLS % 3 == 0),
        "one order per pay"
    );
}
