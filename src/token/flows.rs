//! The token flows of each profile: how the request is built and how the answer is read
//! (docs/gateways.md).

use super::http::{HttpResponse, Transport};
use super::response::{
    check_status, gateway_message, json_object, lifetime_field, oauth2, refresh_field, require_json, token_field,
};
use super::{Lifetime, Obtained};
use crate::config::Config;
use crate::error::{Error, Result};
use crate::profiles::{Extra, FlowKind, Preset, Request, Signer};
use crate::secret::Secret;
use crate::status::*;
use serde_json::{Map, Value, json};
use zeroize::Zeroizing;

/// The status and `Retry-After` of the last response a fetch received, and the redactor that
/// cleans what the gateway sent back of the secrets the request carried.
#[derive(Clone, Debug, Default)]
pub struct LastResponse {
    /// HTTP status (0 = no response).
    pub status: u16,
    /// `Retry-After` seconds.
    pub retry_after_s: Option<u64>,
    /// The request's secrets, in every form they may come back in.
    pub redactor: crate::secret::Redactor,
}

/// How Paytia's authorize request is encoded (the gateway's documents disagree).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BodyEncoding {
    /// `application/json` (default, per the newer article).
    Json,
    /// `multipart/form-data` (per the 2024 article).
    Multipart,
    /// `application/x-www-form-urlencoded`.
    Form,
}

/// A profile's token flow.
#[derive(Debug)]
pub enum Flow {
    /// OAuth2 client_credentials with `client_secret_post` (PayNet, PayNet reports, Azupay).
    ClientCredentials {
        url: String,
        client_id: String,
        client_secret: Secret,
    },
    /// Netzme legacy: Basic auth + JSON body; `expiry_token` absolute ms; `status` checked.
    NetzmeBasic { url: String },
    /// SNAP B2B: RSA-signed `X-SIGNATURE` headers from the signer; `accessToken`/`expiresIn`.
    SnapB2b { url: String },
    /// Paytia authorize with `X-API-KEY`; rotating refresh token.
    Paytia {
        url: String,
        api_key: Secret,
        client_id: String,
        client_secret: Secret,
        encoding: BodyEncoding,
    },
}

fn url(cfg: &Config) -> Result<Option<String>> {
    match cfg.str("token_url")? {
        None => Ok(None),
        // Client secrets and Basic credentials travel in the token request: never over plain HTTP.
        Some(u) if u.starts_with("https://") && u.len() > "https://".len() => Ok(Some(u)),
        Some(_) => Err(Error::config_invalid("token_url", "must be an https:// URL")),
    }
}

impl Flow {
    /// The flow a preset uses with this configuration, or `None` when it needs no token.
    pub fn from_config(preset: &Preset, cfg: &Config) -> Result<Option<Flow>> {
        let Some(url) = url(cfg)? else {
            return if preset.needs_token {
                Err(Error::config_missing("token_url"))
            } else {
                Ok(None)
            };
        };
        Ok(Some(match preset.flow {
            FlowKind::ClientCredentials => Flow::ClientCredentials {
                url,
                client_id: cfg.req_str("client_id")?,
                client_secret: cfg.req_secret("client_secret")?,
            },
            FlowKind::NetzmeBasic => Flow::NetzmeBasic { url },
            FlowKind::SnapB2b => {
                if !cfg.has("private_key") && !cfg.has("private_key_env") && !cfg.has("private_key_file") {
                    return Err(Error::config_missing("private_key"));
                }
                Flow::SnapB2b { url }
            }
            FlowKind::Paytia => Flow::Paytia {
                url,
                api_key: cfg.req_secret("api_key")?,
                client_id: cfg.req_str("client_id")?,
                client_secret: cfg.req_secret("client_secret")?,
                encoding: cfg
                    .choice("token_request_encoding", &["json", "multipart", "form"], |s| match s {
                        "json" => Some(BodyEncoding::Json),
                        "multipart" => Some(BodyEncoding::Multipart),
                        "form" => Some(BodyEncoding::Form),
                        _ => None,
                    })?
                    .unwrap_or(BodyEncoding::Json),
            },
            FlowKind::None => {
                return Err(Error::config_invalid(
                    "token_url",
                    format!("profile `{}` has no token flow", preset.name),
                ));
            }
        }))
    }

