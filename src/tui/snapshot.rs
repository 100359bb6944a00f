//! `courtside snapshot`: one tab drawn headless at a chosen size and printed
//! as plain text, for Slack posts and bug reports. It builds the app as the
//! dashboard does, runs the same fetches to completion, and renders the same
//! view into an off-screen buffer.

use super::action::{Action, Effect, Tab};
use super::app::App;
use super::data;
use crate::service::Context;
use anyhow::{Result, bail};
use clap::{Args, ValueEnum};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use unicode_width::UnicodeWidthStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TabName {
    Overview,
    Sharpness,
    Drift,
    Experiments,
    Gap,
    Versus,
    Splits,
    Tonight,
}

impl TabName {
    fn tab(self) -> Tab {
        match self {
            TabName::Overview => Tab::Overview,
            TabName::Sharpness => Tab::Sharpness,
            TabName::Drift => Tab::Drift,
            TabName::Experiments => Tab::Experiments,
            TabName::Gap => Tab::Gap,
            TabName::Versus => Tab::Versus,
            TabName::Splits => Tab::Splits,
            TabName::Tonight => Tab::Tonight,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Svg,
}

#[derive(Debug, Args)]
pub struct SnapshotArgs {
    /// The tab to draw.
    #[arg(long, value_enum, default_value = "overview")]
    pub tab: TabName,
    /// The analysis date, YYYY-MM-DD (default: the latest with data).
    #[arg(long)]
    pub date: Option<String>,
    /// The system (default: the production system).
    #[arg(long)]
    pub system: Option<String>,
    /// Columns of the drawing (20-500).
    #[arg(long, default_value_t = 120, allow_negative_numbers = true,
          value_parser = crate::cli::numbers::columns)]
    pub width: u16,
    /// `text` (plain, for Slack and bug reports) or `svg` (the colours and
    /// wide characters as the screen shows them; opens in a browser).
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
    /// Rows of the drawing (5-200).
    #[arg(long, default_value_t = 40, allow_negative_numbers = true,
          value_parser = crate::cli::numbers::rows)]
    pub height: u16,
}

/// Prints the tab; exit 0, or an error when a fetch failed.
pub async fn run(context: &Context, args: &SnapshotArgs) -> Result<i32> {
    if !(20..=500).contains(&args.width) || !(5..=200).contains(&args.height) {
        bail!(
            "--width {} --height {}: the drawing must be 20-500 columns by 5-200 rows",
            args.width,
            args.height
        );
    }
    let date = match args.date.as_deref() {
        Some(text) => Some(
            crate::source::canonical::parse_date(text.trim()).ok_or_else(|| {
                anyhow::anyhow!("--date: `{text}` is not a date (expected YYYY-MM-DD)")
            })?,
        ),
        None => None,
    };
    if let Some(system) = &args.system {
        crate::service::check_system(context.source.as_ref(), system).await?;
    }
    let mut app = super::new_app(context, args.system.as_deref(), date).await?;
    let effects = app.start();
    settle(context, &mut app, effects).await?;
    let effects = app.update(Action::SelectTab(args.tab.tab()));
    settle(context, &mut app, effects).await?;
    match args.format {
        Format::Text => print!("{}", draw(&app, args.width, args.height)?),
        Format::Svg => print!("{}", draw_svg(&app, args.width, args.height)?),
    }
    Ok(0)
}

/// Runs every fetch the app asks for, and those their answers ask for, to the end.
async fn settle(context: &Context, app: &mut App, mut effects: Vec<Effect>) -> Result<()> {
    let thresholds = &context.config.thresholds;
    let production = &context.config.production_system;
    // A fetch's answer may ask for another (the Gap tab's default experiment
    // comes with the registry); a handful of rounds covers every chain.
    for _ in 0..8 {
        let mut next = Vec::new();
        for effect in effects {
            if let Effect::Fetch {
                what,
                request,
                selection,
                experiment,
                ..
            } = effect
            {
                let result = data::load(
                    what,
                    context.source.as_ref(),
                    &selection,
                    experiment.as_deref(),
                    production,
                    crate::service::comparisons::Judging {
                        thresholds,
                        margin_pp: context.config.promotion.non_inferiority_pp.get(),
                    },
                )
                .await;
                let result = match result {
                    Ok(mut payload) => {
                        let state = context.config.embedded_path().ok();
                        let now = crate::config::game_day::clock();
                        let source = context.source.as_ref();
                        data::add_silences(&mut payload, source, state.as_deref(), now).await;
                        Ok(payload)
                    }
                    Err(error) => Err(format!("{error:#}")),
                };
                if let Err(error) = &result {
                    bail!("{what:?}: {error}");
                }
                next.extend(app.update(Action::Loaded {
                    what,
                    request,
                    at: chrono::Utc::now(),
                    result,
                }));
            }
        }
        if next.is_empty() {
            return Ok(());
        }
        effects = next;
    }
    Ok(())
}

/// The app drawn into a `width` x `height` buffer, as lines of plain text
/// without trailing blanks.
pub fn draw(app: &App, width: u16, height: u16) -> Result<String> {
    let mut terminal = Terminal::new(TestBackend::new(width, height))?;
    terminal.draw(|frame| super::view::draw(frame, app))?;
    Ok(plain_text(terminal.backend().buffer()))
}

/// The app drawn into a `width` x `height` buffer.
pub fn draw_buffer(app: &App, width: u16, height: u16) -> Result<Buffer> {
    let mut terminal = Terminal::new(TestBackend::new(width, height))?;
    terminal.draw(|frame| super::view::draw(frame, app))?;
    Ok(terminal.backend().buffer().clone())
}

/// The app drawn as an SVG picture, in its theme's colours.
pub fn draw_svg(app: &App, width: u16, height: u16) -> Result<String> {
    let buffer = draw_buffer(app, width, height)?;
    Ok(super::svg::render(
        &buffer,
        svg_defaults(app),
        &picture_title(app),
    ))
}

/// What the picture is of: the tab, system and date.
pub fn picture_title(app: &App) -> String {
    format!(
        "courtside {:?}: {} on {}",
        app.tab, app.selection.system, app.selection.date
    )
}

/// The theme's own background and text colour, else a dark terminal's.
pub fn svg_defaults(app: &App) -> super::svg::Defaults {
    let theme = app.theme();
    let fallback = super::svg::Defaults::default();
    super::svg::Defaults {
        foreground: theme.text.fg.unwrap_or(fallback.foreground),
        background: theme.background.bg.unwrap_or(fallback.background),
    }
}

/// A buffer's symbols row by row; the cell after a wide character is skipped.
pub fn plain_text(buffer: &Buffer) -> String {
    let area = buffer.area;
    let mut out = String::new();
    for y in area.top()..area.bottom() {
        let mut line = String::new();
        let mut skip = 0usize;
        for x in area.left()..area.right() {
            if skip > 0 {
                skip -= 1;
                continue;
            }
            let symbol = buffer[(x, y)].symbol();
            line.push_str(symbol);
            skip = symbol.width().saturating_sub(1);
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}
