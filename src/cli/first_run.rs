//! The first run's progress while the demo dataset is built: on a terminal,
//! one line rewritten in place (at most ten times a second) with a bar, the
//! season and the day being written and the time left, then the index
//! builds; elsewhere (a log, a pipe) only the lines that start and end the
//! build.

use crate::demo::BuildProgress;
use std::io::{IsTerminal, Write};
use std::time::{Duration, Instant};

/// Draws the progress of one build on stderr.
pub struct ProgressLine {
    on_terminal: bool,
    started: Instant,
    drawn: Option<Instant>,
}

impl Default for ProgressLine {
    fn default() -> Self {
        Self::new()
    }
}

impl ProgressLine {
    pub fn new() -> ProgressLine {
        ProgressLine {
            on_terminal: std::io::stderr().is_terminal(),
            started: Instant::now(),
            drawn: None,
        }
    }

    /// Takes one report of the build.
    pub fn report(&mut self, progress: BuildProgress) {
        if !self.on_terminal {
            return;
        }
        let due = self
            .drawn
            .is_none_or(|at| at.elapsed() >= Duration::from_millis(100));
        if matches!(progress, BuildProgress::Days { .. }) && !due {
            return;
        }
        let width = crossterm::terminal::size().map_or(80, |(columns, _)| columns);
        let text = progress_text(&progress, self.started.elapsed(), usize::from(width));
        self.drawn = Some(Instant::now());
        let mut err = std::io::stderr().lock();
        let _ = write!(err, "\r\x1b[2K{text}");
        let _ = err.flush();
    }

    /// Ends the line (on a terminal) before the next message.
    pub fn finish(&self) {
        if self.on_terminal && self.drawn.is_some() {
            eprintln!();
        }
    }
}

/// The progress line for `progress` after `elapsed`, at most `width`
/// columns: `first run [████░░░░]  42%  season 2 of 3 (2024-25), 2025-01-14, about 2 s left`.
/// The time left is said once a tenth is written (before that it is a guess).
pub fn progress_text(progress: &BuildProgress, elapsed: Duration, width: usize) -> String {
    let &BuildProgress::Days {
        done,
        total,
        day,
        season_year,
        season,
        seasons,
    } = progress
    else {
        return fit(
            "courtside: first run: every day written; building the indexes…",
            width,
        );
    };
    let total = total.max(1);
    let share = f64::from(done.min(total)) / f64::from(total);
    let left = (done * 10 >= total).then(|| {
        let seconds = elapsed.as_secs_f64() * (1.0 - share) / share.max(f64::EPSILON);
        if seconds < 1.5 {
            ", about 1 s left".to_string()
        } else {
            format!(", about {:.0} s left", seconds)
        }
    });
    let words = format!(
        " {:>3.0}%  season {season} of {seasons} ({}-{:02}), {day}{}",
        share * 100.0,
        season_year,
        (season_year + 1) % 100,
        left.unwrap_or_default()
    );
    let prefix = "courtside: first run ";
    // The bar takes what the words leave, 10 to 30 cells.
    let room = width.saturating_sub(prefix.len() + words.chars().count() + 2);
    let cells = room.clamp(10, 30);
    let filled = ((share * cells as f64).round() as usize).min(cells);
    let bar = format!("[{}{}]", "█".repeat(filled), "░".repeat(cells - filled));
    fit(&format!("{prefix}{bar}{words}"), width)
}

/// `text` cut to `width` characters (the line is rewritten in place, so it
/// must not wrap).
fn fit(text: &str, width: usize) -> String {
    text.chars().take(width.max(1)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn days(done: u32, total: u32) -> BuildProgress {
        BuildProgress::Days {
            done,
            total,
            day: NaiveDate::from_ymd_opt(2025, 1, 14).unwrap(),
            season_year: 2024,
            season: 2,
            seasons: 3,
        }
    }

    #[test]
    fn the_line_has_a_bar_the_season_the_day_and_the_time_left() {
        let text = progress_text(&days(500, 1000), Duration::from_secs(3), 100);
        // At 100 columns the bar gives way to the words.
        assert_eq!(
            text,
            "courtside: first run [██████████░░░░░░░░░]  50%  season 2 of 3 (2024-25), 2025-01-14, about 3 s left"
        );
        assert!(text.chars().count() <= 100);
        let wide = progress_text(&days(500, 1000), Duration::from_secs(3), 200);
        assert!(wide.ends_with("2025-01-14, about 3 s left"), "{wide}");
        assert!(wide.contains("[███████████████░░░░░░░░░░░░░░░]"), "{wide}");
    }

    #[test]
    fn no_time_left_is_guessed_before_a_tenth_is_written() {
        let text = progress_text(&days(50, 1000), Duration::from_millis(300), 200);
        assert!(
            text.contains("  5%  season 2 of 3 (2024-25), 2025-01-14"),
            "{text}"
        );
        assert!(!text.contains("left"), "{text}");
        let late = progress_text(&days(990, 1000), Duration::from_secs(5), 200);
        assert!(late.contains("about 1 s left"), "{late}");
    }

    #[test]
    fn the_line_never_wraps_and_the_indexes_are_said() {
        for width in [20, 40, 80, 120] {
            let text = progress_text(&days(700, 1000), Duration::from_secs(2), width);
            assert!(text.chars().count() <= width, "{width}: {text}");
        }
        let text = progress_text(&BuildProgress::Indexing, Duration::from_secs(2), 200);
        assert!(text.contains("building the indexes"), "{text}");
    }
}
