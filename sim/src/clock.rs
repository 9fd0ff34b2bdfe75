//! Wall-clock helpers: the gateway's `sysTime` is China Standard Time (UTC+8),
//! `yyyyMMddHHmmss`.

use std::time::{SystemTime, UNIX_EPOCH};

/// Seconds since the Unix epoch (0 if the clock is before it).
pub fn unix_seconds() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// Nanoseconds since the Unix epoch, for seeding numbers.
pub fn unix_nanos() -> u128 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0)
}

/// The current time in China as `yyyyMMddHHmmss`.
pub fn sys_time() -> String {
    format_cst(unix_seconds())
}

/// Formats Unix seconds as China Standard Time `yyyyMMddHHmmss`.
pub fn format_cst(unix: u64) -> String {
    let local = unix + 8 * 3600;
    let days = local / 86_400;
    let rem = local % 86_400;
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}{m:02}{d:02}{:02}{:02}{:02}",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// Days since 1970-01-01 to a (year, month, day) date (Howard Hinnant's algorithm).
fn civil_from_days(days: u64) -> (u64, u64, u64) {
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z % 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + u64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_known_moments() {
        assert_eq!(format_cst(0), "19700101080000");
        // 2019-01-08 10:52:51 UTC is 18:52:51 in China (the sandbox answer in the spec).
        assert_eq!(format_cst(1_546_944_771), "20190108185251");
        // 2024-02-29 16:00:00 UTC is midnight of March 1st in China.
        assert_eq!(format_cst(1_709_222_400), "20240301000000");
    }
}
