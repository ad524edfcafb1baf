//! The native notifications the sync's problems call for (DESIGN §2.4): one when a problem is
//! raised, never one per cycle; one for several items of the same owner with the same cause
//! ("3 of Olivia Grant's meetings are waiting for her sync"); and a word that a problem is over
//! only where the user was told of one that kept a share from being made at all. Pure: the
//! caller reads the problems, shows the notices, and marks the problems each one covers.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// The causes that keep a share from being made at all: their end is worth a word.
const BLOCKING: [&str; 9] = [
    "owner_sync_off",
    "no_crm_user_for_owner",
    "crm_budget_spent",
    "crm_budget_reserve",
    "microsoft_sign_in_expired",
    "crm_sign_in_expired",
    "cannot_reach",
    "other_tenant",
    "other_crm_org",
];

/// A kept problem as the notices need it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProblemFacts {
    /// The store's subject (`item:{owner}/{id}` or `account`) and cause: the problem's identity.
    pub subject: String,
    pub cause: String,
    /// What happened and what fixes it, for a person.
    pub message: String,
    /// The item it is about, when it is about one.
    pub item: Option<ItemFacts>,
    /// The owner it is about, by name, when it is about one owner's calendar as a whole.
    pub about: Option<String>,
    /// The user was told of it (and not yet of its end).
    pub told: bool,
    /// Its cause went away.
    pub resolved: bool,
}

/// The item a problem is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemFacts {
    pub owner: String,
    pub owner_name: String,
    pub id: String,
    pub subject: String,
    /// When it happens, for a person ("Tue 1 Dec, 10:00").
    pub when: String,
    /// Outlook on the web's link to it.
    pub web_link: Option<String>,
}

/// Where a click on a notice takes the user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(tag = "to", rename_all = "snake_case")]
pub enum Opens {
    Item {
        owner: String,
        id: String,
    },
    Problems,
    /// The Time slots screen, where offers and what their replies booked are listed.
    TimeSlots,
}

/// A button on a notice, where the platform shows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum NoticeAction {
    RetryNow,
    OpenInOutlook { url: String },
}

/// One notification to show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notice {
    /// Stable for what it is about, so a platform that replaces notices by id replaces it.
    pub id: String,
    pub title: String,
    pub body: String,
    pub opens: Opens,
    pub actions: Vec<NoticeAction>,
    /// The problems (subject, cause) it tells of: marked told once shown (or, for a notice
    /// that a problem is over, marked as no longer told).
    pub covers: Vec<(String, String)>,
    /// It says a problem is over.
    pub resolved: bool,
}

/// Shows notices to the user (the desktop's notifications; a test's recorder).
pub trait Notifier: Send + Sync {
    /// Show one notice; `Err` says why it could not be shown.
    fn show(&self, notice: &Notice) -> Result<(), String>;
}

/// The notices for `problems`: each open problem not yet told, grouped per owner and cause;
/// then the end of each blocking problem the user was told of.
pub fn notices(problems: &[ProblemFacts]) -> Vec<Notice> {
    let mut raised: BTreeMap<(String, String), Vec<&ProblemFacts>> = BTreeMap::new();
    let mut ended: BTreeMap<(String, String), Vec<&ProblemFacts>> = BTreeMap::new();
    for p in problems {
        // An item's owner groups items; anything else stands alone.
        let group = (
            p.item
                .as_ref()
                .map_or_else(|| p.subject.clone(), |i| i.owner.clone()),
            p.cause.clone(),
        );
        match (p.resolved, p.told) {
            (false, false) => raised.entry(group).or_default().push(p),
            (true, true) if BLOCKING.contains(&p.cause.as_str()) => {
                ended.entry(group).or_default().push(p)
            }
            (false, true) | (true, _) => {}
        }
    }
    let mut out: Vec<Notice> = raised
        .into_iter()
        .flat_map(|((owner, cause), ps)| match ps.as_slice() {
            [one] => vec![single(one)],
            many if many.iter().all(|p| p.item.is_some()) => vec![grouped(&owner, &cause, many)],
            many => many.iter().map(|p| single(p)).collect(),
        })
        .collect();
    out.extend(
        ended
            .into_iter()
            .map(|((owner, cause), ps)| over(&owner, &cause, &ps)),
    );
    out
}

fn covers(ps: &[&ProblemFacts]) -> Vec<(String, String)> {
    ps.iter()
        .map(|p| (p.subject.clone(), p.cause.clone()))
        .collect()
}

