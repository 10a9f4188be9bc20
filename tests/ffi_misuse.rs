//! Every export given NULL, invalid UTF-8, bad values or a too-small buffer returns a status
//! and a message; nothing crashes; outputs are untouched on failure; no secret leaks.

use payauth::ffi::PAYAUTH_FLAG_EXPLAIN;
use payauth::ffi::error::*;
use payauth::ffi::headers::*;
use payauth::ffi::primitives::*;
use payauth::ffi::signer::*;
use payauth::status::*;
use std::ffi::{CStr, c_char};
use std::ptr::{null, null_mut};

const NETZME: &str = r#"{"profile":"netzme","client_id":"TokoNetmeClientId","client_secret":"SuperSecret123"}"#;

fn p(s: &[u8]) -> *const c_char {
    s.as_ptr().cast()
}

struct Err(*mut payauth_error);
impl Err {
    fn new() -> Self {
        Err(payauth_error_new())
    }
    fn msg(&self) -> String {
        unsafe { CStr::from_ptr(payauth_error_message(self.0)) }
            .to_string_lossy()
            .into_owned()
    }
    fn code(&self) -> i32 {
        unsafe { payauth_error_code(self.0) }
    }
}
impl Drop for Err {
    fn drop(&mut self) {
        unsafe { payauth_error_free(self.0) }
    }
}

fn signer(config: &str) -> *mut payauth_signer {
    let mut s = null_mut();
    let rc = unsafe { payauth_signer_new(p(config.as_bytes()), config.len(), &mut s, null_mut()) };
    assert_eq!(rc, PAYAUTH_OK);
    s
}

unsafe fn sign(
    s: *const payauth_signer,
    method: &[u8],
    path: &[u8],
    token: &[u8],
    out: *mut *mut payauth_headers,
    e: &Err,
) -> i32 {
    unsafe {
        payauth_signer_sign(
            s,
            p(method),
            method.len(),
            p(path),
            path.len(),
            null(),
            0,
            p(token),
            token.len(),
            1_615_190_625_765,
            null(),
            0,
            0,
            out,
            e.0,
        )
    }
}

#[test]
fn status_strings_for_any_integer() {
    for code in [0, 100, 203, 303, 900, -1, 12345, i32::MIN, i32::MAX] {
        let s = unsafe { CStr::from_ptr(payauth_status_str(code)) };
        let n = unsafe { CStr::from_ptr(payauth_status_name(code)) };
        assert!(!s.to_bytes().is_empty() && !n.to_bytes().is_empty());
    }
    assert_eq!(
        unsafe { CStr::from_ptr(payauth_status_name(303)) }.to_str().unwrap(),
        "PAYAUTH_SIGNATURE_MISMATCH"
    );
    assert_eq!(
        unsafe { CStr::from_ptr(payauth_status_name(777)) }.to_str().unwrap(),
        "PAYAUTH_UNKNOWN"
    );
}

#[test]
fn version_number_is_composed_of_its_parts() {
    let v = payauth_version();
    let parts: Vec<u32> = env!("CARGO_PKG_VERSION")
        .split('.')
        .map(|x| x.parse().unwrap())
        .collect();
    assert_eq!(v, parts[0] * 10000 + parts[1] * 100 + parts[2]);
    let s = unsafe { CStr::from_ptr(payauth_version_string()) };
    assert_eq!(s.to_str().unwrap(), env!("CARGO_PKG_VERSION"));
    let mut out = 0i64;
    for (name, want) in [
        ("PAYAUTH_VERSION", v),
        ("PAYAUTH_VERSION_MAJOR", parts[0]),
        ("PAYAUTH_VERSION_MINOR", parts[1]),
        ("PAYAUTH_VERSION_PATCH", parts[2]),
    ] {
        assert_eq!(
            unsafe { payauth_constant(p(name.as_bytes()), name.len(), &mut out, null_mut()) },
            0
        );
        assert_eq!(out, i64::from(want), "{name}");
    }
    let header = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/include/payauth.h")).unwrap();
    assert!(header.contains(&format!("#define PAYAUTH_VERSION_MAJOR {}", parts[0])));
    assert!(header.contains(&format!("#define PAYAUTH_VERSION_MINOR {}", parts[1])));
    assert!(header.contains(&format!("#define PAYAUTH_VERSION_PATCH {}", parts[2])));
}

