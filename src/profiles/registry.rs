//! The preset registry: one row per gateway preset, saying everything the other layers need to
//! know about it — its scheme, its token flow, whether a new token kills the previous one, the
//! lifetime to assume when the gateway states none. No other file spells a preset's name: the
//! token flows, the client and the C layer read these rows.

use super::{Config, Scheme, azupay, duitnow, netzme, paynet, paytia, snap};
use crate::error::Result;
use crate::sign::encode::Encoding;
use std::ffi::CStr;

/// How a preset obtains its access token.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FlowKind {
    /// No token (self-signed requests).
    None,
    /// OAuth2 client_credentials with `client_secret_post` (optional: without `token_url` the
    /// signer is used alone).
    ClientCredentials,
    /// Netzme legacy: Basic auth + JSON body, absolute `expiry_token`, `status` checked.
    NetzmeBasic,
    /// SNAP B2B: RSA-signed headers from the signer, `accessToken` / `expiresIn`.
    SnapB2b,
    /// Paytia authorize with `X-API-KEY` and a rotating refresh token (optional).
    Paytia,
}

/// One preset.
pub struct Preset {
    /// The name in configurations (`"profile": …`).
    pub name: &'static str,
    /// The same, as a C string (returned by `payauth_signer_profile`).
    pub c_name: &'static CStr,
    /// Builds the scheme from a configuration.
    pub scheme: fn(&Config) -> Result<Box<dyn Scheme>>,
    /// The token flow.
    pub flow: FlowKind,
    /// Whether a client needs a token (so `token_url` is required).
    pub needs_token: bool,
    /// Whether every token request kills the previous token (one active token per client).
    pub kills_previous: bool,
    /// Lifetime (s) when the gateway states none.
    pub default_lifetime_s: i64,
    /// Whether the gateway signs what it sends with RSA (`gateway_public_key` verifies it).
    pub gateway_signs: bool,
}

impl std::fmt::Debug for Preset {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Preset({})", self.name)
    }
}

fn boxed<S: Scheme + 'static>(r: Result<S>) -> Result<Box<dyn Scheme>> {
    r.map(|s| Box::new(s) as Box<dyn Scheme>)
}

/// Every preset, in the order the docs list them.
pub static PRESETS: &[Preset] = &[
    Preset {
        name: "paynet",
        c_name: c"paynet",
        scheme: |c| boxed(paynet::Dobw::new(c)),
        flow: FlowKind::ClientCredentials,
        needs_token: false,
        kills_previous: false,
        default_lifetime_s: 300,
        gateway_signs: true,
    },
    Preset {
        name: "paynet-reports",
        c_name: c"paynet-reports",
        scheme: |c| boxed(paynet::Reports::new(c)),
        flow: FlowKind::ClientCredentials,
        needs_token: false,
        kills_previous: false,
        default_lifetime_s: 300,
        gateway_signs: false,
    },
    Preset {
        name: "paynet-jws",
        c_name: c"paynet-jws",
        scheme: |c| boxed(paynet::Jws::new(c)),
        flow: FlowKind::None,
        needs_token: false,
        kills_previous: false,
        default_lifetime_s: 300,
        gateway_signs: true,
    },
    Preset {
        name: "paynet-duitnow-pay",
        c_name: c"paynet-duitnow-pay",
        scheme: |c| boxed(duitnow::DuitNowPay::new(c)),
        flow: FlowKind::None,
        needs_token: false,
        kills_previous: false,
        default_lifetime_s: 300,
        gateway_signs: true,
    },
    Preset {
        name: "netzme",
        c_name: c"netzme",
        scheme: |c| boxed(netzme::Legacy::new(c)),
        flow: FlowKind::NetzmeBasic,
        needs_token: true,
        kills_previous: true,
        default_lifetime_s: 300,
        gateway_signs: false,
    },
    Preset {
        name: "netzme-snap",
        c_name: c"netzme-snap",
        scheme: |c| boxed(snap::Snap::new(c, Encoding::Hex)),
        flow: FlowKind::SnapB2b,
        needs_token: true,
        kills_previous: true,
        default_lifetime_s: 300,
        gateway_signs: true,
    },
    Preset {
        name: "snap",
        c_name: c"snap",
        scheme: |c| boxed(snap::Snap::new(c, Encoding::Base64)),
        flow: FlowKind::SnapB2b,
        needs_token: true,
        kills_previous: false,
        default_lifetime_s: 300,
        gateway_signs: true,
    },
    Preset {
        name: "azupay",
        c_name: c"azupay",
        scheme: |c| boxed(azupay::Azupay::new(c)),
        flow: FlowKind::ClientCredentials,
        needs_token: false,
        kills_previous: false,
        default_lifetime_s: 300,
        gateway_signs: false,
    },
    Preset {
        name: "paytia",
        c_name: c"paytia",
        scheme: |c| boxed(paytia::Paytia::new(c)),
        flow: FlowKind::Paytia,
        needs_token: false,
        kills_previous: false,
        default_lifetime_s: 3600,
        gateway_signs: false,
    },
];

/// The preset called `name`.
pub fn find(name: &str) -> Option<&'static Preset> {
    PRESETS.iter().find(|p| p.name == name)
}

/// Every preset's name (for messages and tests).
pub fn names() -> impl Iterator<Item = &'static str> {
    PRESETS.iter().map(|p| p.name)
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_row_is_consistent() {
        for p in super::PRESETS {
            assert_eq!(p.c_name.to_str().unwrap(), p.name);
            assert_eq!(super::find(p.name).map(|f| f.name), Some(p.name));
            assert!(p.default_lifetime_s > 0);
            if p.needs_token {
                assert_ne!(p.flow, super::FlowKind::None, "{}", p.name);
            }
            if p.kills_previous {
                assert!(p.needs_token, "{}", p.name);
            }
        }
    }
}
