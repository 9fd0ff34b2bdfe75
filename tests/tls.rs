//! The `tls` feature against a local https gateway stand-in (a CA made for the test, a rustls
//! server answering a signed pubSigQry): a trusted CA file works; the built-in roots reject
//! the unknown CA as CONNECT (nothing sent) with words that say so; a bad CA file is refused.
//! A peer that fails once it has read the request (a corrupted record, a fatal alert, a close
//! or a reset) is in doubt, never CONNECT, and leaves a journaled sale open; one that breaks
//! the handshake is CONNECT.
#![cfg(feature = "tls")]

mod common;

use common::*;
use rcgen::{BasicConstraints, CertificateParams, IsCa, KeyPair};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use starpos::ffi::*;
use starpos::{BarcodePayRequest, Client, Config, QryRequest, Status};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::ptr;
use std::sync::Arc;
use std::time::Duration;

const KEY: &str = starpos_sim::DEFAULT_KEY;

/// What the stand-in does on each connection.
#[derive(Clone, Copy, Debug)]
enum Peer {
    /// Answers every request with a signed pubSigQry answer, then closes.
    Answer,
    /// Answers the first `n` requests on a kept-alive connection, then, once it has read the
    /// whole next request, fails as the [`Failure`] says.
    FailAfter(usize, Failure),
    /// Reads the ClientHello and sends bytes that are not TLS: the handshake cannot complete.
    GarbageHandshake,
    /// Reads the whole request and answers nothing for 10 s.
    Silent,
}

/// How a peer fails once it has read the whole request.
#[derive(Clone, Copy, Debug)]
enum Failure {
    /// Sends the answer in an application-data record whose ciphertext is corrupted (its last
    /// byte, in the AEAD tag, flipped): the record's MAC fails at the client.
    CorruptRecord,
    /// Sends a fatal TLS alert (its own TLS stack rejects a forged record) and closes.
    Alert,
    /// Closes the TCP connection without close_notify.
    Close,
    /// Sends close_notify and closes, with no answer.
    CloseNotify,
    /// Resets the connection (SO_LINGER 0).
    Reset,
}

/// An https server on localhost with a certificate from a fresh CA; returns its port and the
/// CA certificate as PEM. It answers every request with a signed pubSigQry answer.
fn https_gateway() -> (u16, String) {
    tls_peer(Peer::Answer)
}

/// A signed pubSigQry answer.
fn answer(keep_alive: bool) -> Vec<u8> {
    let body = starpos::unversioned::wire::encode_answer(
        &[
            ("returnCode", "000000"),
            ("message", "交易成功"),
            ("mercId", starpos_sim::DEFAULT_MERC_ID),
            ("appId", "wxtls0123456789ab"),
            ("appIdKey", starpos_sim::DEFAULT_APP_ID_KEY),
        ],
        KEY,
    );
    let connection = if keep_alive { "keep-alive" } else { "close" };
    let mut out = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json;charset=UTF-8\r\nContent-Length: {}\r\nConnection: {connection}\r\n\r\n",
        body.len()
    )
    .into_bytes();
    out.extend_from_slice(&body);
    out
}

type Tls = BufReader<rustls::StreamOwned<rustls::ServerConnection, TcpStream>>;

/// Reads one whole request (headers and body); false at the end of the connection.
fn read_request(tls: &mut Tls) -> bool {
    let mut length = 0;
    loop {
        let mut line = String::new();
        if tls.read_line(&mut line).unwrap_or(0) == 0 {
            return false;
        }
        if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
            length = v.trim().parse().unwrap_or(0);
        }
        if line == "\r\n" {
            break;
        }
    }
    let mut body = vec![0; length];
    tls.read_exact(&mut body).is_ok()
}

/// Everything rustls has queued to send, as TLS records.
fn pending_records(conn: &mut rustls::ServerConnection) -> Vec<u8> {
    let mut records = Vec::new();
    while conn.wants_write() {
        conn.write_tls(&mut records).unwrap();
    }
    records
}

