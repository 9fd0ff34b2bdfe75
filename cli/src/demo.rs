//! `starpos demo`: the whole sale, step by step, against the simulator started in-process.

use crate::console::{outln, Lost};
use crate::exit::Failure;
use crate::output::{mask_if, Printer};
use serde_json::json;
use starpos::{
    wechat, BarcodePayRequest, Client, Config, Error, PayRequest, QrPayRequest, QryRequest,
    RefundRequest, Status, TxnResult,
};
use starpos_sim::{SimConfig, Simulator};
use std::time::{Duration, Instant};

/// How long the simulated payer takes to confirm in WeChat.
const PAYER_DELAY: Duration = Duration::from_millis(1500);

fn yuan(fen: u64) -> String {
    format!("{}.{:02} yuan", fen / 100, fen % 100)
}

fn result_words(result: Option<TxnResult>) -> &'static str {
    match result {
        Some(TxnResult::Success) => "S (paid)",
        Some(TxnResult::Failed) => "F (failed)",
        Some(TxnResult::Waiting) => "A (waiting for the payer)",
        Some(TxnResult::Unknown) => "Z (unknown: query again)",
        Some(TxnResult::Revoked) => "D (revoked)",
        None => "none (failed)",
    }
}

/// A result letter as JSON: `"S"`, ..., or `""` when there is none.
fn result_text(result: Option<TxnResult>) -> String {
    result.map(|r| r.as_char().to_string()).unwrap_or_default()
}

/// Prints a line for a person (nothing under `--json`).
macro_rules! say {
    ($d:expr, $($arg:tt)*) => {
        if $d.json { Ok(()) } else { outln!($($arg)*) }
    };
}

/// How the demo prints.
struct Demo {
    json: bool,
    show_secrets: bool,
}

impl Demo {
    /// A secret as shown: masked unless `--show-secrets` (`****` under `--json`).
    fn secret(&self, value: &str) -> String {
        match (self.show_secrets, self.json) {
            (true, _) => value.to_owned(),
            (false, true) => "****".to_owned(),
            (false, false) => mask_if(value, false),
        }
    }

    /// Ends a step: for a person, how long it took, then a blank line; under `--json`, one
    /// line `{"step": n, "name": ..., "elapsed_ms": ..., <found>}`.
    fn step(
        &self,
        n: u32,
        name: &str,
        started: Instant,
        found: serde_json::Value,
    ) -> Result<(), Lost> {
        let ms = started.elapsed().as_secs_f64() * 1000.0;
        if !self.json {
            return outln!("   elapsed   {ms:.1} ms\n");
        }
        let mut line = serde_json::Map::new();
        line.insert("step".into(), n.into());
        line.insert("name".into(), name.into());
        line.insert("elapsed_ms".into(), ((ms * 10.0).round() / 10.0).into());
        if let serde_json::Value::Object(found) = found {
            line.extend(found);
        }
        outln!("{}", serde_json::Value::Object(line))
    }
}

