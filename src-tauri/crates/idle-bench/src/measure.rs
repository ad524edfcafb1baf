//! The measurement itself: the app runs through the warm-up untouched, then for the sample its
//! threads' switches are read at the start and the end, and its memory every few seconds.

use std::thread;
use std::time::{Duration, Instant};

use anyhow::Result;

use crate::app::App;
use crate::sample::{self, NamedWakeups, Snapshot, TreeMemory};

/// How often memory is read during the sample.
const MEMORY_EVERY: Duration = Duration::from_secs(5);
/// How often the bench checks that the app still runs.
const CHECK_EVERY: Duration = Duration::from_secs(1);

/// What one sample found.
pub struct Figures {
    /// The sample's real length.
    pub elapsed: Duration,
    /// Memory at the end of the sample.
    pub memory_end: TreeMemory,
    /// The largest memory read during the sample, each figure on its own.
    pub memory_peak: TreeMemory,
    /// Wakeups per thread name, most first.
    pub wakeups: Vec<NamedWakeups>,
}

impl Figures {
    /// Wakeups per minute of the app's own threads (`true`) or of its child processes'.
    pub fn per_minute(&self, in_app: bool) -> f64 {
        let sum: u64 = self
            .wakeups
            .iter()
            .filter(|w| w.in_app == in_app)
            .map(|w| w.wakeups)
            .sum();
        self.rate(sum)
    }

    /// `count` events over the sample, per minute.
    pub fn rate(&self, count: u64) -> f64 {
        count as f64 * 60.0 / self.elapsed.as_secs_f64().max(f64::EPSILON)
    }
}

/// Let `app` warm up for `warmup`, then sample it for `length`.
pub fn run(app: &mut App, warmup: Duration, length: Duration) -> Result<Figures> {
    eprintln!("idle-bench: warming up for {} s", warmup.as_secs());
    wait(app, warmup)?;
    eprintln!(
        "idle-bench: sampling for {:.1} min",
        length.as_secs_f64() / 60.0
    );
    let pid = app.pid();
    let started = Instant::now();
    let start = Snapshot::take(pid);
    let mut peak = TreeMemory::read(pid);
    while started.elapsed() < length {
        let step = MEMORY_EVERY.min(length.saturating_sub(started.elapsed()));
        wait(app, step)?;
        peak = peak.peak(TreeMemory::read(pid));
    }
    let end = Snapshot::take(pid);
    let elapsed = started.elapsed();
    let memory_end = TreeMemory::read(pid);
    app.check_running()?;
    Ok(Figures {
        elapsed,
        memory_end,
        memory_peak: peak.peak(memory_end),
        wakeups: sample::wakeups(&start, &end),
    })
}

/// Sleep for `length`, checking every second that the app still runs.
fn wait(app: &mut App, length: Duration) -> Result<()> {
    let until = Instant::now() + length;
    loop {
        app.check_running()?;
        let left = until.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Ok(());
        }
        thread::sleep(left.min(CHECK_EVERY));
    }
}
