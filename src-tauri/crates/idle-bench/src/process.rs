//! Stopping the processes the bench started: a signal asking them to end, then SIGKILL when
//! they do not within a few seconds. Signals are sent with `kill(1)`, as std has no call for it.

use std::process::{Child, Command, ExitStatus, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};

/// How long a process has to end after it was asked to, before it is killed.
const GRACE: Duration = Duration::from_secs(5);

/// Send `signal` (a name `kill -s` takes, like "TERM") to the process `pid`.
pub fn signal(pid: u32, signal: &str) -> Result<()> {
    let status = Command::new("kill")
        .args(["-s", signal, &pid.to_string()])
        .stderr(Stdio::null())
        .status()
        .context("could not run kill(1)")?;
    if !status.success() {
        bail!("kill -s {signal} {pid} failed ({status})");
    }
    Ok(())
}

/// Ask `child` to end with `first`, wait up to a few seconds, then kill it; its exit status.
pub fn stop(child: &mut Child, first: &str) -> Result<ExitStatus> {
    if let Some(status) = child.try_wait()? {
        return Ok(status);
    }
    signal(child.id(), first)?;
    let asked = Instant::now();
    while asked.elapsed() < GRACE {
        if let Some(status) = child.try_wait()? {
            return Ok(status);
        }
        thread::sleep(Duration::from_millis(100));
    }
    child.kill().context("could not kill the process")?;
    Ok(child.wait()?)
}
