//! `requests.rs`: one type per operation input, holding path, query and body fields together (as
//! the official SDKs' `{ ...params }` objects do). Required inputs are constructor arguments; the
//! optional ones default to `None` and have chainable setters.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use std::collections::BTreeSet;

use super::models::field_tokens;
use super::{doc, inner_doc, ty_tokens};
use crate::ir::features::Gate;
use crate::ir::{Body, Field, Ir, Request, Ty};

/// One field of a request type, whatever its source.
pub(super) struct Member<'a> {
    pub(super) name: &'a str,
    pub(super) wire: &'a str,
    pub(super) ty: &'a Ty,
    pub(super) optional: bool,
    /// Required, but of a one-value enum: set to that value, not a constructor argument.
    pub(super) constant: bool,
    doc: Option<&'a str>,
    /// The description's example value.
    pub(super) example: Option<&'a serde_json::Value>,
    /// Serialized as part of the JSON body (`Body::Fields`).
    body_field: Option<&'a Field>,
}

/// The description of the type a member is (an item type describes one item, not the member).
fn type_doc<'a>(ir: &'a Ir, ty: &Ty) -> Option<&'a str> {
    match ty {
        Ty::Named(name) => ir
            .get(name)
            .and_then(|t| t.doc.as_deref())
            .filter(|text| !text.trim().is_empty()),
        Ty::Nullable(inner) => type_doc(ir, inner),
        _ => None,
    }
}

/// An optional, nullable body field: `null` is a value the caller may want to send.
fn clearable(m: &Member) -> bool {
    m.body_field.is_some_and(|f| f.optional && f.nullable)
}

pub(super) fn members<'a>(ir: &Ir, request: &'a Request) -> Vec<Member<'a>> {
    let constant = |ty: &Ty| ir.is_constant(ty);
    let mut out: Vec<Member<'_>> = request
        .params
        .iter()
        .map(|p| Member {
            name: &p.name,
            // Inputs beside the body deserialize under their key (a spec example, `call`).
            wire: &p.key,
            ty: &p.ty,
            optional: !p.required,
            constant: p.required && constant(&p.ty),
            doc: p.doc.as_deref(),
            example: p.example.as_ref(),
            body_field: None,
        })
        .collect();
    match &request.body {
        Some(Body::Fields { fields, .. }) => out.extend(fields.iter().map(|f| Member {
            name: &f.name,
            wire: &f.wire,
            ty: &f.ty,
            optional: f.optional,
            constant: !f.optional && constant(&f.ty),
            doc: f.doc.as_deref(),
            example: f.example.as_ref(),
            body_field: Some(f),
        })),
        // Form parts are inputs like query parameters: read from JSON by their wire names, sent
        // by the resource method one part each.
        Some(Body::Multipart { fields }) => out.extend(fields.iter().map(|f| Member {
            name: &f.name,
            wire: &f.wire,
            ty: &f.ty,
            optional: f.optional,
            constant: !f.optional && constant(&f.ty),
            doc: f.doc.as_deref(),
            example: f.example.as_ref(),
            body_field: None,
        })),
        Some(Body::Whole {
            ty,
            required,
            example,
        }) => out.push(Member {
            name: "body",
            wire: "body",
            ty,
            optional: !required,
            constant: false,
            doc: Some("The request body."),
            example: example.as_ref(),
            body_field: None,
        }),
        None => {}
    }
    out
}

pub(super) fn emit(ir: &Ir) -> TokenStream {
    let module_doc = inner_doc(
        "Request types: one per operation input, named as in Intercom's official SDKs. Required \
         inputs are arguments of `new`; optional ones are set with the chainable methods of the \
         same name.",
    );
    // Operations with the same input share its type (`ir::build` gives different inputs distinct
    // names).
    let features = crate::ir::features::Features::of(ir);
    let mut seen: BTreeSet<&str> = BTreeSet::new();
    let mut items = Vec::new();
    for op in &ir.operations {
        let Some(request) = &op.request else { continue };
        if seen.insert(&request.name) {
            let tokens = request_type(ir, request, &op.resource, &op.name);
            let gate = features.request_gate(&request.name);
            items.push(super::features::gated(tokens, &gate));
        }
    }
    // `models` is imported where a compiled request type mentions one.
    let uses_models = ir
        .operations
        .iter()
        .filter_map(|op| op.request.as_ref())
        .filter(|r| mentions_model(r))
        .map(|r| features.request_gate(&r.name));
    let import = super::features::gated(
        quote!(
            use super::models;
        ),
        &Gate::union(uses_models),
    );
    quote! {
        #module_doc
        #import
        #(#items)*
    }
}

