//! The `cache` object of a client configuration: which shared tiers to use and how.
//!
//! ```json
//! "cache": {
//!   "host": true,                  // host tier (default on)
//!   "dir": "/run/payauth/app",     // default: $PAYAUTH_CACHE_DIR, $XDG_RUNTIME_DIR/payauth,
//!                                  //   /run/payauth/u<uid>, /var/cache/payauth/u<uid>
//!   "group": "payauth",            // share with every user of this group (dir 2770, files 0660)
//!   "fallback_dir": "/var/tmp/app",// used when `dir` is refused (default: host tier off)
//!   "key_env": "PAYAUTH_CACHE_KEY",// optional extra key material (key / key_env / key_file)
//!   "redis_url": "rediss://cache.internal:6380/0",   // fleet tier (opt-in)
//!   "redis_password_env": "REDIS_PASSWORD",          // or redis_password / _file, or in the URL
//!   "redis_ca_file": "/etc/ssl/redis-ca.pem",         // rediss:// trust (default: system roots)
//!   "redis_timeout_ms": 250, "redis_prefix": "payauth:", "lease_ms": 2000,
//!   "handover_ms": 500, "switch_grace_ms": 1000, "fleet_check_ms": 200
//! }
//! ```

use super::dir::{Sharing, group_id};
use crate::config::Config;
use crate::error::{Error, Result};
use crate::secret::Secret;
use std::path::{Path, PathBuf};
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

/// Where the host tier lives.
#[derive(Debug)]
pub struct HostPlan {
    /// The directory, `None` when no safe default exists (`why_none` says so).
    pub dir: Option<PathBuf>,
    /// Per-user or group-shared.
    pub sharing: Sharing,
    /// Used when `dir` is refused.
    pub fallback: Option<PathBuf>,
    /// Why there is no directory.
    pub why_none: Option<String>,
}

/// The shared tiers' settings.
#[derive(Debug)]
pub struct CacheConfig {
    /// The host tier, `None` when it is off.
    pub host: Option<HostPlan>,
    /// Extra key material mixed into the at-rest encryption key.
    pub key: Option<Secret>,
    /// Fleet tier, when configured.
    pub fleet: Option<FleetConfig>,
    /// For gateways that kill the previous token on every token request: how long a refresher
    /// announces the switch before requesting, so requests signed with the old token land first.
    pub handover_ms: Option<i64>,
    /// How long after the handover readers keep waiting for the new token before they use the
    /// old one again (a refresher stuck on a hung gateway holds nobody back for longer).
    pub switch_grace_ms: i64,
    /// The fleet lease's length; its holder renews it every quarter while its request runs.
    pub lease_ms: i64,
}

/// A directory under which users may make their own (root's, and not open to others unless
/// sticky, like `/tmp`): made by the Debian package as `/run/payauth` (mode 1733).
fn safe_base(p: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    std::fs::symlink_metadata(p)
        .is_ok_and(|m| m.is_dir() && m.uid() == 0 && (m.mode() & 0o002 == 0 || m.mode() & 0o1000 != 0))
}

/// The default host tier directory for this user (or group): `$PAYAUTH_CACHE_DIR`, then
/// `$XDG_RUNTIME_DIR/payauth` (per-user only), then `/run/payauth/u<uid>` (`g<gid>`), then
/// `/var/cache/payauth/u<uid>`. Never a predictable name in a world-writable directory.
pub fn default_dir(sharing: Sharing) -> std::result::Result<PathBuf, String> {
    let var = |k: &str| std::env::var_os(k).filter(|v| !v.is_empty()).map(PathBuf::from);
    if let Some(d) = var("PAYAUTH_CACHE_DIR") {
        return Ok(d);
    }
    let leaf = match sharing {
        Sharing::User => {
            if let Some(d) = var("XDG_RUNTIME_DIR") {
                return Ok(d.join("payauth"));
            }
            // SAFETY: geteuid has no preconditions.
            format!("u{}", unsafe { libc::geteuid() })
        }
        Sharing::Group(gid) => format!("g{gid}"),
    };
    ["/run/payauth", "/var/cache/payauth"]
        .iter()
        .map(Path::new)
        .find(|b| safe_base(b))
        .map(|b| b.join(&leaf))
        .ok_or_else(|| {
            "no safe default directory: set cache.dir, PAYAUTH_CACHE_DIR or XDG_RUNTIME_DIR \
             (the Debian package creates /run/payauth)"
                .to_string()
        })
}

