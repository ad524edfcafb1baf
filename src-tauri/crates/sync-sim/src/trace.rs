//! The trace of a run: every step's operation, as it was resolved against the world, and its
//! outcome. A run is a pure function of its seed and step count, so a failure names both and
//! `simulate --seed S --steps N` replays it exactly; the trace says what happened on the way.

use std::fmt;

/// One step of a run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub step: u64,
    /// The simulated time, as `+{seconds}` since the run began.
    pub at: i64,
    pub text: String,
}

/// Every step so far.
#[derive(Debug, Clone, Default)]
pub struct Trace {
    pub entries: Vec<Entry>,
    /// Also print each entry as it is added.
    pub echo: bool,
}

impl Trace {
    pub fn push(&mut self, step: u64, at: i64, text: String) {
        if self.echo {
            println!("{step:>8} +{at:>9}s  {text}");
        }
        self.entries.push(Entry { step, at, text });
    }

    /// Drop entries older than `keep` steps before the last one, to bound memory in long runs
    /// (the seed still replays all of them).
    pub fn trim(&mut self, keep: usize) {
        if self.entries.len() > 2 * keep {
            let cut = self.entries.len() - keep;
            self.entries.drain(..cut);
        }
    }
}

/// An invariant that did not hold, with everything needed to replay the run.
#[derive(Debug, Clone)]
pub struct Failure {
    pub seed: u64,
    /// The step at which it was found (1-based); replay with `--steps {step}`.
    pub step: u64,
    pub invariant: String,
    pub detail: String,
    /// The trace up to the failure (possibly only its tail, see [`Trace::trim`]).
    pub trace: Vec<Entry>,
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "invariant failed: {} (seed {}, step {})",
            self.invariant, self.seed, self.step
        )?;
        writeln!(f, "{}", self.detail)?;
        writeln!(
            f,
            "replay: cargo run --release -p onbehalf-sync-sim --bin simulate -- --seed {} --steps {} --trace",
            self.seed, self.step
        )?;
        if let Some(first) = self.trace.first() {
            if first.step > 1 {
                writeln!(f, "trace (steps {} to {}):", first.step, self.step)?;
            } else {
                writeln!(f, "trace:")?;
            }
        }
        for e in &self.trace {
            writeln!(f, "{:>8} +{:>9}s  {}", e.step, e.at, e.text)?;
        }
        Ok(())
    }
}

impl std::error::Error for Failure {}
