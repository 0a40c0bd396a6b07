//! Maintainer tasks (the `cargo xtask` pattern): `cargo xtask codegen [--check]` and
//! `cargo xtask diff`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use codegen::write::Stale;
use codegen::{Level, Options, Overlay, Pin, SpecSource};

const USAGE: &str = "\
usage: cargo xtask codegen [options]
       cargo xtask diff [options]    (cargo xtask diff --help)

Regenerates intercom-sdk/src/generated from Intercom's OpenAPI description.

options:
  --spec-version V     pinned version to generate from (default: the pin's target)
  --spec PATH          an explicit description file (checked against the pin of --spec-version)
  --openapi-dir DIR    checkout of intercom/Intercom-OpenAPI (default: $INTERCOM_OPENAPI_DIR)
  --out DIR            output directory (default: intercom-sdk/src/generated)
  --check              write nothing; print a diff of stale files and exit 1 if any
  --allow-unpinned     accept a description whose sha256 is not pinned
  --quiet              print no warnings

With --check, stale output is explained first by the API-level summary (as `cargo xtask diff`
prints it) of the committed inputs (spec/pin.yaml and spec/overlay.yaml at git HEAD, and the
version named in the committed files) against the current ones, then shown as a text diff.

Files written: intercom-sdk/src/generated/** and REFERENCE.md (both checked by --check).
";

const DIFF_USAGE: &str = "\
usage: cargo xtask diff [options]

Compares two API surfaces of the generated Rust SDK, from the generator's IR (not from text):
operations added, removed, renamed and changed (inputs, response type, pagination); types and
fields added, removed, retyped, made required or optional; enum values and union variants added
or removed. Each change is breaking or additive for the Rust API (see the README's semver policy),
and the report ends with a semver verdict: major, minor or patch.

Each side is one of (default: --from-git HEAD --to-current):
  --from V / --to V          a pinned description version (spec/pin.yaml), e.g. --from 2.11 --to 2.15
  --from-spec PATH / --to-spec PATH
                             an explicit description file (not checked against the pin)
  --from-git REV             the committed inputs at git REV: spec/pin.yaml, spec/overlay.yaml, and
                             the version the committed output names (the `from` side only)
  --to-current               the working tree's pin target and overlay (the `to` side only)

options:
  --openapi-dir DIR    checkout of intercom/Intercom-OpenAPI (default: $INTERCOM_OPENAPI_DIR)
  --format F           text (default), json, or markdown (a CHANGELOG section)
  --output FILE        write the report to FILE instead of stdout

Every side is generated with the working tree's spec/overlay.yaml, except --from-git.

exit status:
  0  no breaking change (verdict minor or patch)
  2  breaking changes (verdict major)
  1  error (bad arguments, a description that does not load or generate)
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
        Some("diff") => match diff_task(args.collect()) {
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
    // REFERENCE.md at the workspace root, for the SDK's target output only.
    let reference = (args.out.is_none()).then(|| {
        let text = codegen::reference::render(&generated.ir, &version);
        (root.join("REFERENCE.md"), text)
    });
    let reference_stale = reference
        .as_ref()
        .is_some_and(|(path, text)| std::fs::read_to_string(path).ok().as_deref() != Some(text));
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
        if stale.is_empty() && !reference_stale {
            eprintln!(
                "codegen --check: {} files up to date ({lines} lines, {} types)",
                generated.files.len(),
                generated.ir.types.len()
            );
            return Ok(ExitCode::SUCCESS);
        }
        // What the stale files mean for users of the crate first, then the text.
        match committed_vs_current(&root, &out, args) {
            Ok(report) => {
                print!("{}", report.text());
                if report.changes.is_empty() {
                    println!(
                        "(the committed spec, pin and overlay give the same API: the text differences below come from the generator)"
                    );
                }
                println!();
            }
            Err(message) => println!("(no API-level summary: {message})\n"),
        }
        for s in &stale {
            print_stale(s);
        }
        if let (Some((path, text)), true) = (&reference, reference_stale) {
            let actual = std::fs::read_to_string(path).unwrap_or_default();
            print_diff("REFERENCE.md", &actual, text);
        }
        eprintln!(
            "codegen --check: {} generated file(s) are stale; run `cargo xtask codegen` and commit the result",
            stale.len() + usize::from(reference_stale)
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
    if let (Some((path, text)), true) = (&reference, reference_stale) {
        std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))?;
        eprintln!("codegen: wrote {}", path.display());
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
    print_diff(path, old, new);
}

fn print_diff(path: &str, old: &str, new: &str) {
    let diff = similar::TextDiff::from_lines(old, new);
    print!(
        "{}",
        diff.unified_diff()
            .context_radius(3)
            .header(&format!("a/{path}"), &format!("b/{path}"))
    );
}

/// One side of a diff.
enum Side {
    Version(String),
    Spec(PathBuf),
    Git(String),
    Current,
}

struct DiffArgs {
    from: Side,
    to: Side,
    openapi_dir: Option<PathBuf>,
    format: String,
    output: Option<PathBuf>,
}

fn parse_diff(args: Vec<String>) -> Result<Option<DiffArgs>, String> {
    let mut parsed = DiffArgs {
        from: Side::Git("HEAD".to_owned()),
        to: Side::Current,
        openapi_dir: None,
        format: "text".to_owned(),
        output: None,
    };
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().ok_or(format!("{name} needs a value"));
        match arg.as_str() {
            "--from" => parsed.from = Side::Version(value("--from")?),
            "--to" => parsed.to = Side::Version(value("--to")?),
            "--from-spec" => parsed.from = Side::Spec(value("--from-spec")?.into()),
            "--to-spec" => parsed.to = Side::Spec(value("--to-spec")?.into()),
            "--from-git" => parsed.from = Side::Git(value("--from-git")?),
            "--to-current" => parsed.to = Side::Current,
            "--openapi-dir" => parsed.openapi_dir = Some(value("--openapi-dir")?.into()),
            "--format" => parsed.format = value("--format")?,
            "--output" => parsed.output = Some(value("--output")?.into()),
            "-h" | "--help" => return Ok(None),
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    if !matches!(parsed.format.as_str(), "text" | "json" | "markdown") {
        return Err(format!(
            "unknown format `{}` (text, json or markdown)",
            parsed.format
        ));
    }
    Ok(Some(parsed))
}

fn diff_task(args: Vec<String>) -> Result<ExitCode, String> {
    let Some(args) = parse_diff(args)? else {
        print!("{DIFF_USAGE}");
        return Ok(ExitCode::SUCCESS);
    };
    let root = root();
    let out = root.join("intercom-sdk/src/generated");
    let (from_label, old) = side_ir(&root, &out, &args.from, args.openapi_dir.as_ref())?;
    let (to_label, new) = side_ir(&root, &out, &args.to, args.openapi_dir.as_ref())?;
    let report = codegen::diff::compare(&old, &new, &from_label, &to_label);
    let text = match args.format.as_str() {
        "json" => format!("{}\n", report.json()),
        "markdown" => report.markdown(),
        _ => report.text(),
    };
    match &args.output {
        Some(path) => {
            std::fs::write(path, &text).map_err(|e| format!("{}: {e}", path.display()))?;
            eprintln!(
                "diff: {} (written to {})",
                report.summary_line(),
                path.display()
            );
        }
        None => print!("{text}"),
    }
    Ok(if report.breaking() > 0 {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
}

/// Generates the IR of one side; quietly (the count of warnings goes to stderr).
fn side_ir(
    root: &Path,
    out: &Path,
    side: &Side,
    openapi_dir: Option<&PathBuf>,
) -> Result<(String, codegen::ir::Ir), String> {
    let load_pin = || Pin::load(&root.join("spec/pin.yaml")).map_err(|e| e.to_string());
    let load_overlay = || Overlay::load(&root.join("spec/overlay.yaml")).map_err(|e| e.to_string());
    let (label, options) = match side {
        Side::Version(version) => (
            version.clone(),
            Options {
                source: SpecSource::Version {
                    version: version.clone(),
                    openapi_dir: openapi_dir.cloned(),
                },
                pin: load_pin()?,
                overlay: load_overlay()?,
                allow_unpinned: false,
            },
        ),
        Side::Spec(path) => {
            let pin = load_pin()?;
            (
                path.display().to_string(),
                Options {
                    source: SpecSource::File {
                        path: path.clone(),
                        version: pin.target.clone(),
                    },
                    pin,
                    overlay: load_overlay()?,
                    allow_unpinned: true,
                },
            )
        }
        Side::Current => {
            let pin = load_pin()?;
            (
                format!("{} (working tree)", pin.target),
                Options {
                    source: SpecSource::Version {
                        version: pin.target.clone(),
                        openapi_dir: openapi_dir.cloned(),
                    },
                    pin,
                    overlay: load_overlay()?,
                    allow_unpinned: false,
                },
            )
        }
        Side::Git(rev) => committed_options(root, out, rev, openapi_dir)?,
    };
    let generated = codegen::generate(&options).map_err(|e| format!("{label}: {e}"))?;
    let warnings = generated
        .diagnostics
        .iter()
        .filter(|d| d.level == Level::Warning)
        .count();
    if warnings > 0 {
        eprintln!("diff: {label}: {warnings} generator warning(s) (see `cargo xtask codegen`)");
    }
    Ok((label, generated.ir))
}

/// The inputs the committed output was generated from: `spec/pin.yaml` and `spec/overlay.yaml` at
/// git `rev`, and the description version named in the committed `mod.rs` header.
fn committed_options(
    root: &Path,
    out: &Path,
    rev: &str,
    openapi_dir: Option<&PathBuf>,
) -> Result<(String, Options), String> {
    let show = |file: &str| -> Result<String, String> {
        let output = std::process::Command::new("git")
            .arg("-C")
            .arg(root)
            .args(["show", &format!("{rev}:{file}")])
            .output()
            .map_err(|e| format!("git: {e}"))?;
        if !output.status.success() {
            return Err(format!(
                "git show {rev}:{file}: {}",
                String::from_utf8_lossy(&output.stderr).trim()
            ));
        }
        String::from_utf8(output.stdout).map_err(|e| format!("{rev}:{file}: {e}"))
    };
    let dir = root.join("target/xtask-diff");
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let stash = |name: &str, text: String| -> Result<PathBuf, String> {
        let path = dir.join(name);
        std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))?;
        Ok(path)
    };
    let pin = Pin::load(&stash("pin.yaml", show("spec/pin.yaml")?)?).map_err(|e| e.to_string())?;
    let overlay = Overlay::load(&stash("overlay.yaml", show("spec/overlay.yaml")?)?)
        .map_err(|e| e.to_string())?;
    // `// @generated ... description 2.11 (sha256 ...)`: the version of the committed output.
    let header = std::fs::read_to_string(out.join("mod.rs")).unwrap_or_default();
    let version = header
        .lines()
        .next()
        .and_then(|l| l.split(" description ").nth(1))
        .and_then(|l| l.split_whitespace().next())
        .map(str::to_owned)
        .unwrap_or_else(|| pin.target.clone());
    let options = Options {
        source: SpecSource::Version {
            version: version.clone(),
            openapi_dir: openapi_dir.cloned(),
        },
        pin,
        overlay,
        // The upstream checkout may have moved on since `rev`: compare anyway.
        allow_unpinned: true,
    };
    Ok((format!("{version} (committed at {rev})"), options))
}

/// The API-level summary for `codegen --check`: the committed inputs against the current ones.
fn committed_vs_current(
    root: &Path,
    out: &Path,
    args: &Args,
) -> Result<codegen::diff::Report, String> {
    let openapi_dir = args.openapi_dir.as_ref();
    let (from, old) = side_ir(root, out, &Side::Git("HEAD".to_owned()), openapi_dir)?;
    let to_side = match &args.version {
        Some(v) => Side::Version(v.clone()),
        None => Side::Current,
    };
    let (to, new) = side_ir(root, out, &to_side, openapi_dir)?;
    Ok(codegen::diff::compare(&old, &new, &from, &to))
}
