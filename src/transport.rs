//! Layer 3: one HTTP POST to the gateway over a shared, keep-alive [`ureq::Agent`], with every
//! failure mapped to a [`Status`] that says whether the request may have reached the gateway.
//!
//! - Nothing can have been sent: `Connect` (DNS failure, refused, unreachable, connect timeout).
//! - Bytes may have left: `Timeout` (no full answer in time) or `Protocol` (the connection broke,
//!   the HTTP was malformed, or the body was larger than [`MAX_ANSWER_BYTES`]).
//!
//! The connect phase is budgeted so that it always ends before the whole-call deadline: DNS and
//! TCP connect each get at most `connect_timeout`, and together less than the whole `timeout`.
//! A timeout that fires after that can only have happened once the request could be on its way.

use crate::error::{Error, Status};
use crate::limits::MAX_ANSWER_BYTES;
use std::io;
use std::sync::OnceLock;
use std::time::Duration;
use ureq::http::Uri;
// The "unversioned" API is only for the resolver wrapper; Cargo.lock pins the ureq release.
use ureq::unversioned::resolver::{DefaultResolver, ResolvedSocketAddrs, Resolver};
use ureq::unversioned::transport::{DefaultConnector, NextTimeout};
use ureq::Agent;

/// Whether this build can speak https (the `tls` feature, not yet available).
pub const TLS_SUPPORTED: bool = false;

/// How long a call may take.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timeouts {
    /// For the DNS lookup and the TCP connect, each.
    pub connect: Duration,
    /// For the whole call, DNS to the last byte of the answer.
    pub total: Duration,
}

impl Timeouts {
    /// The defaults: 10 s to connect, 30 s for the whole call.
    pub const DEFAULT: Timeouts = Timeouts {
        connect: Duration::from_secs(10),
        total: Duration::from_secs(30),
    };

    /// The budget each of DNS and connect really get: `connect`, but never so much that the two
    /// together could reach the whole-call deadline.
    fn connect_phase(self) -> Duration {
        self.connect.min(self.total.mul_f64(0.45))
    }
}

/// An HTTP answer with status 200.
#[derive(Debug)]
pub struct Reply {
    /// The body, at most [`MAX_ANSWER_BYTES`].
    pub body: Vec<u8>,
    /// The `charset` of the `Content-Type` header, when one was given.
    pub charset: Option<String>,
}

/// ureq's own resolver, with its failures labelled for what they are: a failed DNS lookup
/// happens before anything is sent, so it must be CONNECT, never an in-doubt I/O error.
#[derive(Debug, Default)]
struct LookupResolver(DefaultResolver);

impl Resolver for LookupResolver {
    fn resolve(
        &self,
        uri: &Uri,
        config: &ureq::config::Config,
        timeout: NextTimeout,
    ) -> Result<ResolvedSocketAddrs, ureq::Error> {
        self.0.resolve(uri, config, timeout).map_err(|e| match e {
            ureq::Error::Io(_) => ureq::Error::HostNotFound,
            other => other,
        })
    }
}

fn new_agent(keep_alive: bool) -> Agent {
    let pool = if keep_alive { 64 } else { 0 };
    let config = Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .max_redirects_will_error(false)
        .max_idle_connections(pool)
        .max_idle_connections_per_host(pool)
        .max_idle_age(Duration::from_secs(50))
        .user_agent(concat!("starpos/", env!("CARGO_PKG_VERSION")))
        .build();
    Agent::with_parts(config, DefaultConnector::new(), LookupResolver::default())
}

/// The process-wide agent: its connection pool is shared by every call and every thread.
fn agent(keep_alive: bool) -> &'static Agent {
    static POOLED: OnceLock<Agent> = OnceLock::new();
    static UNPOOLED: OnceLock<Agent> = OnceLock::new();
    if keep_alive {
        POOLED.get_or_init(|| new_agent(true))
    } else {
        UNPOOLED.get_or_init(|| new_agent(false))
    }
}

/// POSTs `body` to `url` and returns the answer of an HTTP 200.
pub fn post(
    url: &str,
    body: &[u8],
    content_type: &str,
    timeouts: Timeouts,
    keep_alive: bool,
) -> Result<Reply, Error> {
    let phase = timeouts.connect_phase();
    let mut response = agent(keep_alive)
        .post(url)
        .config()
        .timeout_global(Some(timeouts.total))
        .timeout_resolve(Some(phase))
        .timeout_connect(Some(phase))
        .build()
        .header("Content-Type", content_type)
        .send(body)
        .map_err(map_error)?;
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
        .map_err(map_error)?;
    Ok(Reply { body, charset })
}

/// Maps a ureq failure to the status that tells whether the request may have been processed.
fn map_error(error: ureq::Error) -> Error {
    use ureq::Error as E;
    use ureq::Timeout as T;
    match error {
        E::Timeout(T::Resolve | T::Connect) => Error::new(
            Status::Connect,
            "gateway not reached within the connect timeout",
        ),
        E::Timeout(phase) => Error::new(
            Status::Timeout,
            format!("no full answer in time ({phase}): the request may have been processed"),
        ),
        E::HostNotFound => Error::new(Status::Connect, "gateway host name could not be resolved"),
        E::ConnectionFailed => Error::new(Status::Connect, "could not connect to the gateway"),
        E::BodyExceedsLimit(limit) => {
            Error::protocol(format!("answer is larger than {limit} bytes"))
        }
        E::BadUri(uri) => Error::invalid("base_url", format!("is not a usable URL ({uri})")),
        E::Http(e) => Error::invalid("base_url", format!("request could not be built ({e})")),
        E::Io(e) => map_io(e),
        E::Protocol(e) => Error::protocol(format!("malformed HTTP answer ({e})")),
        E::TooManyRedirects | E::RedirectFailed => {
            Error::new(Status::Http, "gateway answered with a redirect")
        }
        other => Error::protocol(format!("HTTP exchange failed ({other})")),
    }
}

fn map_io(e: io::Error) -> Error {
    use io::ErrorKind as K;
    match e.kind() {
        K::ConnectionRefused
        | K::HostUnreachable
        | K::NetworkUnreachable
        | K::AddrNotAvailable
        | K::NetworkDown => Error::new(
            Status::Connect,
            format!("could not connect to the gateway ({e})"),
        ),
        K::TimedOut | K::WouldBlock => Error::new(
            Status::Timeout,
            format!("no full answer in time ({e}): the request may have been processed"),
        ),
        _ => {
            // ureq reports its own errors inside io errors when reading a body.
            match e.downcast::<ureq::Error>() {
                Ok(inner) => map_error(inner),
                Err(e) => Error::protocol(format!(
                    "connection broke after the request was sent ({e}): the request may have been processed"
                )),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn connect_phase_always_ends_before_the_deadline() {
        let t = Timeouts {
            connect: Duration::from_secs(10),
            total: Duration::from_secs(5),
        };
        assert!(t.connect_phase() * 2 < t.total);
        let t = Timeouts {
            connect: Duration::from_secs(2),
            total: Duration::from_secs(30),
        };
        assert_eq!(t.connect_phase(), Duration::from_secs(2));
    }

    #[test]
    fn nothing_listening_is_connect() {
        // Bind to learn a free port, then close it: nothing listens there.
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let url = format!("http://127.0.0.1:{port}/x.json");
        let e = post(&url, b"{}", "application/json", Timeouts::DEFAULT, true).unwrap_err();
        assert_eq!(e.status(), Status::Connect, "{e}");
    }
}
