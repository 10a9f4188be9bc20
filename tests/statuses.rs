//! The status numbers are pinned: every status that shipped keeps its number, name and group
//! (abi/statuses.txt may only gain lines), the generated constants, the C header's `#define`s and
//! `payauth_status_group` agree with the table, and every status a header comment names exists.

use payauth::ffi::error::{payauth_status_group, payauth_status_name};
use payauth::status::{self, ALL};
use std::ffi::CStr;

/// Every status of release 0.1 (code, name, group). Append; never edit or remove a line.
const PINNED: &[(i32, &str, &str)] = &[
    (0, "PAYAUTH_OK", "ok"),
    (100, "PAYAUTH_NULL_ARGUMENT", "argument"),
    (101, "PAYAUTH_INVALID_UTF8", "argument"),
    (102, "PAYAUTH_BUFFER_TOO_SMALL", "argument"),
    (103, "PAYAUTH_INVALID_ARGUMENT", "argument"),
    (104, "PAYAUTH_OUT_OF_RANGE", "argument"),
    (105, "PAYAUTH_NOT_FOUND", "argument"),
    (200, "PAYAUTH_CONFIG_JSON", "config"),
    (201, "PAYAUTH_CONFIG_UNKNOWN_PROFILE", "config"),
    (202, "PAYAUTH_CONFIG_MISSING_FIELD", "config"),
    (203, "PAYAUTH_CONFIG_INVALID_FIELD", "config"),
    (204, "PAYAUTH_CONFIG_SECRET_SOURCE", "config"),
    (300, "PAYAUTH_KEY_INVALID", "signing"),
    (301, "PAYAUTH_KEY_TOO_SMALL", "signing"),
    (302, "PAYAUTH_SIGN_FAILED", "signing"),
    (303, "PAYAUTH_SIGNATURE_MISMATCH", "signing"),
    (304, "PAYAUTH_JSON_INVALID", "signing"),
    (305, "PAYAUTH_MISSING_TOKEN", "signing"),
    (306, "PAYAUTH_MISSING_REQUEST_FIELD", "signing"),
    (307, "PAYAUTH_UNSUPPORTED", "signing"),
    (400, "PAYAUTH_NETWORK", "token"),
    (401, "PAYAUTH_TIMEOUT", "token"),
    (402, "PAYAUTH_TLS", "token"),
    (403, "PAYAUTH_HTTP_STATUS", "token"),
    (404, "PAYAUTH_TOKEN_RESPONSE_INVALID", "token"),
    (405, "PAYAUTH_CREDENTIALS_REJECTED", "token"),
    (406, "PAYAUTH_RATE_LIMITED", "token"),
    (407, "PAYAUTH_REDIRECT_REFUSED", "token"),
    (408, "PAYAUTH_RESPONSE_TOO_LARGE", "token"),
    (409, "PAYAUTH_BACKOFF", "token"),
    (410, "PAYAUTH_WAIT_TIMEOUT", "token"),
    (900, "PAYAUTH_PANIC", "internal"),
    (901, "PAYAUTH_INTERNAL", "internal"),
];

fn group_number(name: &str) -> i32 {
    status::constant(&format!("PAYAUTH_GROUP_{}", name.to_ascii_uppercase())).expect("group")
}

#[test]
fn every_pinned_status_keeps_its_number_name_and_group() {
    for (code, name, group) in PINNED {
        let e = status::entry(*code).unwrap_or_else(|| panic!("status {code} ({name}) was removed"));
        assert_eq!(e.name.to_str().unwrap(), *name, "status {code} renamed");
        assert_eq!(e.group, group_number(group), "{name} moved to another group");
        assert_eq!(payauth_status_group(*code), e.group);
        // SAFETY: a static string.
        assert_eq!(
            unsafe { CStr::from_ptr(payauth_status_name(*code)) }.to_str().unwrap(),
            *name
        );
    }
    assert_eq!(payauth_status_group(777), -1);
}

#[test]
fn the_table_is_unique_and_grouped_by_hundreds() {
    let mut codes: Vec<i32> = ALL.iter().map(|e| e.code).collect();
    codes.dedup();
    assert_eq!(codes.len(), ALL.len(), "unique");
    for e in ALL {
        assert_eq!(status::by_name(e.name.to_str().unwrap()), Some(e.code));
        assert_eq!(e.group, e.code / 100, "{:?}: the group is the hundreds digit", e.name);
    }
}

fn header() -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/include/payauth.h")).unwrap()
}

#[test]
fn the_header_defines_every_status_with_its_number() {
    let h = header();
    for e in ALL {
        let line = format!("#define {} {}\n", e.name.to_str().unwrap(), e.code);
        assert!(h.contains(&line), "payauth.h lacks `{}`", line.trim());
    }
}

#[test]
fn every_status_a_header_comment_names_exists() {
    let h = header();
    let mut unknown = Vec::new();
    for word in h.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')) {
        let known = status::constant(word).is_some()
            || word.starts_with("PAYAUTH_FLAG_")
            || word.starts_with("PAYAUTH_HASH_")
            || word.starts_with("PAYAUTH_ENCODING_")
            || word.starts_with("PAYAUTH_VERSION")
            || [
                "PAYAUTH_H",
                "PAYAUTH_MAX_TIME_MS",
                "PAYAUTH_CONFIG_",
                "PAYAUTH_GROUP_",
                "PAYAUTH_UNKNOWN",
            ]
            .contains(&word);
        if word.starts_with("PAYAUTH_") && !known {
            unknown.push(word.to_string());
        }
    }
    unknown.sort();
    unknown.dedup();
    assert!(
        unknown.is_empty(),
        "payauth.h names statuses that do not exist: {unknown:?}"
    );
}
