//! Layering: mandatory machine policy over the user's own configuration over recommended
//! machine policy over defaults. A value from mandatory policy is locked. Keys this version
//! does not know (a newer policy) are reported and ignored; a value it cannot read is an error
//! that names where it is, the key and what was expected.

use std::collections::BTreeMap;
use std::fmt;

use serde::Serialize;

use super::keys::Key;
use super::profile::{read_assignments, read_profiles, Assignment, ProfileDoc};
use super::raw::Raw;
use super::value::{read, Value};
use super::watch::{read_watch, WatchRule};

/// Who wrote a policy document, which decides how strong its values are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Strength {
    /// Written where only an administrator can write: top-level keys are locked, its
    /// `recommended` table holds defaults the user may change.
    Machine,
    /// Written by a per-user installer where the user can write too: defaults only.
    InstallerDefaults,
    /// The user's own configuration (file, environment, settings).
    User,
}

/// One policy document and where it was read.
#[derive(Debug, Clone, PartialEq)]
pub struct Layer {
    /// Where it was read, for a person: a file, a registry key, an environment variable.
    pub place: String,
    pub strength: Strength,
    pub doc: BTreeMap<String, Raw>,
}

impl Layer {
    pub fn new(place: impl Into<String>, strength: Strength, doc: Raw) -> Layer {
        let doc = match doc {
            Raw::Table(t) => t,
            _ => BTreeMap::new(),
        };
        Layer {
            place: place.into(),
            strength,
            doc,
        }
    }
}

/// Where an effective value came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Origin {
    Default,
    /// Mandatory machine policy: locked.
    Administrator {
        place: String,
    },
    /// The user's own configuration.
    User {
        place: String,
    },
    /// Recommended by the administrator; the user may change it.
    Recommended {
        place: String,
    },
}

impl Origin {
    pub fn describe(&self) -> String {
        match self {
            Origin::Default => "default".into(),
            Origin::Administrator { place } => format!("set by your administrator ({place})"),
            Origin::User { place } => format!("yours ({place})"),
            Origin::Recommended { place } => format!("recommended by your administrator ({place})"),
        }
    }
}

/// A setting's effective value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Effective {
    pub key: Key,
    /// The setting in words.
    pub label: String,
    /// `None`: not set (a client id nobody gave).
    pub value: Option<Value>,
    pub origin: Origin,
    /// The user may not change it.
    pub locked: bool,
    /// Why it differs from what its origin says, or why it is locked when that comes from
    /// another setting.
    pub note: Option<String>,
}

/// A key this version does not know, or a table in a place that may not hold it: ignored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PolicyNote {
    pub place: String,
    pub key: String,
    pub note: String,
}

/// A value that cannot be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyError {
    pub place: String,
    pub key: String,
    pub message: String,
}

impl fmt::Display for PolicyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}: {}", self.place, self.key, self.message)
    }
}

/// The policy in force.
#[derive(Debug, Clone, PartialEq)]
pub struct Policy {
    settings: BTreeMap<Key, Effective>,
    pub(super) profiles: BTreeMap<String, ProfileDoc>,
    pub assignments: Vec<Assignment>,
    pub watch: Vec<WatchRule>,
    pub notes: Vec<PolicyNote>,
}

/// The tables a machine policy may hold besides settings.
const TABLES: [&str; 4] = ["recommended", "profiles", "assign", "watch"];

/// A value found for a key, with how strong it is.
struct Found {
    value: Value,
    origin: Origin,
    rank: u8,
}

impl Policy {
    /// The effective setting of `key`.
    pub fn get(&self, key: Key) -> &Effective {
        &self.settings[&key]
    }

    pub fn value(&self, key: Key) -> Option<&Value> {
        self.get(key).value.as_ref()
    }

    pub fn bool(&self, key: Key) -> bool {
        self.value(key).and_then(Value::as_bool).unwrap_or(false)
    }

    pub fn number(&self, key: Key) -> Option<u32> {
        self.value(key).and_then(Value::as_number)
    }

