//! The Time slots view as an executive assistant uses it: Daniel Reyes, delegate of Olivia
//! Grant, offers a customer in Chicago 45-minute times from Olivia's calendar next week. The
//! times found are within Olivia's working hours (08:00 to 17:00 New York time, Monday to
//! Friday, in the sandbox), three of them are picked, the preview says who sent it for whom and
//! in which zone the times are, and a draft is made in Daniel's Drafts, from Olivia.

use std::time::Duration;

use anyhow::{bail, ensure, Context, Result};
use chrono::{DateTime, Datelike, FixedOffset, Local, NaiveDate, NaiveTime, TimeDelta, Weekday};
use thirtyfour::components::SelectElement;
use thirtyfour::prelude::*;
use thirtyfour::stringmatch::StringMatch;

use crate::harness::{text_of, AppSession, DEMO_EXECUTIVE};

const DANIEL: &str = "daniel.reyes@contoso.com";
const LONG: Duration = Duration::from_secs(60);
const POLL: Duration = Duration::from_millis(200);
const MINUTES: i64 = 45;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_delegate_offers_times_from_the_executives_calendar_in_the_customers_zone() {
    AppSession::run("slots", |app| async move {
        app.sign_in_as(DANIEL, false).await?;
        app.calendar_of(DEMO_EXECUTIVE).await?;
        app.click("#nav-slots", LONG).await?;
        app.wait_for("#slots", LONG).await?;

        // Olivia's calendar is offered; picking it reads her rules and says who sends.
        let option = format!("#slot-calendar option[value='{DEMO_EXECUTIVE}']");
        let olivia = app.wait_for(&option, LONG).await?;
        ensure!(
            olivia.attr("disabled").await?.is_none(),
            "Olivia's calendar cannot be picked: {}",
            olivia.text().await?
        );
        let select = app.driver.find(By::Id("slot-calendar")).await?;
        SelectElement::new(&select)
            .await?
            .select_by_value(DEMO_EXECUTIVE)
            .await?;
        app.wait_for(
            &format!("#slot-form[data-prefs-for='{DEMO_EXECUTIVE}']"),
            LONG,
        )
        .await
        .context("picking Olivia's calendar did not read her rules")?;
        let on_behalf = app.wait_for("#slot-on-behalf:not([hidden])", LONG).await?;
        let words = on_behalf.text().await?;
        ensure!(
            words.starts_with("You are sending on behalf of Olivia Grant."),
            "the on-behalf line read {words:?}"
        );

        // Next week by default; the test asks for the week it computes itself.
        let from = app.driver.find(By::Id("slot-from")).await?;
        let to = app.driver.find(By::Id("slot-to")).await?;
        let shown_from = day(&from.prop("value").await?.unwrap_or_default())?;
        let shown_to = day(&to.prop("value").await?.unwrap_or_default())?;
        ensure!(
            shown_from.weekday() == Weekday::Mon && shown_to == shown_from + TimeDelta::days(4),
            "the days shown at first are {shown_from} to {shown_to}, not a Monday to its Friday"
        );
        let (monday, friday) = next_week(Local::now().date_naive());
        app.driver
            .execute(
                &format!(
                    "document.getElementById('slot-from').value = '{monday}';\
                     document.getElementById('slot-to').value = '{friday}';"
                ),
                Vec::new(),
            )
            .await?;
        let duration = app.driver.find(By::Id("slot-duration")).await?;
        duration.send_keys(Key::Control + "a").await?;
        duration.send_keys(MINUTES.to_string()).await?;
        // A zone that does not exist is refused with the reason, in the screen's banner.
        let zone = app.driver.find(By::Id("slot-zone")).await?;
        zone.send_keys("Mars/Olympus_Mons").await?;
        app.click("#find-slots", LONG).await?;
        let error = app
            .wait_for("#slot-error:not([hidden])", LONG)
            .await
            .context("an unknown zone was not refused")?
            .text()
            .await?;
        ensure!(
            error.contains("Mars/Olympus_Mons"),
            "the error for an unknown zone read {error:?}"
        );
        zone.send_keys(Key::Control + "a").await?;
        zone.send_keys("America/Chicago").await?;
        // Enter in a field finds the times. (In the zone box, Enter first takes the suggestion
        // the list offers, as browsers do.)
        duration.send_keys(Key::Enter).await?;

        let entries = found_times(&app).await?;
        for entry in &entries {
            let start = entry.attr("data-start").await?.unwrap_or_default();
            let end = entry.attr("data-end").await?.unwrap_or_default();
            within_working_hours(&start, &end, monday, friday)?;
        }
        let headings = app
            .driver
            .find_all(By::Css("#slot-results .slot-day"))
            .await?;
        ensure!(
            !headings.is_empty(),
            "the times are not headed by their days"
        );
        let first_heading = headings[0].text().await?;
        ensure!(
            ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
                .iter()
                .any(|d| first_heading.starts_with(d)),
            "the first day is headed {first_heading:?}"
        );

        // Three times picked, the first of each of the first days (or the first three); the
        // preview offers those three, says who sent it for whom, and names the recipient's zone.
        ensure!(
            entries.len() >= 3,
            "only {} times were found",
            entries.len()
        );
        let mut picks = Vec::new();
        for day in app
            .driver
            .find_all(By::Css("#slot-results .slot-group"))
            .await?
        {
            picks.push(day.find(By::Css(".slot-entry")).await?);
        }
        if picks.len() < 3 {
            picks = entries.iter().take(3).cloned().collect();
        }
        picks.truncate(3);
        let mut picked = Vec::new();
        for entry in &picks {
            entry.find(By::Css("label")).await?.click().await?;
            let start = entry.attr("data-start").await?.unwrap_or_default();
            let end = entry.attr("data-end").await?.unwrap_or_default();
            picked.push((start, end));
        }
        app.driver
            .query(By::Id("slot-summary"))
            .with_text(StringMatch::new("3 picked").partial())
            .wait(LONG, POLL)
            .first()
            .await
            .context("the summary does not count three picked times")?;
        let preview = wait_for_preview(&app, "sent this on behalf of").await?;
        ensure!(
            preview.contains("Daniel Reyes sent this on behalf of Olivia Grant"),
            "the preview does not say who sent it for whom:\n{preview}"
        );
        ensure!(
            preview.contains("Chicago") || preview.contains("Central"),
            "the preview does not name the recipient's zone:\n{preview}"
        );
        for (start, end) in &picked {
            let range = format!("{}\u{2013}{}", &start[11..16], &end[11..16]);
            ensure!(
                preview.contains(&range),
                "the preview does not offer the picked {range}:\n{preview}"
            );
        }
        let offered = preview
            .lines()
            .filter(|l| {
                l.trim_start().starts_with(|c: char| c.is_ascii_digit()) && l.contains(". ")
            })
            .count();
        ensure!(
            offered == 3,
            "the preview offers {offered} times, not 3:\n{preview}"
        );

        // The on-behalf line, the times and the preview in one picture.
        app.driver
            .execute(
                "const scroller = document.querySelector('.scroller');\
                 const line = document.getElementById('slot-on-behalf').getBoundingClientRect();\
                 scroller.scrollBy(0, line.top - scroller.getBoundingClientRect().top - 12);",
                Vec::new(),
            )
            .await?;
        // The pointer rests on a heading, so no time shows as hovered.
        let heading = app.driver.find(By::Id("slot-times-title")).await?;
        app.driver
            .action_chain()
            .move_to_element_center(&heading)
            .perform()
            .await?;
        app.screenshot("time-slots").await?;

        // A draft in Daniel's Drafts, from Olivia, whose reply books a time, the three times
        // held on her calendar meanwhile.
        app.driver
            .find(By::Id("slot-recipient"))
            .await?
            .send_keys("haruto.sato@fabrikam.example")
            .await?;
        app.click("#slot-reply-links", LONG).await?;
        app.click("#slot-holds", LONG).await?;
        app.click("#create-draft:not([disabled])", LONG).await?;
        let notice = wait_for_notice(&app).await?;
        ensure!(
            notice.contains("Drafts folder") && notice.contains("Olivia Grant"),
            "the draft's notice read {notice:?}"
        );
        ensure!(
            notice.contains("The 3 times are held on Olivia Grant's calendar"),
            "the draft's notice does not speak of the holds: {notice:?}"
        );
        // The offer waits for its reply; withdrawn, its holds go.
        let offer = app
            .wait_for("#slot-offers .offer-entry[data-state='open']", LONG)
            .await
            .context("the offer is not listed")?;
        let line = text_of(&offer, "[data-field=state]").await?;
        ensure!(
            line.contains("haruto.sato@fabrikam.example") && line.contains("3 held"),
            "the offer reads {line:?}"
        );
        app.click("#slot-offers .offer-withdraw", LONG).await?;
        app.wait_for("#slot-offers .offer-entry[data-state='withdrawn']", LONG)
            .await
            .context("the withdrawn offer is not shown as such")?;
        app.driver
            .execute(
                "document.getElementById('slot-offer-options').scrollIntoView({block: 'start'});",
                Vec::new(),
            )
            .await?;
        app.screenshot("time-slots-offers").await?;

        // Availability lists the free stretches instead, and the message says so.
        app.click("#slot-mode-availability", LONG).await?;
        app.wait_for("#slot-mode-availability[aria-pressed='true']", LONG)
            .await?;
        app.wait_for("#slot-results .free-entry", LONG)
            .await
            .context("Availability lists no free time")?;
        wait_for_preview(&app, "is free at these times").await?;
        Ok(())
    })
    .await;
}

