//! At-rest protection of shared cache entries: ChaCha20-Poly1305 (ring) under a key derived with
//! HKDF-SHA256 from the credential's secrets plus an optional configured key. The entry's name is
//! a hash of the credential's public identity (profile, token URL, client id) and never contains
//! a secret; it is bound into the associated data, so an entry copied under another name, a
//! truncated file, a foreign format version or a different secret fail to open and are rebuilt.
//!
//! Format: `PAYAUTHC` | format version (1 byte) | nonce (12 bytes) | ciphertext | tag (16 bytes).

use ring::aead::{Aad, CHACHA20_POLY1305, LessSafeKey, NONCE_LEN, Nonce, UnboundKey};
use ring::hkdf;
use ring::rand::{SecureRandom, SystemRandom};
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

const MAGIC: &[u8; 8] = b"PAYAUTHC";
/// Format version of sealed entries (also part of file and Redis key names).
pub(crate) const FORMAT: u8 = 2;
const HEADER: usize = MAGIC.len() + 1 + NONCE_LEN;

/// Seals and opens one credential's entries.
pub struct Sealer {
    key: LessSafeKey,
    name: String,
    aad: Vec<u8>,
}

impl std::fmt::Debug for Sealer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Sealer({})", self.name)
    }
}

impl Sealer {
    /// A sealer for the credential `identity` (public fields only) whose secrets are `material`.
    pub fn new(identity: &str, material: &[u8]) -> Sealer {
        let mut h = Sha256::new();
        h.update(b"payauth-cache-name-v1\0");
        h.update(identity.as_bytes());
        let name = hex::encode(&h.finalize()[..20]);
        let prk = hkdf::Salt::new(hkdf::HKDF_SHA256, b"payauth-cache-key-v1").extract(material);
        let info = [name.as_bytes()];
        let okm = prk
            .expand(&info, &CHACHA20_POLY1305)
            .expect("HKDF output length of one AEAD key is valid");
        let mut aad = Vec::with_capacity(MAGIC.len() + 1 + name.len());
        aad.extend_from_slice(MAGIC);
        aad.push(FORMAT);
        aad.extend_from_slice(name.as_bytes());
        Sealer {
            key: LessSafeKey::new(UnboundKey::from(okm)),
            name,
            aad,
        }
    }

    /// The entry's public name (hex; no secret in it).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Encrypts `plain` with a fresh random nonce.
    pub fn seal(&self, plain: &[u8]) -> Option<Vec<u8>> {
        let mut nonce = [0u8; NONCE_LEN];
        SystemRandom::new().fill(&mut nonce).ok()?;
        let mut out = Vec::with_capacity(HEADER + plain.len() + 16);
        out.extend_from_slice(MAGIC);
        out.push(FORMAT);
        out.extend_from_slice(&nonce);
        out.extend_from_slice(plain);
        let mut body = out.split_off(HEADER);
        self.key
            .seal_in_place_append_tag(
                Nonce::assume_unique_for_key(nonce),
                Aad::from(self.aad.as_slice()),
                &mut body,
            )
            .ok()?;
        out.extend_from_slice(&body);
        Some(out)
    }

    /// Decrypts a sealed entry; `None` for anything foreign, truncated, tampered or sealed under
    /// another key.
    pub fn open(&self, sealed: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
        let mut copy = Zeroizing::new(sealed.to_vec());
        let n = self.open_in_place(&mut copy)?.len();
        copy.drain(..HEADER);
        copy.truncate(n);
        Some(copy)
    }

    /// Decrypts a sealed entry in its own buffer (no copy); returns the plain text within it.
    pub fn open_in_place<'a>(&self, sealed: &'a mut [u8]) -> Option<&'a [u8]> {
        if sealed.len() < HEADER + 16 || &sealed[..MAGIC.len()] != MAGIC || sealed[MAGIC.len()] != FORMAT {
            return None;
        }
        let nonce = Nonce::try_assume_unique_for_key(&sealed[MAGIC.len() + 1..HEADER]).ok()?;
        let plain = self
            .key
            .open_in_place(nonce, Aad::from(self.aad.as_slice()), &mut sealed[HEADER..])
            .ok()?;
        Some(plain)
    }

    /// The nonce of a sealed entry: changes on every write, so comparing it tells whether an
    /// entry was replaced without decrypting it.
    pub fn nonce_of(sealed: &[u8]) -> Option<&[u8]> {
        sealed.get(MAGIC.len() + 1..HEADER)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_every_kind_of_damage_is_refused() {
        let s = Sealer::new("netzme\nhttps://gw/token\nclient", b"secret");
        let sealed = s.seal(b"{\"access_token\":\"tok\"}").unwrap();
        assert_eq!(&s.open(&sealed).unwrap()[..], b"{\"access_token\":\"tok\"}");
        assert!(!sealed.windows(3).any(|w| w == b"tok"), "no clear text");
        assert!(!s.name().contains("client") && s.name().len() == 40);
        for cut in [0, 5, HEADER, sealed.len() - 1] {
            assert!(s.open(&sealed[..cut]).is_none(), "truncated at {cut}");
        }
        let mut flipped = sealed.clone();
        *flipped.last_mut().unwrap() ^= 1;
        assert!(s.open(&flipped).is_none(), "tampered");
        let mut foreign = sealed.clone();
        foreign[MAGIC.len()] = FORMAT + 1;
        assert!(s.open(&foreign).is_none(), "foreign format version");
        assert!(
            Sealer::new("netzme\nhttps://gw/token\nclient", b"other")
                .open(&sealed)
                .is_none()
        );
        assert!(
            Sealer::new("netzme\nhttps://gw/token\nother", b"secret")
                .open(&sealed)
                .is_none()
        );
        assert_ne!(Sealer::nonce_of(&sealed), Sealer::nonce_of(&s.seal(b"x").unwrap()));
    }
}
