//! The plain-http transport against a scripted server that answers exactly the bytes a test
//! gives it: connection reuse, servers that close kept-alive connections, every body framing,
//! and what each broken answer means (nothing sent, or in doubt).

use starpos::unversioned::transport::{post, Connection, Reply};
use starpos::Status;
use starpos::Timeouts;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

/// What the scripted server does after writing an answer.
#[derive(Clone, Copy, PartialEq)]
enum Then {
    /// Wait for the next request on the same connection.
    Keep,
    /// Close the connection.
    Close,
}

/// One request as the server saw it.
struct Seen {
    /// Which accepted connection (0, 1, …) carried it.
    connection: usize,
    head: String,
    body: Vec<u8>,
}

/// A server that answers the n-th request with `script[n]`; requests arrive on `seen`.
struct Scripted {
    url: String,
    seen: mpsc::Receiver<Seen>,
    /// The index of each connection the server has closed, once closed.
    closed: mpsc::Receiver<usize>,
}

fn read_request(stream: &mut TcpStream) -> Option<(String, Vec<u8>)> {
    let mut buf = Vec::new();
    let mut byte = [0u8; 1];
    while !buf.ends_with(b"\r\n\r\n") {
        if stream.read(&mut byte).ok()? == 0 {
            return None;
        }
        buf.push(byte[0]);
    }
    let head = String::from_utf8(buf).ok()?;
    let length: usize = head
        .lines()
        .find_map(|l| l.strip_prefix("Content-Length: "))?
        .parse()
        .ok()?;
    let mut body = vec![0; length];
    stream.read_exact(&mut body).ok()?;
    Some((head, body))
}

fn scripted(script: Vec<(Vec<u8>, Then)>) -> Scripted {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/gw/x.json", listener.local_addr().unwrap());
    let (tx, seen) = mpsc::channel();
    let (closed_tx, closed) = mpsc::channel();
    thread::spawn(move || {
        let mut script = script.into_iter();
        for (connection, stream) in listener.incoming().enumerate() {
            let mut stream = stream.unwrap();
            while let Some((head, body)) = read_request(&mut stream) {
                let _ = tx.send(Seen {
                    connection,
                    head,
                    body,
                });
                let Some((answer, then)) = script.next() else {
                    return;
                };
                // A client that stopped reading (it refused the answer) may have closed.
                let written = stream.write_all(&answer).is_ok();
                if then == Then::Close || !written {
                    break;
                }
            }
            drop(stream);
            let _ = closed_tx.send(connection);
        }
    });
    Scripted { url, seen, closed }
}

