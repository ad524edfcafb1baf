//! What a cycle works with besides the two sides: who the user is, the calendars it syncs
//! with the user's rights on each, and the settings.

use chrono::{DateTime, Duration, Utc};
use onbehalf_engine::permission::Rights;
use onbehalf_engine::sync::plan::{Actor, SyncPolicy};
use onbehalf_engine::sync::port::Window;
use serde::{Deserialize, Serialize};

/// One calendar sync covers: the user's own, or an owner's the user may share on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Calendar {
    /// The owner's address (the user's own for their calendar), lowercase.
    pub owner: String,
    pub owner_name: String,
    pub is_own: bool,
    /// The user's rights on it, and the level's name for words.
    pub rights: Rights,
    pub level: String,
    /// The owner's Onbehalf runs its sync (the user's own: whether sync is on here).
    pub owner_sync_on: bool,
    /// The owner's CRM user, when found.
    pub owner_crm_user: Option<String>,
    /// The user may add events to the owner's CRM calendar, when known.
    pub may_add_crm: Option<bool>,
    /// The user may create the owner's CRM events directly (the per-owner option).
    pub direct_share: bool,
}

/// The user's sync settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Settings {
    /// Days before today the window covers.
    pub days_back: i64,
    /// Days after today the window covers.
    pub days_ahead: i64,
    /// The category that shares an item.
    pub share_category: String,
    /// The admin allows private sync and the user turned it on.
    pub private_sync: bool,
    pub winner: onbehalf_engine::sync::merge::Winner,
    /// An owner's calendar whose versions did not change since it was last read is read
    /// whole again after this many minutes anyway (the full cycle's interval).
    pub reread_minutes: i64,
    /// Events the user owns that were made in the CRM come into their own calendar.
    pub crm_to_exchange: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            days_back: 14,
            days_ahead: 60,
            share_category: "CRM".to_string(),
            private_sync: false,
            winner: onbehalf_engine::sync::merge::Winner::Exchange,
            reread_minutes: 5,
            crm_to_exchange: false,
        }
    }
}

/// Everything a cycle needs to know besides the two sides.
#[derive(Debug, Clone)]
pub struct Context {
    /// The Microsoft 365 account (store key).
    pub account_id: String,
    /// The user's address, lowercase.
    pub me: String,
    /// Which CRM, the org and the user's CRM user.
    pub crm: String,
    pub crm_org: String,
    pub crm_user: String,
    /// The user's own calendar first, then the owners' calendars the user shares on.
    pub calendars: Vec<Calendar>,
    pub settings: Settings,
    /// The CRM's events keep the id of the item they were made for (`None`: not asked yet;
    /// the sync asks the CRM, and until then claims nothing).
    pub keeps_item_ids: Option<bool>,
}

impl Context {
    /// The window around `now`.
    pub fn window(&self, now: DateTime<Utc>) -> Window {
        Window {
            from: now - Duration::days(self.settings.days_back.max(0)),
            to: now + Duration::days(self.settings.days_ahead.max(1)),
        }
    }

    pub fn calendar(&self, owner: &str) -> Option<&Calendar> {
        self.calendars
            .iter()
            .find(|c| c.owner.eq_ignore_ascii_case(owner))
    }

    /// The planner's view of the user on one calendar.
    pub fn actor<'a>(
        &'a self,
        cal: &'a Calendar,
        may_edit_crm: Option<bool>,
        now: DateTime<Utc>,
    ) -> Actor<'a> {
        Actor {
            me: &self.me,
            owner_name: &cal.owner_name,
            is_owner: cal.is_own,
            rights: cal.rights,
            level: &cal.level,
            owner_sync_on: cal.owner_sync_on,
            owner_crm_user: cal.owner_crm_user.as_deref(),
            crm_org: &self.crm_org,
            crm: &self.crm,
            may_add_crm: cal.may_add_crm,
            may_edit_crm: match cal.is_own {
                true => Some(true),
                false => may_edit_crm,
            },
            share_category: &self.settings.share_category,
            keeps_item_ids: self.keeps_item_ids == Some(true),
            policy: SyncPolicy {
                private_sync: self.settings.private_sync,
                winner: self.settings.winner,
                direct_share: cal.direct_share,
            },
            now,
        }
    }
}
