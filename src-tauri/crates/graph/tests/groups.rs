//! The signed-in user's groups (`GraphSource::my_groups`): the request as
//! user-list-transitivememberof documents it, read from the page's example answer, and against
//! the sandbox's directory (Daniel Reyes in Executive Assistants and, through it, All Staff;
//! Carla Mendes in Sales and All Staff), page by page, with names only where the sign-in may
//! read groups, and refused as Graph refuses a token without `User.Read`.

// Test servers and sign-ins panic on purpose when a test is wrong.
#![allow(clippy::unwrap_used)]

mod common;

use std::sync::{Arc, Mutex};

use axum::extract::Request;
use axum::response::Response;
use axum::Router;
use common::sandbox_signin::{sandbox_endpoints, signed_in};
use common::{graph, ok, serve, FakeTokens};
use onbehalf_engine::ports::{CalendarSource, Group, SourceError};
use onbehalf_graph::{Endpoints, GraphSource, Mailbox};
use onbehalf_sandbox::{demo_org, Sandbox, SandboxOptions};
use serde_json::json;
use url::Url;

const DANIEL: &str = "daniel.reyes@contoso.com";
const CARLA: &str = "carla.mendes@contoso.com";
/// The permission that reads the groups' names (an administrator consents to it).
const GROUP_MEMBER_READ_ALL: &str = "GroupMember.Read.All";

fn endpoints(sb: &Sandbox) -> Endpoints {
    sandbox_endpoints(sb)
}

/// Onbehalf's own scopes, and (`read_groups`) the permission that reads groups besides.
fn scopes(sb: &Sandbox, read_groups: bool) -> Vec<String> {
    let e = endpoints(sb);
    let mut scopes = e.scopes();
    if read_groups {
        scopes.push(format!("{}{GROUP_MEMBER_READ_ALL}", e.graph_resource()));
    }
    scopes
}

async fn source(sb: &Sandbox, user: &str, scopes: &[String]) -> GraphSource {
    GraphSource::new(signed_in(sb, user, scopes).await, "tenant".into())
}

/// A request's URI and its `ConsistencyLevel` header.
type Asked = (String, Option<String>);

fn demo_group(name: &str) -> Group {
    demo_org()
        .groups
        .into_iter()
        .find(|g| g.display_name == name)
        .map(|g| Group {
            id: g.id,
            display_name: g.display_name,
            mail: g.mail,
        })
        .unwrap()
}

#[tokio::test]
async fn the_request_is_the_documented_advanced_query_and_every_page_is_read() {
    let seen: Arc<Mutex<Vec<Asked>>> = Arc::default();
    let log = seen.clone();
    let base = serve(move |base| {
        Router::new().fallback(move |req: Request| {
            let log = log.clone();
            let base = base.clone();
            async move {
                let uri = req.uri().to_string();
                let consistency = req
                    .headers()
                    .get("ConsistencyLevel")
                    .and_then(|v| v.to_str().ok())
                    .map(str::to_string);
                let n = {
                    let mut all = log.lock().unwrap();
                    all.push((uri, consistency));
                    all.len()
                };
                let answer: Response = if n == 1 {
                    // user-list-transitivememberof, Example 5 (with an id and a next page).
                    ok(json!({
                        "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#groups",
                        "@odata.count": 2,
                        "@odata.nextLink": format!("{base}/v1.0/me/transitiveMemberOf/microsoft.graph.group?$count=true&$select=id,displayName,mail&$top=999&$skiptoken=X%274453707402000100000017"),
                        "value": [{
                            "id": "11111111-2222-3333-4444-555555555555",
                            "displayName": "AAD Contoso Users",
                            "mail": "AADContoso_Users@contoso.com",
                            "mailEnabled": true,
                            "mailNickname": "AADContoso_Users",
                            "securityEnabled": true
                        }]
                    }))
                } else {
                    // What a sign-in that may not read groups is shown: the id alone.
                    ok(json!({
                        "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#groups",
                        "value": [
                            {"id": "66666666-7777-8888-9999-000000000000",
                             "displayName": null, "mail": null},
                            {"id": "11111111-2222-3333-4444-555555555555",
                             "displayName": "AAD Contoso Users", "mail": null}
                        ]
                    }))
                };
                answer
            }
        })
    })
    .await;
    let source = GraphSource::new(graph(&base, FakeTokens::new("t")), "tenant".into());
    let groups = source.my_groups().await.unwrap();
    assert_eq!(
        groups,
        [
            Group {
                id: "11111111-2222-3333-4444-555555555555".into(),
                display_name: "AAD Contoso Users".into(),
                mail: Some("AADContoso_Users@contoso.com".into()),
            },
            Group {
                id: "66666666-7777-8888-9999-000000000000".into(),
                display_name: String::new(),
                mail: None,
            },
        ],
        "each group once, a withheld name empty"
    );
    let seen = seen.lock().unwrap();
    assert_eq!(seen.len(), 2);
    let first = Url::parse(&format!("http://x{}", seen[0].0)).unwrap();
    assert_eq!(
        first.path(),
        "/v1.0/me/transitiveMemberOf/microsoft.graph.group"
    );
    let query: Vec<(String, String)> = first.query_pairs().into_owned().collect();
    for (k, v) in [
        ("$select", "id,displayName,mail"),
        ("$count", "true"),
        ("$top", "999"),
    ] {
        assert!(
            query.contains(&(k.to_string(), v.to_string())),
            "{k}={v} in {query:?}"
        );
    }
    assert!(seen[1].0.contains("$skiptoken="), "the next link as given");
    for (uri, consistency) in seen.iter() {
        assert_eq!(consistency.as_deref(), Some("eventual"), "{uri}");
    }
}

