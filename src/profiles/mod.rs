//! Each gateway as data: presets built from a JSON configuration, and the signing schemes they
//! use. See `docs/profiles.md` for every field and the exact rules.

pub mod azupay;
pub mod body;
pub mod duitnow;
pub mod inbound;
pub mod netzme;
pub mod output;
pub mod paynet;
pub mod paytia;
pub mod registry;
pub mod request;
pub mod snap;

use crate::config::Config;
use crate::error::{Error, Result};
use crate::sign::verify::signatures_equal;
use crate::status::{PAYAUTH_CONFIG_UNKNOWN_PROFILE, PAYAUTH_SIGNATURE_MISMATCH, PAYAUTH_UNSUPPORTED};
pub use output::Signed;
pub use registry::{FlowKind, Preset};
pub use request::{Extra, Request};

/// A signing scheme. `compute` returns the encoded signature for a request whose timestamp text
/// is already decided; `sign` adds the headers.
pub trait Scheme: Send + Sync {
    /// Adds every header the gateway needs for `req` to `out`.
    fn sign(&self, req: &Request<'_>, out: &mut Signed) -> Result<()>;

    /// Headers for the token request itself (e.g. SNAP's RSA `X-SIGNATURE`).
    fn token_headers(&self, _req: &Request<'_>, _out: &mut Signed) -> Result<()> {
        Err(Error::new(
            PAYAUTH_UNSUPPORTED,
            "this profile has no signed token request",
        ))
    }

    /// The expected signature for an inbound request (for verification), with whether the
    /// comparison ignores ASCII case.
    fn expected_signature(&self, _req: &Request<'_>) -> Result<(String, bool)> {
        Err(Error::new(
            PAYAUTH_UNSUPPORTED,
            "this profile has no HMAC signature to verify",
        ))
    }

    /// The string a gateway signs with RSA for an inbound request (SNAP's asymmetric service
    /// signature).
    fn asymmetric_string(&self, _req: &Request<'_>) -> Result<Vec<u8>> {
        Err(Error::new(
            PAYAUTH_UNSUPPORTED,
            "this profile has no asymmetric service signature",
        ))
    }

    /// Which bytes of a body a digest covers (see `body`).
    fn body_form(&self) -> body::BodyForm {
        body::BodyForm::Minified
    }
}

/// A signer: a preset with its configuration resolved, keys parsed and HMAC key schedules
/// computed once. Immutable after construction, so it is safe to share between threads.
pub struct Signer {
    preset: &'static Preset,
    scheme: Box<dyn Scheme>,
    gateway_key: Option<crate::sign::rsa_public::RsaPublicKey>,
}

impl std::fmt::Debug for Signer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Signer({})", self.preset.name)
    }
}

impl Signer {
    /// Builds a signer from configuration text.
    pub fn from_json(text: &[u8]) -> Result<Self> {
        Self::from_config(&Config::parse(text)?)
    }

    /// Builds a signer from configuration text that may also hold the fields `others`.
    pub fn from_json_with(text: &[u8], others: &[&str]) -> Result<Self> {
        Self::from_config_with(&Config::parse(text)?, others)
    }

    /// Builds a signer from a parsed configuration; every field must be known.
    pub fn from_config(cfg: &Config) -> Result<Self> {
        Self::from_config_with(cfg, &[])
    }

    /// Builds a signer from a configuration that also holds the fields `others` (read by the
    /// layer that holds the signer, e.g. the token client's); every other field must be known.
    pub fn from_config_with(cfg: &Config, others: &[&str]) -> Result<Self> {
        let name = cfg.req_str("profile")?;
        let preset = registry::find(&name).ok_or_else(|| {
            Error::new(
                PAYAUTH_CONFIG_UNKNOWN_PROFILE,
                format!(
                    "unknown profile `{name}` (known: {})",
                    registry::names().collect::<Vec<_>>().join(", ")
                ),
            )
        })?;
        let scheme = (preset.scheme)(cfg)?;
        let gateway_key = if preset.gateway_signs {
            inbound::gateway_key(cfg)?
        } else {
            None
        };
        cfg.allow(others);
        cfg.finish(preset.name)?;
        Ok(Signer {
            preset,
            scheme,
            gateway_key,
        })
    }

    /// The preset name.
    pub fn profile(&self) -> &'static str {
        self.preset.name
    }

    /// The preset's registry row.
    pub fn preset(&self) -> &'static Preset {
        self.preset
    }

    /// Signs an outgoing request.
    pub fn sign(&self, req: &Request<'_>, explain: bool) -> Result<Signed> {
        let mut out = Signed::new(explain);
        out.mask(req.token);
        self.scheme.sign(req, &mut out)?;
        Ok(out)
    }

    /// Headers for the profile's token request.
    pub fn token_headers(&self, req: &Request<'_>, explain: bool) -> Result<Signed> {
        let mut out = Signed::new(explain);
        self.scheme.token_headers(req, &mut out)?;
        Ok(out)
    }

    /// Verifies an inbound request's signature in constant time. `req.time` must be the
    /// timestamp text as received.
    pub fn verify(&self, req: &Request<'_>, signature: &[u8]) -> Result<()> {
        let (expected, ignore_case) = self.scheme.expected_signature(req)?;
        if signatures_equal(&expected, signature, ignore_case) {
            Ok(())
        } else {
            Err(Error::new(
                PAYAUTH_SIGNATURE_MISMATCH,
                "the signature does not match the request",
            ))
        }
    }
}

/// Reads the optional `private_key` (value, `_env` or `_file`) and parses it.
pub(crate) fn private_key(cfg: &Config) -> Result<Option<crate::sign::rsa::RsaKey>> {
    match cfg.secret("private_key")? {
        None => Ok(None),
        Some(pem) => crate::sign::rsa::RsaKey::parse(pem.expose()).map(Some),
    }
}

/// Refuses configured header names that collide with each other or with `emitted` (headers the
/// profile always sends), ASCII case-insensitively: two `Authorization` headers, or a signature
/// header that overwrites the timestamp, fail at configuration time, not at the gateway.
pub(crate) fn distinct_headers(named: &[(&str, &str)], emitted: &[&str]) -> Result<()> {
    for (i, (field, name)) in named.iter().enumerate() {
        if let Some(e) = emitted.iter().find(|e| e.eq_ignore_ascii_case(name)) {
            return Err(Error::config_invalid(
                field,
                format!("`{name}` is a header the profile already sends ({e})"),
            ));
        }
        if let Some((other, _)) = named[..i].iter().find(|(_, n)| n.eq_ignore_ascii_case(name)) {
            return Err(Error::config_invalid(
                field,
                format!("`{name}` is also the name of `{other}`"),
            ));
        }
    }
    Ok(())
}

/// Checks a configured header name (visible ASCII token characters only).
pub(crate) fn header_name(key: &str, value: String) -> Result<String> {
    let ok = !value.is_empty()
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b));
    if ok {
        Ok(value)
    } else {
        Err(Error::config_invalid(
            key,
            format!("{value:?} is not a valid HTTP header name"),
        ))
    }
}
