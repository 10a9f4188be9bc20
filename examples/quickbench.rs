use payauth::{Extra, Request, Signer};
use std::time::Instant;
fn main() {
    let cases = [
        (
            r#"{"profile":"paynet-reports","client_secret":"my_client_secret"}"#,
            "GET",
            "/v2/reports",
            "",
        ),
        (
            r#"{"profile":"netzme","client_id":"c","client_secret":"MaREaULkzAUTAFYg"}"#,
            "GET",
            "/api/aggregator/merchant/qr/balance/detail?userId=M_pXAFWzCg",
            "",
        ),
        (
            r#"{"profile":"netzme-snap","client_id":"c","client_secret":"f013bc2810be469790dc99773c08812e"}"#,
            "POST",
            "/api/v1.0/invoice/create-transaction",
            "{\"a\":1}",
        ),
    ];
    for (cfg, m, p, b) in cases {
        let s = Signer::from_json(cfg.as_bytes()).unwrap();
        let n = 200_000;
        let mut best = f64::MAX;
        for _ in 0..5 {
            let t = Instant::now();
            for i in 0..n {
                let req = Request::new(
                    m,
                    p,
                    b.as_bytes(),
                    "cafebface38fe374af5bcf7579a711658585012507d409eebb74f33fa4684711",
                    1_700_000_000_000 + i,
                    Extra::default(),
                )
                .unwrap();
                std::hint::black_box(s.sign(&req, false).unwrap());
            }
            best = best.min(t.elapsed().as_nanos() as f64 / n as f64);
        }
        println!("{:>14}: {best:.0} ns", s.profile());
    }
}
