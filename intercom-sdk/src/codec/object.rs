//! Decoding of generated structs from a table of their fields.
//!
//! A generated struct implements [`Object`]: its wire names in declaration order, and a `read`
//! that decodes the value of field `i` into itself ([`optional`] or [`required`], both tolerant;
//! see [`super::drift`]). One loop here ([`ObjectVisitor`]) walks the JSON object, looks each key
//! up in the table and hands the value on. A struct starts from its `Default` (every field of a
//! response model may be missing), unknown keys are skipped (or kept, for a struct with
//! `additionalProperties`), and a duplicated key's last value wins.
//!
//! Serde's derive would give every field its own wrapper type and visitor, monomorphised per
//! deserializer; here the generic code per struct is the loop and a `match` of calls shared by
//! every field of the same type, which keeps the crate's build time and size down. The loop is
//! also where the JSON path of a drift is tracked: the second, path-tracking pass over a body
//! that drifted runs this same code (see [`super::drift::decode`]).

use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use super::drift::{self, DriftOutcome, Found, Lenient, Segment};

/// A generated struct, decoded field by field from a JSON object.
pub(crate) trait Object: Default {
    /// The wire name of each field, in the order `read` numbers them.
    const FIELDS: &'static [&'static str];

    /// The index in [`Self::FIELDS`] of the field with this wire name: a `match`, which rustc
    /// compiles to a test of the length and then of the few names that have it, as serde's
    /// derive does (a scan of `FIELDS` compared many names of the same length per key). Not
    /// generic, so compiled once per struct.
    fn field(key: &str) -> Option<usize>;

    /// Whether keys beyond [`Self::FIELDS`] are kept (see [`Self::other`]) rather than skipped.
    const OTHER: bool = false;

    /// Decodes the value of field `field` (an index into [`Self::FIELDS`]) into `self`.
    fn read<'de, A: MapAccess<'de>>(&mut self, field: usize, map: &mut A) -> Result<(), A::Error>;

    /// Decodes the value of a key that is not a declared field (only called when
    /// [`Self::OTHER`]).
    fn other<'de, A: MapAccess<'de>>(&mut self, _key: String, map: &mut A) -> Result<(), A::Error> {
        skip(map)
    }
}

/// A generated request type, decoded from a JSON object (a request read back from JSON: a spec
/// example, the search builder's output, a caller's own data). Unlike a response model it is
/// strict (see [`input`]), and it is read into a [`Self::Draft`] of optional fields first, so a
/// required input needs no default value to start from.
pub(crate) trait Input: Sized {
    /// The wire name of each input, in the order `read` numbers them.
    const FIELDS: &'static [&'static str];

    /// Every input as an `Option` (or as its own `Option` where the input is optional): all
    /// unset by `Default`.
    type Draft: Default;

    /// The index in [`Self::FIELDS`] of the input with this wire name.
    fn field(key: &str) -> Option<usize>;

    /// Decodes the value of input `field` into the draft.
    fn read<'de, A: MapAccess<'de>>(
        draft: &mut Self::Draft,
        field: usize,
        map: &mut A,
    ) -> Result<(), A::Error>;

    /// The request from its draft, or the wire name of a required input that is missing.
    fn finish(draft: Self::Draft) -> Result<Self, &'static str>;
}

/// An optional field: absent or `null` is `None`; a value of another JSON kind is `None` and
/// recorded as drift.
pub(crate) fn optional<'de, A, T>(map: &mut A, slot: &mut Option<T>) -> Result<(), A::Error>
where
    A: MapAccess<'de>,
    T: Lenient<'de>,
{
    *slot = map.next_value_seed(Tolerant::<T>(PhantomData))?;
    Ok(())
}

/// A required field: `null` or a value of another JSON kind is the type's default (a mismatch
/// recorded as drift); a missing one keeps the default the struct started from.
pub(crate) fn required<'de, A, T>(map: &mut A, slot: &mut T) -> Result<(), A::Error>
where
    A: MapAccess<'de>,
    T: Lenient<'de> + Default,
{
    *slot = map
        .next_value_seed(Tolerant::<T>(PhantomData))?
        .unwrap_or_default();
    Ok(())
}

