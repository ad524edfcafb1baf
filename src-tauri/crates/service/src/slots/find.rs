//! Finding times on the picked calendar: check the picker allows it, read the free/busy of the
//! owner and the required attendees with one `getSchedule` (through the user's own mailbox, as
//! a delegate may), and let the engine lay out the slots in the recipient's zone.

use std::num::NonZeroU32;

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use onbehalf_engine::actions::{Applies, Verdict};
use onbehalf_engine::slots::availability::{free_periods, DayFree};
use onbehalf_engine::slots::find::find_slots;
use onbehalf_engine::slots::params::{Slot, SlotParams};
use onbehalf_engine::slots::schedule::PersonSchedule;
use onbehalf_engine::slots::zone::Zone;
use onbehalf_graph::{source_error, Mailbox, ScheduleAnswer};
use serde::{Deserialize, Serialize};

use crate::blocking::blocking;
use crate::error::{ErrorCode, ServiceError};
use crate::slots::picker::{SendOnBehalf, SlotCalendar, SlotCalendars};
use crate::slots::prefs::{self, SlotPrefs};
use crate::Onbehalf;

/// The longest period one search covers.
const MAX_DAYS: i64 = 366;
/// Graph's free/busy grid; slot finding reads the items, not the grid.
const VIEW_INTERVAL_MINUTES: u32 = 30;

/// What the user asks for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SlotRequest {
    /// `me`, or the owner's address.
    pub calendar: String,
    /// Required attendees besides the owner: only times all of them are free.
    #[serde(default)]
    pub with: Vec<String>,
    /// The first and last day (included), in the recipient's zone.
    pub first_day: NaiveDate,
    pub last_day: NaiveDate,
    /// The recipient's zone (a Windows or IANA name); none: the owner's.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub recipient_zone: Option<String>,
    pub prefs: SlotPrefs,
}

/// A person named in a message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Person {
    pub name: String,
    pub address: String,
}

/// The times found, with what a message about them needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SlotsFound {
    /// Whose calendar.
    pub owner: Person,
    /// Who is signed in and sends the message.
    pub sender: Person,
    pub with: Vec<String>,
    pub duration_minutes: u32,
    /// The rules the times were found with.
    pub prefs: SlotPrefs,
    pub first_day: NaiveDate,
    pub last_day: NaiveDate,
    /// The zone the slots are written in, and its name for a person.
    #[cfg_attr(feature = "ts", ts(type = "unknown"))]
    pub recipient_zone: Zone,
    pub recipient_zone_name: String,
    /// The owner's zone (of their working hours) when it is not the recipient's.
    #[cfg_attr(feature = "ts", ts(type = "unknown"))]
    pub owner_zone: Option<Zone>,
    pub slots: Vec<Slot>,
    /// The same search as free stretches by day, for sending availability.
    pub free: Vec<DayFree>,
}

impl Onbehalf {
    /// The calendars time slots may come from, refreshing the list when none was kept.
    pub async fn slot_calendars(&self) -> Result<SlotCalendars, ServiceError> {
        let account = self
            .current()
            .await?
            .ok_or_else(ServiceError::not_signed_in)?;
        let mut entries = self.stored_calendars(&account).await?;
        if entries.is_empty() {
            entries = self.refresh().await?.calendars;
        }
        let store = self.store.clone();
        let id = account.id.clone();
        let last = blocking("reading the calendar last used for time slots", move || {
            prefs::last_calendar(&store, &id)
        })
        .await?;
        Ok(super::picker::picker(&entries, last.as_deref()))
    }

    /// The rules last used for the owner's calendar (`me` or an address).
    pub async fn slot_prefs(&self, calendar: &str) -> Result<SlotPrefs, ServiceError> {
        let picked = self.picked_calendar(calendar).await?;
        let account = self
            .current()
            .await?
            .ok_or_else(ServiceError::not_signed_in)?;
        let store = self.store.clone();
        blocking("reading the time slot settings", move || {
            prefs::load(&store, &account.id, &picked.owner)
        })
        .await
    }

