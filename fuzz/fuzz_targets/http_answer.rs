//! Arbitrary bytes as the gateway's HTTP answer, delivered in pieces of any size: parsing never
//! panics, never reads past what it was given, never decodes more than the limit, and the
//! body does not depend on how the network happened to split the bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use starpos::unversioned::transport::http1::{parse_head, BodyDecoder, BodyError, Framing};

const LIMIT: u64 = 4096;

/// The body after the head, fed `step` bytes at a time, then the end of the connection.
fn decode(framing: Framing, wire: &[u8], step: usize) -> Result<Vec<u8>, BodyError> {
    let mut decoder = BodyDecoder::new(framing, LIMIT)?;
    let mut body = Vec::new();
    let mut pending = Vec::new();
    for piece in wire.chunks(step) {
        pending.extend_from_slice(piece);
        let used = decoder.feed(&pending, &mut body)?;
        assert!(used <= pending.len());
        assert!(body.len() as u64 <= LIMIT);
        pending.drain(..used);
        if decoder.is_done() {
            return Ok(body);
        }
    }
    decoder.finish_at_eof()?;
    Ok(body)
}

fuzz_target!(|data: &[u8]| {
    let Some((&step, wire)) = data.split_first() else {
        return;
    };
    let step = usize::from(step).max(1);
    let Ok(Some((head, used))) = parse_head(wire) else {
        return;
    };
    assert!(used <= wire.len());
    // A head is complete at its end, whatever follows it.
    assert_eq!(parse_head(&wire[..used]), Ok(Some((head.clone(), used))));
    let whole = decode(head.framing, &wire[used..], wire.len().max(1));
    let pieces = decode(head.framing, &wire[used..], step);
    assert_eq!(whole, pieces);
});
