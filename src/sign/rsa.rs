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

fn rejected(e: ring::error::KeyRejected) -> Error {
    match e.to_string().as_str() {
        "TooSmall" => Error::new(
            PAYAUTH_KEY_TOO_SMALL,
            "the RSA private key is shorter than 2048 bits; generate a 2048-bit (or larger) key",
        ),
        other => Error::new(
            PAYAUTH_KEY_INVALID,
            format!("the RSA private key was rejected: {other}"),
        ),
    }
}

impl RsaKey {
    /// Parses a key from PEM text or a bare base64 DER body.
    pub fn parse(text: &[u8]) -> Result<Self> {
        let pair = if text.windows(11).any(|w| w == b"-----BEGIN ") {
            match PrivateKeyDer::from_pem_slice(text) {
                Ok(PrivateKeyDer::Pkcs1(k)) => RsaKeyPair::from_der(k.secret_pkcs1_der()).map_err(rejected)?,
                Ok(PrivateKeyDer::Pkcs8(k)) => RsaKeyPair::from_pkcs8(k.secret_pkcs8_der()).map_err(rejected)?,
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
                Err(e) if e.to_string() == "TooSmall" => return Err(rejected(e)),
                Err(_) => RsaKeyPair::from_der(&der).map_err(rejected)?,
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
