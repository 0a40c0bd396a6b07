//! `resources/`: one module per top-level resource, each a borrowed handle on the client with one
//! method per operation (`client.contacts().find(..)`); nested resources are accessors on their
//! parent (`client.help_centers().collections()`).

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use std::collections::BTreeMap;

use super::{borrow_path, doc, inner_doc, ty_tokens};
use crate::config::PaginationStyle;
use crate::ir::names::type_name;
use crate::ir::{Ir, Operation, Pagination, ParamLocation, ResponseBody, Ty};

#[derive(Default)]
struct Node<'a> {
    operations: Vec<&'a Operation>,
    children: BTreeMap<String, Node<'a>>,
}

fn tree(ir: &Ir) -> BTreeMap<String, Node<'_>> {
    let mut roots: BTreeMap<String, Node<'_>> = BTreeMap::new();
    for op in &ir.operations {
        let Some((first, rest)) = op.resource.split_first() else {
            continue;
        };
        let mut node = roots.entry(first.clone()).or_default();
        for segment in rest {
            node = node.children.entry(segment.clone()).or_default();
        }
        node.operations.push(op);
    }
    roots
}

/// `mod.rs`: the generated modules and the client's resource accessors.
pub(super) fn root(ir: &Ir) -> TokenStream {
    let api_version = &ir.api_version;
    let module_doc = inner_doc("Code generated from Intercom's OpenAPI description.");
    let accessors = tree(ir).into_keys().map(|name| {
        let module = format_ident!("{}", name);
        let ty = format_ident!("{}", type_name(&name));
        let docs = format!(
            " Operations on {} (`client.{name}()`).",
            name.replace('_', " ")
        );
        quote! {
            #[doc = #docs]
            #[cfg(feature = #name)]
            pub fn #module(&self) -> resources::#module::#ty<'_> {
                resources::#module::#ty::new(self)
            }
        }
    });
    quote! {
        #module_doc
        /// The API version the SDK was generated from, sent as `Intercom-Version` unless a
        /// client or request says otherwise.
        pub const API_VERSION: &str = #api_version;
        #[cfg(feature = "conformance")]
        pub mod conformance;
        #[cfg(feature = "mock")]
        pub(crate) mod mock;
        pub mod models;
        pub mod requests;
        pub mod resources;

        impl crate::Client {
            #(#accessors)*
        }
    }
}

/// `resources/mod.rs` and one file per top-level resource.
pub(super) fn emit(ir: &Ir) -> Vec<(String, TokenStream)> {
    let roots = tree(ir);
    let modules = roots.keys().map(|n| format_ident!("{}", n));
    let features = roots.keys();
    let index_doc = inner_doc(
        "One module per resource of the API, each behind the cargo feature of the same name.",
    );
    let mut files = vec![(
        "resources/mod.rs".to_owned(),
        quote! { #index_doc #(#[cfg(feature = #features)] pub mod #modules;)* },
    )];
    for (name, node) in &roots {
        let module_doc = inner_doc(&format!("`client.{name}()`"));
        let mut items = Vec::new();
        resource(ir, name, node, &mut items);
        let imports = imports(node);
        files.push((
            format!("resources/{name}.rs"),
            quote! {
                #module_doc
                #imports
                #(#items)*
            },
        ));
    }
    files
}

fn all_operations<'a>(node: &Node<'a>, out: &mut Vec<&'a Operation>) {
    out.extend(node.operations.iter().copied());
    for child in node.children.values() {
        all_operations(child, out);
    }
}

