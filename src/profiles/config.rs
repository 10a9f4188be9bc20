//! Reading a profile's JSON configuration: typed field access with precise errors, secrets from
//! the value itself, an environment variable (`X_env`) or a file (`X_file`), and a check that
//! every given field was used (so a misspelt field is an error, never a silent default).

use crate::error::{Error, Result};
use crate::secret::Secret;
use crate::status::{PAYAUTH_CONFIG_JSON, PAYAUTH_CONFIG_SECRET_SOURCE};
use serde_json::{Map, Value};
use std::cell::RefCell;
use std::collections::BTreeSet;

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
        let value = match serde_json::from_slice::<super::strict_json::Strict>(text) {
            Ok(v) => v.0,
            Err(e) if e.to_string().starts_with(super::strict_json::DUPLICATE) => {
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
            Some(v) if super::request::has_control(v.as_bytes()) => {
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

    /// An optional secret: `key` (the value), `key_env` (an environment variable name) or, when
    /// `allow_file`, `key_file` (a path). At most one may be given.
    pub fn secret(&self, key: &str, allow_file: bool) -> Result<Option<Secret>> {
        let env_key = format!("{key}_env");
        let file_key = format!("{key}_file");
        let given: Vec<&str> = [key, env_key.as_str(), file_key.as_str()]
            .into_iter()
            .filter(|k| self.has(k) && (allow_file || *k != file_key))
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
                Value::String(s) => Ok(Some(Secret::new(s.as_bytes().to_vec()))),
                _ => Err(Error::config_invalid(&self.full(key), "must be a string")),
            };
        }
        if let Some(var) = self.str(&env_key)? {
            return match std::env::var_os(&var) {
                Some(v) => match v.into_string() {
                    Ok(s) => Ok(Some(Secret::new(s.into_bytes()))),
                    Err(_) => Err(Error::new(
                        PAYAUTH_CONFIG_SECRET_SOURCE,
                        format!(
                            "environment variable `{var}` (from `{}`) is not valid UTF-8",
                            self.full(&env_key)
                        ),
                    )),
                },
                None => Err(Error::new(
                    PAYAUTH_CONFIG_SECRET_SOURCE,
                    format!(
                        "environment variable `{var}` (from `{}`) is not set",
                        self.full(&env_key)
                    ),
                )),
            };
        }
        if allow_file && let Some(path) = self.str(&file_key)? {
            return std::fs::read(&path).map(|b| Some(Secret::new(b))).map_err(|e| {
                Error::new(
                    PAYAUTH_CONFIG_SECRET_SOURCE,
                    format!("cannot read `{path}` (from `{}`): {}", self.full(&file_key), e.kind()),
                )
            });
        }
        Ok(None)
    }

    /// The contents of the file named by `key` (e.g. a CA bundle), if given.
    pub fn file(&self, key: &str) -> Result<Option<Vec<u8>>> {
        let Some(path) = self.str(key)? else { return Ok(None) };
        std::fs::read(&path).map(Some).map_err(|e| {
            Error::new(
                PAYAUTH_CONFIG_SECRET_SOURCE,
                format!("cannot read {} `{path}`: {}", self.full(key), e.kind()),
            )
        })
    }

    /// A required secret (see [`Config::secret`]).
    pub fn req_secret(&self, key: &str, allow_file: bool) -> Result<Secret> {
        self.secret(key, allow_file)?
            .ok_or_else(|| Error::config_missing(&self.full(key)))
    }

    /// A required secret that is sent verbatim in a header (API keys): control characters are
    /// rejected.
    pub fn req_header_secret(&self, key: &str) -> Result<Secret> {
        let s = self.req_secret(key, false)?;
        if super::request::has_control(s.expose()) {
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
