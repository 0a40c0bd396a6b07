//! Requests: parameters (path, query, header) and the JSON body of an operation.

use super::view::{view, SRef};
use super::{Builder, Slot};
use crate::diag::join;
use crate::ir::names::{field_name, type_name, Namer};
use crate::ir::*;
use openapiv3::{Parameter, ParameterSchemaOrContent, ReferenceOr};

impl<'a> Builder<'a, '_> {
    pub(super) fn parameter(
        &mut self,
        p: &'a ReferenceOr<Parameter>,
        pointer: &str,
    ) -> Option<&'a Parameter> {
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

    pub(super) fn request(
        &mut self,
        name: &str,
        path: &str,
        params: &[&'a Parameter],
        body: Option<&'a ReferenceOr<openapiv3::RequestBody>>,
        pointer: &str,
    ) -> Option<Request> {
        let mut namer = Namer::default();
        let mut out_params = Vec::new();
        // An input read from JSON under the name of a body field would be read twice: it gets a
        // name of its own (`contact_id` for the `{id}` of `/contacts/{id}/companies`).
        let body_wires = body.map(|b| self.body_wires(b)).unwrap_or_default();
        let mut input_name = |this: &mut Self, wire: &str, location: ParamLocation| {
            if !body_wires.iter().any(|w| w == wire) {
                return (namer.claim(&field_name(wire)), wire.to_owned());
            }
            let name = namer.claim(&clash_name(path, wire, location));
            this.diags.warn(
                pointer,
                format!("input `{wire}` has the name of a body field; named `{name}`"),
            );
            (name.clone(), name)
        };
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
            let (name, key) = input_name(self, &data.name, location);
            out_params.push(Param {
                name,
                wire: data.name.clone(),
                key,
                location,
                ty,
                required: data.required || location == ParamLocation::Path,
                doc: data.description.clone(),
                example: parameter_example(data),
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
            let (name, key) = input_name(self, wire, ParamLocation::Path);
            out_params.push(Param {
                name,
                wire: wire.to_owned(),
                key,
                location: ParamLocation::Path,
                ty: Ty::String,
                required: true,
                doc: None,
                example: None,
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

    /// The wire names of the top-level properties of a JSON request body (through `$ref` and
    /// `allOf`).
    fn body_wires(&self, body: &'a ReferenceOr<openapiv3::RequestBody>) -> Vec<String> {
        let ReferenceOr::Item(body) = body else {
            return Vec::new();
        };
        let schema = body
            .content
            .iter()
            .find(|(ct, _)| ct.contains("json"))
            .and_then(|(_, m)| m.schema.as_ref());
        let mut out = Vec::new();
        if let Some(schema) = schema {
            self.property_wires(SRef::of(schema), 0, &mut out);
        }
        out
    }

    fn property_wires(&self, s: SRef<'a>, depth: usize, out: &mut Vec<String>) {
        let schema = match s {
            SRef::Inline(s) => s,
            SRef::Ref(r) => match r
                .strip_prefix(super::SCHEMA_PREFIX)
                .and_then(|k| self.schemas.get(k))
            {
                Some(ReferenceOr::Item(s)) => s,
                _ => return,
            },
        };
        let v = view(schema);
        out.extend(v.properties.iter().map(|(k, _)| (*k).to_owned()));
        if depth < 8 {
            for member in &v.all_of {
                self.property_wires(*member, depth + 1, out);
            }
        }
    }

    /// A `multipart/form-data` body: an object whose properties are the form's parts. A
    /// `format: binary` string is a file, an array of them one part per file; anything else is
    /// sent as text.
    fn multipart(
        &mut self,
        request: &str,
        media: &'a openapiv3::MediaType,
        mptr: &str,
        namer: &mut Namer,
    ) -> Option<Body> {
        let sptr = join(mptr, "schema");
        let schema = match media.schema.as_ref().map(SRef::of) {
            Some(SRef::Inline(s)) => Some(s),
            Some(SRef::Ref(r)) => match r
                .strip_prefix(super::SCHEMA_PREFIX)
                .and_then(|k| self.schemas.get(k))
            {
                Some(ReferenceOr::Item(s)) => Some(s),
                _ => None,
            },
            None => None,
        };
        let v = schema.map(view).unwrap_or_default();
        if v.properties.is_empty() {
            self.diags
                .warn(mptr, "multipart body without object properties; skipped");
            return None;
        }
        let files: Vec<(&str, bool)> = v
            .properties
            .iter()
            .filter_map(|(wire, s)| {
                let pv = view(s.schema()?);
                if pv.binary {
                    return Some((*wire, false));
                }
                let items = pv.items.and_then(SRef::schema).map(view)?;
                items.binary.then_some((*wire, true))
            })
            .collect();
        let mut fields = self.fields(request, &v, &sptr, namer);
        for f in &mut fields {
            if let Some((_, many)) = files.iter().find(|(w, _)| *w == f.wire) {
                f.ty = if *many {
                    Ty::Array(Box::new(Ty::File))
                } else {
                    Ty::File
                };
            }
        }
        Some(Body::Multipart { fields })
    }

    pub(super) fn body(
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
        if content_type.starts_with("multipart/form-data") {
            return self.multipart(request, media, &mptr, namer);
        }
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
                example: media_example(media),
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
                let mut fields = self.fields(request, &v, &sptr, namer);
                with_body_example(&mut fields, media);
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
                with_body_example(&mut fields, media);
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
            example: media_example(media),
        })
    }

    /// Whether a lowered parameter type is an object (sent exploded) and whether it is a scalar
    /// (sent as text), looking through aliases.
    pub(super) fn param_shape(&self, ty: &Ty) -> (bool, bool) {
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
}

/// A name for an input that shares its wire name with a body field: a path placeholder is named
/// after the resource before it (`/contacts/{id}` gives `contact_id`), other inputs after where
/// they go (`query_id`).
fn clash_name(path: &str, wire: &str, location: ParamLocation) -> String {
    let wire_name = field_name(wire);
    let prefix = match location {
        ParamLocation::Path => {
            let placeholder = format!("{{{wire}}}");
            let segments: Vec<&str> = path.split('/').collect();
            segments
                .iter()
                .position(|s| *s == placeholder)
                .and_then(|i| i.checked_sub(1))
                .map(|i| segments[i])
                .filter(|s| !s.is_empty() && !s.contains('{'))
                .map(|s| singular(&field_name(s)))
                .unwrap_or_else(|| "path".to_owned())
        }
        ParamLocation::Query | ParamLocation::QueryObject => "query".to_owned(),
        ParamLocation::Header => "header".to_owned(),
    };
    format!("{prefix}_{wire_name}")
}

/// `contacts` -> `contact`, `companies` -> `company`; other words as they are.
fn singular(word: &str) -> String {
    if let Some(stem) = word.strip_suffix("ies") {
        format!("{stem}y")
    } else if word.ends_with("ss") {
        word.to_owned()
    } else {
        word.strip_suffix('s').unwrap_or(word).to_owned()
    }
}

/// A parameter's example: its `example`, else the first of its `examples`, else its inline
/// schema's `example`.
fn parameter_example(data: &openapiv3::ParameterData) -> Option<serde_json::Value> {
    if let Some(example) = &data.example {
        return Some(example.clone());
    }
    if let Some(value) = data.examples.values().find_map(example_value) {
        return Some(value);
    }
    match &data.format {
        ParameterSchemaOrContent::Schema(ReferenceOr::Item(schema)) => {
            schema.schema_data.example.clone()
        }
        _ => None,
    }
}

/// A request body's example: its `example`, else the first of its `examples`.
fn media_example(media: &openapiv3::MediaType) -> Option<serde_json::Value> {
    media
        .example
        .clone()
        .or_else(|| media.examples.values().find_map(example_value))
}

fn example_value(example: &ReferenceOr<openapiv3::Example>) -> Option<serde_json::Value> {
    match example {
        ReferenceOr::Item(example) => example.value.clone(),
        ReferenceOr::Reference { .. } => None,
    }
}

/// The body example's property values as the examples of the body's fields: a value from a
/// whole request example wins over the property's own example.
fn with_body_example(fields: &mut [Field], media: &openapiv3::MediaType) {
    let Some(serde_json::Value::Object(example)) = media_example(media) else {
        return;
    };
    for field in fields {
        if let Some(value) = example.get(&field.wire) {
            field.example = Some(value.clone());
        }
    }
}
