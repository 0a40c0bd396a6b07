//! Every response example of the 2.11 description (306): each 2xx example (112) decodes into its
//! generated model, and each error example (194) comes back from its operation as the typed API
//! error, with its `error.list` parsed. Every 2xx example of the 2.15 description, for the
//! operations the SDK has, decodes into the SDK's (2.11) model too.
//!
//! The examples are Intercom's own, and many break their own schema (required fields missing,
//! numbers where strings are declared): real responses do the same, so the models must tolerate
//! it. The test also lists, per example, what needed tolerance (run with `--nocapture`).

use codegen::ir::{Ir, Ty, TypeKind};
use serde_json::Value;

/// Decodes `value` as `ty`; `Err` names the JSON path that failed.
fn decode(ty: &Ty, value: &Value) -> Result<(), String> {
    match ty {
        Ty::Named(name) => intercom_sdk::__conformance::decode(name, value.clone())
            .unwrap_or_else(|| Err(format!("no model named {name}"))),
        Ty::Array(inner) => match value.as_array() {
            Some(items) => items.iter().try_for_each(|item| decode(inner, item)),
            None => Err("expected an array".to_owned()),
        },
        Ty::Map(inner) => match value.as_object() {
            Some(map) => map.values().try_for_each(|v| decode(inner, v)),
            None => Err("expected an object".to_owned()),
        },
        Ty::Nullable(inner) if !value.is_null() => decode(inner, value),
        Ty::Nullable(_) | Ty::Any => Ok(()),
        Ty::String => scalar::<String>(value),
        Ty::Integer => scalar::<i64>(value),
        Ty::Number => scalar::<f64>(value),
        Ty::Boolean => scalar::<bool>(value),
        Ty::File => scalar::<intercom_sdk::FilePart>(value),
    }
}

fn scalar<T: serde::de::DeserializeOwned>(value: &Value) -> Result<(), String> {
    serde_json::from_value::<T>(value.clone())
        .map(drop)
        .map_err(|e| e.to_string())
}

