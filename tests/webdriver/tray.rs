//! The tray, read the way a desktop's tray host reads it: the StatusNotifierItem and its
//! dbusmenu on the session bus.

use std::collections::HashMap;
use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{bail, ensure, Context, Result};
use thirtyfour::prelude::*;
use zbus::zvariant::{OwnedValue, Value};
use zbus::{Connection, Proxy};

use crate::harness::{AppSession, DEMO_EXECUTIVE};

const ITEMS_PATH: &str = "/org/ayatana/NotificationItem";
const EMMA: &str = "emma.chen@contoso.com";

type MenuNode = (i32, HashMap<String, OwnedValue>, Vec<OwnedValue>);

/// The app's tray item: its bus name and object path.
struct Tray {
    conn: Connection,
    name: String,
    path: String,
}

impl Tray {
    /// Find the item exported by process `pid`.
    async fn of_process(pid: u32) -> Result<Tray> {
        let conn = Connection::session().await?;
        let bus = zbus::fdo::DBusProxy::new(&conn).await?;
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            for name in bus.list_names().await? {
                if !name.starts_with(':') {
                    continue;
                }
                let owner = zbus::names::BusName::from(name.clone());
                if bus.get_connection_unix_process_id(owner).await.ok() != Some(pid) {
                    continue;
                }
                if let Some(path) = item_path(&conn, name.as_str()).await? {
                    return Ok(Tray {
                        conn,
                        name: name.to_string(),
                        path,
                    });
                }
            }
            ensure!(
                Instant::now() < deadline,
                "process {pid} exported no tray item within 20 s"
            );
            tokio::time::sleep(Duration::from_millis(250)).await;
        }
    }

    async fn proxy(&self, path: &str, interface: &'static str) -> Result<Proxy<'static>> {
        Ok(Proxy::new(&self.conn, self.name.clone(), path.to_string(), interface).await?)
    }

    /// The RGBA pixels of the icon the tray shows now.
    async fn icon(&self) -> Result<(u32, u32, Vec<u8>)> {
        let item = self.proxy(&self.path, "org.kde.StatusNotifierItem").await?;
        let file: String = item.get_property("IconName").await?;
        decode_png(Path::new(&file))
    }

    /// Wait until the tray shows the icon drawn in `icons/<file>`.
    async fn wait_for_icon(&self, file: &str, timeout: Duration) -> Result<()> {
        let wanted = decode_png(
            &Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../icons")
                .join(file),
        )?;
        let deadline = Instant::now() + timeout;
        loop {
            // The icon file is replaced on every change; a read can race with that.
            if let Ok(shown) = self.icon().await {
                if shown == wanted {
                    return Ok(());
                }
            }
            ensure!(
                Instant::now() < deadline,
                "the tray did not show {file} within {timeout:?}"
            );
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }

    /// The menu's items as (id, label, toggle type), separators left out.
    async fn menu(&self) -> Result<Vec<(i32, String, String)>> {
        let menu = self
            .proxy(&format!("{}/Menu", self.path), "com.canonical.dbusmenu")
            .await?;
        let (_revision, (_root, _props, children)): (u32, MenuNode) = menu
            .call("GetLayout", &(0i32, -1i32, Vec::<String>::new()))
            .await
            .context("read the tray menu")?;
        let mut items = Vec::new();
        for child in children {
            let (id, props, _) = MenuNode::try_from(child).context("a tray menu item")?;
            let text = |key: &str| {
                props
                    .get(key)
                    .and_then(|v| String::try_from(v.clone()).ok())
                    .unwrap_or_default()
            };
            if text("type") == "separator" {
                continue;
            }
            items.push((id, text("label"), text("toggle-type")));
        }
        Ok(items)
    }

    async fn click(&self, id: i32) -> Result<()> {
        let menu = self
            .proxy(&format!("{}/Menu", self.path), "com.canonical.dbusmenu")
            .await?;
        let () = menu
            .call("Event", &(id, "clicked", Value::from(0i32), 0u32))
            .await
            .context("click a tray menu item")?;
        Ok(())
    }
}

/// The id of the tray menu item with this label.
fn item_id(menu: &[(i32, String, String)], label: &str) -> Result<i32> {
    menu.iter()
        .find(|m| m.1 == label)
        .map(|m| m.0)
        .with_context(|| format!("no \"{label}\" in the tray menu: {menu:?}"))
}

async fn item_path(conn: &Connection, name: &str) -> Result<Option<String>> {
    let introspect = zbus::fdo::IntrospectableProxy::builder(conn)
        .destination(name.to_string())?
        .path(ITEMS_PATH)?
        .build()
        .await?;
    let Ok(xml) = introspect.introspect().await else {
        return Ok(None);
    };
    let child = xml
        .split("<node name=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .filter(|n| !n.is_empty());
    Ok(child.map(|c| format!("{ITEMS_PATH}/{c}")))
}

fn decode_png(path: &Path) -> Result<(u32, u32, Vec<u8>)> {
    let file = std::fs::File::open(path).with_context(|| format!("open {}", path.display()))?;
    let mut reader = png::Decoder::new(std::io::BufReader::new(file)).read_info()?;
    let Some(size) = reader.output_buffer_size() else {
        bail!("{} is too large", path.display());
    };
    let mut pixels = vec![0; size];
    let frame = reader.next_frame(&mut pixels)?;
    ensure!(
        frame.color_type == png::ColorType::Rgba && frame.bit_depth == png::BitDepth::Eight,
        "{} is not 8-bit RGBA",
        path.display()
    );
    pixels.truncate(frame.buffer_size());
    Ok((frame.width, frame.height, pixels))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tray_menu_and_icon_follow_the_app() {
    AppSession::run("tray", |app| async move {
        let tray = Tray::of_process(app.app_pid()?).await?;
        tray.wait_for_icon("tray-signed-out.png", Duration::from_secs(20))
            .await
            .context("signed out, the tray should show its signed-out icon")?;

        let menu = tray.menu().await?;
        let labels: Vec<&str> = menu.iter().map(|(_, label, _)| label.as_str()).collect();
        ensure!(
            labels
                == [
                    "Open Onbehalf",
                    "Problems",
                    "Sync now",
                    "Pause sync",
                    "Refresh calendars",
                    "Start at login",
                    "Quit"
                ],
            "tray menu was {labels:?}"
        );
        ensure!(
            menu[5].2 == "checkmark",
            "Start at login should be a check item: {:?}",
            menu[5]
        );

        app.sign_in_as(EMMA, false).await?;
        app.calendar_of(DEMO_EXECUTIVE).await?;
        app.wait_for("#sync-line[data-state='off']", Duration::from_secs(20))
            .await?;
        tray.wait_for_icon("tray-paused.png", Duration::from_secs(20))
            .await
            .context("signed in with sync off, the tray should show paused")?;

        // Sync on (after its preview), its first cycle done: the tray shows ok.
        app.crm_sign_in_from_settings().await?;
        app.click("#sync-turn-on", Duration::from_secs(60)).await?;
        app.click("#sync-preview-confirm", Duration::from_secs(60))
            .await?;
        app.wait_for(
            "#sync-line[data-state='on'] [data-field='last-run'][data-ago]",
            Duration::from_secs(60),
        )
        .await
        .context("the first sync did not run")?;
        tray.wait_for_icon("tray-ok.png", Duration::from_secs(20))
            .await
            .context("signed in with sync on, the tray should show ok")?;

        // The tray's refresh reaches the window through the calendars-updated event.
        app.driver
            .execute(
                "document.getElementById('refreshed-at').replaceChildren();",
                Vec::new(),
            )
            .await?;
        tray.click(item_id(&menu, "Refresh calendars")?).await?;
        app.driver
            .query(By::Css("#refreshed-at [data-ago]"))
            .wait(Duration::from_secs(30), Duration::from_millis(200))
            .first()
            .await
            .context("the window did not show the tray's refresh")?;
        tray.wait_for_icon("tray-ok.png", Duration::from_secs(20))
            .await?;

        // The tray's Problems item opens the window at the Problems view.
        tray.click(item_id(&menu, "Problems")?).await?;
        app.wait_for("#problems-screen", Duration::from_secs(20))
            .await
            .context("the tray's Problems item did not open the Problems view")?;
        app.wait_for("#problems-empty", Duration::from_secs(30))
            .await
            .context("with nothing wrong, the Problems view should say so")?;

        // Paused from the tray: the window's status line and the tray show it, and the item
        // now leads to turning it on again.
        let menu = tray.menu().await?;
        tray.click(item_id(&menu, "Pause sync")?).await?;
        app.wait_for("#sync-line[data-state='off']", Duration::from_secs(20))
            .await
            .context("the tray's Pause sync did not reach the status line")?;
        tray.wait_for_icon("tray-paused.png", Duration::from_secs(20))
            .await
            .context("with sync paused, the tray should show paused")?;
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let labels: Vec<String> = tray.menu().await?.into_iter().map(|m| m.1).collect();
            if labels.iter().any(|l| l == "Turn sync on…") {
                break;
            }
            ensure!(
                Instant::now() < deadline,
                "with sync off the tray should offer to turn it on: {labels:?}"
            );
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        Ok(())
    })
    .await;
}
