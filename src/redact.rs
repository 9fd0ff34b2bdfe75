//! The one redaction rule for every text that leaves the library: log messages, the journal's
//! `error`, the CLI's output, the C structs' `error` and `message`.
//!
//! Two things are replaced by [`MASK`]:
//!
//! - the exact values of the request's secrets (the OAuth `code`, `openid`, `authCode`, the
//!   merchant key), wherever they appear: a gateway echoes what it was sent;
//! - payment codes by the channels' shapes, a run of ASCII digits delimited by non-digits:
//!   WeChat 18 digits beginning 10 to 15, Alipay 16 to 24 digits beginning 25 to 30, UnionPay
//!   19 digits beginning 62 ([`is_payment_code`]).
//!
//! [`crate::Client`] applies it once, where the request's secrets are known: to the decoded
//! answer's `message` and to the error's detail (and its refusal's `message`), so the journal,
//! the CLI, the C structs and Python all receive masked text. The logger applies the shapes to
//! every message. An answer's own fields (`logNo`, `orderNo`, `openId`, ...) stay as they are.

use std::borrow::Cow;

/// What a secret is replaced by (the logger has always written this).
pub const MASK: &str = "***";

/// Request fields whose values are secrets (besides the key).
pub const SECRET_REQUEST_FIELDS: [&str; 3] = ["code", "openid", "authCode"];

/// True when `digits` (all ASCII digits) has the shape of a payment code: WeChat (18 digits,
/// beginning 10 to 15), Alipay (16 to 24 digits, beginning 25 to 30) or UnionPay (19 digits,
/// beginning 62).
pub fn is_payment_code(digits: &str) -> bool {
    let b = digits.as_bytes();
    if b.len() < 16 || !b.iter().all(u8::is_ascii_digit) {
        return false;
    }
    let prefix = (b[0] - b'0') * 10 + (b[1] - b'0');
    match b.len() {
        18 if (10..=15).contains(&prefix) => true,
        19 if prefix == 62 => true,
        16..=24 => (25..=30).contains(&prefix),
        _ => false,
    }
}

/// `text` with every run of digits shaped like a payment code replaced by [`MASK`].
pub fn payment_codes(text: &str) -> Cow<'_, str> {
    let bytes = text.as_bytes();
    let mut out: Option<String> = None;
    let mut copied = 0;
    let mut i = 0;
    while i < bytes.len() {
        if !bytes[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
        }
        // ASCII digits never split a UTF-8 character, so these are char boundaries.
        if is_payment_code(&text[start..i]) {
            let s = out.get_or_insert_with(|| String::with_capacity(text.len()));
            s.push_str(&text[copied..start]);
            s.push_str(MASK);
            copied = i;
        }
    }
    match out {
        Some(mut s) => {
            s.push_str(&text[copied..]);
            Cow::Owned(s)
        }
        None => Cow::Borrowed(text),
    }
}

/// How many secret values [`Secrets`] holds without the heap: a typed request has at most
/// three secret fields, and the key.
const INLINE_SECRETS: usize = 8;

/// The secrets of one request: what must not come back out in any text about it.
pub struct Secrets<'a> {
    /// The values, longest first (so a secret that contains another is masked whole), each
    /// once: `inline[..len]`, or `more` when there are more than [`INLINE_SECRETS`] (only
    /// an untyped call's fields can have that many).
    inline: [&'a str; INLINE_SECRETS],
    len: usize,
    more: Vec<&'a str>,
}

