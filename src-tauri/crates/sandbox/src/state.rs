//! The emulated world: users, calendars, shared-calendar entries, events and the identity
//! platform's codes and tokens. Held in memory behind one lock; with a state file it is saved
//! after every change (write to a temporary file, then rename, so a crash never leaves half a
//! file). Tokens are kept only as SHA-256 hashes.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, PoisonError};

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::error::SandboxError;
use crate::roles::ExchangeRole;

/// The state file format this build reads and writes. Format 2 added the demo users of the
/// classic roles, Send on Behalf lists, the private-items flag on grants, refresh-token
/// activity and revocation, and the simulated executive's Onbehalf keys. Format 3 added the
/// CRM world (the Salesforce orgs, their records and the login host's codes and tokens).
/// Format 4 added the directory's groups and the CRM's permission sets and their assignments.
pub(crate) const FORMAT: u32 = 4;

#[derive(Clone, Serialize, Deserialize)]
pub(crate) struct State {
    pub format: u32,
    /// The day the seed was generated for; items are placed relative to it.
    pub seeded_for: NaiveDate,
    pub started_at: DateTime<Utc>,
    pub next_key: u64,
    pub users: Vec<User>,
    /// The directory's groups.
    pub groups: Vec<DirectoryGroup>,
    pub calendars: BTreeMap<u64, Calendar>,
    pub links: BTreeMap<u64, SharedLink>,
    pub events: BTreeMap<u64, Event>,
    pub auth: AuthState,
    /// The executive's own Onbehalf, simulated by the sandbox.
    pub onbehalf: Option<SimulatedOnbehalf>,
    /// The Salesforce side: orgs, records, and the login host's codes and tokens.
    pub crm: crate::salesforce::world::CrmWorld,
    /// Counts every change to an event; each event and exception keeps the count of its last
    /// change, which is how delta queries tell what changed since a token was issued.
    #[serde(default)]
    pub change_count: u64,
    /// The delta queries' state tokens, keyed by token (Exchange keeps them server-side too).
    #[serde(default)]
    pub sync_states: BTreeMap<String, crate::graph::SyncState>,
    /// Each user's master category list (by user index); a mailbox without an entry has
    /// Outlook's default list.
    #[serde(default)]
    pub master_categories: BTreeMap<usize, Vec<crate::graph::CategoryRecord>>,
    /// The meeting messages each mailbox has sent, by lowercase address.
    #[serde(default)]
    pub meeting_mail: BTreeMap<String, crate::graph::MeetingMail>,
    /// Every mailbox's messages, and what was sent outside the organisation.
    #[serde(default)]
    pub mail: crate::mailbox::MailStore,
}

/// The Onbehalf the sandbox runs for one demo user: who it is and its record key pair.
/// Assumption: the secret key is kept in the state file in the clear; it seals demo data only
/// and nothing outside the sandbox trusts it.
#[derive(Clone, Serialize, Deserialize)]
pub(crate) struct SimulatedOnbehalf {
    pub user: usize,
    pub secret_key: String,
    /// The Microsoft 365 organisation her Onbehalf is signed in to, when not the sandbox's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tenant_id: Option<String>,
}

#[derive(Clone, Serialize, Deserialize)]
pub(crate) struct User {
    pub id: String,
    pub address: String,
    pub display_name: String,
    pub given_name: String,
    pub surname: String,
    pub job_title: String,
    pub office_location: String,
    pub business_phones: Vec<String>,
    pub mobile_phone: Option<String>,
    /// Exchange's `GrantSendOnBehalfTo` on this user's mailbox: lowercase addresses.
    pub send_on_behalf_to: Vec<String>,
    /// Refresh tokens whose sign-in is older than this were revoked (Entra's
    /// `TokensValidFrom`, moved by a password reset or an admin's revocation).
    pub tokens_valid_from: Option<DateTime<Utc>>,
    /// The mailbox's working hours (`mailboxSettings.workingHours`). A state file written
    /// before they were kept has none; the demo's hours for the address stand in then.
    #[serde(default)]
    pub working_hours: Option<WorkingHours>,
}

