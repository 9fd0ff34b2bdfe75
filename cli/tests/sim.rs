//! `starpos sim`: the simulator's own options (the help lists what `starpos-sim --help`
//! lists), a busy port failing at once with its documented status, and a simulator that
//! serves what its options and the `STARPOS_*` credentials say.

use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::process::{Child, Command, ExitStatus, Output, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

fn starpos() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_starpos"));
    for variable in [
        "STARPOS_GATEWAY",
        "STARPOS_ORG_NO",
        "STARPOS_MERC_ID",
        "STARPOS_TRM_NO",
        "STARPOS_KEY",
    ] {
        command.env_remove(variable);
    }
    command
}

/// Runs `starpos args`, waiting at most `limit` for it to exit (killed then, and the test
/// fails).
fn run_within(args: &[&str], limit: Duration) -> (Output, Duration) {
    let started = Instant::now();
    let mut child = starpos()
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the starpos binary runs");
    let status = wait_within(&mut child, limit);
    let took = started.elapsed();
    let output = child.wait_with_output().expect("its output");
    assert!(
        status.is_some(),
        "starpos {args:?} still ran after {limit:?}: {}",
        String::from_utf8_lossy(&output.stdout)
    );
    (output, took)
}

fn wait_within(child: &mut Child, limit: Duration) -> Option<ExitStatus> {
    let deadline = Instant::now() + limit;
    while Instant::now() < deadline {
        if let Some(status) = child.try_wait().expect("try_wait") {
            return Some(status);
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    let _ = child.kill();
    None
}

/// The lines of a help text's section `heading` (up to the blank line that ends it).
fn section<'a>(help: &'a str, heading: &str) -> Vec<&'a str> {
    help.lines()
        .skip_while(|l| *l != heading)
        .skip(1)
        .take_while(|l| !l.is_empty())
        .collect()
}

#[test]
fn help_lists_the_options_of_starpos_sim() {
    let (out, _) = run_within(&["sim", "--help"], Duration::from_secs(10));
    assert!(out.status.success());
    let help = String::from_utf8(out.stdout).unwrap();
    // What the starpos-sim binary prints for --help (sim/tests/cli.rs checks that it is).
    let own = starpos_sim::cli::command().render_help().to_string();
    let options = section(&help, "Options:");
    assert!(options.len() >= 10, "{help}");
    assert_eq!(options, section(&own, "Options:"));
    // The simulator's exits, then the line every command's help ends with.
    assert!(
        help.contains(starpos_sim::cli::AFTER_HELP.trim_end()),
        "{help}"
    );
    assert!(!help.contains(starpos_sim::DEFAULT_KEY));
}

#[test]
fn a_busy_port_exits_69_at_once_saying_address_in_use() {
    let held = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = held.local_addr().unwrap().port().to_string();
    let (out, took) = run_within(&["sim", "--port", &port], Duration::from_secs(5));
    let words = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(69), "{words}");
    assert!(
        words.contains(&format!(
            "starpos: cannot listen on 127.0.0.1:{port}: address in use"
        )),
        "{words}"
    );
    assert!(out.stdout.is_empty());
    assert!(took < Duration::from_secs(3), "took {took:?}");

    let (out, _) = run_within(&["--json", "sim", "--port", &port], Duration::from_secs(5));
    assert_eq!(out.status.code(), Some(69));
    let failure: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(failure["status"], "CANNOT_LISTEN");
    assert_eq!(failure["in_doubt"], false);
    assert!(failure["error"]
        .as_str()
        .unwrap()
        .contains("address in use"));
}

#[test]
fn usage_errors_exit_64() {
    for args in [
        &["sim", "--port", "x"][..],
        &["sim", "--port", "1", "--bind", "127.0.0.1:2"],
        &["sim", "--bind", "localhost"],
    ] {
        let (out, _) = run_within(args, Duration::from_secs(10));
        assert_eq!(
            out.status.code(),
            Some(64),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

/// A `starpos sim` process, killed when dropped.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts `starpos sim` with `args` and `env`, and returns it with its base URL (at most
/// 10 s).
fn serve(args: &[&str], env: &[(&str, &str)]) -> (Running, String) {
    let mut child = starpos()
        .arg("sim")
        .args(args)
        .envs(env.iter().copied())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("the starpos binary runs");
    let stdout = child.stdout.take().expect("piped stdout");
    let running = Running(child);
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let line = rx.recv_timeout(left).expect("a base URL line within 10 s");
        if let Some(url) = line.trim_start().strip_prefix("base URL:") {
            return (running, url.trim().to_owned());
        }
    }
}

fn qry(url: &str, org_no: &str, merc_id: &str, key: &str) -> Output {
    let args = [
        "--gateway",
        url,
        "--org-no",
        org_no,
        "--merc-id",
        merc_id,
        "--trm-no",
        starpos_sim::DEFAULT_TRM_NO,
        "--key",
        key,
        "--json",
        "qry",
    ];
    run_within(&args, Duration::from_secs(20)).0
}

#[test]
fn it_serves_the_merchant_its_options_and_variables_name() {
    const FLAG_KEY: &str = "0123456789ABCDEF0123456789ABCDEF";
    const ENV_KEY: &str = "FEDCBA9876543210FEDCBA9876543210";
    let (_sim, url) = serve(
        &[
            "--org-no",
            "555",
            "--merc-id",
            "800290000005555",
            "--key",
            FLAG_KEY,
        ],
        &[],
    );
    let out = qry(&url, "555", "800290000005555", FLAG_KEY);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let wrong_key = qry(&url, "555", "800290000005555", starpos_sim::DEFAULT_KEY);
    assert_eq!(wrong_key.status.code(), Some(6), "{wrong_key:?}");

    // The credentials the other commands read are the simulator's too; the flag wins.
    let (_sim, url) = serve(
        &["--merc-id", "800290000006666"],
        &[
            ("STARPOS_ORG_NO", "666"),
            ("STARPOS_MERC_ID", "800290000000000"),
            ("STARPOS_KEY", ENV_KEY),
        ],
    );
    let out = qry(&url, "666", "800290000006666", ENV_KEY);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
}
