//! GBK, for the `gbk_body` fault and for GBK request bodies, through `encoding_rs` (the
//! WHATWG GBK code page, the same crate the library's `gbk` feature uses).

use encoding_rs::{EncoderResult, GBK};

/// How many bytes `text` takes in GBK, as the gateway counts field lengths: 1 for an ASCII
/// character, 2 for any other.
pub fn byte_len(text: &str) -> usize {
    text.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum()
}

/// Encodes `text` as GBK; a character GBK does not have becomes `?`.
pub fn encode(text: &str) -> Vec<u8> {
    let mut encoder = GBK.new_encoder();
    let mut out = Vec::with_capacity(text.len() + 16);
    let mut rest = text;
    loop {
        let (result, read) =
            encoder.encode_from_utf8_to_vec_without_replacement(rest, &mut out, true);
        rest = &rest[read..];
        match result {
            EncoderResult::InputEmpty => return out,
            EncoderResult::OutputFull => out.reserve(rest.len() + 16),
            EncoderResult::Unmappable(_) => out.push(b'?'),
        }
    }
}

/// Decodes GBK bytes; `None` when they are not valid GBK.
pub fn decode(bytes: &[u8]) -> Option<String> {
    GBK.decode_without_bom_handling_and_without_replacement(bytes)
        .map(|text| text.into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert_eq!(encode("a😀b咖"), [b'a', b'?', b'b', 0xBF, 0xA7]);
        assert_eq!(byte_len("ab咖啡"), 6);
        assert_eq!(decode(&[0xBD]), None);
        assert_eq!(decode(&[0xBD, 0x7F]), None);
        assert_eq!(decode(&[0xFF, 0x40]), None);
    }

    #[test]
    fn long_text_grows_the_buffer() {
        let text = "咖啡".repeat(5000) + "😀";
        let bytes = encode(&text);
        assert_eq!(bytes.len(), 20_001);
        assert_eq!(
            decode(&bytes[..20_000]).as_deref(),
            Some(&text[..text.len() - 4])
        );
    }
}
