//! What a person sees in the terminal: a failure is told once, in words, without colour codes
//! in a pipe; log lines go to the log file in the data folder, and to stderr only with
//! `--verbose`; a value that is not what was asked for exits with the usage code.

use std::process::Output;

use crate::support::{Machine, World};

const DANIEL: &str = "daniel.reyes@contoso.com";

fn stderr_of(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The lines of stderr that say `onbehalf: …`, the way errors are told.
fn error_lines(stderr: &str) -> Vec<&str> {
    stderr
        .lines()
        .filter(|l| l.starts_with("onbehalf: "))
        .collect()
}

fn log_file(machine: &Machine) -> String {
    std::fs::read_to_string(machine.dir.path().join("logs").join("onbehalf-cli.log"))
        .unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_failure_is_one_line_of_words_on_stderr_and_its_log_lines_go_to_the_log_file() {
    let world = World::start().await;
    let nobody = world.machine();

    let out = nobody.run(&["calendars"]).await;
    assert_eq!(out.status.code(), Some(4));
    assert!(out.stdout.is_empty(), "{:?}", out.stdout);
    let err = stderr_of(&out);
    assert_eq!(
        err,
        "onbehalf: You are not signed in. Sign in with your Microsoft 365 account.\n"
    );
    assert!(!err.contains('\x1b'), "colour codes in a pipe: {err:?}");

    // What went wrong is in the log, without colour codes either.
    let log = log_file(&nobody);
    assert!(log.contains("You are not signed in"), "{log}");
    assert!(
        !log.contains('\x1b'),
        "colour codes in the log file: {log:?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn with_verbose_the_log_lines_show_on_stderr_too() {
    let world = World::start().await;
    let daniel = world.machine();

    let quiet = daniel.run(&["--as", DANIEL, "whoami"]).await;
    assert!(quiet.status.success(), "{}", stderr_of(&quiet));
    assert_eq!(stderr_of(&quiet), "");

    let verbose = daniel.run(&["--verbose", "--as", DANIEL, "whoami"]).await;
    assert!(verbose.status.success(), "{}", stderr_of(&verbose));
    assert!(String::from_utf8_lossy(&verbose.stdout).contains(DANIEL));
    let err = stderr_of(&verbose);
    assert!(
        err.lines()
            .any(|l| l.contains(" INFO ") && l.contains("signed in as demo user")),
        "{err}"
    );
    assert!(!err.contains('\x1b'), "colour codes in a pipe: {err:?}");

    // A failure with --verbose: its log lines, and the error itself still told once.
    let nobody = world.machine();
    let out = nobody.run(&["-v", "calendars"]).await;
    assert_eq!(out.status.code(), Some(4));
    let err = stderr_of(&out);
    assert!(err.lines().any(|l| l.contains(" ERROR ")), "{err}");
    assert_eq!(error_lines(&err).len(), 1, "{err}");
}

#[tokio::test(flavor = "multi_thread")]
async fn adding_a_calendar_by_something_that_is_not_an_address_is_wrong_usage() {
    let world = World::start().await;
    let daniel = world.machine();

    let out = daniel
        .run(&["--as", DANIEL, "calendars", "add", "not-an-address"])
        .await;
    assert_eq!(out.status.code(), Some(2), "{}", stderr_of(&out));
    let err = stderr_of(&out);
    assert_eq!(
        err,
        "onbehalf: \"not-an-address\" is not an e-mail address: add an owner by their \
         address, like name@example.com.\n"
    );
    let calendars = daniel.calendars_as(DANIEL).await;
    assert!(
        calendars.iter().all(|c| c["owner"] != "not-an-address"),
        "{calendars:?}"
    );
}
