//! Pagination: [`PagedCall`] fetches pages lazily as a [`Page`] or a stream
//! of items.
//!
//! The next request is always derived from the previous *response*
//! (`page`/`total_pages`, a cursor, or a `scroll_param`) applied to a clone
//! of the previous request, so the caller's request value is never mutated.
//! No request is made after the last page:
//!
//! * page numbers stop when `page >= total_pages` or either is missing;
//! * cursors stop when the cursor is missing or empty;
//! * scrolling stops on an empty page or a missing `scroll_param`.
//!
//! A server whose paging data would loop is stopped with
//! [`Error::Pagination`](crate::Error::Pagination) after the pages it did
//! deliver: a cursor already sent in this run (A→B→A, or A→A), or a page
//! number that does not advance past the previous response's. An optional
//! cap ([`PagedCall::max_pages`]) stops paging with the same error once that
//! many pages were fetched while more remain.
//!
//! Per-request options (timeout, retries, headers, query, API version)
//! apply to every page.

use std::collections::HashSet;
use std::fmt;
use std::future::IntoFuture;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::Arc;

use futures_util::future::BoxFuture;
use futures_util::stream::{self, Stream, TryStreamExt};
use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use serde::de::DeserializeOwned;

use super::call::CallCore;
use super::client::Client;
use super::error::{Error, PaginationError, Result};
use super::request::{RequestOptions, RequestSpec, request_option_methods};
use super::response::{RateLimit, Response};
use crate::codec::Drift;
use bytes::Bytes;

/// A paged response model (implemented by generated code).
pub trait Paginated: DeserializeOwned + Send + 'static {
    /// One element of the page.
    type Item: Send + 'static;
    /// The elements of this page.
    fn items(&self) -> &[Self::Item];
    /// Consumes the page, returning its elements.
    fn into_items(self) -> Vec<Self::Item>;
}

/// How the next request is derived from the previous request and response.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PageStyle {
    /// `page`/`total_pages` in the response; the next request sets query
    /// `param` (e.g. `"page"`) to `page + 1`.
    PageNumber {
        /// Query parameter carrying the page number.
        param: &'static str,
    },
    /// Cursor from the response; the next request sets query `param` (e.g.
    /// `"starting_after"`).
    QueryCursor {
        /// Query parameter carrying the cursor.
        param: &'static str,
    },
    /// Cursor from the response; the next request sets the JSON body at
    /// `path` (e.g. `["pagination", "starting_after"]`), creating objects.
    BodyCursor {
        /// Object keys leading to the cursor field in the body.
        path: &'static [&'static str],
    },
    /// The response's scroll parameter goes into query `param`
    /// (`"scroll_param"`); stops on an empty page.
    Scroll {
        /// Query parameter carrying the scroll parameter.
        param: &'static str,
    },
}

impl PageStyle {
    /// The query parameter the pager sets, if it pages through the query.
    fn query_param(self) -> Option<&'static str> {
        match self {
            PageStyle::PageNumber { param }
            | PageStyle::QueryCursor { param }
            | PageStyle::Scroll { param } => Some(param),
            PageStyle::BodyCursor { .. } => None,
        }
    }
}

/// What generated code extracts from a response to find the next page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PageState {
    /// A cursor or scroll parameter (`None` when absent).
    Cursor(Option<String>),
    /// Page-number pagination.
    PageNumber {
        /// The current page (1-based).
        page: Option<i64>,
        /// The number of pages.
        total_pages: Option<i64>,
    },
}

