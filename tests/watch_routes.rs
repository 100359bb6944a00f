//! Routes (`slack.routes`), end to end against one loopback receiver per
//! route: a critical verdict, a warning, a game-day alarm and a promotion
//! each arrive at their route's receiver only, what no route takes goes to
//! the default, and `watch --check-routes` prints which route each kind of
//! post takes with every URL redacted; an unset variable is named, never a
//! URL.

#[path = "watch_support/mod.rs"]
mod support;

use serde_json::Value;
use std::path::Path;
use support::{Receiver, receiver, setup, stdout};

/// The replayed days of `watch.rs`: a warning, a critical, the recovery.
const SEQUENCE: &str = "2025-11-25,2025-12-14,2026-03-25,2026-04-12,2026-04-12";

const ROUTES: &str = "slack:
  cooldown_secs: 0
  timeout_secs: 10
  max_retries: 3
  routes:
    - name: '#nba-alerts'
      match: {level: [critical], topic: [verdict]}
      webhook: ROUTE_CRITICAL
    - name: '#nba-warnings'
      match: {level: [warning], topic: [verdict]}
      webhook: ROUTE_WARNING
    - name: '#nba-grading-alerts'
      match: {topic: [game_day]}
      webhook: ROUTE_GAME_DAY
    - name: '#nba-registry'
      match:
        topic: [registry]
      webhook: ROUTE_REGISTRY
";

struct Hooks {
    critical: Receiver,
    warning: Receiver,
    game_day: Receiver,
    registry: Receiver,
    default: Receiver,
}

impl Hooks {
    async fn new() -> Hooks {
        Hooks {
            critical: receiver(vec![]).await,
            warning: receiver(vec![]).await,
            game_day: receiver(vec![]).await,
            registry: receiver(vec![]).await,
            default: receiver(vec![]).await,
        }
    }

    fn env(&self) -> Vec<(&'static str, String)> {
        vec![
            ("ROUTE_CRITICAL", self.critical.url.clone()),
            ("ROUTE_WARNING", self.warning.url.clone()),
            ("ROUTE_GAME_DAY", self.game_day.url.clone()),
            ("ROUTE_REGISTRY", self.registry.url.clone()),
            ("COURTSIDE_SLACK_WEBHOOK", self.default.url.clone()),
        ]
    }

