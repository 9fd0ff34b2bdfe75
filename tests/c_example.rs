//! The C examples, built the way a firmware engineer builds them: `examples/c/sale.c` and
//! `examples/c/edge.c` compiled with the system C compiler against `include/starpos.h`, linked
//! once with `libstarpos.so` (rpath) and once with `libstarpos.a`, and run against an
//! in-process simulator.
//!
//! `cargo test` builds the library's `cdylib` and `staticlib` too (the crate lists them in
//! `crate-type`), into `target/<profile>/deps/`; `cargo build` also copies them up into
//! `target/<profile>/`. The newest of the two is used.
//!
//! The shared library has a SONAME (`libstarpos.so.0.<minor>` for 0.x), which is what a program linked
//! with `-lstarpos` asks for at run time; cargo makes no file of that name. As on a device, the
//! test puts it beside each program (a symlink) and links with `-Wl,-rpath,$ORIGIN`.
//!
//! A missing C compiler fails the tests (CI installs gcc); set `CC` to use another one. A
//! missing C++ compiler (`CXX`, else `c++`) or `make` only skips the check that needs it. Under
//! a cross `cargo test --target ...` (an emulator runs this test; the host's compiler builds
//! for another architecture and nothing could run the programs) the tests skip with a note.

mod common;
#[path = "common/soname.rs"]
mod soname;

use common::process::run;

use starpos_sim::{
    SimConfig, Simulator, DEFAULT_APP_ID, DEFAULT_KEY, DEFAULT_MERC_ID, DEFAULT_ORG_NO,
    DEFAULT_TRM_NO,
};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

/// What `cargo rustc --lib --crate-type staticlib -- --print native-static-libs` prints for
/// this crate on x86_64 Linux (glibc): what the Rust standard library needs from the system.
const NATIVE_STATIC_LIBS: &[&str] = &[
    "-lgcc_s",
    "-lutil",
    "-lrt",
    "-lpthread",
    "-lm",
    "-ldl",
    "-lc",
];

/// The strictness the examples promise.
/// `-pthread`: counter.c's cashier thread fires the cancel (libc has pthreads on glibc 2.34+,
/// an older one needs the flag).
const C_FLAGS: &[&str] = &[
    "-std=c99",
    "-Wall",
    "-Wextra",
    "-Werror",
    "-pedantic",
    "-pthread",
];

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `target/<profile>`: this test runs as `target/<profile>/deps/c_example-<hash>`.
fn profile_dir() -> PathBuf {
    let exe = std::env::current_exe().expect("the test knows its own path");
    let deps = exe.parent().expect("the test binary is in a directory");
    assert_eq!(
        deps.file_name().and_then(|n| n.to_str()),
        Some("deps"),
        "expected the test binary in target/<profile>/deps/, it is at {}",
        exe.display()
    );
    deps.parent().expect("deps/ has a parent").to_path_buf()
}

/// The newest `file_name` (`libstarpos.so`, `libstarpos.a`) in `target/<profile>/deps/` (built
/// by this `cargo test`) or `target/<profile>/` (copied there by `cargo build`).
fn library(file_name: &str) -> PathBuf {
    let profile = profile_dir();
    let candidates = [
        profile.join("deps").join(file_name),
        profile.join(file_name),
    ];
    candidates
        .iter()
        .filter_map(|p| Some((std::fs::metadata(p).ok()?.modified().ok()?, p)))
        .max_by_key(|(modified, _)| *modified)
        .map(|(_, p)| p.clone())
        .unwrap_or_else(|| {
            panic!(
                "{file_name} is in neither {} nor {}: cargo test should build it (the crate's \
                 crate-type lists cdylib and staticlib); try `cargo build --lib`",
                candidates[0].display(),
                candidates[1].display()
            )
        })
}