/// A group of the directory (Microsoft Entra ID).
#[derive(Clone, Serialize, Deserialize)]
pub(crate) struct DirectoryGroup {
    pub id: String,
    pub display_name: String,
    pub description: String,
    pub mail: Option<String>,
    pub mail_nickname: String,
    pub mail_enabled: bool,
    pub security_enabled: bool,
    pub created: DateTime<Utc>,
    /// Users that are direct members, by directory id.
    pub members: Vec<String>,
    /// Groups that are direct members, by id.
    pub member_groups: Vec<String>,
}

impl crate::nesting::Nested for DirectoryGroup {
    fn id(&self) -> &str {
        &self.id
    }
    fn members(&self) -> &[String] {
        &self.members
    }
    fn member_groups(&self) -> &[String] {
        &self.member_groups
    }
}

/// Graph `workingHours`: the days and hours, in a time zone, that a user works.
#[derive(Clone, Serialize, Deserialize, PartialEq, Eq, Debug)]
pub(crate) struct WorkingHours {
    /// Graph `dayOfWeek` names, lowercase (`monday`).
    pub days_of_week: Vec<String>,
    pub start: NaiveTime,
    pub end: NaiveTime,
    pub time_zone: WorkingZone,
}

/// Graph `timeZoneBase`: a named zone, or a `customTimeZone` given by its rules.
#[derive(Clone, Serialize, Deserialize, PartialEq, Eq, Debug)]
pub(crate) enum WorkingZone {
    /// A Windows or IANA zone name.
    Named(String),
    Custom(CustomZone),
}

/// Graph `customTimeZone`.
#[derive(Clone, Serialize, Deserialize, PartialEq, Eq, Debug)]
pub(crate) struct CustomZone {
    pub name: String,
    /// Minutes to add to local time to get UTC (`bias`).
    pub bias: i32,
    /// When daylight time ends (`standardOffset`).
    pub standard: ZoneTransition,
    /// When daylight time starts (`daylightOffset`), with its `daylightBias`.
    pub daylight: ZoneTransition,
    pub daylight_bias: i32,
}

/// Graph `standardTimeZoneOffset` / `daylightTimeZoneOffset` (without the daylight bias).
#[derive(Clone, Serialize, Deserialize, PartialEq, Eq, Debug)]
pub(crate) struct ZoneTransition {
    pub time: NaiveTime,
    /// 1..=5, 5 meaning the last such day of the month.
    pub day_occurrence: u32,
    pub day_of_week: String,
    pub month: u32,
    /// 0 for a rule that applies every year.
    pub year: i32,
}

#[derive(Clone, Serialize, Deserialize)]
pub(crate) struct Calendar {
    pub key: u64,
    /// Index of the owning user.
    pub owner: usize,
    pub name: String,
    pub color: String,
    pub hex_color: String,
    pub is_default: bool,
    /// The "My Organization" role; primary calendars only.
    pub organization_role: Option<ExchangeRole>,
    pub grants: Vec<GrantRecord>,
    pub extended: BTreeMap<String, ExtendedValue>,
    pub version: u64,
}

#[derive(Clone, Serialize, Deserialize)]
pub(crate) struct GrantRecord {
    /// Lowercase address.
    pub address: String,
    pub name: String,
    pub role: ExchangeRole,
    pub inside_organization: bool,
    /// Exchange's delegate flag `CanViewPrivateItems`, kept beside the role.
    pub view_private: bool,
}

/// A calendar shared with someone, as an entry in the sharee's own mailbox.
#[derive(Clone, Serialize, Deserialize)]
pub(crate) struct SharedLink {
    pub key: u64,
    pub sharee: usize,
    pub calendar: u64,
    /// The sharee's own name for it, if they renamed it.
    pub name: Option<String>,
    pub color: String,
    pub version: u64,
}

/// A single-value extended property: the id as first written (for echoing) and its value.
#[derive(Clone, Serialize, Deserialize)]
pub(crate) struct ExtendedValue {
    pub id: String,
    pub value: String,
}

