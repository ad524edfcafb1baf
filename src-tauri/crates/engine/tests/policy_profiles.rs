//! Profile permissions: which features a user may use, from a profile assigned to them, to one
//! of their groups, or by the CRM, or else from what policy grants everyone.

use onbehalf_engine::policy::{
    choose, owners_for, resolve, Feature, Layer, Membership, ProfileSource, Raw, Strength,
    WatchRule,
};

fn t(s: &str) -> Raw {
    Raw::text(s)
}

fn list(items: &[&str]) -> Raw {
    Raw::List(items.iter().map(|s| t(s)).collect())
}

/// Contoso's policy: contact sync only from the CRM to Outlook for everyone; assistants get a
/// profile without e-mail filing; the calendar-only profile comes from the CRM.
fn contoso() -> Layer {
    Layer::new(
        "/etc/onbehalf/policy.toml",
        Strength::Machine,
        Raw::table([
            ("contact_sync", t("crm_to_outlook")),
            ("allow_private_sync", t("1")),
            ("crm_profiles", t("1")),
            ("admin_contact", t("the IT service desk (ext. 4400)")),
            (
                "profiles",
                Raw::table([
                    (
                        "assistants",
                        Raw::table([
                            ("email_integration", t("none")),
                            ("private_sync", Raw::Bool(false)),
                        ]),
                    ),
                    (
                        "calendar_only",
                        Raw::table([
                            ("contact_sync", t("none")),
                            ("task_sync", t("none")),
                            ("email_integration", t("none")),
                        ]),
                    ),
                    ("no_sync", Raw::table([("calendar_sync", Raw::Bool(false))])),
                ]),
            ),
            (
                "assign",
                Raw::List(vec![
                    Raw::table([
                        ("profile", t("assistants")),
                        ("groups", list(&["Executive Assistants (0e6f3a2d)"])),
                    ]),
                    Raw::table([
                        ("profile", t("no_sync")),
                        ("users", list(&["felix@contoso.com"])),
                    ]),
                ]),
            ),
            (
                "watch",
                Raw::List(vec![Raw::table([
                    ("groups", list(&["executive-assistants@contoso.com"])),
                    ("owners", list(&["olivia@contoso.com"])),
                ])]),
            ),
        ]),
    )
}

#[test]
fn a_profile_comes_from_the_user_then_a_group_then_the_crm_then_everyone() {
    let p = resolve(&[contoso()]).unwrap();
    let daniel = Membership::new(
        // Graph lists groups by id alone: policy names the group by id, with a name to read.
        "daniel@contoso.com",
        ["0E6F3A2D".to_string(), "a1c3".to_string()],
    );
    let got = choose(&p, &daniel, None);
    assert_eq!(got.name.as_deref(), Some("assistants"));
    assert_eq!(
        got.source,
        ProfileSource::Group {
            group: "Executive Assistants".into()
        }
    );

    // Felix is named, and named wins even if he were in the group.
    let felix = Membership::new("Felix@Contoso.com", ["0e6f3a2d".to_string()]);
    let got = choose(&p, &felix, None);
    assert_eq!(got.name.as_deref(), Some("no_sync"));
    assert_eq!(got.source, ProfileSource::User);

    let aaron = Membership::new("aaron@contoso.com", []);
    let sets = vec![
        "X00ex000000abcProfile".to_string(),
        "Onbehalf_Calendar_Only".to_string(),
    ];
    let got = choose(&p, &aaron, Some(&sets));
    assert_eq!(got.name.as_deref(), Some("calendar_only"));
    assert_eq!(
        got.source,
        ProfileSource::Crm {
            permission_set: "Onbehalf_Calendar_Only".into()
        }
    );

    let rita = Membership::new("rita@contoso.com", ["All Staff".to_string()]);
    let got = choose(&p, &rita, Some(&[]));
    assert_eq!(got.name, None);
    assert_eq!(got.source, ProfileSource::Everyone);
}

#[test]
fn a_profile_leaves_what_it_does_not_say_to_everyones_grants() {
    let p = resolve(&[contoso()]).unwrap();
    let daniel = Membership::new("daniel@contoso.com", ["0e6f3a2d".to_string()]);
    let g = choose(&p, &daniel, None).grants;
    assert!(g.calendar_sync);
    assert_eq!(g.contact_sync, ["crm_to_outlook"], "everyone's direction");
    assert!(g.email_integration.is_empty());
    assert!(!g.private_sync, "the profile withholds private sync");
    let rita = choose(&p, &Membership::new("rita@contoso.com", []), None).grants;
    assert!(
        rita.private_sync,
        "policy allows it and her grants do not withhold it"
    );
    assert_eq!(rita.email_integration.len(), 4);
}

