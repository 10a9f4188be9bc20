//! Token endpoints: issuing with good credentials, refusing bad ones, Netzme's one active token,
//! Paytia's refresh-token rotation, lifetimes and counters.

mod common;

use common::*;
use payauth_emulator::{Config, Emulator, Profile, TokenTtl};
use serde_json::json;

fn start() -> (Emulator, Client) {
    let emu = Emulator::start(Config::default()).expect("start");
    let client = Client::new(&emu);
    (emu, client)
}

#[test]
fn starts_on_loopback_and_stops() {
    let (emu, client) = start();
    assert!(emu.base_url().starts_with("https://127.0.0.1:"));
    assert!(emu.addr().ip().is_loopback());
    assert!(emu.ca_pem().starts_with("-----BEGIN CERTIFICATE-----"));
    // The certificate is valid for the IP and for localhost; keep-alive works.
    let mut conn = client.clone().for_localhost().connect().unwrap();
    assert_eq!(conn.send("GET", "/nowhere", &[], b"").unwrap().status, 404);
    assert_eq!(conn.send("GET", "/_emulator/stats", &[], b"").unwrap().status, 200);
    let addr = emu.addr();
    drop(emu);
    assert!(
        client.try_send("GET", "/", &[], b"").is_err(),
        "server still up at {addr}"
    );
}

#[test]
fn oauth2_form_endpoints() {
    let (emu, client) = start();
    let paynet = fetch_token(&client, &emu, "paynet");
    assert_eq!(paynet["token_type"], "bearer");
    assert_eq!(paynet["scope"], "rpp:merchant");
    assert_eq!(paynet["expires_in"], 86400);
    assert!(paynet["access_token"].as_str().unwrap().len() >= 32);

    let reports = fetch_token(&client, &emu, "paynet-reports");
    assert_eq!(reports["token_type"], "Bearer");
    assert_eq!(reports["expires_in"], 3600);

    let azupay = fetch_token(&client, &emu, "azupay");
    assert_eq!(azupay["token_type"], "Bearer");
    assert_eq!(azupay["expires_in"], 3600);

    for path in ["/auth/token", "/token", "/oauth2/token"] {
        let bad = client.post_form(path, "client_id=x&client_secret=y&grant_type=client_credentials");
        assert_eq!(bad.status, 401, "{path}");
        assert_eq!(
            bad.json(),
            json!({"error":"invalid_client","error_description":"Client authentication failed"})
        );
    }
    let c = &emu.config().paynet;
    let wrong_grant = client.post_form(
        "/auth/token",
        &format!(
            "client_id={}&client_secret={}&grant_type=password",
            c.client_id, c.client_secret
        ),
    );
    assert_eq!(wrong_grant.status, 400);
    assert_eq!(wrong_grant.json()["error"], "unsupported_grant_type");
    let json_body = client.send("POST", "/auth/token", &[("Content-Type", "application/json")], b"{}");
    assert_eq!(json_body.status, 400);
    assert_eq!(client.send("GET", "/auth/token", &[], b"").status, 405);

    let s = emu.stats();
    assert_eq!(s[Profile::Paynet].token_requests, 5);
    assert_eq!(s[Profile::Paynet].tokens_issued, 1);
    assert_eq!(s[Profile::Paynet].token_failures, 4);
    assert_eq!(s[Profile::PaynetReports].token_requests, 2);
    assert_eq!(s[Profile::Azupay].token_failures, 1);
}

