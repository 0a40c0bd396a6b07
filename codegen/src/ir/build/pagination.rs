//! Pagination: inferred from each operation's response and inputs, or set by the overlay's entry
//! (dotted wire paths resolved against the response type).
//!
//! Inference recognises the shapes Intercom's descriptions use, in this order:
//!
//! | Request input | Response fields | Style |
//! |---|---|---|
//! | body `pagination.starting_after` | `pages.next.starting_after` | `body_cursor` |
//! | query `starting_after` | `pages.next.starting_after` | `query_cursor` |
//! | query `scroll_param` | `scroll_param` | `scroll` |
//! | query `page` | `pages.page`, `pages.total_pages` | `page_number` |
//!
//! The items are the response's array field: `data` where there is one, else its only array
//! field. An overlay entry overrides inference (`pagination: none` turns it off); an entry that does
//! not fit its response is a warning, and the operation pages as inferred, or not at all.

use std::collections::BTreeMap;

use super::named;
use crate::config::{Overlay, PaginationEntry, PaginationOverlay, PaginationStyle};
use crate::diag::Diagnostics;
use crate::ir::*;

/// Sets every operation's pagination: the overlay's entry where it fits, else inferred.
pub(super) fn paginate(
    ir: &mut Ir,
    overlay: &Overlay,
    matched: &BTreeMap<String, String>,
    diags: &mut Diagnostics,
) {
    let mut operations = std::mem::take(&mut ir.operations);
    // One paged response type pages its items through one field path.
    let mut items_of: BTreeMap<String, FieldPath> = BTreeMap::new();
    for op in &mut operations {
        let entry = matched
            .get(&op.key)
            .and_then(|key| overlay.operations.get(key))
            .and_then(|o| o.pagination.as_ref());
        let paging = match entry {
            Some(PaginationEntry::Off(_)) => None,
            Some(PaginationEntry::Style(paging)) => match resolve(ir, op, paging) {
                Ok(mut p) => {
                    p.source = PaginationSource::Overlay;
                    Some(p)
                }
                Err(why) => {
                    let inferred = infer(ir, op);
                    let fallback = match &inferred {
                        Some(_) => "paged as inferred from the description",
                        None => "not paged",
                    };
                    diags.warn(
                        &op.pointer,
                        format!("overlay pagination does not fit the operation: {why}; {fallback}"),
                    );
                    inferred
                }
            },
            None => infer(ir, op),
        };
        op.pagination = match paging {
            Some(p) => match items_of.get(&p.response) {
                Some(items) if *items != p.items => {
                    diags.warn(
                        &op.pointer,
                        format!(
                            "`{}` is paged by another operation through a different item field; not paged",
                            p.response
                        ),
                    );
                    None
                }
                _ => {
                    items_of.insert(p.response.clone(), p.items.clone());
                    Some(p)
                }
            },
            None => None,
        };
    }
    ir.operations = operations;
}