/// The Monday after `today` (a week later on a Monday) and the Friday after it.
fn next_week(today: NaiveDate) -> (NaiveDate, NaiveDate) {
    let ahead = 7 - i64::from(today.weekday().num_days_from_monday());
    let monday = today + TimeDelta::days(ahead);
    (monday, monday + TimeDelta::days(4))
}

fn day(text: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").with_context(|| format!("{text:?} is not a day"))
}

/// The times listed once the search ended, or what went wrong.
async fn found_times(app: &AppSession) -> Result<Vec<WebElement>> {
    let deadline = std::time::Instant::now() + LONG;
    loop {
        if let Ok(error) = app.driver.find(By::Css("#slot-error:not([hidden])")).await {
            bail!("finding times failed: {}", error.text().await?);
        }
        if let Ok(form) = app
            .driver
            .find(By::Css("#slot-form-error:not([hidden])"))
            .await
        {
            bail!("the form was refused: {}", form.text().await?);
        }
        let busy = app
            .driver
            .find(By::Css("#slot-progress:not([hidden])"))
            .await
            .is_ok();
        let entries = app
            .driver
            .find_all(By::Css("#slot-results .slot-entry"))
            .await?;
        if !busy && !entries.is_empty() {
            return Ok(entries);
        }
        if !busy && app.driver.find(By::Id("slot-empty")).await.is_ok() {
            bail!("no times were found in Olivia's calendar next week");
        }
        ensure!(
            std::time::Instant::now() < deadline,
            "no times were listed within {LONG:?}"
        );
        tokio::time::sleep(POLL).await;
    }
}

