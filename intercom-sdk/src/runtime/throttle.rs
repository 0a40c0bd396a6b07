//! An opt-in client-side throttle shared by every clone of a client.
//!
//! Intercom counts requests per app in short windows and answers `429` when
//! one is spent. Every response carries `X-RateLimit-Limit`,
//! `X-RateLimit-Remaining` and `X-RateLimit-Reset` (Unix seconds). With a
//! [`Throttle`] on the client, requests draw from that budget before they are
//! sent; when the window is spent they wait until `X-RateLimit-Reset`
//! instead of going out to meet a `429`.
//!
//! How the budget is kept:
//!
//! * Until the first response tells the budget, one request at a time goes
//!   out (a probe). A server that sends no rate-limit headers is not throttled.
//! * Each request sent takes one unit from the local estimate. A response
//!   lowers the estimate to what the server reports minus the other requests
//!   still in flight (the server has not counted those yet), so the estimate
//!   never exceeds what the server would allow.
//! * When the reset time passes, the estimate refills to the last known limit
//!   minus the requests still in flight; the first response of the new
//!   window corrects it. Reset times more than [`MAX_WINDOW`] ahead are
//!   clamped, so a bad header never holds requests longer than that.
//! * A `429` (say another process spent the budget) empties the window.
//!
//! Optionally, [`Throttle::max_concurrent`] caps the requests in flight.

use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use tokio::sync::{Notify, OwnedSemaphorePermit, Semaphore};

use super::response::RateLimit;

/// The longest a reset time is trusted into the future.
pub const MAX_WINDOW: Duration = Duration::from_secs(60);

/// A shared request budget; see the [module docs](self). Cheap to clone:
/// clones share one budget, so one `Throttle` can serve several clients of
/// the same app.
///
/// ```no_run
/// use intercom_sdk::{Client, Throttle};
/// # fn demo() -> intercom_sdk::Result<()> {
/// let client = Client::builder()
///     .token("my-token")
///     .throttle(Throttle::new().max_concurrent(32))
///     .build()?;
/// if let Some(budget) = client.rate_budget() {
///     println!("{:?} requests left in this window", budget.remaining);
/// }
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Throttle {
    shared: Arc<Shared>,
}

struct Shared {
    state: Mutex<State>,
    news: Notify,
    concurrency: Option<Arc<Semaphore>>,
    max_concurrent: Option<usize>,
    margin: Duration,
}

#[derive(Default)]
struct State {
    window: Option<Window>,
    /// A response without rate-limit headers came before any with them.
    unlimited: bool,
    probing: bool,
    in_flight: u64,
    waiting: u64,
    rate_limited: u64,
    held: u64,
}

#[derive(Clone, Copy, Debug)]
struct Window {
    limit: u64,
    /// Local estimate of what may still be sent in this window.
    remaining: u64,
    /// Unix seconds.
    reset: u64,
    /// The reset time passed and the estimate was refilled; no response of
    /// the new window has arrived yet.
    rolled: bool,
}

/// A snapshot of a [`Throttle`]'s budget, from [`Client::rate_budget`](crate::Client::rate_budget).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct RateBudget {
    /// `X-RateLimit-Limit` of the current window, once a response told it.
    pub limit: Option<u64>,
    /// Requests that may still be sent in the current window (local estimate).
    pub remaining: Option<u64>,
    /// When the current window resets (Unix seconds), if known.
    pub reset: Option<u64>,
    /// Requests sent and not yet answered.
    pub in_flight: u64,
    /// Requests waiting for budget now.
    pub waiting: u64,
    /// Requests that had to wait for budget so far.
    pub held: u64,
    /// `429` responses seen so far.
    pub rate_limited: u64,
}

enum Decision {
    Go { probe: bool },
    Until(Duration),
    News,
}

fn now() -> Duration {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
}

impl Default for Throttle {
    fn default() -> Self {
        Throttle::new()
    }
}

impl fmt::Debug for Throttle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Throttle")
            .field("budget", &self.budget())
            .field("max_concurrent", &self.shared.max_concurrent)
            .field("margin", &self.shared.margin)
            .finish()
    }
}

impl Throttle {
    /// A throttle that follows the rate-limit headers, without a concurrency cap.
    pub fn new() -> Self {
        Throttle::build(None, Duration::from_millis(250))
    }

