//! The headers result object: the headers to add to a request and, when asked for with
//! `PAYAUTH_FLAG_EXPLAIN`, the intermediate artifacts of the signature.
//!
//! All returned strings are owned by the object, NUL-terminated (their length is also given,
//! since explain values may contain NUL bytes from a body) and valid until `payauth_headers_free`.
//! A headers object is immutable: it may be read from several threads at once.

use super::{bytes, guard_value};
use crate::profiles::Signed;
use crate::status::{PAYAUTH_NOT_FOUND, PAYAUTH_NULL_ARGUMENT, PAYAUTH_OK, PAYAUTH_OUT_OF_RANGE, PAYAUTH_PANIC};
use std::ffi::c_char;
use std::sync::OnceLock;

/// Opaque result of a signing call.
pub struct payauth_headers {
    pub(crate) inner: Signed,
    /// `payauth_headers_text`, made on first use.
    block: OnceLock<zeroize::Zeroizing<Vec<u8>>>,
}

impl payauth_headers {
    /// A heap-allocated result object for C.
    pub(crate) fn boxed(inner: Signed) -> *mut payauth_headers {
        Box::into_raw(Box::new(payauth_headers {
            inner,
            block: OnceLock::new(),
        }))
    }
}

/// Writes a (name, value) pair into optional out-parameters.
///
/// # Safety
/// Each out pointer must be NULL or writable.
unsafe fn write_pair(
    pair: (&[u8], &[u8]),
    name: *mut *const c_char,
    name_len: *mut usize,
    value: *mut *const c_char,
    value_len: *mut usize,
) {
    // SAFETY: each pointer is NULL or writable (caller contract).
    unsafe {
        if !name.is_null() {
            *name = pair.0.as_ptr().cast();
        }
        if !name_len.is_null() {
            *name_len = pair.0.len();
        }
        if !value.is_null() {
            *value = pair.1.as_ptr().cast();
        }
        if !value_len.is_null() {
            *value_len = pair.1.len();
        }
    }
}

/// Number of headers (0 for NULL). Thread-safety: any thread.
///
/// Returns the count (0 for NULL; never fails). Ownership: nothing to free. Thread-safety: any thread (a result is immutable).
///
/// # Safety
/// `h` must be NULL or a live headers object.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn payauth_headers_count(h: *const payauth_headers) -> usize {
    // SAFETY: NULL or live (caller contract).
    guard_value(0, || unsafe { h.as_ref() }.map_or(0, |h| h.inner.header_count()))
}

/// Header number `index` (in the order they should be sent). Any of the four out-parameters may
/// be NULL; each non-NULL one is written only on success.
///
/// Returns `PAYAUTH_OK`, `PAYAUTH_NULL_ARGUMENT` (`h` NULL), `PAYAUTH_OUT_OF_RANGE`.
///
/// Ownership: the strings are owned by `h` (NUL-terminated, valid until `payauth_headers_free(h)`); never free them. Thread-safety: any thread (a result is immutable).
///
/// # Safety
/// `h` must be NULL or live; out-parameters NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn payauth_headers_get(
    h: *const payauth_headers,
    index: usize,
    name: *mut *const c_char,
    name_len: *mut usize,
    value: *mut *const c_char,
    value_len: *mut usize,
) -> i32 {
    guard_value(PAYAUTH_PANIC, || {
        // SAFETY: NULL or live (caller contract).
        let Some(h) = (unsafe { h.as_ref() }) else {
            return PAYAUTH_NULL_ARGUMENT;
        };
        match h.inner.header_at(index) {
            // SAFETY: out-parameters NULL or writable (caller contract).
            Some(pair) => unsafe {
                write_pair(pair, name, name_len, value, value_len);
                0
            },
            None => PAYAUTH_OUT_OF_RANGE,
        }
    })
}

