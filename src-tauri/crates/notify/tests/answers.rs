//! A click on a notice, and on its buttons, answered over a real session bus: the tests run
//! their own `org.freedesktop.Notifications` server on it, which records what it is asked to
//! show and clicks like a desktop does (the `ActionInvoked` and `NotificationClosed` signals).
//!
//! Only one connection may own the server's name on a bus, and cargo runs a binary's tests on
//! threads of one process: the server is shared, and the tests take turns with it.
//!
//! Run in a D-Bus session of their own: `dbus-run-session -- cargo test -p onbehalf-notify`.
#![cfg(all(unix, not(target_os = "macos")))]
#![allow(clippy::unwrap_used)]

use std::collections::HashMap;
use std::sync::mpsc::{channel, Receiver};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock, PoisonError};
use std::time::{Duration, Instant};

use onbehalf_engine::sync::notices::{Notice, NoticeAction, Notifier, Opens};
use onbehalf_notify::{replaces_id, Answer, DesktopNotifier, MAX_WAITING};

const NAME: &str = "org.freedesktop.Notifications";
const PATH: &str = "/org/freedesktop/Notifications";

/// One notification as the server received it.
#[derive(Debug, Clone)]
struct Shown {
    replaces_id: u32,
    /// The id the server gave it.
    id: u32,
    summary: String,
    /// (key, label) pairs.
    actions: Vec<(String, String)>,
    urgency: Option<u8>,
}

impl Shown {
    fn labels(&self) -> Vec<&str> {
        self.actions.iter().map(|(_, l)| l.as_str()).collect()
    }

    /// The key of the button labelled `label`.
    fn key_of(&self, label: &str) -> String {
        self.actions
            .iter()
            .find(|(_, l)| l == label)
            .map(|(k, _)| k.clone())
            .unwrap_or_else(|| panic!("no {label:?} button on {self:?}"))
    }
}

struct State {
    capabilities: Vec<String>,
    /// How often GetCapabilities was called.
    asked: usize,
    shown: Vec<Shown>,
    next_id: u32,
}

struct Server(Arc<Mutex<State>>);

#[zbus::interface(name = "org.freedesktop.Notifications")]
impl Server {
    #[allow(clippy::too_many_arguments)]
    fn notify(
        &mut self,
        _app_name: String,
        replaces_id: u32,
        _app_icon: String,
        summary: String,
        _body: String,
        actions: Vec<String>,
        hints: HashMap<String, zbus::OwnedVariant>,
        _expire_timeout: i32,
    ) -> u32 {
        let mut s = self.0.lock().unwrap();
        s.next_id += 1;
        let id = match replaces_id {
            0 => s.next_id,
            id => id,
        };
        let actions = actions
            .chunks(2)
            .map(|p| (p[0].clone(), p.get(1).cloned().unwrap_or_default()))
            .collect();
        let urgency = hints
            .get("urgency")
            .and_then(|v| v.downcast_ref::<u8>().ok());
        s.shown.push(Shown {
            replaces_id,
            id,
            summary,
            actions,
            urgency,
        });
        id
    }

    fn get_capabilities(&self) -> Vec<String> {
        let mut s = self.0.lock().unwrap();
        s.asked += 1;
        s.capabilities.clone()
    }

    fn close_notification(&self, _id: u32) {}

    fn get_server_information(&self) -> (String, String, String, String) {
        (
            "onbehalf-notify-tests".into(),
            "onbehalf".into(),
            "1".into(),
            "1.2".into(),
        )
    }
}

/// The desktop the tests click on.
struct Desktop {
    state: Arc<Mutex<State>>,
    connection: zbus::Connection,
}

impl Desktop {
    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// What it showed of `notice`, the latest first.
    fn shown(&self, notice: &Notice) -> Vec<Shown> {
        let r = replaces_id(&notice.id);
        let mut out: Vec<Shown> = self
            .state()
            .shown
            .iter()
            .filter(|s| s.replaces_id == r)
            .cloned()
            .collect();
        out.reverse();
        out
    }

