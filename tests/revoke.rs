//! Revoke (`RevokeBarcodepay`, issue 19 points 4 and 5): a sale undone the same day, its
//! request on the wire, its journal entries and the day's summary; the closed loop, where a
//! barcode sale given up in doubt is revoked so that a payer who pays late is not charged.
//! Through the C ABI, against the simulator.

mod common;

use common::*;
use starpos::ffi::*;
use starpos::journal::{Entry, Kind};
use starpos::{Client, TxnResult};
use starpos_sim::{Fault, Simulator};
use std::ffi::CString;
use std::sync::atomic::{AtomicPtr, Ordering};
use std::time::{Duration, Instant};

use starpos_status::*;

/// A C configuration with a journal in `dir`, and the Rust client reading the same journal.
struct Till {
    cfg: CConfig,
    _journal: CString,
    client: Client,
}

fn till(sim: &Simulator, dir: &TempDir) -> Till {
    let path = dir.join("sales.journal");
    let journal = c(path.to_str().unwrap());
    let mut cfg = c_config(sim);
    cfg.raw.journal_path = journal.as_ptr();
    let mut rust = config(sim);
    rust.journal_path = Some(path);
    Till {
        cfg,
        _journal: journal,
        client: Client::new(rust).unwrap(),
    }
}

impl Till {
    fn entries(&self) -> Vec<Entry> {
        self.client.journal_entries().unwrap()
    }
    fn entry(&self, kind: Kind, trade_no: &str) -> Entry {
        self.entries()
            .into_iter()
            .find(|e| e.kind == kind && e.trade_no == trade_no)
            .unwrap_or_else(|| panic!("no {kind:?} {trade_no} in the journal"))
    }
}

/// A barcode pay of `fen` whose payer is entering a password (answered `A`, the simulator's
/// code ending in 1): its `tradeNo`.
fn waiting_sale(cfg: &starpos_config, fen: u64) -> String {
    let code = c(&wechat_code('1'));
    let mut req: starpos_barcode_pay_request = zeroed();
    req.auth_code = code.as_ptr();
    req.amount = fen;
    req.total_amount = fen;
    let mut out: starpos_barcode_pay_response = zeroed();
    let st = unsafe { starpos_barcode_pay(cfg, &req, &mut out) };
    assert_eq!(
        (st, out.result as u8),
        (STARPOS_OK, b'A'),
        "{}",
        text(&out.error)
    );
    text(&out.trade_no)
}

fn revoke(cfg: &starpos_config, qry_no: &str) -> (starpos_status, starpos_revoke_response) {
    let qry_no = c(qry_no);
    let mut req: starpos_revoke_request = zeroed();
    req.qry_no = qry_no.as_ptr();
    let mut out: starpos_revoke_response = zeroed();
    let st = unsafe { starpos_revoke(cfg, &req, &mut out) };
    (st, out)
}

fn query(cfg: &starpos_config, qry_no: &str) -> starpos_query_response {
    let qry_no = c(qry_no);
    let mut req: starpos_query_request = zeroed();
    req.qry_no = qry_no.as_ptr();
    let mut out: starpos_query_response = zeroed();
    let st = unsafe { starpos_query(cfg, &req, &mut out) };
    assert_eq!(st, STARPOS_OK, "{}", text(&out.error));
    out
}

