//! Walking lists across pages: every item as a stream, one page at a time, or everything at once.
//!
//! ```sh
//! INTERCOM_API_KEY=... cargo run -p intercom-sdk --example paging
//! ```
//!
//! Set `INTERCOM_BASE_URL` to point it at another server (a mock, or the EU/AU region URL).

use futures::TryStreamExt;
use intercom_sdk::requests::{ListCollectionsRequest, ListContactsRequest};
use intercom_sdk::{Client, Error};

#[tokio::main]
async fn main() -> Result<(), Error> {
    let client = client()?;

    // Every contact as one stream; the next page is fetched when the stream reaches it.
    let mut contacts = client
        .contacts()
        .list(ListContactsRequest::new().per_page(25))
        .items();
    let mut count = 0;
    while let Some(contact) = contacts.try_next().await? {
        count += 1;
        if count <= 5 {
            println!("{} {}", contact.id, contact.email.as_deref().unwrap_or("-"));
        }
    }
    println!("{count} contacts");

    // Page by page, with each page's metadata.
    let first = client.contacts().list(ListContactsRequest::new()).await?;
    println!(
        "first page: {} contacts, request id {:?}, more pages: {}",
        first.items().len(),
        first.request_id(),
        first.has_next_page()
    );
    if let Some(second) = first.next_page().await? {
        println!("second page: {} contacts", second.items().len());
    }

    // Everything at once (page-number paging, here).
    let collections = client
        .help_centers()
        .collections()
        .list(ListCollectionsRequest::new())
        .collect_items()
        .await?;
    println!("{} help center collections", collections.len());
    Ok(())
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
