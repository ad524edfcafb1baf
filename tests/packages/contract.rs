//! The packages and the app read one policy contract: the keys the installers write are the
//! settings the app's policy knows, each once.

use onbehalf_engine::policy::Key;

use crate::support::POLICY;

#[test]
fn the_installers_policy_keys_are_the_apps_settings() {
    let mut written: Vec<&str> = POLICY.iter().map(|(_, key)| *key).collect();
    let mut known: Vec<&str> = Key::ALL.iter().map(|k| k.name()).collect();
    written.sort_unstable();
    known.sort_unstable();
    assert_eq!(
        written, known,
        "the MSI, the policy example and the macOS profile name these keys; the app knows those"
    );
    let mut properties: Vec<&str> = POLICY.iter().map(|(p, _)| *p).collect();
    properties.sort_unstable();
    properties.dedup();
    assert_eq!(
        properties.len(),
        POLICY.len(),
        "each key has its own MSI property"
    );
}

/// The example policy, every setting and table in it uncommented, is a policy the app reads
/// whole: no key ignored, no value refused.
#[test]
fn the_linux_policy_example_uncommented_is_read_whole_by_the_app() {
    let example =
        std::fs::read_to_string(crate::support::root().join("installer/linux/policy.toml.example"))
            .expect("the policy example");
    let uncommented: String = example
        .lines()
        .filter_map(|line| {
            let rest = line.strip_prefix("# ")?;
            let setting = rest.split_once(" = ").is_some_and(|(k, _)| {
                !k.is_empty() && k.chars().all(|c| c.is_ascii_lowercase() || c == '_')
            });
            (setting || rest.starts_with('[')).then(|| format!("{rest}\n"))
        })
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let policy = dir.path().join("policy.toml");
    std::fs::write(&policy, &uncommented).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_onbehalf"))
        .arg("--data-dir")
        .arg(dir.path().join("data"))
        .arg("--policy-file")
        .arg(&policy)
        .args(["policy", "--json"])
        .env_remove("ONBEHALF_CONFIG")
        .output()
        .expect("run onbehalf");
    assert!(
        out.status.success(),
        "the example, uncommented, was refused:\n{}\n{uncommented}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["ignored"], serde_json::json!([]), "{report}");
    let locked = report["settings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["locked"] == true)
        .count();
    assert!(
        locked >= POLICY.len() - 1,
        "every key the example sets is locked: {report}"
    );
}
