//! Naming: Rust identifiers from spec names, symbol enum values, keyword escaping and
//! deterministic collision resolution.

use heck::{ToSnakeCase, ToUpperCamelCase};
use std::collections::{BTreeMap, BTreeSet};

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
    // A version number keeps its parts apart: `2.10` is `V2_10`, never `V210` beside `2.1`'s `V21`.
    let parts: Vec<&str> = raw.split('.').collect();
    if parts.len() > 1
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
    {
        return format!("V{}", parts.join("_"));
    }
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

/// `name` with a word repeated back to back said once (`DeletedArticleObjectObject` ->
/// `DeletedArticleObject`, `TicketTicketState` -> `TicketState`): a `{Parent}{Field}` name whose
/// field repeats the parent's last word.
pub fn without_doubled_words(name: &str) -> String {
    let mut words: Vec<&str> = Vec::new();
    let mut start = 0;
    for (i, c) in name.char_indices().skip(1) {
        if c.is_ascii_uppercase() {
            words.push(&name[start..i]);
            start = i;
        }
    }
    words.push(&name[start..]);
    words.dedup();
    words.concat()
}

fn split_words(name: &str) -> Vec<&str> {
    let mut words = Vec::new();
    let mut start = 0;
    for (i, c) in name.char_indices().skip(1) {
        if c.is_ascii_uppercase() {
            words.push(&name[start..i]);
            start = i;
        }
    }
    words.push(&name[start..]);
    words
}

/// Union variant names without what every one of them repeats: the words all names start or end
/// with (`SingleFilterSearchRequest`, `MultipleFilterSearchRequest` -> `Single`, `Multiple`), else
/// the union's own name in front (`ContactReplyTicketEmailRequest` in `ContactReplyTicketRequest`
/// -> `EmailRequest`). Names are kept when shortening would leave one empty, starting with a digit,
/// or equal to another.
pub fn shorter_variant_names(union: &str, names: &[String]) -> Vec<String> {
    let valid = |short: &[String]| {
        let unique: BTreeSet<&String> = short.iter().collect();
        unique.len() == short.len()
            && short
                .iter()
                .all(|s| s.starts_with(|c: char| c.is_ascii_uppercase()))
    };
    if names.len() < 2 {
        return names.to_vec();
    }
    let split: Vec<Vec<&str>> = names.iter().map(|n| split_words(n)).collect();
    let shortest = split.iter().map(Vec::len).min().unwrap_or(0);
    let common = |word_at: &dyn Fn(&Vec<&str>, usize) -> Option<String>| {
        (0..shortest)
            .take_while(|&i| {
                let first = word_at(&split[0], i);
                first.is_some() && split.iter().all(|w| word_at(w, i) == first)
            })
            .count()
    };
    let prefix = common(&|w, i| w.get(i).map(|s| s.to_string()));
    let suffix = common(&|w, i| w.len().checked_sub(i + 1).map(|j| w[j].to_string()));
    if prefix + suffix < shortest {
        let short: Vec<String> = split
            .iter()
            .map(|w| w[prefix..w.len() - suffix].concat())
            .collect();
        if (prefix > 0 || suffix > 0) && valid(&short) {
            return short;
        }
    }
    let short: Vec<String> = names
        .iter()
        .map(|n| match n.strip_prefix(union) {
            Some(rest) if !rest.is_empty() => rest.to_owned(),
            _ => n.clone(),
        })
        .collect();
    if valid(&short) {
        short
    } else {
        names.to_vec()
    }
}

/// Hands out unique names: the first claimant gets the name, later ones a numeric suffix.
///
/// Claiming is amortised constant work per name: each base name remembers the next suffix to
/// try, so a description that asks for the same name thousands of times stays linear.
#[derive(Debug, Default)]
pub struct Namer {
    taken: BTreeSet<String>,
    next_suffix: BTreeMap<String, u64>,
}

impl Namer {
    pub fn is_taken(&self, name: &str) -> bool {
        self.taken.contains(name)
    }

    /// Claims `name`, or `name2`, `name3`, ... when taken. Returns the name claimed.
    pub fn claim(&mut self, name: &str) -> String {
        let mut candidate = name.to_owned();
        if self.taken.contains(&candidate) {
            let n = self.next_suffix.entry(name.to_owned()).or_insert(2);
            loop {
                candidate = format!("{name}{n}");
                *n += 1;
                if !self.taken.contains(&candidate) {
                    break;
                }
            }
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
    fn versions_keep_their_parts_apart() {
        assert_eq!(type_name("2.1"), "V2_1");
        assert_eq!(type_name("2.10"), "V2_10");
        assert_eq!(type_name("Unstable"), "Unstable");
        assert_eq!(type_name("2fa"), "V2fa");
    }

    #[test]
    fn union_variants_drop_the_words_they_share() {
        let names = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            shorter_variant_names(
                "Query",
                &names(&["SingleFilterSearchRequest", "MultipleFilterSearchRequest"])
            ),
            names(&["Single", "Multiple"])
        );
        assert_eq!(
            shorter_variant_names("Contact", &names(&["ContactEmail", "ContactId"])),
            names(&["Email", "Id"])
        );
        // Shortening would leave a name empty: the union's name in front goes instead.
        assert_eq!(
            shorter_variant_names("Reply", &names(&["ReplyNote", "ReplyNoteDraft"])),
            names(&["Note", "NoteDraft"])
        );
        // Nothing shared: kept.
        assert_eq!(
            shorter_variant_names("U", &names(&["String", "Integer"])),
            names(&["String", "Integer"])
        );
    }

    #[test]
    fn doubled_words_are_said_once() {
        assert_eq!(
            without_doubled_words("DeletedArticleObjectObject"),
            "DeletedArticleObject"
        );
        assert_eq!(without_doubled_words("TicketTicketState"), "TicketState");
        assert_eq!(without_doubled_words("ErrorErrorsItem"), "ErrorErrorsItem");
        assert_eq!(without_doubled_words("V2"), "V2");
    }

    #[test]
    fn collisions_are_resolved_in_claim_order() {
        let mut namer = Namer::default();
        assert_eq!(namer.claim("Contact"), "Contact");
        assert_eq!(namer.claim("Contact"), "Contact2");
        assert_eq!(namer.claim("Contact"), "Contact3");
        // A suffixed name claimed directly is skipped later.
        assert_eq!(namer.claim("Contact5"), "Contact5");
        assert_eq!(namer.claim("Contact"), "Contact4");
        assert_eq!(namer.claim("Contact"), "Contact6");
        let mut namer = Namer::default();
        for _ in 0..20_000 {
            namer.claim("Same");
        }
        assert_eq!(namer.claim("Same"), "Same20001");
    }
}
