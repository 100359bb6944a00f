//! Tab 8, Tonight (metrics.md section 17): today's games with tip-off and
//! status and the time to the first tip-off; per system the players with a
//! line it predicted, its coverage, grading after the games and what its
//! level says; then the missing players with their reasons and the stale
//! lines. The figures are `courtside slate`'s own. At local midnight (the
//! config's `timezone`) the next refresh moves it to the new game date.
//! Stored names (teams, systems, players) are drawn terminal-safe.

use crate::format::terminal_safe as safe;
use crate::model::AlertLevel;
use crate::model::game_day::{Slate, SlatePhase};
use crate::tui::action::TonightData;
use crate::tui::app::App;
use crate::tui::widgets;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use unicode_width::UnicodeWidthStr;

/// Missing players named per system (the JSON of `slate` lists all).
const MISSING_SHOWN: usize = 8;

pub fn draw(frame: &mut Frame, app: &App, area: Rect) {
    let Some(body) = widgets::panel_body(
        frame,
        app,
        &app.tonight.panel,
        area,
        widgets::PanelText {
            loading: "reading tonight's slate".to_string(),
            empty: "no slate yet".to_string(),
            wanted: "tonight".to_string(),
        },
        |_| None,
    ) else {
        return;
    };
    draw_data(frame, app, body.data, body.area);
    body.finish(frame);
}

fn hm(minutes: i64) -> String {
    let m = minutes.abs();
    if m >= 60 {
        format!("{}h {:02}m", m / 60, m % 60)
    } else {
        format!("{m}m")
    }
}

/// The first line: the level of tonight and of last night's grading (the
/// worse), date, games and where the night stands.
fn headline(data: &TonightData, app: &App) -> Line<'static> {
    let slate = &data.slate;
    let level = data
        .last_night
        .iter()
        .map(|night| night.level)
        .chain([slate.level])
        .max_by_key(|level| level.severity())
        .unwrap_or(slate.level);
    let theme = app.theme();
    let zone = app_zone(app);
    let when = match (slate.phase, slate.minutes_to_first_tip) {
        (SlatePhase::NoGames, _) => "no games on the schedule".to_string(),
        (SlatePhase::Pregame, Some(m)) => format!("first tip-off in {}", hm(m)),
        (SlatePhase::Live, _) => "games under way".to_string(),
        (SlatePhase::Final, _) => "every game final".to_string(),
        _ => String::new(),
    };
    let now = slate.now.with_timezone(&zone).format("%H:%M %Z");
    Line::from(vec![
        Span::styled(
            format!("{} {} ", level.symbol(), level.as_str().to_uppercase()),
            theme.level(level),
        ),
        Span::styled(
            format!(
                " Tonight {} · {} game{} · {when} · now {now}",
                slate.game_date.format("%a %Y-%m-%d"),
                slate.games.len(),
                if slate.games.len() == 1 { "" } else { "s" }
            ),
            theme.text,
        ),
    ])
}

fn app_zone(app: &App) -> chrono_tz::Tz {
    app.settings.thresholds.game_day.zone()
}

/// The games, as many to a line as the width takes.
fn game_lines(slate: &Slate, app: &App, width: usize) -> Vec<Line<'static>> {
    let theme = app.theme();
    let zone = app_zone(app);
    let cells: Vec<String> = slate
        .games
        .iter()
        .map(|game| {
            let status = match game.status.as_str() {
                "final" => "final",
                "in progress" => "live",
                _ => "",
            };
            format!(
                "{} {:>3}@{:<3} {:<5}",
                game.tip
                    .map(|tip| tip.with_timezone(&zone).format("%H:%M").to_string())
                    .unwrap_or_else(|| "  ?  ".into()),
                safe(&game.away),
                safe(&game.home),
                status
            )
        })
        .collect();
    let cell = cells.iter().map(|c| c.width()).max().unwrap_or(20) + 3;
    let per_line = (width / cell).max(1);
    cells
        .chunks(per_line)
        .map(|chunk| {
            Line::styled(
                chunk
                    .iter()
                    .map(|c| format!("{c:<cell$}"))
                    .collect::<String>()
                    .trim_end()
                    .to_string(),
                theme.text,
            )
        })
        .collect()
}

