//! The throw-away test PKI (a CA and a leaf for `localhost` / `127.0.0.1`, made at start with
//! rcgen) and the rustls server configuration (ring provider only, set explicitly).

use rcgen::{
    BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair, KeyUsagePurpose,
    SanType,
};
use rustls::ServerConfig;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use std::io;
use std::net::{IpAddr, Ipv4Addr};
use std::sync::Arc;

/// The generated PKI and the server configuration using it.
pub struct TestPki {
    pub ca_pem: String,
    pub ca_der: Vec<u8>,
    /// The leaf certificate and its key (PEM), for other loopback test servers (e.g. a TLS
    /// redis-server) that should be trusted through the same CA.
    pub leaf_pem: String,
    pub leaf_key_pem: String,
    pub server_config: Arc<ServerConfig>,
}

fn err(e: impl std::fmt::Display) -> io::Error {
    io::Error::other(format!("test PKI: {e}"))
}

/// Generates a fresh CA and leaf certificate and the rustls server config.
pub fn generate() -> io::Result<TestPki> {
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).map_err(err)?;
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params
        .distinguished_name
        .push(DnType::CommonName, "payauth emulator test CA");
    ca_params
        .distinguished_name
        .push(DnType::OrganizationName, "payauth tests (not secret)");
    ca_params.key_usages = vec![
        KeyUsagePurpose::KeyCertSign,
        KeyUsagePurpose::CrlSign,
        KeyUsagePurpose::DigitalSignature,
    ];
    let ca_key = KeyPair::generate().map_err(err)?;
    let ca_cert = ca_params.self_signed(&ca_key).map_err(err)?;
    let issuer = Issuer::new(ca_params, ca_key);

    let mut leaf_params = CertificateParams::new(vec!["localhost".to_string()]).map_err(err)?;
    leaf_params
        .subject_alt_names
        .push(SanType::IpAddress(IpAddr::V4(Ipv4Addr::LOCALHOST)));
    leaf_params.distinguished_name.push(DnType::CommonName, "localhost");
    leaf_params.is_ca = IsCa::ExplicitNoCa;
    leaf_params.key_usages = vec![KeyUsagePurpose::DigitalSignature, KeyUsagePurpose::KeyEncipherment];
    leaf_params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    let leaf_key = KeyPair::generate().map_err(err)?;
    let leaf_cert = leaf_params.signed_by(&leaf_key, &issuer).map_err(err)?;

    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let chain = vec![leaf_cert.der().clone(), ca_cert.der().clone()];
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(leaf_key.serialize_der()));
    let server_config = ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(err)?
        .with_no_client_auth()
        .with_single_cert(chain, key)
        .map_err(err)?;
    let ca_der: CertificateDer<'static> = ca_cert.der().clone();
    Ok(TestPki {
        ca_pem: ca_cert.pem(),
        ca_der: ca_der.to_vec(),
        leaf_pem: leaf_cert.pem(),
        leaf_key_pem: leaf_key.serialize_pem(),
        server_config: Arc::new(server_config),
    })
}
