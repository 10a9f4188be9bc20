//! The credentials the emulated gateways accept. Every field has a test default, and the JSON
//! form (`serde`) is what the binary's `--config FILE.json` reads; missing fields keep their
//! defaults, unknown fields are rejected.

use serde::{Deserialize, Serialize};

/// The repository's test RSA key (public knowledge, see `tests/vectors/keys/README.md`).
pub const DEFAULT_RSA_KEY_FILE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/vectors/keys/rsa2048-pkcs1.pem");

/// Per-profile credentials.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    pub paynet: ClientCredentials,
    pub paynet_reports: PaynetReportsConfig,
    pub paynet_jws: PaynetJwsConfig,
    pub paynet_duitnow_pay: DuitNowPayConfig,
    pub netzme: ClientCredentials,
    pub netzme_snap: SnapConfig,
    pub snap: SnapConfig,
    pub azupay: AzupayConfig,
    pub paytia: PaytiaConfig,
    /// How signed bodies are checked: `minified` (the documents' rule: the digest or signed copy
    /// covers the minified JSON, so a pretty-printed body verifies) or `exact` (the bytes as
    /// received).
    pub body_form: BodyForm,
}

/// How a verifier reads a signed body.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum BodyForm {
    /// Minify JSON bodies before hashing or comparing them (non-JSON bodies as received).
    #[default]
    Minified,
    /// The bytes as received.
    Exact,
}

/// PayNet DuitNow Pay: the JWT's expected claims; verified with the public key.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DuitNowPayConfig {
    /// Expected `iss`.
    pub client_id: String,
    /// Expected `sub`.
    pub merchant_id: String,
    /// Expected `key`.
    pub merchant_key: String,
    /// As for [`PaynetJwsConfig`].
    pub private_key_pem: Option<String>,
    /// As for [`PaynetJwsConfig`].
    pub private_key_file: Option<String>,
}

impl Default for DuitNowPayConfig {
    fn default() -> Self {
        DuitNowPayConfig {
            client_id: "TESTACQ1".into(),
            merchant_id: "MERCHANT0001".into(),
            merchant_key: "mk-test-2024".into(),
            private_key_pem: None,
            private_key_file: Some(DEFAULT_RSA_KEY_FILE.into()),
        }
    }
}

/// A plain OAuth2-style `client_id` / `client_secret` pair.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ClientCredentials {
    pub client_id: String,
    pub client_secret: String,
}

impl ClientCredentials {
    pub fn new(id: &str, secret: &str) -> Self {
        ClientCredentials {
            client_id: id.into(),
            client_secret: secret.into(),
        }
    }
}

/// PayNet reports: the token credentials plus the `X-Signature` HMAC key.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PaynetReportsConfig {
    pub client_id: String,
    pub client_secret: String,
    /// HMAC key of `X-Signature`; `None` means `client_secret`.
    pub x_signature_secret: Option<String>,
}

impl Default for PaynetReportsConfig {
    fn default() -> Self {
        PaynetReportsConfig {
            client_id: "reports-test-client".into(),
            client_secret: "my_client_secret".into(),
            x_signature_secret: None,
        }
    }
}

impl PaynetReportsConfig {
    pub fn signature_secret(&self) -> &str {
        self.x_signature_secret.as_deref().unwrap_or(&self.client_secret)
    }
}

/// SNAP BI (`snap`) and Netzme vSNAP (`netzme-snap`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SnapConfig {
    pub client_id: String,
    pub client_secret: String,
    /// The RSA private key whose public half verifies signatures: PEM text (PKCS#1 or PKCS#8)
    /// or bare base64 DER. Wins over `private_key_file`.
    pub private_key_pem: Option<String>,
    /// Path of the PEM file of that key (default: the repository's test key).
    pub private_key_file: Option<String>,
}

impl Default for SnapConfig {
    fn default() -> Self {
        SnapConfig {
            client_id: "snap-test-client".into(),
            client_secret: "snap-test-client-secret".into(),
            private_key_pem: None,
            private_key_file: Some(DEFAULT_RSA_KEY_FILE.into()),
        }
    }
}

/// PayNet JWS: no token endpoint; the JWS is verified with the public key.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PaynetJwsConfig {
    /// Expected `iss` claim and `X-Client-Id` header.
    pub client_id: String,
    /// When set, the `key` claim must equal it.
    pub jws_key: Option<String>,
    /// The RSA private key whose public half verifies signatures: PEM text (PKCS#1 or PKCS#8)
    /// or bare base64 DER. Wins over `private_key_file`.
    pub private_key_pem: Option<String>,
    /// Path of the PEM file of that key (default: the repository's test key).
    pub private_key_file: Option<String>,
}

