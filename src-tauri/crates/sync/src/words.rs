//! Kept problems in words for a person: a planner's problem is worded by the engine; a CRM or
//! Exchange refusal carries the service's own message.

use onbehalf_engine::sync::account::account_problem_words;
use onbehalf_engine::sync::plan::Problem;
use onbehalf_engine::sync::view::{problem_words, ProblemView};
use onbehalf_store::{ProblemRow, ITEM_SUBJECT_PREFIX};

/// The view of a kept problem: of an item on `owner_name`'s calendar, of an owner's calendar
/// as a whole, or of the account.
pub fn problem_view(row: &ProblemRow, owner_name: &str) -> ProblemView {
    let detail: serde_json::Value = serde_json::from_str(&row.detail).unwrap_or_default();
    let of_item = row.subject.starts_with(ITEM_SUBJECT_PREFIX);
    if let Some(message) = (!of_item)
        .then(|| account_problem_words(&row.cause, &detail))
        .flatten()
    {
        return ProblemView {
            cause: row.cause.clone(),
            message,
        };
    }
    let message = match (
        detail.get("message"),
        serde_json::from_value::<Problem>(detail.clone()),
    ) {
        // A refusal carries the CRM's (or Exchange's) own words.
        (Some(said), _) => refusal_words(&row.cause, said.as_str().unwrap_or(""), owner_name),
        (None, Ok(problem)) => problem_words(&problem, owner_name),
        (None, Err(_)) => refusal_words(&row.cause, "", owner_name),
    };
    ProblemView {
        cause: row.cause.clone(),
        message,
    }
}

