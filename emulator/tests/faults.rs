//! Every fault, observed on the wire with a raw client.

mod common;

use common::*;
use payauth_emulator::{Config, Emulator, Endpoint, Fault, Profile};
use serde_json::json;
use std::io::ErrorKind;

fn start() -> (Emulator, Client, String) {
    let emu = Emulator::start(Config::default()).expect("start");
    let client = Client::new(&emu);
    let c = &emu.config().paynet;
    let form = format!(
        "client_id={}&client_secret={}&grant_type=client_credentials",
        c.client_id, c.client_secret
    );
    (emu, client, form)
}

#[test]
fn status_and_rate_limit_then_recovery() {
    let (emu, client, form) = start();
    emu.inject(Endpoint::Paynet, Fault::Status(503), 2);
    emu.inject(Endpoint::Paynet, Fault::RateLimited { retry_after_s: 7 }, 1);
    for _ in 0..2 {
        let r = client.post_form("/auth/token", &form);
        assert_eq!(r.status, 503);
        assert_eq!(r.json()["error"], "temporarily_unavailable");
    }
    let r = client.post_form("/auth/token", &form);
    assert_eq!(r.status, 429);
    assert_eq!(r.header("Retry-After"), Some("7"));
    assert_eq!(client.post_form("/auth/token", &form).status, 200, "faults are used up");
    let s = emu.stats()[Profile::Paynet].clone();
    assert_eq!((s.token_requests, s.token_failures, s.tokens_issued), (4, 3, 1));

    // SNAP-shaped error bodies on SNAP endpoints.
    emu.inject(Endpoint::Snap, Fault::Status(500), 1);
    let h = snap_token_headers(&emu.config().snap.client_id, "2024-01-01T10:00:00+07:00");
    let r = client.send(
        "POST",
        "/snap/api/v1.0/access-token/b2b",
        &as_refs(&h),
        br#"{"grantType":"client_credentials"}"#,
    );
    assert_eq!(r.status, 500);
    assert_eq!(r.json()["responseCode"], "5007300");
}

#[test]
fn slow_and_slow_body_still_deliver_a_token() {
    let (emu, client, form) = start();
    emu.inject(Endpoint::Paynet, Fault::Slow { delay_ms: 50 }, 1);
    emu.inject(Endpoint::Paynet, Fault::SlowBody { bytes_per_s: 2000 }, 1);
    for _ in 0..2 {
        let r = client.post_form("/auth/token", &form);
        assert_eq!(r.status, 200);
        assert!(r.complete);
        let token = r.json()["access_token"].as_str().unwrap().to_string();
        let echo = client.send(
            "GET",
            "/echo/paynet/x",
            &[("Authorization", &format!("Bearer {token}"))],
            b"",
        );
        assert_eq!(echo.status, 200);
    }
    assert_eq!(emu.stats()[Profile::Paynet].token_failures, 0);
}

#[test]
fn reset_sends_rst() {
    let (emu, client, form) = start();
    emu.inject(Endpoint::Paynet, Fault::Reset, 1);
    let err = client
        .try_send(
            "POST",
            "/auth/token",
            &[("Content-Type", "application/x-www-form-urlencoded")],
            form.as_bytes(),
        )
        .expect_err("no response");
    assert_eq!(err.kind(), ErrorKind::ConnectionReset, "{err}");
    assert_eq!(client.post_form("/auth/token", &form).status, 200);
}

#[test]
fn malformed_truncated_missing_fields() {
    let (emu, client, form) = start();
    emu.inject(Endpoint::Paynet, Fault::Malformed, 1);
    let r = client.post_form("/auth/token", &form);
    assert_eq!((r.status, r.header("Content-Type")), (200, Some("application/json")));
    assert_eq!(r.body, b"{\"access_token\":");
    assert!(serde_json::from_slice::<serde_json::Value>(&r.body).is_err());

    emu.inject(Endpoint::Paynet, Fault::Truncated, 1);
    let r = client.post_form("/auth/token", &form);
    assert_eq!(r.status, 200);
    assert!(!r.complete, "the body must be cut short");
    assert!(r.body.len() < r.content_length);

    emu.inject(Endpoint::Paynet, Fault::MissingFields, 1);
    let r = client.post_form("/auth/token", &form);
    assert_eq!(r.status, 200);
    assert!(r.json().get("access_token").is_none());
    assert_eq!(r.json()["token_type"], "bearer");

    emu.inject(Endpoint::Snap, Fault::MissingFields, 1);
    let h = snap_token_headers(&emu.config().snap.client_id, "2024-01-01T10:00:00+07:00");
    let r = client.send(
        "POST",
        "/snap/api/v1.0/access-token/b2b",
        &as_refs(&h),
        br#"{"grantType":"client_credentials"}"#,
    );
    assert!(r.json().get("accessToken").is_none());
    assert_eq!(r.json()["responseCode"], "2007300");
    assert_eq!(emu.stats()[Profile::Paynet].token_failures, 3);
}

#[test]
fn huge_body() {
    let (emu, client, form) = start();
    let bytes = 16 * 1024 * 1024;
    emu.inject(Endpoint::Paynet, Fault::Huge { bytes }, 1);
    let r = client.post_form("/auth/token", &form);
    assert_eq!(r.status, 200);
    assert!(r.complete);
    assert_eq!(r.body.len(), bytes);
    let v = r.json();
    assert!(v["access_token"].is_string());
    assert!(v["padding"].as_str().unwrap().len() > bytes - 1024);
}

