//! Tolerant decoding of response models, and the record of what was tolerated.
//!
//! Every field of a generated model is read through [`Lenient`] (see [`super::object`]), which
//! looks at the JSON kind of the value (`deserialize_any`) and decodes it as the field's type when
//! the kind fits. Objects, arrays and maps are read as they are parsed, so nothing is buffered on
//! the happy path. A value of another kind becomes the field's absent value (`None`, or the type's
//! default for a required field), and a [`Drift`] is recorded; a number or a boolean where a
//! string is declared, and a numeric string where a number is declared, are converted (and
//! recorded too).
//!
//! Drift goes to a thread-local log that the runtime installs around one synchronous decode
//! ([`decode`]); decoding never awaits, so the log cannot leak into another task. The fast pass
//! only learns *that* something drifted. Only then a second pass, the same decode with path
//! tracking on, records each drift with its JSON path.
//!
//! Unions ([`union`]) buffer their value once, pick the variant by its shape alone (JSON kind,
//! required keys, constant and enum keys, the item kind of an array), and decode that one variant
//! from the buffer by reference: no clone and no trial decoding per variant, so nested unions
//! decode in time linear in the input.

use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

use serde::Deserialize as _;
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

/// A value in a response that did not have the type the API description declares, and what the
/// SDK made of it. Listed by `Response::drift()` and `Page::drift()`.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Drift {
    /// Where the value is, e.g. `conversations[3].team_assignee_id` (`.` for the whole body).
    pub path: String,
    /// What the description declares: `integer`, `string`, `object`, ..., or for a union
    /// `one of the shapes of TypeName`.
    pub expected: String,
    /// What came, e.g. `string "5017691"`, `object`, `boolean true` (long strings are cut).
    pub found: String,
    /// What the SDK did with it.
    pub outcome: DriftOutcome,
}

/// What the SDK did with a [`Drift`]ed value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum DriftOutcome {
    /// Converted to the declared type (a numeric string to a number, a number to its JSON text).
    Converted,
    /// Left out: the field has its absent value (`None` or the type's default), an array or map
    /// element is skipped.
    Dropped,
    /// Kept whole in the union's fallback variant (`Unknown`).
    KeptAsUnknown,
}

impl fmt::Display for Drift {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let outcome = match self.outcome {
            DriftOutcome::Converted => "converted",
            DriftOutcome::Dropped => "dropped",
            DriftOutcome::KeptAsUnknown => "kept as unknown",
        };
        write!(
            f,
            "`{}`: expected {}, found {} ({outcome})",
            self.path, self.expected, self.found
        )
    }
}

// ---------------------------------------------------------------------------------------------
// The log.

pub(super) enum Segment {
    Key(String),
    Index(usize),
}

struct Log {
    /// Whether decoding pushes path segments (second pass).
    track: bool,
    path: Vec<Segment>,
    entries: Vec<Drift>,
}

thread_local! {
    static LOG: RefCell<Option<Log>> = const { RefCell::new(None) };
}

/// Installs a fresh log for the duration of `f` (restoring any outer one) and returns what it
/// recorded. Not generic: one copy serves every model.
pub(super) fn with_log(track: bool, f: &mut dyn FnMut()) -> Vec<Drift> {
    struct Restore(Option<Log>);
    impl Drop for Restore {
        fn drop(&mut self) {
            let outer = self.0.take();
            LOG.with(|log| *log.borrow_mut() = outer);
        }
    }
    let fresh = Log {
        track,
        path: Vec::new(),
        entries: Vec::new(),
    };
    let outer = LOG.with(|log| log.borrow_mut().replace(fresh));
    let restore = Restore(outer);
    f();
    let entries = LOG.with(|log| {
        log.borrow_mut()
            .as_mut()
            .map(|l| std::mem::take(&mut l.entries))
            .unwrap_or_default()
    });
    drop(restore);
    entries
}

/// The path at which the log stands, rendered.
fn current_path() -> String {
    LOG.with(|log| log.borrow().as_ref().map(|l| render(&l.path)))
        .unwrap_or_else(|| ".".to_owned())
}

pub(super) fn tracking() -> bool {
    LOG.with(|log| log.borrow().as_ref().is_some_and(|l| l.track))
}

pub(super) fn push(segment: Segment) {
    LOG.with(|log| {
        if let Some(l) = log.borrow_mut().as_mut() {
            l.path.push(segment);
        }
    });
}

pub(super) fn pop() {
    LOG.with(|log| {
        if let Some(l) = log.borrow_mut().as_mut() {
            l.path.pop();
        }
    });
}

/// Where the log stands: entries recorded and path depth (see [`rollback`]).
fn mark() -> (usize, usize) {
    LOG.with(|log| {
        log.borrow()
            .as_ref()
            .map_or((0, 0), |l| (l.entries.len(), l.path.len()))
    })
}

