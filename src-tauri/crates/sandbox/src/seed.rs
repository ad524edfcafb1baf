//! Builds the demo world from [`crate::demo_org`]: users, calendars, grants with each sharee's
//! entry, a few hundred items on the executive's calendar and a handful on everyone else's, and
//! her simulated Onbehalf with the status record it published. Items are generated from a fixed
//! seed relative to the start date, so the same day always gives the same items.

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Utc, Weekday};
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::onbehalf;
use crate::org::{demo_org, DemoOrg};
use crate::state::{
    Attendee, AuthState, Calendar, Event, GrantRecord, Person, Recurrence, SharedLink, State, User,
    FORMAT,
};

mod groups;
mod names;
mod series;
mod working_hours;

pub(crate) use names::CUSTOMERS;
use names::{COLLEAGUES, MEETINGS, OWN_ITEMS, PRIVATE};
use series::{leadership_series, one_on_one_series};
pub(crate) use working_hours::working_hours;

const SEED: u64 = 0x0C0_7050;
/// The zone most of Contoso works in.
const HOME_ZONE: &str = "Eastern Standard Time";

/// Day number used to key occurrences of a series.
pub(crate) fn day_number(date: NaiveDate) -> u32 {
    let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default();
    u32::try_from((date - epoch).num_days()).unwrap_or(0)
}

/// The date a day number stands for.
pub(crate) fn date_of_day(day: u32) -> NaiveDate {
    let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default();
    epoch + Duration::days(i64::from(day))
}

fn at(day: NaiveDate, h: u32, m: u32) -> NaiveDateTime {
    day.and_time(NaiveTime::from_hms_opt(h, m, 0).unwrap_or_default())
}

struct Spec {
    subject: String,
    start: NaiveDateTime,
    end: NaiveDateTime,
    zone: &'static str,
    all_day: bool,
    location: String,
    attendees: Vec<Attendee>,
    categories: Vec<String>,
    sensitivity: &'static str,
    show_as: &'static str,
    importance: &'static str,
    body: String,
    created_by: usize,
    recurrence: Option<Recurrence>,
}

impl Spec {
    fn new(subject: &str, start: NaiveDateTime, minutes: i64, created_by: usize) -> Spec {
        Spec {
            subject: subject.to_string(),
            start,
            end: start + Duration::minutes(minutes),
            zone: HOME_ZONE,
            all_day: false,
            location: String::new(),
            attendees: Vec::new(),
            categories: Vec::new(),
            sensitivity: "normal",
            show_as: "busy",
            importance: "normal",
            body: String::new(),
            created_by,
            recurrence: None,
        }
    }
}

fn attendee(name: &str, address: &str, n: usize) -> Attendee {
    let responses = ["accepted", "tentativelyAccepted", "none", "accepted"];
    Attendee {
        person: Person {
            name: name.to_string(),
            address: address.to_string(),
        },
        kind: "required".to_string(),
        response: responses[n % responses.len()].to_string(),
    }
}

fn html(text: &str) -> String {
    format!(
        "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=utf-8\"></head><body><p>{}</p></body></html>",
        html_escape::encode_text(text)
    )
}

struct Builder {
    state: State,
    rng: ChaCha8Rng,
    created_base: DateTime<Utc>,
}

impl Builder {
    fn add(&mut self, calendar: u64, spec: Spec) -> u64 {
        let key = self.state.take_key();
        let owner = self
            .state
            .calendars
            .get(&calendar)
            .map(|c| c.owner)
            .unwrap_or_default();
        let created = self.created_base + Duration::minutes(i64::try_from(key).unwrap_or(0));
        let event = Event {
            key,
            calendar,
            created_by: spec.created_by,
            created,
            modified: created,
            version: 1,
            subject: spec.subject,
            body_type: "html".to_string(),
            body: if spec.body.is_empty() {
                String::new()
            } else {
                html(&spec.body)
            },
            start: spec.start,
            end: spec.end,
            time_zone: spec.zone.to_string(),
            is_all_day: spec.all_day,
            location: spec.location,
            attendees: spec.attendees,
            organizer: self.state.person(owner),
            categories: spec.categories,
            sensitivity: spec.sensitivity.to_string(),
            show_as: spec.show_as.to_string(),
            importance: spec.importance.to_string(),
            is_reminder_on: !spec.all_day,
            reminder_minutes: if spec.all_day { 1080 } else { 15 },
            response_requested: true,
            recurrence: spec.recurrence,
            exceptions: BTreeMap::new(),
            extended: BTreeMap::new(),
            changed: 0,
        };
        self.state.events.insert(key, event);
        key
    }
}

