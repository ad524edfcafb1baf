//! Record access on the executive's Salesforce calendar: the assistants' sharing levels (Full
//! Access, Show Details and Add Events, Show Details, Hide Details and Add Events, the Hide
//! Details default) decide who reads details, adds and edits; managers above in the role
//! hierarchy edit their reports' events; private events stay the owner's; the activity
//! org-wide default; the other org; and `UserRecordAccess` agreeing with all of it.

mod common;

use std::collections::BTreeMap;

use common::salesforce::*;
use common::{start, AARON, DANIEL, EMMA, MARCUS, NOAH, OLIVIA, RITA};
use onbehalf_sandbox::{demo_org, ActivitySharing, CalendarAccess, Sandbox};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

/// Olivia's seeded events by subject.
async fn olivias_events(sb: &Sandbox) -> BTreeMap<String, String> {
    let olivia = sign_in(sb, OLIVIA).await;
    let r = query(
        &olivia,
        &format!(
            "SELECT Id, Subject FROM Event WHERE OwnerId = '{}'",
            crm_id(OLIVIA)
        ),
    )
    .await;
    r["records"]
        .as_array()
        .expect("query records")
        .iter()
        .map(|e| {
            (
                e["Subject"].as_str().expect("a subject").to_string(),
                e["Id"].as_str().expect("an id").to_string(),
            )
        })
        .collect()
}

async fn edit(t: &SfTokens, id: &str) -> SfReply {
    call(
        t,
        Method::PATCH,
        &format!("/sobjects/Event/{id}"),
        Some(json!({"Location": "Board Room 4.02"})),
    )
    .await
}

#[tokio::test]
async fn the_demo_shares_the_executives_calendar_at_five_levels() {
    let org = demo_org();
    let level = |grantee: &str| {
        org.calendar_sharing
            .iter()
            .find(|s| s.owner == OLIVIA && s.grantee == grantee)
            .map_or(org.crm_orgs[0].calendar_default, |s| s.access)
    };
    assert_eq!(level(DANIEL), CalendarAccess::FullAccess);
    assert_eq!(level(EMMA), CalendarAccess::ShowDetailsAndAddEvents);
    assert_eq!(level(AARON), CalendarAccess::ShowDetails);
    assert_eq!(level(MARCUS), CalendarAccess::HideDetailsAndAddEvents);
    assert_eq!(level(RITA), CalendarAccess::HideDetails);
    assert_eq!(org.crm_orgs[0].activity_sharing, ActivitySharing::Private);
    let noah = org.users.iter().find(|u| u.address == NOAH).unwrap();
    assert_ne!(
        noah.crm.org_id, org.crm_orgs[0].id,
        "one person's CRM user is in another org"
    );
}

#[tokio::test]
async fn who_reads_the_details_of_the_executives_events() {
    let sb = start().await;
    let events = olivias_events(&sb).await;
    let board = &events["Board deck review"];
    let renewal = &events["Fabrikam renewal review"];
    let private = &events["Personal appointment"];
    for (user, reads_board) in [
        (DANIEL, true),
        (EMMA, true),
        (AARON, true),
        (MARCUS, false),
        (RITA, false),
    ] {
        let t = sign_in(&sb, user).await;
        let r = get(&t, &format!("/sobjects/Event/{board}")).await;
        let expected = if reads_board {
            StatusCode::OK
        } else {
            StatusCode::NOT_FOUND
        };
        assert_eq!(r.status, expected, "{user} reading an unlinked event");
        // With the Private default, whoever reads the related contact reads the event.
        assert_eq!(
            get(&t, &format!("/sobjects/Event/{renewal}")).await.status,
            StatusCode::OK,
            "{user}"
        );
        let p = get(&t, &format!("/sobjects/Event/{private}")).await;
        assert_eq!(
            p.status,
            StatusCode::NOT_FOUND,
            "{user}: a private event stays the owner's"
        );
        assert_eq!(code(&p.body), "NOT_FOUND");
        let listed = query(
            &t,
            &format!("SELECT Id FROM Event WHERE Id IN ('{board}', '{private}')"),
        )
        .await;
        assert_eq!(
            listed["totalSize"],
            if reads_board { 1 } else { 0 },
            "{user}: queries filter what one may not see"
        );
    }
    let olivia = sign_in(&sb, OLIVIA).await;
    assert_eq!(
        get(&olivia, &format!("/sobjects/Event/{private}"))
            .await
            .status,
        StatusCode::OK
    );
    sb.shutdown().await;
}

