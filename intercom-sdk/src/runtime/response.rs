//! Raw response metadata and streamed binary bodies.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::{Duration, SystemTime};

use bytes::{Bytes, BytesMut};
use futures_util::stream::{BoxStream, Stream, StreamExt};
use reqwest::StatusCode;
use reqwest::header::HeaderMap;

use super::error::{Error, Result};
use super::retry::reset_instant;
use super::transport::redact_error;
use crate::codec::Drift;

pub(crate) fn header_str<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
}

pub(crate) fn request_id_from_headers(headers: &HeaderMap) -> Option<&str> {
    header_str(headers, "x-request-id").filter(|s| !s.is_empty())
}

/// The `X-RateLimit-*` headers of a response.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RateLimit {
    /// `X-RateLimit-Limit`: requests allowed in the current window.
    pub limit: u64,
    /// `X-RateLimit-Remaining`: requests left in the current window.
    pub remaining: u64,
    /// `X-RateLimit-Reset`: when the window resets, in Unix epoch seconds
    /// (as sent; see [`RateLimit::reset_at`]).
    pub reset: u64,
}

impl RateLimit {
    /// Parses the three headers; `None` unless all three are present and numeric.
    pub fn from_headers(headers: &HeaderMap) -> Option<Self> {
        let num = |name| header_str(headers, name).and_then(|v| v.parse::<u64>().ok());
        Some(RateLimit {
            limit: num("x-ratelimit-limit")?,
            remaining: num("x-ratelimit-remaining")?,
            reset: num("x-ratelimit-reset")?,
        })
    }

    /// The reset time as a [`SystemTime`]; a value of 10^11 or more is read
    /// as epoch milliseconds. `None` when it is beyond what a `SystemTime`
    /// can hold (a garbage header never panics).
    pub fn reset_at(&self) -> Option<SystemTime> {
        reset_instant(self.reset)
    }
}

/// A typed body together with the response's status and headers, the body as it came, and what
/// in it differed from the API description.
///
/// Returned by `send_with_response()` on every call type.
#[derive(Debug)]
pub struct Response<T> {
    /// The decoded body.
    pub data: T,
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
    drift: Vec<Drift>,
}

impl<T> Response<T> {
    pub(crate) fn new(data: T, status: StatusCode, headers: HeaderMap) -> Self {
        Response {
            data,
            status,
            headers,
            body: Bytes::new(),
            drift: Vec::new(),
        }
    }

    /// Keeps the body as received and the drift found decoding it.
    pub(crate) fn with_body(mut self, body: Bytes, drift: Vec<Drift>) -> Self {
        self.body = body;
        self.drift = drift;
        self
    }

    /// The values of the body that did not have the type the API description declares, with
    /// their JSON paths and what was made of them (empty when the body matched). Each call that
    /// has drift also logs it once, as a warning with target `intercom_sdk::drift`.
    pub fn drift(&self) -> &[Drift] {
        &self.drift
    }

    /// The JSON body exactly as received (empty for a binary call, whose body is the stream).
    pub fn raw_body(&self) -> &Bytes {
        &self.body
    }

    /// Decodes the body as received into a type of your own: fields newer than this SDK, or a
    /// shape of your choosing. A body that does not decode is an [`Error::Decode`] with its path.
    pub fn json<U: serde::de::DeserializeOwned + 'static>(&self) -> Result<U> {
        let locate = crate::codec::drift::error_path::<U>;
        super::call::decode_with_drift(self.status, &self.headers, &self.body, false, locate)
            .map(|(value, _)| value)
    }

    /// HTTP status code.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// Response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// Rate-limit headers, when all three are present.
    pub fn rate_limit(&self) -> Option<RateLimit> {
        RateLimit::from_headers(&self.headers)
    }

    /// The `X-Request-Id` header.
    pub fn request_id(&self) -> Option<&str> {
        request_id_from_headers(&self.headers)
    }

    /// Discards the metadata and returns the body.
    pub fn into_data(self) -> T {
        self.data
    }

    /// Transforms the body, keeping the metadata.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Response<U> {
        Response {
            data: f(self.data),
            status: self.status,
            headers: self.headers,
            body: self.body,
            drift: self.drift,
        }
    }
}

/// A streamed binary response body (`application/octet-stream`).
///
/// Implements [`futures_util::Stream`] of `Result<Bytes>` chunks; use
/// [`ByteStream::collect_bytes`] to buffer it all.
///
/// The call's timeout ([`ClientBuilder::timeout`](crate::ClientBuilder::timeout)
/// or the per-call `timeout`) also bounds the body as an **idle** timeout:
/// when no chunk arrives for that long, the stream yields
/// [`Error::Timeout`] and ends. A slow but steady download is never cut off.
pub struct ByteStream {
    inner: BoxStream<'static, Result<Bytes>>,
    content_length: Option<u64>,
}

