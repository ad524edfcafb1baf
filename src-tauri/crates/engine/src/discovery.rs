//! Finding every calendar the user can reach, with the permission they really have there.
//!
//! Graph has no API that lists the mailboxes a user may open, so reach is the union of
//! `/me/calendars` (own calendars and shared ones the user added) and owners named by address,
//! probed with `GET /users/{owner}/calendar`.
//!
//! An owner's primary calendar is recognised by identity, not by its name in the user's list
//! (which the user may have renamed): its items carry the same `iCalUId`s as the items of the
//! owner's default calendar read through the owner's mailbox. Only where neither shows items
//! does the name Graph gives a shared primary calendar (the owner's display name) decide.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};
use thiserror::Error;

use crate::actions::{verdicts, Wording};
use crate::permission::GraphRole;
use crate::ports::{CalendarInfo, CalendarRef, CalendarSource, DetailProbe, Me, SourceError};
use crate::resolve::{
    no_permission, own_permission, resolve, unchecked_permission, Observed, ProbeOutcome, Published,
};
use crate::status_record::{RecordError, RecordKeys, StatusRecord};
use crate::view::{
    CalendarEntry, CalendarKind, OwnerOnbehalf, OwnerRecord, PermissionSource, PermissionView,
};

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

/// What a discovery starts from besides Exchange.
#[derive(Debug, Clone, Copy)]
pub struct Known<'a> {
    /// The record this app published for the user (shown on their own calendars).
    pub own_record: Option<&'a StatusRecord>,
    /// The user's record keys, to open grants sealed to them.
    pub keys: Option<&'a RecordKeys>,
    /// Addresses the user added by hand.
    pub added_owners: &'a [String],
    /// The calendars found last time: what a failed check falls back on.
    pub previous: &'a [CalendarEntry],
    pub now: DateTime<Utc>,
}

/// Discover every reachable calendar.
pub async fn discover<S: CalendarSource>(
    source: &S,
    known: &Known<'_>,
) -> Result<Discovery, DiscoveryError> {
    let me = source.me().await.map_err(DiscoveryError::Me)?;
    let listed = source
        .my_calendars()
        .await
        .map_err(DiscoveryError::ListCalendars)?;
    let previous: BTreeMap<&str, &CalendarEntry> =
        known.previous.iter().map(|e| (e.key.as_str(), e)).collect();
    let ctx = Ctx {
        me: &me,
        known,
        previous,
    };

    let mut entries = Vec::new();
    let mut shared: BTreeMap<String, (String, Vec<&CalendarInfo>)> = BTreeMap::new();
    for cal in &listed {
        match owner_of(cal, &me) {
            None => entries.push(own_entry(cal, &me, known)),
            Some((address, name)) => shared
                .entry(address)
                .or_insert_with(|| (name, Vec::new()))
                .1
                .push(cal),
        }
    }
    let mut facts: BTreeMap<String, OwnerFacts> = BTreeMap::new();
    for (address, (name, calendars)) in &shared {
        let f = owner_facts(source, &ctx, address).await?;
        entries.extend(owner_entries(source, &ctx, address, name, calendars, &f).await?);
        facts.insert(address.clone(), f);
    }

    for address in known.added_owners {
        let address = address.trim().to_lowercase();
        let already = entries
            .iter()
            .any(|e| e.owner == address && e.kind == CalendarKind::OwnerPrimary);
        if already || address == me.address.to_lowercase() {
            continue;
        }
        let f = match facts.remove(&address) {
            Some(f) => f,
            None => owner_facts(source, &ctx, &address).await?,
        };
        entries.push(added_entry(source, &ctx, &address, &f).await?);
    }

    entries.sort_by_key(sort_key);
    Ok(Discovery {
        me,
        calendars: entries,
    })
}

struct Ctx<'a> {
    me: &'a Me,
    known: &'a Known<'a>,
    previous: BTreeMap<&'a str, &'a CalendarEntry>,
}

impl Ctx<'_> {
    fn previous_permission(&self, key: &str) -> Option<&PermissionView> {
        self.previous.get(key).map(|e| &e.permission)
    }
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

/// What is known about one owner from their status record.
#[derive(Debug, Clone)]
struct OwnerFacts {
    state: OwnerRecord,
    record: Option<StatusRecord>,
    onbehalf: Option<OwnerOnbehalf>,
}

