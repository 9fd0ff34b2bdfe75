//! `https://` through a shared, keep-alive [`ureq::Agent`] with rustls (the `tls` feature),
//! with every ureq failure mapped to a [`Status`] that says whether the request may have
//! reached the gateway (the same rules as [`super::plain`]).

use super::{Connection, Reply, Timeouts};
use crate::error::{Error, Status};
use crate::limits::MAX_ANSWER_BYTES;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};
use std::time::Duration;
use ureq::http::Uri;
// The "unversioned" API is only for the resolver wrapper; Cargo.lock pins the ureq release.
use ureq::unversioned::resolver::{ResolvedSocketAddrs, Resolver};
use ureq::unversioned::transport::{DefaultConnector, NextTimeout};
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
        DefaultConnector::new(),
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
    pub(super) fn handshake_error(e: &std::io::Error) -> Option<String> {
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
    let mut response = agent(connection)?
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
        E::Tls(why) => Error::new(Status::Connect, format!("TLS setup failed: {why}")),
        E::TooManyRedirects | E::RedirectFailed => {
            Error::new(Status::Http, "gateway answered with a redirect")
        }
        other => Error::protocol(format!("HTTP exchange failed ({other})")),
    }
}

fn map_io(e: io::Error) -> Error {
    use io::ErrorKind as K;
    // A failed TLS handshake (certificate rejected, protocol mismatch) ends the connection
    // before the request is written: nothing was sent.
    if let Some(why) = tls::handshake_error(&e) {
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
