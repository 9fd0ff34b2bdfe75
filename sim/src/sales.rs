//! The two counter sales: `sdkBarcodePay` (the terminal scanned the payer's code) and
//! `sdkBarcodePosPay` (the terminal shows a QR code for the payer to scan).

use crate::codes::Refusal;
use crate::config::SimConfig;
use crate::handlers::{echo_order, fen, required, text, token, Fields, Reply};
use crate::orders::{NewOrder, Order, OrderBook, OrderKind, Payer};
use crate::{gbk, lock};
use starpos::sign::md5_hex;
use std::sync::Mutex;

/// The most GBK bytes `subject`, `goods_tag` and `attach` may take in a counter sale.
const MAX_TEXT_GBK_BYTES: usize = 512;

/// Where the QR sale's `payCode` points (the simulator serves nothing there).
const PAY_CODE_BASE: &str = "https://qr.sim.starpos/";

/// How every `openId` the simulator answers begins (28 characters in all, as WeChat's
/// openids are), so a test can tell one in a log or a printout: an openid is a secret.
pub const OPEN_ID_PREFIX: &str = "oSimPayer";

/// The payer's openid in WeChat for a scanned WeChat payment code: the same code, the same
/// openid.
fn open_id(auth_code: &str) -> String {
    let digest = md5_hex(format!("openid:{auth_code}").as_bytes());
    format!("{OPEN_ID_PREFIX}{}", &digest[..28 - OPEN_ID_PREFIX.len()])
}

/// Free text of at most `max` GBK bytes (ASCII 1, any other character 2).
fn gbk_text(fields: &Fields, name: &str, max: usize) -> Result<(), Refusal> {
    let value = fields.get(name);
    text(name, value, usize::MAX)?;
    if gbk::byte_len(value) > max {
        return Err(Refusal::field(
            name,
            format!("must be at most {max} GBK bytes (ASCII 1, any other character 2)"),
        ));
    }
    Ok(())
}

/// Checks the fields both sales share and builds the order they ask for.
fn new_order(fields: &Fields, kind: OrderKind) -> Result<NewOrder, Refusal> {
    let amount = fen("amount", required(fields, "amount")?)?;
    let total_amount = fen("total_amount", required(fields, "total_amount")?)?;
    if amount > total_amount {
        return Err(Refusal::field("amount", "must not exceed total_amount"));
    }
    let pay_channel = required(fields, "payChannel")?;
    if !matches!(pay_channel, "WXPAY" | "ALIPAY" | "YLPAY") {
        return Err(Refusal::field(
            "payChannel",
            "must be WXPAY, ALIPAY or YLPAY",
        ));
    }
    for name in ["subject", "goods_tag", "attach"] {
        gbk_text(fields, name, MAX_TEXT_GBK_BYTES)?;
    }
    let sel_order_no = fields.get("selOrderNo");
    if !sel_order_no.is_empty() {
        token("selOrderNo", sel_order_no, 50)?;
    }
    Ok(NewOrder {
        kind,
        trade_no: fields.get("tradeNo").to_owned(),
        pay_channel: pay_channel.to_owned(),
        auth_code: String::new(),
        amount,
        total_amount,
        subject: fields.get("subject").to_owned(),
        sel_order_no: sel_order_no.to_owned(),
        goods_tag: fields.get("goods_tag").to_owned(),
        attach: fields.get("attach").to_owned(),
        add_field: fields.get("addField").to_owned(),
        code: String::new(),
        openid: String::new(),
        trm_no: fields.get("trmNo").to_owned(),
    })
}

/// The answer fields every pay shares: the order's numbers, its amounts, the request's
/// `tradeNo` and the optional texts.
fn answer(config: &SimConfig, message: &str, result: char, order: &Order) -> Reply {
    let mut reply = Reply::success(&config.merc_id, message);
    reply.set("logNo", &order.log_no);
    reply.set("result", &result.to_string());
    reply.set("orderNo", &order.order_no);
    reply.set("amount", &order.amount.to_string());
    reply.set("total_amount", &order.total_amount.to_string());
    reply.set("tradeNo", &order.trade_no);
    echo_order(&mut reply, order);
    reply
}

/// `sdkBarcodePay`: books the sale and answers as the scanned code's last digit says.
pub(crate) fn barcode_pay(
    fields: &Fields,
    config: &SimConfig,
    book: &Mutex<OrderBook>,
) -> Result<Reply, Refusal> {
    let auth_code = required(fields, "authCode")?;
    token("authCode", auth_code, 256)?;
    let mut new = new_order(fields, OrderKind::Barcode)?;
    new.auth_code = auth_code.to_owned();
    let (order, payer) = lock(book).barcode_pay(new)?;
    let message = match payer {
        Payer::PaysAtOnce => "交易成功",
        Payer::Password => "等待用户输入密码: the payer is entering a password",
        Payer::Refuses => "交易失败: the payer's wallet refused the payment",
        Payer::LostInTransit => "交易状态未知: query the order",
    };
    let mut reply = answer(config, message, payer.answered(), &order);
    if order.pay_channel == "WXPAY" {
        // WeChat tells the payer's openid (the gateway passes it on as `openId`).
        reply.set("openId", &open_id(auth_code));
    }
    if payer == Payer::LostInTransit {
        // The gateway lost track: it does not know the channel's number yet.
        reply.set("orderNo", &order.log_no);
    }
    Ok(reply)
}

/// `sdkBarcodePosPay`: books a QR sale waiting for the payer and answers `S` ("the QR order
/// was made") with the `payCode` to show.
pub(crate) fn qr_pay(
    fields: &Fields,
    config: &SimConfig,
    book: &Mutex<OrderBook>,
) -> Result<Reply, Refusal> {
    let new = new_order(fields, OrderKind::Qr)?;
    let order = {
        let mut book = lock(book);
        let pay_code = format!("{PAY_CODE_BASE}{}", book.token());
        book.qr_pay(new, pay_code)?
    };
    let mut reply = answer(config, "下单成功: show payCode as a QR code", 'S', &order);
    reply.set("payCode", &order.pay_code);
    Ok(reply)
}
