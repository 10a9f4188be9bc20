//! A loopback HTTPS emulator of the payment gateways payauth talks to: the token endpoints of
//! every profile, protected echo endpoints that verify request signatures independently of
//! payauth, Netzme's one-active-token rule, Paytia's refresh-token rotation, counters, and fault
//! injection on the wire.
//!
//! ```no_run
//! use payauth_emulator::{Config, Emulator, Endpoint, Fault};
//! let emu = Emulator::start(Config::default()).unwrap();
//! let url = format!("{}/auth/token", emu.base_url());
//! emu.inject(Endpoint::Paynet, Fault::Status(503), 1);
//! # let _ = url;
//! assert_eq!(emu.stats().profile(payauth_emulator::Profile::Paynet).token_requests, 0);
//! ```
//!
//! Routes (one server, `127.0.0.1` only):
//! * token endpoints — see [`Endpoint::path`];
//! * `ANY /echo/{profile}/…` — 200 `{"ok":true}` or 401 `{"ok":false,"reason":…}`;
//! * `/_emulator/…` — the control API (see the `control` module docs).

mod clients;
mod config;
mod control;
mod faults;
mod forms;
mod http;
mod keys;
mod minify;
mod profile;
mod server;
mod state;
mod stats;
mod tls;
mod tokens;
mod verify;

pub use clients::{client_fields, per_request};
pub use config::{
    AzupayConfig, BodyForm, ClientCredentials, Config, DEFAULT_RSA_KEY_FILE, DuitNowPayConfig, PaynetJwsConfig,
    PaynetReportsConfig, PaytiaConfig, SnapConfig,
};
pub use faults::Fault;
pub use profile::{Endpoint, Profile, TokenTtl};
pub use stats::{ProfileStats, Stats};

use keys::RsaPublicKey;
use state::{Keys, State};
use std::io;
use std::net::{Ipv4Addr, SocketAddr, TcpListener};
use std::sync::Arc;

/// A running emulator. Dropping it stops the server and joins its threads.
pub struct Emulator {
    state: Arc<State>,
    server: server::Server,
    ca_pem: String,
    ca_der: Vec<u8>,
    leaf_pem: (String, String),
}

impl Emulator {
    /// Generates the test PKI, binds `127.0.0.1:0` and starts serving.
    ///
    /// Set `PAYAUTH_EMULATOR_LOG=1` to log requests and faults to stderr.
    pub fn start(config: Config) -> io::Result<Emulator> {
        let key = |pem: &Option<String>, file: &Option<String>| RsaPublicKey::load(pem.as_deref(), file.as_deref());
        let keys = Keys {
            snap: key(&config.snap.private_key_pem, &config.snap.private_key_file)?,
            netzme_snap: key(
                &config.netzme_snap.private_key_pem,
                &config.netzme_snap.private_key_file,
            )?,
            paynet_jws: key(&config.paynet_jws.private_key_pem, &config.paynet_jws.private_key_file)?,
            duitnow_pay: key(
                &config.paynet_duitnow_pay.private_key_pem,
                &config.paynet_duitnow_pay.private_key_file,
            )?,
        };
        let pki = tls::generate()?;
        let log = std::env::var_os("PAYAUTH_EMULATOR_LOG").is_some_and(|v| !v.is_empty() && v != "0");
        let state = Arc::new(State::new(config, keys, log));
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?;
        let server = server::Server::spawn(listener, pki.server_config.clone(), state.clone())?;
        Ok(Emulator {
            state,
            server,
            ca_pem: pki.ca_pem,
            ca_der: pki.ca_der,
            leaf_pem: (pki.leaf_pem, pki.leaf_key_pem),
        })
    }

    /// `https://127.0.0.1:PORT` (the certificate is also valid for `localhost`).
    pub fn base_url(&self) -> String {
        format!("https://127.0.0.1:{}", self.server.addr().port())
    }

    /// `base_url()` + `path`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base_url())
    }

    /// The listening address (always on 127.0.0.1).
    pub fn addr(&self) -> SocketAddr {
        self.server.addr()
    }

    /// The test CA certificate (PEM).
    pub fn ca_pem(&self) -> String {
        self.ca_pem.clone()
    }

    /// The server certificate for `localhost` / `127.0.0.1` and its private key (PEM), issued by
    /// the test CA: other loopback test servers (a TLS redis-server) can present it.
    pub fn leaf_pem(&self) -> (String, String) {
        self.leaf_pem.clone()
    }

    /// The test CA certificate (DER).
    pub fn ca_der(&self) -> Vec<u8> {
        self.ca_der.clone()
    }

    /// The credentials in force.
    pub fn config(&self) -> &Config {
        &self.state.config
    }

    /// A snapshot of the counters.
    pub fn stats(&self) -> Stats {
        self.state.stats()
    }

    /// Zeroes the counters.
    pub fn reset_stats(&self) {
        self.state.reset_stats();
    }

    /// Applies `fault` to the next `times` requests of `endpoint` (after faults already queued
    /// for it). `times == 0` does nothing.
    pub fn inject(&self, endpoint: Endpoint, fault: Fault, times: u32) {
        self.state.inject(endpoint, fault, times);
    }

    /// Drops every queued fault.
    pub fn clear_faults(&self) {
        self.state.clear_faults();
    }

    /// Switches how verifiers read signed bodies (see [`BodyForm`]).
    pub fn set_body_form(&self, form: BodyForm) {
        self.state.set_body_form(form);
    }

    /// Sets the lifetime the token endpoint of `profile` hands out from now on (tokens already
    /// issued keep theirs).
    pub fn set_token_ttl(&self, profile: Profile, ttl: TokenTtl) {
        self.state.set_ttl(profile, ttl);
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        self.server.stop();
    }
}

impl std::fmt::Debug for Emulator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Emulator")
            .field("base_url", &self.base_url())
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn emulator_is_shareable_between_threads() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<super::Emulator>();
        assert_send_sync::<super::Stats>();
    }
}
