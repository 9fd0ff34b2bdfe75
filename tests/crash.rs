//! The journal under SIGKILL (a power cut as far as the process can tell): a child process
//! runs barcode and QR sales, refunds and revokes against the simulator with a journal, in a
//! loop (every other QR order is never scanned: its wait gives up and the closed loop
//! revokes it; now and then a child starts by revoking a paid sale of an earlier one), and
//! is killed at random moments — some while the simulator holds the answer, some in the middle
//! of a journal write — and after each kill a recovery process runs `recover` on the journal.
//! The simulator's book is the truth.
//!
//! What goes wrong, at random (reproducibly from the kill count):
//!
//! - the answer held (`delay`) while the kill comes, or never sent (`never_answer`), on the
//!   pays, the QR pays, the refunds and the revokes;
//! - stale refusals on the pays, refunds and revokes: signed but without the `tradeNo`
//!   (`unbound_refusal`), and unsigned (`unsigned_refusal`) — neither may settle anything;
//! - on the queries (the child's own and the recoveries'): the gateway's signed, bound
//!   "busy" (`busy`, sometimes for whole spells of recoveries), and stale refusals;
//! - restarts that come "11 minutes later": the terminal's wall clock moved ahead (the child
//!   and the recovery run with the clock shim, `tests/shim/clock_shim.c`, preloaded, and the
//!   recovery's clock is checked to read what it should), the gateway's clock moved ahead
//!   (`Simulator::advance`: its `sysTime`, QR expiry), or both.
//!
//! The loop ends with two more recoveries ten minutes of the gateway's clock apart (no
//! faults), and asserts:
//!
//! - **no sale, refund or revoke reported or journaled "no money moved"** (settled with a
//!   status other than OK: a refusal, GATEWAY "never arrived", CONNECT, JOURNAL) **that the
//!   simulator shows paid (also if revoked since), booked as a refund, or revoked**, whoever
//!   said it: the child, a recovery, the journal;
//! - every order the simulator holds was journaled before it was sent, and is settled there
//!   with the simulator's final state; every refund it booked is journaled and settled `S`
//!   with its amount; every revoke it carried out is journaled and settled `S`, its sale `D`;
//!   everything the child or a recovery reported final is the simulator's;
//! - every sale and refund of the journal is settled at the end (what never arrived, on proof);
//! - no payment code was sent twice; no recovery ever failed to read the journal.
//!
//! `cargo test` runs a short loop (`crash_loop_short`); `.ci/run` runs `crash_loop_long`
//! (ignored here) with 200 kills, `STARPOS_CRASH_KILLS` to change that, and
//! `STARPOS_CRASH_LATER_MIN` for late restarts more than 11 minutes later ([`later`]).

mod common;

