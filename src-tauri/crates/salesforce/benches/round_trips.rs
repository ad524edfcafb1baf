//! How many HTTP round trips, and how long, the Salesforce client takes for bulk work against
//! the sandbox's emulator with latency added to every request: an assistant creating events
//! on the executive's calendar, then reading them back by id and through a paged SOQL query.
//! Each figure stands next to its floor: ⌈n/200⌉ calls for sObject Collections and for
//! queries by id (200 ids per `IN` list), ⌈n/2000⌉ for a query read in batches of 2,000.
//!
//! `cargo bench -p onbehalf-salesforce --bench round_trips`; `ONBEHALF_BENCH_EVENTS` (default
//! 10000; events created are a tenth of it) and `ONBEHALF_BENCH_LATENCY_MS` (default 20)
//! change the size and the latency. It prints figures and asserts nothing about time.

use std::error::Error;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{Duration as Span, Utc};
use onbehalf_engine::crm::{Crm, CrmEvent, EventTime};
use onbehalf_salesforce::models::{EventRecord, EVENT_FIELDS};
use onbehalf_salesforce::{
    on_new_sign_in, SalesforceClient, SalesforceConfig, SalesforceCrm, TokenProvider, WebSignIn,
};
use onbehalf_sandbox::{demo_org, SalesforceFaults, Sandbox, SandboxOptions};
use url::Url;

type Failure = Box<dyn Error + Send + Sync>;

const ASSISTANT: &str = "daniel.reyes@contoso.com";
const EXECUTIVE: &str = "olivia.grant@contoso.com";
/// Records per sObject Collections call, and ids per `IN` list of a read by id.
const PER_CALL: usize = 200;
/// Records per batch of a query asked for the largest batches.
const PER_BATCH: usize = 2000;

fn main() -> Result<(), Failure> {
    let events = setting("ONBEHALF_BENCH_EVENTS", 10_000)?.max(1);
    let latency = Duration::from_millis(setting("ONBEHALF_BENCH_LATENCY_MS", 20)?);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(run(events, latency))
}

fn setting(name: &str, default: u64) -> Result<u64, Failure> {
    match std::env::var(name) {
        Ok(text) => text
            .trim()
            .parse()
            .map_err(|e| format!("{name}={text} is not a whole number: {e}").into()),
        Err(_) => Ok(default),
    }
}

async fn run(events: u64, latency: Duration) -> Result<(), Failure> {
    let n = usize::try_from(events)?;
    let sandbox = Sandbox::start(SandboxOptions::default()).await?;
    let faults = sandbox.salesforce_faults();
    let crm = sign_in(&sandbox, ASSISTANT).await?;
    let owner = crm
        .find_user(EXECUTIVE)
        .await?
        .ok_or("the executive has no CRM user")?;
    faults.set_latency(latency);

    println!(
        "Salesforce client against the emulator, {} ms added to every request, as {ASSISTANT} \
         on {EXECUTIVE}'s calendar",
        latency.as_millis()
    );
    println!(
        "{:<44} {:>8} {:>12} {:>6} {:>10} {:>10}",
        "operation", "records", "round trips", "floor", "elapsed", "per trip"
    );

    let seed: Vec<CrmEvent> = (0..n).map(|i| event(&owner.id, "Seeded", i)).collect();
    let mut ids = Vec::with_capacity(n);
    measure(
        &faults,
        "create_events (the events to read)",
        n,
        PER_CALL,
        async {
            for result in crm.create_events(&seed).await? {
                ids.push(result?);
            }
            Ok(n)
        },
    )
    .await?;

    measure(&faults, "read_events by id", n, PER_CALL, async {
        let mut read = 0;
        for result in crm.read_events(&ids).await? {
            result?;
            read += 1;
        }
        Ok(read)
    })
    .await?;

    let soql = format!(
        "SELECT {} FROM Event WHERE OwnerId = '{}' AND Subject LIKE 'Seeded %'",
        EVENT_FIELDS.join(", "),
        owner.id
    );
    measure(
        &faults,
        "SOQL query, batches of 2,000",
        n,
        PER_BATCH,
        async {
            let rows: Vec<EventRecord> = crm.client().query(soql).batch_size(2000).all().await?;
            Ok(rows.len())
        },
    )
    .await?;

    let fresh = (n / 10).max(1);
    let batch: Vec<CrmEvent> = (0..fresh).map(|i| event(&owner.id, "Created", i)).collect();
    measure(&faults, "create_events", fresh, PER_CALL, async {
        for result in crm.create_events(&batch).await? {
            result?;
        }
        Ok(fresh)
    })
    .await?;

    faults.clear();
    sandbox.shutdown().await;
    Ok(())
}

/// Run `work`, then print its round trips (requests the emulator saw) and time next to the
/// floor of ⌈records / per_trip⌉.
async fn measure(
    faults: &SalesforceFaults,
    what: &str,
    expected: usize,
    per_trip: usize,
    work: impl std::future::Future<Output = Result<usize, Failure>>,
) -> Result<(), Failure> {
    let before = faults.requests_seen();
    let started = Instant::now();
    let records = work.await?;
    let elapsed = started.elapsed();
    let trips = faults.requests_seen() - before;
    if records != expected {
        return Err(format!("{what}: {records} records instead of {expected}").into());
    }
    let floor = records.div_ceil(per_trip);
    let per_trip_ms = elapsed.as_secs_f64() * 1000.0 / trips.max(1) as f64;
    println!(
        "{what:<44} {records:>8} {trips:>12} {floor:>6} {:>8.2} s {per_trip_ms:>7.1} ms",
        elapsed.as_secs_f64()
    );
    Ok(())
}

/// A half-hour meeting on the owner's calendar, the `i`th after tomorrow morning.
fn event(owner: &str, subject: &str, i: usize) -> CrmEvent {
    let morning = (Utc::now() + Span::days(1))
        .date_naive()
        .and_hms_opt(8, 0, 0)
        .unwrap_or_default()
        .and_utc();
    let start = morning + Span::minutes(30 * i64::try_from(i).unwrap_or(0));
    CrmEvent {
        id: None,
        owner_id: owner.to_string(),
        subject: format!("{subject} {i}"),
        location: Some("Board room".to_string()),
        description: None,
        time: EventTime::Timed {
            start,
            end: start + Span::minutes(30),
        },
        is_private: false,
        show_as_busy: true,
        who_id: None,
        what_id: None,
        external_id: Some(format!("AAMkAGI2-{subject}-{i}")),
        version: None,
    }
}

/// Sign a demo user in through the browser flow, the sandbox's authorize page sending the
/// "browser" straight back for the `login_hint`.
async fn sign_in(sandbox: &Sandbox, address: &str) -> Result<SalesforceCrm, Failure> {
    if !demo_org().users.iter().any(|u| u.address == address) {
        return Err(format!("{address} is not a demo user").into());
    }
    let mut config = SalesforceConfig::new(
        Url::parse(&sandbox.salesforce_login_url())?,
        sandbox.salesforce_client_id(),
    );
    config.redirect_port = 0;
    let (flow, url) = WebSignIn::start(&config, Some(address)).await?;
    let browser = reqwest::Client::new();
    let visit = async move { browser.get(url).send().await };
    let (visited, tokens) = tokio::join!(visit, flow.finish(Duration::from_secs(30)));
    visited?;
    let provider = TokenProvider::new(&config, tokens?, on_new_sign_in(|_| async { Ok(()) }))?;
    let client = SalesforceClient::new(
        config.api_version.clone(),
        Arc::new(provider),
        &config.trust,
    )?;
    Ok(SalesforceCrm::new(client))
}
