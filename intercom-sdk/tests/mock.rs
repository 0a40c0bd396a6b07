//! The `mock` feature: typed per-operation answers on a local server.
#![cfg(feature = "mock")]

use intercom_sdk::mock::MockServer;
use intercom_sdk::models::{Contact, ContactList, CursorPages, StartingAfterPaging};
use intercom_sdk::requests::{
    DeleteContactRequest, DownloadDataExportRequest, FindContactRequest, ListContactsRequest,
};
use serde_json::json;

fn contact(id: &str) -> Contact {
    Contact {
        id: id.into(),
        ..Default::default()
    }
}

#[tokio::test]
async fn paged_calls_walk_mocked_pages_by_query() {
    let mock = MockServer::start().await;
    let page = |ids: &[&str], next: Option<&str>| ContactList {
        data: ids.iter().map(|id| contact(id)).collect(),
        pages: Some(CursorPages {
            next: next.map(|c| StartingAfterPaging {
                per_page: 2,
                starting_after: Some(c.into()),
            }),
            ..Default::default()
        }),
        ..Default::default()
    };
    // The more specific mock first: wiremock answers with the first match.
    mock.on_contacts_list()
        .query_param("starting_after", "c1")
        .respond(&page(&["3"], None))
        .await;
    mock.on_contacts_list()
        .times(1)
        .respond(&page(&["1", "2"], Some("c1")))
        .await;
    let ids: Vec<String> = mock
        .client()
        .contacts()
        .list(ListContactsRequest::new().per_page(2))
        .collect_items()
        .await
        .unwrap()
        .into_iter()
        .map(|c| c.id)
        .collect();
    assert_eq!(ids, ["1", "2", "3"]);
    assert_eq!(mock.received_requests().await.len(), 2);
}

#[tokio::test]
async fn path_params_are_matched_encoded_and_binary_and_raw_answers_work() {
    let mock = MockServer::start().await;
    mock.on_contacts_find()
        .path_param("contact_id", "a/b c")
        .expect(1)
        .respond(&contact("a/b c"))
        .await;
    let found = mock
        .client()
        .contacts()
        .find(FindContactRequest::new("a/b c"))
        .await
        .unwrap();
    assert_eq!(found.id, "a/b c");

    mock.on_data_export_download()
        .respond_bytes(&b"\x1f\x8b"[..])
        .await;
    let bytes = mock
        .client()
        .data_export()
        .download(DownloadDataExportRequest::new("job1"))
        .await
        .unwrap()
        .collect_bytes()
        .await
        .unwrap();
    assert_eq!(&bytes[..], b"\x1f\x8b");

    // A body the model cannot decode is reported as a decode error, as from the real API.
    mock.on_contacts_delete()
        .respond_raw(200, r#"{"id": 1, "deleted": "yes"}"#)
        .await;
    let err = mock
        .client()
        .contacts()
        .delete(DeleteContactRequest::new("x"))
        .await
        .unwrap_err();
    assert!(matches!(err, intercom_sdk::Error::Decode(_)), "{err:?}");

    // Matching on the body.
    mock.on_contacts_search()
        .body_contains(json!({"query": {"field": "email"}}))
        .respond(&ContactList::default())
        .await;
    let request = intercom_sdk::search::Filter::field("email")
        .eq("ada@example.com")
        .into_request()
        .unwrap();
    let none = mock
        .client()
        .contacts()
        .search(request)
        .collect_items()
        .await
        .unwrap();
    assert!(none.is_empty());
}
