//! Who am I, and the first contacts of the workspace, walked across pages.
//!
//! ```sh
//! INTERCOM_API_KEY=... cargo run -p intercom-sdk --example quickstart
//! ```
//!
//! Set `INTERCOM_BASE_URL` to point it at another server (a mock, or the EU/AU region URL).

use futures::TryStreamExt;
use intercom_sdk::requests::ListContactsRequest;
use intercom_sdk::{Client, Error};

#[tokio::main]
async fn main() -> Result<(), Error> {
    let client = match std::env::var("INTERCOM_BASE_URL") {
        Ok(url) => Client::builder()
            .token(std::env::var("INTERCOM_API_KEY").unwrap_or_default())
            .base_url(url)
            .build()?,
        Err(_) => Client::from_env()?,
    };

    let me = client.admins().identify().await?;
    println!("signed in as {} <{}>", me.name, me.email);

    // Up to 20 contacts, 10 per page: the stream fetches the second page when it gets there.
    let mut contacts = client
        .contacts()
        .list(ListContactsRequest::new().per_page(10))
        .items();
    let mut shown = 0;
    while let Some(contact) = contacts.try_next().await? {
        println!("{} {}", contact.id, contact.email.as_deref().unwrap_or("-"));
        shown += 1;
        if shown == 20 {
            break;
        }
    }
    Ok(())
}
