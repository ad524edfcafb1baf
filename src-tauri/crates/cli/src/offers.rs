//! `onbehalf offers`: the time slot offers kept for booking by reply, what became of them,
//! reading the replies now, and withdrawing one (its holds are released).

use std::fmt::Write;

use clap::{Args, Subcommand};
use onbehalf_service::{OfferView, Onbehalf, ServiceError};

use crate::exit::Exit;
use crate::print_json;

#[derive(Debug, Args)]
pub struct OffersArgs {
    #[arg(long)]
    pub json: bool,
    /// Read the replies now and book what they chose.
    #[arg(long)]
    pub check: bool,
    #[command(subcommand)]
    pub action: Option<OffersAction>,
}

#[derive(Debug, Subcommand)]
pub enum OffersAction {
    /// Take an open offer back (its reference, e.g. OB-K7Q2MX): its holds are released.
    Withdraw { reference: String },
}

pub async fn offers(app: &Onbehalf, args: &OffersArgs) -> Result<Exit, ServiceError> {
    if let Some(OffersAction::Withdraw { reference }) = &args.action {
        app.withdraw_offer(reference).await?;
        println!("Withdrawn: its holds are released and replies to it book nothing.");
        return Ok(Exit::Ok);
    }
    if args.check {
        let outcomes = app.check_replies().await?;
        if args.json {
            print_json(&outcomes);
            return Ok(Exit::Ok);
        }
        for outcome in &outcomes {
            println!("{}", outcome.sentence());
        }
        if outcomes.is_empty() {
            println!("No new replies to your offers.");
        }
        return Ok(Exit::Ok);
    }
    let list = app.offers().await?;
    match args.json {
        true => print_json(&list),
        false => print!("{}", render(&list)),
    }
    Ok(Exit::Ok)
}

fn render(list: &[OfferView]) -> String {
    let mut out = String::new();
    if list.is_empty() {
        out.push_str("No offers: `onbehalf slots --reply-links` or `--hold` makes one.\n");
    }
    for o in list {
        let to = match o.to.as_slice() {
            [] => String::new(),
            to => format!(" to {}", to.join(", ")),
        };
        let _ = writeln!(out, "OB-{}  {}{to}  [{}]", o.reference, o.subject, o.state);
        let times = match o.slots.len() {
            1 => "1 time".to_string(),
            n => format!("{n} times"),
        };
        let _ = writeln!(
            out,
            "    {times} offered, {} held; made {}, ends {}",
            o.holds,
            o.created_at.format("%Y-%m-%d %H:%M UTC"),
            o.expires_at.format("%Y-%m-%d %H:%M UTC")
        );
        if let (Some(start), Some(with)) = (&o.booked_start, &o.booked_with) {
            let _ = writeln!(out, "    booked: {start} with {with}");
        }
    }
    out
}