fn fail(tls: Tls, failure: Failure) {
    let rustls::StreamOwned { mut conn, mut sock } = tls.into_inner();
    // Whatever rustls still had queued (session tickets) goes out intact first.
    let _ = sock.write_all(&pending_records(&mut conn));
    match failure {
        Failure::CorruptRecord => {
            conn.writer().write_all(&answer(false)).unwrap();
            let mut records = pending_records(&mut conn);
            *records.last_mut().unwrap() ^= 0x5a;
            let _ = sock.write_all(&records);
            // Open until the client gives up, so that only the bad record can end the call.
            let _ = sock.set_read_timeout(Some(Duration::from_secs(10)));
            let _ = std::io::copy(&mut sock, &mut std::io::sink());
        }
        Failure::Alert => {
            // An application-data record that cannot decrypt: rustls answers bad_record_mac.
            let mut forged = vec![0x17, 0x03, 0x03, 0x00, 0x20];
            forged.extend_from_slice(&[0u8; 0x20]);
            conn.read_tls(&mut &forged[..]).unwrap();
            assert!(conn.process_new_packets().is_err());
            let _ = sock.write_all(&pending_records(&mut conn));
        }
        Failure::Close => {}
        Failure::CloseNotify => {
            conn.send_close_notify();
            let _ = sock.write_all(&pending_records(&mut conn));
        }
        Failure::Reset => {
            use std::os::fd::AsRawFd;
            let linger = libc::linger {
                l_onoff: 1,
                l_linger: 0,
            };
            // SAFETY: a linger struct on the stack for a socket this thread owns.
            let rc = unsafe {
                libc::setsockopt(
                    sock.as_raw_fd(),
                    libc::SOL_SOCKET,
                    libc::SO_LINGER,
                    (&linger as *const libc::linger).cast(),
                    std::mem::size_of::<libc::linger>() as libc::socklen_t,
                )
            };
            assert_eq!(rc, 0);
        }
    }
}

/// A TLS stand-in on localhost behaving as `peer`, with a certificate for `localhost` from a
/// fresh CA; returns its port and the CA certificate as PEM.
fn tls_peer(peer: Peer) -> (u16, String) {
    let ca_key = KeyPair::generate().unwrap();
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let ca = ca_params.self_signed(&ca_key).unwrap();
    let server_key = KeyPair::generate().unwrap();
    let server_cert = CertificateParams::new(vec!["localhost".to_owned()])
        .unwrap()
        .signed_by(&server_key, &ca, &ca_key)
        .unwrap();
    let chain: Vec<CertificateDer<'static>> = vec![server_cert.der().clone()];
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(server_key.serialize_der()));
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = Arc::new(
        rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_no_client_auth()
            .with_single_cert(chain, key)
            .unwrap(),
    );
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let config = config.clone();
            std::thread::spawn(move || {
                let mut stream = stream;
                if let Peer::GarbageHandshake = peer {
                    let mut hello = [0u8; 512];
                    let _ = stream.read(&mut hello);
                    let _ = stream.write_all(b"HTTP/1.1 400 Bad Request\r\n\r\nnot TLS at all");
                    return;
                }
                let Ok(conn) = rustls::ServerConnection::new(config) else {
                    return;
                };
                let mut tls = BufReader::new(rustls::StreamOwned::new(conn, stream));
                let mut answered = 0;
                while read_request(&mut tls) {
                    if let Peer::Silent = peer {
                        SILENT_READ.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                        std::thread::sleep(Duration::from_secs(10));
                        return;
                    }
                    let (good, failure) = match peer {
                        Peer::FailAfter(n, failure) => (answered < n, Some(failure)),
                        _ => (true, None),
                    };
                    if good {
                        let keep_alive = failure.is_some();
                        let out = tls.get_mut();
                        let _ = out.write_all(&answer(keep_alive));
                        let _ = out.flush();
                        answered += 1;
                        if keep_alive {
                            continue;
                        }
                        out.conn.send_close_notify();
                        let _ = out.flush();
                        return;
                    }
                    fail(tls, failure.unwrap());
                    return;
                }
            });
        }
    });
    (port, ca.pem())
}

