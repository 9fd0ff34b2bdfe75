//! An answer from the gateway as the library holds it: every field as text, `message`
//! decoded, whether its signature was checked. Below [`crate::error`] (a refusal travels in an
//! error) and [`crate::wire`] (which decodes and verifies answers into it).

use crate::sign;
use serde_json::{Map, Value};
use std::borrow::Cow;

/// An answer from the gateway: every field as text, `message` already URL-decoded.
///
/// An `Answer` handed out by [`crate::wire::decode_answer`] with `returnCode` `000000` has always been
/// verified; a refusal may be unsigned, which [`Answer::verified`] tells.
#[derive(Clone, PartialEq, Eq)]
pub struct Answer {
    /// Every name and value back to back: two allocations for the whole answer, not two per
    /// field.
    text: String,
    /// Per field: where its name starts, where its value starts (= where the name ends), where
    /// the value ends.
    spans: Vec<(usize, usize, usize)>,
    pub(crate) verified: bool,
}

impl Answer {
    pub(crate) fn from_pairs<'a>(
        pairs: impl Iterator<Item = (&'a str, &'a str)> + Clone,
    ) -> Answer {
        let len = pairs.clone().map(|(n, v)| n.len() + v.len()).sum();
        let mut text = String::with_capacity(len);
        let mut spans = Vec::with_capacity(pairs.clone().count());
        for (name, value) in pairs {
            let start = text.len();
            text.push_str(name);
            let mid = text.len();
            text.push_str(value);
            spans.push((start, mid, text.len()));
        }
        Answer {
            text,
            spans,
            verified: false,
        }
    }

    /// The value of a field, if the answer has it.
    pub fn get(&self, name: &str) -> Option<&str> {
        let (bytes, wanted) = (self.text.as_bytes(), name.as_bytes());
        // The length and the first byte rule out almost every other field before a compare
        // of the whole name (a reader asks for some twenty fields of twenty: per-call work).
        let first = wanted.first().copied();
        self.spans
            .iter()
            .find(|&&(a, b, _)| {
                b.saturating_sub(a) == wanted.len()
                    && bytes.get(a).copied() == first
                    && bytes.get(a..b) == Some(wanted)
            })
            .map(|&(_, b, c)| &self.text[b..c])
    }

    /// The value of a field, or `""` when it is absent.
    pub fn text(&self, name: &str) -> &str {
        self.get(name).unwrap_or("")
    }

    /// True when the answer carried a `signValue` that matched.
    pub fn verified(&self) -> bool {
        self.verified
    }

    /// All fields, in the order they arrived.
    pub fn fields(&self) -> impl Iterator<Item = (&str, &str)> + Clone {
        self.spans
            .iter()
            .map(|&(a, b, c)| (&self.text[a..b], &self.text[b..c]))
    }

    /// The same answer with `message` masked by `secrets` (the other fields, and whether it
    /// was verified, unchanged): what the gateway wrote there can echo the request's secrets.
    pub(crate) fn with_masked_message(self, secrets: &crate::redact::Secrets<'_>) -> Answer {
        let Some(Cow::Owned(masked)) = self.get("message").map(|m| secrets.mask(m)) else {
            return self;
        };
        let pairs = self.fields().map(|(n, v)| {
            if n == "message" {
                (n, masked.as_str())
            } else {
                (n, v)
            }
        });
        let mut answer = Answer::from_pairs(pairs);
        answer.verified = self.verified;
        answer
    }

    /// The answer as a JSON object of strings, `message` decoded.
    pub fn to_json(&self) -> Map<String, Value> {
        self.fields()
            .map(|(n, v)| (n.to_owned(), Value::String(v.to_owned())))
            .collect()
    }
}

/// Secret answer fields, masked wherever an answer is printed for a person (`openId`: the
/// payer's openid in WeChat, in the barcode pay's answer).
pub const SECRET_FIELDS: [&str; 3] = ["appIdKey", "openId", sign::SIGN_VALUE];

impl std::fmt::Debug for Answer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut map = f.debug_map();
        for (name, value) in self.fields() {
            if SECRET_FIELDS.contains(&name) {
                map.entry(&name, &"***");
            } else {
                map.entry(&name, &value);
            }
        }
        map.finish()
    }
}