fn ok(body: &str) -> Vec<u8> {
    format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json;charset=UTF-8\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

/// POSTs `{"a":"1"}` to `url`.
fn send(url: &str, keep_alive: bool, timeouts: Timeouts) -> Result<Reply, starpos::Error> {
    post(
        url,
        br#"{"a":"1"}"#,
        "application/json;charset=UTF-8",
        timeouts,
        &Connection {
            keep_alive,
            ca_file: None,
            cancel: None,
        },
    )
}

/// One call to `server` (2 s to connect, 3 s in all); the answer's body as text.
fn call(server: &Scripted, keep_alive: bool) -> Result<String, starpos::Error> {
    let timeouts = Timeouts {
        connect: Duration::from_secs(2),
        total: Duration::from_secs(3),
    };
    let reply = send(&server.url, keep_alive, timeouts)?;
    Ok(String::from_utf8(reply.body).unwrap())
}

fn next(server: &Scripted) -> Seen {
    server.seen.recv_timeout(Duration::from_secs(5)).unwrap()
}

#[test]
fn kept_alive_calls_share_one_connection_and_one_request_is_exact() {
    let server = scripted(vec![(ok("one"), Then::Keep), (ok("two"), Then::Keep)]);
    assert_eq!(call(&server, true).unwrap(), "one");
    assert_eq!(call(&server, true).unwrap(), "two");
    let (first, second) = (next(&server), next(&server));
    assert_eq!((first.connection, second.connection), (0, 0));
    assert!(first.head.starts_with("POST /gw/x.json HTTP/1.1\r\n"));
    assert!(first.head.contains("\r\nHost: 127.0.0.1:"));
    assert!(!first.head.contains("Connection: close"));
    assert_eq!(first.body, br#"{"a":"1"}"#);
}

#[test]
fn keep_alive_off_asks_the_server_to_close_and_never_reuses() {
    let server = scripted(vec![(ok("one"), Then::Keep), (ok("two"), Then::Keep)]);
    assert_eq!(call(&server, false).unwrap(), "one");
    assert_eq!(call(&server, false).unwrap(), "two");
    let (first, second) = (next(&server), next(&server));
    assert!(first.head.contains("\r\nConnection: close\r\n"));
    assert_eq!((first.connection, second.connection), (0, 1));
}

#[test]
fn a_kept_alive_connection_the_server_closed_is_replaced_without_an_error() {
    // The server closes after each answer without saying so.
    let server = scripted(vec![(ok("one"), Then::Close), (ok("two"), Then::Keep)]);
    assert_eq!(call(&server, true).unwrap(), "one");
    // The server has closed the idle connection, as one does while a terminal sits idle
    // between sales (on loopback the FIN has arrived once close returns).
    let seen = next(&server);
    assert_eq!(server.closed.recv_timeout(Duration::from_secs(5)), Ok(0));
    assert_eq!(call(&server, true).unwrap(), "two");
    assert_eq!((seen.connection, next(&server).connection), (0, 1));
}

#[test]
fn connection_close_and_extra_bytes_end_reuse() {
    let mut extra = ok("two");
    extra.extend_from_slice(b"HTTP/1.1 200 OK\r\n");
    let closing = b"HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 3\r\n\r\none".to_vec();
    let server = scripted(vec![
        (closing, Then::Keep),
        (extra, Then::Keep),
        (ok("three"), Then::Keep),
    ]);
    assert_eq!(call(&server, true).unwrap(), "one");
    assert_eq!(call(&server, true).unwrap(), "two");
    assert_eq!(call(&server, true).unwrap(), "three");
    let connections: Vec<_> = (0..3).map(|_| next(&server).connection).collect();
    assert_eq!(connections, [0, 1, 2]);
}

#[test]
fn connection_close_ends_reuse_whatever_else_the_answer_says() {
    let http10 =
        b"HTTP/1.0 200 OK\r\nConnection: close, keep-alive\r\nContent-Length: 3\r\n\r\none"
            .to_vec();
    let two_headers = b"HTTP/1.0 200 OK\r\nConnection: close\r\nConnection: keep-alive\r\nContent-Length: 3\r\n\r\ntwo".to_vec();
    let http11 = b"HTTP/1.1 200 OK\r\nConnection: keep-alive\r\nConnection: close\r\nContent-Length: 5\r\n\r\nthree".to_vec();
    let server = scripted(vec![
        (http10, Then::Keep),
        (two_headers, Then::Keep),
        (http11, Then::Keep),
        (ok("four"), Then::Keep),
    ]);
    for body in ["one", "two", "three", "four"] {
        assert_eq!(call(&server, true).unwrap(), body);
    }
    let connections: Vec<_> = (0..4).map(|_| next(&server).connection).collect();
    assert_eq!(connections, [0, 1, 2, 3]);
}

#[test]
fn an_http10_answer_with_transfer_encoding_is_in_doubt_and_its_connection_dropped() {
    let faulty = b"HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n".to_vec();
    let server = scripted(vec![(faulty, Then::Keep), (ok("next"), Then::Keep)]);
    let e = call(&server, true).unwrap_err();
    assert_eq!(e.status(), Status::Protocol, "{e}");
    assert!(e.in_doubt(), "{e}");
    assert!(
        e.to_string()
            .contains("HTTP/1.0 answer with Transfer-Encoding"),
        "{e}"
    );
    assert_eq!(call(&server, true).unwrap(), "next");
    let connections: Vec<_> = (0..2).map(|_| next(&server).connection).collect();
    assert_eq!(connections, [0, 1]);
}

#[test]
fn chunked_interim_and_until_close_answers_are_read_whole() {
    let chunked =
        b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\n{\"a\r\n5\r\n\":\"b\"\r\n1\r\n}\r\n0\r\n\r\n"
            .to_vec();
    let until_close =
        b"HTTP/1.0 200 OK\r\nContent-Type: application/json; charset=\"GBK\"\r\n\r\n{}".to_vec();
    let server = scripted(vec![
        (chunked, Then::Keep),
        (until_close, Then::Close),
        (ok("last"), Then::Keep),
    ]);
    assert_eq!(call(&server, true).unwrap(), r#"{"a":"b"}"#);
    let reply = send(&server.url, true, Timeouts::DEFAULT).unwrap();
    assert_eq!(
        (reply.body.as_slice(), reply.charset.as_deref()),
        (&b"{}"[..], Some("GBK"))
    );
    assert_eq!(call(&server, true).unwrap(), "last");
    let connections: Vec<_> = (0..3).map(|_| next(&server).connection).collect();
    assert_eq!(connections, [0, 0, 1]);
}

#[test]
fn broken_answers_after_the_request_left_are_in_doubt() {
    for (answer, status, why) in [
        (&b""[..], Status::Protocol, "closed without an answer"),
        (
            b"HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\n{}",
            Status::Protocol,
            "closed mid-answer",
        ),
        (
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nZ\r\n",
            Status::Protocol,
            "chunk size",
        ),
        (b"SMTP ready\r\n\r\n", Status::Protocol, "status line"),
        (
            b"HTTP/1.1 200 OK\r\nContent-Length : 2\r\n\r\n{}",
            Status::Protocol,
            "not a token",
        ),
        (
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding\0: chunked\r\nContent-Length: 2\r\n\r\n{}",
            Status::Protocol,
            "not a token",
        ),
        (
            b"HTTP/1.1 503 Busy\r\nContent-Length: 0\r\n\r\n",
            Status::Http,
            "HTTP 503",
        ),
        (
            b"HTTP/1.1 200 OK\r\nContent-Length: 65537\r\n\r\n",
            Status::Protocol,
            "larger than 65536",
        ),
    ] {
        let server = scripted(vec![(answer.to_vec(), Then::Close)]);
        let e = call(&server, true).unwrap_err();
        assert_eq!(e.status(), status, "{answer:?}: {e}");
        assert!(e.to_string().contains(why), "{answer:?}: {e}");
        assert!(e.in_doubt(), "{answer:?}: {e}");
    }
}

#[test]
fn no_answer_is_a_timeout_within_the_whole_call_budget() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/x.json", listener.local_addr().unwrap());
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        // Accept and read, never answer; keep the socket open until the test ends.
        let (mut stream, _) = listener.accept().unwrap();
        let request = read_request(&mut stream);
        tx.send(request.is_some()).unwrap();
        let mut rest = Vec::new();
        let _ = stream.read_to_end(&mut rest);
    });
    let started = std::time::Instant::now();
    let e = send(
        &url,
        true,
        Timeouts {
            connect: Duration::from_millis(200),
            total: Duration::from_millis(300),
        },
    )
    .unwrap_err();
    assert_eq!(e.status(), Status::Timeout, "{e}");
    assert!(e.in_doubt());
    assert!(rx.recv().unwrap(), "the request reached the server");
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[test]
fn interim_answers_are_bounded_and_101_is_refused() {
    let endless = b"HTTP/1.1 102 Processing\r\n\r\n".repeat(1000);
    for (answer, why) in [
        (endless, "interim"),
        (b"HTTP/1.1 101 Switching Protocols\r\n\r\n".to_vec(), "101"),
    ] {
        let server = scripted(vec![(answer, Then::Close)]);
        let e = call(&server, true).unwrap_err();
        assert_eq!(e.status(), Status::Protocol, "{e}");
        assert!(e.to_string().contains(why), "{e}");
    }
}

#[test]
fn a_gbk_reason_phrase_is_no_error() {
    let mut answer = b"HTTP/1.1 200 \xb3\xc9\xb9\xa6\r\nX-Msg: \xbd\xbb\xd2\xd7\r\n".to_vec();
    answer.extend_from_slice(b"Content-Length: 2\r\n\r\n{}");
    let server = scripted(vec![(answer, Then::Keep)]);
    assert_eq!(call(&server, true).unwrap(), "{}");
}

#[test]
fn a_server_keep_alive_timeout_is_honoured() {
    // timeout=1: less the one-second margin nothing is left, so the connection is not kept.
    let short =
        b"HTTP/1.1 200 OK\r\nKeep-Alive: timeout=1\r\nContent-Length: 3\r\n\r\none".to_vec();
    let long =
        b"HTTP/1.1 200 OK\r\nKeep-Alive: timeout=30\r\nContent-Length: 3\r\n\r\ntwo".to_vec();
    let server = scripted(vec![
        (short, Then::Keep),
        (long, Then::Keep),
        (ok("three"), Then::Keep),
    ]);
    assert_eq!(call(&server, true).unwrap(), "one");
    assert_eq!(call(&server, true).unwrap(), "two");
    assert_eq!(call(&server, true).unwrap(), "three");
    let connections: Vec<_> = (0..3).map(|_| next(&server).connection).collect();
    assert_eq!(connections, [0, 1, 1]);
}

#[test]
fn a_url_base_url_would_refuse_is_invalid_and_nothing_is_sent() {
    let server = scripted(vec![(ok("fine"), Then::Keep)]);
    let base = server.url.trim_end_matches("/gw/x.json");
    for bad in [
        format!("{}\r\nX-Injected: 1", server.url),
        format!("{base}/gw/x y.json"),
        format!("{base}/gw/x\tz.json"),
        format!("{base}/gw/x.json#top"),
        format!("{base}/gw/{{x}}.json"),
        format!("{base}/gw/\u{e9}.json"),
        format!("ftp{}", base.trim_start_matches("http")),
        "http://".to_owned(),
    ] {
        let e = send(&bad, true, Timeouts::DEFAULT).unwrap_err();
        assert_eq!(e.status(), Status::InvalidArgument, "{bad:?}: {e}");
        assert!(e.to_string().contains("base_url"), "{bad:?}: {e}");
        assert!(!e.in_doubt(), "{bad:?}: {e}");
    }
    // The first request the server sees is the good one that follows.
    assert_eq!(call(&server, true).unwrap(), "fine");
    let seen = next(&server);
    assert_eq!(seen.connection, 0);
    assert!(seen.head.starts_with("POST /gw/x.json HTTP/1.1\r\n"));
    assert!(!seen.head.contains("X-Injected"));
}

#[test]
fn an_absurd_timeout_from_the_rust_api_does_not_panic() {
    let server = scripted(vec![(ok("fine"), Then::Keep)]);
    let reply = send(
        &server.url,
        true,
        Timeouts {
            connect: Duration::MAX,
            total: Duration::MAX,
        },
    )
    .unwrap();
    assert_eq!(reply.body, b"fine");
}
