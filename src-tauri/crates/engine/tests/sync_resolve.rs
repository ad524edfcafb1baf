//! Settling a conflict by the side the user keeps: Outlook's values go to the CRM, the CRM's
//! come to an appointment, never to a meeting; the link's base moves on so the next sync sees
//! nothing changed; rights are checked as a sync checks them.

mod sync_common;

use onbehalf_engine::permission::OutlookLevel;
use onbehalf_engine::sync::hash::{Field, FieldHashes};
use onbehalf_engine::sync::merge::Winner;
use onbehalf_engine::sync::plan::{plan, ConflictField, CrmSide, ExSide, Step};
use onbehalf_engine::sync::resolve::{differences, keep_side, ResolveRefusal};
use sync_common::*;

/// An item shared at 9:00 whose CRM event was moved to 15:00 and renamed in the CRM, while
/// Outlook's subject changed too.
fn diverged(
    attendees: &[&str],
) -> (
    onbehalf_engine::sync::model::ExItem,
    onbehalf_engine::crm::CrmEvent,
) {
    let mut i = item("Review (Outlook)");
    i.attendees = attendees.iter().map(|a| a.to_string()).collect();
    i.link = Some(link(&fields("Review", 9)));
    let ev = event(&fields("Review (CRM)", 15));
    (i, ev)
}

#[test]
fn the_fields_that_differ_are_listed_with_both_values() {
    let (i, ev) = diverged(&[]);
    let ev_fields = onbehalf_engine::sync::plan::fields_of(&ev);
    assert_eq!(
        differences(&i.fields, &ev_fields),
        [
            ConflictField {
                field: Field::Subject,
                exchange: "Review (Outlook)".into(),
                crm: "Review (CRM)".into(),
            },
            ConflictField {
                field: Field::Time,
                exchange: "2026-12-02T09:00:00+00:00 – 2026-12-02T10:00:00+00:00".into(),
                crm: "2026-12-02T15:00:00+00:00 – 2026-12-02T16:00:00+00:00".into(),
            },
        ]
    );
    assert!(differences(&i.fields, &i.fields).is_empty());
}

#[test]
fn keeping_outlook_writes_every_differing_field_to_the_crm_and_moves_the_base_on() {
    let (i, ev) = diverged(&["pat.kim@fabrikam.com"]);
    let steps = keep_side(&i, &ev, Winner::Exchange, &owner()).unwrap();
    match steps.as_slice() {
        [Step::UpdateEvent { event, .. }, Step::LinkItem { link, fields, .. }] => {
            assert_eq!(event.subject, "Review (Outlook)");
            assert_eq!(event.time, i.fields.time);
            assert_eq!(event.id.as_deref(), Some("00U-1"), "the same event");
            assert_eq!(fields, &i.fields);
            assert_eq!(link.synced, FieldHashes::of(&i.fields));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn after_keeping_a_side_the_next_sync_finds_nothing_to_do() {
    let (i, ev) = diverged(&[]);
    let steps = keep_side(&i, &ev, Winner::Crm, &owner()).unwrap();
    let (written, new_link) = match steps.as_slice() {
        [Step::UpdateItem { fields, .. }, Step::LinkItem { link, .. }] => {
            (fields.clone(), link.clone())
        }
        other => panic!("{other:?}"),
    };
    assert_eq!(written.subject, "Review (CRM)");
    let mut after = i.clone();
    after.fields = written;
    after.link = Some(new_link);
    assert!(plan(
        ExSide::Present(&after),
        after.link.as_ref(),
        CrmSide::Present(&ev),
        &owner()
    )
    .is_empty());
}

#[test]
fn keeping_the_crms_values_for_a_meeting_is_refused_with_the_reason() {
    let (i, ev) = diverged(&["pat.kim@fabrikam.com"]);
    let refusal = keep_side(&i, &ev, Winner::Crm, &owner()).unwrap_err();
    assert_eq!(refusal, ResolveRefusal::Meeting);
    let words = refusal.to_string();
    assert!(words.contains("every attendee"), "{words}");
    assert!(words.contains("keep Outlook's values"), "{words}");
}

#[test]
fn a_delegate_without_crm_edit_access_is_told_whom_to_ask() {
    let (i, ev) = diverged(&[]);
    let d = delegate(OutlookLevel::DelegateWithPrivate, Some(false));
    match keep_side(&i, &ev, Winner::Exchange, &d) {
        Err(ResolveRefusal::Blocked { reason }) => {
            assert!(reason.contains("ask Olivia Grant"), "{reason}")
        }
        other => panic!("{other:?}"),
    }
    let with = delegate(OutlookLevel::DelegateWithPrivate, Some(true));
    assert!(keep_side(&i, &ev, Winner::Exchange, &with).is_ok());
}

#[test]
fn a_reviewer_keeps_no_side() {
    let (i, ev) = diverged(&[]);
    let reviewer = delegate(OutlookLevel::Reviewer, Some(true));
    match keep_side(&i, &ev, Winner::Exchange, &reviewer) {
        Err(ResolveRefusal::Blocked { reason }) => assert!(reason.contains("Reviewer"), "{reason}"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn an_item_no_longer_linked_has_nothing_to_resolve() {
    let (mut i, ev) = diverged(&[]);
    i.link = None;
    assert_eq!(
        keep_side(&i, &ev, Winner::Exchange, &owner()),
        Err(ResolveRefusal::NotShared)
    );
}

#[test]
fn sides_that_already_agree_only_move_the_base_on() {
    let mut i = item("Review (moved)");
    i.link = Some(link(&fields("Review", 9)));
    let ev = event(&fields("Review (moved)", 9));
    for keep in [Winner::Exchange, Winner::Crm] {
        let steps = keep_side(&i, &ev, keep, &owner()).unwrap();
        match steps.as_slice() {
            [Step::LinkItem { link, .. }] => {
                assert_eq!(link.synced, FieldHashes::of(&i.fields))
            }
            other => panic!("{other:?}"),
        }
    }
}
