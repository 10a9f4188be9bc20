//! The binding path: one call per request with typed inputs in one buffer and the whole result
//! (headers, the body to send, explain) in one buffer, laid out for cheap decoding from PHP FFI,
//! cffi and JNA. The format is specified in the doc of `payauth_signer_sign_packed` (it reaches
//! the C header) and in `docs/abi-policy.md`.

use super::client::{client_ref, payauth_client};
use super::error::payauth_error;
use super::signer::{payauth_signer, signer_ref};
use super::{PAYAUTH_FLAG_EXPLAIN, PAYAUTH_FLAG_TOKEN_REQUEST, bytes, guard, guard_value, non_null};
use crate::error::{Error, Result};
use crate::profiles::{Extra, Request, Signed};
use crate::status::{PAYAUTH_BUFFER_TOO_SMALL, PAYAUTH_INVALID_ARGUMENT, PAYAUTH_INVALID_UTF8};
use std::ffi::c_char;

/// Number of request fields the format defines (method, path, body, token, timestamp,
/// external_id, message_id, string_to_sign).
const FIELDS: usize = 8;
const NAMES: [&str; FIELDS] = [
    "method",
    "path",
    "body",
    "token",
    "timestamp",
    "external_id",
    "message_id",
    "string_to_sign",
];
/// A field length meaning "absent".
const ABSENT: u32 = u32::MAX;
/// Marks the start of the sections after the headers (headers never hold control bytes).
const SECTIONS: u8 = 0x01;

/// The fields of a packed request, `None` when absent.
struct Fields<'a>([Option<&'a [u8]>; FIELDS]);

fn bad(msg: String) -> Error {
    Error::new(PAYAUTH_INVALID_ARGUMENT, format!("packed request: {msg}"))
}

fn le32(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}

impl<'a> Fields<'a> {
    /// Reads `u32 n`, `n` × `u32 length` and the fields' bytes (see the format).
    fn parse(req: &'a [u8]) -> Result<Self> {
        if req.len() < 4 {
            return Err(bad(format!("{} bytes, shorter than its field count", req.len())));
        }
        let n = le32(req, 0) as usize;
        if !(1..=FIELDS).contains(&n) || req.len() < 4 + 4 * n {
            return Err(bad(format!("field count {n} (1 to {FIELDS}, each with a length)")));
        }
        let mut at = 4 + 4 * n;
        let mut out = [None; FIELDS];
        for (i, slot) in out.iter_mut().enumerate().take(n) {
            let len = le32(req, 4 + 4 * i);
            if len == ABSENT {
                continue;
            }
            let end = at.checked_add(len as usize).filter(|e| *e <= req.len());
            let end = end.ok_or_else(|| bad(format!("the {} runs past the end", NAMES[i])))?;
            *slot = Some(&req[at..end]);
            at = end;
        }
        if at != req.len() {
            return Err(bad(format!("{} bytes after the last field", req.len() - at)));
        }
        Ok(Fields(out))
    }

    fn bytes(&self, i: usize) -> &'a [u8] {
        self.0[i].unwrap_or_default()
    }

    fn text(&self, i: usize) -> Result<Option<&'a str>> {
        self.0[i]
            .map(|b| {
                std::str::from_utf8(b).map_err(|e| {
                    Error::new(
                        PAYAUTH_INVALID_UTF8,
                        format!("`{}` is not valid UTF-8 (at byte {})", NAMES[i], e.valid_up_to()),
                    )
                })
            })
            .transpose()
    }

    fn extra(&self) -> Result<Extra> {
        Extra::typed(self.text(4)?, self.text(5)?, self.text(6)?, self.text(7)?)
    }

    /// Refuses fields a token-request call cannot use.
    fn only_timestamp(&self) -> Result<()> {
        match (0..4).find(|i| self.0[*i].is_some_and(|b| !b.is_empty())) {
            Some(i) => Err(bad(format!(
                "a token request takes only a timestamp; the {} was given",
                NAMES[i]
            ))),
            None => Ok(()),
        }
    }
}

