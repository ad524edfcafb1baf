//! Mail for time slots and the events of holds and bookings, against a small in-test server
//! that records what it is sent and answers with the Graph docs' example responses
//! (`tests/fixtures/`).

// Test servers and fixtures panic on purpose when a test is wrong.
#![allow(clippy::unwrap_used)]

mod common;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::{Json, Router};
use chrono::{DateTime, TimeZone, Utc};
use common::{graph, graph_error, ok, serve, FakeTokens};
use onbehalf_graph::models::{
    DateTimeTimeZone, ItemBody, MailAddress, NewAttendee, NewEvent, ShowAs,
};
use onbehalf_graph::{
    CalendarTarget, GraphError, MessageBody, MessageRef, OutgoingMessage, ReceivedMessage,
};
use serde_json::{json, Value};
use url::Url;

/// user-post-messages, Example 1: the draft Graph made.
const MESSAGE_CREATED: &str = include_str!("fixtures/message-created.json");
/// message-get, Example 1: a message with `from` and `sender`.
const MESSAGE: &str = include_str!("fixtures/message.json");
/// mailfolder-list-messages, Example: a page of one message, without id or `from`.
const MAILFOLDER_MESSAGES: &str = include_str!("fixtures/mailfolder-messages.json");
/// outlook-send-mail-from-other-user, Example 2: sending from a mailbox without the right.
const SEND_AS_DENIED: &str = include_str!("fixtures/error-send-as-denied.json");
/// user-post-events, Example 1: an event created with a `transactionId`.
const EVENT_CREATED: &str = include_str!("fixtures/event-created.json");

fn fixture(text: &str) -> Value {
    serde_json::from_str(text).unwrap()
}

fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, mo, d, h, mi, s).unwrap()
}

/// One request as the server saw it.
#[derive(Debug, Clone)]
struct Seen {
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Vec<u8>,
}

impl Seen {
    fn path(&self) -> &str {
        self.uri.path()
    }

    fn query(&self) -> HashMap<String, String> {
        let url = Url::parse(&format!("http://x{}", self.uri)).unwrap();
        url.query_pairs().into_owned().collect()
    }

    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap()
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

type Answer = dyn Fn(&str, &Seen, usize) -> Response + Send + Sync;

#[derive(Clone)]
struct Recorder {
    base: String,
    seen: Arc<Mutex<Vec<Seen>>>,
    answer: Arc<Answer>,
}

async fn record(
    State(r): State<Recorder>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let seen = Seen {
        method,
        uri,
        headers,
        body: body.to_vec(),
    };
    let n = {
        let mut all = r.seen.lock().unwrap();
        all.push(seen.clone());
        all.len() - 1
    };
    (r.answer)(&r.base, &seen, n)
}

/// A server answering every request with `answer(base, request, index)`; what it was sent.
async fn recording(
    answer: impl Fn(&str, &Seen, usize) -> Response + Send + Sync + 'static,
) -> (String, Arc<Mutex<Vec<Seen>>>) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let s = seen.clone();
    let answer: Arc<Answer> = Arc::new(answer);
    let base = serve(move |base| {
        Router::new().fallback(record).with_state(Recorder {
            base,
            seen: s,
            answer,
        })
    })
    .await;
    (base, seen)
}

fn created(body: Value) -> Response {
    (StatusCode::CREATED, Json(body)).into_response()
}

fn accepted() -> Response {
    StatusCode::ACCEPTED.into_response()
}

fn raw(status: StatusCode, body: &'static str) -> Response {
    (status, [("content-type", "application/json")], body).into_response()
}

fn adele() -> MailAddress {
    MailAddress::named("Adele Vance", "AdeleV@contoso.onmicrosoft.com")
}

/// A time-slots message Adele writes for Pradeep, her executive.
fn offer() -> OutgoingMessage {
    OutgoingMessage {
        subject: "Times to meet Pradeep".into(),
        body: MessageBody::Html("<p>Would one of these times suit you?</p>".into()),
        to: vec![MailAddress::named("Megan Bowen", "MeganB@contoso.com")],
        cc: Vec::new(),
        from: Some(MailAddress::new("PradeepG@contoso.com")),
        reply_to: vec![adele()],
    }
}

