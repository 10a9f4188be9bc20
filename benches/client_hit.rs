//! Benchmark (not a test): what each cache tier costs, next to the bare signature measured in
//! the same run (alternating batches; medians of 15).
//!
//! - process-tier hit: `Client::sign_request` minus the bare `Signer::sign` with the same token.
//!   For Netzme (whose gateway kills the previous token) this includes the host-entry check,
//!   made at most every 20 ms. Target (issue 3): added ≤ 50 ns.
//! - host-tier hit: a token taken from the host entry by a process whose own tier is empty
//!   (open, read, decrypt, parse). Target ≤ 2 µs.
//!
//! Run: `cargo bench --bench client_hit` (`PAYAUTH_BENCH_QUICK=1` for a short run)

use payauth::cache::acquire::Mode;
use payauth::cache::config::CacheConfig;
use payauth::cache::shared::{Shared, SharedOptions};
use payauth::client::Client;
use payauth::token::Token;
use payauth::{Extra, Request, Signer};
use std::time::{Duration, Instant};
use zeroize::Zeroizing;

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    v[v.len() / 2]
}

fn per_op(n: u32, mut f: impl FnMut()) -> f64 {
    let t = Instant::now();
    for _ in 0..n {
        f();
    }
    t.elapsed().as_nanos() as f64 / f64::from(n)
}

fn main() {
    let quick = std::env::var_os("PAYAUTH_BENCH_QUICK").is_some();
    let (n, rounds) = if quick { (2_000, 5) } else { (20_000, 15) };
    let emu = payauth_emulator::Emulator::start(payauth_emulator::Config::default()).unwrap();
    let dir = std::env::temp_dir().join(format!("payauth-bench-tiers-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let ca = dir.join("ca.pem");
    std::fs::write(&ca, emu.ca_pem()).unwrap();
    let c = emu.config();
    println!(
        "{:<16} {:>10} {:>14} {:>12}",
        "profile", "bare ns", "process hit ns", "added ns"
    );
    let mut bare_netzme = 0.0;
    for (profile, id, secret, path) in [
        (
            "paynet-reports",
            &c.paynet_reports.client_id,
            &c.paynet_reports.client_secret,
            "/token",
        ),
        (
            "netzme",
            &c.netzme.client_id,
            &c.netzme.client_secret,
            "/oauth/merchant/accesstoken",
        ),
    ] {
        let cfg = serde_json::json!({
            "profile": profile, "client_id": id, "client_secret": secret,
            "token_url": emu.url(path), "ca_file": ca.to_str().unwrap(),
            "cache": {"dir": dir.join("host").to_str().unwrap()},
        })
        .to_string();
        let client = Client::from_json(cfg.as_bytes()).unwrap();
        let signer = Signer::from_json(cfg.as_bytes()).unwrap();
        let token = client.token().unwrap().unwrap();
        let token = token.access_token.as_str();
        let (p, body) = ("/v2/reports/query?x=1", br#"{"query":"{ settlements }"}"#);
        let (mut bare, mut hit) = (Vec::new(), Vec::new());
        for _ in 0..rounds {
            bare.push(per_op(n, || {
                let req = Request::new("POST", p, body, token, 0, Extra::default()).unwrap();
                std::hint::black_box(signer.sign(&req, false).unwrap());
            }));
            hit.push(per_op(n, || {
                std::hint::black_box(
                    client
                        .sign_request("POST", p, body, 0, Extra::default(), false)
                        .unwrap(),
                );
            }));
        }
        let (b, h) = (median(bare), median(hit));
        if profile == "netzme" {
            bare_netzme = b;
        }
        println!("{profile:<16} {b:>10.0} {h:>14.0} {:>12.0}", h - b);
    }

    // Host tier: a process with an empty process tier reading the entry another process wrote.
    let cfg = serde_json::json!({"cache": {"dir": dir.join("host-direct")}}).to_string();
    let config = CacheConfig::from_config(&payauth::profiles::Config::parse(cfg.as_bytes()).unwrap()).unwrap();
    let shared = Shared::new(SharedOptions {
        config: &config,
        identity: "netzme\nhttps://bench/token\nbench-client",
        material: b"client_secret-bench",
        kills_previous: false,
        wait: Duration::from_secs(5),
    })
    .unwrap();
    let t0 = payauth::clock::mono_ms();
    shared
        .acquire(Mode::Wait, None, 0, |_, _, _| {
            Ok(Token {
                access_token: Zeroizing::new("x".repeat(64)),
                refresh_token: None,
                obtained_at: t0,
                refresh_at: t0 + 3_240_000,
                expires_at: t0 + 3_600_000,
                obtained_wall: payauth::clock::wall_ms(),
                generation: 0,
                rejected: false,
            })
        })
        .unwrap();
    let host = median(
        (0..rounds)
            .map(|_| {
                per_op(n / 4, || {
                    let t = shared.acquire(Mode::Wait, None, 0, |_, _, _| panic!("must be a host-tier hit"));
                    std::hint::black_box(t.unwrap());
                })
            })
            .collect(),
    );
    // The floor under any file-based tier on this machine: the same open + read + close.
    let path = shared.host_entry_path().unwrap();
    let mut buf = vec![0u8; 65 * 1024];
    let floor = median(
        (0..rounds)
            .map(|_| {
                per_op(n / 4, || {
                    use std::io::Read;
                    let mut f = std::fs::File::open(&path).unwrap();
                    std::hint::black_box(f.read(&mut buf).unwrap());
                })
            })
            .collect(),
    );
    println!(
        "host-tier hit: {host:.0} ns ({:.2}x the bare Netzme signature; {:.2}x a bare open+read+close \
         of the same file, {floor:.0} ns); target <= 2000 ns",
        host / bare_netzme,
        host / floor
    );
    let _ = std::fs::remove_dir_all(&dir);
}
