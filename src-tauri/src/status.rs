//! What the tray shows: refreshing while any service call runs, otherwise an error when the
//! last call failed, paused when signed out of Microsoft 365, ok when signed in. Needing to
//! sign in to the CRM is not a failure: the Settings screen says so. Also tells the UI when the
//! app becomes busy or idle.

use std::sync::Mutex;

use onbehalf_service::{ErrorCode, ServiceError};
use tauri::{AppHandle, Manager};

use crate::ipc::AppEvent;
use crate::shell::Shell;

/// The state the tray icon shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Indicator {
    Ok,
    Syncing,
    /// Signed out: nothing to do until someone signs in.
    Paused,
    Error,
}

#[derive(Debug, Default)]
struct Inner {
    busy: u32,
    signed_in: bool,
    failed: bool,
}

impl Inner {
    fn indicator(&self) -> Indicator {
        match (self.busy > 0, self.failed, self.signed_in) {
            (true, _, _) => Indicator::Syncing,
            (false, true, _) => Indicator::Error,
            (false, false, false) => Indicator::Paused,
            (false, false, true) => Indicator::Ok,
        }
    }
}

/// What a failed call says about the Microsoft 365 sign-in (`None`: nothing) and whether the
/// tray shows an error.
fn outcome_of_error(code: ErrorCode) -> (Option<bool>, bool) {
    match code {
        ErrorCode::SignInRequired => (Some(false), false),
        // A refusal is an answer to the user, not a fault of the app.
        ErrorCode::CrmSignInRequired | ErrorCode::Refused => (None, false),
        ErrorCode::KeyringUnavailable
        | ErrorCode::Network
        | ErrorCode::Config
        | ErrorCode::Store
        | ErrorCode::Other => (None, true),
    }
}

#[derive(Debug, Default)]
pub struct Status {
    inner: Mutex<Inner>,
}

impl Status {
    /// Mark the app busy until the returned guard is dropped.
    pub fn busy(&self, app: &AppHandle) -> BusyGuard {
        let became_busy = self.update(app, |s| {
            s.busy += 1;
            s.busy == 1
        });
        if became_busy {
            AppEvent::Busy(true).emit(app);
        }
        BusyGuard { app: app.clone() }
    }

    /// Record how a service call ended; `signed_in` says whether a success leaves the user
    /// signed in.
    pub fn settle<T>(
        &self,
        app: &AppHandle,
        result: &Result<T, ServiceError>,
        signed_in: impl FnOnce(&T) -> bool,
    ) {
        let (signed_in, failed) = match result {
            Ok(value) => (Some(signed_in(value)), false),
            Err(e) => outcome_of_error(e.code),
        };
        self.update(app, |s| {
            if let Some(v) = signed_in {
                s.signed_in = v;
            }
            s.failed = failed;
        });
    }

    pub fn indicator(&self) -> Indicator {
        self.lock().indicator()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn update<R>(&self, app: &AppHandle, change: impl FnOnce(&mut Inner) -> R) -> R {
        let (out, shown) = {
            let mut inner = self.lock();
            let out = change(&mut inner);
            (out, inner.indicator())
        };
        show(app, shown);
        out
    }

    fn idle(&self, app: &AppHandle) {
        let became_idle = self.update(app, |s| {
            s.busy = s.busy.saturating_sub(1);
            s.busy == 0
        });
        if became_idle {
            AppEvent::Busy(false).emit(app);
        }
    }
}

/// Ends one busy period when dropped, so an early return or a panic cannot leave the tray
/// spinning.
pub struct BusyGuard {
    app: AppHandle,
}

impl Drop for BusyGuard {
    fn drop(&mut self) {
        self.app.state::<Shell>().status.idle(&self.app);
    }
}

#[cfg(desktop)]
fn show(app: &AppHandle, indicator: Indicator) {
    crate::tray::show(app, indicator);
}

#[cfg(not(desktop))]
fn show(_app: &AppHandle, _indicator: Indicator) {}

#[cfg(test)]
mod tests {
    use super::*;

    fn state(busy: u32, failed: bool, signed_in: bool) -> Indicator {
        Inner {
            busy,
            signed_in,
            failed,
        }
        .indicator()
    }

    #[test]
    fn busy_wins_over_everything() {
        assert_eq!(state(1, true, false), Indicator::Syncing);
        assert_eq!(state(2, false, true), Indicator::Syncing);
    }

    #[test]
    fn a_failure_shows_as_error_even_when_signed_out() {
        assert_eq!(state(0, true, true), Indicator::Error);
        assert_eq!(state(0, true, false), Indicator::Error);
    }

    #[test]
    fn needing_a_crm_sign_in_keeps_the_microsoft_sign_in_and_is_no_failure() {
        assert_eq!(
            outcome_of_error(ErrorCode::CrmSignInRequired),
            (None, false)
        );
        assert_eq!(
            outcome_of_error(ErrorCode::SignInRequired),
            (Some(false), false)
        );
        assert_eq!(outcome_of_error(ErrorCode::Network), (None, true));
    }

    #[test]
    fn signed_out_is_paused_and_signed_in_is_ok() {
        assert_eq!(state(0, false, false), Indicator::Paused);
        assert_eq!(state(0, false, true), Indicator::Ok);
    }
}
