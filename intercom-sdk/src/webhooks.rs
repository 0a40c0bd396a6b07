//! Intercom webhooks: signature verification and typed notifications.
//!
//! Intercom signs each notification with the app's *client secret*: the
//! `X-Hub-Signature` header is `sha1=` followed by the hex HMAC-SHA1 of the
//! raw request body. [`verify`] checks it in constant time; [`parse`] reads
//! the body into a [`Notification`] whose [`item`](Notification::item) is
//! decoded by topic into the SDK's models; [`verify_and_parse`] does both.
//! [`sign`] computes the header value, for tests.
//!
//! ```
//! use intercom_sdk::webhooks::{self, WebhookItem};
//!
//! # fn main() -> Result<(), webhooks::WebhookError> {
//! let secret = "my-client-secret";
//! let body = br#"{"type":"notification_event","topic":"contact.user.created","app_id":"abc123",
//!   "id":"notif_1","created_at":1714521600,"delivery_attempts":1,"first_sent_at":1714521600,
//!   "data":{"type":"notification_event_data","item":{"type":"contact","id":"6650","role":"user"}}}"#;
//! let header = webhooks::sign(secret, body); // what Intercom sends as X-Hub-Signature
//!
//! let notification = webhooks::verify_and_parse(secret, Some(&header), body)?;
//! match &notification.item {
//!     WebhookItem::Contact(contact) => assert_eq!(contact.id, "6650"),
//!     other => panic!("unexpected item {other:?}"),
//! }
//! # Ok(()) }
//! ```

use hmac::{Hmac, Mac};
use serde::Deserialize;
use sha1::Sha1;

use crate::models::{Admin, Company, Contact, Conversation, Ticket, Visitor};

/// The header carrying the signature.
pub const SIGNATURE_HEADER: &str = "X-Hub-Signature";

const PREFIX: &str = "sha1=";

type HmacSha1 = Hmac<Sha1>;

/// Why a webhook was rejected.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum WebhookError {
    /// The request had no `X-Hub-Signature` header.
    #[error("missing X-Hub-Signature header")]
    MissingSignature,
    /// The header is not `sha1=` followed by 40 hex digits.
    #[error("malformed X-Hub-Signature header: {0}")]
    MalformedSignature(&'static str),
    /// The signature does not match the body and secret.
    #[error("X-Hub-Signature does not match the body")]
    SignatureMismatch,
    /// The body is not a notification envelope.
    #[error("invalid notification body at `{path}`: {source}")]
    InvalidBody {
        /// JSON path of the failure.
        path: String,
        /// The JSON error.
        source: serde_json::Error,
    },
}

fn mac(secret: &str) -> HmacSha1 {
    // HMAC accepts keys of any length; `new_from_slice` cannot fail for it.
    match HmacSha1::new_from_slice(secret.as_bytes()) {
        Ok(mac) => mac,
        Err(_) => unreachable!("HMAC takes keys of any length"),
    }
}

/// The `X-Hub-Signature` value for `body`: `sha1=` + hex HMAC-SHA1 with `secret`.
///
/// For tests that post signed notifications to your own handler.
pub fn sign(secret: &str, body: &[u8]) -> String {
    let mut mac = mac(secret);
    mac.update(body);
    format!("{PREFIX}{}", hex::encode(mac.finalize().into_bytes()))
}

/// Checks `signature` (the `X-Hub-Signature` header value, `None` when absent)
/// against the raw `body`, in constant time.
///
/// Pass the body exactly as received: re-serialized JSON does not match.
pub fn verify(secret: &str, signature: Option<&str>, body: &[u8]) -> Result<(), WebhookError> {
    let signature = signature.ok_or(WebhookError::MissingSignature)?.trim();
    let digest = signature
        .strip_prefix(PREFIX)
        .ok_or(WebhookError::MalformedSignature(
            "expected the `sha1=` prefix",
        ))?;
    if digest.len() != 40 {
        return Err(WebhookError::MalformedSignature(
            "expected 40 hex digits after `sha1=`",
        ));
    }
    let expected = hex::decode(digest)
        .map_err(|_| WebhookError::MalformedSignature("the digest is not hexadecimal"))?;
    let mut mac = mac(secret);
    mac.update(body);
    mac.verify_slice(&expected)
        .map_err(|_| WebhookError::SignatureMismatch)
}

/// [`verify`], then [`parse`].
pub fn verify_and_parse(
    secret: &str,
    signature: Option<&str>,
    body: &[u8],
) -> Result<Notification, WebhookError> {
    verify(secret, signature, body)?;
    parse(body)
}

/// One webhook notification (`"type": "notification_event"`).
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct Notification {
    /// The notification id (`null` for a `ping`).
    pub id: Option<String>,
    /// The topic, e.g. `contact.user.created` or `conversation.admin.replied`.
    pub topic: String,
    /// The workspace (app) id.
    pub app_id: String,
    /// When the notification was created (Unix seconds).
    pub created_at: i64,
    /// How many times Intercom has tried to deliver it.
    pub delivery_attempts: i64,
    /// When it was first sent (Unix seconds).
    pub first_sent_at: i64,
    /// `data.item`, decoded by topic.
    pub item: WebhookItem,
    /// The whole body as JSON, including fields this SDK does not model.
    pub raw: serde_json::Value,
}

