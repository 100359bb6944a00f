//! Tab 3: sparklines per window for the selected system (gaps where a day has
//! no data, never zeros), a row telling game days without predictions (an
//! outage) from days without games, the latest value with its interval, the
//! severity, one row per other system, and the drift detector's panel.

use super::dashboard::{dashboard_body, series_of};
use super::detector;
use crate::format::OrNoData;
use crate::format::{number, signed};
use crate::model::detector::DayKind;
use crate::model::{Diagnostics, Rate};
use crate::tui::action::DashboardData;
use crate::tui::app::App;
use crate::tui::widgets::pad;
use chrono::NaiveDate;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Sparkline};

type Series = [(NaiveDate, Option<Diagnostics>)];

/// Sparkline heights: each value above the series minimum, scaled to 20..=100
/// (the minimum still draws a bar on a one-row sparkline);
/// missing values stay missing.
pub fn spark_values(values: &[Option<f64>]) -> Vec<Option<u64>> {
    let present: Vec<f64> = values.iter().flatten().copied().collect();
    let low = present.iter().copied().fold(f64::INFINITY, f64::min);
    let high = present.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let span = (high - low).max(1e-9);
    values
        .iter()
        .map(|v| v.map(|v| 20 + ((v - low) / span * 80.0).round() as u64))
        .collect()
}

fn rate_text(rate: &Rate) -> String {
    rate.to_string()
}

/// A figure's value on one day.
type Figure = fn(&Diagnostics) -> Option<f64>;

/// `(label, value of a day, latest-value text)` for each row of the tab.
fn rows(d: &Diagnostics, break_even: f64) -> Vec<(String, Figure, String)> {
    vec![
        (
            "hit 7d".to_string(),
            |d: &Diagnostics| d.drift.hit_rate_7d.pct,
            format!("{} (b/e {break_even:.1}%)", rate_text(&d.drift.hit_rate_7d)),
        ),
        (
            "hit 14d".to_string(),
            |d: &Diagnostics| d.drift.hit_rate_14d.pct,
            rate_text(&d.drift.hit_rate_14d),
        ),
        (
            "hit 30d".to_string(),
            |d: &Diagnostics| d.drift.hit_rate_30d.pct,
            rate_text(&d.drift.hit_rate_30d),
        ),
        (
            "MAE 14d".to_string(),
            |d: &Diagnostics| d.drift.model_mae,
            format!("{} (n={})", number(d.drift.model_mae, 2), d.drift.rows_14d),
        ),
        (
            "bias".to_string(),
            |d: &Diagnostics| d.drift.model_mean_error,
            format!(
                "{} {}",
                signed(d.drift.model_mean_error, 2),
                d.drift.bias_direction.or_no_data()
            ),
        ),
        (
            "drift".to_string(),
            |d: &Diagnostics| d.drift.drift_score,
            format!(
                "{} ({})",
                number(d.drift.drift_score, 0),
                d.drift.drift_severity.or_no_data()
            ),
        ),
    ]
}

fn values(series: &Series, value: fn(&Diagnostics) -> Option<f64>) -> Vec<Option<f64>> {
    series
        .iter()
        .map(|(_, d)| d.as_ref().and_then(value))
        .collect()
}

/// Columns the sparklines get in a row `width` wide (see `spark_row`).
fn spark_width(width: u16) -> usize {
    usize::from(width.saturating_sub(12 + (width / 2).clamp(20, 44)).max(4))
}

/// Columns per day: a wide screen draws each day two or three columns wide
/// instead of leaving the room empty (every row of the tab the same, so
/// the days stay aligned).
fn stretch(days: usize, width: u16) -> usize {
    (spark_width(width) / days.max(1)).clamp(1, 3)
}

/// Each item `times` times.
fn widened<T: Clone>(items: Vec<T>, times: usize) -> Vec<T> {
    items
        .into_iter()
        .flat_map(|item| std::iter::repeat_n(item, times))
        .collect()
}

