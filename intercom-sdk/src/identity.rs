//! Identity verification for the Intercom Messenger.
//!
//! With identity verification on, the Messenger accepts a logged-in user only
//! together with a `user_hash`: the hex HMAC-SHA256 of the user's `user_id`
//! (or their email, when there is no `user_id`) keyed with the workspace's
//! identity verification secret. Compute it on your server and hand it to the
//! page that boots the Messenger; never ship the secret to the browser.
//!
//! ```
//! let hash = intercom_sdk::identity::user_hash("my-verification-secret", "user-42");
//! assert_eq!(hash.len(), 64);
//! ```

use hmac::{Hmac, Mac};
use sha2::Sha256;

/// The Messenger's `user_hash` for `user_id_or_email`: lowercase hex
/// HMAC-SHA256 keyed with `secret`.
pub fn user_hash(secret: &str, user_id_or_email: &str) -> String {
    let mut mac = match Hmac::<Sha256>::new_from_slice(secret.as_bytes()) {
        Ok(mac) => mac,
        Err(_) => unreachable!("HMAC takes keys of any length"),
    };
    mac.update(user_id_or_email.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}
