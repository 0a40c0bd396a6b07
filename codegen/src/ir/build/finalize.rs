//! The post-pass over the whole IR: optionality, boxing of recursive fields, union shapes and
//! decode order.

use super::named;
use crate::ir::*;
use std::collections::BTreeSet;

/// Post-pass over the whole IR: optionality, boxing of recursive fields, union shapes and order.
pub(super) fn finalize(ir: &mut Ir) {
    let snapshot = ir.clone();
    for def in ir.types.values_mut() {
        match &mut def.kind {
            TypeKind::Struct(s) => {
                for f in &mut s.fields {
                    f.optional = !f.required || f.nullable || !snapshot.has_default(&f.ty);
                    if let Ty::Named(target) = &f.ty {
                        f.boxed = reaches(&snapshot, target, &def.name, &mut BTreeSet::new());
                    }
                }
            }
            TypeKind::Union(u) => {
                for v in &mut u.variants {
                    v.shape = shape_of(&snapshot, &v.ty, 0);
                }
                // Most specific first: objects with more required keys or constants before others.
                u.variants.sort_by_key(|v| match &v.shape {
                    Shape::Object {
                        required, consts, ..
                    } => (0, usize::MAX - required.len() - consts.len()),
                    Shape::Any => (2, 0),
                    _ => (1, 0),
                });
            }
            _ => {}
        }
    }
    for op in &mut ir.operations {
        if let Some(Body::Fields { fields, .. }) = op.request.as_mut().and_then(|r| r.body.as_mut())
        {
            // A request is built, not decoded from a server: every required input is a
            // constructor argument, whether or not its type has a default.
            for f in fields {
                f.optional = !f.required || f.nullable;
                f.boxed = false;
            }
        }
    }
}

/// Whether `from` reaches `to` through fields held by value (not behind a Vec or map).
pub(super) fn reaches(ir: &Ir, from: &str, to: &str, seen: &mut BTreeSet<String>) -> bool {
    if from == to {
        return true;
    }
    if !seen.insert(from.to_owned()) {
        return false;
    }
    let direct: Vec<&str> = match ir.get(from).map(|t| &t.kind) {
        Some(TypeKind::Struct(s)) => s.fields.iter().filter_map(|f| named(&f.ty)).collect(),
        Some(TypeKind::Union(u)) => u.variants.iter().filter_map(|v| named(&v.ty)).collect(),
        Some(TypeKind::Alias(t)) => named(t).into_iter().collect(),
        _ => Vec::new(),
    };
    direct.into_iter().any(|n| reaches(ir, n, to, seen))
}

pub(super) fn shape_of(ir: &Ir, ty: &Ty, depth: usize) -> Shape {
    match ty {
        Ty::String => Shape::String,
        Ty::Integer => Shape::Integer,
        Ty::Number => Shape::Number,
        Ty::Boolean => Shape::Boolean,
        Ty::Any => Shape::Any,
        Ty::Array(_) => Shape::Array,
        Ty::Nullable(_) => Shape::Any,
        Ty::Map(_) => Shape::Object {
            required: Vec::new(),
            consts: Vec::new(),
            enums: Vec::new(),
        },
        Ty::Named(n) => match ir.get(n).map(|t| &t.kind) {
            Some(TypeKind::Struct(s)) => {
                let required = s
                    .fields
                    .iter()
                    .filter(|f| f.required)
                    .map(|f| f.wire.clone())
                    .collect();
                let consts = s
                    .fields
                    .iter()
                    .filter(|f| f.required)
                    .filter_map(|f| match ir.get(named(&f.ty)?).map(|t| &t.kind) {
                        Some(TypeKind::Enum(e)) if e.is_constant() => {
                            Some((f.wire.clone(), e.variants[0].value.clone()))
                        }
                        _ => None,
                    })
                    .collect();
                let enums = s
                    .fields
                    .iter()
                    .filter_map(|f| match ir.get(named(&f.ty)?).map(|t| &t.kind) {
                        Some(TypeKind::Enum(e)) => Some((
                            f.wire.clone(),
                            e.variants.iter().map(|v| v.value.clone()).collect(),
                        )),
                        _ => None,
                    })
                    .collect();
                Shape::Object {
                    required,
                    consts,
                    enums,
                }
            }
            Some(TypeKind::Enum(_)) => Shape::String,
            Some(TypeKind::Alias(t)) if depth < 8 => shape_of(ir, t, depth + 1),
            _ => Shape::Any,
        },
    }
}
