//! Echo endpoints: requests signed by hand (HMAC / RSA computed here with hmac, sha2 and ring)
//! are accepted, and the same requests with one thing changed are rejected.

mod common;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use common::*;
use payauth_emulator::{Config, Emulator, Profile};
use serde_json::json;

fn start() -> (Emulator, Client) {
    let emu = Emulator::start(Config::default()).expect("start");
    let client = Client::new(&emu);
    (emu, client)
}

fn reason(r: &Resp) -> String {
    r.json()["reason"].as_str().unwrap_or_default().to_string()
}

#[test]
fn hand_signers_match_the_documented_vectors() {
    // providers.md §1.2, §4.2 N1 and §4.3 V2: the test's own signers are right.
    assert_eq!(
        hmac256_hex(b"my_client_secret", b"1700000000"),
        "d21a14882d7cb3107ae340b6920ad74d3b12ba4abc6d9a4139fe2a49a7309190"
    );
    let tok = "cafebface38fe374af5bcf7579a711658585012507d409eebb74f33fa4684711";
    let payload = format!(
        "path=/api/aggregator/merchant/qr/balance/detail?userId=M_pXAFWzCg&method=GET&token=Bearer {tok}&timestamp=1615190625765&body="
    );
    let key = format!("MaREaULkzAUTAFYg-1615190625765-Bearer {tok}");
    assert_eq!(
        hmac256_hex(key.as_bytes(), payload.as_bytes()),
        "cbf99c2f6d5d65b582035a4dee21e67b82a5226f7d9eb7768450d085eac31eb6"
    );
    let body = br#"{"partnerReferenceNo":"ORDER-001","amount":{"value":"10000.00","currency":"IDR"}}"#;
    let sts = format!(
        "POST:/api/v1.0/invoice/create-transaction:eyJhbGciOiJIUzI1NiJ9.dGVzdA.c2ln:{}:2024-01-01T10:00:00+07:00",
        sha256_hex(body)
    );
    let mac = hmac512(b"f013bc2810be469790dc99773c08812e", sts.as_bytes());
    assert!(hex::encode(&mac).starts_with("0fe978431616ca695a7c04a7ffeaedae"));
    assert_eq!(
        STANDARD.encode(&mac),
        "D+l4QxYWymlafASn/+rtru4XEHdqH4dsp5+IDMgBvWaTdApT1B+rUYo+WYP6/eBwWYgfqCy/p4r7k2gk5KhT6Q=="
    );
}

#[test]
fn paynet_and_reports() {
    let (emu, client) = start();
    let token = fetch_token(&client, &emu, "paynet")["access_token"]
        .as_str()
        .unwrap()
        .to_string();
    let auth = format!("Bearer {token}");
    assert_eq!(
        client
            .send("POST", "/echo/paynet/v1/pay", &[("Authorization", &auth)], b"{}")
            .status,
        200
    );
    let lower = format!("bearer {token}");
    assert_eq!(
        client
            .send("GET", "/echo/paynet/v1/pay", &[("Authorization", &lower)], b"")
            .status,
        401
    );
    assert_eq!(
        client
            .send("GET", "/echo/paynet/v1/pay", &[("Authorization", "Bearer nope")], b"")
            .status,
        401
    );
    assert_eq!(client.send("GET", "/echo/paynet/v1/pay", &[], b"").status, 401);

    let rt = fetch_token(&client, &emu, "paynet-reports")["access_token"]
        .as_str()
        .unwrap()
        .to_string();
    let rauth = format!("Bearer {rt}");
    let ts = "1700000000";
    let sig = hmac256_hex(emu.config().paynet_reports.client_secret.as_bytes(), ts.as_bytes());
    let send = |ts: &str, sig: &str, auth: &str| {
        client.send(
            "POST",
            "/echo/paynet-reports/v2/reports/query",
            &[("Authorization", auth), ("X-Timestamp", ts), ("X-Signature", sig)],
            b"{\"query\":\"{}\"}",
        )
    };
    assert_eq!(send(ts, &sig, &rauth).status, 200);
    assert_eq!(reason(&send("1700000001", &sig, &rauth)), "X-Signature mismatch");
    assert_eq!(send(ts, &sig.to_uppercase(), &rauth).status, 401);
    assert_eq!(
        send(ts, &sig, &auth).status,
        401,
        "a paynet token is not a reports token"
    );
    let s = emu.stats();
    assert_eq!((s[Profile::Paynet].echo_ok, s[Profile::Paynet].echo_rejected), (1, 3));
    assert_eq!(
        (
            s[Profile::PaynetReports].echo_ok,
            s[Profile::PaynetReports].echo_rejected
        ),
        (1, 3)
    );
}

