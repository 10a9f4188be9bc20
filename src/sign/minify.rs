//! A JSON minifier that removes only insignificant whitespace: key order, number spelling and
//! string escapes are kept byte for byte, so the result is what a gateway hashes.

use crate::error::{Error, Result};
use crate::status::PAYAUTH_JSON_INVALID;

/// Validates `input` as JSON (UTF-8 throughout, strings included) and returns it without
/// insignificant whitespace. An empty input is an empty output (a GET has no body).
pub fn minify(input: &[u8]) -> Result<Vec<u8>> {
    if input.is_empty() {
        return Ok(Vec::new());
    }
    if let Err(e) = std::str::from_utf8(input) {
        return Err(Error::new(
            PAYAUTH_JSON_INVALID,
            format!("not valid JSON: invalid UTF-8 at byte {}", e.valid_up_to()),
        ));
    }
    if let Err(e) = serde_json::from_slice::<serde::de::IgnoredAny>(input) {
        return Err(Error::new(
            PAYAUTH_JSON_INVALID,
            format!(
                "not valid JSON at line {} column {}: {}",
                e.line(),
                e.column(),
                e.classify_kind()
            ),
        ));
    }
    let mut out = Vec::with_capacity(input.len());
    let mut in_string = false;
    let mut escaped = false;
    for &b in input {
        if in_string {
            out.push(b);
            if escaped {
                escaped = false;
            } else if b == b'\\' {
                escaped = true;
            } else if b == b'"' {
                in_string = false;
            }
        } else if b == b'"' {
            in_string = true;
            out.push(b);
        } else if !matches!(b, b' ' | b'\t' | b'\n' | b'\r') {
            out.push(b);
        }
    }
    Ok(out)
}

trait ClassifyKind {
    fn classify_kind(&self) -> &'static str;
}

impl ClassifyKind for serde_json::Error {
    fn classify_kind(&self) -> &'static str {
        match self.classify() {
            serde_json::error::Category::Io => "read error",
            serde_json::error::Category::Syntax => "syntax error",
            serde_json::error::Category::Data => "data error",
            serde_json::error::Category::Eof => "unexpected end of input",
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn keeps_strings_and_order() {
        let input = b"{ \"b\" : [1, 2 ,{\"a b\":\"x \\\" \\/ y\"}],\n \"a\":\t\"\xc3\xa9\" }";
        assert_eq!(
            super::minify(input).unwrap(),
            b"{\"b\":[1,2,{\"a b\":\"x \\\" \\/ y\"}],\"a\":\"\xc3\xa9\"}".to_vec()
        );
        assert!(super::minify(b"{\"a\":\"x}").is_err());
        assert_eq!(super::minify(b"").unwrap(), b"");
        let bad = super::minify(b"{\"a\":\"\xff\"}").unwrap_err();
        assert_eq!(bad.code, crate::status::PAYAUTH_JSON_INVALID);
    }
}
