//! Watching for replies while offers are open: every few minutes (and at once when an offer
//! is made), the inbox is read for replies and the user is told what each one came to. While no
//! offer is open, nothing is read and nothing wakes until one is made.

use std::future::Future;
use std::time::Duration;

use onbehalf_engine::sync::notices::{Notice, NoticeAction, Opens};

use crate::blocking::blocking;
use crate::slots::replies::ReplyOutcome;
use crate::Onbehalf;

/// How often the inbox is read while an offer is open.
const EVERY: Duration = Duration::from_secs(120);

impl Onbehalf {
    /// Read the replies to open offers until `stop` resolves.
    pub async fn run_offer_watch(&self, stop: impl Future<Output = ()>) {
        tokio::pin!(stop);
        loop {
            let open = self.has_open_offers().await;
            if open {
                match self.check_replies().await {
                    Ok(outcomes) => {
                        for outcome in &outcomes {
                            self.tell_reply(outcome);
                        }
                    }
                    Err(e) => tracing::warn!(error = %e, "the replies to offers could not be read"),
                }
            }
            // With no offer open there is nothing to wait for but a new one.
            let every = async {
                match open {
                    true => tokio::time::sleep(EVERY).await,
                    false => std::future::pending().await,
                }
            };
            tokio::select! {
                _ = &mut stop => return,
                _ = self.offer_wake.notified() => {}
                _ = every => {}
            }
        }
    }

    /// Look for replies now (an offer was just made, or the user asked).
    pub fn wake_offer_watch(&self) {
        self.offer_wake.notify_one();
    }

    async fn has_open_offers(&self) -> bool {
        let Ok(Some(account)) = self.current().await else {
            return false;
        };
        let store = self.store.clone();
        blocking("reading the open offers", move || {
            Ok(!store.slot_offers().open(&account.id)?.is_empty())
        })
        .await
        .unwrap_or(false)
    }

    /// Tell the user what a reply came to, through the desktop's notifications.
    pub(crate) fn tell_reply(&self, outcome: &ReplyOutcome) {
        let Some(notifier) = self.current_notifier() else {
            return;
        };
        let (reference, title, actions) = match outcome {
            ReplyOutcome::Booked {
                reference,
                when,
                web_link,
                ..
            } => (
                reference,
                format!("Booked: {when}"),
                web_link
                    .iter()
                    .map(|url| NoticeAction::OpenInOutlook { url: url.clone() })
                    .collect(),
            ),
            ReplyOutcome::Taken {
                reference, when, ..
            } => (reference, format!("{when} is no longer free"), Vec::new()),
            ReplyOutcome::Passed {
                reference, when, ..
            } => (reference, format!("{when} has passed"), Vec::new()),
            ReplyOutcome::Unclear { reference, .. } => {
                (reference, "A reply chose no time".to_string(), Vec::new())
            }
        };
        let notice = Notice {
            id: format!("offer:{reference}"),
            title,
            body: outcome.sentence(),
            opens: Opens::TimeSlots,
            actions,
            covers: Vec::new(),
            resolved: false,
        };
        if let Err(e) = notifier.show(&notice) {
            tracing::warn!(error = %e, "a reply's outcome could not be shown");
        }
    }
}
