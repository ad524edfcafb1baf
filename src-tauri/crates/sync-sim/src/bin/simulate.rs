//! `simulate`: run the sync simulation for a number of steps from a seed.
//!
//! ```text
//! simulate [--seed S] [--steps N] [--no-item-ids] [--trace] [--watch TEXT]
//! ```
//!
//! `--no-item-ids`: the CRM org lacks Onbehalf's external-id field.
//!
//! Prints progress every 100,000 steps and a summary at the end. On an invariant failure it
//! prints the seed, the step and the trace, and exits with status 1; the same arguments
//! replay the run exactly (`--trace` prints every step and every write as it happens;
//! `--watch TEXT` prints the sync's writes that mention TEXT, such as an item id).

use std::process::ExitCode;
use std::time::Instant;

use onbehalf_sync_sim::Sim;

const PROGRESS_EVERY: u64 = 100_000;

struct Args {
    seed: u64,
    steps: u64,
    trace: bool,
    watch: Option<String>,
    item_ids: bool,
}

fn parse() -> Result<Args, String> {
    let mut args = Args {
        seed: 7,
        steps: 10_000,
        trace: false,
        watch: None,
        item_ids: true,
    };
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        let mut number = |name: &str| -> Result<u64, String> {
            let v = it.next().ok_or(format!("{name} needs a value"))?;
            v.replace('_', "")
                .parse()
                .map_err(|_| format!("{name}: not a number: {v}"))
        };
        match a.as_str() {
            "--seed" => args.seed = number("--seed")?,
            "--steps" => args.steps = number("--steps")?,
            "--trace" => args.trace = true,
            "--no-item-ids" => args.item_ids = false,
            "--watch" => args.watch = Some(it.next().ok_or("--watch needs a value")?),
            "-h" | "--help" => {
                return Err(
                    "usage: simulate [--seed S] [--steps N] [--no-item-ids] [--trace] \
                     [--watch TEXT]"
                        .to_string(),
                )
            }
            other => return Err(format!("unknown argument {other}; see --help")),
        }
    }
    Ok(args)
}

fn main() -> ExitCode {
    let args = match parse() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let started = Instant::now();
    let mut sim = Sim::with_item_ids(args.seed, args.item_ids);
    sim.echo(args.trace);
    sim.watch(args.watch.clone());
    println!(
        "simulating {} steps from seed {} ({:?})",
        args.steps,
        args.seed,
        sim.config()
    );
    let mut next_progress = PROGRESS_EVERY;
    for step in 1..=args.steps {
        if let Err(failure) = sim.step() {
            eprintln!("{failure}");
            return ExitCode::from(1);
        }
        if step == next_progress {
            next_progress += PROGRESS_EVERY;
            let s = sim.stats();
            println!(
                "{step:>9} steps  {:>7.1}s  cycles {}  shares done {}  problems {}  conflicts {}  \
                 quiescences {}",
                started.elapsed().as_secs_f64(),
                s.cycles,
                s.shared,
                s.problems,
                s.conflicts,
                s.quiescences
            );
        }
    }
    match sim.finish() {
        Ok(stats) => {
            println!("{stats}");
            println!(
                "all invariants held; seed {}, {} steps, {:.1}s",
                args.seed,
                args.steps,
                started.elapsed().as_secs_f64()
            );
            ExitCode::SUCCESS
        }
        Err(failure) => {
            eprintln!("{failure}");
            ExitCode::from(1)
        }
    }
}
