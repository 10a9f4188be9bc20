//! What a signing call returns: the headers to add and, on request, the intermediate artifacts
//! ("explain"). Texts are stored back to back in one buffer, each followed by a NUL byte, so the
//! C layer can hand out pointers without copying.

/// One stored text: offset and length in the buffer (the NUL is not counted).
#[derive(Clone, Copy, Debug)]
struct Span {
    start: u32,
    len: u32,
}

/// Headers and explain artifacts produced by one signing call.
#[derive(Clone, Debug, Default)]
pub struct Signed {
    buf: Vec<u8>,
    headers: Vec<(Span, Span)>,
    explain: Vec<(Span, Span)>,
    explaining: bool,
}

impl Signed {
    /// An empty result; `explain` decides whether artifacts are recorded.
    pub fn new(explain: bool) -> Self {
        Signed {
            buf: Vec::with_capacity(512),
            headers: Vec::with_capacity(8),
            explain: Vec::new(),
            explaining: explain,
        }
    }

    fn store(&mut self, text: &[u8]) -> Span {
        let start = self.buf.len() as u32;
        self.buf.extend_from_slice(text);
        self.buf.push(0);
        Span {
            start,
            len: text.len() as u32,
        }
    }

    fn text(&self, s: Span) -> &[u8] {
        &self.buf[s.start as usize..(s.start + s.len) as usize]
    }

    /// Adds a header.
    pub fn header(&mut self, name: &str, value: &str) {
        self.header_parts(name, &[value]);
    }

    /// Adds a header whose value is the concatenation of `parts` (no intermediate string).
    pub fn header_parts(&mut self, name: &str, parts: &[&str]) {
        let n = self.store(name.as_bytes());
        let start = self.buf.len() as u32;
        parts.iter().for_each(|p| self.buf.extend_from_slice(p.as_bytes()));
        let len = self.buf.len() as u32 - start;
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
            let n = self.store(name.as_bytes());
            let v = self.store(&value());
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

    /// Every header as `Name: value\r\n`, in send order. Names and values never contain CR, LF
    /// or NUL (checked when they are made).
    pub fn header_block(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.buf.len() + 4 * self.headers.len() + 1);
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
