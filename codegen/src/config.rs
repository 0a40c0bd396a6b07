//! The project's own inputs beside the upstream spec: the pin (`spec/pin.yaml`) and the overlay
//! (`spec/overlay.yaml`). Both are plain data, deserialized here and validated by the stages that use
//! them.

use indexmap::IndexMap;
use serde::Deserialize;
use std::path::Path;

use crate::Error;

/// `spec/pin.yaml`: which upstream descriptions the SDK may be generated from.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pin {
    pub upstream: Upstream,
    /// The version the committed SDK is generated from.
    pub target: String,
    pub descriptions: IndexMap<String, PinnedDescription>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Upstream {
    pub repository: String,
    pub commit: String,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PinnedDescription {
    /// Path of the description inside a checkout of the upstream repository.
    pub path: String,
    pub sha256: String,
}

/// `spec/overlay.yaml`: fixes, operation naming and pagination.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Overlay {
    #[serde(default)]
    pub fixes: Vec<Fix>,
    #[serde(default)]
    pub operations: IndexMap<String, OperationOverlay>,
    /// Type names by the JSON pointer of the schema the type comes from, where the generated name
    /// cannot say what the type means (`/components/schemas/ticket/properties/type: TicketObjectType`).
    #[serde(default)]
    pub types: IndexMap<String, String>,
}

/// One correction of the raw document. Exactly one of `rule`, `add`, `set` is given.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fix {
    /// A named, document-wide normalisation (see `load::apply_rule`).
    #[serde(default)]
    pub rule: Option<String>,
    /// JSON pointer of a value that must not exist yet.
    #[serde(default)]
    pub add: Option<String>,
    /// JSON pointer whose parent must exist; the value is replaced or inserted.
    #[serde(default)]
    pub set: Option<String>,
    #[serde(default)]
    pub value: Option<serde_json::Value>,
    pub reason: String,
}

/// Where an operation lives in the SDK.
///
/// An entry is keyed `"METHOD /path"` and matches an operation of the description by method and
/// path shape (placeholder names ignored: `/contacts/{id}` matches `/contacts/{contact_id}`), or
/// failing that by `operation_id` (see [`path_shape`] and `ir::build`'s operation walk).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OperationOverlay {
    /// The operation's `operationId` in the description the entry was written for: the second key,
    /// used when no operation has the entry's method and path shape (a path that moved).
    #[serde(default)]
    pub operation_id: Option<String>,
    /// Dotted group path, e.g. `help_centers.collections`.
    pub resource: String,
    /// snake_case method name.
    pub method: String,
    /// Request type name; absent when the operation takes no input.
    #[serde(default)]
    pub request: Option<String>,
    /// How the operation pages, overriding what is inferred from the description; `none` turns
    /// paging off. Absent: inferred (`ir::build`'s pagination inference).
    #[serde(default)]
    pub pagination: Option<PaginationEntry>,
}

/// An operation's `pagination` entry: a style, or `none`.
#[derive(Clone, Debug, Deserialize)]
#[serde(untagged)]
pub enum PaginationEntry {
    /// `pagination: none`: the operation does not page, whatever its shape.
    Off(PaginationOff),
    Style(PaginationOverlay),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PaginationOff {
    None,
}

/// The shape of a path: its placeholders' names left out (`/contacts/{contact_id}` becomes
/// `/contacts/{}`). Overlay entries and fixes match operations by method and shape.
pub fn path_shape(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut in_placeholder = false;
    for c in path.chars() {
        match c {
            '{' => {
                in_placeholder = true;
                out.push_str("{}");
            }
            '}' => in_placeholder = false,
            _ if in_placeholder => {}
            _ => out.push(c),
        }
    }
    out
}

/// An overlay key (`"GET /contacts/{contact_id}"`) as method and path shape (`"GET /contacts/{}"`).
pub fn key_shape(key: &str) -> String {
    match key.split_once(' ') {
        Some((method, path)) => format!("{} {}", method.to_ascii_uppercase(), path_shape(path)),
        None => key.to_owned(),
    }
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PaginationOverlay {
    pub style: PaginationStyle,
    /// Query parameter (or dotted body path for `body_cursor`) the next page's position goes into.
    pub param: String,
    /// Dotted path of the response field holding the items.
    pub items: String,
    /// Dotted path of the response field holding the next cursor (cursor and scroll styles).
    #[serde(default)]
    pub cursor: Option<String>,
    /// Dotted paths of the current page number and the page count (page_number style).
    #[serde(default)]
    pub page: Option<String>,
    #[serde(default)]
    pub total_pages: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PaginationStyle {
    PageNumber,
    QueryCursor,
    BodyCursor,
    Scroll,
}

fn read_yaml<T: serde::de::DeserializeOwned>(path: &Path) -> Result<T, Error> {
    let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })?;
    serde_yaml::from_str(&text).map_err(|e| Error::Config {
        path: path.to_path_buf(),
        message: e.to_string(),
    })
}

impl Pin {
    pub fn load(path: &Path) -> Result<Self, Error> {
        read_yaml(path)
    }
}

impl Overlay {
    pub fn load(path: &Path) -> Result<Self, Error> {
        read_yaml(path)
    }
}