/// A time offered in Chicago is within Olivia's working hours: a weekday, 08:00 to 17:00 in
/// New York, which keeps US daylight saving time as Chicago does, an hour ahead of it.
fn within_working_hours(
    start: &str,
    end: &str,
    monday: NaiveDate,
    friday: NaiveDate,
) -> Result<()> {
    let parse = |t: &str| {
        DateTime::parse_from_rfc3339(t).with_context(|| format!("{t:?} is not an RFC 3339 time"))
    };
    let (start_at, end_at) = (parse(start)?, parse(end)?);
    let offset = start_at.offset().local_minus_utc();
    ensure!(
        offset == -5 * 3600 || offset == -6 * 3600,
        "{start} is not written in Chicago time"
    );
    ensure!(
        end_at - start_at == TimeDelta::minutes(MINUTES),
        "{start}–{end} is not {MINUTES} minutes long"
    );
    let chicago_day = start_at.date_naive();
    ensure!(
        (monday..=friday).contains(&chicago_day),
        "{start} is not between {monday} and {friday}"
    );
    let new_york = FixedOffset::east_opt(offset + 3600).context("New York's offset")?;
    let (from, to) = (
        start_at.with_timezone(&new_york),
        end_at.with_timezone(&new_york),
    );
    let opens = NaiveTime::from_hms_opt(8, 0, 0).context("08:00")?;
    let closes = NaiveTime::from_hms_opt(17, 0, 0).context("17:00")?;
    ensure!(
        !matches!(from.weekday(), Weekday::Sat | Weekday::Sun),
        "{start} is on a weekend in New York"
    );
    ensure!(
        from.time() >= opens && to.time() <= closes && from.date_naive() == to.date_naive(),
        "{start}–{end} is outside Olivia's working hours (08:00–17:00 New York time)"
    );
    Ok(())
}

/// The preview's text once it contains `wanted`.
async fn wait_for_preview(app: &AppSession, wanted: &str) -> Result<String> {
    let deadline = std::time::Instant::now() + LONG;
    loop {
        let text = app
            .driver
            .find(By::Id("slot-preview"))
            .await?
            .text()
            .await?;
        if text.contains(wanted) {
            return Ok(text);
        }
        if let Ok(error) = app.driver.find(By::Css("#slot-error:not([hidden])")).await {
            bail!("composing the message failed: {}", error.text().await?);
        }
        ensure!(
            std::time::Instant::now() < deadline,
            "the preview did not say {wanted:?} within {LONG:?}:\n{text}"
        );
        tokio::time::sleep(POLL).await;
    }
}

/// The notice once it shows, or the error the screen shows instead.
async fn wait_for_notice(app: &AppSession) -> Result<String> {
    let deadline = std::time::Instant::now() + LONG;
    loop {
        if let Ok(notice) = app
            .driver
            .find(By::Css("#slot-notice:not([hidden]) #slot-notice-text"))
            .await
        {
            return Ok(notice.text().await?);
        }
        if let Ok(error) = app.driver.find(By::Css("#slot-error:not([hidden])")).await {
            bail!("creating the draft failed: {}", error.text().await?);
        }
        ensure!(
            std::time::Instant::now() < deadline,
            "no notice within {LONG:?}"
        );
        tokio::time::sleep(POLL).await;
    }
}
