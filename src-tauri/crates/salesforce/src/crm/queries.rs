//! Several SOQL queries in as few calls as Composite allows. A query sent inside a Composite
//! body is not bound by the 16,384 bytes a request's URI and headers may take, which a query
//! naming 200 Exchange ids would pass.

use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::api::MAX_COMPOSITE_QUERIES;
use crate::client::{Page, Pager, SalesforceError};
use crate::SalesforceClient;

const OPERATION: &str = "read records";

/// The records of every query, in the order of the queries: up to five queries per Composite
/// call, and any query with more than one batch followed to its end.
pub(crate) async fn run_queries<T: DeserializeOwned>(
    client: &SalesforceClient,
    soql: Vec<String>,
) -> Result<Vec<T>, SalesforceError> {
    let mut records = Vec::new();
    for group in soql.chunks(MAX_COMPOSITE_QUERIES) {
        let mut composite = client.composite();
        for (i, q) in group.iter().enumerate() {
            composite = composite.query(&format!("q{i}"), q);
        }
        let mut answer = composite.send().await?;
        for i in 0..group.len() {
            let page: Page<Value> = answer.take(&format!("q{i}"))?;
            let more = (!page.done)
                .then_some(page.next_records_url.clone())
                .flatten();
            records.extend(decode(page.records)?);
            if let Some(next) = more {
                let rest: Vec<T> = Pager::continue_from(client.clone(), OPERATION, &next)
                    .all()
                    .await?;
                records.extend(rest);
            }
        }
    }
    Ok(records)
}

fn decode<T: DeserializeOwned>(values: Vec<Value>) -> Result<Vec<T>, SalesforceError> {
    values
        .into_iter()
        .map(|v| crate::client::decode_value(OPERATION, v))
        .collect()
}
