//! Sending requests: the retry loop and the [`Call`] / [`BinaryCall`] types.

use std::any::TypeId;
use std::fmt;
use std::future::IntoFuture;
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use futures_util::future::BoxFuture;
use reqwest::header::{ACCEPT, CONTENT_TYPE, HeaderMap, HeaderName, HeaderValue};
use reqwest::{Method, StatusCode};
use serde::de::DeserializeOwned;
use tracing::Instrument;
use url::Url;

use super::client::Client;
use super::error::{ApiError, DecodeError, Error, Result, byte_offset, excerpt};
use super::hooks::Ticket;
use super::request::{
    INTERCOM_VERSION, RequestOptions, RequestSpec, check_path, check_url_len, header_pair,
    request_option_methods,
};
use super::response::{ByteStream, Response, request_id_from_headers};
use super::retry;
use super::transport::{self, BodyError};
use crate::codec::Drift;

/// A request plus its client and per-call options: everything needed to
/// send it, shared by all call types (and cloned per page by the pager).
#[derive(Clone, Debug)]
pub(crate) struct CallCore {
    pub(crate) client: Client,
    pub(crate) spec: RequestSpec,
    pub(crate) options: RequestOptions,
}

/// What kind of success body the caller wants.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Expect {
    Json,
    Binary,
}

impl Expect {
    fn accept(self) -> HeaderValue {
        match self {
            Expect::Json => HeaderValue::from_static("application/json"),
            Expect::Binary => HeaderValue::from_static("application/octet-stream"),
        }
    }
}

/// The client's headers with `Accept` (and `Content-Type` for a JSON body) set, one map per kind
/// of request: each attempt starts from a clone of one of them.
#[derive(Clone, Debug)]
pub(crate) struct RequestHeaders([HeaderMap; 4]);

impl RequestHeaders {
    pub(crate) fn new(client_headers: &HeaderMap) -> Self {
        let map = |expect: Expect, json_body: bool| {
            let mut headers = client_headers.clone();
            headers.insert(ACCEPT, expect.accept());
            if json_body {
                headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
            }
            headers
        };
        RequestHeaders([
            map(Expect::Json, false),
            map(Expect::Json, true),
            map(Expect::Binary, false),
            map(Expect::Binary, true),
        ])
    }

    fn get(&self, expect: Expect, json_body: bool) -> &HeaderMap {
        let kind = match expect {
            Expect::Json => 0,
            Expect::Binary => 2,
        };
        &self.0[kind + usize::from(json_body)]
    }
}

pub(crate) enum RawBody {
    Buffered(Bytes),
    Streaming(reqwest::Response),
}

/// A success response before decoding.
pub(crate) struct Raw {
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) body: RawBody,
}

/// Why one attempt failed.
enum Failure {
    Status {
        status: StatusCode,
        headers: HeaderMap,
        body: Bytes,
        truncated: bool,
    },
    Transport(reqwest::Error),
    /// The response head arrived but its body could not be read to the end.
    BodyRead(reqwest::Error),
    /// A success body over the client's `max_body_size`.
    TooLarge {
        status: StatusCode,
        limit: usize,
    },
    Timeout(Duration),
    /// A token provider or request hook failed; never retried.
    Local(Error),
}

impl Failure {
    fn into_error(self) -> Error {
        match self {
            Failure::Status {
                status,
                headers,
                body,
                truncated,
            } => Error::Api(Box::new(
                ApiError::new(status, headers, body).truncated(truncated),
            )),
            Failure::Transport(e) | Failure::BodyRead(e) if e.is_timeout() => {
                Error::Timeout { after: None }
            }
            Failure::Transport(e) | Failure::BodyRead(e) => {
                Error::Network(transport::redact_error(e))
            }
            Failure::TooLarge { status, limit } => Error::BodyTooLarge { status, limit },
            Failure::Timeout(d) => Error::Timeout { after: Some(d) },
            Failure::Local(e) => e,
        }
    }

