//! The four targets: model decoding, header parsing, path encoding and the
//! generator.

use std::path::Path;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use codegen::config::Overlay;
use codegen::diag::{Diagnostics, Level};
use codegen::ir::{Body, ResponseBody, Ty};
use percent_encoding::percent_decode_str;
use reqwest::header::{HeaderMap, HeaderValue};
use serde_json::{json, Value};

use crate::mutate::{self, INTERESTING_STRINGS};
use crate::{Outcome, Rng, Target};

/// The pinned 2.11 description, generated once: the IR and the fixed document.
pub struct Corpus {
    pub doc: Value,
    pub overlay: Overlay,
    /// `(model name, example body)` for every JSON response example.
    pub examples: Vec<(String, Value)>,
    /// Every model name.
    pub models: Vec<String>,
}

impl Corpus {
    /// Generates from the pinned description (`$INTERCOM_OPENAPI_DIR`).
    pub fn load() -> Corpus {
        let generated = intercom_tests::generate("2.11");
        let overlay =
            Overlay::load(&intercom_tests::root().join("spec/overlay.yaml")).unwrap_or_default();
        let doc = generated.spec.fixed;
        let mut examples = Vec::new();
        for op in &generated.ir.operations {
            // Request bodies too: their models are decoded by callers (and held the nested
            // search-query unions).
            let body_model = match op.request.as_ref().and_then(|r| r.body.as_ref()) {
                Some(Body::Fields {
                    model: Some(model), ..
                }) => Some(model.clone()),
                Some(Body::Whole {
                    ty: Ty::Named(name),
                    ..
                }) => Some(name.clone()),
                _ => None,
            };
            let media = doc.pointer(&format!(
                "{}/requestBody/content/application~1json",
                op.pointer
            ));
            if let (Some(model), Some(example)) =
                (body_model, intercom_tests::cases::first_example(media))
            {
                examples.push((model, example));
            }
            if let ResponseBody::Json(Ty::Named(name)) = &op.response {
                for (status, _, value) in intercom_tests::cases::response_examples(&doc, op) {
                    if status.starts_with('2') {
                        examples.push((name.clone(), value));
                    }
                }
            }
        }
        let models = generated.ir.types.keys().cloned().collect();
        Corpus {
            doc,
            overlay,
            examples,
            models,
        }
    }
}

// ------------------------------------------------------------------ models

/// Decodes mutated response examples, arbitrary values and arbitrary bytes
/// into the generated models. Property: no panic, bounded time (decoding
/// may fail: that is an error value, not a finding).
pub struct Models<'c> {
    pub corpus: &'c Corpus,
}

pub enum ModelInput {
    Value(String, Value),
    Bytes(String, Vec<u8>),
}

