//! Webhook verification and parsing, and identity verification hashes.
//!
//! Vectors were computed outside Rust and written down here:
//!
//! ```text
//! printf '%s' "$PING_BODY" > body.json
//! openssl dgst -sha1 -hmac 'intercom-client-secret' body.json
//!   HMAC-SHA1(body.json)= 23f7b28cdef7c22aab815889835b8d6729c8a8cb
//! python3 -c "import hmac,hashlib; print(hmac.new(b'identity-secret', b'user-42', hashlib.sha256).hexdigest())"
//!   2bdde05d54d28f6c1686a5f352227bdf69a7a114e6f1a2694f9315696e7a7962
//! printf '%s' 'user-42' | openssl dgst -sha256 -hmac identity-secret   (same value)
//! python3 -c "... hmac.new(b'identity-secret', b'ada@example.com', hashlib.sha256).hexdigest()"
//!   622a3483fe6b02f43a2fc4343881c977019367b68d7e9ff63a3a65a5c45ab2ec
//! ```
#![cfg(feature = "webhooks")]

use hmac::{Hmac, Mac};
use intercom_sdk::identity::user_hash;
use intercom_sdk::webhooks::{self, WebhookError, WebhookItem};
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

const PING_BODY: &str = r#"{"type":"notification_event","topic":"ping","app_id":"abc123","data":{"type":"notification_event_data","item":{"type":"ping","message":"Hello world"}},"id":null,"delivery_attempts":1,"first_sent_at":1499359021,"created_at":1499359021}"#;
const PING_SIGNATURE: &str = "sha1=23f7b28cdef7c22aab815889835b8d6729c8a8cb";
const SECRET: &str = "intercom-client-secret";

#[test]
fn fixed_vector_from_openssl() {
    assert_eq!(webhooks::sign(SECRET, PING_BODY.as_bytes()), PING_SIGNATURE);
    webhooks::verify(SECRET, Some(PING_SIGNATURE), PING_BODY.as_bytes()).unwrap();
    // Upper-case hex is the same digest.
    webhooks::verify(
        SECRET,
        Some(&PING_SIGNATURE.to_uppercase().replacen("SHA1=", "sha1=", 1)),
        PING_BODY.as_bytes(),
    )
    .unwrap();
}

#[test]
fn sign_matches_the_hmac_crate_used_directly() {
    for (secret, body) in [
        ("s", &b""[..]),
        (
            "a much longer secret than one sha1 block of sixty-four bytes, to force key hashing",
            b"{\"a\":1}",
        ),
        ("\u{e9}t\u{e9}", "caf\u{e9} \u{2603}".as_bytes()),
    ] {
        let mut mac = Hmac::<sha1::Sha1>::new_from_slice(secret.as_bytes()).unwrap();
        mac.update(body);
        let hex: String = mac
            .finalize()
            .into_bytes()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(webhooks::sign(secret, body), format!("sha1={hex}"));
    }
}

#[test]
fn missing_malformed_and_wrong_signatures() {
    let body = PING_BODY.as_bytes();
    let err = webhooks::verify(SECRET, None, body).unwrap_err();
    assert!(matches!(err, WebhookError::MissingSignature), "{err}");
    for bad in [
        "",
        "23f7b28cdef7c22aab815889835b8d6729c8a8cb",
        "sha256=23f7",
        "sha1=23f7",
        "sha1=xyz7b28cdef7c22aab815889835b8d6729c8a8cb",
    ] {
        let err = webhooks::verify(SECRET, Some(bad), body).unwrap_err();
        assert!(
            matches!(err, WebhookError::MalformedSignature(_)),
            "{bad}: {err}"
        );
    }
    // Right format, wrong secret; right secret, body changed by one byte.
    let err = webhooks::verify("another-secret", Some(PING_SIGNATURE), body).unwrap_err();
    assert!(matches!(err, WebhookError::SignatureMismatch), "{err}");
    let tampered = PING_BODY.replace("Hello", "Hellp");
    let err = webhooks::verify(SECRET, Some(PING_SIGNATURE), tampered.as_bytes()).unwrap_err();
    assert!(matches!(err, WebhookError::SignatureMismatch), "{err}");
    // The secret never appears in an error.
    assert!(!format!("{err} {err:?}").contains(SECRET));
}

