//! A client created and used before `fork()` works in 16 children: each signs with the inherited
//! token, invalidates it and gets a new one. No child hangs (bounded wait). Without the host tier
//! each child fetches its own over a fresh connection (17 token requests in all); with it, the 16
//! children share one refresh (2 in all).

mod common;

use common::*;
use serde_json::json;
use std::time::{Duration, Instant};

fn child_work(client: &payauth::Client) -> i32 {
    let Ok(s) = client.sign_request("GET", "/echo/paynet/x", b"", 0, Default::default(), false) else {
        return 2;
    };
    let sent = header(&s.headers(), "Authorization");
    if client.invalidate(&sent).is_err() {
        return 3;
    }
    match client.sign_request("GET", "/echo/paynet/x", b"", 0, Default::default(), false) {
        Ok(s) if header(&s.headers(), "Authorization") != sent => 0,
        Ok(_) => 4,
        Err(_) => 5,
    }
}

/// Waits for every child (killing and failing on one still running after `within`); returns
/// their exit codes (-1 for a child that did not exit normally).
fn exit_codes(pids: Vec<libc::pid_t>, within: Duration) -> Vec<i32> {
    let deadline = Instant::now() + within;
    let mut codes = Vec::new();
    for pid in pids {
        let mut status = 0;
        loop {
            // SAFETY: waiting for our own child.
            if unsafe { libc::waitpid(pid, &mut status, libc::WNOHANG) } == pid {
                break;
            }
            if Instant::now() > deadline {
                // SAFETY: killing our own hung child.
                unsafe { libc::kill(pid, libc::SIGKILL) };
                panic!("child {pid} hung");
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        codes.push(if libc::WIFEXITED(status) {
            libc::WEXITSTATUS(status)
        } else {
            -1
        });
    }
    codes
}

#[test]
fn a_client_used_before_fork_works_in_16_children() {
    fork_16(false, 17, "the parent's token plus one per child after invalidation");
}

#[test]
fn forked_children_share_one_refresh_through_the_host_tier() {
    fork_16(true, 2, "the parent's token plus one refresh shared by the 16 children");
}

fn fork_16(host: bool, want: u64, why: &str) {
    let gw = gateway();
    let dir = temp_dir("fork-host");
    let client = gw.client(
        "paynet",
        json!({"cache": {"host": host, "dir": dir.0.to_str().unwrap()}}),
    );
    client
        .sign_request("GET", "/echo/paynet/x", b"", 0, Default::default(), false)
        .unwrap();
    let mut pids = Vec::new();
    for _ in 0..16 {
        // SAFETY: the child only runs payauth code and then _exit()s.
        let pid = unsafe { libc::fork() };
        assert!(pid >= 0, "fork failed");
        if pid == 0 {
            let code = child_work(&client);
            // SAFETY: leave the child without running the parent's destructors or test harness.
            unsafe { libc::_exit(code) };
        }
        pids.push(pid);
    }
    let codes = exit_codes(pids, Duration::from_secs(60));
    assert!(codes.iter().all(|c| *c == 0), "child exit codes: {codes:?}");
    assert_eq!(gw.token_requests("paynet"), want, "{why}");
    // The parent is unaffected.
    assert!(
        client
            .sign_request("GET", "/echo/paynet/x", b"", 0, Default::default(), false)
            .is_ok()
    );
}

/// Forking while another thread of the parent is in the middle of a token request (holding the
/// client's in-flight state and the host lock): the children neither inherit the lock nor wait
/// forever for a flight that does not exist in them; they take the parent's token from the host
/// entry once the parent writes it. One token request in all.
#[test]
fn fork_during_a_token_request_in_another_thread() {
    use payauth_emulator::{Endpoint, Fault};
    let gw = gateway();
    let dir = temp_dir("fork-mid");
    let client = std::sync::Arc::new(gw.client("paynet", json!({"cache": {"dir": dir.0.to_str().unwrap()}})));
    gw.emu.inject(Endpoint::Paynet, Fault::Slow { delay_ms: 800 }, 1);
    let c = client.clone();
    let fetching = std::thread::spawn(move || {
        c.sign_request("GET", "/echo/paynet/x", b"", 0, Default::default(), false)
            .map(|s| header(&s.headers(), "Authorization"))
    });
    std::thread::sleep(Duration::from_millis(200)); // the fetch is in flight
    let mut pids = Vec::new();
    for _ in 0..4 {
        // SAFETY: the child only runs payauth code and then _exit()s.
        let pid = unsafe { libc::fork() };
        assert!(pid >= 0);
        if pid == 0 {
            let ok = client
                .sign_request("GET", "/echo/paynet/x", b"", 0, Default::default(), false)
                .is_ok();
            // SAFETY: leave the child at once.
            unsafe { libc::_exit(if ok { 0 } else { 1 }) };
        }
        pids.push(pid);
    }
    let parent_token = fetching.join().unwrap().expect("the parent's fetch succeeds");
    assert!(!parent_token.is_empty());
    let codes = exit_codes(pids, Duration::from_secs(30));
    assert!(codes.iter().all(|c| *c == 0), "child exit codes: {codes:?}");
    assert_eq!(gw.token_requests("paynet"), 1, "the children used the parent's token");
}
