//! Request descriptions ([`RequestSpec`]) and per-request options
//! ([`RequestOptions`]).

use std::fmt;
use std::time::Duration;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use reqwest::Method;
use reqwest::header::{HeaderName, HeaderValue};

use super::error::{Error, Result};

/// Name of the API version header.
pub(crate) const INTERCOM_VERSION: &str = "intercom-version";

/// Everything except RFC 3986 unreserved characters (`A-Z a-z 0-9 - . _ ~`).
const PATH_SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Percent-encodes one path segment: `"a/b c"` becomes `"a%2Fb%20c"`.
pub fn encode_path_segment(s: &str) -> String {
    utf8_percent_encode(s, PATH_SEGMENT).to_string()
}

/// Longest request URL sent (path and query, in bytes): 8 KiB, the smallest
/// request-line limit among common servers and proxies.
pub const MAX_URL_LEN: usize = 8 * 1024;

/// Checks that every path parameter still addresses the resource the
/// template names: a parameter that is empty, `.` or `..` (in any
/// percent-encoding: URL parsers and RFC 3986 normalisation treat `%2E` as
/// `.`) would drop or climb a path segment, so it is
/// [`Error::InvalidRequest`] before anything is sent.
pub fn check_path(template: &str, path: &str) -> Result<()> {
    if plainly_safe(template, path) {
        return Ok(());
    }
    check_segments(template, path)
}

/// `check_path` segment by segment.
fn check_segments(template: &str, path: &str) -> Result<()> {
    let aligned = template.split('/').count() == path.split('/').count();
    let mut templated = template.split('/');
    for segment in path.split('/') {
        let expected = if aligned {
            templated.next().unwrap_or_default()
        } else {
            ""
        };
        let param = expected
            .strip_prefix('{')
            .and_then(|p| p.strip_suffix('}'))
            .unwrap_or("path");
        if is_dot_segment(segment) && !is_dot_segment(expected) {
            return Err(Error::invalid(format!(
                "path parameter `{param}` is `{}`: a dot segment would change which resource                  `{template}` addresses",
                segment.chars().take(8).collect::<String>()
            )));
        }
        if segment.is_empty() && aligned && !expected.is_empty() {
            return Err(Error::invalid(format!(
                "path parameter `{param}` of `{template}` is empty"
            )));
        }
    }
    Ok(())
}

/// Whether `check_path` has nothing to look at (the common case, checked in one pass): both
/// start with `/`, and every later segment of `path` is non-empty and starts with neither `.`
/// nor `%`, so none is empty or a dot segment.
fn plainly_safe(template: &str, path: &str) -> bool {
    let Some(rest) = path.strip_prefix('/') else {
        return false;
    };
    if !template.starts_with('/') {
        return false;
    }
    let mut segment_start = true;
    for &b in rest.as_bytes() {
        if segment_start && matches!(b, b'.' | b'%' | b'/') {
            return false;
        }
        segment_start = b == b'/';
    }
    // An empty `rest`, or a `/` at the end, leaves an empty last segment.
    !segment_start
}

/// `.` or `..`, also percent-encoded (`%2e`, `.%2E`, `%2E%2e`, ...).
fn is_dot_segment(segment: &str) -> bool {
    let len = segment.len();
    if len == 0 || len > 6 {
        return false;
    }
    // Each `.` is one of `.`, `%2e`, `%2E`; one or two of them.
    let mut rest = segment.as_bytes();
    let mut dots = 0;
    while let Some((&first, tail)) = rest.split_first() {
        rest = match (first, tail) {
            (b'.', _) => tail,
            (b'%', [b'2', e, tail @ ..]) if e.eq_ignore_ascii_case(&b'e') => tail,
            _ => return false,
        };
        dots += 1;
    }
    dots == 1 || dots == 2
}

/// Rejects a URL over [`MAX_URL_LEN`] with a short message (never the URL).
pub(crate) fn check_url_len(url: &str, template: &str) -> Result<()> {
    if url.len() > MAX_URL_LEN {
        return Err(Error::invalid(format!(
            "request URL for `{template}` is {} bytes, over the limit of {MAX_URL_LEN}",
            url.len()
        )));
    }
    Ok(())
}

