//! `GraphItems` against the sandbox's Graph emulator, end to end: Olivia Grant on her own
//! calendar, and Daniel Reyes, her delegate who sees private items, marking her items. Shares
//! nothing with the other tests but the sandbox crate.

// A test fails by panicking.
#![allow(clippy::unwrap_used)]

mod common;

use std::collections::BTreeSet;

use chrono::{Duration, NaiveTime, Utc};
use common::sandbox_signin::{sandbox_endpoints, signed_in};
use onbehalf_engine::crm::EventTime;
use onbehalf_engine::ports::SourceError;
use onbehalf_engine::sync::hash::FieldHashes;
use onbehalf_engine::sync::marks::{Link, Marks, PendingShare};
use onbehalf_engine::sync::model::{ExItem, Fields, Recurrence};
use onbehalf_engine::sync::port::{ItemSource, MarkWrite, Window};
use onbehalf_graph::{CalendarTarget, GraphClient, GraphItems};
use onbehalf_sandbox::{Sandbox, SandboxOptions};

const OLIVIA: &str = "olivia.grant@contoso.com";
const DANIEL: &str = "daniel.reyes@contoso.com";
const EMMA: &str = "emma.chen@contoso.com";
const FELIX: &str = "felix.braun@contoso.com";

/// Sign `user` in through the sandbox's authorization code flow with Onbehalf's scopes.
async fn client_for(sb: &Sandbox, user: &str) -> GraphClient {
    signed_in(sb, user, &sandbox_endpoints(sb).scopes()).await
}

async fn items_for(sb: &Sandbox, user: &str) -> GraphItems {
    GraphItems::new(client_for(sb, user).await, user)
}

fn window() -> Window {
    let now = Utc::now();
    Window {
        from: now - Duration::days(3),
        to: now + Duration::days(14),
    }
}

fn fields(subject: &str, body: &str) -> Fields {
    let start = (Utc::now() + Duration::days(4))
        .date_naive()
        .and_time(NaiveTime::from_hms_opt(15, 0, 0).unwrap())
        .and_utc();
    Fields {
        subject: subject.to_string(),
        location: Some("Conference Room Aurora".to_string()),
        body: Some(body.to_string()),
        time: EventTime::Timed {
            start,
            end: start + Duration::minutes(45),
        },
        show_as_busy: true,
    }
}

fn pending(by: &str) -> PendingShare {
    PendingShare {
        v: 1,
        who_id: Some("003xx000004TmiQAAS".to_string()),
        what_id: None,
        requested_by: by.to_string(),
        requested_at: Utc::now(),
    }
}

fn link(f: &Fields) -> Link {
    Link {
        v: 1,
        crm: "salesforce".to_string(),
        org_id: "00Dxx0000001gEREAY".to_string(),
        event_id: "00Uxx000000Xyz1EAC".to_string(),
        item_id: None,
        owner_id: "005xx000001SvQ3AAK".to_string(),
        who_id: None,
        what_id: None,
        synced: FieldHashes::of(f),
        crm_version: "2026-11-30T10:00:00.000+0000".to_string(),
        synced_at: Utc::now(),
    }
}

fn ids(items: &[ExItem]) -> BTreeSet<String> {
    items.iter().map(|i| i.key.id.clone()).collect()
}

