//! Pressing Share and Unshare: refused with the reason when the user's rights or the policy do
//! not allow it, otherwise recorded on the item for whichever app syncs it next.

mod sync_common;

use onbehalf_engine::crm::{CrmRecord, RecordKind};
use onbehalf_engine::permission::OutlookLevel;
use onbehalf_engine::sync::plan::{Actor, Step, SyncPolicy};
use onbehalf_engine::sync::share::{request_share, request_unshare, Records, ShareRefusal};
use sync_common::*;

fn record(kind: RecordKind, id: &str, name: &str) -> CrmRecord {
    CrmRecord {
        kind,
        id: id.into(),
        name: name.into(),
        email: None,
        account: None,
        stage: None,
        number: None,
    }
}

#[test]
fn a_delegates_share_is_recorded_on_the_owners_item_with_the_records_and_who_asked() {
    let pat = record(RecordKind::Contact, "003-pat", "Pat Kim");
    let deal = record(RecordKind::Opportunity, "006-deal", "Fabrikam renewal");
    let d = delegate(OutlookLevel::DelegateWithPrivate, Some(true));
    let shared = request_share(
        &item("Review"),
        Records {
            who: Some(&pat),
            what: Some(&deal),
        },
        &d,
    )
    .unwrap();
    let pending = shared.marks.pending.clone().flatten().unwrap();
    assert_eq!(pending.who_id.as_deref(), Some("003-pat"));
    assert_eq!(pending.what_id.as_deref(), Some("006-deal"));
    assert_eq!(pending.requested_by, DANIEL);
    assert_eq!(shared.marks.categories, Some(vec!["CRM".to_string()]));
    assert!(shared.waits_for_owner);
    assert!(shared.notes.is_empty());
}

#[test]
fn when_the_owners_sync_is_off_the_delegate_is_told_at_once() {
    let d = Actor {
        owner_sync_on: false,
        ..delegate(OutlookLevel::DelegateWithPrivate, Some(true))
    };
    let shared = request_share(&item("Review"), Records::default(), &d).unwrap();
    assert_eq!(
        shared.notes,
        vec![
            "Olivia Grant does not have sync turned on; this item will be saved to the CRM \
             when they turn it on."
                .to_string()
        ]
    );
}

#[test]
fn a_reviewer_is_refused_with_the_reason_and_nothing_is_written() {
    let err = request_share(
        &item("Review"),
        Records::default(),
        &delegate(OutlookLevel::Reviewer, Some(true)),
    )
    .unwrap_err();
    match err {
        ShareRefusal::NoRight { reason } => assert!(reason.contains("Reviewer"), "{reason}"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_private_item_is_refused_unless_private_sync_is_on_and_then_loses_its_links() {
    let mut private = item("Doctor");
    private.is_private = true;
    assert_eq!(
        request_share(&private, Records::default(), &owner()).unwrap_err(),
        ShareRefusal::PrivateNotSynced
    );
    let pat = record(RecordKind::Contact, "003-pat", "Pat Kim");
    let allowed = Actor {
        policy: SyncPolicy {
            private_sync: true,
            ..SyncPolicy::default()
        },
        ..owner()
    };
    let shared = request_share(
        &private,
        Records {
            who: Some(&pat),
            what: None,
        },
        &allowed,
    )
    .unwrap();
    let pending = shared.marks.pending.flatten().unwrap();
    assert_eq!(pending.who_id, None);
    assert!(
        shared.notes[0].contains("cannot be linked"),
        "{:?}",
        shared.notes
    );
}

#[test]
fn records_go_in_their_slot() {
    let account = record(RecordKind::Account, "001-fab", "Fabrikam");
    let err = request_share(
        &item("Review"),
        Records {
            who: Some(&account),
            what: None,
        },
        &owner(),
    )
    .unwrap_err();
    assert!(err.to_string().contains("a contact or a lead"), "{err}");
}

#[test]
fn unsharing_deletes_the_crm_event_and_unlinks_or_withdraws_a_pending_share() {
    let base = fields("Review", 9);
    let mut linked = shared_category(item("Review"));
    linked.link = Some(link(&base));
    let steps = request_unshare(&linked, &owner()).unwrap();
    assert!(matches!(steps[0], Step::DeleteEvent { .. }));
    assert!(
        matches!(&steps[1], Step::Unlink { categories, .. } if categories == &vec!["Travel".to_string()])
    );
    let waiting = pending(item("Review"), None);
    assert!(matches!(
        request_unshare(&waiting, &owner()).unwrap().as_slice(),
        [Step::Unlink { .. }]
    ));
    assert_eq!(
        request_unshare(&item("Review"), &owner()).unwrap_err(),
        ShareRefusal::NotShared
    );
}
