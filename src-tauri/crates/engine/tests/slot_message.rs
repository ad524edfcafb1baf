//! The message that offers slots or sends availability: what a recipient reads, in text and
//! HTML, in their own zone, with the owner's time beside it and the delegate named.
//!
//! Dates are in 2026: 8 December is a Tuesday; the US changed clocks on 8 March and 1 November,
//! Europe on 29 March and 25 October.

#![allow(clippy::unwrap_used)]

mod slots_common;

use onbehalf_engine::slots::availability::DayFree;
use onbehalf_engine::slots::custom_zone::CustomZone;
use onbehalf_engine::slots::message::{compose, Mailbox, Message, MessageInput, ReplyTo, Times};
use onbehalf_engine::slots::params::Slot;
use onbehalf_engine::slots::reply_token::{find_choice, OfferToken};
use onbehalf_engine::slots::wording::length;
use onbehalf_engine::slots::zone::Zone;
use rstest::rstest;
use slots_common::*;

fn mailbox(name: &str, address: &str) -> Mailbox {
    Mailbox {
        name: name.to_string(),
        address: address.to_string(),
    }
}

fn olivia_grant() -> Mailbox {
    mailbox("Olivia Grant", "olivia.grant@contoso.com")
}

fn anna_smith() -> Mailbox {
    mailbox("Anna Smith", "anna.smith@contoso.com")
}

fn token() -> OfferToken {
    "K7Q2MX".parse().unwrap()
}

/// Two slots on Tuesday 8 December and one on Wednesday, in New York.
fn december_slots() -> Vec<Slot> {
    vec![
        slot("2026-12-08T10:00:00-05:00", "2026-12-08T10:45:00-05:00"),
        slot("2026-12-08T14:00:00-05:00", "2026-12-08T14:45:00-05:00"),
        slot("2026-12-09T09:00:00-05:00", "2026-12-09T09:45:00-05:00"),
    ]
}

/// Anna sends Olivia's times to a recipient in New York; Olivia is in Berlin.
fn offer(slots: Vec<Slot>) -> MessageInput {
    MessageInput {
        owner: olivia_grant(),
        sender: anna_smith(),
        meeting_minutes: minutes(45),
        first_day: day("2026-12-07"),
        last_day: day("2026-12-11"),
        recipient_zone: zone("America/New_York"),
        owner_zone: zone("Europe/Berlin"),
        note: None,
        times: Times::Slots { slots, reply: None },
    }
}

fn with_reply(input: MessageInput) -> MessageInput {
    let Times::Slots { slots, .. } = input.times else {
        panic!("not an offer of slots");
    };
    MessageInput {
        times: Times::Slots {
            slots,
            reply: Some(ReplyTo {
                address: "anna.smith@contoso.com".into(),
                token: token(),
            }),
        },
        ..input
    }
}

fn lines(message: &Message) -> Vec<&str> {
    message.text.lines().collect()
}

// ---- the whole message ----

#[test]
fn an_offer_reads_as_a_person_would_write_it() {
    let message = compose(&MessageInput {
        note: Some("Hi Sam,\nas promised, here are some times.".into()),
        ..with_reply(offer(december_slots()))
    });
    assert_eq!(message.subject, "Meeting with Olivia Grant");
    assert_eq!(
        message.text,
        "\
Hi Sam,
as promised, here are some times.

Here are times for a meeting of 45 minutes with Olivia Grant.
Times are in New York time (America/New_York).

Tuesday 8 December 2026 (UTC−05:00)
1. 10:00–10:45 (Olivia Grant: 16:00–16:45 Berlin time)
2. 14:00–14:45 (Olivia Grant: 20:00–20:45 Berlin time)

Wednesday 9 December 2026 (UTC−05:00)
3. 09:00–09:45 (Olivia Grant: 15:00–15:45 Berlin time)

Reply with the number of the time that suits you.

Anna Smith sent this on behalf of Olivia Grant
"
    );
}

