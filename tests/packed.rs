//! The one-crossing entry points (`payauth_signer_sign_packed`, `payauth_client_sign_packed`):
//! every signing vector gives its expected headers as one text, bad packing and small buffers
//! give their statuses, and the client's packed call is accepted by the emulator.

mod common;

use common::*;
use payauth::ffi::client::{payauth_client_free, payauth_client_new};
use payauth::ffi::error::{payauth_error_code, payauth_error_free, payauth_error_new};
use payauth::ffi::packed::{payauth_client_sign_packed, payauth_signer_sign_packed};
use payauth::ffi::signer::{payauth_signer_free, payauth_signer_new};
use payauth::status::*;
use serde_json::{Value, json};
use std::ffi::c_char;
use std::path::PathBuf;
use std::ptr::{null, null_mut};

fn pack(method: &str, path: &str, token: &str, extra: &str, body: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    for f in [method, path, token, extra] {
        out.extend_from_slice(f.as_bytes());
        out.push(0);
    }
    out.extend_from_slice(body);
    out
}

/// Calls a packed entry point with a 4 KiB buffer; returns (status, text).
fn call(f: impl Fn(*const c_char, usize, *mut c_char, usize, *mut usize) -> i32, request: &[u8]) -> (i32, String) {
    let mut buf = vec![0u8; 4096];
    let mut len = 0usize;
    let rc = f(
        request.as_ptr().cast(),
        request.len(),
        buf.as_mut_ptr().cast(),
        buf.len(),
        &mut len,
    );
    let text = if rc == PAYAUTH_OK {
        assert_eq!(buf[len], 0, "NUL-terminated");
        String::from_utf8(buf[..len].to_vec()).unwrap()
    } else {
        String::new()
    };
    (rc, text)
}

#[test]
fn every_signing_vector_through_the_packed_call() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/vectors");
    let mut ran = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|x| x != "json") {
            continue;
        }
        let v: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        if v["operation"] != "sign" || !v["config"].is_object() {
            continue;
        }
        let config = v["config"].to_string();
        let mut signer = null_mut();
        // SAFETY: valid buffers.
        if unsafe { payauth_signer_new(config.as_ptr().cast(), config.len(), &mut signer, null_mut()) } != PAYAUTH_OK {
            continue; // a configuration vector; the Rust and C runners check its status
        }
        let i = &v["input"];
        let extra = i
            .get("extra")
            .filter(|e| !e.is_null())
            .map_or(String::new(), Value::to_string);
        let req = pack(
            i["method"].as_str().unwrap(),
            i["path"].as_str().unwrap(),
            i["token"].as_str().unwrap_or(""),
            &extra,
            i["body"].as_str().unwrap_or("").as_bytes(),
        );
        let ts = i["timestamp_ms"].as_i64().unwrap();
        // SAFETY: live signer, valid buffers.
        let (rc, text) = call(
            |r, rl, o, oc, ol| unsafe { payauth_signer_sign_packed(signer, r, rl, ts, o, oc, ol, null_mut()) },
            &req,
        );
        let want_status = v["expect"]["status"].as_str().unwrap();
        assert_eq!(payauth::status::name(rc), want_status, "{}", v["id"]);
        if rc == PAYAUTH_OK {
            let want: String = v["expect"]["headers"]
                .as_array()
                .unwrap()
                .iter()
                .map(|h| format!("{}: {}\r\n", h[0].as_str().unwrap(), h[1].as_str().unwrap()))
                .collect();
            assert_eq!(text, want, "{}", v["id"]);
        }
        // SAFETY: live signer.
        unsafe { payauth_signer_free(signer) };
        ran += 1;
    }
    assert!(ran >= 40, "{ran} signing vectors");
}

