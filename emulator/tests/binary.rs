//! The `payauth-emulator` binary: READY line, CA file, config file, control API, and exit on
//! stdin EOF.

mod common;

use common::Client;
use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::process::{Command, Stdio};

#[test]
fn binary_ready_control_and_stdin_eof() {
    let dir = std::env::temp_dir().join(format!("payauth-emulator-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let ca = dir.join("ca.pem");
    let cfg = dir.join("config.json");
    std::fs::write(&cfg, r#"{"paynet":{"client_secret":"from-file"}}"#).unwrap();

    let mut child = Command::new(env!("CARGO_BIN_EXE_payauth-emulator"))
        .arg("--config")
        .arg(&cfg)
        .arg("--ca-out")
        .arg(&ca)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    stdout.read_line(&mut line).unwrap();
    let url = line
        .trim_end()
        .strip_prefix("READY ")
        .unwrap_or_else(|| panic!("bad first line {line:?}"));
    assert!(url.starts_with("https://127.0.0.1:"), "{url}");
    let addr: SocketAddr = url.trim_start_matches("https://").parse().unwrap();

    let client = Client::from_ca_pem(&std::fs::read_to_string(&ca).unwrap(), addr);
    let config = client.send("GET", "/_emulator/config", &[], b"").json();
    assert_eq!(config["paynet"]["client_secret"], "from-file");
    let id = config["paynet"]["client_id"].as_str().unwrap().to_string();
    assert_eq!(
        id, "9e0e99f396e74838aeb583d1f06bc03d",
        "defaults kept beside the file's fields"
    );

    let form = format!("client_id={id}&client_secret=from-file&grant_type=client_credentials");
    assert_eq!(client.post_form("/auth/token", &form).status, 200);
    let r = client.send(
        "POST",
        "/_emulator/fault",
        &[],
        br#"{"endpoint":"paynet","fault":"status","status":500}"#,
    );
    assert_eq!(r.status, 200);
    assert_eq!(client.post_form("/auth/token", &form).status, 500);
    let stats = client.send("GET", "/_emulator/stats", &[], b"").json();
    assert_eq!(stats["profiles"]["paynet"]["token_requests"], 2);
    assert_eq!(stats["profiles"]["paynet"]["token_failures"], 1);

    drop(child.stdin.take()); // EOF on stdin stops it
    let status = child.wait().unwrap();
    assert!(status.success(), "{status}");
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut stdout, &mut rest).unwrap();
    assert_eq!(rest, "", "exactly one line on stdout");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn binary_rejects_bad_arguments() {
    let out = Command::new(env!("CARGO_BIN_EXE_payauth-emulator"))
        .arg("--bogus")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(out.stdout.is_empty());
}

#[test]
fn binary_ignore_stdin_stops_on_sigterm() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_payauth-emulator"))
        .arg("--ignore-stdin")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    stdout.read_line(&mut line).unwrap();
    assert!(line.starts_with("READY https://127.0.0.1:"), "{line:?}");
    // Still serving although stdin was at EOF from the start (plain TCP connect suffices).
    let addr: SocketAddr = line.trim_end().trim_start_matches("READY https://").parse().unwrap();
    assert!(std::net::TcpStream::connect(addr).is_ok());
    // SAFETY: sending a signal to our own child process.
    assert_eq!(unsafe { libc::kill(child.id() as libc::pid_t, libc::SIGTERM) }, 0);
    let status = child.wait().unwrap();
    assert!(status.success(), "{status}");
}
