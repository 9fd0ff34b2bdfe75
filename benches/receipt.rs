//! The till's waits, measured against in-process simulators (`harness = false`; never run by
//! `cargo test`; no figure fails anything). Results: `BENCHMARKS.md`, "Time to receipt" and
//! "Cancel latency".
//!
//! **Time to receipt.** For each payer delay d (1 to 10 s) a simulator with `settle_after = d`
//! answers a sale `A` (the payer types a password: a code ending in `1`) and pays it d after
//! it was made. `Client::barcode_sale` runs under each schedule: the library default
//! (`interval` zero), the old default (3 s) and the vendor SDKs' (10 s, 6 queries: 60 s).
//! Per sale: the time from the order's settle moment (the pay's answer, as `Config::progress`
//! is told it before the first query, + d) to `barcode_sale`'s return; the simulator's
//! `sdkQryBarcodePay` requests with the sale's `tradeNo` as `qryNo`; and those queries per
//! second of the sale's wait (pay answered to return). Every (schedule, delay) pair runs on
//! its own thread, its sales one after the other; the three schedules of one delay share that
//! delay's simulator.
//!
//! **Cancel latency.** A client with `Config::cancel` waits (`Client::wait`) on an order the
//! simulator keeps `A`: (a) between queries (30 s interval, fired after the first answer),
//! (b) with a query in flight (`Fault::Delay` of 10 s on `sdkQryBarcodePay`, fired once the
//! simulator logged the query). Another thread fires the cancel; measured: fired to `wait`'s
//! return.
//!
//! Knobs (environment): `RECEIPT_SALES` (sales per delay and schedule, 2), `RECEIPT_DELAYS`
//! (seconds, `1,2,...,10`), `RECEIPT_SCHEDULES` (`default,3s,vendor`), `CANCEL_ROUNDS` (50),
//! `RECEIPT_PARTS` (`receipt,cancel`), `RECEIPT_OFFSET_MS` (added to every delay, 0: whole
//! seconds fall on fixed phases of the default's 800 ms steps, 4 s and 8 s on a query).
//!
//! ```sh
//! cargo bench --bench receipt
//! RECEIPT_SALES=1 RECEIPT_DELAYS=1,5 CANCEL_ROUNDS=10 cargo bench --bench receipt
//! ```

use starpos::{BarcodePayRequest, TxnResult};
use starpos::{Cancel, Client, Config, Status};
use starpos_sim::{Fault, SimConfig, Simulator};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{mpsc, Arc, Mutex};
use std::time::{Duration, Instant};

/// A schedule as the caller picks it: `interval` and `deadline` for `barcode_sale`.
#[derive(Clone, Copy)]
struct Schedule {
    name: &'static str,
    label: &'static str,
    interval: Duration,
    deadline: Duration,
}

const SCHEDULES: [Schedule; 3] = [
    Schedule {
        name: "default",
        label: "library default (`interval` 0: 800 ms steps for 12 s, then 2 s, then 5 s)",
        interval: Duration::ZERO,
        deadline: Duration::ZERO,
    },
    Schedule {
        name: "3s",
        label: "old default (3 s interval)",
        interval: Duration::from_secs(3),
        deadline: Duration::ZERO,
    },
    Schedule {
        name: "vendor",
        label: "vendor SDK default (10 s interval, 6 queries: 60 s deadline)",
        interval: Duration::from_secs(10),
        deadline: Duration::from_secs(60),
    },
];

/// One sale's figures.
#[derive(Clone, Copy)]
struct Sale {
    /// From the settle moment (pay answered + d) to `barcode_sale`'s return.
    receipt: Duration,
    /// `sdkQryBarcodePay` requests for the sale.
    queries: usize,
    /// From the pay's answer to the return.
    waited: Duration,
}

fn env_list<T: std::str::FromStr>(name: &str, default: &str) -> Vec<T> {
    std::env::var(name)
        .unwrap_or_else(|_| default.to_owned())
        .split(',')
        .filter(|s| !s.trim().is_empty())
        .map(|s| {
            s.trim()
                .parse()
                .unwrap_or_else(|_| panic!("{name}: cannot read {s:?}"))
        })
        .collect()
}

fn env_num(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// The client for `sim`, with `progress` and `cancel` as given.
fn client(
    sim: &Simulator,
    progress: Option<starpos::ProgressFn>,
    cancel: Option<Cancel>,
) -> Client {
    let c = sim.config();
    let mut config = Config::new(&c.org_no, &c.merc_id, starpos_sim::DEFAULT_TRM_NO, &c.key)
        .with_base_url(&sim.base_url())
        .with_timeouts(Duration::from_secs(2), Duration::from_secs(30));
    config.progress = progress;
    config.cancel = cancel;
    Client::new(config).expect("the simulator's configuration is valid")
}

/// A fresh WeChat payment code (18 digits from 13) ending in `last`: `1` the payer types a
/// password (answered `A`).
fn wechat_code(last: char) -> String {
    static N: AtomicU32 = AtomicU32::new(0);
    format!(
        "13{:08}{:07}{last}",
        std::process::id() % 100_000_000,
        N.fetch_add(1, Ordering::Relaxed) % 10_000_000
    )
}

fn sale_request(code: &str) -> BarcodePayRequest<'_> {
    BarcodePayRequest {
        auth_code: code,
        amount: 1,
        total_amount: 1,
        subject: Some("receipt bench"),
        ..BarcodePayRequest::default()
    }
}

