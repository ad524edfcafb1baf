//! The Settings screen: opening it and leaving it from the keyboard, signing in to the
//! sandbox's Salesforce, its API allowance, the sync settings, and signing out of it again.

use std::time::Duration;

use anyhow::{ensure, Context};
use thirtyfour::prelude::*;

use crate::harness::{text_of, AppSession, DEMO_EXECUTIVE};

const DANIEL: &str = "daniel.reyes@contoso.com";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_delegate_signs_in_to_salesforce_and_out_again_from_settings() {
    AppSession::run("settings-crm", |app| async move {
        app.sign_in_as(DANIEL, false).await?;
        app.calendar_of(DEMO_EXECUTIVE).await?;

        // Settings opens from the header and Escape leads back, with the focus where it was.
        app.driver
            .find(By::Id("open-settings"))
            .await?
            .click()
            .await?;
        app.wait_for("#settings-screen", Duration::from_secs(10))
            .await?;
        app.driver
            .active_element()
            .await?
            .send_keys(Key::Escape)
            .await?;
        app.wait_for("#calendars-screen", Duration::from_secs(10))
            .await
            .context("Escape did not lead back to the calendars")?;
        let focused = app.driver.active_element().await?.id().await?;
        ensure!(
            focused.as_deref() == Some("open-settings"),
            "after Escape the focus was on {focused:?}, not the Settings button"
        );
        app.driver
            .active_element()
            .await?
            .send_keys(Key::Enter)
            .await?;
        app.wait_for("#settings-screen #crm-sign-in", Duration::from_secs(30))
            .await
            .context("Settings, opened from the keyboard, did not offer the CRM sign-in")?;

        app.crm_sign_in().await?;
        let account = app.driver.find(By::Id("crm-account")).await?;
        let name = text_of(&account, "[data-field='name']").await?;
        let email = text_of(&account, "[data-field='email']").await?;
        ensure!(name == "Daniel Reyes", "the CRM name was {name:?}");
        ensure!(email == DANIEL, "the CRM e-mail was {email:?}");
        let org_id = text_of(&account, "[data-field='org-id']").await?;
        let user_id = text_of(&account, "[data-field='user-id']").await?;
        ensure!(
            org_id.starts_with("00D") && org_id.len() == 18,
            "the org id shown is not a Salesforce org id: {org_id:?}"
        );
        ensure!(
            user_id.starts_with("005") && user_id.len() == 18,
            "the user id shown is not a Salesforce user id: {user_id:?}"
        );
        let instance = text_of(&account, "[data-field='instance']").await?;
        ensure!(
            instance.starts_with("http://127.0.0.1:"),
            "the instance shown is not the sandbox's: {instance:?}"
        );

        let allowance = app
            .wait_for("#crm-allowance[data-state='read']", Duration::from_secs(30))
            .await
            .context("the API allowance was not shown")?;
        let left = text_of(&allowance, "[data-field='allowance']").await?;
        ensure!(
            left.contains(" of ") && left.ends_with("requests left"),
            "the allowance reads {left:?}"
        );
        app.screenshot("settings-crm").await?;

        // The allowance is asked of Salesforce again on Refresh.
        app.driver
            .find(By::Id("crm-refresh"))
            .await?
            .click()
            .await?;
        let allowance = app
            .wait_for("#crm-allowance[data-state='read']", Duration::from_secs(30))
            .await
            .context("the API allowance was not shown again after Refresh")?;
        let again = text_of(&allowance, "[data-field='allowance']").await?;
        ensure!(
            again.ends_with("requests left"),
            "after Refresh the allowance reads {again:?}"
        );

        // The sync settings: a changed interval is kept and read back; private sync is not
        // offered (the sandbox's policy does not allow it); direct share lists Olivia.
        let interval = app
            .wait_for("#sync-section #sync-interval", Duration::from_secs(30))
            .await?;
        ensure!(
            interval.prop("value").await?.as_deref() == Some("5"),
            "the sync interval was not the default 5 minutes"
        );
        interval.send_keys(Key::Control + "a").await?;
        interval.send_keys("10").await?;
        ensure!(
            app.driver.find(By::Id("sync-private")).await.is_err(),
            "private sync is offered although the policy does not allow it"
        );
        app.driver
            .find(By::Css(format!(
                "#direct-share input[data-owner='{DEMO_EXECUTIVE}']"
            )))
            .await
            .context("direct share does not list Olivia")?;
        // Notifications: connection problems are not to be told (they are still listed).
        let connection = app.driver.find(By::Id("notify-connection")).await?;
        connection.scroll_into_view().await?;
        connection.click().await?;
        let section = app.driver.find(By::Id("sync-section")).await?;
        section.scroll_into_view().await?;
        app.driver
            .find(By::Id("sync-settings-save"))
            .await?
            .click()
            .await?;
        app.driver
            .query(By::Css("#sync-settings-status"))
            .with_text("Saved.")
            .wait(Duration::from_secs(30), Duration::from_millis(200))
            .first()
            .await
            .context("saving the sync settings did not say so")?;
        app.driver
            .execute(
                "document.getElementById('sync-settings-save').scrollIntoView({block: 'end'});",
                Vec::new(),
            )
            .await?;
        app.screenshot("settings-sync").await?;
        app.driver
            .find(By::Id("settings-back"))
            .await?
            .click()
            .await?;
        app.driver
            .find(By::Id("open-settings"))
            .await?
            .click()
            .await?;
        // The form is drawn again from what was kept.
        app.wait_for(
            "#sync-section #sync-interval[value='10']",
            Duration::from_secs(30),
        )
        .await
        .context("the sync interval was not read back as 10 minutes")?;
        app.wait_for(
            "#notify-kinds #notify-connection:not(:checked)",
            Duration::from_secs(30),
        )
        .await
        .context("the silenced kind was not read back")?;
        ensure!(
            app.driver
                .find(By::Css("#notify-kinds #notify-sign_in:checked"))
                .await
                .is_ok(),
            "a kind left alone was not read back as notifying"
        );
        // Settings asks Salesforce for the allowance again on opening; its buttons follow.
        app.wait_for("#crm-allowance[data-state='read']", Duration::from_secs(30))
            .await?;

        app.driver
            .find(By::Id("crm-sign-out"))
            .await?
            .click()
            .await?;
        app.wait_for("#crm-sign-in", Duration::from_secs(30))
            .await
            .context("signing out of Salesforce did not lead back to its sign-in button")?;
        ensure!(
            app.driver.find(By::Id("crm-account")).await.is_err(),
            "the CRM account is still shown after signing out"
        );
        if let Ok(note) = app
            .driver
            .find(By::Css("#crm-left-behind:not([hidden])"))
            .await
        {
            eprintln!("signing out of Salesforce left: {}", note.text().await?);
        }
        app.screenshot("settings-crm-signed-out").await?;

        // Back to the calendars: the Microsoft 365 sign-in is untouched.
        app.driver
            .find(By::Id("settings-back"))
            .await?
            .click()
            .await?;
        app.calendar_of(DEMO_EXECUTIVE).await?;
        Ok(())
    })
    .await;
}
