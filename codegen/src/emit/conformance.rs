//! `conformance.rs`: test support behind the SDK's `conformance` feature. Decodes a JSON value into
//! a model named at run time, and calls any operation by its key with a request read from JSON.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::inner_doc;
use crate::ir::Ir;

/// `conformance.rs`: decode a JSON value into a model named at run time (conformance tests only;
/// compiled behind the SDK's `conformance` feature).
pub(super) fn emit(ir: &Ir) -> TokenStream {
    let names: Vec<&str> = ir.types.keys().map(String::as_str).collect();
    let idents = names.iter().map(|n| format_ident!("{}", n));
    let module_doc = inner_doc(
        "Test support: decodes a JSON value into the model with the given name, reporting the JSON \
         path of the first failure, and calls any operation by its key with a request read from JSON.",
    );
    let calls = operation_dispatch(ir);
    quote! {
        #module_doc
        use super::models;

        use crate::codec::drift::{parse_error_path, parse_only, parses, ParseOnly};

        /// Decodes `value` as the SDK decodes a response body (the same instantiation of the
        /// models' decoders as the runtime's; drift is tolerated, as it is there), naming the JSON
        /// path of a failure. Only `parse` is generic: one small function per model.
        fn check(parse: ParseOnly, value: serde_json::Value) -> Result<(), String> {
            let body = serde_json::to_vec(&value).map_err(|e| e.to_string())?;
            parses(parse, &body).map_err(|e| format!("{}: {e}", parse_error_path(parse, &body)))
        }

        #calls

        /// `None` when no model has that name.
        pub fn decode(type_name: &str, value: serde_json::Value) -> Option<Result<(), String>> {
            Some(match type_name {
                #( #names => check(parse_only::<models::#idents>, value), )*
                _ => return None,
            })
        }
    }
}

/// `call(client, "GET /contacts/{contact_id}", input, options)`: reads the operation's request type
/// from `input` (inputs by wire name, body fields inline, a whole body under `body`), sends it with
/// the per-request `options` (on every page of a paged call) and decodes the typed response.
fn operation_dispatch(ir: &Ir) -> TokenStream {
    let arms = ir.operations.iter().map(|op| {
        let key = &op.key;
        let mut accessor = quote!(client);
        for segment in &op.resource {
            let segment = format_ident!("{}", segment);
            accessor = quote!(#accessor.#segment());
        }
        let method = format_ident!("{}", op.name);
        let (prelude, call) = match &op.request {
            Some(request) => {
                let ty = format_ident!("{}", request.name);
                (
                    quote! {
                        let request: super::requests::#ty = match serde_json::to_vec(&input).and_then(|body| serde_json::from_slice(&body)) {
                            Ok(request) => request,
                            Err(e) => return Some(Err(crate::Error::invalid(format!("request: {e}")))),
                        };
                    },
                    quote!(#accessor.#method(request).options(options)),
                )
            }
            None => (quote!(), quote!(#accessor.#method().options(options))),
        };
        let send = match &op.response {
            crate::ir::ResponseBody::Binary if op.pagination.is_none() => quote! {
                match #call.send().await {
                    Ok(stream) => stream.collect_bytes().await.map(drop),
                    Err(e) => Err(e),
                }
            },
            _ => quote!(#call.send().await.map(drop)),
        };
        quote! {
            #key => {
                #prelude
                #send
            }
        }
    });
    quote! {
        /// `None` when no operation has that key. A request that `input` cannot be read into is an
        /// [`crate::Error::InvalidRequest`].
        pub async fn call(
            client: &crate::Client,
            key: &str,
            input: serde_json::Value,
            options: crate::RequestOptions,
        ) -> Option<Result<(), crate::Error>> {
            Some(match key {
                #(#arms)*
                _ => return None,
            })
        }
    }
}
