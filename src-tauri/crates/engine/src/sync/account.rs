//! Problems of the account as a whole, or of one owner's calendar rather than one item
//! (DESIGN §2.4): an expired sign-in, a service that stays out of reach, an owner whose
//! Onbehalf works in another Microsoft 365 organisation or CRM org, conflicts that wait for a
//! decision. Pure: the caller gathers the facts after each cycle, raises what this returns and
//! resolves the account's and owners' problems it does not return.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

/// The problem subject of the account as a whole.
pub const ACCOUNT: &str = "account";
/// What the subject of a problem with one owner's calendar starts with.
pub const OWNER_PREFIX: &str = "owner:";

/// The subject of a problem with `owner`'s calendar as a whole.
pub fn owner_subject(owner: &str) -> String {
    format!("{OWNER_PREFIX}{}", owner.trim().to_lowercase())
}

/// A service the sync talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Service {
    Microsoft365,
    Crm,
}

impl Service {
    pub fn name(self) -> &'static str {
        match self {
            Service::Microsoft365 => "Microsoft 365",
            Service::Crm => "the CRM",
        }
    }
}

/// How the last cycle ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CycleOutcome {
    Done,
    /// Only signing in again helps.
    SignInExpired(Service),
    /// A timeout, a refused connection, throttling or a server error: tried again later.
    /// `None` when it is not known which of the two services it was.
    Unreachable(Option<Service>),
    /// The CRM's daily API allowance is spent: nothing can be read or written there until it
    /// comes back.
    CrmBudgetSpent,
    /// Something else stopped it (the store, a bug): its error is logged and shown in the
    /// status line, not kept as a problem.
    Failed,
}

/// What is known of one watched owner, from their published status record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OwnerFacts {
    pub address: String,
    pub name: String,
    /// Their Onbehalf signed in to another Microsoft 365 organisation than the user's.
    pub other_tenant: bool,
    /// Their Onbehalf is signed in to another CRM org than the user's.
    pub other_crm_org: bool,
}

/// Everything the account's problems are decided from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountFacts<'a> {
    pub outcome: CycleOutcome,
    /// When the unbroken run of cycles that could not reach a service began (this one
    /// included); `None` when the last cycle reached both.
    pub unreachable_since: Option<DateTime<Utc>>,
    pub now: DateTime<Utc>,
    /// How long a service may stay out of reach before the user hears of it.
    pub threshold: Duration,
    pub owners: &'a [OwnerFacts],
    /// Conflicts waiting for the user's decision.
    pub conflicts_waiting: usize,
}

/// One problem to raise.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountProblem {
    pub subject: String,
    pub cause: &'static str,
    /// What its words need; the same facts give the same detail, so a dismissal holds.
    pub detail: Value,
}

/// The account's and owners' problems present now.
pub fn account_problems(f: &AccountFacts<'_>) -> Vec<AccountProblem> {
    let mut out = Vec::new();
    let account = |cause, detail| AccountProblem {
        subject: ACCOUNT.to_string(),
        cause,
        detail,
    };
    match f.outcome {
        CycleOutcome::SignInExpired(service) => out.push(account(
            sign_in_cause(service),
            json!({ "cause": sign_in_cause(service) }),
        )),
        CycleOutcome::Unreachable(service) => {
            let since = f.unreachable_since.unwrap_or(f.now);
            if f.now - since >= f.threshold {
                out.push(account(
                    "cannot_reach",
                    json!({ "cause": "cannot_reach", "service": service }),
                ));
            }
        }
        CycleOutcome::CrmBudgetSpent => out.push(account(
            "crm_budget_spent",
            json!({ "cause": "crm_budget_spent" }),
        )),
        CycleOutcome::Done | CycleOutcome::Failed => {}
    }
    for o in f.owners {
        let owner = |cause| AccountProblem {
            subject: owner_subject(&o.address),
            cause,
            detail: json!({ "cause": cause, "owner_name": o.name }),
        };
        if o.other_tenant {
            out.push(owner("other_tenant"));
        } else if o.other_crm_org {
            out.push(owner("other_crm_org"));
        }
    }
    if f.conflicts_waiting > 0 {
        out.push(account(
            "conflicts_waiting",
            json!({ "cause": "conflicts_waiting", "count": f.conflicts_waiting }),
        ));
    }
    out
}

