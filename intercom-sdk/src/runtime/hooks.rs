//! Request hooks, response observers and token providers.
//!
//! Set on the [`ClientBuilder`](crate::ClientBuilder), they run for every
//! attempt (retries included), in this order: the [`Throttle`] (if any) waits
//! for budget, the [`TokenProvider`] (if any) sets `Authorization`, the
//! request hooks see and may change the final `reqwest::Request`, the request
//! is sent, and the response observers see the status and headers (before
//! the body is read) or the transport error.
//!
//! ```no_run
//! use std::sync::Arc;
//! use std::sync::atomic::{AtomicU64, Ordering};
//! use intercom_sdk::Client;
//!
//! # fn demo() -> intercom_sdk::Result<()> {
//! let requests = Arc::new(AtomicU64::new(0));
//! let counter = Arc::clone(&requests);
//! let client = Client::builder()
//!     .token("my-token")
//!     .on_request(|request: &mut reqwest::Request| {
//!         request.headers_mut().insert("x-trace-id", "trace-123".parse()?);
//!         Ok(())
//!     })
//!     .on_response(move |response: &intercom_sdk::ResponseInfo<'_>| {
//!         counter.fetch_add(1, Ordering::Relaxed);
//!         println!("{} {} -> {:?} in {:?}", response.method, response.url, response.status, response.elapsed);
//!     })
//!     .build()?;
//! # let _ = client; Ok(()) }
//! ```

use std::fmt;
use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures_util::future::BoxFuture;
use reqwest::header::{AUTHORIZATION, HeaderMap, HeaderValue};
use reqwest::{Method, StatusCode, Url};

use super::error::Error;
use super::throttle::{Permit, Throttle};

/// The error type hooks and token providers return.
pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// Supplies the access token for each attempt, for tokens that rotate.
///
/// Called before every attempt; cache the token inside the provider and
/// refresh it when it nears expiry. Closures returning a future implement it:
///
/// ```no_run
/// # fn demo() -> intercom_sdk::Result<()> {
/// let client = intercom_sdk::Client::builder()
///     .token_provider(|| async { Ok::<_, intercom_sdk::BoxError>(std::env::var("TOKEN")?) })
///     .build()?;
/// # let _ = client; Ok(()) }
/// ```
pub trait TokenProvider: Send + Sync + 'static {
    /// The token to send now (without `Bearer `).
    fn token(&self) -> BoxFuture<'_, Result<String, BoxError>>;
}

impl<F, Fut> TokenProvider for F
where
    F: Fn() -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<String, BoxError>> + Send + 'static,
{
    fn token(&self) -> BoxFuture<'_, Result<String, BoxError>> {
        Box::pin(self())
    }
}

/// What a response observer sees of one attempt.
#[derive(Debug)]
#[non_exhaustive]
pub struct ResponseInfo<'a> {
    /// The request method.
    pub method: &'a Method,
    /// The request URL.
    pub url: &'a Url,
    /// The status, or `None` when the attempt failed before a response.
    pub status: Option<StatusCode>,
    /// The response headers, when there was a response.
    pub headers: Option<&'a HeaderMap>,
    /// The transport error, when there was no response.
    pub error: Option<&'a reqwest::Error>,
    /// Time from sending to the response headers (or the failure).
    pub elapsed: Duration,
}

pub(crate) type RequestHook =
    Arc<dyn Fn(&mut reqwest::Request) -> Result<(), BoxError> + Send + Sync>;
pub(crate) type ResponseHook = Arc<dyn Fn(&ResponseInfo<'_>) + Send + Sync>;

/// Everything a client runs around each attempt.
#[derive(Clone, Default)]
pub(crate) struct Hooks {
    pub(crate) request: Vec<RequestHook>,
    pub(crate) response: Vec<ResponseHook>,
    pub(crate) token: Option<Arc<dyn TokenProvider>>,
    pub(crate) throttle: Option<Throttle>,
}

impl fmt::Debug for Hooks {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Hooks")
            .field("request", &self.request.len())
            .field("response", &self.response.len())
            .field("token_provider", &self.token.is_some())
            .field("throttle", &self.throttle)
            .finish()
    }
}

/// The throttle's permit (if any) for one attempt, with the start time.
pub(crate) struct Ticket {
    permit: Option<Permit>,
    started: Instant,
}

impl Hooks {
    /// Waits for the throttle; called before the attempt's timeout starts.
    pub(crate) async fn admit(&self) -> Ticket {
        let permit = match &self.throttle {
            Some(t) => Some(t.acquire().await),
            None => None,
        };
        Ticket {
            permit,
            started: Instant::now(),
        }
    }

    /// Whether `prepare` may change a request (a token provider or request hooks are set).
    pub(crate) fn edit_requests(&self) -> bool {
        self.token.is_some() || !self.request.is_empty()
    }

    /// Sets the provider's token and runs the request hooks.
    pub(crate) async fn prepare(
        &self,
        request: &mut reqwest::Request,
        ticket: &mut Ticket,
    ) -> Result<(), Error> {
        if let Some(provider) = &self.token {
            let token = provider
                .token()
                .await
                .map_err(|e| Error::invalid(format!("the token provider failed: {e}")))?;
            let mut value = HeaderValue::try_from(format!("Bearer {}", token.trim()))
                .ok()
                .filter(|_| !token.trim().is_empty())
                .ok_or_else(|| {
                    Error::invalid("the token provider returned an empty or malformed token")
                })?;
            value.set_sensitive(true);
            request.headers_mut().insert(AUTHORIZATION, value);
        }
        for hook in &self.request {
            hook(request).map_err(|e| Error::invalid(format!("a request hook failed: {e}")))?;
        }
        ticket.started = Instant::now();
        Ok(())
    }

    /// Feeds the throttle and the observers with the outcome of the attempt.
    pub(crate) fn observe(
        &self,
        ticket: &Ticket,
        method: &Method,
        url: &Url,
        result: &Result<reqwest::Response, reqwest::Error>,
    ) {
        let (status, headers, error) = match result {
            Ok(r) => (Some(r.status()), Some(r.headers()), None),
            Err(e) => (None, None, Some(e)),
        };
        if let Some(permit) = &ticket.permit {
            permit.observe(status, headers);
        }
        if self.response.is_empty() {
            return;
        }
        let info = ResponseInfo {
            method,
            url,
            status,
            headers,
            error,
            elapsed: ticket.started.elapsed(),
        };
        for hook in &self.response {
            hook(&info);
        }
    }
}
