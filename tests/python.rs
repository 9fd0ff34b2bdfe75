//! The Python binding (the `starpos` package in `python/starpos/`, ctypes over
//! `libstarpos.so`): its example (`examples/python/sale.py`) and its unit tests
//! (`python/test_starpos.py`, run as `python3 -m unittest` from `python/`), run with `python3`
//! against in-process simulators. (`.ci/python.sh` runs the same tests against the package
//! installed by `pip install ./python` in a fresh venv.)
//!
//! The library is the `libstarpos.so` that `cargo test` builds (the crate's `cdylib`), found
//! beside this test binary: `target/<profile>/deps/` or, when newer, `target/<profile>/`. It is
//! handed to Python as `STARPOS_LIBRARY`, which the package loads only when it bundles no
//! library of its own (`python/starpos/libstarpos.so`, which comes first): the tests refuse to
//! run on a source tree holding one. A missing `python3` fails the tests (set `PYTHON` to use
//! another interpreter).
#![cfg(target_os = "linux")]

mod common;

use common::process::run;

use starpos::ffi::{
    starpos_barcode_pay_request, starpos_barcode_pay_response, starpos_config,
    starpos_journal_entry, starpos_pay_request, starpos_pay_response, starpos_qr_pay_request,
    starpos_qr_pay_response, starpos_qry_request, starpos_qry_response, starpos_query_request,
    starpos_query_response, starpos_refund_request, starpos_refund_response,
};
use starpos_sim::{
    OrderKind, SimConfig, Simulator, DEFAULT_KEY, DEFAULT_MERC_ID, DEFAULT_ORG_NO, DEFAULT_TRM_NO,
};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::Duration;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The newest `libstarpos.so` in `target/<profile>/deps/` (built by this `cargo test`) or
/// `target/<profile>/` (copied there by `cargo build`). This test runs as
/// `target/<profile>/deps/python-<hash>`.
fn shared_library() -> PathBuf {
    let exe = std::env::current_exe().expect("the test knows its own path");
    let deps = exe.parent().expect("the test binary is in a directory");
    let profile = deps.parent().expect("deps/ has a parent");
    let candidates = [deps.join("libstarpos.so"), profile.join("libstarpos.so")];
    candidates
        .iter()
        .filter_map(|p| Some((std::fs::metadata(p).ok()?.modified().ok()?, p)))
        .max_by_key(|(modified, _)| *modified)
        .map(|(_, p)| p.clone())
        .unwrap_or_else(|| {
            panic!(
                "libstarpos.so is in neither {} nor {}: cargo test should build it (the crate's \
                 crate-type lists cdylib); try `cargo build --lib`",
                candidates[0].display(),
                candidates[1].display()
            )
        })
}

/// The Python interpreter; fails the test, saying why, when there is none. None (the test is
/// skipped with a note) when it is not of this test's architecture: a cross `cargo test
/// --target ...` under an emulator, where the host's Python cannot load the target's library.
fn python() -> Option<String> {
    let python = std::env::var("PYTHON")
        .ok()
        .filter(|v| !v.trim().is_empty())
        .unwrap_or_else(|| "python3".to_owned());
    let works = Command::new(&python)
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    assert!(
        works,
        "no working Python: `{python}` did not run. These tests check the Python binding and \
         must not pass without it: install python3 or set PYTHON"
    );
    let machine = Command::new(&python)
        .args(["-c", "import platform; print(platform.machine())"])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_default();
    if !machine.is_empty() && !same_arch(&machine) {
        println!(
            "note: `{python}` runs as {machine}, this test as {}: the Python binding is not \
             tested here",
            std::env::consts::ARCH
        );
        return None;
    }
    Some(python)
}

/// True when `machine` (`x86_64`, `armv7l`, `aarch64`, ...) is this test's architecture.
fn same_arch(machine: &str) -> bool {
    match std::env::consts::ARCH {
        "x86" => matches!(machine, "i386" | "i486" | "i586" | "i686"),
        "arm" => machine.starts_with("arm"),
        own => machine == own,
    }
}

/// `{"starpos_config": [size, align], ...}` of the Rust (C ABI) structs, for the Python test
/// to compare its ctypes mirrors with.
fn abi_sizes() -> String {
    fn entry<T>(name: &str) -> String {
        format!(
            "\"{name}\": [{}, {}]",
            std::mem::size_of::<T>(),
            std::mem::align_of::<T>()
        )
    }
    let entries = [
        entry::<starpos_config>("starpos_config"),
        entry::<starpos_qry_request>("starpos_qry_request"),
        entry::<starpos_qry_response>("starpos_qry_response"),
        entry::<starpos_pay_request>("starpos_pay_request"),
        entry::<starpos_pay_response>("starpos_pay_response"),
        entry::<starpos_query_request>("starpos_query_request"),
        entry::<starpos_query_response>("starpos_query_response"),
        entry::<starpos_refund_request>("starpos_refund_request"),
        entry::<starpos_refund_response>("starpos_refund_response"),
        entry::<starpos_barcode_pay_request>("starpos_barcode_pay_request"),
        entry::<starpos_barcode_pay_response>("starpos_barcode_pay_response"),
        entry::<starpos_qr_pay_request>("starpos_qr_pay_request"),
        entry::<starpos_qr_pay_response>("starpos_qr_pay_response"),
        entry::<starpos_journal_entry>("starpos_journal_entry"),
    ];
    format!("{{{}}}", entries.join(", "))
}

/// A simulator of the default merchant; payments settle `settle_after` after `pubSigPay`
/// (never by themselves when `None`).
fn simulator(settle_after: Option<Duration>) -> Simulator {
    Simulator::start(SimConfig {
        settle_after,
        ..SimConfig::default()
    })
    .expect("the simulator starts on a free port")
}

