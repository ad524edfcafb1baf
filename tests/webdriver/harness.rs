//! Starting `tauri-driver` and the app, and the few steps every test shares. Every wait is
//! bounded; every process a test starts is stopped by that test.

use std::future::Future;
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{anyhow, bail, ensure, Context, Result};
use thirtyfour::prelude::*;
use thirtyfour::WindowHandle;

/// The executive of the demo organisation.
pub const DEMO_EXECUTIVE: &str = "olivia.grant@contoso.com";

const APP: &str = env!("CARGO_BIN_EXE_onbehalf-app");
const SKIP_VAR: &str = "ONBEHALF_SKIP_WEBDRIVER";
const HOW_TO_RUN: &str = "Run them with tests/webdriver/run.sh, which starts Xvfb, a D-Bus \
    session and an unlocked keyring (or by hand: xvfb-run -a -s \"-screen 0 1280x800x24\" \
    dbus-run-session -- cargo test -p onbehalf-app --test webdriver, with gnome-keyring \
    unlocked), or set ONBEHALF_SKIP_WEBDRIVER=1 to skip them.";
const TEST_TIMEOUT: Duration = Duration::from_secs(300);
const SESSION_TIMEOUT: Duration = Duration::from_secs(60);
const POLL: Duration = Duration::from_millis(200);

/// One app at a time: the app is single-instance per desktop session.
static SERIAL: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// The tools a test needs, found once the environment is known to be usable.
struct Tools {
    tauri_driver: PathBuf,
}

impl Tools {
    /// `None` when the tests are to be skipped; panics with what is missing otherwise.
    fn check() -> Option<Tools> {
        if std::env::var(SKIP_VAR).is_ok_and(|v| v == "1") {
            println!("WebDriver test skipped: {SKIP_VAR}=1");
            return None;
        }
        let set = |var: &str| std::env::var(var).is_ok_and(|v| !v.is_empty());
        assert!(
            set("DISPLAY"),
            "The WebDriver tests need a display (DISPLAY is not set). {HOW_TO_RUN}"
        );
        assert!(
            set("DBUS_SESSION_BUS_ADDRESS"),
            "The WebDriver tests need a D-Bus session (for the keyring and the tray). {HOW_TO_RUN}"
        );
        assert!(
            which("WebKitWebDriver").is_some(),
            "WebKitWebDriver is not on PATH: install it with `apt-get install webkit2gtk-driver`."
        );
        let tauri_driver = std::env::var_os("TAURI_DRIVER")
            .map(PathBuf::from)
            .or_else(|| which("tauri-driver"))
            .or_else(|| {
                let home = std::env::var_os("HOME")?;
                let p = Path::new(&home).join(".cargo/bin/tauri-driver");
                p.exists().then_some(p)
            });
        let Some(tauri_driver) = tauri_driver else {
            panic!(
                "tauri-driver was not found: install it with \
                 `cargo install tauri-driver --locked --version '^2'`."
            );
        };
        Some(Tools { tauri_driver })
    }
}

fn which(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|p| p.is_file())
}

fn target_dir() -> PathBuf {
    // target/debug/onbehalf-app -> target
    Path::new(APP)
        .ancestors()
        .nth(2)
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("target"))
}

fn free_port() -> Result<u16> {
    let listener = TcpListener::bind("127.0.0.1:0").context("find a free port")?;
    Ok(listener.local_addr()?.port())
}

/// `tauri-driver`, killed when dropped.
struct TauriDriver {
    child: Child,
    port: u16,
    log: PathBuf,
}

impl TauriDriver {
    fn start(tools: &Tools, test: &str) -> Result<TauriDriver> {
        let port = free_port()?;
        let native_port = free_port()?;
        let logs = target_dir().join("webdriver-logs");
        std::fs::create_dir_all(&logs)?;
        let log = logs.join(format!("{test}.log"));
        let out = std::fs::File::create(&log)?;
        let child = Command::new(&tools.tauri_driver)
            .args(["--port", &port.to_string()])
            .args(["--native-port", &native_port.to_string()])
            .env("RUST_LOG", "info,onbehalf=debug")
            // The demo organisation works in New York: its calendars read as its people see them.
            .env("TZ", "America/New_York")
            .stdin(Stdio::null())
            .stdout(out.try_clone()?)
            .stderr(out)
            .spawn()
            .with_context(|| format!("start {}", tools.tauri_driver.display()))?;
        let mut driver = TauriDriver { child, port, log };
        let deadline = Instant::now() + Duration::from_secs(15);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            if let Some(status) = driver.child.try_wait()? {
                bail!(
                    "tauri-driver exited with {status}; see {}",
                    driver.log.display()
                );
            }
            ensure!(
                Instant::now() < deadline,
                "tauri-driver did not listen on port {port} within 15 s"
            );
            std::thread::sleep(POLL);
        }
        Ok(driver)
    }
}

