//! Tab 5: backtest vs production for one experiment: the populations, the
//! missing dates (a list; `Enter` opens the Overview on one), the line mix, the
//! five hit rates with their intervals, the decomposition as a waterfall whose
//! steps sum to the gap, McNemar on the paired bets, and the verdict.

use crate::diagnostics::gap::GapReport;
use crate::format::OrNoData;
use crate::format::{count, percent, terminal_safe};
use crate::stats::McNemarMethod;
use crate::tui::action::GapData;
use crate::tui::app::App;
use crate::tui::theme::Theme;
use crate::tui::widgets::{self, pad, rate_line};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};

/// The decomposition as a waterfall: each step drawn from the level before it.
fn waterfall<'a>(report: &GapReport, width: usize, theme: &Theme) -> Vec<Line<'a>> {
    let start = report.hit_rate_backtest.pct;
    let mut levels = vec![start];
    for step in &report.steps {
        let last = levels.last().copied().flatten();
        levels.push(match (last, step.points) {
            (Some(level), Some(points)) => Some(level + points),
            _ => None,
        });
    }
    let known: Vec<f64> = levels.iter().flatten().copied().collect();
    let mut lines = Vec::new();
    let (Some(low), Some(high)) = (
        known.iter().copied().reduce(f64::min),
        known.iter().copied().reduce(f64::max),
    ) else {
        lines.push(Line::styled(
            "no data: the decomposition needs bets on both sides",
            theme.muted,
        ));
        return lines;
    };
    let (low, high) = (low - 1.0, high + 1.0);
    let column = |value: f64| (((value - low) / (high - low)) * width as f64).round() as usize;
    let bar = |from: f64, to: f64, positive: bool| {
        let (a, b) = (column(from.min(to)), column(from.max(to)));
        let glyph = if positive { "█" } else { "░" };
        format!("{}{}", " ".repeat(a), glyph.repeat((b - a).max(1)))
    };
    let label = |name: &str, value: String| format!("{}{:>7} ", pad(name, 22), value);
    lines.push(Line::from(vec![
        Span::styled(label("HR(B) backtest", percent(start)), theme.text),
        Span::styled(bar(low, start.unwrap_or(low), true), theme.muted),
    ]));
    for (i, step) in report.steps.iter().enumerate() {
        let text = step.points.map(|p| format!("{p:+.1}")).or_no_data();
        let drawn = match (levels[i], levels[i + 1]) {
            (Some(from), Some(to)) if (to - from).abs() >= 0.05 => bar(from, to, to >= from),
            _ => String::new(),
        };
        let style = if step.points.is_some_and(|p| p < 0.0) {
            theme.warning
        } else {
            theme.accent
        };
        lines.push(Line::from(vec![
            Span::styled(label(&step.name, text), theme.text),
            Span::styled(drawn, style),
        ]));
    }
    let end = report.hit_rate_production.pct;
    lines.push(Line::from(vec![
        Span::styled(label("HR(P) production", percent(end)), theme.text),
        Span::styled(bar(low, end.unwrap_or(low), true), theme.muted),
    ]));
    lines
}

fn summary_lines<'a>(data: &GapData, theme: &Theme) -> Vec<Line<'a>> {
    let r = &data.report;

    vec![
        Line::from(vec![
            Span::styled(
                format!("{} ", terminal_safe(&data.experiment_name)),
                theme.accent,
            ),
            Span::styled(
                format!(
                    "vs {} · evaluation {}",
                    terminal_safe(&data.system),
                    data.eval_period
                ),
                theme.muted,
            ),
        ]),
        Line::styled(
            format!(
                "population: backtest only {}  production only {}  both {}",
                count(r.backtest_only),
                count(r.production_only),
                count(r.both)
            ),
            theme.text,
        ),
        Line::styled(
            format!(
                "real lines: backtest {}  production {}   missing dates: {}",
                percent(r.backtest_actual_line_pct),
                percent(r.production_actual_line_pct),
                r.missing_dates.len()
            ),
            theme.text,
        ),
        Line::styled(
            match &r.mcnemar {
                // No disagreement to test: a p-value of 1 would claim a test.
                None => format!(
                    "McNemar: no data ({} paired bets, none where the two disagree)",
                    count(r.paired_bets)
                ),
                Some(test) => format!(
                    "McNemar on {} paired bets: b={} c={} {} ({})",
                    count(r.paired_bets),
                    test.b,
                    test.c,
                    crate::format::p_value(test.p_value),
                    match test.method {
                        McNemarMethod::ExactBinomial => "exact",
                        McNemarMethod::ChiSquare => "chi-square",
                    }
                ),
            },
            theme.text,
        ),
    ]
}

