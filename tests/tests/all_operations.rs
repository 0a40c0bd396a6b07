//! Every operation of 2.11, table-driven from the description itself: each is called through the
//! SDK with a request read from the spec's request example (or minimal valid values), against a
//! mock that answers with the operation's 2xx example. The request on the wire must carry the
//! method, path, query and JSON body the example implies, plus the auth and version headers, and
//! the example response must decode into the typed response.

use codegen::ir::{Body, Ir, Operation, ParamLocation, Ty, TypeKind};
use intercom_sdk::Client;
use serde_json::{json, Map, Value};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A minimal valid value of `ty`: required fields only, first enum value, first union variant.
fn minimal(ir: &Ir, ty: &Ty, depth: usize) -> Value {
    match ty {
        Ty::String => json!("x1"),
        Ty::Integer => json!(1),
        Ty::Number => json!(1.5),
        Ty::Boolean => json!(true),
        Ty::Any | Ty::Map(_) => json!({}),
        Ty::Array(_) => json!([]),
        Ty::Nullable(_) => Value::Null,
        Ty::Named(name) if depth < 6 => match ir.get(name).map(|t| &t.kind) {
            Some(TypeKind::Struct(s)) => Value::Object(
                s.fields
                    .iter()
                    .filter(|f| f.required && !f.nullable)
                    .map(|f| (f.wire.clone(), minimal(ir, &f.ty, depth + 1)))
                    .collect(),
            ),
            Some(TypeKind::Enum(e)) => json!(e.variants[0].value),
            Some(TypeKind::Union(u)) => minimal(ir, &u.variants[0].ty, depth + 1),
            Some(TypeKind::Alias(inner)) => minimal(ir, inner, depth + 1),
            None => Value::Null,
        },
        Ty::Named(_) => json!({}),
    }
}

/// The example converted to the declared types where it breaks them (integers where strings are
/// declared and the reverse): a typed request can only send the declared type. Counts conversions.
fn conform(ir: &Ir, ty: &Ty, value: Value, fixed: &mut usize) -> Value {
    match (ty, value) {
        (Ty::String, Value::Number(n)) => {
            *fixed += 1;
            Value::String(n.to_string())
        }
        (Ty::Integer, Value::String(s)) if s.parse::<i64>().is_ok() => {
            *fixed += 1;
            json!(s.parse::<i64>().unwrap_or_default())
        }
        (Ty::Array(inner), Value::Array(items)) => Value::Array(
            items
                .into_iter()
                .map(|i| conform(ir, inner, i, fixed))
                .collect(),
        ),
        (Ty::Map(inner), Value::Object(map)) => Value::Object(
            map.into_iter()
                .map(|(k, v)| (k, conform(ir, inner, v, fixed)))
                .collect(),
        ),
        (Ty::Nullable(inner), v) => conform(ir, inner, v, fixed),
        (Ty::Named(name), v) => match (ir.get(name).map(|t| &t.kind), v) {
            (Some(TypeKind::Struct(s)), Value::Object(map)) => Value::Object(
                map.into_iter()
                    .map(|(k, v)| match s.fields.iter().find(|f| f.wire == k) {
                        Some(f) => (k, conform(ir, &f.ty, v, fixed)),
                        None => (k, v),
                    })
                    .collect(),
            ),
            (Some(TypeKind::Alias(inner)), v) => conform(ir, inner, v, fixed),
            (_, v) => v,
        },
        (_, v) => v,
    }
}

/// JSON equality where an absent key equals `null` (a required nullable field is sent as null).
fn same(sent: &Value, expected: &Value) -> bool {
    match (sent, expected) {
        (Value::Object(a), Value::Object(b)) => {
            a.iter()
                .all(|(k, v)| b.get(k).map_or(v.is_null(), |e| same(v, e)))
                && b.iter().all(|(k, v)| a.contains_key(k) || v.is_null())
        }
        (Value::Array(a), Value::Array(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(x, y)| same(x, y))
        }
        _ => sent == expected,
    }
}

