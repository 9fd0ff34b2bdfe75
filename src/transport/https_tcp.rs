//! The TCP layer under ureq's rustls for `https://` ([`super::https`]): a non-blocking socket
//! driven by `poll`, in place of ureq's `TcpTransport`, which on every kept-alive call set
//! `SO_SNDTIMEO`/`SO_RCVTIMEO` before each write and read (the budget shrinks, so each call
//! changes it) and probed the pooled connection with `ioctl(FIONBIO)` on and off around a
//! 1-byte read, twice (when returned to the pool and when taken again): 7 system calls a call
//! that plain http does not make (BENCHMARKS.md, "https").
//!
//! - Deadlines come from ureq's [`NextTimeout`] and are kept by `poll` ([`crate::cancel::wait`]),
//!   so no socket option is set after connecting.
//! - Writes are held until ureq next waits for input and then sent at once: a request's header
//!   and body (two TLS records) leave in one `send`. ureq always reads after writing (the
//!   answer, or a handshake message), so nothing is held longer than that.
//! - Whether the connection is still open is probed once a call, when it is taken from the
//!   pool (`recv(MSG_PEEK | MSG_DONTWAIT)`, as plain http does), not also when it goes back:
//!   ureq returns it right after reading an answer to its end.
//! - The call's cancel ([`Call`](super::https)) is watched while an input is awaited once the
//!   request was handed over (the answer), never while writing; a fired cancel is noted
//!   ([`CANCELLED`]) and the call ends with an error the caller maps to CANCELLED.

use crate::cancel::{self, Cancel, Woke};
use std::cell::{Cell, RefCell};
use std::io;
use std::net::{SocketAddr, TcpStream};
use std::os::fd::AsRawFd;
use std::time::Instant;
use ureq::unversioned::transport::{
    Buffers, ConnectionDetails, Connector, Either, LazyBuffers, NextTimeout, Transport,
};

thread_local! {
    /// The cancel of the https call running on this thread (ureq 3 does a call's I/O on the
    /// calling thread), watched while its answer is awaited.
    pub(super) static CANCEL: RefCell<Option<Cancel>> = const { RefCell::new(None) };
    /// Whether that cancel ended the wait for the answer.
    pub(super) static CANCELLED: Cell<bool> = const { Cell::new(false) };
}

/// Connects TCP for the chain's TLS connector: the resolved addresses in turn, within the
/// connect budget.
#[derive(Debug, Default)]
pub(super) struct PollTcpConnector;

impl<In: Transport> Connector<In> for PollTcpConnector {
    type Out = Either<In, PollTcp>;

    fn connect(
        &self,
        details: &ConnectionDetails,
        chained: Option<In>,
    ) -> Result<Option<Self::Out>, ureq::Error> {
        if chained.is_some() {
            return Ok(chained.map(Either::A));
        }
        let deadline = deadline(&details.timeout);
        let mut last = None;
        let count = details.addrs.len();
        for (i, addr) in details.addrs.iter().enumerate() {
            // Every address but the last gets half of what is left, as in ureq: one that
            // never answers leaves time for the next.
            let until = match deadline {
                Some(at) if i + 1 < count => {
                    Some(Instant::now() + at.saturating_duration_since(Instant::now()) / 2)
                }
                other => other,
            };
            match connect_one(*addr, until) {
                Ok(stream) => {
                    let config = details.config;
                    return Ok(Some(Either::B(PollTcp {
                        stream,
                        buffers: LazyBuffers::new(
                            config.input_buffer_size(),
                            config.output_buffer_size(),
                        ),
                        held: Vec::new(),
                        in_use: true,
                    })));
                }
                Err(e @ ureq::Error::Timeout(_)) if i + 1 == count => return Err(e),
                Err(e) => last = Some(e),
            }
        }
        Err(last.unwrap_or(ureq::Error::ConnectionFailed))
    }
}

/// When `timeout` runs out; `None`: never.
fn deadline(timeout: &NextTimeout) -> Option<Instant> {
    if timeout.after.is_not_happening() {
        return None;
    }
    Instant::now().checked_add(*timeout.after)
}

fn connect_one(addr: SocketAddr, deadline: Option<Instant>) -> Result<TcpStream, ureq::Error> {
    let stream = match deadline {
        None => TcpStream::connect(addr),
        Some(at) => {
            let left = at.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Err(ureq::Error::Timeout(ureq::Timeout::Connect));
            }
            TcpStream::connect_timeout(&addr, left)
        }
    };
    let stream = match stream {
        Ok(s) => s,
        Err(e)
            if matches!(
                e.kind(),
                io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock
            ) =>
        {
            return Err(ureq::Error::Timeout(ureq::Timeout::Connect))
        }
        Err(e) => return Err(e.into()),
    };
    stream.set_nodelay(true)?;
    stream.set_nonblocking(true)?;
    Ok(stream)
}

