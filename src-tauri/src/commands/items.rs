//! The Items view's commands: a calendar's items with their share state, sharing and
//! unsharing one, and finding the CRM records to link.

use chrono::{DateTime, Utc};
use onbehalf_service::{CrmRecord, ItemView, ItemsQuery, ServiceError, ShareOutcome};
use tauri::{AppHandle, State};

use super::tracked;
use crate::shell::Shell;

/// The items of `calendar` (an owner's address; `None`: the user's own) between `from` and
/// `to` (each `None`: the sync window's bound).
#[tauri::command]
pub(super) async fn list_items(
    app: AppHandle,
    shell: State<'_, Shell>,
    calendar: Option<String>,
    from: Option<DateTime<Utc>>,
    to: Option<DateTime<Utc>>,
) -> Result<Vec<ItemView>, ServiceError> {
    let query = ItemsQuery { calendar, from, to };
    tracked(&app, &shell, |s| async move { s.items(&query).await }).await
}

/// Share an item, linked to these CRM records (one contact or lead, one account, opportunity
/// or case).
#[tauri::command]
pub(super) async fn share_item(
    app: AppHandle,
    shell: State<'_, Shell>,
    calendar: Option<String>,
    item_id: String,
    record_ids: Vec<String>,
) -> Result<ShareOutcome, ServiceError> {
    let result = tracked(&app, &shell, |s| async move {
        s.share_item(calendar.as_deref(), &item_id, &record_ids)
            .await
    })
    .await;
    shell.sync.look_now();
    result
}

/// Unshare an item: its CRM event is deleted (the meeting stays), or a waiting share is
/// withdrawn.
#[tauri::command]
pub(super) async fn unshare_item(
    app: AppHandle,
    shell: State<'_, Shell>,
    calendar: Option<String>,
    item_id: String,
) -> Result<ShareOutcome, ServiceError> {
    let result = tracked(&app, &shell, |s| async move {
        s.unshare_item(calendar.as_deref(), &item_id).await
    })
    .await;
    shell.sync.look_now();
    result
}

/// CRM records of every linkable kind matching a few typed letters.
#[tauri::command]
pub(super) async fn crm_search(
    shell: State<'_, Shell>,
    text: String,
) -> Result<Vec<CrmRecord>, ServiceError> {
    shell.service().await?.crm_search(&text).await
}

/// The contacts and leads with these e-mail addresses (a meeting's attendees).
#[tauri::command]
pub(super) async fn crm_match(
    shell: State<'_, Shell>,
    addresses: Vec<String>,
) -> Result<Vec<CrmRecord>, ServiceError> {
    shell.service().await?.crm_match(&addresses).await
}

/// The records with these ids, to name what items are linked to.
#[tauri::command]
pub(super) async fn crm_records(
    shell: State<'_, Shell>,
    ids: Vec<String>,
) -> Result<Vec<CrmRecord>, ServiceError> {
    shell.service().await?.crm_records(&ids).await
}
