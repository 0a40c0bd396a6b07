//! Hand-written runtime core: client, configuration, auth, retries, errors,
//! raw responses, binary bodies and pagination.
//!
//! # Requests
//!
//! Every operation returns a call value ([`Call`], [`BinaryCall`] or
//! [`PagedCall`]) on which per-request options can be chained before
//! `.await`: [`timeout`](Call::timeout), [`max_retries`](Call::max_retries),
//! [`header`](Call::header), [`query`](Call::query),
//! [`api_version`](Call::api_version),
//! [`retry_non_idempotent`](Call::retry_non_idempotent), or a reusable
//! [`RequestOptions`] bundle via [`options`](Call::options).
//! `send_with_response()` returns the body together with the status,
//! headers, [`RateLimit`] and request id.
//!
//! Every request carries `Authorization: Bearer <token>` (marked sensitive,
//! never logged or printed), `Intercom-Version` ([`API_VERSION`] unless
//! overridden), `User-Agent: intercom-sdk-rust/<version>` and `Accept`
//! (`application/json`, or `application/octet-stream` for binary calls).
//!
//! # Retry policy
//!
//! Documented on [`Client`] (from `retry_policy.md`, which crate-level docs
//! can include too): idempotent methods retry 408/429/5xx, connection
//! failures and timeouts; POST/PATCH retry only 429 and failed connects
//! unless opted in; `Retry-After` / `X-RateLimit-Reset` are honoured up to
//! 60 s (a longer delay ends retrying at once), otherwise exponential backoff
//! with jitter; all retries of a call fit in a retry budget (default 2
//! minutes).
//!
//! # Errors
//!
//! All failures are an [`Error`]: [`Error::Api`] for a non-success status
//! (with status, headers, request id, the parsed `error.list` and the raw
//! body, even when that body is an HTML page from a proxy),
//! [`Error::Timeout`], [`Error::Network`], [`Error::Decode`] (with the JSON
//! path that failed and a bounded excerpt of the body; a 2xx whose body is
//! not the expected JSON is a decode error, never a success), and
//! [`Error::InvalidRequest`] (missing or malformed token, invalid header,
//! body that failed to serialize, a path parameter that is empty, `.` or
//! `..`, a URL over [`MAX_URL_LEN`]), [`Error::BodyTooLarge`] and
//! [`Error::Pagination`] (paging that would loop, or a page cap).
//!
//! # Observability
//!
//! Each request runs in a `tracing` span `intercom.request` (DEBUG level)
//! with fields `method`, `path` (the path template, e.g.
//! `/contacts/{contact_id}`), `attempt` and `status`; retries emit a DEBUG
//! event with the reason and delay. No header values are recorded.

mod call;
mod client;
mod error;
mod hooks;
mod pagination;
mod request;
mod response;
mod retry;
pub mod throttle;
mod transport;

pub use call::{BinaryCall, Call};
pub use client::{
    API_KEY_ENV, API_VERSION, Client, ClientBuilder, DEFAULT_TIMEOUT, Environment, USER_AGENT_VALUE,
};
pub use error::{ApiError, ApiErrorEntry, DecodeError, Error, PaginationError, Result};
pub use hooks::{BoxError, ResponseInfo, TokenProvider};
pub use pagination::{Page, PagedCall, Paginated};
pub use request::{MAX_URL_LEN, RequestOptions};
pub use response::{ByteStream, RateLimit, Response};
pub use retry::{DEFAULT_MAX_RETRIES, DEFAULT_RETRY_BUDGET, MAX_SERVER_DELAY};
pub use throttle::{RateBudget, Throttle};
pub use transport::{DEFAULT_MAX_BODY_SIZE, DEFAULT_MAX_REDIRECTS};

/// Building blocks for generated code; not part of the stable API.
#[doc(hidden)]
pub mod __private {
    pub use super::pagination::{PageState, PageStyle};
    pub use super::request::{RequestSpec, check_path, encode_path_segment};
    pub use super::retry::{parse_rate_limit_reset, parse_retry_after};
    pub use reqwest::Method;
}
