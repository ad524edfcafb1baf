//! Round trips and time of the sync cycle over the real Graph and Salesforce clients, against
//! the in-process sandbox with latency added to every Graph and Salesforce request, each next
//! to its floor:
//!
//! - **Initial share**: five owners' calendars, 2,000 items each in the sync window, every one
//!   carrying the share category; each owner's own sync runs until a cycle does nothing. The
//!   floor per owner: ⌈items in the window / delta page size⌉ delta pages (the page size the
//!   client asked the sandbox for) and ⌈n/20⌉ `$batch`es of mark writes on Graph, ⌈n/200⌉
//!   sObject Collections calls on Salesforce.
//! - **Idle poll**: a delegate whose sync covers 20 calendars (their own and 19 owners' they
//!   can read; every fifth item shared where the owner has a CRM user), nothing changed since
//!   its last cycle. The floor: one Graph request (a `$batch`) and at most one Salesforce
//!   request.
//!
//! The calendars are filled through the sandbox's Graph as Outlook would (raw `$batch`
//! requests, not the client under test), before the latency is switched on. The demo
//! organisation has thirteen people and neither Graph nor the sandbox's control API adds one,
//! so the idle poll's sandbox keeps its state in a file and the people it lacks are added to
//! that file before the sandbox starts serving; with a state file the sandbox writes it after
//! every change, which adds a little time to each write and delta page there.
//!
//! `cargo bench -p onbehalf-sync --bench sync`. `ONBEHALF_BENCH_ITEMS` (default 10000, split
//! over the five owners), `ONBEHALF_BENCH_CALENDARS` (default 20), `ONBEHALF_BENCH_IDLE_ITEMS`
//! (items per calendar of the idle poll, default 50) and `ONBEHALF_BENCH_LATENCY_MS` (default
//! 20) change the sizes and the latency. Without `--bench` (as `cargo test --benches` runs it)
//! it makes one quick pass with small sizes and no latency. It prints figures and asserts
//! nothing about time.

use std::error::Error;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{DateTime, Duration as Span, Utc};
use onbehalf_engine::permission::{OutlookLevel, Rights};
use onbehalf_engine::sync::port::Window;
use onbehalf_graph::{
    Endpoints, GraphClient, GraphItems, LoopbackSignIn, StaticTokens, Trust, MAX_BATCH,
};
use onbehalf_salesforce::{
    on_new_sign_in, SalesforceClient, SalesforceConfig, SalesforceCrm, TokenProvider, WebSignIn,
};
use onbehalf_sandbox::{demo_org, GraphCounts, Reach, SalesforceCounts, Sandbox, SandboxOptions};
use onbehalf_store::{Account, Store};
use onbehalf_sync::{run_cycle, Calendar, Context, Mode, Report, Settings};
use serde_json::{json, Value};
use url::Url;

pub(crate) type Failure = Box<dyn Error + Send + Sync>;

mod app;
mod idle;
mod initial;
mod sandbox;

use app::*;
use idle::*;
use initial::*;
use sandbox::*;

/// The owners of the initial share: people of the demo org with a CRM user in Contoso's org.
pub(crate) const OWNERS: [&str; 5] = [
    "olivia.grant@contoso.com",
    "daniel.reyes@contoso.com",
    "emma.chen@contoso.com",
    "aaron.patel@contoso.com",
    "rita.novak@contoso.com",
];
/// The delegate of the idle poll.
pub(crate) const WATCHER: &str = "daniel.reyes@contoso.com";
/// Records per sObject Collections call.
pub(crate) const CRM_PER_CALL: usize = 200;
/// Of the idle poll's items, every this many carries the share category.
pub(crate) const SHARE_EVERY: usize = 5;
/// A sync that has not settled after this many cycles is reported as such.
pub(crate) const MAX_CYCLES: usize = 12;

pub(crate) fn main() -> Result<(), Failure> {
    let sizes = Sizes::read()?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        initial_share(&sizes).await?;
        println!();
        idle_poll(&sizes).await
    })
}

/// What to measure, and with how much latency.
pub(crate) struct Sizes {
    pub(crate) items: usize,
    pub(crate) calendars: usize,
    pub(crate) idle_items: usize,
    pub(crate) latency: Duration,
}

impl Sizes {
    pub(crate) fn read() -> Result<Sizes, Failure> {
        // `cargo bench` passes `--bench`; any other run is a quick check that it still works.
        let full = std::env::args().any(|a| a == "--bench");
        let (items, calendars, idle_items, latency_ms) = match full {
            true => (10_000, 20, 50, 20),
            false => (50, 4, 5, 0),
        };
        Ok(Sizes {
            items: setting("ONBEHALF_BENCH_ITEMS", items)?.max(OWNERS.len()),
            calendars: setting("ONBEHALF_BENCH_CALENDARS", calendars)?.clamp(2, 500),
            idle_items: setting("ONBEHALF_BENCH_IDLE_ITEMS", idle_items)?,
            latency: Duration::from_millis(u64::try_from(setting(
                "ONBEHALF_BENCH_LATENCY_MS",
                latency_ms,
            )?)?),
        })
    }
}

pub(crate) fn setting(name: &str, default: usize) -> Result<usize, Failure> {
    match std::env::var(name) {
        Ok(text) => text
            .trim()
            .parse()
            .map_err(|e| format!("{name}={text} is not a whole number: {e}").into()),
        Err(_) => Ok(default),
    }
}

// ---------------------------------------------------------------------------------------------
// The initial share
