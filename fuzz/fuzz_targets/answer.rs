//! Arbitrary bytes as a gateway answer: decoding never panics, and nothing unverified is ever
//! handed out as a success.
#![no_main]

use libfuzzer_sys::fuzz_target;
use starpos::{PayResponse, QryResponse, QueryResponse, RefundResponse};
use starpos::unversioned::wire;
use starpos::Status;

const KEY: &str = "9E1D5C0A7B3F4E2D8C6A1B0F3E5D7C9A";

fuzz_target!(|data: &[u8]| {
    match wire::decode_answer(data, KEY) {
        Ok(answer) => {
            assert!(answer.verified());
            assert_eq!(answer.text("returnCode"), "000000");
            let _ = QryResponse::from_answer(&answer);
            let _ = PayResponse::from_answer(&answer);
            let _ = QueryResponse::from_answer(&answer, "t");
            let _ = RefundResponse::from_answer(&answer, "t");
        }
        Err(e) => {
            assert_ne!(e.status(), Status::Ok);
            if e.status() == Status::Gateway {
                let refusal = e.refusal().expect("a refusal carries its answer");
                assert_ne!(refusal.text("returnCode"), "000000");
            } else {
                assert!(e.refusal().is_none());
            }
        }
    }
});