fn first_example(media: Option<&Value>) -> Option<Value> {
    let media = media?;
    media.get("example").cloned().or_else(|| {
        media
            .get("examples")?
            .as_object()?
            .values()
            .find_map(|e| e.get("value").cloned())
    })
}

/// RFC 3986 unreserved characters stay, everything else is percent-encoded.
fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

struct Case {
    input: Value,
    path: String,
    query: Vec<(String, String)>,
    body: Option<Value>,
    from_example: bool,
    /// Values of the spec's example converted to the declared type.
    conformed: usize,
}

fn case(ir: &Ir, doc: &Value, op: &Operation) -> Case {
    let mut input = Map::new();
    let mut path = op.path.clone();
    let mut query = Vec::new();
    let mut body = None;
    let mut from_example = false;
    let mut conformed = 0;
    let spec_params = doc
        .pointer(&format!("{}/parameters", op.pointer))
        .and_then(Value::as_array);
    if let Some(request) = &op.request {
        for p in &request.params {
            let example = spec_params
                .into_iter()
                .flatten()
                .find(|sp| sp["name"] == p.wire.as_str())
                .and_then(|sp| {
                    sp.get("example")
                        .or_else(|| sp.pointer("/schema/example"))
                        .cloned()
                });
            let value = match (example, p.required) {
                (Some(v), _) => v,
                (None, true) => minimal(ir, &p.ty, 0),
                (None, false) => continue,
            };
            match p.location {
                ParamLocation::Path => {
                    path = path.replace(&format!("{{{}}}", p.wire), &encode(&text(&value)))
                }
                ParamLocation::Query => match &value {
                    Value::Array(items) => {
                        query.extend(items.iter().map(|i| (p.wire.clone(), text(i))))
                    }
                    other => query.push((p.wire.clone(), text(other))),
                },
                ParamLocation::QueryObject => {
                    for (k, v) in value.as_object().into_iter().flatten() {
                        query.push((k.clone(), text(v)));
                    }
                }
            }
            input.insert(p.wire.clone(), value);
        }
        let media = doc.pointer(&format!(
            "{}/requestBody/content/application~1json",
            op.pointer
        ));
        let example = first_example(media);
        from_example = example.is_some();
        match &request.body {
            Some(Body::Fields { fields, .. }) => {
                // Keys the body schema does not declare cannot be sent by a typed request: dropped
                // (and counted); declared ones are converted to their declared types.
                let example = example.map(|e| {
                    Value::Object(
                        e.as_object()
                            .into_iter()
                            .flatten()
                            .filter_map(|(k, v)| match fields.iter().find(|f| &f.wire == k) {
                                Some(f) => {
                                    Some((k.clone(), conform(ir, &f.ty, v.clone(), &mut conformed)))
                                }
                                None => {
                                    conformed += 1;
                                    None
                                }
                            })
                            .collect(),
                    )
                });
                let value = example.unwrap_or_else(|| {
                    Value::Object(
                        fields
                            .iter()
                            .filter(|f| f.required && !f.nullable)
                            .map(|f| (f.wire.clone(), minimal(ir, &f.ty, 1)))
                            .collect(),
                    )
                });
                for (k, v) in value.as_object().into_iter().flatten() {
                    input.insert(k.clone(), v.clone());
                }
                body = Some(value);
            }
            Some(Body::Whole { ty, .. }) => {
                let value = example
                    .map(|e| conform(ir, ty, e, &mut conformed))
                    .unwrap_or_else(|| minimal(ir, ty, 0));
                input.insert("body".to_owned(), value.clone());
                body = Some(value);
            }
            None => {}
        }
    }
    Case {
        input: Value::Object(input),
        path,
        query,
        body,
        from_example,
        conformed,
    }
}