fn single(p: &ProblemFacts) -> Notice {
    let (title, opens, actions) = match &p.item {
        Some(i) => (
            format!(
                "{} — {}",
                i.subject_or_untitled(),
                title_of(&p.cause, &i.owner_name)
            ),
            Opens::Item {
                owner: i.owner.clone(),
                id: i.id.clone(),
            },
            actions_for(Some(i)),
        ),
        None => (
            capitalized(&title_of(&p.cause, p.about.as_deref().unwrap_or_default())),
            Opens::Problems,
            actions_for(None),
        ),
    };
    let body = match &p.item {
        Some(i) if i.when.is_empty() => {
            format!(
                "{} ({}). {}",
                i.subject_or_untitled(),
                i.owner_name,
                p.message
            )
        }
        Some(i) => format!(
            "{} ({}, {}). {}",
            i.subject_or_untitled(),
            i.owner_name,
            i.when,
            p.message
        ),
        None => p.message.clone(),
    };
    Notice {
        id: format!("problem:{}:{}", p.subject, p.cause),
        title,
        body,
        opens,
        actions,
        covers: covers(&[p]),
        resolved: false,
    }
}

fn grouped(owner: &str, cause: &str, ps: &[&ProblemFacts]) -> Notice {
    let name = ps
        .first()
        .and_then(|p| p.item.as_ref())
        .map(|i| i.owner_name.clone())
        .unwrap_or_else(|| owner.to_string());
    let subjects: Vec<String> = ps
        .iter()
        .filter_map(|p| p.item.as_ref())
        .map(|i| format!("\"{}\" ({})", i.subject_or_untitled(), i.when))
        .collect();
    let fix = ps.first().map(|p| p.message.clone()).unwrap_or_default();
    Notice {
        id: format!("group:{owner}:{cause}"),
        title: group_title(cause, &name, ps.len()),
        body: format!("{}. {fix}", subjects.join(", ")),
        opens: Opens::Problems,
        actions: vec![NoticeAction::RetryNow],
        covers: covers(ps),
        resolved: false,
    }
}

fn over(owner: &str, cause: &str, ps: &[&ProblemFacts]) -> Notice {
    let name = ps
        .first()
        .and_then(|p| {
            p.item
                .as_ref()
                .map(|i| i.owner_name.clone())
                .or(p.about.clone())
        })
        .unwrap_or_default();
    let n = ps.len();
    let items = match n {
        1 => ps
            .first()
            .and_then(|p| p.item.as_ref())
            .map(|i| format!("\"{}\"", i.subject_or_untitled()))
            .unwrap_or_else(|| "it".to_string()),
        n => format!("{n} items"),
    };
    let title = match cause {
        "owner_sync_off" => format!("{name}'s sync is on"),
        "no_crm_user_for_owner" => format!("{name} has a CRM user now"),
        "crm_budget_spent" | "crm_budget_reserve" => "The CRM takes changes again".to_string(),
        "microsoft_sign_in_expired" => "Signed in to Microsoft 365 again".to_string(),
        "crm_sign_in_expired" => "Signed in to the CRM again".to_string(),
        "cannot_reach" => "Onbehalf is back in touch".to_string(),
        "other_tenant" | "other_crm_org" => format!("{name}'s Onbehalf is in your org now"),
        _ => "Solved".to_string(),
    };
    let body = match (cause, ps.first().is_some_and(|p| p.item.is_some())) {
        (_, true) => format!("Nothing stands in the way of {items} any more."),
        ("other_tenant" | "other_crm_org", false) => {
            format!("{name}'s meetings can be shared through you again.")
        }
        (_, false) => "The sync goes on; what waited is done in its next cycle.".to_string(),
    };
    Notice {
        id: format!("over:{owner}:{cause}"),
        title,
        body,
        opens: Opens::Problems,
        actions: Vec::new(),
        covers: covers(ps),
        resolved: true,
    }
}

fn actions_for(item: Option<&ItemFacts>) -> Vec<NoticeAction> {
    let mut actions = vec![NoticeAction::RetryNow];
    if let Some(url) = item.and_then(|i| i.web_link.clone()) {
        actions.push(NoticeAction::OpenInOutlook { url });
    }
    actions
}

/// What happened, in a few words, for one item.
fn title_of(cause: &str, owner_name: &str) -> String {
    match cause {
        "owner_sync_off" => format!("waiting for {owner_name}'s sync"),
        "no_crm_read_access" => "insufficient CRM permissions to save this event".to_string(),
        "no_crm_edit_access" | "no_crm_access_related" => {
            format!("ask {owner_name} for edit access in the CRM")
        }
        "exchange_permission" => "your Outlook permission does not allow it".to_string(),
        "no_crm_user_for_owner" => format!("{owner_name} has no CRM user"),
        "private_not_synced" => "private items are not saved to the CRM".to_string(),
        "crm_rejected" | "crm_cannot_keep" => "the CRM refused it".to_string(),
        "crm_budget_spent" | "crm_budget_reserve" => {
            "the CRM's daily allowance is spent".to_string()
        }
        "conflict" => "changed in both Outlook and the CRM".to_string(),
        "microsoft_sign_in_expired" => "sign in to Microsoft 365 again".to_string(),
        "crm_sign_in_expired" => "sign in to the CRM again".to_string(),
        "cannot_reach" => "the sync cannot reach its services".to_string(),
        "other_tenant" => format!("{owner_name} uses another Microsoft 365 organisation"),
        "other_crm_org" => format!("{owner_name} uses another CRM org"),
        "conflicts_waiting" => "changes wait for your decision".to_string(),
        _ => "not saved to the CRM".to_string(),
    }
}

