//! The post-pass over the whole IR: optionality, boxing of recursive fields, union shapes and
//! decode order.

use super::named;
use crate::ir::*;
use std::collections::{BTreeMap, BTreeSet};

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
                        // A value that contains itself has no finite default: optional, whatever
                        // the description requires.
                        f.optional |= f.boxed;
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
    box_large_variants(ir);
    for op in &mut ir.operations {
        if let Some(Body::Fields { fields, .. } | Body::Multipart { fields }) =
            op.request.as_mut().and_then(|r| r.body.as_mut())
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
        Ty::Any | Ty::File => Shape::Any,
        Ty::Array(_) => Shape::Array,
        Ty::Nullable(_) => Shape::Any,
        Ty::Map(_) => Shape::Object {
            required: Vec::new(),
            consts: Vec::new(),
            enums: Vec::new(),
        },
        Ty::Named(n) => match ir.get(n).map(|t| &t.kind) {
            Some(TypeKind::Struct(s)) => {
                // The struct's implicit constant first, then its fields.
                let constant = s.constant.as_ref();
                let required = constant
                    .filter(|c| c.required)
                    .map(|c| c.wire.clone())
                    .into_iter()
                    .chain(
                        s.fields
                            .iter()
                            .filter(|f| f.required)
                            .map(|f| f.wire.clone()),
                    )
                    .collect();
                let consts = constant
                    .filter(|c| c.required)
                    .map(|c| (c.wire.clone(), c.value.clone()))
                    .into_iter()
                    .chain(s.fields.iter().filter(|f| f.required).filter_map(|f| {
                        match ir.get(named(&f.ty)?).map(|t| &t.kind) {
                            Some(TypeKind::Enum(e)) if e.is_constant() => {
                                Some((f.wire.clone(), e.variants.first()?.value.clone()))
                            }
                            _ => None,
                        }
                    }))
                    .collect();
                let enums = constant
                    .map(|c| (c.wire.clone(), vec![c.value.clone()]))
                    .into_iter()
                    .chain(s.fields.iter().filter_map(|f| {
                        match ir.get(named(&f.ty)?).map(|t| &t.kind) {
                            Some(TypeKind::Enum(e)) => Some((
                                f.wire.clone(),
                                e.variants.iter().map(|v| v.value.clone()).collect(),
                            )),
                            _ => None,
                        }
                    }))
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

/// How many bytes larger than the union's next largest variant a variant may be before it is boxed:
/// clippy's `large_enum_variant` threshold.
const LARGE_VARIANT: usize = 200;

/// Boxes each union variant whose payload is much larger than the others (a one-alternative
/// `oneOf` beside its small fallback, typically). Sizes are estimates of the Rust layout; boxing
/// one union makes the types that hold it smaller, so the pass repeats until nothing changes.
fn box_large_variants(ir: &mut Ir) {
    for _ in 0..8 {
        let mut sizes = BTreeMap::new();
        let mut changed = false;
        let snapshot = ir.clone();
        for def in ir.types.values_mut() {
            let TypeKind::Union(u) = &mut def.kind else {
                continue;
            };
            loop {
                let mut by_size: Vec<(usize, usize)> = u
                    .variants
                    .iter()
                    .enumerate()
                    .map(|(i, v)| {
                        let size = if v.boxed {
                            8
                        } else {
                            size_of(&snapshot, &v.ty, &mut sizes, 0)
                        };
                        (size, i)
                    })
                    .collect();
                // The fallback variant holds a `serde_json::Value`.
                by_size.push((32, usize::MAX));
                by_size.sort_unstable_by(|a, b| b.cmp(a));
                let (largest, index) = by_size[0];
                if index == usize::MAX || largest < by_size[1].0 + LARGE_VARIANT {
                    break;
                }
                u.variants[index].boxed = true;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
}

/// An estimate of the size in bytes of a Rust value of `ty` (64-bit layout).
fn size_of(ir: &Ir, ty: &Ty, memo: &mut BTreeMap<String, usize>, depth: usize) -> usize {
    match ty {
        Ty::String | Ty::Array(_) | Ty::Map(_) => 24,
        Ty::Integer | Ty::Number => 8,
        Ty::Boolean => 1,
        Ty::Any | Ty::File => 32,
        Ty::Nullable(inner) => option_size(ir, inner, memo, depth),
        Ty::Named(name) => {
            if let Some(size) = memo.get(name) {
                return *size;
            }
            if depth > 32 {
                return 8;
            }
            let size = match ir.get(name).map(|t| &t.kind) {
                Some(TypeKind::Struct(s)) => {
                    let fields: usize = s
                        .fields
                        .iter()
                        .map(|f| match (f.boxed, f.optional) {
                            (true, _) => 8,
                            (false, true) => option_size(ir, &f.ty, memo, depth + 1),
                            (false, false) => size_of(ir, &f.ty, memo, depth + 1),
                        })
                        .sum();
                    let additional = if s.additional.is_some() { 24 } else { 0 };
                    (fields + additional).div_ceil(8) * 8
                }
                Some(TypeKind::Enum(_)) => 24,
                Some(TypeKind::Union(u)) => {
                    let largest = u
                        .variants
                        .iter()
                        .map(|v| {
                            if v.boxed {
                                8
                            } else {
                                size_of(ir, &v.ty, memo, depth + 1)
                            }
                        })
                        .max()
                        .unwrap_or(0);
                    largest.max(32) + 8
                }
                Some(TypeKind::Alias(t)) => size_of(ir, t, memo, depth + 1),
                None => 8,
            };
            memo.insert(name.clone(), size);
            size
        }
    }
}

/// `Option<T>`: a number or boolean needs a tag; other types have a niche for `None`.
fn option_size(ir: &Ir, ty: &Ty, memo: &mut BTreeMap<String, usize>, depth: usize) -> usize {
    match ty {
        Ty::Integer | Ty::Number => 16,
        Ty::Boolean => 1,
        other => size_of(ir, other, memo, depth),
    }
}
