//! Getting the data folder ready with the CLI, so the app starts signed in and syncing: the
//! demo user signed in to Microsoft 365 and the CRM, the sync interval set, sync turned on.

use std::ffi::OsString;
use std::path::Path;
use std::process::Command;

use anyhow::{bail, Context, Result};

use crate::endpoints::Endpoints;

/// Sign `user` in, set both sync intervals to `interval` minutes and turn sync on.
pub fn prepare(
    cli: &Path,
    endpoints: &Endpoints,
    data_dir: &Path,
    user: &str,
    interval: u32,
) -> Result<()> {
    let minutes = interval.to_string();
    // `--as` signs the demo user in to Microsoft 365 and to the sandbox's CRM.
    run(cli, endpoints, data_dir, &["--as", user, "login"])?;
    run(
        cli,
        endpoints,
        data_dir,
        &["settings", "--interval", &minutes, "--watch", &minutes],
    )?;
    run(cli, endpoints, data_dir, &["sync", "on", "--quiet"])?;
    Ok(())
}

/// Run the CLI on the data folder with `args`; an error holds what it wrote to stderr.
fn run(cli: &Path, endpoints: &Endpoints, data_dir: &Path, args: &[&str]) -> Result<()> {
    let mut all: Vec<OsString> = endpoints.args();
    all.extend(["--data-dir".into(), data_dir.into()]);
    all.extend(args.iter().map(OsString::from));
    let out = Command::new(cli)
        .args(&all)
        .output()
        .with_context(|| format!("could not run {}", cli.display()))?;
    if !out.status.success() {
        bail!(
            "`onbehalf {}` failed ({}): {}",
            args.join(" "),
            out.status,
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    Ok(())
}