impl Default for PaynetJwsConfig {
    fn default() -> Self {
        PaynetJwsConfig {
            client_id: "TESTMYKL".into(),
            jws_key: None,
            private_key_pem: None,
            private_key_file: Some(DEFAULT_RSA_KEY_FILE.into()),
        }
    }
}

/// Azupay: the raw API key, and the optional OAuth2 client.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AzupayConfig {
    pub api_key: String,
    pub client_id: String,
    pub client_secret: String,
}

impl Default for AzupayConfig {
    fn default() -> Self {
        AzupayConfig {
            api_key: "SECR_TESTBIZ_nR2duCGXlqWSuYJF".into(),
            client_id: "azupay-oauth-test-client".into(),
            client_secret: "azupay-oauth-test-secret".into(),
        }
    }
}

/// Paytia: `X-API-KEY` plus the "enhanced security" client.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PaytiaConfig {
    pub api_key: String,
    pub client_id: String,
    pub client_secret: String,
}

impl Default for PaytiaConfig {
    fn default() -> Self {
        PaytiaConfig {
            api_key: "paytia-test-api-key".into(),
            client_id: "hgCHZzsrsBpDZFwzEzDNSdEsApP1qwa86NxVswjfM0IA=".into(),
            client_secret: "paytia-test-client-secret".into(),
        }
    }
}

impl Default for Config {
    fn default() -> Self {
        Config::new()
    }
}

impl Config {
    /// The test defaults for every profile.
    pub fn new() -> Self {
        Config {
            paynet: ClientCredentials::new("9e0e99f396e74838aeb583d1f06bc03d", "paynet-test-client-secret"),
            paynet_reports: PaynetReportsConfig::default(),
            paynet_jws: PaynetJwsConfig::default(),
            paynet_duitnow_pay: DuitNowPayConfig::default(),
            netzme: ClientCredentials::new("TokoNetmeClientId", "MaREaULkzAUTAFYg"),
            netzme_snap: SnapConfig {
                client_id: "TokoNetmeClientId".into(),
                client_secret: "f013bc2810be469790dc99773c08812e".into(),
                private_key_pem: None,
                private_key_file: Some(DEFAULT_RSA_KEY_FILE.into()),
            },
            snap: SnapConfig::default(),
            azupay: AzupayConfig::default(),
            paytia: PaytiaConfig::default(),
            body_form: BodyForm::Minified,
        }
    }

    /// Parses the JSON form; absent fields keep the defaults of [`Config::new`].
    pub fn from_json(text: &str) -> Result<Config, String> {
        let mut value: serde_json::Value = serde_json::from_str(text).map_err(|e| format!("config: {e}"))?;
        // Fill the per-profile defaults first, then overlay what the file gives.
        let mut base = serde_json::to_value(Config::new()).map_err(|e| e.to_string())?;
        merge(&mut base, value.take());
        serde_json::from_value(base).map_err(|e| format!("config: {e}"))
    }
}

fn merge(base: &mut serde_json::Value, over: serde_json::Value) {
    match (base, over) {
        (serde_json::Value::Object(b), serde_json::Value::Object(o)) => {
            for (k, v) in o {
                match b.get_mut(&k) {
                    Some(slot) => merge(slot, v),
                    None => {
                        b.insert(k, v);
                    }
                }
            }
        }
        (slot, v) => *slot = v,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_overlays_defaults_and_rejects_typos() {
        let c = Config::from_json(r#"{"netzme":{"client_secret":"s"},"paytia":{"api_key":"k"}}"#).unwrap();
        assert_eq!(c.netzme.client_id, Config::default().netzme.client_id);
        assert_eq!(c.netzme.client_secret, "s");
        assert_eq!(c.paytia.api_key, "k");
        assert_eq!(c.snap, Config::default().snap);
        assert!(Config::from_json(r#"{"netzme":{"client_secret_typo":"s"}}"#).is_err());
        assert!(Config::from_json(r#"{"unknown":{}}"#).is_err());
        let round = serde_json::to_string(&Config::default()).unwrap();
        assert_eq!(Config::from_json(&round).unwrap(), Config::default());
    }
}
