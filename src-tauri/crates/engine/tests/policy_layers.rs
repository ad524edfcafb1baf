//! Admin policy layering: mandatory machine policy over the user's configuration over
//! recommended policy over defaults; locks; unknown keys; values that cannot be read.

use onbehalf_engine::policy::{resolve, Key, Layer, Origin, Raw, Strength, Value};

const HKLM: &str = r"HKLM\Software\Policies\Onbehalf";
const MSI: &str = r"HKLM\Software\Onbehalf\Policy";
const FILE: &str = "/etc/onbehalf/policy.toml";
const MINE: &str = "onbehalf.toml";

fn layer(place: &str, strength: Strength, pairs: &[(&str, Raw)]) -> Layer {
    Layer::new(place, strength, Raw::table(pairs.iter().cloned()))
}

fn machine(pairs: &[(&str, Raw)]) -> Layer {
    layer(FILE, Strength::Machine, pairs)
}

fn user(pairs: &[(&str, Raw)]) -> Layer {
    layer(MINE, Strength::User, pairs)
}

fn t(s: &str) -> Raw {
    Raw::text(s)
}

#[test]
fn with_no_policy_every_setting_is_its_default_and_only_private_sync_is_held_back() {
    let p = resolve(&[]).unwrap();
    for e in p.settings() {
        assert_eq!(e.origin, Origin::Default, "{:?}", e.key);
        assert_eq!(e.value, e.key.default_value(), "{:?}", e.key);
        assert_eq!(e.locked, e.key == Key::PrivateSync, "{:?}", e.key);
    }
    let private = p.get(Key::PrivateSync);
    assert!(private
        .note
        .as_deref()
        .unwrap()
        .contains("unless an administrator allows it"));
    assert!(p.notes.is_empty());
}

/// (layers, key, expected value, expected origin kind, locked)
#[test]
fn each_layer_wins_over_the_ones_below_it() {
    type Case = (&'static str, Vec<Layer>, Value, &'static str, bool);
    let rec =
        |pairs: &[(&str, Raw)]| machine(&[("recommended", Raw::table(pairs.iter().cloned()))]);
    let cases: Vec<Case> = vec![
        ("default", vec![], Value::Number(5), "default", false),
        (
            "recommended over default",
            vec![rec(&[("sync_interval_minutes", t("20"))])],
            Value::Number(20),
            "recommended",
            false,
        ),
        (
            "a per-user installer's values are recommendations",
            vec![layer(
                r"HKCU\Software\Onbehalf\Policy",
                Strength::InstallerDefaults,
                &[("sync_interval_minutes", t("25"))],
            )],
            Value::Number(25),
            "recommended",
            false,
        ),
        (
            "the user's over recommended",
            vec![
                rec(&[("sync_interval_minutes", t("20"))]),
                user(&[("sync_interval_minutes", Raw::Int(7))]),
            ],
            Value::Number(7),
            "user",
            false,
        ),
        (
            "mandatory over the user's, locked",
            vec![
                user(&[("sync_interval_minutes", Raw::Int(7))]),
                machine(&[("sync_interval_minutes", t("30"))]),
            ],
            Value::Number(30),
            "administrator",
            true,
        ),
        (
            "of two mandatory layers the first given wins",
            vec![
                layer(
                    HKLM,
                    Strength::Machine,
                    &[("sync_interval_minutes", Raw::Int(15))],
                ),
                layer(
                    MSI,
                    Strength::Machine,
                    &[("sync_interval_minutes", t("45"))],
                ),
            ],
            Value::Number(15),
            "administrator",
            true,
        ),
        (
            "an empty value is not set (the MSI writes every property)",
            vec![
                machine(&[("sync_interval_minutes", t(""))]),
                user(&[("sync_interval_minutes", Raw::Int(9))]),
            ],
            Value::Number(9),
            "user",
            false,
        ),
    ];
    for (name, layers, value, origin, locked) in cases {
        let p = resolve(&layers).unwrap_or_else(|e| panic!("{name}: {e:?}"));
        let e = p.get(Key::SyncIntervalMinutes);
        assert_eq!(e.value.as_ref(), Some(&value), "{name}");
        let kind = match &e.origin {
            Origin::Default => "default",
            Origin::Administrator { .. } => "administrator",
            Origin::User { .. } => "user",
            Origin::Recommended { .. } => "recommended",
        };
        assert_eq!(kind, origin, "{name}");
        assert_eq!(e.locked, locked, "{name}");
    }
}

#[test]
fn an_origin_says_where_a_value_was_read() {
    let p = resolve(&[layer(
        HKLM,
        Strength::Machine,
        &[("insta_sync", Raw::Int(0))],
    )])
    .unwrap();
    let e = p.get(Key::InstaSync);
    assert_eq!(
        e.origin.describe(),
        format!("set by your administrator ({HKLM})")
    );
    assert_eq!(e.value, Some(Value::Bool(false)));
}

