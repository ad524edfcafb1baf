//! The simulation in CI: 10,000 steps in all, over several seeds (`ONBEHALF_SIM_STEPS`
//! changes the total). A failure prints the seed, the step and the trace that replay it.

use onbehalf_sync_sim::Sim;

const SEEDS: [u64; 5] = [1, 2, 3, 4, 5];
const TOTAL_STEPS: u64 = 10_000;

fn total_steps() -> u64 {
    std::env::var("ONBEHALF_SIM_STEPS")
        .ok()
        .and_then(|v| v.replace('_', "").parse().ok())
        .unwrap_or(TOTAL_STEPS)
}

#[test]
fn the_sync_keeps_its_invariants_under_random_operations_faults_and_crashes() {
    let per_seed = total_steps().div_ceil(SEEDS.len() as u64);
    for seed in SEEDS {
        let mut sim = Sim::new(seed);
        match sim.run(per_seed) {
            Ok(stats) => println!("seed {seed}:\n{stats}\n"),
            Err(failure) => panic!("{failure}"),
        }
    }
}
