//! `tradeNo`s never repeat across terminals and boots (issue 16, point 3), and a `tradeNo` the
//! journal already holds is refused before anything is sent.
//!
//! The boots are real: the test binary re-runs itself (a child role) as pid 1 of a fresh PID
//! namespace (`unshare --pid --fork --mount-proc`, as root), so every boot gets the same pid,
//! with the wall clock frozen at 1970 (the clock shim, `tests/shim/clock_shim.c`), as a
//! terminal without a clock battery boots with the same init. Two terminals, two boots each;
//! each boot prints `STARPOS_TRADE_NOS` (default 1000) numbers from
//! `starpos::unversioned::clock::new_trade_no` and the `tradeNo` of one real barcode pay against the
//! simulator. Nothing but the OS's randomness is left to tell them apart, and it must.

mod common;

use common::*;
use starpos::ffi::*;
use starpos::{BarcodePayRequest, Client, Config};
use std::collections::HashSet;
use std::io::Write;
use std::process::Command;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

const ROLE: &str = "STARPOS_TRADE_NO_CHILD";
const TRM: &str = "STARPOS_TRADE_NO_TRM";
const URL: &str = "STARPOS_TRADE_NO_URL";
const CODE: &str = "STARPOS_TRADE_NO_CODE";
const COUNT: &str = "STARPOS_TRADE_NOS";

/// Two terminals of one merchant.
const TERMINALS: [&str; 2] = [starpos_sim::DEFAULT_TRM_NO, "XB006440"];

/// The child: one boot of terminal `STARPOS_TRADE_NO_TRM`. Prints `PID`, `NOW` (the wall
/// clock, seconds since 1970), `NO <tradeNo>` for each generated number and `PAID <tradeNo>`
/// for the real call's answer (or `FAILED <why>`).
fn child() -> ! {
    let trm_no = std::env::var(TRM).unwrap();
    let url = std::env::var(URL).unwrap();
    let code = std::env::var(CODE).unwrap();
    let count: usize = std::env::var(COUNT).unwrap().parse().unwrap();
    let mut out = std::io::BufWriter::new(std::io::stdout());
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    // The harness printed `test <name> ... ` without a newline: start a line of our own.
    writeln!(out, "\nPID {}", std::process::id()).unwrap();
    writeln!(out, "NOW {now}").unwrap();
    for _ in 0..count {
        writeln!(
            out,
            "NO {}",
            starpos::unversioned::clock::new_trade_no(&trm_no)
        )
        .unwrap();
    }
    let client = Client::new(
        Config::new(
            starpos_sim::DEFAULT_ORG_NO,
            starpos_sim::DEFAULT_MERC_ID,
            &trm_no,
            starpos_sim::DEFAULT_KEY,
        )
        .with_base_url(&url)
        .with_timeouts(Duration::from_secs(2), Duration::from_secs(5)),
    )
    .unwrap();
    match client.barcode_pay(&BarcodePayRequest {
        auth_code: &code,
        amount: 1,
        total_amount: 1,
        ..Default::default()
    }) {
        Ok(paid) => writeln!(out, "PAID {}", paid.trade_no).unwrap(),
        Err(e) => writeln!(out, "FAILED {e}").unwrap(),
    }
    out.flush().unwrap();
    drop(out);
    std::process::exit(0)
}

/// What one boot printed.
struct Boot {
    pid: u32,
    now: u64,
    numbers: Vec<String>,
    paid: String,
}