/// The demo world for a sandbox started at `now`.
pub(crate) fn seed(now: DateTime<Utc>) -> State {
    let org = demo_org();
    let today = now.date_naive();
    let mut b = Builder {
        state: State {
            format: FORMAT,
            seeded_for: today,
            started_at: now,
            next_key: 0,
            users: users(&org),
            groups: groups::directory_groups(&org, now),
            calendars: BTreeMap::new(),
            links: BTreeMap::new(),
            events: BTreeMap::new(),
            auth: AuthState::default(),
            onbehalf: None,
            crm: crate::salesforce::seed::world(&org, now),
            change_count: 0,
            sync_states: BTreeMap::new(),
            master_categories: BTreeMap::new(),
            meeting_mail: BTreeMap::new(),
            mail: crate::mailbox::MailStore::default(),
        },
        rng: ChaCha8Rng::seed_from_u64(SEED),
        created_base: today.and_time(NaiveTime::MIN).and_utc() - Duration::days(120),
    };
    calendars(&mut b.state, &org);
    let executive = b
        .state
        .user_by_address("olivia.grant@contoso.com")
        .unwrap_or(0);
    executive_calendar(&mut b, executive, today);
    for user in 0..b.state.users.len() {
        if user != executive {
            own_items(&mut b, user, today);
        }
    }
    customer_visits(&mut b, today);
    // Her Onbehalf last ran 12 minutes before the sandbox started.
    onbehalf::install(&mut b.state, executive, now - Duration::minutes(12));
    b.state
}

fn users(org: &DemoOrg) -> Vec<User> {
    org.users
        .iter()
        .enumerate()
        .map(|(i, u)| User {
            id: u.id.clone(),
            address: u.address.clone(),
            display_name: u.display_name.clone(),
            given_name: u.given_name.clone(),
            surname: u.surname.clone(),
            job_title: u.job_title.clone(),
            office_location: "Building 4, Redmond".to_string(),
            business_phones: vec![format!("+1 425 555 01{:02}", i + 10)],
            mobile_phone: None,
            send_on_behalf_to: u.send_on_behalf_to.clone(),
            tokens_valid_from: None,
            working_hours: Some(working_hours(&u.address)),
        })
        .collect()
}

fn calendars(state: &mut State, org: &DemoOrg) {
    for cal in &org.calendars {
        let Some(owner) = state.user_by_address(&cal.owner) else {
            continue;
        };
        let key = state.take_key();
        let grants = cal
            .grants
            .iter()
            .map(|g| GrantRecord {
                address: g.grantee.to_lowercase(),
                name: state
                    .user_by_address(&g.grantee)
                    .map(|u| state.users[u].display_name.clone())
                    .unwrap_or_else(|| g.grantee.clone()),
                role: g.role,
                inside_organization: true,
                view_private: g.can_view_private_items,
            })
            .collect();
        state.calendars.insert(
            key,
            Calendar {
                key,
                owner,
                name: cal.name.clone(),
                color: if cal.is_default { "auto" } else { "lightGreen" }.to_string(),
                hex_color: if cal.is_default { "" } else { "#87d28e" }.to_string(),
                is_default: cal.is_default,
                organization_role: cal.organization_role,
                grants,
                extended: BTreeMap::new(),
                version: 1,
            },
        );
        for g in &cal.grants {
            if let Some(sharee) = state.user_by_address(&g.grantee) {
                let link = state.take_key();
                state.links.insert(
                    link,
                    SharedLink {
                        key: link,
                        sharee,
                        calendar: key,
                        name: None,
                        color: "auto".to_string(),
                        version: 1,
                    },
                );
            }
        }
    }
}

fn weekday_on_or_before(day: NaiveDate, weekday: Weekday) -> NaiveDate {
    let back = (7 + day.weekday().num_days_from_monday() - weekday.num_days_from_monday()) % 7;
    day - Duration::days(i64::from(back))
}