#[tokio::test]
async fn a_draft_from_the_executive_is_posted_as_documented_and_read_from_the_example_answer() {
    let (base, seen) = recording(|_, _, _| created(fixture(MESSAGE_CREATED))).await;
    let draft = graph(&base, FakeTokens::new("t"))
        .create_draft(&offer())
        .await
        .unwrap();

    assert_eq!(
        draft,
        MessageRef {
            id: "AAMkADNlNYjSAAA=".into(),
            web_link: Some(
                "https://outlook.office365.com/owa/?ItemID=AAMkADNlNYjSAAA%3D&exvsurl=1&viewmodel=ReadMessageItem"
                    .into()
            ),
            conversation_id: Some("AAQkADNlNFdXGBnqtY=".into()),
            internet_message_id: Some("<MWHPR1301MB@MWHPR1301MB.namprd13.prod.outlook.com>".into()),
        }
    );
    let seen = seen.lock().unwrap();
    assert_eq!(seen.len(), 1);
    let request = &seen[0];
    assert_eq!(request.method, Method::POST);
    assert_eq!(request.path(), "/v1.0/me/messages");
    assert_eq!(request.header("content-type"), Some("application/json"));
    // Only `from` is set: Graph sets `sender` itself (outlook-send-mail-from-other-user).
    assert_eq!(
        request.json(),
        json!({
            "subject": "Times to meet Pradeep",
            "body": {"contentType": "HTML", "content": "<p>Would one of these times suit you?</p>"},
            "toRecipients": [
                {"emailAddress": {"name": "Megan Bowen", "address": "MeganB@contoso.com"}}
            ],
            "from": {"emailAddress": {"address": "PradeepG@contoso.com"}},
            "replyTo": [
                {"emailAddress": {"name": "Adele Vance", "address": "AdeleV@contoso.onmicrosoft.com"}}
            ]
        })
    );
}

#[tokio::test]
async fn a_draft_is_sent_through_its_send_action_with_no_body() {
    let (base, seen) = recording(|_, _, _| accepted()).await;
    graph(&base, FakeTokens::new("t"))
        .send_draft("AAMk/x+y==")
        .await
        .unwrap();
    let seen = seen.lock().unwrap();
    assert_eq!(seen.len(), 1);
    let request = &seen[0];
    assert_eq!(request.method, Method::POST);
    assert_eq!(request.path(), "/v1.0/me/messages/AAMk%2Fx%2By%3D%3D/send");
    // The page lists `Content-Length: 0` as required.
    assert_eq!(request.header("content-length"), Some("0"));
    assert!(request.body.is_empty());
}

#[tokio::test]
async fn send_mail_posts_the_message_and_asks_for_no_copy_only_when_told() {
    let (base, seen) = recording(|_, _, _| accepted()).await;
    let client = graph(&base, FakeTokens::new("t"));
    let message = OutgoingMessage {
        subject: "Meet for lunch?".into(),
        body: MessageBody::Text("The new cafeteria is open.".into()),
        to: vec![MailAddress::new("frannis@contoso.com")],
        cc: vec![MailAddress::new("danas@contoso.com")],
        from: None,
        reply_to: Vec::new(),
    };
    client.send_mail(&message, true).await.unwrap();
    client.send_mail(&message, false).await.unwrap();

    let seen = seen.lock().unwrap();
    assert_eq!(seen.len(), 2);
    assert!(seen.iter().all(|s| s.path() == "/v1.0/me/sendMail"));
    let documented = json!({
        "subject": "Meet for lunch?",
        "body": {"contentType": "Text", "content": "The new cafeteria is open."},
        "toRecipients": [{"emailAddress": {"address": "frannis@contoso.com"}}],
        "ccRecipients": [{"emailAddress": {"address": "danas@contoso.com"}}]
    });
    assert_eq!(seen[0].json(), json!({ "message": documented }));
    assert_eq!(
        seen[1].json(),
        json!({ "message": documented, "saveToSentItems": false })
    );
}

