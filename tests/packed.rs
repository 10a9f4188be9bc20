//! The binding path (`payauth_signer_sign_packed`, `payauth_client_sign_packed`): every signing
//! and token-header vector through it (headers, the body to send and explain, decoded from the
//! documented format), bad packing, the spill buffer for results larger than the caller's
//! buffer (one signing, never two), and the client's packed call accepted by the emulator.

mod common;

use common::*;
use payauth::ffi::client::{payauth_client_free, payauth_client_new};
use payauth::ffi::error::{payauth_error_code, payauth_error_free, payauth_error_new};
use payauth::ffi::packed::{payauth_client_sign_packed, payauth_signer_sign_packed, payauth_spill_free};
use payauth::ffi::signer::{payauth_signer, payauth_signer_free, payauth_signer_new};
use payauth::ffi::{PAYAUTH_FLAG_EXPLAIN, PAYAUTH_FLAG_TOKEN_REQUEST};
use payauth::status::*;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::ptr::{null, null_mut};

/// Packs fields in the documented order (method, path, body, token, timestamp, external_id,
/// message_id, string_to_sign); `None` is absent.
fn pack(fields: &[Option<&[u8]>]) -> Vec<u8> {
    let mut out = (fields.len() as u32).to_le_bytes().to_vec();
    for f in fields {
        out.extend_from_slice(&f.map_or(u32::MAX, |b| b.len() as u32).to_le_bytes());
    }
    for f in fields.iter().flatten() {
        out.extend_from_slice(f);
    }
    out
}

fn simple(method: &str, path: &str, body: &[u8], token: &str) -> Vec<u8> {
    pack(&[
        Some(method.as_bytes()),
        Some(path.as_bytes()),
        Some(body),
        Some(token.as_bytes()),
    ])
}

/// A decoded result.
#[derive(Debug, Default, PartialEq)]
struct Decoded {
    headers: Vec<(String, String)>,
    body: Option<String>,
    explain: BTreeMap<String, String>,
}

fn le32(b: &[u8], at: &mut usize) -> usize {
    let v = u32::from_le_bytes(b[*at..*at + 4].try_into().unwrap()) as usize;
    *at += 4;
    v
}

fn chunk(b: &[u8], at: &mut usize) -> String {
    let n = le32(b, at);
    let s = String::from_utf8(b[*at..*at + n].to_vec()).unwrap();
    *at += n;
    s
}

/// Decodes the documented result format.
fn decode(out: &[u8]) -> Decoded {
    let split = out.iter().position(|b| *b == 1).unwrap_or(out.len());
    let mut d = Decoded::default();
    if split > 0 {
        let parts: Vec<&str> = std::str::from_utf8(&out[..split]).unwrap().split('\0').collect();
        assert_eq!(parts.len() % 2, 0, "name/value pairs");
        d.headers = parts.chunks(2).map(|p| (p[0].to_string(), p[1].to_string())).collect();
    }
    let mut at = split + 1;
    while at < out.len() {
        let tag = out[at];
        at += 1;
        match tag {
            b'B' => d.body = Some(chunk(out, &mut at)),
            b'E' => {
                for _ in 0..le32(out, &mut at) {
                    let n = chunk(out, &mut at);
                    d.explain.insert(n, chunk(out, &mut at));
                }
            }
            other => panic!("unknown section {other}"),
        }
    }
    d
}

/// Calls the signer's packed entry point with a buffer of `cap` bytes and a spill pointer.
fn call_signer(signer: *const payauth_signer, req: &[u8], ts: i64, flags: u32, cap: usize) -> (i32, Vec<u8>, bool) {
    let mut buf = vec![0u8; cap];
    let (mut len, mut spill) = (0usize, null_mut());
    // SAFETY: live signer, valid buffers.
    let rc = unsafe {
        payauth_signer_sign_packed(
            signer,
            req.as_ptr().cast(),
            req.len(),
            ts,
            flags,
            buf.as_mut_ptr().cast(),
            cap,
            &mut len,
            &mut spill,
            null_mut(),
        )
    };
    take(rc, buf, len, spill)
}