use common::*;
use starpos::journal::{Entry, Kind};
use starpos::{
    BarcodePayRequest, Client, QrPayRequest, RefundRequest, RevokeRequest, Status, TxnResult,
};
use starpos_sim::{Fault, OrderKind, SimConfig, Simulator};
use std::collections::{HashMap, HashSet};
use std::io::{Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The child's role: `sales` (until killed) or `recover` (one recovery, then exit).
const ROLE: &str = "STARPOS_CRASH_CHILD";
const URL: &str = "STARPOS_CRASH_URL";
const JOURNAL: &str = "STARPOS_CRASH_JOURNAL";
/// `<orderNo> <fen>`: a paid order the sales child refunds first.
const REFUND: &str = "STARPOS_CRASH_REFUND";
/// `<tradeNo>`: a paid sale the sales child revokes first.
const REVOKE: &str = "STARPOS_CRASH_REVOKE";
/// The recovery's deadline, ms.
const DEADLINE: &str = "STARPOS_CRASH_DEADLINE_MS";

/// "11 minutes later": past the ten minutes of the gateway's clock that "never arrived"
/// needs (`starpos::journal::NEVER_ARRIVED_SPAN_SECS`).
const LATER: Duration = Duration::from_secs(11 * 60);

/// How much later a late restart comes: [`LATER`], or `STARPOS_CRASH_LATER_MIN` minutes (at
/// least 11; hours cross the China day, so a revoke of yesterday's sale is refused). Keep
/// kills × minutes ÷ 2 well under the journal's 7-day retention (the terminal's clock moves
/// on half the late restarts), or settled sales are compacted away before the end's checks.
fn later() -> Duration {
    std::env::var("STARPOS_CRASH_LATER_MIN")
        .ok()
        .and_then(|m| m.parse::<u64>().ok())
        .map_or(LATER, |minutes| Duration::from_secs(minutes.max(11) * 60))
}

fn client(base_url: &str, journal: &Path) -> Client {
    let mut c = starpos::Config::new(
        starpos_sim::DEFAULT_ORG_NO,
        starpos_sim::DEFAULT_MERC_ID,
        starpos_sim::DEFAULT_TRM_NO,
        starpos_sim::DEFAULT_KEY,
    )
    .with_base_url(base_url)
    .with_timeouts(Duration::from_secs(1), Duration::from_millis(400));
    c.journal_path = Some(journal.to_owned());
    // A QR order the payer does not scan in time is revoked (the closed loop).
    c.revoke_on_give_up = true;
    Client::new(c).expect("a valid configuration")
}

fn unix_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// One line for the parent, flushed at once (the kill may come next).
fn say(out: &mut std::io::Stdout, line: std::fmt::Arguments<'_>) {
    let _ = writeln!(out, "\n{line}");
    let _ = out.flush();
}

/// What the caller was told of a failed call: `NOTHING` when it says no money moved.
fn failed(out: &mut std::io::Stdout, e: &starpos::Error, trade_no: Option<&str>) {
    if let (false, Some(trade_no)) = (e.in_doubt(), trade_no.or(e.trade_no())) {
        say(
            out,
            format_args!("NOTHING {trade_no} {}", e.status().name()),
        );
    }
}

/// A refund of `fen` of `order_no`: `FINAL <tradeNo> <result>` or `NOTHING <tradeNo>`.
fn refund(client: &Client, out: &mut std::io::Stdout, order_no: &str, fen: u64) {
    match client.refund(&RefundRequest {
        order_no,
        txn_amt: fen,
        ..Default::default()
    }) {
        Ok(done) => {
            let result = done.result.map_or('-', |r| r.as_char());
            say(out, format_args!("FINAL {} {result}", done.trade_no));
        }
        Err(e) => failed(out, &e, None),
    }
}

/// A revoke of the sale `trade_no`: `FINAL <tradeNo> <result>` or `NOTHING <tradeNo>`.
fn revoke(client: &Client, out: &mut std::io::Stdout, trade_no: &str) {
    match client.revoke(&RevokeRequest {
        qry_no: trade_no,
        ..Default::default()
    }) {
        Ok(done) => {
            let result = done.result.map_or('-', |r| r.as_char());
            say(out, format_args!("FINAL {} {result}", done.trade_no));
        }
        Err(e) => failed(out, &e, None),
    }
}

/// The sales child: sales (and refunds of what it sold) until killed, printing `FINAL
/// <tradeNo> <result>` for each it saw end and `NOTHING <tradeNo> <status>` for each it was
/// told moved no money.
fn sales_child(base_url: &str, journal: &Path) -> ! {
    let client = client(base_url, journal);
    let control = base_url.trim_end_matches("adpweb/ehpspos3/").to_owned();
    let fast = Duration::from_millis(20);
    let mut out = std::io::stdout();
    if let Some((order_no, fen)) = std::env::var(REFUND)
        .ok()
        .as_deref()
        .and_then(|v| v.split_once(' '))
        .map(|(o, f)| (o.to_owned(), f.parse().unwrap_or(0)))
    {
        refund(&client, &mut out, &order_no, fen);
    }
    if let Ok(trade_no) = std::env::var(REVOKE) {
        revoke(&client, &mut out, &trade_no);
    }
    let mut paid: Option<(String, u64)> = None;
    for n in 0u64.. {
        if n % 3 == 2 {
            // Half of the last order this child saw paid, given back.
            if let Some((order_no, amount)) = paid.take() {
                refund(&client, &mut out, &order_no, amount / 2);
            }
            continue;
        }
        let done = if n % 3 == 0 {
            // A payer who pays at once, one who is refused, one answered Z but paid.
            let last = ['0', '2', '3'][(n / 3 % 3) as usize];
            let code = wechat_code(last);
            let request = BarcodePayRequest {
                auth_code: &code,
                amount: 10 + n,
                total_amount: 10 + n,
                ..Default::default()
            };
            client
                .barcode_sale(&request, fast, Duration::from_secs(1))
                .map_err(|w| failed(&mut out, &w.error, None))
                .ok()
        } else {
            let made = client.qr_pay(&QrPayRequest {
                pay_channel: "WXPAY",
                amount: 20 + n,
                total_amount: 20 + n,
                ..Default::default()
            });
            // Every other QR order is never scanned: the wait gives up, and the order is
            // revoked so that a late scan cannot pay it (the closed loop).
            let scanned = n / 3 % 2 == 0;
            let deadline = Duration::from_millis(if scanned { 1000 } else { 60 });
            match made {
                Ok(made) => {
                    if scanned {
                        confirm(&control, &made.trade_no);
                    }
                    client
                        .wait(&made.trade_no, fast, deadline)
                        .map_err(|w| failed(&mut out, &w.error, Some(&made.trade_no)))
                        .ok()
                        .map(|mut d| {
                            d.trade_no = made.trade_no;
                            d
                        })
                }
                Err(e) => {
                    failed(&mut out, &e, None);
                    None
                }
            }
        };
        if let Some(done) = done {
            let result = done.result.map_or('-', |r| r.as_char());
            say(&mut out, format_args!("FINAL {} {result}", done.trade_no));
            if done.result == Some(TxnResult::Success) && done.amount >= 2 {
                paid = Some((done.order_no.clone(), done.amount));
            }
        }
    }
    unreachable!()
}

/// The recovery child: one `recover`, printing `NOW <unix secs>` (its wall clock) and
/// `ENTRY <tradeNo> <status> <settled 0/1> <result>` for each sale it reported.
fn recover_child(base_url: &str, journal: &Path) -> ! {
    let deadline: u64 = std::env::var(DEADLINE).unwrap().parse().unwrap();
    let mut out = std::io::stdout();
    say(&mut out, format_args!("NOW {}", unix_secs()));
    let reported = client(base_url, journal).recover(Duration::from_millis(deadline), |e| {
        say(
            &mut out,
            format_args!(
                "ENTRY {} {} {} {}",
                e.trade_no,
                e.status.name(),
                u8::from(e.settled),
                e.result.map_or('-', TxnResult::as_char)
            ),
        );
    });
    match reported {
        Ok(_) => say(&mut out, format_args!("RECOVERED")),
        Err(e) => say(&mut out, format_args!("UNREADABLE {e}")),
    }
    std::process::exit(0)
}

/// The payer scans the QR code: `POST /_sim/confirm {"no": ...}`.
fn confirm(control_url: &str, no: &str) {
    let rest = control_url.trim_start_matches("http://");
    let (host, _) = rest.split_once('/').unwrap_or((rest, ""));
    let Ok(mut stream) = std::net::TcpStream::connect(host) else {
        return;
    };
    let body = format!(r#"{{"no":"{no}"}}"#);
    let _ = write!(
        stream,
        "POST /_sim/confirm HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
}

/// A small deterministic generator (the kill moments are reproducible from the count).
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }

    fn pick<T: Copy>(&mut self, from: &[T]) -> T {
        from[self.below(from.len() as u64) as usize]
    }
}

const PAYS: [&str; 4] = [
    "sdkBarcodePay",
    "sdkBarcodePosPay",
    "sdkRefundBarcodePay",
    "RevokeBarcodepay",
];
const QUERY: &str = "sdkQryBarcodePay";

/// What the child, the recoveries and the journal said, to hold against the simulator.
#[derive(Default)]
struct Said {
    /// `tradeNo` → the final result someone reported, and who.
    finals: HashMap<String, (char, String)>,
    /// `tradeNo` → who said no money moved for it, and with which status.
    nothing: HashMap<String, String>,
}

impl Said {
    fn final_result(&mut self, trade_no: &str, result: char, who: &str) {
        if let Some((before, first)) = self.finals.get(trade_no) {
            assert_eq!(
                *before, result,
                "{who} contradicts {first}'s report for {trade_no}"
            );
        } else {
            self.finals
                .insert(trade_no.to_owned(), (result, who.to_owned()));
        }
    }

    fn nothing_moved(&mut self, trade_no: &str, status: &str, who: &str) {
        self.nothing
            .entry(trade_no.to_owned())
            .or_insert_with(|| format!("{who} ({status})"));
    }

    /// Reads a child's `FINAL`, `NOTHING` and `ENTRY` lines.
    fn read(&mut self, printed: &str, who: &str) {
        for line in printed.lines() {
            let words: Vec<&str> = line.split_whitespace().collect();
            match words.as_slice() {
                ["FINAL", trade_no, result] => {
                    self.final_result(trade_no, result.chars().next().unwrap(), who)
                }
                ["NOTHING", trade_no, status] => self.nothing_moved(trade_no, status, who),
                ["ENTRY", trade_no, status, settled, result] => {
                    if *status == "OK" {
                        self.final_result(trade_no, result.chars().next().unwrap(), who);
                    } else if *settled == "1" {
                        self.nothing_moved(trade_no, status, who);
                    }
                }
                _ => {}
            }
        }
    }
}

/// One recovery in a child process whose wall clock is `wall_offset` ahead, reported into
/// `said`; the child's clock is checked to be what the shim was told.
fn recover_in_child(
    sim: &Simulator,
    journal: &Path,
    test: &str,
    wall_offset: Duration,
    deadline: Duration,
    said: &mut Said,
    who: &str,
) {
    let mut cmd = Command::new(std::env::current_exe().unwrap());
    cmd.args([test, "--exact", "--nocapture", "--test-threads=1"])
        .arg("--include-ignored")
        .env(ROLE, "recover")
        .env(URL, sim.base_url())
        .env(JOURNAL, journal)
        .env(DEADLINE, deadline.as_millis().to_string());
    clock_shim::offset(&mut cmd, wall_offset.as_secs() as i64);
    let before = unix_secs();
    let run = process::run(cmd);
    assert!(
        run.code == Some(0) && run.stdout.contains("\nRECOVERED"),
        "{who} could not read the journal: {}",
        run.describe()
    );
    let now: u64 = run
        .stdout
        .lines()
        .find_map(|l| l.strip_prefix("NOW "))
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{who} printed no clock: {}", run.describe()));
    let expected = before + wall_offset.as_secs();
    assert!(
        now.abs_diff(expected) <= 30,
        "{who}: its wall clock reads {now}, not {expected}: the clock shim did not work"
    );
    said.read(&run.stdout, who);
}

fn crash_loop(kills: u64) {
    match (
        std::env::var(ROLE).as_deref(),
        std::env::var(URL),
        std::env::var_os(JOURNAL),
    ) {
        (Ok("sales"), Ok(url), Some(journal)) => sales_child(&url, Path::new(&journal)),
        (Ok("recover"), Ok(url), Some(journal)) => recover_child(&url, Path::new(&journal)),
        _ => {}
    }
    let sim = Simulator::start(SimConfig::default()).unwrap();
    let dir = TempDir::new("crash");
    let journal = dir.join("sales.journal");
    let test = std::thread::current()
        .name()
        .unwrap_or("crash_loop")
        .to_owned();
    let mut said = Said::default();
    let mut random = Lcg(kills);
    // How far the terminal's wall clock runs ahead of the real one.
    let mut wall_offset = Duration::ZERO;
    let mut refunded: HashSet<String> = HashSet::new();
    // Recoveries left in a spell of a gateway too busy to answer any query.
    let mut busy_spell = 0u64;
    let mut jumps = [0u32; 4];
    for kill in 0..kills {
        // What goes wrong while the child sells.
        if kill % 4 == 1 {
            // The answer is held: the kill comes while the child waits for it.
            let endpoint =
                random.pick(&["sdkBarcodePay", "sdkBarcodePosPay", QUERY, PAYS[2], PAYS[3]]);
            sim.inject_for(Some(endpoint), 1, Fault::Delay { ms: 300 });
        } else {
            match random.below(8) {
                0 => sim.inject_for(Some(random.pick(&PAYS)), 1, Fault::NeverAnswer),
                1 => sim.inject_for(Some(random.pick(&PAYS)), 1, Fault::UnsignedRefusal),
                2 => sim.inject_for(Some(random.pick(&PAYS)), 1, Fault::UnboundRefusal),
                3 => sim.inject_for(Some(QUERY), 1 + random.below(3) as usize, Fault::Busy),
                4 => sim.inject_for(Some(QUERY), 1, Fault::UnboundRefusal),
                5 => sim.inject_for(Some(QUERY), 1, Fault::UnsignedRefusal),
                _ => {}
            }
        }
        // Now and then, the child starts by refunding an order paid earlier (whole or half).
        let refund_first = (random.below(3) == 0)
            .then(|| {
                sim.orders().into_iter().find(|o| {
                    o.kind == OrderKind::Barcode
                        && o.state == 'S'
                        && o.refunded == 0
                        && !refunded.contains(&o.order_no)
                })
            })
            .flatten()
            .map(|o| {
                refunded.insert(o.order_no.clone());
                let fen = if random.below(2) == 0 { o.amount } else { 1 };
                format!("{} {fen}", o.order_no)
            });
        // And now and then by revoking a paid sale of an earlier child (the same day only:
        // after the gateway's clock has passed midnight, the refusal is proof nothing moved).
        let revoke_first = (refund_first.is_none() && random.below(3) == 0)
            .then(|| {
                sim.orders().into_iter().find(|o| {
                    o.kind == OrderKind::Barcode
                        && o.state == 'S'
                        && o.refunded == 0
                        && o.revoke.is_none()
                        && !refunded.contains(&o.order_no)
                })
            })
            .flatten()
            .map(|o| o.trade_no);
        let mut cmd = Command::new(std::env::current_exe().unwrap());
        cmd.args([test.as_str(), "--exact", "--nocapture", "--test-threads=1"])
            .arg("--include-ignored")
            .env(ROLE, "sales")
            .env(URL, sim.base_url())
            .env(JOURNAL, &journal)
            .env_remove(REFUND)
            .env_remove(REVOKE)
            .stdout(Stdio::piped())
            .stderr(Stdio::null());
        if let Some(refund) = &refund_first {
            cmd.env(REFUND, refund);
        }
        if let Some(sale) = &revoke_first {
            cmd.env(REVOKE, sale);
        }
        clock_shim::offset(&mut cmd, wall_offset.as_secs() as i64);
        let mut child = cmd.spawn().unwrap();
        // The kill moment: random, between right after the start and a few sales in.
        std::thread::sleep(Duration::from_millis(5 + random.below(120)));
        child.kill().unwrap();
        child.wait().unwrap();
        let mut printed = String::new();
        child
            .stdout
            .take()
            .unwrap()
            .read_to_string(&mut printed)
            .unwrap();
        said.read(&printed, &format!("sales child {kill}"));
        sim.clear_faults();

        // The restart: now, or 11 minutes later by the terminal's clock, the gateway's, both.
        let jump = random.below(4) as usize;
        jumps[jump] += 1;
        if jump == 1 || jump == 3 {
            wall_offset += later();
        }
        if jump == 2 || jump == 3 {
            sim.advance(later());
        }
        // What goes wrong while it recovers.
        if busy_spell == 0 && random.below(6) == 0 {
            busy_spell = 1 + random.below(3);
        }
        if busy_spell > 0 {
            busy_spell -= 1;
            sim.inject_for(Some(QUERY), 1000, Fault::Busy);
        } else {
            match random.below(6) {
                0 => sim.inject_for(Some(QUERY), 1 + random.below(3) as usize, Fault::Busy),
                1 => sim.inject_for(Some(QUERY), 1, Fault::UnboundRefusal),
                2 => sim.inject_for(Some(QUERY), 1, Fault::UnsignedRefusal),
                _ => {}
            }
        }
        recover_in_child(
            &sim,
            &journal,
            &test,
            wall_offset,
            Duration::from_millis(300),
            &mut said,
            &format!("recovery {kill}"),
        );
        sim.clear_faults();
    }
    // Unscanned QR orders close after 15 minutes; then a recovery settles what is at the
    // gateway, and one ten minutes of the gateway's clock later what never arrived.
    sim.advance(Duration::from_secs(16 * 60));
    for (last, deadline) in [1, 5].into_iter().enumerate() {
        recover_in_child(
            &sim,
            &journal,
            &test,
            wall_offset,
            Duration::from_secs(deadline),
            &mut said,
            &format!("the last recovery {last}"),
        );
        sim.advance(LATER);
    }

    let entries: HashMap<String, Entry> = client(&sim.base_url(), &journal)
        .journal_entries()
        .unwrap()
        .into_iter()
        .map(|e| (e.trade_no.clone(), e))
        .collect();
    for entry in entries.values() {
        if entry.settled && entry.status != Status::Ok {
            said.nothing_moved(&entry.trade_no, entry.status.name(), "the journal");
        }
    }
    let orders: Vec<_> = sim
        .orders()
        .into_iter()
        .filter(|o| matches!(o.kind, OrderKind::Barcode | OrderKind::Qr))
        .collect();
    let refunds: HashMap<&str, u64> = orders
        .iter()
        .flat_map(|o| o.refunds.iter())
        .map(|r| (r.trade_no.as_str(), r.amount))
        .collect();
    // The revokes the gateway carried out: the revoke's tradeNo → the sale's.
    let revokes: HashMap<&str, &str> = orders
        .iter()
        .filter_map(|o| {
            o.revoke
                .as_ref()
                .map(|r| (r.trade_no.as_str(), o.trade_no.as_str()))
        })
        .collect();
    assert!(
        orders.len() as u64 >= kills / 4,
        "the children made sales: {}",
        orders.len()
    );
    // The promise: "no money moved" only where none did.
    // (A sale paid and then revoked was paid too: its money moved, and moved back.)
    let was_paid = |o: &&starpos_sim::Order| {
        o.state == 'S' || o.revoke.as_ref().is_some_and(|r| r.returned > 0)
    };
    for order in orders.iter().filter(was_paid) {
        if let Some(who) = said.nothing.get(&order.trade_no) {
            panic!(
                "{} is paid at the gateway, but {who} said no money moved: {:?}",
                order.trade_no,
                entries.get(&order.trade_no)
            );
        }
    }
    for trade_no in refunds.keys() {
        if let Some(who) = said.nothing.get(*trade_no) {
            panic!(
                "refund {trade_no} is booked at the gateway, but {who} said no money moved: {:?}",
                entries.get(*trade_no)
            );
        }
    }
    for (revoke, sale) in &revokes {
        if let Some(who) = said.nothing.get(*revoke) {
            panic!(
                "revoke {revoke} of {sale} is done at the gateway, but {who} said nothing \
                 moved: {:?}",
                entries.get(*revoke)
            );
        }
        let entry = entries
            .get(*revoke)
            .unwrap_or_else(|| panic!("revoke {revoke} was sent before it was journaled"));
        assert!(
            entry.kind == Kind::Revoke
                && entry.settled
                && entry.status == Status::Ok
                && entry.result == Some(TxnResult::Success)
                && entry.order_no == *sale,
            "revoke {revoke} of {sale} is done at the gateway, but the journal says {entry:?}"
        );
    }
    for order in &orders {
        let entry = entries
            .get(&order.trade_no)
            .unwrap_or_else(|| panic!("{} was sent before it was journaled", order.trade_no));
        assert!(
            entry.settled && entry.status == Status::Ok,
            "{} is {} at the gateway but not settled in the journal: {entry:?}",
            order.trade_no,
            order.state
        );
        assert_eq!(
            entry.result.map(TxnResult::as_char),
            Some(order.state),
            "{entry:?}"
        );
        if order.kind == OrderKind::Barcode {
            assert_eq!(
                order.auth_code_pays, 1,
                "{}: the code was sent twice",
                order.trade_no
            );
        }
    }
    for (trade_no, fen) in &refunds {
        let entry = entries
            .get(*trade_no)
            .unwrap_or_else(|| panic!("refund {trade_no} was sent before it was journaled"));
        assert!(
            entry.kind == Kind::Refund
                && entry.settled
                && entry.status == Status::Ok
                && entry.result == Some(TxnResult::Success)
                && entry.amount == *fen,
            "refund {trade_no} of {fen} fen is booked at the gateway, but the journal says \
             {entry:?}"
        );
    }
    for (trade_no, (result, who)) in &said.finals {
        let state = orders
            .iter()
            .find(|o| &o.trade_no == trade_no)
            .map(|o| match &o.revoke {
                // Paid, as reported, then revoked by a later child.
                Some(r) if *result == 'S' && r.was != 'A' => 'S',
                _ => o.state,
            })
            .or_else(|| refunds.contains_key(trade_no.as_str()).then_some('S'))
            .or_else(|| revokes.contains_key(trade_no.as_str()).then_some('S'));
        let journaled = entries.get(trade_no);
        if state.is_none() && *result == 'F' && journaled.is_some_and(|e| e.kind == Kind::Revoke) {
            // A revoke that undid nothing (its sale had failed): the gateway keeps no record
            // of it, and the sale is not revoked (checked above: its state is the journal's).
            continue;
        }
        assert_eq!(
            state,
            Some(*result),
            "{who} reported {trade_no} final {result}, which the gateway does not show"
        );
    }
    // Everything is settled at the end: what the gateway never had, on proof.
    let open: Vec<&Entry> = entries.values().filter(|e| !e.settled).collect();
    assert!(
        open.is_empty(),
        "still open after the last recoveries: {open:#?}"
    );
    let never_arrived = entries
        .values()
        .filter(|e| e.status == Status::Gateway && e.result.is_none())
        .count();
    eprintln!(
        "crash loop: {kills} kills (restarts at once {}, {} min later by the terminal's clock \
         {}, the gateway's {}, both {}), {} orders, {} refunds, {} revokes, {} journaled, {} \
         reported final, {} said no money moved ({never_arrived} never arrived)",
        jumps[0],
        later().as_secs() / 60,
        jumps[1],
        jumps[2],
        jumps[3],
        orders.len(),
        refunds.len(),
        revokes.len(),
        entries.len(),
        said.finals.len(),
        said.nothing.len()
    );
}

#[test]
fn crash_loop_short() {
    crash_loop(12);
}

#[test]
#[ignore = "long: run by .ci/run (STARPOS_CRASH_KILLS, default 200)"]
fn crash_loop_long() {
    let kills = std::env::var("STARPOS_CRASH_KILLS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200);
    crash_loop(kills);
}