async fn owner_facts<S: CalendarSource>(
    source: &S,
    ctx: &Ctx<'_>,
    address: &str,
) -> Result<OwnerFacts, DiscoveryError> {
    let (state, record) = match source.owner_status_record(address).await {
        Ok(Some(value)) => match StatusRecord::parse(&value) {
            Ok(r) => (OwnerRecord::Found, Some(r)),
            Err(RecordError::NewerFormat(format)) => (OwnerRecord::NewerFormat { format }, None),
            Err(e) => (
                OwnerRecord::Unreadable {
                    detail: e.to_string(),
                },
                None,
            ),
        },
        Ok(None) => (OwnerRecord::Absent, None),
        Err(SourceError::SignInExpired) => {
            return Err(DiscoveryError::SignInExpired(SourceError::SignInExpired))
        }
        Err(SourceError::AccessDenied { .. } | SourceError::NotFound { .. }) => {
            (OwnerRecord::Denied, None)
        }
        Err(
            e @ (SourceError::Throttled { .. }
            | SourceError::Transient { .. }
            | SourceError::Conflict { .. }
            | SourceError::Other { .. }),
        ) => (
            OwnerRecord::Unchecked {
                detail: e.to_string(),
            },
            None,
        ),
    };
    let onbehalf = record.as_ref().map(|r| onbehalf_of(r, ctx.me));
    Ok(OwnerFacts {
        state,
        record,
        onbehalf,
    })
}

impl OwnerFacts {
    /// What the record says about the user on one kind of calendar of this owner.
    fn published(&self, kind: CalendarKind, owner: &str, ctx: &Ctx<'_>) -> Published {
        let record = match (&self.state, &self.record) {
            (OwnerRecord::Found, Some(r)) => r,
            (OwnerRecord::Unchecked { detail }, _) => return Published::Unchecked(detail.clone()),
            (state, _) => return Published::Nothing(why_no_record(state, owner)),
        };
        match kind {
            CalendarKind::OwnerPrimary | CalendarKind::AddedByAddress => {}
            CalendarKind::Own | CalendarKind::SharedSecondary => {
                return Published::Nothing(format!(
                    "{owner}'s Onbehalf publishes the permissions of their main calendar only."
                ))
            }
        }
        let sealed = ctx
            .known
            .keys
            .and_then(|k| record.open_grant(&ctx.me.address, k));
        match (sealed, kind, record.organization_role) {
            // `none` is not a role anyone is granted (only "My Organization" can hold it), so a
            // sealed `none` names someone with no calendar grant of their own (Send on Behalf
            // only): they hold what the organisation holds.
            (Some(g), _, Some(org)) if g.role == GraphRole::None => Published::Grant {
                role: org,
                send_on_behalf: g.send_on_behalf,
                published_at: record.published_at,
                from_organization: true,
            },
            (Some(g), _, _) => Published::Grant {
                role: g.role,
                send_on_behalf: g.send_on_behalf,
                published_at: record.published_at,
                from_organization: false,
            },
            // Reached only through the organisation: the organisation's role is the user's,
            // unless they hold a grant sealed for them (then it is above).
            (None, CalendarKind::AddedByAddress, Some(role)) => Published::Grant {
                role,
                send_on_behalf: false,
                published_at: record.published_at,
                from_organization: true,
            },
            (None, _, _) => Published::Nothing(format!(
                "{owner}'s Onbehalf has no entry sealed to you. It seals each grant to the key \
                 your Onbehalf publishes and had not read yours when it last published; it \
                 will at its next refresh."
            )),
        }
    }
}

fn why_no_record(state: &OwnerRecord, owner: &str) -> String {
    match state {
        OwnerRecord::Absent => {
            format!("{owner} does not run Onbehalf, so their exact permission is not published.")
        }
        OwnerRecord::NewerFormat { format } => format!(
            "{owner} runs a newer Onbehalf whose status (format {format}) this version cannot \
             read; update Onbehalf to see the exact permission."
        ),
        OwnerRecord::Unreadable { detail } => {
            format!("{owner}'s Onbehalf status could not be read ({detail}).")
        }
        OwnerRecord::Denied => {
            format!("Exchange does not let you read {owner}'s Onbehalf status.")
        }
        OwnerRecord::Mine | OwnerRecord::Found | OwnerRecord::Unchecked { .. } => {
            format!("{owner}'s Onbehalf status says nothing about you.")
        }
    }
}

fn onbehalf_of(r: &StatusRecord, me: &Me) -> OwnerOnbehalf {
    OwnerOnbehalf {
        sync_on: r.sync_on,
        last_run: r.last_run,
        published_at: r.published_at,
        app_version: r.app_version.clone(),
        same_tenant: r.tenant_id.eq_ignore_ascii_case(&me.tenant_id),
        crm_org_id: r.crm_org_id.clone(),
        crm_user_id: r.crm_user_id.clone(),
    }
}

