//! `onbehalf crm …`: sign in to the CRM, who you are there, and finding the records a meeting
//! is about.

use clap::Subcommand;
use onbehalf_service::{CrmAccountView, CrmRecord, Onbehalf, RecordKind, ServiceError};

use crate::exit::Exit;
use crate::print_json;

#[derive(Debug, Subcommand)]
pub enum CrmCommand {
    /// Sign in to the CRM (system browser; --device-code for a terminal-only machine).
    Login {
        #[arg(long)]
        device_code: bool,
    },
    /// Sign out of the CRM and remove the saved CRM sign-in from this computer.
    Logout,
    /// Who you are in the CRM: org, user, instance and the API allowance left today.
    Whoami {
        #[arg(long)]
        json: bool,
    },
    /// Find contacts, leads, accounts, opportunities and cases by a few letters.
    Search {
        text: String,
        #[arg(long)]
        json: bool,
    },
    /// The contacts and leads with these e-mail addresses (a meeting's attendees).
    Match {
        #[arg(required = true, value_name = "ADDRESS")]
        addresses: Vec<String>,
        #[arg(long)]
        json: bool,
    },
}

pub async fn run(app: &Onbehalf, cmd: &CrmCommand, as_user: bool) -> Result<Exit, ServiceError> {
    match cmd {
        CrmCommand::Login { device_code } => {
            let who = match (as_user, device_code) {
                // `--as` already signed the demo user in to the CRM.
                (true, _) => app.crm_whoami().await?,
                (false, true) => {
                    app.crm_sign_in_device_code(|p| eprintln!("{}", p.message))
                        .await?
                }
                (false, false) => {
                    let pending = app.crm_begin_sign_in().await?;
                    eprintln!(
                        "Opening your browser to sign in to the CRM. If it does not open, \
                         visit:\n  {}",
                        pending.authorize_url
                    );
                    if let Err(e) = webbrowser::open(&pending.authorize_url) {
                        tracing::debug!(error = %e, "could not open the browser");
                    }
                    app.crm_complete_sign_in(pending).await?
                }
            };
            println!("Signed in to the CRM as {} <{}>.", who.name, who.email);
            Ok(Exit::Ok)
        }
        CrmCommand::Logout => {
            let report = app.crm_sign_out().await?;
            match &report.left_behind {
                None => println!("Signed out of the CRM."),
                Some(left) => println!("Signed out of the CRM.\nNote: {left}"),
            }
            Ok(Exit::Ok)
        }
        CrmCommand::Whoami { json } => {
            let who = app.crm_whoami().await?;
            match json {
                true => print_json(&who),
                false => print!("{}", whoami(&who)),
            }
            Ok(Exit::Ok)
        }
        CrmCommand::Search { text, json } => {
            let found = app.crm_search(text).await?;
            match json {
                true => print_json(&found),
                false => print!("{}", records(&found, "Nothing in the CRM matches.")),
            }
            Ok(Exit::Ok)
        }
        CrmCommand::Match { addresses, json } => {
            let found = app.crm_match(addresses).await?;
            match json {
                true => print_json(&found),
                false => print!(
                    "{}",
                    records(&found, "No contact or lead has these addresses.")
                ),
            }
            Ok(Exit::Ok)
        }
    }
}

fn whoami(who: &CrmAccountView) -> String {
    let budget = who
        .budget
        .map(|b| format!("API calls left today: {} of {}\n", b.remaining, b.max))
        .unwrap_or_default();
    format!(
        "{} <{}>\norg {}, user {}\n{}\n{budget}",
        who.name, who.email, who.org_id, who.user_id, who.instance_url
    )
}

fn kind(k: RecordKind) -> &'static str {
    match k {
        RecordKind::Contact => "Contact",
        RecordKind::Lead => "Lead",
        RecordKind::Account => "Account",
        RecordKind::Opportunity => "Opportunity",
        RecordKind::Case => "Case",
    }
}

fn records(found: &[CrmRecord], none: &str) -> String {
    if found.is_empty() {
        return format!("{none}\n");
    }
    found
        .iter()
        .map(|r| {
            let details: Vec<String> = [
                r.number.as_ref().map(|n| format!("case {n}")),
                r.email.as_ref().map(|e| format!("<{e}>")),
                r.account.clone(),
                r.stage.clone(),
            ]
            .into_iter()
            .flatten()
            .collect();
            format!(
                "{:<12}{}  {}  [{}]\n",
                kind(r.kind),
                r.name,
                details.join(" · "),
                r.id
            )
        })
        .collect()
}
