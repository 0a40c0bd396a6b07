//! Constant discriminators: a `type` (or `object`) property whose type is a one-value string enum
//! (`"type": "contact"`) names the struct rather than carrying data, so it is not a field. The
//! struct writes it on serialization and checks it when decoding, and the enum that only held it
//! is not generated.
//!
//! In a type a request input reaches, only a required property: the struct always writes its
//! constant, and a request must not send what the description lets the caller leave out. (A
//! response-only type is serialized only by the caller, and writes what the server would have.)
//! Only these names: another one-value enum (`"bottom_margin": "none"`) is data that a later
//! description may widen, and a field that came and went with it would break callers.

use crate::ir::features::{mentions, operation_roots};
use crate::ir::*;
use std::collections::{BTreeMap, BTreeSet};

/// The wire names of a discriminator, in order of preference (serde writes one).
const DISCRIMINATORS: [&str; 2] = ["type", "object"];

/// Moves a constant discriminator of each struct out of its fields into [`Struct::constant`], and
/// drops the one-value enums no other place uses.
pub(super) fn implicit_constants(ir: &mut Ir) {
    let constants: BTreeMap<String, String> = ir
        .types
        .iter()
        .filter_map(|(name, def)| match &def.kind {
            TypeKind::Enum(e) if e.is_constant() => {
                Some((name.clone(), e.variants.first()?.value.clone()))
            }
            _ => None,
        })
        .collect();
    let inputs = crate::api::input_types(ir);
    let mut moved = BTreeSet::new();
    for (name, def) in &mut ir.types {
        let input = inputs.contains(name);
        let TypeKind::Struct(s) = &mut def.kind else {
            continue;
        };
        let value_of = |f: &Field| match &f.ty {
            Ty::Named(n) => constants.get(n),
            _ => None,
        };
        let Some(index) = DISCRIMINATORS.iter().find_map(|wire| {
            s.fields
                .iter()
                .position(|f| f.wire == *wire && (f.required || !input) && value_of(f).is_some())
        }) else {
            continue;
        };
        let field = s.fields.remove(index);
        let (Ty::Named(enum_name), Some(value)) = (&field.ty, value_of(&field)) else {
            continue;
        };
        s.constant = Some(Constant {
            wire: field.wire.clone(),
            value: value.clone(),
            required: field.required,
        });
        moved.insert(enum_name.clone());
    }
    let used = referenced(ir);
    ir.types
        .retain(|name, _| !moved.contains(name) || used.contains(name));
}

/// Every named type something mentions: a struct field, a union variant, an alias, an operation.
fn referenced(ir: &Ir) -> BTreeSet<String> {
    let mut out = Vec::new();
    for def in ir.types.values() {
        mentions(&def.kind, &mut out);
    }
    for op in &ir.operations {
        operation_roots(op, &mut out);
    }
    out.into_iter().collect()
}
