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
            out_params.push(Param {
                name: namer.claim(&field_name(wire)),
                wire: wire.to_owned(),
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

/// The body example's property values as the examples of the body's fields (a field's own
/// example is kept).
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
