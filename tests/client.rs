//! The token client against the loopback HTTPS gateway emulator: single flight, refresh,
//! compare-and-invalidate, every fault kind, and signed requests accepted by the emulator's
//! independent verifier. Assertions are on the emulator's counters, never on durations (the
//! one elapsed-time check is a hang bound far above the configured timeout).

mod common;

use common::*;
use payauth::status::*;
use payauth_emulator::{Endpoint, Fault, Profile, TokenTtl};
use serde_json::json;
use std::sync::Arc;
use std::time::{Duration, Instant};

#[test]
fn every_profile_signs_requests_the_gateway_accepts_and_a_tampered_body_is_rejected() {
    let gw = gateway();
    for profile in profiles() {
        let client = gw.client(profile, json!({}));
        let path = format!("/echo/{profile}/v1/pay?ref=A1&x=2");
        let body = br#"{"amount":{"value":"10.00","currency":"MYR"},"note":"caf\u00e9 \u65e5"}"#;
        let signed = client
            .sign_request("POST", &path, body, 0, extra_for(profile), false)
            .unwrap();
        let headers = signed.headers();
        assert_eq!(gw.send("POST", &path, &headers, body), 200, "{profile}: {headers:?}");
        let tampered = br#"{"amount":{"value":"99.00","currency":"MYR"},"note":"caf\u00e9 \u65e5"}"#;
        let expect_reject = !matches!(profile, "paynet" | "azupay" | "paytia" | "paynet-reports");
        if expect_reject {
            assert_eq!(
                gw.send("POST", &path, &headers, tampered),
                401,
                "{profile} accepted a tampered body"
            );
        }
        let get = format!("/echo/{profile}/v1/balance?id=7");
        let signed = client
            .sign_request("GET", &get, b"", 0, extra_for(profile), false)
            .unwrap();
        assert_eq!(gw.send("GET", &get, &signed.headers(), b""), 200, "{profile} GET");
    }
    let stats = gw.emu.stats();
    for profile in profiles() {
        let p = stats.profile(emulator_profile(profile));
        assert_eq!(p.echo_ok, 2, "{profile}");
        if endpoint(profile).is_some() {
            assert_eq!(p.token_requests, 1, "{profile}: one token for both requests");
        }
    }
}

fn hammer(client: &Arc<payauth::Client>, threads: usize) -> Vec<String> {
    let handles: Vec<_> = (0..threads)
        .map(|_| {
            let c = client.clone();
            std::thread::spawn(move || {
                let s = c
                    .sign_request("GET", "/echo/netzme/x", b"", 0, Default::default(), false)
                    .unwrap();
                header(&s.headers(), "Authorization")
            })
        })
        .collect();
    handles.into_iter().map(|h| h.join().unwrap()).collect()
}

#[test]
fn single_flight_cold_start_expiry_and_invalidation_burst() {
    let gw = gateway();
    gw.emu.set_token_ttl(Profile::Netzme, TokenTtl::ExpiresIn(2));
    let client = Arc::new(gw.client("netzme", json!({})));
    let tokens = hammer(&client, 64);
    assert_eq!(gw.token_requests("netzme"), 1, "64 cold threads, one token request");
    assert!(tokens.iter().all(|t| *t == tokens[0]));
    assert_eq!(gw.emu.stats().profile(Profile::Netzme).max_concurrent_token_requests, 1);

    std::thread::sleep(Duration::from_millis(2300)); // past expiry
    let tokens2 = hammer(&client, 64);
    assert_eq!(gw.token_requests("netzme"), 2, "exactly one refresh at expiry");
    assert!(tokens2.iter().all(|t| *t == tokens2[0] && *t != tokens[0]));

    // A burst of 50 concurrent 401-invalidations of the same token: one refresh.
    gw.emu.set_token_ttl(Profile::Netzme, TokenTtl::Default);
    let client = Arc::new(gw.client("netzme", json!({})));
    let first = hammer(&client, 1).remove(0);
    let before = gw.token_requests("netzme");
    let handles: Vec<_> = (0..50)
        .map(|_| {
            let (c, t) = (client.clone(), first.clone());
            std::thread::spawn(move || {
                c.invalidate(&t).unwrap();
                let s = c
                    .sign_request("GET", "/echo/netzme/x", b"", 0, Default::default(), false)
                    .unwrap();
                header(&s.headers(), "Authorization")
            })
        })
        .collect();
    let after: Vec<String> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    assert_eq!(
        gw.token_requests("netzme"),
        before + 1,
        "one refresh for 50 invalidations"
    );
    assert!(after.iter().all(|t| *t == after[0] && *t != first));
    assert_eq!(gw.emu.stats().killed_token_uses, 0);
}

