//! An administrator's machine policy on the assistants' computers: settings it locks cannot be
//! changed and say who set them; private sync it forbids is not offered and is refused; a
//! profile without calendar sync takes sharing away with its reason; owners it has a group
//! watch are listed and cannot be removed; the CRM's permission set can give the profile.

use serde_json::{json, Value};

use crate::office::{json_as, olivia_adds, DANIEL, OLIVIA, RITA};
use crate::support::{Machine, World};

const CARLA: &str = "carla.mendes@contoso.com";
/// The object id of the demo directory's group Executive Assistants. Onbehalf asks for no
/// permission that reads groups, so Graph lists a user's groups by id alone, and policy names
/// them by id (with a name to read in front of it).
const EXECUTIVE_ASSISTANTS: &str = "0e6f3a2d-8b1c-4f5e-9a7d-2c4b6e8f1a31";

/// Run and expect exit `code`; returns stderr.
async fn refused(machine: &Machine, args: &[&str], code: i32) -> String {
    let out = machine.run(args).await;
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(
        out.status.code(),
        Some(code),
        "{args:?} should exit {code}:\n{}\n{stderr}",
        String::from_utf8_lossy(&out.stdout)
    );
    stderr
}

fn setting<'a>(report: &'a Value, key: &str) -> &'a Value {
    report["settings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["key"] == key)
        .unwrap_or_else(|| panic!("no {key} in {report}"))
}

