//! What the `overhead` (wall time) and `callgrind` (instruction count) benches share: the
//! contact body and the user type it decodes into, the loopback responder, and the two calls
//! compared (bare `reqwest` + `serde_json`, and the SDK's `Call`).

use std::error::Error;

use intercom_sdk::__private::{Method, RequestSpec};
use intercom_sdk::{Call, Client};
use reqwest::header::{ACCEPT, AUTHORIZATION, USER_AGENT};
use serde::Deserialize;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

pub type BoxError = Box<dyn Error + Send + Sync>;

/// A realistic Intercom contact (a subset of fields, nested objects).
#[derive(Debug, Deserialize)]
pub struct Contact {
    #[serde(rename = "type")]
    kind: String,
    id: String,
    email: Option<String>,
    name: Option<String>,
    custom_attributes: serde_json::Map<String, serde_json::Value>,
    tags: List,
    location: Location,
    created_at: i64,
    updated_at: i64,
}

#[derive(Debug, Deserialize)]
pub struct List {
    data: Vec<Ref>,
    total_count: u32,
}

#[derive(Debug, Deserialize)]
pub struct Ref {
    id: String,
    url: String,
}

#[derive(Debug, Deserialize)]
pub struct Location {
    country: Option<String>,
    region: Option<String>,
    city: Option<String>,
}

pub fn contact_body() -> String {
    let tags: Vec<_> = (0..10)
        .map(|i| serde_json::json!({"type": "tag", "id": format!("{i}"), "url": format!("/tags/{i}")}))
        .collect();
    serde_json::json!({
        "type": "contact", "id": "6571a3b2c1d9e0f1a2b3c4d5", "workspace_id": "abc123",
        "external_id": "user-42", "role": "user", "email": "jane@example.com",
        "name": "Jane Doe", "phone": null, "avatar": null,
        "custom_attributes": {"plan": "pro", "seats": 12, "beta": true},
        "tags": {"type": "list", "data": tags, "url": "/contacts/x/tags", "total_count": 10, "has_more": false},
        "location": {"type": "location", "country": "Ireland", "region": "Dublin", "city": "Dublin"},
        "created_at": 1_700_000_000, "updated_at": 1_700_000_100, "signed_up_at": 1_700_000_000,
        "last_seen_at": 1_700_000_050, "unsubscribed_from_emails": false
    })
    .to_string()
}

async fn serve_connection(mut sock: TcpStream, response: std::sync::Arc<Vec<u8>>) {
    let mut buf = vec![0u8; 16 * 1024];
    let mut filled = 0;
    loop {
        match sock.read(&mut buf[filled..]).await {
            Ok(0) | Err(_) => return,
            Ok(n) => filled += n,
        }
        // GET requests only: a request ends at the blank line.
        while let Some(end) = find(&buf[..filled], b"\r\n\r\n") {
            if sock.write_all(&response).await.is_err() {
                return;
            }
            buf.copy_within(end + 4..filled, 0);
            filled -= end + 4;
        }
        if filled == buf.len() {
            return; // oversized request: not ours
        }
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// Starts the responder on its own thread; returns its base URL.
pub fn start_server(body: String) -> Result<String, BoxError> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    listener.set_nonblocking(true)?;
    let addr = listener.local_addr()?;
    let response = std::sync::Arc::new(
        format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\
             x-request-id: bench\r\nx-ratelimit-limit: 10000\r\nx-ratelimit-remaining: 9999\r\n\
             x-ratelimit-reset: 1700000000\r\n\r\n{body}",
            body.len()
        )
        .into_bytes(),
    );
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    std::thread::spawn(move || {
        rt.block_on(async move {
            let Ok(listener) = TcpListener::from_std(listener) else {
                return;
            };
            while let Ok((sock, _)) = listener.accept().await {
                let _ = sock.set_nodelay(true);
                tokio::spawn(serve_connection(sock, response.clone()));
            }
        });
    });
    Ok(format!("http://{addr}"))
}

pub async fn bare_call(http: &reqwest::Client, url: &str) -> Result<Contact, BoxError> {
    let resp = http
        .get(url)
        .header(AUTHORIZATION, "Bearer bench-token")
        .header("intercom-version", intercom_sdk::API_VERSION)
        .header(ACCEPT, "application/json")
        .header(USER_AGENT, intercom_sdk::USER_AGENT_VALUE)
        .send()
        .await?
        .error_for_status()?;
    let bytes = resp.bytes().await?;
    Ok(serde_json::from_slice(&bytes)?)
}

pub async fn runtime_call(client: &Client) -> Result<Contact, BoxError> {
    let spec = RequestSpec::new(
        Method::GET,
        "/contacts/{contact_id}",
        "/contacts/6571a3b2c1d9e0f1a2b3c4d5".to_owned(),
    );
    Ok(Call::new(client, spec).await?)
}

/// Reads every field, so both paths provably decoded the same document.
pub fn digest(c: &Contact) -> String {
    let tags: Vec<_> = c
        .tags
        .data
        .iter()
        .map(|t| format!("{}={}", t.id, t.url))
        .collect();
    format!(
        "{} {} {:?} {:?} {} {} {:?} {:?} {:?} {} {}",
        c.kind,
        c.id,
        c.email,
        c.name,
        c.custom_attributes.len(),
        c.tags.total_count,
        c.location.country,
        c.location.region,
        c.location.city,
        c.created_at + c.updated_at,
        tags.join(",")
    )
}