/// The summed lengths of pairs.
fn pair_bytes<'s>(pairs: impl Iterator<Item = (&'s [u8], &'s [u8])>) -> usize {
    pairs.map(|(n, v)| n.len() + v.len()).sum()
}

/// The encoded length of `s` (see the format).
fn encoded_len(s: &Signed) -> usize {
    let headers = pair_bytes((0..s.header_count()).filter_map(|i| s.header_at(i)));
    let mut len = headers + (2 * s.header_count()).saturating_sub(1);
    if s.body().is_some() || s.explain_count() > 0 {
        len += 1;
    }
    if let Some(b) = s.body() {
        len += 5 + b.len();
    }
    if s.explain_count() > 0 {
        len += 5 + 8 * s.explain_count() + pair_bytes((0..s.explain_count()).filter_map(|i| s.explain_at(i)));
    }
    len
}

/// Writes `s` into `dst` (exactly `encoded_len(s)` bytes).
fn encode(s: &Signed, dst: &mut [u8]) {
    let mut at = 0;
    let mut put = |b: &[u8]| {
        dst[at..at + b.len()].copy_from_slice(b);
        at += b.len();
    };
    for i in 0..s.header_count() {
        let Some((n, v)) = s.header_at(i) else { continue };
        if i > 0 {
            put(&[0]);
        }
        put(n);
        put(&[0]);
        put(v);
    }
    if s.body().is_some() || s.explain_count() > 0 {
        put(&[SECTIONS]);
    }
    let len32 = |n: usize| u32::try_from(n).unwrap_or(u32::MAX).to_le_bytes();
    if let Some(b) = s.body() {
        put(b"B");
        put(&len32(b.len()));
        put(b);
    }
    if s.explain_count() > 0 {
        put(b"E");
        put(&len32(s.explain_count()));
        for (n, v) in (0..s.explain_count()).filter_map(|i| s.explain_at(i)) {
            put(&len32(n.len()));
            put(n);
            put(&len32(v.len()));
            put(v);
        }
    }
}

/// Delivers the result: into `out` when it fits, else into a library-owned spill buffer.
///
/// # Safety
/// `out` NULL or `out_cap` writable bytes; `out_len` writable; `spill` NULL or writable.
unsafe fn deliver(
    s: &Signed,
    out: *mut c_char,
    out_cap: usize,
    out_len: *mut usize,
    spill: *mut *mut c_char,
) -> Result<()> {
    let len = encoded_len(s);
    // SAFETY: checked non-null by the caller (`sign_packed`).
    unsafe { *out_len = len };
    if !out.is_null() && len <= out_cap {
        // SAFETY: `out` has `out_cap >= len` writable bytes.
        encode(s, unsafe { std::slice::from_raw_parts_mut(out.cast::<u8>(), len) });
        return Ok(());
    }
    if spill.is_null() {
        return Err(Error::new(
            PAYAUTH_BUFFER_TOO_SMALL,
            format!("the result needs {len} bytes; the buffer has {out_cap} and no spill pointer was given"),
        ));
    }
    let mut owned = vec![0u8; len].into_boxed_slice();
    encode(s, &mut owned);
    // SAFETY: `spill` is writable (caller contract); freed by `payauth_spill_free(ptr, len)`.
    unsafe { *spill = Box::into_raw(owned).cast::<c_char>() };
    Ok(())
}

