//! The executive's simulated Onbehalf publishes her status record again as soon as a grantee
//! publishes their key or her grants change, sealing each grant to its grantee alone.

mod common;

use std::collections::BTreeMap;

use common::*;
use onbehalf_engine::permission::GraphRole;
use onbehalf_engine::status_record::{Publication, RecordKeys, StatusRecord, PROPERTY_ID};
use onbehalf_sandbox::{Sandbox, TENANT_ID};
use reqwest::{Method, StatusCode};
use serde_json::json;

/// Publish `token`'s user's own record, carrying their public key, on their calendar.
async fn publish_own_record(sb: &Sandbox, token: &str, keys: &RecordKeys) {
    let record = StatusRecord::publish(
        &Publication {
            app_version: "1.0.0",
            sync_on: true,
            last_run: None,
            tenant_id: TENANT_ID,
            crm_org_id: None,
            crm_user_id: None,
            grants: &[],
            grantee_keys: &BTreeMap::new(),
        },
        keys,
        chrono::Utc::now(),
    );
    let (status, body) = call(
        sb,
        token,
        Method::PATCH,
        "/me/calendar",
        Some(json!({"singleValueExtendedProperties": [
            {"id": PROPERTY_ID, "value": record.to_value()}
        ]})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

/// Olivia's record as `token`'s user reads it.
async fn olivias_record(sb: &Sandbox, token: &str) -> StatusRecord {
    let (status, cal) = get(
        sb,
        token,
        &format!(
            "/users/{OLIVIA}/calendar?$expand=singleValueExtendedProperties($filter=id eq '{PROPERTY_ID}')"
        ),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{cal}");
    let value = cal["singleValueExtendedProperties"][0]["value"]
        .as_str()
        .expect("Olivia's calendar carries her record");
    StatusRecord::parse(value).expect("her record parses")
}

#[tokio::test]
async fn a_grantee_who_publishes_a_key_opens_exactly_their_role_and_a_colleague_nothing() {
    let sb = start().await;
    let emma = token_for(&sb, EMMA).await;
    let carla = token_for(&sb, CARLA).await;
    let emma_keys = RecordKeys::generate();
    let carla_keys = RecordKeys::generate();

    let before = olivias_record(&sb, &emma).await;
    assert_eq!(
        before.open_grant(EMMA, &emma_keys),
        None,
        "no key published yet"
    );

    publish_own_record(&sb, &emma, &emma_keys).await;
    publish_own_record(&sb, &carla, &carla_keys).await;
    let after = olivias_record(&sb, &emma).await;
    assert!(after.sync_on);
    assert!(after.last_run.is_some_and(|t| t >= before.published_at));
    let opened = after.open_grant(EMMA, &emma_keys).unwrap();
    assert_eq!(opened.role, GraphRole::Write);
    assert!(!opened.send_on_behalf);

    let seen_by_carla = olivias_record(&sb, &carla).await;
    assert_eq!(seen_by_carla.open_grant(CARLA, &carla_keys), None);
    assert_eq!(seen_by_carla.open_grant(EMMA, &carla_keys), None);
    sb.shutdown().await;
}

#[tokio::test]
async fn a_changed_grant_is_published_at_once() {
    let sb = start().await;
    let daniel = token_for(&sb, DANIEL).await;
    let olivia = token_for(&sb, OLIVIA).await;
    let keys = RecordKeys::generate();
    publish_own_record(&sb, &daniel, &keys).await;
    let opened = olivias_record(&sb, &daniel)
        .await
        .open_grant(DANIEL, &keys)
        .unwrap();
    assert_eq!(opened.role, GraphRole::DelegateWithPrivateEventAccess);
    assert!(opened.send_on_behalf);

    let id = permission_id(&sb, &olivia, Some(DANIEL)).await;
    let (status, _) = call(
        &sb,
        &olivia,
        Method::PATCH,
        &format!("/me/calendar/calendarPermissions/{id}"),
        Some(json!({"role": "read"})),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let opened = olivias_record(&sb, &daniel)
        .await
        .open_grant(DANIEL, &keys)
        .unwrap();
    assert_eq!(opened.role, GraphRole::Read);
    assert!(opened.send_on_behalf, "still on her Send on Behalf list");
    sb.shutdown().await;
}

#[tokio::test]
async fn once_her_own_onbehalf_publishes_the_simulation_retires_and_her_record_stands() {
    let sb = start().await;
    let olivia = token_for(&sb, OLIVIA).await;
    let emma = token_for(&sb, EMMA).await;
    let hers = RecordKeys::generate();
    let record = StatusRecord::publish(
        &Publication {
            app_version: "1.0.0",
            sync_on: false,
            last_run: None,
            tenant_id: TENANT_ID,
            crm_org_id: None,
            crm_user_id: None,
            grants: &[],
            grantee_keys: &BTreeMap::new(),
        },
        &hers,
        chrono::Utc::now(),
    );
    let (status, body) = call(
        &sb,
        &olivia,
        Method::PATCH,
        "/me/calendar",
        Some(json!({"singleValueExtendedProperties": [
            {"id": PROPERTY_ID, "value": record.to_value()}
        ]})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");

    // A grantee publishing their key no longer makes a simulated Onbehalf speak for her.
    publish_own_record(&sb, &emma, &RecordKeys::generate()).await;
    let seen = olivias_record(&sb, &emma).await;
    assert!(!seen.sync_on, "her own record, with sync off, stands");
    assert_eq!(seen.public_key(), Some(hers.public_base64().as_str()));
}
