//! The library's HTTP/1.1 client, for `http://` and (with the `tls` feature) `https://`, over a
//! pool of kept-alive connections shared by every thread: plain `TcpStream`s, or the same with a
//! rustls session on top ([`super::https`]).
//!
//! One call is: take a pooled connection (checked alive with one non-blocking peek, outside the
//! pool's lock) or connect (and for https, complete the TLS handshake); write head and body with
//! one `send`; `poll` against the call's deadline before each read; parse with
//! [`super::http1`]; put the connection back.
//!
//! What each failure means for the caller:
//! - `Connect`, nothing was sent: lookup failure, refused, connect timeout, a failed or timed-out
//!   TLS handshake, or the connection closed before the kernel took a single byte of the request.
//! - `CancelledNotSent`: the caller's cancel, seen before the request's first byte (during the
//!   TLS handshake too).
//! - `Timeout` or `Protocol`, in doubt: any failure once a byte of the request has been taken.

use super::dns;
use super::http1::{self, BodyDecoder, BodyError};
use super::{Reply, Timeouts};
use crate::cancel::{self, poll_ms, Cancel, Woke};
use crate::error::{Error, Status};
use crate::limits::MAX_ANSWER_BYTES;
use std::io;
use std::net::TcpStream;
use std::os::fd::AsRawFd;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

/// Most idle connections kept, over all gateways.
const MAX_IDLE: usize = 64;

/// An idle connection older than this is closed rather than reused (below the keep-alive
/// timeout of common servers, e.g. nginx's 75 s). A server that announces a shorter one
/// (`Keep-Alive: timeout=N`) is taken at its word, less [`KEEP_ALIVE_MARGIN`].
const MAX_IDLE_AGE: Duration = Duration::from_secs(50);

/// How long before a server's announced keep-alive timeout a connection stops being reused,
/// so that a call does not race the server closing it.
const KEEP_ALIVE_MARGIN: Duration = Duration::from_secs(1);

/// Most interim (1xx) answers accepted before the real one.
const MAX_INTERIM_ANSWERS: usize = 8;

/// The TLS setup of an https call: which roots it trusts (one per CA file, kept for the life
/// of the process, so its address identifies it).
#[cfg(feature = "tls")]
pub(super) type Tls = std::sync::Arc<rustls::ClientConfig>;
/// Without the `tls` feature there is no https call.
#[cfg(not(feature = "tls"))]
pub(super) enum Tls {}

/// A connection: plain TCP, or TLS over it.
pub(super) enum Conn {
    Tcp(TcpStream),
    #[cfg(feature = "tls")]
    Tls(Box<super::https::TlsConn>),
}

impl Conn {
    fn socket(&self) -> &TcpStream {
        match self {
            Conn::Tcp(stream) => stream,
            #[cfg(feature = "tls")]
            Conn::Tls(tls) => tls.socket(),
        }
    }

    /// Sends all of the request's `bytes` before `deadline` (over TLS, as records).
    fn send_all(&mut self, bytes: &[u8], deadline: Instant) -> Result<(), SendError> {
        match self {
            Conn::Tcp(stream) => send_all(stream, bytes, deadline),
            #[cfg(feature = "tls")]
            Conn::Tls(tls) => tls.send_all(bytes, deadline),
        }
    }

    /// Reads what the socket has (it was just polled readable) and appends the answer's bytes
    /// to `raw`. `Some(clean)` once the peer has closed: over TLS, `clean` says whether it sent
    /// a close_notify first; over plain TCP a close is always clean. An error is one after the
    /// request was sent.
    fn recv(&mut self, raw: &mut Vec<u8>) -> Result<Option<bool>, Error> {
        match self {
            Conn::Tcp(stream) => recv(stream, raw),
            #[cfg(feature = "tls")]
            Conn::Tls(tls) => tls.recv(raw),
        }
    }
}

