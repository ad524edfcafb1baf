//! Sharing an executive's meeting into the CRM from the Items view, as her delegate, and seeing
//! it saved by the executive's own Onbehalf, owned by her.
//!
//! The app runs on one data folder with its embedded sandbox, so both people use this one app
//! in turn: Daniel Reyes shares Olivia Grant's meeting (it waits for her Onbehalf), signs out;
//! Olivia signs in, turns her sync on after its preview (her sync makes the CRM event), signs
//! out; Daniel signs in again and sees the meeting shared, in Olivia's CRM calendar. A second
//! share waits for Olivia's Onbehalf, and Daniel withdraws it after the Unshare question.

use std::time::Duration;

use anyhow::{ensure, Context, Result};
use thirtyfour::prelude::*;

use crate::harness::{text_of, AppSession, DEMO_EXECUTIVE};

const DANIEL: &str = "daniel.reyes@contoso.com";
/// A meeting on Olivia's calendar five days ahead; its attendee is a contact in the CRM.
const SUBJECT: &str = "Call with Fabrikam Japan";
const ATTENDEE_CONTACT: &str = "Haruto Sato";
const LONG: Duration = Duration::from_secs(60);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_delegate_shares_a_meeting_and_the_executives_sync_saves_it_owned_by_her() {
    AppSession::run("sharing", |app| async move {
        // Daniel, signed in to Microsoft 365 and Salesforce, opens Olivia's Items.
        app.sign_in_as(DANIEL, false).await?;
        app.calendar_of(DEMO_EXECUTIVE).await?;
        app.crm_sign_in_from_settings().await?;
        open_items_from_card(&app, DEMO_EXECUTIVE).await?;
        find_item(&app, SUBJECT).await?;
        // The list may be drawn again at any step: each step finds the row afresh.
        let app_ = &app;
        app.settled(LONG, || async move {
            let row = find_item_unfiltered(app_, SUBJECT).await?;
            ensure!(
                row.attr("data-share").await?.as_deref() == Some("none"),
                "the meeting is shared already: {}",
                row.text().await?
            );
            // The Share dialog suggests the attendee's contact and finds the account by search.
            row.find(By::Css("button[data-action='share']"))
                .await?
                .click()
                .await?;
            Ok(())
        })
        .await?;
        let dialog = app.wait_for("#share-dialog", LONG).await?;
        let contact = app
            .wait_for(
                "#share-suggestions li.record[data-record-type='contact']",
                LONG,
            )
            .await
            .context("no contact was suggested from the attendees")?;
        let name = text_of(&contact, ".record-name").await?;
        ensure!(
            name == ATTENDEE_CONTACT,
            "the suggested contact was {name:?}"
        );
        contact
            .find(By::Css("button.choose"))
            .await?
            .click()
            .await?;
        app.wait_for("#share-slots [data-slot='person'][data-record-id]", LONG)
            .await
            .context("choosing the contact did not fill the person slot")?;
        dialog
            .find(By::Id("share-search"))
            .await?
            .send_keys("Fabrikam")
            .await?;
        let account = app
            .driver
            .query(By::XPath(
                "//ul[@id='share-results']/li[@data-record-type='account']\
                 [.//span[@class='record-name' and text()='Fabrikam Japan']]",
            ))
            .wait(LONG, Duration::from_millis(200))
            .first()
            .await
            .context("searching the CRM did not find the account Fabrikam Japan")?;
        account
            .find(By::Css("button.choose"))
            .await?
            .click()
            .await?;
        app.wait_for("#share-slots [data-slot='about'][data-record-id]", LONG)
            .await
            .context("choosing the account did not fill the about slot")?;
        app.screenshot("share-dialog").await?;

        // Enter shares; Olivia's Onbehalf (sync on) is to save it, so it waits for her.
        app.driver
            .find(By::Id("share-submit"))
            .await?
            .send_keys(Key::Enter)
            .await?;
        let outcome = app.wait_for("#share-outcome", LONG).await?;
        let said = outcome.text().await?;
        ensure!(
            outcome.attr("data-share").await?.as_deref() == Some("pending"),
            "the share did not wait for Olivia's Onbehalf: {said}"
        );
        ensure!(
            said.contains("Waiting for Olivia Grant's Onbehalf"),
            "the outcome said {said:?}"
        );
        app.driver
            .active_element()
            .await?
            .send_keys(Key::Escape)
            .await?;
        app.driver
            .query(By::Id("share-dialog"))
            .wait(LONG, Duration::from_millis(200))
            .not_exists()
            .await
            .context("Escape did not close the Share dialog")?;
        find_item(&app, SUBJECT).await?;
        let waiting = app
            .settled(LONG, || async move {
                let row = find_item_unfiltered(app_, SUBJECT).await?;
                ensure!(row.attr("data-share").await?.as_deref() == Some("pending"));
                text_of(&row, "[data-field='waiting']").await
            })
            .await?;
        ensure!(
            waiting.contains("Olivia Grant"),
            "the row's waiting text was {waiting:?}"
        );
        app.sign_out().await?;

        // Olivia turns her sync on; the preview counts the share waiting for her.
        app.sign_in_as(DEMO_EXECUTIVE, false).await?;
        app.calendar_of(DEMO_EXECUTIVE).await?;
        let olivia_crm = app.crm_sign_in_from_settings().await?;
        app.click("#sync-line[data-state='off'] #sync-turn-on", LONG)
            .await?;
        let preview = app
            .wait_for("#sync-preview #sync-preview-text", LONG)
            .await
            .context("turning sync on showed no preview")?
            .text()
            .await?;
        ensure!(
            preview.contains("create in the CRM 1"),
            "the preview said {preview:?}"
        );
        app.screenshot("sync-preview").await?;
        app.click("#sync-preview-confirm", LONG).await?;
        app.wait_for(
            "#sync-line[data-state='on'] [data-field='last-run'][data-ago]",
            Duration::from_secs(120),
        )
        .await
        .context("the first sync did not run")?;
        app.click("#nav-items", LONG).await?;
        find_item(&app, SUBJECT).await?;
        let olivia_crm_ = olivia_crm.as_str();
        app.settled(LONG, || async move {
            let row = find_item_unfiltered(app_, SUBJECT).await?;
            let crm = row.find(By::Css("[data-field='crm']")).await?;
            ensure!(
                crm.attr("data-crm-owner").await?.as_deref() == Some(olivia_crm_),
                "in Olivia's own Items, the event is not hers: {}",
                row.text().await?
            );
            Ok(())
        })
        .await?;
        app.sign_out().await?;

        // Daniel sees the meeting shared, its CRM event owned by Olivia.
        app.sign_in_as(DANIEL, false).await?;
        app.calendar_of(DEMO_EXECUTIVE).await?;
        app.crm_sign_in_from_settings().await?;
        open_items_from_card(&app, DEMO_EXECUTIVE).await?;
        find_item(&app, SUBJECT).await?;
        app.settled(LONG, || async move {
            let row = find_item_unfiltered(app_, SUBJECT).await?;
            ensure!(
                row.attr("data-share").await?.as_deref() == Some("shared"),
                "Daniel does not see the meeting shared: {}",
                row.text().await?
            );
            let crm = row.find(By::Css("[data-field='crm']")).await?;
            ensure!(
                crm.attr("data-crm-owner").await?.as_deref() == Some(olivia_crm_),
                "the CRM event's owner is not Olivia's CRM user {olivia_crm_}: {}",
                crm.text().await?
            );
            let said = crm.text().await?;
            ensure!(
                said.contains("Olivia Grant's CRM calendar"),
                "the row said {said:?}"
            );
            ensure!(
                row.find(By::Css("button[data-action='unshare']"))
                    .await
                    .is_ok(),
                "a shared meeting offers no Unshare to its delegate"
            );
            Ok(())
        })
        .await?;

        // A second Fabrikam meeting shared now, while Olivia's Onbehalf is not running, waits
        // for it; the search keeps the list to the customer's meetings, for the README.
        clear_search(&app).await?;
        app.driver
            .find(By::Id("items-search"))
            .await?
            .send_keys("Fabrikam")
            .await?;
        find_item_unfiltered(&app, SUBJECT).await?;
        let next_id = app
            .settled(LONG, || async move {
                let next = app_
                    .driver
                    .query(By::Css("#items li.item button[data-action='share']"))
                    .wait(LONG, Duration::from_millis(200))
                    .first()
                    .await
                    .context("no other meeting to share")?;
                next.find(By::XPath("ancestor::li[@data-item-id]"))
                    .await?
                    .attr("data-item-id")
                    .await?
                    .context("the row's item id")
            })
            .await?;
        app.click(
            &format!("#items li.item[data-item-id='{next_id}'] button[data-action='share']"),
            LONG,
        )
        .await?;
        app.wait_for("#share-submit", LONG).await?.click().await?;
        let outcome = app.wait_for("#share-outcome", LONG).await?;
        ensure!(
            outcome.attr("data-share").await?.as_deref() == Some("pending"),
            "the second share did not wait: {}",
            outcome.text().await?
        );
        app.driver.find(By::Id("share-done")).await?.click().await?;
        let pending = format!("#items li.item[data-item-id='{next_id}'][data-share='pending']");
        let pending = pending.as_str();
        let waiting = app
            .settled(LONG, || async move {
                let row = app_.wait_for(pending, LONG).await?;
                text_of(&row, "[data-field='waiting']").await
            })
            .await?;
        ensure!(
            waiting == "Waiting for Olivia Grant's Onbehalf to save it.",
            "the second share's row said {waiting:?}"
        );
        app.driver
            .execute(
                "document.querySelector('.scroller').scrollTo(0, 0);",
                Vec::new(),
            )
            .await?;
        app.screenshot("items").await?;

        // Unsharing asks first, then withdraws the waiting share; the meeting stays.
        app.click(
            &format!("#items li.item[data-item-id='{next_id}'] button[data-action='unshare']"),
            LONG,
        )
        .await?;
        let question = app.wait_for("#unshare-dialog", LONG).await?.text().await?;
        ensure!(
            question.contains("withdrawn") && question.contains("stays in Outlook"),
            "the Unshare question said {question:?}"
        );
        app.driver
            .find(By::Id("unshare-dialog-confirm"))
            .await?
            .click()
            .await?;
        app.wait_for(
            &format!("#items li.item[data-item-id='{next_id}'][data-share='none']"),
            LONG,
        )
        .await
        .context("the withdrawn share's meeting is not shown unshared")?;
        Ok(())
    })
    .await;
}

