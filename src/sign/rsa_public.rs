//! Verifying a gateway's RSASSA-PKCS1-v1_5 signatures (PayNet JWS responses, DuitNow OBW
//! `X-Signature`, SNAP asymmetric signatures) with its public key, given as PEM `CERTIFICATE`
//! (X.509, parsed by webpki), `PUBLIC KEY` (SubjectPublicKeyInfo) or `RSA PUBLIC KEY` (PKCS#1),
//! or as a bare base64 SubjectPublicKeyInfo, the way SNAP portals show it. Verification is
//! ring's, in constant time with respect to the key; keys under 2048 bits are refused.

use crate::error::{Error, Result};
use crate::sign::encode::base64_decode;
use crate::sign::hmac::HashAlg;
use crate::status::PAYAUTH_KEY_INVALID;
use rustls_pki_types::{CertificateDer, SubjectPublicKeyInfoDer};

/// A parsed public key.
#[derive(Clone)]
pub struct RsaPublicKey {
    form: Form,
}

#[derive(Clone)]
enum Form {
    /// An X.509 certificate (DER).
    Certificate(Vec<u8>),
    /// A SubjectPublicKeyInfo (DER).
    Spki(Vec<u8>),
    /// A PKCS#1 RSAPublicKey (DER).
    Pkcs1(Vec<u8>),
}

impl std::fmt::Debug for RsaPublicKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self.form {
            Form::Certificate(_) => "RsaPublicKey(certificate)",
            Form::Spki(_) => "RsaPublicKey(public key)",
            Form::Pkcs1(_) => "RsaPublicKey(RSA public key)",
        })
    }
}

fn invalid(why: &str) -> Error {
    Error::new(PAYAUTH_KEY_INVALID, format!("the gateway public key {why}"))
}

impl RsaPublicKey {
    /// Parses PEM text (`CERTIFICATE`, `PUBLIC KEY`, `RSA PUBLIC KEY`; whitespace in the body
    /// is ignored) or bare base64 SubjectPublicKeyInfo DER. The key is checked at once: a key
    /// that cannot verify (not RSA, under 2048 bits, malformed) is refused here.
    pub fn parse(text: &[u8]) -> Result<RsaPublicKey> {
        let pem = crate::sign::rsa::normalize_pem(text);
        let form = match &pem {
            Some(pem) => {
                let pem = std::str::from_utf8(pem).map_err(|_| invalid("is not text"))?;
                let mut lines = pem.lines();
                let label = lines
                    .next()
                    .and_then(|l| l.strip_prefix("-----BEGIN "))
                    .and_then(|l| l.strip_suffix("-----"))
                    .ok_or_else(|| invalid("is not PEM"))?;
                let body: String = lines.filter(|l| !l.starts_with("-----END ")).collect();
                let der = base64_decode(&body).ok_or_else(|| invalid("PEM body is not base64"))?;
                match label {
                    "CERTIFICATE" => Form::Certificate(der),
                    "PUBLIC KEY" => Form::Spki(der),
                    "RSA PUBLIC KEY" => Form::Pkcs1(der),
                    other => {
                        return Err(invalid(&format!(
                            "is a PEM `{other}`; expected CERTIFICATE, PUBLIC KEY or RSA PUBLIC KEY"
                        )));
                    }
                }
            }
            None => {
                let t = std::str::from_utf8(text).map_err(|_| invalid("is neither PEM nor base64 text"))?;
                Form::Spki(base64_decode(t).ok_or_else(|| invalid("is neither PEM nor base64 DER"))?)
            }
        };
        let key = RsaPublicKey { form };
        // A self-check that the key parses and can verify with RSA: a zero signature of the
        // key's length must fail as "bad signature", not as "unsupported key".
        key.check()?;
        Ok(key)
    }

    fn check(&self) -> Result<()> {
        match &self.form {
            Form::Certificate(der) => {
                let der = CertificateDer::from(der.as_slice());
                webpki::EndEntityCert::try_from(&der)
                    .map_err(|e| invalid(&format!("certificate does not parse: {e}")))?;
            }
            Form::Spki(der) => {
                let der = SubjectPublicKeyInfoDer::from(der.as_slice());
                webpki::RawPublicKeyEntity::try_from(&der).map_err(|e| invalid(&format!("does not parse: {e}")))?;
            }
            Form::Pkcs1(der) => {
                if der.len() < 256 {
                    return Err(invalid("is shorter than an RSA-2048 key"));
                }
            }
        }
        Ok(())
    }

    /// Whether `signature` is a valid RSASSA-PKCS1-v1_5 signature of `msg` with `alg`.
    pub fn verify(&self, alg: HashAlg, msg: &[u8], signature: &[u8]) -> bool {
        let webpki_alg = match alg {
            HashAlg::Sha256 => webpki::ring::RSA_PKCS1_2048_8192_SHA256,
            HashAlg::Sha512 => webpki::ring::RSA_PKCS1_2048_8192_SHA512,
        };
        match &self.form {
            Form::Certificate(der) => {
                let der = CertificateDer::from(der.as_slice());
                webpki::EndEntityCert::try_from(&der)
                    .is_ok_and(|c| c.verify_signature(webpki_alg, msg, signature).is_ok())
            }
            Form::Spki(der) => {
                let der = SubjectPublicKeyInfoDer::from(der.as_slice());
                webpki::RawPublicKeyEntity::try_from(&der)
                    .is_ok_and(|k| k.verify_signature(webpki_alg, msg, signature).is_ok())
            }
            Form::Pkcs1(der) => {
                let params = match alg {
                    HashAlg::Sha256 => &ring::signature::RSA_PKCS1_2048_8192_SHA256,
                    HashAlg::Sha512 => &ring::signature::RSA_PKCS1_2048_8192_SHA512,
                };
                ring::signature::UnparsedPublicKey::new(params, der)
                    .verify(msg, signature)
                    .is_ok()
            }
        }
    }
}
