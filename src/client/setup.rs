//! Building a client from its configuration: the signer, the token flow, the transport, the
//! lifecycle policy, the shared tiers and the secrets they are keyed and redacted with.

use super::{Inner, SharedSpec};
use crate::cache::config::CacheConfig;
use crate::cache::lifecycle::Policy;
use crate::config::Config;
use crate::error::{Error, Result};
use crate::forks::{self, PerProcess};
use crate::profiles::Signer;
use crate::secret::Redactor;
use crate::token::flows::Flow;
use crate::token::http::{HttpOptions, check_proxy, proxy_from_env};
use std::time::Duration;
use zeroize::Zeroizing;

/// The configuration fields the client reads beside the profile's (the signer accepts them).
pub const CLIENT_FIELDS: &[&str] = &[
    "token_url",
    "token_request_encoding",
    "ca_file",
    "connect_timeout_ms",
    "timeout_ms",
    "proxy",
    "proxy_from_env",
    "max_response_bytes",
    "refresh_margin",
    "wait_timeout_ms",
    "credential_backoff_ms",
    "backoff_base_ms",
    "backoff_max_ms",
    "retry_after_max_s",
    "max_lifetime_s",
    "cache",
];

/// The client's parts from configuration text (profile fields plus the token fields).
pub(super) fn inner(text: &[u8]) -> Result<Inner> {
    forks::register_handler();
    let cfg = Config::parse(text)?;
    let signer = Signer::from_config_with(&cfg, CLIENT_FIELDS)?;
    let preset = signer.preset();
    let flow = Flow::from_config(preset, &cfg)?;
    let ca_pem = cfg.file("ca_file")?;
    let connect_timeout = ms(&cfg, "connect_timeout_ms", 5_000, 600_000)?;
    let timeout = ms(&cfg, "timeout_ms", 15_000, 600_000)?;
    let proxy = match cfg.str("proxy")? {
        Some(p) => {
            check_proxy(&p)?;
            Some(p)
        }
        None if cfg.bool("proxy_from_env")?.unwrap_or(true) => flow
            .as_ref()
            .and_then(|f| url_host(f.url()))
            .and_then(|h| proxy_from_env(&h))
            .filter(|p| check_proxy(p).is_ok()),
        None => None,
    };
    let http = HttpOptions {
        ca_pem,
        connect_timeout,
        timeout,
        proxy,
        max_response_bytes: cfg.int("max_response_bytes", 1024, 64 << 20)?.unwrap_or(1 << 20) as u64,
    };
    let policy = policy(&cfg)?;
    let wait_timeout = ms(
        &cfg,
        "wait_timeout_ms",
        (connect_timeout + timeout).as_millis() as i64 + 1_000,
        3_600_000,
    )?;
    // Checked for every profile, used only by those with a token flow.
    let cache = CacheConfig::from_config(&cfg)?;
    let client_id = cfg.str("client_id")?.unwrap_or_default();
    // Read after the signer checked that every field is known (so reading them here marks
    // no stray field as used).
    let (material, redactor) = key_material(&cfg, &client_id, http.proxy.as_deref())?;
    let shared = flow.as_ref().map(|flow| SharedSpec {
        config: cache,
        identity: format!("{}\n{}\n{client_id}", preset.name, flow.url()),
        material,
        kills_previous: preset.kills_previous,
    });
    let inner = Inner {
        signer,
        flow,
        policy,
        http,
        wait_timeout,
        shared,
        redactor,
        state: PerProcess::new(),
    };
    Ok(inner)
}

/// A duration field in milliseconds (1 to `max`), or `default`.
fn ms(cfg: &Config, key: &str, default: i64, max: i64) -> Result<Duration> {
    Ok(Duration::from_millis(cfg.int(key, 1, max)?.unwrap_or(default) as u64))
}

/// The refresh and backoff policy.
fn policy(cfg: &Config) -> Result<Policy> {
    let mut p = Policy {
        refresh_margin: refresh_margin(cfg)?,
        ..Policy::default()
    };
    if let Some(b) = cfg.int("credential_backoff_ms", 0, 86_400_000)? {
        p.credential_backoff_ms = b;
    }
    if let Some(b) = cfg.int("backoff_base_ms", 1, 3_600_000)? {
        p.backoff_base_ms = b;
    }
    if let Some(b) = cfg.int("backoff_max_ms", 1, 86_400_000)? {
        p.backoff_max_ms = b;
    }
    if let Some(s) = cfg.int("retry_after_max_s", 0, 86_400)? {
        p.retry_after_max_s = s;
    }
    if let Some(m) = cfg.int("max_lifetime_s", 1, 365 * 86_400)? {
        p.max_lifetime_s = m;
    }
    Ok(p)
}

/// The host of an `https://host[:port]/…` URL.
fn url_host(url: &str) -> Option<String> {
    let rest = url.split_once("://")?.1;
    let authority = rest.split(['/', '?', '#']).next()?;
    let authority = authority.rsplit_once('@').map_or(authority, |(_, a)| a);
    Some(if authority.starts_with('[') {
        authority.split(']').next()?.trim_start_matches('[').to_string()
    } else {
        authority.rsplit_once(':').map_or(authority, |(h, _)| h).to_string()
    })
}

/// `refresh_margin`: a fraction of the lifetime.
fn refresh_margin(cfg: &Config) -> Result<f64> {
    let v = cfg.float("refresh_margin")?.unwrap_or(Policy::default().refresh_margin);
    if (0.0..=0.5).contains(&v) {
        Ok(v)
    } else {
        Err(Error::config_invalid("refresh_margin", "must be between 0.0 and 0.5"))
    }
}

/// The credential's secrets: length-prefixed as key material for the shared tiers' encryption,
/// and as a redactor for text the gateway sends back.
fn key_material(cfg: &Config, client_id: &str, proxy: Option<&str>) -> Result<(Zeroizing<Vec<u8>>, Redactor)> {
    let mut out = Zeroizing::new(Vec::new());
    let mut redactor = Redactor::default();
    for key in [
        "client_secret",
        "api_key",
        "secret",
        "x_signature_secret",
        "private_key",
    ] {
        if let Some(s) = cfg.secret(key)? {
            out.extend_from_slice(key.as_bytes());
            out.extend_from_slice(&(s.len() as u64).to_be_bytes());
            out.extend_from_slice(s.expose());
            redactor.add(s.expose());
            if key == "client_secret" {
                redactor.add_basic(client_id.as_bytes(), s.expose());
            }
        }
    }
    if let Some((userinfo, _)) = proxy
        .and_then(|p| p.split_once("://"))
        .and_then(|(_, rest)| rest.rsplit_once('@'))
    {
        redactor.add(userinfo.as_bytes());
        if let Some((_, password)) = userinfo.split_once(':') {
            redactor.add(password.as_bytes());
        }
    }
    Ok((out, redactor))
}
