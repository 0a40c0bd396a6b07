//! The per-request `tracing` span: its fields, and that no secret is
//! recorded. Uses a minimal recording subscriber (no extra dependency).

use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use intercom_sdk::__private::{Method, RequestSpec};
use intercom_sdk::{Call, Client};
use serde_json::{Value, json};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};
use wiremock::matchers::path;
use wiremock::{Mock, MockServer, ResponseTemplate};

const TOKEN: &str = "tok_TRACE_SECRET_987";

#[derive(Default)]
struct State {
    /// (span name, recorded (field, value) pairs in order)
    spans: Vec<(&'static str, Vec<(String, String)>)>,
    /// Every event, formatted as `field=value` pairs.
    events: Vec<String>,
}

#[derive(Clone, Default)]
struct Recorder(Arc<Mutex<State>>);

struct Fields<'a>(&'a mut Vec<(String, String)>);

impl Visit for Fields<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        self.0.push((field.name().to_owned(), format!("{value:?}")));
    }
}

impl Subscriber for Recorder {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }

    fn new_span(&self, attrs: &Attributes<'_>) -> Id {
        let mut fields = Vec::new();
        attrs.record(&mut Fields(&mut fields));
        let mut state = self.0.lock().expect("recorder lock");
        state.spans.push((attrs.metadata().name(), fields));
        Id::from_u64(state.spans.len() as u64)
    }

    fn record(&self, span: &Id, values: &Record<'_>) {
        let mut state = self.0.lock().expect("recorder lock");
        let index = span.into_u64() as usize - 1;
        if let Some((_, fields)) = state.spans.get_mut(index) {
            values.record(&mut Fields(fields));
        }
    }

    fn record_follows_from(&self, _: &Id, _: &Id) {}

    fn event(&self, event: &Event<'_>) {
        let mut fields = Vec::new();
        event.record(&mut Fields(&mut fields));
        let line = fields
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join(" ");
        self.0.lock().expect("recorder lock").events.push(line);
    }

    fn enter(&self, _: &Id) {}

    fn exit(&self, _: &Id) {}
}

fn last(fields: &[(String, String)], name: &str) -> Option<String> {
    fields
        .iter()
        .rev()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.clone())
}

#[tokio::test]
async fn one_span_per_request_with_method_path_attempt_and_status() {
    let recorder = Recorder::default();
    let _guard = tracing::subscriber::set_default(recorder.clone());

    let server = MockServer::start().await;
    Mock::given(path("/contacts/abc"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(path("/contacts/abc"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "abc"})))
        .mount(&server)
        .await;
    let client = Client::builder()
        .token(TOKEN)
        .base_url(server.uri())
        .sleeper(|_: Duration| async {})
        .build()
        .expect("config");
    let spec = RequestSpec::new(
        Method::GET,
        "/contacts/{contact_id}",
        "/contacts/abc".into(),
    );
    let v: Value = Call::new(&client, spec)
        .header("x-secret-header", TOKEN)
        .await
        .expect("second attempt succeeds");
    assert_eq!(v, json!({"id": "abc"}));

    let state = recorder.0.lock().expect("recorder lock");
    let spans: Vec<_> = state
        .spans
        .iter()
        .filter(|(name, _)| *name == "intercom.request")
        .collect();
    assert_eq!(spans.len(), 1, "one span per request, not per attempt");
    let fields = &spans[0].1;
    assert_eq!(last(fields, "method").as_deref(), Some("GET"));
    assert_eq!(
        last(fields, "path").as_deref(),
        Some("\"/contacts/{contact_id}\"")
    );
    assert_eq!(last(fields, "attempt").as_deref(), Some("2"));
    assert_eq!(last(fields, "status").as_deref(), Some("200"));
    let statuses: Vec<_> = fields
        .iter()
        .filter(|(k, _)| k == "status")
        .map(|(_, v)| v.as_str())
        .collect();
    assert_eq!(statuses, vec!["503", "200"]);
    assert!(
        state
            .events
            .iter()
            .any(|e| e.contains("retrying") && e.contains("HTTP 503")),
        "{:?}",
        state.events
    );

    let everything = format!("{:?} {:?}", state.spans, state.events);
    assert!(!everything.contains(TOKEN), "secret recorded: {everything}");
}