#[tokio::test]
async fn daniel_and_carla_are_in_their_groups_and_through_nesting_in_all_staff() {
    let sb = Sandbox::start(SandboxOptions::default()).await.unwrap();
    let daniel = source(&sb, DANIEL, &scopes(&sb, true)).await;
    let groups = daniel.my_groups().await.unwrap();
    assert_eq!(
        groups,
        [demo_group("Executive Assistants"), demo_group("All Staff")]
    );
    assert_eq!(
        groups[0].mail.as_deref(),
        Some("executive-assistants@contoso.com")
    );
    assert_eq!(groups[1].mail, None, "All Staff is not mail-enabled");

    let carla = source(&sb, CARLA, &scopes(&sb, true)).await;
    assert_eq!(
        carla.my_groups().await.unwrap(),
        [demo_group("Sales"), demo_group("All Staff")]
    );
    sb.shutdown().await;
}

#[tokio::test]
async fn small_pages_are_followed_with_the_consistency_header_to_the_end() {
    let sb = Sandbox::start(SandboxOptions::default()).await.unwrap();
    let client = signed_in(&sb, DANIEL, &scopes(&sb, true)).await;
    let mut pager = client.memberships(Mailbox::Me).transitive_groups(1);
    let first = pager.next_page().await.unwrap().unwrap();
    assert_eq!(first.value.len(), 1);
    assert!(first.next_link.is_some());
    let second = pager.next_page().await.unwrap().unwrap();
    assert_eq!(second.value.len(), 1);
    assert!(second.next_link.is_none());
    assert!(pager.next_page().await.unwrap().is_none());
    let names: Vec<_> = first
        .value
        .iter()
        .chain(&second.value)
        .map(|g| g.display_name.clone().unwrap_or_default())
        .collect();
    assert_eq!(names, ["Executive Assistants", "All Staff"]);

    let direct = client
        .memberships(Mailbox::User(CARLA.into()))
        .direct_groups(1)
        .all()
        .await
        .unwrap();
    let names: Vec<_> = direct.into_iter().filter_map(|g| g.display_name).collect();
    assert_eq!(names, ["Sales"], "GroupMember.Read.All reads another's too");
    sb.shutdown().await;
}

#[tokio::test]
async fn onbehalfs_own_scopes_list_groups_by_id_and_without_user_read_graph_refuses() {
    let sb = Sandbox::start(SandboxOptions::default()).await.unwrap();
    let daniel = source(&sb, DANIEL, &scopes(&sb, false)).await;
    let groups = daniel.my_groups().await.unwrap();
    let ids: Vec<&str> = groups.iter().map(|g| g.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            demo_group("Executive Assistants").id,
            demo_group("All Staff").id
        ]
    );
    assert!(groups
        .iter()
        .all(|g| g.display_name.is_empty() && g.mail.is_none()));

    let resource = endpoints(&sb).graph_resource();
    let without_user_read = [
        "openid".to_string(),
        format!("{resource}Calendars.ReadWrite"),
    ];
    let refused = source(&sb, DANIEL, &without_user_read)
        .await
        .my_groups()
        .await
        .unwrap_err();
    assert_eq!(
        refused,
        SourceError::AccessDenied {
            code: "Authorization_RequestDenied".into()
        }
    );
    sb.shutdown().await;
}
