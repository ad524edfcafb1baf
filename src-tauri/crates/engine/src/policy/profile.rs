//! Profile permissions: which of Onbehalf's features a user may use. A profile is assigned to
//! users or groups by machine policy, or comes from the CRM (a permission set named
//! `Onbehalf_<Profile>`); a user with none gets the grants policy sets for everyone. A feature a
//! profile does not grant is not offered, and says why and who can change it.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::keys::Key;
use super::layers::{Policy, PolicyError, PolicyNote};
use super::raw::Raw;
use super::value::{read, Value};
use super::watch::{entries, err, names, Membership};

/// What a profile grants.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Grants {
    pub calendar_sync: bool,
    /// Private items may be synced, where policy allows private sync at all.
    pub private_sync: bool,
    /// Directions: `outlook_to_crm`, `crm_to_outlook`.
    pub contact_sync: Vec<String>,
    /// `opportunity`, `service`.
    pub contact_kinds: Vec<String>,
    pub task_sync: Vec<String>,
    /// What an e-mail may be filed against: `contact`, `organisation`, `opportunity`, `case`.
    pub email_integration: Vec<String>,
}

/// A profile's grants as written: what it leaves out comes from everyone's grants.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ProfileDoc {
    values: BTreeMap<Key, Value>,
}

/// A profile given to users and groups.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Assignment {
    pub profile: String,
    pub users: Vec<String>,
    pub groups: Vec<String>,
}

/// How the user came to have their profile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ProfileSource {
    /// No profile is assigned: the grants policy sets for everyone.
    Everyone,
    /// Assigned to the user by name.
    User,
    /// Assigned to a group the user belongs to.
    Group { group: String },
    /// A permission set the CRM assigns the user.
    Crm { permission_set: String },
    /// Policy assigns profiles by group or by the CRM, and those could not be read yet: nothing
    /// is granted until they are (never more than is known).
    Unknown { reason: String },
}

/// The user's profile and what it grants.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ProfileChoice {
    /// `None`: no named profile.
    pub name: Option<String>,
    pub source: ProfileSource,
    pub grants: Grants,
    /// Who to ask for a change, from policy.
    pub admin_contact: Option<String>,
    /// Policy allows private items to be synced at all (a profile may still withhold it).
    #[serde(default)]
    pub private_sync_allowed: bool,
}

/// A feature a profile may grant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Feature {
    CalendarSync,
    PrivateSync,
    ContactSync,
    TaskSync,
    EmailIntegration,
}

/// One line of what a user may use, for `doctor`, `policy` and the settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct FeatureLine {
    pub feature: String,
    pub granted: bool,
    /// What is granted, in words ("Outlook → CRM, CRM → Outlook").
    pub detail: String,
    /// Why not, and who can change it.
    pub reason: Option<String>,
}

impl ProfileDoc {
    fn grant(&self, key: Key, everyone: &Policy) -> Value {
        self.values
            .get(&key)
            .cloned()
            .or_else(|| everyone.value(key).cloned())
            .or_else(|| key.default_value())
            .expect("every grant has a default")
    }
}

impl Grants {
    /// Everyone's grants, or a named profile's over them.
    fn from(policy: &Policy, doc: Option<&ProfileDoc>) -> Grants {
        let empty = ProfileDoc::default();
        let doc = doc.unwrap_or(&empty);
        let list = |key: Key| {
            doc.grant(key, policy)
                .as_list()
                .map(<[String]>::to_vec)
                .unwrap_or_default()
        };
        Grants {
            calendar_sync: doc
                .grant(Key::CalendarSync, policy)
                .as_bool()
                .unwrap_or(false),
            // Nobody's profile grants private sync where policy does not allow it at all.
            private_sync: policy.bool(Key::AllowPrivateSync)
                && doc
                    .values
                    .get(&Key::PrivateSync)
                    .and_then(Value::as_bool)
                    .unwrap_or(true),
            contact_sync: list(Key::ContactSync),
            contact_kinds: list(Key::ContactKinds),
            task_sync: list(Key::TaskSync),
            email_integration: list(Key::EmailIntegration),
        }
    }

