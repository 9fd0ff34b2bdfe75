//! A long run: 100 000 calls through the C ABI must not grow resident memory after warm-up.
//! Ignored in the default run (it takes a while); CI runs it in release mode with
//! `cargo test --release --test soak -- --ignored`.
//!
//! The simulator keeps a log of every request, so it runs in a child process (this test binary
//! again, in `serve_simulator_for_soak`): the memory measured here is the library's alone.

mod common;

use common::*;
use starpos::ffi::*;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::ptr;

/// Set in the child process that serves the simulator.
const SERVE: &str = "STARPOS_SOAK_SERVE";

fn rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("Linux /proc");
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmRSS is reported")
}

/// In the child only: serves a simulator, prints its URL, and stops when stdin closes.
#[test]
#[ignore = "the soak test's simulator process; does nothing on its own"]
fn serve_simulator_for_soak() {
    if std::env::var_os(SERVE).is_none() {
        return;
    }
    let sim = sim();
    println!("URL {}", sim.base_url());
    let mut line = String::new();
    while std::io::stdin()
        .read_line(&mut line)
        .map(|n| n > 0)
        .unwrap_or(false)
    {}
}

#[test]
#[ignore = "long run: 100k calls; CI runs it with --ignored in release mode"]
fn hundred_thousand_calls_do_not_grow_memory() {
    const CALLS: u32 = 100_000;
    const SAMPLE_EVERY: u32 = 10_000;
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args([
            "--ignored",
            "--exact",
            "serve_simulator_for_soak",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(SERVE, "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("the simulator process starts");
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let url = lines
        .by_ref()
        .map_while(Result::ok)
        // libtest may print "test serve_simulator_for_soak ... " on the same line first.
        .find_map(|l| l.split_once("URL ").map(|(_, url)| url.trim().to_owned()))
        .expect("the simulator prints its URL");
    // Keep reading what the child prints later, so it never writes into a closed pipe.
    let drain = std::thread::spawn(move || lines.for_each(drop));

    let cfg = c_config_at(&url);
    let attach = c("soak");
    let request = starpos_qry_request {
        txn_time: ptr::null(),
        attach: attach.as_ptr(),
        version: ptr::null(),
    };
    let mut samples = Vec::new();
    for i in 1..=CALLS {
        let mut out: starpos_qry_response = zeroed();
        let status = unsafe { starpos_qry(&cfg.raw, &request, &mut out) };
        assert_eq!(
            status,
            starpos_status::STARPOS_OK,
            "call {i}: {}",
            text(&out.error)
        );
        if i % SAMPLE_EVERY == 0 {
            samples.push((i, rss_kib()));
        }
    }
    drop(child.stdin.take());
    let _ = child.wait();
    let _ = drain.join();

    // After the first sample (warm-up: pool, buffers, allocator arenas) memory must stay flat:
    // even a 16-byte leak per call would add over 1.4 MiB over the 90 000 calls measured.
    let (_, warm) = samples[0];
    let peak = samples.iter().map(|(_, kib)| *kib).max().unwrap();
    println!("RSS samples (call, KiB): {samples:?}");
    assert!(
        peak <= warm + 512,
        "resident memory grew after warm-up: {samples:?}"
    );
}