/// The request for the page after the one answered by `state`, if any.
pub(crate) fn next_spec(
    spec: &RequestSpec,
    style: PageStyle,
    state: PageState,
    page_is_empty: bool,
) -> Option<RequestSpec> {
    let cursor = match &state {
        PageState::Cursor(Some(c)) if !c.is_empty() => Some(c.as_str()),
        _ => None,
    };
    let mut next = spec.clone();
    match style {
        PageStyle::PageNumber { param } => match state {
            PageState::PageNumber {
                page: Some(page),
                total_pages: Some(total),
            } if page < total => next.set_query(param, (page + 1).to_string()),
            _ => return None,
        },
        PageStyle::QueryCursor { param } => {
            next.set_query(param, cursor?.to_owned());
        }
        PageStyle::BodyCursor { path } => {
            next.set_body_value(path, serde_json::Value::String(cursor?.to_owned()));
        }
        PageStyle::Scroll { param } => {
            let c = cursor.filter(|_| !page_is_empty)?;
            next.set_query(param, c.to_owned());
        }
    }
    Some(next)
}

struct Pager<R> {
    style: PageStyle,
    state: fn(&R) -> PageState,
    max_pages: Option<u32>,
}

/// What one run of a paged call has seen so far (shared, never mutated:
/// each page gets an extended copy, so fetching a page twice is harmless).
#[derive(Clone, Debug, Default)]
struct Trail {
    /// Pages fetched.
    pages: u32,
    /// Hashes of the cursors sent.
    cursors: Arc<HashSet<u64>>,
    /// The page number of the previous response.
    last_page: Option<i64>,
}

fn cursor_hash(cursor: &str) -> u64 {
    let mut h = DefaultHasher::new();
    cursor.hash(&mut h);
    h.finish()
}

impl Trail {
    /// The cursor the request `spec` sends, for cursor styles.
    fn sent_cursor(spec: &RequestSpec, style: PageStyle) -> Option<&str> {
        match style {
            PageStyle::QueryCursor { param } => spec.query_value(param),
            PageStyle::BodyCursor { path } => spec.body_value(path),
            PageStyle::PageNumber { .. } | PageStyle::Scroll { .. } => None,
        }
        .filter(|c| !c.is_empty())
    }

    /// This run after one more page answered `state`; an error when the
    /// server's paging data loops.
    fn advance(
        &self,
        spec: &RequestSpec,
        style: PageStyle,
        state: &PageState,
    ) -> std::result::Result<Trail, PaginationError> {
        let mut cursors = self.cursors.clone();
        if let Some(sent) = Trail::sent_cursor(spec, style) {
            Arc::make_mut(&mut cursors).insert(cursor_hash(sent));
        }
        let mut last_page = self.last_page;
        match (style, state) {
            (
                PageStyle::QueryCursor { .. } | PageStyle::BodyCursor { .. },
                PageState::Cursor(Some(c)),
            ) if !c.is_empty() && cursors.contains(&cursor_hash(c)) => {
                return Err(PaginationError::RepeatedCursor {
                    cursor: c.chars().take(256).collect(),
                    pages: self.pages.saturating_add(1),
                });
            }
            (PageStyle::PageNumber { .. }, PageState::PageNumber { page: Some(p), .. }) => {
                if let Some(previous) = self.last_page.filter(|prev| p <= prev) {
                    return Err(PaginationError::PageNotAdvancing {
                        previous,
                        returned: *p,
                    });
                }
                last_page = Some(*p);
            }
            _ => {}
        }
        Ok(Trail {
            pages: self.pages.saturating_add(1),
            cursors,
            last_page,
        })
    }
}

/// What follows a page.
#[derive(Clone, Debug)]
enum Next {
    /// The last page.
    Done,
    /// The request for the next page.
    Fetch(Box<CallCore>, Trail),
    /// Paging stopped: returned by the next fetch.
    Stop(PaginationError),
}

// Manual impls: a derive would needlessly require `R: Copy`.
impl<R> Clone for Pager<R> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<R> Copy for Pager<R> {}

