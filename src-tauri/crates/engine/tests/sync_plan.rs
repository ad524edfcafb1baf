//! The sync planner's truth table, row by row, written from the rules of sharing (DESIGN §2.3):
//! initial sharing by the owner's sync, direct updates by whoever may, deletions carried over on
//! proof only, CRM deletions unlinking, no meeting mail, private items by policy, field merges.

mod sync_common;

use onbehalf_engine::permission::OutlookLevel;
use onbehalf_engine::sync::hash::{Field, FieldHashes};
use onbehalf_engine::sync::merge::Winner;
use onbehalf_engine::sync::plan::{
    plan, Actor, ConflictField, CrmSide, ExSide, Overwritten, Problem, Step, SyncPolicy,
};
use sync_common::*;

fn kinds(steps: &[Step]) -> Vec<&'static str> {
    steps
        .iter()
        .map(|s| match s {
            Step::CreateEvent { .. } => "create_event",
            Step::UpdateEvent { .. } => "update_event",
            Step::UpdateItem { .. } => "update_item",
            Step::LinkItem { .. } => "link_item",
            Step::Unlink { .. } => "unlink",
            Step::DeleteEvent { .. } => "delete_event",
            Step::Forget { .. } => "forget",
            Step::Overwrote { .. } => "overwrote",
            Step::CreateItem { .. } => "create_item",
            Step::Conflict { .. } => "conflict",
            Step::Problem { .. } => "problem",
        })
        .collect()
}

fn the_problem(steps: &[Step]) -> &Problem {
    match steps {
        [Step::Problem { problem, .. }] => problem,
        other => panic!("expected one problem, got {other:?}"),
    }
}

// Row: not seen — no evidence, nothing done, whatever the other side says.
#[test]
fn an_item_not_seen_this_cycle_is_left_alone() {
    let base = fields("Review", 9);
    let ev = event(&base);
    for crm in [CrmSide::Present(&ev), CrmSide::Deleted, CrmSide::Absent] {
        assert!(plan(ExSide::NotSeen, Some(&link(&base)), crm, &owner()).is_empty());
    }
}

// Rows: removed — the CRM event goes only on proof, and the pair is forgotten when both are gone.
#[test]
fn an_item_deleted_in_exchange_deletes_its_crm_event() {
    let base = fields("Review", 9);
    let key = item("Review").key;
    let ev = event(&base);
    let steps = plan(
        ExSide::Removed(&key),
        Some(&link(&base)),
        CrmSide::Present(&ev),
        &owner(),
    );
    assert_eq!(
        steps,
        vec![Step::DeleteEvent {
            item: key.clone(),
            event_id: "00U-1".into()
        }]
    );
    let gone = plan(
        ExSide::Removed(&key),
        Some(&link(&base)),
        CrmSide::Deleted,
        &owner(),
    );
    assert_eq!(kinds(&gone), ["forget"]);
    assert!(plan(ExSide::Removed(&key), None, CrmSide::Present(&ev), &owner()).is_empty());
    assert!(plan(
        ExSide::Removed(&key),
        Some(&link(&base)),
        CrmSide::NotRead,
        &owner()
    )
    .is_empty());
    // A delegate who may not delete the CRM event is told, not silently skipped.
    let refused = plan(
        ExSide::Removed(&key),
        Some(&link(&base)),
        CrmSide::Present(&ev),
        &delegate(OutlookLevel::DelegateWithPrivate, Some(false)),
    );
    assert_eq!(the_problem(&refused), &Problem::NoCrmEditAccess);
}

