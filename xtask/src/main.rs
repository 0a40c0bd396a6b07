//! Maintainer tasks (the `cargo xtask` pattern): `cargo xtask codegen [--check]`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use codegen::write::Stale;
use codegen::{Level, Options, Overlay, Pin, SpecSource};

const USAGE: &str = "\
usage: cargo xtask codegen [options]

Regenerates intercom-sdk/src/generated from Intercom's OpenAPI description.

options:
  --spec-version V     pinned version to generate from (default: the pin's target)
  --spec PATH          an explicit description file (checked against the pin of --spec-version)
  --openapi-dir DIR    checkout of intercom/Intercom-OpenAPI (default: $INTERCOM_OPENAPI_DIR)
  --out DIR            output directory (default: intercom-sdk/src/generated)
  --check              write nothing; print a diff of stale files and exit 1 if any
  --allow-unpinned     accept a description whose sha256 is not pinned
  --quiet              print no warnings
";

struct Args {
    version: Option<String>,
    spec: Option<PathBuf>,
    openapi_dir: Option<PathBuf>,
    out: Option<PathBuf>,
    check: bool,
    allow_unpinned: bool,
    quiet: bool,
}

fn parse(mut args: impl Iterator<Item = String>) -> Result<Args, String> {
    let mut parsed = Args {
        version: None,
        spec: None,
        openapi_dir: None,
        out: None,
        check: false,
        allow_unpinned: false,
        quiet: false,
    };
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().ok_or(format!("{name} needs a value"));
        match arg.as_str() {
            "--spec-version" => parsed.version = Some(value("--spec-version")?),
            "--spec" => parsed.spec = Some(value("--spec")?.into()),
            "--openapi-dir" => parsed.openapi_dir = Some(value("--openapi-dir")?.into()),
            "--out" => parsed.out = Some(value("--out")?.into()),
            "--check" => parsed.check = true,
            "--allow-unpinned" => parsed.allow_unpinned = true,
            "--quiet" => parsed.quiet = true,
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    Ok(parsed)
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    match args.next().as_deref() {
        Some("codegen") => match parse(args).and_then(|a| codegen_task(&a)) {
            Ok(code) => code,
            Err(message) => {
                eprintln!("error: {message}");
                ExitCode::FAILURE
            }
        },
        Some("-h" | "--help") | None => {
            print!("{USAGE}");
            ExitCode::SUCCESS
        }
        Some(other) => {
            eprintln!("error: unknown task `{other}`\n\n{USAGE}");
            ExitCode::FAILURE
        }
    }
}

fn codegen_task(args: &Args) -> Result<ExitCode, String> {
    let started = Instant::now();
    let root = root();
    let pin = Pin::load(&root.join("spec/pin.yaml")).map_err(|e| e.to_string())?;
    let overlay = Overlay::load(&root.join("spec/overlay.yaml")).map_err(|e| e.to_string())?;
    let version = args.version.clone().unwrap_or_else(|| pin.target.clone());
    let source = match &args.spec {
        Some(path) => SpecSource::File {
            path: path.clone(),
            version: version.clone(),
        },
        None => SpecSource::Version {
            version: version.clone(),
            openapi_dir: args.openapi_dir.clone(),
        },
    };
    let options = Options {
        source,
        pin,
        overlay,
        allow_unpinned: args.allow_unpinned,
    };
    let generated = codegen::generate(&options).map_err(|e| e.to_string())?;
    let warnings = generated
        .diagnostics
        .iter()
        .filter(|d| d.level == Level::Warning)
        .count();
    if !args.quiet {
        for d in &generated.diagnostics {
            eprintln!("{d}");
        }
    }
    // The fixed description the SDK was generated from, for mock servers (never committed).
    let spec_dir = root.join("build/spec").join(&version);
    std::fs::create_dir_all(&spec_dir).map_err(|e| format!("{}: {e}", spec_dir.display()))?;
    let spec_out = spec_dir.join("openapi.json");
    std::fs::write(&spec_out, &generated.fixed_spec)
        .map_err(|e| format!("{}: {e}", spec_out.display()))?;

    let out = args
        .out
        .clone()
        .unwrap_or_else(|| root.join("intercom-sdk/src/generated"));
    let lines: usize = generated
        .files
        .iter()
        .map(|f| f.contents.lines().count())
        .sum();
    // The manifest's resource features, beside the generated tree (`<out>/../../Cargo.toml`).
    let manifest = manifest_update(&out, &generated.ir)?;
    if args.check {
        let mut stale = codegen::write::check(&out, &generated.files).map_err(|e| e.to_string())?;
        if let Some((path, actual, expected)) = &manifest {
            if actual != expected {
                stale.push(Stale::Changed {
                    path: path.display().to_string(),
                    expected: expected.clone(),
                    actual: actual.clone(),
                });
            }
        }
        if stale.is_empty() {
            eprintln!(
                "codegen --check: {} files up to date ({lines} lines, {} types)",
                generated.files.len(),
                generated.ir.types.len()
            );
            return Ok(ExitCode::SUCCESS);
        }
        for s in &stale {
            print_stale(s);
        }
        eprintln!(
            "codegen --check: {} generated file(s) are stale; run `cargo xtask codegen` and commit the result",
            stale.len()
        );
        return Ok(ExitCode::FAILURE);
    }
    let mut touched = codegen::write::write(&out, &generated.files).map_err(|e| e.to_string())?;
    if let Some((path, actual, expected)) = &manifest {
        if actual != expected {
            std::fs::write(path, expected).map_err(|e| format!("{}: {e}", path.display()))?;
            touched.push(path.display().to_string());
        }
    }
    eprintln!(
        "codegen: {} {version} -> {} ({} files, {} changed, {lines} lines, {} types, {} operations, {warnings} warnings) in {:.3}s",
        generated.spec.file_name(),
        out.display(),
        generated.files.len(),
        touched.len(),
        generated.ir.types.len(),
        generated.ir.operations.len(),
        started.elapsed().as_secs_f64()
    );
    Ok(ExitCode::SUCCESS)
}

/// `(path, current, expected)` of the SDK manifest whose `[features]` table lists the resources;
/// `None` when `out` has no manifest two levels up (a tree generated elsewhere).
fn manifest_update(
    out: &Path,
    ir: &codegen::ir::Ir,
) -> Result<Option<(PathBuf, String, String)>, String> {
    let Some(path) = out
        .parent()
        .and_then(Path::parent)
        .map(|d| d.join("Cargo.toml"))
    else {
        return Ok(None);
    };
    let Ok(actual) = std::fs::read_to_string(&path) else {
        return Ok(None);
    };
    let generated = codegen::emit::features::manifest(ir);
    let expected =
        codegen::emit::features::splice_manifest(&actual, &generated).ok_or_else(|| {
            format!(
                "{}: the [features] table has no `{}` ... `{}` lines for the resource features",
                path.display(),
                codegen::emit::features::MANIFEST_BEGIN,
                codegen::emit::features::MANIFEST_END
            )
        })?;
    Ok(Some((path, actual, expected)))
}

fn print_stale(stale: &Stale) {
    let (path, old, new) = match stale {
        Stale::Missing { path, expected } => (path, "", expected.as_str()),
        Stale::Changed {
            path,
            expected,
            actual,
        } => (path, actual.as_str(), expected.as_str()),
        Stale::Extra { path, actual } => (path, actual.as_str(), ""),
    };
    let diff = similar::TextDiff::from_lines(old, new);
    print!(
        "{}",
        diff.unified_diff()
            .context_radius(3)
            .header(&format!("a/{path}"), &format!("b/{path}"))
    );
}
