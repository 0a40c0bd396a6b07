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
//! let request = filter.into_request()?.per_page(50);
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

use crate::models::{
    MultipleFilterSearchRequest, MultipleFilterSearchRequestOperator,
    MultipleOrSingleFilterSearchRequest, SearchRequestQuery, SingleFilterSearchRequest,
    SingleFilterSearchRequestOperator as Op, SingleFilterSearchRequestValue as Value,
    StartingAfterPaging,
};
use crate::requests::SearchRequest;

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

#[derive(Clone, Debug, PartialEq)]
enum Node {
    Single {
        field: String,
        operator: Op,
        value: Value,
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
    ($($(#[$doc:meta])* $method:ident => $op:ident;)*) => {
        impl Field {
            $(
                $(#[$doc])*
                pub fn $method(self, value: impl Into<Value>) -> Filter {
                    self.with(Op::$op, value.into())
                }
            )*
        }
    };
}

operators! {
    /// `=`: equals.
    eq => Eq;
    /// `!=`: does not equal (not on dates).
    ne => NotEq;
    /// `IN`: equals one of an array of values (`vec!["a", "b"]`, `vec![1, 2]`).
    is_in => In;
    /// `NIN`: equals none of an array of values.
    not_in => Nin;
    /// `<`: lower than (integers, dates).
    lt => Lt;
    /// `<=`: lower than or equal (integers).
    le => LtEq;
    /// `>`: greater than (integers, dates).
    gt => Gt;
    /// `>=`: greater than or equal (integers).
    ge => GtEq;
    /// `~`: contains (strings).
    contains => Contains;
    /// `!~`: does not contain (strings).
    not_contains => NotContains;
    /// `^`: starts with (strings).
    starts_with => StartsWith;
    /// `$`: ends with (strings).
    ends_with => EndsWith;
}

impl Field {
    fn with(self, operator: Op, value: Value) -> Filter {
        Filter(Node::Single {
            field: self.0,
            operator,
            value,
        })
    }

    /// A condition with an operator given as a model value (e.g. one this builder has no method
    /// for).
    pub fn op(self, operator: Op, value: impl Into<Value>) -> Filter {
        self.with(operator, value.into())
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
                let list = matches!(value, Value::StringList(_) | Value::IntegerList(_))
                    || matches!(value, Value::Unknown(v) if v.is_array());
                match operator {
                    Op::In | Op::Nin if !list => Err(SearchError::NotAnArray {
                        field: field.clone(),
                        operator: if *operator == Op::In { "IN" } else { "NIN" },
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

    /// The query model, after checking Intercom's limits.
    pub fn into_query(self) -> Result<SearchRequestQuery, SearchError> {
        let depth = self.depth();
        if depth > MAX_DEPTH {
            return Err(SearchError::TooDeep { depth });
        }
        self.check()?;
        Ok(match self.lower() {
            MultipleOrSingleFilterSearchRequest::SingleFilterSearchRequest(single) => {
                SearchRequestQuery::SingleFilterSearchRequest(single)
            }
            MultipleOrSingleFilterSearchRequest::MultipleFilterSearchRequest(group) => {
                SearchRequestQuery::MultipleFilterSearchRequest(group)
            }
            MultipleOrSingleFilterSearchRequest::Unknown(value) => {
                SearchRequestQuery::Unknown(value)
            }
        })
    }

    /// A search request for this query (no pagination set), after checking Intercom's limits.
    pub fn into_request(self) -> Result<SearchRequest, SearchError> {
        Ok(SearchRequest::new(self.into_query()?))
    }

    fn lower(self) -> MultipleOrSingleFilterSearchRequest {
        match self.0 {
            Node::Single {
                field,
                operator,
                value,
            } => MultipleOrSingleFilterSearchRequest::SingleFilterSearchRequest(
                SingleFilterSearchRequest {
                    field: Some(field),
                    operator: Some(operator),
                    value: Some(value),
                },
            ),
            Node::Group { join, filters } => {
                MultipleOrSingleFilterSearchRequest::MultipleFilterSearchRequest(
                    MultipleFilterSearchRequest {
                        operator: Some(match join {
                            Join::And => MultipleFilterSearchRequestOperator::And,
                            Join::Or => MultipleFilterSearchRequestOperator::Or,
                        }),
                        value: Some(filters.into_iter().map(Filter::lower).collect()),
                    },
                )
            }
        }
    }
}

impl SearchRequest {
    /// Sets `pagination.per_page`, keeping any `starting_after`.
    pub fn per_page(mut self, per_page: i64) -> Self {
        let paging = self
            .pagination
            .get_or_insert(None)
            .get_or_insert(StartingAfterPaging {
                per_page,
                starting_after: None,
            });
        paging.per_page = per_page;
        self
    }
}
