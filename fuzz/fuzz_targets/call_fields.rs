//! Arbitrary text as starpos_call's `fields_json`: no panic, and what is accepted goes on the
//! wire as a signed body carrying every non-empty field unchanged.
#![no_main]

use libfuzzer_sys::fuzz_target;
use starpos::sign;
use starpos::unversioned::wire;

const KEY: &str = "9E1D5C0A7B3F4E2D8C6A1B0F3E5D7C9A";

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(fields) = wire::call_fields(text) else { return };
    let pairs: Vec<(&str, &str)> = fields.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
    let body = wire::encode_request(&pairs, KEY);
    let sent: serde_json::Map<String, serde_json::Value> =
        serde_json::from_slice(&body).expect("request bodies are JSON objects");
    for (name, value) in &pairs {
        if !value.is_empty() {
            assert_eq!(sent.get(*name).and_then(|v| v.as_str()), Some(*value), "field {name}");
        }
    }
    let signature = sent["signValue"].as_str().expect("signed");
    let present = pairs.iter().copied().filter(|(_, v)| !v.is_empty());
    assert!(sign::verify(present, KEY, signature));
});