#[tokio::test]
async fn sending_without_the_right_to_send_on_behalf_is_a_typed_refusal_tried_once() {
    let (base, seen) = recording(|_, _, _| raw(StatusCode::FORBIDDEN, SEND_AS_DENIED)).await;
    let client = graph(&base, FakeTokens::new("t"));

    let err = client.send_draft("AAMkADNlNYjSAAA=").await.unwrap_err();
    assert!(err.is_send_as_denied(), "{err:?}");
    assert_eq!(err.status(), Some(403));
    assert!(matches!(
        &err,
        GraphError::Api { request_id: Some(id), operation: "send a draft", .. }
            if id == "24e7991e-01ae-4cc2-8e06-532a96fd8948"
    ));
    assert!(!err.is_retryable());

    let err = client.send_mail(&offer(), true).await.unwrap_err();
    assert!(err.is_send_as_denied(), "{err:?}");
    assert_eq!(seen.lock().unwrap().len(), 2, "a refusal is not retried");

    // Other refusals are not mistaken for it.
    let (base, _) = recording(|_, _, _| {
        graph_error(
            StatusCode::FORBIDDEN,
            "ErrorAccessDenied",
            "Access is denied. Check credentials and try again.",
        )
    })
    .await;
    let err = graph(&base, FakeTokens::new("t"))
        .create_draft(&offer())
        .await
        .unwrap_err();
    assert!(!err.is_send_as_denied());
    assert_eq!(err.code(), Some("ErrorAccessDenied"));
}

#[tokio::test]
async fn the_inbox_is_read_since_a_time_over_every_page_with_bodies_as_text() {
    fn next_link(base: &str, skip: u32) -> String {
        let mut url = Url::parse(&format!("{base}/v1.0/me/mailFolders/inbox/messages")).unwrap();
        url.query_pairs_mut()
            .append_pair("$filter", "receivedDateTime ge 2018-02-01T00:00:00Z")
            .append_pair("$orderby", "receivedDateTime asc")
            .append_pair("$top", "50")
            .append_pair("$skip", &skip.to_string());
        url.to_string()
    }
    let (base, seen) = recording(|base, _, n| {
        let mut page = match n {
            0 => fixture(MAILFOLDER_MESSAGES),
            1 => json!({ "value": [fixture(MESSAGE)] }),
            _ => json!({ "value": [{
                "id": "AAMkReply=",
                "subject": "RE: Times to meet Pradeep",
                "from": {"emailAddress": {"name": "Megan Bowen", "address": "MeganB@contoso.com"}},
                "receivedDateTime": "2019-03-15T09:30:00Z",
                "body": {"contentType": "text", "content": "The second one works.\r\n\r\nMegan"},
                "bodyPreview": "The second one works. Megan",
                "conversationId": "AAQkADNlNFdXGBnqtY=",
                "internetMessageId": "<reply@contoso.com>"
            }]}),
        };
        if n < 2 {
            page["@odata.nextLink"] = json!(next_link(base, n as u32 + 1));
        }
        ok(page)
    })
    .await;

    let messages = graph(&base, FakeTokens::new("t"))
        .inbox_since(utc(2018, 2, 1, 0, 0, 0))
        .await
        .unwrap();

    assert_eq!(
        messages,
        [
            // The list example has neither id nor `from`, and an empty HTML body.
            ReceivedMessage {
                id: String::new(),
                subject: "MyAnalytics | Your past week".into(),
                from: None,
                received: utc(2018, 2, 13, 3, 53, 55),
                body_text: String::new(),
                body_preview: "February 4-10, 2018\r\n\r\n\r\nHi Megan Bowen,\r\n\r\nWe've got your highlights from last week\r\n\r\n\r\n\r\nYour time\r\n\r\n\r\nEmail hours\r\n\r\n\r\n\r\n\r\n0 hrs\r\n\r\n\r\n\r\nMeeting hours\r\n\r\n\r\n\r\n\r\n12 hrs\r\n\r\n\r\n\r\n\r\nFocus hours\r\n\r\n\r\n\r\n\r\n30 hrs\r\n\r\n\r\n\r\n\r\n\r\nGoals keep you motivated. Set them".into(),
                conversation_id: None,
                internet_message_id: None,
            },
            ReceivedMessage {
                id: "AAMkADhMGAAA=".into(),
                subject: "9/9/2018: concert".into(),
                from: Some(MailAddress::named(
                    "Adele Vance",
                    "adelev@contoso.OnMicrosoft.com"
                )),
                received: utc(2018, 9, 9, 3, 15, 8),
                body_text: "The group represents Nevada.".into(),
                body_preview: "The group represents Nevada.".into(),
                conversation_id: Some("AAQkADOUpag6yWs=".into()),
                internet_message_id: Some(
                    "<MWHPR6E1BE060@MWHPR1120.namprd22.prod.outlook.com>".into()
                ),
            },
            ReceivedMessage {
                id: "AAMkReply=".into(),
                subject: "RE: Times to meet Pradeep".into(),
                from: Some(MailAddress::named("Megan Bowen", "MeganB@contoso.com")),
                received: utc(2019, 3, 15, 9, 30, 0),
                body_text: "The second one works.\r\n\r\nMegan".into(),
                body_preview: "The second one works. Megan".into(),
                conversation_id: Some("AAQkADNlNFdXGBnqtY=".into()),
                internet_message_id: Some("<reply@contoso.com>".into()),
            },
        ]
    );

    let seen = seen.lock().unwrap();
    assert_eq!(seen.len(), 3);
    for request in seen.iter() {
        assert_eq!(request.method, Method::GET);
        assert_eq!(request.path(), "/v1.0/me/mailFolders/inbox/messages");
        // Every page, not only the first, asks for text bodies and immutable ids.
        assert_eq!(
            request.header("prefer"),
            Some("outlook.body-content-type=\"text\", IdType=\"ImmutableId\"")
        );
    }
    let first = seen[0].query();
    assert_eq!(
        first.get("$filter").map(String::as_str),
        Some("receivedDateTime ge 2018-02-01T00:00:00Z")
    );
    assert_eq!(
        first.get("$orderby").map(String::as_str),
        Some("receivedDateTime asc")
    );
    assert_eq!(first.get("$top").map(String::as_str), Some("50"));
    let select: Vec<&str> = first["$select"].split(',').collect();
    for property in [
        "id",
        "subject",
        "from",
        "receivedDateTime",
        "body",
        "bodyPreview",
        "conversationId",
        "internetMessageId",
    ] {
        assert!(select.contains(&property), "{property} in {select:?}");
    }
    // The next pages are the links Graph gave, followed as given.
    assert_eq!(seen[1].query().get("$skip").map(String::as_str), Some("1"));
    assert_eq!(seen[2].query().get("$skip").map(String::as_str), Some("2"));
}

