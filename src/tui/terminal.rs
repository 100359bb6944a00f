//! Terminal set-up and restoration: raw mode, the alternate screen, mouse
//! capture and the cursor, restored on quit, on error and on panic (the panic
//! message prints after the alternate screen is left).

use anyhow::Result;
use crossterm::cursor::{Hide, Show};
use crossterm::event::{DisableMouseCapture, EnableMouseCapture};
use crossterm::execute;
use crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use std::io::{Stdout, stdout};

pub type Screen = Terminal<CrosstermBackend<Stdout>>;

/// Puts the terminal back as it was; safe to call more than once.
pub fn restore() {
    let _ = disable_raw_mode();
    let _ = execute!(stdout(), DisableMouseCapture, LeaveAlternateScreen, Show);
}

/// Enters the dashboard's terminal mode and installs a panic hook that restores it first.
pub fn init(mouse: bool) -> Result<Screen> {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore();
        previous(info);
    }));
    enable_raw_mode()?;
    let mut out = stdout();
    if let Err(error) = execute!(out, EnterAlternateScreen, Hide) {
        restore();
        return Err(error.into());
    }
    if mouse {
        let _ = execute!(out, EnableMouseCapture);
    }
    match Terminal::new(CrosstermBackend::new(out)) {
        Ok(terminal) => Ok(terminal),
        Err(error) => {
            restore();
            Err(error.into())
        }
    }
}

/// Sets the terminal's (and tmux's pane) title; a terminal that cannot is
/// left as it is.
pub fn set_title(title: &str) {
    let _ = execute!(stdout(), crossterm::terminal::SetTitle(title));
}

/// Puts `text` on the terminal's clipboard with OSC 52 (understood by most
/// terminals, over SSH too; inside tmux it needs `set-clipboard on`).
pub fn copy_to_clipboard(text: &str) -> std::io::Result<()> {
    use base64::Engine;
    use std::io::Write;
    let encoded = base64::engine::general_purpose::STANDARD.encode(text);
    let mut out = stdout();
    write!(out, "\x1b]52;c;{encoded}\x07")?;
    out.flush()
}