/// What in `value` departs from the schema `ty` (the tolerance a decoder needs).
fn violations(ir: &Ir, ty: &Ty, value: &Value, path: &str, out: &mut Vec<String>) {
    match (ty, value) {
        (_, Value::Null) => {}
        (Ty::Nullable(inner), v) => violations(ir, inner, v, path, out),
        (Ty::String, v) if !v.is_string() => {
            out.push(format!("{path}: {} where a string is declared", kind(v)))
        }
        (Ty::Integer, v) if !(v.is_i64() || v.is_u64()) => {
            out.push(format!("{path}: {} where an integer is declared", kind(v)))
        }
        (Ty::Boolean, v) if !v.is_boolean() => {
            out.push(format!("{path}: {} where a boolean is declared", kind(v)))
        }
        (Ty::Array(inner), Value::Array(items)) => {
            for (i, item) in items.iter().enumerate() {
                violations(ir, inner, item, &format!("{path}[{i}]"), out);
            }
        }
        (Ty::Map(inner), Value::Object(map)) => {
            for (k, v) in map {
                violations(ir, inner, v, &format!("{path}.{k}"), out);
            }
        }
        (Ty::Named(name), v) => match ir.get(name).map(|t| &t.kind) {
            Some(TypeKind::Struct(s)) => {
                let Some(map) = v.as_object() else {
                    out.push(format!(
                        "{path}: {} where object {name} is declared",
                        kind(v)
                    ));
                    return;
                };
                for f in &s.fields {
                    match map.get(&f.wire) {
                        Some(fv) => violations(ir, &f.ty, fv, &format!("{path}.{}", f.wire), out),
                        None if f.required => {
                            out.push(format!("{path}.{}: required field missing", f.wire))
                        }
                        None => {}
                    }
                }
            }
            Some(TypeKind::Enum(e)) => {
                if let Some(s) = v.as_str() {
                    if !e.variants.iter().any(|var| var.value == s) {
                        out.push(format!("{path}: `{s}` is not a declared value of {name}"));
                    }
                }
            }
            Some(TypeKind::Alias(inner)) => violations(ir, inner, v, path, out),
            _ => {}
        },
        _ => {}
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Decodes every 2xx response example of `version` into the response model of the SDK's operation
/// with the same key (the SDK is generated from 2.11); returns how many examples were decoded and
/// how many operations the SDK does not have.
fn decode_examples(sdk: &Ir, version: &str) -> (usize, usize) {
    let generated = intercom_tests::generate(version);
    let doc = &generated.spec.fixed;
    let mut total = 0;
    let mut missing = 0;
    let mut failures = Vec::new();
    let mut tolerated = Vec::new();
    for op in &generated.ir.operations {
        let Some(sdk_op) = sdk.operations.iter().find(|o| o.key == op.key) else {
            missing += 1;
            continue;
        };
        let codegen::ir::ResponseBody::Json(ty) = &sdk_op.response else {
            continue;
        };
        for (status, name, value) in intercom_tests::cases::response_examples(doc, op) {
            if !status.starts_with('2') {
                continue;
            }
            let value = &value;
            total += 1;
            let label = format!("{version} {} {status} example `{name}`", op.key);
            if let Err(e) = decode(ty, value) {
                failures.push(format!("{label}: {e}"));
            }
            let mut found = Vec::new();
            violations(sdk, ty, value, "$", &mut found);
            if !found.is_empty() {
                tolerated.push(format!("{label}:\n    {}", found.join("\n    ")));
            }
        }
    }
    println!(
        "{} of {total} {version} 2xx examples break the SDK's schema and decode through tolerance:",
        tolerated.len()
    );
    for t in &tolerated {
        println!("  {t}");
    }
    assert!(
        failures.is_empty(),
        "{} of {total} {version} examples failed to decode:\n{}",
        failures.len(),
        failures.join("\n")
    );
    (total, missing)
}

#[test]
fn every_2xx_response_example_decodes_into_its_model() {
    let generated = intercom_tests::generate("2.11");
    let (total, missing) = decode_examples(&generated.ir, "2.11");
    assert!(
        total > 100,
        "expected the description's examples, found {total}"
    );
    assert_eq!(missing, 0);
}

/// A later description's examples are what a newer API sends to this SDK (an object
/// `ticket_state`, new fields, ...): every one of an operation the SDK has decodes into its model.
#[test]
fn every_2xx_response_example_of_2_15_decodes_into_the_sdks_model() {
    let generated = intercom_tests::generate("2.11");
    let (total, missing) = decode_examples(&generated.ir, "2.15");
    println!("2.15: {total} examples decoded; {missing} operations new in 2.15 skipped");
    assert!(
        total > 100,
        "expected the description's examples, found {total}"
    );
}

/// Every error (non-2xx) response example of the description, answered by a mock for its
/// operation, is the typed API error: its status, and its `error.list` parsed entry by entry.
#[tokio::test]
async fn every_error_response_example_is_a_typed_api_error_with_its_error_list() {
    use intercom_sdk::{Client, Error};
    use wiremock::matchers::any;
    use wiremock::{Mock, MockServer, ResponseTemplate};

    let generated = intercom_tests::generate("2.11");
    let (ir, doc) = (&generated.ir, &generated.spec.fixed);
    let server = MockServer::start().await;
    let client = Client::builder()
        .token("examples-token")
        .base_url(server.uri())
        .max_retries(0)
        .build()
        .expect("client");
    let (mut total, mut with_list) = (0, 0);
    let mut failures = Vec::new();
    for op in &ir.operations {
        let input = intercom_tests::cases::case(ir, doc, op).input;
        for (status, name, value) in intercom_tests::cases::response_examples(doc, op) {
            let Ok(code) = status.parse::<u16>() else {
                continue;
            };
            if (200..300).contains(&code) {
                continue;
            }
            let value = &value;
            total += 1;
            server.reset().await;
            Mock::given(any())
                .respond_with(ResponseTemplate::new(code).set_body_json(value))
                .mount(&server)
                .await;
            let label = format!("{} {status} example `{name}`", op.key);
            let expected: Vec<(String, Option<String>)> = value
                .get("errors")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .map(|e| {
                    let text = |k: &str| e.get(k).and_then(Value::as_str).map(str::to_owned);
                    (text("code").unwrap_or_default(), text("message"))
                })
                .collect();
            with_list += usize::from(!expected.is_empty());
            let result = intercom_sdk::__conformance::call(
                &client,
                &op.key,
                input.clone(),
                Default::default(),
            )
            .await;
            match result {
                Some(Err(Error::Api(e))) => {
                    let parsed: Vec<(String, Option<String>)> = e
                        .errors()
                        .iter()
                        .map(|x| (x.code.clone(), x.message.clone()))
                        .collect();
                    if e.status().as_u16() != code || parsed != expected {
                        failures.push(format!(
                            "{label}: HTTP {} with {parsed:?}, expected {expected:?}",
                            e.status()
                        ));
                    }
                }
                other => failures.push(format!("{label}: {other:?}")),
            }
        }
    }
    println!("{total} error examples, {with_list} with an error.list: all typed API errors");
    assert!(
        total > 150,
        "expected the description's error examples, found {total}"
    );
    assert!(
        failures.is_empty(),
        "{} of {total} error examples were not the typed error:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
