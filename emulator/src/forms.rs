//! Request-body field extraction: form-urlencoded, JSON objects and multipart/form-data.

use crate::http::Request;
use std::collections::HashMap;

/// The body's string fields, decoded according to its Content-Type. `default_json` decides how
/// a body without a Content-Type is read.
pub fn fields(req: &Request, default_json: bool) -> Result<HashMap<String, String>, String> {
    match req.content_type().as_str() {
        "application/x-www-form-urlencoded" => urlencoded(&req.body),
        "application/json" => json(&req.body),
        "multipart/form-data" => {
            let ct = req.header("content-type").unwrap_or("");
            let boundary = boundary(ct).ok_or("multipart body without a boundary")?;
            multipart(&req.body, &boundary)
        }
        "" if default_json => json(&req.body),
        "" => urlencoded(&req.body),
        other => Err(format!("unsupported Content-Type {other:?}")),
    }
}

/// `application/x-www-form-urlencoded`; a repeated parameter is an error (RFC 6749 §3.2).
pub fn urlencoded(body: &[u8]) -> Result<HashMap<String, String>, String> {
    let mut out = HashMap::new();
    for (k, v) in form_urlencoded::parse(body) {
        if out.insert(k.to_string(), v.to_string()).is_some() {
            return Err(format!("parameter {k:?} repeated"));
        }
    }
    Ok(out)
}

/// A JSON object; string values are kept as they are, other scalars as their JSON text.
pub fn json(body: &[u8]) -> Result<HashMap<String, String>, String> {
    let value: serde_json::Value = serde_json::from_slice(body).map_err(|e| format!("body is not JSON: {e}"))?;
    let obj = value.as_object().ok_or("body is not a JSON object")?;
    Ok(obj
        .iter()
        .map(|(k, v)| {
            let v = match v {
                serde_json::Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            (k.clone(), v)
        })
        .collect())
}

fn boundary(content_type: &str) -> Option<String> {
    content_type.split(';').skip(1).find_map(|param| {
        let (k, v) = param.trim().split_once('=')?;
        k.trim()
            .eq_ignore_ascii_case("boundary")
            .then(|| v.trim().trim_matches('"').to_string())
    })
}

/// `multipart/form-data` text fields (RFC 7578).
pub fn multipart(body: &[u8], boundary: &str) -> Result<HashMap<String, String>, String> {
    let text = std::str::from_utf8(body).map_err(|_| "multipart body is not UTF-8")?;
    let delimiter = format!("--{boundary}");
    let mut out = HashMap::new();
    let mut sections = text.split(delimiter.as_str());
    sections.next(); // preamble
    let mut closed = false;
    for section in sections {
        if section.starts_with("--") {
            closed = true;
            break;
        }
        let section = section.strip_prefix("\r\n").ok_or("malformed multipart delimiter")?;
        let (head, content) = section.split_once("\r\n\r\n").ok_or("multipart part without head")?;
        let content = content
            .strip_suffix("\r\n")
            .ok_or("multipart part not CRLF-terminated")?;
        let name = head
            .split("\r\n")
            .filter(|l| {
                l.split(':')
                    .next()
                    .is_some_and(|n| n.trim().eq_ignore_ascii_case("content-disposition"))
            })
            .flat_map(|l| l.split(';'))
            .find_map(|p| p.trim().strip_prefix("name=").map(|n| n.trim_matches('"').to_string()))
            .ok_or("multipart part without a name")?;
        out.insert(name, content.to_string());
    }
    if !closed {
        return Err("multipart body not closed".into());
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multipart_fields() {
        let body = "--XyZ\r\nContent-Disposition: form-data; name=\"client_id\"\r\n\r\nabc\r\n\
                    --XyZ\r\nContent-Disposition: form-data; name=\"client_secret\"\r\n\r\ns=1\r\n--XyZ--\r\n";
        let f = multipart(body.as_bytes(), "XyZ").unwrap();
        assert_eq!(f["client_id"], "abc");
        assert_eq!(f["client_secret"], "s=1");
        assert_eq!(
            boundary("multipart/form-data; boundary=\"XyZ\"").as_deref(),
            Some("XyZ")
        );
    }

    #[test]
    fn urlencoded_rejects_repeats() {
        assert!(urlencoded(b"a=1&a=2").is_err());
        assert_eq!(urlencoded(b"a=x%2By&b=+").unwrap()["a"], "x+y");
    }
}
