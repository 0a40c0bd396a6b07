//! `multipart/form-data` bodies against a local server that parses what it receives: file parts
//! from bytes (resent on a retry) and from a stream (sent once), plain fields beside them.

use bytes::Bytes;
use intercom_sdk::__private::{Method, RequestSpec};
use intercom_sdk::{Call, Client, Error, FilePart};
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

fn client(server: &MockServer) -> Client {
    Client::builder()
        .token("tok_test")
        .base_url(server.uri())
        .build()
        .expect("valid client config")
}

/// One received part: name, filename, content type and contents.
#[derive(Debug, PartialEq)]
struct Part {
    name: String,
    filename: Option<String>,
    content_type: Option<String>,
    data: Vec<u8>,
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Parses a `multipart/form-data` request body (RFC 7578) by its boundary.
fn parse(request: &Request) -> Vec<Part> {
    let content_type = request
        .headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .expect("a content type");
    assert!(
        content_type.starts_with("multipart/form-data"),
        "{content_type}"
    );
    let boundary = content_type
        .split("boundary=")
        .nth(1)
        .expect("a boundary")
        .trim_matches('"');
    let delimiter = format!("--{boundary}");
    let mut body: &[u8] = &request.body;
    let mut parts = Vec::new();
    let start = find(body, delimiter.as_bytes()).expect("an opening delimiter");
    body = &body[start + delimiter.len()..];
    while !body.starts_with(b"--") {
        body = body.strip_prefix(b"\r\n").expect("CRLF after a delimiter");
        let end = find(body, format!("\r\n{delimiter}").as_bytes()).expect("a closing delimiter");
        let part = &body[..end];
        body = &body[end + 2 + delimiter.len()..];
        let split = find(part, b"\r\n\r\n").expect("headers end");
        let headers = std::str::from_utf8(&part[..split]).expect("UTF-8 headers");
        let data = part[split + 4..].to_vec();
        let mut parsed = Part {
            name: String::new(),
            filename: None,
            content_type: None,
            data,
        };
        for line in headers.split("\r\n") {
            let (key, value) = line.split_once(':').expect("a header line");
            match key.to_ascii_lowercase().as_str() {
                "content-disposition" => {
                    for param in value.split(';').map(str::trim) {
                        if let Some(v) = param.strip_prefix("name=") {
                            parsed.name = v.trim_matches('"').to_owned();
                        } else if let Some(v) = param.strip_prefix("filename=") {
                            parsed.filename = Some(v.trim_matches('"').to_owned());
                        }
                    }
                }
                "content-type" => parsed.content_type = Some(value.trim().to_owned()),
                _ => {}
            }
        }
        parts.push(parsed);
    }
    parts
}

fn part(name: &str, filename: Option<&str>, content_type: Option<&str>, data: &str) -> Part {
    Part {
        name: name.to_owned(),
        filename: filename.map(str::to_owned),
        content_type: content_type.map(str::to_owned),
        data: data.as_bytes().to_vec(),
    }
}

fn upload(client: &Client, files: &[FilePart]) -> Call<Value> {
    let spec = RequestSpec::new(Method::POST, "/uploads", "/uploads".to_owned())
        .form_text("name", "people")
        .form_text("count", &2)
        .form_text_opt::<String>("missing", None)
        .form_files("file", files);
    Call::new(client, spec)
}

#[tokio::test]
async fn file_parts_and_fields_arrive_as_a_multipart_form_and_are_resent_on_retry() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/uploads"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "0"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/uploads"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"ok": true})))
        .mount(&server)
        .await;
    let files = [
        FilePart::bytes("id,name\n1,Ada\n", "people.csv"),
        FilePart::bytes(vec![0u8, 159, 146, 150], "raw.bin").content_type("application/x-test"),
    ];
    let response = upload(&client(&server), &files).await.unwrap();
    assert_eq!(response, json!({"ok": true}));

    let received = server.received_requests().await.unwrap();
    assert_eq!(received.len(), 2, "a 429 is retried");
    let expected = vec![
        part("name", None, None, "people"),
        part("count", None, None, "2"),
        part(
            "file",
            Some("people.csv"),
            Some("text/csv"),
            "id,name\n1,Ada\n",
        ),
        Part {
            data: vec![0, 159, 146, 150],
            ..part("file", Some("raw.bin"), Some("application/x-test"), "")
        },
    ];
    for request in &received {
        assert_eq!(parse(request), expected);
    }
}

#[tokio::test]
async fn a_streamed_file_is_sent_once_and_not_retried() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/uploads"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "0"))
        .mount(&server)
        .await;
    let chunks = futures::stream::iter(vec![
        Ok::<_, std::io::Error>(Bytes::from_static(b"first,")),
        Ok(Bytes::from_static(b"second")),
    ]);
    let file = FilePart::stream(chunks, "stream.txt");
    let error = upload(&client(&server), &[file]).await.unwrap_err();
    assert!(
        matches!(&error, Error::Api(e) if e.status().as_u16() == 429),
        "{error:?}"
    );

    let received = server.received_requests().await.unwrap();
    assert_eq!(received.len(), 1, "a streamed body is not resent");
    let parts = parse(&received[0]);
    assert_eq!(
        parts[2],
        part(
            "file",
            Some("stream.txt"),
            Some("text/plain"),
            "first,second"
        )
    );
}

#[test]
fn file_parts_print_no_contents_and_read_from_json() {
    let file = FilePart::bytes("secret contents", "a.txt");
    let printed = format!("{file:?}");
    assert!(!printed.contains("secret"), "{printed}");
    assert!(
        printed.contains("a.txt") && printed.contains("15"),
        "{printed}"
    );
    let read: FilePart =
        serde_json::from_value(json!({"filename": "a.txt", "data": "secret contents"})).unwrap();
    assert_eq!(read, file);
    let bare: FilePart = serde_json::from_value(json!("x")).unwrap();
    assert_eq!(bare.filename(), "file");
}