    /// Whether another attempt is allowed, and the delay the server asked for.
    fn retry_decision(&self, repeatable: bool) -> (bool, Option<Duration>) {
        match self {
            Failure::Status {
                status, headers, ..
            } => {
                // The server's delay headers are read only for a status that is retried.
                let retry = retry::should_retry_status(*status, repeatable);
                let delay = retry
                    .then(|| retry::server_delay(*status, headers, SystemTime::now()))
                    .flatten();
                (retry, delay)
            }
            // A failed connect means the request never reached the server.
            Failure::Transport(e) if e.is_connect() => (true, None),
            Failure::Transport(e) => (
                repeatable && (e.is_request() || e.is_body() || e.is_timeout()),
                None,
            ),
            // A body cut mid-way is a transport failure like any other (reqwest labels it a
            // decode error); the server may have acted, so only repeatable requests retry.
            Failure::BodyRead(_) => (repeatable, None),
            Failure::TooLarge { .. } => (false, None),
            Failure::Timeout(_) => (repeatable, None),
            Failure::Local(_) => (false, None),
        }
    }

    fn describe(&self) -> String {
        match self {
            Failure::Status { status, .. } => format!("HTTP {}", status.as_u16()),
            Failure::Transport(e) if e.is_connect() => "connection failed".to_owned(),
            Failure::Transport(_) => "transport error".to_owned(),
            Failure::BodyRead(_) => "body read failed".to_owned(),
            Failure::TooLarge { .. } => "body too large".to_owned(),
            Failure::Timeout(_) => "timeout".to_owned(),
            Failure::Local(_) => "hook failed".to_owned(),
        }
    }
}

/// A request resolved against the client configuration, ready for attempts.
struct Prepared {
    method: Method,
    url: Url,
    /// Headers set over the client's (`RequestHeaders`), in order; `true`: appended.
    headers: Vec<(HeaderName, HeaderValue, bool)>,
    body: Option<Bytes>,
    timeout: Option<Duration>,
    max_retries: u32,
    retry_budget: Duration,
    repeatable: bool,
}

impl CallCore {
    pub(crate) fn new(client: &Client, spec: RequestSpec) -> Self {
        CallCore {
            client: client.clone(),
            spec,
            options: RequestOptions::default(),
        }
    }

    fn prepare(&self) -> Result<Prepared> {
        let inner = &self.client.inner;
        if let Some(msg) = &inner.config_error {
            return Err(Error::invalid(msg.clone()));
        }
        if let Some(msg) = &self.spec.body_error {
            return Err(Error::invalid(msg.clone()));
        }
        let spec = &self.spec;
        let opts = &self.options;
        check_path(spec.path_template, &spec.path)?;

        // The base URL was parsed once; only the path and query are parsed here (the path was
        // percent-encoded by the caller, the query is form-encoded).
        let mut url = inner.base.clone();
        let base_path = inner.base.path().trim_end_matches('/');
        if base_path.is_empty() && spec.path.starts_with('/') {
            url.set_path(&spec.path);
        } else {
            let path = spec.path.strip_prefix('/').unwrap_or(&spec.path);
            url.set_path(&format!("{base_path}/{path}"));
        }
        if !spec.query.is_empty() || !opts.query.is_empty() || !opts.extra_query.is_empty() {
            url.query_pairs_mut()
                .extend_pairs(opts.query_pairs(&spec.query));
        }
        check_url_len(url.as_str(), spec.path_template)?;

        let mut headers = Vec::new();
        let body = match opts.body_with_extra(spec.body.as_ref())? {
            Some(value) => {
                let bytes = serde_json::to_vec(&value).map_err(|e| {
                    Error::invalid(format!("failed to serialize request body: {e}"))
                })?;
                Some(Bytes::from(bytes))
            }
            None => None,
        };
        if let Some(version) = &opts.api_version {
            let value = HeaderValue::from_str(version)
                .map_err(|_| Error::invalid(format!("invalid API version `{version}`")))?;
            headers.push((HeaderName::from_static(INTERCOM_VERSION), value, false));
        }
        for (name, value) in &spec.headers {
            let (name, value) = header_pair(name, value)?;
            headers.push((name, value, false));
        }
        let mut replaced = Vec::with_capacity(opts.headers.len());
        for (name, value) in &opts.headers {
            let (name, value) = header_pair(name, value)?;
            // The first value for a name replaces the defaults; later ones add to it.
            let append = replaced.contains(&name);
            if !append {
                replaced.push(name.clone());
            }
            headers.push((name, value, append));
        }

        // A streamed file part is read once: such a request is sent once.
        let once = !spec.form_is_repeatable();
        Ok(Prepared {
            // A read sent as POST retries like a GET unless the caller says otherwise; a
            // streamed file part is read once, so that request is sent once.
            repeatable: !once
                && (retry::is_idempotent(&spec.method)
                    || opts.retry_non_idempotent.unwrap_or(spec.safe_to_retry)),
            method: spec.method.clone(),
            url,
            headers,
            body,
            timeout: opts.timeout.or(inner.timeout),
            max_retries: if once {
                0
            } else {
                opts.max_retries.unwrap_or(inner.max_retries)
            },
            retry_budget: opts.retry_budget.unwrap_or(inner.retry_budget),
        })
    }

