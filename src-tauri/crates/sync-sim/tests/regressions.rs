//! Cases the simulation found, each pinned down as a scenario over the same in-memory Exchange
//! and CRM: what a user would have seen go wrong, and that it no longer does. The seed and
//! step in each comment found it.

use onbehalf_engine::crm::EventTime;
use onbehalf_engine::sync::merge::Winner;
use onbehalf_sync_sim::{AppId, CalendarAccess, Config, NewItem, Scenario};

const OWNER: AppId = AppId::Owner;
const A: AppId = AppId::DelegateA;
const B: AppId = AppId::DelegateB;

fn config(direct_share: bool) -> Config {
    Config {
        winner: Winner::Exchange,
        private_sync: false,
        direct_share,
        crm_to_exchange: false,
        crm_keeps_item_ids: true,
    }
}

fn shared(subject: &str) -> NewItem {
    NewItem {
        subject: subject.to_string(),
        category: true,
        ..NewItem::default()
    }
}

fn plain(subject: &str) -> NewItem {
    NewItem {
        subject: subject.to_string(),
        ..NewItem::default()
    }
}

// Seed 1, step 130: the delegate's delete was refused, the item was unlinked anyway, and its
// event stayed in the executive's CRM calendar for good.
#[test]
fn an_unshare_the_crm_refuses_leaves_the_item_shared() {
    let mut s = Scenario::new(config(false));
    let id = s.add_item(OWNER, shared("Budget review"));
    s.cycle(OWNER).expect("the owner's cycle");
    assert!(s.event_for(&id).is_some());

    // B may read the executive's events, not delete them.
    s.crm_sharing(B, CalendarAccess::ShowDetails);
    assert!(s.unshare(B, OWNER, &id).is_err());
    assert!(s.link(OWNER, &id).is_some(), "still linked");
    assert!(s.event_for(&id).is_some(), "still in the CRM");

    // B may not even see them: "not found" is no proof the event is gone.
    s.crm_sharing(B, CalendarAccess::HideDetails);
    assert!(s.unshare(B, OWNER, &id).is_err());
    assert!(s.link(OWNER, &id).is_some());
    assert!(s.event_for(&id).is_some());
}

// Seeds 1 and 3: an item longer than the CRM allows was refused, the problem was settled in
// the same cycle (so never shown), and a delegate reading the whole calendar sent it again on
// every cycle.
#[test]
fn an_item_the_crm_cannot_keep_is_a_standing_problem_not_a_retry_loop() {
    let mut s = Scenario::new(config(true));
    let id = s.add_item(
        OWNER,
        NewItem {
            all_day_days: Some(15),
            ..shared("Fifteen-day offsite")
        },
    );
    s.cycle(OWNER).expect("the owner's cycle");
    assert_eq!(s.problems(OWNER, OWNER, &id), ["crm_cannot_keep"]);

    s.cycle(A).expect("delegate A's cycle");
    assert_eq!(s.problems(A, OWNER, &id), ["crm_cannot_keep"]);
    let before = s.counts(A).crm_writes;
    for _ in 0..3 {
        s.later();
        s.cycle(A).expect("delegate A's cycle");
    }
    assert_eq!(s.counts(A).crm_writes, before, "not sent again unchanged");
    assert_eq!(s.problems(A, OWNER, &id), ["crm_cannot_keep"]);

    // Made shorter, it is shared and the problem goes.
    s.edit_item(OWNER, &id, |f| {
        if let onbehalf_engine::crm::EventTime::AllDay { first, last } = &mut f.time {
            *last = *first + chrono::Duration::days(2);
        }
    });
    s.later();
    s.cycle(OWNER).expect("the owner's cycle");
    assert!(s.link(OWNER, &id).is_some());
    assert!(s.problems(OWNER, OWNER, &id).is_empty());
}

// Seed 1, step 671: Exchange lost the owner's delta while a shared item was deleted; the
// delta begun anew listed only what was there, and the event lived on.
#[test]
fn a_deletion_made_while_exchange_lost_the_delta_still_reaches_the_crm() {
    let mut s = Scenario::new(config(false));
    let id = s.add_item(OWNER, shared("Quarterly review"));
    s.cycle(OWNER).expect("the owner's cycle");
    assert!(s.event_for(&id).is_some());
    // The CRM's change feed has gone past the event's creation.
    s.later();
    s.cycle(OWNER).expect("the owner's cycle");

    s.delete_item(OWNER, &id);
    s.lose_delta(OWNER);
    s.later();
    s.cycle(OWNER).expect("the owner's cycle");
    assert!(s.event_for(&id).is_none());
}

