//! Fault injection on the token endpoints, produced on the wire with raw access to the socket.

use crate::http::{After, Conn, Request, Response, head_bytes};
use crate::profile::Endpoint;
use crate::state::State;
use crate::tokens;
use serde_json::{Value, json};
use std::io;
use std::time::Duration;

/// A misbehaviour of a token endpoint, applied to its next N requests.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Fault {
    /// That HTTP status with a gateway-shaped JSON error body.
    Status(u16),
    /// That HTTP status with `Retry-After: retry_after` (seconds, or an HTTP-date).
    StatusRetryAfter { status: u16, retry_after: String },
    /// Reads the request and never answers (until the emulator stops or the client gives up).
    Hang,
    /// That HTTP status with a `text/plain` body echoing the request body, as some gateways' and
    /// WAFs' error pages do.
    EchoRequest { status: u16 },
    /// 429 with `Retry-After: retry_after_s`.
    RateLimited { retry_after_s: u32 },
    /// Waits `delay_ms`, then serves the request normally (a real token is issued).
    Slow { delay_ms: u64 },
    /// Serves the request normally (a real token is issued), but sends the headers at once and
    /// trickles the body at about `bytes_per_s`.
    SlowBody { bytes_per_s: u64 },
    /// Closes the TCP connection with SO_LINGER 0 (an RST) without answering.
    Reset,
    /// 200 `application/json` with the body `{"access_token":` (cut-off JSON).
    Malformed,
    /// Announces the full Content-Length, sends half the body, then closes (TLS close_notify).
    Truncated,
    /// 200 with a valid-looking success body padded to `bytes` bytes.
    Huge { bytes: usize },
    /// 200 with the gateway's success body minus its token field.
    MissingFields,
    /// 302 to `location`.
    Redirect { location: String },
    /// 200 `text/html` with an HTML page.
    WrongContentType,
    /// The gateway's answer to bad client credentials.
    InvalidCredentials,
}

impl Fault {
    /// The fault's name in the control API (`"rate_limited"`, …).
    pub fn name(&self) -> &'static str {
        match self {
            Fault::Status(_) => "status",
            Fault::StatusRetryAfter { .. } => "status_retry_after",
            Fault::Hang => "hang",
            Fault::EchoRequest { .. } => "echo_request",
            Fault::RateLimited { .. } => "rate_limited",
            Fault::Slow { .. } => "slow",
            Fault::SlowBody { .. } => "slow_body",
            Fault::Reset => "reset",
            Fault::Malformed => "malformed",
            Fault::Truncated => "truncated",
            Fault::Huge { .. } => "huge",
            Fault::MissingFields => "missing_fields",
            Fault::Redirect { .. } => "redirect",
            Fault::WrongContentType => "wrong_content_type",
            Fault::InvalidCredentials => "invalid_credentials",
        }
    }

    /// Parses the control form `{"fault":"status","status":503}`; parameters sit beside
    /// `"fault"` (`status`, `retry_after_s`, `retry_after`, `delay_ms`, `bytes_per_s`, `bytes`,
    /// `location`).
    pub fn from_json(v: &Value) -> Result<Fault, String> {
        let name = v
            .get("fault")
            .and_then(Value::as_str)
            .ok_or("\"fault\" (a string) is required")?;
        let num = |key: &str| -> Result<u64, String> {
            v.get(key)
                .and_then(Value::as_u64)
                .ok_or(format!("fault {name:?} needs a numeric {key:?}"))
        };
        let fault = match name.replace('-', "_").to_ascii_lowercase().as_str() {
            "status" => {
                let s = num("status")?;
                if !(100..=999).contains(&s) {
                    return Err("status must be 100..=999".into());
                }
                Fault::Status(s as u16)
            }
            "status_retry_after" => Fault::StatusRetryAfter {
                status: u16::try_from(num("status")?).map_err(|e| e.to_string())?,
                retry_after: v
                    .get("retry_after")
                    .and_then(Value::as_str)
                    .ok_or("fault \"status_retry_after\" needs a \"retry_after\" string")?
                    .to_string(),
            },
            "hang" => Fault::Hang,
            "echo_request" => Fault::EchoRequest {
                status: u16::try_from(num("status")?).map_err(|e| e.to_string())?,
            },
            "rate_limited" => Fault::RateLimited {
                retry_after_s: u32::try_from(num("retry_after_s")?).map_err(|e| e.to_string())?,
            },
            "slow" => Fault::Slow {
                delay_ms: num("delay_ms")?,
            },
            "slow_body" => Fault::SlowBody {
                bytes_per_s: num("bytes_per_s")?,
            },
            "reset" => Fault::Reset,
            "malformed" => Fault::Malformed,
            "truncated" => Fault::Truncated,
            "huge" => Fault::Huge {
                bytes: num("bytes")? as usize,
            },
            "missing_fields" => Fault::MissingFields,
            "redirect" => Fault::Redirect {
                location: v
                    .get("location")
                    .and_then(Value::as_str)
                    .ok_or("fault \"redirect\" needs a \"location\"")?
                    .to_string(),
            },
            "wrong_content_type" => Fault::WrongContentType,
            "invalid_credentials" => Fault::InvalidCredentials,
            _ => return Err(format!("unknown fault {name:?}")),
        };
        Ok(fault)
    }
}