#[test]
fn no_profile_grants_private_sync_where_policy_does_not_allow_it() {
    let layer = Layer::new(
        "p",
        Strength::Machine,
        Raw::table([
            (
                "profiles",
                Raw::table([("vip", Raw::table([("private_sync", Raw::Bool(true))]))]),
            ),
            (
                "assign",
                Raw::List(vec![Raw::table([
                    ("profile", t("vip")),
                    ("users", t("a@contoso.com")),
                ])]),
            ),
        ]),
    );
    let p = resolve(&[layer]).unwrap();
    let got = choose(&p, &Membership::new("a@contoso.com", []), None);
    assert!(!got.grants.private_sync);
    assert!(!got.grants.allows(Feature::PrivateSync));
}

#[test]
fn a_feature_not_granted_names_the_profile_how_it_was_given_and_whom_to_ask() {
    let p = resolve(&[contoso()]).unwrap();
    let felix = choose(&p, &Membership::new("felix@contoso.com", []), None);
    let why = felix.refusal(Feature::CalendarSync).unwrap();
    assert!(why.contains("\"no_sync\""), "{why}");
    assert!(why.contains("calendar sync"), "{why}");
    assert!(why.contains("the IT service desk (ext. 4400)"), "{why}");
    assert_eq!(felix.refusal(Feature::TaskSync), None);

    let daniel = choose(
        &p,
        &Membership::new("daniel@contoso.com", ["0e6f3a2d".to_string()]),
        None,
    );
    let why = daniel.refusal(Feature::EmailIntegration).unwrap();
    assert!(why.contains("the group Executive Assistants"), "{why}");
    let lines = daniel.lines();
    assert_eq!(lines.len(), 5);
    let contact = lines.iter().find(|l| l.feature == "contact sync").unwrap();
    assert!(contact.granted);
    assert_eq!(
        contact.detail,
        "CRM → Outlook (opportunity contacts, service contacts)"
    );
}

#[test]
fn an_assignment_to_a_profile_nobody_defined_is_an_error() {
    let layer = Layer::new(
        "HKLM",
        Strength::Machine,
        Raw::table([(
            "assign",
            Raw::table([(
                "1",
                Raw::table([("profile", t("ghosts")), ("groups", t("Sales"))]),
            )]),
        )]),
    );
    let errs = resolve(&[layer]).unwrap_err();
    assert_eq!(errs[0].key, "assign[1]");
    assert!(
        errs[0].message.contains("\"ghosts\""),
        "{}",
        errs[0].message
    );
}

#[test]
fn owners_to_watch_come_from_everyones_list_and_the_rules_for_the_users_groups() {
    let p = resolve(&[contoso()]).unwrap();
    assert_eq!(
        p.watch,
        vec![WatchRule {
            users: vec![],
            groups: vec!["executive-assistants@contoso.com".into()],
            owners: vec!["olivia@contoso.com".into()],
        }]
    );
    let everyone = vec!["ceo@contoso.com".to_string()];
    let daniel = Membership::new(
        "daniel@contoso.com",
        ["Executive-Assistants@contoso.com".to_string()],
    );
    assert_eq!(
        owners_for(&everyone, &p.watch, &daniel),
        ["ceo@contoso.com", "olivia@contoso.com"]
    );
    let carla = Membership::new("carla@contoso.com", ["sales@contoso.com".to_string()]);
    assert_eq!(owners_for(&everyone, &p.watch, &carla), ["ceo@contoso.com"]);
    let olivia = Membership::new(
        "olivia@contoso.com",
        ["executive-assistants@contoso.com".to_string()],
    );
    assert!(
        owners_for(&[], &p.watch, &olivia).is_empty(),
        "nobody watches themselves"
    );
}

#[test]
fn private_sync_withheld_by_policy_says_so_whatever_the_profile() {
    let layer = Layer::new(
        "p",
        Strength::Machine,
        Raw::table([
            (
                "profiles",
                Raw::table([("calm", Raw::table([("task_sync", t("none"))]))]),
            ),
            (
                "assign",
                Raw::List(vec![Raw::table([
                    ("profile", t("calm")),
                    ("users", t("a@contoso.com")),
                ])]),
            ),
        ]),
    );
    let p = resolve(&[layer]).unwrap();
    let got = choose(&p, &Membership::new("a@contoso.com", []), None);
    let why = got.refusal(Feature::PrivateSync).unwrap();
    assert!(
        why.starts_with("Your organisation's policy does not allow syncing private items"),
        "{why}"
    );
}
