//! `GraphSource`, the engine's port, against in-test servers answering as Graph documents.

// Test servers and fixtures panic on purpose when a test is wrong.
#![allow(clippy::unwrap_used)]

mod common;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use axum::{Json, Router};
use common::{calendar_json, graph, graph_error, ok, serve, FakeTokens};
use onbehalf_engine::permission::GraphRole;
use onbehalf_engine::ports::{
    CalendarRef, CalendarSource, DetailProbe, EventSample, Grant, SourceError,
};
use onbehalf_engine::status_record::{PROPERTY_ID, PROPERTY_SET};
use onbehalf_graph::{source_error, AuthError, GraphError, GraphSource};
use serde_json::{json, Value};

const TENANT: &str = "b3e1f0a2-6c4d-4e8f-9a1b-2c3d4e5f6a7b";

async fn source(router: Router) -> GraphSource {
    let base = serve(move |_| router).await;
    GraphSource::new(graph(&base, FakeTokens::new("t")), TENANT.to_string())
}

#[tokio::test]
async fn me_takes_the_address_from_mail_or_upn_and_the_tenant_from_the_token() {
    let s = source(Router::new().route(
        "/v1.0/me",
        get(|| async {
            ok(json!({
                "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#users/$entity",
                "businessPhones": [], "displayName": "Daniel Reyes", "givenName": "Daniel",
                "jobTitle": "Executive Assistant", "mail": null, "mobilePhone": null,
                "officeLocation": null, "preferredLanguage": "en-US", "surname": "Reyes",
                "userPrincipalName": "daniel.reyes@contoso.com",
                "id": "0b6f2a4c-1111-4222-8333-444455556666"
            }))
        }),
    ))
    .await;
    let me = s.me().await.unwrap();
    assert_eq!(me.address, "daniel.reyes@contoso.com");
    assert_eq!(me.display_name, "Daniel Reyes");
    assert_eq!(me.tenant_id, TENANT);
}

#[tokio::test]
async fn my_calendars_come_from_every_page() {
    #[derive(Clone)]
    struct S(String);
    async fn list(State(s): State<S>, Query(q): Query<HashMap<String, String>>) -> Response {
        match q.get("$skiptoken") {
            None => ok(json!({
                "value": [{
                    "id": "AAMkOwn", "name": "Calendar", "color": "auto", "isDefaultCalendar": true,
                    "canShare": true, "canViewPrivateItems": true, "canEdit": true, "isRemovable": false,
                    "owner": {"name": "Daniel Reyes", "address": "daniel.reyes@contoso.com"}
                }],
                "@odata.nextLink": format!("{}/v1.0/me/calendars?$skiptoken=2", s.0)
            })),
            Some(_) => ok(
                json!({"value": [calendar_json("AAMkBoss", "Megan Bowen", "megan.bowen@contoso.com")]}),
            ),
        }
    }
    let base = serve(|base| {
        Router::new()
            .route("/v1.0/me/calendars", get(list))
            .with_state(S(base))
    })
    .await;
    let s = GraphSource::new(graph(&base, FakeTokens::new("t")), TENANT.into());
    let calendars = s.my_calendars().await.unwrap();
    assert_eq!(calendars.len(), 2);
    assert!(calendars[0].is_default_calendar && !calendars[0].is_removable);
    let boss = &calendars[1];
    assert_eq!(
        boss.owner.as_ref().map(|o| o.address.as_str()),
        Some("megan.bowen@contoso.com")
    );
    assert!(boss.can_edit && !boss.can_share && !boss.can_view_private_items);
}

#[tokio::test]
async fn the_probe_samples_what_the_user_is_shown() {
    #[derive(Clone, Default)]
    struct Seen(Arc<Mutex<Option<HashMap<String, String>>>>);
    async fn view(
        State(seen): State<Seen>,
        Path(owner): Path<String>,
        Query(q): Query<HashMap<String, String>>,
    ) -> Response {
        assert_eq!(owner, "megan.bowen@contoso.com");
        *seen.0.lock().unwrap() = Some(q);
        ok(json!({
            "value": [
                {"@odata.etag": "W/\"a\"", "id": "e1", "iCalUId": "040000008200E00074C5B7101A82E008", "subject": "Quarterly review", "sensitivity": "normal",
                 "body": {"contentType": "html", "content": "<html><body>Agenda</body></html>"},
                 "attendees": [{"type": "required", "status": {"response": "none", "time": "0001-01-01T00:00:00Z"},
                                "emailAddress": {"name": "Adele Vance", "address": "adele@contoso.com"}}]},
                {"id": "e2", "subject": "", "sensitivity": "private",
                 "body": {"contentType": "text", "content": ""}, "attendees": []},
                {"id": "e3", "subject": "Lunch", "sensitivity": "normal", "attendees": []}
            ]
        }))
    }
    let seen = Seen::default();
    let s = seen.clone();
    let src = source(
        Router::new()
            .route("/v1.0/users/{owner}/calendar/calendarView", get(view))
            .with_state(s),
    )
    .await;
    let probe = src
        .probe_details(&CalendarRef::OwnerDefault("megan.bowen@contoso.com".into()))
        .await
        .unwrap();
    assert_eq!(
        probe,
        DetailProbe::Samples(vec![
            EventSample {
                ical_uid: Some("040000008200E00074C5B7101A82E008".into()),
                has_subject: true,
                has_body: true,
                has_attendees: true,
                is_private: false
            },
            EventSample {
                ical_uid: None,
                has_subject: false,
                has_body: false,
                has_attendees: false,
                is_private: true
            },
            EventSample {
                ical_uid: None,
                has_subject: true,
                has_body: false,
                has_attendees: false,
                is_private: false
            },
        ])
    );
    let q = seen.0.lock().unwrap().clone().unwrap();
    assert_eq!(q.get("$top").map(String::as_str), Some("25"));
    assert_eq!(
        q.get("$select").map(String::as_str),
        Some("iCalUId,subject,body,attendees,sensitivity")
    );
    let start = chrono::DateTime::parse_from_rfc3339(&q["startDateTime"]).unwrap();
    let end = chrono::DateTime::parse_from_rfc3339(&q["endDateTime"]).unwrap();
    assert_eq!((end - start).num_days(), 28);
}

