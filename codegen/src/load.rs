//! Stage 1, load: find the upstream description, check its pin, apply the overlay's fixes to the raw
//! document and parse it with `openapiv3`.
//!
//! Fixes run on the raw JSON value, before typed parsing, because `openapiv3` drops what the fixes
//! need to see (e.g. the siblings of a `$ref`).

use serde_json::Value;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

use crate::config::{Fix, Overlay, Pin};
use crate::diag::{join, Diagnostics};
use crate::Error;

/// Where the description comes from.
#[derive(Clone, Debug)]
pub enum SpecSource {
    /// A pinned version, looked up under `$INTERCOM_OPENAPI_DIR` (or the given checkout directory).
    Version {
        version: String,
        openapi_dir: Option<PathBuf>,
    },
    /// An explicit file; `version` names the pin entry it is checked against.
    File { path: PathBuf, version: String },
}

/// The environment variable naming a checkout of the upstream repository.
pub const OPENAPI_DIR_VAR: &str = "INTERCOM_OPENAPI_DIR";

/// A loaded, fixed and parsed description.
#[derive(Debug)]
pub struct LoadedSpec {
    pub version: String,
    pub path: PathBuf,
    pub sha256: String,
    /// The document after the overlay's fixes: what the SDK is generated from (served to mock
    /// servers by the conformance tests).
    pub fixed: Value,
    pub openapi: openapiv3::OpenAPI,
}

/// Resolves the description file for `source`.
pub fn locate(source: &SpecSource, pin: &Pin) -> Result<(PathBuf, String), Error> {
    match source {
        SpecSource::File { path, version } => Ok((path.clone(), version.clone())),
        SpecSource::Version {
            version,
            openapi_dir,
        } => {
            let pinned = pin
                .descriptions
                .get(version)
                .ok_or_else(|| Error::UnknownVersion {
                    version: version.clone(),
                    known: pin.descriptions.keys().cloned().collect(),
                })?;
            let dir = match openapi_dir {
                Some(dir) => dir.clone(),
                None => match std::env::var_os(OPENAPI_DIR_VAR) {
                    Some(dir) => PathBuf::from(dir),
                    None => {
                        return Err(Error::SpecNotFound {
                            path: None,
                            hint: missing_hint(pin),
                        })
                    }
                },
            };
            let path = dir.join(&pinned.path);
            if !path.is_file() {
                return Err(Error::SpecNotFound {
                    path: Some(path),
                    hint: missing_hint(pin),
                });
            }
            Ok((path, version.clone()))
        }
    }
}

fn missing_hint(pin: &Pin) -> String {
    format!(
        "clone {} at commit {} and set {OPENAPI_DIR_VAR} to the checkout \
         (e.g. `export {OPENAPI_DIR_VAR}=../shared/intercom-openapi`), or pass `--spec PATH`",
        pin.upstream.repository, pin.upstream.commit
    )
}

/// Hex sha256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// Reads, checks, fixes and parses the description.
pub fn load(
    source: &SpecSource,
    pin: &Pin,
    overlay: &Overlay,
    allow_unpinned: bool,
    diags: &mut Diagnostics,
) -> Result<LoadedSpec, Error> {
    let (path, version) = locate(source, pin)?;
    let bytes = std::fs::read(&path).map_err(|source| Error::Io {
        path: path.clone(),
        source,
    })?;
    let sha256 = sha256_hex(&bytes);
    match pin.descriptions.get(&version) {
        Some(pinned) if pinned.sha256 == sha256 => {}
        Some(pinned) if !allow_unpinned => {
            return Err(Error::PinMismatch {
                path,
                expected: pinned.sha256.clone(),
                actual: sha256,
            })
        }
        None if !allow_unpinned => {
            return Err(Error::UnknownVersion {
                version,
                known: pin.descriptions.keys().cloned().collect(),
            })
        }
        _ => diags.warn(
            "",
            format!(
                "{} is not the pinned description (sha256 {sha256})",
                path.display()
            ),
        ),
    }
    let text = std::str::from_utf8(&bytes).map_err(|e| Error::Parse {
        path: path.clone(),
        pointer: String::new(),
        message: format!("not UTF-8: {e}"),
    })?;
    let (fixed, openapi) = parse_document(text, &path, overlay, diags)?;
    Ok(LoadedSpec {
        version,
        path,
        sha256,
        fixed,
        openapi,
    })
}

/// Parses a YAML (or JSON) description, applies the overlay's fixes and parses the result as
/// OpenAPI 3.0. `path` only names the document in errors.
pub fn parse_document(
    text: &str,
    path: &Path,
    overlay: &Overlay,
    diags: &mut Diagnostics,
) -> Result<(Value, openapiv3::OpenAPI), Error> {
    let parse_error = |pointer: String, message: String| Error::Parse {
        path: path.to_path_buf(),
        pointer,
        message,
    };
    // A syntax error is located by line and column in the message; its pointer is the root.
    let mut raw: Value =
        serde_yaml::from_str(text).map_err(|e| parse_error(String::new(), e.to_string()))?;
    apply_fixes(&mut raw, &overlay.fixes, diags)?;
    let openapi = serde_path_to_error::deserialize::<_, openapiv3::OpenAPI>(&raw).map_err(|e| {
        let mut pointer = path_pointer(e.path());
        let mut message = e.inner().to_string();
        // `paths` is a flattened map in openapiv3, where serde loses the path: find the path
        // item that fails and locate the failure inside it.
        if pointer == "/paths" {
            if let Some((inner, why)) = failing_path_item(&raw) {
                pointer = inner;
                message = why;
            }
        }
        parse_error(
            pointer,
            format!("not an OpenAPI 3.0 document after fixes: {message}"),
        )
    })?;
    Ok((raw, openapi))
}

