//! `starpos demo`: the whole sale, step by step, against the simulator started in-process.

use crate::console::{outln, Lost};
use crate::exit::Failure;
use crate::output::{mask_if, Printer};
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

/// Ends a step: how long it took, then a blank line.
fn elapsed(started: Instant) -> Result<(), Lost> {
    outln!(
        "   elapsed   {:.1} ms\n",
        started.elapsed().as_secs_f64() * 1000.0
    )
}

/// Runs the demo, printing each step for a person.
pub fn run(printer: &Printer) -> Result<(), Failure> {
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
    outln!(
        "starpos demo: a WeChat sale and two counter sales against the built-in gateway simulator"
    )?;
    outln!("  gateway  {}", sim.base_url())?;
    outln!(
        "  merchant orgNo {} mercId {} trmNo {}\n",
        config.org_no,
        config.merc_id,
        starpos_sim::DEFAULT_TRM_NO
    )?;

    let step = Instant::now();
    outln!("1. pubSigQry: look up the merchant's WeChat official account")?;
    let qry = client.qry(&QryRequest::default())?;
    outln!("   appId     {}", qry.app_id)?;
    outln!(
        "   appIdKey  {}",
        mask_if(&qry.app_id_key, printer.show_secrets)
    )?;
    elapsed(step)?;

    let step = Instant::now();
    outln!("2. the OAuth link the payer's WeChat browser opens:")?;
    let state = "demo1";
    let link = wechat::oauth_url(
        &qry.app_id,
        "https://shop.example/starpos/callback",
        Some(state),
    )?;
    outln!("   {link}")?;
    let code = format!("demo{}", starpos::clock::new_trade_no("DEMO"));
    outln!(
        "   WeChat redirects to the callback with ?code=...&state={state}; here: code {}",
        mask_if(&code, printer.show_secrets)
    )?;
    elapsed(step)?;

    let step = Instant::now();
    let amount = 1234;
    outln!("3. pubSigPay: pay {} with that code", yuan(amount))?;
    let sel_order_no = format!("D{}", &starpos::clock::new_trade_no("")[..29]);
    let pay = client.pay(&PayRequest {
        code: Some(&code),
        amount,
        total_amount: amount,
        subject: Some("演示商品 demo goods"),
        sel_order_no: Some(&sel_order_no),
        ..PayRequest::default()
    })?;
    outln!("   result    {}", result_words(pay.result))?;
    outln!("   logNo     {}", pay.log_no)?;
    outln!("   orderNo   {}", pay.order_no)?;
    outln!("   message   {}", pay.message)?;
    elapsed(step)?;

    let step = Instant::now();
    outln!("4. the getBrandWCPayRequest parameters: the H5 page hands them to WeChat, where")?;
    outln!("   the payer confirms (without them nobody can pay this order)")?;
    outln!("   {}", wechat::jsapi_params(&pay)?)?;
    elapsed(step)?;

    let step = Instant::now();
    outln!(
        "5. wait: query the order every 500 ms until it is final (the payer confirms in WeChat)"
    )?;
    let done = client
        .wait(
            &pay.log_no,
            Duration::from_millis(500),
            Duration::from_secs(20),
        )
        .map_err(|w| w.error)?;
    outln!("   result    {}", result_words(done.result))?;
    outln!(
        "   orderNo   {} (the channel's own number, for the refund)",
        done.order_no
    )?;
    outln!("   channel   {}", done.pay_channel)?;
    elapsed(step)?;
    if done.result != Some(TxnResult::Success) {
        return Err(Error::new(Status::Gateway, "the demo sale did not end paid").into());
    }

    let step = Instant::now();
    outln!("6. refund: give the whole {} back", yuan(done.amount))?;
    let refund = client.refund(&RefundRequest {
        order_no: &done.order_no,
        ..RefundRequest::default()
    })?;
    outln!(
        "   result    {}",
        match refund.result {
            Some(TxnResult::Success) => "S (refunded)",
            other => result_words(other),
        }
    )?;
    outln!("   txnAmt    {}", yuan(refund.txn_amt))?;
    outln!("   logNo     {}", refund.log_no)?;
    outln!("   tradeNo   {}", refund.trade_no)?;
    elapsed(step)?;

    let step = Instant::now();
    let amount = 880;
    // A WeChat payment code (18 digits from 13); ending in 1 the simulated payer must enter a
    // password first.
    // 13 digits of milliseconds and 2 of the process id: 18 digits.
    let millis = &starpos::clock::new_trade_no("")[..13];
    let code = format!("13{millis}{:02}1", std::process::id() % 100);
    outln!(
        "7. the counter: scan the payer's payment code and sell {} (sdkBarcodePay, then",
        yuan(amount)
    )?;
    outln!("   query its own tradeNo until final; the code is sent once, never again)")?;
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
    outln!("   channel   {} (from the code's prefix)", sale.pay_channel)?;
    outln!("   tradeNo   {} (the sale's handle)", sale.trade_no)?;
    outln!(
        "   result    {} after the payer's password",
        result_words(sale.result)
    )?;
    elapsed(step)?;

    let step = Instant::now();
    let amount = 1500;
    outln!(
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
    outln!("   payCode   {} (drawn by `starpos qr-pay`)", qr.pay_code)?;
    outln!("   tradeNo   {}", qr.trade_no)?;
    let paid = client
        .wait(
            &qr.trade_no,
            Duration::from_millis(500),
            Duration::from_secs(20),
        )
        .map_err(|w| w.error)?;
    outln!(
        "   result    {} once the payer scanned it",
        result_words(paid.result)
    )?;
    elapsed(step)?;
    if sale.result != Some(TxnResult::Success) || paid.result != Some(TxnResult::Success) {
        return Err(Error::new(Status::Gateway, "a demo counter sale did not end paid").into());
    }

    outln!(
        "done in {} ms: {} gateway calls, every answer signed and verified.",
        demo_started.elapsed().as_millis(),
        sim.request_count()
    )?;
    sim.shutdown();
    Ok(())
}
