//! Time and unique numbers: the terminal's local time as `txnTime`, and `tradeNo`s that never
//! repeat across calls, threads, restarts and terminals.

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
    let mut out = String::with_capacity(14);
    for (value, width) in [
        (tm.tm_year + 1900, 4),
        (tm.tm_mon + 1, 2),
        (tm.tm_mday, 2),
        (tm.tm_hour, 2),
        (tm.tm_min, 2),
        (tm.tm_sec, 2),
    ] {
        // localtime_r gives each part within its width (a year after 9999 is cut to 4 digits).
        push_digits(&mut out, u64::try_from(value).unwrap_or(0), width);
    }
    out
}

/// Appends the last `width` decimal digits of `value`, zero-padded: what `{:0width$}` gives
/// for a value below 10^width, without the formatting machinery (per-call work: every request
/// has a `txnTime`, every sale a `tradeNo`).
fn push_digits(out: &mut String, value: u64, width: u32) {
    for place in (0..width).rev() {
        let digit = value / 10u64.pow(place) % 10;
        out.push(char::from(b'0' + digit as u8));
    }
}

/// Seconds from 1970-01-01 to the moment a `yyyyMMddHHmmss` text names, read as if it were
/// UTC (the offset does not matter when two such times are compared); `None` unless it is 14
/// digits naming a real moment. For the gateway's `sysTime`, whose differences measure time on
/// the gateway's clock.
pub fn sys_time_secs(text: &str) -> Option<u64> {
    if text.len() != 14 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n = |range: std::ops::Range<usize>| text[range].parse::<u64>().ok();
    let (y, m, d) = (n(0..4)?, n(4..6)?, n(6..8)?);
    let (hh, mm, ss) = (n(8..10)?, n(10..12)?, n(12..14)?);
    if !(1970..=9999).contains(&y) || !(1..=12).contains(&m) || d == 0 || d > 31 {
        return None;
    }
    if hh > 23 || mm > 59 || ss > 60 {
        return None;
    }
    // Days from 1970-01-01 to y-m-d (Howard Hinnant's days_from_civil).
    let y = if m <= 2 { y - 1 } else { y };
    let era = y / 400;
    let yoe = y - era * 400;
    let mp = if m > 2 { m - 3 } else { m + 9 };
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = (era * 146_097 + doe).checked_sub(719_468)?;
    Some(days * 86_400 + hh * 3600 + mm * 60 + ss)
}

/// This release's date as seconds since 1970: a terminal clock before it is plainly wrong
/// (no battery, not yet set by the network), and is reported ([`clock_is_plainly_wrong`]).
pub const RELEASE_UNIX_SECS: u64 = 1_796_083_200; // 2026-12-01 00:00:00 UTC

/// True when the terminal's wall clock reads a time before this release was made: it was
/// never set (a terminal without a clock battery boots at 1970). Nothing the library decides
/// rests on the wall clock; this is only reported.
pub fn clock_is_plainly_wrong() -> bool {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(true, |d| plainly_wrong_at(d.as_secs()))
}

/// True when `unix_secs` (the wall clock's reading) is before this release.
fn plainly_wrong_at(unix_secs: u64) -> bool {
    unix_secs < RELEASE_UNIX_SECS
}

/// Letters and digits a generated `tradeNo` draws its random part from.
const ALPHABET: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// How many random characters a generated `tradeNo` ends with: 16 of 62 letters and digits,
/// about 95 bits.
pub const TRADE_NO_RANDOM_CHARS: usize = 16;

/// Fills `out` with random bytes from the OS (`getrandom(2)`, else `/dev/urandom`). False when
/// neither gave any (then `out` is left as it was).
fn os_random(out: &mut [u8]) -> bool {
    let mut filled = 0;
    while filled < out.len() {
        let rest = &mut out[filled..];
        // SAFETY: the kernel writes at most `rest.len()` bytes into `rest`. A raw system call,
        // not glibc's getrandom(), which glibc 2.17 (the oldest terminal target) lacks.
        let n = unsafe {
            libc::syscall(
                libc::SYS_getrandom,
                rest.as_mut_ptr().cast::<libc::c_void>(),
                rest.len(),
                0,
            )
        };
        if n > 0 {
            filled += usize::try_from(n).unwrap_or(0);
        } else if n < 0 && std::io::Error::last_os_error().kind() == std::io::ErrorKind::Interrupted
        {
            continue;
        } else {
            break;
        }
    }
    if filled == out.len() {
        return true;
    }
    use std::io::Read;
    std::fs::File::open("/dev/urandom")
        .and_then(|mut f| f.read_exact(out))
        .is_ok()
}