/// A fresh directory for this test's programs under cargo's tmpdir for integration tests
/// (removed when the test passes, kept for a look when it fails).
fn work_dir(test: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("c_example")
        .join(format!("{test}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("the test's temporary directory can be created");
    dir
}

/// A compiler from the environment variable `var`, else `default`; None when it does not run.
fn compiler(var: &str, default: &str) -> Option<String> {
    let cc = std::env::var(var)
        .ok()
        .filter(|v| !v.trim().is_empty())
        .unwrap_or_else(|| default.to_owned());
    let works = Command::new(&cc)
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    works.then_some(cc)
}

/// True when a compiler or interpreter for `machine` (`x86_64-linux-gnu`, `armv7l`, ...) makes
/// programs of the architecture this test runs as.
fn same_arch(machine: &str) -> bool {
    let arch = machine.trim().split('-').next().unwrap_or_default();
    match std::env::consts::ARCH {
        "x86" => matches!(arch, "i386" | "i486" | "i586" | "i686"),
        "arm" => arch.starts_with("arm"),
        own => arch == own,
    }
}

/// True unless `compiler -dumpmachine` names another architecture than this test's.
fn builds_for_this_arch(compiler: &str) -> bool {
    let machine = Command::new(compiler).arg("-dumpmachine").output();
    match machine {
        Ok(out) if out.status.success() => same_arch(&String::from_utf8_lossy(&out.stdout)),
        _ => true,
    }
}

/// The C compiler. Fails the test, saying why, when there is none. None (the test is skipped
/// with a note) when it builds for another architecture than this test runs as: a cross
/// `cargo test --target ...` under an emulator, where the programs could not run from here.
fn c_compiler() -> Option<String> {
    let cc = compiler("CC", "cc").unwrap_or_else(|| {
        panic!(
            "no working C compiler: `{}` did not run. These tests build the C examples and must \
             not pass without them: install gcc (apt-get install gcc) or set CC",
            std::env::var("CC").unwrap_or_else(|_| "cc".into())
        )
    });
    if !builds_for_this_arch(&cc) {
        println!(
            "note: `{cc}` builds for another architecture than this test ({}): the C examples \
             are not built or run here",
            std::env::consts::ARCH
        );
        return None;
    }
    Some(cc)
}

/// How to link: with the shared library (found at run time through an rpath) or the static one.
#[derive(Clone, Copy, Debug)]
enum Link {
    Shared,
    Static,
}

/// Runs a compiler command, failing the test with its output when it does not succeed.
fn compile(mut cmd: Command, what: &str) {
    let shown = format!("{cmd:?}");
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("{what}: could not run {shown}: {e}"));
    assert!(
        out.status.success(),
        "{what} failed ({}):\n{shown}\n--- stdout\n{}\n--- stderr\n{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    // -Werror turns warnings into failures; anything else on stderr is worth seeing too.
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.trim().is_empty(),
        "{what} printed diagnostics:\n{stderr}"
    );
}

/// The linker arguments for a program in `dir` to use `libstarpos.so`: `-L` its directory,
/// `-lstarpos`, and an rpath of `$ORIGIN`, with the library linked into `dir` under both its
/// plain name and its SONAME.
fn shared_link_args(dir: &Path) -> Vec<String> {
    let so = library("libstarpos.so");
    let soname = soname::soname();
    for name in ["libstarpos.so", soname.as_str()] {
        let link = dir.join(name);
        let _ = std::fs::remove_file(&link);
        std::os::unix::fs::symlink(&so, &link)
            .unwrap_or_else(|e| panic!("cannot link {} to {}: {e}", link.display(), so.display()));
    }
    let lib_dir = so.parent().expect("the library is in a directory");
    vec![
        format!("-L{}", lib_dir.display()),
        "-lstarpos".to_owned(),
        "-Wl,-rpath,$ORIGIN".to_owned(),
    ]
}

/// Compiles `examples/c/<name>.c` into `dir`, linked as `link`; returns the program's path.
fn build_example(cc: &str, name: &str, link: Link, dir: &Path) -> PathBuf {
    let source = repo().join("examples/c").join(format!("{name}.c"));
    let program = dir.join(format!("{name}-{link:?}").to_lowercase());
    let mut cmd = Command::new(cc);
    cmd.args(C_FLAGS)
        .arg("-I")
        .arg(repo().join("include"))
        .arg("-o")
        .arg(&program)
        .arg(&source);
    match link {
        Link::Shared => {
            cmd.args(shared_link_args(dir));
        }
        Link::Static => {
            cmd.arg(library("libstarpos.a")).args(NATIVE_STATIC_LIBS);
        }
    }
    compile(cmd, &format!("compiling {name}.c ({link:?})"));
    program
}

/// A simulator whose payments settle (`S`) 200 ms after `pubSigPay`.
fn simulator() -> Simulator {
    Simulator::start(SimConfig {
        settle_after: Some(Duration::from_millis(200)),
        ..SimConfig::default()
    })
    .expect("the simulator starts on a free port")
}

/// Builds sale.c linked as `link`, runs the whole sale against a fresh simulator, checks the
/// program's words and the simulator's books.
fn sale(link: Link) {
    let Some(cc) = c_compiler() else { return };
    let dir = work_dir(&format!("sale-{link:?}").to_lowercase());
    let program = build_example(&cc, "sale", link, &dir);
    let sim = simulator();
    let mut cmd = Command::new(&program);
    // Credentials from the environment, the rest as options: both ways are exercised.
    cmd.env("STARPOS_ORG_NO", DEFAULT_ORG_NO)
        .env("STARPOS_MERC_ID", DEFAULT_MERC_ID)
        .env("STARPOS_TRM_NO", DEFAULT_TRM_NO)
        .env("STARPOS_KEY", DEFAULT_KEY)
        .env_remove("STARPOS_GATEWAY")
        .args(["--gateway", &sim.base_url()])
        .args(["--code", &format!("c-{link:?}-code")])
        .args(["--amount", "1234"])
        .args(["--interval-ms", "50", "--deadline-ms", "15000"])
        .arg("--verbose");
    let run = run(cmd);
    let all = run.describe();
    assert_eq!(run.code, Some(0), "sale ({link:?}) did not succeed:\n{all}");
    let version_line = format!("libstarpos {}", env!("CARGO_PKG_VERSION"));
    for line in [
        version_line.as_str(),
        "[1] pubSigQry: OK",
        "appid=",
        DEFAULT_APP_ID,
        "[3] pubSigPay: OK",
        "result A",
        "[4] jsapi params for the H5 page: {\"appId\":",
        "[5] order final: result S",
        "sale result: S",
        "txnAmt 1234 fen",
        "refund result: S",
        "done: sale S, refund S",
    ] {
        assert!(
            run.stdout.contains(line),
            "sale ({link:?}) stdout lacks {line:?}:\n{all}"
        );
    }
    // --verbose: the library's logger wrote to stderr, without secrets.
    for line in [
        "[starpos info] pubSigPay: OK",
        "[starpos info] sdkRefundBarcodePay: OK",
    ] {
        assert!(
            run.stderr.contains(line),
            "sale ({link:?}) stderr lacks {line:?}:\n{all}"
        );
    }
    let code = format!("c-{link:?}-code");
    assert!(
        !all.contains(DEFAULT_KEY),
        "the merchant key must never be printed:\n{all}"
    );
    assert!(
        !run.stderr.contains(&code),
        "the log must not show the OAuth code:\n{all}"
    );
    // The simulator's side: one order, paid, fully refunded, by this terminal.
    let orders = sim.orders();
    assert_eq!(orders.len(), 1, "exactly one order: {orders:?}");
    let order = &orders[0];
    assert_eq!(order.state, 'S');
    assert_eq!((order.amount, order.refunded), (1234, 1234));
    assert_eq!(order.trm_no, DEFAULT_TRM_NO);
    assert_eq!(order.code, code);
    let endpoints: Vec<String> = sim.requests().into_iter().map(|r| r.endpoint).collect();
    assert_eq!(
        endpoints.first().map(String::as_str),
        Some("pubSigQry"),
        "{endpoints:?}"
    );
    assert_eq!(
        endpoints.last().map(String::as_str),
        Some("sdkRefundBarcodePay"),
        "{endpoints:?}"
    );
    assert_eq!(
        endpoints.iter().filter(|e| *e == "pubSigPay").count(),
        1,
        "one pay: {endpoints:?}"
    );
    sim.shutdown();
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn sale_with_the_shared_library() {
    sale(Link::Shared);
}

#[test]
fn sale_with_the_static_library() {
    sale(Link::Static);
}

/// Builds counter.c linked as `link` and runs it twice on one journal against a fresh
/// simulator: the counter sales end paid, each code was sent once, the journal holds both
/// settled, and the second run's recovery finds nothing open.
fn counter(link: Link) {
    let Some(cc) = c_compiler() else { return };
    let dir = work_dir(&format!("counter-{link:?}").to_lowercase());
    let program = build_example(&cc, "counter", link, &dir);
    let sim = simulator();
    let journal = dir.join("sales.journal");
    let counter_run = || {
        let mut cmd = Command::new(&program);
        cmd.env("STARPOS_ORG_NO", DEFAULT_ORG_NO)
            .env("STARPOS_MERC_ID", DEFAULT_MERC_ID)
            .env("STARPOS_TRM_NO", DEFAULT_TRM_NO)
            .env("STARPOS_KEY", DEFAULT_KEY)
            .args(["--gateway", &sim.base_url()])
            .arg("--journal")
            .arg(&journal)
            .args([
                "--amount",
                "880",
                "--interval-ms",
                "50",
                "--deadline-ms",
                "15000",
            ]);
        run(cmd)
    };
    let first = counter_run();
    let all = first.describe();
    assert_eq!(
        first.code,
        Some(0),
        "counter ({link:?}) did not succeed:\n{all}"
    );
    for line in [
        "[0] recover: OK, 0 sale(s) still unknown",
        "[1] barcode sale: final, result S (paid)",
        "channel WXPAY",
        "[2] QR order made: show https://",
        "[2] QR sale: final, result S (paid)",
        "[3] journal: 2 sale(s) paid, 1760 fen, 0 open",
        "done: barcode S, QR S",
    ] {
        assert!(
            first.stdout.contains(line),
            "counter ({link:?}) stdout lacks {line:?}:\n{all}"
        );
    }
    // The progress callback drew the status line (one line a report: stderr is a pipe).
    assert!(
        first
            .stderr
            .contains("    waiting for the payer: 0 queries, "),
        "counter ({link:?}) stderr lacks the status line:\n{all}"
    );
    assert!(!first.stdout.contains("pressed cancel"), "{all}");
    let orders = sim.orders();
    assert_eq!(orders.len(), 2, "{orders:?}");
    assert!(orders
        .iter()
        .all(|o| o.state == 'S' && o.trm_no == DEFAULT_TRM_NO));
    let barcode: Vec<_> = orders.iter().filter(|o| o.auth_code_pays > 0).collect();
    assert_eq!(barcode.len(), 1);
    assert_eq!(barcode[0].auth_code_pays, 1, "the code was sent once");
    let text = std::fs::read_to_string(&journal).expect("the journal was written");
    assert!(!text.contains(DEFAULT_KEY), "the key is never journaled");
    let second = counter_run();
    assert_eq!(second.code, Some(0), "{}", second.describe());
    assert!(
        second
            .stdout
            .contains("[3] journal: 4 sale(s) paid, 3520 fen, 0 open"),
        "{}",
        second.describe()
    );
    sim.shutdown();
    let _ = std::fs::remove_dir_all(&dir);
}

/// counter.c whose cashier presses cancel during the barcode sale, against a simulator whose
/// payer never confirms: the sale ends CANCELLED within the press (in doubt, its tradeNo to
/// query later), the order is still `A` and was paid once, and the journal keeps it open.
fn counter_cancelled(link: Link) {
    let Some(cc) = c_compiler() else { return };
    let dir = work_dir(&format!("counter-cancel-{link:?}").to_lowercase());
    let program = build_example(&cc, "counter", link, &dir);
    let sim = Simulator::start(SimConfig::default()).expect("the simulator starts");
    let journal = dir.join("sales.journal");
    let mut cmd = Command::new(&program);
    cmd.env("STARPOS_ORG_NO", DEFAULT_ORG_NO)
        .env("STARPOS_MERC_ID", DEFAULT_MERC_ID)
        .env("STARPOS_TRM_NO", DEFAULT_TRM_NO)
        .env("STARPOS_KEY", DEFAULT_KEY)
        .args(["--gateway", &sim.base_url()])
        .arg("--journal")
        .arg(&journal)
        .args(["--interval-ms", "50", "--deadline-ms", "600"])
        .args(["--cancel-after-ms", "300"]);
    let started = std::time::Instant::now();
    let run = run(cmd);
    let all = run.describe();
    assert_eq!(run.code, Some(3), "in doubt:\n{all}");
    // The press at 300 ms, then the QR wait's 600 ms deadline: far from the sale's own.
    assert!(started.elapsed() < Duration::from_secs(10), "{all}");
    for line in [
        "[1] the cashier pressed cancel",
        "[1] barcode sale cancelled, may still be paid: query tradeNo ",
        "[3] journal: 0 sale(s) paid, 0 fen, 2 open",
    ] {
        assert!(run.stdout.contains(line), "stdout lacks {line:?}:\n{all}");
    }
    assert!(run.stderr.contains(", last A, "), "{all}");
    let barcode: Vec<_> = sim
        .orders()
        .into_iter()
        .filter(|o| o.auth_code_pays > 0)
        .collect();
    assert_eq!(barcode.len(), 1, "{barcode:?}");
    assert_eq!((barcode[0].state, barcode[0].auth_code_pays), ('A', 1));
    sim.shutdown();
    let _ = std::fs::remove_dir_all(&dir);
}

/// counter.c with the closed loop: the cashier's cancel gives the sale up, the library
/// revokes it, and the payer who confirms afterwards is not charged.
fn counter_closed_loop(link: Link) {
    let Some(cc) = c_compiler() else { return };
    let dir = work_dir(&format!("counter-loop-{link:?}").to_lowercase());
    let program = build_example(&cc, "counter", link, &dir);
    let sim = Simulator::start(SimConfig::default()).expect("the simulator starts");
    let journal = dir.join("sales.journal");
    let mut cmd = Command::new(&program);
    cmd.env("STARPOS_ORG_NO", DEFAULT_ORG_NO)
        .env("STARPOS_MERC_ID", DEFAULT_MERC_ID)
        .env("STARPOS_TRM_NO", DEFAULT_TRM_NO)
        .env("STARPOS_KEY", DEFAULT_KEY)
        .args(["--gateway", &sim.base_url()])
        .arg("--journal")
        .arg(&journal)
        .args(["--interval-ms", "50", "--deadline-ms", "600"])
        .args(["--cancel-after-ms", "300", "--revoke-on-give-up"]);
    let run = run(cmd);
    let all = run.describe();
    assert_eq!(run.code, Some(1), "a sale not paid:\n{all}");
    for line in [
        "[1] the cashier pressed cancel",
        "[1] barcode sale given up and revoked (D): the payer is not charged, tradeNo ",
    ] {
        assert!(run.stdout.contains(line), "stdout lacks {line:?}:\n{all}");
    }
    let sale = sim
        .orders()
        .into_iter()
        .find(|o| o.auth_code_pays > 0)
        .expect("the barcode sale");
    assert!(!sim.confirm(&sale.trade_no), "the payer confirms too late");
    assert_eq!(sim.order(&sale.trade_no).unwrap().state, 'D', "not charged");
    sim.shutdown();
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn counter_closed_loop_shared() {
    counter_closed_loop(Link::Shared);
}

#[test]
fn counter_cancelled_by_the_cashier_shared() {
    counter_cancelled(Link::Shared);
}

#[test]
fn counter_cancelled_by_the_cashier_static() {
    counter_cancelled(Link::Static);
}

#[test]
fn counter_with_the_shared_library() {
    counter(Link::Shared);
}

#[test]
fn counter_with_the_static_library() {
    counter(Link::Static);
}

#[test]
fn sale_without_credentials_is_a_usage_error() {
    let Some(cc) = c_compiler() else { return };
    let dir = work_dir("usage");
    let program = build_example(&cc, "sale", Link::Shared, &dir);
    let mut cmd = Command::new(&program);
    for var in [
        "STARPOS_GATEWAY",
        "STARPOS_ORG_NO",
        "STARPOS_MERC_ID",
        "STARPOS_TRM_NO",
        "STARPOS_KEY",
    ] {
        cmd.env_remove(var);
    }
    let run = run(cmd);
    assert_eq!(run.code, Some(2), "{}", run.describe());
    assert!(run.stderr.contains("required"), "{}", run.describe());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn edge_cases_through_the_c_abi() {
    let Some(cc) = c_compiler() else { return };
    let dir = work_dir("edge");
    for link in [Link::Shared, Link::Static] {
        let program = build_example(&cc, "edge", link, &dir);
        let run = run(Command::new(&program));
        let all = run.describe();
        assert_eq!(
            run.code,
            Some(0),
            "edge ({link:?}) found mismatches:\n{all}"
        );
        assert!(!run.stdout.contains("FAIL"), "edge ({link:?}):\n{all}");
        assert!(
            run.stdout.contains(", 0 failures"),
            "edge ({link:?}):\n{all}"
        );
        // Each family of checks ran.
        for line in [
            "ok   qry: config NULL",
            "ok   pay: code and openid NULL",
            "ok   oauth_url: 16 bytes is too small",
            "ok   jsapi_params: 32 bytes is too small",
            "ok   sign_json: the documentation's worked example",
        ] {
            assert!(
                run.stdout.contains(line),
                "edge ({link:?}) lacks {line:?}:\n{all}"
            );
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// The header is also valid C++ (cbindgen's `cpp_compat`): a C++ program includes it, calls
/// into the shared library and runs.
#[test]
fn header_works_from_cpp() {
    let Some(cxx) = compiler("CXX", "c++").filter(|cxx| builds_for_this_arch(cxx)) else {
        println!(
            "note: no C++ compiler for this architecture (CXX or c++): the C++ check of \
             starpos.h is skipped"
        );
        return;
    };
    let dir = work_dir("cpp");
    let source = dir.join("header.cpp");
    std::fs::write(
        &source,
        r#"#include "starpos.h"
#include <cstdio>
#include <cstring>

int main() {
    starpos_config cfg = starpos_config();
    starpos_qry_response qry;
    cfg.org_no = "489";
    starpos_status st = starpos_qry(&cfg, nullptr, &qry);
    if (st != STARPOS_ERR_INVALID_ARGUMENT || std::strstr(qry.error, "merc_id") == nullptr) {
        std::printf("unexpected: %s %s\n", starpos_status_str(st), qry.error);
        return 1;
    }
    std::printf("c++ ok %s %s\n", starpos_version(), starpos_status_str(st));
    return 0;
}
"#,
    )
    .expect("the C++ source can be written");
    let program = dir.join("header-cpp");
    let mut cmd = Command::new(&cxx);
    cmd.args(["-std=c++11", "-Wall", "-Wextra", "-Werror", "-pedantic"])
        .arg("-I")
        .arg(repo().join("include"))
        .arg("-o")
        .arg(&program)
        .arg(&source)
        .args(shared_link_args(&dir));
    compile(cmd, "compiling a C++ program with starpos.h");
    let run = run(Command::new(&program));
    assert_eq!(run.code, Some(0), "{}", run.describe());
    assert!(run.stdout.contains("c++ ok"), "{}", run.describe());
    let _ = std::fs::remove_dir_all(&dir);
}

/// `examples/c/Makefile` builds all four programs (shared and static) and its `check` passes.
#[test]
fn makefile_builds_both_flavours() {
    let has_make = Command::new("make")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !has_make {
        println!("note: no `make`: the Makefile check is skipped");
        return;
    }
    let Some(cc) = c_compiler() else { return };
    let dir = work_dir("make");
    let so = library("libstarpos.so");
    let a = library("libstarpos.a");
    assert_eq!(
        so.parent(),
        a.parent(),
        "the .so and the .a should come from the same build"
    );
    let mut cmd = Command::new("make");
    cmd.arg("-C")
        .arg(repo().join("examples/c"))
        .arg(format!("STARPOS_DIR={}", repo().display()))
        .arg(format!(
            "LIBDIR={}",
            so.parent().expect("a directory").display()
        ))
        .arg(format!("OUT={}", dir.display()))
        .arg(format!("CC={cc}"))
        .args(["all", "check"]);
    let run = run(cmd);
    assert_eq!(run.code, Some(0), "make failed:\n{}", run.describe());
    for program in [
        "sale-shared",
        "sale-static",
        "counter-shared",
        "counter-static",
        "edge-shared",
        "edge-static",
    ] {
        assert!(dir.join(program).is_file(), "make did not build {program}");
    }
    assert_eq!(
        run.stdout.matches(", 0 failures").count(),
        2,
        "both edge programs ran clean:\n{}",
        run.describe()
    );
    let _ = std::fs::remove_dir_all(&dir);
}
