//! `onbehalf items`, `share`, `unshare`, `sync` and `status`: the items of a calendar with
//! their share state, sharing them into the CRM, and the sync that carries changes over.

use std::fmt::Write;

use chrono::{DateTime, NaiveDate, Utc};
use clap::{Args, ValueEnum};
use onbehalf_service::{
    ItemView, ItemsQuery, Onbehalf, ServiceError, ShareOutcome, ShareState, SyncRun, SyncStatus,
};

use crate::exit::Exit;
use crate::print_json;

#[derive(Debug, Args)]
pub struct ItemsArgs {
    /// The owner's address (default: your own calendar).
    #[arg(long, value_name = "OWNER")]
    pub calendar: Option<String>,
    /// From this day (YYYY-MM-DD) or time (RFC 3339); default: the sync window's start.
    #[arg(long, value_name = "DATE", value_parser = parse_when)]
    pub from: Option<DateTime<Utc>>,
    /// Up to this day (excluded) or time; default: the sync window's end.
    #[arg(long, value_name = "DATE", value_parser = parse_when)]
    pub to: Option<DateTime<Utc>>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ShareArgs {
    /// The item's id (from `onbehalf items`).
    pub item: String,
    /// The owner's address (default: your own calendar).
    #[arg(long, value_name = "OWNER")]
    pub calendar: Option<String>,
    /// A CRM record to link: one contact or lead, one account, opportunity or case.
    #[arg(long = "link", value_name = "RECORD_ID")]
    pub links: Vec<String>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct UnshareArgs {
    pub item: String,
    #[arg(long, value_name = "OWNER")]
    pub calendar: Option<String>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Switch {
    On,
    Off,
}

#[derive(Debug, Args)]
pub struct SyncArgs {
    /// Turn the scheduled sync on (after showing what its first run will do) or off.
    pub switch: Option<Switch>,
    /// Run one cycle and stop (default: run the scheduled sync until Ctrl-C).
    #[arg(long)]
    pub once: bool,
    #[arg(long)]
    pub json: bool,
    /// Raise no desktop notification for the sync's problems (they are still kept, and
    /// `onbehalf items` shows them).
    #[arg(long)]
    pub quiet: bool,
}

pub async fn items(app: &Onbehalf, args: &ItemsArgs) -> Result<Exit, ServiceError> {
    let list = app
        .items(&ItemsQuery {
            calendar: args.calendar.clone(),
            from: args.from,
            to: args.to,
        })
        .await?;
    match args.json {
        true => print_json(&list),
        false => print!("{}", render_items(&list)),
    }
    Ok(Exit::Ok)
}

pub async fn share(app: &Onbehalf, args: &ShareArgs) -> Result<Exit, ServiceError> {
    let outcome = app
        .share_item(args.calendar.as_deref(), &args.item, &args.links)
        .await?;
    match args.json {
        true => print_json(&outcome),
        false => print!("{}", render_share(&outcome, "Shared")),
    }
    Ok(Exit::Ok)
}

pub async fn unshare(app: &Onbehalf, args: &UnshareArgs) -> Result<Exit, ServiceError> {
    let outcome = app
        .unshare_item(args.calendar.as_deref(), &args.item)
        .await?;
    match args.json {
        true => print_json(&outcome),
        false => print!("{}", render_share(&outcome, "Unshared")),
    }
    Ok(Exit::Ok)
}

pub async fn sync(app: &Onbehalf, args: &SyncArgs) -> Result<Exit, ServiceError> {
    if !args.quiet {
        app.set_notifier(std::sync::Arc::new(
            onbehalf_notify::DesktopNotifier::default(),
        ));
    }
    match (args.switch, args.once) {
        (Some(Switch::On), _) => {
            let preview = app.sync_preview().await?;
            let status = app.set_sync_on(true).await?;
            match args.json {
                true => print_json(&serde_json::json!({ "preview": preview, "status": status })),
                false => {
                    print!("{}", render_run(&preview));
                    println!("Sync is on.");
                }
            }
            Ok(Exit::Ok)
        }
        (Some(Switch::Off), _) => {
            let status = app.set_sync_on(false).await?;
            match args.json {
                true => print_json(&status),
                false => println!("Sync is off. Nothing is saved to the CRM until you turn it on."),
            }
            Ok(Exit::Ok)
        }
        (None, true) => {
            let run = app.sync_once(onbehalf_service::SyncMode::Execute).await?;
            match args.json {
                true => print_json(&run),
                false => print!("{}", render_run(&run)),
            }
            Ok(Exit::Ok)
        }
        (None, false) => {
            if !app.sync_status().await?.on {
                eprintln!("Sync is off; turn it on with `onbehalf sync on`. Waiting for it.");
            }
            // Replies to time slot offers are watched alongside, until the same Ctrl-C.
            let (stop, stopped) = tokio::sync::watch::channel(false);
            let ctrl_c = async move {
                if let Err(e) = tokio::signal::ctrl_c().await {
                    tracing::warn!(error = %e, "could not wait for Ctrl-C");
                }
                let _ = stop.send(true);
            };
            let until = |mut rx: tokio::sync::watch::Receiver<bool>| async move {
                let _ = rx.wait_for(|s| *s).await;
            };
            tokio::join!(
                ctrl_c,
                app.run_sync_loop(until(stopped.clone())),
                app.run_offer_watch(until(stopped))
            );
            Ok(Exit::Ok)
        }
    }
}

pub async fn status(app: &Onbehalf, json: bool) -> Result<Exit, ServiceError> {
    let status = app.sync_status().await?;
    match json {
        true => print_json(&status),
        false => print!("{}", render_status(&status)),
    }
    Ok(Exit::Ok)
}

/// A day (midnight UTC) or an RFC 3339 time.
fn parse_when(text: &str) -> Result<DateTime<Utc>, String> {
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Ok(t.with_timezone(&Utc));
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|t| t.and_utc())
        .ok_or_else(|| format!("\"{text}\" is neither a day (2026-12-01) nor a time (RFC 3339)"))
}

fn share_word(s: ShareState) -> &'static str {
    match s {
        ShareState::None => "not shared",
        ShareState::Pending => "pending",
        ShareState::Shared => "shared",
        ShareState::Problem => "problem",
    }
}

fn render_items(list: &[ItemView]) -> String {
    let mut out = String::new();
    if list.is_empty() {
        out.push_str("No items in this span.\n");
    }
    for i in list {
        let when = match i.all_day {
            true => format!("{} (all day)", i.start),
            false => i.start.clone(),
        };
        let private = if i.private { " [private]" } else { "" };
        let _ = writeln!(out, "{when}  {}{private}", i.subject);
        let _ = writeln!(out, "  id      {}", i.id);
        let mut state = share_word(i.share).to_string();
        if let Some(crm) = &i.crm {
            let _ = write!(state, " as {} (owner {})", crm.id, crm.owner);
        }
        let _ = writeln!(out, "  share   {state}");
        if let Some(waiting) = i.pending.as_ref().and_then(|p| p.waiting_for.as_ref()) {
            let _ = writeln!(out, "          {waiting}");
        }
        for p in &i.problems {
            let _ = writeln!(out, "          {}", p.message);
        }
        if let Some(v) = i.actions.get(&onbehalf_engine::actions::Action::ShareToCrm) {
            if let (false, Some(reason)) = (v.allowed, &v.reason) {
                let _ = writeln!(out, "          Cannot share: {reason}");
            }
        }
    }
    out
}

fn render_share(o: &ShareOutcome, done: &str) -> String {
    let mut out = String::new();
    match &o.item {
        Some(i) => {
            let _ = writeln!(out, "{done} \"{}\": {}.", i.subject, share_word(i.share));
            if let Some(crm) = &i.crm {
                let _ = writeln!(out, "CRM event {} (owner {}).", crm.id, crm.owner);
            }
            for p in &i.problems {
                let _ = writeln!(out, "{}", p.message);
            }
        }
        None => {
            let _ = writeln!(out, "{done}.");
        }
    }
    for n in &o.notes {
        let _ = writeln!(out, "{n}");
    }
    out
}

fn render_run(run: &SyncRun) -> String {
    let r = &run.report;
    let mut out = String::new();
    if run.preview {
        let _ = writeln!(out, "The first sync will:");
        if r.planned.is_empty() {
            let _ = writeln!(out, "  change nothing");
        }
        for (what, n) in &r.planned {
            let _ = writeln!(out, "  {} {n}", what.replace('_', " "));
        }
        return out;
    }
    let _ = writeln!(
        out,
        "Read {} items from Microsoft 365 and {} events from the CRM.",
        r.exchange_items_read, r.crm_events_read
    );
    let _ = writeln!(
        out,
        "Wrote {} to the CRM and {} to Microsoft 365: {} shared, {} updated in the CRM, {} \
         updated in Outlook, {} unlinked, {} deleted in the CRM.",
        r.crm_writes,
        r.exchange_writes,
        r.shared,
        r.updated_in_crm,
        r.updated_in_exchange,
        r.unlinked,
        r.deleted_in_crm
    );
    if r.conflicts + r.problems + r.deferred > 0 {
        let _ = writeln!(
            out,
            "{} conflicts, {} problems, {} left for the next run.",
            r.conflicts, r.problems, r.deferred
        );
    }
    for n in &r.notices {
        let _ = writeln!(out, "{n}");
    }
    out
}

fn render_status(s: &SyncStatus) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "Sync        {}", if s.on { "on" } else { "off" });
    let _ = writeln!(
        out,
        "Last run    {}",
        s.last_run
            .map(|t| t.to_rfc3339())
            .unwrap_or_else(|| "never".to_string())
    );
    let _ = writeln!(out, "Waiting     {}", s.waiting);
    let _ = writeln!(out, "Problems    {}", s.problems);
    let _ = writeln!(out, "Conflicts   {}", s.conflicts);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_day_or_a_time_is_accepted_and_anything_else_named() {
        assert_eq!(
            parse_when("2026-12-01").unwrap().to_rfc3339(),
            "2026-12-01T00:00:00+00:00"
        );
        assert_eq!(
            parse_when("2026-12-01T09:30:00+01:00")
                .unwrap()
                .to_rfc3339(),
            "2026-12-01T08:30:00+00:00"
        );
        let e = parse_when("tomorrow").unwrap_err();
        assert!(e.contains("tomorrow"));
    }
}
