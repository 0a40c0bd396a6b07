//! Generality: the generator handles a later description (2.15) with no overlay entries beyond
//! 2.11's. New operations get default names from their tag and operationId, new defects become
//! diagnostics with safe fallbacks, the generated crate compiles, and every 2xx response example of
//! 2.15 decodes into its own generated model.

use std::path::Path;
use std::process::Command;

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
/// dependency versions and the same Cargo.lock.
fn standalone_workspace(root: &Path) -> String {
    let workspace = std::fs::read_to_string(root.join("Cargo.toml")).unwrap();
    workspace
        .lines()
        .map(|line| {
            if line.trim_start().starts_with("members") {
                "members = [\"intercom-sdk\"]"
            } else {
                line
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn the_2_15_description_generates_a_crate_that_compiles() {
    let generated = intercom_tests::generate("2.15");
    let root = intercom_tests::root();

    // Operations 2.11's overlay does not name get default names from tag and operationId.
    let overlay = codegen::Overlay::load(&root.join("spec/overlay.yaml")).unwrap();
    let new_ops: Vec<_> = generated
        .ir
        .operations
        .iter()
        .filter(|op| !overlay.operations.contains_key(&op.key))
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
    let warnings = generated.diagnostics.len();
    println!(
        "2.15: {} types, {} operations ({} new), {warnings} diagnostics",
        generated.ir.types.len(),
        generated.ir.operations.len(),
        new_ops.len()
    );

    // The SDK crate with the 2.15 output in place of the committed one.
    let dir = tempfile::tempdir().unwrap();
    let krate = dir.path().join("intercom-sdk");
    copy_dir(&root.join("intercom-sdk"), &krate, "generated");
    for file in &generated.files {
        let path = krate.join("src/generated").join(&file.path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, &file.contents).unwrap();
    }
    std::fs::write(dir.path().join("Cargo.toml"), standalone_workspace(&root)).unwrap();
    std::fs::copy(root.join("Cargo.lock"), dir.path().join("Cargo.lock")).unwrap();

    // Every 2xx response example of 2.15 must decode into its own (2.15) model: a test in the copy.
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
    assert!(cases.len() > 100, "2.15 has {} 2xx examples", cases.len());
    std::fs::create_dir_all(krate.join("tests")).unwrap();
    std::fs::write(
        krate.join("tests/examples.json"),
        serde_json::to_string(&cases).unwrap(),
    )
    .unwrap();
    std::fs::write(krate.join("tests/examples.rs"), EXAMPLES_TEST).unwrap();

    let output = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()))
        .args([
            "test",
            "--offline",
            "--features",
            "conformance",
            "--test",
            "examples",
            "--message-format",
            "short",
        ])
        .current_dir(&krate)
        // Reuse compiled dependencies across runs; the crate itself is rebuilt from the temp copy.
        .env("CARGO_TARGET_DIR", root.join("target/spec-update"))
        .env("RUSTFLAGS", "-D warnings")
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "the 2.15 crate failed to build or to decode its examples:\n{}\n{}",
        String::from_utf8_lossy(&output.stderr),
        String::from_utf8_lossy(&output.stdout)
    );
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
