//! The API diff on fixture pairs (`tests/fixtures/diff.yaml`): one case per change class, each a
//! base description and an edited copy, with every change the diff must find, its impact for the
//! Rust API, and the semver verdict.

use std::path::Path;

use codegen::config::Overlay;
use codegen::diag::Diagnostics;
use codegen::diff::{compare, Class, Impact, Verdict};
use codegen::ir::{self, Ir};
use serde_json::Value;

fn build(doc: &Value, overlay: &str) -> Ir {
    let overlay: Overlay = serde_yaml::from_str(overlay).unwrap();
    let mut diags = Diagnostics::default();
    let text = serde_json::to_string(doc).unwrap();
    let (_, api) =
        codegen::load::parse_document(&text, Path::new("fixture.yaml"), &overlay, &mut diags)
            .unwrap();
    let ir = ir::build(&api, &overlay, &mut diags);
    assert!(!diags.has_errors(), "{:?}", diags.into_sorted());
    ir
}

fn edit(doc: &mut Value, edit: &Value) {
    if let Some(pointer) = edit.get("remove").and_then(Value::as_str) {
        let (parent, key) = pointer.rsplit_once('/').unwrap();
        let key = key.replace("~1", "/").replace("~0", "~");
        let parent = doc
            .pointer_mut(parent)
            .unwrap_or_else(|| panic!("no {parent}"));
        assert!(
            parent.as_object_mut().unwrap().shift_remove(&key).is_some(),
            "nothing at {pointer}"
        );
    } else {
        let pointer = edit["set"].as_str().unwrap();
        let value = edit["value"].clone();
        if let Some(slot) = doc.pointer_mut(pointer) {
            *slot = value;
            return;
        }
        let (parent, key) = pointer.rsplit_once('/').unwrap();
        let key = key.replace("~1", "/").replace("~0", "~");
        match doc
            .pointer_mut(parent)
            .unwrap_or_else(|| panic!("no {parent}"))
        {
            Value::Object(map) => {
                map.insert(key, value);
            }
            Value::Array(items) => {
                assert_eq!(key.parse::<usize>().unwrap(), items.len(), "{pointer}");
                items.push(value);
            }
            other => panic!("{parent} is {other}"),
        }
    }
}

fn class(name: &str) -> Class {
    *Class::ALL
        .iter()
        .find(|c| serde_json::to_value(c).unwrap() == name)
        .unwrap_or_else(|| panic!("no class {name}"))
}

#[test]
fn every_change_class_is_found_and_classified() {
    let fixtures: Value = serde_yaml::from_str(
        &std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/diff.yaml"),
        )
        .unwrap(),
    )
    .unwrap();
    let base = &fixtures["base"];
    let old = build(base, "{}");
    let mut seen = std::collections::BTreeSet::new();
    let mut failures = Vec::new();
    for case in fixtures["cases"].as_array().unwrap() {
        let name = case["name"].as_str().unwrap();
        let mut doc = base.clone();
        for e in case["edits"].as_array().unwrap() {
            edit(&mut doc, e);
        }
        let overlay = case.get("overlay").and_then(Value::as_str).unwrap_or("{}");
        let report = compare(&old, &build(&doc, overlay), "old", "new");
        let mut actual: Vec<(Class, Impact, String)> = report
            .changes
            .iter()
            .map(|c| (c.class, c.impact, c.subject.clone()))
            .collect();
        let mut expected: Vec<(Class, Impact, String)> = case["expect"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                let impact = match e[1].as_str().unwrap() {
                    "breaking" => Impact::Breaking,
                    "additive" => Impact::Additive,
                    _ => Impact::Compatible,
                };
                (
                    class(e[0].as_str().unwrap()),
                    impact,
                    e[2].as_str().unwrap().to_owned(),
                )
            })
            .collect();
        actual.sort();
        expected.sort();
        let verdict = match case["verdict"].as_str().unwrap() {
            "major" => Verdict::Major,
            "minor" => Verdict::Minor,
            _ => Verdict::Patch,
        };
        if actual != expected || report.verdict != verdict {
            failures.push(format!(
                "{name}:\n  expected {expected:?} ({verdict:?})\n  actual   {actual:?} ({:?})\n{}",
                report.verdict,
                report.text()
            ));
        }
        seen.extend(expected.iter().map(|e| e.0));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    let missing: Vec<_> = Class::ALL.iter().filter(|c| !seen.contains(c)).collect();
    assert!(missing.is_empty(), "no fixture pair for {missing:?}");
}

#[test]
fn reports_render_in_every_format() {
    let fixtures: Value = serde_yaml::from_str(
        &std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/diff.yaml"),
        )
        .unwrap(),
    )
    .unwrap();
    let old = build(&fixtures["base"], "{}");
    let mut doc = fixtures["base"].clone();
    edit(
        &mut doc,
        &serde_json::json!({"set": "/components/schemas/widget_color/enum", "value": ["red"]}),
    );
    edit(
        &mut doc,
        &serde_json::json!({"set": "/components/schemas/widget/properties/size", "value": {"type": "integer"}}),
    );
    let report = compare(&old, &build(&doc, "{}"), "1.0", "1.1");
    let text = report.text();
    assert!(
        text.contains(
            "Breaking changes (1):\n  - enum value removed: models::WidgetColor: `green`"
        ),
        "{text}"
    );
    assert!(
        text.contains(
            "Additive changes (1):\n  - field added: models::Widget::size: `Option<i64>`"
        ),
        "{text}"
    );
    assert!(text.ends_with("Verdict: major (1 breaking change(s); while the crate is 0.x, bump the minor version)\n"), "{text}");
    let markdown = report.markdown();
    assert!(
        markdown.contains("### Added\n\n- field added `models::Widget::size`"),
        "{markdown}"
    );
    assert!(
        markdown.contains(
            "### Removed\n\n- **Breaking:** enum value removed `models::WidgetColor`: `green`"
        ),
        "{markdown}"
    );
    let json: Value = serde_json::from_str(&report.json()).unwrap();
    assert_eq!(json["verdict"], "major");
    assert_eq!(json["counts"]["enum_value_removed"], 1);
    assert_eq!(json["changes"][0]["impact"], "breaking");
}