    /// Sends the request with retries; a non-success status becomes
    /// [`Error::Api`].
    pub(crate) async fn execute(&self, expect: Expect) -> Result<Raw> {
        let prepared = self.prepare()?;
        let span = tracing::debug_span!(
            "intercom.request",
            method = %prepared.method,
            path = self.spec.path_template,
            attempt = tracing::field::Empty,
            status = tracing::field::Empty,
        );
        self.run(prepared, expect, span.clone())
            .instrument(span)
            .await
    }

    async fn run(&self, p: Prepared, expect: Expect, span: tracing::Span) -> Result<Raw> {
        let mut retries_done = 0u32;
        // Retry budget spent: the attempts' measured time plus the waits between them (counted
        // as requested, so an injected sleeper is accounted like a real one).
        let mut spent = Duration::ZERO;
        loop {
            span.record("attempt", retries_done + 1);
            // The throttle's wait is not part of the attempt's timeout.
            let ticket = self.client.inner.hooks.admit().await;
            let attempt_start = tokio::time::Instant::now();
            let attempt = self.attempt(&p, expect, ticket);
            let outcome = match p.timeout {
                Some(t) => tokio::time::timeout(t, attempt)
                    .await
                    .unwrap_or(Err(Failure::Timeout(t))),
                None => attempt.await,
            };
            let failure = match outcome {
                Ok(raw) => {
                    span.record("status", raw.status.as_u16());
                    return Ok(raw);
                }
                Err(f) => f,
            };
            spent = spent.saturating_add(attempt_start.elapsed());
            if let Failure::Status { status, .. } = &failure {
                span.record("status", status.as_u16());
            }
            let (retryable, server_delay) = failure.retry_decision(p.repeatable);
            if !retryable || retries_done >= p.max_retries {
                return Err(failure.into_error());
            }
            let Some(delay) = retry::next_delay(server_delay, retries_done, spent, p.retry_budget)
            else {
                tracing::debug!(
                    reason = %failure.describe(),
                    "not retrying: the wait exceeds the retry budget or the longest server delay"
                );
                return Err(failure.into_error());
            };
            tracing::debug!(
                reason = %failure.describe(),
                delay_ms = delay.as_millis() as u64,
                retry = retries_done + 1,
                "retrying Intercom request"
            );
            match &self.client.inner.sleeper {
                Some(sleep) => sleep(delay).await,
                None => tokio::time::sleep(delay).await,
            }
            spent = spent.saturating_add(delay);
            retries_done += 1;
        }
    }

    /// The headers of one attempt: the client's for this kind of request, then the request's own.
    fn request_headers(&self, p: &Prepared, expect: Expect) -> HeaderMap {
        let base = self
            .client
            .inner
            .request_headers
            .get(expect, p.body.is_some());
        let mut headers = base.clone();
        for (name, value, append) in &p.headers {
            if *append {
                headers.append(name.clone(), value.clone());
            } else {
                headers.insert(name.clone(), value.clone());
            }
        }
        headers
    }