/// The latest-value text with the drawn range (`↕48.2–62.1`) when it fits,
/// so a bar's height can be read as a value.
fn with_range(latest: &str, values: &[Option<f64>], width: u16) -> String {
    let present: Vec<f64> = values.iter().flatten().copied().collect();
    let (Some(low), Some(high)) = (
        present.iter().copied().reduce(f64::min),
        present.iter().copied().reduce(f64::max),
    ) else {
        return latest.to_string();
    };
    let range = format!("  ↕{low:.1}–{high:.1}");
    let room = usize::from((width / 2).clamp(20, 44)).saturating_sub(1);
    if latest.chars().count() + range.chars().count() <= room {
        format!("{latest}{range}")
    } else {
        latest.to_string()
    }
}

/// One labelled sparkline row: label, sparkline, latest value; the value
/// cursor's day (`cursor`, an index into `data`) drawn highlighted.
#[allow(clippy::too_many_arguments)]
fn spark_row(
    frame: &mut Frame,
    app: &App,
    area: Rect,
    label: &str,
    data: Vec<Option<u64>>,
    latest: &str,
    stretch: usize,
    cursor: Option<usize>,
) {
    let data = widened(data, stretch);
    let theme = app.theme();
    let text_width = (area.width / 2).clamp(20, 44);
    let [label_area, spark_area, value_area] = Layout::horizontal([
        Constraint::Length(12),
        Constraint::Min(4),
        Constraint::Length(text_width),
    ])
    .areas(area);
    frame.render_widget(Paragraph::new(pad(label, 12)).style(theme.text), label_area);
    // Keep the newest days when the series is wider than the room.
    let skip = data.len().saturating_sub(spark_area.width as usize);
    frame.render_widget(
        // A fixed scale: `spark_values` maps the drawn range onto 20..=100,
        // so a flat series draws low bars, not full ones.
        Sparkline::default()
            .max(100)
            .data(data.into_iter().skip(skip).collect::<Vec<_>>())
            .style(theme.accent)
            .absent_value_symbol("·")
            .absent_value_style(theme.muted),
        spark_area,
    );
    if let Some(day) = cursor {
        let buffer = frame.buffer_mut();
        for column in (day * stretch..(day + 1) * stretch).filter(|c| *c >= skip) {
            let x = spark_area.x + (column - skip) as u16;
            if x < spark_area.right() {
                buffer[(x, spark_area.y)].set_style(theme.selected);
            }
        }
    }
    frame.render_widget(
        Paragraph::new(format!(" {latest}")).style(theme.text),
        value_area,
    );
}

/// The glyph of a trend day: `•` predicted, `·` no games, `✖` not
/// predicted (an outage), `○` not graded, `∅` no lines, `?` no graded rows
/// the tables cannot explain, `-` not running.
pub fn day_glyph(kind: DayKind) -> &'static str {
    match kind {
        DayKind::Value => "•",
        DayKind::NoGames => "·",
        DayKind::NoPredictions => "✖",
        DayKind::NoGradedRows => "?",
        DayKind::NotGraded => "○",
        DayKind::NoLines => "∅",
        DayKind::NotRunning => "-",
    }
}

/// A row of one glyph per day, aligned with the sparklines' columns (the
/// newest days that fit), with its label and a closing text.
fn glyph_row(
    frame: &mut Frame,
    app: &App,
    area: Rect,
    label: &str,
    glyphs: Vec<Span<'static>>,
    text: (String, ratatui::style::Style),
    stretch: usize,
) {
    let glyphs = widened(glyphs, stretch);
    let theme = app.theme();
    let text_width = (area.width / 2).clamp(20, 44);
    let [label_area, days_area, value_area] = Layout::horizontal([
        Constraint::Length(12),
        Constraint::Min(4),
        Constraint::Length(text_width),
    ])
    .areas(area);
    frame.render_widget(Paragraph::new(pad(label, 12)).style(theme.text), label_area);
    let skip = glyphs.len().saturating_sub(days_area.width as usize);
    let spans: Vec<Span> = glyphs.into_iter().skip(skip).collect();
    frame.render_widget(Paragraph::new(Line::from(spans)), days_area);
    frame.render_widget(Paragraph::new(text.0).style(text.1), value_area);
}

