//! Host name lookup for the plain-http path: IP literals need none, a name is looked up once
//! and reused for [`CACHE_FOR`], and a lookup never outlasts its time budget.
//!
//! At most one lookup per name is in flight: callers that miss the cache while one runs wait
//! for it (each within its own budget) instead of starting another, so a resolver that hangs
//! costs one thread per name, not one per call.
//!
//! Every failure here happens before anything is sent, so every error is `Connect`.

use crate::error::{Error, Status};
use std::io;
use std::net::{IpAddr, SocketAddr, ToSocketAddrs};
use std::panic::{self, AssertUnwindSafe};
use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::time::{Duration, Instant};

#[cfg(test)]
use std::sync::atomic::Ordering;

/// How long a looked-up address is reused before the name is looked up again.
pub const CACHE_FOR: Duration = Duration::from_secs(30);

/// What a finished lookup found, or why it found nothing (the end of a sentence that starts
/// with the host name).
type Outcome = Result<Vec<SocketAddr>, String>;

/// One lookup in flight, shared by every caller that wants the same name meanwhile.
struct Flight {
    host: String,
    port: u16,
    /// `None` until the lookup ends.
    outcome: Mutex<Option<Outcome>>,
    /// Signalled when the outcome arrives (and, in tests, when a caller starts waiting).
    changed: Condvar,
    /// Callers waiting now: lets a test know every caller has joined before it lets the
    /// lookup finish.
    #[cfg(test)]
    waiting: std::sync::atomic::AtomicUsize,
}

/// Recent lookups and the ones running, under one lock so that a name is never both missed
/// in the cache and not found in flight.
struct Names {
    /// (host, port, when, addresses).
    cache: Vec<(String, u16, Instant, Vec<SocketAddr>)>,
    flights: Vec<Arc<Flight>>,
}

impl Names {
    const fn new() -> Names {
        Names {
            cache: Vec::new(),
            flights: Vec::new(),
        }
    }
}

static NAMES: Mutex<Names> = Mutex::new(Names::new());

/// The addresses of `host` (a name, an IPv4 literal or a bracketed IPv6 literal) at `port`.
pub fn resolve(host: &str, port: u16, timeout: Duration) -> Result<Vec<SocketAddr>, Error> {
    resolve_with(&NAMES, host, port, timeout, system_lookup)
}

/// `getaddrinfo`, through the standard library.
fn system_lookup(host: &str, port: u16) -> io::Result<Vec<SocketAddr>> {
    (host, port).to_socket_addrs().map(Iterator::collect)
}

/// [`resolve`] against `names`, looking names up with `lookup` (the seam tests use to count
/// and hold lookups).
fn resolve_with<L>(
    names_lock: &'static Mutex<Names>,
    host: &str,
    port: u16,
    timeout: Duration,
    lookup: L,
) -> Result<Vec<SocketAddr>, Error>
where
    L: FnOnce(&str, u16) -> io::Result<Vec<SocketAddr>> + Send + 'static,
{
    let literal = host
        .strip_prefix('[')
        .and_then(|h| h.strip_suffix(']'))
        .unwrap_or(host);
    if let Ok(ip) = literal.parse::<IpAddr>() {
        return Ok(vec![SocketAddr::new(ip, port)]);
    }
    let flight = {
        let mut names = names_lock.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some((.., addrs)) = names
            .cache
            .iter()
            .find(|(h, p, at, _)| h == host && *p == port && at.elapsed() < CACHE_FOR)
        {
            return Ok(addrs.clone());
        }
        let running = names
            .flights
            .iter()
            .find(|f| f.host == host && f.port == port)
            .map(Arc::clone);
        match running {
            Some(flight) => flight,
            None => {
                let flight = start(names_lock, host, port, lookup)?;
                names.flights.push(Arc::clone(&flight));
                flight
            }
        }
    };
    wait(&flight, host, timeout)
}

