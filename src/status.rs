//! Status codes shared by every layer and exported unchanged through the C ABI.
//!
//! Codes are grouped by hundreds and are **never renumbered or reused**: a code that stops being
//! produced stays reserved. `0` is success.

use std::ffi::CStr;

/// Success.
pub const PAYAUTH_OK: i32 = 0;

// 1xx: arguments passed across the C ABI.
/// A required pointer argument was NULL.
pub const PAYAUTH_NULL_ARGUMENT: i32 = 100;
/// A text argument was not valid UTF-8.
pub const PAYAUTH_INVALID_UTF8: i32 = 101;
/// The caller's buffer is too small; the required size was written to the length out-parameter.
pub const PAYAUTH_BUFFER_TOO_SMALL: i32 = 102;
/// An argument had a value outside its domain (negative timestamp, unknown algorithm, …).
pub const PAYAUTH_INVALID_ARGUMENT: i32 = 103;
/// An index was past the end of a result object.
pub const PAYAUTH_OUT_OF_RANGE: i32 = 104;
/// A looked-up name (header, artifact, constant) does not exist.
pub const PAYAUTH_NOT_FOUND: i32 = 105;

// 2xx: configuration.
/// The configuration is not valid JSON, or not a JSON object.
pub const PAYAUTH_CONFIG_JSON: i32 = 200;
/// The `profile` names no known preset.
pub const PAYAUTH_CONFIG_UNKNOWN_PROFILE: i32 = 201;
/// A field the profile needs is missing.
pub const PAYAUTH_CONFIG_MISSING_FIELD: i32 = 202;
/// A field is unknown, of the wrong type, or has an invalid value.
pub const PAYAUTH_CONFIG_INVALID_FIELD: i32 = 203;
/// A `*_env` / `*_file` indirection names an unset variable or an unreadable file.
pub const PAYAUTH_CONFIG_SECRET_SOURCE: i32 = 204;

// 3xx: keys and signatures.
/// A private key could not be parsed (not PEM PKCS#1/PKCS#8 nor base64 DER, or not RSA).
pub const PAYAUTH_KEY_INVALID: i32 = 300;
/// The RSA key is shorter than 2048 bits.
pub const PAYAUTH_KEY_TOO_SMALL: i32 = 301;
/// The signing primitive failed.
pub const PAYAUTH_SIGN_FAILED: i32 = 302;
/// Verification: the signature does not match.
pub const PAYAUTH_SIGNATURE_MISMATCH: i32 = 303;
/// A body or input that must be JSON is not valid JSON.
pub const PAYAUTH_JSON_INVALID: i32 = 304;
/// The scheme needs an access token and none was given.
pub const PAYAUTH_MISSING_TOKEN: i32 = 305;
/// A per-request field the scheme needs is missing from `extra` (e.g. `message_id`).
pub const PAYAUTH_MISSING_REQUEST_FIELD: i32 = 306;
/// The operation does not exist for this profile (e.g. verifying an RSA scheme).
pub const PAYAUTH_UNSUPPORTED: i32 = 307;

// 4xx: token acquisition over HTTPS.
/// The token endpoint could not be reached (DNS, connect, reset, I/O).
pub const PAYAUTH_NETWORK: i32 = 400;
/// A connect, read or overall timeout expired.
pub const PAYAUTH_TIMEOUT: i32 = 401;
/// TLS failed (untrusted certificate, handshake, bad CA bundle).
pub const PAYAUTH_TLS: i32 = 402;
/// The token endpoint answered with an unexpected HTTP status (e.g. 5xx).
pub const PAYAUTH_HTTP_STATUS: i32 = 403;
/// The token response is malformed, truncated, of the wrong type or lacks fields.
pub const PAYAUTH_TOKEN_RESPONSE_INVALID: i32 = 404;
/// The gateway rejected the credentials (definitive: not retried until the backoff ends).
pub const PAYAUTH_CREDENTIALS_REJECTED: i32 = 405;
/// The gateway answered 429; the message says when to retry.
pub const PAYAUTH_RATE_LIMITED: i32 = 406;
/// The token endpoint redirected; redirects are refused on token endpoints.
pub const PAYAUTH_REDIRECT_REFUSED: i32 = 407;
/// The token response exceeded the size cap.
pub const PAYAUTH_RESPONSE_TOO_LARGE: i32 = 408;
/// A recent failure (Retry-After or rejected credentials) is still in force; no request was made.
pub const PAYAUTH_BACKOFF: i32 = 409;
/// Waiting for another caller's token fetch took longer than the configured bound.
pub const PAYAUTH_WAIT_TIMEOUT: i32 = 410;

// 9xx: internal.
/// A panic was caught at the C boundary; the handle involved should be discarded.
pub const PAYAUTH_PANIC: i32 = 900;
/// An internal invariant failed.
pub const PAYAUTH_INTERNAL: i32 = 901;

