//! Owners an administrator has the users of a group, or named users, watch: their calendars
//! are looked up by address like an owner the user added, and cannot be removed by the user.

use serde::Serialize;

use super::keys::Kind;
use super::layers::PolicyError;
use super::raw::Raw;
use super::value::{read, Value};

/// Who watches which owners.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct WatchRule {
    pub users: Vec<String>,
    /// Group display names or addresses, matched without regard to case.
    pub groups: Vec<String>,
    pub owners: Vec<String>,
}

/// A user's groups, by the names a policy may use for them.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Membership {
    pub user: String,
    /// Display names and addresses of the groups the user belongs to, lower case.
    pub groups: Vec<String>,
}

impl Membership {
    pub fn new(user: &str, groups: impl IntoIterator<Item = String>) -> Membership {
        Membership {
            user: user.trim().to_lowercase(),
            groups: groups
                .into_iter()
                .map(|g| g.trim().to_lowercase())
                .collect(),
        }
    }

    /// The first of `groups` this user belongs to, by the name a person reads.
    pub fn group_among(&self, groups: &[String]) -> Option<String> {
        groups.iter().find_map(|g| {
            let (key, label) = group_entry(g);
            self.groups.contains(&key).then_some(label)
        })
    }

    pub fn is_among(&self, users: &[String]) -> bool {
        users
            .iter()
            .any(|u| u.trim().eq_ignore_ascii_case(&self.user))
    }
}

/// A group as policy names it: its object id, address or name, or a name with the id in
/// parentheses ("Executive Assistants (0e6f3a2d-…)"), matched by the id and read by the name.
/// Returns what to match (lower case) and what to show.
fn group_entry(entry: &str) -> (String, String) {
    let entry = entry.trim();
    if let Some((label, rest)) = entry.rsplit_once('(') {
        if let Some(id) = rest.strip_suffix(')') {
            if !label.trim().is_empty() && !id.trim().is_empty() {
                return (id.trim().to_lowercase(), label.trim().to_string());
            }
        }
    }
    (entry.to_lowercase(), entry.to_string())
}

/// The owners policy has this user watch: everyone's, then those of the rules that name the
/// user or one of their groups. Sorted, once each.
pub fn owners_for(everyone: &[String], rules: &[WatchRule], who: &Membership) -> Vec<String> {
    let mut out: Vec<String> = everyone.to_vec();
    for rule in rules {
        if who.is_among(&rule.users) || who.group_among(&rule.groups).is_some() {
            out.extend(rule.owners.iter().cloned());
        }
    }
    out.retain(|o| *o != who.user);
    out.sort();
    out.dedup();
    out
}

/// Read the `watch` list (a list of tables; the registry gives a table of tables).
pub(super) fn read_watch(
    raw: &Raw,
    place: &str,
    out: &mut Vec<WatchRule>,
    errors: &mut Vec<PolicyError>,
) {
    for (i, entry) in entries(raw).into_iter().enumerate() {
        let where_ = format!("watch[{}]", i + 1);
        let Raw::Table(t) = entry else {
            errors.push(err(
                place,
                &where_,
                "expected a table of users, groups and owners",
            ));
            continue;
        };
        let list = |name: &str, kind: Kind| -> Result<Vec<String>, String> {
            match t.get(name) {
                None => Ok(Vec::new()),
                Some(raw) => match read(kind, raw)? {
                    Value::List(l) => Ok(l),
                    _ => Ok(Vec::new()),
                },
            }
        };
        let groups = match t.get("groups") {
            None => Ok(Vec::new()),
            Some(raw) => names(raw),
        };
        match (
            list("users", Kind::Addresses),
            groups,
            list("owners", Kind::Addresses),
        ) {
            (Ok(users), Ok(groups), Ok(owners)) => {
                if users.is_empty() && groups.is_empty() {
                    errors.push(err(
                        place,
                        &where_,
                        "names no users and no groups (owners everyone watches go in watch_owners)",
                    ));
                } else if owners.is_empty() {
                    errors.push(err(place, &where_, "names no owners to watch"));
                } else {
                    out.push(WatchRule {
                        users,
                        groups,
                        owners,
                    });
                }
            }
            (Err(e), _, _) | (_, Err(e), _) | (_, _, Err(e)) => {
                errors.push(err(place, &where_, &e))
            }
        }
    }
}

/// The entries of a list of tables, or of a table of tables (registry subkeys).
pub(super) fn entries(raw: &Raw) -> Vec<&Raw> {
    match raw {
        Raw::List(l) => l.iter().collect(),
        Raw::Table(t) => t.values().collect(),
        other => vec![other],
    }
}

/// Group names: free text, separated by commas or semicolons, or a list.
pub(super) fn names(raw: &Raw) -> Result<Vec<String>, String> {
    let parts: Vec<String> = match raw {
        Raw::List(l) => l
            .iter()
            .map(|r| match r {
                Raw::Text(t) => Ok(t.trim().to_string()),
                other => Err(format!("expected group names, found {}", other.describe())),
            })
            .collect::<Result<_, _>>()?,
        Raw::Text(t) => t.split([',', ';']).map(|s| s.trim().to_string()).collect(),
        other => return Err(format!("expected group names, found {}", other.describe())),
    };
    Ok(parts.into_iter().filter(|p| !p.is_empty()).collect())
}

pub(super) fn err(place: &str, key: &str, message: &str) -> PolicyError {
    PolicyError {
        place: place.into(),
        key: key.into(),
        message: message.into(),
    }
}
