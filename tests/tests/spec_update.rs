//! Generality: the generator handles descriptions it was not fitted to, with no overlay entries
//! beyond 2.11's.
//!
//! - A later description (2.15): new operations get default names from their tag and operationId,
//!   new defects become diagnostics with safe fallbacks, and the generated crate is clippy-clean
//!   with every documentation example compiling.
//! - 2.11 with every path placeholder renamed (`/contacts/{id}`, as other descriptions write it),
//!   produced here from the upstream file, never committed: all 108 seed names and the pagination
//!   of every paged operation survive, and the generated crate is clippy-clean.
//!
//! - Every 2xx response example of 2.15 decodes into its own generated (2.15) model, in a test run
//!   inside the 2.15 crate.
//!
//! Both crates are checked by one test, one after the other, sharing one target directory, so the
//! dependencies are compiled once.

use std::path::Path;
use std::process::Command;

use codegen::{Generated, Options, Overlay, Pin, SpecSource};
use serde_json::Value;

fn copy_dir(from: &Path, to: &Path, skip: &str) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let path = entry.path();
        if entry.file_name() == skip {
            continue;
        }
        let target = to.join(entry.file_name());
        if path.is_dir() {
            copy_dir(&path, &target, skip);
        } else {
            std::fs::copy(&path, &target).unwrap();
        }
    }
}

