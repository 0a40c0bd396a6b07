//! Union decoding is linear in the input with serde_json's `preserve_order` on (this crate turns
//! it on through `codegen`): a search query nested 30 levels deep decodes at once, into the right
//! variant at every level. (The SDK's own unit test covers the build without `preserve_order` and
//! counts the variants decoded.)

use std::time::Instant;

use intercom_sdk::models::{SearchRequest, SearchRequestQuery};
use serde_json::Value;

#[test]
fn a_thirty_level_nested_query_decodes_into_its_variants() {
    let preserve_order = serde_json::from_str::<Value>(r#"{"b": 1, "a": 2}"#)
        .ok()
        .and_then(|v| v.as_object().and_then(|m| m.keys().next().cloned()))
        .is_some_and(|first| first == "b");
    assert!(
        preserve_order,
        "this crate builds serde_json with preserve_order"
    );

    let mut query = r#"{"field": "name", "operator": "=", "value": "Ada"}"#.to_owned();
    for _ in 0..30 {
        query = format!(r#"{{"value": [{query}], "operator": "AND"}}"#);
    }
    let body = format!(r#"{{"query": {query}, "pagination": {{"per_page": 5}}}}"#);
    let started = Instant::now();
    let request: SearchRequest = serde_json::from_str(&body).expect("decodes");
    let elapsed = started.elapsed();
    assert!(matches!(
        request.query,
        Some(SearchRequestQuery::Multiple(_))
    ));
    // Every level took its own variant: the request serializes back to its input.
    let input: Value = serde_json::from_str(&body).expect("JSON");
    assert_eq!(serde_json::to_value(&request).expect("serializes"), input);
    println!(
        "30-level nested query ({} bytes) with preserve_order: {elapsed:?}",
        body.len()
    );
}
