//! Every setting an administrator can decide, under one name used unchanged as a TOML key, a
//! plist key and a registry value name.

use serde::{Deserialize, Serialize};

use super::value::Value;

/// A setting policy knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Key {
    MicrosoftTenant,
    MicrosoftAuthority,
    GraphUrl,
    MicrosoftClientId,
    Crm,
    SalesforceLoginUrl,
    SalesforceClientId,
    AllowPrivateSync,
    PrivateSync,
    SyncIntervalMinutes,
    SyncIntervalMinMinutes,
    SyncIntervalMaxMinutes,
    InstaSync,
    AllowDirectShare,
    CrmToOutlook,
    ShareCategory,
    WatchOwners,
    QuietNotifications,
    CalendarSync,
    ContactSync,
    ContactKinds,
    TaskSync,
    EmailIntegration,
    CrmProfiles,
    AdminContact,
}

/// What a setting's value must be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Bool,
    /// A whole number within bounds.
    Number {
        lo: u32,
        hi: u32,
    },
    Text,
    /// An `https://` address (or `http://` on the loopback, for a local server).
    Url,
    /// One of a few names.
    OneOf(&'static [&'static str]),
    /// Any number of these names ("none" for no name at all).
    SetOf(&'static [&'static str]),
    /// E-mail addresses.
    Addresses,
}

/// The CRMs this version works with.
pub const CRMS: &[&str] = &["salesforce", "none"];
/// Sync directions of contacts and tasks.
pub const DIRECTIONS: &[&str] = &["outlook_to_crm", "crm_to_outlook"];
/// Which contacts contact sync covers.
pub const CONTACT_KINDS: &[&str] = &["opportunity", "service"];
/// What an e-mail can be filed against.
pub const EMAIL_TARGETS: &[&str] = &["contact", "organisation", "opportunity", "case"];
/// Kinds of problems, as the notification settings name them.
pub const NOTICE_KINDS: &[&str] = &[
    "waiting",
    "crm_access",
    "exchange_permission",
    "crm_refused",
    "sign_in",
    "connection",
    "other_organisation",
    "crm_allowance",
    "conflicts",
];

/// Sync interval bounds every setting stays within, whatever policy says.
pub const INTERVAL_BOUNDS: (u32, u32) = (1, 24 * 60);

impl Key {
    pub const ALL: [Key; 25] = [
        Key::MicrosoftTenant,
        Key::MicrosoftAuthority,
        Key::GraphUrl,
        Key::MicrosoftClientId,
        Key::Crm,
        Key::SalesforceLoginUrl,
        Key::SalesforceClientId,
        Key::AllowPrivateSync,
        Key::PrivateSync,
        Key::SyncIntervalMinutes,
        Key::SyncIntervalMinMinutes,
        Key::SyncIntervalMaxMinutes,
        Key::InstaSync,
        Key::AllowDirectShare,
        Key::CrmToOutlook,
        Key::ShareCategory,
        Key::WatchOwners,
        Key::QuietNotifications,
        Key::CalendarSync,
        Key::ContactSync,
        Key::ContactKinds,
        Key::TaskSync,
        Key::EmailIntegration,
        Key::CrmProfiles,
        Key::AdminContact,
    ];

