//! The first run's progress line while the demo dataset is built: on a
//! terminal, one line rewritten in place (at most ten times a second) with
//! the share of the seasons written, then the index builds; elsewhere (a
//! log, a pipe) only the lines that start and end the build.

use crate::demo::BuildProgress;
use std::io::{IsTerminal, Write};
use std::time::{Duration, Instant};

/// Draws the progress of one build on stderr.
pub struct ProgressLine {
    on_terminal: bool,
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
        let text = match progress {
            BuildProgress::Days { done, total } if due => {
                format!(
                    "{:>3}% of the seasons written",
                    u64::from(done) * 100 / u64::from(total.max(1))
                )
            }
            BuildProgress::Indexing => "100% written; building the indexes".to_string(),
            BuildProgress::Days { .. } => return,
        };
        self.drawn = Some(Instant::now());
        let mut err = std::io::stderr().lock();
        let _ = write!(err, "\r\x1b[2Kcourtside: first run: {text}…");
        let _ = err.flush();
    }

    /// Ends the line (on a terminal) before the next message.
    pub fn finish(&self) {
        if self.on_terminal && self.drawn.is_some() {
            eprintln!();
        }
    }
}
