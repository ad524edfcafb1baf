//! The administrator's policy in the app: settings it locks are shown disabled with who set
//! them, private sync it forbids is not offered, and a profile without calendar sync takes the
//! sync away with its reason, in the status line and in Settings.

use std::time::Duration;

use anyhow::{ensure, Context};
use thirtyfour::prelude::*;

use crate::harness::{AppSession, DEMO_EXECUTIVE};

const DANIEL: &str = "daniel.reyes@contoso.com";

/// Daniel's group, Executive Assistants, gets a profile without calendar sync; the interval is
/// locked and private items may not be synced.
const POLICY: &str = r#"
sync_interval_minutes = 30
allow_private_sync = false
admin_contact = "the IT service desk (ext. 4400)"

[profiles.scheduling_only]
calendar_sync = false

[[assign]]
profile = "scheduling_only"
groups = ["Executive Assistants (0e6f3a2d-8b1c-4f5e-9a7d-2c4b6e8f1a31)"]
"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn locked_settings_show_who_set_them_and_a_profile_without_sync_says_why() {
    let dir = tempfile::tempdir().expect("a folder for the policy");
    let file = dir.path().join("policy.toml");
    std::fs::write(&file, POLICY).expect("write the policy");
    let args = vec!["--policy-file".to_string(), file.display().to_string()];
    AppSession::run_with("settings-policy", &args, |app| async move {
        app.sign_in_as(DANIEL, false).await?;
        app.calendar_of(DEMO_EXECUTIVE).await?;

        let note = app
            .wait_for("#sync-not-granted", Duration::from_secs(30))
            .await
            .context("the status line did not say sync is not available")?;
        let why = note.text().await?;
        ensure!(
            why.contains("\"scheduling_only\"") && why.contains("Executive Assistants"),
            "the status line said {why:?}"
        );
        ensure!(
            app.driver
                .find_all(By::Id("sync-turn-on"))
                .await?
                .is_empty(),
            "Turn on sync was offered to a profile without calendar sync"
        );

        app.click("#open-settings", Duration::from_secs(10)).await?;
        let interval = app
            .wait_for("#sync-interval", Duration::from_secs(30))
            .await
            .context("the sync settings were not shown")?;
        ensure!(
            interval.prop("disabled").await?.as_deref() == Some("true"),
            "the locked interval can be edited"
        );
        ensure!(
            interval.value().await?.as_deref() == Some("30"),
            "the interval shown is not the administrator's"
        );
        let field = app.driver.find(By::Css("[data-locked='true']")).await?;
        let lock = field
            .find(By::Css("[data-field='lock']"))
            .await?
            .text()
            .await?;
        ensure!(
            lock.contains("set by your administrator"),
            "the lock reads {lock:?}"
        );
        ensure!(
            app.driver
                .find_all(By::Id("sync-private"))
                .await?
                .is_empty(),
            "private sync was offered though policy forbids it"
        );
        let off = app
            .driver
            .find(By::Id("sync-private-off"))
            .await?
            .text()
            .await?;
        ensure!(
            off.contains("not allow"),
            "the private sync line reads {off:?}"
        );
        interval.scroll_into_view().await?;
        app.screenshot("settings-locked").await?;

        let feature = app
            .wait_for(
                "#policy-features [data-feature='calendar sync']",
                Duration::from_secs(30),
            )
            .await
            .context("the policy section did not list the profile's features")?;
        ensure!(
            feature.attr("data-granted").await?.as_deref() == Some("false"),
            "calendar sync is shown as granted"
        );
        let reason = feature.text().await?;
        ensure!(
            reason.contains("the IT service desk (ext. 4400)"),
            "the feature line reads {reason:?}"
        );
        let profile = app
            .driver
            .find(By::Id("policy-profile"))
            .await?
            .text()
            .await?;
        ensure!(
            profile.contains("scheduling_only"),
            "the profile reads {profile:?}"
        );
        app.driver
            .find(By::Id("policy-section"))
            .await?
            .scroll_into_view()
            .await?;
        app.screenshot("settings-policy").await?;
        Ok(())
    })
    .await;
}