#[test]
fn constants_have_function_twins() {
    let header = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/include/payauth.h")).unwrap();
    for line in header.lines().filter(|l| l.starts_with("#define ")) {
        assert!(line.starts_with("#define PAYAUTH_"), "unprefixed macro: {line}");
    }
    for line in header.lines().filter(|l| l.starts_with("#define PAYAUTH_")) {
        let mut parts = line.split_whitespace().skip(1);
        let name = parts.next().unwrap();
        if name == "PAYAUTH_H" || name == "PAYAUTH_VERSION_STRING" {
            continue;
        }
        let mut v = -99i64;
        let rc = unsafe { payauth_constant(p(name.as_bytes()), name.len(), &mut v, null_mut()) };
        assert_eq!(rc, PAYAUTH_OK, "{name} has no function twin");
        if let Ok(n) = parts.next().unwrap().parse::<i64>() {
            assert_eq!(v, n, "{name}");
        }
    }
    let mut v = 5i64;
    let e = Err::new();
    assert_eq!(
        unsafe { payauth_constant(p(b"NOPE"), 4, &mut v, e.0) },
        PAYAUTH_NOT_FOUND
    );
    assert_eq!(v, 5, "untouched on failure");
    assert_eq!(
        unsafe { payauth_constant(p(b"X"), 1, null_mut(), e.0) },
        PAYAUTH_NULL_ARGUMENT
    );
}

