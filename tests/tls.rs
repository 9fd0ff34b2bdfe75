//! The `tls` feature against a local https gateway stand-in (a CA made for the test, a rustls
//! server answering a signed pubSigQry): a trusted CA file works; the built-in roots reject
//! the unknown CA as CONNECT (nothing sent) with words that say so; a bad CA file is refused.
#![cfg(feature = "tls")]

mod common;

use common::*;
use rcgen::{BasicConstraints, CertificateParams, IsCa, KeyPair};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use starpos::ffi::*;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::ptr;
use std::sync::Arc;

const KEY: &str = starpos_sim::DEFAULT_KEY;

/// An https server on localhost with a certificate from a fresh CA; returns its port and the
/// CA certificate as PEM. It answers every request with a signed pubSigQry answer.
fn https_gateway() -> (u16, String) {
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
                let Ok(conn) = rustls::ServerConnection::new(config) else {
                    return;
                };
                let mut tls = BufReader::new(rustls::StreamOwned::new(conn, stream));
                // Read the headers and the body, then answer.
                let mut length = 0;
                loop {
                    let mut line = String::new();
                    if tls.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                        length = v.trim().parse().unwrap_or(0);
                    }
                    if line == "\r\n" {
                        break;
                    }
                }
                let mut body = vec![0; length];
                if tls.read_exact(&mut body).is_err() {
                    return;
                }
                let answer = starpos::wire::encode_answer(
                    &[
                        ("returnCode", "000000"),
                        ("message", "交易成功"),
                        ("mercId", starpos_sim::DEFAULT_MERC_ID),
                        ("appId", "wxtls0123456789ab"),
                        ("appIdKey", starpos_sim::DEFAULT_APP_ID_KEY),
                    ],
                    KEY,
                );
                let head = format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: application/json;charset=UTF-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                    answer.len()
                );
                let out = tls.get_mut();
                let _ = out.write_all(head.as_bytes());
                let _ = out.write_all(&answer);
                let _ = out.flush();
                out.conn.send_close_notify();
                let _ = out.flush();
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
