//! The gateway endpoints: parse, check merchant and signature, validate, act, answer. The two
//! counter sales live in [`crate::sales`].

use crate::codes::{self, Refusal};
use crate::config::SimConfig;
use crate::orders::{NewOrder, Order, OrderBook, Revoked};
use crate::{clock, gbk, lock, sales};
use serde_json::{Map, Value};
use starpos::sign::{md5_hex, verify, SIGN_VALUE};
use starpos::unversioned::wire::{encode_answer, value_text};
use std::collections::HashMap;
use std::sync::Mutex;

/// The endpoints the simulator serves.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Endpoint {
    /// `pubSigQry`: the merchant's official account.
    Qry,
    /// `pubSigPay`: pay with an OAuth code or openid.
    Pay,
    /// `sdkQryBarcodePay`: order query.
    Query,
    /// `sdkRefundBarcodePay`: refund.
    Refund,
    /// `sdkBarcodePay`: the terminal scanned the payer's code.
    BarcodePay,
    /// `sdkBarcodePosPay`: the terminal shows a QR code.
    PosPay,
    /// `RevokeBarcodepay`: revoke (undo) a same-day sale.
    Revoke,
}

impl Endpoint {
    /// The endpoint named `name` (the URL's last segment without `.json`).
    pub fn from_name(name: &str) -> Option<Endpoint> {
        match name {
            "pubSigQry" => Some(Endpoint::Qry),
            "pubSigPay" => Some(Endpoint::Pay),
            "sdkQryBarcodePay" => Some(Endpoint::Query),
            "sdkRefundBarcodePay" => Some(Endpoint::Refund),
            "sdkBarcodePay" => Some(Endpoint::BarcodePay),
            "sdkBarcodePosPay" => Some(Endpoint::PosPay),
            "RevokeBarcodepay" => Some(Endpoint::Revoke),
            _ => None,
        }
    }

    /// True for the `sdk*` endpoints (and `RevokeBarcodepay`, which uses the same common
    /// parameters): the common parameters of section 6, a unique `tradeNo`, echoed in every
    /// answer.
    pub fn is_sdk(self) -> bool {
        !matches!(self, Endpoint::Qry | Endpoint::Pay)
    }

    /// The fields a success answer of this endpoint cannot do without.
    pub fn key_fields(self) -> &'static [&'static str] {
        match self {
            Endpoint::Qry => &["appId", "appIdKey"],
            Endpoint::Pay => &[
                "logNo",
                "result",
                "orderNo",
                "PrepayId",
                "apiPackage",
                "apiPaysign",
            ],
            Endpoint::Query | Endpoint::BarcodePay => &["logNo", "result", "orderNo"],
            Endpoint::Refund => &["logNo", "result", "txnAmt"],
            Endpoint::PosPay => &["logNo", "result", "orderNo", "payCode"],
            Endpoint::Revoke => &["LogNo", "result", "amount"],
        }
    }

    /// The field the `overlong_fields` fault stretches.
    pub fn overlong_field(self) -> &'static str {
        match self {
            Endpoint::Qry => "appId",
            Endpoint::Pay => "PrepayId",
            Endpoint::Query | Endpoint::BarcodePay | Endpoint::PosPay => "orderNo",
            Endpoint::Refund => "logNo",
            Endpoint::Revoke => "LogNo",
        }
    }
}

/// An answer before it is written: its fields (`message` plain) and whether it gets signed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Reply {
    pub fields: Vec<(String, String)>,
    pub signed: bool,
}

impl Reply {
    /// A `000000` answer with `message`, `sysTime` and `mercId`, to be signed.
    pub fn success(merc_id: &str, message: &str) -> Reply {
        let mut reply = Reply {
            fields: Vec::new(),
            signed: true,
        };
        reply.set("returnCode", codes::SUCCESS);
        reply.set("message", message);
        reply.set("sysTime", &clock::sys_time());
        reply.set("mercId", merc_id);
        reply
    }

    /// A refusal; `merc_id` is added when known, the signature when `signed`.
    pub fn refusal(refusal: &Refusal, merc_id: Option<&str>, signed: bool) -> Reply {
        let mut reply = Reply {
            fields: Vec::new(),
            signed,
        };
        reply.set("returnCode", refusal.code);
        reply.set("message", &refusal.message);
        reply.set("sysTime", &clock::sys_time());
        if let Some(merc_id) = merc_id {
            reply.set("mercId", merc_id);
        }
        reply
    }

