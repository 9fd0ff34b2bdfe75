//! GBK, for the `gbk_body` fault and for GBK request bodies, without a new dependency.
//!
//! `gbk_table.txt` holds the two-byte code page: one line per lead byte `0x81..=0xFE`, each of
//! 190 characters for the trail bytes `0x40..=0xFE` without `0x7F`, `U+FFFD` where GBK assigns
//! nothing. It was generated from Python's `gbk` codec.

use std::collections::HashMap;
use std::sync::OnceLock;

const TABLE_TEXT: &str = include_str!("gbk_table.txt");
const TRAILS_PER_LEAD: usize = 190;

struct Table {
    /// Indexed by `(lead - 0x81) * 190 + trail slot`.
    decode: Vec<char>,
    encode: HashMap<char, [u8; 2]>,
}

fn table() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    TABLE.get_or_init(|| {
        let decode: Vec<char> = TABLE_TEXT.lines().flat_map(str::chars).collect();
        let encode = decode
            .iter()
            .enumerate()
            .filter(|(_, c)| **c != char::REPLACEMENT_CHARACTER)
            .filter_map(|(i, c)| Some((*c, pair(i)?)))
            .collect();
        Table { decode, encode }
    })
}

/// The GBK bytes of table slot `index`.
fn pair(index: usize) -> Option<[u8; 2]> {
    let lead = u8::try_from(0x81 + index / TRAILS_PER_LEAD).ok()?;
    let slot = u8::try_from(index % TRAILS_PER_LEAD).ok()?;
    let trail = if slot < 0x3F {
        0x40 + slot
    } else {
        0x41 + slot
    };
    Some([lead, trail])
}

/// The table slot of a GBK byte pair.
fn slot(lead: u8, trail: u8) -> Option<usize> {
    let trail = match trail {
        0x40..=0x7E => trail - 0x40,
        0x80..=0xFE => trail - 0x41,
        _ => return None,
    };
    match lead {
        0x81..=0xFE => Some(usize::from(lead - 0x81) * TRAILS_PER_LEAD + usize::from(trail)),
        _ => None,
    }
}

/// How many bytes `text` takes in GBK, as the gateway counts field lengths: 1 for an ASCII
/// character, 2 for any other.
pub fn byte_len(text: &str) -> usize {
    text.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum()
}

/// Encodes `text` as GBK; a character GBK does not have becomes `?`.
pub fn encode(text: &str) -> Vec<u8> {
    let table = table();
    let mut out = Vec::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii() {
            out.push(c as u8);
        } else if let Some(bytes) = table.encode.get(&c) {
            out.extend_from_slice(bytes);
        } else {
            out.push(b'?');
        }
    }
    out
}

/// Decodes GBK bytes; `None` when they are not valid GBK.
pub fn decode(bytes: &[u8]) -> Option<String> {
    let table = table();
    let mut out = String::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b.is_ascii() {
            out.push(char::from(b));
            i += 1;
        } else {
            let c = *table.decode.get(slot(b, *bytes.get(i + 1)?)?)?;
            if c == char::REPLACEMENT_CHARACTER {
                return None;
            }
            out.push(c);
            i += 2;
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_shape() {
        assert_eq!(TABLE_TEXT.lines().count(), 126);
        assert!(TABLE_TEXT
            .lines()
            .all(|l| l.chars().count() == TRAILS_PER_LEAD));
        for index in [0, 62, 63, 189, 190, 23_939] {
            let [lead, trail] = pair(index).unwrap();
            assert_eq!(slot(lead, trail), Some(index));
        }
    }

    #[test]
    fn known_words() {
        assert_eq!(
            encode("交易成功"),
            [0xBD, 0xBB, 0xD2, 0xD7, 0xB3, 0xC9, 0xB9, 0xA6]
        );
        assert_eq!(
            encode("等待支付"),
            [0xB5, 0xC8, 0xB4, 0xFD, 0xD6, 0xA7, 0xB8, 0xB6]
        );
        assert_eq!(
            decode(&encode("退款成功 ok，咖啡")).as_deref(),
            Some("退款成功 ok，咖啡")
        );
        assert_eq!(encode("😀"), b"?");
        assert_eq!(byte_len("ab咖啡"), 6);
        assert_eq!(decode(&[0xBD]), None);
        assert_eq!(decode(&[0xBD, 0x7F]), None);
        assert_eq!(decode(&[0xFF, 0x40]), None);
    }
}