#[test]
fn netzme_token_and_one_active_token() {
    let (emu, client) = start();
    let first = fetch_token(&client, &emu, "netzme");
    assert_eq!(first["status"], "SUCCEES");
    assert_eq!(first["token_type"], "bearer");
    assert_eq!(first["username"], emu.config().netzme.client_id.as_str());
    let token = first["access_token"].as_str().unwrap();
    assert_eq!(token.len(), 64);
    assert!(token.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)));
    assert!(
        first["expiry_token"].as_i64().unwrap() > 1_600_000_000_000,
        "absolute epoch ms"
    );

    // Bad credentials: HTTP 200 with a failure status, like the real gateway.
    let bad = client.send(
        "POST",
        "/oauth/merchant/accesstoken",
        &[
            ("Authorization", &basic("TokoNetmeClientId", "wrong")),
            ("Content-Type", "application/json"),
        ],
        br#"{"grant_type":"client_credentials"}"#,
    );
    assert_eq!(bad.status, 200);
    assert_eq!(
        bad.json(),
        json!({"status":"UNAUTHORIZED","message":"invalid credential"})
    );

    // A new token kills the previous one.
    let second = fetch_token(&client, &emu, "netzme");
    let new_token = second["access_token"].as_str().unwrap();
    assert_ne!(token, new_token);
    let old = netzme_get(&client, &emu, token);
    assert_eq!(old.status, 401);
    assert!(old.json()["reason"].as_str().unwrap().contains("superseded"));
    assert_eq!(netzme_get(&client, &emu, new_token).status, 200);
    let s = emu.stats();
    assert_eq!(s.killed_token_uses, 1);
    assert_eq!(s[Profile::Netzme].token_requests, 3);
    assert_eq!(s[Profile::Netzme].token_failures, 1);
    assert_eq!(s[Profile::Netzme].echo_ok, 1);
    assert_eq!(s[Profile::Netzme].echo_rejected, 1);
}

fn netzme_get(client: &Client, emu: &Emulator, token: &str) -> Resp {
    let c = &emu.config().netzme;
    let path = "/echo/netzme/api/aggregator/merchant/qr/balance/detail?userId=M_pXAFWzCg";
    let ts = "1615190625765";
    let auth = format!("Bearer {token}");
    let payload = format!("path={path}&method=GET&token={auth}&timestamp={ts}&body=");
    let sig = hmac256_hex(
        format!("{}-{ts}-{auth}", c.client_secret).as_bytes(),
        payload.as_bytes(),
    );
    client.send(
        "GET",
        path,
        &[
            ("Authorization", &auth),
            ("Request-Time", ts),
            ("Signature", &sig),
            ("Client-Id", &c.client_id),
        ],
        b"",
    )
}

#[test]
fn snap_tokens() {
    let (emu, client) = start();
    let snap = fetch_token(&client, &emu, "snap");
    assert_eq!(snap["responseCode"], "2007300");
    assert_eq!(snap["responseMessage"], "Successful");
    assert_eq!(snap["tokenType"], "Bearer");
    assert_eq!(snap["expiresIn"], json!(900), "a number for snap");
    let nsnap = fetch_token(&client, &emu, "netzme-snap");
    assert_eq!(nsnap["expiresIn"], json!("900"), "a string for netzme-snap");

    // Signature over another timestamp, unknown client, missing header.
    let mut h = snap_token_headers(&emu.config().snap.client_id, "2024-01-01T10:00:00+07:00");
    h[2].1 = "2024-01-01T10:00:01+07:00".into();
    let body = br#"{"grantType":"client_credentials"}"#;
    let bad = client.send("POST", "/snap/api/v1.0/access-token/b2b", &as_refs(&h), body);
    assert_eq!(bad.status, 401);
    assert_eq!(bad.json()["responseCode"], "4017300");
    assert!(
        bad.json()["responseMessage"]
            .as_str()
            .unwrap()
            .starts_with("Unauthorized.")
    );
    let h = snap_token_headers("someone-else", "2024-01-01T10:00:00+07:00");
    assert_eq!(
        client
            .send("POST", "/snap/api/v1.0/access-token/b2b", &as_refs(&h), body)
            .status,
        401
    );
    let h = snap_token_headers(&emu.config().snap.client_id, "2024-01-01T10:00:00+07:00");
    assert_eq!(
        client
            .send("POST", "/snap/api/v1.0/access-token/b2b", &as_refs(&h[..3]), body)
            .status,
        401
    );

    // netzme-snap keeps one active token per client too.
    let second = fetch_token(&client, &emu, "netzme-snap");
    assert_ne!(second["accessToken"], nsnap["accessToken"]);
    let s = emu.stats();
    assert_eq!(s[Profile::Snap].token_failures, 3);
    assert_eq!(s[Profile::NetzmeSnap].tokens_issued, 2);
}