    /// The value of a field.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// Sets a field, replacing any value it had.
    pub fn set(&mut self, name: &str, value: &str) {
        match self.fields.iter_mut().find(|(n, _)| n == name) {
            Some(field) => field.1 = value.to_owned(),
            None => self.fields.push((name.to_owned(), value.to_owned())),
        }
    }

    /// Sets a field unless `value` is empty (optional echoes are left out when empty).
    pub fn set_some(&mut self, name: &str, value: &str) {
        if !value.is_empty() {
            self.set(name, value);
        }
    }

    /// Removes a field.
    pub fn remove(&mut self, name: &str) {
        self.fields.retain(|(n, _)| n != name);
    }

    /// The fields as `(&str, &str)` pairs.
    pub fn pairs(&self) -> Vec<(&str, &str)> {
        self.fields
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect()
    }

    /// The JSON body as the gateway writes it: signed over the plain `message` (when signed),
    /// then `message` percent-encoded.
    pub fn body(&self, key: &str) -> Vec<u8> {
        if self.signed {
            return encode_answer(&self.pairs(), key);
        }
        let map: Map<String, Value> = self
            .fields
            .iter()
            .map(|(n, v)| {
                let v = if n == "message" {
                    starpos::unversioned::percent::encode(v)
                } else {
                    v.clone()
                };
                (n.clone(), Value::String(v))
            })
            .collect();
        serde_json::to_vec(&map).unwrap_or_default()
    }
}

/// What handling a request produced: the answer and the request's fields (for the log).
pub(crate) struct Handled {
    pub reply: Reply,
    pub fields: Map<String, Value>,
}

/// Handles one request body for `endpoint`. Never panics, whatever the body.
pub(crate) fn handle(
    endpoint: Endpoint,
    body: &[u8],
    config: &SimConfig,
    book: &Mutex<OrderBook>,
) -> Handled {
    // What the body's bytes are, for `characterSet` (spec section 1): ASCII only, UTF-8
    // with other text, or GBK (not UTF-8).
    let bytes = match std::str::from_utf8(body) {
        Ok(text) if text.is_ascii() => Bytes::Ascii,
        Ok(_) => Bytes::Utf8,
        Err(_) => Bytes::Gbk,
    };
    let map = match parse_body(body) {
        Ok(map) => map,
        Err(refusal) => {
            return Handled {
                reply: Reply::refusal(&refusal, None, false),
                fields: Map::new(),
            }
        }
    };
    let mut reply = match check_and_act(endpoint, &map, bytes, config, book) {
        Ok(reply) => reply,
        Err((refusal, signed)) => {
            Reply::refusal(&refusal, signed.then_some(config.merc_id.as_str()), signed)
        }
    };
    // sysTime is the simulated clock's, as every other time the simulator keeps: a test that
    // moves the clock moves the gateway's clock, never the terminal's.
    if reply.get("sysTime").is_some() {
        let skew = crate::lock(book).skew().as_secs();
        reply.set(
            "sysTime",
            &clock::format_cst(clock::unix_seconds().saturating_add(skew)),
        );
    }
    // Every sdk answer, refusals included, carries the request's tradeNo.
    if endpoint.is_sdk() && reply.get("tradeNo").is_none() {
        if let Some(trade_no) = map
            .get("tradeNo")
            .and_then(|v| value_text("tradeNo", v).ok())
        {
            reply.set_some("tradeNo", &trade_no);
        }
    }
    // addField is a common answer parameter: every sdk answer echoes the request's.
    if endpoint.is_sdk() {
        if let Some(add_field) = map
            .get("addField")
            .and_then(|v| value_text("addField", v).ok())
        {
            reply.set_some("addField", &add_field);
        }
    }
    Handled { reply, fields: map }
}

/// The body as a JSON object: UTF-8, else GBK.
fn parse_body(body: &[u8]) -> Result<Map<String, Value>, Refusal> {
    let text = match std::str::from_utf8(body) {
        Ok(text) => text.to_owned(),
        Err(_) => gbk::decode(body).ok_or_else(|| {
            Refusal::new(
                codes::BAD_REQUEST,
                "报文格式错误: the body is neither UTF-8 nor GBK the simulator can read",
            )
        })?,
    };
    match serde_json::from_str::<Value>(&text) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(Refusal::new(
            codes::BAD_REQUEST,
            "报文格式错误: the body is not a JSON object",
        )),
        Err(e) => Err(Refusal::new(
            codes::BAD_REQUEST,
            format!("报文格式错误: the body is not JSON ({e})"),
        )),
    }
}