fn executive_calendar(b: &mut Builder, exec: usize, today: NaiveDate) {
    let Some(cal) = b.state.default_calendar(exec).map(|c| c.key) else {
        return;
    };
    let daniel = b
        .state
        .user_by_address("daniel.reyes@contoso.com")
        .unwrap_or(exec);
    let aaron = b
        .state
        .user_by_address("aaron.patel@contoso.com")
        .unwrap_or(exec);
    let slots = [
        (8, 30),
        (9, 0),
        (11, 0),
        (13, 0),
        (14, 0),
        (15, 0),
        (16, 30),
    ];
    for offset in -91..=91 {
        let day = today + Duration::days(offset);
        if matches!(day.weekday(), Weekday::Sat | Weekday::Sun) {
            continue;
        }
        let count = b.rng.gen_range(2..=4);
        let mut picked = slots.to_vec();
        picked.shuffle(&mut b.rng);
        picked.truncate(count);
        picked.sort_unstable();
        for (h, m) in picked {
            let start = at(day, h, m);
            let spec = daily_item(b, exec, daniel, start);
            b.add(cal, spec);
        }
    }

    // Items tests and demos rely on, at fixed places near today.
    let mut doctor = Spec::new(
        "Doctor appointment",
        at(today + Duration::days(2), 7, 30),
        45,
        exec,
    );
    doctor.location = "Harbor Medical Center".to_string();
    doctor.sensitivity = "private";
    doctor.show_as = "oof";
    doctor.body = "Annual check-up. Bring the insurance card.".to_string();
    b.add(cal, doctor);
    let mut lawyer = Spec::new(
        "Call with lawyer",
        at(today + Duration::days(1), 17, 30),
        30,
        exec,
    );
    lawyer.sensitivity = "private";
    lawyer.body = "Estate planning follow-up.".to_string();
    lawyer.attendees = vec![attendee("Dana Whitfield", "dana@whitfield-law.com", 0)];
    b.add(cal, lawyer);

    let mut offsite = Spec::new(
        "Strategy offsite",
        at(today + Duration::days(9), 0, 0),
        24 * 60,
        exec,
    );
    offsite.all_day = true;
    offsite.location = "Lakeview Lodge".to_string();
    offsite.categories = vec!["Red category".to_string()];
    offsite.body = "Leadership team offsite. Agenda to follow.".to_string();
    b.add(cal, offsite);

    let mut summit = Spec::new(
        "Contoso Partner Summit",
        at(today + Duration::days(23), 0, 0),
        3 * 24 * 60,
        daniel,
    );
    summit.all_day = true;
    summit.zone = "Pacific Standard Time";
    summit.location = "Moscone Center, San Francisco".to_string();
    summit.categories = vec!["Green category".to_string()];
    summit.show_as = "oof";
    summit.body = "Three-day partner conference.".to_string();
    b.add(cal, summit);

    let mut flight = Spec::new(
        "Flight to San Francisco (UA 837)",
        at(today + Duration::days(22), 13, 0),
        180,
        daniel,
    );
    flight.location = "Newark Liberty International Airport".to_string();
    flight.show_as = "oof";
    flight.body = "Confirmation ABC123. Seat 2A.".to_string();
    b.add(cal, flight);

    let mut rehearsal = Spec::new(
        "Keynote rehearsal",
        at(today + Duration::days(24), 9, 0),
        90,
        daniel,
    );
    rehearsal.zone = "Pacific Standard Time";
    rehearsal.location = "Moscone Center, Room 2001".to_string();
    rehearsal.attendees = vec![attendee("Megan Bowen", "megan.bowen@contoso.com", 0)];
    b.add(cal, rehearsal);

    let mut tokyo = Spec::new(
        "Call with Fabrikam Japan",
        at(today + Duration::days(5), 9, 0),
        60,
        exec,
    );
    tokyo.zone = "Tokyo Standard Time";
    tokyo.location = "Microsoft Teams Meeting".to_string();
    tokyo.attendees = vec![attendee("Haruto Sato", "haruto.sato@fabrikam.co.jp", 0)];
    tokyo.categories = vec!["Blue category".to_string()];
    tokyo.body = "Distribution agreement for Japan.".to_string();
    b.add(cal, tokyo);
    let mut distributor = Spec::new(
        "Distributor review (Tokyo)",
        at(today - Duration::days(15), 10, 0),
        60,
        exec,
    );
    distributor.zone = "Tokyo Standard Time";
    distributor.location = "Fabrikam Japan, Minato-ku".to_string();
    b.add(cal, distributor);

    let mut walkthrough = Spec::new(
        "Office move walkthrough",
        at(today + Duration::days(4), 15, 30),
        30,
        aaron,
    );
    walkthrough.location = "Building 4, floor 2".to_string();
    walkthrough.body = "Walk through the new floor plan before the move.".to_string();
    b.add(cal, walkthrough);

    leadership_series(b, cal, exec, today);
    one_on_one_series(b, cal, exec, daniel, today);
}

