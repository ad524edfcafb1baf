//! `onbehalf`: the command line over the same service the tray app uses.

mod conflicts;
mod crm;
mod exit;
mod logging;
mod offers;
mod policy;
mod problems;
mod render;
#[cfg(feature = "sandbox")]
mod sandbox;
mod settings;
mod sharing;
mod slots;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use onbehalf_service::{Onbehalf, Options, ServiceError};

use crate::exit::Exit;

#[derive(Debug, Parser)]
#[command(
    name = "onbehalf",
    version,
    about = "Onbehalf: the calendars you can reach, what you may do there, and sharing their items into the CRM, on the command line."
)]
struct Cli {
    /// Configuration file (TOML with a [microsoft] table: authority, graph_url, client_id).
    #[arg(long, global = true, value_name = "FILE", env = "ONBEHALF_CONFIG")]
    config: Option<PathBuf>,
    /// Folder for all local state (default: the platform's data folder).
    #[arg(long, global = true, value_name = "DIR", env = "ONBEHALF_DATA_DIR")]
    data_dir: Option<PathBuf>,
    /// A machine policy file (TOML) read instead of this computer's, to try a policy before
    /// deploying it.
    #[arg(long, global = true, value_name = "FILE", env = "ONBEHALF_POLICY_FILE")]
    policy_file: Option<PathBuf>,
    /// Start the built-in sandbox (Contoso demo organisation) in-process and use it.
    #[arg(long, global = true)]
    sandbox: bool,
    /// Start the built-in sandbox serving HTTPS under its local CA (kept in the data folder),
    /// which Onbehalf then trusts.
    #[arg(long, global = true)]
    sandbox_tls: bool,
    /// Sign in as this demo user (address, "daniel.reyes" or "daniel") through the normal flow.
    #[arg(long = "as", global = true, value_name = "USER")]
    as_user: Option<String>,
    /// Show log lines on stderr too (they always go to logs/onbehalf-cli.log in the data
    /// folder); ONBEHALF_LOG sets the level.
    #[arg(long, short, global = true)]
    verbose: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Sign in with Microsoft 365 (system browser; --device-code for a terminal-only machine).
    Login {
        #[arg(long)]
        device_code: bool,
    },
    /// Sign out and remove the saved sign-in (its file and its key in the system keyring).
    Logout,
    /// Show who is signed in.
    Whoami {
        #[arg(long)]
        json: bool,
    },
    /// List every calendar you can reach, with your permission and allowed actions.
    Calendars {
        #[arg(long)]
        json: bool,
        #[command(subcommand)]
        action: Option<CalendarsAction>,
    },
    /// Check the prerequisites for each calendar and say what to change.
    Doctor {
        #[arg(long)]
        json: bool,
    },
    /// The CRM: sign in, who you are there, and finding records to link.
    Crm {
        #[command(subcommand)]
        action: crm::CrmCommand,
    },
    /// The items of a calendar with their share state and what you may do with each.
    Items(sharing::ItemsArgs),
    /// Share an item into the CRM, linked to records (a refusal exits 10 with the reason).
    Share(sharing::ShareArgs),
    /// Unshare an item: its CRM event is deleted and the item unlinked (the meeting stays).
    Unshare(sharing::UnshareArgs),
    /// Turn sync on or off, run one cycle (--once), or run the scheduled sync until Ctrl-C.
    Sync(sharing::SyncArgs),
    /// Items changed on both sides waiting for your decision, and what merges overwrote.
    Conflicts(conflicts::ConflictsArgs),
    /// What stands in the way of the sync, and what fixes it; dismiss one by its id.
    Problems(problems::ProblemsArgs),
    /// Resolve an item's conflict by keeping Outlook's or the CRM's values (a refusal exits 10
    /// with the reason).
    Resolve(conflicts::ResolveArgs),
    /// Show the sync settings, or change those given (interval, window, category, winner...).
    Settings(settings::SettingsArgs),
    /// Free times for a meeting on your own or an owner's calendar, in the recipient's zone.
    Slots(slots::SlotsArgs),
    /// Free stretches by day on your own or an owner's calendar ("send availability").
    Availability(slots::SlotsArgs),
    /// Offers of time slots that replies may book: list, read replies now, withdraw.
    Offers(offers::OffersArgs),
    /// The administrator's policy: every setting, where it came from, whether it is locked,
    /// and what your profile allows.
    Policy {
        #[arg(long)]
        json: bool,
    },
    /// Where the sync stands: on or off, last run, what waits, problems.
    Status {
        #[arg(long)]
        json: bool,
    },
    /// Run the sandbox (Microsoft identity + Graph emulator) until Ctrl-C and print its URLs.
    #[cfg(feature = "sandbox")]
    Sandbox(sandbox::SandboxArgs),
}

#[derive(Debug, Subcommand)]
enum CalendarsAction {
    /// Add an owner's calendar by their address (it is probed at once).
    Add { address: String },
    /// Remove an owner you added by address.
    Remove { address: String },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    // The data folder is known before the service starts, so that what it logs while starting
    // (the configuration's notes, the sandbox) reaches the file too.
    logging::start(options(&cli).logs_dir().ok().as_deref(), cli.verbose);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("onbehalf: could not start: {e}");
            return Exit::Failure.into();
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(code) => code.into(),
        Err(e) => {
            eprintln!("onbehalf: {}", e.message);
            Exit::from(&e).into()
        }
    }
}

