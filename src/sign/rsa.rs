//! RSASSA-PKCS1-v1_5 signatures with ring (constant-time, the same provider as TLS).
//!
//! Keys are accepted as PEM (PKCS#1 `RSA PRIVATE KEY` or PKCS#8 `PRIVATE KEY`) or as a bare
//! base64 DER body without armour, the way Netzme issues them. ring refuses keys under 2048 bits;
//! that is reported as [`PAYAUTH_KEY_TOO_SMALL`].

use crate::error::{Error, Result};
use crate::sign::encode::base64_decode;
use crate::sign::hmac::HashAlg;
use crate::status::{PAYAUTH_KEY_INVALID, PAYAUTH_KEY_TOO_SMALL, PAYAUTH_SIGN_FAILED};
use ring::rand::SystemRandom;
use ring::signature::{RSA_PKCS1_SHA256, RSA_PKCS1_SHA512, RsaKeyPair};
use rustls_pki_types::PrivateKeyDer;
use rustls_pki_types::pem::PemObject;
use zeroize::Zeroizing;

/// A parsed RSA private key.
pub struct RsaKey {
    pair: RsaKeyPair,
    rng: SystemRandom,
}

impl std::fmt::Debug for RsaKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "RsaKey({} bits, [redacted])", self.bits())
    }
}

/// The smallest modulus accepted.
pub const MIN_BITS: usize = 2048;

fn rejected(e: ring::error::KeyRejected, der: &[u8]) -> Error {
    match e.to_string().as_str() {
        "TooSmall" => {
            let size = modulus_bits(der).map_or_else(|| "shorter than 2048 bits".to_string(), |b| format!("{b} bits"));
            Error::new(
                PAYAUTH_KEY_TOO_SMALL,
                format!(
                    "the RSA private key is {size}; the minimum is {MIN_BITS} bits (generate one with \
                     `openssl genrsa 2048`; keys shown in gateway documentation are often 512-bit examples)"
                ),
            )
        }
        other => Error::new(
            PAYAUTH_KEY_INVALID,
            format!("the RSA private key was rejected: {other}"),
        ),
    }
}

/// One DER element: (tag, contents, rest).
fn der_next(b: &[u8]) -> Option<(u8, &[u8], &[u8])> {
    let (&tag, b) = b.split_first()?;
    let (&first, mut b) = b.split_first()?;
    let len = if first < 0x80 {
        usize::from(first)
    } else {
        let n = usize::from(first & 0x7f);
        if n == 0 || n > 4 || b.len() < n {
            return None;
        }
        let len = b[..n].iter().fold(0usize, |a, &x| (a << 8) | usize::from(x));
        b = &b[n..];
        len
    };
    (b.len() >= len).then(|| (tag, &b[..len], &b[len..]))
}

/// The modulus size of a PKCS#1 or PKCS#8 RSA private key (for messages only).
fn modulus_bits(der: &[u8]) -> Option<usize> {
    let (0x30, seq, _) = der_next(der)? else { return None };
    let (0x02, _version, rest) = der_next(seq)? else {
        return None;
    };
    let (tag, body, rest) = der_next(rest)?;
    let modulus = match tag {
        0x02 => body,
        // PKCS#8: AlgorithmIdentifier, then the PKCS#1 key in an OCTET STRING.
        0x30 => {
            let (0x04, inner, _) = der_next(rest)? else { return None };
            return modulus_bits(inner);
        }
        _ => return None,
    };
    let significant = modulus.iter().skip_while(|b| **b == 0).count();
    Some(significant * 8)
}

/// PEM text with its base64 body re-wrapped: keys pasted with spaces (or nothing) where the
/// newlines were, as SNAP SDK documents show them, read like the original.
pub(crate) fn normalize_pem(text: &[u8]) -> Option<Vec<u8>> {
    let text = std::str::from_utf8(text).ok()?;
    let begin = text.find("-----BEGIN ")?;
    let label_end = begin + 11 + text[begin + 11..].find("-----")?;
    let label = &text[begin + 11..label_end];
    let footer = format!("-----END {label}-----");
    let body_end = text.find(&footer)?;
    let body: String = text[label_end + 5..body_end].split_whitespace().collect();
    let mut out = format!("-----BEGIN {label}-----\n");
    for chunk in body.as_bytes().chunks(64) {
        out.push_str(std::str::from_utf8(chunk).ok()?);
        out.push('\n');
    }
    out.push_str(&footer);
    out.push('\n');
    Some(out.into_bytes())
}

