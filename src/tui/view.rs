//! Draws the whole screen from `&App`: header, tab bar, the current tab,
//! footer and overlays. Pure: the same state always draws the same screen.

use super::action::Tab;
use super::app::{App, Mode};
use super::geometry::tab_labels;
use super::tabs;
use super::widgets::{centred, fit, human_age, pad, spinner};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};
use unicode_width::UnicodeWidthStr;

pub fn draw(frame: &mut Frame, app: &App) {
    let area = frame.area();
    let [header, tab_bar, body, footer] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(1),
    ])
    .areas(area);
    draw_header(frame, app, header);
    draw_tabs(frame, app, tab_bar);
    match app.tab {
        Tab::Overview => tabs::overview::draw(frame, app, body),
        Tab::Sharpness => tabs::sharpness::draw(frame, app, body),
        Tab::Drift => tabs::drift::draw(frame, app, body),
        Tab::Experiments => tabs::experiments::draw(frame, app, body),
        Tab::Gap => tabs::gap::draw(frame, app, body),
        Tab::Versus => tabs::versus::draw(frame, app, body),
        Tab::Splits => tabs::splits::draw(frame, app, body),
    }
    draw_footer(frame, app, footer);
    match &app.mode {
        Mode::SystemPicker { index } => draw_system_picker(frame, app, *index, area),
        Mode::Compare => draw_compare(frame, app, area),
        Mode::ConfirmPromote(plan) => draw_confirm_promote(frame, app, plan, area),
        Mode::Normal | Mode::Search => {}
    }
    if app.show_help {
        draw_help(frame, app, area);
    }
}

fn draw_header(frame: &mut Frame, app: &App, area: Rect) {
    let theme = app.theme();
    let mut spans = vec![Span::styled(" courtside ", theme.accent)];
    let level = app
        .dashboard
        .data
        .as_ref()
        .map(|data| &data.diagnostics)
        .filter(|d| d.has_data())
        .map(|d| d.alert_level);
    let badge = match level {
        Some(level) => Span::styled(
            format!(
                " {} {} ",
                level.symbol(),
                level.as_str().to_ascii_uppercase()
            ),
            theme.level(level),
        ),
        None => Span::styled(" ? UNKNOWN ", theme.muted),
    };
    spans.push(badge);
    if app.settings.is_demo {
        // Always visible, so it comes before anything a narrow screen cuts.
        spans.push(Span::styled(" demo data ", theme.warning));
    }
    spans.push(Span::styled(
        format!(" {} │ {} ", app.selection.system, app.selection.date),
        theme.text,
    ));
    // What follows is added only whole: a part that does not fit is left out
    // or shortened, never cut mid-number ("updated 14" for "14m ago").
    let width = area.width as usize;
    let used = |spans: &[Span]| spans.iter().map(|s| s.content.width()).sum::<usize>();
    // Figures of another date or system than the header names are on screen
    // only while the new ones load, and the header says so.
    let shown_selection = app.dashboard.data.as_ref().map(|data| &data.selection);
    let superseded = app.dashboard.pending.is_some() && shown_selection != Some(&app.selection);
    let (freshness, short) = if superseded {
        (
            format!("{} loading", spinner(app)),
            spinner(app).to_string(),
        )
    } else {
        match app.age_secs() {
            None => ("no data yet".to_string(), "no data".to_string()),
            Some(age) if app.is_stale() => (
                format!("⚠ STALE: updated {} ago", human_age(age)),
                format!("⚠ STALE {}", human_age(age)),
            ),
            Some(age) => (
                format!("updated {} ago", human_age(age)),
                format!("{} ago", human_age(age)),
            ),
        }
    };
    let freshness_style = if app.is_stale() {
        theme.warning
    } else {
        theme.muted
    };
    for text in [format!("│ {freshness} "), format!("│ {short} ")] {
        if used(&spans) + text.width() <= width {
            spans.push(Span::styled(text, freshness_style));
            break;
        }
    }
    let refresh = if app.paused {
        Some(Span::styled("│ ⏸ live refresh paused ", theme.warning))
    } else {
        app.next_refresh_at()
            .map(|next| Span::styled(format!("│ next {} ", next.format("%H:%M:%S")), theme.muted))
    };
    if let Some(refresh) = refresh
        && used(&spans) + refresh.content.width() <= width
    {
        spans.push(refresh);
    }
    let room = width.saturating_sub(used(&spans) + 3);
    if room > 10 {
        spans.push(Span::styled(
            format!("│ {}", fit(&app.settings.source_label, room)),
            theme.muted,
        ));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)).style(theme.header), area);
}

