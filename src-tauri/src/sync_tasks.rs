//! The scheduled sync and the watch for replies to time slot offers, started once the service
//! is up and stopped when the app exits, and a watcher that reads where the sync stands when
//! it changes: the tray shows it, and the window is told (a cycle started or ended, sync turned
//! on or off, a share waiting). Nothing is polled, so an idle app wakes only for its own sync's
//! timer and, while an offer waits for a reply, the inbox's.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use onbehalf_service::Onbehalf;
use tauri::async_runtime::JoinHandle;
use tauri::{AppHandle, Manager};
use tokio::sync::{watch, Notify};

use crate::ipc::AppEvent;
use crate::shell::Shell;

/// How long quitting waits for a cycle to stop between two steps.
const STOP_TIMEOUT: Duration = Duration::from_secs(10);

#[derive(Default)]
pub struct SyncTasks {
    stop: watch::Sender<bool>,
    look: Arc<Notify>,
    tasks: Mutex<Vec<JoinHandle<()>>>,
}

impl SyncTasks {
    /// Start the scheduled sync and its watcher; call once, when the service has started.
    pub fn start(&self, app: &AppHandle, service: Arc<Onbehalf>) {
        let loop_task = {
            let service = Arc::clone(&service);
            let mut stop = self.stop.subscribe();
            tauri::async_runtime::spawn(async move {
                let stopped = async move {
                    let _ = stop.wait_for(|s| *s).await;
                };
                service.run_sync_loop(stopped).await;
                tracing::info!("the scheduled sync stopped");
            })
        };
        let offers = {
            let service = Arc::clone(&service);
            let mut stop = self.stop.subscribe();
            tauri::async_runtime::spawn(async move {
                let stopped = async move {
                    let _ = stop.wait_for(|s| *s).await;
                };
                service.run_offer_watch(stopped).await;
            })
        };
        let watcher = tauri::async_runtime::spawn(watch(
            app.clone(),
            service,
            self.stop.subscribe(),
            Arc::clone(&self.look),
        ));
        self.lock().extend([loop_task, offers, watcher]);
    }

    /// Read the sync's state now, after something changed it.
    pub fn look_now(&self) {
        self.look.notify_one();
    }

    /// Stop the scheduled sync and the watcher, waiting a little for a cycle to reach a step
    /// where it can stop (an abandoned cycle resumes at the next start).
    pub async fn stop(&self) {
        self.stop.send_replace(true);
        let tasks = std::mem::take(&mut *self.lock());
        let all = async {
            for task in tasks {
                if let Err(e) = task.await {
                    tracing::warn!(error = %e, "a sync task ended badly");
                }
            }
        };
        if tokio::time::timeout(STOP_TIMEOUT, all).await.is_err() {
            tracing::warn!("the sync did not stop within {STOP_TIMEOUT:?}; quitting anyway");
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<JoinHandle<()>>> {
        self.tasks.lock().unwrap_or_else(|p| p.into_inner())
    }
}

async fn watch(
    app: AppHandle,
    service: Arc<Onbehalf>,
    mut stop: watch::Receiver<bool>,
    look: Arc<Notify>,
) {
    let mut last_sent: Option<serde_json::Value> = None;
    // The first look is at once; then at each change of the loop's state or when asked.
    look.notify_one();
    loop {
        tokio::select! {
            _ = stop.wait_for(|s| *s) => return,
            () = service.sync_state_changed() => {}
            () = look.notified() => {}
        }
        // Not signed in (or the store unreadable): nothing to show but the sign-in state.
        let status = service.sync_status().await.ok();
        app.state::<Shell>().status.set_sync(&app, status.as_ref());
        let Some(status) = status else {
            last_sent = None;
            continue;
        };
        let seen = serde_json::to_value(&status).ok();
        if seen != last_sent {
            last_sent = seen;
            AppEvent::SyncStatus(Box::new(status)).emit(&app);
        }
    }
}

/// Run a cycle now, as the window's Sync now does (the tray's Sync now, a notification's
/// Retry now).
pub fn sync_now(app: AppHandle) {
    tauri::async_runtime::spawn(async move {
        let shell = app.state::<Shell>();
        match shell.service().await {
            Ok(service) => {
                service.wake_sync();
                shell.sync.look_now();
            }
            Err(e) => tracing::warn!(error = %e, "no service to sync with"),
        }
    });
}
