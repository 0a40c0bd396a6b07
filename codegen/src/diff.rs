//! The API diff: what changed for users of the generated Rust API between two [`Ir`]s, each change
//! classified as breaking or additive by the policy of [`crate::api`], and a semver verdict.
//!
//! It reads only the IR (never generated text), so a spec update is summarised as operations,
//! inputs, responses, types, fields and enum values, not as a 20,000-line text diff.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use serde::Serialize;

use crate::ir::{Body, Ir, Operation, ResponseBody, Struct, Ty, TypeDef, TypeKind};

/// What kind of change.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Class {
    OperationAdded,
    OperationRemoved,
    /// The method moved to another name or resource (or its path changed with the same id).
    OperationRenamed,
    /// The request type, or whether the method takes one, or deprecation.
    OperationChanged,
    InputAdded,
    InputRemoved,
    /// An input became required (an argument of `new`) or optional (a setter).
    InputRequiredness,
    InputRetyped,
    ResponseChanged,
    PaginationChanged,
    TypeAdded,
    TypeRemoved,
    /// The same schema (JSON pointer) under another Rust name.
    TypeRenamed,
    /// Struct, enum, union or alias became another of these, or an alias points elsewhere.
    TypeChanged,
    FieldAdded,
    FieldRemoved,
    FieldRetyped,
    FieldMadeRequired,
    FieldMadeOptional,
    EnumValueAdded,
    EnumValueRemoved,
    VariantAdded,
    VariantRemoved,
    VariantRetyped,
}

impl Class {
    /// Every class, in report order.
    pub const ALL: [Class; 24] = [
        Class::OperationAdded,
        Class::OperationRemoved,
        Class::OperationRenamed,
        Class::OperationChanged,
        Class::InputAdded,
        Class::InputRemoved,
        Class::InputRequiredness,
        Class::InputRetyped,
        Class::ResponseChanged,
        Class::PaginationChanged,
        Class::TypeAdded,
        Class::TypeRemoved,
        Class::TypeRenamed,
        Class::TypeChanged,
        Class::FieldAdded,
        Class::FieldRemoved,
        Class::FieldRetyped,
        Class::FieldMadeRequired,
        Class::FieldMadeOptional,
        Class::EnumValueAdded,
        Class::EnumValueRemoved,
        Class::VariantAdded,
        Class::VariantRemoved,
        Class::VariantRetyped,
    ];

    /// Human label (`"operation added"`).
    pub fn label(self) -> &'static str {
        match self {
            Class::OperationAdded => "operation added",
            Class::OperationRemoved => "operation removed",
            Class::OperationRenamed => "operation renamed",
            Class::OperationChanged => "operation changed",
            Class::InputAdded => "input added",
            Class::InputRemoved => "input removed",
            Class::InputRequiredness => "input required-ness changed",
            Class::InputRetyped => "input retyped",
            Class::ResponseChanged => "response type changed",
            Class::PaginationChanged => "pagination changed",
            Class::TypeAdded => "type added",
            Class::TypeRemoved => "type removed",
            Class::TypeRenamed => "type renamed",
            Class::TypeChanged => "type changed",
            Class::FieldAdded => "field added",
            Class::FieldRemoved => "field removed",
            Class::FieldRetyped => "field retyped",
            Class::FieldMadeRequired => "field made required",
            Class::FieldMadeOptional => "field made optional",
            Class::EnumValueAdded => "enum value added",
            Class::EnumValueRemoved => "enum value removed",
            Class::VariantAdded => "union variant added",
            Class::VariantRemoved => "union variant removed",
            Class::VariantRetyped => "union variant retyped",
        }
    }
}

/// What a change means for code that uses the crate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Impact {
    /// Code that compiled against the old API may not compile against the new one.
    Breaking,
    /// New API; existing code still compiles.
    Additive,
    /// No change to the Rust API (behaviour or wire only).
    Compatible,
}

/// The version bump the changes call for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Major,
    Minor,
    Patch,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Major => "major",
            Verdict::Minor => "minor",
            Verdict::Patch => "patch",
        }
    }
}

/// One change of the Rust API.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Change {
    pub class: Class,
    pub impact: Impact,
    /// The item: `contacts().find`, `models::Contact`, `models::Contact::email`.
    pub subject: String,
    /// What changed, in words, e.g. ``` `String` -> `Option<String>` ```.
    pub detail: String,
}

