//! `starpos-sim`: a local stand-in for the StarPOS scan-payment gateway, speaking its wire
//! protocol over real HTTP so the `starpos` client can be tested end to end.
//!
//! ```no_run
//! use starpos_sim::{SimConfig, Simulator};
//! let sim = Simulator::start(SimConfig::default())?;
//! println!("gateway at {}", sim.base_url()); // http://127.0.0.1:PORT/adpweb/ehpspos3/
//! // ... point the client at it, pay, then play the payer:
//! // sim.confirm(&log_no);
//! # Ok::<(), std::io::Error>(())
//! ```
//!
//! # Gateway endpoints
//!
//! `POST <base>/<endpoint>.json` with a JSON object body, for `pubSigQry`, `pubSigPay`,
//! `sdkQryBarcodePay`, `sdkRefundBarcodePay`, the two counter sales `sdkBarcodePay` (the
//! terminal scanned the payer's code) and `sdkBarcodePosPay` (the terminal shows a QR code),
//! and the revoke `RevokeBarcodepay` (see [Revoke](#revoke)). The revoke counts as an `sdk*`
//! endpoint below: it takes the same common parameters and echoes its `tradeNo`.
//! Answers are HTTP 200, `Content-Type: application/json;charset=UTF-8`, built like the
//! gateway's: signed over the plain `message`, then `message` percent-encoded. Any other path
//! is 404, another method on an endpoint path 405, a body over 64 KiB 413. A body that is not
//! UTF-8 is read as GBK (the signature is checked over the decoded text either way).
//!
//! A request is checked in this order, the first failure answering a refusal
//! ([`codes`]; `message` is Chinese followed by English detail naming the field):
//!
//! 1. the body is a JSON object, else [`codes::BAD_REQUEST`], unsigned;
//! 2. `orgNo` and `mercId` are the configured merchant's, else [`codes::UNKNOWN_MERCHANT`],
//!    unsigned (without the merchant there is no key to sign with);
//! 3. `signValue` is present and right, else [`codes::BAD_SIGNATURE`], signed;
//! 4. the fields are well formed ([`codes::BAD_REQUEST`], signed): `trmNo` 1-8 letters/digits,
//!    `txnTime` 14 digits naming a plausible moment, `signType` `MD5`, `version` `V1.0.0` or
//!    `V1.0.1`; `attach` ≤ 256 characters (except the counter sales, below);
//!    - every `sdk*` endpoint: the common parameters `opSys` (digits), `characterSet` `00`
//!      (GBK, or an ASCII body) or `01` (a UTF-8 body; `00` over UTF-8 non-ASCII text is refused),
//!      `tradeNo` (1-64 printable ASCII, required), optional `trmTyp` (`P`, `I`, `A`, `C`, `T`),
//!      `oprId` ≤ 6, `latitude` / `longitude` ≤ 15, `addField` ≤ 256;
//!    - `pubSigPay`: exactly one of `code` (≤ 64) / `openid`, `amount` and `total_amount`
//!      positive fen of ≤ 13 digits with `amount` ≤ `total_amount`, `subject` ≤ 256,
//!      `selOrderNo` ≤ 50, `goods_tag` ≤ 250;
//!    - `sdkBarcodePay`: `authCode` (1-256 printable ASCII); both sales: `payChannel` `WXPAY`,
//!      `ALIPAY` or `YLPAY`, `amount` / `total_amount` as for `pubSigPay`, `subject`,
//!      `goods_tag`, `attach` ≤ 512 **GBK bytes** (ASCII 1, any other character 2),
//!      `selOrderNo` ≤ 50;
//!    - `qryNo` / `orderNo` ≤ 64, `txnAmt` positive fen (`qryNo` required for the query and
//!      the revoke);
//! 5. the business rules: a `tradeNo` is taken by the first well-formed `sdk*` request that
//!    carries it, whatever its endpoint or outcome, and any later one is
//!    [`codes::DUPLICATE`]; an OAuth `code` works once ([`codes::CODE_USED`]), a `pubSigPay`
//!    `selOrderNo` once ([`codes::DUPLICATE`]); an `authCode` pays once (a second
//!    `sdkBarcodePay` with it is [`codes::CODE_USED`], but still counted, see
//!    [`Order::auth_code_pays`]); unknown `qryNo`/`orderNo` is [`codes::ORDER_NOT_FOUND`]; a
//!    refund needs an `S` order ([`codes::ORDER_STATE`]) and no more than what remains
//!    ([`codes::REFUND_TOO_LARGE`]); a revoke needs an order without refunds
//!    ([`codes::ORDER_STATE`]) booked today ([`codes::REVOKE_NOT_TODAY`]).
//!
//! Every `sdk*` answer (query, refund, both sales), refusals included, echoes the request's
//! `tradeNo`, and its `addField` when it sent one (a common answer parameter); an answer about
//! a counter sale's order (the sale, its queries and refunds) otherwise carries the
//! `addField` the sale was sent with. The pays echo `amount`, `total_amount`, `selOrderNo`,
//! `subject`, `goodsTag`, `attach`. A WeChat (`WXPAY`) `sdkBarcodePay` answer carries the
//! payer's `openId` (28 characters beginning [`OPEN_ID_PREFIX`], the same for the same
//! code); other channels and the QR sale answer none. A query sent with version `V1.0.1` also answers `refAmt` (fen refunded so far on
//! that order); with `V1.0.0` it does not.
//!
//! # Orders
//!
//! `pubSigPay` creates an order in state `A` and answers `logNo` (18 digits: China date and a
//! sequence) with `orderNo` equal to it, as the sandbox does. The order becomes `S` when
//! [`Simulator::confirm`] is called, or when [`SimConfig::settle_after`] has passed (checked
//! whenever the order is looked at); it becomes `F` with [`Simulator::cancel`]. On becoming
//! `S` it gets a channel order number (`4200…`, 28 digits) which answers then report as
//! `orderNo`.
//!
//! `sdkBarcodePay` plays the payer by the **last digit of the scanned `authCode`**:
//!
//! | last digit | answer `result` | the order |
//! |---|---|---|
//! | `1` | `A` (the payer enters a password) | `A`, then `S` on confirm or after `settle_after` (`F` on cancel) |
//! | `2` | `F` (the wallet refuses) | `F` |
//! | `3` | `Z` (the gateway lost track) | `S`: the money moved; a query says `S` |
//! | any other | `S` | `S` |
//!
//! An `S` answer's `orderNo` is the channel number (for refunds); `A`, `F` and `Z` answer
//! `orderNo` = `logNo`.
//!
//! `sdkBarcodePosPay` answers `S` ("the QR order was made") with `payCode`
//! (`https://qr.sim.starpos/<32 hex>`, the text to show as a QR code) and `orderNo` =
//! `logNo`; the order itself is `A` (waiting for the payer to scan) until confirm (`S`),
//! cancel (`F`), `settle_after` (`S`), or [`QR_LIFETIME`] (15 minutes) passing unpaid: then it
//! is `F`, [`Order::expired`], and the query's `message` says it was closed (expired).
//!
//! **Simulated time:** settling and QR expiry read the simulator's own clock, which is real
//! time plus everything [`Simulator::advance`] (or `POST /_sim/advance`) added; a test moves
//! it instead of sleeping. `sysTime` reads the simulated clock too (China time); the dates in
//! numbers stay wall-clock time.
//!
//! The query (`qryNo`), the refund (`orderNo`), [`Simulator::confirm`], [`Simulator::cancel`]
//! and [`Simulator::force_state`] find an order by its `logNo`, either `orderNo`, a counter
//! sale's `tradeNo`, or a `pubSigPay`'s `selOrderNo`. A query whose `qryNo` is a refund's
//! `tradeNo` or `logNo` is "order not found", as the gateway documents it, unless
//! [`SimConfig::refunds_by_trade_no`] is on: then it answers that refund. Refunds work the same on every kind of order.
//!
//! [`Simulator::orders`] and `GET /_sim/orders` list every order: its endpoint (kind),
//! `tradeNo`, `logNo`, `orderNo`, `selOrderNo`, state, amounts, refunded fen and, for barcode
//! sales, how many pay requests arrived with its `authCode` (1 unless something sent the code
//! twice). **A scanned `authCode` is never listed or logged:** the request log
//! ([`Simulator::requests`], `GET /_sim/requests`) shows it as `*`s, in the fields and the body.
//!
//! # Revoke
//!
//! `RevokeBarcodepay` (common parameters, its own unique `tradeNo`, plus `qryNo`) undoes a
//! sale found by `qryNo` as the query finds it (the sale's `tradeNo`, `logNo`, `orderNo`, …):
//!
//! | the order | the answer | the order afterwards |
//! |---|---|---|
//! | unknown | [`codes::ORDER_NOT_FOUND`] (as the query) | — |
//! | `S` (or `Z`) | `S` | `D`; the payer's `amount` goes back ([`Revoke::returned`]) |
//! | `A` (payer not done / QR not paid) | `S` | `D`, closed: confirm, `settle_after` and QR expiry leave it `D`, nothing charged |
//! | `D` already | `S` again | unchanged: no second return |
//! | `F` | `F` (nothing to revoke) | `F` |
//! | `S` with refunds | [`codes::ORDER_STATE`] (a revoke undoes whole payments; refund the rest) | unchanged |
//! | booked on an earlier China day (simulated clock) | [`codes::REVOKE_NOT_TODAY`] | unchanged |
//!
//! A `D` or `F` order answers as the table says whatever its day. The answer (signed) echoes
//! the revoke's `tradeNo` and carries `LogNo` (capital L, as the gateway spells it: the
//! revoke's own serial), `result`, `payChannel`, the order's `amount`, `total_amount`,
//! `subject`, `selOrderNo`, `goodsTag`, `attach`. [`Order::revoke`] records the revoke that
//! acted. A query of the order then answers `result` `D`. A refund of a `D` order is
//! [`codes::ORDER_STATE`]. A query by the revoke's own `tradeNo` is "order not found". Faults
//! apply to the revoke as to any endpoint (the revoke is made, then the answer spoiled).
//!
//! # Faults
//!
//! [`Simulator::inject`] / [`Simulator::inject_for`] make the next answer(s) go wrong on the
//! socket; see [`Fault`] for each one. **Every fault lets the request be processed first** (a
//! payment is booked, a code used up, a refund made) and spoils only the answer, so a faulty
//! pay is "in doubt" for the client: only a query tells. Faults apply to gateway endpoints
//! only, never to the control surface. On the counter sales, `missing_fields` drops `logNo`,
//! `result`, `orderNo` (and `payCode` for the QR sale); `overlong_fields` stretches `orderNo`.
//!
//! # Control surface (for the CLI)
//!
//! - `POST /_sim/confirm` `{"no":"…"}`: the payer pays (`A` → `S`). 200
//!   `{"ok":true,"order":{…}}`, or 404 `{"ok":false,"error":"…"}`.
//! - `POST /_sim/cancel` `{"no":"…"}`: the payer cancels (`A` → `F`). Same answers.
//! - `POST /_sim/state` `{"no":"…","state":"Z"}`: sets any state (S, F, A, Z, D).
//! - `POST /_sim/advance` `{"ms":900000}`: moves the simulated clock forward; answers
//!   `{"ok":true,"advancedMs":N}` (how far it now runs ahead of real time).
//! - `GET /_sim/orders`: a JSON list of every order (`endpoint`, `tradeNo`, `state`, `logNo`,
//!   `orderNo`, `channelOrderNo`, `selOrderNo`, `amount`, `total_amount`, `refunded`,
//!   `refunds`, `payChannel`, `payCode`, `authCodePays`, `expired`, …).
//! - `GET /_sim/requests`: a JSON list of every gateway request (`endpoint`, `fields`).
//! - `POST /_sim/fault` `{"fault":"never_answer","endpoint":"pubSigPay","count":1}`: queues a
//!   fault; `endpoint` (any when absent) and `count` (1 when absent) are optional. Names:
//!   `never_answer`, `stall_after_headers`, `close_mid_body`, `http` (`"status":502`),
//!   `empty_body`, `not_json`, `json_array`, `huge_body` (`"bytes":8388608`),
//!   `wrong_signature`, `missing_signature`, `unsigned_refusal`, `missing_fields`,
//!   `overlong_fields`, `gbk_body`, `broken_percent`, `slow_trickle` (`"byte_every_ms":10`),
//!   `stale`, `mismatched_amount`, `delay` (`"ms":1000`), `busy` (a signed refusal echoing the
//!   `tradeNo`), `unbound_refusal` (the same without `tradeNo`), `long_message`
//!   (`"chars":150`), `result` (`"letter":"S"`), `echo_secrets`; `none` clears every pending
//!   fault.
//!
//! Malformed control requests get 400 with `{"ok":false,"error":"…"}`.
//!
//! # Command line
//!
//! `starpos-sim` and the CLI's `starpos sim` are one command line, declared once in [`cli`]:
//! the same options with the same names and defaults (`--port`, `--bind`,
//! `--settle-after-ms`, `--org-no`, `--merc-id`, `--key`, `--app-id`, `--app-id-key`,
//! `--show-secrets`; the credentials fall back to `STARPOS_ORG_NO`, `STARPOS_MERC_ID`,
//! `STARPOS_KEY`), the same banner with the keys masked as the CLI masks secrets, and the
//! CLI's exit statuses: 64 usage, 69 cannot listen (a busy port fails at once, saying
//! "address in use" and the address), 74 stdout lost.

