//! The data-export helper against a local server: pending -> in progress -> completed -> download.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use intercom_sdk::Client;
use intercom_sdk::export::{DataExportRun, ExportError};
use intercom_sdk::requests::CreateDataExportRequest;
use serde_json::json;
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn job(status: &str) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({
        "job_identifier": "job1", "status": status,
        "download_url": "", "download_expires_at": ""
    }))
}

fn client(server: &MockServer) -> Client {
    Client::builder()
        .token("tok")
        .base_url(server.uri())
        .build()
        .unwrap()
}

fn fast(run: DataExportRun) -> DataExportRun {
    run.poll_every(Duration::from_millis(5), Duration::from_millis(20))
}

#[tokio::test]
async fn an_export_walks_pending_to_completed_then_downloads() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/export/content/data"))
        .and(body_json(
            json!({"created_at_after": 1714521600, "created_at_before": 1717200000}),
        ))
        .respond_with(job("pending"))
        .expect(1)
        .mount(&server)
        .await;
    // Two polls say pending and in progress, the third completed.
    for status in ["pending", "in_progress"] {
        Mock::given(method("GET"))
            .and(path("/export/content/data/job1"))
            .respond_with(job(status))
            .up_to_n_times(1)
            .expect(1)
            .mount(&server)
            .await;
    }
    Mock::given(method("GET"))
        .and(path("/export/content/data/job1"))
        .respond_with(job("completed"))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/download/content/data/job1"))
        .and(header("accept", "application/octet-stream"))
        .respond_with(ResponseTemplate::new(200).set_body_bytes(&b"\x1f\x8bgzipped csv"[..]))
        .expect(1)
        .mount(&server)
        .await;

    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = Arc::clone(&seen);
    let archive = fast(DataExportRun::new(
        &client(&server),
        CreateDataExportRequest::new(1_714_521_600, 1_717_200_000),
    ))
    .on_status(move |export| {
        log.lock().unwrap().push(
            export
                .status
                .as_ref()
                .map(|s| s.to_string())
                .unwrap_or_default(),
        );
    })
    .await
    .unwrap();
    assert_eq!(archive.export.job_identifier, "job1");
    assert_eq!(
        &archive.body.collect_bytes().await.unwrap()[..],
        b"\x1f\x8bgzipped csv"
    );
    assert_eq!(
        *seen.lock().unwrap(),
        ["pending", "pending", "in_progress", "completed"]
    );
}

#[tokio::test]
async fn an_export_that_fails_or_never_completes_stops_with_a_clear_error() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/export/content/data/job1"))
        .respond_with(job("no_data"))
        .mount(&server)
        .await;
    let err = fast(DataExportRun::resume(&client(&server), "job1"))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, ExportError::Ended { job_identifier, status, .. } if job_identifier == "job1" && status == "no_data"),
        "{err:?}"
    );
    assert!(err.to_string().contains("no_data"), "{err}");

    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/export/content/data/job1"))
        .respond_with(job("in_progress"))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/export/cancel/job1"))
        .respond_with(job("canceled"))
        .expect(1)
        .mount(&server)
        .await;
    let err = fast(DataExportRun::resume(&client(&server), "job1"))
        .max_wait(Duration::from_millis(60))
        .cancel_on_timeout(true)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, ExportError::TimedOut { job_identifier, .. } if job_identifier == "job1"),
        "{err:?}"
    );
    // Bounded: a handful of polls, not an endless loop.
    let polls = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .filter(|r| r.method.as_str() == "GET")
        .count();
    assert!((2..=10).contains(&polls), "{polls} polls");

    // An API error on the way is reported as such.
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(404)
                .set_body_json(json!({"type": "error.list", "errors": [{"code": "not_found"}]})),
        )
        .mount(&server)
        .await;
    let err = fast(DataExportRun::resume(&client(&server), "job1"))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, ExportError::Api(e) if e.is_not_found()),
        "{err:?}"
    );
}
