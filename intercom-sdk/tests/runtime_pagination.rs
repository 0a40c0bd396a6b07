//! Pagination: each of the four styles against a three-page wiremock server.

use futures::{StreamExt, TryStreamExt};
use intercom_sdk::__private::{Method, PageState, PageStyle, RequestSpec};
use intercom_sdk::{Client, PagedCall, Paginated};
use serde::Deserialize;
use serde_json::{Value, json};
use wiremock::matchers::{header, method, path, query_param};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

#[derive(Debug, Deserialize, PartialEq, Eq)]
struct Item {
    id: u32,
}

/// A list response: `{"data": [...], "pages": {...}, "scroll_param": ..}`.
#[derive(Debug, Deserialize)]
struct List {
    data: Vec<Item>,
    #[serde(default)]
    pages: Option<Pages>,
    #[serde(default)]
    scroll_param: Option<String>,
}

#[derive(Debug, Deserialize)]
struct Pages {
    page: Option<i64>,
    total_pages: Option<i64>,
    next: Option<Next>,
}

#[derive(Debug, Deserialize)]
struct Next {
    starting_after: Option<String>,
}

impl Paginated for List {
    type Item = Item;
    fn items(&self) -> &[Item] {
        &self.data
    }
    fn into_items(self) -> Vec<Item> {
        self.data
    }
}

fn page_number_state(r: &List) -> PageState {
    PageState::PageNumber {
        page: r.pages.as_ref().and_then(|p| p.page),
        total_pages: r.pages.as_ref().and_then(|p| p.total_pages),
    }
}

fn cursor_state(r: &List) -> PageState {
    PageState::Cursor(
        r.pages
            .as_ref()
            .and_then(|p| p.next.as_ref())
            .and_then(|n| n.starting_after.clone()),
    )
}

fn scroll_state(r: &List) -> PageState {
    PageState::Cursor(r.scroll_param.clone())
}

fn client(server: &MockServer) -> Client {
    Client::builder()
        .token("tok")
        .base_url(server.uri())
        .build()
        .expect("config")
}

fn ids(items: &[Item]) -> Vec<u32> {
    items.iter().map(|i| i.id).collect()
}

fn data(ids: &[u32]) -> Value {
    Value::Array(ids.iter().map(|id| json!({"id": id})).collect())
}

fn cursor_page(ids: &[u32], next: Option<&str>) -> ResponseTemplate {
    let pages = match next {
        Some(c) => json!({"type": "pages", "next": {"starting_after": c}}),
        None => json!({"type": "pages"}),
    };
    ResponseTemplate::new(200).set_body_json(json!({"data": data(ids), "pages": pages}))
}

/// Serves `template` once for `/contacts` at the cursor `after` (`None`: no cursor sent).
async fn mount_contacts_at(server: &MockServer, after: Option<&str>, template: ResponseTemplate) {
    let mock = Mock::given(path("/contacts"));
    let mock = match after {
        Some(cursor) => mock.and(query_param("starting_after", cursor)),
        None => mock.and(missing_query("starting_after")),
    };
    mock.respond_with(template).expect(1).mount(server).await;
}

fn missing_query(name: &'static str) -> impl Fn(&Request) -> bool + Send + Sync {
    move |req: &Request| !req.url.query_pairs().any(|(k, _)| k == name)
}

async fn received(server: &MockServer) -> Vec<Request> {
    server.received_requests().await.expect("recording enabled")
}

#[tokio::test]
async fn page_number_style_walks_pages_via_query_page() {
    let server = MockServer::start().await;
    for page in 1..=3u32 {
        let body = json!({
            "data": data(&[page * 10 + 1, page * 10 + 2]),
            "pages": {"type": "pages", "page": page, "per_page": 2, "total_pages": 3}
        });
        let mock = Mock::given(method("GET"))
            .and(path("/companies"))
            .and(query_param("per_page", "2"))
            .and(header("x-opt", "every-page"));
        let mock = if page == 1 {
            mock.and(missing_query("page"))
        } else {
            mock.and(query_param("page", page.to_string().as_str()))
        };
        mock.respond_with(ResponseTemplate::new(200).set_body_json(body))
            .expect(1)
            .mount(&server)
            .await;
    }
    let spec =
        RequestSpec::new(Method::GET, "/companies", "/companies".into()).query("per_page", 2);
    let items: Vec<Item> = PagedCall::new(
        &client(&server),
        spec.clone(),
        PageStyle::PageNumber { param: "page" },
        page_number_state,
    )
    .header("x-opt", "every-page")
    .items()
    .try_collect()
    .await
    .expect("all pages");
    assert_eq!(ids(&items), vec![11, 12, 21, 22, 31, 32]);
    assert_eq!(
        received(&server).await.len(),
        3,
        "no request after the last page"
    );
    assert_eq!(
        spec.query,
        vec![("per_page".to_owned(), "2".to_owned())],
        "caller's spec untouched"
    );
    server.verify().await;
}

