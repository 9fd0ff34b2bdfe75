//! Secrets the gateway echoes back (issue 17, point 5): a refusal whose `message` quotes the
//! payment code, the OAuth code or the openid reaches no consumer unmasked: not the error's
//! detail, the refusal, the journal file, `Client::journal_entries`, `starpos_journal_list`,
//! nor the C response's `message`/`error`. The answer's own fields stay as they are.

mod common;

use common::*;
use starpos::ffi::*;
use starpos::unversioned::transport::Reply;
use starpos::unversioned::wire;
use starpos::{BarcodePayRequest, Client, Error, PayRequest, Status};
use starpos_sim::Fault;
use std::ffi::c_void;
use std::path::Path;
use std::ptr;
use std::sync::Arc;

const KEY: &str = "0123456789ABCDEF0123456789ABCDEF";
/// A 20-digit logNo in the refusal's message: not a payment code's shape, kept.
const LOG_NO: &str = "20190804103115431293";

/// A client whose gateway refuses everything with a `message` quoting the request's `code`,
/// `openid` and `authCode`, and the key, and an `openId` and `logNo` of its own.
fn echoing_client(journal: &Path) -> Client {
    let mut config = starpos::Config::new("489", "800290000007906", "XB006439", KEY);
    config.journal_path = Some(journal.to_owned());
    Client::new(config)
        .expect("valid configuration")
        .with_exchange(Arc::new(|_url: &str, body: &[u8]| {
            let sent: serde_json::Value = serde_json::from_slice(body)
                .map_err(|e| Error::protocol(format!("request not JSON: {e}")))?;
            let echo = ["code", "openid", "authCode"]
                .iter()
                .filter_map(|n| sent[*n].as_str().map(|v| format!("{n} {v}")))
                .collect::<Vec<_>>()
                .join(", ");
            let message = format!("{echo} already used (key {KEY}, logNo {LOG_NO})");
            let open_id = sent["openid"].as_str().unwrap_or("");
            let trade_no = sent["tradeNo"].as_str().unwrap_or("");
            let fields = [
                ("returnCode", "100007"),
                ("message", message.as_str()),
                ("openId", open_id),
                ("logNo", LOG_NO),
                ("tradeNo", trade_no),
            ];
            Ok(Reply {
                body: wire::encode_answer(&fields, KEY),
                charset: None,
            })
        }))
}

fn assert_clean(what: &str, text: &str, secrets: &[&str]) {
    for secret in secrets {
        assert!(!text.contains(secret), "{what} holds {secret}: {text}");
    }
}

#[test]
fn echoed_secrets_are_masked_for_every_rust_consumer() {
    install_secret_guard();
    let dir = TempDir::new("redact-exchange");
    let path = dir.join("sales.journal");
    let client = echoing_client(&path);
    let auth_code = wechat_code('0');
    let oauth = unique("code");
    let openid = format!("oUpF8uMuAJO_M2pxb1Q9z{}", std::process::id());

    let barcode = client
        .barcode_pay(&BarcodePayRequest {
            auth_code: &auth_code,
            amount: 5,
            total_amount: 5,
            ..Default::default()
        })
        .expect_err("refused");
    let by_code = client
        .pay(&PayRequest {
            code: Some(&oauth),
            amount: 5,
            total_amount: 5,
            ..Default::default()
        })
        .expect_err("refused");
    let by_openid = client
        .pay(&PayRequest {
            openid: Some(&openid),
            amount: 5,
            total_amount: 5,
            ..Default::default()
        })
        .expect_err("refused");
    let secrets = [auth_code.as_str(), &oauth, &openid, KEY];
    for e in [&barcode, &by_code, &by_openid] {
        assert_eq!(e.status(), Status::Gateway, "{e}");
        assert_clean("the error's detail", e.detail(), &secrets);
        assert!(e.detail().contains("*** already used"), "{e}");
        assert!(e.detail().contains(LOG_NO), "the logNo is kept: {e}");
        let refusal = e.refusal().expect("the refusal");
        assert_clean("the refusal's message", refusal.text("message"), &secrets);
        assert!(refusal.text("message").contains("(key ***, logNo"));
        assert_eq!(
            refusal.text("logNo"),
            LOG_NO,
            "the answer's own fields stay"
        );
    }
    assert_eq!(
        by_openid.refusal().map(|r| r.text("openId")),
        Some(openid.as_str()),
        "the answer's own openId stays as it is"
    );

    let file = std::fs::read(&path).expect("the journal file");
    assert_clean(
        "the journal file",
        &String::from_utf8_lossy(&file),
        &secrets,
    );
    let entries = client.journal_entries().expect("the journal");
    assert_eq!(entries.len(), 3, "{entries:?}");
    for entry in &entries {
        assert_clean("a journal entry", &format!("{entry:?}"), &secrets);
        assert!(entry.error.contains("*** already used"), "{entry:?}");
    }
}

