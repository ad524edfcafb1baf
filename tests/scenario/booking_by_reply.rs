//! Booking by reply: a delegate offers three of her executive's times with reply links and
//! holds; the customer's reply books the one chosen on the executive's calendar, with the
//! customer invited, the other holds released and the executive told. A time taken meanwhile
//! gets a reply draft with the next free times instead.

use chrono::{DateTime, Duration, FixedOffset, Utc};
use onbehalf_sandbox::{InboundMail, MailAddress, MailBody};
use reqwest::Method;
use serde_json::{json, Value};

use crate::office::{adds, json_as, office, DANIEL, OLIVIA};
use crate::slots_support::{mail_of, next_monday, CUSTOMER};
use crate::support::{graph, token_for, Machine, World};

/// Daniel sends Olivia's first three free times on `day` to the customer, with reply links
/// and holds; returns the offer as `offers --json` lists it.
async fn daniel_offers(daniel: &Machine, day: &str) -> Value {
    let said = daniel
        .ok(&[
            "--as",
            DANIEL,
            "slots",
            "--calendar",
            OLIVIA,
            "--duration",
            "45",
            "--from",
            day,
            "--to",
            day,
            "--pick",
            "1",
            "--pick",
            "2",
            "--pick",
            "3",
            "--recipient",
            CUSTOMER,
            "--reply-links",
            "--hold",
            "--send",
        ])
        .await;
    assert!(
        said.contains("The 3 times are held on Olivia Grant's calendar"),
        "{said}"
    );
    let offers = json_as(daniel, DANIEL, &["offers", "--json"]).await;
    assert_eq!(offers.as_array().unwrap().len(), 1, "{offers}");
    offers[0].clone()
}

/// A world where Daniel has sent the customer an offer of Olivia's first three free times next
/// Monday, with reply links and holds: the world, Daniel's computer, the offer as `offers
/// --json` lists it, and its reference.
async fn an_offer_sent() -> (World, Machine, Value, String) {
    let world = World::start().await;
    let (_olivia, delegates) = office(&world, true, &[DANIEL]).await;
    let daniel = delegates.into_iter().next().unwrap();
    let offer = daniel_offers(&daniel, &next_monday().to_string()).await;
    let reference = offer["reference"].as_str().unwrap().to_string();
    (world, daniel, offer, reference)
}

/// Olivia's events of the coming weeks, as her Outlook shows them.
async fn olivias_events(world: &World) -> Vec<Value> {
    let token = token_for(world, OLIVIA).await;
    let (from, to) = (Utc::now(), Utc::now() + Duration::days(28));
    let path = format!(
        "/me/calendarView?startDateTime={}&endDateTime={}&$top=500",
        from.format("%Y-%m-%dT%H:%M:%SZ"),
        to.format("%Y-%m-%dT%H:%M:%SZ")
    );
    let (status, body) = graph(world, &token, Method::GET, &path, None).await;
    assert_eq!(status, 200, "{body}");
    body["value"].as_array().unwrap().clone()
}

fn holds(events: &[Value]) -> Vec<&Value> {
    events
        .iter()
        .filter(|e| {
            e["categories"]
                .as_array()
                .unwrap()
                .iter()
                .any(|c| c == "Onbehalf hold")
        })
        .collect()
}

/// The customer answers with the link of time `number`.
fn customer_chooses(world: &World, reference: &str, number: u32) {
    customer_replies(
        world,
        &format!("RE: Meeting with Olivia Grant — time {number} [OB-{reference}-{number}]"),
        "That one suits me.",
    );
}

/// A mail from the customer arrives in Daniel's inbox.
fn customer_replies(world: &World, subject: &str, text: &str) {
    world
        .sandbox
        .faults()
        .deliver_mail(&InboundMail {
            to: DANIEL.into(),
            from: MailAddress {
                name: "Jordan Blake".into(),
                address: CUSTOMER.into(),
            },
            subject: subject.into(),
            body: MailBody {
                content_type: "text".into(),
                content: text.into(),
            },
            in_reply_to: None,
        })
        .unwrap();
}

fn start_of(slot: &Value) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(slot["start"].as_str().unwrap())
        .unwrap()
        .to_utc()
}

