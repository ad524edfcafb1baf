//! The idle poll of a delegate's twenty calendars, next to its floor.

use super::*;

/// An owner whose calendar the watcher's sync covers.
pub(crate) struct Owner {
    pub(crate) address: String,
    pub(crate) name: String,
    /// The watcher's level on the calendar; `None` until the bench grants Reviewer.
    pub(crate) level: Option<OutlookLevel>,
    /// The owner has a CRM user in the watcher's org, so their own sync shares their items.
    pub(crate) crm_user: Option<String>,
}

pub(crate) async fn idle_poll(s: &Sizes) -> Result<(), Failure> {
    let dir = tempfile::tempdir()?;
    let state = dir.path().join("sandbox.json");
    let opts = SandboxOptions {
        state_file: Some(state.clone()),
        ..SandboxOptions::default()
    };
    // The seed, written to the state file, to which the people the demo lacks are added.
    Sandbox::start(opts.clone()).await?.shutdown().await;
    let demo = demo_org();
    let watcher = demo
        .users
        .iter()
        .find(|u| u.address == WATCHER)
        .ok_or("the watcher is not a demo user")?;
    let mut owners: Vec<Owner> = demo
        .users
        .iter()
        .filter(|u| u.address != WATCHER)
        .map(|u| Owner {
            address: u.address.clone(),
            name: u.display_name.clone(),
            level: watcher
                .reachable
                .iter()
                .find(|r| r.owner == u.address && r.is_owner_default && r.via == Reach::Grant)
                .and_then(|r| {
                    OutlookLevel::ALL
                        .into_iter()
                        .find(|l| l.label() == r.outlook_level)
                }),
            crm_user: (u.crm.org_id == watcher.crm.org_id).then(|| u.crm.user_id.clone()),
        })
        .collect();
    let wanted = s.calendars - 1;
    let demo_owners = owners.len().min(wanted);
    let added = add_users(&state, wanted.saturating_sub(owners.len()))?;
    owners.extend(added.into_iter().map(|(address, name)| Owner {
        address,
        name,
        level: None,
        crm_user: None,
    }));
    owners.truncate(wanted);

    let sb = Sandbox::start(opts).await?;
    let (mut app, token) = App::sign_in(&sb, WATCHER, dir.path()).await?;
    let window = app.ctx.window(Utc::now());
    for owner in &owners {
        let share_every = match owner.crm_user {
            Some(_) => SHARE_EVERY,
            None => 0,
        };
        let items = schedule("Meeting", s.idle_items, share_every, window);
        match owner.crm_user {
            // The owner's own sync shares their items, as their Onbehalf would.
            Some(_) => {
                let (theirs, token) = App::sign_in(&sb, &owner.address, dir.path()).await?;
                grant_read(&sb, &token, owner, WATCHER).await?;
                add_items(&sb, &token, &items).await?;
                settle(&theirs, &sb).await?;
            }
            None => {
                let token = graph_token(&sb, &owner.address).await?;
                grant_read(&sb, &token, owner, WATCHER).await?;
                add_items(&sb, &token, &items).await?;
            }
        }
    }
    add_items(
        &sb,
        &token,
        &schedule("Own meeting", s.idle_items, SHARE_EVERY, window),
    )
    .await?;
    app.ctx.calendars.extend(owners.iter().map(|o| {
        let level = o.level.unwrap_or(OutlookLevel::Reviewer);
        Calendar {
            owner: o.address.to_lowercase(),
            owner_name: o.name.clone(),
            is_own: false,
            rights: level.rights(),
            level: level.label().to_string(),
            owner_sync_on: o.crm_user.is_some(),
            owner_crm_user: o.crm_user.clone(),
            may_add_crm: None,
            direct_share: false,
        }
    }));
    let primed = settle(&app, &sb).await?;

    sb.faults().set_latency(s.latency);
    sb.salesforce_faults().set_latency(s.latency);
    let (graph0, crm0) = (sb.faults().graph_counts(), sb.salesforce_faults().counts());
    let started = Instant::now();
    let report = run_cycle(
        &app.items,
        &app.crm,
        &app.store,
        &app.ctx,
        Mode::Execute,
        Utc::now(),
    )
    .await?;
    let elapsed = started.elapsed();
    let graph = sb.faults().graph_counts().since(&graph0);
    let crm = sb.salesforce_faults().counts().since(&crm0);

    println!(
        "Idle poll: {WATCHER}'s sync covers {} calendars (own + {} owners: {} of the demo org, \
         {} added to the sandbox), {} items each (every {SHARE_EVERY}th shared where the owner \
         has a CRM user), nothing changed since its last cycle ({} cycles before it{}); {} ms \
         added to every request",
        owners.len() + 1,
        owners.len(),
        demo_owners,
        owners.len() - demo_owners,
        s.idle_items,
        primed.cycles + 1,
        match primed.settled {
            true => "",
            false => ", still working after the last",
        },
        s.latency.as_millis()
    );
    println!("{:<52} {:>9} {:>9}", "", "measured", "floor");
    println!("{:<52} {:>9} {:>9}", "Graph requests", graph.requests, 1);
    println!(
        "{:<52} {:>9}",
        "  $batch requests (requests in them)",
        format!("{} ({})", graph.batches, graph.batch_members)
    );
    println!("{:<52} {:>9}", "  delta pages", graph.delta_pages);
    println!("{:<52} {:>9}", "  writes", graph.writes);
    println!(
        "{:<52} {:>9} {:>9}",
        "Salesforce requests", crm.requests, "≤ 1"
    );
    println!("{:<52} {:>9}", "  that wrote records", crm.write_requests);
    let floor_time = s.latency.saturating_mul(2);
    println!(
        "{:<52} {:>7.2} s {:>7.2} s   (floor: its round trips one after another at the latency)",
        "Wall time",
        elapsed.as_secs_f64(),
        floor_time.as_secs_f64()
    );
    println!(
        "The cycle read {} items from Exchange and {} CRM events, and wrote {} to Exchange and {} \
         to the CRM.",
        report.exchange_items_read,
        report.crm_events_read,
        report.exchange_writes,
        report.crm_writes
    );
    sb.shutdown().await;
    Ok(())
}

