//! A local Intercom for tests (feature `mock`): a server on a real socket
//! that answers typed models per operation.
//!
//! Every operation has an `on_<resource>_<method>` method (generated), e.g.
//! [`MockServer::on_contacts_find`] for `client.contacts().find(..)`. It
//! matches the operation's method and path; `.respond(model)` mounts the
//! answer. Point the code under test at [`MockServer::client`] (or
//! [`MockServer::uri`]).
//!
//! ```
//! use intercom_sdk::mock::MockServer;
//! use intercom_sdk::models::Contact;
//! use intercom_sdk::requests::FindContactRequest;
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() {
//! let mock = MockServer::start().await;
//! let contact = Contact { id: "6650".into(), email: Some("ada@example.com".into()), ..Default::default() };
//! mock.on_contacts_find().path_param("contact_id", "6650").respond(&contact).await;
//!
//! let client = mock.client();
//! let found = client.contacts().find(FindContactRequest::new("6650")).await.unwrap();
//! assert_eq!(found, contact);
//! // Unmatched requests get 404 (here: another id).
//! assert!(client.contacts().find(FindContactRequest::new("7")).await.unwrap_err().is_not_found());
//! # }
//! ```

use std::fmt;
use std::marker::PhantomData;

use reqwest::Method;
use serde::Serialize;
use serde_json::json;
use wiremock::matchers::{body_partial_json, method, path, path_regex, query_param};
use wiremock::{Mock, MockBuilder, ResponseTemplate};

use crate::runtime::__private::encode_path_segment;
use crate::{Client, Environment};

/// A local server answering Intercom operations; stops when dropped.
pub struct MockServer {
    server: wiremock::MockServer,
}

impl fmt::Debug for MockServer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MockServer")
            .field("uri", &self.server.uri())
            .finish()
    }
}

impl MockServer {
    /// Starts a server on a free local port.
    pub async fn start() -> Self {
        MockServer {
            server: wiremock::MockServer::start().await,
        }
    }

    /// The server's base URL, for `ClientBuilder::base_url`.
    pub fn uri(&self) -> String {
        self.server.uri()
    }

    /// A client for this server (token `mock-token`, no retries).
    pub fn client(&self) -> Client {
        let builder = Client::builder()
            .token("mock-token")
            .environment(Environment::Us)
            .base_url(self.server.uri())
            .max_retries(0);
        match builder.build() {
            Ok(client) => client,
            // The URL comes from the local server and the token is fixed.
            Err(e) => unreachable!("mock client configuration is valid: {e}"),
        }
    }

    /// The requests received so far.
    pub async fn received_requests(&self) -> Vec<wiremock::Request> {
        self.server.received_requests().await.unwrap_or_default()
    }

    /// The underlying `wiremock` server, for matchers this module does not cover.
    pub fn wiremock(&self) -> &wiremock::MockServer {
        &self.server
    }

    /// Used by generated code.
    #[doc(hidden)]
    pub fn operation<T>(&self, method: Method, template: &'static str) -> MockOperation<'_, T> {
        MockOperation {
            server: self,
            method,
            template,
            params: Vec::new(),
            query: Vec::new(),
            body: None,
            times: None,
            expect: None,
            _response: PhantomData,
        }
    }
}

/// One mocked operation, answering a `T`; made by the `on_*` methods of
/// [`MockServer`]. Nothing is mounted until a `respond*` method is awaited.
#[must_use = "a MockOperation does nothing until `.respond(..)` is awaited"]
pub struct MockOperation<'a, T> {
    server: &'a MockServer,
    method: Method,
    template: &'static str,
    params: Vec<(String, String)>,
    query: Vec<(String, String)>,
    body: Option<serde_json::Value>,
    times: Option<u64>,
    expect: Option<u64>,
    _response: PhantomData<fn() -> T>,
}

impl<T> fmt::Debug for MockOperation<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MockOperation")
            .field("method", &self.method)
            .field("template", &self.template)
            .field("params", &self.params)
            .field("query", &self.query)
            .finish_non_exhaustive()
    }
}

