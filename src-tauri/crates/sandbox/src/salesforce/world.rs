//! The CRM world kept in the sandbox state: each Salesforce org with its settings, calendar
//! sharing and records (users, roles and the organization itself are records too, so SOQL
//! reads them like any other), and the OAuth codes and tokens of the login host, kept only as
//! hashes.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::ids;
use super::schema::{SObject, Schema};
use super::values;
use crate::org::{ActivitySharing, CalendarAccess};

/// How long deleted records stay in the recycle bin (and in Get Deleted's log).
pub(crate) const RECYCLE_BIN_DAYS: i64 = 15;

#[derive(Clone, Default, Serialize, Deserialize)]
pub(crate) struct CrmWorld {
    pub orgs: Vec<CrmOrg>,
    pub auth: CrmAuth,
}

#[derive(Clone, Serialize, Deserialize)]
pub(crate) struct CrmOrg {
    /// `00D...`, 18 characters.
    pub id: String,
    pub name: String,
    pub pod: String,
    /// The last record sequence number used.
    pub sequence: u64,
    pub case_number: u64,
    pub settings: OrgSettings,
    pub daily_api_requests: u64,
    pub time_zone: String,
    /// Calendar sharing beyond `settings.calendar_default`, by user id.
    pub calendar_shares: Vec<CalendarShare>,
    /// Every record by its 18-character id, soft-deleted ones included until purged.
    pub records: BTreeMap<String, Record>,
}

#[derive(Clone, Copy, Serialize, Deserialize)]
pub(crate) struct OrgSettings {
    pub multiday_events: bool,
    pub activity_sharing: ActivitySharing,
    pub calendar_default: CalendarAccess,
    /// Onbehalf's CRM package is installed, giving Event `Onbehalf_Exchange_Id__c`. State saved
    /// before the setting existed comes from orgs that had it.
    #[serde(default = "installed")]
    pub exchange_id_field: bool,
}

fn installed() -> bool {
    true
}

#[derive(Clone, Serialize, Deserialize)]
pub(crate) struct CalendarShare {
    pub owner: String,
    pub grantee: String,
    pub access: CalendarAccess,
}

/// One record: its fields as the REST API shows them (dates and times already in Salesforce's
/// text form), system fields included.
#[derive(Clone, Serialize, Deserialize)]
pub(crate) struct Record {
    pub object: SObject,
    pub fields: BTreeMap<String, Value>,
    /// When it went to the recycle bin.
    pub deleted: Option<DateTime<Utc>>,
}

impl Record {
    pub fn get(&self, field: &str) -> &Value {
        self.fields.get(field).unwrap_or(&Value::Null)
    }

    pub fn text(&self, field: &str) -> Option<&str> {
        self.get(field).as_str()
    }

    pub fn id(&self) -> &str {
        self.text("Id").unwrap_or_default()
    }

    pub fn flag(&self, field: &str) -> bool {
        self.get(field).as_bool().unwrap_or(false)
    }

    pub fn time(&self, field: &str) -> Option<DateTime<Utc>> {
        self.text(field).and_then(values::parse_datetime)
    }

    /// The record's `SystemModstamp`.
    pub fn stamp(&self) -> Option<DateTime<Utc>> {
        self.time("SystemModstamp")
    }
}

impl CrmOrg {
    /// The fields this org's objects have.
    pub fn schema(&self) -> Schema {
        Schema {
            package: self.settings.exchange_id_field,
        }
    }

    /// A fresh id for a record of `object`.
    pub fn new_id(&mut self, object: SObject) -> String {
        self.sequence += 1;
        ids::make(object.prefix(), &self.pod, self.sequence)
    }

    /// A live (not deleted) record.
    pub fn live(&self, id: &str) -> Option<&Record> {
        self.records.get(id).filter(|r| r.deleted.is_none())
    }

    pub fn user(&self, id: &str) -> Option<&Record> {
        self.live(id).filter(|r| r.object == SObject::User)
    }

    /// An active user by username or e-mail address.
    pub fn user_by_login(&self, login: &str) -> Option<&Record> {
        let wanted = login.trim();
        self.records.values().find(|r| {
            r.object == SObject::User
                && r.flag("IsActive")
                && (r
                    .text("Username")
                    .is_some_and(|u| u.eq_ignore_ascii_case(wanted))
                    || r.text("Email")
                        .is_some_and(|e| e.eq_ignore_ascii_case(wanted)))
        })
    }

