//! Generated operations against a mock server: paths, query strings and bodies as the spec says,
//! each of the four paging styles end to end, and the binary download.

use futures::TryStreamExt;
use intercom_sdk::models::{
    ListEventsRequestFilter, ListEventsRequestFilterUserIdQueryParameter, SearchRequestQuery,
    SingleFilterSearchRequest, SingleFilterSearchRequestOperator, StartingAfterPaging,
};
use intercom_sdk::requests::{
    DownloadDataExportRequest, FindContactRequest, ListArticlesRequest, ListContactsRequest,
    ListEventsRequest, ScrollCompaniesRequest, SearchRequest, TagContactRequest,
    UpdateContactRequest,
};
use intercom_sdk::Client;
use serde_json::{json, Value};
use wiremock::matchers::{body_json, header, method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

async fn client(server: &MockServer) -> Client {
    Client::builder()
        .token("test-token")
        .base_url(server.uri())
        .max_retries(0)
        .build()
        .unwrap()
}

fn body(request: &Request) -> Value {
    serde_json::from_slice(&request.body).unwrap_or(Value::Null)
}

#[tokio::test]
async fn path_parameters_are_percent_encoded_and_gets_carry_no_body() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/contacts/a%2Fb%20c"))
        .and(header("Intercom-Version", "2.11"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"type": "contact", "id": "a/b c", "role": "user"})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let contact = client(&server)
        .await
        .contacts()
        .find(FindContactRequest::new("a/b c"))
        .await
        .unwrap();
    assert_eq!(contact.id, "a/b c");
    let requests = server.received_requests().await.unwrap();
    assert!(requests[0].body.is_empty());
    assert!(
        requests[0].headers.get("content-type").is_none(),
        "no Content-Type without a body"
    );
}

#[tokio::test]
async fn the_body_is_the_request_minus_its_path_fields() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/contacts/c1/tags"))
        .and(header("content-type", "application/json"))
        .and(body_json(json!({"id": "t1"})))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"type": "tag", "id": "t1", "name": "vip"})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let tag = client(&server)
        .await
        .tags()
        .tag_contact(TagContactRequest::new("c1", "t1"))
        .await
        .unwrap();
    assert_eq!(tag.name, "vip");
}

#[tokio::test]
async fn a_nullable_field_is_left_out_set_or_sent_as_null_to_clear_it() {
    let server = MockServer::start().await;
    // `body_json` matches exactly: `phone` must be `null`, `avatar` must be absent.
    Mock::given(method("PUT"))
        .and(path("/contacts/c1"))
        .and(body_json(json!({"name": "Ada", "phone": null})))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"type": "contact", "id": "c1"})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let request = UpdateContactRequest::new("c1").name("Ada").clear_phone();
    assert_eq!(request.phone, Some(None));
    assert_eq!(request.avatar, None);
    let contact = client(&server)
        .await
        .contacts()
        .update(request)
        .await
        .unwrap();
    assert_eq!(contact.id, "c1");
    // Read back from JSON the same three ways.
    let read: UpdateContactRequest =
        serde_json::from_value(json!({"contact_id": "c1", "phone": null, "name": "Ada"})).unwrap();
    assert_eq!(
        (read.phone, read.name, read.avatar),
        (Some(None), Some(Some("Ada".into())), None)
    );
}

#[tokio::test]
async fn object_query_parameters_are_exploded() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/events"))
        .and(query_param("user_id", "u1"))
        .and(query_param("type", "user"))
        .and(query_param("per_page", "5"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"type": "event.summary", "events": []})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let filter = ListEventsRequestFilter::UserId(ListEventsRequestFilterUserIdQueryParameter {
        user_id: "u1".into(),
    });
    client(&server)
        .await
        .events()
        .list(ListEventsRequest::new(filter, "user").per_page(5))
        .await
        .unwrap();
    let url = server.received_requests().await.unwrap()[0].url.clone();
    assert!(!url.query().unwrap_or("").contains("filter"), "{url}");
}

