//! Layer 3: one HTTP POST to the gateway, with every failure mapped to a [`Status`] that says
//! whether the request may have reached the gateway.
//!
//! - Nothing can have been sent: `Connect` (DNS failure, refused, unreachable, connect timeout,
//!   a failed TLS handshake).
//! - Bytes may have left: `Timeout` (no full answer in time) or `Protocol` (the connection broke,
//!   the HTTP was malformed, or the body was larger than [`MAX_ANSWER_BYTES`]). Once the first
//!   byte of the request may have been written, a failure is never `Connect`, whatever it is
//!   (over TLS too: a corrupted record or an alert after the handshake is `Protocol`).
//!
//! Both go through [`plain`], a small HTTP/1.1 client over a shared pool of kept-alive
//! connections (one `send`, one `poll` and one `recv` per call on a kept-alive connection):
//! `http://` over plain sockets, `https://` with a rustls session on each ([`https`]), in builds
//! with the `tls` feature.
//!
//! The connect phase is budgeted so that it always ends before the whole-call deadline: DNS and
//! TCP connect each get at most `connect_timeout`, and together less than the whole `timeout`.
//! A timeout that fires after that can only have happened once the request could be on its way.
//!
//! [`Status`]: crate::Status
//! [`MAX_ANSWER_BYTES`]: crate::limits::MAX_ANSWER_BYTES

mod dns;
pub mod http1;
#[cfg(feature = "tls")]
mod https;
mod plain;

use crate::error::Error;
pub(crate) use plain::cancelled_before_sending;
use std::path::Path;
use std::time::Duration;

/// Whether this build can speak https (the `tls` feature).
pub const TLS_SUPPORTED: bool = cfg!(feature = "tls");

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
    /// The body, at most [`MAX_ANSWER_BYTES`](crate::limits::MAX_ANSWER_BYTES).
    pub body: Vec<u8>,
    /// The `charset` of the `Content-Type` header, when one was given.
    pub charset: Option<String>,
}

/// How a call connects: keep-alive or not, and for https which CA certificates to trust.
#[derive(Debug, Clone, Copy, Default)]
pub struct Connection<'a> {
    /// Keep the connection in the shared pool for the next call.
    pub keep_alive: bool,
    /// https only: a PEM file of CA certificates to trust instead of the built-in roots.
    pub ca_file: Option<&'a Path>,
    /// The caller's cancel: seen before the request leaves, the TLS handshake included (then
    /// nothing is sent, CANCELLED_NOT_SENT), and while its answer is awaited (then CANCELLED,
    /// in doubt); never while the request is being written.
    pub cancel: Option<&'a crate::cancel::Cancel>,
}

/// POSTs `body` to `url` and returns the answer of an HTTP 200.
///
/// `url` is checked as [`Client::new`](crate::Client::new) checks `base_url` (the rules of
/// [`fields::base_url`](crate::fields::base_url), over the whole URL with its endpoint path):
/// one that breaks them is `InvalidArgument`, and nothing is sent.
pub fn post(
    url: &str,
    body: &[u8],
    content_type: &str,
    timeouts: Timeouts,
    connection: &Connection,
) -> Result<Reply, Error> {
    crate::fields::base_url(url)?;
    post_checked(url, body, content_type, timeouts, connection)
}

/// [`post`] for a URL already checked: a `base_url` that [`Client::new`](crate::Client::new)
/// validated, followed by an endpoint path of its own. Checking it again would cost about
/// 1.5 µs per call.
pub(crate) fn post_checked(
    url: &str,
    body: &[u8],
    content_type: &str,
    timeouts: Timeouts,
    connection: &Connection,
) -> Result<Reply, Error> {
    if connection
        .cancel
        .is_some_and(crate::cancel::Cancel::is_requested)
    {
        return Err(cancelled_before_sending());
    }
    let tls = if url.starts_with("https://") {
        #[cfg(feature = "tls")]
        {
            Some(https::config(connection.ca_file)?)
        }
        #[cfg(not(feature = "tls"))]
        return Err(Error::invalid(
            "base_url",
            "is https, but this build has no TLS (build with the `tls` feature)",
        ));
    } else {
        None
    };
    plain::post(
        url,
        body,
        content_type,
        timeouts,
        connection.keep_alive,
        connection.cancel,
        tls.as_ref(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Status;

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
        for keep_alive in [true, false] {
            let connection = Connection {
                keep_alive,
                ca_file: None,
                cancel: None,
            };
            let e = post(
                &url,
                b"{}",
                "application/json",
                Timeouts::DEFAULT,
                &connection,
            )
            .unwrap_err();
            assert_eq!(e.status(), Status::Connect, "{e}");
        }
    }
}
