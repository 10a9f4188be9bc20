//! payauth: gateway access tokens, caching and request signing for payment stacks, with one
//! implementation behind a C ABI for C, PHP, Python and Java.
//!
//! Layers (arrows point one way): [`ffi`] → [`profiles`] → [`sign`].

pub mod cache;
pub mod client;
pub mod clock;
pub mod error;
pub mod ffi;
pub mod forks;
pub mod log;
pub mod profiles;
pub mod secret;
pub mod sign;
pub mod status;
pub mod token;

pub use error::{Error, Result};
pub use profiles::{Extra, Request, Signed, Signer};

/// The version as `major * 10000 + minor * 100 + patch`.
pub fn version_number() -> u32 {
    let part = |s: &str| s.parse::<u32>().unwrap_or(0);
    part(env!("CARGO_PKG_VERSION_MAJOR")) * 10_000
        + part(env!("CARGO_PKG_VERSION_MINOR")) * 100
        + part(env!("CARGO_PKG_VERSION_PATCH"))
}

/// Named constants a binding may look up (status codes are looked up through [`status`]).
pub fn constants() -> Vec<(&'static str, i64)> {
    use ffi::primitives::*;
    vec![
        ("PAYAUTH_FLAG_EXPLAIN", i64::from(ffi::signer::PAYAUTH_FLAG_EXPLAIN)),
        ("PAYAUTH_HASH_SHA256", i64::from(PAYAUTH_HASH_SHA256)),
        ("PAYAUTH_HASH_SHA512", i64::from(PAYAUTH_HASH_SHA512)),
        ("PAYAUTH_ENCODING_HEX", i64::from(PAYAUTH_ENCODING_HEX)),
        ("PAYAUTH_ENCODING_HEX_UPPER", i64::from(PAYAUTH_ENCODING_HEX_UPPER)),
        ("PAYAUTH_ENCODING_BASE64", i64::from(PAYAUTH_ENCODING_BASE64)),
        ("PAYAUTH_ENCODING_BASE64URL", i64::from(PAYAUTH_ENCODING_BASE64URL)),
        ("PAYAUTH_MAX_TIME_MS", profiles::request::PAYAUTH_MAX_TIME_MS),
        ("PAYAUTH_VERSION", i64::from(version_number())),
        ("PAYAUTH_VERSION_MAJOR", i64::from(version_number() / 10_000)),
        ("PAYAUTH_VERSION_MINOR", i64::from(version_number() / 100 % 100)),
        ("PAYAUTH_VERSION_PATCH", i64::from(version_number() % 100)),
    ]
}
