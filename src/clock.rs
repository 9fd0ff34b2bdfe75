//! Time and unique numbers: the terminal's local time as `txnTime`, and `tradeNo`s that never
//! repeat across calls, threads and restarts.

use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

/// The local time now as `yyyyMMddHHmmss`, the form of `txnTime`.
pub fn local_txn_time() -> String {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let t = secs as libc::time_t;
    // SAFETY: localtime_r writes only into `tm`, which lives on this stack frame.
    let mut tm: libc::tm = unsafe { std::mem::zeroed() };
    let ok = unsafe { !libc::localtime_r(&t, &mut tm).is_null() };
    if !ok {
        return "19700101000000".to_owned();
    }
    format!(
        "{:04}{:02}{:02}{:02}{:02}{:02}",
        tm.tm_year + 1900,
        tm.tm_mon + 1,
        tm.tm_mday,
        tm.tm_hour,
        tm.tm_min,
        tm.tm_sec
    )
}

/// A new `tradeNo`: milliseconds since 1970, the process id and a per-process counter, 26
/// digits. Two calls in one process differ by the counter; two processes by their id or time.
pub fn new_trade_no() -> String {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let millis = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis())
        .unwrap_or(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed) % 1_000_000;
    format!(
        "{:013}{:07}{:06}",
        // Below 10^13, so it fits a u64 (formatting a u128 would link in its own code).
        (millis % 10u128.pow(13)) as u64,
        std::process::id() % 10_000_000,
        n
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_time_is_a_valid_txn_time() {
        crate::fields::txn_time("txn_time", &local_txn_time()).unwrap();
    }

    #[test]
    fn trade_numbers_are_unique_across_threads() {
        let handles: Vec<_> = (0..4)
            .map(|_| std::thread::spawn(|| (0..2000).map(|_| new_trade_no()).collect::<Vec<_>>()))
            .collect();
        let mut all = std::collections::HashSet::new();
        for h in handles {
            for n in h.join().unwrap() {
                assert_eq!(n.len(), 26);
                assert!(all.insert(n));
            }
        }
    }
}
