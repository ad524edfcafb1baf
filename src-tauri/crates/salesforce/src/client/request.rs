//! One Salesforce request: what it is for, where it goes, and whether repeating it is safe.

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use reqwest::Method;
use serde_json::Value;
use url::Url;

use super::SalesforceError;
use crate::auth::Access;
use crate::ApiVersion;

/// Everything but RFC 3986 unreserved characters is encoded in a path segment.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// A path below `/services/data/vXX.X/`, from literal segments and encoded values.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DataPath {
    encoded: Vec<String>,
}

impl DataPath {
    pub fn new() -> DataPath {
        DataPath::default()
    }

    /// A fixed segment such as `sobjects` or `query`, sent as written.
    pub fn lit(mut self, segment: &str) -> DataPath {
        self.encoded.push(segment.to_string());
        self
    }

    /// A value (an id, a name), percent-encoded as a single segment.
    pub fn value(mut self, value: &str) -> DataPath {
        self.encoded
            .push(utf8_percent_encode(value, SEGMENT).to_string());
        self
    }

    /// The path with a trailing slash where Salesforce's examples have one
    /// (`/query/`, `/parameterizedSearch/`, `/sobjects/Event/updated/`).
    pub fn slash(mut self) -> DataPath {
        self.encoded.push(String::new());
        self
    }

    /// `/services/data/v62.0/{path}`, as Composite subrequests name it.
    pub(crate) fn absolute(&self, version: &ApiVersion) -> String {
        format!(
            "/services/data/{}/{}",
            version.segment(),
            self.encoded.join("/")
        )
    }
}

/// Where a request goes; resolved against the instance URL at each attempt, because a
/// renewed sign-in may name another instance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Target {
    /// `/services/data/`: the versions the org serves.
    Versions,
    /// Below `/services/data/vXX.X/`.
    Data(DataPath),
    /// A path the server gave (`nextRecordsUrl`), followed as given, on the instance only.
    ServerPath(String),
    /// The identity URL of the sign-in.
    Identity,
}

/// A request ready to send: retries rebuild the HTTP request from it.
#[derive(Debug, Clone)]
pub(crate) struct Request {
    pub operation: &'static str,
    pub method: Method,
    pub target: Target,
    pub query: Vec<(String, String)>,
    pub body: Option<Value>,
    pub headers: Vec<(&'static str, String)>,
    /// Sending it twice does no more than sending it once.
    pub idempotent: bool,
    /// It changes data, so it is held back when the daily allowance is down to the reserve.
    pub write: bool,
}

impl Request {
    /// A read (`GET`) or a change (any other method), the usual way.
    pub fn new(operation: &'static str, method: Method, target: Target) -> Request {
        let read = method == Method::GET;
        Request {
            operation,
            idempotent: method != Method::POST,
            write: !read,
            method,
            target,
            query: Vec::new(),
            body: None,
            headers: Vec::new(),
        }
    }

    pub fn data(operation: &'static str, method: Method, path: DataPath) -> Request {
        Request::new(operation, method, Target::Data(path))
    }

    pub fn query(mut self, name: &str, value: impl Into<String>) -> Request {
        self.query.push((name.to_string(), value.into()));
        self
    }

    pub fn body(mut self, body: Value) -> Request {
        self.body = Some(body);
        self
    }

    pub fn header(mut self, name: &'static str, value: impl Into<String>) -> Request {
        self.headers.push((name, value.into()));
        self
    }

    /// A `POST` that only reads (a search, a retrieve by ids, a Composite of queries).
    pub fn read_only(mut self) -> Request {
        self.idempotent = true;
        self.write = false;
        self
    }

    /// The URL for this attempt.
    pub fn url(
        &self,
        access: &Access,
        instance: &Url,
        version: &ApiVersion,
    ) -> Result<Url, SalesforceError> {
        let invalid = |detail: String| SalesforceError::Invalid {
            operation: self.operation,
            detail,
        };
        let mut url = match &self.target {
            Target::Identity => access.identity_url.url().clone(),
            Target::Versions => with_path(instance, "/services/data/"),
            Target::Data(path) => with_path(instance, &path.absolute(version)),
            Target::ServerPath(path) => {
                // The bearer token goes with it: only a data path on the instance is followed.
                if !path.starts_with("/services/data/") {
                    return Err(invalid(format!(
                        "the next page link is not a data path on the instance ({path})"
                    )));
                }
                let joined = instance
                    .join(path)
                    .map_err(|e| invalid(format!("the next page link is not a URL: {e}")))?;
                if joined.origin() != instance.origin() {
                    return Err(invalid(
                        "the next page link leaves the instance".to_string(),
                    ));
                }
                joined
            }
        };
        if !self.query.is_empty() {
            url.query_pairs_mut()
                .extend_pairs(self.query.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        }
        Ok(url)
    }
}

fn with_path(instance: &Url, path: &str) -> Url {
    let mut url = instance.clone();
    let root = instance.path().trim_end_matches('/');
    url.set_path(&format!("{root}{path}"));
    url.set_query(None);
    url.set_fragment(None);
    url
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use crate::auth::IdentityUrl;
    use onbehalf_secrets::Sensitive;

    fn access() -> Access {
        Access {
            token: Sensitive::from("t"),
            instance_url: Url::parse("https://na1.salesforce.com").unwrap(),
            identity_url: IdentityUrl::parse(
                "https://login.salesforce.com/id/00Dx0000000BV7zEAG/005x00000012Q9PAAU",
            )
            .unwrap(),
        }
    }

    #[test]
    fn values_are_one_encoded_segment_and_queries_are_form_encoded() {
        let a = access();
        let v = ApiVersion::parse("62.0").unwrap();
        let r = Request::data(
            "read",
            Method::GET,
            DataPath::new()
                .lit("sobjects")
                .lit("Event")
                .value("00U/../x"),
        )
        .query("fields", "Id,Subject");
        assert_eq!(
            r.url(&a, &a.instance_url, &v).unwrap().as_str(),
            "https://na1.salesforce.com/services/data/v62.0/sobjects/Event/00U%2F..%2Fx?fields=Id%2CSubject"
        );
        let q = Request::data("query", Method::GET, DataPath::new().lit("query").slash())
            .query("q", "SELECT Id FROM Contact WHERE Email = 'a+b@x.com'");
        assert_eq!(
            q.url(&a, &a.instance_url, &v).unwrap().as_str(),
            "https://na1.salesforce.com/services/data/v62.0/query/?q=SELECT+Id+FROM+Contact+WHERE+Email+%3D+%27a%2Bb%40x.com%27"
        );
    }

    #[test]
    fn only_data_paths_on_the_instance_are_followed() {
        let a = access();
        let v = ApiVersion::parse("62.0").unwrap();
        let next = |p: &str| {
            Request::new("query", Method::GET, Target::ServerPath(p.to_string())).url(
                &a,
                &a.instance_url,
                &v,
            )
        };
        assert_eq!(
            next("/services/data/v62.0/query/01gD0000002HU6KIAW-2000")
                .unwrap()
                .as_str(),
            "https://na1.salesforce.com/services/data/v62.0/query/01gD0000002HU6KIAW-2000"
        );
        assert!(next("//evil.example/services/data/x").is_err());
        assert!(next("https://evil.example/services/data/x").is_err());
        assert!(next("/id/00D/005").is_err());
    }
}