/// The workspace manifest with the SDK as its only member, so the copy builds outside this
/// workspace with the SDK's own manifest (features, optional dependencies) unchanged, the same
/// dependency versions and the same Cargo.lock. Its `rust-version` is the running toolchain's, so
/// clippy applies every lint of the current toolchain (`collapsible_if` included, which a
/// `rust-version` below 1.88 hides), whatever the crate declares.
fn standalone_workspace(root: &Path) -> String {
    let toolchain = Command::new("rustc")
        .arg("--version")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
        .unwrap_or_default();
    let current = toolchain
        .split_whitespace()
        .nth(1)
        .and_then(|v| v.split('-').next())
        .unwrap_or("1.85")
        .to_owned();
    let workspace = std::fs::read_to_string(root.join("Cargo.toml")).unwrap();
    workspace
        .lines()
        .map(|line| {
            if line.trim_start().starts_with("members") {
                "members = [\"intercom-sdk\"]".to_owned()
            } else if line.trim_start().starts_with("rust-version") {
                format!("rust-version = \"{current}\"")
            } else {
                line.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// 2.11 with the placeholders of every path renamed: the last one `{id}`, earlier ones `{id_1}`,
/// `{id_2}`, ... (one path cannot name two placeholders alike), and their path parameters with them.
fn rename_placeholders(doc: &mut Value) -> usize {
    let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) else {
        return 0;
    };
    let mut renamed = 0;
    let old = std::mem::take(paths);
    for (path, mut item) in old {
        let names: Vec<String> = path
            .split('{')
            .skip(1)
            .filter_map(|s| s.split_once('}').map(|(n, _)| n.to_owned()))
            .collect();
        let new_name = |i: usize| {
            if i + 1 == names.len() {
                "id".to_owned()
            } else {
                format!("id_{}", i + 1)
            }
        };
        let mut new_path = path.clone();
        for (i, name) in names.iter().enumerate() {
            new_path = new_path.replace(&format!("{{{name}}}"), &format!("{{{}}}", new_name(i)));
        }
        renamed += usize::from(new_path != path);
        let rename_params = |params: Option<&mut Value>| {
            for p in params.and_then(Value::as_array_mut).into_iter().flatten() {
                if p["in"] != "path" {
                    continue;
                }
                if let Some(i) = names.iter().position(|n| p["name"] == n.as_str()) {
                    p["name"] = Value::String(new_name(i));
                }
            }
        };
        if let Some(item) = item.as_object_mut() {
            rename_params(item.get_mut("parameters"));
            for op in item.values_mut() {
                rename_params(op.get_mut("parameters"));
            }
        }
        paths.insert(new_path, item);
    }
    renamed
}

fn generate_file(path: &Path) -> Generated {
    let root = intercom_tests::root();
    let options = Options {
        source: SpecSource::File {
            path: path.to_path_buf(),
            version: "2.11".to_owned(),
        },
        pin: Pin::load(&root.join("spec/pin.yaml")).unwrap(),
        overlay: Overlay::load(&root.join("spec/overlay.yaml")).unwrap(),
        allow_unpinned: true,
    };
    codegen::generate(&options).unwrap_or_else(|e| panic!("generation failed: {e}"))
}

/// What a seed operation must keep: its place, method name, request type and pagination.
fn seed(generated: &Generated) -> Vec<(Option<String>, String, Option<String>, String)> {
    generated
        .ir
        .operations
        .iter()
        .map(|op| {
            let paging = op.pagination.as_ref().map_or(String::new(), |p| {
                format!("{:?} {} {:?} {:?}", p.style, p.param, p.items, p.cursor)
            });
            (
                op.operation_id.clone(),
                format!("{}.{}", op.resource.join("."), op.name),
                op.request.as_ref().map(|r| r.name.clone()),
                paging,
            )
        })
        .collect()
}

/// Runs `cargo clippy -D warnings` on a copy of the SDK crate with `generated` in place of the
/// committed output, then the generated documentation examples as doctests. `None` when clean,
/// else the compiler's messages.
/// The hand-written modules stay in: they must not depend on one description's model names.
///
/// With `examples` (`[label, model, example]` triples), the copy also runs a test that decodes each
/// example into its model with the copy's `__conformance::decode`.
fn clippy(generated: &Generated, root: &Path, examples: Option<Vec<Value>>) -> Option<String> {
    let dir = tempfile::tempdir().unwrap();
    let krate = dir.path().join("intercom-sdk");
    copy_dir(&root.join("intercom-sdk"), &krate, "generated");
    for file in &generated.files {
        let path = krate.join("src/generated").join(&file.path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, &file.contents).unwrap();
    }
    // The manifest's resource features, as `cargo xtask codegen` would write them for this IR.
    let manifest = std::fs::read_to_string(krate.join("Cargo.toml")).unwrap();
    let features = codegen::emit::features::manifest(&generated.ir);
    let manifest = codegen::emit::features::splice_manifest(&manifest, &features).unwrap();
    std::fs::write(krate.join("Cargo.toml"), manifest).unwrap();
    std::fs::write(dir.path().join("Cargo.toml"), standalone_workspace(root)).unwrap();
    std::fs::copy(root.join("Cargo.lock"), dir.path().join("Cargo.lock")).unwrap();
    // Each step: `None` when it passes, else what cargo printed.
    let step = |what: &str, args: &[&str]| -> Option<String> {
        let output = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()))
            .args(args)
            .current_dir(&krate)
            // Reuse compiled dependencies across runs and crates; the crate itself is rebuilt.
            .env("CARGO_TARGET_DIR", root.join("target/spec-update"))
            .env("RUSTDOCFLAGS", "-D warnings")
            .output()
            .unwrap();
        (!output.status.success()).then(|| {
            format!(
                "{what}:\n{}\n{}",
                String::from_utf8_lossy(&output.stderr),
                String::from_utf8_lossy(&output.stdout)
            )
        })
    };
    let features = [
        "--offline",
        "--features",
        "conformance",
        "--message-format",
        "short",
    ];
    if let Some(failure) = step(
        "cargo clippy -D warnings",
        &[
            &["clippy", "--lib"][..],
            &features,
            &["--", "-D", "warnings"],
        ]
        .concat(),
    ) {
        return Some(failure);
    }
    // Every generated method's documentation example compiles (they are built from this
    // description's example values; the hand-written modules' doctests name 2.11's models, so
    // only the generated ones run). The crate docs include the README.
    std::fs::copy(root.join("README.md"), dir.path().join("README.md")).unwrap();
    if let Some(failure) = step(
        "doc examples",
        &[&["test", "--doc"][..], &features, &["--", "src/generated/"]].concat(),
    ) {
        return Some(failure);
    }
    // The documentation builds without a warning (broken links, bare URLs, unclosed HTML in the
    // description's prose), as docs.rs would build it.
    if let Some(failure) = step(
        "cargo doc",
        &[&["doc", "--no-deps"][..], &features].concat(),
    ) {
        return Some(failure);
    }
    let examples = examples?;
    std::fs::create_dir_all(krate.join("tests")).unwrap();
    std::fs::write(
        krate.join("tests/examples.json"),
        serde_json::to_string(&examples).unwrap(),
    )
    .unwrap();
    std::fs::write(krate.join("tests/examples.rs"), EXAMPLES_TEST).unwrap();
    step(
        "response examples",
        &[&["test", "--test", "examples"][..], &features].concat(),
    )
}

/// Every 2xx response example of `generated`'s description as `[label, model, example]`.
fn response_examples(generated: &Generated) -> Vec<Value> {
    let doc = &generated.spec.fixed;
    let mut cases = Vec::new();
    for op in &generated.ir.operations {
        let codegen::ir::ResponseBody::Json(codegen::ir::Ty::Named(model)) = &op.response else {
            continue;
        };
        for (status, name, value) in intercom_tests::cases::response_examples(doc, op) {
            if status.starts_with('2') {
                let label = format!("{} {status} example `{name}`", op.key);
                cases.push(serde_json::json!([label, model, value]));
            }
        }
    }
    cases
}

/// The test run inside the 2.15 crate: each `[label, model, example]` of `examples.json` decodes.
const EXAMPLES_TEST: &str = r#"
#[test]
fn every_2xx_response_example_decodes_into_its_own_model() {
    let cases: Vec<(String, String, serde_json::Value)> =
        serde_json::from_str(include_str!("examples.json")).expect("examples.json");
    let mut failures = Vec::new();
    for (label, model, example) in &cases {
        match intercom_sdk::__conformance::decode(model, example.clone()) {
            Some(Ok(())) => {}
            Some(Err(e)) => failures.push(format!("{label} as {model}: {e}")),
            None => failures.push(format!("{label}: no model {model}")),
        }
    }
    assert!(failures.is_empty(), "{} of {} failed:
{}", failures.len(), cases.len(), failures.join("
"));
}
"#;

#[test]
fn other_descriptions_generate_seed_names_pagination_and_clippy_clean_crates() {
    let root = intercom_tests::root();
    let pinned = intercom_tests::generate("2.11");

    // 2.11 with its placeholders renamed: every seed name and every pagination survives.
    let text = std::fs::read_to_string(
        intercom_tests::openapi_dir().join("descriptions/2.11/api.intercom.io.yaml"),
    )
    .unwrap();
    let mut doc: Value = serde_yaml::from_str(&text).unwrap();
    let renamed = rename_placeholders(&mut doc);
    assert!(renamed >= 40, "only {renamed} paths renamed");
    // Plus the constructs no pinned description has yet (a multipart upload, a one-alternative
    // `oneOf` of a large object), so their generated code is compiled and linted too.
    let fixture: Value = serde_yaml::from_str(
        &std::fs::read_to_string(root.join("codegen/tests/fixtures/multipart.yaml")).unwrap(),
    )
    .unwrap();
    for section in ["/paths", "/components/schemas"] {
        let (Some(into), Some(from)) = (
            doc.pointer_mut(section).and_then(Value::as_object_mut),
            fixture.pointer(section).and_then(Value::as_object),
        ) else {
            panic!("{section} missing");
        };
        into.extend(from.clone());
    }
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("api.intercom.io.yaml");
    std::fs::write(&file, serde_yaml::to_string(&doc).unwrap()).unwrap();
    let renamed_ir = generate_file(&file);
    let before = seed(&pinned);
    let mut after = seed(&renamed_ir);
    let upload = renamed_ir
        .ir
        .operations
        .iter()
        .find(|op| op.key.contains("/fixture_uploads/"))
        .expect("the fixture's upload operation");
    assert!(matches!(
        upload.request.as_ref().and_then(|r| r.body.as_ref()),
        Some(codegen::ir::Body::Multipart { .. })
    ));
    after.retain(|(id, ..)| {
        !matches!(
            id.as_deref(),
            Some("uploadFixtureFile" | "getFixtureCategory")
        )
    });
    assert_eq!(before.len(), 108);
    let paged = before.iter().filter(|s| !s.3.is_empty()).count();
    assert!(paged >= 12, "{paged} operations page");
    for (b, a) in before.iter().zip(&after) {
        assert_eq!(b, a, "a seed operation changed with renamed placeholders");
    }
    assert_eq!(before.len(), after.len());
    // No operation's input reads one JSON key into two fields.
    for op in &renamed_ir.ir.operations {
        let Some(request) = &op.request else { continue };
        let mut keys: Vec<&str> = request.params.iter().map(|p| p.key.as_str()).collect();
        if let Some(codegen::ir::Body::Fields { fields, .. }) = &request.body {
            keys.extend(fields.iter().map(|f| f.wire.as_str()));
        }
        let count = keys.len();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), count, "{} reads a key twice", op.key);
    }

    // 2.15: new operations get default names from tag and operationId.
    let later = intercom_tests::generate("2.15");
    let overlay = Overlay::load(&root.join("spec/overlay.yaml")).unwrap();
    let known = |key: &str| {
        let shape = codegen::config::key_shape(key);
        overlay
            .operations
            .keys()
            .any(|k| codegen::config::key_shape(k) == shape)
    };
    let new_ops: Vec<_> = later
        .ir
        .operations
        .iter()
        .filter(|op| !known(&op.key))
        .collect();
    assert!(
        new_ops.len() >= 40,
        "2.15 adds operations; found {} new",
        new_ops.len()
    );
    for op in &new_ops {
        assert!(
            !op.resource.is_empty() && !op.name.is_empty(),
            "{} unnamed",
            op.key
        );
    }
    let count = |g: &Generated, source| {
        g.ir.operations
            .iter()
            .filter(|op| op.pagination.as_ref().is_some_and(|p| p.source == source))
            .count()
    };
    use codegen::ir::PaginationSource::{Inferred, Overlay as ByOverlay};
    for (name, g) in [
        ("2.11", &pinned),
        ("2.11 renamed", &renamed_ir),
        ("2.15", &later),
    ] {
        println!(
            "{name}: {} types, {} operations, paged {} by overlay + {} inferred, {} diagnostics",
            g.ir.types.len(),
            g.ir.operations.len(),
            count(g, ByOverlay),
            count(g, Inferred),
            g.diagnostics.len()
        );
    }

    // Both crates are clippy-clean and their documentation examples compile.
    // 2.15's own response examples decode into its models.
    let examples = response_examples(&later);
    assert!(
        examples.len() > 100,
        "2.15 has {} 2xx examples",
        examples.len()
    );
    for (name, g, examples) in [
        ("2.11 renamed", &renamed_ir, None),
        ("2.15", &later, Some(examples)),
    ] {
        if let Some(messages) = clippy(g, &root, examples) {
            panic!("cargo clippy -D warnings on the {name} crate failed:\n{messages}");
        }
    }
}