/// A request's fields as text.
pub(crate) struct Fields(HashMap<String, String>);

impl Fields {
    /// The field's text, empty when absent.
    pub fn get(&self, name: &str) -> &str {
        self.0.get(name).map_or("", String::as_str)
    }
}

type Outcome = Result<Reply, (Refusal, bool)>;

/// What a request body's bytes are.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Bytes {
    /// ASCII only: the same bytes in GBK and UTF-8.
    Ascii,
    /// UTF-8 with non-ASCII text.
    Utf8,
    /// Not UTF-8: read as GBK.
    Gbk,
}

fn check_and_act(
    endpoint: Endpoint,
    map: &Map<String, Value>,
    bytes: Bytes,
    config: &SimConfig,
    book: &Mutex<OrderBook>,
) -> Outcome {
    let plain = |name: &str| {
        map.get(name)
            .and_then(|v| value_text(name, v).ok())
            .unwrap_or_default()
    };
    if plain("orgNo") != config.org_no.as_str() || plain("mercId") != config.merc_id.as_str() {
        return Err((
            Refusal::new(codes::UNKNOWN_MERCHANT, "商户不存在: unknown orgNo/mercId"),
            false,
        ));
    }
    let signed = |refusal: Refusal| (refusal, true);
    let mut fields = HashMap::with_capacity(map.len());
    for (name, value) in map {
        let text = value_text(name, value)
            .map_err(|_| signed(Refusal::field(name, "must be a string")))?;
        fields.insert(name.clone(), text.into_owned());
    }
    let fields = Fields(fields);
    let signature = fields.get(SIGN_VALUE);
    let others = fields
        .0
        .iter()
        .filter(|(n, _)| *n != SIGN_VALUE)
        .map(|(n, v)| (n.as_str(), v.as_str()));
    if signature.is_empty() {
        return Err(signed(Refusal::new(
            codes::BAD_SIGNATURE,
            "签名错误: signValue is missing",
        )));
    }
    if !verify(others, &config.key, signature) {
        return Err(signed(Refusal::new(
            codes::BAD_SIGNATURE,
            "签名错误: signValue does not match",
        )));
    }
    check_common(endpoint, &fields).map_err(signed)?;
    if endpoint.is_sdk() {
        // `characterSet` must name the body's bytes: 00 GBK (or ASCII), 01 UTF-8.
        match (fields.get("characterSet"), bytes) {
            ("00", Bytes::Utf8) => {
                return Err(signed(Refusal::field(
                    "characterSet",
                    "is 00 (GBK), but the body is UTF-8 with non-ASCII text: say 01",
                )))
            }
            ("01", Bytes::Gbk) => {
                return Err(signed(Refusal::field(
                    "characterSet",
                    "is 01 (UTF-8), but the body is not UTF-8: say 00 for GBK",
                )))
            }
            _ => {}
        }
    }
    match endpoint {
        Endpoint::Qry => Ok(qry(&fields, config)),
        Endpoint::Pay => pay(&fields, config, book),
        Endpoint::Query => query(&fields, config, book),
        Endpoint::Refund => refund(&fields, config, book),
        Endpoint::BarcodePay => sales::barcode_pay(&fields, config, book),
        Endpoint::PosPay => sales::qr_pay(&fields, config, book),
        Endpoint::Revoke => revoke(&fields, config, book),
    }
    .map_err(signed)
}

/// The field's text, or a refusal naming it when absent or empty.
pub(crate) fn required<'a>(fields: &'a Fields, name: &str) -> Result<&'a str, Refusal> {
    match fields.get(name) {
        "" => Err(Refusal::field(name, "is required")),
        value => Ok(value),
    }
}

fn alnum(name: &str, value: &str, max: usize) -> Result<(), Refusal> {
    if value.is_empty() || value.len() > max || !value.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Err(Refusal::field(
            name,
            format!("must be 1 to {max} ASCII letters or digits"),
        ));
    }
    Ok(())
}

/// 1 to `max` printable ASCII characters without spaces.
pub(crate) fn token(name: &str, value: &str, max: usize) -> Result<(), Refusal> {
    if value.is_empty() || value.len() > max || !value.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(Refusal::field(
            name,
            format!("must be 1 to {max} printable ASCII characters without spaces"),
        ));
    }
    Ok(())
}

