//! One HTTP exchange: sending with the SDK's redirect rules and reading a
//! body under a size cap.
//!
//! The `reqwest::Client` the SDK builds follows no redirects itself
//! (`Policy::none()`); [`send_following`] does, with rules reqwest's policy
//! cannot express because it does not see the method:
//!
//! * only `GET` and `HEAD` follow `301`, `302`, `303`, `307` and `308`, at most
//!   `max_redirects` hops; any other method gets the 3xx back (an
//!   [`Error::Api`](crate::Error::Api) whose `Location` is
//!   [`ApiError::location`](crate::ApiError::location)), so a POST is never
//!   silently turned into a GET nor its body re-sent elsewhere;
//! * a hop to another origin drops `Authorization`, `Cookie`,
//!   `Proxy-Authorization` and `X-Api-Key`;
//! * a `Location` that is missing, unparsable or not `http(s)` ends the chain
//!   (the 3xx is returned).

use bytes::{Bytes, BytesMut};
use reqwest::header::{AUTHORIZATION, COOKIE, HeaderMap, LOCATION, PROXY_AUTHORIZATION};
use reqwest::{Method, StatusCode};
use url::Url;

/// Default cap on a buffered (JSON or error) response body: 64 MiB.
pub const DEFAULT_MAX_BODY_SIZE: usize = 64 * 1024 * 1024;
/// Default number of redirects followed by a `GET`/`HEAD`.
pub const DEFAULT_MAX_REDIRECTS: u32 = 10;

/// Sends `first` (as the request hooks left it) and follows redirects as described in the module
/// docs. A hop sends `hop_headers()` (the first request's headers), called at the first hop only.
pub(crate) async fn send_following(
    http: &reqwest::Client,
    first: reqwest::Request,
    max_redirects: u32,
    hop_headers: impl FnOnce() -> HeaderMap,
) -> Result<reqwest::Response, reqwest::Error> {
    let method = first.method().clone();
    let mut resp = http.execute(first).await?;
    if max_redirects == 0 || !follows_redirects(&method) {
        return Ok(resp);
    }
    let mut hop_headers = Some(hop_headers);
    let mut headers = HeaderMap::new();
    let mut hops = 0u32;
    while hops < max_redirects && is_followed(resp.status()) {
        // The response's URL is the one its request was sent to.
        let url = resp.url();
        let Some(next) = redirect_target(url, resp.headers()) else {
            break;
        };
        if let Some(first_headers) = hop_headers.take() {
            headers = first_headers();
        }
        if next.origin() != url.origin() {
            for name in [AUTHORIZATION, COOKIE, PROXY_AUTHORIZATION] {
                headers.remove(name);
            }
            headers.remove("x-api-key");
        }
        tracing::debug!(status = resp.status().as_u16(), "following redirect");
        hops += 1;
        let mut req = reqwest::Request::new(method.clone(), next);
        *req.headers_mut() = headers.clone();
        resp = http.execute(req).await?;
    }
    Ok(resp)
}

/// Whether `method` follows redirects (GET and HEAD, which carry no body).
pub(crate) fn follows_redirects(method: &Method) -> bool {
    *method == Method::GET || *method == Method::HEAD
}

fn is_followed(status: StatusCode) -> bool {
    matches!(status.as_u16(), 301 | 302 | 303 | 307 | 308)
}

/// The absolute `http(s)` URL a redirect points to, resolved against `from`.
pub(crate) fn redirect_target(from: &Url, headers: &HeaderMap) -> Option<Url> {
    let location = headers.get(LOCATION)?.to_str().ok()?;
    let next = from.join(location).ok()?;
    matches!(next.scheme(), "http" | "https").then_some(next)
}

/// Why a capped body read failed.
pub(crate) enum BodyError {
    /// The body (or its announced `Content-Length`) exceeds the cap.
    TooLarge,
    /// The connection failed while reading.
    Read(reqwest::Error),
}

