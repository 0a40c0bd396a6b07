//! Pagination: the overlay's dotted wire paths resolved against the response type.

use super::named;
use crate::config::{PaginationOverlay, PaginationStyle};
use crate::diag::Diagnostics;
use crate::ir::*;

/// Resolves the overlay's pagination for `op` against the IR.
pub(super) fn pagination(
    ir: &Ir,
    op: &Operation,
    paging: &PaginationOverlay,
    diags: &mut Diagnostics,
) -> Option<Pagination> {
    let ResponseBody::Json(Ty::Named(response)) = &op.response else {
        diags.error(
            &op.pointer,
            "paged operation must return a named JSON object",
        );
        return None;
    };
    let mut path = |dotted: &str, what: &str| -> Option<FieldPath> {
        let found = field_path(ir, response, dotted);
        if found.is_none() {
            diags.error(
                &op.pointer,
                format!("pagination {what} `{dotted}` is not a field path of `{response}`"),
            );
        }
        found
    };
    let items = path(&paging.items, "items")?;
    let Ty::Array(item) = &items.ty else {
        diags.error(
            &op.pointer,
            format!("pagination items `{}` is not an array", paging.items),
        );
        return None;
    };
    let item_ty = (**item).clone();
    let cursor = match &paging.cursor {
        Some(c) => Some(path(c, "cursor")?),
        None => None,
    };
    let page = match &paging.page {
        Some(c) => Some(path(c, "page")?),
        None => None,
    };
    let total_pages = match &paging.total_pages {
        Some(c) => Some(path(c, "total_pages")?),
        None => None,
    };
    let complete = match paging.style {
        PaginationStyle::PageNumber => page.is_some() && total_pages.is_some(),
        _ => cursor.is_some(),
    };
    if !complete {
        diags.error(
            &op.pointer,
            "pagination style needs `page` and `total_pages` (page_number) or `cursor`",
        );
        return None;
    }
    Some(Pagination {
        style: paging.style,
        param: paging.param.clone(),
        response: response.clone(),
        items,
        item_ty,
        cursor,
        page,
        total_pages,
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