fn envelope(topic: &str, item: serde_json::Value) -> Vec<u8> {
    serde_json::to_vec(&json!({
        "type": "notification_event",
        "app_id": "abc123",
        "id": "notif_ab12",
        "topic": topic,
        "created_at": 1714521600,
        "delivery_attempts": 2,
        "first_sent_at": 1714521590,
        "delivery_status": "pending",
        "data": {"type": "notification_event_data", "item": item},
    }))
    .unwrap()
}

#[test]
fn envelope_items_decode_by_topic() {
    let n = webhooks::parse(&envelope(
        "contact.user.created",
        json!({"type": "contact", "id": "6650", "role": "user", "email": "ada@example.com"}),
    ))
    .unwrap();
    assert_eq!(n.topic, "contact.user.created");
    assert_eq!(n.app_id, "abc123");
    assert_eq!(n.id.as_deref(), Some("notif_ab12"));
    assert_eq!(
        (n.created_at, n.delivery_attempts, n.first_sent_at),
        (1714521600, 2, 1714521590)
    );
    assert_eq!(n.raw["delivery_status"], "pending");
    let WebhookItem::Contact(contact) = &n.item else {
        panic!("{:?}", n.item)
    };
    assert_eq!(contact.email.as_deref(), Some("ada@example.com"));

    let n = webhooks::parse(&envelope(
        "conversation.admin.replied",
        json!({"type": "conversation", "id": "147", "state": "open", "open": true}),
    ))
    .unwrap();
    let WebhookItem::Conversation(c) = &n.item else {
        panic!("{:?}", n.item)
    };
    assert_eq!(c.id, "147");

    let n = webhooks::parse(&envelope(
        "ticket.created",
        json!({"type": "ticket", "id": "99", "ticket_id": "8"}),
    ))
    .unwrap();
    assert!(
        matches!(&n.item, WebhookItem::Ticket(t) if t.id == "99"),
        "{:?}",
        n.item
    );

    let n = webhooks::parse(&envelope(
        "company.updated",
        json!({"type": "company", "id": "c1", "name": "Acme"}),
    ))
    .unwrap();
    assert!(
        matches!(&n.item, WebhookItem::Company(c) if c.name == "Acme"),
        "{:?}",
        n.item
    );

    let n = webhooks::parse(&envelope(
        "admin.away_mode_updated",
        json!({"type": "admin", "id": "7", "name": "Ann"}),
    ))
    .unwrap();
    assert!(
        matches!(&n.item, WebhookItem::Admin(a) if a.id == "7"),
        "{:?}",
        n.item
    );

    let n = webhooks::parse(&envelope(
        "visitor.signed_up",
        json!({"type": "visitor", "id": "v1", "user_id": "u"}),
    ))
    .unwrap();
    assert!(
        matches!(&n.item, WebhookItem::Visitor(v) if v.id == "v1"),
        "{:?}",
        n.item
    );
}

