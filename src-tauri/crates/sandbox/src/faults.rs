//! Faults injected on demand: on Graph requests latency, 429 with `Retry-After` (whole
//! requests or single `$batch` members), 503, dropped connections and a lost delta token
//! cache; on the identity platform expired access tokens, revoked refresh tokens and refresh
//! tokens aged by days. Also what the world did that tests check from outside: the meeting
//! messages each mailbox sent and the mail sent outside the organisation; and mail from
//! outside arriving in a user's Inbox.
//! Request counting is over Graph requests only; the `/_sandbox` control endpoints and the
//! identity platform are never disturbed by the counted faults. The same count, by kind
//! ([`GraphCounts`]), lets a benchmark put a client's round trips next to their floor.

use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use axum::http::Method;
use chrono::{Duration as Days, Utc};
use serde::{Deserialize, Serialize};

use crate::graph::MeetingMail;
use crate::mailbox::{InboundMail, MailError, OutboundMail};
use crate::salesforce::SalesforceFaults;
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
    /// Answer every `n`th `$batch` member with 429 (and `retry_after_secs`), the batch itself
    /// staying 200.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub throttle_batch_members_every: Option<u32>,
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
    batch_throttle_every: AtomicU32,
    seen: AtomicU64,
    batch_members_seen: AtomicU64,
    batches: AtomicU64,
    members: AtomicU64,
    delta_pages: AtomicU64,
    writes: AtomicU64,
    delta_page_size: AtomicU64,
}

/// Graph requests counted by kind since the sandbox started (see [`Faults::graph_counts`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct GraphCounts {
    /// Every Graph request that arrived, a `$batch` counting once.
    pub requests: u64,
    /// `$batch` requests among them.
    pub batches: u64,
    /// The requests inside those batches.
    pub batch_members: u64,
    /// Pages of delta queries, asked alone or inside a batch.
    pub delta_pages: u64,
    /// Requests and batch members that are not GETs (a `$batch` itself aside).
    pub writes: u64,
}

impl GraphCounts {
    /// What was counted after `earlier`.
    pub fn since(&self, earlier: &GraphCounts) -> GraphCounts {
        GraphCounts {
            requests: self.requests.saturating_sub(earlier.requests),
            batches: self.batches.saturating_sub(earlier.batches),
            batch_members: self.batch_members.saturating_sub(earlier.batch_members),
            delta_pages: self.delta_pages.saturating_sub(earlier.delta_pages),
            writes: self.writes.saturating_sub(earlier.writes),
        }
    }
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
    salesforce: SalesforceFaults,
}

impl Faults {
    pub(crate) fn new(store: Arc<Store>) -> Faults {
        Faults {
            knobs: Arc::new(Knobs::default()),
            salesforce: SalesforceFaults::new(store.clone()),
            store,
        }
    }

