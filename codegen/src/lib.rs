//! Generates the `intercom-sdk` crate from Intercom's OpenAPI description.
//!
//! The generator is a pipeline with one job per stage:
//!
//! 1. [`load`]: find the pinned description, check its sha256, apply the overlay's fixes to the raw
//!    document, parse it with `openapiv3`;
//! 2. [`ir`]: lower the parsed document and the overlay into plain data (types, operations,
//!    pagination), reporting every defect as a [`Diagnostic`] with its JSON pointer;
//! 3. [`emit`]: turn the IR into formatted Rust files (`quote` + `prettyplease`, no `rustfmt`);
//! 4. [`write`](mod@write): write the files, or compare them with what is committed (`--check`).

pub mod config;
pub mod diag;
pub mod emit;
pub mod ir;
pub mod load;
pub mod write;

use std::path::PathBuf;

pub use config::{Overlay, Pin};
pub use diag::{Diagnostic, Level};
pub use load::SpecSource;

/// Everything that stops generation.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}: {message}", path.display())]
    Config { path: PathBuf, message: String },
    #[error("invalid overlay: {0}")]
    Overlay(String),
    #[error("the OpenAPI description was not found{}; {hint}", path.as_ref().map(|p| format!(" at {}", p.display())).unwrap_or_default())]
    SpecNotFound { path: Option<PathBuf>, hint: String },
    #[error("no pinned description for version {version} (pinned: {})", known.join(", "))]
    UnknownVersion { version: String, known: Vec<String> },
    #[error("{} does not match the pin: sha256 {actual}, expected {expected}. Use the pinned upstream commit, update spec/pin.yaml deliberately, or pass --allow-unpinned to try it anyway", path.display())]
    PinMismatch {
        path: PathBuf,
        expected: String,
        actual: String,
    },
    /// The document could not be read as OpenAPI 3.0; `pointer` locates the failure (`""` is the
    /// document root, printed `#`).
    #[error("{}: {message} (at #{pointer})", path.display())]
    Parse {
        path: PathBuf,
        pointer: String,
        message: String,
    },
    #[error("generation failed with {} error(s):\n{}", .0.iter().filter(|d| d.level == Level::Error).count(), .0.iter().map(|d| format!("  {d}")).collect::<Vec<_>>().join("\n"))]
    Invalid(Vec<Diagnostic>),
    #[error("internal error: generated code for {file} does not parse: {message}")]
    Emit { file: String, message: String },
}

/// What to generate from.
#[derive(Clone, Debug)]
pub struct Options {
    pub source: SpecSource,
    pub pin: Pin,
    pub overlay: Overlay,
    /// Accept a description whose sha256 is not pinned (a warning instead of an error).
    pub allow_unpinned: bool,
}

/// The result of a run: files relative to the output directory, and what was noticed.
#[derive(Debug)]
pub struct Generated {
    pub files: Vec<emit::File>,
    pub diagnostics: Vec<Diagnostic>,
    /// The description as generated from (after the overlay's fixes), as pretty JSON.
    pub fixed_spec: String,
    pub ir: ir::Ir,
    pub spec: load::LoadedSpec,
}

/// Runs load -> IR -> emit. Writing is left to the caller ([`write`](mod@write)).
pub fn generate(options: &Options) -> Result<Generated, Error> {
    let mut diags = diag::Diagnostics::default();
    let spec = load::load(
        &options.source,
        &options.pin,
        &options.overlay,
        options.allow_unpinned,
        &mut diags,
    )?;
    let ir = ir::build(&spec.openapi, &options.overlay, &mut diags);
    if diags.has_errors() {
        return Err(Error::Invalid(diags.into_sorted()));
    }
    let header = emit::Header {
        version: spec.version.clone(),
        sha256: spec.sha256.clone(),
    };
    let files = emit::emit(&ir, &header)?;
    let fixed_spec = serde_json::to_string_pretty(&spec.fixed).map_err(|e| Error::Parse {
        path: spec.path.clone(),
        pointer: String::new(),
        message: e.to_string(),
    })?;
    Ok(Generated {
        files,
        diagnostics: diags.into_sorted(),
        fixed_spec,
        ir,
        spec,
    })
}