/// The operation's success status and its first JSON example (if any).
fn success(doc: &Value, op: &Operation) -> (u16, Option<Value>) {
    let responses = doc
        .pointer(&format!("{}/responses", op.pointer))
        .and_then(Value::as_object);
    let (code, response) = responses
        .into_iter()
        .flatten()
        .filter_map(|(k, v)| Some((k.parse::<u16>().ok()?, v)))
        .filter(|(k, _)| (200..300).contains(k))
        .min_by_key(|(k, _)| *k)
        .unwrap_or((200, &Value::Null));
    (
        code,
        first_example(response.pointer("/content/application~1json")),
    )
}

#[tokio::test]
async fn every_operation_sends_what_the_spec_implies_and_decodes_its_example() {
    let generated = intercom_tests::generate("2.11");
    let (ir, doc) = (&generated.ir, &generated.spec.fixed);
    let server = MockServer::start().await;
    let client = Client::builder()
        .token("secret-token")
        .base_url(server.uri())
        .max_retries(0)
        .build()
        .unwrap();
    let mut failures = Vec::new();
    let mut with_request_example = 0;
    let mut conformed = Vec::new();
    for op in &ir.operations {
        let case = case(ir, doc, op);
        with_request_example += usize::from(case.from_example);
        if case.conformed > 0 {
            conformed.push(format!("{} ({} values)", op.key, case.conformed));
        }
        let (status, example) = success(doc, op);
        server.reset().await;
        let template = match (&op.response, example) {
            (codegen::ir::ResponseBody::Binary, _) => {
                ResponseTemplate::new(status).set_body_bytes(b"archive".to_vec())
            }
            (_, Some(example)) => ResponseTemplate::new(status).set_body_json(example),
            (_, None) => ResponseTemplate::new(status),
        };
        Mock::given(any())
            .respond_with(template)
            .mount(&server)
            .await;

        let mut problems = Vec::new();
        match intercom_sdk::__conformance::call(&client, &op.key, case.input.clone()).await {
            None => problems.push("no generated call".to_owned()),
            Some(Err(e)) => problems.push(format!("call failed: {e}")),
            Some(Ok(())) => {}
        }
        let requests = server.received_requests().await.unwrap_or_default();
        match requests.as_slice() {
            [r] => {
                if r.method.as_str() != op.method {
                    problems.push(format!("method {}", r.method));
                }
                if r.url.path() != case.path {
                    problems.push(format!("path {} (expected {})", r.url.path(), case.path));
                }
                let sent: Vec<(String, String)> = r
                    .url
                    .query_pairs()
                    .map(|(k, v)| (k.into_owned(), v.into_owned()))
                    .collect();
                for pair in &case.query {
                    if !sent.contains(pair) {
                        problems.push(format!("query {pair:?} missing from {sent:?}"));
                    }
                }
                if r.headers.get("authorization").and_then(|v| v.to_str().ok())
                    != Some("Bearer secret-token")
                {
                    problems.push("no bearer token".to_owned());
                }
                if r.headers
                    .get("intercom-version")
                    .and_then(|v| v.to_str().ok())
                    != Some("2.11")
                {
                    problems.push("no Intercom-Version".to_owned());
                }
                let content_type = r.headers.get("content-type").is_some();
                match &case.body {
                    Some(expected) => {
                        let sent: Value = serde_json::from_slice(&r.body).unwrap_or(Value::Null);
                        if !same(&sent, expected) {
                            problems.push(format!("body {sent} (expected {expected})"));
                        }
                        if !content_type {
                            problems.push("body without Content-Type".to_owned());
                        }
                    }
                    None if content_type || !r.body.is_empty() => {
                        problems.push("Content-Type or body without a body".to_owned())
                    }
                    None => {}
                }
            }
            other => problems.push(format!("{} requests", other.len())),
        }
        if !problems.is_empty() {
            failures.push(format!("{}: {}", op.key, problems.join("; ")));
        }
    }
    println!(
        "{} operations called; {with_request_example} bodies from the spec's request examples, {} of \
         which break their schema (values converted to the declared types, undeclared keys dropped): {}",
        ir.operations.len(),
        conformed.len(),
        conformed.join(", ")
    );
    assert_eq!(ir.operations.len(), 108);
    assert!(
        failures.is_empty(),
        "{} operations failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
