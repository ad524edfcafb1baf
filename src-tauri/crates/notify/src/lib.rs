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
mod xdg {
    //! Waiting for the answers of notices on the freedesktop notification spec.

    use std::collections::VecDeque;
    use std::future::{poll_fn, Future};
    use std::sync::{Arc, Mutex, MutexGuard, OnceLock, PoisonError};
    use std::task::{Poll, Waker};

    use notify_rust::{NotificationHandle, NotificationResponse};
    use onbehalf_engine::sync::notices::Notice;

    use super::{answer_to, Answering, MAX_WAITING};

    /// The notices waiting for an answer, oldest first, and whether the server offers actions.
    #[derive(Default)]
    pub(super) struct Waiting {
        actions: OnceLock<bool>,
        waiters: Mutex<Waiters>,
    }

    #[derive(Default)]
    struct Waiters {
        next: u64,
        live: VecDeque<Waiter>,
    }

    /// One showing of a notice, waiting: only the newest of a `replaces_id` may answer.
    struct Waiter {
        replaces_id: u32,
        generation: u64,
        stop: Arc<Stop>,
    }

    impl Waiting {
        fn waiters(&self) -> MutexGuard<'_, Waiters> {
            self.waiters.lock().unwrap_or_else(PoisonError::into_inner)
        }

        /// A new showing of `replaces_id`: the earlier ones of it stop waiting, and so does the
        /// oldest beyond [`MAX_WAITING`].
        fn register(&self, replaces_id: u32) -> (u64, Arc<Stop>) {
            let mut w = self.waiters();
            w.next += 1;
            let generation = w.next;
            w.live.retain(|old| {
                let superseded = old.replaces_id == replaces_id;
                if superseded {
                    old.stop.stop();
                }
                !superseded
            });
            while w.live.len() >= MAX_WAITING {
                if let Some(oldest) = w.live.pop_front() {
                    oldest.stop.stop();
                }
            }
            let stop = Arc::new(Stop::default());
            w.live.push_back(Waiter {
                replaces_id,
                generation,
                stop: Arc::clone(&stop),
            });
            (generation, stop)
        }

        /// Whether `generation` may answer (it is still the newest of its notice and was not
        /// stopped); it is done waiting either way.
        fn claim(&self, generation: u64) -> bool {
            let mut w = self.waiters();
            let at = w.live.iter().position(|x| x.generation == generation);
            at.and_then(|at| w.live.remove(at)).is_some()
        }
    }

    impl Answering {
        /// Whether the server offers actions: asked once, kept once it answered.
        pub(super) fn server_has_actions(&self) -> bool {
            if let Some(&known) = self.xdg.actions.get() {
                return known;
            }
            match notify_rust::get_capabilities() {
                Ok(caps) => *self
                    .xdg
                    .actions
                    .get_or_init(|| caps.iter().any(|c| c == "actions")),
                // No server to ask (yet): no actions this time, ask again the next.
                Err(_) => false,
            }
        }

        /// Waits for the answer to `handle`, the notice just shown, on a thread of its own.
        ///
        /// notify-rust starts listening for the server's signals only once the thread runs: a
        /// click in the few milliseconds between the notification appearing and that is not
        /// heard (no person clicks that fast; the tests click until they are answered).
        pub(super) fn wait(
            self: &Arc<Self>,
            replaces_id: u32,
            handle: NotificationHandle,
            notice: &Notice,
        ) {
            let (generation, stop) = self.xdg.register(replaces_id);
            let answering = Arc::clone(self);
            let opens = notice.opens.clone();
            let actions = notice.actions.clone();
            let spawned = std::thread::Builder::new()
                .name("onbehalf-notice".into())
                .spawn(move || {
                    // Done waiting however the thread ends (answered, closed, stopped, panicked).
                    let _done = Done(&answering, generation);
                    let answer = futures_lite::future::block_on(futures_lite::future::or(
                        async {
                            loop {
                                let mut response = None;
                                handle
                                    .wait_for_action_async(|r| response = Some(r.clone()))
                                    .await;
                                let key = match &response {
                                    Some(NotificationResponse::Default) => super::DEFAULT_KEY,
                                    Some(NotificationResponse::Action(key)) => key.as_str(),
                                    // Closed, expired or dismissed (notify-rust's "__closed"),
                                    // a reply (not in the spec), or the bus gone: no answer.
                                    Some(
                                        NotificationResponse::Closed(_)
                                        | NotificationResponse::Reply(_),
                                    )
                                    | None => return None,
                                };
                                // A key the notice did not offer (not from a server that keeps
                                // to the spec): wait on.
                                if let Some(answer) = answer_to(key, &opens, &actions) {
                                    return Some(answer);
                                }
                            }
                        },
                        async {
                            stop.stopped().await;
                            None
                        },
                    ));
                    let Some(answer) = answer else {
                        return;
                    };
                    if answering.xdg.claim(generation) {
                        (answering.handler)(answer);
                    }
                });
            if spawned.is_err() {
                // No thread to wait on: the notice is shown and answers nothing.
                self.xdg.claim(generation);
            }
        }
    }

    /// Takes a showing off the waiting list when its thread ends.
    struct Done<'a>(&'a Answering, u64);

    impl Drop for Done<'_> {
        fn drop(&mut self) {
            self.0.xdg.claim(self.1);
        }
    }

    /// Tells a waiting thread to stop waiting.
    #[derive(Default)]
    struct Stop(Mutex<(bool, Option<Waker>)>);

    impl Stop {
        fn state(&self) -> MutexGuard<'_, (bool, Option<Waker>)> {
            self.0.lock().unwrap_or_else(PoisonError::into_inner)
        }

        fn stop(&self) {
            let waker = {
                let mut s = self.state();
                s.0 = true;
                s.1.take()
            };
            if let Some(waker) = waker {
                waker.wake();
            }
        }

        fn stopped(&self) -> impl Future<Output = ()> + '_ {
            poll_fn(|cx| {
                let mut s = self.state();
                if s.0 {
                    Poll::Ready(())
                } else {
                    s.1 = Some(cx.waker().clone());
                    Poll::Pending
                }
            })
        }
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
