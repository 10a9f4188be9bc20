//! The `cache` object of a client configuration: which shared tiers to use and how.
//!
//! ```json
//! "cache": {
//!   "host": true,                  // host tier (default on)
//!   "dir": "/run/payauth",         // default: $PAYAUTH_CACHE_DIR, $XDG_RUNTIME_DIR/payauth,
//!                                  //          else /tmp/payauth-<uid>
//!   "key_env": "PAYAUTH_CACHE_KEY",// optional extra key material (key / key_env / key_file)
//!   "redis_url": "rediss://cache.internal:6380/0",   // fleet tier (opt-in)
//!   "redis_password_env": "REDIS_PASSWORD",          // or redis_password / _file, or in the URL
//!   "redis_ca_file": "/etc/ssl/redis-ca.pem",         // rediss:// trust (default: system roots)
//!   "redis_timeout_ms": 250, "redis_prefix": "payauth:",
//!   "handover_ms": 500, "fleet_check_ms": 200
//! }
//! ```

use crate::error::{Error, Result};
use crate::profiles::Config;
use crate::secret::Secret;
use std::path::PathBuf;
use std::time::Duration;

/// The fleet tier's settings.
#[derive(Debug)]
pub struct FleetConfig {
    /// `redis://` or `rediss://` URL (may carry a password; never shown in messages).
    pub url: Secret,
    /// Password given apart from the URL.
    pub password: Option<Secret>,
    /// PEM roots for `rediss://` instead of the system's.
    pub ca_pem: Option<Vec<u8>>,
    /// Connect, read and write timeout of each Redis call.
    pub timeout: Duration,
    /// Prefix of every key.
    pub prefix: String,
    /// How often a hit re-checks Redis for a token replaced on another host (profiles whose
    /// gateway kills the previous token).
    pub check_interval_ms: i64,
}

/// The shared tiers' settings.
#[derive(Debug)]
pub struct CacheConfig {
    /// Host tier directory, `None` when the host tier is off.
    pub host_dir: Option<PathBuf>,
    /// Extra key material mixed into the at-rest encryption key.
    pub key: Option<Secret>,
    /// Fleet tier, when configured.
    pub fleet: Option<FleetConfig>,
    /// For gateways that kill the previous token on every token request: how long a refresher
    /// announces the switch before requesting, so requests signed with the old token land first.
    pub handover_ms: Option<i64>,
}

/// The default host tier directory for this user.
pub fn default_dir() -> PathBuf {
    let var = |k: &str| std::env::var_os(k).filter(|v| !v.is_empty()).map(PathBuf::from);
    if let Some(d) = var("PAYAUTH_CACHE_DIR") {
        return d;
    }
    if let Some(d) = var("XDG_RUNTIME_DIR") {
        return d.join("payauth");
    }
    // SAFETY: geteuid has no preconditions.
    PathBuf::from(format!("/tmp/payauth-{}", unsafe { libc::geteuid() }))
}

impl CacheConfig {
    /// Reads the `cache` object (absent: host tier on in the default directory, no fleet).
    pub fn from_config(cfg: &Config) -> Result<CacheConfig> {
        let Some(c) = cfg.nested("cache")? else {
            return Ok(CacheConfig {
                host_dir: Some(default_dir()),
                key: None,
                fleet: None,
                handover_ms: None,
            });
        };
        let host = c.bool("host")?.unwrap_or(true);
        let dir = c.str("dir")?;
        if dir.as_deref() == Some("") {
            return Err(Error::config_invalid("cache.dir", "must not be empty"));
        }
        let host_dir = host.then(|| dir.map_or_else(default_dir, PathBuf::from));
        let key = c.secret("key", true)?;
        let handover_ms = c.int("handover_ms", 0, 60_000)?;
        let fleet = match c.secret("redis_url", true)? {
            None => {
                for k in [
                    "redis_password",
                    "redis_ca_file",
                    "redis_timeout_ms",
                    "redis_prefix",
                    "fleet_check_ms",
                ] {
                    if c.has(k) {
                        return Err(Error::config_invalid(&format!("cache.{k}"), "needs cache.redis_url"));
                    }
                }
                None
            }
            Some(url) => {
                let text = url.expose_str();
                if !(text.starts_with("redis://") || text.starts_with("rediss://")) {
                    return Err(Error::config_invalid(
                        "cache.redis_url",
                        "must start with redis:// or rediss://",
                    ));
                }
                let ca_pem = c.file("redis_ca_file")?;
                Some(FleetConfig {
                    url,
                    password: c.secret("redis_password", true)?,
                    ca_pem,
                    timeout: Duration::from_millis(c.int("redis_timeout_ms", 1, 60_000)?.unwrap_or(250) as u64),
                    prefix: c.str("redis_prefix")?.unwrap_or_else(|| "payauth:".into()),
                    check_interval_ms: c.int("fleet_check_ms", 0, 60_000)?.unwrap_or(200),
                })
            }
        };
        c.finish("cache")?;
        Ok(CacheConfig {
            host_dir,
            key,
            fleet,
            handover_ms,
        })
    }
}
