//! What a new user meets on day one, against the emulator: bodies as HTTP libraries send them
//! (pretty-printed, PHP-escaped) verified the way a minifying gateway does and the way an
//! exact-bytes one does; token requests through real proxies (tinyproxy, microsocks); secrets
//! from files (a FIFO, a trailing newline, an empty file); request validation.

mod common;

use common::proxies::Proxy;
use common::*;
use payauth::Client;
use payauth::status::*;
use payauth_emulator::BodyForm;
use serde_json::json;

#[test]
fn worker() {
    common::procs::worker_main();
}

const PRETTY: &[u8] = b"{\n  \"partnerReferenceNo\": \"ORDER-9\",\n  \"amount\": {\"value\": \"10000.00\", \"currency\": \"IDR\"},\n  \"note\": \"caf\\u00e9 \\/ x y\"\n}\n";

#[test]
fn pretty_bodies_verify_at_minifying_and_exact_gateways_when_the_result_body_is_sent() {
    let gw = gateway();
    for profile in ["snap", "netzme-snap", "paynet-jws", "netzme"] {
        let client = gw.client(profile, json!({}));
        let path = format!("/echo/{profile}/v1.0/invoice");
        let signed = client
            .sign_request("POST", &path, PRETTY, 0, extra_for(profile), false)
            .unwrap();
        let to_send = signed.body().expect("a pretty body is minified").to_vec();
        assert_eq!(to_send, payauth::json_minify(PRETTY).unwrap(), "{profile}");
        let headers = signed.headers();
        gw.emu.set_body_form(BodyForm::Minified);
        assert_eq!(
            gw.send("POST", &path, &headers, &to_send),
            200,
            "{profile}: minified sent"
        );
        assert_eq!(
            gw.send("POST", &path, &headers, PRETTY),
            200,
            "{profile}: a minifying gateway"
        );
        gw.emu.set_body_form(BodyForm::Exact);
        assert_eq!(
            gw.send("POST", &path, &headers, &to_send),
            200,
            "{profile}: exact, minified sent"
        );
        assert_eq!(
            gw.send("POST", &path, &headers, PRETTY),
            401,
            "{profile}: exact, pretty sent"
        );
        // The exact-bytes option signs what it is given.
        let exact = gw.client(profile, json!({"body_form": "exact"}));
        let s = exact
            .sign_request("POST", &path, PRETTY, 0, extra_for(profile), false)
            .unwrap();
        assert!(s.body().is_none());
        assert_eq!(
            gw.send("POST", &path, &s.headers(), PRETTY),
            200,
            "{profile}: body_form exact"
        );
        gw.emu.set_body_form(BodyForm::Minified);
        // An already-minified body is sent as given; a non-JSON body is covered as it is.
        let min = client
            .sign_request("POST", &path, &to_send, 0, extra_for(profile), true)
            .unwrap();
        assert!(min.body().is_none(), "{profile}");
        assert_eq!(min.find_explain(b"body_form"), Some(&b"minified JSON (as given)"[..]));
        let form = client
            .sign_request("POST", &path, b"a=1 &b=2", 0, extra_for(profile), true)
            .unwrap();
        assert!(form.body().is_none());
        assert_eq!(form.find_explain(b"body_form"), Some(&b"exact bytes (not JSON)"[..]));
        assert_eq!(
            gw.send("POST", &path, &form.headers(), b"a=1 &b=2"),
            200,
            "{profile}: not JSON"
        );
    }
}

fn token_via(gw: &Gateway, extra: serde_json::Value) -> payauth::Result<String> {
    let dir = temp_dir("proxy-cache");
    let mut extra = extra;
    extra["cache"] = json!({"dir": dir.0.join("c").to_str().unwrap()});
    let client = Client::from_json(gw.config("paynet", extra).as_bytes())?;
    let s = client.sign_request("GET", "/echo/paynet/x", b"", 0, Default::default(), false)?;
    Ok(header(&s.headers(), "Authorization"))
}

#[test]
fn token_requests_go_through_http_connect_and_socks5_proxies() {
    let gw = gateway();
    let port = gw.emu.addr().port();
    let http = Proxy::http(None);
    let t = token_via(&gw, json!({"proxy": format!("http://127.0.0.1:{}", http.port)})).unwrap();
    assert!(t.starts_with("Bearer "));
    assert_eq!(http.relayed_to(port), 1, "the CONNECT went through tinyproxy");
    let socks = Proxy::socks5();
    token_via(&gw, json!({"proxy": format!("socks5://127.0.0.1:{}", socks.port)})).unwrap();
    assert_eq!(socks.relayed_to(port), 1, "the connection went through microsocks");
    // Credentials: right ones pass, wrong ones fail without the password in the message.
    let authed = Proxy::http(Some(("payauth", "s3cret-proxy-pw")));
    let ok = format!("http://payauth:s3cret-proxy-pw@127.0.0.1:{}", authed.port);
    token_via(&gw, json!({"proxy": ok})).unwrap();
    assert_eq!(authed.relayed_to(port), 1);
    let bad = format!("http://payauth:wrong-pw-4711@127.0.0.1:{}", authed.port);
    let e = token_via(&gw, json!({"proxy": bad})).unwrap_err();
    assert!(!e.message.contains("wrong-pw-4711"), "{e}");
    assert_ne!(e.code, PAYAUTH_PANIC);
    // An unknown scheme is refused when the client is made, never a panic later.
    let e = token_via(&gw, json!({"proxy": "gopher://127.0.0.1:70"})).unwrap_err();
    assert_eq!(e.code, PAYAUTH_CONFIG_INVALID_FIELD, "{e}");
}