#[tokio::test]
async fn page_number_paging_walks_every_page_once() {
    let server = MockServer::start().await;
    for page in 1..=3 {
        let matcher = move |r: &Request| {
            let n = r
                .url
                .query_pairs()
                .find(|(k, _)| k == "page")
                .map(|(_, v)| v.into_owned());
            let expected = (page > 1).then(|| page.to_string());
            n == expected
        };
        Mock::given(method("GET"))
            .and(path("/articles"))
            .and(matcher)
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({
                "type": "list", "total_count": 3,
                "pages": {"type": "pages", "page": page, "total_pages": 3},
                "data": [{"type": "article", "id": format!("a{page}")}]
            })))
            .expect(1)
            .mount(&server)
            .await;
    }
    let request = ListArticlesRequest::new();
    let ids: Vec<String> = client(&server)
        .await
        .articles()
        .list(request.clone())
        .items()
        .map_ok(|a| a.id)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids, ["a1", "a2", "a3"]);
    assert_eq!(
        server.received_requests().await.unwrap().len(),
        3,
        "no request after the last page"
    );
    assert_eq!(
        request,
        ListArticlesRequest::new(),
        "the caller's request is unchanged"
    );
}

#[tokio::test]
async fn query_cursor_paging_follows_starting_after() {
    let server = MockServer::start().await;
    let page = |ids: &[&str], next: Option<&str>| {
        let mut pages = json!({"type": "pages", "per_page": 1});
        if let Some(next) = next {
            pages["next"] = json!({"per_page": 1, "starting_after": next});
        }
        let data: Vec<Value> = ids
            .iter()
            .map(|id| json!({"type": "contact", "id": id}))
            .collect();
        ResponseTemplate::new(200)
            .set_body_json(json!({"type": "list", "data": data, "total_count": 3, "pages": pages}))
    };
    Mock::given(path("/contacts"))
        .and(query_param_is_missing("starting_after"))
        .respond_with(page(&["c1"], Some("x2")))
        .expect(2)
        .mount(&server)
        .await;
    Mock::given(path("/contacts"))
        .and(query_param("starting_after", "x2"))
        .respond_with(page(&["c2"], Some("x3")))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(path("/contacts"))
        .and(query_param("starting_after", "x3"))
        .respond_with(page(&["c3"], None))
        .expect(1)
        .mount(&server)
        .await;

    let client = client(&server).await;
    let first = client
        .contacts()
        .list(ListContactsRequest::new().per_page(1))
        .await
        .unwrap();
    assert_eq!(first.items().len(), 1);
    assert!(first.has_next_page());
    let request = ListContactsRequest::new().per_page(1);
    let ids: Vec<String> = client
        .contacts()
        .list(request.clone())
        .header("X-Trace", "on")
        .items()
        .map_ok(|c| c.id)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids, ["c1", "c2", "c3"]);
    let requests = server.received_requests().await.unwrap();
    assert_eq!(
        requests.len(),
        4,
        "one first page, then exactly three pages"
    );
    assert!(
        requests[1..]
            .iter()
            .all(|r| r.headers.get("x-trace").is_some()),
        "options apply to every page"
    );
    assert_eq!(
        request,
        ListContactsRequest::new().per_page(1),
        "the caller's request is unchanged"
    );
    assert!(requests[1..]
        .iter()
        .all(|r| r.url.query().unwrap_or("").contains("per_page=1")));
}

#[tokio::test]
async fn body_cursor_paging_sets_pagination_starting_after() {
    let server = MockServer::start().await;
    let cursor = |r: &Request| {
        body(r)
            .pointer("/pagination/starting_after")
            .and_then(Value::as_str)
            .map(str::to_owned)
    };
    let page = |id: &str, next: Option<&str>| {
        let mut pages = json!({"type": "pages"});
        if let Some(next) = next {
            pages["next"] = json!({"per_page": 1, "starting_after": next});
        }
        ResponseTemplate::new(200).set_body_json(json!({"type": "list", "data": [{"type": "contact", "id": id}], "total_count": 3, "pages": pages}))
    };
    for (expected, id, next) in [
        (None, "c1", Some("x2")),
        (Some("x2"), "c2", Some("x3")),
        (Some("x3"), "c3", None),
    ] {
        let expected: Option<String> = expected.map(str::to_owned);
        Mock::given(method("POST"))
            .and(path("/contacts/search"))
            .and(move |r: &Request| {
                cursor(r) == expected && body(r).pointer("/query/field") == Some(&json!("email"))
            })
            .respond_with(page(id, next))
            .expect(1)
            .mount(&server)
            .await;
    }
    let search = SearchRequest::new(SearchRequestQuery::Single(SingleFilterSearchRequest {
        field: Some("email".into()),
        operator: Some(SingleFilterSearchRequestOperator::Eq),
        value: None,
    }))
    .pagination(StartingAfterPaging {
        per_page: 1,
        starting_after: None,
    });
    let before = search.clone();
    let ids: Vec<String> = client(&server)
        .await
        .contacts()
        .search(search.clone())
        .items()
        .map_ok(|c| c.id)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids, ["c1", "c2", "c3"]);
    assert_eq!(server.received_requests().await.unwrap().len(), 3);
    assert_eq!(search, before);
    let first = body(&server.received_requests().await.unwrap()[0]);
    assert_eq!(
        first["query"]["operator"], "=",
        "symbol enum values go out as sent by the spec"
    );
}

