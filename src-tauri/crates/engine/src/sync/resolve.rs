//! Settling a conflict the user decides: which fields differ between the two sides, and what
//! keeping one side's values takes. Pure.
//!
//! Keeping a side is the planner's merge with the other side taken as the last synced state:
//! every field where the sides differ then goes from the kept side to the other, through the
//! same steps and the same rules as a sync (the CRM edit right, the Exchange edit right, no
//! change to a meeting's fields in Exchange, private items by policy).

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::crm::CrmEvent;
use crate::sync::hash::{Field, FieldHashes};
use crate::sync::merge::Winner;
use crate::sync::model::{ExItem, Fields};
use crate::sync::plan::{fields_of, may_mark, sync_pair, Actor, ConflictField, Problem, Step};
use crate::sync::view::problem_words;

/// Why a side's values cannot be kept.
#[derive(Debug, Clone, PartialEq, Eq, Error, Serialize, Deserialize)]
#[serde(tag = "cause", rename_all = "snake_case")]
pub enum ResolveRefusal {
    /// Nothing waits for the user on this item.
    #[error("There is no conflict to resolve on this item.")]
    NoConflict,
    /// The item is no longer linked to a CRM event (unshared, or its event was deleted).
    #[error(
        "This item is no longer shared, so there is nothing to resolve: its conflict is \
         cleared."
    )]
    NotShared,
    /// Writing the CRM's values to a meeting would mail every attendee.
    #[error(
        "Onbehalf never changes a meeting in Outlook: that would send an update to every \
         attendee. Change the meeting in Outlook yourself, or keep Outlook's values."
    )]
    Meeting,
    /// The user's rights, or the policy, stand in the way; the reason says which.
    #[error("{reason}")]
    Blocked { reason: String },
}

/// The fields whose values differ between the Exchange item and its CRM event, with both
/// values, in the fields' order.
pub fn differences(ex: &Fields, crm: &Fields) -> Vec<ConflictField> {
    let (a, b) = (FieldHashes::of(ex), FieldHashes::of(crm));
    Field::ALL
        .into_iter()
        .filter(|f| a.get(*f) != b.get(*f))
        .map(|f| ConflictField {
            field: f,
            exchange: ex.value(f),
            crm: crm.value(f),
        })
        .collect()
}

/// The steps that make both sides hold `keep`'s values and move the link's base on, or why
/// that cannot be done. `item` must carry its link to `event`.
pub fn keep_side(
    item: &ExItem,
    event: &CrmEvent,
    keep: Winner,
    a: &Actor<'_>,
) -> Result<Vec<Step>, ResolveRefusal> {
    let Some(link) = &item.link else {
        return Err(ResolveRefusal::NotShared);
    };
    if item.is_private && !a.policy.private_sync {
        return Err(blocked(&Problem::PrivateNotSynced, a));
    }
    if !may_mark(item, a) {
        return Err(ResolveRefusal::Blocked {
            reason: format!(
                "Your permission on {}'s calendar ({}) does not let you keep this item in sync \
                 with the CRM.",
                a.owner_name, a.level
            ),
        });
    }
    // The other side taken as last synced: only the kept side has changed, everywhere the
    // two differ.
    let base = match keep {
        Winner::Exchange => FieldHashes::of(&fields_of(event)),
        Winner::Crm => FieldHashes::of(&item.fields),
    };
    let rebased = crate::sync::marks::Link {
        synced: base,
        ..link.clone()
    };
    let steps = sync_pair(item, &rebased, event, a);
    for step in &steps {
        match step {
            Step::Conflict { .. } => return Err(ResolveRefusal::Meeting),
            Step::Problem { problem, .. } => return Err(blocked(problem, a)),
            Step::CreateEvent { .. }
            | Step::UpdateEvent { .. }
            | Step::UpdateItem { .. }
            | Step::LinkItem { .. }
            | Step::Unlink { .. }
            | Step::DeleteEvent { .. }
            | Step::Forget { .. }
            | Step::Overwrote { .. }
            | Step::CreateItem { .. } => {}
        }
    }
    let linked = steps.iter().any(|s| matches!(s, Step::LinkItem { .. }));
    match (linked, link.synced == FieldHashes::of(&item.fields)) {
        // Both sides already agree, and so does the base: nothing to write.
        (false, true) => Ok(steps),
        // They agree, but the link's base is behind them: it moves on, or the next sync would
        // take both sides for changed.
        (false, false) => {
            let mut moved = sync_pair(item, link, event, a);
            moved.retain(|s| matches!(s, Step::LinkItem { .. }));
            Ok(moved)
        }
        (true, _) => Ok(steps),
    }
}

fn blocked(problem: &Problem, a: &Actor<'_>) -> ResolveRefusal {
    ResolveRefusal::Blocked {
        reason: problem_words(problem, a.owner_name),
    }
}