#![warn(missing_docs)]

pub mod cli;
mod clock;
pub mod codes;
mod config;
mod faults;
mod gbk;
mod handlers;
mod http;
mod orders;
mod sales;
mod sock;
mod stale;

pub use config::{
    SimConfig, DEFAULT_APP_ID, DEFAULT_APP_ID_KEY, DEFAULT_KEY, DEFAULT_MERC_ID, DEFAULT_ORG_NO,
    DEFAULT_TRM_NO,
};
pub use faults::{Fault, FAULT_NAMES};
pub use http::{BASE_PATH, MAX_BODY};
pub use orders::{Order, OrderKind, Refund, Revoke, QR_LIFETIME};
pub use sales::OPEN_ID_PREFIX;

use orders::OrderBook;
use serde_json::{Map, Value};
use std::io::Write;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// How many threads take requests off tiny_http's queue. Slow faults run on threads of their
/// own, so these only ever do quick work.
const WORKERS: usize = 16;

/// How long a worker waits for a request before checking whether to stop.
const POLL: Duration = Duration::from_millis(20);

/// How often the simulator connects to itself to unstick tiny_http's connection pool.
///
/// tiny_http 0.12 hands each accepted connection to a thread pool whose count of idle threads
/// is stale for a moment after it wakes one; connections that arrive together can then be
/// queued with nobody to take them, and since every keep-alive connection holds its thread
/// until the client closes it, they may wait forever (eight clients opening connections at once
/// typically leave four unserved). A pool task submitted while no thread is idle gets a fresh
/// thread, which after its own task takes the queued ones: an empty connection every few
/// milliseconds is such a task, so no connection waits longer than this.
const KICK_EVERY: Duration = Duration::from_millis(5);

