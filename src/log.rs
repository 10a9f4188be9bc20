//! What the library has to tell an operator: a refused cache directory, a disk that stopped
//! taking writes, a clock step, a lock taken over from a stuck holder. Lines go to stderr (where
//! PHP-FPM, gunicorn and systemd collect them) as `payauth: <level> <event>: <message>`, at most
//! once a minute for the same event and message. `PAYAUTH_LOG=off|warn|info` sets the level
//! (default `warn`). Messages never carry a secret or a token: callers pass text already free of
//! them.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

/// How important a line is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    /// Something an operator should know (degraded service, a refused directory).
    Warn = 1,
    /// Normal but notable events (a lock taken over, a tier back up).
    Info = 2,
}

impl Level {
    fn name(self) -> &'static str {
        match self {
            Level::Warn => "warn",
            Level::Info => "info",
        }
    }
}

fn threshold() -> u8 {
    static T: OnceLock<u8> = OnceLock::new();
    *T.get_or_init(|| match std::env::var("PAYAUTH_LOG").as_deref() {
        Ok("off") | Ok("0") | Ok("none") => 0,
        Ok("info") | Ok("debug") => 2,
        _ => 1,
    })
}

/// Emits a line unless the same event and message were emitted less than a minute ago.
pub fn emit(level: Level, event: &str, message: &str) {
    if level as u8 > threshold() {
        return;
    }
    static SEEN: Mutex<Option<HashMap<String, i64>>> = Mutex::new(None);
    let now = crate::clock::mono_ms();
    let key = format!("{event}\0{message}");
    {
        let mut seen = SEEN.lock().unwrap_or_else(|p| p.into_inner());
        let map = seen.get_or_insert_with(HashMap::new);
        if map.get(&key).is_some_and(|t| now - t < 60_000) {
            return;
        }
        if map.len() > 256 {
            map.clear();
        }
        map.insert(key, now);
    }
    eprintln!("payauth: {} {event}: {message}", level.name());
}

/// A warning (see [`emit`]).
pub fn warn(event: &str, message: &str) {
    emit(Level::Warn, event, message);
}

/// An informational line (see [`emit`]).
pub fn info(event: &str, message: &str) {
    emit(Level::Info, event, message);
}
