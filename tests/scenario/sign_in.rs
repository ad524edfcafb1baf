//! Signing in against a server named only by configuration: the standalone sandbox process
//! over HTTPS, trusted through the CA file its printed configuration names, with the device
//! code flow, as on a terminal-only machine.

use std::process::Stdio;
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::Command;

use crate::support::{find, BIN};

#[tokio::test(flavor = "multi_thread")]
async fn device_code_then_calendars_against_a_configured_server() {
    let dir = tempfile::tempdir().unwrap();
    // The emulator as its own process, like any server that speaks the documented endpoints.
    let sandbox_data = dir.path().join("sandbox");
    let mut server = Command::new(BIN)
        .arg("--data-dir")
        .arg(&sandbox_data)
        .args(["sandbox", "--port", "0", "--tls"])
        .stdout(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(server.stdout.take().unwrap()).lines();
    let mut config = String::new();
    let mut base = String::new();
    let mut ca = None;
    while let Ok(Some(line)) = tokio::time::timeout(Duration::from_secs(30), lines.next_line())
        .await
        .unwrap()
    {
        if let Some(url) = line.strip_prefix("Onbehalf sandbox running at ") {
            base = url.trim().to_string();
        }
        if let Some(path) = line.strip_prefix("# CA certificate: ") {
            ca = Some(std::path::PathBuf::from(path.trim()));
        }
        if line.starts_with('[') || line.contains(" = ") {
            config.push_str(&line);
            config.push('\n');
        }
        if line.starts_with("# press Ctrl-C") {
            break;
        }
    }
    let ca = ca.expect("the sandbox names its CA certificate on a line of its own");
    assert!(ca.starts_with(&sandbox_data));
    assert!(base.starts_with("https://localhost:"), "{base}");
    assert!(
        config.starts_with(&format!("ca_file = '{}'", ca.display())),
        "{config}"
    );
    // The person's browser on another device trusts the sandbox's CA as well.
    let browser = reqwest::Client::builder()
        .add_root_certificate(reqwest::Certificate::from_pem(&std::fs::read(&ca).unwrap()).unwrap())
        .build()
        .unwrap();
    let salesforce_login = config
        .lines()
        .skip_while(|l| *l != "[salesforce]")
        .find_map(|l| l.strip_prefix("login_url = "))
        .map(|v| v.trim_matches('"').to_string())
        .expect("the printed configuration has a [salesforce] table");
    let config_file = dir.path().join("server.toml");
    std::fs::write(&config_file, &config).unwrap();
    let data = dir.path().join("data");
    let args = |extra: &[&str]| {
        let mut v = vec![
            "--config".to_string(),
            config_file.display().to_string(),
            "--data-dir".to_string(),
            data.display().to_string(),
        ];
        v.extend(extra.iter().map(|s| s.to_string()));
        v
    };

    let mut login = Command::new(BIN)
        .args(args(&["login", "--device-code"]))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    // The prompt tells the person where to go and which code to enter.
    let mut err = BufReader::new(login.stderr.take().unwrap()).lines();
    let mut code = None;
    while let Ok(Some(line)) = tokio::time::timeout(Duration::from_secs(30), err.next_line())
        .await
        .unwrap()
    {
        if let Some(c) = user_code(&line) {
            code = Some(c);
            break;
        }
    }
    let code = code.expect("the device code prompt names a code");

    // The person approves on another device: the sandbox's device login page.
    let approved = browser
        .post(format!("{base}/devicelogin"))
        .form(&[
            ("user_code", code.as_str()),
            ("login_hint", "emma.chen@contoso.com"),
        ])
        .send()
        .await
        .unwrap();
    assert!(approved.status().is_success() || approved.status().is_redirection());

    let out = tokio::time::timeout(Duration::from_secs(60), login.wait_with_output())
        .await
        .unwrap()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("Emma Chen"));

    let out = Command::new(BIN)
        .args(args(&["calendars", "--json"]))
        .output()
        .await
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let list: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    let olivia = find(&list, "olivia.grant@contoso.com", "owner_primary").unwrap();
    assert_eq!(olivia["permission"]["graph"], "write");

    // The CRM the same way: a device code, approved on another device.
    let mut crm_login = Command::new(BIN)
        .args(args(&["crm", "login", "--device-code"]))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let mut err = BufReader::new(crm_login.stderr.take().unwrap()).lines();
    let mut code = None;
    while let Ok(Some(line)) = tokio::time::timeout(Duration::from_secs(30), err.next_line())
        .await
        .unwrap()
    {
        if let Some(c) = user_code(&line) {
            code = Some(c);
            break;
        }
    }
    let code = code.expect("the CRM device code prompt names a code");
    let approved = browser
        .post(format!("{salesforce_login}/setup/connect"))
        .form(&[
            ("user_code", code.as_str()),
            ("login_hint", "emma.chen@contoso.com"),
        ])
        .send()
        .await
        .unwrap();
    assert!(approved.status().is_success() || approved.status().is_redirection());
    let out = tokio::time::timeout(Duration::from_secs(60), crm_login.wait_with_output())
        .await
        .unwrap()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("Emma Chen"));
    let json = |args_: &[&str]| {
        let a = args(args_);
        async move {
            let out = Command::new(BIN).args(a).output().await.unwrap();
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap()
        }
    };
    let who = json(&["crm", "whoami", "--json"]).await;
    assert_eq!(who["email"], "emma.chen@contoso.com");
    assert!(who["budget"]["remaining"].as_u64().unwrap() > 0);
    let found = json(&["crm", "search", "Fabrikam", "--json"]).await;
    assert!(found
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["type"] == "account"));
    let matched = json(&["crm", "match", "pat.kim@fabrikam.com", "--json"]).await;
    assert_eq!(matched[0]["email"], "pat.kim@fabrikam.com");

    // Signing out removes the saved sign-in: the next command asks to sign in.
    let out = Command::new(BIN)
        .args(args(&["logout"]))
        .output()
        .await
        .unwrap();
    assert!(out.status.success());
    let out = Command::new(BIN)
        .args(args(&["calendars"]))
        .output()
        .await
        .unwrap();
    assert_eq!(out.status.code(), Some(4));
    server.kill().await.unwrap();
}

