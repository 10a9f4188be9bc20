//! Status codes shared by every layer and exported unchanged through the C ABI.
//!
//! The constants and the table are generated from `abi/statuses.txt` (build.rs), the one place a
//! status number is written. Codes are grouped by hundreds and are **never renumbered or
//! reused**: a code that stops being produced stays reserved. `0` is success.

use std::ffi::CStr;

/// One row of the status table.
pub struct Entry {
    /// The number (never renumbered).
    pub code: i32,
    /// The identifier, e.g. `PAYAUTH_OK`.
    pub name: &'static CStr,
    /// The group (`PAYAUTH_GROUP_*`).
    pub group: i32,
    /// A static one-line description.
    pub text: &'static CStr,
}

include!(concat!(env!("OUT_DIR"), "/statuses.rs"));

/// The row of a status code.
pub fn entry(code: i32) -> Option<&'static Entry> {
    ALL.iter().find(|e| e.code == code)
}

/// The group of a status code (`PAYAUTH_GROUP_*`), or -1 for an unknown code.
pub fn group(code: i32) -> i32 {
    entry(code).map_or(-1, |e| e.group)
}

/// The identifier of a status code (`"PAYAUTH_OK"`), or `"PAYAUTH_UNKNOWN"`.
pub fn name(code: i32) -> &'static str {
    entry(code).map_or("PAYAUTH_UNKNOWN", |e| e.name.to_str().unwrap_or("PAYAUTH_UNKNOWN"))
}

/// The static description of a status code, or `"unknown status code"`.
pub fn describe(code: i32) -> &'static str {
    entry(code).map_or("unknown status code", |e| {
        e.text.to_str().unwrap_or("unknown status code")
    })
}

/// The code of a status name, if it exists.
pub fn by_name(name: &str) -> Option<i32> {
    ALL.iter()
        .find(|e| e.name.to_bytes() == name.as_bytes())
        .map(|e| e.code)
}

/// The value of a status or group constant by name (`PAYAUTH_OK`, `PAYAUTH_GROUP_TOKEN`).
pub fn constant(name: &str) -> Option<i32> {
    by_name(name).or_else(|| GROUPS.iter().find(|(n, _)| *n == name).map(|(_, v)| *v))
}
