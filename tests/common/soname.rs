//! The SONAME the library of this version carries (cargo-c's rule, as build.rs sets it):
//! `libstarpos.so.0.0.<patch>` for 0.0.x, `libstarpos.so.0.<minor>` for 0.x,
//! `libstarpos.so.<major>` from 1.0.

/// The SONAME of the crate version these tests are built with, e.g. `libstarpos.so.0.2`.
pub fn soname() -> String {
    let major = env!("CARGO_PKG_VERSION_MAJOR");
    let minor = env!("CARGO_PKG_VERSION_MINOR");
    let patch = env!("CARGO_PKG_VERSION_PATCH");
    match (major, minor) {
        ("0", "0") => format!("libstarpos.so.0.0.{patch}"),
        ("0", _) => format!("libstarpos.so.0.{minor}"),
        _ => format!("libstarpos.so.{major}"),
    }
}
