//! The check that the dashboard and `diag` show the same numbers: for each
//! date, the diagnostics the dashboard loads (`tui::data::load_dashboard`,
//! which fetches the whole trend window) against the JSON `diag --json --date`
//! prints (which fetches only what the date needs), field for field.
#![allow(dead_code)]

use courtside::config::Thresholds;
use courtside::source::Source;
use courtside::tui::action::Selection;
use serde_json::Value;

/// Equal, with floats equal to 1e-9 relative (sums run in another order),
/// and the time of computation ignored.
pub fn assert_same(path: &str, left: &Value, right: &Value) {
    match (left, right) {
        (Value::Object(a), Value::Object(b)) => {
            let mut keys_a: Vec<_> = a.keys().collect();
            let mut keys_b: Vec<_> = b.keys().collect();
            keys_a.sort();
            keys_b.sort();
            assert_eq!(keys_a, keys_b, "{path}: keys differ");
            for (key, value) in a {
                if key == "computed_at" {
                    continue;
                }
                assert_same(&format!("{path}.{key}"), value, &b[key]);
            }
        }
        (Value::Array(a), Value::Array(b)) => {
            assert_eq!(a.len(), b.len(), "{path}: lengths differ");
            for (index, (x, y)) in a.iter().zip(b).enumerate() {
                assert_same(&format!("{path}[{index}]"), x, y);
            }
        }
        (Value::Number(a), Value::Number(b)) => {
            let (x, y) = (a.as_f64().unwrap(), b.as_f64().unwrap());
            let tolerance = 1e-9 * x.abs().max(y.abs()).max(1.0);
            assert!((x - y).abs() <= tolerance, "{path}: {x} vs {y}");
        }
        _ => assert_eq!(left, right, "{path}"),
    }
}

/// `diag --json`'s output without `silences`, which is watch's state (the
/// dashboard shows it in its header, not among the figures); it must be
/// there, as a list.
pub fn without_silences(diag: &Value) -> Value {
    assert!(
        diag["silences"].is_array(),
        "diag --json has its silences: {diag}"
    );
    let mut diag = diag.clone();
    diag.as_object_mut().unwrap().remove("silences");
    diag
}

/// The dashboard's diagnostics of `system` on `date`, as `diag --json` prints them.
pub async fn dashboard_json(
    source: &dyn Source,
    system: &str,
    date: chrono::NaiveDate,
    thresholds: &Thresholds,
) -> Value {
    let selection = Selection {
        date,
        system: system.to_string(),
    };
    let data = courtside::tui::data::load_dashboard(source, &selection, system, thresholds)
        .await
        .unwrap_or_else(|error| panic!("dashboard load for {date}: {error:#}"));
    assert_eq!(data.selection, selection);
    data.diagnostics.to_json()
}

/// The dashboard's systems strip on `date` (`champion` first), each row's
/// diagnostics as `diag --json` prints them.
pub async fn dashboard_strip_json(
    source: &dyn Source,
    champion: &str,
    date: chrono::NaiveDate,
    thresholds: &Thresholds,
) -> Vec<(String, Value)> {
    let selection = Selection {
        date,
        system: champion.to_string(),
    };
    let data = courtside::tui::data::load_dashboard(source, &selection, champion, thresholds)
        .await
        .unwrap_or_else(|error| panic!("dashboard load for {date}: {error:#}"));
    data.glance
        .iter()
        .map(|g| (g.system_id.clone(), g.diagnostics.to_json()))
        .collect()
}

/// Checks that every `(date, diag --json output)` equals the dashboard's.
pub async fn assert_dashboard_matches_diag(
    label: &str,
    source: &dyn Source,
    system: &str,
    thresholds: &Thresholds,
    diag_outputs: &[(&str, Value)],
) {
    assert!(!diag_outputs.is_empty(), "{label}: no dates to compare");
    for (date, diag) in diag_outputs {
        let dashboard = dashboard_json(source, system, date.parse().unwrap(), thresholds).await;
        assert_same(
            &format!("{label} {date}"),
            &dashboard,
            &without_silences(diag),
        );
    }
}
