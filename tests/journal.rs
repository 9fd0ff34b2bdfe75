//! The sale journal through the client (spec: "keep the details for checking"): sales are
//! recorded before they are sent, settled when final, and recovered at start-up by queries
//! only. Through the Rust API and the C ABI, against the simulator.

mod common;

use common::*;
use starpos::ffi::*;
use starpos::journal::{Entry, Journal, Kind};
use starpos::{BarcodePayRequest, Client, PayRequest, QrPayRequest, Status, TxnResult};
use starpos_sim::{Fault, Simulator};
use std::ffi::c_void;
use std::time::Duration;

fn journaled(sim: &Simulator, path: &std::path::Path) -> Client {
    let mut c = config(sim);
    c.journal_path = Some(path.to_owned());
    c.timeouts.total = Duration::from_secs(1);
    Client::new(c).unwrap()
}

fn barcode(code: &str) -> BarcodePayRequest<'_> {
    BarcodePayRequest {
        auth_code: code,
        amount: 66,
        total_amount: 66,
        sel_order_no: Some("SO-66"),
        ..Default::default()
    }
}

fn entry_of(client: &Client, trade_no: &str) -> Entry {
    client
        .journal_entries()
        .unwrap()
        .into_iter()
        .find(|e| e.trade_no == trade_no)
        .expect("journaled")
}