#[test]
fn availability_reads_as_a_person_would_write_it() {
    let days = vec![
        DayFree {
            day: day("2026-12-08"),
            free: vec![
                slot("2026-12-08T09:00:00-05:00", "2026-12-08T11:30:00-05:00"),
                slot("2026-12-08T13:00:00-05:00", "2026-12-08T17:00:00-05:00"),
            ],
        },
        DayFree {
            day: day("2026-12-10"),
            free: vec![slot(
                "2026-12-10T08:00:00-05:00",
                "2026-12-10T10:00:00-05:00",
            )],
        },
    ];
    let message = compose(&MessageInput {
        meeting_minutes: minutes(90),
        times: Times::Free { days },
        ..offer(vec![])
    });
    assert_eq!(message.subject, "Availability of Olivia Grant");
    assert_eq!(
        message.text,
        "\
Olivia Grant is free at these times, each long enough for a meeting of 1 hour 30 minutes.
Times are in New York time (America/New_York).

Tuesday 8 December 2026 (UTC−05:00)
• 09:00–11:30 (Olivia Grant: 15:00–17:30 Berlin time)
• 13:00–17:00 (Olivia Grant: 19:00–23:00 Berlin time)

Thursday 10 December 2026 (UTC−05:00)
• 08:00–10:00 (Olivia Grant: 14:00–16:00 Berlin time)

Reply with a time that suits you.

Anna Smith sent this on behalf of Olivia Grant
"
    );
    assert!(message.html.contains("Olivia Grant is free at these times"));
}

// ---- daylight saving ----

#[rstest]
// New York moves to summer time on Sunday 8 March; Berlin three weeks later.
#[case::across_the_us_change(
    "America/New_York",
    "Europe/Berlin",
    [
        ("2026-03-06T09:00:00-05:00", "2026-03-06T09:45:00-05:00"),
        ("2026-03-09T09:00:00-04:00", "2026-03-09T09:45:00-04:00"),
    ],
    &[
        "Friday 6 March 2026 (UTC−05:00)",
        "1. 09:00–09:45 (Olivia Grant: 15:00–15:45 Berlin time)",
        "Monday 9 March 2026 (UTC−04:00)",
        "2. 09:00–09:45 (Olivia Grant: 14:00–14:45 Berlin time)",
    ]
)]
// Berlin moves back on Sunday 25 October; New York a week later.
#[case::across_the_eu_change(
    "Europe/Berlin",
    "America/New_York",
    [
        ("2026-10-23T15:00:00+02:00", "2026-10-23T15:45:00+02:00"),
        ("2026-10-26T15:00:00+01:00", "2026-10-26T15:45:00+01:00"),
    ],
    &[
        "Friday 23 October 2026 (UTC+02:00)",
        "1. 15:00–15:45 (Olivia Grant: 09:00–09:45 New York time)",
        "Monday 26 October 2026 (UTC+01:00)",
        "2. 15:00–15:45 (Olivia Grant: 10:00–10:45 New York time)",
    ]
)]
fn each_day_shows_the_offset_in_force_that_day(
    #[case] recipient: &str,
    #[case] owner: &str,
    #[case] times: [(&str, &str); 2],
    #[case] expected: &[&str],
) {
    let message = compose(&MessageInput {
        recipient_zone: zone(recipient),
        owner_zone: zone(owner),
        ..offer(times.iter().map(|(s, e)| slot(s, e)).collect())
    });
    let shown: Vec<&str> = lines(&message)
        .into_iter()
        .filter(|l| l.contains("2026 (") || l.starts_with(char::is_numeric))
        .collect();
    assert_eq!(shown, expected);
}

