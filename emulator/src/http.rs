//! A deliberately small HTTP/1.1 server side over a rustls stream: request heads, Content-Length
//! bodies, keep-alive, and raw access to the socket for fault injection.

use rustls::{ServerConnection, StreamOwned};
use std::io::{self, Read, Write};
use std::net::TcpStream;

const MAX_HEAD: usize = 64 * 1024;
const MAX_BODY: usize = 32 * 1024 * 1024;

/// One TLS connection plus the bytes read past the previous request.
pub struct Conn {
    pub stream: StreamOwned<ServerConnection, TcpStream>,
    buf: Vec<u8>,
}

/// A parsed request. `target` is the request target exactly as received (path and raw query).
#[derive(Debug, Clone)]
pub struct Request {
    pub method: String,
    pub target: String,
    pub http10: bool,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

/// Why no request could be read.
#[derive(Debug)]
pub enum ReadError {
    /// The socket or TLS failed; nothing can be sent.
    Io(io::Error),
    /// The request is unacceptable: answer with this status, then close.
    Reject(u16, &'static str),
}

impl From<io::Error> for ReadError {
    fn from(e: io::Error) -> Self {
        ReadError::Io(e)
    }
}

impl Request {
    /// The first header named `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The path without the query.
    pub fn path(&self) -> &str {
        self.target.split('?').next().unwrap_or("")
    }

    /// Whether the client allows the connection to stay open.
    pub fn keep_alive(&self) -> bool {
        match self.header("connection") {
            Some(v) if v.eq_ignore_ascii_case("close") => false,
            Some(v) if v.eq_ignore_ascii_case("keep-alive") => true,
            _ => !self.http10,
        }
    }

    /// The media type of the body, lower-cased, without parameters.
    pub fn content_type(&self) -> String {
        let ct = self.header("content-type").unwrap_or("");
        ct.split(';').next().unwrap_or("").trim().to_ascii_lowercase()
    }
}

/// What to do with the connection after a response.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum After {
    /// Read the next request.
    KeepOpen,
    /// Send TLS close_notify, then close.
    Close,
    /// Close at once without sending anything more.
    Abort,
}

impl After {
    pub fn from_keep_alive(keep_alive: bool) -> After {
        if keep_alive { After::KeepOpen } else { After::Close }
    }
}

/// A complete response with a Content-Length body.
#[derive(Debug, Clone)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Response {
    pub fn json(status: u16, value: &serde_json::Value) -> Response {
        Response::with_type(status, "application/json", value.to_string().into_bytes())
    }

    pub fn with_type(status: u16, content_type: &str, body: Vec<u8>) -> Response {
        Response {
            status,
            headers: vec![("Content-Type".into(), content_type.into())],
            body,
        }
    }

    pub fn header(mut self, name: &str, value: &str) -> Response {
        self.headers.push((name.into(), value.into()));
        self
    }
}

/// The reason phrase of common statuses.
pub fn reason(status: u16) -> &'static str {
    match status {
        100 => "Continue",
        200 => "OK",
        201 => "Created",
        204 => "No Content",
        301 => "Moved Permanently",
        302 => "Found",
        307 => "Temporary Redirect",
        308 => "Permanent Redirect",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        411 => "Length Required",
        413 => "Content Too Large",
        415 => "Unsupported Media Type",
        429 => "Too Many Requests",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        505 => "HTTP Version Not Supported",
        _ => "Status",
    }
}

/// The status line and headers of a response, with `Content-Length: content_length`.
pub fn head_bytes(status: u16, headers: &[(String, String)], content_length: usize, keep_alive: bool) -> Vec<u8> {
    let mut head = format!("HTTP/1.1 {status} {}\r\nServer: payauth-emulator\r\n", reason(status));
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str(&format!("Content-Length: {content_length}\r\n"));
    head.push_str(if keep_alive {
        "Connection: keep-alive\r\n\r\n"
    } else {
        "Connection: close\r\n\r\n"
    });
    head.into_bytes()
}

impl Conn {
    pub fn new(stream: StreamOwned<ServerConnection, TcpStream>) -> Conn {
        Conn {
            stream,
            buf: Vec::new(),
        }
    }

