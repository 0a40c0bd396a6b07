//! `Client::from_env`. Kept in its own test binary: it mutates the process
//! environment, which must not race with other threads reading it (reqwest
//! reads proxy variables when building a client).

use intercom_sdk::{API_KEY_ENV, Client, Error};

#[test]
fn from_env_reads_intercom_api_key() {
    assert_eq!(API_KEY_ENV, "INTERCOM_API_KEY");

    // SAFETY: this binary holds this one test and starts no threads, so nothing reads the
    // environment concurrently.
    unsafe { std::env::remove_var(API_KEY_ENV) };
    let err = Client::from_env().expect_err("unset");
    assert!(
        matches!(&err, Error::InvalidRequest(m) if m.contains("INTERCOM_API_KEY")),
        "{err:?}"
    );

    // SAFETY: this binary holds this one test and starts no threads, so nothing reads the
    // environment concurrently.
    unsafe { std::env::set_var(API_KEY_ENV, "   ") };
    let err = Client::from_env().expect_err("blank");
    assert!(matches!(err, Error::InvalidRequest(_)));

    // SAFETY: this binary holds this one test and starts no threads, so nothing reads the
    // environment concurrently.
    unsafe { std::env::set_var(API_KEY_ENV, "bad\u{7f}token-secret") };
    let err = Client::from_env().expect_err("invalid characters");
    assert!(matches!(&err, Error::InvalidRequest(_)));
    assert!(!format!("{err:?} {err}").contains("token-secret"));

    // SAFETY: this binary holds this one test and starts no threads, so nothing reads the
    // environment concurrently.
    unsafe { std::env::set_var(API_KEY_ENV, "env-token-secret") };
    let client = Client::from_env().expect("set");
    assert!(!format!("{client:?}").contains("env-token-secret"));
    assert_eq!(client.base_url(), "https://api.intercom.io");

    // SAFETY: this binary holds this one test and starts no threads, so nothing reads the
    // environment concurrently.
    unsafe { std::env::remove_var(API_KEY_ENV) };
}
