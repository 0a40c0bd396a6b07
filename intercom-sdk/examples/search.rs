//! Searching contacts with a filter built by `intercom_sdk::search::Filter`, and walking the
//! results page by page.
//!
//! ```sh
//! INTERCOM_API_KEY=... cargo run -p intercom-sdk --example search -- @example.com
//! ```
//!
//! Set `INTERCOM_BASE_URL` to point it at another server (a mock, or the EU/AU region URL).

use futures::TryStreamExt;
use intercom_sdk::Client;
use intercom_sdk::search::Filter;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = client()?;
    let domain = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "@example.com".to_owned());

    // Users whose email ends with the domain and who signed up after 1 May 2024. The limits
    // Intercom documents (nesting, group sizes) are checked before anything is sent.
    let request = Filter::field("email")
        .ends_with(domain.as_str())
        .and(Filter::field("role").eq("user"))
        .and(Filter::field("created_at").gt(1_714_521_600))
        .per_page(50)
        .into_request()?;

    let mut pages = client.contacts().search(request).pages();
    let mut total = 0;
    while let Some(page) = pages.try_next().await? {
        for contact in page.items() {
            println!("{} {}", contact.id, contact.email.as_deref().unwrap_or("-"));
        }
        total += page.items().len();
    }
    println!("{total} contacts match");
    Ok(())
}

/// The client for `INTERCOM_API_KEY`, at `INTERCOM_BASE_URL` when that is set.
fn client() -> Result<Client, intercom_sdk::Error> {
    match std::env::var("INTERCOM_BASE_URL") {
        Ok(url) => Client::builder()
            .token(std::env::var("INTERCOM_API_KEY").unwrap_or_default())
            .base_url(url)
            .build(),
        Err(_) => Client::from_env(),
    }
}
