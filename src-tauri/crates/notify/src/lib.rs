//! Shows the engine's notices as native notifications, and answers a click on one where the
//! platform tells the app of it.
//!
//! - **Linux and the BSDs**: the session bus's `org.freedesktop.Notifications`. A notice's
//!   stable id is hashed into the spec's `replaces_id`, so showing it again replaces it rather
//!   than stacking. A notifier made with [`DesktopNotifier::answering`] offers the spec's
//!   `"default"` action (a click on the notification's body: [`Answer::Opened`]) and one button
//!   per [`NoticeAction`] ("Retry now", "Open in Outlook": [`Answer::Action`]), but only when
//!   the server advertises the `"actions"` capability (asked once per notifier, then kept).
//!   Each notice shown with actions has a thread of its own that waits for its answer; see
//!   [`MAX_WAITING`] for how many, and what becomes of the rest. A notice closed, expired or
//!   dismissed answers nothing. A notice shown again (same `replaces_id`) answers only as the
//!   newest showing: the earlier one's wait ends unanswered, so one click never answers twice
//!   nor with what the notice said before.
//! - **Windows**: a toast carrying the app's AppUserModelID, without which Windows drops it.
//!   No action is offered: notify-rust only hears of a click while the toast is on screen and
//!   the process that showed it lives, and a click on it in the Action Center would need a COM
//!   activator the app does not register, so a button there would answer nothing.
//! - **macOS**: Notification Center under the app's bundle id. No action is offered:
//!   notify-rust's `NSUserNotificationCenter` backend only answers a notification sent by a
//!   thread that blocks on it, on the main run loop.
//!
//! Urgency is always "normal", never "critical" (which GNOME shows even through do-not-disturb).
//! Do-not-disturb is the desktop's own and the app never bypasses it: GNOME and KDE keep a
//! notice in their list without a banner, and Windows' Focus Assist and macOS' Focus likewise
//! hold it back; the user finds it there, and it still answers when clicked where the platform
//! answers at all.

use std::fmt;
use std::sync::Arc;

use onbehalf_engine::sync::notices::{Notice, NoticeAction, Notifier, Opens};

/// The AppUserModelID the installer gives the Start menu shortcut, and the macOS bundle id.
pub const APP_ID: &str = "app.onbehalf.desktop";
const APP_NAME: &str = "Onbehalf";

/// At most this many notices of one notifier wait for an answer at a time, each on a thread of
/// its own. Showing one more stops the wait of the oldest: its notification stays where the
/// desktop keeps it, but a click on it no longer answers anything (the newest notices, the ones
/// the user is likely to click, always do).
pub const MAX_WAITING: usize = 32;

/// What the user did with a notice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    /// Clicked the notification itself: open what the notice is about.
    Opened(Opens),
    /// Pressed one of the notice's buttons.
    Action(NoticeAction),
}

/// Called with each answer, on a thread of the notifier's own (never the one that showed it).
pub type AnswerHandler = Arc<dyn Fn(Answer) + Send + Sync>;

/// Notifications through the desktop's own service.
#[derive(Clone, Default)]
pub struct DesktopNotifier {
    answering: Option<Arc<Answering>>,
}

impl DesktopNotifier {
    /// A notifier that only tells: no action is offered, nothing is answered (the CLI's).
    pub fn new() -> Self {
        Self::default()
    }

    /// A notifier whose notices answer `handler` when clicked, where the platform allows it.
    pub fn answering(handler: AnswerHandler) -> Self {
        Self {
            answering: Some(Arc::new(Answering::new(handler))),
        }
    }
}

impl fmt::Debug for DesktopNotifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DesktopNotifier")
            .field("answering", &self.answering.is_some())
            .finish()
    }
}

