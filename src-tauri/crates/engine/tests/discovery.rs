//! Discovery over an in-memory Exchange: which calendars are found, and which permission each
//! one shows, published or inferred.

use std::collections::BTreeMap;

use chrono::{TimeZone, Utc};
use onbehalf_engine::actions::{Action, Applies};
use onbehalf_engine::discovery::{discover, DiscoveryError};
use onbehalf_engine::doctor::{doctor, CheckStatus, OwnPublication};
use onbehalf_engine::permission::GraphRole;
use onbehalf_engine::ports::{
    CalendarInfo, CalendarRef, CalendarSource, DetailProbe, EventSample, Grant, Me, Person,
    SourceError,
};
use onbehalf_engine::resolve::{infer, resolve, Observed, PublishedRole};
use onbehalf_engine::status_record::{Publication, StatusRecord};
use onbehalf_engine::view::{CalendarKind, PermissionSource};
use rstest::rstest;

#[derive(Default)]
struct Exchange {
    me: Option<Me>,
    calendars: Vec<CalendarInfo>,
    owner_calendars: BTreeMap<String, Result<CalendarInfo, SourceError>>,
    records: BTreeMap<String, String>,
    probes: BTreeMap<String, DetailProbe>,
}

impl CalendarSource for Exchange {
    async fn me(&self) -> Result<Me, SourceError> {
        self.me.clone().ok_or(SourceError::SignInExpired)
    }
    async fn my_calendars(&self) -> Result<Vec<CalendarInfo>, SourceError> {
        Ok(self.calendars.clone())
    }
    async fn owner_calendar(&self, owner: &str) -> Result<CalendarInfo, SourceError> {
        self.owner_calendars
            .get(owner)
            .cloned()
            .unwrap_or(Err(SourceError::NotFound {
                code: "ErrorItemNotFound".into(),
            }))
    }
    async fn owner_status_record(&self, owner: &str) -> Result<Option<String>, SourceError> {
        Ok(self.records.get(owner).cloned())
    }
    async fn probe_details(&self, calendar: &CalendarRef) -> Result<DetailProbe, SourceError> {
        let key = match calendar {
            CalendarRef::OwnerDefault(o) => o.clone(),
            CalendarRef::Mine(id) => id.clone(),
        };
        Ok(self.probes.get(&key).cloned().unwrap_or(full()))
    }
    async fn my_calendar_permissions(&self) -> Result<Vec<Grant>, SourceError> {
        Ok(Vec::new())
    }
    async fn publish_status_record(&self, _value: &str) -> Result<(), SourceError> {
        Ok(())
    }
}

fn full() -> DetailProbe {
    DetailProbe::Samples(vec![EventSample {
        has_subject: true,
        has_body: true,
        has_attendees: true,
        is_private: false,
    }])
}

fn titles() -> DetailProbe {
    DetailProbe::Samples(vec![EventSample {
        has_subject: true,
        has_body: false,
        has_attendees: false,
        is_private: false,
    }])
}

fn me() -> Me {
    Me {
        id: "d1".into(),
        display_name: "Daniel Reyes".into(),
        address: "daniel.reyes@contoso.com".into(),
        tenant_id: "tenant-1".into(),
    }
}

fn olivia() -> Person {
    Person {
        name: "Olivia Grant".into(),
        address: "olivia.grant@contoso.com".into(),
    }
}

fn cal(id: &str, name: &str, owner: Person, edit: bool, private: bool) -> CalendarInfo {
    CalendarInfo {
        id: id.into(),
        name: name.into(),
        owner: Some(owner),
        can_edit: edit,
        can_share: false,
        can_view_private_items: private,
        is_default_calendar: false,
        is_removable: true,
    }
}

fn own_calendar() -> CalendarInfo {
    CalendarInfo {
        is_default_calendar: true,
        can_share: true,
        is_removable: false,
        ..cal(
            "own-1",
            "Calendar",
            Person {
                name: "Daniel Reyes".into(),
                address: "daniel.reyes@contoso.com".into(),
            },
            true,
            true,
        )
    }
}