// Rows: present, not linked — initial sharing by the owner's sync.
#[test]
fn the_owners_app_creates_the_crm_event_of_a_shared_item_owned_by_the_owner() {
    let i = pending(shared_category(item("Review")), Some("003-pat"));
    let steps = plan(ExSide::Present(&i), None, CrmSide::Absent, &owner());
    match steps.as_slice() {
        [Step::CreateEvent { event, .. }] => {
            assert_eq!(event.owner_id, "005-olivia");
            assert_eq!(event.who_id.as_deref(), Some("003-pat"));
            assert_eq!(event.what_id.as_deref(), Some("006-opp"));
            assert_eq!(event.external_id.as_deref(), Some("AAMk-1"));
            assert_eq!(event.subject, "Review");
        }
        other => panic!("{other:?}"),
    }
    // The category alone shares too.
    let by_category = shared_category(item("Review"));
    assert_eq!(
        kinds(&plan(
            ExSide::Present(&by_category),
            None,
            CrmSide::Absent,
            &owner()
        )),
        ["create_event"]
    );
    // Nothing asked: nothing done.
    assert!(plan(
        ExSide::Present(&item("Review")),
        None,
        CrmSide::Absent,
        &owner()
    )
    .is_empty());
}

#[test]
fn a_delegates_share_waits_for_the_owners_sync_and_says_so_when_it_is_off() {
    let i = pending(shared_category(item("Review")), Some("003-pat"));
    let d = delegate(OutlookLevel::DelegateWithPrivate, Some(true));
    assert!(plan(ExSide::Present(&i), None, CrmSide::Absent, &d).is_empty());
    let off = Actor {
        owner_sync_on: false,
        ..d.clone()
    };
    assert_eq!(
        the_problem(&plan(ExSide::Present(&i), None, CrmSide::Absent, &off)),
        &Problem::OwnerSyncOff
    );
    // Beyond the seeds: a delegate allowed to add events creates it, owned by the owner.
    let direct = Actor {
        may_add_crm: Some(true),
        policy: SyncPolicy {
            direct_share: true,
            ..SyncPolicy::default()
        },
        owner_sync_on: false,
        ..d
    };
    match plan(ExSide::Present(&i), None, CrmSide::Absent, &direct).as_slice() {
        [Step::CreateEvent { event, .. }] => assert_eq!(event.owner_id, "005-olivia"),
        other => panic!("{other:?}"),
    }
    // Not yet known whether the CRM lets the delegate add: tried (the answer is kept).
    let untried = Actor {
        may_add_crm: None,
        ..direct.clone()
    };
    assert_eq!(
        kinds(&plan(ExSide::Present(&i), None, CrmSide::Absent, &untried)),
        ["create_event"]
    );
    // Where events keep no item id, the owner's app and the delegate's could both make it:
    // left to the owner's sync.
    let no_ids = Actor {
        keeps_item_ids: false,
        ..direct.clone()
    };
    assert_eq!(
        the_problem(&plan(ExSide::Present(&i), None, CrmSide::Absent, &no_ids)),
        &Problem::OwnerSyncOff
    );
    // Refused before: left to the owner's sync (told when it is off).
    let refused = Actor {
        may_add_crm: Some(false),
        ..direct
    };
    assert_eq!(
        the_problem(&plan(ExSide::Present(&i), None, CrmSide::Absent, &refused)),
        &Problem::OwnerSyncOff
    );
}

#[test]
fn an_event_made_for_the_item_but_never_linked_is_relinked_not_duplicated() {
    let i = shared_category(item("Review"));
    let ev = event(&i.fields);
    let steps = plan(ExSide::Present(&i), None, CrmSide::Present(&ev), &owner());
    match steps.as_slice() {
        [Step::LinkItem { link, version, .. }] => {
            assert_eq!(link.event_id, "00U-1");
            assert_eq!(version, "ck-1");
        }
        other => panic!("{other:?}"),
    }
}

// Found by the sync simulation (seed 8): an event created for an item whose link write then
// failed was relinked later, but what Exchange held beyond the event never reached the CRM.
#[test]
fn a_relinked_event_takes_what_exchange_holds_beyond_it_in_the_same_pass() {
    let i = shared_category(item("Review"));
    let ev = event(&fields("Review (as first sent)", 9));
    let steps = plan(ExSide::Present(&i), None, CrmSide::Present(&ev), &owner());
    assert_eq!(kinds(&steps), ["update_event", "link_item"]);
    if let Step::UpdateEvent { event, .. } = &steps[0] {
        assert_eq!(event.subject, "Review");
        assert_eq!(
            event.id.as_deref(),
            Some("00U-1"),
            "the same event, not a new one"
        );
    }
    if let Step::LinkItem { link, .. } = &steps[1] {
        assert_eq!(link.event_id, "00U-1");
        assert_eq!(link.synced, FieldHashes::of(&i.fields));
    }
}