/// One request the simulator received on a gateway endpoint path.
#[derive(Clone, Debug, PartialEq)]
pub struct Received {
    /// The endpoint name from the URL (`pubSigPay`), also for names it does not serve.
    pub endpoint: String,
    /// The body's JSON object (empty when the body was not a JSON object).
    pub fields: Map<String, Value>,
    /// The body's bytes as received.
    pub body: Vec<u8>,
}

/// What the worker threads share.
pub(crate) struct Shared {
    config: SimConfig,
    /// Where the listener is bound (the real port, even when 0 was asked for).
    local: SocketAddr,
    book: Mutex<OrderBook>,
    log: Mutex<Vec<Received>>,
    faults: Mutex<Vec<faults::Rule>>,
    /// The last answer made per endpoint, for the `stale` fault.
    last_answers: Mutex<stale::LastAnswers>,
    /// Response writers never answered (faults), kept so their connections stay open.
    parked: Mutex<Vec<Box<dyn Write + Send>>>,
    /// Threads running slow faults and 413 answers, joined at shutdown.
    threads: Mutex<Vec<JoinHandle<()>>>,
    stop: AtomicBool,
}

impl Shared {
    fn orders(&self) -> Vec<Order> {
        lock(&self.book).all()
    }
}

/// Locks a mutex, carrying on if another thread panicked while holding it.
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A running simulator. Stops on [`Simulator::shutdown`] or when dropped.
pub struct Simulator {
    shared: Arc<Shared>,
    server: Option<Arc<tiny_http::Server>>,
    workers: Vec<JoinHandle<()>>,
}

