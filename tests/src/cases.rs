//! Requests and expected answers for every operation, read from the description itself. Shared by
//! the wiremock table test (`all_operations.rs`) and the Prism conformance test (`prism.rs`).
//!
//! A request comes from the spec's request example where there is one, else from minimal valid
//! values. Many examples break their own schema: integers where strings are declared, a required
//! field or a one-value `type` missing, keys the schema does not declare, a union body matching none
//! of its alternatives. A typed SDK cannot send such a value, and a validating server rightly
//! rejects it. So each value is *repaired* against the raw JSON schema first, and every repair is
//! counted and reported by the tests.

use codegen::ir::{Body, Ir, Operation, ParamLocation};
use serde_json::{json, Map, Value};

/// Nesting beyond which minimal values stop (recursive schemas).
const MAX_DEPTH: usize = 8;

/// Follows `$ref` (within the document) to the schema it names (`null` when it names nothing).
pub fn resolve<'a>(doc: &'a Value, mut schema: &'a Value) -> &'a Value {
    for _ in 0..32 {
        match schema.get("$ref").and_then(Value::as_str) {
            Some(r) => match r.strip_prefix('#').and_then(|p| doc.pointer(p)) {
                Some(target) => schema = target,
                None => return &Value::Null,
            },
            None => return schema,
        }
    }
    schema
}

fn list<'a>(schema: &'a Value, key: &str) -> &'a [Value] {
    schema
        .get(key)
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

/// `oneOf` and `anyOf` together.
fn alternatives(schema: &Value) -> Vec<&Value> {
    list(schema, "oneOf")
        .iter()
        .chain(list(schema, "anyOf"))
        .collect()
}

/// Alternatives that only list required fields ("properties + anyOf of `required` lists").
fn required_lists(schema: &Value) -> Option<Vec<Vec<&str>>> {
    let alts = alternatives(schema);
    let only_lists = !alts.is_empty()
        && alts.iter().all(|a| {
            a.get("required").is_some()
                && ["properties", "type", "$ref", "allOf", "oneOf", "anyOf"]
                    .iter()
                    .all(|k| a.get(*k).is_none())
        });
    only_lists.then(|| {
        alts.iter()
            .map(|a| {
                list(a, "required")
                    .iter()
                    .filter_map(Value::as_str)
                    .collect()
            })
            .collect()
    })
}

/// Properties, required names and whether undeclared keys are kept (an explicit
/// `additionalProperties`) of an object schema, merged across `allOf`.
struct ObjectParts<'a> {
    properties: Vec<(&'a str, &'a Value)>,
    required: Vec<&'a str>,
    additional: Option<&'a Value>,
}

fn object_parts<'a>(doc: &'a Value, schema: &'a Value, parts: &mut ObjectParts<'a>, depth: usize) {
    let schema = resolve(doc, schema);
    if depth > MAX_DEPTH {
        return;
    }
    for (name, prop) in schema
        .get("properties")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        if !parts.properties.iter().any(|(n, _)| n == name) {
            parts.properties.push((name, prop));
        }
    }
    parts
        .required
        .extend(list(schema, "required").iter().filter_map(Value::as_str));
    if let Some(additional) = schema.get("additionalProperties") {
        parts.additional = Some(additional);
    }
    for sub in list(schema, "allOf") {
        object_parts(doc, sub, parts, depth + 1);
    }
}

fn is_object_schema(doc: &Value, schema: &Value) -> bool {
    let schema = resolve(doc, schema);
    schema.get("type").and_then(Value::as_str) == Some("object")
        || schema.get("properties").is_some()
        || list(schema, "allOf")
            .iter()
            .any(|s| is_object_schema(doc, s))
}

