//! Telling failures apart: not found, rate limited, an API error with its entries, a body that
//! does not decode, a timeout.
//!
//! ```sh
//! INTERCOM_API_KEY=... cargo run -p intercom-sdk --example errors -- <contact id>
//! ```
//!
//! Set `INTERCOM_BASE_URL` to point it at another server (a mock, or the EU/AU region URL).

use std::time::Duration;

use intercom_sdk::requests::FindContactRequest;
use intercom_sdk::{Client, Error};

#[tokio::main]
async fn main() -> Result<(), Error> {
    let client = client()?;
    let id = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "no-such-contact".to_owned());

    let result = client
        .contacts()
        .find(FindContactRequest::new(id))
        .timeout(Duration::from_secs(10))
        .await;
    match result {
        Ok(contact) => println!(
            "found {} <{}>",
            contact.id,
            contact.email.unwrap_or_default()
        ),
        Err(err) => explain(&err),
    }
    Ok(())
}

fn explain(err: &Error) {
    if err.is_not_found() {
        eprintln!("no such contact (request id {:?})", err.request_id());
    } else if err.is_rate_limited() {
        eprintln!(
            "rate limited; the server asks to wait {:?}",
            err.retry_after()
        );
    } else if err.is_unauthorized() {
        eprintln!("the token was refused: {err}");
    } else if err.is_timeout() {
        eprintln!("no answer in time: {err}");
    } else if let Some(api) = err.as_api() {
        eprintln!("HTTP {} (request id {:?})", api.status(), api.request_id());
        for entry in api.errors() {
            eprintln!(
                "  {}: {:?} (field {:?})",
                entry.code, entry.message, entry.field
            );
        }
    } else if let Error::Decode(d) = err {
        eprintln!("unexpected body at `{}`: {}", d.path, d.source);
    } else {
        eprintln!("{err}");
    }
}

/// The client for `INTERCOM_API_KEY`, at `INTERCOM_BASE_URL` when that is set.
fn client() -> Result<Client, Error> {
    match std::env::var("INTERCOM_BASE_URL") {
        Ok(url) => Client::builder()
            .token(std::env::var("INTERCOM_API_KEY").unwrap_or_default())
            .base_url(url)
            .build(),
        Err(_) => Client::from_env(),
    }
}
