//! The dashboard: the only module that knows ratatui and crossterm. An Elm
//! loop: terminal events, fetch results and a clock become `Action`s; `App`
//! updates and asks for `Effect`s; the runtime here carries them out. It
//! redraws only after a change, at most ~30 frames a second.

pub mod action;
pub mod app;
pub mod billing;
pub mod data;
pub mod event;
pub mod export;
pub mod geometry;
pub mod keymap;
pub mod palette;
pub mod safe_cells;
pub mod saved_view;
pub mod snapshot;
pub mod state;
pub mod svg;
pub mod table_text;
pub mod tabs;
pub mod terminal;
pub mod theme;
pub mod view;
pub mod widgets;

use crate::service::Context;
use action::Selection;
use anyhow::{Result, anyhow};
use app::{App, AppSetup, Settings};
use chrono::Utc;

/// Opens the dashboard on the context's source until the user quits: on
/// `date`, or (`None`) on the latest date with data, which it then follows.
pub async fn run(
    context: &Context,
    started: std::time::Instant,
    date: Option<chrono::NaiveDate>,
    fresh: bool,
) -> Result<i32> {
    let config = &context.config;
    let mut app = new_app(context, None, date).await?;
    let view_path = saved_view::view_path();
    if !fresh && let Some(path) = &view_path {
        restore_view(context, &mut app, path, date).await?;
    }
    let mut screen = terminal::init(config.mouse)?;
    let outcome = event::run_loop(
        &mut screen,
        &mut app,
        context.source.clone(),
        config.clone(),
        started,
    )
    .await;
    terminal::restore();
    if let Some(path) = &view_path
        && let Err(error) = saved_view::SavedView::of(&app).save(path)
    {
        tracing::warn!("the view was not saved to {}: {error}", path.display());
    }
    outcome.map(|()| 0)
}

/// What a first session on the demo data says: where to look.
pub const DEMO_ORIENTATION: &str =
    "demo: `:01-24` an outage, `:03-08` a drift alarm, `:versus catboost_v9_shadow`, `?` keys";

/// Applies the view saved by the last session; a system other than the
/// one opened gets its own latest date (unless `--date` chose one).
async fn restore_view(
    context: &Context,
    app: &mut App,
    path: &std::path::Path,
    date: Option<chrono::NaiveDate>,
) -> Result<()> {
    let view = match saved_view::SavedView::load(path) {
        Ok(Some(view)) => view,
        Ok(None) => {
            // A first session on the demo: where its stories are.
            if app.settings.is_demo {
                app.notice = Some(DEMO_ORIENTATION.to_string());
            }
            return Ok(());
        }
        Err(problem) => {
            tracing::warn!("saved view ignored: {problem}");
            app.notice = Some(format!("saved view ignored: {problem}"));
            return Ok(());
        }
    };
    let opened = app.selection.system.clone();
    for skipped in view.apply(app) {
        tracing::info!("saved view: {skipped} not restored");
    }
    if app.selection.system != opened && date.is_none() {
        let latest =
            crate::service::latest_date(context.source.as_ref(), &app.selection.system).await?;
        app.latest_date = latest;
        if let Some(latest) = latest {
            app.selection.date = latest;
        }
    }
    Ok(())
}

/// The app as it starts on the context's source: the production system (or
/// `system`) on its latest date with data, which it follows (or on `date`,
/// where it stays).
pub async fn new_app(
    context: &Context,
    system: Option<&str>,
    date: Option<chrono::NaiveDate>,
) -> Result<App> {
    let config = &context.config;
    let source = context.source.as_ref();
    let systems = source.systems().await?;
    let system = match system {
        Some(chosen) => chosen.to_string(),
        None if systems.contains(&config.production_system) || systems.is_empty() => {
            config.production_system.clone()
        }
        None => systems[0].clone(),
    };
    // The same look-up as the CLI's default date.
    let latest_date = crate::service::latest_date(source, &system).await?;
    let now = Utc::now();
    let keymap = keymap_of(config)?;
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let (themes, problems) =
        theme::load_themes(crate::config::user_theme_dir().as_deref(), no_color);
    for problem in &problems {
        tracing::warn!("theme skipped: {problem}");
    }
    let info = source.info();
    let mut app = App::new(AppSetup {
        settings: Settings {
            source_label: info.label,
            is_demo: info.is_demo,
            refresh_secs: config.refresh_secs.0,
            read_only: config.read_only,
            thresholds: config.thresholds.clone(),
            production_system: config.production_system.clone(),
            require_approval: config.promotion.require_approval,
        },
        selection: Selection {
            date: date.or(latest_date).unwrap_or_else(|| now.date_naive()),
            system,
        },
        latest_date,
        follows_latest: date.is_none(),
        systems,
        themes,
        theme_name: config.theme.clone(),
        keymap,
        now,
    });
    if let Some(problem) = problems.first() {
        app.notice = Some(format!("theme skipped: {problem}"));
    }
    Ok(app)
}

/// The keymap of the config, or an error that names the file, the key and
/// its line. Every command checks it at start, so a bad key is refused
/// before anything runs, not only when the dashboard opens.
pub fn keymap_of(config: &crate::config::Config) -> anyhow::Result<keymap::Keymap> {
    keymap::Keymap::new(&config.keys).map_err(|error| {
        // The key named first in the message that the config sets.
        let named = config
            .keys
            .keys()
            .filter_map(|name| {
                let at = error
                    .find(&format!("keys.{name}:"))
                    .or_else(|| error.find(&format!("`{name}`")))?;
                Some((at, name))
            })
            .min()
            .map(|(_, name)| format!("keys.{name}"));
        anyhow!(match named {
            Some(path) => config.located(&path, &error),
            None => error,
        })
    })
}
