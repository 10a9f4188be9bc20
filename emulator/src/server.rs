//! The accept loop, one thread per connection, keep-alive, routing, and a clean stop.

use crate::control;
use crate::faults;
use crate::http::{After, Conn, ReadError, Request, Response};
use crate::profile::Endpoint;
use crate::state::State;
use crate::verify;
use rustls::{ServerConfig, ServerConnection, StreamOwned};
use serde_json::json;
use std::collections::HashMap;
use std::io;
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

const IDLE_TIMEOUT: Duration = Duration::from_secs(120);

/// Open connections (clones of their sockets, to unblock them at stop) and their threads.
#[derive(Default)]
struct Registry {
    sockets: Mutex<HashMap<u64, TcpStream>>,
    threads: Mutex<Vec<JoinHandle<()>>>,
}

/// A running server.
pub struct Server {
    addr: SocketAddr,
    state: Arc<State>,
    registry: Arc<Registry>,
    acceptor: Option<JoinHandle<()>>,
}

impl Server {
    /// Starts serving `listener` (already bound to loopback).
    pub fn spawn(listener: TcpListener, tls: Arc<ServerConfig>, state: Arc<State>) -> io::Result<Server> {
        let addr = listener.local_addr()?;
        let registry = Arc::new(Registry::default());
        let (st, reg) = (state.clone(), registry.clone());
        let acceptor = std::thread::Builder::new()
            .name("emulator-accept".into())
            .spawn(move || accept_loop(listener, tls, st, reg))?;
        Ok(Server {
            addr,
            state,
            registry,
            acceptor: Some(acceptor),
        })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Stops accepting, unblocks every connection and joins all threads.
    pub fn stop(&mut self) {
        let Some(acceptor) = self.acceptor.take() else { return };
        self.state.shutdown.store(true, Ordering::SeqCst);
        // Wake the blocking accept().
        let _ = TcpStream::connect_timeout(&self.addr, Duration::from_secs(2));
        let _ = acceptor.join();
        for sock in lock(&self.registry.sockets).values() {
            let _ = sock.shutdown(Shutdown::Both);
        }
        let threads = std::mem::take(&mut *lock(&self.registry.threads));
        for t in threads {
            let _ = t.join();
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop();
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

fn accept_loop(listener: TcpListener, tls: Arc<ServerConfig>, state: Arc<State>, reg: Arc<Registry>) {
    let mut next_id = 0u64;
    for stream in listener.incoming() {
        if state.is_shutting_down() {
            break;
        }
        let Ok(tcp) = stream else { continue };
        let _ = tcp.set_nodelay(true);
        let _ = tcp.set_read_timeout(Some(IDLE_TIMEOUT));
        let _ = tcp.set_write_timeout(Some(IDLE_TIMEOUT));
        next_id += 1;
        let id = next_id;
        if let Ok(clone) = tcp.try_clone() {
            lock(&reg.sockets).insert(id, clone);
        }
        let (tls, st, r) = (tls.clone(), state.clone(), reg.clone());
        let spawned = std::thread::Builder::new()
            .name(format!("emulator-conn-{id}"))
            .spawn(move || connection(tcp, tls, st, r, id));
        let mut threads = lock(&reg.threads);
        threads.retain(|t| !t.is_finished());
        match spawned {
            Ok(handle) => threads.push(handle),
            Err(_) => {
                lock(&reg.sockets).remove(&id);
            }
        }
    }
}

fn connection(tcp: TcpStream, tls: Arc<ServerConfig>, state: Arc<State>, reg: Arc<Registry>, id: u64) {
    if let Ok(server) = ServerConnection::new(tls) {
        let mut conn = Conn::new(StreamOwned::new(server, tcp));
        serve(&mut conn, &state);
        // Drop the registry's clone first: the socket must really close when `conn` goes (a
        // Reset fault relies on it to send the RST).
        lock(&reg.sockets).remove(&id);
        drop(conn);
    } else {
        lock(&reg.sockets).remove(&id);
    }
}

fn serve(conn: &mut Conn, state: &State) {
    loop {
        if state.is_shutting_down() {
            return;
        }
        let req = match conn.read_request() {
            Ok(Some(req)) => req,
            Ok(None) => return,
            Err(ReadError::Io(e)) => {
                if state.log {
                    eprintln!("payauth-emulator: connection closed: {e}");
                }
                return;
            }
            Err(ReadError::Reject(status, why)) => {
                let _ = conn.send(&Response::json(status, &json!({"ok": false, "reason": why})), false);
                let _ = conn.close_notify();
                return;
            }
        };
        let keep_alive = req.keep_alive() && !state.is_shutting_down();
        match route(conn, state, &req, keep_alive) {
            Ok(After::KeepOpen) => {}
            Ok(After::Close) => {
                let _ = conn.close_notify();
                return;
            }
            Ok(After::Abort) | Err(_) => return,
        }
    }
}

fn route(conn: &mut Conn, state: &State, req: &Request, keep_alive: bool) -> io::Result<After> {
    let path = req.path();
    if let Some(endpoint) = Endpoint::from_path(path) {
        if state.log {
            eprintln!("payauth-emulator: {} {} (token endpoint)", req.method, req.target);
        }
        return faults::serve_token(conn, state, endpoint, req, keep_alive);
    }
    let resp = if path.starts_with("/_emulator/") {
        control::handle(state, req)
    } else if path.starts_with("/echo/") {
        verify::handle(state, req)
    } else {
        Response::json(404, &json!({"ok": false, "reason": "no such endpoint"}))
    };
    if state.log {
        eprintln!("payauth-emulator: {} {} -> {}", req.method, req.target, resp.status);
    }
    conn.send(&resp, keep_alive)?;
    Ok(After::from_keep_alive(keep_alive))
}