fn fresh_failure(gw: &Gateway, fault: Fault, extra: serde_json::Value) -> (payauth::Error, Duration) {
    gw.emu.clear_faults();
    gw.emu.inject(Endpoint::Paynet, fault, 1);
    // A host tier of its own: every case starts without another case's shared backoff.
    let dir = temp_dir("fault");
    let mut extra = extra;
    extra["cache"] = json!({"dir": dir.0.join("c").to_str().unwrap()});
    let client = gw.client("paynet", extra);
    let start = Instant::now();
    let e = client
        .sign_request("GET", "/echo/paynet/x", b"", 0, Default::default(), false)
        .unwrap_err();
    (e, start.elapsed())
}

#[test]
fn every_fault_kind_gives_its_status_without_hanging() {
    let gw = gateway();
    let cases: Vec<(Fault, i32)> = vec![
        (Fault::Status(503), PAYAUTH_HTTP_STATUS),
        (Fault::Status(500), PAYAUTH_HTTP_STATUS),
        (Fault::RateLimited { retry_after_s: 30 }, PAYAUTH_RATE_LIMITED),
        (Fault::Slow { delay_ms: 6000 }, PAYAUTH_TIMEOUT),
        (Fault::SlowBody { bytes_per_s: 10 }, PAYAUTH_TIMEOUT),
        (Fault::Reset, PAYAUTH_NETWORK),
        (Fault::Malformed, PAYAUTH_TOKEN_RESPONSE_INVALID),
        (Fault::Truncated, PAYAUTH_TOKEN_RESPONSE_INVALID),
        (Fault::Huge { bytes: 16 << 20 }, PAYAUTH_RESPONSE_TOO_LARGE),
        (Fault::MissingFields, PAYAUTH_TOKEN_RESPONSE_INVALID),
        (
            Fault::Redirect {
                location: "https://127.0.0.1:1/elsewhere".into(),
            },
            PAYAUTH_REDIRECT_REFUSED,
        ),
        (Fault::WrongContentType, PAYAUTH_TOKEN_RESPONSE_INVALID),
        (Fault::InvalidCredentials, PAYAUTH_CREDENTIALS_REJECTED),
    ];
    for (fault, want) in cases {
        let label = format!("{fault:?}");
        let (e, took) = fresh_failure(&gw, fault, json!({"timeout_ms": 1500, "connect_timeout_ms": 1000}));
        assert_eq!(e.code, want, "{label}: {e:?}");
        assert!(
            took < Duration::from_secs(10),
            "{label} blocked for {took:?} (timeout 1.5 s)"
        );
        assert!(
            !e.message.contains(&gw.emu.config().paynet.client_secret),
            "secret in message"
        );
    }
    // Every failure class backs off: no second request.
    for (fault, first) in [
        (Fault::RateLimited { retry_after_s: 30 }, PAYAUTH_RATE_LIMITED),
        (Fault::InvalidCredentials, PAYAUTH_CREDENTIALS_REJECTED),
        (Fault::Status(503), PAYAUTH_HTTP_STATUS),
        (Fault::Malformed, PAYAUTH_TOKEN_RESPONSE_INVALID),
        (Fault::WrongContentType, PAYAUTH_TOKEN_RESPONSE_INVALID),
        (Fault::Reset, PAYAUTH_NETWORK),
    ] {
        gw.emu.clear_faults();
        gw.emu.inject(Endpoint::Paynet, fault, 1);
        let dir = temp_dir("backoff");
        let client = gw.client("paynet", json!({"cache": {"dir": dir.0.join("c").to_str().unwrap()}}));
        let before = gw.token_requests("paynet");
        let sign = || client.sign_request("GET", "/echo/paynet/x", b"", 0, Default::default(), false);
        assert_eq!(sign().unwrap_err().code, first);
        for _ in 0..5 {
            assert_eq!(sign().unwrap_err().code, PAYAUTH_BACKOFF);
        }
        assert_eq!(gw.token_requests("paynet"), before + 1, "backoff honoured");
    }
    // Absurd lifetimes.
    gw.emu.clear_faults();
    for (ttl, ok) in [(0, false), (-5, false), (1_000_000_000_000, true)] {
        gw.emu.set_token_ttl(Profile::Paynet, TokenTtl::ExpiresIn(ttl));
        let client = gw.client("paynet", json!({"cache": {"host": false}}));
        let r = client.sign_request("GET", "/echo/paynet/x", b"", 0, Default::default(), false);
        assert_eq!(r.is_ok(), ok, "expires_in {ttl}: {:?}", r.err());
        if !ok {
            assert_eq!(r.unwrap_err().code, PAYAUTH_TOKEN_RESPONSE_INVALID);
        }
    }
    gw.emu.set_token_ttl(Profile::Paynet, TokenTtl::Default);
    // The process is alive and the gateway usable after all of it.
    let client = gw.client("paynet", json!({"cache": {"host": false}}));
    assert!(
        client
            .sign_request("GET", "/echo/paynet/x", b"", 0, Default::default(), false)
            .is_ok()
    );
}