fn take(rc: i32, mut buf: Vec<u8>, len: usize, spill: *mut std::ffi::c_char) -> (i32, Vec<u8>, bool) {
    if rc != PAYAUTH_OK {
        return (rc, vec![], false);
    }
    if len > buf.len() {
        assert!(!spill.is_null(), "a result larger than the buffer comes in the spill");
        // SAFETY: the library's spill of `len` bytes, freed once.
        let out = unsafe { std::slice::from_raw_parts(spill.cast::<u8>(), len) }.to_vec();
        unsafe { payauth_spill_free(spill, len) };
        return (rc, out, true);
    }
    assert!(spill.is_null(), "no spill when the result fits");
    buf.truncate(len);
    (rc, buf, false)
}

fn new_signer(config: &str) -> Option<*mut payauth_signer> {
    let mut signer = null_mut();
    // SAFETY: valid buffers.
    let rc = unsafe { payauth_signer_new(config.as_ptr().cast(), config.len(), &mut signer, null_mut()) };
    (rc == PAYAUTH_OK).then_some(signer)
}

/// The vector's input as a packed request (its `extra` as typed fields).
fn vector_request(i: &Value) -> Vec<u8> {
    let s = |v: &Value| v.as_str().map(|s| s.as_bytes().to_vec());
    let extra = &i["extra"];
    let sts = extra.get("fields").map_or_else(
        || s(&extra["string_to_sign"]),
        |f| {
            Some(
                f.as_array()
                    .unwrap()
                    .iter()
                    .map(|x| x.as_str().unwrap())
                    .collect::<String>()
                    .into_bytes(),
            )
        },
    );
    let owned = [
        s(&i["method"]),
        s(&i["path"]),
        s(&i["body"]),
        s(&i["token"]),
        s(&extra["timestamp"]),
        s(&extra["external_id"]),
        s(&extra["message_id"]),
        sts,
    ];
    pack(&owned.iter().map(|o| o.as_deref()).collect::<Vec<_>>())
}

#[test]
fn every_signing_and_token_header_vector_through_the_packed_call() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/vectors");
    let mut ran = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|x| x != "json") {
            continue;
        }
        let v: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        let op = v["operation"].as_str().unwrap();
        if !(op == "sign" || op == "token_headers") || !v["config"].is_object() {
            continue;
        }
        let Some(signer) = new_signer(&v["config"].to_string()) else {
            continue; // a configuration vector; the Rust and C runners check its status
        };
        let i = &v["input"];
        let explain = v["expect"].get("explain").is_some();
        let mut flags = if explain { PAYAUTH_FLAG_EXPLAIN } else { 0 };
        if op == "token_headers" {
            flags |= PAYAUTH_FLAG_TOKEN_REQUEST;
        }
        let req = vector_request(i);
        let (rc, out, _) = call_signer(signer, &req, i["timestamp_ms"].as_i64().unwrap(), flags, 1024);
        assert_eq!(
            payauth::status::name(rc),
            v["expect"]["status"].as_str().unwrap(),
            "{}",
            v["id"]
        );
        if rc == PAYAUTH_OK {
            let d = decode(&out);
            let want: Vec<(String, String)> = serde_json::from_value(v["expect"]["headers"].clone()).unwrap();
            assert_eq!(d.headers, want, "{}", v["id"]);
            assert_eq!(
                d.body.as_deref(),
                v["expect"]["body"].as_str(),
                "{}: body to send",
                v["id"]
            );
            if explain {
                for (k, want) in v["expect"]["explain"].as_object().unwrap() {
                    assert_eq!(d.explain.get(k).map(String::as_str), want.as_str(), "{}: {k}", v["id"]);
                }
            } else {
                assert!(d.explain.is_empty());
            }
        }
        // SAFETY: live signer.
        unsafe { payauth_signer_free(signer) };
        ran += 1;
    }
    assert!(ran >= 60, "{ran} signing vectors");
}