/// Forgets the entries recorded since `to`, and the path segments a failed decode left behind.
fn rollback(to: (usize, usize)) {
    LOG.with(|log| {
        if let Some(l) = log.borrow_mut().as_mut() {
            l.entries.truncate(to.0);
            l.path.truncate(to.1);
        }
    });
}

fn render(path: &[Segment]) -> String {
    use fmt::Write;
    if path.is_empty() {
        return ".".to_owned();
    }
    let mut out = String::new();
    for segment in path {
        match segment {
            Segment::Key(key) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(key);
            }
            Segment::Index(i) => {
                let _ = write!(out, "[{i}]");
            }
        }
    }
    out
}

pub(super) fn record(expected: &str, found: Found<'_>, outcome: DriftOutcome) {
    let found = found.to_string();
    let logged = LOG.with(|log| match log.borrow_mut().as_mut() {
        Some(l) => {
            let path = if l.track {
                render(&l.path)
            } else {
                String::new()
            };
            l.entries.push(Drift {
                path,
                expected: expected.to_owned(),
                found: found.clone(),
                outcome,
            });
            true
        }
        None => false,
    });
    if !logged {
        // Decoded outside the SDK's calls (`serde_json::from_str` on a model): no path is known,
        // but the drift is still reported.
        tracing::warn!(
            target: "intercom_sdk::drift",
            expected,
            found = %found,
            ?outcome,
            "a value did not have the type the API description declares"
        );
    }
}

/// Parses `input` as one `T` (a body: nothing but whitespace may follow).
fn parse<T: de::DeserializeOwned>(input: &[u8]) -> Result<T, serde_json::Error> {
    let mut de = serde_json::Deserializer::from_slice(input);
    let value = T::deserialize(&mut de)?;
    de.end().map(|()| value)
}

/// Decodes `input` as `T`, tolerating drift, and lists the drift with JSON paths. A body that is
/// not JSON, or whose top level is not a `T`, is an error.
///
/// The first pass only learns *that* something drifted; only then is the body decoded a second
/// time, by the same code with path tracking on, so each drift is listed where it is. Paths are
/// tracked by the generated models' own decoding (objects, arrays and maps of them); a drift
/// inside a caller's own type is listed relative to the innermost model around it.
pub(crate) fn decode<T: de::DeserializeOwned>(
    input: &[u8],
) -> Result<(T, Vec<Drift>), serde_json::Error> {
    decode_by(parse::<T>, input)
}

/// [`decode`] with the parse of one pass given.
fn decode_by<T>(
    parse: fn(&[u8]) -> Result<T, serde_json::Error>,
    input: &[u8],
) -> Result<(T, Vec<Drift>), serde_json::Error> {
    let mut value = None;
    let drift = two_passes(&mut |first| {
        let decoded = parse(input)?;
        if first {
            value = Some(decoded);
        }
        Ok(())
    })?;
    value
        .map(|value| (value, drift))
        .ok_or_else(|| de::Error::custom("not decoded"))
}

/// The passes of [`decode`], not generic: `pass(first)` decodes the body once.
fn two_passes(
    pass: &mut dyn FnMut(bool) -> Result<(), serde_json::Error>,
) -> Result<Vec<Drift>, serde_json::Error> {
    let mut result = Ok(());
    let drift = with_log(false, &mut || result = pass(true));
    result?;
    if drift.is_empty() {
        return Ok(drift);
    }
    let tracked = with_log(true, &mut || drop(pass(false)));
    // The same decode again cannot disagree, but if it did the untracked list is kept.
    Ok(if tracked.len() == drift.len() {
        tracked
    } else {
        drift
    })
}

/// The JSON path at which decoding `input` as the generated model `T` fails (`.` for the top
/// level), for an input that [`decode`] rejected: the same decode again, tracking the path, which
/// a failure leaves where it happened.
pub(crate) fn model_error_path<T: de::DeserializeOwned>(input: &[u8]) -> String {
    parse_error_path(parse_only::<T>, input)
}

/// Parses `input` as one `T` and drops it: the only generic part of [`parses`] and
/// [`parse_error_path`], which take it as a function pointer.
pub(crate) fn parse_only<T: de::DeserializeOwned>(input: &[u8]) -> Result<(), serde_json::Error> {
    parse::<T>(input).map(drop)
}

/// A [`parse_only`].
pub(crate) type ParseOnly = fn(&[u8]) -> Result<(), serde_json::Error>;

/// Whether `input` decodes with `parse` (a [`parse_only`]) as a body is decoded: drift is
/// tolerated, and collected rather than logged.
#[cfg_attr(
    not(feature = "conformance"),
    allow(dead_code, reason = "the conformance checks' entry point")
)]
pub(crate) fn parses(parse: ParseOnly, input: &[u8]) -> Result<(), serde_json::Error> {
    let mut result = Ok(());
    with_log(false, &mut || result = parse(input));
    result
}

/// The JSON path at which `parse` (a [`parse_only`]) fails on `input` (`.` for the top level).
pub(crate) fn parse_error_path(parse: ParseOnly, input: &[u8]) -> String {
    failure_path(&mut || parse(input).is_err())
}

