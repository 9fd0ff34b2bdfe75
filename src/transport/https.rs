//! The TLS layer of `https://` (the `tls` feature): a [`rustls::ClientConnection`] over the
//! non-blocking socket of [`super::plain`], which does everything else for https as for http
//! (the pool and its probe, DNS and connect budgets, deadlines, cancel, [`super::http1`]).
//!
//! - Roots: Mozilla's (`webpki-roots`), or the certificates of the call's `ca_file` instead;
//!   the server's certificate is verified for the URL's host name (or IP address).
//! - The handshake runs within what is left of the connect budget once TCP has connected, and
//!   watches the call's cancel. Nothing of the request has been written before it completes,
//!   so every failure in it is `Connect` (a cancel: `CancelledNotSent`).
//! - Once the request's first record may have left, every failure is in doubt, as over plain
//!   http: a corrupted record, a fatal alert, a close (with or without close_notify) or a reset
//!   is `Protocol`, no full answer in time is `Timeout`.
//! - One `send` per request (head and body go into rustls together and leave as one write of
//!   records) and one `recv` per `poll`, into a buffer kept with the connection, fed to rustls
//!   whole; so an https call makes the system calls of an http one.

use super::plain::{self, SendError};
use crate::cancel::{Cancel, Woke};
use crate::error::{Error, Status};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName};
use rustls::{ClientConfig, ClientConnection, RootCertStore};
use std::io::{self, Write};
use std::net::TcpStream;
use std::os::fd::AsRawFd;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};
use std::time::Instant;

/// Bytes read from the socket at once: a whole TLS record of the largest size (16 KiB of
/// plaintext, with its header and what a cipher adds).
const READ_BUFFER: usize = 16 * 1024 + 512;

/// The TLS setup for `ca_file` (`None`: the built-in roots), built once per CA file and kept
/// for the life of the process. The common case, no CA file, takes no lock.
pub(super) fn config(ca_file: Option<&Path>) -> Result<plain::Tls, Error> {
    static BUILT_IN: OnceLock<plain::Tls> = OnceLock::new();
    static WITH_CA: Mutex<Vec<(PathBuf, plain::Tls)>> = Mutex::new(Vec::new());
    let Some(ca_file) = ca_file else {
        return Ok(BUILT_IN
            .get_or_init(|| {
                build(RootCertStore {
                    roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
                })
            })
            .clone());
    };
    // A CA file is read once per path.
    let mut configs = WITH_CA.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some((_, config)) = configs.iter().find(|(p, _)| p == ca_file) {
        return Ok(config.clone());
    }
    let config = build(roots_from(ca_file)?);
    configs.push((ca_file.to_owned(), config.clone()));
    Ok(config)
}

/// The certificates of the PEM file `path`, as roots.
fn roots_from(path: &Path) -> Result<RootCertStore, Error> {
    let pem = std::fs::read(path).map_err(|e| {
        Error::invalid(
            "ca_file",
            format!("cannot be read: {} ({e})", path.display()),
        )
    })?;
    let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_slice_iter(&pem)
        .filter_map(Result::ok)
        .collect();
    if certs.is_empty() {
        return Err(Error::invalid(
            "ca_file",
            format!("holds no PEM certificate: {}", path.display()),
        ));
    }
    let mut roots = RootCertStore::empty();
    roots.add_parsable_certificates(certs);
    Ok(roots)
}

/// rustls with *ring*, TLS 1.2 and 1.3, no client certificate, trusting `roots`.
fn build(roots: RootCertStore) -> plain::Tls {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = ClientConfig::builder_with_provider(provider)
        .with_protocol_versions(rustls::ALL_VERSIONS)
        // Only fails for a provider without the versions' cipher suites; ring has them all.
        .expect("ring supports TLS 1.2 and 1.3")
        .with_root_certificates(roots)
        .with_no_client_auth();
    Arc::new(config)
}

/// A TCP connection with a TLS session over it, handshake done.
pub(crate) struct TlsConn {
    sock: TcpStream,
    tls: ClientConnection,
    /// Records to send (kept: no allocation per call).
    out: Vec<u8>,
    /// Bytes read from the socket, before rustls takes them (kept likewise).
    input: Box<[u8]>,
}

fn not_sent(why: impl std::fmt::Display) -> Error {
    Error::new(
        Status::Connect,
        format!("TLS handshake with the gateway failed: {why}"),
    )
}

impl TlsConn {
    /// Completes a TLS handshake for `host` on the connected `sock` before `until` (the end of
    /// the connect budget), watching `cancel`. Nothing of the request is written here, so a
    /// failure is `Connect` and a cancel `CancelledNotSent`.
    pub(super) fn handshake(
        sock: TcpStream,
        config: &plain::Tls,
        host: &str,
        cancel: Option<&Cancel>,
        until: Instant,
    ) -> Result<TlsConn, Error> {
        // An IPv6 address is bracketed in the URL, not in the certificate.
        let bare = host
            .strip_prefix('[')
            .and_then(|h| h.strip_suffix(']'))
            .unwrap_or(host);
        let name = ServerName::try_from(bare.to_owned()).map_err(|e| {
            Error::new(
                Status::Connect,
                format!("TLS setup failed: {host} is not a usable server name ({e})"),
            )
        })?;
        let tls = ClientConnection::new(config.clone(), name)
            .map_err(|e| Error::new(Status::Connect, format!("TLS setup failed: {e}")))?;
        let mut conn = TlsConn {
            sock,
            tls,
            out: Vec::with_capacity(2048),
            input: vec![0; READ_BUFFER].into_boxed_slice(),
        };
        loop {
            if conn.tls.wants_write() {
                conn.flush(until).map_err(|e| not_sent(e.why))?;
            }
            if !conn.tls.is_handshaking() {
                return Ok(conn);
            }
            match plain::wait_for(&conn.sock, libc::POLLIN, cancel, until) {
                Woke::Ready => {}
                Woke::Deadline => {
                    return Err(Error::new(
                        Status::Connect,
                        "TLS handshake with the gateway not completed within the connect timeout",
                    ))
                }
                Woke::Cancelled => return Err(plain::cancelled_before_sending()),
            }
            match conn.read_socket() {
                Ok(0) => return Err(not_sent("the gateway closed the connection")),
                Ok(n) => {
                    if let Err(e) = conn.feed(n, &mut Vec::new()) {
                        // Tell the peer why (an alert), if it still listens.
                        let _ = conn.flush(until);
                        return Err(not_sent(e));
                    }
                }
                Err(e) if is_retry(&e) => {}
                Err(e) => return Err(not_sent(e)),
            }
        }
    }

