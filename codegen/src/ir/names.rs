//! Naming: Rust identifiers from spec names, symbol enum values, keyword escaping and
//! deterministic collision resolution.

use heck::{ToSnakeCase, ToUpperCamelCase};
use std::collections::BTreeSet;

const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut",
    "pub", "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true", "type",
    "unsafe", "use", "where", "while", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "try", "typeof", "unsized", "virtual", "yield",
];

/// Word names for operator-like enum values (`=` -> `Eq`, `!~` -> `NotContains`, `$` -> `EndsWith`).
const SYMBOLS: &[(&str, &str)] = &[
    ("=", "Eq"),
    ("!=", "NotEq"),
    ("<", "Lt"),
    (">", "Gt"),
    ("<=", "LtEq"),
    (">=", "GtEq"),
    ("~", "Contains"),
    ("!~", "NotContains"),
    ("^", "StartsWith"),
    ("$", "EndsWith"),
    ("*", "Any"),
    ("+", "Plus"),
    ("-", "Minus"),
];

/// Replaces characters heck would drop with words, so that distinct values stay distinct.
fn words(raw: &str) -> String {
    if let Some((_, word)) = SYMBOLS.iter().find(|(symbol, _)| *symbol == raw) {
        return (*word).to_owned();
    }
    raw.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
        .collect()
}

/// UpperCamelCase type or variant name; never empty, never starting with a digit, never a
/// keyword (`self` and `Self` become `SelfValue`: `Self` is the only capitalised keyword, and
/// neither a type nor a variant may be named it).
pub fn type_name(raw: &str) -> String {
    let name = words(raw).to_upper_camel_case();
    if name.is_empty() {
        "Value".to_owned()
    } else if name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("V{name}")
    } else if KEYWORDS.contains(&name.as_str()) {
        format!("{name}Value")
    } else {
        name
    }
}

/// snake_case field, parameter or method name with keywords escaped (`type` -> `type_`).
pub fn field_name(raw: &str) -> String {
    let mut name = words(raw).to_snake_case();
    if name.is_empty() {
        name = "value".to_owned();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name = format!("n{name}");
    }
    if KEYWORDS.contains(&name.as_str()) {
        name.push('_');
    }
    name
}

/// Hands out unique names: the first claimant gets the name, later ones a numeric suffix.
#[derive(Debug, Default)]
pub struct Namer {
    taken: BTreeSet<String>,
}

impl Namer {
    pub fn is_taken(&self, name: &str) -> bool {
        self.taken.contains(name)
    }

    /// Claims `name`, or `name2`, `name3`, ... when taken. Returns the name claimed.
    pub fn claim(&mut self, name: &str) -> String {
        let mut candidate = name.to_owned();
        let mut n = 2;
        while self.taken.contains(&candidate) {
            candidate = format!("{name}{n}");
            n += 1;
        }
        self.taken.insert(candidate.clone());
        candidate
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn symbols_get_word_names() {
        assert_eq!(type_name("="), "Eq");
        assert_eq!(type_name("!~"), "NotContains");
        assert_eq!(type_name("$"), "EndsWith");
        assert_eq!(type_name("IN"), "In");
        assert_eq!(type_name("in_app"), "InApp");
    }

    #[test]
    fn keywords_and_odd_names_are_escaped() {
        assert_eq!(field_name("type"), "type_");
        assert_eq!(field_name("self"), "self_");
        assert_eq!(field_name("3ds"), "n3ds");
        assert_eq!(field_name("CX Score rating"), "cx_score_rating");
        assert_eq!(type_name("2fa"), "V2fa");
        for raw in ["self", "Self", "SELF", "_self_"] {
            assert_eq!(type_name(raw), "SelfValue", "{raw}");
        }
        assert_eq!(type_name("self type"), "SelfType");
        for keyword in KEYWORDS {
            let t = type_name(keyword);
            assert!(!KEYWORDS.contains(&t.as_str()), "{keyword} -> {t}");
            assert!(syn::parse_str::<syn::Ident>(&t).is_ok(), "{keyword} -> {t}");
            let f = field_name(keyword);
            assert!(syn::parse_str::<syn::Ident>(&f).is_ok(), "{keyword} -> {f}");
        }
    }

    #[test]
    fn collisions_are_resolved_in_claim_order() {
        let mut namer = Namer::default();
        assert_eq!(namer.claim("Contact"), "Contact");
        assert_eq!(namer.claim("Contact"), "Contact2");
        assert_eq!(namer.claim("Contact"), "Contact3");
    }
}
