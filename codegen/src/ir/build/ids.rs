//! Ids sent as integers: an `id`/`*_id` input the description types as an integer accepts an
//! integer or a string.
//!
//! Intercom's ids are strings almost everywhere, and the same id is an integer in some places of
//! a description and a string in others (an admin id is `integer` in `create_message_request.from`
//! and a string in `GET /admins/{admin_id}`; the official SDKs' overrides retype several). So an
//! integer id in a request input becomes a union of both, which sends exactly what the caller gave
//! (`394051.into()` or `"394051".into()`). Response fields keep their declared type: decoding
//! already tolerates a numeric string there, reported as drift.

use std::collections::BTreeSet;

use crate::ir::*;

/// The name of the union, when no schema takes it.
const NAME: &str = "IntegerOrStringId";

/// Retypes the integer ids of request inputs (request fields, and fields of the types only
/// requests reach) to a union of integer and string, defined once.
pub(super) fn flexible_ids(ir: &mut Ir) {
    if ir.types.contains_key(NAME) {
        return;
    }
    let inputs = crate::api::input_types(ir);
    let outputs = output_types(ir);
    let union = Ty::Named(NAME.to_owned());
    let mut used = false;
    let mut retype = |wire: &str, ty: &mut Ty| {
        if is_id(wire) {
            if let Some(target) = integer_slot(ty) {
                *target = union.clone();
                used = true;
            }
        }
    };
    for op in &mut ir.operations {
        let Some(request) = &mut op.request else {
            continue;
        };
        match &mut request.body {
            Some(Body::Fields { fields, .. } | Body::Multipart { fields }) => {
                for f in fields.iter_mut() {
                    retype(&f.wire, &mut f.ty);
                }
            }
            Some(Body::Whole { .. }) | None => {}
        }
    }
    for (name, def) in ir.types.iter_mut() {
        if !inputs.contains(name) || outputs.contains(name) {
            continue;
        }
        if let TypeKind::Struct(s) = &mut def.kind {
            for f in &mut s.fields {
                retype(&f.wire, &mut f.ty);
            }
        }
    }
    if used {
        ir.types.insert(
            NAME.to_owned(),
            TypeDef {
                name: NAME.to_owned(),
                pointer: "#/components/schemas".to_owned(),
                doc: Some(
                    "An id given as an integer or a string; sent as given. Intercom accepts both \
                     where the description declares an integer id."
                        .to_owned(),
                ),
                kind: TypeKind::Union(Union {
                    variants: vec![
                        variant("Integer", Ty::Integer),
                        variant("String", Ty::String),
                    ],
                    fallback: "Unknown".to_owned(),
                }),
            },
        );
    }
}

fn variant(name: &str, ty: Ty) -> UnionVariant {
    UnionVariant {
        name: name.to_owned(),
        ty,
        shape: Shape::Any,
        boxed: false,
    }
}

/// `id`, or a name ending in `_id`.
fn is_id(wire: &str) -> bool {
    wire == "id" || wire.ends_with("_id")
}

/// The integer inside `ty` (directly, or as the item of a nullable), if it is one.
fn integer_slot(ty: &mut Ty) -> Option<&mut Ty> {
    match ty {
        Ty::Integer => Some(ty),
        Ty::Nullable(inner) => integer_slot(inner),
        _ => None,
    }
}

/// The named types a response reaches (their fields keep the declared types).
fn output_types(ir: &Ir) -> BTreeSet<String> {
    let mut stack: Vec<&Ty> = ir
        .operations
        .iter()
        .filter_map(|op| match &op.response {
            ResponseBody::Json(ty) => Some(ty),
            _ => None,
        })
        .collect();
    let mut seen = BTreeSet::new();
    while let Some(ty) = stack.pop() {
        match ty {
            Ty::Array(inner) | Ty::Map(inner) | Ty::Nullable(inner) => stack.push(inner),
            Ty::Named(name) => {
                if !seen.insert(name.clone()) {
                    continue;
                }
                match ir.types.get(name).map(|d| &d.kind) {
                    Some(TypeKind::Struct(s)) => {
                        stack.extend(s.fields.iter().map(|f| &f.ty));
                        if let Some(extra) = &s.additional {
                            stack.push(extra);
                        }
                    }
                    Some(TypeKind::Union(u)) => stack.extend(u.variants.iter().map(|v| &v.ty)),
                    Some(TypeKind::Alias(ty)) => stack.push(ty),
                    _ => {}
                }
            }
            _ => {}
        }
    }
    seen
}
