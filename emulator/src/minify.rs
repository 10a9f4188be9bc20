//! The emulator's own JSON minifier (it does not use payauth's): whitespace outside strings is
//! removed, everything else — key order, number spelling, escapes — kept byte for byte, as a
//! gateway that minifies before verifying does.

/// `body` minified, or `None` when it is not JSON.
pub fn minify(body: &[u8]) -> Option<Vec<u8>> {
    serde_json::from_slice::<serde_json::Value>(body).ok()?;
    let mut out = Vec::with_capacity(body.len());
    let (mut quoted, mut escape) = (false, false);
    for &b in body {
        if quoted {
            out.push(b);
            match (escape, b) {
                (true, _) => escape = false,
                (false, b'\\') => escape = true,
                (false, b'"') => quoted = false,
                _ => {}
            }
        } else if !b" \t\r\n".contains(&b) {
            quoted = b == b'"';
            out.push(b);
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    #[test]
    fn whitespace_outside_strings_goes_escapes_stay() {
        let got = super::minify(b"{ \"a\" : \"x \\\" y\\/\" ,\n \"b\": [1, 2] }").unwrap();
        assert_eq!(got, b"{\"a\":\"x \\\" y\\/\",\"b\":[1,2]}".to_vec());
        assert_eq!(super::minify(b"a=1&b=2"), None);
    }
}
