//! What a signing call returns: the headers to add, the body to send when it is not the body
//! given (a minified JSON body), and, on request, the intermediate artifacts ("explain"). Texts
//! are stored back to back in one buffer, each followed by a NUL byte, so the C layer can hand
//! out pointers without copying. The buffer holds the access token and API keys: it is wiped
//! when dropped, and explain artifacts show the token masked.

use zeroize::Zeroize;

/// One stored text: offset and length in the buffer (the NUL is not counted).
#[derive(Clone, Copy, Debug)]
struct Span {
    start: usize,
    len: usize,
}

/// Headers and explain artifacts produced by one signing call.
#[derive(Clone, Default)]
pub struct Signed {
    buf: Vec<u8>,
    headers: Vec<(Span, Span)>,
    explain: Vec<(Span, Span)>,
    explaining: bool,
    body: Option<Vec<u8>>,
    token: Option<zeroize::Zeroizing<String>>,
}

impl std::fmt::Debug for Signed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let names: Vec<String> = (0..self.headers.len())
            .filter_map(|i| self.header_at(i))
            .map(|(n, _)| String::from_utf8_lossy(n).into_owned())
            .collect();
        write!(f, "Signed(headers: {names:?}, values [redacted])")
    }
}

impl Drop for Signed {
    fn drop(&mut self) {
        self.buf.zeroize();
        if let Some(b) = &mut self.body {
            b.zeroize();
        }
    }
}

/// The shortest token masked in explain artifacts.
pub(crate) const MASK_MIN: usize = 8;

/// How an access token is shown in explain artifacts: its first 4 characters and its length.
pub fn mask_token(token: &str) -> String {
    let head: String = token.chars().take(4).collect();
    format!("{head}…[token, {} bytes]", token.len())
}

impl Signed {
    /// An empty result; `explain` decides whether artifacts are recorded.
    pub fn new(explain: bool) -> Self {
        Signed {
            buf: Vec::with_capacity(512),
            headers: Vec::with_capacity(8),
            explain: Vec::new(),
            explaining: explain,
            body: None,
            token: None,
        }
    }

    fn store(&mut self, text: &[u8]) -> Span {
        let start = self.buf.len();
        self.buf.extend_from_slice(text);
        self.buf.push(0);
        Span { start, len: text.len() }
    }

    fn text(&self, s: Span) -> &[u8] {
        &self.buf[s.start..s.start + s.len]
    }

    /// The access token of the request, masked wherever it would appear in an explain artifact.
    /// Tokens shorter than [`MASK_MIN`] bytes are left alone: no gateway issues one, and
    /// replacing every occurrence of one or two characters would garble the artifacts.
    pub fn mask(&mut self, token: &str) {
        if self.explaining && token.len() >= MASK_MIN {
            self.token = Some(zeroize::Zeroizing::new(token.to_string()));
        }
    }

    /// Sets the body to send: the bytes the signature covers, when they are not the bytes given.
    pub fn send_body(&mut self, mut body: Vec<u8>) {
        body.push(0); // so the C layer can hand out a NUL-terminated pointer
        self.body = Some(body);
    }

    /// The body to send when it differs from the body given (`None`: send the body as given);
    /// followed in memory by a NUL byte.
    pub fn body(&self) -> Option<&[u8]> {
        self.body.as_deref().map(|b| &b[..b.len() - 1])
    }

    /// Adds a header.
    pub fn header(&mut self, name: &str, value: &str) {
        self.header_parts(name, &[value]);
    }

    /// Adds a header whose value is the concatenation of `parts` (no intermediate string).
    pub fn header_parts(&mut self, name: &str, parts: &[&str]) {
        let n = self.store(name.as_bytes());
        let start = self.buf.len();
        parts.iter().for_each(|p| self.buf.extend_from_slice(p.as_bytes()));
        let len = self.buf.len() - start;
        self.buf.push(0);
        self.headers.push((n, Span { start, len }));
    }

    /// Whether explain artifacts are being recorded.
    pub fn explaining(&self) -> bool {
        self.explaining
    }

    /// Records an artifact (computed only when explaining).
    pub fn explain(&mut self, name: &str, value: impl FnOnce() -> Vec<u8>) {
        if self.explaining {
            let mut value = value();
            if let Some(t) = &self.token {
                value = replace_all(&value, t.as_bytes(), mask_token(t).as_bytes());
            }
            let n = self.store(name.as_bytes());
            let v = self.store(&value);
            value.zeroize();
            self.explain.push((n, v));
        }
    }

    /// Number of headers.
    pub fn header_count(&self) -> usize {
        self.headers.len()
    }

    /// Header `i` as (name, value), each followed in memory by a NUL byte.
    pub fn header_at(&self, i: usize) -> Option<(&[u8], &[u8])> {
        self.headers.get(i).map(|(n, v)| (self.text(*n), self.text(*v)))
    }

    /// Number of explain artifacts.
    pub fn explain_count(&self) -> usize {
        self.explain.len()
    }

    /// Artifact `i` as (name, value), each followed in memory by a NUL byte.
    pub fn explain_at(&self, i: usize) -> Option<(&[u8], &[u8])> {
        self.explain.get(i).map(|(n, v)| (self.text(*n), self.text(*v)))
    }

    /// The value of the first header named `name` (ASCII case-insensitive).
    pub fn find_header(&self, name: &[u8]) -> Option<&[u8]> {
        (0..self.headers.len())
            .filter_map(|i| self.header_at(i))
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v)
    }

    /// The value of the artifact named `name`.
    pub fn find_explain(&self, name: &[u8]) -> Option<&[u8]> {
        (0..self.explain.len())
            .filter_map(|i| self.explain_at(i))
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v)
    }

    /// Every header as `Name: value\r\n`, in send order (wiped by the caller: it holds tokens). Names and values never contain CR, LF
    /// or NUL (checked when they are made).
    pub fn header_block(&self) -> zeroize::Zeroizing<Vec<u8>> {
        let mut out = zeroize::Zeroizing::new(Vec::with_capacity(self.buf.len() + 4 * self.headers.len() + 1));
        for (n, v) in &self.headers {
            out.extend_from_slice(self.text(*n));
            out.extend_from_slice(b": ");
            out.extend_from_slice(self.text(*v));
            out.extend_from_slice(b"\r\n");
        }
        out
    }

    /// Headers as owned (name, value) pairs, for Rust callers and tests.
    pub fn headers(&self) -> Vec<(String, String)> {
        (0..self.headers.len())
            .filter_map(|i| self.header_at(i))
            .map(|(n, v)| {
                (
                    String::from_utf8_lossy(n).into_owned(),
                    String::from_utf8_lossy(v).into_owned(),
                )
            })
            .collect()
    }
}

fn replace_all(hay: &[u8], needle: &[u8], with: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(hay.len());
    let mut i = 0;
    while i < hay.len() {
        if hay[i..].starts_with(needle) {
            out.extend_from_slice(with);
            i += needle.len();
        } else {
            out.push(hay[i]);
            i += 1;
        }
    }
    out
}
