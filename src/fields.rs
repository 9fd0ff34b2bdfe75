//! Validation rules for what the caller hands in. Every failure is an
//! [`Error::invalid`](crate::Error::invalid) that names the field and the rule it broke.

use crate::error::Error;

/// Rejects ASCII control characters, which have no place in any field.
fn no_controls(field: &str, value: &str) -> Result<(), Error> {
    match value.char_indices().find(|(_, c)| c.is_control()) {
        Some((at, _)) => Err(Error::invalid(
            field,
            format!("control character at byte {at}"),
        )),
        None => Ok(()),
    }
}

/// Rejects the word `null` in any letter case as a value: the vendor's SDK docs say the
/// gateway reads it as the field being absent (iOS SDK error 100009), so what was sent would
/// not be what the gateway records. The caller leaves the field out instead.
pub fn not_null(field: &str, value: &str) -> Result<(), Error> {
    if value.eq_ignore_ascii_case("null") {
        return Err(Error::invalid(
            field,
            "must not be the word null: leave it out instead",
        ));
    }
    Ok(())
}

/// A required identifier: 1 to `max` ASCII letters or digits (`orgNo`, `mercId`, `trmNo`).
pub fn alnum(field: &str, value: &str, max: usize) -> Result<(), Error> {
    if value.is_empty() {
        return Err(Error::invalid(field, "is required"));
    }
    if value.len() > max {
        return Err(Error::invalid(
            field,
            format!("must be at most {max} characters, got {}", value.len()),
        ));
    }
    if !value.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Err(Error::invalid(
            field,
            "must be ASCII letters and digits only",
        ));
    }
    Ok(())
}

/// A token: 1 to `max` printable ASCII characters without spaces (`version`, `code`, `openid`,
/// `tradeNo`, `qryNo`, `orderNo`), and not the word `null` ([`not_null`]).
pub fn token(field: &str, value: &str, max: usize) -> Result<(), Error> {
    if value.is_empty() {
        return Err(Error::invalid(field, "is required"));
    }
    not_null(field, value)?;
    if value.len() > max {
        return Err(Error::invalid(
            field,
            format!("must be at most {max} characters, got {}", value.len()),
        ));
    }
    if !value.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(Error::invalid(
            field,
            "must be printable ASCII without spaces",
        ));
    }
    Ok(())
}

/// The length of `value` as the gateway counts it: bytes in GBK, its documented charset, where
/// an ASCII character is 1 byte and any other character 2 (spec section 10).
pub fn gbk_len(value: &str) -> usize {
    value
        .chars()
        .map(|c| if c.is_ascii() { 1 } else { 2 })
        .sum()
}

/// Free text of at most `max_bytes` GBK bytes (`subject`, `attach`, `goods_tag`, ...): ASCII
/// counts 1, any other character 2 (spec section 10); not the word `null` ([`not_null`]).
pub fn text(field: &str, value: &str, max_bytes: usize) -> Result<(), Error> {
    no_controls(field, value)?;
    not_null(field, value)?;
    let bytes = gbk_len(value);
    if bytes > max_bytes {
        return Err(Error::invalid(
            field,
            format!(
                "must be at most {max_bytes} bytes counted in GBK (ASCII 1, other characters 2), \
                 got {bytes}"
            ),
        ));
    }
    Ok(())
}

/// The protocol versions the gateway documents, and the only ones this library speaks: the
/// answers it reads are those of these versions.
pub const VERSIONS: [&str; 2] = ["V1.0.0", "V1.0.1"];

/// A protocol version: one of [`VERSIONS`]. Anything else would be refused by the gateway
/// after the request (and, for a sale, the journal entry) had been made.
pub fn version(field: &str, value: &str) -> Result<(), Error> {
    not_null(field, value)?;
    if !VERSIONS.contains(&value) {
        return Err(Error::invalid(
            field,
            format!(
                "must be {} (the protocol versions the gateway documents), got {value:?}",
                VERSIONS.join(" or ")
            ),
        ));
    }
    Ok(())
}