    /// Free times on the picked calendar for everyone asked, remembering the calendar and the
    /// rules for next time. (Its errors are the user's input more often than not: they are
    /// returned, not logged.)
    pub async fn find_slots(&self, request: &SlotRequest) -> Result<SlotsFound, ServiceError> {
        request.prefs.check()?;
        let days = (request.last_day - request.first_day).num_days();
        if days < 0 {
            return Err(ServiceError::new(
                ErrorCode::InvalidInput,
                "The last day is before the first day.",
            ));
        }
        if days >= MAX_DAYS {
            return Err(ServiceError::new(
                ErrorCode::InvalidInput,
                format!("Look at most {MAX_DAYS} days at a time."),
            ));
        }
        let asked_zone = match &request.recipient_zone {
            Some(name) => Some(Zone::named(name).map_err(|e| {
                ServiceError::new(
                    ErrorCode::InvalidInput,
                    crate::error::sentence(&e.to_string()),
                )
            })?),
            None => None,
        };
        let picked = self.picked_calendar(&request.calendar).await?;
        let session = self.session().await?;
        let mut schedules = vec![picked.owner.clone()];
        for address in &request.with {
            let address = address.trim().to_lowercase();
            if !address.contains('@') {
                return Err(ServiceError::invalid_input(format!(
                    "\"{address}\" is not an e-mail address."
                )));
            }
            if !schedules.contains(&address) {
                schedules.push(address);
            }
        }
        // A day on either side: the recipient's days are not the owner's or the attendees'.
        let (start, end) = period(request.first_day, request.last_day);
        let answers = session
            .source
            .client()
            .get_schedule(&Mailbox::Me, &schedules, start, end, VIEW_INTERVAL_MINUTES)
            .await
            .map_err(|e| ServiceError::from(source_error(e)))?;
        let people = readable(answers, &picked.owner_name)?;
        let owner_zone = people
            .first()
            .and_then(|p| p.working_hours.as_ref())
            .map(|h| h.zone.clone());
        let recipient_zone = asked_zone
            .or_else(|| owner_zone.clone())
            .unwrap_or_else(Zone::utc);
        let params = slot_params(
            &request.prefs,
            request.first_day,
            request.last_day,
            &recipient_zone,
        )?;
        let now = Utc::now();
        let slots = find_slots(&people, &params, now);
        let free = free_periods(&people, &params, now);
        self.remember(&picked.owner, &request.prefs).await?;
        Ok(SlotsFound {
            owner: Person {
                name: picked.owner_name.clone(),
                address: picked.owner.clone(),
            },
            sender: Person {
                name: session.account.display_name.clone(),
                address: session.account.address.to_lowercase(),
            },
            with: schedules.into_iter().skip(1).collect(),
            duration_minutes: request.prefs.duration_minutes,
            prefs: request.prefs.clone(),
            first_day: request.first_day,
            last_day: request.last_day,
            recipient_zone_name: zone_name(&recipient_zone, request.recipient_zone.as_deref()),
            owner_zone: owner_zone.filter(|z| *z != recipient_zone),
            recipient_zone,
            slots,
            free,
        })
    }

    /// The picker's calendar for `me` or an owner's address; refused with the picker's reason.
    pub(crate) async fn picked_calendar(
        &self,
        calendar: &str,
    ) -> Result<SlotCalendar, ServiceError> {
        let wanted = calendar.trim().to_lowercase();
        let account = self
            .current()
            .await?
            .ok_or_else(ServiceError::not_signed_in)?;
        // The user's own free/busy needs no list of calendars.
        if wanted == "me" || wanted == account.address.to_lowercase() {
            return Ok(SlotCalendar {
                owner: account.address.to_lowercase(),
                owner_name: account.display_name.clone(),
                is_own: true,
                verdict: Verdict {
                    allowed: true,
                    applies: Some(Applies::AllItems),
                    reason: None,
                    unknown: false,
                },
                send_on_behalf: SendOnBehalf::NotNeeded,
            });
        }
        let calendars = self.slot_calendars().await?;
        let found = calendars.calendars.into_iter().find(|c| c.owner == wanted);
        let Some(picked) = found else {
            return Err(ServiceError::new(
                ErrorCode::Refused,
                format!(
                    "{calendar} is not among the calendars you can reach. Add it with `onbehalf \
                     calendars add {calendar}` or in Calendars."
                ),
            ));
        };
        if !picked.verdict.allowed {
            let reason = picked
                .verdict
                .reason
                .clone()
                .unwrap_or_else(|| "You may not see this calendar's free/busy.".into());
            let code = if picked.verdict.unknown {
                ErrorCode::Network
            } else {
                ErrorCode::Refused
            };
            return Err(ServiceError::new(code, reason));
        }
        Ok(picked)
    }