/// `data.item` of a notification, decoded by the topic's family.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum WebhookItem {
    /// `contact.*` (except `contact.tag.*`).
    Contact(Box<Contact>),
    /// `conversation.*`.
    Conversation(Box<Conversation>),
    /// `ticket.*`.
    Ticket(Box<Ticket>),
    /// `company.created`, `company.updated`.
    Company(Box<Company>),
    /// `admin.*` (except `admin.activity_log_event.*`).
    Admin(Box<Admin>),
    /// `visitor.*`.
    Visitor(Box<Visitor>),
    /// Any other topic (`ping`, `contact.tag.created`, `conversation_part.*`,
    /// topics newer than this SDK): the item as JSON.
    Other(serde_json::Value),
    /// A known topic whose item did not decode as its model: the item as JSON
    /// and the reason, so nothing is lost.
    Undecoded {
        /// The item as received.
        value: serde_json::Value,
        /// Why it did not decode.
        error: String,
    },
}

#[derive(Deserialize)]
struct Envelope {
    #[serde(default)]
    id: Option<String>,
    topic: String,
    #[serde(default)]
    app_id: String,
    #[serde(default, deserialize_with = "crate::codec::null_as_default")]
    created_at: i64,
    #[serde(default, deserialize_with = "crate::codec::null_as_default")]
    delivery_attempts: i64,
    #[serde(default, deserialize_with = "crate::codec::null_as_default")]
    first_sent_at: i64,
    data: EnvelopeData,
}

#[derive(Deserialize)]
struct EnvelopeData {
    #[serde(default)]
    item: serde_json::Value,
}

/// Parses a notification body (no signature check: see [`verify_and_parse`]).
pub fn parse(body: &[u8]) -> Result<Notification, WebhookError> {
    let raw: serde_json::Value =
        serde_json::from_slice(body).map_err(|source| WebhookError::InvalidBody {
            path: ".".to_owned(),
            source,
        })?;
    let envelope: Envelope =
        serde_path_to_error::deserialize(&raw).map_err(|e| WebhookError::InvalidBody {
            path: e.path().to_string(),
            source: e.into_inner(),
        })?;
    let item = decode_item(&envelope.topic, envelope.data.item);
    Ok(Notification {
        id: envelope.id,
        topic: envelope.topic,
        app_id: envelope.app_id,
        created_at: envelope.created_at,
        delivery_attempts: envelope.delivery_attempts,
        first_sent_at: envelope.first_sent_at,
        item,
        raw,
    })
}

fn decode_item(topic: &str, item: serde_json::Value) -> WebhookItem {
    fn typed<T: serde::de::DeserializeOwned>(
        item: serde_json::Value,
        wrap: fn(Box<T>) -> WebhookItem,
    ) -> WebhookItem {
        match serde_path_to_error::deserialize::<_, T>(&item) {
            Ok(value) => wrap(Box::new(value)),
            Err(e) => WebhookItem::Undecoded {
                error: format!("at `{}`: {}", e.path(), e.inner()),
                value: item,
            },
        }
    }
    let family = topic.split('.').next().unwrap_or_default();
    let second = topic.split('.').nth(1).unwrap_or_default();
    match (family, second) {
        ("contact", "tag") => WebhookItem::Other(item),
        ("contact", _) => typed(item, WebhookItem::Contact),
        ("conversation", _) => typed(item, WebhookItem::Conversation),
        ("ticket", _) => typed(item, WebhookItem::Ticket),
        ("company", "created" | "updated") => typed(item, WebhookItem::Company),
        ("admin", "activity_log_event") => WebhookItem::Other(item),
        ("admin", _) => typed(item, WebhookItem::Admin),
        ("visitor", _) => typed(item, WebhookItem::Visitor),
        _ => WebhookItem::Other(item),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signature_errors_are_distinct() {
        let body = b"{}";
        assert!(matches!(
            verify("s", None, body),
            Err(WebhookError::MissingSignature)
        ));
        assert!(matches!(
            verify("s", Some("md5=00"), body),
            Err(WebhookError::MalformedSignature(_))
        ));
        assert!(matches!(
            verify("s", Some("sha1=zz"), body),
            Err(WebhookError::MalformedSignature(_))
        ));
        let not_hex = format!("sha1={}", "g".repeat(40));
        assert!(matches!(
            verify("s", Some(&not_hex), body),
            Err(WebhookError::MalformedSignature(_))
        ));
        let wrong = sign("other", body);
        assert!(matches!(
            verify("s", Some(&wrong), body),
            Err(WebhookError::SignatureMismatch)
        ));
        verify("s", Some(&sign("s", body)), body).unwrap();
    }
}
