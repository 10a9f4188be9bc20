//! Which bytes of a request body a signature covers. The SNAP standard and PayNet's JWS page
//! define the body digest over *minify(body)*, and Netzme's own tools sign the minified body:
//! a gateway that minifies before it verifies rejects a body sent pretty-printed (as
//! `requests.post(json=…)` sends it) and hashed as is. So these profiles cover the minified body
//! by default (`"body_form": "minified"`: whitespace outside strings removed, key order, number
//! spelling and escapes kept) and the sign result carries the bytes to send whenever they differ
//! from the bytes given. `"body_form": "exact"` covers the bytes as given; a body that is not
//! JSON is always covered as given, and explain says which happened.

use super::{Config, Signed};
use crate::error::Result;
use crate::sign::minify::minify;
use std::borrow::Cow;

/// The profile's choice.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BodyForm {
    /// Minify JSON bodies (the documents' rule; the default).
    Minified,
    /// Cover the exact bytes given.
    Exact,
}

impl BodyForm {
    /// Reads `body_form` (`minified` default, `exact`).
    pub fn from_config(cfg: &Config) -> Result<BodyForm> {
        Ok(cfg
            .choice("body_form", &["minified", "exact"], |s| match s {
                "minified" => Some(BodyForm::Minified),
                "exact" => Some(BodyForm::Exact),
                _ => None,
            })?
            .unwrap_or(BodyForm::Minified))
    }

    /// The bytes covered for `body`, and how they were chosen (for explain).
    pub fn cover(self, body: &[u8]) -> (Cow<'_, [u8]>, &'static str) {
        if body.is_empty() {
            return (Cow::Borrowed(body), "empty");
        }
        if self == BodyForm::Exact {
            return (Cow::Borrowed(body), "exact bytes (body_form: exact)");
        }
        match minify(body) {
            Ok(m) if m == body => (Cow::Borrowed(body), "minified JSON (as given)"),
            Ok(m) => (
                Cow::Owned(m),
                "minified JSON (whitespace removed: send the result's body)",
            ),
            Err(_) => (Cow::Borrowed(body), "exact bytes (not JSON)"),
        }
    }
}

/// Records how the body was covered and, when the covered bytes are not the bytes given, sets
/// them as the body to send.
pub fn record(covered: Cow<'_, [u8]>, how: &'static str, out: &mut Signed) {
    out.explain("body_form", || how.as_bytes().to_vec());
    if let Cow::Owned(bytes) = covered {
        out.send_body(bytes);
    }
}

#[cfg(test)]
mod tests {
    use super::BodyForm;

    #[test]
    fn pretty_json_is_minified_other_bodies_are_covered_as_given() {
        let (b, how) = BodyForm::Minified.cover(b"{\"a\": 1,\n \"b\": \"x y\"}");
        assert_eq!(
            (&*b, how.starts_with("minified")),
            (&b"{\"a\":1,\"b\":\"x y\"}"[..], true)
        );
        let (b, how) = BodyForm::Minified.cover(b"a=1&b=2");
        assert_eq!((&*b, how), (&b"a=1&b=2"[..], "exact bytes (not JSON)"));
        let (b, _) = BodyForm::Exact.cover(b"{\"a\": 1}");
        assert_eq!(&*b, b"{\"a\": 1}");
        assert!(matches!(
            BodyForm::Minified.cover(b"{\"a\":1}").0,
            std::borrow::Cow::Borrowed(_)
        ));
        assert_eq!(BodyForm::Minified.cover(b"").1, "empty");
    }
}