/// A minimal valid value of `schema`: required properties only, the first enum value, the first
/// alternative, a value of the declared `format` and length.
pub fn minimal(doc: &Value, schema: &Value, depth: usize) -> Value {
    let schema = resolve(doc, schema);
    if let Some(first) = list(schema, "enum").first() {
        return first.clone();
    }
    if required_lists(schema).is_none() {
        if let Some(first) = alternatives(schema).first() {
            return minimal(doc, first, depth + 1);
        }
    }
    match schema.get("type").and_then(Value::as_str) {
        Some("string") => {
            let min = schema.get("minLength").and_then(Value::as_u64).unwrap_or(0) as usize;
            match schema.get("format").and_then(Value::as_str) {
                Some("uuid") => json!("8a88a590-e1c3-41e2-a502-e0649dbf721c"),
                Some("email") => json!("ada@example.com"),
                Some("date-time") => json!("2024-06-01T12:00:00Z"),
                Some("date") => json!("2024-06-01"),
                Some("uri") => json!("https://example.com/"),
                _ if min > 2 => json!("a".repeat(min)),
                _ => json!("x1"),
            }
        }
        Some("integer") => json!(1),
        Some("number") => json!(1.5),
        Some("boolean") => json!(true),
        Some("array") => {
            let min = schema.get("minItems").and_then(Value::as_u64).unwrap_or(0);
            match schema.get("items") {
                Some(items) if min > 0 && depth < MAX_DEPTH => {
                    json!([minimal(doc, items, depth + 1)])
                }
                _ => json!([]),
            }
        }
        _ if is_object_schema(doc, schema) => {
            if depth > MAX_DEPTH {
                return json!({});
            }
            repair_object(doc, schema, Map::new(), depth, &mut 0)
        }
        _ => json!({}),
    }
}

/// Whether `value` plausibly is an instance of `schema`: an object with all required keys and
/// every enum-typed key holding one of its values; otherwise the same JSON type.
fn fits(doc: &Value, schema: &Value, value: &Value) -> bool {
    let schema = resolve(doc, schema);
    if let Some(values) = schema.get("enum").and_then(Value::as_array) {
        return values.contains(value);
    }
    if is_object_schema(doc, schema) {
        let Some(object) = value.as_object() else {
            return false;
        };
        let mut parts = ObjectParts {
            properties: Vec::new(),
            required: Vec::new(),
            additional: None,
        };
        object_parts(doc, schema, &mut parts, 0);
        return parts.required.iter().all(|r| object.contains_key(*r))
            && parts.properties.iter().all(|(name, prop)| {
                let prop = resolve(doc, prop);
                match (
                    object.get(*name),
                    prop.get("enum").and_then(Value::as_array),
                ) {
                    (Some(v), Some(values)) => values.contains(v),
                    _ => true,
                }
            });
    }
    match schema.get("type").and_then(Value::as_str) {
        Some("string") => value.is_string(),
        Some("integer") => value.is_i64() || value.is_u64(),
        Some("number") => value.is_number(),
        Some("boolean") => value.is_boolean(),
        Some("array") => value.is_array(),
        _ => true,
    }
}

/// `value` made valid against `schema`, counting each change in `changes`.
pub fn repair(doc: &Value, schema: &Value, value: Value, changes: &mut usize) -> Value {
    repair_at(doc, schema, value, 0, changes)
}