#[test]
fn bad_packing_null_arguments_and_small_buffers() {
    let config = json!({"profile": "netzme", "client_id": "c", "client_secret": "s"}).to_string();
    let mut signer = null_mut();
    // SAFETY: valid buffers.
    assert_eq!(
        unsafe { payauth_signer_new(config.as_ptr().cast(), config.len(), &mut signer, null_mut()) },
        PAYAUTH_OK
    );
    let err = payauth_error_new();
    let sign = |req: &[u8], out: *mut c_char, cap: usize, len: *mut usize| {
        // SAFETY: live signer and error; the buffers are valid or NULL as each case says.
        let rc = unsafe {
            payauth_signer_sign_packed(
                signer,
                req.as_ptr().cast(),
                req.len(),
                1_700_000_000_000,
                out,
                cap,
                len,
                err,
            )
        };
        // SAFETY: live error object.
        assert_eq!(unsafe { payauth_error_code(err) }, rc);
        rc
    };
    let mut len = 0usize;
    let mut buf = [0u8; 8];
    for (req, want) in [
        (&b"GET"[..], PAYAUTH_INVALID_ARGUMENT),
        (b"GET\0/x\0tok\0", PAYAUTH_INVALID_ARGUMENT),
        (b"G\xffT\0/x\0tok\0\0", PAYAUTH_INVALID_UTF8),
        (b"GET\0/x\0tok\0{not json\0", PAYAUTH_INVALID_ARGUMENT),
        (b"GET\0/x\0\0\0", PAYAUTH_MISSING_TOKEN),
        (b"G T\0/x\0tok\0\0", PAYAUTH_INVALID_ARGUMENT),
    ] {
        assert_eq!(
            sign(req, null_mut(), 0, &mut len),
            want,
            "{:?}",
            String::from_utf8_lossy(req)
        );
    }
    // A buffer that is too small: the needed length, nothing written.
    let req = pack("POST", "/x", "tok", "", b"{\"a\":\0 1}");
    assert_eq!(
        sign(&req, buf.as_mut_ptr().cast(), buf.len(), &mut len),
        PAYAUTH_BUFFER_TOO_SMALL
    );
    assert!(len > buf.len() && buf == [0u8; 8]);
    let mut big = vec![0u8; len + 1];
    assert_eq!(sign(&req, big.as_mut_ptr().cast(), big.len(), &mut len), PAYAUTH_OK);
    assert!(String::from_utf8_lossy(&big[..len]).starts_with("Authorization: Bearer tok\r\n"));
    // NULL arguments.
    assert_eq!(
        sign(&req, big.as_mut_ptr().cast(), big.len(), null_mut()),
        PAYAUTH_NULL_ARGUMENT
    );
    // SAFETY: NULL handles and buffers are what is tested.
    unsafe {
        assert_eq!(
            payauth_signer_sign_packed(
                null(),
                req.as_ptr().cast(),
                req.len(),
                0,
                null_mut(),
                0,
                &mut len,
                null_mut()
            ),
            PAYAUTH_NULL_ARGUMENT
        );
        assert_eq!(
            payauth_signer_sign_packed(signer, null(), 5, 0, null_mut(), 0, &mut len, null_mut()),
            PAYAUTH_NULL_ARGUMENT
        );
        assert_eq!(
            payauth_client_sign_packed(
                null(),
                req.as_ptr().cast(),
                req.len(),
                0,
                null_mut(),
                0,
                &mut len,
                null_mut()
            ),
            PAYAUTH_NULL_ARGUMENT
        );
        payauth_signer_free(signer);
        payauth_error_free(err);
    }
}

#[test]
fn the_clients_packed_call_is_accepted_by_the_gateway() {
    let gw = gateway();
    for profile in ["netzme", "paytia", "snap"] {
        let config = gw.config(profile, json!({}));
        let mut client = null_mut();
        // SAFETY: valid buffers.
        assert_eq!(
            unsafe { payauth_client_new(config.as_ptr().cast(), config.len(), &mut client, null_mut()) },
            PAYAUTH_OK
        );
        let path = format!("/echo/{profile}/pay");
        let body = br#"{"amount":"10.00"}"#;
        let sign = |token: &str| {
            // SAFETY: live client, valid buffers.
            call(
                |r, rl, o, oc, ol| unsafe { payauth_client_sign_packed(client, r, rl, 0, o, oc, ol, null_mut()) },
                &pack("POST", &path, token, "", body),
            )
        };
        assert_eq!(
            sign("not-empty").0,
            PAYAUTH_INVALID_ARGUMENT,
            "the client adds its own token"
        );
        let (rc, text) = sign("");
        assert_eq!(rc, PAYAUTH_OK);
        let headers: Vec<(String, String)> = text
            .split("\r\n")
            .filter(|l| !l.is_empty())
            .map(|l| {
                let (n, v) = l.split_once(": ").unwrap();
                (n.to_string(), v.to_string())
            })
            .collect();
        assert_eq!(gw.send("POST", &path, &headers, body), 200, "{profile}");
        // SAFETY: live client.
        unsafe { payauth_client_free(client) };
    }
}