/// Serves one token request, applying the next queued fault if any.
pub fn serve_token(
    conn: &mut Conn,
    state: &State,
    endpoint: Endpoint,
    req: &Request,
    keep_alive: bool,
) -> io::Result<After> {
    let profile = endpoint.profile();
    let _in_flight = state.begin_token_request(profile);
    let fault = state.take_fault(endpoint);
    if let (true, Some(f)) = (state.log, &fault) {
        eprintln!("payauth-emulator: fault {f:?} on {}", endpoint.path());
    }
    match fault {
        None => send(conn, &tokens::handle(state, endpoint, req), keep_alive),
        Some(Fault::Hang) => {
            state.count_token_failure(profile);
            while state.sleep(Duration::from_millis(100)) {
                if conn.peer_closed() {
                    break;
                }
            }
            Ok(After::Abort)
        }
        Some(Fault::Slow { delay_ms }) => {
            if !state.sleep(Duration::from_millis(delay_ms)) {
                return Ok(After::Abort);
            }
            send(conn, &tokens::handle(state, endpoint, req), keep_alive)
        }
        Some(Fault::SlowBody { bytes_per_s }) => {
            let resp = tokens::handle(state, endpoint, req);
            conn.write_raw(&head_bytes(resp.status, &resp.headers, resp.body.len(), keep_alive))?;
            trickle(conn, state, &resp.body, bytes_per_s.max(1))?;
            Ok(After::from_keep_alive(keep_alive))
        }
        Some(fault) => {
            state.count_token_failure(profile);
            misbehave(conn, state, endpoint, req, fault, keep_alive)
        }
    }
}

fn send(conn: &mut Conn, resp: &Response, keep_alive: bool) -> io::Result<After> {
    conn.send(resp, keep_alive)?;
    Ok(After::from_keep_alive(keep_alive))
}