// Found by the sync simulation (seed 2): a delegate who could not see the event unshared an
// item whose share had created it but not linked it yet; the event was left behind.
#[test]
fn an_event_made_for_a_share_withdrawn_before_it_was_linked_is_deleted() {
    let i = item("Review");
    let ev = event(&i.fields);
    let steps = plan(ExSide::Present(&i), None, CrmSide::Present(&ev), &owner());
    match steps.as_slice() {
        [Step::DeleteEvent { event_id, .. }] => assert_eq!(event_id, "00U-1"),
        other => panic!("{other:?}"),
    }
    // A delegate without known edit access to the event leaves it to the owner's app.
    let d = delegate(OutlookLevel::Delegate, None);
    assert!(plan(ExSide::Present(&i), None, CrmSide::Present(&ev), &d).is_empty());
}

#[test]
fn without_a_crm_user_for_the_owner_nothing_is_created() {
    let i = shared_category(item("Review"));
    let a = Actor {
        owner_crm_user: None,
        ..owner()
    };
    assert_eq!(
        the_problem(&plan(ExSide::Present(&i), None, CrmSide::Absent, &a)),
        &Problem::NoCrmUserForOwner
    );
}

// Rows: private items.
#[test]
fn a_private_item_is_never_sent_without_private_sync() {
    let mut i = shared_category(item("Doctor"));
    i.is_private = true;
    assert_eq!(
        the_problem(&plan(ExSide::Present(&i), None, CrmSide::Absent, &owner())),
        &Problem::PrivateNotSynced
    );
    // Unshared private items are no problem at all.
    let mut quiet = item("Doctor");
    quiet.is_private = true;
    assert!(plan(ExSide::Present(&quiet), None, CrmSide::Absent, &owner()).is_empty());
    // Found by the simulation (seed 7, long run): shared, cut short before the link, then
    // marked private and unshared: the event made for it goes, as for any withdrawn share.
    let mut made = event(&quiet.fields);
    made.external_id = Some(quiet.key.id.clone());
    assert_eq!(
        kinds(&plan(
            ExSide::Present(&quiet),
            None,
            CrmSide::Present(&made),
            &owner()
        )),
        ["delete_event"]
    );
    // With private sync it is sent private, without linked records.
    let mut asked = pending(i.clone(), Some("003-pat"));
    asked.is_private = true;
    let allowed = Actor {
        policy: SyncPolicy {
            private_sync: true,
            ..SyncPolicy::default()
        },
        ..owner()
    };
    match plan(ExSide::Present(&asked), None, CrmSide::Absent, &allowed).as_slice() {
        [Step::CreateEvent { event, .. }] => {
            assert!(event.is_private);
            assert_eq!((event.who_id.clone(), event.what_id.clone()), (None, None));
        }
        other => panic!("{other:?}"),
    }
}

// Found by the sync simulation (seed 1): an item marked not private again, with no other
// change, left its CRM event private.
#[test]
fn a_private_mark_changed_alone_in_exchange_goes_to_the_crm() {
    let base = fields("Review", 9);
    let mut i = item("Review");
    i.link = Some(link(&base));
    let mut ev = event(&base);
    ev.is_private = true;
    ev.who_id = None;
    let steps = plan(
        ExSide::Present(&i),
        i.link.as_ref(),
        CrmSide::Present(&ev),
        &owner(),
    );
    assert_eq!(kinds(&steps), ["update_event", "link_item"]);
    if let Step::UpdateEvent { event, .. } = &steps[0] {
        assert!(!event.is_private);
    }
    // And the other way, where policy lets private items go: private, linked to nothing.
    i.is_private = true;
    let ev = event(&base);
    let allowed = Actor {
        policy: SyncPolicy {
            private_sync: true,
            ..SyncPolicy::default()
        },
        ..owner()
    };
    let steps = plan(
        ExSide::Present(&i),
        i.link.as_ref(),
        CrmSide::Present(&ev),
        &allowed,
    );
    match steps.first() {
        Some(Step::UpdateEvent { event, .. }) => {
            assert!(event.is_private);
            assert_eq!((event.who_id.clone(), event.what_id.clone()), (None, None));
        }
        other => panic!("{other:?}"),
    }
}

