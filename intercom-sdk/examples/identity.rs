//! The Messenger's identity verification hash for a logged-in user.
//!
//! ```sh
//! INTERCOM_IDENTITY_SECRET=... cargo run -p intercom-sdk --example identity -- user-42
//! ```

fn main() {
    let secret = std::env::var("INTERCOM_IDENTITY_SECRET")
        .unwrap_or_else(|_| "example-identity-secret".into());
    let user = std::env::args().nth(1).unwrap_or_else(|| "user-42".into());
    // Hand this to the page that boots the Messenger, as `user_hash`, next to `user_id`.
    let hash = intercom_sdk::identity::user_hash(&secret, &user);
    println!("user_id {user}: user_hash {hash}");
}
