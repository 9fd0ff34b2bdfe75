//! The journal's bytes: a header line naming the format and its version, then one line per
//! record, `<CRC-32 of the payload, 8 hex digits> <JSON payload>\n`.

use super::{Entry, Kind};
use crate::error::Status;
use crate::model::TxnResult;
use serde_json::{Map, Value};

/// The first word of a journal file.
pub(super) const MAGIC: &str = "starpos-journal";
/// The format version this library writes.
pub(super) const VERSION: u32 = 1;
/// The `rec` of a record holding one sale's whole state.
const SALE: &str = "sale";

/// The header line this library writes, newline included.
pub(super) fn header() -> String {
    format!("{MAGIC} {VERSION}\n")
}

/// The format version a header line (without its newline) names, or `None` when the line is
/// not a journal header. Words after the version are ignored (room for later versions).
pub(super) fn parse_header(line: &[u8]) -> Option<u32> {
    let line = std::str::from_utf8(line).ok()?;
    let mut words = line.split(' ');
    if words.next() != Some(MAGIC) {
        return None;
    }
    words.next()?.parse().ok().filter(|v| *v >= 1)
}

/// The CRC-32 (IEEE 802.3, reflected, as zlib and `cksum -a crc32b` compute it) table.
const CRC_TABLE: [u32; 256] = crc_table();

const fn crc_table() -> [u32; 256] {
    let mut table = [0u32; 256];
    let mut i = 0;
    while i < 256 {
        let mut c = i as u32;
        let mut bit = 0;
        while bit < 8 {
            c = if c & 1 != 0 {
                0xEDB8_8320 ^ (c >> 1)
            } else {
                c >> 1
            };
            bit += 1;
        }
        table[i] = c;
        i += 1;
    }
    table
}

/// The CRC-32 of `bytes`.
pub(super) fn crc32(bytes: &[u8]) -> u32 {
    !bytes.iter().fold(!0u32, |crc, b| {
        CRC_TABLE[((crc ^ u32::from(*b)) & 0xFF) as usize] ^ (crc >> 8)
    })
}

/// The record line for a sale's whole state, newline included. Written by hand rather than
/// through `serde_json::Value` (smaller code); the JSON is compact and escapes control
/// characters, so it never holds a raw newline.
pub(super) fn encode(entry: &Entry) -> Vec<u8> {
    let mut payload = format!("{{\"rec\":\"{SALE}\"");
    let texts = [
        ("id", entry.id.as_str()),
        ("kind", entry.kind.as_str()),
        ("trade_no", &entry.trade_no),
        ("sel_order_no", &entry.sel_order_no),
        ("log_no", &entry.log_no),
        ("order_no", &entry.order_no),
        ("txn_time", &entry.txn_time),
        ("pay_channel", &entry.pay_channel),
        ("opr_id", &entry.opr_id),
        ("status", entry.status.name()),
        ("error", &entry.error),
        ("sys_time", &entry.sys_time),
        ("not_found_since", &entry.not_found_since),
    ];
    for (name, value) in texts {
        payload.push_str(&format!(",\"{name}\":"));
        push_json_string(&mut payload, value);
    }
    let numbers = [
        ("amount", entry.amount),
        ("total_amount", entry.total_amount),
        ("created_unix_ms", entry.created_unix_ms),
        ("updated_unix_ms", entry.updated_unix_ms),
        ("not_found", u64::from(entry.not_found)),
        ("recoveries", u64::from(entry.recoveries)),
    ];
    for (name, value) in numbers {
        payload.push_str(&format!(",\"{name}\":{value}"));
    }
    match entry.result {
        Some(result) => payload.push_str(&format!(",\"result\":\"{}\"", result.as_char())),
        None => payload.push_str(",\"result\":null"),
    }
    payload.push_str(&format!(
        ",\"attention\":{},\"settled\":{}}}",
        entry.attention, entry.settled
    ));
    let mut line = format!("{:08x} ", crc32(payload.as_bytes())).into_bytes();
    line.extend_from_slice(payload.as_bytes());
    line.push(b'\n');
    line
}

