//! Stateless primitives for schemes a profile does not cover (e.g. another PayNet DOBW message
//! type): HMAC, SHA-256, RSA PKCS#1 v1.5 signatures and the JSON minifier. Results are copied
//! into a caller buffer with a size query (see `copy_out`).

use super::error::payauth_error;
use super::{bytes, copy_out, guard};
use crate::error::{Error, Result};
use crate::sign::encode::Encoding;
use crate::sign::hmac::{HashAlg, hmac, sha256_hex};
use crate::sign::minify::minify;
use crate::sign::rsa::RsaKey;
use crate::sign::verify::signatures_equal;
use crate::status::PAYAUTH_INVALID_ARGUMENT;
use std::ffi::c_char;

/// SHA-256.
pub const PAYAUTH_HASH_SHA256: u32 = 1;
/// SHA-512.
pub const PAYAUTH_HASH_SHA512: u32 = 2;
/// Lowercase hex.
pub const PAYAUTH_ENCODING_HEX: u32 = 1;
/// Uppercase hex.
pub const PAYAUTH_ENCODING_HEX_UPPER: u32 = 2;
/// Standard base64 with padding.
pub const PAYAUTH_ENCODING_BASE64: u32 = 3;
/// URL-safe base64 without padding.
pub const PAYAUTH_ENCODING_BASE64URL: u32 = 4;

fn hash_alg(code: u32) -> Result<HashAlg> {
    match code {
        PAYAUTH_HASH_SHA256 => Some(HashAlg::Sha256),
        PAYAUTH_HASH_SHA512 => Some(HashAlg::Sha512),
        _ => None,
    }
    .ok_or_else(|| {
        Error::new(
            PAYAUTH_INVALID_ARGUMENT,
            format!("unknown hash {code} (use PAYAUTH_HASH_*)"),
        )
    })
}

fn encoding(code: u32) -> Result<Encoding> {
    match code {
        PAYAUTH_ENCODING_HEX => Some(Encoding::Hex),
        PAYAUTH_ENCODING_HEX_UPPER => Some(Encoding::HexUpper),
        PAYAUTH_ENCODING_BASE64 => Some(Encoding::Base64),
        PAYAUTH_ENCODING_BASE64URL => Some(Encoding::Base64Url),
        _ => None,
    }
    .ok_or_else(|| {
        Error::new(
            PAYAUTH_INVALID_ARGUMENT,
            format!("unknown encoding {code} (use PAYAUTH_ENCODING_*)"),
        )
    })
}

/// HMAC (`hash` = `PAYAUTH_HASH_*`) of `msg` under `key`, encoded with `encoding`
/// (`PAYAUTH_ENCODING_*`), copied NUL-terminated into `out`.
///
/// Size query: `*out_len` always receives the encoded length (without NUL) when `out_len` is not
/// NULL; `out` is written only when `out_cap > *out_len`, else `PAYAUTH_BUFFER_TOO_SMALL`.
/// Thread-safety: any thread.
///
/// Returns `PAYAUTH_OK`, `PAYAUTH_NULL_ARGUMENT`, `PAYAUTH_INVALID_ARGUMENT`,
/// `PAYAUTH_BUFFER_TOO_SMALL`, `PAYAUTH_PANIC`.
///
/// Ownership: the inputs are only read; the result is copied into the caller's `out`.
///
/// # Safety
/// `(key, key_len)` and `(msg, msg_len)` readable; `out` NULL or `out_cap` writable bytes;
/// `out_len` writable; `err` NULL or live.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn payauth_hmac(
    hash: u32,
    encoding_: u32,
    key: *const c_char,
    key_len: usize,
    msg: *const c_char,
    msg_len: usize,
    out: *mut c_char,
    out_cap: usize,
    out_len: *mut usize,
    err: *mut payauth_error,
) -> i32 {
    guard(err, || {
        // SAFETY: caller contract.
        let (key, msg) = unsafe { (bytes(key, key_len, "key")?, bytes(msg, msg_len, "msg")?) };
        let text = encoding(encoding_)?.encode(&hmac(hash_alg(hash)?, key, msg));
        // SAFETY: caller contract.
        unsafe { copy_out(text.as_bytes(), out, out_cap, out_len) }
    })
}

