//! Tab 4: the leaderboard (sortable, filterable, searchable; failed and
//! archived hidden by default) and the detail pane of the selected experiment:
//! hypothesis, config, per-tier and per-line-range results, lineage, history.
//! Stored text is drawn terminal-safe.

use crate::format::{terminal_safe as safe, terminal_safe_lines};
use crate::model::experiment::Status;
use crate::registry::leaderboard::{self, Entry};
use crate::tui::app::App;
use crate::tui::table_text::{cells, columns};
use crate::tui::widgets::{self, fit};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Cell, Paragraph, Row, Table, TableState, Wrap};

fn widths(wide: bool) -> Vec<Constraint> {
    if wide {
        vec![
            Constraint::Length(1),
            Constraint::Min(18),
            Constraint::Length(14),
            Constraint::Length(9),
            Constraint::Length(13),
            Constraint::Length(5),
            Constraint::Length(6),
            Constraint::Length(7),
            Constraint::Length(10),
            Constraint::Length(10),
            Constraint::Length(14),
        ]
    } else {
        vec![
            Constraint::Length(1),
            Constraint::Min(16),
            Constraint::Length(9),
            Constraint::Length(13),
            Constraint::Length(7),
        ]
    }
}

fn detail_lines<'a>(app: &App, entry: &Entry) -> Vec<Line<'a>> {
    let theme = app.theme();
    let mut lines = vec![Line::styled(
        format!("{}  ({})", safe(&entry.name), safe(&entry.id)),
        theme.accent,
    )];
    let Some(data) = &app.experiments.panel.data else {
        return lines;
    };
    let Some(row) = data
        .experiments
        .iter()
        .find(|r| r.experiment_id == entry.id)
    else {
        return lines;
    };
    if let Some(request) = crate::registry::request::pending(&data.events, &entry.id) {
        lines.push(Line::styled(
            format!(
                "⧗ awaiting approval: {} for {} by {} at {} (V approves; another actor must)",
                request.action.noun(),
                safe(&request.target_system),
                safe(crate::registry::lifecycle::name_of(&request.actor)),
                request.at.format("%Y-%m-%d %H:%M UTC")
            ),
            theme.warning,
        ));
    }
    // Promoted: how it has done since, as the Overview and `diag` judge it.
    let since = app.dashboard.data.as_ref().and_then(|dashboard| {
        dashboard
            .glance
            .iter()
            .filter_map(|glance| glance.diagnostics.since_promotion.as_ref())
            .find(|since| since.experiment_id == entry.id)
    });
    if let Some(since) = since {
        lines.push(Line::styled(
            format!("◆ {}", safe(&since.sentence())),
            theme.text,
        ));
    }
    if let Some(hypothesis) = &row.hypothesis {
        lines.push(Line::styled(
            format!("hypothesis: {}", safe(hypothesis)),
            theme.text,
        ));
    }
    let period = |p: &Option<crate::model::rows::Period>| {
        p.map(|p| {
            format!(
                "{} to {}",
                p.start_date.map_or("?".to_string(), |d| d.to_string()),
                p.end_date.map_or("?".to_string(), |d| d.to_string())
            )
        })
        .unwrap_or_else(|| "-".to_string())
    };
    lines.push(Line::styled(
        format!(
            "train {}  eval {}",
            period(&row.train_period),
            period(&row.eval_period)
        ),
        theme.text,
    ));
    let population = data
        .fingerprints
        .iter()
        .find(|f| f.experiment_id == entry.id);
    lines.push(Line::styled(
        match population {
            None => "population: no backtest rows".to_string(),
            Some(fingerprint) => {
                let ranked = app.visible_entries();
                let reference = ranked.iter().find_map(|e| {
                    data.fingerprints
                        .iter()
                        .find(|f| f.experiment_id == e.id)
                        .map(|f| (e, f))
                });
                let note = match reference {
                    Some((first, f)) if f.keys != fingerprint.keys => format!(
                        " (not comparable with {}: evaluated on different rows)",
                        safe(&first.name)
                    ),
                    _ => String::new(),
                };
                format!(
                    "population: {}{note}",
                    crate::format::fingerprint_text(fingerprint)
                )
            }
        },
        theme.text,
    ));
    if !row.tags.is_empty() {
        let tags: Vec<_> = row.tags.iter().map(|tag| safe(tag)).collect();
        lines.push(Line::styled(
            format!("tags: {}", tags.join(", ")),
            theme.muted,
        ));
    }
    // JSON escapes control characters, but not DEL, C1 or bidi overrides.
    if let Some(model) = row.config_json.get("model") {
        let model = model.to_string();
        lines.push(Line::styled(
            format!("model: {}", terminal_safe_lines(&model)),
            theme.text,
        ));
    }
    if let Some(recency) = row.config_json.get("recency") {
        let recency = recency.to_string();
        lines.push(Line::styled(
            format!("recency: {}", terminal_safe_lines(&recency)),
            theme.text,
        ));
    }
    if let Some(results) = &row.results_json {
        for (title, key) in [("by tier", "by_tier"), ("by line range", "by_line_range")] {
            if let Some(map) = results[key].as_object() {
                let parts: Vec<String> = map
                    .iter()
                    .map(|(name, v)| {
                        let hit = v["hit_rate"]
                            .as_f64()
                            .map_or("-".to_string(), |h| format!("{:.1}%", h * 100.0));
                        let n = v["samples"]
                            .as_u64()
                            .map_or("-".to_string(), |n| n.to_string());
                        format!("{} {hit} (n={n})", safe(name))
                    })
                    .collect();
                lines.push(Line::styled(
                    format!("{title}: {}", parts.join("  ")),
                    theme.text,
                ));
            }
        }
    }
    if let Some(edges) = crate::format::experiments::edge_text(entry) {
        lines.push(Line::styled(format!("by edge: {edges}"), theme.text));
    }
    for problem in &entry.problems {
        lines.push(Line::styled(format!("⚠ {}", safe(problem)), theme.warning));
    }
    let all = app.all_entries();
    let chain = leaderboard::lineage(&all, &entry.id);
    let lineage = if chain.is_empty() {
        "none (a root experiment)".to_string()
    } else {
        chain
            .iter()
            .map(|e| safe(&e.name))
            .collect::<Vec<_>>()
            .join(" ← ")
    };
    lines.push(Line::styled(
        format!("lineage: {} ← {lineage}", safe(&entry.name)),
        theme.text,
    ));
    lines.push(Line::styled("history:", theme.muted));
    for event in data.events.iter().filter(|e| e.experiment_id == entry.id) {
        lines.push(Line::styled(
            format!(
                "  {} {} → {} by {}{}",
                event.at.format("%Y-%m-%d %H:%M UTC"),
                safe(event.from_status.as_deref().unwrap_or("∅")),
                safe(&event.to_status),
                safe(event.actor.as_deref().unwrap_or("?")),
                event
                    .note
                    .as_ref()
                    .map(|n| format!(": {}", safe(n)))
                    .unwrap_or_default()
            ),
            theme.text,
        ));
    }
    lines
}