#[test]
fn null_arguments_return_status() {
    let e = Err::new();
    let mut out: *mut payauth_headers = null_mut();
    let s = signer(NETZME);
    unsafe {
        assert_eq!(
            payauth_signer_new(null(), 5, &mut null_mut(), e.0),
            PAYAUTH_NULL_ARGUMENT
        );
        assert!(e.msg().contains("config"), "{}", e.msg());
        assert_eq!(
            payauth_signer_new(p(NETZME.as_bytes()), NETZME.len(), null_mut(), e.0),
            PAYAUTH_NULL_ARGUMENT
        );
        assert_eq!(sign(null(), b"GET", b"/", b"t", &mut out, &e), PAYAUTH_NULL_ARGUMENT);
        assert_eq!(sign(s, b"GET", b"/", b"t", null_mut(), &e), PAYAUTH_NULL_ARGUMENT);
        assert_eq!(
            payauth_signer_sign(
                s,
                null(),
                3,
                p(b"/"),
                1,
                null(),
                0,
                null(),
                0,
                1,
                null(),
                0,
                0,
                &mut out,
                e.0
            ),
            PAYAUTH_NULL_ARGUMENT
        );
        assert_eq!(
            payauth_signer_sign(
                s,
                p(b"GET"),
                3,
                p(b"/"),
                1,
                null(),
                9,
                null(),
                0,
                1,
                null(),
                0,
                0,
                &mut out,
                e.0
            ),
            PAYAUTH_NULL_ARGUMENT
        );
        assert!(out.is_null(), "out untouched on failure");
        assert_eq!(
            payauth_signer_token_headers(null(), 1, null(), 0, 0, &mut out, e.0),
            PAYAUTH_NULL_ARGUMENT
        );
        assert_eq!(
            payauth_signer_token_headers(s, 1, null(), 0, 0, null_mut(), e.0),
            PAYAUTH_NULL_ARGUMENT
        );
        assert_eq!(
            payauth_signer_verify(
                null(),
                p(b"GET"),
                3,
                p(b"/"),
                1,
                null(),
                0,
                null(),
                0,
                null(),
                0,
                null(),
                0,
                e.0
            ),
            PAYAUTH_NULL_ARGUMENT
        );
        assert!(payauth_signer_profile(null()).read() == 0);
        assert_eq!(payauth_headers_count(null()), 0);
        assert_eq!(payauth_headers_explain_count(null()), 0);
        assert_eq!(
            payauth_headers_get(null(), 0, null_mut(), null_mut(), null_mut(), null_mut()),
            PAYAUTH_NULL_ARGUMENT
        );
        assert_eq!(
            payauth_headers_explain_get(null(), 0, null_mut(), null_mut(), null_mut(), null_mut()),
            PAYAUTH_NULL_ARGUMENT
        );
        assert_eq!(
            payauth_headers_find(null(), p(b"a"), 1, null_mut(), null_mut()),
            PAYAUTH_NULL_ARGUMENT
        );
        assert_eq!(
            payauth_headers_explain_find(null(), p(b"a"), 1, null_mut(), null_mut()),
            PAYAUTH_NULL_ARGUMENT
        );
        let mut len = 0usize;
        assert_eq!(
            payauth_hmac(1, 1, null(), 1, null(), 0, null_mut(), 0, &mut len, e.0),
            PAYAUTH_NULL_ARGUMENT
        );
        assert_eq!(
            payauth_hmac(1, 1, null(), 0, null(), 0, null_mut(), 0, null_mut(), e.0),
            PAYAUTH_NULL_ARGUMENT
        );
        assert_eq!(
            payauth_hmac_verify(1, 1, null(), 0, null(), 0, null(), 3, e.0),
            PAYAUTH_NULL_ARGUMENT
        );
        assert_eq!(
            payauth_sha256_hex(null(), 2, null_mut(), 0, &mut len, e.0),
            PAYAUTH_NULL_ARGUMENT
        );
        assert_eq!(
            payauth_rsa_sign(1, 3, null(), 2, null(), 0, null_mut(), 0, &mut len, e.0),
            PAYAUTH_NULL_ARGUMENT
        );
        assert_eq!(
            payauth_json_minify(null(), 2, null_mut(), 0, &mut len, e.0),
            PAYAUTH_NULL_ARGUMENT
        );
        assert_eq!(payauth_error_code(null()), 0);
        assert_eq!(payauth_error_message(null()).read(), 0);
        payauth_error_free(null_mut());
        payauth_headers_free(null_mut());
        payauth_signer_free(null_mut());
        payauth_signer_free(s);
    }
}