    pub fn text(&self, key: Key) -> Option<&str> {
        self.value(key).and_then(Value::as_text)
    }

    pub fn list(&self, key: Key) -> &[String] {
        self.value(key).and_then(Value::as_list).unwrap_or(&[])
    }

    pub fn locked(&self, key: Key) -> bool {
        self.get(key).locked
    }

    /// Every setting, in the catalogue's order.
    pub fn settings(&self) -> impl Iterator<Item = &Effective> {
        Key::ALL.iter().map(|k| &self.settings[k])
    }

    /// The policy with no document at all: every default.
    pub fn defaults() -> Policy {
        resolve(&[]).expect("defaults always resolve")
    }
}

/// What the layers gave so far.
#[derive(Default)]
struct Reading {
    found: BTreeMap<Key, Found>,
    errors: Vec<PolicyError>,
    notes: Vec<PolicyNote>,
}

impl Reading {
    /// Take the settings of `doc` at `rank`; within a rank, the first layer given wins.
    fn take(&mut self, place: &str, doc: &BTreeMap<String, Raw>, rank: u8, origin: &Origin) {
        for (name, raw) in doc {
            if TABLES.contains(&name.as_str()) {
                continue;
            }
            let Some(key) = Key::named(name) else {
                self.notes.push(PolicyNote {
                    place: place.into(),
                    key: name.clone(),
                    note: "not a setting this version knows; ignored".into(),
                });
                continue;
            };
            if raw.is_unset() {
                continue;
            }
            match read(key.kind(), raw) {
                Ok(value) => {
                    if self.found.get(&key).is_none_or(|f| f.rank < rank) {
                        self.found.insert(
                            key,
                            Found {
                                value,
                                origin: origin.clone(),
                                rank,
                            },
                        );
                    }
                }
                Err(message) => self.errors.push(PolicyError {
                    place: place.into(),
                    key: name.clone(),
                    message,
                }),
            }
        }
    }
}

const MANDATORY: u8 = 3;
const USER: u8 = 2;
const RECOMMENDED: u8 = 1;

/// Resolve the layers, in any order, into the policy in force.
pub fn resolve(layers: &[Layer]) -> Result<Policy, Vec<PolicyError>> {
    let mut r = Reading::default();
    let mut profiles = BTreeMap::new();
    let mut assign_raw = Vec::new();
    let mut watch = Vec::new();

    for layer in layers {
        let place = layer.place.clone();
        let (rank, origin) = match layer.strength {
            Strength::Machine => (MANDATORY, Origin::Administrator { place }),
            Strength::User => (USER, Origin::User { place }),
            Strength::InstallerDefaults => (RECOMMENDED, Origin::Recommended { place }),
        };
        r.take(&layer.place, &layer.doc, rank, &origin);
        for table in TABLES {
            let Some(raw) = layer.doc.get(table) else {
                continue;
            };
            if layer.strength != Strength::Machine {
                r.notes.push(PolicyNote {
                    place: layer.place.clone(),
                    key: table.into(),
                    note: "only machine policy may hold this table; ignored".into(),
                });
                continue;
            }
            match (table, raw) {
                ("recommended", Raw::Table(doc)) => {
                    let origin = Origin::Recommended {
                        place: layer.place.clone(),
                    };
                    r.take(&layer.place, doc, RECOMMENDED, &origin);
                }
                ("profiles", raw) => read_profiles(
                    raw,
                    &layer.place,
                    &mut profiles,
                    &mut r.errors,
                    &mut r.notes,
                ),
                ("assign", raw) => assign_raw.push((layer.place.clone(), raw.clone())),
                ("watch", raw) => read_watch(raw, &layer.place, &mut watch, &mut r.errors),
                (_, other) => r.errors.push(PolicyError {
                    place: layer.place.clone(),
                    key: table.into(),
                    message: format!("expected a table, found {}", other.describe()),
                }),
            }
        }
    }
    let mut assignments = Vec::new();
    for (place, raw) in &assign_raw {
        read_assignments(raw, place, &profiles, &mut assignments, &mut r.errors);
    }

    let mut settings: BTreeMap<Key, Effective> = Key::ALL
        .into_iter()
        .map(|key| {
            let e = match r.found.remove(&key) {
                Some(f) => Effective {
                    key,
                    label: key.label().to_string(),
                    value: Some(f.value),
                    locked: f.rank == MANDATORY,
                    origin: f.origin,
                    note: None,
                },
                None => Effective {
                    key,
                    label: key.label().to_string(),
                    value: key.default_value(),
                    origin: Origin::Default,
                    locked: false,
                    note: None,
                },
            };
            (key, e)
        })
        .collect();
    derive(&mut settings, &mut r.errors);
    if !r.errors.is_empty() {
        return Err(r.errors);
    }
    Ok(Policy {
        settings,
        profiles,
        assignments,
        watch,
        notes: r.notes,
    })
}

