//! The Graph resources Onbehalf reads and writes, written by hand for what is used. Unknown
//! fields are ignored; missing or `null` optional fields take their default, because Graph
//! omits or nulls what the caller may not see (a free/busy viewer's subject, for one).

use serde::{Deserialize, Deserializer, Serialize};

/// `null` and absent both become the type's default.
fn null_default<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

/// `user`
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct User {
    #[serde(default, deserialize_with = "null_default")]
    pub id: String,
    #[serde(default, deserialize_with = "null_default")]
    pub display_name: String,
    #[serde(default)]
    pub mail: Option<String>,
    #[serde(default, deserialize_with = "null_default")]
    pub user_principal_name: String,
}

impl User {
    /// The primary SMTP address, or the UPN for a user without a mailbox address.
    pub fn address(&self) -> &str {
        self.mail
            .as_deref()
            .filter(|m| !m.is_empty())
            .unwrap_or(&self.user_principal_name)
    }
}

/// `group`, as a membership list shows it. Without a permission to read groups (only
/// `User.Read`), Graph lists each group by `id` alone, its other properties `null` ("limited
/// information returned for inaccessible member objects").
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DirectoryGroup {
    #[serde(default, deserialize_with = "null_default")]
    pub id: String,
    #[serde(default)]
    pub display_name: Option<String>,
    #[serde(default)]
    pub mail: Option<String>,
}

/// `emailAddress`; Graph gives `"address": null` for "My Organization".
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmailAddress {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub address: Option<String>,
}

/// `singleValueLegacyExtendedProperty`
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SingleValueExtendedProperty {
    pub id: String,
    #[serde(default, deserialize_with = "null_default")]
    pub value: String,
}

/// `calendar`
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Calendar {
    #[serde(default, deserialize_with = "null_default")]
    pub id: String,
    #[serde(default, deserialize_with = "null_default")]
    pub name: String,
    #[serde(default)]
    pub color: Option<String>,
    #[serde(default)]
    pub hex_color: Option<String>,
    #[serde(default)]
    pub change_key: Option<String>,
    #[serde(default, deserialize_with = "null_default")]
    pub can_edit: bool,
    #[serde(default, deserialize_with = "null_default")]
    pub can_share: bool,
    #[serde(default, deserialize_with = "null_default")]
    pub can_view_private_items: bool,
    #[serde(default, deserialize_with = "null_default")]
    pub is_default_calendar: bool,
    #[serde(default, deserialize_with = "null_default")]
    pub is_removable: bool,
    #[serde(default)]
    pub owner: Option<EmailAddress>,
    #[serde(
        default,
        deserialize_with = "null_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub single_value_extended_properties: Vec<SingleValueExtendedProperty>,
}

impl Calendar {
    /// The value of the extended property `id` (ids compare without regard to case: Graph
    /// may give the GUID in another case than it was written).
    pub fn extended_property(&self, id: &str) -> Option<&str> {
        self.single_value_extended_properties
            .iter()
            .find(|p| p.id.eq_ignore_ascii_case(id))
            .map(|p| p.value.as_str())
    }
}

/// `calendarGroup`
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CalendarGroup {
    #[serde(default, deserialize_with = "null_default")]
    pub id: String,
    #[serde(default, deserialize_with = "null_default")]
    pub name: String,
    #[serde(default)]
    pub class_id: Option<String>,
    #[serde(default)]
    pub change_key: Option<String>,
}

/// `calendarPermission`. `role` stays a string: an unknown role must not fail the list.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CalendarPermission {
    #[serde(default, deserialize_with = "null_default")]
    pub id: String,
    #[serde(default)]
    pub email_address: Option<EmailAddress>,
    #[serde(default, deserialize_with = "null_default")]
    pub is_inside_organization: bool,
    #[serde(default, deserialize_with = "null_default")]
    pub is_removable: bool,
    #[serde(default, deserialize_with = "null_default")]
    pub role: String,
    #[serde(default, deserialize_with = "null_default")]
    pub allowed_roles: Vec<String>,
}

/// The body of `POST …/calendarPermissions`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NewCalendarPermission {
    pub email_address: EmailAddress,
    pub is_inside_organization: bool,
    pub is_removable: bool,
    pub role: String,
}

/// `itemBody`
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ItemBody {
    #[serde(default, deserialize_with = "null_default")]
    pub content_type: String,
    #[serde(default, deserialize_with = "null_default")]
    pub content: String,
}

/// `dateTimeTimeZone`: a wall-clock time and the zone it is in.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DateTimeTimeZone {
    #[serde(default, deserialize_with = "null_default")]
    pub date_time: String,
    #[serde(default, deserialize_with = "null_default")]
    pub time_zone: String,
}