pub fn draw(frame: &mut Frame, app: &App, area: Rect) {
    let Some(body) = widgets::panel_body(
        frame,
        app,
        &app.experiments.panel,
        area,
        widgets::PanelText {
            loading: "loading the registry".to_string(),
            empty: "no data".to_string(),
            wanted: "the registry".to_string(),
        },
        |_| None,
    ) else {
        return;
    };
    let area = body.area;
    let theme = app.theme();
    let entries = app.visible_entries();
    let wide = area.width >= 110;
    let show_detail = app.experiments.board.show_detail && !entries.is_empty();
    let (table_area, detail_area) = if !show_detail {
        (area, None)
    } else if area.width >= 160 {
        let [a, b] = Layout::horizontal([Constraint::Percentage(60), Constraint::Percentage(40)])
            .areas(area);
        (a, Some(b))
    } else {
        let [a, b] =
            Layout::vertical([Constraint::Percentage(55), Constraint::Percentage(45)]).areas(area);
        (a, Some(b))
    };
    let filter = &app.experiments.board.filter;
    let position = match entries.len() {
        0 => "0 experiments".to_string(),
        1 => "1 experiment".to_string(),
        n => format!(
            "{} of {n} experiments",
            app.experiments.board.selected.min(n - 1) + 1
        ),
    };
    let title = format!(
        " {position} · sort {} {} · status {}{}{} ",
        app.experiments.board.sort.label(),
        if app.experiments.board.descending {
            "↓"
        } else {
            "↑"
        },
        filter
            .status
            .map(Status::as_str)
            .unwrap_or(if filter.show_hidden { "all" } else { "active" }),
        if filter.search.is_empty() {
            String::new()
        } else {
            format!(" · search \"{}\"", filter.search)
        },
        if app.experiments.board.marked.is_empty() {
            String::new()
        } else {
            format!(" · {} marked", app.experiments.board.marked.len())
        },
    );
    let fingerprints = app
        .experiments
        .panel
        .data
        .as_ref()
        .map_or(&[][..], |data| data.fingerprints.as_slice());
    let populations = crate::registry::population::comparability(&entries, fingerprints);
    let rows = entries.iter().zip(&populations).map(|(entry, population)| {
        let marked = app.experiments.board.marked.contains(&entry.id);
        let mut row_cells = cells(entry, marked, wide, *population);
        // ⧗: a promotion, rollback or archive awaits approval on it.
        let awaiting = app.experiments.panel.data.as_ref().is_some_and(|data| {
            crate::registry::request::pending(&data.events, &entry.id).is_some()
        });
        if awaiting
            && !marked
            && let Some(mark) = row_cells.first_mut()
        {
            *mark = "⧗".to_string();
        }
        Row::new(row_cells.into_iter().map(Cell::from)).style(theme.text)
    });
    // What the source left out (a missing table), on the bottom border.
    let notes = app
        .experiments
        .panel
        .data
        .as_ref()
        .map(|data| data.notes.join("; "))
        .unwrap_or_default();
    let mut block = Block::bordered()
        .title(fit(&title, table_area.width.saturating_sub(2) as usize))
        .border_style(theme.muted);
    if !notes.is_empty() {
        let text = format!(" {notes} ");
        block = block.title_bottom(ratatui::text::Line::styled(
            fit(&text, table_area.width.saturating_sub(2) as usize),
            theme.warning,
        ));
    }
    let table = Table::new(rows, widths(wide))
        .header(Row::new(columns(wide)).style(theme.accent))
        .row_highlight_style(theme.selected)
        .block(block);
    // The body starts after the border and the header row.
    app.experiments.table_body.set(Rect {
        x: table_area.x + 1,
        y: table_area.y + 2,
        width: table_area.width.saturating_sub(2),
        height: table_area.height.saturating_sub(3),
    });
    let mut state = TableState::default().with_selected(if entries.is_empty() {
        None
    } else {
        Some(app.experiments.board.selected)
    });
    frame.render_stateful_widget(table, table_area, &mut state);
    if entries.is_empty() {
        let inner = Rect {
            y: table_area.y + 2,
            height: table_area.height.saturating_sub(3),
            ..table_area.inner(ratatui::layout::Margin::new(1, 0))
        };
        let text = if filter.search.is_empty() {
            "no experiment has this status (f: the next status filter, a: show failed / archived)"
                .to_string()
        } else {
            format!(
                "no experiment matches \"{}\" (/ then Esc clears the search)",
                filter.search
            )
        };
        widgets::message(frame, inner, text, theme.muted);
    }
    if let (Some(detail_area), Some(entry)) =
        (detail_area, entries.get(app.experiments.board.selected))
    {
        let lines = detail_lines(app, entry);
        let scroll = app
            .experiments
            .detail_scroll
            .min(lines.len().saturating_sub(1));
        frame.render_widget(
            Paragraph::new(lines)
                .wrap(Wrap { trim: false })
                .scroll((scroll as u16, 0))
                .block(
                    Block::bordered()
                        .title(" details (Enter hides, J/K scroll) ")
                        .border_style(theme.muted),
                ),
            detail_area,
        );
    }
}
