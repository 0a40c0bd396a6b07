//! Fixture -> expected Rust: each `fixtures/<name>.yaml` (with `fixtures/<name>.overlay.yaml`)
//! goes through load, IR and emit, and every generated file must equal
//! `snapshots/<name>/<path>` byte for byte, as must the manifest's feature lines
//! (`snapshots/<name>/features.toml`). After a deliberate change to the emitter, rewrite the
//! expected files with `UPDATE_SNAPSHOTS=1 cargo test -p intercom-codegen --test snapshots` and
//! review the diff. (The generated code is compiled by the SDK's own build; these snapshots show
//! what each construct becomes.)

use std::path::{Path, PathBuf};

use codegen::config::Overlay;
use codegen::diag::Diagnostics;
use codegen::emit::{self, Header};

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests")
}

/// Every output file of the fixture `name`: path and contents.
fn generate(name: &str) -> Vec<(String, String)> {
    let fixtures = dir().join("fixtures");
    let spec = std::fs::read_to_string(fixtures.join(format!("{name}.yaml"))).unwrap();
    let overlay = std::fs::read_to_string(fixtures.join(format!("{name}.overlay.yaml"))).unwrap();
    let overlay: Overlay = serde_yaml::from_str(&overlay).unwrap();
    let mut diags = Diagnostics::default();
    let (_, api) =
        codegen::load::parse_document(&spec, Path::new("fixture.yaml"), &overlay, &mut diags)
            .unwrap();
    let ir = codegen::ir::build(&api, &overlay, &mut diags);
    let diags = diags.into_sorted();
    assert!(diags.is_empty(), "{name}: {diags:?}");
    let header = Header {
        version: "fixture".to_owned(),
        sha256: "-".to_owned(),
    };
    let mut files: Vec<(String, String)> = emit::emit(&ir, &header)
        .unwrap()
        .into_iter()
        .map(|f| (f.path, f.contents))
        .collect();
    files.push(("features.toml".to_owned(), emit::features::manifest(&ir)));
    files
}

fn check(name: &str) {
    let expected_dir = dir().join("snapshots").join(name);
    let update = std::env::var_os("UPDATE_SNAPSHOTS").is_some();
    let files = generate(name);
    if update {
        let _ = std::fs::remove_dir_all(&expected_dir);
    }
    let mut stale = Vec::new();
    for (path, contents) in &files {
        let expected = expected_dir.join(path);
        if update {
            std::fs::create_dir_all(expected.parent().unwrap()).unwrap();
            std::fs::write(&expected, contents).unwrap();
            continue;
        }
        match std::fs::read_to_string(&expected) {
            Ok(text) if text == *contents => {}
            Ok(text) => stale.push(format!(
                "{path} differs:\n{}",
                first_difference(&text, contents)
            )),
            Err(_) => stale.push(format!("{path} is missing")),
        }
    }
    assert!(
        stale.is_empty(),
        "{name}: {}\n(run `UPDATE_SNAPSHOTS=1 cargo test -p intercom-codegen --test snapshots` and review the diff)",
        stale.join("\n")
    );
}

/// The first differing line of two texts, for the failure message.
fn first_difference(expected: &str, actual: &str) -> String {
    let mut expected_lines = expected.lines();
    for (n, line) in actual.lines().enumerate() {
        let old = expected_lines.next();
        if old != Some(line) {
            return format!("line {}:\n- {}\n+ {line}", n + 1, old.unwrap_or("<end>"));
        }
    }
    "the expected file is longer".to_owned()
}

#[test]
fn shop() {
    check("shop");
}

#[test]
fn output_is_deterministic() {
    assert_eq!(generate("shop"), generate("shop"));
}