/// Where the log's path stands when `fails` (a tracked decode) reports a failure.
fn failure_path(fails: &mut dyn FnMut() -> bool) -> String {
    let mut path = None;
    with_log(true, &mut || {
        if fails() {
            path = Some(current_path());
        }
    });
    path.unwrap_or_else(|| ".".to_owned())
}

/// Parses `input` as one `T` through its tolerant decoding, so that the top level is read as a
/// field would be (a top-level array drops an element of the wrong kind); only a top level of
/// the wrong kind is an error.
fn parse_body<T: for<'de> Lenient<'de>>(input: &[u8]) -> Result<T, serde_json::Error> {
    let mut de = serde_json::Deserializer::from_slice(input);
    let value = T::lenient(&mut de)?;
    de.end()?;
    value.ok_or_else(|| {
        de::Error::custom(format_args!(
            "expected {} at the top level of the body",
            T::EXPECTED
        ))
    })
}

/// [`decode`] for a generated model (a `Call`'s body): tolerant at the top level too.
pub(crate) fn decode_body<T: for<'de> Lenient<'de>>(
    input: &[u8],
) -> Result<(T, Vec<Drift>), serde_json::Error> {
    decode_by(parse_body::<T>, input)
}

/// [`model_error_path`] for [`decode_body`].
pub(crate) fn body_error_path<T: for<'de> Lenient<'de>>(input: &[u8]) -> String {
    failure_path(&mut || parse_body::<T>(input).is_err())
}

/// The JSON path at which decoding `input` as any `T` fails, for a caller's own types (which do
/// not track their path): located by `serde_path_to_error`.
pub(crate) fn error_path<T: de::DeserializeOwned>(input: &[u8]) -> String {
    let mut de = serde_json::Deserializer::from_slice(input);
    match serde_path_to_error::deserialize::<_, T>(&mut de) {
        Err(e) => e.path().to_string(),
        Ok(_) => ".".to_owned(),
    }
}

// ---------------------------------------------------------------------------------------------
// What came.

pub(super) enum Found<'a> {
    Null,
    Bool(bool),
    Number(String),
    Str(&'a str),
    Array,
    Object,
}

impl fmt::Display for Found<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const MAX: usize = 64;
        match self {
            Found::Null => f.write_str("null"),
            Found::Bool(b) => write!(f, "boolean {b}"),
            Found::Number(n) => write!(f, "number {n}"),
            Found::Str(s) if s.len() > MAX => {
                let mut end = MAX;
                while !s.is_char_boundary(end) {
                    end -= 1;
                }
                write!(f, "string {:?}...", &s[..end])
            }
            Found::Str(s) => write!(f, "string {s:?}"),
            Found::Array => f.write_str("array"),
            Found::Object => f.write_str("object"),
        }
    }
}

fn drain_map<'de, A: MapAccess<'de>>(mut map: A) -> Result<(), A::Error> {
    while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
    Ok(())
}

pub(super) fn drain_seq<'de, A: SeqAccess<'de>>(mut seq: A) -> Result<(), A::Error> {
    while seq.next_element::<IgnoredAny>()?.is_some() {}
    Ok(())
}

/// Implements every `visit_*` of a tolerant visitor that is a mismatch for it.
macro_rules! mismatches {
    ($($kind:ident),*) => { $(mismatches!(@ $kind);)* };
    (@ bool) => {
        fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
            record(self.expected(), Found::Bool(v), DriftOutcome::Dropped);
            Ok(None)
        }
    };
    (@ numbers) => {
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
            record(self.expected(), Found::Number(v.to_string()), DriftOutcome::Dropped);
            Ok(None)
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
            record(self.expected(), Found::Number(v.to_string()), DriftOutcome::Dropped);
            Ok(None)
        }
        fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
            record(self.expected(), Found::Number(v.to_string()), DriftOutcome::Dropped);
            Ok(None)
        }
    };
    (@ str) => {
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
            record(self.expected(), Found::Str(v), DriftOutcome::Dropped);
            Ok(None)
        }
    };
    (@ seq) => {
        fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
            record(self.expected(), Found::Array, DriftOutcome::Dropped);
            drain_seq(seq).map(|()| None)
        }
    };
    (@ map) => {
        fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
            record(self.expected(), Found::Object, DriftOutcome::Dropped);
            drain_map(map).map(|()| None)
        }
    };
    (@ null) => {
        // `null` where a value is declared: absent, as a missing field would be (not drift).
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
    };
}

// ---------------------------------------------------------------------------------------------
// Tolerant decoding per declared type.