    /// `req` with the spec's `multipart/form-data` body (and its boundary's `Content-Type`).
    fn multipart_request(&self, req: reqwest::Request) -> Result<reqwest::Request> {
        let Some(form) = self.spec.multipart_form()? else {
            return Ok(req);
        };
        reqwest::RequestBuilder::from_parts(self.client.inner.http.clone(), req)
            .multipart(form)
            .build()
            .map_err(Error::Network)
    }

    async fn attempt(
        &self,
        p: &Prepared,
        expect: Expect,
        mut ticket: Ticket,
    ) -> std::result::Result<Raw, Failure> {
        let inner = &self.client.inner;
        let mut req = reqwest::Request::new(p.method.clone(), p.url.clone());
        *req.headers_mut() = self.request_headers(p, expect);
        if let Some(body) = &p.body {
            *req.body_mut() = Some(body.clone().into());
        }
        if self.spec.form.is_some() {
            req = self.multipart_request(req).map_err(Failure::Local)?;
        }
        let hooks = &inner.hooks;
        hooks
            .prepare(&mut req, &mut ticket)
            .await
            .map_err(Failure::Local)?;
        // A redirect hop sends the request's headers again: as the hooks left them (kept now, as
        // the request is consumed), or, without hooks, as built (built again, for a hop only).
        let follows = transport::follows_redirects(&p.method) && inner.max_redirects > 0;
        let kept = (follows && hooks.edit_requests()).then(|| req.headers().clone());
        let hop_headers = || kept.unwrap_or_else(|| self.request_headers(p, expect));
        let result =
            transport::send_following(&inner.http, req, inner.max_redirects, hop_headers).await;
        hooks.observe(&ticket, &p.method, &p.url, &result);
        let mut resp = result.map_err(Failure::Transport)?;
        let status = resp.status();
        // Moved out: the body is read without them (its length and decoding are already known).
        let headers = std::mem::take(resp.headers_mut());
        if !status.is_success() {
            // The status is what matters; a body that fails to arrive is kept as far as it came.
            let (body, truncated) = transport::read_truncated(&mut resp, inner.max_body_size).await;
            return Err(Failure::Status {
                status,
                headers,
                body,
                truncated,
            });
        }
        let body = match expect {
            Expect::Json => match transport::read_capped(&mut resp, inner.max_body_size).await {
                Ok(bytes) => RawBody::Buffered(bytes),
                Err(BodyError::Read(e)) => return Err(Failure::BodyRead(e)),
                Err(BodyError::TooLarge) => {
                    let limit = inner.max_body_size;
                    return Err(Failure::TooLarge { status, limit });
                }
            },
            Expect::Binary => RawBody::Streaming(resp),
        };
        Ok(Raw {
            status,
            headers,
            body,
        })
    }

    /// Sends the request and decodes a generated struct (a page) with its `Deserialize`.
    pub(crate) async fn send_page<T: DeserializeOwned + 'static>(&self) -> Result<Response<T>> {
        let decoder = Decoder {
            decode: crate::codec::drift::decode::<T>,
            locate: crate::codec::drift::model_error_path::<T>,
        };
        self.send_json(decoder).await
    }

    async fn send_json<T: 'static>(&self, decoder: Decoder<T>) -> Result<Response<T>> {
        let Raw {
            status,
            headers,
            body,
        } = self.execute(Expect::Json).await?;
        let body = match body {
            RawBody::Buffered(b) => b,
            RawBody::Streaming(_) => Bytes::new(),
        };
        let strict = (self.options.strict_decoding).unwrap_or(self.client.inner.strict_decoding);
        let (data, drift) = decode_with(decoder, status, &headers, &body, strict)?;
        Ok(Response::new(data, status, headers).with_body(body, drift))
    }

    /// The per-attempt timeout in effect (also the idle timeout of a `ByteStream`).
    fn timeout(&self) -> Option<Duration> {
        self.options.timeout.or(self.client.inner.timeout)
    }

    async fn send_binary(&self) -> Result<Response<ByteStream>> {
        let raw = self.execute(Expect::Binary).await?;
        let stream = match raw.body {
            RawBody::Streaming(resp) => ByteStream::from_response(resp, self.timeout()),
            RawBody::Buffered(b) => ByteStream::from_bytes(b),
        };
        Ok(Response::new(stream, raw.status, raw.headers))
    }
}