unsafe extern "C" fn collect(entry: *const starpos_journal_entry, userdata: *mut c_void) {
    let seen = &mut *(userdata as *mut Vec<String>);
    seen.push(text(&(*entry).error));
}

#[test]
fn the_simulator_echoing_secrets_through_the_c_abi_shows_none() {
    let sim = sim();
    let dir = TempDir::new("redact-c");
    let journal = dir.join("sales.journal");
    let journal_c = c(journal.to_str().expect("a UTF-8 temp path"));
    let mut cfg = c_config(&sim);
    cfg.raw.journal_path = journal_c.as_ptr();

    // A barcode sale whose payment code the refusal quotes.
    let auth_code = wechat_code('0');
    let auth_code_c = c(&auth_code);
    sim.inject_for(Some("sdkBarcodePay"), 1, Fault::EchoSecrets);
    let mut req: starpos_barcode_pay_request = zeroed();
    req.auth_code = auth_code_c.as_ptr();
    req.amount = 7;
    req.total_amount = 7;
    let mut barcode: starpos_barcode_pay_response = zeroed();
    let st = unsafe { starpos_barcode_pay(&cfg.raw, &req, &mut barcode) };
    assert_eq!(
        st,
        starpos_status::STARPOS_ERR_GATEWAY,
        "{}",
        text(&barcode.error)
    );

    // Two official-account sales: by OAuth code and by openid.
    let mut pays: Vec<(starpos_status, starpos_pay_response)> = Vec::new();
    let oauth = unique("code");
    let openid = format!("oUpF8uMuAJO_M2pxb1Q9z{}", std::process::id());
    for (code, openid) in [(Some(&oauth), None), (None, Some(&openid))] {
        let code_c = code.map(|s| c(s));
        let openid_c = openid.map(|s| c(s));
        let request = starpos_pay_request {
            txn_time: ptr::null(),
            version: ptr::null(),
            code: code_c.as_ref().map_or(ptr::null(), |s| s.as_ptr()),
            openid: openid_c.as_ref().map_or(ptr::null(), |s| s.as_ptr()),
            amount: 9,
            total_amount: 9,
            subject: ptr::null(),
            sel_order_no: ptr::null(),
            goods_tag: ptr::null(),
            attach: ptr::null(),
        };
        sim.inject_for(Some("pubSigPay"), 1, Fault::EchoSecrets);
        let mut out: starpos_pay_response = zeroed();
        let st = unsafe { starpos_pay(&cfg.raw, &request, &mut out) };
        pays.push((st, out));
    }

    let secrets = [auth_code.as_str(), &oauth, &openid];
    let mut texts = vec![
        ("barcode message", text(&barcode.message)),
        ("barcode error", text(&barcode.error)),
    ];
    for (st, out) in &pays {
        assert_eq!(
            *st,
            starpos_status::STARPOS_ERR_GATEWAY,
            "{}",
            text(&out.error)
        );
        texts.push(("pay message", text(&out.message)));
        texts.push(("pay error", text(&out.error)));
    }
    for (what, t) in &texts {
        assert_clean(what, t, &secrets);
        assert!(t.contains("*** already used"), "{what}: {t}");
    }
    // The simulator's 18-digit logNo (a date and a sequence) is kept in the message.
    assert!(
        text(&barcode.message).contains("(logNo 20"),
        "{}",
        text(&barcode.message)
    );

    let mut listed: Vec<String> = Vec::new();
    let st = unsafe {
        starpos_journal_list(
            &cfg.raw,
            Some(collect),
            &mut listed as *mut Vec<String> as *mut c_void,
        )
    };
    assert_eq!(st, starpos_status::STARPOS_OK);
    assert_eq!(listed.len(), 3, "{listed:?}");
    for error in &listed {
        assert_clean("starpos_journal_list's error", error, &secrets);
        assert!(error.contains("*** already used"), "{error}");
    }
    let file = std::fs::read(&journal).expect("the journal file");
    assert_clean(
        "the journal file",
        &String::from_utf8_lossy(&file),
        &secrets,
    );
}