impl<R: Paginated> Pager<R> {
    async fn fetch(self, core: CallCore, trail: Trail) -> Result<Page<R>> {
        let response = core.send_page::<R>().await?;
        let empty = response.data.items().is_empty();
        let state = (self.state)(&response.data);
        let next = match trail.advance(&core.spec, self.style, &state) {
            Err(stop) => Next::Stop(stop),
            Ok(trail) => match next_spec(&core.spec, self.style, state, empty) {
                None => Next::Done,
                Some(_) if self.max_pages.is_some_and(|max| trail.pages >= max) => {
                    Next::Stop(PaginationError::PageCapReached {
                        max_pages: trail.pages,
                    })
                }
                Some(spec) => {
                    // A page parameter given through the options (a start cursor, say) applies
                    // to the first page only: later pages carry the pager's own value instead.
                    let mut options = core.options;
                    let body_path = match self.style {
                        PageStyle::BodyCursor { path } => path,
                        _ => &[],
                    };
                    options.drop_page_inputs(self.style.query_param(), body_path);
                    let core = CallCore {
                        spec,
                        options,
                        client: core.client,
                    };
                    Next::Fetch(Box::new(core), trail)
                }
            },
        };
        Ok(Page {
            response,
            next,
            pager: self,
        })
    }

    /// Fetches what follows a page: `Ok(None)` after the last one.
    async fn follow(self, next: Next) -> Result<Option<Page<R>>> {
        match next {
            Next::Done => Ok(None),
            Next::Fetch(core, trail) => self.fetch(*core, trail).await.map(Some),
            Next::Stop(stop) => Err(Error::Pagination(stop)),
        }
    }
}

/// A paged API call: `.await` it for the first [`Page`], or iterate every
/// item with [`PagedCall::items`] / every page with [`PagedCall::pages`].
///
/// ```no_run
/// # use intercom_sdk::{PagedCall, Paginated};
/// # async fn demo<R: Paginated>(call: PagedCall<R>) -> intercom_sdk::Result<()>
/// # where R::Item: std::fmt::Debug {
/// use futures::TryStreamExt;
/// let mut items = call.items();
/// while let Some(item) = items.try_next().await? {
///     println!("{item:?}");
/// }
/// # Ok(()) }
/// ```
#[must_use = "a PagedCall does nothing until it is awaited or streamed"]
pub struct PagedCall<R: Paginated> {
    core: CallCore,
    pager: Pager<R>,
}

impl<R: Paginated> fmt::Debug for PagedCall<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PagedCall")
            .field("core", &self.core)
            .field("style", &self.pager.style)
            .finish()
    }
}

impl<R: Paginated> PagedCall<R> {
    /// Used by generated code.
    #[doc(hidden)]
    pub fn new(
        client: &Client,
        spec: RequestSpec,
        style: PageStyle,
        state: fn(&R) -> PageState,
    ) -> Self {
        PagedCall {
            core: CallCore::new(client, spec),
            pager: Pager {
                style,
                state,
                max_pages: None,
            },
        }
    }

    fn options_mut(&mut self) -> &mut RequestOptions {
        &mut self.core.options
    }

    request_option_methods!(with_options);

    /// Fetches at most `pages` pages (at least 1): when more remain after
    /// the last one allowed, paging ends with
    /// [`PaginationError::PageCapReached`]. No cap by default.
    pub fn max_pages(mut self, pages: u32) -> Self {
        self.pager.max_pages = Some(pages.max(1));
        self
    }

    /// Fetches the first page.
    pub async fn send(self) -> Result<Page<R>> {
        self.pager.fetch(self.core, Trail::default()).await
    }

    /// Every page, fetched lazily; ends after the last page or the first
    /// error (including [`Error::Pagination`] when paging would loop or the
    /// page cap is reached).
    ///
    /// The stream is `Unpin`: `try_next()` works on it without `pin!`.
    pub fn pages(self) -> impl Stream<Item = Result<Page<R>>> + Send + Unpin + 'static {
        let pager = self.pager;
        let first = Next::Fetch(Box::new(self.core), Trail::default());
        Box::pin(stream::unfold(Some(first), move |next| async move {
            match pager.follow(next?).await {
                Ok(Some(page)) => {
                    let next = page.next.clone();
                    Some((Ok(page), Some(next)))
                }
                Ok(None) => None,
                Err(e) => Some((Err(e), None)),
            }
        }))
    }

    /// Every item across all pages, in order; ends after the last page or
    /// the first error. `Unpin`, like [`PagedCall::pages`].
    pub fn items(self) -> impl Stream<Item = Result<R::Item>> + Send + Unpin + 'static {
        self.pages()
            .map_ok(|page| stream::iter(page.into_items().into_iter().map(Ok)))
            .try_flatten()
    }

    /// Collects every item across all pages.
    pub async fn collect_items(self) -> Result<Vec<R::Item>> {
        self.items().try_collect().await
    }
}