/// Constant-time check that `signature` equals the HMAC of `msg` under `key` in `encoding`
/// (hex compares case-insensitively).
///
/// Returns `PAYAUTH_OK` (match), `PAYAUTH_SIGNATURE_MISMATCH`, `PAYAUTH_NULL_ARGUMENT`,
/// `PAYAUTH_INVALID_ARGUMENT`, `PAYAUTH_PANIC`. Thread-safety: any thread.
///
/// Ownership: the inputs are only read; nothing to free.
///
/// # Safety
/// Every `(ptr, len)` pair readable; `err` NULL or live.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn payauth_hmac_verify(
    hash: u32,
    encoding_: u32,
    key: *const c_char,
    key_len: usize,
    msg: *const c_char,
    msg_len: usize,
    signature: *const c_char,
    signature_len: usize,
    err: *mut payauth_error,
) -> i32 {
    guard(err, || {
        // SAFETY: caller contract.
        let (key, msg, sig) = unsafe {
            (
                bytes(key, key_len, "key")?,
                bytes(msg, msg_len, "msg")?,
                bytes(signature, signature_len, "signature")?,
            )
        };
        let enc = encoding(encoding_)?;
        let expected = enc.encode(&hmac(hash_alg(hash)?, key, msg));
        if signatures_equal(&expected, sig, enc.case_insensitive()) {
            Ok(())
        } else {
            Err(Error::new(
                crate::status::PAYAUTH_SIGNATURE_MISMATCH,
                "the signature does not match",
            ))
        }
    })
}

/// Lowercase hex SHA-256 of `data` (64 characters), copied NUL-terminated into `out` with the
/// same size query as `payauth_hmac`.
///
/// Returns `PAYAUTH_OK`, `PAYAUTH_NULL_ARGUMENT`, `PAYAUTH_BUFFER_TOO_SMALL`, `PAYAUTH_PANIC`.
/// Thread-safety: any thread.
///
/// Ownership: the input is only read; the result is copied into the caller's `out`.
///
/// # Safety
/// As for `payauth_hmac`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn payauth_sha256_hex(
    data: *const c_char,
    data_len: usize,
    out: *mut c_char,
    out_cap: usize,
    out_len: *mut usize,
    err: *mut payauth_error,
) -> i32 {
    guard(err, || {
        // SAFETY: caller contract.
        let data = unsafe { bytes(data, data_len, "data")? };
        // SAFETY: caller contract.
        unsafe { copy_out(sha256_hex(data).as_bytes(), out, out_cap, out_len) }
    })
}

/// RSASSA-PKCS1-v1_5 signature (`hash` = `PAYAUTH_HASH_*`) of `msg` with `private_key` (PEM
/// PKCS#1 / PKCS#8 or bare base64 DER, ≥ 2048 bits), encoded with `encoding`, copied into `out`
/// with the same size query as `payauth_hmac`. The key is parsed on every call: for repeated
/// signing build a signer instead.
///
/// Returns `PAYAUTH_OK`, `PAYAUTH_NULL_ARGUMENT`, `PAYAUTH_INVALID_ARGUMENT`,
/// `PAYAUTH_KEY_INVALID`, `PAYAUTH_KEY_TOO_SMALL`, `PAYAUTH_SIGN_FAILED`,
/// `PAYAUTH_BUFFER_TOO_SMALL`, `PAYAUTH_PANIC`. Thread-safety: any thread.
///
/// Ownership: the inputs are only read (the key is parsed and wiped within the call); the result is copied into the caller's `out`.
///
/// # Safety
/// As for `payauth_hmac`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn payauth_rsa_sign(
    hash: u32,
    encoding_: u32,
    private_key: *const c_char,
    private_key_len: usize,
    msg: *const c_char,
    msg_len: usize,
    out: *mut c_char,
    out_cap: usize,
    out_len: *mut usize,
    err: *mut payauth_error,
) -> i32 {
    guard(err, || {
        // SAFETY: caller contract.
        let (pk, msg) = unsafe {
            (
                bytes(private_key, private_key_len, "private_key")?,
                bytes(msg, msg_len, "msg")?,
            )
        };
        let (alg, enc) = (hash_alg(hash)?, encoding(encoding_)?);
        let key = RsaKey::parse(pk)?;
        let text = enc.encode(&key.sign(alg, msg)?);
        // SAFETY: caller contract.
        unsafe { copy_out(text.as_bytes(), out, out_cap, out_len) }
    })
}

/// Removes insignificant whitespace from JSON, keeping key order, numbers and string escapes
/// byte for byte; send exactly the returned bytes. Same size query as `payauth_hmac` (the
/// output is never longer than the input, so a buffer of `json_len + 1` always fits).
///
/// Returns `PAYAUTH_OK`, `PAYAUTH_NULL_ARGUMENT`, `PAYAUTH_JSON_INVALID`,
/// `PAYAUTH_BUFFER_TOO_SMALL`, `PAYAUTH_PANIC`. Thread-safety: any thread.
///
/// Ownership: the input is only read; the result is copied into the caller's `out`.
///
/// # Safety
/// As for `payauth_hmac`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn payauth_json_minify(
    json: *const c_char,
    json_len: usize,
    out: *mut c_char,
    out_cap: usize,
    out_len: *mut usize,
    err: *mut payauth_error,
) -> i32 {
    guard(err, || {
        // SAFETY: caller contract.
        let json = unsafe { bytes(json, json_len, "json")? };
        let min = minify(json)?;
        // SAFETY: caller contract.
        unsafe { copy_out(&min, out, out_cap, out_len) }
    })
}
