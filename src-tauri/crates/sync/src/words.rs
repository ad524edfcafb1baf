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
