//! The [`Client`], its [`ClientBuilder`] and the [`Environment`]s.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{AUTHORIZATION, HeaderMap, HeaderName, HeaderValue, USER_AGENT};
use url::Url;

use super::call::RequestHeaders;
use super::error::{Error, Result};
use super::hooks::{BoxError, Hooks, ResponseInfo, TokenProvider};
use super::request::{INTERCOM_VERSION, header_pair};
use super::retry::{DEFAULT_MAX_RETRIES, DEFAULT_RETRY_BUDGET};
use super::throttle::{RateBudget, Throttle};
use super::transport::{DEFAULT_MAX_BODY_SIZE, DEFAULT_MAX_REDIRECTS, redact_userinfo};

pub use crate::generated::API_VERSION;

/// Environment variable read by [`Client::from_env`].
pub const API_KEY_ENV: &str = "INTERCOM_API_KEY";

/// Default per-attempt timeout.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

/// `User-Agent` sent by this crate.
pub const USER_AGENT_VALUE: &str = concat!("intercom-sdk-rust/", env!("CARGO_PKG_VERSION"));

/// A pluggable sleep used between retries (defaults to `tokio::time::sleep`).
pub(crate) type Sleeper =
    Arc<dyn Fn(Duration) -> Pin<Box<dyn Future<Output = ()> + Send>> + Send + Sync>;

/// Intercom's regional API hosts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Environment {
    /// `https://api.intercom.io` (the default).
    #[default]
    Us,
    /// `https://api.eu.intercom.io`.
    Eu,
    /// `https://api.au.intercom.io`.
    Au,
}

impl Environment {
    /// The base URL of this region.
    pub const fn base_url(self) -> &'static str {
        match self {
            Environment::Us => "https://api.intercom.io",
            Environment::Eu => "https://api.eu.intercom.io",
            Environment::Au => "https://api.au.intercom.io",
        }
    }
}

/// The `Authorization` header value, kept away from `Debug`/`Display`.
#[derive(Clone)]
struct Credential(HeaderValue);

impl fmt::Debug for Credential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Bearer [redacted]")
    }
}

impl Credential {
    fn new(token: &str) -> Result<Self> {
        let token = token.trim();
        if token.is_empty() {
            return Err(Error::invalid("missing access token"));
        }
        // Never include the token in the message.
        let mut value = HeaderValue::try_from(format!("Bearer {token}")).map_err(|_| {
            Error::invalid("access token contains characters not allowed in an HTTP header")
        })?;
        value.set_sensitive(true);
        Ok(Credential(value))
    }
}

pub(crate) struct Inner {
    pub(crate) http: reqwest::Client,
    /// Validated base URL without a trailing slash.
    pub(crate) base_url: String,
    /// `base_url` parsed once: a request's URL is a clone of it with the path and query set.
    pub(crate) base: Url,
    /// Authorization, User-Agent, Intercom-Version and user default headers.
    pub(crate) headers: HeaderMap,
    /// `headers` with `Accept` (and `Content-Type` for a JSON body) set, per kind of request:
    /// an attempt starts from a clone of one of them.
    pub(crate) request_headers: RequestHeaders,
    pub(crate) timeout: Option<Duration>,
    pub(crate) max_retries: u32,
    /// Total time for one call's retries, from its first attempt.
    pub(crate) retry_budget: Duration,
    /// Redirect hops followed by a GET/HEAD.
    pub(crate) max_redirects: u32,
    /// Largest buffered body read.
    pub(crate) max_body_size: usize,
    pub(crate) sleeper: Option<Sleeper>,
    /// Whether drift in a response is an `Error::Decode` (see `ClientBuilder::strict_decoding`).
    pub(crate) strict_decoding: bool,
    /// Set when `Client::new` received an unusable token; surfaced on send.
    pub(crate) config_error: Option<String>,
    /// Throttle, token provider, request hooks and response observers.
    pub(crate) hooks: Hooks,
}

