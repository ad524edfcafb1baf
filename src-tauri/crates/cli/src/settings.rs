//! `onbehalf settings`: the sync settings of the signed-in account, shown, and changed where
//! an option is given (the rest stay as they are).

use std::fmt::Write;

use clap::{Args, ValueEnum};
use onbehalf_engine::sync::merge::Winner;
use onbehalf_engine::sync::notice_kinds::NoticeKind;
use onbehalf_service::policy::SettingsView;
use onbehalf_service::{Onbehalf, ServiceError, SyncSettings};

use crate::exit::Exit;
use crate::print_json;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OnOff {
    On,
    Off,
}

impl From<OnOff> for bool {
    fn from(v: OnOff) -> bool {
        v == OnOff::On
    }
}

/// Which side decides a field changed on both sides.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum WinnerArg {
    Outlook,
    Crm,
}

#[derive(Debug, Args)]
pub struct SettingsArgs {
    /// Minutes between full sync cycles.
    #[arg(long, value_name = "MINUTES")]
    pub interval: Option<u32>,
    /// Minutes between polls of the owners' calendars you watch.
    #[arg(long, value_name = "MINUTES")]
    pub watch: Option<u32>,
    /// Sync a share or an edit made in Onbehalf at once.
    #[arg(long, value_name = "on|off")]
    pub insta_sync: Option<OnOff>,
    /// Days before today the sync looks at.
    #[arg(long, value_name = "DAYS")]
    pub days_back: Option<u32>,
    /// Days after today the sync looks at.
    #[arg(long, value_name = "DAYS")]
    pub days_ahead: Option<u32>,
    /// The category that shares an item.
    #[arg(long, value_name = "NAME")]
    pub category: Option<String>,
    /// Which side wins a field changed on both sides since the last sync.
    #[arg(long, value_name = "outlook|crm")]
    pub winner: Option<WinnerArg>,
    /// Sync private items (only where the administrator allows it).
    #[arg(long, value_name = "on|off")]
    pub private_sync: Option<OnOff>,
    /// Bring events you own that were made in the CRM into your Outlook calendar.
    #[arg(long, value_name = "on|off")]
    pub crm_to_outlook: Option<OnOff>,
    /// Create this owner's CRM events directly from this app (where your CRM user may).
    #[arg(long, value_name = "OWNER")]
    pub direct_share: Vec<String>,
    /// Leave this owner's shares to the owner's own sync again.
    #[arg(long, value_name = "OWNER")]
    pub no_direct_share: Vec<String>,
    /// Minutes Microsoft 365 or the CRM may stay out of reach before it is a problem.
    #[arg(long, value_name = "MINUTES")]
    pub problem_after: Option<u32>,
    /// Raise no notification for this kind of problem (it is still listed): waiting,
    /// crm_access, exchange_permission, crm_refused, sign_in, connection, other_organisation,
    /// crm_allowance, conflicts.
    #[arg(long, value_name = "KIND", value_parser = notice_kind)]
    pub notify_off: Vec<NoticeKind>,
    /// Raise notifications for this kind of problem again.
    #[arg(long, value_name = "KIND", value_parser = notice_kind)]
    pub notify_on: Vec<NoticeKind>,
    #[arg(long)]
    pub json: bool,
}

impl SettingsArgs {
    fn changes_anything(&self) -> bool {
        self.interval.is_some()
            || self.watch.is_some()
            || self.insta_sync.is_some()
            || self.days_back.is_some()
            || self.days_ahead.is_some()
            || self.category.is_some()
            || self.winner.is_some()
            || self.private_sync.is_some()
            || self.crm_to_outlook.is_some()
            || !self.direct_share.is_empty()
            || !self.no_direct_share.is_empty()
            || self.problem_after.is_some()
            || !self.notify_off.is_empty()
            || !self.notify_on.is_empty()
    }

    /// `current` with the options given applied.
    fn apply(&self, current: &SyncSettings) -> SyncSettings {
        let mut s = current.clone();
        s.interval_minutes = self.interval.unwrap_or(s.interval_minutes);
        s.watch_minutes = self.watch.unwrap_or(s.watch_minutes);
        s.insta_sync = self.insta_sync.map_or(s.insta_sync, bool::from);
        s.days_back = self.days_back.unwrap_or(s.days_back);
        s.days_ahead = self.days_ahead.unwrap_or(s.days_ahead);
        if let Some(name) = &self.category {
            s.share_category = name.trim().to_string();
        }
        s.winner = match self.winner {
            Some(WinnerArg::Outlook) => Winner::Exchange,
            Some(WinnerArg::Crm) => Winner::Crm,
            None => s.winner,
        };
        s.private_sync = self.private_sync.map_or(s.private_sync, bool::from);
        s.crm_to_exchange = self.crm_to_outlook.map_or(s.crm_to_exchange, bool::from);
        for owner in &self.direct_share {
            s.direct_share.insert(owner.trim().to_lowercase());
        }
        for owner in &self.no_direct_share {
            s.direct_share.remove(&owner.trim().to_lowercase());
        }
        s.problem_after_minutes = self.problem_after.unwrap_or(s.problem_after_minutes);
        s.quiet_kinds.extend(self.notify_off.iter().copied());
        for kind in &self.notify_on {
            s.quiet_kinds.remove(kind);
        }
        s
    }
}