/// The value of the first header named `name` (ASCII case-insensitive). `value` / `value_len`
/// may be NULL; they are written only on success.
///
/// Returns `PAYAUTH_OK`, `PAYAUTH_NULL_ARGUMENT`, `PAYAUTH_NOT_FOUND`.
///
/// Ownership: the string is owned by `h` (NUL-terminated, valid until `payauth_headers_free(h)`); never free it. Thread-safety: any thread (a result is immutable).
///
/// # Safety
/// `h` NULL or live; `name` points to `name_len` bytes; out-parameters NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn payauth_headers_find(
    h: *const payauth_headers,
    name: *const c_char,
    name_len: usize,
    value: *mut *const c_char,
    value_len: *mut usize,
) -> i32 {
    guard_value(PAYAUTH_PANIC, || {
        // SAFETY: caller contract.
        let (Some(h), Ok(name)) = (unsafe { h.as_ref() }, unsafe { bytes(name, name_len, "name") }) else {
            return PAYAUTH_NULL_ARGUMENT;
        };
        match h.inner.find_header(name) {
            // SAFETY: out-parameters NULL or writable.
            Some(v) => unsafe {
                write_pair((&[], v), std::ptr::null_mut(), std::ptr::null_mut(), value, value_len);
                0
            },
            None => PAYAUTH_NOT_FOUND,
        }
    })
}

/// Number of explain artifacts (0 for NULL, and 0 unless the call passed `PAYAUTH_FLAG_EXPLAIN`).
///
/// Returns the count (0 for NULL or without explain; never fails). Ownership: nothing to free. Thread-safety: any thread (a result is immutable).
///
/// # Safety
/// `h` must be NULL or a live headers object.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn payauth_headers_explain_count(h: *const payauth_headers) -> usize {
    // SAFETY: NULL or live.
    guard_value(0, || unsafe { h.as_ref() }.map_or(0, |h| h.inner.explain_count()))
}

/// Explain artifact number `index` (`string_to_sign`, `body_sha256`, `hmac_key`, …; secrets are
/// shown as `[field, N bytes]`). Out-parameters may be NULL; written only on success.
///
/// Returns `PAYAUTH_OK`, `PAYAUTH_NULL_ARGUMENT`, `PAYAUTH_OUT_OF_RANGE`.
///
/// Ownership: the strings are owned by `h` (NUL-terminated, valid until `payauth_headers_free(h)`); never free them. Thread-safety: any thread (a result is immutable).
///
/// # Safety
/// `h` NULL or live; out-parameters NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn payauth_headers_explain_get(
    h: *const payauth_headers,
    index: usize,
    name: *mut *const c_char,
    name_len: *mut usize,
    value: *mut *const c_char,
    value_len: *mut usize,
) -> i32 {
    guard_value(PAYAUTH_PANIC, || {
        // SAFETY: NULL or live.
        let Some(h) = (unsafe { h.as_ref() }) else {
            return PAYAUTH_NULL_ARGUMENT;
        };
        match h.inner.explain_at(index) {
            // SAFETY: out-parameters NULL or writable.
            Some(pair) => unsafe {
                write_pair(pair, name, name_len, value, value_len);
                0
            },
            None => PAYAUTH_OUT_OF_RANGE,
        }
    })
}

/// The explain artifact named `name` (exact match).
///
/// Returns `PAYAUTH_OK`, `PAYAUTH_NULL_ARGUMENT`, `PAYAUTH_NOT_FOUND`.
///
/// Ownership: the string is owned by `h` (NUL-terminated, valid until `payauth_headers_free(h)`); never free it. Thread-safety: any thread (a result is immutable).
///
/// # Safety
/// `h` NULL or live; `name` points to `name_len` bytes; out-parameters NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn payauth_headers_explain_find(
    h: *const payauth_headers,
    name: *const c_char,
    name_len: usize,
    value: *mut *const c_char,
    value_len: *mut usize,
) -> i32 {
    guard_value(PAYAUTH_PANIC, || {
        // SAFETY: caller contract.
        let (Some(h), Ok(name)) = (unsafe { h.as_ref() }, unsafe { bytes(name, name_len, "name") }) else {
            return PAYAUTH_NULL_ARGUMENT;
        };
        match h.inner.find_explain(name) {
            // SAFETY: out-parameters NULL or writable.
            Some(v) => unsafe {
                write_pair((&[], v), std::ptr::null_mut(), std::ptr::null_mut(), value, value_len);
                0
            },
            None => PAYAUTH_NOT_FOUND,
        }
    })
}