#[tokio::test]
async fn a_refused_probe_means_free_busy_only() {
    let src = source(Router::new().route(
        "/v1.0/me/calendars/{id}/calendarView",
        get(|| async {
            graph_error(
                StatusCode::FORBIDDEN,
                "ErrorAccessDenied",
                "Access is denied. Check credentials and try again.",
            )
        }),
    ))
    .await;
    let probe = src
        .probe_details(&CalendarRef::Mine("AAMk/shared==".into()))
        .await
        .unwrap();
    assert_eq!(probe, DetailProbe::Refused);
}

#[tokio::test]
async fn the_owner_status_record_is_read_with_expand() {
    #[derive(Clone, Default)]
    struct Seen(Arc<Mutex<Vec<String>>>);
    async fn calendar(
        State(seen): State<Seen>,
        Path(owner): Path<String>,
        Query(q): Query<HashMap<String, String>>,
    ) -> Response {
        seen.0
            .lock()
            .unwrap()
            .push(q.get("$expand").cloned().unwrap_or_default());
        let mut body = calendar_json("AAMkBoss", "Calendar", &owner);
        if owner.starts_with("megan") {
            // Graph gives the GUID back in lower case.
            body["singleValueExtendedProperties"] = json!([{
                "id": format!("String {} Name OnbehalfStatus", PROPERTY_SET.to_lowercase()),
                "value": "{\"v\":1}"
            }]);
        }
        ok(body)
    }
    let seen = Seen::default();
    let s = seen.clone();
    let src = source(
        Router::new()
            .route("/v1.0/users/{owner}/calendar", get(calendar))
            .with_state(s),
    )
    .await;
    assert_eq!(
        src.owner_status_record("megan.bowen@contoso.com")
            .await
            .unwrap()
            .as_deref(),
        Some("{\"v\":1}")
    );
    assert_eq!(
        src.owner_status_record("alex@contoso.com").await.unwrap(),
        None
    );
    assert_eq!(
        seen.0.lock().unwrap()[0],
        format!("singleValueExtendedProperties($filter=id eq '{PROPERTY_ID}')")
    );
}

#[tokio::test]
async fn publishing_patches_the_property_on_my_default_calendar() {
    #[derive(Clone, Default)]
    struct Seen(Arc<Mutex<Option<Value>>>);
    async fn patch(State(seen): State<Seen>, Json(body): Json<Value>) -> Response {
        *seen.0.lock().unwrap() = Some(body);
        ok(calendar_json(
            "AAMkOwn",
            "Calendar",
            "daniel.reyes@contoso.com",
        ))
    }
    let seen = Seen::default();
    let s = seen.clone();
    let src = source(
        Router::new()
            .route("/v1.0/me/calendar", axum::routing::patch(patch))
            .with_state(s),
    )
    .await;
    src.publish_status_record("{\"v\":1,\"sync_on\":false}")
        .await
        .unwrap();
    assert_eq!(
        seen.0.lock().unwrap().clone().unwrap(),
        json!({"singleValueExtendedProperties": [{"id": PROPERTY_ID, "value": "{\"v\":1,\"sync_on\":false}"}]})
    );
}

