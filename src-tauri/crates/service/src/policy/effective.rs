//! The sync settings in force: what the user kept, under the administrator's policy and the
//! user's profile. A locked setting cannot be changed, and says who set it.

use onbehalf_engine::policy::{
    resolve, Feature, Key, Layer, Origin, Policy, ProfileChoice, Raw, Strength,
};
use onbehalf_engine::sync::notice_kinds::NoticeKind;
use serde::Serialize;

use crate::error::{ErrorCode, ServiceError};
use crate::SyncSettings;

/// A setting the user cannot change, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SettingLock {
    /// The field of the sync settings.
    pub field: String,
    /// For a person: "set by your administrator (/etc/onbehalf/policy.toml)".
    pub reason: String,
}

/// The sync settings in force with what locks them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SettingsView {
    pub settings: SyncSettings,
    pub locks: Vec<SettingLock>,
    /// The sync interval the user may choose, in minutes.
    pub interval_min: u32,
    pub interval_max: u32,
    /// Private sync may be turned on (policy and profile allow it).
    pub private_sync_allowed: bool,
    /// Owners' shares may be created directly from this app.
    pub direct_share_allowed: bool,
}

impl SettingsView {
    pub fn lock_of(&self, field: &str) -> Option<&SettingLock> {
        self.locks.iter().find(|l| l.field == field)
    }
}

/// Sync settings fields decided by a policy key.
const FIELDS: [(&str, Key); 6] = [
    ("interval_minutes", Key::SyncIntervalMinutes),
    ("insta_sync", Key::InstaSync),
    ("private_sync", Key::PrivateSync),
    ("crm_to_exchange", Key::CrmToOutlook),
    ("share_category", Key::ShareCategory),
    ("quiet_kinds", Key::QuietNotifications),
];

/// The user's kept settings as a policy layer.
fn kept_layer(kept: &SyncSettings) -> Layer {
    let kinds = kept
        .quiet_kinds
        .iter()
        .filter_map(|k| serde_json::to_value(k).ok())
        .filter_map(|v| v.as_str().map(Raw::text))
        .collect();
    Layer::new(
        "your settings",
        Strength::User,
        Raw::table([
            (
                Key::SyncIntervalMinutes.name(),
                Raw::Int(i64::from(kept.interval_minutes)),
            ),
            (Key::InstaSync.name(), Raw::Bool(kept.insta_sync)),
            (Key::PrivateSync.name(), Raw::Bool(kept.private_sync)),
            (Key::CrmToOutlook.name(), Raw::Bool(kept.crm_to_exchange)),
            (Key::ShareCategory.name(), Raw::text(&kept.share_category)),
            (Key::QuietNotifications.name(), Raw::List(kinds)),
        ]),
    )
}

/// The policy in force with the user's kept settings laid between machine policy and what it
/// recommends.
pub(crate) fn with_kept(
    layers: &[Layer],
    kept: Option<&SyncSettings>,
) -> Result<Policy, ServiceError> {
    let mut all = layers.to_vec();
    if let Some(k) = kept {
        all.push(kept_layer(k));
    }
    resolve(&all).map_err(|errors| crate::config::policy_error(&errors))
}