    /// The token endpoint.
    pub fn url(&self) -> &str {
        match self {
            Flow::ClientCredentials { url, .. }
            | Flow::NetzmeBasic { url }
            | Flow::SnapB2b { url }
            | Flow::Paytia { url, .. } => url,
        }
    }

    /// Requests a token. `refresh` is the current refresh token (Paytia), if any.
    pub fn fetch(
        &self,
        t: &Transport,
        signer: &Signer,
        refresh: Option<&Secret>,
        last: &mut LastResponse,
    ) -> Result<Obtained> {
        match self {
            Flow::ClientCredentials {
                url,
                client_id,
                client_secret,
            } => {
                let body = Zeroizing::new(
                    form_urlencoded::Serializer::new(String::new())
                        .append_pair("grant_type", "client_credentials")
                        .append_pair("client_id", client_id)
                        .append_pair("client_secret", client_secret.expose_str())
                        .finish(),
                );
                let resp = send(t, last, url, &form_headers(), body.as_bytes())?;
                oauth2(&ok_json(&resp)?)
            }
            Flow::NetzmeBasic { url } => netzme(t, last, url, signer),
            Flow::SnapB2b { url } => snap_b2b(t, last, url, signer),
            Flow::Paytia { .. } => match self.paytia(t, refresh, last) {
                // A rejected refresh token (reused or expired) falls back to a full authorize.
                Err(e) if refresh.is_some() && e.code == PAYAUTH_CREDENTIALS_REJECTED => self.paytia(t, None, last),
                other => other,
            },
        }
    }

    fn paytia(&self, t: &Transport, refresh: Option<&Secret>, last: &mut LastResponse) -> Result<Obtained> {
        let Flow::Paytia {
            url,
            api_key,
            client_id,
            client_secret,
            encoding,
        } = self
        else {
            return Err(Error::new(PAYAUTH_INTERNAL, "not a Paytia flow"));
        };
        let mut fields: Vec<(&str, &str)> = vec![
            ("client_id", client_id.as_str()),
            ("client_secret", client_secret.expose_str()),
        ];
        if let Some(r) = refresh {
            fields.push(("refresh_token", r.expose_str()));
        }
        let (content_type, body) = encode_fields(*encoding, &fields)?;
        let headers = vec![
            ("X-API-KEY".to_string(), api_key.expose_str().to_string()),
            ("Content-Type".to_string(), content_type),
            ("Accept".to_string(), "application/json".to_string()),
        ];
        let m = ok_json(&send(t, last, url, &headers, &body)?)?;
        let mut o = oauth2(&m)?;
        o.refresh_token = o.refresh_token.or_else(|| refresh_field(&m, "refreshToken"));
        Ok(o)
    }
}

fn send(
    t: &Transport,
    last: &mut LastResponse,
    url: &str,
    headers: &[(String, String)],
    body: &[u8],
) -> Result<HttpResponse> {
    let mut r = t.post(url, headers, body)?;
    // A gateway or WAF may echo the request (secrets and all) in what it answers: every
    // message made from the body is made from the cleaned body.
    r.body = last.redactor.clean_bytes(&r.body);
    last.status = r.status;
    last.retry_after_s = r.retry_after_s;
    Ok(r)
}

fn form_headers() -> Vec<(String, String)> {
    vec![
        ("Content-Type".into(), "application/x-www-form-urlencoded".into()),
        ("Accept".into(), "application/json".into()),
    ]
}

fn ok_json(resp: &HttpResponse) -> Result<Map<String, Value>> {
    let json = json_object(resp);
    check_status(resp, json.as_ref())?;
    require_json(resp, json)
}

fn signer_headers(signer: &Signer) -> Result<Vec<(String, String)>> {
    let req = Request::for_token(0, Extra::default())?;
    let mut headers = signer.token_headers(&req, false)?.headers();
    headers.push(("Accept".into(), "application/json".into()));
    Ok(headers)
}