/// Which pooled connections a call may take: the same `tls` setup (0 for plain http).
fn tls_key(tls: Option<&Tls>) -> usize {
    match tls {
        None => 0,
        #[cfg(feature = "tls")]
        Some(config) => std::sync::Arc::as_ptr(config) as usize,
        #[cfg(not(feature = "tls"))]
        Some(never) => match *never {},
    }
}

/// An idle, kept-alive connection.
struct Idle {
    authority: String,
    /// [`tls_key`] of the connection's setup.
    tls: usize,
    conn: Conn,
    /// When it stops being reused.
    expires: Instant,
}

/// `now + duration`, or a day from now when that is not representable (a caller's absurd
/// timeout must not panic).
fn after(duration: Duration) -> Instant {
    let now = Instant::now();
    now.checked_add(duration)
        .unwrap_or_else(|| now + Duration::from_secs(86_400))
}

/// Idle connections, most recently used last.
static POOL: Mutex<Vec<Idle>> = Mutex::new(Vec::new());

/// The parts of an `http://` URL a request needs.
#[derive(Debug, PartialEq, Eq)]
struct Target<'a> {
    /// `host[:port]` as written: the `Host` header and the pool's key.
    authority: &'a str,
    /// A name, an IPv4 address, or a bracketed IPv6 address.
    host: &'a str,
    port: u16,
    /// From the first `/` on.
    path: &'a str,
    /// `https://`.
    https: bool,
}

fn target(url: &str) -> Result<Target<'_>, Error> {
    let bad = |rule: &str| Error::invalid("base_url", rule);
    let (rest, https) = match url.strip_prefix("https://") {
        Some(rest) => (rest, true),
        None => (
            url.strip_prefix("http://")
                .ok_or_else(|| bad("must start with http:// or https://"))?,
            false,
        ),
    };
    let cut = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, path) = rest.split_at(cut);
    if !path.is_empty() && !path.starts_with('/') {
        return Err(bad("must have a path ending in / after the host"));
    }
    let path = if path.is_empty() { "/" } else { path };
    if authority.contains('@') {
        return Err(bad("must not carry a user name or password"));
    }
    let (host, port) = match authority.rfind(':') {
        Some(colon) if !authority[colon..].contains(']') => {
            let port = authority[colon + 1..]
                .parse::<u16>()
                .ok()
                .filter(|p| *p != 0)
                .ok_or_else(|| bad("has a port that is not a number from 1 to 65535"))?;
            (&authority[..colon], port)
        }
        _ => (authority, if https { 443 } else { 80 }),
    };
    if host.is_empty() || host.contains(char::is_whitespace) {
        return Err(bad("must name a host"));
    }
    Ok(Target {
        authority,
        host,
        port,
        path,
        https,
    })
}

/// True when `stream` is open with nothing unread: the peer has not closed it, and sent
/// nothing unasked.
fn idle_and_open(stream: &TcpStream) -> bool {
    let mut byte = 0u8;
    // SAFETY: reads at most one byte into a local; the fd is owned by `stream`.
    let n = unsafe {
        libc::recv(
            stream.as_raw_fd(),
            (&mut byte as *mut u8).cast(),
            1,
            libc::MSG_PEEK | libc::MSG_DONTWAIT,
        )
    };
    n < 0 && io::Error::last_os_error().kind() == io::ErrorKind::WouldBlock
}

/// The most recently used open connection to `authority` with the setup `tls` (a [`tls_key`]),
/// if any.
fn take_idle(authority: &str, tls: usize) -> Option<Conn> {
    loop {
        let idle = {
            let mut pool = POOL.lock().unwrap_or_else(PoisonError::into_inner);
            let at = pool
                .iter()
                .rposition(|i| i.tls == tls && i.authority == authority)?;
            pool.remove(at)
        };
        // Checked (and if dead, closed) outside the lock: other callers never wait on it.
        if Instant::now() < idle.expires && idle_and_open(idle.conn.socket()) {
            return Some(idle.conn);
        }
    }
}

