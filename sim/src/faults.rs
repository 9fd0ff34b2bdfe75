//! Fault injection: answers that go wrong on purpose, on the real socket.
//!
//! Every fault first lets the request be processed exactly as without it (it is logged, a
//! payment creates its order and uses up its code, a refund is booked) and only then spoils
//! the answer. So a faulty `pubSigPay` leaves an order behind that only a query can reveal:
//! that is what makes its outcome "in doubt" for the client.

use crate::codes::{self, Refusal};
use crate::handlers::{Endpoint, Reply};
use crate::{gbk, lock, sock, stale, Shared};
use serde_json::{Map, Value};
use starpos::sign::{md5_hex, sign, SIGN_VALUE};
use std::io::Write;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;
use tiny_http::Request;

/// The `Content-Type` of every JSON answer.
pub(crate) const JSON_TYPE: &str = "application/json;charset=UTF-8";

/// A way for the next answer(s) to go wrong. The names in brackets are the ones
/// `POST /_sim/fault` takes (see the crate documentation).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Fault {
    /// (`never_answer`) Read the request, never write anything; the connection stays open
    /// until the simulator shuts down.
    NeverAnswer,
    /// (`stall_after_headers`) Send the status line and headers, with the `Content-Length` of
    /// the real answer, then nothing until shutdown.
    StallAfterHeaders,
    /// (`close_mid_body`) Send the headers with `Content-Length` N and the first N/2 bytes of the
    /// real answer, then close the connection (Linux only; elsewhere it stalls instead).
    CloseMidBody,
    /// (`http`, `"status"`, default 500) Answer with this HTTP status and a small HTML body.
    Http(u16),
    /// (`empty_body`) HTTP 200, JSON content type, `Content-Length: 0`.
    EmptyBody,
    /// (`not_json`) HTTP 200, JSON content type, an HTML page for a body.
    NotJson,
    /// (`json_array`) HTTP 200, the real answer wrapped in `[` `]`.
    JsonArray,
    /// (`huge_body`, `"bytes"`, default 8 MiB) HTTP 200 with `Content-Length` of this many bytes
    /// streamed in chunks: `{"returnCode":"000000","message":"xxx…"}` padded to the size.
    HugeBody(usize),
    /// (`wrong_signature`) The real answer with a `signValue` that does not match it.
    WrongSignature,
    /// (`missing_signature`) The real answer without `signValue`.
    MissingSignature,
    /// (`unsigned_refusal`) A refusal ([`codes::SYSTEM_BUSY`], "系统繁忙") without `signValue`,
    /// in place of the real answer.
    UnsignedRefusal,
    /// (`missing_fields`) The real answer, signed, without the endpoint's key fields: `appId`,
    /// `appIdKey` (pubSigQry); `logNo`, `result`, `orderNo`, `PrepayId`, `apiPackage`,
    /// `apiPaysign` (pubSigPay); `logNo`, `result`, `orderNo` (sdkQryBarcodePay); `logNo`,
    /// `result`, `txnAmt` (sdkRefundBarcodePay); `LogNo`, `result`, `amount` (RevokeBarcodepay).
    MissingFields,
    /// (`overlong_fields`) The real answer, signed, with one field 500 characters long: `appId`
    /// (pubSigQry), `PrepayId` (pubSigPay), `orderNo` (sdkQryBarcodePay), `logNo`
    /// (sdkRefundBarcodePay), `LogNo` (RevokeBarcodepay).
    OverlongFields,
    /// (`gbk_body`) The real answer, signed over its UTF-8 text as usual, but with `message` not
    /// percent-encoded and the whole body sent in GBK (`Content-Type:
    /// application/json;charset=GBK`), so the body is not UTF-8.
    GbkBody,
    /// (`broken_percent`) The real answer with `message` = `%E4%BA%` (a cut escape), signed over
    /// that text as it stands.
    BrokenPercent,
    /// (`slow_trickle`, `"byte_every_ms"`, default 10) The real answer, status line and headers
    /// included, one byte at a time with this many milliseconds between bytes.
    SlowTrickle {
        /// Milliseconds between two bytes.
        byte_every_ms: u64,
    },
    /// (`stale`) A correctly signed answer that belongs to another request of the same
    /// endpoint: the answer the simulator last made on that endpoint when it was for another
    /// request (another `tradeNo`; for `pubSigQry`/`pubSigPay` another body), else this
    /// request's answer made into another's: a different `tradeNo` (sdk endpoints); for
    /// `pubSigPay` a different `logNo` (and `orderNo` with it), `amount` + 1 and another
    /// `selOrderNo`; for `pubSigQry` a `sysTime` a day earlier and another `attach`.
    Stale,
    /// (`mismatched_amount`) This request's real answer with `amount` (refund: `txnAmt`) one
    /// fen higher, correctly re-signed. An answer without that field goes out unchanged.
    MismatchedAmount,
    /// (`delay`, `"ms"`, default 1000) The real answer, whole, after holding it this many
    /// milliseconds (the request was processed before the wait).
    Delay {
        /// Milliseconds to hold the answer.
        ms: u64,
    },
    /// (`busy`) A signed refusal ([`codes::SYSTEM_BUSY`], "系统繁忙") that echoes the request's
    /// `tradeNo`, in place of the real answer: the gateway's own word, bound to the request,
    /// that says nothing of the order.
    Busy,
    /// (`unbound_refusal`) The same signed "busy" refusal without `tradeNo`, as a stale
    /// refusal of another request looks.
    UnboundRefusal,
    /// (`long_message`, `"chars"`, default 150) The real answer, signed, with `message` this
    /// many characters long (its documented maximum is 100).
    LongMessage(usize),
    /// (`result`, `"letter"`, default `S`) The real answer, signed, with this `result` letter
    /// (one the endpoint may not document).
    Result(char),
    /// (`echo_secrets`) In place of the real answer, a signed refusal ([`codes::CODE_USED`])
    /// whose `message` echoes what the request carried: its `authCode`, OAuth `code` and
    /// `openid` (those it had) and the real answer's `logNo`, as some gateways word a refusal.
    EchoSecrets,
}

