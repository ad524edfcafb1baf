//! `onbehalf sandbox`: run the emulators until Ctrl-C and print the configuration that points
//! Onbehalf (or any other client) at them. With `--tls` they serve HTTPS with certificates
//! from a local CA kept in the data folder, whose certificate file is printed for clients to
//! trust.

use std::path::{Path, PathBuf};

use onbehalf_service::{Options, ServiceError};

use crate::exit::Exit;

#[derive(Debug, clap::Args)]
pub(crate) struct SandboxArgs {
    /// Port on 127.0.0.1 (0 picks a free one).
    #[arg(long, default_value_t = 0)]
    port: u16,
    /// Keep the sandbox's state in this file so it survives a restart.
    #[arg(long, value_name = "FILE")]
    state_file: Option<PathBuf>,
    /// Serve HTTPS on https://localhost:PORT with a certificate from a local CA made once in
    /// the data folder; its certificate's path is printed for clients to trust.
    #[arg(long)]
    tls: bool,
}

pub(crate) async fn run(args: &SandboxArgs, options: &Options) -> Result<Exit, ServiceError> {
    let tls_folder = match args.tls {
        true => Some(options.resolved_data_dir()?),
        false => None,
    };
    let sandbox = onbehalf_service::start_sandbox(onbehalf_sandbox::SandboxOptions {
        port: args.port,
        state_file: args.state_file.clone(),
        tls_folder,
        ..Default::default()
    })
    .await?;
    print!("{}", configuration(&sandbox));
    if let Err(e) = tokio::signal::ctrl_c().await {
        tracing::warn!(error = %e, "could not wait for Ctrl-C");
    }
    sandbox.shutdown().await;
    Ok(Exit::Ok)
}

/// What `onbehalf sandbox` prints: where it runs, the CA to trust, and a configuration file.
fn configuration(sandbox: &onbehalf_sandbox::Sandbox) -> String {
    let mut out = format!("Onbehalf sandbox running at {}\n", sandbox.base_url());
    if let Some(ca) = sandbox.ca_file() {
        out.push_str(&format!("# CA certificate: {}\n", ca.display()));
    }
    out.push_str("# configuration for --config:\n");
    if let Some(ca) = sandbox.ca_file() {
        out.push_str(&format!("ca_file = {}\n", toml_path(ca)));
    }
    out.push_str(&format!(
        "[microsoft]\nauthority = \"{}\"\ngraph_url = \"{}\"\nclient_id = \"{}\"\n",
        sandbox.authority(),
        sandbox.graph_url(),
        sandbox.client_id()
    ));
    out.push_str(&format!(
        "[salesforce]\nlogin_url = \"{}\"\nclient_id = \"{}\"\nredirect_port = 0\n",
        sandbox.salesforce_login_url(),
        sandbox.salesforce_client_id()
    ));
    out.push_str("# press Ctrl-C to stop\n");
    out
}

/// A path as a TOML literal string (no escapes, so a Windows path's backslashes stay), or a
/// basic string when the path holds a quote.
fn toml_path(path: &Path) -> String {
    let text = path.display().to_string();
    match text.contains('\'') {
        false => format!("'{text}'"),
        true => format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\"")),
    }
}
