//! Layer 1: the gateway's MD5 signature, as pure functions over `(name, value)` pairs.
//!
//! The rule (spec section 2): leave out `signValue`, order the other fields by their names
//! lower-cased, concatenate the values only, remove every space, append the key, MD5 the UTF-8
//! bytes, and write the digest as 32 lower-case hex characters.

use md5::{Digest, Md5};

/// The name of the field that carries the signature; it is never part of what is signed.
pub const SIGN_VALUE: &str = "signValue";

/// The first 16 of `bytes` (zero-padded) as a big-endian number: comparing two of them
/// compares those prefixes byte by byte, so a sort of names compares integers first and the
/// whole names only on a tie. For signing the bytes are lower-cased, for a JSON body not.
pub(crate) fn prefix_key(bytes: impl Iterator<Item = u8>) -> u128 {
    let mut key = [0u8; 16];
    for (slot, b) in key.iter_mut().zip(bytes) {
        *slot = b;
    }
    u128::from_be_bytes(key)
}

/// The fields to sign, `signValue` left out, in signing order: by name lower-cased, then by
/// the name's own bytes (`logNo` before `LogNo`), then by value, so the order never depends on
/// the input's. Sorted without allocating a lower-cased copy of any name.
fn signing_order<'a, I>(fields: I) -> Vec<(u128, &'a str, &'a str)>
where
    I: IntoIterator<Item = (&'a str, &'a str)>,
{
    // Each name's first 16 bytes lower-cased: compared the way the rule does, without a
    // lower-cased copy of the name.
    let prefix = |name: &str| prefix_key(name.bytes().map(|b| b.to_ascii_lowercase()));
    let mut sorted: Vec<(u128, &str, &str)> = fields
        .into_iter()
        .filter(|(name, _)| *name != SIGN_VALUE)
        .map(|(name, value)| (prefix(name), name, value))
        .collect();
    sorted.sort_unstable_by(|a, b| {
        let lower = |s: &'a str| s.bytes().map(|c| c.to_ascii_lowercase());
        a.0.cmp(&b.0)
            .then_with(|| lower(a.1).cmp(lower(b.1)))
            .then_with(|| a.1.cmp(b.1))
            .then_with(|| a.2.cmp(b.2))
    });
    sorted
}

/// Feeds the canonical string to `sink` in pieces: each value without its spaces, then the key.
fn canonical_pieces<'a, I>(fields: I, key: &str, mut sink: impl FnMut(&[u8]))
where
    I: IntoIterator<Item = (&'a str, &'a str)>,
{
    pieces_in_order(&signing_order(fields), key, &mut sink);
}

/// [`canonical_pieces`] once the fields are in order; not generic, so it is there once
/// however many kinds of field lists are signed (armv7 code size).
fn pieces_in_order(sorted: &[(u128, &str, &str)], key: &str, sink: &mut dyn FnMut(&[u8])) {
    for (_, _, value) in sorted {
        for piece in value.split(' ') {
            if !piece.is_empty() {
                sink(piece.as_bytes());
            }
        }
    }
    sink(key.as_bytes());
}

/// Builds the exact string that is hashed: the values ordered by lower-cased field name,
/// concatenated, with every space removed, followed by `key` (which is kept as issued).
///
/// `signValue` is skipped wherever it appears. Names that differ only in case (`logNo` and
/// `LogNo`) are ordered by their original bytes so the result never depends on input order.
pub fn canonical_string<'a, I>(fields: I, key: &str) -> String
where
    I: IntoIterator<Item = (&'a str, &'a str)>,
{
    let mut out = Vec::new();
    canonical_pieces(fields, key, |piece| out.extend_from_slice(piece));
    // Pieces are whole values split at ASCII spaces, so the bytes are still UTF-8.
    String::from_utf8(out).unwrap_or_default()
}

/// The MD5 digest of the canonical string, streamed: no copy of the string is made.
fn digest<'a, I>(fields: I, key: &str) -> [u8; 32]
where
    I: IntoIterator<Item = (&'a str, &'a str)>,
{
    let mut md5 = Md5::new();
    canonical_pieces(fields, key, |piece| md5.update(piece));
    hex(&md5.finalize().into())
}

