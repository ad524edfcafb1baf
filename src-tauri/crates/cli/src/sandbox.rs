//! `onbehalf sandbox`: run the emulators until Ctrl-C and print the configuration that points
//! Onbehalf (or any other client) at them.

use std::path::PathBuf;

use onbehalf_service::ServiceError;

use crate::exit::Exit;

pub(crate) async fn run(port: u16, state_file: Option<PathBuf>) -> Result<Exit, ServiceError> {
    let sandbox = onbehalf_sandbox::Sandbox::start(onbehalf_sandbox::SandboxOptions {
        port,
        state_file,
        ..Default::default()
    })
    .await
    .map_err(|e| {
        ServiceError::new(
            onbehalf_service::ErrorCode::Other,
            format!("Could not start the sandbox: {e}"),
        )
    })?;
    println!("Onbehalf sandbox running at {}", sandbox.base_url());
    println!("# configuration for --config:");
    println!("[microsoft]");
    println!("authority = \"{}\"", sandbox.authority());
    println!("graph_url = \"{}\"", sandbox.graph_url());
    println!("client_id = \"{}\"", sandbox.client_id());
    println!("[salesforce]");
    println!("login_url = \"{}\"", sandbox.salesforce_login_url());
    println!("client_id = \"{}\"", sandbox.salesforce_client_id());
    println!("redirect_port = 0");
    println!("# press Ctrl-C to stop");
    if let Err(e) = tokio::signal::ctrl_c().await {
        tracing::warn!(error = %e, "could not wait for Ctrl-C");
    }
    sandbox.shutdown().await;
    Ok(Exit::Ok)
}