#[test]
fn a_result_larger_than_the_buffer_is_spilled_from_one_signing() {
    let signer = new_signer(&json!({"profile": "snap", "client_id": "c", "client_secret": "s"}).to_string()).unwrap();
    let pretty = format!("{{\n  \"note\": \"{}\"\n}}", "x".repeat(3000));
    // No timestamp and no external id given: a second signing would differ in both.
    let req = simple("POST", "/v1/x", pretty.as_bytes(), "tok");
    let (rc, small, spilled) = call_signer(signer, &req, 0, PAYAUTH_FLAG_EXPLAIN, 64);
    assert_eq!(rc, PAYAUTH_OK);
    assert!(spilled);
    let d = decode(&small);
    let body = d.body.clone().expect("a minified body to send");
    assert_eq!(body.len(), pretty.len() - 5);
    // The explain string to sign and the headers belong to the same signing.
    let ts = d.headers.iter().find(|h| h.0 == "X-TIMESTAMP").unwrap().1.clone();
    assert!(d.explain["string_to_sign"].ends_with(&ts));
    // Without a spill pointer: BUFFER_TOO_SMALL with the size needed, nothing else written.
    let mut buf = [0u8; 16];
    let mut len = 0usize;
    let err = payauth_error_new();
    // SAFETY: live signer and error object, valid buffers.
    let rc = unsafe {
        payauth_signer_sign_packed(
            signer,
            req.as_ptr().cast(),
            req.len(),
            0,
            0,
            buf.as_mut_ptr().cast(),
            16,
            &mut len,
            null_mut(),
            err,
        )
    };
    assert_eq!(rc, PAYAUTH_BUFFER_TOO_SMALL);
    assert_eq!(unsafe { payauth_error_code(err) }, rc);
    assert!(len > 3000 && buf == [0u8; 16]);
    // A NULL buffer with a spill pointer: always spilled.
    let (rc, all, spilled) = call_signer(signer, &req, 1_700_000_000_000, 0, 0);
    assert!(rc == PAYAUTH_OK && spilled && decode(&all).body == Some(body));
    unsafe {
        payauth_spill_free(null_mut(), 0);
        payauth_error_free(err);
        payauth_signer_free(signer);
    }
}

