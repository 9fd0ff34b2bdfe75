//! Closing a connection that tiny_http owns.
//!
//! tiny_http never hands out its sockets, and a keep-alive connection stays open as long as
//! the client keeps it: dropping a response writer does not close it. Some faults must really
//! close the socket (`close_mid_body`), and shutting the simulator down should not leave
//! clients waiting forever on a connection nobody serves. On Linux the simulator finds the
//! socket among the process's own descriptors (`/proc/self/fd`) by its two addresses and shuts
//! it down (`shutdown(2)`, which the client sees as the end of the stream). Elsewhere these
//! functions do nothing and return 0.

use std::net::SocketAddr;

/// True when `actual` (an accepted socket's local address) belongs to a listener bound to
/// `listener` (which may be the unspecified address).
fn same_listener(actual: SocketAddr, listener: SocketAddr) -> bool {
    actual.port() == listener.port()
        && (listener.ip().is_unspecified() || actual.ip() == listener.ip())
}

/// Shuts down (both directions) every connection accepted on `listener` whose peer is `peer`,
/// or every one when `peer` is `None`. Returns how many were shut down.
#[cfg(target_os = "linux")]
pub fn shutdown_connections(listener: SocketAddr, peer: Option<SocketAddr>) -> usize {
    use std::net::{Shutdown, TcpStream};
    use std::os::fd::{BorrowedFd, RawFd};

    let Ok(dir) = std::fs::read_dir("/proc/self/fd") else {
        return 0;
    };
    let mut closed = 0;
    for entry in dir.flatten() {
        let Some(fd) = entry
            .file_name()
            .to_str()
            .and_then(|s| s.parse::<RawFd>().ok())
        else {
            continue;
        };
        let is_socket = std::fs::read_link(entry.path())
            .is_ok_and(|target| target.to_string_lossy().starts_with("socket:"));
        if !is_socket {
            continue;
        }
        // SAFETY: `fd` was listed as open a moment ago and is only used to `dup` it. Should
        // another thread close it meanwhile, `dup` fails or copies whatever now has that number,
        // which the address check below then tells apart; the copy is ours and closing it
        // affects nobody else.
        let borrowed = unsafe { BorrowedFd::borrow_raw(fd) };
        let Ok(owned) = borrowed.try_clone_to_owned() else {
            continue;
        };
        let stream = TcpStream::from(owned);
        let (Ok(local), Ok(remote)) = (stream.local_addr(), stream.peer_addr()) else {
            continue;
        };
        if same_listener(local, listener) && peer.is_none_or(|p| p == remote) {
            // Shutting down the copy shuts down the connection itself.
            if stream.shutdown(Shutdown::Both).is_ok() {
                closed += 1;
            }
        }
    }
    closed
}

/// Does nothing off Linux (see the module documentation).
#[cfg(not(target_os = "linux"))]
pub fn shutdown_connections(_listener: SocketAddr, _peer: Option<SocketAddr>) -> usize {
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn listener_matching() {
        let l: SocketAddr = "127.0.0.1:5000".parse().unwrap();
        assert!(same_listener("127.0.0.1:5000".parse().unwrap(), l));
        assert!(!same_listener("127.0.0.1:5001".parse().unwrap(), l));
        assert!(!same_listener("127.0.0.2:5000".parse().unwrap(), l));
        let any: SocketAddr = "0.0.0.0:5000".parse().unwrap();
        assert!(same_listener("10.1.2.3:5000".parse().unwrap(), any));
    }
}
