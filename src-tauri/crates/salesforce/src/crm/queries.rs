//! Several SOQL queries in as few calls as Composite allows. A query sent inside a Composite
//! body is not bound by the 16,384 bytes a request's URI and headers may take, which a query
//! naming 200 Exchange ids would pass.

use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::api::{CompositeBuilder, CompositeResponse, MAX_COMPOSITE_QUERIES};
use crate::client::{DataPath, Page, Pager, SalesforceError};
use crate::models::{ObjectDescribe, SObject};
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
        let mut answer = with_queries(client.composite(), group).send().await?;
        records.extend(read_group(client, &mut answer, group.len()).await?);
    }
    Ok(records)
}

/// The same, with `sobject`'s describe sent along in the first call. When `go_on` finds in the
/// describe that the queries cannot stand (a field they name is not there), their answers are
/// left unread and no further call is made: no records.
pub(crate) async fn run_queries_describing<T: DeserializeOwned>(
    client: &SalesforceClient,
    sobject: SObject,
    soql: Vec<String>,
    go_on: impl FnOnce(&ObjectDescribe) -> bool,
) -> Result<Vec<T>, SalesforceError> {
    let first = soql.len().min(MAX_COMPOSITE_QUERIES);
    let (group, rest) = soql.split_at(first);
    let path = DataPath::new()
        .lit("sobjects")
        .lit(sobject.api_name())
        .lit("describe");
    let composite = client.composite().get(DESCRIBE, path, &[]);
    let mut answer = with_queries(composite, group).send().await?;
    let describe: ObjectDescribe = answer.take(DESCRIBE)?;
    if !go_on(&describe) {
        return Ok(Vec::new());
    }
    let mut records = read_group(client, &mut answer, group.len()).await?;
    records.extend(run_queries(client, rest.to_vec()).await?);
    Ok(records)
}

const DESCRIBE: &str = "describe";

fn with_queries<'a>(mut composite: CompositeBuilder<'a>, group: &[String]) -> CompositeBuilder<'a> {
    for (i, q) in group.iter().enumerate() {
        composite = composite.query(&format!("q{i}"), q);
    }
    composite
}

/// The records the `n` queries of one Composite call answered, each followed to its end.
async fn read_group<T: DeserializeOwned>(
    client: &SalesforceClient,
    answer: &mut CompositeResponse,
    n: usize,
) -> Result<Vec<T>, SalesforceError> {
    let mut records = Vec::new();
    for i in 0..n {
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
    Ok(records)
}

fn decode<T: DeserializeOwned>(values: Vec<Value>) -> Result<Vec<T>, SalesforceError> {
    values
        .into_iter()
        .map(|v| crate::client::decode_value(OPERATION, v))
        .collect()
}
