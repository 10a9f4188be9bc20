//! Regenerates `include/payauth.h` (documented, C/C++) and `include/payauth_ffi.h` (no
//! preprocessor lines, for PHP `FFI::cdef`) with cbindgen, and gives the shared library its
//! SONAME. Both headers are checked in; `tests/header.rs` fails when they are stale.

use std::path::PathBuf;

fn version_macros() -> String {
    let v = |k: &str| std::env::var(k).unwrap_or_default().parse::<u32>().unwrap_or(0);
    let (ma, mi, pa) = (
        v("CARGO_PKG_VERSION_MAJOR"),
        v("CARGO_PKG_VERSION_MINOR"),
        v("CARGO_PKG_VERSION_PATCH"),
    );
    format!(
        "\n#define PAYAUTH_VERSION_MAJOR {ma}\n#define PAYAUTH_VERSION_MINOR {mi}\n#define PAYAUTH_VERSION_PATCH {pa}\n\
         /* major * 10000 + minor * 100 + patch; compare with payauth_version() */\n\
         #define PAYAUTH_VERSION (PAYAUTH_VERSION_MAJOR * 10000 + PAYAUTH_VERSION_MINOR * 100 + PAYAUTH_VERSION_PATCH)\n\
         #define PAYAUTH_VERSION_STRING \"{ma}.{mi}.{pa}\"\n"
    )
}

fn write_if_changed(path: &PathBuf, text: &str) {
    if std::fs::read_to_string(path).ok().as_deref() != Some(text) {
        std::fs::write(path, text).expect("write header");
    }
}

fn main() {
    let crate_dir = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap());
    let out_dir = PathBuf::from(std::env::var("OUT_DIR").unwrap());
    println!("cargo:rerun-if-changed=src");
    println!("cargo:rerun-if-changed=cbindgen.toml");
    println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,libpayauth.so.0");

    let config = cbindgen::Config::from_file(crate_dir.join("cbindgen.toml")).expect("cbindgen.toml");
    let mut full = config.clone();
    full.after_includes = Some(version_macros());
    let mut buf = Vec::new();
    cbindgen::Builder::new()
        .with_crate(&crate_dir)
        .with_config(full)
        .generate()
        .expect("cbindgen failed")
        .write(&mut buf);
    let header = String::from_utf8(buf).expect("utf8 header");

    let mut ffi = config;
    ffi.documentation = false;
    ffi.cpp_compat = false;
    ffi.no_includes = true;
    ffi.sys_includes = vec![];
    ffi.include_guard = None;
    ffi.header =
        Some("/* payauth declarations for PHP FFI::cdef (no preprocessor lines). GENERATED: do not edit. */".into());
    let mut buf = Vec::new();
    cbindgen::Builder::new()
        .with_crate(&crate_dir)
        .with_config(ffi)
        .generate()
        .expect("cbindgen failed")
        .write(&mut buf);
    let ffi_header: String = String::from_utf8(buf)
        .expect("utf8 header")
        .lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        .collect::<Vec<_>>()
        .join("\n")
        .split("\n\n")
        .map(str::trim)
        .filter(|chunk| !chunk.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n")
        + "\n";

    std::fs::write(out_dir.join("payauth.h"), &header).unwrap();
    std::fs::write(out_dir.join("payauth_ffi.h"), &ffi_header).unwrap();
    // Developers get the checked-in copies refreshed; CI must not, so a stale commit fails there.
    if std::env::var_os("CI").is_none() {
        std::fs::create_dir_all(crate_dir.join("include")).unwrap();
        write_if_changed(&crate_dir.join("include/payauth.h"), &header);
        write_if_changed(&crate_dir.join("include/payauth_ffi.h"), &ffi_header);
    }
}