fn draw_tabs(frame: &mut Frame, app: &App, area: Rect) {
    let theme = app.theme();
    app.tab_bar.set(area);
    let mut spans = Vec::new();
    for (tab, label) in Tab::ALL.into_iter().zip(tab_labels(area.width)) {
        let style = if tab == app.tab {
            theme.selected
        } else {
            theme.muted
        };
        spans.push(Span::styled(label, style));
        spans.push(Span::raw(" "));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

fn draw_footer(frame: &mut Frame, app: &App, area: Rect) {
    let theme = app.theme();
    let line = match (&app.mode, &app.notice) {
        (Mode::Search, _) => Line::from(vec![
            Span::styled(" search: ", theme.accent),
            Span::styled(format!("{}▏", app.leaderboard.filter.search), theme.text),
            Span::styled("  Enter/Esc done", theme.muted),
        ]),
        (Mode::SystemPicker { .. }, _) => {
            Line::styled(" ↑/↓ choose  Enter select  Esc cancel", theme.muted)
        }
        (Mode::Compare, _) => Line::styled(" Esc / c close the comparison", theme.muted),
        (Mode::ConfirmPromote(_), Some(notice)) => {
            Line::styled(format!(" {notice}"), theme.warning)
        }
        (Mode::ConfirmPromote(_), _) if app.force_typed.is_some() => Line::styled(
            " type force and Enter to promote past the guard rails  Esc cancel",
            theme.warning,
        ),
        (Mode::ConfirmPromote(plan), _) if !plan.warnings.is_empty() => Line::styled(
            " F then type force: promote anyway (forced)  n / Esc cancel",
            theme.warning,
        ),
        (Mode::ConfirmPromote(_), _) => Line::styled(" y promote  n / Esc cancel", theme.warning),
        _ => {
            // Help and quit come first, so they show at every width; then
            // this tab's keys, then the rest, each whole or not at all.
            let global = [
                ("?", "help"),
                ("q", "quit"),
                ("1-7", "tabs"),
                ("[ ]", "day"),
                ("s", "system"),
                ("r", "refresh"),
                ("p", "pause"),
                ("e", "export"),
            ];
            let mut parts: Vec<String> = global[..2]
                .iter()
                .map(|(k, d)| format!("{k} {d}"))
                .collect();
            parts.extend(
                app.keymap
                    .for_tab(app.tab)
                    .filter(|b| !(app.settings.read_only && b.dangerous))
                    .map(|b| format!("{} {}", b.key, b.description)),
            );
            parts.extend(global[2..].iter().map(|(k, d)| format!("{k} {d}")));
            let width = area.width as usize;
            let mut spans = Vec::new();
            let mut used = 0;
            // A notice leads the line until the next key; the keys stay after it.
            if let Some(notice) = &app.notice {
                let notice = format!(" {} ", fit(notice, width.saturating_sub(16)));
                used += notice.width();
                spans.push(Span::styled(notice, theme.accent));
            }
            for part in parts {
                let text = format!(" {part} ");
                if used + text.width() > width {
                    continue;
                }
                used += text.width();
                spans.push(Span::styled(text, theme.muted));
            }
            Line::from(spans)
        }
    };
    frame.render_widget(Paragraph::new(line), area);
}

fn draw_help(frame: &mut Frame, app: &App, area: Rect) {
    let theme = app.theme();
    let mut lines: Vec<Line> = app
        .keymap
        .bindings
        .iter()
        .filter(|b| !(app.settings.read_only && b.dangerous))
        .map(|b| {
            Line::from(vec![
                Span::styled(format!("{:>8}  ", b.key), theme.accent),
                Span::styled(b.description, theme.text),
            ])
        })
        .collect();
    lines.push(Line::styled("  Ctrl-c  quit", theme.text));
    lines.push(Line::styled(
        "   mouse  click a tab or a row, scroll a table",
        theme.muted,
    ));
    // Short screens get two columns so every key stays visible.
    let rows_available = area.height.saturating_sub(2) as usize;
    let columns = if lines.len() > rows_available { 2 } else { 1 };
    let per_column = lines.len().div_ceil(columns);
    let height = per_column as u16 + 2;
    let popup = centred(area, if columns == 2 { 78 } else { 60 }, height);
    frame.render_widget(Clear, popup);
    let block = Block::bordered()
        .title(" keys (? or Esc closes) ")
        .border_style(theme.accent);
    let inner = block.inner(popup);
    frame.render_widget(block, popup);
    let halves =
        Layout::horizontal(vec![Constraint::Ratio(1, columns as u32); columns]).split(inner);
    let mut remaining = lines.into_iter();
    for half in halves.iter() {
        let chunk: Vec<Line> = remaining.by_ref().take(per_column).collect();
        frame.render_widget(Paragraph::new(chunk), *half);
    }
}

fn draw_compare(frame: &mut Frame, app: &App, area: Rect) {
    let theme = app.theme();
    let marked = app.marked_entries();
    let mut lines = Vec::new();
    // Narrow screens drop the ROI column rather than wrap rows.
    let with_roi = area.width >= 100;
    let roi = |text: String| {
        if with_roi {
            format!(" {text:>7}")
        } else {
            String::new()
        }
    };
    if let Some((base, others)) = marked.split_first() {
        lines.push(Line::styled(
            format!(
                "{:<28} {:<15} {:<22} {:>6}{}",
                "experiment",
                "hit rate ±CI",
                "Δ hit [95% CI]",
                "Δ MAE",
                roi("Δ ROI".to_string())
            ),
            theme.accent,
        ));
        lines.push(Line::styled(
            format!(
                "{} {:<15} {:<22}",
                pad(&base.name, 28),
                super::table_text::hit_text(base),
                "(baseline)"
            ),
            theme.text,
        ));
        for delta in crate::registry::compare::deltas(base, others) {
            let hit = delta.hit_rate.map_or("no data".to_string(), |(d, i)| {
                format!("{d:+.1} [{:+.1}, {:+.1}]", i.low, i.high)
            });
            lines.push(Line::styled(
                format!(
                    "{} {:<15} {:<22} {:>6}{}",
                    pad(&delta.entry.name, 28),
                    super::table_text::hit_text(&delta.entry),
                    hit,
                    delta.mae.map_or("-".to_string(), |m| format!("{m:+.2}")),
                    roi(delta
                        .roi
                        .map_or("-".to_string(), |r| format!("{:+.1}%", r * 100.0))),
                ),
                theme.text,
            ));
        }
        if let Some(data) = &app.experiments.data {
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
    let popup = centred(
        area,
        area.width.saturating_sub(4).min(110),
        (lines.len() as u16 + 2).min(area.height.saturating_sub(2)),
    );
    frame.render_widget(Clear, popup);
    frame.render_widget(
        Paragraph::new(lines).wrap(Wrap { trim: false }).block(
            Block::bordered()
                .title(" compare (Esc closes) ")
                .border_style(theme.accent),
        ),
        popup,
    );
}

fn draw_confirm_promote(frame: &mut Frame, app: &App, plan: &super::app::PromotePlan, area: Rect) {
    let theme = app.theme();
    let mut lines = vec![
        Line::styled(
            format!(
                "Promote {} for {}?",
                plan.experiment_name, plan.target_system
            ),
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
        None if plan.warnings.is_empty() => {
            Line::styled("y promote    n / Esc cancel", theme.muted)
        }
        None => Line::styled(
            "F, type force: promote anyway (recorded as forced)    n / Esc cancel",
            theme.muted,
        ),
    });
    let popup = centred(area, 72, lines.len() as u16 + 4);
    frame.render_widget(Clear, popup);
    frame.render_widget(
        Paragraph::new(lines).wrap(Wrap { trim: true }).block(
            Block::bordered()
                .title(" promote ")
                .border_style(theme.warning),
        ),
        popup,
    );
}

fn draw_system_picker(frame: &mut Frame, app: &App, index: usize, area: Rect) {
    let theme = app.theme();
    let lines: Vec<Line> = app
        .systems
        .iter()
        .enumerate()
        .map(|(i, system)| {
            let marker = if *system == app.selection.system {
                "●"
            } else {
                " "
            };
            let style = if i == index {
                theme.selected
            } else {
                theme.text
            };
            Line::styled(format!(" {marker} {system} "), style)
        })
        .collect();
    let popup = centred(area, 40, lines.len() as u16 + 2);
    frame.render_widget(Clear, popup);
    frame.render_widget(
        Paragraph::new(lines).block(
            Block::bordered()
                .title(" system ")
                .border_style(theme.accent),
        ),
        popup,
    );
}
