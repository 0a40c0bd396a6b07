//! Changes of types: added or removed models, a type of another kind, fields and enum values.

use std::collections::{BTreeMap, BTreeSet};

use super::{push, ty_name, Change, Class, Impact};
use crate::ir::{Ir, Struct, Ty, TypeDef, TypeKind};

fn kind_name(kind: &TypeKind) -> &'static str {
    match kind {
        TypeKind::Struct(_) => "struct",
        TypeKind::Enum(_) => "enum",
        TypeKind::Union(_) => "union",
        TypeKind::Alias(_) => "alias",
    }
}

pub(super) fn compare(old: &Ir, new: &Ir, out: &mut Vec<Change>) {
    let old_inputs = crate::api::input_types(old);
    // A type is the same schema (JSON pointer) under the same or another name; a name whose
    // schema moved is still the same type when no other type has its old pointer.
    let mut pointer_count: BTreeMap<&str, usize> = BTreeMap::new();
    for def in new.types.values() {
        *pointer_count.entry(def.pointer.as_str()).or_insert(0) += 1;
    }
    let new_by_pointer: BTreeMap<&str, &TypeDef> = new
        .types
        .values()
        .filter(|d| pointer_count[d.pointer.as_str()] == 1)
        .map(|d| (d.pointer.as_str(), d))
        .collect();
    let mut claimed: BTreeSet<&str> = BTreeSet::new();
    let mut matches: Vec<(&TypeDef, &TypeDef)> = Vec::new();
    let mut removed: Vec<&TypeDef> = Vec::new();
    for (name, def) in &old.types {
        let same_name = new.types.get(name);
        let by_pointer = new_by_pointer.get(def.pointer.as_str()).copied();
        let other = match (same_name, by_pointer) {
            (Some(same), _) if same.pointer == def.pointer => Some(same),
            (_, Some(moved)) if !old.types.contains_key(&moved.name) || moved.name == *name => {
                Some(moved)
            }
            (Some(same), _) => Some(same),
            (None, _) => None,
        };
        match other {
            Some(other) if claimed.insert(other.name.as_str()) => matches.push((def, other)),
            _ => removed.push(def),
        }
    }
    for def in removed {
        push(
            out,
            Class::TypeRemoved,
            Impact::Breaking,
            format!("models::{}", def.name),
            kind_name(&def.kind).to_owned(),
        );
    }
    for (def, other) in matches {
        if def.name != other.name {
            push(
                out,
                Class::TypeRenamed,
                Impact::Breaking,
                format!("models::{}", def.name),
                format!("`{}` -> `{}` ({})", def.name, other.name, def.pointer),
            );
        }
        let exhaustive = !crate::api::type_is_non_exhaustive(old, &old_inputs, &def.name);
        type_def(def, other, exhaustive, out);
    }
    for (name, def) in &new.types {
        if !claimed.contains(name.as_str()) {
            push(
                out,
                Class::TypeAdded,
                Impact::Additive,
                format!("models::{name}"),
                kind_name(&def.kind).to_owned(),
            );
        }
    }
}

fn type_def(a: &TypeDef, b: &TypeDef, exhaustive: bool, out: &mut Vec<Change>) {
    let subject = format!("models::{}", b.name);
    match (&a.kind, &b.kind) {
        (TypeKind::Struct(sa), TypeKind::Struct(sb)) => fields(&subject, sa, sb, exhaustive, out),
        (TypeKind::Enum(ea), TypeKind::Enum(eb)) => {
            let va: BTreeSet<&str> = ea.variants.iter().map(|v| v.value.as_str()).collect();
            let vb: BTreeSet<&str> = eb.variants.iter().map(|v| v.value.as_str()).collect();
            for value in vb.difference(&va) {
                push(
                    out,
                    Class::EnumValueAdded,
                    Impact::Additive,
                    subject.clone(),
                    format!("`{value}`"),
                );
            }
            for value in va.difference(&vb) {
                push(
                    out,
                    Class::EnumValueRemoved,
                    Impact::Breaking,
                    subject.clone(),
                    format!("`{value}`"),
                );
            }
        }
        (TypeKind::Union(ua), TypeKind::Union(ub)) => {
            let va: BTreeMap<&str, &Ty> = ua
                .variants
                .iter()
                .map(|v| (v.name.as_str(), &v.ty))
                .collect();
            let vb: BTreeMap<&str, &Ty> = ub
                .variants
                .iter()
                .map(|v| (v.name.as_str(), &v.ty))
                .collect();
            for (name, ty) in &vb {
                match va.get(name) {
                    None => push(
                        out,
                        Class::VariantAdded,
                        Impact::Additive,
                        format!("{subject}::{name}"),
                        format!("`{}`", ty_name(ty)),
                    ),
                    Some(old) if old != ty => push(
                        out,
                        Class::VariantRetyped,
                        Impact::Breaking,
                        format!("{subject}::{name}"),
                        format!("`{}` -> `{}`", ty_name(old), ty_name(ty)),
                    ),
                    Some(_) => {}
                }
            }
            for (name, ty) in &va {
                if !vb.contains_key(name) {
                    push(
                        out,
                        Class::VariantRemoved,
                        Impact::Breaking,
                        format!("{subject}::{name}"),
                        format!("`{}`", ty_name(ty)),
                    );
                }
            }
        }
        (TypeKind::Alias(ta), TypeKind::Alias(tb)) => {
            if ta != tb {
                push(
                    out,
                    Class::TypeChanged,
                    Impact::Breaking,
                    subject,
                    format!("alias of `{}` -> `{}`", ty_name(ta), ty_name(tb)),
                );
            }
        }
        (ka, kb) => push(
            out,
            Class::TypeChanged,
            Impact::Breaking,
            subject,
            format!("{} -> {}", kind_name(ka), kind_name(kb)),
        ),
    }
}

