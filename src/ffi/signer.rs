//! The signer handle: a profile built once from JSON, used for every request.

use super::error::payauth_error;
use super::headers::payauth_headers;
use super::{bytes, check_flags, free_handle, guard, guard_value, new_handle, non_null, text};
use crate::error::Result;
use crate::profiles::{Extra, Request, Signer};
use std::ffi::c_char;

/// Opaque signer. Immutable after creation: safe to share between threads and to use after
/// `fork()` (it holds no connections, threads or locks).
pub struct payauth_signer {
    inner: Signer,
}

/// Builds a signer from a JSON configuration `{"profile": "<preset>", …}` (see
/// `docs/profiles.md`). Keys are parsed and HMAC key schedules computed here, once.
///
/// Ownership: on success `*out` receives a signer the caller frees with `payauth_signer_free`;
/// `*out` is untouched on failure. Thread-safety: any thread.
///
/// Returns `PAYAUTH_OK`, `PAYAUTH_NULL_ARGUMENT`, `PAYAUTH_INVALID_UTF8`, `PAYAUTH_CONFIG_JSON`,
/// `PAYAUTH_CONFIG_UNKNOWN_PROFILE`, `PAYAUTH_CONFIG_MISSING_FIELD`,
/// `PAYAUTH_CONFIG_INVALID_FIELD`, `PAYAUTH_CONFIG_SECRET_SOURCE`, `PAYAUTH_KEY_INVALID`,
/// `PAYAUTH_KEY_TOO_SMALL`, `PAYAUTH_PANIC`.
///
/// # Safety
/// `config` must point to `config_len` bytes; `out` writable; `err` NULL or live.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn payauth_signer_new(
    config: *const c_char,
    config_len: usize,
    out: *mut *mut payauth_signer,
    err: *mut payauth_error,
) -> i32 {
    // SAFETY: caller contract.
    guard(err, || unsafe {
        new_handle(config, config_len, out, |c| {
            Ok(payauth_signer {
                // A client's configuration works here too (its token fields are ignored).
                inner: Signer::from_json_with(c, crate::client::CLIENT_FIELDS)?,
            })
        })
    })
}

/// Frees a signer (its secrets are wiped). `payauth_signer_free(NULL)` is a no-op. No other
/// thread may be using the signer.
///
/// Ownership: takes back the signer made by `payauth_signer_new`. Returns nothing.
///
/// # Safety
/// `signer` must be NULL or a signer not yet freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn payauth_signer_free(signer: *mut payauth_signer) {
    // SAFETY: caller contract.
    guard_value((), || unsafe { free_handle(signer) })
}

/// The signer's preset name (static string; never free it). "" for NULL.
///
/// Returns the static name, never NULL. Thread-safety: any thread.
///
/// Ownership: static; never free it.
///
/// # Safety
/// `signer` must be NULL or live.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn payauth_signer_profile(signer: *const payauth_signer) -> *const c_char {
    guard_value(c"".as_ptr(), || {
        // SAFETY: NULL or live.
        unsafe { signer.as_ref() }.map_or(c"".as_ptr(), |s| s.inner.preset().c_name.as_ptr())
    })
}

pub(crate) fn signer_ref<'a>(signer: *const payauth_signer) -> Result<&'a Signer> {
    non_null(signer, "signer")?;
    // SAFETY: non-null; the caller passes a live signer.
    Ok(unsafe { &(*signer).inner })
}

fn emit(out: *mut *mut payauth_headers, signed: crate::profiles::Signed) {
    // SAFETY: `out` was checked non-null by the caller of emit.
    unsafe { *out = payauth_headers::boxed(signed) };
}

/// Signs one outgoing request and returns every header the gateway needs.
///
/// `method` (e.g. "POST"), `path` (path and raw query exactly as sent), `body` (the exact bytes
/// sent; NULL with length 0 for none — never re-serialised), `token` (the access token, bare or as its `Bearer …` header value, or
/// NULL/0 when the scheme needs none), `timestamp_ms` (epoch milliseconds; 0 = now),
/// `extra_json` (optional JSON object of per-request values: `timestamp`, `external_id`,
/// `message_id`, `fields`, `string_to_sign`; NULL/0 for none), `flags` (0 or
/// `PAYAUTH_FLAG_EXPLAIN`).
///
/// Ownership: on success `*out` receives a headers object the caller frees with
/// `payauth_headers_free`; untouched on failure. Thread-safety: one signer may sign from many
/// threads at once.
///
/// Returns `PAYAUTH_OK`, `PAYAUTH_NULL_ARGUMENT`, `PAYAUTH_INVALID_UTF8`,
/// `PAYAUTH_INVALID_ARGUMENT` (bad method/path/token/timestamp/extra/flags),
/// `PAYAUTH_MISSING_TOKEN`, `PAYAUTH_MISSING_REQUEST_FIELD`, `PAYAUTH_CONFIG_MISSING_FIELD`
/// (the operation needs a key the configuration lacks), `PAYAUTH_SIGN_FAILED`, `PAYAUTH_PANIC`.
///
/// # Safety
/// Every `(ptr, len)` pair must be readable; `out` writable; `err` NULL or live.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn payauth_signer_sign(
    signer: *const payauth_signer,
    method: *const c_char,
    method_len: usize,
    path: *const c_char,
    path_len: usize,
    body: *const c_char,
    body_len: usize,
    token: *const c_char,
    token_len: usize,
    timestamp_ms: i64,
    extra_json: *const c_char,
    extra_len: usize,
    flags: u32,
    out: *mut *mut payauth_headers,
    err: *mut payauth_error,
) -> i32 {
    guard(err, || {
        let signer = signer_ref(signer)?;
        // SAFETY: caller contract for every (ptr, len) pair.
        let (method, path, body, token, extra) = unsafe {
            (
                text(method, method_len, "method")?,
                text(path, path_len, "path")?,
                bytes(body, body_len, "body")?,
                text(token, token_len, "token")?,
                bytes(extra_json, extra_len, "extra_json")?,
            )
        };
        let explain = check_flags(flags)?;
        non_null(out, "out")?;
        let req = Request::new(method, path, body, token, timestamp_ms, Extra::parse(extra)?)?;
        emit(out, signer.sign(&req, explain)?);
        Ok(())
    })
}