/// Add `count` people, each with a default calendar, to the sandbox's state file, copying the
/// last demo user's shape; their addresses and names.
pub(crate) fn add_users(path: &Path, count: usize) -> Result<Vec<(String, String)>, Failure> {
    if count == 0 {
        return Ok(Vec::new());
    }
    let mut state: Value = serde_json::from_slice(&std::fs::read(path)?)?;
    let first = state["users"]
        .as_array()
        .map(Vec::len)
        .filter(|n| *n > 0)
        .ok_or("the sandbox's state file has no users")?;
    let template = state["users"][first - 1].clone();
    let calendar = state["calendars"]
        .as_object()
        .and_then(|all| {
            all.values()
                .find(|c| c["owner"] == json!(first - 1) && c["is_default"] == json!(true))
        })
        .cloned()
        .ok_or("the sandbox's state file has no default calendar for its last user")?;
    let mut next_key = state["next_key"]
        .as_u64()
        .ok_or("the sandbox's state file has no next key")?;
    let mut added = Vec::new();
    for i in 1..=count {
        let address = format!("bench.owner{i:02}@contoso.com");
        let name = format!("Bench Owner {i}");
        let mut user = template.clone();
        user["id"] = json!(format!("00000000-0000-4000-8000-{i:012}"));
        user["address"] = json!(address);
        user["display_name"] = json!(name);
        user["given_name"] = json!("Bench");
        user["surname"] = json!(format!("Owner {i}"));
        user["send_on_behalf_to"] = json!([]);
        user["tokens_valid_from"] = Value::Null;
        let mut cal = calendar.clone();
        cal["key"] = json!(next_key);
        cal["owner"] = json!(first + i - 1);
        cal["grants"] = json!([]);
        cal["extended"] = json!({});
        cal["version"] = json!(1);
        state["users"]
            .as_array_mut()
            .ok_or("the sandbox's state file has no users")?
            .push(user);
        state["calendars"]
            .as_object_mut()
            .ok_or("the sandbox's state file has no calendars")?
            .insert(next_key.to_string(), cal);
        next_key += 1;
        added.push((address, name));
    }
    state["next_key"] = json!(next_key);
    std::fs::write(path, serde_json::to_vec(&state)?)?;
    Ok(added)
}

// ---------------------------------------------------------------------------------------------
// One person's Onbehalf, and running its sync
