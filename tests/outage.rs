//! The token client during gateway outages and on hostile hosts, with real processes, a real
//! redis-server and the emulator's fault injection: request storms, new workers started
//! mid-outage, hung gateways, lock and lease holders that die or stop, clock steps
//! (libfaketime), refused cache directories, two Unix users sharing one token, rolled-back
//! entries, a full disk and a gateway that echoes the request. Assertions are on the emulator's
//! counters and on what the callers got; times are printed, never asserted (the only bounds are
//! the configured timeouts, as in tests/client.rs).

mod common;

use common::procs::{self, Output, Spawn, now_ms};
use common::redis_server::{PASSWORD, RedisServer};
use common::*;
use payauth::status::*;
use payauth_emulator::{Endpoint, Fault, Profile, TokenTtl};
use serde_json::{Value, json};
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

#[test]
fn worker() {
    procs::worker_main();
}

fn is_root() -> bool {
    // SAFETY: no preconditions.
    unsafe { libc::geteuid() == 0 }
}

/// Tests that need root (other users' files, other uids): CI runs as root; elsewhere they say
/// so and pass only outside CI.
fn needs_root(what: &str) -> bool {
    if is_root() {
        return true;
    }
    assert!(std::env::var("CI").is_err(), "{what} needs root, and CI runs as root");
    eprintln!("SKIPPED (not root): {what}");
    false
}

fn cache_dir(d: &Path) -> Value {
    json!({"dir": d.join("cache").to_str().unwrap()})
}

fn fleet(d: &Path, redis: &RedisServer) -> Value {
    json!({"dir": d.join("cache").to_str().unwrap(), "redis_url": redis.url(), "redis_password": PASSWORD})
}

fn wait_until(what: &str, f: impl Fn() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while !f() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// `procs` processes × 8 threads signing for 3 s, every host's cache as given.
fn storm(gw: &Gateway, caches: &[Value], procs_per_host: usize) -> Output {
    let start_at = now_ms() + 1_500;
    let workers = caches
        .iter()
        .flat_map(|cache| {
            let spawn = Spawn {
                threads: 8,
                start_at,
                duration_ms: 3_000,
                ..Spawn::new(gw.config("paynet", json!({"cache": cache})), "sign", "/echo/paynet/x")
            };
            (0..procs_per_host).map(move |_| spawn.start(gw))
        })
        .collect();
    procs::finish_all(workers)
}

#[test]
fn a_failing_gateway_gets_one_request_per_backoff_step_from_3_processes_x_8_threads() {
    let gw = gateway();
    let in_60s = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(60));
    // Backoff starts at 1 s and doubles: in a 3 s storm, requests at 0 s, ≥ 1 s and ≥ 2 s at most.
    let cases: Vec<(&str, Fault, u64)> = vec![
        (
            "503 with Retry-After: 30",
            Fault::StatusRetryAfter {
                status: 503,
                retry_after: "30".into(),
            },
            1,
        ),
        (
            "503 with Retry-After as an HTTP-date 60 s ahead",
            Fault::StatusRetryAfter {
                status: 503,
                retry_after: in_60s,
            },
            1,
        ),
        ("500", Fault::Status(500), 3),
        ("200 with an HTML maintenance page", Fault::WrongContentType, 3),
        ("malformed JSON", Fault::Malformed, 3),
    ];
    for (label, fault, most) in cases {
        gw.emu.clear_faults();
        gw.emu.inject(Endpoint::Paynet, fault, 1_000_000);
        let before = gw.token_requests("paynet");
        let host = temp_dir("storm");
        let out = storm(&gw, &[cache_dir(&host.0)], 3);
        let requests = gw.token_requests("paynet") - before;
        let calls: u64 = out
            .results
            .iter()
            .map(|l| l.split(' ').nth(3).unwrap().parse::<u64>().unwrap())
            .sum();
        eprintln!("storm, {label}: {calls} calls from 3 processes x 8 threads in 3 s -> {requests} token requests");
        assert!(
            (1..=most).contains(&requests),
            "{label}: {requests} token requests (at most {most})"
        );
        assert!(
            out.results.iter().all(|l| l.starts_with("OK 0 ")),
            "{label}: {:?}",
            out.results
        );
        assert!(
            out.results.iter().any(|l| l.contains("PAYAUTH_BACKOFF=")),
            "{label}: refused by the backoff: {:?}",
            out.results
        );
    }
    // Across hosts: the backoff is shared through Redis.
    let redis = RedisServer::start();
    gw.emu.clear_faults();
    gw.emu.inject(
        Endpoint::Paynet,
        Fault::StatusRetryAfter {
            status: 503,
            retry_after: "30".into(),
        },
        1_000_000,
    );
    let before = gw.token_requests("paynet");
    let (a, b) = (temp_dir("storm-a"), temp_dir("storm-b"));
    storm(&gw, &[fleet(&a.0, &redis), fleet(&b.0, &redis)], 2);
    let requests = gw.token_requests("paynet") - before;
    eprintln!("storm across 2 hosts x 2 processes x 8 threads (Redis), 503 Retry-After 30: {requests} token requests");
    assert_eq!(requests, 1);
}