/// Checks the arguments common to both calls, signs with `sign` and delivers the result.
///
/// # Safety
/// As for the exported functions.
#[allow(clippy::too_many_arguments)]
unsafe fn sign_packed(
    request: *const c_char,
    request_len: usize,
    flags: u32,
    out: *mut c_char,
    out_cap: usize,
    out_len: *mut usize,
    spill: *mut *mut c_char,
    sign: impl FnOnce(&Fields<'_>, bool, bool) -> Result<Signed>,
) -> Result<()> {
    if flags & !(PAYAUTH_FLAG_EXPLAIN | PAYAUTH_FLAG_TOKEN_REQUEST) != 0 {
        return Err(Error::new(
            PAYAUTH_INVALID_ARGUMENT,
            format!("unknown flags 0x{flags:x}"),
        ));
    }
    non_null(out_len, "out_len")?;
    // SAFETY: caller contract.
    let fields = Fields::parse(unsafe { bytes(request.cast(), request_len, "request")? })?;
    let signed = sign(
        &fields,
        flags & PAYAUTH_FLAG_EXPLAIN != 0,
        flags & PAYAUTH_FLAG_TOKEN_REQUEST != 0,
    )?;
    // SAFETY: caller contract; `out_len` checked.
    unsafe { deliver(&signed, out, out_cap, out_len, spill) }
}

/// Signs one request in one call — the binding path. Same rules and statuses as
/// `payauth_signer_sign`, with typed inputs instead of `extra_json` and the whole result in one
/// buffer.
///
/// Request (`request`, `request_len` bytes; all integers little-endian):
/// `u32 n` (1 to 8), then `n` × `u32 length` (`0xFFFFFFFF` = absent), then the fields' bytes
/// back to back, in this order: 0 method, 1 path, 2 body, 3 token, 4 timestamp (the exact
/// timestamp text), 5 external_id, 6 message_id, 7 string_to_sign. Fields after the n-th are
/// absent; the request must end with the last field. Method, path, token and the texts 4–7 must
/// be UTF-8; the body is any bytes.
///
/// `flags`: `PAYAUTH_FLAG_EXPLAIN` adds the intermediate artifacts; `PAYAUTH_FLAG_TOKEN_REQUEST`
/// returns the headers of the profile's token request instead (as `payauth_signer_token_headers`;
/// fields 0–3 absent or empty, only the timestamp is read). `timestamp_ms`: epoch milliseconds,
/// 0 = now.
///
/// Result (`*out_len` bytes): the headers in sending order as `name NUL value`, pairs separated
/// by one NUL, no terminator (names and values never contain control bytes). When the result has
/// a body to send (a minified JSON body) or explain artifacts, one byte `0x01` follows, then
/// sections, each a tag byte: `B` `u32 length` the body to send; `E` `u32 count` then `count` ×
/// (`u32 length` name, `u32 length` value).
///
/// Ownership: when `*out_len <= out_cap` the result is in `out`. When it is larger (or `out` is
/// NULL) and `spill` is not NULL, `*spill` receives a library-owned buffer of `*out_len` bytes
/// holding the result, which the caller frees with `payauth_spill_free(*spill, *out_len)`; the
/// request is never signed twice. `*spill` is written only then. With `spill` NULL, a result
/// that does not fit is `PAYAUTH_BUFFER_TOO_SMALL` (`*out_len` holds the size needed). 1 KiB
/// fits every preset's headers; the body to send is as long as the minified body.
///
/// Thread-safety: any number of threads on one signer.
///
/// Returns `PAYAUTH_OK`, `PAYAUTH_NULL_ARGUMENT`, `PAYAUTH_INVALID_UTF8`,
/// `PAYAUTH_INVALID_ARGUMENT` (the packing, flags, method, path, token, timestamp, external_id,
/// message_id), `PAYAUTH_BUFFER_TOO_SMALL` (only with `spill` NULL), `PAYAUTH_MISSING_TOKEN`,
/// `PAYAUTH_MISSING_REQUEST_FIELD`, `PAYAUTH_JSON_INVALID`, `PAYAUTH_CONFIG_MISSING_FIELD`,
/// `PAYAUTH_UNSUPPORTED` (a token request for a profile without one), `PAYAUTH_SIGN_FAILED`,
/// `PAYAUTH_PANIC`.
///
/// # Safety
/// `request` must point to `request_len` readable bytes; `out` NULL or `out_cap` writable bytes;
/// `out_len` writable; `spill` NULL or writable; `err` NULL or live.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn payauth_signer_sign_packed(
    signer: *const payauth_signer,
    request: *const c_char,
    request_len: usize,
    timestamp_ms: i64,
    flags: u32,
    out: *mut c_char,
    out_cap: usize,
    out_len: *mut usize,
    spill: *mut *mut c_char,
    err: *mut payauth_error,
) -> i32 {
    guard(err, || {
        let signer = signer_ref(signer)?;
        // SAFETY: caller contract.
        unsafe {
            sign_packed(
                request,
                request_len,
                flags,
                out,
                out_cap,
                out_len,
                spill,
                |f, explain, token_request| {
                    if token_request {
                        f.only_timestamp()?;
                        return signer.token_headers(&Request::for_token(timestamp_ms, f.extra()?)?, explain);
                    }
                    let (method, path, token) = (f.text(0)?, f.text(1)?, f.text(3)?);
                    let req = Request::new(
                        method.unwrap_or_default(),
                        path.unwrap_or_default(),
                        f.bytes(2),
                        token.unwrap_or_default(),
                        timestamp_ms,
                        f.extra()?,
                    )?;
                    signer.sign(&req, explain)
                },
            )
        }
    })
}

