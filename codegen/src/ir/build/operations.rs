//! Operations: the walk over the paths, naming from the overlay (resource, method, request) or
//! from the tag and operationId.
//!
//! An overlay entry matches an operation by method and path shape (placeholder names ignored), or,
//! when no operation has its shape, by its `operation_id`. The shape wins: an entry whose shape
//! matches names that operation even if the operationId changed.

use super::Builder;
use crate::config::{key_shape, OperationOverlay, Overlay};
use crate::diag::{join, Diagnostics};
use crate::ir::names::{field_name, type_name, Namer};
use crate::ir::*;
use openapiv3::{Parameter, ReferenceOr};
use std::collections::BTreeMap;

impl<'a> Builder<'a, '_> {
    /// Which overlay entry names each operation (operation key -> overlay key). An entry that
    /// matches no operation is a warning.
    pub(super) fn match_overlay(&mut self, overlay: &Overlay) -> BTreeMap<String, String> {
        let mut ops: Vec<(String, Option<&str>)> = Vec::new();
        for (path, item) in self.api.paths.paths.iter() {
            if let ReferenceOr::Item(item) = item {
                for (method, op) in item.iter() {
                    let key = format!("{} {path}", method.to_uppercase());
                    ops.push((key, op.operation_id.as_deref()));
                }
            }
        }
        let mut matched: BTreeMap<String, String> = BTreeMap::new();
        let mut claimed: Vec<&str> = Vec::new();
        // 1. The literal key, then the method and path shape.
        for (key, _) in &ops {
            let entry = overlay
                .operations
                .get_key_value(key.as_str())
                .map(|(k, _)| k.as_str())
                .or_else(|| {
                    let shape = key_shape(key);
                    overlay.operations.keys().map(String::as_str).find(|k| {
                        !claimed.contains(k)
                            && !ops.iter().any(|(o, _)| o == k)
                            && key_shape(k) == shape
                    })
                });
            if let Some(entry) = entry {
                claimed.push(entry);
                matched.insert(key.clone(), entry.to_owned());
            }
        }
        // 2. The operationId, for operations no entry's shape matched.
        for (key, id) in &ops {
            let Some(id) = id else { continue };
            if matched.contains_key(key) {
                continue;
            }
            let entry = overlay.operations.iter().find(|(k, e)| {
                !claimed.contains(&k.as_str()) && e.operation_id.as_deref() == Some(*id)
            });
            if let Some((entry, _)) = entry {
                claimed.push(entry);
                matched.insert(key.clone(), entry.clone());
            }
        }
        for key in overlay.operations.keys() {
            if !claimed.contains(&key.as_str()) {
                self.diags.warn(
                    "/paths",
                    format!("overlay names operation `{key}`, which the description does not have"),
                );
            }
        }
        matched
    }

    pub(super) fn operations(
        &mut self,
        overlay: &Overlay,
        matched: &BTreeMap<String, String>,
    ) -> Vec<Operation> {
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
                let placement: Option<&OperationOverlay> = matched
                    .get(&key)
                    .and_then(|entry| overlay.operations.get(entry));
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
                let safe_to_retry = is_read_sent_as_post(method, path, &name);
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
                    safe_to_retry,
                });
            }
        }
        out
    }
}

/// Whether an operation is a read whatever its method says: a `POST` (or `PATCH`) whose method
/// name or last literal path segment says it searches or lists (`contacts().search`,
/// `POST /companies/list`, `search_tickets`). Such an operation changes nothing on the server, so
/// repeating it after a failure is as harmless as repeating a `GET`.
pub(crate) fn is_read_sent_as_post(method: &str, path: &str, name: &str) -> bool {
    const READ_VERBS: [&str; 2] = ["search", "list"];
    if !matches!(method.to_ascii_lowercase().as_str(), "post" | "patch") {
        return false;
    }
    let verb = name.split('_').next().unwrap_or_default();
    let last_segment = path
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .filter(|s| !s.starts_with('{'))
        .unwrap_or_default();
    READ_VERBS.contains(&verb) || READ_VERBS.contains(&last_segment)
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

/// One request type per input: where two operations with different inputs ask for the same request
/// name (an overlay written for another description), the later ones are named after their
/// operation (`{Resource}{Method}Request`), with a warning. Operations with the same input share
/// the name.
pub(super) fn distinct_request_names(ir: &mut Ir, diags: &mut Diagnostics) {
    let mut namer = Namer::default();
    let mut inputs: BTreeMap<String, (Vec<Param>, Option<Body>)> = BTreeMap::new();
    for op in &ir.operations {
        if let Some(r) = &op.request {
            namer.claim(&r.name);
        }
    }
    for op in &mut ir.operations {
        let Some(request) = op.request.as_mut() else {
            continue;
        };
        let input = (request.params.clone(), request.body.clone());
        match inputs.get(&request.name) {
            None => {
                inputs.insert(request.name.clone(), input);
            }
            Some(first) if *first == input => {}
            Some(_) => {
                let wanted = format!(
                    "{}Request",
                    type_name(&format!("{} {}", op.resource.join(" "), op.name))
                );
                let name = match inputs.get(&wanted) {
                    Some(existing) if *existing == input => wanted,
                    _ => namer.claim(&wanted),
                };
                diags.warn(
                    &op.pointer,
                    format!(
                        "request type `{}` names a different input of another operation; named `{name}`",
                        request.name
                    ),
                );
                inputs.entry(name.clone()).or_insert(input);
                request.name = name;
            }
        }
    }
}
