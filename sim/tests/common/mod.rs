//! A tiny HTTP/1.1 client over `TcpStream` and request builders, for testing the simulator
//! over real loopback connections.
#![allow(dead_code)]

use starpos::unversioned::wire::{decode_answer, encode_request};
use starpos::Answer;
use starpos_sim::{Simulator, DEFAULT_KEY, DEFAULT_MERC_ID, DEFAULT_ORG_NO, DEFAULT_TRM_NO};
use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// An answer as received.
#[derive(Debug)]
pub struct Resp {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Resp {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn json(&self) -> serde_json::Map<String, serde_json::Value> {
        serde_json::from_slice(&self.body).expect("a JSON object")
    }

    /// Decodes and verifies with the default key.
    pub fn answer(&self) -> Result<Answer, starpos::Error> {
        decode_answer(&self.body, DEFAULT_KEY)
    }
}

/// One keep-alive connection.
pub struct Conn {
    reader: BufReader<TcpStream>,
    port: u16,
}

impl Conn {
    pub fn open(port: u16) -> Conn {
        let stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        stream.set_nodelay(true).unwrap();
        Conn {
            reader: BufReader::new(stream),
            port,
        }
    }

    pub fn stream(&self) -> &TcpStream {
        self.reader.get_ref()
    }

    pub fn send(&mut self, method: &str, path: &str, body: &[u8]) -> io::Result<()> {
        let head = format!(
            "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nContent-Type: application/json;charset=UTF-8\r\nContent-Length: {}\r\n\r\n",
            self.port,
            body.len()
        );
        let mut message = head.into_bytes();
        message.extend_from_slice(body);
        let stream = self.reader.get_mut();
        stream.write_all(&message)?;
        stream.flush()
    }

    /// Reads the status line and headers.
    pub fn read_head(&mut self) -> io::Result<(u16, Vec<(String, String)>)> {
        let mut line = String::new();
        if self.reader.read_line(&mut line)? == 0 {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "closed before the status line",
            ));
        }
        let status = line
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| {
                io::Error::new(io::ErrorKind::InvalidData, format!("status line {line:?}"))
            })?;
        let mut headers = Vec::new();
        loop {
            line.clear();
            if self.reader.read_line(&mut line)? == 0 {
                return Err(io::Error::new(
                    io::ErrorKind::UnexpectedEof,
                    "closed in the headers",
                ));
            }
            let l = line.trim_end();
            if l.is_empty() {
                break;
            }
            if let Some((n, v)) = l.split_once(':') {
                headers.push((n.trim().to_owned(), v.trim().to_owned()));
            }
        }
        Ok((status, headers))
    }

    pub fn read_response(&mut self) -> io::Result<Resp> {
        let (status, headers) = self.read_head()?;
        let length: usize = headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case("content-length"))
            .and_then(|(_, v)| v.parse().ok())
            .unwrap_or(0);
        let mut body = vec![0; length];
        self.reader.read_exact(&mut body)?;
        Ok(Resp {
            status,
            headers,
            body,
        })
    }

    /// Reads whatever comes until the server closes (or the read timeout).
    pub fn read_rest(&mut self) -> io::Result<Vec<u8>> {
        let mut rest = Vec::new();
        self.reader.read_to_end(&mut rest)?;
        Ok(rest)
    }

    pub fn post(&mut self, path: &str, body: &[u8]) -> io::Result<Resp> {
        self.send("POST", path, body)?;
        self.read_response()
    }

    pub fn call(&mut self, endpoint: &str, fields: &[(&str, &str)]) -> io::Result<Resp> {
        self.post(
            &format!("/adpweb/ehpspos3/{endpoint}.json"),
            &encode_request(fields, DEFAULT_KEY),
        )
    }
}

/// One call on a fresh connection.
///
/// A UTF-8 body with non-ASCII text declares `characterSet` `01`, as the library does (a
/// `00` over such a body is refused).
pub fn call(sim: &Simulator, endpoint: &str, fields: &[(&str, &str)]) -> Resp {
    let utf8 = fields.iter().any(|(_, v)| !v.is_ascii());
    let fields: Vec<(&str, &str)> = fields
        .iter()
        .map(|&(n, v)| match (n, v) {
            ("characterSet", "00") if utf8 => (n, "01"),
            _ => (n, v),
        })
        .collect();
    Conn::open(sim.port())
        .call(endpoint, &fields)
        .expect("an answer")
}

static SEQ: AtomicU64 = AtomicU64::new(1);

/// A number unique in this test process.
pub fn unique(prefix: &str) -> String {
    format!("{prefix}{:012}", SEQ.fetch_add(1, Ordering::Relaxed))
}

pub const TXN_TIME: &str = "20240102030405";