/// A connected non-blocking socket (see the module's words).
pub(super) struct PollTcp {
    stream: TcpStream,
    buffers: LazyBuffers,
    /// Bytes ureq handed over to write, sent when it next waits for input.
    held: Vec<u8>,
    /// True from the last read of a call until ureq asks whether the connection is open:
    /// then it is going back to the pool, just read to the end of an answer.
    in_use: bool,
}

impl std::fmt::Debug for PollTcp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PollTcp")
            .field("fd", &self.stream.as_raw_fd())
            .finish()
    }
}

impl PollTcp {
    /// Waits for `events` on the socket until `deadline`; a timeout error once it has passed.
    /// With `cancellable`, the call's [`CANCEL`] ends the wait too (noted in [`CANCELLED`]).
    fn wait(
        &self,
        events: libc::c_short,
        deadline: Option<Instant>,
        timeout: &NextTimeout,
        cancellable: bool,
    ) -> Result<(), ureq::Error> {
        // No deadline: a day at a time.
        let at =
            deadline.unwrap_or_else(|| Instant::now() + std::time::Duration::from_secs(86_400));
        let fd = Some(self.stream.as_raw_fd());
        let woke = if cancellable {
            CANCEL.with_borrow(|c| cancel::wait(fd, events, c.as_ref(), at))
        } else {
            cancel::wait(fd, events, None, at)
        };
        match woke {
            Woke::Deadline if deadline.is_some() => Err(ureq::Error::Timeout(timeout.reason)),
            Woke::Cancelled => {
                CANCELLED.set(true);
                Err(ureq::Error::Io(io::Error::other(
                    "cancelled while the answer was awaited",
                )))
            }
            _ => Ok(()),
        }
    }

    /// Sends every held byte before `deadline`. `MSG_NOSIGNAL`: a peer that has gone away
    /// gives an error, not a SIGPIPE.
    fn flush(
        &mut self,
        deadline: Option<Instant>,
        timeout: &NextTimeout,
    ) -> Result<(), ureq::Error> {
        let mut sent = 0;
        while sent < self.held.len() {
            let rest = &self.held[sent..];
            // SAFETY: `rest` is valid for its length; the fd is owned by `self.stream`.
            let n = unsafe {
                libc::send(
                    self.stream.as_raw_fd(),
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
            match e.kind() {
                io::ErrorKind::WouldBlock => self.wait(libc::POLLOUT, deadline, timeout, false)?,
                io::ErrorKind::Interrupted => {}
                _ => return Err(e.into()),
            }
        }
        self.held.clear();
        Ok(())
    }
}

impl Transport for PollTcp {
    fn buffers(&mut self) -> &mut dyn Buffers {
        &mut self.buffers
    }

    fn transmit_output(&mut self, amount: usize, _timeout: NextTimeout) -> Result<(), ureq::Error> {
        self.in_use = true;
        let output = &self.buffers.output()[..amount];
        self.held.extend_from_slice(output);
        Ok(())
    }

    fn await_input(&mut self, timeout: NextTimeout) -> Result<bool, ureq::Error> {
        let timeout = timeout.for_read();
        if timeout.after.is_zero() {
            return Err(ureq::Error::Timeout(timeout.reason));
        }
        let deadline = deadline(&timeout);
        self.in_use = true;
        // Just sent: the answer cannot be there yet, so wait before reading.
        let mut ready = false;
        if !self.held.is_empty() {
            self.flush(deadline, &timeout)?;
            self.wait(
                libc::POLLIN,
                deadline,
                &timeout,
                super::https::request_written(),
            )?;
            ready = true;
        }
        loop {
            let input = self.buffers.input_append_buf();
            // SAFETY: `input` is valid for its length; the fd is owned by `self.stream`.
            let n = unsafe {
                libc::recv(
                    self.stream.as_raw_fd(),
                    input.as_mut_ptr().cast(),
                    input.len(),
                    0,
                )
            };
            if n >= 0 {
                self.buffers.input_appended(n as usize);
                return Ok(n > 0);
            }
            let e = io::Error::last_os_error();
            match e.kind() {
                io::ErrorKind::WouldBlock => {
                    if ready && deadline.is_some_and(|at| Instant::now() >= at) {
                        return Err(ureq::Error::Timeout(timeout.reason));
                    }
                    self.wait(
                        libc::POLLIN,
                        deadline,
                        &timeout,
                        super::https::request_written(),
                    )?;
                    ready = true;
                }
                io::ErrorKind::Interrupted => {}
                _ => return Err(e.into()),
            }
        }
    }

    fn is_open(&mut self) -> bool {
        if std::mem::replace(&mut self.in_use, false) {
            // Going back to the pool right after a call: probed when taken again.
            return self.held.is_empty();
        }
        let mut byte = 0u8;
        // SAFETY: reads at most one byte into a local; the fd is owned by `self.stream`.
        let n = unsafe {
            libc::recv(
                self.stream.as_raw_fd(),
                (&mut byte as *mut u8).cast(),
                1,
                libc::MSG_PEEK | libc::MSG_DONTWAIT,
            )
        };
        n < 0 && io::Error::last_os_error().kind() == io::ErrorKind::WouldBlock
    }

    fn is_tls(&self) -> bool {
        false
    }
}
