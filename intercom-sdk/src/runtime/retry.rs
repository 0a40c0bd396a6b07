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
/// Longest single wait honoured from `Retry-After` / `X-RateLimit-Reset`.
/// A server that asks for more is not retried: the error is returned at
/// once and [`Error::retry_after`](crate::Error::retry_after) carries the
/// requested delay.
pub const MAX_SERVER_DELAY: Duration = Duration::from_secs(60);
/// Default total retry budget: from the first attempt's start, no retry
/// starts (and no wait is begun) past this.
pub const DEFAULT_RETRY_BUDGET: Duration = Duration::from_secs(120);
/// `X-RateLimit-Reset` values at or above this (10^11 s, the year 5138) are
/// taken to be Unix epoch *milliseconds*.
const RESET_MILLIS_THRESHOLD: u64 = 100_000_000_000;

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

/// The delay the server asked for: `Retry-After` (delta-seconds, fractional
/// seconds or an HTTP date), else `X-RateLimit-Reset` (Unix epoch seconds,
/// or milliseconds when implausibly large for seconds) on a 429. `None` when
/// absent, unparsable, negative or already past. Never panics and never
/// overflows: values beyond what a `Duration`/`SystemTime` can hold saturate
/// to [`Duration::MAX`]. Not capped: see [`MAX_SERVER_DELAY`].
pub(crate) fn server_delay(
    status: StatusCode,
    headers: &HeaderMap,
    now: SystemTime,
) -> Option<Duration> {
    if let Some(delay) = header_str(headers, "retry-after").and_then(|v| parse_retry_after(v, now))
    {
        return Some(delay);
    }
    if status != StatusCode::TOO_MANY_REQUESTS {
        return None;
    }
    parse_rate_limit_reset(header_str(headers, "x-ratelimit-reset")?, now)
}

/// Parses a `Retry-After` value: delta-seconds, fractional seconds or an HTTP
/// date (relative to `now`). Saturating; `None` for garbage, negatives and
/// past dates.
pub fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        // Digits only: too many of them for a u64 is still "a very long time".
        return Some(Duration::from_secs(
            value.parse::<u64>().unwrap_or(u64::MAX),
        ));
    }
    if let Ok(secs) = value.parse::<f64>() {
        if !secs.is_finite() || secs < 0.0 {
            return None;
        }
        return Some(Duration::try_from_secs_f64(secs).unwrap_or(Duration::MAX));
    }
    httpdate::parse_http_date(value)
        .ok()
        .and_then(|at| at.duration_since(now).ok())
}

/// The time until an `X-RateLimit-Reset` value (Unix epoch seconds, or
/// milliseconds at or above 10^11), relative to `now`. Saturating; `None`
/// for garbage and past instants.
pub fn parse_rate_limit_reset(value: &str, now: SystemTime) -> Option<Duration> {
    let at = reset_instant(value.trim().parse::<u64>().ok()?);
    match at {
        Some(at) => at.duration_since(now).ok(),
        // Beyond what SystemTime can represent: the far future.
        None => Some(Duration::MAX),
    }
}

/// The instant of an `X-RateLimit-Reset` value, `None` when a `SystemTime`
/// cannot represent it.
pub(crate) fn reset_instant(reset: u64) -> Option<SystemTime> {
    let since_epoch = if reset >= RESET_MILLIS_THRESHOLD {
        Duration::from_millis(reset)
    } else {
        Duration::from_secs(reset)
    };
    UNIX_EPOCH.checked_add(since_epoch)
}