#[tokio::test]
async fn olivia_tracks_and_writes_her_own_calendar() {
    let sb = Sandbox::start(SandboxOptions::default()).await.unwrap();
    let olivia = items_for(&sb, OLIVIA).await;

    // The CRM category, created blue once.
    olivia.ensure_category("CRM").await.unwrap();
    olivia.ensure_category("crm").await.unwrap();
    let categories = olivia.client().categories().list().all().await.unwrap();
    let crm: Vec<_> = categories
        .iter()
        .filter(|c| c.display_name.eq_ignore_ascii_case("CRM"))
        .collect();
    assert_eq!(crm.len(), 1);
    assert_eq!(crm[0].color, "preset7");

    // A first round is the whole window; the next one, nothing.
    let first = olivia.own_changes(window(), None).await.unwrap();
    let listed = olivia.items(OLIVIA, window()).await.unwrap();
    assert_eq!(ids(&first.changed), ids(&listed));
    assert!(first.removed.is_empty());
    let quiet = olivia
        .own_changes(window(), Some(&first.cursor))
        .await
        .unwrap();
    assert!(quiet.changed.is_empty() && quiet.removed.is_empty());

    // What the seed holds, as sync sees it.
    let offsite = listed
        .iter()
        .find(|i| i.fields.subject == "Strategy offsite")
        .unwrap();
    let day = (Utc::now() + Duration::days(9)).date_naive();
    assert_eq!(
        offsite.fields.time,
        EventTime::AllDay {
            first: day,
            last: day
        }
    );
    assert_eq!(offsite.categories, ["Red category"]);
    let moved = listed
        .iter()
        .find(|i| {
            matches!(
                i.recurrence,
                Recurrence::Occurrence {
                    exception: true,
                    ..
                }
            )
        })
        .unwrap();
    let Recurrence::Occurrence { original_start, .. } = &moved.recurrence else {
        unreachable!()
    };
    let EventTime::Timed { start, .. } = moved.fields.time else {
        panic!("a timed occurrence")
    };
    assert_ne!(*original_start, start, "moved from where the series put it");
    let doctor = listed
        .iter()
        .find(|i| i.fields.subject == "Doctor appointment")
        .unwrap();
    assert!(doctor.is_private && !doctor.fields.body.as_deref().unwrap().contains('<'));
    assert!(doctor.web_link.is_some());

    // A new appointment with marks, stamped as hers.
    let f = fields("Pipeline review", "Numbers for Q1.");
    let created = olivia
        .create_item(
            &f,
            false,
            &Marks {
                categories: Some(vec!["CRM".to_string()]),
                link: None,
                pending: Some(Some(pending(OLIVIA))),
            },
        )
        .await
        .unwrap();
    assert_eq!(created.key.owner, OLIVIA);
    assert_eq!(created.categories, ["CRM"]);
    assert_eq!(created.fields, f);
    let read = olivia.item(&created.key).await.unwrap().unwrap();
    assert_eq!(read.creator.as_deref(), Some(OLIVIA));
    assert_eq!(read.pending, created.pending);
    assert_eq!(read.version, created.version);

    // Linked, then its fields changed from the CRM side, then unlinked.
    let linked = link(&f);
    let v2 = olivia
        .write_marks(
            &created.key,
            &created.version,
            &Marks {
                link: Some(Some(linked.clone())),
                pending: Some(None),
                ..Marks::default()
            },
        )
        .await
        .unwrap();
    let read = olivia.item(&created.key).await.unwrap().unwrap();
    assert_eq!(
        (read.link.as_ref(), read.pending.as_ref()),
        (Some(&linked), None)
    );
    let moved_fields = Fields {
        subject: "Pipeline review (moved)".to_string(),
        ..fields("x", "Numbers for Q1.")
    };
    let v3 = olivia
        .write_fields(&created.key, &v2, &moved_fields)
        .await
        .unwrap();
    assert_ne!(v3, v2);
    let read = olivia.item(&created.key).await.unwrap().unwrap();
    assert_eq!(read.fields, moved_fields);
    assert_eq!(
        read.link.as_ref(),
        Some(&linked),
        "fields leave the marks alone"
    );
    let stale = olivia
        .write_fields(&created.key, &v2, &f)
        .await
        .unwrap_err();
    assert!(matches!(stale, SourceError::Conflict { .. }), "{stale:?}");
    olivia
        .write_marks(
            &created.key,
            &v3,
            &Marks {
                link: Some(None),
                ..Marks::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(olivia.item(&created.key).await.unwrap().unwrap().link, None);

    // A meeting's fields are never written.
    let meeting = listed.iter().find(|i| i.is_meeting()).unwrap();
    let refused = olivia
        .write_fields(&meeting.key, &meeting.version, &meeting.fields)
        .await
        .unwrap_err();
    assert!(
        matches!(&refused, SourceError::Other { code, .. } if code == "MeetingNotChanged"),
        "{refused:?}"
    );

    // The changes, and a deletion, in the next round.
    let gone = listed
        .iter()
        .find(|i| !i.is_meeting() && i.recurrence == Recurrence::Single && !i.is_private)
        .unwrap();
    olivia
        .client()
        .events(CalendarTarget::my_default())
        .delete(&gone.key.id)
        .await
        .unwrap();
    let changes = olivia
        .own_changes(window(), Some(&first.cursor))
        .await
        .unwrap();
    assert_eq!(
        ids(&changes.changed),
        BTreeSet::from([created.key.id.clone()])
    );
    assert_eq!(changes.removed, std::slice::from_ref(&gone.key.id));
    let mine = changes.changed[0].clone();
    assert_eq!(mine.fields.subject, "Pipeline review (moved)");
    assert_eq!(
        mine.creator.as_deref(),
        Some(OLIVIA),
        "read again with the marks"
    );

    // A cursor the sandbox has forgotten.
    sb.faults().expire_delta_tokens();
    let expired = olivia
        .own_changes(window(), Some(&changes.cursor))
        .await
        .unwrap_err();
    assert!(
        matches!(&expired, SourceError::Other { code, .. } if code == "SyncStateNotFound"),
        "{expired:?}"
    );

    assert_eq!(
        sb.faults().meeting_mail_sent(OLIVIA),
        0,
        "nobody was mailed"
    );
}

#[tokio::test]
async fn daniel_marks_olivias_items_as_her_delegate_without_mailing_anyone() {
    let sb = Sandbox::start(SandboxOptions::default()).await.unwrap();
    let daniel = items_for(&sb, DANIEL).await;
    let olivia = items_for(&sb, OLIVIA).await;

    let hers = daniel.items(OLIVIA, window()).await.unwrap();
    assert!(hers.iter().all(|i| i.key.owner == OLIVIA));
    assert!(
        hers.iter().any(|i| i.is_private),
        "Daniel sees her private items"
    );
    let emma = items_for(&sb, EMMA).await;
    let seen_by_emma = emma.items(OLIVIA, window()).await.unwrap();
    assert!(!seen_by_emma.iter().any(|i| i.is_private), "Emma does not");
    assert_eq!(
        seen_by_emma.len(),
        hers.iter().filter(|i| !i.is_private).count()
    );

    // One batch for three calendars: hers, his own, and one he may only see free/busy of.
    let owners = [OLIVIA.to_string(), DANIEL.to_string(), FELIX.to_string()];
    let versions = daniel.versions(&owners, window()).await.unwrap();
    let olivia_versions = versions[0].as_ref().unwrap();
    assert_eq!(
        olivia_versions
            .items
            .iter()
            .cloned()
            .collect::<BTreeSet<_>>(),
        hers.iter()
            .map(|i| (i.key.id.clone(), i.version.clone()))
            .collect::<BTreeSet<_>>()
    );
    assert!(versions[1].is_ok());
    assert!(
        matches!(&versions[2], Err(SourceError::AccessDenied { .. })),
        "{:?}",
        versions[2]
    );
    let emma_versions = emma.versions(&owners[..1], window()).await.unwrap();
    assert_eq!(
        emma_versions[0].as_ref().unwrap().items.len(),
        seen_by_emma.len(),
        "versions leave out what items leaves out"
    );

    // A share asked for on one of her meetings: category and pending share, no mail.
    let meeting = hers
        .iter()
        .find(|i| i.is_meeting() && !i.is_private)
        .unwrap();
    let v2 = daniel
        .write_marks(
            &meeting.key,
            &meeting.version,
            &Marks {
                categories: Some(vec!["CRM".to_string()]),
                pending: Some(Some(pending(DANIEL))),
                link: None,
            },
        )
        .await
        .unwrap();
    assert_ne!(v2, meeting.version);
    let seen_by_her = olivia.item(&meeting.key).await.unwrap().unwrap();
    assert_eq!(
        seen_by_her.version, v2,
        "one item, one version, in her mailbox"
    );
    assert_eq!(seen_by_her.categories, ["CRM"]);
    assert_eq!(
        seen_by_her
            .pending
            .as_ref()
            .map(|p| p.requested_by.as_str()),
        Some(DANIEL)
    );
    let her_changes = olivia.own_changes(window(), None).await.unwrap();
    assert!(her_changes
        .changed
        .iter()
        .any(|i| i.key.id == meeting.key.id && i.pending.is_some()));

    // Two writers on one version: the second is a conflict.
    let withdraw = Marks {
        pending: Some(None),
        ..Marks::default()
    };
    let share = Marks {
        link: Some(Some(link(&meeting.fields))),
        pending: Some(None),
        ..Marks::default()
    };
    let (a, b) = tokio::join!(
        daniel.write_marks(&meeting.key, &v2, &withdraw),
        olivia.write_marks(&meeting.key, &v2, &share),
    );
    let outcomes = [a.is_ok(), b.is_ok()];
    assert_eq!(outcomes.iter().filter(|ok| **ok).count(), 1, "{a:?} {b:?}");
    let lost = if a.is_err() { a } else { b };
    assert!(
        matches!(lost, Err(SourceError::Conflict { .. })),
        "{lost:?}"
    );

    // His own list is his to change; hers is not his to read.
    daniel.ensure_category("CRM").await.unwrap();
    assert_eq!(sb.faults().meeting_mail_sent(OLIVIA), 0);
    assert_eq!(sb.faults().meeting_mail_sent(DANIEL), 0);
}

#[tokio::test]
async fn a_delegate_marks_many_items_twenty_to_a_round_trip_and_a_stale_one_alone_fails() {
    let sb = Sandbox::start(SandboxOptions::default()).await.unwrap();
    let daniel = items_for(&sb, DANIEL).await;
    let visible = daniel.items(OLIVIA, window()).await.unwrap();
    // Marks send no meeting mail, so meetings are marked as well.
    let chosen: Vec<&ExItem> = visible.iter().take(25).collect();
    assert_eq!(
        chosen.len(),
        25,
        "the demo calendar has 25 items in the window"
    );
    let mut writes: Vec<MarkWrite> = chosen
        .iter()
        .map(|i| MarkWrite {
            key: i.key.clone(),
            version: i.version.clone(),
            marks: Marks {
                pending: Some(Some(pending(DANIEL))),
                ..Marks::default()
            },
        })
        .collect();
    writes[7].version = "stale".to_string();

    let before = sb.faults().requests_seen();
    let results = daniel.write_marks_many(&writes).await.unwrap();
    assert_eq!(sb.faults().requests_seen() - before, 2, "⌈25/20⌉ batches");

    assert_eq!(results.len(), 25);
    assert_eq!(sb.faults().meeting_mail_sent(OLIVIA), 0);
    for (n, (result, item)) in results.iter().zip(&chosen).enumerate() {
        match n {
            7 => assert!(
                matches!(result, Err(SourceError::Conflict { .. })),
                "{result:?}"
            ),
            _ => {
                let version = result.as_ref().unwrap();
                assert_ne!(version, &item.version, "the marks changed the version");
                let read = daniel.item(&item.key).await.unwrap().unwrap();
                assert_eq!(&read.version, version);
                assert_eq!(
                    read.pending.map(|p| p.requested_by).as_deref(),
                    Some(DANIEL)
                );
            }
        }
    }
}

#[tokio::test]
async fn a_quiet_poll_of_my_calendar_and_my_bosss_costs_one_round_trip() {
    let sb = Sandbox::start(SandboxOptions::default()).await.unwrap();
    let daniel = items_for(&sb, DANIEL).await;
    let first = daniel.own_changes(window(), None).await.unwrap();
    let owners = vec![OLIVIA.to_string()];
    let before_poll = daniel.versions(&owners, window()).await.unwrap();

    // Nothing new: one $batch holds the delta round and Olivia's versions.
    let before = sb.faults().requests_seen();
    let quiet = daniel
        .poll(Some(&first.cursor), &owners, window())
        .await
        .unwrap();
    assert_eq!(sb.faults().requests_seen() - before, 1, "one round trip");
    let own = quiet.own.unwrap().unwrap();
    assert!(own.changed.is_empty() && own.removed.is_empty());
    let olivias = quiet.owners[0].as_ref().unwrap();
    assert_eq!(
        olivias.fingerprint(),
        before_poll[0].as_ref().unwrap().fingerprint()
    );

    // A new item of his own and a mark on one of hers both show in the next poll.
    let made = daniel
        .create_item(&fields("Prep call", "notes"), false, &Marks::default())
        .await
        .unwrap();
    let hers = daniel.items(OLIVIA, window()).await.unwrap();
    let marked = &hers[0];
    daniel
        .write_marks(
            &marked.key,
            &marked.version,
            &Marks {
                pending: Some(Some(pending(DANIEL))),
                ..Marks::default()
            },
        )
        .await
        .unwrap();
    let next = daniel
        .poll(Some(&own.cursor), &owners, window())
        .await
        .unwrap();
    let own = next.own.unwrap().unwrap();
    assert_eq!(ids(&own.changed), BTreeSet::from([made.key.id.clone()]));
    assert_ne!(
        next.owners[0].as_ref().unwrap().fingerprint(),
        olivias.fingerprint(),
        "her calendar changed"
    );
}