/// Keeps `conn` for reuse during `idle_for`. Connections past their time, to any gateway,
/// are closed here, after the lock is released.
fn put_idle(authority: &str, tls: usize, conn: Conn, idle_for: Duration) {
    let now = Instant::now();
    let mut closed = Vec::new();
    {
        let mut pool = POOL.lock().unwrap_or_else(PoisonError::into_inner);
        let mut i = 0;
        while i < pool.len() {
            if pool[i].expires <= now {
                closed.push(pool.remove(i));
            } else {
                i += 1;
            }
        }
        if pool.len() >= MAX_IDLE {
            closed.push(pool.remove(0));
        }
        pool.push(Idle {
            authority: authority.to_owned(),
            tls,
            conn,
            expires: now + idle_for,
        });
    }
    drop(closed);
}

/// Waits until `stream` is ready for `events`, `cancel` is fired, or `deadline` comes.
pub(super) fn wait_for(
    stream: &TcpStream,
    events: libc::c_short,
    cancel: Option<&Cancel>,
    deadline: Instant,
) -> Woke {
    cancel::wait(Some(stream.as_raw_fd()), events, cancel, deadline)
}

/// A failure while sending, with how many bytes the kernel had taken.
pub(super) struct SendError {
    pub(super) sent: usize,
    pub(super) why: String,
}

/// Sends all of `bytes` before `deadline`. `MSG_NOSIGNAL`: a peer that has gone away must give
/// an error, not a SIGPIPE that would kill the firmware's process.
pub(super) fn send_all(
    stream: &TcpStream,
    bytes: &[u8],
    deadline: Instant,
) -> Result<(), SendError> {
    let mut sent = 0;
    while sent < bytes.len() {
        let rest = &bytes[sent..];
        // SAFETY: `rest` is valid for its length; the fd is owned by `stream`.
        let n = unsafe {
            libc::send(
                stream.as_raw_fd(),
                rest.as_ptr().cast(),
                rest.len(),
                libc::MSG_NOSIGNAL,
            )
        };
        if n >= 0 {
            sent += n as usize;
            continue;
        }
        let e = io::Error::last_os_error();
        let why = match e.kind() {
            io::ErrorKind::Interrupted => continue,
            // A cancel never interrupts the writing of a request: no cancel here.
            io::ErrorKind::WouldBlock => match wait_for(stream, libc::POLLOUT, None, deadline) {
                Woke::Ready => continue,
                _ => "the request could not be sent in time".to_owned(),
            },
            _ => e.to_string(),
        };
        return Err(SendError { sent, why });
    }
    Ok(())
}

/// A new connection to `target`, DNS and connect (for https, TCP connect and TLS handshake
/// together) each within the connect budget. `cancel` is watched during the TLS handshake.
fn connect(
    target: &Target,
    tls: Option<&Tls>,
    timeouts: Timeouts,
    deadline: Instant,
    cancel: Option<&Cancel>,
) -> Result<Conn, Error> {
    let stream = connect_tcp(target, timeouts, deadline)?;
    match tls {
        None => Ok(Conn::Tcp(stream.0)),
        #[cfg(feature = "tls")]
        Some(config) => {
            super::https::TlsConn::handshake(stream.0, config, target.host, cancel, stream.1)
                .map(|tls| Conn::Tls(Box::new(tls)))
        }
        #[cfg(not(feature = "tls"))]
        Some(never) => {
            let _ = cancel;
            match *never {}
        }
    }
}