/// `responseStatus`
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResponseStatus {
    #[serde(default, deserialize_with = "null_default")]
    pub response: String,
    #[serde(default)]
    pub time: Option<String>,
}

/// `attendee`
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Attendee {
    #[serde(default, rename = "type", deserialize_with = "null_default")]
    pub kind: String,
    #[serde(default)]
    pub status: Option<ResponseStatus>,
    #[serde(default)]
    pub email_address: Option<EmailAddress>,
}

/// `recipient` (the organizer)
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Recipient {
    #[serde(default)]
    pub email_address: Option<EmailAddress>,
}

/// `location`, the parts used.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Location {
    #[serde(default, deserialize_with = "null_default")]
    pub display_name: String,
    #[serde(default)]
    pub location_type: Option<String>,
    #[serde(default)]
    pub unique_id: Option<String>,
}

/// `event`, the parts used.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Event {
    #[serde(default, deserialize_with = "null_default")]
    pub id: String,
    /// `W/"<changeKey>"`: comes with every event, whatever `$select` asked for.
    #[serde(
        default,
        rename = "@odata.etag",
        skip_serializing_if = "Option::is_none"
    )]
    pub etag: Option<String>,
    /// The same for one item in every mailbox that shows it.
    #[serde(default, rename = "iCalUId")]
    pub ical_uid: Option<String>,
    #[serde(default)]
    pub subject: Option<String>,
    #[serde(default)]
    pub body: Option<ItemBody>,
    #[serde(default)]
    pub body_preview: Option<String>,
    #[serde(default)]
    pub start: Option<DateTimeTimeZone>,
    #[serde(default)]
    pub end: Option<DateTimeTimeZone>,
    #[serde(default, deserialize_with = "null_default")]
    pub is_all_day: bool,
    #[serde(default)]
    pub sensitivity: Option<String>,
    #[serde(default)]
    pub show_as: Option<String>,
    /// `singleInstance`, `occurrence`, `exception` or `seriesMaster`.
    #[serde(default, rename = "type")]
    pub kind: Option<String>,
    #[serde(default)]
    pub series_master_id: Option<String>,
    #[serde(default, deserialize_with = "null_default")]
    pub categories: Vec<String>,
    #[serde(default, deserialize_with = "null_default")]
    pub attendees: Vec<Attendee>,
    #[serde(default)]
    pub organizer: Option<Recipient>,
    #[serde(default)]
    pub location: Option<Location>,
    #[serde(default)]
    pub change_key: Option<String>,
    #[serde(default)]
    pub last_modified_date_time: Option<String>,
    /// When an occurrence or exception was to start as its series made it (UTC); absent on
    /// single items.
    #[serde(default)]
    pub original_start: Option<String>,
    /// The zone the event was created in.
    #[serde(default)]
    pub original_start_time_zone: Option<String>,
    #[serde(default, deserialize_with = "null_default")]
    pub is_cancelled: bool,
    #[serde(default)]
    pub web_link: Option<String>,
    /// What the creating app set to make its create safe to repeat; only on events created
    /// with one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transaction_id: Option<String>,
    #[serde(
        default,
        deserialize_with = "null_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub single_value_extended_properties: Vec<SingleValueExtendedProperty>,
}

impl Event {
    pub fn is_private(&self) -> bool {
        self.sensitivity.as_deref() == Some("private")
    }

    /// The `changeKey`, or the one inside `@odata.etag` when it was not selected.
    pub fn version(&self) -> Option<&str> {
        self.change_key
            .as_deref()
            .filter(|k| !k.is_empty())
            .or_else(|| self.etag.as_deref().map(change_key_of_etag))
            .filter(|k| !k.is_empty())
    }

    /// The value of the extended property `id` (ids compare without regard to case).
    pub fn extended_property(&self, id: &str) -> Option<&str> {
        self.single_value_extended_properties
            .iter()
            .find(|p| p.id.eq_ignore_ascii_case(id))
            .map(|p| p.value.as_str())
    }
}

/// A person or mailbox to write to: an SMTP address and, optionally, the name to show. It
/// serializes as Graph's `emailAddress` (the name only when there is one).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct MailAddress {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub address: String,
}

impl MailAddress {
    pub fn new(address: impl Into<String>) -> Self {
        MailAddress {
            name: None,
            address: address.into(),
        }
    }

    pub fn named(name: impl Into<String>, address: impl Into<String>) -> Self {
        MailAddress {
            name: Some(name.into()),
            address: address.into(),
        }
    }
}

/// `attendee.type`
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum AttendeeType {
    Required,
    Optional,
    Resource,
}

/// `event.showAs`: how the event's time shows in free/busy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ShowAs {
    Free,
    Tentative,
    Busy,
    Oof,
    WorkingElsewhere,
    Unknown,
}

