//! Secret bytes: zeroized on drop, never printed.

use std::fmt;
use zeroize::Zeroizing;

/// A secret value (client secret, API key, private key text). Its memory is wiped on drop and
/// its `Debug` output is `[redacted]`.
#[derive(Clone)]
pub struct Secret(Zeroizing<Vec<u8>>);

impl Secret {
    /// Wraps bytes as a secret.
    pub fn new(bytes: Vec<u8>) -> Self {
        Secret(Zeroizing::new(bytes))
    }
    /// The secret bytes. Callers must not log or copy them into messages.
    pub fn expose(&self) -> &[u8] {
        &self.0
    }
    /// The secret as text; secrets built from JSON strings are always valid UTF-8.
    pub fn expose_str(&self) -> &str {
        std::str::from_utf8(&self.0).unwrap_or("")
    }
    /// Length in bytes (safe to show in an explanation).
    pub fn len(&self) -> usize {
        self.0.len()
    }
    /// Whether the secret is empty.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    /// The masked form shown in explanations: `[field, N bytes]`.
    pub fn masked(&self, field: &str) -> String {
        format!("[{field}, {} bytes]", self.0.len())
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn debug_is_redacted() {
        let s = super::Secret::new(b"hunter2".to_vec());
        assert_eq!(format!("{s:?}"), "[redacted]");
        assert_eq!(s.masked("client_secret"), "[client_secret, 7 bytes]");
    }
}
