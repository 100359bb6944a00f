//! Tab 6: the selected system (A) against a challenger (B) on identical
//! rows (metrics.md 14): the populations, both hit rates on the rows where
//! both bet as bars with their intervals, the flips, McNemar, the paired
//! difference on a scale with 0 and the margin marked, and the verdict. The
//! text is `courtside versus`'s own (`format::comparisons::versus_lines`).

use crate::format::comparisons::versus_lines;
use crate::format::terminal_safe;
use crate::model::versus::{VersusReport, VersusVerdict};
use crate::tui::action::VersusData;
use crate::tui::app::App;
use crate::tui::theme::Theme;
use crate::tui::widgets::{self, rate_line};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

/// Half the width of the difference scale, in points.
const SCALE_POINTS: f64 = 10.0;

fn verdict_style(verdict: VersusVerdict, theme: &Theme) -> Style {
    match verdict {
        VersusVerdict::BBetter => theme.healthy,
        VersusVerdict::BNotWorse => theme.accent,
        VersusVerdict::BWorse => theme.critical,
        VersusVerdict::Inconclusive => theme.muted,
    }
}

/// `HR(B) - HR(A)` on a -10..+10 point scale: `│` at 0, `┆` at minus the
/// margin, `[ ]` the 95% interval and `●` the estimate (values beyond the
/// scale sit at its ends, marked `‹` `›`).
fn difference_line<'a>(report: &VersusReport, width: usize, theme: &Theme) -> Line<'a> {
    let width = width.max(11) | 1;
    let at = |points: f64| {
        let clamped = points.clamp(-SCALE_POINTS, SCALE_POINTS);
        (((clamped + SCALE_POINTS) / (2.0 * SCALE_POINTS)) * (width - 1) as f64).round() as usize
    };
    let mut cells = vec!['─'; width];
    if let Some(cell) = cells.get_mut(at(-report.margin_pp)) {
        *cell = '┆';
    }
    cells[at(0.0)] = '│';
    if let Some(interval) = report.difference_interval {
        let (low, high) = (at(interval.low), at(interval.high));
        for cell in cells.iter_mut().take(high).skip(low + 1) {
            *cell = '━';
        }
        cells[low] = if interval.low < -SCALE_POINTS {
            '‹'
        } else {
            '['
        };
        cells[high] = if interval.high > SCALE_POINTS {
            '›'
        } else {
            ']'
        };
    }
    if let Some(point) = report.difference_pp {
        cells[at(point)] = '●';
    }
    Line::from(vec![
        Span::styled(format!("{:<24}", "HR(B)-HR(A) -10…+10"), theme.text),
        Span::styled(cells.into_iter().collect::<String>(), theme.accent),
        Span::styled(
            format!(" │ 0  ┆ -{:.1} margin", report.margin_pp),
            theme.muted,
        ),
    ])
}

/// The header: who is A, who is B, the window and the keys that change them.
fn title_lines<'a>(data: &VersusData, theme: &Theme) -> Vec<Line<'a>> {
    let report = &data.report;
    vec![
        Line::from(vec![
            Span::styled(
                format!("A {} ", terminal_safe(report.a.label())),
                theme.accent,
            ),
            Span::styled("vs ", theme.muted),
            Span::styled(
                format!("B {} ", terminal_safe(report.b.label())),
                theme.accent,
            ),
            Span::styled(
                format!("· {} to {} · identical rows only", report.from, report.to),
                theme.muted,
            ),
        ]),
        Line::styled(
            "s: system A   x / X: next / previous challenger B (systems, then backtested experiments)",
            theme.muted,
        ),
    ]
}

pub fn draw(frame: &mut Frame, app: &App, area: Rect) {
    let wanted = format!(
        "{} vs {} on {}",
        app.selection.system,
        app.versus.challenger.as_deref().unwrap_or("its challenger"),
        app.selection.date
    );
    let Some(body) = widgets::panel_body(
        frame,
        app,
        &app.versus.panel,
        area,
        widgets::PanelText {
            loading: format!("comparing {wanted} on identical rows"),
            empty: "no data yet".to_string(),
            wanted,
        },
        |data| {
            (!app.versus.answers(&app.selection)).then(|| {
                format!(
                    "{} vs {} on {}",
                    data.selection.system, data.challenger, data.selection.date
                )
            })
        },
    ) else {
        return;
    };
    draw_data(frame, app, body.data, body.area);
    body.finish(frame);
}

fn draw_data(frame: &mut Frame, app: &App, data: &VersusData, area: Rect) {
    let theme = app.theme();
    let mut lines = title_lines(data, theme);
    lines.push(Line::raw(""));
    let report = &data.report;
    let bar_width = (area.width as usize).saturating_sub(50).clamp(10, 60);
    let wide = area.height >= 28;
    if wide {
        lines.push(Line::styled(
            "hit rates where both bet (95% interval in [ ])",
            theme.muted,
        ));
        lines.push(rate_line(
            &format!("A {}", report.a.label()),
            &report.hit_rate_a,
            bar_width,
            theme,
        ));
        lines.push(rate_line(
            &format!("B {}", report.b.label()),
            &report.hit_rate_b,
            bar_width,
            theme,
        ));
        lines.push(difference_line(report, bar_width + 1, theme));
        lines.push(Line::raw(""));
    }
    let style = verdict_style(report.verdict, theme);
    for text in versus_lines(report) {
        let line_style = if text.starts_with("verdict") {
            style
        } else {
            theme.text
        };
        lines.push(Line::styled(text, line_style));
    }
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), area);
}