/// Open the Items view from `owner`'s calendar card and wait for the items to be read.
async fn open_items_from_card(app: &AppSession, owner: &str) -> Result<()> {
    let card = app.calendar_of(owner).await?;
    card.find(By::Css("button[data-open-items]"))
        .await?
        .click()
        .await?;
    wait_for_items(app).await
}

async fn wait_for_items(app: &AppSession) -> Result<()> {
    app.wait_for("#items-screen", LONG).await?;
    app.wait_for(
        "#items .item, #items-empty, #items-error:not([hidden])",
        LONG,
    )
    .await
    .context("the Items view read nothing")?;
    if let Ok(error) = app.driver.find(By::Css("#items-error:not([hidden])")).await {
        anyhow::bail!("the Items view shows an error: {}", error.text().await?);
    }
    Ok(())
}

/// The row of the item with this subject, found through the search box.
async fn find_item(app: &AppSession, subject: &str) -> Result<WebElement> {
    wait_for_items(app).await?;
    clear_search(app).await?;
    let search = app.driver.find(By::Id("items-search")).await?;
    search.send_keys(subject).await?;
    find_item_unfiltered(app, subject).await
}

/// Empty the search box as a person does, so the list follows.
async fn clear_search(app: &AppSession) -> Result<()> {
    let search = app.driver.find(By::Id("items-search")).await?;
    search.send_keys(Key::Control + "a").await?;
    search.send_keys(Key::Backspace).await?;
    Ok(())
}

async fn find_item_unfiltered(app: &AppSession, subject: &str) -> Result<WebElement> {
    let xpath = format!(
        "//ul[contains(@class,'item-list')]/li[.//p[contains(@class,'item-subject') and text()='{subject}']]"
    );
    app.driver
        .query(By::XPath(&xpath))
        .wait(LONG, Duration::from_millis(200))
        .first()
        .await
        .with_context(|| format!("no item \"{subject}\" in the Items view"))
}