/// Starts looking `host:port` up on a thread of its own: `getaddrinfo` has no timeout, so
/// callers wait for it at most their budget. The thread caches what it finds even when every
/// caller has stopped waiting, so a resolver slower than the connect timeout still serves the
/// next call. Called with `names` locked: the thread cannot finish before its flight is listed.
fn start<L>(
    names: &'static Mutex<Names>,
    host: &str,
    port: u16,
    lookup: L,
) -> Result<Arc<Flight>, Error>
where
    L: FnOnce(&str, u16) -> io::Result<Vec<SocketAddr>> + Send + 'static,
{
    let flight = Arc::new(Flight {
        host: host.to_owned(),
        port,
        outcome: Mutex::new(None),
        changed: Condvar::new(),
        #[cfg(test)]
        waiting: Default::default(),
    });
    let running = Arc::clone(&flight);
    std::thread::Builder::new()
        .name("starpos-dns".into())
        // getaddrinfo needs far less than the 2 MiB default; a terminal has little memory.
        .stack_size(256 * 1024)
        .spawn(move || {
            // A lookup that panics must still end its flight, or the name would wait forever.
            let found =
                panic::catch_unwind(AssertUnwindSafe(|| lookup(&running.host, running.port)));
            let outcome = match found {
                Ok(Ok(addrs)) if !addrs.is_empty() => Ok(addrs),
                Ok(Ok(_)) => Err("has no address".to_owned()),
                Ok(Err(e)) => Err(format!("could not be resolved ({e})")),
                Err(_) => Err("could not be resolved (the lookup failed)".to_owned()),
            };
            finish(names, &running, outcome);
        })
        .map_err(|e| {
            Error::new(
                Status::Connect,
                format!("could not start the host name lookup ({e})"),
            )
        })?;
    Ok(flight)
}

/// Ends `flight`: caches what it found, stops new callers from joining it, and wakes the
/// callers waiting for it.
fn finish(names: &Mutex<Names>, flight: &Arc<Flight>, outcome: Outcome) {
    {
        let mut names = names.lock().unwrap_or_else(PoisonError::into_inner);
        if let Ok(addrs) = &outcome {
            let (host, port) = (&flight.host, flight.port);
            names
                .cache
                .retain(|(h, p, at, _)| !(h == host && *p == port) && at.elapsed() < CACHE_FOR);
            names
                .cache
                .push((host.clone(), port, Instant::now(), addrs.clone()));
        }
        names.flights.retain(|f| !Arc::ptr_eq(f, flight));
    }
    *flight
        .outcome
        .lock()
        .unwrap_or_else(PoisonError::into_inner) = Some(outcome);
    flight.changed.notify_all();
}

