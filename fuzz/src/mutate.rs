//! Structure-aware mutation of JSON values (response bodies and OpenAPI
//! documents) and generation of arbitrary values and strings.

use serde_json::{json, Map, Number, Value};

use crate::Rng;

/// Strings that have broken parsers and name generators before: keywords,
/// dot segments, empty and odd characters, numbers as text, references.
pub const INTERESTING_STRINGS: &[&str] = &[
    "",
    " ",
    ".",
    "..",
    "/",
    "%2E%2E",
    "self",
    "Self",
    "type",
    "super",
    "crate",
    "Option",
    "Result",
    "String",
    "Default",
    "D",
    "0",
    "-1",
    "9223372036854775808",
    "1e400",
    "true",
    "null",
    "AND",
    "OR",
    "=",
    "!~",
    "é",
    "💥",
    "a\u{0}b",
    "\\",
    "#",
    "#/components/schemas/",
    "list",
    "contact",
    "x-extension",
];

/// Keys OpenAPI and the SDK's models give meaning to.
pub const INTERESTING_KEYS: &[&str] = &[
    "$ref",
    "type",
    "oneOf",
    "anyOf",
    "allOf",
    "nullable",
    "enum",
    "properties",
    "items",
    "additionalProperties",
    "required",
    "format",
    "value",
    "operator",
    "field",
    "data",
    "pages",
    "next",
    "starting_after",
    "id",
    "name",
    "in",
    "schema",
    "parameters",
    "requestBody",
    "responses",
];

/// An arbitrary scalar, biased towards edge values.
pub fn scalar(rng: &mut Rng) -> Value {
    match rng.below(12) {
        0 => Value::Null,
        1 => Value::Bool(rng.one_in(2)),
        2 => json!(rng.next_u64()),
        3 => json!(-(rng.below(1 << 20) as i64)),
        4 => json!(i64::MIN),
        5 => json!(u64::MAX),
        6 => Number::from_f64((rng.next_u64() as f64) / 7.0).map_or(Value::Null, Value::Number),
        7 => json!(1e300),
        8 => json!(0),
        9 => Value::String(string(rng)),
        _ => Value::String(
            rng.pick(INTERESTING_STRINGS)
                .copied()
                .unwrap_or_default()
                .to_owned(),
        ),
    }
}

/// An arbitrary short string from a mix of alphabets.
pub fn string(rng: &mut Rng) -> String {
    const ALPHABET: &[char] = &[
        'a', 'b', 'Z', '0', '9', '.', '/', '%', '2', 'E', 'e', '-', '_', '~', ' ', '?', '#', '&',
        '=', '+', ';', ':', '@', '\\', '"', '\'', '\n', '\t', 'é', '💥', '\u{0}', '\u{200b}',
    ];
    let len = match rng.below(8) {
        0 => 0,
        1 => rng.below(3000),
        _ => rng.below(12),
    };
    (0..len)
        .map(|_| ALPHABET[rng.below(ALPHABET.len())])
        .collect()
}

/// An arbitrary JSON value of bounded depth.
pub fn value(rng: &mut Rng, depth: usize) -> Value {
    if depth == 0 || rng.one_in(3) {
        return scalar(rng);
    }
    let n = rng.below(5);
    if rng.one_in(2) {
        Value::Array((0..n).map(|_| value(rng, depth - 1)).collect())
    } else {
        let mut map = Map::new();
        for _ in 0..n {
            let key = if rng.one_in(2) {
                rng.pick(INTERESTING_KEYS)
                    .copied()
                    .unwrap_or("k")
                    .to_owned()
            } else {
                string(rng)
            };
            map.insert(key, value(rng, depth - 1));
        }
        Value::Object(map)
    }
}

/// JSON pointers of the nodes of `doc` (at most `limit`, sampled along the
/// walk so that large documents are covered everywhere).
pub fn pointers(doc: &Value, rng: &mut Rng, limit: usize) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![(String::new(), doc)];
    let mut seen = 0usize;
    while let Some((pointer, node)) = stack.pop() {
        seen += 1;
        // Reservoir sampling keeps a uniform sample of `limit` pointers.
        if out.len() < limit {
            out.push(pointer.clone());
        } else {
            let j = rng.below(seen);
            if j < limit {
                out[j] = pointer.clone();
            }
        }
        match node {
            Value::Object(map) => {
                for (k, v) in map {
                    let token = k.replace('~', "~0").replace('/', "~1");
                    stack.push((format!("{pointer}/{token}"), v));
                }
            }
            Value::Array(items) => {
                for (i, v) in items.iter().enumerate() {
                    stack.push((format!("{pointer}/{i}"), v));
                }
            }
            _ => {}
        }
    }
    out
}

