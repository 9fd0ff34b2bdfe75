//! Micro benchmarks of the library's own work on a pay call, without the network
//! (`bench/run.sh` runs them; `BENCHMARKS.md` has the numbers).
//!
//! - `sign_pay_request`: `sign::sign` over the fields a `pubSigPay` request carries;
//! - `encode_pay_request`: `wire::encode_request`, the signed JSON body;
//! - `verify_pay_answer`: `wire::decode_answer` on a signed pay answer as the gateway writes it;
//! - `pay_call_c_abi_path`: what `starpos_pay` does apart from HTTP: a `Config` and a `Client`
//!   built per call (as `client_from` does), `Client::pay` through a canned exchange, and
//!   `copy_pay_response` into the zeroed C struct;
//! - `pay_call_reused_client`: the same with the client built once, to show what the per-call
//!   client costs.
//!
//! Before the timed runs, each operation is run `ALLOC_CALLS` times under a counting global
//! allocator and the heap allocations (and reallocations, and bytes) per call are printed as
//! `ALLOC op=<name> ...` lines. Counting is switched off while criterion times, so the counter
//! adds nothing to the times.

use criterion::{criterion_group, Criterion};
use starpos::ffi::{copy_pay_response, starpos_pay_response};
use starpos::transport::Reply;
use starpos::{wire, Client, Config, PayRequest};
use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering::Relaxed};
use std::sync::Arc;
use std::time::Duration;

/// The system allocator, counting calls while `COUNTING` is on.
struct Counting;

static COUNTING: AtomicBool = AtomicBool::new(false);
static ALLOCS: AtomicU64 = AtomicU64::new(0);
static REALLOCS: AtomicU64 = AtomicU64::new(0);
static BYTES: AtomicU64 = AtomicU64::new(0);

// SAFETY: every call is forwarded unchanged to `System`; the counters have no effect on memory.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if COUNTING.load(Relaxed) {
            ALLOCS.fetch_add(1, Relaxed);
            BYTES.fetch_add(layout.size() as u64, Relaxed);
        }
        System.alloc(layout)
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        if COUNTING.load(Relaxed) {
            ALLOCS.fetch_add(1, Relaxed);
            BYTES.fetch_add(layout.size() as u64, Relaxed);
        }
        System.alloc_zeroed(layout)
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if COUNTING.load(Relaxed) {
            REALLOCS.fetch_add(1, Relaxed);
            BYTES.fetch_add(new_size.saturating_sub(layout.size()) as u64, Relaxed);
        }
        System.realloc(ptr, layout, new_size)
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        System.dealloc(ptr, layout)
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// How many calls the allocation count averages over.
const ALLOC_CALLS: u64 = 10_000;

/// The simulator's merchant, so the numbers match the end-to-end runs.
const ORG_NO: &str = starpos_sim::DEFAULT_ORG_NO;
const MERC_ID: &str = starpos_sim::DEFAULT_MERC_ID;
const TRM_NO: &str = starpos_sim::DEFAULT_TRM_NO;
const KEY: &str = starpos_sim::DEFAULT_KEY;

/// A 32-character OAuth code, as WeChat issues them.
const CODE: &str = "071aBcDeF2gHiJ3kLmN4oPqR5sTuV6wX";

/// The fields the library sends for a typical `pubSigPay` (what `Client::pay` builds).
fn pay_request_fields() -> Vec<(&'static str, &'static str)> {
    vec![
        ("orgNo", ORG_NO),
        ("mercId", MERC_ID),
        ("trmNo", TRM_NO),
        ("txnTime", "20260105093015"),
        ("signType", "MD5"),
        ("version", "V1.0.0"),
        ("code", CODE),
        ("amount", "1234"),
        ("total_amount", "1234"),
        ("subject", "Latte grande"),
        ("selOrderNo", "POS20260105093015000042"),
    ]
}

/// A typical `pubSigPay` answer, with the fields and sizes the simulator (and the sandbox)
/// answer with, signed and `message` percent-encoded as the gateway writes it.
fn pay_answer_body() -> Vec<u8> {
    wire::encode_answer(
        &[
            ("returnCode", "000000"),
            ("message", "等待支付"),
            ("sysTime", "20260105093015"),
            ("mercId", MERC_ID),
            ("logNo", "202601050000012345"),
            ("result", "A"),
            ("orderNo", "202601050000012345"),
            ("amount", "1234"),
            ("total_amount", "1234"),
            ("PrepayId", "wx20260105093015a1b2c3d4e5f6a7b8c9d0"),
            ("apiAppid", "wx1a2b3c4d5e6f7a8b"),
            ("apiTimestamp", "1767576615"),
            ("apiNoncestr", "5f0c8e1d2b3a49786a5b4c3d2e1f0a9b"),
            (
                "apiPackage",
                "prepay_id=wx20260105093015a1b2c3d4e5f6a7b8c9d0",
            ),
            ("apiSigntype", "MD5"),
            ("apiPaysign", "8F2D6C1A0B9E4D3C2B1A0F9E8D7C6B5A"),
            ("subject", "Latte grande"),
            ("selOrderNo", "POS20260105093015000042"),
        ],
        KEY,
    )
}

/// Never connected to: every exchange here is the canned one.
const BASE_URL: &str = "http://127.0.0.1:1/adpweb/ehpspos3/";

fn config() -> Config {
    Config::new(ORG_NO, MERC_ID, TRM_NO, KEY).with_base_url(BASE_URL)
}

fn pay_request() -> PayRequest<'static> {
    PayRequest {
        code: Some(CODE),
        amount: 1234,
        total_amount: 1234,
        subject: Some("Latte grande"),
        sel_order_no: Some("POS20260105093015000042"),
        ..PayRequest::default()
    }
}