/// An Intercom API client.
///
/// Cheap to clone: clones share one connection pool and configuration.
///
/// ```no_run
/// # async fn demo() -> intercom_sdk::Result<()> {
/// use intercom_sdk::{Client, Environment};
/// let client = Client::builder()
///     .token("my-token")
///     .environment(Environment::Eu)
///     .max_retries(3)
///     .build()?;
/// # let _ = client; Ok(()) }
/// ```
///
#[doc = include_str!("retry_policy.md")]
#[derive(Clone)]
pub struct Client {
    pub(crate) inner: Arc<Inner>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let i = &self.inner;
        f.debug_struct("Client")
            .field("base_url", &redact_userinfo(&i.base_url))
            .field("api_version", &i.headers.get(INTERCOM_VERSION))
            .field("timeout", &i.timeout)
            .field("max_retries", &i.max_retries)
            .field("retry_budget", &i.retry_budget)
            .field("max_redirects", &i.max_redirects)
            .field("max_body_size", &i.max_body_size)
            .field("token", &"[redacted]")
            .finish_non_exhaustive()
    }
}

impl Client {
    /// A client for the US region with default settings.
    ///
    /// This constructor does not validate eagerly: if `token` is empty or
    /// contains characters that cannot go in an HTTP header, every request
    /// made with the client returns [`Error::InvalidRequest`]. Use
    /// [`Client::builder`] to validate up front.
    ///
    /// Like `reqwest::Client::new`, it panics only if the TLS backend cannot
    /// be initialised; [`ClientBuilder::build`] reports that as an error.
    pub fn new(token: impl AsRef<str>) -> Self {
        let mut headers = base_headers(HeaderValue::from_static(API_VERSION));
        let config_error = match Credential::new(token.as_ref()) {
            Ok(credential) => {
                headers.insert(AUTHORIZATION, credential.0);
                None
            }
            Err(e) => Some(e.to_string()),
        };
        let base_url = Environment::Us.base_url();
        Client {
            inner: Arc::new(Inner {
                http: sdk_http_client(),
                base_url: base_url.to_owned(),
                base: Url::parse(base_url).expect("the US base URL is a valid URL"),
                request_headers: RequestHeaders::new(&headers),
                headers,
                timeout: Some(DEFAULT_TIMEOUT),
                max_retries: DEFAULT_MAX_RETRIES,
                retry_budget: DEFAULT_RETRY_BUDGET,
                max_redirects: DEFAULT_MAX_REDIRECTS,
                max_body_size: DEFAULT_MAX_BODY_SIZE,
                sleeper: None,
                strict_decoding: false,
                config_error,
                hooks: Hooks::default(),
            }),
        }
    }

    /// A client using the token in the `INTERCOM_API_KEY` environment variable.
    ///
    /// Returns [`Error::InvalidRequest`] when the variable is unset, empty, or
    /// not a valid token.
    pub fn from_env() -> Result<Self> {
        let token = std::env::var(API_KEY_ENV)
            .ok()
            .filter(|t| !t.trim().is_empty())
            .ok_or_else(|| {
                Error::invalid(format!("the {API_KEY_ENV} environment variable is not set"))
            })?;
        Client::builder().token(token).build()
    }

    /// A builder for a customised client.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// The base URL requests are sent to.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// The underlying `reqwest::Client` (shares the connection pool).
    pub fn http_client(&self) -> &reqwest::Client {
        &self.inner.http
    }

    /// The throttle's current budget, when the client has one
    /// ([`ClientBuilder::throttle`]).
    pub fn rate_budget(&self) -> Option<RateBudget> {
        self.inner.hooks.throttle.as_ref().map(Throttle::budget)
    }
}