fn daily_item(b: &mut Builder, exec: usize, daniel: usize, start: NaiveDateTime) -> Spec {
    let roll = b.rng.gen_range(0..100);
    let booked_by = if b.rng.gen_range(0..100) < 15 {
        daniel
    } else {
        exec
    };
    let mut spec = if roll < 8 {
        let (subject, place) = PRIVATE[b.rng.gen_range(0..PRIVATE.len())];
        let mut s = Spec::new(subject, start, 60, exec);
        s.location = place.to_string();
        s.sensitivity = "private";
        s.body = "Personal.".to_string();
        s
    } else if roll < 30 {
        let (company, contact, address, city) = CUSTOMERS[b.rng.gen_range(0..CUSTOMERS.len())];
        let mut s = Spec::new(&format!("Customer call: {company}"), start, 60, booked_by);
        s.location = if b.rng.gen_bool(0.5) {
            "Microsoft Teams Meeting".to_string()
        } else {
            format!("{company} HQ, {city}")
        };
        s.attendees = vec![
            attendee(contact, address, 0),
            attendee("Carla Mendes", "carla.mendes@contoso.com", 1),
        ];
        if b.rng.gen_bool(0.5) {
            s.categories = vec!["Blue category".to_string()];
        }
        s.importance = if b.rng.gen_bool(0.2) {
            "high"
        } else {
            "normal"
        };
        s.body = format!("Account review with {contact} of {company}.");
        s
    } else if roll < 50 {
        let (name, address) = COLLEAGUES[b.rng.gen_range(0..COLLEAGUES.len())];
        let mut s = Spec::new(&format!("1:1 with {name}"), start, 30, exec);
        s.location = "Olivia's office".to_string();
        s.attendees = vec![attendee(name, address, 0)];
        s.body = "Weekly check-in.".to_string();
        s
    } else {
        let (subject, place) = MEETINGS[b.rng.gen_range(0..MEETINGS.len())];
        let minutes = [30, 60, 60, 90][b.rng.gen_range(0..4)];
        let mut s = Spec::new(subject, start, minutes, booked_by);
        s.location = place.to_string();
        let n = b.rng.gen_range(2..=4);
        let mut people = COLLEAGUES.to_vec();
        people.shuffle(&mut b.rng);
        s.attendees = people
            .iter()
            .take(n)
            .enumerate()
            .map(|(i, (name, address))| attendee(name, address, i))
            .collect();
        if subject.starts_with("Board") || subject.starts_with("Budget") {
            s.categories = vec!["Red category".to_string()];
        }
        s.body = format!("Agenda for {}.", subject.to_lowercase());
        s
    };
    if b.rng.gen_range(0..10) == 0 {
        spec.show_as = "tentative";
    }
    spec
}

fn own_items(b: &mut Builder, user: usize, today: NaiveDate) {
    let Some(cal) = b.state.default_calendar(user).map(|c| c.key) else {
        return;
    };
    for n in 0..6 {
        let offset = b.rng.gen_range(-14..=14);
        let day = today + Duration::days(offset);
        let subject = OWN_ITEMS[b.rng.gen_range(0..OWN_ITEMS.len())];
        let hour = b.rng.gen_range(9..=16);
        let mut spec = Spec::new(subject, at(day, hour, 0), 30 * (1 + n % 2), user);
        spec.location = if n % 3 == 0 {
            "Microsoft Teams Meeting".to_string()
        } else {
            String::new()
        };
        spec.body = format!("{subject}.");
        b.add(cal, spec);
    }
}

fn customer_visits(b: &mut Builder, today: NaiveDate) {
    let Some(carla) = b.state.user_by_address("carla.mendes@contoso.com") else {
        return;
    };
    let Some(cal) = b
        .state
        .calendars
        .values()
        .find(|c| c.owner == carla && c.name == "Customer Visits")
        .map(|c| c.key)
    else {
        return;
    };
    let mut day = today - Duration::days(88);
    while day <= today + Duration::days(88) {
        if !matches!(day.weekday(), Weekday::Sat | Weekday::Sun) {
            let (company, contact, address, city) = CUSTOMERS[b.rng.gen_range(0..CUSTOMERS.len())];
            let mut spec = Spec::new(&format!("Visit: {company}"), at(day, 10, 0), 120, carla);
            spec.location = format!("{company} HQ, {city}");
            spec.attendees = vec![attendee(contact, address, 0)];
            if b.rng.gen_bool(0.4) {
                spec.categories = vec!["Blue category".to_string()];
            }
            spec.body = format!("On-site visit with {contact}.");
            b.add(cal, spec);
        }
        day += Duration::days(5);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn the_same_day_gives_the_same_items() {
        let a = seed(Utc.with_ymd_and_hms(2026, 3, 2, 8, 0, 0).unwrap());
        let b = seed(Utc.with_ymd_and_hms(2026, 3, 2, 17, 45, 0).unwrap());
        let subjects = |s: &State| {
            s.events
                .values()
                .map(|e| (e.subject.clone(), e.start))
                .collect::<Vec<_>>()
        };
        assert_eq!(subjects(&a), subjects(&b));
        let exec_items = a
            .events
            .values()
            .filter(|e| a.calendars[&e.calendar].owner == 0)
            .count();
        assert!((300..600).contains(&exec_items), "{exec_items} items");
    }
}
