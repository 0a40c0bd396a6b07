//! End-to-end conformance against Prism (`@stoplight/prism-cli`, pinned by `scripts/prism/`), a
//! mock server that validates every request against the OpenAPI description and answers with the
//! spec's examples.
//!
//! The test regenerates the overlay-fixed 2.11 description and writes it where `cargo xtask
//! codegen` does (`build/spec/2.11/openapi.json`; upstream 2.11 does not even start in Prism, because
//! of its dangling `custom_attributes` reference). Prism serves a copy of it with Prism's own flaws
//! worked around (`openapi.prism.json`, below). Prism starts once, through `scripts/prism.sh serve`,
//! which installs the pinned version into `.tools/prism` when needed. Then:
//!
//! 1. every operation is called through the SDK with the request `intercom_tests::cases` builds
//!    (the spec's request example repaired to fit its schema, or minimal valid values) and must get
//!    a 2xx answer that decodes into the typed response. A 422 (or a documented 400/422, whose
//!    example Prism returns instead of its own report) fails the test with Prism's validation
//!    messages from its log;
//! 2. Prism must demonstrably validate each JSON body: the same operation with a body of the wrong
//!    type is rejected. An operation whose body Prism accepts anyway is reported as "not
//!    validated" and not counted as validated;
//! 3. error paths: each operation that documents a 404 (else a 401) is called again with
//!    `Prefer: code=404` (or 401) through the per-request options and must fail with the typed API
//!    error: the status, `is_not_found()`/`is_unauthorized()`, and the parsed `error.list` when the
//!    spec's example has one;
//! 4. a nested search filter (an OR inside an AND) through the typed request, on each search.
//!
//! Prism's flaws (5.14.2), and what the test does about each:
//! - A `nullable: true` without a `type` next to a `oneOf` (`single_filter_search_request.value`)
//!   silently turns off validation of the whole body, here of the three search operations: Prism
//!   accepted `[]` as a search request. The Prism copy drops that `nullable` (stricter: `null` is
//!   then rejected; the test never sends it). Where the alternatives are all objects (18 places,
//!   mostly where the overlay's `ref-siblings` rule wrapped a `$ref` beside `nullable`), it adds
//!   `type: object` instead, which keeps `null` valid. Check 2 proves the bodies are validated now.
//! - An exploded query object whose schema is only a `oneOf` (`GET /events` `filter`: `user_id`,
//!   `intercom_user_id` or `email`) is never found in the query: Prism rejects every spelling of
//!   it. The copy lifts the alternatives' properties to the top level, and the `oneOf` still
//!   validates.
//! - On DELETE, Prism ignores a body that is not a JSON object (a wrong-typed object is rejected).
//!   Check 2 therefore also tries an object whose every declared property has the wrong type.
//! - The mutually recursive search filter schemas were reported to make Prism reject valid nested
//!   filters. With the copy above, 5.14.2 accepts valid nested filters and rejects invalid ones;
//!   check 4 keeps it that way.
//! - A request that fails validation and carries a key with a character above U+00FF crashes
//!   Prism. The requests here come from the spec's ASCII examples; should Prism die anyway, the test
//!   stops, naming the operation and Prism's last log lines.
//!
//! The server is stopped on every exit path: the guard closes Prism's stdin on drop (also while
//! unwinding from a failed assertion), and `scripts/prism.sh` stops Prism when its stdin ends, which
//! also happens when this process is killed.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use codegen::ir::{Operation, ResponseBody};
use intercom_sdk::{Client, Error, RequestOptions};
use intercom_tests::cases::{case, first_example, resolve};
use serde_json::Value;

/// A running Prism. Dropping it stops the server.
struct Prism {
    child: Child,
    stdin: Option<ChildStdin>,
    log: Arc<Mutex<Vec<String>>>,
}