/// Applies 1 to `max` random structural mutations to `doc`. `donors` are
/// values whose subtrees may be grafted in (e.g. other examples, the
/// document itself); `refs` are `$ref` targets to aim references at.
pub fn mutate(doc: &mut Value, rng: &mut Rng, donors: &[&Value], refs: &[String], max: usize) {
    let count = 1 + rng.below(max.max(1));
    for _ in 0..count {
        let targets = pointers(doc, rng, 4096);
        let Some(target) = rng.pick(&targets).cloned() else {
            return;
        };
        let donor = donors.get(rng.below(donors.len())).map(|d| (*d).clone());
        let graft = donor.and_then(|d| {
            let ps = pointers(&d, rng, 512);
            let p = rng.pick(&ps)?.clone();
            d.pointer(&p).cloned()
        });
        let Some(node) = doc.pointer_mut(&target) else {
            continue;
        };
        match rng.below(12) {
            // Remove the node from its parent.
            0 => remove(doc, &target),
            1 => *node = scalar(rng),
            2 => *node = value(rng, 3),
            3 => {
                if let Some(g) = graft {
                    *node = g;
                }
            }
            4 => {
                // Wrap in a union, an allOf or an array.
                let inner = node.take();
                *node = match rng.below(4) {
                    0 => json!({"oneOf": [inner.clone(), inner]}),
                    1 => json!({"allOf": [inner]}),
                    2 => json!({"anyOf": [inner, {"type": "string"}]}),
                    _ => json!([inner]),
                };
            }
            5 => {
                // Nest deeply, like a search query of queries.
                let depth = 2 + rng.below(24);
                let mut inner = node.take();
                for _ in 0..depth {
                    inner = if rng.one_in(2) {
                        json!({"operator": "AND", "value": [inner]})
                    } else {
                        json!({"value": [inner, {"field": "x", "operator": "=", "value": "y"}]})
                    };
                }
                *node = inner;
            }
            6 => {
                if let Value::Object(map) = node {
                    let key = rng
                        .pick(INTERESTING_KEYS)
                        .copied()
                        .unwrap_or("k")
                        .to_owned();
                    let v = graft.unwrap_or_else(|| value(rng, 2));
                    map.insert(key, v);
                }
            }
            7 => {
                if let Some(r) = rng.pick(refs) {
                    *node = json!({ "$ref": r });
                }
            }
            8 => {
                // Rename a key to an interesting string.
                if let Value::Object(map) = node {
                    let keys: Vec<String> = map.keys().cloned().collect();
                    if let Some(k) = rng.pick(&keys) {
                        if let Some(v) = map.remove(k) {
                            let new = rng
                                .pick(INTERESTING_STRINGS)
                                .copied()
                                .unwrap_or_default()
                                .to_owned();
                            map.insert(new, v);
                        }
                    }
                }
            }
            9 => {
                // Change a type: object <-> array, number <-> string.
                let old = node.take();
                *node = match old {
                    Value::Object(map) => Value::Array(map.into_values().collect()),
                    Value::Array(items) => Value::Object(
                        items
                            .into_iter()
                            .enumerate()
                            .map(|(i, v)| (i.to_string(), v))
                            .collect(),
                    ),
                    Value::Number(n) => Value::String(n.to_string()),
                    Value::String(s) => s.parse::<f64>().ok().map_or(Value::Null, |f| json!(f)),
                    other => other,
                };
            }
            10 => {
                if let Value::String(s) = node {
                    *s = rng
                        .pick(INTERESTING_STRINGS)
                        .copied()
                        .unwrap_or_default()
                        .to_owned();
                }
            }
            _ => {
                // Duplicate array items (large bodies), or empty a container.
                match node {
                    Value::Array(items) if !items.is_empty() => {
                        let copies = 1 + rng.below(64);
                        let first = items[0].clone();
                        items.extend(std::iter::repeat_n(first, copies));
                    }
                    Value::Array(items) => items.clear(),
                    Value::Object(map) => map.clear(),
                    _ => {}
                }
            }
        }
    }
}

fn remove(doc: &mut Value, pointer: &str) {
    let Some((parent, last)) = pointer.rsplit_once('/') else {
        *doc = Value::Null;
        return;
    };
    let key = last.replace("~1", "/").replace("~0", "~");
    match doc.pointer_mut(parent) {
        Some(Value::Object(map)) => {
            map.remove(&key);
        }
        Some(Value::Array(items)) => {
            if let Ok(i) = key.parse::<usize>() {
                if i < items.len() {
                    items.remove(i);
                }
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mutation_is_deterministic_per_seed_and_changes_the_value() {
        let base = json!({"a": [1, 2, {"b": "c"}], "d": {"e": null}});
        let run = |seed| {
            let mut v = base.clone();
            mutate(&mut v, &mut Rng::new(seed), &[&base], &["#/x".into()], 3);
            v
        };
        assert_eq!(run(1), run(1));
        assert!((0..20).any(|s| run(s) != base));
        assert!((0..20)
            .map(run)
            .collect::<Vec<_>>()
            .windows(2)
            .any(|w| w[0] != w[1]));
    }

    #[test]
    fn pointers_reach_every_node_of_a_small_document() {
        let v = json!({"a/b": [1, {"~": 2}]});
        let mut p = pointers(&v, &mut Rng::new(0), 100);
        p.sort();
        assert_eq!(p, ["", "/a~1b", "/a~1b/0", "/a~1b/1", "/a~1b/1/~0"]);
    }
}
