//! tls_server: the https stand-in of the end-to-end https runs (BENCHMARKS.md, "End to end
//! over https"; not part of bench/run.sh). At start it POSTs once to a bench/c/fixed_server
//! and keeps that answer (a correctly signed pubSigPay answer); then it serves it over TLS
//! (rustls, ring, a certificate for `localhost` from a fresh CA written to --ca-out) to
//! whatever is POSTed, on kept-alive connections, one thread per connection, TCP_NODELAY.
//!
//!     cargo run --release --features tls --example tls_server -- --upstream PORT --ca-out FILE
//!
//! Prints "listening on PORT" when ready.
use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, KeyPair};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;

/// Reads one request (headers and a Content-Length body); false at the end of the connection.
fn read_request(r: &mut impl BufRead) -> bool {
    let mut length = 0;
    let mut line = String::new();
    loop {
        line.clear();
        if r.read_line(&mut line).unwrap_or(0) == 0 {
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
    r.read_exact(&mut body).is_ok()
}

/// The whole answer fixed_server gives a POST (status line, headers, body), as bytes.
fn upstream_answer(port: u16) -> Vec<u8> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).expect("fixed_server");
    s.write_all(b"POST /adpweb/ehpspos3/pubSigPay.json HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}")
        .unwrap();
    let mut out = Vec::new();
    s.read_to_end(&mut out).unwrap();
    let text = String::from_utf8_lossy(&out).replace("Connection: close\r\n", "");
    assert!(text.starts_with("HTTP/1.1 200"), "{text}");
    text.into_bytes()
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let arg = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let upstream: u16 = arg("--upstream").expect("--upstream PORT").parse().unwrap();
    let ca_out = arg("--ca-out").expect("--ca-out FILE");
    let answer: Arc<[u8]> = upstream_answer(upstream).into();

    let ca_key = KeyPair::generate().unwrap();
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    // Names of their own: OpenSSL (libcurl) takes a leaf whose issuer is its subject for a
    // self-signed certificate.
    ca_params
        .distinguished_name
        .push(DnType::CommonName, "starpos bench CA");
    let ca = ca_params.self_signed(&ca_key).unwrap();
    let server_key = KeyPair::generate().unwrap();
    let mut server_params = CertificateParams::new(vec!["localhost".to_owned()]).unwrap();
    server_params
        .distinguished_name
        .push(DnType::CommonName, "localhost");
    let server_cert = server_params.signed_by(&server_key, &ca, &ca_key).unwrap();
    std::fs::write(&ca_out, ca.pem()).unwrap();
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
    println!("listening on {}", listener.local_addr().unwrap().port());
    std::io::stdout().flush().unwrap();
    for stream in listener.incoming().flatten() {
        let (config, answer) = (config.clone(), answer.clone());
        std::thread::spawn(move || {
            let _ = stream.set_nodelay(true);
            let Ok(conn) = rustls::ServerConnection::new(config) else {
                return;
            };
            let mut tls = BufReader::new(rustls::StreamOwned::new(conn, stream));
            while read_request(&mut tls) {
                let out = tls.get_mut();
                if out.write_all(&answer).is_err() || out.flush().is_err() {
                    return;
                }
            }
        });
    }
}
