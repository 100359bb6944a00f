//! Tab 7: the selected system's bets split by edge, direction, line kind,
//! bookmaker and confidence decile (metrics.md 13): the table of
//! `courtside splits` (columns dropped by priority when narrow, never cut
//! mid-number), a hit-rate bar per bucket against break-even, the notes
//! (edge pays, Brier, ECE, buckets no better than always-UNDER/OVER) and the
//! reliability chart of mean confidence against hit rate per decile.

use crate::format::comparisons::{
    SPLIT_COLUMNS, bucket_label, interval_cell, split_cells, split_columns, splits_notes,
};
use crate::model::splits::{CalibrationRow, SplitsReport};
use crate::tui::action::SplitsData;
use crate::tui::app::App;
use crate::tui::theme::Theme;
use crate::tui::widgets::{self, pad};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};
use unicode_width::UnicodeWidthStr;

/// Columns left out first when the table is too wide: OVER, UNDER, p,
/// max DD, units, ROI, CLV (bucket, bets and the hit rate always stay).
const DROP_ORDER: [usize; 7] = [9, 8, 3, 7, 6, 5, 4];

/// Width of the hit-rate bar column.
const BAR: usize = 14;

/// The columns of `shown` that fit in `width` with two spaces between them.
fn kept_columns(widths: &[usize], shown: &[usize], width: usize) -> Vec<usize> {
    let mut kept: Vec<usize> = shown.to_vec();
    let total = |kept: &[usize]| {
        kept.iter().map(|&i| widths[i]).sum::<usize>() + 2 * kept.len().saturating_sub(1)
    };
    for drop in DROP_ORDER {
        if total(&kept) <= width {
            break;
        }
        kept.retain(|&i| i != drop);
    }
    kept
}

/// A hit rate on a 0-100% scale: `█` to the rate, `[ ]` its interval, `|`
/// at break-even (drawn over the bar, so it is seen either way).
fn bar_cells(pct: Option<f64>, low_high: Option<(f64, f64)>, break_even: f64) -> String {
    let mut cells = vec!['·'; BAR];
    let at = |value: f64| ((value.clamp(0.0, 100.0) / 100.0) * (BAR - 1) as f64).round() as usize;
    if let Some(pct) = pct {
        for cell in cells.iter_mut().take(at(pct) + 1) {
            *cell = '█';
        }
    }
    if let Some((low, high)) = low_high {
        cells[at(low)] = '[';
        cells[at(high)] = ']';
    }
    cells[at(break_even)] = '|';
    cells.into_iter().collect()
}

fn table_lines<'a>(
    app: &App,
    report: &SplitsReport,
    width: usize,
    height: usize,
    theme: &Theme,
) -> Vec<Line<'a>> {
    let rows: Vec<Vec<String>> = report.rows.iter().map(split_cells).collect();
    let mut widths: Vec<usize> = SPLIT_COLUMNS.iter().map(|h| h.width()).collect();
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.width());
        }
    }
    let shown = split_columns(report);
    let shown_width: usize = shown.iter().map(|&i| widths[i] + 2).sum();
    let with_bar = width >= shown_width + BAR + 2;
    let kept = kept_columns(&widths, &shown, width);
    let line = |cells: &[String]| {
        kept.iter()
            .map(|&i| pad(&cells[i], widths[i]))
            .collect::<Vec<_>>()
            .join("  ")
    };
    let header: Vec<String> = SPLIT_COLUMNS.iter().map(|h| h.to_string()).collect();
    let mut header_text = line(&header);
    if with_bar {
        header_text.push_str(&format!("  {}", pad("0 · | b-e · 100", BAR)));
    }
    let mut lines = vec![Line::styled(header_text, theme.header)];
    let body = height.saturating_sub(1);
    let cursor = app.splits.cursor.min(rows.len().saturating_sub(1));
    let offset = crate::tui::geometry::table_offset(cursor, body);
    let break_even = app.settings.break_even_pct();
    for (i, (row, cells)) in report
        .rows
        .iter()
        .zip(&rows)
        .enumerate()
        .skip(offset)
        .take(body)
    {
        let style = if i == cursor {
            theme.selected
        } else if row.naive_note.is_some() {
            theme.warning
        } else {
            theme.text
        };
        let mut spans = vec![Span::styled(line(cells), style)];
        if with_bar {
            let interval = row
                .hit_rate
                .interval
                .filter(|_| row.hit_rate.sufficient)
                .map(|i| (i.low, i.high));
            // No bar for a sample under `min_bets`: its rate is no evidence.
            let pct = row.hit_rate.pct.filter(|_| row.hit_rate.sufficient);
            spans.push(Span::styled(
                format!("  {}", bar_cells(pct, interval, break_even)),
                theme.accent,
            ));
        }
        lines.push(Line::from(spans));
    }
    lines
}

