//! Where the CLI and the app find Microsoft 365 and the CRM: the sandbox built into each of
//! them (`--sandbox`, its state in the data folder), or a sandbox running as a process of its
//! own (`onbehalf sandbox`), reached through a configuration file (`--config`).

use std::ffi::OsString;
use std::fs;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdout, Command, Stdio};

use anyhow::{bail, Context, Result};

use crate::process;

/// The arguments that point the CLI or the app at the sandbox.
pub enum Endpoints {
    /// Each process starts the sandbox inside itself, on the state kept in the data folder.
    Builtin,
    /// A sandbox of its own, described by this configuration file.
    Separate(Sandbox),
}

impl Endpoints {
    /// The arguments to add to the CLI's or the app's command line.
    pub fn args(&self) -> Vec<OsString> {
        match self {
            Endpoints::Builtin => vec!["--sandbox".into()],
            Endpoints::Separate(sandbox) => vec!["--config".into(), sandbox.config.clone().into()],
        }
    }

    /// Words for the report.
    pub fn describe(&self) -> &'static str {
        match self {
            Endpoints::Builtin => "sandbox inside the app (--sandbox)",
            Endpoints::Separate(_) => "sandbox in a process of its own (--config)",
        }
    }

    /// Stop the separate sandbox, if there is one.
    pub fn stop(self) -> Result<()> {
        match self {
            Endpoints::Builtin => Ok(()),
            Endpoints::Separate(mut sandbox) => {
                process::stop(&mut sandbox.child, "INT")?;
                Ok(())
            }
        }
    }
}

/// A running `onbehalf sandbox` and the configuration file that points at it.
pub struct Sandbox {
    child: Child,
    config: PathBuf,
    /// Kept open so the sandbox can still write to its standard output.
    _stdout: BufReader<ChildStdout>,
}

/// Start `onbehalf sandbox` with its state in `dir` and write the configuration it prints
/// to `dir/sandbox.toml`.
pub fn start_separate(cli: &Path, dir: &Path) -> Result<Sandbox> {
    let mut child = Command::new(cli)
        .arg("sandbox")
        .arg("--state-file")
        .arg(dir.join("sandbox-state.json"))
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .with_context(|| format!("could not start {}", cli.display()))?;
    let Some(stdout) = child.stdout.take() else {
        bail!("the sandbox's output could not be read");
    };
    let mut stdout = BufReader::new(stdout);
    let config = match read_config(&mut stdout) {
        Ok(text) => text,
        Err(e) => {
            let _ = process::stop(&mut child, "INT");
            return Err(e);
        }
    };
    let path = dir.join("sandbox.toml");
    fs::write(&path, config).context("could not write the sandbox's configuration")?;
    Ok(Sandbox {
        child,
        config: path,
        _stdout: stdout,
    })
}

/// The configuration lines the sandbox prints between its two marker comments.
fn read_config(out: &mut impl BufRead) -> Result<String> {
    let mut config = String::new();
    let mut inside = false;
    let mut line = String::new();
    loop {
        line.clear();
        if out.read_line(&mut line)? == 0 {
            bail!("the sandbox ended before printing its configuration");
        }
        match line.trim_end() {
            "# configuration for --config:" => inside = true,
            "# press Ctrl-C to stop" => return Ok(config),
            text if inside => {
                config.push_str(text);
                config.push('\n');
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_configuration_is_the_lines_between_the_markers() {
        let printed = "Onbehalf sandbox running at http://127.0.0.1:1\n\
                       # configuration for --config:\n[microsoft]\nclient_id = \"x\"\n\
                       # press Ctrl-C to stop\n";
        let config = read_config(&mut printed.as_bytes()).expect("configuration");
        assert_eq!(config, "[microsoft]\nclient_id = \"x\"\n");
        assert!(read_config(&mut "Onbehalf sandbox\n".as_bytes()).is_err());
    }
}
