//! The overlays: help (keys grouped by where they act, dangerous ones
//! marked), the comparison of marked experiments, the promote dialog, the
//! date prompt and the day-by-day drill-down. Every overlay's text is drawn
//! terminal-safe (`popup`).

use super::text::{centred, fit, pad};
use crate::format::experiments::compare_lines;
use crate::format::{count, needs_escape, terminal_safe};
use crate::tui::app::{App, PromotePlan};
use crate::tui::keymap::{Binding, Dialog};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};

/// A bordered popup of `lines`, cleared under, scrolled by `scroll` lines.
fn popup(
    frame: &mut Frame,
    area: Rect,
    title: String,
    lines: Vec<Line>,
    scroll: usize,
    style: ratatui::style::Style,
) {
    let lines: Vec<Line> = lines.into_iter().map(safe_line).collect();
    frame.render_widget(Clear, area);
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .scroll((scroll as u16, 0))
            .block(Block::bordered().title(title).border_style(style)),
        area,
    );
}

/// `line` with the text of each span terminal-safe (a stored name's control
/// characters shown as escapes), its styles kept.
fn safe_line(mut line: Line<'_>) -> Line<'_> {
    for span in &mut line.spans {
        if span.content.chars().any(needs_escape) {
            span.content = terminal_safe(&span.content).into_owned().into();
        }
    }
    line
}

/// `?`: every key that acts here, grouped: everywhere, on this tab, and in
/// the dialogs; dangerous keys are marked ⚠ (and gone in read-only mode).
pub fn help(frame: &mut Frame, app: &App, area: Rect) {
    let theme = app.theme();
    let shown = |b: &&Binding| !(app.settings.read_only && b.dangerous);
    let key_line = |b: &Binding, width: usize| {
        let mark = if b.dangerous { "⚠" } else { " " };
        Line::from(vec![
            Span::styled(format!("{mark}{:>9}  ", b.key), theme.accent),
            Span::styled(fit(b.description, width.saturating_sub(12)), theme.text),
        ])
    };
    let columns = if area.width >= 70 { 2 } else { 1 };
    let popup_width = if columns == 2 {
        96.min(area.width)
    } else {
        area.width.min(60)
    };
    let column_width = (popup_width.saturating_sub(2) / columns) as usize;
    let mut lines = vec![Line::styled(" everywhere", theme.muted)];
    lines.extend(
        app.keymap
            .everywhere()
            .filter(shown)
            .map(|b| key_line(b, column_width)),
    );
    lines.push(Line::styled(
        "    Ctrl-c quit · Esc back · k/j move",
        theme.text,
    ));
    let tab_keys: Vec<&Binding> = app.keymap.for_tab(app.tab).filter(shown).collect();
    if !tab_keys.is_empty() {
        lines.push(Line::styled(
            format!(" {} tab", app.tab.title()),
            theme.muted,
        ));
        lines.extend(tab_keys.into_iter().map(|b| key_line(b, column_width)));
    }
    if app.tab == crate::tui::action::Tab::Experiments {
        for text in [
            " start, complete, fail, archive, rollback,",
            "   approve, import: `courtside exp` only",
        ] {
            lines.push(Line::styled(fit(text, column_width), theme.muted));
        }
    }
    lines.push(Line::styled(
        fit(" other tabs' keys: open the tab, then ?", column_width),
        theme.muted,
    ));
    lines.push(Line::styled(
        fit(" dialogs list their keys at the bottom", column_width),
        theme.muted,
    ));
    lines.push(Line::styled(
        fit(" mouse: click a tab or a row; wheel scrolls", column_width),
        theme.muted,
    ));
    let rows_available = area.height.saturating_sub(2) as usize;
    let per_column = lines.len().div_ceil(columns as usize).min(rows_available);
    // Too short a screen: the help scrolls (↑/↓, PageUp/PageDown), and says
    // what is above and below rather than cut silently.
    let capacity = per_column * columns as usize;
    let total = lines.len();
    let scrolls = total > capacity;
    let max_scroll = if scrolls { total + 2 - capacity } else { 0 };
    let scroll = app.help_scroll.min(max_scroll);
    let area = centred(area, popup_width, per_column as u16 + 2);
    frame.render_widget(Clear, area);
    let title = if scrolls {
        format!(
            " keys ({}/{} ↑↓ PageUp/PageDown · ? or Esc closes) · ⚠ changes the registry ",
            scroll.min(max_scroll),
            max_scroll
        )
    } else {
        " keys (? or Esc closes) · ⚠ changes the registry ".to_string()
    };
    let block = Block::bordered().title(title).border_style(theme.accent);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let halves = Layout::horizontal(vec![Constraint::Ratio(1, columns as u32); columns as usize])
        .split(inner);
    let mut shown: Vec<Line> = Vec::with_capacity(capacity);
    if scrolls {
        shown.push(Line::styled(
            if scroll > 0 { " ↑ more above" } else { " " },
            theme.muted,
        ));
        shown.extend(lines.into_iter().skip(scroll).take(capacity - 2));
        if scroll < max_scroll {
            shown.push(Line::styled(" ↓ more below (↓, j, PageDown)", theme.muted));
        }
    } else {
        shown = lines;
    }
    let mut remaining = shown.into_iter();
    for half in halves.iter() {
        let chunk: Vec<Line> = remaining.by_ref().take(per_column).collect();
        frame.render_widget(Paragraph::new(chunk), *half);
    }
}

/// `c`: the marked experiments against the first, and the config keys that differ.
pub fn compare(frame: &mut Frame, app: &App, scroll: usize, area: Rect) {
    let theme = app.theme();
    let marked = app.marked_entries();
    let mut lines = Vec::new();
    if let Some((base, others)) = marked.split_first() {
        // As `exp compare`: first, whether the figures compare like with like.
        let fingerprints = app
            .experiments
            .panel
            .data
            .as_ref()
            .map_or(&[][..], |data| data.fingerprints.as_slice());
        if let Some(warning) = crate::registry::population::compare_warning(&marked, fingerprints) {
            lines.push(Line::styled(
                format!("⚠ {}", crate::format::terminal_safe(&warning)),
                theme.warning,
            ));
        }
        // Narrow screens drop the ROI column rather than wrap rows.
        let table = compare_lines(base, others, area.width >= 100);
        for (i, line) in table.into_iter().enumerate() {
            let style = if i == 0 { theme.accent } else { theme.text };
            lines.push(Line::styled(line, style));
        }
        if let Some(data) = &app.experiments.panel.data {
            let rows: Vec<&crate::model::rows::ExperimentRow> = marked
                .iter()
                .filter_map(|e| data.experiments.iter().find(|r| r.experiment_id == e.id))
                .collect();
            let diff = crate::registry::compare::config_diff(&rows);
            lines.push(Line::styled(
                "config keys that differ (in the order above):",
                theme.muted,
            ));
            if diff.is_empty() {
                lines.push(Line::styled(
                    "  none: the configs are identical",
                    theme.text,
                ));
            }
            for (key, values) in diff {
                lines.push(Line::styled(
                    format!("  {key}: {}", values.join(" | ")),
                    theme.text,
                ));
            }
        }
    }
    let height = (lines.len() as u16 + 2).min(area.height.saturating_sub(2));
    let scroll = scroll.min(
        lines
            .len()
            .saturating_sub(height.saturating_sub(2) as usize),
    );
    let area = centred(area, area.width.saturating_sub(4).min(120), height);
    popup(
        frame,
        area,
        " compare (Esc closes) · ↑/↓ scroll ".to_string(),
        lines,
        scroll,
        theme.accent,
    );
}

/// `P`: what the promotion archives, the guard rails, and how to confirm.
pub fn confirm_promote(frame: &mut Frame, app: &App, plan: &PromotePlan, area: Rect) {
    let theme = app.theme();
    let mut lines = vec![
        Line::styled(
            if app.settings.require_approval {
                format!(
                    "Request promoting {} for {}? (promotion.require_approval: another actor approves it)",
                    plan.experiment_name, plan.target_system
                )
            } else {
                format!(
                    "Promote {} for {}?",
                    plan.experiment_name, plan.target_system
                )
            },
            theme.accent,
        ),
        Line::styled(
            if plan.archives.is_empty() {
                "This archives nothing: no experiment is promoted for that system.".to_string()
            } else {
                format!("This archives: {}", plan.archive_names().join(", "))
            },
            theme.text,
        ),
    ];
    // The candidate against what it replaces, its gap and the close: what
    // the announcement will say.
    match &app.promotion_figures {
        Some((id, figures)) if *id == plan.experiment_id => {
            if figures.is_empty() {
                lines.push(Line::styled(
                    "No Versus, gap or close to show (no backtest rows, no snapshots).",
                    theme.muted,
                ));
            }
            for figure in figures {
                lines.push(Line::styled(format!("  {figure}"), theme.text));
            }
        }
        _ => lines.push(Line::styled(
            "  working out its Versus, gap and close…",
            theme.muted,
        )),
    }
    if plan.warnings.is_empty() {
        lines.push(Line::styled("Guard rails: all pass.", theme.healthy));
    } else {
        lines.push(Line::styled(
            "⚠ Guard rails (promoting anyway is recorded as forced):",
            theme.warning,
        ));
        for warning in &plan.warnings {
            lines.push(Line::styled(format!("  - {warning}"), theme.warning));
        }
    }
    lines.push(match &app.force_typed {
        Some(typed) => Line::styled(
            format!("Type force and Enter to promote anyway: {typed}▏"),
            theme.warning,
        ),
        None if plan.warnings.is_empty() && app.settings.require_approval => {
            Line::styled("y request the promotion    n / Esc cancel", theme.muted)
        }
        None if plan.warnings.is_empty() => {
            Line::styled("y promote    n / Esc cancel", theme.muted)
        }
        None => Line::styled(
            "F, type force: promote anyway (recorded as forced)    n / Esc cancel",
            theme.muted,
        ),
    });
    // As wide as the figures want (up to 110), as tall as they wrap.
    let width = (lines.iter().map(Line::width).max().unwrap_or(0) + 4).clamp(72, 110) as u16;
    let inner = usize::from(width.min(area.width).saturating_sub(2)).max(1);
    let rows: usize = lines.iter().map(|l| l.width().div_ceil(inner).max(1)).sum();
    let area = centred(area, width, rows as u16 + 2);
    popup(
        frame,
        area,
        " promote ".to_string(),
        lines,
        0,
        theme.warning,
    );
}

/// An archive, rollback or approval: what it does, and the name typed so far.
pub fn confirm_typed(
    frame: &mut Frame,
    app: &App,
    change: &crate::service::registry_changes::RegistryChange,
    typed: &str,
    area: Rect,
) {
    let theme = app.theme();
    let word = change.confirm_word();
    let mut lines = vec![
        Line::styled(change.question(app.settings.require_approval), theme.accent),
        Line::styled(
            format!("Type {word} and Enter to confirm; Esc cancels."),
            theme.muted,
        ),
        Line::from(vec![
            Span::styled("> ", theme.muted),
            Span::styled(format!("{typed}▏"), theme.warning),
        ]),
    ];
    // A name typed wrong is said here, where the eyes are.
    if let Some(notice) = &app.notice {
        lines.push(Line::styled(notice.clone(), theme.warning));
    }
    let area = centred(area, 76, lines.len() as u16 + 6);
    popup(
        frame,
        area,
        " confirm ".to_string(),
        lines,
        0,
        theme.warning,
    );
}

/// `:`: the date being typed.
pub fn command_line(frame: &mut Frame, app: &App, typed: &str, chosen: usize, area: Rect) {
    let theme = app.theme();
    let found = app.command_matches(typed);
    let shown = 8usize;
    let chosen = chosen.min(found.len().saturating_sub(1));
    let first = chosen.saturating_sub(shown - 1);
    let mut lines = vec![Line::from(vec![
        Span::styled(": ", theme.muted),
        Span::styled(format!("{typed}▏"), theme.accent),
    ])];
    let width = found
        .iter()
        .map(|entry| entry.text.chars().count())
        .max()
        .unwrap_or(0)
        .min(34);
    for (index, entry) in found.iter().enumerate().skip(first).take(shown) {
        let style = if index == chosen {
            theme.selected
        } else {
            theme.text
        };
        lines.push(Line::from(vec![
            Span::styled(format!(" {:<width$} ", entry.text), style),
            Span::styled(format!(" {}", entry.description), theme.muted),
        ]));
    }
    if found.is_empty() {
        lines.push(Line::styled(" nothing matches", theme.warning));
    } else if found.len() > shown {
        lines.push(Line::styled(
            format!(" … {} more: type to narrow", found.len() - shown),
            theme.muted,
        ));
    }
    lines.push(Line::styled(
        format!(
            "a date (YYYY-MM-DD, MM-DD in {}, -N, +N) or a command · ↑↓ Enter Esc",
            app.selection.date.format("%Y")
        ),
        theme.muted,
    ));
    let height = (lines.len() as u16 + 2).min(area.height);
    let area = centred(area, 90, height);
    popup(
        frame,
        area,
        " command line ".to_string(),
        lines,
        0,
        theme.accent,
    );
}

/// `d`: the days up to the selected date, per system: games, predictions
/// made, voided, graded, bets and hits, and what a day without graded rows
/// is: an outage (not predicted), not graded, no lines, or not running.
pub fn drill_down(frame: &mut Frame, app: &App, scroll: usize, area: Rect) {
    let theme = app.theme();
    let mut days: Vec<&crate::model::detector::DayCounts> = app
        .dashboard
        .data
        .iter()
        .flat_map(|data| data.days.iter())
        .chain(app.comparison.data.iter().flat_map(|data| data.days.iter()))
        .collect();
    let selected = &app.selection.system;
    days.sort_by(|a, b| {
        (b.game_date, &a.system_id != selected, &a.system_id).cmp(&(
            a.game_date,
            &b.system_id != selected,
            &b.system_id,
        ))
    });
    let popup_width = area.width.saturating_sub(4).min(110);
    let inner = usize::from(popup_width.saturating_sub(2));
    let longest = days
        .iter()
        .map(|d| unicode_width::UnicodeWidthStr::width(d.system_id.as_str()))
        .max()
        .unwrap_or(6)
        .clamp(6, 24);
    // One line a day and system at any width: the full columns when they
    // fit (with the day's mark), else a compact row (MM-DD, narrower
    // counts, the system's name cut to what is left, the mark in place of
    // the rate).
    let compact = 10 + 2 + longest + 5 * 8 + 2 + 14 > inner;
    let name_width = if compact {
        // MM-DD, five counts of 5 with a space, the rate ("69.6% 71/102").
        inner
            .saturating_sub(5 + 2 + 2 + 5 * 6 + 2 + 12)
            .clamp(6, longest)
    } else {
        longest
    };
    let header = if compact {
        format!(
            "{:<5}  {}  {:>5} {:>5} {:>5} {:>5} {:>5}  hit rate",
            "date",
            pad("system", name_width),
            "games",
            "made",
            "void",
            "grade",
            "bets",
        )
    } else {
        format!(
            "{:<10}  {}  {:>6}  {:>6}  {:>6}  {:>6}  {:>6}  {:>14}",
            "date",
            pad("system", name_width),
            "games",
            "made",
            "voided",
            "graded",
            "bets",
            "hit rate"
        )
    };
    let mut lines = vec![Line::styled(header, theme.accent)];
    for day in days {
        use crate::model::detector::DayKind;
        let rate = |hits: u64, bets: u64| 100.0 * hits as f64 / bets as f64;
        let mark = match day.kind {
            DayKind::NoPredictions => "✖ outage",
            DayKind::NotGraded => "○ not graded",
            DayKind::NoLines => "∅ no lines",
            DayKind::NotRunning => "- not running",
            DayKind::NoGradedRows => "? no graded rows",
            DayKind::Value | DayKind::NoGames => "",
        };
        let style = if day.kind == DayKind::NoPredictions {
            theme.critical
        } else if matches!(
            day.kind,
            DayKind::NotGraded | DayKind::NoLines | DayKind::NoGradedRows
        ) {
            theme.warning
        } else if day.kind == DayKind::NotRunning {
            theme.muted
        } else if day.system_id == *selected {
            theme.text
        } else {
            theme.muted
        };
        let text = if compact {
            // A day without bets says what it is where the rate would be.
            let last = match (day.bets, mark) {
                (_, mark) if !mark.is_empty() => mark.to_string(),
                (0, _) => "-".to_string(),
                (bets, _) => format!("{:.1}% {}/{bets}", rate(day.hits, bets), day.hits),
            };
            format!(
                "{}  {}  {:>5} {:>5} {:>5} {:>5} {:>5}  {last}",
                day.game_date.format("%m-%d"),
                pad(&fit(&day.system_id, name_width), name_width),
                count(day.player_games),
                count(day.made),
                count(day.voided),
                count(day.graded),
                count(day.bets),
            )
        } else {
            let hit_rate = match day.bets {
                0 => "-".to_string(),
                bets => format!("{:.1}% ({}/{bets})", rate(day.hits, bets), day.hits),
            };
            let mark = if mark.is_empty() {
                String::new()
            } else {
                format!("  {mark}")
            };
            format!(
                "{:<10}  {}  {:>6}  {:>6}  {:>6}  {:>6}  {:>6}  {:>14}{mark}",
                day.game_date.to_string(),
                pad(&day.system_id, name_width),
                count(day.player_games),
                count(day.made),
                count(day.voided),
                count(day.graded),
                count(day.bets),
                hit_rate,
            )
        };
        lines.push(Line::styled(text, style));
    }
    let height = (lines.len() as u16 + 2).min(area.height.saturating_sub(2));
    let scroll = scroll.min(
        lines
            .len()
            .saturating_sub(height.saturating_sub(2) as usize),
    );
    let area = centred(area, popup_width, height);
    popup(
        frame,
        area,
        format!(
            " day by day to {} (d or Esc closes, ↑/↓ scroll) ",
            app.selection.date
        ),
        lines,
        scroll,
        theme.accent,
    );
}

/// The footer's keys of an open dialog, from the key table.
pub fn dialog_keys(app: &App, dialog: Dialog) -> String {
    app.keymap
        .for_dialog(dialog)
        .map(|b| format!("{} {}", b.key, b.description))
        .collect::<Vec<_>>()
        .join("  ")
}
