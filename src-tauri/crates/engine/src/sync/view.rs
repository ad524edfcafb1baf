//! What the user is shown about each calendar item: its share state, what it is linked to,
//! the problems standing in its way worded for a person, and what the user may do with it.
//! Serialised as is by `onbehalf items --json` and sent to the UI. Pure.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::actions::{Action, Verdict};
use crate::crm::EventTime;
use crate::item::item_verdict;
use crate::sync::model::ExItem;
use crate::sync::plan::{facts, wording, Actor, Problem};
use crate::sync::share::ShareRefusal;

/// The cause of a share waiting for the owner's sync.
const OWNER_SYNC_OFF: &str = "owner_sync_off";

/// Where an item stands with the CRM.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum ShareState {
    /// Not shared.
    None,
    /// Shared (asked for), not yet in the CRM.
    Pending,
    /// In the CRM, linked.
    Shared,
    /// Shared or asked for, and something stands in the way.
    Problem,
}

/// The CRM event an item is linked to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CrmRef {
    pub id: String,
    /// The CRM user who owns the event (the calendar owner's).
    pub owner: String,
}

/// A share asked for and not yet done.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PendingView {
    pub requested_by: String,
    pub requested_at: DateTime<Utc>,
    /// Said to the user while it waits (e.g. that the owner's sync is off).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub waiting_for: Option<String>,
}

/// A problem standing in an item's way.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ProblemView {
    /// A stable code (`owner_sync_off`, `no_crm_edit_access`, …).
    pub cause: String,
    /// What happened and what fixes it, for a person.
    pub message: String,
}

/// One calendar item as the Items view and `onbehalf items` show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ItemView {
    /// The item's immutable id in the owner's mailbox.
    pub id: String,
    /// The owner's address.
    pub calendar: String,
    pub subject: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub location: Option<String>,
    /// RFC 3339 in UTC; for an all-day item, its first day (`YYYY-MM-DD`).
    pub start: String,
    /// RFC 3339 in UTC; for an all-day item, its last day, included.
    pub end: String,
    pub all_day: bool,
    pub private: bool,
    /// It has attendees: Onbehalf never changes its fields in Exchange (that would mail them).
    pub meeting: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub organizer: Option<String>,
    pub attendees: Vec<String>,
    pub categories: Vec<String>,
    /// One occurrence of a recurring series.
    pub occurrence: bool,
    pub share: ShareState,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub crm: Option<CrmRef>,
    /// The CRM records the event is (or will be) linked to: a contact or lead, then an
    /// account, opportunity or case.
    pub links: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub pending: Option<PendingView>,
    pub problems: Vec<ProblemView>,
    /// What the user may do with this item, with the reason for each refusal.
    pub actions: BTreeMap<Action, Verdict>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub web_link: Option<String>,
}

/// The view of `item` for the user `a` describes, with the open problems kept for it.
pub fn item_view(item: &ExItem, a: &Actor<'_>, problems: Vec<ProblemView>) -> ItemView {
    let (start, end, all_day) = match item.fields.time {
        EventTime::Timed { start, end } => (start.to_rfc3339(), end.to_rfc3339(), false),
        EventTime::AllDay { first, last } => (first.to_string(), last.to_string(), true),
    };
    let shared_by_category = item
        .categories
        .iter()
        .any(|c| c.eq_ignore_ascii_case(a.share_category));
    // A share waiting for the owner's sync is pending, not a problem: nothing is wrong with it.
    let blocked = problems.iter().any(|p| p.cause != OWNER_SYNC_OFF);
    let share = match (&item.link, item.pending.is_some() || shared_by_category) {
        _ if blocked => ShareState::Problem,
        (Some(_), _) => ShareState::Shared,
        (None, true) => ShareState::Pending,
        (None, false) => ShareState::None,
    };
    let links = match (&item.link, &item.pending) {
        (Some(l), _) => [&l.who_id, &l.what_id]
            .into_iter()
            .flatten()
            .cloned()
            .collect(),
        (None, Some(p)) => [&p.who_id, &p.what_id]
            .into_iter()
            .flatten()
            .cloned()
            .collect(),
        (None, None) => Vec::new(),
    };
    let pending = match (&item.link, &item.pending) {
        (None, Some(p)) => Some(PendingView {
            requested_by: p.requested_by.clone(),
            requested_at: p.requested_at,
            waiting_for: waiting_for(a),
        }),
        (None, None) if shared_by_category => Some(PendingView {
            requested_by: a.me.to_string(),
            requested_at: a.now,
            waiting_for: waiting_for(a),
        }),
        (Some(_), _) | (None, None) => None,
    };
    ItemView {
        id: item.key.id.clone(),
        calendar: item.key.owner.clone(),
        subject: item.fields.subject.clone(),
        location: item.fields.location.clone(),
        start,
        end,
        all_day,
        private: item.is_private,
        meeting: item.is_meeting(),
        organizer: item.organizer.clone(),
        attendees: item.attendees.clone(),
        categories: item.categories.clone(),
        occurrence: !matches!(item.recurrence, crate::sync::model::Recurrence::Single),
        share,
        crm: item.link.as_ref().map(|l| CrmRef {
            id: l.event_id.clone(),
            owner: l.owner_id.clone(),
        }),
        links,
        pending,
        problems,
        actions: actions(item, a),
        web_link: item.web_link.clone(),
    }
}

