//! Terminal-safe text. A stored string (an experiment's name, hypothesis,
//! tags or notes, an actor, a system id, a player, a message read from the
//! store or the warehouse) reaches the viewer's terminal when it is printed,
//! and a terminal acts on what it is sent: `ESC[2J` clears the screen,
//! `ESC]0;…BEL` retitles the window, OSC 52 writes the clipboard, and the
//! bidirectional overrides make text read in another order than it is.
//! Every such character becomes a visible escape instead (`\x1b`, `\x07`,
//! `\x00`, `\u{9b}`, `\u{202e}`), so the text is shown, never obeyed.
//!
//! [`terminal_safe`] is for one field on one line: line breaks and tabs are
//! escaped too (`\n`, `\t`, `\r`), so a field cannot start a line of its own.
//! [`terminal_safe_lines`] is for a whole report of several lines: its line
//! breaks stay, everything else is escaped. Backslashes are left as they
//! are, so escaping twice changes nothing. JSON output needs neither
//! (serde_json escapes control characters itself).

use std::borrow::Cow;
use std::fmt::Write as _;

/// Whether `c` must not reach a terminal as it is: the C0 controls (NUL to
/// US, among them BEL, ESC, tab and line breaks), DEL, the C1 controls
/// (U+0080 to U+009F, CSI among them) and the bidirectional embeddings,
/// overrides and isolates (U+202A to U+202E, U+2066 to U+2069).
pub fn needs_escape(c: char) -> bool {
    c.is_control() || is_bidi_control(c)
}

/// The bidirectional embeddings, overrides and isolates.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// `text` for one field on one line: every control character (line breaks
/// and tabs included) and bidirectional override as a visible escape.
/// Borrowed when there is nothing to escape.
pub fn terminal_safe(text: &str) -> Cow<'_, str> {
    escape(text, false)
}

/// `text` of several lines: as [`terminal_safe`], but its line breaks
/// (`\n`) stay line breaks. A carriage return is escaped (it would let a
/// line overwrite itself).
pub fn terminal_safe_lines(text: &str) -> Cow<'_, str> {
    escape(text, true)
}

/// Whether `c` is escaped, `\n` kept when `keep_newlines`.
fn escaped(c: char, keep_newlines: bool) -> bool {
    needs_escape(c) && !(keep_newlines && c == '\n')
}

fn escape(text: &str, keep_newlines: bool) -> Cow<'_, str> {
    let Some(first) = text.find(|c: char| escaped(c, keep_newlines)) else {
        return Cow::Borrowed(text);
    };
    let mut out = String::with_capacity(text.len() + 8);
    out.push_str(&text[..first]);
    for c in text[first..].chars() {
        if escaped(c, keep_newlines) {
            push_escape(&mut out, c);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// The visible form of `c`: `\n`, `\r`, `\t`, `\x1b` below U+0080, else
/// `\u{9b}`.
fn push_escape(out: &mut String, c: char) {
    match c {
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        c if u32::from(c) < 0x80 => {
            let _ = write!(out, "\\x{:02x}", u32::from(c));
        }
        c => {
            let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_is_borrowed_as_it_is() {
        for text in [
            "",
            "catboost_v8",
            "ＷＩＤＥ_実験_名前",
            "C:\\models\\v8",
            "émoji 🏀",
        ] {
            assert!(matches!(terminal_safe(text), Cow::Borrowed(t) if t == text));
            assert!(matches!(terminal_safe_lines(text), Cow::Borrowed(t) if t == text));
        }
        assert!(matches!(terminal_safe_lines("a\nb"), Cow::Borrowed("a\nb")));
    }

    #[test]
    fn escape_sequences_are_shown_not_obeyed() {
        assert_eq!(terminal_safe("a\x1b[2Jb"), "a\\x1b[2Jb");
        assert_eq!(
            terminal_safe("\x1b]0;pwned\x07title"),
            "\\x1b]0;pwned\\x07title"
        );
        assert_eq!(terminal_safe("\x1b]52;c;aGk=\x07"), "\\x1b]52;c;aGk=\\x07");
        assert_eq!(terminal_safe("nul\0byte"), "nul\\x00byte");
        assert_eq!(terminal_safe("del\x7f"), "del\\x7f");
    }

    #[test]
    fn c1_controls_and_bidi_overrides_are_escaped() {
        assert_eq!(terminal_safe("\u{9b}2J"), "\\u{9b}2J");
        assert_eq!(terminal_safe("\u{85}"), "\\u{85}");
        assert_eq!(terminal_safe("abc\u{202e}fed"), "abc\\u{202e}fed");
        assert_eq!(terminal_safe("\u{2066}x\u{2069}"), "\\u{2066}x\\u{2069}");
        // Right next to the controls, ordinary characters stay.
        assert_eq!(
            terminal_safe("\u{a0}\u{2065}\u{202f}"),
            "\u{a0}\u{2065}\u{202f}"
        );
    }

    #[test]
    fn one_line_escapes_line_breaks_and_several_lines_keep_them() {
        assert_eq!(terminal_safe("a\nb\tc\rd"), "a\\nb\\tc\\rd");
        assert_eq!(terminal_safe_lines("a\nb\tc\rd\x1b"), "a\nb\\tc\\rd\\x1b");
    }

    #[test]
    fn escaping_twice_changes_nothing() {
        let once = terminal_safe("\x1b[31mred\u{202e}\n").into_owned();
        assert_eq!(terminal_safe(&once), once.as_str());
        assert_eq!(terminal_safe_lines(&once), once.as_str());
    }

    #[test]
    fn nothing_left_needs_escaping() {
        let every: String = (0u32..0x3000).filter_map(char::from_u32).collect();
        assert!(!terminal_safe(&every).chars().any(needs_escape));
        assert!(
            !terminal_safe_lines(&every)
                .chars()
                .any(|c| c != '\n' && needs_escape(c))
        );
    }
}
