//! The wall-clock shim (`tests/shim/clock_shim.c`), compiled with `cc` at test time: a child
//! process run with it preloaded reads `CLOCK_REALTIME` moved by an offset or frozen, while its
//! monotonic clock (every timeout) runs as usual.

use std::path::PathBuf;
use std::process::Command;
use std::sync::OnceLock;

/// Seconds added to the real wall clock (may be negative).
pub const OFFSET: &str = "STARPOS_SHIM_CLOCK_OFFSET";
/// The wall clock frozen at this many seconds since 1970 (wins over [`OFFSET`]).
pub const AT: &str = "STARPOS_SHIM_CLOCK_AT";

/// The shim's path, compiled once per test process; panics with `cc`'s words if it does not
/// build (a machine without a C compiler cannot run these tests).
pub fn path() -> PathBuf {
    static BUILT: OnceLock<PathBuf> = OnceLock::new();
    BUILT
        .get_or_init(|| {
            let source = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/shim/clock_shim.c");
            let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
            let out = dir.join("libstarpos_clock_shim.so");
            // Built beside, then renamed: test binaries running at once never see half a file.
            let building = dir.join(format!("libstarpos_clock_shim.{}.so", std::process::id()));
            let cc = std::env::var("CC").unwrap_or_else(|_| "cc".to_owned());
            let built = Command::new(&cc)
                .args(["-shared", "-fPIC", "-O2", "-Wall", "-o"])
                .arg(&building)
                .arg(&source)
                .arg("-ldl")
                .output()
                .unwrap_or_else(|e| panic!("{cc} could not be run to build the clock shim: {e}"));
            assert!(
                built.status.success(),
                "the clock shim did not build: {}",
                String::from_utf8_lossy(&built.stderr)
            );
            std::fs::rename(&building, &out).expect("the built shim moved into place");
            out
        })
        .clone()
}

/// Runs `cmd` with the shim preloaded and its wall clock `offset_secs` from the real one.
pub fn offset(cmd: &mut Command, offset_secs: i64) -> &mut Command {
    cmd.env("LD_PRELOAD", path())
        .env(OFFSET, offset_secs.to_string())
        .env_remove(AT)
}

/// Runs `cmd` with the shim preloaded and its wall clock frozen at `unix_secs`.
pub fn frozen(cmd: &mut Command, unix_secs: u64) -> &mut Command {
    cmd.env("LD_PRELOAD", path())
        .env(AT, unix_secs.to_string())
        .env_remove(OFFSET)
}