/// Free text of at most `max_chars` characters, no control characters.
pub(crate) fn text(name: &str, value: &str, max_chars: usize) -> Result<(), Refusal> {
    if value.chars().any(char::is_control) {
        return Err(Refusal::field(name, "must not contain control characters"));
    }
    if value.chars().count() > max_chars {
        return Err(Refusal::field(
            name,
            format!("must be at most {max_chars} characters"),
        ));
    }
    Ok(())
}

/// A positive amount in fen: 1 to 13 decimal digits, not zero.
pub(crate) fn fen(name: &str, value: &str) -> Result<u64, Refusal> {
    let bad = || {
        Refusal::field(
            name,
            "must be a positive whole number of fen (1 to 13 digits)",
        )
    };
    if value.is_empty() || value.len() > 13 || !value.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    match value.parse::<u64>() {
        Ok(0) | Err(_) => Err(bad()),
        Ok(n) => Ok(n),
    }
}

fn txn_time(value: &str) -> Result<(), Refusal> {
    let bad = || {
        Refusal::field(
            "txnTime",
            "must be 14 digits yyyyMMddHHmmss naming a real moment",
        )
    };
    if value.len() != 14 || !value.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    let part = |range: std::ops::Range<usize>| value[range].parse::<u32>().unwrap_or(99);
    let (month, day, hour, minute, second) = (
        part(4..6),
        part(6..8),
        part(8..10),
        part(10..12),
        part(12..14),
    );
    if !(1..=12).contains(&month)
        || !(1..=31).contains(&day)
        || hour > 23
        || minute > 59
        || second > 59
    {
        return Err(bad());
    }
    Ok(())
}

fn check_common(endpoint: Endpoint, fields: &Fields) -> Result<(), Refusal> {
    alnum("trmNo", required(fields, "trmNo")?, 8)?;
    txn_time(required(fields, "txnTime")?)?;
    if required(fields, "signType")? != "MD5" {
        return Err(Refusal::field("signType", "must be MD5"));
    }
    if !matches!(required(fields, "version")?, "V1.0.0" | "V1.0.1") {
        return Err(Refusal::field("version", "must be V1.0.0 or V1.0.1"));
    }
    if !matches!(endpoint, Endpoint::BarcodePay | Endpoint::PosPay) {
        // The counter sales allow 512 GBK bytes (checked with their other fields).
        text("attach", fields.get("attach"), 256)?;
    }
    if endpoint.is_sdk() {
        let op_sys = required(fields, "opSys")?;
        if op_sys.len() > 2 || !op_sys.bytes().all(|b| b.is_ascii_digit()) {
            return Err(Refusal::field(
                "opSys",
                "must be 1 or 2 digits (3 = direct connection)",
            ));
        }
        if !matches!(required(fields, "characterSet")?, "00" | "01") {
            return Err(Refusal::field(
                "characterSet",
                "must be 00 (GBK) or 01 (UTF-8)",
            ));
        }
        token("tradeNo", required(fields, "tradeNo")?, 64)?;
        if !matches!(fields.get("trmTyp"), "" | "P" | "I" | "A" | "C" | "T") {
            return Err(Refusal::field("trmTyp", "must be P, I, A, C or T"));
        }
        text("oprId", fields.get("oprId"), 6)?;
        text("latitude", fields.get("latitude"), 15)?;
        text("longitude", fields.get("longitude"), 15)?;
        text("addField", fields.get("addField"), 256)?;
    }
    Ok(())
}

fn qry(fields: &Fields, config: &SimConfig) -> Reply {
    let mut reply = Reply::success(&config.merc_id, "交易成功");
    reply.set("appId", &config.app_id);
    reply.set("appIdKey", &config.app_id_key);
    reply.set_some("attach", fields.get("attach"));
    reply
}