/// `python3 <args>` in `dir` (relative to the repository), with the library, the package
/// (`PYTHONPATH=python`) and the gateway in the environment.
fn python_command(python: &str, dir: &str, gateway: &str, args: &[&str]) -> Command {
    // The package loads a library bundled beside it before STARPOS_LIBRARY: one left in the
    // source tree (copied by hand) would be tested instead of the one this `cargo test` built.
    let bundled = repo().join("python/starpos/libstarpos.so");
    assert!(
        !bundled.exists(),
        "{} exists: the Python package would load it, not {} (STARPOS_LIBRARY); remove it",
        bundled.display(),
        shared_library().display()
    );
    let mut cmd = Command::new(python);
    cmd.current_dir(repo().join(dir))
        .args(args)
        .env("PYTHONPATH", repo().join("python"))
        .env("STARPOS_LIBRARY", shared_library())
        .env("STARPOS_GATEWAY", gateway)
        .env("STARPOS_ORG_NO", DEFAULT_ORG_NO)
        .env("STARPOS_MERC_ID", DEFAULT_MERC_ID)
        .env("STARPOS_TRM_NO", DEFAULT_TRM_NO)
        .env("STARPOS_KEY", DEFAULT_KEY)
        .env("STARPOS_HEADER", repo().join("include/starpos.h"))
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .env("PYTHONIOENCODING", "utf-8")
        .env_remove("STARPOS_GATEWAY_UNSETTLED")
        .env_remove("STARPOS_ABI_SIZES");
    cmd
}

#[test]
fn python_sale_example() {
    let Some(python) = python() else { return };
    let sim = simulator(Some(Duration::from_millis(200)));
    let run = run(python_command(
        &python,
        ".",
        &sim.base_url(),
        &[
            "examples/python/sale.py",
            "--amount",
            "321",
            "--interval-ms",
            "50",
            "--deadline-ms",
            "15000",
        ],
    ));
    let all = run.describe();
    println!("{all}");
    assert_eq!(run.code, Some(0), "sale.py did not succeed:\n{all}");
    let version_line = format!("libstarpos {}", env!("CARGO_PKG_VERSION"));
    for line in [
        version_line.as_str(),
        "[1] pubSigQry: OK",
        "[2] oauth link: https://open.weixin.qq.com/connect/oauth2/authorize?appid=",
        "[3] pubSigPay: OK",
        "[4] jsapi params for the H5 page: {\"appId\":",
        "[5] order final: result S",
        "sale result: S",
        "txnAmt 321 fen",
        "refund result: S",
        "[7] counter sale: result S",
        "amount 321 fen",
        "[8] counter refund: result S, txnAmt 321 fen",
        "done: sale S, refund S, counter sale S, counter refund S",
    ] {
        assert!(
            run.stdout.contains(line),
            "sale.py stdout lacks {line:?}:\n{all}"
        );
    }
    assert!(
        !all.contains(DEFAULT_KEY),
        "the key must never be printed:\n{all}"
    );
    let orders = sim.orders();
    assert_eq!(
        orders.len(),
        2,
        "exactly one order per sale (WeChat, counter): {orders:?}"
    );
    for order in &orders {
        assert_eq!(
            (order.state, order.amount, order.refunded),
            ('S', 321, 321),
            "{order:?}"
        );
    }
    let kinds: Vec<OrderKind> = orders.iter().map(|o| o.kind).collect();
    assert_eq!(kinds, [OrderKind::OfficialAccount, OrderKind::Barcode]);
    assert_eq!(
        orders[1].auth_code_pays, 1,
        "the payment code was sent once"
    );
    sim.shutdown();
}

#[test]
fn python_unit_tests() {
    let Some(python) = python() else { return };
    let settled = simulator(Some(Duration::from_millis(150)));
    let unsettled = simulator(None);
    let mut cmd = python_command(
        &python,
        "python",
        &settled.base_url(),
        &["-m", "unittest", "-v"],
    );
    cmd.env("STARPOS_GATEWAY_UNSETTLED", unsettled.base_url())
        .env("STARPOS_ABI_SIZES", abi_sizes());
    let run = run(cmd);
    let all = run.describe();
    // unittest reports on stderr; shown in full whenever the test fails (and with --nocapture).
    println!("{all}");
    assert_eq!(run.code, Some(0), "python -m unittest failed:\n{all}");
    assert!(run.stderr.contains("\nOK"), "no unittest verdict:\n{all}");
    // Every environment variable was given: nothing may have been skipped.
    assert!(
        !run.stderr.contains("skipped"),
        "some Python tests were skipped:\n{all}"
    );
    let ran: usize = run
        .stderr
        .lines()
        .find_map(|l| l.strip_prefix("Ran ")?.split(' ').next()?.parse().ok())
        .unwrap_or(0);
    assert!(
        ran >= 30,
        "expected at least 30 Python tests, ran {ran}:\n{all}"
    );
    // The simulators saw the traffic: payments settled on one, stayed 'A' on the other.
    assert!(settled
        .orders()
        .iter()
        .any(|o| o.state == 'S' && o.refunded > 0));
    // Stayed 'A', or revoked ('D') by the revoke tests: never paid.
    assert!(unsettled
        .orders()
        .iter()
        .all(|o| o.state == 'A' || o.state == 'D'));
    assert!(unsettled.orders().iter().any(|o| o.state == 'D'));
    assert!(unsettled.request_count() >= 2);
    settled.shutdown();
    unsettled.shutdown();
}