fn canned_exchange(body: Vec<u8>) -> starpos::client::Exchange {
    Arc::new(move |_url: &str, _body: &[u8]| {
        Ok(Reply {
            body: body.clone(),
            charset: None,
        })
    })
}

fn zeroed_response() -> Box<starpos_pay_response> {
    // SAFETY: a plain C struct of integers, bools and char arrays; all zero bytes is valid
    // (it is what `respond` writes before every call).
    Box::new(unsafe { std::mem::zeroed() })
}

/// What `starpos_pay` does apart from the HTTP exchange.
fn pay_call(
    exchange: &starpos::client::Exchange,
    request: &PayRequest<'_>,
    out: &mut starpos_pay_response,
) {
    // client_from: the five strings copied out of the C config, then validated.
    let config = Config::new(ORG_NO, MERC_ID, TRM_NO, KEY).with_base_url(BASE_URL);
    let client = Client::new(config)
        .expect("valid config")
        .with_exchange(Arc::clone(exchange));
    // respond: the struct is zeroed, then filled.
    // SAFETY: `out` is a valid, exclusively borrowed plain C struct.
    unsafe { std::ptr::write_bytes(out as *mut starpos_pay_response, 0, 1) };
    let answer = client.pay(request).expect("the canned answer verifies");
    copy_pay_response(&answer, out).expect("the answer fits");
}

/// Runs `f` `ALLOC_CALLS` times with the counter on and prints what one call allocates.
fn count_allocations(name: &str, f: &mut dyn FnMut()) {
    for _ in 0..100 {
        f();
    }
    ALLOCS.store(0, Relaxed);
    REALLOCS.store(0, Relaxed);
    BYTES.store(0, Relaxed);
    COUNTING.store(true, Relaxed);
    for _ in 0..ALLOC_CALLS {
        f();
    }
    COUNTING.store(false, Relaxed);
    let per = |n: &AtomicU64| n.load(Relaxed) as f64 / ALLOC_CALLS as f64;
    println!(
        "ALLOC op={name:<24} allocs_per_call={:.1} reallocs_per_call={:.1} bytes_per_call={:.0}",
        per(&ALLOCS),
        per(&REALLOCS),
        per(&BYTES)
    );
}

/// Everything the operations need, built once.
struct Fixture {
    fields: Vec<(&'static str, &'static str)>,
    body: Vec<u8>,
    exchange: starpos::client::Exchange,
    request: PayRequest<'static>,
    out: Box<starpos_pay_response>,
    reused: Client,
}

impl Fixture {
    fn new() -> Fixture {
        let body = pay_answer_body();
        let exchange = canned_exchange(body.clone());
        let reused = Client::new(config())
            .expect("valid config")
            .with_exchange(Arc::clone(&exchange));
        let mut fixture = Fixture {
            fields: pay_request_fields(),
            body,
            exchange,
            request: pay_request(),
            out: zeroed_response(),
            reused,
        };
        // Sanity: the canned answer is what a pay call accepts.
        fixture.run("pay_call_c_abi_path");
        assert_eq!(fixture.out.result, b'A' as std::os::raw::c_char);
        fixture
    }

    /// One call of the operation `name`.
    fn run(&mut self, name: &str) {
        match name {
            "sign_pay_request" => {
                black_box(starpos::sign::sign(
                    black_box(&self.fields).iter().copied(),
                    KEY,
                ));
            }
            "encode_pay_request" => {
                black_box(wire::encode_request(black_box(&self.fields), KEY));
            }
            "verify_pay_answer" => {
                black_box(wire::decode_answer(black_box(&self.body), KEY).expect("verifies"));
            }
            "pay_call_c_abi_path" => {
                pay_call(&self.exchange, black_box(&self.request), &mut self.out);
            }
            "pay_call_reused_client" => {
                let answer = self.reused.pay(black_box(&self.request)).expect("verifies");
                copy_pay_response(&answer, &mut self.out).expect("fits");
            }
            "canned_exchange_only" => {
                black_box((self.exchange)("x", b"").expect("canned"));
            }
            other => panic!("no operation {other}"),
        }
    }
}

/// The operations timed by criterion (and counted).
const TIMED: [&str; 5] = [
    "sign_pay_request",
    "encode_pay_request",
    "verify_pay_answer",
    "pay_call_c_abi_path",
    "pay_call_reused_client",
];

fn benches(c: &mut Criterion) {
    let mut fixture = Fixture::new();
    for name in TIMED.iter().chain(["canned_exchange_only"].iter()) {
        count_allocations(name, &mut || fixture.run(name));
    }
    for name in TIMED {
        c.bench_function(name, |b| b.iter(|| fixture.run(name)));
    }
}

criterion_group! {
    name = micro;
    config = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .sample_size(50);
    targets = benches
}

/// `STARPOS_MICRO_OP=<operation> STARPOS_MICRO_CALLS=<n>`: runs just that operation n times and
/// exits (bench/run.sh runs this under callgrind twice, with two n, for instructions per call,
/// which unlike times do not depend on what else the machine is doing). Otherwise: criterion.
fn main() {
    if let Ok(op) = std::env::var("STARPOS_MICRO_OP") {
        let calls: u64 = std::env::var("STARPOS_MICRO_CALLS")
            .ok()
            .and_then(|n| n.parse().ok())
            .unwrap_or(1000);
        let mut fixture = Fixture::new();
        for _ in 0..calls {
            fixture.run(&op);
        }
        return;
    }
    micro();
    Criterion::default().configure_from_args().final_summary();
}