impl Target for Models<'_> {
    type Input = ModelInput;

    fn name(&self) -> &'static str {
        "models"
    }

    fn generate(&mut self, rng: &mut Rng) -> ModelInput {
        let corpus = self.corpus;
        match rng.below(10) {
            // Arbitrary value into an arbitrary model.
            0 => {
                let name = rng.pick(&corpus.models).cloned().unwrap_or_default();
                ModelInput::Value(name, mutate::value(rng, 6))
            }
            // Arbitrary bytes: a serialized example, cut and flipped.
            1 => {
                let (name, example) = rng
                    .pick(&corpus.examples)
                    .cloned()
                    .unwrap_or((String::new(), Value::Null));
                let mut bytes = serde_json::to_vec(&example).unwrap_or_default();
                for _ in 0..1 + rng.below(8) {
                    if bytes.is_empty() {
                        break;
                    }
                    let i = rng.below(bytes.len());
                    match rng.below(3) {
                        0 => bytes[i] = rng.next_u64() as u8,
                        1 => bytes.truncate(i),
                        _ => {
                            const JSON_BYTES: &[u8] = b"{}[]\",:0-e.\\";
                            bytes.insert(i, JSON_BYTES[rng.below(JSON_BYTES.len())]);
                        }
                    }
                }
                ModelInput::Bytes(name, bytes)
            }
            // A mutated example into its own model.
            _ => {
                let (name, mut example) = rng
                    .pick(&corpus.examples)
                    .cloned()
                    .unwrap_or((String::new(), Value::Null));
                let donor = rng
                    .pick(&corpus.examples)
                    .map(|(_, v)| v.clone())
                    .unwrap_or(Value::Null);
                mutate::mutate(&mut example, rng, &[&donor], &[], 4);
                ModelInput::Value(name, example)
            }
        }
    }

    fn check(&mut self, input: &ModelInput) -> Outcome {
        let (name, value) = match input {
            ModelInput::Value(name, value) => (name, value.clone()),
            ModelInput::Bytes(name, bytes) => match serde_json::from_slice::<Value>(bytes) {
                Ok(value) => (name, value),
                Err(_) => return Outcome::Pass { kind: "not JSON" },
            },
        };
        match intercom_sdk::__conformance::decode(name, value) {
            Some(Ok(())) => Outcome::Pass { kind: "decoded" },
            Some(Err(_)) => Outcome::Pass {
                kind: "decode error",
            },
            None => Outcome::Finding(format!("no model named `{name}`")),
        }
    }

    fn show(&self, input: &ModelInput) -> String {
        match input {
            ModelInput::Value(name, value) => format!("{name} <- {value}"),
            ModelInput::Bytes(name, bytes) => {
                format!("{name} <- {}", String::from_utf8_lossy(bytes))
            }
        }
    }

    fn slow_limit(&self) -> Duration {
        Duration::from_secs(1)
    }
}

// ------------------------------------------------------------------ headers

/// `Retry-After` and `X-RateLimit-*` values, including overflowing numbers,
/// fractions, dates far in the past and future, and garbage. Property: no
/// panic; digits-only values parse to exactly that many seconds (saturating);
/// a `RateLimit` from valid numbers gives a reset time or `None`, never a
/// panic.
pub struct Headers;

pub struct HeaderInput {
    value: String,
    now_secs: u64,
}

impl Target for Headers {
    type Input = HeaderInput;

    fn name(&self) -> &'static str {
        "headers"
    }

    fn generate(&mut self, rng: &mut Rng) -> HeaderInput {
        let value = match rng.below(8) {
            0 => rng.next_u64().to_string(),
            1 => format!("{}{}", rng.next_u64(), rng.next_u64()),
            2 => format!("{}.{}", rng.below(1 << 20), rng.next_u64()),
            3 => format!("-{}", rng.next_u64()),
            4 => {
                let secs = rng.next_u64() % 253_402_300_800; // up to year 9999
                httpdate::fmt_http_date(UNIX_EPOCH + Duration::from_secs(secs))
            }
            5 => rng
                .pick(INTERESTING_STRINGS)
                .copied()
                .unwrap_or("")
                .to_owned(),
            6 => format!("{}e{}", rng.below(100), rng.below(400)),
            _ => mutate::string(rng),
        };
        HeaderInput {
            value,
            now_secs: rng.next_u64() % (1 << 36),
        }
    }

    fn check(&mut self, input: &HeaderInput) -> Outcome {
        let now = UNIX_EPOCH + Duration::from_secs(input.now_secs);
        let v = input.value.as_str();
        let after = intercom_sdk::__private::parse_retry_after(v, now);
        let _ = intercom_sdk::__private::parse_rate_limit_reset(v, now);
        let trimmed = v.trim();
        if !trimmed.is_empty() && trimmed.bytes().all(|b| b.is_ascii_digit()) {
            let expected = Duration::from_secs(trimmed.parse::<u64>().unwrap_or(u64::MAX));
            if after != Some(expected) {
                return Outcome::Finding(format!("Retry-After {v:?} gave {after:?}"));
            }
        }
        let Ok(header) = HeaderValue::from_str(v) else {
            return Outcome::Pass {
                kind: "not a header value",
            };
        };
        let mut headers = HeaderMap::new();
        headers.insert("x-ratelimit-limit", HeaderValue::from_static("100"));
        headers.insert("x-ratelimit-remaining", header.clone());
        headers.insert("x-ratelimit-reset", header);
        match intercom_sdk::RateLimit::from_headers(&headers) {
            Some(limit) => {
                let _ = limit
                    .reset_at()
                    .map(|at| at.duration_since(SystemTime::now()));
                Outcome::Pass { kind: "rate limit" }
            }
            None => Outcome::Pass {
                kind: "not a rate limit",
            },
        }
    }

    fn show(&self, input: &HeaderInput) -> String {
        format!("{:?} at now={}", input.value, input.now_secs)
    }
}

