//! Union decoding picks the alternative the value belongs to, and keeps what it does not know.

use intercom_sdk::models::{
    MultipleFilterSearchRequestOperator, MultipleOrSingleFilterSearchRequest, SearchRequest,
    SearchRequestQuery, SingleFilterSearchRequestOperator,
};
use serde_json::json;

#[test]
fn a_nested_search_query_decodes_into_its_own_alternatives_and_round_trips() {
    let wire = json!({
        "query": {"operator": "AND", "value": [
            {"field": "id", "operator": "IN", "value": ["a", "b"]},
            {"operator": "OR", "value": [{"field": "name", "operator": "=", "value": "Ada"}]}
        ]},
        "pagination": {"per_page": 5}
    });
    let request: SearchRequest = serde_json::from_value(wire.clone()).unwrap();
    let Some(SearchRequestQuery::MultipleFilterSearchRequest(and)) = &request.query else {
        panic!("AND query decoded as {:?}", request.query);
    };
    assert_eq!(and.operator, Some(MultipleFilterSearchRequestOperator::And));
    let filters = and.value.as_deref().unwrap_or_default();
    let [
        MultipleOrSingleFilterSearchRequest::SingleFilterSearchRequest(single),
        MultipleOrSingleFilterSearchRequest::MultipleFilterSearchRequest(or),
    ] = filters
    else {
        panic!("filters decoded as {filters:?}");
    };
    assert_eq!(single.field.as_deref(), Some("id"));
    assert_eq!(single.operator, Some(SingleFilterSearchRequestOperator::In));
    assert_eq!(or.operator, Some(MultipleFilterSearchRequestOperator::Or));
    // Nothing is lost on the way back.
    assert_eq!(serde_json::to_value(&request).unwrap(), wire);
}

#[test]
fn an_operator_newer_than_the_sdk_still_decodes_and_survives() {
    let wire = json!({"query": {"field": "name", "operator": "NEAR", "value": "Ada"}});
    let request: SearchRequest = serde_json::from_value(wire.clone()).unwrap();
    let Some(SearchRequestQuery::SingleFilterSearchRequest(single)) = &request.query else {
        panic!("decoded as {:?}", request.query);
    };
    assert_eq!(
        single.operator,
        Some(SingleFilterSearchRequestOperator::Unknown("NEAR".into()))
    );
    assert_eq!(serde_json::to_value(&request).unwrap(), wire);
}

#[test]
fn unions_convert_from_their_variants_types() {
    use intercom_sdk::models::{SingleFilterSearchRequest, SingleFilterSearchRequestValue};
    let value: SingleFilterSearchRequestValue = vec!["a".to_owned(), "b".to_owned()].into();
    assert_eq!(
        value,
        SingleFilterSearchRequestValue::StringList(vec!["a".into(), "b".into()])
    );
    let filter = SingleFilterSearchRequest {
        field: Some("id".into()),
        operator: Some(SingleFilterSearchRequestOperator::In),
        value: Some(value),
    };
    let query: SearchRequestQuery = filter.clone().into();
    assert_eq!(query, SearchRequestQuery::SingleFilterSearchRequest(filter));
    let integer: SingleFilterSearchRequestValue = 7_i64.into();
    assert_eq!(serde_json::to_value(integer).unwrap(), json!(7));
}
