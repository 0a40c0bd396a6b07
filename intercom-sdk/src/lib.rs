//! Rust SDK for the Intercom REST API.
//!
//! (crate docs are completed once the runtime and resources land)

mod runtime;

pub use runtime::*;