#[test]
fn a_process_started_during_an_outage_signs_with_the_shared_token_in_its_margin() {
    let gw = gateway();
    let redis = RedisServer::start();
    gw.emu.set_token_ttl(Profile::Paynet, TokenTtl::ExpiresIn(8));
    let (host_a, host_b) = (temp_dir("host-a"), temp_dir("host-b"));
    let once = |cache: Value| {
        let cfg = gw.config("paynet", json!({"refresh_margin": 0.5, "cache": cache}));
        Spawn::new(cfg, "once", "/echo/paynet/x").start(&gw).finish().results
    };
    let first = once(fleet(&host_a.0, &redis));
    assert!(first[0].starts_with("TOKEN "), "{first:?}");
    // The gateway goes down; the token enters its refresh margin (50-60 % of 8 s).
    gw.emu.inject(Endpoint::Paynet, Fault::Status(503), 1_000_000);
    std::thread::sleep(Duration::from_millis(4_900));
    let same_host = once(fleet(&host_a.0, &redis));
    let other_host = once(fleet(&host_b.0, &redis));
    let host_only = once(cache_dir(&host_a.0));
    eprintln!(
        "new processes mid-outage: same host {}, other host (Redis) {}, host tier only {}",
        same_host[0] == first[0],
        other_host[0] == first[0],
        host_only[0] == first[0]
    );
    assert_eq!(same_host, first, "host tier");
    assert_eq!(other_host, first, "fleet tier");
    assert_eq!(host_only, first, "host tier without Redis");
    // Their background refreshes failed and backed off; none of it reached a caller.
    assert!(gw.token_requests("paynet") <= 4, "{}", gw.token_requests("paynet"));
}

#[test]
fn a_hung_gateway_never_holds_up_a_caller_with_a_valid_token() {
    let gw = gateway();
    gw.emu.set_token_ttl(Profile::Paynet, TokenTtl::ExpiresIn(8));
    let client = Arc::new(gw.client("paynet", json!({"refresh_margin": 0.5, "timeout_ms": 3000})));
    let first = token_of(&client);
    std::thread::sleep(Duration::from_millis(4_900)); // stale
    gw.emu.inject(Endpoint::Paynet, Fault::Hang, 1_000_000);
    let started = Instant::now();
    let handles: Vec<_> = (0..8)
        .map(|_| {
            let c = client.clone();
            std::thread::spawn(move || {
                let mut worst = Duration::ZERO;
                let mut tokens = Vec::new();
                for _ in 0..50 {
                    let t = Instant::now();
                    tokens.push(token_of(&c));
                    worst = worst.max(t.elapsed());
                }
                (tokens, worst)
            })
        })
        .collect();
    let mut worst = Duration::ZERO;
    for h in handles {
        let (tokens, w) = h.join().unwrap();
        assert!(tokens.iter().all(|t| *t == first), "the valid token is served");
        worst = worst.max(w);
    }
    eprintln!(
        "hung gateway, valid token: 400 signs in {:?}, slowest {worst:?} (timeout_ms 3000)",
        started.elapsed()
    );
    wait_until("the hung refresh to reach the gateway", || {
        gw.token_requests("paynet") == 2
    });
    for _ in 0..50 {
        assert_eq!(token_of(&client), first);
    }
    let st = stats(&client);
    assert_eq!(st["background_refreshes"], 1, "one refresh in flight: {st}");
    assert_eq!(gw.token_requests("paynet"), 2);
}

fn token_of(c: &payauth::Client) -> String {
    let s = c
        .sign_request("GET", "/echo/paynet/x", b"", 0, Default::default(), false)
        .expect("served");
    header(&s.headers(), "Authorization")
}

fn stats(c: &payauth::Client) -> Value {
    serde_json::from_str(&c.stats_json().unwrap()).unwrap()
}

