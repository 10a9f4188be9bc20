//! A raw HTTPS/1.1 test client (rustls, ring provider, trusting only the emulator's CA) that
//! shows exactly what came over the wire, and hand-made signatures.
#![allow(dead_code)]

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use hmac::{Hmac, Mac};
use payauth_emulator::{DEFAULT_RSA_KEY_FILE, Emulator};
use ring::signature::RsaKeyPair;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName};
use rustls::{ClientConfig, ClientConnection, RootCertStore, StreamOwned};
use serde_json::Value;
use sha2::{Digest, Sha256, Sha512};
use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::Arc;

/// What came back.
#[derive(Debug)]
pub struct Resp {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// The announced Content-Length.
    pub content_length: usize,
    /// False when the connection ended before Content-Length bytes arrived.
    pub complete: bool,
}

impl Resp {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

#[derive(Clone)]
pub struct Client {
    config: Arc<ClientConfig>,
    addr: SocketAddr,
    server_name: ServerName<'static>,
}

impl Client {
    pub fn new(emu: &Emulator) -> Client {
        Client::from_ca_der(emu.ca_der(), emu.addr())
    }

    pub fn from_ca_pem(pem: &str, addr: SocketAddr) -> Client {
        let der = CertificateDer::from_pem_slice(pem.as_bytes()).expect("CA PEM");
        Client::from_ca_der(der.to_vec(), addr)
    }

    pub fn from_ca_der(der: Vec<u8>, addr: SocketAddr) -> Client {
        let mut roots = RootCertStore::empty();
        roots.add(CertificateDer::from(der)).expect("CA certificate");
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let config = ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_root_certificates(roots)
            .with_no_client_auth();
        let server_name = ServerName::IpAddress(addr.ip().into());
        Client {
            config: Arc::new(config),
            addr,
            server_name,
        }
    }

    /// The same client, verifying the certificate for `localhost` instead of the IP.
    pub fn for_localhost(mut self) -> Client {
        self.server_name = ServerName::try_from("localhost").unwrap();
        self
    }

    pub fn connect(&self) -> io::Result<Conn> {
        let tcp = TcpStream::connect(self.addr)?;
        let conn = ClientConnection::new(self.config.clone(), self.server_name.clone()).map_err(io::Error::other)?;
        Ok(Conn {
            stream: StreamOwned::new(conn, tcp),
            buf: Vec::new(),
        })
    }