fn misbehave(
    conn: &mut Conn,
    state: &State,
    endpoint: Endpoint,
    req: &Request,
    fault: Fault,
    keep_alive: bool,
) -> io::Result<After> {
    match fault {
        Fault::Status(status) => {
            let msg = format!("injected fault: HTTP {status}");
            send(conn, &tokens::error_response(endpoint, status, &msg), keep_alive)
        }
        Fault::StatusRetryAfter { status, retry_after } => {
            let msg = format!("injected fault: HTTP {status}");
            let resp = tokens::error_response(endpoint, status, &msg).header("Retry-After", &retry_after);
            send(conn, &resp, keep_alive)
        }
        Fault::EchoRequest { status } => {
            let mut body = b"Request was: ".to_vec();
            body.extend_from_slice(req.body.as_slice());
            for (n, v) in &req.headers {
                body.extend_from_slice(format!("\n{n}: {v}").as_bytes());
            }
            send(conn, &Response::with_type(status, "text/plain", body), keep_alive)
        }
        Fault::RateLimited { retry_after_s } => {
            let resp = tokens::error_response(endpoint, 429, "injected fault: rate limited")
                .header("Retry-After", &retry_after_s.to_string());
            send(conn, &resp, keep_alive)
        }
        Fault::Reset => {
            conn.arm_reset();
            Ok(After::Abort)
        }
        Fault::Malformed => {
            let resp = Response::with_type(200, "application/json", b"{\"access_token\":".to_vec());
            send(conn, &resp, keep_alive)
        }
        Fault::Truncated => {
            let body = fake_success(state, endpoint).to_string().into_bytes();
            let head = head_bytes(200, &json_type(), body.len(), false);
            conn.write_raw(&head)?;
            conn.write_raw(&body[..body.len() / 2])?;
            conn.close_notify()?;
            Ok(After::Abort)
        }
        Fault::Huge { bytes } => huge(conn, state, endpoint, bytes, keep_alive),
        Fault::MissingFields => {
            let mut body = fake_success(state, endpoint);
            if let Some(obj) = body.as_object_mut() {
                obj.remove(tokens::token_field(endpoint));
            }
            send(conn, &Response::json(200, &body), keep_alive)
        }
        Fault::Redirect { location } => {
            let resp = Response::with_type(302, "text/plain", Vec::new()).header("Location", &location);
            send(conn, &resp, keep_alive)
        }
        Fault::WrongContentType => {
            let html = b"<!DOCTYPE html><html><head><title>Maintenance</title></head>\
                         <body><h1>Service temporarily under maintenance</h1></body></html>";
            send(
                conn,
                &Response::with_type(200, "text/html; charset=utf-8", html.to_vec()),
                keep_alive,
            )
        }
        Fault::InvalidCredentials => send(conn, &tokens::invalid_credentials(endpoint), keep_alive),
        Fault::Slow { .. } | Fault::SlowBody { .. } | Fault::Hang => unreachable!("handled by serve_token"),
    }
}

fn json_type() -> Vec<(String, String)> {
    vec![("Content-Type".into(), "application/json".into())]
}

/// A success body whose token is not registered (a fault never hands out a usable token).
fn fake_success(state: &State, endpoint: Endpoint) -> Value {
    let issued = state.fake_issued(endpoint.profile());
    let refresh = (endpoint == Endpoint::Paytia).then(|| state.fake_issued(endpoint.profile()).token);
    tokens::success_body(endpoint, &issued, refresh.as_deref(), "emulator")
}

fn huge(conn: &mut Conn, state: &State, endpoint: Endpoint, bytes: usize, keep_alive: bool) -> io::Result<After> {
    let mut body = fake_success(state, endpoint);
    if let Some(obj) = body.as_object_mut() {
        obj.insert("padding".into(), json!(""));
    }
    let text = body.to_string();
    // Split around the empty padding string, wherever the serializer placed it.
    let marker = "\"padding\":\"\"";
    let at = text.find(marker).expect("padding key present") + marker.len() - 1;
    let (prefix, suffix) = text.split_at(at);
    let pad = bytes.saturating_sub(prefix.len() + suffix.len());
    conn.write_raw(&head_bytes(
        200,
        &json_type(),
        prefix.len() + pad + suffix.len(),
        keep_alive,
    ))?;
    conn.write_raw(prefix.as_bytes())?;
    let chunk = vec![b'x'; 64 * 1024];
    let mut left = pad;
    while left > 0 {
        if state.is_shutting_down() {
            return Ok(After::Abort);
        }
        let n = left.min(chunk.len());
        conn.write_raw(&chunk[..n])?;
        left -= n;
    }
    conn.write_raw(suffix.as_bytes())?;
    Ok(After::from_keep_alive(keep_alive))
}

fn trickle(conn: &mut Conn, state: &State, body: &[u8], bytes_per_s: u64) -> io::Result<()> {
    let step = (bytes_per_s / 10).max(1) as usize;
    let pause = Duration::from_nanos((step as u64).saturating_mul(1_000_000_000) / bytes_per_s);
    for (i, piece) in body.chunks(step).enumerate() {
        if i > 0 && !state.sleep(pause) {
            return Err(io::ErrorKind::Interrupted.into());
        }
        conn.write_raw(piece)?;
    }
    Ok(())
}
