//! `onbehalf slots`: free times for a meeting on the user's own or an owner's calendar, in the
//! recipient's zone, as a list, JSON or the message to send.

use std::fmt::Write;

use chrono::{Local, NaiveDate, TimeDelta};
use clap::Args;
use onbehalf_service::{
    compose_message, DraftRequest, ErrorCode, MessageRequest, Onbehalf, SendOnBehalf, ServiceError,
    SlotCalendars, SlotRequest, SlotsFound,
};

use crate::exit::Exit;
use crate::print_json;

#[derive(Debug, Args)]
pub struct SlotsArgs {
    /// Whose calendar: `me` or the owner's address (default: the one used last).
    #[arg(long, value_name = "OWNER|me")]
    pub calendar: Option<String>,
    /// List the calendars time slots can come from, and why the others cannot.
    #[arg(long, conflicts_with = "json")]
    pub calendars: bool,
    /// Meeting length in minutes (default: the one used last on this calendar, else 30).
    #[arg(long, value_name = "MINUTES")]
    pub duration: Option<u32>,
    /// First day, YYYY-MM-DD in the recipient's zone (default: today).
    #[arg(long, value_name = "DATE")]
    pub from: Option<NaiveDate>,
    /// Last day, included (default: six days after the first).
    #[arg(long, value_name = "DATE")]
    pub to: Option<NaiveDate>,
    /// The recipient's time zone, a Windows or IANA name (default: the owner's).
    #[arg(long, value_name = "ZONE")]
    pub tz: Option<String>,
    /// A required attendee besides the owner; only times everyone is free. Repeatable.
    #[arg(long = "with", value_name = "ADDRESS")]
    pub with: Vec<String>,
    /// Minutes between possible starts.
    #[arg(long, value_name = "MINUTES")]
    pub increment: Option<u32>,
    /// Free minutes kept before the meeting.
    #[arg(long, value_name = "MINUTES")]
    pub buffer_before: Option<u32>,
    /// Free minutes kept after the meeting.
    #[arg(long, value_name = "MINUTES")]
    pub buffer_after: Option<u32>,
    /// The earliest start is this many minutes from now.
    #[arg(long, value_name = "MINUTES")]
    pub notice: Option<u32>,
    /// At most this many slots a day (0: no limit).
    #[arg(long, value_name = "N")]
    pub max_per_day: Option<u32>,
    /// Offer times the owner has marked tentative (they count as busy by default).
    #[arg(long, conflicts_with = "tentative_busy")]
    pub tentative_free: bool,
    /// Count tentative times as busy again.
    #[arg(long)]
    pub tentative_busy: bool,
    /// Print JSON: each slot's start and end in RFC 3339 with the recipient zone's offset.
    #[arg(long)]
    pub json: bool,
    /// Print the message to send (subject and plain text) instead of the list.
    #[arg(long, conflicts_with = "json")]
    pub message: bool,
    /// Offer only these times, by their numbers in the list. Repeatable.
    #[arg(long = "pick", value_name = "N")]
    pub pick: Vec<u32>,
    /// Your own words, put first in the message.
    #[arg(long, value_name = "TEXT")]
    pub note: Option<String>,
    /// Create the message as a draft in your Drafts folder, from the owner when it is their
    /// calendar (Send on Behalf).
    #[arg(long, conflicts_with = "json")]
    pub draft: bool,
    /// Create the message and send it at once (needs --recipient).
    #[arg(long, conflicts_with_all = ["json", "draft"], requires = "recipient")]
    pub send: bool,
    /// Who the message is for (for --draft or --send). Repeatable.
    #[arg(long, value_name = "ADDRESS")]
    pub recipient: Vec<String>,
    /// Each time links to a ready reply; a reply that comes back books it (see `offers`).
    #[arg(long)]
    pub reply_links: bool,
    /// Hold the times offered on the calendar (tentative, category "Onbehalf hold") until one
    /// is booked or the offer ends.
    #[arg(long)]
    pub hold: bool,
    /// The offer (and its holds) ends this many days from now, at the latest when its last
    /// time begins.
    #[arg(long, value_name = "DAYS")]
    pub hold_days: Option<u32>,
}

/// `slots` (start times) or `availability` (free stretches by day).
pub async fn slots(
    app: &Onbehalf,
    args: &SlotsArgs,
    availability: bool,
) -> Result<Exit, ServiceError> {
    if (args.reply_links || args.hold) && availability {
        return Err(ServiceError::new(
            ErrorCode::InvalidInput,
            "Availability lists free stretches, not times to book: reply links and holds are for `slots`.",
        ));
    }
    if args.calendars {
        print!("{}", render_calendars(&app.slot_calendars().await?));
        return Ok(Exit::Ok);
    }
    let request = request(app, args).await?;
    let found = app.find_slots(&request).await?;
    let message = MessageRequest {
        found,
        picked: args.pick.clone(),
        availability,
        note: args.note.clone(),
        reply_links: args.reply_links,
        token: None,
        holds: args.hold,
        hold_days: args.hold_days,
    };
    if args.draft || args.send {
        let outcome = app
            .create_slot_draft(&DraftRequest {
                message,
                to: args.recipient.clone(),
                send: args.send,
            })
            .await?;
        println!("{}", outcome.notice);
        if let Some(link) = outcome.web_link {
            println!("Open it: {link}");
        }
        return Ok(Exit::Ok);
    }
    let found = message.found.clone();
    if args.message {
        let composed = compose_message(&message)?;
        println!("Subject: {}\n", composed.message.subject);
        print!("{}", composed.message.text);
        if !composed.message.text.ends_with('\n') {
            println!();
        }
        // Printed is as good as copied: replies to it may book a time from now on.
        let held = app.offer_copied(&message, &composed).await?;
        if let Some(token) = composed.token {
            eprintln!("Replies to this offer (OB-{token}) are watched by `onbehalf offers --check` and the app.");
        }
        if held > 0 {
            eprintln!("{held} times are held on the calendar until one is booked.");
        }
        return Ok(Exit::Ok);
    }
    match (args.json, availability) {
        (true, false) => print_json(&found),
        (true, true) => print_json(&found.free),
        (false, false) => print!("{}", render_found(&found)),
        (false, true) => print!("{}", render_free(&found)),
    }
    Ok(Exit::Ok)
}

