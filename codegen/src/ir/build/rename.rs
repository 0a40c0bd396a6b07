//! The overlay's `types` entries: a type the generator could only name by position or number
//! (`TicketType2`) gets the name its meaning asks for. Keyed by the type's JSON pointer; every use
//! of the type is renamed with it.

use super::*;

/// Renames each type whose pointer the overlay lists. A pointer that names no type is a warning;
/// a name that is not an identifier or is already taken is an error.
pub(super) fn rename_types(ir: &mut Ir, overlay: &Overlay, diags: &mut Diagnostics) {
    for (pointer, wanted) in &overlay.types {
        let Some(old) = ir
            .types
            .values()
            .find(|t| t.pointer == *pointer)
            .map(|t| t.name.clone())
        else {
            diags.warn(
                pointer,
                format!("overlay type name `{wanted}`: no type comes from this pointer"),
            );
            continue;
        };
        if type_name(wanted) != *wanted {
            diags.error(
                pointer,
                format!("overlay type name `{wanted}` is not an UpperCamelCase identifier"),
            );
            continue;
        }
        if ir.types.contains_key(wanted) {
            diags.error(pointer, format!("overlay type name `{wanted}` is taken"));
            continue;
        }
        if let Some(mut def) = ir.types.remove(&old) {
            def.name = wanted.clone();
            ir.types.insert(wanted.clone(), def);
        }
        let rename = |ty: &mut Ty| rename_in(ty, &old, wanted);
        for def in ir.types.values_mut() {
            match &mut def.kind {
                TypeKind::Struct(s) => {
                    s.fields.iter_mut().for_each(|f| rename(&mut f.ty));
                    s.additional.iter_mut().for_each(rename);
                }
                TypeKind::Union(u) => u.variants.iter_mut().for_each(|v| rename(&mut v.ty)),
                TypeKind::Alias(ty) => rename(ty),
                TypeKind::Enum(_) => {}
            }
        }
        for op in &mut ir.operations {
            if let ResponseBody::Json(ty) = &mut op.response {
                rename(ty);
            }
            let Some(request) = &mut op.request else {
                continue;
            };
            request.params.iter_mut().for_each(|p| rename(&mut p.ty));
            match &mut request.body {
                Some(Body::Fields { fields, model }) => {
                    fields.iter_mut().for_each(|f| rename(&mut f.ty));
                    if model.as_deref() == Some(old.as_str()) {
                        *model = Some(wanted.clone());
                    }
                }
                Some(Body::Multipart { fields }) => {
                    fields.iter_mut().for_each(|f| rename(&mut f.ty));
                }
                Some(Body::Whole { ty, .. }) => rename(ty),
                None => {}
            }
        }
    }
}

fn rename_in(ty: &mut Ty, old: &str, new: &str) {
    match ty {
        Ty::Named(name) if name == old => *name = new.to_owned(),
        Ty::Array(inner) | Ty::Map(inner) | Ty::Nullable(inner) => rename_in(inner, old, new),
        _ => {}
    }
}
