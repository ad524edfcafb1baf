//! Publishing this user's status record on their own default calendar, so their delegates'
//! Onbehalf can show exact permissions and whether this user's sync is on.

use chrono::{DateTime, Utc};

use crate::ports::{CalendarSource, Me, SourceError};
use crate::status_record::{Publication, StatusRecord};

/// What this app says about its own sync.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SyncState {
    pub on: bool,
    pub last_run: Option<DateTime<Utc>>,
}

/// Read the user's own `calendarPermissions` and publish the record built from them.
pub async fn publish_status<S: CalendarSource>(
    source: &S,
    me: &Me,
    app_version: &str,
    sync: SyncState,
    now: DateTime<Utc>,
) -> Result<StatusRecord, SourceError> {
    let grants = source.my_calendar_permissions().await?;
    let record = StatusRecord::publish(
        &Publication {
            app_version,
            sync_on: sync.on,
            last_run: sync.last_run,
            tenant_id: &me.tenant_id,
            crm_org_id: None,
            crm_user_id: None,
            grants: &grants,
        },
        now,
    );
    source.publish_status_record(&record.to_value()).await?;
    Ok(record)
}