#[test]
fn a_slot_after_a_change_on_its_own_day_carries_its_own_offset() {
    // Sunday 8 March in New York: 01:00 is still winter time, 09:00 is summer time.
    let message = compose(&MessageInput {
        owner_zone: zone("America/New_York"),
        ..offer(vec![
            slot("2026-03-08T01:00:00-05:00", "2026-03-08T01:30:00-05:00"),
            slot("2026-03-08T09:00:00-04:00", "2026-03-08T09:45:00-04:00"),
        ])
    });
    let text = lines(&message);
    assert!(text.contains(&"Sunday 8 March 2026 (UTC−05:00)"));
    assert!(text.contains(&"1. 01:00–01:30"));
    assert!(text.contains(&"2. 09:00–09:45 (UTC−04:00)"));
}

// ---- zones ----

#[rstest]
#[case::same_zone("America/New_York", "America/New_York", "1. 10:00–10:45")]
// Paris and Berlin are different zones with the same clock: nothing to add.
#[case::same_clock("Europe/Paris", "Europe/Berlin", "1. 10:00–10:45")]
#[case::owner_a_day_ahead(
    "America/New_York",
    "Asia/Tokyo",
    "1. 10:00–10:45 (Olivia Grant: Wed 00:00–00:45 Tokyo time)"
)]
#[case::owner_in_utc(
    "America/New_York",
    "UTC",
    "1. 10:00–10:45 (Olivia Grant: 15:00–15:45 UTC)"
)]
#[case::owner_in_a_half_hour_zone(
    "America/New_York",
    "Asia/Kolkata",
    "1. 10:00–10:45 (Olivia Grant: 20:30–21:15 Kolkata time)"
)]
fn the_owners_own_time_is_shown_where_their_clock_differs(
    #[case] recipient: &str,
    #[case] owner: &str,
    #[case] first_line: &str,
) {
    let recipient = zone(recipient);
    let at_ten = recipient.instant(day("2026-12-08").and_time(clock("10:00")));
    let slots = vec![Slot {
        start: recipient.local(at_ten),
        end: recipient.local(at_ten + chrono::TimeDelta::minutes(45)),
    }];
    let message = compose(&MessageInput {
        recipient_zone: recipient,
        owner_zone: zone(owner),
        ..offer(slots)
    });
    assert!(
        lines(&message).contains(&first_line),
        "{first_line:?} not in\n{}",
        message.text
    );
}

#[test]
fn a_custom_zone_is_named_by_its_offset() {
    // Bias 300: UTC−05:00 all year, as Graph writes a zone it keeps by its rules.
    let custom = Zone::Custom(CustomZone {
        bias: 300,
        standard_offset: None,
        daylight_offset: None,
    });
    let message = compose(&MessageInput {
        recipient_zone: custom.clone(),
        owner_zone: zone("Europe/Berlin"),
        ..offer(december_slots())
    });
    let text = lines(&message);
    assert!(text.contains(&"Times are shown with their offset from UTC."));
    assert!(text.contains(&"Tuesday 8 December 2026 (UTC−05:00)"));
    let owner_custom = compose(&MessageInput {
        owner_zone: custom,
        recipient_zone: zone("Europe/Berlin"),
        ..offer(december_slots())
    });
    assert!(lines(&owner_custom).contains(&"1. 16:00–16:45 (Olivia Grant: 10:00–10:45 UTC−05:00)"));
}

#[test]
fn slots_written_with_another_offset_are_shown_in_the_recipients_zone() {
    // The same instants as `december_slots`, written in UTC.
    let message = compose(&offer(vec![slot(
        "2026-12-08T15:00:00Z",
        "2026-12-08T15:45:00Z",
    )]));
    assert!(lines(&message).contains(&"1. 10:00–10:45 (Olivia Grant: 16:00–16:45 Berlin time)"));
}

// ---- who sends ----

