//! The macOS configuration profile template an admin fills in and deploys.

use crate::support::{root, run, APP_ID, POLICY};

/// The profile, read by Python's plistlib (the same parser rules as macOS's), as JSON.
fn profile() -> serde_json::Value {
    let path = root().join("installer/macos/onbehalf.mobileconfig");
    let json = run(
        "python3",
        &[
            "-c",
            "import json, plistlib, sys\n\
             with open(sys.argv[1], 'rb') as f:\n    \
                 print(json.dumps(plistlib.load(f), default=str))",
            &path.to_string_lossy(),
        ],
    );
    serde_json::from_str(&json).expect("plistlib's JSON")
}

#[test]
fn the_profile_is_a_configuration_with_one_payload_for_the_app() {
    let profile = profile();
    assert_eq!(profile["PayloadType"], "Configuration");
    let payloads = profile["PayloadContent"]
        .as_array()
        .expect("PayloadContent is an array");
    assert_eq!(payloads.len(), 1, "one payload: the app's settings");
    let payload = &payloads[0];
    assert_eq!(
        payload["PayloadType"], APP_ID,
        "the payload type is the app's preference domain, so macOS writes \
         /Library/Managed Preferences/{APP_ID}.plist"
    );
    for p in [&profile, payload] {
        for key in ["PayloadIdentifier", "PayloadUUID", "PayloadDisplayName"] {
            assert!(
                p[key].as_str().is_some_and(|v| !v.is_empty()),
                "{key} is missing"
            );
        }
        assert_eq!(p["PayloadVersion"], 1);
    }
    assert_ne!(profile["PayloadUUID"], payload["PayloadUUID"]);
}

#[test]
fn the_profile_names_every_policy_key_and_a_recommended_dictionary() {
    let profile = profile();
    let payload = &profile["PayloadContent"][0];
    for (_, key) in POLICY {
        assert!(
            payload.get(key).is_some(),
            "the profile has no mandatory key {key}"
        );
        assert_eq!(
            payload[key], "",
            "{key} is left empty (not set) in the template until an admin fills it in"
        );
    }
    let recommended = payload["recommended"]
        .as_object()
        .expect("a `recommended` dictionary");
    for key in recommended.keys() {
        assert!(
            POLICY.iter().any(|(_, k)| k == key),
            "`recommended` holds {key}, which is no policy key"
        );
    }
}