#[test]
fn a_paid_sale_revoked_queries_d_and_the_journal_and_summary_say_so() {
    let sim = sim();
    let dir = TempDir::new("revoke-paid");
    let t = till(&sim, &dir);
    let sale = waiting_sale(&t.cfg.raw, 730);
    assert!(sim.confirm(&sale), "the payer pays");
    assert_eq!(query(&t.cfg.raw, &sale).result as u8, b'S');

    let (st, out) = revoke(&t.cfg.raw, &sale);
    assert_eq!(st, STARPOS_OK, "{}", text(&out.error));
    assert_eq!(out.result as u8, b'S');
    assert!(out.verified);
    let own = text(&out.trade_no);
    assert!(
        !own.is_empty() && own != sale,
        "the revoke's own tradeNo: {own}"
    );
    assert!(!text(&out.log_no).is_empty(), "LogNo is read");
    assert_eq!((out.amount, out.total_amount), (730, 730));
    assert_eq!(text(&out.pay_channel), "WXPAY");

    // The gateway's order and the library's journal agree: revoked, not paid.
    assert_eq!(query(&t.cfg.raw, &sale).result as u8, b'D');
    assert_eq!(sim.order(&sale).unwrap().state, 'D');
    let s = t.entry(Kind::BarcodePay, &sale);
    assert_eq!((s.result, s.settled), (Some(TxnResult::Revoked), true));
    let r = t.entry(Kind::Revoke, &own);
    assert_eq!(
        (r.result, r.settled, r.amount, r.order_no.as_str()),
        (Some(TxnResult::Success), true, 730, sale.as_str())
    );
    assert_eq!(r.pay_channel, "WXPAY");
    let rows = t.client.journal_summary().unwrap();
    let paid: u64 = rows.iter().map(|r| r.paid_fen).sum();
    let revoked: u64 = rows.iter().map(|r| r.revoked_fen).sum();
    assert_eq!((paid, revoked), (0, 730));
}

/// A revoke answered `S` makes two journal writes: the sale `D`, then the revoke settled.
/// Power lost before the second (its line never reached the disk) leaves the revoke open
/// and the sale `D`, and the next start's recovery settles the revoke. In the other order
/// the cut would leave the revoke settled and the sale `S`, paid, for good.
#[test]
fn a_power_cut_between_the_revokes_two_journal_writes_loses_neither() {
    let sim = sim();
    let dir = TempDir::new("revoke-cut");
    let t = till(&sim, &dir);
    let sale = waiting_sale(&t.cfg.raw, 310);
    assert!(sim.confirm(&sale), "the payer pays");
    assert_eq!(query(&t.cfg.raw, &sale).result as u8, b'S');
    let (st, out) = revoke(&t.cfg.raw, &sale);
    assert_eq!(st, STARPOS_OK, "{}", text(&out.error));
    let own = text(&out.trade_no);

    // The journal as the disk holds it when the power goes before the last write.
    let path = dir.join("sales.journal");
    let bytes = std::fs::read(&path).unwrap();
    let body = &bytes[..bytes.len() - 1];
    let cut = body.iter().rposition(|b| *b == b'\n').unwrap() + 1;
    let lost = String::from_utf8_lossy(&bytes[cut..]).into_owned();
    assert!(
        lost.contains(&own),
        "the last write is the revoke's: {lost}"
    );
    std::fs::write(&path, &bytes[..cut]).unwrap();

    // The next start: a new client on that journal.
    let next = till(&sim, &dir);
    let s = next.entry(Kind::BarcodePay, &sale);
    assert_eq!(
        (s.result, s.settled),
        (Some(TxnResult::Revoked), true),
        "{s:?}"
    );
    assert!(
        !next.entry(Kind::Revoke, &own).settled,
        "the revoke's settling was lost"
    );
    next.client
        .recover(Duration::from_secs(10), |_| {})
        .unwrap();
    let r = next.entry(Kind::Revoke, &own);
    assert_eq!(
        (r.result, r.settled, r.amount),
        (Some(TxnResult::Success), true, 310),
        "{r:?}"
    );
    let s = next.entry(Kind::BarcodePay, &sale);
    assert_eq!(
        (s.result, s.settled),
        (Some(TxnResult::Revoked), true),
        "{s:?}"
    );
}