/// The pagination `op`'s shape implies, if any.
fn infer(ir: &Ir, op: &Operation) -> Option<Pagination> {
    let ResponseBody::Json(Ty::Named(response)) = &op.response else {
        return None;
    };
    let TypeKind::Struct(s) = ir.resolve(response)? else {
        return None;
    };
    let is_array = |f: &&Field| match &f.ty {
        Ty::Array(_) => true,
        Ty::Named(n) => matches!(ir.resolve(n), Some(TypeKind::Alias(Ty::Array(_)))),
        _ => false,
    };
    let arrays: Vec<&Field> = s.fields.iter().filter(is_array).collect();
    let items = match arrays.iter().find(|f| f.wire == "data") {
        Some(f) => f.wire.clone(),
        None => match arrays.as_slice() {
            [only] => only.wire.clone(),
            _ => return None,
        },
    };
    let request = op.request.as_ref();
    let query = |wire: &str| {
        request.is_some_and(|r| {
            r.params
                .iter()
                .any(|p| p.wire == wire && p.location == ParamLocation::Query)
        })
    };
    let body_path = |dotted: &str| match request.and_then(|r| r.body.as_ref()) {
        Some(Body::Fields { fields, .. }) => {
            let (first, rest) = dotted.split_once('.').unwrap_or((dotted, ""));
            fields.iter().any(|f| {
                f.wire == first
                    && (rest.is_empty()
                        || named(&f.ty).is_some_and(|n| field_path(ir, n, rest).is_some()))
            })
        }
        _ => false,
    };
    let candidate = |style, param: &str, cursor: Option<&str>, page: bool| PaginationOverlay {
        style,
        param: param.to_owned(),
        items: items.clone(),
        cursor: cursor.map(str::to_owned),
        page: page.then(|| "pages.page".to_owned()),
        total_pages: page.then(|| "pages.total_pages".to_owned()),
    };
    let next_cursor = Some("pages.next.starting_after");
    let mut candidates = Vec::new();
    if body_path("pagination.starting_after") {
        candidates.push(candidate(
            PaginationStyle::BodyCursor,
            "pagination.starting_after",
            next_cursor,
            false,
        ));
    }
    if query("starting_after") {
        candidates.push(candidate(
            PaginationStyle::QueryCursor,
            "starting_after",
            next_cursor,
            false,
        ));
    }
    if query("scroll_param") {
        candidates.push(candidate(
            PaginationStyle::Scroll,
            "scroll_param",
            Some("scroll_param"),
            false,
        ));
    }
    if query("page") {
        candidates.push(candidate(PaginationStyle::PageNumber, "page", None, true));
    }
    candidates.iter().find_map(|c| {
        let p = resolve(ir, op, c).ok()?;
        // A cursor or page number must be a scalar, not an object that happens to have the name.
        let scalar = |path: &Option<FieldPath>| {
            path.as_ref().is_none_or(|p| {
                matches!(p.ty, Ty::String | Ty::Integer)
                    || matches!(&p.ty, Ty::Named(n) if matches!(ir.resolve(n), Some(TypeKind::Alias(Ty::String | Ty::Integer))))
            })
        };
        (scalar(&p.cursor) && scalar(&p.page) && scalar(&p.total_pages)).then_some(p)
    })
}

/// Resolves a pagination entry for `op` against the IR; `Err` says why it does not fit.
fn resolve(ir: &Ir, op: &Operation, paging: &PaginationOverlay) -> Result<Pagination, String> {
    let ResponseBody::Json(Ty::Named(response)) = &op.response else {
        return Err("the operation does not return a named JSON object".to_owned());
    };
    let path = |dotted: &str, what: &str| -> Result<FieldPath, String> {
        field_path(ir, response, dotted)
            .ok_or_else(|| format!("{what} `{dotted}` is not a field path of `{response}`"))
    };
    let items = path(&paging.items, "items")?;
    let item_ty = match &items.ty {
        Ty::Array(item) => (**item).clone(),
        Ty::Named(n) => match ir.resolve(n) {
            Some(TypeKind::Alias(Ty::Array(item))) => (**item).clone(),
            _ => return Err(format!("items `{}` is not an array", paging.items)),
        },
        _ => return Err(format!("items `{}` is not an array", paging.items)),
    };
    let optional = |dotted: &Option<String>, what: &str| match dotted {
        Some(d) => path(d, what).map(Some),
        None => Ok(None),
    };
    let cursor = optional(&paging.cursor, "cursor")?;
    let page = optional(&paging.page, "page")?;
    let total_pages = optional(&paging.total_pages, "total_pages")?;
    let complete = match paging.style {
        PaginationStyle::PageNumber => page.is_some() && total_pages.is_some(),
        _ => cursor.is_some(),
    };
    if !complete {
        return Err(
            "the style needs `page` and `total_pages` (page_number) or `cursor` (the others)"
                .to_owned(),
        );
    }
    Ok(Pagination {
        style: paging.style,
        param: paging.param.clone(),
        response: response.clone(),
        items,
        item_ty,
        cursor,
        page,
        total_pages,
        source: PaginationSource::Inferred,
    })
}

/// Follows a dotted path of wire names through structs.
pub(super) fn field_path(ir: &Ir, root: &str, dotted: &str) -> Option<FieldPath> {
    let mut ty = Ty::Named(root.to_owned());
    let mut steps = Vec::new();
    for segment in dotted.split('.') {
        let TypeKind::Struct(s) = ir.resolve(named(&ty)?)? else {
            return None;
        };
        let field = s.fields.iter().find(|f| f.wire == segment)?;
        steps.push(FieldStep {
            field: field.name.clone(),
            optional: field.optional,
            boxed: field.boxed,
        });
        ty = field.ty.clone();
    }
    Some(FieldPath { steps, ty })
}