#[tokio::test]
async fn who_adds_events_to_the_executives_calendar() {
    let sb = start().await;
    let olivia = crm_id(OLIVIA);
    for (user, adds) in [
        (DANIEL, true),
        (EMMA, true),
        (MARCUS, true),
        (AARON, false),
        (RITA, false),
    ] {
        let t = sign_in(&sb, user).await;
        let mut body = event(&format!("Booked by {user}"), 6, 30);
        body["OwnerId"] = json!(olivia);
        let r = call(&t, Method::POST, "/sobjects/Event", Some(body)).await;
        if adds {
            assert_eq!(r.status, StatusCode::CREATED, "{user}: {}", r.body);
            let id = r.body["id"].as_str().unwrap();
            let e = get(&t, &format!("/sobjects/Event/{id}")).await;
            assert_eq!(e.status, StatusCode::OK, "{user} reads what they added");
            assert_eq!(e.body["OwnerId"], olivia.as_str());
            assert_eq!(e.body["CreatedById"], crm_id(user).as_str());
        } else {
            assert_eq!(r.status, StatusCode::BAD_REQUEST, "{user}");
            assert_eq!(
                code(&r.body),
                "INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY",
                "{user}"
            );
        }
    }
    // Adding is not editing: Marcus may not change what he added.
    let marcus = sign_in(&sb, MARCUS).await;
    let mine = query(
        &marcus,
        "SELECT Id FROM Event WHERE Subject = 'Booked by marcus.webb@contoso.com'",
    )
    .await;
    let id = mine["records"][0]["Id"].as_str().unwrap().to_string();
    assert_eq!(
        code(&edit(&marcus, &id).await.body),
        "INSUFFICIENT_ACCESS_OR_READONLY"
    );
    sb.shutdown().await;
}