// Found by the sync simulation (seed 1): a cycle cut off after updating the CRM left the
// base behind two sides that agreed; a later CRM edit then looked like a change on both sides
// and the winner (Exchange) overwrote it.
#[test]
fn sides_that_agree_ahead_of_the_base_move_the_base_on_and_write_nothing_else() {
    let base = fields("Review", 9);
    let mut i = item("Review");
    i.fields = fields("Review (moved)", 11);
    i.link = Some(link(&base));
    let ev = event(&fields("Review (moved)", 11));
    let steps = plan(
        ExSide::Present(&i),
        i.link.as_ref(),
        CrmSide::Present(&ev),
        &owner(),
    );
    assert_eq!(kinds(&steps), ["link_item"]);
    if let Step::LinkItem { link, .. } = &steps[0] {
        assert_eq!(link.synced, FieldHashes::of(&fields("Review (moved)", 11)));
    }
}

// Rows: present and linked.
#[test]
fn nothing_changed_on_either_side_means_nothing_to_do() {
    let base = fields("Review", 9);
    let mut i = item("Review");
    i.link = Some(link(&base));
    let ev = event(&base);
    assert!(plan(
        ExSide::Present(&i),
        i.link.as_ref(),
        CrmSide::Present(&ev),
        &owner()
    )
    .is_empty());
}

#[test]
fn a_linked_event_without_its_item_id_learns_it_only_where_the_crm_keeps_ids() {
    let base = fields("Review", 9);
    let mut i = item("Review");
    i.link = Some(link(&base));
    let mut ev = event(&base);
    ev.external_id = None;
    let steps = plan(
        ExSide::Present(&i),
        i.link.as_ref(),
        CrmSide::Present(&ev),
        &owner(),
    );
    assert_eq!(kinds(&steps), ["update_event", "link_item"]);
    if let Step::UpdateEvent { event, .. } = &steps[0] {
        assert_eq!(event.external_id.as_deref(), Some("AAMk-1"));
    }
    // In an org without Onbehalf's field the link lives on the item only: nothing to write,
    // cycle after cycle.
    let no_field = Actor {
        keeps_item_ids: false,
        ..owner()
    };
    assert!(plan(
        ExSide::Present(&i),
        i.link.as_ref(),
        CrmSide::Present(&ev),
        &no_field
    )
    .is_empty());
}

#[test]
fn an_exchange_change_goes_to_the_crm_and_the_link_moves_on() {
    let base = fields("Review", 9);
    let mut i = item("Review");
    i.fields = fields("Review", 11); // moved in Outlook
    i.link = Some(link(&base));
    let ev = event(&base);
    let steps = plan(
        ExSide::Present(&i),
        i.link.as_ref(),
        CrmSide::Present(&ev),
        &owner(),
    );
    assert_eq!(kinds(&steps), ["update_event", "link_item"]);
    if let Step::UpdateEvent { event, .. } = &steps[0] {
        assert_eq!(event.time, fields("Review", 11).time);
        assert_eq!(event.owner_id, "005-olivia", "the owner stays the owner");
    }
    if let Step::LinkItem { link, .. } = &steps[1] {
        assert_eq!(link.synced, FieldHashes::of(&fields("Review", 11)));
    }
}

