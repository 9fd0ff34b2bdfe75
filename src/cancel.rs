//! Cancelling a wait: a handle any thread may fire ([`Cancel::request`]) that ends a wait
//! (`Client::wait`, `Client::barcode_sale`, `Client::recover`) within milliseconds, also while a
//! query is in flight: the waiting thread `poll`s the socket and the handle's eventfd together,
//! so nothing spins. A cancel never interrupts the writing of a request: it is seen before a
//! request leaves (then nothing is sent) or while its answer is awaited (then the request may
//! have been processed: in doubt).

use std::io;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// A cancel handle. Clones share one state: firing any fires all. Cheap to clone; `Send` and
/// `Sync`.
#[derive(Clone, Debug)]
pub struct Cancel(Arc<Inner>);

#[derive(Debug)]
struct Inner {
    fired: AtomicBool,
    /// An eventfd that becomes readable (and stays so) once fired.
    fd: OwnedFd,
}

/// What a wait on a socket (or on nothing) ended with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Woke {
    /// The socket is ready.
    Ready,
    /// The deadline came first.
    Deadline,
    /// The cancel was fired.
    Cancelled,
}

impl Cancel {
    /// A new handle, not fired. Fails only when the process may open no more file descriptors.
    pub fn new() -> io::Result<Cancel> {
        // SAFETY: eventfd takes plain integers; a returned fd >= 0 is ours to own.
        let fd = unsafe { libc::eventfd(0, libc::EFD_CLOEXEC | libc::EFD_NONBLOCK) };
        if fd < 0 {
            return Err(io::Error::last_os_error());
        }
        // SAFETY: `fd` is a fresh descriptor no one else owns.
        let fd = unsafe { OwnedFd::from_raw_fd(fd) };
        Ok(Cancel(Arc::new(Inner {
            fired: AtomicBool::new(false),
            fd,
        })))
    }

    /// Fires the handle: every wait on it ends. From any thread, any number of times (only the
    /// first has an effect); async-signal-safe (an atomic swap and one `write`).
    pub fn request(&self) {
        if !self.0.fired.swap(true, Ordering::SeqCst) {
            let one: u64 = 1;
            // SAFETY: writes 8 bytes from a live u64 to our own eventfd. It cannot fail but
            // for a counter overflow, which one write cannot cause.
            unsafe {
                libc::write(
                    self.0.fd.as_raw_fd(),
                    (&one as *const u64).cast(),
                    std::mem::size_of::<u64>(),
                );
            }
        }
    }

    /// True once [`Cancel::request`] was called.
    pub fn is_requested(&self) -> bool {
        self.0.fired.load(Ordering::SeqCst)
    }

    /// Sleeps for `duration`, or less when the handle is fired; true when it was.
    pub fn sleep(&self, duration: Duration) -> bool {
        wait(None, 0, Some(self), Instant::now() + duration) == Woke::Cancelled
    }

    pub(crate) fn raw_fd(&self) -> RawFd {
        self.0.fd.as_raw_fd()
    }
}

/// Sleeps for `duration`, or until `cancel` (if any) is fired; true when it was.
pub(crate) fn sleep(cancel: Option<&Cancel>, duration: Duration) -> bool {
    match cancel {
        Some(cancel) => cancel.sleep(duration),
        None => {
            std::thread::sleep(duration);
            false
        }
    }
}

/// Milliseconds for `poll` until `deadline`, rounded up; `None` once it has passed.
pub(crate) fn poll_ms(deadline: Instant) -> Option<i32> {
    let left = deadline.checked_duration_since(Instant::now())?;
    if left.is_zero() {
        return None;
    }
    let ms = left.as_nanos().div_ceil(1_000_000);
    Some(i32::try_from(ms).unwrap_or(i32::MAX))
}

/// Waits until `socket` (if any) is ready for `events`, `cancel` (if any) is fired, or
/// `deadline` comes, whichever is first; a cancel already fired wins at once. An error of
/// `poll` itself (not EINTR) reads as the socket being ready, so the caller's next read or
/// write reports it.
pub(crate) fn wait(
    socket: Option<RawFd>,
    events: libc::c_short,
    cancel: Option<&Cancel>,
    deadline: Instant,
) -> Woke {
    loop {
        if cancel.is_some_and(Cancel::is_requested) {
            return Woke::Cancelled;
        }
        let Some(ms) = poll_ms(deadline) else {
            return Woke::Deadline;
        };
        let mut fds = [libc::pollfd {
            fd: -1,
            events: 0,
            revents: 0,
        }; 2];
        let mut n = 0;
        if let Some(fd) = socket {
            fds[n] = libc::pollfd {
                fd,
                events,
                revents: 0,
            };
            n += 1;
        }
        if let Some(cancel) = cancel {
            fds[n] = libc::pollfd {
                fd: cancel.raw_fd(),
                events: libc::POLLIN,
                revents: 0,
            };
            n += 1;
        }
        // SAFETY: `n` pollfds on the stack, for the duration of the call.
        let ready = unsafe { libc::poll(fds.as_mut_ptr(), n as libc::nfds_t, ms) };
        if ready > 0 {
            if cancel.is_some_and(Cancel::is_requested) {
                return Woke::Cancelled;
            }
            if socket.is_some() && fds[0].revents != 0 {
                return Woke::Ready;
            }
        } else if ready < 0 && io::Error::last_os_error().kind() != io::ErrorKind::Interrupted {
            return Woke::Ready;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sleep_ends_when_fired_from_another_thread() {
        let cancel = Cancel::new().unwrap();
        let firing = cancel.clone();
        let started = Instant::now();
        let fire = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(30));
            firing.request();
            firing.request();
        });
        assert!(cancel.sleep(Duration::from_secs(30)));
        assert!(started.elapsed() < Duration::from_secs(5));
        fire.join().unwrap();
        assert!(cancel.is_requested());
        // Fired stays fired.
        assert!(cancel.sleep(Duration::from_secs(30)));
    }

    #[test]
    fn an_unfired_sleep_lasts_its_time() {
        let cancel = Cancel::new().unwrap();
        let started = Instant::now();
        assert!(!cancel.sleep(Duration::from_millis(20)));
        assert!(started.elapsed() >= Duration::from_millis(20));
    }
}
