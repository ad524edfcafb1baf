//! Finding every calendar the user can reach, with the permission they really have there.
//!
//! Graph has no API that lists the mailboxes a user may open, so reach is the union of
//! `/me/calendars` (own calendars and shared ones the user added) and owners named by address,
//! probed with `GET /users/{owner}/calendar`.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use thiserror::Error;

use crate::actions::{verdicts, Wording};
use crate::ports::{CalendarInfo, CalendarRef, CalendarSource, DetailProbe, Me, SourceError};
use crate::resolve::{no_permission, own_permission, resolve, Observed, PublishedRole};
use crate::status_record::StatusRecord;
use crate::view::{CalendarEntry, CalendarKind, OwnerOnbehalf, PermissionView};

/// The result of one discovery.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Discovery {
    pub me: Me,
    pub calendars: Vec<CalendarEntry>,
}

#[derive(Debug, Error, PartialEq, Eq)]
pub enum DiscoveryError {
    #[error("could not read who you are: {0}")]
    Me(SourceError),
    #[error("could not list your calendars: {0}")]
    ListCalendars(SourceError),
    #[error("{0}")]
    SignInExpired(SourceError),
}

/// Discover every reachable calendar.
///
/// `own_record` is the record this app just published for the user (shown on their own
/// calendars); `added_owners` are the addresses the user added by hand.
pub async fn discover<S: CalendarSource>(
    source: &S,
    own_record: Option<&StatusRecord>,
    added_owners: &[String],
) -> Result<Discovery, DiscoveryError> {
    let me = source.me().await.map_err(DiscoveryError::Me)?;
    let listed = source
        .my_calendars()
        .await
        .map_err(DiscoveryError::ListCalendars)?;

    let mut entries = Vec::new();
    let mut owners: BTreeMap<String, OwnerFacts> = BTreeMap::new();

    for cal in &listed {
        match owner_of(cal, &me) {
            None => entries.push(own_entry(cal, &me, own_record)),
            Some((address, name)) => {
                let facts = owner_facts(source, &mut owners, &address, &me).await?;
                let kind = match cal.name == name {
                    // Graph names a shared primary calendar after its owner by default.
                    true => CalendarKind::OwnerPrimary,
                    false => CalendarKind::SharedSecondary,
                };
                let detail = probe(source, &CalendarRef::Mine(cal.id.clone())).await?;
                let observed = Observed {
                    can_edit: cal.can_edit,
                    can_view_private: cal.can_view_private_items,
                    detail,
                };
                let published = match kind {
                    CalendarKind::OwnerPrimary => facts.role,
                    CalendarKind::Own
                    | CalendarKind::SharedSecondary
                    | CalendarKind::AddedByAddress => None,
                };
                let key = match kind {
                    CalendarKind::OwnerPrimary => format!("{address}/primary"),
                    CalendarKind::Own
                    | CalendarKind::SharedSecondary
                    | CalendarKind::AddedByAddress => format!("{address}/{}", cal.id),
                };
                entries.push(
                    entry(
                        key,
                        &address,
                        &name,
                        cal.name.clone(),
                        kind,
                        resolve(published, &observed),
                        facts.onbehalf.clone(),
                        None,
                    )
                    .with_default(kind == CalendarKind::OwnerPrimary),
                );
            }
        }
    }

    for address in added_owners {
        let address = address.trim().to_lowercase();
        let already = entries
            .iter()
            .any(|e| e.owner == address && e.kind != CalendarKind::SharedSecondary);
        if already || address == me.address.to_lowercase() {
            continue;
        }
        entries.push(added_entry(source, &mut owners, &address, &me).await?);
    }

    entries.sort_by_key(sort_key);
    Ok(Discovery {
        me,
        calendars: entries,
    })
}

fn sort_key(e: &CalendarEntry) -> (bool, bool, String, CalendarKind, String) {
    (
        e.kind != CalendarKind::Own,
        !e.is_default,
        e.owner_name.to_lowercase(),
        e.kind,
        e.name.to_lowercase(),
    )
}

/// The owner of a listed calendar, or `None` when it is the user's own.
fn owner_of(cal: &CalendarInfo, me: &Me) -> Option<(String, String)> {
    match &cal.owner {
        Some(p) if !p.address.eq_ignore_ascii_case(&me.address) => {
            Some((p.address.to_lowercase(), p.name.clone()))
        }
        Some(_) | None => None,
    }
}

/// What is known about one owner across their calendars.
#[derive(Debug, Clone)]
struct OwnerFacts {
    role: Option<PublishedRole>,
    onbehalf: Option<OwnerOnbehalf>,
}

async fn owner_facts<S: CalendarSource>(
    source: &S,
    cache: &mut BTreeMap<String, OwnerFacts>,
    address: &str,
    me: &Me,
) -> Result<OwnerFacts, DiscoveryError> {
    if let Some(f) = cache.get(address) {
        return Ok(f.clone());
    }
    let record = match source.owner_status_record(address).await {
        Ok(Some(value)) => StatusRecord::parse(&value).ok(),
        Ok(None) => None,
        Err(SourceError::SignInExpired) => {
            return Err(DiscoveryError::SignInExpired(SourceError::SignInExpired))
        }
        // The record is a bonus: without it the permission is inferred.
        Err(_) => None,
    };
    let facts = OwnerFacts {
        role: record.as_ref().and_then(|r| {
            r.role_for(&me.address).map(|role| PublishedRole {
                role,
                published_at: r.published_at,
            })
        }),
        onbehalf: record.as_ref().map(|r| onbehalf_of(r, me)),
    };
    cache.insert(address.to_string(), facts.clone());
    Ok(facts)
}

