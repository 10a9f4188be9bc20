//! The client handle: token acquisition, caching and signing in one call per request.

use super::error::payauth_error;
use super::headers::payauth_headers;
use super::{bytes, copy_out, free_handle, guard, guard_value, new_handle, non_null, text};
use crate::client::Client;
use crate::error::{Error, Result};
use crate::profiles::Extra;
use crate::status::PAYAUTH_INVALID_ARGUMENT;
use std::ffi::c_char;

/// Opaque token client. Safe to share between threads (one token fetch at a time per credential
/// on the host, and in the fleet with Redis; the other callers wait or keep using the still-valid
/// token) and usable in a child after `fork()` (the child drops the inherited connections and
/// in-flight state).
pub struct payauth_client {
    inner: Client,
}

pub(crate) fn client_ref<'a>(c: *const payauth_client) -> Result<&'a Client> {
    non_null(c, "client")?;
    // SAFETY: non-null; the caller passes a live client.
    Ok(unsafe { &(*c).inner })
}

/// Builds a client from a JSON configuration: the profile's fields (see `docs/profiles.md`)
/// plus the token fields — `token_url`, `ca_file`, timeouts, `proxy`, `refresh_margin`, the
/// backoff settings — and `cache` (the shared tiers), all listed in `docs/caching.md`. A host
/// cache directory that cannot be used safely turns the host tier off (or to the configured
/// fallback; shown in the stats and logged on stderr) instead of failing. No request is made
/// here, and Redis is not contacted until the first token is needed.
///
/// Ownership: on success `*out` receives a client freed with `payauth_client_free`.
///
/// Returns `PAYAUTH_OK`, `PAYAUTH_NULL_ARGUMENT`, `PAYAUTH_INVALID_UTF8`, the `PAYAUTH_CONFIG_*`
/// codes, `PAYAUTH_KEY_INVALID`, `PAYAUTH_KEY_TOO_SMALL`, `PAYAUTH_PANIC`.
///
/// Thread-safety: any thread.
///
/// # Safety
/// `config` must point to `config_len` bytes; `out` writable; `err` NULL or live.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn payauth_client_new(
    config: *const c_char,
    config_len: usize,
    out: *mut *mut payauth_client,
    err: *mut payauth_error,
) -> i32 {
    // SAFETY: caller contract.
    guard(err, || unsafe {
        new_handle(config, config_len, out, |c| {
            Ok(payauth_client {
                inner: Client::from_json(c)?,
            })
        })
    })
}

/// Frees a client (secrets wiped, connections closed). `payauth_client_free(NULL)` is a no-op.
/// No other thread may be using it. A background refresh in progress is given up to 1 s to end;
/// after that this returns and the refresh ends on its own once its request does (bounded by
/// `timeout_ms`), holding its own reference to what it uses.
///
/// Ownership: takes back the client made by `payauth_client_new`. Returns nothing.
///
/// # Safety
/// `client` must be NULL or a client not yet freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn payauth_client_free(client: *mut payauth_client) {
    // SAFETY: caller contract.
    guard_value((), || unsafe { free_handle(client) })
}

/// The client's preset name, e.g. "netzme" (static string; never free it). "" for NULL.
/// Thread-safety: any thread.
///
/// Returns the static name, never NULL. Ownership: static; never free it.
///
/// # Safety
/// `client` must be NULL or live.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn payauth_client_profile(client: *const payauth_client) -> *const c_char {
    guard_value(c"".as_ptr(), || {
        // SAFETY: NULL or live.
        unsafe { client.as_ref() }.map_or(c"".as_ptr(), |c| c.inner.signer().preset().c_name.as_ptr())
    })
}