fn qry(base_url: &str, ca_file: Option<&str>) -> (starpos_status, starpos_qry_response) {
    install_secret_guard();
    let ca = ca_file.map(c);
    let mut cfg = c_config_at(base_url);
    cfg.raw.ca_file = ca.as_ref().map_or(ptr::null(), |c| c.as_ptr());
    let mut out: starpos_qry_response = zeroed();
    let status = unsafe { starpos_qry(&cfg.raw, ptr::null(), &mut out) };
    (status, out)
}

#[test]
fn a_trusted_ca_file_lets_the_call_through() {
    let (port, ca_pem) = https_gateway();
    let dir = std::env::temp_dir().join(format!("starpos-tls-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let ca_file = dir.join("ca.pem");
    std::fs::write(&ca_file, ca_pem).unwrap();
    let url = format!("https://localhost:{port}/adpweb/ehpspos3/");
    let (status, out) = qry(&url, Some(ca_file.to_str().unwrap()));
    assert_eq!(status, starpos_status::STARPOS_OK, "{}", text(&out.error));
    assert_eq!(text(&out.app_id), "wxtls0123456789ab");
    assert_eq!(text(&out.message), "交易成功");
}

#[test]
fn an_unknown_ca_is_a_connect_error_that_says_certificate() {
    let (port, _) = https_gateway();
    let url = format!("https://localhost:{port}/adpweb/ehpspos3/");
    let (status, out) = qry(&url, None);
    assert_eq!(
        status,
        starpos_status::STARPOS_ERR_CONNECT,
        "{}",
        text(&out.error)
    );
    let error = text(&out.error).to_lowercase();
    assert!(
        error.contains("tls") && error.contains("certificate"),
        "{error}"
    );
    assert!(!starpos_status_in_doubt(status as i32), "nothing was sent");
}

#[test]
fn an_unusable_ca_file_is_refused_before_sending() {
    let url = "https://localhost:1/adpweb/ehpspos3/";
    let (status, out) = qry(url, Some("/nonexistent/ca.pem"));
    assert_eq!(status, starpos_status::STARPOS_ERR_INVALID_ARGUMENT);
    assert!(
        text(&out.error).starts_with("ca_file: cannot be read"),
        "{}",
        text(&out.error)
    );
    let not_pem = std::env::temp_dir().join(format!("starpos-notpem-{}", std::process::id()));
    std::fs::write(&not_pem, "not a certificate").unwrap();
    let (status, out) = qry(url, Some(not_pem.to_str().unwrap()));
    assert_eq!(status, starpos_status::STARPOS_ERR_INVALID_ARGUMENT);
    assert!(
        text(&out.error).starts_with("ca_file: holds no PEM certificate"),
        "{}",
        text(&out.error)
    );
}

#[test]
fn an_unreachable_https_gateway_is_connect_within_the_timeout() {
    // Bind to learn a free port, then close it: nothing listens there.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    for url in [
        format!("https://127.0.0.1:{port}/adpweb/ehpspos3/"),
        format!("https://localhost:{port}/adpweb/ehpspos3/"),
        "https://starpos-no-such-host.invalid/adpweb/ehpspos3/".to_owned(),
    ] {
        let started = std::time::Instant::now();
        let (status, out) = qry(&url, None);
        assert_eq!(
            status,
            starpos_status::STARPOS_ERR_CONNECT,
            "{url}: {}",
            text(&out.error)
        );
        assert!(!starpos_status_in_doubt(status as i32), "nothing was sent");
        // qry's timeout_ms is 5000.
        assert!(
            started.elapsed() < std::time::Duration::from_secs(6),
            "{url}"
        );
    }
}

/// Requests a `Peer::Silent` has read whole (and will never answer).
static SILENT_READ: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// A stand-in behaving as `peer`: its https base URL and its CA in a file of its own (each
/// CA file gets its own agent, kept for the life of the process).
struct StandIn {
    url: String,
    ca_file: std::path::PathBuf,
    dir: TempDir,
}

fn stand_in(peer: Peer) -> StandIn {
    let (port, ca_pem) = tls_peer(peer);
    let dir = TempDir::new("tls-peer");
    let ca_file = dir.join("ca.pem");
    std::fs::write(&ca_file, ca_pem).unwrap();
    StandIn {
        url: format!("https://localhost:{port}/adpweb/ehpspos3/"),
        ca_file,
        dir,
    }
}

impl StandIn {
    /// A Rust client for it; with a journal when `journal` is set. 2 s to connect, 5 s a call.
    fn client(&self, journal: bool) -> Client {
        install_secret_guard();
        let mut c = Config::new(
            starpos_sim::DEFAULT_ORG_NO,
            starpos_sim::DEFAULT_MERC_ID,
            starpos_sim::DEFAULT_TRM_NO,
            KEY,
        )
        .with_base_url(&self.url)
        .with_timeouts(Duration::from_secs(2), Duration::from_secs(5));
        c.ca_file = Some(self.ca_file.clone());
        if journal {
            c.journal_path = Some(self.journal());
        }
        Client::new(c).unwrap()
    }

    fn journal(&self) -> std::path::PathBuf {
        self.dir.join("sales.journal")
    }

    /// `starpos_barcode_pay` with the journal: its status and the sale's tradeNo.
    fn c_barcode_pay(&self) -> (starpos_status, String) {
        install_secret_guard();
        let ca = c(self.ca_file.to_str().unwrap());
        let journal = c(self.journal().to_str().unwrap());
        let mut cfg = c_config_at(&self.url);
        cfg.raw.ca_file = ca.as_ptr();
        cfg.raw.journal_path = journal.as_ptr();
        let code = c(&wechat_code('0'));
        let mut req: starpos_barcode_pay_request = zeroed();
        req.auth_code = code.as_ptr();
        req.amount = 66;
        req.total_amount = 66;
        let mut out: starpos_barcode_pay_response = zeroed();
        let status = unsafe { starpos_barcode_pay(&cfg.raw, &req, &mut out) };
        (status, text(&out.trade_no))
    }

    /// The journal's entry for `trade_no`.
    fn entry(&self, trade_no: &str) -> starpos::journal::Entry {
        self.client(true)
            .journal_entries()
            .unwrap()
            .into_iter()
            .find(|e| e.trade_no == trade_no)
            .expect("journaled")
    }
}

fn barcode(code: &str) -> BarcodePayRequest<'_> {
    BarcodePayRequest {
        auth_code: code,
        amount: 66,
        total_amount: 66,
        ..Default::default()
    }
}