/// Every change between two IRs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Report {
    pub from: String,
    pub to: String,
    pub verdict: Verdict,
    /// Number of changes per class (classes with none are left out).
    pub counts: BTreeMap<Class, usize>,
    pub changes: Vec<Change>,
}

/// Compares the API of `old` with the API of `new` (labelled `from` and `to` in reports).
pub fn compare(old: &Ir, new: &Ir, from: &str, to: &str) -> Report {
    let mut changes = Vec::new();
    operations(old, new, &mut changes);
    types(old, new, &mut changes);
    changes.sort_by(|a, b| {
        (a.impact, a.class, &a.subject, &a.detail).cmp(&(b.impact, b.class, &b.subject, &b.detail))
    });
    changes.dedup();
    let verdict = if changes.iter().any(|c| c.impact == Impact::Breaking) {
        Verdict::Major
    } else if changes.iter().any(|c| c.impact == Impact::Additive) {
        Verdict::Minor
    } else {
        Verdict::Patch
    };
    let mut counts = BTreeMap::new();
    for change in &changes {
        *counts.entry(change.class).or_insert(0) += 1;
    }
    Report {
        from: from.to_owned(),
        to: to.to_owned(),
        verdict,
        counts,
        changes,
    }
}

fn push(out: &mut Vec<Change>, class: Class, impact: Impact, subject: String, detail: String) {
    out.push(Change {
        class,
        impact,
        subject,
        detail,
    });
}

/// `help_centers().collections().list`
pub fn method_path(op: &Operation) -> String {
    let mut out = String::new();
    for group in &op.resource {
        out.push_str(group);
        out.push_str("().");
    }
    out.push_str(&op.name);
    out
}

/// The path with its placeholders unnamed: `/contacts/{}/notes`.
fn path_shape(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut in_placeholder = false;
    for c in path.chars() {
        match c {
            '{' => {
                in_placeholder = true;
                out.push_str("{}");
            }
            '}' => in_placeholder = false,
            _ if in_placeholder => {}
            _ => out.push(c),
        }
    }
    out
}

/// The Rust spelling of a type, as users see it.
pub fn ty_name(ty: &Ty) -> String {
    match ty {
        Ty::String => "String".to_owned(),
        Ty::Integer => "i64".to_owned(),
        Ty::Number => "f64".to_owned(),
        Ty::Boolean => "bool".to_owned(),
        Ty::Any => "serde_json::Value".to_owned(),
        Ty::File => "FilePart".to_owned(),
        Ty::Array(inner) => format!("Vec<{}>", ty_name(inner)),
        Ty::Map(inner) => format!("BTreeMap<String, {}>", ty_name(inner)),
        Ty::Nullable(inner) => format!("Option<{}>", ty_name(inner)),
        Ty::Named(name) => name.clone(),
    }
}

fn response_name(response: &ResponseBody) -> String {
    match response {
        ResponseBody::Json(ty) => ty_name(ty),
        ResponseBody::Empty => "()".to_owned(),
        ResponseBody::Binary => "ByteStream".to_owned(),
    }
}