/// A type that decodes tolerantly: `Ok(None)` means the value had another JSON kind and a
/// [`Drift`] was recorded (or it was `null`). Errors remain for input that is not JSON.
pub(crate) trait Lenient<'de>: Sized {
    /// The declared kind, for drift reports.
    const EXPECTED: &'static str;

    fn lenient<D: Deserializer<'de>>(deserializer: D) -> Result<Option<Self>, D::Error>;

    /// The value of a `null` array or map element, for a nullable element type (`None`: a `null`
    /// element is drift).
    fn null() -> Option<Self> {
        None
    }
}

/// Strings and string enums: numbers and booleans are kept as their JSON text.
pub(crate) fn text<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: for<'a> From<&'a str> + From<String>,
{
    // One visitor for every string type (not generic), so one instantiation per deserializer.
    Ok(deserializer.deserialize_any(Text)?.map(|text| match text {
        Cow::Borrowed(s) => T::from(s),
        Cow::Owned(s) => T::from(s),
    }))
}

struct Text;

/// A number where a string is declared: kept as its JSON text, and recorded.
fn number_as_text(text: String) -> Cow<'static, str> {
    record(
        "string",
        Found::Number(text.clone()),
        DriftOutcome::Converted,
    );
    Cow::Owned(text)
}

impl<'de> Visitor<'de> for Text {
    type Value = Option<Cow<'de, str>>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }
    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Some(Cow::Borrowed(v)))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Some(Cow::Owned(v.to_owned())))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(Some(Cow::Owned(v)))
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        record("string", Found::Bool(v), DriftOutcome::Converted);
        Ok(Some(Cow::Borrowed(if v { "true" } else { "false" })))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Some(number_as_text(v.to_string())))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Some(number_as_text(v.to_string())))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        // The JSON text of the number, as serde_json prints it.
        let text = serde_json::Number::from_f64(v).map_or_else(|| v.to_string(), |n| n.to_string());
        Ok(Some(number_as_text(text)))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        record("string", Found::Array, DriftOutcome::Dropped);
        drain_seq(seq).map(|()| None)
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        record("string", Found::Object, DriftOutcome::Dropped);
        drain_map(map).map(|()| None)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
}

impl<'de> Lenient<'de> for String {
    const EXPECTED: &'static str = "string";
    fn lenient<D: Deserializer<'de>>(deserializer: D) -> Result<Option<Self>, D::Error> {
        text(deserializer)
    }
}

struct Integer;

impl<'de> Visitor<'de> for Integer {
    type Value = Option<i64>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an integer")
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Some(v))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        let converted = i64::try_from(v).ok();
        if converted.is_none() {
            record(
                "integer",
                Found::Number(v.to_string()),
                DriftOutcome::Dropped,
            );
        }
        Ok(converted)
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        // `1.0` is an integer written as a float; `1.5` is not.
        let whole = v.fract() == 0.0 && v >= -(2f64.powi(63)) && v < 2f64.powi(63);
        let outcome = if whole {
            DriftOutcome::Converted
        } else {
            DriftOutcome::Dropped
        };
        record("integer", Found::Number(v.to_string()), outcome);
        Ok(whole.then_some(v as i64))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        let parsed = v.trim().parse::<i64>().ok();
        let outcome = match parsed {
            Some(_) => DriftOutcome::Converted,
            None => DriftOutcome::Dropped,
        };
        record("integer", Found::Str(v), outcome);
        Ok(parsed)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        record("integer", Found::Array, DriftOutcome::Dropped);
        drain_seq(seq).map(|()| None)
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        record("integer", Found::Object, DriftOutcome::Dropped);
        drain_map(map).map(|()| None)
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        record("integer", Found::Bool(v), DriftOutcome::Dropped);
        Ok(None)
    }
    mismatches!(null);
}

impl<'de> Lenient<'de> for i64 {
    const EXPECTED: &'static str = "integer";
    fn lenient<D: Deserializer<'de>>(deserializer: D) -> Result<Option<Self>, D::Error> {
        deserializer.deserialize_any(Integer)
    }
}

struct Number;

impl<'de> Visitor<'de> for Number {
    type Value = Option<f64>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a number")
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Some(v as f64))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Some(v as f64))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        Ok(Some(v))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        let parsed = v.trim().parse::<f64>().ok().filter(|n| n.is_finite());
        let outcome = match parsed {
            Some(_) => DriftOutcome::Converted,
            None => DriftOutcome::Dropped,
        };
        record("number", Found::Str(v), outcome);
        Ok(parsed)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        record("number", Found::Array, DriftOutcome::Dropped);
        drain_seq(seq).map(|()| None)
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        record("number", Found::Object, DriftOutcome::Dropped);
        drain_map(map).map(|()| None)
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        record("number", Found::Bool(v), DriftOutcome::Dropped);
        Ok(None)
    }
    mismatches!(null);
}

impl<'de> Lenient<'de> for f64 {
    const EXPECTED: &'static str = "number";
    fn lenient<D: Deserializer<'de>>(deserializer: D) -> Result<Option<Self>, D::Error> {
        deserializer.deserialize_any(Number)
    }
}

struct Boolean;

impl Boolean {
    fn expected(&self) -> &'static str {
        "boolean"
    }
}

