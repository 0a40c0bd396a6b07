//! Responses: the success body of an operation and its error statuses.

use super::view::SRef;
use super::{Builder, Slot};
use crate::diag::join;
use crate::ir::*;
use openapiv3::{ReferenceOr, StatusCode};

impl<'a> Builder<'a, '_> {
    pub(super) fn response(
        &mut self,
        op: &'a openapiv3::Operation,
        request: &str,
        pointer: &str,
    ) -> (ResponseBody, Vec<u16>) {
        let mut success: Option<(u16, &openapiv3::Response)> = None;
        let mut errors = Vec::new();
        for (code, resp) in &op.responses.responses {
            let StatusCode::Code(code) = code else {
                continue;
            };
            let resp = match resp {
                ReferenceOr::Item(resp) => resp,
                ReferenceOr::Reference { reference } => {
                    let found = reference
                        .strip_prefix("#/components/responses/")
                        .and_then(|k| self.api.components.as_ref()?.responses.get(k));
                    match found {
                        Some(ReferenceOr::Item(resp)) => resp,
                        _ => {
                            self.diags.warn(
                                pointer,
                                format!("response reference `{reference}` for {code} not resolved; skipped"),
                            );
                            continue;
                        }
                    }
                }
            };
            if (200..300).contains(code) {
                if success.is_none_or(|(c, _)| *code < c) {
                    success = Some((*code, resp));
                }
            } else if *code >= 400 {
                errors.push(*code);
            }
        }
        let Some((code, resp)) = success else {
            return (ResponseBody::Empty, errors);
        };
        let rptr = join(&join(pointer, "responses"), &code.to_string());
        let base = request.strip_suffix("Request").unwrap_or(request);
        let body = if let Some(media) = resp.content.get("application/json") {
            match &media.schema {
                Some(s) => ResponseBody::Json(self.lower(
                    SRef::of(s),
                    Slot::Hint(format!("{base}Response")),
                    &rptr,
                )),
                None => {
                    self.diags.warn(
                        &rptr,
                        "response has examples but no schema; decoded as serde_json::Value",
                    );
                    ResponseBody::Json(Ty::Any)
                }
            }
        } else if resp.content.contains_key("application/octet-stream") {
            ResponseBody::Binary
        } else if let Some((ct, _)) = resp.content.first() {
            self.diags.warn(
                &rptr,
                format!("response content `{ct}` is returned as bytes"),
            );
            ResponseBody::Binary
        } else {
            ResponseBody::Empty
        };
        (body, errors)
    }
}
