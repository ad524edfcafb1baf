//! Faults injected into Graph requests on demand: latency, 429 with `Retry-After`, 503,
//! dropped connections and expired tokens. Counting is over Graph requests only; the
//! `/_sandbox` control endpoints and the identity platform are never disturbed.

use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use serde::{Deserialize, Serialize};

use crate::state::Store;

/// The fault knobs; also the JSON body of `POST /_sandbox/faults` (each field optional there).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FaultSettings {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latency_ms: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub throttle_every: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_after_secs: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unavailable_every: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub drop_connection_every: Option<u32>,
    /// Over HTTP: clear every fault before applying the other fields.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clear: Option<bool>,
}

#[derive(Default)]
struct Knobs {
    latency_ms: AtomicU64,
    throttle_every: AtomicU32,
    retry_after_secs: AtomicU32,
    unavailable_every: AtomicU32,
    drop_every: AtomicU32,
    seen: AtomicU64,
}

/// What to do with one Graph request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Verdict {
    Serve,
    Throttle { retry_after_secs: u32 },
    Unavailable,
    Drop,
}

/// Control of the running sandbox's faults. Cheap to clone.
#[derive(Clone)]
pub struct Faults {
    knobs: Arc<Knobs>,
    store: Arc<Store>,
}

impl Faults {
    pub(crate) fn new(store: Arc<Store>) -> Faults {
        Faults {
            knobs: Arc::new(Knobs::default()),
            store,
        }
    }

    /// Delay every Graph response by this much.
    pub fn set_latency(&self, latency: Duration) {
        let ms = u64::try_from(latency.as_millis()).unwrap_or(u64::MAX);
        self.knobs.latency_ms.store(ms, Ordering::SeqCst);
    }

    /// Answer every `n`th Graph request with 429 and `Retry-After: retry_after_secs`; 0 stops.
    pub fn throttle_every(&self, n: u32, retry_after_secs: u32) {
        self.knobs
            .retry_after_secs
            .store(retry_after_secs, Ordering::SeqCst);
        self.knobs.throttle_every.store(n, Ordering::SeqCst);
    }

    /// Answer every `n`th Graph request with 503; 0 stops.
    pub fn unavailable_every(&self, n: u32) {
        self.knobs.unavailable_every.store(n, Ordering::SeqCst);
    }

    /// Close the connection without an answer on every `n`th Graph request; 0 stops.
    pub fn drop_connection_every(&self, n: u32) {
        self.knobs.drop_every.store(n, Ordering::SeqCst);
    }

    /// Make every access token issued so far expired; refresh tokens keep working.
    pub fn expire_all_tokens(&self) {
        let now = Utc::now();
        let mut state = self.store.lock();
        for token in state.auth.access_tokens.values_mut() {
            token.expires = token.expires.min(now);
        }
        self.store.save_logged(&state);
    }

    /// Remove every fault (the request count is kept).
    pub fn clear(&self) {
        self.set_latency(Duration::ZERO);
        self.throttle_every(0, 0);
        self.unavailable_every(0);
        self.drop_connection_every(0);
    }

    /// How many Graph requests have arrived since the sandbox started.
    pub fn requests_seen(&self) -> u64 {
        self.knobs.seen.load(Ordering::SeqCst)
    }

    /// The faults now in force.
    pub fn settings(&self) -> FaultSettings {
        let nonzero32 = |v: u32| (v != 0).then_some(v);
        let k = &self.knobs;
        FaultSettings {
            latency_ms: Some(k.latency_ms.load(Ordering::SeqCst)).filter(|v| *v != 0),
            throttle_every: nonzero32(k.throttle_every.load(Ordering::SeqCst)),
            retry_after_secs: nonzero32(k.retry_after_secs.load(Ordering::SeqCst)),
            unavailable_every: nonzero32(k.unavailable_every.load(Ordering::SeqCst)),
            drop_connection_every: nonzero32(k.drop_every.load(Ordering::SeqCst)),
            clear: None,
        }
    }

    /// Apply settings received over HTTP.
    pub fn apply(&self, s: &FaultSettings) {
        if s.clear == Some(true) {
            self.clear();
        }
        if let Some(ms) = s.latency_ms {
            self.set_latency(Duration::from_millis(ms));
        }
        if let Some(n) = s.throttle_every {
            let after = s
                .retry_after_secs
                .unwrap_or_else(|| self.knobs.retry_after_secs.load(Ordering::SeqCst).max(1));
            self.throttle_every(n, after);
        } else if let Some(after) = s.retry_after_secs {
            self.knobs.retry_after_secs.store(after, Ordering::SeqCst);
        }
        if let Some(n) = s.unavailable_every {
            self.unavailable_every(n);
        }
        if let Some(n) = s.drop_connection_every {
            self.drop_connection_every(n);
        }
    }

    pub(crate) fn latency(&self) -> Duration {
        Duration::from_millis(self.knobs.latency_ms.load(Ordering::SeqCst))
    }

    /// Count one Graph request and decide its fate.
    pub(crate) fn next(&self) -> Verdict {
        let k = &self.knobs;
        let n = k.seen.fetch_add(1, Ordering::SeqCst) + 1;
        let hits = |every: &AtomicU32| {
            let every = u64::from(every.load(Ordering::SeqCst));
            every != 0 && n.is_multiple_of(every)
        };
        if hits(&k.drop_every) {
            Verdict::Drop
        } else if hits(&k.throttle_every) {
            Verdict::Throttle {
                retry_after_secs: k.retry_after_secs.load(Ordering::SeqCst),
            }
        } else if hits(&k.unavailable_every) {
            Verdict::Unavailable
        } else {
            Verdict::Serve
        }
    }
}