#[test]
fn a_killed_lease_holder_and_a_stopped_lock_holder_delay_others_about_two_seconds() {
    let gw = gateway();
    let redis = RedisServer::start();
    let hold = |cache: Value| {
        gw.emu.inject(Endpoint::Paynet, Fault::Hang, 1);
        let before = gw.token_requests("paynet");
        let cfg = gw.config(
            "paynet",
            json!({"cache": cache, "timeout_ms": 30000, "wait_timeout_ms": 40000}),
        );
        let w = Spawn::new(cfg, "once", "/echo/paynet/x").start(&gw);
        wait_until("the holder's hung token request", || {
            gw.token_requests("paynet") > before
        });
        w
    };
    let other = |cache: Value| {
        let cfg = gw.config("paynet", json!({"cache": cache, "wait_timeout_ms": 10000}));
        let t = Instant::now();
        let out = Spawn::new(cfg, "once", "/echo/paynet/x").start(&gw).finish();
        (out, t.elapsed())
    };
    // The Redis lease holder (another host) is killed mid-request.
    let (host_a, host_b) = (temp_dir("lease-a"), temp_dir("lease-b"));
    let holder = hold(fleet(&host_a.0, &redis));
    holder.signal(libc::SIGKILL);
    let (out, took) = other(fleet(&host_b.0, &redis));
    eprintln!("lease holder kill -9: the other host got a token after {took:?} (lease 2 s)");
    assert!(out.results[0].starts_with("TOKEN "), "{:?}", out.results);
    let _ = holder.finish_killed();
    // The host lock holder (same host, no Redis) is stopped mid-request.
    let host = temp_dir("lock");
    let holder = hold(cache_dir(&host.0));
    holder.signal(libc::SIGSTOP);
    let (out, took) = other(cache_dir(&host.0));
    eprintln!("host lock holder SIGSTOP: the other process got a token after {took:?} (takeover after 2 s)");
    assert!(out.results[0].starts_with("TOKEN "), "{:?}", out.results);
    assert_eq!(out.stats[0]["lock_takeovers"], 1, "{}", out.stats[0]);
    holder.signal(libc::SIGKILL);
    holder.signal(libc::SIGCONT);
    let _ = holder.finish_killed();
}

#[test]
fn a_wall_clock_step_refuses_nothing_for_its_size_and_sends_no_expired_token() {
    if !Path::new(procs::FAKETIME_LIB).exists() {
        panic!("libfaketime is missing: run scripts/deps.sh (Debian package faketime)");
    }
    let gw = gateway();
    let host = temp_dir("clock");
    let clock_file = host.0.join("faketime");
    // A failure backs off for 500 ms; the wall clock then steps back an hour.
    gw.emu.inject(Endpoint::Paynet, Fault::Status(503), 1);
    let cfg = gw.config("paynet", json!({"backoff_base_ms": 500, "cache": cache_dir(&host.0)}));
    let mut run = Spawn::new(cfg, "clock", "/echo/paynet/x").fake_clock(&clock_file);
    run.duration_ms = 800;
    let out = run.start(&gw).finish();
    eprintln!("clock step after a failure: {:?}", out.results);
    assert!(
        out.results[0].starts_with("FIRST ERROR PAYAUTH_HTTP_STATUS"),
        "{:?}",
        out.results
    );
    assert!(
        out.results[1].starts_with("SECOND TOKEN "),
        "not refused for the hour: {:?}",
        out.results
    );
    assert_eq!(out.results[2], "SENT 200");
    assert!(out.stats[0]["clock_steps"].as_u64().unwrap() >= 1, "{}", out.stats[0]);
    // A 2 s token; the wall clock steps back an hour; 2.3 s later the token has expired.
    gw.emu.set_token_ttl(Profile::Paynet, TokenTtl::ExpiresIn(2));
    let host = temp_dir("clock-expiry");
    let cfg = gw.config("paynet", json!({"cache": cache_dir(&host.0)}));
    let mut run = Spawn::new(cfg, "clock", "/echo/paynet/x").fake_clock(&host.0.join("faketime"));
    run.duration_ms = 2_300;
    let out = run.start(&gw).finish();
    let first = out.results[0].strip_prefix("FIRST ").unwrap();
    let second = out.results[1].strip_prefix("SECOND ").unwrap();
    assert!(
        first.starts_with("TOKEN ") && second.starts_with("TOKEN "),
        "{:?}",
        out.results
    );
    assert_ne!(first, second, "a new token, not the one that expired");
    assert_eq!(out.results[2], "SENT 200");
    assert_eq!(gw.emu.stats().expired_token_uses, 0);
}