fn record_granting(role: GraphRole, tenant: &str) -> String {
    let grants = vec![Grant {
        address: Some("daniel.reyes@contoso.com".into()),
        role,
        is_inside_organization: true,
    }];
    StatusRecord::publish(
        &Publication {
            app_version: "0.1.0",
            sync_on: true,
            last_run: None,
            tenant_id: tenant,
            crm_org_id: None,
            crm_user_id: None,
            grants: &grants,
        },
        Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap(),
    )
    .to_value()
}

/// Daniel with Olivia's calendar in his list, as Exchange describes it, and her record if any.
fn olivia_shares(can_edit: bool, private: bool, record: Option<(GraphRole, &str)>) -> Exchange {
    Exchange {
        me: Some(me()),
        calendars: vec![cal(
            "local-olivia",
            "Olivia Grant",
            olivia(),
            can_edit,
            private,
        )],
        records: record
            .map(|(role, tenant)| {
                (
                    "olivia.grant@contoso.com".to_string(),
                    record_granting(role, tenant),
                )
            })
            .into_iter()
            .collect(),
        ..Default::default()
    }
}

#[tokio::test]
async fn own_calendar_first_then_the_delegated_one_with_the_published_role() {
    let ex = Exchange {
        me: Some(me()),
        calendars: vec![
            cal("local-olivia", "Olivia Grant", olivia(), true, true),
            own_calendar(),
        ],
        records: [(
            "olivia.grant@contoso.com".to_string(),
            record_granting(GraphRole::DelegateWithPrivateEventAccess, "tenant-1"),
        )]
        .into(),
        ..Default::default()
    };
    let d = discover(&ex, None, &[]).await.unwrap();
    assert_eq!(d.calendars.len(), 2);
    let own = &d.calendars[0];
    assert_eq!(own.kind, CalendarKind::Own);
    assert!(own.actions.values().all(|v| v.allowed));

    let boss = &d.calendars[1];
    assert_eq!(boss.kind, CalendarKind::OwnerPrimary);
    assert_eq!(boss.owner, "olivia.grant@contoso.com");
    assert_eq!(boss.permission.source, PermissionSource::Published);
    assert_eq!(boss.permission.graph, "delegateWithPrivateEventAccess");
    assert_eq!(boss.permission.owa, "Delegate (view private)");
    assert!(boss.can_view_private);
    assert!(boss.owner_onbehalf.as_ref().unwrap().same_tenant);
    assert!(boss.actions[&Action::ViewPrivate].allowed);
}

#[tokio::test]
async fn without_a_record_the_permission_is_inferred_and_says_so() {
    let ex = olivia_shares(false, false, None);
    let d = discover(&ex, None, &[]).await.unwrap();
    let boss = &d.calendars[0];
    assert_eq!(boss.permission.source, PermissionSource::Inferred);
    assert_eq!(boss.permission.outlook, "Reviewer");
    assert!(boss.permission.note.is_some());
    assert!(boss.owner_onbehalf.is_none());
    assert!(!boss.actions[&Action::ShareToCrm].allowed);
}

#[tokio::test]
async fn a_stale_record_yields_to_what_exchange_allows_today() {
    // Olivia's record still says delegate, but Exchange now shows a read-only calendar.
    let ex = olivia_shares(
        false,
        false,
        Some((GraphRole::DelegateWithPrivateEventAccess, "tenant-1")),
    );
    let d = discover(&ex, None, &[]).await.unwrap();
    let boss = &d.calendars[0];
    assert_eq!(boss.permission.source, PermissionSource::Inferred);
    assert_eq!(boss.permission.graph, "read");
    assert!(boss.permission.note.as_deref().unwrap().contains("changed"));
}