fn sign_in_cause(service: Service) -> &'static str {
    match service {
        Service::Microsoft365 => "microsoft_sign_in_expired",
        Service::Crm => "crm_sign_in_expired",
    }
}

/// What happened and what fixes it, for a person, of a problem of the account or an owner's
/// calendar; `None` for a cause that has no such problem.
pub fn account_problem_words(cause: &str, detail: &Value) -> Option<String> {
    let owner = detail
        .get("owner_name")
        .and_then(Value::as_str)
        .unwrap_or("The owner");
    let words = match cause {
        "microsoft_sign_in_expired" => "Your Microsoft 365 sign-in has expired, so nothing is \
             synced. Sign in again in Onbehalf; nothing you set up is lost."
            .to_string(),
        "crm_sign_in_expired" => "Your CRM sign-in has expired or was ended, so nothing reaches \
             the CRM. Sign in to the CRM again in Onbehalf's settings."
            .to_string(),
        "cannot_reach" => {
            let service = detail
                .get("service")
                .cloned()
                .and_then(|s| serde_json::from_value::<Service>(s).ok())
                .map_or("Microsoft 365 or the CRM", Service::name);
            format!(
                "Onbehalf has not been able to reach {service} for a while, so changes wait. It \
                 keeps trying; check this computer's network connection."
            )
        }
        "other_tenant" => format!(
            "{owner}'s Onbehalf is signed in to another Microsoft 365 organisation than yours, \
             so their meetings are not shared through you. Ask your administrator which \
             account {owner} should use."
        ),
        "other_crm_org" => format!(
            "{owner}'s Onbehalf is signed in to another CRM org than yours, so you cannot share \
             their meetings into it. Sign in to the CRM org {owner} uses, or ask {owner} to."
        ),
        "crm_budget_spent" => "The CRM's daily API allowance is spent, so nothing reaches the CRM \
             until it comes back (Salesforce counts the last 24 hours). Your CRM administrator can \
             see what uses it."
            .to_string(),
        "conflicts_waiting" => {
            let n = detail.get("count").and_then(Value::as_u64).unwrap_or(1);
            match n {
                1 => "A meeting was changed in both Outlook and the CRM and waits for you to \
                      choose which to keep (Conflicts)."
                    .to_string(),
                n => format!(
                    "{n} meetings were changed in both Outlook and the CRM and wait for you to \
                     choose which to keep (Conflicts)."
                ),
            }
        }
        _ => return None,
    };
    Some(words)
}

