//! Cargo features: one per top-level resource. Which resources need each named type and each
//! request type, so the emitter can gate them (`#[cfg(any(feature = "contacts", ..))]`) and the
//! manifest can list the features.
//!
//! A type is needed by a resource when one of the resource's operations reaches it: through a
//! parameter, a body field or whole body, the body's model, the response, or the paged item type,
//! and from there through struct fields, extra properties, union variants and aliases. A type no
//! operation reaches (Canvas Kit payloads, schemas only the description's prose uses) is compiled
//! with the `full` feature, which turns every resource on. Needing a type means needing every type
//! it mentions, so a gated type only ever refers to types gated by the same resources or more.

use std::collections::{BTreeMap, BTreeSet};

use super::{Body, Ir, Operation, ResponseBody, Ty, TypeKind};

/// The resources (top-level, snake_case, also the feature names) that need each type.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Features {
    /// Every top-level resource, sorted.
    pub resources: BTreeSet<String>,
    /// For each named type: the resources that need it.
    pub types: BTreeMap<String, BTreeSet<String>>,
    /// For each request type: the resources whose operations take it.
    pub requests: BTreeMap<String, BTreeSet<String>>,
}

/// When an item is compiled.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Gate {
    /// Whenever the crate is (every resource needs it).
    Always,
    /// When any of these resource features is on (sorted, at least one).
    Any(Vec<String>),
    /// With the `full` feature (every resource): no operation needs it.
    Full,
}

impl Gate {
    /// The gate of something needed wherever any of `gates` is: compiled when any of them is.
    /// [`Gate::Full`] for no gates at all.
    pub fn union(gates: impl IntoIterator<Item = Gate>) -> Gate {
        let mut resources = std::collections::BTreeSet::new();
        let mut any = false;
        for gate in gates {
            match gate {
                Gate::Always => return Gate::Always,
                Gate::Full => any = true,
                Gate::Any(list) => {
                    any = true;
                    resources.extend(list);
                }
            }
        }
        match (any, resources.is_empty()) {
            (true, true) | (false, _) => Gate::Full,
            (true, false) => Gate::Any(resources.into_iter().collect()),
        }
    }
}

/// The feature that turns every resource on.
pub const FULL: &str = "full";

impl Features {
    pub fn of(ir: &Ir) -> Features {
        let mut features = Features::default();
        for op in &ir.operations {
            let Some(resource) = op.resource.first() else {
                continue;
            };
            features.resources.insert(resource.clone());
            if let Some(request) = &op.request {
                features
                    .requests
                    .entry(request.name.clone())
                    .or_default()
                    .insert(resource.clone());
            }
            let mut roots = Vec::new();
            operation_roots(op, &mut roots);
            for name in roots {
                features.mark(ir, &name, resource);
            }
        }
        features
    }

    /// Marks `name` and everything it reaches as needed by `resource`.
    fn mark(&mut self, ir: &Ir, name: &str, resource: &str) {
        let mut stack = vec![name.to_owned()];
        while let Some(name) = stack.pop() {
            let needed = self.types.entry(name.clone()).or_default();
            if !needed.insert(resource.to_owned()) {
                continue;
            }
            let Some(def) = ir.get(&name) else { continue };
            mentions(&def.kind, &mut stack);
        }
    }

    fn gate(&self, needed: Option<&BTreeSet<String>>) -> Gate {
        match needed {
            None => Gate::Full,
            Some(needed) if needed.len() < self.resources.len() => {
                Gate::Any(needed.iter().cloned().collect())
            }
            Some(_) => Gate::Always,
        }
    }

    /// When the named type `name` is compiled.
    pub fn type_gate(&self, name: &str) -> Gate {
        self.gate(self.types.get(name))
    }

    /// When the request type `name` is compiled.
    pub fn request_gate(&self, name: &str) -> Gate {
        self.gate(self.requests.get(name))
    }

    /// The types compiled when only `resource` is on.
    pub fn types_of(&self, resource: &str) -> usize {
        self.types
            .keys()
            .filter(|name| match self.type_gate(name) {
                Gate::Always => true,
                Gate::Any(resources) => resources.iter().any(|r| r == resource),
                Gate::Full => false,
            })
            .count()
    }
}

/// The named types an operation mentions directly.
pub(crate) fn operation_roots(op: &Operation, out: &mut Vec<String>) {
    if let Some(request) = &op.request {
        for param in &request.params {
            named(&param.ty, out);
        }
        match &request.body {
            Some(Body::Fields { fields, model }) => {
                for field in fields {
                    named(&field.ty, out);
                }
                out.extend(model.iter().cloned());
            }
            Some(Body::Multipart { fields }) => {
                for field in fields {
                    named(&field.ty, out);
                }
            }
            Some(Body::Whole { ty, .. }) => named(ty, out),
            None => {}
        }
    }
    if let ResponseBody::Json(ty) = &op.response {
        named(ty, out);
    }
    if let Some(p) = &op.pagination {
        out.push(p.response.clone());
        named(&p.item_ty, out);
    }
}

/// The named types a type definition mentions directly: its fields, variants or alias target.
pub(crate) fn mentions(kind: &TypeKind, out: &mut Vec<String>) {
    match kind {
        TypeKind::Struct(s) => {
            for field in &s.fields {
                named(&field.ty, out);
            }
            if let Some(ty) = &s.additional {
                named(ty, out);
            }
        }
        TypeKind::Union(u) => {
            for variant in &u.variants {
                named(&variant.ty, out);
            }
        }
        TypeKind::Alias(ty) => named(ty, out),
        TypeKind::Enum(_) => {}
    }
}

/// The named types `ty` mentions.
pub(crate) fn named(ty: &Ty, out: &mut Vec<String>) {
    match ty {
        Ty::Named(name) => out.push(name.clone()),
        Ty::Array(inner) | Ty::Map(inner) | Ty::Nullable(inner) => named(inner, out),
        Ty::String | Ty::Integer | Ty::Number | Ty::Boolean | Ty::Any | Ty::File => {}
    }
}