/// Headers for the profile's token request: SNAP's RSA-signed `X-SIGNATURE` with `X-TIMESTAMP`
/// and `X-CLIENT-KEY`, or Netzme legacy's Basic authorization. `timestamp_ms` 0 = now;
/// `extra_json` may carry `timestamp`.
///
/// Ownership and thread-safety as for `payauth_signer_sign`.
///
/// Returns `PAYAUTH_OK`, `PAYAUTH_NULL_ARGUMENT`, `PAYAUTH_INVALID_ARGUMENT`,
/// `PAYAUTH_UNSUPPORTED` (the profile has no such headers), `PAYAUTH_CONFIG_MISSING_FIELD`
/// (no `private_key`), `PAYAUTH_SIGN_FAILED`, `PAYAUTH_PANIC`.
///
/// # Safety
/// As for `payauth_signer_sign`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn payauth_signer_token_headers(
    signer: *const payauth_signer,
    timestamp_ms: i64,
    extra_json: *const c_char,
    extra_len: usize,
    flags: u32,
    out: *mut *mut payauth_headers,
    err: *mut payauth_error,
) -> i32 {
    guard(err, || {
        let signer = signer_ref(signer)?;
        // SAFETY: caller contract.
        let extra = unsafe { bytes(extra_json, extra_len, "extra_json")? };
        let explain = check_flags(flags)?;
        non_null(out, "out")?;
        let req = Request::for_token(timestamp_ms, Extra::parse(extra)?)?;
        emit(out, signer.token_headers(&req, explain)?);
        Ok(())
    })
}

/// Verifies the signature of an inbound request (callback / webhook) signed with the profile's
/// HMAC scheme, comparing in constant time. `timestamp` is the timestamp header exactly as
/// received; `signature` the received signature (hex compares case-insensitively). Checking
/// that the timestamp is recent is the caller's policy.
///
/// Returns `PAYAUTH_OK` (valid), `PAYAUTH_SIGNATURE_MISMATCH`, `PAYAUTH_UNSUPPORTED` (the
/// profile has no HMAC scheme), `PAYAUTH_NULL_ARGUMENT`, `PAYAUTH_INVALID_UTF8`,
/// `PAYAUTH_INVALID_ARGUMENT`, `PAYAUTH_MISSING_TOKEN`, `PAYAUTH_PANIC`.
/// Thread-safety: any thread.
///
/// Ownership: every input is only read during the call.
///
/// # Safety
/// Every `(ptr, len)` pair must be readable; `err` NULL or live.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn payauth_signer_verify(
    signer: *const payauth_signer,
    method: *const c_char,
    method_len: usize,
    path: *const c_char,
    path_len: usize,
    body: *const c_char,
    body_len: usize,
    token: *const c_char,
    token_len: usize,
    timestamp: *const c_char,
    timestamp_len: usize,
    signature: *const c_char,
    signature_len: usize,
    err: *mut payauth_error,
) -> i32 {
    guard(err, || {
        let signer = signer_ref(signer)?;
        // SAFETY: caller contract for every (ptr, len) pair.
        let (method, path, body, token, timestamp, signature) = unsafe {
            (
                text(method, method_len, "method")?,
                text(path, path_len, "path")?,
                bytes(body, body_len, "body")?,
                text(token, token_len, "token")?,
                text(timestamp, timestamp_len, "timestamp")?,
                bytes(signature, signature_len, "signature")?,
            )
        };
        let extra = Extra {
            timestamp: Some(timestamp.to_string()),
            ..Extra::default()
        };
        let req = Request::new(method, path, body, token, 1, extra)?;
        signer.verify(&req, signature)
    })
}

