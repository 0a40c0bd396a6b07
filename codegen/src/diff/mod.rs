//! The API diff: what changed for users of the generated Rust API between two [`Ir`]s, each change
//! classified as breaking or additive by the policy of [`crate::api`], and a semver verdict.
//!
//! It reads only the IR (never generated text), so a spec update is summarised as operations,
//! inputs, responses, types, fields and enum values, not as a 20,000-line text diff.
//!
//! One job per module: `operations` compares methods and their inputs and responses, `types`
//! compares models, fields and enum values, `render` writes a [`Report`] as text, Markdown or
//! JSON.

mod operations;
mod render;
mod types;

use std::collections::BTreeMap;

use serde::Serialize;

use crate::ir::{Ir, Operation, ResponseBody, Ty};

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
    operations::compare(old, new, &mut changes);
    types::compare(old, new, &mut changes);
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

pub(super) fn push(
    out: &mut Vec<Change>,
    class: Class,
    impact: Impact,
    subject: String,
    detail: String,
) {
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

/// The Rust spelling of a type, as users see it (models unqualified).
pub fn ty_name(ty: &Ty) -> String {
    ty.rust_spelling("")
}

fn response_name(response: &ResponseBody) -> String {
    match response {
        ResponseBody::Json(ty) => ty_name(ty),
        ResponseBody::Empty => "()".to_owned(),
        ResponseBody::Binary => "ByteStream".to_owned(),
    }
}