fn onbehalf_of(r: &StatusRecord, me: &Me) -> OwnerOnbehalf {
    OwnerOnbehalf {
        sync_on: r.sync_on,
        last_run: r.last_run,
        published_at: r.published_at,
        app_version: r.app_version.clone(),
        same_tenant: r.tenant_id.eq_ignore_ascii_case(&me.tenant_id),
    }
}

async fn probe<S: CalendarSource>(
    source: &S,
    cal: &CalendarRef,
) -> Result<DetailProbe, DiscoveryError> {
    match source.probe_details(cal).await {
        Ok(d) => Ok(d),
        Err(SourceError::SignInExpired) => {
            Err(DiscoveryError::SignInExpired(SourceError::SignInExpired))
        }
        Err(SourceError::AccessDenied { .. } | SourceError::NotFound { .. }) => {
            Ok(DetailProbe::Refused)
        }
        // A transient failure must not lower the shown permission: assume details are visible
        // and let `canEdit`/`canViewPrivateItems` decide.
        Err(SourceError::Transient { .. } | SourceError::Other { .. }) => {
            Ok(DetailProbe::Samples(Vec::new()))
        }
    }
}

fn own_entry(cal: &CalendarInfo, me: &Me, own_record: Option<&StatusRecord>) -> CalendarEntry {
    entry(
        format!("me/{}", cal.id),
        &me.address.to_lowercase(),
        &me.display_name,
        cal.name.clone(),
        CalendarKind::Own,
        own_permission(),
        own_record.map(|r| onbehalf_of(r, me)),
        None,
    )
    .with_default(cal.is_default_calendar)
}

async fn added_entry<S: CalendarSource>(
    source: &S,
    owners: &mut BTreeMap<String, OwnerFacts>,
    address: &str,
    me: &Me,
) -> Result<CalendarEntry, DiscoveryError> {
    let key = format!("{address}/primary");
    match source.owner_calendar(address).await {
        Ok(cal) => {
            let facts = owner_facts(source, owners, address, me).await?;
            let name = cal
                .owner
                .as_ref()
                .map(|p| p.name.clone())
                .unwrap_or_else(|| address.to_string());
            let detail = probe(source, &CalendarRef::OwnerDefault(address.to_string())).await?;
            let observed = Observed {
                can_edit: cal.can_edit,
                can_view_private: cal.can_view_private_items,
                detail,
            };
            Ok(entry(
                key,
                address,
                &name,
                name.clone(),
                CalendarKind::AddedByAddress,
                resolve(facts.role, &observed),
                facts.onbehalf,
                None,
            )
            .with_default(true))
        }
        Err(SourceError::SignInExpired) => {
            Err(DiscoveryError::SignInExpired(SourceError::SignInExpired))
        }
        Err(e) => {
            let problem = match &e {
                SourceError::NotFound { .. } | SourceError::AccessDenied { .. } => format!(
                    "{address} has not shared a calendar with you, or there is no such person \
                     in your organisation."
                ),
                SourceError::Transient { .. } => format!(
                    "Could not reach {address}'s calendar just now ({e}). It will be checked \
                     again at the next refresh."
                ),
                SourceError::SignInExpired | SourceError::Other { .. } => {
                    format!("Could not check {address}'s calendar: {e}")
                }
            };
            Ok(entry(
                key,
                address,
                address,
                address.to_string(),
                CalendarKind::AddedByAddress,
                no_permission(),
                None,
                Some(problem),
            )
            .with_default(true))
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn entry(
    key: String,
    owner: &str,
    owner_name: &str,
    name: String,
    kind: CalendarKind,
    permission: PermissionView,
    owner_onbehalf: Option<OwnerOnbehalf>,
    problem: Option<String>,
) -> CalendarEntry {
    let wording = Wording {
        owner_name: match kind {
            CalendarKind::Own => "you",
            CalendarKind::OwnerPrimary
            | CalendarKind::SharedSecondary
            | CalendarKind::AddedByAddress => owner_name,
        },
        current_level: &permission.outlook,
    };
    let actions = verdicts(&permission.rights, &wording);
    CalendarEntry {
        key,
        owner: owner.to_string(),
        owner_name: owner_name.to_string(),
        name,
        kind,
        is_default: false,
        can_view_private: permission.rights.view_private,
        permission,
        owner_onbehalf,
        actions,
        problem,
    }
}

impl CalendarEntry {
    fn with_default(mut self, is_default: bool) -> Self {
        self.is_default = is_default;
        self
    }
}

/// How long ago a record was published, for "published N minutes ago".
pub fn age_minutes(published_at: DateTime<Utc>, now: DateTime<Utc>) -> i64 {
    (now - published_at).num_minutes().max(0)
}