// ------------------------------------------------------------------ paths

/// Path parameter values. Property: a value is refused only when it is
/// empty, `.` or `..`; an accepted value, once the URL is parsed the way
/// reqwest parses it, is exactly one path segment that decodes back to the
/// value (no escape, no lost segment).
pub struct Paths;

impl Target for Paths {
    type Input = String;

    fn name(&self) -> &'static str {
        "paths"
    }

    fn generate(&mut self, rng: &mut Rng) -> String {
        match rng.below(4) {
            0 => rng
                .pick(INTERESTING_STRINGS)
                .copied()
                .unwrap_or("")
                .to_owned(),
            1 => {
                let parts = [
                    "..", ".", "/", "%2e", "%2E", "%", "2e", "\\", "?", "#", ";", "a",
                ];
                (0..rng.below(6))
                    .map(|_| *rng.pick(&parts).unwrap_or(&"a"))
                    .collect()
            }
            _ => mutate::string(rng),
        }
    }

    fn check(&mut self, id: &String) -> Outcome {
        let template = "/contacts/{contact_id}/tags";
        let encoded = intercom_sdk::__private::encode_path_segment(id);
        let path = format!("/contacts/{encoded}/tags");
        let refused = intercom_sdk::__private::check_path(template, &path).is_err();
        let must_refuse = matches!(id.as_str(), "" | "." | "..");
        if refused != must_refuse {
            return Outcome::Finding(format!(
                "check_path refused={refused} for {id:?} (encoded {encoded:?})"
            ));
        }
        if refused {
            return Outcome::Pass { kind: "refused" };
        }
        let url = match url::Url::parse(&format!("https://api.example.com{path}")) {
            Ok(url) => url,
            Err(e) => return Outcome::Finding(format!("{id:?}: URL does not parse: {e}")),
        };
        // The runtime sets the path on the client's parsed base URL: the same URL.
        if let Ok(mut set) = url::Url::parse("https://api.example.com") {
            set.set_path(&path);
            if set != url {
                return Outcome::Finding(format!("{id:?}: the path set gives {set}, not {url}"));
            }
        }
        let segments: Vec<&str> = url
            .path_segments()
            .map(Iterator::collect)
            .unwrap_or_default();
        let decoded = segments
            .get(1)
            .map(|s| percent_decode_str(s).decode_utf8_lossy().into_owned());
        if segments.len() != 3
            || segments[0] != "contacts"
            || segments[2] != "tags"
            || decoded.as_deref() != Some(id.as_str())
        {
            return Outcome::Finding(format!(
                "{id:?} escaped its segment: the server would see {}",
                url.path()
            ));
        }
        Outcome::Pass {
            kind: "one segment",
        }
    }

    fn show(&self, id: &String) -> String {
        format!("{id:?}")
    }
}

// ------------------------------------------------------------------ generator