/// An optional field of a recursive type, boxed.
#[allow(
    dead_code,
    reason = "generated for recursive fields and `additionalProperties`, which 2.11 does not have"
)]
pub(crate) fn optional_boxed<'de, A, T>(
    map: &mut A,
    slot: &mut Option<Box<T>>,
) -> Result<(), A::Error>
where
    A: MapAccess<'de>,
    T: Lenient<'de>,
{
    *slot = map
        .next_value_seed(Tolerant::<T>(PhantomData))?
        .map(Box::new);
    Ok(())
}

/// The value of a key beyond the declared fields, kept in `additional_properties` (a value of the
/// wrong type is left out and recorded).
#[allow(
    dead_code,
    reason = "generated for recursive fields and `additionalProperties`, which 2.11 does not have"
)]
pub(crate) fn insert<'de, A, T>(
    map: &mut A,
    key: String,
    slot: &mut BTreeMap<String, T>,
) -> Result<(), A::Error>
where
    A: MapAccess<'de>,
    T: Lenient<'de>,
{
    if let Some(value) = map.next_value_seed(drift::Element::<T>::new())? {
        slot.insert(key, value);
    }
    Ok(())
}

/// A struct's constant property (`"type": "contact"`): not a field, so a value other than the
/// declared one is recorded as drift (and dropped).
pub(crate) fn constant<'de, A: MapAccess<'de>>(
    map: &mut A,
    value: &'static str,
) -> Result<(), A::Error> {
    let found: Option<String> = map.next_value_seed(Tolerant::<String>(PhantomData))?;
    if let Some(found) = found.filter(|found| found != value) {
        drift::record(
            &format!("string {value:?}"),
            Found::Str(&found),
            DriftOutcome::Dropped,
        );
    }
    Ok(())
}

/// Skips a value.
pub(crate) fn skip<'de, A: MapAccess<'de>>(map: &mut A) -> Result<(), A::Error> {
    map.next_value::<IgnoredAny>().map(drop)
}

/// `Deserialize` of a generated struct: a JSON object, else an error.
pub(crate) fn deserialize<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Object,
{
    // The same visitor as the tolerant path (one instantiation per struct and deserializer);
    // strict, it never yields `None`.
    deserializer
        .deserialize_any(ObjectVisitor::<T>::new(true))?
        .ok_or_else(|| de::Error::custom("expected an object"))
}

/// `Deserialize` of a generated request type. The value must be a JSON object; a value of
/// another type than declared is an error naming its JSON path (where a response model would
/// record drift and go on), as is a missing required input; keys that are not inputs are ignored.
pub(crate) fn input<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Input,
{
    let mut deserializer = Some(deserializer);
    let mut decoded = None;
    // The fields decode as a model's do, into a log of their own: any drift fails the input.
    let drift = drift::with_log(true, &mut || {
        if let Some(deserializer) = deserializer.take() {
            decoded = Some(deserializer.deserialize_map(InputVisitor::<T>(PhantomData)));
        }
    });
    let draft = decoded.ok_or_else(|| de::Error::custom("not decoded"))??;
    if let Some(first) = drift.first() {
        return Err(de::Error::custom(format_args!(
            "`{}`: expected {}, found {}",
            first.path, first.expected, first.found
        )));
    }
    T::finish(draft).map_err(de::Error::missing_field)
}

/// `Deserialize` for a generated type through one of this module's entry points:
/// `impl_deserialize!(Contact, deserialize)` for a model, `impl_deserialize!(SearchRequest, input)`
/// for a request type.
#[allow(
    unused_macros,
    reason = "used by generated types, which a build with only some resources may not have"
)]
macro_rules! impl_deserialize {
    ($name:ty, $via:ident) => {
        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                $crate::codec::object::$via(deserializer)
            }
        }
    };
}
#[allow(
    unused_imports,
    reason = "used by generated types, which a build with only some resources may not have"
)]
pub(crate) use impl_deserialize;

impl<'de, T: Object> Lenient<'de> for T {
    const EXPECTED: &'static str = "object";

    fn lenient<D: Deserializer<'de>>(deserializer: D) -> Result<Option<Self>, D::Error> {
        deserializer.deserialize_any(ObjectVisitor::<T>::new(false))
    }
}

struct Tolerant<T>(PhantomData<T>);

impl<'de, T: Lenient<'de>> DeserializeSeed<'de> for Tolerant<T> {
    type Value = Option<T>;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Option<T>, D::Error> {
        T::lenient(deserializer)
    }
}