fn hex(digest: &[u8; 16]) -> [u8; 32] {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut out = [0u8; 32];
    for (i, b) in digest.iter().enumerate() {
        out[2 * i] = HEX[usize::from(b >> 4)];
        out[2 * i + 1] = HEX[usize::from(b & 0x0f)];
    }
    out
}

/// Signs `fields` with the merchant `key`: the lower-case hex MD5 of [`canonical_string`].
pub fn sign<'a, I>(fields: I, key: &str) -> String
where
    I: IntoIterator<Item = (&'a str, &'a str)>,
{
    // Hex digits are ASCII.
    String::from_utf8(digest(fields, key).to_vec()).unwrap_or_default()
}

/// True when `signature` is the signature of `fields` under `key`.
///
/// Hex digits are compared case-insensitively and in constant time, so the time taken does not
/// tell an attacker how many leading characters of a forged signature were right.
pub fn verify<'a, I>(fields: I, key: &str, signature: &str) -> bool
where
    I: IntoIterator<Item = (&'a str, &'a str)>,
{
    let expected = digest(fields, key);
    constant_time_eq_ignore_ascii_case(&expected, signature.as_bytes())
}

/// MD5 of `bytes` as 32 lower-case hex characters.
pub fn md5_hex(bytes: &[u8]) -> String {
    String::from_utf8(hex(&Md5::digest(bytes).into()).to_vec()).unwrap_or_default()
}

