//! Where log lines go. The terminal shows what a command says and, on failure, its error once
//! (`onbehalf: …`); log lines go to `logs/onbehalf-cli.log` in the data folder, and to stderr
//! as well with `--verbose`. `ONBEHALF_LOG` sets the level (`warn`, or `info` with
//! `--verbose`). Colour codes only reach a terminal, never the file or a pipe.

use std::fs::{File, OpenOptions};
use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{fmt, EnvFilter, Layer};

/// The log file's name in the logs folder; the one before it is kept beside it with `.1`.
pub const LOG_FILE: &str = "onbehalf-cli.log";
/// Past this size the file is moved to `.1` and a new one begun, so two files at most.
const MAX_LOG_BYTES: u64 = 1024 * 1024;

/// Send log lines to the file in `logs_dir` (when it can be opened) and, when `verbose`, to
/// stderr. A log file that cannot be opened leaves the command to run without one: the log is
/// an aid, and a data folder that cannot be used fails the command with its own error.
pub fn start(logs_dir: Option<&Path>, verbose: bool) {
    let filter = EnvFilter::try_from_env("ONBEHALF_LOG").unwrap_or_else(|_| {
        EnvFilter::new(match verbose {
            true => "info",
            false => "warn",
        })
    });
    let file = logs_dir
        .and_then(|dir| CappedFile::open(dir.join(LOG_FILE), MAX_LOG_BYTES).ok())
        .map(|f| {
            fmt::layer()
                .with_ansi(false)
                .with_writer(Mutex::new(f))
                .boxed()
        });
    let stderr = verbose.then(|| {
        fmt::layer()
            .with_ansi(colour_on_stderr())
            .with_writer(io::stderr)
            .boxed()
    });
    // Only fails when a subscriber is already set, which nothing else here does.
    let _ = tracing_subscriber::registry()
        .with(file)
        .with(stderr)
        .with(filter)
        .try_init();
}

/// Colour for a person at a terminal who has not asked for none (<https://no-color.org>).
fn colour_on_stderr() -> bool {
    io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// A log file appended to, moved aside to `<name>.1` once it grows past `max` bytes. Each
/// formatted log line arrives in one `write`, so a line is never split across the two files.
struct CappedFile {
    path: PathBuf,
    file: File,
    len: u64,
    max: u64,
}

impl CappedFile {
    fn open(path: PathBuf, max: u64) -> io::Result<CappedFile> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let file = append(&path)?;
        let len = file.metadata()?.len();
        Ok(CappedFile {
            path,
            file,
            len,
            max,
        })
    }

    fn roll(&mut self) -> io::Result<()> {
        let mut old = self.path.clone().into_os_string();
        old.push(".1");
        std::fs::rename(&self.path, old)?;
        self.file = append(&self.path)?;
        self.len = 0;
        Ok(())
    }
}

fn append(path: &Path) -> io::Result<File> {
    OpenOptions::new().create(true).append(true).open(path)
}

impl Write for CappedFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        // Another `onbehalf` writing the same log (a running `sync`) keeps its own count: at
        // worst a few lines are lost when both move the file aside, and the bound holds.
        if self.len > 0 && self.len + buf.len() as u64 > self.max {
            self.roll()?;
        }
        let n = self.file.write(buf)?;
        self.len += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.file.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_log_is_appended_to_and_moved_aside_when_full_so_two_files_at_most() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("logs").join(LOG_FILE);
        let line = b"2026-12-01T09:00:00Z  WARN a line of the log\n";
        let max = 3 * line.len() as u64;
        // Two runs, one line each: appended.
        for _ in 0..2 {
            let mut f = CappedFile::open(path.clone(), max).unwrap();
            f.write_all(line).unwrap();
        }
        assert_eq!(std::fs::read(&path).unwrap().len(), 2 * line.len());

        // The third line fills it; the fourth begins a new file, the full one kept beside it.
        let mut f = CappedFile::open(path.clone(), max).unwrap();
        for _ in 0..3 {
            f.write_all(line).unwrap();
        }
        let older = dir.path().join("logs").join(format!("{LOG_FILE}.1"));
        assert_eq!(std::fs::read(&older).unwrap().len(), 3 * line.len());
        assert_eq!(std::fs::read(&path).unwrap(), line.repeat(2));
        for _ in 0..3 {
            f.write_all(line).unwrap();
        }
        assert_eq!(
            std::fs::read_dir(dir.path().join("logs")).unwrap().count(),
            2
        );
    }
}
