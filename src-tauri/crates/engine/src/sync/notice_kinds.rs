//! The kinds of problems a user may choose to hear about or not: every cause belongs to one.
//! A problem of a kind the user silenced is still kept and listed in the Problems view; only
//! its notification is left out.

use serde::{Deserialize, Serialize};

/// A kind of problem, as the notification settings name them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum NoticeKind {
    /// A share waits for an owner: their sync is off, or they have no CRM user.
    Waiting,
    /// The CRM does not let the user see or change an event.
    CrmAccess,
    /// The user's Outlook permission does not allow what the sync would do.
    ExchangePermission,
    /// The CRM refused an item (a validation rule, a limit, private items by policy).
    CrmRefused,
    /// A sign-in expired.
    SignIn,
    /// A service stays out of reach.
    Connection,
    /// An owner's Onbehalf works in another organisation or CRM org.
    OtherOrganisation,
    /// The CRM's daily API allowance is spent.
    CrmAllowance,
    /// Changes made on both sides wait for a decision.
    Conflicts,
}

impl NoticeKind {
    /// Every kind, in the order the settings list them.
    pub const ALL: [NoticeKind; 9] = [
        NoticeKind::Waiting,
        NoticeKind::CrmAccess,
        NoticeKind::ExchangePermission,
        NoticeKind::CrmRefused,
        NoticeKind::SignIn,
        NoticeKind::Connection,
        NoticeKind::OtherOrganisation,
        NoticeKind::CrmAllowance,
        NoticeKind::Conflicts,
    ];

    /// The kind a problem's cause belongs to.
    pub fn of(cause: &str) -> NoticeKind {
        match cause {
            "owner_sync_off" | "no_crm_user_for_owner" => NoticeKind::Waiting,
            "no_crm_read_access" | "no_crm_edit_access" | "no_crm_access_related" => {
                NoticeKind::CrmAccess
            }
            "exchange_permission" => NoticeKind::ExchangePermission,
            "microsoft_sign_in_expired" | "crm_sign_in_expired" => NoticeKind::SignIn,
            "cannot_reach" => NoticeKind::Connection,
            "other_tenant" | "other_crm_org" => NoticeKind::OtherOrganisation,
            "crm_budget_spent" | "crm_budget_reserve" => NoticeKind::CrmAllowance,
            "conflict" | "conflicts_waiting" => NoticeKind::Conflicts,
            // "crm_rejected", "crm_cannot_keep", "private_not_synced" and any cause a newer
            // version keeps.
            _ => NoticeKind::CrmRefused,
        }
    }

    /// The kind in a few words, for the settings.
    pub fn label(self) -> &'static str {
        match self {
            NoticeKind::Waiting => "Shares waiting for an owner's sync or CRM user",
            NoticeKind::CrmAccess => "CRM access missing for an event",
            NoticeKind::ExchangePermission => "Outlook permission too low",
            NoticeKind::CrmRefused => "Items the CRM refused",
            NoticeKind::SignIn => "Expired sign-ins",
            NoticeKind::Connection => "Microsoft 365 or the CRM out of reach",
            NoticeKind::OtherOrganisation => "Owners in another organisation or CRM org",
            NoticeKind::CrmAllowance => "The CRM's daily allowance spent",
            NoticeKind::Conflicts => "Conflicts waiting for a decision",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kept_cause_belongs_to_the_kind_a_person_would_look_for() {
        let table = [
            ("owner_sync_off", NoticeKind::Waiting),
            ("no_crm_user_for_owner", NoticeKind::Waiting),
            ("no_crm_read_access", NoticeKind::CrmAccess),
            ("no_crm_edit_access", NoticeKind::CrmAccess),
            ("no_crm_access_related", NoticeKind::CrmAccess),
            ("exchange_permission", NoticeKind::ExchangePermission),
            ("crm_rejected", NoticeKind::CrmRefused),
            ("crm_cannot_keep", NoticeKind::CrmRefused),
            ("private_not_synced", NoticeKind::CrmRefused),
            ("microsoft_sign_in_expired", NoticeKind::SignIn),
            ("crm_sign_in_expired", NoticeKind::SignIn),
            ("cannot_reach", NoticeKind::Connection),
            ("other_tenant", NoticeKind::OtherOrganisation),
            ("other_crm_org", NoticeKind::OtherOrganisation),
            ("crm_budget_spent", NoticeKind::CrmAllowance),
            ("crm_budget_reserve", NoticeKind::CrmAllowance),
            ("conflicts_waiting", NoticeKind::Conflicts),
        ];
        for (cause, kind) in table {
            assert_eq!(NoticeKind::of(cause), kind, "{cause}");
        }
        let labels: std::collections::BTreeSet<_> =
            NoticeKind::ALL.iter().map(|k| k.label()).collect();
        assert_eq!(labels.len(), NoticeKind::ALL.len());
    }
}
