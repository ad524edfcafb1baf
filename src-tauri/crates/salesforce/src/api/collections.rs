//! sObject Collections (`/composite/sobjects`): up to 200 records per call, each with its own
//! result inside an HTTP 200. Larger inputs go in several calls; results always come back one
//! per input, in the order given.

use reqwest::Method;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Map, Value};

use super::to_body;
use crate::client::{codes, from_errors, DataPath, Request, SalesforceError};
use crate::models::{SObject, SaveResult};
use crate::soql::is_id;
use crate::SalesforceClient;

/// Records per Collections call.
pub const MAX_COLLECTION: usize = 200;

/// One input's outcome: its own success or Salesforce's refusal of it (or of its whole call).
pub type ItemOutcome<T> = Result<T, SalesforceError>;

pub struct CollectionsApi<'a> {
    client: &'a SalesforceClient,
}

impl<'a> CollectionsApi<'a> {
    pub(crate) fn new(client: &'a SalesforceClient) -> Self {
        CollectionsApi { client }
    }

    /// `POST /composite/sobjects`: create records of `sobject`.
    pub fn create<B: Serialize>(&self, sobject: SObject, records: &[B]) -> CreateRecords<'a> {
        const OPERATION: &str = "create records";
        let slots = records
            .iter()
            .map(|r| typed_record(OPERATION, sobject, None, r))
            .collect();
        CreateRecords(Batch::new(self.client, OPERATION, Method::POST, slots))
    }

    /// `PATCH /composite/sobjects`: update records of `sobject`, each given with its id.
    pub fn update<B: Serialize>(
        &self,
        sobject: SObject,
        records: &[(String, B)],
    ) -> UpdateRecords<'a> {
        const OPERATION: &str = "update records";
        let slots = records
            .iter()
            .map(|(id, r)| typed_record(OPERATION, sobject, Some(id), r))
            .collect();
        UpdateRecords(Batch::new(self.client, OPERATION, Method::PATCH, slots))
    }

    /// `PATCH /composite/sobjects/{type}/{field}`: create records of `sobject`, or update the
    /// one that already has the same value of the external id `field` (each record carries
    /// it), so a record is never made twice.
    pub fn upsert<B: Serialize>(
        &self,
        sobject: SObject,
        field: &'static str,
        records: &[B],
    ) -> CreateRecords<'a> {
        const OPERATION: &str = "create or update records by external id";
        let slots = records
            .iter()
            .map(|r| typed_record(OPERATION, sobject, None, r))
            .collect();
        let mut batch = Batch::new(self.client, OPERATION, Method::PATCH, slots);
        batch.path = vec![sobject.api_name().to_string(), field.to_string()];
        CreateRecords(batch)
    }

    /// `DELETE /composite/sobjects?ids=…`
    pub fn delete(&self, ids: &[String]) -> DeleteRecords<'a> {
        const OPERATION: &str = "delete records";
        let slots = ids
            .iter()
            .map(|id| checked_id(OPERATION, id).map(|id| Value::String(id.to_string())))
            .collect();
        DeleteRecords(Batch::new(self.client, OPERATION, Method::DELETE, slots))
    }

    /// `POST /composite/sobjects/{type}` with ids and fields: records by id, `None` for one
    /// that is not there (or not visible).
    pub fn retrieve(
        &self,
        sobject: SObject,
        ids: &[String],
        fields: &[&str],
    ) -> RetrieveRecords<'a> {
        RetrieveRecords {
            client: self.client,
            sobject,
            ids: ids.to_vec(),
            fields: fields.iter().map(|f| f.to_string()).collect(),
        }
    }
}

/// A record with its `attributes.type` (and `id`, for an update).
fn typed_record<B: Serialize>(
    operation: &'static str,
    sobject: SObject,
    id: Option<&String>,
    record: &B,
) -> Result<Value, SalesforceError> {
    let Value::Object(fields) = to_body(operation, record)? else {
        return Err(SalesforceError::Invalid {
            operation,
            detail: "a record must be written as an object".to_string(),
        });
    };
    let mut object = Map::new();
    object.insert("attributes".into(), json!({ "type": sobject.api_name() }));
    if let Some(id) = id {
        object.insert(
            "id".into(),
            Value::String(checked_id(operation, id)?.to_string()),
        );
    }
    object.extend(fields);
    Ok(Value::Object(object))
}

fn checked_id<'s>(operation: &'static str, id: &'s str) -> Result<&'s str, SalesforceError> {
    if is_id(id) {
        Ok(id)
    } else {
        Err(SalesforceError::Invalid {
            operation,
            detail: "this is not a Salesforce record id".to_string(),
        })
    }
}