/// Decodes a success body. An empty (or whitespace-only) body decodes as
/// JSON `null`; `()` ignores the body entirely.
#[cfg(test)]
pub(crate) fn decode<T: DeserializeOwned + 'static>(
    status: StatusCode,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<T> {
    let locate = crate::codec::drift::error_path::<T>;
    decode_with_drift(status, headers, body, false, locate).map(|(value, _)| value)
}

/// Decodes a success body as [`decode`] does, tolerating values of the wrong JSON type in the
/// generated models (see `codec::drift`) and listing them. The drift is logged once, as a warning
/// with target `intercom_sdk::drift`; with `strict`, the first drift is an [`Error::Decode`] at
/// its path instead. `locate` names the JSON path of a decode error: the models' own
/// (`model_error_path`), or `serde_path_to_error` for a caller's type (`error_path`).
pub(crate) fn decode_with_drift<T: DeserializeOwned + 'static>(
    status: StatusCode,
    headers: &HeaderMap,
    body: &[u8],
    strict: bool,
    locate: fn(&[u8]) -> String,
) -> Result<(T, Vec<Drift>)> {
    let decoder = Decoder {
        decode: crate::codec::drift::decode::<T>,
        locate,
    };
    decode_with(decoder, status, headers, body, strict)
}

/// [`decode_with_drift`] with the decoder a [`Call`] chose.
fn decode_with<T: 'static>(
    decoder: Decoder<T>,
    status: StatusCode,
    headers: &HeaderMap,
    body: &[u8],
    strict: bool,
) -> Result<(T, Vec<Drift>)> {
    let input: &[u8] =
        if TypeId::of::<T>() == TypeId::of::<()>() || body.iter().all(u8::is_ascii_whitespace) {
            b"null"
        } else {
            body
        };
    // serde_json with the drift log; only a failing body is looked at again, for the JSON path.
    // What follows the decode is not generic: one copy for every response type.
    match (decoder.decode)(input) {
        Ok((value, drift)) => {
            check_drift(drift, status, headers, input, strict).map(|d| (value, d))
        }
        Err(source) => Err(decode_failure(
            source,
            status,
            headers,
            input,
            decoder.locate,
        )),
    }
}

/// A body that did not decode, as an [`Error::Decode`] at the path `locate` names.
fn decode_failure(
    source: serde_json::Error,
    status: StatusCode,
    headers: &HeaderMap,
    input: &[u8],
    locate: fn(&[u8]) -> String,
) -> Error {
    let at = byte_offset(input, source.line(), source.column());
    Error::Decode(Box::new(DecodeError {
        path: locate(input),
        status,
        request_id: request_id_from_headers(headers).map(str::to_owned),
        excerpt: excerpt(input, at),
        source,
    }))
}

/// Drift logged once or, with `strict`, an [`Error::Decode`] at the first drift's path.
fn check_drift(
    drift: Vec<Drift>,
    status: StatusCode,
    headers: &HeaderMap,
    input: &[u8],
    strict: bool,
) -> Result<Vec<Drift>> {
    if drift.is_empty() {
        return Ok(drift);
    }
    let request_id = request_id_from_headers(headers);
    if strict {
        let first = &drift[0];
        return Err(Error::Decode(Box::new(DecodeError {
            path: first.path.clone(),
            status,
            request_id: request_id.map(str::to_owned),
            excerpt: excerpt(input, 0),
            source: serde::de::Error::custom(format_args!(
                "expected {}, found {} (strict decoding)",
                first.expected, first.found
            )),
        })));
    }
    tracing::warn!(
        target: "intercom_sdk::drift",
        count = drift.len(),
        request_id,
        drift = %DriftList(&drift),
        "the response differs from the API description; the values were tolerated"
    );
    Ok(drift)
}

/// The first entries of a drift list, for the log.
struct DriftList<'a>(&'a [Drift]);

