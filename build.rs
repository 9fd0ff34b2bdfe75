//! Generates the request and answer types from their tables (`src/model/tables/`,
//! `build/requests.rs`, `build/answers.rs`) into `$OUT_DIR`, then `include/starpos.h` from the C ABI with cbindgen (the generated C
//! structs included). The header is committed; it is rewritten only when its content
//! changes, and CI fails when a build would change it.

use std::path::Path;

#[path = "src/model/tables/mod.rs"]
mod tables;

#[path = "build/answers.rs"]
mod answers;

#[path = "build/requests.rs"]
mod requests;

#[path = "build/write.rs"]
mod write;

/// Writes `text` to `path` unless it already holds it (no rebuild for an unchanged file).
fn write_if_changed(path: &Path, text: &str) {
    if std::fs::read(path).ok().as_deref() != Some(text.as_bytes()) {
        std::fs::write(path, text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    }
}

fn main() {
    let dir = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    println!("cargo:rerun-if-changed=src");
    println!("cargo:rerun-if-changed=build");
    let out_dir = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    let out_dir = Path::new(&out_dir);
    write_if_changed(&out_dir.join("answers.rs"), &answers::rust());
    let ffi_answers = out_dir.join("ffi_answers.rs");
    write_if_changed(&ffi_answers, &answers::c());
    write_if_changed(&out_dir.join("ffi_fill.rs"), &answers::fill());
    write_if_changed(&out_dir.join("requests.rs"), &requests::rust());
    let ffi_requests = out_dir.join("ffi_requests.rs");
    write_if_changed(&ffi_requests, &requests::c());
    write_if_changed(&out_dir.join("ffi_read.rs"), &requests::read());
    // The shared library names its ABI generation (docs/c.md, "ABI and versions").
    let target_os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    if target_os == "linux" {
        println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,{}", soname());
    }
    println!("cargo:rerun-if-changed=cbindgen.toml");
    let config = cbindgen::Config::from_file(Path::new(&dir).join("cbindgen.toml"))
        .expect("cbindgen.toml is readable");
    let header = match cbindgen::Builder::new()
        .with_crate(&dir)
        .with_src(&ffi_answers)
        .with_src(&ffi_requests)
        .with_config(config)
        .generate()
    {
        Ok(bindings) => bindings,
        Err(e) => {
            // A syntax error in the crate is reported by rustc itself, with better words.
            println!("cargo:warning=cbindgen could not generate the header: {e}");
            return;
        }
    };
    let mut text = Vec::new();
    header.write(&mut text);
    let path = Path::new(&dir).join("include").join("starpos.h");
    if std::fs::read(&path).ok().as_deref() != Some(text.as_slice()) {
        std::fs::create_dir_all(path.parent().expect("include/ has a parent"))
            .expect("include/ can be created");
        std::fs::write(&path, text).expect("include/starpos.h can be written");
    }
}

/// The SONAME of this version, by cargo-c's rule (so that `cargo cinstall` and `make install`
/// agree): `libstarpos.so.0.0.<patch>` for 0.0.x, `libstarpos.so.0.<minor>` for 0.x,
/// `libstarpos.so.<major>` from 1.0. The Makefile and scripts/abi.py apply the same rule.
fn soname() -> String {
    let part = |name: &str| std::env::var(name).expect("cargo sets the version's parts");
    let (major, minor, patch) = (
        part("CARGO_PKG_VERSION_MAJOR"),
        part("CARGO_PKG_VERSION_MINOR"),
        part("CARGO_PKG_VERSION_PATCH"),
    );
    match (major.as_str(), minor.as_str()) {
        ("0", "0") => format!("libstarpos.so.0.0.{patch}"),
        ("0", _) => format!("libstarpos.so.0.{minor}"),
        _ => format!("libstarpos.so.{major}"),
    }
}