/// One sale under `schedule` against `sim`, which settles `delay` after the order was made.
fn one_sale(sim: &Simulator, schedule: Schedule, delay: Duration) -> Sale {
    let answered: Arc<Mutex<Option<Instant>>> = Arc::new(Mutex::new(None));
    let mark = Arc::clone(&answered);
    let progress: starpos::ProgressFn = Arc::new(move |p: &starpos::Progress<'_>| {
        if p.queries == 0 {
            *mark.lock().expect("not poisoned") = Some(Instant::now());
        }
    });
    let client = client(sim, Some(progress), None);
    let code = wechat_code('1');
    let done = client
        .barcode_sale(&sale_request(&code), schedule.interval, schedule.deadline)
        .unwrap_or_else(|e| panic!("sale under {} ended {}", schedule.name, e.error));
    let returned = Instant::now();
    assert_eq!(done.result, Some(TxnResult::Success), "the sale is paid");
    let answered = answered
        .lock()
        .expect("not poisoned")
        .expect("progress was told before the first query");
    let settled = answered + delay;
    let queries = sim
        .requests()
        .iter()
        .filter(|r| {
            r.endpoint == "sdkQryBarcodePay"
                && r.fields.get("qryNo").and_then(|v| v.as_str()) == Some(done.trade_no.as_str())
        })
        .count();
    Sale {
        receipt: returned.saturating_duration_since(settled),
        queries,
        waited: returned - answered,
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn time_to_receipt() {
    let sales = env_num("RECEIPT_SALES", 2);
    let delays: Vec<u64> = env_list("RECEIPT_DELAYS", "1,2,3,4,5,6,7,8,9,10");
    let names: Vec<String> = env_list("RECEIPT_SCHEDULES", "default,3s,vendor");
    let offset = Duration::from_millis(env_num("RECEIPT_OFFSET_MS", 0) as u64);
    let schedules: Vec<Schedule> = SCHEDULES
        .iter()
        .copied()
        .filter(|s| names.iter().any(|n| n == s.name))
        .collect();
    println!(
        "# Time to receipt: {} delays (+{} ms) x {} schedules x {sales} sales, concurrently",
        delays.len(),
        offset.as_millis(),
        schedules.len()
    );
    let sims: Vec<Arc<Simulator>> = delays
        .iter()
        .map(|&d| {
            Arc::new(
                Simulator::start(SimConfig {
                    settle_after: Some(Duration::from_secs(d) + offset),
                    ..SimConfig::default()
                })
                .expect("simulator starts"),
            )
        })
        .collect();
    let began = Instant::now();
    let mut handles = Vec::new();
    for schedule in &schedules {
        for (i, &d) in delays.iter().enumerate() {
            let sim = Arc::clone(&sims[i]);
            let schedule = *schedule;
            handles.push((
                schedule.name,
                d,
                std::thread::spawn(move || {
                    (0..sales)
                        .map(|_| one_sale(&sim, schedule, Duration::from_secs(d) + offset))
                        .collect::<Vec<Sale>>()
                }),
            ));
        }
    }
    let mut results: Vec<(&str, u64, Vec<Sale>)> = Vec::new();
    for (name, d, handle) in handles {
        results.push((name, d, handle.join().expect("the sales ran")));
    }
    println!("(ran {:.1} s)\n", began.elapsed().as_secs_f64());
    for schedule in &schedules {
        println!("### {}\n", schedule.label);
        println!("| payer delay | time to receipt (ms), per sale | mean (ms) | queries per sale | queries/s |");
        println!("|---:|---|---:|---:|---:|");
        let mut all: Vec<Sale> = Vec::new();
        for (_, d, sales) in results.iter().filter(|r| r.0 == schedule.name) {
            let each: Vec<String> = sales
                .iter()
                .map(|s| format!("{:.0}", ms(s.receipt)))
                .collect();
            let n = sales.len() as f64;
            let mean = sales.iter().map(|s| ms(s.receipt)).sum::<f64>() / n;
            let queries = sales.iter().map(|s| s.queries as f64).sum::<f64>() / n;
            let rate = sales
                .iter()
                .map(|s| s.queries as f64 / s.waited.as_secs_f64())
                .sum::<f64>()
                / n;
            println!(
                "| {d} s | {} | {mean:.0} | {queries:.1} | {rate:.2} |",
                each.join(", ")
            );
            eprintln!(
                "RECEIPT schedule={} delay_s={d} mean_ms={mean:.1} queries={queries:.2} qps={rate:.3}",
                schedule.name
            );
            all.extend(sales);
        }
        let n = all.len() as f64;
        let mean = all.iter().map(|s| ms(s.receipt)).sum::<f64>() / n;
        let max = all.iter().map(|s| ms(s.receipt)).fold(0.0, f64::max);
        let queries = all.iter().map(|s| s.queries as f64).sum::<f64>() / n;
        let rate = all
            .iter()
            .map(|s| s.queries as f64 / s.waited.as_secs_f64())
            .sum::<f64>()
            / n;
        println!(
            "| **mean** | max {max:.0} | **{mean:.0}** | **{queries:.1}** | **{rate:.2}** |\n"
        );
        eprintln!(
            "RECEIPT schedule={} delay_s=all mean_ms={mean:.1} max_ms={max:.1} queries={queries:.2} qps={rate:.3}",
            schedule.name
        );
    }
    for sim in sims {
        if let Ok(sim) = Arc::try_unwrap(sim) {
            sim.shutdown();
        }
    }
}

/// Fired to `wait`'s return, `rounds` times: `in_flight` with a query held by the simulator,
/// else between queries.
fn cancel_rounds(sim: &Simulator, rounds: usize, in_flight: bool) -> Vec<Duration> {
    let mut out = Vec::with_capacity(rounds);
    for round in 0..rounds {
        // An order the payer never pays: the simulator has no settle_after.
        let code = wechat_code('1');
        let paid = client(sim, None, None)
            .barcode_pay(&sale_request(&code))
            .expect("the pay is answered");
        assert_eq!(paid.result, Some(TxnResult::Waiting), "answered A");
        let trade_no = paid.trade_no.clone();
        let (tx, rx) = mpsc::channel::<u32>();
        let tx = Mutex::new(tx);
        let progress: starpos::ProgressFn = Arc::new(move |p: &starpos::Progress<'_>| {
            let _ = tx.lock().expect("not poisoned").send(p.queries);
        });
        let cancel = Cancel::new().expect("an eventfd");
        let client = client(sim, Some(progress), Some(cancel.clone()));
        if in_flight {
            sim.inject_for(Some("sdkQryBarcodePay"), 1, Fault::Delay { ms: 10_000 });
        }
        let logged_before = sim.request_count();
        let waiter = std::thread::spawn(move || {
            let interval = Duration::from_secs(30);
            let result = client.wait(&trade_no, interval, Duration::from_secs(120));
            (Instant::now(), result)
        });
        if in_flight {
            // Once the simulator has the query (it holds the answer 10 s).
            assert_eq!(rx.recv().expect("told before the first query"), 0);
            while sim.request_count() == logged_before {
                std::thread::sleep(Duration::from_millis(1));
            }
        } else {
            // Once the first query was answered: the wait sleeps 30 s.
            loop {
                if rx.recv().expect("told after the first query") == 1 {
                    break;
                }
            }
        }
        // Somewhere in the wait, not at its edge.
        std::thread::sleep(Duration::from_millis(5 + (round as u64 * 7) % 20));
        let fired = Instant::now();
        cancel.request();
        let (returned, result) = waiter.join().expect("the wait ran");
        let error = result.expect_err("cancelled, not final");
        assert_eq!(error.error.status(), Status::Cancelled, "{}", error.error);
        out.push(returned.saturating_duration_since(fired));
    }
    out
}

