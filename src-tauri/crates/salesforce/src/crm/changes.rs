//! What changed in the Event object since a cursor, by Get Updated and Get Deleted sent
//! together in one Composite call.

use std::collections::BTreeSet;

use chrono::{DateTime, Duration, Utc};
use onbehalf_engine::crm::{Changes, CrmError};

use super::errors::crm_error;
use crate::client::{codes, SalesforceError};
use crate::models::{DeletedRecords, SObject, UpdatedRecords};
use crate::SalesforceClient;

/// How far back Get Deleted reaches (Get Updated reaches 30 days; the stricter one decides).
pub(crate) const DELETED_WINDOW_DAYS: i64 = 15;
/// How far back Get Updated reaches.
pub(crate) const UPDATED_WINDOW_DAYS: i64 = 30;

pub(crate) async fn changes_since(
    client: &SalesforceClient,
    now: DateTime<Utc>,
    cursor: Option<DateTime<Utc>>,
) -> Result<Changes, CrmError> {
    let Some(cursor) = cursor else {
        return Ok(nothing(now));
    };
    let window = Duration::days(DELETED_WINDOW_DAYS.min(UPDATED_WINDOW_DAYS));
    if cursor < now - window {
        return Ok(Changes::TooOld);
    }
    // Salesforce ignores seconds: within the same minute there is nothing to ask.
    if now - cursor < Duration::minutes(1) {
        return Ok(nothing(cursor));
    }
    // Get Updated and Get Deleted in one Composite call: a poll that finds nothing costs
    // one request.
    let changes = client.changes(SObject::Event);
    let (updated_path, updated_query) = changes.subrequest("updated", cursor, now);
    let (deleted_path, deleted_query) = changes.subrequest("deleted", cursor, now);
    let mut answer = client
        .composite()
        .get("updated", updated_path, &updated_query)
        .get("deleted", deleted_path, &deleted_query)
        .send()
        .await
        .map_err(|e| crm_error(&e))?;
    let updated: UpdatedRecords = match answer.take("updated") {
        Ok(u) => u,
        Err(e) if outside_window(&e) => return Ok(Changes::TooOld),
        Err(e) => return Err(crm_error(&e)),
    };
    let deleted: DeletedRecords = match answer.take("deleted") {
        Ok(d) => d,
        Err(e) if outside_window(&e) => return Ok(Changes::TooOld),
        Err(e) => return Err(crm_error(&e)),
    };
    // Deletions older than the log's start may have been purged: they cannot be trusted.
    if deleted
        .earliest_date_available
        .is_some_and(|earliest| earliest > cursor)
    {
        return Ok(Changes::TooOld);
    }
    let gone: BTreeSet<String> = deleted.deleted_records.into_iter().map(|d| d.id).collect();
    let updated_ids: Vec<String> = updated
        .ids
        .into_iter()
        .filter(|id| !gone.contains(id))
        .collect();
    let covered = updated.latest_date_covered.min(deleted.latest_date_covered);
    Ok(Changes::Since {
        updated: updated_ids,
        deleted: gone.into_iter().collect(),
        cursor: covered.max(cursor),
    })
}

fn nothing(cursor: DateTime<Utc>) -> Changes {
    Changes::Since {
        updated: Vec::new(),
        deleted: Vec::new(),
        cursor,
    }
}

/// The window is older than Salesforce keeps, or holds more changes than it lists.
fn outside_window(e: &SalesforceError) -> bool {
    e.has_code(codes::INVALID_REPLICATION_DATE) || e.has_code(codes::EXCEEDED_ID_LIMIT)
}
