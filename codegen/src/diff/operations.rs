//! Changes of methods: added, removed or moved operations, their inputs (arguments of `new` and
//! setters) and their response types.

use std::collections::BTreeMap;

use super::{method_path, push, response_name, ty_name, Change, Class, Impact};
use crate::config::path_shape;
use crate::ir::{Body, Ir, Operation};

pub(super) fn compare(old: &Ir, new: &Ir, out: &mut Vec<Change>) {
    let old_by_key: BTreeMap<&str, &Operation> =
        old.operations.iter().map(|o| (o.key.as_str(), o)).collect();
    let new_by_key: BTreeMap<&str, &Operation> =
        new.operations.iter().map(|o| (o.key.as_str(), o)).collect();
    let mut pairs: Vec<(&Operation, &Operation)> = Vec::new();
    let mut removed: Vec<&Operation> = Vec::new();
    for op in &old.operations {
        match new_by_key.get(op.key.as_str()) {
            Some(other) => pairs.push((op, other)),
            None => removed.push(op),
        }
    }
    let mut added: Vec<&Operation> = new
        .operations
        .iter()
        .filter(|o| !old_by_key.contains_key(o.key.as_str()))
        .collect();
    // An operation whose key changed is the same one if it kept its operationId, or else its
    // method and path shape (`/notes/{id}` and `/notes/{note_id}`).
    let mut gone = Vec::new();
    for op in removed {
        let same_id =
            |o: &&Operation| op.operation_id.is_some() && o.operation_id == op.operation_id;
        let same_shape =
            |o: &&Operation| o.method == op.method && path_shape(&o.path) == path_shape(&op.path);
        let found = added
            .iter()
            .position(same_id)
            .or_else(|| added.iter().position(same_shape));
        match found {
            Some(i) => {
                let other = added.remove(i);
                push(
                    out,
                    Class::OperationRenamed,
                    Impact::Breaking,
                    method_path(op),
                    format!(
                        "`{}` -> `{}` ({} -> {})",
                        method_path(op),
                        method_path(other),
                        op.key,
                        other.key
                    ),
                );
                operation(old, new, op, other, out);
            }
            None => gone.push(op),
        }
    }
    for op in gone {
        push(
            out,
            Class::OperationRemoved,
            Impact::Breaking,
            method_path(op),
            op.key.clone(),
        );
    }
    for op in added {
        push(
            out,
            Class::OperationAdded,
            Impact::Additive,
            method_path(op),
            op.key.clone(),
        );
    }
    for (a, b) in pairs {
        if method_path(a) != method_path(b) {
            push(
                out,
                Class::OperationRenamed,
                Impact::Breaking,
                method_path(a),
                format!("`{}` -> `{}` ({})", method_path(a), method_path(b), a.key),
            );
        }
        operation(old, new, a, b, out);
    }
}

/// One input of a request type: a parameter, a body field, or the whole body.
struct Input {
    ty: String,
    required: bool,
}

/// The inputs of `op`'s request type; `required` means an argument of `new` (as the request
/// emitter decides: a required parameter, a body field that is not an `Option`, a required whole
/// body; never a one-value enum, which `new` sets).
fn inputs(ir: &Ir, op: &Operation) -> BTreeMap<String, Input> {
    let mut map = BTreeMap::new();
    let Some(request) = &op.request else {
        return map;
    };
    for p in &request.params {
        let ty = ty_name(&p.ty);
        map.insert(
            p.name.clone(),
            Input {
                ty,
                required: p.required && !ir.is_constant(&p.ty),
            },
        );
    }
    match &request.body {
        Some(Body::Fields { fields, .. } | Body::Multipart { fields }) => {
            for f in fields {
                let ty = ty_name(&f.ty);
                map.insert(
                    f.name.clone(),
                    Input {
                        ty,
                        required: !f.optional && !ir.is_constant(&f.ty),
                    },
                );
            }
        }
        Some(Body::Whole { ty, required, .. }) => {
            let ty = ty_name(ty);
            map.insert(
                "body".to_owned(),
                Input {
                    ty,
                    required: *required,
                },
            );
        }
        None => {}
    }
    map
}