fn missing_lines<'a>(app: &App, data: &GapData, height: usize, theme: &Theme) -> Vec<Line<'a>> {
    let dates = &data.report.missing_dates;
    if dates.is_empty() {
        return vec![Line::styled("none", theme.muted)];
    }
    let offset = crate::tui::geometry::table_offset(app.gap.cursor, height);
    dates
        .iter()
        .enumerate()
        .skip(offset)
        .take(height)
        .map(|(i, m)| {
            let style = if i == app.gap.cursor {
                theme.selected
            } else {
                theme.text
            };
            Line::styled(
                format!("{} {:>6}", m.game_date, count(m.backtest_rows)),
                style,
            )
        })
        .collect()
}

pub fn draw(frame: &mut Frame, app: &App, area: Rect) {
    let wanted = app
        .gap
        .experiment
        .as_ref()
        .and_then(|id| app.all_entries().into_iter().find(|e| e.id == *id))
        .map_or_else(|| "the analysis".to_string(), |e| e.name);
    let empty = if app.experiments.panel.data.is_some() && app.gap.experiment.is_none() {
        "no data: no experiment has backtest rows"
    } else {
        "no data yet: choose an experiment on the Experiments tab and press g"
    };
    let Some(body) = widgets::panel_body(
        frame,
        app,
        &app.gap.panel,
        area,
        widgets::PanelText {
            loading: format!("analysing {wanted}'s backtest against production"),
            empty: empty.to_string(),
            wanted,
        },
        |data| (!app.gap.is_current()).then(|| data.experiment_name.clone()),
    ) else {
        return;
    };
    draw_data(frame, app, body.data, body.area);
    body.finish(frame);
}

fn draw_data(frame: &mut Frame, app: &App, data: &GapData, area: Rect) {
    let theme = app.theme();
    let report = &data.report;
    let wide = area.width >= 110;
    let [top, middle, bottom] = Layout::vertical([
        Constraint::Length(4),
        Constraint::Min(6),
        Constraint::Length(if wide { 3 } else { 4 }),
    ])
    .areas(area);
    frame.render_widget(Paragraph::new(summary_lines(data, theme)), top);
    let [rates_area, missing_area] = Layout::horizontal([
        Constraint::Min(40),
        Constraint::Length(if wide { 26 } else { 22 }),
    ])
    .areas(middle);
    let bar_width = (rates_area.width as usize)
        .saturating_sub(if wide { 56 } else { 50 })
        .clamp(8, 60);
    let mut lines = vec![Line::styled(
        "hit rates on bets (95% interval in [ ])",
        theme.muted,
    )];
    lines.push(rate_line(
        "HR(B) backtest",
        &report.hit_rate_backtest,
        bar_width,
        theme,
    ));
    lines.push(rate_line(
        "HR(B∩) shared keys",
        &report.hit_rate_backtest_shared,
        bar_width,
        theme,
    ));
    lines.push(rate_line(
        "HR(B∩) real lines",
        &report.hit_rate_backtest_shared_actual,
        bar_width,
        theme,
    ));
    lines.push(rate_line(
        "HR(P∩) shared keys",
        &report.hit_rate_production_shared,
        bar_width,
        theme,
    ));
    lines.push(rate_line(
        "HR(P) production",
        &report.hit_rate_production,
        bar_width,
        theme,
    ));
    lines.push(Line::styled(
        format!(
            "decomposition of the gap ({}): steps sum to it",
            report.gap.map(|g| format!("{g:+.1} points")).or_no_data()
        ),
        theme.muted,
    ));
    let waterfall_width = (rates_area.width as usize).saturating_sub(32).clamp(8, 80);
    lines.extend(waterfall(report, waterfall_width, theme));
    frame.render_widget(Paragraph::new(lines), rates_area);
    let block = Block::bordered()
        .title(" missing dates ")
        .border_style(theme.muted);
    let inner_height = missing_area.height.saturating_sub(2) as usize;
    app.gap.list_body.set(block.inner(missing_area));
    frame.render_widget(
        Paragraph::new(missing_lines(app, data, inner_height, theme)).block(block),
        missing_area,
    );
    frame.render_widget(
        Paragraph::new(report.verdict.clone())
            .style(theme.accent)
            .wrap(Wrap { trim: true }),
        bottom,
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Thresholds;

    #[test]
    fn mcnemar_without_disagreements_is_no_data_not_p_1() {
        let report = crate::diagnostics::gap::analyse(&[], &[], &Thresholds::default());
        let data = GapData {
            experiment_id: "e".to_string(),
            experiment_name: "E".to_string(),
            system: "s".to_string(),
            eval_period: String::new(),
            report,
            version: None,
        };
        let (themes, _) = crate::tui::theme::load_themes(None, true);
        let lines = summary_lines(&data, &themes[0]);
        let text: Vec<String> = lines.iter().map(ToString::to_string).collect();
        let mcnemar = text.iter().find(|l| l.starts_with("McNemar")).unwrap();
        assert!(mcnemar.contains("no data"), "{mcnemar}");
        assert!(!mcnemar.contains("p=1"), "{mcnemar}");
    }
}