/// Exactly the imports a resource file uses (no unused-import warnings).
fn imports(node: &Node<'_>) -> TokenStream {
    let mut ops = Vec::new();
    all_operations(node, &mut ops);
    let paged = ops.iter().any(|op| op.pagination.is_some());
    let binary = ops.iter().any(|op| op.response == ResponseBody::Binary);
    let plain = ops
        .iter()
        .any(|op| op.pagination.is_none() && op.response != ResponseBody::Binary);
    let path_params = ops.iter().any(|op| op.path.contains('{'));
    let uses_models = ops.iter().any(|op| match &op.response {
        ResponseBody::Json(ty) => mentions_model(ty),
        _ => false,
    });
    let uses_requests = ops.iter().any(|op| op.request.is_some());

    let mut private = Vec::new();
    if path_params {
        private.push(quote!(encode_path_segment));
    }
    private.push(quote!(Method));
    if paged {
        private.push(quote!(PageState));
        private.push(quote!(PageStyle));
    }
    private.push(quote!(RequestSpec));
    let mut root = Vec::new();
    if binary {
        root.push(quote!(BinaryCall));
    }
    if plain {
        root.push(quote!(Call));
    }
    root.push(quote!(Client));
    if paged {
        root.push(quote!(PagedCall));
    }
    let generated: Vec<TokenStream> = [
        uses_models.then(|| quote!(models)),
        uses_requests.then(|| quote!(requests)),
    ]
    .into_iter()
    .flatten()
    .collect();
    let generated =
        (!generated.is_empty()).then(|| quote!(use crate::generated::{#(#generated),*};));
    quote! {
        use crate::__private::{#(#private),*};
        #generated
        use crate::{#(#root),*};
    }
}

fn mentions_model(ty: &Ty) -> bool {
    match ty {
        Ty::Named(_) => true,
        Ty::Array(inner) | Ty::Map(inner) | Ty::Nullable(inner) => mentions_model(inner),
        _ => false,
    }
}

fn resource(ir: &Ir, name: &str, node: &Node<'_>, items: &mut Vec<TokenStream>) {
    let ty = format_ident!("{}", type_name(name));
    let docs = format!(" Operations on {}.", name.replace('_', " "));
    let children = node.children.keys().map(|child| {
        let method = format_ident!("{}", child);
        let child_ty = format_ident!("{}", type_name(child));
        let docs = format!(" Operations on {}.", child.replace('_', " "));
        quote! {
            #[doc = #docs]
            pub fn #method(&self) -> #child_ty<'a> {
                #child_ty::new(self.client)
            }
        }
    });
    let methods = node.operations.iter().map(|op| method(ir, op));
    items.push(quote! {
        #[doc = #docs]
        #[derive(Clone, Copy, Debug)]
        pub struct #ty<'a> {
            client: &'a Client,
        }

        impl<'a> #ty<'a> {
            pub(crate) fn new(client: &'a Client) -> Self {
                Self { client }
            }
            #(#children)*
            #(#methods)*
        }
    });
    for (child, child_node) in &node.children {
        resource(ir, child, child_node, items);
    }
}

fn method_doc(ir: &Ir, op: &Operation) -> TokenStream {
    let mut text = String::new();
    if let Some(summary) = &op.summary {
        text.push_str(summary.trim());
        text.push_str("\n\n");
    }
    if let Some(description) = &op.description {
        text.push_str(description.trim());
        text.push_str("\n\n");
    }
    text.push_str(&format!("`{} {}`", op.method, op.path));
    if op.pagination.is_some() {
        text.push_str(
            "\n\nPaged: `.await` gives the first page; `.items()` streams every item across pages.",
        );
    }
    if op.safe_to_retry {
        text.push_str(&format!(
            "\n\nA read sent as `{}`: retried like a `GET` (see the retry policy on `Client`).",
            op.method
        ));
    }
    text.push_str("\n\n");
    text.push_str(&super::examples::call_example(ir, op));
    doc(Some(&text))
}

fn method(ir: &Ir, op: &Operation) -> TokenStream {
    let name = format_ident!("{}", op.name);
    let docs = method_doc(ir, op);
    let method = format_ident!("{}", op.method);
    let template = &op.path;
    let mut statements = Vec::new();

    // Path: placeholders become percent-encoded values.
    let mut format_string = String::new();
    let mut args = Vec::new();
    let mut rest = op.path.as_str();
    while let Some(start) = rest.find('{') {
        let Some(len) = rest[start..].find('}') else {
            break;
        };
        format_string.push_str(&rest[..start]);
        format_string.push_str("{}");
        let wire = &rest[start + 1..start + len];
        let param = op.request.as_ref().and_then(|r| {
            r.params
                .iter()
                .find(|p| p.wire == wire && p.location == ParamLocation::Path)
        });
        match param {
            Some(p) => {
                let ident = format_ident!("{}", p.name);
                args.push(if p.ty == Ty::String {
                    quote!(encode_path_segment(&request.#ident))
                } else {
                    quote!(encode_path_segment(&request.#ident.to_string()))
                });
            }
            None => args.push(quote!(#wire)),
        }
        rest = &rest[start + len + 1..];
    }
    format_string.push_str(rest);
    let path = if args.is_empty() {
        quote!(#format_string.to_owned())
    } else {
        quote!(format!(#format_string, #(#args),*))
    };
    statements.push(quote!(let spec = RequestSpec::new(Method::#method, #template, #path);));
    if op.safe_to_retry {
        statements.push(quote!(let spec = spec.safe_to_retry();));
    }

    if let Some(request) = &op.request {
        for p in &request.params {
            let ident = format_ident!("{}", p.name);
            let wire = &p.wire;
            let scalar = matches!(p.ty, Ty::String | Ty::Integer | Ty::Number | Ty::Boolean)
                || matches!(&p.ty, Ty::Named(_) if p.location == ParamLocation::Query);
            let statement = match (p.location, &p.ty, p.required) {
                (ParamLocation::Path, ..) => continue,
                (ParamLocation::Header, _, true) => {
                    quote!(let spec = spec.header(#wire, &request.#ident);)
                }
                (ParamLocation::Header, _, false) => {
                    quote!(let spec = spec.header_opt(#wire, request.#ident.as_ref());)
                }
                (ParamLocation::Query, Ty::Array(_), true) => {
                    quote!(let spec = spec.query_all(#wire, &request.#ident);)
                }
                (ParamLocation::Query, Ty::Array(_), false) => {
                    quote!(let spec = spec.query_all(#wire, request.#ident.iter().flatten());)
                }
                (ParamLocation::Query, _, true) if scalar => {
                    quote!(let spec = spec.query(#wire, &request.#ident);)
                }
                (ParamLocation::Query, _, false) if scalar => {
                    quote!(let spec = spec.query_opt(#wire, request.#ident.as_ref());)
                }
                (_, _, true) => {
                    quote!(let spec = crate::codec::query_object(spec, #wire, &request.#ident);)
                }
                (_, _, false) => quote! {
                    let spec = match &request.#ident {
                        Some(value) => crate::codec::query_object(spec, #wire, value),
                        None => spec,
                    };
                },
            };
            statements.push(statement);
        }
        match &request.body {
            // Body inputs all optional and unset: no body at all.
            Some(crate::ir::Body::Fields { .. }) => {
                statements.push(quote!(let spec = spec.json_fields(&request);))
            }
            Some(crate::ir::Body::Whole { required: true, .. }) => {
                statements.push(quote!(let spec = spec.json_body(&request.body);))
            }
            Some(crate::ir::Body::Multipart { fields }) => {
                statements.extend(fields.iter().map(form_part));
            }
            Some(crate::ir::Body::Whole {
                required: false, ..
            }) => statements.push(quote! {
                let spec = match &request.body {
                    Some(body) => spec.json_body(body),
                    None => spec,
                };
            }),
            None => {}
        }
    }

    let arg = op.request.as_ref().map(|r| {
        let ty = format_ident!("{}", r.name);
        quote!(request: requests::#ty)
    });
    let (ret, call) = match (&op.response, &op.pagination) {
        (ResponseBody::Json(Ty::Named(response)), Some(p)) => {
            let response = format_ident!("{}", response);
            let style = page_style(p);
            let state = page_state(p);
            (
                quote!(PagedCall<models::#response>),
                quote!(PagedCall::new(self.client, spec, #style, |r: &models::#response| #state)),
            )
        }
        (ResponseBody::Json(ty), _) => {
            let ty = ty_tokens(ty, false);
            (quote!(Call<#ty>), quote!(Call::model(self.client, spec)))
        }
        (ResponseBody::Empty, _) => (quote!(Call<()>), quote!(Call::new(self.client, spec))),
        (ResponseBody::Binary, _) => (
            quote!(BinaryCall),
            quote!(BinaryCall::new(self.client, spec)),
        ),
    };
    let deprecated = op.deprecated.then(|| quote!(#[deprecated]));
    quote! {
        #docs
        #deprecated
        pub fn #name(&self, #arg) -> #ret {
            #(#statements)*
            #call
        }
    }
}

/// The statement adding one `multipart/form-data` part: files one part each, other values as text.
fn form_part(f: &crate::ir::Field) -> TokenStream {
    let ident = format_ident!("{}", f.name);
    let wire = &f.wire;
    match (&f.ty, f.optional) {
        (Ty::File, false) => quote!(let spec = spec.form_files(#wire, [&request.#ident]);),
        (Ty::File, true) => quote!(let spec = spec.form_files(#wire, request.#ident.iter());),
        (Ty::Array(inner), false) if **inner == Ty::File => {
            quote!(let spec = spec.form_files(#wire, &request.#ident);)
        }
        (Ty::Array(inner), true) if **inner == Ty::File => {
            quote!(let spec = spec.form_files(#wire, request.#ident.iter().flatten());)
        }
        (_, false) => quote!(let spec = spec.form_text(#wire, &request.#ident);),
        (_, true) => quote!(let spec = spec.form_text_opt(#wire, request.#ident.as_ref());),
    }
}

fn page_style(p: &Pagination) -> TokenStream {
    let param = &p.param;
    match p.style {
        PaginationStyle::PageNumber => quote!(PageStyle::PageNumber { param: #param }),
        PaginationStyle::QueryCursor => quote!(PageStyle::QueryCursor { param: #param }),
        PaginationStyle::Scroll => quote!(PageStyle::Scroll { param: #param }),
        PaginationStyle::BodyCursor => {
            let segments = p.param.split('.');
            quote!(PageStyle::BodyCursor { path: &[#(#segments),*] })
        }
    }
}

fn page_state(p: &Pagination) -> TokenStream {
    let number = |path: &Option<crate::ir::FieldPath>| match path {
        Some(path) => match borrow_path(quote!(r), path) {
            (expr, true) => quote!(#expr.copied()),
            (expr, false) => quote!(Some(#expr)),
        },
        None => quote!(None),
    };
    match p.style {
        PaginationStyle::PageNumber => {
            let page = number(&p.page);
            let total = number(&p.total_pages);
            quote!(PageState::PageNumber { page: #page, total_pages: #total })
        }
        _ => {
            let cursor = match &p.cursor {
                Some(path) => match borrow_path(quote!(r), path) {
                    (expr, true) => quote!(#expr.map(ToOwned::to_owned)),
                    (expr, false) => quote!(Some(#expr.clone())),
                },
                None => quote!(None),
            };
            quote!(PageState::Cursor(#cursor))
        }
    }
}