// Seed 6, step 1137: a delegate shared an item directly; the owner's app had never recorded
// that link when the item was deleted, and did not delete its event.
#[test]
fn an_item_a_delegate_shared_directly_is_deleted_in_the_crm_with_it() {
    let mut s = Scenario::new(config(true));
    let id = s.add_item(OWNER, plain("Customer call"));
    s.share(A, OWNER, &id).expect("delegate A shares");
    s.cycle(A).expect("delegate A's cycle");
    assert!(s.event_for(&id).is_some(), "made by the delegate");

    s.delete_item(OWNER, &id);
    s.later();
    s.cycle(OWNER).expect("the owner's cycle");
    assert!(s.event_for(&id).is_none());
}

// Seed 6, step 905: the same, when Exchange had also lost the owner's delta: nothing in
// Exchange says the item was there, only the event carrying its id.
#[test]
fn after_a_lost_delta_an_event_whose_item_is_gone_is_deleted() {
    let mut s = Scenario::new(config(true));
    let id = s.add_item(OWNER, plain("Site visit"));
    s.share(A, OWNER, &id).expect("delegate A shares");
    s.cycle(A).expect("delegate A's cycle");
    assert!(s.event_for(&id).is_some());

    s.delete_item(OWNER, &id);
    s.lose_delta(OWNER);
    s.later();
    s.cycle(OWNER).expect("the owner's cycle");
    assert!(s.event_for(&id).is_none());
}

// Seed 3, step 1749: the owner's app remembered the item's first event; the item was shared
// again through another event it never saw; deleting the item left the second event.
#[test]
fn deleting_an_item_deletes_the_event_it_links_now_not_only_the_one_remembered() {
    let mut s = Scenario::new(config(true));
    let id = s.add_item(OWNER, shared("Board prep"));
    s.cycle(OWNER).expect("the owner's cycle");
    let first = s.event_for(&id).expect("shared").id;

    // Deleted in the CRM; delegate A's app unlinks the item, and A shares it again.
    s.later();
    s.delete_event(OWNER.crm_user(), &first);
    s.later();
    s.cycle(A).expect("delegate A's cycle");
    assert!(s.link(OWNER, &id).is_none(), "unlinked by A");
    s.share(A, OWNER, &id).expect("delegate A shares again");
    s.cycle(A).expect("delegate A's cycle");
    let second = s.event_for(&id).expect("shared again").id;
    assert_ne!(first, second);

    s.delete_item(OWNER, &id);
    s.later();
    s.cycle(OWNER).expect("the owner's cycle");
    assert!(s.event_for(&id).is_none());
}

// Seed 1, step 1132: a cycle died right after creating the event, before linking the item;
// unsharing the item then removed its category and left the event.
#[test]
fn unsharing_an_item_whose_share_was_cut_off_deletes_the_event_made_for_it() {
    let mut s = Scenario::new(config(false));
    let id = s.add_item(OWNER, shared("Dinner with Fabrikam"));
    // Calls: the delta, the CRM's changes, the look for the item's event, the creation.
    s.cycle_dying(OWNER, 4, true);
    assert!(s.event_for(&id).is_some() && s.link(OWNER, &id).is_none());

    s.unshare(OWNER, OWNER, &id).expect("the owner unshares");
    assert!(s.event_for(&id).is_none());
    let item = s.item(OWNER, &id).expect("the item stays");
    assert!(item.categories.is_empty() && item.link.is_none());
}

// Seed 2, step 2151: the same cut-off share, withdrawn by someone who could not see the event
// (here: the category taken off in Outlook); the event stayed for good.
#[test]
fn a_share_withdrawn_before_it_was_linked_takes_its_event_with_it() {
    let mut s = Scenario::new(config(false));
    let id = s.add_item(OWNER, shared("Roadmap walk-through"));
    s.cycle_dying(OWNER, 4, true);
    assert!(s.event_for(&id).is_some() && s.link(OWNER, &id).is_none());

    s.remove_category(OWNER, &id);
    s.later();
    s.cycle(OWNER).expect("the owner's cycle");
    assert!(s.event_for(&id).is_none());
    assert!(s.link(OWNER, &id).is_none());
}

// Seed 8, step 289: the cut-off share's event was relinked later, but what Exchange held
// beyond the event never went to the CRM (the pair looked synced).
#[test]
fn a_relinked_event_gets_what_exchange_holds_beyond_it() {
    let mut s = Scenario::new(config(false));
    let id = s.add_item(OWNER, shared("Planning"));
    s.cycle_dying(OWNER, 4, true);
    let event = s.event_for(&id).expect("made").id;
    s.later();
    s.edit_item(OWNER, &id, |f| f.location = Some("Room 4".to_string()));
    s.later();
    s.cycle(OWNER).expect("the owner's cycle");
    assert_eq!(s.link(OWNER, &id).map(|l| l.event_id), Some(event));
    let e = s.event_for(&id).expect("linked");
    assert_eq!(e.location.as_deref(), Some("Room 4"));
}

