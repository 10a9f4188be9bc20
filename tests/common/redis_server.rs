//! A real redis-server on a loopback port, started by the test and stopped (killed) on drop.

use super::{TempDir, temp_dir};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub const PASSWORD: &str = "redis-test-password";

pub struct RedisServer {
    pub port: u16,
    child: Option<Child>,
    dir: TempDir,
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
        };
        r.restart();
        r
    }

    /// URL without the password (given apart, as `redis_password`).
    pub fn url(&self) -> String {
        format!("redis://127.0.0.1:{}/0", self.port)
    }

    pub fn restart(&mut self) {
        assert!(self.child.is_none(), "already running");
        let child = Command::new("redis-server")
            .args(["--port", &self.port.to_string(), "--bind", "127.0.0.1", "--save", ""])
            .args(["--appendonly", "no", "--requirepass", PASSWORD, "--daemonize", "no"])
            .args(["--dir", self.dir.0.to_str().unwrap()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("redis-server runs (installed by scripts/deps.sh: apt-get install redis-server)");
        self.child = Some(child);
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if let Ok(mut c) = self.try_conn()
                && redis::cmd("PING").query::<String>(&mut c).is_ok()
            {
                return;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        panic!("redis-server did not start on port {}", self.port);
    }

    fn try_conn(&self) -> redis::RedisResult<redis::Connection> {
        let url = format!("redis://:{PASSWORD}@127.0.0.1:{}/0", self.port);
        redis::Client::open(url)?.get_connection_with_timeout(Duration::from_secs(1))
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