/// Resolve `layers` with the user's kept settings (`None`: they kept none yet, so what the
/// administrator recommends applies) and the user's profile.
pub(crate) fn effective_settings(
    layers: &[Layer],
    kept: Option<&SyncSettings>,
    profile: &ProfileChoice,
) -> Result<SettingsView, ServiceError> {
    let policy = with_kept(layers, kept)?;
    let mut s = kept.cloned().unwrap_or_default();
    s.interval_minutes = policy
        .number(Key::SyncIntervalMinutes)
        .unwrap_or(s.interval_minutes);
    s.insta_sync = policy.bool(Key::InstaSync);
    s.crm_to_exchange = policy.bool(Key::CrmToOutlook);
    if let Some(c) = policy.text(Key::ShareCategory) {
        s.share_category = c.to_string();
    }
    s.quiet_kinds = policy
        .list(Key::QuietNotifications)
        .iter()
        .filter_map(|k| {
            serde_json::from_value::<NoticeKind>(serde_json::Value::String(k.clone())).ok()
        })
        .collect();

    let mut locks: Vec<SettingLock> = FIELDS
        .iter()
        .filter(|(_, key)| policy.locked(*key))
        .map(|(field, key)| SettingLock {
            field: field.to_string(),
            reason: reason(&policy, field, *key),
        })
        .collect();

    let private_sync_allowed = policy.bool(Key::AllowPrivateSync) && profile.grants.private_sync;
    s.private_sync = private_sync_allowed && policy.bool(Key::PrivateSync);
    if !private_sync_allowed && !locks.iter().any(|l| l.field == "private_sync") {
        locks.push(SettingLock {
            field: "private_sync".into(),
            reason: profile
                .refusal(Feature::PrivateSync)
                .unwrap_or_else(|| reason(&policy, "private_sync", Key::PrivateSync)),
        });
    }
    let direct_share_allowed = policy.bool(Key::AllowDirectShare);
    if !direct_share_allowed {
        s.direct_share.clear();
        locks.push(SettingLock {
            field: "direct_share".into(),
            reason: reason(&policy, "direct_share", Key::AllowDirectShare),
        });
    }
    let (interval_min, interval_max) = (
        policy.number(Key::SyncIntervalMinMinutes).unwrap_or(1),
        policy
            .number(Key::SyncIntervalMaxMinutes)
            .unwrap_or(24 * 60),
    );
    Ok(SettingsView {
        settings: s,
        locks,
        interval_min,
        interval_max,
        private_sync_allowed,
        direct_share_allowed,
    })
}

/// Why a setting is locked, as a sentence: who set it, or what it follows from.
fn reason(policy: &Policy, field: &str, key: Key) -> String {
    let e = policy.get(key);
    match (&e.note, &e.origin) {
        (Some(note), _) if e.key == Key::PrivateSync => format!("{}: {note}.", label(field)),
        (_, Origin::Administrator { place }) => format!(
            "{} is set by your administrator ({place}) and cannot be changed here.",
            label(field)
        ),
        (_, origin) => format!("{}: {}.", label(field), origin.describe()),
    }
}

/// Refuse a change to a locked setting, or an interval outside the administrator's bounds,
/// saying which and who decides it.
pub(crate) fn check_change(view: &SettingsView, new: &SyncSettings) -> Result<(), ServiceError> {
    let cur = &view.settings;
    let changed = |field: &str| match field {
        "interval_minutes" => cur.interval_minutes != new.interval_minutes,
        "insta_sync" => cur.insta_sync != new.insta_sync,
        "private_sync" => cur.private_sync != new.private_sync,
        "crm_to_exchange" => cur.crm_to_exchange != new.crm_to_exchange,
        "share_category" => cur.share_category != new.share_category.trim(),
        "quiet_kinds" => cur.quiet_kinds != new.quiet_kinds,
        "direct_share" => cur.direct_share != new.direct_share,
        _ => false,
    };
    for lock in &view.locks {
        if changed(&lock.field) {
            return Err(ServiceError::new(ErrorCode::Locked, lock.reason.clone()));
        }
    }
    let (lo, hi) = (view.interval_min, view.interval_max);
    if changed("interval_minutes") && !(lo..=hi).contains(&new.interval_minutes) {
        return Err(ServiceError::new(
            ErrorCode::Locked,
            format!(
                "Your administrator allows a sync interval of {lo} to {hi} minutes; {} is outside it.",
                new.interval_minutes
            ),
        ));
    }
    Ok(())
}

