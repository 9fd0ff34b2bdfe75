//! A multi-MiB answer is refused without being buffered: the peak resident memory of this
//! process (which also runs the simulator streaming the body) grows by far less than the body.
//! Its own test binary, so no other test's memory shows in the peak.

mod common;

use common::*;
use starpos::ffi::*;
use starpos_sim::Fault;
use std::ptr;

/// Peak resident set size of this process, in KiB (Linux `VmHWM`).
fn peak_rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("Linux /proc");
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmHWM is reported")
}

#[test]
fn a_64_mib_answer_is_refused_with_bounded_memory() {
    const BODY: usize = 64 << 20;
    let sim = sim();
    let cfg = c_config(&sim);
    // Warm up: the first call allocates the agent, the pool and buffers once.
    let mut out: starpos_qry_response = zeroed();
    assert_eq!(
        unsafe { starpos_qry(&cfg.raw, ptr::null(), &mut out) },
        starpos_status::STARPOS_OK
    );
    let before = peak_rss_kib();
    for _ in 0..3 {
        sim.inject(Fault::HugeBody(BODY));
        let status = unsafe { starpos_qry(&cfg.raw, ptr::null(), &mut out) };
        assert_eq!(
            status,
            starpos_status::STARPOS_ERR_PROTOCOL,
            "{}",
            text(&out.error)
        );
        assert!(
            text(&out.error).contains("larger than 65536 bytes"),
            "{}",
            text(&out.error)
        );
    }
    let grown_kib = peak_rss_kib().saturating_sub(before);
    assert!(
        grown_kib < 8 * 1024,
        "peak memory grew by {grown_kib} KiB for a {} MiB answer",
        BODY >> 20
    );
}