#[tokio::test]
async fn a_custom_role_is_treated_as_author_and_explained() {
    let ex = olivia_shares(true, false, Some((GraphRole::Custom, "tenant-1")));
    let d = discover(&ex, None, &[]).await.unwrap();
    let boss = &d.calendars[0];
    assert_eq!(boss.permission.source, PermissionSource::Published);
    assert_eq!(boss.permission.graph, "custom");
    assert!(boss.permission.outlook.contains("Author"));
    assert_eq!(
        boss.actions[&Action::ShareToCrm].applies,
        Some(Applies::OwnItems)
    );
}

#[tokio::test]
async fn a_shared_secondary_calendar_is_not_covered_by_the_owners_record() {
    let carla = Person {
        name: "Carla Mendes".into(),
        address: "carla.mendes@contoso.com".into(),
    };
    let ex = Exchange {
        me: Some(me()),
        calendars: vec![cal("local-visits", "Customer Visits", carla, false, false)],
        ..Default::default()
    };
    let d = discover(&ex, None, &[]).await.unwrap();
    assert_eq!(d.calendars[0].kind, CalendarKind::SharedSecondary);
    assert_eq!(d.calendars[0].name, "Customer Visits");
    assert_eq!(d.calendars[0].permission.outlook, "Reviewer");
}

#[tokio::test]
async fn owners_added_by_address_are_probed_and_unreachable_ones_explained() {
    let felix_cal = CalendarInfo {
        owner: Some(Person {
            name: "Olivia Grant".into(),
            address: "olivia.grant@contoso.com".into(),
        }),
        ..cal("olivia-default", "Calendar", olivia(), false, false)
    };
    let ex = Exchange {
        me: Some(me()),
        owner_calendars: [("olivia.grant@contoso.com".to_string(), Ok(felix_cal))].into(),
        probes: [("olivia.grant@contoso.com".to_string(), DetailProbe::Refused)].into(),
        ..Default::default()
    };
    let added = vec![
        "Olivia.Grant@contoso.com ".to_string(),
        "nobody@contoso.com".to_string(),
    ];
    let d = discover(&ex, None, &added).await.unwrap();
    assert_eq!(d.calendars.len(), 2);
    let nobody = d
        .calendars
        .iter()
        .find(|c| c.owner == "nobody@contoso.com")
        .unwrap();
    assert!(nobody
        .problem
        .as_deref()
        .unwrap()
        .contains("has not shared"));
    assert!(!nobody.actions[&Action::View].allowed);
    let olivia = d
        .calendars
        .iter()
        .find(|c| c.owner == "olivia.grant@contoso.com")
        .unwrap();
    assert_eq!(olivia.kind, CalendarKind::AddedByAddress);
    assert_eq!(olivia.permission.graph, "freeBusyRead");
    assert_eq!(
        olivia.actions[&Action::SendSlots].applies,
        Some(Applies::FreeBusyOnly)
    );
}

#[tokio::test]
async fn an_expired_sign_in_stops_discovery_with_a_clear_error() {
    let ex = Exchange::default();
    let err = discover(&ex, None, &[]).await.unwrap_err();
    assert!(matches!(
        err,
        DiscoveryError::Me(SourceError::SignInExpired)
    ));
}

#[tokio::test]
async fn discovery_is_deterministic() {
    let ex = Exchange {
        me: Some(me()),
        calendars: vec![
            cal(
                "b",
                "Zed Owner",
                Person {
                    name: "Zed Owner".into(),
                    address: "zed@contoso.com".into(),
                },
                false,
                false,
            ),
            cal("a", "Olivia Grant", olivia(), true, false),
            own_calendar(),
        ],
        ..Default::default()
    };
    let one = discover(&ex, None, &[]).await.unwrap();
    let two = discover(&ex, None, &[]).await.unwrap();
    assert_eq!(one, two);
    let owners: Vec<_> = one
        .calendars
        .iter()
        .map(|c| c.owner_name.as_str())
        .collect();
    assert_eq!(owners, ["Daniel Reyes", "Olivia Grant", "Zed Owner"]);
}

