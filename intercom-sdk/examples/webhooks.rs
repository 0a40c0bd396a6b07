//! Verifying and reading an Intercom webhook notification.
//!
//! In a web handler you get the raw body and the `X-Hub-Signature` header; this example signs a
//! sample body itself to stand in for Intercom.
//!
//! ```sh
//! INTERCOM_CLIENT_SECRET=... cargo run -p intercom-sdk --example webhooks
//! ```

use intercom_sdk::webhooks::{self, WebhookError, WebhookItem};

/// What a handler does with one delivery: the HTTP status to answer with.
fn handle(secret: &str, signature: Option<&str>, body: &[u8]) -> u16 {
    match webhooks::verify_and_parse(secret, signature, body) {
        Ok(notification) => {
            match &notification.item {
                WebhookItem::Contact(contact) => {
                    println!(
                        "{}: contact {} {:?}",
                        notification.topic, contact.id, contact.email
                    )
                }
                WebhookItem::Conversation(c) => {
                    println!("{}: conversation {}", notification.topic, c.id)
                }
                WebhookItem::Ticket(t) => println!("{}: ticket {}", notification.topic, t.id),
                other => println!("{}: {other:?}", notification.topic),
            }
            200
        }
        Err(WebhookError::InvalidBody { .. }) => 400,
        Err(err) => {
            eprintln!("rejected: {err}");
            401
        }
    }
}

fn main() {
    let secret =
        std::env::var("INTERCOM_CLIENT_SECRET").unwrap_or_else(|_| "example-client-secret".into());
    let body = br#"{"type":"notification_event","topic":"contact.user.created","app_id":"abc123","id":"notif_1","created_at":1714521600,"delivery_attempts":1,"first_sent_at":1714521600,"data":{"type":"notification_event_data","item":{"type":"contact","id":"6650","role":"user","email":"ada@example.com"}}}"#;
    let signature = webhooks::sign(&secret, body);
    println!("X-Hub-Signature: {signature}");

    assert_eq!(handle(&secret, Some(&signature), body), 200);
    assert_eq!(
        handle(
            &secret,
            Some("sha1=0000000000000000000000000000000000000000"),
            body
        ),
        401
    );
    assert_eq!(handle(&secret, None, body), 401);
}
