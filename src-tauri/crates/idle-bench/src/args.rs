//! The command line of `idle-bench`: which binaries to run, for how long, and as whom.

use std::path::PathBuf;

use clap::Parser;

#[derive(Debug, Parser)]
#[command(
    name = "idle-bench",
    about = "Measures the Onbehalf tray app while it idles, signed in and syncing against the \
             sandbox: resident memory of the app and of its child processes (the WebKit web and \
             network processes), wakeups per minute of each, and the threads that wake most. \
             Linux only: it reads /proc. It needs a display, a D-Bus session and an unlocked \
             keyring; run.sh next to this crate provides them.",
    after_help = "Run it from the repository's root, or give the binaries with --app and --cli."
)]
pub struct Args {
    /// The tray app to measure (a release build gives the figures a user sees).
    #[arg(long, value_name = "PATH", default_value = "target/debug/onbehalf-app")]
    pub app: PathBuf,
    /// The command line, used to sign in and turn sync on before the app starts.
    #[arg(long, value_name = "PATH", default_value = "target/debug/onbehalf")]
    pub cli: PathBuf,
    /// Minutes of idle to sample (fractions allowed, e.g. 0.5).
    #[arg(long, value_name = "N", default_value_t = 2.0, value_parser = positive_minutes)]
    pub minutes: f64,
    /// Seconds the app runs before the sample starts, so start-up is not counted.
    #[arg(long, value_name = "SECS", default_value_t = 60)]
    pub warmup_secs: u64,
    /// The demo user signed in to Microsoft 365 and the CRM.
    #[arg(long, value_name = "USER", default_value = "olivia.grant@contoso.com")]
    pub user: String,
    /// Minutes between sync cycles (the sync's full interval and its watch interval).
    #[arg(long, value_name = "MIN", default_value_t = 1)]
    pub interval: u32,
    /// Run the sandbox as a process of its own (`onbehalf sandbox`) instead of inside the app,
    /// so the app's figures hold no emulator.
    #[arg(long)]
    pub separate_sandbox: bool,
    /// How many threads to list, those that woke most first.
    #[arg(long, value_name = "N", default_value_t = 10)]
    pub top: usize,
}

/// A number of minutes greater than zero.
fn positive_minutes(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(m) if m.is_finite() && m > 0.0 => Ok(m),
        Ok(_) => Err("must be a number of minutes greater than 0".into()),
        Err(e) => Err(e.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_fractional_minutes() {
        let args = Args::parse_from(["idle-bench"]);
        assert_eq!(args.minutes, 2.0);
        assert_eq!(args.warmup_secs, 60);
        assert_eq!(args.app, PathBuf::from("target/debug/onbehalf-app"));
        let args = Args::parse_from(["idle-bench", "--minutes", "0.5"]);
        assert_eq!(args.minutes, 0.5);
        assert!(Args::try_parse_from(["idle-bench", "--minutes", "0"]).is_err());
    }
}
