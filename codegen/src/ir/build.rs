//! Lowering: a parsed OpenAPI description plus the overlay becomes an [`Ir`].
//!
//! Every construct the generator cannot map is reported with its JSON pointer and replaced by a safe
//! fallback (`serde_json::Value`); only what would make the output wrong is an error.

use indexmap::IndexMap;
use openapiv3::{
    AdditionalProperties, OpenAPI, Parameter, ParameterSchemaOrContent, ReferenceOr, Schema,
    SchemaKind, StatusCode, Type,
};
use std::collections::{BTreeMap, BTreeSet};

use super::names::{field_name, type_name, Namer};
use super::*;
use crate::config::{Overlay, PaginationOverlay, PaginationStyle};
use crate::diag::{join, Diagnostics};

const SCHEMA_PREFIX: &str = "#/components/schemas/";

/// Lowers `api` (already fixed by the overlay) into the IR.
pub fn build(api: &OpenAPI, overlay: &Overlay, diags: &mut Diagnostics) -> Ir {
    let mut builder = Builder::new(api, diags);
    let keys: Vec<String> = builder.comp_names.keys().cloned().collect();
    for key in &keys {
        builder.ensure_component(key);
    }
    let operations = builder.operations(overlay);
    let mut ir = Ir {
        api_version: api.info.version.clone(),
        types: std::mem::take(&mut builder.types),
        operations,
    };
    for (name, def) in &ir.types {
        if matches!(def.kind, TypeKind::Alias(Ty::Named(_))) && ir.resolve(name).is_none() {
            builder.diags.error(
                &def.pointer,
                format!("`{name}` is an alias of itself (a `$ref` cycle)"),
            );
        }
    }
    finalize(&mut ir);
    let mut operations = std::mem::take(&mut ir.operations);
    for op in &mut operations {
        if let Some(paging) = overlay
            .operations
            .get(&op.key)
            .and_then(|o| o.pagination.as_ref())
        {
            op.pagination = pagination(&ir, op, paging, builder.diags);
        }
    }
    ir.operations = operations;
    ir
}

/// A schema or a reference to a component schema.
#[derive(Clone, Copy)]
enum SRef<'a> {
    Ref(&'a str),
    Inline(&'a Schema),
}

impl<'a> SRef<'a> {
    fn of(r: &'a ReferenceOr<Schema>) -> Self {
        match r {
            ReferenceOr::Reference { reference } => SRef::Ref(reference),
            ReferenceOr::Item(s) => SRef::Inline(s),
        }
    }

    fn of_box(r: &'a ReferenceOr<Box<Schema>>) -> Self {
        match r {
            ReferenceOr::Reference { reference } => SRef::Ref(reference),
            ReferenceOr::Item(s) => SRef::Inline(s),
        }
    }

    fn schema(self) -> Option<&'a Schema> {
        match self {
            SRef::Inline(s) => Some(s),
            SRef::Ref(_) => None,
        }
    }
}

/// One uniform view of the many shapes `openapiv3` gives a schema.
#[derive(Default)]
struct View<'a> {
    typ: Option<&'a str>,
    enumeration: Vec<String>,
    binary: bool,
    properties: Vec<(&'a str, SRef<'a>)>,
    required: Vec<&'a str>,
    additional: Option<&'a AdditionalProperties>,
    items: Option<SRef<'a>>,
    one_of: Vec<SRef<'a>>,
    any_of: Vec<SRef<'a>>,
    all_of: Vec<SRef<'a>>,
}

