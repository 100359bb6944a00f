//! Draws the whole screen from `&App`: header, tab bar, the current tab,
//! footer and overlays. Pure: the same state always draws the same screen.
//! Stored strings are escaped where they are drawn (`fit`, `pad` and the
//! tabs); last, `safe_cells` takes out of every cell what a terminal would
//! obey rather than show.

use super::action::{Action, Tab};
use super::app::{App, Mode};
use super::geometry::tab_labels;
use super::keymap::Context;
use super::tabs;
use super::widgets::{dialogs, fit, human_age, picker, spinner};
use crate::format::terminal_safe;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use unicode_width::UnicodeWidthStr;

/// The smallest screen the dashboard draws on; below it, a message says so.
pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 15;

pub fn draw(frame: &mut Frame, app: &App) {
    let area = frame.area();
    frame.buffer_mut().set_style(area, app.theme().background);
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        draw_too_small(frame, app, area);
        return;
    }
    let [header, tab_bar, body, footer] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(1),
    ])
    .areas(area);
    app.body.set(body);
    draw_header(frame, app, header);
    draw_tabs(frame, app, tab_bar);
    tabs::draw(frame, app, body);
    draw_footer(frame, app, footer);
    match &app.mode {
        Mode::SystemPicker { index } => picker::draw(frame, app, *index, area),
        Mode::Compare { scroll } => dialogs::compare(frame, app, *scroll, area),
        Mode::ConfirmPromote(plan) => dialogs::confirm_promote(frame, app, plan, area),
        Mode::CommandLine { typed, chosen } => {
            dialogs::command_line(frame, app, typed, *chosen, area)
        }
        Mode::ConfirmTyped { change, typed } => {
            dialogs::confirm_typed(frame, app, change, typed, area)
        }
        Mode::DrillDown { scroll } => dialogs::drill_down(frame, app, *scroll, area),
        Mode::Normal | Mode::Search => {}
    }
    if app.show_help {
        dialogs::help(frame, app, area);
    }
    super::safe_cells::scrub(frame.buffer_mut());
}