fn repair_at(
    doc: &Value,
    schema: &Value,
    value: Value,
    depth: usize,
    changes: &mut usize,
) -> Value {
    let schema = resolve(doc, schema);
    if value.is_null() {
        if schema.get("nullable") == Some(&Value::Bool(true)) || schema.is_null() {
            return value;
        }
        *changes += 1;
        return minimal(doc, schema, depth);
    }
    if required_lists(schema).is_none() {
        let alts = alternatives(schema);
        if !alts.is_empty() {
            let chosen = alts
                .iter()
                .find(|a| fits(doc, a, &value))
                .or_else(|| alts.first());
            return match chosen {
                Some(alt) => repair_at(doc, alt, value, depth + 1, changes),
                None => value,
            };
        }
    }
    if let Some(values) = schema.get("enum").and_then(Value::as_array) {
        if values.contains(&value) {
            return value;
        }
        let converted = match &value {
            Value::Number(n) => Value::String(n.to_string()),
            other => other.clone(),
        };
        *changes += 1;
        return if values.contains(&converted) {
            converted
        } else {
            values.first().cloned().unwrap_or(value)
        };
    }
    match (schema.get("type").and_then(Value::as_str), value) {
        (Some("string"), Value::String(s)) => Value::String(s),
        (Some("string"), Value::Number(n)) => {
            *changes += 1;
            Value::String(n.to_string())
        }
        (Some("integer"), Value::Number(n)) if n.is_i64() || n.is_u64() => Value::Number(n),
        (Some("integer"), Value::String(s)) if s.parse::<i64>().is_ok() => {
            *changes += 1;
            json!(s.parse::<i64>().unwrap_or_default())
        }
        (Some("number"), Value::Number(n)) => Value::Number(n),
        (Some("boolean"), Value::Bool(b)) => Value::Bool(b),
        (Some("array"), Value::Array(items)) => Value::Array(match schema.get("items") {
            Some(item) => items
                .into_iter()
                .map(|i| repair_at(doc, item, i, depth + 1, changes))
                .collect(),
            None => items,
        }),
        (Some("string" | "integer" | "number" | "boolean" | "array"), _) => {
            *changes += 1;
            minimal(doc, schema, depth)
        }
        (_, Value::Object(object)) if is_object_schema(doc, schema) => {
            repair_object(doc, schema, object, depth, changes)
        }
        (_, _) if is_object_schema(doc, schema) => {
            *changes += 1;
            minimal(doc, schema, depth)
        }
        (_, value) => value,
    }
}

fn repair_object(
    doc: &Value,
    schema: &Value,
    object: Map<String, Value>,
    depth: usize,
    changes: &mut usize,
) -> Value {
    let mut parts = ObjectParts {
        properties: Vec::new(),
        required: Vec::new(),
        additional: None,
    };
    object_parts(doc, schema, &mut parts, 0);
    let mut out = Map::new();
    for (key, value) in object {
        match parts.properties.iter().find(|(name, _)| *name == key) {
            Some((_, prop)) => {
                let value = repair_at(doc, prop, value, depth + 1, changes);
                out.insert(key, value);
            }
            // A typed model keeps undeclared keys only where the schema allows them explicitly.
            None => match parts.additional {
                Some(Value::Bool(false)) | None => *changes += 1,
                Some(Value::Bool(true)) => {
                    out.insert(key, value);
                }
                Some(additional) => {
                    let value = repair_at(doc, additional, value, depth + 1, changes);
                    out.insert(key, value);
                }
            },
        }
    }
    let mut missing: Vec<&str> = parts
        .required
        .iter()
        .copied()
        .filter(|r| !out.contains_key(*r))
        .collect();
    if let Some(lists) = required_lists(resolve(doc, schema)) {
        if !lists.iter().any(|l| l.iter().all(|r| out.contains_key(*r))) {
            if let Some(first) = lists.first() {
                missing.extend(first.iter().filter(|r| !out.contains_key(**r)));
            }
        }
    }
    for name in missing {
        if out.contains_key(name) {
            continue;
        }
        let prop = parts
            .properties
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, p)| *p);
        let value = match prop {
            Some(prop) if depth < MAX_DEPTH => minimal(doc, prop, depth + 1),
            _ => json!("x1"),
        };
        *changes += 1;
        out.insert(name.to_owned(), value);
    }
    Value::Object(out)
}

