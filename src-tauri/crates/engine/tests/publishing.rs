//! Publishing the user's own status record: grants sealed to each grantee's key, and nothing
//! written when nothing changed.

mod common;

use std::collections::BTreeMap;

use common::*;
use onbehalf_engine::permission::GraphRole;
use onbehalf_engine::ports::Grant;
use onbehalf_engine::publish::{publish_status, LastPublication, PublishInput, SyncState};
use onbehalf_engine::status_record::{Publication, RecordKeys, StatusRecord};

const EMMA: &str = "emma.chen@contoso.com";

/// Olivia signed in; Daniel and Emma hold grants; Daniel's Onbehalf published his key.
fn olivias_exchange(daniel: &RecordKeys) -> Exchange {
    let daniel_record = StatusRecord::publish(
        &Publication {
            app_version: "0.1.0",
            sync_on: false,
            last_run: None,
            tenant_id: TENANT,
            crm_org_id: None,
            crm_user_id: None,
            grants: &[],
            grantee_keys: &BTreeMap::new(),
        },
        daniel,
        at(20),
    );
    Exchange {
        me: Some(onbehalf_engine::ports::Me {
            id: "o1".into(),
            display_name: "Olivia Grant".into(),
            address: OLIVIA.into(),
            tenant_id: TENANT.into(),
        }),
        permissions: vec![
            Grant {
                address: None,
                role: GraphRole::FreeBusyRead,
                is_inside_organization: true,
                send_on_behalf: false,
            },
            Grant {
                address: Some(DANIEL.into()),
                role: GraphRole::DelegateWithPrivateEventAccess,
                is_inside_organization: true,
                send_on_behalf: false,
            },
            Grant {
                address: Some(EMMA.into()),
                role: GraphRole::Write,
                is_inside_organization: true,
                send_on_behalf: false,
            },
        ],
        records: [(DANIEL.to_string(), Ok(Some(daniel_record.to_value())))].into(),
        ..Default::default()
    }
}

fn input<'a>(
    ex: &'a Exchange,
    keys: &'a RecordKeys,
    last: Option<&'a LastPublication>,
    day: u32,
) -> PublishInput<'a> {
    PublishInput {
        me: ex.me.as_ref().expect("Olivia is signed in"),
        app_version: "0.1.0",
        sync: SyncState {
            on: true,
            last_run: None,
        },
        keys,
        last,
        crm: None,
        now: at(day),
    }
}

#[tokio::test]
async fn each_grant_is_sealed_to_its_grantee_and_a_grantee_without_a_key_is_named() {
    let daniel = RecordKeys::generate();
    let olivia = RecordKeys::generate();
    let ex = olivias_exchange(&daniel);
    let out = publish_status(&ex, &input(&ex, &olivia, None, 23))
        .await
        .unwrap();
    assert!(out.written);
    assert_eq!(out.without_key, vec![EMMA.to_string()]);
    let on_calendar = StatusRecord::parse(ex.published.lock().unwrap().last().unwrap()).unwrap();
    let opened = on_calendar.open_grant(DANIEL, &daniel).unwrap();
    assert_eq!(opened.role, GraphRole::DelegateWithPrivateEventAccess);
    assert!(
        opened.send_on_behalf,
        "a delegate role brings Send on Behalf"
    );
    assert_eq!(on_calendar.organization_role, Some(GraphRole::FreeBusyRead));
    let value = ex.published.lock().unwrap().last().unwrap().clone();
    assert!(
        !value.contains("daniel") && !value.contains("emma"),
        "{value}"
    );
}

#[tokio::test]
async fn publishing_again_with_nothing_changed_writes_nothing() {
    let daniel = RecordKeys::generate();
    let olivia = RecordKeys::generate();
    let ex = olivias_exchange(&daniel);
    let first = publish_status(&ex, &input(&ex, &olivia, None, 23))
        .await
        .unwrap();
    let last = LastPublication {
        fingerprint: first.fingerprint.clone(),
        published_at: first.record.published_at,
    };
    let second = publish_status(&ex, &input(&ex, &olivia, Some(&last), 24))
        .await
        .unwrap();
    assert!(!second.written);
    assert_eq!(ex.published.lock().unwrap().len(), 1, "one write in all");
    assert_eq!(second.record.published_at, at(23));
}

#[tokio::test]
async fn a_changed_grant_or_a_record_removed_from_the_calendar_is_published_again() {
    let daniel = RecordKeys::generate();
    let olivia = RecordKeys::generate();
    let mut ex = olivias_exchange(&daniel);
    let first = publish_status(&ex, &input(&ex, &olivia, None, 23))
        .await
        .unwrap();
    let last = LastPublication {
        fingerprint: first.fingerprint.clone(),
        published_at: first.record.published_at,
    };
    ex.permissions[2].role = GraphRole::Read;
    let changed = publish_status(&ex, &input(&ex, &olivia, Some(&last), 24))
        .await
        .unwrap();
    assert!(changed.written);

    let last = LastPublication {
        fingerprint: changed.fingerprint.clone(),
        published_at: changed.record.published_at,
    };
    ex.published.lock().unwrap().clear();
    let restored = publish_status(&ex, &input(&ex, &olivia, Some(&last), 25))
        .await
        .unwrap();
    assert!(
        restored.written,
        "a record missing from the calendar is written again"
    );
}