#[test]
fn invalid_utf8_and_bad_values() {
    let e = Err::new();
    let s = signer(NETZME);
    let mut out: *mut payauth_headers = null_mut();
    unsafe {
        let bad = b"{\"profile\":\"\xff\"}";
        assert_eq!(
            payauth_signer_new(p(bad), bad.len(), &mut null_mut(), e.0),
            PAYAUTH_INVALID_UTF8
        );
        assert_eq!(sign(s, b"G\xffT", b"/", b"t", &mut out, &e), PAYAUTH_INVALID_UTF8);
        assert!(e.msg().contains("method"), "{}", e.msg());
        assert_eq!(sign(s, b"GET", b"/a b", b"t", &mut out, &e), PAYAUTH_INVALID_ARGUMENT);
        assert_eq!(
            sign(s, b"GET", b"/", b"t\r\nX-Evil: 1", &mut out, &e),
            PAYAUTH_INVALID_ARGUMENT
        );
        assert_eq!(sign(s, b"GE T", b"/", b"t", &mut out, &e), PAYAUTH_INVALID_ARGUMENT);
        assert_eq!(sign(s, b"GET", b"/", b"", &mut out, &e), PAYAUTH_MISSING_TOKEN);
        assert_eq!(
            payauth_signer_sign(
                s,
                p(b"GET"),
                3,
                p(b"/"),
                1,
                null(),
                0,
                p(b"t"),
                1,
                -5,
                null(),
                0,
                0,
                &mut out,
                e.0
            ),
            PAYAUTH_INVALID_ARGUMENT
        );
        assert_eq!(
            payauth_signer_sign(
                s,
                p(b"GET"),
                3,
                p(b"/"),
                1,
                null(),
                0,
                p(b"t"),
                1,
                1,
                null(),
                0,
                0x80,
                &mut out,
                e.0
            ),
            PAYAUTH_INVALID_ARGUMENT
        );
        let extra = b"{\"nope\":1}";
        assert_eq!(
            payauth_signer_sign(
                s,
                p(b"GET"),
                3,
                p(b"/"),
                1,
                null(),
                0,
                p(b"t"),
                1,
                1,
                p(extra),
                extra.len(),
                0,
                &mut out,
                e.0
            ),
            PAYAUTH_INVALID_ARGUMENT
        );
        assert!(e.msg().contains("nope"));
        assert!(out.is_null());
        let mut len = 0usize;
        assert_eq!(
            payauth_hmac(9, 1, null(), 0, null(), 0, null_mut(), 0, &mut len, e.0),
            PAYAUTH_INVALID_ARGUMENT
        );
        assert_eq!(
            payauth_hmac(1, 9, null(), 0, null(), 0, null_mut(), 0, &mut len, e.0),
            PAYAUTH_INVALID_ARGUMENT
        );
        assert_eq!(
            payauth_rsa_sign(1, 3, p(b"junk"), 4, null(), 0, null_mut(), 0, &mut len, e.0),
            PAYAUTH_KEY_INVALID
        );
        assert_eq!(
            payauth_json_minify(p(b"{\"a\""), 4, null_mut(), 0, &mut len, e.0),
            PAYAUTH_JSON_INVALID
        );
        // verify on an RSA-only profile is unsupported
        let jws = payauth_signer_new(p(b"{}"), 2, &mut null_mut(), e.0);
        assert_eq!(jws, PAYAUTH_CONFIG_MISSING_FIELD);
        payauth_signer_free(s);
    }
}

#[test]
fn too_small_buffer_reports_the_size_and_leaves_the_buffer() {
    let e = Err::new();
    let mut buf = [b'x' as c_char; 64];
    let mut len = 0usize;
    unsafe {
        let rc = payauth_hmac(1, 1, p(b"k"), 1, p(b"m"), 1, buf.as_mut_ptr(), 64, &mut len, e.0);
        assert_eq!(rc, PAYAUTH_BUFFER_TOO_SMALL, "64 hex chars need 65 bytes");
        assert_eq!(len, 64);
        assert!(buf.iter().all(|b| *b == b'x' as c_char), "buffer untouched");
        assert_eq!(
            payauth_hmac(1, 1, p(b"k"), 1, p(b"m"), 1, null_mut(), 0, &mut len, e.0),
            PAYAUTH_BUFFER_TOO_SMALL
        );
        let mut big = [0 as c_char; 65];
        assert_eq!(
            payauth_hmac(1, 1, p(b"k"), 1, p(b"m"), 1, big.as_mut_ptr(), 65, &mut len, e.0),
            PAYAUTH_OK
        );
        assert_eq!(e.code(), 0);
        assert_eq!(e.msg(), "");
        assert_eq!(CStr::from_ptr(big.as_ptr()).to_bytes().len(), 64);
        assert_eq!(
            payauth_hmac_verify(1, 1, p(b"k"), 1, p(b"m"), 1, big.as_ptr(), 64, e.0),
            PAYAUTH_OK
        );
        big[3] = if big[3] == b'0' as c_char {
            b'1' as c_char
        } else {
            b'0' as c_char
        };
        assert_eq!(
            payauth_hmac_verify(1, 1, p(b"k"), 1, p(b"m"), 1, big.as_ptr(), 64, e.0),
            PAYAUTH_SIGNATURE_MISMATCH
        );
        let mut small = [0 as c_char; 4];
        assert_eq!(
            payauth_sha256_hex(p(b"abc"), 3, small.as_mut_ptr(), 4, &mut len, e.0),
            PAYAUTH_BUFFER_TOO_SMALL
        );
        assert_eq!(len, 64);
        assert_eq!(
            payauth_json_minify(p(b"{ }"), 3, small.as_mut_ptr(), 4, &mut len, e.0),
            PAYAUTH_OK
        );
        assert_eq!(CStr::from_ptr(small.as_ptr()).to_str().unwrap(), "{}");
    }
}