/// One fully described HTTP request; cheap to clone (the pager clones it per
/// page). Built by generated code.
#[derive(Clone, Debug)]
pub struct RequestSpec {
    /// HTTP method.
    pub method: Method,
    /// The path template, e.g. `/contacts/{contact_id}` (used in tracing).
    pub path_template: &'static str,
    /// The percent-encoded path, e.g. `/contacts/abc%2F1`.
    pub path: String,
    /// Query pairs in order; arrays are repeated keys.
    pub query: Vec<(String, String)>,
    /// Header parameters of the operation (per-request option headers win over them).
    pub headers: Vec<(String, String)>,
    /// JSON body; `Content-Type: application/json` is sent only when `Some`.
    pub body: Option<serde_json::Value>,
    /// A body serialization failure, reported by `send()` instead of
    /// panicking.
    pub body_error: Option<String>,
    /// A `multipart/form-data` body (`form_text`, `form_files`).
    pub(crate) form: Option<Vec<super::multipart::FormPart>>,
    /// The operation only reads although its method is not idempotent (a
    /// search sent as `POST`): retried like a `GET`.
    pub safe_to_retry: bool,
}

impl RequestSpec {
    /// A request without query or body.
    pub fn new(method: Method, path_template: &'static str, path: String) -> Self {
        RequestSpec {
            method,
            path_template,
            path,
            query: Vec::new(),
            headers: Vec::new(),
            body: None,
            body_error: None,
            form: None,
            safe_to_retry: false,
        }
    }

    /// Marks the request as a read that is safe to repeat whatever its
    /// method (set by generated code for searches and lists sent as `POST`).
    pub fn safe_to_retry(mut self) -> Self {
        self.safe_to_retry = true;
        self
    }

    /// Appends one query pair.
    pub fn query(mut self, key: &str, value: impl ToString) -> Self {
        self.query.push((key.to_owned(), value.to_string()));
        self
    }

    /// Appends one query pair when `value` is `Some`.
    pub fn query_opt<T: ToString + ?Sized>(self, key: &str, value: Option<&T>) -> Self {
        match value {
            Some(v) => {
                let mut spec = self;
                spec.query.push((key.to_owned(), v.to_string()));
                spec
            }
            None => self,
        }
    }

    /// Sets a header parameter.
    pub fn header(mut self, name: &str, value: impl ToString) -> Self {
        self.headers.push((name.to_owned(), value.to_string()));
        self
    }

    /// Sets a header parameter when `value` is `Some`.
    pub fn header_opt<T: ToString + ?Sized>(self, name: &str, value: Option<&T>) -> Self {
        match value {
            Some(v) => {
                let mut spec = self;
                spec.headers.push((name.to_owned(), v.to_string()));
                spec
            }
            None => self,
        }
    }

    /// Appends `key=v` for every element (`a=1&a=2`).
    pub fn query_all<I>(mut self, key: &str, values: I) -> Self
    where
        I: IntoIterator,
        I::Item: ToString,
    {
        for v in values {
            self.query.push((key.to_owned(), v.to_string()));
        }
        self
    }

    /// Sets the JSON body. Serialization never panics: a failure is stored
    /// and returned as [`Error::InvalidRequest`] when the call is sent.
    pub fn json_body<B: serde::Serialize + ?Sized>(mut self, body: &B) -> Self {
        match serde_json::to_value(body) {
            Ok(v) => self.body = Some(v),
            Err(e) => self.body_error = Some(format!("failed to serialize request body: {e}")),
        }
        self
    }

    /// Sets the JSON body from a request's body fields, or no body when they serialize to an
    /// empty object (every body input optional and unset).
    pub fn json_fields<B: serde::Serialize + ?Sized>(self, fields: &B) -> Self {
        let mut spec = self.json_body(fields);
        if spec
            .body
            .as_ref()
            .and_then(serde_json::Value::as_object)
            .is_some_and(|m| m.is_empty())
        {
            spec.body = None;
        }
        spec
    }

    /// Replaces every query pair named `key` with a single `key=value`.
    pub(crate) fn set_query(&mut self, key: &str, value: String) {
        self.query.retain(|(k, _)| k != key);
        self.query.push((key.to_owned(), value));
    }

