//! Tab 2: beats-Vegas and the sharpness score over time against the 42/45/50/55
//! guide lines, Vegas vs model MAE, and bars per player and confidence tier.

use super::cursor;
use super::dashboard::{dashboard_body, series_of};
use crate::format::{count, number};
use crate::model::{Diagnostics, TierSharpness};
use crate::tui::action::DashboardData;
use crate::tui::app::App;
use crate::tui::theme::Theme;
use crate::tui::widgets::chart::{self, Points};
use crate::tui::widgets::pad;
use chrono::NaiveDate;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Axis, Block, Chart, Dataset, Paragraph};

/// Guide lines of the beats-Vegas chart: the critical, warning, info and "dull" marks.
pub const GUIDES: [f64; 4] = [42.0, 45.0, 50.0, 55.0];

/// `(x, y)` points of a series, skipping days without data.
pub(super) fn points(
    series: &[(NaiveDate, Option<Diagnostics>)],
    value: impl Fn(&Diagnostics) -> Option<f64>,
) -> Points {
    chart::series_points(series, |(_, d)| d.as_ref().and_then(&value))
}

pub(super) fn x_labels(series: &[(NaiveDate, Option<Diagnostics>)]) -> Vec<String> {
    match (series.first(), series.last()) {
        (Some((first, _)), Some((last, _))) => {
            vec![
                first.format("%m-%d").to_string(),
                last.format("%m-%d").to_string(),
            ]
        }
        _ => Vec::new(),
    }
}

/// The lines of the beats-Vegas chart.
struct RateLines<'a> {
    beats: &'a Points,
    score: &'a Points,
    guides: &'a [Points],
    /// The value cursor's vertical mark (empty when off).
    cursor: &'a Points,
    /// The y axis and its labels ([`rate_bounds`]).
    bounds: ([f64; 2], Vec<String>),
}

/// The y range of the rate chart and its labels: every value and guide
/// (42-55) with three points to spare, rounded out to tens within 0-100, and
/// widened to a multiple of the label step (10, else 20) so the evenly
/// spaced labels sit exactly on their values (a series living in 42-62 is
/// not drawn flat on a 0-100 axis).
fn rate_bounds(series: &[&Points]) -> ([f64; 2], Vec<String>) {
    let values = series
        .iter()
        .flat_map(|points| points.iter().map(|(_, y)| *y));
    let (low, high) = values.fold((42.0f64, 55.0f64), |(low, high), y| {
        (low.min(y), high.max(y))
    });
    let mut low = (((low - 3.0) / 10.0).floor() * 10.0).max(0.0);
    let mut high = (((high + 3.0) / 10.0).ceil() * 10.0).min(100.0);
    let step = if high - low <= 40.0 { 10.0 } else { 20.0 };
    while ((high - low) / step).fract() != 0.0 {
        if high < 100.0 {
            high += 10.0;
        } else {
            low -= 10.0;
        }
    }
    let labels = (0..=((high - low) / step) as usize)
        .map(|i| format!("{:.0}", low + step * i as f64))
        .collect();
    ([low, high], labels)
}

fn rate_chart<'a>(
    lines: RateLines<'a>,
    width: f64,
    labels: Vec<String>,
    readout: Line<'a>,
    theme: &Theme,
) -> Chart<'a> {
    let RateLines {
        beats,
        score,
        guides,
        cursor,
        bounds,
    } = lines;
    let (bounds, y_labels) = bounds;
    // Guides first, sparse and faint, so the lines are drawn over them.
    let mut datasets: Vec<Dataset> = guides
        .iter()
        .map(|points| chart::guide(points, theme.muted))
        .collect();
    datasets.push(chart::line("", cursor, theme.accent));
    // Told apart by their marks as well as their colours.
    datasets.push(chart::dots(
        "sharpness score (•)",
        score,
        Style::default().fg(theme.series[1]),
    ));
    datasets.push(chart::line(
        "beats Vegas % (line)",
        beats,
        Style::default().fg(theme.series[0]),
    ));
    Chart::new(datasets)
        .block(
            Block::bordered()
                .title(" beats Vegas % (line) and sharpness score (•); guides ⠂ at 42 45 50 55 ")
                .title_bottom(readout)
                .border_style(theme.muted),
        )
        .x_axis(
            Axis::default()
                .bounds([0.0, width])
                .labels(labels)
                .style(theme.muted),
        )
        // Evenly spaced labels sit exactly on their values.
        .y_axis(
            Axis::default()
                .bounds(bounds)
                .labels(y_labels)
                .style(theme.muted),
        )
        .hidden_legend_constraints((Constraint::Ratio(1, 4), Constraint::Ratio(1, 4)))
}