impl Prism {
    /// Starts Prism on a free port and returns it with its base URL.
    fn start(spec: &Path) -> (Prism, String) {
        let script = intercom_tests::root().join("scripts/prism.sh");
        let mut child = Command::new("bash")
            .arg(&script)
            .arg("serve")
            .arg(spec)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot run {}: {e}", script.display()));
        let stdout = child.stdout.take().expect("piped stdout");
        let stdin = child.stdin.take();
        let log = Arc::new(Mutex::new(Vec::new()));
        let prism = Prism {
            child,
            stdin,
            log: Arc::clone(&log),
        };
        let (ready, listening) = mpsc::channel();
        std::thread::spawn(move || {
            const MARK: &str = "Prism is listening on ";
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(at) = line.find(MARK) {
                    let _ = ready.send(line[at + MARK.len()..].trim().to_owned());
                }
                if let Ok(mut log) = log.lock() {
                    log.push(line);
                }
            }
        });
        // Installing Prism on a cold machine takes ~20 s; this only bounds a hung install.
        match listening.recv_timeout(Duration::from_secs(600)) {
            Ok(url) => (prism, url),
            Err(_) => panic!(
                "Prism did not start (needs Node.js and npm; see scripts/prism.sh). Its log:\n{}",
                prism.tail(40)
            ),
        }
    }

    /// The last `n` lines of Prism's log.
    fn tail(&self, n: usize) -> String {
        let log = self.log.lock().map(|l| l.clone()).unwrap_or_default();
        log[log.len().saturating_sub(n)..].join("\n")
    }

    /// Prism's log lines from `from` on.
    fn since(&self, from: usize) -> Vec<String> {
        self.log
            .lock()
            .map(|l| l.get(from..).unwrap_or_default().to_vec())
            .unwrap_or_default()
    }

    fn log_len(&self) -> usize {
        self.log.lock().map(|l| l.len()).unwrap_or_default()
    }

    fn alive(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }
}

impl Drop for Prism {
    fn drop(&mut self) {
        // End of stdin stops Prism (see scripts/prism.sh); then reap the script.
        drop(self.stdin.take());
        let _ = self.child.wait();
    }
}

/// What the Prism copy of the description changes, by kind.
#[derive(Debug, Default)]
struct Adaptations {
    /// `nullable: true` without `type` beside `allOf`/`oneOf`/`anyOf` of objects: `type: object` added.
    typed_nullable: Vec<String>,
    /// The same beside alternatives that are not all objects: `nullable` dropped (stricter).
    dropped_nullable: Vec<String>,
    /// Exploded query objects whose schema is only a `oneOf`: the alternatives' properties copied
    /// to the top level.
    query_objects: Vec<String>,
}

/// The `allOf`, `oneOf` and `anyOf` members of a schema object.
fn alternatives(schema: &serde_json::Map<String, Value>) -> Vec<Value> {
    ["allOf", "oneOf", "anyOf"]
        .iter()
        .filter_map(|k| schema.get(*k).and_then(Value::as_array))
        .flatten()
        .cloned()
        .collect()
}

/// The description Prism serves: the fixed one, with Prism's flaws worked around (see the module
/// docs). Every change is recorded by its JSON pointer.
fn prism_document(fixed: &Value) -> (Value, Adaptations) {
    fn walk(doc: &Value, node: &mut Value, pointer: String, out: &mut Adaptations) {
        match node {
            Value::Object(map) => {
                let alts = alternatives(map);
                if map.get("nullable") == Some(&Value::Bool(true))
                    && !map.contains_key("type")
                    && !alts.is_empty()
                {
                    let objects = alts.iter().all(|a| {
                        resolve(doc, a).get("type").and_then(Value::as_str) == Some("object")
                    });
                    if objects {
                        map.insert("type".to_owned(), Value::from("object"));
                        out.typed_nullable.push(pointer.clone());
                    } else {
                        map.remove("nullable");
                        out.dropped_nullable.push(pointer.clone());
                    }
                }
                let exploded_query = map.get("in") == Some(&Value::from("query"))
                    && map.get("explode") != Some(&Value::Bool(false));
                if exploded_query {
                    if let Some(Value::Object(schema)) = map.get_mut("schema") {
                        if !schema.contains_key("properties") {
                            let mut merged = serde_json::Map::new();
                            for alt in alternatives(schema) {
                                let alt = resolve(doc, &alt);
                                for (k, v) in alt
                                    .get("properties")
                                    .and_then(Value::as_object)
                                    .into_iter()
                                    .flatten()
                                {
                                    merged.insert(k.clone(), v.clone());
                                }
                            }
                            if !merged.is_empty() {
                                schema.insert("properties".to_owned(), Value::Object(merged));
                                out.query_objects.push(pointer.clone());
                            }
                        }
                    }
                }
                for (k, v) in map.iter_mut() {
                    let key = k.replace('~', "~0").replace('/', "~1");
                    walk(doc, v, format!("{pointer}/{key}"), out);
                }
            }
            Value::Array(items) => {
                for (i, v) in items.iter_mut().enumerate() {
                    walk(doc, v, format!("{pointer}/{i}"), out);
                }
            }
            _ => {}
        }
    }
    let mut doc = fixed.clone();
    let mut out = Adaptations::default();
    walk(fixed, &mut doc, String::new(), &mut out);
    (doc, out)
}

