//! The gateway profiles the emulator knows, their token endpoints and default token lifetimes.

use serde::{Deserialize, Serialize};

/// A gateway profile, named as in `docs/profiles.md`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Profile {
    Paynet,
    PaynetReports,
    PaynetJws,
    PaynetDuitnowPay,
    Netzme,
    NetzmeSnap,
    Snap,
    Azupay,
    Paytia,
}

impl Profile {
    /// Every profile, in a fixed order.
    pub const ALL: [Profile; 9] = [
        Profile::Paynet,
        Profile::PaynetReports,
        Profile::PaynetJws,
        Profile::PaynetDuitnowPay,
        Profile::Netzme,
        Profile::NetzmeSnap,
        Profile::Snap,
        Profile::Azupay,
        Profile::Paytia,
    ];

    /// The preset name (`"paynet-reports"`, …).
    pub fn name(self) -> &'static str {
        match self {
            Profile::Paynet => "paynet",
            Profile::PaynetReports => "paynet-reports",
            Profile::PaynetJws => "paynet-jws",
            Profile::PaynetDuitnowPay => "paynet-duitnow-pay",
            Profile::Netzme => "netzme",
            Profile::NetzmeSnap => "netzme-snap",
            Profile::Snap => "snap",
            Profile::Azupay => "azupay",
            Profile::Paytia => "paytia",
        }
    }

    /// Parses a preset name; `_` is accepted for `-`.
    pub fn from_name(name: &str) -> Option<Profile> {
        let name = name.replace('_', "-");
        Profile::ALL.into_iter().find(|p| p.name() == name)
    }

    /// Lifetime (seconds) the token endpoint returns unless `set_token_ttl` overrides it.
    pub fn default_ttl_s(self) -> i64 {
        match self {
            Profile::Paynet => 86_400,
            Profile::Netzme => 36_000,
            Profile::NetzmeSnap | Profile::Snap => 900,
            Profile::PaynetJws | Profile::PaynetDuitnowPay => 900,
            Profile::PaynetReports | Profile::Azupay | Profile::Paytia => 3_600,
        }
    }
}

/// A token endpoint (the target of fault injection).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Endpoint {
    /// PayNet `POST /auth/token`.
    Paynet,
    /// PayNet reports `POST /token`.
    PaynetReports,
    /// Netzme legacy `POST /oauth/merchant/accesstoken` (also `/oauth/token/accesstoken`).
    Netzme,
    /// Netzme vSNAP `POST /netzme-snap/api/v1/access-token/b2b`.
    NetzmeSnap,
    /// SNAP BI `POST /snap/api/v1.0/access-token/b2b`.
    Snap,
    /// Azupay OAuth2 `POST /oauth2/token`.
    Azupay,
    /// Paytia `POST /api/authorize`.
    Paytia,
}

impl Endpoint {
    /// Every token endpoint.
    pub const ALL: [Endpoint; 7] = [
        Endpoint::Paynet,
        Endpoint::PaynetReports,
        Endpoint::Netzme,
        Endpoint::NetzmeSnap,
        Endpoint::Snap,
        Endpoint::Azupay,
        Endpoint::Paytia,
    ];

    /// The canonical request path of this endpoint.
    pub fn path(self) -> &'static str {
        match self {
            Endpoint::Paynet => "/auth/token",
            Endpoint::PaynetReports => "/token",
            Endpoint::Netzme => "/oauth/merchant/accesstoken",
            Endpoint::NetzmeSnap => "/netzme-snap/api/v1/access-token/b2b",
            Endpoint::Snap => "/snap/api/v1.0/access-token/b2b",
            Endpoint::Azupay => "/oauth2/token",
            Endpoint::Paytia => "/api/authorize",
        }
    }

    /// Finds the endpoint served at `path` (query already removed).
    pub fn from_path(path: &str) -> Option<Endpoint> {
        if path == "/oauth/token/accesstoken" {
            return Some(Endpoint::Netzme);
        }
        Endpoint::ALL.into_iter().find(|e| e.path() == path)
    }

    /// The profile whose tokens this endpoint issues.
    pub fn profile(self) -> Profile {
        match self {
            Endpoint::Paynet => Profile::Paynet,
            Endpoint::PaynetReports => Profile::PaynetReports,
            Endpoint::Netzme => Profile::Netzme,
            Endpoint::NetzmeSnap => Profile::NetzmeSnap,
            Endpoint::Snap => Profile::Snap,
            Endpoint::Azupay => Profile::Azupay,
            Endpoint::Paytia => Profile::Paytia,
        }
    }

    /// The token endpoint of `profile`, if it has one (`paynet-jws` has none).
    pub fn for_profile(profile: Profile) -> Option<Endpoint> {
        Endpoint::ALL.into_iter().find(|e| e.profile() == profile)
    }

    /// Parses an endpoint by its profile name (`"netzme-snap"`) or its path (`"/token"`).
    pub fn from_name(name: &str) -> Option<Endpoint> {
        if name.starts_with('/') {
            return Endpoint::from_path(name);
        }
        Profile::from_name(name).and_then(Endpoint::for_profile)
    }
}

/// The lifetime the token endpoints return for new tokens.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenTtl {
    /// The profile's usual lifetime (PayNet 86400 s, reports/Azupay/Paytia 3600 s, Netzme 10 h,
    /// SNAP 900 s).
    Default,
    /// `expires_in` seconds from issue; may be 0, negative or huge (e.g. 10^12). For Netzme the
    /// absolute `expiry_token` (epoch ms) is issue time + this. The token stops being accepted
    /// by the echo endpoints at that instant.
    ExpiresIn(i64),
}