    /// The last value of query `key`.
    pub(crate) fn query_value(&self, key: &str) -> Option<&str> {
        self.query
            .iter()
            .rev()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// The string at `path` in the JSON body.
    pub(crate) fn body_value(&self, path: &[&str]) -> Option<&str> {
        let mut cur = self.body.as_ref()?;
        for key in path {
            cur = cur.get(key)?;
        }
        cur.as_str()
    }

    /// Sets the JSON body at `path`, creating objects along the way (and
    /// replacing non-object intermediate values).
    pub(crate) fn set_body_value(&mut self, path: &[&str], value: serde_json::Value) {
        let body = self.body.take().unwrap_or(serde_json::Value::Null);
        self.body = Some(set_path(body, path, value));
    }
}

fn set_path(
    target: serde_json::Value,
    path: &[&str],
    value: serde_json::Value,
) -> serde_json::Value {
    match path.split_first() {
        None => value,
        Some((key, rest)) => {
            let mut map = match target {
                serde_json::Value::Object(map) => map,
                _ => serde_json::Map::new(),
            };
            let child = map.remove(*key).unwrap_or(serde_json::Value::Null);
            map.insert((*key).to_owned(), set_path(child, rest, value));
            serde_json::Value::Object(map)
        }
    }
}

/// `extra` merged into `base`: an object into an object key by key (recursively), anything else
/// replaces.
pub fn merge_json(base: serde_json::Value, extra: serde_json::Value) -> serde_json::Value {
    match (base, extra) {
        (serde_json::Value::Object(mut base), serde_json::Value::Object(extra)) => {
            for (key, value) in extra {
                let merged = match base.remove(&key) {
                    Some(existing) => merge_json(existing, value),
                    None => value,
                };
                base.insert(key, merged);
            }
            serde_json::Value::Object(base)
        }
        (_, extra) => extra,
    }
}

/// Validates a caller-supplied header.
pub(crate) fn header_pair(name: &str, value: &str) -> Result<(HeaderName, HeaderValue)> {
    let name = HeaderName::from_bytes(name.as_bytes())
        .map_err(|_| Error::invalid(format!("invalid header name `{}`", name.escape_debug())))?;
    // The value is not echoed: it may be a secret.
    let mut value = HeaderValue::from_str(value)
        .map_err(|_| Error::invalid(format!("invalid value for header `{name}`")))?;
    if is_sensitive(&name) {
        value.set_sensitive(true);
    }
    Ok((name, value))
}

fn is_sensitive(name: &HeaderName) -> bool {
    matches!(
        name.as_str(),
        "authorization" | "proxy-authorization" | "cookie" | "x-api-key"
    )
}

/// Generates the chainable option methods on a type with
/// `fn options_mut(&mut self) -> &mut RequestOptions`.
macro_rules! request_option_methods {
    () => {
        /// Per-attempt timeout for this call (overrides the client's).
        pub fn timeout(mut self, timeout: ::std::time::Duration) -> Self {
            self.options_mut().timeout = Some(timeout);
            self
        }

        /// Retries after the first attempt for this call (0 disables retries).
        pub fn max_retries(mut self, n: u32) -> Self {
            self.options_mut().max_retries = Some(n);
            self
        }

        /// Total time budget for this call's retries, counted from the first
        /// attempt (overrides the client's
        /// [`retry_budget`](crate::ClientBuilder::retry_budget)).
        pub fn retry_budget(mut self, budget: ::std::time::Duration) -> Self {
            self.options_mut().retry_budget = Some(budget);
            self
        }

        /// Adds (or replaces) a request header. An invalid name or value is
        /// reported as `Error::InvalidRequest` when the call is sent.
        pub fn header(mut self, name: impl AsRef<str>, value: impl AsRef<str>) -> Self {
            self.options_mut()
                .headers
                .push((name.as_ref().to_owned(), value.as_ref().to_owned()));
            self
        }

        /// Appends a query parameter.
        pub fn query(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
            self.options_mut().query.push((key.into(), value.into()));
            self
        }

        /// Overrides the `Intercom-Version` header for this call.
        pub fn api_version(mut self, version: impl Into<String>) -> Self {
            self.options_mut().api_version = Some(version.into());
            self
        }

        /// Merges the keys of a JSON object into the request body, for inputs this SDK does not
        /// know yet (e.g. `json!({"reply_options": [..]})`): they override generated keys, and an
        /// object merges into an object key by key, so `{"pagination": {"per_page": 5}}` keeps the
        /// pager's cursor. A request without a body gets this object as its body. A value that
        /// is not an object, or a body that is not one, is `Error::InvalidRequest` on send.
        /// Repeated calls merge. On a paged call it applies to every page, except a value at the
        /// pager's own cursor path, which applies to the first page only.
        pub fn extra_body(mut self, extra: serde_json::Value) -> Self {
            let options = self.options_mut();
            options.extra_body = Some(match options.extra_body.take() {
                Some(existing) => $crate::__private::merge_json(existing, extra),
                None => extra,
            });
            self
        }

        /// Sets a query parameter this SDK does not know yet (e.g. `include_translations`),
        /// replacing any pair of the same name the request has (unlike [`query`](Self::query),
        /// which appends). On a paged call it applies to every page, except the pager's own page
        /// or cursor parameter, which it sets for the first page only.
        pub fn extra_query(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
            self.options_mut()
                .extra_query
                .push((key.into(), value.into()));
            self
        }

        /// Makes drift in this call's response (a value whose type differs from the API
        /// description) an `Error::Decode` at its path, or tolerates it (the default); overrides
        /// `ClientBuilder::strict_decoding`.
        pub fn strict_decoding(mut self, strict: bool) -> Self {
            self.options_mut().strict_decoding = Some(strict);
            self
        }

        /// Allows retrying a non-idempotent request (POST, PATCH) on the
        /// same statuses and failures as idempotent ones. Only enable it when
        /// repeating the request is harmless. `false` also stops the retries
        /// of a read sent as POST (a search), which are on by default.
        pub fn retry_non_idempotent(mut self, yes: bool) -> Self {
            self.options_mut().retry_non_idempotent = Some(yes);
            self
        }
    };
    (with_options) => {
        request_option_methods!();

        /// Applies a reusable bundle of options (its set values win; its
        /// headers and query pairs are appended).
        pub fn options(mut self, options: $crate::RequestOptions) -> Self {
            self.options_mut().merge(options);
            self
        }
    };
}
pub(crate) use request_option_methods;

/// Options that apply to one call (or, on a paged call, to every page).
///
/// Every call type has the same chainable methods; a `RequestOptions` value
/// bundles them for reuse with `.options(..)`.
///
/// ```no_run
/// # async fn demo(call: intercom_sdk::Call<serde_json::Value>) -> intercom_sdk::Result<()> {
/// use std::time::Duration;
/// use intercom_sdk::RequestOptions;
/// let opts = RequestOptions::new().timeout(Duration::from_secs(5)).max_retries(0);
/// let value = call.options(opts).header("x-trace", "1").await?;
/// # let _ = value; Ok(()) }
/// ```
#[derive(Clone, Default)]
pub struct RequestOptions {
    pub(crate) timeout: Option<Duration>,
    pub(crate) max_retries: Option<u32>,
    pub(crate) retry_budget: Option<Duration>,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) query: Vec<(String, String)>,
    pub(crate) api_version: Option<String>,
    pub(crate) retry_non_idempotent: Option<bool>,
    pub(crate) extra_body: Option<serde_json::Value>,
    pub(crate) extra_query: Vec<(String, String)>,
    pub(crate) strict_decoding: Option<bool>,
}