#[test]
fn proxies_from_the_environment_are_honoured_unless_no_proxy_or_switched_off() {
    use common::procs::Spawn;
    let gw = gateway();
    let port = gw.emu.addr().port();
    let proxy = Proxy::http(None);
    let via = format!("http://127.0.0.1:{}", proxy.port);
    let run = |env: &[(&str, &str)], extra: serde_json::Value| {
        let dir = temp_dir("env-proxy");
        let mut extra = extra;
        extra["cache"] = json!({"dir": dir.0.join("c").to_str().unwrap()});
        let mut s = Spawn::new(gw.config("paynet", extra), "once", "/echo/paynet/x");
        for k in [
            "HTTPS_PROXY",
            "https_proxy",
            "ALL_PROXY",
            "all_proxy",
            "NO_PROXY",
            "no_proxy",
        ] {
            s = s.env(k, "");
        }
        for (k, v) in env {
            s = s.env(k, *v);
        }
        let out = s.start(&gw).finish();
        assert!(out.results[0].starts_with("TOKEN "), "{:?}", out.results);
    };
    run(&[("HTTPS_PROXY", &via)], json!({}));
    assert_eq!(proxy.relayed_to(port), 1, "HTTPS_PROXY is used");
    run(&[("https_proxy", &via), ("NO_PROXY", "localhost,127.0.0.1")], json!({}));
    assert_eq!(proxy.relayed_to(port), 1, "NO_PROXY bypasses it");
    run(&[("ALL_PROXY", &via)], json!({"proxy_from_env": false}));
    assert_eq!(proxy.relayed_to(port), 1, "proxy_from_env false ignores it");
    run(&[("ALL_PROXY", &via)], json!({}));
    assert_eq!(proxy.relayed_to(port), 2, "ALL_PROXY is the fallback");
}

#[test]
fn secret_files_are_bounded_regular_files_read_without_blocking() {
    let gw = gateway();
    let dir = temp_dir("secrets");
    let secret = gw.emu.config().paynet.client_secret.clone();
    let file = dir.0.join("secret");
    let with = |path: &std::path::Path| {
        let mut cfg: serde_json::Value = serde_json::from_str(&gw.config("paynet", json!({}))).unwrap();
        cfg.as_object_mut().unwrap().remove("client_secret");
        cfg["client_secret_file"] = json!(path.to_str().unwrap());
        Client::from_json(cfg.to_string().as_bytes())
    };
    // As a secret store writes it: one trailing newline, removed.
    std::fs::write(&file, format!("{secret}\n")).unwrap();
    let c = with(&file).unwrap();
    assert!(
        c.sign_request("GET", "/echo/paynet/x", b"", 0, Default::default(), false)
            .is_ok()
    );
    for (what, content) in [("empty", Vec::new()), ("a newline only", b"\n".to_vec())] {
        std::fs::write(&file, content).unwrap();
        let e = with(&file).unwrap_err();
        assert_eq!(e.code, PAYAUTH_CONFIG_SECRET_SOURCE, "{what}: {e}");
        assert!(
            e.message.contains("client_secret") && e.message.contains("empty"),
            "{e}"
        );
    }
    std::fs::write(&file, vec![b'x'; 70_000]).unwrap();
    assert!(with(&file).unwrap_err().message.contains("larger than"));
    let fifo = dir.0.join("fifo");
    let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    // SAFETY: a valid path.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
    let e = with(&fifo).unwrap_err();
    assert!(e.message.contains("not a regular file"), "{e}");
    let e = with(&dir.0.join("missing")).unwrap_err();
    assert_eq!(e.code, PAYAUTH_CONFIG_SECRET_SOURCE);
    // Inline empty secrets are refused too, naming the field.
    let e = Client::from_json(gw.config("paynet", json!({"client_secret": ""})).as_bytes()).unwrap_err();
    assert!(
        e.code == PAYAUTH_CONFIG_SECRET_SOURCE && e.message.contains("client_secret"),
        "{e}"
    );
}