/// The row under the sparklines: what each day of the window is, and how
/// many game dates had no predictions.
fn day_kind_row(
    frame: &mut Frame,
    app: &App,
    area: Rect,
    kinds: &[(NaiveDate, DayKind)],
    stretch: usize,
) {
    let theme = app.theme();
    let room = usize::from(
        area.width
            .saturating_sub(12 + (area.width / 2).clamp(20, 44)),
    );
    let shown = &kinds[kinds.len().saturating_sub(room / stretch)..];
    let glyphs: Vec<Span<'static>> = shown
        .iter()
        .map(|(_, kind)| {
            let style = match kind {
                DayKind::Value => theme.accent,
                DayKind::NoGames | DayKind::NotRunning => theme.muted,
                DayKind::NoPredictions => theme.critical,
                DayKind::NotGraded | DayKind::NoLines | DayKind::NoGradedRows => theme.warning,
            };
            Span::styled(day_glyph(*kind), style)
        })
        .collect();
    let outages = shown
        .iter()
        .filter(|(_, kind)| *kind == DayKind::NoPredictions)
        .count();
    let ungraded = shown
        .iter()
        .filter(|(_, kind)| {
            matches!(
                kind,
                DayKind::NotGraded | DayKind::NoLines | DayKind::NoGradedRows
            )
        })
        .count();
    let running = shown.iter().any(|(_, kind)| *kind != DayKind::NotRunning);
    let text = if !running {
        (" not running yet".to_string(), theme.muted)
    } else if outages == 0 && ungraded == 0 {
        (" every game date predicted".to_string(), theme.muted)
    } else if outages == 0 {
        (
            format!(" ○ {ungraded} game dates without graded rows"),
            theme.warning,
        )
    } else {
        (
            format!(" ✖ {outages} game dates with no predictions"),
            theme.critical,
        )
    };
    glyph_row(frame, app, area, "predicted", glyphs, text, stretch);
}

/// The break-even reference of the hit-rate rows: `▼` on each day whose
/// 7-day hit rate is below break-even, `–` at or above, `·` without one.
fn break_even_row(
    frame: &mut Frame,
    app: &App,
    area: Rect,
    series: &Series,
    break_even: f64,
    stretch: usize,
) {
    let theme = app.theme();
    let rates = values(series, |d| d.drift.hit_rate_7d.pct);
    let below = rates
        .iter()
        .flatten()
        .filter(|pct| **pct < break_even)
        .count();
    let measured = rates.iter().flatten().count();
    let glyphs: Vec<Span<'static>> = rates
        .iter()
        .map(|rate| match rate {
            Some(pct) if *pct < break_even => Span::styled("▼", theme.warning),
            Some(_) => Span::styled("–", theme.muted),
            None => Span::styled("·", theme.muted),
        })
        .collect();
    let text = (
        format!(" {below} of {measured} days below break-even {break_even:.1}%"),
        if below > 0 {
            theme.warning
        } else {
            theme.muted
        },
    );
    glyph_row(frame, app, area, "7d < b/e", glyphs, text, stretch);
}

pub fn draw(frame: &mut Frame, app: &App, area: Rect) {
    if let Some(body) = dashboard_body(frame, app, area) {
        draw_data(frame, app, body.data, body.area);
        body.finish(frame);
    }
}

