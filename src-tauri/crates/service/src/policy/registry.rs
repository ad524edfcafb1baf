//! Windows machine policy in the registry, read in this order (the first that sets a key wins):
//! 1. `HKLM\Software\Policies\Onbehalf`: Group Policy, mandatory;
//! 2. `HKLM\Software\Onbehalf\Policy`: the per-machine MSI's properties, mandatory;
//! 3. `HKCU\Software\Policies\Onbehalf`: user Group Policy, mandatory;
//! 4. the `Recommended` subkey of each: defaults the user may change;
//! 5. `HKCU\Software\Onbehalf\Policy`: a per-user MSI's properties. The user can write this
//!    key, so it holds defaults only and locks nothing.
//!
//! Subkeys hold tables: `Recommended`, `Profiles\<name>`, `Assign\<n>`, `Watch\<n>`.
//! The conversion is tested on every system; only the reading is Windows's own.
#![cfg_attr(not(windows), allow(dead_code))]

use onbehalf_engine::policy::Raw;

/// The places, in order, with whether only an administrator can write there.
pub(crate) const PLACES: [(&str, &str, bool); 4] = [
    ("HKLM", r"Software\Policies\Onbehalf", true),
    ("HKLM", r"Software\Onbehalf\Policy", true),
    ("HKCU", r"Software\Policies\Onbehalf", true),
    ("HKCU", r"Software\Onbehalf\Policy", false),
];

/// A registry value, as far as policy cares.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum RegData {
    Sz(String),
    Dword(u32),
    Qword(u64),
    MultiSz(Vec<String>),
    /// Binary and other types: never a setting.
    Other,
}

/// A registry key with its values and subkeys.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct RegKey {
    pub values: Vec<(String, RegData)>,
    pub subkeys: Vec<(String, RegKey)>,
}

/// A registry key as a policy document.
pub(crate) fn to_raw(key: &RegKey) -> Raw {
    let values = key.values.iter().map(|(name, data)| {
        let raw = match data {
            RegData::Sz(s) => Raw::Text(s.clone()),
            RegData::Dword(d) => Raw::Int(i64::from(*d)),
            RegData::Qword(q) => i64::try_from(*q)
                .map(Raw::Int)
                .unwrap_or_else(|_| Raw::Text(q.to_string())),
            RegData::MultiSz(l) => Raw::List(l.iter().map(|s| Raw::Text(s.clone())).collect()),
            RegData::Other => Raw::Text("(a binary registry value)".into()),
        };
        (name.as_str(), raw)
    });
    let subkeys = key
        .subkeys
        .iter()
        .map(|(name, sub)| (name.as_str(), to_raw(sub)));
    Raw::table(values.chain(subkeys))
}

#[cfg(windows)]
pub(crate) fn read_machine_policy() -> Vec<onbehalf_engine::policy::Layer> {
    use onbehalf_engine::policy::{Layer, Strength};
    use winreg::enums::{HKEY_CURRENT_USER, HKEY_LOCAL_MACHINE};

    let mut layers = Vec::new();
    for (hive, path, admin_only) in PLACES {
        let root = match hive {
            "HKLM" => winreg::RegKey::predef(HKEY_LOCAL_MACHINE),
            _ => winreg::RegKey::predef(HKEY_CURRENT_USER),
        };
        let Ok(key) = root.open_subkey(path) else {
            continue;
        };
        let strength = if admin_only {
            Strength::Machine
        } else {
            Strength::InstallerDefaults
        };
        layers.push(Layer::new(
            format!(r"{hive}\{path}"),
            strength,
            to_raw(&read_key(&key, 0)),
        ));
    }
    layers
}