/// A revoke journaled when the power went, never sent: its sale still queries `S`. That is
/// "not known" evidence like a sale's refusal, so recovery settles the revoke "never arrived"
/// (nothing moved: the sale stays paid) only after three such answers over ten minutes of
/// the gateway's clock, and not before.
#[test]
fn a_revoke_that_never_left_is_settled_never_arrived_on_proof_only() {
    use starpos::journal::{Journal, DEFAULT_RETENTION};
    use starpos::Status;
    let sim = sim();
    let dir = TempDir::new("revoke-unsent");
    let t = till(&sim, &dir);
    let sale = waiting_sale(&t.cfg.raw, 55);
    assert!(sim.confirm(&sale), "the payer pays");
    assert_eq!(query(&t.cfg.raw, &sale).result as u8, b'S');
    let mut unsent = Entry::new(Kind::Revoke);
    unsent.trade_no = starpos::unversioned::clock::new_trade_no(starpos_sim::DEFAULT_TRM_NO);
    unsent.order_no = sale.clone();
    unsent.txn_time = starpos::unversioned::clock::local_txn_time();
    Journal::open(&dir.join("sales.journal"), DEFAULT_RETENTION)
        .unwrap()
        .begin(unsent.clone())
        .unwrap();

    let recover = || {
        t.client
            .recover(Duration::from_millis(1200), |_| {})
            .unwrap();
        t.entry(Kind::Revoke, &unsent.trade_no)
    };
    for _ in 0..2 {
        let r = recover();
        assert!(!r.settled, "not on this little evidence: {r:?}");
        sim.advance(Duration::from_secs(6 * 60));
    }
    let r = recover();
    assert_eq!(
        (r.settled, r.status, r.result),
        (true, Status::Gateway, None),
        "{r:?}"
    );
    assert!(r.error.contains("never arrived"), "{}", r.error);
    assert_eq!(sim.order(&sale).unwrap().state, 'S');
    let s = t.entry(Kind::BarcodePay, &sale);
    assert_eq!((s.result, s.settled), (Some(TxnResult::Success), true));
}

#[test]
fn the_request_carries_the_fields_the_spec_names() {
    let sim = sim();
    let cfg = c_config(&sim);
    let sale = waiting_sale(&cfg.raw, 5);
    let (st, out) = revoke(&cfg.raw, &sale);
    assert_eq!(st, STARPOS_OK, "{}", text(&out.error));
    let sent = sim
        .requests()
        .into_iter()
        .rev()
        .find(|r| r.endpoint == "RevokeBarcodepay")
        .expect("the revoke reached RevokeBarcodepay.json");
    let field = |name: &str| {
        sent.fields
            .get(name)
            .and_then(|v| v.as_str())
            .map(str::to_owned)
    };
    let config = sim.config();
    assert_eq!(field("qryNo").as_deref(), Some(sale.as_str()));
    assert_eq!(
        field("tradeNo").as_deref(),
        Some(text(&out.trade_no).as_str())
    );
    assert_eq!(field("orgNo").as_deref(), Some(config.org_no.as_str()));
    assert_eq!(field("mercId").as_deref(), Some(config.merc_id.as_str()));
    assert_eq!(field("trmNo").as_deref(), Some(starpos_sim::DEFAULT_TRM_NO));
    assert_eq!(field("signType").as_deref(), Some("MD5"));
    assert_eq!(field("version").as_deref(), Some("V1.0.0"));
    assert_eq!(field("opSys").as_deref(), Some("3"));
    assert_eq!(field("characterSet").as_deref(), Some("00"));
    assert_eq!(field("txnTime").map(|t| t.len()), Some(14));
    assert_eq!(field("signValue").map(|t| t.len()), Some(32));
    // Nothing else: a revoke carries no amount and no payment code.
    let mut names: Vec<&str> = sent.fields.keys().map(String::as_str).collect();
    names.sort_unstable();
    assert_eq!(
        names,
        [
            "characterSet",
            "mercId",
            "opSys",
            "orgNo",
            "qryNo",
            "signType",
            "signValue",
            "tradeNo",
            "trmNo",
            "txnTime",
            "version"
        ]
    );
}

