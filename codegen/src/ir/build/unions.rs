//! Unions: `oneOf`/`anyOf` alternatives become variants, named after their component, title or
//! shape, with a fallback variant.

use super::view::{view, SRef};
use super::{Builder, Slot};
use crate::diag::join;
use crate::ir::names::{self, type_name, Namer};
use crate::ir::*;
use openapiv3::Schema;

impl<'a> Builder<'a, '_> {
    /// The variant name an alternative asks for: its component's type name, else its title or
    /// shape.
    pub(super) fn alternative_name(alt: SRef<'_>) -> String {
        match alt {
            SRef::Ref(r) => Self::component_key(r)
                .map(type_name)
                .unwrap_or_else(|| "Value".to_owned()),
            SRef::Inline(s) => variant_name(s),
        }
    }

    /// Defines a union of `variants`, with a fallback variant named so it does not collide.
    pub(super) fn define_union(
        &mut self,
        name: String,
        mut namer: Namer,
        variants: Vec<UnionVariant>,
        pointer: &str,
        doc: Option<String>,
    ) -> Ty {
        let fallback = namer.claim(if namer.is_taken("Unknown") {
            "Other"
        } else {
            "Unknown"
        });
        self.define(
            name,
            pointer,
            doc,
            TypeKind::Union(Union { variants, fallback }),
        )
    }

    pub(super) fn union(
        &mut self,
        alternatives: &[SRef<'a>],
        composition: &str,
        slot: Slot,
        pointer: &str,
        doc: Option<String>,
    ) -> Ty {
        let name = self.slot_name(slot);
        let mut namer = Namer::default();
        let mut variants = Vec::new();
        let wanted_names = distinct_names(alternatives);
        for (i, (alt, wanted)) in alternatives.iter().zip(wanted_names).enumerate() {
            let aptr = join(&join(pointer, composition), &i.to_string());
            let ty = self.lower(*alt, Slot::Hint(format!("{name}{wanted}")), &aptr);
            let vname = namer.claim(&wanted);
            variants.push(UnionVariant {
                name: vname,
                ty,
                shape: Shape::Any,
                boxed: false,
            });
        }
        let short = names::shorter_variant_names(
            &name,
            &variants.iter().map(|v| v.name.clone()).collect::<Vec<_>>(),
        );
        let mut namer = Namer::default();
        for (variant, short) in variants.iter_mut().zip(short) {
            variant.name = namer.claim(&short);
        }
        self.define_union(name, namer, variants, pointer, doc)
    }
}

/// The name each alternative asks for; inline objects that would share one (both named after a
/// key they all require) are named after the first required key that sets them apart.
fn distinct_names(alternatives: &[SRef<'_>]) -> Vec<String> {
    let mut wanted: Vec<String> = alternatives
        .iter()
        .map(|alt| Builder::alternative_name(*alt))
        .collect();
    let required = |alt: &SRef<'_>| -> Vec<String> {
        match alt {
            SRef::Inline(s) => view(s).required.iter().map(|k| k.to_string()).collect(),
            SRef::Ref(_) => Vec::new(),
        }
    };
    let all_required: Vec<Vec<String>> = alternatives.iter().map(required).collect();
    for i in 0..wanted.len() {
        let shared = wanted.iter().filter(|w| **w == wanted[i]).count() > 1;
        if !shared || matches!(alternatives[i], SRef::Ref(_)) {
            continue;
        }
        let own = all_required[i]
            .iter()
            .find(|k| {
                all_required
                    .iter()
                    .enumerate()
                    .any(|(j, other)| j != i && !other.contains(k))
            })
            .map(|k| type_name(k));
        if let Some(own) = own {
            wanted[i] = own;
        }
    }
    wanted
}

pub(super) fn variant_name(s: &Schema) -> String {
    if let Some(title) = &s.schema_data.title {
        return type_name(title);
    }
    let v = view(s);
    match v.typ {
        Some("string") => "String".to_owned(),
        Some("integer") => "Integer".to_owned(),
        Some("number") => "Number".to_owned(),
        Some("boolean") => "Boolean".to_owned(),
        Some("array") => match v.items.and_then(SRef::schema).map(variant_name) {
            Some(item) => format!("{item}List"),
            None => match v.items {
                Some(SRef::Ref(r)) => {
                    format!("{}List", type_name(r.rsplit('/').next().unwrap_or("Value")))
                }
                _ => "List".to_owned(),
            },
        },
        _ => v
            .required
            .first()
            .or(v.properties.first().map(|(k, _)| k))
            .map(|k| type_name(k))
            .unwrap_or_else(|| "Object".to_owned()),
    }
}
