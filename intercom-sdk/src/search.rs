//! A builder for search queries (`contacts().search`, `conversations().search`,
//! `tickets().search`).
//!
//! ```
//! use intercom_sdk::search::Filter;
//!
//! # fn main() -> Result<(), intercom_sdk::search::SearchError> {
//! // email ends with "@example.com" AND created after 1 May 2024
//! let filter = Filter::field("email")
//!     .ends_with("@example.com")
//!     .and(Filter::field("created_at").gt(1_714_521_600));
//! let request: intercom_sdk::requests::SearchRequest = filter.per_page(50).into_request()?;
//! assert_eq!(
//!     serde_json::to_value(&request).unwrap(),
//!     serde_json::json!({
//!         "query": {"operator": "AND", "value": [
//!             {"field": "email", "operator": "$", "value": "@example.com"},
//!             {"field": "created_at", "operator": ">", "value": 1714521600},
//!         ]},
//!         "pagination": {"per_page": 50},
//!     })
//! );
//! # Ok(()) }
//! ```
//!
//! `a.and(b).and(c)` is one `AND` group of three filters; `a.or(b).and(c)` is
//! `(a OR b) AND c`. Before anything is sent, [`Filter::into_query`] checks
//! Intercom's documented limits: groups nest at most [`MAX_DEPTH`] deep, a
//! group holds at most [`MAX_GROUP_SIZE`] filters and at least one, `IN` and
//! `NIN` take an array, and every field is named.
//!
//! The builder writes the JSON that Intercom documents and converts it into whichever
//! generated type the search takes ([`Filter::into_query`], [`Search::into_request`]), so it
//! names no generated model and keeps working when a regenerated description renames them.

use serde::de::DeserializeOwned;
use serde_json::{Map, Value as Json};

/// How deep `AND`/`OR` groups may nest ("a limit of max 2 nested filters").
pub const MAX_DEPTH: usize = 2;
/// How many filters one `AND` or `OR` group may hold.
pub const MAX_GROUP_SIZE: usize = 15;

/// A query broken one of Intercom's documented rules; found before sending.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SearchError {
    /// Groups nest deeper than [`MAX_DEPTH`].
    #[error("search filters nest {depth} groups deep; Intercom allows at most {MAX_DEPTH}")]
    TooDeep {
        /// The depth of the query.
        depth: usize,
    },
    /// A group holds more than [`MAX_GROUP_SIZE`] filters.
    #[error("an {operator} group holds {len} filters; Intercom allows at most {MAX_GROUP_SIZE}")]
    TooManyFilters {
        /// `AND` or `OR`.
        operator: &'static str,
        /// The number of filters in the group.
        len: usize,
    },
    /// A group without filters.
    #[error("an {operator} group has no filters")]
    EmptyGroup {
        /// `AND` or `OR`.
        operator: &'static str,
    },
    /// `IN` or `NIN` with a value that is not an array.
    #[error("`{field}` {operator} needs an array of values")]
    NotAnArray {
        /// The field.
        field: String,
        /// `IN` or `NIN`.
        operator: &'static str,
    },
    /// A filter with an empty field name.
    #[error("a search filter has an empty field name")]
    EmptyField,
    /// The generated request or query type did not accept the query (a type that is not a
    /// search input).
    #[error("the search query does not fit the request type: {0}")]
    Model(String),
}

impl From<SearchError> for crate::Error {
    fn from(e: SearchError) -> Self {
        crate::Error::InvalidRequest(e.to_string())
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Join {
    And,
    Or,
}

impl Join {
    fn as_str(self) -> &'static str {
        match self {
            Join::And => "AND",
            Join::Or => "OR",
        }
    }
}

/// A search filter: one condition on a field, or an `AND`/`OR` group.
#[derive(Clone, Debug, PartialEq)]
pub struct Filter(Node);

/// A filter operator as Intercom writes it on the wire (`=`, `IN`, `~`, ...).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Operator(std::borrow::Cow<'static, str>);

impl Operator {
    /// An operator this builder has no method for, e.g. one newer than the SDK.
    pub fn new(wire: impl Into<String>) -> Self {
        Operator(std::borrow::Cow::Owned(wire.into()))
    }

    /// The operator as sent.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    const fn known(wire: &'static str) -> Self {
        Operator(std::borrow::Cow::Borrowed(wire))
    }
}

/// The value a filter compares with: a string, number, boolean, `null` or an array of them.
#[derive(Clone, Debug, PartialEq)]
pub struct FilterValue(Json);

