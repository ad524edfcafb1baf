//! Composite (`/composite`): up to 25 subrequests in one call (counted as one against the
//! allowance), each answered with its own status and body under its `referenceId`.

use reqwest::Method;
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::client::{decode_value, from_errors, parse_errors, DataPath, Request, SalesforceError};
use crate::models::CompositeSubresponse;
use crate::SalesforceClient;

/// Subrequests per call.
pub const MAX_COMPOSITE_SUBREQUESTS: usize = 25;
/// Of those, queries and Collections operations.
pub const MAX_COMPOSITE_QUERIES: usize = 5;

const OPERATION: &str = "send several requests in one call";

pub struct CompositeBuilder<'a> {
    client: &'a SalesforceClient,
    all_or_none: bool,
    subrequests: Vec<Value>,
    queries: usize,
    writes: bool,
    invalid: Option<String>,
}

impl<'a> CompositeBuilder<'a> {
    pub(crate) fn new(client: &'a SalesforceClient) -> Self {
        CompositeBuilder {
            client,
            all_or_none: false,
            subrequests: Vec::new(),
            queries: 0,
            writes: false,
            invalid: None,
        }
    }

    /// Roll every subrequest back when one fails (default: each stands alone).
    pub fn all_or_none(mut self, yes: bool) -> Self {
        self.all_or_none = yes;
        self
    }

    /// A SOQL query answered under `reference_id` (its first batch).
    pub fn query(mut self, reference_id: &str, soql: &str) -> Self {
        let q: String = url::form_urlencoded::byte_serialize(soql.as_bytes()).collect();
        let url = format!(
            "{}?q={q}",
            DataPath::new()
                .lit("query")
                .slash()
                .absolute(self.client.api_version())
        );
        self.queries += 1;
        self.push(reference_id, Method::GET, url, None)
    }

    /// Any other subrequest below `/services/data/vXX.X/`.
    pub fn request(
        mut self,
        reference_id: &str,
        method: Method,
        path: DataPath,
        body: Option<Value>,
    ) -> Self {
        let url = path.absolute(self.client.api_version());
        if method != Method::GET {
            self.writes = true;
        }
        self.push(reference_id, method, url, body)
    }

    /// A GET subrequest with query parameters (encoded here).
    pub fn get(self, reference_id: &str, path: DataPath, query: &[(&str, String)]) -> Self {
        let mut url = path.absolute(self.client.api_version());
        if !query.is_empty() {
            let mut q = url::form_urlencoded::Serializer::new(String::new());
            for (name, value) in query {
                q.append_pair(name, value);
            }
            url = format!("{url}?{}", q.finish());
        }
        self.push(reference_id, Method::GET, url, None)
    }

    fn push(
        mut self,
        reference_id: &str,
        method: Method,
        url: String,
        body: Option<Value>,
    ) -> Self {
        let well_formed = !reference_id.is_empty()
            && reference_id
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_');
        if !well_formed {
            self.invalid = Some(format!("\"{reference_id}\" cannot be a reference id"));
        }
        let mut sub = json!({ "method": method.as_str(), "url": url, "referenceId": reference_id });
        if let Some(body) = body {
            sub["body"] = body;
        }
        self.subrequests.push(sub);
        self
    }

    /// The subresponses, by reference id.
    #[tracing::instrument(skip_all, err)]
    pub async fn send(self) -> Result<CompositeResponse, SalesforceError> {
        let invalid = |detail: String| SalesforceError::Invalid {
            operation: OPERATION,
            detail,
        };
        if let Some(detail) = self.invalid {
            return Err(invalid(detail));
        }
        if self.subrequests.len() > MAX_COMPOSITE_SUBREQUESTS {
            return Err(invalid(format!(
                "{} subrequests, more than the {MAX_COMPOSITE_SUBREQUESTS} one call takes",
                self.subrequests.len()
            )));
        }
        if self.queries > MAX_COMPOSITE_QUERIES {
            return Err(invalid(format!(
                "{} queries, more than the {MAX_COMPOSITE_QUERIES} one call takes",
                self.queries
            )));
        }
        if self.subrequests.is_empty() {
            return Ok(CompositeResponse { items: Vec::new() });
        }
        let mut req = Request::data(OPERATION, Method::POST, DataPath::new().lit("composite"))
            .body(json!({ "allOrNone": self.all_or_none, "compositeRequest": self.subrequests }));
        if !self.writes {
            req = req.read_only();
        }
        #[derive(Deserialize)]
        #[serde(rename_all = "camelCase")]
        struct Answer {
            composite_response: Vec<CompositeSubresponse>,
        }
        let answer: Answer = self.client.send_json(&req).await?;
        Ok(CompositeResponse {
            items: answer.composite_response,
        })
    }
}

/// The answers of a Composite call.
#[derive(Debug, Clone, PartialEq)]
pub struct CompositeResponse {
    items: Vec<CompositeSubresponse>,
}

impl CompositeResponse {
    pub fn subresponses(&self) -> &[CompositeSubresponse] {
        &self.items
    }

    /// The body of subrequest `reference_id`, decoded; its refusal keeps Salesforce's codes.
    pub fn take<T: DeserializeOwned>(&mut self, reference_id: &str) -> Result<T, SalesforceError> {
        let Some(at) = self
            .items
            .iter()
            .position(|i| i.reference_id == reference_id)
        else {
            return Err(SalesforceError::Decode {
                operation: OPERATION,
                detail: format!("no answer came back for \"{reference_id}\""),
            });
        };
        let item = self.items.swap_remove(at);
        if (200..300).contains(&item.http_status_code) {
            return decode_value(OPERATION, item.body);
        }
        let status = reqwest::StatusCode::from_u16(item.http_status_code)
            .unwrap_or(reqwest::StatusCode::BAD_REQUEST);
        let body = serde_json::to_vec(&item.body).unwrap_or_default();
        Err(from_errors(
            OPERATION,
            item.http_status_code,
            parse_errors(status, &body),
            None,
        ))
    }
}
