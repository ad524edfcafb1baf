//! `UserRecordAccess`: what one user may do with records, at most 200 ids per query.

use crate::client::SalesforceError;
use crate::models::RecordAccess;
use crate::soql::{in_list, is_id, quote};
use crate::SalesforceClient;

/// Record ids per `UserRecordAccess` query.
const MAX_IDS: usize = 200;

pub struct RecordAccessQuery<'a> {
    client: &'a SalesforceClient,
    user_id: String,
    ids: Vec<String>,
}

impl<'a> RecordAccessQuery<'a> {
    pub(crate) fn new(client: &'a SalesforceClient, user_id: &str, ids: &[String]) -> Self {
        RecordAccessQuery {
            client,
            user_id: user_id.to_string(),
            ids: ids.to_vec(),
        }
    }

    /// One row per record the running user can see (Salesforce leaves out the others), in
    /// no particular order. Values that are not ids are not asked about.
    #[tracing::instrument(skip_all, err)]
    pub async fn send(self) -> Result<Vec<RecordAccess>, SalesforceError> {
        if !is_id(&self.user_id) {
            return Err(SalesforceError::Invalid {
                operation: "check record access",
                detail: "the user is not named by a Salesforce id".to_string(),
            });
        }
        let ids: Vec<&str> = self
            .ids
            .iter()
            .map(String::as_str)
            .filter(|id| is_id(id))
            .collect();
        let mut rows = Vec::new();
        for chunk in ids.chunks(MAX_IDS) {
            let Some(list) = in_list(chunk.iter().copied()) else {
                continue;
            };
            let soql = format!(
                "SELECT RecordId, HasReadAccess, HasEditAccess, HasDeleteAccess, MaxAccessLevel \
                 FROM UserRecordAccess WHERE UserId = {} AND RecordId IN {list}",
                quote(&self.user_id)
            );
            rows.extend(self.client.query(soql).all::<RecordAccess>().await?);
        }
        Ok(rows)
    }
}
