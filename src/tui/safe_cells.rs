//! The last guard of the screen: after a frame is drawn, no cell may hold a
//! character the terminal would obey rather than show. ratatui already
//! leaves out control characters (ESC, BEL, NUL, C1); the bidirectional
//! overrides and isolates (U+202A-U+202E, U+2066-U+2069) it keeps, as
//! zero-width symbols joined to a cell, and from there they would reorder
//! the rest of the line. Stored strings are escaped where they are drawn
//! (visible as `\u{202e}`); this takes out whatever reached a cell anyway.

use crate::format::needs_escape;
use ratatui::buffer::Buffer;

/// Removes from every cell of `buffer` the characters a terminal would act
/// on; a cell left empty by that becomes a space.
pub fn scrub(buffer: &mut Buffer) {
    for cell in &mut buffer.content {
        if !cell.symbol().chars().any(needs_escape) {
            continue;
        }
        let kept: String = cell
            .symbol()
            .chars()
            .filter(|c| !needs_escape(*c))
            .collect();
        cell.set_symbol(if kept.is_empty() { " " } else { kept.as_str() });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::layout::Rect;

    #[test]
    fn overrides_and_controls_leave_the_cells() {
        let mut buffer = Buffer::empty(Rect::new(0, 0, 4, 1));
        buffer.content[0].set_symbol("a\u{202e}");
        buffer.content[1].set_symbol("\u{2066}");
        buffer.content[2].set_symbol("\x1b");
        buffer.content[3].set_symbol("é");
        scrub(&mut buffer);
        let symbols: Vec<&str> = buffer.content.iter().map(|cell| cell.symbol()).collect();
        assert_eq!(symbols, ["a", " ", " ", "é"]);
    }
}