/// A TCP connection to `target`, DNS and connect each within the connect budget; with the
/// moment the connect budget ends.
fn connect_tcp(
    target: &Target,
    timeouts: Timeouts,
    deadline: Instant,
) -> Result<(TcpStream, Instant), Error> {
    let phase = timeouts
        .connect_phase()
        .min(deadline.saturating_duration_since(Instant::now()));
    let addrs = dns::resolve(target.host, target.port, phase)?;
    let connect_by = after(phase).min(deadline);
    let mut last = None;
    let count = addrs.len();
    for (i, addr) in addrs.into_iter().enumerate() {
        // Each address gets an equal share of what is left, so one that never answers (an
        // unroutable IPv6 address, say) cannot use up the time the others need.
        let share = u32::try_from(count - i).unwrap_or(u32::MAX);
        let left = connect_by.saturating_duration_since(Instant::now()) / share;
        if left.is_zero() {
            break;
        }
        match TcpStream::connect_timeout(&addr, left) {
            Ok(stream) => {
                // Small requests and answers: no Nagle delay. Non-blocking: every wait is a
                // poll against the call's deadline.
                let _ = stream.set_nodelay(true);
                stream.set_nonblocking(true).map_err(|e| {
                    Error::new(Status::Connect, format!("socket setup failed ({e})"))
                })?;
                return Ok((stream, connect_by));
            }
            Err(e) => last = Some(e),
        }
    }
    // The address tried, as written in base_url: which gateway did not answer.
    let at = target.authority;
    Err(match last {
        Some(e) if e.kind() != io::ErrorKind::TimedOut => Error::new(
            Status::Connect,
            format!("could not connect to the gateway at {at} ({e})"),
        ),
        _ => Error::new(
            Status::Connect,
            format!("gateway at {at} not reached within the connect timeout"),
        ),
    })
}

pub(super) fn broke(why: impl std::fmt::Display) -> Error {
    Error::protocol(format!(
        "connection broke after the request was sent ({why}): the request may have been processed"
    ))
}

/// The caller's cancel, fired while the answer was awaited.
pub(super) fn cancelled_after_sending() -> Error {
    Error::new(
        Status::Cancelled,
        "cancelled while the answer was awaited: the request may have been processed",
    )
}

/// The caller's cancel, fired before the request left.
pub(crate) fn cancelled_before_sending() -> Error {
    Error::new(
        Status::CancelledNotSent,
        "cancelled before the request was sent: nothing was sent",
    )
}

fn timed_out() -> Error {
    Error::new(
        Status::Timeout,
        "no full answer in time: the request may have been processed",
    )
}

/// Reads one answer from `stream`: the body of a 200, or the error the answer means.
/// Returns how long the connection may be kept for reuse (`None`: not at all).
fn read_answer(
    conn: &mut Conn,
    cancel: Option<&Cancel>,
    deadline: Instant,
) -> Result<(Reply, Option<Duration>), Error> {
    let mut raw: Vec<u8> = Vec::with_capacity(2048);
    let mut used = 0; // bytes of `raw` already parsed
    let mut head: Option<(http1::Head, BodyDecoder)> = None;
    let mut interim = 0;
    let mut body = Vec::new();
    let mut eof = false;
    // Over TLS: whether the peer closed with a close_notify (an answer framed by the close is
    // only whole then).
    let mut clean = true;
    loop {
        // Parse what has arrived: the head (after any interim ones), then the body.
        while head.is_none() {
            let Some((h, n)) = http1::parse_head(&raw[used..]).map_err(malformed)? else {
                break;
            };
            used += n;
            if h.status == 101 {
                return Err(malformed("unasked 101 Switching Protocols".into()));
            }
            if (100..200).contains(&h.status) {
                // "100 Continue" and friends: the answer follows, within reason.
                interim += 1;
                if interim > MAX_INTERIM_ANSWERS {
                    return Err(malformed(format!(
                        "more than {MAX_INTERIM_ANSWERS} interim (1xx) answers"
                    )));
                }
                continue;
            }
            if h.status != 200 {
                return Err(Error::new(
                    Status::Http,
                    format!("gateway answered HTTP {}", h.status),
                ));
            }
            let decoder = BodyDecoder::new(h.framing, MAX_ANSWER_BYTES).map_err(body_error)?;
            head = Some((h, decoder));
        }
        if let Some((h, decoder)) = head.as_mut() {
            used += decoder.feed(&raw[used..], &mut body).map_err(body_error)?;
            if eof {
                if !clean && h.framing == http1::Framing::UntilClose {
                    return Err(broke(
                        "closed without a TLS close_notify: the answer may be cut short",
                    ));
                }
                decoder.finish_at_eof().map_err(broke)?;
            }
            if decoder.is_done() {
                // Bytes past the answer were not asked for: do not trust the connection.
                let reusable = !h.close && !eof && used == raw.len();
                let idle_for = match h.keep_alive_secs {
                    Some(secs) => Duration::from_secs(secs).saturating_sub(KEEP_ALIVE_MARGIN),
                    None => MAX_IDLE_AGE,
                }
                .min(MAX_IDLE_AGE);
                let keep = (reusable && !idle_for.is_zero()).then_some(idle_for);
                let charset = h.charset.take();
                return Ok((Reply { body, charset }, keep));
            }
        }
        if eof {
            return Err(broke(if raw.is_empty() {
                "closed without an answer"
            } else {
                "closed mid-answer"
            }));
        }
        // Drop what has been parsed (interim heads included), then read more.
        raw.drain(..used);
        used = 0;
        match wait_for(conn.socket(), libc::POLLIN, cancel, deadline) {
            Woke::Ready => {}
            Woke::Deadline => return Err(timed_out()),
            Woke::Cancelled => return Err(cancelled_after_sending()),
        }
        if let Some(closed_cleanly) = conn.recv(&mut raw)? {
            eof = true;
            clean = closed_cleanly;
        }
    }
}

