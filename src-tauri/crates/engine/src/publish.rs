//! Publishing this user's status record on their own default calendar, so their delegates'
//! Onbehalf can show exact permissions and whether this user's sync is on.
//!
//! Publishing writes to Exchange, so it happens only when the record's content changed (its
//! fingerprint, kept locally, differs) or the record on the calendar is no longer the one this
//! app wrote. A refresh that changes nothing writes nothing.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};

use crate::ports::{CalendarSource, Grant, Me, SourceError};
use crate::status_record::{Publication, RecordKeys, StatusRecord};

/// What this app says about its own sync.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SyncState {
    pub on: bool,
    pub last_run: Option<DateTime<Utc>>,
}

/// What was published last time, as kept locally.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LastPublication {
    pub fingerprint: String,
    pub published_at: DateTime<Utc>,
}

/// The outcome of [`publish_status`].
#[derive(Debug, Clone)]
pub struct PublishOutcome {
    /// The record now on the user's calendar.
    pub record: StatusRecord,
    /// Whether it was written this time.
    pub written: bool,
    pub fingerprint: String,
    /// Grantees whose own Onbehalf key could not be read, so they get no sealed entry and see
    /// an inferred permission. Names people: shown to this user only.
    pub without_key: Vec<String>,
}

/// What the status record is made from, besides Exchange.
#[derive(Debug, Clone, Copy)]
pub struct PublishInput<'a> {
    pub me: &'a Me,
    pub app_version: &'a str,
    pub sync: SyncState,
    pub keys: &'a RecordKeys,
    pub last: Option<&'a LastPublication>,
    /// The CRM org and user this user is signed in to, when they are.
    pub crm: Option<CrmIds<'a>>,
    pub now: DateTime<Utc>,
}

/// Who the user is in the CRM, as published. In clear: every user of the org can see the org
/// id and any user's id in the CRM, and neither grants anything to someone who has them; a
/// delegate needs them to tell whether they and the owner use the same CRM org.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CrmIds<'a> {
    pub org_id: &'a str,
    pub user_id: &'a str,
}

/// Read the user's own `calendarPermissions` and each grantee's key, and publish the record
/// built from them when it differs from what is on the calendar.
pub async fn publish_status<S: CalendarSource>(
    source: &S,
    input: &PublishInput<'_>,
) -> Result<PublishOutcome, SourceError> {
    let grants: Vec<Grant> = source
        .my_calendar_permissions()
        .await?
        .into_iter()
        .map(|g| Grant {
            // Outlook gives a delegate Send on Behalf along with the delegate role.
            send_on_behalf: g.send_on_behalf || g.role.is_delegate(),
            ..g
        })
        .collect();
    let grantee_keys = grantee_keys(source, &grants).await?;
    let publication = Publication {
        app_version: input.app_version,
        sync_on: input.sync.on,
        last_run: input.sync.last_run,
        tenant_id: &input.me.tenant_id,
        crm_org_id: input.crm.map(|c| c.org_id),
        crm_user_id: input.crm.map(|c| c.user_id),
        grants: &grants,
        grantee_keys: &grantee_keys,
    };
    let fingerprint = publication.fingerprint(input.keys);
    let without_key = publication.grantees_without_key();
    let current = current_record(source, input.me).await?;
    let unchanged = match (input.last, &current) {
        (Some(last), Some(record)) => {
            last.fingerprint == fingerprint
                && record.published_at == last.published_at
                && record.public_key() == Some(input.keys.public_base64().as_str())
        }
        (None, _) | (Some(_), None) => false,
    };
    if let (true, Some(record)) = (unchanged, current) {
        return Ok(PublishOutcome {
            record,
            written: false,
            fingerprint,
            without_key,
        });
    }
    let record = StatusRecord::publish(&publication, input.keys, input.now);
    source.publish_status_record(&record.to_value()).await?;
    Ok(PublishOutcome {
        record,
        written: true,
        fingerprint,
        without_key,
    })
}

/// Each grantee's published key. A grantee whose record cannot be read simply has none.
async fn grantee_keys<S: CalendarSource>(
    source: &S,
    grants: &[Grant],
) -> Result<BTreeMap<String, String>, SourceError> {
    let addresses: BTreeSet<String> = grants
        .iter()
        .filter_map(|g| g.address.as_deref())
        .map(|a| a.trim().to_lowercase())
        .collect();
    let mut keys = BTreeMap::new();
    for address in addresses {
        match source.owner_status_record(&address).await {
            Ok(Some(value)) => {
                if let Some(key) = StatusRecord::parse(&value)
                    .ok()
                    .and_then(|r| r.public_key().map(str::to_string))
                {
                    keys.insert(address, key);
                }
            }
            Ok(None) => {}
            Err(SourceError::SignInExpired) => return Err(SourceError::SignInExpired),
            // A grantee whose calendar this user cannot open gets no sealed entry.
            Err(_) => {}
        }
    }
    Ok(keys)
}

/// The record on the user's own calendar now, when it can be read.
async fn current_record<S: CalendarSource>(
    source: &S,
    me: &Me,
) -> Result<Option<StatusRecord>, SourceError> {
    match source.owner_status_record(&me.address).await {
        Ok(value) => Ok(value.and_then(|v| StatusRecord::parse(&v).ok())),
        Err(SourceError::SignInExpired) => Err(SourceError::SignInExpired),
        // Unreadable just now: publish, which settles it either way.
        Err(_) => Ok(None),
    }
}
