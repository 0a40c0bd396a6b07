//! Shared support for the workspace's integration and conformance tests.

pub mod cases;

use std::path::PathBuf;

use codegen::{Generated, Options, Overlay, Pin, SpecSource};

/// The workspace root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(PathBuf::from)
        .unwrap_or_default()
}

/// The upstream checkout: `$INTERCOM_OPENAPI_DIR` (a relative path is taken from the workspace
/// root, where `.ci/run` and the README's commands run), else `../shared/intercom-openapi` beside the
/// workspace. Panics with instructions when neither exists (a test precondition, not SDK code).
pub fn openapi_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os(codegen::load::OPENAPI_DIR_VAR) {
        return root().join(dir);
    }
    let beside = root().join("../shared/intercom-openapi");
    assert!(
        beside.is_dir(),
        "set INTERCOM_OPENAPI_DIR to a checkout of intercom/Intercom-OpenAPI (see spec/pin.yaml)"
    );
    beside
}

/// Runs the generator for a pinned version with the project's pin and overlay.
pub fn generate(version: &str) -> Generated {
    let root = root();
    let pin = Pin::load(&root.join("spec/pin.yaml")).expect("spec/pin.yaml");
    let overlay = Overlay::load(&root.join("spec/overlay.yaml")).expect("spec/overlay.yaml");
    let options = Options {
        source: SpecSource::Version {
            version: version.to_owned(),
            openapi_dir: Some(openapi_dir()),
        },
        pin,
        overlay,
        allow_unpinned: false,
    };
    match codegen::generate(&options) {
        Ok(generated) => generated,
        Err(e) => panic!("generation from {version} failed: {e}"),
    }
}
