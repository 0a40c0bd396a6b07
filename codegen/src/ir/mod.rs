//! Stage 2, the intermediate representation: plain data describing the SDK to generate, independent
//! of OpenAPI's many ways of saying the same thing and of how Rust code is emitted.
//!
//! `build` lowers a parsed description (plus the overlay) into an [`Ir`]; `emit` turns an [`Ir`] into
//! Rust. Everything here is `Debug + PartialEq` so it can be unit-tested directly.

mod build;
pub mod features;
pub mod names;

pub use build::build;

use std::collections::BTreeMap;

/// The whole SDK: named types and operations.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Ir {
    /// The API version the description declares (`info.version`).
    pub api_version: String,
    /// Every named type, keyed by its Rust name (sorted, so emission order is deterministic).
    pub types: BTreeMap<String, TypeDef>,
    /// Operations in the order the description lists them.
    pub operations: Vec<Operation>,
}

/// A use of a type.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Ty {
    String,
    /// All integers are `i64` (Intercom timestamps included).
    Integer,
    Number,
    Boolean,
    /// Any JSON value (`serde_json::Value`): free-form schemas and safe fallbacks.
    Any,
    Array(Box<Ty>),
    /// A JSON object with arbitrary keys.
    Map(Box<Ty>),
    /// A type of [`Ir::types`], by Rust name.
    Named(String),
    /// A value that may be `null` where the position itself cannot be absent (array items, map
    /// values declared `nullable`).
    Nullable(Box<Ty>),
    /// A file (`type: string, format: binary`) sent as a part of a `multipart/form-data` body
    /// (`intercom_sdk::FilePart`). Only in [`Body::Multipart`].
    File,
}

impl Ty {
    /// The Rust spelling of the type as users see it (`Vec<Option<i64>>`), a named type prefixed
    /// with `models` (`""` or `"models::"`).
    pub fn rust_spelling(&self, models: &str) -> String {
        match self {
            Ty::String => "String".to_owned(),
            Ty::Integer => "i64".to_owned(),
            Ty::Number => "f64".to_owned(),
            Ty::Boolean => "bool".to_owned(),
            Ty::Any => "serde_json::Value".to_owned(),
            Ty::File => "FilePart".to_owned(),
            Ty::Array(inner) => format!("Vec<{}>", inner.rust_spelling(models)),
            Ty::Map(inner) => format!("BTreeMap<String, {}>", inner.rust_spelling(models)),
            Ty::Nullable(inner) => format!("Option<{}>", inner.rust_spelling(models)),
            Ty::Named(name) => format!("{models}{name}"),
        }
    }
}

/// A named type.
#[derive(Clone, Debug, PartialEq)]
pub struct TypeDef {
    pub name: String,
    /// JSON pointer of the schema it comes from.
    pub pointer: String,
    pub doc: Option<String>,
    pub kind: TypeKind,
}

#[derive(Clone, Debug, PartialEq)]
pub enum TypeKind {
    Struct(Struct),
    /// A string enum; unknown values are kept.
    Enum(Enum),
    /// `oneOf`/`anyOf`: one of several shapes; unrecognised values are kept.
    Union(Union),
    /// A named schema that is just another type (`type Foo = Vec<Bar>`).
    Alias(Ty),
}

#[derive(Clone, Debug, PartialEq, Default)]
pub struct Struct {
    pub fields: Vec<Field>,
    /// `additionalProperties` next to declared properties: the extra keys.
    pub additional: Option<Ty>,
    /// A property the description makes constant (a one-value string enum, e.g. `"type":
    /// "contact"`): not a field, written on serialization and checked when decoding.
    pub constant: Option<Constant>,
}

