//! Composition: `allOf` merged into one struct, and properties beside a `oneOf`/`anyOf` of
//! objects distributed into each alternative.

use super::view::{schema_doc, view, SRef, View};
use super::{Builder, Slot};
use crate::diag::join;
use crate::ir::names::Namer;
use crate::ir::*;
use openapiv3::{ReferenceOr, Schema};

impl<'a> Builder<'a, '_> {
    /// `allOf`: the members' fields, then the schema's own.
    pub(super) fn merged_struct(
        &mut self,
        v: &View<'a>,
        slot: Slot,
        pointer: &str,
        doc: Option<String>,
    ) -> Ty {
        let name = self.slot_name(slot);
        let mut namer = Namer::default();
        let mut fields: Vec<Field> = Vec::new();
        let mut additional = None;
        for (i, member) in v.all_of.iter().enumerate() {
            let mptr = join(&join(pointer, "allOf"), &i.to_string());
            let member_fields = match member {
                SRef::Ref(r) => {
                    if let Some(key) = Self::component_key(r) {
                        self.ensure_component(key);
                    }
                    match self.resolve_ref(r, &mptr) {
                        Ty::Named(n) => match self.types.get(&n).map(|t| &t.kind) {
                            Some(TypeKind::Struct(s)) => {
                                additional = additional.or(s.additional.clone());
                                s.fields.clone()
                            }
                            _ => {
                                self.diags.warn(
                                    &mptr,
                                    format!("allOf member `{n}` is not an object; ignored"),
                                );
                                Vec::new()
                            }
                        },
                        _ => Vec::new(),
                    }
                }
                SRef::Inline(s) => {
                    let mv = view(s);
                    self.fields(&name, &mv, &mptr, &mut Namer::default())
                }
            };
            for f in member_fields {
                if let Some(existing) = fields.iter_mut().find(|e| e.wire == f.wire) {
                    *existing = f;
                } else {
                    namer.claim(&f.name);
                    fields.push(f);
                }
            }
        }
        let own = self.fields(&name, v, pointer, &mut namer);
        for f in own {
            match fields.iter_mut().find(|e| e.wire == f.wire) {
                Some(existing) => {
                    existing.ty = f.ty;
                    existing.nullable |= f.nullable;
                    existing.doc = f.doc.or(existing.doc.take());
                }
                None => fields.push(f),
            }
        }
        for f in &mut fields {
            if v.required.contains(&f.wire.as_str()) {
                f.required = true;
            }
        }
        if let Some(ap) = self.additional(v.additional, format!("{name}Value"), pointer) {
            additional = Some(ap);
        }
        self.define(
            name,
            pointer,
            doc,
            TypeKind::Struct(Struct {
                fields,
                additional,
                constant: None,
            }),
        )
    }

    /// The plain objects (properties and `required` only) an alternative stands for: itself, or,
    /// for an alternative that is only a `oneOf`/`anyOf` of such objects, each of those. `None`
    /// when any of them is not a plain object.
    pub(super) fn object_alternatives(
        &self,
        alt: SRef<'a>,
        depth: usize,
    ) -> Option<Vec<(SRef<'a>, &'a Schema)>> {
        let schema = match alt {
            SRef::Inline(s) => s,
            SRef::Ref(r) => match self.schemas.get(Self::component_key(r)?) {
                Some(ReferenceOr::Item(s)) => s,
                _ => return None,
            },
        };
        let v = view(schema);
        if !matches!(v.typ, None | Some("object")) || !v.enumeration.is_empty() {
            return None;
        }
        let nested: Vec<SRef<'a>> = v.one_of.iter().chain(&v.any_of).copied().collect();
        if nested.is_empty() {
            return Some(vec![(alt, schema)]);
        }
        if !v.properties.is_empty() || !v.all_of.is_empty() || depth > 3 {
            return None;
        }
        let flat: Option<Vec<Vec<_>>> = nested
            .into_iter()
            .map(|n| self.object_alternatives(n, depth + 1))
            .collect();
        flat.map(|f| f.concat())
    }

    /// "Properties beside a `oneOf`/`anyOf` of objects": each alternative is the shared properties
    /// plus its own (its own win where both declare a name), so nothing beside the composition is
    /// lost. A name the shared `required` lists is required in every alternative.
    pub(super) fn distributed_union(
        &mut self,
        v: &View<'a>,
        alternatives: &[(SRef<'a>, &'a Schema)],
        composition: &str,
        slot: Slot,
        pointer: &str,
        doc: Option<String>,
    ) -> Ty {
        let name = self.slot_name(slot);
        // The shared fields are lowered once, so their types are shared too.
        let shared = self.fields(&name, v, pointer, &mut Namer::default());
        let mut namer = Namer::default();
        let mut variants = Vec::new();
        for (i, (alt, schema)) in alternatives.iter().enumerate() {
            let aptr = join(&join(pointer, composition), &i.to_string());
            let wanted = Self::alternative_name(*alt);
            let vname = namer.claim(&wanted);
            let struct_name = self.slot_name(Slot::Hint(format!("{name}{vname}")));
            let alt_view = view(schema);
            let own = if alt_view.all_of.is_empty() {
                self.fields(&struct_name, &alt_view, &aptr, &mut Namer::default())
            } else {
                // An `allOf` alternative: its merged fields.
                match self.lower(*alt, Slot::Hint(format!("{struct_name}Own")), &aptr) {
                    Ty::Named(n) => match self.types.get(&n).map(|t| &t.kind) {
                        Some(TypeKind::Struct(st)) => {
                            let fields = st.fields.clone();
                            // An inline alternative's own struct was only a step: the variant
                            // holds its fields. (A referenced component stays, used elsewhere.)
                            if matches!(alt, SRef::Inline(_)) {
                                self.types.remove(&n);
                            }
                            fields
                        }
                        _ => {
                            self.diags.warn(
                                &aptr,
                                "alternative is not an object; its own fields are left out",
                            );
                            Vec::new()
                        }
                    },
                    _ => Vec::new(),
                }
            };
            let mut fields: Vec<Field> = shared
                .iter()
                .filter(|f| !own.iter().any(|o| o.wire == f.wire))
                .cloned()
                .collect();
            fields.extend(own);
            for f in &mut fields {
                f.required |= v.required.contains(&f.wire.as_str());
            }
            let ty = self.define(
                struct_name,
                &aptr,
                schema_doc(schema),
                TypeKind::Struct(Struct {
                    fields,
                    additional: None,
                    constant: None,
                }),
            );
            variants.push(UnionVariant {
                name: vname,
                ty,
                shape: Shape::Any,
                boxed: false,
            });
        }
        self.define_union(name, namer, variants, pointer, doc)
    }
}
