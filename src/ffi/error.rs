//! Error objects, status strings, version and constants.

use super::{bytes, guard, guard_value, non_null};
use crate::error::Error;
use crate::status::{self, PAYAUTH_NOT_FOUND};
use std::ffi::{CStr, CString, c_char};

/// A caller-owned error object. Pass it as the last argument of any fallible call to receive
/// the status code and a detailed message (never a secret). It is cleared on success. It works
/// without thread-local storage, so it is safe for runtimes that move calls between OS threads;
/// use one object per thread (it is not synchronised).
pub struct payauth_error {
    code: i32,
    message: CString,
}

impl payauth_error {
    pub(crate) fn clear(&mut self) {
        self.code = 0;
        self.message = CString::default();
    }
    pub(crate) fn set(&mut self, code: i32, message: &str) {
        self.code = code;
        self.message = CString::new(message.replace('\0', " ")).unwrap_or_default();
    }
}

/// Allocates an empty error object (code 0, message "").
///
/// Ownership: the caller owns the result and releases it with `payauth_error_free`.
/// Thread-safety: any thread may call this. Returns NULL only if allocation fails.
#[unsafe(no_mangle)]
pub extern "C" fn payauth_error_new() -> *mut payauth_error {
    guard_value(std::ptr::null_mut(), || {
        Box::into_raw(Box::new(payauth_error {
            code: 0,
            message: CString::default(),
        }))
    })
}

/// Frees an error object. `payauth_error_free(NULL)` is a no-op.
///
/// Thread-safety: no other thread may be using `err`. Returns nothing.
///
/// Ownership: takes back the object made by `payauth_error_new`.
///
/// # Safety
/// `err` must be NULL or a pointer from `payauth_error_new` not yet freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn payauth_error_free(err: *mut payauth_error) {
    // SAFETY: caller contract.
    guard_value((), || unsafe { super::free_handle(err) })
}

/// The status code of the last call that used `err` (0 after a success, 0 for NULL).
///
/// Returns the code (never fails). Ownership: nothing to free. Thread-safety: one error object per thread (not synchronised).
///
/// # Safety
/// `err` must be NULL or a live error object.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn payauth_error_code(err: *const payauth_error) -> i32 {
    // SAFETY: the caller passes NULL or a live object.
    guard_value(status::PAYAUTH_PANIC, || unsafe { err.as_ref() }.map_or(0, |e| e.code))
}

/// The detailed message of the last failed call that used `err`: NUL-terminated, owned by
/// `err` and valid until `err` is passed to another call or freed. `""` after a success or
/// for NULL. Messages never contain secrets.
///
/// Returns a pointer, never NULL. Thread-safety: one error object per thread (not synchronised).
///
/// Ownership: owned by `err`; never free it.
///
/// # Safety
/// `err` must be NULL or a live error object.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn payauth_error_message(err: *const payauth_error) -> *const c_char {
    guard_value(c"".as_ptr(), || {
        // SAFETY: the caller passes NULL or a live object.
        unsafe { err.as_ref() }.map_or(c"".as_ptr(), |e| e.message.as_ptr())
    })
}

/// A static description of any status code (unknown codes give "unknown status code").
///
/// Ownership: the string is static; never free it. Thread-safety: any thread.
///
/// Returns a static string, never NULL.
#[unsafe(no_mangle)]
pub extern "C" fn payauth_status_str(code: i32) -> *const c_char {
    guard_value(c"unknown status code".as_ptr(), || {
        status::entry(code).map_or(c"unknown status code".as_ptr(), |e| e.text.as_ptr())
    })
}

/// The identifier of any status code, e.g. "PAYAUTH_OK" ("PAYAUTH_UNKNOWN" for unknown codes).
///
/// Ownership: the string is static; never free it. Thread-safety: any thread.
///
/// Returns a static string, never NULL.
#[unsafe(no_mangle)]
pub extern "C" fn payauth_status_name(code: i32) -> *const c_char {
    guard_value(c"PAYAUTH_UNKNOWN".as_ptr(), || {
        status::entry(code).map_or(c"PAYAUTH_UNKNOWN".as_ptr(), |e| e.name.as_ptr())
    })
}

/// The group of any status code — `PAYAUTH_GROUP_OK` (0), `PAYAUTH_GROUP_ARGUMENT`,
/// `PAYAUTH_GROUP_CONFIG`, `PAYAUTH_GROUP_SIGNING`, `PAYAUTH_GROUP_TOKEN`,
/// `PAYAUTH_GROUP_INTERNAL` — or -1 for a code the library does not know. Bindings map a failure
/// to their error class by this group, so every language classifies a status the same way.
///
/// Thread-safety: any thread. Never fails.
///
/// Ownership: nothing to free.
///
/// Returns the group number, or -1.
#[unsafe(no_mangle)]
pub extern "C" fn payauth_status_group(code: i32) -> i32 {
    guard_value(-1, || status::group(code))
}