impl ByteStream {
    pub(crate) fn from_response(resp: reqwest::Response, idle_timeout: Option<Duration>) -> Self {
        let content_length = resp.content_length();
        let chunks = resp
            .bytes_stream()
            .map(|r| r.map_err(|e| Error::Network(redact_error(e))));
        let inner = match idle_timeout {
            Some(idle) => IdleTimeout::new(chunks, idle).boxed(),
            None => chunks.boxed(),
        };
        ByteStream {
            inner,
            content_length,
        }
    }

    /// A stream over an in-memory buffer (handy for tests and mocks).
    pub fn from_bytes(bytes: impl Into<Bytes>) -> Self {
        let bytes: Bytes = bytes.into();
        let len = bytes.len() as u64;
        ByteStream {
            inner: futures_util::stream::once(async move { Ok(bytes) }).boxed(),
            content_length: Some(len),
        }
    }

    /// The `Content-Length` announced by the server, if any.
    pub fn content_length(&self) -> Option<u64> {
        self.content_length
    }

    /// Reads the whole body into memory.
    pub async fn collect_bytes(mut self) -> Result<Bytes> {
        let cap = self
            .content_length
            .and_then(|n| usize::try_from(n).ok())
            .unwrap_or(0)
            .min(16 * 1024 * 1024);
        let mut buf = BytesMut::with_capacity(cap);
        while let Some(chunk) = self.inner.next().await {
            buf.extend_from_slice(&chunk?);
        }
        Ok(buf.freeze())
    }
}

impl Stream for ByteStream {
    type Item = Result<Bytes>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.inner.as_mut().poll_next(cx)
    }
}

/// Ends a stream with [`Error::Timeout`] when no item arrives within `idle`.
struct IdleTimeout<S> {
    inner: S,
    idle: Duration,
    /// `None` when `idle` is too large to express as a deadline (no timeout).
    deadline: Option<Pin<Box<tokio::time::Sleep>>>,
    finished: bool,
}

impl<S> IdleTimeout<S> {
    fn new(inner: S, idle: Duration) -> Self {
        let deadline = tokio::time::Instant::now()
            .checked_add(idle)
            .map(|at| Box::pin(tokio::time::sleep_until(at)));
        IdleTimeout {
            inner,
            idle,
            deadline,
            finished: false,
        }
    }
}

impl<S: Stream<Item = Result<Bytes>> + Unpin> Stream for IdleTimeout<S> {
    type Item = Result<Bytes>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        if self.finished {
            return Poll::Ready(None);
        }
        match self.inner.poll_next_unpin(cx) {
            Poll::Ready(Some(item)) => {
                let idle = self.idle;
                if let Some(deadline) = self.deadline.as_mut()
                    && let Some(at) = tokio::time::Instant::now().checked_add(idle)
                {
                    deadline.as_mut().reset(at);
                }
                Poll::Ready(Some(item))
            }
            Poll::Ready(None) => {
                self.finished = true;
                Poll::Ready(None)
            }
            Poll::Pending => {
                let expired = self
                    .deadline
                    .as_mut()
                    .is_some_and(|d| d.as_mut().poll(cx).is_ready());
                if expired {
                    self.finished = true;
                    let after = Some(self.idle);
                    Poll::Ready(Some(Err(Error::Timeout { after })))
                } else {
                    Poll::Pending
                }
            }
        }
    }
}

impl fmt::Debug for ByteStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ByteStream")
            .field("content_length", &self.content_length)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::UNIX_EPOCH;

    #[test]
    fn rate_limit_requires_all_three() {
        let mut h = HeaderMap::new();
        h.insert("x-ratelimit-limit", "100".parse().unwrap());
        h.insert("x-ratelimit-remaining", "99".parse().unwrap());
        assert_eq!(RateLimit::from_headers(&h), None);
        h.insert("x-ratelimit-reset", "1700000000".parse().unwrap());
        let rl = RateLimit::from_headers(&h).unwrap();
        assert_eq!((rl.limit, rl.remaining, rl.reset), (100, 99, 1_700_000_000));
        assert_eq!(
            rl.reset_at(),
            Some(UNIX_EPOCH + Duration::from_secs(1_700_000_000))
        );
        for (value, expected) in [
            ("0", Some(UNIX_EPOCH)),
            (
                "1700000000123",
                Some(UNIX_EPOCH + Duration::from_millis(1_700_000_000_123)),
            ),
            (
                "9223372036854775808",
                reset_instant(9_223_372_036_854_775_808),
            ),
            ("18446744073709551615", reset_instant(u64::MAX)),
        ] {
            h.insert("x-ratelimit-reset", value.parse().unwrap());
            let rl = RateLimit::from_headers(&h).unwrap();
            assert_eq!(rl.reset_at(), expected, "{value}");
        }
        h.insert("x-ratelimit-reset", "18446744073709551616".parse().unwrap());
        assert_eq!(RateLimit::from_headers(&h), None, "not a u64");
    }

    #[tokio::test]
    async fn byte_stream_from_bytes_collects() {
        let s = ByteStream::from_bytes(&b"abc"[..]);
        assert_eq!(s.content_length(), Some(3));
        assert_eq!(s.collect_bytes().await.unwrap(), Bytes::from_static(b"abc"));
    }
}
