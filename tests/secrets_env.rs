//! Secrets from environment variables. One test in its own binary: it sets variables, and no
//! other thread of this process reads the environment meanwhile.

use payauth::Signer;
use payauth::status::PAYAUTH_CONFIG_SECRET_SOURCE;

#[test]
fn env_secrets_unset_empty_and_set() {
    let cfg = |var: &str| format!(r#"{{"profile":"paynet-reports","client_id":"c","client_secret_env":"{var}"}}"#);
    // SAFETY: the only test of this binary; no other thread reads the environment.
    unsafe {
        std::env::remove_var("PAYAUTH_TEST_UNSET_SECRET");
        std::env::set_var("PAYAUTH_TEST_EMPTY_SECRET", "");
        std::env::set_var("PAYAUTH_TEST_SECRET", "my_client_secret");
    }
    let e = Signer::from_json(cfg("PAYAUTH_TEST_UNSET_SECRET").as_bytes()).unwrap_err();
    assert_eq!(e.code, PAYAUTH_CONFIG_SECRET_SOURCE);
    assert!(
        e.message.contains("is not set") && e.message.contains("client_secret_env"),
        "{e}"
    );
    let e = Signer::from_json(cfg("PAYAUTH_TEST_EMPTY_SECRET").as_bytes()).unwrap_err();
    assert_eq!(e.code, PAYAUTH_CONFIG_SECRET_SOURCE);
    assert!(
        e.message.contains("set but empty") && e.message.contains("client_secret"),
        "{e}"
    );
    assert!(Signer::from_json(cfg("PAYAUTH_TEST_SECRET").as_bytes()).is_ok());
}