impl fmt::Debug for RequestOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Header values may be secrets: show names only.
        f.debug_struct("RequestOptions")
            .field("timeout", &self.timeout)
            .field("max_retries", &self.max_retries)
            .field("retry_budget", &self.retry_budget)
            .field(
                "headers",
                &self.headers.iter().map(|(k, _)| k).collect::<Vec<_>>(),
            )
            .field("query", &self.query)
            .field("api_version", &self.api_version)
            .field("retry_non_idempotent", &self.retry_non_idempotent)
            // Body values may be personal data: keys only.
            .field(
                "extra_body",
                &self
                    .extra_body
                    .as_ref()
                    .and_then(serde_json::Value::as_object)
                    .map(|m| m.keys().collect::<Vec<_>>()),
            )
            .field("extra_query", &self.extra_query)
            .field("strict_decoding", &self.strict_decoding)
            .finish()
    }
}

impl RequestOptions {
    /// No overrides.
    pub fn new() -> Self {
        Self::default()
    }

    /// Overlays `other` on `self`: its set values win, its headers and query
    /// pairs are appended.
    pub(crate) fn merge(&mut self, other: RequestOptions) {
        if other.timeout.is_some() {
            self.timeout = other.timeout;
        }
        if other.max_retries.is_some() {
            self.max_retries = other.max_retries;
        }
        if other.retry_budget.is_some() {
            self.retry_budget = other.retry_budget;
        }
        if other.api_version.is_some() {
            self.api_version = other.api_version;
        }
        if other.retry_non_idempotent.is_some() {
            self.retry_non_idempotent = other.retry_non_idempotent;
        }
        if other.strict_decoding.is_some() {
            self.strict_decoding = other.strict_decoding;
        }
        if let Some(extra) = other.extra_body {
            self.extra_body = Some(match self.extra_body.take() {
                Some(existing) => merge_json(existing, extra),
                None => extra,
            });
        }
        self.headers.extend(other.headers);
        self.query.extend(other.query);
        self.extra_query.extend(other.extra_query);
    }