/// Returns every header the gateway needs for one request — the access token (fetched or
/// refreshed when needed), the signature, ids and timestamps. Arguments as for
/// `payauth_signer_sign`, without the token. After the gateway answers 401, call
/// `payauth_client_invalidate` with the token you sent, then call this again (the request is
/// re-signed with the new token).
///
/// Ownership: on success `*out` receives a headers object freed with `payauth_headers_free`.
/// Thread-safety: any number of threads may call this on one client.
///
/// Returns `PAYAUTH_OK`, the argument and signing codes of `payauth_signer_sign`, and the token
/// codes: `PAYAUTH_NETWORK`, `PAYAUTH_TIMEOUT`, `PAYAUTH_TLS`, `PAYAUTH_HTTP_STATUS`,
/// `PAYAUTH_TOKEN_RESPONSE_INVALID`, `PAYAUTH_CREDENTIALS_REJECTED`, `PAYAUTH_RATE_LIMITED`,
/// `PAYAUTH_REDIRECT_REFUSED`, `PAYAUTH_RESPONSE_TOO_LARGE`, `PAYAUTH_BACKOFF`,
/// `PAYAUTH_WAIT_TIMEOUT`, `PAYAUTH_PANIC`. A failed refresh while the cached token is still
/// valid is not an error: the valid token is used.
///
/// # Safety
/// Every `(ptr, len)` pair readable; `out` writable; `err` NULL or live.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn payauth_client_sign_request(
    client: *const payauth_client,
    method: *const c_char,
    method_len: usize,
    path: *const c_char,
    path_len: usize,
    body: *const c_char,
    body_len: usize,
    timestamp_ms: i64,
    extra_json: *const c_char,
    extra_len: usize,
    flags: u32,
    out: *mut *mut payauth_headers,
    err: *mut payauth_error,
) -> i32 {
    guard(err, || {
        let client = client_ref(client)?;
        // SAFETY: caller contract for every (ptr, len) pair.
        let (method, path, body, extra) = unsafe {
            (
                text(method, method_len, "method")?,
                text(path, path_len, "path")?,
                bytes(body, body_len, "body")?,
                bytes(extra_json, extra_len, "extra_json")?,
            )
        };
        let explain = super::check_flags(flags)?;
        non_null(out, "out")?;
        let signed = client.sign_request(method, path, body, timestamp_ms, Extra::parse(extra)?, explain)?;
        // SAFETY: checked non-null.
        unsafe { *out = payauth_headers::boxed(signed) };
        Ok(())
    })
}

/// Compare-and-invalidate after a 401: evicts the cached token only if it equals `token` (the
/// bare token, or the `Bearer …` value you sent), so a burst of 401s for one token causes one
/// refresh. `*evicted` (optional) receives 1 if it evicted, 0 if the cache already moved on.
///
/// Returns `PAYAUTH_OK`, `PAYAUTH_NULL_ARGUMENT`, `PAYAUTH_INVALID_UTF8`,
/// `PAYAUTH_INVALID_ARGUMENT` (empty token), `PAYAUTH_PANIC`. Thread-safety: any thread.
///
/// Ownership: `token` is only read during the call.
///
/// # Safety
/// `(token, token_len)` readable; `evicted` NULL or writable; `err` NULL or live.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn payauth_client_invalidate(
    client: *const payauth_client,
    token: *const c_char,
    token_len: usize,
    evicted: *mut i32,
    err: *mut payauth_error,
) -> i32 {
    guard(err, || {
        let client = client_ref(client)?;
        // SAFETY: caller contract.
        let token = unsafe { text(token, token_len, "token")? };
        if token.is_empty() {
            return Err(Error::new(PAYAUTH_INVALID_ARGUMENT, "token is empty"));
        }
        let did = client.invalidate(token)?;
        if !evicted.is_null() {
            // SAFETY: checked non-null.
            unsafe { *evicted = i32::from(did) };
        }
        Ok(())
    })
}

/// The client's counters and states as a JSON object — token requests sent, cache hits per
/// tier, the backoff in force (until when and why), the shared tiers' states; every field is in
/// `docs/caching.md` — for this process, copied NUL-terminated into `out` with the size query of
/// `payauth_hmac`. Thread-safety: any thread.
///
/// Returns `PAYAUTH_OK`, `PAYAUTH_NULL_ARGUMENT`, `PAYAUTH_BUFFER_TOO_SMALL`, `PAYAUTH_PANIC`.
///
/// Ownership: the text is copied into the caller's `out`; nothing to free.
///
/// # Safety
/// `out` NULL or `out_cap` writable bytes; `out_len` writable; `err` NULL or live.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn payauth_client_stats(
    client: *const payauth_client,
    out: *mut c_char,
    out_cap: usize,
    out_len: *mut usize,
    err: *mut payauth_error,
) -> i32 {
    guard(err, || {
        let json = client_ref(client)?.stats_json()?;
        // SAFETY: caller contract.
        unsafe { copy_out(json.as_bytes(), out, out_cap, out_len) }
    })
}
