//! Lowering: a parsed OpenAPI description plus the overlay becomes an [`Ir`].
//!
//! Every construct the generator cannot map is reported with its JSON pointer and replaced by a safe
//! fallback (`serde_json::Value`); only what would make the output wrong is an error.

//! The job of each module:
//!
//! | Module | Job |
//! |---|---|
//! | `mod.rs` | The [`build`] entry point, the `Builder` state and type definition. |
//! | `view.rs` | One uniform view of a schema (`View`, `SRef`). |
//! | `schema.rs` | Lowering a schema: references, scalars, arrays, maps, structs, string enums. |
//! | `compose.rs` | `allOf` merging and properties distributed over `oneOf`/`anyOf` alternatives. |
//! | `unions.rs` | `oneOf`/`anyOf` unions and their variant names. |
//! | `operations.rs` | The walk over the paths and operation naming (overlay or operationId). |
//! | `requests.rs` | Parameters and request bodies. |
//! | `responses.rs` | Success responses. |
//! | `finalize.rs` | The post-pass: optionality, boxing, union shapes and order. |
//! | `pagination.rs` | Pagination: inferred from the shapes, or the overlay's entry. |
//! | `constants.rs` | A property with one possible value becomes the struct's implicit constant. |
//! | `ids.rs` | Integer ids of request inputs accept an integer or a string (`IntegerOrStringId`). |
//! | `rename.rs` | The overlay's `types` names, applied to a type and every use of it. |

mod compose;
mod constants;
mod examples;
mod finalize;
mod ids;
mod operations;
mod pagination;
mod rename;
mod requests;
mod responses;
mod schema;
mod unions;
mod view;

use indexmap::IndexMap;
use openapiv3::{OpenAPI, ReferenceOr, Schema};
use std::collections::{BTreeMap, BTreeSet};

use super::names::{type_name, Namer};
use super::*;
use crate::config::Overlay;
use crate::diag::{join, Diagnostics};
use finalize::finalize;
use pagination::paginate;
use rename::rename_types;

const SCHEMA_PREFIX: &str = "#/components/schemas/";

/// Lowers `api` (already fixed by the overlay) into the IR.
pub fn build(api: &OpenAPI, overlay: &Overlay, diags: &mut Diagnostics) -> Ir {
    let mut builder = Builder::new(api, diags);
    let keys: Vec<String> = builder.comp_names.keys().cloned().collect();
    for key in &keys {
        builder.ensure_component(key);
    }
    let matched = builder.match_overlay(overlay);
    let operations = builder.operations(overlay, &matched);
    let mut ir = Ir {
        api_version: api.info.version.clone(),
        types: std::mem::take(&mut builder.types),
        operations,
    };
    for (name, def) in &ir.types {
        if matches!(def.kind, TypeKind::Alias(Ty::Named(_))) && ir.resolve(name).is_none() {
            builder.diags.error(
                &def.pointer,
                format!("`{name}` is an alias of itself (a `$ref` cycle)"),
            );
        }
    }
    rename_types(&mut ir, overlay, builder.diags);
    ids::flexible_ids(&mut ir);
    constants::implicit_constants(&mut ir);
    finalize(&mut ir);
    operations::distinct_request_names(&mut ir, builder.diags);
    examples::borrow_parameter_examples(&mut ir);
    paginate(&mut ir, overlay, &matched, builder.diags);
    ir
}

/// How the name of a type being created is chosen.
enum Slot {
    /// A component: the name was reserved up front.
    Fixed(String),
    /// An inline schema: this name, made unique.
    Hint(String),
}

struct Builder<'a, 'd> {
    api: &'a OpenAPI,
    schemas: IndexMap<&'a str, &'a ReferenceOr<Schema>>,
    /// Component key -> Rust name.
    comp_names: BTreeMap<String, String>,
    built: BTreeSet<String>,
    namer: Namer,
    types: BTreeMap<String, TypeDef>,
    diags: &'d mut Diagnostics,
}

impl<'a, 'd> Builder<'a, 'd> {
    fn new(api: &'a OpenAPI, diags: &'d mut Diagnostics) -> Self {
        let schemas: IndexMap<&str, &ReferenceOr<Schema>> = api
            .components
            .as_ref()
            .map(|c| c.schemas.iter().map(|(k, v)| (k.as_str(), v)).collect())
            .unwrap_or_default();
        // Names the generated modules use unqualified (prelude types, serde's derives) or that mean
        // something else in Rust: a schema that wants one is renamed, with a warning.
        let mut namer = Namer::default();
        for reserved in [
            "Self",
            "String",
            "Option",
            "Vec",
            "Box",
            "Result",
            "Default",
            "Serialize",
            "Deserialize",
        ] {
            namer.claim(reserved);
        }
        let mut comp_names = BTreeMap::new();
        let mut keys: Vec<&str> = schemas.keys().copied().collect();
        keys.sort_unstable();
        for key in keys {
            let wanted = type_name(key);
            let name = namer.claim(&wanted);
            if name != wanted {
                diags.warn(
                    join("/components/schemas", key),
                    format!("type name `{wanted}` is taken by another schema; named `{name}`"),
                );
            }
            comp_names.insert(key.to_owned(), name);
        }
        Builder {
            api,
            schemas,
            comp_names,
            built: BTreeSet::new(),
            namer,
            types: BTreeMap::new(),
            diags,
        }
    }

    fn slot_name(&mut self, slot: Slot) -> String {
        match slot {
            Slot::Fixed(name) => name,
            Slot::Hint(hint) => {
                // `{Parent}{Field}` without a repeated word, unless that name is someone else's.
                let single = names::without_doubled_words(&hint);
                if self.namer.is_taken(&single) {
                    self.namer.claim(&hint)
                } else {
                    self.namer.claim(&single)
                }
            }
        }
    }

    fn define(&mut self, name: String, pointer: &str, doc: Option<String>, kind: TypeKind) -> Ty {
        self.types.insert(
            name.clone(),
            TypeDef {
                name: name.clone(),
                pointer: pointer.to_owned(),
                doc,
                kind,
            },
        );
        Ty::Named(name)
    }
}

fn named(ty: &Ty) -> Option<&str> {
    match ty {
        Ty::Named(n) => Some(n),
        _ => None,
    }
}
