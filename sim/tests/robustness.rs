//! Whatever a client sends, the simulator answers or closes, and keeps serving.

mod common;

use common::*;
use starpos_sim::{SimConfig, Simulator};
use std::io::Write;
use std::time::{Duration, Instant};

fn still_serves(sim: &Simulator) {
    assert!(call(sim, "pubSigQry", &pairs(&qry_fields()))
        .answer()
        .is_ok());
}

#[test]
fn absurd_declared_lengths() {
    let sim = Simulator::start(SimConfig::default()).unwrap();
    // Declared far beyond what tiny_http could buffer: the connection is closed.
    let mut conn = Conn::open(sim.port());
    conn.stream()
        .try_clone()
        .unwrap()
        .write_all(b"POST /adpweb/ehpspos3/pubSigQry.json HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999\r\n\r\n{")
        .unwrap();
    let started = Instant::now();
    assert!(conn.read_rest().unwrap_or_default().is_empty());
    assert!(started.elapsed() < Duration::from_secs(5));
    // Declared over the limit but not absurd: 413 at once, before the body is sent.
    let mut conn = Conn::open(sim.port());
    conn.stream()
        .try_clone()
        .unwrap()
        .write_all(b"POST /adpweb/ehpspos3/pubSigQry.json HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000\r\n\r\n{")
        .unwrap();
    assert_eq!(conn.read_response().unwrap().status, 413);
    still_serves(&sim);
}

#[test]
fn garbage_requests() {
    let sim = Simulator::start(SimConfig::default()).unwrap();
    for raw in [
        &b"\r\n\r\n"[..],
        b"NONSENSE\r\n\r\n",
        b"POST /adpweb/ehpspos3/pubSigQry.json HTTP/9.9\r\n\r\n",
        b"POST /adpweb/ehpspos3/pubSigQry.json HTTP/1.1\r\nBad Header\r\n\r\n",
        b"POST /adpweb/ehpspos3/pubSigQry.json HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
    ] {
        let mut conn = Conn::open(sim.port());
        conn.stream().set_read_timeout(Some(Duration::from_millis(300))).unwrap();
        conn.stream().try_clone().unwrap().write_all(raw).unwrap();
        let _ = conn.read_rest();
    }
    still_serves(&sim);
}

#[test]
fn random_bodies_never_break_it() {
    let sim = Simulator::start(SimConfig::default()).unwrap();
    let mut conn = Conn::open(sim.port());
    let mut state = 0x2545_f491_4f6c_dd1du64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let pieces: [&[u8]; 12] = [
        b"{",
        b"}",
        b"\"orgNo\":\"489\"",
        b"\"mercId\":\"800290000007906\"",
        b",",
        b"\"amount\":",
        b"1e999",
        b"null",
        b"[",
        b"]",
        b"\"\\ud800\"",
        b"\xe4\xbd",
    ];
    for _ in 0..300 {
        let mut body = Vec::new();
        for _ in 0..(next() % 12) {
            body.extend_from_slice(pieces[(next() % pieces.len() as u64) as usize]);
        }
        let endpoint = [
            "pubSigQry",
            "pubSigPay",
            "sdkQryBarcodePay",
            "sdkRefundBarcodePay",
        ][(next() % 4) as usize];
        let resp = conn
            .post(&format!("/adpweb/ehpspos3/{endpoint}.json"), &body)
            .unwrap();
        assert_eq!(resp.status, 200);
        assert!(
            resp.answer().is_err(),
            "{:?}",
            String::from_utf8_lossy(&body)
        );
    }
    still_serves(&sim);
}
