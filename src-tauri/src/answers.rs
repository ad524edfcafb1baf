//! What a click on one of the sync's notifications does: its body opens Onbehalf at the
//! problem, "Retry now" wakes the sync, "Open in Outlook" opens the item's web link. Answers
//! come on a notifier's waiting thread, never the main one.

use std::sync::Arc;

use onbehalf_engine::sync::notices::{NoticeAction, Opens};
use onbehalf_notify::{Answer, AnswerHandler};
use tauri::{AppHandle, Manager};
use tauri_plugin_opener::OpenerExt;

use crate::ipc::AppEvent;
use crate::windows::{self, PendingOpen};

/// The answers of the app's notifications.
pub fn handler(app: AppHandle) -> AnswerHandler {
    Arc::new(move |answer| match answer {
        Answer::Opened(target) => open_at(&app, target),
        Answer::Action(NoticeAction::RetryNow) => crate::sync_tasks::sync_now(app.clone()),
        Answer::Action(NoticeAction::OpenInOutlook { url }) => open_in_outlook(&app, &url),
    })
}

/// Bring the window forward at `target`: told to a window that is up, kept for the first
/// paint of one made now.
pub fn open_at(app: &AppHandle, target: Opens) {
    if windows::show_main(app) {
        app.state::<PendingOpen>().set(target);
    } else {
        AppEvent::Open(target).emit(app);
    }
}

/// Open Outlook on the web at an item: only a web link, as Graph gives them.
pub fn open_in_outlook(app: &AppHandle, url: &str) {
    if !is_web_link(url) {
        tracing::warn!("a notification's Outlook link is not an https link; not opened");
        return;
    }
    if let Err(e) = app.opener().open_url(url, None::<&str>) {
        tracing::warn!(error = %e, "could not open Outlook on the web");
    }
}

/// An `https` URL with a host, as Graph's `webLink` is (or `http` to this computer, as the
/// built-in sandbox's are): nothing a crafted payload could turn into a local program or file.
pub fn is_web_link(url: &str) -> bool {
    let Ok(u) = url::Url::parse(url) else {
        return false;
    };
    let loopback = match u.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        Some(url::Host::Domain(d)) => d == "localhost",
        None => false,
    };
    match u.scheme() {
        "https" => u.host().is_some(),
        "http" => loopback,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_web_link_is_opened() {
        assert!(is_web_link(
            "https://outlook.office365.com/owa/?itemid=AAMk%3D&exvsurl=1&path=/calendar/item"
        ));
        assert!(is_web_link("http://127.0.0.1:38317/owa/?itemid=AAMk"));
        for bad in [
            "http://outlook.office365.com/owa/",
            "file:///etc/passwd",
            "javascript:alert(1)",
            "ms-outlook://open",
            "not a url",
        ] {
            assert!(!is_web_link(bad), "{bad}");
        }
    }
}