/// The library version as `major * 10000 + minor * 100 + patch` (compare with the
/// `PAYAUTH_VERSION` macro to detect a header/library mismatch). Thread-safety: any thread.
///
/// Returns the number (never fails). Ownership: nothing to free.
#[unsafe(no_mangle)]
pub extern "C" fn payauth_version() -> u32 {
    guard_value(0, crate::version_number)
}

/// The library version as a static string, e.g. "0.1.0". Never free it. Thread-safety: any thread.
///
/// Returns a static string, never NULL.
///
/// Ownership: static; never free it.
#[unsafe(no_mangle)]
pub extern "C" fn payauth_version_string() -> *const c_char {
    guard_value(c"".as_ptr(), || {
        const V: &str = concat!(env!("CARGO_PKG_VERSION"), "\0");
        // A static NUL-terminated string: nothing allocated, nothing for a leak checker to report
        // when a host (PHP) unloads the library.
        CStr::from_bytes_with_nul(V.as_bytes()).map_or(c"".as_ptr(), CStr::as_ptr)
    })
}

/// Named constants a binding may look up (status codes and groups are looked up through
/// `status`).
fn constants() -> Vec<(&'static str, i64)> {
    use super::primitives::*;
    let v = crate::version_number();
    vec![
        ("PAYAUTH_FLAG_EXPLAIN", i64::from(super::PAYAUTH_FLAG_EXPLAIN)),
        (
            "PAYAUTH_FLAG_TOKEN_REQUEST",
            i64::from(super::PAYAUTH_FLAG_TOKEN_REQUEST),
        ),
        ("PAYAUTH_HASH_SHA256", i64::from(PAYAUTH_HASH_SHA256)),
        ("PAYAUTH_HASH_SHA512", i64::from(PAYAUTH_HASH_SHA512)),
        ("PAYAUTH_ENCODING_HEX", i64::from(PAYAUTH_ENCODING_HEX)),
        ("PAYAUTH_ENCODING_HEX_UPPER", i64::from(PAYAUTH_ENCODING_HEX_UPPER)),
        ("PAYAUTH_ENCODING_BASE64", i64::from(PAYAUTH_ENCODING_BASE64)),
        ("PAYAUTH_ENCODING_BASE64URL", i64::from(PAYAUTH_ENCODING_BASE64URL)),
        ("PAYAUTH_MAX_TIME_MS", crate::profiles::request::PAYAUTH_MAX_TIME_MS),
        ("PAYAUTH_VERSION", i64::from(v)),
        ("PAYAUTH_VERSION_MAJOR", i64::from(v / 10_000)),
        ("PAYAUTH_VERSION_MINOR", i64::from(v / 100 % 100)),
        ("PAYAUTH_VERSION_PATCH", i64::from(v % 100)),
    ]
}

/// Looks up a named constant, the function twin of every macro a binding needs: status codes
/// (`"PAYAUTH_OK"` …), status groups (`PAYAUTH_GROUP_*`), `PAYAUTH_FLAG_*`, `PAYAUTH_HASH_*`, `PAYAUTH_ENCODING_*` and
/// `PAYAUTH_VERSION*`. Writes `*value` only on success.
///
/// Returns `PAYAUTH_OK`, `PAYAUTH_NULL_ARGUMENT` (`name` NULL with a length, or `value` NULL),
/// `PAYAUTH_NOT_FOUND` (no such constant). Thread-safety: any thread.
///
/// Ownership: `name` is only read; `*value` is the caller's.
///
/// # Safety
/// `name` must point to `name_len` bytes; `value` must be writable; `err` NULL or live.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn payauth_constant(
    name: *const c_char,
    name_len: usize,
    value: *mut i64,
    err: *mut payauth_error,
) -> i32 {
    guard(err, || {
        // SAFETY: the caller's contract.
        let name = unsafe { bytes(name, name_len, "name")? };
        non_null(value, "value")?;
        let found = constants()
            .iter()
            .find(|(n, _)| n.as_bytes() == name)
            .map(|(_, v)| *v)
            .or_else(|| std::str::from_utf8(name).ok().and_then(status::constant).map(i64::from));
        match found {
            Some(v) => {
                // SAFETY: checked non-null.
                unsafe { *value = v };
                Ok(())
            }
            None => Err(Error::new(
                PAYAUTH_NOT_FOUND,
                format!("no constant named `{}`", String::from_utf8_lossy(name)),
            )),
        }
    })
}