    /// One request on a fresh connection.
    pub fn try_send(&self, method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> io::Result<Resp> {
        self.connect()?.send(method, path, headers, body)
    }

    pub fn send(&self, method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> Resp {
        self.try_send(method, path, headers, body)
            .unwrap_or_else(|e| panic!("{method} {path}: {e}"))
    }

    pub fn post_form(&self, path: &str, form: &str) -> Resp {
        self.send(
            "POST",
            path,
            &[("Content-Type", "application/x-www-form-urlencoded")],
            form.as_bytes(),
        )
    }
}

pub struct Conn {
    stream: StreamOwned<ClientConnection, TcpStream>,
    buf: Vec<u8>,
}

impl Conn {
    pub fn set_read_timeout(&self, d: std::time::Duration) {
        self.stream.sock.set_read_timeout(Some(d)).unwrap();
    }

    pub fn send(&mut self, method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> io::Result<Resp> {
        let mut req = format!("{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        for (k, v) in headers {
            req.push_str(&format!("{k}: {v}\r\n"));
        }
        req.push_str(&format!("Content-Length: {}\r\n\r\n", body.len()));
        let mut bytes = req.into_bytes();
        bytes.extend_from_slice(body);
        self.stream.write_all(&bytes)?;
        self.stream.flush()?;
        self.read_response()
    }

    fn fill(&mut self) -> io::Result<usize> {
        let mut chunk = [0u8; 64 * 1024];
        let n = match self.stream.read(&mut chunk) {
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => 0,
            Err(e) => return Err(e),
        };
        self.buf.extend_from_slice(&chunk[..n]);
        Ok(n)
    }

    fn read_response(&mut self) -> io::Result<Resp> {
        let end = loop {
            if let Some(p) = self.buf.windows(4).position(|w| w == b"\r\n\r\n") {
                break p;
            }
            if self.fill()? == 0 {
                return Err(io::Error::new(
                    io::ErrorKind::UnexpectedEof,
                    "closed before a response head",
                ));
            }
        };
        let head = String::from_utf8(self.buf[..end].to_vec()).expect("UTF-8 head");
        self.buf.drain(..end + 4);
        let mut lines = head.split("\r\n");
        let status_line = lines.next().unwrap();
        let status: u16 = status_line.split(' ').nth(1).unwrap().parse().unwrap();
        let headers: Vec<(String, String)> = lines
            .map(|l| {
                let (k, v) = l.split_once(':').unwrap();
                (k.to_string(), v.trim().to_string())
            })
            .collect();
        let content_length = headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
            .map(|(_, v)| v.parse().unwrap())
            .unwrap_or(0);
        let mut complete = true;
        while self.buf.len() < content_length {
            if self.fill()? == 0 {
                complete = false;
                break;
            }
        }
        let take = content_length.min(self.buf.len());
        let body = self.buf.drain(..take).collect();
        Ok(Resp {
            status,
            headers,
            body,
            content_length,
            complete,
        })
    }
}

pub fn hmac256_hex(key: &[u8], msg: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).unwrap();
    mac.update(msg);
    hex::encode(mac.finalize().into_bytes())
}

pub fn hmac512(key: &[u8], msg: &[u8]) -> Vec<u8> {
    let mut mac = Hmac::<Sha512>::new_from_slice(key).unwrap();
    mac.update(msg);
    mac.finalize().into_bytes().to_vec()
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// The repository's test RSA key.
pub fn rsa_key() -> RsaKeyPair {
    let pem = std::fs::read_to_string(DEFAULT_RSA_KEY_FILE).unwrap();
    let b64: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    RsaKeyPair::from_der(&STANDARD.decode(b64).unwrap()).unwrap()
}

pub fn rsa_sign(alg: &'static dyn ring::signature::RsaEncoding, msg: &[u8]) -> Vec<u8> {
    let key = rsa_key();
    let mut sig = vec![0u8; key.public().modulus_len()];
    key.sign(alg, &ring::rand::SystemRandom::new(), msg, &mut sig).unwrap();
    sig
}

pub fn b64url(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

pub fn basic(id: &str, secret: &str) -> String {
    format!("Basic {}", STANDARD.encode(format!("{id}:{secret}")))
}

/// SNAP B2B token request headers for `client_id` at `ts`, signed with the test key.
pub fn snap_token_headers(client_id: &str, ts: &str) -> Vec<(String, String)> {
    let sig = rsa_sign(
        &ring::signature::RSA_PKCS1_SHA256,
        format!("{client_id}|{ts}").as_bytes(),
    );
    vec![
        ("Content-Type".into(), "application/json".into()),
        ("X-CLIENT-KEY".into(), client_id.into()),
        ("X-TIMESTAMP".into(), ts.into()),
        ("X-SIGNATURE".into(), STANDARD.encode(sig)),
    ]
}

pub fn as_refs(h: &[(String, String)]) -> Vec<(&str, &str)> {
    h.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect()
}

/// Fetches a token from a profile's endpoint with the configured credentials.
pub fn fetch_token(client: &Client, emu: &Emulator, profile: &str) -> Value {
    let c = emu.config();
    let resp = match profile {
        "paynet" => client.post_form(
            "/auth/token",
            &format!(
                "client_id={}&client_secret={}&grant_type=client_credentials",
                c.paynet.client_id, c.paynet.client_secret
            ),
        ),
        "paynet-reports" => client.post_form(
            "/token",
            &format!(
                "grant_type=client_credentials&client_id={}&client_secret={}",
                c.paynet_reports.client_id, c.paynet_reports.client_secret
            ),
        ),
        "azupay" => client.post_form(
            "/oauth2/token",
            &format!(
                "grant_type=client_credentials&client_id={}&client_secret={}",
                c.azupay.client_id, c.azupay.client_secret
            ),
        ),
        "netzme" => client.send(
            "POST",
            "/oauth/merchant/accesstoken",
            &[
                ("Authorization", &basic(&c.netzme.client_id, &c.netzme.client_secret)),
                ("Content-Type", "application/json"),
            ],
            br#"{"grant_type":"client_credentials"}"#,
        ),
        "snap" | "netzme-snap" => {
            let (id, path) = if profile == "snap" {
                (&c.snap.client_id, "/snap/api/v1.0/access-token/b2b")
            } else {
                (&c.netzme_snap.client_id, "/netzme-snap/api/v1/access-token/b2b")
            };
            let h = snap_token_headers(id, "2024-01-01T10:00:00+07:00");
            client.send(
                "POST",
                path,
                &as_refs(&h),
                br#"{"grantType":"client_credentials","additionalInfo":{}}"#,
            )
        }
        "paytia" => {
            let body = serde_json::json!({"client_id": c.paytia.client_id, "client_secret": c.paytia.client_secret});
            client.send(
                "POST",
                "/api/authorize",
                &[("X-API-KEY", &c.paytia.api_key), ("Content-Type", "application/json")],
                body.to_string().as_bytes(),
            )
        }
        other => panic!("no token endpoint for {other}"),
    };
    assert_eq!(resp.status, 200, "{profile}: {}", resp.text());
    resp.json()
}
