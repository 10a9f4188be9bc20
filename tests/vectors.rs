//! Runs every conformance vector in `tests/vectors/` through the Rust API. The C runner and the
//! bindings run the same files through the C ABI.

use payauth::{Extra, Request, Signer, status};
use serde_json::Value;
use std::path::PathBuf;

fn vectors() -> Vec<(String, Value)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/vectors");
    let mut out: Vec<(String, Value)> = std::fs::read_dir(&dir)
        .expect("tests/vectors exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .map(|p| {
            let text = std::fs::read_to_string(&p).unwrap();
            let v: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
            (p.file_stem().unwrap().to_string_lossy().into_owned(), v)
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

fn s<'a>(v: &'a Value, k: &str) -> &'a str {
    v.get(k).and_then(Value::as_str).unwrap_or("")
}

/// Runs one vector; returns a description of the first difference.
fn run(id: &str, v: &Value) -> Result<(), String> {
    if s(v, "id") != id {
        return Err(format!("id `{}` differs from the file name", s(v, "id")));
    }
    let expect = &v["expect"];
    let want_status = s(expect, "status");
    let input = &v["input"];
    let op = s(v, "operation");
    let result: Result<payauth::Signed, payauth::Error> = (|| {
        if op == "minify" {
            let out = payauth::json_minify(s(input, "json").as_bytes())?;
            let want = s(expect, "output");
            if out != want.as_bytes() {
                return Err(payauth::Error::new(
                    -1,
                    format!("minify gave {:?}, want {want:?}", String::from_utf8_lossy(&out)),
                ));
            }
            return Ok(payauth::Signed::new(false));
        }
        let config = match &v["config"] {
            Value::String(text) => text.clone(),
            other => other.to_string(),
        };
        let signer = Signer::from_json(config.as_bytes())?;
        let extra = match input.get("extra") {
            Some(e) if !e.is_null() => Extra::parse(e.to_string().as_bytes())?,
            _ => Extra::default(),
        };
        let ts = input.get("timestamp_ms").and_then(Value::as_i64).unwrap_or(0);
        match op {
            "signer_new" => Ok(payauth::Signed::new(false)),
            "sign" => {
                let req = Request::new(
                    s(input, "method"),
                    s(input, "path"),
                    s(input, "body").as_bytes(),
                    s(input, "token"),
                    ts,
                    extra,
                )?;
                signer.sign(&req, true)
            }
            "token_headers" => {
                let req = Request::for_token(ts, extra)?;
                signer.token_headers(&req, true)
            }
            "verify_rsa" => signer
                .verify_rsa(s(input, "message").as_bytes(), s(input, "signature").as_bytes())
                .map(|()| payauth::Signed::new(false)),
            "verify_jws" => signer
                .verify_jws(s(input, "jws"), s(input, "body").as_bytes())
                .map(|()| payauth::Signed::new(false)),
            "verify_snap_rsa" => {
                let extra = Extra {
                    timestamp: Some(s(input, "timestamp").to_string()),
                    ..Extra::default()
                };
                let req = Request::new(
                    s(input, "method"),
                    s(input, "path"),
                    s(input, "body").as_bytes(),
                    "",
                    1,
                    extra,
                )?;
                signer
                    .verify_snap_rsa(&req, s(input, "signature").as_bytes())
                    .map(|()| payauth::Signed::new(false))
            }
            "verify" => {
                let extra = Extra {
                    timestamp: Some(s(input, "timestamp").to_string()),
                    ..Extra::default()
                };
                let req = Request::new(
                    s(input, "method"),
                    s(input, "path"),
                    s(input, "body").as_bytes(),
                    s(input, "token"),
                    1,
                    extra,
                )?;
                signer
                    .verify(&req, s(input, "signature").as_bytes())
                    .map(|()| payauth::Signed::new(false))
            }
            other => Err(payauth::Error::new(-1, format!("unknown operation {other}"))),
        }
    })();
    let got_status = match &result {
        Ok(_) => "PAYAUTH_OK",
        Err(e) if e.code == -1 => return Err(e.message.clone()),
        Err(e) => status::name(e.code),
    };
    if got_status != want_status {
        return Err(format!(
            "status {got_status} ({:?}), want {want_status}",
            result.err().map(|e| e.message)
        ));
    }
    let Ok(signed) = result else { return Ok(()) };
    if let Some(headers) = expect.get("headers").and_then(Value::as_array) {
        let want: Vec<(String, String)> = headers
            .iter()
            .map(|h| {
                (
                    h[0].as_str().unwrap_or("").to_string(),
                    h[1].as_str().unwrap_or("").to_string(),
                )
            })
            .collect();
        let got = signed.headers();
        if got != want {
            return Err(format!("headers differ:\n  got  {got:?}\n  want {want:?}"));
        }
    }
    let want_body = expect.get("body").and_then(Value::as_str).map(str::as_bytes);
    if signed.body() != want_body {
        return Err(format!(
            "body to send: got {:?}, want {:?}",
            signed.body().map(String::from_utf8_lossy),
            want_body.map(String::from_utf8_lossy)
        ));
    }
    if let Some(explain) = expect.get("explain").and_then(Value::as_object) {
        for (name, want) in explain {
            let want = want.as_str().unwrap_or("");
            match signed.find_explain(name.as_bytes()) {
                Some(got) if got == want.as_bytes() => {}
                got => {
                    return Err(format!(
                        "explain `{name}`: got {:?}, want {want:?}",
                        got.map(String::from_utf8_lossy)
                    ));
                }
            }
        }
    }
    Ok(())
}

#[test]
fn all_vectors_pass() {
    let all = vectors();
    assert!(all.len() >= 30, "expected the full vector set, found {}", all.len());
    let failures: Vec<String> = all
        .iter()
        .filter_map(|(id, v)| run(id, v).err().map(|e| format!("{id}: {e}")))
        .collect();
    println!("{} passed, {} failed", all.len() - failures.len(), failures.len());
    assert!(failures.is_empty(), "failing vectors:\n{}", failures.join("\n"));
}

#[test]
fn every_profile_has_at_least_three_vectors() {
    let all = vectors();
    for profile in payauth::presets() {
        let n = all
            .iter()
            .filter(|(_, v)| v["config"].get("profile").and_then(Value::as_str) == Some(profile))
            .count();
        assert!(n >= 3, "profile {profile} has only {n} vectors");
    }
}

#[test]
fn every_preset_names_itself_through_the_c_abi() {
    use payauth::ffi::signer::{payauth_signer_free, payauth_signer_new, payauth_signer_profile};
    let all = vectors();
    for profile in payauth::presets() {
        let (_, v) = all
            .iter()
            .find(|(_, v)| {
                v["config"].get("profile").and_then(Value::as_str) == Some(profile)
                    && s(&v["expect"], "status") == "PAYAUTH_OK"
            })
            .unwrap_or_else(|| panic!("no valid configuration of {profile} among the vectors"));
        let config = v["config"].to_string();
        let mut signer = std::ptr::null_mut();
        // SAFETY: valid buffers; the signer is freed below.
        unsafe {
            assert_eq!(
                payauth_signer_new(config.as_ptr().cast(), config.len(), &mut signer, std::ptr::null_mut()),
                0
            );
            let name = std::ffi::CStr::from_ptr(payauth_signer_profile(signer));
            assert_eq!(name.to_str().unwrap(), profile);
            payauth_signer_free(signer);
        }
    }
}
