//! Stage 4, write: put generated files in place, or report how the committed ones differ.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::emit::{File, GENERATED_MARKER};
use crate::Error;

/// How a file on disk differs from what the generator produces.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Stale {
    /// Generated but absent on disk.
    Missing { path: String, expected: String },
    /// On disk with other contents.
    Changed {
        path: String,
        expected: String,
        actual: String,
    },
    /// A generated file on disk that the generator no longer produces.
    Extra { path: String, actual: String },
}

/// Compares `files` with the tree under `dir`.
pub fn check(dir: &Path, files: &[File]) -> Result<Vec<Stale>, Error> {
    let mut stale = Vec::new();
    let expected: BTreeSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
    for file in files {
        let path = dir.join(&file.path);
        match std::fs::read_to_string(&path) {
            Ok(actual) if actual == file.contents => {}
            Ok(actual) => stale.push(Stale::Changed {
                path: file.path.clone(),
                expected: file.contents.clone(),
                actual,
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => stale.push(Stale::Missing {
                path: file.path.clone(),
                expected: file.contents.clone(),
            }),
            Err(source) => return Err(Error::Io { path, source }),
        }
    }
    for (rel, actual) in generated_files_on_disk(dir)? {
        if !expected.contains(rel.as_str()) {
            stale.push(Stale::Extra { path: rel, actual });
        }
    }
    Ok(stale)
}

/// Writes `files` under `dir` (only those whose contents changed) and removes generated files the
/// generator no longer produces. Returns the paths written or removed.
pub fn write(dir: &Path, files: &[File]) -> Result<Vec<String>, Error> {
    let mut touched = Vec::new();
    for stale in check(dir, files)? {
        match stale {
            Stale::Missing { path, expected } | Stale::Changed { path, expected, .. } => {
                let full = dir.join(&path);
                if let Some(parent) = full.parent() {
                    std::fs::create_dir_all(parent).map_err(|source| Error::Io {
                        path: parent.to_path_buf(),
                        source,
                    })?;
                }
                std::fs::write(&full, expected)
                    .map_err(|source| Error::Io { path: full, source })?;
                touched.push(path);
            }
            Stale::Extra { path, .. } => {
                let full = dir.join(&path);
                std::fs::remove_file(&full).map_err(|source| Error::Io { path: full, source })?;
                touched.push(path);
            }
        }
    }
    Ok(touched)
}

/// Files under `dir` (recursively) that carry the generated marker, relative paths with `/`.
fn generated_files_on_disk(dir: &Path) -> Result<Vec<(String, String)>, Error> {
    let mut out = Vec::new();
    let mut pending: Vec<PathBuf> = vec![dir.to_path_buf()];
    while let Some(current) = pending.pop() {
        let entries = match std::fs::read_dir(&current) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(source) => {
                return Err(Error::Io {
                    path: current,
                    source,
                })
            }
        };
        for entry in entries {
            let entry = entry.map_err(|source| Error::Io {
                path: current.clone(),
                source,
            })?;
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let contents = std::fs::read_to_string(&path).unwrap_or_default();
                if contents.starts_with(GENERATED_MARKER) {
                    let rel = path
                        .strip_prefix(dir)
                        .unwrap_or(&path)
                        .components()
                        .map(|c| c.as_os_str().to_string_lossy().into_owned())
                        .collect::<Vec<_>>()
                        .join("/");
                    out.push((rel, contents));
                }
            }
        }
    }
    out.sort();
    Ok(out)
}