/// The inputs of a write, each ready to send or already refused.
struct Batch<'a> {
    client: &'a SalesforceClient,
    operation: &'static str,
    method: Method,
    /// Below `/composite/sobjects` (an upsert's type and external id field).
    path: Vec<String>,
    slots: Vec<Result<Value, SalesforceError>>,
    all_or_none: bool,
}

impl<'a> Batch<'a> {
    fn new(
        client: &'a SalesforceClient,
        operation: &'static str,
        method: Method,
        slots: Vec<Result<Value, SalesforceError>>,
    ) -> Self {
        Batch {
            client,
            operation,
            method,
            path: Vec::new(),
            slots,
            all_or_none: false,
        }
    }

    /// Send the ready inputs, 200 per call, in order. When the first call fails as a whole,
    /// nothing was done and that is the error; when a later one does, the items it carried
    /// and all after it get that error, and the results of the calls before are kept.
    async fn send(mut self) -> Result<Vec<ItemOutcome<Option<String>>>, SalesforceError> {
        let mut out: Vec<Option<ItemOutcome<Option<String>>>> =
            Vec::with_capacity(self.slots.len());
        let mut ready: Vec<(usize, Value)> = Vec::new();
        let slots = std::mem::take(&mut self.slots);
        for (i, slot) in slots.into_iter().enumerate() {
            match slot {
                Ok(value) => {
                    out.push(None);
                    ready.push((i, value));
                }
                Err(e) => out.push(Some(Err(e))),
            }
        }
        let mut failed: Option<SalesforceError> = None;
        for (n, chunk) in ready.chunks(MAX_COLLECTION).enumerate() {
            if let Some(e) = &failed {
                for (i, _) in chunk {
                    out[*i] = Some(Err(e.clone()));
                }
                continue;
            }
            match self.send_chunk(chunk).await {
                Ok(results) => {
                    for ((i, _), result) in chunk.iter().zip(results) {
                        out[*i] = Some(result);
                    }
                }
                Err(e) if n == 0 => return Err(e),
                Err(e) => {
                    for (i, _) in chunk {
                        out[*i] = Some(Err(e.clone()));
                    }
                    failed = Some(e);
                }
            }
        }
        Ok(out
            .into_iter()
            .map(|o| {
                o.unwrap_or_else(|| {
                    Err(SalesforceError::Invalid {
                        operation: self.operation,
                        detail: "no result came back for this record".to_string(),
                    })
                })
            })
            .collect())
    }

    /// Send one call's records. A record refused with `UNABLE_TO_LOCK_ROW` was not written,
    /// so it is sent again (alone, or with the whole call under `allOrNone`, which rolled
    /// every record back), within the client's retry bounds; the other results stand.
    async fn send_chunk(
        &self,
        chunk: &[(usize, Value)],
    ) -> Result<Vec<ItemOutcome<Option<String>>>, SalesforceError> {
        let mut results = self.send_call(chunk).await?;
        let retry = self.client.retry_policy();
        let mut attempt = 1;
        loop {
            let locked: Vec<usize> = results
                .iter()
                .enumerate()
                .filter(|(_, r)| {
                    r.as_ref()
                        .is_err_and(|e| e.has_code(codes::UNABLE_TO_LOCK_ROW))
                })
                .map(|(k, _)| k)
                .collect();
            if locked.is_empty() || attempt >= retry.max_attempts {
                return Ok(results);
            }
            let again: Vec<usize> = if self.all_or_none {
                (0..chunk.len()).collect()
            } else {
                locked
            };
            let wait = retry.delay(attempt, None);
            tracing::warn!(
                attempt,
                records = again.len(),
                wait_ms = wait.as_millis() as u64,
                "records were locked; sending them again"
            );
            tokio::time::sleep(wait).await;
            attempt += 1;
            let subset: Vec<(usize, Value)> = again
                .iter()
                .filter_map(|k| chunk.get(*k).cloned())
                .collect();
            match self.send_call(&subset).await {
                Ok(retried) => {
                    for (k, result) in again.into_iter().zip(retried) {
                        if let Some(slot) = results.get_mut(k) {
                            *slot = result;
                        }
                    }
                }
                // The locked rows' refusals stand: as far as is known they were not written.
                Err(e) => {
                    tracing::warn!(error = %e, "sending locked records again failed");
                    return Ok(results);
                }
            }
        }
    }