impl<R: Paginated> IntoFuture for PagedCall<R> {
    type Output = Result<Page<R>>;
    type IntoFuture = BoxFuture<'static, Result<Page<R>>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}

/// One page of results with its response metadata and a handle to fetch
/// the next page.
pub struct Page<R: Paginated> {
    response: Response<R>,
    next: Next,
    pager: Pager<R>,
}

impl<R: Paginated + fmt::Debug> fmt::Debug for Page<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Page")
            .field("response", &self.response)
            .field("has_next_page", &self.has_next_page())
            .finish()
    }
}

impl<R: Paginated> Page<R> {
    /// The items of this page.
    pub fn items(&self) -> &[R::Item] {
        self.response.data.items()
    }

    /// Consumes the page, returning its items.
    pub fn into_items(self) -> Vec<R::Item> {
        self.response.data.into_items()
    }

    /// The decoded response body.
    pub fn response(&self) -> &R {
        &self.response.data
    }

    /// Consumes the page, returning the decoded response body.
    pub fn into_response(self) -> R {
        self.response.data
    }

    /// HTTP status of this page's response.
    pub fn status(&self) -> StatusCode {
        self.response.status()
    }

    /// Headers of this page's response.
    pub fn headers(&self) -> &HeaderMap {
        self.response.headers()
    }

    /// Rate-limit headers of this page's response.
    pub fn rate_limit(&self) -> Option<RateLimit> {
        self.response.rate_limit()
    }

    /// Request id of this page's response.
    pub fn request_id(&self) -> Option<&str> {
        self.response.request_id()
    }

    /// Values of this page's body that did not have the type the API description declares (see
    /// [`Response::drift`]).
    pub fn drift(&self) -> &[Drift] {
        self.response.drift()
    }

    /// This page's JSON body exactly as received.
    pub fn raw_body(&self) -> &Bytes {
        self.response.raw_body()
    }

