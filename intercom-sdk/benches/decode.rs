//! Decode speed of the generated models on realistic pages, against `serde_json::Value`.
//!
//! Run with `cargo bench -p intercom-sdk --bench decode`. Bounded: a fixed number of rounds on
//! in-memory bodies (a few seconds), no network.
//!
//! The bodies are built from the 2.11 description's own examples (`GET /conversations/{id}`,
//! `GET /contacts/{id}`), with the lists they leave empty filled the way real pages are (tags,
//! conversation parts, custom attributes, a location), and each item given its own ids:
//! a 150-conversation page (`PaginatedConversationResponse`, what `conversations().list` returns) and a 50-contact page (`ContactList`).
//! Each round decodes every body once with each decoder; the median round is reported.

#![recursion_limit = "256"]

use std::hint::black_box;
use std::time::{Duration, Instant};

use intercom_sdk::models::{ContactList, PaginatedConversationResponse};
use serde_json::{Value, json};

const ROUNDS: usize = 31;
const DECODES_PER_ROUND: usize = 40;

fn conversation(i: usize) -> Value {
    let part = |n: usize| {
        json!({
            "type": "conversation_part",
            "id": format!("{}", 1000 + i * 10 + n),
            "part_type": "comment",
            "body": "<p>Okay!</p>",
            "created_at": 1663597223,
            "updated_at": 1663597260,
            "notified_at": 1663597260,
            "assigned_to": null,
            "author": {"type": "admin", "id": "274", "name": "Operator", "email": "operator+abcd1234@intercom.io"},
            "attachments": [],
            "external_id": null,
            "redacted": false
        })
    };
    json!({
        "type": "conversation",
        "id": format!("{}", 367 + i),
        "created_at": 1719492825,
        "updated_at": 1719492825,
        "waiting_since": null,
        "snoozed_until": null,
        "source": {
            "type": "conversation",
            "id": format!("{}", 403918255 + i),
            "delivered_as": "admin_initiated",
            "subject": "",
            "body": "<p>this is the message body</p>",
            "author": {"type": "admin", "id": "991267553", "name": "Ciaran153 Lee", "email": "admin153@email.com"},
            "attachments": [],
            "url": null,
            "redacted": false
        },
        "contacts": {"type": "contact.list", "contacts": [{"type": "contact", "id": "667d60d88a68186f43bafde1", "external_id": "70"}]},
        "first_contact_reply": {"created_at": 1663597223, "type": "conversation", "url": "https://developers.intercom.com/"},
        "admin_assignee_id": 991267715,
        "team_assignee_id": 5017691,
        "open": false,
        "state": "closed",
        "read": false,
        "tags": {"type": "tag.list", "tags": [
            {"type": "tag", "id": "123456", "name": "Test tag", "applied_at": 1663597223, "applied_by": {"type": "admin", "id": "456"}}
        ]},
        "priority": "not_priority",
        "sla_applied": null,
        "statistics": {
            "type": "conversation_statistics",
            "time_to_assignment": 2310,
            "time_to_admin_reply": 2310,
            "time_to_first_close": 2310,
            "time_to_last_close": 2310,
            "median_time_to_reply": 2310,
            "first_contact_reply_at": 1663597233,
            "first_assignment_at": 1663597233,
            "first_admin_reply_at": 1663597233,
            "first_close_at": 1663597233,
            "last_assignment_at": 1663597233,
            "last_assignment_admin_reply_at": 1663597233,
            "last_contact_reply_at": 1663597233,
            "last_admin_reply_at": 1663597233,
            "last_close_at": 1663597233,
            "last_closed_by_id": "c3po",
            "count_reopens": 1,
            "count_assignments": 1,
            "count_conversation_parts": 1
        },
        "conversation_rating": null,
        "teammates": {"type": "admin.list", "admins": [{"type": "admin", "id": "991267553"}]},
        "title": "Conversation Title",
        "custom_attributes": {"issue_type": "Billing", "priority_level": "high"},
        "topics": {},
        "ticket": null,
        "linked_objects": {"type": "list", "data": [], "total_count": 0, "has_more": false},
        "ai_agent": null,
        "ai_agent_participated": false,
        "conversation_parts": {
            "type": "conversation_part.list",
            "conversation_parts": [part(0), part(1), part(2)],
            "total_count": 3
        }
    })
}