    /// The request's query pairs with the options applied: `query` appended, `extra_query`
    /// replacing pairs of the same name.
    pub(crate) fn query_pairs<'a>(
        &'a self,
        spec: &'a [(String, String)],
    ) -> impl Iterator<Item = &'a (String, String)> + 'a {
        let replaced = |key: &String| self.extra_query.iter().any(|(k, _)| k == key);
        spec.iter()
            .chain(self.query.iter())
            .filter(move |(k, _)| !replaced(k))
            .chain(self.extra_query.iter())
    }

    /// The request body with `extra_body` merged in (borrowed when there is nothing to merge).
    pub(crate) fn body_with_extra<'a>(
        &self,
        body: Option<&'a serde_json::Value>,
    ) -> Result<Option<std::borrow::Cow<'a, serde_json::Value>>> {
        use std::borrow::Cow;
        let Some(extra) = &self.extra_body else {
            return Ok(body.map(Cow::Borrowed));
        };
        if !extra.is_object() {
            return Err(Error::invalid("extra_body must be a JSON object"));
        }
        match body {
            None => Ok(Some(Cow::Owned(extra.clone()))),
            Some(body) if body.is_object() => {
                Ok(Some(Cow::Owned(merge_json(body.clone(), extra.clone()))))
            }
            Some(_) => Err(Error::invalid(
                "extra_body cannot be merged: the request body is not a JSON object",
            )),
        }
    }

    /// Forgets what the options set at a pager's own page parameter or cursor path, so that
    /// pages after the first carry the pager's value.
    pub(crate) fn drop_page_inputs(&mut self, query_param: Option<&str>, body_path: &[&str]) {
        if let Some(param) = query_param {
            self.query.retain(|(key, _)| key != param);
            self.extra_query.retain(|(key, _)| key != param);
        }
        if let (Some(extra), Some((last, parents))) = (&mut self.extra_body, body_path.split_last())
        {
            let mut node = Some(extra);
            for key in parents {
                node = node.and_then(|n| n.get_mut(*key));
            }
            if let Some(serde_json::Value::Object(map)) = node {
                map.remove(*last);
            }
        }
    }

    fn options_mut(&mut self) -> &mut RequestOptions {
        self
    }

    request_option_methods!();
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn encodes_everything_but_unreserved() {
        assert_eq!(encode_path_segment("a/b c"), "a%2Fb%20c");
        assert_eq!(encode_path_segment("AZaz09-._~"), "AZaz09-._~");
        assert_eq!(encode_path_segment("?#%+&é"), "%3F%23%25%2B%26%C3%A9");
    }

    #[test]
    fn the_fast_path_check_passes_only_what_the_full_check_passes() {
        // Every path of up to 6 characters over the characters that matter.
        let alphabet = ['/', '.', '%', '2', 'e', 'E', 'a'];
        let mut paths = vec![String::new()];
        let mut start = 0;
        for _ in 0..6 {
            let end = paths.len();
            for i in start..end {
                for c in alphabet {
                    let mut p = paths[i].clone();
                    p.push(c);
                    paths.push(p);
                }
            }
            start = end;
        }
        let mut fast = 0;
        for template in ["/x/{id}", "/{a}/{b}/{c}", "/x", "x/{id}", "/"] {
            for path in &paths {
                if plainly_safe(template, path) {
                    fast += 1;
                    assert!(check_segments(template, path).is_ok(), "{template} {path}");
                }
            }
        }
        assert!(fast > 1000);
    }

    #[test]
    fn dot_and_empty_path_parameters_are_rejected() {
        let t = "/contacts/{contact_id}/tags/{id}";
        assert!(check_path(t, "/contacts/c1/tags/t1").is_ok());
        assert!(
            check_path(t, "/contacts/a.b/tags/...").is_ok(),
            "not dot segments"
        );
        for (path, param) in [
            ("/contacts/../tags/t1", "contact_id"),
            ("/contacts/c1/tags/.", "id"),
            ("/contacts/c1/tags/%2E%2e", "id"),
            ("/contacts/.%2E/tags/x", "contact_id"),
            ("/contacts/c1/tags/", "id"),
            ("/contacts//tags/x", "contact_id"),
        ] {
            let e = check_path(t, path).unwrap_err();
            assert!(
                matches!(&e, Error::InvalidRequest(m) if m.contains(&format!("`{param}`"))),
                "{path}: {e}"
            );
        }
        assert!(check_path("/me", "/me").is_ok());
        // A path that does not line up with its template is still checked for dot segments.
        assert!(check_path("/x/{id}", "/x/a/..").is_err());
    }

    #[test]
    fn oversized_urls_are_rejected_briefly() {
        assert!(check_url_len("https://h/x", "/x").is_ok());
        let long = format!("https://h/{}", "a".repeat(100_000));
        let e = check_url_len(&long, "/notes/{id}").unwrap_err();
        let msg = e.to_string();
        assert!(msg.len() < 200 && msg.contains("/notes/{id}"), "{msg}");
    }

    #[test]
    fn query_helpers() {
        let s = RequestSpec::new(Method::GET, "/x", "/x".into())
            .query("a", 1)
            .query_opt("b", None::<&u32>)
            .query_opt("c", Some("z"))
            .query_all("d", [1, 2]);
        assert_eq!(
            s.query,
            vec![
                ("a".into(), "1".into()),
                ("c".into(), "z".into()),
                ("d".into(), "1".into()),
                ("d".into(), "2".into())
            ]
        );
        let mut s = s;
        s.set_query("d", "9".into());
        assert_eq!(s.query_value("d"), Some("9"));
        assert_eq!(s.query.len(), 3);
    }

    #[test]
    fn body_paths_are_created() {
        let mut s =
            RequestSpec::new(Method::POST, "/s", "/s".into()).json_body(&json!({"query": 1}));
        s.set_body_value(&["pagination", "starting_after"], json!("c1"));
        assert_eq!(
            s.body,
            Some(json!({"query": 1, "pagination": {"starting_after": "c1"}}))
        );
        assert_eq!(s.body_value(&["pagination", "starting_after"]), Some("c1"));
        let mut s = RequestSpec::new(Method::POST, "/s", "/s".into());
        s.set_body_value(&["a", "b"], json!(2));
        assert_eq!(s.body, Some(json!({"a": {"b": 2}})));
        let mut s = RequestSpec::new(Method::POST, "/s", "/s".into()).json_body(&json!({"a": 5}));
        s.set_body_value(&["a", "b"], json!(2));
        assert_eq!(s.body, Some(json!({"a": {"b": 2}})));
    }

    #[test]
    fn body_serialization_error_is_deferred() {
        struct Bad;
        impl serde::Serialize for Bad {
            fn serialize<S: serde::Serializer>(
                &self,
                _: S,
            ) -> std::result::Result<S::Ok, S::Error> {
                Err(serde::ser::Error::custom("nope"))
            }
        }
        let s = RequestSpec::new(Method::POST, "/s", "/s".into()).json_body(&Bad);
        assert!(s.body.is_none());
        assert!(s.body_error.as_deref().unwrap_or("").contains("nope"));
    }

    #[test]
    fn header_validation_hides_values() {
        assert!(header_pair("x-ok", "v").is_ok());
        let e = header_pair("bad name", "v").unwrap_err();
        assert!(matches!(e, Error::InvalidRequest(_)));
        let e = header_pair("x-secret", "line\nbreak-secret").unwrap_err();
        assert!(!e.to_string().contains("break-secret"));
        let (_, v) = header_pair("Authorization", "Bearer x").unwrap();
        assert!(v.is_sensitive());
    }

    #[test]
    fn options_merge_and_debug() {
        let mut a = RequestOptions::new().max_retries(1).header("h", "secret-v");
        a.merge(
            RequestOptions::new()
                .timeout(Duration::from_secs(1))
                .query("q", "1"),
        );
        assert_eq!(a.max_retries, Some(1));
        assert_eq!(a.timeout, Some(Duration::from_secs(1)));
        assert_eq!(a.query.len(), 1);
        assert!(!format!("{a:?}").contains("secret-v"));
    }
}
