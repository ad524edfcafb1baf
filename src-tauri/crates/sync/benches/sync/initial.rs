//! The initial share of many items over five owners' calendars, next to its floor.

use super::*;

pub(crate) async fn initial_share(s: &Sizes) -> Result<(), Failure> {
    let dir = tempfile::tempdir()?;
    let sb = Sandbox::start(SandboxOptions::default()).await?;
    let mut owners = Vec::new();
    for (k, address) in OWNERS.iter().enumerate() {
        let n = s.items / OWNERS.len() + usize::from(k < s.items % OWNERS.len());
        let (app, token) = App::sign_in(&sb, address, dir.path()).await?;
        let window = app.ctx.window(Utc::now());
        add_items(&sb, &token, &schedule("Account review", n, 1, window)).await?;
        let in_view = items_in_view(&sb, &token, window).await?;
        owners.push((app, n, in_view));
    }
    sb.faults().set_latency(s.latency);
    sb.salesforce_faults().set_latency(s.latency);

    println!(
        "Initial share: {} items over {} owners' calendars, each item with the share category; \
         {} ms added to every Graph and Salesforce request; each owner's sync run until a cycle \
         does nothing",
        s.items,
        OWNERS.len(),
        s.latency.as_millis()
    );
    println!(
        "{:<26} {:>6} {:>6} {:>6} {:>6} | {:>7} {:>6} {:>7} {:>6} {:>7} | {:>7} {:>7} {:>7} | {:>8}",
        "owner",
        "items",
        "viewed",
        "shared",
        "cycles",
        "Graph",
        "$batch",
        "members",
        "delta",
        "writes",
        "CRM",
        "writing",
        "records",
        "time"
    );
    let mut total = Totals::default();
    for (app, n, in_view) in &owners {
        let run = settle(app, &sb).await?;
        println!(
            "{:<26} {:>6} {:>6} {:>6} {:>6} | {:>7} {:>6} {:>7} {:>6} {:>7} | {:>7} {:>7} {:>7} | {:>6.1} s{}",
            app.ctx.me,
            n,
            in_view,
            run.shared,
            run.cycles,
            run.graph.requests,
            run.graph.batches,
            run.graph.batch_members,
            run.graph.delta_pages,
            run.graph.writes,
            run.crm.requests,
            run.crm.write_requests,
            run.crm.records_written,
            run.elapsed.as_secs_f64(),
            match run.settled {
                true => "",
                false => "  (still working after the last cycle)",
            }
        );
        total.add(*n, *in_view, &run);
    }
    println!(
        "(viewed: items in the window, counted through the sandbox; cycles: those that did \
         something, the quiet one that ended the run left out of every figure; writes: Graph \
         requests and batch members that are not reads; writing: Salesforce requests that wrote \
         records)"
    );
    println!();
    print_floor(&total, sb.faults().delta_page_size(), s.latency);
    sb.shutdown().await;
    Ok(())
}

/// The initial share's figures summed over the owners, and their floors.
#[derive(Default)]
pub(crate) struct Totals {
    pub(crate) items: usize,
    pub(crate) graph: GraphCounts,
    pub(crate) crm: SalesforceCounts,
    pub(crate) elapsed: Duration,
    /// Per owner: (items to share, items in the window), for floors taken per owner.
    pub(crate) owners: Vec<(usize, usize)>,
}

impl Totals {
    pub(crate) fn add(&mut self, n: usize, in_view: usize, run: &Settled) {
        self.items += n;
        self.owners.push((n, in_view));
        let g = &mut self.graph;
        g.requests += run.graph.requests;
        g.batches += run.graph.batches;
        g.batch_members += run.graph.batch_members;
        g.delta_pages += run.graph.delta_pages;
        g.writes += run.graph.writes;
        let c = &mut self.crm;
        c.requests += run.crm.requests;
        c.write_requests += run.crm.write_requests;
        c.records_written += run.crm.records_written;
        self.elapsed += run.elapsed;
    }
}

pub(crate) fn print_floor(t: &Totals, page: Option<u64>, latency: Duration) {
    let page_size = page
        .and_then(|p| usize::try_from(p).ok())
        .filter(|p| *p > 0);
    let delta_floor: Option<usize> = page_size.map(|p| {
        t.owners
            .iter()
            .map(|(_, in_view)| in_view.div_ceil(p).max(1))
            .sum()
    });
    let marks_floor: usize = t.owners.iter().map(|(n, _)| n.div_ceil(MAX_BATCH)).sum();
    let crm_floor: usize = t.owners.iter().map(|(n, _)| n.div_ceil(CRM_PER_CALL)).sum();
    let graph_floor = delta_floor.map(|d| d + marks_floor);
    let page_text = page.map_or("none asked".to_string(), |p| p.to_string());

    println!(
        "Initial share, all owners, next to the floor ({} items)",
        t.items
    );
    println!("{:<52} {:>9} {:>9} {:>8}", "", "measured", "floor", "ratio");
    row(
        "Graph round trips",
        t.graph.requests,
        graph_floor.map(|f| f as u64),
    );
    row(
        &format!("  delta pages (page size {page_text})"),
        t.graph.delta_pages,
        delta_floor.map(|f| f as u64),
    );
    println!(
        "{:<52} {:>9} {:>9}",
        format!("  mark writes, {MAX_BATCH} to a $batch: $batch requests"),
        t.graph.batches,
        marks_floor
    );
    println!(
        "{:<52} {:>9} {:>9}",
        "  writes alone or in a $batch", t.graph.writes, t.items
    );
    row(
        "Salesforce round trips",
        t.crm.requests,
        Some(crm_floor as u64),
    );
    row(
        &format!("  that wrote records ({CRM_PER_CALL} to a call)"),
        t.crm.write_requests,
        Some(crm_floor as u64),
    );
    println!(
        "{:<52} {:>9} {:>9}",
        "  records written", t.crm.records_written, t.items
    );
    let floor_trips = graph_floor.map(|g| g + crm_floor);
    let floor_time =
        floor_trips.map(|f| latency.saturating_mul(u32::try_from(f).unwrap_or(u32::MAX)));
    println!(
        "{:<52} {:>7.1} s {:>7} {:>8}   (floor: its round trips one after another at the latency)",
        "Wall time",
        t.elapsed.as_secs_f64(),
        floor_time.map_or("—".to_string(), |f| format!("{:.1} s", f.as_secs_f64())),
        match floor_time {
            Some(f) if !f.is_zero() => format!("{:.2}", t.elapsed.as_secs_f64() / f.as_secs_f64()),
            _ => "—".to_string(),
        }
    );
}

pub(crate) fn row(what: &str, measured: u64, floor: Option<u64>) {
    let ratio = match floor {
        Some(f) if f > 0 => format!("{:.2}", measured as f64 / f as f64),
        _ => "—".to_string(),
    };
    println!(
        "{what:<52} {measured:>9} {:>9} {ratio:>8}",
        floor.map_or("—".to_string(), |f| f.to_string())
    );
}

// ---------------------------------------------------------------------------------------------
// The idle poll