impl<'a> Secrets<'a> {
    /// The values of the request's secret fields ([`SECRET_REQUEST_FIELDS`]) and the key.
    pub fn of_request(fields: &[(&str, &'a str)], key: &'a str) -> Secrets<'a> {
        let all = fields
            .iter()
            .filter(|(name, _)| SECRET_REQUEST_FIELDS.contains(name))
            .map(|(_, value)| *value)
            .chain([key])
            .filter(|value| !value.is_empty());
        let mut secrets = Secrets {
            inline: [""; INLINE_SECRETS],
            len: 0,
            more: Vec::new(),
        };
        for value in all {
            if secrets.values().contains(&value) {
                continue;
            }
            if secrets.len < INLINE_SECRETS {
                secrets.inline[secrets.len] = value;
                secrets.len += 1;
            } else {
                if secrets.more.is_empty() {
                    secrets.more.extend_from_slice(&secrets.inline);
                }
                secrets.more.push(value);
            }
        }
        let values: &mut [&'a str] = if secrets.more.is_empty() {
            &mut secrets.inline[..secrets.len]
        } else {
            &mut secrets.more
        };
        values.sort_by_key(|v| std::cmp::Reverse(v.len()));
        secrets
    }

    /// The secret values, longest first.
    fn values(&self) -> &[&'a str] {
        if self.more.is_empty() {
            &self.inline[..self.len]
        } else {
            &self.more
        }
    }

    /// `text` with every secret value, then every payment-code shape, replaced by [`MASK`].
    pub fn mask<'t>(&self, text: &'t str) -> Cow<'t, str> {
        let mut owned: Option<String> = None;
        for secret in self.values() {
            let current = owned.as_deref().unwrap_or(text);
            // A secret longer than the text cannot be in it: skips the substring search's
            // set-up over the secret (a short `message` against a 32-character key).
            if current.len() >= secret.len() && current.contains(secret) {
                owned = Some(current.replace(secret, MASK));
            }
        }
        match owned {
            Some(s) => Cow::Owned(payment_codes(&s).into_owned()),
            None => payment_codes(text),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn payment_code_shapes() {
        // WeChat: 18 digits from 10 to 15.
        assert!(is_payment_code("134599998888777766"));
        assert!(is_payment_code("104599998888777766"));
        assert!(is_payment_code("154599998888777766"));
        assert!(!is_payment_code("164599998888777766"));
        assert!(!is_payment_code("09459999888877776"));
        assert!(!is_payment_code("13459999888877776"), "17 digits");
        assert!(!is_payment_code("1345999988887777661"), "19 digits");
        // Alipay: 16 to 24 digits from 25 to 30.
        assert!(is_payment_code("2812345678901234"));
        assert!(is_payment_code("301234567890123456789012"));
        assert!(is_payment_code("251234567890123456"));
        assert!(!is_payment_code("281234567890123"), "15 digits");
        assert!(!is_payment_code("2812345678901234567890123"), "25 digits");
        assert!(!is_payment_code("311234567890123456"));
        // UnionPay: 19 digits from 62.
        assert!(is_payment_code("6212345678901234567"));
        assert!(!is_payment_code("621234567890123456"), "18 digits");
        assert!(!is_payment_code("62123456789012345678"), "20 digits");
        // A logNo or tradeNo of the gateway's and the library's own shapes is not a code.
        assert!(!is_payment_code("201901080013547459"));
        assert!(!is_payment_code("20190804103115431293"));
        assert!(!is_payment_code("17234567890121234567000001"));
        assert!(!is_payment_code("13459999888877776x"));
    }

    #[test]
    fn digit_runs_are_delimited_by_non_digits() {
        assert_eq!(
            payment_codes("code 134599998888777766 already used"),
            "code *** already used"
        );
        assert_eq!(payment_codes("134599998888777766"), "***");
        assert_eq!(
            payment_codes("付款码134599998888777766已使用,6212345678901234567。"),
            "付款码***已使用,***。"
        );
        // Part of a longer run is not a code; neither is a 20-digit logNo.
        assert_eq!(
            payment_codes("logNo 20190804103115431293, x1345999988887777660"),
            "logNo 20190804103115431293, x1345999988887777660"
        );
        assert!(matches!(
            payment_codes("nothing here 123"),
            Cow::Borrowed(_)
        ));
    }

    #[test]
    fn request_secrets_are_masked_wherever_they_appear() {
        let fields = [
            ("tradeNo", "T1"),
            ("code", "OAUTHcode42"),
            ("openid", "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"),
            ("authCode", ""),
            ("subject", "OAUTHcode42 is not secret here"),
        ];
        let secrets = Secrets::of_request(&fields, "0123456789ABCDEF0123456789ABCDEF");
        assert_eq!(
            secrets.mask(
                "code OAUTHcode42 used by oUpF8uMuAJO_M2pxb1Q9zNjWeS6o (key \
                 0123456789ABCDEF0123456789ABCDEF), order 201901080013547459"
            ),
            "code *** used by *** (key ***), order 201901080013547459"
        );
        assert!(matches!(secrets.mask("T1 refused"), Cow::Borrowed(_)));
        // The longer secret is masked whole even when a shorter one is inside it.
        let fields = [("code", "abc"), ("openid", "xxabcxx")];
        assert_eq!(Secrets::of_request(&fields, "K").mask("xxabcxx"), "***");
    }

    #[test]
    fn more_secrets_than_fit_on_the_stack_are_all_masked_once_each() {
        let names: Vec<String> = (0..12).map(|i| format!("secret{i:02}")).collect();
        let mut fields: Vec<(&str, &str)> = names.iter().map(|v| ("code", v.as_str())).collect();
        fields.push(("openid", "secret03"));
        let secrets = Secrets::of_request(&fields, "KEY");
        assert_eq!(
            secrets.values().len(),
            13,
            "12 values and the key, each once"
        );
        let text = format!("{} KEY", names.join(" "));
        let masked = secrets.mask(&text);
        assert_eq!(masked, format!("{} ***", ["***"; 12].join(" ")));
    }
}
