//! The Conflicts view's commands: what waits for the user's decision and what merges
//! overwrote, keeping one side's values, and dismissing a notice.

use onbehalf_service::{ConflictsView, Resolved, ServiceError, Winner};
use tauri::{AppHandle, State};

use super::tracked;
use crate::shell::Shell;

/// The open conflicts, each read afresh from both sides, and what merges overwrote.
#[tauri::command]
pub(super) async fn list_conflicts(
    app: AppHandle,
    shell: State<'_, Shell>,
) -> Result<ConflictsView, ServiceError> {
    let result = tracked(&app, &shell, |s| async move { s.conflicts().await }).await;
    // Listing clears conflicts that are over: the status line's count follows.
    shell.sync.look_now();
    result
}

/// Keep `keep`'s values for the item's conflict (the service refuses the CRM's for a meeting,
/// with the reason).
#[tauri::command]
pub(super) async fn resolve_conflict(
    app: AppHandle,
    shell: State<'_, Shell>,
    calendar: Option<String>,
    item_id: String,
    keep: Winner,
) -> Result<Resolved, ServiceError> {
    let result = tracked(&app, &shell, |s| async move {
        s.resolve_conflict(calendar.as_deref(), &item_id, keep)
            .await
    })
    .await;
    shell.sync.look_now();
    result
}

/// The user read what a merge overwrote: it is no longer listed.
#[tauri::command]
pub(super) async fn dismiss_overwrite(
    shell: State<'_, Shell>,
    id: i64,
) -> Result<(), ServiceError> {
    shell.service().await?.dismiss_overwrite(id).await
}