fn view(schema: &Schema) -> View<'_> {
    let mut v = View::default();
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(s)) => {
            v.typ = Some("string");
            v.enumeration = s.enumeration.iter().flatten().cloned().collect();
            v.binary = matches!(
                &s.format,
                openapiv3::VariantOrUnknownOrEmpty::Item(openapiv3::StringFormat::Binary)
            );
        }
        SchemaKind::Type(Type::Number(_)) => v.typ = Some("number"),
        SchemaKind::Type(Type::Integer(_)) => v.typ = Some("integer"),
        SchemaKind::Type(Type::Boolean(_)) => v.typ = Some("boolean"),
        SchemaKind::Type(Type::Object(o)) => {
            v.typ = Some("object");
            v.properties = o
                .properties
                .iter()
                .map(|(k, s)| (k.as_str(), SRef::of_box(s)))
                .collect();
            v.required = o.required.iter().map(String::as_str).collect();
            v.additional = o.additional_properties.as_ref();
        }
        SchemaKind::Type(Type::Array(a)) => {
            v.typ = Some("array");
            v.items = a.items.as_ref().map(SRef::of_box);
        }
        SchemaKind::OneOf { one_of } => v.one_of = one_of.iter().map(SRef::of).collect(),
        SchemaKind::AllOf { all_of } => v.all_of = all_of.iter().map(SRef::of).collect(),
        SchemaKind::AnyOf { any_of } => v.any_of = any_of.iter().map(SRef::of).collect(),
        SchemaKind::Not { .. } => {}
        SchemaKind::Any(a) => {
            v.typ = a.typ.as_deref();
            v.enumeration = a
                .enumeration
                .iter()
                .filter_map(|e| e.as_str().map(str::to_owned))
                .collect();
            v.binary = a.format.as_deref() == Some("binary");
            v.properties = a
                .properties
                .iter()
                .map(|(k, s)| (k.as_str(), SRef::of_box(s)))
                .collect();
            v.required = a.required.iter().map(String::as_str).collect();
            v.additional = a.additional_properties.as_ref();
            v.items = a.items.as_ref().map(SRef::of_box);
            v.one_of = a.one_of.iter().map(SRef::of).collect();
            v.any_of = a.any_of.iter().map(SRef::of).collect();
            v.all_of = a.all_of.iter().map(SRef::of).collect();
        }
    }
    v
}

/// The description of a schema, falling back to its title.
fn schema_doc(schema: &Schema) -> Option<String> {
    let data = &schema.schema_data;
    data.description
        .clone()
        .or_else(|| data.title.clone())
        .filter(|d| !d.trim().is_empty())
}

/// How the name of a type being created is chosen.
enum Slot {
    /// A component: the name was reserved up front.
    Fixed(String),
    /// An inline schema: this name, made unique.
    Hint(String),
}

struct Builder<'a, 'd> {
    api: &'a OpenAPI,
    schemas: IndexMap<&'a str, &'a ReferenceOr<Schema>>,
    /// Component key -> Rust name.
    comp_names: BTreeMap<String, String>,
    built: BTreeSet<String>,
    namer: Namer,
    types: BTreeMap<String, TypeDef>,
    diags: &'d mut Diagnostics,
}

impl<'a, 'd> Builder<'a, 'd> {
    fn new(api: &'a OpenAPI, diags: &'d mut Diagnostics) -> Self {
        let schemas: IndexMap<&str, &ReferenceOr<Schema>> = api
            .components
            .as_ref()
            .map(|c| c.schemas.iter().map(|(k, v)| (k.as_str(), v)).collect())
            .unwrap_or_default();
        // Names the generated modules use unqualified (prelude types, serde's derives) or that mean
        // something else in Rust: a schema that wants one is renamed, with a warning.
        let mut namer = Namer::default();
        for reserved in [
            "Self",
            "String",
            "Option",
            "Vec",
            "Box",
            "Result",
            "Default",
            "Serialize",
            "Deserialize",
        ] {
            namer.claim(reserved);
        }
        let mut comp_names = BTreeMap::new();
        let mut keys: Vec<&str> = schemas.keys().copied().collect();
        keys.sort_unstable();
        for key in keys {
            let wanted = type_name(key);
            let name = namer.claim(&wanted);
            if name != wanted {
                diags.warn(
                    join("/components/schemas", key),
                    format!("type name `{wanted}` is taken by another schema; named `{name}`"),
                );
            }
            comp_names.insert(key.to_owned(), name);
        }
        Builder {
            api,
            schemas,
            comp_names,
            built: BTreeSet::new(),
            namer,
            types: BTreeMap::new(),
            diags,
        }
    }