/// The title of one notice for `n` items of one owner with the same cause.
fn group_title(cause: &str, owner_name: &str, n: usize) -> String {
    match cause {
        "owner_sync_off" => {
            format!("{n} of {owner_name}'s meetings are waiting for their sync")
        }
        "no_crm_edit_access" | "no_crm_access_related" => format!(
            "{n} of {owner_name}'s meetings were not saved to the CRM: ask {owner_name} for \
             edit access"
        ),
        other => format!(
            "{n} of {owner_name}'s meetings: {}",
            title_of(other, owner_name)
        ),
    }
}

fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

impl ItemFacts {
    fn subject_or_untitled(&self) -> &str {
        match self.subject.trim().is_empty() {
            true => "(no subject)",
            false => self.subject.trim(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(n: u32) -> ItemFacts {
        ItemFacts {
            owner: "olivia.grant@contoso.com".into(),
            owner_name: "Olivia Grant".into(),
            id: format!("AAMk-{n}"),
            subject: format!("Review {n}"),
            when: "Tue 1 Dec, 10:00".into(),
            web_link: Some(format!("https://outlook.office.com/calendar/item/{n}")),
        }
    }

    fn problem(n: u32, cause: &str) -> ProblemFacts {
        ProblemFacts {
            subject: format!("item:olivia.grant@contoso.com/AAMk-{n}"),
            cause: cause.into(),
            message: "Olivia Grant does not have sync turned on; this item will be saved to \
                      the CRM when they turn it on."
                .into(),
            item: Some(item(n)),
            about: None,
            told: false,
            resolved: false,
        }
    }

    #[test]
    fn one_new_problem_is_one_notice_naming_the_item_owner_and_time_with_its_actions() {
        let got = notices(&[problem(1, "owner_sync_off")]);
        assert_eq!(got.len(), 1);
        let n = &got[0];
        assert_eq!(n.title, "Review 1 — waiting for Olivia Grant's sync");
        assert!(n
            .body
            .starts_with("Review 1 (Olivia Grant, Tue 1 Dec, 10:00). Olivia Grant"));
        assert_eq!(
            n.opens,
            Opens::Item {
                owner: "olivia.grant@contoso.com".into(),
                id: "AAMk-1".into()
            }
        );
        assert_eq!(
            n.actions,
            [
                NoticeAction::RetryNow,
                NoticeAction::OpenInOutlook {
                    url: "https://outlook.office.com/calendar/item/1".into()
                }
            ]
        );
        assert_eq!(n.covers.len(), 1);
    }

    #[test]
    fn a_problem_already_told_or_resolved_unseen_is_not_told_again() {
        let told = ProblemFacts {
            told: true,
            ..problem(1, "no_crm_edit_access")
        };
        let quietly_over = ProblemFacts {
            resolved: true,
            ..problem(2, "owner_sync_off")
        };
        assert!(notices(&[told, quietly_over]).is_empty());
    }

    #[test]
    fn several_items_of_one_owner_with_one_cause_are_one_notice() {
        let ps: Vec<ProblemFacts> = (1..=3).map(|n| problem(n, "owner_sync_off")).collect();
        let got = notices(&ps);
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!(
            got[0].title,
            "3 of Olivia Grant's meetings are waiting for their sync"
        );
        assert_eq!(got[0].covers.len(), 3);
        assert_eq!(got[0].opens, Opens::Problems);
        // Another cause is its own notice.
        let mut mixed = ps;
        mixed.push(problem(4, "no_crm_edit_access"));
        assert_eq!(notices(&mixed).len(), 2);
    }

    #[test]
    fn the_end_of_a_blocking_problem_the_user_was_told_of_is_told_once() {
        let over_told = ProblemFacts {
            told: true,
            resolved: true,
            ..problem(1, "owner_sync_off")
        };
        let got = notices(&[over_told]);
        assert_eq!(got.len(), 1);
        assert!(got[0].resolved);
        assert_eq!(got[0].title, "Olivia Grant's sync is on");
        // Not blocking: its end passes without a word.
        let edit_over = ProblemFacts {
            told: true,
            resolved: true,
            ..problem(2, "no_crm_edit_access")
        };
        assert!(notices(&[edit_over]).is_empty());
    }

    #[test]
    fn an_account_problem_opens_the_problems_view() {
        let p = ProblemFacts {
            subject: "account".into(),
            cause: "crm_budget_spent".into(),
            message: "The CRM's daily API allowance is spent.".into(),
            item: None,
            about: None,
            told: false,
            resolved: false,
        };
        let got = notices(&[p]);
        assert_eq!(got[0].opens, Opens::Problems);
        assert_eq!(got[0].title, "The CRM's daily allowance is spent");
        assert_eq!(got[0].actions, [NoticeAction::RetryNow]);
    }
}
