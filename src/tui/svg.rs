//! A drawn screen as an SVG picture (`snapshot --format svg`, the `S` key):
//! the same cells, colours and wide characters as the terminal, each
//! character placed on its cell so the picture lines up in any monospace
//! font; opens in a browser. A small renderer over ratatui's `Buffer`: no
//! crate draws terminal cells, and the format is a few elements.

use ratatui::buffer::{Buffer, Cell};
use ratatui::style::{Color, Modifier};
use std::fmt::Write;
use unicode_width::UnicodeWidthStr;

/// A cell's width and height in pixels at a 14 px font.
const CELL_WIDTH: f64 = 8.4;
const CELL_HEIGHT: f64 = 17.0;
/// The text baseline within a cell.
const BASELINE: f64 = 13.0;

/// What the terminal draws where a style says "default" (`Color::Reset`).
#[derive(Debug, Clone, Copy)]
pub struct Defaults {
    pub foreground: Color,
    pub background: Color,
}

impl Default for Defaults {
    fn default() -> Self {
        Defaults {
            foreground: Color::Rgb(0xd4, 0xd4, 0xd4),
            background: Color::Rgb(0x1e, 0x1e, 0x1e),
        }
    }
}

/// The look of one run of cells.
#[derive(Debug, Clone, PartialEq)]
struct Look {
    foreground: String,
    background: String,
    bold: bool,
    italic: bool,
    underlined: bool,
    dim: bool,
}

fn look(cell: &Cell, defaults: Defaults) -> Look {
    let modifier = cell.modifier;
    let mut foreground = hex(cell.fg, defaults.foreground);
    let mut background = hex(cell.bg, defaults.background);
    if modifier.contains(Modifier::REVERSED) {
        std::mem::swap(&mut foreground, &mut background);
    }
    Look {
        foreground,
        background,
        bold: modifier.contains(Modifier::BOLD),
        italic: modifier.contains(Modifier::ITALIC),
        underlined: modifier.contains(Modifier::UNDERLINED),
        dim: modifier.contains(Modifier::DIM),
    }
}

/// `#rrggbb` of a terminal colour (the xterm palette for the named and
/// indexed ones); `Reset` is the default.
pub fn hex(color: Color, default: Color) -> String {
    let (r, g, b) = rgb(color).or_else(|| rgb(default)).unwrap_or((0, 0, 0));
    format!("#{r:02x}{g:02x}{b:02x}")
}

