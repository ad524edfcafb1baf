//! Mail as Graph documents it: a delegate's draft from the executive, sent on her behalf
//! (`sender` the delegate, `from` the executive), filed in Sent Items and delivered; refused
//! with `ErrorSendAsDenied` without Send on Behalf, the draft staying put; the permissions each
//! call needs; the Inbox listed with `$filter`, `$orderby`, `$select` and paging; mail from
//! outside arriving through the control API; and malformed requests answered 400.

// Test helpers fail the test by panicking, like assertions.
#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use onbehalf_sandbox::{InboundMail, MailAddress, MailBody, Sandbox};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

const GRAPH: &str = "https://graph.microsoft.com";

fn scope(permissions: &[&str]) -> String {
    let graph: Vec<String> = permissions.iter().map(|p| format!("{GRAPH}/{p}")).collect();
    format!("openid profile offline_access {}", graph.join(" "))
}

/// What a delegate's mail needs: drafts, reading, sending on someone's behalf.
fn mail_scope() -> String {
    scope(&["User.Read", "Mail.ReadWrite", "Mail.Send.Shared"])
}

async fn mail_token(sb: &Sandbox, user: &str) -> String {
    sign_in_with(sb, user, &mail_scope()).await.access
}

fn draft_from_olivia(subject: &str, to: &[&str]) -> Value {
    let to: Vec<Value> = to
        .iter()
        .map(|a| json!({"emailAddress": {"address": a}}))
        .collect();
    json!({
        "subject": subject,
        "body": {"contentType": "HTML", "content": "<p>Thank you for your time.</p>"},
        "toRecipients": to,
        "from": {"emailAddress": {"address": OLIVIA}}
    })
}

async fn folder_id(sb: &Sandbox, token: &str, name: &str) -> String {
    let (status, folder) = get(sb, token, &format!("/me/mailFolders/{name}")).await;
    assert_eq!(status, StatusCode::OK, "{folder}");
    folder["id"].as_str().unwrap().to_string()
}

fn subjects(items: &[Value]) -> Vec<String> {
    items
        .iter()
        .map(|m| m["subject"].as_str().unwrap().to_string())
        .collect()
}

fn address_of(recipient: &Value) -> &str {
    recipient["emailAddress"]["address"].as_str().unwrap()
}

fn customer(subject: &str, to: &str) -> InboundMail {
    InboundMail {
        to: to.to_string(),
        from: MailAddress {
            name: "Bea Buyer".to_string(),
            address: "bea@fabrikam.example".to_string(),
        },
        subject: subject.to_string(),
        body: MailBody {
            content_type: "html".to_string(),
            content: "<p>Sounds <b>good</b> &amp; thanks</p>".to_string(),
        },
        in_reply_to: None,
    }
}