/// Reads the whole body, failing as soon as it is known to exceed `limit`
/// bytes (from `Content-Length`, before reading anything, or while reading).
pub(crate) async fn read_capped(
    resp: &mut reqwest::Response,
    limit: usize,
) -> Result<Bytes, BodyError> {
    let announced = resp.content_length();
    if announced.is_some_and(|n| n > limit as u64) {
        return Err(BodyError::TooLarge);
    }
    // A body that arrives in one chunk (the usual case for a small JSON body) is returned as
    // that chunk, without a copy.
    let Some(first) = resp.chunk().await.map_err(BodyError::Read)? else {
        return Ok(Bytes::new());
    };
    if first.len() > limit {
        return Err(BodyError::TooLarge);
    }
    let Some(second) = resp.chunk().await.map_err(BodyError::Read)? else {
        return Ok(first);
    };
    let capacity = announced
        .and_then(|n| usize::try_from(n).ok())
        .unwrap_or(0)
        .min(limit);
    let mut buf = BytesMut::with_capacity(capacity.max(first.len() + second.len()));
    buf.extend_from_slice(&first);
    let mut next = Some(second);
    while let Some(chunk) = next {
        if chunk.len() > limit - buf.len() {
            return Err(BodyError::TooLarge);
        }
        buf.extend_from_slice(&chunk);
        next = resp.chunk().await.map_err(BodyError::Read)?;
    }
    Ok(buf.freeze())
}

/// Reads an error body, keeping at most `limit` bytes. Returns the bytes and
/// whether the body was cut; a read failure keeps what arrived.
pub(crate) async fn read_truncated(resp: &mut reqwest::Response, limit: usize) -> (Bytes, bool) {
    let mut buf = BytesMut::new();
    loop {
        match resp.chunk().await {
            Ok(Some(chunk)) => {
                let room = limit - buf.len();
                if chunk.len() > room {
                    buf.extend_from_slice(&chunk[..room]);
                    return (buf.freeze(), true);
                }
                buf.extend_from_slice(&chunk);
            }
            Ok(None) | Err(_) => return (buf.freeze(), false),
        }
    }
}

/// `url` with any user name and password replaced by `***`, for printing.
pub(crate) fn redact_userinfo(url: &str) -> String {
    match Url::parse(url) {
        Ok(mut parsed) if !parsed.username().is_empty() || parsed.password().is_some() => {
            // Setting userinfo fails only for URLs without a host, which were not parsed here.
            let _ = parsed.set_password(None);
            let _ = parsed.set_username(REDACTED);
            parsed.to_string()
        }
        Ok(_) => url.to_owned(),
        // Unparsable: cut at the last `@` before the path, if any.
        Err(_) => match url.split_once("://") {
            Some((scheme, rest)) => {
                let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
                match rest[..authority_end].rfind('@') {
                    Some(at) => format!("{scheme}://{REDACTED}{}", &rest[at..]),
                    None => url.to_owned(),
                }
            }
            None => url.to_owned(),
        },
    }
}

const REDACTED: &str = "***";

/// Removes userinfo from the URL a `reqwest::Error` carries.
pub(crate) fn redact_error(mut e: reqwest::Error) -> reqwest::Error {
    if let Some(url) = e.url_mut()
        && (!url.username().is_empty() || url.password().is_some())
    {
        let _ = url.set_password(None);
        let _ = url.set_username(REDACTED);
    }
    e
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn userinfo_is_redacted() {
        assert_eq!(
            redact_userinfo("https://user:pass@api.example.com/x"),
            "https://***@api.example.com/x"
        );
        assert_eq!(
            redact_userinfo("https://api.example.com"),
            "https://api.example.com"
        );
        let r = redact_userinfo("https://us:pw@ex ample/x");
        assert!(!r.contains("pw") && r.ends_with("@ex ample/x"), "{r}");
        assert_eq!(redact_userinfo("not a url"), "not a url");
    }

    #[test]
    fn redirect_targets() {
        let from = Url::parse("https://api.example.com/a/b").unwrap();
        let h = |v: &str| {
            let mut h = HeaderMap::new();
            h.insert(LOCATION, v.parse().unwrap());
            h
        };
        assert_eq!(
            redirect_target(&from, &h("/c")).map(|u| u.to_string()),
            Some("https://api.example.com/c".into())
        );
        assert_eq!(
            redirect_target(&from, &h("https://other.example/x")).map(|u| u.to_string()),
            Some("https://other.example/x".into())
        );
        assert!(redirect_target(&from, &h("ftp://x/y")).is_none());
        assert!(redirect_target(&from, &HeaderMap::new()).is_none());
    }
}