fn netzme_post(client: &Client, emu: &Emulator, token: &str, sent: &[u8], signed: &[u8]) -> Resp {
    let c = &emu.config().netzme;
    let path = "/echo/netzme/api/aggregator/fixed_va?x=1&y=2";
    let ts = "1700000000123";
    let auth = format!("Bearer {token}");
    let mut payload = format!("path={path}&method=POST&token={auth}&timestamp={ts}&body=").into_bytes();
    payload.extend_from_slice(signed);
    let sig = hmac256_hex(format!("{}-{ts}-{auth}", c.client_secret).as_bytes(), &payload);
    client.send(
        "POST",
        path,
        &[
            ("Authorization", &auth),
            ("Request-Time", ts),
            ("Signature", &sig),
            ("Client-Id", &c.client_id),
            ("Content-Type", "application/json"),
        ],
        sent,
    )
}

#[test]
fn netzme_legacy_signature() {
    let (emu, client) = start();
    let token = fetch_token(&client, &emu, "netzme")["access_token"]
        .as_str()
        .unwrap()
        .to_string();
    let body = br#"{"amount":"10000","note":"caf\u00e9 \/ x"}"#;
    assert_eq!(netzme_post(&client, &emu, &token, body, body).status, 200);
    let tampered = br#"{"amount":"10001","note":"caf\u00e9 \/ x"}"#;
    let r = netzme_post(&client, &emu, &token, tampered, body);
    assert_eq!((r.status, reason(&r).as_str()), (401, "Signature mismatch"));
    // A minifying gateway (the default) accepts the same JSON sent with whitespace; escapes
    // are bytes, not meaning.
    let spaced = br#"{"amount": "10000","note":"caf\u00e9 \/ x"}"#;
    assert_eq!(
        netzme_post(&client, &emu, &token, spaced, body).status,
        200,
        "minified first"
    );
    let unescaped = "{\"amount\":\"10000\",\"note\":\"café / x\"}".as_bytes();
    assert_eq!(
        netzme_post(&client, &emu, &token, unescaped, body).status,
        401,
        "escapes are kept"
    );
    // An exact-bytes gateway does not.
    emu.set_body_form(payauth_emulator::BodyForm::Exact);
    assert_eq!(
        netzme_post(&client, &emu, &token, spaced, body).status,
        401,
        "bytes, not JSON meaning"
    );
}

fn snap_post(client: &Client, emu: &Emulator, profile: &str, token: &str, sent: &[u8], signed: &[u8]) -> Resp {
    let (cfg, hex_out) = if profile == "snap" {
        (&emu.config().snap, false)
    } else {
        (&emu.config().netzme_snap, true)
    };
    let path = format!("/echo/{profile}/api/v1.0/invoice/create-transaction?channel=web");
    let ts = "2024-01-01T10:00:00+07:00";
    let sts = format!("POST:{path}:{token}:{}:{ts}", sha256_hex(signed));
    let mac = hmac512(cfg.client_secret.as_bytes(), sts.as_bytes());
    let sig = if hex_out {
        hex::encode(mac)
    } else {
        STANDARD.encode(mac)
    };
    client.send(
        "POST",
        &path,
        &[
            ("Authorization", &format!("Bearer {token}")),
            ("X-TIMESTAMP", ts),
            ("X-SIGNATURE", &sig),
            ("X-PARTNER-ID", &cfg.client_id),
            ("X-EXTERNAL-ID", "12345678901234567890123456789012"),
            ("CHANNEL-ID", "44444"),
            ("Content-Type", "application/json"),
        ],
        sent,
    )
}

#[test]
fn snap_and_netzme_snap_signatures() {
    let (emu, client) = start();
    let body = br#"{"partnerReferenceNo":"ORDER-001","amount":{"value":"10000.00","currency":"IDR"}}"#;
    let tampered = br#"{"partnerReferenceNo":"ORDER-002","amount":{"value":"10000.00","currency":"IDR"}}"#;
    for profile in ["snap", "netzme-snap"] {
        let t = fetch_token(&client, &emu, profile)["accessToken"]
            .as_str()
            .unwrap()
            .to_string();
        assert_eq!(
            snap_post(&client, &emu, profile, &t, body, body).status,
            200,
            "{profile}"
        );
        let r = snap_post(&client, &emu, profile, &t, tampered, body);
        assert_eq!(
            (r.status, reason(&r).as_str()),
            (401, "X-SIGNATURE mismatch"),
            "{profile}"
        );
    }
    // The encodings are not interchangeable, and each profile accepts only its own tokens.
    let t = fetch_token(&client, &emu, "snap")["accessToken"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(snap_post(&client, &emu, "netzme-snap", &t, body, body).status, 401);
    // netzme-snap: a newer token kills the older one.
    let old = fetch_token(&client, &emu, "netzme-snap")["accessToken"]
        .as_str()
        .unwrap()
        .to_string();
    let _new = fetch_token(&client, &emu, "netzme-snap");
    assert_eq!(snap_post(&client, &emu, "netzme-snap", &old, body, body).status, 401);
    assert_eq!(emu.stats().killed_token_uses, 1);
}

fn jws(alg: &str, claims: serde_json::Value) -> String {
    let header = format!("{{\"alg\":\"{alg}\",\"typ\":\"JWT\"}}");
    let input = format!(
        "{}.{}",
        b64url(header.as_bytes()),
        b64url(claims.to_string().as_bytes())
    );
    let enc: &'static dyn ring::signature::RsaEncoding = if alg == "RS512" {
        &ring::signature::RSA_PKCS1_SHA512
    } else {
        &ring::signature::RSA_PKCS1_SHA256
    };
    format!("{input}.{}", b64url(&rsa_sign(enc, input.as_bytes())))
}