/// Every fault name `POST /_sim/fault` accepts (`none` clears the pending faults).
pub const FAULT_NAMES: [&str; 24] = [
    "never_answer",
    "stall_after_headers",
    "close_mid_body",
    "http",
    "empty_body",
    "not_json",
    "json_array",
    "huge_body",
    "wrong_signature",
    "missing_signature",
    "unsigned_refusal",
    "missing_fields",
    "overlong_fields",
    "gbk_body",
    "broken_percent",
    "slow_trickle",
    "stale",
    "mismatched_amount",
    "delay",
    "busy",
    "unbound_refusal",
    "long_message",
    "result",
    "echo_secrets",
];

impl Fault {
    /// The fault's name, as `POST /_sim/fault` takes it.
    pub fn name(&self) -> &'static str {
        match self {
            Fault::NeverAnswer => "never_answer",
            Fault::StallAfterHeaders => "stall_after_headers",
            Fault::CloseMidBody => "close_mid_body",
            Fault::Http(_) => "http",
            Fault::EmptyBody => "empty_body",
            Fault::NotJson => "not_json",
            Fault::JsonArray => "json_array",
            Fault::HugeBody(_) => "huge_body",
            Fault::WrongSignature => "wrong_signature",
            Fault::MissingSignature => "missing_signature",
            Fault::UnsignedRefusal => "unsigned_refusal",
            Fault::MissingFields => "missing_fields",
            Fault::OverlongFields => "overlong_fields",
            Fault::GbkBody => "gbk_body",
            Fault::BrokenPercent => "broken_percent",
            Fault::SlowTrickle { .. } => "slow_trickle",
            Fault::Stale => "stale",
            Fault::MismatchedAmount => "mismatched_amount",
            Fault::Delay { .. } => "delay",
            Fault::Busy => "busy",
            Fault::UnboundRefusal => "unbound_refusal",
            Fault::LongMessage(_) => "long_message",
            Fault::Result(_) => "result",
            Fault::EchoSecrets => "echo_secrets",
        }
    }

    /// The fault called `name`, its parameter taken from `params` (`status` for `http`,
    /// `bytes` for `huge_body`, `byte_every_ms` for `slow_trickle`, `ms` for `delay`; numbers or
    /// digit strings).
    pub fn from_name(name: &str, params: &Map<String, Value>) -> Result<Fault, String> {
        let number = |field: &str, default: u64| -> Result<u64, String> {
            match params.get(field) {
                None | Some(Value::Null) => Ok(default),
                Some(Value::Number(n)) => n
                    .as_u64()
                    .ok_or_else(|| format!("{field} must be a whole number")),
                Some(Value::String(s)) => s
                    .parse()
                    .map_err(|_| format!("{field} must be a whole number")),
                Some(_) => Err(format!("{field} must be a whole number")),
            }
        };
        Ok(match name {
            "never_answer" => Fault::NeverAnswer,
            "stall_after_headers" => Fault::StallAfterHeaders,
            "close_mid_body" => Fault::CloseMidBody,
            "http" => {
                let status = number("status", 500)?;
                match u16::try_from(status) {
                    Ok(s @ 100..=999) => Fault::Http(s),
                    _ => return Err("status must be 100 to 999".to_owned()),
                }
            }
            "empty_body" => Fault::EmptyBody,
            "not_json" => Fault::NotJson,
            "json_array" => Fault::JsonArray,
            "huge_body" => {
                let bytes = number("bytes", 8 << 20)?;
                Fault::HugeBody(
                    usize::try_from(bytes).map_err(|_| "bytes is too large".to_owned())?,
                )
            }
            "wrong_signature" => Fault::WrongSignature,
            "missing_signature" => Fault::MissingSignature,
            "unsigned_refusal" => Fault::UnsignedRefusal,
            "missing_fields" => Fault::MissingFields,
            "overlong_fields" => Fault::OverlongFields,
            "gbk_body" => Fault::GbkBody,
            "broken_percent" => Fault::BrokenPercent,
            "slow_trickle" => Fault::SlowTrickle {
                byte_every_ms: number("byte_every_ms", 10)?,
            },
            "stale" => Fault::Stale,
            "mismatched_amount" => Fault::MismatchedAmount,
            "delay" => Fault::Delay {
                ms: number("ms", 1000)?,
            },
            "busy" => Fault::Busy,
            "unbound_refusal" => Fault::UnboundRefusal,
            "long_message" => Fault::LongMessage(
                usize::try_from(number("chars", 150)?).map_err(|_| "chars is too large")?,
            ),
            "result" => match params.get("letter") {
                None | Some(Value::Null) => Fault::Result('S'),
                Some(Value::String(s)) if s.chars().count() == 1 => {
                    Fault::Result(s.chars().next().unwrap_or('S'))
                }
                Some(_) => return Err("letter must be one character".to_owned()),
            },
            "echo_secrets" => Fault::EchoSecrets,
            other => {
                return Err(format!(
                    "unknown fault {other:?}; known: {}",
                    FAULT_NAMES.join(", ")
                ))
            }
        })
    }
}