#[test]
fn bad_packing_and_null_arguments_have_their_statuses() {
    let signer = new_signer(&json!({"profile": "netzme", "client_id": "c", "client_secret": "s"}).to_string()).unwrap();
    let ok = simple("GET", "/x", b"", "tok");
    let mut truncated = ok.clone();
    truncated.pop();
    let mut trailing = ok.clone();
    trailing.push(b'x');
    let mut nine = 9u32.to_le_bytes().to_vec();
    nine.extend_from_slice(&[0xff; 36]);
    let cases: Vec<(Vec<u8>, u32, i32)> = vec![
        (ok.clone(), 0, PAYAUTH_OK),
        (vec![], 0, PAYAUTH_INVALID_ARGUMENT),
        (vec![1, 0], 0, PAYAUTH_INVALID_ARGUMENT),
        (0u32.to_le_bytes().to_vec(), 0, PAYAUTH_INVALID_ARGUMENT),
        (nine, 0, PAYAUTH_INVALID_ARGUMENT),
        (truncated, 0, PAYAUTH_INVALID_ARGUMENT),
        (trailing, 0, PAYAUTH_INVALID_ARGUMENT),
        (ok.clone(), 0x80, PAYAUTH_INVALID_ARGUMENT),
        (simple("G\u{ff}T", "/x", b"", "tok"), 0, PAYAUTH_INVALID_ARGUMENT),
        (
            pack(&[Some(b"G\xffT"), Some(b"/x"), None, Some(b"tok")]),
            0,
            PAYAUTH_INVALID_UTF8,
        ),
        (simple("GET", "/x", b"", ""), 0, PAYAUTH_MISSING_TOKEN),
        (pack(&[Some(b"GET"), Some(b"/x")]), 0, PAYAUTH_MISSING_TOKEN),
        (simple("G T", "/x", b"", "tok"), 0, PAYAUTH_INVALID_ARGUMENT),
        (simple("GET", "https://h/x", b"", "tok"), 0, PAYAUTH_INVALID_ARGUMENT),
        // A body that is not JSON is signed as the exact bytes, NUL bytes included.
        (simple("POST", "/x", b"\xff\xfe", "tok"), 0, PAYAUTH_OK),
        (simple("POST", "/x", b"{\"a\":\x00 1}", "tok"), 0, PAYAUTH_OK),
        (
            pack(&[None, None, None, None, Some(b"ts\n")]),
            PAYAUTH_FLAG_TOKEN_REQUEST,
            PAYAUTH_INVALID_ARGUMENT,
        ),
        (
            pack(&[None, None, None, None, Some(b"2024")]),
            PAYAUTH_FLAG_TOKEN_REQUEST,
            PAYAUTH_OK,
        ),
        (ok.clone(), PAYAUTH_FLAG_TOKEN_REQUEST, PAYAUTH_INVALID_ARGUMENT),
    ];
    for (req, flags, want) in cases {
        let (rc, _, _) = call_signer(signer, &req, 1_700_000_000_000, flags, 256);
        assert_eq!(
            payauth::status::name(rc),
            payauth::status::name(want),
            "{req:?} flags {flags}"
        );
    }
    let mut len = 0usize;
    // SAFETY: NULL handles and buffers are what is tested.
    unsafe {
        let s = |signer, req: *const std::ffi::c_char, rl, len| {
            payauth_signer_sign_packed(signer, req, rl, 0, 0, null_mut(), 0, len, null_mut(), null_mut())
        };
        assert_eq!(s(null(), ok.as_ptr().cast(), ok.len(), &mut len), PAYAUTH_NULL_ARGUMENT);
        assert_eq!(s(signer, null(), 5, &mut len), PAYAUTH_NULL_ARGUMENT);
        assert_eq!(
            s(signer, ok.as_ptr().cast(), ok.len(), null_mut()),
            PAYAUTH_NULL_ARGUMENT
        );
        let c = payauth_client_sign_packed(
            null(),
            ok.as_ptr().cast(),
            ok.len(),
            0,
            0,
            null_mut(),
            0,
            &mut len,
            null_mut(),
            null_mut(),
        );
        assert_eq!(c, PAYAUTH_NULL_ARGUMENT);
        payauth_signer_free(signer);
    }
}

#[test]
fn the_clients_packed_call_is_accepted_by_the_gateway() {
    let gw = gateway();
    for profile in ["netzme", "paytia", "snap", "netzme-snap"] {
        let config = gw.config(profile, json!({}));
        let mut client = null_mut();
        // SAFETY: valid buffers.
        assert_eq!(
            unsafe { payauth_client_new(config.as_ptr().cast(), config.len(), &mut client, null_mut()) },
            PAYAUTH_OK
        );
        let path = format!("/echo/{profile}/pay");
        let body = b"{\n  \"amount\": \"10.00\"\n}";
        let sign = |req: &[u8], flags: u32| {
            let mut buf = vec![0u8; 1024];
            let (mut len, mut spill) = (0usize, null_mut());
            // SAFETY: live client, valid buffers.
            let rc = unsafe {
                payauth_client_sign_packed(
                    client,
                    req.as_ptr().cast(),
                    req.len(),
                    0,
                    flags,
                    buf.as_mut_ptr().cast(),
                    1024,
                    &mut len,
                    &mut spill,
                    null_mut(),
                )
            };
            take(rc, buf, len, spill)
        };
        let bare = simple("POST", &path, body, "");
        assert_eq!(
            sign(&simple("POST", &path, body, "x"), 0).0,
            PAYAUTH_INVALID_ARGUMENT,
            "the client adds its own token"
        );
        assert_eq!(sign(&bare, PAYAUTH_FLAG_TOKEN_REQUEST).0, PAYAUTH_INVALID_ARGUMENT);
        let (rc, out, _) = sign(&bare, 0);
        assert_eq!(rc, PAYAUTH_OK);
        let d = decode(&out);
        let sent = d.body.as_ref().map_or(&body[..], |b| b.as_bytes());
        assert_eq!(gw.send("POST", &path, &d.headers, sent), 200, "{profile}");
        // SAFETY: live client.
        unsafe { payauth_client_free(client) };
    }
}