/// Configures a [`Client`]. Obtain one with [`Client::builder`].
#[derive(Default)]
pub struct ClientBuilder {
    token: Option<String>,
    environment: Environment,
    base_url: Option<String>,
    api_version: Option<String>,
    timeout: Option<Option<Duration>>,
    max_retries: Option<u32>,
    retry_budget: Option<Duration>,
    max_redirects: Option<u32>,
    max_body_size: Option<usize>,
    default_headers: Vec<(String, String)>,
    http: Option<reqwest::Client>,
    sleeper: Option<Sleeper>,
    strict_decoding: bool,
    hooks: Hooks,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("token", &self.token.as_ref().map(|_| "[redacted]"))
            .field("environment", &self.environment)
            .field("base_url", &self.base_url.as_deref().map(redact_userinfo))
            .field("api_version", &self.api_version)
            .field("timeout", &self.timeout)
            .field("max_retries", &self.max_retries)
            .field("retry_budget", &self.retry_budget)
            .field("max_redirects", &self.max_redirects)
            .field("max_body_size", &self.max_body_size)
            .field(
                "default_headers",
                &self
                    .default_headers
                    .iter()
                    .map(|(k, _)| k)
                    .collect::<Vec<_>>(),
            )
            .field("hooks", &self.hooks)
            .finish_non_exhaustive()
    }
}

impl ClientBuilder {
    /// The access token (required).
    pub fn token(mut self, token: impl AsRef<str>) -> Self {
        self.token = Some(token.as_ref().to_owned());
        self
    }

    /// The regional host (default [`Environment::Us`]).
    pub fn environment(mut self, env: Environment) -> Self {
        self.environment = env;
        self
    }

    /// Overrides the base URL (proxies, tests); takes precedence over
    /// [`ClientBuilder::environment`].
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// The `Intercom-Version` sent with every request (default [`API_VERSION`]).
    pub fn api_version(mut self, version: impl Into<String>) -> Self {
        self.api_version = Some(version.into());
        self
    }