/// A peer that fails as `failure` says once it has read the request: every call is in doubt
/// (TIMEOUT or PROTOCOL, never CONNECT), on a new connection and on a kept-alive one, through
/// the Rust API and the C ABI, and a journaled sale stays open.
fn assert_in_doubt_after(failure: Failure) {
    let in_doubt = |status: Status, what: &str, detail: &str| {
        assert!(
            matches!(status, Status::Timeout | Status::Protocol) && status.in_doubt(),
            "{failure:?}, {what}: {status}: {detail}"
        );
    };

    // Rust API, new connection.
    let peer = stand_in(Peer::FailAfter(0, failure));
    let e = peer.client(false).qry(&QryRequest::default()).unwrap_err();
    in_doubt(e.status(), "qry", e.detail());

    // Rust API, a kept-alive connection: the first call is answered, the second fails.
    let peer = stand_in(Peer::FailAfter(1, failure));
    let client = peer.client(false);
    client
        .qry(&QryRequest::default())
        .expect("first call answered");
    let e = client.qry(&QryRequest::default()).unwrap_err();
    in_doubt(e.status(), "qry on a kept-alive connection", e.detail());

    // C ABI.
    let peer = stand_in(Peer::FailAfter(0, failure));
    let (status, out) = qry(&peer.url, Some(peer.ca_file.to_str().unwrap()));
    let rust_status = Status::from_code(status as i64).unwrap();
    in_doubt(rust_status, "starpos_qry", &text(&out.error));
    assert!(starpos_status_in_doubt(status as i32));

    // A journaled sale, Rust API: in doubt, carrying its tradeNo, and still open.
    let peer = stand_in(Peer::FailAfter(0, failure));
    let code = wechat_code('0');
    let e = peer.client(true).barcode_pay(&barcode(&code)).unwrap_err();
    in_doubt(e.status(), "barcode_pay", e.detail());
    let entry = peer.entry(e.trade_no().expect("the sale's tradeNo"));
    assert!(
        !entry.settled && entry.status.in_doubt() && entry.result.is_none(),
        "{failure:?}: {entry:?}"
    );

    // A journaled sale, C ABI.
    let peer = stand_in(Peer::FailAfter(0, failure));
    let (status, trade_no) = peer.c_barcode_pay();
    in_doubt(
        Status::from_code(status as i64).unwrap(),
        "starpos_barcode_pay",
        "",
    );
    assert!(starpos_status_in_doubt(status as i32));
    let entry = peer.entry(&trade_no);
    assert!(
        !entry.settled && entry.status.in_doubt(),
        "{failure:?}: {entry:?}"
    );
}

