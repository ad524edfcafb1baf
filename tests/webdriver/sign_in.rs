//! Signing in as demo users and reading their calendars screen.

use std::time::Duration;

use anyhow::{ensure, Context};
use thirtyfour::prelude::*;

use crate::harness::{text_of, AppSession, DEMO_EXECUTIVE};

const DANIEL: &str = "daniel.reyes@contoso.com";
const RITA: &str = "rita.novak@contoso.com";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn delegate_with_private_items_sees_the_executives_calendar_as_such() {
    AppSession::run("delegate-with-private", |app| async move {
        app.sign_in_as(DANIEL, true).await?;
        let card = app.calendar_of(DEMO_EXECUTIVE).await?;

        let outlook = text_of(&card, "[data-name='outlook']").await?;
        let owa = text_of(&card, "[data-name='owa']").await?;
        let graph = text_of(&card, "[data-name='graph']").await?;
        ensure!(
            outlook == "Editor + delegate + can see private items",
            "Outlook name was {outlook:?}"
        );
        ensure!(
            owa == "Delegate (view private)",
            "Outlook on the web name was {owa:?}"
        );
        ensure!(
            graph == "delegateWithPrivateEventAccess",
            "Graph name was {graph:?}"
        );

        let private = card.find(By::Css("[data-field='private-items']")).await?;
        ensure!(
            private.attr("data-allowed").await?.as_deref() == Some("true"),
            "private items are not shown as visible: {}",
            private.text().await?
        );
        let view_private = card.find(By::Css("[data-action='view_private']")).await?;
        ensure!(
            view_private.attr("data-allowed").await?.as_deref() == Some("true"),
            "viewing private items is not allowed: {}",
            view_private.text().await?
        );
        let share = card.find(By::Css("[data-action='share_to_crm']")).await?;
        ensure!(
            share.attr("data-allowed").await?.as_deref() == Some("true"),
            "a delegate should be able to share to the CRM: {}",
            share.text().await?
        );
        app.screenshot("calendars").await?;

        app.driver
            .find(By::Id("check-setup"))
            .await?
            .click()
            .await?;
        app.wait_for("#doctor [data-check-id]", Duration::from_secs(30))
            .await
            .context("the setup checks did not appear")?;
        app.screenshot("doctor").await?;
        Ok(())
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reviewer_sees_sharing_to_the_crm_refused_with_its_reason() {
    AppSession::run("reviewer", |app| async move {
        app.sign_in_as(RITA, false).await?;
        let card = app.calendar_of(DEMO_EXECUTIVE).await?;

        let outlook = text_of(&card, "[data-name='outlook']").await?;
        ensure!(outlook == "Reviewer", "Outlook name was {outlook:?}");

        let share = card.find(By::Css("[data-action='share_to_crm']")).await?;
        ensure!(
            share.attr("data-allowed").await?.as_deref() == Some("false"),
            "a Reviewer must not be able to share to the CRM: {}",
            share.text().await?
        );
        let reason = share.find(By::Css(".reason")).await?;
        ensure!(
            reason.is_displayed().await?,
            "the refusal's reason is not visible"
        );
        let reason = reason.text().await?;
        ensure!(
            reason.contains("Reviewer") && reason.contains("Editor"),
            "the reason should name the permission held and the one needed: {reason:?}"
        );
        let view = card.find(By::Css("[data-action='view']")).await?;
        ensure!(
            view.attr("data-allowed").await?.as_deref() == Some("true"),
            "a Reviewer can view items"
        );
        app.screenshot("calendars-reviewer").await?;
        Ok(())
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_nonediting_author_reads_refusals_worded_for_their_level() {
    AppSession::run("nonediting-author", |app| async move {
        app.sign_in_as("priya.raman@contoso.com", false).await?;
        let card = app.calendar_of(DEMO_EXECUTIVE).await?;
        let outlook = text_of(&card, "[data-name='outlook']").await?;
        ensure!(
            outlook == "Nonediting Author",
            "Outlook name was {outlook:?}"
        );

        let create = card.find(By::Css("[data-action='create']")).await?;
        ensure!(
            create.attr("data-allowed").await?.as_deref() == Some("true"),
            "a Nonediting Author creates items: {}",
            create.text().await?
        );
        let edit = card.find(By::Css("[data-action='edit'] .reason")).await?;
        let edit = edit.text().await?;
        ensure!(
            edit.contains("not change any item") && !edit.contains("only view"),
            "the refusal is worded for a Nonediting Author: {edit:?}"
        );
        let delete = text_of(&card, "[data-action='delete'] .applies").await?;
        ensure!(
            delete.contains("Only items you created"),
            "a Nonediting Author deletes only their own items: {delete:?}"
        );
        app.screenshot("calendars-nonediting-author").await?;
        Ok(())
    })
    .await;
}
