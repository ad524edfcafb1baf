//! The desktop's notification service, as the tests see it: a server of the freedesktop
//! notification spec on the tests' own session bus, recording what the CLIs raise over D-Bus.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use zbus::zvariant::OwnedValue;

/// One notification as the server received it.
#[derive(Debug, Clone)]
pub struct Shown {
    pub replaces_id: u32,
    pub summary: String,
    pub body: String,
    pub actions: Vec<String>,
}

#[derive(Clone, Default)]
pub struct Screen(Arc<Mutex<Vec<Shown>>>);

impl Screen {
    /// What was shown that mentions `text`.
    pub fn about(&self, text: &str) -> Vec<Shown> {
        self.0
            .lock()
            .unwrap()
            .iter()
            .filter(|n| n.summary.contains(text) || n.body.contains(text))
            .cloned()
            .collect()
    }
}

struct Server {
    screen: Screen,
    next_id: u32,
}

#[zbus::interface(name = "org.freedesktop.Notifications")]
impl Server {
    #[allow(clippy::too_many_arguments)]
    fn notify(
        &mut self,
        _app_name: String,
        replaces_id: u32,
        _app_icon: String,
        summary: String,
        body: String,
        actions: Vec<String>,
        _hints: HashMap<String, OwnedValue>,
        _expire_timeout: i32,
    ) -> u32 {
        self.screen.0.lock().unwrap().push(Shown {
            replaces_id,
            summary,
            body,
            actions,
        });
        self.next_id += 1;
        match replaces_id {
            0 => self.next_id,
            id => id,
        }
    }

    fn get_capabilities(&self) -> Vec<String> {
        vec!["actions".into(), "body".into()]
    }

    fn get_server_information(&self) -> (String, String, String, String) {
        (
            "onbehalf-tests".into(),
            "onbehalf".into(),
            "1".into(),
            "1.2".into(),
        )
    }

    fn close_notification(&self, _id: u32) {}
}

/// The desktop's notification service on the tests' session bus: one for the whole test
/// process (the bus gives the name to one owner), served from a thread of its own so that it
/// outlives each test's runtime. Tests tell their notifications apart by their items' subjects.
pub fn desktop() -> Screen {
    static DESKTOP: OnceLock<Screen> = OnceLock::new();
    DESKTOP
        .get_or_init(|| {
            let screen = Screen::default();
            let serving = screen.clone();
            let (ready, started) = std::sync::mpsc::channel();
            std::thread::spawn(move || {
                let runtime = tokio::runtime::Runtime::new().unwrap();
                runtime.block_on(async move {
                    let server = Server {
                        screen: serving,
                        next_id: 0,
                    };
                    let connection = zbus::connection::Builder::session()
                        .unwrap()
                        .name("org.freedesktop.Notifications")
                        .unwrap()
                        .serve_at("/org/freedesktop/Notifications", server)
                        .unwrap()
                        .build()
                        .await
                        .expect("a session bus (run the tests in a D-Bus session)");
                    ready.send(()).unwrap();
                    std::future::pending::<()>().await;
                    drop(connection);
                });
            });
            started.recv().unwrap();
            screen
        })
        .clone()
}