#[tokio::test]
async fn a_delegate_sends_on_behalf_of_the_executive_and_it_is_filed_and_delivered() {
    let sb = start().await;
    let daniel = mail_token(&sb, DANIEL).await;
    let (status, headers, draft) = call_with(
        &sb,
        &daniel,
        Method::POST,
        "/me/messages",
        &[],
        Some(draft_from_olivia(
            "Our proposal",
            &[CARLA, "Buyer@Fabrikam.example"],
        )),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{draft}");
    assert!(header(&headers, "Location").contains("/messages('"));
    assert_eq!(draft["isDraft"], true);
    assert_eq!(draft["from"]["emailAddress"]["name"], "Olivia Grant");
    assert_eq!(address_of(&draft["sender"]), DANIEL);
    assert_eq!(
        draft["toRecipients"][0]["emailAddress"]["name"],
        "Carla Mendes"
    );
    assert_eq!(draft["body"]["contentType"], "html");
    assert_eq!(draft["bodyPreview"], "Thank you for your time.");
    let drafts = folder_id(&sb, &daniel, "drafts").await;
    let sent_items = folder_id(&sb, &daniel, "SentItems").await;
    assert_eq!(draft["parentFolderId"], drafts);
    let id = draft["id"].as_str().unwrap();
    let in_drafts = get_all(&sb, &daniel, "/me/mailFolders/drafts/messages").await;
    assert_eq!(subjects(&in_drafts), ["Our proposal"]);

    let (status, body) = call(
        &sb,
        &daniel,
        Method::POST,
        &format!("/me/messages/{id}/send"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::ACCEPTED, "{body}");
    assert_eq!(body, Value::Null);

    let (status, sent) = get(&sb, &daniel, &format!("/me/messages/{id}")).await;
    assert_eq!(status, StatusCode::OK, "{sent}");
    assert_eq!(sent["isDraft"], false);
    assert_eq!(sent["parentFolderId"], sent_items);
    assert_eq!(address_of(&sent["sender"]), DANIEL);
    assert_eq!(address_of(&sent["from"]), OLIVIA);
    assert_ne!(sent["changeKey"], draft["changeKey"]);
    assert!(
        get_all(&sb, &daniel, &format!("/me/mailFolders/{drafts}/messages"))
            .await
            .is_empty()
    );

    // Delivered inside the organisation, unread, in the same conversation.
    let carla = mail_token(&sb, CARLA).await;
    let inbox = get_all(&sb, &carla, "/me/mailFolders/inbox/messages").await;
    let got = inbox
        .iter()
        .find(|m| m["subject"] == "Our proposal")
        .unwrap();
    assert_eq!(address_of(&got["from"]), OLIVIA);
    assert_eq!(address_of(&got["sender"]), DANIEL);
    assert_eq!(got["isRead"], false);
    assert_eq!(got["conversationId"], sent["conversationId"]);
    assert_eq!(got["internetMessageId"], sent["internetMessageId"]);
    // A message id is bound to its mailbox.
    let (status, body) = get(
        &sb,
        &daniel,
        &format!("/me/messages/{}", got["id"].as_str().unwrap()),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(error_code(&body), "ErrorItemNotFound");

    // Kept, not sent, for the address outside; also over the control API.
    let outbound = sb.faults().outbound_mail();
    assert_eq!(outbound.len(), 1);
    assert_eq!(outbound[0].from.address, OLIVIA);
    assert_eq!(outbound[0].sender.address, DANIEL);
    assert_eq!(outbound[0].outside, ["buyer@fabrikam.example"]);
    assert_eq!(outbound[0].subject, "Our proposal");
    let listed: Value = http()
        .get(format!("{}/_sandbox/mail/outbound", sb.base_url()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(listed[0]["sender"]["address"], DANIEL);
    assert_eq!(listed[0]["body"]["contentType"], "html");

    // Sent through her own mailbox, the executive's Sent Items hold nothing.
    let olivia = mail_token(&sb, OLIVIA).await;
    assert!(get_all(&sb, &olivia, "/me/mailFolders/sentitems/messages")
        .await
        .is_empty());
    sb.shutdown().await;
}

#[tokio::test]
async fn send_on_behalf_comes_from_the_list_or_a_delegate_role_and_sendmail_follows_it() {
    let sb = start().await;
    // Lucas is on her Send on Behalf list without any calendar access; Ines is a Reviewer on it.
    for user in [LUCAS, INES] {
        let token = mail_token(&sb, user).await;
        let (status, body) = call(
            &sb,
            &token,
            Method::POST,
            "/me/sendMail",
            Some(json!({
                "message": draft_from_olivia(&format!("From {user}"), &["client@contoso.example"]),
                "saveToSentItems": "false"
            })),
        )
        .await;
        assert_eq!(status, StatusCode::ACCEPTED, "{user}: {body}");
        assert!(
            get_all(&sb, &token, "/me/messages").await.is_empty(),
            "{user}"
        );
    }
    let senders: Vec<String> = sb
        .faults()
        .outbound_mail()
        .into_iter()
        .map(|m| m.sender.address)
        .collect();
    assert_eq!(senders, [LUCAS, INES]);
    sb.shutdown().await;
}

#[tokio::test]
async fn without_send_on_behalf_the_send_is_denied_and_the_draft_stays() {
    let sb = start().await;
    for user in [RITA, FELIX] {
        let token = mail_token(&sb, user).await;
        let (status, draft) = call(
            &sb,
            &token,
            Method::POST,
            "/me/messages",
            Some(draft_from_olivia("Denied", &["client@contoso.example"])),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{draft}");
        let id = draft["id"].as_str().unwrap();
        let (status, body) = call(
            &sb,
            &token,
            Method::POST,
            &format!("/me/messages/{id}/send"),
            None,
        )
        .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{user}: {body}");
        assert_eq!(error_code(&body), "ErrorSendAsDenied");
        assert_eq!(
            body["error"]["message"],
            "The user account which was used to submit this request does not have the right to send mail on behalf of the specified sending account. Cannot submit message."
        );
        assert!(body["error"]["innerError"]["request-id"].is_string());
        let (_, still) = get(&sb, &token, &format!("/me/messages/{id}")).await;
        assert_eq!(still["isDraft"], true);
        assert_eq!(still["changeKey"], draft["changeKey"]);
        let (status, body) = call(
            &sb,
            &token,
            Method::POST,
            "/me/sendMail",
            Some(json!({"message": draft_from_olivia("Denied too", &[CARLA])})),
        )
        .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{user}: {body}");
        assert_eq!(error_code(&body), "ErrorSendAsDenied");
    }
    assert!(sb.faults().outbound_mail().is_empty());
    let carla = mail_token(&sb, CARLA).await;
    assert!(get_all(&sb, &carla, "/me/messages").await.is_empty());
    sb.shutdown().await;
}

#[tokio::test]
async fn each_mail_call_needs_its_documented_permission() {
    let sb = start().await;
    // Calendar permissions reach no mail.
    let calendars = token_for(&sb, DANIEL).await;
    for (method, path, body) in [
        (Method::GET, "/me/messages", None),
        (Method::POST, "/me/messages", Some(json!({"subject": "x"}))),
        (Method::POST, "/me/sendMail", Some(json!({"message": {}}))),
    ] {
        let (status, body) = call(&sb, &calendars, method, path, body).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{path}: {body}");
        assert_eq!(error_code(&body), "ErrorAccessDenied");
    }
    // Reading is not writing.
    let reader = sign_in_with(&sb, DANIEL, &scope(&["Mail.Read"]))
        .await
        .access;
    let (status, _) = get(&sb, &reader, "/me/mailFolders/inbox/messages").await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = call(&sb, &reader, Method::POST, "/me/messages", Some(json!({}))).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // Mail.Send sends the caller's own mail, not the executive's.
    let own = sign_in_with(&sb, DANIEL, &scope(&["Mail.ReadWrite", "Mail.Send"]))
        .await
        .access;
    let (_, draft) = call(
        &sb,
        &own,
        Method::POST,
        "/me/messages",
        Some(draft_from_olivia("Needs shared", &[CARLA])),
    )
    .await;
    let send = format!("/me/messages/{}/send", draft["id"].as_str().unwrap());
    let (status, body) = call(&sb, &own, Method::POST, &send, None).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert_eq!(error_code(&body), "ErrorAccessDenied");
    let (status, body) = call(
        &sb,
        &own,
        Method::POST,
        "/me/sendMail",
        Some(json!({"message": {"subject": "Mine", "toRecipients": [{"emailAddress": {"address": CARLA}}]}})),
    )
    .await;
    assert_eq!(status, StatusCode::ACCEPTED, "{body}");
    // Another user's mailbox needs Full Access, which nobody holds.
    let shared = sign_in_with(
        &sb,
        DANIEL,
        &scope(&["Mail.ReadWrite.Shared", "Mail.Send.Shared"]),
    )
    .await
    .access;
    for (method, path, body) in [
        (Method::GET, format!("/users/{OLIVIA}/messages"), None),
        (
            Method::GET,
            format!("/users/{OLIVIA}/mailFolders/inbox/messages"),
            None,
        ),
        (
            Method::POST,
            format!("/users/{OLIVIA}/messages"),
            Some(json!({})),
        ),
        (
            Method::POST,
            format!("/users/{OLIVIA}/sendMail"),
            Some(json!({"message": draft_from_olivia("Full access", &[CARLA])})),
        ),
    ] {
        let (status, body) = call(&sb, &shared, method, &path, body).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{path}: {body}");
        assert_eq!(error_code(&body), "ErrorAccessDenied");
    }
    // The caller's own mailbox by name is her own.
    let (status, _) = get(&sb, &shared, &format!("/users/{DANIEL}/messages")).await;
    assert_eq!(status, StatusCode::OK);
    sb.shutdown().await;
}

#[tokio::test]
async fn the_inbox_lists_with_filter_order_select_and_paging() {
    let sb = start().await;
    let faults = sb.faults();
    let pause = || tokio::time::sleep(std::time::Duration::from_millis(15));
    for i in 0..2 {
        faults
            .deliver_mail(&customer(&format!("Old {i}"), DANIEL))
            .unwrap();
    }
    pause().await;
    let cutoff = chrono::Utc::now()
        .format("%Y-%m-%dT%H:%M:%S%.6fZ")
        .to_string();
    pause().await;
    for i in 0..5 {
        faults
            .deliver_mail(&customer(&format!("New {i}"), DANIEL))
            .unwrap();
        pause().await;
    }
    let daniel = mail_token(&sb, DANIEL).await;
    assert_eq!(
        get_all(&sb, &daniel, "/me/mailFolders/inbox/messages")
            .await
            .len(),
        7
    );

    for (direction, newest_first) in [("desc", true), ("asc", false)] {
        let first = format!(
            "/me/mailFolders/inbox/messages?$filter=receivedDateTime ge {cutoff}&$orderby=receivedDateTime {direction}&$top=2&$select=subject,receivedDateTime"
        );
        let mut pages = Vec::new();
        let mut next = Some(first);
        while let Some(path) = next {
            let (status, page) = get(&sb, &daniel, &path).await;
            assert_eq!(status, StatusCode::OK, "{page}");
            next = page["@odata.nextLink"].as_str().map(str::to_string);
            if let Some(link) = &next {
                assert!(
                    link.starts_with("http") && link.contains("$skip="),
                    "{link}"
                );
            }
            pages.push(page["value"].as_array().unwrap().clone());
        }
        assert_eq!(pages.iter().map(Vec::len).collect::<Vec<_>>(), [2, 2, 1]);
        let items: Vec<Value> = pages.concat();
        let mut got = subjects(&items);
        got.sort();
        assert_eq!(got, ["New 0", "New 1", "New 2", "New 3", "New 4"]);
        let times: Vec<&str> = items
            .iter()
            .map(|m| m["receivedDateTime"].as_str().unwrap())
            .collect();
        let mut sorted = times.clone();
        sorted.sort();
        if newest_first {
            sorted.reverse();
        }
        assert_eq!(times, sorted, "{direction}");
        let keys: Vec<&String> = items[0].as_object().unwrap().keys().collect();
        assert_eq!(keys, ["@odata.etag", "id", "receivedDateTime", "subject"]);
    }

    // $orderby properties must lead $filter.
    let (status, body) = get(
        &sb,
        &daniel,
        &format!("/me/messages?$filter=isRead eq false and receivedDateTime ge {cutoff}&$orderby=receivedDateTime desc"),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(error_code(&body), "InefficientFilter");

    // HTML unless text is preferred, as on every Outlook item.
    let (_, newest) = get(&sb, &daniel, "/me/messages?$top=1").await;
    let path = format!(
        "/me/messages/{}",
        newest["value"][0]["id"].as_str().unwrap()
    );
    let text_pref = [("Prefer", "outlook.body-content-type=\"text\"")];
    let (_, headers, text) = call_with(&sb, &daniel, Method::GET, &path, &text_pref, None).await;
    assert_eq!(
        text["body"],
        json!({"contentType": "text", "content": "Sounds good & thanks"})
    );
    assert_eq!(
        header(&headers, "Preference-Applied"),
        "outlook.body-content-type=\"text\""
    );
    assert_eq!(text["bodyPreview"], "Sounds good & thanks");
    sb.shutdown().await;
}

#[tokio::test]
async fn mail_from_outside_arrives_over_the_control_api_and_a_reply_joins_its_conversation() {
    let sb = start().await;
    let daniel = mail_token(&sb, DANIEL).await;
    let (status, _) = call(
        &sb,
        &daniel,
        Method::POST,
        "/me/sendMail",
        Some(json!({"message": draft_from_olivia("Quote", &["bea@fabrikam.example"])})),
    )
    .await;
    assert_eq!(status, StatusCode::ACCEPTED);
    let sent = sb.faults().outbound_mail().remove(0);

    let deliver = |body: Value| {
        http()
            .post(format!("{}/_sandbox/mail/deliver", sb.base_url()))
            .json(&body)
            .send()
    };
    let resp = deliver(json!({
        "to": DANIEL,
        "from": {"name": "Bea Buyer", "address": "bea@fabrikam.example"},
        "subject": "RE: Quote",
        "body": {"contentType": "text", "content": "Accepted."},
        "inReplyTo": sent.internet_message_id
    }))
    .await
    .unwrap();
    assert_eq!(resp.status(), StatusCode::CREATED);
    let id = resp.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let (status, reply) = get(&sb, &daniel, &format!("/me/messages/{id}")).await;
    assert_eq!(status, StatusCode::OK, "{reply}");
    assert_eq!(reply["from"]["emailAddress"]["name"], "Bea Buyer");
    assert_eq!(reply["isRead"], false);
    assert_eq!(reply["isDraft"], false);
    assert_eq!(reply["conversationId"], sent.conversation_id.as_str());
    assert_eq!(
        reply["parentFolderId"],
        folder_id(&sb, &daniel, "inbox").await
    );
    let (_, inbox) = get(&sb, &daniel, "/me/mailFolders/inbox").await;
    assert_eq!(
        (
            inbox["totalItemCount"].as_u64(),
            inbox["unreadItemCount"].as_u64()
        ),
        (Some(1), Some(1))
    );

    for bad in [
        json!({"to": "nobody@contoso.com", "from": {"address": "bea@fabrikam.example"}}),
        json!({"to": DANIEL, "from": {"address": "not an address"}}),
        json!({"to": DANIEL, "from": {"address": "bea@fabrikam.example"}, "body": {"contentType": "rtf"}}),
        json!({"subject": "no recipient"}),
    ] {
        let resp = deliver(bad.clone()).await.unwrap();
        assert_eq!(resp.status(), StatusCode::BAD_REQUEST, "{bad}");
    }
    sb.shutdown().await;
}

#[tokio::test]
async fn malformed_and_misdirected_mail_requests_are_refused_as_documented() {
    let sb = start().await;
    let daniel = mail_token(&sb, DANIEL).await;
    let bad_request = |body: &Value, code: &str| {
        assert_eq!(error_code(body), code, "{body}");
        assert!(body["error"]["message"].is_string());
        assert!(body["error"]["innerError"]["date"].is_string());
    };
    for body in [
        json!({"toRecipients": "carla.mendes@contoso.com"}),
        json!({"toRecipients": [{"address": CARLA}]}),
        json!({"body": {"contentType": "rtf", "content": "x"}}),
        json!({"importance": "urgent"}),
        json!("a string"),
    ] {
        let (status, answer) = call(
            &sb,
            &daniel,
            Method::POST,
            "/me/messages",
            Some(body.clone()),
        )
        .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        bad_request(&answer, "BadRequest");
    }
    for (body, code) in [
        (json!({"saveToSentItems": true}), "BadRequest"),
        (
            json!({"message": {"subject": "Nobody"}}),
            "ErrorInvalidRecipients",
        ),
        (
            json!({"message": {"toRecipients": [{"emailAddress": {"address": "carla mendes"}}]}}),
            "ErrorInvalidRecipients",
        ),
        (json!({"message": {}, "saveToSentItems": 3}), "BadRequest"),
    ] {
        let (status, answer) = call(
            &sb,
            &daniel,
            Method::POST,
            "/me/sendMail",
            Some(body.clone()),
        )
        .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        bad_request(&answer, code);
    }
    let (status, answer) = get(&sb, &daniel, "/me/messages/not-an-id").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    bad_request(&answer, "ErrorInvalidIdMalformed");
    let (status, _) = get(&sb, &daniel, "/me/mailFolders/deleteditems/messages").await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // A sent message keeps its subject; its read state and categories still change.
    let (_, draft) = call(
        &sb,
        &daniel,
        Method::POST,
        "/me/messages",
        Some(
            json!({"subject": "Sent once", "toRecipients": [{"emailAddress": {"address": CARLA}}]}),
        ),
    )
    .await;
    let path = format!("/me/messages/{}", draft["id"].as_str().unwrap());
    let stale = format!("W/\"{}\"", draft["changeKey"].as_str().unwrap());
    let (status, _) = call(
        &sb,
        &daniel,
        Method::PATCH,
        &path,
        Some(json!({"subject": "Sent twice?"})),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let (status, _, answer) = call_with(
        &sb,
        &daniel,
        Method::PATCH,
        &path,
        &[("If-Match", stale.as_str())],
        Some(json!({"subject": "Lost update"})),
    )
    .await;
    assert_eq!(status, StatusCode::PRECONDITION_FAILED, "{answer}");
    let (status, _) = call(&sb, &daniel, Method::POST, &format!("{path}/send"), None).await;
    assert_eq!(status, StatusCode::ACCEPTED);
    let (status, answer) = call(
        &sb,
        &daniel,
        Method::PATCH,
        &path,
        Some(json!({"subject": "Edited"})),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    bad_request(&answer, "ErrorInvalidPropertySet");
    let (status, patched) = call(
        &sb,
        &daniel,
        Method::PATCH,
        &path,
        Some(json!({"isRead": false, "categories": ["CRM"]})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{patched}");
    assert_eq!(
        (patched["isRead"].clone(), patched["subject"].clone()),
        (json!(false), json!("Sent twice?"))
    );
    // Only a draft can be sent.
    let (status, answer) = call(&sb, &daniel, Method::POST, &format!("{path}/send"), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    bad_request(&answer, "ErrorItemNotFound");
    let (status, _) = call(&sb, &daniel, Method::DELETE, &path, None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _) = get(&sb, &daniel, &path).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    sb.shutdown().await;
}

#[tokio::test]
async fn mail_survives_a_restart_with_a_state_file() {
    let dir = tempfile::tempdir().unwrap();
    let options = onbehalf_sandbox::SandboxOptions {
        state_file: Some(dir.path().join("sandbox-state.json")),
        ..onbehalf_sandbox::SandboxOptions::default()
    };
    let sb = Sandbox::start(options.clone()).await.unwrap();
    let daniel = mail_token(&sb, DANIEL).await;
    let (status, _) = call(
        &sb,
        &daniel,
        Method::POST,
        "/me/sendMail",
        Some(json!({"message": draft_from_olivia("Kept", &["bea@fabrikam.example"])})),
    )
    .await;
    assert_eq!(status, StatusCode::ACCEPTED);
    let id = sb
        .faults()
        .deliver_mail(&customer("Answer", DANIEL))
        .unwrap();
    sb.shutdown().await;

    let sb = Sandbox::start(options).await.unwrap();
    let (status, answer) = get(&sb, &daniel, &format!("/me/messages/{id}")).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    let sent = get_all(&sb, &daniel, "/me/mailFolders/sentitems/messages").await;
    assert_eq!(subjects(&sent), ["Kept"]);
    assert_eq!(sb.faults().outbound_mail().len(), 1);
    sb.shutdown().await;
}