#[rstest]
#[case::a_delegate_sends(anna_smith(), true)]
#[case::the_owner_sends(olivia_grant(), false)]
#[case::the_owner_by_another_spelling(mailbox("Olivia", "Olivia.Grant@Contoso.com"), false)]
fn the_on_behalf_line_is_there_only_when_someone_else_sends(
    #[case] sender: Mailbox,
    #[case] on_behalf: bool,
) {
    for times in [
        Times::Slots {
            slots: december_slots(),
            reply: None,
        },
        Times::Free { days: vec![] },
    ] {
        let message = compose(&MessageInput {
            sender: sender.clone(),
            times,
            ..offer(vec![])
        });
        assert_eq!(
            lines(&message).contains(&"Anna Smith sent this on behalf of Olivia Grant"),
            on_behalf
        );
        assert_eq!(message.text.contains("on behalf"), on_behalf);
        assert_eq!(message.html.contains("on behalf"), on_behalf);
    }
}

// ---- nothing free ----

#[rstest]
#[case::no_slots(Times::Slots { slots: vec![], reply: None }, "Meeting with Olivia Grant")]
#[case::no_slots_with_a_reply_address(
    Times::Slots { slots: vec![], reply: Some(ReplyTo { address: "anna.smith@contoso.com".into(), token: token() }) },
    "Meeting with Olivia Grant"
)]
#[case::no_free_stretches(Times::Free { days: vec![] }, "Availability of Olivia Grant")]
#[case::only_empty_days(
    Times::Free { days: vec![DayFree { day: day("2026-12-08"), free: vec![] }] },
    "Availability of Olivia Grant"
)]
fn nothing_free_is_said_in_words_not_as_an_empty_list(#[case] times: Times, #[case] subject: &str) {
    let message = compose(&MessageInput {
        times,
        ..offer(vec![])
    });
    assert_eq!(message.subject, subject);
    assert_eq!(
        lines(&message),
        [
            "Olivia Grant has no free times for a meeting of 45 minutes between Monday 7 December 2026 and Friday 11 December 2026.",
            "",
            "Reply to suggest another period.",
            "",
            "Anna Smith sent this on behalf of Olivia Grant",
        ]
    );
    assert!(message.html.contains("has no free times"));
    assert!(!message.html.contains("mailto:"));
}

#[test]
fn nothing_free_on_a_single_day_names_that_day() {
    let message = compose(&MessageInput {
        first_day: day("2026-12-08"),
        last_day: day("2026-12-08"),
        ..offer(vec![])
    });
    assert!(message.text.starts_with(
        "Olivia Grant has no free times for a meeting of 45 minutes on Tuesday 8 December 2026."
    ));
}

// ---- HTML ----

#[test]
fn names_and_notes_are_escaped_in_html_and_kept_in_text() {
    let message = compose(&MessageInput {
        owner: mailbox("Pat O'Brien & <Co>", "pat@obrien.example"),
        sender: mailbox("Jo \"JJ\" Lee", "jo@obrien.example"),
        note: Some("<script>alert(1)</script> 5 < 6 & 7 > 3".into()),
        ..with_reply(offer(december_slots()))
    });
    assert_eq!(message.subject, "Meeting with Pat O'Brien & <Co>");
    assert!(message
        .text
        .contains("Jo \"JJ\" Lee sent this on behalf of Pat O'Brien & <Co>"));
    assert!(message.text.contains("<script>alert(1)</script>"));
    let html = &message.html;
    assert!(html.contains("Pat O&#39;Brien &amp; &lt;Co&gt;"));
    assert!(html
        .contains("Jo &quot;JJ&quot; Lee sent this on behalf of Pat O&#39;Brien &amp; &lt;Co&gt;"));
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; 5 &lt; 6 &amp; 7 &gt; 3"));
    assert!(!html.contains("<Co>"));
    assert!(!html.contains("O'Brien"));
    assert!(!html.to_lowercase().contains("<script"));
}