/// The request from the flags, over the rules last used on the calendar.
async fn request(app: &Onbehalf, args: &SlotsArgs) -> Result<SlotRequest, ServiceError> {
    let calendar = match &args.calendar {
        Some(c) => c.clone(),
        None => app
            .slot_calendars()
            .await?
            .default
            .unwrap_or_else(|| "me".to_string()),
    };
    let mut prefs = app.slot_prefs(&calendar).await?;
    let set = |field: &mut u32, value: Option<u32>| {
        if let Some(v) = value {
            *field = v;
        }
    };
    set(&mut prefs.duration_minutes, args.duration);
    set(&mut prefs.increment_minutes, args.increment);
    set(&mut prefs.buffer_before_minutes, args.buffer_before);
    set(&mut prefs.buffer_after_minutes, args.buffer_after);
    set(&mut prefs.minimum_notice_minutes, args.notice);
    set(&mut prefs.max_per_day, args.max_per_day);
    if args.tentative_free {
        prefs.tentative_is_busy = false;
    }
    if args.tentative_busy {
        prefs.tentative_is_busy = true;
    }
    let first_day = args.from.unwrap_or_else(|| Local::now().date_naive());
    let last_day = match args.to {
        Some(d) => d,
        None => first_day
            .checked_add_signed(TimeDelta::days(6))
            .ok_or_else(|| {
                ServiceError::new(ErrorCode::InvalidInput, "The first day is out of range.")
            })?,
    };
    Ok(SlotRequest {
        calendar,
        with: args.with.clone(),
        first_day,
        last_day,
        recipient_zone: args.tz.clone(),
        prefs,
    })
}

fn render_calendars(calendars: &SlotCalendars) -> String {
    let mut out = String::new();
    for c in &calendars.calendars {
        let chosen = match calendars.default.as_deref() == Some(c.owner.as_str()) {
            true => " (default)",
            false => "",
        };
        let whose = match c.is_own {
            true => format!("Your calendar ({})", c.owner),
            false => format!("{}'s calendar ({})", c.owner_name, c.owner),
        };
        let _ = writeln!(out, "{whose}{chosen}");
        match (&c.verdict.allowed, &c.verdict.reason) {
            (true, _) => {
                let sending = match c.send_on_behalf {
                    SendOnBehalf::NotNeeded => "you send as yourself",
                    SendOnBehalf::Granted => "you may send on their behalf",
                    SendOnBehalf::NotGranted => {
                        "you may not send on their behalf (copy the message instead)"
                    }
                    SendOnBehalf::NotProven => {
                        "sending on their behalf is not proven; Exchange decides when it is sent"
                    }
                };
                let _ = writeln!(out, "    time slots: yes; {sending}");
            }
            (false, reason) => {
                let _ = writeln!(
                    out,
                    "    time slots: no. {}",
                    reason.as_deref().unwrap_or("No reason was given.")
                );
            }
        }
    }
    if calendars.calendars.is_empty() {
        out.push_str("No calendars yet: run `onbehalf calendars` first.\n");
    }
    out
}

fn whose(found: &SlotsFound) -> String {
    match found.owner.address == found.sender.address {
        true => "your calendar".to_string(),
        false => format!("{}'s calendar", found.owner.name),
    }
}

fn render_free(found: &SlotsFound) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Free on {}, {} to {}, in {} (each stretch fits {} minutes):",
        whose(found),
        found.first_day,
        found.last_day,
        found.recipient_zone_name,
        found.duration_minutes
    );
    if found.free.is_empty() {
        out.push_str("  nothing free for that long inside working hours then.\n");
    }
    for day in &found.free {
        let _ = writeln!(out, "{}", day.day.format("%A %-d %B %Y"));
        for stretch in &day.free {
            let _ = writeln!(
                out,
                "  {}–{} ({})",
                stretch.start.format("%H:%M"),
                stretch.end.format("%H:%M"),
                stretch.start.format("UTC%:z")
            );
        }
    }
    out
}

fn render_found(found: &SlotsFound) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Free times for {} minutes on {}, {} to {}, in {}:",
        found.duration_minutes,
        whose(found),
        found.first_day,
        found.last_day,
        found.recipient_zone_name
    );
    if found.slots.is_empty() {
        out.push_str("  none: nobody is free for that long inside working hours then.\n");
        return out;
    }
    let mut day = None;
    for (n, slot) in found.slots.iter().enumerate() {
        if day != Some(slot.day()) {
            day = Some(slot.day());
            let _ = writeln!(out, "{}", slot.start.format("%A %-d %B %Y"));
        }
        let owner_time = match &found.owner_zone {
            Some(zone) => {
                let start = zone.local(slot.start.to_utc());
                let end = zone.local(slot.end.to_utc());
                format!(
                    "  ({}–{} for {})",
                    start.format("%H:%M"),
                    end.format("%H:%M"),
                    found.owner.name
                )
            }
            None => String::new(),
        };
        let _ = writeln!(
            out,
            "  {:>2}. {}–{} ({}){owner_time}",
            n + 1,
            slot.start.format("%H:%M"),
            slot.end.format("%H:%M"),
            slot.start.format("UTC%:z"),
        );
    }
    out
}