impl<'de> Visitor<'de> for Boolean {
    type Value = Option<bool>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a boolean")
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        Ok(Some(v))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        let parsed = match v {
            "true" => Some(true),
            "false" => Some(false),
            _ => None,
        };
        let outcome = match parsed {
            Some(_) => DriftOutcome::Converted,
            None => DriftOutcome::Dropped,
        };
        record("boolean", Found::Str(v), outcome);
        Ok(parsed)
    }
    mismatches!(numbers, seq, map, null);
}

impl<'de> Lenient<'de> for bool {
    const EXPECTED: &'static str = "boolean";
    fn lenient<D: Deserializer<'de>>(deserializer: D) -> Result<Option<Self>, D::Error> {
        deserializer.deserialize_any(Boolean)
    }
}

impl<'de> Lenient<'de> for Value {
    const EXPECTED: &'static str = "any value";
    /// `null` is a value like any other (an element of a free-form map is kept, not dropped).
    fn null() -> Option<Self> {
        Some(Value::Null)
    }
    fn lenient<D: Deserializer<'de>>(deserializer: D) -> Result<Option<Self>, D::Error> {
        de::Deserialize::deserialize(deserializer).map(Some)
    }
}

impl<'de, T: Lenient<'de>> Lenient<'de> for Option<T> {
    const EXPECTED: &'static str = T::EXPECTED;
    fn null() -> Option<Self> {
        Some(None)
    }
    fn lenient<D: Deserializer<'de>>(deserializer: D) -> Result<Option<Self>, D::Error> {
        struct Nullable<T>(PhantomData<T>);
        impl<'de, T: Lenient<'de>> Visitor<'de> for Nullable<T> {
            type Value = Option<Option<T>>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a value or null")
            }
            fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(Some(None))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(Some(None))
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
                T::lenient(d).map(|v| v.map(Some))
            }
        }
        deserializer.deserialize_option(Nullable(PhantomData))
    }
}

/// An array or map element: `null` where the element is not nullable is skipped and recorded.
/// An array or map element: `null` is a value only for a nullable element type.
pub(super) struct Element<T>(PhantomData<T>);

impl<T> Element<T> {
    pub(super) fn new() -> Self {
        Element(PhantomData)
    }
}

impl<'de, T: Lenient<'de>> DeserializeSeed<'de> for Element<T> {
    type Value = Option<T>;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Option<T>, D::Error> {
        deserializer.deserialize_option(self)
    }
}

impl<'de, T: Lenient<'de>> Visitor<'de> for Element<T> {
    type Value = Option<T>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an element")
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        let value = T::null();
        if value.is_none() {
            record(T::EXPECTED, Found::Null, DriftOutcome::Dropped);
        }
        Ok(value)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        self.visit_none()
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        T::lenient(d)
    }
}

impl<'de, T: Lenient<'de>> Lenient<'de> for Vec<T> {
    const EXPECTED: &'static str = "array";
    fn lenient<D: Deserializer<'de>>(deserializer: D) -> Result<Option<Self>, D::Error> {
        struct Array<T>(PhantomData<T>);
        impl<T> Array<T> {
            fn expected(&self) -> &'static str {
                "array"
            }
        }
        impl<'de, T: Lenient<'de>> Visitor<'de> for Array<T> {
            type Value = Option<Vec<T>>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an array")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let track = tracking();
                let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
                for index in 0.. {
                    if track {
                        push(Segment::Index(index));
                    }
                    // On error the segment stays, so the path names where decoding failed.
                    let Some(item) = seq.next_element_seed(Element::<T>::new())? else {
                        if track {
                            pop();
                        }
                        break;
                    };
                    if track {
                        pop();
                    }
                    out.extend(item);
                }
                Ok(Some(out))
            }
            mismatches!(bool, numbers, str, map, null);
        }
        deserializer.deserialize_any(Array(PhantomData))
    }
}

impl<'de, T: Lenient<'de>> Lenient<'de> for BTreeMap<String, T> {
    const EXPECTED: &'static str = "object";
    fn lenient<D: Deserializer<'de>>(deserializer: D) -> Result<Option<Self>, D::Error> {
        struct Map<T>(PhantomData<T>);
        impl<T> Map<T> {
            fn expected(&self) -> &'static str {
                "object"
            }
        }
        impl<'de, T: Lenient<'de>> Visitor<'de> for Map<T> {
            type Value = Option<BTreeMap<String, T>>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let track = tracking();
                let mut out = BTreeMap::new();
                while let Some(key) = map.next_key::<String>()? {
                    if track {
                        push(Segment::Key(key.clone()));
                    }
                    // On error the segment stays, so the path names where decoding failed.
                    let value = map.next_value_seed(Element::<T>::new())?;
                    if track {
                        pop();
                    }
                    if let Some(value) = value {
                        out.insert(key, value);
                    }
                }
                Ok(Some(out))
            }
            mismatches!(bool, numbers, str, seq, null);
        }
        deserializer.deserialize_any(Map(PhantomData))
    }
}

