//! Small drawing helpers every panel shares: the spinner, fitting and
//! padding text to display width (terminal-safe: a stored name's control
//! characters shown as escapes), ages, centred overlays, the kept-data error
//! line, the whole-panel message and the hit-rate bar.

use crate::format::{terminal_safe, terminal_safe_lines};
use crate::model::Rate;
use crate::tui::app::App;
use crate::tui::theme::Theme;
use chrono::{DateTime, Utc};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use unicode_width::UnicodeWidthStr;

/// Braille spinner frames, advanced by the clock.
const SPINNER: [&str; 10] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

pub fn spinner(app: &App) -> &'static str {
    SPINNER[(app.now.timestamp() as usize) % SPINNER.len()]
}

/// Truncates `text` to `width` display columns (wide characters count double),
/// ending with `…` when cut; control characters and bidi overrides are
/// shown as escapes (`\x1b`) first.
pub fn fit(text: &str, width: usize) -> String {
    let text = terminal_safe(text);
    if text.width() <= width {
        return text.into_owned();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push('…');
    out
}

/// Breaks `text` into lines of at most `width` display columns at its
/// spaces, so no word is cut; a single word wider than a line is fitted
/// (ends in `…`). Empty text is one empty line.
pub fn wrap_words(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut lines = vec![String::new()];
    for word in terminal_safe(text).split_whitespace() {
        let line = lines.last_mut().expect("one line at least");
        let needed = if line.is_empty() { 0 } else { line.width() + 1 };
        if line.is_empty() || needed + word.width() <= width {
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        } else {
            lines.push(word.to_string());
        }
    }
    lines.into_iter().map(|line| fit(&line, width)).collect()
}

/// Pads `text` with spaces to `width` display columns (after fitting it).
pub fn pad(text: &str, width: usize) -> String {
    let fitted = fit(text, width);
    let fill = width.saturating_sub(fitted.width());
    format!("{fitted}{}", " ".repeat(fill))
}

/// `12s`, `4m`, `2h`.
pub fn human_age(seconds: i64) -> String {
    if seconds < 60 {
        format!("{seconds}s")
    } else if seconds < 3600 {
        format!("{}m", seconds / 60)
    } else {
        format!("{}h", seconds / 3600)
    }
}

/// A centred rectangle of at most `width` x `height`.
pub fn centred(area: Rect, width: u16, height: u16) -> Rect {
    let width = width.min(area.width);
    let height = height.min(area.height);
    Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + (area.height - height) / 2,
        width,
        height,
    }
}

/// The error line shown in place above a panel that kept its last good data
/// (loaded at `loaded_at`).
pub fn error_line<'a>(loaded_at: Option<DateTime<Utc>>, app: &App, error: &'a str) -> Line<'a> {
    let kept = loaded_at
        .map(|at| format!(" (showing data from {} UTC)", at.format("%H:%M:%S")))
        .unwrap_or_default();
    Line::from(vec![
        Span::styled(" ✖ refresh failed: ", app.theme().critical),
        Span::styled(terminal_safe(error), app.theme().text),
        Span::styled(kept, app.theme().muted),
    ])
}

/// A message filling a panel ("no data", "loading…"), terminal-safe.
pub fn message(frame: &mut Frame, area: Rect, text: String, style: Style) {
    let text = terminal_safe_lines(&text).into_owned();
    frame.render_widget(
        Paragraph::new(text).style(style).wrap(Wrap { trim: true }),
        area,
    );
}

/// A hit-rate bar on a 0-100% scale with its interval drawn as `[` `]`.
pub fn rate_line<'a>(label: &str, rate: &Rate, width: usize, theme: &Theme) -> Line<'a> {
    let mut cells = vec!['·'; width];
    if let (Some(pct), Some(interval)) = (rate.pct, rate.interval) {
        let at = |value: f64| ((value / 100.0) * (width.saturating_sub(1)) as f64).round() as usize;
        for cell in cells.iter_mut().take(at(pct) + 1) {
            *cell = '█';
        }
        if let Some(cell) = cells.get_mut(at(interval.low)) {
            *cell = '[';
        }
        if let Some(cell) = cells.get_mut(at(interval.high)) {
            *cell = ']';
        }
    }
    Line::from(vec![
        Span::styled(pad(label, 24), theme.text),
        Span::styled(cells.into_iter().collect::<String>(), theme.accent),
        Span::styled(format!(" {rate}"), theme.text),
    ])
}

#[cfg(test)]
mod wrap_tests {
    use super::wrap_words;

    #[test]
    fn words_are_never_cut_and_each_line_fits() {
        let lines = wrap_words("p=0.923 vs break-even", 10);
        assert_eq!(lines, ["p=0.923 vs", "break-even"]);
        let lines = wrap_words("real lines; 1,244 est. left out", 12);
        assert_eq!(lines, ["real lines;", "1,244 est.", "left out"]);
        assert_eq!(wrap_words("", 5), [""]);
        assert_eq!(wrap_words("unbreakable-word", 6), ["unbre…"]);
    }
}
