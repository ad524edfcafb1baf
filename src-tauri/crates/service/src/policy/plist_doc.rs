//! macOS managed preferences: a configuration profile whose payload type is Onbehalf's bundle
//! id is written by the system to `/Library/Managed Preferences/[USER/]app.onbehalf.desktop.plist`.
//! Only an administrator (or MDM) can write there, so its top-level keys are mandatory; its
//! `recommended` dictionary holds defaults. Read and tested on every system; only macOS reads
//! it at run time.
#![cfg_attr(not(target_os = "macos"), allow(dead_code))]

use onbehalf_engine::policy::Raw;

/// The managed preferences domain: the app's bundle identifier.
pub(crate) const DOMAIN: &str = "app.onbehalf.desktop";

/// A plist value as a policy document value.
pub(crate) fn from_plist(v: &plist::Value) -> Raw {
    match v {
        plist::Value::Boolean(b) => Raw::Bool(*b),
        plist::Value::Integer(i) => i
            .as_signed()
            .map(Raw::Int)
            .unwrap_or_else(|| Raw::Text(i.to_string())),
        plist::Value::String(s) => Raw::Text(s.clone()),
        plist::Value::Array(a) => Raw::List(a.iter().map(from_plist).collect()),
        plist::Value::Dictionary(d) => {
            Raw::table(d.iter().map(|(k, v)| (k.as_str(), from_plist(v))))
        }
        plist::Value::Real(r) => Raw::Text(r.to_string()),
        other => Raw::Text(format!("{other:?}")),
    }
}

/// Read a managed preferences file; `None` when there is none.
pub(crate) fn read_file(path: &std::path::Path) -> Result<Option<Raw>, String> {
    if !path.exists() {
        return Ok(None);
    }
    plist::Value::from_file(path)
        .map(|v| Some(from_plist(&v)))
        .map_err(|e| e.to_string())
}

/// Where macOS writes the preferences configuration profiles manage.
#[cfg(target_os = "macos")]
pub(crate) const MANAGED_PREFERENCES: &str = "/Library/Managed Preferences";

/// The managed preferences under `base` for `user`, then the machine-wide ones.
pub(crate) fn read_managed_preferences(
    base: &std::path::Path,
    user: Option<&str>,
) -> Result<Vec<onbehalf_engine::policy::Layer>, crate::error::ServiceError> {
    use onbehalf_engine::policy::{Layer, Strength};
    let mut paths = vec![base.join(format!("{DOMAIN}.plist"))];
    if let Some(user) = user {
        paths.insert(0, base.join(user).join(format!("{DOMAIN}.plist")));
    }
    let mut layers = Vec::new();
    for path in paths {
        match read_file(&path) {
            Ok(Some(doc)) => layers.push(Layer::new(
                path.display().to_string(),
                Strength::Machine,
                doc,
            )),
            Ok(None) => {}
            Err(e) => {
                return Err(crate::error::ServiceError::config(format!(
                    "The managed preferences {} cannot be read: {e}",
                    path.display()
                )))
            }
        }
    }
    Ok(layers)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_configuration_profiles_preferences_read_into_a_policy_document() {
        let xml = r#"<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0"><dict>
  <key>allow_private_sync</key><false/>
  <key>sync_interval_minutes</key><integer>15</integer>
  <key>contact_sync</key><array><string>crm_to_outlook</string></array>
  <key>recommended</key><dict><key>insta_sync</key><true/></dict>
</dict></plist>"#;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(format!("{DOMAIN}.plist"));
        std::fs::write(&path, xml).unwrap();
        let Some(Raw::Table(t)) = read_file(&path).unwrap() else {
            panic!("a table")
        };
        assert_eq!(t["allow_private_sync"], Raw::Bool(false));
        assert_eq!(t["sync_interval_minutes"], Raw::Int(15));
        assert_eq!(
            t["contact_sync"],
            Raw::List(vec![Raw::text("crm_to_outlook")])
        );
        assert!(matches!(&t["recommended"], Raw::Table(r) if r["insta_sync"] == Raw::Bool(true)));
        assert_eq!(read_file(&dir.path().join("none.plist")).unwrap(), None);
    }

    #[test]
    fn the_users_managed_preferences_come_before_the_machines() {
        let base = tempfile::tempdir().unwrap();
        let plist = |v: u32| {
            format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?><plist version=\"1.0\"><dict>\
                 <key>sync_interval_minutes</key><integer>{v}</integer></dict></plist>"
            )
        };
        std::fs::write(base.path().join(format!("{DOMAIN}.plist")), plist(30)).unwrap();
        std::fs::create_dir(base.path().join("daniel")).unwrap();
        std::fs::write(
            base.path().join("daniel").join(format!("{DOMAIN}.plist")),
            plist(15),
        )
        .unwrap();
        let layers = read_managed_preferences(base.path(), Some("daniel")).unwrap();
        assert_eq!(layers.len(), 2);
        let p = onbehalf_engine::policy::resolve(&layers).unwrap();
        assert_eq!(
            p.number(onbehalf_engine::policy::Key::SyncIntervalMinutes),
            Some(15)
        );
        assert!(
            read_managed_preferences(base.path(), Some("rita"))
                .unwrap()
                .len()
                == 1
        );
    }
}
