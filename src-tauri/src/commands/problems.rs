//! The Problems view's commands: the sync's open problems, dismissing one, and opening a
//! problem's item in Outlook on the web (links are opened here, never by the web view).

use onbehalf_service::{ProblemEntry, ServiceError};
use tauri::{AppHandle, State};

use super::tracked;
use crate::answers;
use crate::shell::Shell;

/// The open problems, oldest first, each item read from Exchange where it can be.
#[tauri::command]
pub(super) async fn list_problems(
    app: AppHandle,
    shell: State<'_, Shell>,
) -> Result<Vec<ProblemEntry>, ServiceError> {
    tracked(&app, &shell, |s| async move { s.problems().await }).await
}

/// Dismiss a problem: not shown or told again until something about it changes.
#[tauri::command]
pub(super) async fn dismiss_problem(
    shell: State<'_, Shell>,
    id: String,
) -> Result<(), ServiceError> {
    let result = shell.service().await?.dismiss_problem(&id).await;
    // The status line's and the tray's counts follow.
    shell.sync.look_now();
    result
}

/// Open the item of problem `id` in Outlook on the web.
#[tauri::command]
pub(super) async fn open_problem_in_outlook(
    app: AppHandle,
    shell: State<'_, Shell>,
    id: String,
) -> Result<(), ServiceError> {
    let problems = shell.service().await?.problems().await?;
    let link = problems
        .into_iter()
        .find(|p| p.id == id)
        .and_then(|p| p.item)
        .and_then(|i| i.web_link)
        .filter(|l| answers::is_web_link(l))
        .ok_or_else(|| {
            ServiceError::new(
                onbehalf_service::ErrorCode::Other,
                "This problem's item has no Outlook link: it may have been deleted.",
            )
        })?;
    answers::open_in_outlook(&app, &link);
    Ok(())
}