/// JSON equality where an absent key equals `null` (a required nullable field is sent as null).
pub fn same(sent: &Value, expected: &Value) -> bool {
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

/// The first example of a media type object (`example`, else the first of `examples`).
pub fn first_example(media: Option<&Value>) -> Option<Value> {
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
pub fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// A JSON value as it appears in a URL.
pub fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// One operation's request, as SDK input and as the wire request it implies.
pub struct Case {
    /// Inputs by wire name, body fields inline, a whole body under `body`.
    pub input: Value,
    pub path: String,
    pub query: Vec<(String, String)>,
    pub body: Option<Value>,
    /// The body comes from the spec's request example.
    pub from_example: bool,
    /// Values of the spec's examples repaired to fit their schema.
    pub repaired: usize,
}

/// The parameters of the operation at `pointer` (`/paths/~1x/get`): the path item's, then the
/// operation's, which override a path item parameter with the same name and location (OpenAPI
/// 3.0). References are resolved.
pub fn parameters<'a>(doc: &'a Value, pointer: &str) -> Vec<&'a Value> {
    let item = pointer.rsplit_once('/').map_or("", |(item, _)| item);
    let list = |p: String| {
        doc.pointer(&p)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .map(|v| resolve(doc, v))
            .collect::<Vec<_>>()
    };
    let own = list(format!("{pointer}/parameters"));
    let mut out: Vec<&Value> = list(format!("{item}/parameters"))
        .into_iter()
        .filter(|p| {
            !own.iter()
                .any(|o| o["name"] == p["name"] && o["in"] == p["in"])
        })
        .collect();
    out.extend(own);
    out
}

