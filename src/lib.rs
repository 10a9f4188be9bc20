//! payauth: gateway access tokens, caching and request signing for payment stacks, with one
//! implementation behind a C ABI for C, PHP, Python and Java.
//!
//! Layers (arrows point one way): `ffi` → `client` → `cache` → `token` → `profiles` → `sign`,
//! with `config`, `clock`, `text`, `secret`, `log` and `status` beside them. The crate's API is
//! the C ABI ([`ffi`], [`status`]) and, for Rust callers, [`Client`], [`Signer`] and their
//! types; everything else is crate-private, so the compiler reports code nothing uses.

pub(crate) mod cache;
pub mod client;
pub(crate) mod clock;
pub(crate) mod config;
pub mod error;
pub mod ffi;
pub(crate) mod forks;
pub(crate) mod log;
pub(crate) mod profiles;
pub(crate) mod secret;
pub(crate) mod sign;
pub mod status;
pub(crate) mod text;
pub(crate) mod token;

pub use client::Client;
pub use error::{Error, Result};
pub use profiles::request::PAYAUTH_MAX_TIME_MS;
pub use profiles::{Extra, Request, Signed, Signer};
pub use sign::minify::minify as json_minify;

/// Every preset's name, in the registry's order.
pub fn presets() -> impl Iterator<Item = &'static str> {
    profiles::registry::names()
}

/// Internals the benchmarks and integration tests drive directly (the shared tiers without a
/// gateway, the clocks, secret redaction). Not part of the API: no stability promise.
#[doc(hidden)]
pub mod internals {
    pub use crate::cache::acquire::Mode;
    pub use crate::cache::config::CacheConfig;
    pub use crate::cache::shared::{Shared, SharedOptions};
    pub use crate::clock::{mono_ms, wall_ms};
    pub use crate::config::Config;
    pub use crate::secret::Secret;
    pub use crate::sign::encode::base64_std;
    pub use crate::token::Token;
}

/// The version as `major * 10000 + minor * 100 + patch`.
pub fn version_number() -> u32 {
    let part = |s: &str| s.parse::<u32>().unwrap_or(0);
    part(env!("CARGO_PKG_VERSION_MAJOR")) * 10_000
        + part(env!("CARGO_PKG_VERSION_MINOR")) * 100
        + part(env!("CARGO_PKG_VERSION_PATCH"))
}
