//! SHA-2 digests and HMAC, with a keyed state that can be reused across calls.

use ::hmac::{Hmac, Mac};
use sha2::{Digest, Sha256, Sha512};

/// Hash function of an HMAC or RSA signature.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HashAlg {
    /// SHA-256.
    Sha256,
    /// SHA-512.
    Sha512,
}

impl HashAlg {
    /// Parses `sha256` / `sha512`.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "sha256" => Some(HashAlg::Sha256),
            "sha512" => Some(HashAlg::Sha512),
            _ => None,
        }
    }
    /// `HMAC-SHA256` / `HMAC-SHA512`.
    pub fn hmac_name(self) -> &'static str {
        match self {
            HashAlg::Sha256 => "HMAC-SHA256",
            HashAlg::Sha512 => "HMAC-SHA512",
        }
    }
}

/// Lowercase hex SHA-256 of `data`.
pub fn sha256_hex(data: &[u8]) -> String {
    crate::sign::encode::hex_lower(&Sha256::digest(data))
}

/// An HMAC whose key schedule has been computed once; `sign` clones the keyed state, so the
/// per-call cost is only the message blocks.
#[derive(Clone)]
pub enum KeyedHmac {
    /// HMAC-SHA256 state.
    Sha256(Hmac<Sha256>),
    /// HMAC-SHA512 state.
    Sha512(Hmac<Sha512>),
}

impl std::fmt::Debug for KeyedHmac {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("KeyedHmac([redacted])")
    }
}

impl KeyedHmac {
    /// Computes the key schedule. HMAC accepts keys of any length.
    pub fn new(alg: HashAlg, key: &[u8]) -> Self {
        match alg {
            HashAlg::Sha256 => {
                KeyedHmac::Sha256(<Hmac<Sha256> as Mac>::new_from_slice(key).expect("HMAC takes any key length"))
            }
            HashAlg::Sha512 => {
                KeyedHmac::Sha512(<Hmac<Sha512> as Mac>::new_from_slice(key).expect("HMAC takes any key length"))
            }
        }
    }
    /// The MAC of the concatenation of `parts` (no allocation).
    pub fn sign_parts(&self, parts: &[&[u8]]) -> MacOutput {
        let mut out = MacOutput {
            bytes: [0u8; 64],
            len: 0,
        };
        match self {
            KeyedHmac::Sha256(m) => {
                let mut m = m.clone();
                parts.iter().for_each(|p| m.update(p));
                out.bytes[..32].copy_from_slice(&m.finalize().into_bytes());
                out.len = 32;
            }
            KeyedHmac::Sha512(m) => {
                let mut m = m.clone();
                parts.iter().for_each(|p| m.update(p));
                out.bytes.copy_from_slice(&m.finalize().into_bytes());
                out.len = 64;
            }
        }
        out
    }
    /// The MAC of `msg`.
    pub fn sign(&self, msg: &[u8]) -> MacOutput {
        self.sign_parts(&[msg])
    }
}

/// A MAC value held on the stack (32 or 64 bytes).
#[derive(Clone, Copy)]
pub struct MacOutput {
    bytes: [u8; 64],
    len: usize,
}

impl std::ops::Deref for MacOutput {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        &self.bytes[..self.len]
    }
}

impl AsRef<[u8]> for MacOutput {
    fn as_ref(&self) -> &[u8] {
        self
    }
}

/// One-shot HMAC.
pub fn hmac(alg: HashAlg, key: &[u8], msg: &[u8]) -> MacOutput {
    KeyedHmac::new(alg, key).sign(msg)
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn paynet_reports_vector() {
        let mac = hmac(HashAlg::Sha256, b"my_client_secret", b"1700000000");
        assert_eq!(
            hex::encode(mac),
            "d21a14882d7cb3107ae340b6920ad74d3b12ba4abc6d9a4139fe2a49a7309190"
        );
    }
    #[test]
    fn paynet_official_body_hash() {
        let body = br#"{"data":{"businessMessageId":"20230412BOEEMYK1000ORB00000001","clientMessage":"Client hello"}}"#;
        assert_eq!(
            sha256_hex(body),
            "8fc1f5ed05596aa2952e68ac221f31ee8a87641315c7b091f0bd41266d380739"
        );
    }
}