    pub fn allows(&self, feature: Feature) -> bool {
        match feature {
            Feature::CalendarSync => self.calendar_sync,
            Feature::PrivateSync => self.private_sync,
            Feature::ContactSync => !self.contact_sync.is_empty() && !self.contact_kinds.is_empty(),
            Feature::TaskSync => !self.task_sync.is_empty(),
            Feature::EmailIntegration => !self.email_integration.is_empty(),
        }
    }
}

impl Grants {
    /// Nothing at all.
    pub fn none() -> Grants {
        Grants {
            calendar_sync: false,
            private_sync: false,
            contact_sync: Vec::new(),
            contact_kinds: Vec::new(),
            task_sync: Vec::new(),
            email_integration: Vec::new(),
        }
    }
}

impl ProfileChoice {
    /// The profile could not be learnt (`reason`, for a person): nothing is granted.
    pub fn unknown(policy: &Policy, reason: impl Into<String>) -> ProfileChoice {
        ProfileChoice {
            name: None,
            source: ProfileSource::Unknown {
                reason: reason.into(),
            },
            grants: Grants::none(),
            admin_contact: policy.text(Key::AdminContact).map(str::to_string),
            private_sync_allowed: policy.bool(Key::AllowPrivateSync),
        }
    }

    /// Why `feature` is not available, for a person, or `None` when it is.
    pub fn refusal(&self, feature: Feature) -> Option<String> {
        if self.grants.allows(feature) {
            return None;
        }
        let what = label(feature);
        if let ProfileSource::Unknown { reason } = &self.source {
            return Some(format!(
                "Onbehalf has not yet learnt which features your profile includes ({reason}); \
                 {what} is available once it has."
            ));
        }
        let whose = match (&self.name, &self.source) {
            (Some(name), ProfileSource::User) => {
                format!("Your profile \"{name}\", which your administrator gave you,")
            }
            (Some(name), ProfileSource::Group { group }) => {
                format!("Your profile \"{name}\", which your administrator gave the group {group},")
            }
            (Some(name), ProfileSource::Crm { permission_set }) => {
                format!("Your profile \"{name}\", from the CRM permission set {permission_set},")
            }
            _ => "Your organisation's policy".to_string(),
        };
        let ask = match &self.admin_contact {
            Some(who) => format!("Ask {who} to change it."),
            None => "Your IT administrator can change it.".to_string(),
        };
        let private_off = feature == Feature::PrivateSync;
        Some(
            if private_off && (self.name.is_none() || !self.private_sync_allowed) {
                format!("Your organisation's policy does not allow {what}. {ask}")
            } else {
                format!("{whose} does not include {what}. {ask}")
            },
        )
    }

    /// Every feature, granted or not.
    pub fn lines(&self) -> Vec<FeatureLine> {
        let g = &self.grants;
        let words = |items: &[String], word: fn(&str) -> &str| -> String {
            items.iter().map(|i| word(i)).collect::<Vec<_>>().join(", ")
        };
        [
            (Feature::CalendarSync, String::new()),
            (Feature::PrivateSync, String::new()),
            (
                Feature::ContactSync,
                format!(
                    "{} ({})",
                    words(&g.contact_sync, direction),
                    words(&g.contact_kinds, contact_kind)
                ),
            ),
            (Feature::TaskSync, words(&g.task_sync, direction)),
            (
                Feature::EmailIntegration,
                words(&g.email_integration, email_target),
            ),
        ]
        .into_iter()
        .map(|(f, detail)| FeatureLine {
            feature: label(f).to_string(),
            granted: g.allows(f),
            detail: if g.allows(f) { detail } else { String::new() },
            reason: self.refusal(f),
        })
        .collect()
    }
}

fn label(f: Feature) -> &'static str {
    match f {
        Feature::CalendarSync => "calendar sync",
        Feature::PrivateSync => "syncing private items",
        Feature::ContactSync => "contact sync",
        Feature::TaskSync => "task sync",
        Feature::EmailIntegration => "filing e-mails in the CRM",
    }
}

fn direction(item: &str) -> &str {
    match item {
        "outlook_to_crm" => "Outlook → CRM",
        "crm_to_outlook" => "CRM → Outlook",
        other => other,
    }
}

fn contact_kind(item: &str) -> &str {
    match item {
        "opportunity" => "opportunity contacts",
        "service" => "service contacts",
        other => other,
    }
}