impl fmt::Display for DriftList<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const SHOWN: usize = 10;
        for (i, drift) in self.0.iter().take(SHOWN).enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{drift}")?;
        }
        if self.0.len() > SHOWN {
            write!(f, "; and {} more", self.0.len() - SHOWN)?;
        }
        Ok(())
    }
}

/// A JSON API call. Chain options, then `.await` it (or call
/// [`Call::send_with_response`] for status, headers and rate limits).
///
/// ```no_run
/// # async fn demo(call: intercom_sdk::Call<serde_json::Value>) -> intercom_sdk::Result<()> {
/// let resp = call.max_retries(5).send_with_response().await?;
/// println!("{} {:?}", resp.status(), resp.rate_limit());
/// # Ok(()) }
/// ```
#[must_use = "a Call does nothing until it is awaited"]
pub struct Call<T> {
    core: CallCore,
    decoder: Decoder<T>,
}

/// A decoded body with its drift, or what serde_json reported.
type Decoded<T> = std::result::Result<(T, Vec<Drift>), serde_json::Error>;

/// How a [`Call`] decodes its body, and names the JSON path of a body it cannot decode.
struct Decoder<T> {
    decode: fn(&[u8]) -> Decoded<T>,
    locate: fn(&[u8]) -> String,
}

impl<T> Clone for Decoder<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for Decoder<T> {}

impl<T> fmt::Debug for Call<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Call").field("core", &self.core).finish()
    }
}

impl<T: DeserializeOwned + Send + 'static> Call<T> {
    /// A call decoding its body with `T`'s `Deserialize` (errors located by
    /// `serde_path_to_error`). Used by generated code for empty bodies, and by tests.
    #[doc(hidden)]
    pub fn new(client: &Client, spec: RequestSpec) -> Self {
        Call {
            core: CallCore::new(client, spec),
            decoder: Decoder {
                decode: crate::codec::drift::decode::<T>,
                locate: crate::codec::drift::error_path::<T>,
            },
        }
    }

    /// A call decoding its body as a generated model, tolerant at every level: an element of
    /// a top-level array that is not what the description declares is dropped and reported as
    /// drift, as it would be deeper down (only a top level of the wrong kind is an error).
    #[allow(
        dead_code,
        reason = "called by every generated operation; a build with no resource feature has none"
    )]
    pub(crate) fn model(client: &Client, spec: RequestSpec) -> Self
    where
        T: for<'de> crate::codec::Lenient<'de>,
    {
        Call {
            core: CallCore::new(client, spec),
            decoder: Decoder {
                decode: crate::codec::drift::decode_body::<T>,
                locate: crate::codec::drift::body_error_path::<T>,
            },
        }
    }

    fn options_mut(&mut self) -> &mut RequestOptions {
        &mut self.core.options
    }

    request_option_methods!(with_options);

    /// Sends the request and decodes the body.
    pub async fn send(self) -> Result<T> {
        self.core
            .send_json(self.decoder)
            .await
            .map(Response::into_data)
    }

    /// Sends the request and returns the body with status and headers.
    pub async fn send_with_response(self) -> Result<Response<T>> {
        self.core.send_json(self.decoder).await
    }
}

impl<T: DeserializeOwned + Send + 'static> IntoFuture for Call<T> {
    type Output = Result<T>;
    type IntoFuture = BoxFuture<'static, Result<T>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}

/// A call whose success body is binary (`Accept: application/octet-stream`),
/// returned as a [`ByteStream`]. Error statuses still produce [`Error::Api`].
#[must_use = "a BinaryCall does nothing until it is awaited"]
#[derive(Debug)]
pub struct BinaryCall {
    core: CallCore,
}

impl BinaryCall {
    /// Used by generated code.
    #[doc(hidden)]
    pub fn new(client: &Client, spec: RequestSpec) -> Self {
        BinaryCall {
            core: CallCore::new(client, spec),
        }
    }

    fn options_mut(&mut self) -> &mut RequestOptions {
        &mut self.core.options
    }

    request_option_methods!(with_options);

    /// Sends the request and returns the body stream.
    pub async fn send(self) -> Result<ByteStream> {
        self.core.send_binary().await.map(Response::into_data)
    }