/// A generated union: decoded by its `Deserialize`, which never fails on a value it does not know.
#[allow(
    unused_macros,
    reason = "used by generated unions, which a build with only some resources may not have"
)]
macro_rules! lenient_union {
    ($name:ty) => {
        impl<'de> $crate::codec::Lenient<'de> for $name {
            const EXPECTED: &'static str = "any value";
            fn lenient<D: serde::Deserializer<'de>>(
                deserializer: D,
            ) -> Result<Option<Self>, D::Error> {
                <$name as serde::Deserialize>::deserialize(deserializer).map(Some)
            }
        }
    };
}
pub(crate) use lenient_union;

// ---------------------------------------------------------------------------------------------
// Unions.

/// What a union variant's values look like (generated from the IR's shapes).
#[derive(Clone, Copy, Debug)]
pub(crate) enum Shape {
    /// An object with these keys, these keys equal to these strings, and (first pass only) these
    /// keys, where present as strings, holding one of their declared values.
    Object {
        required: &'static [&'static str],
        consts: &'static [(&'static str, &'static str)],
        enums: &'static [(&'static str, &'static [&'static str])],
    },
    String,
    Integer,
    Number,
    Boolean,
    /// An array whose items all have this shape.
    Array(&'static Shape),
    Any,
}

impl Shape {
    fn matches(self, value: &Value, known_values: bool) -> bool {
        match self {
            Shape::Object {
                required,
                consts,
                enums,
            } => {
                let Some(object) = value.as_object() else {
                    return false;
                };
                required.iter().all(|key| object.contains_key(*key))
                    && consts.iter().all(|(key, expected)| {
                        object.get(*key).and_then(Value::as_str) == Some(*expected)
                    })
                    && (!known_values
                        || enums.iter().all(|(key, allowed)| match object.get(*key) {
                            Some(Value::String(s)) => allowed.contains(&s.as_str()),
                            _ => true,
                        }))
            }
            Shape::String => value.is_string(),
            Shape::Integer => value.is_i64() || value.is_u64(),
            Shape::Number => value.is_number(),
            Shape::Boolean => value.is_boolean(),
            Shape::Array(items) => value
                .as_array()
                .is_some_and(|a| a.iter().all(|item| items.matches(item, known_values))),
            Shape::Any => true,
        }
    }

    fn has_enums(self) -> bool {
        matches!(self, Shape::Object { enums, .. } if !enums.is_empty())
    }
}

/// One variant of a generated union: its shape, and how to decode it from the buffered value.
pub(crate) type Variant<U> = (Shape, fn(&Value) -> Option<U>);

/// Decodes one variant of a union from its buffered value (`None`, with nothing recorded, if it
/// does not fit after all).
pub(crate) fn variant<T: for<'de> Lenient<'de>>(value: &Value) -> Option<T> {
    #[cfg(test)]
    tests::ATTEMPTS.with(|n| n.set(n.get() + 1));
    let mark = mark();
    match T::lenient(value) {
        Ok(Some(inner)) => Some(inner),
        _ => {
            rollback(mark);
            None
        }
    }
}