/// A key of the object being read.
enum Key {
    /// The declared field at this index.
    Field(usize),
    /// Another key, kept ([`Object::OTHER`]).
    Other(String),
    /// Another key, skipped.
    Skip,
}

/// Looks a key up with the struct's [`Object::field`].
struct KeySeed {
    field: fn(&str) -> Option<usize>,
    other: bool,
}

impl KeySeed {
    fn find(&self, key: &str) -> Key {
        if let Some(i) = (self.field)(key) {
            return Key::Field(i);
        }
        if self.other {
            Key::Other(key.to_owned())
        } else {
            Key::Skip
        }
    }
}

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = Key;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Key, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeySeed {
    type Value = Key;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field name")
    }
    fn visit_str<E: de::Error>(self, key: &str) -> Result<Key, E> {
        Ok(self.find(key))
    }
}

/// Walks the keys of an object: each goes to `on_key` with the map at its value (a declared
/// field's index, or another key kept), except keys to skip. While the log tracks the JSON path,
/// the key is on it; on an error it stays, so the path names where decoding failed.
fn walk<'de, A: MapAccess<'de>>(
    map: &mut A,
    fields: &'static [&'static str],
    field: fn(&str) -> Option<usize>,
    other: bool,
    on_key: &mut impl FnMut(Key, &mut A) -> Result<(), A::Error>,
) -> Result<(), A::Error> {
    let track = drift::tracking();
    while let Some(key) = map.next_key_seed(KeySeed { field, other })? {
        let segment = match &key {
            Key::Skip => {
                skip(map)?;
                continue;
            }
            _ if !track => None,
            Key::Field(i) => Some(fields.get(*i).copied().unwrap_or_default().to_owned()),
            Key::Other(key) => Some(key.clone()),
        };
        let tracked = segment.is_some();
        if let Some(segment) = segment {
            drift::push(Segment::Key(segment));
        }
        on_key(key, map)?;
        if tracked {
            drift::pop();
        }
    }
    Ok(())
}

/// Reads a request type's object into its draft.
struct InputVisitor<T>(PhantomData<T>);

impl<'de, T: Input> Visitor<'de> for InputVisitor<T> {
    type Value = T::Draft;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<T::Draft, A::Error> {
        let mut draft = T::Draft::default();
        walk(
            &mut map,
            T::FIELDS,
            T::field,
            false,
            &mut |key, map| match key {
                Key::Field(i) => T::read(&mut draft, i, map),
                Key::Other(_) | Key::Skip => skip(map),
            },
        )?;
        Ok(draft)
    }
}

struct ObjectVisitor<T> {
    /// A non-object is an error (the top level of a body), not drift (a field's value).
    strict: bool,
    _type: PhantomData<T>,
}

impl<T> ObjectVisitor<T> {
    fn new(strict: bool) -> Self {
        ObjectVisitor {
            strict,
            _type: PhantomData,
        }
    }
}

/// A value that is not an object: an error when strict, else recorded as drift and absent.
fn mismatch<E: de::Error>(
    strict: bool,
    found: Found<'_>,
    unexpected: de::Unexpected<'_>,
) -> Result<(), E> {
    if strict {
        return Err(E::invalid_type(unexpected, &"an object"));
    }
    if !matches!(found, Found::Null) {
        drift::record("object", found, DriftOutcome::Dropped);
    }
    Ok(())
}