fn path_field(c: &Config, key: &str) -> Result<Option<PathBuf>> {
    match c.str(key)? {
        Some(d) if d.is_empty() => Err(Error::config_invalid(&format!("cache.{key}"), "must not be empty")),
        d => Ok(d.map(PathBuf::from)),
    }
}

impl CacheConfig {
    /// Reads the `cache` object (absent: host tier on in the default directory, no fleet).
    pub fn from_config(cfg: &Config) -> Result<CacheConfig> {
        let empty = Config::parse(b"{}")?;
        let given = cfg.nested("cache")?;
        let c = given.as_ref().unwrap_or(&empty);
        let sharing = match c.str("group")? {
            None => Sharing::User,
            Some(g) => Sharing::Group(
                group_id(&g)
                    .ok_or_else(|| Error::config_invalid("cache.group", format!("no group `{g}` on this host")))?,
            ),
        };
        let (dir, fallback) = (path_field(c, "dir")?, path_field(c, "fallback_dir")?);
        let host = c
            .bool("host")?
            .unwrap_or(true)
            .then(|| host_plan(dir, fallback, sharing));
        let key = c.secret("key")?;
        let handover_ms = c.int("handover_ms", 0, 60_000)?;
        let switch_grace_ms = c.int("switch_grace_ms", 0, 60_000)?.unwrap_or(1_000);
        let lease_ms = c.int("lease_ms", 500, 60_000)?.unwrap_or(2_000);
        let fleet = fleet_config(c)?;
        c.finish("cache")?;
        Ok(CacheConfig {
            host,
            key,
            fleet,
            handover_ms,
            switch_grace_ms,
            lease_ms,
        })
    }
}

/// Where the host tier lives: `cache.dir`, else the default directory (or none, logged, when no
/// default is safe), with the fallback.
fn host_plan(dir: Option<PathBuf>, fallback: Option<PathBuf>, sharing: Sharing) -> HostPlan {
    let (dir, why_none) = match dir {
        Some(d) => (Some(d), None),
        None => match default_dir(sharing) {
            Ok(d) => (Some(d), None),
            Err(why) => (None, Some(why)),
        },
    };
    if let Some(why) = &why_none {
        crate::log::warn("host_dir_none", &format!("host tier off: {why}"));
    }
    HostPlan {
        dir,
        sharing,
        fallback,
        why_none,
    }
}

/// The fleet tier: `cache.redis_url` and its companions (which need it).
fn fleet_config(c: &Config) -> Result<Option<FleetConfig>> {
    let Some(url) = c.secret("redis_url")? else {
        const NEEDS_URL: [&str; 6] = [
            "redis_password",
            "redis_ca_file",
            "redis_timeout_ms",
            "redis_prefix",
            "fleet_check_ms",
            "lease_ms",
        ];
        if let Some(k) = NEEDS_URL.iter().find(|k| c.has(k)) {
            return Err(Error::config_invalid(&format!("cache.{k}"), "needs cache.redis_url"));
        }
        return Ok(None);
    };
    let text = url.expose_str();
    if !(text.starts_with("redis://") || text.starts_with("rediss://")) {
        return Err(Error::config_invalid(
            "cache.redis_url",
            "must start with redis:// or rediss://",
        ));
    }
    Ok(Some(FleetConfig {
        ca_pem: c.file("redis_ca_file")?,
        url,
        password: c.secret("redis_password")?,
        timeout: Duration::from_millis(c.int("redis_timeout_ms", 1, 60_000)?.unwrap_or(250) as u64),
        prefix: c.str("redis_prefix")?.unwrap_or_else(|| "payauth:".into()),
        check_interval_ms: c.int("fleet_check_ms", 0, 60_000)?.unwrap_or(200),
    }))
}