#[test]
fn headers_accessors_and_out_of_range() {
    let e = Err::new();
    let s = signer(NETZME);
    let mut out: *mut payauth_headers = null_mut();
    unsafe {
        assert_eq!(sign(s, b"get", b"/x?a=1", b"tok", &mut out, &e), PAYAUTH_OK);
        let n = payauth_headers_count(out);
        assert_eq!(n, 5);
        let (mut name, mut nl, mut val, mut vl) = (null(), 0usize, null(), 0usize);
        assert_eq!(
            payauth_headers_get(out, n, &mut name, &mut nl, &mut val, &mut vl),
            PAYAUTH_OUT_OF_RANGE
        );
        assert!(name.is_null());
        assert_eq!(
            payauth_headers_get(out, 0, &mut name, &mut nl, &mut val, &mut vl),
            PAYAUTH_OK
        );
        assert_eq!(CStr::from_ptr(name).to_str().unwrap(), "Authorization");
        assert_eq!(CStr::from_ptr(val).to_bytes().len(), vl);
        assert_eq!(
            payauth_headers_find(out, p(b"signature"), 9, &mut val, &mut vl),
            PAYAUTH_OK
        );
        assert_eq!(vl, 64);
        assert_eq!(
            payauth_headers_find(out, p(b"X-Nope"), 6, &mut val, &mut vl),
            PAYAUTH_NOT_FOUND
        );
        assert_eq!(payauth_headers_explain_count(out), 0, "explain is opt-in");
        payauth_headers_free(out);
        let mut out = null_mut();
        assert_eq!(
            payauth_signer_sign(
                s,
                p(b"GET"),
                3,
                p(b"/"),
                1,
                null(),
                0,
                p(b"t"),
                1,
                1,
                null(),
                0,
                PAYAUTH_FLAG_EXPLAIN,
                &mut out,
                e.0
            ),
            PAYAUTH_OK
        );
        assert!(payauth_headers_explain_count(out) >= 3);
        assert_eq!(
            payauth_headers_explain_find(out, p(b"hmac_key"), 8, &mut val, &mut vl),
            PAYAUTH_OK
        );
        let key = CStr::from_ptr(val).to_str().unwrap();
        assert!(key.starts_with("[client_secret, 14 bytes]-1-Bearer t"), "{key}");
        assert!(!key.contains("SuperSecret123"));
        payauth_headers_free(out);
        payauth_signer_free(s);
    }
}

