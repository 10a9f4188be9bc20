//! RSA public keys for verification, derived from the configured private key (PKCS#1 or PKCS#8
//! PEM, or bare base64 DER as Netzme issues it).

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use ring::signature::{self, RsaKeyPair, UnparsedPublicKey};
use std::io;

/// RSASSA-PKCS1-v1_5 public key (DER `RSAPublicKey`).
#[derive(Clone, Debug)]
pub struct RsaPublicKey {
    der: Vec<u8>,
}

/// Hash of an RSASSA-PKCS1-v1_5 signature.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RsaHash {
    Sha256,
    Sha512,
}

impl RsaPublicKey {
    /// Loads the key from PEM text when given, else from the file.
    pub fn load(pem: Option<&str>, file: Option<&str>) -> io::Result<RsaPublicKey> {
        let text = match (pem, file) {
            (Some(pem), _) => pem.to_string(),
            (None, Some(path)) => std::fs::read_to_string(path)
                .map_err(|e| io::Error::new(e.kind(), format!("RSA key file {path}: {e}")))?,
            (None, None) => return Err(invalid("no RSA key configured")),
        };
        RsaPublicKey::from_private_text(&text)
    }

    /// Derives the public key from a private key in PEM or bare base64 DER.
    pub fn from_private_text(text: &str) -> io::Result<RsaPublicKey> {
        let body: String = text
            .lines()
            .map(str::trim)
            .filter(|l| !l.starts_with("-----") && !l.is_empty())
            .collect();
        let der = STANDARD
            .decode(body.as_bytes())
            .map_err(|_| invalid("RSA key: bad base64"))?;
        let pair = RsaKeyPair::from_der(&der)
            .or_else(|_| RsaKeyPair::from_pkcs8(&der))
            .map_err(|e| invalid(&format!("RSA key rejected: {e}")))?;
        Ok(RsaPublicKey {
            der: pair.public().as_ref().to_vec(),
        })
    }

    /// Verifies an RSASSA-PKCS1-v1_5 signature over `message`.
    pub fn verify(&self, hash: RsaHash, message: &[u8], sig: &[u8]) -> bool {
        let alg = match hash {
            RsaHash::Sha256 => &signature::RSA_PKCS1_2048_8192_SHA256,
            RsaHash::Sha512 => &signature::RSA_PKCS1_2048_8192_SHA512,
        };
        UnparsedPublicKey::new(alg, &self.der).verify(message, sig).is_ok()
    }
}

fn invalid(msg: &str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidInput, msg.to_string())
}
