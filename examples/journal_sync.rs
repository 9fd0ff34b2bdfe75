//! What one durable journal record costs on a file system: times `Journal::begin` (one
//! appended line and one `fdatasync`) and, for comparison, a bare 300-byte append plus
//! `fdatasync`, and prints the median, the 90th percentile and the maximum.
//!
//! Usage: `cargo run --release --example journal_sync -- <directory> [records]` (default 200).
//! The figures in `docs/journal.md` come from it.

use starpos::journal::{Entry, Journal, Kind, DEFAULT_RETENTION};
use std::io::Write;
use std::path::PathBuf;
use std::time::{Duration, Instant};

fn summary(mut times: Vec<Duration>) -> String {
    times.sort();
    let at = |q: f64| times[((times.len() - 1) as f64 * q) as usize];
    format!(
        "median {:.3} ms, p90 {:.3} ms, max {:.3} ms ({} runs)",
        at(0.5).as_secs_f64() * 1e3,
        at(0.9).as_secs_f64() * 1e3,
        at(1.0).as_secs_f64() * 1e3,
        times.len()
    )
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let dir = PathBuf::from(
        args.next()
            .ok_or("usage: journal_sync <directory> [records]")?,
    );
    let runs: usize = args.next().map(|n| n.parse()).transpose()?.unwrap_or(200);
    let path = dir.join(format!("journal-sync-{}.journal", std::process::id()));

    let journal = Journal::open(&path, DEFAULT_RETENTION)?;
    let mut begins = Vec::with_capacity(runs);
    for i in 0..runs {
        let entry = Entry {
            trade_no: format!("{:026}", i),
            amount: 100,
            total_amount: 100,
            txn_time: "20261201120000".into(),
            ..Entry::new(Kind::Pay)
        };
        let started = Instant::now();
        journal.begin(entry)?;
        begins.push(started.elapsed());
    }
    drop(journal);
    println!("Journal::begin:        {}", summary(begins));

    let raw_path = dir.join(format!("journal-sync-{}.raw", std::process::id()));
    let mut raw = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&raw_path)?;
    let line = [b'x'; 300];
    let mut syncs = Vec::with_capacity(runs);
    for _ in 0..runs {
        let started = Instant::now();
        raw.write_all(&line)?;
        raw.sync_data()?;
        syncs.push(started.elapsed());
    }
    println!("append + fdatasync:    {}", summary(syncs));

    for p in [&path, &raw_path] {
        std::fs::remove_file(p)?;
    }
    std::fs::remove_file(format!("{}.lock", path.display()))?;
    Ok(())
}