#[tokio::test(flavor = "multi_thread")]
async fn a_policy_that_forbids_private_sync_hides_the_option_and_refuses_it_from_the_cli() {
    let world = World::start().await;
    // The user's own configuration allows it; the administrator's policy does not.
    let daniel = world.machine_with("\n[policy]\nallow_private_sync = true\n");
    let policy_path = daniel.dir.path().join("machine-policy.toml");
    std::fs::write(&policy_path, "allow_private_sync = false\n").unwrap();
    let daniel = daniel.under_policy(policy_path.clone());

    let view = json_as(&daniel, DANIEL, &["settings", "--json"]).await;
    assert_eq!(view["private_sync_allowed"], false, "{view}");
    assert_eq!(view["settings"]["private_sync"], false, "{view}");
    let lock = view["locks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["field"] == "private_sync")
        .unwrap_or_else(|| panic!("private sync is locked: {view}"));
    assert!(
        lock["reason"].as_str().unwrap().contains("administrator"),
        "{lock}"
    );

    let err = refused(
        &daniel,
        &["--as", DANIEL, "settings", "--private-sync", "on"],
        11,
    )
    .await;
    assert!(err.contains("administrator"), "{err}");
    let after = json_as(&daniel, DANIEL, &["settings", "--json"]).await;
    assert_eq!(after["settings"]["private_sync"], false);

    let report = json_as(&daniel, DANIEL, &["policy", "--json"]).await;
    let allowed = setting(&report, "allow_private_sync");
    assert_eq!(allowed["value"], false, "{allowed}");
    assert_eq!(allowed["locked"], true);
    assert_eq!(allowed["origin"]["kind"], "administrator");
    assert_eq!(
        allowed["origin"]["place"],
        policy_path.display().to_string().as_str()
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_locked_interval_cannot_be_changed_and_other_settings_still_can() {
    let world = World::start().await;
    let daniel = world.machine_under_policy(
        "sync_interval_minutes = 30\nsync_interval_max_minutes = 60\n\
         [recommended]\ninsta_sync = false\n",
    );
    let view = json_as(&daniel, DANIEL, &["settings", "--json"]).await;
    assert_eq!(view["settings"]["interval_minutes"], 30, "{view}");
    assert_eq!(view["settings"]["insta_sync"], false, "recommended: {view}");
    assert_eq!(view["interval_max"], 60);

    let err = refused(
        &daniel,
        &["--as", DANIEL, "settings", "--interval", "10"],
        11,
    )
    .await;
    assert!(
        err.contains("The sync interval is set by your administrator"),
        "{err}"
    );
    assert!(err.contains("machine-policy.toml"), "names the file: {err}");
    let view = json_as(&daniel, DANIEL, &["settings", "--json"]).await;
    assert_eq!(
        view["settings"]["interval_minutes"], 30,
        "unchanged: {view}"
    );

    // What the administrator only recommends is the user's to change.
    let view = json_as(
        &daniel,
        DANIEL,
        &["settings", "--insta-sync", "on", "--json"],
    )
    .await;
    assert_eq!(view["settings"]["insta_sync"], true, "{view}");
    let report = json_as(&daniel, DANIEL, &["policy", "--json"]).await;
    let insta = setting(&report, "insta_sync");
    assert_eq!(insta["origin"]["kind"], "user", "{insta}");
    assert_eq!(insta["locked"], false);
}

#[tokio::test(flavor = "multi_thread")]
async fn an_interval_outside_the_administrators_bounds_is_refused_with_them() {
    let world = World::start().await;
    let daniel = world
        .machine_under_policy("sync_interval_min_minutes = 10\nsync_interval_max_minutes = 60\n");
    let err = refused(
        &daniel,
        &["--as", DANIEL, "settings", "--interval", "5"],
        11,
    )
    .await;
    assert!(err.contains("10 to 60 minutes"), "{err}");
    let view = json_as(&daniel, DANIEL, &["settings", "--interval", "45", "--json"]).await;
    assert_eq!(view["settings"]["interval_minutes"], 45);
}

/// Contoso's policy: the group Executive Assistants gets a profile without calendar sync.
fn no_calendar_sync() -> String {
    format!(
        "admin_contact = \"the IT service desk (ext. 4400)\"\n\
         [profiles.scheduling_only]\ncalendar_sync = false\n\
         [[assign]]\nprofile = \"scheduling_only\"\n\
         groups = [\"Executive Assistants ({EXECUTIVE_ASSISTANTS})\"]\n"
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn a_profile_without_calendar_sync_takes_sharing_away_with_its_reason() {
    let world = World::start().await;
    let olivia = world.machine();
    olivia.ok(&["--as", OLIVIA, "sync", "on"]).await;
    let id = olivia_adds(&world, "Fabrikam renewal review", json!({})).await;
    let daniel = world.machine_under_policy(&no_calendar_sync());

    let status = json_as(&daniel, DANIEL, &["status", "--json"]).await;
    let why = status["not_granted"]
        .as_str()
        .unwrap_or_else(|| panic!("{status}"));
    assert!(why.contains("\"scheduling_only\""), "{why}");
    assert!(why.contains("the group Executive Assistants,"), "{why}");
    assert!(why.contains("calendar sync"), "{why}");
    assert!(why.contains("the IT service desk (ext. 4400)"), "{why}");

    let err = refused(
        &daniel,
        &["--as", DANIEL, "share", &id, "--calendar", OLIVIA],
        10,
    )
    .await;
    assert!(err.contains("does not include calendar sync"), "{err}");
    let err = refused(&daniel, &["--as", DANIEL, "sync", "on"], 10).await;
    assert!(err.contains("does not include calendar sync"), "{err}");

    let doctor = daniel.run(&["--as", DANIEL, "doctor", "--json"]).await;
    let report: Value = serde_json::from_slice(&doctor.stdout).unwrap();
    let check = report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "profile_calendar_sync")
        .unwrap_or_else(|| panic!("{report}"));
    assert_eq!(check["status"], "fail", "{check}");
    assert_eq!(check["who_can_fix"], "the IT service desk (ext. 4400)");

    // Rita is not in the group: her profile is everyone's, and she may share.
    let rita = world.machine_under_policy(&no_calendar_sync());
    let status = json_as(&rita, RITA, &["status", "--json"]).await;
    assert!(status.get("not_granted").is_none(), "{status}");
}

#[tokio::test(flavor = "multi_thread")]
async fn owners_a_group_is_told_to_watch_are_listed_and_cannot_be_removed() {
    let world = World::start().await;
    let daniel = world.machine_under_policy(&format!(
        "[[watch]]\ngroups = [\"{EXECUTIVE_ASSISTANTS}\"]\nowners = [\"{CARLA}\"]\n"
    ));
    let calendars = daniel.calendars_as(DANIEL).await;
    let carla = crate::support::find(&calendars, CARLA, "added_by_address")
        .unwrap_or_else(|| panic!("Carla's calendar is listed: {calendars:?}"));
    assert_eq!(carla["owner"], CARLA);

    let err = refused(&daniel, &["--as", DANIEL, "calendars", "remove", CARLA], 11).await;
    assert!(err.contains("added by your administrator"), "{err}");
    let report = json_as(&daniel, DANIEL, &["policy", "--json"]).await;
    assert_eq!(report["watched_owners"], json!([CARLA]));
}

#[tokio::test(flavor = "multi_thread")]
async fn the_crms_permission_set_gives_the_profile_where_policy_says_so() {
    let world = World::start().await;
    let daniel = world.machine_under_policy(
        "crm_profiles = true\n[profiles.assistant]\nemail_integration = \"none\"\n",
    );
    let report = json_as(&daniel, DANIEL, &["policy", "--json"]).await;
    assert_eq!(report["profile"]["name"], "assistant", "{report}");
    assert_eq!(report["profile"]["source"]["kind"], "crm");
    assert_eq!(
        report["profile"]["source"]["permission_set"],
        "Onbehalf_Assistant"
    );
    let email = report["features"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["feature"] == "filing e-mails in the CRM")
        .unwrap();
    assert_eq!(email["granted"], false, "{email}");
}

#[tokio::test(flavor = "multi_thread")]
async fn unknown_keys_are_reported_and_ignored_and_a_bad_value_stops_with_where_it_is() {
    let world = World::start().await;
    let newer = world.machine_under_policy("meeting_rooms = true\ninsta_sync = false\n");
    let report = json_as(&newer, DANIEL, &["policy", "--json"]).await;
    assert_eq!(report["ignored"][0]["key"], "meeting_rooms", "{report}");
    assert_eq!(setting(&report, "insta_sync")["value"], false);

    let bad = world.machine_under_policy("allow_private_sync = \"sometimes\"\n");
    let err = refused(&bad, &["policy"], 6).await;
    assert!(err.contains("machine-policy.toml"), "{err}");
    assert!(err.contains("allow_private_sync"), "{err}");
    assert!(err.contains("1 or 0"), "{err}");
}