/// The pointer and error of the first path item that does not parse.
fn failing_path_item(raw: &Value) -> Option<(String, String)> {
    let paths = raw.get("paths")?.as_object()?;
    paths
        .iter()
        .filter(|(key, item)| key.starts_with('/') && item.get("$ref").is_none())
        .find_map(|(key, item)| {
            let e = serde_path_to_error::deserialize::<_, openapiv3::PathItem>(item).err()?;
            let inner = path_pointer(e.path());
            Some((
                format!("{}{inner}", join("/paths", key)),
                e.inner().to_string(),
            ))
        })
}

/// The JSON pointer of a serde path: as deep as serde could follow (untagged and flattened
/// parts of `openapiv3`'s model end it at their parent).
fn path_pointer(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut pointer = String::new();
    for segment in path.iter() {
        match segment {
            Segment::Seq { index } => pointer = join(&pointer, &index.to_string()),
            Segment::Map { key } => pointer = join(&pointer, key),
            Segment::Enum { .. } => {}
            Segment::Unknown => break,
        }
    }
    pointer
}

/// Applies the overlay's fixes in order. A fix whose target is absent is a warning (the defect may
/// be fixed upstream); a malformed fix is an error.
pub fn apply_fixes(doc: &mut Value, fixes: &[Fix], diags: &mut Diagnostics) -> Result<(), Error> {
    for (index, fix) in fixes.iter().enumerate() {
        let what = |m: &str| Error::Overlay(format!("fixes[{index}]: {m}"));
        match (&fix.rule, &fix.add, &fix.set, &fix.value) {
            (Some(rule), None, None, None) => {
                let count = apply_rule(doc, rule).ok_or_else(|| what("unknown rule"))?;
                if count == 0 {
                    diags.warn("", format!("fix rule `{rule}` matched nothing"));
                }
            }
            (None, Some(pointer), None, Some(value)) => {
                if doc.pointer(pointer).is_some() {
                    diags.warn(
                        pointer.clone(),
                        "fix `add`: the target exists already (fixed upstream?); left as is",
                    );
                } else if !insert(doc, pointer, value.clone()) {
                    diags.warn(pointer.clone(), "fix `add`: the parent does not exist");
                }
            }
            (None, None, Some(pointer), Some(value)) => {
                if !insert(doc, pointer, value.clone()) {
                    diags.warn(pointer.clone(), "fix `set`: the parent does not exist");
                }
            }
            _ => {
                return Err(what(
                    "give exactly one of `rule`, `add`, `set` (with `value`)",
                ))
            }
        }
    }
    Ok(())
}

/// Inserts `value` at `pointer` into an existing parent object. Returns false when the parent is
/// missing or not an object.
fn insert(doc: &mut Value, pointer: &str, value: Value) -> bool {
    let Some((parent, last)) = pointer.rsplit_once('/') else {
        return false;
    };
    let key = last.replace("~1", "/").replace("~0", "~");
    match doc.pointer_mut(parent) {
        Some(Value::Object(map)) => {
            map.insert(key, value);
            true
        }
        Some(Value::Array(items)) => match key.parse::<usize>() {
            Ok(i) if i < items.len() => {
                items[i] = value;
                true
            }
            _ => false,
        },
        _ => false,
    }
}

/// Applies a named rule to the whole document; returns how many places it changed, or `None` for an
/// unknown rule.
pub fn apply_rule(doc: &mut Value, rule: &str) -> Option<usize> {
    match rule {
        "ref-siblings" => {
            let mut count = 0;
            wrap_ref_siblings(doc, &mut count);
            Some(count)
        }
        _ => None,
    }
}

/// `{$ref: X, nullable: true, description: D}` becomes `{allOf: [{$ref: X}], nullable: true,
/// description: D}` for schema references, so the siblings survive typed parsing.
fn wrap_ref_siblings(value: &mut Value, count: &mut usize) {
    match value {
        Value::Object(map) => {
            let is_schema_ref = map
                .get("$ref")
                .and_then(Value::as_str)
                .is_some_and(|r| r.starts_with("#/components/schemas/"));
            if is_schema_ref && map.len() > 1 {
                if let Some(reference) = map.remove("$ref") {
                    let mut target = serde_json::Map::new();
                    target.insert("$ref".to_owned(), reference);
                    map.insert(
                        "allOf".to_owned(),
                        Value::Array(vec![Value::Object(target)]),
                    );
                    *count += 1;
                }
            }
            for child in map.values_mut() {
                wrap_ref_siblings(child, count);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| wrap_ref_siblings(v, count)),
        _ => {}
    }
}

/// Pointer of a path item's operation, e.g. `/paths/~1me/get`.
pub fn operation_pointer(path: &str, method: &str) -> String {
    join(&join("/paths", path), method)
}

impl LoadedSpec {
    pub fn file_name(&self) -> String {
        Path::new(&self.path)
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    }
}