/// The Rust type of a field as users see it.
fn field_ty(f: &crate::ir::Field) -> String {
    let mut ty = ty_name(&f.ty);
    if f.boxed {
        ty = format!("Box<{ty}>");
    }
    if f.optional {
        ty = format!("Option<{ty}>");
    }
    ty
}

fn fields(subject: &str, a: &Struct, b: &Struct, exhaustive: bool, out: &mut Vec<Change>) {
    let fa: BTreeMap<&str, &crate::ir::Field> =
        a.fields.iter().map(|f| (f.name.as_str(), f)).collect();
    let fb: BTreeMap<&str, &crate::ir::Field> =
        b.fields.iter().map(|f| (f.name.as_str(), f)).collect();
    // A new field breaks struct literals of an exhaustive struct (one a request input reaches).
    let addition = if exhaustive {
        Impact::Breaking
    } else {
        Impact::Additive
    };
    for (name, f) in &fb {
        let item = format!("{subject}::{name}");
        let Some(old) = fa.get(name) else {
            let why = if exhaustive {
                " (exhaustive: struct literals break)"
            } else {
                ""
            };
            push(
                out,
                Class::FieldAdded,
                addition,
                item,
                format!("`{}`{why}", field_ty(f)),
            );
            continue;
        };
        if old.ty != f.ty || old.boxed != f.boxed {
            push(
                out,
                Class::FieldRetyped,
                Impact::Breaking,
                item.clone(),
                format!("`{}` -> `{}`", field_ty(old), field_ty(f)),
            );
        } else if old.optional != f.optional {
            let class = if f.optional {
                Class::FieldMadeOptional
            } else {
                Class::FieldMadeRequired
            };
            push(
                out,
                class,
                Impact::Breaking,
                item.clone(),
                format!("`{}` -> `{}`", field_ty(old), field_ty(f)),
            );
        }
        if old.required != f.required && old.optional == f.optional {
            let class = if f.required {
                Class::FieldMadeRequired
            } else {
                Class::FieldMadeOptional
            };
            push(
                out,
                class,
                Impact::Compatible,
                item,
                format!(
                    "in the description only; the Rust type stays `{}`",
                    field_ty(f)
                ),
            );
        }
    }
    for (name, f) in &fa {
        if !fb.contains_key(name) {
            push(
                out,
                Class::FieldRemoved,
                Impact::Breaking,
                format!("{subject}::{name}"),
                format!("`{}`", field_ty(f)),
            );
        }
    }
    match (&a.additional, &b.additional) {
        (None, Some(ty)) => push(
            out,
            Class::FieldAdded,
            addition,
            format!("{subject}::additional_properties"),
            format!("`BTreeMap<String, {}>`", ty_name(ty)),
        ),
        (Some(ty), None) => push(
            out,
            Class::FieldRemoved,
            Impact::Breaking,
            format!("{subject}::additional_properties"),
            format!("`BTreeMap<String, {}>`", ty_name(ty)),
        ),
        (Some(ta), Some(tb)) if ta != tb => push(
            out,
            Class::FieldRetyped,
            Impact::Breaking,
            format!("{subject}::additional_properties"),
            format!("`{}` -> `{}`", ty_name(ta), ty_name(tb)),
        ),
        _ => {}
    }
    // The constant a struct writes on serialization (and checks when decoding).
    if a.constant != b.constant {
        let show = |c: &Option<crate::ir::Constant>| match c {
            Some(c) => format!("`\"{}\": \"{}\"`", c.wire, c.value),
            None => "none".to_owned(),
        };
        push(
            out,
            Class::TypeChanged,
            Impact::Breaking,
            subject.to_owned(),
            format!("constant {} -> {}", show(&a.constant), show(&b.constant)),
        );
    }
}