    fn slot_name(&mut self, slot: Slot) -> String {
        match slot {
            Slot::Fixed(name) => name,
            Slot::Hint(hint) => self.namer.claim(&hint),
        }
    }

    fn define(&mut self, name: String, pointer: &str, doc: Option<String>, kind: TypeKind) -> Ty {
        self.types.insert(
            name.clone(),
            TypeDef {
                name: name.clone(),
                pointer: pointer.to_owned(),
                doc,
                kind,
            },
        );
        Ty::Named(name)
    }

    /// Lowers the component schema `key` once.
    fn ensure_component(&mut self, key: &str) {
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

    fn component_key(reference: &str) -> Option<&str> {
        reference.strip_prefix(SCHEMA_PREFIX)
    }

    fn resolve_ref(&mut self, reference: &str, pointer: &str) -> Ty {
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

    fn lower(&mut self, s: SRef<'a>, slot: Slot, pointer: &str) -> Ty {
        match s {
            SRef::Ref(r) => self.resolve_ref(r, pointer),
            SRef::Inline(schema) => self.lower_schema(schema, slot, pointer),
        }
    }

    /// Whether a schema (following references) is nullable.
    fn nullable(&self, s: SRef<'a>) -> bool {
        s.schema().is_some_and(|s| s.schema_data.nullable)
    }

    fn lower_schema(&mut self, schema: &'a Schema, slot: Slot, pointer: &str) -> Ty {
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

    fn additional(
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

    fn fields(
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
            });
        }
        fields
    }

    fn plain_struct(&mut self, v: &View<'a>, slot: Slot, pointer: &str, doc: Option<String>) -> Ty {
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
            TypeKind::Struct(Struct { fields, additional }),
        )
    }

