//! Rust SDK for the [Intercom REST API](https://developers.intercom.com/docs/references/rest-api/api.intercom.io/),
//! generated from Intercom's OpenAPI description (API version [`API_VERSION`]).
//!
//! Every operation is a method on a resource of the [`Client`]. It takes a request type from
//! [`requests`] and returns a call value that you `.await` for a typed response from [`models`].
//! Paged operations return a [`PagedCall`], which can also stream every item across pages.
//!
//! ```no_run
//! use futures::TryStreamExt;
//! use intercom_sdk::Client;
//! use intercom_sdk::requests::{FindContactRequest, ListContactsRequest};
//!
//! # async fn run() -> Result<(), intercom_sdk::Error> {
//! let client = Client::from_env()?; // reads INTERCOM_API_KEY
//!
//! // One call: GET /contacts/{contact_id}.
//! let contact = client.contacts().find(FindContactRequest::new("6650")).await?;
//! println!("{:?}", contact.email);
//!
//! // Every contact, page after page (no request is sent after the last page).
//! let mut contacts = client.contacts().list(ListContactsRequest::new()).items();
//! while let Some(contact) = contacts.try_next().await? {
//!     println!("{}", contact.id);
//! }
//! # Ok(())
//! # }
//! ```
//!
//! # Modules and types
//!
//! - [`Client`]: configuration ([`ClientBuilder`], [`Environment`]), authentication, retries and
//!   timeouts. `client.contacts()`, `client.help_centers().collections()` and so on give the
//!   resources.
//! - [`resources`]: one module per resource, one method per operation (generated).
//! - [`requests`]: the input of each operation. Required inputs are arguments of `new`, optional
//!   ones are chainable setters (generated).
//! - [`models`]: every type of the API (generated). Decoding is forward compatible: unknown fields
//!   are ignored, unknown enum values are kept (`Unknown(String)`), and unknown union shapes are
//!   kept whole.
//! - Call values: [`Call`] (JSON), [`BinaryCall`] (a [`ByteStream`] download) and [`PagedCall`]
//!   (a [`Page`], or streams of pages and items of a [`Paginated`] response). Before `.await`, each
//!   takes per-request options such as `.timeout(..)`, `.max_retries(..)`, `.header(..)`, or a
//!   [`RequestOptions`] bundle. `send_with_response()` returns a [`Response`] with the status,
//!   headers, [`RateLimit`] and request id.
//! - Errors: [`Error`] (with [`ApiError`] and [`DecodeError`]) and [`Result`].
//! - Beyond the API calls: [`webhooks`] (signature verification, typed notifications),
//!   [`identity`] (`user_hash`), [`search`] (the query builder), [`export`] (data export from start
//!   to download), a shared [`Throttle`] and request/response hooks and a [`TokenProvider`] on the
//!   [`ClientBuilder`], and, with the `mock` feature, `mock::MockServer` for your own tests.
//!
#![doc = include_str!("runtime/retry_policy.md")]
#![cfg_attr(docsrs, feature(doc_cfg))]

// Which helpers the generated code uses depends on the resource features.
#[cfg_attr(not(feature = "full"), allow(dead_code))]
mod codec;
// The data export runner comes with the `data_export` resource.
#[cfg(feature = "data_export")]
pub mod export;
// Generated code is formatted by the generator itself (prettyplease), so its bytes do not depend on
// the local toolchain; `cargo fmt` leaves it alone.
#[rustfmt::skip]
mod generated;
pub mod identity;
#[cfg(feature = "mock")]
pub mod mock;
mod runtime;
// The search request types come with the resources that search.
#[cfg(any(feature = "contacts", feature = "conversations", feature = "tickets"))]
pub mod search;
#[cfg(feature = "webhooks")]
pub mod webhooks;

#[cfg(feature = "conformance")]
#[doc(hidden)]
pub use generated::conformance as __conformance;
pub use generated::{models, requests, resources};
pub use runtime::*;

/// The README's Rust examples, compiled as doctests.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;
