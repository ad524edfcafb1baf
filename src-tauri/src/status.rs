//! What the tray shows: working while any service call runs or a sync cycle runs, otherwise an
//! error when the last call or the last sync cycle failed, signed out when nobody is signed in
//! to Microsoft 365, paused when sync is off, needs attention when problems or conflicts wait,
//! ok when signed in with sync on. Needing to sign in to the CRM is not
//! a failure of a call: the Settings screen says so. Also tells the UI when the app becomes busy
//! or idle.

use std::sync::Mutex;

use onbehalf_service::{ErrorCode, ServiceError, SyncStatus};
use tauri::{AppHandle, Manager};

use crate::ipc::AppEvent;
use crate::shell::Shell;

/// The icon the tray shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Indicator {
    Ok,
    Syncing,
    Paused,
    Error,
    /// Problems wait for the user.
    Attention,
    /// Nobody is signed in to Microsoft 365.
    SignedOut,
}

/// What the tray says: the icon, and in its tooltip why (paused because signed out, or because
/// sync is off).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shown {
    /// Signed in, sync on (or not read yet), nothing running.
    UpToDate,
    /// As up to date, with this many problems or conflicts waiting for the user.
    NeedsAttention(usize),
    /// A service call runs (a refresh, a share, a listing).
    Working,
    /// A sync cycle runs.
    Syncing,
    SignedOut,
    /// Signed in with sync off: nothing is carried to the CRM.
    SyncOff,
    /// The last sync cycle stopped; the window's status line says why.
    SyncStopped,
    /// The last service call failed.
    Failed,
}

impl Shown {
    pub fn indicator(self) -> Indicator {
        match self {
            Shown::UpToDate => Indicator::Ok,
            Shown::NeedsAttention(_) => Indicator::Attention,
            Shown::Working | Shown::Syncing => Indicator::Syncing,
            Shown::SignedOut => Indicator::SignedOut,
            Shown::SyncOff => Indicator::Paused,
            Shown::SyncStopped | Shown::Failed => Indicator::Error,
        }
    }
}

/// The scheduled sync as last read.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
enum SyncSeen {
    /// Not read yet, or nobody is signed in.
    #[default]
    Unknown,
    Off,
    On,
    Running,
    /// On, and its last cycle stopped with an error.
    Stopped,
}

impl SyncSeen {
    fn of(status: &SyncStatus) -> SyncSeen {
        match (
            status.schedule.running,
            status.on,
            &status.schedule.last_error,
        ) {
            (true, _, _) => SyncSeen::Running,
            (false, false, _) => SyncSeen::Off,
            (false, true, Some(_)) => SyncSeen::Stopped,
            (false, true, None) => SyncSeen::On,
        }
    }
}

#[derive(Debug, Default)]
struct Inner {
    busy: u32,
    signed_in: bool,
    failed: bool,
    sync: SyncSeen,
    /// Open problems and conflicts, as last read.
    problems: usize,
}

impl Inner {
    fn shown(&self) -> Shown {
        if self.sync == SyncSeen::Running {
            return Shown::Syncing;
        }
        if self.busy > 0 {
            return Shown::Working;
        }
        if self.failed {
            return Shown::Failed;
        }
        if !self.signed_in {
            return Shown::SignedOut;
        }
        match self.sync {
            SyncSeen::Stopped => Shown::SyncStopped,
            SyncSeen::Off => Shown::SyncOff,
            SyncSeen::On | SyncSeen::Unknown | SyncSeen::Running => match self.problems {
                0 => Shown::UpToDate,
                n => Shown::NeedsAttention(n),
            },
        }
    }
}

