//! Testing your own code that uses the SDK, with the `mock` feature's local server.
//!
//! `welcome_line` is "application code": it takes a `Client` and calls Intercom. The tests below
//! (and `main`) run it against `intercom_sdk::mock::MockServer`, which answers typed models.
//!
//! ```sh
//! cargo run -p intercom-sdk --features mock --example mock_testing
//! cargo test -p intercom-sdk --features mock --example mock_testing
//! ```

use intercom_sdk::Client;
use intercom_sdk::models::Contact;
use intercom_sdk::requests::FindContactRequest;

/// Application code: a greeting for a contact, or a fallback when Intercom does not know them.
pub async fn welcome_line(
    client: &Client,
    contact_id: &str,
) -> Result<String, intercom_sdk::Error> {
    match client
        .contacts()
        .find(FindContactRequest::new(contact_id))
        .await
    {
        Ok(contact) => Ok(match contact.name {
            Some(name) if !name.is_empty() => format!("Welcome back, {name}!"),
            _ => "Welcome back!".to_owned(),
        }),
        Err(err) if err.is_not_found() => Ok("Welcome, new friend!".to_owned()),
        Err(err) => Err(err),
    }
}

fn ada() -> Contact {
    Contact {
        id: "6650".into(),
        name: Some("Ada".into()),
        email: Some("ada@example.com".into()),
        ..Default::default()
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), intercom_sdk::Error> {
    let mock = intercom_sdk::mock::MockServer::start().await;
    mock.on_contacts_find()
        .path_param("contact_id", "6650")
        .respond(&ada())
        .await;
    mock.on_contacts_find()
        .fail(404, "not_found", "User Not Found")
        .await;

    let client = mock.client();
    println!("{}", welcome_line(&client, "6650").await?);
    println!("{}", welcome_line(&client, "unknown").await?);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use intercom_sdk::mock::MockServer;

    #[tokio::test]
    async fn greets_a_known_contact_by_name() {
        let mock = MockServer::start().await;
        mock.on_contacts_find()
            .path_param("contact_id", "6650")
            .expect(1)
            .respond(&ada())
            .await;
        assert_eq!(
            welcome_line(&mock.client(), "6650").await.unwrap(),
            "Welcome back, Ada!"
        );
    }

    #[tokio::test]
    async fn greets_an_unknown_contact_as_new() {
        let mock = MockServer::start().await;
        mock.on_contacts_find()
            .fail(404, "not_found", "User Not Found")
            .await;
        assert_eq!(
            welcome_line(&mock.client(), "nobody").await.unwrap(),
            "Welcome, new friend!"
        );
    }

    #[tokio::test]
    async fn passes_other_errors_on() {
        let mock = MockServer::start().await;
        mock.on_contacts_find()
            .fail(401, "unauthorized", "Access Token Invalid")
            .await;
        let err = welcome_line(&mock.client(), "6650").await.unwrap_err();
        assert!(err.is_unauthorized(), "{err:?}");
    }
}
