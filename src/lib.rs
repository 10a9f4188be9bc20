//! payauth: gateway access tokens, caching and request signing for payment stacks, with one
//! implementation behind a C ABI for C, PHP, Python and Java.
//!
//! Layers (arrows point one way): [`ffi`] → [`profiles`] → [`sign`].

pub mod cache;
pub mod client;
pub mod clock;
pub mod config;
pub mod error;
pub mod ffi;
pub mod forks;
pub mod log;
pub mod profiles;
pub mod secret;
pub mod sign;
pub mod status;
pub mod text;
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