/// On 2.11, inference alone pages exactly the operations the overlay pins, in the same style: the
/// overlay's entries are overrides for descriptions that leave the page or cursor parameter out.
#[test]
fn on_2_11_inference_agrees_with_every_overlay_pagination() {
    let generated = intercom_tests::generate("2.11");
    let root = intercom_tests::root();
    let mut overlay = Overlay::load(&root.join("spec/overlay.yaml")).unwrap();
    for entry in overlay.operations.values_mut() {
        entry.pagination = None;
    }
    let pin = Pin::load(&root.join("spec/pin.yaml")).unwrap();
    let inferred = codegen::generate(&Options {
        source: SpecSource::Version {
            version: "2.11".to_owned(),
            openapi_dir: Some(intercom_tests::openapi_dir()),
        },
        pin,
        overlay,
        allow_unpinned: false,
    })
    .unwrap();
    let mut pinned = 0;
    for (a, b) in generated.ir.operations.iter().zip(&inferred.ir.operations) {
        let (Some(a), Some(b)) = (&a.pagination, &b.pagination) else {
            assert_eq!(a.pagination.is_some(), b.pagination.is_some(), "{}", a.key);
            continue;
        };
        pinned += usize::from(a.source == codegen::ir::PaginationSource::Overlay);
        let mut a = a.clone();
        a.source = b.source;
        assert_eq!(&a, b, "{}", generated.ir.operations[0].key);
    }
    assert_eq!(pinned, 12);
}