#[test]
fn bad_input_and_refusals_move_nothing() {
    let sim = sim();
    let dir = TempDir::new("revoke-refused");
    let t = till(&sim, &dir);
    let before = sim.request_count();
    let (st, out) = revoke(&t.cfg.raw, "");
    assert_eq!(st, STARPOS_ERR_INVALID_ARGUMENT);
    assert!(
        text(&out.error).starts_with("qry_no: "),
        "{}",
        text(&out.error)
    );
    let (st, out) = revoke(&t.cfg.raw, "no such sale");
    assert_eq!(st, STARPOS_ERR_INVALID_ARGUMENT);
    assert!(
        text(&out.error).starts_with("qry_no: "),
        "{}",
        text(&out.error)
    );
    assert_eq!(sim.request_count(), before, "nothing was sent");

    // An order the gateway does not know: refused, signed and bound, nothing moved.
    let (st, out) = revoke(&t.cfg.raw, "NOSUCHSALE1");
    assert_eq!(st, STARPOS_ERR_GATEWAY, "{}", text(&out.error));
    assert!(!starpos_status_in_doubt(st as i32));
    let r = t.entry(Kind::Revoke, &text(&out.trade_no));
    assert!(r.settled && r.result.is_none(), "{r:?}");
}

#[test]
fn an_unsigned_refusal_of_a_revoke_is_in_doubt_and_the_sales_query_settles_it() {
    let sim = sim();
    let dir = TempDir::new("revoke-unsigned");
    let t = till(&sim, &dir);
    let sale = waiting_sale(&t.cfg.raw, 40);
    // The gateway revoked the sale, but what came back is an unsigned refusal (a proxy's, an
    // attacker's): it proves nothing, so it is in doubt, and the revoke stays open.
    sim.inject_for(Some("RevokeBarcodepay"), 1, Fault::UnsignedRefusal);
    let (st, out) = revoke(&t.cfg.raw, &sale);
    assert_eq!(st, STARPOS_ERR_SIGNATURE, "{}", text(&out.error));
    assert!(starpos_status_in_doubt(st as i32));
    let own = text(&out.trade_no);
    assert!(!t.entry(Kind::Revoke, &own).settled, "kept open");
    assert_eq!(
        sim.order(&sale).unwrap().state,
        'D',
        "the gateway did revoke it"
    );
    // Recovery queries the sale: D settles the revoke S and the sale D.
    let mut seen = Vec::new();
    t.client
        .recover(Duration::from_secs(10), |e| seen.push(e.clone()))
        .unwrap();
    assert!(seen.iter().any(|e| e.trade_no == own), "{seen:?}");
    let r = t.entry(Kind::Revoke, &own);
    assert_eq!(
        (r.result, r.settled, r.amount),
        (Some(TxnResult::Success), true, 40),
        "{r:?}"
    );
    let s = t.entry(Kind::BarcodePay, &sale);
    assert_eq!((s.result, s.settled), (Some(TxnResult::Revoked), true));
}

#[test]
fn a_revoke_of_a_failed_sale_settles_f_nothing_to_undo() {
    let sim = sim();
    let dir = TempDir::new("revoke-failed");
    let t = till(&sim, &dir);
    let sale = waiting_sale(&t.cfg.raw, 41);
    assert!(sim.cancel(&sale), "the payer cancels: F");
    let (st, out) = revoke(&t.cfg.raw, &sale);
    assert_eq!(st, STARPOS_OK, "{}", text(&out.error));
    assert_eq!(out.result as u8, b'F');
    let r = t.entry(Kind::Revoke, &text(&out.trade_no));
    assert_eq!((r.result, r.settled), (Some(TxnResult::Failed), true));
    assert_eq!(sim.order(&sale).unwrap().state, 'F');
}

/// A cancel handle freed when dropped.
struct Handle(*mut starpos_cancel);

