//! Themes: YAML files (the bundled `themes/` and the user's config directory)
//! turned into ratatui styles. `NO_COLOR` drops every colour; levels always
//! carry a word and a symbol too, so colour never holds meaning alone.

use crate::model::AlertLevel;
use ratatui::style::{Color, Modifier, Style};
use serde::Deserialize;
use std::path::Path;

const BUNDLED: [&str; 3] = [
    include_str!("../../themes/dark.yaml"),
    include_str!("../../themes/light.yaml"),
    include_str!("../../themes/high-contrast.yaml"),
];

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
struct ThemeFile {
    name: String,
    text: String,
    muted: String,
    accent: String,
    header_bg: String,
    selected_bg: String,
    healthy: String,
    info: String,
    warning: String,
    critical: String,
    /// The whole screen's background (light themes set one, so their dark
    /// text never lands on a dark terminal); the terminal's own when absent.
    #[serde(default)]
    background: Option<String>,
}

/// A theme's styles.
#[derive(Debug, Clone, PartialEq)]
pub struct Theme {
    pub name: String,
    pub text: Style,
    pub muted: Style,
    pub accent: Style,
    pub header: Style,
    pub selected: Style,
    pub healthy: Style,
    pub info: Style,
    pub warning: Style,
    pub critical: Style,
    /// Colour for chart lines and bars.
    pub series: [Color; 3],
    /// Under everything (default: the terminal's).
    pub background: Style,
}

fn parse_color(text: &str) -> Result<Color, String> {
    text.parse::<Color>()
        .map_err(|_| format!("`{text}` is not a colour (#rrggbb or a name)"))
}

impl Theme {
    fn from_file(file: &ThemeFile, no_color: bool) -> Result<Theme, String> {
        if no_color {
            return Ok(Theme::plain(&file.name));
        }
        let fg = |text: &str| parse_color(text).map(|color| Style::default().fg(color));
        let accent = parse_color(&file.accent)?;
        let healthy = parse_color(&file.healthy)?;
        let warning = parse_color(&file.warning)?;
        Ok(Theme {
            name: file.name.clone(),
            text: fg(&file.text)?,
            muted: fg(&file.muted)?,
            accent: Style::default().fg(accent).add_modifier(Modifier::BOLD),
            header: Style::default()
                .bg(parse_color(&file.header_bg)?)
                .fg(parse_color(&file.text)?),
            selected: Style::default()
                .bg(parse_color(&file.selected_bg)?)
                .add_modifier(Modifier::BOLD),
            healthy: Style::default().fg(healthy).add_modifier(Modifier::BOLD),
            info: fg(&file.info)?.add_modifier(Modifier::BOLD),
            warning: Style::default().fg(warning).add_modifier(Modifier::BOLD),
            critical: fg(&file.critical)?.add_modifier(Modifier::BOLD | Modifier::REVERSED),
            series: [accent, warning, healthy],
            background: match &file.background {
                Some(colour) => Style::default()
                    .bg(parse_color(colour)?)
                    .fg(parse_color(&file.text)?),
                None => Style::default(),
            },
        })
    }

    /// No colours at all: emphasis by bold, reverse and underline only.
    pub fn plain(name: &str) -> Theme {
        let none = Style::default();
        Theme {
            name: name.to_string(),
            text: none,
            muted: none,
            accent: none.add_modifier(Modifier::BOLD),
            header: none.add_modifier(Modifier::REVERSED),
            selected: none.add_modifier(Modifier::REVERSED),
            healthy: none.add_modifier(Modifier::BOLD),
            info: none.add_modifier(Modifier::BOLD),
            warning: none.add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
            critical: none.add_modifier(Modifier::BOLD | Modifier::REVERSED),
            series: [Color::Reset, Color::Reset, Color::Reset],
            background: none,
        }
    }

    pub fn level(&self, level: AlertLevel) -> Style {
        match level {
            AlertLevel::Healthy => self.healthy,
            AlertLevel::Info => self.info,
            AlertLevel::Warning => self.warning,
            AlertLevel::Critical | AlertLevel::Emergency => self.critical,
            AlertLevel::Unknown => self.muted,
        }
    }
}