/// Waits at most `timeout` for `flight` to end.
fn wait(flight: &Flight, host: &str, timeout: Duration) -> Result<Vec<SocketAddr>, Error> {
    let outcome = flight
        .outcome
        .lock()
        .unwrap_or_else(PoisonError::into_inner);
    #[cfg(test)]
    {
        // Counted and signalled under the lock, so a test watching cannot miss it.
        flight.waiting.fetch_add(1, Ordering::SeqCst);
        flight.changed.notify_all();
    }
    let (outcome, _) = flight
        .changed
        .wait_timeout_while(outcome, timeout, |o| o.is_none())
        .unwrap_or_else(PoisonError::into_inner);
    #[cfg(test)]
    flight.waiting.fetch_sub(1, Ordering::SeqCst);
    match &*outcome {
        Some(Ok(addrs)) => Ok(addrs.clone()),
        Some(Err(why)) => Err(Error::new(
            Status::Connect,
            format!("gateway host name {host:?} {why}"),
        )),
        None => Err(Error::new(
            Status::Connect,
            format!("gateway host name {host:?} not resolved within the connect timeout"),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicUsize;
    use std::sync::mpsc;

    /// A cache and flight list of the test's own, apart from the one real calls share.
    fn own_names() -> &'static Mutex<Names> {
        Box::leak(Box::new(Mutex::new(Names::new())))
    }

    /// A lookup the test holds until it opens the gate, counting how often it is called and
    /// saying on `started` when it begins.
    #[derive(Clone)]
    struct HeldLookup {
        calls: Arc<AtomicUsize>,
        started: mpsc::Sender<()>,
        gate: Arc<(Mutex<bool>, Condvar)>,
    }

    impl HeldLookup {
        fn new() -> (HeldLookup, mpsc::Receiver<()>) {
            let (started, started_rx) = mpsc::channel();
            let lookup = HeldLookup {
                calls: Arc::default(),
                started,
                gate: Arc::default(),
            };
            (lookup, started_rx)
        }

        fn calls(&self) -> usize {
            self.calls.load(Ordering::SeqCst)
        }

        fn open(&self) {
            *self.gate.0.lock().unwrap() = true;
            self.gate.1.notify_all();
        }

        /// The lookup function: blocks until the gate opens, then finds one address.
        fn run(self) -> impl FnOnce(&str, u16) -> io::Result<Vec<SocketAddr>> + Send + 'static {
            move |_host, port| {
                self.calls.fetch_add(1, Ordering::SeqCst);
                let _ = self.started.send(());
                let (open, opened) = &*self.gate;
                let guard = open.lock().unwrap();
                drop(opened.wait_while(guard, |open| !*open).unwrap());
                Ok(vec![SocketAddr::from(([10, 0, 0, 7], port))])
            }
        }
    }

    /// The flight running for `host`, once one is listed.
    fn flight_of(names: &Mutex<Names>, host: &str) -> Option<Arc<Flight>> {
        let names = names.lock().unwrap();
        names.flights.iter().find(|f| f.host == host).cloned()
    }

    #[test]
    fn concurrent_misses_share_one_lookup_each_within_its_own_budget() {
        const CALLERS: usize = 6;
        let names = own_names();
        let (lookup, started) = HeldLookup::new();
        let (done_tx, done) = mpsc::channel();
        for _ in 0..CALLERS {
            let (lookup, done_tx) = (lookup.clone(), done_tx.clone());
            std::thread::spawn(move || {
                let found = resolve_with(
                    names,
                    "gw.example",
                    8080,
                    Duration::from_secs(30),
                    lookup.run(),
                );
                done_tx.send(found).unwrap();
            });
        }
        started.recv_timeout(Duration::from_secs(10)).unwrap();
        let flight = flight_of(names, "gw.example").unwrap();
        // Every caller has joined the one flight before the lookup may end.
        let outcome = flight.outcome.lock().unwrap();
        let (outcome, waited) = flight
            .changed
            .wait_timeout_while(outcome, Duration::from_secs(10), |_| {
                flight.waiting.load(Ordering::SeqCst) < CALLERS
            })
            .unwrap();
        assert!(!waited.timed_out() && outcome.is_none());
        drop(outcome);
        // A caller with a budget shorter than the lookup gives up on its own, without a lookup
        // of its own, and without ending the others' wait.
        let e = resolve_with(
            names,
            "gw.example",
            8080,
            Duration::from_millis(1),
            lookup.clone().run(),
        )
        .unwrap_err();
        assert_eq!(e.status(), Status::Connect, "{e}");
        assert!(e.to_string().contains("not resolved within"), "{e}");
        assert_eq!(lookup.calls(), 1);

        lookup.open();
        let want = vec![SocketAddr::from(([10, 0, 0, 7], 8080))];
        for _ in 0..CALLERS {
            assert_eq!(
                done.recv_timeout(Duration::from_secs(10)).unwrap().unwrap(),
                want
            );
        }
        assert_eq!(lookup.calls(), 1);
        // The answer is cached and the flight is over: the next caller needs no lookup.
        assert!(flight_of(names, "gw.example").is_none());
        let again = resolve_with(
            names,
            "gw.example",
            8080,
            Duration::from_millis(1),
            lookup.clone().run(),
        );
        assert_eq!(again.unwrap(), want);
        assert_eq!(lookup.calls(), 1);
    }

    #[test]
    fn a_failed_or_panicking_lookup_ends_its_flight_and_is_not_cached() {
        let names = own_names();
        let calls = Arc::new(AtomicUsize::new(0));
        let counted = |fail: fn() -> io::Result<Vec<SocketAddr>>| {
            let calls = Arc::clone(&calls);
            move |_: &str, _: u16| {
                calls.fetch_add(1, Ordering::SeqCst);
                fail()
            }
        };
        let budget = Duration::from_secs(10);
        let e = resolve_with(
            names,
            "gw.example",
            80,
            budget,
            counted(|| Err(io::Error::other("no such name"))),
        )
        .unwrap_err();
        assert_eq!(e.status(), Status::Connect, "{e}");
        assert!(
            e.to_string()
                .contains("\"gw.example\" could not be resolved (no such name)"),
            "{e}"
        );
        let e =
            resolve_with(names, "gw.example", 80, budget, counted(|| Ok(Vec::new()))).unwrap_err();
        assert!(e.to_string().contains("has no address"), "{e}");
        let e = resolve_with(
            names,
            "gw.example",
            80,
            budget,
            counted(|| panic!("resolver bug")),
        )
        .unwrap_err();
        assert!(e.to_string().contains("could not be resolved"), "{e}");
        // Each call above needed a lookup of its own: nothing failed was kept.
        assert_eq!(calls.load(Ordering::SeqCst), 3);
        assert!(flight_of(names, "gw.example").is_none());
    }

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