impl<T> MockOperation<'_, T> {
    /// Matches only this value of the path parameter `name` (e.g. `contact_id`); others match any.
    pub fn path_param(mut self, name: &str, value: impl Into<String>) -> Self {
        self.params.push((name.to_owned(), value.into()));
        self
    }

    /// Matches only requests with this query pair.
    pub fn query_param(mut self, key: &str, value: impl Into<String>) -> Self {
        self.query.push((key.to_owned(), value.into()));
        self
    }

    /// Matches only requests whose JSON body contains `body` (a partial match).
    pub fn body_contains(mut self, body: serde_json::Value) -> Self {
        self.body = Some(body);
        self
    }

    /// Answers at most `n` matching requests; later ones fall through to other mocks.
    pub fn times(mut self, n: u64) -> Self {
        self.times = Some(n);
        self
    }

    /// Panics when the server is dropped unless exactly `n` requests matched.
    pub fn expect(mut self, n: u64) -> Self {
        self.expect = Some(n);
        self
    }

    fn matcher(&self) -> MockBuilder {
        let mut path_re = String::from("^");
        let mut exact = String::new();
        let mut all_given = true;
        let mut rest = self.template;
        while let Some(open) = rest.find('{') {
            let close = rest[open..].find('}').map_or(rest.len(), |c| open + c);
            let literal = &rest[..open];
            path_re.push_str(&regex_escape(literal));
            exact.push_str(literal);
            let name = rest.get(open + 1..close).unwrap_or_default();
            match self.params.iter().rev().find(|(n, _)| n == name) {
                Some((_, value)) => {
                    let encoded = encode_path_segment(value);
                    path_re.push_str(&regex_escape(&encoded));
                    exact.push_str(&encoded);
                }
                None => {
                    path_re.push_str("[^/]+");
                    all_given = false;
                }
            }
            rest = rest.get(close + 1..).unwrap_or_default();
        }
        path_re.push_str(&regex_escape(rest));
        path_re.push('$');
        exact.push_str(rest);
        let mut builder = Mock::given(method(self.method.as_str()));
        builder = if all_given {
            builder.and(path(exact))
        } else {
            builder.and(path_regex(path_re))
        };
        for (key, value) in &self.query {
            builder = builder.and(query_param(key.as_str(), value.as_str()));
        }
        if let Some(body) = &self.body {
            builder = builder.and(body_partial_json(body));
        }
        builder
    }

    async fn mount(self, template: ResponseTemplate) {
        let mut mock = self.matcher().respond_with(template);
        if let Some(n) = self.times {
            mock = mock.up_to_n_times(n);
        }
        if let Some(n) = self.expect {
            mock = mock.expect(n);
        }
        mock.mount(&self.server.server).await;
    }

    /// Answers with an Intercom error (`{"type": "error.list", "errors": [{code, message}]}`).
    pub async fn fail(self, status: u16, code: &str, message: &str) {
        let body = json!({
            "type": "error.list",
            "request_id": "mock-request",
            "errors": [{"code": code, "message": message}],
        });
        self.mount(ResponseTemplate::new(status).set_body_json(body))
            .await;
    }

    /// Answers with any status and raw body (e.g. a body the model cannot decode).
    pub async fn respond_raw(self, status: u16, body: impl Into<Vec<u8>>) {
        self.mount(ResponseTemplate::new(status).set_body_raw(body.into(), "application/json"))
            .await;
    }
}

impl<T: Serialize> MockOperation<'_, T> {
    /// Answers `200` with `response` as JSON.
    pub async fn respond(self, response: &T) {
        self.respond_with_status(200, response).await;
    }

    /// Answers `status` with `response` as JSON.
    pub async fn respond_with_status(self, status: u16, response: &T) {
        let template = ResponseTemplate::new(status).set_body_json(response);
        self.mount(template).await;
    }
}

/// The answer type of operations whose success body is binary (downloads).
#[derive(Clone, Copy, Debug)]
pub struct Binary;

impl MockOperation<'_, Binary> {
    /// Answers `200` with `bytes` as `application/octet-stream`.
    pub async fn respond_bytes(self, bytes: impl Into<Vec<u8>>) {
        let template =
            ResponseTemplate::new(200).set_body_raw(bytes.into(), "application/octet-stream");
        self.mount(template).await;
    }
}

fn regex_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if "\\.+*?()|[]{}^$".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}