#[test]
fn html_is_plain_enough_for_outlook() {
    let message = compose(&with_reply(offer(december_slots())));
    let html = message.html.to_lowercase();
    for unwanted in [
        "<script",
        "<style",
        "<link",
        "<img",
        "class=",
        "http:",
        "https:",
        "javascript:",
    ] {
        assert!(!html.contains(unwanted), "{unwanted} in {html}");
    }
    assert!(html.starts_with("<html><head><meta charset=\"utf-8\"></head><body>"));
    assert!(html.trim_end().ends_with("</body></html>"));
    assert!(html.contains("<b>tuesday 8 december 2026</b> (utc−05:00)"));
    // Every tag opened is closed.
    for tag in ["p", "b", "a", "div"] {
        assert_eq!(
            html.matches(&format!("<{tag}>")).count() + html.matches(&format!("<{tag} ")).count(),
            html.matches(&format!("</{tag}>")).count(),
            "<{tag}>"
        );
    }
}

// ---- replies ----

/// The `href`s of the message's links.
fn links(html: &str) -> Vec<String> {
    html.split("href=\"")
        .skip(1)
        .map(|rest| rest.split('"').next().unwrap().replace("&amp;", "&"))
        .collect()
}

/// A percent-encoded query value, decoded from UTF-8.
fn decoded(value: &str) -> String {
    let bytes = value.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            out.push(u8::from_str_radix(&value[i + 1..i + 3], 16).unwrap());
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

/// A `mailto:` link's address and its decoded fields.
fn read_mailto(link: &str) -> (String, Vec<(String, String)>) {
    let rest = link.strip_prefix("mailto:").unwrap();
    let (to, query) = rest.split_once('?').unwrap();
    assert!(!query.contains(' ') && !query.contains('+'), "{query}");
    let fields = query
        .split('&')
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap();
            (name.to_string(), decoded(value))
        })
        .collect();
    (decoded(to), fields)
}

#[test]
fn each_slot_links_to_a_reply_whose_subject_names_it() {
    let message = compose(&with_reply(offer(december_slots())));
    let links = links(&message.html);
    assert_eq!(links.len(), 3);
    let subjects: Vec<String> = links
        .iter()
        .zip(1u32..)
        .map(|(link, number)| {
            let (to, fields) = read_mailto(link);
            assert_eq!(to, "anna.smith@contoso.com");
            let subject = &fields.iter().find(|(n, _)| n == "subject").unwrap().1;
            assert_eq!(find_choice(subject), Some((token(), number)));
            subject.clone()
        })
        .collect();
    assert_eq!(
        subjects,
        [
            "Re: Meeting with Olivia Grant — Tue 8 Dec, 10:00 [OB-K7Q2MX-1]",
            "Re: Meeting with Olivia Grant — Tue 8 Dec, 14:00 [OB-K7Q2MX-2]",
            "Re: Meeting with Olivia Grant — Wed 9 Dec, 09:00 [OB-K7Q2MX-3]",
        ]
    );
    let (_, fields) = read_mailto(&links[1]);
    assert_eq!(
        fields,
        [
            ("subject".to_string(), subjects[1].clone()),
            (
                "body".to_string(),
                "Tuesday 8 December 2026, 14:00–14:45 (UTC−05:00) suits me.".to_string()
            ),
        ]
    );
    assert!(message
        .text
        .contains("Reply with the number of the time that suits you."));
    assert!(!message.text.contains("mailto:"));
    assert!(message
        .html
        .contains("Click a time to reply with it, or reply with its number."));
}

#[test]
fn without_a_reply_address_there_are_no_links() {
    let message = compose(&offer(december_slots()));
    assert!(links(&message.html).is_empty());
    assert!(message
        .html
        .contains("Reply with the number of the time that suits you."));
}

// ---- lengths ----

#[rstest]
#[case(1, "1 minute")]
#[case(15, "15 minutes")]
#[case(45, "45 minutes")]
#[case(60, "1 hour")]
#[case(61, "1 hour 1 minute")]
#[case(90, "1 hour 30 minutes")]
#[case(120, "2 hours")]
#[case(150, "2 hours 30 minutes")]
fn a_meeting_length_is_written_in_hours_and_minutes(#[case] minutes: u32, #[case] written: &str) {
    assert_eq!(length(minutes), written);
}