#[test]
fn a_corrupted_record_after_the_request_is_in_doubt() {
    assert_in_doubt_after(Failure::CorruptRecord);
}

#[test]
fn a_fatal_alert_after_the_request_is_in_doubt() {
    assert_in_doubt_after(Failure::Alert);
}

#[test]
fn a_close_or_reset_after_the_request_is_in_doubt() {
    for failure in [Failure::Close, Failure::CloseNotify, Failure::Reset] {
        assert_in_doubt_after(failure);
    }
}

#[test]
fn garbage_before_the_handshake_completes_is_connect() {
    // A call answered on this thread first: what it wrote must not count for the next call.
    let good = stand_in(Peer::Answer);
    good.client(false)
        .qry(&QryRequest::default())
        .expect("answered");

    let peer = stand_in(Peer::GarbageHandshake);
    let e = peer.client(false).qry(&QryRequest::default()).unwrap_err();
    assert_eq!(e.status(), Status::Connect, "{e}");
    assert!(!e.in_doubt());

    let (status, out) = qry(&peer.url, Some(peer.ca_file.to_str().unwrap()));
    assert_eq!(
        status,
        starpos_status::STARPOS_ERR_CONNECT,
        "{}",
        text(&out.error)
    );
    assert!(!starpos_status_in_doubt(status as i32), "nothing was sent");

    // Nothing moved: the journaled sale is settled as such.
    let code = wechat_code('0');
    let e = peer.client(true).barcode_pay(&barcode(&code)).unwrap_err();
    assert_eq!(e.status(), Status::Connect, "{e}");
    let entry = peer.entry(e.trade_no().unwrap());
    assert!(
        entry.settled && entry.status == Status::Connect,
        "{entry:?}"
    );
    let (status, trade_no) = peer.c_barcode_pay();
    assert_eq!(status, starpos_status::STARPOS_ERR_CONNECT);
    assert!(peer.entry(&trade_no).settled);
}

#[test]
fn a_cancel_while_the_answer_is_awaited_ends_the_call_as_cancelled() {
    let peer = stand_in(Peer::Silent);
    install_secret_guard();
    let ca = c(peer.ca_file.to_str().unwrap());
    let mut cfg = c_config_at(&peer.url);
    cfg.raw.ca_file = ca.as_ptr();
    let cancel = starpos_cancel_new();
    assert!(!cancel.is_null());
    cfg.raw.cancel = cancel;
    let fire = std::sync::atomic::AtomicPtr::new(cancel);
    let read_before = SILENT_READ.load(std::sync::atomic::Ordering::SeqCst);
    let fired = std::thread::spawn(move || {
        // Once the request has arrived whole (not after a guess of how long the handshake
        // takes: under qemu it is slow), so that the cancel finds it in flight.
        let start = std::time::Instant::now();
        while SILENT_READ.load(std::sync::atomic::Ordering::SeqCst) == read_before
            && start.elapsed() < Duration::from_secs(20)
        {
            std::thread::sleep(Duration::from_millis(5));
        }
        let at = std::time::Instant::now();
        unsafe { starpos_cancel_request(fire.load(std::sync::atomic::Ordering::SeqCst)) };
        at
    });
    let mut out: starpos_qry_response = zeroed();
    let status = unsafe { starpos_qry(&cfg.raw, ptr::null(), &mut out) };
    let ended = std::time::Instant::now();
    let fired = fired.join().unwrap();
    assert_eq!(
        status,
        starpos_status::STARPOS_ERR_CANCELLED,
        "{}",
        text(&out.error)
    );
    assert!(
        starpos_status_in_doubt(status as i32),
        "the request was sent"
    );
    assert!(
        ended - fired < Duration::from_secs(2),
        "took {:?}",
        ended - fired
    );
    unsafe { starpos_cancel_free(cancel) };
}

