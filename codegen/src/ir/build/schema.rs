//! Schema lowering: component schemas, references, scalars, arrays, maps, plain structs and
//! string enums.

use super::view::{schema_doc, view, SRef, View};
use super::{Builder, Slot, SCHEMA_PREFIX};
use crate::diag::join;
use crate::ir::names::{field_name, type_name, Namer};
use crate::ir::*;
use openapiv3::{AdditionalProperties, ReferenceOr, Schema};

impl<'a> Builder<'a, '_> {
    /// Lowers the component schema `key` once.
    pub(super) fn ensure_component(&mut self, key: &str) {
        if !self.built.insert(key.to_owned()) {
            return;
        }
        let (Some(name), Some(schema)) = (
            self.comp_names.get(key).cloned(),
            self.schemas.get(key).copied(),
        ) else {
            return;
        };
        let pointer = join("/components/schemas", key);
        let (ty, doc) = match schema {
            ReferenceOr::Reference { reference } => (self.resolve_ref(reference, &pointer), None),
            ReferenceOr::Item(s) => (
                self.lower_schema(s, Slot::Fixed(name.clone()), &pointer),
                schema_doc(s),
            ),
        };
        if ty != Ty::Named(name.clone()) {
            self.define(name, &pointer, doc, TypeKind::Alias(ty));
        }
    }

    pub(super) fn component_key(reference: &str) -> Option<&str> {
        reference.strip_prefix(SCHEMA_PREFIX)
    }

    pub(super) fn resolve_ref(&mut self, reference: &str, pointer: &str) -> Ty {
        match Self::component_key(reference).and_then(|k| self.comp_names.get(k)) {
            Some(name) => Ty::Named(name.clone()),
            None => {
                self.diags.warn(
                    pointer,
                    format!("dangling reference `{reference}`; using serde_json::Value"),
                );
                Ty::Any
            }
        }
    }

    pub(super) fn lower(&mut self, s: SRef<'a>, slot: Slot, pointer: &str) -> Ty {
        match s {
            SRef::Ref(r) => self.resolve_ref(r, pointer),
            SRef::Inline(schema) => self.lower_schema(schema, slot, pointer),
        }
    }

    /// The schema `s` is, following component references (a few levels at most).
    pub(super) fn target(&self, s: SRef<'a>) -> Option<&'a Schema> {
        let mut s = s;
        for _ in 0..8 {
            match s {
                SRef::Inline(schema) => return Some(schema),
                SRef::Ref(r) => s = SRef::of(self.schemas.get(Self::component_key(r)?)?),
            }
        }
        None
    }

    /// Whether a schema (following references) is nullable.
    pub(super) fn nullable(&self, s: SRef<'a>) -> bool {
        s.schema().is_some_and(|s| s.schema_data.nullable)
    }

    pub(super) fn lower_schema(&mut self, schema: &'a Schema, slot: Slot, pointer: &str) -> Ty {
        let v = view(schema);
        let doc = schema_doc(schema);
        let alternatives: Vec<SRef<'a>> = v.one_of.iter().chain(&v.any_of).copied().collect();
        let composition = if v.one_of.is_empty() {
            "anyOf"
        } else {
            "oneOf"
        };

        if !v.all_of.is_empty() {
            if v.all_of.len() == 1 && v.properties.is_empty() && alternatives.is_empty() {
                return self.lower(v.all_of[0], slot, &join(&join(pointer, "allOf"), "0"));
            }
            return self.merged_struct(&v, slot, pointer, doc);
        }

        if !alternatives.is_empty() {
            let only_required = alternatives.iter().all(|a| {
                a.schema()
                    .is_some_and(|s| view(s).properties.is_empty() && !view(s).required.is_empty())
            });
            if !v.properties.is_empty() && only_required {
                // "properties + anyOf of `required` lists": one struct; the alternatives only say
                // which fields must be present, which a type cannot express.
                let lists: Vec<String> = alternatives
                    .iter()
                    .filter_map(|a| a.schema())
                    .map(|s| {
                        view(s)
                            .required
                            .iter()
                            .map(|r| format!("`{r}`"))
                            .collect::<Vec<_>>()
                            .join(" and ")
                    })
                    .collect();
                let note = format!(
                    "At least one of these must be given: {}.",
                    lists.join("; or ")
                );
                let doc = Some(match doc {
                    Some(d) => format!("{d}\n\n{note}"),
                    None => note,
                });
                // A field every alternative requires is simply required.
                let lists: Vec<Vec<&str>> = alternatives
                    .iter()
                    .filter_map(|a| a.schema())
                    .map(|s| view(s).required)
                    .collect();
                let mut v = v;
                if let Some((first, rest)) = lists.split_first() {
                    for field in first {
                        if rest.iter().all(|l| l.contains(field)) && !v.required.contains(field) {
                            v.required.push(field);
                        }
                    }
                }
                return self.plain_struct(&v, slot, pointer, doc);
            }
            if !v.properties.is_empty() {
                let objects: Option<Vec<Vec<(SRef<'a>, &'a Schema)>>> = alternatives
                    .iter()
                    .map(|a| self.object_alternatives(*a, 0))
                    .collect();
                if let Some(objects) = objects.map(|o| o.concat()) {
                    return self.distributed_union(&v, &objects, composition, slot, pointer, doc);
                }
                self.diags.warn(
                    pointer,
                    format!(
                        "properties beside `{composition}` are ignored; the alternatives are used"
                    ),
                );
            }
            return self.union(&alternatives, composition, slot, pointer, doc);
        }

        match v.typ {
            Some("string") if !v.enumeration.is_empty() => {
                self.string_enum(&v.enumeration, slot, pointer, doc)
            }
            Some("string") => Ty::String,
            Some("integer") => Ty::Integer,
            Some("number") => Ty::Number,
            Some("boolean") => Ty::Boolean,
            Some("array") => {
                let item_hint = match &slot {
                    Slot::Fixed(n) | Slot::Hint(n) => format!("{n}Item"),
                };
                match v.items {
                    Some(items) => {
                        let item =
                            self.lower(items, Slot::Hint(item_hint), &join(pointer, "items"));
                        if self.nullable(items) {
                            Ty::Array(Box::new(Ty::Nullable(Box::new(item))))
                        } else {
                            Ty::Array(Box::new(item))
                        }
                    }
                    None => {
                        self.diags.warn(
                            pointer,
                            "array without `items`; items are serde_json::Value",
                        );
                        Ty::Array(Box::new(Ty::Any))
                    }
                }
            }
            Some("object") | None if !v.properties.is_empty() => {
                self.plain_struct(&v, slot, pointer, doc)
            }
            Some("object") => {
                let value_hint = match &slot {
                    Slot::Fixed(n) | Slot::Hint(n) => format!("{n}Value"),
                };
                Ty::Map(Box::new(
                    self.additional(v.additional, value_hint, pointer)
                        .unwrap_or(Ty::Any),
                ))
            }
            None => Ty::Any,
            Some(other) => {
                self.diags.warn(
                    pointer,
                    format!("unknown type `{other}`; using serde_json::Value"),
                );
                Ty::Any
            }
        }
    }

    pub(super) fn additional(
        &mut self,
        ap: Option<&'a AdditionalProperties>,
        hint: String,
        pointer: &str,
    ) -> Option<Ty> {
        match ap? {
            AdditionalProperties::Any(true) => Some(Ty::Any),
            AdditionalProperties::Any(false) => None,
            AdditionalProperties::Schema(s) => Some(self.lower(
                SRef::of(s),
                Slot::Hint(hint),
                &join(pointer, "additionalProperties"),
            )),
        }
    }

    pub(super) fn fields(
        &mut self,
        parent: &str,
        v: &View<'a>,
        pointer: &str,
        namer: &mut Namer,
    ) -> Vec<Field> {
        let mut fields = Vec::new();
        for (wire, s) in &v.properties {
            let fptr = join(&join(pointer, "properties"), wire);
            let ty = self.lower(
                *s,
                Slot::Hint(format!("{parent}{}", type_name(wire))),
                &fptr,
            );
            let wanted = field_name(wire);
            let name = namer.claim(&wanted);
            if name != wanted {
                self.diags.warn(
                    &fptr,
                    format!("field name `{wanted}` is taken; named `{name}`"),
                );
            }
            fields.push(Field {
                name,
                wire: (*wire).to_owned(),
                ty,
                required: v.required.contains(wire),
                nullable: self.nullable(*s),
                optional: true,
                boxed: false,
                doc: s.schema().and_then(schema_doc),
                // A reference's example is its target's (OpenAPI 3.0 ignores a `$ref`'s siblings).
                example: self.target(*s).and_then(|s| s.schema_data.example.clone()),
            });
        }
        fields
    }

    pub(super) fn plain_struct(
        &mut self,
        v: &View<'a>,
        slot: Slot,
        pointer: &str,
        doc: Option<String>,
    ) -> Ty {
        let name = self.slot_name(slot);
        let mut namer = Namer::default();
        if v.additional.is_some() {
            // The map of undeclared properties is emitted as this field.
            namer.claim("additional_properties");
        }
        let fields = self.fields(&name, v, pointer, &mut namer);
        let additional = self.additional(v.additional, format!("{name}Value"), pointer);
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

    pub(super) fn string_enum(
        &mut self,
        values: &[String],
        slot: Slot,
        pointer: &str,
        doc: Option<String>,
    ) -> Ty {
        let name = self.slot_name(slot);
        let mut namer = Namer::default();
        namer.claim("Unknown");
        let variants = values
            .iter()
            .map(|value| EnumVariant {
                name: namer.claim(&type_name(value)),
                value: value.clone(),
            })
            .collect();
        self.define(name, pointer, doc, TypeKind::Enum(Enum { variants }))
    }
}