#[test]
fn a_refused_cache_directory_is_reported_loudly_and_the_fallback_used() {
    let gw = gateway();
    let base = temp_dir("refused");
    let status = |cache: Value, env: &[(&str, &str)]| {
        let mut s = Spawn::new(gw.config("paynet", json!({"cache": cache})), "once", "/echo/paynet/x");
        for (k, v) in env {
            s = s.env(k, *v);
        }
        let out = s.start(&gw).finish();
        assert!(out.results[0].starts_with("TOKEN "), "served anyway: {:?}", out.results);
        (out.stats[0]["host_state"].as_str().unwrap().to_string(), out.stderr)
    };
    // Too open (works without root too).
    let open = base.0.join("open");
    std::fs::create_dir(&open).unwrap();
    std::fs::set_permissions(&open, std::os::unix::fs::PermissionsExt::from_mode(0o777)).unwrap();
    let (state, log) = status(json!({"dir": open.to_str().unwrap()}), &[]);
    assert!(
        state.starts_with("unavailable: ") && state.contains("writable by group or others"),
        "{state}"
    );
    assert!(log.contains("payauth: warn host_dir_refused"), "a log line: {log}");
    let fallback = base.0.join("fallback");
    let (state, _) = status(
        json!({"dir": open.to_str().unwrap(), "fallback_dir": fallback.to_str().unwrap()}),
        &[],
    );
    assert!(state.starts_with("on (fallback): "), "{state}");
    assert!(fallback.read_dir().unwrap().count() > 0, "entries in the fallback");
    // A symbolic link planted in place of the directory.
    std::os::unix::fs::symlink(&fallback, base.0.join("link")).unwrap();
    let (state, _) = status(json!({"dir": base.0.join("link").to_str().unwrap()}), &[]);
    assert!(state.contains("symbolic link"), "{state}");
    // No configured directory and no safe default: off, loudly (never a /tmp name).
    if !Path::new("/run/payauth").exists() && !Path::new("/var/cache/payauth").exists() {
        let (state, log) = status(json!({}), &[("XDG_RUNTIME_DIR", ""), ("PAYAUTH_CACHE_DIR", "")]);
        assert!(state.contains("no safe default directory"), "{state}");
        assert!(log.contains("host_dir_none"), "{log}");
    }
    if !needs_root("a directory pre-created by another user") {
        return;
    }
    // Another local user pre-created the default directory under XDG_RUNTIME_DIR.
    let xdg = base.0.join("xdg");
    std::fs::create_dir_all(xdg.join("payauth")).unwrap();
    std::os::unix::fs::chown(xdg.join("payauth"), Some(65534), Some(65534)).unwrap();
    let (state, log) = status(
        json!({}),
        &[("XDG_RUNTIME_DIR", xdg.to_str().unwrap()), ("PAYAUTH_CACHE_DIR", "")],
    );
    assert!(state.contains("belongs to uid 65534"), "{state}");
    assert!(log.contains("belongs to uid 65534"), "{log}");
}