#[test]
fn a_delegate_updates_the_crm_directly_only_with_edit_access_there() {
    let base = fields("Review", 9);
    let mut i = item("Review");
    i.fields = fields("Review", 11);
    i.link = Some(link(&base));
    let ev = event(&base);
    let with = delegate(OutlookLevel::DelegateWithPrivate, Some(true));
    assert_eq!(
        kinds(&plan(
            ExSide::Present(&i),
            i.link.as_ref(),
            CrmSide::Present(&ev),
            &with
        )),
        ["update_event", "link_item"]
    );
    for access in [Some(false), None] {
        let without = delegate(OutlookLevel::DelegateWithPrivate, access);
        assert_eq!(
            the_problem(&plan(
                ExSide::Present(&i),
                i.link.as_ref(),
                CrmSide::Present(&ev),
                &without
            )),
            &Problem::NoCrmEditAccess
        );
    }
}

#[test]
fn a_crm_change_to_an_appointment_comes_into_exchange() {
    let base = fields("Review", 9);
    let mut i = item("Review");
    i.link = Some(link(&base));
    let ev = event(&fields("Review with Fabrikam", 9));
    let steps = plan(
        ExSide::Present(&i),
        i.link.as_ref(),
        CrmSide::Present(&ev),
        &owner(),
    );
    assert_eq!(kinds(&steps), ["update_item", "link_item"]);
    if let Step::UpdateItem {
        fields, version, ..
    } = &steps[0]
    {
        assert_eq!(fields.subject, "Review with Fabrikam");
        assert_eq!(version, "ck-1");
    }
}

// Merge row: the CRM changed a meeting's field. Writing it to Exchange would mail every
// attendee, so nothing is written to either side and the user decides.
#[test]
fn a_crm_change_to_a_meeting_is_a_conflict_never_a_mail_to_its_attendees() {
    let base = fields("Review", 9);
    let mut i = item("Review");
    i.attendees = vec!["pat.kim@fabrikam.com".into()];
    i.link = Some(link(&base));
    let mut moved = fields("Review", 15);
    moved.location = Some("Fabrikam HQ".into());
    let ev = event(&moved);
    let steps = plan(
        ExSide::Present(&i),
        i.link.as_ref(),
        CrmSide::Present(&ev),
        &owner(),
    );
    assert_eq!(kinds(&steps), ["conflict"], "nothing is written: {steps:?}");
    match steps.as_slice() {
        [Step::Conflict { fields, .. }] => assert_eq!(
            fields,
            &vec![
                ConflictField {
                    field: Field::Location,
                    exchange: "Board Room".into(),
                    crm: "Fabrikam HQ".into(),
                },
                ConflictField {
                    field: Field::Time,
                    exchange: "2026-12-02T09:00:00+00:00 – 2026-12-02T10:00:00+00:00".into(),
                    crm: "2026-12-02T15:00:00+00:00 – 2026-12-02T16:00:00+00:00".into(),
                },
            ]
        ),
        other => panic!("{other:?}"),
    }
}

#[test]
fn changes_on_both_sides_merge_field_by_field() {
    let base = fields("Review", 9);
    let mut i = item("Review");
    i.fields = fields("Review", 11); // time moved in Outlook
    i.link = Some(link(&base));
    let mut crm = fields("Review", 9);
    crm.location = Some("Fabrikam HQ".into()); // place changed in the CRM
    let ev = event(&crm);
    let steps = plan(
        ExSide::Present(&i),
        i.link.as_ref(),
        CrmSide::Present(&ev),
        &owner(),
    );
    assert_eq!(kinds(&steps), ["update_event", "update_item", "link_item"]);
    let merged = {
        let mut f = fields("Review", 11);
        f.location = Some("Fabrikam HQ".into());
        f
    };
    if let Step::UpdateEvent { event, .. } = &steps[0] {
        assert_eq!(event.time, merged.time);
        assert_eq!(event.location, merged.location);
    }
    if let Step::UpdateItem { fields, .. } = &steps[1] {
        assert_eq!(fields, &merged);
    }
}

/// Olivia's app with the CRM as the winner of a field changed on both sides.
fn crm_wins() -> Actor<'static> {
    Actor {
        policy: SyncPolicy {
            winner: Winner::Crm,
            ..SyncPolicy::default()
        },
        ..owner()
    }
}