fn paytia(client: &Client, emu: &Emulator, ctype: &str, body: String) -> Resp {
    let key = emu.config().paytia.api_key.clone();
    client.send(
        "POST",
        "/api/authorize",
        &[("X-API-KEY", &key), ("Content-Type", ctype)],
        body.as_bytes(),
    )
}

#[test]
fn paytia_rotation_and_reuse() {
    let (emu, client) = start();
    let c = emu.config().paytia.clone();
    let first = fetch_token(&client, &emu, "paytia");
    assert_eq!(first["expires_in"], 3600);
    let r1 = first["refresh_token"].as_str().unwrap().to_string();

    // Refresh as form-urlencoded (percent-encoding the '=' of the client id).
    let form = format!(
        "client_id={}&client_secret={}&refresh_token={r1}",
        c.client_id.replace('=', "%3D"),
        c.client_secret
    );
    let second = paytia(&client, &emu, "application/x-www-form-urlencoded", form);
    assert_eq!(second.status, 200, "{}", second.text());
    let r2 = second.json()["refresh_token"].as_str().unwrap().to_string();
    assert_ne!(r1, r2);
    assert_ne!(second.json()["access_token"], first["access_token"]);

    // Reusing the rotated-away token fails and is counted.
    let json_reuse = json!({"client_id": c.client_id, "client_secret": c.client_secret, "refresh_token": r1});
    let reuse = paytia(&client, &emu, "application/json", json_reuse.to_string());
    assert_eq!(reuse.status, 401);

    // Refresh as multipart with the current one.
    let boundary = "----emulatortest";
    let part =
        |n: &str, v: &str| format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{n}\"\r\n\r\n{v}\r\n");
    let multipart = format!(
        "{}{}{}--{boundary}--\r\n",
        part("client_id", &c.client_id),
        part("client_secret", &c.client_secret),
        part("refresh_token", &r2)
    );
    let third = paytia(
        &client,
        &emu,
        &format!("multipart/form-data; boundary={boundary}"),
        multipart,
    );
    assert_eq!(third.status, 200, "{}", third.text());

    // No / wrong API key, wrong secret, unknown refresh token.
    let creds = json!({"client_id": c.client_id, "client_secret": c.client_secret}).to_string();
    let no_key = client.send(
        "POST",
        "/api/authorize",
        &[("Content-Type", "application/json")],
        creds.as_bytes(),
    );
    assert_eq!(no_key.status, 401);
    let wrong = json!({"client_id": c.client_id, "client_secret": "nope"}).to_string();
    assert_eq!(paytia(&client, &emu, "application/json", wrong).status, 401);
    let unknown = json!({"client_id": c.client_id, "client_secret": c.client_secret, "refresh_token": "zzz"});
    assert_eq!(
        paytia(&client, &emu, "application/json", unknown.to_string()).status,
        401
    );

    let s = emu.stats();
    assert_eq!(s.refresh_token_reuse, 1);
    assert_eq!(s[Profile::Paytia].token_requests, 7);
    assert_eq!(s[Profile::Paytia].token_refreshes, 4);
    assert_eq!(s[Profile::Paytia].tokens_issued, 3);
    assert_eq!(s[Profile::Paytia].token_failures, 4);
}