    fn build(concurrency: Option<usize>, margin: Duration) -> Self {
        Throttle {
            shared: Arc::new(Shared {
                state: Mutex::new(State::default()),
                news: Notify::new(),
                concurrency: concurrency.map(|n| Arc::new(Semaphore::new(n.max(1)))),
                max_concurrent: concurrency.map(|n| n.max(1)),
                margin,
            }),
        }
    }

    /// Caps the requests in flight at `n` (at least 1). Set it before sharing the throttle:
    /// this returns a new, separate budget.
    pub fn max_concurrent(self, n: usize) -> Self {
        Throttle::build(Some(n), self.shared.margin)
    }

    /// How long after `X-RateLimit-Reset` to wait before assuming the new
    /// window has begun, to allow for clock differences (default 250 ms).
    /// Set it before sharing the throttle: this returns a new, separate budget.
    pub fn reset_margin(self, margin: Duration) -> Self {
        Throttle::build(self.shared.max_concurrent, margin)
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // The state stays consistent at every await point; a panic elsewhere cannot break it.
        self.shared
            .state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The current budget.
    pub fn budget(&self) -> RateBudget {
        let s = self.lock();
        RateBudget {
            limit: s.window.map(|w| w.limit),
            remaining: s.window.map(|w| w.remaining),
            reset: s.window.filter(|w| !w.rolled).map(|w| w.reset),
            in_flight: s.in_flight,
            waiting: s.waiting,
            held: s.held,
            rate_limited: s.rate_limited,
        }
    }

    /// Waits for budget (and a concurrency slot), then returns the permit
    /// the request holds while in flight.
    pub(crate) async fn acquire(&self) -> Permit {
        let slot = match &self.shared.concurrency {
            // The semaphore is never closed.
            Some(sem) => Arc::clone(sem).acquire_owned().await.ok(),
            None => None,
        };
        let mut counted = false;
        loop {
            let news = self.shared.news.notified();
            let mut news = std::pin::pin!(news);
            news.as_mut().enable();
            let decision = {
                let mut s = self.lock();
                let d = s.decide(now(), self.shared.margin);
                match d {
                    Decision::Go { .. } if counted => s.waiting -= 1,
                    Decision::Go { .. } => {}
                    _ if !counted => {
                        s.waiting += 1;
                        s.held += 1;
                    }
                    _ => {}
                }
                d
            };
            counted = true;
            match decision {
                Decision::Go { probe } => {
                    return Permit {
                        throttle: self.clone(),
                        probe,
                        _slot: slot,
                    };
                }
                Decision::Until(wait) => tokio::time::sleep(wait).await,
                // Every response and every finished request notifies; the timeout is a backstop.
                Decision::News => {
                    let _ = tokio::time::timeout(Duration::from_secs(1), news).await;
                }
            }
        }
    }

    fn observe(&self, status: Option<StatusCode>, headers: Option<&HeaderMap>) {
        let limit = headers.and_then(RateLimit::from_headers);
        {
            let mut s = self.lock();
            s.observe(status, limit, now());
        }
        self.shared.news.notify_waiters();
    }

    fn release(&self, probe: bool) {
        {
            let mut s = self.lock();
            s.in_flight = s.in_flight.saturating_sub(1);
            if probe {
                s.probing = false;
            }
        }
        self.shared.news.notify_waiters();
    }
}

impl State {
    fn decide(&mut self, now: Duration, margin: Duration) -> Decision {
        let in_flight = self.in_flight;
        let decision = match &mut self.window {
            None if self.unlimited => Decision::Go { probe: false },
            None if !self.probing => Decision::Go { probe: true },
            None => Decision::News,
            Some(w) => {
                let reset_at = Duration::from_secs(w.reset).saturating_add(margin);
                if !w.rolled && now >= reset_at {
                    w.rolled = true;
                    w.remaining = w.limit.saturating_sub(in_flight);
                }
                if w.remaining > 0 {
                    w.remaining -= 1;
                    Decision::Go { probe: false }
                } else if !w.rolled {
                    Decision::Until(reset_at.saturating_sub(now))
                } else if in_flight == 0 && !self.probing {
                    // Nothing in flight will tell us about the new window: ask.
                    Decision::Go { probe: true }
                } else {
                    Decision::News
                }
            }
        };
        if let Decision::Go { probe } = decision {
            self.in_flight += 1;
            self.probing |= probe;
        }
        decision
    }

