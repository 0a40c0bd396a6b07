//! The crate's single error type.

use std::fmt;
use std::time::Duration;

use bytes::Bytes;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use serde::Deserialize;

use super::response::{RateLimit, header_str, request_id_from_headers};
use super::retry;

/// Convenience alias used throughout the SDK.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong when calling the Intercom API.
///
/// The access token never appears in the `Debug` or `Display` output of any
/// variant.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The API answered with a non-success status (4xx/5xx).
    #[error(transparent)]
    Api(Box<ApiError>),
    /// The request (one attempt) did not complete within the configured timeout.
    #[error("request timed out{}", fmt_after(.after))]
    Timeout {
        /// The timeout that elapsed, when known.
        after: Option<Duration>,
    },
    /// The connection failed, was refused, or broke while reading the body.
    #[error("network error: {0}")]
    Network(#[source] reqwest::Error),
    /// A success response whose body could not be decoded into the expected type.
    #[error(transparent)]
    Decode(Box<DecodeError>),
    /// The request could not be built: missing or malformed access token,
    /// an invalid header name/value, a body that failed to serialize, an
    /// invalid base URL, a path parameter that is empty or a dot segment
    /// (`.`/`..`), or a URL longer than the limit.
    #[error("invalid request: {0}")]
    InvalidRequest(String),
    /// A success body was larger than the client's
    /// [`max_body_size`](crate::ClientBuilder::max_body_size); nothing past
    /// the limit was read.
    #[error("response body (HTTP {status}) exceeds the limit of {limit} bytes")]
    BodyTooLarge {
        /// HTTP status of the response.
        status: StatusCode,
        /// The limit that was exceeded.
        limit: usize,
    },
    /// Paging was stopped because the server's paging data would loop or the
    /// caller's page cap was reached. Pages before it were delivered.
    #[error("pagination stopped: {0}")]
    Pagination(PaginationError),
}

/// Why a paged call stopped early (see [`Error::Pagination`]).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PaginationError {
    /// The server returned a cursor that was already sent in this run.
    #[error("the server repeated the cursor `{cursor}` after {pages} pages")]
    RepeatedCursor {
        /// The repeated cursor.
        cursor: String,
        /// Pages fetched before the repeat was found.
        pages: u32,
    },
    /// A page number response did not advance past the previous page.
    #[error("the server answered page {returned} after page {previous}")]
    PageNotAdvancing {
        /// The page number of the previous response.
        previous: i64,
        /// The page number of this response.
        returned: i64,
    },
    /// The page cap set with `max_pages` was reached while more pages remained.
    #[error("the page cap of {max_pages} was reached and more pages remain")]
    PageCapReached {
        /// The cap.
        max_pages: u32,
    },
}

fn fmt_after(after: &Option<Duration>) -> String {
    match after {
        Some(d) => format!(" after {d:?}"),
        None => String::new(),
    }
}

impl Error {
    pub(crate) fn invalid(msg: impl Into<String>) -> Self {
        Error::InvalidRequest(msg.into())
    }

    /// The API error details, if this is an [`Error::Api`].
    pub fn as_api(&self) -> Option<&ApiError> {
        match self {
            Error::Api(e) => Some(e),
            _ => None,
        }
    }

    /// HTTP status of the failed response (API errors and decode errors).
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api(e) => Some(e.status),
            Error::Decode(e) => Some(e.status),
            Error::BodyTooLarge { status, .. } => Some(*status),
            Error::Network(e) => e.status(),
            _ => None,
        }
    }

    /// `true` for a 404 response.
    pub fn is_not_found(&self) -> bool {
        self.status() == Some(StatusCode::NOT_FOUND)
    }

    /// `true` for a 429 response.
    pub fn is_rate_limited(&self) -> bool {
        self.status() == Some(StatusCode::TOO_MANY_REQUESTS)
    }

    /// `true` for a 401 response.
    pub fn is_unauthorized(&self) -> bool {
        self.status() == Some(StatusCode::UNAUTHORIZED)
    }

    /// `true` if the request timed out.
    pub fn is_timeout(&self) -> bool {
        matches!(self, Error::Timeout { .. })
    }

    /// How long the server asked us to wait before retrying (`Retry-After`,
    /// or `X-RateLimit-Reset` on a 429), if it said so. When the retry loop
    /// gave up because this exceeded the retry budget or
    /// [`MAX_SERVER_DELAY`](crate::MAX_SERVER_DELAY), this is the full delay
    /// the server asked for.
    pub fn retry_after(&self) -> Option<Duration> {
        self.as_api().and_then(ApiError::retry_after)
    }

    /// The entries of Intercom's `error.list` body (empty when the body was
    /// not an `error.list`).
    pub fn errors(&self) -> &[ApiErrorEntry] {
        self.as_api().map(|e| e.errors()).unwrap_or(&[])
    }

    /// The request id (`X-Request-Id` header or `request_id` in the body).
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Error::Api(e) => e.request_id(),
            Error::Decode(e) => e.request_id.as_deref(),
            _ => None,
        }
    }
}

