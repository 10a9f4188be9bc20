//! Reading a profile's JSON configuration: typed field access with precise errors, secrets from
//! the value itself, an environment variable (`X_env`) or a file (`X_file`), and a check that
//! every given field was used (so a misspelt field is an error, never a silent default).

pub mod strict_json;

use crate::error::{Error, Result};
use crate::secret::Secret;
use crate::status::{PAYAUTH_CONFIG_JSON, PAYAUTH_CONFIG_SECRET_SOURCE};
use serde_json::{Map, Value};
use std::cell::RefCell;
use std::collections::BTreeSet;

/// The largest secret file accepted (an RSA-8192 PEM key is under 7 KiB).
pub(crate) const MAX_SECRET_FILE: u64 = 64 * 1024;
/// The largest other file accepted (a CA bundle; the system one is about 200 KiB).
pub(crate) const MAX_CONFIG_FILE: u64 = 4 * 1024 * 1024;

/// Reads a regular file of at most `max` bytes without ever blocking on it (a FIFO, a socket or
/// a device named by mistake is refused, not waited on). The error says why, for the message.
fn read_bounded(path: &str, max: u64) -> std::result::Result<zeroize::Zeroizing<Vec<u8>>, String> {
    use std::io::Read;
    use std::os::unix::fs::OpenOptionsExt;
    let f = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK | libc::O_CLOEXEC | libc::O_NOCTTY)
        .open(path)
        .map_err(|e| e.kind().to_string())?;
    let m = f.metadata().map_err(|e| e.kind().to_string())?;
    if !m.is_file() {
        return Err("not a regular file".into());
    }
    if m.len() > max {
        return Err(format!("larger than {max} bytes"));
    }
    let mut out = zeroize::Zeroizing::new(Vec::with_capacity(m.len() as usize));
    f.take(max + 1)
        .read_to_end(&mut out)
        .map_err(|e| e.kind().to_string())?;
    if out.len() as u64 > max {
        return Err(format!("larger than {max} bytes"));
    }
    Ok(out)
}

/// A JSON configuration object being read by a profile. `prefix` names nested objects in
/// messages (`hmac.secret`).
pub struct Config {
    map: Map<String, Value>,
    prefix: String,
    used: RefCell<BTreeSet<String>>,
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let keys: Vec<&String> = self.map.keys().collect();
        write!(f, "Config{{fields: {keys:?}}}")
    }
}

impl Config {
    /// Parses configuration text (must be a JSON object).
    pub fn parse(text: &[u8]) -> Result<Self> {
        let value = match serde_json::from_slice::<strict_json::Strict>(text) {
            Ok(v) => v.0,
            Err(e) if e.to_string().starts_with(strict_json::DUPLICATE) => {
                let what = e.to_string();
                let field = what.split('`').nth(1).unwrap_or("?").to_string();
                return Err(Error::config_invalid(&field, "is given twice"));
            }
            Err(e) => {
                return Err(Error::new(
                    PAYAUTH_CONFIG_JSON,
                    format!(
                        "configuration is not valid JSON (line {}, column {})",
                        e.line(),
                        e.column()
                    ),
                ));
            }
        };
        match value {
            Value::Object(map) => Ok(Config::from_map(map, String::new())),
            _ => Err(Error::new(PAYAUTH_CONFIG_JSON, "configuration must be a JSON object")),
        }
    }

    fn from_map(map: Map<String, Value>, prefix: String) -> Self {
        Config {
            map,
            prefix,
            used: RefCell::new(BTreeSet::new()),
        }
    }

    fn full(&self, key: &str) -> String {
        format!("{}{key}", self.prefix)
    }

    fn get(&self, key: &str) -> Option<&Value> {
        let v = self.map.get(key)?;
        self.used.borrow_mut().insert(key.to_string());
        if v.is_null() { None } else { Some(v) }
    }

    /// Whether the field is present (and not null).
    pub fn has(&self, key: &str) -> bool {
        self.map.get(key).is_some_and(|v| !v.is_null())
    }