async fn run(cli: Cli) -> Result<Exit, ServiceError> {
    #[cfg(feature = "sandbox")]
    if let Command::Sandbox(args) = &cli.command {
        return sandbox::run(args, &options(&cli)).await;
    }
    let app = Onbehalf::start(&options(&cli)).await?;
    let result = command(&app, &cli).await;
    app.shutdown().await;
    result
}

fn options(cli: &Cli) -> Options {
    Options {
        config_file: cli.config.clone(),
        data_dir: cli.data_dir.clone(),
        sandbox: cli.sandbox || cli.sandbox_tls,
        sandbox_tls: cli.sandbox_tls,
        policy_file: cli.policy_file.clone(),
    }
}

async fn command(app: &Onbehalf, cli: &Cli) -> Result<Exit, ServiceError> {
    if let (Some(user), false) = (&cli.as_user, matches!(cli.command, Command::Logout)) {
        let who = app.sign_in_as(user).await?;
        tracing::info!(user = %who.address, "signed in as demo user");
        if app.crm_configured() {
            match app.crm_sign_in_as(user).await {
                Ok(crm) => tracing::info!(org = %crm.org_id, "signed in to the CRM as demo user"),
                // Only the commands that use the CRM need it.
                Err(e) if needs_crm(&cli.command) => return Err(e),
                Err(e) => eprintln!("onbehalf: not signed in to the CRM: {}", e.message),
            }
        }
    }
    match &cli.command {
        Command::Login { device_code } => {
            let who = match (cli.as_user.is_some(), device_code) {
                (true, _) => app
                    .current_account()
                    .await?
                    .ok_or_else(ServiceError::not_signed_in)?,
                (false, true) => {
                    app.sign_in_device_code(|p| eprintln!("{}", p.message))
                        .await?
                }
                (false, false) => {
                    let pending = app.begin_sign_in().await?;
                    eprintln!(
                        "Opening your browser to sign in. If it does not open, visit:\n  {}",
                        pending.authorize_url
                    );
                    if let Err(e) = webbrowser::open(&pending.authorize_url) {
                        tracing::debug!(error = %e, "could not open the browser");
                    }
                    app.complete_sign_in(pending).await?
                }
            };
            println!("Signed in as {} <{}>.", who.display_name, who.address);
            Ok(Exit::Ok)
        }
        Command::Logout => {
            let report = app.sign_out().await?;
            print!("{}", render::sign_out(&report));
            Ok(Exit::Ok)
        }
        Command::Whoami { json } => {
            let who = app
                .current_account()
                .await?
                .ok_or_else(ServiceError::not_signed_in)?;
            match json {
                true => print_json(&who),
                false => println!(
                    "{} <{}>\ntenant {}",
                    who.display_name, who.address, who.tenant_id
                ),
            }
            Ok(Exit::Ok)
        }
        Command::Calendars { json, action } => {
            let refreshed = match action {
                None => app.refresh().await?,
                Some(CalendarsAction::Add { address }) => app.add_owner(address).await?,
                Some(CalendarsAction::Remove { address }) => app.remove_owner(address).await?,
            };
            match json {
                true => print_json(&refreshed.calendars),
                false => {
                    for n in &refreshed.notices {
                        println!("Note: {n}");
                    }
                    print!(
                        "{}",
                        render::calendars(&refreshed.calendars, refreshed.refreshed_at)
                    );
                }
            }
            Ok(Exit::Ok)
        }
        Command::Doctor { json } => {
            let report = app.doctor().await?;
            match json {
                true => print_json(&report),
                false => print!("{}", render::doctor(&report)),
            }
            Ok(match report.has_failures() {
                true => Exit::ChecksFailed,
                false => Exit::Ok,
            })
        }
        Command::Crm { action } => crm::run(app, action, cli.as_user.is_some()).await,
        Command::Items(args) => sharing::items(app, args).await,
        Command::Share(args) => sharing::share(app, args).await,
        Command::Unshare(args) => sharing::unshare(app, args).await,
        Command::Sync(args) => sharing::sync(app, args).await,
        Command::Conflicts(args) => conflicts::conflicts(app, args).await,
        Command::Problems(args) => problems::problems(app, args).await,
        Command::Resolve(args) => conflicts::resolve(app, args).await,
        Command::Settings(args) => settings::settings(app, args).await,
        Command::Status { json } => sharing::status(app, *json).await,
        Command::Slots(args) => slots::slots(app, args, false).await,
        Command::Availability(args) => slots::slots(app, args, true).await,
        Command::Offers(args) => offers::offers(app, args).await,
        Command::Policy { json } => policy::policy(app, *json).await,
        #[cfg(feature = "sandbox")]
        Command::Sandbox(_) => Ok(Exit::Ok),
    }
}

fn needs_crm(command: &Command) -> bool {
    matches!(
        command,
        Command::Crm { .. }
            | Command::Items(_)
            | Command::Share(_)
            | Command::Unshare(_)
            | Command::Sync(_)
            | Command::Conflicts(conflicts::ConflictsArgs { action: None, .. })
            | Command::Problems(problems::ProblemsArgs { action: None, .. })
            | Command::Resolve(_)
            | Command::Status { .. }
    )
}

pub(crate) fn print_json<T: serde::Serialize>(value: &T) {
    match serde_json::to_string_pretty(value) {
        Ok(s) => println!("{s}"),
        Err(e) => eprintln!("onbehalf: could not write JSON: {e}"),
    }
}
