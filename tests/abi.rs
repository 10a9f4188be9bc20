//! The C ABI's structure: the checked-in headers are current, every exported symbol is declared
//! in the header and runs inside the panic boundary.

use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn checked_in_headers_are_current() {
    for name in ["payauth.h", "payauth_ffi.h"] {
        let generated = std::fs::read_to_string(Path::new(env!("OUT_DIR")).join(name)).unwrap();
        let checked_in = std::fs::read_to_string(root().join("include").join(name)).unwrap();
        assert!(
            generated == checked_in,
            "include/{name} is stale: run `cargo build` outside CI (build.rs rewrites it) and commit it"
        );
    }
    let generated = std::fs::read_to_string(Path::new(env!("OUT_DIR")).join("payauth_ffi.h")).unwrap();
    for copy in [
        "bindings/python/src/payauth/payauth_ffi.h",
        "bindings/php/include/payauth_ffi.h",
    ] {
        let shipped = std::fs::read_to_string(root().join(copy)).unwrap();
        assert!(
            generated == shipped,
            "{copy} is stale: run `cargo build` outside CI and commit it"
        );
    }
}

#[test]
fn ffi_header_has_no_preprocessor_lines() {
    let text = std::fs::read_to_string(root().join("include/payauth_ffi.h")).unwrap();
    assert!(text.lines().all(|l| !l.trim_start().starts_with('#')));
    assert!(text.contains("int32_t payauth_signer_sign("));
}

/// Names of the functions declared in the header.
fn declared_functions() -> Vec<String> {
    let text = std::fs::read_to_string(root().join("include/payauth.h")).unwrap();
    let mut names: Vec<String> = text
        .lines()
        .filter(|l| !l.starts_with("//") && !l.starts_with('#') && l.contains('('))
        .filter_map(|l| {
            let before = &l[..l.find('(')?];
            let name = before.rsplit([' ', '*']).next()?;
            name.starts_with("payauth_").then(|| name.to_string())
        })
        .collect();
    names.sort();
    names.dedup();
    names
}

/// `extern "C"` functions in src/ffi, with whether their body is exactly one call to the
/// panic boundary (`guard` or `guard_value`).
fn exported_functions_in_source() -> Vec<(String, bool)> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(root().join("src/ffi")).unwrap() {
        let path = entry.unwrap().path();
        let file = syn::parse_file(&std::fs::read_to_string(&path).unwrap()).unwrap();
        for item in file.items {
            if let syn::Item::Fn(f) = item {
                let is_extern = f
                    .sig
                    .abi
                    .as_ref()
                    .is_some_and(|a| a.name.as_ref().is_some_and(|n| n.value() == "C"));
                if !is_extern {
                    continue;
                }
                let guarded = match f.block.stmts.as_slice() {
                    [syn::Stmt::Expr(syn::Expr::Call(call), None)] => match &*call.func {
                        syn::Expr::Path(p) => p
                            .path
                            .segments
                            .last()
                            .is_some_and(|s| s.ident == "guard" || s.ident == "guard_value"),
                        _ => false,
                    },
                    _ => false,
                };
                out.push((f.sig.ident.to_string(), guarded));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn every_export_goes_through_the_panic_boundary() {
    let fns = exported_functions_in_source();
    assert!(fns.len() >= 20, "found only {} exports", fns.len());
    let unguarded: Vec<&String> = fns.iter().filter(|(_, g)| !g).map(|(n, _)| n).collect();
    assert!(
        unguarded.is_empty(),
        "exports whose body is not one guard(..)/guard_value(..) call: {unguarded:?}"
    );
    let declared = declared_functions();
    let names: Vec<String> = fns.into_iter().map(|(n, _)| n).collect();
    assert_eq!(names, declared, "header declarations and extern \"C\" functions differ");
}

fn shared_library() -> PathBuf {
    // target/<profile>/deps/abi-<hash> → target/<profile>/libpayauth.so
    let exe = std::env::current_exe().unwrap();
    exe.parent().unwrap().parent().unwrap().join("libpayauth.so")
}

#[test]
fn every_exported_symbol_is_declared_and_guarded() {
    let lib = shared_library();
    assert!(
        lib.exists(),
        "{} not built: run `cargo build` first (scripts/test.sh does)",
        lib.display()
    );
    let out = std::process::Command::new("nm")
        .args(["-D", "--defined-only"])
        .arg(&lib)
        .output()
        .expect("nm runs");
    assert!(out.status.success());
    let mut exported: Vec<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| l.split_whitespace().nth(2))
        .map(|s| s.split('@').next().unwrap_or(s).to_string())
        .filter(|s| s.starts_with("payauth_"))
        .collect();
    exported.sort();
    assert_eq!(
        exported,
        declared_functions(),
        "nm -D payauth_* symbols differ from the header"
    );
    let guarded: Vec<String> = exported_functions_in_source()
        .into_iter()
        .filter(|(_, g)| *g)
        .map(|(n, _)| n)
        .collect();
    assert_eq!(exported, guarded, "an exported symbol is not guarded");
}

#[test]
fn readelf_shows_the_soname() {
    let out = std::process::Command::new("readelf")
        .arg("-d")
        .arg(shared_library())
        .output()
        .expect("readelf runs");
    assert!(String::from_utf8_lossy(&out.stdout).contains("Library soname: [libpayauth.so.0]"));
}

/// The header is self-sufficient: every exported function's comment says who owns what, which
/// threads may call it and what it returns (rustls-ffi's rule for its generated header).
#[test]
fn every_function_documents_ownership_threads_and_returns() {
    let text = std::fs::read_to_string(root().join("include/payauth.h")).unwrap();
    let mut doc = String::new();
    let mut missing = Vec::new();
    for line in text.lines() {
        if let Some(c) = line.strip_prefix("//") {
            doc.push_str(c);
            doc.push(' ');
            continue;
        }
        if line.starts_with(|c: char| c.is_ascii_lowercase()) && line.contains("payauth_") && line.contains('(') {
            let name = line[line.find("payauth_").unwrap()..]
                .split('(')
                .next()
                .unwrap()
                .to_string();
            let lower = doc.to_ascii_lowercase();
            for word in ["ownership", "thread", "returns"] {
                if !lower.contains(word) {
                    missing.push(format!("{name}: no `{word}`"));
                }
            }
        }
        doc.clear();
    }
    assert!(missing.is_empty(), "payauth.h function docs lack: {missing:#?}");
}

/// A reader meets the signer before the client, and the binding path after both.
#[test]
fn the_header_orders_functions_for_a_reader() {
    let text = std::fs::read_to_string(root().join("include/payauth.h")).unwrap();
    let at = |f: &str| {
        text.find(&format!("{f}("))
            .unwrap_or_else(|| panic!("{f} not declared"))
    };
    assert!(at("payauth_error_new") < at("payauth_signer_new"));
    assert!(at("payauth_signer_sign") < at("payauth_headers_get"));
    assert!(at("payauth_headers_free") < at("payauth_client_new"));
    assert!(at("payauth_client_stats") < at("payauth_signer_sign_packed"));
    assert!(at("payauth_spill_free") < at("payauth_hmac"));
}
