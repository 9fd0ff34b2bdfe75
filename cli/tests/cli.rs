//! The `starpos` binary against the simulator: human and `--json` output, secrets masked,
//! exit statuses, environment credentials, help, usage errors, and the demo.

use starpos_sim::{SimConfig, Simulator};
use std::process::{Command, Output};

/// The credential variables, removed so a test sees only what it passes.
const CREDENTIAL_VARIABLES: [&str; 5] = [
    "STARPOS_GATEWAY",
    "STARPOS_ORG_NO",
    "STARPOS_MERC_ID",
    "STARPOS_TRM_NO",
    "STARPOS_KEY",
];

/// The binary with no credentials at all.
fn bare(args: &[&str]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_starpos"));
    for variable in CREDENTIAL_VARIABLES {
        command.env_remove(variable);
    }
    command
        .args(args)
        .output()
        .expect("the starpos binary runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

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
    assert_eq!(paid["total_amount"], 150, "a number of fen");
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
        (refund["result"].as_str(), refund["txnAmt"].as_u64()),
        (Some("S"), Some(50))
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
    assert_eq!(
        failure["in_doubt"], false,
        "qry only reads: nothing can have changed"
    );
    assert!(
        failure["hint"].as_str().unwrap().contains("STARPOS_KEY"),
        "{failure}"
    );
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
        "4. the getBrandWCPayRequest",
        "5. wait",
        "6. refund",
    ] {
        assert!(text.contains(step), "demo lacks {step:?}: {text}");
    }
    let steps: Vec<usize> = ["3. pubSigPay", "4. the getBrandWCPayRequest", "5. wait"]
        .iter()
        .map(|step| text.find(step).unwrap())
        .collect();
    assert!(
        steps.windows(2).all(|w| w[0] < w[1]),
        "the payer gets the JSAPI parameters before the wait: {text}"
    );
    assert_eq!(
        text.matches("   elapsed   ").count(),
        8,
        "every step says how long it took: {text}"
    );
    for step in ["7. the counter: scan", "8. the counter: show a QR code"] {
        assert!(text.contains(step), "demo lacks {step:?}: {text}");
    }
    assert!(
        text.contains("S (paid)") && text.contains("S (refunded)"),
        "{text}"
    );
}

#[test]
fn help_and_version_need_no_credentials() {
    for args in [&["-h"][..], &["--help"], &["help"]] {
        let out = bare(args);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {out:?}");
        let text = stdout(&out);
        for wanted in [
            "Usage: starpos",
            "pay",
            "oauth-url",
            "Exit statuses",
            "20  the order ended F",
            "21  not final yet",
            "64  usage",
            "STARPOS_KEY",
        ] {
            assert!(text.contains(wanted), "{args:?} lacks {wanted:?}: {text}");
        }
    }
    for args in [&["help", "pay"][..], &["pay", "-h"]] {
        let out = bare(args);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {out:?}");
        let text = stdout(&out);
        for wanted in [
            "Usage: starpos pay",
            "--total-amount <FEN>",
            "--protocol-version",
            "Exit: 0",
        ] {
            assert!(text.contains(wanted), "{args:?} lacks {wanted:?}: {text}");
        }
    }
    let top = stdout(&bare(&["--help"]));
    assert!(
        top.contains("1-11 the starpos status code")
            && top.contains("10 CANCELLED")
            && !top.contains("1-  "),
        "{top}"
    );
    // wait and sale end TIMEOUT (3) when still not final at their deadline: never 21.
    for command in ["wait", "sale"] {
        let text = stdout(&bare(&["help", command]));
        let exits = &text[text.find("Exit: ").expect("an exit line")..];
        assert!(exits.contains("3 TIMEOUT"), "{command}: {exits}");
        assert!(!exits.contains("21"), "{command}: {exits}");
    }
    let query = stdout(&bare(&["help", "query"]));
    assert!(query.contains("21 it is A or Z"), "{query}");
    let version = bare(&["--version"]);
    assert_eq!(version.status.code(), Some(0));
    assert_eq!(stdout(&version), format!("starpos {}\n", starpos::VERSION));
}

#[test]
fn usage_errors_exit_64_and_say_what_is_wrong() {
    let unknown = bare(&["frobnicate"]);
    assert_eq!(unknown.status.code(), Some(64));
    assert!(
        stderr(&unknown).contains("tip: the commands are qry, pay, query"),
        "{}",
        stderr(&unknown)
    );
    let typo = bare(&["refnd"]);
    assert_eq!(typo.status.code(), Some(64));
    assert!(
        stderr(&typo).contains("a similar subcommand exists: 'refund'"),
        "{}",
        stderr(&typo)
    );

    let incomplete = bare(&["pay", "--amount", "5"]);
    assert_eq!(incomplete.status.code(), Some(64));
    assert!(
        stderr(&incomplete).contains("--total-amount <FEN>"),
        "{}",
        stderr(&incomplete)
    );
    let no_credentials = bare(&["pay", "--code", "c", "--amount", "5", "--total-amount", "5"]);
    assert_eq!(no_credentials.status.code(), Some(64));
    assert!(
        stderr(&no_credentials).contains("--org-no is missing")
            && stderr(&no_credentials).contains("STARPOS_ORG_NO"),
        "{}",
        stderr(&no_credentials)
    );

    for amount in ["-5", "0", "1.5", "x"] {
        let out = bare(&["pay", "--amount", amount, "--total-amount", "5"]);
        assert_eq!(out.status.code(), Some(64), "{amount}");
        assert!(
            stderr(&out).contains("'--amount <FEN>': must be a whole number of fen, 1 or more"),
            "{amount}: {}",
            stderr(&out)
        );
    }

    let repeated = bare(&["query", "--qry-no", "1", "--qry-no", "2"]);
    assert_eq!(repeated.status.code(), Some(64));
    assert!(
        stderr(&repeated).contains("'--qry-no <NO>' cannot be used multiple times"),
        "{}",
        stderr(&repeated)
    );

    let old_version_option = bare(&["qry", "--version", "1"]);
    assert_eq!(old_version_option.status.code(), Some(64));
}