/// A pending fault: for the next `remaining` requests to `endpoint` (any endpoint when `None`).
#[derive(Clone, Debug)]
pub(crate) struct Rule {
    pub endpoint: Option<String>,
    pub remaining: usize,
    pub fault: Fault,
}

/// Takes the fault for a request to `endpoint`: the first pending rule that matches.
pub(crate) fn take(rules: &mut Vec<Rule>, endpoint: &str) -> Option<Fault> {
    let at = rules
        .iter()
        .position(|r| r.remaining > 0 && r.endpoint.as_deref().is_none_or(|e| e == endpoint))?;
    let rule = &mut rules[at];
    rule.remaining -= 1;
    let fault = rule.fault.clone();
    if rule.remaining == 0 {
        rules.remove(at);
    }
    Some(fault)
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        413 => "Payload Too Large",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Status",
    }
}

/// The status line and headers of a raw answer.
fn head(status: u16, content_type: &str, length: usize) -> Vec<u8> {
    format!(
        "HTTP/1.1 {status} {}\r\nContent-Type: {content_type}\r\nContent-Length: {length}\r\n\r\n",
        reason(status)
    )
    .into_bytes()
}

/// Sends a complete answer through tiny_http.
pub(crate) fn respond(request: Request, status: u16, content_type: &str, body: Vec<u8>) {
    let mut response = tiny_http::Response::from_data(body).with_status_code(status);
    if let Ok(header) = tiny_http::Header::from_bytes(&b"Content-Type"[..], content_type.as_bytes())
    {
        response.add_header(header);
    }
    // The client may be gone; nothing to do about it.
    let _ = request.respond(response);
}