#[tokio::test]
async fn permissions_with_an_unknown_role_are_skipped() {
    let src = source(Router::new().route(
        "/v1.0/me/calendar/calendarPermissions",
        get(|| async {
            ok(json!({"value": [
                {"id": "RGVmYXVsdA==", "isRemovable": false, "isInsideOrganization": true, "role": "freeBusyRead",
                 "allowedRoles": ["none", "freeBusyRead", "limitedRead", "read"],
                 "emailAddress": {"name": "My Organization", "address": null}},
                {"id": "L289RXhjaGFuZ2VMYWJz", "isRemovable": true, "isInsideOrganization": true,
                 "role": "delegateWithPrivateEventAccess", "allowedRoles": ["freeBusyRead", "limitedRead", "read", "write",
                 "delegateWithoutPrivateEventAccess", "delegateWithPrivateEventAccess"],
                 "emailAddress": {"name": "Daniel Reyes", "address": "daniel.reyes@contoso.com"}},
                {"id": "x", "isRemovable": true, "isInsideOrganization": true, "role": "superEditor",
                 "emailAddress": {"name": "Future", "address": "future@contoso.com"}}
            ]}))
        }),
    ))
    .await;
    assert_eq!(
        src.my_calendar_permissions().await.unwrap(),
        vec![
            Grant {
                address: None,
                role: GraphRole::FreeBusyRead,
                is_inside_organization: true,
                send_on_behalf: false,
            },
            Grant {
                address: Some("daniel.reyes@contoso.com".into()),
                role: GraphRole::DelegateWithPrivateEventAccess,
                is_inside_organization: true,
                send_on_behalf: false,
            },
        ]
    );
}

#[tokio::test]
async fn graph_errors_map_to_what_the_engine_branches_on() {
    let src = source(Router::new().route(
        "/v1.0/users/{owner}/calendar",
        get(|Path(owner): Path<String>| async move {
            match owner.as_str() {
                "gone@contoso.com" => graph_error(
                    StatusCode::NOT_FOUND,
                    "ErrorItemNotFound",
                    "The specified object was not found in the store.",
                ),
                "private@contoso.com" => graph_error(
                    StatusCode::FORBIDDEN,
                    "ErrorAccessDenied",
                    "Access is denied.",
                ),
                "busy@contoso.com" => graph_error(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "ServiceUnavailable",
                    "Try later.",
                ),
                _ => graph_error(
                    StatusCode::UNAUTHORIZED,
                    "InvalidAuthenticationToken",
                    "Access token has expired.",
                ),
            }
        }),
    ))
    .await;
    assert_eq!(
        src.owner_calendar("gone@contoso.com").await.unwrap_err(),
        SourceError::NotFound {
            code: "ErrorItemNotFound".into()
        }
    );
    assert_eq!(
        src.owner_calendar("private@contoso.com").await.unwrap_err(),
        SourceError::AccessDenied {
            code: "ErrorAccessDenied".into()
        }
    );
    assert!(src
        .owner_calendar("busy@contoso.com")
        .await
        .unwrap_err()
        .is_retryable());
    assert_eq!(
        src.owner_calendar("expired@contoso.com").await.unwrap_err(),
        SourceError::SignInExpired
    );
}

fn api(status: u16, code: &str, retry_after: Option<std::time::Duration>) -> GraphError {
    GraphError::Api {
        operation: "read a calendar",
        status,
        code: code.into(),
        message: "m".into(),
        request_id: None,
        retry_after,
    }
}

fn auth(source: AuthError) -> GraphError {
    GraphError::Auth {
        operation: "read a calendar",
        source,
    }
}

#[test]
fn throttling_conflicts_and_sign_in_problems_each_keep_their_meaning() {
    let wait = std::time::Duration::from_secs(7);
    assert_eq!(
        source_error(api(429, "ApplicationThrottled", Some(wait))),
        SourceError::Throttled {
            retry_after: Some(wait),
            message: "ApplicationThrottled: m".into(),
        }
    );
    assert!(matches!(
        source_error(api(412, "ErrorIrresolvableConflict", None)),
        SourceError::Conflict { .. }
    ));
    assert!(matches!(
        source_error(api(409, "ErrorIrresolvableConflict", None)),
        SourceError::Conflict { .. }
    ));
    assert_eq!(
        source_error(auth(AuthError::SignInRequired {
            detail: "AADSTS700082".into()
        })),
        SourceError::SignInExpired
    );
    // Only a refused sign-in is "sign in again": configuration, local and network problems
    // say what they are.
    for (e, retryable) in [
        (
            AuthError::Network {
                step: "renew the sign-in",
                detail: "timed out".into(),
            },
            true,
        ),
        (
            AuthError::Config {
                detail: "no client id".into(),
            },
            false,
        ),
        (
            AuthError::Local {
                step: "prepare the HTTP client",
                detail: "no TLS".into(),
            },
            false,
        ),
        (
            AuthError::Server {
                step: "renew the sign-in",
                error: "invalid_client".into(),
                description: "AADSTS700016".into(),
            },
            false,
        ),
    ] {
        let mapped = source_error(auth(e.clone()));
        assert_ne!(mapped, SourceError::SignInExpired, "{e:?}");
        assert_eq!(mapped.is_retryable(), retryable, "{e:?}");
    }
    assert!(matches!(
        source_error(auth(AuthError::Config { detail: "x".into() })),
        SourceError::Other { ref code, .. } if code == onbehalf_graph::CONFIGURATION
    ));
}