impl<'de, T: Object> Visitor<'de> for ObjectVisitor<T> {
    type Value = Option<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut out = T::default();
        walk(
            &mut map,
            T::FIELDS,
            T::field,
            T::OTHER,
            &mut |key, map| match key {
                Key::Field(i) => out.read(i, map),
                Key::Other(key) => out.other(key, map),
                Key::Skip => skip(map),
            },
        )?;
        Ok(Some(out))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        mismatch(self.strict, Found::Array, de::Unexpected::Seq)?;
        drift::drain_seq(seq).map(|()| None)
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        mismatch(self.strict, Found::Bool(v), de::Unexpected::Bool(v)).map(|()| None)
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        mismatch(
            self.strict,
            Found::Number(v.to_string()),
            de::Unexpected::Signed(v),
        )
        .map(|()| None)
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        mismatch(
            self.strict,
            Found::Number(v.to_string()),
            de::Unexpected::Unsigned(v),
        )
        .map(|()| None)
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        mismatch(
            self.strict,
            Found::Number(v.to_string()),
            de::Unexpected::Float(v),
        )
        .map(|()| None)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        mismatch(self.strict, Found::Str(v), de::Unexpected::Str(v)).map(|()| None)
    }

    // `null` where an object is declared: absent, as a missing field would be (not drift).
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        mismatch(self.strict, Found::Null, de::Unexpected::Unit).map(|()| None)
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        self.visit_unit()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codec::drift::decode;

    /// As the generator writes a struct with a recursive field, `additionalProperties` and a
    /// constant `type`.
    #[derive(Debug, Default, PartialEq, serde::Serialize)]
    #[serde(tag = "type", rename = "category")]
    struct Category {
        name: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        parent: Option<Box<Category>>,
        #[serde(flatten)]
        additional_properties: BTreeMap<String, i64>,
    }

    impl Object for Category {
        const FIELDS: &'static [&'static str] = &["name", "parent", "type"];
        fn field(key: &str) -> Option<usize> {
            Self::FIELDS.iter().position(|f| *f == key)
        }
        const OTHER: bool = true;
        fn other<'de, A: MapAccess<'de>>(
            &mut self,
            key: String,
            map: &mut A,
        ) -> Result<(), A::Error> {
            insert(map, key, &mut self.additional_properties)
        }
        fn read<'de, A: MapAccess<'de>>(
            &mut self,
            field: usize,
            map: &mut A,
        ) -> Result<(), A::Error> {
            match field {
                0 => required(map, &mut self.name),
                1 => optional_boxed(map, &mut self.parent),
                2 => constant(map, "category"),
                _ => skip(map),
            }
        }
    }

    impl<'de> serde::Deserialize<'de> for Category {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            deserialize(deserializer)
        }
    }

    #[test]
    fn recursive_fields_and_other_keys_are_read_and_drift_is_located() {
        let body = br#"{"books": 3, "parent": {"name": "all", "parent": null, "shelves": "2"},
            "name": "fiction", "name": "novels", "ratings": "many"}"#;
        let (category, drift) = decode::<Category>(body).expect("decodes");
        assert_eq!(
            category.name, "novels",
            "a repeated key: the last value wins"
        );
        assert_eq!(
            category.additional_properties,
            BTreeMap::from([("books".to_owned(), 3)])
        );
        let parent = category.parent.expect("parent");
        assert_eq!(parent.name, "all");
        assert_eq!(parent.parent, None);
        assert_eq!(
            parent.additional_properties,
            BTreeMap::from([("shelves".to_owned(), 2)])
        );
        let found: Vec<_> = drift.iter().map(|d| (d.path.as_str(), d.outcome)).collect();
        assert_eq!(
            found,
            [
                ("parent.shelves", DriftOutcome::Converted),
                ("ratings", DriftOutcome::Dropped)
            ]
        );
    }

    #[test]
    fn a_constant_is_written_and_checked_and_other_keys_are_written_back() {
        let body = br#"{"type": "category", "name": "all", "books": 3,
            "parent": {"type": "shelf", "name": "top"}}"#;
        let (category, drift) = decode::<Category>(body).expect("decodes");
        let found: Vec<_> = drift
            .iter()
            .map(|d| (d.path.as_str(), d.expected.as_str(), d.found.as_str()))
            .collect();
        assert_eq!(
            found,
            [("parent.type", r#"string "category""#, r#"string "shelf""#)]
        );
        assert_eq!(
            serde_json::to_value(&category).expect("serializes"),
            serde_json::json!({"type": "category", "name": "all", "books": 3,
                "parent": {"type": "category", "name": "top"}})
        );
    }

    #[test]
    fn the_top_level_must_be_an_object_and_a_field_may_be_anything() {
        for body in [&b"[]"[..], b"null", b"1", b"\"x\"", b"true"] {
            assert!(
                decode::<Category>(body).is_err(),
                "{:?}",
                String::from_utf8_lossy(body)
            );
        }
        let (category, drift) =
            decode::<Category>(br#"{"parent": [1], "name": {"a": 1}}"#).expect("decodes");
        assert_eq!(category, Category::default());
        let found: Vec<_> = drift
            .iter()
            .map(|d| (d.path.as_str(), d.expected.as_str()))
            .collect();
        assert_eq!(found, [("parent", "object"), ("name", "string")]);
    }
}