/// The request for `op`.
pub fn case(_ir: &Ir, doc: &Value, op: &Operation) -> Case {
    let mut input = Map::new();
    let mut path = op.path.clone();
    let mut query = Vec::new();
    let mut body = None;
    let mut from_example = false;
    let mut repaired = 0;
    let spec_params = parameters(doc, &op.pointer);
    if let Some(request) = &op.request {
        for p in &request.params {
            let spec_param = spec_params
                .iter()
                .copied()
                .find(|sp| sp["name"] == p.wire.as_str());
            let schema = spec_param
                .and_then(|sp| sp.get("schema"))
                .unwrap_or(&Value::Null);
            let example = spec_param.and_then(|sp| {
                sp.get("example")
                    .or_else(|| resolve(doc, schema).get("example"))
                    .cloned()
            });
            let value = match (example, p.required) {
                (Some(v), _) => repair(doc, schema, v, &mut repaired),
                (None, true) => minimal(doc, schema, 0),
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
                // Checked by the tests that know the header; not part of the URL.
                ParamLocation::Header => {}
                ParamLocation::QueryObject => {
                    for (k, v) in value.as_object().into_iter().flatten() {
                        query.push((k.clone(), text(v)));
                    }
                }
            }
            input.insert(p.key.clone(), value);
        }
        let media = doc.pointer(&format!(
            "{}/requestBody/content/application~1json",
            op.pointer
        ));
        let schema = media.and_then(|m| m.get("schema")).unwrap_or(&Value::Null);
        let example = first_example(media);
        from_example = example.is_some();
        let value = match example {
            Some(example) => repair(doc, schema, example, &mut repaired),
            None => minimal(doc, schema, 0),
        };
        match &request.body {
            Some(Body::Fields { .. }) => {
                for (k, v) in value.as_object().into_iter().flatten() {
                    input.insert(k.clone(), v.clone());
                }
                body = Some(value);
            }
            Some(Body::Whole { .. }) => {
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
        repaired,
    }
}

/// Every named JSON response example of `op`: `(status, example name, value)`.
pub fn response_examples(doc: &Value, op: &Operation) -> Vec<(String, String, Value)> {
    let responses = doc
        .pointer(&format!("{}/responses", op.pointer))
        .and_then(Value::as_object);
    let mut out = Vec::new();
    for (status, response) in responses.into_iter().flatten() {
        let examples = response
            .pointer("/content/application~1json/examples")
            .and_then(Value::as_object);
        for (name, example) in examples.into_iter().flatten() {
            if let Some(value) = example.get("value") {
                out.push((status.clone(), name.clone(), value.clone()));
            }
        }
    }
    out
}

/// The operation's success status and its first JSON example (if any).
pub fn success(doc: &Value, op: &Operation) -> (u16, Option<Value>) {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn doc() -> Value {
        json!({"components": {"schemas": {
            "kind": {"type": "string", "enum": ["article_content"]},
            "content": {
                "type": "object",
                "required": ["type", "title"],
                "properties": {
                    "type": {"$ref": "#/components/schemas/kind"},
                    "title": {"type": "string"},
                    "author_id": {"type": "integer"},
                    "meta": {"type": "object", "additionalProperties": {"type": "string"}}
                }
            },
            "event": {
                "type": "object",
                "properties": {"name": {"type": "string"}, "id": {"type": "string"}, "email": {"type": "string"}},
                "anyOf": [{"required": ["name", "id"]}, {"required": ["name", "email"]}]
            },
            "close": {"type": "object", "required": ["message_type", "admin_id"], "properties": {
                "message_type": {"type": "string", "enum": ["close"]}, "admin_id": {"type": "string"}}},
            "open": {"type": "object", "required": ["message_type", "admin_id"], "properties": {
                "message_type": {"type": "string", "enum": ["open"]}, "admin_id": {"type": "string"}}},
            "reply": {"oneOf": [{"$ref": "#/components/schemas/close"}, {"$ref": "#/components/schemas/open"}]}
        }}})
    }

    fn schema(name: &str) -> Value {
        json!({"$ref": format!("#/components/schemas/{name}")})
    }

    #[test]
    fn repair_fills_required_fields_converts_types_and_drops_undeclared_keys() {
        let doc = doc();
        let mut changes = 0;
        let fixed = repair(
            &doc,
            &schema("content"),
            json!({"title": "t", "author_id": "12", "extra": 1, "meta": {"a": 5}}),
            &mut changes,
        );
        assert_eq!(
            fixed,
            json!({"type": "article_content", "title": "t", "author_id": 12, "meta": {"a": "5"}})
        );
        // `type` added, `author_id` and `meta.a` converted, `extra` dropped.
        assert_eq!(changes, 4);
    }

    #[test]
    fn repair_satisfies_one_required_list_and_picks_the_union_alternative_that_fits() {
        let doc = doc();
        let mut changes = 0;
        let event = repair(
            &doc,
            &schema("event"),
            json!({"email": "a@b"}),
            &mut changes,
        );
        assert_eq!(event, json!({"email": "a@b", "name": "x1", "id": "x1"}));
        let reply = repair(
            &doc,
            &schema("reply"),
            json!({"message_type": "open", "admin_id": 7}),
            &mut changes,
        );
        assert_eq!(reply, json!({"message_type": "open", "admin_id": "7"}));
        assert_eq!(changes, 3);
    }

    #[test]
    fn a_valid_value_is_left_alone() {
        let doc = doc();
        let mut changes = 0;
        let value = json!({"type": "article_content", "title": "t", "author_id": 3});
        assert_eq!(
            repair(&doc, &schema("content"), value.clone(), &mut changes),
            value
        );
        assert_eq!(changes, 0);
        assert_eq!(
            minimal(&doc, &schema("content"), 0),
            json!({"type": "article_content", "title": "x1"})
        );
    }

    #[test]
    fn path_item_parameters_are_merged_and_overridden_by_the_operation() {
        let doc = serde_json::json!({
            "paths": {"/things/{id}": {
                "parameters": [
                    {"name": "id", "in": "path", "schema": {"type": "string"}},
                    {"$ref": "#/components/parameters/version"},
                    {"name": "page", "in": "query", "schema": {"type": "integer"}}
                ],
                "get": {"parameters": [
                    {"name": "page", "in": "query", "schema": {"type": "string"}, "example": "2"}
                ]}
            }},
            "components": {"parameters": {"version": {"name": "Intercom-Version", "in": "header"}}}
        });
        let params = parameters(&doc, "/paths/~1things~1{id}/get");
        let names: Vec<(&str, &str)> = params
            .iter()
            .map(|p| (p["name"].as_str().unwrap(), p["in"].as_str().unwrap()))
            .collect();
        assert_eq!(
            names,
            [
                ("id", "path"),
                ("Intercom-Version", "header"),
                ("page", "query")
            ]
        );
        assert_eq!(params[2]["example"], "2");
    }
}