/// README's pagination table lists exactly the operations that page, with their endpoint and style.
#[test]
fn readme_pagination_table_matches_the_generated_operations() {
    use codegen::config::PaginationStyle;
    let generated = intercom_tests::generate("2.11");
    let readme = std::fs::read_to_string(intercom_tests::root().join("README.md")).unwrap();
    let section = readme
        .split("\n## Pagination\n")
        .nth(1)
        .and_then(|s| s.split("\n## ").next())
        .expect("README has a Pagination section");
    let mut rows: Vec<String> = section
        .lines()
        .filter(|l| l.starts_with("| `"))
        .map(|l| {
            let cells: Vec<&str> = l.split('|').map(str::trim).collect();
            format!("{} {} {}", cells[1], cells[2], cells[3])
        })
        .collect();
    let mut paged: Vec<String> = generated
        .ir
        .operations
        .iter()
        .filter_map(|op| {
            let style = match op.pagination.as_ref()?.style {
                PaginationStyle::PageNumber => "page number",
                PaginationStyle::QueryCursor => "cursor in query",
                PaginationStyle::BodyCursor => "cursor in body",
                PaginationStyle::Scroll => "scroll",
            };
            Some(format!(
                "`{}().{}` `{}` {style}",
                op.resource.join("()."),
                op.name,
                op.key
            ))
        })
        .collect();
    rows.sort();
    paged.sort();
    assert_eq!(rows, paged);
    assert!(section.contains(&format!("These {} operations page.", paged.len())));
}
