//! Tab 1: the alert level and message, the primary cause with its factors,
//! the recommendations, and the key figures each with n and interval.

use super::cursor;
use super::dashboard::{dashboard_body, series_of};
use super::key_figures;
use super::sharpness::{points, x_labels};
use super::systems_strip;
use crate::format::{coverage_sentences, number, skipped_sentences, terminal_safe};
use crate::model::Diagnostics;
use crate::tui::action::DashboardData;
use crate::tui::app::App;
use crate::tui::theme::Theme;
use crate::tui::widgets::chart;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Axis, Chart};
use ratatui::widgets::{Block, Paragraph, Wrap};

fn coverage_lines<'a>(d: &Diagnostics, theme: &Theme) -> Vec<Line<'a>> {
    skipped_sentences(d)
        .into_iter()
        .take(3)
        .chain(coverage_sentences(d))
        .map(|text| {
            let style = if text.starts_with('✖') {
                theme.critical
            } else {
                theme.warning
            };
            Line::styled(text, style)
        })
        .collect()
}

/// The alert message as the verdict shows it: without the `[LEVEL]` the
/// badge beside it says and the cause the next lines give.
fn shown_message(d: &Diagnostics) -> String {
    let message = d.alert_message.as_deref().unwrap_or("all checks pass");
    let tag = format!("[{}] ", d.alert_level.as_str().to_ascii_uppercase());
    let message = message.strip_prefix(tag.as_str()).unwrap_or(message);
    let message = message
        .find("; primary cause: ")
        .map_or(message, |at| &message[..at]);
    terminal_safe(message).into_owned()
}

fn verdict_lines<'a>(d: &'a Diagnostics, theme: &Theme) -> Vec<Line<'a>> {
    let level = d.alert_level;
    let message = shown_message(d);
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
        Span::styled(message.clone(), theme.text),
    ])];
    // A coverage sentence the message already says is not said twice.
    lines.extend(coverage_lines(d, theme).into_iter().filter(|line| {
        let text = line.to_string();
        let sentence = text.trim_start_matches(['✖', '⚠', '·', ' ']);
        !message.contains(sentence)
    }));
    // Beside the hit rate, the close (metrics.md 18).
    if let Some(clv) = d.clv.as_ref().filter(|clv| clv.snapshots_available) {
        let style = match clv.overall.verdict {
            crate::model::clv::ClvVerdict::BeatsTheClose => theme.healthy,
            crate::model::clv::ClvVerdict::LosesToTheClose => theme.critical,
            _ => theme.muted,
        };
        lines.push(Line::styled(
            format!(
                "◇ the close, {} to {}: {}",
                clv.from.format("%m-%d"),
                clv.to.format("%m-%d"),
                clv.overall.sentence()
            ),
            style,
        ));
    }
    // Since the promotion: the always-valid verdict (metrics.md 19).
    if let Some(since) = &d.since_promotion {
        let style = match since.result.verdict {
            crate::stats::confseq::SincePromotionVerdict::EdgeProven => theme.healthy,
            crate::stats::confseq::SincePromotionVerdict::EdgeRefuted => theme.critical,
            crate::stats::confseq::SincePromotionVerdict::NotYet => theme.muted,
        };
        lines.push(Line::styled(
            format!("◆ {}", terminal_safe(&since.sentence())),
            style,
        ));
    }
    // What to do comes before why: it is what an on-call engineer needs first.
    if !d.recommendations.is_empty() {
        lines.push(Line::styled("what to do:", theme.muted));
        for advice in &d.recommendations {
            lines.push(Line::styled(
                format!("  → {}", terminal_safe(advice)),
                theme.text,
            ));
        }
    }
    lines.push(Line::from(vec![
        Span::styled("primary cause: ", theme.muted),
        Span::styled(d.cause.primary_cause.as_str(), theme.accent),
        // No cause, no confidence to state ("confidence no data" read as a fault).
        Span::styled(
            d.cause
                .cause_confidence
                .map(|c| format!(" (confidence {})", number(Some(c), 2)))
                .unwrap_or_default(),
            theme.muted,
        ),
    ]));
    for factor in d.cause.contributing_factors.iter().flatten() {
        let details = terminal_safe(&factor.details);
        // The factor the message states is not stated again.
        let details = if message.contains(details.as_ref()) {
            "as above".into()
        } else {
            details
        };
        lines.push(Line::styled(
            format!("  +{:.1} {}: {details}", factor.contribution, factor.factor),
            theme.text,
        ));
    }
    lines
}