/// A kind of problem by its settings name.
fn notice_kind(text: &str) -> Result<NoticeKind, String> {
    serde_json::from_value(serde_json::Value::String(text.trim().to_lowercase())).map_err(|_| {
        let names: Vec<String> = NoticeKind::ALL
            .iter()
            .filter_map(|k| serde_json::to_value(k).ok())
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect();
        format!("not a kind of problem; the kinds are {}", names.join(", "))
    })
}

pub async fn settings(app: &Onbehalf, args: &SettingsArgs) -> Result<Exit, ServiceError> {
    if args.changes_anything() {
        let current = app.sync_settings().await?;
        app.set_sync_settings(args.apply(&current)).await?;
    }
    let view = app.sync_settings_view().await?;
    match args.json {
        true => print_json(&view),
        false => print!("{}", render(&view)),
    }
    Ok(Exit::Ok)
}

fn on_off(v: bool) -> &'static str {
    match v {
        true => "on",
        false => "off",
    }
}

fn render(view: &SettingsView) -> String {
    let s = &view.settings;
    let mut out = String::new();
    let winner = match s.winner {
        Winner::Exchange => "Outlook",
        Winner::Crm => "the CRM",
    };
    let direct = match s.direct_share.is_empty() {
        true => "none".to_string(),
        false => s
            .direct_share
            .iter()
            .cloned()
            .collect::<Vec<_>>()
            .join(", "),
    };
    let _ = writeln!(out, "Sync:                 {}", on_off(s.on));
    let _ = writeln!(out, "Full cycle every:     {} min", s.interval_minutes);
    let _ = writeln!(out, "Watched calendars:    every {} min", s.watch_minutes);
    let _ = writeln!(out, "Insta-sync:           {}", on_off(s.insta_sync));
    let _ = writeln!(
        out,
        "Window:               {} days back, {} days ahead",
        s.days_back, s.days_ahead
    );
    let _ = writeln!(out, "Share category:       {}", s.share_category);
    let _ = writeln!(out, "Changed on both:      {winner} wins");
    let _ = writeln!(out, "Private items:        {}", on_off(s.private_sync));
    let _ = writeln!(out, "CRM to Outlook:       {}", on_off(s.crm_to_exchange));
    let _ = writeln!(out, "Direct shares for:    {direct}");
    let _ = writeln!(
        out,
        "Out of reach:         a problem after {} min",
        s.problem_after_minutes
    );
    let quiet = match s.quiet_kinds.is_empty() {
        true => "none".to_string(),
        false => s
            .quiet_kinds
            .iter()
            .map(|k| k.label())
            .collect::<Vec<_>>()
            .join("; "),
    };
    let _ = writeln!(out, "Not notified:         {quiet}");
    if !view.locks.is_empty() {
        out.push_str("\nLocked:\n");
        for lock in &view.locks {
            let _ = writeln!(out, "  {}", lock.reason);
        }
    }
    if (view.interval_min, view.interval_max) != (1, 24 * 60) {
        let _ = writeln!(
            out,
            "\nYour administrator allows a sync interval of {} to {} minutes.",
            view.interval_min, view.interval_max
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Parser)]
    struct Cli {
        #[command(flatten)]
        args: SettingsArgs,
    }

    #[test]
    fn only_the_options_given_change() {
        let cli = Cli::parse_from([
            "settings",
            "--category",
            " Salesforce ",
            "--winner",
            "crm",
            "--crm-to-outlook",
            "on",
            "--direct-share",
            "Olivia.Grant@contoso.com",
        ]);
        let before = SyncSettings::default();
        let after = cli.args.apply(&before);
        assert_eq!(after.share_category, "Salesforce");
        assert_eq!(after.winner, Winner::Crm);
        assert!(after.crm_to_exchange);
        assert!(after.direct_share.contains("olivia.grant@contoso.com"));
        assert_eq!(after.interval_minutes, before.interval_minutes);
        assert_eq!(after.insta_sync, before.insta_sync);
        assert!(!Cli::parse_from(["settings"]).args.changes_anything());
    }
}
