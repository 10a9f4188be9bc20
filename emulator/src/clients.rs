//! What a client of each profile needs to talk to this emulator: the configuration fields (the
//! credentials in force), the token endpoint path, and the per-request inputs the profile
//! requires. Tests in every language read it (`GET /_emulator/clients`) instead of keeping their
//! own per-profile tables, so a new profile needs no test-helper edits.

use crate::config::Config;
use crate::profile::{Endpoint, Profile};
use serde_json::{Map, Value, json};

fn key(pem: &Option<String>, file: &Option<String>) -> (&'static str, Value) {
    match (pem, file) {
        (Some(p), _) => ("private_key", json!(p)),
        (None, f) => (
            "private_key_file",
            json!(f.clone().unwrap_or_else(|| crate::DEFAULT_RSA_KEY_FILE.into())),
        ),
    }
}

/// The configuration fields of a `profile` client accepted by an emulator running `c`.
pub fn client_fields(c: &Config, profile: Profile) -> Value {
    let mut v = match profile {
        Profile::Paynet => json!({"client_id": c.paynet.client_id, "client_secret": c.paynet.client_secret}),
        Profile::PaynetReports => {
            let r = &c.paynet_reports;
            let mut v = json!({"client_id": r.client_id, "client_secret": r.client_secret});
            if let Some(s) = &r.x_signature_secret {
                v["x_signature_secret"] = json!(s);
            }
            v
        }
        Profile::PaynetJws => {
            let j = &c.paynet_jws;
            let (k, f) = key(&j.private_key_pem, &j.private_key_file);
            let mut v = json!({"client_id": j.client_id, k: f});
            if let Some(s) = &j.jws_key {
                v["jws_key"] = json!(s);
            }
            v
        }
        Profile::PaynetDuitnowPay => {
            let d = &c.paynet_duitnow_pay;
            let (k, f) = key(&d.private_key_pem, &d.private_key_file);
            json!({"client_id": d.client_id, "merchant_id": d.merchant_id, "merchant_key": d.merchant_key, k: f})
        }
        Profile::Netzme => json!({"client_id": c.netzme.client_id, "client_secret": c.netzme.client_secret}),
        Profile::NetzmeSnap | Profile::Snap => {
            let s = if profile == Profile::Snap {
                &c.snap
            } else {
                &c.netzme_snap
            };
            let (k, f) = key(&s.private_key_pem, &s.private_key_file);
            json!({"client_id": s.client_id, "client_secret": s.client_secret, k: f})
        }
        Profile::Azupay => {
            let a = &c.azupay;
            json!({"api_key": a.api_key, "client_id": a.client_id, "client_secret": a.client_secret})
        }
        Profile::Paytia => {
            let p = &c.paytia;
            json!({"api_key": p.api_key, "client_id": p.client_id, "client_secret": p.client_secret})
        }
    };
    v["profile"] = json!(profile.name());
    v
}

/// Per-request inputs a `profile` requires (PayNet JWS: a message id), as typed input names.
pub fn per_request(profile: Profile) -> Value {
    match profile {
        Profile::PaynetJws => json!({"message_id": "20240101M0000001"}),
        _ => json!({}),
    }
}

/// Every profile: `{"profile", "config", "token_path" (null without one), "per_request"}`.
pub fn all(c: &Config) -> Value {
    let rows: Vec<Value> = Profile::ALL
        .into_iter()
        .map(|p| {
            let mut row = Map::new();
            row.insert("profile".into(), json!(p.name()));
            row.insert("config".into(), client_fields(c, p));
            row.insert("token_path".into(), json!(Endpoint::for_profile(p).map(Endpoint::path)));
            row.insert("per_request".into(), per_request(p));
            Value::Object(row)
        })
        .collect();
    json!({ "profiles": rows })
}
