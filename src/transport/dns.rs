//! Host name lookup for the plain-http path: IP literals need none, a name is looked up once
//! and reused for [`CACHE_FOR`], and a lookup never outlasts its time budget.
//!
//! Every failure here happens before anything is sent, so every error is `Connect`.

use crate::error::{Error, Status};
use std::net::{IpAddr, SocketAddr, ToSocketAddrs};
use std::sync::{mpsc, Mutex, PoisonError};
use std::time::{Duration, Instant};

/// How long a looked-up address is reused before the name is looked up again.
pub const CACHE_FOR: Duration = Duration::from_secs(30);

/// Recent lookups: (host, port, when, addresses).
type Cache = Vec<(String, u16, Instant, Vec<SocketAddr>)>;
static CACHE: Mutex<Cache> = Mutex::new(Vec::new());

/// The addresses of `host` (a name, an IPv4 literal or a bracketed IPv6 literal) at `port`.
pub fn resolve(host: &str, port: u16, timeout: Duration) -> Result<Vec<SocketAddr>, Error> {
    let literal = host
        .strip_prefix('[')
        .and_then(|h| h.strip_suffix(']'))
        .unwrap_or(host);
    if let Ok(ip) = literal.parse::<IpAddr>() {
        return Ok(vec![SocketAddr::new(ip, port)]);
    }
    {
        let cache = CACHE.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some((.., addrs)) = cache
            .iter()
            .find(|(h, p, at, _)| h == host && *p == port && at.elapsed() < CACHE_FOR)
        {
            return Ok(addrs.clone());
        }
    }
    lookup(host, port, timeout)
}

/// Remembers the addresses of `host:port` for [`CACHE_FOR`].
fn remember(host: &str, port: u16, addrs: &[SocketAddr]) {
    let mut cache = CACHE.lock().unwrap_or_else(PoisonError::into_inner);
    cache.retain(|(h, p, at, _)| !(h == host && *p == port) && at.elapsed() < CACHE_FOR);
    cache.push((host.to_owned(), port, Instant::now(), addrs.to_vec()));
}

/// `getaddrinfo` has no timeout, so it runs on its own thread and is waited for at most
/// `timeout`. The thread caches what it finds even when the caller has stopped waiting, so a
/// resolver slower than the connect timeout still serves the next call.
fn lookup(host: &str, port: u16, timeout: Duration) -> Result<Vec<SocketAddr>, Error> {
    let (tx, rx) = mpsc::channel();
    let name = host.to_owned();
    std::thread::Builder::new()
        .name("starpos-dns".into())
        // getaddrinfo needs far less than the 2 MiB default; a terminal has little memory.
        .stack_size(256 * 1024)
        .spawn(move || {
            let found = (name.as_str(), port)
                .to_socket_addrs()
                .map(|addrs| addrs.collect::<Vec<_>>());
            if let Ok(addrs) = &found {
                if !addrs.is_empty() {
                    remember(&name, port, addrs);
                }
            }
            // The caller may have given up waiting: nobody to tell then.
            let _ = tx.send(found);
        })
        .map_err(|e| {
            Error::new(
                Status::Connect,
                format!("could not start the host name lookup ({e})"),
            )
        })?;
    match rx.recv_timeout(timeout) {
        Ok(Ok(addrs)) if !addrs.is_empty() => Ok(addrs),
        Ok(Ok(_)) => Err(Error::new(
            Status::Connect,
            format!("gateway host name {host:?} has no address"),
        )),
        Ok(Err(e)) => Err(Error::new(
            Status::Connect,
            format!("gateway host name {host:?} could not be resolved ({e})"),
        )),
        Err(_) => Err(Error::new(
            Status::Connect,
            format!("gateway host name {host:?} not resolved within the connect timeout"),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_need_no_lookup() {
        let t = Duration::from_millis(1);
        assert_eq!(
            resolve("127.0.0.1", 80, t).unwrap(),
            ["127.0.0.1:80".parse().unwrap()]
        );
        assert_eq!(
            resolve("[::1]", 8080, t).unwrap(),
            ["[::1]:8080".parse().unwrap()]
        );
    }

    #[test]
    fn names_resolve_and_failures_are_connect() {
        let found = resolve("localhost", 81, Duration::from_secs(10)).unwrap();
        assert!(found.iter().all(|a| a.port() == 81 && a.ip().is_loopback()));
        let e = resolve("starpos-no-such-host.invalid", 80, Duration::from_secs(10)).unwrap_err();
        assert_eq!(e.status(), Status::Connect, "{e}");
        assert!(
            e.to_string().contains("starpos-no-such-host.invalid"),
            "{e}"
        );
    }
}
