//! The Time slots view's commands: whose calendar, the rules last used, finding times, the
//! message (previewed, copied to the clipboard as HTML with its plain text, or made a draft).

use onbehalf_service::{
    compose_message, ComposedMessage, DraftOutcome, DraftRequest, ErrorCode, MessageRequest,
    OfferView, ServiceError, SlotCalendars, SlotPrefs, SlotRequest, SlotsFound,
};
use tauri::{AppHandle, State};
use tauri_plugin_clipboard_manager::ClipboardExt;

use super::tracked;
use crate::ipc::CopiedMessage;
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
/// An offer replies may book (or whose times are held) is kept from then on.
#[tauri::command]
pub(super) async fn copy_slot_message(
    app: AppHandle,
    shell: State<'_, Shell>,
    request: MessageRequest,
) -> Result<CopiedMessage, ServiceError> {
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
    let held = tracked(&app, &shell, |s| {
        let (request, composed) = (request.clone(), composed.clone());
        async move { s.offer_copied(&request, &composed).await }
    })
    .await?;
    Ok(CopiedMessage { composed, held })
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

/// Every offer kept for booking by reply, newest first.
#[tauri::command]
pub(super) async fn list_offers(shell: State<'_, Shell>) -> Result<Vec<OfferView>, ServiceError> {
    shell.service().await?.offers().await
}

/// Take an open offer back: its holds are released.
#[tauri::command]
pub(super) async fn withdraw_offer(
    app: AppHandle,
    shell: State<'_, Shell>,
    reference: String,
) -> Result<(), ServiceError> {
    tracked(&app, &shell, |s| async move {
        s.withdraw_offer(&reference).await
    })
    .await
}
