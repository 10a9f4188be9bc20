//! Real worker processes for the shared-tier and outage tests: a test binary re-runs itself
//! (its `worker` test, active only with PAYAUTH_TEST_WORKER set), each worker with its own
//! client, optionally as another Unix user, under a fake wall clock (libfaketime) or with a file
//! size limit (a full disk). Workers print `RESULT …` lines (one per thread) and `STATS {json}`.
//!
//! Modes (`W_MODE`):
//! * `once`: each thread signs once: `TOKEN <Authorization>` or `ERROR <status name> <message>`;
//! * `send`: each thread signs and sends to the emulator's echo endpoint until the duration ends
//!   (a rejection is followed by `invalidate`): `SENT n REJECTED m ERRORS e`;
//! * `sign`: each thread signs in a loop until the duration ends: `OK n ERRORS e <status>=<count>…`;
//! * `clock`: one thread: signs (expects the gateway to fail), steps its own wall clock back an
//!   hour (`W_FAKETIME_FILE`), waits `W_DURATION_MS`, signs again, sends, and prints both
//!   outcomes: `FIRST …` / `SECOND …` / `SENT <status>`.

#![allow(dead_code)]

use super::{header, test_agent};
use payauth::Client;
use std::collections::BTreeMap;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

pub const FAKETIME_LIB: &str = "/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1";

pub fn now_ms() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_millis() as i64
}

fn env(k: &str) -> String {
    std::env::var(k).unwrap_or_default()
}

fn describe(r: &payauth::Result<payauth::Signed>) -> String {
    match r {
        Ok(s) => format!("TOKEN {}", header(&s.headers(), "Authorization")),
        Err(e) => format!("ERROR {} {}", payauth::status::name(e.code), e.message),
    }
}

fn send(agent: &ureq::Agent, url: &str, s: &payauth::Signed) -> u16 {
    let mut req = agent.get(url);
    for (n, v) in s.headers() {
        req = req.header(n.as_str(), v.as_str());
    }
    // Reading the body returns the connection to the agent's pool.
    req.call()
        .map(|r| {
            let status = r.status().as_u16();
            let _ = r.into_body().read_to_vec();
            status
        })
        .unwrap_or(0)
}

fn thread_body(client: &Client, mode: &str, start_at: i64, duration: i64, path: &str) -> String {
    let wait = start_at - now_ms();
    if wait > 0 {
        std::thread::sleep(Duration::from_millis(wait as u64));
    }
    let sign = || client.sign_request("GET", path, b"", 0, Default::default(), false);
    match mode {
        "once" => describe(&sign()),
        "sign" => {
            let (mut ok, mut errors) = (0, 0);
            let mut codes = BTreeMap::new();
            while now_ms() < start_at + duration {
                match sign() {
                    Ok(_) => ok += 1,
                    Err(e) => {
                        errors += 1;
                        *codes.entry(payauth::status::name(e.code)).or_insert(0u64) += 1;
                    }
                }
                std::thread::sleep(Duration::from_millis(1));
            }
            let codes: Vec<String> = codes.iter().map(|(k, v)| format!("{k}={v}")).collect();
            format!("OK {ok} ERRORS {errors} {}", codes.join(" "))
        }
        "send" => {
            let agent = test_agent(&std::fs::read_to_string(env("W_CA")).unwrap());
            let url = format!("{}{path}", env("W_BASE"));
            let (mut sent, mut rejected, mut errors) = (0, 0, 0);
            while now_ms() < start_at + duration {
                let Ok(s) = sign() else {
                    errors += 1;
                    continue;
                };
                sent += 1;
                if send(&agent, &url, &s) != 200 {
                    rejected += 1;
                    let _ = client.invalidate(&header(&s.headers(), "Authorization"));
                }
            }
            format!("SENT {sent} REJECTED {rejected} ERRORS {errors}")
        }
        "clock" => {
            let first = describe(&sign());
            std::fs::write(env("W_FAKETIME_FILE"), "-3600\n").unwrap();
            std::thread::sleep(Duration::from_millis(duration as u64));
            let second = sign();
            let agent = test_agent(&std::fs::read_to_string(env("W_CA")).unwrap());
            let sent = second
                .as_ref()
                .map_or(0, |s| send(&agent, &format!("{}{path}", env("W_BASE")), s));
            format!("FIRST {first}\nRESULT SECOND {}\nRESULT SENT {sent}", describe(&second))
        }
        other => panic!("unknown W_MODE {other}"),
    }
}