    /// Per-attempt timeout (default [`DEFAULT_TIMEOUT`]).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(Some(timeout));
        self
    }

    /// Disables the per-attempt timeout.
    pub fn no_timeout(mut self) -> Self {
        self.timeout = Some(None);
        self
    }

    /// Retries after the first attempt (default 2); see the retry policy in
    /// the crate's runtime docs.
    pub fn max_retries(mut self, n: u32) -> Self {
        self.max_retries = Some(n);
        self
    }

    /// Total time one call may spend retrying, counted from the start of its
    /// first attempt (default [`DEFAULT_RETRY_BUDGET`](crate::DEFAULT_RETRY_BUDGET),
    /// 2 minutes; per call with `retry_budget`). A retry whose wait would end
    /// past it is not made: the last error is returned at once, and
    /// [`Error::retry_after`] carries any delay the server asked for.
    pub fn retry_budget(mut self, budget: Duration) -> Self {
        self.retry_budget = Some(budget);
        self
    }

    /// Redirect hops a `GET`/`HEAD` follows (default 10; 0 follows none).
    /// Other methods never follow a redirect: the 3xx is returned as
    /// [`Error::Api`] with its [`location`](crate::ApiError::location). A
    /// hop to another origin drops the credentials. A client given with
    /// [`ClientBuilder::http_client`] applies its own redirect policy first.
    pub fn max_redirects(mut self, hops: u32) -> Self {
        self.max_redirects = Some(hops);
        self
    }

    /// Largest JSON or error body read into memory, in bytes (default
    /// [`DEFAULT_MAX_BODY_SIZE`](crate::DEFAULT_MAX_BODY_SIZE), 64 MiB). A
    /// larger success body is [`Error::BodyTooLarge`], checked against
    /// `Content-Length` before reading; an error body is cut at the limit
    /// ([`ApiError::body_truncated`](crate::ApiError::body_truncated)).
    /// Binary downloads ([`ByteStream`](crate::ByteStream)) are streamed and
    /// not limited.
    pub fn max_body_size(mut self, bytes: usize) -> Self {
        self.max_body_size = Some(bytes);
        self
    }

    /// A header sent with every request (validated by [`ClientBuilder::build`]).
    pub fn default_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.default_headers.push((name.into(), value.into()));
        self
    }

    /// Uses a caller-configured `reqwest::Client` (proxies, TLS, pool
    /// settings). Its own timeout, if any, is reported as [`Error::Timeout`].
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// Replaces `tokio::time::sleep` for the waits between retries, e.g. to
    /// record or skip backoff delays in tests.
    pub fn sleeper<F, Fut>(mut self, sleep: F) -> Self
    where
        F: Fn(Duration) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = ()> + Send + 'static,
    {
        self.sleeper = Some(Arc::new(move |d| Box::pin(sleep(d))));
        self
    }

    /// Makes every response that differs from the API description an [`Error::Decode`] naming
    /// the first value that differs, instead of tolerating it (default `false`: such values are
    /// tolerated and listed by `Response::drift()`). Meant for CI runs that should notice when
    /// the API and the SDK part ways; per call with `.strict_decoding(..)`.
    pub fn strict_decoding(mut self, strict: bool) -> Self {
        self.strict_decoding = strict;
        self
    }

    /// Supplies the token for every attempt instead of a fixed one (tokens that rotate).
    /// A fixed [`ClientBuilder::token`] is then optional and replaced on each attempt.
    pub fn token_provider(mut self, provider: impl TokenProvider) -> Self {
        self.hooks.token = Some(Arc::new(provider));
        self
    }

    /// Runs `hook` on every outgoing request (each attempt, after authentication) to inspect or
    /// change it: extra headers, signing, logging. An error fails the call with
    /// [`Error::InvalidRequest`]. Hooks run in the order they were added.
    pub fn on_request<F>(mut self, hook: F) -> Self
    where
        F: Fn(&mut reqwest::Request) -> std::result::Result<(), BoxError> + Send + Sync + 'static,
    {
        self.hooks.request.push(Arc::new(hook));
        self
    }

    /// Calls `observer` with the status and headers of every response (each attempt, before
    /// the body is read), or the transport error: for logging and metrics.
    pub fn on_response<F>(mut self, observer: F) -> Self
    where
        F: Fn(&ResponseInfo<'_>) + Send + Sync + 'static,
    {
        self.hooks.response.push(Arc::new(observer));
        self
    }

    /// Holds requests when the rate-limit window is spent instead of sending them into `429`s
    /// (see [`Throttle`]). Clones of the client, and clients given clones of the same
    /// `Throttle`, share one budget.
    pub fn throttle(mut self, throttle: Throttle) -> Self {
        self.hooks.throttle = Some(throttle);
        self
    }

    /// Builds the client, validating the token, base URL and headers.
    pub fn build(self) -> Result<Client> {
        let credential = match (self.token.as_deref(), &self.hooks.token) {
            (Some(token), _) => Some(Credential::new(token)?),
            (None, Some(_)) => None,
            (None, None) => return Err(Error::invalid("missing access token")),
        };
        let base = self
            .base_url
            .as_deref()
            .unwrap_or(self.environment.base_url());
        let base_url = Url::parse(base)
            .ok()
            .filter(|u| {
                matches!(u.scheme(), "http" | "https")
                    && u.has_host()
                    && u.query().is_none()
                    && u.fragment().is_none()
            })
            .ok_or_else(|| {
                Error::invalid(format!("invalid base URL `{}`", redact_userinfo(base)))
            })?;

        let version = self.api_version.as_deref().unwrap_or(API_VERSION);
        let version = HeaderValue::from_str(version)
            .map_err(|_| Error::invalid(format!("invalid API version `{version}`")))?;
        let mut headers = base_headers(version);
        for (name, value) in &self.default_headers {
            let (name, value): (HeaderName, HeaderValue) = header_pair(name, value)?;
            headers.insert(name, value);
        }
        if let Some(credential) = credential {
            headers.insert(AUTHORIZATION, credential.0);
        }

        let http = match self.http {
            Some(h) => h,
            None => reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .map_err(|e| Error::invalid(format!("failed to build HTTP client: {e}")))?,
        };
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                base_url: base_url.as_str().trim_end_matches('/').to_owned(),
                base: base_url,
                request_headers: RequestHeaders::new(&headers),
                headers,
                timeout: self.timeout.unwrap_or(Some(DEFAULT_TIMEOUT)),
                max_retries: self.max_retries.unwrap_or(DEFAULT_MAX_RETRIES),
                retry_budget: self.retry_budget.unwrap_or(DEFAULT_RETRY_BUDGET),
                max_redirects: self.max_redirects.unwrap_or(DEFAULT_MAX_REDIRECTS),
                max_body_size: self.max_body_size.unwrap_or(DEFAULT_MAX_BODY_SIZE),
                sleeper: self.sleeper,
                strict_decoding: self.strict_decoding,
                config_error: None,
                hooks: self.hooks,
            }),
        })
    }
}