/// The user code in a prompt like "… enter the code ABCD-1234 to authenticate."
fn user_code(line: &str) -> Option<String> {
    let at = line.find("enter the code ")?;
    let rest = &line[at + "enter the code ".len()..];
    let code: String = rest
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect();
    (!code.is_empty()).then_some(code)
}

/// `--as` with an address the sandbox does not know is told at once which users it knows.
#[tokio::test(flavor = "multi_thread")]
async fn as_an_unknown_user_lists_the_demo_users() {
    let world = crate::support::World::start().await;
    let machine = world.machine();
    let out = machine.run(&["--as", "nobody@contoso.com", "whoami"]).await;
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("nobody@contoso.com is not one of the sandbox's demo users"),
        "{err}"
    );
    assert!(err.contains("daniel.reyes@contoso.com"), "{err}");
    assert!(err.contains("olivia.grant@contoso.com"), "{err}");
}

/// The in-process sandbox over HTTPS: Onbehalf trusts the CA it made in the data folder, and
/// only because it was told to, so the calendars list as they do over plain HTTP.
#[tokio::test(flavor = "multi_thread")]
async fn the_in_process_sandbox_over_https_is_trusted_through_its_ca() {
    let machine = crate::support::Machine::with_embedded_sandbox();
    let out = machine
        .run(&["--sandbox-tls", "--as", "daniel", "calendars", "--json"])
        .await;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let list: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert!(find(&list, "olivia.grant@contoso.com", "owner_primary").is_some());
    let ca = std::fs::read_to_string(machine.dir.path().join("sandbox-ca.pem")).unwrap();
    assert!(ca.starts_with("-----BEGIN CERTIFICATE-----"));
}
