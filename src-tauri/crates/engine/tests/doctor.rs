//! The doctor: each failed check says what to change and who can change it; what could not be
//! checked is "unknown", never a failure.

mod common;

use common::*;
use onbehalf_engine::doctor::{doctor, Check, CheckStatus, DoctorReport, OwnPublication};
use onbehalf_engine::permission::GraphRole;

fn published() -> OwnPublication {
    OwnPublication::Published {
        without_key: Vec::new(),
    }
}

fn find<'a>(report: &'a DoctorReport, id: &str) -> &'a Check {
    report
        .checks
        .iter()
        .find(|c| c.id == id)
        .unwrap_or_else(|| panic!("no {id} check in {:?}", report.checks))
}

#[tokio::test]
async fn doctor_says_what_to_change_and_who_can_change_it() {
    let people = People::new();
    let mut ex = olivia_shares(false, false, None);
    ex.calendars.push(own_calendar());
    let d = discover_as_daniel(&ex, &people, &[], &[], at(24)).await;
    let report = doctor(&d.calendars, &published());
    assert!(report.has_failures());
    let runs = find(&report, "owner_runs_onbehalf");
    assert_eq!(runs.status, CheckStatus::Fail);
    assert_eq!(runs.who_can_fix.as_deref(), Some("Olivia Grant"));
    let perm = find(&report, "permission_enough");
    assert_eq!(perm.status, CheckStatus::Fail);
    assert!(perm.fix.as_deref().unwrap().contains("Editor"));
    assert_eq!(
        find(&report, "own_status_published").status,
        CheckStatus::Pass
    );
}

#[tokio::test]
async fn doctor_flags_a_different_tenant() {
    let people = People::new();
    let ex = olivia_shares(
        true,
        false,
        Some(people.record_granting(GraphRole::DelegateWithoutPrivateEventAccess, true, "other")),
    );
    let d = discover_as_daniel(&ex, &people, &[], &[], at(24)).await;
    let report = doctor(&d.calendars, &published());
    let tenant = find(&report, "same_tenant");
    assert_eq!(tenant.status, CheckStatus::Fail);
    assert!(tenant.who_can_fix.is_some());
    assert_eq!(find(&report, "permission_enough").status, CheckStatus::Pass);
}

#[tokio::test]
async fn a_plain_editor_is_warned_that_invitations_go_to_delegates_only() {
    let people = People::new();
    let ex = olivia_shares(
        true,
        false,
        Some(people.record_granting(GraphRole::Write, false, TENANT)),
    );
    let d = discover_as_daniel(&ex, &people, &[], &[], at(24)).await;
    let report = doctor(&d.calendars, &published());
    let perm = find(&report, "permission_enough");
    assert_eq!(perm.status, CheckStatus::Warn);
    assert!(perm.detail.contains("delegates only"), "{}", perm.detail);
    assert!(!report.has_failures());
}

#[tokio::test]
async fn the_owners_sync_being_off_fails_the_check_for_sharing() {
    let people = People::new();
    let record = people.record(
        &[onbehalf_engine::ports::Grant {
            address: Some(DANIEL.into()),
            role: GraphRole::DelegateWithPrivateEventAccess,
            is_inside_organization: true,
            send_on_behalf: true,
        }],
        false,
        TENANT,
    );
    let ex = olivia_shares(true, true, Some(record));
    let d = discover_as_daniel(&ex, &people, &[], &[], at(24)).await;
    let report = doctor(&d.calendars, &published());
    let sync = find(&report, "owner_sync_on");
    assert_eq!(sync.status, CheckStatus::Fail);
    assert!(
        sync.detail.contains("does not have sync turned on"),
        "{}",
        sync.detail
    );
    assert_eq!(sync.who_can_fix.as_deref(), Some("Olivia Grant"));
}

#[tokio::test]
async fn a_check_that_failed_for_a_network_reason_is_unknown_not_failed() {
    let people = People::new();
    let mut ex = olivia_shares(true, false, None);
    ex.records.insert(OLIVIA.into(), Err(transient()));
    ex.probes.insert("local-olivia".into(), Err(transient()));
    let d = discover_as_daniel(&ex, &people, &[], &[], at(24)).await;
    let report = doctor(
        &d.calendars,
        &OwnPublication::Failed {
            reason: "timed out".into(),
            retryable: true,
        },
    );
    assert_eq!(
        find(&report, "owner_runs_onbehalf").status,
        CheckStatus::Unknown
    );
    assert_eq!(
        find(&report, "permission_enough").status,
        CheckStatus::Unknown
    );
    assert_eq!(
        find(&report, "own_status_published").status,
        CheckStatus::Unknown
    );
    assert!(!report.has_failures(), "{:?}", report.checks);
}

#[tokio::test]
async fn a_newer_record_is_reported_as_such() {
    let people = People::new();
    let ex = olivia_shares(true, false, Some(r#"{"v":9}"#.into()));
    let d = discover_as_daniel(&ex, &people, &[], &[], at(24)).await;
    let report = doctor(&d.calendars, &published());
    let runs = find(&report, "owner_runs_onbehalf");
    assert_eq!(runs.status, CheckStatus::Warn);
    assert!(runs.detail.contains("newer Onbehalf"), "{}", runs.detail);
    assert!(runs.fix.as_deref().unwrap().contains("Update"));
}

#[test]
fn grantees_whose_key_is_missing_are_named_to_the_owner() {
    let report = doctor(
        &[],
        &OwnPublication::Published {
            without_key: vec!["aaron.patel@contoso.com".into()],
        },
    );
    let keys = find(&report, "grantee_keys");
    assert_eq!(keys.status, CheckStatus::Warn);
    assert!(keys.detail.contains("aaron.patel@contoso.com"));
}
