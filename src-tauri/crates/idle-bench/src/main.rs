//! `idle-bench`: measures the Onbehalf tray app while it idles, signed in and syncing against
//! the sandbox. It signs a demo user in with the CLI in a throwaway data folder, turns sync on,
//! starts the app in the tray with its window hidden, lets it warm up, and then samples its
//! resident memory and its wakeups (context switches of all its threads) and those of its child
//! processes (the WebKit web and network processes). It prints the figures and the threads that
//! woke most, stops the app and removes the folder.
//!
//! It measures on Linux only: everything it reads comes from /proc. It needs a display, a D-Bus
//! session and an unlocked keyring, which `run.sh` next to this crate provides.

mod app;
mod args;
mod endpoints;
mod measure;
mod process;
mod procfs;
mod report;
mod sample;
mod signin;

use std::path::Path;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{bail, Context, Result};
use clap::Parser;

use crate::app::App;
use crate::args::Args;
use crate::endpoints::Endpoints;

fn main() -> ExitCode {
    match run(&Args::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("idle-bench: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: &Args) -> Result<()> {
    if !Path::new("/proc/self/task").is_dir() {
        bail!("this measures through Linux's /proc, which this system does not have");
    }
    for (binary, package) in [(&args.app, "onbehalf-app"), (&args.cli, "onbehalf-cli")] {
        if !binary.is_file() {
            bail!(
                "{} not found; build it with `cargo build -p {package}`",
                binary.display()
            );
        }
    }
    let dir = tempfile::Builder::new()
        .prefix("onbehalf-idle-")
        .tempdir()
        .context("could not make a throwaway folder")?;
    let data_dir = dir.path().join("data");
    std::fs::create_dir(&data_dir)?;

    let endpoints = match args.separate_sandbox {
        true => Endpoints::Separate(endpoints::start_separate(&args.cli, dir.path())?),
        false => Endpoints::Builtin,
    };
    let measured = sign_in_and_measure(args, &endpoints, dir.path(), &data_dir);
    let words = endpoints.describe();
    let sandbox_stopped = endpoints.stop();
    let figures = measured?;
    sandbox_stopped.context("could not stop the sandbox")?;

    let setting = report::Setting {
        app: &args.app.display().to_string(),
        user: &args.user,
        interval: args.interval,
        warmup_secs: args.warmup_secs,
        endpoints: words,
        top: args.top,
    };
    print!("{}", report::render(&figures, &setting));
    dir.close()
        .context("could not remove the throwaway folder")?;
    Ok(())
}

/// Prepare the data folder, run the app in it and measure it; the app is stopped either way.
fn sign_in_and_measure(
    args: &Args,
    endpoints: &Endpoints,
    dir: &Path,
    data_dir: &Path,
) -> Result<measure::Figures> {
    eprintln!(
        "idle-bench: signing in as {} and turning sync on",
        args.user
    );
    signin::prepare(&args.cli, endpoints, data_dir, &args.user, args.interval)?;
    eprintln!("idle-bench: starting {}", args.app.display());
    let mut app = App::start(&args.app, endpoints, data_dir, &dir.join("app.log"))?;
    let length = Duration::from_secs_f64(args.minutes * 60.0);
    let figures = measure::run(&mut app, Duration::from_secs(args.warmup_secs), length);
    for line in app.problems_logged() {
        eprintln!("idle-bench: the app logged: {line}");
    }
    app.stop().context("could not stop the app")?;
    figures
}