#[cfg(windows)]
fn read_key(key: &winreg::RegKey, depth: u8) -> RegKey {
    use winreg::enums::RegType;
    let mut out = RegKey::default();
    for (name, value) in key.enum_values().flatten() {
        let data = match value.vtype {
            RegType::REG_SZ | RegType::REG_EXPAND_SZ => key
                .get_value::<String, _>(&name)
                .map(RegData::Sz)
                .unwrap_or(RegData::Other),
            RegType::REG_DWORD => key
                .get_value::<u32, _>(&name)
                .map(RegData::Dword)
                .unwrap_or(RegData::Other),
            RegType::REG_QWORD => key
                .get_value::<u64, _>(&name)
                .map(RegData::Qword)
                .unwrap_or(RegData::Other),
            RegType::REG_MULTI_SZ => key
                .get_value::<Vec<String>, _>(&name)
                .map(RegData::MultiSz)
                .unwrap_or(RegData::Other),
            _ => RegData::Other,
        };
        out.values.push((name, data));
    }
    // Policy nests two levels at most (Profiles\<name>); deeper keys are not read.
    if depth < 2 {
        for name in key.enum_keys().flatten() {
            if let Ok(sub) = key.open_subkey(&name) {
                out.subkeys.push((name, read_key(&sub, depth + 1)));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use onbehalf_engine::policy::{resolve, Key, Layer, Strength, Value};

    fn sz(name: &str, v: &str) -> (String, RegData) {
        (name.to_string(), RegData::Sz(v.to_string()))
    }

    /// What the per-machine MSI writes for `msiexec /i onbehalf.msi TENANT=contoso.com
    /// ALLOW_PRIVATE_SYNC=0 CONTACT_SYNC=crm_to_outlook /qn`: every property, most empty.
    fn msi_key() -> RegKey {
        RegKey {
            values: vec![
                sz("microsoft_tenant", "contoso.com"),
                sz("graph_url", ""),
                sz("microsoft_client_id", ""),
                sz("allow_private_sync", "0"),
                sz("contact_sync", "crm_to_outlook"),
                sz("sync_interval_minutes", ""),
            ],
            subkeys: vec![],
        }
    }

    #[test]
    fn the_msis_properties_become_locked_settings_and_empty_ones_are_not_set() {
        let layer = Layer::new(
            r"HKLM\Software\Onbehalf\Policy",
            Strength::Machine,
            to_raw(&msi_key()),
        );
        let p = resolve(&[layer]).unwrap();
        assert_eq!(
            p.text(Key::MicrosoftAuthority),
            Some("https://login.microsoftonline.com/contoso.com")
        );
        assert!(p.locked(Key::MicrosoftAuthority));
        assert!(!p.bool(Key::AllowPrivateSync));
        assert!(p.locked(Key::AllowPrivateSync));
        assert_eq!(p.list(Key::ContactSync), ["crm_to_outlook"]);
        assert_eq!(p.text(Key::MicrosoftClientId), None);
        assert!(!p.locked(Key::SyncIntervalMinutes));
    }

    #[test]
    fn group_policy_values_subkeys_and_dwords_read_as_a_file_would() {
        let gpo = RegKey {
            values: vec![
                ("Sync_Interval_Minutes".into(), RegData::Dword(30)),
                (
                    "watch_owners".into(),
                    RegData::MultiSz(vec!["olivia@contoso.com".into()]),
                ),
            ],
            subkeys: vec![
                (
                    "Recommended".into(),
                    RegKey {
                        values: vec![("insta_sync".into(), RegData::Dword(0))],
                        subkeys: vec![],
                    },
                ),
                (
                    "Profiles".into(),
                    RegKey {
                        values: vec![],
                        subkeys: vec![(
                            "assistants".into(),
                            RegKey {
                                values: vec![sz("email_integration", "none")],
                                subkeys: vec![],
                            },
                        )],
                    },
                ),
                (
                    "Assign".into(),
                    RegKey {
                        values: vec![],
                        subkeys: vec![(
                            "1".into(),
                            RegKey {
                                values: vec![
                                    sz("profile", "assistants"),
                                    sz("groups", "Executive Assistants"),
                                ],
                                subkeys: vec![],
                            },
                        )],
                    },
                ),
            ],
        };
        let p = resolve(&[Layer::new(
            r"HKLM\Software\Policies\Onbehalf",
            Strength::Machine,
            to_raw(&gpo),
        )])
        .unwrap();
        assert_eq!(p.number(Key::SyncIntervalMinutes), Some(30));
        assert!(p.locked(Key::SyncIntervalMinutes));
        assert_eq!(p.get(Key::InstaSync).value, Some(Value::Bool(false)));
        assert!(!p.locked(Key::InstaSync));
        assert_eq!(p.list(Key::WatchOwners), ["olivia@contoso.com"]);
        assert_eq!(p.assignments.len(), 1);
        assert_eq!(p.assignments[0].groups, ["Executive Assistants"]);
    }

    #[test]
    fn a_per_user_installs_key_recommends_but_locks_nothing() {
        assert!(
            !PLACES[3].2,
            "HKCU\\Software\\Onbehalf\\Policy is the user's to write"
        );
        let layer = Layer::new(
            r"HKCU\Software\Onbehalf\Policy",
            Strength::InstallerDefaults,
            to_raw(&msi_key()),
        );
        let p = resolve(&[layer]).unwrap();
        assert!(!p.locked(Key::MicrosoftAuthority));
        assert!(!p.locked(Key::ContactSync));
        assert_eq!(p.list(Key::ContactSync), ["crm_to_outlook"]);
    }
}