fn draw_data(frame: &mut Frame, app: &App, data: &DashboardData, area: Rect) {
    let theme = app.theme();
    let selected = &data.selection.system;
    // Only the newest days that fit are drawn: the title, the scale of each
    // row and its range speak of those days alone.
    let full = series_of(data, selected).unwrap_or(&[]);
    let series = &full[full.len().saturating_sub(spark_width(area.width))..];
    let stretch = stretch(series.len(), area.width);
    let own_rows = rows(&data.diagnostics, app.settings.break_even_pct());
    let others = app
        .comparison
        .data
        .as_ref()
        .map(|comparison| comparison.series.as_slice())
        .unwrap_or(&[]);
    let others_on_date = app
        .comparison
        .data
        .as_ref()
        .map(|comparison| comparison.on_date.as_slice())
        .unwrap_or(&[]);
    let mut constraints = vec![Constraint::Length(1)];
    constraints.extend(own_rows.iter().map(|_| Constraint::Length(1)));
    constraints.push(Constraint::Length(1));
    constraints.push(Constraint::Length(1));
    constraints.push(Constraint::Length(1));
    constraints.extend(others.iter().map(|_| Constraint::Length(1)));
    constraints.push(Constraint::Min(0));
    let areas = Layout::vertical(constraints).split(area);
    let first = series
        .first()
        .map(|(d, _)| d.to_string())
        .unwrap_or_default();
    let last = series
        .last()
        .map(|(d, _)| d.to_string())
        .unwrap_or_default();
    // The value cursor's figures take the title line while it is on.
    let title = if app.chart_cursor.is_some() {
        super::cursor::readout(app, data, area.width as usize, theme)
    } else {
        Line::styled(
            format!(
                "{selected}: {first} to {last} (· no games, ✖ not predicted, ○ not graded, ? unexplained, - not running; ←→ value cursor)"
            ),
            theme.muted,
        )
    };
    frame.render_widget(Paragraph::new(title), areas[0]);
    // The value cursor's day, marked on every sparkline.
    let cursor_day = crate::tui::state::cursor::position(app.chart_cursor, series);
    for (i, (label, value, latest)) in own_rows.iter().enumerate() {
        spark_row(
            frame,
            app,
            areas[1 + i],
            label,
            spark_values(&values(series, *value)),
            &with_range(latest, &values(series, *value), area.width),
            stretch,
            cursor_day.map(|(index, _)| index),
        );
    }
    let break_even = 1 + own_rows.len();
    break_even_row(
        frame,
        app,
        areas[break_even],
        series,
        app.settings.break_even_pct(),
        stretch,
    );
    let kinds_row = break_even + 1;
    day_kind_row(frame, app, areas[kinds_row], &data.day_kinds, stretch);
    let other_header = kinds_row + 1;
    frame.render_widget(
        Paragraph::new(Line::styled("other systems, 7-day hit rate", theme.muted)),
        areas[other_header],
    );
    if others.is_empty() {
        let text = if app.comparison.pending.is_some() {
            "  loading the other systems…"
        } else {
            "  no other systems"
        };
        if let Some(area) = areas.get(other_header + 1) {
            frame.render_widget(Paragraph::new(text).style(theme.muted), *area);
        }
    }
    for (i, (name, other)) in others.iter().enumerate() {
        let other = &other[other
            .len()
            .saturating_sub(spark_width(area.width) / stretch)..];
        // The selected date's figure, as `diag --date` gives it: never the
        // last day with games before it (after a system's data has ended
        // that would be another date's rate).
        let latest = others_on_date
            .iter()
            .find(|(system, _)| system == name)
            .map(|(_, rate)| rate_text(rate))
            .or_no_data();
        let rates: Vec<Option<f64>> = other
            .iter()
            .map(|(_, rate)| rate.and_then(|r| r.pct))
            .collect();
        spark_row(
            frame,
            app,
            areas[other_header + 1 + i],
            name,
            spark_values(&rates),
            &latest,
            stretch,
            cursor_day.and_then(|(_, date)| other.iter().position(|(day, _)| *day == date)),
        );
    }
    let panel = areas[areas.len() - 1];
    if let Some(state) = &data.detector
        && panel.height >= 2
    {
        let window = (
            series.first().map_or(data.selection.date, |(d, _)| *d),
            data.selection.date,
        );
        detector::draw(frame, panel, theme, state, data.odds.as_ref(), window);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_wide_screen_draws_each_day_wider_and_a_narrow_one_keeps_the_newest_days() {
        // 200 columns: 144 for the days; 60 days take two columns each.
        assert_eq!(stretch(60, 200), 2);
        assert_eq!(stretch(30, 200), 3, "never more than three");
        assert_eq!(stretch(60, 80), 1);
        assert!(
            (1..=3).contains(&stretch(0, 80)),
            "no days: no division by zero"
        );
        assert_eq!(widened(vec![1, 2], 2), vec![1, 1, 2, 2]);
    }

    #[test]
    fn missing_days_stay_missing_and_the_minimum_is_not_zero() {
        assert_eq!(
            spark_values(&[Some(50.0), None, Some(60.0)]),
            vec![Some(20), None, Some(100)]
        );
        assert_eq!(spark_values(&[None, None]), vec![None, None]);
    }
}
