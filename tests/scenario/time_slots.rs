//! Time slots: a delegate picks her executive's calendar and offers times in the customer's
//! zone, inside the executive's working hours and clear of every busy item; the message says
//! who sent it on whose behalf; a calendar without free/busy is refused with the reason.

use chrono::{DateTime, Datelike, Duration, FixedOffset, NaiveDate, Timelike, Weekday};
use reqwest::Method;
use serde_json::{json, Value};

use crate::office::{adds, json_as, office, DANIEL, EMMA, OLIVIA};
use crate::slots_support::{mail_of, next_monday, CUSTOMER};
use crate::support::{encode, graph, token_for, World};

const CARLA: &str = "carla.mendes@contoso.com";
const NOAH: &str = "noah.lind@contoso.com";

fn slots_of(found: &Value) -> Vec<(DateTime<FixedOffset>, DateTime<FixedOffset>)> {
    found["slots"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                DateTime::parse_from_rfc3339(s["start"].as_str().unwrap()).unwrap(),
                DateTime::parse_from_rfc3339(s["end"].as_str().unwrap()).unwrap(),
            )
        })
        .collect()
}

/// New York time of an instant in the winter (UTC−5), when every test date falls.
fn eastern(t: DateTime<FixedOffset>) -> DateTime<FixedOffset> {
    t.with_timezone(&FixedOffset::west_opt(5 * 3600).unwrap())
}

fn inside_hours(
    start: DateTime<FixedOffset>,
    end: DateTime<FixedOffset>,
    from: u32,
    to: u32,
) -> bool {
    let (s, e) = (eastern(start), eastern(end));
    !matches!(s.weekday(), Weekday::Sat | Weekday::Sun)
        && s.date_naive() == e.date_naive()
        && s.hour() >= from
        && (e.hour() < to || (e.hour() == to && e.minute() == 0))
}

#[tokio::test(flavor = "multi_thread")]
async fn the_delegate_offers_her_executives_free_times_in_the_customers_zone() {
    let world = World::start().await;
    let (_olivia, delegates) = office(&world, true, &[DANIEL]).await;
    let daniel = &delegates[0];
    let monday = next_monday();
    let tuesday = monday + Duration::days(1);
    // Olivia is busy on Tuesday from 14:00 to 15:00 her time, and tentative at 09:00.
    let busy = |day: NaiveDate, from: u32, to: u32, show_as: &str| {
        json!({
            "start": {"dateTime": format!("{day}T{from:02}:00:00"), "timeZone": "Eastern Standard Time"},
            "end": {"dateTime": format!("{day}T{to:02}:00:00"), "timeZone": "Eastern Standard Time"},
            "showAs": show_as,
        })
    };
    adds(
        &world,
        OLIVIA,
        "Board review",
        busy(tuesday, 14, 15, "busy"),
    )
    .await;
    adds(
        &world,
        OLIVIA,
        "Maybe: supplier call",
        busy(tuesday, 9, 10, "tentative"),
    )
    .await;

    let (first, last) = (monday.to_string(), (monday + Duration::days(4)).to_string());
    let args = [
        "slots",
        "--calendar",
        OLIVIA,
        "--duration",
        "45",
        "--from",
        &first,
        "--to",
        &last,
        "--tz",
        "Central Standard Time",
        "--json",
    ];
    let found = json_as(daniel, DANIEL, &args).await;
    assert_eq!(found["owner"]["name"], "Olivia Grant", "{found}");
    let slots = slots_of(&found);
    assert!(slots.len() > 20, "{found}");
    for (start, end) in &slots {
        // In the customer's zone (Chicago, UTC−6 in December)...
        assert_eq!(start.offset().local_minus_utc(), -6 * 3600, "{start}");
        assert_eq!(*end - *start, Duration::minutes(45));
        // ...inside Olivia's working hours (08:00–17:00 New York, weekdays)...
        assert!(
            inside_hours(*start, *end, 8, 17),
            "{start}–{end} is outside her hours"
        );
        // ...and clear of her busy and tentative items.
        let (s, e) = (eastern(*start), eastern(*end));
        if s.date_naive() == tuesday {
            assert!(
                e.hour() <= 9 || s.hour() >= 10,
                "{s} overlaps the tentative call"
            );
            assert!(
                e.hour() < 14 || (e.hour() == 14 && e.minute() == 0) || s.hour() >= 15,
                "{s} overlaps the board review"
            );
        }
    }
    // With tentative counting as free, 09:00 on Tuesday can be offered.
    let mut free_args = args.to_vec();
    free_args.push("--tentative-free");
    let found = json_as(daniel, DANIEL, &free_args).await;
    assert!(
        slots_of(&found)
            .iter()
            .any(|(s, _)| eastern(*s).date_naive() == tuesday && eastern(*s).hour() == 9),
        "{found}"
    );

    // The message, in the customer's zone, says who sent it for whom.
    let text = daniel
        .ok(&[
            "--as",
            DANIEL,
            "slots",
            "--calendar",
            OLIVIA,
            "--duration",
            "45",
            "--from",
            &first,
            "--to",
            &last,
            "--tz",
            "America/Chicago",
            "--message",
            "--pick",
            "1",
            "--pick",
            "2",
            "--pick",
            "3",
        ])
        .await;
    assert!(
        text.contains("Subject: Meeting with Olivia Grant"),
        "{text}"
    );
    assert!(
        text.contains("a meeting of 45 minutes with Olivia Grant"),
        "{text}"
    );
    assert!(text.contains("Chicago"), "{text}");
    assert!(
        text.contains("(Olivia Grant: "),
        "her own time is beside each: {text}"
    );
    assert!(
        text.contains("Daniel Reyes sent this on behalf of Olivia Grant"),
        "{text}"
    );
    assert!(text.contains("3. "), "{text}");
    assert!(!text.contains("4. "), "{text}");

    // The calendar used last is the default next time, with its rules.
    let listed = daniel.ok(&["--as", DANIEL, "slots", "--calendars"]).await;
    assert!(
        listed.contains("Olivia Grant's calendar (olivia.grant@contoso.com) (default)"),
        "{listed}"
    );
    let again = json_as(
        daniel,
        DANIEL,
        &["slots", "--from", &first, "--to", &first, "--json"],
    )
    .await;
    assert_eq!(again["owner"]["address"], OLIVIA, "{again}");
    assert_eq!(again["duration_minutes"], 45, "{again}");
}