impl std::fmt::Debug for Simulator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Simulator")
            .field("local", &self.shared.local)
            .finish_non_exhaustive()
    }
}

impl Simulator {
    /// Binds `config.bind`, starts the worker threads and returns once connections are accepted.
    ///
    /// A bind that fails returns its own error, so its kind tells why:
    /// [`std::io::ErrorKind::AddrInUse`] when another socket holds the address
    /// ([`cli::StartError`] words it for a person).
    pub fn start(config: SimConfig) -> std::io::Result<Simulator> {
        let listener = TcpListener::bind(config.bind)?;
        let server =
            tiny_http::Server::from_listener(listener, None).map_err(std::io::Error::other)?;
        let local = server
            .server_addr()
            .to_ip()
            .ok_or_else(|| std::io::Error::other("not bound to an IP address"))?;
        let server = Arc::new(server);
        let shared = Arc::new(Shared {
            book: Mutex::new(OrderBook::new(config.settle_after)),
            config,
            local,
            log: Mutex::new(Vec::new()),
            faults: Mutex::new(Vec::new()),
            last_answers: Mutex::new(stale::LastAnswers::new()),
            parked: Mutex::new(Vec::new()),
            threads: Mutex::new(Vec::new()),
            stop: AtomicBool::new(false),
        });
        let mut sim = Simulator {
            shared,
            server: Some(Arc::clone(&server)),
            workers: Vec::new(),
        };
        for n in 0..WORKERS {
            let (shared, server) = (Arc::clone(&sim.shared), Arc::clone(&server));
            let worker = std::thread::Builder::new()
                .name(format!("starpos-sim-{n}"))
                .spawn(move || work(&shared, &server))?;
            sim.workers.push(worker);
        }
        let shared = Arc::clone(&sim.shared);
        let kicker = std::thread::Builder::new()
            .name("starpos-sim-kick".to_owned())
            .spawn(move || kick(&shared))?;
        sim.workers.push(kicker);
        Ok(sim)
    }