#[derive(Clone, Serialize, Deserialize, PartialEq, Eq)]
pub(crate) struct Person {
    pub name: String,
    pub address: String,
}

#[derive(Clone, Serialize, Deserialize)]
pub(crate) struct Attendee {
    pub person: Person,
    /// `required`, `optional` or `resource`.
    pub kind: String,
    pub response: String,
}

#[derive(Clone, Serialize, Deserialize)]
pub(crate) struct Recurrence {
    /// `daily`, `weekly`, `absoluteMonthly` or `absoluteYearly`.
    pub pattern: String,
    pub interval: u32,
    pub days_of_week: Vec<String>,
    pub first_day_of_week: String,
    pub day_of_month: u32,
    pub month: u32,
    /// `endDate`, `noEnd` or `numbered`.
    pub range: String,
    pub start_date: NaiveDate,
    pub end_date: Option<NaiveDate>,
    pub occurrences: u32,
    pub time_zone: String,
}

/// What changed for one occurrence of a series.
#[derive(Clone, Serialize, Deserialize)]
pub(crate) enum Exception {
    Cancelled,
    Changed(Box<ExceptionData>),
}

#[derive(Clone, Serialize, Deserialize, Default)]
pub(crate) struct ExceptionData {
    pub start: Option<NaiveDateTime>,
    pub end: Option<NaiveDateTime>,
    pub subject: Option<String>,
    pub body: Option<String>,
    pub location: Option<String>,
    pub show_as: Option<String>,
    pub categories: Option<Vec<String>>,
    pub extended: BTreeMap<String, ExtendedValue>,
    pub modified: Option<DateTime<Utc>>,
    pub version: u64,
    /// [`State::change_count`] at this exception's last change.
    #[serde(default)]
    pub changed: u64,
}

#[derive(Clone, Serialize, Deserialize)]
pub(crate) struct Event {
    pub key: u64,
    pub calendar: u64,
    /// Who created the item; Author-type roles may change only their own.
    pub created_by: usize,
    pub created: DateTime<Utc>,
    pub modified: DateTime<Utc>,
    pub version: u64,
    pub subject: String,
    /// `html` or `text`.
    pub body_type: String,
    pub body: String,
    /// Wall-clock start and end in `time_zone`.
    pub start: NaiveDateTime,
    pub end: NaiveDateTime,
    pub time_zone: String,
    pub is_all_day: bool,
    pub location: String,
    pub attendees: Vec<Attendee>,
    pub organizer: Person,
    pub categories: Vec<String>,
    pub sensitivity: String,
    pub show_as: String,
    pub importance: String,
    pub is_reminder_on: bool,
    pub reminder_minutes: i64,
    pub response_requested: bool,
    pub recurrence: Option<Recurrence>,
    /// Keyed by the day number of the occurrence's original start.
    pub exceptions: BTreeMap<u32, Exception>,
    pub extended: BTreeMap<String, ExtendedValue>,
    /// [`State::change_count`] at the last change of the event itself (a series master's
    /// change is a change of every occurrence).
    #[serde(default)]
    pub changed: u64,
}

#[derive(Clone, Serialize, Deserialize, Default)]
pub(crate) struct AuthState {
    /// Keyed by the hash of the code.
    pub codes: BTreeMap<String, AuthCode>,
    pub access_tokens: BTreeMap<String, AccessToken>,
    pub refresh_tokens: BTreeMap<String, RefreshToken>,
    /// Keyed by the hash of the device code.
    pub device_codes: BTreeMap<String, DeviceCode>,
    /// The key ID tokens are signed with, made the first time one is issued.
    #[serde(default)]
    pub signing_key: Option<crate::identity::keys::SigningKey>,
}

#[derive(Clone, Serialize, Deserialize)]
pub(crate) struct AuthCode {
    pub user: usize,
    pub client_id: String,
    pub redirect_uri: String,
    pub code_challenge: String,
    pub scope: String,
    pub nonce: Option<String>,
    pub expires: DateTime<Utc>,
    pub redeemed: bool,
}