/// Runs the demo, printing each step for a person, or under `--json` one JSON object per
/// step (`step`, `name`, `elapsed_ms` and what the step found; amounts numbers of fen) and a
/// last one with `done`.
pub fn run(printer: &Printer) -> Result<(), Failure> {
    let d = Demo {
        json: printer.json,
        show_secrets: printer.show_secrets,
    };
    let config = SimConfig {
        settle_after: Some(PAYER_DELAY),
        ..SimConfig::default()
    };
    let demo_started = Instant::now();
    let sim = Simulator::start(config.clone())
        .map_err(|e| Error::new(Status::Connect, format!("cannot start the simulator: {e}")))?;
    let client = Client::new(
        Config::new(
            &config.org_no,
            &config.merc_id,
            starpos_sim::DEFAULT_TRM_NO,
            &config.key,
        )
        .with_base_url(&sim.base_url()),
    )?;
    say!(
        d,
        "starpos demo: a WeChat sale and two counter sales against the built-in gateway simulator"
    )?;
    say!(d, "  gateway  {}", sim.base_url())?;
    say!(
        d,
        "  merchant orgNo {} mercId {} trmNo {}\n",
        config.org_no,
        config.merc_id,
        starpos_sim::DEFAULT_TRM_NO
    )?;

    let step = Instant::now();
    say!(
        d,
        "1. pubSigQry: look up the merchant's WeChat official account"
    )?;
    let qry = client.qry(&QryRequest::default())?;
    say!(d, "   appId     {}", qry.app_id)?;
    say!(d, "   appIdKey  {}", d.secret(&qry.app_id_key))?;
    d.step(
        1,
        "pubSigQry",
        step,
        json!({"appId": qry.app_id, "appIdKey": d.secret(&qry.app_id_key)}),
    )?;

    let step = Instant::now();
    say!(d, "2. the OAuth link the payer's WeChat browser opens:")?;
    let state = "demo1";
    let link = wechat::oauth_url(
        &qry.app_id,
        "https://shop.example/starpos/callback",
        Some(state),
    )?;
    say!(d, "   {link}")?;
    let code = format!("demo{}", starpos::unversioned::clock::new_trade_no("DEMO"));
    say!(
        d,
        "   WeChat redirects to the callback with ?code=...&state={state}; here: code {}",
        d.secret(&code)
    )?;
    d.step(2, "oauth_url", step, json!({"url": link, "state": state}))?;

    let step = Instant::now();
    let amount = 1234;
    say!(d, "3. pubSigPay: pay {} with that code", yuan(amount))?;
    let sel_order_no = format!("D{}", &starpos::unversioned::clock::new_trade_no("")[..29]);
    let pay = client.pay(&PayRequest {
        code: Some(&code),
        amount,
        total_amount: amount,
        subject: Some("演示商品 demo goods"),
        sel_order_no: Some(&sel_order_no),
        ..PayRequest::default()
    })?;
    say!(d, "   result    {}", result_words(pay.result))?;
    say!(d, "   logNo     {}", pay.log_no)?;
    say!(d, "   orderNo   {}", pay.order_no)?;
    say!(d, "   message   {}", pay.message)?;
    d.step(3, "pubSigPay", step, json!({"amount": amount, "result": result_text(pay.result), "logNo": pay.log_no, "orderNo": pay.order_no, "message": pay.message}))?;

    let step = Instant::now();
    say!(
        d,
        "4. the getBrandWCPayRequest parameters: the H5 page hands them to WeChat, where"
    )?;
    say!(
        d,
        "   the payer confirms (without them nobody can pay this order)"
    )?;
    let jsapi = wechat::jsapi_params(&pay)?;
    say!(d, "   {jsapi}")?;
    d.step(4, "jsapi_params", step, json!({"params": serde_json::from_str::<serde_json::Value>(&jsapi).unwrap_or_else(|_| jsapi.clone().into())}))?;

    let step = Instant::now();
    say!(
        d,
        "5. wait: query the order every 500 ms until it is final (the payer confirms in WeChat)"
    )?;
    let done = client
        .wait(
            &pay.log_no,
            Duration::from_millis(500),
            Duration::from_secs(20),
        )
        .map_err(|w| w.error)?;
    say!(d, "   result    {}", result_words(done.result))?;
    say!(
        d,
        "   orderNo   {} (the channel's own number, for the refund)",
        done.order_no
    )?;
    say!(d, "   channel   {}", done.pay_channel)?;
    d.step(5, "wait", step, json!({"result": result_text(done.result), "orderNo": done.order_no, "payChannel": done.pay_channel, "amount": done.amount}))?;
    if done.result != Some(TxnResult::Success) {
        return Err(Error::new(Status::Gateway, "the demo sale did not end paid").into());
    }

    let step = Instant::now();
    say!(d, "6. refund: give the whole {} back", yuan(done.amount))?;
    let refund = client.refund(&RefundRequest {
        order_no: &done.order_no,
        ..RefundRequest::default()
    })?;
    say!(
        d,
        "   result    {}",
        match refund.result {
            Some(TxnResult::Success) => "S (refunded)",
            other => result_words(other),
        }
    )?;
    say!(d, "   txnAmt    {}", yuan(refund.txn_amt))?;
    say!(d, "   logNo     {}", refund.log_no)?;
    say!(d, "   tradeNo   {}", refund.trade_no)?;
    d.step(6, "refund", step, json!({"result": result_text(refund.result), "txnAmt": refund.txn_amt, "logNo": refund.log_no, "tradeNo": refund.trade_no}))?;

    let step = Instant::now();
    let amount = 880;
    // A WeChat payment code (18 digits from 13); ending in 1 the simulated payer must enter a
    // password first.
    // 13 digits of milliseconds and 2 of the process id: 18 digits.
    let millis = &starpos::unversioned::clock::new_trade_no("")[..13];
    let code = format!("13{millis}{:02}1", std::process::id() % 100);
    say!(
        d,
        "7. the counter: scan the payer's payment code and sell {} (sdkBarcodePay, then",
        yuan(amount)
    )?;
    say!(
        d,
        "   query its own tradeNo until final; the code is sent once, never again)"
    )?;
    let sale = client
        .barcode_sale(
            &BarcodePayRequest {
                auth_code: &code,
                amount,
                total_amount: amount,
                subject: Some("咖啡 coffee"),
                ..BarcodePayRequest::default()
            },
            Duration::from_millis(500),
            Duration::from_secs(20),
        )
        .map_err(|w| w.error)?;
    say!(
        d,
        "   channel   {} (from the code's prefix)",
        sale.pay_channel
    )?;
    say!(d, "   tradeNo   {} (the sale's handle)", sale.trade_no)?;
    say!(
        d,
        "   result    {} after the payer's password",
        result_words(sale.result)
    )?;
    d.step(7, "barcode_sale", step, json!({"amount": amount, "payChannel": sale.pay_channel, "tradeNo": sale.trade_no, "result": result_text(sale.result)}))?;

    let step = Instant::now();
    let amount = 1500;
    say!(
        d,
        "8. the counter: show a QR code for {} (sdkBarcodePosPay)",
        yuan(amount)
    )?;
    let qr = client.qr_pay(&QrPayRequest {
        pay_channel: "ALIPAY",
        amount,
        total_amount: amount,
        subject: Some("蛋糕 cake"),
        ..QrPayRequest::default()
    })?;
    say!(
        d,
        "   payCode   {} (drawn by `starpos qr-pay`)",
        qr.pay_code
    )?;
    say!(d, "   tradeNo   {}", qr.trade_no)?;
    let paid = client
        .wait(
            &qr.trade_no,
            Duration::from_millis(500),
            Duration::from_secs(20),
        )
        .map_err(|w| w.error)?;
    say!(
        d,
        "   result    {} once the payer scanned it",
        result_words(paid.result)
    )?;
    d.step(8, "qr_pay", step, json!({"amount": amount, "payCode": qr.pay_code, "tradeNo": qr.trade_no, "result": result_text(paid.result)}))?;
    if sale.result != Some(TxnResult::Success) || paid.result != Some(TxnResult::Success) {
        return Err(Error::new(Status::Gateway, "a demo counter sale did not end paid").into());
    }

    let (ms, calls) = (demo_started.elapsed().as_millis(), sim.request_count());
    if d.json {
        outln!(
            "{}",
            json!({"done": true, "elapsed_ms": ms, "gateway_calls": calls, "verified": true})
        )?;
    } else {
        outln!("done in {ms} ms: {calls} gateway calls, every answer signed and verified.")?;
    }
    sim.shutdown();
    Ok(())
}