fn label(field: &str) -> &'static str {
    match field {
        "interval_minutes" => "The sync interval",
        "insta_sync" => "Insta-sync",
        "private_sync" => "Syncing private items",
        "crm_to_exchange" => "Bringing CRM events into Outlook",
        "share_category" => "The share category",
        "quiet_kinds" => "Which problems raise a notification",
        "direct_share" => "Creating an owner's CRM events directly",
        _ => "This setting",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use onbehalf_engine::policy::{choose, Membership};

    fn machine(toml: &str) -> Vec<Layer> {
        vec![Layer::new(
            "/etc/onbehalf/policy.toml",
            Strength::Machine,
            crate::policy::toml_doc::parse(toml).unwrap(),
        )]
    }

    fn view(layers: &[Layer], kept: Option<&SyncSettings>) -> SettingsView {
        let policy = resolve(layers).unwrap();
        let profile = choose(&policy, &Membership::new("daniel@contoso.com", []), None);
        effective_settings(layers, kept, &profile).unwrap()
    }

    #[test]
    fn the_administrators_value_wins_over_what_the_user_kept_and_is_locked() {
        let layers = machine("sync_interval_minutes = 30\ncrm_to_outlook = true\n");
        let kept = SyncSettings {
            interval_minutes: 7,
            ..SyncSettings::default()
        };
        let v = view(&layers, Some(&kept));
        assert_eq!(v.settings.interval_minutes, 30);
        assert!(v.settings.crm_to_exchange);
        let lock = v.lock_of("interval_minutes").unwrap();
        assert_eq!(
            lock.reason,
            "The sync interval is set by your administrator (/etc/onbehalf/policy.toml) and \
             cannot be changed here."
        );
        assert!(v.lock_of("insta_sync").is_none());
    }

    #[test]
    fn a_recommendation_holds_until_the_user_keeps_their_own() {
        let layers =
            machine("[recommended]\ninsta_sync = false\nshare_category = \"Salesforce\"\n");
        let v = view(&layers, None);
        assert!(!v.settings.insta_sync);
        assert_eq!(v.settings.share_category, "Salesforce");
        assert!(v.locks.iter().all(|l| l.field != "insta_sync"));
        let mine = SyncSettings {
            insta_sync: true,
            ..SyncSettings::default()
        };
        assert!(view(&layers, Some(&mine)).settings.insta_sync);
    }

    #[test]
    fn a_change_to_a_locked_setting_is_refused_and_others_pass() {
        let layers = machine("insta_sync = false\nsync_interval_max_minutes = 60\n");
        let v = view(&layers, None);
        let mut new = v.settings.clone();
        new.days_ahead = 90;
        assert!(check_change(&v, &new).is_ok());
        new.insta_sync = true;
        let err = check_change(&v, &new).unwrap_err();
        assert_eq!(err.code, ErrorCode::Locked);
        assert!(
            err.message
                .starts_with("Insta-sync is set by your administrator"),
            "{}",
            err.message
        );
        let mut long = v.settings.clone();
        long.interval_minutes = 90;
        let err = check_change(&v, &long).unwrap_err();
        assert!(err.message.contains("1 to 60 minutes"), "{}", err.message);
    }

    #[test]
    fn direct_share_forbidden_empties_the_owners_and_locks_them() {
        let layers = machine("allow_direct_share = false\n");
        let mut kept = SyncSettings::default();
        kept.direct_share.insert("olivia.grant@contoso.com".into());
        let v = view(&layers, Some(&kept));
        assert!(v.settings.direct_share.is_empty());
        assert!(!v.direct_share_allowed);
        let mut new = v.settings.clone();
        new.direct_share.insert("olivia.grant@contoso.com".into());
        assert_eq!(check_change(&v, &new).unwrap_err().code, ErrorCode::Locked);
    }

    #[test]
    fn quiet_notifications_from_policy_are_the_kinds_the_sync_knows() {
        let v = view(
            &machine("quiet_notifications = \"waiting, conflicts\"\n"),
            None,
        );
        assert_eq!(
            v.settings.quiet_kinds.into_iter().collect::<Vec<_>>(),
            vec![NoticeKind::Waiting, NoticeKind::Conflicts]
        );
        assert!(v.locks.iter().any(|l| l.field == "quiet_kinds"));
    }
}