/// The SDK's own HTTP client: redirects are followed by the runtime, which
/// knows the method (see `transport.rs`), so reqwest follows none.
fn sdk_http_client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        // Fails only when the TLS backend cannot start, where `reqwest::Client::new` panics.
        .unwrap_or_else(|_| reqwest::Client::new())
}

fn base_headers(version: HeaderValue) -> HeaderMap {
    let mut headers = HeaderMap::with_capacity(8);
    headers.insert(USER_AGENT, HeaderValue::from_static(USER_AGENT_VALUE));
    headers.insert(INTERCOM_VERSION, version);
    headers
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn environment_urls() {
        assert_eq!(Environment::default(), Environment::Us);
        assert_eq!(Environment::Us.base_url(), "https://api.intercom.io");
        assert_eq!(Environment::Eu.base_url(), "https://api.eu.intercom.io");
        assert_eq!(Environment::Au.base_url(), "https://api.au.intercom.io");
        for (env, host) in [
            (Environment::Us, "api.intercom.io"),
            (Environment::Eu, "api.eu.intercom.io"),
            (Environment::Au, "api.au.intercom.io"),
        ] {
            let c = Client::builder()
                .token("t")
                .environment(env)
                .build()
                .unwrap();
            assert_eq!(c.base_url(), format!("https://{host}"));
        }
        let c = Client::builder()
            .token("t")
            .environment(Environment::Eu)
            .base_url("http://127.0.0.1:9")
            .build()
            .unwrap();
        assert_eq!(c.base_url(), "http://127.0.0.1:9");
    }

    #[test]
    fn builder_validation() {
        let e = Client::builder().build().unwrap_err();
        assert!(matches!(e, Error::InvalidRequest(_)), "{e:?}");
        let e = Client::builder()
            .token("bad\ntoken-secret")
            .build()
            .unwrap_err();
        assert!(matches!(e, Error::InvalidRequest(_)));
        assert!(!format!("{e:?} {e}").contains("token-secret"));
        let e = Client::builder()
            .token("t")
            .base_url("not a url")
            .build()
            .unwrap_err();
        assert!(matches!(e, Error::InvalidRequest(_)));
        let e = Client::builder()
            .token("t")
            .default_header("bad header", "v")
            .build()
            .unwrap_err();
        assert!(matches!(e, Error::InvalidRequest(_)));
    }

    #[test]
    fn debug_is_redacted() {
        let c = Client::new("super-secret-token");
        let b = Client::builder().token("super-secret-token");
        let s = format!("{c:?} {b:?} {:?}", c.inner.headers);
        assert!(!s.contains("super-secret-token"), "{s}");
        assert!(c.inner.headers[AUTHORIZATION].is_sensitive());
        assert_eq!(c.inner.headers[USER_AGENT], USER_AGENT_VALUE);
        assert!(USER_AGENT_VALUE.starts_with("intercom-sdk-rust/"));
    }

    #[test]
    fn base_url_userinfo_is_redacted() {
        let b = Client::builder()
            .token("t")
            .base_url("https://user:hunter2@api.example.com");
        let builder_debug = format!("{b:?}");
        let c = b.build().unwrap();
        let s = format!("{builder_debug} {c:?}");
        assert!(!s.contains("hunter2") && !s.contains("user:"), "{s}");
        assert!(s.contains("***@api.example.com"), "{s}");
        let e = Client::builder()
            .token("t")
            .base_url("https://user:hunter2@api.example.com?q")
            .build()
            .unwrap_err();
        assert!(!format!("{e} {e:?}").contains("hunter2"), "{e}");
    }

    #[test]
    fn new_with_bad_token_defers_error() {
        let c = Client::new("bad\ntoken");
        assert!(c.inner.config_error.is_some());
        assert!(Client::new("good").inner.config_error.is_none());
    }
}
