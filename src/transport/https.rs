//! `https://` through a shared, keep-alive [`ureq::Agent`] with rustls (the `tls` feature),
//! with every ureq failure mapped to a [`Status`] that says whether the request may have
//! reached the gateway (the same rules as [`super::plain`]).
//!
//! Whether a byte of the request may have left is known from state, never from the kind of
//! error: every connection ureq makes is wrapped ([`Watched`]), and the wrapper notes, for the
//! call on this thread, the moment ureq first hands it request bytes to write. The TLS
//! handshake happens inside the connector, before that.
//! - Nothing written: `Connect` for DNS, TCP connect and TLS handshake failures (a rejected
//!   certificate, a peer that does not speak TLS).
//! - Once ureq began writing the request: always in doubt, as in plain http: `Timeout` when no
//!   full answer came in time, else `Protocol` (a corrupted or refused TLS record, a reset, a
//!   close), whatever the error, rustls's included.

use super::{Connection, Reply, Timeouts};
use crate::error::{Error, Status};
use crate::limits::MAX_ANSWER_BYTES;
use std::cell::Cell;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};
use std::time::Duration;
use ureq::http::Uri;
// The "unversioned" API is only for the resolver and connector wrappers; Cargo.lock pins the
// ureq release (tests/tls.rs fails if a release moved a call's I/O off the calling thread).
use super::https_tcp::{self, PollTcpConnector};
use ureq::unversioned::resolver::{ResolvedSocketAddrs, Resolver};
use ureq::unversioned::transport::{
    Buffers, ConnectionDetails, Connector, NextTimeout, RustlsConnector, Transport,
};
use ureq::Agent;

/// Name lookup through [`super::dns`], shared with plain http: IP literals directly, names
/// from the same 30 s cache, a lookup bounded by ureq's resolve timeout. A failed lookup happens
/// before anything is sent, so it is reported as one (CONNECT), never as an in-doubt I/O error.
#[derive(Debug, Default)]
struct LookupResolver;

impl Resolver for LookupResolver {
    fn resolve(
        &self,
        uri: &Uri,
        _config: &ureq::config::Config,
        timeout: NextTimeout,
    ) -> Result<ResolvedSocketAddrs, ureq::Error> {
        let authority = uri.authority().ok_or(ureq::Error::HostNotFound)?;
        let https = uri.scheme_str() == Some("https");
        let port = authority.port_u16().unwrap_or(if https { 443 } else { 80 });
        let budget: Duration = *timeout.after;
        let started = std::time::Instant::now();
        let addrs = super::dns::resolve(authority.host(), port, budget).map_err(|_| {
            if started.elapsed() >= budget {
                ureq::Error::Timeout(ureq::Timeout::Resolve)
            } else {
                ureq::Error::HostNotFound
            }
        })?;
        let mut out = self.empty();
        // ureq keeps at most 16 addresses.
        for addr in addrs.into_iter().take(16) {
            out.push(addr);
        }
        Ok(out)
    }
}

thread_local! {
    /// Whether the call running on this thread has handed ureq's transport any request bytes.
    /// ureq 3 is blocking: a call's connect, writes and reads all run on the calling thread,
    /// on a new connection or on one from the pool alike.
    static WRITTEN: Cell<bool> = const { Cell::new(false) };
}

/// Whether the call on this thread has handed ureq request bytes (the TLS handshake is
/// written before): from then on its answer is awaited, and its cancel is watched.
pub(super) fn request_written() -> bool {
    WRITTEN.get()
}

/// One call's record of whether its request may have left: reset when the call starts.
struct Call;

impl Call {
    /// Starts the record, with the call's cancel (watched while the answer is awaited).
    fn start(cancel: Option<&crate::cancel::Cancel>) -> Call {
        WRITTEN.set(false);
        https_tcp::CANCELLED.set(false);
        https_tcp::CANCEL.set(cancel.cloned());
        Call
    }

    /// True when the call's cancel ended the wait for its answer.
    fn cancelled(&self) -> bool {
        https_tcp::CANCELLED.get()
    }

    /// True once a byte of this call's request may have been written.
    fn written(&self) -> bool {
        WRITTEN.get()
    }
}

impl Drop for Call {
    fn drop(&mut self) {
        https_tcp::CANCEL.set(None);
    }
}

/// The connector chain (TCP through [`super::https_tcp`], then ureq's rustls handshake), with
/// every connection it makes wrapped in a [`Watched`].
#[derive(Debug)]
struct WatchingConnector<C>(C);

impl<C: Connector<()>> Connector<()> for WatchingConnector<C> {
    type Out = Watched;

    fn connect(
        &self,
        details: &ConnectionDetails,
        chained: Option<()>,
    ) -> Result<Option<Watched>, ureq::Error> {
        Ok(self
            .0
            .connect(details, chained)?
            .map(|t| Watched(t.boxed())))
    }
}