/// Decodes a union: buffers the value once, then decodes the first variant whose shape fits,
/// first among variants whose enum keys hold declared values, then among any (so a value newer
/// than the SDK still decodes). A value no variant fits is kept whole in `fallback`, and recorded.
pub(crate) fn union<'de, D, U>(
    deserializer: D,
    name: &'static str,
    variants: &[Variant<U>],
    fallback: fn(Value) -> U,
) -> Result<U, D::Error>
where
    D: Deserializer<'de>,
{
    let value = Value::deserialize(deserializer)?;
    let strict = variants.iter().map(|v| (v, true));
    let lenient = variants
        .iter()
        .filter(|(shape, _)| shape.has_enums())
        .map(|v| (v, false));
    for ((shape, decode), known_values) in strict.chain(lenient) {
        if !shape.matches(&value, known_values) {
            continue;
        }
        if let Some(found) = decode(&value) {
            return Ok(found);
        }
    }
    let found = match &value {
        Value::Null => Found::Null,
        Value::Bool(b) => Found::Bool(*b),
        Value::Number(n) => Found::Number(n.to_string()),
        Value::String(s) => Found::Str(s),
        Value::Array(_) => Found::Array,
        Value::Object(_) => Found::Object,
    };
    record(
        &format!("one of the shapes of {name}"),
        found,
        DriftOutcome::KeptAsUnknown,
    );
    Ok(fallback(value))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::models::{
        ActionComponent, ButtonComponent, Contact, SearchRequestQuery,
        SingleFilterSearchRequestValue,
    };
    use std::cell::Cell;
    use std::time::Instant;

    thread_local! {
        /// Union variants decoded on this thread (each union decodes one, unless it does not fit).
        pub(crate) static ATTEMPTS: Cell<usize> = const { Cell::new(0) };
    }

    fn paths(drift: &[Drift]) -> Vec<(&str, &str, DriftOutcome)> {
        drift
            .iter()
            .map(|d| (d.path.as_str(), d.expected.as_str(), d.outcome))
            .collect()
    }

    #[test]
    fn kinds_are_converted_or_dropped_and_recorded_with_their_path() {
        let body = br#"{"id": 7, "role": "user", "created_at": "1719492777", "updated_at": 1.0,
            "has_hard_bounced": "true", "avatar": "https://x/a.png", "tags": {"data": [null, {"id": 5}]},
            "location": [], "email": null, "owner_id": 9.5}"#;
        let (contact, drift) = decode::<Contact>(body).expect("decodes");
        assert_eq!(contact.id, "7");
        assert_eq!((contact.created_at, contact.updated_at), (1719492777, 1));
        assert!(contact.has_hard_bounced);
        assert_eq!(
            (contact.avatar, contact.owner_id, contact.email),
            (None, None, None)
        );
        let tags = contact.tags.expect("tags").data;
        assert_eq!(tags.len(), 1);
        assert_eq!(tags[0].id, "5");
        let mut found = paths(&drift);
        found.sort_by_key(|(path, _, _)| *path);
        assert_eq!(
            found,
            [
                ("avatar", "object", DriftOutcome::Dropped),
                ("created_at", "integer", DriftOutcome::Converted),
                ("has_hard_bounced", "boolean", DriftOutcome::Converted),
                ("id", "string", DriftOutcome::Converted),
                ("location", "object", DriftOutcome::Dropped),
                ("owner_id", "integer", DriftOutcome::Dropped),
                ("tags.data[0]", "object", DriftOutcome::Dropped),
                ("tags.data[1].id", "string", DriftOutcome::Converted),
                ("updated_at", "integer", DriftOutcome::Converted),
            ]
        );
    }

    #[test]
    fn a_body_without_drift_is_decoded_once_and_lists_nothing() {
        let (contact, drift) =
            decode::<Contact>(br#"{"id": "1", "role": "user"}"#).expect("decodes");
        assert_eq!(contact.role, "user");
        assert!(drift.is_empty());
        assert!(
            decode::<Contact>(b"[1, 2]").is_err(),
            "a struct is an object"
        );
        assert!(decode::<Contact>(b"{").is_err());
    }

    /// A model-like struct, as the generator writes one (see `codec::object`).
    macro_rules! holder {
        ($name:ident { $($index:literal => $field:ident: $ty:ty),* $(,)? }) => {
            #[derive(Debug, Default)]
            struct $name {
                $($field: $ty,)*
            }
            impl crate::codec::Object for $name {
                const FIELDS: &'static [&'static str] = &[$(stringify!($field)),*];
                fn field(key: &str) -> Option<usize> {
                    Self::FIELDS.iter().position(|f| *f == key)
                }
                fn read<'de, A: MapAccess<'de>>(
                    &mut self,
                    field: usize,
                    map: &mut A,
                ) -> Result<(), A::Error> {
                    match field {
                        $($index => crate::codec::required(map, &mut self.$field),)*
                        _ => crate::codec::object::skip(map),
                    }
                }
            }
            impl<'de> serde::Deserialize<'de> for $name {
                fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                    crate::codec::object::deserialize(d)
                }
            }
        };
    }

    #[test]
    fn null_elements_are_values_only_where_nullable() {
        holder!(Holder { 0 => nullable: Vec<Option<i64>>, 1 => plain: Vec<i64> });
        let body = br#"{"nullable": [1, null, "2"], "plain": [1, null]}"#;
        let (holder, drift) = decode::<Holder>(body).expect("decodes");
        assert_eq!(holder.nullable, [Some(1), None, Some(2)]);
        assert_eq!(holder.plain, [1]);
        assert_eq!(
            paths(&drift),
            [
                ("nullable[2]", "integer", DriftOutcome::Converted),
                ("plain[1]", "integer", DriftOutcome::Dropped)
            ]
        );
    }

    #[test]
    fn null_in_a_free_form_map_is_kept() {
        holder!(Holder { 0 => attributes: BTreeMap<String, Value> });
        let (holder, drift) =
            decode::<Holder>(br#"{"attributes": {"a": null, "b": 1}}"#).expect("decodes");
        assert_eq!(holder.attributes.get("a"), Some(&Value::Null));
        assert_eq!(holder.attributes.len(), 2);
        assert!(drift.is_empty());
    }

    #[test]
    fn an_error_is_located_by_its_json_path() {
        #[derive(Debug, serde::Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Strict {
            n: i64,
        }
        #[derive(Debug, serde::Deserialize)]
        struct Outer {
            items: Vec<BTreeMap<String, Strict>>,
        }
        let (outer, _) = decode::<Outer>(br#"{"items": [{"a": {"n": 1}}]}"#).expect("decodes");
        // A caller's own types are located by `serde_path_to_error`.
        assert_eq!(outer.items[0]["a"].n, 1);
        // A value error deep inside (strict user types decoded through `Response::json`).
        let body = br#"{"items": [{"a": {"n": 1}}, {"b": {"n": 1, "x": 2}}]}"#;
        assert!(decode::<Outer>(body).is_err());
        assert_eq!(error_path::<Outer>(body), "items[1].b.x");
        // A syntax error: the path where the text stops being JSON.
        let body = br#"{"items": [{"a": {"n": 1,"#;
        assert_eq!(error_path::<Outer>(body), "items[0].a.?");
        // A model tracks its own path: where a truncated body stops, inside arrays and maps too.
        let body = br#"{"id": "1", "tags": {"data": [{"id": "5"}, {"id": 5,"#;
        assert!(decode::<Contact>(body).is_err());
        assert_eq!(model_error_path::<Contact>(body), "tags.data[1]");
        let body = br#"{"custom_attributes": {"plan": [1, {"#;
        assert_eq!(model_error_path::<Contact>(body), "custom_attributes.plan");
        // The top level, and trailing characters.
        assert_eq!(model_error_path::<Contact>(b"[1, 2]"), ".");
        assert_eq!(model_error_path::<Contact>(br#"{"id": "1"} x"#), ".");
        assert_eq!(error_path::<Outer>(br#"{"items": []} x"#), ".");
        // A union variant that failed and was rolled back leaves no path behind.
        let (actions, _) =
            decode::<Vec<ActionComponent>>(br#"[{"type": "url", "url": "u"}]"#).expect("decodes");
        assert_eq!(actions.len(), 1);
    }

    #[test]
    fn a_union_fallback_is_reported() {
        let (button, drift) = decode::<ButtonComponent>(
            br#"{"type": "button", "id": "b", "label": "Go", "action": {"type": "teleport"}}"#,
        )
        .expect("decodes");
        assert!(matches!(button.action, Some(ActionComponent::Unknown(_))));
        assert_eq!(
            paths(&drift),
            [(
                "action",
                "one of the shapes of ActionComponent",
                DriftOutcome::KeptAsUnknown
            )]
        );
        // Drift inside the variant a union picked is listed at its path too.
        let (button, drift) = decode::<ButtonComponent>(
            br#"{"type": "button", "id": "b", "label": "Go", "action": {"type": "url", "url": 5}}"#,
        )
        .expect("decodes");
        let Some(ActionComponent::Url(url)) = button.action else {
            panic!("the url variant: {button:?}");
        };
        assert_eq!(url.url, "5");
        assert_eq!(
            paths(&drift),
            [("action.url", "string", DriftOutcome::Converted)]
        );
    }

    #[test]
    fn array_variants_are_told_apart_by_their_items() {
        let decode = |v: &str| serde_json::from_str::<SingleFilterSearchRequestValue>(v).ok();
        assert!(matches!(
            decode("[1, 2]"),
            Some(SingleFilterSearchRequestValue::IntegerList(_))
        ));
        assert!(matches!(
            decode(r#"["a"]"#),
            Some(SingleFilterSearchRequestValue::StringList(_))
        ));
        assert!(matches!(
            decode("7"),
            Some(SingleFilterSearchRequestValue::Integer(7))
        ));
    }

    /// `{"operator": "AND", "value": [<levels - 1 deep>]}` around one filter.
    fn nested_query(levels: usize) -> String {
        let mut query = r#"{"field": "name", "operator": "=", "value": "Ada"}"#.to_owned();
        for _ in 0..levels {
            query = format!(r#"{{"value": [{query}], "operator": "AND"}}"#);
        }
        query
    }

    #[test]
    fn nested_unions_decode_one_variant_per_level() {
        const LEVELS: usize = 30;
        let body = nested_query(LEVELS);
        ATTEMPTS.with(|n| n.set(0));
        let started = Instant::now();
        let (query, drift) = decode::<SearchRequestQuery>(body.as_bytes()).expect("decodes");
        let elapsed = started.elapsed();
        let attempts = ATTEMPTS.with(Cell::get);
        // One variant per level, the single filter, and its string value: linear, not 2^30.
        assert_eq!(attempts, LEVELS + 2);
        assert!(drift.is_empty());
        assert!(matches!(query, SearchRequestQuery::Multiple(_)));
        // Every level decoded into the right variant: the query serializes back to its input.
        let input: Value = serde_json::from_str(&body).expect("JSON");
        assert_eq!(serde_json::to_value(&query).expect("serializes"), input);
        let preserve_order = serde_json::from_str::<Value>(r#"{"b": 1, "a": 2}"#)
            .ok()
            .and_then(|v| v.as_object().and_then(|m| m.keys().next().cloned()))
            .is_some_and(|first| first == "b");
        eprintln!(
            "{LEVELS}-level nested query ({} bytes, preserve_order: {preserve_order}): {elapsed:?}",
            body.len()
        );
    }
}