    /// The name in a policy file, a plist and the registry.
    pub fn name(self) -> &'static str {
        match self {
            Key::MicrosoftTenant => "microsoft_tenant",
            Key::MicrosoftAuthority => "microsoft_authority",
            Key::GraphUrl => "graph_url",
            Key::MicrosoftClientId => "microsoft_client_id",
            Key::Crm => "crm",
            Key::SalesforceLoginUrl => "salesforce_login_url",
            Key::SalesforceClientId => "salesforce_client_id",
            Key::AllowPrivateSync => "allow_private_sync",
            Key::PrivateSync => "private_sync",
            Key::SyncIntervalMinutes => "sync_interval_minutes",
            Key::SyncIntervalMinMinutes => "sync_interval_min_minutes",
            Key::SyncIntervalMaxMinutes => "sync_interval_max_minutes",
            Key::InstaSync => "insta_sync",
            Key::AllowDirectShare => "allow_direct_share",
            Key::CrmToOutlook => "crm_to_outlook",
            Key::ShareCategory => "share_category",
            Key::WatchOwners => "watch_owners",
            Key::QuietNotifications => "quiet_notifications",
            Key::CalendarSync => "calendar_sync",
            Key::ContactSync => "contact_sync",
            Key::ContactKinds => "contact_kinds",
            Key::TaskSync => "task_sync",
            Key::EmailIntegration => "email_integration",
            Key::CrmProfiles => "crm_profiles",
            Key::AdminContact => "admin_contact",
        }
    }

    /// The key with this name (any case).
    pub fn named(name: &str) -> Option<Key> {
        let name = name.trim().to_lowercase();
        Key::ALL.into_iter().find(|k| k.name() == name)
    }

    /// The setting in words, for a person.
    pub fn label(self) -> &'static str {
        match self {
            Key::MicrosoftTenant => "Microsoft 365 tenant",
            Key::MicrosoftAuthority => "Microsoft sign-in address",
            Key::GraphUrl => "Microsoft Graph address",
            Key::MicrosoftClientId => "Microsoft app (client) id",
            Key::Crm => "CRM",
            Key::SalesforceLoginUrl => "Salesforce sign-in address",
            Key::SalesforceClientId => "Salesforce connected app id",
            Key::AllowPrivateSync => "Private items may be synced",
            Key::PrivateSync => "Sync private items",
            Key::SyncIntervalMinutes => "Sync interval (minutes)",
            Key::SyncIntervalMinMinutes => "Shortest sync interval allowed (minutes)",
            Key::SyncIntervalMaxMinutes => "Longest sync interval allowed (minutes)",
            Key::InstaSync => "Sync a share or an edit at once",
            Key::AllowDirectShare => "Create an owner's CRM events directly",
            Key::CrmToOutlook => "Bring events made in the CRM into Outlook",
            Key::ShareCategory => "Category that shares an item",
            Key::WatchOwners => "Owners everyone watches",
            Key::QuietNotifications => "Problems that raise no notification",
            Key::CalendarSync => "Calendar sync",
            Key::ContactSync => "Contact sync",
            Key::ContactKinds => "Contacts synced",
            Key::TaskSync => "Task sync",
            Key::EmailIntegration => "E-mail filing",
            Key::CrmProfiles => "Profiles from the CRM",
            Key::AdminContact => "Who to ask",
        }
    }

    pub fn kind(self) -> Kind {
        match self {
            Key::MicrosoftTenant
            | Key::MicrosoftClientId
            | Key::SalesforceClientId
            | Key::ShareCategory
            | Key::AdminContact => Kind::Text,
            Key::MicrosoftAuthority | Key::GraphUrl | Key::SalesforceLoginUrl => Kind::Url,
            Key::Crm => Kind::OneOf(CRMS),
            Key::AllowPrivateSync
            | Key::PrivateSync
            | Key::InstaSync
            | Key::AllowDirectShare
            | Key::CrmToOutlook
            | Key::CalendarSync
            | Key::CrmProfiles => Kind::Bool,
            Key::SyncIntervalMinutes
            | Key::SyncIntervalMinMinutes
            | Key::SyncIntervalMaxMinutes => Kind::Number {
                lo: INTERVAL_BOUNDS.0,
                hi: INTERVAL_BOUNDS.1,
            },
            Key::WatchOwners => Kind::Addresses,
            Key::QuietNotifications => Kind::SetOf(NOTICE_KINDS),
            Key::ContactSync | Key::TaskSync => Kind::SetOf(DIRECTIONS),
            Key::ContactKinds => Kind::SetOf(CONTACT_KINDS),
            Key::EmailIntegration => Kind::SetOf(EMAIL_TARGETS),
        }
    }

    /// The value when nobody set one (`None`: not set, e.g. a client id).
    pub fn default_value(self) -> Option<Value> {
        let all = |names: &[&str]| Some(Value::List(names.iter().map(|s| s.to_string()).collect()));
        match self {
            Key::MicrosoftTenant
            | Key::MicrosoftClientId
            | Key::SalesforceClientId
            | Key::AdminContact => None,
            Key::MicrosoftAuthority => Some(Value::Text(
                "https://login.microsoftonline.com/organizations".into(),
            )),
            Key::GraphUrl => Some(Value::Text("https://graph.microsoft.com/v1.0".into())),
            Key::SalesforceLoginUrl => Some(Value::Text("https://login.salesforce.com".into())),
            Key::Crm => Some(Value::Text("salesforce".into())),
            Key::AllowPrivateSync | Key::PrivateSync | Key::CrmToOutlook | Key::CrmProfiles => {
                Some(Value::Bool(false))
            }
            Key::InstaSync | Key::AllowDirectShare | Key::CalendarSync => Some(Value::Bool(true)),
            Key::SyncIntervalMinutes => Some(Value::Number(5)),
            Key::SyncIntervalMinMinutes => Some(Value::Number(INTERVAL_BOUNDS.0)),
            Key::SyncIntervalMaxMinutes => Some(Value::Number(INTERVAL_BOUNDS.1)),
            Key::ShareCategory => Some(Value::Text("CRM".into())),
            Key::WatchOwners | Key::QuietNotifications => Some(Value::List(Vec::new())),
            Key::ContactSync | Key::TaskSync => all(DIRECTIONS),
            Key::ContactKinds => all(CONTACT_KINDS),
            Key::EmailIntegration => all(EMAIL_TARGETS),
        }
    }

    /// A grant of a profile (it may also be set per profile, not only for everyone).
    pub fn is_grant(self) -> bool {
        matches!(
            self,
            Key::CalendarSync
                | Key::ContactSync
                | Key::ContactKinds
                | Key::TaskSync
                | Key::EmailIntegration
                | Key::PrivateSync
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_has_one_name_that_finds_it_again() {
        let mut names: Vec<&str> = Key::ALL.iter().map(|k| k.name()).collect();
        for key in Key::ALL {
            assert_eq!(Key::named(key.name()), Some(key));
            assert_eq!(Key::named(&key.name().to_uppercase()), Some(key));
        }
        names.sort();
        names.dedup();
        assert_eq!(names.len(), Key::ALL.len());
    }

    #[test]
    fn the_notice_kinds_are_the_ones_the_notifications_know() {
        let known: Vec<String> = crate::sync::notice_kinds::NoticeKind::ALL
            .iter()
            .map(|k| {
                serde_json::to_value(k)
                    .unwrap()
                    .as_str()
                    .unwrap()
                    .to_string()
            })
            .collect();
        assert_eq!(known, NOTICE_KINDS);
    }
}