    fn latest(&self, notice: &Notice) -> Shown {
        let shown = self.shown(notice);
        shown
            .first()
            .cloned()
            .unwrap_or_else(|| panic!("{} was not shown", notice.id))
    }

    /// The user clicked `key` on notification `id`.
    fn action_invoked(&self, id: u32, key: &str) {
        zbus::block_on(self.connection.emit_signal(
            None::<&str>,
            PATH,
            NAME,
            "ActionInvoked",
            &(id, key),
        ))
        .unwrap();
    }

    /// Notification `id` was closed, for `reason` (2: dismissed by the user; 3: closed by a
    /// call).
    fn closed(&self, id: u32, reason: u32) {
        zbus::block_on(self.connection.emit_signal(
            None::<&str>,
            PATH,
            NAME,
            "NotificationClosed",
            &(id, reason),
        ))
        .unwrap();
    }

    /// Clicks `key` on notification `id` until an answer comes (the notifier starts listening
    /// just after the notification is shown, and a signal sent before is heard by nobody),
    /// for at most `patience`.
    fn click(
        &self,
        id: u32,
        key: &str,
        answers: &Receiver<Answer>,
        patience: Duration,
    ) -> Option<Answer> {
        let start = Instant::now();
        while start.elapsed() < patience {
            self.action_invoked(id, key);
            if let Ok(a) = answers.recv_timeout(Duration::from_millis(50)) {
                return Some(a);
            }
        }
        None
    }