#[test]
fn a_failed_refresh_serves_the_still_valid_token_and_refreshes_after_the_backoff() {
    let gw = gateway();
    gw.emu.set_token_ttl(Profile::Paynet, TokenTtl::ExpiresIn(6));
    let client = gw.client("paynet", json!({"refresh_margin": 0.5, "backoff_base_ms": 300}));
    let sign = || client.sign_request("GET", "/echo/paynet/x", b"", 0, Default::default(), false);
    let first = header(&sign().unwrap().headers(), "Authorization");
    std::thread::sleep(Duration::from_millis(3700)); // stale (margin 50-60 % of 6 s), not expired
    // The gateway fails every refresh in turn; every call is served the still-valid token.
    for fault in [Fault::Status(503), Fault::Reset, Fault::Malformed] {
        gw.emu.inject(Endpoint::Paynet, fault.clone(), 1);
        let before = gw.token_requests("paynet");
        let deadline = Instant::now() + Duration::from_secs(3);
        while gw.token_requests("paynet") == before && Instant::now() < deadline {
            assert_eq!(header(&sign().unwrap().headers(), "Authorization"), first);
            std::thread::sleep(Duration::from_millis(10));
        }
        std::thread::sleep(Duration::from_millis(50)); // the background attempt records its failure
        assert_eq!(
            header(&sign().unwrap().headers(), "Authorization"),
            first,
            "served after {fault:?}"
        );
    }
    let stats: serde_json::Value = serde_json::from_str(&client.stats_json().unwrap()).unwrap();
    assert_eq!(stats["failures"], 3, "{stats}");
    assert!(stats["background_refreshes"].as_u64().unwrap() >= 3, "{stats}");
    assert!(stats["stale_served"].as_u64().unwrap() >= 3, "{stats}");
    // Once the gateway answers again, a refresh after the backoff replaces the token.
    let deadline = Instant::now() + Duration::from_secs(5);
    let refreshed = loop {
        let t = header(&sign().unwrap().headers(), "Authorization");
        if t != first || Instant::now() > deadline {
            break t;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    assert_ne!(refreshed, first, "refreshed in the background");
}

#[test]
fn paytia_refresh_tokens_rotate_and_are_never_reused() {
    let gw = gateway();
    gw.emu.set_token_ttl(Profile::Paytia, TokenTtl::ExpiresIn(1));
    let client = gw.client("paytia", json!({}));
    for _ in 0..4 {
        let s = client
            .sign_request("GET", "/echo/paytia/x", b"", 0, Default::default(), false)
            .unwrap();
        assert_eq!(gw.send("GET", "/echo/paytia/x", &s.headers(), b""), 200);
        std::thread::sleep(Duration::from_millis(1100));
    }
    let stats = gw.emu.stats();
    assert_eq!(stats.refresh_token_reuse, 0);
    assert!(stats.profile(Profile::Paytia).token_refreshes >= 3, "{stats:?}");
    for encoding in ["multipart", "form"] {
        let c = gw.client("paytia", json!({"token_request_encoding": encoding}));
        assert!(
            c.sign_request("GET", "/echo/paytia/x", b"", 0, Default::default(), false)
                .is_ok(),
            "{encoding}"
        );
    }
}

#[test]
fn netzme_unauthorized_in_a_200_and_an_untrusted_certificate_are_classified() {
    let gw = gateway();
    let client = gw.client("netzme", json!({"client_secret": "wrong"}));
    let e = client
        .sign_request("GET", "/echo/netzme/x", b"", 0, Default::default(), false)
        .unwrap_err();
    assert_eq!(e.code, PAYAUTH_CREDENTIALS_REJECTED, "{e:?}");
    let untrusted = gateway();
    let cfg = untrusted
        .config("paynet", json!({}))
        .replace(untrusted.ca_file.to_str().unwrap(), gw.ca_file.to_str().unwrap());
    let c = payauth::Client::from_json(cfg.as_bytes()).unwrap();
    let e = c
        .sign_request("GET", "/", b"", 0, Default::default(), false)
        .unwrap_err();
    assert_eq!(e.code, PAYAUTH_TLS, "a certificate from another CA is refused: {e:?}");
}

#[test]
fn token_url_must_be_https_and_cache_fields_are_checked() {
    let gw = gateway();
    let bad = [
        (json!({"token_url": "http://127.0.0.1:9/token"}), "token_url"),
        (json!({"token_url": "https://"}), "token_url"),
        (json!({"cache": {"redis_url": "http://x"}}), "cache.redis_url"),
        (json!({"cache": {"redis_password": "x"}}), "cache.redis_password"),
        (json!({"cache": {"dir": ""}}), "cache.dir"),
        (json!({"cache": {"nope": 1}}), "cache.nope"),
        (json!({"cache": {"handover_ms": -1}}), "cache.handover_ms"),
    ];
    for (extra, field) in bad {
        let e = payauth::Client::from_json(gw.config("paynet", extra.clone()).as_bytes()).unwrap_err();
        assert!(
            e.code == payauth::status::PAYAUTH_CONFIG_INVALID_FIELD && e.message.contains(field),
            "{extra}: {e}"
        );
    }
}

#[test]
fn a_bearer_prefixed_token_signs_like_the_bare_token() {
    let gw = gateway();
    let config = gw.config("netzme", json!({}));
    let signer = payauth::Signer::from_json_with(config.as_bytes(), payauth::client::CLIENT_FIELDS).unwrap();
    let sign = |token: &str| {
        let req = payauth::Request::new("GET", "/x", b"", token, 1_700_000_000_000, Default::default()).unwrap();
        signer.sign(&req, false).unwrap().headers()
    };
    assert_eq!(sign("Bearer tok123"), sign("tok123"));
    assert_eq!(header(&sign("Bearer tok123"), "Authorization"), "Bearer tok123");
}
