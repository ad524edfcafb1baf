//! The IPC commands. Each parses its input, calls the service, records the outcome for the
//! tray, and returns the service's result unchanged: errors reach the UI as `ServiceError`.

use std::future::Future;
use std::sync::Arc;

use onbehalf_service::{AccountView, DoctorReport, ErrorCode, Onbehalf, Refreshed, ServiceError};
use tauri::{AppHandle, State};

use crate::ipc::AppState;
use crate::shell::Shell;
use crate::signin::SignInPage;
use crate::windows;

/// The handler registering every command; `build.rs` lists the same names for permissions.
pub fn handler() -> impl Fn(tauri::ipc::Invoke) -> bool + Send + Sync + 'static {
    tauri::generate_handler![
        app_state,
        sign_in,
        cancel_sign_in,
        sign_out,
        refresh_calendars,
        add_owner,
        remove_owner,
        run_doctor,
    ]
}

#[tauri::command]
async fn app_state(app: AppHandle, shell: State<'_, Shell>) -> Result<AppState, ServiceError> {
    let result = shell.service().and_then(|service| {
        Ok(AppState {
            sandbox: shell.is_sandbox(),
            account: service.current_account()?,
            calendars: service.cached_calendars()?,
        })
    });
    shell.status.settle(&app, &result, |s| s.account.is_some());
    result
}

/// Sign in through the browser (or the sandbox's sign-in window) and wait for it to come back.
#[tauri::command]
async fn sign_in(app: AppHandle, shell: State<'_, Shell>) -> Result<AccountView, ServiceError> {
    let service = shell.service()?;
    let cancel = shell.begin_sign_in()?;
    let result = async {
        let pending = service.begin_sign_in().await?;
        let page = SignInPage::open(
            &app,
            service.is_sandbox(),
            &pending.authorize_url,
            cancel.clone(),
        )?;
        let outcome = tokio::select! {
            done = service.complete_sign_in(pending) => done,
            () = cancel.notified() => Err(ServiceError::new(
                ErrorCode::SignInRequired,
                "Sign-in was cancelled before it finished.",
            )),
        };
        page.close();
        outcome
    }
    .await;
    shell.end_sign_in();
    // The browser or the sign-in window had the focus; the answer is in the main window.
    windows::show_main(&app);
    shell.status.settle(&app, &result, |_| true);
    if let Err(e) = &result {
        tracing::info!(code = ?e.code, "sign-in did not complete");
    }
    result
}

/// Stop waiting for the browser. Does nothing when no sign-in is in progress.
#[tauri::command]
fn cancel_sign_in(shell: State<'_, Shell>) {
    shell.cancel_sign_in();
}

#[tauri::command]
async fn sign_out(app: AppHandle, shell: State<'_, Shell>) -> Result<(), ServiceError> {
    let service = shell.service()?;
    let _busy = shell.status.busy(&app);
    let result = service.sign_out().await;
    shell.status.settle(&app, &result, |_| false);
    result
}

#[tauri::command]
async fn refresh_calendars(
    app: AppHandle,
    shell: State<'_, Shell>,
) -> Result<Refreshed, ServiceError> {
    refresh(&app, &shell).await
}

/// Run one service call with the tray showing "busy" until it ends, then record its outcome.
async fn tracked<T, F, Fut>(app: &AppHandle, shell: &Shell, call: F) -> Result<T, ServiceError>
where
    F: FnOnce(Arc<Onbehalf>) -> Fut,
    Fut: Future<Output = Result<T, ServiceError>>,
{
    let service = shell.service()?;
    let _busy = shell.status.busy(app);
    let result = call(service).await;
    shell.status.settle(app, &result, |_| true);
    result
}

/// Refresh the calendar list; shared by the command and the tray menu.
pub async fn refresh(app: &AppHandle, shell: &Shell) -> Result<Refreshed, ServiceError> {
    tracked(app, shell, |s| async move { s.refresh().await }).await
}

#[tauri::command]
async fn add_owner(
    app: AppHandle,
    shell: State<'_, Shell>,
    address: String,
) -> Result<Refreshed, ServiceError> {
    tracked(&app, &shell, |s| async move {
        s.add_owner(address.trim()).await
    })
    .await
}

#[tauri::command]
async fn remove_owner(
    app: AppHandle,
    shell: State<'_, Shell>,
    address: String,
) -> Result<Refreshed, ServiceError> {
    tracked(&app, &shell, |s| async move {
        s.remove_owner(address.trim()).await
    })
    .await
}

#[tauri::command]
async fn run_doctor(app: AppHandle, shell: State<'_, Shell>) -> Result<DoctorReport, ServiceError> {
    tracked(&app, &shell, |s| async move { s.doctor().await }).await
}
