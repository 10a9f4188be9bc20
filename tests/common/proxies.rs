//! Real proxies on loopback, started by the tests and stopped on drop: tinyproxy (HTTP CONNECT,
//! optionally with Basic credentials) and microsocks (SOCKS5). Both log each connection, which
//! is how a test knows the token request went through the proxy.

use super::{TempDir, temp_dir};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn wait_listening(port: u16) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "proxy did not listen on {port}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// A running proxy.
pub struct Proxy {
    pub port: u16,
    child: Child,
    log: std::path::PathBuf,
    _dir: TempDir,
}

impl Drop for Proxy {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Proxy {
    /// tinyproxy on loopback; `auth` = (user, password) for Basic proxy credentials.
    pub fn http(auth: Option<(&str, &str)>) -> Proxy {
        let dir = temp_dir("tinyproxy");
        let port = free_port();
        let log = dir.0.join("tinyproxy.log");
        let mut conf = format!(
            "Port {port}\nListen 127.0.0.1\nTimeout 30\nLogLevel Connect\nLogFile \"{}\"\nMaxClients 50\nAllow 127.0.0.1\n",
            log.display()
        );
        if let Some((u, p)) = auth {
            conf.push_str(&format!("BasicAuth {u} {p}\n"));
        }
        std::fs::write(dir.0.join("tinyproxy.conf"), conf).unwrap();
        let child = Command::new("tinyproxy")
            .args(["-d", "-c"])
            .arg(dir.0.join("tinyproxy.conf"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("tinyproxy (scripts/deps.sh installs it)");
        wait_listening(port);
        Proxy {
            port,
            child,
            log,
            _dir: dir,
        }
    }

    /// microsocks (SOCKS5) on loopback.
    pub fn socks5() -> Proxy {
        let dir = temp_dir("microsocks");
        let port = free_port();
        let log = dir.0.join("microsocks.log");
        let out = std::fs::File::create(&log).unwrap();
        let child = Command::new("microsocks")
            .args(["-i", "127.0.0.1", "-p", &port.to_string()])
            .stdout(Stdio::from(out.try_clone().unwrap()))
            .stderr(Stdio::from(out))
            .spawn()
            .expect("microsocks (scripts/deps.sh installs it)");
        wait_listening(port);
        Proxy {
            port,
            child,
            log,
            _dir: dir,
        }
    }

    /// How many connections it has relayed to `target_port` so far.
    pub fn relayed_to(&self, target_port: u16) -> usize {
        let text = std::fs::read_to_string(&self.log).unwrap_or_default();
        let needle = format!("127.0.0.1:{target_port}");
        text.lines()
            .filter(|l| (l.contains("CONNECT ") || l.contains("connected to")) && l.contains(&needle))
            .count()
    }
}
