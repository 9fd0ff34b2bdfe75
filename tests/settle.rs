//! Money truth II (docs/protocol.md, "when nothing moved may be said"): each way 0.2.0 said
//! "nothing moved" where money moved, through the C ABI against the simulator, whose order
//! book is the truth.
//!
//! 1. A sale that had an answer, recovered late after a "busy" refusal: never "never arrived".
//! 2. An unsigned refusal of a made and paid order: in doubt, found paid.
//! 3. A refusal without the request's `tradeNo`: in doubt, found paid.
//! 6. An in-doubt refund: confirmed from the order's `refAmt`, not from its own `tradeNo`.
//! 7. A full refund settled by recovery records the fen it gave back.
//! 8. Undocumented result letters: in doubt, never final.
//! 9. A long `message` on a final answer: the answer stands.
//!
//! And the early end of a sale whose every answer is untrusted (a genuine refusal, a wrong
//! key): within seconds, in doubt, saying why.

mod common;

use common::*;
use starpos::ffi::*;
use starpos_sim::{Fault, Simulator};
use std::ffi::c_void;
use std::time::{Duration, Instant};

use starpos_status::*;

/// A journaled C configuration for `sim` (1 s per call), and the strings it points into.
struct Till {
    cfg: CConfig,
    _path: std::ffi::CString,
    _dir: TempDir,
}

fn till(sim: &Simulator, name: &str) -> Till {
    let dir = TempDir::new(name);
    let path = c(dir.join("sales.journal").to_str().unwrap());
    let mut cfg = c_config(sim);
    cfg.raw.journal_path = path.as_ptr();
    cfg.raw.timeout_ms = 1000;
    Till {
        cfg,
        _path: path,
        _dir: dir,
    }
}

/// What a journal report or listing showed of a sale.
#[derive(Debug, Clone)]
struct Seen {
    kind: String,
    trade_no: String,
    order_no: String,
    status: starpos_status,
    result: u8,
    settled: bool,
    amount: u64,
    error: String,
    not_found: u32,
    attention: bool,
    sys_time: String,
}

unsafe extern "C" fn collect(entry: *const starpos_journal_entry, userdata: *mut c_void) {
    let seen = &mut *(userdata as *mut Vec<Seen>);
    let e = &*entry;
    seen.push(Seen {
        kind: text(&e.kind),
        trade_no: text(&e.trade_no),
        order_no: text(&e.order_no),
        status: e.status,
        result: e.result as u8,
        settled: e.settled,
        amount: e.amount,
        error: text(&e.error),
        not_found: e.not_found,
        attention: e.attention,
        sys_time: text(&e.sys_time),
    });
}

fn recover(till: &Till, deadline_ms: u32) -> Vec<Seen> {
    let mut seen: Vec<Seen> = Vec::new();
    let st = unsafe {
        starpos_recover(
            &till.cfg.raw,
            deadline_ms,
            Some(collect),
            &mut seen as *mut _ as *mut c_void,
        )
    };
    assert_eq!(st, STARPOS_OK);
    seen
}

fn listed(till: &Till) -> Vec<Seen> {
    let mut seen: Vec<Seen> = Vec::new();
    let st = unsafe {
        starpos_journal_list(
            &till.cfg.raw,
            Some(collect),
            &mut seen as *mut _ as *mut c_void,
        )
    };
    assert_eq!(st, STARPOS_OK);
    seen
}

/// A barcode pay of `code` for `fen` through the C ABI.
fn barcode_pay(
    till: &Till,
    code: &str,
    fen: u64,
) -> (starpos_status, starpos_barcode_pay_response) {
    let code = c(code);
    let mut req: starpos_barcode_pay_request = zeroed();
    req.auth_code = code.as_ptr();
    req.amount = fen;
    req.total_amount = fen;
    let mut out: starpos_barcode_pay_response = zeroed();
    let st = unsafe { starpos_barcode_pay(&till.cfg.raw, &req, &mut out) };
    (st, out)
}