#[rstest]
#[case(true, true, full(), "delegateWithPrivateEventAccess")]
#[case(false, true, full(), "write")]
#[case(false, false, full(), "read")]
#[case(false, false, titles(), "limitedRead")]
#[case(false, false, DetailProbe::Refused, "freeBusyRead")]
#[case(false, false, DetailProbe::Samples(vec![]), "limitedRead")]
fn inference_from_what_exchange_shows(
    #[case] private: bool,
    #[case] edit: bool,
    #[case] detail: DetailProbe,
    #[case] graph: &str,
) {
    let o = Observed {
        can_edit: edit,
        can_view_private: private,
        detail,
    };
    let p = infer(&o);
    assert_eq!(p.graph, graph);
    assert_eq!(p.source, PermissionSource::Inferred);
}

#[rstest]
#[case(GraphRole::Read, false, false, full(), PermissionSource::Published)]
#[case(
    GraphRole::LimitedRead,
    false,
    false,
    titles(),
    PermissionSource::Published
)]
#[case(
    GraphRole::FreeBusyRead,
    false,
    false,
    DetailProbe::Refused,
    PermissionSource::Published
)]
#[case(GraphRole::Write, true, false, full(), PermissionSource::Published)]
#[case(
    GraphRole::DelegateWithoutPrivateEventAccess,
    true,
    false,
    full(),
    PermissionSource::Published
)]
#[case(
    GraphRole::Read,
    false,
    false,
    DetailProbe::Refused,
    PermissionSource::Inferred
)]
#[case(
    GraphRole::LimitedRead,
    false,
    false,
    full(),
    PermissionSource::Inferred
)]
#[case(GraphRole::Write, false, false, full(), PermissionSource::Inferred)]
fn a_published_role_is_used_only_while_exchange_agrees(
    #[case] role: GraphRole,
    #[case] edit: bool,
    #[case] private: bool,
    #[case] detail: DetailProbe,
    #[case] source: PermissionSource,
) {
    let published = PublishedRole {
        role,
        published_at: Utc::now(),
    };
    let o = Observed {
        can_edit: edit,
        can_view_private: private,
        detail,
    };
    assert_eq!(resolve(Some(published), &o).source, source);
}

#[tokio::test]
async fn doctor_says_what_to_change_and_who_can_change_it() {
    let ex = Exchange {
        me: Some(me()),
        calendars: vec![
            own_calendar(),
            cal("local-olivia", "Olivia Grant", olivia(), false, false),
        ],
        ..Default::default()
    };
    let d = discover(&ex, None, &[]).await.unwrap();
    let report = doctor(&d.calendars, &OwnPublication::Published);
    assert!(report.has_failures());
    let runs = report
        .checks
        .iter()
        .find(|c| c.id == "owner_runs_onbehalf")
        .unwrap();
    assert_eq!(runs.status, CheckStatus::Fail);
    assert_eq!(runs.who_can_fix.as_deref(), Some("Olivia Grant"));
    let perm = report
        .checks
        .iter()
        .find(|c| c.id == "permission_enough")
        .unwrap();
    assert_eq!(perm.status, CheckStatus::Fail);
    assert!(perm.fix.as_deref().unwrap().contains("Editor"));
    let own = report
        .checks
        .iter()
        .find(|c| c.id == "own_status_published")
        .unwrap();
    assert_eq!(own.status, CheckStatus::Pass);
}

#[tokio::test]
async fn doctor_flags_a_different_tenant() {
    let ex = olivia_shares(true, false, Some((GraphRole::Write, "another-tenant")));
    let d = discover(&ex, None, &[]).await.unwrap();
    let report = doctor(&d.calendars, &OwnPublication::Published);
    let tenant = report
        .checks
        .iter()
        .find(|c| c.id == "same_tenant")
        .unwrap();
    assert_eq!(tenant.status, CheckStatus::Fail);
    assert!(tenant.who_can_fix.is_some());
    let perm = report
        .checks
        .iter()
        .find(|c| c.id == "permission_enough")
        .unwrap();
    assert_eq!(perm.status, CheckStatus::Pass);
}