fn pay(fields: &Fields, config: &SimConfig, book: &Mutex<OrderBook>) -> Result<Reply, Refusal> {
    let (code, openid) = (fields.get("code"), fields.get("openid"));
    match (code.is_empty(), openid.is_empty()) {
        (true, true) => return Err(Refusal::field("code", "code or openid is required")),
        (false, false) => return Err(Refusal::field("code", "give code or openid, not both")),
        (false, true) => token("code", code, 64)?,
        (true, false) => token("openid", openid, 128)?,
    }
    let amount = fen("amount", required(fields, "amount")?)?;
    let total_amount = fen("total_amount", required(fields, "total_amount")?)?;
    if amount > total_amount {
        return Err(Refusal::field("amount", "must not exceed total_amount"));
    }
    text("subject", fields.get("subject"), 256)?;
    let sel_order_no = fields.get("selOrderNo");
    if !sel_order_no.is_empty() {
        token("selOrderNo", sel_order_no, 50)?;
    }
    text("goods_tag", fields.get("goods_tag"), 250)?;
    let new = NewOrder {
        amount,
        total_amount,
        subject: fields.get("subject").to_owned(),
        sel_order_no: sel_order_no.to_owned(),
        goods_tag: fields.get("goods_tag").to_owned(),
        attach: fields.get("attach").to_owned(),
        code: code.to_owned(),
        openid: openid.to_owned(),
        trm_no: fields.get("trmNo").to_owned(),
        ..NewOrder::default()
    };
    let (order, nonce) = {
        let mut book = lock(book);
        let sys_time = clock::sys_time();
        let prepay_id = format!("wx{sys_time}{}", &book.token()[..20]);
        let order = book.pay(new, prepay_id)?;
        (order, book.token())
    };
    let mut reply = Reply::success(&config.merc_id, "等待支付");
    reply.set("logNo", &order.log_no);
    reply.set("result", "A");
    reply.set("orderNo", &order.order_no);
    reply.set("amount", &order.amount.to_string());
    reply.set("total_amount", &order.total_amount.to_string());
    let timestamp = clock::unix_seconds().to_string();
    let package = format!("prepay_id={}", order.prepay_id);
    // WeChat's JSAPI paySign (MD5 flavour), keyed here with the official account's secret.
    let pay_sign = md5_hex(
        format!(
            "appId={}&nonceStr={nonce}&package={package}&signType=MD5&timeStamp={timestamp}&key={}",
            config.app_id, config.app_id_key
        )
        .as_bytes(),
    )
    .to_ascii_uppercase();
    reply.set("PrepayId", &order.prepay_id);
    reply.set("apiAppid", &config.app_id);
    reply.set("apiTimestamp", &timestamp);
    reply.set("apiNoncestr", &nonce);
    reply.set("apiPackage", &package);
    reply.set("apiSigntype", "MD5");
    reply.set("apiPaysign", &pay_sign);
    echo_order(&mut reply, &order);
    Ok(reply)
}

/// Echoes the order's optional texts (`subject`, `selOrderNo`, `goodsTag`, `attach`, and the
/// sale's `addField`).
pub(crate) fn echo_order(reply: &mut Reply, order: &Order) {
    reply.set_some("subject", &order.subject);
    reply.set_some("selOrderNo", &order.sel_order_no);
    reply.set_some("goodsTag", &order.goods_tag);
    reply.set_some("attach", &order.attach);
    reply.set_some("addField", &order.add_field);
}

/// The query's `message` for the order's state.
fn state_message(order: &Order) -> &'static str {
    if order.expired {
        return "订单已关闭: the QR code expired unpaid after 15 minutes";
    }
    match order.state {
        'S' => "交易成功",
        'A' => "等待支付",
        'F' => "交易失败",
        'D' => "交易已撤销",
        _ => "交易状态未知",
    }
}

fn query(fields: &Fields, config: &SimConfig, book: &Mutex<OrderBook>) -> Result<Reply, Refusal> {
    let qry_no = required(fields, "qryNo")?;
    token("qryNo", qry_no, 64)?;
    let found = {
        let mut book = lock(book);
        book.take_trade_no(fields.get("tradeNo"))?;
        book.get(qry_no)
    };
    let Some(order) = found else {
        if !config.refunds_by_trade_no {
            return Err(Refusal::new(
                codes::ORDER_NOT_FOUND,
                format!("订单不存在: no order has number {qry_no}"),
            ));
        }
        return query_refund(qry_no, fields, config, book);
    };
    let mut reply = Reply::success(&config.merc_id, state_message(&order));
    reply.set("logNo", &order.log_no);
    reply.set("result", &order.state.to_string());
    reply.set("payChannel", &order.pay_channel);
    reply.set("orderNo", &order.order_no);
    reply.set("amount", &order.amount.to_string());
    reply.set("total_amount", &order.total_amount.to_string());
    reply.set("tradeNo", fields.get("tradeNo"));
    if fields.get("version") == "V1.0.1" {
        reply.set("refAmt", &order.refunded.to_string());
    }
    echo_order(&mut reply, &order);
    Ok(reply)
}