fn email_target(item: &str) -> &str {
    match item {
        "contact" => "contacts",
        "organisation" => "organisations",
        "opportunity" => "opportunities",
        "case" => "cases",
        other => other,
    }
}

/// Whether choosing a profile needs the user's groups (policy assigns by group or has
/// groups watch owners) and the CRM's permission sets.
pub fn needs(policy: &Policy) -> (bool, bool) {
    let groups = policy.assignments.iter().any(|a| !a.groups.is_empty())
        || policy.watch.iter().any(|w| !w.groups.is_empty());
    (groups, policy.bool(Key::CrmProfiles))
}

/// The profile a user has: assigned by name, then through a group, then from the CRM, then
/// everyone's. `crm_sets` are the CRM permission sets assigned to the user (`None`: not read).
pub fn choose(policy: &Policy, who: &Membership, crm_sets: Option<&[String]>) -> ProfileChoice {
    let admin_contact = policy.text(Key::AdminContact).map(str::to_string);
    let named = |name: &str, source: ProfileSource| ProfileChoice {
        name: Some(name.to_string()),
        grants: Grants::from(policy, policy.profile_doc(name)),
        source,
        admin_contact: admin_contact.clone(),
        private_sync_allowed: policy.bool(Key::AllowPrivateSync),
    };
    if let Some(a) = policy.assignments.iter().find(|a| who.is_among(&a.users)) {
        return named(&a.profile, ProfileSource::User);
    }
    for a in &policy.assignments {
        if let Some(group) = who.group_among(&a.groups) {
            return named(&a.profile, ProfileSource::Group { group });
        }
    }
    if policy.bool(Key::CrmProfiles) {
        for set in crm_sets.unwrap_or(&[]) {
            if let Some(name) = profile_of_permission_set(set, policy) {
                return named(
                    &name,
                    ProfileSource::Crm {
                        permission_set: set.clone(),
                    },
                );
            }
        }
    }
    ProfileChoice {
        name: None,
        source: ProfileSource::Everyone,
        grants: Grants::from(policy, None),
        admin_contact,
        private_sync_allowed: policy.bool(Key::AllowPrivateSync),
    }
}

/// `Onbehalf_Calendar_Only` is the profile `calendar_only` (case and spaces aside).
fn profile_of_permission_set(set: &str, policy: &Policy) -> Option<String> {
    let norm = |s: &str| s.trim().to_lowercase().replace([' ', '-'], "_");
    let rest = norm(set).strip_prefix("onbehalf_")?.to_string();
    policy
        .profiles_by_name()
        .find(|p| norm(p) == rest)
        .map(str::to_string)
}

impl Policy {
    fn profile_doc(&self, name: &str) -> Option<&ProfileDoc> {
        self.profiles.get(name)
    }

    /// The names of the profiles policy defines.
    pub fn profiles_by_name(&self) -> impl Iterator<Item = &str> {
        self.profiles.keys().map(String::as_str)
    }
}

/// Read the `profiles` table: a table of named profiles.
pub(super) fn read_profiles(
    raw: &Raw,
    place: &str,
    out: &mut BTreeMap<String, ProfileDoc>,
    errors: &mut Vec<PolicyError>,
    notes: &mut Vec<PolicyNote>,
) {
    let Raw::Table(table) = raw else {
        errors.push(err(place, "profiles", "expected a table of named profiles"));
        return;
    };
    for (name, body) in table {
        let Raw::Table(body) = body else {
            errors.push(err(
                place,
                &format!("profiles.{name}"),
                "expected a table of grants",
            ));
            continue;
        };
        let mut doc = ProfileDoc::default();
        for (k, v) in body {
            let at = format!("profiles.{name}.{k}");
            match Key::named(k).filter(|key| key.is_grant()) {
                None => notes.push(PolicyNote {
                    place: place.into(),
                    key: at,
                    note: "not a grant this version knows; ignored".into(),
                }),
                Some(_) if v.is_unset() => {}
                Some(key) => match read(key.kind(), v) {
                    Ok(value) => {
                        doc.values.insert(key, value);
                    }
                    Err(e) => errors.push(err(place, &at, &e)),
                },
            }
        }
        // The first place that defines a profile wins.
        out.entry(name.clone()).or_insert(doc);
    }
}