    /// Whether `upper`'s role is above `lower`'s in the role hierarchy.
    pub fn is_above(&self, upper: &str, lower: &str) -> bool {
        let role_of = |user: &str| {
            self.user(user)
                .and_then(|u| u.text("UserRoleId"))
                .map(str::to_string)
        };
        let (Some(upper_role), Some(mut role)) = (role_of(upper), role_of(lower)) else {
            return false;
        };
        // Each step climbs one level; a hierarchy deeper than the org has roles is a cycle.
        for _ in 0..self.records.len() {
            let parent = self
                .records
                .get(&role)
                .and_then(|r| r.text("ParentRoleId"))
                .map(str::to_string);
            match parent {
                Some(p) if p == upper_role => return true,
                Some(p) => role = p,
                None => return false,
            }
        }
        false
    }

    /// What `grantee` holds on `owner`'s calendar.
    pub fn calendar_access(&self, owner: &str, grantee: &str) -> CalendarAccess {
        self.calendar_shares
            .iter()
            .filter(|s| s.owner == owner && s.grantee == grantee)
            .map(|s| s.access)
            .fold(self.settings.calendar_default, Ord::max)
    }

    /// The time zone a user has set, else the org's.
    pub fn time_zone_of(&self, user: &str) -> chrono_tz::Tz {
        self.user(user)
            .and_then(|u| u.text("TimeZoneSidKey"))
            .unwrap_or(&self.time_zone)
            .parse()
            .unwrap_or(chrono_tz::Tz::UTC)
    }
}

/// Who a code or token speaks for.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Principal {
    pub org: String,
    pub user: String,
}

#[derive(Clone, Default, Serialize, Deserialize)]
pub(crate) struct CrmAuth {
    /// Authorization codes by hash.
    pub codes: BTreeMap<String, SfCode>,
    /// Access tokens (sessions) by hash.
    pub sessions: BTreeMap<String, SfSession>,
    pub refresh_tokens: BTreeMap<String, SfRefresh>,
    /// Device codes by hash.
    pub devices: BTreeMap<String, SfDevice>,
}

#[derive(Clone, Serialize, Deserialize)]
pub(crate) struct SfCode {
    pub who: Principal,
    pub redirect_uri: String,
    pub challenge: String,
    pub scope: String,
    pub expires: DateTime<Utc>,
    pub redeemed: bool,
}

#[derive(Clone, Serialize, Deserialize)]
pub(crate) struct SfSession {
    pub who: Principal,
    pub scope: String,
    /// The refresh token chain it was issued from, so that revoking the chain ends it.
    pub family: Option<String>,
    pub expires: DateTime<Utc>,
}

#[derive(Clone, Serialize, Deserialize)]
pub(crate) struct SfRefresh {
    pub who: Principal,
    pub scope: String,
    /// Every token of one sign-in shares it, across rotations.
    pub family: String,
    pub issued: DateTime<Utc>,
    /// Rotated away: presenting it again is a replay.
    pub used: bool,
}

#[derive(Clone, Serialize, Deserialize, PartialEq, Eq)]
pub(crate) enum DeviceStatus {
    Pending,
    Approved(Principal),
    Denied,
    Redeemed,
}

#[derive(Clone, Serialize, Deserialize)]
pub(crate) struct SfDevice {
    pub user_code: String,
    pub scope: String,
    pub expires: DateTime<Utc>,
    pub status: DeviceStatus,
    pub last_poll: Option<DateTime<Utc>>,
    /// Seconds the device must wait between polls; grows by 5 with each `slow_down`.
    pub interval: i64,
}

impl CrmWorld {
    pub fn org(&self, id: &str) -> Option<&CrmOrg> {
        self.orgs.iter().find(|o| o.id == id)
    }

    pub fn org_index(&self, id: &str) -> Option<usize> {
        self.orgs.iter().position(|o| o.id == id)
    }

    /// The org and user a login (username or e-mail) names, in any org.
    pub fn principal_by_login(&self, login: &str) -> Option<Principal> {
        self.orgs.iter().find_map(|o| {
            o.user_by_login(login).map(|u| Principal {
                org: o.id.clone(),
                user: u.id().to_string(),
            })
        })
    }

    /// Drop expired codes and device codes so that the state does not grow.
    pub fn prune(&mut self, now: DateTime<Utc>) {
        self.auth.codes.retain(|_, c| c.expires > now);
        self.auth.devices.retain(|_, d| d.expires > now);
        // An expired session answers as an unknown one does.
        self.auth.sessions.retain(|_, s| s.expires > now);
        // The recycle bin keeps deleted records for 15 days, then they are gone for good.
        let horizon = now - chrono::Duration::days(RECYCLE_BIN_DAYS);
        for org in &mut self.orgs {
            org.records
                .retain(|_, r| r.deleted.is_none_or(|d| d >= horizon));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_saved_before_the_package_setting_have_the_package_installed() {
        let saved = serde_json::json!({
            "multiday_events": true,
            "activity_sharing": "Private",
            "calendar_default": "HideDetails",
        });
        let settings: OrgSettings = serde_json::from_value(saved).unwrap();
        assert!(settings.exchange_id_field);
    }
}