fn operation(old: &Ir, new: &Ir, a: &Operation, b: &Operation, out: &mut Vec<Change>) {
    let subject = method_path(b);
    match (&a.request, &b.request) {
        (None, Some(r)) => push(
            out,
            Class::OperationChanged,
            Impact::Breaking,
            subject.clone(),
            format!("now takes a `{}`", r.name),
        ),
        (Some(r), None) => push(
            out,
            Class::OperationChanged,
            Impact::Breaking,
            subject.clone(),
            format!("no longer takes a `{}`", r.name),
        ),
        (Some(ra), Some(rb)) if ra.name != rb.name => push(
            out,
            Class::OperationChanged,
            Impact::Breaking,
            subject.clone(),
            format!("request type `{}` -> `{}`", ra.name, rb.name),
        ),
        _ => {}
    }
    let (ia, ib) = (inputs(old, a), inputs(new, b));
    let request = b
        .request
        .as_ref()
        .or(a.request.as_ref())
        .map(|r| r.name.as_str())
        .unwrap_or("");
    for (name, input) in &ib {
        let item = format!("{subject} {request}::{name}");
        match ia.get(name) {
            None if input.required => push(
                out,
                Class::InputAdded,
                Impact::Breaking,
                item,
                format!("required `{}` (a new argument of `new`)", input.ty),
            ),
            None => push(
                out,
                Class::InputAdded,
                Impact::Additive,
                item,
                format!("optional `{}`", input.ty),
            ),
            Some(old) => {
                if old.ty != input.ty {
                    push(
                        out,
                        Class::InputRetyped,
                        Impact::Breaking,
                        item.clone(),
                        format!("`{}` -> `{}`", old.ty, input.ty),
                    );
                }
                if old.required != input.required {
                    let detail = if input.required {
                        "optional -> required (an argument of `new`)"
                    } else {
                        "required -> optional (a setter, no longer an argument of `new`)"
                    };
                    push(
                        out,
                        Class::InputRequiredness,
                        Impact::Breaking,
                        item,
                        detail.to_owned(),
                    );
                }
            }
        }
    }
    for (name, input) in &ia {
        if !ib.contains_key(name) {
            push(
                out,
                Class::InputRemoved,
                Impact::Breaking,
                format!("{subject} {request}::{name}"),
                format!("`{}`", input.ty),
            );
        }
    }
    if a.response != b.response {
        push(
            out,
            Class::ResponseChanged,
            Impact::Breaking,
            subject.clone(),
            format!(
                "`{}` -> `{}`",
                response_name(&a.response),
                response_name(&b.response)
            ),
        );
    }
    match (&a.pagination, &b.pagination) {
        (None, Some(p)) => push(
            out,
            Class::PaginationChanged,
            Impact::Breaking,
            subject.clone(),
            format!(
                "now paged ({:?} on `{}`): returns a `PagedCall`",
                p.style, p.param
            ),
        ),
        (Some(_), None) => push(
            out,
            Class::PaginationChanged,
            Impact::Breaking,
            subject.clone(),
            "no longer paged: returns a `Call`".to_owned(),
        ),
        (Some(pa), Some(pb)) => {
            if pa.item_ty != pb.item_ty {
                push(
                    out,
                    Class::PaginationChanged,
                    Impact::Breaking,
                    subject.clone(),
                    format!(
                        "items `{}` -> `{}`",
                        ty_name(&pa.item_ty),
                        ty_name(&pb.item_ty)
                    ),
                );
            }
            if pa.style != pb.style || pa.param != pb.param {
                push(
                    out,
                    Class::PaginationChanged,
                    Impact::Compatible,
                    subject.clone(),
                    format!(
                        "pages by {:?} `{}` -> {:?} `{}`",
                        pa.style, pa.param, pb.style, pb.param
                    ),
                );
            }
        }
        (None, None) => {}
    }
    if !a.deprecated && b.deprecated {
        push(
            out,
            Class::OperationChanged,
            Impact::Additive,
            subject,
            "deprecated".to_owned(),
        );
    }
}
