//! `models.rs`: structs, string enums, unions and aliases for every named type.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use std::collections::BTreeMap;

use super::{doc, inner_doc, ty_tokens};
use crate::ir::{Enum, Field, Ir, Shape, Struct, Ty, TypeDef, TypeKind, Union};

pub(super) fn emit(ir: &Ir) -> TokenStream {
    let module_doc = inner_doc(
        "Every type of the Intercom API: the description's schemas and the inline types they \
         contain.\n\nResponse types tolerate what real responses carry: unknown fields are ignored, \
         unknown enum values are kept in an `Unknown` variant, values of a union that match none of \
         its shapes are kept whole, a missing required field decodes to its type's default, and a \
         value of the wrong JSON type makes its field absent (or converted, for numbers and \
         numeric strings), reported as drift on the response.",
    );
    let inputs = crate::api::input_types(ir);
    let features = crate::ir::features::Features::of(ir);
    let types = ir.types.values().map(|def| {
        // See `crate::api` for which items are `#[non_exhaustive]` and why.
        let attr = crate::api::type_is_non_exhaustive(ir, &inputs, &def.name)
            .then(|| quote!(#[non_exhaustive]));
        super::features::gated(type_def(ir, def, attr), &features.type_gate(&def.name))
    });
    let paginated = paginated_impls(ir);
    quote! {
        #module_doc
        #[allow(unused_imports, reason = "a build with no resource feature has no model")]
        use crate::codec::{optional, required};
        #[allow(unused_imports, reason = "a build with no resource feature has no model")]
        use serde::Serialize;
        #(#types)*
        #paginated
    }
}

fn type_def(ir: &Ir, def: &TypeDef, non_exhaustive: Option<TokenStream>) -> TokenStream {
    let name = format_ident!("{}", def.name);
    let docs = doc(def.doc.as_deref());
    match &def.kind {
        TypeKind::Struct(s) => struct_def(ir, &name, quote!(#docs #non_exhaustive), s),
        TypeKind::Enum(e) => enum_def(&name, quote!(#docs #non_exhaustive), e),
        TypeKind::Union(u) => union_def(&name, quote!(#docs #non_exhaustive), u),
        TypeKind::Alias(ty) => {
            let ty = ty_tokens(ty, true);
            quote! { #docs pub type #name = #ty; }
        }
    }
}

/// The Rust type and serde attributes of a struct field (shared with request types).
pub(crate) fn field_tokens(field: &Field, in_models: bool) -> TokenStream {
    let name = format_ident!("{}", field.name);
    let docs = doc(field.doc.as_deref());
    let mut ty = ty_tokens(&field.ty, in_models);
    if field.boxed {
        ty = quote!(Box<#ty>);
    }
    // Models decode through `codec::Object` (see `object_impl`), request types through
    // `codec::object::Input` (see `requests::input_impl`): the attributes are serialization's only.
    let mut attrs = Vec::new();
    if field.name != field.wire {
        let wire = &field.wire;
        attrs.push(quote!(rename = #wire));
    }
    if field.optional {
        ty = quote!(Option<#ty>);
        // `None` is left out, except for a required nullable field, whose `null` is a value. (A
        // required field without a default, an enum or a union, is an `Option` too: sending `null`
        // for it would break the schema.)
        if !(field.required && field.nullable) {
            attrs.push(quote!(skip_serializing_if = "Option::is_none"));
        }
    }
    let attrs = (!attrs.is_empty()).then(|| quote!(#[serde(#(#attrs),*)]));
    quote! {
        #docs
        #attrs
        pub #name: #ty,
    }
}

/// How a model struct decodes: its field table and a `read` per field (`codec::Object`), tolerant
/// of what real responses carry. Optional fields: a value of the wrong JSON type is `None`, and
/// reported as drift. Required fields: real responses sometimes omit them, send `null` or a value
/// of another type; any of these decodes to the type's default (a wrong type is reported).
fn object_impl(name: &proc_macro2::Ident, s: &Struct) -> TokenStream {
    let wires: Vec<&String> = s
        .fields
        .iter()
        .map(|f| &f.wire)
        .chain(s.constant.iter().map(|c| &c.wire))
        .collect();
    let finds = wires.iter().enumerate().map(|(i, wire)| {
        let i = proc_macro2::Literal::usize_unsuffixed(i);
        quote!(#wire => Some(#i),)
    });
    let find = if wires.is_empty() {
        quote!(
            fn field(_key: &str) -> Option<usize> {
                None
            }
        )
    } else {
        quote!(fn field(key: &str) -> Option<usize> { match key { #(#finds)* _ => None } })
    };
    let reads = s.fields.iter().enumerate().map(|(i, f)| {
        let field = format_ident!("{}", f.name);
        // The IR makes every boxed (recursive) field optional.
        let read = match (f.optional, f.boxed) {
            (true, false) => quote!(optional),
            (true, true) => quote!(crate::codec::object::optional_boxed),
            (false, _) => quote!(required),
        };
        let i = proc_macro2::Literal::usize_unsuffixed(i);
        quote!(#i => #read(map, &mut self.#field),)
    });
    let constant = s.constant.as_ref().map(|c| {
        let i = proc_macro2::Literal::usize_unsuffixed(s.fields.len());
        let value = &c.value;
        quote!(#i => crate::codec::object::constant(map, #value),)
    });
    let other = s.additional.as_ref().map(|_| {
        quote! {
            const OTHER: bool = true;
            fn other<'de, A: serde::de::MapAccess<'de>>(
                &mut self,
                key: String,
                map: &mut A,
            ) -> Result<(), A::Error> {
                crate::codec::object::insert(map, key, &mut self.additional_properties)
            }
        }
    });
    let empty = s.fields.is_empty() && s.constant.is_none();
    let body = if empty {
        quote!(crate::codec::object::skip(map))
    } else {
        quote!(match field { #(#reads)* #constant _ => crate::codec::object::skip(map), })
    };
    let field_param = if empty { quote!(_field) } else { quote!(field) };
    quote! {
        impl crate::codec::Object for #name {
            const FIELDS: &'static [&'static str] = &[#(#wires),*];
            #find
            #other
            fn read<'de, A: serde::de::MapAccess<'de>>(
                &mut self,
                #field_param: usize,
                map: &mut A,
            ) -> Result<(), A::Error> {
                #body
            }
        }

        crate::codec::object::impl_deserialize!(#name, deserialize);
    }
}

fn struct_def(_ir: &Ir, name: &proc_macro2::Ident, docs: TokenStream, s: &Struct) -> TokenStream {
    let fields = s.fields.iter().map(|f| field_tokens(f, true));
    let object = object_impl(name, s);
    // The constant is written by serde as the struct's tag.
    let (tag_doc, tag) = s
        .constant
        .as_ref()
        .map(|c| {
            let (wire, value) = (&c.wire, &c.value);
            let line = format!(
                " Always `\"{wire}\": \"{value}\"` on the wire: written when serialized, checked \
                 when decoded (another value is reported as drift), so not a field."
            );
            (
                quote!(#[doc = ""] #[doc = #line]),
                quote!(#[serde(tag = #wire, rename = #value)]),
            )
        })
        .unzip();
    let additional = s.additional.as_ref().map(|ty| {
        let ty = ty_tokens(ty, true);
        quote! {
            /// Properties beyond the declared ones.
            #[serde(flatten)]
            pub additional_properties: std::collections::BTreeMap<String, #ty>,
        }
    });
    quote! {
        #docs
        #tag_doc
        #[derive(Clone, Debug, Default, PartialEq, Serialize)]
        #tag
        pub struct #name {
            #(#fields)*
            #additional
        }

        #object
    }
}

fn enum_def(name: &proc_macro2::Ident, docs: TokenStream, e: &Enum) -> TokenStream {
    let variants: Vec<_> = e
        .variants
        .iter()
        .map(|v| format_ident!("{}", v.name))
        .collect();
    let values: Vec<&str> = e.variants.iter().map(|v| v.value.as_str()).collect();
    let variant_docs = values.iter().map(|v| format!(" `{v}`"));
    let default = e.is_constant().then(|| {
        let only = &variants[0];
        quote! {
            /// The one value the description declares.
            impl Default for #name {
                fn default() -> Self {
                    Self::#only
                }
            }
        }
    });
    quote! {
        #docs
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        pub enum #name {
            #( #[doc = #variant_docs] #variants, )*
            /// A value this version of the SDK does not know, kept as sent.
            Unknown(String),
        }

        crate::codec::string_enum!(#name { #(#variants: #values),* });

        #default
    }
}

/// The runtime `codec::Shape` of a union variant: its JSON kind, and for objects the keys that
/// tell it apart; for arrays of scalars, the kind of their items.
fn shape_tokens(shape: &Shape, ty: &Ty) -> TokenStream {
    match shape {
        Shape::Object {
            required,
            consts,
            enums,
        } => {
            let keys = consts.iter().map(|(k, _)| k);
            let values = consts.iter().map(|(_, v)| v);
            let enum_keys = enums.iter().map(|(k, _)| k);
            let enum_values = enums.iter().map(|(_, vs)| quote!(&[#(#vs),*]));
            quote!(Shape::Object {
                required: &[#(#required),*],
                consts: &[#((#keys, #values)),*],
                enums: &[#((#enum_keys, #enum_values)),*],
            })
        }
        Shape::String => quote!(Shape::String),
        Shape::Integer => quote!(Shape::Integer),
        Shape::Number => quote!(Shape::Number),
        Shape::Boolean => quote!(Shape::Boolean),
        Shape::Array => {
            let items = match ty {
                Ty::Array(item) => match item.as_ref() {
                    Ty::String => quote!(String),
                    Ty::Integer => quote!(Integer),
                    Ty::Number => quote!(Number),
                    Ty::Boolean => quote!(Boolean),
                    _ => quote!(Any),
                },
                _ => quote!(Any),
            };
            quote!(Shape::Array(&Shape::#items))
        }
        Shape::Any => quote!(Shape::Any),
    }
}

fn union_def(name: &proc_macro2::Ident, docs: TokenStream, u: &Union) -> TokenStream {
    let fallback = format_ident!("{}", u.fallback);
    let variants = u.variants.iter().map(|v| {
        let vname = format_ident!("{}", v.name);
        let ty = ty_tokens(&v.ty, true);
        if v.boxed {
            quote!(#vname(Box<#ty>),)
        } else {
            quote!(#vname(#ty),)
        }
    });
    // Variants in decode order, each with its shape: the runtime picks the first whose shape fits
    // (preferring declared enum values) and decodes only that one.
    let decoders = u.variants.iter().map(|v| {
        let vname = format_ident!("{}", v.name);
        let shape = shape_tokens(&v.shape, &v.ty);
        if v.boxed {
            quote!((#shape, |v| variant(v).map(|x| Self::#vname(Box::new(x)))))
        } else {
            quote!((#shape, |v| variant(v).map(Self::#vname)))
        }
    });
    let type_name = name.to_string();
    // `From` for each variant whose type no other variant shares: `filter.into()` builds the union.
    let conversions = u.variants.iter().filter_map(|v| {
        let ty = ty_tokens(&v.ty, true);
        let shared = u.variants.iter().filter(|o| o.ty == v.ty).count() > 1;
        let vname = format_ident!("{}", v.name);
        let value = if v.boxed {
            quote!(Box::new(value))
        } else {
            quote!(value)
        };
        (!shared).then(|| {
            quote! {
                impl From<#ty> for #name {
                    fn from(value: #ty) -> Self {
                        Self::#vname(#value)
                    }
                }
            }
        })
    });
    let conversions = conversions.chain(borrowed_conversions(name, u));
    quote! {
        #docs
        #[derive(Clone, Debug, PartialEq, Serialize)]
        #[serde(untagged)]
        pub enum #name {
            #(#variants)*
            /// A value that matches none of the shapes above, kept as sent.
            #fallback(serde_json::Value),
        }

        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                use crate::codec::{Shape, variant};
                crate::codec::union(deserializer, #type_name, &[#(#decoders),*], Self::#fallback)
            }
        }

        crate::codec::lenient_union!(#name);

        #(#conversions)*
    }
}

/// `From<&str>` and `From<Vec<&str>>` for a union with one string (or list of strings) variant, so
/// `"x".into()` and `vec!["a", "b"].into()` build it like `String::from("x").into()` does, and
/// `From<i32>` for one whose only numeric variant is a number.
fn borrowed_conversions<'a>(
    name: &'a proc_macro2::Ident,
    u: &'a Union,
) -> impl Iterator<Item = TokenStream> + 'a {
    let string_list = Ty::Array(Box::new(Ty::String));
    let only = move |ty: Ty| {
        let mut matching = u.variants.iter().filter(move |v| v.ty == ty);
        match (matching.next(), matching.next()) {
            (Some(v), None) => Some(format_ident!("{}", v.name)),
            _ => None,
        }
    };
    let text = only(Ty::String).map(|vname| {
        quote! {
            impl From<&str> for #name {
                fn from(value: &str) -> Self {
                    Self::#vname(value.to_owned())
                }
            }
        }
    });
    let list = only(string_list).map(|vname| {
        quote! {
            impl From<Vec<&str>> for #name {
                fn from(value: Vec<&str>) -> Self {
                    Self::#vname(value.into_iter().map(str::to_owned).collect())
                }
            }
        }
    });
    // A union with a number but no integer variant takes integer literals too (`42.into()`):
    // `i32` converts to `f64` without loss.
    let integer = only(Ty::Number)
        .filter(|_| only(Ty::Integer).is_none())
        .map(|vname| {
            quote! {
                impl From<i32> for #name {
                    fn from(value: i32) -> Self {
                        Self::#vname(f64::from(value))
                    }
                }
            }
        });
    text.into_iter().chain(list).chain(integer)
}

/// `impl Paginated` for every paged response type, once per type (`ir::build` pages one type
/// through one item path).
fn paginated_impls(ir: &Ir) -> TokenStream {
    let mut seen: BTreeMap<&str, (&crate::ir::FieldPath, &Ty)> = BTreeMap::new();
    for op in &ir.operations {
        if let Some(p) = &op.pagination {
            seen.entry(&p.response).or_insert((&p.items, &p.item_ty));
        }
    }
    let features = crate::ir::features::Features::of(ir);
    let impls = seen.into_iter().map(|(response, (items, item_ty))| {
        let cfg = super::features::cfg(&features.type_gate(response));
        let response = format_ident!("{}", response);
        let item = ty_tokens(item_ty, true);
        let (borrow, owned) = items_access(items);
        quote! {
            #cfg
            impl crate::Paginated for #response {
                type Item = #item;
                fn items(&self) -> &[#item] { #borrow }
                fn into_items(self) -> Vec<#item> { #owned }
            }
        }
    });
    quote!(#(#impls)*)
}

/// Expressions borrowing and taking the items at the end of `path` from `self`.
fn items_access(path: &crate::ir::FieldPath) -> (TokenStream, TokenStream) {
    let borrow = match super::borrow_path(quote!(self), path) {
        (expr, true) => quote!(#expr.unwrap_or_default()),
        (expr, false) => quote!(&#expr),
    };
    let owned = match super::owned_path(quote!(self), path) {
        (expr, true) => quote!(#expr.unwrap_or_default()),
        (expr, false) => expr,
    };
    (borrow, owned)
}