/// A connection, handshake done, that marks the call as [written](Call::written) before it
/// writes anything (a write that fails may still have put bytes on the wire).
#[derive(Debug)]
struct Watched(Box<dyn Transport>);

impl Transport for Watched {
    fn buffers(&mut self) -> &mut dyn Buffers {
        self.0.buffers()
    }

    fn transmit_output(&mut self, amount: usize, timeout: NextTimeout) -> Result<(), ureq::Error> {
        WRITTEN.set(true);
        self.0.transmit_output(amount, timeout)
    }

    fn await_input(&mut self, timeout: NextTimeout) -> Result<bool, ureq::Error> {
        self.0.await_input(timeout)
    }

    fn is_open(&mut self) -> bool {
        self.0.is_open()
    }

    fn is_tls(&self) -> bool {
        self.0.is_tls()
    }
}

fn new_agent(keep_alive: bool, ca_file: Option<&Path>) -> Result<Agent, Error> {
    let pool = if keep_alive { 64 } else { 0 };
    let builder = Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .max_redirects_will_error(false)
        .max_idle_connections(pool)
        .max_idle_connections_per_host(pool)
        .max_idle_age(Duration::from_secs(50))
        .user_agent(concat!("starpos/", env!("CARGO_PKG_VERSION")));
    let builder = builder.tls_config(tls::config(ca_file)?);
    Ok(Agent::with_parts(
        builder.build(),
        WatchingConnector(().chain(PollTcpConnector).chain(RustlsConnector::default())),
        LookupResolver,
    ))
}

/// The agent for `connection`, created once and shared by every call and thread (an `Agent`
/// clone shares its pool). The common case, no CA file, takes no lock.
fn agent(connection: &Connection) -> Result<Agent, Error> {
    static POOLED: OnceLock<Agent> = OnceLock::new();
    static UNPOOLED: OnceLock<Agent> = OnceLock::new();
    static WITH_CA: Mutex<Vec<(bool, PathBuf, Agent)>> = Mutex::new(Vec::new());
    let Some(ca_file) = connection.ca_file else {
        let slot = if connection.keep_alive {
            &POOLED
        } else {
            &UNPOOLED
        };
        if let Some(agent) = slot.get() {
            return Ok(agent.clone());
        }
        let agent = new_agent(connection.keep_alive, None)?;
        return Ok(slot.get_or_init(|| agent).clone());
    };
    // A CA file is read once per path; its agent is kept for the life of the process.
    let mut agents = WITH_CA
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some((_, _, agent)) = agents
        .iter()
        .find(|(k, p, _)| *k == connection.keep_alive && p == ca_file)
    {
        return Ok(agent.clone());
    }
    let agent = new_agent(connection.keep_alive, Some(ca_file))?;
    agents.push((connection.keep_alive, ca_file.to_owned(), agent.clone()));
    Ok(agent)
}

mod tls {
    use crate::error::Error;
    use std::path::Path;
    use ureq::tls::{parse_pem, PemItem, RootCerts, TlsConfig};

    /// rustls with Mozilla's roots, or with the certificates of `ca_file` instead.
    pub(super) fn config(ca_file: Option<&Path>) -> Result<TlsConfig, Error> {
        let builder = TlsConfig::builder();
        let Some(path) = ca_file else {
            return Ok(builder.root_certs(RootCerts::WebPki).build());
        };
        let pem = std::fs::read(path).map_err(|e| {
            Error::invalid(
                "ca_file",
                format!("cannot be read: {} ({e})", path.display()),
            )
        })?;
        let certs: Vec<_> = parse_pem(&pem)
            .filter_map(|item| match item {
                Ok(PemItem::Certificate(cert)) => Some(cert),
                _ => None,
            })
            .collect();
        if certs.is_empty() {
            return Err(Error::invalid(
                "ca_file",
                format!("holds no PEM certificate: {}", path.display()),
            ));
        }
        Ok(builder
            .root_certs(RootCerts::new_with_certs(&certs))
            .build())
    }

    /// The rustls error inside an I/O error, if the TLS layer caused it.
    pub(super) fn rustls_error(e: &std::io::Error) -> Option<String> {
        e.get_ref()?
            .downcast_ref::<rustls::Error>()
            .map(|inner| inner.to_string())
    }
}

