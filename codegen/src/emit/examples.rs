//! The `no_run` example in each method's documentation: the request built from the description's
//! example values (parameter, request-body and property examples), with placeholders only where the
//! description gives none.

use serde_json::Value;

use super::requests::{members, Member};
use crate::ir::{Ir, Operation, ResponseBody, Shape, Ty, TypeKind, UnionVariant};

/// How deep example values are written out; deeper values are left to `Default`.
const MAX_DEPTH: usize = 6;
/// Optional inputs with an example that the call sets, at most.
const MAX_SETTERS: usize = 3;

/// The statements of a short example of calling `op` (inside an async function with `client` in
/// scope): the request from the description's example values, the call, a use of the result.
/// Shared by the methods' documentation and `REFERENCE.md`.
pub(crate) fn call_body(ir: &Ir, op: &Operation) -> String {
    let accessor: String = op.resource.iter().map(|r| format!(".{r}()")).collect();
    // The request on a line of its own, then the call.
    let (request, arg) = match &op.request {
        None => (String::new(), ""),
        Some(r) => {
            let members = members(ir, r);
            let args: Vec<String> = members
                .iter()
                .filter(|m| !m.optional && !m.constant)
                .map(|m| argument(ir, m))
                .collect();
            let setters: String = members
                .iter()
                .filter(|m| m.optional && m.name != "new")
                .filter_map(|m| {
                    let example = m.example?;
                    let value = Example { ir, depth: 0 }.expr(m.ty, Some(example), false)?;
                    Some(format!(".{}({value})", m.name))
                })
                .take(MAX_SETTERS)
                .collect();
            (
                format!(
                    "let request = requests::{}::new({}){setters};\n",
                    r.name,
                    args.join(", ")
                ),
                "request",
            )
        }
    };
    let call = format!("client{accessor}.{}({arg})", op.name);
    let (binding, use_it) = match (&op.response, &op.pagination) {
        (_, Some(_)) => ("page", "println!(\"{} items\", page.items().len());"),
        (ResponseBody::Binary, _) => (
            "stream",
            "let bytes = stream.collect_bytes().await?;\nprintln!(\"{} bytes\", bytes.len());",
        ),
        (ResponseBody::Empty, _) => ("()", ""),
        (ResponseBody::Json(_), _) => ("response", "println!(\"{response:?}\");"),
    };
    formatted(&format!(
        "{request}let {binding} = {call}.await?;\n{use_it}"
    ))
}

/// `call_body` as a method's `# Example` section, compiled by rustdoc (`no_run`).
pub(super) fn call_example(ir: &Ir, op: &Operation) -> String {
    let body = call_body(ir, op);
    format!(
        "# Example\n\n```no_run\n# use intercom_sdk::{{models, requests}};\n# async fn run(client: intercom_sdk::Client) -> intercom_sdk::Result<()> {{\n{body}\n# Ok(())\n# }}\n```"
    )
}

/// `body` (statements) laid out as rustfmt would inside a function (prettyplease, 4 spaces of
/// the function's indentation removed). Text that does not parse stays as it is.
fn formatted(body: &str) -> String {
    let Ok(file) = syn::parse_file(&format!("async fn run() {{\n{body}\n}}")) else {
        return body.to_owned();
    };
    let printed = prettyplease::unparse(&file);
    let lines: Vec<&str> = printed.lines().collect();
    match lines.as_slice() {
        [_, inner @ .., _] => {
            let lines: Vec<&str> = inner
                .iter()
                .map(|line| line.strip_prefix("    ").unwrap_or(line))
                .collect();
            chained_call_as_rustfmt(&lines).join("\n")
        }
        _ => body.to_owned(),
    }
}