#[test]
fn secrets_never_appear_in_messages_or_debug() {
    let e = Err::new();
    let configs = [
        r#"{"profile":"netzme","client_id":"c","client_secret":"SuperSecret123","bogus":1}"#,
        r#"{"profile":"netzme","client_id":"c","client_secret":"SuperSecret123","payload_template":"{oops}"}"#,
        r#"{"profile":"azupay","api_key":"SuperSecret123","hmac":{"secret":"SuperSecret123","hash":"md5"}}"#,
        r#"{"profile":"azupay","api_key":"SuperSecret123","hmac":{"secret":"SuperSecret123!","hash":"sha256","key_encoding":"base64","output":"hex","template":"{body}","timestamp_format":"unix_s","signature_header":"S","timestamp_header":"T"}}"#,
        r#"{"profile":"paynet-jws","client_id":"c","private_key":"SuperSecret123"}"#,
        r#"{"profile":"snap","client_id":"c","client_secret":"SuperSecret123","utc_offset_minutes":"SuperSecret123"}"#,
        r#"{"profile":"paytia","api_key":"SuperSecret123","client_secret":5}"#,
        r#"{"profile":"netzme","client_id":"c","client_secret":"SuperSecret123","client_secret_env":"X"}"#,
        r#"{"profile":"netzme","client_id":"c","client_secret_env":"PAYAUTH_TEST_UNSET_VAR_SuperSecret123"}"#,
        "{\"profile\":\"netzme\",\"client_secret\":\"SuperSecret123\" garbage",
    ];
    for c in configs {
        let mut s = null_mut();
        let rc = unsafe { payauth_signer_new(p(c.as_bytes()), c.len(), &mut s, e.0) };
        assert_ne!(rc, PAYAUTH_OK, "{c}");
        assert!(s.is_null());
        let msg = e.msg();
        assert!(!msg.is_empty());
        assert!(
            !msg.contains("SuperSecret123") || msg.contains("PAYAUTH_TEST_UNSET_VAR"),
            "secret in message: {msg}"
        );
    }
    let signer = payauth::Signer::from_json(NETZME.as_bytes()).unwrap();
    let secret = payauth::internals::Secret::new(b"SuperSecret123".to_vec());
    assert!(!format!("{signer:?} {secret:?}").contains("SuperSecret123"));
}

