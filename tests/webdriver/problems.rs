//! The Problems view with a problem the sandbox really causes: Olivia Grant turns her sync on,
//! then signs out of Salesforce; her next sync cannot reach the CRM for her, and the problem is
//! listed with what fixes it and who can, retried, and dismissed.

use std::time::Duration;

use anyhow::{ensure, Context};
use thirtyfour::prelude::*;

use crate::harness::{text_of, AppSession, DEMO_EXECUTIVE};

const LONG: Duration = Duration::from_secs(60);
const ENTRY: &str = "#problems .problem-entry[data-cause='crm_sign_in_expired']";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_problem_of_the_sync_is_listed_with_its_fix_retried_and_dismissed() {
    AppSession::run("problems", |app| async move {
        app.sign_in_as(DEMO_EXECUTIVE, false).await?;
        app.calendar_of(DEMO_EXECUTIVE).await?;
        app.crm_sign_in_from_settings().await?;
        app.click("#sync-line[data-state='off'] #sync-turn-on", LONG)
            .await?;
        app.click("#sync-preview-confirm", LONG).await?;
        app.wait_for(
            "#sync-line[data-state='on'] [data-field='last-run'][data-ago]",
            Duration::from_secs(120),
        )
        .await
        .context("the first sync did not run")?;

        // She signs out of Salesforce; the next sync has no CRM to save to.
        app.click("#open-settings", LONG).await?;
        app.click("#crm-sign-out:not([disabled])", LONG)
            .await
            .context("Sign out of Salesforce")?;
        app.wait_for("#crm-sign-in", LONG).await?;
        app.click("#settings-back", LONG).await?;
        app.click("#sync-now:not([disabled])", LONG)
            .await
            .context("Sync now")?;

        app.wait_for("#sync-line[data-state='stopped']", LONG)
            .await
            .context("the sync did not stop on the missing CRM sign-in")?;

        // The status line counts the problem and opens the Problems view.
        app.click("#sync-problems", LONG)
            .await
            .context("the status line does not count the problem")?;
        let entry = app
            .wait_for(ENTRY, LONG)
            .await
            .context("the Problems view does not list the CRM sign-in")?;
        let heading = text_of(&entry, "h3").await?;
        ensure!(heading == "Your account", "the heading was {heading:?}");
        let message = text_of(&entry, "[data-field='message']").await?;
        ensure!(
            message.contains("Sign in to the CRM again"),
            "the message was {message:?}"
        );
        let who = text_of(&entry, "[data-field='who']").await?;
        ensure!(who.ends_with("You"), "who can fix it: {who:?}");
        let times = text_of(&entry, "[data-field='times']").await?;
        ensure!(times.starts_with("First seen"), "the times read {times:?}");
        let fix = text_of(&entry, "button[data-action='fix']").await?;
        ensure!(fix == "Open Settings", "the fix button reads {fix:?}");
        app.screenshot("problems").await?;

        // Retry now syncs again; the cause is still there, so the problem stays. (The list is
        // read again when a cycle ends, so each step finds its element afresh.)
        app.click(&format!("{ENTRY} button[data-action='retry']"), LONG)
            .await?;
        app.wait_for("#problems-notice:not([hidden])", LONG).await?;
        app.wait_for("#sync-line[data-state='stopped']", LONG)
            .await
            .context("the retried sync did not stop on the missing CRM sign-in")?;
        app.wait_for(ENTRY, LONG)
            .await
            .context("the problem left the list although its cause is still there")?;

        // Dismissed, it leaves the list and the status line's count.
        app.click(&format!("{ENTRY} button[data-action='dismiss']"), LONG)
            .await?;
        app.wait_for("#problems-empty", LONG)
            .await
            .context("the dismissed problem is still listed")?;
        let notice = app
            .wait_for("#problems-notice-text", LONG)
            .await?
            .text()
            .await?;
        ensure!(
            notice.contains("only if something about it changes"),
            "the notice read {notice:?}"
        );
        app.driver
            .query(By::Id("sync-problems"))
            .wait(LONG, Duration::from_millis(200))
            .not_exists()
            .await
            .context("the status line still counts the dismissed problem")?;

        // Open Settings from the problem would have led to the sign-in: it is there.
        app.driver
            .find(By::Id("open-settings"))
            .await?
            .click()
            .await?;
        app.wait_for("#crm-sign-in", LONG).await?;
        ensure!(
            app.driver.find(By::Id("crm-account")).await.is_err(),
            "the CRM account is shown although signed out"
        );
        Ok(())
    })
    .await;
}
