//! Retry classification and backoff computation (see the policy in the
//! [`runtime`](super) module docs).

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use reqwest::header::HeaderMap;
use reqwest::{Method, StatusCode};

use super::response::header_str;

/// Default number of retries after the first attempt.
pub const DEFAULT_MAX_RETRIES: u32 = 2;
/// First backoff step (before jitter).
pub(crate) const BASE_DELAY: Duration = Duration::from_millis(500);
/// Largest computed backoff (before jitter).
pub(crate) const MAX_BACKOFF: Duration = Duration::from_secs(8);
/// Largest delay ever taken from `Retry-After` / `X-RateLimit-Reset`.
pub const MAX_SERVER_DELAY: Duration = Duration::from_secs(60);

/// Methods the HTTP spec defines as idempotent.
pub(crate) fn is_idempotent(method: &Method) -> bool {
    matches!(
        *method,
        Method::GET | Method::HEAD | Method::PUT | Method::DELETE | Method::OPTIONS | Method::TRACE
    )
}

/// Statuses that are worth another attempt for a request that may be repeated.
pub(crate) fn is_retryable_status(status: StatusCode) -> bool {
    matches!(status.as_u16(), 408 | 429)
        || (status.is_server_error()
            && status != StatusCode::NOT_IMPLEMENTED
            && status != StatusCode::HTTP_VERSION_NOT_SUPPORTED)
}

/// Whether a response with `status` should be retried for `method`.
///
/// `repeatable` is true for idempotent methods and for callers that opted in
/// with `retry_non_idempotent(true)`.
pub(crate) fn should_retry_status(status: StatusCode, repeatable: bool) -> bool {
    if repeatable {
        is_retryable_status(status)
    } else {
        // A 429 means the server rejected the request without acting on it.
        status == StatusCode::TOO_MANY_REQUESTS
    }
}

/// The delay the server asked for: `Retry-After` (delta-seconds or HTTP
/// date), else `X-RateLimit-Reset` (epoch seconds) on a 429. Capped at
/// [`MAX_SERVER_DELAY`]; `None` when absent, unparsable or already past.
pub(crate) fn server_delay(
    status: StatusCode,
    headers: &HeaderMap,
    now: SystemTime,
) -> Option<Duration> {
    let from_retry_after = header_str(headers, "retry-after").and_then(|v| {
        if let Ok(secs) = v.parse::<u64>() {
            Some(Duration::from_secs(secs))
        } else if let Ok(secs) = v.parse::<f64>() {
            Duration::try_from_secs_f64(secs).ok()
        } else {
            httpdate::parse_http_date(v)
                .ok()
                .and_then(|at| at.duration_since(now).ok())
        }
    });
    let delay = from_retry_after.or_else(|| {
        if status != StatusCode::TOO_MANY_REQUESTS {
            return None;
        }
        let reset = header_str(headers, "x-ratelimit-reset")?
            .parse::<u64>()
            .ok()?;
        (UNIX_EPOCH + Duration::from_secs(reset))
            .duration_since(now)
            .ok()
    })?;
    Some(delay.min(MAX_SERVER_DELAY))
}

/// Exponential backoff for retry number `retry` (0-based) with "equal
/// jitter": a uniformly random value in `[d/2, d]` where
/// `d = min(BASE_DELAY * 2^retry, MAX_BACKOFF)`.
pub(crate) fn backoff(retry: u32) -> Duration {
    let d = BASE_DELAY
        .checked_mul(1u32.checked_shl(retry).unwrap_or(u32::MAX))
        .unwrap_or(MAX_BACKOFF)
        .min(MAX_BACKOFF);
    d.mul_f64(0.5 + 0.5 * unit_random())
}

/// A cheap, non-cryptographic random number in `[0, 1)` (splitmix64 over a
/// time seed and a global counter) — good enough to spread out retries.
fn unit_random() -> f64 {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(0);
    let mut z = nanos
        .wrapping_add(COUNTER.fetch_add(0x9E37_79B9_7F4A_7C15, Ordering::Relaxed))
        .wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^= z >> 31;
    (z >> 11) as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, v.parse().unwrap());
        }
        h
    }

    #[test]
    fn classification() {
        for s in [408, 429, 500, 502, 503, 504] {
            let s = StatusCode::from_u16(s).unwrap();
            assert!(should_retry_status(s, true), "{s}");
        }
        for s in [400, 401, 403, 404, 409, 422, 501] {
            let s = StatusCode::from_u16(s).unwrap();
            assert!(!should_retry_status(s, true), "{s}");
        }
        assert!(should_retry_status(StatusCode::TOO_MANY_REQUESTS, false));
        assert!(!should_retry_status(
            StatusCode::INTERNAL_SERVER_ERROR,
            false
        ));
        assert!(!should_retry_status(StatusCode::REQUEST_TIMEOUT, false));
        assert!(is_idempotent(&Method::GET) && is_idempotent(&Method::PUT));
        assert!(is_idempotent(&Method::DELETE) && is_idempotent(&Method::HEAD));
        assert!(!is_idempotent(&Method::POST) && !is_idempotent(&Method::PATCH));
    }

    #[test]
    fn retry_after_seconds_date_and_reset() {
        let now = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        let ok = StatusCode::SERVICE_UNAVAILABLE;
        let h = headers(&[("retry-after", "7")]);
        assert_eq!(server_delay(ok, &h, now), Some(Duration::from_secs(7)));
        let date = httpdate::fmt_http_date(now + Duration::from_secs(12));
        let h = headers(&[("retry-after", &date)]);
        assert_eq!(server_delay(ok, &h, now), Some(Duration::from_secs(12)));
        let h = headers(&[("x-ratelimit-reset", "1700000005")]);
        assert_eq!(server_delay(ok, &h, now), None, "reset only used on 429");
        let rl = StatusCode::TOO_MANY_REQUESTS;
        assert_eq!(server_delay(rl, &h, now), Some(Duration::from_secs(5)));
        // Retry-After wins over the reset header.
        let h = headers(&[("x-ratelimit-reset", "1700000005"), ("retry-after", "2")]);
        assert_eq!(server_delay(rl, &h, now), Some(Duration::from_secs(2)));
        // Capped, past dates ignored, garbage ignored.
        let h = headers(&[("retry-after", "3600")]);
        assert_eq!(server_delay(rl, &h, now), Some(MAX_SERVER_DELAY));
        let h = headers(&[("x-ratelimit-reset", "1699999990")]);
        assert_eq!(server_delay(rl, &h, now), None);
        let h = headers(&[("retry-after", "soon")]);
        assert_eq!(server_delay(rl, &h, now), None);
    }

    #[test]
    fn backoff_grows_is_jittered_and_capped() {
        for retry in 0..40 {
            let full = BASE_DELAY
                .saturating_mul(2u32.saturating_pow(retry))
                .min(MAX_BACKOFF);
            for _ in 0..50 {
                let d = backoff(retry);
                assert!(d >= full / 2 && d <= full, "retry {retry}: {d:?}");
            }
        }
        let distinct: std::collections::HashSet<_> = (0..20).map(|_| backoff(3)).collect();
        assert!(distinct.len() > 1, "jitter should vary");
    }
}
