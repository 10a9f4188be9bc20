//! Pure signing primitives: hashes, HMAC, RSA PKCS#1 v1.5, compact JWS, encodings, templates,
//! timestamp formatting and the JSON minifier. No I/O and no clock: time is always a parameter.

pub mod encode;
pub mod hmac;
pub mod jws;
pub mod minify;
pub mod rsa;
pub mod rsa_public;
pub mod template;
pub mod time;
pub mod verify;