/// [`Conn::recv`] over plain TCP: one `recv` into `raw`'s spare capacity.
fn recv(stream: &TcpStream, raw: &mut Vec<u8>) -> Result<Option<bool>, Error> {
    raw.reserve(8192);
    let spare = raw.spare_capacity_mut();
    // SAFETY: `recv` writes at most `spare.len()` bytes into the spare capacity, which it
    // may do uninitialised; the fd is owned by `stream`.
    let n = unsafe {
        libc::recv(
            stream.as_raw_fd(),
            spare.as_mut_ptr().cast(),
            spare.len(),
            0,
        )
    };
    match n {
        0 => Ok(Some(true)),
        n if n > 0 => {
            // SAFETY: `recv` initialised the first `n` bytes of the spare capacity.
            unsafe { raw.set_len(raw.len() + n as usize) };
            Ok(None)
        }
        _ => {
            let e = io::Error::last_os_error();
            if matches!(
                e.kind(),
                io::ErrorKind::WouldBlock | io::ErrorKind::Interrupted
            ) {
                Ok(None)
            } else {
                Err(broke(e))
            }
        }
    }
}

fn malformed(why: String) -> Error {
    Error::protocol(format!("malformed HTTP answer ({why})"))
}

fn body_error(e: BodyError) -> Error {
    match e {
        BodyError::TooLarge(_) => Error::protocol(e.to_string()),
        BodyError::Malformed(why) => malformed(why),
    }
}