#[test]
fn paynet_jws() {
    let (emu, client) = start();
    let body = br#"{"data":{"businessMessageId":"20230412BOEEMYK1000ORB00000001","clientMessage":"Client hello"}}"#;
    assert_eq!(
        sha256_hex(body),
        "8fc1f5ed05596aa2952e68ac221f31ee8a87641315c7b091f0bd41266d380739"
    );
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let id = emu.config().paynet_jws.client_id.clone();
    let msg = "20230412BOEEMYK1000ORB00000001";
    let send = |token: &str, sent: &[u8]| {
        client.send(
            "POST",
            "/echo/paynet-jws/v3/admin/sign-off",
            &[
                ("Authorization", &format!("Bearer {token}")),
                ("X-Client-Id", &id),
                ("X-Api-Version", "1.0.0"),
                ("x-business-message-id", msg),
                ("Content-Type", "application/json"),
            ],
            sent,
        )
    };
    for alg in ["RS256", "RS512"] {
        let claims =
            json!({"iss": id, "iat": now, "exp": now + 900, "key": "64feb830", "jti": msg, "ds": sha256_hex(body)});
        let token = jws(alg, claims);
        assert_eq!(send(&token, body).status, 200, "{alg}: {}", send(&token, body).text());
        let r = send(&token, &body[..body.len() - 1]);
        assert_eq!((r.status, reason(&r).as_str()), (401, "ds (body SHA-256) mismatch"));
    }
    let expired = jws(
        "RS256",
        json!({"iss": id, "iat": now - 2000, "exp": now - 1100, "jti": msg, "ds": sha256_hex(body)}),
    );
    assert_eq!(reason(&send(&expired, body)), "JWS expired");
    let wrong_jti = jws(
        "RS256",
        json!({"iss": id, "iat": now, "exp": now + 900, "jti": "other", "ds": sha256_hex(body)}),
    );
    assert_eq!(send(&wrong_jti, body).status, 401);
    let good = jws(
        "RS256",
        json!({"iss": id, "iat": now, "exp": now + 900, "jti": msg, "ds": sha256_hex(body)}),
    );
    let mut forged = good.clone();
    forged.replace_range(forged.len() - 4.., "AAAA");
    assert_eq!(reason(&send(&forged, body)), "JWS signature mismatch");
}

#[test]
fn azupay_and_paytia() {
    let (emu, client) = start();
    let key = emu.config().azupay.api_key.clone();
    assert_eq!(
        client
            .send("GET", "/echo/azupay/v1/balance", &[("Authorization", &key)], b"")
            .status,
        200
    );
    assert_eq!(
        client
            .send(
                "GET",
                "/echo/azupay/v1/balance",
                &[("Authorization", "SECR_other")],
                b""
            )
            .status,
        401
    );
    let t = fetch_token(&client, &emu, "azupay")["access_token"]
        .as_str()
        .unwrap()
        .to_string();
    let bearer = format!("Bearer {t}");
    assert_eq!(
        client
            .send("GET", "/echo/azupay/v1/balance", &[("Authorization", &bearer)], b"")
            .status,
        200
    );

    let p = emu.config().paytia.clone();
    let t = fetch_token(&client, &emu, "paytia")["access_token"]
        .as_str()
        .unwrap()
        .to_string();
    let ok = client.send(
        "POST",
        "/echo/paytia/api/payment_service",
        &[("X-API-KEY", &p.api_key), ("ACCESS-TOKEN", &t)],
        b"amount=1",
    );
    assert_eq!(ok.status, 200);
    assert_eq!(ok.json(), json!({"ok": true}));
    let no_token = client.send(
        "POST",
        "/echo/paytia/api/payment_service",
        &[("X-API-KEY", &p.api_key)],
        b"",
    );
    assert_eq!(no_token.status, 401);
    assert_eq!(client.send("GET", "/echo/nobody/x", &[], b"").status, 404);
}
