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
    /// The proxy for token requests: configured (`proxy`), else from the environment (see
    /// [`proxy_from_env`]) unless `proxy_from_env` is off.
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
            Some(p) => {
                Some(ureq::Proxy::new(p).map_err(|_| Error::config_invalid("proxy", "is not a valid proxy URL"))?)
            }
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
            .map_err(map_body_error)?;
        Ok(HttpResponse {
            status,
            content_type,
            retry_after_s,
            location,
            body,
        })
    }
}

/// The schemes a `proxy` may use: HTTP CONNECT (`http`, `https`) and SOCKS (`socks4`,
/// `socks4a`, `socks5`, `socks5h`, `socks`).
pub const PROXY_SCHEMES: &[&str] = &["http", "https", "socks4", "socks4a", "socks5", "socks5h", "socks"];

/// Checks a configured proxy URL: a known scheme and a host. Its credentials never appear in
/// the message.
pub fn check_proxy(url: &str) -> Result<()> {
    let (scheme, rest) = url.split_once("://").ok_or_else(|| {
        Error::config_invalid("proxy", "must be a URL such as http://host:port or socks5://host:port")
    })?;
    if !PROXY_SCHEMES.contains(&scheme.to_ascii_lowercase().as_str()) {
        return Err(Error::config_invalid(
            "proxy",
            format!("scheme `{scheme}` is not one of {}", PROXY_SCHEMES.join(", ")),
        ));
    }
    let host = rest.rsplit_once('@').map_or(rest, |(_, h)| h);
    if host.is_empty() || host.starts_with(':') || host.starts_with('/') {
        return Err(Error::config_invalid("proxy", "has no host"));
    }
    ureq::Proxy::new(url).map_err(|_| Error::config_invalid("proxy", "is not a valid proxy URL"))?;
    Ok(())
}

/// The proxy the environment names for an `https://` request to `host`, the way curl reads it:
/// `HTTPS_PROXY` (or `https_proxy`), else `ALL_PROXY` (`all_proxy`) — `HTTP_PROXY` is for
/// `http://` requests, and token endpoints are HTTPS only — unless `NO_PROXY` (`no_proxy`)
/// matches the host: `*`, a host name or IP, or a domain (`example.com` and `.example.com`
/// both match `example.com` and its subdomains), each optionally with `:port`.
pub fn proxy_from_env(host: &str) -> Option<String> {
    let var = |names: &[&str]| {
        names
            .iter()
            .find_map(|n| std::env::var(n).ok().filter(|v| !v.trim().is_empty()))
    };
    let proxy = var(&["HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"])?;
    let no_proxy = var(&["NO_PROXY", "no_proxy"]).unwrap_or_default();
    let host = host.to_ascii_lowercase();
    let bypass = no_proxy.split(',').map(str::trim).filter(|e| !e.is_empty()).any(|e| {
        let e = e.to_ascii_lowercase();
        let name = if e.starts_with('[') {
            e.split(']').next().map(|h| format!("{h}]")).unwrap_or(e.clone())
        } else {
            e.rsplit_once(':')
                .filter(|(_, p)| p.parse::<u16>().is_ok())
                .map_or(e.clone(), |(h, _)| h.to_string())
        };
        let name = name.trim_start_matches("*.").trim_start_matches('.');
        e == "*" || host == name || host.ends_with(&format!(".{name}"))
    });
    (!bypass).then_some(proxy)
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

/// Maps an error while reading the body: a connection that closed or was reset before the
/// whole body arrived is a truncated response (the status and headers did arrive).
fn map_body_error(e: ureq::Error) -> Error {
    match e {
        ureq::Error::Io(io)
            if matches!(
                io.kind(),
                std::io::ErrorKind::UnexpectedEof | std::io::ErrorKind::ConnectionReset
            ) =>
        {
            Error::new(
                PAYAUTH_TOKEN_RESPONSE_INVALID,
                "the token response was truncated (the connection ended before the whole body)",
            )
        }
        other => map_error(other),
    }
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
        E::LargeResponseHeader(n, max) => Error::new(
            PAYAUTH_RESPONSE_TOO_LARGE,
            format!("token response headers exceed the cap ({n} > {max} bytes)"),
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
            std::io::ErrorKind::UnexpectedEof | std::io::ErrorKind::ConnectionReset => Error::new(
                PAYAUTH_NETWORK,
                "the token endpoint closed the connection before it answered",
            ),
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
    fn proxies_are_checked_and_no_proxy_matches_like_curl() {
        use super::{check_proxy, proxy_from_env};
        for ok in [
            "http://127.0.0.1:3128",
            "socks5://u:p@proxy:1080",
            "https://proxy.internal",
        ] {
            assert!(check_proxy(ok).is_ok(), "{ok}");
        }
        for bad in ["ftp://x:1", "127.0.0.1:3128", "http://", "gopher://h"] {
            let e = check_proxy(bad).unwrap_err();
            assert_eq!(e.code, crate::status::PAYAUTH_CONFIG_INVALID_FIELD, "{bad}");
        }
        let e = check_proxy("ftp://user:hunter2@x:1").unwrap_err();
        assert!(!e.message.contains("hunter2"), "{e}");
        // SAFETY: this test is the only one in the crate touching these variables.
        unsafe {
            std::env::set_var("HTTPS_PROXY", "http://127.0.0.1:3128");
            std::env::set_var("NO_PROXY", "localhost, .internal.example,10.0.0.1:443");
        }
        assert_eq!(proxy_from_env("gw.example").as_deref(), Some("http://127.0.0.1:3128"));
        for host in ["localhost", "api.internal.example", "internal.example", "10.0.0.1"] {
            assert_eq!(proxy_from_env(host), None, "{host} bypasses the proxy");
        }
        // SAFETY: as above.
        unsafe {
            std::env::remove_var("HTTPS_PROXY");
            std::env::remove_var("NO_PROXY");
        }
        assert_eq!(proxy_from_env("gw.example"), None);
    }

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