/// A whole barcode sale through the C ABI.
fn barcode_sale(
    cfg: &starpos_config,
    code: &str,
    fen: u64,
    interval_ms: u32,
    deadline_ms: u32,
) -> (starpos_status, starpos_query_response) {
    let code = c(code);
    let mut req: starpos_barcode_pay_request = zeroed();
    req.auth_code = code.as_ptr();
    req.amount = fen;
    req.total_amount = fen;
    let mut out: starpos_query_response = zeroed();
    let st = unsafe { starpos_barcode_sale(cfg, &req, interval_ms, deadline_ms, &mut out) };
    (st, out)
}

fn refund(till: &Till, order_no: &str, fen: u64) -> (starpos_status, starpos_refund_response) {
    let order_no = c(order_no);
    let mut req: starpos_refund_request = zeroed();
    req.order_no = order_no.as_ptr();
    req.txn_amt = fen;
    let mut out: starpos_refund_response = zeroed();
    let st = unsafe { starpos_refund(&till.cfg.raw, &req, &mut out) };
    (st, out)
}

/// The state the simulator's book holds for the order of `trade_no`.
fn book_state(sim: &Simulator, trade_no: &str) -> char {
    sim.orders()
        .into_iter()
        .find(|o| o.trade_no == trade_no)
        .map(|o| o.state)
        .expect("the simulator has the order")
}

fn in_doubt(status: starpos_status) -> bool {
    starpos_status_in_doubt(status as i32)
}

#[test]
fn a_sale_that_had_an_answer_is_recovered_late_past_a_busy_refusal() {
    // Finding 1: answered A, the terminal restarts more than ten minutes later, and the first
    // recovery query meets "system busy" (signed; then unsigned): the payer was charged.
    for fault in [Fault::Busy, Fault::UnsignedRefusal] {
        let sim = sim();
        let till = till(&sim, "settle-late");
        let (st, out) = barcode_pay(&till, &wechat_code('1'), 51);
        assert_eq!((st, out.result as u8), (STARPOS_OK, b'A'));
        let trade_no = text(&out.trade_no);
        assert!(sim.confirm(&trade_no), "the payer pays");
        sim.advance(Duration::from_secs(11 * 60));
        sim.inject_for(Some("sdkQryBarcodePay"), 1, fault.clone());
        let seen = recover(&till, 3000);
        assert_eq!(seen.len(), 1, "{seen:?}");
        let s = &seen[0];
        assert_eq!(
            (s.status, s.result, s.settled),
            (STARPOS_OK, b'S', true),
            "{fault:?}: {s:?}"
        );
        assert_eq!(book_state(&sim, &trade_no), 'S');
        assert!(!s.sys_time.is_empty(), "the gateway's clock is recorded");
    }
}

#[test]
fn a_sale_that_had_an_answer_is_never_concluded_never_arrived() {
    // Finding 1, the worst case: every query refused "busy" for an hour of the gateway's
    // clock. It stays open, and after three recoveries asks for a person.
    let sim = sim();
    let till = till(&sim, "settle-never");
    let (st, out) = barcode_pay(&till, &wechat_code('1'), 52);
    assert_eq!(st, STARPOS_OK);
    let trade_no = text(&out.trade_no);
    sim.confirm(&trade_no);
    for pass in 1..=3 {
        sim.advance(Duration::from_secs(20 * 60));
        sim.inject_for(Some("sdkQryBarcodePay"), 100, Fault::Busy);
        let seen = recover(&till, 1200);
        sim.clear_faults();
        let s = &seen[0];
        assert!(in_doubt(s.status) && !s.settled, "pass {pass}: {s:?}");
        assert_eq!(s.not_found, 0, "an answered sale gathers no evidence");
        assert_eq!(s.attention, pass == 3, "pass {pass}: {s:?}");
    }
    sim.clear_faults();
    assert_eq!(book_state(&sim, &trade_no), 'S');
    let listed = listed(&till);
    assert!(listed[0].attention && !listed[0].settled, "{listed:?}");
    // Once the gateway answers, it settles and the flag goes.
    let seen = recover(&till, 3000);
    assert_eq!((seen[0].status, seen[0].result), (STARPOS_OK, b'S'));
    assert!(!listed_attention(&till));
}