pub fn base() -> Vec<(&'static str, String)> {
    vec![
        ("orgNo", DEFAULT_ORG_NO.to_owned()),
        ("mercId", DEFAULT_MERC_ID.to_owned()),
        ("trmNo", DEFAULT_TRM_NO.to_owned()),
        ("txnTime", TXN_TIME.to_owned()),
        ("signType", "MD5".to_owned()),
        ("version", "V1.0.0".to_owned()),
    ]
}

pub fn pairs<'a>(fields: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    fields.iter().map(|(n, v)| (*n, v.as_str())).collect()
}

pub fn qry_fields() -> Vec<(&'static str, String)> {
    base()
}

pub fn pay_fields(code: &str, amount: &str, total: &str) -> Vec<(&'static str, String)> {
    let mut f = base();
    f.push(("code", code.to_owned()));
    f.push(("amount", amount.to_owned()));
    f.push(("total_amount", total.to_owned()));
    f
}

pub fn query_fields(qry_no: &str) -> Vec<(&'static str, String)> {
    let mut f = base();
    f.push(("opSys", "3".to_owned()));
    f.push(("characterSet", "00".to_owned()));
    f.push(("tradeNo", unique("T")));
    f.push(("qryNo", qry_no.to_owned()));
    f
}

pub fn refund_fields(order_no: &str, txn_amt: Option<&str>) -> Vec<(&'static str, String)> {
    let mut f = base();
    f.push(("opSys", "3".to_owned()));
    f.push(("characterSet", "00".to_owned()));
    f.push(("tradeNo", unique("R")));
    f.push(("orderNo", order_no.to_owned()));
    if let Some(amt) = txn_amt {
        f.push(("txnAmt", amt.to_owned()));
    }
    f
}

/// Pays `amount` of `total` with a fresh code; the verified answer.
pub fn pay(sim: &Simulator, amount: &str, total: &str) -> Answer {
    let resp = call(
        sim,
        "pubSigPay",
        &pairs(&pay_fields(&unique("code"), amount, total)),
    );
    resp.answer().expect("a verified pay answer")
}

/// Queries by `qry_no`; the verified answer.
pub fn query(sim: &Simulator, qry_no: &str) -> Result<Answer, starpos::Error> {
    call(sim, "sdkQryBarcodePay", &pairs(&query_fields(qry_no))).answer()
}

/// The common parameters of the sdk endpoints with a fresh `tradeNo`.
pub fn sdk_base() -> Vec<(&'static str, String)> {
    let mut f = base();
    f.push(("opSys", "3".to_owned()));
    f.push(("characterSet", "00".to_owned()));
    f.push(("tradeNo", unique("S")));
    f
}

/// An `sdkBarcodePay` request for `auth_code` (its last digit picks the payer's behaviour).
pub fn barcode_fields(auth_code: &str, amount: &str, total: &str) -> Vec<(&'static str, String)> {
    let mut f = sdk_base();
    f.push(("authCode", auth_code.to_owned()));
    f.push(("payChannel", "WXPAY".to_owned()));
    f.push(("amount", amount.to_owned()));
    f.push(("total_amount", total.to_owned()));
    f
}

/// An `sdkBarcodePosPay` request.
pub fn qr_fields(amount: &str, total: &str) -> Vec<(&'static str, String)> {
    let mut f = sdk_base();
    f.push(("payChannel", "ALIPAY".to_owned()));
    f.push(("amount", amount.to_owned()));
    f.push(("total_amount", total.to_owned()));
    f
}

/// A fresh WeChat-shaped payment code (18 digits from `13`) ending in `last`.
pub fn auth_code(last: char) -> String {
    let n = unique("");
    format!("13{:015}{last}", n.parse::<u64>().unwrap_or(0))
}

/// The value of `name` in `fields`.
pub fn field<'a>(fields: &'a [(&'static str, String)], name: &str) -> &'a str {
    fields
        .iter()
        .find(|(n, _)| *n == name)
        .map_or("", |(_, v)| v.as_str())
}

/// Sets (or adds) `name` in `fields`.
pub fn set(fields: &mut Vec<(&'static str, String)>, name: &'static str, value: &str) {
    match fields.iter_mut().find(|(n, _)| *n == name) {
        Some(f) => f.1 = value.to_owned(),
        None => fields.push((name, value.to_owned())),
    }
}

/// Removes `name` from `fields`.
pub fn unset(fields: &mut Vec<(&'static str, String)>, name: &str) {
    fields.retain(|(n, _)| *n != name);
}

/// Queries `qry_no` with `version`; the verified answer.
pub fn query_version(sim: &Simulator, qry_no: &str, version: &str) -> Answer {
    let mut f = query_fields(qry_no);
    set(&mut f, "version", version);
    call(sim, "sdkQryBarcodePay", &pairs(&f))
        .answer()
        .expect("a verified query answer")
}