/// The statuses an operation documents.
fn documented(doc: &Value, op: &Operation) -> Vec<String> {
    doc.pointer(&format!("{}/responses", op.pointer))
        .and_then(Value::as_object)
        .map(|r| r.keys().cloned().collect())
        .unwrap_or_default()
}

/// Prism's validator messages among `lines` (its log of one request).
fn violations(lines: &[String]) -> String {
    let found: Vec<&str> = lines
        .iter()
        .filter(|l| l.contains("[VALIDATOR]") && !l.contains("success"))
        .map(|l| l.trim())
        .collect();
    if found.is_empty() {
        "(no validator message in Prism's log)".to_owned()
    } else {
        found.join("\n      ")
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_operation_passes_prism_validation_and_decodes() {
    let started = Instant::now();
    let generated = intercom_tests::generate("2.11");
    let (ir, doc) = (&generated.ir, &generated.spec.fixed);
    let spec_dir = intercom_tests::root().join("build/spec/2.11");
    std::fs::create_dir_all(&spec_dir).expect("create build/spec/2.11");
    // The description the SDK was generated from (as `cargo xtask codegen` writes it), and the copy
    // Prism serves, with its flaws worked around.
    std::fs::write(spec_dir.join("openapi.json"), &generated.fixed_spec)
        .expect("write the fixed description");
    let (served, adaptations) = prism_document(doc);
    let spec = spec_dir.join("openapi.prism.json");
    std::fs::write(&spec, served.to_string()).expect("write Prism's copy");

    let (mut prism, base) = Prism::start(&spec);
    let startup = started.elapsed();
    let client = Client::builder()
        .token("prism-token")
        .base_url(&base)
        .max_retries(0)
        .build()
        .expect("client");
    let raw = reqwest::Client::new();

    let mut failures = Vec::new();
    let mut not_validated = Vec::new();
    let mut bodies_validated = 0;
    let mut validated = 0;
    let mut error_paths = 0;
    for op in &ir.operations {
        let case = case(ir, doc, op);

        // 1. The SDK's request passes validation, and the answer decodes.
        let mark = prism.log_len();
        let result = intercom_sdk::__conformance::call(
            &client,
            &op.key,
            case.input.clone(),
            Default::default(),
        )
        .await;
        let passed = match result {
            None => Some(format!("{}: no generated call", op.key)),
            Some(Ok(())) => None,
            Some(Err(Error::Api(e))) => Some(format!(
                "{}: HTTP {}: {}\n      {}\n      request input: {}",
                op.key,
                e.status(),
                e.body_text(),
                violations(&prism.since(mark)),
                case.input
            )),
            Some(Err(e)) => Some(format!(
                "{}: {e}\n      request input: {}",
                op.key, case.input
            )),
        }
        .map(|failure| failures.push(failure))
        .is_none();
        if !prism.alive() {
            panic!(
                "Prism died while answering {}. Its last log lines:\n{}",
                op.key,
                prism.tail(30)
            );
        }

        // 2. Prism validates this body: a body of the wrong JSON type (`[]`) is rejected, or, as
        // Prism ignores a non-object body on DELETE, an object whose every declared property holds
        // a nested array (a wrong type for any scalar, object or array-of-scalars property).
        if case.body.is_some() && op.response != ResponseBody::Binary {
            let body_schema = doc
                .pointer(&format!(
                    "{}/requestBody/content/application~1json/schema",
                    op.pointer
                ))
                .map(|s| resolve(doc, s));
            let wrong_fields: serde_json::Map<String, Value> = body_schema
                .and_then(|s| s.get("properties"))
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
                .map(|(k, _)| (k.clone(), serde_json::json!([[]])))
                .collect();
            let mut rejected = None;
            for control in [Value::Array(Vec::new()), Value::Object(wrong_fields)] {
                let answer = raw
                    .request(
                        op.method.parse().expect("HTTP method"),
                        format!("{base}{}", case.path),
                    )
                    .query(&case.query)
                    .bearer_auth("prism-token")
                    .header("Intercom-Version", "2.11")
                    .json(&control)
                    .send()
                    .await;
                match answer.map(|a| a.status()) {
                    Ok(status) if status.is_success() => rejected = Some(false),
                    Ok(_) => {
                        rejected = Some(true);
                        break;
                    }
                    Err(e) => {
                        failures.push(format!("{}: control request failed: {e}", op.key));
                        break;
                    }
                }
            }
            match rejected {
                Some(true) => {
                    bodies_validated += 1;
                    validated += usize::from(passed);
                }
                Some(false) => not_validated.push(op.key.clone()),
                None => {}
            }
        } else {
            validated += usize::from(passed);
        }
        if !passed {
            // An invalid request gets a 422 whatever it prefers: nothing more to learn here.
            continue;
        }

        // 3. Error paths: a documented 404 (else 401) is the typed API error.
        let statuses = documented(doc, op);
        let Some(code) = ["404", "401"]
            .into_iter()
            .find(|c| statuses.iter().any(|s| s == c))
        else {
            continue;
        };
        let example = first_example(doc.pointer(&format!(
            "{}/responses/{code}/content/application~1json",
            op.pointer
        )));
        let expects_list = example
            .as_ref()
            .and_then(|e| e.get("errors"))
            .and_then(Value::as_array)
            .is_some_and(|l| !l.is_empty());
        let options = RequestOptions::new().header("Prefer", format!("code={code}"));
        let result =
            intercom_sdk::__conformance::call(&client, &op.key, case.input.clone(), options).await;
        let problem = match result {
            Some(Err(e)) => {
                let kind_ok = if code == "404" {
                    e.is_not_found()
                } else {
                    e.is_unauthorized()
                };
                let status = e.status().map(|s| s.as_u16().to_string());
                if status.as_deref() != Some(code) || !kind_ok {
                    Some(format!("expected a typed {code}, got {e}"))
                } else if expects_list && e.errors().is_empty() {
                    Some(format!("{code} without its parsed error list: {e}"))
                } else {
                    None
                }
            }
            Some(Ok(())) => Some(format!("Prefer: code={code} answered with success")),
            None => Some("no generated call".to_owned()),
        };
        match problem {
            Some(p) => failures.push(format!("{} (error path): {p}", op.key)),
            None => error_paths += 1,
        }
    }

    // 4. A nested search filter (an OR inside an AND), through the typed request, on every search.
    let nested = serde_json::json!({
        "query": {"operator": "AND", "value": [
            {"field": "created_at", "operator": ">", "value": "1306054154"},
            {"operator": "OR", "value": [
                {"field": "name", "operator": "~", "value": "Ada"},
                {"field": "id", "operator": "IN", "value": ["a1", "b2"]}
            ]}
        ]},
        "pagination": {"per_page": 5}
    });
    let mut nested_searches = 0;
    for key in [
        "POST /contacts/search",
        "POST /conversations/search",
        "POST /tickets/search",
    ] {
        let mark = prism.log_len();
        match intercom_sdk::__conformance::call(&client, key, nested.clone(), Default::default())
            .await
        {
            Some(Ok(())) => nested_searches += 1,
            Some(Err(e)) => failures.push(format!(
                "{key} (nested filter): {e}\n      {}",
                violations(&prism.since(mark))
            )),
            None => failures.push(format!("{key}: no generated call")),
        }
    }
    drop(prism);

    let with_body = bodies_validated + not_validated.len();
    println!(
        "Prism: {validated}/{} operations validated by Prism and decoded, in {:.1?} (Prism ready \
         after {startup:.1?}). JSON bodies Prism demonstrably validates: {bodies_validated}/{with_body}; \
         not validated (Prism accepted a body of the wrong type): {} [{}]. Typed error paths: \
         {error_paths}. Nested search filters accepted: {nested_searches}/3. Prism copy of the description: `type: object` added beside {} typeless \
         nullable compositions, `nullable` dropped from {} [{}], properties lifted into {} exploded \
         query objects [{}].",
        ir.operations.len(),
        started.elapsed(),
        not_validated.len(),
        not_validated.join(", "),
        adaptations.typed_nullable.len(),
        adaptations.dropped_nullable.len(),
        adaptations.dropped_nullable.join(", "),
        adaptations.query_objects.len(),
        adaptations.query_objects.join(", "),
    );
    assert_eq!(ir.operations.len(), 108);
    assert!(
        failures.is_empty(),
        "{} Prism checks failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