#[test]
fn secrets_from_environment_and_file() {
    // SAFETY: this test is the only one touching this variable.
    unsafe { std::env::set_var("PAYAUTH_TEST_NETZME_SECRET", "MaREaULkzAUTAFYg") };
    let cfg = r#"{"profile":"netzme","client_id":"c","client_secret_env":"PAYAUTH_TEST_NETZME_SECRET"}"#;
    let signer = payauth::Signer::from_json(cfg.as_bytes()).unwrap();
    let req = payauth::Request::new(
        "GET",
        "/api/aggregator/merchant/qr/balance/detail?userId=M_pXAFWzCg",
        b"",
        "cafebface38fe374af5bcf7579a711658585012507d409eebb74f33fa4684711",
        1_615_190_625_765,
        payauth::Extra::default(),
    )
    .unwrap();
    let signed = signer.sign(&req, false).unwrap();
    assert_eq!(
        signed.find_header(b"Signature").unwrap(),
        b"cbf99c2f6d5d65b582035a4dee21e67b82a5226f7d9eb7768450d085eac31eb6"
    );
    let key = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/vectors/keys/rsa2048-pkcs1.pem");
    let cfg = format!(r#"{{"profile":"snap","client_id":"c","private_key_file":"{key}"}}"#);
    let signer = payauth::Signer::from_json(cfg.as_bytes()).unwrap();
    assert!(
        signer
            .token_headers(
                &payauth::Request::for_token(1, payauth::Extra::default()).unwrap(),
                false
            )
            .is_ok()
    );
    let e = payauth::Signer::from_json(br#"{"profile":"snap","client_id":"c","private_key_file":"/nonexistent"}"#)
        .unwrap_err();
    assert_eq!(e.code, PAYAUTH_CONFIG_SECRET_SOURCE);
}

#[test]
fn one_signer_shared_between_threads() {
    let s = signer(r#"{"profile":"netzme-snap","client_id":"c","client_secret":"f013bc2810be469790dc99773c08812e"}"#)
        as usize;
    let expected = {
        let e = Err::new();
        let mut out = null_mut();
        unsafe {
            assert_eq!(sign(s as *const _, b"POST", b"/p", b"tok", &mut out, &e), 0);
            let mut v = null();
            let mut l = 0;
            payauth_headers_find(out, p(b"X-SIGNATURE"), 11, &mut v, &mut l);
            let sig = CStr::from_ptr(v).to_str().unwrap().to_string();
            payauth_headers_free(out);
            sig
        }
    };
    let threads: Vec<_> = (0..8)
        .map(|_| {
            let expected = expected.clone();
            std::thread::spawn(move || {
                let e = Err::new();
                for _ in 0..200 {
                    let mut out = null_mut();
                    unsafe {
                        assert_eq!(sign(s as *const _, b"POST", b"/p", b"tok", &mut out, &e), 0);
                        let mut v = null();
                        let mut l = 0;
                        payauth_headers_find(out, p(b"X-SIGNATURE"), 11, &mut v, &mut l);
                        assert_eq!(CStr::from_ptr(v).to_str().unwrap(), expected);
                        payauth_headers_free(out);
                    }
                }
            })
        })
        .collect();
    threads.into_iter().for_each(|t| t.join().unwrap());
    unsafe { payauth_signer_free(s as *mut _) };
}

#[test]
fn client_exports_reject_null_and_bad_config() {
    use payauth::ffi::client::*;
    let e = Err::new();
    let mut c: *mut payauth_client = null_mut();
    let mut out: *mut payauth_headers = null_mut();
    let mut len = 0usize;
    unsafe {
        assert_eq!(payauth_client_new(null(), 3, &mut c, e.0), PAYAUTH_NULL_ARGUMENT);
        let netzme_no_url = NETZME;
        assert_eq!(
            payauth_client_new(p(netzme_no_url.as_bytes()), netzme_no_url.len(), &mut c, e.0),
            PAYAUTH_CONFIG_MISSING_FIELD
        );
        assert!(e.msg().contains("token_url"), "{}", e.msg());
        let bad_url = r#"{"profile":"paynet","client_id":"a","client_secret":"SuperSecret123","token_url":"ftp://x"}"#;
        assert_eq!(
            payauth_client_new(p(bad_url.as_bytes()), bad_url.len(), &mut c, e.0),
            PAYAUTH_CONFIG_INVALID_FIELD
        );
        assert!(!e.msg().contains("SuperSecret123"));
        let bad_margin = r#"{"profile":"paytia","api_key":"k","refresh_margin":0.9}"#;
        assert_eq!(
            payauth_client_new(p(bad_margin.as_bytes()), bad_margin.len(), &mut c, e.0),
            PAYAUTH_CONFIG_INVALID_FIELD
        );
        let missing_ca = r#"{"profile":"paytia","api_key":"k","ca_file":"/nonexistent/ca.pem"}"#;
        assert_eq!(
            payauth_client_new(p(missing_ca.as_bytes()), missing_ca.len(), &mut c, e.0),
            PAYAUTH_CONFIG_SECRET_SOURCE
        );
        assert!(c.is_null(), "out untouched on failure");
        assert_eq!(
            payauth_client_sign_request(
                null(),
                p(b"GET"),
                3,
                p(b"/"),
                1,
                null(),
                0,
                0,
                null(),
                0,
                0,
                &mut out,
                e.0
            ),
            PAYAUTH_NULL_ARGUMENT
        );
        assert_eq!(
            payauth_client_invalidate(null(), p(b"t"), 1, null_mut(), e.0),
            PAYAUTH_NULL_ARGUMENT
        );
        assert_eq!(
            payauth_client_stats(null(), null_mut(), 0, &mut len, e.0),
            PAYAUTH_NULL_ARGUMENT
        );
        payauth_client_free(null_mut());
        // A profile without a token flow signs without any network.
        let paytia = r#"{"profile":"paytia","api_key":"k"}"#;
        assert_eq!(
            payauth_client_new(p(paytia.as_bytes()), paytia.len(), &mut c, e.0),
            PAYAUTH_OK
        );
        assert_eq!(
            payauth_client_sign_request(c, p(b"GET"), 3, p(b"/"), 1, null(), 0, 0, null(), 0, 0, &mut out, e.0),
            PAYAUTH_OK
        );
        assert_eq!(payauth_headers_count(out), 1);
        payauth_headers_free(out);
        assert_eq!(
            payauth_client_invalidate(c, p(b""), 0, null_mut(), e.0),
            PAYAUTH_INVALID_ARGUMENT
        );
        let mut evicted = 7;
        assert_eq!(payauth_client_invalidate(c, p(b"t"), 1, &mut evicted, e.0), PAYAUTH_OK);
        assert_eq!(evicted, 0);
        assert_eq!(
            payauth_client_stats(c, null_mut(), 0, &mut len, e.0),
            PAYAUTH_BUFFER_TOO_SMALL
        );
        let mut buf = vec![0 as c_char; len + 1];
        assert_eq!(
            payauth_client_stats(c, buf.as_mut_ptr(), buf.len(), &mut len, e.0),
            PAYAUTH_OK
        );
        assert!(CStr::from_ptr(buf.as_ptr()).to_str().unwrap().contains("\"fetches\":0"));
        payauth_client_free(c);
    }
}

#[test]
fn header_injection_and_out_of_range_time_are_rejected() {
    for cfg in [
        r#"{"profile":"paynet","client_id":"c","client_secret":"s","signature_key":"a\nb"}"#,
        r#"{"profile":"azupay","api_key":"k","hmac":{"secret":"s","hash":"sha256","key_encoding":"utf8","output":"hex","template":"{body}","timestamp_format":"unix_s","signature_header":"S","timestamp_header":"T","key_id":"a\r\nb","key_id_header":"X-K"}}"#,
        r#"{"profile":"snap","client_id":"c","client_secret":"s","channel_id":"1\n2"}"#,
        r#"{"profile":"netzme","client_id":"c\n","client_secret":"s"}"#,
    ] {
        let e = payauth::Signer::from_json(cfg.as_bytes()).unwrap_err();
        assert_eq!(e.code, PAYAUTH_CONFIG_INVALID_FIELD, "{cfg}: {e:?}");
        assert!(!e.message.contains('\n'));
    }
    let e = payauth::Signer::from_json(br#"{"profile":"paytia","api_key":"k","token_header":"X\nY"}"#).unwrap_err();
    assert!(!e.message.contains('\n'), "messages stay on one line: {e:?}");
    let s = signer(r#"{"profile":"snap","client_id":"c","client_secret":"s"}"#);
    let e = Err::new();
    let mut out = null_mut();
    for ts in [i64::MAX, payauth::PAYAUTH_MAX_TIME_MS + 1] {
        let rc = unsafe {
            payauth_signer_sign(
                s,
                p(b"POST"),
                4,
                p(b"/a"),
                2,
                null(),
                0,
                p(b"t"),
                1,
                ts,
                null(),
                0,
                0,
                &mut out,
                e.0,
            )
        };
        assert_eq!(rc, PAYAUTH_INVALID_ARGUMENT);
    }
    let rc = unsafe {
        payauth_signer_sign(
            s,
            p(b"POST"),
            4,
            p(b"/a"),
            2,
            null(),
            0,
            p(b"t"),
            1,
            payauth::PAYAUTH_MAX_TIME_MS,
            null(),
            0,
            0,
            &mut out,
            e.0,
        )
    };
    assert_eq!(rc, PAYAUTH_OK);
    let mut v = null();
    let mut l = 0;
    unsafe {
        payauth_headers_find(out, p(b"X-TIMESTAMP"), 11, &mut v, &mut l);
        assert!(CStr::from_ptr(v).to_str().unwrap().starts_with("9999-12-30T"));
        payauth_headers_free(out);
        payauth_signer_free(s);
    }
}

#[test]
fn duplicate_configuration_fields_are_rejected() {
    let e = payauth::Signer::from_json(br#"{"profile":"netzme","profile":"paytia","api_key":"k"}"#).unwrap_err();
    assert_eq!(e.code, PAYAUTH_CONFIG_INVALID_FIELD, "{e:?}");
    assert!(e.message.contains("`profile`"), "{e:?}");
    let e = payauth::Signer::from_json(
        br#"{"profile":"azupay","api_key":"k","hmac":{"secret":"SuperSecret123","secret":"x"}}"#,
    )
    .unwrap_err();
    assert_eq!(e.code, PAYAUTH_CONFIG_INVALID_FIELD);
    assert!(!e.message.contains("SuperSecret123"));
}