    /// The gateway base URL to give the client: `http://127.0.0.1:PORT/adpweb/ehpspos3/`
    /// (the bound address, or 127.0.0.1 when bound to every address).
    pub fn base_url(&self) -> String {
        format!("http://{}{BASE_PATH}", connectable(self.shared.local))
    }

    /// The port listened on.
    pub fn port(&self) -> u16 {
        self.shared.local.port()
    }

    /// The address listened on.
    pub fn local_addr(&self) -> SocketAddr {
        self.shared.local
    }

    /// The configuration it runs with.
    pub fn config(&self) -> &SimConfig {
        &self.shared.config
    }

    /// Every request received on a gateway endpoint path, oldest first, faulty ones included.
    pub fn requests(&self) -> Vec<Received> {
        lock(&self.shared.log).clone()
    }

    /// How many requests [`Simulator::requests`] would list.
    pub fn request_count(&self) -> usize {
        lock(&self.shared.log).len()
    }

    /// The payer pays: the order known by `no` (its `logNo`, either `orderNo`, a counter
    /// sale's `tradeNo` or a `pubSigPay`'s `selOrderNo`) goes from `A` to `S` and gets its
    /// channel order number. False when no order has that number or it is not `A`.
    pub fn confirm(&self, no: &str) -> bool {
        lock(&self.shared.book).confirm(no)
    }

    /// The payer cancels (or a QR sale is closed): `A` → `F`. False when unknown or not `A`.
    pub fn cancel(&self, no: &str) -> bool {
        lock(&self.shared.book).cancel(no)
    }

    /// Sets the order's state to anything (`Z` unknown and `D` revoked only arise this way).
    /// Going to `S` gives it a channel order number if it had none. False when unknown.
    pub fn force_state(&self, no: &str, state: char) -> bool {
        lock(&self.shared.book).force_state(no, state)
    }

    /// A snapshot of the order known by `no`, settled first if its time has come.
    pub fn order(&self, no: &str) -> Option<Order> {
        lock(&self.shared.book).get(no)
    }

    /// Snapshots of every order, oldest first (settled or expired first if their time has
    /// come).
    pub fn orders(&self) -> Vec<Order> {
        self.shared.orders()
    }

