//! Tab 1: the alert level and message, the primary cause with its factors,
//! the recommendations, and the key figures each with n and interval.

use super::dashboard_body;
use crate::format::{count, number, p_value, signed};
use crate::model::{Diagnostics, Rate};
use crate::tui::app::App;
use crate::tui::theme::Theme;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Cell, Paragraph, Row, Table, Wrap};

/// One row of the key-figures table: figure, value, n, interval, note.
pub fn key_figures(d: &Diagnostics) -> Vec<[String; 5]> {
    let rate_row = |name: &str, rate: &Rate, note: String| -> [String; 5] {
        let value = match rate.pct {
            None => "no data".to_string(),
            Some(_) if !rate.sufficient => "insufficient".to_string(),
            Some(pct) => format!("{pct:.1}%"),
        };
        let interval = rate
            .interval
            .filter(|_| rate.sufficient)
            .map(|i| format!("{:.1}–{:.1}", i.low, i.high))
            .unwrap_or_else(|| "-".to_string());
        [name.to_string(), value, count(rate.n), interval, note]
    };
    let hit_note = |rate: &Rate| {
        rate.p_value
            .filter(|_| rate.sufficient)
            .map(|p| format!("p={} vs break-even", p_value(p)))
            .unwrap_or_else(|| {
                if rate.n > 0 && !rate.sufficient {
                    format!("need n>={}", rate.min_n)
                } else {
                    String::new()
                }
            })
    };
    let drift = &d.drift;
    let s = &d.sharpness;
    vec![
        rate_row(
            "beats Vegas 14d",
            &s.model_beats_vegas,
            format!(
                "real lines; {} est. left out",
                count(s.estimated_rows_excluded)
            ),
        ),
        rate_row(
            "hit rate 7d",
            &drift.hit_rate_7d,
            hit_note(&drift.hit_rate_7d),
        ),
        rate_row(
            "hit rate 14d",
            &drift.hit_rate_14d,
            hit_note(&drift.hit_rate_14d),
        ),
        rate_row(
            "hit rate 30d",
            &drift.hit_rate_30d,
            hit_note(&drift.hit_rate_30d),
        ),
        [
            "model MAE 14d".to_string(),
            number(drift.model_mae, 2),
            count(drift.rows_14d),
            "-".to_string(),
            format!("baseline {}", number(d.baselines.model_mae_baseline, 2)),
        ],
        [
            "bias 14d".to_string(),
            signed(drift.model_mean_error, 2),
            count(drift.rows_14d),
            "-".to_string(),
            drift
                .bias_direction
                .map_or_else(|| "no data".to_string(), |b| b.to_string()),
        ],
        [
            "drift score".to_string(),
            number(drift.drift_score, 0),
            "-".to_string(),
            "-".to_string(),
            drift
                .drift_severity
                .map_or_else(|| "no data".to_string(), |s| s.to_string()),
        ],
        [
            "sharpness".to_string(),
            number(s.sharpness_score, 1),
            count(s.model_beats_vegas.n),
            "-".to_string(),
            s.sharpness_status
                .map_or_else(|| "no verdict".to_string(), |s| s.to_string()),
        ],
        [
            "completeness 7d".to_string(),
            crate::format::percent(d.quality.shot_zone_completeness),
            count(d.quality.player_game_rows_7d),
            "-".to_string(),
            format!("paint {}", crate::format::percent(d.quality.avg_paint_rate)),
        ],
    ]
}

fn verdict_lines<'a>(d: &'a Diagnostics, theme: &Theme) -> Vec<Line<'a>> {
    let level = d.alert_level;
    let mut lines = vec![Line::from(vec![
        Span::styled(
            format!(
                " {} {} ",
                level.symbol(),
                level.as_str().to_ascii_uppercase()
            ),
            theme.level(level),
        ),
        Span::raw(" "),
        Span::styled(
            d.alert_message
                .clone()
                .unwrap_or_else(|| "all checks pass".to_string()),
            theme.text,
        ),
    ])];
    lines.push(Line::from(vec![
        Span::styled("primary cause: ", theme.muted),
        Span::styled(d.cause.primary_cause.as_str(), theme.accent),
        Span::styled(
            format!(" (confidence {})", number(d.cause.cause_confidence, 2)),
            theme.muted,
        ),
    ]));
    for factor in d.cause.contributing_factors.iter().flatten() {
        lines.push(Line::styled(
            format!(
                "  +{:.1} {}: {}",
                factor.contribution, factor.factor, factor.details
            ),
            theme.text,
        ));
    }
    if !d.recommendations.is_empty() {
        lines.push(Line::styled("what to do:", theme.muted));
        for advice in &d.recommendations {
            lines.push(Line::styled(format!("  → {advice}"), theme.text));
        }
    }
    lines
}

fn figures_table<'a>(d: &Diagnostics, theme: &Theme, narrow: bool) -> Table<'a> {
    let rows = key_figures(d)
        .into_iter()
        .map(|[name, value, n, interval, note]| {
            let cells = if narrow {
                vec![
                    Cell::from(name),
                    Cell::from(value),
                    Cell::from(n),
                    Cell::from(interval),
                ]
            } else {
                vec![
                    Cell::from(name),
                    Cell::from(value),
                    Cell::from(n),
                    Cell::from(interval),
                    Cell::from(note),
                ]
            };
            Row::new(cells).style(theme.text)
        });
    let (header, widths): (Vec<&str>, Vec<Constraint>) = if narrow {
        (
            vec!["figure", "value", "n", "95% CI"],
            vec![
                Constraint::Length(16),
                Constraint::Length(12),
                Constraint::Length(7),
                Constraint::Length(11),
            ],
        )
    } else {
        (
            vec!["figure", "value", "n", "95% CI", "note"],
            vec![
                Constraint::Length(16),
                Constraint::Length(12),
                Constraint::Length(6),
                Constraint::Length(10),
                Constraint::Min(10),
            ],
        )
    };
    Table::new(rows, widths)
        .header(Row::new(header).style(theme.accent))
        .block(
            Block::bordered()
                .title(" key figures ")
                .border_style(theme.muted),
        )
}

pub fn draw(frame: &mut Frame, app: &App, area: Rect) {
    let Some((data, area)) = dashboard_body(frame, app, area) else {
        return;
    };
    let theme = app.theme();
    let d = &data.diagnostics;
    let verdict = Paragraph::new(verdict_lines(d, theme))
        .wrap(Wrap { trim: false })
        .block(
            Block::bordered()
                .title(" verdict ")
                .border_style(theme.muted),
        );
    if area.width >= 120 {
        let [left, right] =
            Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)])
                .areas(area);
        frame.render_widget(verdict, left);
        frame.render_widget(figures_table(d, theme, false), right);
    } else {
        // Narrow screens stack the panels; the figures table drops its notes.
        let [top, bottom] =
            Layout::vertical([Constraint::Length(12), Constraint::Min(3)]).areas(area);
        frame.render_widget(figures_table(d, theme, area.width < 100), top);
        frame.render_widget(verdict, bottom);
    }
}