/// The wait before the next retry, or `None` to stop and return the last
/// error now: when the server asked for more than [`MAX_SERVER_DELAY`], or
/// when waiting would end past the retry `budget` (counted from the first
/// attempt's start; `elapsed` so far).
pub(crate) fn next_delay(
    server: Option<Duration>,
    retries_done: u32,
    elapsed: Duration,
    budget: Duration,
) -> Option<Duration> {
    let delay = match server {
        Some(d) if d > MAX_SERVER_DELAY => return None,
        Some(d) => d,
        None => backoff(retries_done),
    };
    (elapsed.saturating_add(delay) <= budget).then_some(delay)
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
        // Not capped here (the retry loop decides), past dates ignored, garbage ignored.
        let h = headers(&[("retry-after", "3600")]);
        assert_eq!(server_delay(rl, &h, now), Some(Duration::from_secs(3600)));
        let h = headers(&[("x-ratelimit-reset", "1699999990")]);
        assert_eq!(server_delay(rl, &h, now), None);
        let h = headers(&[("retry-after", "soon")]);
        assert_eq!(server_delay(rl, &h, now), None);
    }

    #[test]
    fn header_edge_values_saturate_and_never_panic() {
        let now = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        let rl = StatusCode::TOO_MANY_REQUESTS;
        let reset = |v: &str| server_delay(rl, &headers(&[("x-ratelimit-reset", v)]), now);
        assert_eq!(reset("0"), None, "epoch start is past");
        assert_eq!(reset("1699999999"), None, "past");
        assert_eq!(reset("1700000000"), Some(Duration::ZERO));
        assert_eq!(
            reset("99999999999"),
            Some(Duration::from_secs(99_999_999_999 - 1_700_000_000)),
            "far future, still seconds"
        );
        assert_eq!(reset("1700000030000"), Some(Duration::from_secs(30)), "ms");
        assert_eq!(reset("1699999990000"), None, "past, in ms");
        // 2^63 and u64::MAX are milliseconds (2.9e8 years): in the far future either way.
        for v in ["9223372036854775808", "18446744073709551615"] {
            let d = reset(v).expect("far future");
            assert!(d > Duration::from_secs(1 << 40), "{v}: {d:?}");
        }
        assert_eq!(reset("18446744073709551616"), None, "not a u64");
        assert_eq!(reset("-5"), None);
        assert_eq!(reset(""), None);

        let after = |v: &str| parse_retry_after(v, now);
        assert_eq!(after("0"), Some(Duration::ZERO));
        assert_eq!(after(" 12 "), Some(Duration::from_secs(12)));
        assert_eq!(after("1.5"), Some(Duration::from_millis(1500)));
        assert_eq!(
            after("18446744073709551615"),
            Some(Duration::from_secs(u64::MAX))
        );
        assert_eq!(
            after("99999999999999999999999"),
            Some(Duration::from_secs(u64::MAX))
        );
        assert_eq!(after("1e300"), Some(Duration::MAX));
        for bad in ["-1", "-0.5", "NaN", "inf", "-inf", "", "soon", "1 2", "+-3"] {
            assert_eq!(after(bad), None, "{bad}");
        }
        assert_eq!(after("Thu, 01 Jan 1970 00:00:00 GMT"), None, "past date");
        assert_eq!(
            after("Fri, 31 Dec 9999 23:59:59 GMT").map(|d| d > Duration::from_secs(1 << 37)),
            Some(true)
        );
        // A garbage Retry-After falls back to the reset header on a 429.
        let h = headers(&[("retry-after", "soon"), ("x-ratelimit-reset", "1700000009")]);
        assert_eq!(server_delay(rl, &h, now), Some(Duration::from_secs(9)));
    }

    #[test]
    fn next_delay_respects_cap_and_budget() {
        let budget = Duration::from_secs(120);
        let s = |n| Some(Duration::from_secs(n));
        assert_eq!(next_delay(s(10), 0, Duration::ZERO, budget), s(10));
        assert_eq!(next_delay(s(60), 0, Duration::ZERO, budget), s(60));
        assert_eq!(
            next_delay(s(61), 0, Duration::ZERO, budget),
            None,
            "over the cap"
        );
        assert_eq!(
            next_delay(Some(Duration::MAX), 0, Duration::ZERO, budget),
            None
        );
        assert_eq!(next_delay(s(30), 3, Duration::from_secs(90), budget), s(30));
        assert_eq!(
            next_delay(s(31), 3, Duration::from_secs(90), budget),
            None,
            "past budget"
        );
        assert_eq!(
            next_delay(None, 0, Duration::MAX, budget),
            None,
            "saturates"
        );
        let d = next_delay(None, 2, Duration::ZERO, budget).expect("backoff fits");
        assert!(d <= Duration::from_secs(2));
        assert_eq!(next_delay(None, 0, Duration::ZERO, Duration::ZERO), None);
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
