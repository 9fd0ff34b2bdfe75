//! The `starpos-sim` binary: its help is the shared declaration (`starpos_sim::cli`), a busy
//! port fails at once with its own status, usage errors exit 64, and what it prints once
//! listening (the base URL, keys masked unless asked).

use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::process::{Child, Command, ExitStatus, Output, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

fn starpos_sim() -> Command {
    Command::new(env!("CARGO_BIN_EXE_starpos-sim"))
}

/// Runs it with `args` and waits at most `limit` for it to exit (killed then, and the test
/// fails).
fn run_within(args: &[&str], limit: Duration) -> (Output, Duration) {
    let started = Instant::now();
    let mut child = starpos_sim()
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the starpos-sim binary runs");
    let status = wait_within(&mut child, limit);
    let took = started.elapsed();
    let output = child.wait_with_output().expect("its output");
    assert!(
        status.is_some(),
        "starpos-sim {args:?} still ran after {limit:?}: {}",
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

/// A simulator process, killed when dropped.
struct Running {
    child: Child,
    /// What it printed up to the line saying it serves.
    banner: String,
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts it and reads its banner (at most 10 s).
fn serve(args: &[&str]) -> Running {
    let mut child = starpos_sim()
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("the starpos-sim binary runs");
    let stdout = child.stdout.take().expect("piped stdout");
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let mut running = Running {
        child,
        banner: String::new(),
    };
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match rx.recv_timeout(left) {
            Ok(line) => {
                running.banner.push_str(&line);
                running.banner.push('\n');
                if line.starts_with("serving until interrupted") {
                    return running;
                }
            }
            Err(_) => panic!("no banner within 10 s; got {:?}", running.banner),
        }
    }
}

#[test]
fn help_is_the_shared_declaration() {
    let (out, _) = run_within(&["--help"], Duration::from_secs(10));
    assert!(out.status.success());
    let help = String::from_utf8(out.stdout).unwrap();
    let shared = starpos_sim::cli::command().render_help().to_string();
    assert_eq!(help.trim_end(), shared.trim_end());
    for option in [
        "--port <PORT>",
        "--bind <ADDR>",
        "--settle-after-ms <MS>",
        "--org-no <N>",
        "--merc-id <N>",
        "--key <KEY>",
        "--app-id <ID>",
        "--app-id-key <KEY>",
        "--show-secrets",
    ] {
        assert!(help.contains(option), "{option} missing from\n{help}");
    }
    assert!(!help.contains(starpos_sim::DEFAULT_KEY));
    assert!(!help.contains(starpos_sim::DEFAULT_APP_ID_KEY));
}

#[test]
fn a_busy_port_fails_at_once_saying_address_in_use() {
    let held = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = held.local_addr().unwrap().port().to_string();
    for args in [
        &["--port", &port][..],
        &["--bind", &format!("127.0.0.1:{port}")],
    ] {
        let (out, took) = run_within(args, Duration::from_secs(5));
        let words = String::from_utf8_lossy(&out.stderr);
        assert_eq!(
            out.status.code(),
            Some(i32::from(starpos_sim::cli::EXIT_CANNOT_LISTEN)),
            "{words}"
        );
        assert!(
            words.contains(&format!(
                "cannot listen on 127.0.0.1:{port}: address in use"
            )),
            "{words}"
        );
        assert!(words.contains("pick another --port"), "{words}");
        assert!(out.stdout.is_empty(), "no base URL on a busy port");
        assert!(took < Duration::from_secs(3), "took {took:?}");
    }
}

#[test]
fn usage_errors_exit_64() {
    for (args, words) in [
        (&["--bogus"][..], "unexpected argument '--bogus'"),
        (&["--port", "x"], "invalid value 'x' for '--port <PORT>'"),
        (&["--port", "1", "--bind", "127.0.0.1:2"], "different ports"),
        (&["--settle-after-ms"], "a value is required"),
    ] {
        let (out, _) = run_within(args, Duration::from_secs(10));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(64), "{args:?}: {stderr}");
        assert!(stderr.contains(words), "{args:?}: {stderr}");
        assert!(stderr.contains("--help"), "{args:?}: {stderr}");
    }
}

#[test]
fn the_banner_has_the_base_url_and_masks_the_keys() {
    let key = "K".repeat(12) + "secretpart";
    let sim = serve(&[
        "--port",
        "0",
        "--settle-after-ms",
        "250",
        "--org-no",
        "77",
        "--merc-id",
        "M77",
        "--key",
        &key,
        "--app-id-key",
        "appsecretpart",
    ]);
    let banner = &sim.banner;
    let url = banner
        .lines()
        .find_map(|l| l.trim_start().strip_prefix("base URL:"))
        .map(str::trim)
        .expect("a base URL line");
    assert!(url.starts_with("http://127.0.0.1:") && url.ends_with("/adpweb/ehpspos3/"));
    assert!(banner.contains("orgNo:      77") && banner.contains("mercId:     M77"));
    assert!(banner.contains("250 ms after the pay"), "{banner}");
    assert!(!banner.contains("secretpart"), "{banner}");
    assert!(banner.contains("key:        **** (22 characters, --show-secrets to see)"));
    drop(sim);

    let shown = serve(&["--key", &key, "--show-secrets"]);
    assert!(shown.banner.contains(&format!("key:        {key}\n")));
    assert!(shown.banner.contains(starpos_sim::DEFAULT_APP_ID_KEY));
}