    pub(super) fn socket(&self) -> &TcpStream {
        &self.sock
    }

    /// Writes the request into the TLS session and sends the records before `deadline`.
    /// `sent` of an error counts the bytes of records the kernel took.
    pub(super) fn send_all(&mut self, bytes: &[u8], deadline: Instant) -> Result<(), SendError> {
        let mut taken = 0;
        let mut sent = 0;
        loop {
            if taken < bytes.len() {
                // rustls takes plaintext up to its buffer limit (64 KiB) at a time.
                match self.tls.writer().write(&bytes[taken..]) {
                    Ok(n) => taken += n,
                    Err(e) => {
                        return Err(SendError {
                            sent,
                            why: format!("TLS: {e}"),
                        })
                    }
                }
            }
            if !self.tls.wants_write() {
                if taken < bytes.len() {
                    return Err(SendError {
                        sent,
                        why: "TLS session took no more of the request".to_owned(),
                    });
                }
                return Ok(());
            }
            let count = self.out_len();
            self.flush(deadline).map_err(|e| SendError {
                sent: sent + e.sent,
                why: e.why,
            })?;
            sent += count;
        }
    }

    /// Reads what the socket has and appends the plaintext to `raw`; `Some(clean)` once the
    /// peer has closed (`clean`: with a close_notify). Errors are those after sending.
    pub(super) fn recv(&mut self, raw: &mut Vec<u8>) -> Result<Option<bool>, Error> {
        match self.read_socket() {
            Ok(0) => {
                // The end of TCP: whatever rustls still holds has been read; a close_notify
                // before it was seen by `feed`.
                self.tls.read_tls(&mut &[][..]).ok();
                let state = self
                    .tls
                    .process_new_packets()
                    .map_err(|e| plain::broke(format_args!("TLS: {e}")))?;
                Ok(Some(state.peer_has_closed()))
            }
            Ok(n) => {
                let closed = self
                    .feed(n, raw)
                    .map_err(|e| plain::broke(format_args!("TLS: {e}")))?;
                Ok(closed.then_some(true))
            }
            Err(e) if is_retry(&e) => Ok(None),
            Err(e) => Err(plain::broke(e)),
        }
    }

    /// One `recv` into the input buffer.
    fn read_socket(&mut self) -> io::Result<usize> {
        // SAFETY: `input` is valid for its length; the fd is owned by `self.sock`.
        let n = unsafe {
            libc::recv(
                self.sock.as_raw_fd(),
                self.input.as_mut_ptr().cast(),
                self.input.len(),
                0,
            )
        };
        if n < 0 {
            return Err(io::Error::last_os_error());
        }
        Ok(n as usize)
    }

    /// Gives rustls the first `n` bytes of the input buffer and appends the plaintext they
    /// carried to `raw`; true when the peer sent close_notify.
    fn feed(&mut self, n: usize, raw: &mut Vec<u8>) -> Result<bool, FeedError> {
        let mut input = &self.input[..n];
        let mut closed = false;
        while !input.is_empty() {
            let took = self.tls.read_tls(&mut input).map_err(FeedError::Io)?;
            if took == 0 {
                return Err(FeedError::Io(io::Error::other(
                    "TLS session took no more input",
                )));
            }
            let state = self.tls.process_new_packets().map_err(FeedError::Tls)?;
            let plaintext = state.plaintext_bytes_to_read();
            if plaintext > 0 {
                let start = raw.len();
                raw.resize(start + plaintext, 0);
                io::Read::read_exact(&mut self.tls.reader(), &mut raw[start..])
                    .map_err(FeedError::Io)?;
            }
            closed |= state.peer_has_closed();
        }
        Ok(closed)
    }

    /// How many bytes of records rustls has to send.
    fn out_len(&mut self) -> usize {
        self.out.clear();
        while self.tls.wants_write() {
            // Writing into a Vec cannot fail.
            let _ = self.tls.write_tls(&mut self.out);
        }
        self.out.len()
    }

    /// Sends every record rustls has queued, in one `send` when the socket takes it.
    fn flush(&mut self, deadline: Instant) -> Result<(), SendError> {
        if self.tls.wants_write() {
            self.out_len();
        }
        let result = plain::send_all(&self.sock, &self.out, deadline);
        self.out.clear();
        result
    }
}

/// A failure of rustls on input: of the session (a bad record, an alert) or of the bytes.
enum FeedError {
    Tls(rustls::Error),
    Io(io::Error),
}

impl std::fmt::Display for FeedError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FeedError::Tls(e) => e.fmt(f),
            FeedError::Io(e) => e.fmt(f),
        }
    }
}

fn is_retry(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::WouldBlock | io::ErrorKind::Interrupted
    )
}
