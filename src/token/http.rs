//! HTTPS transport for token endpoints: ureq 3 + rustls with the ring provider chosen
//! explicitly, system roots or a configured CA bundle, explicit timeouts, no redirects, a cap on
//! the response size, keep-alive reuse through one agent.

use crate::error::{Error, Result};
use crate::status::*;
use std::sync::Arc;
use std::time::Duration;
use ureq::tls::{RootCerts, TlsConfig, TlsProvider};

/// Transport settings from the client configuration.
#[derive(Clone, Debug)]
pub struct HttpOptions {
    /// PEM bundle of trusted CAs replacing the system roots (private CAs, tests).
    pub ca_pem: Option<Vec<u8>>,
    /// TCP + TLS connect timeout.
    pub connect_timeout: Duration,
    /// Overall bound on one token request (connect, send, receive).
    pub timeout: Duration,
    /// `http://host:port` proxy, if any.
    pub proxy: Option<String>,
    /// Largest accepted response body.
    pub max_response_bytes: u64,
}

/// A response from a token endpoint (any status; classification is the caller's).
#[derive(Debug)]
pub struct HttpResponse {
    /// HTTP status.
    pub status: u16,
    /// `Content-Type` header, lower-cased.
    pub content_type: String,
    /// `Retry-After` in seconds (given as a number, or as an HTTP-date).
    pub retry_after_s: Option<u64>,
    /// `Location` header (redirects).
    pub location: Option<String>,
    /// The body (at most `max_response_bytes`).
    pub body: Vec<u8>,
}

/// One agent (connection pool) for one client.
pub struct Transport {
    agent: ureq::Agent,
    max_response_bytes: u64,
}

impl std::fmt::Debug for Transport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Transport")
    }
}

fn tls_error(what: impl std::fmt::Display) -> Error {
    Error::new(PAYAUTH_TLS, format!("TLS: {what}"))
}

impl Transport {
    /// Builds the agent. A CA bundle that holds no certificate is a configuration error.
    pub fn new(opts: &HttpOptions) -> Result<Self> {
        let roots = match &opts.ca_pem {
            None => RootCerts::PlatformVerifier,
            Some(pem) => {
                let mut certs = Vec::new();
                for item in ureq::tls::parse_pem(pem) {
                    match item {
                        Ok(ureq::tls::PemItem::Certificate(c)) => certs.push(c),
                        Ok(_) => {}
                        Err(e) => return Err(Error::config_invalid("ca_file", format!("not a PEM bundle: {e}"))),
                    }
                }
                if certs.is_empty() {
                    return Err(Error::config_invalid("ca_file", "holds no certificate"));
                }
                RootCerts::new_with_certs(&certs)
            }
        };
        let tls = TlsConfig::builder()
            .provider(TlsProvider::Rustls)
            .unversioned_rustls_crypto_provider(Arc::new(rustls::crypto::ring::default_provider()))
            .root_certs(roots)
            .build();
        let proxy = match &opts.proxy {
            None => None,
            Some(p) => Some(ureq::Proxy::new(p).map_err(|e| Error::config_invalid("proxy", e))?),
        };
        let agent = ureq::Agent::config_builder()
            .tls_config(tls)
            .proxy(proxy)
            .http_status_as_error(false)
            .max_redirects(0)
            .max_redirects_will_error(false)
            .https_only(false)
            .timeout_connect(Some(opts.connect_timeout))
            .timeout_global(Some(opts.timeout))
            .user_agent(concat!("payauth/", env!("CARGO_PKG_VERSION")))
            .max_idle_connections_per_host(2)
            .build()
            .new_agent();
        Ok(Transport {
            agent,
            max_response_bytes: opts.max_response_bytes,
        })
    }

    /// POSTs `body` with `headers` to `url` and reads the whole response.
    pub fn post(&self, url: &str, headers: &[(String, String)], body: &[u8]) -> Result<HttpResponse> {
        let mut req = self.agent.post(url);
        for (n, v) in headers {
            req = req.header(n.as_str(), v.as_str());
        }
        let mut resp = req.send(body).map_err(map_error)?;
        let header = |name: &str| {
            resp.headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        };
        let content_type = header("content-type").unwrap_or_default().to_ascii_lowercase();
        let retry_after_s = header("retry-after").and_then(|v| retry_after(&v, header("date").as_deref()));
        let location = header("location");
        let status = resp.status().as_u16();
        let body = resp
            .body_mut()
            .with_config()
            .limit(self.max_response_bytes)
            .read_to_vec()
            .map_err(map_error)?;
        Ok(HttpResponse {
            status,
            content_type,
            retry_after_s,
            location,
            body,
        })
    }
}