/// Look at a few items; a refusal means free/busy only, any other failure says nothing.
async fn probe<S: CalendarSource>(
    source: &S,
    cal: &CalendarRef,
) -> Result<ProbeOutcome, DiscoveryError> {
    match source.probe_details(cal).await {
        Ok(DetailProbe::Refused) => Ok(ProbeOutcome::Refused),
        Ok(DetailProbe::Samples(s)) => Ok(ProbeOutcome::Samples(s)),
        Err(SourceError::SignInExpired) => {
            Err(DiscoveryError::SignInExpired(SourceError::SignInExpired))
        }
        Err(SourceError::AccessDenied { .. } | SourceError::NotFound { .. }) => {
            Ok(ProbeOutcome::Refused)
        }
        Err(
            e @ (SourceError::Throttled { .. }
            | SourceError::Transient { .. }
            | SourceError::Conflict { .. }
            | SourceError::Other { .. }),
        ) => Ok(ProbeOutcome::Unknown(e.to_string())),
    }
}

fn icals(outcome: &ProbeOutcome) -> BTreeSet<&str> {
    match outcome {
        ProbeOutcome::Samples(s) => s.iter().filter_map(|e| e.ical_uid.as_deref()).collect(),
        ProbeOutcome::Refused | ProbeOutcome::Unknown(_) => BTreeSet::new(),
    }
}

/// The entries of one owner's calendars in the user's list, the primary one recognised.
async fn owner_entries<S: CalendarSource>(
    source: &S,
    ctx: &Ctx<'_>,
    address: &str,
    owner_name: &str,
    calendars: &[&CalendarInfo],
    facts: &OwnerFacts,
) -> Result<Vec<CalendarEntry>, DiscoveryError> {
    let mut probes = Vec::new();
    for cal in calendars {
        probes.push(probe(source, &CalendarRef::Mine(cal.id.clone())).await?);
    }
    let default_items = match source.owner_calendar(address).await {
        Ok(_) => icals(&probe(source, &CalendarRef::OwnerDefault(address.to_string())).await?)
            .into_iter()
            .map(str::to_string)
            .collect(),
        Err(SourceError::SignInExpired) => {
            return Err(DiscoveryError::SignInExpired(SourceError::SignInExpired))
        }
        Err(_) => BTreeSet::new(),
    };
    let primary = primary_index(calendars, &probes, &default_items, owner_name);
    let mut out = Vec::new();
    for (i, (cal, outcome)) in calendars.iter().zip(probes).enumerate() {
        let kind = match primary == Some(i) {
            true => CalendarKind::OwnerPrimary,
            false => CalendarKind::SharedSecondary,
        };
        let key = match kind {
            CalendarKind::OwnerPrimary => format!("{address}/primary"),
            CalendarKind::Own | CalendarKind::SharedSecondary | CalendarKind::AddedByAddress => {
                format!("{address}/{}", cal.id)
            }
        };
        let observed = Observed {
            can_edit: cal.can_edit,
            can_view_private: cal.can_view_private_items,
            detail: outcome,
        };
        let permission = resolve(
            &facts.published(kind, owner_name, ctx),
            &observed,
            ctx.previous_permission(&key),
            ctx.known.now,
        );
        out.push(
            Entry {
                key,
                owner: address,
                owner_name,
                name: cal.name.clone(),
                kind,
                is_default: kind == CalendarKind::OwnerPrimary,
                permission,
                facts,
                problem: None,
            }
            .build(),
        );
    }
    Ok(out)
}

/// Which listed calendar is the owner's primary one: the one sharing items with the owner's
/// default calendar; failing any evidence, the one Graph named after the owner.
fn primary_index(
    calendars: &[&CalendarInfo],
    probes: &[ProbeOutcome],
    default_items: &BTreeSet<String>,
    owner_name: &str,
) -> Option<usize> {
    let by_items = probes
        .iter()
        .position(|p| icals(p).iter().any(|id| default_items.contains(*id)));
    by_items.or_else(|| {
        calendars.iter().zip(probes).position(|(cal, p)| {
            // A calendar whose items are visible and differ from the default's is not it.
            let disproved = !default_items.is_empty() && !icals(p).is_empty();
            !disproved && cal.name == owner_name
        })
    })
}

