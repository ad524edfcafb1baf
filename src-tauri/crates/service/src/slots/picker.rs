//! Whose calendar time slots come from: the user's own and every owner's calendar listed, each
//! allowed or refused by the `SendSlots` verdict with its reason, and whether the user may send
//! on the owner's behalf as far as anything proves it.

use onbehalf_engine::actions::{Action, Verdict};
use onbehalf_engine::view::{CalendarEntry, CalendarKind, PermissionSource};
use serde::Serialize;

/// Whether the user may send mail with the owner in `from`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum SendOnBehalf {
    /// The user's own calendar: they send as themselves.
    NotNeeded,
    /// The owner's published record grants it.
    Granted,
    /// The owner's published record does not grant it.
    NotGranted,
    /// Nothing published says either way (Exchange does not show it to a delegate); Exchange
    /// decides when the message is sent.
    NotProven,
}

/// One calendar of the picker.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SlotCalendar {
    /// The owner's address, lowercase: what `slots --calendar` takes (or `me`).
    pub owner: String,
    pub owner_name: String,
    pub is_own: bool,
    /// Whether time slots may come from it, and the reason when not.
    pub verdict: Verdict,
    pub send_on_behalf: SendOnBehalf,
}

/// The picker: calendars in the order shown (own first) and the one to preselect.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SlotCalendars {
    pub calendars: Vec<SlotCalendar>,
    /// The owner address of the calendar last used when it is still allowed, else the user's
    /// own.
    pub default: Option<String>,
}

/// One entry per person: free/busy is a mailbox's, so an owner's secondary calendars add
/// nothing to their primary one. The best verdict of an owner's entries counts (an added
/// address may prove less than the shared primary).
pub(crate) fn picker(entries: &[CalendarEntry], last_used: Option<&str>) -> SlotCalendars {
    let mut calendars: Vec<SlotCalendar> = Vec::new();
    for entry in entries {
        let counts = match entry.kind {
            CalendarKind::Own => entry.is_default,
            CalendarKind::OwnerPrimary | CalendarKind::AddedByAddress => true,
            CalendarKind::SharedSecondary => false,
        };
        if !counts {
            continue;
        }
        let candidate = of_entry(entry);
        match calendars.iter_mut().find(|c| c.owner == candidate.owner) {
            Some(had) if !had.verdict.allowed && candidate.verdict.allowed => *had = candidate,
            Some(_) => {}
            None => calendars.push(candidate),
        }
    }
    calendars.sort_by(|a, b| {
        b.is_own.cmp(&a.is_own).then_with(|| {
            a.owner_name
                .to_lowercase()
                .cmp(&b.owner_name.to_lowercase())
        })
    });
    let allowed = |owner: &str| {
        calendars
            .iter()
            .any(|c| c.owner == owner && c.verdict.allowed)
    };
    let default = last_used
        .map(str::to_lowercase)
        .filter(|o| allowed(o))
        .or_else(|| calendars.iter().find(|c| c.is_own).map(|c| c.owner.clone()));
    SlotCalendars { calendars, default }
}

fn of_entry(entry: &CalendarEntry) -> SlotCalendar {
    let is_own = entry.kind == CalendarKind::Own;
    let verdict = entry
        .actions
        .get(&Action::SendSlots)
        .cloned()
        .unwrap_or_else(|| Verdict {
            allowed: false,
            applies: None,
            reason: Some(
                "Onbehalf could not tell whether you may see this calendar's free/busy.".into(),
            ),
            unknown: true,
        });
    let send_on_behalf = match (is_own, entry.permission.source) {
        (true, _) => SendOnBehalf::NotNeeded,
        (false, PermissionSource::Published) if entry.permission.rights.send_on_behalf => {
            SendOnBehalf::Granted
        }
        (false, PermissionSource::Published) => SendOnBehalf::NotGranted,
        (false, _) if entry.permission.rights.send_on_behalf => SendOnBehalf::Granted,
        (false, _) => SendOnBehalf::NotProven,
    };
    SlotCalendar {
        owner: entry.owner.to_lowercase(),
        owner_name: entry.owner_name.clone(),
        is_own,
        verdict,
        send_on_behalf,
    }
}
