#![allow(non_camel_case_types)]

//! The C ABI: the only place with `extern "C"`. It checks arguments, runs every exported body
//! inside one panic boundary ([`guard`] / [`guard_value`]), reports errors through the
//! caller-owned [`error::payauth_error`] and manages ownership. It holds no gateway logic.

// In this order in the C header: errors and statuses, the signer, its result object, the
// client, the binding path, the primitives.
pub mod client;
pub mod error;
pub mod headers;
pub mod packed;
pub mod primitives;
pub mod signer;

use crate::error::{Error, Result};
use crate::status::{
    PAYAUTH_BUFFER_TOO_SMALL, PAYAUTH_INVALID_ARGUMENT, PAYAUTH_INVALID_UTF8, PAYAUTH_NULL_ARGUMENT, PAYAUTH_PANIC,
};
use error::payauth_error;
use std::ffi::c_char;
use std::panic::{AssertUnwindSafe, catch_unwind};

/// Ask a signing call to record its intermediate artifacts (see `payauth_headers_explain_get`).
pub const PAYAUTH_FLAG_EXPLAIN: u32 = 1;
/// Ask `payauth_signer_sign_packed` for the headers of the profile's token request.
pub const PAYAUTH_FLAG_TOKEN_REQUEST: u32 = 2;

pub(crate) fn check_flags(flags: u32) -> Result<bool> {
    if flags & !PAYAUTH_FLAG_EXPLAIN != 0 {
        return Err(Error::new(
            PAYAUTH_INVALID_ARGUMENT,
            format!("unknown flags 0x{flags:x}"),
        ));
    }
    Ok(flags & PAYAUTH_FLAG_EXPLAIN != 0)
}

/// Runs a fallible exported body: a panic becomes `PAYAUTH_PANIC`, an error its status code; the
/// caller's error object (if any) receives the code and message, and is cleared on success.
pub(crate) fn guard(err: *mut payauth_error, f: impl FnOnce() -> Result<()>) -> i32 {
    let result = catch_unwind(AssertUnwindSafe(f)).unwrap_or_else(|_| {
        Err(Error::new(
            PAYAUTH_PANIC,
            "internal panic caught at the C boundary; the call had no effect",
        ))
    });
    let code = result.as_ref().err().map_or(0, |e| e.code);
    if !err.is_null() {
        let _ = catch_unwind(AssertUnwindSafe(|| {
            // SAFETY: the caller passes either NULL or a live error object it owns exclusively.
            let e = unsafe { &mut *err };
            match result {
                Ok(()) => e.clear(),
                Err(ref x) => e.set(x.code, &x.message),
            }
        }));
    }
    code
}

/// Runs an infallible exported body (accessors, `_free`): a panic yields `fallback`.
pub(crate) fn guard_value<T>(fallback: T, f: impl FnOnce() -> T) -> T {
    catch_unwind(AssertUnwindSafe(f)).unwrap_or(fallback)
}

/// Borrows `(ptr, len)` as bytes. `ptr` may be NULL only when `len` is 0.
///
/// # Safety
/// `ptr` must point to `len` readable bytes that stay valid for `'a`.
pub(crate) unsafe fn bytes<'a>(ptr: *const c_char, len: usize, what: &str) -> Result<&'a [u8]> {
    if ptr.is_null() {
        return if len == 0 {
            Ok(&[])
        } else {
            Err(Error::new(
                PAYAUTH_NULL_ARGUMENT,
                format!("`{what}` is NULL but its length is {len}"),
            ))
        };
    }
    if len > isize::MAX as usize {
        return Err(Error::new(
            PAYAUTH_INVALID_ARGUMENT,
            format!("`{what}` length is too large"),
        ));
    }
    // SAFETY: checked non-null; the caller guarantees `len` readable bytes.
    Ok(unsafe { std::slice::from_raw_parts(ptr.cast::<u8>(), len) })
}

/// Borrows `(ptr, len)` as UTF-8 text.
///
/// # Safety
/// As for [`bytes`].
pub(crate) unsafe fn text<'a>(ptr: *const c_char, len: usize, what: &str) -> Result<&'a str> {
    // SAFETY: forwarded contract.
    let b = unsafe { bytes(ptr, len, what)? };
    std::str::from_utf8(b).map_err(|e| {
        Error::new(
            PAYAUTH_INVALID_UTF8,
            format!("`{what}` is not valid UTF-8 (at byte {})", e.valid_up_to()),
        )
    })
}

/// Checks that a required pointer is not NULL.
pub(crate) fn non_null<T>(ptr: *const T, what: &str) -> Result<()> {
    if ptr.is_null() {
        Err(Error::new(PAYAUTH_NULL_ARGUMENT, format!("`{what}` must not be NULL")))
    } else {
        Ok(())
    }
}

/// Builds a handle from configuration text and stores it in `*out` (only on success).
///
/// # Safety
/// `config` must point to `config_len` bytes; `out` must be NULL or writable.
pub(crate) unsafe fn new_handle<T>(
    config: *const c_char,
    config_len: usize,
    out: *mut *mut T,
    build: impl FnOnce(&[u8]) -> Result<T>,
) -> Result<()> {
    // SAFETY: caller contract.
    let config = unsafe { text(config, config_len, "config")? };
    non_null(out, "out")?;
    let handle = build(config.as_bytes())?;
    // SAFETY: checked non-null.
    unsafe { *out = Box::into_raw(Box::new(handle)) };
    Ok(())
}

/// Frees a handle made by [`new_handle`]; NULL is a no-op.
///
/// # Safety
/// `p` must be NULL or a pointer from `new_handle` not yet freed.
pub(crate) unsafe fn free_handle<T>(p: *mut T) {
    if !p.is_null() {
        // SAFETY: from Box::into_raw in new_handle, freed once.
        drop(unsafe { Box::from_raw(p) });
    }
}

/// Copies `result` plus a NUL into a caller buffer with a size query: `*out_len` always receives
/// the result length (without the NUL); the buffer is written only when `out_cap > len`.
///
/// # Safety
/// `out` must be NULL or point to `out_cap` writable bytes; `out_len` must be valid or NULL.
pub(crate) unsafe fn copy_out(result: &[u8], out: *mut c_char, out_cap: usize, out_len: *mut usize) -> Result<()> {
    non_null(out_len, "out_len")?;
    // SAFETY: checked non-null; the caller passes a writable size_t.
    unsafe { *out_len = result.len() };
    if out.is_null() || out_cap <= result.len() {
        return Err(Error::new(
            PAYAUTH_BUFFER_TOO_SMALL,
            format!(
                "the result needs {} bytes plus a NUL; the buffer has {out_cap}",
                result.len()
            ),
        ));
    }
    // SAFETY: `out` has at least `result.len() + 1` writable bytes (checked above).
    unsafe {
        std::ptr::copy_nonoverlapping(result.as_ptr(), out.cast::<u8>(), result.len());
        *out.add(result.len()) = 0;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_a_status_and_a_message() {
        let err = error::payauth_error_new();
        let code = guard(err, || panic!("boom"));
        assert_eq!(code, PAYAUTH_PANIC);
        // SAFETY: live error object.
        unsafe {
            assert_eq!(error::payauth_error_code(err), PAYAUTH_PANIC);
            let msg = std::ffi::CStr::from_ptr(error::payauth_error_message(err));
            assert!(msg.to_str().unwrap().contains("panic"));
            error::payauth_error_free(err);
        }
        assert_eq!(guard_value(7, || panic!("boom")), 7);
        assert_eq!(guard(std::ptr::null_mut(), || panic!("boom")), PAYAUTH_PANIC);
    }
}
