//! Searching contacts with the query builder, page after page.
//!
//! ```sh
//! INTERCOM_API_KEY=... cargo run -p intercom-sdk --example search -- @example.com
//! ```

use futures_util::TryStreamExt;
use intercom_sdk::Client;
use intercom_sdk::search::Filter;

#[tokio::main]
async fn main() -> Result<(), intercom_sdk::Error> {
    let client = Client::from_env()?;
    let domain = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "@example.com".into());

    // email ends with <domain> AND (role = user OR role = lead) AND created after 1 May 2024
    let request = Filter::field("email")
        .ends_with(domain.as_str())
        .and(Filter::any([
            Filter::field("role").eq("user"),
            Filter::field("role").eq("lead"),
        ]))
        .and(Filter::field("created_at").gt(1_714_521_600))
        .per_page(50)
        .into_request()?;

    let mut contacts = client.contacts().search(request).items();
    let mut count = 0;
    while let Some(contact) = contacts.try_next().await? {
        println!("{} {}", contact.id, contact.email.as_deref().unwrap_or("-"));
        count += 1;
    }
    println!("{count} contacts");
    Ok(())
}
