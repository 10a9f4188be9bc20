//! The library's error: a stable status code plus a message that never contains a secret.

use crate::status;
use std::fmt;

/// An error with a stable status code (see [`crate::status`]) and a human message.
///
/// Messages name the offending field or input; they never contain secret values.
#[derive(Clone, PartialEq, Eq)]
pub struct Error {
    /// One of the `PAYAUTH_*` status codes.
    pub code: i32,
    /// What went wrong, without secrets.
    pub message: String,
}

impl Error {
    /// An error with a code and message.
    pub fn new(code: i32, message: impl Into<String>) -> Self {
        Error {
            code,
            message: message.into(),
        }
    }
    pub(crate) fn config_missing(field: &str) -> Self {
        Error::new(
            status::PAYAUTH_CONFIG_MISSING_FIELD,
            format!("configuration field `{field}` is required"),
        )
    }
    pub(crate) fn config_invalid(field: &str, why: impl fmt::Display) -> Self {
        Error::new(
            status::PAYAUTH_CONFIG_INVALID_FIELD,
            format!("configuration field `{field}`: {why}"),
        )
    }
    pub(crate) fn invalid_arg(what: impl fmt::Display) -> Self {
        Error::new(status::PAYAUTH_INVALID_ARGUMENT, what.to_string())
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({}): {}", status::name(self.code), self.code, self.message)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", status::name(self.code), self.message)
    }
}

impl std::error::Error for Error {}

/// Result alias used across the crate.
pub type Result<T> = std::result::Result<T, Error>;
