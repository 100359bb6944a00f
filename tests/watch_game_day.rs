//! `courtside watch --replay-night` over the demo's late night (2026-04-12:
//! ensemble_v1's predictions arrive an hour before the first tip-off,
//! production's grading runs at 10:00 the next morning) against a webhook
//! receiver on 127.0.0.1: exactly the pre-game alarm, its recovery, the
//! `not graded` warning and its recovery, once each, in order; a second run
//! posts nothing again.

#[path = "watch_support/mod.rs"]
mod support;

use support::{receiver, setup, stdout, watch};

#[tokio::test(flavor = "multi_thread")]
async fn a_replayed_night_posts_the_pregame_alarm_the_grading_warning_and_their_recoveries() {
    let dir = tempfile::tempdir().unwrap();
    let store = setup(dir.path());
    let hook = receiver(vec![]).await;
    let output = watch(
        dir.path(),
        &store,
        &hook.url,
        &["--replay-night", "2026-04-12"],
    )
    .await;
    let text = stdout(&output);
    assert!(output.status.success(), "{text}");
    let texts: Vec<String> = hook
        .bodies
        .lock()
        .unwrap()
        .iter()
        .map(|b| b["text"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(texts.len(), 4, "{text}\n{texts:#?}");
    assert!(
        texts[0].contains("CRITICAL game day: ensemble_v1 on 2026-04-12")
            && texts[0].contains("has made no predictions for 2026-04-12; first tip-off in"),
        "{}",
        texts[0]
    );
    assert!(
        texts[1].contains("RECOVERED game day: ensemble_v1 on 2026-04-12")
            && texts[1].contains("no predictions before tip-off cleared"),
        "{}",
        texts[1]
    );
    assert!(
        texts[2].contains("WARNING game day: catboost_v8 on 2026-04-12")
            && texts[2].contains("not graded, games final")
            && texts[2].contains("catboost_v8: 0 of"),
        "{}",
        texts[2]
    );
    assert!(
        texts[3].contains("RECOVERED game day: catboost_v8 on 2026-04-12")
            && texts[3].contains("not graded cleared"),
        "{}",
        texts[3]
    );
    assert!(!text.contains("SECRET-TOKEN"), "the URL never appears");

    // Once each: the same night again posts nothing new.
    let again = watch(
        dir.path(),
        &store,
        &hook.url,
        &["--replay-night", "2026-04-12"],
    )
    .await;
    assert!(again.status.success(), "{}", stdout(&again));
    assert_eq!(hook.bodies.lock().unwrap().len(), 4, "{}", stdout(&again));
}
