//! The semver policy of the generated Rust API, in one place: which generated items are
//! `#[non_exhaustive]`. `emit` puts the attribute where this module says, and [`diff`](crate::diff)
//! classifies a change as breaking or additive by the same rules, so the README's policy, the code
//! and the verdict cannot drift apart.
//!
//! - Request types (`requests::*Request`) are `#[non_exhaustive]`: they are built with `new` (the
//!   required inputs) and chainable setters (the optional ones), so a new optional input is
//!   additive.
//! - String enums and unions are `#[non_exhaustive]`: a `match` needs a wildcard arm, so a new enum
//!   value or union variant is additive.
//! - A model struct that no request input reaches (a response-only type) is `#[non_exhaustive]`:
//!   users read it, and build it (in tests) with `Default::default()` and field assignment, so a new
//!   field is additive.
//! - A model struct that a request input reaches (a search filter, a body object) stays exhaustive,
//!   so it can be written as a struct literal; a new field in it is breaking.

use std::collections::BTreeSet;

use crate::ir::{Body, Ir, Ty, TypeKind};

/// The named types a request input reaches: the types of parameters and body fields, and every
/// type those contain, through aliases, arrays, maps, unions and struct fields.
pub fn input_types(ir: &Ir) -> BTreeSet<String> {
    let mut stack: Vec<&Ty> = Vec::new();
    for op in &ir.operations {
        let Some(request) = &op.request else { continue };
        stack.extend(request.params.iter().map(|p| &p.ty));
        match &request.body {
            Some(Body::Fields { fields, model }) => {
                stack.extend(fields.iter().map(|f| &f.ty));
                if let Some(model) = model {
                    if let Some(def) = ir.types.get(model) {
                        if let TypeKind::Struct(s) = &def.kind {
                            stack.extend(s.fields.iter().map(|f| &f.ty));
                        }
                    }
                }
            }
            Some(Body::Whole { ty, .. }) => stack.push(ty),
            None => {}
        }
    }
    let mut seen = BTreeSet::new();
    while let Some(ty) = stack.pop() {
        match ty {
            Ty::Array(inner) | Ty::Map(inner) | Ty::Nullable(inner) => stack.push(inner),
            Ty::Named(name) => {
                if !seen.insert(name.clone()) {
                    continue;
                }
                let Some(def) = ir.types.get(name) else {
                    continue;
                };
                match &def.kind {
                    TypeKind::Struct(s) => {
                        stack.extend(s.fields.iter().map(|f| &f.ty));
                        stack.extend(s.additional.iter());
                    }
                    TypeKind::Union(u) => stack.extend(u.variants.iter().map(|v| &v.ty)),
                    TypeKind::Alias(inner) => stack.push(inner),
                    TypeKind::Enum(_) => {}
                }
            }
            _ => {}
        }
    }
    seen
}

/// Whether the generated item for the type `name` is `#[non_exhaustive]` (`inputs` from
/// [`input_types`]). Aliases have no attribute of their own.
pub fn type_is_non_exhaustive(ir: &Ir, inputs: &BTreeSet<String>, name: &str) -> bool {
    match ir.types.get(name).map(|d| &d.kind) {
        Some(TypeKind::Struct(_)) => !inputs.contains(name),
        Some(TypeKind::Enum(_) | TypeKind::Union(_)) => true,
        Some(TypeKind::Alias(_)) | None => false,
    }
}