/// Settings that follow from others: the authority from a tenant, private sync from whether it
/// is allowed, the interval from its bounds.
fn derive(settings: &mut BTreeMap<Key, Effective>, errors: &mut Vec<PolicyError>) {
    let tenant = settings[&Key::MicrosoftTenant].clone();
    let authority = &settings[&Key::MicrosoftAuthority];
    if let (Some(Value::Text(t)), Origin::Default) = (&tenant.value, &authority.origin) {
        let a = settings
            .get_mut(&Key::MicrosoftAuthority)
            .expect("every key");
        a.value = Some(Value::Text(format!(
            "https://login.microsoftonline.com/{t}"
        )));
        a.origin = tenant.origin.clone();
        a.locked = tenant.locked;
        a.note = Some(format!("from the tenant {t}"));
    }

    let allowed = settings[&Key::AllowPrivateSync].clone();
    if allowed.value == Some(Value::Bool(false)) {
        let p = settings.get_mut(&Key::PrivateSync).expect("every key");
        p.value = Some(Value::Bool(false));
        p.locked = true;
        p.origin = allowed.origin.clone();
        p.note = Some(match allowed.origin {
            Origin::Default => {
                "private items are not synced unless an administrator allows it".into()
            }
            _ => "your administrator does not allow private items to be synced".into(),
        });
    }

    let lo = settings[&Key::SyncIntervalMinMinutes].clone();
    let hi = settings[&Key::SyncIntervalMaxMinutes].clone();
    let (Some(min), Some(max)) = (
        lo.value.as_ref().and_then(Value::as_number),
        hi.value.as_ref().and_then(Value::as_number),
    ) else {
        return;
    };
    if min > max {
        errors.push(PolicyError {
            place: place_of(&lo.origin, &hi.origin),
            key: Key::SyncIntervalMinMinutes.name().into(),
            message: format!(
                "the shortest sync interval ({min}) is longer than the longest ({max})"
            ),
        });
        return;
    }
    let interval = settings
        .get_mut(&Key::SyncIntervalMinutes)
        .expect("every key");
    let Some(n) = interval.value.as_ref().and_then(Value::as_number) else {
        return;
    };
    if (min..=max).contains(&n) {
        return;
    }
    if interval.locked {
        errors.push(PolicyError {
            place: place_of(&interval.origin, &lo.origin),
            key: Key::SyncIntervalMinutes.name().into(),
            message: format!("{n} minutes is outside the bounds set, {min} to {max}"),
        });
        return;
    }
    let kept = n.clamp(min, max);
    interval.value = Some(Value::Number(kept));
    interval.note = Some(format!(
        "{n} minutes is outside what your administrator allows ({min} to {max}); {kept} is used"
    ));
}

fn place_of(a: &Origin, b: &Origin) -> String {
    for o in [a, b] {
        match o {
            Origin::Administrator { place }
            | Origin::User { place }
            | Origin::Recommended { place } => return place.clone(),
            Origin::Default => {}
        }
    }
    "defaults".into()
}
