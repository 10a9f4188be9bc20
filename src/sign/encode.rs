//! Output encodings of signatures and digests.

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};

/// How signature bytes are turned into header text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    /// Lowercase hexadecimal.
    Hex,
    /// Uppercase hexadecimal.
    HexUpper,
    /// Standard base64 with padding.
    Base64,
    /// URL-safe base64 without padding (JWS).
    Base64Url,
}

impl Encoding {
    /// Parses a configuration spelling: `hex`, `hex_upper`, `base64`, `base64url`.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "hex" => Some(Encoding::Hex),
            "hex_upper" => Some(Encoding::HexUpper),
            "base64" => Some(Encoding::Base64),
            "base64url" => Some(Encoding::Base64Url),
            _ => None,
        }
    }
    /// The configuration spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Encoding::Hex => "hex",
            Encoding::HexUpper => "hex_upper",
            Encoding::Base64 => "base64",
            Encoding::Base64Url => "base64url",
        }
    }
    /// Encodes bytes.
    pub fn encode(self, bytes: &[u8]) -> String {
        match self {
            Encoding::Hex => hex_lower(bytes),
            Encoding::HexUpper => hex_lower(bytes).to_ascii_uppercase(),
            Encoding::Base64 => STANDARD.encode(bytes),
            Encoding::Base64Url => URL_SAFE_NO_PAD.encode(bytes),
        }
    }
    /// Whether two encoded values should be compared ignoring ASCII case.
    pub fn case_insensitive(self) -> bool {
        matches!(self, Encoding::Hex | Encoding::HexUpper)
    }
}

/// Lowercase hex through `hex::encode_to_slice` (`hex::encode` collects char by char and costs
/// several times more on the signing hot path).
pub fn hex_lower(bytes: &[u8]) -> String {
    let mut out = vec![0u8; bytes.len() * 2];
    hex::encode_to_slice(bytes, &mut out).expect("output is twice the input length");
    String::from_utf8(out).expect("hex digits are ASCII")
}

/// Standard base64 with padding.
pub fn base64_std(bytes: &[u8]) -> String {
    STANDARD.encode(bytes)
}

/// URL-safe base64 without padding.
pub fn base64url(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Decodes standard base64 (padding required), ignoring ASCII whitespace.
pub fn base64_decode(text: &str) -> Option<Vec<u8>> {
    let compact: String = text.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    STANDARD.decode(compact).ok()
}

/// `Basic base64(id:secret)` for HTTP Basic authentication.
pub fn basic_auth(id: &[u8], secret: &[u8]) -> String {
    let mut raw = zeroize::Zeroizing::new(Vec::with_capacity(id.len() + secret.len() + 1));
    raw.extend_from_slice(id);
    raw.push(b':');
    raw.extend_from_slice(secret);
    format!("Basic {}", STANDARD.encode(&*raw))
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn encodings() {
        assert_eq!(Encoding::Hex.encode(&[0xab, 0x01]), "ab01");
        assert_eq!(Encoding::HexUpper.encode(&[0xab, 0x01]), "AB01");
        assert_eq!(Encoding::Base64.encode(b"\xff\xfe"), "//4=");
        assert_eq!(Encoding::Base64Url.encode(b"\xff\xfe"), "__4");
        assert_eq!(
            basic_auth(b"TokoNetmeClientId", b"f013bc2810be469790dc99773c08812e"),
            "Basic VG9rb05ldG1lQ2xpZW50SWQ6ZjAxM2JjMjgxMGJlNDY5NzkwZGM5OTc3M2MwODgxMmU="
        );
    }
}