/// prettyplease indents a method chain on a call whose arguments break one level deeper than
/// rustfmt does (arguments at 8 spaces, `    )`, `    .setter(..)`); rustfmt keeps the closing
/// parenthesis and the chain at the statement's own indentation. Applied to a first statement
/// of that shape (`let request = X::new(` ... `    )` `    .setter(..)` ... `;`).
fn chained_call_as_rustfmt<'a>(lines: &[&'a str]) -> Vec<&'a str> {
    let Some(first) = lines.first() else {
        return Vec::new();
    };
    let close = lines.iter().position(|line| *line == "    )");
    let end = lines.iter().position(|line| line.ends_with(';'));
    match (close, end) {
        (Some(close), Some(end))
            if first.ends_with('(')
                && !first.starts_with(' ')
                && close < end
                && lines
                    .get(close + 1)
                    .is_some_and(|line| line.starts_with("    .")) =>
        {
            lines
                .iter()
                .enumerate()
                .map(|(i, line)| match line.strip_prefix("    ") {
                    Some(dedented) if (1..=end).contains(&i) => dedented,
                    _ => line,
                })
                .collect()
        }
        _ => lines.to_vec(),
    }
}

/// A required argument of `new`: the example value, else a placeholder of its type.
fn argument(ir: &Ir, m: &Member<'_>) -> String {
    let example = Example { ir, depth: 0 };
    example
        .expr(m.ty, m.example, false)
        .unwrap_or_else(|| example.placeholder(m.ty, m.wire))
}

struct Example<'a> {
    ir: &'a Ir,
    depth: usize,
}

impl Example<'_> {
    fn deeper(&self) -> Example<'_> {
        Example {
            ir: self.ir,
            depth: self.depth + 1,
        }
    }

    /// A Rust expression of type `ty` for the JSON `value` (`owned`: a `String`, not an
    /// `impl Into<String>` argument). `None` when the value does not fit the type.
    fn expr(&self, ty: &Ty, value: Option<&Value>, owned: bool) -> Option<String> {
        let value = value?;
        if self.depth > MAX_DEPTH {
            return None;
        }
        let to_owned = if owned { ".to_owned()" } else { "" };
        match (ty, value) {
            (Ty::String, Value::String(s)) => Some(format!("{s:?}{to_owned}")),
            (Ty::String, Value::Number(n)) => Some(format!("\"{n}\"{to_owned}")),
            (Ty::Integer, Value::Number(n)) => n.as_i64().map(|n| n.to_string()),
            (Ty::Integer, Value::String(s)) => s.parse::<i64>().ok().map(|n| n.to_string()),
            (Ty::Number, Value::Number(n)) => n.as_f64().map(|n| format!("{n:?}")),
            (Ty::Boolean, Value::Bool(b)) => Some(b.to_string()),
            (Ty::Any, value) => Some(format!("serde_json::json!({value})")),
            (Ty::Nullable(inner), value) => {
                Some(format!("Some({})", self.expr(inner, Some(value), true)?))
            }
            (Ty::Array(inner), Value::Array(items)) => {
                let items: Option<Vec<String>> = items
                    .iter()
                    .take(2)
                    .map(|item| self.deeper().expr(inner, Some(item), true))
                    .collect();
                Some(format!("vec![{}]", items?.join(", ")))
            }
            (Ty::Array(inner), value) => {
                // A single value where a list is expected: a list of one.
                Some(format!(
                    "vec![{}]",
                    self.deeper().expr(inner, Some(value), true)?
                ))
            }
            (Ty::Named(name), value) => self.named(name, value),
            _ => None,
        }
    }

    fn named(&self, name: &str, value: &Value) -> Option<String> {
        match &self.ir.get(name)?.kind {
            TypeKind::Enum(e) => {
                let Value::String(s) = value else { return None };
                let variant = e.variants.iter().find(|v| v.value == *s)?;
                Some(format!("models::{name}::{}", variant.name))
            }
            TypeKind::Struct(st) => {
                let Value::Object(object) = value else {
                    return None;
                };
                let fields: Vec<String> = st
                    .fields
                    .iter()
                    .filter_map(|f| {
                        let field_value = object.get(&f.wire)?;
                        if field_value.is_null() || self.ir.is_constant(&f.ty) {
                            return None;
                        }
                        let mut expr = self.deeper().expr(&f.ty, Some(field_value), true)?;
                        if f.boxed {
                            expr = format!("Box::new({expr})");
                        }
                        if f.optional {
                            expr = format!("Some({expr})");
                        }
                        Some(format!("{}: {expr}", f.name))
                    })
                    .collect();
                if fields.is_empty() {
                    return None;
                }
                let rest = if fields.len() < st.fields.len() || st.additional.is_some() {
                    ", ..Default::default()"
                } else {
                    ""
                };
                Some(format!("models::{name} {{ {}{rest} }}", fields.join(", ")))
            }
            TypeKind::Union(u) => u.variants.iter().filter(|v| fits(v, value)).find_map(|v| {
                let inner = self.deeper().expr(&v.ty, Some(value), true)?;
                let inner = if v.boxed {
                    format!("Box::new({inner})")
                } else {
                    inner
                };
                Some(format!("models::{name}::{}({inner})", v.name))
            }),
            TypeKind::Alias(ty) => self.expr(ty, Some(value), true),
        }
    }

    /// A value of type `ty` when the description has no example.
    fn placeholder(&self, ty: &Ty, wire: &str) -> String {
        match ty {
            Ty::String => format!("\"{wire}\""),
            Ty::Integer => "1".to_owned(),
            Ty::Number => "1.0".to_owned(),
            Ty::Boolean => "true".to_owned(),
            // A form's file part: a small file of bytes, named after the input.
            Ty::File => format!("intercom_sdk::FilePart::bytes(&b\"...\"[..], \"{wire}.txt\")"),
            Ty::Named(name) => match self.ir.get(name).map(|t| &t.kind) {
                Some(TypeKind::Enum(e)) => format!(
                    "models::{name}::{}",
                    e.variants
                        .first()
                        .map_or("Unknown(String::new())", |v| &v.name)
                ),
                Some(TypeKind::Union(u)) => {
                    let variant = u.variants.iter().find(|v| {
                        matches!(&v.ty, Ty::Named(n)
                            if matches!(self.ir.get(n).map(|t| &t.kind), Some(TypeKind::Struct(_))))
                    });
                    let variant = variant.map_or(u.fallback.as_str(), |v| v.name.as_str());
                    format!("models::{name}::{variant}(Default::default())")
                }
                _ => "Default::default()".to_owned(),
            },
            _ => "Default::default()".to_owned(),
        }
    }
}

