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
//!   client costs;
//! - `barcode_pay_call_c_abi_path`, `barcode_pay_call_reused_client`: the same two for the
//!   counter sale `sdkBarcodePay` (`Client::barcode_pay`, `copy_barcode_pay_response`), the
//!   library choosing the `tradeNo` and the channel (from the code's prefix). The client binds
//!   an answer to its request (`tradeNo`, amounts, `selOrderNo`: `src/model/bind.rs`), so the
//!   canned exchange builds and signs each answer from the request's body, as the gateway
//!   does; `barcode_exchange_only` is that exchange alone (3 allocations: the signature and
//!   the body), to subtract from the two.
//!
//! Before the timed runs, each operation is run `ALLOC_CALLS` times under a counting global
//! allocator and the heap allocations (and reallocations, and bytes) per call are printed as
//! `ALLOC op=<name> ...` lines. Counting is switched off while criterion times, so the counter
//! adds nothing to the times.

use criterion::{criterion_group, Criterion};
use starpos::ffi::{
    copy_barcode_pay_response, copy_pay_response, starpos_barcode_pay_response,
    starpos_pay_response,
};
use starpos::unversioned::transport::Reply;
use starpos::unversioned::wire;
use starpos::{BarcodePayRequest, Client, Config, PayRequest};
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

/// A WeChat payment code (18 digits from 13): the library sends `payChannel` `WXPAY`.
const AUTH_CODE: &str = "134567890123456789";

fn barcode_pay_request() -> BarcodePayRequest<'static> {
    BarcodePayRequest {
        auth_code: AUTH_CODE,
        amount: 1234,
        total_amount: 1234,
        subject: Some("Latte grande"),
        sel_order_no: Some("POS20260105093015000042"),
        ..BarcodePayRequest::default()
    }
}

/// The string value of `"name":"..."` in a flat JSON body the library wrote (`quoted_name` is
/// `"name":"`; the values read here are digits and letters, so no escapes); "" when absent.
fn body_field<'a>(body: &'a [u8], quoted_name: &str) -> &'a str {
    let text = std::str::from_utf8(body).unwrap_or("");
    text.find(quoted_name)
        .map(|at| &text[at + quoted_name.len()..])
        .and_then(|rest| rest.find('"').map(|end| &rest[..end]))
        .unwrap_or("")
}

/// The answer fields that do not depend on the request, as the simulator writes them for a
/// payer who pays at once (`message` decoded: the signature covers the decoded text).
const BARCODE_ANSWER_FIXED: [(&str, &str); 8] = [
    ("returnCode", "000000"),
    ("message", "交易成功"),
    ("sysTime", "20260105093015"),
    ("mercId", MERC_ID),
    ("logNo", "202601050000012345"),
    ("result", "S"),
    ("orderNo", "4200002026010512345678901234"),
    ("subject", "Latte grande"),
];

/// The gateway's `sdkBarcodePay` answer to `body`: [`BARCODE_ANSWER_FIXED`] and the request's
/// `tradeNo`, amounts and `selOrderNo` echoed, signed, `message` percent-encoded. Written by
/// hand rather than through `wire::encode_answer` (a `serde_json` map, 35 allocations) so that
/// the exchange, which stands in for the gateway, adds little to the call it is part of: the
/// signature (2 allocations) and the body (1).
fn barcode_pay_answer(body: &[u8]) -> Vec<u8> {
    let echoed = [
        ("amount", body_field(body, "\"amount\":\"")),
        ("total_amount", body_field(body, "\"total_amount\":\"")),
        ("tradeNo", body_field(body, "\"tradeNo\":\"")),
        ("selOrderNo", body_field(body, "\"selOrderNo\":\"")),
    ];
    let fields = BARCODE_ANSWER_FIXED.iter().chain(echoed.iter()).copied();
    let signature = starpos::sign::sign(fields.clone(), KEY);
    let mut out = Vec::with_capacity(512);
    out.push(b'{');
    for (name, value) in fields.chain([("signValue", signature.as_str())]) {
        if out.len() > 1 {
            out.push(b',');
        }
        out.push(b'"');
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(b"\":\"");
        if name == "message" {
            out.extend_from_slice(MESSAGE_ENCODED.as_bytes());
        } else {
            out.extend_from_slice(value.as_bytes());
        }
        out.push(b'"');
    }
    out.push(b'}');
    out
}

/// `交易成功` percent-encoded, as the gateway writes `message`.
const MESSAGE_ENCODED: &str = "%E4%BA%A4%E6%98%93%E6%88%90%E5%8A%9F";

/// Answers every request with [`barcode_pay_answer`] of its body.
fn barcode_exchange() -> starpos::unversioned::Exchange {
    Arc::new(|_url: &str, body: &[u8]| {
        Ok(Reply {
            body: barcode_pay_answer(body),
            charset: None,
        })
    })
}