/// One entry of Intercom's `error.list`.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct ApiErrorEntry {
    /// Machine-readable code, e.g. `not_found` or `parameter_invalid`.
    #[serde(default)]
    pub code: String,
    /// Human-readable message.
    #[serde(default)]
    pub message: Option<String>,
    /// The offending field, when the error concerns one.
    #[serde(default)]
    pub field: Option<String>,
}

#[derive(Deserialize)]
struct ErrorListBody {
    #[serde(rename = "type", default)]
    kind: Option<String>,
    #[serde(default)]
    request_id: Option<String>,
    #[serde(default)]
    errors: Vec<ApiErrorEntry>,
}

/// A non-success response from the API.
pub struct ApiError {
    status: StatusCode,
    headers: HeaderMap,
    request_id: Option<String>,
    errors: Vec<ApiErrorEntry>,
    body: Bytes,
    body_truncated: bool,
}

impl ApiError {
    pub(crate) fn new(status: StatusCode, headers: HeaderMap, body: Bytes) -> Self {
        let mut request_id = request_id_from_headers(&headers).map(str::to_owned);
        let mut errors = Vec::new();
        if let Ok(parsed) = serde_json::from_slice::<ErrorListBody>(&body) {
            if parsed.kind.as_deref().is_none_or(|k| k == "error.list") {
                errors = parsed.errors;
            }
            if request_id.is_none() {
                request_id = parsed.request_id;
            }
        }
        ApiError {
            status,
            headers,
            request_id,
            errors,
            body,
            body_truncated: false,
        }
    }

    /// Marks the body as cut at the client's body size limit.
    pub(crate) fn truncated(mut self, truncated: bool) -> Self {
        self.body_truncated = truncated;
        self
    }

    /// Whether [`ApiError::body`] was cut at the client's
    /// [`max_body_size`](crate::ClientBuilder::max_body_size).
    pub fn body_truncated(&self) -> bool {
        self.body_truncated
    }

    /// The `Location` header of a 3xx that was not followed (redirects are
    /// followed only for `GET`/`HEAD`).
    pub fn location(&self) -> Option<&str> {
        header_str(&self.headers, "location")
    }

    /// HTTP status code.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// Response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// Request id, from the `X-Request-Id` header or the body's `request_id`.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    /// Parsed `error.list` entries (empty if the body was not an `error.list`).
    pub fn errors(&self) -> &[ApiErrorEntry] {
        &self.errors
    }

    /// The raw response body.
    pub fn body(&self) -> &Bytes {
        &self.body
    }

    /// The raw body as (lossy) UTF-8 text.
    pub fn body_text(&self) -> std::borrow::Cow<'_, str> {
        String::from_utf8_lossy(&self.body)
    }

    /// Rate-limit headers of the response, when all three are present.
    pub fn rate_limit(&self) -> Option<RateLimit> {
        RateLimit::from_headers(&self.headers)
    }

    /// Server-requested delay before retrying, see [`Error::retry_after`]
    /// (as requested: not capped, saturating for absurd values).
    pub fn retry_after(&self) -> Option<Duration> {
        retry::server_delay(self.status, &self.headers, std::time::SystemTime::now())
    }
}

impl fmt::Debug for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiError")
            .field("status", &self.status)
            .field("request_id", &self.request_id)
            .field("errors", &self.errors)
            .field("body", &excerpt(&self.body, 0))
            .field("body_truncated", &self.body_truncated)
            .field("headers", &self.headers)
            .finish()
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Intercom API error: HTTP {}", self.status)?;
        for (i, e) in self.errors.iter().enumerate() {
            f.write_str(if i == 0 { ": " } else { "; " })?;
            f.write_str(&e.code)?;
            if let Some(m) = &e.message {
                write!(f, " ({m})")?;
            }
            if let Some(field) = &e.field {
                write!(f, " [field: {field}]")?;
            }
        }
        if self.errors.is_empty() {
            let ct = header_str(&self.headers, "content-type").unwrap_or("");
            if !self.body.is_empty() && !ct.contains("json") {
                write!(f, " (non-JSON body, {} bytes)", self.body.len())?;
            }
        }
        if self.body_truncated {
            write!(f, " (body cut at {} bytes)", self.body.len())?;
        }
        if self.status.is_redirection()
            && let Some(location) = self.location()
        {
            write!(
                f,
                " (redirect to {} not followed)",
                excerpt(location.as_bytes(), 0)
            )?;
        }
        if let Some(id) = &self.request_id {
            write!(f, " (request id: {id})")?;
        }
        Ok(())
    }
}

