//! The search query builder: exact JSON, Intercom's limits, and a search sent over a socket.

use intercom_sdk::Client;
use intercom_sdk::models::SearchRequestQuery;
use intercom_sdk::search::{Filter, MAX_GROUP_SIZE, SearchError};
use serde_json::{Value, json};
use wiremock::matchers::{body_json, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn query_json(filter: Filter) -> Value {
    let query: SearchRequestQuery = filter.clone().into_query().expect("within limits");
    let json = serde_json::to_value(query).unwrap();
    // The generated model writes exactly what the builder does.
    assert_eq!(json, filter.to_json().unwrap());
    json
}

#[test]
fn every_operator_produces_the_documented_wire_value() {
    let f = || Filter::field("f");
    let cases = [
        (f().eq("a"), "=", json!("a")),
        (f().ne(3), "!=", json!(3)),
        (f().is_in(vec!["a", "b"]), "IN", json!(["a", "b"])),
        (f().not_in(vec![1, 2]), "NIN", json!([1, 2])),
        (f().lt(1), "<", json!(1)),
        (f().le(1), "<=", json!(1)),
        (f().gt(1_714_521_600), ">", json!(1_714_521_600)),
        (f().ge(1), ">=", json!(1)),
        (f().contains("ad"), "~", json!("ad")),
        (f().not_contains("ad"), "!~", json!("ad")),
        (f().starts_with("A"), "^", json!("A")),
        (f().ends_with("@example.com"), "$", json!("@example.com")),
        (f().eq(true), "=", json!(true)),
    ];
    for (filter, operator, value) in cases {
        assert_eq!(
            query_json(filter),
            json!({"field": "f", "operator": operator, "value": value})
        );
    }
}

#[test]
fn and_or_chains_group_like_the_documentation_example() {
    // (1 OR 2) AND (3 OR 4), the example of Intercom's "Nesting & Limitations" section.
    let one_or_two = Filter::field("role")
        .eq("user")
        .or(Filter::field("role").eq("lead"));
    let three_or_four = Filter::field("name")
        .starts_with("A")
        .or(Filter::field("name").starts_with("B"));
    assert_eq!(
        query_json(one_or_two.and(three_or_four)),
        json!({"operator": "AND", "value": [
            {"operator": "OR", "value": [
                {"field": "role", "operator": "=", "value": "user"},
                {"field": "role", "operator": "=", "value": "lead"},
            ]},
            {"operator": "OR", "value": [
                {"field": "name", "operator": "^", "value": "A"},
                {"field": "name", "operator": "^", "value": "B"},
            ]},
        ]})
    );
    // Chained `and`s flatten into one group; `all`/`any` build groups from lists.
    let a = Filter::field("a").eq(1);
    let chained = a.clone().and(a.clone()).and(a.clone());
    assert_eq!(chained, Filter::all([a.clone(), a.clone(), a.clone()]));
    assert_eq!(chained.depth(), 1);
    assert_eq!(
        query_json(Filter::any([a.clone()])),
        json!({"operator": "OR", "value": [{"field": "a", "operator": "=", "value": 1}]})
    );
}

#[test]
fn limits_are_checked_before_sending() {
    let leaf = || Filter::field("x").eq(1);
    // Depth 2 is allowed, depth 3 is not.
    let depth2 = Filter::all([Filter::any([leaf(), leaf()]), leaf()]);
    assert_eq!(depth2.depth(), 2);
    depth2.clone().into_query::<SearchRequestQuery>().unwrap();
    let depth3 = Filter::all([Filter::any([Filter::all([leaf(), leaf()]), leaf()]), leaf()]);
    assert_eq!(
        depth3.into_query::<SearchRequestQuery>().unwrap_err(),
        SearchError::TooDeep { depth: 3 }
    );

    // 15 filters per group are allowed, 16 are not, also in a nested group.
    Filter::all((0..MAX_GROUP_SIZE).map(|_| leaf()))
        .into_query::<SearchRequestQuery>()
        .unwrap();
    let err = Filter::all((0..=MAX_GROUP_SIZE).map(|_| leaf()))
        .into_query::<SearchRequestQuery>()
        .unwrap_err();
    assert_eq!(
        err,
        SearchError::TooManyFilters {
            operator: "AND",
            len: 16
        }
    );
    let nested = Filter::all([leaf(), Filter::any((0..16).map(|_| leaf()))]);
    assert!(matches!(
        nested.into_query::<SearchRequestQuery>(),
        Err(SearchError::TooManyFilters {
            operator: "OR",
            len: 16
        })
    ));
    // A chain of `and`s counts too.
    let mut chain = leaf();
    for _ in 0..MAX_GROUP_SIZE {
        chain = chain.and(leaf());
    }
    assert!(matches!(
        chain.into_query::<SearchRequestQuery>(),
        Err(SearchError::TooManyFilters { len: 16, .. })
    ));

    assert_eq!(
        Filter::any([])
            .into_query::<SearchRequestQuery>()
            .unwrap_err(),
        SearchError::EmptyGroup { operator: "OR" }
    );
    assert_eq!(
        Filter::field("id")
            .is_in("a")
            .into_query::<SearchRequestQuery>()
            .unwrap_err(),
        SearchError::NotAnArray {
            field: "id".into(),
            operator: "IN"
        }
    );
    assert_eq!(
        Filter::field(" ")
            .eq(1)
            .into_query::<SearchRequestQuery>()
            .unwrap_err(),
        SearchError::EmptyField
    );
    // The error converts into the SDK's error, so `?` works in SDK code.
    let err: intercom_sdk::Error = SearchError::EmptyField.into();
    assert!(matches!(err, intercom_sdk::Error::InvalidRequest(_)));
}

#[tokio::test]
async fn the_built_query_is_what_the_server_receives() {
    let server = MockServer::start().await;
    let expected = json!({
        "query": {"operator": "AND", "value": [
            {"field": "email", "operator": "$", "value": "@example.com"},
            {"field": "created_at", "operator": ">", "value": 1714521600},
        ]},
        "pagination": {"per_page": 50},
    });
    Mock::given(method("POST"))
        .and(path("/contacts/search"))
        .and(body_json(&expected))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "type": "list", "data": [{"type": "contact", "id": "1", "email": "ada@example.com"}],
            "total_count": 1, "pages": {"type": "pages", "page": 1, "per_page": 50, "total_pages": 1}
        })))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder()
        .token("tok")
        .base_url(server.uri())
        .build()
        .unwrap();
    let request = Filter::field("email")
        .ends_with("@example.com")
        .and(Filter::field("created_at").gt(1_714_521_600))
        .per_page(50)
        .into_request()
        .unwrap();
    let contacts = client
        .contacts()
        .search(request)
        .collect_items()
        .await
        .unwrap();
    assert_eq!(contacts.len(), 1);
    assert_eq!(contacts[0].email.as_deref(), Some("ada@example.com"));
}