    async fn remember(&self, owner: &str, rules: &SlotPrefs) -> Result<(), ServiceError> {
        let account = self
            .current()
            .await?
            .ok_or_else(ServiceError::not_signed_in)?;
        let store = self.store.clone();
        let owner = owner.to_string();
        let rules = rules.clone();
        blocking("keeping the time slot settings", move || {
            prefs::save(&store, &account.id, &owner, &rules)?;
            prefs::set_last_calendar(&store, &account.id, &owner)
        })
        .await
    }
}

/// The instants to read free/busy over: the recipient's days, a day wider on each side.
pub(crate) fn period(first: NaiveDate, last: NaiveDate) -> (DateTime<Utc>, DateTime<Utc>) {
    let day = |d: NaiveDate| d.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc();
    (
        day(first) - TimeDelta::days(1),
        day(last) + TimeDelta::days(2),
    )
}

/// Every schedule read, or an error naming each person Graph could not give: a time cannot be
/// offered as free for someone whose free/busy is unknown.
pub(crate) fn readable(
    answers: Vec<ScheduleAnswer>,
    owner_name: &str,
) -> Result<Vec<PersonSchedule>, ServiceError> {
    let mut people = Vec::new();
    let mut unread = Vec::new();
    for answer in answers {
        match answer.schedule {
            Ok(p) => people.push(p),
            Err(e) => unread.push(format!("{}: {e}", answer.schedule_id)),
        }
    }
    if unread.is_empty() {
        return Ok(people);
    }
    Err(ServiceError::new(
        ErrorCode::Other,
        format!(
            "Free/busy could not be read for everyone, so no time can be offered as free \
             (the calendar is {}'s). {}",
            owner_name,
            unread.join("; ")
        ),
    ))
}

/// The engine's parameters for `rules` over the recipient's days `first..=last`.
pub(crate) fn slot_params(
    rules: &SlotPrefs,
    first: NaiveDate,
    last: NaiveDate,
    zone: &Zone,
) -> Result<SlotParams, ServiceError> {
    let positive = |name: &str, v: u32| {
        NonZeroU32::new(v).ok_or_else(|| {
            ServiceError::new(
                ErrorCode::InvalidInput,
                format!("The {name} cannot be zero."),
            )
        })
    };
    let mut params = SlotParams::new(
        positive("meeting length", rules.duration_minutes)?,
        first,
        last,
        zone.clone(),
    );
    params.increment_minutes = positive("start increment", rules.increment_minutes)?;
    params.buffer_before_minutes = rules.buffer_before_minutes;
    params.buffer_after_minutes = rules.buffer_after_minutes;
    params.minimum_notice_minutes = rules.minimum_notice_minutes;
    params.max_per_day = NonZeroU32::new(rules.max_per_day);
    params.tentative_is_busy = rules.tentative_is_busy;
    Ok(params)
}

/// The zone's name as the user gave it, else its IANA name, else its offset now.
fn zone_name(zone: &Zone, asked: Option<&str>) -> String {
    if let Some(name) = asked {
        return name.to_string();
    }
    match zone.iana_name() {
        Some(name) => name.to_string(),
        None => format!("UTC{}", zone.offset_at(Utc::now())),
    }
}