// ---- The library's own HTTP/1.1 over rustls (issue 19.7): the transport against scripted
// ---- TLS servers.

/// A server config with a certificate for `localhost` from a fresh CA, and the CA as PEM.
fn localhost_config() -> (Arc<rustls::ServerConfig>, String) {
    localhost_config_with(rustls::DEFAULT_VERSIONS)
}

/// [`localhost_config`] speaking only the TLS `versions`.
fn localhost_config_with(
    versions: &[&'static rustls::SupportedProtocolVersion],
) -> (Arc<rustls::ServerConfig>, String) {
    let ca_key = KeyPair::generate().unwrap();
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let ca = ca_params.self_signed(&ca_key).unwrap();
    let server_key = KeyPair::generate().unwrap();
    let server_cert = CertificateParams::new(vec!["localhost".to_owned()])
        .unwrap()
        .signed_by(&server_key, &ca, &ca_key)
        .unwrap();
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(server_key.serialize_der()));
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_protocol_versions(versions)
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(vec![server_cert.der().clone()], key)
        .unwrap();
    (Arc::new(config), ca.pem())
}

/// A TLS server on localhost running `serve` on each connection (with its index, 0, 1, …)
/// once the handshake is done; its port and CA file.
struct Serving {
    port: u16,
    ca_file: std::path::PathBuf,
    _dir: TempDir,
    accepted: Arc<std::sync::atomic::AtomicUsize>,
}

fn serve(serve: impl Fn(Tls, usize) + Send + Sync + 'static) -> Serving {
    serve_with(localhost_config(), serve)
}

/// [`serve`] with the server config and CA of `setup`.
fn serve_with(
    setup: (Arc<rustls::ServerConfig>, String),
    serve: impl Fn(Tls, usize) + Send + Sync + 'static,
) -> Serving {
    serve_raw_with(setup, move |stream, config, i| {
        let conn = rustls::ServerConnection::new(config).unwrap();
        serve(BufReader::new(rustls::StreamOwned::new(conn, stream)), i)
    })
}

/// [`serve`] with the TCP connection as accepted (the handshake is `serve`'s).
fn serve_raw(
    serve: impl Fn(TcpStream, Arc<rustls::ServerConfig>, usize) + Send + Sync + 'static,
) -> Serving {
    serve_raw_with(localhost_config(), serve)
}

fn serve_raw_with(
    (config, ca_pem): (Arc<rustls::ServerConfig>, String),
    serve: impl Fn(TcpStream, Arc<rustls::ServerConfig>, usize) + Send + Sync + 'static,
) -> Serving {
    let dir = TempDir::new("tls-serve");
    let ca_file = dir.join("ca.pem");
    std::fs::write(&ca_file, ca_pem).unwrap();
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let accepted = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let count = accepted.clone();
    let serve = Arc::new(serve);
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let i = count.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            let (serve, config) = (serve.clone(), config.clone());
            std::thread::spawn(move || serve(stream, config, i));
        }
    });
    Serving {
        port,
        ca_file,
        _dir: dir,
        accepted,
    }
}

impl Serving {
    fn url(&self) -> String {
        format!("https://localhost:{}/gw/x.json", self.port)
    }

    fn accepted(&self) -> usize {
        self.accepted.load(std::sync::atomic::Ordering::SeqCst)
    }