/// Boots terminal `trm_no` once: a fresh PID namespace, the clock frozen at 1970. `None`
/// (with the reason printed) when this machine does not allow a PID namespace.
fn boot(sim: &starpos_sim::Simulator, trm_no: &str, count: usize) -> Option<Boot> {
    let mut cmd = Command::new("unshare");
    cmd.args(["--pid", "--fork", "--mount-proc"])
        .arg(std::env::current_exe().unwrap())
        .args([
            "tradeno_never_repeat_across_terminals_and_boots",
            "--exact",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(ROLE, "1")
        .env(TRM, trm_no)
        .env(URL, sim.base_url())
        .env(CODE, wechat_code('0'))
        .env(COUNT, count.to_string());
    clock_shim::frozen(&mut cmd, 0);
    let run = process::run(cmd);
    if run.code != Some(0) && !run.stdout.contains("PID ") {
        eprintln!(
            "SKIPPED: no PID namespace here (unshare --pid --fork --mount-proc needs root or \
             CAP_SYS_ADMIN): {}",
            run.describe()
        );
        return None;
    }
    assert_eq!(run.code, Some(0), "the boot failed: {}", run.describe());
    let mut boot = Boot {
        pid: 0,
        now: u64::MAX,
        numbers: Vec::with_capacity(count),
        paid: String::new(),
    };
    for line in run.stdout.lines() {
        match line.split_once(' ') {
            Some(("PID", pid)) => boot.pid = pid.parse().unwrap(),
            Some(("NOW", now)) => boot.now = now.parse().unwrap(),
            Some(("NO", no)) => boot.numbers.push(no.to_owned()),
            Some(("PAID", no)) => boot.paid = no.to_owned(),
            Some(("FAILED", why)) => panic!("the boot's barcode pay failed: {why}"),
            _ => {}
        }
    }
    assert_eq!(boot.numbers.len(), count, "{}", run.describe());
    assert!(boot.pid != 0 && !boot.paid.is_empty(), "{}", run.describe());
    Some(boot)
}

#[test]
fn tradeno_never_repeat_across_terminals_and_boots() {
    if std::env::var_os(ROLE).is_some() {
        child();
    }
    let count: usize = std::env::var(COUNT)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1000);
    let sim = sim();
    let mut boots = Vec::new();
    for trm_no in TERMINALS {
        for _ in 0..2 {
            let Some(boot) = boot(&sim, trm_no, count) else {
                return;
            };
            boots.push((trm_no, boot));
        }
    }
    // The setup: every boot was the same pid, at the same frozen 1970 clock.
    let first_pid = boots[0].1.pid;
    for (trm_no, boot) in &boots {
        assert_eq!(boot.pid, first_pid, "{trm_no}: the boots' pids differ");
        assert_eq!(
            boot.now, 0,
            "{trm_no}: the wall clock was not frozen at 1970"
        );
    }
    let mut seen = HashSet::new();
    for (trm_no, boot) in &boots {
        for no in boot.numbers.iter().chain([&boot.paid]) {
            assert!(
                no.starts_with(trm_no),
                "{no} does not start with its terminal number {trm_no}"
            );
            assert!(
                no.bytes().all(|b| b.is_ascii_alphanumeric()),
                "{no} is not letters and digits only"
            );
            assert!(no.len() <= 64, "{no} is longer than 64");
            assert!(seen.insert(no.clone()), "{no} came twice");
        }
        // The real call's number is the one the gateway booked, for this terminal.
        let order = sim
            .order(&boot.paid)
            .unwrap_or_else(|| panic!("the simulator never saw {}", boot.paid));
        assert_eq!(
            (order.trade_no.as_str(), order.trm_no.as_str()),
            (boot.paid.as_str(), *trm_no)
        );
    }
    assert_eq!(seen.len(), boots.len() * (count + 1));
    eprintln!(
        "{} tradeNos from {} boots (pid {first_pid}, clock at 1970), all distinct",
        seen.len(),
        boots.len()
    );
}

/// A caller-given `tradeNo` the journal already holds: INVALID_ARGUMENT naming `trade_no`,
/// and not one byte sent.
#[test]
fn c_abi_refuses_a_trade_no_the_journal_holds() {
    let sim = sim();
    let dir = TempDir::new("trade-no-c");
    let path = c(dir.join("sales.journal").to_str().unwrap());
    let mut cfg = c_config(&sim);
    cfg.raw.journal_path = path.as_ptr();
    let trade_no = c(&starpos::unversioned::clock::new_trade_no(
        starpos_sim::DEFAULT_TRM_NO,
    ));
    let pay = |code: &str| {
        let code = c(code);
        let mut req: starpos_barcode_pay_request = zeroed();
        req.trade_no = trade_no.as_ptr();
        req.auth_code = code.as_ptr();
        req.amount = 5;
        req.total_amount = 5;
        let mut out: starpos_barcode_pay_response = zeroed();
        let status = unsafe { starpos_barcode_pay(&cfg.raw, &req, &mut out) };
        (status, out)
    };
    let (status, out) = pay(&wechat_code('0'));
    assert_eq!(status, starpos_status::STARPOS_OK, "{}", text(&out.error));
    assert_eq!(out.result, b'S' as std::os::raw::c_char);
    let sent = sim.request_count();

    let (status, out) = pay(&wechat_code('0'));
    assert_eq!(
        status,
        starpos_status::STARPOS_ERR_INVALID_ARGUMENT,
        "{}",
        text(&out.error)
    );
    let error = text(&out.error);
    assert!(error.starts_with("trade_no"), "{error}");
    assert!(
        static_text(starpos_last_error()).starts_with("trade_no"),
        "{}",
        static_text(starpos_last_error())
    );
    assert_eq!(sim.request_count(), sent, "the repeated sale was sent");
    let order = sim.order(&text(&out.trade_no)).unwrap();
    assert_eq!((order.state, order.auth_code_pays), ('S', 1));

    // The journal holds the first sale once, settled paid.
    let mut listed: Vec<(String, bool)> = Vec::new();
    unsafe extern "C" fn collect(
        entry: *const starpos_journal_entry,
        userdata: *mut std::os::raw::c_void,
    ) {
        let listed = &mut *(userdata as *mut Vec<(String, bool)>);
        listed.push((text(&(*entry).trade_no), (*entry).settled));
    }
    let status = unsafe {
        starpos_journal_list(
            &cfg.raw,
            Some(collect),
            &mut listed as *mut _ as *mut std::os::raw::c_void,
        )
    };
    assert_eq!(status, starpos_status::STARPOS_OK);
    assert_eq!(listed, [(text(&out.trade_no), true)]);
}