/// A refusal kept by the executor (`{"cause": …, "message": …}`): what the CRM said, and
/// what fixes it.
fn refusal_words(cause: &str, said: &str, owner_name: &str) -> String {
    let fix = match cause {
        "no_crm_edit_access" => {
            format!(" Ask {owner_name} to give you edit access to their events in the CRM.")
        }
        "no_crm_access_related" => format!(
            " Ask {owner_name} to share their CRM calendar with you (Show Details and Add \
             Events), or leave the share to their Onbehalf."
        ),
        "no_crm_read_access" => " Insufficient CRM permissions to save this event.".to_string(),
        "crm_budget_spent" | "crm_budget_reserve" => {
            " It is tried again when the CRM's daily allowance allows.".to_string()
        }
        "crm_rejected" | "crm_cannot_keep" => {
            " Change the item in Outlook so the CRM accepts it.".to_string()
        }
        _ => String::new(),
    };
    let head = match said.trim().is_empty() {
        true => "The CRM refused this item.".to_string(),
        false => format!(
            "The CRM refused this item: {}.",
            said.trim().trim_end_matches('.')
        ),
    };
    head + &fix
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;

    fn row(cause: &str, detail: &str) -> ProblemRow {
        ProblemRow {
            account_id: "a".into(),
            subject: "item:olivia@contoso.com/AAMk1".into(),
            cause: cause.into(),
            detail: detail.into(),
            raised_at: Utc::now(),
            updated_at: Utc::now(),
            notified_at: None,
            dismissed_at: None,
            resolved_at: None,
        }
    }

    #[test]
    fn a_planners_problem_is_worded_by_the_engine() {
        let v = problem_view(
            &row("owner_sync_off", r#"{"cause":"owner_sync_off"}"#),
            "Olivia",
        );
        assert!(
            v.message.starts_with("Olivia does not have sync turned on"),
            "{}",
            v.message
        );
    }

    #[test]
    fn a_crm_refusal_keeps_the_crms_words_and_says_whom_to_ask() {
        let v = problem_view(
            &row(
                "no_crm_edit_access",
                r#"{"cause":"no_crm_edit_access","message":"insufficient access rights on object id"}"#,
            ),
            "Olivia",
        );
        assert!(
            v.message.contains("insufficient access rights"),
            "{}",
            v.message
        );
        assert!(v.message.contains("Ask Olivia"), "{}", v.message);
    }

    /// Every cause a problem is kept under: what the person reads, which part of it says what
    /// to do, and who can do it.
    #[test]
    fn each_cause_has_its_words_its_fix_and_who_can_fix_it() {
        use onbehalf_engine::sync::account::who_can_fix;
        let item = "item:olivia.grant@contoso.com/AAMk1";
        let table: [(&str, &str, &str, &str, &str); 17] = [
            (
                item,
                "owner_sync_off",
                r#"{"cause":"owner_sync_off"}"#,
                "when they turn it on",
                "Olivia Grant",
            ),
            (
                item,
                "no_crm_read_access",
                r#"{"cause":"no_crm_read_access"}"#,
                "Insufficient CRM permissions to save this event",
                "Olivia Grant",
            ),
            (
                item,
                "no_crm_edit_access",
                r#"{"cause":"no_crm_edit_access","message":"insufficient access"}"#,
                "Ask Olivia Grant to give you edit access",
                "Olivia Grant",
            ),
            (
                item,
                "no_crm_access_related",
                r#"{"cause":"no_crm_access_related","message":"no access to the account"}"#,
                "Ask Olivia Grant to share their CRM calendar",
                "Olivia Grant",
            ),
            (
                item,
                "exchange_permission",
                r#"{"cause":"exchange_permission","needed":"edit the item","reason":"Ask Olivia Grant for Editor."}"#,
                "Ask Olivia Grant for Editor",
                "Olivia Grant, who can change your permission",
            ),
            (
                item,
                "private_not_synced",
                r#"{"cause":"private_not_synced"}"#,
                "unless your administrator allows it",
                "Your administrator",
            ),
            (
                item,
                "no_crm_user_for_owner",
                r#"{"cause":"no_crm_user_for_owner"}"#,
                "Ask your CRM administrator to add Olivia Grant",
                "Your CRM administrator",
            ),
            (
                item,
                "crm_rejected",
                r#"{"cause":"crm_rejected","message":"Subject is required"}"#,
                "Change the item in Outlook so the CRM accepts it",
                "You",
            ),
            (
                item,
                "crm_cannot_keep",
                r#"{"cause":"crm_cannot_keep","message":"Duration must be between 0 and 1440 minutes"}"#,
                "Change the item in Outlook",
                "You",
            ),
            (
                item,
                "crm_budget_spent",
                r#"{"cause":"crm_budget_spent","message":"TotalRequests Limit exceeded"}"#,
                "tried again when the CRM's daily allowance allows",
                "Your CRM administrator",
            ),
            (
                "account",
                "crm_budget_spent",
                r#"{"cause":"crm_budget_spent"}"#,
                "until it comes back",
                "Your CRM administrator",
            ),
            (
                "account",
                "microsoft_sign_in_expired",
                r#"{"cause":"microsoft_sign_in_expired"}"#,
                "Sign in again in Onbehalf",
                "You",
            ),
            (
                "account",
                "crm_sign_in_expired",
                r#"{"cause":"crm_sign_in_expired"}"#,
                "Sign in to the CRM again",
                "You",
            ),
            (
                "account",
                "cannot_reach",
                r#"{"cause":"cannot_reach","service":"crm"}"#,
                "check this computer's network connection",
                "You",
            ),
            (
                "owner:olivia.grant@contoso.com",
                "other_tenant",
                r#"{"cause":"other_tenant","owner_name":"Olivia Grant"}"#,
                "Ask your administrator which account Olivia Grant should use",
                "Your administrator",
            ),
            (
                "owner:olivia.grant@contoso.com",
                "other_crm_org",
                r#"{"cause":"other_crm_org","owner_name":"Olivia Grant"}"#,
                "Sign in to the CRM org Olivia Grant uses",
                "You",
            ),
            (
                "account",
                "conflicts_waiting",
                r#"{"cause":"conflicts_waiting","count":2}"#,
                "choose which to keep",
                "You",
            ),
        ];
        for (subject, cause, detail, fix, who) in table {
            let r = ProblemRow {
                subject: subject.into(),
                ..row(cause, detail)
            };
            let words = problem_view(&r, "Olivia Grant").message;
            assert!(words.contains(fix), "{cause}: {words}");
            assert_eq!(who_can_fix(cause, "Olivia Grant"), who, "{cause}");
        }
    }

    #[test]
    fn a_validation_rule_message_is_shown_as_the_crm_wrote_it() {
        let v = problem_view(
            &row(
                "crm_rejected",
                r#"{"cause":"crm_rejected","message":"Events may not span more than one day"}"#,
            ),
            "Olivia",
        );
        assert!(v.message.contains("Events may not span more than one day"));
    }
}