/// POSTs `body` to the `https://` `url` and returns the answer of an HTTP 200.
pub fn post(
    url: &str,
    body: &[u8],
    content_type: &str,
    timeouts: Timeouts,
    connection: &Connection,
) -> Result<Reply, Error> {
    let phase = timeouts.connect_phase();
    let call = Call::start(connection.cancel);
    let map = |e| {
        if call.cancelled() {
            return super::plain::cancelled_after_sending();
        }
        map_error(e, call.written())
    };
    let mut response = agent(connection)?
        .post(url)
        .config()
        .timeout_global(Some(timeouts.total))
        .timeout_resolve(Some(phase))
        .timeout_connect(Some(phase))
        .build()
        .header("Content-Type", content_type)
        .send(body)
        .map_err(map)?;
    let status = response.status().as_u16();
    if status != 200 {
        return Err(Error::new(
            Status::Http,
            format!("gateway answered HTTP {status}"),
        ));
    }
    let charset = response.body().charset().map(str::to_owned);
    let body = response
        .body_mut()
        .with_config()
        .limit(MAX_ANSWER_BYTES)
        .read_to_vec()
        .map_err(map)?;
    Ok(Reply { body, charset })
}

/// Maps a ureq failure to the status that tells whether the request may have been processed.
/// `written`: whether ureq had begun writing the request ([`Call::written`]); once it had,
/// the status is in doubt whatever the error says.
fn map_error(error: ureq::Error, written: bool) -> Error {
    let e = if written {
        map_after_writing(error)
    } else {
        map_before_writing(error)
    };
    if written && !e.in_doubt() {
        // A status that says "nothing was sent" (CONNECT, INVALID_ARGUMENT) is never true now.
        return broke(e.detail());
    }
    e
}

/// A failure once bytes of the request may have left: TIMEOUT or PROTOCOL, as in plain http.
fn map_after_writing(error: ureq::Error) -> Error {
    use io::ErrorKind as K;
    match error {
        ureq::Error::Timeout(phase) => timed_out(phase),
        ureq::Error::Io(e) if matches!(e.kind(), K::TimedOut | K::WouldBlock) => timed_out(e),
        ureq::Error::Io(e) => match tls::rustls_error(&e) {
            Some(why) => broke(format_args!("TLS: {why}")),
            // ureq reports its own errors inside io errors when reading a body.
            None => match e.downcast::<ureq::Error>() {
                Ok(inner) => map_after_writing(inner),
                Err(e) => broke(e),
            },
        },
        other => map_before_writing(other),
    }
}

fn timed_out(why: impl std::fmt::Display) -> Error {
    Error::new(
        Status::Timeout,
        format!("no full answer in time ({why}): the request may have been processed"),
    )
}

fn broke(why: impl std::fmt::Display) -> Error {
    Error::protocol(format!(
        "connection broke after the request was sent ({why}): the request may have been processed"
    ))
}

/// A failure before ureq began writing the request. The connect phase is budgeted to end
/// before the call's deadline, so a timeout other than resolve or connect stays in doubt.
fn map_before_writing(error: ureq::Error) -> Error {
    use ureq::Error as E;
    use ureq::Timeout as T;
    match error {
        E::Timeout(T::Resolve | T::Connect) => Error::new(
            Status::Connect,
            "gateway not reached within the connect timeout",
        ),
        E::Timeout(phase) => timed_out(phase),
        E::HostNotFound => Error::new(Status::Connect, "gateway host name could not be resolved"),
        E::ConnectionFailed => Error::new(Status::Connect, "could not connect to the gateway"),
        E::BodyExceedsLimit(limit) => {
            Error::protocol(format!("answer is larger than {limit} bytes"))
        }
        E::BadUri(uri) => Error::invalid("base_url", format!("is not a usable URL ({uri})")),
        E::Http(e) => Error::invalid("base_url", format!("request could not be built ({e})")),
        E::Io(e) => map_io(e),
        E::Protocol(e) => Error::protocol(format!("malformed HTTP answer ({e})")),
        E::Tls(why) => Error::new(Status::Connect, format!("TLS setup failed: {why}")),
        E::TooManyRedirects | E::RedirectFailed => {
            Error::new(Status::Http, "gateway answered with a redirect")
        }
        other => Error::protocol(format!("HTTP exchange failed ({other})")),
    }
}

fn map_io(e: io::Error) -> Error {
    use io::ErrorKind as K;
    // Before the first write, TLS errors come from the handshake, which ends before the
    // request is written: nothing was sent.
    if let Some(why) = tls::rustls_error(&e) {
        return Error::new(
            Status::Connect,
            format!("TLS handshake with the gateway failed: {why}"),
        );
    }
    match e.kind() {
        K::ConnectionRefused
        | K::HostUnreachable
        | K::NetworkUnreachable
        | K::AddrNotAvailable
        | K::NetworkDown => Error::new(
            Status::Connect,
            format!("could not connect to the gateway ({e})"),
        ),
        K::TimedOut | K::WouldBlock => timed_out(e),
        _ => {
            // ureq reports its own errors inside io errors when reading a body.
            match e.downcast::<ureq::Error>() {
                Ok(inner) => map_before_writing(inner),
                Err(e) => broke(e),
            }
        }
    }
}