    /// `allOf`: the members' fields, then the schema's own.
    fn merged_struct(
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
            TypeKind::Struct(Struct { fields, additional }),
        )
    }

    fn string_enum(
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

    /// The plain objects (properties and `required` only) an alternative stands for: itself, or,
    /// for an alternative that is only a `oneOf`/`anyOf` of such objects, each of those. `None`
    /// when any of them is not a plain object.
    fn object_alternatives(
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
    fn distributed_union(
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
                }),
            );
            variants.push(UnionVariant {
                name: vname,
                ty,
                shape: Shape::Any,
            });
        }
        self.define_union(name, namer, variants, pointer, doc)
    }

    /// Whether a lowered parameter type is an object (sent exploded) and whether it is a scalar
    /// (sent as text), looking through aliases.
    fn param_shape(&self, ty: &Ty) -> (bool, bool) {
        let mut ty = ty.clone();
        for _ in 0..=self.types.len() {
            match &ty {
                Ty::String | Ty::Integer | Ty::Number | Ty::Boolean => return (false, true),
                Ty::Map(_) => return (true, false),
                Ty::Named(n) => match self.types.get(n).map(|t| &t.kind) {
                    Some(TypeKind::Struct(_) | TypeKind::Union(_)) => return (true, false),
                    Some(TypeKind::Enum(_)) => return (false, true),
                    Some(TypeKind::Alias(inner)) => ty = inner.clone(),
                    None => return (false, false),
                },
                _ => return (false, false),
            }
        }
        (false, false)
    }

    /// The variant name an alternative asks for: its component's type name, else its title or
    /// shape.
    fn alternative_name(alt: SRef<'_>) -> String {
        match alt {
            SRef::Ref(r) => Self::component_key(r)
                .map(type_name)
                .unwrap_or_else(|| "Value".to_owned()),
            SRef::Inline(s) => variant_name(s),
        }
    }

    /// Defines a union of `variants`, with a fallback variant named so it does not collide.
    fn define_union(
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

    fn union(
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
        for (i, alt) in alternatives.iter().enumerate() {
            let aptr = join(&join(pointer, composition), &i.to_string());
            let wanted = Self::alternative_name(*alt);
            let ty = self.lower(*alt, Slot::Hint(format!("{name}{wanted}")), &aptr);
            let vname = namer.claim(&wanted);
            variants.push(UnionVariant {
                name: vname,
                ty,
                shape: Shape::Any,
            });
        }
        self.define_union(name, namer, variants, pointer, doc)
    }

    fn operations(&mut self, overlay: &Overlay) -> Vec<Operation> {
        let mut out = Vec::new();
        let mut method_names: BTreeMap<Vec<String>, Namer> = BTreeMap::new();
        let api = self.api;
        for (path, item) in api.paths.paths.iter() {
            let path_ptr = join("/paths", path);
            let item = match item {
                ReferenceOr::Item(item) => item,
                ReferenceOr::Reference { reference } => {
                    self.diags.warn(
                        &path_ptr,
                        format!("path item reference `{reference}` is not supported; skipped"),
                    );
                    continue;
                }
            };
            for (method, op) in item.iter() {
                let key = format!("{} {path}", method.to_uppercase());
                let pointer = join(&path_ptr, method);
                let placement = overlay.operations.get(&key);
                let (resource, wanted_name, request_name) = match placement {
                    Some(p) => {
                        // Overlay names become Rust identifiers as written.
                        let names = p
                            .resource
                            .split('.')
                            .chain([p.method.as_str()])
                            .chain(p.request.as_deref());
                        let bad: Vec<&str> = names.filter(|n| !is_identifier(n)).collect();
                        if !bad.is_empty() {
                            self.diags.error(
                                &pointer,
                                format!("overlay entry `{key}`: {bad:?} are not Rust identifiers; operation skipped"),
                            );
                            continue;
                        }
                        (
                            p.resource.split('.').map(str::to_owned).collect::<Vec<_>>(),
                            p.method.clone(),
                            p.request.clone(),
                        )
                    }
                    None => {
                        let tag = op.tags.first().map(String::as_str).unwrap_or("default");
                        let id = op
                            .operation_id
                            .clone()
                            .unwrap_or_else(|| format!("{method} {path}"));
                        (
                            vec![field_name(tag)],
                            field_name(&id),
                            Some(format!("{}Request", type_name(&id))),
                        )
                    }
                };
                let name = method_names
                    .entry(resource.clone())
                    .or_default()
                    .claim(&wanted_name);
                if name != wanted_name {
                    self.diags.warn(
                        &pointer,
                        format!("method name `{wanted_name}` is taken; named `{name}`"),
                    );
                }
                let params: Vec<&Parameter> = item
                    .parameters
                    .iter()
                    .chain(&op.parameters)
                    .filter_map(|p| self.parameter(p, &pointer))
                    .collect();
                let fallback_name = format!(
                    "{}Request",
                    type_name(&format!("{} {}", resource.join(" "), name))
                );
                let request_name = request_name.unwrap_or(fallback_name);
                let request = self.request(
                    &request_name,
                    path,
                    &params,
                    op.request_body.as_ref(),
                    &pointer,
                );
                let (response, error_statuses) = self.response(op, &request_name, &pointer);
                out.push(Operation {
                    key,
                    pointer,
                    method: method.to_uppercase(),
                    path: path.clone(),
                    operation_id: op.operation_id.clone(),
                    resource,
                    name,
                    summary: op.summary.clone(),
                    description: op.description.clone(),
                    deprecated: op.deprecated,
                    request,
                    response,
                    pagination: None,
                    error_statuses,
                });
            }
        }
        for key in overlay.operations.keys() {
            if !out.iter().any(|op| &op.key == key) {
                self.diags.warn(
                    "/paths",
                    format!("overlay names operation `{key}`, which the description does not have"),
                );
            }
        }
        out
    }

    fn parameter(&mut self, p: &'a ReferenceOr<Parameter>, pointer: &str) -> Option<&'a Parameter> {
        match p {
            ReferenceOr::Item(p) => Some(p),
            ReferenceOr::Reference { reference } => {
                let key = reference.strip_prefix("#/components/parameters/");
                let found = key.and_then(|k| self.api.components.as_ref()?.parameters.get(k));
                match found {
                    Some(ReferenceOr::Item(p)) => Some(p),
                    _ => {
                        self.diags.warn(
                            pointer,
                            format!("parameter reference `{reference}` not resolved; skipped"),
                        );
                        None
                    }
                }
            }
        }
    }

    fn request(
        &mut self,
        name: &str,
        path: &str,
        params: &[&'a Parameter],
        body: Option<&'a ReferenceOr<openapiv3::RequestBody>>,
        pointer: &str,
    ) -> Option<Request> {
        let mut namer = Namer::default();
        let mut out_params = Vec::new();
        for (i, p) in params.iter().enumerate() {
            let pptr = join(&join(pointer, "parameters"), &i.to_string());
            let (data, location) = match p {
                Parameter::Path { parameter_data, .. } => (parameter_data, ParamLocation::Path),
                Parameter::Query { parameter_data, .. } => (parameter_data, ParamLocation::Query),
                Parameter::Header { parameter_data, .. } => {
                    // The version header is the client's (and per-request options').
                    if parameter_data.name.eq_ignore_ascii_case("Intercom-Version") {
                        continue;
                    }
                    (parameter_data, ParamLocation::Header)
                }
                Parameter::Cookie { parameter_data, .. } => {
                    self.diags.warn(
                        &pptr,
                        format!(
                            "cookie parameter `{}` is not supported; skipped",
                            parameter_data.name
                        ),
                    );
                    continue;
                }
            };
            let hint = format!("{name}{}", type_name(&data.name));
            let ty = match &data.format {
                ParameterSchemaOrContent::Schema(s) => {
                    self.lower(SRef::of(s), Slot::Hint(hint), &join(&pptr, "schema"))
                }
                ParameterSchemaOrContent::Content(_) => {
                    self.diags
                        .warn(&pptr, "parameter with `content` is sent as a string");
                    Ty::String
                }
            };
            // Decided on the lowered type, so a `$ref` to an object is an object too.
            let (is_object, scalar) = self.param_shape(&ty);
            let location = if is_object && location == ParamLocation::Query {
                ParamLocation::QueryObject
            } else {
                location
            };
            if location == ParamLocation::Header && !scalar {
                self.diags.warn(
                    &pptr,
                    format!("header parameter `{}` is not a scalar; not generated, send it with `.header(..)`", data.name),
                );
                continue;
            }
            out_params.push(Param {
                name: namer.claim(&field_name(&data.name)),
                wire: data.name.clone(),
                location,
                ty,
                required: data.required || location == ParamLocation::Path,
                doc: data.description.clone(),
            });
        }
        // Every `{placeholder}` of the path must be an input, declared or not.
        for segment in path.split('{').skip(1) {
            let Some((wire, _)) = segment.split_once('}') else {
                continue;
            };
            let declared = out_params
                .iter()
                .any(|p: &Param| p.location == ParamLocation::Path && p.wire == wire);
            if declared {
                continue;
            }
            if let Some(p) = out_params.iter_mut().find(|p| p.wire == wire) {
                self.diags.warn(
                    pointer,
                    format!("`{wire}` is declared in the query but is a path placeholder; sent in the path"),
                );
                p.location = ParamLocation::Path;
                p.required = true;
                continue;
            }
            self.diags.warn(
                pointer,
                format!(
                    "path placeholder `{{{wire}}}` has no parameter; added as a required string"
                ),
            );
            out_params.push(Param {
                name: namer.claim(&field_name(wire)),
                wire: wire.to_owned(),
                location: ParamLocation::Path,
                ty: Ty::String,
                required: true,
                doc: None,
            });
        }
        let body = body.and_then(|b| self.body(name, b, pointer, &mut namer));
        if out_params.is_empty() && body.is_none() {
            return None;
        }
        Some(Request {
            name: name.to_owned(),
            params: out_params,
            body,
        })
    }

    fn body(
        &mut self,
        request: &str,
        body: &'a ReferenceOr<openapiv3::RequestBody>,
        pointer: &str,
        namer: &mut Namer,
    ) -> Option<Body> {
        let bptr = join(pointer, "requestBody");
        let body = match body {
            ReferenceOr::Item(b) => b,
            ReferenceOr::Reference { reference } => {
                self.diags.warn(
                    &bptr,
                    format!("request body reference `{reference}` is not supported; skipped"),
                );
                return None;
            }
        };
        let (content_type, media) = body
            .content
            .iter()
            .find(|(ct, _)| ct.contains("json"))
            .or_else(|| body.content.first())?;
        let mptr = join(&join(&bptr, "content"), content_type);
        if !content_type.contains("json") {
            self.diags.warn(
                &mptr,
                format!("request body `{content_type}` is not supported; skipped"),
            );
            return None;
        }
        let Some(schema) = media.schema.as_ref() else {
            self.diags.warn(
                &mptr,
                "request body without schema; sent as serde_json::Value",
            );
            return Some(Body::Whole {
                ty: Ty::Any,
                required: body.required,
            });
        };
        let sptr = join(&mptr, "schema");
        let s = SRef::of(schema);
        if let SRef::Inline(inline) = s {
            let v = view(inline);
            if !v.properties.is_empty()
                && v.all_of.is_empty()
                && v.one_of.is_empty()
                && v.any_of.is_empty()
            {
                let fields = self.fields(request, &v, &sptr, namer);
                return Some(Body::Fields {
                    fields,
                    model: None,
                });
            }
        }
        let ty = self.lower(s, Slot::Hint(format!("{request}Body")), &sptr);
        if let Ty::Named(n) = &ty {
            if let Some(TypeKind::Struct(st)) = self.types.get(n).map(|t| &t.kind) {
                let mut fields = st.fields.clone();
                for f in &mut fields {
                    let wanted = f.name.clone();
                    f.name = namer.claim(&wanted);
                    if f.name != wanted {
                        self.diags.warn(
                            &sptr,
                            format!(
                                "body field `{wanted}` collides with a parameter; named `{}`",
                                f.name
                            ),
                        );
                    }
                }
                return Some(Body::Fields {
                    fields,
                    model: Some(n.clone()),
                });
            }
        }
        Some(Body::Whole {
            ty,
            required: body.required,
        })
    }

    fn response(
        &mut self,
        op: &'a openapiv3::Operation,
        request: &str,
        pointer: &str,
    ) -> (ResponseBody, Vec<u16>) {
        let mut success: Option<(u16, &openapiv3::Response)> = None;
        let mut errors = Vec::new();
        for (code, resp) in &op.responses.responses {
            let StatusCode::Code(code) = code else {
                continue;
            };
            let resp = match resp {
                ReferenceOr::Item(resp) => resp,
                ReferenceOr::Reference { reference } => {
                    let found = reference
                        .strip_prefix("#/components/responses/")
                        .and_then(|k| self.api.components.as_ref()?.responses.get(k));
                    match found {
                        Some(ReferenceOr::Item(resp)) => resp,
                        _ => {
                            self.diags.warn(
                                pointer,
                                format!("response reference `{reference}` for {code} not resolved; skipped"),
                            );
                            continue;
                        }
                    }
                }
            };
            if (200..300).contains(code) {
                if success.is_none_or(|(c, _)| *code < c) {
                    success = Some((*code, resp));
                }
            } else if *code >= 400 {
                errors.push(*code);
            }
        }
        let Some((code, resp)) = success else {
            return (ResponseBody::Empty, errors);
        };
        let rptr = join(&join(pointer, "responses"), &code.to_string());
        let base = request.strip_suffix("Request").unwrap_or(request);
        let body = if let Some(media) = resp.content.get("application/json") {
            match &media.schema {
                Some(s) => ResponseBody::Json(self.lower(
                    SRef::of(s),
                    Slot::Hint(format!("{base}Response")),
                    &rptr,
                )),
                None => {
                    self.diags.warn(
                        &rptr,
                        "response has examples but no schema; decoded as serde_json::Value",
                    );
                    ResponseBody::Json(Ty::Any)
                }
            }
        } else if resp.content.contains_key("application/octet-stream") {
            ResponseBody::Binary
        } else if let Some((ct, _)) = resp.content.first() {
            self.diags.warn(
                &rptr,
                format!("response content `{ct}` is returned as bytes"),
            );
            ResponseBody::Binary
        } else {
            ResponseBody::Empty
        };
        (body, errors)
    }
}

/// Whether `name` can be used as a Rust identifier (ASCII letters, digits and `_`, not starting
/// with a digit).
fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

fn variant_name(s: &Schema) -> String {
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

/// Post-pass over the whole IR: optionality, boxing of recursive fields, union shapes and order.
fn finalize(ir: &mut Ir) {
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
fn reaches(ir: &Ir, from: &str, to: &str, seen: &mut BTreeSet<String>) -> bool {
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

fn named(ty: &Ty) -> Option<&str> {
    match ty {
        Ty::Named(n) => Some(n),
        _ => None,
    }
}

fn shape_of(ir: &Ir, ty: &Ty, depth: usize) -> Shape {
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

/// Resolves the overlay's pagination for `op` against the IR.
fn pagination(
    ir: &Ir,
    op: &Operation,
    paging: &PaginationOverlay,
    diags: &mut Diagnostics,
) -> Option<Pagination> {
    let ResponseBody::Json(Ty::Named(response)) = &op.response else {
        diags.error(
            &op.pointer,
            "paged operation must return a named JSON object",
        );
        return None;
    };
    let mut path = |dotted: &str, what: &str| -> Option<FieldPath> {
        let found = field_path(ir, response, dotted);
        if found.is_none() {
            diags.error(
                &op.pointer,
                format!("pagination {what} `{dotted}` is not a field path of `{response}`"),
            );
        }
        found
    };
    let items = path(&paging.items, "items")?;
    let Ty::Array(item) = &items.ty else {
        diags.error(
            &op.pointer,
            format!("pagination items `{}` is not an array", paging.items),
        );
        return None;
    };
    let item_ty = (**item).clone();
    let cursor = match &paging.cursor {
        Some(c) => Some(path(c, "cursor")?),
        None => None,
    };
    let page = match &paging.page {
        Some(c) => Some(path(c, "page")?),
        None => None,
    };
    let total_pages = match &paging.total_pages {
        Some(c) => Some(path(c, "total_pages")?),
        None => None,
    };
    let complete = match paging.style {
        PaginationStyle::PageNumber => page.is_some() && total_pages.is_some(),
        _ => cursor.is_some(),
    };
    if !complete {
        diags.error(
            &op.pointer,
            "pagination style needs `page` and `total_pages` (page_number) or `cursor`",
        );
        return None;
    }
    Some(Pagination {
        style: paging.style,
        param: paging.param.clone(),
        response: response.clone(),
        items,
        item_ty,
        cursor,
        page,
        total_pages,
    })
}

/// Follows a dotted path of wire names through structs.
pub(super) fn field_path(ir: &Ir, root: &str, dotted: &str) -> Option<FieldPath> {
    let mut ty = Ty::Named(root.to_owned());
    let mut steps = Vec::new();
    for segment in dotted.split('.') {
        let TypeKind::Struct(s) = ir.resolve(named(&ty)?)? else {
            return None;
        };
        let field = s.fields.iter().find(|f| f.wire == segment)?;
        steps.push(FieldStep {
            field: field.name.clone(),
            optional: field.optional,
            boxed: field.boxed,
        });
        ty = field.ty.clone();
    }
    Some(FieldPath { steps, ty })
}