fn listed_attention(till: &Till) -> bool {
    listed(till).iter().any(|s| s.attention)
}

#[test]
fn an_unsigned_or_unbound_refusal_of_a_paid_order_is_in_doubt_and_found_paid() {
    // Findings 2 and 3: the pay was made and paid; its answer was replaced by a refusal that
    // proves nothing. The sale follows it up and finds it paid.
    for fault in [Fault::UnsignedRefusal, Fault::UnboundRefusal] {
        let sim = sim();
        let till = till(&sim, "settle-unproven");
        sim.inject_for(Some("sdkBarcodePay"), 1, fault.clone());
        let (st, out) = barcode_pay(&till, &wechat_code('0'), 53);
        assert!(in_doubt(st), "{fault:?}: {st:?} {}", text(&out.error));
        assert_eq!(
            text(&out.return_code),
            "100009",
            "the refusal's words are kept"
        );
        let trade_no = text(&out.trade_no);
        assert_eq!(book_state(&sim, &trade_no), 'S', "the payer was charged");
        let open = listed(&till);
        assert!(!open[0].settled, "{fault:?}: the journal keeps it open");
        let seen = recover(&till, 3000);
        assert_eq!((seen[0].status, seen[0].result), (STARPOS_OK, b'S'));

        // The whole sale: the same refusal, then queries find the order paid.
        sim.inject_for(Some("sdkBarcodePay"), 1, fault.clone());
        let (st, done) = barcode_sale(&till.cfg.raw, &wechat_code('0'), 54, 50, 10_000);
        assert_eq!((st, done.result as u8), (STARPOS_OK, b'S'), "{fault:?}");
    }
}

#[test]
fn a_genuine_unsigned_refusal_ends_the_sale_within_seconds_in_doubt() {
    // A merchant the gateway does not know: every answer an unsigned refusal. Before, GATEWAY
    // at once (nothing proven); now in doubt, but within seconds, not at the deadline.
    let sim = sim();
    let mut till = till(&sim, "settle-genuine");
    let wrong = c("999999999999999");
    till.cfg.raw.merc_id = wrong.as_ptr();
    let started = Instant::now();
    let (st, out) = barcode_sale(&till.cfg.raw, &wechat_code('0'), 55, 500, 60_000);
    let took = started.elapsed();
    assert_eq!(st, STARPOS_ERR_SIGNATURE, "{}", text(&out.error));
    assert!(took < Duration::from_secs(15), "took {took:?}");
    let error = text(&out.error);
    assert!(error.contains("not signed"), "{error}");
    assert!(error.contains("not proven"), "{error}");
    assert!(!text(&out.trade_no).is_empty());
    assert!(sim.orders().is_empty());
}

#[test]
fn a_wrong_key_ends_the_sale_within_seconds_naming_the_key() {
    let sim = sim();
    let till = till(&sim, "settle-key");
    let mut cfg = till.cfg.raw;
    let key = c("0123456789ABCDEF0123456789ABCDEF");
    cfg.key = key.as_ptr();
    let started = Instant::now();
    let (st, out) = barcode_sale(&cfg, &wechat_code('0'), 56, 500, 60_000);
    assert_eq!(st, STARPOS_ERR_SIGNATURE, "{}", text(&out.error));
    assert!(started.elapsed() < Duration::from_secs(15));
    let error = text(&out.error);
    assert!(error.contains("merchant key"), "{error}");
    assert!(error.contains("query tradeNo"), "{error}");
}