/// A JSON body from fields as they are (no encoding of `message`), with `signValue` if given.
fn raw_json(reply: &Reply, signature: Option<&str>) -> String {
    let mut map: Map<String, Value> = reply
        .fields
        .iter()
        .map(|(n, v)| (n.clone(), Value::String(v.clone())))
        .collect();
    if let Some(signature) = signature {
        map.insert(SIGN_VALUE.to_owned(), Value::String(signature.to_owned()));
    }
    serde_json::to_string(&map).unwrap_or_default()
}

/// What [`Fault::EchoSecrets`] says: the request's secrets, as a careless gateway echoes them.
pub(crate) fn echoed_secrets(fields: &Map<String, Value>) -> String {
    ["authCode", "code", "openid"]
        .iter()
        .filter_map(|name| {
            let value = fields.get(*name)?.as_str().filter(|v| !v.is_empty())?;
            Some(format!("{name} {value}"))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Sends `reply` for a request to `endpoint`, spoiled by `fault` if there is one. `previous`
/// is the last answer made on this endpoint for another request (for [`Fault::Stale`]);
/// `echoed` is [`echoed_secrets`] of the request (for [`Fault::EchoSecrets`]).
pub(crate) fn send(
    shared: &Arc<Shared>,
    request: Request,
    endpoint: Endpoint,
    mut reply: Reply,
    fault: Option<Fault>,
    previous: Option<Reply>,
    echoed: String,
) {
    let key = shared.config.key.as_str();
    let Some(fault) = fault else {
        return respond(request, 200, JSON_TYPE, reply.body(key));
    };
    match fault {
        Fault::NeverAnswer => park(shared, request.into_writer()),
        Fault::StallAfterHeaders => {
            let mut writer = request.into_writer();
            let _ = writer.write_all(&head(200, JSON_TYPE, reply.body(key).len()));
            let _ = writer.flush();
            park(shared, writer);
        }
        Fault::CloseMidBody => {
            let peer = request.remote_addr().copied();
            let body = reply.body(key);
            let mut writer = request.into_writer();
            let _ = writer.write_all(&head(200, JSON_TYPE, body.len()));
            let _ = writer.write_all(&body[..body.len() / 2]);
            let _ = writer.flush();
            if peer.is_some() && sock::shutdown_connections(shared.local, peer) > 0 {
                drop(writer);
            } else {
                park(shared, writer);
            }
        }
        Fault::Http(status) => {
            let page = format!(
                "<html><body><h1>{status} {}</h1></body></html>",
                reason(status)
            );
            respond(
                request,
                status,
                "text/html;charset=UTF-8",
                page.into_bytes(),
            );
        }
        Fault::EmptyBody => respond(request, 200, JSON_TYPE, Vec::new()),
        Fault::NotJson => {
            let page = "<html><body>Service Temporarily Unavailable</body></html>";
            respond(request, 200, JSON_TYPE, page.as_bytes().to_vec());
        }
        Fault::JsonArray => {
            let mut body = b"[".to_vec();
            body.extend_from_slice(&reply.body(key));
            body.push(b']');
            respond(request, 200, JSON_TYPE, body);
        }
        Fault::HugeBody(bytes) => {
            let writer = request.into_writer();
            spawn(shared, move |shared| stream_huge(&shared, writer, bytes));
        }
        Fault::WrongSignature => {
            let right = sign(reply.pairs(), key);
            let wrong = md5_hex(format!("not {right}").as_bytes());
            let mut plain = reply.clone();
            plain.set(
                "message",
                &starpos::unversioned::percent::encode(reply.get("message").unwrap_or("")),
            );
            respond(
                request,
                200,
                JSON_TYPE,
                raw_json(&plain, Some(&wrong)).into_bytes(),
            );
        }
        Fault::Busy | Fault::UnboundRefusal => {
            let busy = Refusal::new(
                codes::SYSTEM_BUSY,
                "系统繁忙,请稍后再试: the gateway is busy",
            );
            let mut refusal = Reply::refusal(&busy, Some(&shared.config.merc_id), true);
            // The gateway's clock, as the real answer had it (moved by `Simulator::advance`).
            if let Some(sys_time) = reply.get("sysTime") {
                refusal.set("sysTime", sys_time);
            }
            if fault == Fault::Busy {
                if let Some(trade_no) = reply.get("tradeNo") {
                    refusal.set("tradeNo", trade_no);
                }
            }
            respond(request, 200, JSON_TYPE, refusal.body(key));
        }
        Fault::LongMessage(chars) => {
            reply.set("message", &"长".repeat(chars));
            respond(request, 200, JSON_TYPE, reply.body(key));
        }
        Fault::Result(letter) => {
            reply.set("result", &letter.to_string());
            respond(request, 200, JSON_TYPE, reply.body(key));
        }
        Fault::MissingSignature => {
            reply.signed = false;
            respond(request, 200, JSON_TYPE, reply.body(key));
        }
        Fault::UnsignedRefusal => {
            let refusal = Refusal::new(
                codes::SYSTEM_BUSY,
                "系统繁忙,请稍后再试: the gateway is busy",
            );
            let mut refusal = Reply::refusal(&refusal, Some(&shared.config.merc_id), false);
            if let Some(sys_time) = reply.get("sysTime") {
                refusal.set("sysTime", sys_time);
            }
            respond(request, 200, JSON_TYPE, refusal.body(key));
        }
        Fault::EchoSecrets => {
            let mut message = format!("付款码已被使用: {echoed} already used");
            if let Some(log_no) = reply.get("logNo") {
                message.push_str(&format!(" (logNo {log_no})"));
            }
            let refusal = Refusal::new(codes::CODE_USED, message);
            let mut refusal = Reply::refusal(&refusal, Some(&shared.config.merc_id), true);
            if let Some(trade_no) = reply.get("tradeNo") {
                refusal.set("tradeNo", trade_no);
            }
            respond(request, 200, JSON_TYPE, refusal.body(key));
        }
        Fault::MissingFields => {
            for name in endpoint.key_fields() {
                reply.remove(name);
            }
            respond(request, 200, JSON_TYPE, reply.body(key));
        }
        Fault::OverlongFields => {
            let field = endpoint.overlong_field();
            let filler = if field == "appId" { "x" } else { "9" };
            reply.set(field, &filler.repeat(500));
            respond(request, 200, JSON_TYPE, reply.body(key));
        }
        Fault::GbkBody => {
            let signature = reply.signed.then(|| sign(reply.pairs(), key));
            let body = gbk::encode(&raw_json(&reply, signature.as_deref()));
            respond(request, 200, "application/json;charset=GBK", body);
        }
        Fault::BrokenPercent => {
            reply.set("message", "%E4%BA%");
            let signature = reply.signed.then(|| sign(reply.pairs(), key));
            respond(
                request,
                200,
                JSON_TYPE,
                raw_json(&reply, signature.as_deref()).into_bytes(),
            );
        }
        Fault::Stale => {
            let mut stale = previous.unwrap_or_else(|| stale::disguise(endpoint, reply));
            stale.signed = true;
            respond(request, 200, JSON_TYPE, stale.body(key));
        }
        Fault::MismatchedAmount => {
            let field = if endpoint == Endpoint::Refund {
                "txnAmt"
            } else {
                "amount"
            };
            if let Some(amount) = reply.get(field).and_then(|a| a.parse::<u64>().ok()) {
                reply.set(field, &amount.saturating_add(1).to_string());
            }
            respond(request, 200, JSON_TYPE, reply.body(key));
        }
        Fault::Delay { ms } => {
            let body = reply.body(key);
            spawn(shared, move |shared| {
                if pause(&shared, Duration::from_millis(ms)) {
                    respond(request, 200, JSON_TYPE, body);
                } else {
                    // Stopping: dropping the request would make tiny_http answer 500.
                    park(&shared, request.into_writer());
                }
            });
        }
        Fault::SlowTrickle { byte_every_ms } => {
            let body = reply.body(key);
            let mut bytes = head(200, JSON_TYPE, body.len());
            bytes.extend_from_slice(&body);
            let writer = request.into_writer();
            spawn(shared, move |shared| {
                trickle(&shared, writer, &bytes, byte_every_ms)
            });
        }
    }
}

/// Keeps a response writer (and so its connection) until shutdown.
fn park(shared: &Shared, writer: Box<dyn Write + Send>) {
    lock(&shared.parked).push(writer);
}

/// Runs `work` on its own thread, joined at shutdown.
fn spawn(shared: &Arc<Shared>, work: impl FnOnce(Arc<Shared>) + Send + 'static) {
    let for_thread = Arc::clone(shared);
    let spawned = std::thread::Builder::new()
        .name("starpos-sim-fault".to_owned())
        .spawn(move || work(for_thread));
    if let Ok(handle) = spawned {
        lock(&shared.threads).push(handle);
    }
}

fn stream_huge(shared: &Shared, mut writer: Box<dyn Write + Send>, bytes: usize) {
    const PREFIX: &[u8] = b"{\"returnCode\":\"000000\",\"message\":\"";
    const SUFFIX: &[u8] = b"\"}";
    const CHUNK: usize = 64 * 1024;
    if writer.write_all(&head(200, JSON_TYPE, bytes)).is_err() {
        return;
    }
    let framed = bytes >= PREFIX.len() + SUFFIX.len();
    let mut left = bytes;
    if framed {
        if writer.write_all(PREFIX).is_err() {
            return;
        }
        left -= PREFIX.len() + SUFFIX.len();
    }
    let filler = vec![b'x'; CHUNK];
    while left > 0 {
        if shared.stop.load(Ordering::Relaxed) {
            return;
        }
        let n = left.min(CHUNK);
        if writer.write_all(&filler[..n]).is_err() {
            return;
        }
        left -= n;
    }
    if framed {
        let _ = writer.write_all(SUFFIX);
    }
    let _ = writer.flush();
}

fn trickle(shared: &Shared, mut writer: Box<dyn Write + Send>, bytes: &[u8], every_ms: u64) {
    for byte in bytes {
        if shared.stop.load(Ordering::Relaxed) {
            return;
        }
        if writer
            .write_all(std::slice::from_ref(byte))
            .and_then(|()| writer.flush())
            .is_err()
        {
            return;
        }
        pause(shared, Duration::from_millis(every_ms));
    }
}

/// Sleeps for `total`, in short naps so that shutdown is not held up. False when the
/// simulator began to stop before the time was up.
fn pause(shared: &Shared, total: Duration) -> bool {
    const NAP: Duration = Duration::from_millis(10);
    let mut left = total;
    while !left.is_zero() {
        if shared.stop.load(Ordering::Relaxed) {
            return false;
        }
        let nap = left.min(NAP);
        std::thread::sleep(nap);
        left -= nap;
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        let params = Map::new();
        for name in FAULT_NAMES {
            assert_eq!(Fault::from_name(name, &params).unwrap().name(), name);
        }
        assert!(Fault::from_name("nope", &params).is_err());
        let mut params = Map::new();
        params.insert("status".into(), Value::from(502));
        assert_eq!(Fault::from_name("http", &params).unwrap(), Fault::Http(502));
        params.insert("status".into(), Value::from("abc"));
        assert!(Fault::from_name("http", &params).is_err());
    }

    #[test]
    fn rules_are_taken_in_order_and_scoped() {
        let mut rules = vec![
            Rule {
                endpoint: Some("pubSigPay".into()),
                remaining: 2,
                fault: Fault::EmptyBody,
            },
            Rule {
                endpoint: None,
                remaining: 1,
                fault: Fault::NotJson,
            },
        ];
        assert_eq!(take(&mut rules, "pubSigQry"), Some(Fault::NotJson));
        assert_eq!(take(&mut rules, "pubSigQry"), None);
        assert_eq!(take(&mut rules, "pubSigPay"), Some(Fault::EmptyBody));
        assert_eq!(take(&mut rules, "pubSigPay"), Some(Fault::EmptyBody));
        assert_eq!(take(&mut rules, "pubSigPay"), None);
        assert!(rules.is_empty());
    }
}
