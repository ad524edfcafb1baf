//! The Event sObject: the fields Onbehalf reads and writes.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize, Serializer};

use super::datetime;

/// The custom field of Onbehalf's CRM package that holds the Exchange item's immutable id, so
/// that a reinstall pairs items again instead of duplicating them.
pub const EXTERNAL_ID_FIELD: &str = "Onbehalf_Exchange_Id__c";

/// The fields read for an event.
pub const EVENT_FIELDS: &[&str] = &[
    "Id",
    "OwnerId",
    "Subject",
    "Location",
    "Description",
    "StartDateTime",
    "EndDateTime",
    "IsAllDayEvent",
    "ActivityDate",
    "DurationInMinutes",
    "IsPrivate",
    "ShowAs",
    "WhoId",
    "WhatId",
    EXTERNAL_ID_FIELD,
    "SystemModstamp",
    "IsDeleted",
];

/// An event as read.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct EventRecord {
    pub id: String,
    #[serde(default)]
    pub owner_id: Option<String>,
    #[serde(default)]
    pub subject: Option<String>,
    #[serde(default)]
    pub location: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    /// UTC. For an all-day event, midnight UTC of its first day.
    #[serde(default, deserialize_with = "datetime::optional")]
    pub start_date_time: Option<DateTime<Utc>>,
    #[serde(default, deserialize_with = "datetime::optional")]
    pub end_date_time: Option<DateTime<Utc>>,
    #[serde(default)]
    pub is_all_day_event: bool,
    /// The first day of an all-day event (a date, not a time).
    #[serde(default)]
    pub activity_date: Option<NaiveDate>,
    #[serde(default)]
    pub duration_in_minutes: Option<i64>,
    #[serde(default)]
    pub is_private: bool,
    /// `Busy`, `OutOfOffice` or `Free`.
    #[serde(default)]
    pub show_as: Option<String>,
    #[serde(default)]
    pub who_id: Option<String>,
    #[serde(default)]
    pub what_id: Option<String>,
    #[serde(rename = "Onbehalf_Exchange_Id__c", default)]
    pub exchange_id: Option<String>,
    /// Changes with every change of the record: the event's version.
    #[serde(default)]
    pub system_modstamp: Option<String>,
    /// Only `queryAll` returns deleted rows.
    #[serde(default)]
    pub is_deleted: bool,
}

/// An event's fields as written. A `None` that is sent clears the field (`null`); fields
/// marked "not sent when `None`" keep their value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct EventFields {
    /// Whose calendar it is on. Not sent when `None` (updates leave the owner alone: moving
    /// an event to another calendar is a transfer, which needs more than edit access).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owner_id: Option<String>,
    pub subject: Option<String>,
    pub location: Option<String>,
    pub description: Option<String>,
    #[serde(serialize_with = "utc")]
    pub start_date_time: DateTime<Utc>,
    /// Sent for timed events; all-day events give their length in minutes instead.
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "utc_opt")]
    pub end_date_time: Option<DateTime<Utc>>,
    pub is_all_day_event: bool,
    /// All-day events only. Not sent when `None`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub activity_date: Option<NaiveDate>,
    /// All-day events only (a multiple of 1,440). Not sent when `None`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duration_in_minutes: Option<i64>,
    pub is_private: bool,
    pub show_as: &'static str,
    pub who_id: Option<String>,
    pub what_id: Option<String>,
    /// Not sent when `None`.
    #[serde(
        rename = "Onbehalf_Exchange_Id__c",
        skip_serializing_if = "Option::is_none"
    )]
    pub exchange_id: Option<String>,
}

fn utc<S: Serializer>(t: &DateTime<Utc>, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&datetime::format(*t))
}

fn utc_opt<S: Serializer>(t: &Option<DateTime<Utc>>, s: S) -> Result<S::Ok, S::Error> {
    match t {
        Some(t) => utc(t, s),
        None => s.serialize_none(),
    }
}
