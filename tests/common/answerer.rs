//! A gateway in a closure: a loopback HTTP server that reads each request's JSON and answers
//! with the fields a test computes from it, signed with the simulator's default key the way
//! the gateway signs. For answers no honest gateway gives (another request's, a result beside a
//! refusal, every field at its maximum) on every endpoint.

use serde_json::{Map, Value};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::thread;

/// Answers with the fields `answer` returns for (endpoint, request fields).
pub type AnswerFn = dyn Fn(&str, &Map<String, Value>) -> Vec<(String, String)> + Send + Sync;

/// A running answerer: its base URL and how many requests it has read.
pub struct Answerer {
    /// `http://127.0.0.1:PORT/gw/`.
    pub base_url: String,
    requests: Arc<AtomicUsize>,
}

impl Answerer {
    /// Requests read so far.
    pub fn requests(&self) -> usize {
        self.requests.load(Ordering::SeqCst)
    }
}

/// Starts an answerer (it lives until the test process ends).
pub fn answerer(
    answer: impl Fn(&str, &Map<String, Value>) -> Vec<(String, String)> + Send + Sync + 'static,
) -> Answerer {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
    let base_url = format!("http://{}/gw/", listener.local_addr().expect("address"));
    let requests = Arc::new(AtomicUsize::new(0));
    let count = requests.clone();
    let answer: Arc<AnswerFn> = Arc::new(answer);
    thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(stream) = stream else { continue };
            let (count, answer) = (count.clone(), answer.clone());
            thread::spawn(move || {
                let mut reader = BufReader::new(stream);
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let endpoint = line
                        .split_whitespace()
                        .nth(1)
                        .and_then(|path| path.rsplit('/').next())
                        .and_then(|name| name.strip_suffix(".json"))
                        .unwrap_or("")
                        .to_owned();
                    let mut length = 0;
                    loop {
                        let mut header = String::new();
                        if reader.read_line(&mut header).unwrap_or(0) == 0 {
                            return;
                        }
                        if header == "\r\n" {
                            break;
                        }
                        if let Some((name, value)) = header.split_once(':') {
                            if name.eq_ignore_ascii_case("content-length") {
                                length = value.trim().parse().unwrap_or(0);
                            }
                        }
                    }
                    let mut body = vec![0; length];
                    if reader.read_exact(&mut body).is_err() {
                        return;
                    }
                    count.fetch_add(1, Ordering::SeqCst);
                    let request: Map<String, Value> =
                        serde_json::from_slice(&body).unwrap_or_default();
                    let fields = answer(&endpoint, &request);
                    let pairs: Vec<(&str, &str)> = fields
                        .iter()
                        .map(|(n, v)| (n.as_str(), v.as_str()))
                        .collect();
                    let body =
                        starpos::unversioned::wire::encode_answer(&pairs, starpos_sim::DEFAULT_KEY);
                    let head = format!(
                        "HTTP/1.1 200 OK\r\nContent-Type: application/json;charset=UTF-8\r\n\
                         Content-Length: {}\r\n\r\n",
                        body.len()
                    );
                    let stream = reader.get_mut();
                    if stream.write_all(head.as_bytes()).is_err()
                        || stream.write_all(&body).is_err()
                    {
                        return;
                    }
                }
            });
        }
    });
    Answerer { base_url, requests }
}

/// The text of a request field ("" when absent).
pub fn field<'a>(request: &'a Map<String, Value>, name: &str) -> &'a str {
    request.get(name).and_then(Value::as_str).unwrap_or("")
}
