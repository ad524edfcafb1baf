//! One Graph request: operation name, method, URL with encoded segments, body.

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use reqwest::Method;
use serde_json::Value;
use url::Url;

use super::GraphError;

/// Everything but RFC 3986 unreserved characters is encoded: ids are opaque and may hold
/// `/`, `+` or `=`, which must reach Graph as part of one segment.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Query values: as for segments; `$` stays literal in OData option names.
const QUERY_NAME: &AsciiSet = &SEGMENT.remove(b'$');

/// A path below the Graph root, built from literal segments and opaque values.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GraphPath {
    encoded: Vec<String>,
}

impl GraphPath {
    pub fn new() -> Self {
        GraphPath::default()
    }

    /// A fixed segment such as `me`, `calendars` or `$batch`, sent as written.
    pub fn lit(mut self, segment: &'static str) -> Self {
        self.encoded.push(segment.to_string());
        self
    }

    /// An opaque value (an id, an address), percent-encoded as a single segment.
    pub fn id(mut self, value: &str) -> Self {
        self.encoded
            .push(utf8_percent_encode(value, SEGMENT).to_string());
        self
    }

    /// The encoded path and query relative to the Graph root, as `$batch` members name it:
    /// `/me/events/AAMk%2F…?$select=subject`.
    pub fn relative(&self, query: &[(&str, String)]) -> String {
        let mut out = format!("/{}", self.encoded.join("/"));
        if !query.is_empty() {
            out.push('?');
            out.push_str(&encode_query(query));
        }
        out
    }

    pub(crate) fn url(&self, base: &Url, query: &[(&str, String)]) -> Url {
        let mut url = base.clone();
        let root = base.path().trim_end_matches('/');
        url.set_path(&format!("{root}/{}", self.encoded.join("/")));
        url.set_query(None);
        if !query.is_empty() {
            url.set_query(Some(&encode_query(query)));
        }
        url
    }
}

fn encode_query(query: &[(&str, String)]) -> String {
    query
        .iter()
        .map(|(k, v)| {
            format!(
                "{}={}",
                utf8_percent_encode(k, QUERY_NAME),
                utf8_percent_encode(v, SEGMENT)
            )
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// A request ready to send: retries rebuild the HTTP request from it.
#[derive(Debug, Clone)]
pub struct Request {
    pub(crate) operation: &'static str,
    pub(crate) method: Method,
    pub(crate) url: Url,
    pub(crate) body: Option<Value>,
    /// Headers beyond the ones every call carries.
    pub(crate) headers: Vec<(String, String)>,
    /// A POST the server itself makes idempotent (an event create with a `transactionId`).
    pub(crate) repeatable: bool,
}

impl Request {
    pub(crate) fn new(operation: &'static str, method: Method, url: Url) -> Self {
        Request {
            operation,
            method,
            url,
            body: None,
            headers: Vec::new(),
            repeatable: false,
        }
    }

    pub(crate) fn with_body(mut self, body: Value) -> Self {
        self.body = Some(body);
        self
    }

    /// Add a header beyond the ones every call carries (`Prefer`, `If-Match`).
    pub(crate) fn with_header(mut self, name: &str, value: impl Into<String>) -> Self {
        self.headers.push((name.to_string(), value.into()));
        self
    }

    /// Mark a POST as safe to send again after a failure that may have reached the server,
    /// because the server recognises the repeat (and does not act twice).
    pub(crate) fn repeatable(mut self) -> Self {
        self.repeatable = true;
        self
    }

    pub fn operation(&self) -> &'static str {
        self.operation
    }

    pub fn url(&self) -> &Url {
        &self.url
    }

    /// Whether sending it twice does no more than sending it once. Only such requests are
    /// retried after a failure that may have reached the server (a timeout, a 504).
    pub(crate) fn is_idempotent(&self) -> bool {
        self.method != Method::POST || self.repeatable
    }
}

/// Serialize a request body, naming the operation when that fails.
pub(crate) fn to_body<T: serde::Serialize + ?Sized>(
    operation: &'static str,
    value: &T,
) -> Result<Value, GraphError> {
    serde_json::to_value(value).map_err(|e| GraphError::Invalid {
        operation,
        detail: format!("the request body cannot be written: {e}"),
    })
}

/// Quote a value for an OData string literal (`'` doubles).
pub(crate) fn odata_string(value: &str) -> String {
    format!("'{}'", value.replace('\'', "''"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_one_encoded_segment() {
        let base = Url::parse("https://graph.microsoft.com/v1.0").unwrap();
        let url = GraphPath::new()
            .lit("users")
            .id("megan@contoso.com")
            .lit("events")
            .id("AAMk/a+b=")
            .url(&base, &[]);
        assert_eq!(
            url.as_str(),
            "https://graph.microsoft.com/v1.0/users/megan%40contoso.com/events/AAMk%2Fa%2Bb%3D"
        );
    }

    #[test]
    fn query_values_are_encoded_and_option_names_keep_their_dollar() {
        let base = Url::parse("http://127.0.0.1:9/v1.0/").unwrap();
        let url = GraphPath::new().lit("me").lit("calendar").url(
            &base,
            &[(
                "$expand",
                "singleValueExtendedProperties($filter=id eq 'String {x} Name A')".to_string(),
            )],
        );
        assert_eq!(
            url.as_str(),
            "http://127.0.0.1:9/v1.0/me/calendar?$expand=singleValueExtendedProperties%28%24filter%3Did%20eq%20%27String%20%7Bx%7D%20Name%20A%27%29"
        );
        assert_eq!(odata_string("O'Neil"), "'O''Neil'");
    }
}