fn canned_exchange(body: Vec<u8>) -> starpos::unversioned::Exchange {
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
    exchange: &starpos::unversioned::Exchange,
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

/// What `starpos_barcode_pay` does apart from the HTTP exchange.
fn barcode_pay_call(
    exchange: &starpos::unversioned::Exchange,
    request: &BarcodePayRequest<'_>,
    out: &mut starpos_barcode_pay_response,
) {
    let config = Config::new(ORG_NO, MERC_ID, TRM_NO, KEY).with_base_url(BASE_URL);
    let client = Client::new(config)
        .expect("valid config")
        .with_exchange(Arc::clone(exchange));
    // SAFETY: `out` is a valid, exclusively borrowed plain C struct.
    unsafe { std::ptr::write_bytes(out as *mut starpos_barcode_pay_response, 0, 1) };
    let answer = client
        .barcode_pay(request)
        .expect("the built answer verifies and binds");
    copy_barcode_pay_response(&answer, out).expect("the answer fits");
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
    exchange: starpos::unversioned::Exchange,
    request: PayRequest<'static>,
    out: Box<starpos_pay_response>,
    reused: Client,
    barcode_exchange: starpos::unversioned::Exchange,
    barcode_request: BarcodePayRequest<'static>,
    barcode_out: Box<starpos_barcode_pay_response>,
    barcode_reused: Client,
    /// A request body `Client::barcode_pay` sent, for `barcode_exchange_only`.
    barcode_body: Vec<u8>,
}

impl Fixture {
    fn new() -> Fixture {
        let body = pay_answer_body();
        let exchange = canned_exchange(body.clone());
        let reused = Client::new(config())
            .expect("valid config")
            .with_exchange(Arc::clone(&exchange));
        let barcode_exchange = barcode_exchange();
        let barcode_reused = Client::new(config())
            .expect("valid config")
            .with_exchange(Arc::clone(&barcode_exchange));
        let sent = Arc::new(std::sync::Mutex::new(Vec::new()));
        let capture = Arc::clone(&sent);
        Client::new(config())
            .expect("valid config")
            .with_exchange(Arc::new(move |_url: &str, body: &[u8]| {
                *capture.lock().expect("not poisoned") = body.to_vec();
                Ok(Reply {
                    body: barcode_pay_answer(body),
                    charset: None,
                })
            }))
            .barcode_pay(&barcode_pay_request())
            .expect("the built answer verifies and binds");
        let barcode_body = std::mem::take(&mut *sent.lock().expect("not poisoned"));
        let mut fixture = Fixture {
            fields: pay_request_fields(),
            body,
            exchange,
            request: pay_request(),
            out: zeroed_response(),
            reused,
            barcode_exchange,
            barcode_request: barcode_pay_request(),
            // SAFETY: as `zeroed_response`: integers, bools and char arrays.
            barcode_out: Box::new(unsafe { std::mem::zeroed() }),
            barcode_reused,
            barcode_body,
        };
        // Sanity: the canned answers are what the calls accept.
        fixture.run("pay_call_c_abi_path");
        assert_eq!(fixture.out.result, b'A' as std::os::raw::c_char);
        fixture.run("barcode_pay_call_c_abi_path");
        assert_eq!(fixture.barcode_out.result, b'S' as std::os::raw::c_char);
        assert_ne!(fixture.barcode_out.trade_no[0], 0, "the tradeNo is copied");
        let message: Vec<u8> = fixture.barcode_out.message[..12]
            .iter()
            .map(|&c| c as u8)
            .collect();
        assert_eq!(message, "交易成功".as_bytes(), "message decoded");
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
            "barcode_pay_call_c_abi_path" => {
                barcode_pay_call(
                    &self.barcode_exchange,
                    black_box(&self.barcode_request),
                    &mut self.barcode_out,
                );
            }
            "barcode_pay_call_reused_client" => {
                let answer = self
                    .barcode_reused
                    .barcode_pay(black_box(&self.barcode_request))
                    .expect("verifies");
                copy_barcode_pay_response(&answer, &mut self.barcode_out).expect("fits");
            }
            "barcode_exchange_only" => {
                black_box(
                    (self.barcode_exchange)("x", black_box(&self.barcode_body)).expect("built"),
                );
            }
            other => panic!("no operation {other}"),
        }
    }
}

/// The operations timed by criterion (and counted).
const TIMED: [&str; 8] = [
    "sign_pay_request",
    "encode_pay_request",
    "verify_pay_answer",
    "pay_call_c_abi_path",
    "pay_call_reused_client",
    "barcode_pay_call_c_abi_path",
    "barcode_pay_call_reused_client",
    "barcode_exchange_only",
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
