//! `e`: the current tab's table as CSV text (the runtime writes the file).

use super::action::Tab;
use super::app::App;
use super::tabs::{experiments, overview};

/// Quotes a CSV field when it needs it.
fn field(text: &str) -> String {
    if text.contains([',', '"', '\n']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

fn csv(header: &[&str], rows: impl Iterator<Item = Vec<String>>) -> String {
    let mut out = header
        .iter()
        .map(|h| field(h))
        .collect::<Vec<_>>()
        .join(",");
    out.push('\n');
    for row in rows {
        out.push_str(&row.iter().map(|c| field(c)).collect::<Vec<_>>().join(","));
        out.push('\n');
    }
    out
}

/// `(file name, CSV)` of the table on the current tab, if it has one.
pub fn current_table(app: &App) -> Option<(String, String)> {
    match app.tab {
        Tab::Experiments => {
            app.experiments.data.as_ref()?;
            let header = experiments::columns(true);
            let rows = app.visible_entries().into_iter().map(|entry| {
                let marked = app.leaderboard.marked.contains(&entry.id);
                experiments::cells(&entry, marked, true)
            });
            Some(("courtside-experiments.csv".to_string(), csv(&header, rows)))
        }
        Tab::Overview | Tab::Sharpness | Tab::Drift => {
            let data = app.dashboard.data.as_ref()?;
            let rows = overview::key_figures(&data.diagnostics)
                .into_iter()
                .map(|row| row.to_vec());
            let name = format!(
                "courtside-{}-{}.csv",
                data.selection.system, data.selection.date
            );
            Some((name, csv(&["figure", "value", "n", "ci95", "note"], rows)))
        }
        Tab::Gap => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_with_commas_and_quotes_are_quoted() {
        assert_eq!(field("a,b"), "\"a,b\"");
        assert_eq!(field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(field("plain"), "plain");
    }
}