/// Verifies an RSA-SHA256 (PKCS#1 v1.5) signature made by the gateway over `message` exactly as
/// given — a DuitNow OBW `X-Signature` over the message's fields concatenated, or SNAP's B2B
/// `client_key|timestamp` — with the configured `gateway_public_key` (PEM certificate, public
/// key or RSA public key). `signature` is base64.
///
/// Ownership: nothing is kept. Thread-safety: any thread, concurrently on one signer.
///
/// Returns `PAYAUTH_OK` (valid), `PAYAUTH_SIGNATURE_MISMATCH`, `PAYAUTH_CONFIG_MISSING_FIELD`
/// (no `gateway_public_key`), `PAYAUTH_INVALID_ARGUMENT` (signature not base64),
/// `PAYAUTH_NULL_ARGUMENT`, `PAYAUTH_PANIC`.
///
/// # Safety
/// Every `(ptr, len)` pair must be readable; `err` NULL or live.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn payauth_signer_verify_rsa(
    signer: *const payauth_signer,
    message: *const c_char,
    message_len: usize,
    signature: *const c_char,
    signature_len: usize,
    err: *mut payauth_error,
) -> i32 {
    guard(err, || {
        let signer = signer_ref(signer)?;
        // SAFETY: caller contract for every (ptr, len) pair.
        let (message, signature) = unsafe {
            (
                bytes(message, message_len, "message")?,
                bytes(signature, signature_len, "signature")?,
            )
        };
        signer.verify_rsa(message, signature)
    })
}

/// Verifies SNAP's asymmetric service signature of an inbound request (a callback or
/// notification signed with the gateway's RSA key): base64 SHA256withRSA over
/// `METHOD:path:lowerhex(SHA-256(minify(body))):timestamp`, with the profile's `include_query`
/// and `body_form`, and `gateway_public_key`. `timestamp` is the `X-TIMESTAMP` header exactly as
/// received; `signature` the `X-SIGNATURE` header.
///
/// Ownership: nothing is kept. Thread-safety: any thread, concurrently on one signer.
///
/// Returns `PAYAUTH_OK` (valid), `PAYAUTH_SIGNATURE_MISMATCH`, `PAYAUTH_UNSUPPORTED` (not a SNAP
/// profile), `PAYAUTH_CONFIG_MISSING_FIELD` (no `gateway_public_key`), `PAYAUTH_INVALID_ARGUMENT`
/// (method, path or signature malformed), `PAYAUTH_INVALID_UTF8`, `PAYAUTH_NULL_ARGUMENT`,
/// `PAYAUTH_PANIC`.
///
/// # Safety
/// Every `(ptr, len)` pair must be readable; `err` NULL or live.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn payauth_signer_verify_snap_rsa(
    signer: *const payauth_signer,
    method: *const c_char,
    method_len: usize,
    path: *const c_char,
    path_len: usize,
    body: *const c_char,
    body_len: usize,
    timestamp: *const c_char,
    timestamp_len: usize,
    signature: *const c_char,
    signature_len: usize,
    err: *mut payauth_error,
) -> i32 {
    guard(err, || {
        let signer = signer_ref(signer)?;
        // SAFETY: caller contract for every (ptr, len) pair.
        let (method, path, body, timestamp, signature) = unsafe {
            (
                text(method, method_len, "method")?,
                text(path, path_len, "path")?,
                bytes(body, body_len, "body")?,
                text(timestamp, timestamp_len, "timestamp")?,
                bytes(signature, signature_len, "signature")?,
            )
        };
        let extra = Extra {
            timestamp: Some(timestamp.to_string()),
            ..Extra::default()
        };
        // The time is the received timestamp text; the number is a placeholder never formatted.
        let req = Request::new(method, path, body, "", 1, extra)?;
        signer.verify_snap_rsa(&req, signature)
    })
}

/// Verifies a compact JWS the gateway signed (PayNet responses: RS256 or RS512, `Bearer `
/// accepted in front) with `gateway_public_key`, then its `ds` claim against the SHA-256 of
/// `body` as the profile covers it (minified JSON by default). A JWS without `ds` verifies only
/// with an empty body. Checking `iat`/`exp` freshness is the caller's policy.
///
/// Ownership: nothing is kept. Thread-safety: any thread, concurrently on one signer.
///
/// Returns `PAYAUTH_OK` (valid), `PAYAUTH_SIGNATURE_MISMATCH` (the signature, the alg or `ds`;
/// the message says which), `PAYAUTH_CONFIG_MISSING_FIELD` (no `gateway_public_key`),
/// `PAYAUTH_INVALID_ARGUMENT` (not a compact JWS), `PAYAUTH_INVALID_UTF8`,
/// `PAYAUTH_NULL_ARGUMENT`, `PAYAUTH_PANIC`.
///
/// # Safety
/// Every `(ptr, len)` pair must be readable; `err` NULL or live.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn payauth_signer_verify_jws(
    signer: *const payauth_signer,
    jws: *const c_char,
    jws_len: usize,
    body: *const c_char,
    body_len: usize,
    err: *mut payauth_error,
) -> i32 {
    guard(err, || {
        let signer = signer_ref(signer)?;
        // SAFETY: caller contract for every (ptr, len) pair.
        let (jws, body) = unsafe { (text(jws, jws_len, "jws")?, bytes(body, body_len, "body")?) };
        signer.verify_jws(jws, body)
    })
}
