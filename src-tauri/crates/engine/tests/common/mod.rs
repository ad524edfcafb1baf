//! An in-memory Exchange for the engine's tests, able to show states the sandbox cannot:
//! failures of single calls, renamed calendars, records of any content.

#![allow(dead_code, clippy::unwrap_used)]

use std::collections::BTreeMap;
use std::sync::Mutex;

use chrono::{DateTime, TimeZone, Utc};
use onbehalf_engine::discovery::{discover, Discovery, Known};
use onbehalf_engine::permission::GraphRole;
use onbehalf_engine::ports::{
    CalendarInfo, CalendarRef, CalendarSource, DetailProbe, EventSample, Grant, Group, Me, Person,
    SourceError,
};
use onbehalf_engine::status_record::{Publication, RecordKeys, StatusRecord};
use onbehalf_engine::view::CalendarEntry;

pub const DANIEL: &str = "daniel.reyes@contoso.com";
pub const OLIVIA: &str = "olivia.grant@contoso.com";
pub const TENANT: &str = "tenant-1";

#[derive(Default)]
pub struct Exchange {
    pub me: Option<Me>,
    pub calendars: Vec<CalendarInfo>,
    pub owner_calendars: BTreeMap<String, Result<CalendarInfo, SourceError>>,
    pub records: BTreeMap<String, Result<Option<String>, SourceError>>,
    /// Keyed by owner address (their default calendar) or by the id in the user's list.
    pub probes: BTreeMap<String, Result<DetailProbe, SourceError>>,
    pub permissions: Vec<Grant>,
    /// The user's groups, or why they could not be read.
    pub groups: Option<Result<Vec<Group>, SourceError>>,
    /// Every record the user published, in order.
    pub published: Mutex<Vec<String>>,
}

impl CalendarSource for Exchange {
    async fn me(&self) -> Result<Me, SourceError> {
        self.me.clone().ok_or(SourceError::SignInExpired)
    }
    async fn my_calendars(&self) -> Result<Vec<CalendarInfo>, SourceError> {
        Ok(self.calendars.clone())
    }
    async fn owner_calendar(&self, owner: &str) -> Result<CalendarInfo, SourceError> {
        self.owner_calendars
            .get(owner)
            .cloned()
            .unwrap_or(Err(SourceError::NotFound {
                code: "ErrorItemNotFound".into(),
            }))
    }
    async fn owner_status_record(&self, owner: &str) -> Result<Option<String>, SourceError> {
        if let Some(me) = &self.me {
            if me.address == owner {
                let published = self.published.lock().unwrap();
                if let Some(last) = published.last() {
                    return Ok(Some(last.clone()));
                }
            }
        }
        self.records.get(owner).cloned().unwrap_or(Ok(None))
    }
    async fn probe_details(&self, calendar: &CalendarRef) -> Result<DetailProbe, SourceError> {
        let key = match calendar {
            CalendarRef::OwnerDefault(o) => o.clone(),
            CalendarRef::Mine(id) => id.clone(),
        };
        self.probes.get(&key).cloned().unwrap_or(Ok(full(&[])))
    }
    async fn my_calendar_permissions(&self) -> Result<Vec<Grant>, SourceError> {
        Ok(self.permissions.clone())
    }
    async fn publish_status_record(&self, value: &str) -> Result<(), SourceError> {
        self.published.lock().unwrap().push(value.to_string());
        Ok(())
    }
    async fn my_groups(&self) -> Result<Vec<Group>, SourceError> {
        self.groups.clone().unwrap_or(Ok(Vec::new()))
    }
}

pub fn sample(ical: Option<&str>, subject: bool, body: bool) -> EventSample {
    EventSample {
        ical_uid: ical.map(str::to_string),
        has_subject: subject,
        has_body: body,
        has_attendees: body,
        is_private: false,
    }
}