    /// Closes notification `id` (dismissed by the user), over and over for a while.
    fn dismiss(&self, id: u32) {
        let start = Instant::now();
        while start.elapsed() < Duration::from_millis(400) {
            self.closed(id, 2);
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

const PATIENCE: Duration = Duration::from_secs(5);
/// How long a click that should answer nothing is tried.
const SILENCE: Duration = Duration::from_millis(600);

/// The shared server, for one test at a time (`None` without a session bus), set back to a
/// server with actions that has shown nothing.
fn desktop() -> Option<(MutexGuard<'static, ()>, &'static Desktop)> {
    if std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_none() {
        eprintln!(
            "skipped: needs a D-Bus session bus (dbus-run-session -- cargo test -p onbehalf-notify)"
        );
        return None;
    }
    static TURN: Mutex<()> = Mutex::new(());
    static DESKTOP: OnceLock<Desktop> = OnceLock::new();
    let turn = TURN.lock().unwrap_or_else(PoisonError::into_inner);
    let desktop = DESKTOP.get_or_init(|| {
        let state = Arc::new(Mutex::new(State {
            capabilities: Vec::new(),
            asked: 0,
            shown: Vec::new(),
            next_id: 1000,
        }));
        let server = Server(Arc::clone(&state));
        let (ready, started) = channel();
        // The server's connection runs on a thread of its own for the whole process.
        std::thread::spawn(move || {
            zbus::block_on(async move {
                let connection = zbus::connection::Builder::session()
                    .name(NAME)
                    .serve_at(PATH, server)
                    .build()
                    .await
                    .expect("the notification server on the session bus");
                ready.send(connection).unwrap();
                std::future::pending::<()>().await;
            })
        });
        let connection = started.recv().unwrap();
        Desktop { state, connection }
    });
    {
        let mut s = desktop.state();
        s.capabilities = vec!["actions".into(), "body".into()];
        s.asked = 0;
        s.shown.clear();
    }
    Some((turn, desktop))
}

fn answering() -> (DesktopNotifier, Receiver<Answer>) {
    let (tx, rx) = channel();
    let tx = Mutex::new(tx);
    let notifier = DesktopNotifier::answering(Arc::new(move |a| {
        let _ = tx.lock().unwrap().send(a);
    }));
    (notifier, rx)
}

fn outlook(id: &str) -> NoticeAction {
    NoticeAction::OpenInOutlook {
        url: format!("https://outlook.office.com/calendar/item/{id}"),
    }
}

fn item(id: &str) -> Opens {
    Opens::Item {
        owner: "olivia.grant@contoso.com".into(),
        id: id.into(),
    }
}

fn notice(id: &str, opens: Opens, actions: Vec<NoticeAction>) -> Notice {
    Notice {
        id: id.into(),
        title: format!("Contoso QBR — {id}"),
        body: "Olivia Grant does not have sync turned on.".into(),
        opens,
        actions,
        covers: Vec::new(),
        resolved: false,
    }
}

#[test]
fn a_click_on_the_body_opens_the_item() {
    let Some((_turn, desktop)) = desktop() else {
        return;
    };
    let (notifier, answers) = answering();
    let n = notice(
        "click-body",
        item("AAMk-body"),
        vec![NoticeAction::RetryNow, outlook("AAMk-body")],
    );
    notifier.show(&n).unwrap();
    let shown = desktop.latest(&n);
    assert_eq!(shown.summary, n.title);
    assert_eq!(shown.urgency, Some(1), "normal urgency, never critical");

    assert_eq!(
        desktop.click(shown.id, "default", &answers, PATIENCE),
        Some(Answer::Opened(item("AAMk-body")))
    );
    // Answered once: later clicks (the notice's wait is over) answer nothing.
    assert_eq!(desktop.click(shown.id, "default", &answers, SILENCE), None);
}

#[test]
fn the_retry_now_button_retries() {
    let Some((_turn, desktop)) = desktop() else {
        return;
    };
    let (notifier, answers) = answering();
    let n = notice(
        "click-retry",
        item("AAMk-retry"),
        vec![NoticeAction::RetryNow],
    );
    notifier.show(&n).unwrap();
    let shown = desktop.latest(&n);
    let key = shown.key_of("Retry now");
    assert_eq!(
        desktop.click(shown.id, &key, &answers, PATIENCE),
        Some(Answer::Action(NoticeAction::RetryNow))
    );
    assert_eq!(desktop.click(shown.id, &key, &answers, SILENCE), None);
}

#[test]
fn the_buttons_offered_are_those_the_notice_names() {
    let Some((_turn, desktop)) = desktop() else {
        return;
    };
    let (notifier, answers) = answering();

    let both = notice(
        "buttons-both",
        item("AAMk-both"),
        vec![NoticeAction::RetryNow, outlook("AAMk-both")],
    );
    let outlook_only = notice(
        "buttons-outlook",
        item("AAMk-outlook"),
        vec![outlook("AAMk-outlook")],
    );
    let none = notice("buttons-none", Opens::Problems, Vec::new());
    for n in [&both, &outlook_only, &none] {
        notifier.show(n).unwrap();
    }

    let shown = desktop.latest(&both);
    assert_eq!(shown.labels(), ["Open", "Retry now", "Open in Outlook"]);
    assert_eq!(shown.actions[0].0, "default", "a click on the body");
    let shown = desktop.latest(&outlook_only);
    assert_eq!(shown.labels(), ["Open", "Open in Outlook"]);
    let shown_none = desktop.latest(&none);
    assert_eq!(shown_none.labels(), ["Open"]);

    // "Open in Outlook" answers with the item's link.
    assert_eq!(
        desktop.click(
            shown.id,
            &shown.key_of("Open in Outlook"),
            &answers,
            PATIENCE
        ),
        Some(Answer::Action(outlook("AAMk-outlook")))
    );
    // A key the notice did not offer answers nothing; its body still opens the problems.
    assert_eq!(
        desktop.click(shown_none.id, "retry_now", &answers, SILENCE),
        None
    );
    assert_eq!(
        desktop.click(shown_none.id, "default", &answers, PATIENCE),
        Some(Answer::Opened(Opens::Problems))
    );
}

#[test]
fn a_server_without_actions_is_offered_none() {
    let Some((_turn, desktop)) = desktop() else {
        return;
    };
    desktop.state().capabilities = vec!["body".into()];
    let (notifier, answers) = answering();
    let n = notice(
        "no-actions-server",
        item("AAMk-noactions"),
        vec![NoticeAction::RetryNow],
    );
    notifier.show(&n).unwrap();
    // Asked once: shown again, it still offers none (and the server is asked no more).
    notifier.show(&n).unwrap();
    let shown = desktop.shown(&n);
    assert_eq!(shown.len(), 2);
    assert!(shown.iter().all(|s| s.actions.is_empty()), "{shown:?}");
    assert_eq!(desktop.state().asked, 1);
    assert_eq!(shown[0].urgency, Some(1));
    assert_eq!(
        desktop.click(shown[0].id, "default", &answers, SILENCE),
        None
    );
}

#[test]
fn a_notifier_that_does_not_answer_offers_nothing() {
    let Some((_turn, desktop)) = desktop() else {
        return;
    };
    let notifier = DesktopNotifier::new();
    let n = notice(
        "not-answering",
        item("AAMk-cli"),
        vec![NoticeAction::RetryNow, outlook("AAMk-cli")],
    );
    notifier.show(&n).unwrap();
    let shown = desktop.latest(&n);
    assert!(shown.actions.is_empty(), "{shown:?}");
    assert_eq!(shown.urgency, Some(1));
    assert_ne!(shown.replaces_id, 0);
    assert_eq!(desktop.state().asked, 0, "nothing to ask the server for");
    assert_eq!(
        format!("{notifier:?}"),
        "DesktopNotifier { answering: false }"
    );
}

#[test]
fn a_notice_shown_twice_answers_once_with_the_newest() {
    let Some((_turn, desktop)) = desktop() else {
        return;
    };
    let (notifier, answers) = answering();
    let first = notice("twice", item("AAMk-first"), vec![NoticeAction::RetryNow]);
    let newest = notice("twice", item("AAMk-newest"), vec![outlook("AAMk-newest")]);
    notifier.show(&first).unwrap();
    // A clone shares the notices waiting (the app may hold the notifier in several places).
    notifier.clone().show(&newest).unwrap();
    let shown = desktop.shown(&newest);
    assert_eq!(shown.len(), 2);
    assert_eq!(shown[0].id, shown[1].id, "the newest replaced the first");
    let id = shown[0].id;

    assert_eq!(
        desktop.click(id, "default", &answers, PATIENCE),
        Some(Answer::Opened(item("AAMk-newest")))
    );
    // Neither the first showing's wait nor the newest answers again; the first's button is gone.
    assert_eq!(desktop.click(id, "default", &answers, SILENCE), None);
    assert_eq!(
        desktop.click(id, &shown[1].key_of("Retry now"), &answers, SILENCE),
        None
    );
    assert!(answers.try_recv().is_err());
}

#[test]
fn a_closed_notice_answers_nothing() {
    let Some((_turn, desktop)) = desktop() else {
        return;
    };
    let (notifier, answers) = answering();
    let n = notice("closed", item("AAMk-closed"), vec![NoticeAction::RetryNow]);
    notifier.show(&n).unwrap();
    let shown = desktop.latest(&n);
    desktop.dismiss(shown.id);
    assert!(answers.try_recv().is_err(), "closing is no answer");
    // Its wait ended with the close: a click after answers nothing.
    assert_eq!(desktop.click(shown.id, "default", &answers, SILENCE), None);
}

#[test]
fn past_the_cap_the_oldest_notice_no_longer_answers() {
    let Some((_turn, desktop)) = desktop() else {
        return;
    };
    let (notifier, answers) = answering();
    let notices: Vec<Notice> = (0..=MAX_WAITING)
        .map(|i| {
            notice(
                &format!("cap-{i}"),
                item(&format!("AAMk-cap-{i}")),
                Vec::new(),
            )
        })
        .collect();
    for n in &notices {
        notifier.show(n).unwrap();
    }
    let oldest = desktop.latest(&notices[0]);
    let second = desktop.latest(&notices[1]);
    let newest = desktop.latest(&notices[MAX_WAITING]);
    assert_eq!(desktop.click(oldest.id, "default", &answers, SILENCE), None);
    assert_eq!(
        desktop.click(newest.id, "default", &answers, PATIENCE),
        Some(Answer::Opened(item(&format!("AAMk-cap-{MAX_WAITING}"))))
    );
    assert_eq!(
        desktop.click(second.id, "default", &answers, PATIENCE),
        Some(Answer::Opened(item("AAMk-cap-1")))
    );
    // Let the rest go.
    for n in &notices[2..MAX_WAITING] {
        desktop.closed(desktop.latest(n).id, 3);
    }
}