#[test]
fn ttl_overrides_and_expiry() {
    let (emu, client) = start();
    emu.set_token_ttl(Profile::Paynet, TokenTtl::ExpiresIn(0));
    let t = fetch_token(&client, &emu, "paynet");
    assert_eq!(t["expires_in"], 0);
    let auth = format!("Bearer {}", t["access_token"].as_str().unwrap());
    let expired = client.send("GET", "/echo/paynet/v1/x", &[("Authorization", &auth)], b"");
    assert_eq!(expired.status, 401);
    assert!(expired.json()["reason"].as_str().unwrap().contains("expired"));
    assert_eq!(emu.stats().expired_token_uses, 1);

    emu.set_token_ttl(Profile::Paynet, TokenTtl::ExpiresIn(-30));
    assert_eq!(fetch_token(&client, &emu, "paynet")["expires_in"], -30);
    emu.set_token_ttl(Profile::Paynet, TokenTtl::ExpiresIn(1_000_000_000_000));
    let huge = fetch_token(&client, &emu, "paynet");
    assert_eq!(huge["expires_in"], 1_000_000_000_000i64);
    let auth = format!("Bearer {}", huge["access_token"].as_str().unwrap());
    assert_eq!(
        client
            .send("GET", "/echo/paynet/v1/x", &[("Authorization", &auth)], b"")
            .status,
        200
    );
    emu.set_token_ttl(Profile::Paynet, TokenTtl::Default);
    assert_eq!(fetch_token(&client, &emu, "paynet")["expires_in"], 86400);

    // Netzme: the absolute expiry follows from the lifetime.
    emu.set_token_ttl(Profile::Netzme, TokenTtl::ExpiresIn(60));
    let before = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64;
    let n = fetch_token(&client, &emu, "netzme");
    let expiry = n["expiry_token"].as_i64().unwrap();
    assert!(
        expiry >= before + 60_000 && expiry < before + 3_600_000,
        "{expiry} vs {before}"
    );
    emu.set_token_ttl(Profile::NetzmeSnap, TokenTtl::ExpiresIn(5));
    assert_eq!(fetch_token(&client, &emu, "netzme-snap")["expiresIn"], "5");
}

#[test]
fn stats_reset_and_single_flight_probe() {
    let (emu, client) = start();
    emu.inject(
        payauth_emulator::Endpoint::Paynet,
        payauth_emulator::Fault::Slow { delay_ms: 60_000 },
        1,
    );
    let slow_client = client.clone();
    let c = emu.config().paynet.clone();
    let form = format!(
        "client_id={}&client_secret={}&grant_type=client_credentials",
        c.client_id, c.client_secret
    );
    let f = form.clone();
    let slow = std::thread::spawn(move || {
        slow_client.connect().unwrap().send(
            "POST",
            "/auth/token",
            &[("Content-Type", "application/x-www-form-urlencoded")],
            f.as_bytes(),
        )
    });
    // Wait (bounded) until the slow request is in flight, then overlap a second one.
    for _ in 0..1000 {
        if emu.stats()[Profile::Paynet].token_requests == 1 {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    assert_eq!(emu.stats()[Profile::Paynet].token_requests, 1);
    assert_eq!(client.post_form("/auth/token", &form).status, 200);
    let s = emu.stats();
    assert_eq!(s[Profile::Paynet].max_concurrent_token_requests, 2);
    assert_eq!(s.total_token_requests(), 2);

    emu.reset_stats();
    let s = emu.stats();
    assert_eq!(s[Profile::Paynet].token_requests, 0);
    // The slow request is still in flight (the fast one may not have left the server yet).
    assert!((1..=2).contains(&s[Profile::Paynet].max_concurrent_token_requests));
    assert_eq!(s.profiles.len(), Profile::ALL.len());
    let json = serde_json::to_value(&s).unwrap();
    assert_eq!(json["profiles"]["paynet-reports"]["token_requests"], 0);
    assert_eq!(json["killed_token_uses"], 0);

    drop(emu); // interrupts the slow request
    assert!(slow.join().unwrap().is_err());
}