/// The client's binding path: like `payauth_client_sign_request` (the token fetched, cached and
/// added), with the request and result formats of `payauth_signer_sign_packed`. The token field
/// must be absent or empty (the client adds its own); `PAYAUTH_FLAG_TOKEN_REQUEST` is refused.
///
/// Ownership and spill as for `payauth_signer_sign_packed`. Thread-safety: any number of threads
/// on one client.
///
/// Returns the statuses of `payauth_signer_sign_packed` and the token statuses of
/// `payauth_client_sign_request` (`PAYAUTH_NETWORK` … `PAYAUTH_WAIT_TIMEOUT`).
///
/// # Safety
/// As for `payauth_signer_sign_packed`, with a live `client`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn payauth_client_sign_packed(
    client: *const payauth_client,
    request: *const c_char,
    request_len: usize,
    timestamp_ms: i64,
    flags: u32,
    out: *mut c_char,
    out_cap: usize,
    out_len: *mut usize,
    spill: *mut *mut c_char,
    err: *mut payauth_error,
) -> i32 {
    guard(err, || {
        let client = client_ref(client)?;
        // SAFETY: caller contract.
        unsafe {
            sign_packed(
                request,
                request_len,
                flags,
                out,
                out_cap,
                out_len,
                spill,
                |f, explain, token_request| {
                    if token_request {
                        return Err(bad(
                            "a client signs requests; ask a signer for token request headers".into()
                        ));
                    }
                    if f.0[3].is_some_and(|t| !t.is_empty()) {
                        return Err(bad("leave the token absent, the client adds its own".into()));
                    }
                    let (method, path) = (f.text(0)?, f.text(1)?);
                    client.sign_request(
                        method.unwrap_or_default(),
                        path.unwrap_or_default(),
                        f.bytes(2),
                        timestamp_ms,
                        f.extra()?,
                        explain,
                    )
                },
            )
        }
    })
}

/// Frees a result the library placed in `*spill` (see `payauth_signer_sign_packed`); `len` is
/// the `*out_len` of that call. `payauth_spill_free(NULL, 0)` is a no-op. The bytes are wiped
/// first (they hold the access token). Thread-safety: any thread, once per spill.
///
/// Ownership: takes back the buffer the library placed in `*spill`. Returns nothing.
///
/// # Safety
/// `spill` must be NULL or a spill buffer not yet freed, and `len` its length.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn payauth_spill_free(spill: *mut c_char, len: usize) {
    guard_value((), || {
        if !spill.is_null() {
            // SAFETY: made by `deliver` as a boxed slice of `len` bytes (caller contract).
            let mut owned = unsafe { Box::from_raw(std::ptr::slice_from_raw_parts_mut(spill.cast::<u8>(), len)) };
            zeroize::Zeroize::zeroize(&mut owned[..]);
        }
    })
}