fn graph_start(event: &Value) -> DateTime<Utc> {
    let written = event["start"]["dateTime"].as_str().unwrap();
    let naive = chrono::NaiveDateTime::parse_from_str(
        written.split('.').next().unwrap(),
        "%Y-%m-%dT%H:%M:%S",
    )
    .unwrap();
    assert_eq!(event["start"]["timeZone"], "UTC", "{event}");
    naive.and_utc()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_customers_reply_books_the_chosen_time_and_releases_the_other_holds() {
    let (world, daniel, offer, reference) = an_offer_sent().await;
    let daniel = &daniel;
    assert_eq!(offer["state"], "open");
    assert_eq!(offer["holds"], 3);

    // The customer got it from Olivia, sent by Daniel, each time a reply link.
    let sent = world.sandbox.faults().outbound_mail();
    let mail = sent.iter().find(|m| m.outside == [CUSTOMER]).unwrap();
    assert_eq!(mail.from.address, OLIVIA);
    assert_eq!(mail.sender.address, DANIEL);
    assert!(
        mail.body
            .content
            .contains(&format!("%5BOB-{reference}-2%5D")),
        "{}",
        mail.body.content
    );
    assert!(
        mail.body.content.contains(&format!("mailto:{DANIEL}")),
        "replies come to Daniel"
    );
    // Olivia's calendar holds the three times.
    let events = olivias_events(&world).await;
    assert_eq!(holds(&events).len(), 3, "{events:?}");

    // Nothing has come back yet.
    let said = daniel.ok(&["--as", DANIEL, "offers", "--check"]).await;
    assert!(said.contains("No new replies"), "{said}");

    customer_chooses(&world, &reference, 2);
    let said = daniel.ok(&["--as", DANIEL, "offers", "--check"]).await;
    assert!(said.contains("Jordan Blake chose"), "{said}");
    assert!(
        said.contains("booked on Olivia Grant's calendar, with Jordan Blake invited"),
        "{said}"
    );

    let chosen = start_of(&offer["slots"][1]);
    let events = olivias_events(&world).await;
    assert!(
        holds(&events).is_empty(),
        "every hold is released: {events:?}"
    );
    let booked: Vec<&Value> = events
        .iter()
        .filter(|e| e["subject"] == "Meeting with Olivia Grant")
        .collect();
    assert_eq!(booked.len(), 1, "{events:?}");
    assert_eq!(graph_start(booked[0]), chosen);
    assert_eq!(
        booked[0]["attendees"][0]["emailAddress"]["address"],
        CUSTOMER
    );

    // Olivia is told; the offer is booked; the same reply read again books nothing more.
    let inbox = mail_of(&world, OLIVIA, "inbox").await;
    assert!(
        inbox.iter().any(|m| m["subject"]
            .as_str()
            .unwrap()
            .starts_with("Booked: Meeting with Olivia Grant")),
        "{inbox:?}"
    );
    let said = daniel.ok(&["--as", DANIEL, "offers", "--check"]).await;
    assert!(said.contains("No new replies"), "{said}");
    let offers = json_as(daniel, DANIEL, &["offers", "--json"]).await;
    assert_eq!(offers[0]["state"], "booked", "{offers}");
    assert_eq!(offers[0]["booked_with"], CUSTOMER, "{offers}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_time_taken_meanwhile_gets_a_reply_draft_with_the_next_free_times() {
    let (world, daniel, offer, reference) = an_offer_sent().await;
    let daniel = &daniel;

    // Olivia books time 1 for something else before the customer answers.
    let first = DateTime::parse_from_rfc3339(offer["slots"][0]["start"].as_str().unwrap()).unwrap();
    let end = first + Duration::minutes(45);
    let utc = |t: DateTime<FixedOffset>| t.to_utc().format("%Y-%m-%dT%H:%M:%S").to_string();
    adds(
        &world,
        OLIVIA,
        "Call with the auditors",
        json!({
            "start": {"dateTime": utc(first), "timeZone": "UTC"},
            "end": {"dateTime": utc(end), "timeZone": "UTC"},
        }),
    )
    .await;

    customer_chooses(&world, &reference, 1);
    let said = daniel.ok(&["--as", DANIEL, "offers", "--check"]).await;
    assert!(
        said.contains("which is no longer free on Olivia Grant's calendar"),
        "{said}"
    );
    assert!(said.contains("in your Drafts folder"), "{said}");

    // Nothing was booked, the holds are gone, and a reply waits in Daniel's Drafts, from
    // Olivia, to the customer, as a new offer of its own.
    let events = olivias_events(&world).await;
    assert!(holds(&events).is_empty(), "{events:?}");
    assert!(!events
        .iter()
        .any(|e| e["subject"] == "Meeting with Olivia Grant"));
    let drafts = mail_of(&world, DANIEL, "drafts").await;
    let reply = drafts
        .iter()
        .find(|m| {
            m["subject"]
                .as_str()
                .unwrap()
                .starts_with("Re: Meeting with Olivia Grant [OB-")
        })
        .unwrap_or_else(|| panic!("{drafts:?}"))
        .clone();
    assert_eq!(reply["from"]["emailAddress"]["address"], OLIVIA);
    assert_eq!(
        reply["toRecipients"][0]["emailAddress"]["address"],
        CUSTOMER
    );
    let offers = json_as(daniel, DANIEL, &["offers", "--json"]).await;
    let states: Vec<&str> = offers
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["state"].as_str().unwrap())
        .collect();
    assert_eq!(states, ["open", "withdrawn"], "{offers}");
    assert!(
        offers[0]["slots"]
            .as_array()
            .unwrap()
            .iter()
            .all(|s| start_of(s) != first.to_utc()),
        "the taken time is not offered again: {offers}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_withdrawn_offer_releases_its_holds_and_books_nothing() {
    let (world, daniel, _offer, reference) = an_offer_sent().await;
    let daniel = &daniel;
    daniel
        .ok(&[
            "--as",
            DANIEL,
            "offers",
            "withdraw",
            &format!("OB-{reference}"),
        ])
        .await;
    assert!(holds(&olivias_events(&world).await).is_empty());
    customer_chooses(&world, &reference, 2);
    let said = daniel.ok(&["--as", DANIEL, "offers", "--check"]).await;
    assert!(said.contains("No new replies"), "{said}");
    assert!(!olivias_events(&world)
        .await
        .iter()
        .any(|e| e["subject"] == "Meeting with Olivia Grant"));
}

#[tokio::test(flavor = "multi_thread")]
async fn the_running_app_books_a_reply_and_says_so_on_the_desktop() {
    let screen = crate::desktop::desktop();
    let (world, daniel, _offer, reference) = an_offer_sent().await;
    let daniel = &daniel;
    customer_chooses(&world, &reference, 3);

    // Daniel's Onbehalf keeps running (the headless loop, as the tray app does).
    let _running = daniel.spawn(&["--as", DANIEL, "sync"]);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    let told = loop {
        let told = screen.about("Jordan Blake chose");
        if !told.is_empty() || std::time::Instant::now() > deadline {
            break told;
        }
        tokio::time::sleep(std::time::Duration::from_millis(250)).await;
    };
    assert_eq!(told.len(), 1, "{told:?}");
    assert!(told[0].summary.starts_with("Booked: "), "{told:?}");
    assert!(told[0].body.contains("Jordan Blake chose"), "{told:?}");
    let booked = olivias_events(&world).await;
    assert!(booked
        .iter()
        .any(|e| e["subject"] == "Meeting with Olivia Grant"));
}

#[tokio::test(flavor = "multi_thread")]
async fn an_offer_that_ends_releases_its_holds_and_a_late_reply_books_nothing() {
    let world = World::start().await;
    let (_olivia, delegates) = office(&world, true, &[DANIEL]).await;
    let daniel = &delegates[0];
    let day = next_monday().to_string();
    // Held for no days at all: the offer ends at once.
    let said = daniel
        .ok(&[
            "--as",
            DANIEL,
            "slots",
            "--calendar",
            OLIVIA,
            "--from",
            &day,
            "--to",
            &day,
            "--pick",
            "1",
            "--pick",
            "2",
            "--reply-links",
            "--hold",
            "--hold-days",
            "0",
            "--draft",
        ])
        .await;
    assert!(said.contains("The 2 times are held"), "{said}");
    assert_eq!(holds(&olivias_events(&world).await).len(), 2);
    let offers = json_as(daniel, DANIEL, &["offers", "--json"]).await;
    let reference = offers[0]["reference"].as_str().unwrap().to_string();
    customer_chooses(&world, &reference, 1);
    let said = daniel.ok(&["--as", DANIEL, "offers", "--check"]).await;
    assert!(said.contains("No new replies"), "{said}");
    assert!(holds(&olivias_events(&world).await).is_empty());
    let offers = json_as(daniel, DANIEL, &["offers", "--json"]).await;
    assert_eq!(offers[0]["state"], "expired", "{offers}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_plain_reply_with_the_times_number_books_it_and_one_without_is_left_to_read() {
    let (world, daniel, offer, reference) = an_offer_sent().await;
    let daniel = &daniel;
    // The offer's own subject names it, for replies that do not use a link.
    let sent = world.sandbox.faults().outbound_mail();
    let subject = &sent
        .iter()
        .find(|m| m.outside == [CUSTOMER])
        .unwrap()
        .subject;
    assert_eq!(
        subject,
        &format!("Meeting with Olivia Grant [OB-{reference}]")
    );

    // A reply that chooses nothing is left for Daniel to read; the offer stays open.
    customer_replies(
        &world,
        &format!("RE: {subject}"),
        "Could we do Thursday instead?",
    );
    let said = daniel.ok(&["--as", DANIEL, "offers", "--check"]).await;
    assert!(
        said.contains("without choosing one by its number"),
        "{said}"
    );
    let offers = json_as(daniel, DANIEL, &["offers", "--json"]).await;
    assert_eq!(offers[0]["state"], "open", "{offers}");

    // "3" on the first line books the third time.
    customer_replies(
        &world,
        &format!("RE: {subject}"),
        "3\n\nBest,\nJordan\n\n> Here are times for a meeting of 45 minutes",
    );
    let said = daniel.ok(&["--as", DANIEL, "offers", "--check"]).await;
    assert!(said.contains("booked on Olivia Grant's calendar"), "{said}");
    let events = olivias_events(&world).await;
    let booked: Vec<&Value> = events
        .iter()
        .filter(|e| e["subject"] == "Meeting with Olivia Grant")
        .collect();
    assert_eq!(booked.len(), 1, "{events:?}");
    assert_eq!(graph_start(booked[0]), start_of(&offer["slots"][2]));
}
