//! Rust SDK for the [Intercom REST API](https://developers.intercom.com/docs/references/rest-api/api.intercom.io/),
//! generated from Intercom's OpenAPI description (API version [`API_VERSION`]).
//!
//! ```no_run
//! # async fn run() -> intercom_sdk::Result<()> {
//! let client = intercom_sdk::Client::from_env()?; // reads INTERCOM_API_KEY
//! # let _ = client;
//! # Ok(())
//! # }
//! ```
//!
//! - [`models`]: every type of the API. Decoding is forward compatible: unknown fields are
//!   ignored, unknown enum values are kept (`Unknown(String)`), unknown union shapes are kept whole.
//! - [`Client`]: configuration, authentication, retries, timeouts and errors.
#![doc = include_str!("runtime/retry_policy.md")]

mod codec;
mod generated;
mod runtime;

#[cfg(feature = "conformance")]
#[doc(hidden)]
pub use generated::conformance as __conformance;
pub use generated::{models, requests, resources};
pub use runtime::*;