/// `Retry-After` (RFC 9110 §10.2.3) in seconds from now: a number of seconds, or an HTTP-date
/// read against the response's own `Date` when it has one (so a skewed local clock does not
/// shorten or stretch it), else against the local clock. A date in the past is 0.
pub fn retry_after(value: &str, date: Option<&str>) -> Option<u64> {
    let value = value.trim();
    if let Ok(s) = value.parse::<u64>() {
        return Some(s);
    }
    let at = httpdate::parse_http_date(value).ok()?;
    let now = date
        .and_then(|d| httpdate::parse_http_date(d.trim()).ok())
        .unwrap_or_else(std::time::SystemTime::now);
    Some(at.duration_since(now).map_or(0, |d| d.as_secs()))
}

/// Maps a ureq error to a status; messages carry no secrets (URLs hold none: credentials travel
/// in headers and bodies).
fn map_error(e: ureq::Error) -> Error {
    use ureq::Error as E;
    match e {
        E::Timeout(t) => Error::new(PAYAUTH_TIMEOUT, format!("token request timed out ({t})")),
        E::BodyExceedsLimit(n) => Error::new(
            PAYAUTH_RESPONSE_TOO_LARGE,
            format!("token response exceeds the {n}-byte cap"),
        ),
        E::TooManyRedirects | E::RedirectFailed => Error::new(
            PAYAUTH_REDIRECT_REFUSED,
            "the token endpoint redirected; redirects are refused",
        ),
        E::Tls(m) => tls_error(m),
        E::Rustls(r) => tls_error(r),
        E::Pem(p) => tls_error(p),
        E::HostNotFound => Error::new(PAYAUTH_NETWORK, "token endpoint host not found"),
        E::ConnectionFailed => Error::new(PAYAUTH_NETWORK, "connection to the token endpoint failed"),
        E::BadUri(u) => Error::config_invalid("token_url", format!("invalid URL: {u}")),
        E::InvalidProxyUrl => Error::config_invalid("proxy", "invalid proxy URL"),
        E::Io(io) if io.get_ref().is_some_and(|inner| inner.is::<rustls::Error>()) => {
            tls_error(io.get_ref().map_or_else(String::new, |i| i.to_string()))
        }
        E::Io(io) => match io.kind() {
            std::io::ErrorKind::TimedOut | std::io::ErrorKind::WouldBlock => {
                Error::new(PAYAUTH_TIMEOUT, "token request timed out (I/O)")
            }
            std::io::ErrorKind::UnexpectedEof => {
                Error::new(PAYAUTH_TOKEN_RESPONSE_INVALID, "the token response was truncated")
            }
            // The error's own text says what failed (e.g. the DNS lookup); it holds no secret.
            _ => Error::new(
                PAYAUTH_NETWORK,
                format!("I/O error talking to the token endpoint: {io}"),
            ),
        },
        E::Protocol(p) => Error::new(
            PAYAUTH_TOKEN_RESPONSE_INVALID,
            format!("HTTP protocol error from the token endpoint: {p}"),
        ),
        other => Error::new(PAYAUTH_NETWORK, format!("token request failed: {other}")),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn retry_after_in_seconds_and_as_an_http_date() {
        use super::retry_after;
        assert_eq!(retry_after(" 30 ", None), Some(30));
        let date = "Wed, 02 Dec 2026 19:00:00 GMT";
        assert_eq!(retry_after("Wed, 02 Dec 2026 19:01:00 GMT", Some(date)), Some(60));
        assert_eq!(retry_after("Wed, 02 Dec 2026 18:59:00 GMT", Some(date)), Some(0));
        // Obsolete forms RFC 9110 says recipients must accept.
        assert_eq!(retry_after("Wednesday, 02-Dec-26 19:01:00 GMT", Some(date)), Some(60));
        assert_eq!(retry_after("Wed Dec  2 19:01:00 2026", Some(date)), Some(60));
        assert_eq!(retry_after("soon", None), None);
    }
}