/// The `Overwrote` step of a plan, which must be the one just before the new base.
fn overwrote(steps: &[Step]) -> (&str, &[Overwritten]) {
    match steps {
        [.., Step::Overwrote {
            subject, fields, ..
        }, Step::LinkItem { .. }] => (subject, fields),
        other => panic!("expected what was overwritten, then the new base: {other:?}"),
    }
}

// Merge row: changed on both sides, differently; Exchange wins (the default). The CRM takes
// Outlook's subject, and what it held is noted as overwritten.
#[test]
fn a_field_changed_on_both_sides_keeps_exchanges_value_and_notes_the_crms_as_overwritten() {
    let base = fields("Review", 9);
    let mut i = item("Review (Outlook)");
    i.link = Some(link(&base));
    let ev = event(&fields("Review (CRM)", 9));
    let steps = plan(
        ExSide::Present(&i),
        i.link.as_ref(),
        CrmSide::Present(&ev),
        &owner(),
    );
    assert_eq!(kinds(&steps), ["update_event", "overwrote", "link_item"]);
    if let Step::UpdateEvent { event, .. } = &steps[0] {
        assert_eq!(event.subject, "Review (Outlook)");
    }
    let (subject, fields) = overwrote(&steps);
    assert_eq!(subject, "Review (Outlook)");
    assert_eq!(
        fields,
        [Overwritten {
            field: Field::Subject,
            winner: Winner::Exchange,
            kept: "Review (Outlook)".into(),
            overwritten: "Review (CRM)".into(),
        }]
    );
}

// Merge row: changed on both sides, differently; the CRM wins. An appointment takes the CRM's
// subject, and Outlook's is noted as overwritten.
#[test]
fn a_field_changed_on_both_sides_keeps_the_crms_value_when_the_crm_wins() {
    let base = fields("Review", 9);
    let mut i = item("Review (Outlook)");
    i.link = Some(link(&base));
    let ev = event(&fields("Review (CRM)", 9));
    let steps = plan(
        ExSide::Present(&i),
        i.link.as_ref(),
        CrmSide::Present(&ev),
        &crm_wins(),
    );
    assert_eq!(kinds(&steps), ["update_item", "overwrote", "link_item"]);
    if let Step::UpdateItem { fields, .. } = &steps[0] {
        assert_eq!(fields.subject, "Review (CRM)");
    }
    let (subject, fields) = overwrote(&steps);
    assert_eq!(subject, "Review (CRM)");
    assert_eq!(
        fields,
        [Overwritten {
            field: Field::Subject,
            winner: Winner::Crm,
            kept: "Review (CRM)".into(),
            overwritten: "Review (Outlook)".into(),
        }]
    );
}

// Merge row: changed on both sides to the same value. Nothing was overwritten, so nothing is
// decided or noted; only the base moves on.
#[test]
fn the_same_change_on_both_sides_decides_nothing() {
    let base = fields("Review", 9);
    let mut i = item("Review (moved to Teams)");
    i.link = Some(link(&base));
    let ev = event(&fields("Review (moved to Teams)", 9));
    for actor in [owner(), crm_wins()] {
        let steps = plan(
            ExSide::Present(&i),
            i.link.as_ref(),
            CrmSide::Present(&ev),
            &actor,
        );
        assert_eq!(kinds(&steps), ["link_item"], "{steps:?}");
    }
}

// Merge rows for a meeting changed on both sides: Exchange's value may go to the CRM (nothing
// is mailed), the CRM's may not come to Exchange.
#[test]
fn a_meeting_changed_on_both_sides_keeps_outlooks_value_or_becomes_a_conflict() {
    let base = fields("Review", 9);
    let mut i = item("Review (Outlook)");
    i.attendees = vec!["pat.kim@fabrikam.com".into()];
    i.link = Some(link(&base));
    let ev = event(&fields("Review (CRM)", 9));
    let exchange_wins = plan(
        ExSide::Present(&i),
        i.link.as_ref(),
        CrmSide::Present(&ev),
        &owner(),
    );
    assert_eq!(
        kinds(&exchange_wins),
        ["update_event", "overwrote", "link_item"]
    );
    let crm_would_win = plan(
        ExSide::Present(&i),
        i.link.as_ref(),
        CrmSide::Present(&ev),
        &crm_wins(),
    );
    assert_eq!(kinds(&crm_would_win), ["conflict"]);
}