#[tokio::test]
async fn query_cursor_style_uses_starting_after() {
    let server = MockServer::start().await;
    mount_contacts_at(&server, None, cursor_page(&[1, 2], Some("c1"))).await;
    mount_contacts_at(&server, Some("c1"), cursor_page(&[3, 4], Some("c2"))).await;
    mount_contacts_at(&server, Some("c2"), cursor_page(&[5], None)).await;
    let call = PagedCall::new(
        &client(&server),
        RequestSpec::new(Method::GET, "/contacts", "/contacts".into()),
        PageStyle::QueryCursor {
            param: "starting_after",
        },
        cursor_state,
    );
    let items = call.collect_items().await.expect("all pages");
    assert_eq!(ids(&items), vec![1, 2, 3, 4, 5]);
    assert_eq!(received(&server).await.len(), 3);
    server.verify().await;
}

#[tokio::test]
async fn a_start_cursor_given_as_an_option_is_replaced_on_later_pages() {
    let server = MockServer::start().await;
    mount_contacts_at(&server, Some("c0"), cursor_page(&[1, 2], Some("c1"))).await;
    mount_contacts_at(&server, Some("c1"), cursor_page(&[3], None)).await;
    let call: PagedCall<List> = PagedCall::new(
        &client(&server),
        RequestSpec::new(Method::GET, "/contacts", "/contacts".into()),
        PageStyle::QueryCursor {
            param: "starting_after",
        },
        cursor_state,
    );
    let items = call
        .query("starting_after", "c0")
        .query("role", "user")
        .collect_items()
        .await
        .expect("all pages");
    assert_eq!(ids(&items), vec![1, 2, 3]);
    let requests = received(&server).await;
    let cursors: Vec<Vec<String>> = requests
        .iter()
        .map(|r| {
            r.url
                .query_pairs()
                .filter(|(k, _)| k == "starting_after")
                .map(|(_, v)| v.into_owned())
                .collect()
        })
        .collect();
    assert_eq!(cursors, [vec!["c0".to_owned()], vec!["c1".to_owned()]]);
    // Other options still apply to every page.
    assert!(
        requests
            .iter()
            .all(|r| r.url.query_pairs().any(|(k, v)| k == "role" && v == "user"))
    );
    server.verify().await;
}

#[tokio::test]
async fn query_cursor_stops_with_an_error_when_the_cursor_repeats() {
    let server = MockServer::start().await;
    Mock::given(path("/loop"))
        .and(missing_query("starting_after"))
        .respond_with(cursor_page(&[1], Some("same")))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(path("/loop"))
        .and(query_param("starting_after", "same"))
        .respond_with(cursor_page(&[2], Some("same")))
        .expect(1)
        .mount(&server)
        .await;
    let results: Vec<_> = PagedCall::new(
        &client(&server),
        RequestSpec::new(Method::GET, "/loop", "/loop".into()),
        PageStyle::QueryCursor {
            param: "starting_after",
        },
        cursor_state,
    )
    .items()
    .collect()
    .await;
    // Both pages' items arrive, then the loop is reported instead of silently ending.
    assert_eq!(results.len(), 3, "{results:?}");
    let got: Vec<u32> = results[..2]
        .iter()
        .filter_map(|r| r.as_ref().ok().map(|i| i.id))
        .collect();
    assert_eq!(got, vec![1, 2]);
    assert!(
        matches!(
            &results[2],
            Err(intercom_sdk::Error::Pagination(
                intercom_sdk::PaginationError::RepeatedCursor { cursor, pages: 2 }
            )) if cursor == "same"
        ),
        "{:?}",
        results[2]
    );
    server.verify().await;
}