#[test]
fn sales_are_recorded_and_settled_when_final() {
    let sim = sim();
    let dir = TempDir::new("journal-settle");
    let client = journaled(&sim, &dir.join("sales.journal"));
    let code = wechat_code('0');
    let paid = client.barcode_pay(&barcode(&code)).unwrap();
    let e = entry_of(&client, &paid.trade_no);
    assert_eq!(
        (e.kind, e.status, e.result, e.settled),
        (Kind::BarcodePay, Status::Ok, Some(TxnResult::Success), true)
    );
    assert_eq!(
        (e.amount, e.total_amount, e.sel_order_no.as_str()),
        (66, 66, "SO-66")
    );
    assert_eq!(e.log_no, paid.log_no);
    assert_eq!(e.order_no, paid.order_no);

    // A QR order is open until a query finds it final.
    let qr = client
        .qr_pay(&QrPayRequest {
            pay_channel: "WXPAY",
            amount: 5,
            total_amount: 5,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(qr.result, Some(TxnResult::Success), "the order was made");
    let e = entry_of(&client, &qr.trade_no);
    assert!(!e.settled && e.status.in_doubt(), "{e:?}");
    // Nobody adding up the journal's S entries counts an order the payer has not paid.
    assert_eq!(e.result, None, "{e:?}");
    assert!(e.error.contains("QR order made"), "{e:?}");
    assert!(sim.confirm(&qr.trade_no));
    client
        .wait(
            &qr.trade_no,
            Duration::from_millis(10),
            Duration::from_secs(2),
        )
        .unwrap();
    let e = entry_of(&client, &qr.trade_no);
    assert_eq!(
        (e.status, e.result, e.settled),
        (Status::Ok, Some(TxnResult::Success), true)
    );

    // A refund too, with the order it refunds.
    let refund = client
        .refund(&starpos::RefundRequest {
            order_no: &paid.order_no,
            txn_amt: 10,
            ..Default::default()
        })
        .unwrap();
    let e = entry_of(&client, &refund.trade_no);
    assert_eq!(
        (e.kind, e.amount, e.order_no.as_str(), e.settled),
        (Kind::Refund, 10, paid.order_no.as_str(), true)
    );
    // A refund of all that remained (no txnAmt sent) is recorded with what it gave back.
    let rest = client
        .refund(&starpos::RefundRequest {
            order_no: &paid.order_no,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(rest.txn_amt, 56, "66 paid, 10 refunded before");
    let e = entry_of(&client, &rest.trade_no);
    assert_eq!((e.kind, e.amount, e.settled), (Kind::Refund, 56, true));

    // The file holds no secret: not the payment code, not the key.
    let text = std::fs::read_to_string(dir.join("sales.journal")).unwrap();
    assert!(!text.contains(&code), "the payment code is never journaled");
    assert!(!text.contains(starpos_sim::DEFAULT_KEY));
}

#[test]
fn a_sale_that_cannot_be_recorded_is_not_sent() {
    let sim = sim();
    let dir = TempDir::new("journal-unwritable");
    // The journal's path is a directory: it cannot be opened as a file.
    let client = journaled(&sim, &dir.0);
    let code = wechat_code('0');
    let e = client.barcode_pay(&barcode(&code)).unwrap_err();
    assert_eq!(e.status(), Status::Journal, "{e}");
    assert!(!e.in_doubt());
    assert!(e.detail().contains("not sent"), "{e}");
    assert_eq!(sim.request_count(), 0, "nothing was sent");
}

#[test]
fn recovery_queries_what_a_lost_answer_left_open_and_reports_it_once() {
    let sim = sim();
    let dir = TempDir::new("journal-recover");
    let client = journaled(&sim, &dir.join("sales.journal"));
    sim.inject_for(Some("sdkBarcodePay"), 1, Fault::NeverAnswer);
    let code = wechat_code('0');
    let e = client.barcode_pay(&barcode(&code)).unwrap_err();
    assert_eq!(e.status(), Status::Timeout);
    let trade_no = e.trade_no().unwrap().to_owned();
    assert!(!entry_of(&client, &trade_no).settled);

    // "The next start": a new client on the same file.
    let after = journaled(&sim, &dir.join("sales.journal"));
    let mut reported = Vec::new();
    let n = after
        .recover(Duration::from_secs(3), |e| reported.push(e.clone()))
        .unwrap();
    assert_eq!(n, 1);
    assert_eq!(reported[0].trade_no, trade_no);
    assert_eq!(
        (reported[0].status, reported[0].result, reported[0].settled),
        (Status::Ok, Some(TxnResult::Success), true)
    );
    assert_eq!(
        sim.order(&trade_no).unwrap().auth_code_pays,
        1,
        "recovery never pays"
    );
    let n = after
        .recover(Duration::from_secs(3), |e| panic!("reported again: {e:?}"))
        .unwrap();
    assert_eq!(n, 0);
}

#[test]
fn a_lost_pubsigpay_answer_is_reported_in_doubt_with_the_reason_and_settled() {
    let sim = sim();
    let dir = TempDir::new("journal-pubsig");
    let client = journaled(&sim, &dir.join("sales.journal"));
    sim.inject_for(Some("pubSigPay"), 1, Fault::NeverAnswer);
    let code = unique("code");
    let e = client
        .pay(&PayRequest {
            code: Some(&code),
            amount: 9,
            total_amount: 9,
            ..Default::default()
        })
        .unwrap_err();
    assert!(e.in_doubt());
    let mut reported = Vec::new();
    client
        .recover(Duration::from_secs(1), |e| reported.push(e.clone()))
        .unwrap();
    assert_eq!(reported.len(), 1);
    let r = &reported[0];
    assert_eq!(r.kind, Kind::Pay);
    assert!(r.status.in_doubt() && r.settled, "{r:?}");
    assert!(r.error.contains("no money can move"), "{}", r.error);
    assert!(!std::fs::read_to_string(dir.join("sales.journal"))
        .unwrap()
        .contains(&code));
}

/// Records a sale that was never sent (the process died before its first byte left).
fn never_sent(journal: &Journal, id: &str, trade_no: &str) -> Entry {
    let mut entry = Entry::new(Kind::BarcodePay);
    entry.id = id.into();
    entry.trade_no = trade_no.into();
    entry.amount = 1;
    entry.total_amount = 1;
    journal.update(&entry).unwrap();
    entry
}

#[test]
fn a_sale_the_gateway_never_saw_is_settled_only_on_ten_minutes_of_its_clock() {
    let sim = sim();
    let dir = TempDir::new("journal-never");
    let path = dir.join("sales.journal");
    let journal = Journal::open(&path, Duration::from_secs(3600)).unwrap();
    // Recorded "eleven minutes ago" by the terminal's clock: the wall clock proves nothing.
    let mut old = never_sent(&journal, "old-never-sent", &unique("NEVERSENT"));
    let now_ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as u64;
    old.created_unix_ms = now_ms - 11 * 60 * 1000;
    journal.update(&old).unwrap();
    let client = journaled(&sim, &path);
    let recover = |ms| {
        let mut reported = Vec::new();
        client
            .recover(Duration::from_millis(ms), |e| reported.push(e.clone()))
            .unwrap();
        assert_eq!(reported.len(), 1, "{reported:?}");
        reported.remove(0)
    };
    // Refused (signed, bound "order not found") several times, but within seconds of the
    // gateway's clock: evidence, not proof. It stays open.
    let first = recover(1600);
    assert!(first.status.in_doubt() && !first.settled, "{first:?}");
    assert!(first.not_found >= 3, "{first:?}");
    assert!(!first.not_found_since.is_empty(), "{first:?}");
    assert!(first.error.contains("10 minutes"), "{}", first.error);
    // Ten minutes later on the gateway's clock, the gateway still does not know it: proof.
    sim.advance(Duration::from_secs(10 * 60 + 1));
    let later = recover(2000);
    assert_eq!(
        (later.status, later.settled),
        (Status::Gateway, true),
        "{later:?}"
    );
    assert!(later.error.contains("never arrived"), "{}", later.error);
    assert!(
        later.error.contains(&first.not_found_since),
        "{}",
        later.error
    );
    assert!(later.result.is_none());
}

#[test]
fn a_sale_that_had_an_answer_is_never_settled_as_never_arrived() {
    let sim = sim();
    let dir = TempDir::new("journal-answered");
    let path = dir.join("sales.journal");
    let journal = Journal::open(&path, Duration::from_secs(3600)).unwrap();
    // Answered A (its logNo known), then the terminal lost power; the gateway refuses every
    // query of it (here: it never heard of the tradeNo at all, the worst case).
    let mut answered = never_sent(&journal, "answered-a", &unique("ANSWERED"));
    answered.log_no = "202612020000000001".into();
    answered.result = Some(TxnResult::Waiting);
    journal.update(&answered).unwrap();
    let client = journaled(&sim, &path);
    let mut last = None;
    for pass in 1..=3 {
        sim.advance(Duration::from_secs(11 * 60));
        let mut reported = Vec::new();
        client
            .recover(Duration::from_millis(700), |e| reported.push(e.clone()))
            .unwrap();
        let r = reported.remove(0);
        assert!(!r.settled && r.status.in_doubt(), "pass {pass}: {r:?}");
        assert!(r.error.contains("arrived"), "{}", r.error);
        assert_eq!(r.recoveries, pass);
        assert_eq!(r.attention, pass >= 3, "pass {pass}: {r:?}");
        last = Some(r);
    }
    let last = last.unwrap();
    assert!(last.error.starts_with("needs a person"), "{}", last.error);
    assert!(!last.sys_time.is_empty(), "the gateway's clock is recorded");
}

unsafe extern "C" fn collect(entry: *const starpos_journal_entry, userdata: *mut c_void) {
    let seen = &mut *(userdata as *mut Vec<(String, String, starpos_status, u8, bool)>);
    let e = &*entry;
    seen.push((
        text(&e.kind),
        text(&e.trade_no),
        e.status,
        e.result as u8,
        e.settled,
    ));
}

#[test]
fn recover_and_list_through_the_c_abi() {
    let sim = sim();
    let dir = TempDir::new("journal-c");
    let path = c(dir.join("sales.journal").to_str().unwrap());
    let mut cfg = c_config(&sim);
    cfg.raw.journal_path = path.as_ptr();
    cfg.raw.timeout_ms = 1000;
    sim.inject_for(Some("sdkBarcodePay"), 1, Fault::NeverAnswer);
    let code = c(&wechat_code('3'));
    let mut req: starpos_barcode_pay_request = zeroed();
    req.auth_code = code.as_ptr();
    req.amount = 3;
    req.total_amount = 3;
    let mut out: starpos_barcode_pay_response = zeroed();
    let st = unsafe { starpos_barcode_pay(&cfg.raw, &req, &mut out) };
    assert_eq!(st, starpos_status::STARPOS_ERR_TIMEOUT);
    let trade_no = text(&out.trade_no);

    let mut seen: Vec<(String, String, starpos_status, u8, bool)> = Vec::new();
    let st = unsafe {
        starpos_recover(
            &cfg.raw,
            2000,
            Some(collect),
            &mut seen as *mut _ as *mut c_void,
        )
    };
    assert_eq!(st, starpos_status::STARPOS_OK);
    assert_eq!(
        seen,
        [(
            "barcode_pay".to_owned(),
            trade_no.clone(),
            starpos_status::STARPOS_OK,
            b'S',
            true
        )]
    );

    let mut listed: Vec<(String, String, starpos_status, u8, bool)> = Vec::new();
    let st = unsafe {
        starpos_journal_list(
            &cfg.raw,
            Some(collect),
            &mut listed as *mut _ as *mut c_void,
        )
    };
    assert_eq!(st, starpos_status::STARPOS_OK);
    assert_eq!(listed, seen);

    // No journal configured, or no callback: INVALID_ARGUMENT naming it.
    cfg.raw.journal_path = std::ptr::null();
    let st = unsafe { starpos_recover(&cfg.raw, 0, None, std::ptr::null_mut()) };
    assert_eq!(st, starpos_status::STARPOS_ERR_INVALID_ARGUMENT);
    assert!(static_text(starpos_last_error()).starts_with("journal_path: "));
    cfg.raw.journal_path = path.as_ptr();
    let st = unsafe { starpos_journal_list(&cfg.raw, None, std::ptr::null_mut()) };
    assert_eq!(st, starpos_status::STARPOS_ERR_INVALID_ARGUMENT);
    assert!(static_text(starpos_last_error()).starts_with("callback: "));
}

/// Holds an exclusive `flock` on the journal's `<path>.lock` through a descriptor of its own,
/// as another process would, until dropped.
struct OtherHolder {
    _file: std::fs::File,
}

impl OtherHolder {
    fn lock(journal: &std::path::Path) -> OtherHolder {
        use std::os::fd::AsRawFd;
        let mut lock_path = journal.as_os_str().to_owned();
        lock_path.push(".lock");
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(lock_path)
            .unwrap();
        // SAFETY: flock on a descriptor this File owns.
        assert_eq!(unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX) }, 0);
        OtherHolder { _file: file }
    }
}

#[test]
fn a_journal_held_by_another_process_is_waited_for_then_refused_before_sending() {
    let sim = sim();
    let dir = TempDir::new("journal-locked");
    let path = dir.join("sales.journal");
    let client = journaled(&sim, &path);
    let code = wechat_code('0');

    // Held for a moment (another process appending): the sale waits, then goes through.
    let holder = OtherHolder::lock(&path);
    let sale = std::thread::scope(|s| {
        let selling = s.spawn(|| client.barcode_pay(&barcode(&code)));
        std::thread::sleep(Duration::from_millis(300)); // the other process's turn
        assert_eq!(
            sim.request_count(),
            0,
            "nothing sent while the journal is held"
        );
        drop(holder);
        selling.join().unwrap()
    });
    let paid = sale.expect("the lock was released within the wait");
    assert!(entry_of(&client, &paid.trade_no).settled);
    let sent = sim.request_count();

    // Held for good (a stuck process): after the documented 10 s the sale fails, nothing is
    // sent, and the error names the lock file and what to do.
    let _stuck = OtherHolder::lock(&path);
    let code = wechat_code('0');
    let e = client.barcode_pay(&barcode(&code)).unwrap_err();
    assert_eq!(e.status(), Status::Journal, "{e}");
    assert!(!e.in_doubt(), "nothing was sent: {e}");
    let detail = e.detail();
    assert!(detail.contains("more than 10 s"), "{detail}");
    assert!(detail.contains("sales.journal.lock"), "{detail}");
    assert!(detail.contains("end it"), "says what to do: {detail}");
    assert_eq!(sim.request_count(), sent, "nothing was sent");
}

unsafe extern "C" fn collect_rows(row: *const starpos_summary_row, userdata: *mut c_void) {
    let rows = &mut *(userdata as *mut Vec<(String, String, u32, u64, u64, u64, u32)>);
    let r = &*row;
    rows.push((
        text(&r.kind),
        text(&r.pay_channel),
        r.count,
        r.paid_fen,
        r.refunded_fen,
        r.revoked_fen,
        r.open,
    ));
}

unsafe extern "C" fn collect_channels(entry: *const starpos_journal_entry, userdata: *mut c_void) {
    let seen = &mut *(userdata as *mut Vec<(String, String, String)>);
    let e = &*entry;
    seen.push((text(&e.trade_no), text(&e.pay_channel), text(&e.opr_id)));
}

#[test]
fn the_day_closes_with_a_summary_per_kind_and_channel() {
    let sim = sim();
    let dir = TempDir::new("journal-summary");
    let path = dir.join("sales.journal");
    let mut c = config(&sim);
    c.journal_path = Some(path.clone());
    c.opr_id = "c01".into();
    let client = Client::new(c).unwrap();

    let wx = client.barcode_pay(&barcode(&wechat_code('0'))).unwrap();
    let alipay_code = payment_code("28", 18, '0');
    let ali = client.barcode_pay(&barcode(&alipay_code)).unwrap();
    let refused_code = wechat_code('2');
    let failed = client.barcode_pay(&barcode(&refused_code)).unwrap();
    assert_eq!(failed.result, Some(TxnResult::Failed));
    let qr = client
        .qr_pay(&QrPayRequest {
            pay_channel: "YLPAY",
            amount: 5,
            total_amount: 5,
            ..Default::default()
        })
        .unwrap();
    let refund = client
        .refund(&starpos::RefundRequest {
            order_no: &wx.order_no,
            txn_amt: 10,
            ..Default::default()
        })
        .unwrap();

    // Each entry has its channel (a refund: the order's) and the configured cashier.
    for (trade_no, channel) in [
        (&wx.trade_no, "WXPAY"),
        (&ali.trade_no, "ALIPAY"),
        (&failed.trade_no, "WXPAY"),
        (&qr.trade_no, "YLPAY"),
        (&refund.trade_no, "WXPAY"),
    ] {
        let e = entry_of(&client, trade_no);
        assert_eq!(
            (e.pay_channel.as_str(), e.opr_id.as_str()),
            (channel, "c01"),
            "{e:?}"
        );
    }

    let rows: Vec<_> = client
        .journal_summary()
        .unwrap()
        .into_iter()
        .map(|r| {
            let key = (r.kind, r.pay_channel.clone());
            (key, r.count, r.paid_fen, r.refunded_fen, r.open)
        })
        .collect();
    assert_eq!(
        rows,
        [
            ((Kind::BarcodePay, "ALIPAY".into()), 1, 66, 0, vec![]),
            ((Kind::BarcodePay, "WXPAY".into()), 2, 66, 0, vec![]),
            // The QR order was made, not paid: open, nothing paid.
            (
                (Kind::QrPay, "YLPAY".into()),
                1,
                0,
                0,
                vec![qr.trade_no.clone()]
            ),
            ((Kind::Refund, "WXPAY".into()), 1, 0, 10, vec![]),
        ]
    );

    // The same through the C ABI.
    let path_c = common::c(path.to_str().unwrap());
    let mut cfg = c_config(&sim);
    cfg.raw.journal_path = path_c.as_ptr();
    let mut c_rows: Vec<(String, String, u32, u64, u64, u64, u32)> = Vec::new();
    let st = unsafe {
        starpos_journal_summary(
            &cfg.raw,
            Some(collect_rows),
            &mut c_rows as *mut _ as *mut c_void,
        )
    };
    assert_eq!(st, starpos_status::STARPOS_OK);
    let row = |k: &str, ch: &str, n, paid, refunded, open| {
        (k.to_owned(), ch.to_owned(), n, paid, refunded, 0, open)
    };
    assert_eq!(
        c_rows,
        [
            row("barcode_pay", "ALIPAY", 1, 66, 0, 0),
            row("barcode_pay", "WXPAY", 2, 66, 0, 0),
            row("qr_pay", "YLPAY", 1, 0, 0, 1),
            row("refund", "WXPAY", 1, 0, 10, 0),
        ]
    );
    let mut listed: Vec<(String, String, String)> = Vec::new();
    let st = unsafe {
        starpos_journal_list(
            &cfg.raw,
            Some(collect_channels),
            &mut listed as *mut _ as *mut c_void,
        )
    };
    assert_eq!(st, starpos_status::STARPOS_OK);
    assert_eq!(
        listed[0],
        (wx.trade_no.clone(), "WXPAY".to_owned(), "c01".to_owned())
    );
    assert_eq!(listed[4].1, "WXPAY", "the refund's channel is the order's");

    // No callback, no journal: INVALID_ARGUMENT naming it.
    let st = unsafe { starpos_journal_summary(&cfg.raw, None, std::ptr::null_mut()) };
    assert_eq!(st, starpos_status::STARPOS_ERR_INVALID_ARGUMENT);
    assert!(static_text(starpos_last_error()).starts_with("callback: "));
    cfg.raw.journal_path = std::ptr::null();
    let st = unsafe {
        starpos_journal_summary(
            &cfg.raw,
            Some(collect_rows),
            &mut c_rows as *mut _ as *mut c_void,
        )
    };
    assert_eq!(st, starpos_status::STARPOS_ERR_INVALID_ARGUMENT);
    assert!(static_text(starpos_last_error()).starts_with("journal_path: "));
}