/// Too small a terminal: what it is, what is needed, and that q still quits.
fn draw_too_small(frame: &mut Frame, app: &App, area: Rect) {
    let text = format!(
        "terminal too small: {}x{}, courtside needs {MIN_WIDTH}x{MIN_HEIGHT}. Make it larger, or q to quit.",
        area.width, area.height
    );
    frame.render_widget(
        Paragraph::new(text)
            .style(app.theme().warning)
            .wrap(Wrap { trim: true }),
        area,
    );
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
        // Before the first answer the level is not unknown, only not here yet.
        None if app.dashboard.data.is_none() && app.dashboard.pending.is_some() => {
            Span::styled(format!(" {} LOADING ", spinner(app)), theme.muted)
        }
        None => Span::styled(" ? UNKNOWN ", theme.muted),
    };
    // A level change seen while open flashes for a minute, with what it was.
    let flash = app
        .level_change
        .as_ref()
        .filter(|change| change.system == app.selection.system)
        .and_then(|change| change.flash(app.now).map(|phase| (change, phase)));
    let badge = match flash {
        Some((_, true)) => Span::styled(
            badge.content,
            badge.style.add_modifier(ratatui::style::Modifier::REVERSED),
        ),
        _ => badge,
    };
    spans.push(badge);
    if let Some((change, _)) = flash {
        spans.push(Span::styled(
            format!(" was {} ", change.from.as_str().to_ascii_uppercase()),
            theme.warning,
        ));
    }
    // The worst level of every system, beside the selected one's, so a
    // critical shadow is never off screen.
    if let Some(worst) = app
        .dashboard
        .data
        .as_ref()
        .filter(|data| data.glance.len() > 1)
        .and_then(|data| {
            crate::service::systems_strip::worst_level(
                data.glance.iter().map(|g| g.diagnostics.alert_level),
            )
        })
    {
        spans.push(Span::styled(
            format!(
                " all: {} {} ",
                worst.symbol(),
                worst.as_str().to_ascii_uppercase()
            ),
            theme.level(worst),
        ));
    }
    if app.settings.is_demo {
        // Always visible, so it comes before anything a narrow screen cuts.
        spans.push(Span::styled(" demo data ", theme.warning));
    }
    spans.push(Span::styled(
        format!(
            " {} │ {} ",
            terminal_safe(&app.selection.system),
            app.selection.date
        ),
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
            // Paused, the age is the user's choice: said at every width.
            Some(age) if app.paused => (
                format!("⏸ paused: updated {} ago", human_age(age)),
                format!("⏸ paused {}", human_age(age)),
            ),
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
    let freshness_style = if app.is_stale() || app.paused {
        theme.warning
    } else {
        theme.muted
    };
    // The selected system's silences (watch posts nothing they hold): in
    // full where it fits beside the data's age, else shorter, never cut.
    if let Some(silences) = app.dashboard.data.as_ref().map(|data| &data.silences) {
        let age_room = format!("│ {short} ").width();
        let choices: Vec<String> = match silences {
            Ok(silences) => match silences.first() {
                Some(silence) => {
                    let now = crate::config::game_day::clock();
                    let more = match silences.len() {
                        1 => String::new(),
                        n => format!(" (+{} more)", n - 1),
                    };
                    vec![
                        format!("│ {}{more} ", terminal_safe(&silence.sentence(now))),
                        format!("│ 🔕 until {} ", silence.ends_at.format("%H:%M")),
                        "│ 🔕 ".to_string(),
                    ]
                }
                None => Vec::new(),
            },
            Err(_) => vec![
                "│ ⚠ silences unreadable ".to_string(),
                "│ ⚠ 🔕? ".to_string(),
            ],
        };
        if let Some(text) = choices
            .into_iter()
            .find(|text| used(&spans) + text.width() + age_room <= width)
        {
            spans.push(Span::styled(text, theme.warning));
        }
    }
    // What the latest date means for the date named (the selection moved to
    // it, or there is newer data): whole or not at all, never at the cost
    // of the data's age.
    if let Some(note) = app.latest_note() {
        let text = format!("│ {} ", terminal_safe(&note));
        let age_room = format!("│ {short} ").width();
        if used(&spans) + text.width() + age_room <= width {
            spans.push(Span::styled(text, theme.accent));
        }
    }
    for text in [format!("│ {freshness} "), format!("│ {short} ")] {
        if used(&spans) + text.width() <= width {
            spans.push(Span::styled(text, freshness_style));
            break;
        }
    }
    let refresh = if app.paused {
        // The freshness part says it; this adds how to resume when it fits.
        Some(Span::styled("│ p resumes ", theme.muted))
    } else {
        app.next_refresh_at().map(|next| {
            // After a failed refresh the next one is a retry.
            let word = if app.dashboard.error.is_some() {
                "retry"
            } else {
                "next"
            };
            Span::styled(
                format!("│ {word} {} UTC ", next.format("%H:%M:%S")),
                theme.muted,
            )
        })
    };
    if let Some(refresh) = refresh
        && used(&spans) + refresh.content.width() <= width
    {
        spans.push(refresh);
    }
    // What the last refresh cost on BigQuery (concurrent fetches may add a little).
    if let Some(bytes) = app.dashboard.data.as_ref().and_then(|d| d.bytes_billed) {
        let part = Span::styled(
            format!(
                "│ BQ {} billed, {} today ",
                human_bytes(bytes),
                human_bytes(app.billing.today())
            ),
            theme.muted,
        );
        if used(&spans) + part.content.width() <= width {
            spans.push(part);
        }
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
            Span::styled(
                format!("{}▏", terminal_safe(&app.experiments.board.filter.search)),
                theme.text,
            ),
            Span::styled("  Enter keeps it, Esc clears it", theme.muted),
        ]),
        (Mode::ConfirmPromote(_), Some(notice)) | (Mode::CommandLine { .. }, Some(notice)) => {
            Line::styled(format!(" {}", terminal_safe(notice)), theme.warning)
        }
        (Mode::ConfirmPromote(plan), _)
            if !plan.warnings.is_empty() && app.force_typed.is_none() =>
        {
            Line::styled(
                " F then type force: promote anyway (forced)  n / Esc cancel",
                theme.warning,
            )
        }
        (Mode::Normal, _) => {
            // Help and quit come first, so they show at every width; then
            // this tab's keys, then the rest, each whole or not at all.
            let global = [
                ("?", "help"),
                ("q", "quit"),
                ("1-8", "tabs"),
                ("[ ]", "day"),
                (":", "go to"),
                ("d", "day counts"),
                ("s", "system"),
                ("r", "refresh"),
                ("p", "pause"),
                ("e", "export"),
            ];
            let mut parts: Vec<String> = global[..2]
                .iter()
                .map(|(k, d)| format!("{k} {d}"))
                .collect();
            // Moving keys as one hint each; then the tab's own keys.
            let tab_keys: Vec<_> = app
                .keymap
                .for_tab(app.tab)
                .filter(|b| !(app.settings.read_only && b.dangerous))
                .collect();
            let moves = |pick: fn(&Action) -> bool| tab_keys.iter().any(|b| pick(&b.action));
            if moves(|a| matches!(a, Action::Up | Action::Down)) {
                parts.push("↑↓ move".to_string());
            }
            if moves(|a| matches!(a, Action::CursorMove(_))) {
                parts.push("←→ value cursor".to_string());
            }
            parts.extend(
                tab_keys
                    .iter()
                    .filter(|b| {
                        !matches!(
                            b.action,
                            Action::Up
                                | Action::Down
                                | Action::PageUp
                                | Action::PageDown
                                | Action::CursorMove(_)
                        )
                    })
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
        _ => match app.key_context() {
            Context::Dialog(dialog) => Line::styled(
                format!(
                    " {}",
                    fit(&dialogs::dialog_keys(app, dialog), area.width as usize)
                ),
                theme.muted,
            ),
            Context::Tab(_) => Line::default(),
        },
    };
    frame.render_widget(Paragraph::new(line), area);
}

/// `0 B`, `812 KB`, `1.4 GB` (decimal units, as BigQuery bills).
fn human_bytes(bytes: u64) -> String {
    let units = ["B", "KB", "MB", "GB", "TB", "PB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1000.0 && unit < units.len() - 1 {
        value /= 1000.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{bytes} B")
    } else if value < 10.0 {
        format!("{value:.1} {}", units[unit])
    } else {
        format!("{value:.0} {}", units[unit])
    }
}

#[cfg(test)]
mod tests {
    use super::human_bytes;

    #[test]
    fn bytes_read_in_decimal_units() {
        assert_eq!(human_bytes(0), "0 B");
        assert_eq!(human_bytes(812_000), "812 KB");
        assert_eq!(human_bytes(1_400_000_000), "1.4 GB");
    }
}