#[derive(Clone, Serialize, Deserialize)]
pub(crate) struct AccessToken {
    pub user: usize,
    pub scope: String,
    pub expires: DateTime<Utc>,
}

#[derive(Clone, Serialize, Deserialize)]
pub(crate) struct RefreshToken {
    pub user: usize,
    pub client_id: String,
    pub scope: String,
    pub issued: DateTime<Utc>,
    /// When the user signed in interactively; carried over by every rotation, compared with
    /// the user's `tokens_valid_from`.
    pub auth_time: DateTime<Utc>,
    /// The last redemption (or the issue), for the inactivity limit.
    pub last_used: DateTime<Utc>,
}

#[derive(Clone, Serialize, Deserialize, PartialEq, Eq)]
pub(crate) enum DeviceStatus {
    Pending,
    Approved(usize),
    Declined,
    Redeemed,
}

#[derive(Clone, Serialize, Deserialize)]
pub(crate) struct DeviceCode {
    pub user_code: String,
    pub client_id: String,
    pub scope: String,
    pub expires: DateTime<Utc>,
    pub status: DeviceStatus,
}

/// Hex SHA-256 of a secret, the form in which codes and tokens are kept.
pub(crate) fn secret_hash(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

impl State {
    pub fn take_key(&mut self) -> u64 {
        self.next_key += 1;
        self.next_key
    }

    /// Count one change to an event; the count to stamp on what changed.
    pub fn next_change(&mut self) -> u64 {
        self.change_count += 1;
        self.change_count
    }

    pub fn user_by_address(&self, address: &str) -> Option<usize> {
        let wanted = address.trim();
        self.users
            .iter()
            .position(|u| u.address.eq_ignore_ascii_case(wanted))
    }

    /// A user named by Graph id or user principal name (case-insensitive).
    pub fn user_by_id_or_upn(&self, key: &str) -> Option<usize> {
        let wanted = key.trim();
        self.users.iter().position(|u| {
            u.id.eq_ignore_ascii_case(wanted) || u.address.eq_ignore_ascii_case(wanted)
        })
    }

    /// Whether the holder of `address` may send mail on behalf of `owner`'s mailbox: named in
    /// its Send on Behalf list (`GrantSendOnBehalfTo`), or holding a delegate role on the
    /// owner's primary calendar, as Outlook grants Send on Behalf with the delegate role.
    pub fn may_send_on_behalf(&self, owner: usize, address: &str) -> bool {
        let wanted = address.trim();
        let listed = self.users.get(owner).is_some_and(|u| {
            u.send_on_behalf_to
                .iter()
                .any(|a| a.eq_ignore_ascii_case(wanted))
        });
        listed
            || self.default_calendar(owner).is_some_and(|c| {
                c.grants
                    .iter()
                    .any(|g| g.role.is_delegate() && g.address.eq_ignore_ascii_case(wanted))
            })
    }

    /// The groups `user` is a direct member of, or (`transitive`) a member of directly or
    /// through nested groups, in the directory's order.
    pub fn groups_of(&self, user: usize, transitive: bool) -> Vec<&DirectoryGroup> {
        let Some(id) = self.users.get(user).map(|u| u.id.as_str()) else {
            return Vec::new();
        };
        crate::nesting::groups_holding(&self.groups, id, transitive)
    }

    pub fn default_calendar(&self, user: usize) -> Option<&Calendar> {
        self.calendars
            .values()
            .find(|c| c.owner == user && c.is_default)
    }

    pub fn person(&self, user: usize) -> Person {
        self.users
            .get(user)
            .map(|u| Person {
                name: u.display_name.clone(),
                address: u.address.clone(),
            })
            .unwrap_or(Person {
                name: String::new(),
                address: String::new(),
            })
    }

    /// Drop expired codes and device codes, so the state does not grow.
    pub fn prune(&mut self, now: DateTime<Utc>) {
        // Redeemed ones are kept until they expire, so a second redemption is told so.
        self.auth.codes.retain(|_, c| c.expires > now);
        self.auth.device_codes.retain(|_, d| d.expires > now);
    }
}

/// The state behind its lock, and where it is saved.
pub(crate) struct Store {
    state: Mutex<State>,
    file: Option<PathBuf>,
}

impl Store {
    pub fn new(state: State, file: Option<PathBuf>) -> Store {
        Store {
            state: Mutex::new(state),
            file,
        }
    }

    /// Load a state file; `Ok(None)` when there is none yet.
    pub fn load(path: &Path) -> Result<Option<State>, SandboxError> {
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(source) => {
                return Err(SandboxError::ReadState {
                    path: path.to_path_buf(),
                    source,
                })
            }
        };
        let corrupt = |reason: String| SandboxError::CorruptState {
            path: path.to_path_buf(),
            reason,
        };
        let value: serde_json::Value =
            serde_json::from_str(&text).map_err(|e| corrupt(e.to_string()))?;
        let format = value
            .get("format")
            .and_then(serde_json::Value::as_u64)
            .ok_or_else(|| corrupt("it names no state format".to_string()))?;
        match format.cmp(&u64::from(FORMAT)) {
            std::cmp::Ordering::Equal => serde_json::from_value(value)
                .map(Some)
                .map_err(|e| corrupt(e.to_string())),
            // An older file describes another demo (other users, other token shapes); mixing
            // it with this build's seed would serve a world no test describes, so it is
            // replaced by a fresh seed, and said so.
            std::cmp::Ordering::Less => {
                tracing::warn!(
                    path = %path.display(),
                    format,
                    current = FORMAT,
                    "the sandbox state file was written by an older sandbox; starting again from the demo seed and replacing it"
                );
                Ok(None)
            }
            std::cmp::Ordering::Greater => Err(corrupt(format!(
                "state format {format} is newer than the format {FORMAT} this build uses"
            ))),
        }
    }

    pub fn lock(&self) -> MutexGuard<'_, State> {
        // A panic while holding the lock cannot leave the plain data half-typed; keep serving.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Save the state if a file is configured.
    pub fn save(&self, state: &State) -> Result<(), SandboxError> {
        let Some(path) = &self.file else {
            return Ok(());
        };
        save_to(path, state)
    }

    /// Save after a change; a failure is logged, not fatal, so the emulator keeps serving.
    pub fn save_logged(&self, state: &State) {
        if let Err(e) = self.save(state) {
            tracing::error!(error = %e, "could not save the sandbox state");
        }
    }
}

