//! Benchmark (not a test): the cost of `Client::sign_request` on a cache hit next to the bare
//! signature from the signing core (`Signer::sign` with the same token), measured in the same
//! run in alternating batches. Target: the token lookup adds ≤ 50 ns.
//!
//! Run: `cargo bench --bench client_hit`

use payauth::client::Client;
use payauth::{Extra, Request, Signer};
use std::time::Instant;

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    v[v.len() / 2]
}

fn main() {
    let emu = payauth_emulator::Emulator::start(payauth_emulator::Config::default()).unwrap();
    let dir = std::env::temp_dir().join(format!("payauth-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let ca = dir.join("ca.pem");
    std::fs::write(&ca, emu.ca_pem()).unwrap();
    let c = emu.config();
    println!(
        "{:<16} {:>12} {:>12} {:>10}",
        "profile", "bare ns", "client ns", "added ns"
    );
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
        })
        .to_string();
        let client = Client::from_json(cfg.as_bytes()).unwrap();
        let signer = Signer::from_json(cfg.as_bytes()).unwrap();
        let token = client.token().unwrap().unwrap();
        let token = token.access_token.as_str();
        let (p, body) = ("/v2/reports/query?x=1", br#"{"query":"{ settlements }"}"#);
        let n = 20_000;
        let (mut bare, mut hit) = (Vec::new(), Vec::new());
        for _ in 0..15 {
            let t = Instant::now();
            for _ in 0..n {
                let req = Request::new("POST", p, body, token, 0, Extra::default()).unwrap();
                std::hint::black_box(signer.sign(&req, false).unwrap());
            }
            bare.push(t.elapsed().as_nanos() as f64 / n as f64);
            let t = Instant::now();
            for _ in 0..n {
                std::hint::black_box(
                    client
                        .sign_request("POST", p, body, 0, Extra::default(), false)
                        .unwrap(),
                );
            }
            hit.push(t.elapsed().as_nanos() as f64 / n as f64);
        }
        let (b, h) = (median(bare), median(hit));
        println!("{profile:<16} {b:>12.0} {h:>12.0} {:>10.0}", h - b);
    }
    println!("target: added <= 50 ns (the token lookup: a read lock, a clock read and an Arc clone)");
    let _ = std::fs::remove_dir_all(&dir);
}