/// Every header in one text, `Name: value\r\n` per header in the order they should be sent,
/// NUL-terminated (`*len` excludes the NUL): one call instead of one per header, for bindings and
/// for HTTP clients that take a raw header block. The text is owned by `h` and valid until
/// `payauth_headers_free`; it is made on the first call. Thread-safety: any thread, concurrently.
///
/// Returns `PAYAUTH_OK`, `PAYAUTH_NULL_ARGUMENT` (`h` or `text` NULL). `len` may be NULL.
///
/// Ownership: the text is owned by `h` (valid until `payauth_headers_free(h)`); never free it.
///
/// # Safety
/// `h` must be NULL or live; `text` and `len` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn payauth_headers_text(
    h: *const payauth_headers,
    text: *mut *const c_char,
    len: *mut usize,
) -> i32 {
    guard_value(PAYAUTH_PANIC, || {
        // SAFETY: NULL or live (caller contract).
        let Some(h) = (unsafe { h.as_ref() }) else {
            return PAYAUTH_NULL_ARGUMENT;
        };
        if text.is_null() {
            return PAYAUTH_NULL_ARGUMENT;
        }
        let block = h.block.get_or_init(|| {
            let mut text = h.inner.header_block();
            text.push(0); // C callers get a NUL-terminated string
            text
        });
        // SAFETY: `text` is writable and `len` NULL or writable (caller contract).
        unsafe {
            *text = block.as_ptr().cast();
            if !len.is_null() {
                *len = block.len() - 1;
            }
        }
        crate::status::PAYAUTH_OK
    })
}

/// Frees a headers object; every string obtained from it becomes invalid.
/// `payauth_headers_free(NULL)` is a no-op.
///
/// Thread-safety: no other thread may be using `h`. Returns nothing.
///
/// Ownership: takes back the result made by a signing call.
///
/// # Safety
/// `h` must be NULL or a headers object not yet freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn payauth_headers_free(h: *mut payauth_headers) {
    // SAFETY: caller contract.
    guard_value((), || unsafe { super::free_handle(h) })
}

/// The body to send, when the signature covers other bytes than the body given: a JSON body
/// whose digest (SNAP, PayNet JWS) or signed copy (Netzme) covers its minified form
/// (`body_form`: `minified`, the default). Send these bytes instead of yours so the gateway
/// receives exactly what was signed. `PAYAUTH_NOT_FOUND` means: send your body as given.
/// `body` / `body_len` may be NULL; they are written only on success. The bytes are owned by
/// `h` (valid until `payauth_headers_free`, NUL-terminated). Thread-safety: any thread.
///
/// Returns `PAYAUTH_OK`, `PAYAUTH_NOT_FOUND`, `PAYAUTH_NULL_ARGUMENT` (`h` NULL).
///
/// Ownership: see above (owned by `h`).
///
/// # Safety
/// `h` must be NULL or live; out-parameters NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn payauth_headers_body(
    h: *const payauth_headers,
    body: *mut *const c_char,
    body_len: *mut usize,
) -> i32 {
    guard_value(PAYAUTH_PANIC, || {
        // SAFETY: NULL or live.
        let Some(h) = (unsafe { h.as_ref() }) else {
            return PAYAUTH_NULL_ARGUMENT;
        };
        let Some(b) = h.inner.body() else {
            return PAYAUTH_NOT_FOUND;
        };
        // SAFETY: out-parameters NULL or writable (caller contract); `b` lives with `h`.
        unsafe {
            if !body.is_null() {
                *body = b.as_ptr().cast();
            }
            if !body_len.is_null() {
                *body_len = b.len();
            }
        }
        PAYAUTH_OK
    })
}