    /// The Salesforce side's faults and admin actions (its own knobs: the counted faults
    /// here apply to Graph only).
    pub fn salesforce(&self) -> SalesforceFaults {
        self.salesforce.clone()
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

    /// Answer every `n`th `$batch` member (counted across batches) with 429 and
    /// `Retry-After: retry_after_secs`, as Graph throttles members one by one; 0 stops.
    pub fn throttle_batch_members_every(&self, n: u32, retry_after_secs: u32) {
        self.knobs
            .retry_after_secs
            .store(retry_after_secs, Ordering::SeqCst);
        self.knobs.batch_throttle_every.store(n, Ordering::SeqCst);
    }

    /// Revoke every user's refresh tokens, as an admin's "revoke sessions" does: the next
    /// refresh gets `invalid_grant` (AADSTS50173). Access tokens run to their expiry.
    pub fn revoke_all_refresh_tokens(&self) {
        let now = Utc::now();
        let mut state = self.store.lock();
        for user in &mut state.users {
            user.tokens_valid_from = Some(now);
        }
        self.store.save_logged(&state);
    }

    /// Revoke one user's refresh tokens (a password reset); `false` when no demo user has
    /// that address.
    pub fn revoke_refresh_tokens_of(&self, address: &str) -> bool {
        let now = Utc::now();
        let mut state = self.store.lock();
        let Some(user) = state.user_by_address(address) else {
            return false;
        };
        if let Some(u) = state.users.get_mut(user) {
            u.tokens_valid_from = Some(now);
        }
        self.store.save_logged(&state);
        true
    }

    /// The executive's simulated Onbehalf signs in to another Microsoft 365 organisation and
    /// publishes her status record from there; `false` when her real Onbehalf speaks for her.
    pub fn executive_signs_in_to_tenant(&self, tenant_id: &str) -> bool {
        let mut state = self.store.lock();
        let done = crate::onbehalf::sign_in_elsewhere(&mut state, tenant_id, Utc::now());
        self.store.save_logged(&state);
        done
    }

    /// Move every refresh token `days` into the past (when it was issued, signed in and last
    /// used, and the revocation dates with them), so the 90-day inactivity limit can be
    /// reached without waiting.
    pub fn age_refresh_tokens(&self, days: u32) {
        let by = Days::days(i64::from(days));
        let mut state = self.store.lock();
        for token in state.auth.refresh_tokens.values_mut() {
            token.issued -= by;
            token.auth_time -= by;
            token.last_used -= by;
        }
        for user in &mut state.users {
            user.tokens_valid_from = user.tokens_valid_from.map(|t| t - by);
        }
        self.store.save_logged(&state);
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

    /// Forget every delta token, as Exchange's token cache may: the next use of any delta or
    /// next link is 410 `SyncStateNotFound`.
    pub fn expire_delta_tokens(&self) {
        let mut state = self.store.lock();
        state.sync_states.clear();
        self.store.save_logged(&state);
    }

    /// The meeting messages (invitations, updates, cancellations) the mailbox of `address` has
    /// sent since the sandbox was seeded.
    pub fn meeting_mail(&self, address: &str) -> MeetingMail {
        self.store
            .lock()
            .meeting_mail
            .get(&address.trim().to_lowercase())
            .copied()
            .unwrap_or_default()
    }

    /// How many meeting messages of any kind the mailbox of `address` has sent.
    pub fn meeting_mail_sent(&self, address: &str) -> u64 {
        self.meeting_mail(address).total()
    }

    /// An e-mail from outside the organisation (a customer's answer, say) arrives now in the
    /// Inbox of the sandbox user `mail.to`, unread; the message's Graph id in that mailbox.
    pub fn deliver_mail(&self, mail: &InboundMail) -> Result<String, MailError> {
        let mut state = self.store.lock();
        let key = crate::mailbox::receive(&mut state, mail, Utc::now())?;
        let id = state
            .mail
            .messages
            .get(&key)
            .map(|m| crate::ids::ItemId::new(m.mailbox, crate::ids::Kind::Message, key).encode())
            .unwrap_or_default();
        self.store.save_logged(&state);
        Ok(id)
    }

    /// Every message sent through Graph to addresses outside the organisation, oldest first.
    pub fn outbound_mail(&self) -> Vec<OutboundMail> {
        self.store.lock().mail.outbound.clone()
    }

    /// Remove every fault (the request count is kept).
    pub fn clear(&self) {
        self.set_latency(Duration::ZERO);
        self.throttle_every(0, 0);
        self.unavailable_every(0);
        self.drop_connection_every(0);
        self.throttle_batch_members_every(0, 0);
    }

    /// How many Graph requests have arrived since the sandbox started.
    pub fn requests_seen(&self) -> u64 {
        self.knobs.seen.load(Ordering::SeqCst)
    }

    /// The Graph requests counted so far, by kind.
    pub fn graph_counts(&self) -> GraphCounts {
        let k = &self.knobs;
        GraphCounts {
            requests: k.seen.load(Ordering::SeqCst),
            batches: k.batches.load(Ordering::SeqCst),
            batch_members: k.members.load(Ordering::SeqCst),
            delta_pages: k.delta_pages.load(Ordering::SeqCst),
            writes: k.writes.load(Ordering::SeqCst),
        }
    }

    /// The page size in force on the latest delta page served (the client's
    /// `odata.maxpagesize`, else the sandbox's default); `None` before the first.
    pub fn delta_page_size(&self) -> Option<u64> {
        Some(self.knobs.delta_page_size.load(Ordering::SeqCst)).filter(|n| *n != 0)
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
            throttle_batch_members_every: nonzero32(k.batch_throttle_every.load(Ordering::SeqCst)),
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
        let after = s
            .retry_after_secs
            .unwrap_or_else(|| self.knobs.retry_after_secs.load(Ordering::SeqCst).max(1));
        if let Some(n) = s.throttle_every {
            self.throttle_every(n, after);
        }
        if let Some(n) = s.throttle_batch_members_every {
            self.throttle_batch_members_every(n, after);
        }
        if let Some(after) = s.retry_after_secs {
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

    /// Count one `$batch` member; `Some(retry after)` when it is to be throttled.
    pub(crate) fn next_batch_member(&self) -> Option<u32> {
        let k = &self.knobs;
        let n = k.batch_members_seen.fetch_add(1, Ordering::SeqCst) + 1;
        let every = u64::from(k.batch_throttle_every.load(Ordering::SeqCst));
        (every != 0 && n.is_multiple_of(every)).then(|| k.retry_after_secs.load(Ordering::SeqCst))
    }

    /// Count one `$batch` of `members` requests.
    pub(crate) fn count_batch(&self, members: usize) {
        let k = &self.knobs;
        k.batches.fetch_add(1, Ordering::SeqCst);
        let n = u64::try_from(members).unwrap_or(u64::MAX);
        k.members.fetch_add(n, Ordering::SeqCst);
    }

    /// Count a request (or a batch member) routed to a handler, by kind: `path` is below
    /// `/v1.0`, `page_size` the delta page size in force.
    pub(crate) fn count_routed(&self, method: &Method, path: &str, page_size: usize) {
        let k = &self.knobs;
        let last = path.rsplit('/').find(|s| !s.is_empty()).unwrap_or_default();
        if method != Method::GET {
            k.writes.fetch_add(1, Ordering::SeqCst);
        } else if last.eq_ignore_ascii_case("delta") {
            k.delta_pages.fetch_add(1, Ordering::SeqCst);
            let size = u64::try_from(page_size).unwrap_or(u64::MAX);
            k.delta_page_size.store(size, Ordering::SeqCst);
        }
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