#[test]
fn unknown_topics_and_undecodable_items_are_kept_as_json() {
    let item = json!({"type": "hologram", "id": "h1", "depth": 3});
    let n = webhooks::parse(&envelope("hologram.projected", item.clone())).unwrap();
    assert_eq!(n.item, WebhookItem::Other(item));

    let n = webhooks::parse(PING_BODY.as_bytes()).unwrap();
    assert_eq!(n.id, None);
    assert_eq!(
        n.item,
        WebhookItem::Other(json!({"type": "ping", "message": "Hello world"}))
    );

    // A known topic whose item does not fit the model: kept, with the reason.
    let item = json!({"type": "contact", "id": ["not", "a", "string"]});
    let n = webhooks::parse(&envelope("contact.user.updated", item.clone())).unwrap();
    let WebhookItem::Undecoded { value, error } = &n.item else {
        panic!("{:?}", n.item)
    };
    assert_eq!(value, &item);
    assert!(error.contains("id"), "{error}");

    // Not an envelope at all.
    let err = webhooks::parse(b"<html>").unwrap_err();
    assert!(matches!(err, WebhookError::InvalidBody { .. }), "{err}");
    let err = webhooks::parse(br#"{"type":"notification_event","data":{}}"#).unwrap_err();
    assert!(err.to_string().contains("topic"), "{err}");
}

/// A minimal webhook receiver on a real socket: reads one HTTP request,
/// verifies and parses it, answers 200 with the topic or 401 with the error.
async fn receiver(listener: TcpListener) {
    loop {
        let Ok((mut sock, _)) = listener.accept().await else {
            return;
        };
        tokio::spawn(async move {
            let mut buf = Vec::new();
            let mut chunk = [0u8; 4096];
            let (head_end, length) = loop {
                let n = sock.read(&mut chunk).await.unwrap();
                assert!(n > 0, "connection closed early");
                buf.extend_from_slice(&chunk[..n]);
                if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                    let head = String::from_utf8_lossy(&buf[..end]).to_ascii_lowercase();
                    let length = head
                        .lines()
                        .find_map(|l| l.strip_prefix("content-length:"))
                        .map_or(0, |v| v.trim().parse::<usize>().unwrap());
                    break (end + 4, length);
                }
            };
            while buf.len() < head_end + length {
                let n = sock.read(&mut chunk).await.unwrap();
                buf.extend_from_slice(&chunk[..n]);
            }
            let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
            let signature = head.lines().find_map(|l| {
                let (name, value) = l.split_once(':')?;
                name.eq_ignore_ascii_case(webhooks::SIGNATURE_HEADER)
                    .then(|| value.trim().to_owned())
            });
            let body = &buf[head_end..head_end + length];
            let (status, text) =
                match webhooks::verify_and_parse(SECRET, signature.as_deref(), body) {
                    Ok(n) => ("200 OK", n.topic),
                    Err(e) => ("401 Unauthorized", e.to_string()),
                };
            let response = format!(
                "HTTP/1.1 {status}\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{text}",
                text.len()
            );
            sock.write_all(response.as_bytes()).await.unwrap();
        });
    }
}

#[tokio::test]
async fn a_receiver_on_a_socket_accepts_signed_and_rejects_forged() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/webhooks", listener.local_addr().unwrap());
    tokio::spawn(receiver(listener));
    let http = reqwest::Client::new();
    let body = envelope(
        "contact.lead.created",
        json!({"type": "contact", "id": "9", "role": "lead"}),
    );

    let ok = http
        .post(&url)
        .header(webhooks::SIGNATURE_HEADER, webhooks::sign(SECRET, &body))
        .body(body.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(ok.status(), 200);
    assert_eq!(ok.text().await.unwrap(), "contact.lead.created");

    let forged = http
        .post(&url)
        .header(webhooks::SIGNATURE_HEADER, webhooks::sign("guess", &body))
        .body(body.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), 401);
    assert!(forged.text().await.unwrap().contains("does not match"));

    let unsigned = http.post(&url).body(body).send().await.unwrap();
    assert_eq!(unsigned.status(), 401);
    assert!(unsigned.text().await.unwrap().contains("missing"));
}

#[test]
fn user_hash_vectors_from_python() {
    assert_eq!(
        user_hash("identity-secret", "user-42"),
        "2bdde05d54d28f6c1686a5f352227bdf69a7a114e6f1a2694f9315696e7a7962"
    );
    assert_eq!(
        user_hash("identity-secret", "ada@example.com"),
        "622a3483fe6b02f43a2fc4343881c977019367b68d7e9ff63a3a65a5c45ab2ec"
    );
}