    /// An optional string field.
    pub fn str(&self, key: &str) -> Result<Option<String>> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(Error::config_invalid(&self.full(key), "must be a string")),
        }
    }

    /// A required string field.
    pub fn req_str(&self, key: &str) -> Result<String> {
        self.str(key)?.ok_or_else(|| Error::config_missing(&self.full(key)))
    }

    /// An optional string that will be sent in a header: control characters are rejected.
    pub fn header_value(&self, key: &str) -> Result<Option<String>> {
        match self.str(key)? {
            Some(v) if crate::text::has_control(v.as_bytes()) => {
                Err(Error::config_invalid(&self.full(key), "contains a control character"))
            }
            other => Ok(other),
        }
    }

    /// A required header-safe string (see [`Config::header_value`]).
    pub fn req_header_value(&self, key: &str) -> Result<String> {
        self.header_value(key)?
            .ok_or_else(|| Error::config_missing(&self.full(key)))
    }

    /// An optional boolean field.
    pub fn bool(&self, key: &str) -> Result<Option<bool>> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(_) => Err(Error::config_invalid(&self.full(key), "must be true or false")),
        }
    }

    /// An optional integer field within `[min, max]`.
    pub fn int(&self, key: &str, min: i64, max: i64) -> Result<Option<i64>> {
        match self.get(key) {
            None => Ok(None),
            Some(v) => match v.as_i64() {
                Some(n) if (min..=max).contains(&n) => Ok(Some(n)),
                _ => Err(Error::config_invalid(
                    &self.full(key),
                    format!("must be an integer in {min}..={max}"),
                )),
            },
        }
    }

    /// An optional number field.
    pub fn float(&self, key: &str) -> Result<Option<f64>> {
        match self.get(key) {
            None => Ok(None),
            Some(v) => v
                .as_f64()
                .map(Some)
                .ok_or_else(|| Error::config_invalid(&self.full(key), "must be a number")),
        }
    }

    /// An optional string field restricted to `choices`, mapped by `f`.
    pub fn choice<T>(&self, key: &str, choices: &[&str], f: impl Fn(&str) -> Option<T>) -> Result<Option<T>> {
        match self.str(key)? {
            None => Ok(None),
            Some(s) => f(&s).map(Some).ok_or_else(|| {
                Error::config_invalid(&self.full(key), format!("must be one of {}", choices.join(", ")))
            }),
        }
    }

    /// An optional JSON object field, returned as a map (keys kept in order).
    pub fn object(&self, key: &str) -> Result<Option<Map<String, Value>>> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::Object(m)) => Ok(Some(m.clone())),
            Some(_) => Err(Error::config_invalid(&self.full(key), "must be a JSON object")),
        }
    }

    /// An optional nested configuration object (its own used-field check applies).
    pub fn nested(&self, key: &str) -> Result<Option<Config>> {
        Ok(self
            .object(key)?
            .map(|m| Config::from_map(m, format!("{}{key}.", self.prefix))))
    }

    /// An optional secret: `key` (the value), `key_env` (an environment variable name) or
    /// `key_file` (a path). At most one may be given; an empty secret from any source is refused
    /// (an empty key only ever shows up later as 401s). A file must be a regular file of at most
    /// [`MAX_SECRET_FILE`] bytes (opened without blocking: a FIFO or device is refused, never
    /// waited on); one trailing newline (`\n` or `\r\n`, as `echo` and most secret stores leave)
    /// is removed.
    pub fn secret(&self, key: &str) -> Result<Option<Secret>> {
        let env_key = format!("{key}_env");
        let file_key = format!("{key}_file");
        let given: Vec<&str> = [key, env_key.as_str(), file_key.as_str()]
            .into_iter()
            .filter(|k| self.has(k))
            .collect();
        if given.len() > 1 {
            return Err(Error::config_invalid(
                &self.full(key),
                format!(
                    "give only one of {}",
                    given.iter().map(|k| self.full(k)).collect::<Vec<_>>().join(", ")
                ),
            ));
        }
        if let Some(v) = self.get(key) {
            return match v {
                Value::String(s) if s.is_empty() => {
                    Err(self.empty(key, format!("given inline in `{}`", self.full(key))))
                }
                Value::String(s) => Ok(Some(Secret::new(s.as_bytes().to_vec()))),
                _ => Err(Error::config_invalid(&self.full(key), "must be a string")),
            };
        }
        if let Some(var) = self.str(&env_key)? {
            return self.secret_from_env(key, &var, &self.full(&env_key)).map(Some);
        }
        if let Some(path) = self.str(&file_key)? {
            return self.secret_from_file(key, &path, &self.full(&file_key)).map(Some);
        }
        Ok(None)
    }

    /// `PAYAUTH_CONFIG_SECRET_SOURCE`: the secret `key` is empty (`source` says where from).
    fn empty(&self, key: &str, source: String) -> Error {
        Error::new(
            PAYAUTH_CONFIG_SECRET_SOURCE,
            format!("`{}` is empty ({source})", self.full(key)),
        )
    }

    /// The secret `key` from the environment variable `var` (named by the field `from`).
    fn secret_from_env(&self, key: &str, var: &str, from: &str) -> Result<Secret> {
        let source = |why: &str| {
            Error::new(
                PAYAUTH_CONFIG_SECRET_SOURCE,
                format!("environment variable `{var}` (from `{from}`) {why}"),
            )
        };
        match std::env::var_os(var) {
            Some(v) if v.is_empty() => Err(self.empty(
                key,
                format!("environment variable `{var}` from `{from}` is set but empty"),
            )),
            Some(v) => v
                .into_string()
                .map(|s| Secret::new(s.into_bytes()))
                .map_err(|_| source("is not valid UTF-8")),
            None => Err(source("is not set")),
        }
    }

    /// The secret `key` from the file `path` (named by the field `from`): bounded, regular,
    /// UTF-8, one trailing newline removed.
    fn secret_from_file(&self, key: &str, path: &str, from: &str) -> Result<Secret> {
        let source = |why: String| Error::new(PAYAUTH_CONFIG_SECRET_SOURCE, format!("`{path}` (from `{from}`) {why}"));
        let mut bytes = read_bounded(path, MAX_SECRET_FILE).map_err(|why| {
            Error::new(
                PAYAUTH_CONFIG_SECRET_SOURCE,
                format!("cannot read `{path}` (from `{from}`): {why}"),
            )
        })?;
        let strip = if bytes.ends_with(b"\r\n") {
            2
        } else {
            usize::from(bytes.ends_with(b"\n"))
        };
        let keep = bytes.len() - strip;
        bytes.truncate(keep);
        if bytes.is_empty() {
            return Err(self.empty(key, format!("file `{path}` from `{from}` is empty")));
        }
        if std::str::from_utf8(&bytes).is_err() {
            return Err(source("is not UTF-8 text".into()));
        }
        Ok(Secret::new(std::mem::take(&mut *bytes)))
    }

    /// The contents of the file named by `key` (e.g. a CA bundle), if given: a regular file of
    /// at most [`MAX_CONFIG_FILE`] bytes, opened without blocking.
    pub fn file(&self, key: &str) -> Result<Option<Vec<u8>>> {
        let Some(path) = self.str(key)? else { return Ok(None) };
        read_bounded(&path, MAX_CONFIG_FILE)
            .map(|b| Some(b.to_vec()))
            .map_err(|why| {
                Error::new(
                    PAYAUTH_CONFIG_SECRET_SOURCE,
                    format!("cannot read {} `{path}`: {why}", self.full(key)),
                )
            })
    }

    /// A required secret (see [`Config::secret`]).
    pub fn req_secret(&self, key: &str) -> Result<Secret> {
        self.secret(key)?.ok_or_else(|| Error::config_missing(&self.full(key)))
    }

    /// A required secret that is sent verbatim in a header (API keys): control characters are
    /// rejected.
    pub fn req_header_secret(&self, key: &str) -> Result<Secret> {
        let s = self.req_secret(key)?;
        if crate::text::has_control(s.expose()) {
            return Err(Error::config_invalid(&self.full(key), "contains a control character"));
        }
        Ok(s)
    }

    /// Marks fields as known without reading them (fields used by another layer).
    pub fn allow(&self, keys: &[&str]) {
        let mut used = self.used.borrow_mut();
        for k in keys {
            used.insert((*k).to_string());
        }
    }

    /// Fails on the first field that no reader asked for.
    pub fn finish(&self, profile: &str) -> Result<()> {
        let used = self.used.borrow();
        match self.map.keys().find(|k| !used.contains(*k)) {
            None => Ok(()),
            Some(k) => Err(Error::config_invalid(
                &self.full(k),
                format!("unknown for profile `{profile}`"),
            )),
        }
    }
}
