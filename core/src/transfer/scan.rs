//! A file read as a stream, with what the parsers need to know of its bytes:
//! the first bytes (to refuse compressed or empty files), the line of any
//! byte offset (counted here: the csv parser miscounts CRLF files), a NUL
//! byte (binary data), and where a quoted CSV field opened and never closed.
//! Memory stays flat in the file size: only the newlines the parser has not
//! passed yet are kept.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::io::{self, Read};
use std::rc::Rc;

/// How far to look for the first non-blank byte before parsing.
const PEEK_LIMIT: usize = 1 << 20;

/// The quote state machine of RFC 4180 fields.
#[derive(Debug, Clone, Copy, Default)]
struct Quotes {
    in_quotes: bool,
    /// A `"` inside quotes that may be the first of an escaped `""`.
    pending_quote: bool,
    field_start: bool,
    opened_on: u64,
}

/// What the scan has seen so far.
#[derive(Debug, Default)]
pub struct ScanState {
    /// Bytes passed to the parser.
    offset: u64,
    /// Offsets of newlines not yet asked about.
    newlines: VecDeque<u64>,
    /// Newlines before the oldest one still queued.
    lines_passed: u64,
    /// Newlines seen in all.
    lines_seen: u64,
    /// The line of the first NUL byte.
    pub nul_line: Option<u64>,
    quotes: Quotes,
    track_quotes: bool,
    /// The end of the file was reached.
    pub ended: bool,
}

impl ScanState {
    /// The 1-based line of the byte at `offset` (offsets must not go backwards).
    pub fn line_at(&mut self, offset: u64) -> u64 {
        while self.newlines.front().is_some_and(|at| *at < offset) {
            self.newlines.pop_front();
            self.lines_passed += 1;
        }
        self.lines_passed + 1
    }

    /// The line a quoted field opened on, when the file ended inside it.
    /// Only known once the end was read.
    pub fn unclosed_quote(&self) -> Option<u64> {
        let quotes = self.quotes;
        (self.ended && quotes.in_quotes && !quotes.pending_quote).then_some(quotes.opened_on)
    }

    fn feed(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            let line = self.lines_seen + 1;
            if byte == 0 && self.nul_line.is_none() {
                self.nul_line = Some(line);
            }
            if self.track_quotes {
                let q = &mut self.quotes;
                if q.in_quotes {
                    if q.pending_quote {
                        q.pending_quote = false;
                        if byte != b'"' {
                            q.in_quotes = false;
                        }
                    } else if byte == b'"' {
                        q.pending_quote = true;
                    }
                }
                if !q.in_quotes {
                    match byte {
                        b'"' if q.field_start => {
                            q.in_quotes = true;
                            q.opened_on = line;
                            q.field_start = false;
                        }
                        b',' | b'\r' | b'\n' => q.field_start = true,
                        _ => q.field_start = false,
                    }
                }
            }
            if byte == b'\n' {
                self.newlines.push_back(self.offset);
                self.lines_seen += 1;
            }
            self.offset += 1;
        }
    }
}

/// A reader that scans every byte it hands on.
pub struct Scanned<R> {
    inner: R,
    state: Rc<RefCell<ScanState>>,
}

impl<R: Read> Read for Scanned<R> {
    fn read(&mut self, buffer: &mut [u8]) -> io::Result<usize> {
        if self.state.borrow().nul_line.is_some() {
            return Err(io::Error::new(io::ErrorKind::InvalidData, "a NUL byte"));
        }
        let read = self.inner.read(buffer)?;
        let mut state = self.state.borrow_mut();
        state.feed(&buffer[..read]);
        if read == 0 && !buffer.is_empty() {
            state.ended = true;
        }
        Ok(read)
    }
}

/// The start of a file and the stream of all of it.
pub struct Opened<R> {
    /// The first bytes, up to the first non-blank one (at most 1 MiB more).
    pub start: Vec<u8>,
    /// Nothing but blanks (and a byte-order mark) in the whole file.
    pub blank: bool,
    pub reader: Scanned<io::Chain<io::Cursor<Vec<u8>>, R>>,
    pub state: Rc<RefCell<ScanState>>,
}

/// Opens `input` for scanning: reads ahead to the first non-blank byte.
pub fn open<R: Read>(mut input: R, track_quotes: bool) -> io::Result<Opened<R>> {
    let mut start = Vec::new();
    let mut chunk = [0u8; 8192];
    let mut ended = false;
    loop {
        let content = start.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&start);
        if content.iter().any(|b| !b.is_ascii_whitespace()) || start.len() >= PEEK_LIMIT {
            break;
        }
        let read = input.read(&mut chunk)?;
        if read == 0 {
            ended = true;
            break;
        }
        start.extend_from_slice(&chunk[..read]);
    }
    let content = start.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&start);
    let blank = ended && content.iter().all(u8::is_ascii_whitespace);
    let state = Rc::new(RefCell::new(ScanState {
        track_quotes,
        quotes: Quotes {
            field_start: true,
            opened_on: 1,
            ..Quotes::default()
        },
        ..ScanState::default()
    }));
    let reader = Scanned {
        inner: io::Cursor::new(start.clone()).chain(input),
        state: state.clone(),
    };
    Ok(Opened {
        start,
        blank,
        reader,
        state,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scanned(text: &[u8], quotes: bool) -> (Vec<u8>, Rc<RefCell<ScanState>>, bool) {
        let mut opened = open(text, quotes).unwrap();
        let mut all = Vec::new();
        let _ = opened.reader.read_to_end(&mut all);
        (all, opened.state, opened.blank)
    }

    #[test]
    fn lines_count_newlines_whatever_the_line_end() {
        let (all, state, blank) = scanned(b"a\r\nb\r\nc\n", false);
        assert_eq!(all, b"a\r\nb\r\nc\n");
        assert!(!blank);
        let mut state = state.borrow_mut();
        assert_eq!(state.line_at(0), 1);
        assert_eq!(state.line_at(3), 2);
        assert_eq!(state.line_at(6), 3);
    }

    #[test]
    fn an_unclosed_quote_and_a_nul_byte_are_found() {
        let (_, state, _) = scanned(b"a,b\n\"x,\"\"y\"\nc,\"open\n\nstill", true);
        assert_eq!(state.borrow().unclosed_quote(), Some(3));
        let (_, state, _) = scanned(b"a,b\n\"closed\"\n", true);
        assert_eq!(state.borrow().unclosed_quote(), None);
        let (_, state, _) = scanned(b"a\nb\0c", false);
        assert_eq!(state.borrow().nul_line, Some(2));
        let (_, _, blank) = scanned(b"\xEF\xBB\xBF  \n\n", false);
        assert!(blank);
    }
}
