//! The ABI checker itself (`scripts/abi.sh`, docs/c.md "ABI and versions"): on a copy of
//! `include/starpos.h` with a snapshot made from it, each kind of incompatible change makes
//! `check` fail and name what changed, and additions pass.
//!
//! Needs python3 and a C compiler (`CC`, else `cc`), as CI has; a missing one fails the test.

#[path = "common/process.rs"]
mod process;
#[path = "common/soname.rs"]
mod soname;

use process::{run, Run};
use std::path::{Path, PathBuf};
use std::process::Command;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The SONAME the copies' snapshots are filed under (not a real one, so no committed snapshot
/// is touched).
const TEST_SONAME: &str = "libstarpos-abi-test.so.7";

/// A temporary directory with a copy of the header and a snapshot of it, as `update` writes.
struct Copy {
    dir: PathBuf,
}

impl Copy {
    fn new(test: &str) -> Copy {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
            .join("abi")
            .join(format!("{test}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("the test's temporary directory can be created");
        std::fs::copy(repo().join("include/starpos.h"), dir.join("starpos.h"))
            .expect("include/starpos.h can be copied");
        let copy = Copy { dir };
        let made = copy.abi("update");
        assert_eq!(made.code, Some(0), "update failed:\n{}", made.describe());
        copy
    }

    fn header(&self) -> PathBuf {
        self.dir.join("starpos.h")
    }

    fn snapshot(&self) -> PathBuf {
        self.dir.join("abi").join(format!("{TEST_SONAME}.txt"))
    }

    /// `scripts/abi.sh COMMAND` on the copy.
    fn abi(&self, command: &str) -> Run {
        let mut cmd = Command::new("bash");
        cmd.arg(repo().join("scripts/abi.sh"))
            .arg(command)
            .arg("--header")
            .arg(self.header())
            .arg("--dir")
            .arg(self.dir.join("abi"))
            .args(["--soname", TEST_SONAME]);
        run(cmd)
    }

    /// Replaces the one occurrence of `from` in the copied header by `to`.
    fn edit(&self, from: &str, to: &str) {
        let text = std::fs::read_to_string(self.header()).expect("the copy is readable");
        assert_eq!(
            text.matches(from).count(),
            1,
            "the header should contain {from:?} exactly once"
        );
        std::fs::write(self.header(), text.replacen(from, to, 1)).expect("the copy is writable");
    }

    /// Adds `declaration` as the last function of the header.
    fn append_function(&self, declaration: &str) {
        self.edit(
            "void starpos_set_logger(",
            &format!("{declaration}\n\nvoid starpos_set_logger("),
        );
    }

    /// `check` fails (exit 1) and its message names each of `named` and says what to do.
    fn assert_incompatible(&self, named: &[&str]) {
        let run = self.abi("check");
        let all = run.describe();
        assert_eq!(run.code, Some(1), "check should fail:\n{all}");
        assert!(run.stderr.contains("INCOMPATIBLE"), "{all}");
        assert!(
            run.stderr.contains("bump the version in Cargo.toml"),
            "the message says what to do:\n{all}"
        );
        for name in named {
            assert!(
                run.stderr.contains(name),
                "the message names {name:?}:\n{all}"
            );
        }
    }

    /// `check` passes and lists each of `added` as a compatible addition.
    fn assert_compatible(&self, added: &[&str]) -> Run {
        let run = self.abi("check");
        let all = run.describe();
        assert_eq!(run.code, Some(0), "check should pass:\n{all}");
        for name in added {
            assert!(
                run.stdout.contains(name),
                "the output lists {name:?}:\n{all}"
            );
        }
        run
    }
}

impl Drop for Copy {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

#[test]
fn the_unchanged_header_matches_its_snapshot() {
    let copy = Copy::new("same");
    let run = copy.assert_compatible(&[]);
    assert!(run.stdout.contains("matches"), "{}", run.describe());
    // The snapshot measures layouts, not only names.
    let snapshot = std::fs::read_to_string(copy.snapshot()).expect("update wrote the snapshot");
    for line in [
        "field starpos_config.base_url: offset 0, size ",
        "enum starpos_status.STARPOS_OK: 0",
        "const STARPOS_FLAG_NO_KEEPALIVE: 1",
        "function starpos_version: const char* (void)",
        "callback starpos_log_fn: size ",
    ] {
        assert!(
            snapshot.contains(line),
            "the snapshot lacks {line:?}:\n{snapshot}"
        );
    }
}

#[test]
fn a_field_whose_size_changes_is_incompatible() {
    let copy = Copy::new("field-size");
    copy.edit("uint32_t timeout_ms;", "uint64_t timeout_ms;");
    copy.assert_incompatible(&["field starpos_config.timeout_ms", "struct starpos_config"]);
}

#[test]
fn a_field_inserted_at_the_front_moves_the_others() {
    let copy = Copy::new("field-front");
    copy.edit(
        "typedef struct starpos_config {\n",
        "typedef struct starpos_config {\n  uint32_t version;\n",
    );
    copy.assert_incompatible(&["field starpos_config.base_url: was offset 0"]);
}

#[test]
fn a_field_inserted_into_padding_is_incompatible_too() {
    // `flags` (4 bytes) is followed by padding before the pointer `ca_file` on 64-bit targets:
    // a new 4-byte field there moves nothing and keeps the size, and still changes the layout.
    let copy = Copy::new("field-padding");
    copy.edit("uint32_t flags;", "uint32_t flags;\n  uint32_t retries;");
    copy.assert_incompatible(&["field starpos_config.retries: new field in an existing struct"]);
}

#[test]
fn a_changed_prototype_is_incompatible() {
    let copy = Copy::new("prototype");
    // starpos_wait's: the only parameter list with `interval_ms,` right before it.
    copy.edit(
        "uint32_t interval_ms,\n                                 uint32_t deadline_ms,",
        "uint32_t interval_ms,\n                                 uint64_t deadline_ms,",
    );
    copy.assert_incompatible(&["function starpos_wait"]);
}

#[test]
fn a_renamed_parameter_is_compatible() {
    let copy = Copy::new("param-name");
    copy.edit(
        "uint32_t interval_ms,\n                                 uint32_t deadline_ms,",
        "uint32_t interval_ms,\n                                 uint32_t max_wait_ms,",
    );
    copy.assert_compatible(&[]);
}

#[test]
fn a_changed_enum_value_or_constant_is_incompatible() {
    let copy = Copy::new("enum-const");
    copy.edit("STARPOS_ERR_INTERNAL = 8,", "STARPOS_ERR_INTERNAL = 9,");
    copy.edit(
        "#define STARPOS_FLAG_GBK_BODY 4",
        "#define STARPOS_FLAG_GBK_BODY 8",
    );
    copy.assert_incompatible(&[
        "enum starpos_status.STARPOS_ERR_INTERNAL: was 8; now 9",
        "const STARPOS_FLAG_GBK_BODY: was 4; now 8",
    ]);
}

#[test]
fn a_removed_function_is_incompatible() {
    let copy = Copy::new("removed");
    copy.edit("const char *starpos_last_error(void);", "/* gone */");
    copy.assert_incompatible(&["function starpos_last_error: gone"]);
}

#[test]
fn appended_functions_enum_values_constants_and_structs_are_compatible() {
    let copy = Copy::new("appended");
    copy.append_function(
        "enum starpos_status starpos_close_batch(const struct starpos_config *config, \
         struct starpos_batch *batch);",
    );
    copy.append_function("struct starpos_session *starpos_session_open(void);");
    copy.edit(
        "typedef void (*starpos_log_fn)",
        "typedef struct starpos_session starpos_session;\n\n\
         typedef struct starpos_batch {\n  uint64_t total_fen;\n  uint32_t count;\n} \
         starpos_batch;\n\ntypedef void (*starpos_log_fn)",
    );
    copy.edit(
        "STARPOS_ERR_INTERNAL = 8,",
        "STARPOS_ERR_INTERNAL = 8,\n  STARPOS_ERR_BUSY = 9,",
    );
    copy.edit(
        "#define STARPOS_FLAG_GBK_BODY 4",
        "#define STARPOS_FLAG_GBK_BODY 4\n\n#define STARPOS_FLAG_TRACE 8",
    );
    let run = copy.assert_compatible(&[
        "function starpos_close_batch: starpos_status (const starpos_config*, starpos_batch*)",
        "struct starpos_batch: size 16",
        "typedef starpos_session: opaque struct starpos_session",
        "function starpos_session_open: starpos_session* (void)",
        "enum starpos_status.STARPOS_ERR_BUSY: new enum value (9)",
        "const STARPOS_FLAG_TRACE: 8",
    ]);
    assert!(
        run.stdout.contains("scripts/abi.sh update"),
        "it suggests recording them:\n{}",
        run.describe()
    );
}

#[test]
fn update_is_idempotent_and_records_additions() {
    let copy = Copy::new("update");
    let before = std::fs::read(copy.snapshot()).expect("the snapshot is readable");
    let again = copy.abi("update");
    assert_eq!(again.code, Some(0), "{}", again.describe());
    assert!(again.stdout.contains("up to date"), "{}", again.describe());
    assert_eq!(
        std::fs::read(copy.snapshot()).expect("the snapshot is readable"),
        before,
        "a second update changes nothing"
    );
    copy.append_function("bool starpos_ready(void);");
    assert_eq!(copy.abi("update").code, Some(0));
    let after = std::fs::read_to_string(copy.snapshot()).expect("the snapshot is readable");
    assert!(
        after.contains("function starpos_ready: bool (void)"),
        "{after}"
    );
    // Recorded, the new function is now part of the ABI: removing it breaks it.
    copy.edit("bool starpos_ready(void);", "");
    copy.assert_incompatible(&["function starpos_ready: gone"]);
}

#[test]
fn a_soname_without_a_snapshot_fails_and_says_how_to_record_it() {
    let copy = Copy::new("no-snapshot");
    std::fs::remove_file(copy.snapshot()).expect("the snapshot can be removed");
    let run = copy.abi("check");
    assert_eq!(run.code, Some(1), "{}", run.describe());
    assert!(
        run.stderr.contains("scripts/abi.sh update"),
        "{}",
        run.describe()
    );
}

/// scripts/abi.sh, the Makefile and build.rs (through the tests' copy of its rule) agree on
/// the SONAME of this version.
#[test]
fn the_soname_rule_is_the_same_everywhere() {
    let mut cmd = Command::new("bash");
    cmd.arg(repo().join("scripts/abi.sh")).arg("soname");
    let script = run(cmd);
    assert_eq!(script.code, Some(0), "{}", script.describe());
    assert_eq!(script.stdout.trim(), soname::soname());
    let mut make = Command::new("make");
    make.arg("-s").arg("-C").arg(repo()).arg("print-soname");
    let make = run(make);
    assert_eq!(make.code, Some(0), "{}", make.describe());
    assert_eq!(make.stdout.trim(), soname::soname());
}