/// Mean confidence (`◆`) against the hit rate and its interval per decile:
/// a decile whose `◆` sits right of its `]` is overconfident.
fn reliability_lines<'a>(rows: &[CalibrationRow], width: usize, theme: &Theme) -> Vec<Line<'a>> {
    let chart = width.saturating_sub(18).clamp(10, 60);
    let at = |value: f64| ((value.clamp(0.0, 100.0) / 100.0) * (chart - 1) as f64).round() as usize;
    let mut lines = vec![Line::styled(
        "█ hit rate [95%]  ◆ mean confidence  (◆ right of ]: overconfident)",
        theme.muted,
    )];
    for row in rows {
        let mut cells = vec!['·'; chart];
        if let Some(pct) = row.hit_rate.pct {
            for cell in cells.iter_mut().take(at(pct) + 1) {
                *cell = '█';
            }
        }
        if let Some(i) = row.hit_rate.interval {
            cells[at(i.low)] = '[';
            cells[at(i.high)] = ']';
        }
        if let Some(conf) = row.mean_confidence {
            cells[at(100.0 * conf)] = '◆';
        }
        lines.push(Line::from(vec![
            Span::styled(
                format!(
                    "{} {:>6} ",
                    pad(&row.decile, 10),
                    crate::format::count(row.n)
                ),
                theme.text,
            ),
            Span::styled(cells.into_iter().collect::<String>(), theme.accent),
        ]));
    }
    lines.push(Line::styled(
        format!(
            "{}0%{}100%",
            " ".repeat(18),
            " ".repeat(chart.saturating_sub(5))
        ),
        theme.muted,
    ));
    lines
}

pub fn draw(frame: &mut Frame, app: &App, area: Rect) {
    let wanted = format!("{} on {}", app.selection.system, app.selection.date);
    let Some(body) = widgets::panel_body(
        frame,
        app,
        &app.splits.panel,
        area,
        widgets::PanelText {
            loading: format!("splitting the bets of {wanted}"),
            empty: "no data yet".to_string(),
            wanted,
        },
        |data| {
            (data.selection != app.selection)
                .then(|| format!("{} on {}", data.selection.system, data.selection.date))
        },
    ) else {
        return;
    };
    draw_data(frame, app, body.data, body.area);
    body.finish(frame);
}