impl FilterValue {
    /// The value as JSON.
    pub fn as_json(&self) -> &Json {
        &self.0
    }
}

macro_rules! filter_value_from {
    ($($t:ty),*) => {$(
        impl From<$t> for FilterValue {
            fn from(v: $t) -> Self {
                FilterValue(Json::from(v))
            }
        }
        impl From<Vec<$t>> for FilterValue {
            fn from(v: Vec<$t>) -> Self {
                FilterValue(Json::from(v))
            }
        }
    )*};
}

filter_value_from!(&str, String, i32, i64, u32, u64, f64, bool);

impl From<Json> for FilterValue {
    fn from(v: Json) -> Self {
        FilterValue(v)
    }
}

impl<T: Into<FilterValue>> From<Option<T>> for FilterValue {
    fn from(v: Option<T>) -> Self {
        v.map_or(FilterValue(Json::Null), Into::into)
    }
}

#[derive(Clone, Debug, PartialEq)]
enum Node {
    Single {
        field: String,
        operator: Operator,
        value: FilterValue,
    },
    Group {
        join: Join,
        filters: Vec<Filter>,
    },
}

/// A field awaiting its operator; made by [`Filter::field`].
#[derive(Clone, Debug, PartialEq, Eq)]
#[must_use = "a field needs an operator, e.g. `.eq(..)`, to become a filter"]
pub struct Field(String);

