//! The order a reader meets the functions in the C header: errors and statuses, the signer, its
//! result object, the client, the binding path, the primitives. cbindgen emits them by source
//! file, so build.rs sorts the generated function blocks by this rank (stable within a rank).

/// The rank of a function by name.
fn rank(name: &str) -> usize {
    const ORDER: &[&str] = &[
        "payauth_error",
        "payauth_status",
        "payauth_version",
        "payauth_constant",
        "payauth_signer",
        "payauth_headers",
        "payauth_client",
    ];
    if name.contains("_packed") || name.starts_with("payauth_spill") {
        return ORDER.len();
    }
    ORDER
        .iter()
        .position(|p| name.starts_with(p))
        .unwrap_or(ORDER.len() + 1)
}

/// The name of the function a block declares, if it declares one.
fn declared(block: &str) -> Option<&str> {
    // A declaration starts at column 0 with its return type (comments and macros do not).
    let decl = block
        .lines()
        .find(|l| l.starts_with(|c: char| c.is_ascii_lowercase()) && l.contains("payauth_") && l.contains('('))?;
    let start = decl.find("payauth_")?;
    let rest = &decl[start..];
    Some(&rest[..rest.find('(')?])
}

/// `header` with its run of function blocks (blank-line separated) reordered.
pub fn reorder(header: &str) -> String {
    let blocks: Vec<&str> = header.split("\n\n").collect();
    let is_fn = |b: &&str| declared(b).is_some();
    let (Some(first), Some(last)) = (blocks.iter().position(is_fn), blocks.iter().rposition(is_fn)) else {
        return header.to_string();
    };
    let mut run: Vec<&str> = blocks[first..=last].to_vec();
    if run.iter().any(|b| !is_fn(b)) {
        return header.to_string(); // something else between the functions: leave it alone
    }
    run.sort_by_key(|b| declared(b).map(rank));
    let mut out: Vec<&str> = blocks[..first].to_vec();
    out.extend(run);
    out.extend(&blocks[last + 1..]);
    out.join("\n\n")
}