#[test]
fn usage_errors_under_json_are_one_json_object() {
    for args in [
        &["--json", "frobnicate"][..],
        &["pay", "--amount", "-5", "--total-amount", "5", "--json"],
        &["--json", "qry"],
    ] {
        let out = bare(args);
        assert_eq!(out.status.code(), Some(64), "{args:?}");
        assert_eq!(stderr(&out), "", "{args:?}: nothing but the JSON");
        let failure = json(&out);
        assert_eq!(failure["status"], "USAGE", "{args:?}: {failure}");
        assert!(failure["error"].as_str().is_some_and(|e| !e.is_empty()));
    }
    let failure = json(&bare(&["--json", "qry"]));
    assert!(
        failure["error"]
            .as_str()
            .unwrap()
            .contains("STARPOS_ORG_NO"),
        "{failure}"
    );
}

/// Pays 150 fen through the binary; the order's logNo.
fn pay_150(sim: &Simulator, code: &str) -> String {
    let out = starpos(
        sim,
        &[
            "--json",
            "pay",
            "--code",
            code,
            "--amount",
            "150",
            "--total-amount",
            "150",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "pay answering A is success");
    json(&out)["logNo"].as_str().unwrap().to_owned()
}

#[test]
fn order_states_decide_the_exit_status() {
    let sim = Simulator::start(SimConfig::default()).unwrap();
    let waiting = pay_150(&sim, "exit-code-1");
    let query = |log_no: &str| starpos(&sim, &["--json", "query", "--qry-no", log_no]);
    let out = query(&waiting);
    assert_eq!(out.status.code(), Some(21), "A: query again");
    assert_eq!(json(&out)["result"], "A");

    assert!(sim.cancel(&waiting));
    let out = query(&waiting);
    assert_eq!(out.status.code(), Some(20), "F: the order ended unpaid");
    assert_eq!(json(&out)["result"], "F");
    let out = starpos(&sim, &["wait", "--qry-no", &waiting, "--interval-ms", "20"]);
    assert_eq!(out.status.code(), Some(20), "{out:?}");
    assert!(stdout(&out).contains("result"), "{out:?}");

    let paid = pay_150(&sim, "exit-code-2");
    assert!(sim.confirm(&paid));
    assert_eq!(query(&paid).status.code(), Some(0));
    let out = starpos(&sim, &["--json", "wait", "--qry-no", &paid]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(json(&out)["result"], "S");

    assert!(sim.force_state(&paid, 'D'));
    assert_eq!(query(&paid).status.code(), Some(20), "D: revoked");
}

#[test]
fn a_wrong_key_on_a_read_only_call_says_nothing_changed() {
    let sim = Simulator::start(SimConfig::default()).unwrap();
    let log_no = pay_150(&sim, "wrong-key-1");
    for args in [&["qry"][..], &["query", "--qry-no", &log_no]] {
        let out = Command::new(env!("CARGO_BIN_EXE_starpos"))
            .args(["--gateway", &sim.base_url()])
            .args(["--org-no", starpos_sim::DEFAULT_ORG_NO])
            .args(["--merc-id", starpos_sim::DEFAULT_MERC_ID])
            .args(["--trm-no", starpos_sim::DEFAULT_TRM_NO])
            .args(["--key", "0000000000000000AAAAAAAAAAAAAAAA"])
            .args(args)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(6), "{args:?}: {out:?}");
        let text = stderr(&out);
        assert!(text.contains("SIGNATURE"), "{text}");
        assert!(text.contains("nothing changed"), "{text}");
        assert!(text.contains("check --key / STARPOS_KEY"), "{text}");
        assert!(!text.contains("do not send it again"), "{text}");
        assert!(!text.contains("0000000000000000AAAAAAAAAAAAAAAA"), "{text}");
    }
    let pay = Command::new(env!("CARGO_BIN_EXE_starpos"))
        .args(["--gateway", &sim.base_url()])
        .args(["--org-no", starpos_sim::DEFAULT_ORG_NO])
        .args(["--merc-id", starpos_sim::DEFAULT_MERC_ID])
        .args(["--trm-no", starpos_sim::DEFAULT_TRM_NO])
        .args(["--key", "0000000000000000AAAAAAAAAAAAAAAA"])
        .args([
            "pay",
            "--code",
            "wrong-key-2",
            "--amount",
            "5",
            "--total-amount",
            "5",
        ])
        .output()
        .unwrap();
    assert_eq!(pay.status.code(), Some(6), "{pay:?}");
    let text = stderr(&pay);
    assert!(
        text.contains("a pay or refund may have gone through")
            && text.contains("do not send it again"),
        "a pay keeps the in-doubt advice: {text}"
    );
}

#[test]
fn the_protocol_version_is_passed_through_and_checked() {
    let sim = Simulator::start(SimConfig::default()).unwrap();
    let out = starpos(&sim, &["qry", "--protocol-version", "V1.0.1"]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let sent = sim.requests();
    assert_eq!(sent.last().unwrap().fields["version"], "V1.0.1");

    let bad = starpos(&sim, &["qry", "--protocol-version", "V 1"]);
    assert_eq!(bad.status.code(), Some(1), "INVALID_ARGUMENT: {bad:?}");
    assert!(stderr(&bad).contains("version"), "{}", stderr(&bad));
    assert_eq!(sim.request_count(), 1, "the bad version was not sent");
}

/// A WeChat payment code (18 digits from 13) whose simulated payer behaves as `last` says.
fn payment_code(last: char) -> String {
    use std::sync::atomic::{AtomicU32, Ordering};
    static N: AtomicU32 = AtomicU32::new(0);
    let n = N.fetch_add(1, Ordering::Relaxed);
    format!("13{:09}{:06}{last}", std::process::id() % 1_000_000_000, n)
}

#[test]
fn counter_sales_from_the_command_line() {
    let sim = Simulator::start(SimConfig {
        settle_after: Some(std::time::Duration::from_millis(100)),
        ..SimConfig::default()
    })
    .unwrap();
    let pay = |last: char| {
        let code = payment_code(last);
        let out = starpos(
            &sim,
            &[
                "--json",
                "barcode-pay",
                "--auth-code",
                &code,
                "--amount",
                "5",
                "--total-amount",
                "5",
            ],
        );
        assert!(!stdout(&out).contains(&code), "the code is never printed");
        assert!(!stderr(&out).contains(&code), "the code is never printed");
        out
    };
    // Paid at once, refused, a password pending: 0, 20, 21.
    for (last, exit, result) in [('0', 0, "S"), ('2', 20, "F"), ('1', 21, "A")] {
        let out = pay(last);
        assert_eq!(out.status.code(), Some(exit), "{out:?}");
        let answer = json(&out);
        assert_eq!(answer["result"], result);
        assert_eq!(answer["payChannel"], "WXPAY", "inferred from the code");
        assert!(!answer["tradeNo"].as_str().unwrap().is_empty());
    }
    // The whole sale follows the password to S by the sale's own tradeNo.
    let code = payment_code('1');
    let out = starpos(
        &sim,
        &[
            "--json",
            "sale",
            "--auth-code",
            &code,
            "--amount",
            "9",
            "--total-amount",
            "9",
            "--interval-ms",
            "20",
            "--deadline-ms",
            "3000",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let done = json(&out);
    assert_eq!(done["result"], "S");
    let trade_no = done["tradeNo"].as_str().unwrap();
    assert_eq!(sim.order(trade_no).unwrap().auth_code_pays, 1);
    // A QR order: the payCode as text and drawn as a picture of characters.
    let out = starpos(
        &sim,
        &[
            "qr-pay",
            "--pay-channel",
            "ALIPAY",
            "--amount",
            "3",
            "--total-amount",
            "3",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let text = stdout(&out);
    assert!(text.contains("payCode"), "{text}");
    assert!(
        text.contains('█') && text.contains('▀'),
        "a QR picture: {text}"
    );
    // A code of no known shape without a channel: INVALID_ARGUMENT naming pay_channel.
    let out = starpos(
        &sim,
        &[
            "barcode-pay",
            "--auth-code",
            "999",
            "--amount",
            "5",
            "--total-amount",
            "5",
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    assert!(stderr(&out).contains("pay_channel: not given"), "{out:?}");
}

#[test]
fn revoke_and_the_closed_loop_from_the_command_line() {
    let sim = Simulator::start(SimConfig::default()).unwrap();
    // A paid sale, revoked: exit 0, the sale's query then says D (exit 20).
    let code = payment_code('1');
    let out = starpos(
        &sim,
        &[
            "--json",
            "barcode-pay",
            "--auth-code",
            &code,
            "--amount",
            "7",
            "--total-amount",
            "7",
        ],
    );
    assert_eq!(out.status.code(), Some(21), "{out:?}");
    let sale = json(&out)["tradeNo"].as_str().unwrap().to_owned();
    assert!(sim.confirm(&sale));
    let out = starpos(&sim, &["--json", "revoke", "--qry-no", &sale]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let answer = json(&out);
    assert_eq!(answer["result"], "S");
    assert_ne!(
        answer["tradeNo"].as_str().unwrap(),
        sale,
        "the revoke's own tradeNo"
    );
    assert_eq!(answer["amount"], 7);
    let out = starpos(&sim, &["--json", "query", "--qry-no", &sale]);
    assert_eq!(
        (out.status.code(), json(&out)["result"].clone()),
        (Some(20), "D".into())
    );
    // An unknown sale: refused, exit 7 (GATEWAY), nothing moved.
    let out = starpos(&sim, &["revoke", "--qry-no", "NOSUCHSALE9"]);
    assert_eq!(out.status.code(), Some(7), "{out:?}");
    // The closed loop: a sale the payer never confirms ends revoked (D, exit 20), not in
    // doubt, and the payer cannot pay it afterwards.
    let code = payment_code('1');
    let out = starpos(
        &sim,
        &[
            "--json",
            "sale",
            "--auth-code",
            &code,
            "--amount",
            "8",
            "--total-amount",
            "8",
            "--interval-ms",
            "50",
            "--deadline-ms",
            "400",
            "--revoke-on-give-up",
        ],
    );
    assert_eq!(out.status.code(), Some(20), "{out:?}");
    let done = json(&out);
    assert_eq!(done["result"], "D");
    let trade_no = done["tradeNo"].as_str().unwrap();
    assert!(!sim.confirm(trade_no), "a revoked sale cannot be paid");
    assert_eq!(sim.order(trade_no).unwrap().state, 'D');
}

#[test]
fn the_journal_and_recover_from_the_command_line() {
    let sim = Simulator::start(SimConfig::default()).unwrap();
    let dir = std::env::temp_dir().join(format!("starpos-cli-journal-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let journal = dir.join("sales.journal");
    let journal = journal.to_str().unwrap();
    // A QR order the payer has not scanned: recorded, open.
    let out = starpos(
        &sim,
        &[
            "--journal",
            journal,
            "--json",
            "qr-pay",
            "--pay-channel",
            "WXPAY",
            "--amount",
            "4",
            "--total-amount",
            "4",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let trade_no = json(&out)["tradeNo"].as_str().unwrap().to_owned();
    let listed = json(&bare(&["--journal", journal, "--json", "journal"]));
    assert_eq!(
        listed["entries"][0]["tradeNo"],
        trade_no.as_str(),
        "no credentials needed"
    );
    assert_eq!(listed["entries"][0]["settled"], false);
    // Still unscanned: recover reports it open, exit 21.
    let out = starpos(
        &sim,
        &[
            "--journal",
            journal,
            "--json",
            "recover",
            "--deadline-ms",
            "100",
        ],
    );
    assert_eq!(out.status.code(), Some(21), "{out:?}");
    // Scanned: recover settles it, exit 0; then nothing is left to report.
    assert!(sim.confirm(&trade_no));
    let out = starpos(&sim, &["--journal", journal, "--json", "recover"]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let report = json(&out);
    assert_eq!(report["entries"][0]["result"], "S");
    assert_eq!(report["entries"][0]["settled"], true);
    let out = starpos(&sim, &["--journal", journal, "--json", "recover"]);
    assert_eq!(json(&out)["entries"].as_array().unwrap().len(), 0);
    // Without a journal: a usage error naming the flag.
    let out = bare(&["recover"]);
    assert_eq!(out.status.code(), Some(64));
    assert!(stderr(&out).contains("--journal"), "{out:?}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_wait_or_sale_still_not_final_at_its_deadline_is_timeout_with_the_last_answer() {
    let sim = Simulator::start(SimConfig::default()).unwrap();
    // The payer never confirms: the order stays A.
    let waiting = pay_150(&sim, "deadline-1");
    let wait = |json: bool| {
        let mut args = vec!["wait", "--qry-no", &waiting];
        args.extend(["--interval-ms", "20", "--deadline-ms", "200"]);
        if json {
            args.push("--json");
        }
        starpos(&sim, &args)
    };
    let out = wait(true);
    assert_eq!(out.status.code(), Some(3), "TIMEOUT, not 21: {out:?}");
    let failure = json(&out);
    assert_eq!(failure["status"], "TIMEOUT");
    assert_eq!(failure["in_doubt"], false, "wait only reads");
    let last = &failure["last_answer"];
    assert_eq!(last["result"], "A", "{failure}");
    assert_eq!(last["logNo"], waiting.as_str(), "{failure}");
    assert!(last["orderNo"].is_string(), "{failure}");
    let out = wait(false);
    assert_eq!(out.status.code(), Some(3), "{out:?}");
    assert!(
        stdout(&out)
            .lines()
            .any(|l| l.starts_with("result ") && l.ends_with(" A")),
        "the last answer as a successful wait prints it: {out:?}"
    );
    assert!(stderr(&out).contains("TIMEOUT"), "{out:?}");

    // A barcode sale whose payer is still entering a password (code ending in 1).
    let sale = |code: &str, json: bool| {
        let mut args = vec!["sale", "--auth-code", code, "--amount", "9"];
        args.extend(["--total-amount", "9", "--interval-ms", "20"]);
        args.extend(["--deadline-ms", "200"]);
        if json {
            args.push("--json");
        }
        starpos(&sim, &args)
    };
    let out = sale(&payment_code('1'), true);
    assert_eq!(out.status.code(), Some(3), "TIMEOUT, not 21: {out:?}");
    let failure = json(&out);
    assert_eq!(failure["status"], "TIMEOUT");
    assert_eq!(failure["in_doubt"], true, "{failure}");
    let trade_no = failure["tradeNo"].as_str().unwrap().to_owned();
    let last = &failure["last_answer"];
    assert_eq!(last["result"], "A", "{failure}");
    assert_eq!(last["tradeNo"], trade_no.as_str(), "{failure}");
    assert!(
        last["logNo"].as_str().is_some_and(|l| !l.is_empty()),
        "{failure}"
    );
    assert!(last["orderNo"].is_string(), "{failure}");
    assert_eq!(
        sim.order(&trade_no).unwrap().auth_code_pays,
        1,
        "paid once, only queried after"
    );
    let out = sale(&payment_code('1'), false);
    assert_eq!(out.status.code(), Some(3), "{out:?}");
    let text = stdout(&out);
    assert!(
        text.lines()
            .any(|l| l.starts_with("result ") && l.ends_with(" A")),
        "{out:?}"
    );
    assert!(text.lines().any(|l| l.starts_with("logNo ")), "{out:?}");
    assert!(stderr(&out).contains("the tradeNo to query"), "{out:?}");
}

#[test]
fn the_payers_open_id_is_masked_and_add_field_and_the_terminal_fields_go_through() {
    let sim = Simulator::start(SimConfig::default()).unwrap();
    let sale = |extra: &[&str], json_out: bool| {
        let code = payment_code('0');
        let mut args: Vec<&str> = extra.to_vec();
        if json_out {
            args.push("--json");
        }
        args.extend([
            "--trm-typ",
            "I",
            "--latitude",
            "-31.5",
            "--longitude",
            "121.47370",
            "barcode-pay",
            "--auth-code",
            &code,
            "--amount",
            "5",
            "--total-amount",
            "5",
            "--add-field",
            "table 9",
        ]);
        starpos(&sim, &args)
    };
    let out = sale(&[], true);
    assert!(out.status.success(), "{out:?}");
    let answer = json(&out);
    assert_eq!(answer["openId"], "****", "masked: {answer}");
    assert_eq!(answer["addField"], "table 9");
    assert!(!stdout(&out).contains(starpos_sim::OPEN_ID_PREFIX));
    let sent = sim.requests().pop().unwrap();
    for (name, value) in [
        ("trmTyp", "I"),
        ("latitude", "-31.5"),
        ("longitude", "121.47370"),
        ("addField", "table 9"),
    ] {
        assert_eq!(sent.fields[name], value, "{name}");
    }
    let shown = json(&sale(&["--show-secrets"], true));
    assert!(
        shown["openId"]
            .as_str()
            .unwrap()
            .starts_with(starpos_sim::OPEN_ID_PREFIX),
        "{shown}"
    );
    let human = sale(&[], false);
    let text = stdout(&human);
    assert!(text.contains("openId") && text.contains("****"), "{text}");
    assert!(
        text.contains("addField") && text.contains("table 9"),
        "{text}"
    );
    assert!(!text.contains(starpos_sim::OPEN_ID_PREFIX), "{text}");
    // A coordinate of another form: the library's INVALID_ARGUMENT, naming it; nothing sent.
    let before = sim.request_count();
    let out = starpos(&sim, &["--latitude", "31", "query", "--qry-no", "1"]);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    assert!(
        stderr(&out).contains("latitude: must be degrees from -90 to 90"),
        "{out:?}"
    );
    assert_eq!(sim.request_count(), before);
}

/// The command line of [`starpos`], with stdout, stderr and stdin left to the caller.
fn starpos_command(sim: &Simulator, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_starpos"));
    command
        .args(["--gateway", &sim.base_url()])
        .args(["--org-no", starpos_sim::DEFAULT_ORG_NO])
        .args(["--merc-id", starpos_sim::DEFAULT_MERC_ID])
        .args(["--trm-no", starpos_sim::DEFAULT_TRM_NO])
        .args(["--key", starpos_sim::DEFAULT_KEY])
        .args(args);
    command
}

/// No panic (`failed printing to stdout`, exit 101): the documented status 74, and a word
/// on stderr naming the stream.
fn assert_output_lost(status: std::process::ExitStatus, stderr: &str) {
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(status.code(), Some(74), "{stderr}");
    assert!(stderr.contains("stdout could not be written"), "{stderr}");
}

#[test]
fn the_demo_with_stdout_closed_early_exits_74_without_a_panic() {
    use std::io::{BufRead, BufReader, Read};
    use std::process::Stdio;
    // `starpos demo | head -1`.
    let mut child = Command::new(env!("CARGO_BIN_EXE_starpos"))
        .arg("demo")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    assert!(first.starts_with("starpos demo"), "{first}");
    // The reader is dropped: the pipe is closed, the demo's next line meets EPIPE.
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    let status = child.wait().unwrap();
    assert_output_lost(status, &err);
    assert!(err.contains("broken pipe"), "{err}");
}

#[test]
fn a_sale_whose_answer_cannot_be_written_exits_74_and_points_to_the_journal() {
    use std::os::fd::OwnedFd;
    use std::os::unix::net::UnixStream;
    use std::process::Stdio;
    let sim = Simulator::start(SimConfig::default()).unwrap();
    let dir = std::env::temp_dir().join(format!("starpos-cli-lost-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let journal = dir.join("sales.journal");
    let journal = journal.to_str().unwrap();

    // `starpos barcode-pay ... > /dev/full`: the sale goes through, its answer cannot be
    // written.
    let code = payment_code('0');
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let out = starpos_command(
        &sim,
        &[
            "--journal",
            journal,
            "barcode-pay",
            "--auth-code",
            &code,
            "--amount",
            "6",
            "--total-amount",
            "6",
        ],
    )
    .stdout(Stdio::from(full))
    .output()
    .unwrap();
    let err = stderr(&out);
    assert_output_lost(out.status, &err);
    assert!(
        err.contains("sale journal") && err.contains(journal),
        "{err}"
    );
    let listed = json(&bare(&["--journal", journal, "--json", "journal"]));
    assert_eq!(listed["entries"][0]["kind"], "barcode_pay", "{listed}");
    assert_eq!(listed["entries"][0]["result"], "S", "the sale went through");

    // `starpos qr-pay ... | head -1` with the reader gone before the answer: a stream
    // whose other end is closed (EPIPE on the first write, whatever the timing).
    let (stdout_end, reader) = UnixStream::pair().unwrap();
    drop(reader);
    let out = starpos_command(
        &sim,
        &[
            "qr-pay",
            "--pay-channel",
            "WXPAY",
            "--amount",
            "4",
            "--total-amount",
            "4",
        ],
    )
    .stdout(Stdio::from(OwnedFd::from(stdout_end)))
    .output()
    .unwrap();
    let err = stderr(&out);
    assert_output_lost(out.status, &err);
    assert!(err.contains("query the order"), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_journal_shows_a_sale_that_needs_a_person() {
    // A barcode sale answered A (the payer at the password), then every query refused
    // "system busy" through three recoveries: never settled, flagged for a person.
    let sim = Simulator::start(SimConfig::default()).unwrap();
    let dir = std::env::temp_dir().join(format!("starpos-cli-attention-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let journal = dir.join("sales.journal");
    let journal = journal.to_str().unwrap();
    let code = payment_code('1');
    let out = starpos(
        &sim,
        &[
            "--journal",
            journal,
            "--json",
            "barcode-pay",
            "--auth-code",
            &code,
            "--amount",
            "7",
            "--total-amount",
            "7",
        ],
    );
    assert_eq!(out.status.code(), Some(21), "answered A: {out:?}");
    for _ in 0..3 {
        sim.inject_for(Some("sdkQryBarcodePay"), 100, starpos_sim::Fault::Busy);
        let out = starpos(
            &sim,
            &["--journal", journal, "recover", "--deadline-ms", "300"],
        );
        assert_eq!(out.status.code(), Some(21), "{out:?}");
        sim.clear_faults();
    }
    let listed = json(&bare(&["--journal", journal, "--json", "journal"]));
    let entry = &listed["entries"][0];
    assert_eq!(entry["attention"], true, "{listed}");
    assert_eq!(entry["settled"], false);
    assert_eq!(entry["recoveries"], 3);
    assert!(!entry["sysTime"].as_str().unwrap().is_empty());
    let text = stdout(&bare(&["--journal", journal, "journal"]));
    assert!(text.contains("NEEDS A PERSON"), "{text}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// The binary with no credentials, `COLUMNS` as given (or unset), stdout a pipe (no tty).
fn bare_columns(columns: Option<&str>, args: &[&str]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_starpos"));
    for variable in CREDENTIAL_VARIABLES {
        command.env_remove(variable);
    }
    command.env_remove("COLUMNS");
    if let Some(columns) = columns {
        command.env("COLUMNS", columns);
    }
    command
        .args(args)
        .output()
        .expect("the starpos binary runs")
}

/// The command names `starpos --help` lists.
fn command_names() -> Vec<String> {
    let top = stdout(&bare(&["--help"]));
    let list = &top[top.find("Commands:").expect("a command list")..];
    list.lines()
        .skip(1)
        .take_while(|l| !l.trim().is_empty())
        .filter_map(|l| l.split_whitespace().next().map(str::to_owned))
        .collect()
}

#[test]
fn every_help_screen_fits_100_columns_and_shows_the_global_options_once() {
    let names = command_names();
    assert!(names.len() > 10, "{names:?}");
    let mut screens = vec![vec!["--help".to_owned()]];
    for name in names.iter().filter(|n| *n != "help") {
        screens.push(vec![name.clone(), "--help".to_owned()]);
        screens.push(vec!["help".to_owned(), name.clone()]);
    }
    for screen in &screens {
        let args: Vec<&str> = screen.iter().map(String::as_str).collect();
        let out = bare_columns(None, &args);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {out:?}");
        let text = stdout(&out);
        for line in text.lines() {
            assert!(
                line.chars().count() <= 100,
                "{args:?}: a line of {} columns: {line:?}",
                line.chars().count()
            );
        }
        if args[0] != "--help" {
            // The global options are listed in `starpos --help` only; each command says so.
            // (The simulator's own `--org-no` names its merchant: an option of its own.)
            if !args.contains(&"sim") {
                assert!(!text.contains("--org-no <N>"), "{args:?}: {text}");
            }
            assert!(!text.contains("Global options:"), "{args:?}: {text}");
            assert!(
                text.contains("starpos --help lists them"),
                "{args:?}: {text}"
            );
        }
    }
    let top = stdout(&bare(&["--help"]));
    assert!(
        top.contains("--org-no <N>") && top.contains("Global options:"),
        "{top}"
    );
    // Still accepted after the command, though not listed there.
    let out = bare(&["query", "--qry-no", "1", "--json"]);
    assert_eq!(
        json(&out)["status"],
        "USAGE",
        "--json after the command: {out:?}"
    );
}

#[test]
fn help_wraps_to_the_terminal_and_keeps_the_exit_table_whole() {
    let out = bare_columns(Some("80"), &["--help"]);
    let text = stdout(&out);
    for line in text.lines() {
        assert!(line.chars().count() <= 80, "COLUMNS=80: {line:?}\n{text}");
    }
    // Each row of the exit table as written: no word cut, no row broken by the wrapping.
    for row in [
        "  21  not final yet: a query or barcode-pay answered A or Z, a refund or",
        "      revoke answered Z, or recover left sales open (query again, run",
        "  74  output lost: stdout (or stderr) was closed or full, so the answer could",
    ] {
        assert!(text.lines().any(|l| l == row), "lacks {row:?}:\n{text}");
    }
    let narrow = stdout(&bare_columns(Some("60"), &["pay", "--help"]));
    // (clap does not wrap the usage line.)
    assert!(
        narrow
            .lines()
            .filter(|l| !l.starts_with("Usage:"))
            .all(|l| l.chars().count() <= 60),
        "COLUMNS=60: {narrow}"
    );
}

#[test]
fn json_amounts_are_numbers_of_fen_in_every_answer() {
    let sim = Simulator::start(SimConfig::default()).unwrap();
    let dir = std::env::temp_dir().join(format!("starpos-cli-fen-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let journal = dir.join("sales.journal");
    let journal = journal.to_str().unwrap();
    let paid = json(&starpos(
        &sim,
        &[
            "--journal",
            journal,
            "--json",
            "pay",
            "--code",
            "fen-1",
            "--amount",
            "150",
            "--total-amount",
            "160",
        ],
    ));
    assert_eq!(paid["amount"], 150, "{paid}");
    assert_eq!(paid["total_amount"], 160, "{paid}");
    let log_no = paid["logNo"].as_str().unwrap().to_owned();
    let queried = json(&starpos(&sim, &["--json", "query", "--qry-no", &log_no]));
    assert_eq!(queried["amount"], 150, "{queried}");
    assert!(queried["refAmt"].is_u64(), "{queried}");
    assert!(sim.confirm(&log_no));
    let done = json(&starpos(&sim, &["--json", "wait", "--qry-no", &log_no]));
    let refund = json(&starpos(
        &sim,
        &[
            "--json",
            "refund",
            "--order-no",
            done["orderNo"].as_str().unwrap(),
            "--txn-amt",
            "50",
        ],
    ));
    assert_eq!(refund["txnAmt"], 50, "{refund}");
    let listed = json(&bare(&["--journal", journal, "--json", "journal"]));
    assert_eq!(listed["entries"][0]["amount"], 150, "{listed}");
    assert_eq!(listed["entries"][0]["total_amount"], 160, "{listed}");
    // Not an amount: still text.
    assert!(paid["logNo"].is_string() && paid["result"].is_string());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_demo_under_json_is_json_lines() {
    let out = bare(&["--json", "demo"]);
    assert!(out.status.success(), "{out:?}");
    let lines: Vec<serde_json::Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l:?}")))
        .collect();
    assert_eq!(lines.len(), 9, "8 steps and the summary: {lines:?}");
    for (n, step) in lines[..8].iter().enumerate() {
        assert_eq!(step["step"], n + 1, "{step}");
        assert!(step["name"].is_string() && step["elapsed_ms"].is_number());
    }
    assert_eq!(lines[2]["amount"], 1234, "an amount in fen, a number");
    assert_eq!(lines[5]["txnAmt"], 1234);
    assert_eq!(lines[0]["appIdKey"], "****", "masked");
    assert_eq!(lines[8]["done"], true);
    assert!(lines[8]["gateway_calls"].as_u64().unwrap() > 8);
}

#[test]
fn qr_pay_ends_with_the_trade_no_the_pay_code_and_the_wait_command() {
    let sim = Simulator::start(SimConfig::default()).unwrap();
    let qr = ["qr-pay", "--pay-channel", "WXPAY", "--amount", "4"];
    let qr: Vec<&str> = qr.into_iter().chain(["--total-amount", "4"]).collect();
    let out = starpos(&sim, &qr);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    let n = lines.len();
    let trade_no = lines[n - 3]
        .strip_prefix("tradeNo")
        .expect("tradeNo")
        .trim();
    assert!(lines[n - 2].starts_with("payCode "), "{text}");
    let pay_code = lines[n - 2]["payCode".len()..].trim();
    assert_eq!(sim.order(trade_no).unwrap().trade_no, trade_no);
    assert!(
        lines[n - 1].starts_with(&format!("next: starpos wait --qry-no {trade_no}")),
        "{text}"
    );
    // The QR code right above them, dark modules drawn (not light on dark): its quiet zone's
    // blank rows frame it, and no escapes when stdout is not a terminal.
    let picture: Vec<&&str> = lines
        .iter()
        .filter(|l| l.contains('█') || l.contains('▀') || l.contains('▄'))
        .collect();
    assert!(picture.len() > 10, "{text}");
    assert!(
        !text.contains('\x1b'),
        "plain when not a terminal: {text:?}"
    );
    let qr_end = lines.iter().rposition(|l| l.contains('█')).unwrap();
    assert!(qr_end < n - 3 && qr_end > n - 7, "{text}");
    // Its first row of modules starts with the finder pattern's dark top edge.
    assert!(picture[0].trim_start().starts_with("█▀▀▀▀▀█"), "{text}");
    assert!(!pay_code.is_empty());
    // Colours on request: black on bright white on every row of the code.
    let coloured = stdout(&starpos(&sim, &[&["--color", "always"][..], &qr].concat()));
    assert!(coloured.contains("\x1b[30;107m"), "{coloured:?}");
    // --no-color and NO_COLOR win over a terminal (auto) and keep it plain.
    let plain = stdout(&starpos(&sim, &[&["--no-color"][..], &qr].concat()));
    assert!(!plain.contains('\x1b'));
}

#[test]
fn qr_pay_on_a_terminal_draws_with_colours_unless_no_color() {
    // `script` runs the command on a pseudo-terminal; skipped where it is missing.
    if Command::new("script").arg("--version").output().is_err() {
        return;
    }
    let sim = Simulator::start(SimConfig::default()).unwrap();
    let line = format!(
        "{} --gateway {} --org-no {} --merc-id {} --trm-no {} --key {} qr-pay --pay-channel \
         WXPAY --amount 4 --total-amount 4",
        env!("CARGO_BIN_EXE_starpos"),
        sim.base_url(),
        starpos_sim::DEFAULT_ORG_NO,
        starpos_sim::DEFAULT_MERC_ID,
        starpos_sim::DEFAULT_TRM_NO,
        starpos_sim::DEFAULT_KEY
    );
    let on_tty = |no_color: bool| {
        let mut command = Command::new("script");
        command.args(["-qec", &line, "/dev/null"]);
        if no_color {
            command.env("NO_COLOR", "1");
        } else {
            command.env_remove("NO_COLOR");
        }
        stdout(&command.output().unwrap())
    };
    assert!(
        on_tty(false).contains("\x1b[30;107m"),
        "{:?}",
        on_tty(false)
    );
    assert!(!on_tty(true).contains("\x1b[30;107m"));
}

#[test]
fn the_journal_says_a_fresh_qr_order_is_made_not_paid_not_timeout() {
    let sim = Simulator::start(SimConfig::default()).unwrap();
    let dir = std::env::temp_dir().join(format!("starpos-cli-qr-open-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let journal = dir.join("sales.journal");
    let journal = journal.to_str().unwrap();
    let out = starpos(
        &sim,
        &[
            "--journal",
            journal,
            "qr-pay",
            "--pay-channel",
            "WXPAY",
            "--amount",
            "4",
            "--total-amount",
            "4",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let text = stdout(&bare(&["--journal", journal, "journal"]));
    assert!(text.contains("QR order made, not paid yet"), "{text}");
    assert!(!text.contains("TIMEOUT"), "nothing timed out: {text}");
    let listed = json(&bare(&["--journal", journal, "--json", "journal"]));
    assert_eq!(
        listed["entries"][0]["state"], "qr_made_not_paid",
        "{listed}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn call_fills_the_version_and_says_unknown_endpoint_for_a_404() {
    let sim = Simulator::start(SimConfig::default()).unwrap();
    let out = starpos(&sim, &["call", "pubSigQry", "--fields", "{}"]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert_eq!(sim.requests().last().unwrap().fields["version"], "V1.0.0");
    assert!(
        stdout(&out).contains(starpos_sim::DEFAULT_APP_ID),
        "{out:?}"
    );

    let out = starpos(&sim, &["call", "nope", "--fields", "{}"]);
    assert_eq!(out.status.code(), Some(4), "HTTP: {out:?}");
    let text = stderr(&out);
    assert!(text.contains("unknown endpoint \"nope\""), "{text}");
    assert!(!text.contains("may have gone through"), "{text}");
    let failure = json(&starpos(
        &sim,
        &["--json", "call", "nope", "--fields", "{}"],
    ));
    assert_eq!(failure["in_doubt"], false, "{failure}");
    assert!(failure["error"]
        .as_str()
        .unwrap()
        .contains("unknown endpoint"));

    let help = stdout(&bare(&["call", "--help"]));
    for field in ["orgNo", "mercId", "trmNo", "txnTime", "signType", "version"] {
        assert!(help.contains(field), "call's help names {field}: {help}");
    }
}

#[test]
fn errors_name_the_field_the_rule_and_what_to_do() {
    let out = bare(&[
        "pay",
        "--amount",
        "99999999999999999999",
        "--total-amount",
        "5",
    ]);
    assert_eq!(out.status.code(), Some(64));
    let text = stderr(&out);
    assert!(
        text.contains("'--amount <FEN>': too large: must be a whole number of fen, 1 or more")
            && text.contains("at most 13 digits"),
        "{text}"
    );
    let out = bare(&["--gateway", "sandbx", "qry"]);
    assert_eq!(out.status.code(), Some(64), "{out:?}");
    let text = stderr(&out);
    assert!(
        text.contains(
            "--gateway: must be production, sandbox or an http(s):// URL, got \"sandbx\""
        ),
        "{text}"
    );
    assert!(!text.contains("base_url"), "{text}");
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .unwrap()
        .port();
    let url = format!("http://127.0.0.1:{port}/adpweb/ehpspos3/");
    let out = Command::new(env!("CARGO_BIN_EXE_starpos"))
        .args(["--gateway", &url, "--org-no", starpos_sim::DEFAULT_ORG_NO])
        .args(["--merc-id", starpos_sim::DEFAULT_MERC_ID])
        .args(["--trm-no", starpos_sim::DEFAULT_TRM_NO])
        .args(["--key", starpos_sim::DEFAULT_KEY, "qry"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "CONNECT: {out:?}");
    let text = stderr(&out);
    assert!(text.contains(&format!("127.0.0.1:{port}")), "{text}");
    assert!(text.contains(&url) && text.contains("--gateway"), "{text}");
}

#[test]
fn the_manual_page_renders_and_completions_are_generated_and_committed() {
    let page = bare(&["man"]);
    assert!(page.status.success(), "{page:?}");
    let roff = stdout(&page);
    assert!(roff.contains(".TH starpos 1"), "{roff}");
    for section in ["COMMANDS", "EXIT STATUS", ".SS \"starpos qr-pay\""] {
        assert!(roff.contains(section), "lacks {section}");
    }
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let man_path = root.join("share/man/man1/starpos.1");
    if Command::new("man").arg("--version").output().is_ok() {
        let shown = Command::new("man")
            .arg("-l")
            .arg(&man_path)
            .env("MANPAGER", "cat")
            .env("MANWIDTH", "80")
            .output()
            .unwrap();
        let text = stdout(&shown);
        assert!(shown.status.success(), "{shown:?}");
        assert!(
            text.contains("EXIT STATUS") && text.contains("--gateway"),
            "{text}"
        );
    }
    let committed = [
        (vec!["man"], "share/man/man1/starpos.1"),
        (
            vec!["completions", "bash"],
            "share/bash-completion/completions/starpos",
        ),
        (
            vec!["completions", "zsh"],
            "share/zsh/site-functions/_starpos",
        ),
        (
            vec!["completions", "fish"],
            "share/fish/vendor_completions.d/starpos.fish",
        ),
    ];
    for (args, path) in committed {
        let generated = stdout(&bare(&args));
        assert!(
            generated.contains("qr-pay") && generated.contains("gateway"),
            "{args:?}: {generated}"
        );
        let file = std::fs::read_to_string(root.join(path)).unwrap_or_default();
        assert!(
            file == generated,
            "{path} is not what `starpos {}` prints: run scripts/cli-share.sh",
            args.join(" ")
        );
    }
    let out = bare(&["completions", "tcsh"]);
    assert_eq!(out.status.code(), Some(64));
}

#[test]
fn the_journal_summary_adds_up_the_day_per_kind_and_channel() {
    let sim = Simulator::start(SimConfig::default()).unwrap();
    let dir = std::env::temp_dir().join(format!("starpos-cli-summary-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let journal = dir.join("sales.journal");
    let journal = journal.to_str().unwrap();
    let sell = |args: &[&str]| {
        let mut all = vec!["--journal", journal, "--opr-id", "c02", "--json"];
        all.extend_from_slice(args);
        let out = starpos(&sim, &all);
        assert_eq!(out.status.code(), Some(0), "{out:?}");
        json(&out)
    };
    let code = payment_code('0');
    let paid = sell(&[
        "barcode-pay",
        "--auth-code",
        &code,
        "--amount",
        "120",
        "--total-amount",
        "120",
    ]);
    let order_no = paid["orderNo"].as_str().unwrap().to_owned();
    let qr = sell(&[
        "qr-pay",
        "--pay-channel",
        "ALIPAY",
        "--amount",
        "30",
        "--total-amount",
        "30",
    ]);
    let qr_trade_no = qr["tradeNo"].as_str().unwrap().to_owned();
    sell(&["refund", "--order-no", &order_no, "--txn-amt", "20"]);

    let listed = json(&bare(&["--journal", journal, "--json", "journal"]));
    assert_eq!(listed["entries"][0]["payChannel"], "WXPAY", "{listed}");
    assert_eq!(listed["entries"][0]["oprId"], "c02", "{listed}");

    let summary = json(&bare(&[
        "--journal",
        journal,
        "--json",
        "journal",
        "--summary",
    ]));
    assert_eq!(
        summary,
        serde_json::json!({"summary": [
            {"kind": "barcode_pay", "payChannel": "WXPAY", "count": 1, "paidFen": 120,
             "refundedFen": 0, "revokedFen": 0, "open": 0, "openTradeNos": []},
            {"kind": "qr_pay", "payChannel": "ALIPAY", "count": 1, "paidFen": 0,
             "refundedFen": 0, "revokedFen": 0, "open": 1, "openTradeNos": [qr_trade_no]},
            {"kind": "refund", "payChannel": "WXPAY", "count": 1, "paidFen": 0,
             "refundedFen": 20, "revokedFen": 0, "open": 0, "openTradeNos": []},
        ]})
    );
    let out = bare(&["--journal", journal, "journal", "--summary"]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].starts_with("kind"), "{text}");
    assert_eq!(
        lines[1].split_whitespace().collect::<Vec<_>>(),
        ["barcode_pay", "WXPAY", "1", "120", "0", "0", "0"],
        "{text}"
    );
    assert_eq!(
        lines[4].split_whitespace().collect::<Vec<_>>(),
        ["total", "3", "120", "20", "0", "1"],
        "{text}"
    );
    assert!(
        text.contains(&format!("open qr_pay ALIPAY: {qr_trade_no}")),
        "{text}"
    );
    // An empty journal: no rows.
    let empty = dir.join("empty.journal");
    let empty = empty.to_str().unwrap();
    let out = bare(&["--journal", empty, "--json", "journal", "--summary"]);
    assert_eq!(json(&out), serde_json::json!({"summary": []}));
    let _ = std::fs::remove_dir_all(&dir);
}

/// `starpos sale` (with `args` before the command) for a payer who never pays, sent SIGINT
/// after a second: its output and how long it took from the signal.
fn sale_interrupted(sim: &Simulator, args: &[&str]) -> (Output, std::time::Duration) {
    use std::process::Stdio;
    use std::time::{Duration, Instant};
    let code = payment_code('1');
    let mut all: Vec<&str> = args.to_vec();
    all.extend(["sale", "--auth-code", &code, "--amount", "7"]);
    all.extend(["--total-amount", "7", "--deadline-ms", "60000"]);
    let child = starpos_command(sim, &all)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_secs(1));
    let pid = libc::pid_t::try_from(child.id()).unwrap();
    // SAFETY: signals our own child, which has not been waited for yet.
    assert_eq!(unsafe { libc::kill(pid, libc::SIGINT) }, 0);
    let sent = Instant::now();
    let (done, finished) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = done.send(child.wait_with_output());
    });
    let out = finished
        .recv_timeout(Duration::from_secs(10))
        .expect("the sale ends within seconds of Ctrl-C")
        .unwrap();
    (out, sent.elapsed())
}

#[test]
fn ctrl_c_cancels_a_sale_in_doubt_with_the_trade_no_and_the_wait_command() {
    // No settle: the payer never confirms, the order stays A.
    let sim = Simulator::start(SimConfig::default()).unwrap();
    let dir = std::env::temp_dir().join(format!("starpos-cli-cancel-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let journal = dir.join("sales.journal");
    let journal = journal.to_str().unwrap();

    let (out, took) = sale_interrupted(&sim, &["--journal", journal]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(10), "CANCELLED: {out:?}");
    assert!(took < std::time::Duration::from_secs(3), "took {took:?}");
    assert!(err.contains("CANCELLED"), "{err}");
    assert!(err.contains("may still be paid"), "{err}");
    let trade_no = err
        .lines()
        .find_map(|l| l.strip_prefix("starpos: the tradeNo to query: "))
        .unwrap_or_else(|| panic!("the tradeNo: {err}"))
        .to_owned();
    assert!(
        err.contains(&format!("starpos wait --qry-no {trade_no}")),
        "{err}"
    );
    assert!(err.contains("journal keeps it open"), "{err}");
    // stderr is a pipe: no status line.
    assert!(!err.contains("waiting for the payer"), "{err}");
    assert!(!err.contains('\r'), "{err}");
    assert_eq!(sim.order(&trade_no).unwrap().auth_code_pays, 1);
    let listed = json(&bare(&["--journal", journal, "--json", "journal"]));
    let entry = &listed["entries"][0];
    assert_eq!(entry["tradeNo"], trade_no.as_str(), "{listed}");
    assert_eq!(
        entry["settled"], false,
        "the journal keeps it open: {listed}"
    );

    // Under --json: one object saying CANCELLED, in doubt, with the tradeNo.
    let (out, _) = sale_interrupted(&sim, &["--json"]);
    assert_eq!(out.status.code(), Some(10), "{out:?}");
    let failure = json(&out);
    assert_eq!(failure["status"], "CANCELLED", "{failure}");
    assert_eq!(failure["in_doubt"], true, "{failure}");
    let trade_no = failure["tradeNo"].as_str().unwrap();
    assert!(
        failure["hint"]
            .as_str()
            .unwrap()
            .contains(&format!("starpos wait --qry-no {trade_no}")),
        "{failure}"
    );
    assert!(!stderr(&out).contains("waiting for the payer"), "{out:?}");
    let _ = std::fs::remove_dir_all(&dir);
}