impl Drop for Handle {
    fn drop(&mut self) {
        unsafe { starpos_cancel_free(self.0) };
    }
}

fn barcode_sale(
    cfg: &starpos_config,
    deadline_ms: u32,
) -> (starpos_status, starpos_query_response, String) {
    let code = c(&wechat_code('1'));
    let trade_no = c(&unique("SALE"));
    let mut req: starpos_barcode_pay_request = zeroed();
    req.auth_code = code.as_ptr();
    req.trade_no = trade_no.as_ptr();
    req.amount = 880;
    req.total_amount = 880;
    let mut out: starpos_query_response = zeroed();
    let st = unsafe { starpos_barcode_sale(cfg, &req, 100, deadline_ms, &mut out) };
    (st, out, trade_no.into_string().unwrap())
}

#[test]
fn the_closed_loop_revokes_a_sale_given_up_and_the_late_payer_is_not_charged() {
    let sim = sim();
    let dir = TempDir::new("revoke-loop");
    let mut t = till(&sim, &dir);
    // Without the flag, the sale is left in doubt at its deadline.
    let (st, _, open) = barcode_sale(&t.cfg.raw, 600);
    assert_eq!(st, STARPOS_ERR_TIMEOUT);
    assert_eq!(sim.order(&open).unwrap().state, 'A');

    t.cfg.raw.flags |= STARPOS_FLAG_REVOKE_ON_GIVE_UP;
    let (st, out, sale) = barcode_sale(&t.cfg.raw, 600);
    assert_eq!(st, STARPOS_OK, "{}", text(&out.error));
    assert_eq!(out.result as u8, b'D', "ended revoked");
    assert_eq!(text(&out.trade_no), sale);
    // The payer confirms on the phone after the till gave up: the order stays revoked.
    sim.confirm(&sale);
    let order = sim.order(&sale).unwrap();
    assert_eq!(order.state, 'D', "the payer is not charged");
    assert_eq!(query(&t.cfg.raw, &sale).result as u8, b'D');
    let s = t.entry(Kind::BarcodePay, &sale);
    assert_eq!((s.result, s.settled), (Some(TxnResult::Revoked), true));
    let revokes: Vec<Entry> = t
        .entries()
        .into_iter()
        .filter(|e| e.kind == Kind::Revoke && e.order_no == sale)
        .collect();
    assert_eq!(revokes.len(), 1);
    assert_eq!(revokes[0].result, Some(TxnResult::Success));
}

#[test]
fn the_closed_loop_closes_a_qr_order_nobody_paid() {
    let sim = sim();
    let dir = TempDir::new("revoke-qr");
    let mut t = till(&sim, &dir);
    t.cfg.raw.flags |= STARPOS_FLAG_REVOKE_ON_GIVE_UP;
    let channel = c("WXPAY");
    let mut req: starpos_qr_pay_request = zeroed();
    req.pay_channel = channel.as_ptr();
    req.amount = 660;
    req.total_amount = 660;
    let mut made: starpos_qr_pay_response = zeroed();
    let st = unsafe { starpos_qr_pay(&t.cfg.raw, &req, &mut made) };
    assert_eq!(
        (st, made.result as u8),
        (STARPOS_OK, b'S'),
        "{}",
        text(&made.error)
    );
    let trade_no = text(&made.trade_no);
    let qry_no = c(&trade_no);
    let mut out: starpos_query_response = zeroed();
    let st = unsafe { starpos_wait(&t.cfg.raw, qry_no.as_ptr(), 50, 400, &mut out) };
    assert_eq!(st, STARPOS_OK, "{}", text(&out.error));
    assert_eq!(out.result as u8, b'D', "the order is closed");
    // The payer scans the code after the till gave up: the order cannot be paid.
    assert!(!sim.confirm(&trade_no));
    assert_eq!(sim.order(&trade_no).unwrap().state, 'D');
    let q = t.entry(Kind::QrPay, &trade_no);
    assert_eq!((q.result, q.settled), (Some(TxnResult::Revoked), true));
    let rows = t.client.journal_summary().unwrap();
    assert_eq!(rows.iter().map(|r| r.paid_fen).sum::<u64>(), 0);
}