/// Why a pending share waits, when it waits for the owner.
fn waiting_for(a: &Actor<'_>) -> Option<String> {
    let direct = a.policy.direct_share && a.may_add_crm == Some(true);
    match (a.is_owner || direct, a.owner_sync_on) {
        (true, _) => None,
        (false, true) => Some(format!(
            "Waiting for {}'s Onbehalf to save it.",
            a.owner_name
        )),
        (false, false) => Some(problem_words(&Problem::OwnerSyncOff, a.owner_name)),
    }
}

/// Every action's verdict on this item; sharing also needs the private-sync policy.
fn actions(item: &ExItem, a: &Actor<'_>) -> BTreeMap<Action, Verdict> {
    let f = facts(item, a);
    let w = wording(a);
    Action::ALL
        .into_iter()
        .map(|action| {
            let mut v = match a.is_owner {
                true => item_verdict(action, &crate::permission::Rights::OWNER_SELF, &f, &w),
                false => item_verdict(action, &a.rights, &f, &w),
            };
            let sharing = matches!(action, Action::ShareToCrm | Action::LinkCrmRecords);
            if sharing && v.allowed && item.is_private && !a.policy.private_sync {
                v = Verdict {
                    allowed: false,
                    applies: None,
                    reason: Some(ShareRefusal::PrivateNotSynced.to_string()),
                    unknown: false,
                };
            }
            if action == Action::LinkCrmRecords && v.allowed && item.is_private {
                v = Verdict {
                    allowed: false,
                    applies: None,
                    reason: Some(
                        "A private event cannot be linked to records in the CRM; it is saved \
                         private, without records."
                            .to_string(),
                    ),
                    unknown: false,
                };
            }
            (action, v)
        })
        .collect()
}

/// A planner's problem in words for a person: what happened and what fixes it (DESIGN §2.4).
pub fn problem_words(problem: &Problem, owner_name: &str) -> String {
    match problem {
        Problem::OwnerSyncOff => format!(
            "{owner_name} does not have sync turned on; this item will be saved to the CRM when \
             they turn it on."
        ),
        Problem::NoCrmReadAccess => "Insufficient CRM permissions to save this event: you may \
             not see its event in the CRM, or it was deleted there."
            .to_string(),
        Problem::NoCrmEditAccess => format!(
            "Your change was not saved to the CRM: ask {owner_name} to give you edit access to \
             their events in the CRM."
        ),
        Problem::ExchangePermission { needed, reason } => {
            format!("Onbehalf could not {needed} in Outlook. {reason}")
        }
        Problem::PrivateNotSynced => ShareRefusal::PrivateNotSynced.to_string(),
        Problem::NoCrmUserForOwner => format!(
            "{owner_name} has no active user in your CRM, so the event has no one to own it. \
             Ask your CRM administrator to add {owner_name}."
        ),
    }
}
