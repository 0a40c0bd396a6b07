//! Operations: the walk over the paths, naming from the overlay (resource, method, request) or
//! from the tag and operationId.

use super::Builder;
use crate::config::Overlay;
use crate::diag::join;
use crate::ir::names::{field_name, type_name, Namer};
use crate::ir::*;
use openapiv3::{Parameter, ReferenceOr};
use std::collections::BTreeMap;

impl<'a> Builder<'a, '_> {
    pub(super) fn operations(&mut self, overlay: &Overlay) -> Vec<Operation> {
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