/// Items with full details, with these iCalUIds.
pub fn full(icals: &[&str]) -> DetailProbe {
    let mut s: Vec<EventSample> = icals.iter().map(|i| sample(Some(i), true, true)).collect();
    if s.is_empty() {
        s.push(sample(None, true, true));
    }
    DetailProbe::Samples(s)
}

pub fn titles() -> DetailProbe {
    DetailProbe::Samples(vec![sample(None, true, false)])
}

pub fn transient() -> SourceError {
    SourceError::Transient {
        message: "timed out".into(),
    }
}

pub fn me() -> Me {
    Me {
        id: "d1".into(),
        display_name: "Daniel Reyes".into(),
        address: DANIEL.into(),
        tenant_id: TENANT.into(),
    }
}

pub fn olivia() -> Person {
    Person {
        name: "Olivia Grant".into(),
        address: OLIVIA.into(),
    }
}

pub fn cal(id: &str, name: &str, owner: Person, edit: bool, private: bool) -> CalendarInfo {
    CalendarInfo {
        id: id.into(),
        name: name.into(),
        owner: Some(owner),
        can_edit: edit,
        can_share: false,
        can_view_private_items: private,
        is_default_calendar: false,
        is_removable: true,
    }
}

pub fn own_calendar() -> CalendarInfo {
    CalendarInfo {
        is_default_calendar: true,
        can_share: true,
        is_removable: false,
        ..cal(
            "own-1",
            "Calendar",
            Person {
                name: "Daniel Reyes".into(),
                address: DANIEL.into(),
            },
            true,
            true,
        )
    }
}

pub fn at(day: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, day, 9, 0, 0).unwrap()
}

/// Daniel's key pair, fixed for one test.
pub struct People {
    pub daniel: RecordKeys,
    pub olivia: RecordKeys,
}

impl People {
    pub fn new() -> People {
        People {
            daniel: RecordKeys::generate(),
            olivia: RecordKeys::generate(),
        }
    }

    /// Olivia's record granting Daniel `role`, sealed to his key, published in `tenant`.
    pub fn record_granting(&self, role: GraphRole, send_on_behalf: bool, tenant: &str) -> String {
        self.record(
            &[
                Grant {
                    address: None,
                    role: GraphRole::FreeBusyRead,
                    is_inside_organization: true,
                    send_on_behalf: false,
                },
                Grant {
                    address: Some(DANIEL.into()),
                    role,
                    is_inside_organization: true,
                    send_on_behalf,
                },
            ],
            true,
            tenant,
        )
    }

    pub fn record(&self, grants: &[Grant], sync_on: bool, tenant: &str) -> String {
        let keys = BTreeMap::from([(DANIEL.to_string(), self.daniel.public_base64())]);
        StatusRecord::publish(
            &Publication {
                app_version: "0.1.0",
                sync_on,
                last_run: None,
                tenant_id: tenant,
                crm_org_id: None,
                crm_user_id: None,
                grants,
                grantee_keys: &keys,
            },
            &self.olivia,
            at(23),
        )
        .to_value()
    }
}

/// Daniel with Olivia's calendar in his list, as Exchange describes it, and her record if any.
pub fn olivia_shares(can_edit: bool, private: bool, record: Option<String>) -> Exchange {
    Exchange {
        me: Some(me()),
        calendars: vec![cal(
            "local-olivia",
            "Olivia Grant",
            olivia(),
            can_edit,
            private,
        )],
        records: record
            .map(|r| (OLIVIA.to_string(), Ok(Some(r))))
            .into_iter()
            .collect(),
        ..Default::default()
    }
}

/// Discover as Daniel, with his keys, the owners he added and what he saw last time.
pub async fn discover_as_daniel(
    ex: &Exchange,
    people: &People,
    added: &[String],
    previous: &[CalendarEntry],
    now: DateTime<Utc>,
) -> Discovery {
    discover(
        ex,
        &Known {
            own_record: None,
            keys: Some(&people.daniel),
            added_owners: added,
            previous,
            now,
        },
    )
    .await
    .unwrap()
}