/// A small description with the constructs the generator maps: objects,
/// enums, nullable references, maps, unions, compositions, path, query and
/// body parameters, and a cursor-paged list.
pub fn fixture_spec() -> Value {
    json!({
        "openapi": "3.0.1",
        "info": {"title": "fixture", "version": "2.11"},
        "paths": {
            "/contacts": {
                "get": {
                    "operationId": "listContacts",
                    "tags": ["Contacts"],
                    "parameters": [
                        {"name": "per_page", "in": "query", "schema": {"type": "integer"}},
                        {"name": "starting_after", "in": "query", "schema": {"type": "string"}}
                    ],
                    "responses": {"200": {"description": "ok", "content": {"application/json": {
                        "schema": {"$ref": "#/components/schemas/contact_list"}}}}}
                }
            },
            "/contacts/{contact_id}": {
                "parameters": [{"name": "contact_id", "in": "path", "required": true,
                                "schema": {"type": "string"}}],
                "get": {
                    "operationId": "getContact",
                    "tags": ["Contacts"],
                    "responses": {"200": {"description": "ok", "content": {"application/json": {
                        "schema": {"$ref": "#/components/schemas/contact"}}}},
                        "404": {"description": "missing"}}
                },
                "delete": {
                    "operationId": "deleteContact",
                    "tags": ["Contacts"],
                    "responses": {"204": {"description": "gone"}}
                }
            },
            "/contacts/search": {
                "post": {
                    "operationId": "searchContacts",
                    "tags": ["Contacts"],
                    "requestBody": {"content": {"application/json": {
                        "schema": {"$ref": "#/components/schemas/search_request"}}}},
                    "responses": {"200": {"description": "ok", "content": {"application/json": {
                        "schema": {"$ref": "#/components/schemas/contact_list"}}}}}
                }
            }
        },
        "components": {"schemas": {
            "contact": {
                "type": "object",
                "required": ["id", "type"],
                "properties": {
                    "type": {"type": "string", "enum": ["contact"]},
                    "id": {"type": "string"},
                    "role": {"type": "string", "enum": ["user", "lead"]},
                    "email": {"type": "string", "nullable": true},
                    "created_at": {"type": "integer", "format": "int64"},
                    "custom_attributes": {"type": "object", "additionalProperties": true},
                    "location": {"nullable": true, "allOf": [{"$ref": "#/components/schemas/location"}]},
                    "tags": {"type": "array", "items": {"$ref": "#/components/schemas/tag"}}
                }
            },
            "location": {
                "type": "object",
                "properties": {"city": {"type": "string"}, "country": {"type": "string"}}
            },
            "tag": {
                "allOf": [
                    {"$ref": "#/components/schemas/location"},
                    {"type": "object", "properties": {"name": {"type": "string"}}}
                ]
            },
            "contact_list": {
                "type": "object",
                "properties": {
                    "type": {"type": "string", "enum": ["list"]},
                    "data": {"type": "array", "items": {"$ref": "#/components/schemas/contact"}},
                    "pages": {"type": "object", "properties": {
                        "next": {"type": "object", "properties": {
                            "starting_after": {"type": "string"}}}}}
                }
            },
            "search_request": {
                "type": "object",
                "required": ["query"],
                "properties": {
                    "query": {"oneOf": [
                        {"$ref": "#/components/schemas/single_filter"},
                        {"$ref": "#/components/schemas/multiple_filter"}
                    ]},
                    "pagination": {"type": "object", "nullable": true, "properties": {
                        "per_page": {"type": "integer"},
                        "starting_after": {"type": "string", "nullable": true}}}
                }
            },
            "single_filter": {
                "type": "object",
                "properties": {
                    "field": {"type": "string"},
                    "operator": {"type": "string", "enum": ["=", "!=", "~", "<", ">"]},
                    "value": {"oneOf": [{"type": "string"}, {"type": "integer"}, {"type": "null"}]}
                }
            },
            "multiple_filter": {
                "type": "object",
                "properties": {
                    "operator": {"type": "string", "enum": ["AND", "OR"]},
                    "value": {"oneOf": [
                        {"type": "array", "items": {"$ref": "#/components/schemas/multiple_filter"}},
                        {"type": "array", "items": {"$ref": "#/components/schemas/single_filter"}}
                    ]}
                }
            }
        }}
    })
}