/// A system's line: plain text when healthy, else in its level's colour.
fn system_style(theme: &crate::tui::theme::Theme, level: AlertLevel) -> ratatui::style::Style {
    if level == AlertLevel::Healthy {
        theme.text
    } else {
        theme.level(level)
    }
}

fn draw_data(frame: &mut Frame, app: &App, data: &TonightData, area: Rect) {
    let theme = app.theme();
    let slate = &data.slate;
    let width = area.width as usize;
    let mut lines = vec![headline(data, app), Line::raw("")];
    lines.extend(game_lines(slate, app, width));
    lines.push(Line::raw(""));
    let name_width = slate
        .systems
        .iter()
        .map(|s| safe(&s.system_id).width())
        .max()
        .unwrap_or(6)
        .clamp(6, if width >= 120 { 32 } else { 22 });
    lines.push(Line::styled(
        format!(
            "  {}  {:>9}  {:>5}  {:>11}",
            widgets::pad("system", name_width),
            "predicted",
            "cover",
            "graded"
        ),
        theme.accent,
    ));
    for system in &slate.systems {
        let coverage = system
            .predicted_coverage
            .map_or_else(|| "-".to_string(), |c| format!("{:.0}%", 100.0 * c));
        let style = system_style(theme, system.level);
        lines.push(Line::styled(
            format!(
                "{} {}  {:>9}  {:>5}  {:>11}",
                system.level.symbol(),
                widgets::pad(&system.system_id, name_width),
                format!("{}/{}", system.predicted, slate.players_with_line),
                coverage,
                format!("{}/{}", system.grading.graded, system.grading.predicted),
            ),
            style,
        ));
        if let Some(message) = &system.message {
            lines.push(Line::styled(format!("    {}", safe(message)), style));
        }
    }
    lines.push(Line::raw(""));
    let hours = slate
        .systems
        .iter()
        .find_map(|s| s.grading.hours_since_last_final)
        .map(|h| format!(" · last final {h:.1} h ago"))
        .unwrap_or_default();
    lines.push(Line::styled(
        format!(
            "players with a line: {} · stale lines: {}{hours}",
            slate.players_with_line, slate.stale_lines
        ),
        theme.muted,
    ));
    if slate.phase != SlatePhase::Final {
        for system in slate.systems.iter().filter(|s| !s.missing.is_empty()) {
            let names: Vec<String> = system
                .missing
                .iter()
                .take(MISSING_SHOWN)
                .map(|m| format!("{} ({})", safe(&m.player_lookup), m.reason.as_str()))
                .collect();
            let more = system.missing.len().saturating_sub(MISSING_SHOWN);
            lines.push(Line::styled(
                format!(
                    "{} missing {}: {}{}",
                    safe(&system.system_id),
                    system.missing.len(),
                    names.join(", "),
                    if more > 0 {
                        format!(" … and {more} more (courtside slate --json lists all)")
                    } else {
                        String::new()
                    }
                ),
                theme.muted,
            ));
        }
    }
    if let Some(night) = &data.last_night {
        lines.push(Line::raw(""));
        lines.push(Line::styled(
            format!(
                "last night {}: {} game{}, {}",
                night.game_date,
                night.games.len(),
                if night.games.len() == 1 { "" } else { "s" },
                if night.phase == SlatePhase::Final {
                    "every game final"
                } else {
                    "games still on"
                }
            ),
            theme.accent,
        ));
        for system in &night.systems {
            let style = system_style(theme, system.level);
            lines.push(Line::styled(
                format!(
                    "{} {}  graded {}/{}",
                    system.level.symbol(),
                    widgets::pad(&system.system_id, name_width),
                    system.grading.graded,
                    system.grading.predicted
                ),
                style,
            ));
            if let Some(message) = &system.message {
                lines.push(Line::styled(format!("    {}", safe(message)), style));
            }
        }
    }
    if !slate.missing_tables.is_empty() {
        lines.push(Line::styled(
            format!(
                "without {}: the slate is partial",
                safe(&slate.missing_tables.join(", "))
            ),
            theme.warning,
        ));
    }
    let scroll = app.tonight.scroll.min(lines.len().saturating_sub(1));
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .scroll((scroll as u16, 0)),
        area,
    );
}