/// Encodes Paytia's fields; returns (content type, body).
fn encode_fields(encoding: BodyEncoding, fields: &[(&str, &str)]) -> Result<(String, Zeroizing<Vec<u8>>)> {
    Ok(match encoding {
        BodyEncoding::Json => {
            let map: Map<String, Value> = fields.iter().map(|(k, v)| (k.to_string(), json!(v))).collect();
            (
                "application/json".into(),
                Zeroizing::new(Value::Object(map).to_string().into_bytes()),
            )
        }
        BodyEncoding::Form => {
            let mut s = form_urlencoded::Serializer::new(String::new());
            fields.iter().for_each(|(k, v)| {
                s.append_pair(k, v);
            });
            (
                "application/x-www-form-urlencoded".into(),
                Zeroizing::new(s.finish().into_bytes()),
            )
        }
        BodyEncoding::Multipart => {
            use ring::rand::SecureRandom;
            let mut r = [0u8; 12];
            ring::rand::SystemRandom::new()
                .fill(&mut r)
                .map_err(|_| Error::new(PAYAUTH_INTERNAL, "the system random generator failed"))?;
            let boundary = format!("payauth-{}", hex::encode(r));
            let mut body = Zeroizing::new(Vec::new());
            for (k, v) in fields {
                body.extend_from_slice(
                    format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n").as_bytes(),
                );
                body.extend_from_slice(v.as_bytes());
                body.extend_from_slice(b"\r\n");
            }
            body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
            (format!("multipart/form-data; boundary={boundary}"), body)
        }
    })
}

/// Netzme legacy: Basic-authorized JSON request; a `status` other than success is a refusal.
fn netzme(t: &Transport, last: &mut LastResponse, url: &str, signer: &Signer) -> Result<Obtained> {
    let resp = send(
        t,
        last,
        url,
        &signer_headers(signer)?,
        br#"{"grant_type":"client_credentials"}"#,
    )?;
    let m = ok_json(&resp)?;
    if let Some(status) = m.get("status").and_then(Value::as_str)
        && !matches!(status.to_ascii_uppercase().as_str(), "SUCCEES" | "SUCCESS" | "OK")
    {
        let code = if status.eq_ignore_ascii_case("UNAUTHORIZED") {
            PAYAUTH_CREDENTIALS_REJECTED
        } else {
            PAYAUTH_TOKEN_RESPONSE_INVALID
        };
        let msg = format!(
            "Netzme answered HTTP {} with {}",
            resp.status,
            gateway_message(Some(&m), &[])
        );
        return Err(Error::new(code, msg));
    }
    let lifetime = match lifetime_field(&m, "expiry_token", true)? {
        Lifetime::Unstated => lifetime_field(&m, "expires_in", false)?,
        l => l,
    };
    Ok(Obtained {
        access_token: token_field(&m, "access_token")?,
        refresh_token: None,
        lifetime,
    })
}

/// SNAP B2B: the RSA-signed token request; a `responseCode` other than 200xxxx is a refusal.
fn snap_b2b(t: &Transport, last: &mut LastResponse, url: &str, signer: &Signer) -> Result<Obtained> {
    let body = br#"{"grantType":"client_credentials","additionalInfo":{}}"#;
    let resp = send(t, last, url, &signer_headers(signer)?, body)?;
    let m = ok_json(&resp)?;
    if let Some(code) = m.get("responseCode").and_then(Value::as_str)
        && !code.starts_with("200")
    {
        let status = if code.starts_with("401") {
            PAYAUTH_CREDENTIALS_REJECTED
        } else {
            PAYAUTH_HTTP_STATUS
        };
        let msg = format!("SNAP token answered {}", gateway_message(Some(&m), &[]));
        return Err(Error::new(status, msg));
    }
    Ok(Obtained {
        access_token: token_field(&m, "accessToken")?,
        refresh_token: None,
        lifetime: lifetime_field(&m, "expiresIn", false)?,
    })
}