#[test]
fn the_closed_loop_revokes_after_a_cancel_too() {
    let sim = sim();
    let dir = TempDir::new("revoke-cancel");
    let mut t = till(&sim, &dir);
    t.cfg.raw.flags |= STARPOS_FLAG_REVOKE_ON_GIVE_UP;
    let handle = Handle(starpos_cancel_new());
    t.cfg.raw.cancel = handle.0;
    let ptr = AtomicPtr::new(handle.0);
    let fire = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(300));
        unsafe { starpos_cancel_request(ptr.load(Ordering::SeqCst)) };
        Instant::now()
    });
    let (st, out, sale) = barcode_sale(&t.cfg.raw, 30_000);
    let fired = fire.join().unwrap();
    assert_eq!(st, STARPOS_OK, "{}", text(&out.error));
    assert_eq!(out.result as u8, b'D');
    assert!(
        fired.elapsed() < Duration::from_secs(10),
        "ended soon after the cancel"
    );
    sim.confirm(&sale);
    assert_eq!(sim.order(&sale).unwrap().state, 'D');
}

#[test]
fn the_closed_loop_prints_the_receipt_when_the_revoke_is_refused_and_the_payer_pays() {
    // The till gives up; its revoke is refused (the sale is of yesterday by then, so it can
    // no longer be revoked: signed, bound, nothing done), and the payer confirms: the sale's
    // query says S, so the sale ends paid and the receipt prints.
    let sim = sim();
    let dir = TempDir::new("revoke-refused-paid");
    let mut t = till(&sim, &dir);
    t.cfg.raw.flags |= STARPOS_FLAG_REVOKE_ON_GIVE_UP;
    let cfg = t.cfg.raw;
    let sale_no = unique("SALE");
    let sale_c = c(&sale_no);
    let code = c(&wechat_code('1'));
    let mut req: starpos_barcode_pay_request = zeroed();
    req.auth_code = code.as_ptr();
    req.trade_no = sale_c.as_ptr();
    req.amount = 990;
    req.total_amount = 990;
    let mut out: starpos_query_response = zeroed();
    let seen = |endpoint: &str| sim.requests().iter().any(|r| r.endpoint == endpoint);
    let st = std::thread::scope(|s| {
        let payer = s.spawn(|| {
            let start = Instant::now();
            let mut advanced = false;
            while start.elapsed() < Duration::from_secs(10) {
                if !advanced && seen("sdkBarcodePay") {
                    sim.advance(Duration::from_secs(24 * 3600));
                    advanced = true;
                }
                if seen("RevokeBarcodepay") {
                    return sim.confirm(&sale_no);
                }
                std::thread::sleep(Duration::from_millis(2));
            }
            false
        });
        let st = unsafe { starpos_barcode_sale(&cfg, &req, 100, 500, &mut out) };
        assert!(
            payer.join().unwrap(),
            "the payer paid after the revoke was refused"
        );
        st
    });
    assert_eq!(st, STARPOS_OK, "{}", text(&out.error));
    assert_eq!(out.result as u8, b'S', "paid after all: the receipt prints");
    assert_eq!(sim.order(&sale_no).unwrap().state, 'S');
    let s = t.entry(Kind::BarcodePay, &sale_no);
    assert_eq!((s.result, s.settled), (Some(TxnResult::Success), true));
    let refused: Vec<Entry> = t
        .entries()
        .into_iter()
        .filter(|e| e.kind == Kind::Revoke)
        .collect();
    assert_eq!(refused.len(), 1);
    assert!(
        refused[0].settled && refused[0].result.is_none(),
        "{:?}",
        refused[0]
    );
}