#[tokio::test(flavor = "multi_thread")]
async fn times_with_a_colleague_are_where_both_are_free_each_in_their_own_hours() {
    let world = World::start().await;
    let (_olivia, delegates) = office(&world, true, &[DANIEL]).await;
    let daniel = &delegates[0];
    let monday = next_monday().to_string();
    // Carla works 08:00–17:00 in Pacific time: 11:00–20:00 in New York.
    let found = json_as(
        daniel,
        DANIEL,
        &[
            "slots",
            "--calendar",
            OLIVIA,
            "--with",
            CARLA,
            "--duration",
            "60",
            "--from",
            &monday,
            "--to",
            &monday,
            "--json",
        ],
    )
    .await;
    let slots = slots_of(&found);
    assert!(!slots.is_empty(), "{found}");
    for (start, end) in &slots {
        assert!(inside_hours(*start, *end, 11, 17), "{start}–{end}");
    }
    assert_eq!(found["with"], json!([CARLA]), "{found}");

    // Someone whose free/busy cannot be read: no time is offered as free for them.
    let out = daniel
        .run(&[
            "--as",
            DANIEL,
            "slots",
            "--calendar",
            OLIVIA,
            "--with",
            "nobody@contoso.com",
            "--from",
            &monday,
            "--to",
            &monday,
        ])
        .await;
    assert!(!out.status.success());
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("nobody@contoso.com"), "{said}");
    assert!(said.contains("could not be read"), "{said}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_calendar_without_free_busy_is_listed_refused_with_the_reason() {
    let world = World::start().await;
    // Olivia lets nobody in the organisation see her free/busy.
    let token = token_for(&world, OLIVIA).await;
    let (status, perms) = graph(
        &world,
        &token,
        Method::GET,
        "/me/calendar/calendarPermissions",
        None,
    )
    .await;
    assert_eq!(status, 200, "{perms}");
    let org = perms["value"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["emailAddress"]["name"] == "My Organization")
        .unwrap_or_else(|| panic!("no My Organization entry: {perms}"))
        .clone();
    let path = format!(
        "/me/calendar/calendarPermissions/{}",
        encode(org["id"].as_str().unwrap())
    );
    let (status, body) = graph(
        &world,
        &token,
        Method::PATCH,
        &path,
        Some(json!({"role": "none"})),
    )
    .await;
    assert_eq!(status, 200, "{body}");

    let noah = world.machine();
    noah.ok(&["--as", NOAH, "calendars", "add", OLIVIA]).await;
    let listed = noah.ok(&["--as", NOAH, "slots", "--calendars"]).await;
    // Without free/busy, not even her name can be read: she is named by her address.
    assert!(
        listed.contains("olivia.grant@contoso.com's calendar"),
        "{listed}"
    );
    assert!(
        listed.contains("time slots: no. Time slots need at least free/busy access"),
        "{listed}"
    );
    assert!(
        listed.contains("Your calendar (noah.lind@contoso.com) (default)"),
        "{listed}"
    );
    let out = noah
        .run(&["--as", NOAH, "slots", "--calendar", OLIVIA])
        .await;
    assert_eq!(
        out.status.code(),
        Some(10),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        said.contains("Ask olivia.grant@contoso.com to share free/busy with you"),
        "{said}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_delegates_draft_is_from_the_executive_and_sent_on_her_behalf() {
    let world = World::start().await;
    let (_olivia, delegates) = office(&world, true, &[DANIEL, EMMA]).await;
    let (daniel, emma) = (&delegates[0], &delegates[1]);
    let monday = next_monday().to_string();
    let offer = |extra: &'static [&'static str]| {
        let mut args = vec![
            "slots",
            "--calendar",
            OLIVIA,
            "--duration",
            "45",
            "--from",
            &monday,
            "--to",
            &monday,
            "--pick",
            "1",
            "--pick",
            "2",
            "--recipient",
            CUSTOMER,
        ];
        args.extend_from_slice(extra);
        args
    };
    // A draft, from Olivia, in Daniel's own Drafts.
    let mut args = vec!["--as", DANIEL];
    args.extend(offer(&["--draft"]));
    let said = daniel.ok(&args).await;
    assert!(
        said.contains("in your Drafts folder, from Olivia Grant"),
        "{said}"
    );
    let drafts = mail_of(&world, DANIEL, "drafts").await;
    assert_eq!(drafts.len(), 1, "{drafts:?}");
    assert_eq!(drafts[0]["from"]["emailAddress"]["address"], OLIVIA);
    assert_eq!(drafts[0]["subject"], "Meeting with Olivia Grant");
    assert_eq!(
        drafts[0]["toRecipients"][0]["emailAddress"]["address"],
        CUSTOMER
    );
    let html = drafts[0]["body"]["content"].as_str().unwrap();
    assert!(
        html.contains("Daniel Reyes sent this on behalf of Olivia Grant"),
        "{html}"
    );

    // Sent at once: the customer sees it from Olivia, sent by Daniel.
    let mut args = vec!["--as", DANIEL];
    args.extend(offer(&["--send"]));
    let said = daniel.ok(&args).await;
    assert!(
        said.contains("Sent from Olivia Grant by you, on their behalf"),
        "{said}"
    );
    let out = world.sandbox.faults().outbound_mail();
    let sent = out
        .iter()
        .find(|m| m.outside == [CUSTOMER])
        .expect("sent outside");
    assert_eq!(sent.from.address, OLIVIA);
    assert_eq!(sent.sender.address, DANIEL);

    // Emma edits Olivia's calendar but may not send for her: refused before anything is
    // written, naming who can give the right.
    let mut args = vec!["--as", EMMA];
    args.extend(offer(&["--draft"]));
    let out = emma.run(&args).await;
    assert_eq!(out.status.code(), Some(10));
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        said.contains("You do not have the right to send mail on behalf of Olivia Grant"),
        "{said}"
    );
    assert!(said.contains("Delegate Access"), "{said}");
    assert!(mail_of(&world, EMMA, "drafts").await.is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn exchange_refusing_to_send_on_behalf_is_explained_and_the_draft_kept() {
    let world = World::start().await;
    // Carla does not run Onbehalf: nothing says whether Daniel may send for her.
    let daniel = world.machine();
    daniel
        .ok(&["--as", DANIEL, "calendars", "add", CARLA])
        .await;
    let listed = daniel.ok(&["--as", DANIEL, "slots", "--calendars"]).await;
    assert!(
        listed.contains("sending on their behalf is not proven"),
        "{listed}"
    );
    let monday = next_monday().to_string();
    let out = daniel
        .run(&[
            "--as",
            DANIEL,
            "slots",
            "--calendar",
            CARLA,
            "--from",
            &monday,
            "--to",
            &monday,
            "--pick",
            "1",
            "--recipient",
            CUSTOMER,
            "--send",
        ])
        .await;
    assert_eq!(out.status.code(), Some(10));
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        said.contains("You do not have the right to send mail on behalf of Carla Mendes"),
        "{said}"
    );
    assert!(
        said.contains("The draft is still in your Drafts folder."),
        "{said}"
    );
    assert_eq!(mail_of(&world, DANIEL, "drafts").await.len(), 1);
    assert!(world.sandbox.faults().outbound_mail().is_empty());
}