    /// Sends the request and returns the body stream with status and headers.
    pub async fn send_with_response(self) -> Result<Response<ByteStream>> {
        self.core.send_binary().await
    }
}

impl IntoFuture for BinaryCall {
    type Output = Result<ByteStream>;
    type IntoFuture = BoxFuture<'static, Result<ByteStream>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A top-level array (a later description's `GET /fin_voice/conversation/{id}` answers one)
    /// is tolerant like any nested one: a bad element is dropped and listed, over a real socket.
    #[tokio::test]
    async fn a_model_call_drops_a_bad_top_level_element_and_lists_it() {
        use crate::DriftOutcome;
        use crate::models::Tag;
        use wiremock::matchers::path;
        use wiremock::{Mock, MockServer, ResponseTemplate};

        let server = MockServer::start().await;
        let tags = serde_json::json!([{"type": "tag", "id": "1", "name": "vip"}, 5,
            {"type": "tag", "id": 2, "name": "new"}]);
        Mock::given(path("/tags"))
            .respond_with(ResponseTemplate::new(200).set_body_json(tags))
            .mount(&server)
            .await;
        Mock::given(path("/not-a-list"))
            .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"id": "1"})))
            .mount(&server)
            .await;
        let client = Client::builder()
            .token("tok")
            .base_url(server.uri())
            .build()
            .expect("client");
        let call = |at: &'static str| {
            Call::<Vec<Tag>>::model(&client, RequestSpec::new(Method::GET, at, at.to_owned()))
        };

        let response = call("/tags").send_with_response().await.expect("decodes");
        let names: Vec<&str> = response.data.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["vip", "new"]);
        let drift: Vec<(&str, &str, DriftOutcome)> = response
            .drift()
            .iter()
            .map(|d| (d.path.as_str(), d.expected.as_str(), d.outcome))
            .collect();
        assert_eq!(
            drift,
            [
                ("[1]", "object", DriftOutcome::Dropped),
                ("[2].id", "string", DriftOutcome::Converted)
            ]
        );

        let err = call("/not-a-list")
            .await
            .expect_err("an object is not a list");
        let Error::Decode(d) = err else {
            panic!("expected a decode error, got {err:?}")
        };
        assert_eq!(d.path, ".");
    }

    #[derive(Debug, serde::Deserialize)]
    struct Thing {
        items: Vec<Item>,
    }
    #[derive(Debug, serde::Deserialize)]
    struct Item {
        id: u32,
    }

    #[test]
    fn empty_body_is_null_and_unit_ignores_body() {
        let h = HeaderMap::new();
        let ok = StatusCode::OK;
        decode::<()>(ok, &h, b"").unwrap();
        decode::<()>(ok, &h, b" \n").unwrap();
        decode::<()>(ok, &h, br#"{"id":"x"}"#).unwrap();
        assert_eq!(decode::<Option<u32>>(ok, &h, b"").unwrap(), None);
        assert_eq!(decode::<Option<u32>>(ok, &h, b"3").unwrap(), Some(3));
    }

    #[test]
    fn decode_error_names_path_and_excerpt() {
        let h = HeaderMap::new();
        let ok = decode::<Thing>(StatusCode::OK, &h, br#"{"items":[{"id":7}]}"#).unwrap();
        assert_eq!(ok.items[0].id, 7);
        let e =
            decode::<Thing>(StatusCode::OK, &h, br#"{"items":[{"id":1},{"id":"x"}]}"#).unwrap_err();
        let Error::Decode(d) = e else {
            panic!("expected decode error")
        };
        assert_eq!(d.path, "items[1].id");
        assert!(d.excerpt.contains(r#""id":"x""#));
        let e = decode::<Thing>(StatusCode::OK, &h, b"<html>oops</html>").unwrap_err();
        assert!(matches!(&e, Error::Decode(d) if d.path == "." && d.excerpt.starts_with("<html>")));
        let e = decode::<u32>(StatusCode::OK, &h, b"1 2").unwrap_err();
        assert!(matches!(e, Error::Decode(_)));
    }
}