    /// The first line of each post each receiver holds.
    fn heads(&self) -> [(&'static str, Vec<String>); 5] {
        let heads = |hook: &Receiver| {
            hook.texts()
                .iter()
                .map(|text| text.lines().next().unwrap_or_default().to_string())
                .collect::<Vec<_>>()
        };
        [
            ("critical", heads(&self.critical)),
            ("warning", heads(&self.warning)),
            ("game_day", heads(&self.game_day)),
            ("registry", heads(&self.registry)),
            ("default", heads(&self.default)),
        ]
    }
}

async fn run(
    dir: &Path,
    store: &Path,
    env: &[(&str, String)],
    args: &[&str],
) -> std::process::Output {
    let mut env = env.to_vec();
    env.push(("COURTSIDE_ACTOR", "carol".to_string()));
    support::courtside(dir, store, &env, args).await
}

#[tokio::test(flavor = "multi_thread")]
async fn each_kind_of_post_arrives_at_its_routes_receiver_only() {
    let dir = tempfile::tempdir().unwrap();
    let store = setup(dir.path());
    std::fs::write(dir.path().join("config.yaml"), ROUTES).unwrap();
    let hooks = Hooks::new().await;
    let env = hooks.env();

    // The verdicts: the critical to #nba-alerts, the warning to
    // #nba-warnings, the recovery (no route takes it) to the default.
    let output = run(
        dir.path(),
        &store,
        &env,
        &["watch", "--interval", "0", "--replay", SEQUENCE],
    )
    .await;
    let log = stdout(&output);
    assert!(output.status.success(), "{log}");
    let [_, warning, _, _, default] = hooks.heads();
    assert_eq!(
        hooks.critical.texts().len(),
        1,
        "{log}\n{:#?}",
        hooks.heads()
    );
    assert!(
        hooks.critical.texts()[0].contains("CRITICAL"),
        "{:#?}",
        hooks.heads()
    );
    assert_eq!(warning.1.len(), 1, "{log}\n{:#?}", hooks.heads());
    assert!(
        hooks.warning.texts()[0].contains("WARNING"),
        "{:#?}",
        hooks.heads()
    );
    assert!(
        hooks
            .default
            .texts()
            .iter()
            .any(|text| text.contains("RECOVERED")),
        "{default:#?}"
    );
    assert!(
        hooks
            .default
            .texts()
            .iter()
            .all(|text| !text.contains("CRITICAL") && !text.starts_with("[WARNING]")),
        "{default:#?}"
    );
    assert!(hooks.game_day.texts().is_empty() && hooks.registry.texts().is_empty());
    assert!(
        log.contains("to #nba-alerts ("),
        "the note names the route: {log}"
    );
    assert!(!log.contains("SECRET-TOKEN"), "no URL: {log}");

    // A game night: its alarm and recoveries to #nba-grading-alerts only,
    // the critical pre-game alarm included.
    let before = hooks.heads();
    let output = run(
        dir.path(),
        &store,
        &env,
        &["watch", "--interval", "0", "--replay-night", "2026-04-12"],
    )
    .await;
    let log = stdout(&output);
    assert!(output.status.success(), "{log}");
    let game_day = hooks.game_day.texts();
    assert_eq!(game_day.len(), 4, "{log}\n{game_day:#?}");
    assert!(game_day[0].contains("CRITICAL game day"), "{game_day:#?}");
    let after = hooks.heads();
    for (index, name) in [
        (0, "critical"),
        (1, "warning"),
        (3, "registry"),
        (4, "default"),
    ] {
        assert_eq!(before[index], after[index], "{name} got a game-day post");
    }

    // A promotion: to #nba-registry only.
    let output = run(
        dir.path(),
        &store,
        &env,
        &["exp", "promote", "MAR_2026_BIAS_FIX", "--force"],
    )
    .await;
    let (out, err) = (
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr),
    );
    assert!(output.status.success(), "{out}{err}");
    assert!(err.contains("announced to #nba-registry ("), "{err}");
    let registry = hooks.registry.texts();
    assert_eq!(registry.len(), 1, "{registry:#?}");
    assert!(
        registry[0].contains("carol promoted MAR_2026_BIAS_FIX"),
        "{registry:#?}"
    );
    let last = hooks.heads();
    for (index, name) in [
        (0, "critical"),
        (1, "warning"),
        (2, "game_day"),
        (4, "default"),
    ] {
        assert_eq!(after[index], last[index], "{name} got the promotion");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn check_routes_names_each_route_and_each_kind_of_posts_route_without_a_url() {
    let dir = tempfile::tempdir().unwrap();
    let store = setup(dir.path());
    std::fs::write(dir.path().join("config.yaml"), ROUTES).unwrap();
    let hooks = Hooks::new().await;
    let env = hooks.env();
    let output = run(dir.path(), &store, &env, &["watch", "--check-routes"]).await;
    let text = stdout(&output);
    assert_eq!(output.status.code(), Some(0), "{text}");
    assert!(!text.contains("SECRET-TOKEN"), "{text}");
    let line_with = |words: &[&str]| {
        text.lines()
            .any(|line| words.iter().all(|word| line.contains(word)))
    };
    assert!(
        line_with(&[
            "#nba-alerts ",
            "takes level critical; topic verdict",
            "webhook from ROUTE_CRITICAL (http://127.0.0.1/…)"
        ]),
        "{text}"
    );
    assert!(
        line_with(&[
            "default ",
            "takes what no route above takes",
            "webhook from COURTSIDE_SLACK_WEBHOOK (http://127.0.0.1/…)"
        ]),
        "{text}"
    );
    for row in [
        "catboost_v8              verdict          critical  #nba-alerts",
        "catboost_v8              verdict          warning   #nba-warnings",
        "catboost_v8              verdict          healthy   default",
        "catboost_v8              game_day         critical  #nba-grading-alerts",
        "catboost_v8              registry         info      #nba-registry",
        "catboost_v8              since_promotion  info      default",
    ] {
        assert!(text.contains(row), "{row}: {text}");
    }
    println!("{text}");

    let output = run(
        dir.path(),
        &store,
        &env,
        &["watch", "--check-routes", "--json"],
    )
    .await;
    let check: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(check["routes"].as_array().unwrap().len(), 5, "{check:#}");
    assert_eq!(check["problems"].as_array().unwrap().len(), 0, "{check:#}");
    assert!(!check.to_string().contains("SECRET-TOKEN"), "{check:#}");

    // Without the default and with a variable unset: both named, exit 1,
    // and `watch` itself refuses to start.
    let unset: Vec<(&str, String)> = env
        .iter()
        .filter(|(name, _)| *name != "ROUTE_WARNING" && *name != "COURTSIDE_SLACK_WEBHOOK")
        .cloned()
        .collect();
    let output = run(dir.path(), &store, &unset, &["watch", "--check-routes"]).await;
    let text = stdout(&output);
    assert_eq!(output.status.code(), Some(1), "{text}");
    assert!(
        text.contains("✖ #nba-warnings: ROUTE_WARNING is not set"),
        "{text}"
    );
    assert!(
        text.contains("✖ no route takes verdict info for catboost_v8"),
        "{text}"
    );
    assert!(text.contains("NOT POSTED (no route takes it)"), "{text}");
    let output = run(
        dir.path(),
        &store,
        &unset,
        &["watch", "--interval", "0", "--replay", "2026-04-12"],
    )
    .await;
    let text = stdout(&output);
    assert_eq!(output.status.code(), Some(1), "{text}");
    assert!(text.contains("route 2 (#nba-warnings)"), "{text}");
    assert!(text.contains("ROUTE_WARNING, which is not set"), "{text}");
}
