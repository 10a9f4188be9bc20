//! One crossing per request, for language bindings: the request's arguments packed into one
//! buffer, the headers written back as one text into a caller buffer. Through PHP FFI, cffi or
//! JNA a call costs per argument and per call; this replaces `payauth_*_sign*` (13–15 arguments)
//! + `payauth_headers_text` + `payauth_headers_free` with one 8-argument call.
//!
//! Request buffer: `METHOD \0 PATH \0 TOKEN \0 EXTRA_JSON \0 BODY` — four NUL separators; the body
//! is everything after the fourth (it may itself contain NUL bytes); TOKEN and EXTRA_JSON may be
//! empty. Output: every header as `Name: value\r\n`, in sending order, NUL-terminated.

use super::client::client_ref;
use super::error::payauth_error;
use super::signer::{payauth_signer, signer_ref};
use super::{bytes, copy_out, guard};
use crate::error::{Error, Result};
use crate::profiles::{Extra, Request, Signed};
use crate::status::PAYAUTH_INVALID_ARGUMENT;
use std::ffi::c_char;

use super::client::payauth_client;

/// A packed request: method, path, token, extra JSON, body.
struct Packed<'a> {
    method: &'a str,
    path: &'a str,
    token: &'a str,
    extra: Extra,
    body: &'a [u8],
}

fn field<'a>(rest: &mut &'a [u8], name: &str) -> Result<&'a str> {
    let Some(end) = rest.iter().position(|b| *b == 0) else {
        return Err(Error::new(
            PAYAUTH_INVALID_ARGUMENT,
            format!("packed request: no NUL after the {name} (format: METHOD\\0PATH\\0TOKEN\\0EXTRA\\0BODY)"),
        ));
    };
    let text = std::str::from_utf8(&rest[..end]).map_err(|_| {
        Error::new(
            crate::status::PAYAUTH_INVALID_UTF8,
            format!("packed request: the {name} is not valid UTF-8"),
        )
    })?;
    *rest = &rest[end + 1..];
    Ok(text)
}

/// Unpacks the request, signs it with `sign` and copies the header text into the caller's buffer.
///
/// # Safety
/// As for the exported functions: `request` readable for `request_len` bytes, `out` NULL or
/// `out_cap` writable bytes, `out_len` writable.
unsafe fn sign_into(
    request: *const c_char,
    request_len: usize,
    out: *mut c_char,
    out_cap: usize,
    out_len: *mut usize,
    sign: impl FnOnce(Packed<'_>) -> Result<Signed>,
) -> Result<()> {
    // SAFETY: caller contract.
    let packed = unpack(unsafe { bytes(request, request_len, "request")? })?;
    // SAFETY: caller contract.
    unsafe { copy_out(&sign(packed)?.header_block(), out, out_cap, out_len) }
}

fn unpack(request: &[u8]) -> Result<Packed<'_>> {
    let mut rest = request;
    let method = field(&mut rest, "method")?;
    let path = field(&mut rest, "path")?;
    let token = field(&mut rest, "token")?;
    let extra = field(&mut rest, "extra JSON")?;
    Ok(Packed {
        method,
        path,
        token,
        extra: Extra::parse(extra.as_bytes())?,
        body: rest,
    })
}

/// Signs a packed request offline (see the module text for the format) and writes its headers
/// as one `Name: value\r\n` text into `out`. Same rules and results as `payauth_signer_sign`
/// (`timestamp_ms` 0 = now) without explain.
///
/// Buffer: `*out_len` always receives the text's length (without the NUL); when `out` is NULL
/// or `out_cap` is not larger than that, `PAYAUTH_BUFFER_TOO_SMALL` is returned and nothing is
/// written (calling again signs again: a new timestamp or random id unless fixed by the caller).
/// 4 KiB fits every preset. Thread-safety: any thread, concurrently on one signer.
///
/// Returns `PAYAUTH_OK`, `PAYAUTH_NULL_ARGUMENT`, `PAYAUTH_INVALID_UTF8`,
/// `PAYAUTH_INVALID_ARGUMENT` (packing, method, path, token, timestamp, extra),
/// `PAYAUTH_BUFFER_TOO_SMALL`, `PAYAUTH_MISSING_TOKEN`, `PAYAUTH_MISSING_REQUEST_FIELD`,
/// `PAYAUTH_JSON_INVALID`, `PAYAUTH_SIGN_FAILED`, `PAYAUTH_PANIC`.
///
/// # Safety
/// `request` must point to `request_len` bytes; `out` NULL or `out_cap` writable bytes; `out_len`
/// writable; `err` NULL or live.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn payauth_signer_sign_packed(
    signer: *const payauth_signer,
    request: *const c_char,
    request_len: usize,
    timestamp_ms: i64,
    out: *mut c_char,
    out_cap: usize,
    out_len: *mut usize,
    err: *mut payauth_error,
) -> i32 {
    guard(err, || {
        let signer = signer_ref(signer)?;
        // SAFETY: caller contract.
        unsafe {
            sign_into(request, request_len, out, out_cap, out_len, |p| {
                signer.sign(
                    &Request::new(p.method, p.path, p.body, p.token, timestamp_ms, p.extra)?,
                    false,
                )
            })
        }
    })
}

/// The client's one-crossing call: like `payauth_client_sign_request` (token fetched, cached
/// and added), with the request packed and the headers written as text into `out`, as for
/// `payauth_signer_sign_packed`. The TOKEN field must be empty (the client supplies the token).
///
/// Returns `PAYAUTH_OK`, the codes of `payauth_signer_sign_packed` and the token codes of
/// `payauth_client_sign_request`.
///
/// # Safety
/// As for `payauth_signer_sign_packed`, with a live `client`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn payauth_client_sign_packed(
    client: *const payauth_client,
    request: *const c_char,
    request_len: usize,
    timestamp_ms: i64,
    out: *mut c_char,
    out_cap: usize,
    out_len: *mut usize,
    err: *mut payauth_error,
) -> i32 {
    guard(err, || {
        let client = client_ref(client)?;
        // SAFETY: caller contract.
        unsafe {
            sign_into(request, request_len, out, out_cap, out_len, |p| {
                if !p.token.is_empty() {
                    return Err(Error::new(
                        PAYAUTH_INVALID_ARGUMENT,
                        "packed request: leave the token empty, the client adds its own",
                    ));
                }
                client.sign_request(p.method, p.path, p.body, timestamp_ms, p.extra, false)
            })
        }
    })
}