/// An attendee of a [`NewEvent`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NewAttendee {
    pub email_address: MailAddress,
    #[serde(rename = "type")]
    pub kind: AttendeeType,
}

impl NewAttendee {
    pub fn required(who: MailAddress) -> Self {
        NewAttendee {
            email_address: who,
            kind: AttendeeType::Required,
        }
    }
}

/// The body of `POST …/events` for what Onbehalf puts on a calendar itself, e.g. a hold
/// (`showAs: tentative`, no attendees) or a booking (with attendees: Graph sends each an
/// invitation). What is `None` or empty is not sent, so Graph's defaults apply.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NewEvent {
    pub subject: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body: Option<ItemBody>,
    pub start: DateTimeTimeZone,
    pub end: DateTimeTimeZone,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub attendees: Vec<NewAttendee>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub show_as: Option<ShowAs>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub categories: Vec<String>,
    /// An id of the caller's choosing, the same on every attempt to create this event: Graph
    /// then creates it once however often the create is repeated, and the create may be
    /// retried after a timeout. It cannot be changed later.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub transaction_id: Option<String>,
}

/// `W/"abc"` → `abc`.
pub fn change_key_of_etag(etag: &str) -> &str {
    let tag = etag.trim();
    tag.strip_prefix("W/").unwrap_or(tag).trim_matches('"')
}

/// One entry of a calendar view's delta page: an event added or changed, or one gone
/// (`{"@removed": {"reason": …}, "id": …}`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum DeltaEntry {
    Removed {
        #[serde(default, deserialize_with = "null_default")]
        id: String,
        #[serde(rename = "@removed")]
        removed: Removed,
    },
    Changed(Box<Event>),
}

/// Why a delta entry is gone (`deleted`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct Removed {
    #[serde(default, deserialize_with = "null_default")]
    pub reason: String,
}

/// `outlookCategory`
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OutlookCategory {
    #[serde(default, deserialize_with = "null_default")]
    pub id: String,
    #[serde(default, deserialize_with = "null_default")]
    pub display_name: String,
    /// `none` or `preset0`..`preset24`.
    #[serde(default, deserialize_with = "null_default")]
    pub color: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_fields_are_ignored_and_nulls_tolerated() {
        let c: Calendar = serde_json::from_str(
            r#"{"id":"AAMk","name":"Calendar","color":"auto","hexColor":"","isDefaultCalendar":true,
                "changeKey":"DxYS","canShare":true,"canViewPrivateItems":true,"canEdit":true,
                "allowedOnlineMeetingProviders":["teamsForBusiness"],"isTallyingResponses":true,
                "isRemovable":false,"owner":{"name":"Megan Bowen","address":"megan@contoso.com"},
                "singleValueExtendedProperties":null}"#,
        )
        .unwrap();
        assert!(c.is_default_calendar && c.can_view_private_items && !c.is_removable);
        assert_eq!(
            c.owner.and_then(|o| o.address).as_deref(),
            Some("megan@contoso.com")
        );

        let p: CalendarPermission = serde_json::from_str(
            r#"{"id":"RGVmYXVsdA==","isRemovable":false,"isInsideOrganization":true,"role":"freeBusyRead",
                "allowedRoles":["none","freeBusyRead","limitedRead","read"],
                "emailAddress":{"name":"My Organization","address":null}}"#,
        )
        .unwrap();
        assert_eq!(p.email_address.and_then(|e| e.address), None);

        let e: Event = serde_json::from_str(
            r#"{"id":"e1","subject":null,"body":null,"attendees":null,"isAllDay":null,"type":"occurrence"}"#,
        )
        .unwrap();
        assert_eq!(e.subject, None);
        assert!(e.attendees.is_empty());
        assert_eq!(e.kind.as_deref(), Some("occurrence"));
    }

    #[test]
    fn delta_entries_are_removals_or_events() {
        let entries: Vec<DeltaEntry> = serde_json::from_str(
            r##"[{"@odata.type":"#microsoft.graph.event","id":"AAMkADk0=","@removed":{"reason":"deleted"}},
                {"@odata.type":"#microsoft.graph.event","@odata.etag":"W/\"EZ9r3czxY0m2jz8c45czkwAALZu97w==\"","subject":"Attend service","id":"AAMkADj1HvAAA="}]"##,
        )
        .unwrap();
        assert!(
            matches!(&entries[0], DeltaEntry::Removed { id, removed } if id == "AAMkADk0=" && removed.reason == "deleted")
        );
        let DeltaEntry::Changed(e) = &entries[1] else {
            panic!("an event")
        };
        assert_eq!(e.version(), Some("EZ9r3czxY0m2jz8c45czkwAALZu97w=="));
    }
}
