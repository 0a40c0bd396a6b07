//! Example values across operations: a parameter whose own declaration gives no example borrows
//! the first example of a parameter of the same wire name elsewhere in the description (`admin_id`
//! in `PUT /admins/{admin_id}/away` takes `123` from `GET /admins/{admin_id}`), so generated
//! documentation shows a real value rather than a placeholder.

use std::collections::BTreeMap;

use crate::ir::Ir;

/// Fills each parameter without an example from the first same-named one that has one
/// (operations in document order).
pub(super) fn borrow_parameter_examples(ir: &mut Ir) {
    let mut first: BTreeMap<String, serde_json::Value> = BTreeMap::new();
    for op in &ir.operations {
        let Some(request) = &op.request else { continue };
        for param in &request.params {
            if let Some(example) = &param.example {
                first
                    .entry(param.wire.clone())
                    .or_insert_with(|| example.clone());
            }
        }
    }
    for op in &mut ir.operations {
        let Some(request) = &mut op.request else {
            continue;
        };
        for param in &mut request.params {
            if param.example.is_none() {
                param.example = first.get(&param.wire).cloned();
            }
        }
    }
}
