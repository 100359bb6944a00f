//! Numeric options through the real binary: a negative-looking value is
//! taken as the option's value and refused by its own check in plain words
//! (`--days -1`: "-1 is not a positive whole number of days"), never by
//! clap's "unexpected argument '-1'".

use std::path::Path;
use std::process::{Command, Output};

fn courtside(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_courtside"))
        .args(args)
        .env("COURTSIDE_DATA_DIR", dir.join("data"))
        .env("COURTSIDE_CONFIG_DIR", dir.join("config"))
        .env_remove("NO_COLOR")
        .output()
        .expect("run courtside")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).to_string()
}

#[test]
fn a_negative_number_reaches_the_options_own_check() {
    let dir = tempfile::tempdir().unwrap();
    for (args, expected) in [
        (
            &["splits", "--days", "-1"][..],
            "-1 is not a positive whole number of days",
        ),
        (
            &["watch", "--interval", "-5"][..],
            "-5 is not a whole number of seconds, 0 or more",
        ),
        (
            &["gap", "--experiment", "x", "--edge", "-2"][..],
            "-2 is not a number of points",
        ),
        (
            &["slate", "--missing", "-3"][..],
            "-3 is not a whole number of players",
        ),
        (
            &["snapshot", "--width", "-80"][..],
            "-80 is not a whole number of columns",
        ),
    ] {
        let output = courtside(dir.path(), args);
        let message = stderr(&output);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {message}");
        assert!(message.contains(expected), "{args:?}: {message}");
        assert!(
            message.contains(args[args.len() - 2]),
            "{args:?}: {message}"
        );
        assert!(
            !message.contains("unexpected argument"),
            "{args:?}: {message}"
        );
    }
}