    async fn send_call(
        &self,
        chunk: &[(usize, Value)],
    ) -> Result<Vec<ItemOutcome<Option<String>>>, SalesforceError> {
        let mut path = DataPath::new().lit("composite").lit("sobjects");
        for segment in &self.path {
            path = path.value(segment);
        }
        let mut req = Request::data(self.operation, self.method.clone(), path);
        if self.method == Method::DELETE {
            let ids: Vec<&str> = chunk.iter().filter_map(|(_, v)| v.as_str()).collect();
            req = req
                .query("ids", ids.join(","))
                .query("allOrNone", self.all_or_none.to_string());
        } else {
            let records: Vec<&Value> = chunk.iter().map(|(_, v)| v).collect();
            req = req.body(json!({ "allOrNone": self.all_or_none, "records": records }));
        }
        let results: Vec<SaveResult> = self.client.send_json(&req).await?;
        if results.len() != chunk.len() {
            return Err(SalesforceError::Decode {
                operation: self.operation,
                detail: format!(
                    "{} results came back for {} records",
                    results.len(),
                    chunk.len()
                ),
            });
        }
        Ok(results
            .into_iter()
            .map(|r| {
                if r.success {
                    Ok(r.id)
                } else {
                    Err(from_errors(self.operation, 200, r.errors, None))
                }
            })
            .collect())
    }
}

/// The builder of a Collections create.
pub struct CreateRecords<'a>(Batch<'a>);

impl CreateRecords<'_> {
    /// Roll every record back when one fails (default: each stands alone).
    pub fn all_or_none(mut self, yes: bool) -> Self {
        self.0.all_or_none = yes;
        self
    }

    /// One new id per record, in order.
    #[tracing::instrument(skip_all, err)]
    pub async fn send(self) -> Result<Vec<ItemOutcome<String>>, SalesforceError> {
        let operation = self.0.operation;
        Ok(self
            .0
            .send()
            .await?
            .into_iter()
            .map(|r| {
                r.and_then(|id| {
                    id.ok_or(SalesforceError::Decode {
                        operation,
                        detail: "a created record came back without its id".to_string(),
                    })
                })
            })
            .collect())
    }
}

/// The builder of a Collections update.
pub struct UpdateRecords<'a>(Batch<'a>);

impl UpdateRecords<'_> {
    pub fn all_or_none(mut self, yes: bool) -> Self {
        self.0.all_or_none = yes;
        self
    }

    /// One result per record, in order.
    #[tracing::instrument(skip_all, err)]
    pub async fn send(self) -> Result<Vec<ItemOutcome<()>>, SalesforceError> {
        Ok(self
            .0
            .send()
            .await?
            .into_iter()
            .map(|r| r.map(|_| ()))
            .collect())
    }
}

/// The builder of a Collections delete.
pub struct DeleteRecords<'a>(Batch<'a>);

impl DeleteRecords<'_> {
    pub fn all_or_none(mut self, yes: bool) -> Self {
        self.0.all_or_none = yes;
        self
    }

    /// One result per id, in order.
    #[tracing::instrument(skip_all, err)]
    pub async fn send(self) -> Result<Vec<ItemOutcome<()>>, SalesforceError> {
        Ok(self
            .0
            .send()
            .await?
            .into_iter()
            .map(|r| r.map(|_| ()))
            .collect())
    }
}

/// The builder of a Collections retrieve.
pub struct RetrieveRecords<'a> {
    client: &'a SalesforceClient,
    sobject: SObject,
    ids: Vec<String>,
    fields: Vec<String>,
}

impl RetrieveRecords<'_> {
    /// One record (or `None`) per id, in order.
    #[tracing::instrument(skip_all, err)]
    pub async fn send<T: DeserializeOwned>(self) -> Result<Vec<Option<T>>, SalesforceError> {
        const OPERATION: &str = "read records";
        let mut out = Vec::with_capacity(self.ids.len());
        for chunk in self.ids.chunks(MAX_COLLECTION) {
            let path = DataPath::new()
                .lit("composite")
                .lit("sobjects")
                .lit(self.sobject.api_name());
            // POST, not GET: 200 ids and the fields would make a URL too long for some hops.
            let req = Request::data(OPERATION, Method::POST, path)
                .body(json!({ "ids": chunk, "fields": self.fields }))
                .read_only();
            let records: Vec<Option<T>> = self.client.send_json(&req).await?;
            if records.len() != chunk.len() {
                return Err(SalesforceError::Decode {
                    operation: OPERATION,
                    detail: format!(
                        "{} records came back for {} ids",
                        records.len(),
                        chunk.len()
                    ),
                });
            }
            out.extend(records);
        }
        Ok(out)
    }
}
