//! The figures as a small table for the terminal.

use std::fmt::Write;

use crate::measure::Figures;

/// What the run was, for the report's first line.
pub struct Setting<'a> {
    pub app: &'a str,
    pub user: &'a str,
    pub interval: u32,
    pub warmup_secs: u64,
    pub endpoints: &'a str,
    pub top: usize,
}

/// The report: memory and wakeups of the app, its children and both, then the threads that
/// woke most.
pub fn render(figures: &Figures, setting: &Setting) -> String {
    let mut out = String::new();
    let end = &figures.memory_end;
    let peak = &figures.memory_peak;
    let app_rate = figures.per_minute(true);
    let child_rate = figures.per_minute(false);
    let _ = writeln!(
        out,
        "Onbehalf idle: {} over {:.1} min after {} s of warm-up",
        setting.app,
        figures.elapsed.as_secs_f64() / 60.0,
        setting.warmup_secs
    );
    let _ = writeln!(
        out,
        "signed in as {}, sync on every {} min, {}\n",
        setting.user, setting.interval, setting.endpoints
    );
    let _ = writeln!(
        out,
        "{:<26}{:>10}{:>10}{:>10}{:>10}{:>14}",
        "", "RSS MB", "peak", "PSS MB", "anon MB", "wakeups/min"
    );
    let children = format!("children ({} processes)", end.child_count);
    let rows = [
        ("app", end.app, peak.app, app_rate),
        (children.as_str(), end.children, peak.children, child_rate),
        ("total", end.total, peak.total, app_rate + child_rate),
    ];
    for (name, now, most, rate) in rows {
        let _ = writeln!(
            out,
            "{name:<26}{:>10.1}{:>10.1}{:>10.1}{:>10.1}{rate:>14.1}",
            mb(now.rss_kb),
            mb(most.rss_kb),
            mb(now.pss_kb),
            mb(now.anon_kb)
        );
    }
    let _ = writeln!(out, "\nThreads that woke most (wakeups/min):");
    for w in figures.wakeups.iter().take(setting.top) {
        let owner = match w.in_app {
            true => "app".to_string(),
            false => w.process.clone(),
        };
        let count = match w.threads {
            1 => String::new(),
            n => format!(" ×{n}"),
        };
        let name = format!("{}{count}", w.thread);
        let _ = writeln!(
            out,
            "  {owner:<17}{name:<22}{:>10.1}",
            figures.rate(w.wakeups)
        );
    }
    out
}

/// Kilobytes in megabytes.
fn mb(kb: u64) -> f64 {
    kb as f64 / 1024.0
}
