//! Routing: the gateway endpoints under [`BASE_PATH`], the `/_sim/` control surface, 404 for
//! the rest.

use crate::faults::{self, respond, Fault, Rule, JSON_TYPE};
use crate::handlers::{self, Endpoint};
use crate::orders::Order;
use crate::{lock, sock, stale, Received, Shared};
use serde_json::{json, Map, Value};
use std::io::Read;
use std::sync::Arc;
use tiny_http::{Method, Request};

/// The path every gateway endpoint lives under.
pub const BASE_PATH: &str = "/adpweb/ehpspos3/";

/// The largest request body accepted; a longer one is answered 413.
pub const MAX_BODY: usize = 64 * 1024;

/// A declared body beyond this is not even drained: tiny_http would allocate the declared
/// size to throw it away, so the connection is closed instead.
const MAX_DRAIN: usize = 64 << 20;

/// Serves one request.
pub(crate) fn serve(shared: &Arc<Shared>, request: Request) {
    let path = request.url().split('?').next().unwrap_or("").to_owned();
    if let Some(command) = path.strip_prefix("/_sim/") {
        return control(shared, request, command);
    }
    let Some(name) = path
        .strip_prefix(BASE_PATH)
        .and_then(|rest| rest.strip_suffix(".json"))
    else {
        return not_found(request);
    };
    if name.is_empty() || name.contains('/') {
        return not_found(request);
    }
    if *request.method() != Method::Post {
        return respond(
            request,
            405,
            "text/plain;charset=UTF-8",
            b"only POST is served".to_vec(),
        );
    }
    let Some((request, body)) = read_body(shared, request) else {
        return;
    };
    let Some(endpoint) = Endpoint::from_name(name) else {
        log(shared, name, Map::new(), body);
        return not_found(request);
    };
    let handled = handlers::handle(endpoint, &body, &shared.config, &shared.book);
    let identity = stale::identity(&handled.fields, &body);
    let previous = stale::remember(shared, endpoint, identity, &handled.reply);
    let echoed = faults::echoed_secrets(&handled.fields);
    log(shared, name, handled.fields, body);
    let fault = faults::take(&mut lock(&shared.faults), name);
    faults::send(
        shared,
        request,
        endpoint,
        handled.reply,
        fault,
        previous,
        echoed,
    );
}

/// Reads the body, at most [`MAX_BODY`] bytes. `None` when the request has been dealt with
/// (413, or a body that could not be read).
fn read_body(shared: &Arc<Shared>, mut request: Request) -> Option<(Request, Vec<u8>)> {
    let declared = request.body_length();
    if let Some(length) = declared.filter(|l| *l > MAX_BODY) {
        if length > MAX_DRAIN {
            if let Some(peer) = request.remote_addr().copied() {
                sock::shutdown_connections(shared.local, Some(peer));
            }
            // Dropping the request would make tiny_http allocate `length` bytes.
            std::mem::forget(request);
        } else {
            too_large(shared, request);
        }
        return None;
    }
    let mut body = Vec::new();
    let limit = MAX_BODY as u64 + 1;
    if request
        .as_reader()
        .take(limit)
        .read_to_end(&mut body)
        .is_err()
    {
        return None;
    }
    if body.len() > MAX_BODY {
        too_large(shared, request);
        return None;
    }
    Some((request, body))
}

/// Answers 413 on a thread of its own: tiny_http then reads and discards the rest of the
/// body, which may take as long as the client takes to send it.
fn too_large(shared: &Arc<Shared>, request: Request) {
    let page = format!("request body larger than {MAX_BODY} bytes").into_bytes();
    let spawned = std::thread::Builder::new()
        .name("starpos-sim-413".to_owned())
        .spawn(move || respond(request, 413, "text/plain;charset=UTF-8", page));
    if let Ok(handle) = spawned {
        lock(&shared.threads).push(handle);
    }
}

fn not_found(request: Request) {
    respond(
        request,
        404,
        "text/plain;charset=UTF-8",
        b"not found".to_vec(),
    );
}

/// Logs a request, its `authCode` masked (in the fields and in the body).
fn log(shared: &Shared, endpoint: &str, mut fields: Map<String, Value>, mut body: Vec<u8>) {
    if let Some(code) = fields.get_mut(AUTH_CODE) {
        *code = Value::String(mask(&code.to_string()));
    }
    mask_in_body(&mut body);
    lock(&shared.log).push(Received {
        endpoint: endpoint.to_owned(),
        fields,
        body,
    });
}

/// The scanned payment code's field: never logged or listed.
const AUTH_CODE: &str = "authCode";

/// Stars in place of a secret (as many as its characters, quotes of a JSON string left out).
fn mask(secret: &str) -> String {
    "*".repeat(secret.trim_matches('"').chars().count())
}

/// Overwrites with `*` the value of every `"authCode"` member in a JSON body (string or bare
/// value), keeping the body's length.
fn mask_in_body(body: &mut [u8]) {
    let key = b"\"authCode\"";
    let mut from = 0;
    while let Some(at) = body[from..]
        .windows(key.len())
        .position(|w| w == key)
        .map(|p| p + from)
    {
        let mut i = at + key.len();
        while i < body.len() && (body[i].is_ascii_whitespace() || body[i] == b':') {
            i += 1;
        }
        if body.get(i) == Some(&b'"') {
            i += 1;
            let mut escaped = false;
            while i < body.len() && (escaped || body[i] != b'"') {
                escaped = !escaped && body[i] == b'\\';
                body[i] = b'*';
                i += 1;
            }
        } else {
            while i < body.len()
                && !matches!(body[i], b',' | b'}' | b']')
                && !body[i].is_ascii_whitespace()
            {
                body[i] = b'*';
                i += 1;
            }
        }
        from = i.max(at + 1);
    }
}

