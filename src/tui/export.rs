//! `e`: the current tab's table as CSV text (the runtime writes the file).

use super::action::{DashboardData, Tab};
use super::table_text::{cells, columns, key_figures};
use crate::registry::leaderboard::Entry;
use std::collections::BTreeSet;

/// The CSV text of a header and rows (the `csv` crate quotes what needs it).
fn csv<S: AsRef<str>>(header: &[&str], rows: impl Iterator<Item = Vec<S>>) -> String {
    let mut writer = csv::Writer::from_writer(Vec::new());
    // Writing to memory cannot fail.
    let _ = writer.write_record(header);
    for row in rows {
        let _ = writer.write_record(row.iter().map(AsRef::as_ref));
    }
    let bytes = writer.into_inner().unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_default()
}

/// `(file name, CSV)` of the table on `tab`, if it has one: the dashboard's
/// key figures, or the leaderboard rows the user sees (`None` before load).
pub fn current_table(
    tab: Tab,
    dashboard: Option<&DashboardData>,
    entries: Option<&[Entry]>,
    marked: &BTreeSet<String>,
) -> Option<(String, String)> {
    match tab {
        Tab::Experiments => {
            let rows = entries?
                .iter()
                .map(|entry| cells(entry, marked.contains(&entry.id), true));
            Some((
                "courtside-experiments.csv".to_string(),
                csv(&columns(true), rows),
            ))
        }
        Tab::Overview | Tab::Sharpness | Tab::Drift => {
            let data = dashboard?;
            let rows = key_figures(&data.diagnostics)
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
    fn fields_with_commas_quotes_and_newlines_are_quoted() {
        let rows = vec![vec!["a,b", "say \"hi\"", "two\nlines", "plain"]];
        assert_eq!(
            csv(&["w", "x", "y", "z"], rows.into_iter()),
            "w,x,y,z\n\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",plain\n"
        );
    }
}
