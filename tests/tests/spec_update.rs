//! Generality: the generator handles a later description (2.15) with no overlay entries beyond
//! 2.11's. New operations get default names from their tag and operationId, new defects become
//! diagnostics with safe fallbacks, and the generated crate compiles.

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
    // The manifest's resource features, as `cargo xtask codegen` would write them for 2.15.
    let manifest = std::fs::read_to_string(krate.join("Cargo.toml")).unwrap();
    let features = codegen::emit::features::manifest(&generated.ir);
    let manifest = codegen::emit::features::splice_manifest(&manifest, &features).unwrap();
    std::fs::write(krate.join("Cargo.toml"), manifest).unwrap();
    std::fs::write(dir.path().join("Cargo.toml"), standalone_workspace(&root)).unwrap();
    std::fs::copy(root.join("Cargo.lock"), dir.path().join("Cargo.lock")).unwrap();

    let output = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()))
        .args([
            "check",
            "--offline",
            "--lib",
            "--features",
            "conformance",
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
        "cargo check of the 2.15 crate failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}
