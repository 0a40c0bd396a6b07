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
    let Some(SearchRequestQuery::Multiple(and)) = &request.query else {
        panic!("AND query decoded as {:?}", request.query);
    };
    assert_eq!(and.operator, Some(MultipleFilterSearchRequestOperator::And));
    let filters = and.value.as_deref().unwrap_or_default();
    let [
        MultipleOrSingleFilterSearchRequest::Single(single),
        MultipleOrSingleFilterSearchRequest::Multiple(or),
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
    let Some(SearchRequestQuery::Single(single)) = &request.query else {
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
    assert_eq!(query, SearchRequestQuery::Single(filter));
    let integer: SingleFilterSearchRequestValue = 7_i64.into();
    assert_eq!(serde_json::to_value(integer).unwrap(), json!(7));
}

#[test]
fn union_inputs_accept_the_plain_values_they_wrap() {
    use intercom_sdk::models::SingleFilterSearchRequestValue as Value;
    // No `String::from`, no `_i64` suffix: the literal picks the variant.
    let text: Value = "@example.com".into();
    let number: Value = 1_714_521_600.into();
    let flag: Value = true.into();
    let list: Value = vec!["a", "b"].into();
    let ids: Value = vec![1, 2].into();
    assert_eq!(text, Value::String("@example.com".to_owned()));
    assert_eq!(number, Value::Integer(1_714_521_600));
    assert_eq!(flag, Value::Boolean(true));
    assert_eq!(
        list,
        Value::StringList(vec!["a".to_owned(), "b".to_owned()])
    );
    assert_eq!(ids, Value::IntegerList(vec![1, 2]));
    assert_eq!(
        serde_json::to_value([text, number, flag, list, ids]).unwrap(),
        json!(["@example.com", 1_714_521_600, true, ["a", "b"], [1, 2]])
    );
}

#[test]
fn a_number_union_takes_integer_literals_without_loss() {
    use intercom_sdk::models::TicketRequestCustomAttributesValue as Value;
    let n: Value = 42.into();
    let s: Value = "high".into();
    let b: Value = false.into();
    assert_eq!(n, Value::Number(42.0));
    assert_eq!(s, Value::String("high".to_owned()));
    assert_eq!(
        serde_json::to_value([n, s, b]).unwrap(),
        json!([42.0, "high", false])
    );
}