/// A query whose `qryNo` is a refund's `tradeNo` or `logNo`: the refund's own state (a refund
/// the simulator booked is always `S`), its amount as `txnAmt` and `amount`.
fn query_refund(
    qry_no: &str,
    fields: &Fields,
    config: &SimConfig,
    book: &Mutex<OrderBook>,
) -> Result<Reply, Refusal> {
    let (order, refund) = lock(book).find_refund(qry_no).ok_or_else(|| {
        Refusal::new(
            codes::ORDER_NOT_FOUND,
            format!("订单不存在: no order has number {qry_no}"),
        )
    })?;
    let mut reply = Reply::success(&config.merc_id, "退款成功");
    reply.set("logNo", &refund.log_no);
    reply.set("result", "S");
    reply.set("payChannel", &order.pay_channel);
    reply.set("orderNo", &order.order_no);
    reply.set("txnAmt", &refund.amount.to_string());
    reply.set("amount", &refund.amount.to_string());
    reply.set("total_amount", &order.total_amount.to_string());
    reply.set("tradeNo", fields.get("tradeNo"));
    echo_order(&mut reply, &order);
    Ok(reply)
}

fn refund(fields: &Fields, config: &SimConfig, book: &Mutex<OrderBook>) -> Result<Reply, Refusal> {
    let order_no = required(fields, "orderNo")?;
    token("orderNo", order_no, 64)?;
    let amount = match fields.get("txnAmt") {
        "" => None,
        text => Some(fen("txnAmt", text)?),
    };
    let trade_no = fields.get("tradeNo");
    let (order, refund) = {
        let mut book = lock(book);
        book.take_trade_no(trade_no)?;
        book.refund(order_no, amount, trade_no)?
    };
    let mut reply = Reply::success(&config.merc_id, "退款成功");
    reply.set("logNo", &refund.log_no);
    reply.set("result", "S");
    reply.set("txnAmt", &refund.amount.to_string());
    reply.set("amount", &order.amount.to_string());
    reply.set("total_amount", &order.total_amount.to_string());
    reply.set("orderNo", &order.order_no);
    reply.set("tradeNo", trade_no);
    echo_order(&mut reply, &order);
    Ok(reply)
}

/// `RevokeBarcodepay`: undoes the same-day sale whose number is `qryNo` ([`OrderBook::revoke`]
/// says what happens to the order). The answer echoes the revoke's own `tradeNo` and carries
/// `LogNo` (capital L, as the gateway spells it: the revoke's own serial, a new one per
/// request), `result` (`S` revoked, also again for an order already `D`; `F` for a failed
/// order: nothing to revoke), `payChannel`, the order's `amount` and `total_amount`, and its
/// optional texts.
fn revoke(fields: &Fields, config: &SimConfig, book: &Mutex<OrderBook>) -> Result<Reply, Refusal> {
    let qry_no = required(fields, "qryNo")?;
    token("qryNo", qry_no, 64)?;
    let trade_no = fields.get("tradeNo");
    let (revoked, log_no) = {
        let mut book = lock(book);
        book.take_trade_no(trade_no)?;
        let revoked = book.revoke(qry_no, trade_no)?;
        (revoked, book.new_log_no())
    };
    let (order, result, message) = match &revoked {
        Revoked::Done(order) => (order, 'S', "撤销成功"),
        Revoked::Failed(order) => (
            order,
            'F',
            "撤销失败: the order failed (F), there is nothing to revoke",
        ),
    };
    let mut reply = Reply::success(&config.merc_id, message);
    reply.set("tradeNo", trade_no);
    // The revoke that acted answers its own serial; a repeat gets a new one of its own.
    let log_no = match &order.revoke {
        Some(revoke) if revoke.trade_no == trade_no => revoke.log_no.clone(),
        _ => log_no,
    };
    reply.set("LogNo", &log_no);
    reply.set("result", &result.to_string());
    reply.set("payChannel", &order.pay_channel);
    reply.set("amount", &order.amount.to_string());
    reply.set("total_amount", &order.total_amount.to_string());
    echo_order(&mut reply, order);
    Ok(reply)
}