fn rgb(color: Color) -> Option<(u8, u8, u8)> {
    const ANSI: [(u8, u8, u8); 16] = [
        (0x00, 0x00, 0x00),
        (0xcd, 0x00, 0x00),
        (0x00, 0xcd, 0x00),
        (0xcd, 0xcd, 0x00),
        (0x00, 0x00, 0xee),
        (0xcd, 0x00, 0xcd),
        (0x00, 0xcd, 0xcd),
        (0xe5, 0xe5, 0xe5),
        (0x7f, 0x7f, 0x7f),
        (0xff, 0x00, 0x00),
        (0x00, 0xff, 0x00),
        (0xff, 0xff, 0x00),
        (0x5c, 0x5c, 0xff),
        (0xff, 0x00, 0xff),
        (0x00, 0xff, 0xff),
        (0xff, 0xff, 0xff),
    ];
    let indexed = |i: u8| -> (u8, u8, u8) {
        match i {
            0..=15 => ANSI[usize::from(i)],
            16..=231 => {
                let level = |v: u8| if v == 0 { 0 } else { 55 + v * 40 };
                let i = i - 16;
                (level(i / 36), level((i / 6) % 6), level(i % 6))
            }
            _ => {
                let grey = 8 + (i - 232) * 10;
                (grey, grey, grey)
            }
        }
    };
    Some(match color {
        Color::Reset => return None,
        Color::Rgb(r, g, b) => (r, g, b),
        Color::Indexed(i) => indexed(i),
        Color::Black => ANSI[0],
        Color::Red => ANSI[1],
        Color::Green => ANSI[2],
        Color::Yellow => ANSI[3],
        Color::Blue => ANSI[4],
        Color::Magenta => ANSI[5],
        Color::Cyan => ANSI[6],
        Color::Gray => ANSI[7],
        Color::DarkGray => ANSI[8],
        Color::LightRed => ANSI[9],
        Color::LightGreen => ANSI[10],
        Color::LightYellow => ANSI[11],
        Color::LightBlue => ANSI[12],
        Color::LightMagenta => ANSI[13],
        Color::LightCyan => ANSI[14],
        Color::White => ANSI[15],
    })
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // XML 1.0 has no place for other control characters.
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// One piece of text on a row: its cells' x positions, one per character.
struct Piece {
    look: Look,
    columns: Vec<u16>,
    text: String,
    /// More single characters of the same look may join it.
    open: bool,
}

/// The buffer as an SVG document; `title` names it (the tab and date).
pub fn render(buffer: &Buffer, defaults: Defaults, title: &str) -> String {
    let area = buffer.area;
    let width = f64::from(area.width) * CELL_WIDTH;
    let height = f64::from(area.height) * CELL_HEIGHT;
    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width:.1}" height="{height:.1}" viewBox="0 0 {width:.1} {height:.1}" font-family="ui-monospace, 'DejaVu Sans Mono', Menlo, Consolas, monospace" font-size="14"><title>{}</title><rect width="100%" height="100%" fill="{}"/>"#,
        escape(title),
        hex(defaults.background, defaults.background)
    );
    let default_background = hex(defaults.background, defaults.background);
    for y in area.top()..area.bottom() {
        let top = f64::from(y - area.top()) * CELL_HEIGHT;
        let mut pieces: Vec<Piece> = Vec::new();
        let mut skip = 0usize;
        for x in area.left()..area.right() {
            let cell = &buffer[(x, y)];
            if skip > 0 {
                skip -= 1;
                continue;
            }
            let symbol = cell.symbol();
            skip = symbol.width().max(1) - 1;
            let look = look(cell, defaults);
            let column = x - area.left();
            // A symbol of several characters (a flag, a combining mark) is a
            // piece of its own placed at its cell, so every character of a
            // run keeps its own cell.
            let single = symbol.chars().count() == 1;
            match pieces.last_mut() {
                Some(piece) if single && piece.open && piece.look == look => {
                    piece.columns.push(column);
                    piece.text.push_str(symbol);
                }
                _ => pieces.push(Piece {
                    look,
                    columns: vec![column],
                    text: symbol.to_string(),
                    open: single,
                }),
            }
        }
        for piece in &pieces {
            let first = piece.columns.first().copied().unwrap_or(0);
            let cells = piece.text.width().max(piece.columns.len());
            if piece.look.background != default_background {
                let _ = write!(
                    svg,
                    r#"<rect x="{:.1}" y="{top:.1}" width="{:.1}" height="{CELL_HEIGHT:.1}" fill="{}"/>"#,
                    f64::from(first) * CELL_WIDTH,
                    cells as f64 * CELL_WIDTH,
                    piece.look.background
                );
            }
            if piece.text.trim().is_empty() {
                continue;
            }
            let xs: Vec<String> = piece
                .columns
                .iter()
                .map(|column| format!("{:.1}", f64::from(*column) * CELL_WIDTH))
                .collect();
            let mut attributes = format!(r#" fill="{}""#, piece.look.foreground);
            if piece.look.bold {
                attributes.push_str(r#" font-weight="bold""#);
            }
            if piece.look.italic {
                attributes.push_str(r#" font-style="italic""#);
            }
            if piece.look.underlined {
                attributes.push_str(r#" text-decoration="underline""#);
            }
            if piece.look.dim {
                attributes.push_str(r#" fill-opacity="0.6""#);
            }
            let _ = write!(
                svg,
                r#"<text x="{}" y="{:.1}" xml:space="preserve"{attributes}>{}</text>"#,
                xs.join(" "),
                top + BASELINE,
                escape(&piece.text)
            );
        }
    }
    svg.push_str("</svg>\n");
    svg
}
