//! The Drift tab's detector panel: the CUSUM statistic `S` over the trend
//! window against its alarm line `h` (metrics.md section 11), alarm days
//! marked, and the detector's false-alarm and detection figures in words.

use crate::diagnostics::false_alarms::{Rule, RuleSource};
use crate::format::{detector_sentence, detector_status};
use crate::model::detector::{CusumDay, CusumReport};
use crate::service::alerts::AlertFigures;
use crate::tui::theme::Theme;
use crate::tui::widgets::chart;
use chrono::NaiveDate;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::{Axis, Block, Chart, Paragraph, Wrap};
use unicode_width::UnicodeWidthStr;

/// The false-alarm table in one line (`courtside alerts` has it in full):
/// courtside's rules, then the team's decay detector's beside them.
pub fn odds_text(figures: &AlertFigures) -> String {
    let name = |rule: Rule| match rule {
        Rule::Info => "info 7d",
        Rule::WarningPair => "warning 7d+14d",
        Rule::Cusum => "CUSUM",
        Rule::TeamWatch => "WATCH",
        Rule::TeamAlert => "ALERT",
        Rule::TeamBlock => "BLOCK",
        Rule::SeedInfo => "seed INFO",
        Rule::SeedWarning => "seed WARNING",
    };
    let listed = |source: RuleSource| -> Vec<String> {
        figures
            .rules
            .iter()
            .filter(|rule| rule.source == source)
            .map(|rule| format!("{} {:.0}%", name(rule.rule), rule.false_alarm_90d))
            .collect()
    };
    let team = listed(RuleSource::TeamDecay);
    format!(
        "false alarm in 90 healthy game dates at {} bets a day: {}{}",
        figures.bets_per_day,
        listed(RuleSource::Courtside).join(" · "),
        if team.is_empty() {
            String::new()
        } else {
            format!("; the team's decay rules: {}", team.join(" · "))
        }
    )
}

/// `(day index, S)` of each graded day of the path inside the window.
fn path_points(path: &[CusumDay], start: NaiveDate) -> Vec<(f64, f64)> {
    path.iter()
        .map(|day| ((day.game_date - start).num_days() as f64, day.stat))
        .collect()
}

/// Draws the panel into `area`: words only when there is no room for a chart.
pub fn draw(
    frame: &mut Frame,
    area: Rect,
    theme: &Theme,
    detector: &(CusumReport, Vec<CusumDay>),
    odds: Option<&AlertFigures>,
    window: (NaiveDate, NaiveDate),
) {
    let (report, path) = detector;
    let status_style = if report.cusum_alarm {
        theme.critical
    } else {
        theme.text
    };
    let status = detector_status(report);
    let sentence = detector_sentence(&report.design);
    let odds = odds.map(odds_text).unwrap_or_default();
    // Rows the lines take once wrapped to the panel's width.
    let width = usize::from(area.width.max(1));
    let text_rows = [&status, &sentence, &odds]
        .iter()
        .filter(|text| !text.is_empty())
        .map(|text| text.width().div_ceil(width).max(1))
        .sum::<usize>() as u16;
    let mut words = vec![
        Line::styled(status, status_style),
        Line::styled(sentence, theme.muted),
    ];
    if !odds.is_empty() {
        words.push(Line::styled(odds, theme.text));
    }
    if area.height < text_rows + 6 {
        frame.render_widget(Paragraph::new(words).wrap(Wrap { trim: true }), area);
        return;
    }
    let [text_area, chart_area] =
        Layout::vertical([Constraint::Length(text_rows), Constraint::Min(0)]).areas(area);
    frame.render_widget(Paragraph::new(words).wrap(Wrap { trim: true }), text_area);

    let (start, end) = window;
    let width = (end - start).num_days().max(1) as f64;
    let stat_points = path_points(path, start);
    let alarm_points: Vec<(f64, f64)> = path
        .iter()
        .filter(|day| day.alarm)
        .map(|day| ((day.game_date - start).num_days() as f64, day.stat))
        .collect();
    let threshold = report.cusum_threshold;
    let threshold_points: Vec<(f64, f64)> =
        (0..=width as i64).map(|x| (x as f64, threshold)).collect();
    // Twice the alarm line, so the middle of three evenly spaced labels is
    // exactly `h`; higher only when `S` itself went further.
    let highest = stat_points.iter().map(|(_, s)| *s).fold(0.0, f64::max);
    let top = (2.0 * threshold).max(highest * 1.1).max(f64::EPSILON);
    let middle = if highest * 1.1 <= 2.0 * threshold {
        format!("h {threshold:.1}")
    } else {
        format!("{:.1}", top / 2.0)
    };
    let chart = Chart::new(vec![
        chart::line("", &stat_points, Style::default().fg(theme.series[0])),
        chart::dots("", &threshold_points, theme.warning),
        chart::blocks("", &alarm_points, theme.critical),
    ])
    .block(
        Block::bordered()
            .title(" S (solid line) against the alarm line h (dots); an alarm restarts S at 0 ")
            .border_style(theme.muted),
    )
    .x_axis(
        Axis::default()
            .bounds([0.0, width])
            .labels([
                start.format("%m-%d").to_string(),
                end.format("%m-%d").to_string(),
            ])
            .style(theme.muted),
    )
    .y_axis(
        Axis::default()
            .bounds([0.0, top])
            .labels(["0".to_string(), middle, format!("{top:.1}")])
            .style(theme.muted),
    );
    frame.render_widget(chart, chart_area);
}