impl Notifier for DesktopNotifier {
    fn show(&self, notice: &Notice) -> Result<(), String> {
        let mut n = notify_rust::Notification::new();
        n.appname(APP_NAME)
            .summary(&notice.title)
            .body(&notice.body);
        #[cfg(all(unix, not(target_os = "macos")))]
        {
            let id = replaces_id(&notice.id);
            n.id(id).urgency(notify_rust::Urgency::Normal);
            let answering = self.answering.as_ref().filter(|a| a.server_has_actions());
            if answering.is_some() {
                for (key, label) in offered(notice) {
                    n.action(key, label);
                }
            }
            let handle = n.show().map_err(|e| e.to_string())?;
            if let Some(answering) = answering {
                answering.wait(id, handle, notice);
            }
            Ok(())
        }
        #[cfg(not(all(unix, not(target_os = "macos"))))]
        {
            #[cfg(windows)]
            {
                n.app_id(APP_ID).urgency(notify_rust::Urgency::Normal);
            }
            n.show().map(|_| ()).map_err(|e| e.to_string())
        }
    }
}

/// The spec's action key for a click on the notification's body.
#[cfg_attr(not(all(unix, not(target_os = "macos"))), allow(dead_code))]
const DEFAULT_KEY: &str = "default";

/// A button's action key and label.
#[cfg_attr(not(all(unix, not(target_os = "macos"))), allow(dead_code))]
fn button(action: &NoticeAction) -> (&'static str, &'static str) {
    match action {
        NoticeAction::RetryNow => ("retry_now", "Retry now"),
        NoticeAction::OpenInOutlook { .. } => ("open_in_outlook", "Open in Outlook"),
    }
}

/// The actions offered for `notice`, as (key, label): the click on its body, then one button
/// per action it names (once per kind).
#[cfg_attr(not(all(unix, not(target_os = "macos"))), allow(dead_code))]
fn offered(notice: &Notice) -> Vec<(&'static str, &'static str)> {
    let mut out = vec![(DEFAULT_KEY, "Open")];
    for action in &notice.actions {
        let b = button(action);
        if !out.iter().any(|(key, _)| *key == b.0) {
            out.push(b);
        }
    }
    out
}

/// What the action `key` of `notice` answers.
#[cfg_attr(not(all(unix, not(target_os = "macos"))), allow(dead_code))]
fn answer_to(key: &str, opens: &Opens, actions: &[NoticeAction]) -> Option<Answer> {
    if key == DEFAULT_KEY {
        return Some(Answer::Opened(opens.clone()));
    }
    actions
        .iter()
        .find(|a| button(a).0 == key)
        .map(|a| Answer::Action(a.clone()))
}

/// A notifier's answering: its handler and, on Linux, the notices waiting for an answer.
struct Answering {
    #[cfg_attr(not(all(unix, not(target_os = "macos"))), allow(dead_code))]
    handler: AnswerHandler,
    #[cfg(all(unix, not(target_os = "macos")))]
    xdg: xdg::Waiting,
}

impl Answering {
    fn new(handler: AnswerHandler) -> Self {
        Self {
            handler,
            #[cfg(all(unix, not(target_os = "macos")))]
            xdg: xdg::Waiting::default(),
        }
    }
}

#[cfg(all(unix, not(target_os = "macos")))]
mod xdg;

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

    fn notice(actions: Vec<NoticeAction>) -> Notice {
        Notice {
            id: "n".into(),
            title: "t".into(),
            body: "b".into(),
            opens: Opens::Problems,
            actions,
            covers: Vec::new(),
            resolved: false,
        }
    }

    #[test]
    fn each_action_is_one_button_and_each_key_answers_its_action() {
        let outlook = NoticeAction::OpenInOutlook {
            url: "https://outlook.office.com/calendar/item/1".into(),
        };
        let n = notice(vec![
            NoticeAction::RetryNow,
            outlook.clone(),
            NoticeAction::RetryNow,
        ]);
        let offered = offered(&n);
        assert_eq!(
            offered.iter().map(|(_, label)| *label).collect::<Vec<_>>(),
            ["Open", "Retry now", "Open in Outlook"]
        );
        let answers: Vec<_> = offered
            .iter()
            .map(|(key, _)| answer_to(key, &n.opens, &n.actions))
            .collect();
        assert_eq!(
            answers,
            [
                Some(Answer::Opened(Opens::Problems)),
                Some(Answer::Action(NoticeAction::RetryNow)),
                Some(Answer::Action(outlook)),
            ]
        );
        assert_eq!(answer_to("__closed", &n.opens, &n.actions), None);
        assert_eq!(answer_to("open_in_outlook", &n.opens, &[]), None);
    }
}
