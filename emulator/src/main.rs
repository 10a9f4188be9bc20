//! `payauth-emulator [--config FILE.json] [--ca-out FILE] [--ignore-stdin]`
//!
//! Starts the emulator on 127.0.0.1, writes the test CA (PEM) to `--ca-out`, prints exactly one
//! line `READY https://127.0.0.1:PORT` to stdout, and serves until stdin reaches EOF or the
//! process gets SIGTERM / SIGINT (`--ignore-stdin`: only the signals stop it, for shells that
//! start it in the background with stdin on /dev/null). The control API is on the same server
//! under `/_emulator/`.

use payauth_emulator::{Config, Emulator};
use std::io::{self, Write};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::time::Duration;

static STOP: AtomicBool = AtomicBool::new(false);

extern "C" fn on_signal(_: libc::c_int) {
    STOP.store(true, Ordering::SeqCst);
}

struct Args {
    config: Option<String>,
    ca_out: Option<String>,
    ignore_stdin: bool,
}

const USAGE: &str = "usage: payauth-emulator [--config FILE.json] [--ca-out FILE] [--ignore-stdin]";

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        config: None,
        ca_out: None,
        ignore_stdin: false,
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--config" => args.config = Some(it.next().ok_or("--config needs a file")?),
            "--ca-out" => args.ca_out = Some(it.next().ok_or("--ca-out needs a file")?),
            "--ignore-stdin" => args.ignore_stdin = true,
            "-h" | "--help" => return Err(USAGE.into()),
            other => return Err(format!("unknown argument {other:?}\n{USAGE}")),
        }
    }
    Ok(args)
}

fn run() -> Result<(), String> {
    let args = parse_args()?;
    // This binary owns its process, so it may set the process-wide provider (ring only).
    let _ = rustls::crypto::ring::default_provider().install_default();
    let config = match &args.config {
        Some(path) => {
            let text = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
            Config::from_json(&text)?
        }
        None => Config::default(),
    };
    let emu = Emulator::start(config).map_err(|e| format!("cannot start: {e}"))?;
    if let Some(path) = &args.ca_out {
        std::fs::write(path, emu.ca_pem()).map_err(|e| format!("{path}: {e}"))?;
    }
    // SAFETY: the handler only stores to an atomic, which is async-signal-safe.
    unsafe {
        let handler = on_signal as extern "C" fn(libc::c_int) as libc::sighandler_t;
        libc::signal(libc::SIGTERM, handler);
        libc::signal(libc::SIGINT, handler);
    }
    let mut stdout = io::stdout().lock();
    writeln!(stdout, "READY {}", emu.base_url()).map_err(|e| e.to_string())?;
    stdout.flush().map_err(|e| e.to_string())?;
    drop(stdout);

    let (tx, rx) = mpsc::channel::<()>();
    if !args.ignore_stdin {
        let tx = tx.clone();
        std::thread::spawn(move || {
            let _ = io::copy(&mut io::stdin().lock(), &mut io::sink());
            let _ = tx.send(());
        });
    }
    while !STOP.load(Ordering::SeqCst) {
        match rx.recv_timeout(Duration::from_millis(100)) {
            Ok(()) | Err(mpsc::RecvTimeoutError::Disconnected) => break,
            Err(mpsc::RecvTimeoutError::Timeout) => {}
        }
    }
    drop(tx);
    drop(emu);
    Ok(())
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(msg) => {
            eprintln!("payauth-emulator: {msg}");
            ExitCode::from(2)
        }
    }
}
