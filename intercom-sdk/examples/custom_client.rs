//! A client configured by hand: region, timeouts and retries, a `reqwest::Client` of your own
//! (proxy, connection pool, TLS settings), and options for one call.
//!
//! ```sh
//! INTERCOM_API_KEY=... cargo run -p intercom-sdk --example custom_client
//! ```

use std::time::Duration;

use intercom_sdk::requests::ListContactsRequest;
use intercom_sdk::{Client, Environment, RequestOptions};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // Your own HTTP client: the SDK adds authentication, the API version, retries and timeouts.
    let http = reqwest::Client::builder()
        .pool_idle_timeout(Duration::from_secs(30))
        .connect_timeout(Duration::from_secs(5))
        .build()?;

    let client = Client::builder()
        .token(std::env::var("INTERCOM_API_KEY").unwrap_or_default())
        .environment(Environment::Us) // or Eu, Au; .base_url(..) for a mock server
        .timeout(Duration::from_secs(20)) // per attempt
        .max_retries(4)
        .http_client(http)
        .build()?;

    let me = client.admins().identify().await?;
    println!("signed in as {} <{}>", me.name, me.email);

    // Options for one call (on a paged call, for every page).
    let patient = RequestOptions::new()
        .timeout(Duration::from_secs(60))
        .max_retries(6)
        .header("X-Correlation-Id", "example-custom-client");
    let page = client
        .contacts()
        .list(ListContactsRequest::new().per_page(5))
        .options(patient)
        .await?;
    println!("{} contacts on the first page", page.items().len());
    Ok(())
}
