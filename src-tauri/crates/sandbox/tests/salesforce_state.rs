//! The CRM world is kept in the state file: records and sessions survive a restart, and codes
//! and tokens are kept only as hashes.

mod common;

use common::salesforce::*;
use common::DANIEL;
use onbehalf_sandbox::{Sandbox, SandboxOptions};
use reqwest::{Method, StatusCode};

#[tokio::test]
async fn crm_records_and_sessions_survive_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.json");
    let options = || SandboxOptions {
        state_file: Some(path.clone()),
        ..SandboxOptions::default()
    };
    let sb = Sandbox::start(options()).await.unwrap();
    let t = sign_in(&sb, DANIEL).await;
    let created = call(
        &t,
        Method::POST,
        "/sobjects/Event",
        Some(event("Kept across restarts", 3, 30)),
    )
    .await;
    let id = created.body["id"].as_str().unwrap().to_string();
    sb.shutdown().await;
    let saved = std::fs::read_to_string(&path).unwrap();
    assert!(
        !saved.contains(&t.access) && !saved.contains(&t.refresh),
        "tokens are kept hashed"
    );
    assert!(saved.contains("Kept across restarts"));

    let sb = Sandbox::start(options()).await.unwrap();
    let t = SfTokens {
        instance_url: sb.salesforce_instance_url(),
        ..t
    };
    let r = get(&t, &format!("/sobjects/Event/{id}")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["Subject"], "Kept across restarts");
    sb.shutdown().await;
}