fn operations(old: &Ir, new: &Ir, out: &mut Vec<Change>) {
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

/// Whether `ty` is a one-value enum (a required input of it is set by `new`, not an argument).
fn is_constant(ir: &Ir, ty: &Ty) -> bool {
    match ty {
        Ty::Named(name) => matches!(ir.resolve(name), Some(TypeKind::Enum(e)) if e.is_constant()),
        _ => false,
    }
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
                required: p.required && !is_constant(ir, &p.ty),
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
                        required: !f.optional && !is_constant(ir, &f.ty),
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

fn kind_name(kind: &TypeKind) -> &'static str {
    match kind {
        TypeKind::Struct(_) => "struct",
        TypeKind::Enum(_) => "enum",
        TypeKind::Union(_) => "union",
        TypeKind::Alias(_) => "alias",
    }
}

fn types(old: &Ir, new: &Ir, out: &mut Vec<Change>) {
    let old_inputs = crate::api::input_types(old);
    // A type is the same schema (JSON pointer) under the same or another name; a name whose
    // schema moved is still the same type when no other type has its old pointer.
    let mut pointer_count: BTreeMap<&str, usize> = BTreeMap::new();
    for def in new.types.values() {
        *pointer_count.entry(def.pointer.as_str()).or_insert(0) += 1;
    }
    let new_by_pointer: BTreeMap<&str, &TypeDef> = new
        .types
        .values()
        .filter(|d| pointer_count[d.pointer.as_str()] == 1)
        .map(|d| (d.pointer.as_str(), d))
        .collect();
    let mut claimed: BTreeSet<&str> = BTreeSet::new();
    let mut matches: Vec<(&TypeDef, &TypeDef)> = Vec::new();
    let mut removed: Vec<&TypeDef> = Vec::new();
    for (name, def) in &old.types {
        let same_name = new.types.get(name);
        let by_pointer = new_by_pointer.get(def.pointer.as_str()).copied();
        let other = match (same_name, by_pointer) {
            (Some(same), _) if same.pointer == def.pointer => Some(same),
            (_, Some(moved)) if !old.types.contains_key(&moved.name) || moved.name == *name => {
                Some(moved)
            }
            (Some(same), _) => Some(same),
            (None, _) => None,
        };
        match other {
            Some(other) if claimed.insert(other.name.as_str()) => matches.push((def, other)),
            _ => removed.push(def),
        }
    }
    for def in removed {
        push(
            out,
            Class::TypeRemoved,
            Impact::Breaking,
            format!("models::{}", def.name),
            kind_name(&def.kind).to_owned(),
        );
    }
    for (def, other) in matches {
        if def.name != other.name {
            push(
                out,
                Class::TypeRenamed,
                Impact::Breaking,
                format!("models::{}", def.name),
                format!("`{}` -> `{}` ({})", def.name, other.name, def.pointer),
            );
        }
        let exhaustive = !crate::api::type_is_non_exhaustive(old, &old_inputs, &def.name);
        type_def(def, other, exhaustive, out);
    }
    for (name, def) in &new.types {
        if !claimed.contains(name.as_str()) {
            push(
                out,
                Class::TypeAdded,
                Impact::Additive,
                format!("models::{name}"),
                kind_name(&def.kind).to_owned(),
            );
        }
    }
}

fn type_def(a: &TypeDef, b: &TypeDef, exhaustive: bool, out: &mut Vec<Change>) {
    let subject = format!("models::{}", b.name);
    match (&a.kind, &b.kind) {
        (TypeKind::Struct(sa), TypeKind::Struct(sb)) => fields(&subject, sa, sb, exhaustive, out),
        (TypeKind::Enum(ea), TypeKind::Enum(eb)) => {
            let va: BTreeSet<&str> = ea.variants.iter().map(|v| v.value.as_str()).collect();
            let vb: BTreeSet<&str> = eb.variants.iter().map(|v| v.value.as_str()).collect();
            for value in vb.difference(&va) {
                push(
                    out,
                    Class::EnumValueAdded,
                    Impact::Additive,
                    subject.clone(),
                    format!("`{value}`"),
                );
            }
            for value in va.difference(&vb) {
                push(
                    out,
                    Class::EnumValueRemoved,
                    Impact::Breaking,
                    subject.clone(),
                    format!("`{value}`"),
                );
            }
        }
        (TypeKind::Union(ua), TypeKind::Union(ub)) => {
            let va: BTreeMap<&str, &Ty> = ua
                .variants
                .iter()
                .map(|v| (v.name.as_str(), &v.ty))
                .collect();
            let vb: BTreeMap<&str, &Ty> = ub
                .variants
                .iter()
                .map(|v| (v.name.as_str(), &v.ty))
                .collect();
            for (name, ty) in &vb {
                match va.get(name) {
                    None => push(
                        out,
                        Class::VariantAdded,
                        Impact::Additive,
                        format!("{subject}::{name}"),
                        format!("`{}`", ty_name(ty)),
                    ),
                    Some(old) if old != ty => push(
                        out,
                        Class::VariantRetyped,
                        Impact::Breaking,
                        format!("{subject}::{name}"),
                        format!("`{}` -> `{}`", ty_name(old), ty_name(ty)),
                    ),
                    Some(_) => {}
                }
            }
            for (name, ty) in &va {
                if !vb.contains_key(name) {
                    push(
                        out,
                        Class::VariantRemoved,
                        Impact::Breaking,
                        format!("{subject}::{name}"),
                        format!("`{}`", ty_name(ty)),
                    );
                }
            }
        }
        (TypeKind::Alias(ta), TypeKind::Alias(tb)) => {
            if ta != tb {
                push(
                    out,
                    Class::TypeChanged,
                    Impact::Breaking,
                    subject,
                    format!("alias of `{}` -> `{}`", ty_name(ta), ty_name(tb)),
                );
            }
        }
        (ka, kb) => push(
            out,
            Class::TypeChanged,
            Impact::Breaking,
            subject,
            format!("{} -> {}", kind_name(ka), kind_name(kb)),
        ),
    }
}

/// The Rust type of a field as users see it.
fn field_ty(f: &crate::ir::Field) -> String {
    let mut ty = ty_name(&f.ty);
    if f.boxed {
        ty = format!("Box<{ty}>");
    }
    if f.optional {
        ty = format!("Option<{ty}>");
    }
    ty
}

fn fields(subject: &str, a: &Struct, b: &Struct, exhaustive: bool, out: &mut Vec<Change>) {
    let fa: BTreeMap<&str, &crate::ir::Field> =
        a.fields.iter().map(|f| (f.name.as_str(), f)).collect();
    let fb: BTreeMap<&str, &crate::ir::Field> =
        b.fields.iter().map(|f| (f.name.as_str(), f)).collect();
    // A new field breaks struct literals of an exhaustive struct (one a request input reaches).
    let addition = if exhaustive {
        Impact::Breaking
    } else {
        Impact::Additive
    };
    for (name, f) in &fb {
        let item = format!("{subject}::{name}");
        let Some(old) = fa.get(name) else {
            let why = if exhaustive {
                " (exhaustive: struct literals break)"
            } else {
                ""
            };
            push(
                out,
                Class::FieldAdded,
                addition,
                item,
                format!("`{}`{why}", field_ty(f)),
            );
            continue;
        };
        if old.ty != f.ty || old.boxed != f.boxed {
            push(
                out,
                Class::FieldRetyped,
                Impact::Breaking,
                item.clone(),
                format!("`{}` -> `{}`", field_ty(old), field_ty(f)),
            );
        } else if old.optional != f.optional {
            let class = if f.optional {
                Class::FieldMadeOptional
            } else {
                Class::FieldMadeRequired
            };
            push(
                out,
                class,
                Impact::Breaking,
                item.clone(),
                format!("`{}` -> `{}`", field_ty(old), field_ty(f)),
            );
        }
        if old.required != f.required && old.optional == f.optional {
            let class = if f.required {
                Class::FieldMadeRequired
            } else {
                Class::FieldMadeOptional
            };
            push(
                out,
                class,
                Impact::Compatible,
                item,
                format!(
                    "in the description only; the Rust type stays `{}`",
                    field_ty(f)
                ),
            );
        }
    }
    for (name, f) in &fa {
        if !fb.contains_key(name) {
            push(
                out,
                Class::FieldRemoved,
                Impact::Breaking,
                format!("{subject}::{name}"),
                format!("`{}`", field_ty(f)),
            );
        }
    }
    match (&a.additional, &b.additional) {
        (None, Some(ty)) => push(
            out,
            Class::FieldAdded,
            addition,
            format!("{subject}::additional_properties"),
            format!("`BTreeMap<String, {}>`", ty_name(ty)),
        ),
        (Some(ty), None) => push(
            out,
            Class::FieldRemoved,
            Impact::Breaking,
            format!("{subject}::additional_properties"),
            format!("`BTreeMap<String, {}>`", ty_name(ty)),
        ),
        (Some(ta), Some(tb)) if ta != tb => push(
            out,
            Class::FieldRetyped,
            Impact::Breaking,
            format!("{subject}::additional_properties"),
            format!("`{}` -> `{}`", ty_name(ta), ty_name(tb)),
        ),
        _ => {}
    }
    // The constant a struct writes on serialization (and checks when decoding).
    if a.constant != b.constant {
        let show = |c: &Option<crate::ir::Constant>| match c {
            Some(c) => format!("`\"{}\": \"{}\"`", c.wire, c.value),
            None => "none".to_owned(),
        };
        push(
            out,
            Class::TypeChanged,
            Impact::Breaking,
            subject.to_owned(),
            format!("constant {} -> {}", show(&a.constant), show(&b.constant)),
        );
    }
}

impl Report {
    pub fn breaking(&self) -> usize {
        self.changes
            .iter()
            .filter(|c| c.impact == Impact::Breaking)
            .count()
    }

    pub fn additive(&self) -> usize {
        self.changes
            .iter()
            .filter(|c| c.impact == Impact::Additive)
            .count()
    }

    /// One line: `2.11 -> 2.15: major (12 breaking, 30 additive, 2 compatible)`.
    pub fn summary_line(&self) -> String {
        format!(
            "{} -> {}: {} ({} breaking, {} additive, {} compatible)",
            self.from,
            self.to,
            self.verdict.as_str(),
            self.breaking(),
            self.additive(),
            self.changes.len() - self.breaking() - self.additive()
        )
    }

    /// Counts per class, one `label: n` per line, indented.
    fn counts_text(&self) -> String {
        let mut out = String::new();
        for class in Class::ALL {
            if let Some(n) = self.counts.get(&class) {
                let _ = writeln!(out, "  {:<30} {n}", format!("{}:", class.label()));
            }
        }
        out
    }

    /// The human report: changes grouped by impact, counts per class, then the verdict.
    pub fn text(&self) -> String {
        let mut out = format!("API diff {} -> {}\n", self.from, self.to);
        for (impact, title) in [
            (Impact::Breaking, "Breaking changes"),
            (Impact::Additive, "Additive changes"),
            (
                Impact::Compatible,
                "Compatible changes (the Rust API is unchanged)",
            ),
        ] {
            let group: Vec<&Change> = self.changes.iter().filter(|c| c.impact == impact).collect();
            if group.is_empty() {
                continue;
            }
            let _ = writeln!(out, "\n{title} ({}):", group.len());
            for c in group {
                let _ = writeln!(out, "  - {}: {}: {}", c.class.label(), c.subject, c.detail);
            }
        }
        let _ = writeln!(out, "\nCounts:");
        if self.changes.is_empty() {
            let _ = writeln!(out, "  no change to the Rust API");
        }
        out.push_str(&self.counts_text());
        let _ = writeln!(out, "\nVerdict: {}", self.verdict_text());
        out
    }

    fn verdict_text(&self) -> String {
        match self.verdict {
            Verdict::Major => format!(
                "major ({} breaking change(s); while the crate is 0.x, bump the minor version)",
                self.breaking()
            ),
            Verdict::Minor => format!(
                "minor ({} additive change(s), nothing breaking; while the crate is 0.x, bump the patch version)",
                self.additive()
            ),
            Verdict::Patch => "patch (no change to the Rust API)".to_owned(),
        }
    }

    /// A Keep a Changelog section body (`### Added`, `### Changed`, ...), breaking entries marked.
    pub fn markdown(&self) -> String {
        let mut out = format!(
            "API {} -> {}. Semver verdict: **{}**.\n",
            self.from,
            self.to,
            self.verdict_text()
        );
        if !self.counts.is_empty() {
            let _ = writeln!(out, "\n| Change | Count |\n|---|---|");
            for class in Class::ALL {
                if let Some(n) = self.counts.get(&class) {
                    let _ = writeln!(out, "| {} | {n} |", class.label());
                }
            }
        }
        let section = |c: &Change| match c.class {
            Class::OperationAdded
            | Class::TypeAdded
            | Class::FieldAdded
            | Class::EnumValueAdded
            | Class::VariantAdded => "Added",
            Class::InputAdded => "Added",
            Class::OperationRemoved
            | Class::TypeRemoved
            | Class::FieldRemoved
            | Class::EnumValueRemoved
            | Class::VariantRemoved
            | Class::InputRemoved => "Removed",
            Class::OperationChanged if c.detail == "deprecated" => "Deprecated",
            _ => "Changed",
        };
        for title in ["Added", "Changed", "Deprecated", "Removed"] {
            let group: Vec<&Change> = self
                .changes
                .iter()
                .filter(|c| section(c) == title)
                .collect();
            if group.is_empty() {
                continue;
            }
            let _ = writeln!(out, "\n### {title}\n");
            for c in group {
                let mark = if c.impact == Impact::Breaking {
                    "**Breaking:** "
                } else {
                    ""
                };
                let _ = writeln!(
                    out,
                    "- {mark}{} `{}`: {}",
                    c.class.label(),
                    c.subject,
                    c.detail
                );
            }
        }
        out
    }

    /// The report as pretty JSON (`from`, `to`, `verdict`, `counts`, `changes`).
    pub fn json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
    }
}