impl std::error::Error for ApiError {}

/// A success response whose body did not match the expected type.
#[derive(Debug)]
#[non_exhaustive]
pub struct DecodeError {
    /// JSON path at which decoding failed (`.` for the document root).
    pub path: String,
    /// The underlying serde error.
    pub source: serde_json::Error,
    /// HTTP status of the response.
    pub status: StatusCode,
    /// Request id of the response, when present.
    pub request_id: Option<String>,
    /// Up to [`DecodeError::EXCERPT_LEN`] bytes of the body around the failure.
    pub excerpt: String,
}

impl DecodeError {
    /// Maximum length of [`DecodeError::excerpt`] in bytes.
    pub const EXCERPT_LEN: usize = 512;
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "failed to decode response body (HTTP {}) at `{}`: {}",
            self.status, self.path, self.source
        )?;
        if let Some(id) = &self.request_id {
            write!(f, " (request id: {id})")?;
        }
        Ok(())
    }
}

impl std::error::Error for DecodeError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.source)
    }
}

/// A bounded, lossy-UTF-8 excerpt of `body` centred on byte `around`.
pub(crate) fn excerpt(body: &[u8], around: usize) -> String {
    let half = DecodeError::EXCERPT_LEN / 2;
    let len = body.len();
    let (start, end) = if len <= DecodeError::EXCERPT_LEN {
        (0, len)
    } else {
        let start = around
            .saturating_sub(half)
            .min(len - DecodeError::EXCERPT_LEN);
        (start, start + DecodeError::EXCERPT_LEN)
    };
    String::from_utf8_lossy(&body[start..end]).into_owned()
}

/// Byte offset of a serde_json (1-based line, 1-based column) position.
pub(crate) fn byte_offset(body: &[u8], line: usize, column: usize) -> usize {
    let mut offset = 0;
    if line > 1 {
        let mut seen = 1;
        for (i, b) in body.iter().enumerate() {
            if *b == b'\n' {
                seen += 1;
                if seen == line {
                    offset = i + 1;
                    break;
                }
            }
        }
    }
    (offset + column.saturating_sub(1)).min(body.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_error_list_and_request_id_from_body() {
        let body = br#"{"type":"error.list","request_id":"rid-1","errors":[{"code":"not_found","message":"User Not Found"}]}"#;
        let e = ApiError::new(
            StatusCode::NOT_FOUND,
            HeaderMap::new(),
            Bytes::from_static(body),
        );
        assert_eq!(e.request_id(), Some("rid-1"));
        assert_eq!(e.errors().len(), 1);
        assert_eq!(e.errors()[0].code, "not_found");
        assert_eq!(
            e.to_string(),
            "Intercom API error: HTTP 404 Not Found: not_found (User Not Found) (request id: rid-1)"
        );
    }

    #[test]
    fn header_request_id_wins_over_body() {
        let mut h = HeaderMap::new();
        h.insert("x-request-id", "hdr".parse().unwrap());
        let e = ApiError::new(
            StatusCode::BAD_REQUEST,
            h,
            Bytes::from_static(br#"{"type":"error.list","request_id":"body","errors":[]}"#),
        );
        assert_eq!(e.request_id(), Some("hdr"));
    }

    #[test]
    fn excerpt_is_bounded_and_centred() {
        let body = vec![b'a'; 2000];
        assert_eq!(excerpt(&body, 1000).len(), DecodeError::EXCERPT_LEN);
        assert_eq!(excerpt(b"short", 3), "short");
        let mut body = vec![b'x'; 1000];
        body[900] = b'!';
        assert!(excerpt(&body, 900).contains('!'));
        assert!(!excerpt(&body, 0).contains('!'));
    }

    #[test]
    fn byte_offset_counts_lines() {
        let body = b"{\n  \"a\": x\n}";
        assert_eq!(byte_offset(body, 2, 8), 9);
        assert_eq!(byte_offset(body, 1, 1), 0);
        assert_eq!(byte_offset(body, 99, 99), body.len());
    }
}
