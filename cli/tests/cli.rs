//! The `starpos` binary against the simulator: human and `--json` output, secrets masked,
//! exit statuses, environment credentials, usage errors, and the demo.

use starpos_sim::{SimConfig, Simulator};
use std::process::{Command, Output};

fn starpos(sim: &Simulator, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_starpos"))
        .args([
            "--gateway",
            &sim.base_url(),
            "--org-no",
            starpos_sim::DEFAULT_ORG_NO,
        ])
        .args([
            "--merc-id",
            starpos_sim::DEFAULT_MERC_ID,
            "--trm-no",
            starpos_sim::DEFAULT_TRM_NO,
        ])
        .args(["--key", starpos_sim::DEFAULT_KEY])
        .args(args)
        .output()
        .expect("the starpos binary runs")
}

fn json(output: &Output) -> serde_json::Value {
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is one JSON object ({e}): {}",
            String::from_utf8_lossy(&output.stdout)
        )
    })
}

#[test]
fn qry_json_uses_wire_names_and_masks_the_secret() {
    let sim = Simulator::start(SimConfig::default()).unwrap();
    let out = starpos(&sim, &["--json", "qry"]);
    assert!(out.status.success(), "{out:?}");
    let answer = json(&out);
    assert_eq!(answer["appId"], starpos_sim::DEFAULT_APP_ID);
    assert_eq!(answer["returnCode"], "000000");
    assert_eq!(answer["appIdKey"], "****");
    let shown = json(&starpos(&sim, &["--json", "--show-secrets", "qry"]));
    assert_eq!(shown["appIdKey"], starpos_sim::DEFAULT_APP_ID_KEY);
    let human = starpos(&sim, &["qry"]);
    let text = String::from_utf8_lossy(&human.stdout);
    assert!(
        text.contains("appId") && !text.contains(starpos_sim::DEFAULT_APP_ID_KEY),
        "{text}"
    );
}

#[test]
fn pay_wait_and_refund_from_the_command_line() {
    let sim = Simulator::start(SimConfig::default()).unwrap();
    let paid = json(&starpos(
        &sim,
        &[
            "--json",
            "pay",
            "--code",
            "cli-code-1",
            "--amount",
            "150",
            "--total-amount",
            "150",
        ],
    ));
    assert_eq!(paid["result"], "A");
    assert_eq!(paid["total_amount"], "150");
    let log_no = paid["logNo"].as_str().unwrap().to_owned();
    assert!(paid.get("PrepayId").is_some(), "wire names: {paid}");

    assert!(sim.confirm(&log_no));
    let done = json(&starpos(
        &sim,
        &["--json", "wait", "--qry-no", &log_no, "--interval-ms", "20"],
    ));
    assert_eq!(done["result"], "S");
    let order_no = done["orderNo"].as_str().unwrap().to_owned();

    let refund = json(&starpos(
        &sim,
        &[
            "--json",
            "refund",
            "--order-no",
            &order_no,
            "--txn-amt",
            "50",
        ],
    ));
    assert_eq!(
        (refund["result"].as_str(), refund["txnAmt"].as_str()),
        (Some("S"), Some("50"))
    );

    let too_much = starpos(
        &sim,
        &[
            "--json",
            "refund",
            "--order-no",
            &order_no,
            "--txn-amt",
            "101",
        ],
    );
    assert_eq!(
        too_much.status.code(),
        Some(7),
        "GATEWAY exits with its status code"
    );
    let failure = json(&too_much);
    assert_eq!(failure["status"], "GATEWAY");
    assert_eq!(failure["in_doubt"], false);
    assert!(failure["error"].as_str().unwrap().contains("returnCode"));
}

#[test]
fn failures_print_a_status_and_exit_with_its_code() {
    let sim = Simulator::start(SimConfig::default()).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_starpos"))
        .args(["--gateway", &sim.base_url(), "--json", "qry"])
        .env("STARPOS_ORG_NO", starpos_sim::DEFAULT_ORG_NO)
        .env("STARPOS_MERC_ID", starpos_sim::DEFAULT_MERC_ID)
        .env("STARPOS_TRM_NO", starpos_sim::DEFAULT_TRM_NO)
        .env("STARPOS_KEY", "0000000000000000AAAAAAAAAAAAAAAA")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(6), "{out:?}");
    let failure = json(&out);
    assert_eq!(failure["status"], "SIGNATURE");
    assert_eq!(failure["in_doubt"], true);
    assert!(!String::from_utf8_lossy(&out.stdout).contains("0000000000000000AAAAAAAAAAAAAAAA"));

    let invalid = starpos(
        &sim,
        &["pay", "--code", "c", "--amount", "5", "--total-amount", "4"],
    );
    assert_eq!(invalid.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&invalid.stderr).contains("amount: must not exceed"));

    let usage = starpos(&sim, &["pay", "--amount", "x"]);
    assert_eq!(usage.status.code(), Some(64));
    let unknown = starpos(&sim, &["--bogus"]);
    assert_eq!(unknown.status.code(), Some(64));
    assert_eq!(
        sim.request_count(),
        1,
        "only the signature case reached the gateway"
    );
}

#[test]
fn oauth_url_needs_no_gateway_and_the_demo_runs() {
    let out = Command::new(env!("CARGO_BIN_EXE_starpos"))
        .args([
            "oauth-url",
            "--app-id",
            "wx1",
            "--redirect-uri",
            "https://a.example/cb",
            "--state",
            "s1",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        "url  https://open.weixin.qq.com/connect/oauth2/authorize?appid=wx1&redirect_uri=https%3A%2F%2Fa.example%2Fcb&response_type=code&scope=snsapi_base&state=s1#wechat_redirect"
    );
    let demo = Command::new(env!("CARGO_BIN_EXE_starpos"))
        .arg("demo")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&demo.stdout);
    assert!(demo.status.success(), "{text}");
    for step in [
        "1. pubSigQry",
        "2. the OAuth link",
        "3. pubSigPay",
        "4. wait",
        "5. the getBrandWCPayRequest",
        "6. refund",
    ] {
        assert!(text.contains(step), "demo lacks {step:?}: {text}");
    }
    assert!(
        text.contains("S (paid)") && text.contains("S (refunded)"),
        "{text}"
    );
}