    /// Reads the next request. `Ok(None)` means the client closed the connection cleanly
    /// between requests.
    pub fn read_request(&mut self) -> Result<Option<Request>, ReadError> {
        let head_end = loop {
            if let Some(pos) = find(&self.buf, b"\r\n\r\n") {
                break pos;
            }
            if self.buf.len() > MAX_HEAD {
                return Err(ReadError::Reject(431, "request head too large"));
            }
            if self.fill()? == 0 {
                if self.buf.is_empty() {
                    return Ok(None);
                }
                return Err(ReadError::Io(io::ErrorKind::UnexpectedEof.into()));
            }
        };
        let head = std::str::from_utf8(&self.buf[..head_end])
            .map_err(|_| ReadError::Reject(400, "request head is not UTF-8"))?;
        let mut req = parse_head(head)?;
        self.buf.drain(..head_end + 4);

        if req.header("transfer-encoding").is_some() {
            return Err(ReadError::Reject(411, "chunked bodies are not supported"));
        }
        let mut length = None;
        for (k, v) in &req.headers {
            if k.eq_ignore_ascii_case("content-length") {
                let n: usize = v.parse().map_err(|_| ReadError::Reject(400, "bad Content-Length"))?;
                if length.is_some_and(|m| m != n) {
                    return Err(ReadError::Reject(400, "conflicting Content-Length"));
                }
                length = Some(n);
            }
        }
        let length = length.unwrap_or(0);
        if length > MAX_BODY {
            return Err(ReadError::Reject(413, "body too large"));
        }
        if length > self.buf.len()
            && req
                .header("expect")
                .is_some_and(|v| v.eq_ignore_ascii_case("100-continue"))
        {
            self.stream.write_all(b"HTTP/1.1 100 Continue\r\n\r\n")?;
            self.stream.flush()?;
        }
        while self.buf.len() < length {
            if self.fill()? == 0 {
                return Err(ReadError::Io(io::ErrorKind::UnexpectedEof.into()));
            }
        }
        req.body = self.buf.drain(..length).collect();
        Ok(Some(req))
    }

    fn fill(&mut self) -> io::Result<usize> {
        let mut chunk = [0u8; 16 * 1024];
        let n = match self.stream.read(&mut chunk) {
            Ok(n) => n,
            // A peer that drops TCP without close_notify is still a close.
            Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => 0,
            Err(e) => return Err(e),
        };
        self.buf.extend_from_slice(&chunk[..n]);
        Ok(n)
    }

    /// Writes a complete response.
    pub fn send(&mut self, resp: &Response, keep_alive: bool) -> io::Result<()> {
        let mut bytes = head_bytes(resp.status, &resp.headers, resp.body.len(), keep_alive);
        bytes.extend_from_slice(&resp.body);
        self.write_raw(&bytes)
    }

    /// Writes bytes as they are and pushes them to the socket.
    pub fn write_raw(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.stream.write_all(bytes)?;
        self.stream.flush()
    }

    /// Sends TLS close_notify (a clean end of the stream as far as TLS is concerned).
    pub fn close_notify(&mut self) -> io::Result<()> {
        self.stream.conn.send_close_notify();
        self.stream.flush()
    }

    /// Whether the client has closed (or reset) the TCP connection: a non-blocking peek.
    pub fn peer_closed(&self) -> bool {
        use std::os::fd::AsRawFd;
        let mut b = [0u8; 1];
        // SAFETY: a valid socket descriptor and a one-byte buffer.
        let n = unsafe {
            libc::recv(
                self.stream.sock.as_raw_fd(),
                b.as_mut_ptr().cast(),
                1,
                libc::MSG_PEEK | libc::MSG_DONTWAIT,
            )
        };
        n == 0 || (n < 0 && io::Error::last_os_error().kind() != io::ErrorKind::WouldBlock)
    }

    /// Arms SO_LINGER 0 so that closing the socket sends a TCP RST instead of a FIN.
    pub fn arm_reset(&mut self) {
        set_linger_zero(&self.stream.sock);
    }
}

#[cfg(unix)]
fn set_linger_zero(sock: &TcpStream) {
    use std::os::fd::AsRawFd;
    let linger = libc::linger {
        l_onoff: 1,
        l_linger: 0,
    };
    // SAFETY: a valid socket descriptor and a properly sized, initialised `linger` value.
    unsafe {
        libc::setsockopt(
            sock.as_raw_fd(),
            libc::SOL_SOCKET,
            libc::SO_LINGER,
            (&linger as *const libc::linger).cast(),
            std::mem::size_of::<libc::linger>() as libc::socklen_t,
        );
    }
}

#[cfg(not(unix))]
fn set_linger_zero(sock: &TcpStream) {
    let _ = sock.shutdown(std::net::Shutdown::Both);
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn parse_head(head: &str) -> Result<Request, ReadError> {
    let bad = |why| ReadError::Reject(400, why);
    let mut lines = head.split("\r\n");
    let request_line = lines.next().unwrap_or("");
    let mut parts = request_line.split(' ');
    let (Some(method), Some(target), Some(version), None) = (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(bad("malformed request line"));
    };
    let http10 = match version {
        "HTTP/1.1" => false,
        "HTTP/1.0" => true,
        _ => return Err(ReadError::Reject(505, "only HTTP/1.x is supported")),
    };
    if method.is_empty() || !target.starts_with('/') {
        return Err(bad("malformed request line"));
    }
    let mut headers = Vec::new();
    for line in lines {
        if line.starts_with([' ', '\t']) {
            return Err(bad("obsolete header folding"));
        }
        let (name, value) = line.split_once(':').ok_or(bad("malformed header"))?;
        if name.is_empty() || name.contains([' ', '\t']) {
            return Err(bad("malformed header name"));
        }
        headers.push((name.to_string(), value.trim_matches([' ', '\t']).to_string()));
    }
    Ok(Request {
        method: method.to_string(),
        target: target.to_string(),
        http10,
        headers,
        body: Vec::new(),
    })
}