/// What a failed call says about the Microsoft 365 sign-in (`None`: nothing) and whether the
/// tray shows an error.
fn outcome_of_error(code: ErrorCode) -> (Option<bool>, bool) {
    match code {
        ErrorCode::SignInRequired => (Some(false), false),
        // A refusal, or a typing slip, is an answer to the user, not a fault of the app.
        ErrorCode::CrmSignInRequired
        | ErrorCode::Refused
        | ErrorCode::Locked
        | ErrorCode::InvalidInput => (None, false),
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

    /// Record the scheduled sync's state as just read (`None`: it could not be read, as when
    /// nobody is signed in).
    pub fn set_sync(&self, app: &AppHandle, status: Option<&SyncStatus>) {
        let seen = status.map(SyncSeen::of).unwrap_or_default();
        let problems = status.map(|s| s.problems).unwrap_or(0);
        self.update(app, |s| {
            s.sync = seen;
            s.problems = problems;
        });
    }

    pub fn shown(&self) -> Shown {
        self.lock().shown()
    }

    /// Open problems and conflicts, as last read.
    pub fn problems(&self) -> usize {
        self.lock().problems
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn update<R>(&self, app: &AppHandle, change: impl FnOnce(&mut Inner) -> R) -> R {
        let (out, before, after) = {
            let mut inner = self.lock();
            let before = (inner.shown(), inner.problems);
            let out = change(&mut inner);
            (out, before, (inner.shown(), inner.problems))
        };
        // The tray's Problems (n) item follows the count even while the icon stays.
        if before != after {
            show(app, after.0);
        }
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
fn show(app: &AppHandle, shown: Shown) {
    crate::tray::show(app, shown);
}

#[cfg(not(desktop))]
fn show(_app: &AppHandle, _shown: Shown) {}

#[cfg(test)]
mod tests {
    use onbehalf_service::LoopState;

    use super::*;

    fn state(busy: u32, failed: bool, signed_in: bool) -> Shown {
        Inner {
            busy,
            signed_in,
            failed,
            sync: SyncSeen::Unknown,
            problems: 0,
        }
        .shown()
    }

    fn with_sync(sync: SyncSeen) -> Shown {
        Inner {
            signed_in: true,
            sync,
            ..Inner::default()
        }
        .shown()
    }

    fn status(on: bool, running: bool, last_error: Option<ServiceError>) -> SyncStatus {
        SyncStatus {
            on,
            last_run: None,
            waiting: 0,
            problems: 0,
            conflicts: 0,
            not_granted: None,
            schedule: LoopState {
                running,
                last_error,
                ..LoopState::default()
            },
        }
    }

    #[test]
    fn busy_wins_over_everything_but_a_running_sync() {
        assert_eq!(state(1, true, false), Shown::Working);
        assert_eq!(state(2, false, true), Shown::Working);
        let both = Inner {
            busy: 1,
            signed_in: true,
            failed: false,
            sync: SyncSeen::Running,
            problems: 2,
        };
        assert_eq!(both.shown(), Shown::Syncing);
    }

    #[test]
    fn a_failure_shows_as_error_even_when_signed_out() {
        assert_eq!(state(0, true, true), Shown::Failed);
        assert_eq!(state(0, true, false), Shown::Failed);
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
    fn a_value_that_is_not_what_was_asked_for_is_no_failure_of_the_app() {
        assert_eq!(outcome_of_error(ErrorCode::InvalidInput), (None, false));
    }

    #[test]
    fn signed_out_is_paused_and_signed_in_is_ok_until_the_sync_is_read() {
        assert_eq!(state(0, false, false), Shown::SignedOut);
        assert_eq!(state(0, false, true), Shown::UpToDate);
    }

    #[test]
    fn sync_off_is_paused_running_is_syncing_and_a_stopped_cycle_is_an_error() {
        assert_eq!(with_sync(SyncSeen::Off), Shown::SyncOff);
        assert_eq!(with_sync(SyncSeen::On), Shown::UpToDate);
        assert_eq!(with_sync(SyncSeen::Running), Shown::Syncing);
        assert_eq!(with_sync(SyncSeen::Stopped), Shown::SyncStopped);
        assert_eq!(Shown::SyncOff.indicator(), Indicator::Paused);
        assert_eq!(Shown::SyncStopped.indicator(), Indicator::Error);
        assert_eq!(Shown::SignedOut.indicator(), Indicator::SignedOut);
    }

    #[test]
    fn problems_waiting_need_attention_unless_something_more_pressing_shows() {
        let waiting = |sync, busy| {
            Inner {
                busy,
                signed_in: true,
                sync,
                problems: 3,
                ..Inner::default()
            }
            .shown()
        };
        assert_eq!(waiting(SyncSeen::On, 0), Shown::NeedsAttention(3));
        assert_eq!(Shown::NeedsAttention(3).indicator(), Indicator::Attention);
        assert_eq!(waiting(SyncSeen::Running, 0), Shown::Syncing);
        assert_eq!(waiting(SyncSeen::On, 1), Shown::Working);
        assert_eq!(waiting(SyncSeen::Off, 0), Shown::SyncOff);
        assert_eq!(waiting(SyncSeen::Stopped, 0), Shown::SyncStopped);
    }

    #[test]
    fn the_sync_state_is_read_from_the_status() {
        let stopped = ServiceError::new(ErrorCode::Network, "offline");
        assert_eq!(SyncSeen::of(&status(false, false, None)), SyncSeen::Off);
        assert_eq!(SyncSeen::of(&status(true, false, None)), SyncSeen::On);
        assert_eq!(SyncSeen::of(&status(true, true, None)), SyncSeen::Running);
        assert_eq!(
            SyncSeen::of(&status(true, false, Some(stopped.clone()))),
            SyncSeen::Stopped
        );
        // Paused keeps no error on show: turning it on again runs a cycle at once.
        assert_eq!(
            SyncSeen::of(&status(false, false, Some(stopped))),
            SyncSeen::Off
        );
    }
}