macro_rules! operators {
    ($($(#[$doc:meta])* $method:ident => $op:literal;)*) => {
        impl Field {
            $(
                $(#[$doc])*
                pub fn $method(self, value: impl Into<FilterValue>) -> Filter {
                    self.with(Operator::known($op), value.into())
                }
            )*
        }
    };
}

operators! {
    /// `=`: equals.
    eq => "=";
    /// `!=`: does not equal (not on dates).
    ne => "!=";
    /// `IN`: equals one of an array of values (`vec!["a", "b"]`, `vec![1, 2]`).
    is_in => "IN";
    /// `NIN`: equals none of an array of values.
    not_in => "NIN";
    /// `<`: lower than (integers, dates).
    lt => "<";
    /// `<=`: lower than or equal (integers).
    le => "<=";
    /// `>`: greater than (integers, dates).
    gt => ">";
    /// `>=`: greater than or equal (integers).
    ge => ">=";
    /// `~`: contains (strings).
    contains => "~";
    /// `!~`: does not contain (strings).
    not_contains => "!~";
    /// `^`: starts with (strings).
    starts_with => "^";
    /// `$`: ends with (strings).
    ends_with => "$";
}

impl Field {
    fn with(self, operator: Operator, value: FilterValue) -> Filter {
        Filter(Node::Single {
            field: self.0,
            operator,
            value,
        })
    }

    /// A condition with an operator this builder has no method for (e.g. one newer than the
    /// SDK), as Intercom writes it.
    pub fn op(self, operator: impl Into<String>, value: impl Into<FilterValue>) -> Filter {
        self.with(Operator::new(operator), value.into())
    }
}

impl Filter {
    /// Starts a condition on `name`, e.g. `"email"` or `"custom_attributes.plan"`.
    pub fn field(name: impl Into<String>) -> Field {
        Field(name.into())
    }

    /// Every filter must match (an `AND` group).
    pub fn all(filters: impl IntoIterator<Item = Filter>) -> Filter {
        Filter(Node::Group {
            join: Join::And,
            filters: filters.into_iter().collect(),
        })
    }

    /// At least one filter must match (an `OR` group).
    pub fn any(filters: impl IntoIterator<Item = Filter>) -> Filter {
        Filter(Node::Group {
            join: Join::Or,
            filters: filters.into_iter().collect(),
        })
    }

    /// `self AND other`; chained `and`s form one group.
    pub fn and(self, other: Filter) -> Filter {
        self.join(Join::And, other)
    }

    /// `self OR other`; chained `or`s form one group.
    pub fn or(self, other: Filter) -> Filter {
        self.join(Join::Or, other)
    }

    fn join(self, join: Join, other: Filter) -> Filter {
        let mut filters = match self.0 {
            Node::Group { join: j, filters } if j == join => filters,
            node => vec![Filter(node)],
        };
        match other.0 {
            Node::Group {
                join: j,
                filters: more,
            } if j == join => filters.extend(more),
            node => filters.push(Filter(node)),
        }
        Filter(Node::Group { join, filters })
    }

    /// How many groups deep the filter nests (a single condition is 0).
    pub fn depth(&self) -> usize {
        match &self.0 {
            Node::Single { .. } => 0,
            Node::Group { filters, .. } => 1 + filters.iter().map(Filter::depth).max().unwrap_or(0),
        }
    }

    fn check(&self) -> Result<(), SearchError> {
        match &self.0 {
            Node::Single {
                field,
                operator,
                value,
            } => {
                if field.trim().is_empty() {
                    return Err(SearchError::EmptyField);
                }
                match operator.as_str() {
                    "IN" if !value.0.is_array() => Err(SearchError::NotAnArray {
                        field: field.clone(),
                        operator: "IN",
                    }),
                    "NIN" if !value.0.is_array() => Err(SearchError::NotAnArray {
                        field: field.clone(),
                        operator: "NIN",
                    }),
                    _ => Ok(()),
                }
            }
            Node::Group { join, filters } => {
                let operator = join.as_str();
                if filters.is_empty() {
                    return Err(SearchError::EmptyGroup { operator });
                }
                if filters.len() > MAX_GROUP_SIZE {
                    return Err(SearchError::TooManyFilters {
                        operator,
                        len: filters.len(),
                    });
                }
                filters.iter().try_for_each(Filter::check)
            }
        }
    }

    /// Checks Intercom's limits, then returns the query as the JSON Intercom documents.
    pub fn to_json(&self) -> Result<Json, SearchError> {
        let depth = self.depth();
        if depth > MAX_DEPTH {
            return Err(SearchError::TooDeep { depth });
        }
        self.check()?;
        Ok(self.lower())
    }

    /// The query as the search's query type (e.g. `models::SearchRequestQuery`, usually
    /// inferred), after checking Intercom's limits.
    pub fn into_query<Q: DeserializeOwned>(self) -> Result<Q, SearchError> {
        let json = self.to_json()?;
        serde_json::from_value(json).map_err(|e| SearchError::Model(e.to_string()))
    }

    /// A search request for this query with no pagination set (e.g. `requests::SearchRequest`,
    /// usually inferred from the call it is passed to), after checking Intercom's limits.
    pub fn into_request<R: DeserializeOwned>(self) -> Result<R, SearchError> {
        Search::new(self).into_request()
    }

    /// A search for this query with `per_page` results a page.
    pub fn per_page(self, per_page: i64) -> Search {
        Search::new(self).per_page(per_page)
    }

    fn lower(&self) -> Json {
        let mut object = Map::new();
        match &self.0 {
            Node::Single {
                field,
                operator,
                value,
            } => {
                object.insert("field".to_owned(), Json::from(field.as_str()));
                object.insert("operator".to_owned(), Json::from(operator.as_str()));
                object.insert("value".to_owned(), value.0.clone());
            }
            Node::Group { join, filters } => {
                object.insert("operator".to_owned(), Json::from(join.as_str()));
                let value = filters.iter().map(Filter::lower).collect();
                object.insert("value".to_owned(), Json::Array(value));
            }
        }
        Json::Object(object)
    }
}

/// A search: a [`Filter`] plus paging options. Made by [`Filter::per_page`] or [`Search::new`].
#[derive(Clone, Debug, PartialEq)]
#[must_use = "a search does nothing until it becomes a request and is sent"]
pub struct Search {
    filter: Filter,
    per_page: Option<i64>,
}

impl Search {
    /// A search for `filter`, with the server's default page size.
    pub fn new(filter: Filter) -> Self {
        Search {
            filter,
            per_page: None,
        }
    }

    /// Results a page (`pagination.per_page`).
    pub fn per_page(mut self, per_page: i64) -> Self {
        self.per_page = Some(per_page);
        self
    }

    /// The request body as JSON (`{"query": .., "pagination": {"per_page": ..}}`), after checking
    /// Intercom's limits.
    pub fn to_json(&self) -> Result<Json, SearchError> {
        let mut body = Map::new();
        body.insert("query".to_owned(), self.filter.to_json()?);
        if let Some(per_page) = self.per_page {
            let mut pagination = Map::new();
            pagination.insert("per_page".to_owned(), Json::from(per_page));
            body.insert("pagination".to_owned(), Json::Object(pagination));
        }
        Ok(Json::Object(body))
    }

    /// The search's request type (e.g. `requests::SearchRequest`, usually inferred from the call
    /// it is passed to), after checking Intercom's limits.
    pub fn into_request<R: DeserializeOwned>(self) -> Result<R, SearchError> {
        let json = self.to_json()?;
        serde_json::from_value(json).map_err(|e| SearchError::Model(e.to_string()))
    }
}
