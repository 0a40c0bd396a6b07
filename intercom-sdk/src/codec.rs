//! Hand-written serde helpers the generated models use.

/// For a generated string enum (its known variants plus `Unknown(String)`), given each variant's
/// wire value: `as_str()`, `From<String>` (an unknown value is kept in `Unknown`), `From<&str>`,
/// `FromStr`, `Display`, `Serialize` and `Deserialize`.
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

        impl std::str::FromStr for $name {
            type Err = std::convert::Infallible;

            fn from_str(value: &str) -> Result<Self, Self::Err> {
                Ok(Self::from(value))
            }
        }
    };
}
pub(crate) use string_enum;

/// Decodes `null` as the type's default (for fields the spec requires but responses leave null).
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

/// Whether `value` is an object holding every key of `required`, with each key of `consts` equal
/// to its string. Used by generated unions to pick the variant a value was meant to be.
pub(crate) fn is_object_with(
    value: &serde_json::Value,
    required: &[&str],
    consts: &[(&str, &str)],
) -> bool {
    let Some(object) = value.as_object() else {
        return false;
    };
    required.iter().all(|key| object.contains_key(*key))
        && consts
            .iter()
            .all(|(key, expected)| object.get(*key).and_then(|v| v.as_str()) == Some(*expected))
}

/// Reads a field that may be absent (`None`, via `serde(default)`), `null` (`Some(None)`) or a
/// value (`Some(Some(v))`): request fields where `null` means "clear it".
pub(crate) fn double_option<'de, D, T>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::Deserialize<'de>,
{
    <Option<T> as serde::Deserialize>::deserialize(deserializer).map(Some)
}

/// Whether each of these keys, where `value` has it as a string, holds one of its listed values.
/// (Union decoding prefers the variant whose enums know the value; see the generated unions.)
pub(crate) fn has_known_values(value: &serde_json::Value, enums: &[(&str, &[&str])]) -> bool {
    enums.iter().all(|(key, allowed)| match value.get(*key) {
        Some(serde_json::Value::String(s)) => allowed.contains(&s.as_str()),
        _ => true,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;
    use serde_json::json;

    #[derive(Deserialize, Debug, PartialEq)]
    struct Required {
        #[serde(default, deserialize_with = "null_as_default")]
        name: String,
    }

    #[test]
    fn required_fields_tolerate_null_and_absence() {
        let from = |v| serde_json::from_value::<Required>(v).map(|r| r.name).ok();
        assert_eq!(from(json!({"name": null})), Some(String::new()));
        assert_eq!(from(json!({})), Some(String::new()));
        assert_eq!(from(json!({"name": "x"})), Some("x".to_owned()));
        assert_eq!(from(json!({"name": 1})), None);
    }

    #[test]
    fn object_shape_checks_keys_and_constants() {
        let admin = json!({"type": "admin", "id": "1"});
        assert!(is_object_with(&admin, &["id"], &[("type", "admin")]));
        assert!(!is_object_with(&admin, &["id"], &[("type", "team")]));
        assert!(!is_object_with(&admin, &["email"], &[]));
        assert!(!is_object_with(&json!("admin"), &[], &[]));
    }

    #[test]
    fn known_values_are_checked_only_where_present() {
        let operators: &[(&str, &[&str])] = &[("operator", &["AND", "OR"])];
        assert!(has_known_values(&json!({"operator": "AND"}), operators));
        assert!(!has_known_values(&json!({"operator": "="}), operators));
        assert!(has_known_values(&json!({"field": "name"}), operators));
        assert!(has_known_values(&json!({"operator": null}), operators));
    }
}
