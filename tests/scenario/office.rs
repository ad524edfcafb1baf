//! The office the sharing scenarios play in: the demo people, their CLIs' JSON, items added in
//! Outlook, and the executive's and assistants' machines set up as on a first morning.

use chrono::{Duration, Utc};
use onbehalf_sandbox::demo_org;
use reqwest::Method;
use serde_json::{json, Value};

use crate::support::{encode, graph, token_for, Machine, World};

pub const OLIVIA: &str = "olivia.grant@contoso.com";
pub const DANIEL: &str = "daniel.reyes@contoso.com";
pub const EMMA: &str = "emma.chen@contoso.com";
pub const RITA: &str = "rita.novak@contoso.com";
pub const AARON: &str = "aaron.patel@contoso.com";

/// Run `args` as `user` and parse the JSON it prints.
pub async fn json_as(machine: &Machine, user: &str, args: &[&str]) -> Value {
    let mut all = vec!["--as", user];
    all.extend_from_slice(args);
    let out = machine.ok(&all).await;
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("{args:?} is not JSON ({e}): {out}"))
}

/// `user` adds an appointment for tomorrow to their own calendar in Outlook, with `extra`
/// properties; returns its id.
pub async fn adds(world: &World, user: &str, subject: &str, extra: Value) -> String {
    let token = token_for(world, user).await;
    let start = (Utc::now() + Duration::days(1)).format("%Y-%m-%dT10:00:00");
    let end = (Utc::now() + Duration::days(1)).format("%Y-%m-%dT11:00:00");
    let mut body = json!({
        "subject": subject,
        "body": {"contentType": "text", "content": "Agenda: renewal terms."},
        "start": {"dateTime": start.to_string(), "timeZone": "UTC"},
        "end": {"dateTime": end.to_string(), "timeZone": "UTC"},
        "location": {"displayName": "Board room"},
    });
    if let (Some(b), Some(e)) = (body.as_object_mut(), extra.as_object()) {
        for (k, v) in e {
            b.insert(k.clone(), v.clone());
        }
    }
    let (status, created) = graph(world, &token, Method::POST, "/me/events", Some(body)).await;
    assert_eq!(status, 201, "{created}");
    created["id"].as_str().unwrap().to_string()
}

/// Olivia adds an appointment to her calendar in Outlook; returns its id.
pub async fn olivia_adds(world: &World, subject: &str, extra: Value) -> String {
    adds(world, OLIVIA, subject, extra).await
}

/// The item with this id in `user`'s view of `owner`'s calendar.
pub async fn item_in(machine: &Machine, user: &str, owner: &str, id: &str) -> Value {
    let mut args = vec!["items", "--json"];
    if owner != user {
        args.extend(["--calendar", owner]);
    }
    let list = json_as(machine, user, &args).await;
    list.as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == id)
        .cloned()
        .unwrap_or_else(|| panic!("{user} does not see item {id} in {list}"))
}

/// The item with this id in `user`'s view of Olivia's calendar.
pub async fn olivias_item(machine: &Machine, user: &str, id: &str) -> Value {
    item_in(machine, user, OLIVIA, id).await
}

/// A contact and an opportunity to link, found as Daniel would find them.
pub async fn fabrikam_records(machine: &Machine) -> (String, String) {
    let found = json_as(machine, DANIEL, &["crm", "search", "Fabrikam", "--json"]).await;
    let id_of = |kind: &str| {
        found
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["type"] == kind)
            .and_then(|r| r["id"].as_str())
            .unwrap_or_else(|| panic!("no {kind} in {found}"))
            .to_string()
    };
    (id_of("contact"), id_of("opportunity"))
}

pub fn crm_user_of(address: &str) -> String {
    demo_org()
        .users
        .into_iter()
        .find(|u| u.address == address)
        .map(|u| u.crm.user_id)
        .unwrap()
}

/// Each delegate's app publishes its key, then Olivia's app turns her sync on or off (its
/// record seals each delegate's grant to their key), then each delegate's app reads it.
pub async fn office(
    world: &World,
    olivia_sync: bool,
    delegates: &[&str],
) -> (Machine, Vec<Machine>) {
    let machines: Vec<Machine> = delegates.iter().map(|_| world.machine()).collect();
    for (m, user) in machines.iter().zip(delegates) {
        m.ok(&["--as", user, "calendars"]).await;
    }
    let olivia = world.machine();
    let switch = if olivia_sync { "on" } else { "off" };
    olivia.ok(&["--as", OLIVIA, "sync", switch]).await;
    for (m, user) in machines.iter().zip(delegates) {
        let list = m.calendars_as(user).await;
        let hers = crate::support::find(&list, OLIVIA, "owner_primary").unwrap();
        assert_eq!(hers["permission"]["source"], "published", "{hers}");
        assert_eq!(hers["owner_onbehalf"]["sync_on"], olivia_sync, "{hers}");
    }
    (olivia, machines)
}

/// `user`'s sync on slow servers, killed (SIGKILL: no chance to tidy up, as when the machine
/// loses power) at three points of its run, then run to its end on quick ones.
pub async fn sync_killed_midway(world: &World, machine: &Machine, user: &str) {
    let latency = |ms| {
        let d = std::time::Duration::from_millis(ms);
        world.sandbox.faults().set_latency(d);
        world.sandbox.salesforce_faults().set_latency(d);
    };
    // Slow servers make the run long enough to be cut at several points.
    latency(25);
    for cut_after_ms in [700u64, 1400, 2100] {
        let mut run = machine.spawn(&["--as", user, "sync", "--once"]);
        tokio::time::sleep(std::time::Duration::from_millis(cut_after_ms)).await;
        run.kill().await.unwrap();
    }
    latency(0);
    machine.ok(&["--as", user, "sync", "--once"]).await;
}

/// The Graph path of the owner's grant to `grantee`, as the owner lists it.
pub async fn grant_path(world: &World, owner_token: &str, grantee: &str) -> String {
    let (status, perms) = graph(
        world,
        owner_token,
        Method::GET,
        "/me/calendar/calendarPermissions",
        None,
    )
    .await;
    assert_eq!(status, 200, "{perms}");
    let grant = perms["value"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["emailAddress"]["address"] == grantee)
        .unwrap_or_else(|| panic!("{grantee}'s grant is listed for the owner: {perms}"));
    format!(
        "/me/calendar/calendarPermissions/{}",
        encode(grant["id"].as_str().unwrap())
    )
}

/// Olivia changes `grantee`'s role on her calendar in Outlook (here: through Graph, as the
/// owner): "write" makes an Editor, "read" a Reviewer.
pub async fn olivia_sets_role(world: &World, grantee: &str, role: &str) {
    let token = token_for(world, OLIVIA).await;
    let path = grant_path(world, &token, grantee).await;
    let (status, body) = graph(
        world,
        &token,
        Method::PATCH,
        &path,
        Some(json!({ "role": role })),
    )
    .await;
    assert_eq!(status, 200, "{body}");
}
