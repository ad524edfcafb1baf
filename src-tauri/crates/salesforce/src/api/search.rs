//! Parameterized Search (`POST /parameterizedSearch/`): records of several objects matching a
//! few typed letters.

use reqwest::Method;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::client::{DataPath, Request, SalesforceError};
use crate::models::{LinkRecord, SObject};
use crate::soql::sosl_prefix;
use crate::SalesforceClient;

pub struct ParameterizedSearch<'a> {
    client: &'a SalesforceClient,
    text: String,
    objects: Vec<(SObject, u32)>,
    overall_limit: Option<u32>,
}

impl<'a> ParameterizedSearch<'a> {
    pub(crate) fn new(client: &'a SalesforceClient, text: String) -> Self {
        ParameterizedSearch {
            client,
            text,
            objects: Vec::new(),
            overall_limit: None,
        }
    }

    /// Search `sobject` too, returning at most `limit` of its records with the fields that
    /// show them ([`SObject::link_fields`]).
    pub fn object(mut self, sobject: SObject, limit: u32) -> Self {
        self.objects.push((sobject, limit.clamp(1, 200)));
        self
    }

    /// At most this many records in all.
    pub fn overall_limit(mut self, limit: u32) -> Self {
        self.overall_limit = Some(limit.clamp(1, 2000));
        self
    }

    /// The matching records, best first. Text with fewer than two letters or digits matches
    /// nothing and sends nothing.
    #[tracing::instrument(skip_all, err)]
    pub async fn send(self) -> Result<Vec<LinkRecord>, SalesforceError> {
        let Some(q) = sosl_prefix(&self.text) else {
            return Ok(Vec::new());
        };
        if self.objects.is_empty() {
            return Ok(Vec::new());
        }
        let sobjects: Vec<Value> = self
            .objects
            .iter()
            .map(|(o, limit)| json!({ "name": o.api_name(), "fields": o.link_fields(), "limit": limit }))
            .collect();
        let mut body = json!({ "q": q, "in": "ALL", "fields": ["Id"], "sobjects": sobjects });
        if let Some(limit) = self.overall_limit {
            body["overallLimit"] = json!(limit);
        }
        let req = Request::data(
            "search records",
            Method::POST,
            DataPath::new().lit("parameterizedSearch").slash(),
        )
        .body(body)
        .read_only();
        #[derive(Deserialize)]
        #[serde(rename_all = "camelCase")]
        struct Answer {
            #[serde(default)]
            search_records: Vec<LinkRecord>,
        }
        let answer: Answer = self.client.send_json(&req).await?;
        Ok(answer.search_records)
    }
}
