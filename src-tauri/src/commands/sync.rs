//! The sync status line's and the Settings screen's commands: where the sync stands, what its
//! first run would do, turning it on or off, running it now, and its settings.

use onbehalf_service::policy::PolicyReport;
use onbehalf_service::{ServiceError, SyncRun, SyncSettings, SyncStatus};
use tauri::{AppHandle, State};

use super::tracked;
use crate::ipc::{NoticeKindLabel, SyncSettingsState};
use crate::shell::Shell;

#[tauri::command]
pub(super) async fn sync_status(shell: State<'_, Shell>) -> Result<SyncStatus, ServiceError> {
    shell.service().await?.sync_status().await
}

/// What the first sync would do, without doing it: shown before sync is turned on.
#[tauri::command]
pub(super) async fn sync_preview(
    app: AppHandle,
    shell: State<'_, Shell>,
) -> Result<SyncRun, ServiceError> {
    tracked(&app, &shell, |s| async move { s.sync_preview().await }).await
}

/// Turn the scheduled sync on or off; the owner's delegates learn it from the published
/// status record.
#[tauri::command]
pub(super) async fn set_sync_on(
    app: AppHandle,
    shell: State<'_, Shell>,
    on: bool,
) -> Result<SyncStatus, ServiceError> {
    let result = tracked(&app, &shell, |s| async move { s.set_sync_on(on).await }).await;
    shell.sync.look_now();
    result
}

/// Run a cycle now (when sync is on); the status line follows it through `sync-status`.
#[tauri::command]
pub(super) async fn sync_now(shell: State<'_, Shell>) -> Result<SyncStatus, ServiceError> {
    let service = shell.service().await?;
    service.wake_sync();
    shell.sync.look_now();
    service.sync_status().await
}

#[tauri::command]
pub(super) async fn sync_settings(
    shell: State<'_, Shell>,
) -> Result<SyncSettingsState, ServiceError> {
    let service = shell.service().await?;
    Ok(SyncSettingsState {
        view: service.sync_settings_view().await?,
        notice_kinds: NoticeKindLabel::all(),
    })
}

/// The administrator's policy in force: every setting and where it came from, the user's
/// profile and what it grants, the owners policy has them watch.
#[tauri::command]
pub(super) async fn policy_report(shell: State<'_, Shell>) -> Result<PolicyReport, ServiceError> {
    shell.service().await?.policy_report().await
}

/// Keep new sync settings. Whether sync is on is not one of them: the status line turns it on
/// or off, which also tells the owner's delegates, so the value kept now stays.
#[tauri::command]
pub(super) async fn set_sync_settings(
    shell: State<'_, Shell>,
    settings: SyncSettings,
) -> Result<SyncSettingsState, ServiceError> {
    let service = shell.service().await?;
    let on = service.sync_settings().await?.on;
    service
        .set_sync_settings(SyncSettings { on, ..settings })
        .await?;
    shell.sync.look_now();
    Ok(SyncSettingsState {
        view: service.sync_settings_view().await?,
        notice_kinds: NoticeKindLabel::all(),
    })
}
