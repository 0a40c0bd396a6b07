//! `mock.rs`: one `on_<resource>_<method>` constructor per operation on the SDK's `MockServer`
//! (feature `mock`), typed with the operation's response.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{inner_doc, ty_tokens};
use crate::ir::features::Gate;
use crate::ir::{Ir, ResponseBody};

pub(super) fn emit(ir: &Ir) -> TokenStream {
    let module_doc = inner_doc("Typed mock constructors, one per operation (feature `mock`).");
    let methods = ir.operations.iter().map(|op| {
        let name = format_ident!(
            "on_{}_{}",
            op.resource.join("_"),
            op.name.trim_start_matches("r#")
        );
        let method = format_ident!("{}", op.method);
        let template = &op.path;
        let response = match &op.response {
            ResponseBody::Json(ty) => ty_tokens(ty, false),
            ResponseBody::Empty => quote!(()),
            ResponseBody::Binary => quote!(crate::mock::Binary),
        };
        let doc = format!(
            " Mocks `client.{}().{}(..)`: `{} {}`.",
            op.resource.join("().").trim_start_matches("r#"),
            op.name.trim_start_matches("r#"),
            op.method,
            op.path
        );
        let feature = op.resource.first();
        quote! {
            #[doc = #doc]
            #[cfg(feature = #feature)]
            pub fn #name(&self) -> MockOperation<'_, #response> {
                self.operation(Method::#method, #template)
            }
        }
    });
    // `models` is imported where a compiled constructor names one.
    let uses_models = ir.operations.iter().filter_map(|op| match &op.response {
        ResponseBody::Json(ty) if ty_tokens(ty, false).to_string().contains("models") => {
            op.resource.first().map(|r| Gate::Any(vec![r.clone()]))
        }
        _ => None,
    });
    let import = super::features::gated(
        quote!(
            use crate::generated::models;
        ),
        &Gate::union(uses_models),
    );
    quote! {
        #module_doc
        use crate::__private::Method;
        #import
        use crate::mock::{MockOperation, MockServer};

        impl MockServer {
            #(#methods)*
        }
    }
}
