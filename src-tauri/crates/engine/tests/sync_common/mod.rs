//! Items, events and actors for the sync tests.

#![allow(dead_code, clippy::unwrap_used)]

use chrono::{TimeZone, Utc};
use onbehalf_engine::crm::{CrmEvent, EventTime};
use onbehalf_engine::permission::{OutlookLevel, Permission};
use onbehalf_engine::sync::hash::FieldHashes;
use onbehalf_engine::sync::marks::{Link, PendingShare, LINK_FORMAT};
use onbehalf_engine::sync::model::{ExItem, Fields, ItemKey, Recurrence};
use onbehalf_engine::sync::plan::{Actor, SyncPolicy};

pub const OLIVIA: &str = "olivia.grant@contoso.com";
pub const DANIEL: &str = "daniel.reyes@contoso.com";

pub fn fields(subject: &str, hour: u32) -> Fields {
    Fields {
        subject: subject.into(),
        location: Some("Board Room".into()),
        body: Some("Agenda".into()),
        time: EventTime::Timed {
            start: Utc.with_ymd_and_hms(2026, 12, 2, hour, 0, 0).unwrap(),
            end: Utc.with_ymd_and_hms(2026, 12, 2, hour + 1, 0, 0).unwrap(),
        },
        show_as_busy: true,
    }
}

pub fn item(subject: &str) -> ExItem {
    ExItem {
        key: ItemKey {
            owner: OLIVIA.into(),
            id: "AAMk-1".into(),
        },
        version: "ck-1".into(),
        fields: fields(subject, 9),
        categories: Vec::new(),
        is_private: false,
        attendees: Vec::new(),
        organizer: Some(OLIVIA.into()),
        recurrence: Recurrence::Single,
        cancelled: false,
        link: None,
        pending: None,
        creator: Some(OLIVIA.into()),
        web_link: None,
    }
}

pub fn shared_category(mut i: ExItem) -> ExItem {
    i.categories = vec!["CRM".into(), "Travel".into()];
    i
}

pub fn pending(mut i: ExItem, who: Option<&str>) -> ExItem {
    i.pending = Some(PendingShare {
        v: 1,
        who_id: who.map(str::to_string),
        what_id: Some("006-opp".into()),
        requested_by: DANIEL.into(),
        requested_at: Utc.with_ymd_and_hms(2026, 11, 30, 8, 0, 0).unwrap(),
    });
    i
}

pub fn event(f: &Fields) -> CrmEvent {
    CrmEvent {
        id: Some("00U-1".into()),
        owner_id: "005-olivia".into(),
        subject: f.subject.clone(),
        location: f.location.clone(),
        description: f.body.clone(),
        time: f.time,
        is_private: false,
        show_as_busy: f.show_as_busy,
        who_id: Some("003-pat".into()),
        what_id: None,
        external_id: Some("AAMk-1".into()),
        version: Some("v1".into()),
    }
}

pub fn link(base: &Fields) -> Link {
    Link {
        v: LINK_FORMAT,
        crm: "salesforce".into(),
        org_id: "00D-contoso".into(),
        event_id: "00U-1".into(),
        item_id: Some("AAMk-1".into()),
        owner_id: "005-olivia".into(),
        who_id: Some("003-pat".into()),
        what_id: None,
        synced: FieldHashes::of(base),
        crm_version: "v1".into(),
        synced_at: Utc.with_ymd_and_hms(2026, 11, 29, 8, 0, 0).unwrap(),
    }
}

/// Olivia's own app.
pub fn owner() -> Actor<'static> {
    Actor {
        me: OLIVIA,
        owner_name: "Olivia Grant",
        is_owner: true,
        rights: Permission::of_level(OutlookLevel::Owner).rights(),
        level: "Owner",
        owner_sync_on: true,
        owner_crm_user: Some("005-olivia"),
        crm_org: "00D-contoso",
        crm: "salesforce",
        may_add_crm: Some(true),
        may_edit_crm: Some(true),
        share_category: "CRM",
        keeps_item_ids: true,
        policy: SyncPolicy::default(),
        now: Utc.with_ymd_and_hms(2026, 11, 30, 9, 0, 0).unwrap(),
    }
}

/// Daniel's app, on Olivia's calendar, with a level and CRM edit access.
pub fn delegate(level: OutlookLevel, crm_edit: Option<bool>) -> Actor<'static> {
    Actor {
        me: DANIEL,
        is_owner: false,
        rights: Permission::of_level(level).rights(),
        level: level.label(),
        may_add_crm: Some(false),
        may_edit_crm: crm_edit,
        ..owner()
    }
}