/// A coordinate (`latitude`, `longitude`) as the vendor's SDK docs define it: empty (not
/// sent), or a decimal number of degrees within ±`limit` (90 for latitude, 180 for longitude)
/// with 1 to 5 decimals, an optional leading `-` and at most 15 characters (the documented
/// maximum): `31.23042`, `-121.5`. Anything else (no decimals, 6 decimals, a `+`, spaces,
/// exponents) is refused before it is sent.
pub fn coordinate(field: &str, value: &str, limit: u32) -> Result<(), Error> {
    if value.is_empty() {
        return Ok(());
    }
    let digits = value.strip_prefix('-').unwrap_or(value);
    let within = value.len() <= 15
        && digits.split_once('.').is_some_and(|(whole, fraction)| {
            !whole.is_empty()
                && (1..=5).contains(&fraction.len())
                && whole
                    .bytes()
                    .chain(fraction.bytes())
                    .all(|b| b.is_ascii_digit())
                // At most 14 digits here: a u64 holds them.
                && whole.parse::<u64>().is_ok_and(|w| {
                    w < u64::from(limit)
                        || (w == u64::from(limit) && fraction.bytes().all(|b| b == b'0'))
                })
        });
    if !within {
        let example = if limit == 90 { "31.23042" } else { "121.47370" };
        let got = if value.chars().count() <= 32 {
            format!("{value:?}")
        } else {
            format!("{} characters", value.chars().count())
        };
        return Err(Error::invalid(
            field,
            format!(
                "must be degrees from -{limit} to {limit} written as a decimal number with 1 to 5 \
                 decimals, at most 15 characters (like {example} or -{limit}.0), got {got}"
            ),
        ));
    }
    Ok(())
}

/// The merchant key: 16 to 128 ASCII letters and digits, as the gateway issues them.
pub fn key(value: &str) -> Result<(), Error> {
    if value.is_empty() {
        return Err(Error::invalid("key", "is required"));
    }
    // The key's value never goes into an error text, only its shape.
    if !(16..=128).contains(&value.len()) || !value.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Err(Error::invalid(
            "key",
            format!(
                "must be 16 to 128 ASCII letters and digits (got {} characters)",
                value.chars().count()
            ),
        ));
    }
    Ok(())
}

/// A terminal time `yyyyMMddHHmmss` that names a real moment (months 1-12, days of that month,
/// leap years, hours < 24, minutes and seconds < 60).
pub fn txn_time(field: &str, value: &str) -> Result<(), Error> {
    let bad = |why: &str| Error::invalid(field, format!("must be yyyyMMddHHmmss, {why}"));
    if value.len() != 14 || !value.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad("14 digits"));
    }
    let num = |from: usize, to: usize| -> u32 {
        value[from..to]
            .bytes()
            .fold(0, |acc, b| acc * 10 + u32::from(b - b'0'))
    };
    let (year, month, day) = (num(0, 4), num(4, 6), num(6, 8));
    let (hour, minute, second) = (num(8, 10), num(10, 12), num(12, 14));
    if !(1..=12).contains(&month) {
        return Err(bad(&format!("month {month:02} does not exist")));
    }
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let days = match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    if day == 0 || day > days {
        return Err(bad(&format!(
            "day {day:02} does not exist in month {month:02}"
        )));
    }
    if hour > 23 || minute > 59 || second > 59 {
        return Err(bad(&format!(
            "time {hour:02}:{minute:02}:{second:02} does not exist"
        )));
    }
    Ok(())
}

/// The largest amount the gateway carries: 13 digits of fen.
pub const MAX_AMOUNT_FEN: u64 = 9_999_999_999_999;

/// An amount in fen: positive and at most 13 digits.
pub fn amount(field: &str, fen: u64) -> Result<(), Error> {
    if fen == 0 {
        return Err(Error::invalid(field, "must be a positive number of fen"));
    }
    if fen > MAX_AMOUNT_FEN {
        return Err(Error::invalid(
            field,
            format!("must be at most 13 digits of fen, got {fen}"),
        ));
    }
    Ok(())
}

