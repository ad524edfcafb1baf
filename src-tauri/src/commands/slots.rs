//! The Time slots view's commands: whose calendar, the rules last used, finding times, the
//! message (previewed, copied to the clipboard as HTML with its plain text, or made a draft).

use onbehalf_service::{
    compose_message, ComposedMessage, DraftOutcome, DraftRequest, ErrorCode, MessageRequest,
    ServiceError, SlotCalendars, SlotPrefs, SlotRequest, SlotsFound,
};
use tauri::{AppHandle, State};
use tauri_plugin_clipboard_manager::ClipboardExt;

use super::tracked;
use crate::shell::Shell;

#[tauri::command]
pub(super) async fn slot_calendars(
    app: AppHandle,
    shell: State<'_, Shell>,
) -> Result<SlotCalendars, ServiceError> {
    tracked(&app, &shell, |s| async move { s.slot_calendars().await }).await
}

#[tauri::command]
pub(super) async fn slot_prefs(
    shell: State<'_, Shell>,
    calendar: String,
) -> Result<SlotPrefs, ServiceError> {
    shell.service().await?.slot_prefs(&calendar).await
}

#[tauri::command]
pub(super) async fn find_slots(
    app: AppHandle,
    shell: State<'_, Shell>,
    request: SlotRequest,
) -> Result<SlotsFound, ServiceError> {
    tracked(
        &app,
        &shell,
        |s| async move { s.find_slots(&request).await },
    )
    .await
}

/// The message for the times picked, for the preview.
#[tauri::command]
pub(super) fn compose_slot_message(
    request: MessageRequest,
) -> Result<ComposedMessage, ServiceError> {
    compose_message(&request)
}

/// The message put on the clipboard: HTML for mail programs, plain text for everything else.
#[tauri::command]
pub(super) fn copy_slot_message(
    app: AppHandle,
    request: MessageRequest,
) -> Result<ComposedMessage, ServiceError> {
    let composed = compose_message(&request)?;
    app.clipboard()
        .write_html(
            composed.message.html.clone(),
            Some(composed.message.text.clone()),
        )
        .map_err(|e| {
            ServiceError::new(
                ErrorCode::Other,
                format!("The message could not be put on the clipboard: {e}"),
            )
        })?;
    Ok(composed)
}

#[tauri::command]
pub(super) async fn create_slot_draft(
    app: AppHandle,
    shell: State<'_, Shell>,
    request: DraftRequest,
) -> Result<DraftOutcome, ServiceError> {
    tracked(&app, &shell, |s| async move {
        s.create_slot_draft(&request).await
    })
    .await
}
