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

/// The `[workspace.dependencies]` entry for each of the SDK's dependencies, so the copy builds
/// outside the workspace with the same versions (and the same Cargo.lock).
fn standalone_manifest(root: &Path, ir: &codegen::ir::Ir) -> String {
    let workspace = std::fs::read_to_string(root.join("Cargo.toml")).unwrap();
    let sdk = std::fs::read_to_string(root.join("intercom-sdk/Cargo.toml")).unwrap();
    let section = |text: &str, name: &str| -> Vec<String> {
        text.lines()
            .skip_while(|l| l.trim() != name)
            .skip(1)
            .take_while(|l| !l.starts_with('['))
            .filter(|l| l.contains('='))
            .map(str::to_owned)
            .collect()
    };
    let pinned = section(&workspace, "[workspace.dependencies]");
    let deps: Vec<String> = section(&sdk, "[dependencies]")
        .iter()
        .map(|line| {
            let name = line.split('=').next().unwrap().trim();
            let workspace = pinned
                .iter()
                .find(|p| p.split('=').next().unwrap().trim() == name)
                .unwrap_or_else(|| panic!("{name} is not a workspace dependency"));
            // The member's own `features = [..]` are added to the workspace's.
            let Some(features) = line
                .split_once("features = [")
                .and_then(|(_, rest)| rest.split_once(']'))
                .map(|(features, _)| features)
            else {
                return workspace.clone();
            };
            let value = workspace.split_once('=').unwrap().1.trim();
            let table = if value.starts_with('"') {
                format!("{{ version = {value} }}")
            } else {
                value.to_owned()
            };
            let table = match table.split_once("features = [") {
                Some((head, tail)) => format!("{head}features = [{features}, {tail}"),
                None => format!(
                    "{}, features = [{features}] }}",
                    table.trim_end_matches('}').trim_end()
                ),
            };
            format!("{name} = {table}")
        })
        .collect();
    format!(
        "[package]\nname = \"intercom-sdk\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
         [features]\ndefault = [\"full\"]\nconformance = []\n{}\n[dependencies]\n{}\n\n[workspace]\n",
        codegen::emit::features::manifest(ir),
        deps.join("\n")
    )
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
    copy_dir(
        &root.join("intercom-sdk/src"),
        &krate.join("src"),
        "generated",
    );
    for file in &generated.files {
        let path = krate.join("src/generated").join(&file.path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, &file.contents).unwrap();
    }
    std::fs::write(
        krate.join("Cargo.toml"),
        standalone_manifest(&root, &generated.ir),
    )
    .unwrap();
    std::fs::copy(root.join("Cargo.lock"), krate.join("Cargo.lock")).unwrap();

    let output = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()))
        .args([
            "check",
            "--offline",
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