#[test]
fn redirect_wrong_content_type_invalid_credentials() {
    let (emu, client, form) = start();
    emu.inject(
        Endpoint::Paynet,
        Fault::Redirect {
            location: "https://127.0.0.1:1/elsewhere".into(),
        },
        1,
    );
    let r = client.post_form("/auth/token", &form);
    assert_eq!(r.status, 302);
    assert_eq!(r.header("Location"), Some("https://127.0.0.1:1/elsewhere"));

    emu.inject(Endpoint::Paynet, Fault::WrongContentType, 1);
    let r = client.post_form("/auth/token", &form);
    assert_eq!(r.status, 200);
    assert!(r.header("Content-Type").unwrap().starts_with("text/html"));
    assert!(r.text().contains("<html>"));

    emu.inject(Endpoint::Paynet, Fault::InvalidCredentials, 1);
    let r = client.post_form("/auth/token", &form);
    assert_eq!(r.status, 401);
    assert_eq!(r.json()["error"], "invalid_client");

    emu.inject(Endpoint::Netzme, Fault::InvalidCredentials, 1);
    let c = emu.config().netzme.clone();
    let r = client.send(
        "POST",
        "/oauth/merchant/accesstoken",
        &[
            ("Authorization", &basic(&c.client_id, &c.client_secret)),
            ("Content-Type", "application/json"),
        ],
        br#"{"grant_type":"client_credentials"}"#,
    );
    assert_eq!(r.status, 200);
    assert_eq!(
        r.json(),
        json!({"status":"UNAUTHORIZED","message":"invalid credential"})
    );
}

#[test]
fn faults_via_control_api() {
    let (emu, client, form) = start();
    let r = client.send(
        "POST",
        "/_emulator/fault",
        &[("Content-Type", "application/json")],
        br#"{"endpoint":"paynet","fault":"rate_limited","retry_after_s":3,"times":1}"#,
    );
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(client.post_form("/auth/token", &form).status, 429);
    let r = client.send(
        "POST",
        "/_emulator/fault",
        &[],
        br#"{"endpoint":"paynet","fault":"bogus"}"#,
    );
    assert_eq!(r.status, 400);
    let r = client.send(
        "POST",
        "/_emulator/fault",
        &[],
        br#"{"endpoint":"/auth/token","fault":"status","status":502,"times":5}"#,
    );
    assert_eq!(r.status, 200);
    assert_eq!(client.post_form("/auth/token", &form).status, 502);
    assert_eq!(client.send("POST", "/_emulator/clear-faults", &[], b"").status, 200);
    assert_eq!(client.post_form("/auth/token", &form).status, 200);

    let r = client.send("POST", "/_emulator/ttl", &[], br#"{"profile":"paynet","expires_in":5}"#);
    assert_eq!(r.status, 200);
    assert_eq!(client.post_form("/auth/token", &form).json()["expires_in"], 5);
    let stats = client.send("GET", "/_emulator/stats", &[], b"").json();
    assert_eq!(stats["profiles"]["paynet"]["token_requests"], 4);
    assert_eq!(stats["profiles"]["paynet"]["token_failures"], 2);
    assert_eq!(client.send("POST", "/_emulator/reset", &[], b"").status, 200);
    assert_eq!(emu.stats()[Profile::Paynet].token_requests, 0);
}

#[test]
fn retry_after_as_given_an_echoed_request_and_a_hang_via_the_control_api() {
    let (emu, client, form) = start();
    let date = "Wed, 02 Dec 2026 19:01:00 GMT";
    let body = json!({"endpoint": "paynet", "fault": "status_retry_after", "status": 503, "retry_after": date});
    let r = client.send("POST", "/_emulator/fault", &[], body.to_string().as_bytes());
    assert_eq!(r.status, 200, "{}", r.text());
    let r = client.post_form("/auth/token", &form);
    assert_eq!((r.status, r.header("Retry-After")), (503, Some(date)));
    let body = json!({"endpoint": "paynet", "fault": "echo_request", "status": 500});
    assert_eq!(
        client
            .send("POST", "/_emulator/fault", &[], body.to_string().as_bytes())
            .status,
        200
    );
    let r = client.post_form("/auth/token", &form);
    assert_eq!(r.status, 500);
    assert!(r.text().starts_with("Request was: client_id="), "{}", r.text());
    assert!(r.text().contains(&emu.config().paynet.client_secret));
    // A hang answers nothing; the request counts, and the connection stays open until the
    // client gives up (here: a read timeout).
    emu.inject(Endpoint::Paynet, Fault::Hang, 1);
    let before = emu.stats()[Profile::Paynet].token_requests;
    let mut conn = client.connect().unwrap();
    conn.set_read_timeout(std::time::Duration::from_millis(300));
    let r = conn.send(
        "POST",
        "/auth/token",
        &[("Content-Type", "application/x-www-form-urlencoded")],
        form.as_bytes(),
    );
    assert!(
        r.as_ref()
            .is_err_and(|e| matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut)),
        "no answer to a hang: {:?}",
        r.map(|r| r.status)
    );
    drop(conn);
    assert_eq!(emu.stats()[Profile::Paynet].token_requests, before + 1);
    assert_eq!(
        client.post_form("/auth/token", &form).status,
        200,
        "the hang was used up"
    );
}
