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

/// Removes secrets from text a gateway (or a WAF in front of it) sent back: error bodies that
/// echo the request would otherwise carry the client secret into messages, logs and stats.
/// Each secret is looked for as sent in any of our requests: raw, form- and percent-encoded,
/// JSON-escaped, base64 (standard and URL-safe, with and without padding), and inside a Basic
/// credential (`client_id:secret`, base64).
#[derive(Clone, Default)]
pub struct Redactor {
    needles: Vec<Zeroizing<String>>,
}

impl fmt::Debug for Redactor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Redactor({} forms)", self.needles.len())
    }
}

/// What replaces a secret in text.
pub const REDACTED: &str = "[redacted]";

impl Redactor {
    /// Adds every form of `secret` (ignored when empty).
    pub fn add(&mut self, secret: &[u8]) {
        use base64::Engine;
        use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};
        if secret.is_empty() {
            return;
        }
        let text = String::from_utf8_lossy(secret).into_owned();
        let mut forms = vec![
            text.clone(),
            form_urlencoded::byte_serialize(secret).collect::<String>(),
            percent(secret),
            serde_json::to_string(&text)
                .unwrap_or_default()
                .trim_matches('"')
                .to_string(),
        ];
        forms.push(forms[3].replace('/', "\\/"));
        for engine in [&STANDARD, &STANDARD_NO_PAD, &URL_SAFE, &URL_SAFE_NO_PAD] {
            forms.push(engine.encode(secret));
        }
        for f in forms {
            if !f.is_empty() && !self.needles.iter().any(|n| **n == f) {
                self.needles.push(Zeroizing::new(f));
            }
        }
        // Longest first, so a form that contains another is replaced whole.
        self.needles.sort_by_key(|n| std::cmp::Reverse(n.len()));
    }

    /// Adds a Basic credential `user:secret` in base64 (as sent in `Authorization: Basic`).
    pub fn add_basic(&mut self, user: &[u8], secret: &[u8]) {
        let mut pair = Zeroizing::new(user.to_vec());
        pair.push(b':');
        pair.extend_from_slice(secret);
        // Its base64 form is the Basic header value.
        self.add(&pair);
    }

    /// `text` with every known secret form replaced by [`REDACTED`].
    pub fn clean(&self, text: &str) -> String {
        String::from_utf8_lossy(&self.clean_bytes(text.as_bytes())).into_owned()
    }

    /// `bytes` (a response body, not necessarily UTF-8) with every known secret form replaced.
    pub fn clean_bytes(&self, bytes: &[u8]) -> Vec<u8> {
        let mut out = bytes.to_vec();
        for n in &self.needles {
            let n = n.as_bytes();
            let mut i = 0;
            while i + n.len() <= out.len() {
                if out[i..].starts_with(n) {
                    out.splice(i..i + n.len(), REDACTED.bytes());
                    i += REDACTED.len();
                } else {
                    i += 1;
                }
            }
        }
        out
    }
}

/// RFC 3986 percent-encoding (unreserved characters kept).
fn percent(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 3);
    for &b in bytes {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod redactor_tests {
    use super::*;

    #[test]
    fn every_form_of_a_secret_is_removed() {
        let mut r = Redactor::default();
        r.add(b"s3cr/t+ &x=");
        r.add_basic(b"client", b"p4ss");
        let echoed = "Request was: grant_type=client_credentials&client_id=c&client_secret=s3cr%2Ft%2B+%26x%3D \
                      json {\"client_secret\":\"s3cr\\/t+ &x=\"} raw s3cr/t+ &x= pct s3cr%2Ft%2B%20%26x%3D \
                      b64 czNjci90KyAmeD0= basic Y2xpZW50OnA0c3M=";
        let clean = r.clean(echoed);
        for leak in ["s3cr", "czNjci90", "Y2xpZW50OnA0c3M", "p4ss"] {
            assert!(!clean.contains(leak), "{leak} in {clean}");
        }
        assert!(clean.contains("client_id=c") && clean.contains(REDACTED));
    }
}