fn cancel_latency() {
    let rounds = env_num("CANCEL_ROUNDS", 50);
    let sim = Simulator::start(SimConfig::default()).expect("simulator starts");
    println!("# Cancel latency: {rounds} rounds each\n");
    println!("| the wait, when the cancel fires | median (ms) | p99 (ms) | max (ms) |");
    println!("|---|---:|---:|---:|");
    for (name, in_flight) in [
        ("between queries (30 s interval)", false),
        ("a query in flight (answer held 10 s)", true),
    ] {
        let mut times = cancel_rounds(&sim, rounds, in_flight);
        times.sort();
        let pick = |q: f64| {
            let i = ((times.len() as f64 * q).ceil() as usize).clamp(1, times.len()) - 1;
            ms(times[i])
        };
        let median = pick(0.5);
        let p99 = pick(0.99);
        let max = ms(*times.last().expect("rounds > 0"));
        println!("| {name} | {median:.2} | {p99:.2} | {max:.2} |");
        eprintln!(
            "CANCEL case={} rounds={rounds} median_ms={median:.3} p99_ms={p99:.3} max_ms={max:.3}",
            if in_flight { "in_flight" } else { "between" }
        );
    }
    println!();
    sim.shutdown();
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` (or `--all-targets`) does not:
    // then this minute of sleeping sales is skipped. Any other argument (a filter) is ignored.
    if !std::env::args().any(|a| a == "--bench") {
        println!("receipt: not run (no --bench: run it with `cargo bench --bench receipt`)");
        return;
    }
    let parts: Vec<String> = env_list("RECEIPT_PARTS", "receipt,cancel");
    if parts.iter().any(|p| p == "cancel") {
        cancel_latency();
    }
    if parts.iter().any(|p| p == "receipt") {
        time_to_receipt();
    }
}
