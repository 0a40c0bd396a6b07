//! The API diff of the real descriptions, 2.11 -> 2.15, against changes checked by hand in both
//! descriptions (each expectation names what the two files say).

use codegen::diff::{compare, Class, Impact, Verdict};

#[test]
fn diff_2_11_to_2_15_matches_hand_checked_changes() {
    let old = intercom_tests::generate("2.11").ir;
    let new = intercom_tests::generate("2.15").ir;
    let report = compare(&old, &new, "2.11", "2.15");
    let has = |class: Class, impact: Impact, subject: &str, detail: &str| {
        report.changes.iter().any(|c| {
            c.class == class && c.impact == impact && c.subject == subject && c.detail == detail
        })
    };
    let expectations = [
        // 2.15 has no `/conversations/{conversation_id}/run_assignment_rules` path.
        (
            Class::OperationRemoved,
            Impact::Breaking,
            "conversations().run_assignment_rules",
            "POST /conversations/{conversation_id}/run_assignment_rules",
        ),
        // `GET /articles` lost its `page` and `per_page` query parameters: no request type left.
        (
            Class::OperationChanged,
            Impact::Breaking,
            "articles().list",
            "no longer takes a `ListArticlesRequest`",
        ),
        // `GET /contacts` lost `starting_after` (and `page`, `per_page`).
        (
            Class::InputRemoved,
            Impact::Breaking,
            "contacts().list ListContactsRequest::starting_after",
            "`String`",
        ),
        // `/ai/content_import_sources` is new in 2.15 (GET and POST).
        (
            Class::OperationAdded,
            Impact::Additive,
            "ai_content().create_content_import_source",
            "POST /ai/content_import_sources",
        ),
        // The `admin_id` path parameter is `type: integer` in 2.15, `type: string` in 2.11.
        (
            Class::InputRetyped,
            Impact::Breaking,
            "admins().find FindAdminRequest::admin_id",
            "`String` -> `i64`",
        ),
        // `PUT /admins/{admin_id}/away` gained an optional `away_status_reason_id` body property,
        // an integer id: as a request input it takes an integer or a string.
        (
            Class::InputAdded,
            Impact::Additive,
            "admins().away ConfigureAwayAdminRequest::away_status_reason_id",
            "optional `IntegerOrStringId`",
        ),
        // `GET /contacts/{contact_id}` answers `allOf: [contact]` plus `enabled_push_messaging`.
        (
            Class::ResponseChanged,
            Impact::Breaking,
            "contacts().find",
            "`Contact` -> `FindContactResponse`",
        ),
        // `activity_log` has no `required` list in 2.15 (2.11: id, performed_by, activity_type).
        (
            Class::FieldMadeOptional,
            Impact::Breaking,
            "models::ActivityLog::id",
            "`String` -> `Option<String>`",
        ),
        // `activity_log_list.type` is a plain string in 2.15 (2.11: enum [activity_log.list], the
        // struct's implicit constant): no longer written, and a field.
        (
            Class::TypeChanged,
            Impact::Breaking,
            "models::ActivityLogList",
            r#"constant `"type": "activity_log.list"` -> none"#,
        ),
        (
            Class::FieldAdded,
            Impact::Additive,
            "models::ActivityLogList::type_",
            "`Option<String>`",
        ),
        // `contact.formatted_phone` is gone in 2.15.
        (
            Class::FieldRemoved,
            Impact::Breaking,
            "models::Contact::formatted_phone",
            "`Option<String>`",
        ),
        // `update_ticket_request.state` was replaced by `ticket_state_id`.
        (
            Class::InputRemoved,
            Impact::Breaking,
            "tickets().update UpdateTicketRequest::state",
            "`UpdateTicketRequestState`",
        ),
        // `single_filter_search_request.value`: the two typed array alternatives became one
        // array of string-or-integer.
        (
            Class::VariantRemoved,
            Impact::Breaking,
            "models::SingleFilterSearchRequestValue::StringList",
            "`Vec<String>`",
        ),
        // `intercom_version` lists 2.12 to 2.15 and no longer `Preview`.
        (
            Class::EnumValueAdded,
            Impact::Additive,
            "models::IntercomVersion",
            "`2.15`",
        ),
        (
            Class::EnumValueRemoved,
            Impact::Breaking,
            "models::IntercomVersion",
            "`Preview`",
        ),
    ];
    let missing: Vec<_> = expectations
        .iter()
        .filter(|(class, impact, subject, detail)| !has(*class, *impact, subject, detail))
        .collect();
    assert!(
        missing.is_empty(),
        "not reported: {missing:#?}\n\n{}",
        report.text()
    );
    assert_eq!(report.verdict, Verdict::Major);
    // 2.15 has 55 operations 2.11 lacks; only one 2.11 operation is gone, none is renamed.
    assert_eq!(report.counts.get(&Class::OperationAdded), Some(&55));
    assert_eq!(report.counts.get(&Class::OperationRemoved), Some(&1));
    assert_eq!(report.counts.get(&Class::OperationRenamed), None);
}