#[test]
fn keys_from_a_newer_policy_are_reported_and_ignored() {
    let p = resolve(&[machine(&[
        ("meeting_room_sync", t("1")),
        ("insta_sync", t("0")),
    ])])
    .unwrap();
    assert_eq!(p.notes.len(), 1);
    assert_eq!(p.notes[0].key, "meeting_room_sync");
    assert_eq!(p.notes[0].place, FILE);
    assert!(p.notes[0].note.contains("ignored"));
    assert!(!p.bool(Key::InstaSync));
}

#[test]
fn a_value_that_cannot_be_read_is_an_error_naming_place_key_and_what_was_expected() {
    let errs = resolve(&[machine(&[
        ("allow_private_sync", t("sometimes")),
        ("graph_url", t("http://graph.example.com")),
        ("crm", t("dynamics")),
        ("sync_interval_minutes", Raw::Int(0)),
    ])])
    .unwrap_err();
    let text: Vec<String> = errs.iter().map(ToString::to_string).collect();
    assert_eq!(errs.len(), 4, "{text:?}");
    let find = |key: &str| text.iter().find(|t| t.contains(key)).unwrap().clone();
    assert!(find("allow_private_sync").contains("1 or 0"));
    assert!(find("allow_private_sync").starts_with(FILE));
    assert!(find("graph_url").contains("https://"));
    assert!(find("crm").contains("salesforce"));
    assert!(find("sync_interval_minutes").contains("1 to 1440"));
}

#[test]
fn a_tenant_makes_the_sign_in_address_unless_one_is_given() {
    let p = resolve(&[machine(&[(
        "microsoft_tenant",
        t("contoso.onmicrosoft.com"),
    )])])
    .unwrap();
    let a = p.get(Key::MicrosoftAuthority);
    assert_eq!(
        a.value,
        Some(Value::Text(
            "https://login.microsoftonline.com/contoso.onmicrosoft.com".into()
        ))
    );
    assert!(a.locked);
    let p = resolve(&[machine(&[
        ("microsoft_tenant", t("contoso.onmicrosoft.com")),
        (
            "microsoft_authority",
            t("https://login.microsoftonline.us/contoso"),
        ),
    ])])
    .unwrap();
    assert_eq!(
        p.text(Key::MicrosoftAuthority),
        Some("https://login.microsoftonline.us/contoso")
    );
}

#[test]
fn private_sync_follows_whether_the_administrator_allows_it() {
    let forbidden = resolve(&[
        machine(&[("allow_private_sync", t("0"))]),
        user(&[("private_sync", Raw::Bool(true))]),
    ])
    .unwrap();
    let e = forbidden.get(Key::PrivateSync);
    assert_eq!(e.value, Some(Value::Bool(false)));
    assert!(e.locked);
    assert!(e
        .note
        .as_deref()
        .unwrap()
        .contains("administrator does not allow"));

    let allowed = resolve(&[
        machine(&[("allow_private_sync", t("1"))]),
        user(&[("private_sync", Raw::Bool(true))]),
    ])
    .unwrap();
    assert!(allowed.bool(Key::PrivateSync));
    assert!(!allowed.locked(Key::PrivateSync));
}

#[test]
fn the_interval_stays_within_the_administrators_bounds() {
    let p = resolve(&[
        machine(&[
            ("sync_interval_min_minutes", t("10")),
            ("sync_interval_max_minutes", t("60")),
        ]),
        user(&[("sync_interval_minutes", Raw::Int(2))]),
    ])
    .unwrap();
    let e = p.get(Key::SyncIntervalMinutes);
    assert_eq!(e.value, Some(Value::Number(10)));
    assert!(!e.locked);
    assert!(e.note.as_deref().unwrap().contains("10 to 60"));

    let errs = resolve(&[machine(&[
        ("sync_interval_min_minutes", t("30")),
        ("sync_interval_max_minutes", t("20")),
    ])])
    .unwrap_err();
    assert!(errs[0].message.contains("longer than the longest"));

    let errs = resolve(&[machine(&[
        ("sync_interval_max_minutes", t("20")),
        ("sync_interval_minutes", t("30")),
    ])])
    .unwrap_err();
    assert!(errs[0].message.contains("outside the bounds"));
}

#[test]
fn only_machine_policy_may_define_profiles_assignments_and_watch_lists() {
    let p = resolve(&[user(&[(
        "profiles",
        Raw::table([("me", Raw::table([("private_sync", Raw::Bool(true))]))]),
    )])])
    .unwrap();
    assert_eq!(p.profiles_by_name().count(), 0);
    assert_eq!(p.notes[0].key, "profiles");
    assert!(p.notes[0].note.contains("only machine policy"));
}

#[test]
fn every_list_setting_reads_text_with_commas_as_the_msi_writes_it() {
    let p = resolve(&[layer(
        MSI,
        Strength::Machine,
        &[
            ("contact_sync", t("crm_to_outlook")),
            ("quiet_notifications", t("waiting, conflicts")),
            ("watch_owners", t("Olivia@contoso.com")),
        ],
    )])
    .unwrap();
    assert_eq!(p.list(Key::ContactSync), ["crm_to_outlook"]);
    assert_eq!(p.list(Key::QuietNotifications), ["waiting", "conflicts"]);
    assert_eq!(p.list(Key::WatchOwners), ["olivia@contoso.com"]);
}