/// An order as the control surface lists it (never a barcode sale's `authCode`).
pub(crate) fn order_json(order: &Order) -> Value {
    json!({
        "endpoint": order.kind.endpoint(),
        "tradeNo": order.trade_no,
        "payChannel": order.pay_channel,
        "payCode": order.pay_code,
        "authCodePays": order.auth_code_pays,
        "expired": order.expired,
        "state": order.state.to_string(),
        "logNo": order.log_no,
        "orderNo": order.order_no,
        "channelOrderNo": order.channel_order_no,
        "amount": order.amount,
        "total_amount": order.total_amount,
        "refunded": order.refunded,
        "refunds": order.refunds.iter().map(|r| json!({
            "logNo": r.log_no, "tradeNo": r.trade_no, "amount": r.amount,
        })).collect::<Vec<_>>(),
        "subject": order.subject,
        "addField": order.add_field,
        "selOrderNo": order.sel_order_no,
        "goodsTag": order.goods_tag,
        "attach": order.attach,
        "code": order.code,
        "openid": order.openid,
        "trmNo": order.trm_no,
        "PrepayId": order.prepay_id,
    })
}

fn answer_json(request: Request, status: u16, value: &Value) {
    respond(
        request,
        status,
        JSON_TYPE,
        serde_json::to_vec(value).unwrap_or_default(),
    );
}

fn refuse(request: Request, status: u16, error: &str) {
    answer_json(request, status, &json!({ "ok": false, "error": error }));
}

/// The `/_sim/` control surface (see the crate documentation).
fn control(shared: &Arc<Shared>, request: Request, command: &str) {
    let method = request.method().clone();
    match (method, command) {
        (Method::Get, "orders") => {
            let orders: Vec<Value> = shared.orders().iter().map(order_json).collect();
            answer_json(request, 200, &Value::Array(orders));
        }
        (Method::Get, "requests") => {
            let requests: Vec<Value> = lock(&shared.log)
                .iter()
                .map(|r| json!({ "endpoint": r.endpoint, "fields": r.fields }))
                .collect();
            answer_json(request, 200, &Value::Array(requests));
        }
        (Method::Post, "confirm" | "cancel" | "state" | "fault" | "advance") => {
            let Some((request, body)) = read_body(shared, request) else {
                return;
            };
            let map = match serde_json::from_slice::<Value>(&body) {
                Ok(Value::Object(map)) => map,
                _ => return refuse(request, 400, "the body must be a JSON object"),
            };
            match command {
                "fault" => control_fault(shared, request, &map),
                "advance" => control_advance(shared, request, &map),
                _ => control_order(shared, request, command, &map),
            }
        }
        _ => not_found(request),
    }
}

fn control_order(shared: &Shared, request: Request, command: &str, map: &Map<String, Value>) {
    let Some(no) = map.get("no").and_then(Value::as_str) else {
        return refuse(request, 400, "field \"no\" (an order number) is required");
    };
    let done = {
        let mut book = lock(&shared.book);
        match command {
            "confirm" => book.confirm(no),
            "cancel" => book.cancel(no),
            _ => {
                let state = map.get("state").and_then(Value::as_str).unwrap_or("");
                match state.chars().collect::<Vec<_>>().as_slice() {
                    [c @ ('S' | 'F' | 'A' | 'Z' | 'D')] => book.force_state(no, *c),
                    _ => {
                        return refuse(request, 400, "field \"state\" must be one of S, F, A, Z, D")
                    }
                }
            }
        }
    };
    if !done {
        return refuse(
            request,
            404,
            "no such order, or not in a state that allows it",
        );
    }
    let order = lock(&shared.book).get(no);
    answer_json(
        request,
        200,
        &json!({ "ok": true, "order": order.as_ref().map(order_json) }),
    );
}

fn control_advance(shared: &Shared, request: Request, map: &Map<String, Value>) {
    let Some(ms) = map.get("ms").and_then(Value::as_u64) else {
        return refuse(
            request,
            400,
            "field \"ms\" (milliseconds to move the clock forward) must be a whole number",
        );
    };
    let skew = lock(&shared.book).advance(std::time::Duration::from_millis(ms));
    let skew_ms = u64::try_from(skew.as_millis()).unwrap_or(u64::MAX);
    answer_json(request, 200, &json!({ "ok": true, "advancedMs": skew_ms }));
}

fn control_fault(shared: &Shared, request: Request, map: &Map<String, Value>) {
    let Some(name) = map.get("fault").and_then(Value::as_str) else {
        return refuse(request, 400, "field \"fault\" is required");
    };
    if name == "none" {
        lock(&shared.faults).clear();
        return answer_json(request, 200, &json!({ "ok": true }));
    }
    let fault = match Fault::from_name(name, map) {
        Ok(fault) => fault,
        Err(e) => return refuse(request, 400, &e),
    };
    let endpoint = match map.get("endpoint") {
        None | Some(Value::Null) => None,
        Some(Value::String(e)) if Endpoint::from_name(e).is_some() => Some(e.clone()),
        Some(_) => {
            return refuse(
                request,
                400,
                "field \"endpoint\" must name a gateway endpoint",
            )
        }
    };
    let count = match map.get("count") {
        None | Some(Value::Null) => 1,
        Some(v) => match v.as_u64().and_then(|n| usize::try_from(n).ok()) {
            Some(n) if n > 0 => n,
            _ => {
                return refuse(
                    request,
                    400,
                    "field \"count\" must be a positive whole number",
                )
            }
        },
    };
    lock(&shared.faults).push(Rule {
        endpoint,
        remaining: count,
        fault,
    });
    answer_json(request, 200, &json!({ "ok": true }));
}