#[tokio::test]
async fn only_full_access_and_managers_edit_the_executives_events() {
    let sb = start().await;
    let events = olivias_events(&sb).await;
    let board = &events["Board deck review"];
    let renewal = &events["Fabrikam renewal review"];
    let daniel = sign_in(&sb, DANIEL).await;
    assert_eq!(edit(&daniel, board).await.status, StatusCode::NO_CONTENT);
    for user in [EMMA, AARON] {
        let t = sign_in(&sb, user).await;
        let r = edit(&t, board).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{user}");
        assert_eq!(code(&r.body), "INSUFFICIENT_ACCESS_OR_READONLY", "{user}");
        let r = call(
            &t,
            Method::DELETE,
            &format!("/sobjects/Event/{board}"),
            None,
        )
        .await;
        assert_eq!(code(&r.body), "INSUFFICIENT_ACCESS_OR_READONLY", "{user}");
    }
    let rita = sign_in(&sb, RITA).await;
    assert_eq!(
        edit(&rita, board).await.status,
        StatusCode::NOT_FOUND,
        "what one cannot see is not found"
    );
    assert_eq!(
        code(&edit(&rita, renewal).await.body),
        "INSUFFICIENT_ACCESS_OR_READONLY"
    );
    assert_eq!(
        call(
            &daniel,
            Method::DELETE,
            &format!("/sobjects/Event/{renewal}"),
            None
        )
        .await
        .status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        edit(&daniel, &events["Personal appointment"]).await.status,
        StatusCode::NOT_FOUND
    );

    // Managers above in the role hierarchy edit their reports' events, but not private ones.
    let olivia = sign_in(&sb, OLIVIA).await;
    let dans = query(
        &olivia,
        &format!(
            "SELECT Id, Subject FROM Event WHERE OwnerId = '{}'",
            crm_id(DANIEL)
        ),
    )
    .await;
    let travel = dans["records"][0]["Id"].as_str().unwrap().to_string();
    assert_eq!(
        dans["totalSize"], 1,
        "Daniel's private event is not listed to his managers: {dans}"
    );
    let emma = sign_in(&sb, EMMA).await;
    assert_eq!(
        edit(&emma, &travel).await.status,
        StatusCode::NO_CONTENT,
        "the Chief of Staff is above the assistants"
    );
    assert_eq!(edit(&olivia, &travel).await.status, StatusCode::NO_CONTENT);
    assert_eq!(edit(&rita, &travel).await.status, StatusCode::NOT_FOUND);
    let staff = query(
        &emma,
        &format!("SELECT Id FROM Event WHERE OwnerId = '{}'", crm_id(EMMA)),
    )
    .await;
    assert_eq!(
        edit(&daniel, staff["records"][0]["Id"].as_str().unwrap())
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    sb.shutdown().await;
}

async fn record_access(t: &SfTokens, user: &str, ids: &[&String]) -> BTreeMap<String, Value> {
    let list: Vec<String> = ids.iter().map(|i| format!("'{i}'")).collect();
    let r = query(t, &format!(
        "SELECT RecordId, HasReadAccess, HasEditAccess, HasDeleteAccess, MaxAccessLevel FROM UserRecordAccess WHERE UserId = '{}' AND RecordId IN ({})",
        crm_id(user),
        list.join(", ")
    ))
    .await;
    r["records"]
        .as_array()
        .expect("query records")
        .iter()
        .map(|x| {
            (
                x["RecordId"].as_str().expect("a record id").to_string(),
                x.clone(),
            )
        })
        .collect()
}

#[tokio::test]
async fn user_record_access_agrees_with_what_each_call_allows() {
    let sb = start().await;
    let events = olivias_events(&sb).await;
    let ids: Vec<&String> = events.values().collect();
    for user in [DANIEL, EMMA, AARON, MARCUS, RITA] {
        let t = sign_in(&sb, user).await;
        let access = record_access(&t, user, &ids).await;
        for (subject, id) in &events {
            let read = get(&t, &format!("/sobjects/Event/{id}")).await.status == StatusCode::OK;
            let row = access.get(id.as_str());
            assert_eq!(
                row.is_some(),
                read,
                "{user} / {subject}: listed exactly when readable"
            );
            let Some(row) = row else { continue };
            assert_eq!(row["HasReadAccess"], true);
            // Probe edit access with a write that changes nothing visible.
            let edits = edit(&t, id).await.status == StatusCode::NO_CONTENT;
            assert_eq!(row["HasEditAccess"], edits, "{user} / {subject}");
            assert_eq!(row["HasDeleteAccess"], edits, "{user} / {subject}");
        }
    }
    // The executive asking about her assistants sees every record, with their levels.
    let olivia = sign_in(&sb, OLIVIA).await;
    let board = &events["Board deck review"];
    let level = |rows: &BTreeMap<String, Value>| rows[board.as_str()]["MaxAccessLevel"].clone();
    assert_eq!(level(&record_access(&olivia, OLIVIA, &ids).await), "All");
    assert_eq!(level(&record_access(&olivia, DANIEL, &ids).await), "Delete");
    assert_eq!(level(&record_access(&olivia, AARON, &ids).await), "Read");
    assert_eq!(level(&record_access(&olivia, RITA, &ids).await), "None");

    let many: Vec<String> = (0..201).map(|_| format!("'{board}'")).collect();
    let r = get(
        &olivia,
        &format!(
            "/query?q={}",
            urlencode(&format!(
                "SELECT RecordId FROM UserRecordAccess WHERE UserId = '{}' AND RecordId IN ({})",
                crm_id(OLIVIA),
                many.join(",")
            ))
        ),
    )
    .await;
    assert_eq!(code(&r.body), "MALFORMED_QUERY", "at most 200 record ids");
    let r = get(
        &olivia,
        &format!(
            "/query?q={}",
            urlencode("SELECT RecordId FROM UserRecordAccess")
        ),
    )
    .await;
    assert_eq!(
        code(&r.body),
        "MALFORMED_QUERY",
        "a user and records must be named"
    );
    sb.shutdown().await;
}

#[tokio::test]
async fn controlled_by_parent_lets_access_follow_the_related_records() {
    let sb = start().await;
    let events = olivias_events(&sb).await;
    let rita = sign_in(&sb, RITA).await;
    let renewal = &events["Fabrikam renewal review"];
    assert_eq!(
        code(&edit(&rita, renewal).await.body),
        "INSUFFICIENT_ACCESS_OR_READONLY"
    );
    let contoso = demo_org().crm_orgs[0].id.clone();
    assert!(sb
        .salesforce_faults()
        .set_activity_sharing(&contoso, ActivitySharing::ControlledByParent));
    assert_eq!(
        edit(&rita, renewal).await.status,
        StatusCode::NO_CONTENT,
        "she may edit the contact and the opportunity"
    );
    assert_eq!(
        edit(&rita, &events["Board deck review"]).await.status,
        StatusCode::NOT_FOUND,
        "an event with no parent stays private"
    );
    sb.shutdown().await;
}

#[tokio::test]
async fn the_other_org_is_out_of_reach() {
    let sb = start().await;
    let events = olivias_events(&sb).await;
    let noah = sign_in(&sb, NOAH).await;
    let r = get(
        &noah,
        &format!("/sobjects/Event/{}", events["Fabrikam renewal review"]),
    )
    .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let daniel = sign_in(&sb, DANIEL).await;
    let mut body = event("For Noah", 3, 30);
    body["OwnerId"] = json!(crm_id(NOAH));
    let r = call(&daniel, Method::POST, "/sobjects/Event", Some(body)).await;
    assert_eq!(code(&r.body), "INVALID_CROSS_REFERENCE_KEY");
    let own = query(&noah, "SELECT Subject, Who.Name FROM Event").await;
    assert_eq!(own["records"][0]["Subject"], "Kundmöte: Nordvind Handel");
    sb.shutdown().await;
}
