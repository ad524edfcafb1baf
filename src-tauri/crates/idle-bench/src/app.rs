//! The tray app under measurement: started in the tray with its window hidden, its log kept in
//! a file, and stopped with its child processes at the end.

use std::fs::{self, File};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use anyhow::{bail, Context, Result};

use crate::endpoints::Endpoints;
use crate::{process, procfs};

/// The log lines shown when the app reports a problem, at most.
const LOG_LINES_SHOWN: usize = 10;

/// A running tray app.
pub struct App {
    child: Child,
    log: PathBuf,
}

impl App {
    /// Start `binary` on `data_dir` with `--hidden`, its output going to `log`.
    pub fn start(binary: &Path, endpoints: &Endpoints, data_dir: &Path, log: &Path) -> Result<App> {
        let out = File::create(log).context("could not create the app's log")?;
        let err = out.try_clone()?;
        let child = Command::new(binary)
            .args(endpoints.args())
            .arg("--data-dir")
            .arg(data_dir)
            .arg("--hidden")
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .stdout(out)
            .stderr(err)
            .spawn()
            .with_context(|| format!("could not start {}", binary.display()))?;
        Ok(App {
            child,
            log: log.to_path_buf(),
        })
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// An error, with the end of the app's log, if the app has ended.
    pub fn check_running(&mut self) -> Result<()> {
        match self.child.try_wait()? {
            None => Ok(()),
            Some(status) => bail!(
                "the app ended ({status}); the end of its log:\n{}",
                tail(&self.log, LOG_LINES_SHOWN)
            ),
        }
    }

    /// The warnings and errors the app logged, at most a few.
    pub fn problems_logged(&self) -> Vec<String> {
        let text = fs::read_to_string(&self.log).unwrap_or_default();
        let mut found: Vec<String> = text
            .lines()
            .filter(|l| l.contains(" WARN ") || l.contains(" ERROR "))
            .map(str::to_string)
            .collect();
        found.truncate(LOG_LINES_SHOWN);
        found
    }

    /// Stop the app (SIGTERM, then SIGKILL), then any of its child processes still running.
    pub fn stop(mut self) -> Result<()> {
        let children = procfs::descendants(self.pid());
        process::stop(&mut self.child, "TERM")?;
        for pid in children {
            if procfs::memory(pid).is_some() {
                // Already gone by now is fine: it ended with its parent.
                let _ = process::signal(pid, "KILL");
            }
        }
        Ok(())
    }
}

/// The last `n` lines of the file at `path`.
fn tail(path: &Path, n: usize) -> String {
    let text = fs::read_to_string(path).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(n)..].join("\n")
}
