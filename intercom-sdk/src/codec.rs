//! Hand-written serde helpers the generated models use.
//!
//! Response decoding is tolerant field by field (see [`drift`]): a value of the wrong JSON type
//! becomes the field's absent value and is reported as a [`Drift`], never a failed response.

pub(crate) mod drift;
pub(crate) mod object;

pub use drift::{Drift, DriftOutcome};
#[allow(
    unused_imports,
    reason = "used by generated string enums and unions, which a build with only some resources \
              may not have"
)]
pub(crate) use drift::{Lenient, Shape, lenient_union, union, variant};
#[allow(
    unused_imports,
    reason = "used by generated models, which a build with no resource feature does not have"
)]
pub(crate) use object::{Object, optional, required};

/// For a generated string enum (its known variants plus `Unknown(String)`), given each variant's
/// wire value: `as_str()`, `From<String>` (an unknown value is kept in `Unknown`), `From<&str>`,
/// `FromStr`, `Display`, `Serialize` and `Deserialize`.
#[allow(
    unused_macros,
    reason = "used by generated string enums, which a build with only some resources may not have"
)]
macro_rules! string_enum {
    ($name:ident { $($variant:ident: $value:literal),* $(,)? }) => {
        impl $name {
            /// The value on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $value,)*
                    Self::Unknown(value) => value,
                }
            }
        }

        impl From<String> for $name {
            fn from(value: String) -> Self {
                match value.as_str() {
                    $($value => Self::$variant,)*
                    _ => Self::Unknown(value),
                }
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                // A known value is matched on the borrowed string: no allocation.
                struct Visitor;
                impl serde::de::Visitor<'_> for Visitor {
                    type Value = $name;
                    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        f.write_str("a string")
                    }
                    fn visit_str<E: serde::de::Error>(self, value: &str) -> Result<$name, E> {
                        Ok($name::from(value))
                    }
                    fn visit_string<E: serde::de::Error>(self, value: String) -> Result<$name, E> {
                        Ok($name::from(value))
                    }
                }
                deserializer.deserialize_str(Visitor)
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl From<&str> for $name {
            fn from(value: &str) -> Self {
                match value {
                    $($value => Self::$variant,)*
                    _ => Self::Unknown(value.to_owned()),
                }
            }
        }

        impl<'de> $crate::codec::Lenient<'de> for $name {
            const EXPECTED: &'static str = "string";

            fn lenient<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Option<Self>, D::Error> {
                $crate::codec::drift::text(deserializer)
            }
        }

        impl std::str::FromStr for $name {
            type Err = std::convert::Infallible;

            fn from_str(value: &str) -> Result<Self, Self::Err> {
                Ok(Self::from(value))
            }
        }
    };
}
#[allow(
    unused_imports,
    reason = "used by generated string enums, which a build with only some resources may not have"
)]
pub(crate) use string_enum;

/// Decodes `null` as the type's default (required request fields; response models use
/// [`required`], which also tolerates a value of the wrong type).
pub(crate) fn null_as_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::Deserialize<'de> + Default,
{
    <Option<T> as serde::Deserialize>::deserialize(deserializer).map(Option::unwrap_or_default)
}

/// Adds an object-valued query parameter the way OpenAPI's `style: form, explode: true` does: one
/// pair per property (`user_id=1`), not the parameter's own name. A scalar is sent under `name`.
pub(crate) fn query_object<T: serde::Serialize>(
    spec: crate::__private::RequestSpec,
    name: &str,
    value: &T,
) -> crate::__private::RequestSpec {
    fn text(value: &serde_json::Value) -> String {
        match value {
            serde_json::Value::String(s) => s.clone(),
            other => other.to_string(),
        }
    }
    match serde_json::to_value(value) {
        Ok(serde_json::Value::Object(map)) => map
            .iter()
            .filter(|(_, v)| !v.is_null())
            .fold(spec, |spec, (k, v)| spec.query(k, text(v))),
        Ok(serde_json::Value::Null) => spec,
        Ok(other) => spec.query(name, text(&other)),
        // Serializing a generated model cannot fail (string keys only); keep the request as is.
        Err(_) => spec,
    }
}