    /// Moves the simulator's clock forward by `by` (real time keeps passing too): orders
    /// settle ([`SimConfig::settle_after`]) and QR sales expire ([`QR_LIFETIME`]) by it. The
    /// clock runs at most a century ahead. Returns how far it is ahead of real time now.
    pub fn advance(&self, by: Duration) -> Duration {
        lock(&self.shared.book).advance(by)
    }

    /// How far the simulator's clock runs ahead of real time (the sum of every
    /// [`Simulator::advance`]).
    pub fn advanced(&self) -> Duration {
        lock(&self.shared.book).skew()
    }

    /// Spoils the answer to the next gateway request, whatever its endpoint.
    pub fn inject(&self, fault: Fault) {
        self.inject_for(None, 1, fault);
    }

    /// Spoils the answers to the next `count` requests to `endpoint` (any endpoint when
    /// `None`). Pending faults are used in the order they were injected; `count` 0 does nothing.
    pub fn inject_for(&self, endpoint: Option<&str>, count: usize, fault: Fault) {
        if count > 0 {
            let rule = faults::Rule {
                endpoint: endpoint.map(str::to_owned),
                remaining: count,
                fault,
            };
            lock(&self.shared.faults).push(rule);
        }
    }

    /// Forgets every pending fault.
    pub fn clear_faults(&self) {
        lock(&self.shared.faults).clear();
    }

    /// How many answers pending faults will still spoil.
    pub fn pending_faults(&self) -> usize {
        lock(&self.shared.faults).iter().map(|r| r.remaining).sum()
    }

    /// Stops serving: workers and fault threads joined, every connection closed, port released.
    pub fn shutdown(self) {
        drop(self);
    }

    fn stop(&mut self) {
        let Some(server) = self.server.take() else {
            return;
        };
        self.shared.stop.store(true, Ordering::Relaxed);
        for worker in self.workers.drain(..) {
            let _ = worker.join();
        }
        // Closing the connections ends the reads that parked, 413 and fault threads wait on.
        sock::shutdown_connections(self.shared.local, None);
        let threads = std::mem::take(&mut *lock(&self.shared.threads));
        for thread in threads {
            let _ = thread.join();
        }
        lock(&self.shared.parked).clear();
        drop(server);
        wait_until_released(self.shared.local);
    }
}

impl Drop for Simulator {
    fn drop(&mut self) {
        self.stop();
    }
}

/// The address to connect to for a listener bound to `local` (loopback for "every address").
fn connectable(local: SocketAddr) -> SocketAddr {
    match local.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => {
            SocketAddr::new(Ipv4Addr::LOCALHOST.into(), local.port())
        }
        IpAddr::V6(ip) if ip.is_unspecified() => {
            SocketAddr::new(Ipv6Addr::LOCALHOST.into(), local.port())
        }
        _ => local,
    }
}

/// Waits (up to a second) until the port can be bound again: tiny_http closes its listener on
/// its own accept thread, a moment after the server is dropped, and does not join that thread.
fn wait_until_released(local: SocketAddr) {
    let deadline = Instant::now() + Duration::from_secs(1);
    while Instant::now() < deadline {
        match TcpListener::bind(local) {
            Ok(_) => return,
            Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => {
                std::thread::sleep(Duration::from_millis(1))
            }
            Err(_) => return,
        }
    }
}

/// Connects to the simulator itself every [`KICK_EVERY`] until told to stop.
fn kick(shared: &Shared) {
    let target = connectable(shared.local);
    while !shared.stop.load(Ordering::Relaxed) {
        std::thread::sleep(KICK_EVERY);
        // Connected and closed at once: tiny_http reads nothing and frees the thread.
        let _ = TcpStream::connect_timeout(&target, Duration::from_millis(200));
    }
}

/// A worker: serves requests until told to stop. A panic while serving one request (a bug)
/// is contained to that request.
fn work(shared: &Arc<Shared>, server: &tiny_http::Server) {
    while !shared.stop.load(Ordering::Relaxed) {
        match server.recv_timeout(POLL) {
            Ok(Some(request)) => {
                let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    http::serve(shared, request)
                }));
            }
            Ok(None) => {}
            // The accept thread failed; existing connections may still bring requests.
            Err(_) => std::thread::sleep(POLL),
        }
    }
}