impl RsaKey {
    /// Parses a key from PEM text or a bare base64 DER body.
    pub fn parse(text: &[u8]) -> Result<Self> {
        let pair = if text.windows(11).any(|w| w == b"-----BEGIN ") {
            let pem = Zeroizing::new(normalize_pem(text).unwrap_or_else(|| text.to_vec()));
            match PrivateKeyDer::from_pem_slice(&pem) {
                Ok(PrivateKeyDer::Pkcs1(k)) => {
                    let der = k.secret_pkcs1_der();
                    RsaKeyPair::from_der(der).map_err(|e| rejected(e, der))?
                }
                Ok(PrivateKeyDer::Pkcs8(k)) => {
                    let der = k.secret_pkcs8_der();
                    RsaKeyPair::from_pkcs8(der).map_err(|e| rejected(e, der))?
                }
                Ok(_) => {
                    return Err(Error::new(PAYAUTH_KEY_INVALID, "the private key is not an RSA key"));
                }
                Err(_) => {
                    return Err(Error::new(
                        PAYAUTH_KEY_INVALID,
                        "the private key PEM could not be parsed (expected RSA PRIVATE KEY or PRIVATE KEY)",
                    ));
                }
            }
        } else {
            let text = std::str::from_utf8(text)
                .map_err(|_| Error::new(PAYAUTH_KEY_INVALID, "the private key is neither PEM nor base64 text"))?;
            let der = Zeroizing::new(base64_decode(text).ok_or_else(|| {
                Error::new(
                    PAYAUTH_KEY_INVALID,
                    "the private key is neither PEM nor valid base64 DER",
                )
            })?);
            match RsaKeyPair::from_pkcs8(&der) {
                Ok(k) => k,
                Err(e) if e.to_string() == "TooSmall" => return Err(rejected(e, &der)),
                Err(_) => RsaKeyPair::from_der(&der).map_err(|e| rejected(e, &der))?,
            }
        };
        Ok(RsaKey {
            pair,
            rng: SystemRandom::new(),
        })
    }

    /// Modulus length in bits.
    pub fn bits(&self) -> usize {
        self.pair.public().modulus_len() * 8
    }

    /// RSASSA-PKCS1-v1_5 with SHA-256 or SHA-512 over `msg` (deterministic).
    pub fn sign(&self, alg: HashAlg, msg: &[u8]) -> Result<Vec<u8>> {
        let mut sig = vec![0u8; self.pair.public().modulus_len()];
        let padding = match alg {
            HashAlg::Sha256 => &RSA_PKCS1_SHA256,
            HashAlg::Sha512 => &RSA_PKCS1_SHA512,
        };
        self.pair
            .sign(padding, &self.rng, msg, &mut sig)
            .map_err(|_| Error::new(PAYAUTH_SIGN_FAILED, "RSA signing failed"))?;
        Ok(sig)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key_pem() -> Vec<u8> {
        std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/vectors/keys/rsa2048-pkcs1.pem"
        ))
        .unwrap()
    }

    #[test]
    fn a_pem_with_spaces_for_newlines_reads_like_the_original() {
        let pem = key_pem();
        let flat: Vec<u8> = pem.iter().map(|b| if *b == b'\n' { b' ' } else { *b }).collect();
        let msg = b"TokoNetmeClientId|2024-01-01T10:00:00+07:00";
        let a = RsaKey::parse(&pem).unwrap().sign(HashAlg::Sha256, msg).unwrap();
        let b = RsaKey::parse(&flat).unwrap().sign(HashAlg::Sha256, msg).unwrap();
        assert_eq!(a, b);
        assert_eq!(RsaKey::parse(&flat).unwrap().bits(), 2048);
    }

    #[test]
    fn a_short_key_is_refused_with_its_size_and_the_minimum() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/vectors/keys/rsa1024-pkcs1.pem");
        let doc = std::fs::read(path).unwrap();
        let e = RsaKey::parse(&doc).unwrap_err();
        assert_eq!(e.code, PAYAUTH_KEY_TOO_SMALL);
        assert!(
            e.message.contains("1024 bits") && e.message.contains("2048"),
            "{}",
            e.message
        );
    }
}