#[test]
fn a_crm_deletion_unlinks_the_item_and_keeps_the_meeting() {
    let base = fields("Review", 9);
    let mut i = shared_category(item("Review"));
    i.link = Some(link(&base));
    match plan(
        ExSide::Present(&i),
        i.link.as_ref(),
        CrmSide::Deleted,
        &owner(),
    )
    .as_slice()
    {
        [Step::Unlink { categories, .. }] => assert_eq!(categories, &vec!["Travel".to_string()]),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_crm_event_the_user_cannot_see_is_a_problem_and_nothing_is_written() {
    let base = fields("Review", 9);
    let mut i = item("Review");
    i.link = Some(link(&base));
    let d = delegate(OutlookLevel::DelegateWithPrivate, None);
    assert_eq!(
        the_problem(&plan(
            ExSide::Present(&i),
            i.link.as_ref(),
            CrmSide::NotVisible,
            &d
        )),
        &Problem::NoCrmReadAccess
    );
    assert!(plan(ExSide::Present(&i), i.link.as_ref(), CrmSide::NotRead, &d).is_empty());
}

#[test]
fn records_chosen_again_for_a_shared_item_update_its_links() {
    let base = fields("Review", 9);
    let mut i = pending(item("Review"), Some("003-sam"));
    i.link = Some(link(&base));
    let ev = event(&base);
    let steps = plan(
        ExSide::Present(&i),
        i.link.as_ref(),
        CrmSide::Present(&ev),
        &owner(),
    );
    assert_eq!(kinds(&steps), ["update_event", "link_item"]);
    if let Step::UpdateEvent { event, .. } = &steps[0] {
        assert_eq!(event.who_id.as_deref(), Some("003-sam"));
        assert_eq!(event.what_id.as_deref(), Some("006-opp"));
    }
}

// Exchange permissions: a Reviewer writes nothing, to either side; an Author only keeps the
// items they created in sync.
#[test]
fn a_reviewer_never_writes_and_an_author_only_on_their_own_items() {
    let base = fields("Review", 9);
    let mut i = item("Review");
    i.fields = fields("Review", 11);
    i.link = Some(link(&base));
    let ev = event(&fields("Review with Fabrikam", 9));
    let reviewer = delegate(OutlookLevel::Reviewer, Some(true));
    assert!(plan(
        ExSide::Present(&i),
        i.link.as_ref(),
        CrmSide::Present(&ev),
        &reviewer
    )
    .is_empty());
    let shared = shared_category(item("Review"));
    assert!(plan(ExSide::Present(&shared), None, CrmSide::Absent, &reviewer).is_empty());
    let author = delegate(OutlookLevel::Author, Some(true));
    assert!(plan(
        ExSide::Present(&i),
        i.link.as_ref(),
        CrmSide::Present(&ev),
        &author
    )
    .is_empty());
    let mut own = i.clone();
    own.creator = Some(DANIEL.into());
    assert_eq!(
        kinds(&plan(
            ExSide::Present(&own),
            own.link.as_ref(),
            CrmSide::Present(&ev),
            &author
        )),
        ["update_event", "update_item", "link_item"]
    );
}

#[test]
fn the_plan_is_the_same_for_the_same_inputs() {
    let base = fields("Review", 9);
    let mut i = item("Review");
    i.fields = fields("Review", 11);
    i.link = Some(link(&base));
    let ev = event(&fields("Review at Fabrikam", 9));
    let one = plan(
        ExSide::Present(&i),
        i.link.as_ref(),
        CrmSide::Present(&ev),
        &owner(),
    );
    let two = plan(
        ExSide::Present(&i),
        i.link.as_ref(),
        CrmSide::Present(&ev),
        &owner(),
    );
    assert_eq!(one, two);
}