fn mae_chart<'a>(
    vegas: &'a Points,
    model: &'a Points,
    width: f64,
    labels: Vec<String>,
    theme: &Theme,
) -> Chart<'a> {
    let top = vegas
        .iter()
        .chain(model)
        .map(|(_, y)| *y)
        .fold(0.0_f64, f64::max)
        .max(1.0)
        .ceil();
    Chart::new(vec![
        // Told apart by their marks as well as their colours.
        chart::dots("Vegas MAE (•)", vegas, Style::default().fg(theme.series[1])),
        chart::line(
            "model MAE (line)",
            model,
            Style::default().fg(theme.series[0]),
        ),
    ])
    .block(
        Block::bordered()
            .title(" Vegas MAE (•) vs model MAE (line), same rows, real lines ")
            .border_style(theme.muted),
    )
    .x_axis(
        Axis::default()
            .bounds([0.0, width])
            .labels(labels)
            .style(theme.muted),
    )
    .y_axis(
        Axis::default()
            .bounds([0.0, top])
            .labels(["0".to_string(), format!("{top:.0}")])
            .style(theme.muted),
    )
}

/// A text bar for a tier's beats-Vegas rate, with n and the MAEs.
fn tier_line<'a>(tier: &TierSharpness, bar_width: usize, theme: &Theme) -> Line<'a> {
    let filled = tier
        .beats_vegas
        .pct
        .map_or(0, |pct| ((pct / 100.0) * bar_width as f64).round() as usize)
        .min(bar_width);
    let value = match tier.beats_vegas.pct {
        None => "no data".to_string(),
        Some(_) if !tier.beats_vegas.sufficient => format!("n={} (too few)", tier.n),
        Some(pct) => format!("{pct:.1}% n={}", count(tier.n)),
    };
    Line::from(vec![
        Span::styled(pad(&tier.tier, 9), theme.text),
        Span::styled("█".repeat(filled), theme.accent),
        Span::styled("·".repeat(bar_width - filled), theme.muted),
        Span::styled(
            format!(
                " {value}  Vegas {} model {}",
                number(tier.vegas_mae, 2),
                number(tier.model_mae, 2)
            ),
            theme.text,
        ),
    ])
}

pub fn draw(frame: &mut Frame, app: &App, area: Rect) {
    if let Some(body) = dashboard_body(frame, app, area) {
        draw_data(frame, app, body.data, body.area);
        body.finish(frame);
    }
}

