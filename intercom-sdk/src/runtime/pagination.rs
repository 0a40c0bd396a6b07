//! Pagination: [`PagedCall`] fetches pages lazily as a [`Page`] or a stream
//! of items.
//!
//! The next request is always derived from the previous *response*
//! (`page`/`total_pages`, a cursor, or a `scroll_param`) applied to a clone
//! of the previous request, so the caller's request value is never mutated.
//! No request is made after the last page:
//!
//! * page numbers stop when `page >= total_pages` or either is missing;
//! * cursors stop when the cursor is missing or empty, or repeats the one
//!   just sent (a guard against servers that loop);
//! * scrolling stops on an empty page or a missing `scroll_param`.
//!
//! Per-request options (timeout, retries, headers, query, API version)
//! apply to every page.

use std::fmt;
use std::future::IntoFuture;

use futures_util::future::BoxFuture;
use futures_util::stream::{self, Stream, TryStreamExt};
use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use serde::de::DeserializeOwned;

use super::call::CallCore;
use super::client::Client;
use super::error::Result;
use super::request::{RequestOptions, RequestSpec, request_option_methods};
use super::response::{RateLimit, Response};

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
            let c = cursor.filter(|c| spec.query_value(param) != Some(*c))?;
            next.set_query(param, c.to_owned());
        }
        PageStyle::BodyCursor { path } => {
            let c = cursor.filter(|c| spec.body_value(path) != Some(*c))?;
            next.set_body_value(path, serde_json::Value::String(c.to_owned()));
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
}

// Manual impls: a derive would needlessly require `R: Copy`.
impl<R> Clone for Pager<R> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<R> Copy for Pager<R> {}

impl<R: Paginated> Pager<R> {
    async fn fetch(self, core: CallCore) -> Result<Page<R>> {
        let response = core.send_json::<R>().await?;
        let empty = response.data.items().is_empty();
        let next =
            next_spec(&core.spec, self.style, (self.state)(&response.data), empty).map(|spec| {
                // A page parameter given through the options (a start cursor, say) applies to
                // the first page only: later pages carry the pager's own value instead.
                let mut options = core.options;
                if let Some(param) = self.style.query_param() {
                    options.query.retain(|(key, _)| key != param);
                }
                CallCore {
                    spec,
                    options,
                    client: core.client,
                }
            });
        Ok(Page {
            response,
            next,
            pager: self,
        })
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
            pager: Pager { style, state },
        }
    }

    fn options_mut(&mut self) -> &mut RequestOptions {
        &mut self.core.options
    }

    request_option_methods!(with_options);

    /// Fetches the first page.
    pub async fn send(self) -> Result<Page<R>> {
        self.pager.fetch(self.core).await
    }

    /// Every page, fetched lazily; ends after the last page or the first error.
    ///
    /// The stream is `Unpin`: `try_next()` works on it without `pin!`.
    pub fn pages(self) -> impl Stream<Item = Result<Page<R>>> + Send + Unpin + 'static {
        let pager = self.pager;
        Box::pin(stream::unfold(Some(self.core), move |next| async move {
            let core = next?;
            match pager.fetch(core).await {
                Ok(page) => {
                    let next = page.next.clone();
                    Some((Ok(page), next))
                }
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
    next: Option<CallCore>,
    pager: Pager<R>,
}

impl<R: Paginated + fmt::Debug> fmt::Debug for Page<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Page")
            .field("response", &self.response)
            .field("has_next_page", &self.next.is_some())
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

    /// Whether another page follows (no request is made to find out).
    pub fn has_next_page(&self) -> bool {
        self.next.is_some()
    }

    /// Fetches the next page, or `Ok(None)` after the last one.
    pub async fn next_page(&self) -> Result<Option<Page<R>>> {
        match &self.next {
            Some(core) => self.pager.fetch(core.clone()).await.map(Some),
            None => Ok(None),
        }
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
        assert!(
            next_spec(&next, style, cursor(Some("c1")), false).is_none(),
            "repeat"
        );
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
        assert!(next_spec(&next, style, cursor(Some("c1")), false).is_none());
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