/// Mutated descriptions through load, IR and emit. Property: no panic; a
/// description the generator refuses names a JSON pointer for every error;
/// one it accepts yields Rust that parses; bounded time.
pub struct Generator<'c> {
    /// With a corpus, the pinned description is mutated too (slower).
    pub corpus: Option<&'c Corpus>,
    fixture: Value,
}

impl<'c> Generator<'c> {
    pub fn new(corpus: Option<&'c Corpus>) -> Self {
        Generator {
            corpus,
            fixture: fixture_spec(),
        }
    }
}

pub struct SpecInput {
    text: String,
    full: bool,
}

impl Target for Generator<'_> {
    type Input = SpecInput;

    fn name(&self) -> &'static str {
        if self.corpus.is_some() {
            "generator (pinned description)"
        } else {
            "generator"
        }
    }

    fn generate(&mut self, rng: &mut Rng) -> SpecInput {
        let (mut doc, full) = match self.corpus {
            Some(c) if rng.one_in(2) => (c.doc.clone(), true),
            _ => (self.fixture.clone(), false),
        };
        let refs: Vec<String> = doc
            .pointer("/components/schemas")
            .and_then(Value::as_object)
            .map(|m| {
                m.keys()
                    .map(|k| format!("#/components/schemas/{k}"))
                    .chain(["#/components/schemas/missing".to_owned(), "#/".to_owned()])
                    .collect()
            })
            .unwrap_or_default();
        let real = self.corpus.map(|c| &c.doc);
        let fixture = self.fixture.clone();
        let mut donors = vec![&fixture];
        donors.extend(real);
        match rng.below(20) {
            // Whole-document edge cases: not an object, no info, ...
            0 => {
                doc = match rng.below(5) {
                    0 => Value::Null,
                    1 => json!([]),
                    2 => json!({"openapi": "3.0.1", "paths": {}}),
                    3 => mutate::scalar(rng),
                    _ => json!({"openapi": "3.0.1", "info": {"title": "t", "version": "1"}}),
                }
            }
            _ => mutate::mutate(&mut doc, rng, &donors, &refs, 6),
        }
        SpecInput {
            text: serde_json::to_string(&doc).unwrap_or_default(),
            full,
        }
    }

    fn check(&mut self, input: &SpecInput) -> Outcome {
        let overlay = match (input.full, self.corpus) {
            (true, Some(c)) => c.overlay.clone(),
            _ => Overlay::default(),
        };
        let mut diags = Diagnostics::default();
        let parsed = codegen::load::parse_document(
            &input.text,
            Path::new("mutant.json"),
            &overlay,
            &mut diags,
        );
        let api = match parsed {
            Ok((_, api)) => api,
            Err(e @ codegen::Error::Parse { .. }) => {
                return if e.to_string().contains("(at #") {
                    Outcome::Pass {
                        kind: "refused at load",
                    }
                } else {
                    Outcome::Finding(format!("a load error without a pointer: {e}"))
                };
            }
            Err(e) => return Outcome::Finding(format!("unexpected load error: {e}")),
        };
        let ir = codegen::ir::build(&api, &overlay, &mut diags);
        if diags.has_errors() {
            let errors = diags.into_sorted();
            return match errors
                .iter()
                .find(|d| d.level == Level::Error && !d.to_string().contains("(at #"))
            {
                Some(d) => Outcome::Finding(format!("an IR error without a pointer: {d}")),
                None => Outcome::Pass {
                    kind: "refused by the IR",
                },
            };
        }
        match codegen::emit::emit_unformatted(&ir) {
            Ok(_) => Outcome::Pass { kind: "emitted" },
            Err(e) => Outcome::Finding(format!("emit failed: {e}")),
        }
    }

    fn show(&self, input: &SpecInput) -> String {
        input.text.clone()
    }

    fn slow_limit(&self) -> Duration {
        Duration::from_secs(10)
    }
}