#[test]
fn two_unix_users_in_group_mode_share_one_netzme_token() {
    if !needs_root("processes of two Unix users") {
        return;
    }
    let gw = gateway();
    let base = temp_dir("group");
    std::fs::set_permissions(&base.0, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    // The operator's one step: a directory of the group, 2770 (as the package's docs say).
    let gid = 4242;
    let dir = base.0.join("shared");
    std::fs::create_dir(&dir).unwrap();
    std::os::unix::fs::chown(&dir, Some(0), Some(gid)).unwrap();
    std::fs::set_permissions(&dir, std::os::unix::fs::PermissionsExt::from_mode(0o2770)).unwrap();
    let cfg = gw.config(
        "netzme",
        json!({"cache": {"dir": dir.to_str().unwrap(), "group": gid.to_string()}}),
    );
    let start_at = now_ms() + 1_500;
    let workers = [(65534, gid), (1, gid)]
        .into_iter()
        .map(|user| {
            Spawn {
                threads: 4,
                start_at,
                user: Some(user),
                ..Spawn::new(cfg.clone(), "once", "/echo/netzme/x")
            }
            .start(&gw)
        })
        .collect();
    let out = procs::finish_all(workers);
    assert_eq!(out.results.len(), 8, "{:?}", out.results);
    assert!(out.results[0].starts_with("TOKEN Bearer "), "{:?}", out.results);
    assert!(
        out.results.iter().all(|l| *l == out.results[0]),
        "one token: {:?}",
        out.results
    );
    assert_eq!(gw.token_requests("netzme"), 1);
    for st in &out.stats {
        assert_eq!(st["host_state"], "on", "{st}");
    }
    use std::os::unix::fs::MetadataExt;
    for f in std::fs::read_dir(&dir).unwrap() {
        let m = f.unwrap().metadata().unwrap();
        assert_eq!((m.mode() & 0o777, m.gid()), (0o660, gid));
    }
}

#[test]
fn an_older_entry_restored_over_a_newer_one_is_not_used() {
    let gw = gateway();
    let host = temp_dir("rollback");
    let cfg = json!({"cache": cache_dir(&host.0)});
    let a = gw.client("paynet", cfg.clone());
    let t1 = token_of(&a);
    let entry = a.host_entry_path().unwrap().unwrap();
    let old = std::fs::read(&entry).unwrap();
    a.invalidate(&t1).unwrap();
    let t2 = token_of(&a);
    // A reader that has seen the newer entry.
    let b = gw.client("paynet", cfg);
    assert_eq!(token_of(&b), t2);
    // Restored from a backup, and the shared change counter moved (another process wrote since).
    std::fs::write(&entry, &old).unwrap();
    let counter = entry.with_extension("gen");
    let word = std::fs::read(&counter).unwrap();
    let n = u64::from_le_bytes(word[..8].try_into().unwrap()) + 1;
    // In place (the file is mapped by the readers: it must never be truncated).
    let f = std::fs::OpenOptions::new().write(true).open(&counter).unwrap();
    std::os::unix::fs::FileExt::write_all_at(&f, &n.to_le_bytes(), 0).unwrap();
    b.invalidate(&t2).unwrap();
    let t3 = token_of(&b);
    assert!(t3 != t1 && t3 != t2, "neither the restored token nor the rejected one");
    assert!(stats(&b)["rolled_back"].as_u64().unwrap() >= 1, "{}", stats(&b));
}

#[test]
fn a_full_disk_shows_in_host_state_and_requests_are_still_served() {
    let gw = gateway();
    let host = temp_dir("full");
    let cfg = gw.config("paynet", json!({"cache": cache_dir(&host.0)}));
    let out = Spawn::new(cfg, "once", "/echo/paynet/x")
        .env("W_FSIZE", "1")
        .start(&gw)
        .finish();
    assert!(out.results[0].starts_with("TOKEN "), "{:?}", out.results);
    let state = out.stats[0]["host_state"].as_str().unwrap();
    assert!(state.starts_with("degraded: cannot write entries"), "{state}");
    assert!(out.stderr.contains("host_write_failed"), "{}", out.stderr);
}

#[test]
fn a_gateway_that_echoes_the_request_never_puts_a_secret_in_a_message() {
    let gw = gateway();
    for profile in ["paynet", "netzme", "paytia"] {
        gw.emu.clear_faults();
        gw.emu
            .inject(endpoint(profile).unwrap(), Fault::EchoRequest { status: 500 }, 1);
        let host = temp_dir("echo");
        let client = gw.client(profile, json!({"cache": cache_dir(&host.0)}));
        let e = client
            .sign_request("GET", "/echo/x", b"", 0, Default::default(), false)
            .unwrap_err();
        assert_eq!(e.code, PAYAUTH_HTTP_STATUS, "{e}");
        let config: Value = serde_json::from_str(&gw.config(profile, json!({}))).unwrap();
        let stats = client.stats_json().unwrap();
        for key in ["client_secret", "api_key"] {
            let Some(secret) = config[key].as_str() else { continue };
            let mut forms = vec![
                secret.to_string(),
                form_urlencoded::byte_serialize(secret.as_bytes()).collect::<String>(),
                payauth::internals::base64_std(secret.as_bytes()),
            ];
            if let Some(id) = config["client_id"].as_str() {
                forms.push(payauth::internals::base64_std(format!("{id}:{secret}").as_bytes()));
            }
            for f in forms {
                assert!(
                    !e.message.contains(&f),
                    "{profile}: {key} in the message: {}",
                    e.message
                );
                assert!(!stats.contains(&f), "{profile}: {key} in the stats");
            }
        }
        if profile != "netzme" {
            // (Netzme's secret travels in the Basic header, past the excerpt kept in messages.)
            assert!(e.message.contains("[redacted]"), "{profile}: {}", e.message);
        }
    }
}