#[tokio::test]
async fn malformed_answers_are_decode_errors_not_panics() {
    async fn draft_with(answer: &'static str) -> GraphError {
        let (base, _) = recording(move |_, _, _| raw(StatusCode::CREATED, answer)).await;
        graph(&base, FakeTokens::new("t"))
            .create_draft(&offer())
            .await
            .unwrap_err()
    }
    async fn inbox_with(answer: &'static str) -> GraphError {
        let (base, _) = recording(move |_, _, _| raw(StatusCode::OK, answer)).await;
        graph(&base, FakeTokens::new("t"))
            .inbox_since(utc(2024, 5, 1, 0, 0, 0))
            .await
            .unwrap_err()
    }
    let is_decode = |e: &GraphError, op: &str| matches!(e, GraphError::Decode { operation, .. } if *operation == op);

    for answer in [
        "<html>Service busy</html>",
        "{}",
        r#"{"id": ""}"#,
        r#"{"id": 7}"#,
    ] {
        let err = draft_with(answer).await;
        assert!(is_decode(&err, "create a draft"), "{answer}: {err:?}");
    }
    for answer in [
        r#"{"value": {"id": "AAMk="}}"#,
        r#"{"value": [{"id": "AAMk=", "subject": "Hi"}]}"#,
        r#"{"value": [{"id": "AAMk=", "receivedDateTime": "yesterday"}]}"#,
        r#"{"value": [{"id": "AAMk=", "receivedDateTime": "2024-05-01T10:00:00Z", "from": "Megan"}]}"#,
    ] {
        let err = inbox_with(answer).await;
        assert!(is_decode(&err, "read your inbox"), "{answer}: {err:?}");
    }
    let GraphError::Decode { detail, .. } =
        inbox_with(r#"{"value": [{"id": "AAMk=", "receivedDateTime": "yesterday"}]}"#).await
    else {
        unreachable!()
    };
    assert!(detail.contains("receivedDateTime"), "{detail}");
}

/// A tentative hold on Pradeep's calendar for a meeting with Megan, as Onbehalf makes one.
fn hold(transaction_id: Option<&str>) -> NewEvent {
    NewEvent {
        subject: "Hold: Pradeep / Megan".into(),
        body: Some(ItemBody {
            content_type: "text".into(),
            content: "Held while Megan chooses a time.".into(),
        }),
        start: DateTimeTimeZone {
            date_time: "2019-03-18T16:00:00".into(),
            time_zone: "UTC".into(),
        },
        end: DateTimeTimeZone {
            date_time: "2019-03-18T16:30:00".into(),
            time_zone: "UTC".into(),
        },
        attendees: vec![NewAttendee::required(MailAddress::named(
            "Megan Bowen",
            "MeganB@contoso.com",
        ))],
        show_as: Some(ShowAs::Tentative),
        categories: vec!["Onbehalf hold".into()],
        transaction_id: transaction_id.map(str::to_string),
    }
}

#[tokio::test]
async fn an_event_with_an_attendee_goes_to_the_owners_calendar_as_documented() {
    let (base, seen) = recording(|_, _, _| created(fixture(EVENT_CREATED))).await;
    let client = graph(&base, FakeTokens::new("t"));
    let event = client
        .events(CalendarTarget::default_of("PradeepG@contoso.com"))
        .create(&hold(Some("7E163156-7762-4BEB-A1C6-729EA81755A7")))
        .await
        .unwrap();

    assert_eq!(event.id, "AAMkAGI1AAAt9AHjAAA=");
    assert_eq!(
        event.transaction_id.as_deref(),
        Some("7E163156-7762-4BEB-A1C6-729EA81755A7")
    );
    assert_eq!(event.version(), Some("ZlnW4RIAV06KYYwlrfNZvQAALfZeRQ=="));
    assert_eq!(event.attendees.len(), 1);
    assert_eq!(event.attendees[0].kind, "required");

    let seen = seen.lock().unwrap();
    assert_eq!(seen[0].method, Method::POST);
    assert_eq!(
        seen[0].path(),
        "/v1.0/users/PradeepG%40contoso.com/calendar/events"
    );
    assert_eq!(
        seen[0].json(),
        json!({
            "subject": "Hold: Pradeep / Megan",
            "body": {"contentType": "text", "content": "Held while Megan chooses a time."},
            "start": {"dateTime": "2019-03-18T16:00:00", "timeZone": "UTC"},
            "end": {"dateTime": "2019-03-18T16:30:00", "timeZone": "UTC"},
            "attendees": [{
                "emailAddress": {"name": "Megan Bowen", "address": "MeganB@contoso.com"},
                "type": "required"
            }],
            "showAs": "tentative",
            "categories": ["Onbehalf hold"],
            "transactionId": "7E163156-7762-4BEB-A1C6-729EA81755A7"
        })
    );
}

#[tokio::test]
async fn a_create_with_a_transaction_id_is_repeated_after_a_gateway_timeout_one_without_is_not() {
    async fn create(transaction_id: Option<&str>) -> (Result<(), GraphError>, usize) {
        let (base, seen) = recording(|_, _, n| match n {
            0 => graph_error(StatusCode::GATEWAY_TIMEOUT, "GatewayTimeout", ""),
            _ => created(fixture(EVENT_CREATED)),
        })
        .await;
        let result = graph(&base, FakeTokens::new("t"))
            .events(CalendarTarget::default_of("PradeepG@contoso.com"))
            .create(&hold(transaction_id))
            .await
            .map(|_| ());
        let calls = seen.lock().unwrap().len();
        (result, calls)
    }

    let (result, calls) = create(Some("7E163156-7762-4BEB-A1C6-729EA81755A7")).await;
    assert!(result.is_ok(), "{result:?}");
    assert_eq!(calls, 2);

    // Without one, the first create may have been made: repeating it could make a second.
    let (result, calls) = create(None).await;
    assert_eq!(result.unwrap_err().status(), Some(504));
    assert_eq!(calls, 1);
}
