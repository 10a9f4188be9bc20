//! The shared library exports exactly the documented list, abi/symbols.txt, each symbol with its
//! ELF version (`payauth_x@@PAYAUTH_0.1`), and nothing else (no Rust runtime symbols). A symbol
//! added or removed by accident fails here with the list of differences; docs/abi-policy.md says
//! how to change the list on purpose. scripts/install-check.sh checks the release library the
//! same way.

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// abi/symbols.txt as (line number, symbol, version node), comments and blank lines skipped.
fn documented() -> Vec<(usize, String, String)> {
    let text = std::fs::read_to_string(root().join("abi/symbols.txt")).unwrap();
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
        .map(|(i, l)| {
            let f: Vec<&str> = l.split_whitespace().collect();
            assert!(f.len() == 2, "abi/symbols.txt:{}: expected `SYMBOL NODE`: {l}", i + 1);
            (i + 1, f[0].to_string(), f[1].to_string())
        })
        .collect()
}

fn shared_library() -> PathBuf {
    // target/<profile>/deps/exports-<hash> → target/<profile>/libpayauth.so
    let exe = std::env::current_exe().unwrap();
    exe.parent().unwrap().parent().unwrap().join("libpayauth.so")
}

fn tool(cmd: &str, args: &[&str], lib: &Path) -> String {
    let out = Command::new(cmd)
        .args(args)
        .arg(lib)
        .output()
        .unwrap_or_else(|e| panic!("{cmd}: {e}"));
    assert!(out.status.success(), "{cmd} {args:?} {} failed", lib.display());
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn symbols_txt_is_sorted_without_duplicates() {
    let list = documented();
    for pair in list.windows(2) {
        let ((_, a, _), (line, b, _)) = (&pair[0], &pair[1]);
        assert!(
            a < b,
            "abi/symbols.txt:{line}: `{b}` must come after `{a}` (keep the list sorted, once each)"
        );
    }
    for (line, sym, node) in &list {
        assert!(
            sym.starts_with("payauth_"),
            "abi/symbols.txt:{line}: `{sym}` lacks the payauth_ prefix"
        );
        assert!(
            node.strip_prefix("PAYAUTH_")
                .and_then(|v| v.split_once('.'))
                .is_some_and(|(a, b)| a.parse::<u32>().is_ok() && b.parse::<u32>().is_ok()),
            "abi/symbols.txt:{line}: `{node}` is not a PAYAUTH_<major>.<minor> node"
        );
    }
}

/// A node names the release that first shipped its symbols, so none is newer than this version,
/// and all belong to this SONAME's major.
#[test]
fn no_version_node_is_newer_than_the_crate() {
    let major: u32 = env!("CARGO_PKG_VERSION_MAJOR").parse().unwrap();
    let minor: u32 = env!("CARGO_PKG_VERSION_MINOR").parse().unwrap();
    for (line, sym, node) in documented() {
        let (a, b) = node["PAYAUTH_".len()..].split_once('.').unwrap();
        let (a, b): (u32, u32) = (a.parse().unwrap(), b.parse().unwrap());
        assert!(
            a == major && b <= minor,
            "abi/symbols.txt:{line}: {sym} is in {node}, but the crate is {} (SONAME major {major}): \
             a new symbol goes in PAYAUTH_{major}.<the minor of the release that adds it>, and \
             Cargo.toml must be at that version (docs/abi-policy.md)",
            env!("CARGO_PKG_VERSION")
        );
    }
}

#[test]
fn exported_symbols_are_the_documented_list_each_versioned() {
    let lib = shared_library();
    assert!(
        lib.exists(),
        "{} not built: run `cargo build` first (scripts/test.sh does)",
        lib.display()
    );
    let nm = tool("nm", &["-D", "--defined-only"], &lib);
    // Version nodes appear as absolute symbols with GNU ld; they are not exports.
    let mut exported: Vec<String> = nm
        .lines()
        .filter_map(|l| {
            let f: Vec<&str> = l.split_whitespace().collect();
            (f.len() == 3 && f[1] != "A").then(|| f[2].to_string())
        })
        .collect();
    exported.sort();
    let mut expected: Vec<String> = documented().into_iter().map(|(_, s, n)| format!("{s}@@{n}")).collect();
    expected.sort();
    let added: Vec<&String> = exported.iter().filter(|s| !expected.contains(s)).collect();
    let removed: Vec<&String> = expected.iter().filter(|s| !exported.contains(s)).collect();
    assert!(
        added.is_empty() && removed.is_empty(),
        "{} (nm -D --defined-only) differs from abi/symbols.txt\n  exported, not documented: {added:?}\n  \
         documented, not exported: {removed:?}\nA name without @@ is missing from abi/symbols.txt (or the \
         build had no version script: see build.rs). If the change is intended, edit abi/symbols.txt as \
         docs/abi-policy.md says and rebuild; otherwise restore the function.",
        lib.display()
    );
}

#[test]
fn version_definitions_are_the_soname_and_the_documented_nodes() {
    let text = tool("readelf", &["-V"], &shared_library());
    let section = text
        .split("Version definition section")
        .nth(1)
        .and_then(|s| s.split("Version needs section").next())
        .unwrap_or_else(|| panic!("no version definitions in {}:\n{text}", shared_library().display()));
    let defined: Vec<&str> = section
        .lines()
        .filter_map(|l| l.split("Name: ").nth(1))
        .map(|n| n.split_whitespace().next().unwrap_or(""))
        .collect();
    let mut nodes: Vec<String> = documented().into_iter().map(|(_, _, n)| n).collect();
    nodes.sort_by_key(|n| {
        let (a, b) = n["PAYAUTH_".len()..].split_once('.').unwrap();
        (a.parse::<u32>().unwrap(), b.parse::<u32>().unwrap())
    });
    nodes.dedup();
    let major = env!("CARGO_PKG_VERSION_MAJOR");
    let mut expected = vec![format!("libpayauth.so.{major}")];
    expected.extend(nodes);
    assert_eq!(
        defined, expected,
        "readelf -V version definitions (the first is the SONAME)"
    );
}