#[tokio::test]
async fn scroll_paging_stops_on_an_empty_page() {
    let server = MockServer::start().await;
    let page = |ids: &[&str]| {
        let data: Vec<Value> = ids
            .iter()
            .map(|id| json!({"type": "company", "id": id}))
            .collect();
        ResponseTemplate::new(200)
            .set_body_json(json!({"type": "list", "data": data, "scroll_param": "s1"}))
    };
    Mock::given(path("/companies/scroll"))
        .and(query_param_is_missing("scroll_param"))
        .respond_with(page(&["a", "b"]))
        .expect(1)
        .mount(&server)
        .await;
    // The same scroll parameter answers the following pages; the third page is empty.
    let calls = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counter = calls.clone();
    Mock::given(path("/companies/scroll"))
        .and(query_param("scroll_param", "s1"))
        .respond_with(move |_: &Request| {
            if counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst) == 0 {
                page(&["c"])
            } else {
                page(&[])
            }
        })
        .expect(2)
        .mount(&server)
        .await;
    let request = ScrollCompaniesRequest::new();
    let ids: Vec<String> = client(&server)
        .await
        .companies()
        .scroll(request.clone())
        .items()
        .map_ok(|c| c.id)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids, ["a", "b", "c"]);
    assert_eq!(server.received_requests().await.unwrap().len(), 3);
    assert_eq!(
        request,
        ScrollCompaniesRequest::new(),
        "the caller's request is unchanged"
    );
}

#[tokio::test]
async fn download_returns_the_exact_bytes() {
    let server = MockServer::start().await;
    let archive: Vec<u8> = (0..=255u8).cycle().take(100_000).collect();
    Mock::given(method("GET"))
        .and(path("/download/content/data/job%201"))
        .and(header("accept", "application/octet-stream"))
        .respond_with(ResponseTemplate::new(200).set_body_bytes(archive.clone()))
        .expect(1)
        .mount(&server)
        .await;
    let stream = client(&server)
        .await
        .data_export()
        .download(DownloadDataExportRequest::new("job 1"))
        .await
        .unwrap();
    let bytes = stream.collect_bytes().await.unwrap();
    assert_eq!(bytes.as_ref(), archive.as_slice());
}

#[tokio::test]
async fn documented_errors_surface_as_typed_api_errors() {
    let server = MockServer::start().await;
    Mock::given(path("/contacts/missing"))
        .respond_with(ResponseTemplate::new(404).set_body_json(json!({
            "type": "error.list", "request_id": "r1",
            "errors": [{"code": "not_found", "message": "User Not Found"}]
        })))
        .mount(&server)
        .await;
    let err = client(&server)
        .await
        .contacts()
        .find(FindContactRequest::new("missing"))
        .await
        .unwrap_err();
    assert!(err.is_not_found());
    assert_eq!(err.errors()[0].code, "not_found");
    assert_eq!(err.request_id(), Some("r1"));
}

#[tokio::test]
async fn an_integer_id_input_is_sent_as_the_integer_or_the_string_the_caller_gave() {
    use intercom_sdk::models::{
        CreateMessageRequestFrom, CreateMessageRequestFromType, CreateMessageRequestMessageType,
        CreateMessageRequestTo, IntegerOrStringId,
    };
    let server = MockServer::start().await;
    for sent in [json!(394051), json!("394051")] {
        Mock::given(method("POST"))
            .and(path("/messages"))
            .and(wiremock::matchers::body_partial_json(
                json!({"from": {"type": "admin", "id": sent}}),
            ))
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_json(json!({"type": "user_message", "id": "m1"})),
            )
            .expect(1)
            .mount(&server)
            .await;
    }
    let client = client(&server).await;
    let ids: [IntegerOrStringId; 2] = [394051.into(), "394051".into()];
    for id in ids {
        let from = CreateMessageRequestFrom {
            type_: Some(CreateMessageRequestFromType::Admin),
            id: Some(id),
        };
        let to = CreateMessageRequestTo {
            id: "6650a1b2c3d4e5f6a7b8c9d0".to_owned(),
            ..Default::default()
        };
        let request = intercom_sdk::requests::CreateMessageRequest::new(
            CreateMessageRequestMessageType::InApp,
            "Hello",
            from,
            to,
        );
        client.messages().create(request).await.unwrap();
    }
}
