//! Shows the engine's notices as native notifications. On Linux they go to the session bus's
//! `org.freedesktop.Notifications` (a notice's stable id is hashed into the spec's
//! `replaces_id`, so showing it again replaces it rather than stacking); on Windows the toast
//! carries the app's AppUserModelID, without which Windows drops it; on macOS the app's bundle
//! id. A notice's actions ("Retry now", "Open in Outlook") are not offered yet: nothing would
//! answer them.

use onbehalf_engine::sync::notices::{Notice, Notifier};

/// The AppUserModelID the installer gives the Start menu shortcut, and the macOS bundle id.
pub const APP_ID: &str = "app.onbehalf.desktop";
const APP_NAME: &str = "Onbehalf";

/// Notifications through the desktop's own service.
#[derive(Debug, Clone, Copy, Default)]
pub struct DesktopNotifier;

impl Notifier for DesktopNotifier {
    fn show(&self, notice: &Notice) -> Result<(), String> {
        let mut n = notify_rust::Notification::new();
        n.appname(APP_NAME)
            .summary(&notice.title)
            .body(&notice.body);
        #[cfg(all(unix, not(target_os = "macos")))]
        {
            n.id(replaces_id(&notice.id));
        }
        #[cfg(windows)]
        {
            n.app_id(APP_ID);
        }
        n.show().map(|_| ()).map_err(|e| e.to_string())
    }
}

/// A notice's stable id as the freedesktop spec's `replaces_id` (never 0, which means "new").
pub fn replaces_id(id: &str) -> u32 {
    // FNV-1a: stable across runs and builds, unlike the standard library's hasher.
    let mut h: u32 = 0x811c_9dc5;
    for b in id.bytes() {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    h.max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_notice_always_replaces_itself_and_others_do_not() {
        let a = replaces_id("group:olivia.grant@contoso.com:owner_sync_off");
        assert_eq!(
            a,
            replaces_id("group:olivia.grant@contoso.com:owner_sync_off")
        );
        assert_ne!(
            a,
            replaces_id("group:olivia.grant@contoso.com:no_crm_edit_access")
        );
        assert_ne!(replaces_id(""), 0);
    }
}
