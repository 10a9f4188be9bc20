//! A real redis-server on a loopback port, started by the test and stopped (killed) on drop.

use super::{TempDir, temp_dir};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub const PASSWORD: &str = "redis-test-password";

pub struct RedisServer {
    pub port: u16,
    child: Option<Child>,
    dir: TempDir,
    /// TLS only (rediss://): the CA file clients trust.
    pub ca_file: Option<std::path::PathBuf>,
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

impl RedisServer {
    pub fn start() -> RedisServer {
        let mut r = RedisServer {
            port: free_port(),
            child: None,
            dir: temp_dir("redis"),
            ca_file: None,
        };
        r.restart();
        r
    }

    /// A TLS-only server (`--port 0 --tls-port P`) presenting `cert_pem` (issued by `ca_pem`).
    pub fn start_tls(ca_pem: &str, cert_pem: &str, key_pem: &str) -> RedisServer {
        let dir = temp_dir("redis-tls");
        for (f, pem) in [("ca.pem", ca_pem), ("cert.pem", cert_pem), ("key.pem", key_pem)] {
            std::fs::write(dir.0.join(f), pem).unwrap();
        }
        let mut r = RedisServer {
            port: free_port(),
            child: None,
            ca_file: Some(dir.0.join("ca.pem")),
            dir,
        };
        r.restart();
        r
    }

    /// URL without the password (given apart, as `redis_password`).
    pub fn url(&self) -> String {
        let scheme = if self.ca_file.is_some() { "rediss" } else { "redis" };
        format!("{scheme}://127.0.0.1:{}/0", self.port)
    }

    pub fn restart(&mut self) {
        assert!(self.child.is_none(), "already running");
        let d = |f: &str| self.dir.0.join(f).to_str().unwrap().to_string();
        let port = self.port.to_string();
        let ports: Vec<String> = match self.ca_file {
            None => vec!["--port".into(), port],
            Some(_) => ["--port", "0", "--tls-port", &port, "--tls-auth-clients", "no"]
                .iter()
                .map(|s| s.to_string())
                .chain([
                    "--tls-cert-file".into(),
                    d("cert.pem"),
                    "--tls-key-file".into(),
                    d("key.pem"),
                ])
                .chain(["--tls-ca-cert-file".into(), d("ca.pem")])
                .collect(),
        };
        let child = Command::new("redis-server")
            .args(&ports)
            .args(["--bind", "127.0.0.1", "--save", ""])
            .args(["--appendonly", "no", "--requirepass", PASSWORD, "--daemonize", "no"])
            .args(["--dir", self.dir.0.to_str().unwrap()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("redis-server runs (installed by scripts/deps.sh: apt-get install redis-server)");
        self.child = Some(child);
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if self.ready() {
                return;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        panic!("redis-server did not start on port {}", self.port);
    }

    /// A plain connection (TLS servers are probed with a TCP connect only).
    fn try_conn(&self) -> redis::RedisResult<redis::Connection> {
        let url = format!("redis://:{PASSWORD}@127.0.0.1:{}/0", self.port);
        redis::Client::open(url)?.get_connection_with_timeout(Duration::from_secs(1))
    }

    fn ready(&self) -> bool {
        if self.ca_file.is_some() {
            return std::net::TcpStream::connect(("127.0.0.1", self.port)).is_ok();
        }
        self.try_conn()
            .is_ok_and(|mut c| redis::cmd("PING").query::<String>(&mut c).is_ok())
    }

    pub fn conn(&self) -> redis::Connection {
        self.try_conn().expect("redis connection")
    }

    pub fn kill(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        self.kill();
    }
}