/// The bundled themes, then the user's (`*.yaml` in `dir`). A broken user
/// theme is skipped with a message naming the file, never a crash.
pub fn load_themes(user_dir: Option<&Path>, no_color: bool) -> (Vec<Theme>, Vec<String>) {
    let mut themes = Vec::new();
    let mut problems = Vec::new();
    for text in BUNDLED {
        if let Ok(file) = serde_norway::from_str::<ThemeFile>(text)
            && let Ok(theme) = Theme::from_file(&file, no_color)
        {
            themes.push(theme);
        }
    }
    if let Some(dir) = user_dir
        && let Ok(entries) = std::fs::read_dir(dir)
    {
        let mut paths: Vec<_> = entries
            .filter_map(|entry| entry.ok().map(|e| e.path()))
            .filter(|path| path.extension().is_some_and(|ext| ext == "yaml"))
            .collect();
        paths.sort();
        for path in paths {
            let parsed = std::fs::read_to_string(&path)
                .map_err(|error| error.to_string())
                .and_then(|text| {
                    serde_norway::from_str::<ThemeFile>(&text).map_err(|error| error.to_string())
                })
                .and_then(|file| Theme::from_file(&file, no_color));
            match parsed {
                Ok(theme) => {
                    themes.retain(|existing| existing.name != theme.name);
                    themes.push(theme);
                }
                Err(error) => problems.push(format!("{}: {error}", path.display())),
            }
        }
    }
    if themes.is_empty() {
        themes.push(Theme::plain("plain"));
    }
    (themes, problems)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_themes_load_and_no_color_drops_colours() {
        let (themes, problems) = load_themes(None, false);
        assert!(problems.is_empty());
        let names: Vec<&str> = themes.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["dark", "light", "high-contrast"]);
        let (plain, _) = load_themes(None, true);
        assert!(
            plain
                .iter()
                .all(|t| t.text.fg.is_none() && t.critical.fg.is_none())
        );
        // The light theme paints its own background.
        let light = themes.iter().find(|t| t.name == "light").unwrap();
        assert!(light.background.bg.is_some());
    }

    /// WCAG's relative luminance of `#rrggbb`.
    fn luminance(hex: &str) -> f64 {
        let channel = |at: usize| {
            let value = f64::from(u8::from_str_radix(&hex[at..at + 2], 16).unwrap()) / 255.0;
            if value <= 0.03928 {
                value / 12.92
            } else {
                ((value + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5)
    }

    fn contrast(a: &str, b: &str) -> f64 {
        let (a, b) = (luminance(a), luminance(b));
        (a.max(b) + 0.05) / (a.min(b) + 0.05)
    }

    #[test]
    fn text_and_muted_text_read_at_4_5_to_1_on_every_background_of_their_theme() {
        for source in BUNDLED {
            let file: ThemeFile = serde_norway::from_str(source).unwrap();
            // A theme without its own background is drawn on the
            // terminal's: black for the dark ones.
            let screen = file
                .background
                .clone()
                .unwrap_or_else(|| "#000000".to_string());
            for (what, colour) in [("text", &file.text), ("muted", &file.muted)] {
                for (under, background) in [
                    ("header_bg", &file.header_bg),
                    ("selected_bg", &file.selected_bg),
                    ("background", &screen),
                ] {
                    let ratio = contrast(colour, background);
                    assert!(
                        ratio >= 4.5,
                        "{}: {what} {colour} on {under} {background} is {ratio:.2}:1",
                        file.name
                    );
                }
            }
        }
    }

    #[test]
    fn a_broken_user_theme_is_reported_not_fatal() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("mine.yaml"),
            "name: mine\ntext: notacolour\n",
        )
        .unwrap();
        let (themes, problems) = load_themes(Some(dir.path()), false);
        assert_eq!(themes.len(), 3);
        assert_eq!(problems.len(), 1);
        assert!(problems[0].contains("mine.yaml"));
    }
}