/// Read the `assign` list; each names a profile defined somewhere in policy.
pub(super) fn read_assignments(
    raw: &Raw,
    place: &str,
    profiles: &BTreeMap<String, ProfileDoc>,
    out: &mut Vec<Assignment>,
    errors: &mut Vec<PolicyError>,
) {
    for (i, entry) in entries(raw).into_iter().enumerate() {
        let at = format!("assign[{}]", i + 1);
        let Raw::Table(t) = entry else {
            errors.push(err(
                place,
                &at,
                "expected a table of profile, users and groups",
            ));
            continue;
        };
        let profile = match t.get("profile") {
            Some(Raw::Text(p)) if profiles.contains_key(p.trim()) => p.trim().to_string(),
            Some(Raw::Text(p)) => {
                errors.push(err(
                    place,
                    &at,
                    &format!(
                        "names the profile \"{}\", which no [profiles] table defines",
                        p.trim()
                    ),
                ));
                continue;
            }
            _ => {
                errors.push(err(place, &at, "names no profile"));
                continue;
            }
        };
        let users = match t
            .get("users")
            .map(|r| read(super::keys::Kind::Addresses, r))
        {
            None => Vec::new(),
            Some(Ok(Value::List(l))) => l,
            Some(Ok(_)) => Vec::new(),
            Some(Err(e)) => {
                errors.push(err(place, &at, &e));
                continue;
            }
        };
        let groups = match t.get("groups").map(names) {
            None => Vec::new(),
            Some(Ok(g)) => g,
            Some(Err(e)) => {
                errors.push(err(place, &at, &e));
                continue;
            }
        };
        if users.is_empty() && groups.is_empty() {
            errors.push(err(place, &at, "names no users and no groups"));
            continue;
        }
        out.push(Assignment {
            profile,
            users,
            groups,
        });
    }
}

/// The doctor's lines for what the user's profile grants: calendar sync not granted fails
/// (sharing cannot work); another feature not granted is a warning; private items kept out of
/// the CRM is what policy wants, and passes.
pub fn checks(choice: &ProfileChoice) -> Vec<crate::doctor::Check> {
    use crate::doctor::{Check, CheckStatus};
    let unknown = matches!(choice.source, ProfileSource::Unknown { .. });
    let who = match &choice.admin_contact {
        Some(c) => c.clone(),
        None => "Your IT administrator".to_string(),
    };
    let profile = match &choice.name {
        Some(n) => format!("Your profile \"{n}\""),
        None => "Your organisation's policy".to_string(),
    };
    [
        (
            Feature::CalendarSync,
            "profile_calendar_sync",
            "Calendar sync",
        ),
        (
            Feature::PrivateSync,
            "profile_private_sync",
            "Private items",
        ),
        (Feature::ContactSync, "profile_contact_sync", "Contact sync"),
        (Feature::TaskSync, "profile_task_sync", "Task sync"),
        (
            Feature::EmailIntegration,
            "profile_email_integration",
            "Filing e-mails",
        ),
    ]
    .into_iter()
    .zip(choice.lines())
    .map(|((feature, id, title), line)| {
        let refusal = choice.refusal(feature);
        let status = match (unknown, line.granted, feature) {
            (true, _, _) => CheckStatus::Unknown,
            (false, true, _) => CheckStatus::Pass,
            (false, false, Feature::CalendarSync) => CheckStatus::Fail,
            (false, false, Feature::PrivateSync) => CheckStatus::Pass,
            (false, false, _) => CheckStatus::Warn,
        };
        let detail = match (&refusal, feature) {
            (Some(_), Feature::PrivateSync) if !unknown => {
                "Private items stay out of the CRM, as policy requires.".to_string()
            }
            (Some(why), _) => why.clone(),
            (None, _) if line.detail.is_empty() => format!("{profile} includes {}.", line.feature),
            (None, _) => format!("{profile} includes {}: {}.", line.feature, line.detail),
        };
        let refused = status == CheckStatus::Fail || status == CheckStatus::Warn;
        Check {
            id: id.to_string(),
            subject: "You".to_string(),
            title: title.to_string(),
            status,
            detail,
            fix: refused.then(|| format!("Ask for a profile that includes {}.", line.feature)),
            who_can_fix: refused.then(|| who.clone()),
        }
    })
    .collect()
}
