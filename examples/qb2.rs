use payauth::sign::hmac::{HashAlg, KeyedHmac};
use std::time::Instant;
fn main() {
    let k = KeyedHmac::new(HashAlg::Sha256, b"my_client_secret");
    let n = 1_000_000;
    let t = Instant::now();
    for i in 0..n {
        std::hint::black_box(k.sign(format!("{}", 1700000000 + i).as_bytes()));
    }
    println!("keyed hmac256: {:.0} ns", t.elapsed().as_nanos() as f64 / n as f64);
    let t = Instant::now();
    for i in 0..n {
        std::hint::black_box(payauth::sign::hmac::hmac(
            HashAlg::Sha256,
            b"my_client_secret",
            format!("{}", 1700000000 + i).as_bytes(),
        ));
    }
    println!("oneshot hmac256: {:.0} ns", t.elapsed().as_nanos() as f64 / n as f64);
    let t = Instant::now();
    for i in 0..n {
        std::hint::black_box(payauth::Signed::new(false));
        std::hint::black_box(i);
    }
    println!("Signed::new: {:.0} ns", t.elapsed().as_nanos() as f64 / n as f64);
}