    fn observe(&mut self, status: Option<StatusCode>, limit: Option<RateLimit>, now: Duration) {
        let too_many = status == Some(StatusCode::TOO_MANY_REQUESTS);
        if too_many {
            self.rate_limited += 1;
        }
        let Some(rl) = limit else {
            if status.is_some() && self.window.is_none() {
                self.unlimited = true;
            }
            return;
        };
        self.unlimited = false;
        // Requests in flight other than the one answered: the server may not have counted them.
        let others = self.in_flight.saturating_sub(1);
        let server = if too_many {
            0
        } else {
            rl.remaining.saturating_sub(others)
        };
        let latest = now.as_secs().saturating_add(MAX_WINDOW.as_secs());
        let reset = rl.reset.min(latest);
        match &mut self.window {
            None => {
                self.window = Some(Window {
                    limit: rl.limit,
                    remaining: server,
                    reset,
                    rolled: false,
                });
            }
            Some(w) if reset > w.reset => {
                // A newer window. Refilled locally already: keep the smaller estimate.
                let remaining = if w.rolled {
                    w.remaining.min(server)
                } else {
                    server
                };
                *w = Window {
                    limit: rl.limit,
                    remaining,
                    reset,
                    rolled: false,
                };
            }
            Some(w) if reset == w.reset && !w.rolled => {
                w.limit = rl.limit;
                w.remaining = w.remaining.min(server);
            }
            Some(w) if too_many => {
                // The server still counts an older window than we assumed: wait for its reset.
                w.remaining = 0;
                w.reset = w.reset.max(reset);
                w.rolled = false;
            }
            // A late answer from an earlier window.
            Some(_) => {}
        }
    }
}

/// Held by a request while it is in flight.
pub(crate) struct Permit {
    throttle: Throttle,
    probe: bool,
    _slot: Option<OwnedSemaphorePermit>,
}

impl Permit {
    /// Records the response's status and rate-limit headers, or a failure (`None`).
    pub(crate) fn observe(&self, status: Option<StatusCode>, headers: Option<&HeaderMap>) {
        self.throttle.observe(status, headers);
    }
}

impl Drop for Permit {
    fn drop(&mut self) {
        self.throttle.release(self.probe);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rl(limit: u64, remaining: u64, reset: u64) -> Option<RateLimit> {
        Some(RateLimit {
            limit,
            remaining,
            reset,
        })
    }

    #[test]
    fn probe_then_budget_then_wait_then_refill() {
        let mut s = State::default();
        let t = Duration::from_secs(1000);
        let m = Duration::ZERO;
        assert!(matches!(s.decide(t, m), Decision::Go { probe: true }));
        assert!(matches!(s.decide(t, m), Decision::News));
        s.observe(Some(StatusCode::OK), rl(3, 2, 1001), t);
        s.in_flight -= 1;
        s.probing = false;
        assert!(matches!(s.decide(t, m), Decision::Go { probe: false }));
        assert!(matches!(s.decide(t, m), Decision::Go { probe: false }));
        assert!(matches!(s.decide(t, m), Decision::Until(d) if d == Duration::from_secs(1)));
        // Reset passed with 2 still in flight: 3 - 2 = 1 left.
        let later = Duration::from_secs(1001);
        assert!(matches!(s.decide(later, m), Decision::Go { probe: false }));
        assert!(matches!(s.decide(later, m), Decision::News));
        // The late answer from the old window changes nothing; a new-window answer does.
        s.observe(Some(StatusCode::OK), rl(3, 0, 1001), later);
        assert!(matches!(s.decide(later, m), Decision::News));
        s.observe(Some(StatusCode::OK), rl(3, 2, 1002), later);
        assert_eq!(s.window.map(|w| (w.remaining, w.reset)), Some((0, 1002)));
    }

    #[test]
    fn no_headers_means_no_throttle_and_bad_resets_are_clamped() {
        let mut s = State::default();
        let t = Duration::from_secs(1000);
        assert!(matches!(
            s.decide(t, Duration::ZERO),
            Decision::Go { probe: true }
        ));
        s.observe(Some(StatusCode::OK), None, t);
        assert!(matches!(
            s.decide(t, Duration::ZERO),
            Decision::Go { probe: false }
        ));

        let mut s = State::default();
        s.observe(Some(StatusCode::TOO_MANY_REQUESTS), rl(10, 5, u64::MAX), t);
        assert_eq!(s.rate_limited, 1);
        let w = s.window.unwrap();
        assert_eq!((w.remaining, w.reset), (0, 1000 + MAX_WINDOW.as_secs()));
        assert!(matches!(s.decide(t, Duration::ZERO), Decision::Until(d) if d == MAX_WINDOW));
    }
}