fn contact(i: usize) -> Value {
    let id = format!("667d60a98a68186f43ba{i:04}");
    json!({
        "type": "contact",
        "id": id,
        "workspace_id": "this_is_an_id252_that_should_be_at_least_",
        "external_id": format!("{}", 70 + i),
        "role": "user",
        "email": format!("joe{i}@bloggs.com"),
        "phone": "+353871234567",
        "name": "Joe Bloggs",
        "avatar": {"type": "avatar", "image_url": "https://static.intercomassets.com/app/avatar.png"},
        "owner_id": 991267553,
        "social_profiles": {"type": "list", "data": [{"type": "social_profile", "name": "Twitter", "url": "http://twitter.com/th1sland"}]},
        "has_hard_bounced": false,
        "marked_email_as_spam": false,
        "unsubscribed_from_emails": false,
        "created_at": 1719492777,
        "updated_at": 1719492777,
        "signed_up_at": 1719492777,
        "last_seen_at": 1719492777,
        "last_replied_at": null,
        "last_contacted_at": null,
        "last_email_opened_at": null,
        "last_email_clicked_at": null,
        "language_override": null,
        "browser": "chrome",
        "browser_version": "126.0.0",
        "browser_language": "en",
        "os": "OS X 10.15.7",
        "location": {"type": "location", "country": "Ireland", "region": "Dublin", "city": "Dublin", "country_code": "IRL", "continent_code": "EU"},
        "android_app_name": null,
        "android_app_version": null,
        "android_device": null,
        "android_os_version": null,
        "android_sdk_version": null,
        "android_last_seen_at": null,
        "ios_app_name": null,
        "ios_app_version": null,
        "ios_device": null,
        "ios_os_version": null,
        "ios_sdk_version": null,
        "ios_last_seen_at": null,
        "custom_attributes": {"plan": "pro", "seats": "12"},
        "tags": {"type": "list", "data": [{"type": "tag", "id": "7522907", "url": "/tags/7522907"}], "url": format!("/contacts/{id}/tags"), "total_count": 1, "has_more": false},
        "notes": {"type": "list", "data": [], "url": format!("/contacts/{id}/notes"), "total_count": 0, "has_more": false},
        "companies": {"type": "list", "data": [], "url": format!("/contacts/{id}/companies"), "total_count": 0, "has_more": false},
        "opted_out_subscription_types": {"type": "list", "data": [], "url": format!("/contacts/{id}/subscriptions"), "total_count": 0, "has_more": false},
        "opted_in_subscription_types": {"type": "list", "data": [], "url": format!("/contacts/{id}/subscriptions"), "total_count": 0, "has_more": false},
        "utm_campaign": null,
        "utm_content": null,
        "utm_medium": null,
        "utm_source": null,
        "utm_term": null,
        "referrer": null
    })
}

fn conversation_page() -> Vec<u8> {
    let items: Vec<Value> = (0..150).map(conversation).collect();
    let page = json!({
        "type": "conversation.list",
        "pages": {"type": "pages", "page": 1, "per_page": 150, "total_pages": 4,
                  "next": {"per_page": 150, "starting_after": "WzE3MTk0OTI3OTUwMDAsMzM1LDJd"}},
        "total_count": 600,
        "conversations": items
    });
    serde_json::to_vec(&page).expect("a JSON value serializes")
}

fn contact_page() -> Vec<u8> {
    let items: Vec<Value> = (0..50).map(contact).collect();
    let page = json!({
        "type": "list",
        "data": items,
        "total_count": 500,
        "pages": {"type": "pages", "page": 1, "per_page": 50, "total_pages": 10,
                  "next": {"per_page": 50, "starting_after": "WzE3MTk0OTI3NzcwMDAsIjY2N2Q2MGE5OGE2ODE4NmY0M2JhZmRiOSJd"}}
    });
    serde_json::to_vec(&page).expect("a JSON value serializes")
}

/// Median over rounds of the time for one decode of `body`.
fn measure(body: &[u8], decode: &dyn Fn(&[u8]) -> bool) -> Duration {
    for _ in 0..5 {
        assert!(decode(body));
    }
    let mut rounds: Vec<Duration> = (0..ROUNDS)
        .map(|_| {
            let start = Instant::now();
            for _ in 0..DECODES_PER_ROUND {
                assert!(decode(black_box(body)));
            }
            start.elapsed() / DECODES_PER_ROUND as u32
        })
        .collect();
    rounds.sort();
    rounds[ROUNDS / 2]
}

fn report(name: &str, body: &[u8], typed: &dyn Fn(&[u8]) -> bool) {
    let value = measure(body, &|b| serde_json::from_slice::<Value>(b).is_ok());
    let model = measure(body, typed);
    println!(
        "{name:<26} {:>7} KiB   typed {:>9.1?}   Value {:>9.1?}   Value/typed {:.2}x",
        body.len() / 1024,
        model,
        value,
        value.as_secs_f64() / model.as_secs_f64()
    );
}

/// `decode PAGE N` (PAGE `contacts` or `conversations`): only decodes that page N times into its
/// model, for an instruction count (`scripts/callgrind-decode.sh`).
fn count(page: &str, n: usize) {
    let mut items = 0;
    match page {
        "contacts" => {
            let body = contact_page();
            for _ in 0..n {
                items += serde_json::from_slice::<ContactList>(black_box(&body))
                    .map_or(0, |p| p.data.len());
            }
        }
        _ => {
            let body = conversation_page();
            for _ in 0..n {
                items += serde_json::from_slice::<PaginatedConversationResponse>(black_box(&body))
                    .map_or(0, |p| p.conversations.len());
            }
        }
    }
    println!("{items} items");
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let [_, page, n] = args.as_slice()
        && let Ok(n) = n.parse()
    {
        return count(page, n);
    }
    let conversations = conversation_page();
    let contacts = contact_page();
    report("150-conversation page", &conversations, &|b| {
        serde_json::from_slice::<PaginatedConversationResponse>(b)
            .map(|page| page.conversations.len() == 150)
            .unwrap_or(false)
    });
    report("50-contact page", &contacts, &|b| {
        serde_json::from_slice::<ContactList>(b)
            .map(|page| page.data.len() == 50)
            .unwrap_or(false)
    });
}
