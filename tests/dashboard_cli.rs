//! The dashboard's start as a user meets it, through the real binary: a bad
//! key binding names the config file and its line, the first run says it is
//! building the demo before it takes its seconds, and the headless snapshot
//! labels its times as UTC.

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
fn a_bad_key_binding_names_the_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("demo.sqlite");
    let built = courtside(
        dir.path(),
        &["--store", store.to_str().unwrap(), "demo", "--seasons", "1"],
    );
    assert!(built.status.success(), "{}", stderr(&built));
    for (keys, expected) in [
        ("keys:\n  refrsh: x\n", "keys.refrsh: unknown action"),
        ("keys:\n  refresh: q\n", "is bound to both"),
    ] {
        let config = dir.path().join("keys.yaml");
        std::fs::write(&config, format!("theme: dark\n{keys}")).unwrap();
        let output = courtside(
            dir.path(),
            &[
                "--config",
                config.to_str().unwrap(),
                "--store",
                store.to_str().unwrap(),
                "snapshot",
            ],
        );
        assert!(!output.status.success());
        let message = stderr(&output);
        assert!(
            message.contains("keys.yaml: line 3:") && message.contains(expected),
            "{message}"
        );
        assert_eq!(message.trim().lines().count(), 1, "{message}");
    }
}

#[test]
fn the_first_run_says_it_builds_the_demo_before_it_does() {
    let dir = tempfile::tempdir().unwrap();
    let output = courtside(
        dir.path(),
        &["snapshot", "--width", "100", "--height", "30"],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let message = stderr(&output);
    let building = message
        .find("first run: building the demo dataset")
        .unwrap_or_else(|| panic!("{message}"));
    let built = message
        .find("now holds the demo dataset")
        .unwrap_or_else(|| panic!("{message}"));
    assert!(building < built, "{message}");
    let screen = String::from_utf8_lossy(&output.stdout);
    // Clock times on screen say which clock they are.
    if let Some(next) = screen.find("next ") {
        assert!(screen[next..].contains(" UTC"), "{screen}");
    }
    assert!(screen.contains("key figures"), "{screen}");
}