fn draw_data(frame: &mut Frame, app: &App, data: &SplitsData, area: Rect) {
    let theme = app.theme();
    let report = &data.report;
    let title = vec![
        Span::styled(
            format!("{} ", crate::format::terminal_safe(&report.system_id)),
            theme.accent,
        ),
        Span::styled(
            format!(
                "· {} to {} · bets at edge ≥ {} · bucket {} of {} (↑/↓, Enter: its figures)",
                report.from,
                report.to,
                app.settings.thresholds.edge_threshold.get(),
                (app.splits.cursor + 1).min(report.rows.len()),
                report.rows.len()
            ),
            theme.muted,
        ),
    ];
    let mut notes: Vec<Line> = Vec::new();
    if let Some(row) = report
        .rows
        .get(app.splits.cursor)
        .filter(|_| app.splits.show_detail)
    {
        notes.push(Line::styled(
            format!(
                "{}: hit rate {}  ROI {}  units {:+.1}  max drawdown {:.1}",
                bucket_label(row),
                row.hit_rate,
                interval_cell(row.roi_pct, row.roi_interval, "%"),
                row.units,
                row.max_drawdown
            ),
            theme.accent,
        ));
        notes.push(Line::styled(
            format!(
                "  always-UNDER {}  always-OVER {}{}",
                row.always_under,
                row.always_over,
                row.naive_note
                    .as_ref()
                    .map(|note| format!(": {note}"))
                    .unwrap_or_default()
            ),
            theme.accent,
        ));
        if let Some(clv) = &row.clv {
            notes.push(Line::styled(
                format!("  the close: {}", clv.sentence()),
                theme.accent,
            ));
        }
    }
    notes.extend(
        splits_notes(report)
            .into_iter()
            .map(|text| Line::styled(text, theme.text)),
    );
    let side = area.width >= 170 && !report.calibration.is_empty();
    let below = !side && area.height >= 40 && !report.calibration.is_empty();
    let chart_height = report.calibration.len() as u16 + 4;
    let notes_height = (notes.len() as u16 + 1).min(area.height / 3).max(2);
    let [title_area, main, chart_below, notes_area] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(3),
        Constraint::Length(if below { chart_height } else { 0 }),
        Constraint::Length(notes_height),
    ])
    .areas(area);
    frame.render_widget(Paragraph::new(Line::from(title)), title_area);
    let (table_area, chart_side) = if side {
        let [left, right] =
            Layout::horizontal([Constraint::Min(60), Constraint::Length(64)]).areas(main);
        (left, Some(right))
    } else {
        (main, None)
    };
    frame.render_widget(
        Paragraph::new(table_lines(
            app,
            report,
            table_area.width as usize,
            table_area.height as usize,
            theme,
        )),
        table_area,
    );
    // The rows under the header line, for mouse clicks.
    app.splits.table_body.set(Rect {
        y: table_area.y + 1,
        height: table_area.height.saturating_sub(1),
        ..table_area
    });
    for chart_area in chart_side.into_iter().chain(below.then_some(chart_below)) {
        let block = Block::bordered()
            .title(" reliability: mean confidence vs hit rate per decile ")
            .border_style(theme.muted);
        let inner = block.inner(chart_area);
        frame.render_widget(block, chart_area);
        frame.render_widget(
            Paragraph::new(reliability_lines(
                &report.calibration,
                inner.width as usize,
                theme,
            )),
            inner,
        );
    }
    frame.render_widget(Paragraph::new(notes).wrap(Wrap { trim: true }), notes_area);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn narrow_tables_drop_the_least_needed_columns_first() {
        // bucket, bets, hit rate, p, CLV, ROI, units, max DD, UNDER, OVER.
        let widths = [20, 5, 20, 5, 8, 20, 6, 6, 6, 6];
        let all: Vec<usize> = (0..10).collect();
        assert_eq!(kept_columns(&widths, &all, 500), all);
        // 120 wide in all: one cell less drops OVER (6 with its gap).
        assert_eq!(kept_columns(&widths, &all, 120).len(), 10);
        assert_eq!(kept_columns(&widths, &all, 119), (0..9).collect::<Vec<_>>());
        // ROI goes before the close; the close before the key three.
        assert_eq!(kept_columns(&widths, &all, 63), vec![0, 1, 2, 4]);
        assert_eq!(kept_columns(&widths, &all, 49), vec![0, 1, 2]);
        // Never fewer than the three key columns, even when they overflow.
        assert_eq!(kept_columns(&widths, &all, 10), vec![0, 1, 2]);
        // Without the close its column is never shown.
        let without: Vec<usize> = all.iter().copied().filter(|&i| i != 4).collect();
        assert_eq!(kept_columns(&widths, &without, 500), without);
    }

    #[test]
    fn the_bar_marks_break_even_over_the_rate() {
        let bar = bar_cells(Some(50.0), Some((40.0, 60.0)), 52.4);
        assert_eq!(bar.chars().count(), BAR);
        assert!(bar.contains('|') && bar.contains('[') && bar.contains(']'));
        assert_eq!(bar_cells(None, None, 52.4).matches('█').count(), 0);
    }
}
