//! The state every command shares: the running service (or why it could not start), the
//! sign-in in progress, the scheduled sync, and the status the tray shows.

use std::sync::{Arc, Mutex};

use onbehalf_service::{ErrorCode, Onbehalf, ServiceError};
use tokio::sync::{watch, Notify};

use crate::status::Status;
use crate::sync_tasks::SyncTasks;

/// The outcome of starting the service, once there is one.
type Started = Option<Result<Arc<Onbehalf>, ServiceError>>;

pub struct Shell {
    sandbox: bool,
    /// Set once, by the start-up task; commands that arrive earlier wait for it.
    service: watch::Sender<Started>,
    /// Wakes the sign-in in progress to cancel it; `None` when no sign-in is waiting.
    sign_in: Mutex<Option<Arc<Notify>>>,
    pub status: Status,
    pub sync: SyncTasks,
}

impl Shell {
    pub fn new(sandbox: bool) -> Self {
        Shell {
            sandbox,
            service: watch::Sender::new(None),
            sign_in: Mutex::new(None),
            status: Status::default(),
            sync: SyncTasks::default(),
        }
    }

    /// Whether the app was started on the built-in sandbox (known even when starting failed).
    pub fn is_sandbox(&self) -> bool {
        self.sandbox
    }

    /// Keep the outcome of starting the service; only the first call counts.
    pub fn set_service(&self, started: Result<Onbehalf, ServiceError>) {
        let kept = self.service.send_if_modified(|slot| match slot {
            Some(_) => false,
            None => {
                *slot = Some(started.map(Arc::new));
                true
            }
        });
        if !kept {
            tracing::warn!("the service was already started; keeping the first one");
        }
    }

    /// The running service, or the error that kept it from starting; waits while it starts.
    pub async fn service(&self) -> Result<Arc<Onbehalf>, ServiceError> {
        let mut rx = self.service.subscribe();
        let started = rx
            .wait_for(Option::is_some)
            .await
            .map_err(|_| ServiceError::new(ErrorCode::Other, "Onbehalf is shutting down."))?;
        Self::outcome(&started)
    }

    /// The running service if it has started, without waiting.
    pub fn service_now(&self) -> Result<Arc<Onbehalf>, ServiceError> {
        Self::outcome(&self.service.borrow())
    }

    fn outcome(started: &Started) -> Result<Arc<Onbehalf>, ServiceError> {
        match started {
            Some(Ok(service)) => Ok(Arc::clone(service)),
            Some(Err(e)) => Err(e.clone()),
            None => Err(ServiceError::new(
                ErrorCode::Other,
                "Onbehalf is still starting. Try again in a moment.",
            )),
        }
    }

    /// Register a new sign-in; refused while another one waits for the browser.
    pub fn begin_sign_in(&self) -> Result<Arc<Notify>, ServiceError> {
        let mut slot = self.sign_in.lock().unwrap_or_else(|p| p.into_inner());
        if slot.is_some() {
            return Err(ServiceError::new(
                ErrorCode::Other,
                "A sign-in is already in progress. Finish it in the sign-in window or cancel it.",
            ));
        }
        let cancel = Arc::new(Notify::new());
        *slot = Some(Arc::clone(&cancel));
        Ok(cancel)
    }

    pub fn end_sign_in(&self) {
        *self.sign_in.lock().unwrap_or_else(|p| p.into_inner()) = None;
    }

    /// Cancel the sign-in in progress; `false` when there is none.
    pub fn cancel_sign_in(&self) -> bool {
        let slot = self.sign_in.lock().unwrap_or_else(|p| p.into_inner());
        match slot.as_ref() {
            Some(cancel) => {
                // `notify_one` keeps a permit, so a cancel that lands before the wait still counts.
                cancel.notify_one();
                true
            }
            None => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_sign_in_is_refused_until_the_first_ends() {
        let shell = Shell::new(true);
        let first = shell.begin_sign_in();
        assert!(first.is_ok());
        let second = shell.begin_sign_in();
        assert!(matches!(second, Err(ref e) if e.message.contains("already in progress")));
        shell.end_sign_in();
        assert!(shell.begin_sign_in().is_ok());
    }

    #[test]
    fn cancelling_without_a_sign_in_reports_nothing_to_cancel() {
        let shell = Shell::new(false);
        assert!(!shell.cancel_sign_in());
        let _ = shell.begin_sign_in();
        assert!(shell.cancel_sign_in());
    }

    #[tokio::test]
    async fn a_command_waits_for_the_service_to_start() {
        let shell = Arc::new(Shell::new(false));
        assert!(matches!(shell.service_now(), Err(ref e) if e.message.contains("still starting")));
        let waiting = {
            let shell = Arc::clone(&shell);
            tokio::spawn(async move { shell.service().await })
        };
        shell.set_service(Err(ServiceError::config("bad config")));
        let got = waiting.await.expect("the waiting command ends");
        assert!(matches!(got, Err(ref e) if e.code == ErrorCode::Config));
        assert!(matches!(shell.service_now(), Err(ref e) if e.code == ErrorCode::Config));
    }
}