fn save_to(path: &Path, state: &State) -> Result<(), SandboxError> {
    let write_err = |source| SandboxError::WriteState {
        path: path.to_path_buf(),
        source,
    };
    let text = serde_json::to_vec(state).map_err(|e| SandboxError::WriteState {
        path: path.to_path_buf(),
        source: std::io::Error::other(e),
    })?;
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(write_err)?;
    }
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(".tmp");
    let tmp = PathBuf::from(tmp);
    std::fs::write(&tmp, text).map_err(write_err)?;
    std::fs::rename(&tmp, path).map_err(write_err)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn send_on_behalf_comes_from_the_list_or_a_delegate_role() {
        let mut state = crate::seed::seed(Utc::now());
        let olivia = state.user_by_address("olivia.grant@contoso.com").unwrap();
        for (who, may) in [
            ("daniel.reyes@contoso.com", true),
            ("LUCAS.MOREAU@contoso.com", true),
            ("ines.duarte@contoso.com", true),
            ("emma.chen@contoso.com", false),
            ("rita.novak@contoso.com", false),
            ("felix.braun@contoso.com", false),
        ] {
            assert_eq!(state.may_send_on_behalf(olivia, who), may, "{who}");
        }
        // Made a delegate later (through calendarPermissions), Emma may send on behalf too.
        let key = state.default_calendar(olivia).unwrap().key;
        if let Some(g) = state.calendars.get_mut(&key).and_then(|c| {
            c.grants
                .iter_mut()
                .find(|g| g.address == "emma.chen@contoso.com")
        }) {
            g.role = ExchangeRole::EditorDelegate;
        }
        assert!(state.may_send_on_behalf(olivia, "emma.chen@contoso.com"));
    }
}