/// A web URL in `field`: `http://` or `https://` followed by a host, without spaces.
pub fn web_url(field: &str, value: &str) -> Result<(), Error> {
    no_controls(field, value)?;
    let rest = value
        .strip_prefix("http://")
        .or_else(|| value.strip_prefix("https://"))
        .ok_or_else(|| Error::invalid(field, "must start with http:// or https://"))?;
    if rest.is_empty() || rest.starts_with('/') || value.contains(' ') {
        return Err(Error::invalid(field, "must name a host, without spaces"));
    }
    Ok(())
}

/// The gateway's base URL: a [`web_url`] that goes into the request line as written, so only
/// the characters a URL may carry unencoded (RFC 3986), and no `#` fragment. Anything else
/// would be sent and refused by the server, which would read as an in-doubt HTTP error.
pub fn base_url(value: &str) -> Result<(), Error> {
    web_url("base_url", value)?;
    // A `match`, not a search of a string of them per character: this runs on every call
    // through the C ABI (1.8k instructions a call with `str::contains`).
    let unsafe_in_url = |c: char| {
        !c.is_ascii_graphic()
            || matches!(
                c,
                '#' | '"' | '<' | '>' | '\\' | '^' | '`' | '{' | '|' | '}'
            )
    };
    if let Some(bad) = value.chars().find(|c| unsafe_in_url(*c)) {
        return Err(Error::invalid(
            "base_url",
            format!("must be plain URL characters (percent-encode the rest), got {bad:?}"),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn txn_time_checks_the_calendar() {
        assert!(txn_time("txn_time", "20170804103115").is_ok());
        assert!(txn_time("txn_time", "20240229235959").is_ok());
        assert!(txn_time("txn_time", "20000229000000").is_ok());
        for bad in [
            "20261301000000",
            "20230229000000",
            "19000229000000",
            "20260431000000",
            "20260101240000",
            "20260101006000",
            "2026010100000",
            "2026010100000a",
            "",
        ] {
            let e = txn_time("txn_time", bad).unwrap_err();
            assert!(e.detail().starts_with("txn_time: "), "{bad}: {e}");
        }
    }

    #[test]
    fn identifiers_and_tokens() {
        assert!(alnum("trm_no", "XB006439", 8).is_ok());
        assert!(alnum("trm_no", "XB0064391", 8)
            .unwrap_err()
            .detail()
            .contains("at most 8"));
        assert!(alnum("trm_no", "XB-00643", 8).is_err());
        assert!(alnum("trm_no", "", 8)
            .unwrap_err()
            .detail()
            .contains("required"));
        assert!(token("code", "abc DEF", 64).is_err());
        assert!(token("code", &"a".repeat(64), 64).is_ok());
        assert!(token("code", &"a".repeat(65), 64).is_err());
    }

    #[test]
    fn the_word_null_is_refused_in_tokens_and_texts() {
        for word in ["null", "NULL", "Null", "nUlL"] {
            for e in [
                token("trade_no", word, 64).unwrap_err(),
                text("subject", word, 512).unwrap_err(),
                not_null("auth_code", word).unwrap_err(),
            ] {
                assert!(
                    e.detail()
                        .ends_with(": must not be the word null: leave it out instead"),
                    "{word}: {e}"
                );
            }
        }
        // Only the whole value: text that contains the word is text.
        for fine in ["nullable", "null pointer", "nul", "null1", "anull"] {
            assert!(text("subject", fine, 512).is_ok(), "{fine}");
        }
        assert!(token("trade_no", "null1", 64).is_ok());
    }

    #[test]
    fn text_counts_gbk_bytes_and_refuses_controls() {
        assert!(text("subject", &"好".repeat(128), 256).is_ok());
        let e = text("subject", &"好".repeat(129), 256).unwrap_err();
        assert!(
            e.detail().starts_with("subject: must be at most 256 bytes"),
            "{e}"
        );
        assert!(e.detail().ends_with("got 258"), "{e}");
        assert!(text("subject", &format!("{}a", "好".repeat(127)), 256).is_ok());
        assert!(text("subject", &"a".repeat(256), 256).is_ok());
        assert!(text("subject", &"a".repeat(257), 256).is_err());
        assert!(text("subject", "a\nb", 256)
            .unwrap_err()
            .detail()
            .contains("control"));
    }

    #[test]
    fn only_the_documented_versions_are_sent() {
        for good in ["V1.0.0", "V1.0.1"] {
            assert!(version("version", good).is_ok(), "{good}");
        }
        for bad in [
            "1", "v1.0.0", "V1.0", "V1.0.2", "V2.0.0", "V1.0.0 ", "V1..0",
        ] {
            let e = version("version", bad).unwrap_err();
            assert!(
                e.detail()
                    .starts_with("version: must be V1.0.0 or V1.0.1 (the protocol versions"),
                "{bad}: {e}"
            );
        }
    }

    #[test]
    fn coordinates_as_the_sdk_docs_define_them() {
        for good in [
            "",
            "31.23042",
            "-31.5",
            "0.0",
            "-0.5",
            "90.0",
            "-90.00000",
            "89.99999",
            "031.2",
        ] {
            assert!(coordinate("latitude", good, 90).is_ok(), "{good}");
        }
        for good in ["180.0", "-180.00000", "121.47370", "-121.5", "179.99999"] {
            assert!(coordinate("longitude", good, 180).is_ok(), "{good}");
        }
        for bad in [
            "31",
            "-31",
            "31.",
            ".5",
            "-.5",
            "31.230421",
            "+31.2",
            "31.2 ",
            " 31.2",
            "31,2",
            "3e1.0",
            "91.0",
            "90.00001",
            "-90.5",
            "1-2.3",
            "--1.0",
            "000000000000031.2",
            "north",
        ] {
            let e = coordinate("latitude", bad, 90).unwrap_err();
            assert!(
                e.detail().starts_with(
                    "latitude: must be degrees from -90 to 90 written as a decimal number with \
                     1 to 5 decimals, at most 15 characters (like 31.23042"
                ),
                "{bad}: {e}"
            );
        }
        for bad in ["180.1", "-181.0", "121", "121.473701"] {
            let e = coordinate("longitude", bad, 180).unwrap_err();
            assert!(
                e.detail()
                    .starts_with("longitude: must be degrees from -180 to 180"),
                "{bad}: {e}"
            );
        }
        // A long value is described, not echoed whole.
        let e = coordinate("longitude", &"9".repeat(100), 180).unwrap_err();
        assert!(e.detail().ends_with("got 100 characters"), "{e}");
    }

    #[test]
    fn key_shape_is_checked_without_echoing_it() {
        assert!(key("9FF13E7726C4DFEB3BED750779F59711").is_ok());
        let e = key("short-secret!").unwrap_err();
        assert!(!e.detail().contains("short-secret"));
        assert!(key("").is_err());
    }

    #[test]
    fn amounts_and_urls() {
        assert!(amount("amount", 1).is_ok());
        assert!(amount("amount", 0).is_err());
        assert!(amount("amount", MAX_AMOUNT_FEN).is_ok());
        assert!(amount("amount", MAX_AMOUNT_FEN + 1).is_err());
        assert!(base_url("http://127.0.0.1:8080/adpweb/").is_ok());
        assert!(base_url("ftp://x").is_err());
        assert!(base_url("http://").is_err());
        assert!(base_url("http://gw.example:8080/a-b_c.d~e/%E6%94%AF/?x=1&y=2/").is_ok());
        for bad in [
            "http://h/a#b/",
            "http://h/支付/",
            "http://h/a|b/",
            "http://h/{x}/",
            "http://h/a\"b/",
            "http://h/a<b/",
            "http://h/a>b/",
            "http://h/a\\b/",
            "http://h/a^b/",
            "http://h/a`b/",
            "http://h/a}b/",
        ] {
            let e = base_url(bad).unwrap_err();
            assert!(
                e.detail().starts_with("base_url: must be plain URL"),
                "{bad}: {e}"
            );
        }
        // Other URLs (a WeChat redirect_uri) may carry a fragment.
        assert!(web_url("redirect_uri", "https://shop.example/#/pay").is_ok());
    }
}
