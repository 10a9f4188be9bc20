//! Checks on text that goes into HTTP headers.

use crate::error::{Error, Result};

/// Whether `bytes` hold a control character (which would break or inject an HTTP header).
pub fn has_control(bytes: &[u8]) -> bool {
    bytes.iter().any(|b| *b < 0x20 || *b == 0x7f)
}

/// Rejects text that would break or inject an HTTP header (control characters).
pub fn check_header_text(what: &str, s: &str) -> Result<String> {
    if has_control(s.as_bytes()) {
        return Err(Error::invalid_arg(format!("{what} contains a control character")));
    }
    Ok(s.to_owned())
}