fn own_entry(cal: &CalendarInfo, me: &Me, known: &Known<'_>) -> CalendarEntry {
    let facts = OwnerFacts {
        state: OwnerRecord::Mine,
        record: None,
        onbehalf: known.own_record.map(|r| onbehalf_of(r, me)),
    };
    Entry {
        key: format!("me/{}", cal.id),
        owner: &me.address.to_lowercase(),
        owner_name: &me.display_name,
        name: cal.name.clone(),
        kind: CalendarKind::Own,
        is_default: cal.is_default_calendar,
        permission: own_permission(known.now),
        facts: &facts,
        problem: None,
    }
    .build()
}

async fn added_entry<S: CalendarSource>(
    source: &S,
    ctx: &Ctx<'_>,
    address: &str,
    facts: &OwnerFacts,
) -> Result<CalendarEntry, DiscoveryError> {
    let key = format!("{address}/primary");
    let (name, permission, problem) = match source.owner_calendar(address).await {
        Ok(cal) => {
            let name = cal
                .owner
                .as_ref()
                .map(|p| p.name.clone())
                .filter(|n| !n.is_empty())
                .unwrap_or_else(|| address.to_string());
            let observed = Observed {
                can_edit: cal.can_edit,
                can_view_private: cal.can_view_private_items,
                detail: probe(source, &CalendarRef::OwnerDefault(address.to_string())).await?,
            };
            let permission = resolve(
                &facts.published(CalendarKind::AddedByAddress, &name, ctx),
                &observed,
                ctx.previous_permission(&key),
                ctx.known.now,
            );
            (name, permission, None)
        }
        Err(SourceError::SignInExpired) => {
            return Err(DiscoveryError::SignInExpired(SourceError::SignInExpired))
        }
        Err(SourceError::NotFound { .. } | SourceError::AccessDenied { .. }) => (
            address.to_string(),
            no_permission(ctx.known.now),
            Some(format!(
                "{address} has not shared a calendar with you, or there is no such person in \
                 your organisation."
            )),
        ),
        Err(
            e @ (SourceError::Throttled { .. }
            | SourceError::Transient { .. }
            | SourceError::Conflict { .. }
            | SourceError::Other { .. }),
        ) => {
            let problem = format!(
                "Could not reach {address}'s calendar just now ({e}). It will be checked again \
                 at the next refresh."
            );
            match ctx.previous.get(key.as_str()) {
                // Keep what was known, marked stale, rather than claim there is no access.
                Some(p) if p.permission.source != PermissionSource::Unknown => (
                    p.owner_name.clone(),
                    PermissionView {
                        source: PermissionSource::Stale,
                        ..p.permission.clone()
                    },
                    Some(problem),
                ),
                Some(_) | None => (
                    address.to_string(),
                    unchecked_permission(&e.to_string()),
                    Some(problem),
                ),
            }
        }
    };
    Ok(Entry {
        key,
        owner: address,
        owner_name: &name,
        name: name.clone(),
        kind: CalendarKind::AddedByAddress,
        is_default: true,
        permission,
        facts,
        problem,
    }
    .build())
}

/// The parts of one calendar entry, before its verdicts are worked out.
struct Entry<'a> {
    key: String,
    owner: &'a str,
    owner_name: &'a str,
    name: String,
    kind: CalendarKind,
    is_default: bool,
    permission: PermissionView,
    facts: &'a OwnerFacts,
    problem: Option<String>,
}

impl Entry<'_> {
    fn build(self) -> CalendarEntry {
        let owner_words = match self.kind {
            CalendarKind::Own => "you",
            CalendarKind::OwnerPrimary
            | CalendarKind::SharedSecondary
            | CalendarKind::AddedByAddress => self.owner_name,
        };
        let unchecked = match self.permission.source {
            PermissionSource::Unknown => Some("Microsoft 365 could not be asked"),
            PermissionSource::Own
            | PermissionSource::Published
            | PermissionSource::Inferred
            | PermissionSource::Stale => None,
        };
        let wording = Wording {
            owner_name: owner_words,
            current_level: &self.permission.outlook,
            may_be: self.permission.may_be.as_deref(),
            unchecked,
        };
        let actions = verdicts(&self.permission.rights, &wording);
        CalendarEntry {
            key: self.key,
            owner: self.owner.to_string(),
            owner_name: self.owner_name.to_string(),
            name: self.name,
            kind: self.kind,
            is_default: self.is_default,
            can_view_private: self.permission.rights.view_private,
            permission: self.permission,
            owner_onbehalf: self.facts.onbehalf.clone(),
            owner_record: self.facts.state.clone(),
            actions,
            problem: self.problem,
        }
    }
}

/// How long ago a record was published, for "published N minutes ago".
pub fn age_minutes(published_at: DateTime<Utc>, now: DateTime<Utc>) -> i64 {
    (now - published_at).num_minutes().max(0)
}