// Seed 130, step 2348: a meeting linked by a delegate was in conflict when the owner's app
// first saw it, so it never recorded the link; the event's deletion in the CRM then never
// unlinked the meeting.
#[test]
fn a_crm_deletion_unlinks_a_meeting_the_owners_app_saw_only_in_conflict() {
    let mut s = Scenario::new(config(true));
    let id = s.add_item(
        OWNER,
        NewItem {
            attendees: vec!["pat.kim@fabrikam.com".to_string()],
            ..plain("Renewal meeting")
        },
    );
    s.share(A, OWNER, &id).expect("delegate A shares");
    s.cycle(A).expect("delegate A's cycle");
    let event = s.event_for(&id).expect("made").id;

    s.later();
    assert!(s.edit_event(OWNER.crm_user(), &event, |e| {
        e.subject = "Renewal (moved in the CRM)".to_string()
    }));
    s.later();
    let report = s.cycle(OWNER).expect("the owner's cycle");
    assert_eq!(
        report.conflicts, 1,
        "a CRM change to a meeting waits for the user"
    );

    s.later();
    s.delete_event(OWNER.crm_user(), &event);
    s.later();
    s.cycle(OWNER).expect("the owner's cycle");
    assert!(s.link(OWNER, &id).is_none(), "unlinked");
    assert!(s.item(OWNER, &id).is_some(), "the meeting stays");
}

/// The same office in a CRM org without Onbehalf's external-id field.
fn without_item_ids() -> Config {
    Config {
        crm_keeps_item_ids: false,
        ..config(false)
    }
}

// Where events keep no item id, a share cut off after the CRM made its event but before the
// item was linked finds that event again (its creation was noted before it was sent).
#[test]
fn without_item_ids_a_share_cut_off_before_its_link_finds_its_event_again() {
    let mut s = Scenario::new(without_item_ids());
    let id = s.add_item(OWNER, shared("Dinner with Fabrikam"));
    // Calls: the delta, the CRM's changes, the creation (no look by the item's id).
    s.cycle_dying(OWNER, 3, true);
    let made = s.event_for(&id).expect("the CRM made the event").id;
    assert!(s.link(OWNER, &id).is_none());

    s.cycle(OWNER).expect("the owner's cycle");
    assert_eq!(s.events_made_for(&id), 1, "made once");
    let link = s.link(OWNER, &id).expect("linked to the event made before");
    assert_eq!(link.event_id, made);
    assert_eq!(link.item_id.as_deref(), Some(id.as_str()));
    s.later();
    let quiet = s.cycle(OWNER).expect("the next cycle");
    assert_eq!(quiet.crm_writes, 0, "{quiet:?}");
}

// Cut off before the CRM made anything, the noted creation finds no event and is made then.
#[test]
fn without_item_ids_a_share_cut_off_before_its_creation_is_made_once_later() {
    let mut s = Scenario::new(without_item_ids());
    let id = s.add_item(OWNER, shared("Quarterly review"));
    s.cycle_dying(OWNER, 3, false);
    assert!(s.event_for(&id).is_none());

    s.cycle(OWNER).expect("the owner's cycle");
    let made = s.event_for(&id).expect("made now");
    assert_eq!(s.link(OWNER, &id).map(|l| l.event_id), Some(made.id));
    assert_eq!(s.events_made_for(&id), 1);
}

// Seed 4 without item ids: the cut-off share's event was moved in the CRM before the next cycle,
// so it no longer had the noted start; it was made a second time.
#[test]
fn without_item_ids_an_event_changed_in_the_crm_before_it_was_linked_is_still_found() {
    let mut s = Scenario::new(without_item_ids());
    let id = s.add_item(OWNER, shared("Board prep"));
    s.cycle_dying(OWNER, 3, true);
    let made = s.event_for(&id).expect("the CRM made the event").id;
    let owner_crm = OWNER.crm_user().to_string();
    assert!(s.edit_event(&owner_crm, &made, |e| {
        e.time = match e.time {
            EventTime::Timed { start, end } => EventTime::Timed {
                start: start + chrono::Duration::hours(2),
                end: end + chrono::Duration::hours(2),
            },
            other => other,
        }
    }));
    s.later();
    s.cycle(OWNER).expect("the owner's cycle");
    assert_eq!(s.events_made_for(&id), 1, "made once");
    assert_eq!(s.link(OWNER, &id).map(|l| l.event_id), Some(made));
}

// Seed 4 without item ids: the cut-off share's item was deleted while Exchange lost the app's
// delta, so no deletion was reported; its event stayed.
#[test]
fn without_item_ids_a_cut_off_shares_event_goes_when_its_item_went_unseen() {
    let mut s = Scenario::new(without_item_ids());
    let id = s.add_item(OWNER, shared("Offsite"));
    s.cycle_dying(OWNER, 3, true);
    assert!(s.event_for(&id).is_some());
    s.delete_item(OWNER, &id);
    s.lose_delta(OWNER);
    s.later();
    s.cycle(OWNER).expect("the owner's cycle");
    assert_eq!(s.events_made_for(&id), 0, "the event went with its item");
}