/// POSTs `body` to `url` and returns the answer of an HTTP 200: an `http://` URL with `tls`
/// `None`, an `https://` one with the TLS setup to use.
pub fn post(
    url: &str,
    body: &[u8],
    content_type: &str,
    timeouts: Timeouts,
    keep_alive: bool,
    cancel: Option<&Cancel>,
    tls: Option<&Tls>,
) -> Result<Reply, Error> {
    let deadline = after(timeouts.total);
    let target = target(url)?;
    if target.https != tls.is_some() {
        return Err(Error::invalid(
            "base_url",
            "has a scheme this call cannot speak",
        ));
    }
    let key = tls_key(tls);
    // The request carries the signed body (the request's secrets): reserved whole up front so
    // no reallocation leaves a copy behind, and wiped when the call ends.
    let mut request = zeroize::Zeroizing::new(Vec::with_capacity(body.len() + url.len() + 256));
    http1::write_request(
        &mut request,
        target.authority,
        target.path,
        content_type,
        body,
        keep_alive,
    );
    let mut reused = if keep_alive {
        take_idle(target.authority, key)
    } else {
        None
    };
    let mut conn = loop {
        let fresh = reused.is_none();
        let mut conn = match reused.take() {
            Some(conn) => conn,
            None => connect(&target, tls, timeouts, deadline, cancel)?,
        };
        if cancel.is_some_and(Cancel::is_requested) {
            return Err(cancelled_before_sending());
        }
        if poll_ms(deadline).is_none() {
            // Sending now could only end in an in-doubt timeout; nothing has left yet.
            return Err(Error::new(
                Status::Connect,
                "no time left to send the request after connecting",
            ));
        }
        match conn.send_all(&request, deadline) {
            Ok(()) => break conn,
            // Not one byte left: the request was not sent. A kept-alive connection the server
            // closed a moment ago is replaced by a new one, once.
            Err(SendError { sent: 0, .. }) if !fresh => {}
            Err(SendError { sent: 0, why }) => {
                return Err(Error::new(
                    Status::Connect,
                    format!("connection closed before the request was sent ({why})"),
                ))
            }
            Err(SendError { why, .. }) => return Err(broke(why)),
        }
    };
    let (reply, keep) = read_answer(&mut conn, cancel, deadline)?;
    if let (true, Some(idle_for)) = (keep_alive, keep) {
        put_idle(target.authority, key, conn, idle_for);
    }
    Ok(reply)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refused_connect_names_the_address_tried() {
        // A port nothing listens on: bound, then closed.
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .unwrap()
            .port();
        let url = format!("http://127.0.0.1:{port}/adpweb/ehpspos3/pubSigQry.json");
        let e = post(
            &url,
            b"{}",
            "application/json",
            Timeouts::DEFAULT,
            false,
            None,
            None,
        )
        .unwrap_err();
        assert_eq!(e.status(), Status::Connect, "{e}");
        assert!(
            e.detail().contains(&format!("at 127.0.0.1:{port} (")),
            "names host:port: {e}"
        );
    }

    #[test]
    fn urls_split_into_authority_host_port_and_path() {
        assert_eq!(
            target("http://10.0.0.1:8080/adpweb/ehpspos3/pubSigPay.json").unwrap(),
            Target {
                authority: "10.0.0.1:8080",
                host: "10.0.0.1",
                port: 8080,
                path: "/adpweb/ehpspos3/pubSigPay.json",
                https: false,
            }
        );
        let t = target("http://gateway.example/x.json").unwrap();
        assert_eq!((t.host, t.port), ("gateway.example", 80));
        let t = target("http://[::1]:9/x").unwrap();
        assert_eq!((t.authority, t.host, t.port), ("[::1]:9", "[::1]", 9));
        let t = target("http://[::1]/x").unwrap();
        assert_eq!((t.host, t.port), ("[::1]", 80));
        let t = target("https://gateway.example/x.json").unwrap();
        assert_eq!((t.host, t.port, t.https), ("gateway.example", 443, true));
        let t = target("https://[::1]:8443/x").unwrap();
        assert_eq!((t.host, t.port, t.https), ("[::1]", 8443, true));
    }

    #[test]
    fn unusable_urls_name_base_url_and_the_rule() {
        for (url, why) in [
            ("ftp://h/x", "http://"),
            ("http://u:p@h/x", "user name"),
            ("http://h:0/x", "port"),
            ("http://h:99999/x", "port"),
            ("http://h:x/x", "port"),
            ("http:///x", "host"),
            ("http://h?q=1", "path"),
        ] {
            let e = target(url).unwrap_err();
            assert_eq!(e.status(), Status::InvalidArgument, "{url}");
            assert!(
                e.to_string().contains("base_url") && e.to_string().contains(why),
                "{url}: {e}"
            );
        }
    }
}
