//! One uniform view of a schema: `openapiv3`'s many shapes flattened into [`View`], references
//! kept as [`SRef`].

use openapiv3::{AdditionalProperties, ReferenceOr, Schema, SchemaKind, Type};

/// A schema or a reference to a component schema.
#[derive(Clone, Copy)]
pub(super) enum SRef<'a> {
    Ref(&'a str),
    Inline(&'a Schema),
}

impl<'a> SRef<'a> {
    pub(super) fn of(r: &'a ReferenceOr<Schema>) -> Self {
        match r {
            ReferenceOr::Reference { reference } => SRef::Ref(reference),
            ReferenceOr::Item(s) => SRef::Inline(s),
        }
    }

    pub(super) fn of_box(r: &'a ReferenceOr<Box<Schema>>) -> Self {
        match r {
            ReferenceOr::Reference { reference } => SRef::Ref(reference),
            ReferenceOr::Item(s) => SRef::Inline(s),
        }
    }

    pub(super) fn schema(self) -> Option<&'a Schema> {
        match self {
            SRef::Inline(s) => Some(s),
            SRef::Ref(_) => None,
        }
    }
}

/// One uniform view of the many shapes `openapiv3` gives a schema.
#[derive(Default)]
pub(super) struct View<'a> {
    pub(super) typ: Option<&'a str>,
    pub(super) enumeration: Vec<String>,
    pub(super) binary: bool,
    pub(super) properties: Vec<(&'a str, SRef<'a>)>,
    pub(super) required: Vec<&'a str>,
    pub(super) additional: Option<&'a AdditionalProperties>,
    pub(super) items: Option<SRef<'a>>,
    pub(super) one_of: Vec<SRef<'a>>,
    pub(super) any_of: Vec<SRef<'a>>,
    pub(super) all_of: Vec<SRef<'a>>,
}

pub(super) fn view(schema: &Schema) -> View<'_> {
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
pub(super) fn schema_doc(schema: &Schema) -> Option<String> {
    let data = &schema.schema_data;
    data.description
        .clone()
        .or_else(|| data.title.clone())
        .filter(|d| !d.trim().is_empty())
}