/// A constant property of a struct (see [`Struct::constant`]).
#[derive(Clone, Debug, PartialEq)]
pub struct Constant {
    /// Name on the wire.
    pub wire: String,
    /// Its only value.
    pub value: String,
    /// Whether the description requires it.
    pub required: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Field {
    /// Rust identifier (snake_case, keywords escaped).
    pub name: String,
    /// Name on the wire.
    pub wire: String,
    pub ty: Ty,
    pub required: bool,
    pub nullable: bool,
    /// The Rust field is `Option<ty>`.
    pub optional: bool,
    /// The field's type refers back to the struct through non-indirected fields: box it.
    pub boxed: bool,
    pub doc: Option<String>,
    /// An example value from the description, for generated documentation: a request body
    /// example's value for this property, else the property's `example` (a `$ref`'s target's).
    pub example: Option<serde_json::Value>,
}

#[derive(Clone, Debug, PartialEq, Default)]
pub struct Enum {
    pub variants: Vec<EnumVariant>,
}

impl Enum {
    /// An enum of one value (`type: article_content`) is a constant: its one value is its
    /// `Default`, so a required field of it needs no `Option` and no constructor argument.
    pub fn is_constant(&self) -> bool {
        self.variants.len() == 1
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct EnumVariant {
    pub name: String,
    pub value: String,
}

#[derive(Clone, Debug, PartialEq, Default)]
pub struct Union {
    /// In the order a decoder should try them (most specific first).
    pub variants: Vec<UnionVariant>,
    /// Name of the variant that keeps an unrecognised value.
    pub fallback: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct UnionVariant {
    pub name: String,
    pub ty: Ty,
    /// What a JSON value must look like before decoding it as this variant is attempted.
    pub shape: Shape,
    /// The payload is much larger than the union's other variants: held in a `Box`, so every
    /// value of the union does not take its size (clippy's `large_enum_variant`).
    pub boxed: bool,
}

/// The JSON shape a union variant accepts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Shape {
    /// An object with these keys present, and these keys equal to these strings. `enums` are the
    /// enum-typed keys with their declared values: a decoder first looks for a variant whose
    /// present enum keys all hold declared values, and only then accepts unknown values (so
    /// `{"operator": "AND"}` picks the variant whose `operator` allows `AND`, while a value newer
    /// than the SDK still decodes).
    Object {
        required: Vec<String>,
        consts: Vec<(String, String)>,
        enums: Vec<(String, Vec<String>)>,
    },
    String,
    Integer,
    Number,
    Boolean,
    Array,
    Any,
}

/// One API operation, placed in a resource.
#[derive(Clone, Debug, PartialEq)]
pub struct Operation {
    /// `"GET /contacts/{contact_id}"`: the overlay's key.
    pub key: String,
    pub pointer: String,
    /// Upper-case HTTP method.
    pub method: String,
    pub path: String,
    /// The description's `operationId`: the overlay's second key.
    pub operation_id: Option<String>,
    /// Resource path from the client, e.g. `["help_centers", "collections"]`.
    pub resource: Vec<String>,
    /// Method name (snake_case).
    pub name: String,
    pub summary: Option<String>,
    pub description: Option<String>,
    pub deprecated: bool,
    pub request: Option<Request>,
    pub response: ResponseBody,
    pub pagination: Option<Pagination>,
    /// A read sent with a method that is not idempotent (a search or a list as `POST`): the
    /// runtime retries it like a `GET`. Decided by [`build`] from the operation's name and path.
    pub safe_to_retry: bool,
}

/// The operation's input: path, query and body fields together.
#[derive(Clone, Debug, PartialEq)]
pub struct Request {
    pub name: String,
    pub params: Vec<Param>,
    pub body: Option<Body>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Param {
    /// Rust identifier.
    pub name: String,
    /// Name on the wire: the path placeholder, query key or header name.
    pub wire: String,
    /// The key the input is read under from JSON (a spec example, the conformance `call`): the
    /// wire name, or the Rust name where a body field has the wire name.
    pub key: String,
    pub location: ParamLocation,
    pub ty: Ty,
    pub required: bool,
    pub doc: Option<String>,
    /// An example value from the description (the parameter's `example`/`examples`, else its
    /// schema's, else a same-named parameter's elsewhere), for generated documentation.
    pub example: Option<serde_json::Value>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParamLocation {
    Path,
    Query,
    /// An object sent as one query pair per property (`style: form, explode: true`).
    QueryObject,
    /// A header (a scalar: string, number, boolean or string enum).
    Header,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Body {
    /// The body is an object whose properties are fields of the request type.
    Fields {
        fields: Vec<Field>,
        model: Option<String>,
    },
    /// The body is sent whole from the request's `body` field. `example` is the description's
    /// example of the body, for generated documentation.
    Whole {
        ty: Ty,
        required: bool,
        example: Option<serde_json::Value>,
    },
    /// A `multipart/form-data` body: each field is a part of the form, a file ([`Ty::File`], or
    /// an array of them: one part per file) or a text value.
    Multipart { fields: Vec<Field> },
}

#[derive(Clone, Debug, PartialEq)]
pub enum ResponseBody {
    Json(Ty),
    Empty,
    Binary,
}

/// How a paged operation walks its pages.
#[derive(Clone, Debug, PartialEq)]
pub struct Pagination {
    pub style: crate::config::PaginationStyle,
    /// Query parameter name, or dotted body path for body cursors.
    pub param: String,
    /// The paged response type (a struct).
    pub response: String,
    pub items: FieldPath,
    pub item_ty: Ty,
    pub cursor: Option<FieldPath>,
    pub page: Option<FieldPath>,
    pub total_pages: Option<FieldPath>,
    /// Where the pagination comes from.
    pub source: PaginationSource,
}

/// Whether an operation's pagination was inferred from the description or set by the overlay.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PaginationSource {
    Inferred,
    Overlay,
}

/// A chain of struct fields from a response type to a value.
#[derive(Clone, Debug, PartialEq)]
pub struct FieldPath {
    pub steps: Vec<FieldStep>,
    /// The type at the end of the path.
    pub ty: Ty,
}

#[derive(Clone, Debug, PartialEq)]
pub struct FieldStep {
    pub field: String,
    pub optional: bool,
    pub boxed: bool,
}

impl Ir {
    pub fn get(&self, name: &str) -> Option<&TypeDef> {
        self.types.get(name)
    }

    /// The kind of the type `name` names, looking through aliases to named types. `None` for an
    /// unknown name or an alias cycle (`a = b`, `b = a`; reported by `ir::build`).
    pub fn resolve(&self, name: &str) -> Option<&TypeKind> {
        let mut kind = &self.types.get(name)?.kind;
        for _ in 0..=self.types.len() {
            match kind {
                TypeKind::Alias(Ty::Named(inner)) => kind = &self.types.get(inner)?.kind,
                other => return Some(other),
            }
        }
        None
    }

    /// Whether `ty` is a one-value enum: a required input of it is set by the request's `new`,
    /// not an argument.
    pub fn is_constant(&self, ty: &Ty) -> bool {
        matches!(ty, Ty::Named(name) if matches!(self.resolve(name), Some(TypeKind::Enum(e)) if e.is_constant()))
    }

    /// Whether values of `ty` have a `Default` (so a missing required field can decode to it).
    pub fn has_default(&self, ty: &Ty) -> bool {
        match ty {
            Ty::Named(name) => match self.resolve(name) {
                Some(TypeKind::Struct(_)) => true,
                Some(TypeKind::Enum(e)) => e.is_constant(),
                Some(TypeKind::Alias(inner)) => self.has_default(inner),
                _ => false,
            },
            _ => true,
        }
    }
}
