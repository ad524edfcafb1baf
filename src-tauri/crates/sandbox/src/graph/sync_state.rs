//! The state behind delta query tokens, kept server-side as Exchange does ("state tokens …
//! completely opaque to the client"). A token is bound to the caller, the mailbox and calendar
//! of the request and the window of the round's first request, and names either a round in
//! progress (what is left to send) or a finished round (what the client then knew).
//!
//! "For Outlook entities … the upper limit isn't fixed; it's dependent on the size of the
//! internal delta token cache. While new delta tokens are continuously added in the cache,
//! after the cache capacity is exceeded, the older delta tokens are deleted"
//! (delta-query-overview): each caller's calendar keeps its newest [`CACHE`] tokens.

use std::collections::BTreeSet;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::access::CalView;
use super::error::GraphError;
use crate::state::State;

/// Assumption: tokens kept per caller and calendar. Exchange was seen keeping a handful of
/// generations ("generation=149;[highest=157][157][155][156]",
/// microsoftgraph/microsoft-graph-docs#2350); the documentation gives no number.
pub(crate) const CACHE: usize = 8;

/// One delta token's state.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct SyncState {
    pub caller: usize,
    /// The mailbox of the request path (whose ids the round hands out).
    pub mailbox: usize,
    pub calendar: u64,
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    /// Order of issue; the cache drops the lowest first.
    pub generation: u64,
    pub stage: Stage,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) enum Stage {
    /// A round in progress (`$skiptoken`): entries still to send, and what the client will know
    /// once they are sent.
    Paging { pending: Vec<Entry>, then: Known },
    /// A finished round (`$deltatoken`).
    Done(Known),
}

/// What a client knew at the end of a round: the change count then, and every id it was given.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(crate) struct Known {
    pub change_count: u64,
    pub ids: BTreeSet<String>,
}

/// One entry of a delta page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) enum Entry {
    Changed(String),
    Removed(String),
}

/// A new opaque token.
fn new_token() -> String {
    URL_SAFE_NO_PAD.encode(rand::random::<[u8; 24]>())
}

/// The state of `token`, if the cache still holds it for this caller and calendar.
pub(crate) fn find(
    world: &State,
    caller: usize,
    view: &CalView,
    token: &str,
) -> Result<SyncState, GraphError> {
    world
        .sync_states
        .get(token)
        .filter(|s| s.caller == caller && s.mailbox == view.mailbox && s.calendar == view.calendar)
        .cloned()
        .ok_or_else(GraphError::sync_state_not_found)
}

/// Keep a new state and return its token, dropping the oldest of this caller's calendar beyond
/// the cache size.
pub(crate) fn issue(world: &mut State, mut state: SyncState) -> String {
    state.generation = world
        .sync_states
        .values()
        .map(|s| s.generation)
        .max()
        .unwrap_or(0)
        + 1;
    let same = |s: &SyncState| {
        s.caller == state.caller && s.mailbox == state.mailbox && s.calendar == state.calendar
    };
    let mut mine: Vec<(u64, String)> = world
        .sync_states
        .iter()
        .filter(|(_, s)| same(s))
        .map(|(t, s)| (s.generation, t.clone()))
        .collect();
    mine.sort_unstable();
    let excess = (mine.len() + 1).saturating_sub(CACHE);
    for (_, old) in mine.into_iter().take(excess) {
        world.sync_states.remove(&old);
    }
    let token = new_token();
    world.sync_states.insert(token.clone(), state);
    token
}