#[test]
fn an_in_doubt_refund_is_confirmed_from_its_order_and_records_its_amount() {
    // Findings 6 and 7: the refund's answer is lost; the query of its own tradeNo knows
    // nothing (as documented); its order's refAmt tells. Once partial, once in full.
    let sim = sim();
    let till = till(&sim, "settle-refund");
    let (st, paid) = barcode_pay(&till, &wechat_code('0'), 1000);
    assert_eq!(st, STARPOS_OK);
    let order_no = text(&paid.order_no);
    let (st, part) = refund(&till, &order_no, 300);
    assert_eq!(st, STARPOS_OK, "{}", text(&part.error));
    sim.inject_for(Some("sdkRefundBarcodePay"), 1, Fault::NeverAnswer);
    let (st, lost) = refund(&till, &order_no, 200);
    assert_eq!(st, STARPOS_ERR_TIMEOUT);
    let lost_trade_no = text(&lost.trade_no);
    let seen = recover(&till, 3000);
    assert_eq!(seen.len(), 1, "{seen:?}");
    let s = &seen[0];
    assert_eq!(
        (s.kind.as_str(), s.trade_no.as_str()),
        ("refund", lost_trade_no.as_str())
    );
    assert_eq!(
        (s.status, s.result, s.amount),
        (STARPOS_OK, b'S', 200),
        "{s:?}"
    );
    assert_eq!(s.order_no, order_no);

    // A full refund (no amount) whose answer is lost: it records what it gave back.
    sim.inject_for(Some("sdkRefundBarcodePay"), 1, Fault::NeverAnswer);
    let (st, _) = refund(&till, &order_no, 0);
    assert_eq!(st, STARPOS_ERR_TIMEOUT);
    let seen = recover(&till, 3000);
    assert_eq!(
        (seen[0].status, seen[0].amount),
        (STARPOS_OK, 500),
        "{seen:?}"
    );
    let refunded: u64 = listed(&till)
        .iter()
        .filter(|s| s.kind == "refund" && s.result == b'S')
        .map(|s| s.amount)
        .sum();
    assert_eq!(refunded, 1000, "the journal's refunds add up to the book's");
    assert_eq!(
        sim.orders()
            .into_iter()
            .find(|o| o.order_no == order_no || o.channel_order_no.as_deref() == Some(&order_no))
            .map(|o| o.refunded),
        Some(1000)
    );
}

#[test]
fn a_refund_that_never_arrived_is_settled_only_on_ten_minutes_of_the_orders_word() {
    // A refund recorded but never sent (the process died before its first byte left): its
    // order's refAmt does not show it. Not "nothing moved" from its own tradeNo being unknown,
    // nor at once: only when the order's refAmt has left it out over ten minutes of the
    // gateway's clock.
    let sim = sim();
    let till = till(&sim, "settle-refund-never");
    let (_, paid) = barcode_pay(&till, &wechat_code('0'), 700);
    let order_no = text(&paid.order_no);
    let journal = starpos::journal::Journal::open(
        &till._dir.join("sales.journal"),
        Duration::from_secs(3600),
    )
    .unwrap();
    let mut never = starpos::journal::Entry::new(starpos::journal::Kind::Refund);
    never.id = "refund-never-sent".into();
    never.trade_no = unique("RNEVER");
    never.order_no = order_no.clone();
    never.amount = 100;
    journal.update(&never).unwrap();
    let first = recover(&till, 1600);
    assert!(in_doubt(first[0].status) && !first[0].settled, "{first:?}");
    assert!(first[0].not_found >= 3, "{first:?}");
    sim.advance(Duration::from_secs(10 * 60 + 1));
    let later = recover(&till, 2000);
    assert_eq!(
        (later[0].status, later[0].settled),
        (STARPOS_ERR_GATEWAY, true),
        "{later:?}"
    );
    assert!(later[0].error.contains("refAmt"), "{}", later[0].error);
    let refunded = sim
        .orders()
        .into_iter()
        .find(|o| o.trade_no == text(&paid.trade_no))
        .map(|o| o.refunded);
    assert_eq!(
        refunded,
        Some(0),
        "and the book agrees: nothing was refunded"
    );
}