    /// Decodes this page's body as received into a type of your own (see [`Response::json`]).
    pub fn json<U: DeserializeOwned + 'static>(&self) -> Result<U> {
        self.response.json()
    }

    /// Whether another page follows (no request is made to find out). Also
    /// `true` when paging was stopped, so that [`Page::next_page`] reports
    /// why.
    pub fn has_next_page(&self) -> bool {
        !matches!(self.next, Next::Done)
    }

    /// Fetches the next page, or `Ok(None)` after the last one;
    /// [`Error::Pagination`] when paging would loop or the page cap is
    /// reached.
    pub async fn next_page(&self) -> Result<Option<Page<R>>> {
        self.pager.follow(self.next.clone()).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::Method;
    use serde_json::json;

    fn spec() -> RequestSpec {
        RequestSpec::new(Method::GET, "/x", "/x".into()).query("per_page", 2)
    }

    fn cursor(c: Option<&str>) -> PageState {
        PageState::Cursor(c.map(str::to_owned))
    }

    #[test]
    fn page_number() {
        let style = PageStyle::PageNumber { param: "page" };
        let st = |p, t| PageState::PageNumber {
            page: p,
            total_pages: t,
        };
        let next = next_spec(&spec(), style, st(Some(1), Some(3)), false).unwrap();
        assert_eq!(next.query_value("page"), Some("2"));
        assert_eq!(next.query_value("per_page"), Some("2"));
        let next = next_spec(&next, style, st(Some(2), Some(3)), false).unwrap();
        assert_eq!(next.query.iter().filter(|(k, _)| k == "page").count(), 1);
        assert!(next_spec(&next, style, st(Some(3), Some(3)), false).is_none());
        assert!(next_spec(&next, style, st(None, Some(3)), false).is_none());
        assert!(next_spec(&next, style, st(Some(1), None), false).is_none());
        assert!(next_spec(&next, style, cursor(Some("x")), false).is_none());
    }

    #[test]
    fn query_cursor() {
        let style = PageStyle::QueryCursor {
            param: "starting_after",
        };
        let next = next_spec(&spec(), style, cursor(Some("c1")), false).unwrap();
        assert_eq!(next.query_value("starting_after"), Some("c1"));
        assert!(next_spec(&next, style, cursor(Some("")), false).is_none());
        assert!(next_spec(&next, style, cursor(None), false).is_none());
        let n2 = next_spec(&next, style, cursor(Some("c2")), true).unwrap();
        assert_eq!(n2.query_value("starting_after"), Some("c2"));
    }

    #[test]
    fn body_cursor() {
        let style = PageStyle::BodyCursor {
            path: &["pagination", "starting_after"],
        };
        let base = RequestSpec::new(Method::POST, "/s", "/s".into())
            .json_body(&json!({"query": {}, "pagination": {"per_page": 2}}));
        let next = next_spec(&base, style, cursor(Some("c1")), false).unwrap();
        assert_eq!(
            next.body,
            Some(json!({"query": {}, "pagination": {"per_page": 2, "starting_after": "c1"}}))
        );
        assert!(base.body_value(&["pagination", "starting_after"]).is_none());
    }

    #[test]
    fn trail_detects_repeated_cursors_and_stuck_page_numbers() {
        let style = PageStyle::QueryCursor {
            param: "starting_after",
        };
        let t0 = Trail::default();
        let first = spec();
        let t1 = t0.advance(&first, style, &cursor(Some("A"))).unwrap();
        let second = next_spec(&first, style, cursor(Some("A")), false).unwrap();
        let t2 = t1.advance(&second, style, &cursor(Some("B"))).unwrap();
        let third = next_spec(&second, style, cursor(Some("B")), false).unwrap();
        let stop = t2.advance(&third, style, &cursor(Some("A"))).unwrap_err();
        assert_eq!(
            stop,
            PaginationError::RepeatedCursor {
                cursor: "A".into(),
                pages: 3
            }
        );
        // The cursor just sent, repeated at once.
        assert!(t1.advance(&second, style, &cursor(Some("A"))).is_err());
        // The end of the run is not a repeat.
        assert!(t2.advance(&third, style, &cursor(None)).is_ok());
        assert_eq!(t2.pages, 2);

        let style = PageStyle::PageNumber { param: "page" };
        let st = |p| PageState::PageNumber {
            page: Some(p),
            total_pages: Some(5),
        };
        let t1 = Trail::default().advance(&spec(), style, &st(1)).unwrap();
        let t2 = t1.advance(&spec(), style, &st(2)).unwrap();
        assert_eq!(
            t2.advance(&spec(), style, &st(2)).unwrap_err(),
            PaginationError::PageNotAdvancing {
                previous: 2,
                returned: 2
            }
        );
        assert!(t2.advance(&spec(), style, &st(1)).is_err());
    }

    #[test]
    fn scroll() {
        let style = PageStyle::Scroll {
            param: "scroll_param",
        };
        let next = next_spec(&spec(), style, cursor(Some("s")), false).unwrap();
        assert_eq!(next.query_value("scroll_param"), Some("s"));
        // The same scroll_param is reused across pages.
        assert!(next_spec(&next, style, cursor(Some("s")), false).is_some());
        assert!(next_spec(&next, style, cursor(Some("s")), true).is_none());
        assert!(next_spec(&next, style, cursor(None), false).is_none());
    }
}