#[tokio::test]
async fn body_cursor_style_sets_pagination_starting_after_in_the_body() {
    let server = MockServer::start().await;
    let body_cursor = |req: &Request| -> Option<String> {
        let v: Value = serde_json::from_slice(&req.body).ok()?;
        v.pointer("/pagination/starting_after")?
            .as_str()
            .map(str::to_owned)
    };
    Mock::given(method("POST"))
        .and(path("/contacts/search"))
        .and(move |r: &Request| body_cursor(r).is_none())
        .respond_with(cursor_page(&[1, 2], Some("c1")))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(move |r: &Request| body_cursor(r).as_deref() == Some("c1"))
        .respond_with(cursor_page(&[3, 4], Some("c2")))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(move |r: &Request| body_cursor(r).as_deref() == Some("c2"))
        .respond_with(cursor_page(&[5, 6], None))
        .expect(1)
        .mount(&server)
        .await;
    let query = json!({"query": {"field": "role", "operator": "=", "value": "user"}, "pagination": {"per_page": 2}});
    let spec = RequestSpec::new(Method::POST, "/contacts/search", "/contacts/search".into())
        .json_body(&query);
    // The stream is `Unpin`: `try_next` works without `pin!`.
    let mut pages = PagedCall::new(
        &client(&server),
        spec,
        PageStyle::BodyCursor {
            path: &["pagination", "starting_after"],
        },
        cursor_state,
    )
    .pages();
    let mut seen = Vec::new();
    while let Some(page) = pages.try_next().await.expect("page") {
        seen.extend(ids(page.items()));
    }
    assert_eq!(seen, vec![1, 2, 3, 4, 5, 6]);

    let requests = received(&server).await;
    assert_eq!(requests.len(), 3);
    let second: Value = serde_json::from_slice(&requests[1].body).expect("json body");
    assert_eq!(
        second,
        json!({
            "query": {"field": "role", "operator": "=", "value": "user"},
            "pagination": {"per_page": 2, "starting_after": "c1"}
        })
    );
    let first: Value = serde_json::from_slice(&requests[0].body).expect("json body");
    assert_eq!(first, query);
    server.verify().await;
}

#[tokio::test]
async fn scroll_style_stops_on_an_empty_page() {
    let server = MockServer::start().await;
    let scroll_page = |ids: &[u32], sp: &str| {
        ResponseTemplate::new(200)
            .set_body_json(json!({"type": "company.list", "data": data(ids), "scroll_param": sp}))
    };
    Mock::given(path("/companies/scroll"))
        .and(missing_query("scroll_param"))
        .respond_with(scroll_page(&[1, 2], "sp-1"))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(path("/companies/scroll"))
        .and(query_param("scroll_param", "sp-1"))
        .respond_with(scroll_page(&[3, 4], "sp-1"))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(path("/companies/scroll"))
        .and(query_param("scroll_param", "sp-1"))
        .respond_with(scroll_page(&[], "sp-1"))
        .expect(1)
        .mount(&server)
        .await;
    let call = PagedCall::new(
        &client(&server),
        RequestSpec::new(Method::GET, "/companies/scroll", "/companies/scroll".into()),
        PageStyle::Scroll {
            param: "scroll_param",
        },
        scroll_state,
    );
    let items = call.collect_items().await.expect("all pages");
    assert_eq!(ids(&items), vec![1, 2, 3, 4]);
    assert_eq!(
        received(&server).await.len(),
        3,
        "stops after the empty page"
    );
    server.verify().await;
}

#[tokio::test]
async fn first_page_via_await_then_next_page() {
    let server = MockServer::start().await;
    mount_contacts_at(
        &server,
        None,
        cursor_page(&[1], Some("c1")).insert_header("x-request-id", "p1"),
    )
    .await;
    mount_contacts_at(&server, Some("c1"), cursor_page(&[2], None)).await;
    let first = PagedCall::new(
        &client(&server),
        RequestSpec::new(Method::GET, "/contacts", "/contacts".into()),
        PageStyle::QueryCursor {
            param: "starting_after",
        },
        cursor_state,
    )
    .await
    .expect("first page");
    assert_eq!(ids(first.items()), vec![1]);
    assert_eq!(first.request_id(), Some("p1"));
    assert!(first.has_next_page());
    let second = first.next_page().await.expect("ok").expect("a second page");
    assert_eq!(ids(second.items()), vec![2]);
    assert!(!second.has_next_page());
    assert!(second.next_page().await.expect("ok").is_none());
    assert_eq!(second.into_response().data.len(), 1);
    assert_eq!(received(&server).await.len(), 2);
}

#[tokio::test]
async fn an_error_ends_the_item_stream() {
    let server = MockServer::start().await;
    mount_contacts_at(&server, None, cursor_page(&[1], Some("c1"))).await;
    mount_contacts_at(&server, Some("c1"), ResponseTemplate::new(404)).await;
    let stream = PagedCall::new(
        &client(&server),
        RequestSpec::new(Method::GET, "/contacts", "/contacts".into()),
        PageStyle::QueryCursor {
            param: "starting_after",
        },
        cursor_state,
    )
    .items();
    let results: Vec<_> = futures::StreamExt::collect(stream).await;
    assert_eq!(results.len(), 2);
    assert_eq!(results[0].as_ref().map(|i| i.id).ok(), Some(1));
    assert!(results[1].as_ref().is_err_and(|e| e.is_not_found()));
    server.verify().await;
}