#[test]
fn undocumented_letters_are_in_doubt_never_final() {
    // Finding 8: pubSigPay answers A or Z; a refund S, F or Z.
    let sim = sim();
    let till = till(&sim, "settle-letters");
    sim.inject_for(Some("pubSigPay"), 1, Fault::Result('S'));
    let code = c(&unique("code"));
    let mut req: starpos_pay_request = zeroed();
    req.code = code.as_ptr();
    req.amount = 5;
    req.total_amount = 5;
    let mut out: starpos_pay_response = zeroed();
    let st = unsafe { starpos_pay(&till.cfg.raw, &req, &mut out) };
    assert_eq!(st, STARPOS_ERR_PROTOCOL, "{}", text(&out.error));
    assert_eq!(out.result, 0, "nothing of the answer is handed out");

    let (_, paid) = barcode_pay(&till, &wechat_code('0'), 9);
    for letter in ['D', 'A'] {
        sim.inject_for(Some("sdkRefundBarcodePay"), 1, Fault::Result(letter));
        let (st, out) = refund(&till, &text(&paid.order_no), 1);
        assert_eq!(st, STARPOS_ERR_PROTOCOL, "{letter}: {}", text(&out.error));
        assert!(text(&out.error).contains("does not answer"));
    }
    let open: Vec<Seen> = listed(&till)
        .into_iter()
        .filter(|s| s.kind == "refund")
        .collect();
    assert!(open.iter().all(|s| !s.settled), "{open:?}");
}

#[test]
fn a_long_message_never_hides_a_final_answer() {
    // Finding 9.
    let sim = sim();
    let till = till(&sim, "settle-long");
    sim.inject_for(Some("sdkBarcodePay"), 1, Fault::LongMessage(150));
    let (st, out) = barcode_pay(&till, &wechat_code('0'), 10);
    assert_eq!(
        (st, out.result as u8),
        (STARPOS_OK, b'S'),
        "{}",
        text(&out.error)
    );
    let message = text(&out.message);
    assert!(message.chars().count() < 150 && message.chars().count() >= 100);
    assert!(listed(&till)[0].settled);
}

#[test]
fn a_money_call_through_starpos_call_needs_a_buffer_for_any_answer_before_it_is_sent() {
    // An answer that did not fit could not be handed back, nor asked for again: refused
    // before sending. A read-only call may use a small buffer (it can be asked again).
    let sim = sim();
    let cfg = c_config(&sim);
    let endpoint = c("sdkBarcodePay");
    let fields = c(&format!(
        r#"{{"opSys":"3","characterSet":"00","tradeNo":"{}","authCode":"{}","payChannel":"WXPAY","amount":"1","total_amount":"1"}}"#,
        unique("CALL"),
        wechat_code('0')
    ));
    let before = sim.requests().len();
    let mut small = vec![0 as std::os::raw::c_char; 4096];
    let st = unsafe {
        starpos_call(
            &cfg.raw,
            endpoint.as_ptr(),
            fields.as_ptr(),
            small.as_mut_ptr(),
            small.len(),
        )
    };
    assert_eq!(st, STARPOS_ERR_INVALID_ARGUMENT);
    assert!(
        text(&small).starts_with("answer_len: must be at least"),
        "{}",
        text(&small)
    );
    assert_eq!(sim.requests().len(), before, "nothing was sent");
    let mut big = vec![0 as std::os::raw::c_char; starpos::limits::STARPOS_CALL_ANSWER_SIZE];
    let st = unsafe {
        starpos_call(
            &cfg.raw,
            endpoint.as_ptr(),
            fields.as_ptr(),
            big.as_mut_ptr(),
            big.len(),
        )
    };
    assert_eq!(st, STARPOS_OK, "{}", text(&big));
    let query = c("sdkQryBarcodePay");
    let q = c(&format!(
        r#"{{"opSys":"3","characterSet":"00","tradeNo":"{}","qryNo":"x"}}"#,
        unique("Q")
    ));
    let st = unsafe {
        starpos_call(
            &cfg.raw,
            query.as_ptr(),
            q.as_ptr(),
            small.as_mut_ptr(),
            small.len(),
        )
    };
    assert_eq!(
        st, STARPOS_ERR_GATEWAY,
        "a small buffer is fine for a query"
    );
}
