//! Shared set-up for tests against the loopback gateway emulator.
#![allow(dead_code)]

pub mod procs;
pub mod proxies;
pub mod redis_server;

use payauth::Client;
use payauth::Extra;
use payauth_emulator::{Emulator, Endpoint, Profile};
use serde_json::{Value, json};
use std::path::PathBuf;

/// A running emulator and the CA file clients trust.
pub struct Gateway {
    pub emu: Emulator,
    pub ca_file: PathBuf,
    _dir: TempDir,
}

pub struct TempDir(pub PathBuf);
impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

pub fn temp_dir(tag: &str) -> TempDir {
    static N: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let n = N.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    let dir = std::env::temp_dir().join(format!("payauth-test-{tag}-{}-{n}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    TempDir(dir)
}

pub fn gateway() -> Gateway {
    let emu = Emulator::start(payauth_emulator::Config::default()).expect("emulator starts");
    let dir = temp_dir("ca");
    let ca_file = dir.0.join("ca.pem");
    std::fs::write(&ca_file, emu.ca_pem()).unwrap();
    Gateway {
        emu,
        ca_file,
        _dir: dir,
    }
}

/// Every preset: a new one is tested against the emulator without editing the tests.
pub fn profiles() -> Vec<&'static str> {
    payauth::presets().collect()
}

/// The emulator's token endpoint of `profile` (none for the offline JWS profiles).
pub fn endpoint(profile: &str) -> Option<Endpoint> {
    Endpoint::for_profile(emulator_profile(profile))
}

pub fn emulator_profile(profile: &str) -> Profile {
    Profile::from_name(profile).expect("known profile")
}

impl Gateway {
    /// A client configuration for `profile` with the emulator's credentials, plus `extra` fields.
    pub fn config(&self, profile: &str, extra: Value) -> String {
        let mut v = payauth_emulator::client_fields(self.emu.config(), emulator_profile(profile));
        v["ca_file"] = json!(self.ca_file.to_str().unwrap());
        v["connect_timeout_ms"] = json!(2000);
        v["timeout_ms"] = json!(3000);
        if let Some(e) = endpoint(profile) {
            v["token_url"] = json!(self.emu.url(e.path()));
            // Each gateway (test) has its own host tier directory: a host of its own.
            v["cache"] = json!({"dir": self._dir.0.join("host-cache").to_str().unwrap()});
        }
        for (k, x) in extra.as_object().into_iter().flatten() {
            v[k] = x.clone();
        }
        v.to_string()
    }

    pub fn client(&self, profile: &str, extra: Value) -> Client {
        Client::from_json(self.config(profile, extra).as_bytes()).expect("client builds")
    }

    pub fn token_requests(&self, profile: &str) -> u64 {
        self.emu.stats().profile(emulator_profile(profile)).token_requests
    }

    /// Sends a signed request to the emulator's echo endpoint; returns the HTTP status.
    pub fn send(&self, method: &str, path: &str, headers: &[(String, String)], body: &[u8]) -> u16 {
        let agent = test_agent(&self.emu.ca_pem());
        let url = self.emu.url(path);
        let mut req = agent.post(&url);
        if method == "GET" {
            let mut g = agent.get(&url);
            for (n, v) in headers {
                g = g.header(n.as_str(), v.as_str());
            }
            return g.call().map(|r| r.status().as_u16()).unwrap_or(0);
        }
        for (n, v) in headers {
            req = req.header(n.as_str(), v.as_str());
        }
        req.send(body).map(|r| r.status().as_u16()).unwrap_or(0)
    }
}

pub fn test_agent(ca_pem: &str) -> ureq::Agent {
    let certs: Vec<_> = ureq::tls::parse_pem(ca_pem.as_bytes())
        .filter_map(|i| match i {
            Ok(ureq::tls::PemItem::Certificate(c)) => Some(c),
            _ => None,
        })
        .collect();
    let tls = ureq::tls::TlsConfig::builder()
        .provider(ureq::tls::TlsProvider::Rustls)
        .unversioned_rustls_crypto_provider(std::sync::Arc::new(rustls::crypto::ring::default_provider()))
        .root_certs(ureq::tls::RootCerts::new_with_certs(&certs))
        .build();
    ureq::Agent::config_builder()
        .tls_config(tls)
        .http_status_as_error(false)
        .build()
        .new_agent()
}

/// The per-request inputs the emulator's `profile` needs (from the emulator's own table).
pub fn extra_for(profile: &str) -> Extra {
    let v = payauth_emulator::per_request(emulator_profile(profile));
    Extra::parse(v.to_string().as_bytes()).unwrap()
}

pub fn header(headers: &[(String, String)], name: &str) -> String {
    headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.clone())
        .unwrap_or_default()
}