/// A new `tradeNo` for terminal `trm_no` (spec section 11): the terminal number, the
/// milliseconds since 1970 (13 digits), and [`TRADE_NO_RANDOM_CHARS`] random letters and
/// digits from the OS — at most 37 characters, letters and digits only.
///
/// Neither the clock nor the process id is trusted to differ: terminals without a clock
/// battery boot at 1970, and an embedded init gives the payment process the same pid every
/// boot. The random part alone keeps two terminals, or two boots of one, apart; the terminal
/// number keeps two terminals of one merchant apart even if the OS had no randomness to give,
/// and the per-process counter then keeps two calls apart.
pub fn new_trade_no(trm_no: &str) -> String {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let millis = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis())
        .unwrap_or(0);
    let mut random = [0u8; TRADE_NO_RANDOM_CHARS];
    if !os_random(&mut random) {
        // No randomness from the OS: the process id and a counter, as a last resort.
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let seed = (u64::from(std::process::id()) << 32) | u64::from(n);
        for (i, byte) in random.iter_mut().enumerate() {
            *byte = (seed >> ((i % 8) * 8)) as u8 ^ (i as u8).wrapping_mul(31);
        }
    }
    let mut out = String::with_capacity(trm_no.len() + 13 + TRADE_NO_RANDOM_CHARS);
    out.push_str(trm_no);
    // The last 13 digits (below 10^13, so they fit a u64).
    push_digits(&mut out, (millis % 10u128.pow(13)) as u64, 13);
    // 256 is not a multiple of 62: the first 8 letters come a little more often (5 in 256
    // rather than 4), which leaves about 95 bits of the 16 characters' entropy.
    out.extend(
        random
            .iter()
            .map(|b| char::from(ALPHABET[usize::from(*b) % ALPHABET.len()])),
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digits_are_zero_padded_to_their_width() {
        let mut out = String::new();
        push_digits(&mut out, 7, 4);
        push_digits(&mut out, 2026, 4);
        push_digits(&mut out, 0, 2);
        push_digits(&mut out, 1_764_633_600_123, 13);
        push_digits(&mut out, 123_456, 2);
        assert_eq!(out, "0007202600176463360012356");
        let now = local_txn_time();
        assert_eq!(now.len(), 14, "{now}");
        assert!(sys_time_secs(&now).is_some(), "a real moment: {now}");
    }

    #[test]
    fn sys_times_read_as_seconds() {
        assert_eq!(sys_time_secs("19700101000000"), Some(0));
        assert_eq!(sys_time_secs("20261201000000"), Some(RELEASE_UNIX_SECS));
        assert_eq!(sys_time_secs("20000301000000"), Some(951_868_800));
        assert_eq!(
            sys_time_secs("20261202131000").unwrap() - sys_time_secs("20261202125959").unwrap(),
            601
        );
        for bad in [
            "",
            "2026120213100",
            "2026120213100x",
            "20261302131000",
            "20261202241000",
        ] {
            assert_eq!(sys_time_secs(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_clock_before_the_release_is_plainly_wrong() {
        assert!(
            plainly_wrong_at(0),
            "a terminal without a clock battery boots at 1970"
        );
        assert!(plainly_wrong_at(RELEASE_UNIX_SECS - 1));
        assert!(!plainly_wrong_at(RELEASE_UNIX_SECS));
        assert!(!clock_is_plainly_wrong(), "this machine's clock is set");
    }

    #[test]
    fn local_time_is_a_valid_txn_time() {
        crate::fields::txn_time("txn_time", &local_txn_time()).unwrap();
    }

    #[test]
    fn trade_numbers_are_unique_across_threads() {
        let handles: Vec<_> = (0..4)
            .map(|_| {
                std::thread::spawn(|| {
                    (0..2000)
                        .map(|_| new_trade_no("XB006439"))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        let mut all = std::collections::HashSet::new();
        for h in handles {
            for n in h.join().unwrap() {
                assert_eq!(n.len(), 8 + 13 + TRADE_NO_RANDOM_CHARS);
                assert!(n.starts_with("XB006439"), "{n}");
                assert!(n.bytes().all(|b| b.is_ascii_alphanumeric()), "{n}");
                assert!(all.insert(n));
            }
        }
    }
}