/// Compares two byte strings for equality, ASCII case folded, in time that depends only on
/// their lengths (which are public: a signature is always 32 characters).
pub fn constant_time_eq_ignore_ascii_case(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let mut diff = 0u8;
    for (x, y) in a.iter().zip(b) {
        diff |= x.to_ascii_lowercase() ^ y.to_ascii_lowercase();
    }
    // black_box keeps the optimiser from turning the loop into an early exit.
    std::hint::black_box(diff) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC_KEY: &str = "Pz5meIuUxRKcF7rlvPglliyfwvC9vhjGcBy61WHM00Qfwz0E6yTTLwgxJsFYE9IQ";

    fn doc_request() -> Vec<(&'static str, &'static str)> {
        vec![
            ("amount", "1"),
            ("authCode", "130219205322723729"),
            ("characterSet", "00"),
            ("mercId", "800290000000441"),
            ("opSys", "3"),
            ("orgNo", "489"),
            ("payChannel", "WXPAY"),
            ("signType", "MD5"),
            ("total_amount", "1"),
            ("tradeNo", "20170804103115431251"),
            ("trmNo", "95006888"),
            ("txnTime", "20170804103115"),
            ("version", "V1.0.0"),
            ("signValue", ""),
        ]
    }

    #[test]
    fn gateway_documentation_request_example() {
        let fields = doc_request();
        assert_eq!(
            canonical_string(fields.iter().copied(), DOC_KEY),
            "1130219205322723729008002900000004413489WXPAYMD51201708041031154312519500688820170804103115V1.0.0Pz5meIuUxRKcF7rlvPglliyfwvC9vhjGcBy61WHM00Qfwz0E6yTTLwgxJsFYE9IQ"
        );
        assert_eq!(
            sign(fields.iter().copied(), DOC_KEY),
            "a8fda4082fbdd3e3ff679097cd4fae72"
        );
    }

    #[test]
    fn sandbox_response_example_with_decoded_message() {
        let key = "9FF13E7726C4DFEB3BED750779F59711";
        let fields = [
            ("total_amount", "222"),
            ("amount", "1"),
            ("message", "等待支付"),
            ("sysTime", "20190108185251"),
            ("result", "A"),
            ("returnCode", "000000"),
            ("orderNo", "201901080013547459"),
            ("logNo", "201901080013547459"),
            ("tradeNo", "20190804103115431293"),
            ("mercId", "800290000007906"),
        ];
        assert_eq!(
            canonical_string(fields, key),
            "1201901080013547459800290000007906等待支付201901080013547459A00000020190108185251222201908041031154312939FF13E7726C4DFEB3BED750779F59711"
        );
        assert!(verify(fields, key, "5c2f8445c4fb7fa73a07c2390f692e64"));
        assert!(verify(fields, key, "5C2F8445C4FB7FA73A07C2390F692E64"));
        assert!(!verify(fields, key, "5c2f8445c4fb7fa73a07c2390f692e65"));
        assert!(!verify(fields, key, ""));
    }

    /// A small deterministic generator, so the property tests need no extra crate and every
    /// failure is reproducible from its seed.
    struct Lcg(u64);
    impl Lcg {
        fn next(&mut self) -> u64 {
            self.0 = self
                .0
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            self.0 >> 33
        }
        fn word(&mut self, alphabet: &[u8], max_len: u64) -> String {
            let len = self.next() % (max_len + 1);
            (0..len)
                .map(|_| alphabet[(self.next() % alphabet.len() as u64) as usize] as char)
                .collect()
        }
    }

    const NAME_CHARS: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_";
    const VALUE_CHARS: &[u8] = b"abcXYZ0123456789 -.:";

    fn random_fields(rng: &mut Lcg) -> Vec<(String, String)> {
        let mut seen = std::collections::HashSet::new();
        let mut fields = Vec::new();
        for _ in 0..(1 + rng.next() % 12) {
            let name = format!("f{}", rng.word(NAME_CHARS, 8));
            if seen.insert(name.to_ascii_lowercase()) {
                fields.push((name, rng.word(VALUE_CHARS, 12)));
            }
        }
        fields
    }

    #[test]
    fn property_field_order_does_not_matter() {
        let mut rng = Lcg(7);
        for _ in 0..500 {
            let fields = random_fields(&mut rng);
            let forward = sign(fields.iter().map(|(n, v)| (n.as_str(), v.as_str())), "K");
            let mut shuffled = fields.clone();
            for i in (1..shuffled.len()).rev() {
                shuffled.swap(i, (rng.next() % (i as u64 + 1)) as usize);
            }
            let again = sign(shuffled.iter().map(|(n, v)| (n.as_str(), v.as_str())), "K");
            assert_eq!(forward, again, "fields {fields:?}");
        }
    }

    #[test]
    fn property_sort_is_case_insensitive() {
        let mut rng = Lcg(11);
        for _ in 0..500 {
            let fields = random_fields(&mut rng);
            let canonical =
                canonical_string(fields.iter().map(|(n, v)| (n.as_str(), v.as_str())), "");
            let mut by_lower = fields.clone();
            by_lower.sort_by_key(|(n, _)| n.to_ascii_lowercase());
            let expected: String = by_lower
                .iter()
                .flat_map(|(_, v)| v.chars())
                .filter(|c| *c != ' ')
                .collect();
            assert_eq!(canonical, expected, "fields {fields:?}");
        }
        // The spec's own illustration: openid < oprId < opSys, although byte order puts opSys first.
        let s = canonical_string([("opSys", "3"), ("oprId", "2"), ("openid", "1")], "");
        assert_eq!(s, "123");
    }

    #[test]
    fn property_spaces_are_removed_and_empty_equals_absent() {
        let mut rng = Lcg(13);
        for _ in 0..500 {
            let fields = random_fields(&mut rng);
            let canonical =
                canonical_string(fields.iter().map(|(n, v)| (n.as_str(), v.as_str())), "k");
            assert!(!canonical.contains(' '), "{canonical:?}");
            let mut with_empty = fields.clone();
            with_empty.push(("zzEmpty".into(), String::new()));
            with_empty.push(("zzBlank".into(), "   ".into()));
            assert_eq!(
                sign(fields.iter().map(|(n, v)| (n.as_str(), v.as_str())), "k"),
                sign(
                    with_empty.iter().map(|(n, v)| (n.as_str(), v.as_str())),
                    "k"
                )
            );
        }
    }

    #[test]
    fn sign_value_field_is_ignored() {
        let a = sign([("a", "1"), ("signValue", "whatever")], "k");
        let b = sign([("a", "1")], "k");
        assert_eq!(a, b);
    }

    #[test]
    fn constant_time_compare() {
        assert!(constant_time_eq_ignore_ascii_case(b"abcdef", b"ABCDEF"));
        assert!(!constant_time_eq_ignore_ascii_case(b"abcdef", b"abcdeg"));
        assert!(!constant_time_eq_ignore_ascii_case(b"abc", b"abcd"));
    }
}