/// Who can fix a problem of `cause` with an item of `owner_name` (or that owner).
pub fn who_can_fix(cause: &str, owner_name: &str) -> String {
    match cause {
        "owner_sync_off"
        | "no_crm_read_access"
        | "no_crm_edit_access"
        | "no_crm_access_related" => owner_name.into(),
        "no_crm_user_for_owner" | "crm_budget_spent" | "crm_budget_reserve" => {
            "Your CRM administrator".into()
        }
        "other_tenant" | "private_not_synced" => "Your administrator".into(),
        "exchange_permission" => format!("{owner_name}, who can change your permission"),
        _ => "You".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(min: i64) -> DateTime<Utc> {
        DateTime::<Utc>::UNIX_EPOCH + Duration::minutes(min)
    }

    fn facts(outcome: CycleOutcome, since: Option<i64>, now: i64) -> AccountFacts<'static> {
        AccountFacts {
            outcome,
            unreachable_since: since.map(at),
            now: at(now),
            threshold: Duration::minutes(15),
            owners: &[],
            conflicts_waiting: 0,
        }
    }

    fn causes(ps: &[AccountProblem]) -> Vec<(&str, &str)> {
        ps.iter().map(|p| (p.subject.as_str(), p.cause)).collect()
    }

    #[test]
    fn an_expired_sign_in_is_a_problem_at_once() {
        let ms = account_problems(&facts(
            CycleOutcome::SignInExpired(Service::Microsoft365),
            None,
            0,
        ));
        assert_eq!(causes(&ms), [("account", "microsoft_sign_in_expired")]);
        let crm = account_problems(&facts(CycleOutcome::SignInExpired(Service::Crm), None, 0));
        assert_eq!(causes(&crm), [("account", "crm_sign_in_expired")]);
    }

    #[test]
    fn a_service_out_of_reach_is_a_problem_only_once_it_lasts_the_threshold() {
        let short = facts(CycleOutcome::Unreachable(Some(Service::Crm)), Some(0), 14);
        assert!(account_problems(&short).is_empty());
        let long = facts(CycleOutcome::Unreachable(Some(Service::Crm)), Some(0), 15);
        let got = account_problems(&long);
        assert_eq!(causes(&got), [("account", "cannot_reach")]);
        // The detail does not change while it lasts, so a dismissal holds.
        let later = facts(CycleOutcome::Unreachable(Some(Service::Crm)), Some(0), 90);
        assert_eq!(account_problems(&later)[0].detail, got[0].detail);
        assert!(account_problems(&facts(CycleOutcome::Done, None, 90)).is_empty());
    }

    #[test]
    fn an_owner_in_another_organisation_or_crm_org_is_named() {
        let owners = [
            OwnerFacts {
                address: "Olivia.Grant@contoso.com".into(),
                name: "Olivia Grant".into(),
                other_tenant: false,
                other_crm_org: true,
            },
            OwnerFacts {
                address: "sam@fabrikam.com".into(),
                name: "Sam Reed".into(),
                other_tenant: true,
                other_crm_org: true,
            },
        ];
        let f = AccountFacts {
            owners: &owners,
            conflicts_waiting: 2,
            ..facts(CycleOutcome::Done, None, 0)
        };
        let got = account_problems(&f);
        assert_eq!(
            causes(&got),
            [
                ("owner:olivia.grant@contoso.com", "other_crm_org"),
                ("owner:sam@fabrikam.com", "other_tenant"),
                ("account", "conflicts_waiting"),
            ]
        );
        let words = account_problem_words(got[0].cause, &got[0].detail).unwrap_or_default();
        assert!(words.starts_with("Olivia Grant's Onbehalf is signed in to another CRM org"));
        let conflicts = account_problem_words(got[2].cause, &got[2].detail).unwrap_or_default();
        let spent = account_problems(&facts(CycleOutcome::CrmBudgetSpent, None, 0));
        assert_eq!(causes(&spent), [("account", "crm_budget_spent")]);
        assert!(
            conflicts.starts_with("2 meetings were changed"),
            "{conflicts}"
        );
    }

    #[test]
    fn each_cause_has_its_words_and_whoever_can_fix_it() {
        let table = [
            ("microsoft_sign_in_expired", "Sign in again", "You"),
            ("crm_sign_in_expired", "Sign in to the CRM again", "You"),
            ("cannot_reach", "check this computer's network", "You"),
            (
                "other_tenant",
                "Ask your administrator",
                "Your administrator",
            ),
            ("other_crm_org", "Sign in to the CRM org", "You"),
            ("conflicts_waiting", "choose which to keep", "You"),
            ("crm_budget_spent", "comes back", "Your CRM administrator"),
        ];
        for (cause, fix, who) in table {
            let words = account_problem_words(cause, &json!({ "owner_name": "Olivia Grant" }))
                .unwrap_or_default();
            assert!(words.contains(fix), "{cause}: {words}");
            assert_eq!(who_can_fix(cause, "Olivia Grant"), who, "{cause}");
        }
        assert_eq!(account_problem_words("owner_sync_off", &json!({})), None);
        assert_eq!(
            who_can_fix("owner_sync_off", "Olivia Grant"),
            "Olivia Grant"
        );
        assert_eq!(
            who_can_fix("no_crm_user_for_owner", "Olivia Grant"),
            "Your CRM administrator"
        );
    }
}
