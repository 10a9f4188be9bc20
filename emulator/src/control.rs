//! The HTTP control API under `/_emulator/`, for tests that drive the binary from another
//! language:
//!
//! | request | effect |
//! |---|---|
//! | `GET /_emulator/stats` | the counters as JSON ([`crate::Stats`]) |
//! | `POST /_emulator/reset` | zeroes the counters |
//! | `POST /_emulator/fault` `{"endpoint":"netzme","fault":"status","status":503,"times":2}` | queues a fault (names and parameters: [`Fault::from_json`]; e.g. `"status_retry_after"` with `"retry_after":"30"`, `"hang"`, `"echo_request"` with `"status"`) |
//! | `POST /_emulator/clear-faults` | drops every queued fault |
//! | `POST /_emulator/ttl` `{"profile":"netzme","expires_in":5}` (`null` = default) | sets the token lifetime |
//! | `POST /_emulator/body-form` `{"form":"exact"}` (or `"minified"`, the default) | how verifiers read signed bodies |
//! | `GET /_emulator/config` | the credentials in force (test values) |
//! | `GET /_emulator/clients` | per profile: a client's configuration fields, the token path, the per-request inputs it needs ([`crate::clients`]) |

use crate::faults::Fault;
use crate::http::{Request, Response};
use crate::profile::{Endpoint, Profile, TokenTtl};
use crate::state::State;
use serde_json::{Value, json};

/// Serves a control request.
pub fn handle(state: &State, req: &Request) -> Response {
    let result = match (req.method.as_str(), req.path()) {
        ("GET", "/_emulator/stats") => {
            return Response::json(200, &serde_json::to_value(state.stats()).unwrap_or(Value::Null));
        }
        ("GET", "/_emulator/config") => {
            return Response::json(200, &serde_json::to_value(&state.config).unwrap_or(Value::Null));
        }
        ("GET", "/_emulator/clients") => return Response::json(200, &crate::clients::all(&state.config)),
        ("POST", "/_emulator/reset") => {
            state.reset_stats();
            Ok(())
        }
        ("POST", "/_emulator/clear-faults") => {
            state.clear_faults();
            Ok(())
        }
        ("POST", "/_emulator/fault") => fault(state, &req.body),
        ("POST", "/_emulator/ttl") => ttl(state, &req.body),
        ("POST", "/_emulator/body-form") => body_form(state, &req.body),
        (_, "/_emulator/stats" | "/_emulator/config" | "/_emulator/clients" | "/_emulator/reset")
        | (_, "/_emulator/clear-faults" | "/_emulator/fault" | "/_emulator/ttl" | "/_emulator/body-form") => {
            return Response::json(405, &json!({"ok": false, "reason": "method not allowed"}));
        }
        _ => return Response::json(404, &json!({"ok": false, "reason": "unknown control endpoint"})),
    };
    match result {
        Ok(()) => Response::json(200, &json!({"ok": true})),
        Err(reason) => Response::json(400, &json!({"ok": false, "reason": reason})),
    }
}

fn parse(body: &[u8]) -> Result<Value, String> {
    let v: Value = serde_json::from_slice(body).map_err(|e| format!("body is not JSON: {e}"))?;
    if v.is_object() {
        Ok(v)
    } else {
        Err("body is not a JSON object".into())
    }
}

fn body_form(state: &State, body: &[u8]) -> Result<(), String> {
    let v = parse(body)?;
    let form = serde_json::from_value(v.get("form").cloned().unwrap_or(Value::Null))
        .map_err(|_| "\"form\" must be \"minified\" or \"exact\"".to_string())?;
    state.set_body_form(form);
    Ok(())
}

fn fault(state: &State, body: &[u8]) -> Result<(), String> {
    let v = parse(body)?;
    let name = v
        .get("endpoint")
        .and_then(Value::as_str)
        .ok_or("\"endpoint\" is required")?;
    let endpoint = Endpoint::from_name(name).ok_or(format!("unknown token endpoint {name:?}"))?;
    let fault = Fault::from_json(&v)?;
    let times = match v.get("times") {
        None | Some(Value::Null) => 1,
        Some(t) => t.as_u64().and_then(|t| u32::try_from(t).ok()).ok_or("bad \"times\"")?,
    };
    state.inject(endpoint, fault, times);
    Ok(())
}

fn ttl(state: &State, body: &[u8]) -> Result<(), String> {
    let v = parse(body)?;
    let name = v
        .get("profile")
        .and_then(Value::as_str)
        .ok_or("\"profile\" is required")?;
    let profile = Profile::from_name(name).ok_or(format!("unknown profile {name:?}"))?;
    let ttl = match v.get("expires_in") {
        None | Some(Value::Null) => TokenTtl::Default,
        Some(n) => TokenTtl::ExpiresIn(n.as_i64().ok_or("\"expires_in\" must be an integer")?),
    };
    state.set_ttl(profile, ttl);
    Ok(())
}