/// Appends `text` as a JSON string: quoted, `"` and `\` escaped, control characters as
/// `\u00XX`.
fn push_json_string(out: &mut String, text: &str) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if u32::from(c) < 0x20 => out.push_str(&format!("\\u{:04x}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
}

/// What one record line (without its newline) holds.
#[derive(Debug, PartialEq)]
pub(super) enum Record {
    /// A sale's whole state.
    Sale(Box<Entry>),
    /// A well-formed record of a kind this version does not know (`rec` names it).
    Unknown(String),
    /// A line that fails its checksum or does not parse: why.
    Damaged(String),
}

/// Reads one record line (without its newline). Fields this version does not know are
/// ignored.
pub(super) fn decode(line: &[u8]) -> Record {
    let (crc, payload) = match line.get(..9) {
        Some([head @ .., b' ']) => (head, &line[9..]),
        _ => return Record::Damaged("no checksum".into()),
    };
    let crc = std::str::from_utf8(crc)
        .ok()
        .and_then(|hex| u32::from_str_radix(hex, 16).ok());
    if crc != Some(crc32(payload)) {
        return Record::Damaged("checksum mismatch".into());
    }
    let object = match serde_json::from_slice::<Value>(payload) {
        Ok(Value::Object(object)) => object,
        _ => return Record::Damaged("payload is not a JSON object".into()),
    };
    match object.get("rec").and_then(Value::as_str) {
        Some(SALE) => match sale(&object) {
            Ok(entry) => Record::Sale(Box::new(entry)),
            Err(why) => Record::Damaged(why),
        },
        Some(other) => Record::Unknown(other.to_owned()),
        None => Record::Damaged("no \"rec\" field".into()),
    }
}

/// A text field, empty when missing or not a string.
fn text(object: &Map<String, Value>, name: &str) -> String {
    object
        .get(name)
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_owned()
}

/// A number field, 0 when missing or not a whole number.
fn number(object: &Map<String, Value>, name: &str) -> u64 {
    object.get(name).and_then(Value::as_u64).unwrap_or(0)
}

/// The sale in a record's fields; a missing text or number field reads as empty or 0.
fn sale(object: &Map<String, Value>) -> Result<Entry, String> {
    let id = text(object, "id");
    if id.is_empty() {
        return Err("sale without an id".into());
    }
    let kind = text(object, "kind")
        .parse::<Kind>()
        .map_err(|_| format!("sale {id}: unknown kind"))?;
    let status_name = text(object, "status");
    // A status this version does not know (a newer library's) reads as in doubt.
    let status = Status::ALL
        .into_iter()
        .find(|s| s.name() == status_name)
        .unwrap_or(Status::Internal);
    let result = text(object, "result")
        .chars()
        .next()
        .and_then(TxnResult::from_char);
    Ok(Entry {
        kind,
        trade_no: text(object, "trade_no"),
        sel_order_no: text(object, "sel_order_no"),
        log_no: text(object, "log_no"),
        order_no: text(object, "order_no"),
        txn_time: text(object, "txn_time"),
        amount: number(object, "amount"),
        total_amount: number(object, "total_amount"),
        pay_channel: text(object, "pay_channel"),
        opr_id: text(object, "opr_id"),
        status,
        result,
        error: text(object, "error"),
        settled: object.get("settled") == Some(&Value::Bool(true)),
        created_unix_ms: number(object, "created_unix_ms"),
        updated_unix_ms: number(object, "updated_unix_ms"),
        sys_time: text(object, "sys_time"),
        not_found: u32::try_from(number(object, "not_found")).unwrap_or(u32::MAX),
        not_found_since: text(object, "not_found_since"),
        recoveries: u32::try_from(number(object, "recoveries")).unwrap_or(u32::MAX),
        attention: object.get("attention") == Some(&Value::Bool(true)),
        id,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Entry {
        Entry {
            id: "18c-2a-0".into(),
            trade_no: "20260101000000123".into(),
            amount: 100,
            total_amount: 120,
            pay_channel: "ALIPAY".into(),
            opr_id: "c01".into(),
            result: Some(TxnResult::Waiting),
            error: "timed out after 30000 ms \"quoted\"\nnext\tline \\ \u{1}\u{7f} 超时".into(),
            created_unix_ms: 5,
            updated_unix_ms: 6,
            sys_time: "20261202130000".into(),
            not_found: 2,
            not_found_since: "20261202125000".into(),
            recoveries: 1,
            attention: true,
            ..Entry::new(Kind::QrPay)
        }
    }

    /// A record line with `payload` and its correct checksum (no newline).
    fn line(payload: &str) -> Vec<u8> {
        format!("{:08x} {payload}", crc32(payload.as_bytes())).into_bytes()
    }

    #[test]
    fn crc32_matches_the_standard_check_value() {
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
        assert_eq!(crc32(b""), 0);
    }

    #[test]
    fn a_sale_round_trips_on_one_line() {
        let entry = sample();
        let bytes = encode(&entry);
        assert_eq!(bytes.iter().filter(|b| **b == b'\n').count(), 1);
        assert_eq!(bytes.last(), Some(&b'\n'));
        assert_eq!(
            decode(&bytes[..bytes.len() - 1]),
            Record::Sale(Box::new(entry))
        );
    }

    #[test]
    fn every_changed_byte_is_caught() {
        let bytes = encode(&sample());
        let line = &bytes[..bytes.len() - 1];
        for i in 0..line.len() {
            let mut bad = line.to_vec();
            bad[i] ^= 0x01;
            assert!(
                matches!(decode(&bad), Record::Damaged(_)),
                "flipped bit in byte {i} went unnoticed"
            );
        }
    }

    #[test]
    fn unknown_fields_are_ignored_and_unknown_kinds_named() {
        let with_extra = line(
            r#"{"rec":"sale","id":"a","kind":"refund","status":"OK","settled":true,"new":{"x":1}}"#,
        );
        match decode(&with_extra) {
            Record::Sale(entry) => {
                assert_eq!(entry.kind, Kind::Refund);
                // Written before the channel and the cashier were recorded: empty.
                assert_eq!(
                    (entry.pay_channel.as_str(), entry.opr_id.as_str()),
                    ("", "")
                );
                assert_eq!(entry.status, Status::Ok);
                assert!(entry.settled);
            }
            other => panic!("expected a sale, got {other:?}"),
        }
        assert_eq!(
            decode(&line(r#"{"rec":"checkpoint","at":1}"#)),
            Record::Unknown("checkpoint".into())
        );
        // A newer library's status is read as in doubt, never as final.
        match decode(&line(
            r#"{"rec":"sale","id":"b","kind":"pay","status":"NEWER"}"#,
        )) {
            Record::Sale(entry) => assert!(entry.status.in_doubt()),
            other => panic!("expected a sale, got {other:?}"),
        }
    }

    #[test]
    fn headers_name_their_version() {
        assert_eq!(parse_header(header().trim_end().as_bytes()), Some(VERSION));
        assert_eq!(parse_header(b"starpos-journal 7 more words"), Some(7));
        assert_eq!(parse_header(b"starpos-journal x"), None);
        assert_eq!(parse_header(b"{\"id\":1}"), None);
    }
}