/// Every status code with its name and static description, in numeric order (C strings, so
/// the C layer hands out static pointers with no allocation).
pub const ALL: &[(i32, &CStr, &CStr)] = &[
    (PAYAUTH_OK, c"PAYAUTH_OK", c"ok"),
    (
        PAYAUTH_NULL_ARGUMENT,
        c"PAYAUTH_NULL_ARGUMENT",
        c"a required pointer argument was NULL",
    ),
    (
        PAYAUTH_INVALID_UTF8,
        c"PAYAUTH_INVALID_UTF8",
        c"a text argument is not valid UTF-8",
    ),
    (
        PAYAUTH_BUFFER_TOO_SMALL,
        c"PAYAUTH_BUFFER_TOO_SMALL",
        c"the output buffer is too small",
    ),
    (
        PAYAUTH_INVALID_ARGUMENT,
        c"PAYAUTH_INVALID_ARGUMENT",
        c"an argument has an invalid value",
    ),
    (PAYAUTH_OUT_OF_RANGE, c"PAYAUTH_OUT_OF_RANGE", c"index out of range"),
    (PAYAUTH_NOT_FOUND, c"PAYAUTH_NOT_FOUND", c"not found"),
    (
        PAYAUTH_CONFIG_JSON,
        c"PAYAUTH_CONFIG_JSON",
        c"the configuration is not a valid JSON object",
    ),
    (
        PAYAUTH_CONFIG_UNKNOWN_PROFILE,
        c"PAYAUTH_CONFIG_UNKNOWN_PROFILE",
        c"unknown profile",
    ),
    (
        PAYAUTH_CONFIG_MISSING_FIELD,
        c"PAYAUTH_CONFIG_MISSING_FIELD",
        c"a required configuration field is missing",
    ),
    (
        PAYAUTH_CONFIG_INVALID_FIELD,
        c"PAYAUTH_CONFIG_INVALID_FIELD",
        c"a configuration field is unknown or invalid",
    ),
    (
        PAYAUTH_CONFIG_SECRET_SOURCE,
        c"PAYAUTH_CONFIG_SECRET_SOURCE",
        c"a secret's environment variable or file could not be read",
    ),
    (
        PAYAUTH_KEY_INVALID,
        c"PAYAUTH_KEY_INVALID",
        c"the private key could not be parsed",
    ),
    (
        PAYAUTH_KEY_TOO_SMALL,
        c"PAYAUTH_KEY_TOO_SMALL",
        c"the RSA key is shorter than 2048 bits",
    ),
    (PAYAUTH_SIGN_FAILED, c"PAYAUTH_SIGN_FAILED", c"signing failed"),
    (
        PAYAUTH_SIGNATURE_MISMATCH,
        c"PAYAUTH_SIGNATURE_MISMATCH",
        c"the signature does not match",
    ),
    (
        PAYAUTH_JSON_INVALID,
        c"PAYAUTH_JSON_INVALID",
        c"the input is not valid JSON",
    ),
    (
        PAYAUTH_MISSING_TOKEN,
        c"PAYAUTH_MISSING_TOKEN",
        c"this scheme needs an access token",
    ),
    (
        PAYAUTH_MISSING_REQUEST_FIELD,
        c"PAYAUTH_MISSING_REQUEST_FIELD",
        c"a per-request field is missing",
    ),
    (
        PAYAUTH_UNSUPPORTED,
        c"PAYAUTH_UNSUPPORTED",
        c"operation not supported by this profile",
    ),
    (
        PAYAUTH_NETWORK,
        c"PAYAUTH_NETWORK",
        c"the token endpoint could not be reached",
    ),
    (PAYAUTH_TIMEOUT, c"PAYAUTH_TIMEOUT", c"a timeout expired"),
    (PAYAUTH_TLS, c"PAYAUTH_TLS", c"TLS failed"),
    (
        PAYAUTH_HTTP_STATUS,
        c"PAYAUTH_HTTP_STATUS",
        c"unexpected HTTP status from the token endpoint",
    ),
    (
        PAYAUTH_TOKEN_RESPONSE_INVALID,
        c"PAYAUTH_TOKEN_RESPONSE_INVALID",
        c"the token response is invalid",
    ),
    (
        PAYAUTH_CREDENTIALS_REJECTED,
        c"PAYAUTH_CREDENTIALS_REJECTED",
        c"the gateway rejected the credentials",
    ),
    (
        PAYAUTH_RATE_LIMITED,
        c"PAYAUTH_RATE_LIMITED",
        c"the gateway is rate limiting token requests",
    ),
    (
        PAYAUTH_REDIRECT_REFUSED,
        c"PAYAUTH_REDIRECT_REFUSED",
        c"the token endpoint redirected; refused",
    ),
    (
        PAYAUTH_RESPONSE_TOO_LARGE,
        c"PAYAUTH_RESPONSE_TOO_LARGE",
        c"the token response is too large",
    ),
    (
        PAYAUTH_BACKOFF,
        c"PAYAUTH_BACKOFF",
        c"backing off after a recent failure; no request made",
    ),
    (
        PAYAUTH_WAIT_TIMEOUT,
        c"PAYAUTH_WAIT_TIMEOUT",
        c"timed out waiting for another caller's token fetch",
    ),
    (
        PAYAUTH_PANIC,
        c"PAYAUTH_PANIC",
        c"internal panic caught at the C boundary",
    ),
    (PAYAUTH_INTERNAL, c"PAYAUTH_INTERNAL", c"internal error"),
];

/// The identifier of a status code (`"PAYAUTH_OK"`), or `"PAYAUTH_UNKNOWN"`.
pub fn name(code: i32) -> &'static str {
    ALL.iter()
        .find(|e| e.0 == code)
        .map_or("PAYAUTH_UNKNOWN", |e| e.1.to_str().unwrap_or("PAYAUTH_UNKNOWN"))
}

/// The static description of a status code, or `"unknown status code"`.
pub fn describe(code: i32) -> &'static str {
    ALL.iter()
        .find(|e| e.0 == code)
        .map_or("unknown status code", |e| e.2.to_str().unwrap_or("unknown status code"))
}

/// The code of a status name, if it exists.
pub fn by_name(name: &str) -> Option<i32> {
    ALL.iter().find(|e| e.1.to_bytes() == name.as_bytes()).map(|e| e.0)
}
