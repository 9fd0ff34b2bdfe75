//! Percent-encoding as the gateway uses it: `message` arrives URL-encoded UTF-8, and the WeChat
//! OAuth link carries a URL-encoded `redirect_uri`.

/// Decodes `%XX` escapes and `+` (a space, as Java's `URLEncoder` writes it) into UTF-8 text.
///
/// Fails, saying where, on a `%` not followed by two hex digits, or when the decoded bytes are
/// not UTF-8: a message that cannot be decoded cannot be verified either.
pub fn decode(input: &str) -> Result<String, String> {
    if !input.bytes().any(|b| b == b'%' || b == b'+') {
        return Ok(input.to_owned());
    }
    let bytes = input.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let hi = bytes.get(i + 1).and_then(|b| hex_value(*b));
                let lo = bytes.get(i + 2).and_then(|b| hex_value(*b));
                match (hi, lo) {
                    (Some(hi), Some(lo)) => out.push(hi << 4 | lo),
                    _ => return Err(format!("broken percent-encoding at byte {i}")),
                }
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).map_err(|e| {
        format!(
            "percent-decoded bytes are not UTF-8 (at byte {})",
            e.utf8_error().valid_up_to()
        )
    })
}

/// Encodes everything but the RFC 3986 unreserved characters (`A-Z a-z 0-9 - . _ ~`) as `%XX`
/// over the UTF-8 bytes, which is what a URL query value needs.
pub fn encode(input: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(input.len() * 3);
    for b in input.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push('%');
            out.push(HEX[usize::from(b >> 4)] as char);
            out.push(HEX[usize::from(b & 0x0f)] as char);
        }
    }
    out
}

fn hex_value(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_gateway_message() {
        assert_eq!(
            decode("%E4%BA%A4%E6%98%93%E6%88%90%E5%8A%9F").unwrap(),
            "交易成功"
        );
        assert_eq!(
            decode("%E7%AD%89%E5%BE%85%E6%94%AF%E4%BB%98").unwrap(),
            "等待支付"
        );
        assert_eq!(decode("plain text").unwrap(), "plain text");
        assert_eq!(decode("a+b%2Bc").unwrap(), "a b+c");
    }

    #[test]
    fn rejects_broken_escapes() {
        assert!(decode("%E4%BA%").unwrap_err().contains("byte 6"));
        assert!(decode("%zz").is_err());
        assert!(decode("%E4").unwrap_err().contains("UTF-8"));
    }

    #[test]
    fn encode_round_trips() {
        let s = "https://shop.example/cb?x=1&y=交易 ok~";
        assert_eq!(decode(&encode(s)).unwrap(), s);
        assert_eq!(encode("a b/c"), "a%20b%2Fc");
    }
}