/// The selected system's 7-day hit rate (line) and beats-Vegas (•) over the
/// trend window against the break-even guide (⠂): drawn when the screen is
/// tall enough to hold it under the verdict and the figures.
fn trend_panel(frame: &mut Frame, app: &App, data: &DashboardData, area: Rect) {
    let theme = app.theme();
    let series = series_of(data, &data.selection.system).unwrap_or(&[]);
    let width = series.len().saturating_sub(1).max(1) as f64;
    let hit = points(series, |d| d.drift.hit_rate_7d.verdict_pct());
    let beats = points(series, |d| d.sharpness.model_beats_vegas.verdict_pct());
    let break_even = app.settings.break_even_pct();
    let guide = chart::guide_points(width, break_even);
    let (low, high) = (30.0, 80.0);
    let mark = cursor::mark(app, series, low, high);
    let chart = Chart::new(vec![
        chart::guide(&guide, theme.muted),
        chart::line("", &mark, theme.accent),
        chart::dots("", &beats, Style::default().fg(theme.series[1])),
        chart::line("", &hit, Style::default().fg(theme.series[0])),
    ])
    .block(
        Block::bordered()
            .title(format!(
                " last {} days: 7-day hit rate (line), beats Vegas 14d (•), break-even {break_even:.1}% (⠂); days too thin for a verdict left out ",
                series.len()
            ))
            .title_bottom(cursor::readout(
                app,
                data,
                area.width.saturating_sub(2) as usize,
                theme,
            ))
            .border_style(theme.muted),
    )
    .x_axis(
        Axis::default()
            .bounds([0.0, width])
            .labels(x_labels(series))
            .style(theme.muted),
    )
    // Evenly spaced labels sit exactly on their values.
    .y_axis(
        Axis::default()
            .bounds([low, high])
            .labels(["30", "40", "50", "60", "70", "80"])
            .style(theme.muted),
    );
    frame.render_widget(chart, area);
}

pub fn draw(frame: &mut Frame, app: &App, area: Rect) {
    if let Some(body) = dashboard_body(frame, app, area) {
        draw_data(frame, app, body.data, body.area);
        body.finish(frame);
    }
}

fn draw_data(frame: &mut Frame, app: &App, data: &DashboardData, area: Rect) {
    let [strip, area] = Layout::vertical([
        Constraint::Length(systems_strip::height(data, area.height)),
        Constraint::Min(0),
    ])
    .areas(area);
    systems_strip::draw(frame, app, data, strip);
    // Tall enough, the trend goes under the verdict and the figures.
    let area = if area.height >= 30 && area.width >= 120 {
        let [top, bottom] =
            Layout::vertical([Constraint::Length(18), Constraint::Min(12)]).areas(area);
        trend_panel(frame, app, data, bottom);
        top
    } else {
        area
    };
    let theme = app.theme();
    let d = &data.diagnostics;
    let scroll = usize::from(app.overview.figures_scroll);
    if area.width >= 120 {
        let [left, right] =
            Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)])
                .areas(area);
        verdict_panel(frame, app, d, left);
        key_figures::draw(frame, d, theme, scroll, right);
    } else {
        // Narrow screens stack the panels; the figures leave the verdict at
        // least five lines (both scroll).
        let figures = area.height.saturating_sub(7).clamp(3, 12);
        let [top, bottom] =
            Layout::vertical([Constraint::Length(figures), Constraint::Min(3)]).areas(area);
        key_figures::draw(frame, d, theme, scroll, top);
        verdict_panel(frame, app, d, bottom);
    }
}

/// The verdict, scrolled by `J`/`K`; its title says when more is above or below.
fn verdict_panel(frame: &mut Frame, app: &App, d: &Diagnostics, area: Rect) {
    let theme = app.theme();
    let inner = area.width.saturating_sub(2).max(1);
    let mut lines = verdict_lines(d, theme);
    // What watch last did for this system, under the level it concerns.
    let last_change = app.dashboard.data.as_ref().map(|data| &data.last_change);
    let watch_line = match last_change {
        Some(Ok(Some(sentence))) => Some(Line::styled(
            format!("◷ watch: {}", terminal_safe(sentence)),
            theme.muted,
        )),
        Some(Err(error)) => Some(Line::styled(
            format!("⚠ {}", terminal_safe(error)),
            theme.warning,
        )),
        _ => None,
    };
    if let Some(line) = watch_line {
        lines.insert(1.min(lines.len()), line);
    }
    let verdict = Paragraph::new(lines).wrap(Wrap { trim: false });
    let total = u16::try_from(verdict.line_count(inner)).unwrap_or(u16::MAX);
    let room = area.height.saturating_sub(2);
    let scroll = app.overview.verdict_scroll.min(total.saturating_sub(room));
    let title = match (scroll > 0, scroll.saturating_add(room) < total) {
        (false, false) => " verdict ".to_string(),
        (true, false) => " verdict ↑ (K) ".to_string(),
        (false, true) => " verdict ↓ more (J) ".to_string(),
        (true, true) => " verdict ↑↓ more (J/K) ".to_string(),
    };
    let verdict = verdict
        .scroll((scroll, 0))
        .block(Block::bordered().title(title).border_style(theme.muted));
    frame.render_widget(verdict, area);
}