impl Drop for TauriDriver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The app processes started for this test's data folder, found by their arguments.
pub fn app_pids(data_dir: &Path) -> Vec<u32> {
    let wanted = data_dir.to_string_lossy().into_owned();
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .filter_map(|e| e.ok())
        .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| {
            std::fs::read(format!("/proc/{pid}/cmdline"))
                .map(|c| String::from_utf8_lossy(&c).contains(&wanted))
                .unwrap_or(false)
        })
        .collect()
}

/// Wait for the app started for `data_dir` to exit; end it if it does not.
fn stop_app(data_dir: &Path) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while !app_pids(data_dir).is_empty() && Instant::now() < deadline {
        std::thread::sleep(POLL);
    }
    for pid in app_pids(data_dir) {
        eprintln!("ending app process {pid} left over by the test");
        let _ = Command::new("kill")
            .args(["-KILL", &pid.to_string()])
            .status();
    }
}

/// A running app under WebDriver, with its own data folder.
pub struct AppSession {
    pub driver: WebDriver,
    main_window: WindowHandle,
    data_dir: PathBuf,
}

impl AppSession {
    /// Start the app, run `body`, save a screenshot if it failed, and stop everything.
    pub async fn run<F, Fut>(test: &'static str, body: F)
    where
        F: FnOnce(Arc<AppSession>) -> Fut,
        Fut: Future<Output = Result<()>>,
    {
        AppSession::run_with(test, &[], body).await
    }

    /// As `run`, with `args` added to the app's command line.
    pub async fn run_with<F, Fut>(test: &'static str, args: &[String], body: F)
    where
        F: FnOnce(Arc<AppSession>) -> Fut,
        Fut: Future<Output = Result<()>>,
    {
        let Some(tools) = Tools::check() else {
            return;
        };
        let _one_at_a_time = SERIAL.lock().await;
        let data_dir = tempfile::tempdir().expect("temp data folder");
        let (driver, session) = match AppSession::open(&tools, test, data_dir.path(), args).await {
            Ok(opened) => opened,
            Err(e) => panic!("{test}: {e:#}"),
        };
        let log = driver.log.clone();

        let outcome = async {
            let session = Arc::new(session);
            let result = match tokio::time::timeout(TEST_TIMEOUT, body(Arc::clone(&session))).await
            {
                Ok(result) => result,
                Err(_) => Err(anyhow!("the test did not finish within {TEST_TIMEOUT:?}")),
            };
            if result.is_err() {
                let _ = session.screenshot(&format!("failed-{test}")).await;
            }
            let driver = session.driver.clone();
            drop(session);
            if tokio::time::timeout(Duration::from_secs(20), driver.quit())
                .await
                .is_err()
            {
                eprintln!("the WebDriver session did not end within 20 s");
            }
            result
        }
        .await;

        drop(driver);
        stop_app(data_dir.path());
        if let Err(e) = outcome {
            panic!(
                "{test}: {e:#}\n(tauri-driver and app log: {})",
                log.display()
            );
        }
    }

    /// Start tauri-driver and a session with the app. The native port tauri-driver is given
    /// was free when it was picked, but another process may take it before WebKitWebDriver
    /// listens on it: then it is tried again with other ports.
    async fn open(
        tools: &Tools,
        test: &str,
        data_dir: &Path,
        args: &[String],
    ) -> Result<(TauriDriver, AppSession)> {
        let mut last = None;
        for _ in 0..3 {
            let driver = TauriDriver::start(tools, test)?;
            let connected = tokio::time::timeout(
                SESSION_TIMEOUT,
                AppSession::connect(driver.port, data_dir, args),
            )
            .await
            .map_err(|_| anyhow!("no WebDriver session within {SESSION_TIMEOUT:?}"))
            .and_then(|r| r);
            match connected {
                Ok(session) => return Ok((driver, session)),
                Err(e) => {
                    let log = std::fs::read_to_string(&driver.log).unwrap_or_default();
                    if !log.contains("Unable to listen") {
                        return Err(e.context(format!(
                            "tauri-driver and app log: {}",
                            driver.log.display()
                        )));
                    }
                    eprintln!("{test}: WebKitWebDriver's port was taken meanwhile; trying again");
                    drop(driver);
                    stop_app(data_dir);
                    last = Some(e);
                }
            }
        }
        Err(last.unwrap_or_else(|| anyhow!("no WebDriver session")))
    }

    async fn connect(port: u16, data_dir: &Path, args: &[String]) -> Result<AppSession> {
        let mut caps = Capabilities::new();
        caps.set("browserName", "wry")?;
        let mut all = vec![
            "--sandbox".to_string(),
            "--data-dir".to_string(),
            data_dir.display().to_string(),
        ];
        all.extend(args.iter().cloned());
        caps.set(
            "tauri:options",
            serde_json::json!({
                "application": APP,
                "args": all,
            }),
        )?;
        let driver = WebDriver::new(format!("http://127.0.0.1:{port}"), caps)
            .await
            .context("start a WebDriver session with the app")?;
        let main_window = driver.window().await?;
        Ok(AppSession {
            driver,
            main_window,
            data_dir: data_dir.to_path_buf(),
        })
    }

    /// The process id of the app under test.
    pub fn app_pid(&self) -> Result<u32> {
        app_pids(&self.data_dir)
            .into_iter()
            .next()
            .context("the app process was not found")
    }

    /// The first element matching `css`, waiting up to `timeout` for it.
    pub async fn wait_for(&self, css: &str, timeout: Duration) -> Result<WebElement> {
        self.driver
            .query(By::Css(css))
            .wait(timeout, POLL)
            .first()
            .await
            .with_context(|| format!("{css} did not appear within {timeout:?}"))
    }

    /// Click the first element matching `css` once it appears. The sync status line is drawn
    /// again whenever the sync's state changes, so a button found a moment ago may be gone by
    /// the click: it is found again and clicked, until `timeout`.
    pub async fn click(&self, css: &str, timeout: Duration) -> Result<()> {
        let deadline = Instant::now() + timeout;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let clicked = match self.wait_for(css, left).await {
                Ok(el) => el.click().await.map_err(anyhow::Error::from),
                Err(e) => return Err(e),
            };
            match clicked {
                Ok(()) => return Ok(()),
                Err(e) if Instant::now() >= deadline => {
                    return Err(e.context(format!("{css} could not be clicked")))
                }
                Err(_) => tokio::time::sleep(POLL).await,
            }
        }
    }

    /// Run `step` again while it fails on an element the page has drawn again since `step`
    /// found it (the Items list redraws its rows when a sync cycle ends or record names
    /// arrive), until `timeout`. Any other failure ends it at once.
    pub async fn settled<T, F, Fut>(&self, timeout: Duration, mut step: F) -> Result<T>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<T>>,
    {
        let deadline = Instant::now() + timeout;
        loop {
            match step().await {
                Err(e) if is_stale(&e) && Instant::now() < deadline => {
                    tokio::time::sleep(POLL).await
                }
                done => return done,
            }
        }
    }

    /// Save a screenshot of the current window as `target/screenshots/<name>.png`.
    pub async fn screenshot(&self, name: &str) -> Result<()> {
        let dir = target_dir().join("screenshots");
        std::fs::create_dir_all(&dir)?;
        let path = dir.join(format!("{name}.png"));
        // Let the window paint what the DOM already holds (a window just shown has not yet).
        let painted = self.driver.execute_async(
            "const done = arguments[arguments.length - 1];\
             requestAnimationFrame(() => requestAnimationFrame(() => done(true)));",
            Vec::new(),
        );
        if tokio::time::timeout(Duration::from_secs(5), painted)
            .await
            .is_err()
        {
            eprintln!("the window did not report a painted frame within 5 s");
        }
        tokio::time::sleep(Duration::from_millis(300)).await;
        self.driver
            .screenshot(&path)
            .await
            .with_context(|| format!("save {}", path.display()))
    }

    /// Sign in as a demo user through the sandbox's sign-in window. With `screens`, save the
    /// sign-in screen and the demo-user picker.
    pub async fn sign_in_as(&self, address: &str, screens: bool) -> Result<()> {
        let button = self.wait_for("#sign-in", Duration::from_secs(30)).await?;
        let badge = self
            .driver
            .find(By::Id("sandbox-badge"))
            .await?
            .text()
            .await?;
        ensure!(
            badge == "Sandbox: demo organisation",
            "sandbox badge said {badge:?}"
        );
        if screens {
            self.screenshot("sign-in").await?;
        }
        button.click().await?;

        self.switch_to_signin_window(Duration::from_secs(30))
            .await?;
        let user = self
            .wait_for(&format!("[data-user='{address}']"), Duration::from_secs(30))
            .await?;
        if screens {
            self.screenshot("sandbox-picker").await?;
        }
        // The app closes the window once the redirect arrives, possibly before the click's
        // own navigation has been reported; the main window says whether it worked.
        if let Err(e) = user.click().await {
            eprintln!("clicking the demo user ended with: {e}");
        }
        self.driver
            .switch_to_window(self.main_window.clone())
            .await?;
        self.wait_for(
            &format!("#account[data-address='{address}']"),
            Duration::from_secs(60),
        )
        .await
        .context("the calendars screen did not show the signed-in account")?;
        Ok(())
    }

    /// Sign in to Salesforce from the Settings screen, through the sandbox's Salesforce sign-in
    /// window. The app sends the Microsoft 365 account's address as `login_hint`, and the
    /// sandbox's Salesforce signs in at once a demo user that hint names, so the window shows no
    /// picker: it is redirected, and the app closes it. Returns once Settings shows the account
    /// and its allowance.
    pub async fn crm_sign_in(&self) -> Result<()> {
        let button = self
            .wait_for("#crm-sign-in", Duration::from_secs(30))
            .await?;
        button.click().await?;
        let deadline = Instant::now() + Duration::from_secs(60);
        // The allowance is the last thing the screen fills in; nothing is redrawn after it.
        while self
            .driver
            .find(By::Css("#crm-allowance:not([data-state='checking'])"))
            .await
            .is_err()
        {
            if let Ok(error) = self
                .driver
                .find(By::Css("#settings-error:not([hidden])"))
                .await
            {
                bail!("the CRM sign-in failed: {}", error.text().await?);
            }
            ensure!(
                Instant::now() < deadline,
                "Settings did not show the CRM account within 60 s"
            );
            tokio::time::sleep(POLL).await;
        }
        let windows = self.driver.windows().await?;
        ensure!(
            windows.len() == 1,
            "the sign-in window is still open after signing in ({} windows)",
            windows.len()
        );
        Ok(())
    }

    /// Sign out of Microsoft 365 from the header; returns once the sign-in screen shows.
    pub async fn sign_out(&self) -> Result<()> {
        self.click("#sign-out", Duration::from_secs(30)).await?;
        self.wait_for("#signin-screen #sign-in", Duration::from_secs(30))
            .await
            .context("signing out did not lead back to the sign-in screen")?;
        Ok(())
    }

    /// Open Settings, sign in to Salesforce there unless the account signed in already is,
    /// and go back. Returns the CRM user id Settings shows.
    pub async fn crm_sign_in_from_settings(&self) -> Result<String> {
        self.driver
            .find(By::Id("open-settings"))
            .await?
            .click()
            .await?;
        self.wait_for(
            "#crm-body[data-state='signed_out'], #crm-body[data-state='signed_in']",
            Duration::from_secs(30),
        )
        .await?;
        if self.driver.find(By::Id("crm-sign-in")).await.is_ok() {
            self.crm_sign_in().await?;
        }
        let user = self
            .wait_for(
                "#crm-account [data-field='user-id']",
                Duration::from_secs(30),
            )
            .await?
            .text()
            .await?;
        self.driver
            .find(By::Id("settings-back"))
            .await?
            .click()
            .await?;
        self.wait_for("#calendars-screen", Duration::from_secs(10))
            .await?;
        Ok(user)
    }

    async fn switch_to_signin_window(&self, timeout: Duration) -> Result<()> {
        let deadline = Instant::now() + timeout;
        loop {
            let windows = self.driver.windows().await?;
            if let Some(other) = windows.into_iter().find(|w| *w != self.main_window) {
                self.driver.switch_to_window(other).await?;
                return Ok(());
            }
            ensure!(
                Instant::now() < deadline,
                "the sandbox sign-in window did not open within {timeout:?}"
            );
            tokio::time::sleep(POLL).await;
        }
    }

    /// The card of `owner`'s calendar, once a refresh has finished.
    pub async fn calendar_of(&self, owner: &str) -> Result<WebElement> {
        let css = format!("#calendars article.calendar[data-owner='{owner}']");
        self.wait_for(&css, Duration::from_secs(60)).await?;
        self.driver
            .query(By::Id("progress"))
            .wait(Duration::from_secs(60), POLL)
            .and_not_displayed()
            .first()
            .await
            .context("the refresh did not finish within 60 s")?;
        if let Ok(error) = self.driver.find(By::Css("#error:not([hidden])")).await {
            bail!("the app shows an error: {}", error.text().await?);
        }
        // Found again after the refresh, so the element is the one on screen now.
        Ok(self.driver.find(By::Css(&css)).await?)
    }
}

/// The text of the first element below `el` that matches `css`.
/// Whether an error is WebDriver's "stale element reference".
fn is_stale(e: &anyhow::Error) -> bool {
    e.chain().any(|cause| {
        cause.downcast_ref::<WebDriverError>().is_some_and(|e| {
            matches!(
                e.as_inner(),
                thirtyfour::error::WebDriverErrorInner::StaleElementReference(_)
            )
        })
    })
}

pub async fn text_of(el: &WebElement, css: &str) -> Result<String> {
    Ok(el.find(By::Css(css)).await?.text().await?)
}