fn draw_data(frame: &mut Frame, app: &App, data: &DashboardData, area: Rect) {
    let theme = app.theme();
    let series = series_of(data, &data.selection.system).unwrap_or(&[]);
    let width = series.len().saturating_sub(1).max(1) as f64;
    let beats = points(series, |d| d.sharpness.model_beats_vegas.pct);
    let score = points(series, |d| d.sharpness.sharpness_score);
    // Every third day: a dotted guide, not a solid row of marks.
    let guides: Vec<Points> = GUIDES
        .iter()
        .map(|g| chart::guide_points(width, *g))
        .collect();
    let vegas = points(series, |d| d.sharpness.vegas_mae);
    let model = points(series, |d| d.sharpness.model_mae_same_rows);
    let d = &data.diagnostics;
    let tiers = d.sharpness.by_player_tier.len() + d.sharpness.by_confidence_tier.len() + 3;
    let tall = area.height >= 30;
    let [charts, bars] = Layout::vertical([
        Constraint::Min(6),
        Constraint::Length(if tall { tiers as u16 } else { 7 }),
    ])
    .areas(area);
    let bounds = rate_bounds(&[&beats, &score]);
    let mark = cursor::mark(app, series, bounds.0[0], bounds.0[1]);
    let rate_lines = RateLines {
        beats: &beats,
        score: &score,
        guides: &guides,
        cursor: &mark,
        bounds,
    };
    let readout = cursor::readout(app, data, charts.width.saturating_sub(2) as usize, theme);
    if tall {
        let [top, bottom] =
            Layout::vertical([Constraint::Percentage(60), Constraint::Percentage(40)])
                .areas(charts);
        frame.render_widget(
            rate_chart(rate_lines, width, x_labels(series), readout, theme),
            top,
        );
        frame.render_widget(
            mae_chart(&vegas, &model, width, x_labels(series), theme),
            bottom,
        );
    } else {
        frame.render_widget(
            rate_chart(rate_lines, width, x_labels(series), readout, theme),
            charts,
        );
    }
    let bar_width = (bars.width as usize).saturating_sub(50).clamp(5, 40);
    // The longest heading that fits whole: the note goes before a number is cut.
    let (start, end, left_out) = (
        d.sharpness.window_start,
        d.sharpness.window_end,
        count(d.sharpness.estimated_rows_excluded),
    );
    let heading = [
        format!(
            "beats Vegas by tier, {start} to {end} (real lines; {left_out} estimated-line rows left out)"
        ),
        format!("beats Vegas by tier, {start} to {end} ({left_out} est. lines left out)"),
        format!("beats Vegas by tier, {start} to {end}"),
    ]
    .into_iter()
    .find(|text| text.chars().count() <= bars.width as usize)
    .unwrap_or_else(|| format!("by tier, {start} to {end}"));
    let mut lines = vec![Line::styled(heading, theme.muted)];
    let shown_player = if tall {
        d.sharpness.by_player_tier.len()
    } else {
        4
    };
    lines.extend(
        d.sharpness
            .by_player_tier
            .iter()
            .take(shown_player)
            .map(|t| tier_line(t, bar_width, theme)),
    );
    if tall {
        lines.push(Line::styled("by confidence tier", theme.muted));
        lines.extend(
            d.sharpness
                .by_confidence_tier
                .iter()
                .map(|t| tier_line(t, bar_width, theme)),
        );
    } else {
        lines.push(Line::styled(
            format!(
                "Vegas MAE tier1 {}  tier2 {}  tier3 {}",
                number(d.sharpness.vegas_mae_tier1, 2),
                number(d.sharpness.vegas_mae_tier2, 2),
                number(d.sharpness.vegas_mae_tier3, 2)
            ),
            theme.text,
        ));
    }
    frame.render_widget(Paragraph::new(lines), bars);
}

#[cfg(test)]
mod tests {
    use super::rate_bounds;

    #[test]
    fn the_rate_axis_spans_the_values_and_guides_not_0_to_100() {
        let labels = |bounds: ([f64; 2], Vec<String>)| (bounds.0, bounds.1.join(" "));
        let beats = vec![(0.0, 46.0), (1.0, 61.5)];
        let score = vec![(0.0, 50.0)];
        assert_eq!(
            labels(rate_bounds(&[&beats, &score])),
            ([30.0, 70.0], "30 40 50 60 70".to_string())
        );
        // A dull score far below pulls the axis down, never under 0.
        let dull = vec![(0.0, 1.0)];
        assert_eq!(
            labels(rate_bounds(&[&beats, &dull])),
            ([0.0, 80.0], "0 20 40 60 80".to_string())
        );
        // Nothing drawn: the guides alone.
        assert_eq!(
            labels(rate_bounds(&[])),
            ([30.0, 60.0], "30 40 50 60".to_string())
        );
    }
}