    /// One POST through the transport: the answer's body, or the error.
    fn post(
        &self,
        url: &str,
        keep_alive: bool,
        cancel: Option<&starpos::Cancel>,
        timeouts: starpos::Timeouts,
    ) -> Result<Vec<u8>, starpos::Error> {
        let connection = starpos::unversioned::transport::Connection {
            keep_alive,
            ca_file: Some(&self.ca_file),
            cancel,
        };
        starpos::unversioned::transport::post(
            url,
            b"{\"a\":1}",
            "application/json",
            timeouts,
            &connection,
        )
        .map(|reply| reply.body)
    }

    fn call(&self, keep_alive: bool) -> Result<Vec<u8>, starpos::Error> {
        self.post(
            &self.url(),
            keep_alive,
            None,
            starpos::Timeouts {
                connect: Duration::from_secs(2),
                total: Duration::from_secs(5),
            },
        )
    }
}

/// Writes `bytes` to the client, flushed.
fn send(tls: &mut Tls, bytes: &[u8]) {
    let out = tls.get_mut();
    out.write_all(bytes).unwrap();
    out.flush().unwrap();
}

fn ok_answer(body: &str) -> Vec<u8> {
    format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

#[test]
fn kept_alive_https_calls_share_one_connection_and_keep_alive_off_does_not() {
    let server = serve(|mut tls, i| {
        while read_request(&mut tls) {
            send(&mut tls, &ok_answer(&format!("{{\"connection\":{i}}}")));
        }
    });
    for _ in 0..5 {
        assert_eq!(server.call(true).unwrap(), b"{\"connection\":0}");
    }
    assert_eq!(server.accepted(), 1, "one handshake for five calls");
    server.call(false).unwrap();
    server.call(false).unwrap();
    assert_eq!(server.accepted(), 3, "keep-alive off: a connection a call");
}

#[test]
fn a_tls12_only_gateway_is_spoken_to_and_kept_alive() {
    let setup = localhost_config_with(&[&rustls::version::TLS12]);
    let server = serve_with(setup, |mut tls, _| {
        while read_request(&mut tls) {
            assert_eq!(
                tls.get_ref().conn.protocol_version(),
                Some(rustls::ProtocolVersion::TLSv1_2)
            );
            send(&mut tls, &ok_answer("{\"v\":12}"));
        }
    });
    for _ in 0..3 {
        assert_eq!(server.call(true).unwrap(), b"{\"v\":12}");
    }
    assert_eq!(server.accepted(), 1);
}

#[test]
fn chunked_and_split_https_answers_are_read_whole() {
    let server = serve(|mut tls, _| {
        while read_request(&mut tls) {
            // Head, chunks and the last chunk each in a TLS record of its own.
            send(
                &mut tls,
                b"HTTP/1.1 200 OK\r\nContent-Type: application/json;charset=GBK\r\nTransfer-Encoding: chunked\r\n\r\n",
            );
            send(&mut tls, b"6\r\n{\"a\":1\r\n");
            std::thread::sleep(Duration::from_millis(20));
            send(&mut tls, b"1\r\n}\r\n");
            send(&mut tls, b"0\r\n\r\n");
        }
    });
    for _ in 0..2 {
        let connection = starpos::unversioned::transport::Connection {
            keep_alive: true,
            ca_file: Some(&server.ca_file),
            cancel: None,
        };
        let reply = starpos::unversioned::transport::post(
            &server.url(),
            b"{}",
            "application/json",
            starpos::Timeouts::DEFAULT,
            &connection,
        )
        .unwrap();
        assert_eq!(reply.body, b"{\"a\":1}");
        assert_eq!(reply.charset.as_deref(), Some("GBK"));
    }
    assert_eq!(
        server.accepted(),
        1,
        "a chunked answer keeps the connection"
    );
}

#[test]
fn https_answers_up_to_the_limit_are_read_and_one_byte_more_is_refused_in_doubt() {
    let limit = starpos::limits::MAX_ANSWER_BYTES as usize;
    let server = serve(move |mut tls, _| {
        let mut sizes = [limit, limit + 1].into_iter();
        while read_request(&mut tls) {
            let Some(n) = sizes.next() else { return };
            let body = "x".repeat(n);
            // Several full-size records, written at once.
            send(&mut tls, &ok_answer(&body));
        }
    });
    assert_eq!(server.call(true).unwrap().len(), limit);
    let e = server.call(true).unwrap_err();
    assert_eq!(e.status(), Status::Protocol, "{e}");
    assert!(e.in_doubt());
}

#[test]
fn an_https_answer_framed_by_the_close_needs_a_close_notify() {
    let server = serve(|mut tls, i| {
        if !read_request(&mut tls) {
            return;
        }
        send(
            &mut tls,
            b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n{\"a\":1}",
        );
        if i == 0 {
            tls.get_mut().conn.send_close_notify();
            let _ = tls.get_mut().flush();
        }
        // Connection 1 ends with a TCP close alone: the answer may have been cut short.
    });
    assert_eq!(server.call(true).unwrap(), b"{\"a\":1}");
    let e = server.call(true).unwrap_err();
    assert_eq!(e.status(), Status::Protocol, "{e}");
    assert!(e.in_doubt() && e.detail().contains("close_notify"), "{e}");
}

#[test]
fn a_kept_alive_https_connection_the_server_closed_is_replaced() {
    let server = serve(|mut tls, _| {
        if read_request(&mut tls) {
            send(&mut tls, &ok_answer("{}"));
        }
        // Then closes the idle connection, with close_notify.
        tls.get_mut().conn.send_close_notify();
        let _ = tls.get_mut().flush();
    });
    server.call(true).unwrap();
    std::thread::sleep(Duration::from_millis(100));
    server.call(true).expect("a new connection, not an error");
    assert_eq!(server.accepted(), 2);
}

#[test]
fn a_certificate_for_another_name_is_connect() {
    let server = serve(|mut tls, _| {
        if read_request(&mut tls) {
            send(&mut tls, &ok_answer("{}"));
        }
    });
    // The certificate names localhost, the URL an IP address.
    let url = format!("https://127.0.0.1:{}/gw/x.json", server.port);
    let e = server
        .post(&url, true, None, starpos::Timeouts::DEFAULT)
        .unwrap_err();
    assert_eq!(e.status(), Status::Connect, "{e}");
    assert!(
        e.detail().contains("TLS") && e.detail().contains("certificate"),
        "{e}"
    );
    assert!(!e.in_doubt());
}

/// A server that reads the ClientHello and then says nothing for 10 s.
fn stalled_handshake() -> Serving {
    serve_raw(|mut stream, _, _| {
        let mut hello = [0u8; 1024];
        let _ = stream.read(&mut hello);
        std::thread::sleep(Duration::from_secs(10));
    })
}

#[test]
fn a_stalled_handshake_is_connect_within_the_connect_timeout() {
    let server = stalled_handshake();
    let started = std::time::Instant::now();
    let e = server
        .post(
            &server.url(),
            true,
            None,
            starpos::Timeouts {
                connect: Duration::from_millis(300),
                total: Duration::from_secs(5),
            },
        )
        .unwrap_err();
    let took = started.elapsed();
    assert_eq!(e.status(), Status::Connect, "{e}");
    assert!(!e.in_doubt());
    assert!(
        took >= Duration::from_millis(250) && took < Duration::from_millis(1500),
        "{took:?}"
    );
}

#[test]
fn a_cancel_during_a_stalled_handshake_ends_the_call_as_not_sent_within_100_ms() {
    let server = stalled_handshake();
    let cancel = starpos::Cancel::new().unwrap();
    let fire = cancel.clone();
    let fired = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(300));
        fire.request();
        std::time::Instant::now()
    });
    let e = server
        .post(
            &server.url(),
            true,
            Some(&cancel),
            starpos::Timeouts {
                connect: Duration::from_secs(5),
                total: Duration::from_secs(10),
            },
        )
        .unwrap_err();
    let ended = std::time::Instant::now();
    let fired = fired.join().unwrap();
    assert_eq!(e.status(), Status::CancelledNotSent, "{e}");
    assert!(!e.in_doubt(), "nothing was sent");
    assert!(
        ended.saturating_duration_since(fired) < Duration::from_millis(100),
        "took {:?}",
        ended.saturating_duration_since(fired)
    );
    assert_eq!(server.accepted(), 1);
}
