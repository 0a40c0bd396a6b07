//! Many tasks on one client, kept inside Intercom's rate limit by the shared throttle, with a
//! request hook, a response observer and a rotating-token provider.
//!
//! ```sh
//! INTERCOM_API_KEY=... cargo run -p intercom-sdk --example throttle
//! ```
//!
//! Set `INTERCOM_BASE_URL` to point it at another server.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use intercom_sdk::requests::ListContactsRequest;
use intercom_sdk::{BoxError, Client, Throttle};

#[tokio::main]
async fn main() -> Result<(), intercom_sdk::Error> {
    let responses = Arc::new(AtomicU64::new(0));
    let counter = Arc::clone(&responses);
    let mut builder = Client::builder()
        // Read per attempt: a token that rotates in the environment (or a vault) is picked up.
        .token_provider(|| async { Ok::<_, BoxError>(std::env::var("INTERCOM_API_KEY")?) })
        .throttle(Throttle::new().max_concurrent(16))
        .on_request(|request: &mut reqwest::Request| {
            request
                .headers_mut()
                .insert("x-example", "throttle".parse()?);
            Ok(())
        })
        .on_response(move |info: &intercom_sdk::ResponseInfo<'_>| {
            counter.fetch_add(1, Ordering::Relaxed);
            if info.status.is_some_and(|s| s.as_u16() == 429) {
                eprintln!("429 on {} {}", info.method, info.url.path());
            }
        });
    if let Ok(url) = std::env::var("INTERCOM_BASE_URL") {
        builder = builder.base_url(url);
    }
    let client = builder.build()?;

    // 50 tasks, 4 calls each, on clones of one client: one budget.
    let tasks: Vec<_> = (0..50)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move {
                for _ in 0..4 {
                    client
                        .contacts()
                        .list(ListContactsRequest::new().per_page(1))
                        .await?;
                }
                Ok::<_, intercom_sdk::Error>(())
            })
        })
        .collect();
    for task in tasks {
        match task.await {
            Ok(result) => result?,
            Err(join) => eprintln!("task failed: {join}"),
        }
    }
    println!(
        "{} responses; budget now {:?}",
        responses.load(Ordering::Relaxed),
        client.rate_budget()
    );
    Ok(())
}
