//! Faults, per app, drawn from the world's seeded generator at each port call: a service busy
//! (429 / 5xx), an answer lost after the write was made, a sign-in that expired, and crashes.
//!
//! A crash is a fuse armed with a number of port calls: the call that finds it spent never
//! answers (before or after its effect), the app is told through its [`tokio::sync::Notify`],
//! and whoever drives the app drops the work in flight. The app's store stays as it was, as
//! it would on disk.

use std::sync::Arc;
use std::time::Duration;

use onbehalf_engine::crm::CrmError;
use onbehalf_engine::ports::SourceError;
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use tokio::sync::Notify;

use crate::people::AppId;
use crate::world::{World, WorldState};

/// Which port a call goes through.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Exchange,
    Crm,
}

/// A crash waiting to happen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fuse {
    /// Port calls that still answer.
    pub calls_left: u32,
    /// The last call's effect is made before the app dies (the answer is what is lost).
    pub after: bool,
}

/// One app's faults.
#[derive(Debug, Clone, Default)]
pub struct AppFaults {
    /// Chance in a thousand that a call finds the service busy.
    pub busy_per_mille: u32,
    pub exchange_signed_out: bool,
    pub crm_signed_out: bool,
    pub fuse: Option<Fuse>,
    /// The fuse went off.
    pub crashed: bool,
}

/// What a busy service answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Busy {
    Throttled,
    Transient,
}

impl Busy {
    pub fn source(self) -> SourceError {
        match self {
            Busy::Throttled => SourceError::Throttled {
                retry_after: Some(Duration::from_secs(5)),
                message: "TooManyRequests".to_string(),
            },
            Busy::Transient => SourceError::Transient {
                message: "503 Service Unavailable".to_string(),
            },
        }
    }

    pub fn crm(self) -> CrmError {
        match self {
            Busy::Throttled => CrmError::Throttled {
                retry_after: Some(Duration::from_secs(5)),
                message: "REQUEST_LIMIT_EXCEEDED: ConcurrentPerOrgLongTxn".to_string(),
            },
            Busy::Transient => CrmError::Transient {
                message: "503 Service Unavailable".to_string(),
            },
        }
    }
}

/// What happens to one port call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gate {
    /// Made; `crash_after`: then the app dies; `lost`: the answer is lost (a write's timeout).
    Go {
        crash_after: bool,
        lost: bool,
    },
    /// The app dies before the call reaches the service.
    CrashBefore,
    SignedOut,
    Busy(Busy),
}

impl AppFaults {
    /// Decide one call's fate.
    pub fn gate(&mut self, side: Side, write: bool, rng: &mut ChaCha8Rng) -> Gate {
        if let Some(fuse) = &mut self.fuse {
            if fuse.calls_left == 0 {
                let after = fuse.after;
                self.fuse = None;
                self.crashed = true;
                return match after {
                    true => Gate::Go {
                        crash_after: true,
                        lost: false,
                    },
                    false => Gate::CrashBefore,
                };
            }
            fuse.calls_left -= 1;
        }
        let signed_out = match side {
            Side::Exchange => self.exchange_signed_out,
            Side::Crm => self.crm_signed_out,
        };
        if signed_out {
            return Gate::SignedOut;
        }
        if self.busy_per_mille > 0 && rng.gen_range(0..1000) < self.busy_per_mille {
            return match (write, rng.gen_range(0..3)) {
                (true, 0) => Gate::Go {
                    crash_after: false,
                    lost: true,
                },
                (_, 1) => Gate::Busy(Busy::Throttled),
                _ => Gate::Busy(Busy::Transient),
            };
        }
        Gate::Go {
            crash_after: false,
            lost: false,
        }
    }
}

/// The app dies here: tell its driver, and never answer.
pub async fn crash<T>(notify: &Arc<Notify>) -> T {
    notify.notify_waiters();
    std::future::pending::<T>().await
}

/// The errors a port speaks, for [`through_gate`].
pub trait PortError: Sized {
    fn signed_out() -> Self;
    fn busy(b: Busy) -> Self;
}

impl PortError for SourceError {
    fn signed_out() -> Self {
        SourceError::SignInExpired
    }
    fn busy(b: Busy) -> Self {
        b.source()
    }
}

impl PortError for CrmError {
    fn signed_out() -> Self {
        CrmError::SignInExpired
    }
    fn busy(b: Busy) -> Self {
        b.crm()
    }
}

/// One port call of `app` on `side`: the gate, then `f` on the world, then what the gate asked
/// for after (a crash, an answer lost on the way back).
pub async fn through_gate<T, E: PortError>(
    world: &World,
    app: AppId,
    side: Side,
    crash_signal: &Arc<Notify>,
    write: bool,
    f: impl FnOnce(&mut WorldState) -> Result<T, E>,
) -> Result<T, E> {
    let (gate, result) = {
        let mut w = world.lock();
        let gate = w.gate(app, side, write);
        match gate {
            Gate::Go { .. } => {
                let r = f(&mut w);
                (gate, Some(r))
            }
            Gate::CrashBefore | Gate::SignedOut | Gate::Busy(_) => (gate, None),
        }
    };
    match (gate, result) {
        (Gate::CrashBefore, _)
        | (
            Gate::Go {
                crash_after: true, ..
            },
            _,
        ) => crash(crash_signal).await,
        (Gate::SignedOut, _) => Err(E::signed_out()),
        (Gate::Busy(b), _) => Err(E::busy(b)),
        (Gate::Go { lost: true, .. }, Some(Ok(_))) => Err(E::busy(Busy::Transient)),
        (Gate::Go { .. }, Some(r)) => r,
        (Gate::Go { .. }, None) => Err(E::busy(Busy::Transient)),
    }
}