/// Whether `value` looks like what the union variant `v` accepts.
fn fits(v: &UnionVariant, value: &Value) -> bool {
    match (&v.shape, value) {
        (
            Shape::Object {
                required, consts, ..
            },
            Value::Object(object),
        ) => {
            required.iter().all(|k| object.contains_key(k))
                && consts
                    .iter()
                    .all(|(k, c)| object.get(k).and_then(Value::as_str) == Some(c))
        }
        (Shape::String, Value::String(_)) => true,
        (Shape::Integer, Value::Number(n)) => n.is_i64() || n.is_u64(),
        (Shape::Number, Value::Number(_)) => true,
        (Shape::Boolean, Value::Bool(_)) => true,
        (Shape::Array, Value::Array(_)) => true,
        (Shape::Any, _) => true,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::formatted;

    #[test]
    fn a_chain_on_a_call_whose_arguments_break_is_laid_out_as_rustfmt_does() {
        let body = "let request = requests::CreateConversationRequest::new(models::CreateConversationRequestFrom { id: \"667d60d18a68186f43bafddd\".to_owned(), ..Default::default() }, \"Hello there\").subject(\"Thanks for everything\");\nlet response = client.conversations().create(request).await?;";
        assert_eq!(
            formatted(body),
            "let request = requests::CreateConversationRequest::new(
    models::CreateConversationRequestFrom {
        id: \"667d60d18a68186f43bafddd\".to_owned(),
        ..Default::default()
    },
    \"Hello there\",
)
.subject(\"Thanks for everything\");
let response = client.conversations().create(request).await?;"
        );
        // A call that fits on its line keeps its chain indented.
        let body = "let request = requests::UpdateContactRequest::new(\"1\").name(\"Joe\").email(\"joe@example.com\").phone(\"+353 1 555 0100\");";
        assert_eq!(
            formatted(body),
            "let request = requests::UpdateContactRequest::new(\"1\")
    .name(\"Joe\")
    .email(\"joe@example.com\")
    .phone(\"+353 1 555 0100\");"
        );
    }
}