fn mentions_model(request: &Request) -> bool {
    fn named(ty: &Ty) -> bool {
        match ty {
            Ty::Named(_) => true,
            Ty::Array(inner) | Ty::Map(inner) | Ty::Nullable(inner) => named(inner),
            _ => false,
        }
    }
    request.params.iter().any(|p| named(&p.ty))
        || match &request.body {
            Some(Body::Fields { fields, .. }) => fields.iter().any(|f| named(&f.ty)),
            Some(Body::Multipart { fields }) => fields.iter().any(|f| named(&f.ty)),
            Some(Body::Whole { ty, .. }) => named(ty),
            None => false,
        }
}

fn request_type(ir: &Ir, request: &Request, resource: &[String], method: &str) -> TokenStream {
    let name = format_ident!("{}", request.name);
    let call = format!(
        " Input of `client.{}().{method}(..)`.",
        resource.join("().")
    );
    // The body model's description, where the body is one (e.g. "Search using Intercom's
    // Search APIs."), follows.
    let body_doc = match &request.body {
        Some(Body::Fields {
            model: Some(model), ..
        }) => ir.get(model).and_then(|t| t.doc.as_deref()),
        _ => None,
    }
    .map(|text| {
        let lines = super::sanitize_doc(text);
        quote!(#[doc = ""] #(#[doc = #lines])*)
    });
    let members = members(ir, request);
    let serializes = matches!(request.body, Some(Body::Fields { .. }));
    let all_optional = members.iter().all(|m| m.optional || m.constant);

    let fields = members.iter().map(|m| {
        if let Some(field) = m.body_field {
            if clearable(m) {
                // Optional and nullable: unset (left out), a value, or `null` (clears it).
                let ident = format_ident!("{}", field.name);
                let docs = doc(field.doc.as_deref());
                let ty = ty_tokens(&field.ty, false);
                let wire = &field.wire;
                let rename = (field.name != field.wire).then(|| quote!(rename = #wire,));
                return quote! {
                    #docs
                    #[serde(#rename skip_serializing_if = "Option::is_none")]
                    pub #ident: Option<Option<#ty>>,
                };
            }
            if field.optional || ir.has_default(&field.ty) {
                return field_tokens(field, false);
            }
            // Required, and no default to fall back on (a union): the value must be there.
            let ident = format_ident!("{}", field.name);
            let docs = doc(field.doc.as_deref());
            let ty = ty_tokens(&field.ty, false);
            let rename = (field.name != field.wire).then(|| {
                let wire = &field.wire;
                quote!(#[serde(rename = #wire)])
            });
            return quote! { #docs #rename pub #ident: #ty, };
        }
        let ident = format_ident!("{}", m.name);
        let docs = doc(m.doc);
        let inner = ty_tokens(m.ty, false);
        let ty = if m.optional {
            quote!(Option<#inner>)
        } else {
            inner
        };
        // Path and query inputs are not part of the body (they are read from JSON by their wire
        // name, see `input_impl`).
        let attrs = serializes.then(|| quote!(#[serde(skip_serializing)]));
        quote! { #docs #attrs pub #ident: #ty, }
    });

    let mut derives = vec![quote!(Clone), quote!(Debug)];
    if all_optional {
        derives.push(quote!(Default));
    }
    derives.push(quote!(PartialEq));
    if serializes {
        derives.push(quote!(serde::Serialize));
    }
    let input = input_impl(ir, &name, &members);

    let required: Vec<&Member> = members
        .iter()
        .filter(|m| !m.optional && !m.constant)
        .collect();
    let args = required.iter().map(|m| {
        let ident = format_ident!("{}", m.name);
        if *m.ty == Ty::String {
            quote!(#ident: impl Into<String>)
        } else {
            let ty = ty_tokens(m.ty, false);
            quote!(#ident: #ty)
        }
    });
    let inits = members.iter().map(|m| {
        let ident = format_ident!("{}", m.name);
        match (m.optional, m.ty) {
            (true, _) => quote!(#ident: None),
            (false, _) if m.constant => quote!(#ident: Default::default()),
            (false, Ty::String) => quote!(#ident: #ident.into()),
            (false, _) => quote!(#ident),
        }
    });
    let many = (required.len() > 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    let setters = members
        .iter()
        .filter(|m| m.optional && m.name != "new")
        .map(|m| {
            let ident = format_ident!("{}", m.name);
            let ty = ty_tokens(m.ty, false);
            // The input's description; for a reference without one (OpenAPI 3.0 ignores a
            // `$ref`'s siblings), the referenced type's; else what the setter does.
            let described = |text: &&str| !text.trim().is_empty();
            let docs = match m.doc.filter(described).or_else(|| type_doc(ir, m.ty)) {
                Some(text) => doc(Some(text)),
                None => {
                    let text = format!(" Sets `{}`.", m.name);
                    quote!(#[doc = #text])
                }
            };
            if clearable(m) {
                let clear = format_ident!("clear_{}", m.name);
                let clear_docs = format!(" Sends `{}` as `null`, which clears it.", m.wire);
                let clash = members.iter().any(|o| clear == o.name);
                let clear_fn = (!clash).then(|| {
                    quote! {
                        #[doc = #clear_docs]
                        pub fn #clear(mut self) -> Self {
                            self.#ident = Some(None);
                            self
                        }
                    }
                });
                return quote! {
                    #docs
                    pub fn #ident(mut self, value: impl Into<#ty>) -> Self {
                        self.#ident = Some(Some(value.into()));
                        self
                    }
                    #clear_fn
                };
            }
            quote! {
                #docs
                pub fn #ident(mut self, value: impl Into<#ty>) -> Self {
                    self.#ident = Some(value.into());
                    self
                }
            }
        });
    quote! {
        #[doc = #call]
        #body_doc
        #[derive(#(#derives),*)]
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
        }

        impl #name {
            /// A request with the required inputs; the optional ones are unset.
            #many
            pub fn new(#(#args),*) -> Self {
                Self { #(#inits),* }
            }
            #(#setters)*
        }

        #input
    }
}

/// How a request type is read from JSON (`codec::object::Input`): strictly, into a draft of
/// optional inputs, then checked. A required input is an error when missing, except a body field
/// with a default value (the description requires it, but a request read back from JSON may
/// leave it out, as a spec example does); `null` for it is that default too.
fn input_impl(ir: &Ir, name: &proc_macro2::Ident, members: &[Member<'_>]) -> TokenStream {
    let wires = members.iter().map(|m| m.wire);
    let finds = members.iter().enumerate().map(|(i, m)| {
        let wire = m.wire;
        let i = proc_macro2::Literal::usize_unsuffixed(i);
        quote!(#wire => Some(#i),)
    });
    let draft_fields = members.iter().map(|m| {
        let ident = format_ident!("{}", m.name);
        let ty = member_ty(m);
        if m.optional {
            quote!(#ident: #ty,)
        } else {
            quote!(#ident: Option<#ty>,)
        }
    });
    let reads = members.iter().enumerate().map(|(i, m)| {
        let ident = format_ident!("{}", m.name);
        let i = proc_macro2::Literal::usize_unsuffixed(i);
        let read = if m.body_field.is_some_and(|f| f.boxed) {
            quote!(crate::codec::object::optional_boxed)
        } else {
            quote!(crate::codec::object::optional)
        };
        quote!(#i => #read(map, &mut draft.#ident),)
    });
    let finishes = members.iter().map(|m| {
        let ident = format_ident!("{}", m.name);
        let wire = m.wire;
        let defaults = m.body_field.is_some() && ir.has_default(m.ty);
        if m.optional {
            quote!(#ident: draft.#ident,)
        } else if defaults || m.constant {
            quote!(#ident: draft.#ident.unwrap_or_default(),)
        } else {
            quote!(#ident: draft.#ident.ok_or(#wire)?,)
        }
    });
    // A request type has at least one input: the IR gives an operation without any no request.
    quote! {
        const _: () = {
            #[derive(Default)]
            pub struct Draft {
                #(#draft_fields)*
            }

            impl crate::codec::object::Input for #name {
                const FIELDS: &'static [&'static str] = &[#(#wires),*];
                type Draft = Draft;
                fn field(key: &str) -> Option<usize> {
                    match key {
                        #(#finds)*
                        _ => None,
                    }
                }

                fn read<'de, A: serde::de::MapAccess<'de>>(
                    draft: &mut Draft,
                    field: usize,
                    map: &mut A,
                ) -> Result<(), A::Error> {
                    match field {
                        #(#reads)*
                        _ => crate::codec::object::skip(map),
                    }
                }

                fn finish(draft: Draft) -> Result<Self, &'static str> {
                    Ok(Self { #(#finishes)* })
                }
            }

            crate::codec::object::impl_deserialize!(#name, input);
        };
    }
}

/// The Rust type of a request type's field for `m`.
fn member_ty(m: &Member<'_>) -> TokenStream {
    let mut ty = ty_tokens(m.ty, false);
    if m.body_field.is_some_and(|f| f.boxed) {
        ty = quote!(Box<#ty>);
    }
    if clearable(m) {
        quote!(Option<Option<#ty>>)
    } else if m.optional {
        quote!(Option<#ty>)
    } else {
        ty
    }
}