/// The worker's body; call it from a `#[test] fn worker()` in every file that spawns workers.
pub fn worker_main() {
    if std::env::var_os("PAYAUTH_TEST_WORKER").is_none() {
        return;
    }
    if let Ok(limit) = env("W_FSIZE").parse::<u64>() {
        // A disk that takes no more bytes: writes fail with EFBIG (the signal is ignored).
        // SAFETY: plain syscalls on this process.
        unsafe {
            libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
            let rl = libc::rlimit {
                rlim_cur: limit,
                rlim_max: limit,
            };
            libc::setrlimit(libc::RLIMIT_FSIZE, &rl);
        }
    }
    let client = std::sync::Arc::new(match Client::from_json(env("W_CONFIG").as_bytes()) {
        Ok(c) => c,
        Err(e) => {
            println!("RESULT CONFIG-ERROR {e}");
            return;
        }
    });
    let threads: usize = env("W_THREADS").parse().unwrap_or(1);
    let start_at: i64 = env("W_START_AT").parse().unwrap_or(0);
    let duration: i64 = env("W_DURATION_MS").parse().unwrap_or(0);
    let (mode, path) = (env("W_MODE"), env("W_PATH"));
    let handles: Vec<_> = (0..threads)
        .map(|_| {
            let (client, mode, path) = (client.clone(), mode.clone(), path.clone());
            std::thread::spawn(move || thread_body(&client, &mode, start_at, duration, &path))
        })
        .collect();
    for h in handles {
        println!("RESULT {}", h.join().unwrap());
    }
    println!("STATS {}", client.stats_json().unwrap());
}

/// How to start one worker.
#[derive(Clone, Debug)]
pub struct Spawn {
    pub config: String,
    pub mode: &'static str,
    pub threads: usize,
    pub start_at: i64,
    pub duration_ms: i64,
    pub path: String,
    pub env: Vec<(String, String)>,
    /// Run as this user and group (needs root).
    pub user: Option<(u32, u32)>,
}

impl Spawn {
    pub fn new(config: String, mode: &'static str, path: &str) -> Spawn {
        Spawn {
            config,
            mode,
            threads: 1,
            start_at: 0,
            duration_ms: 0,
            path: path.to_string(),
            env: Vec::new(),
            user: None,
        }
    }

    pub fn env(mut self, k: &str, v: impl Into<String>) -> Spawn {
        self.env.push((k.into(), v.into()));
        self
    }

    /// Under libfaketime, its wall clock read from `file` (the monotonic clock stays real).
    pub fn fake_clock(self, file: &std::path::Path) -> Spawn {
        std::fs::write(file, "+0\n").unwrap();
        self.env("LD_PRELOAD", FAKETIME_LIB)
            .env("FAKETIME_TIMESTAMP_FILE", file.to_str().unwrap())
            .env("FAKETIME_NO_CACHE", "1")
            .env("FAKETIME_DONT_FAKE_MONOTONIC", "1")
            .env("W_FAKETIME_FILE", file.to_str().unwrap())
    }

    pub fn start(&self, gw: &super::Gateway) -> Worker {
        use std::os::unix::process::CommandExt;
        let mut cmd = Command::new(std::env::current_exe().unwrap());
        cmd.args(["--exact", "worker", "--nocapture", "--test-threads=1", "--quiet"])
            .env("PAYAUTH_TEST_WORKER", "1")
            .env("W_CONFIG", &self.config)
            .env("W_MODE", self.mode)
            .env("W_THREADS", self.threads.to_string())
            .env("W_START_AT", self.start_at.to_string())
            .env("W_DURATION_MS", self.duration_ms.to_string())
            .env("W_PATH", &self.path)
            .env("W_BASE", gw.emu.base_url())
            .env("W_CA", &gw.ca_file)
            .envs(self.env.iter().map(|(k, v)| (k, v)))
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        if let Some((uid, gid)) = self.user {
            cmd.uid(uid).gid(gid);
        }
        Worker {
            child: cmd.spawn().expect("worker starts"),
        }
    }
}

/// A running worker.
pub struct Worker {
    pub child: Child,
}

/// What a worker printed.
#[derive(Debug, Default)]
pub struct Output {
    pub results: Vec<String>,
    pub stats: Vec<serde_json::Value>,
    pub stderr: String,
}

impl Worker {
    /// Sends a signal (`libc::SIGKILL`, `SIGSTOP`, `SIGCONT`).
    pub fn signal(&self, sig: libc::c_int) {
        // SAFETY: a plain syscall on our child's pid.
        unsafe { libc::kill(self.child.id() as libc::pid_t, sig) };
    }

    /// Reaps a worker that was killed (its output does not matter).
    pub fn finish_killed(mut self) -> std::process::ExitStatus {
        self.child.wait().unwrap()
    }

    /// Waits (bounded) and collects the output; a failed worker fails the test.
    pub fn finish(mut self) -> Output {
        let deadline = Instant::now() + Duration::from_secs(90);
        while self.child.try_wait().unwrap().is_none() {
            if Instant::now() > deadline {
                let _ = self.child.kill();
                panic!("worker hung");
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let out = self.child.wait_with_output().unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        assert!(
            out.status.success(),
            "worker failed: {}\n{stdout}\n{stderr}",
            out.status
        );
        Output {
            results: stdout
                .lines()
                .filter_map(|l| l.strip_prefix("RESULT ").map(str::to_string))
                .collect(),
            stats: stdout
                .lines()
                .filter_map(|l| l.strip_prefix("STATS "))
                .map(|l| serde_json::from_str(l).unwrap())
                .collect(),
            stderr,
        }
    }
}

/// Waits for every worker and merges their outputs.
pub fn finish_all(workers: Vec<Worker>) -> Output {
    let mut all = Output::default();
    for w in workers {
        let o = w.finish();
        for s in &o.stats {
            eprintln!("worker STATS {s}");
        }
        all.results.extend(o.results);
        all.stats.extend(o.stats);
        all.stderr.push_str(&o.stderr);
    }
    all
}
