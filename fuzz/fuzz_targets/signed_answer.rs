//! Answers built and signed the way the gateway does, from arbitrary field names and values:
//! each one must decode and verify, with every field (the `message` included, through its
//! percent-encoding) coming back exactly as it was signed.
#![no_main]

use libfuzzer_sys::fuzz_target;
use starpos::{PayResponse, QryResponse, QueryResponse, RefundResponse};
use starpos::unversioned::wire;

const KEY: &str = "9E1D5C0A7B3F4E2D8C6A1B0F3E5D7C9A";

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    // Fields are "name=value" separated by newlines; the answer is a success.
    let mut fields: Vec<(String, String)> = vec![("returnCode".into(), "000000".into())];
    for line in text.split('\n') {
        let (name, value) = line.split_once('=').unwrap_or((line, ""));
        if name.is_empty()
            || name == "signValue"
            || name == "returnCode"
            || fields.iter().any(|(n, _)| n == name)
        {
            continue;
        }
        fields.push((name.to_owned(), value.to_owned()));
    }
    let pairs: Vec<(&str, &str)> = fields.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
    let body = wire::encode_answer(&pairs, KEY);
    let answer = wire::decode_answer(&body, KEY).expect("a correctly signed answer verifies");
    for (name, value) in &fields {
        assert_eq!(answer.get(name), Some(value.as_str()), "field {name}");
    }
    let _ = QryResponse::from_answer(&answer);
    let _ = PayResponse::from_answer(&answer);
    let _ = QueryResponse::from_answer(&answer, "t");
    let _ = RefundResponse::from_answer(&answer, "t");
});
