//! Bounded lines out of a byte stream (the program's stdout), and a bounded tail of one (its
//! stderr): whatever a program prints, PSMA holds at most [`MAX_LINE_BYTES`] of one line and
//! [`STDERR_TAIL_BYTES`] of its stderr in memory.

use std::collections::VecDeque;

/// The longest line of output read, in bytes without its newline; a longer one is skipped
/// and reported.
pub const MAX_LINE_BYTES: usize = 1024 * 1024;

/// How much of the end of a program's stderr is kept.
pub const STDERR_TAIL_BYTES: usize = 8 * 1024;

/// How much of that tail an error message quotes.
const QUOTED_STDERR_BYTES: usize = 2000;

/// One line of output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum RawLine {
    /// A complete line, without its `\n` (nor a `\r` before it).
    Text(Vec<u8>),
    /// A line longer than the bound, skipped: its length in bytes.
    TooLong(usize),
}

/// Splits a stream fed in chunks into numbered lines, holding at most `max` bytes of a line.
#[derive(Debug)]
pub(crate) struct LineSplitter {
    buf: Vec<u8>,
    /// The length so far of a line that went over the bound (its bytes are dropped).
    overflow: Option<usize>,
    max: usize,
    /// The number of the next line, from 1.
    next_number: usize,
}

impl LineSplitter {
    pub(crate) fn new(max: usize) -> Self {
        Self {
            buf: Vec::new(),
            overflow: None,
            max,
            next_number: 1,
        }
    }

    /// Adds `chunk`, appending every line it completes to `out` with its number.
    pub(crate) fn feed(&mut self, mut chunk: &[u8], out: &mut VecDeque<(usize, RawLine)>) {
        while let Some(end) = chunk.iter().position(|&b| b == b'\n') {
            self.take(&chunk[..end]);
            out.push_back(self.end_line());
            chunk = &chunk[end + 1..];
        }
        self.take(chunk);
    }

    /// The last line, when the stream ended without a newline after it.
    pub(crate) fn finish(&mut self) -> Option<(usize, RawLine)> {
        (self.overflow.is_some() || !self.buf.is_empty()).then(|| self.end_line())
    }

    fn take(&mut self, part: &[u8]) {
        if let Some(len) = &mut self.overflow {
            *len = len.saturating_add(part.len());
        } else if self.buf.len() + part.len() > self.max {
            self.overflow = Some(self.buf.len() + part.len());
            self.buf = Vec::new();
        } else {
            self.buf.extend_from_slice(part);
        }
    }

    fn end_line(&mut self) -> (usize, RawLine) {
        let number = self.next_number;
        self.next_number += 1;
        let line = match self.overflow.take() {
            Some(len) => RawLine::TooLong(len),
            None => {
                let mut text = std::mem::take(&mut self.buf);
                if text.last() == Some(&b'\r') {
                    text.pop();
                }
                RawLine::Text(text)
            }
        };
        (number, line)
    }
}

/// The last `max` bytes (or a little more) of a stream.
#[derive(Debug)]
pub(crate) struct Tail {
    buf: Vec<u8>,
    max: usize,
    cut: bool,
}

impl Tail {
    pub(crate) fn new(max: usize) -> Self {
        Self {
            buf: Vec::new(),
            max,
            cut: false,
        }
    }

    pub(crate) fn push(&mut self, bytes: &[u8]) {
        let keep = bytes.len().min(self.max);
        if keep < bytes.len() {
            self.cut = true;
            self.buf.clear();
        }
        self.buf.extend_from_slice(&bytes[bytes.len() - keep..]);
        // Trim in halves, so a stream of small writes does not move the buffer every time.
        if self.buf.len() > 2 * self.max {
            self.buf.drain(..self.buf.len() - self.max);
            self.cut = true;
        }
    }

    /// The kept text (lossy UTF-8), at most `max` bytes of it.
    pub(crate) fn text(&self) -> String {
        let start = self.buf.len().saturating_sub(self.max);
        String::from_utf8_lossy(&self.buf[start..])
            .trim()
            .to_owned()
    }

    /// The end of the stream for an error message: its last lines, at most about
    /// [`QUOTED_STDERR_BYTES`], with `…` when more came before; empty when nothing came.
    pub(crate) fn quote(&self) -> String {
        let text = self.text();
        if text.len() <= QUOTED_STDERR_BYTES {
            return if self.cut || self.buf.len() > self.max {
                format!("…{text}")
            } else {
                text
            };
        }
        let mut start = text.len() - QUOTED_STDERR_BYTES;
        while !text.is_char_boundary(start) {
            start += 1;
        }
        // Start at a line when one begins within the quoted part.
        if let Some(newline) = text[start..].find('\n') {
            start += newline + 1;
        }
        format!("…{}", &text[start..])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn split(chunks: &[&[u8]], max: usize) -> Vec<(usize, RawLine)> {
        let mut splitter = LineSplitter::new(max);
        let mut out = VecDeque::new();
        for chunk in chunks {
            splitter.feed(chunk, &mut out);
        }
        out.extend(splitter.finish());
        out.into()
    }

    #[test]
    fn lines_are_numbered_and_lose_their_line_ends() {
        let lines = split(&[b"a\r\nbb\n\nlast"], 10);
        assert_eq!(
            lines,
            vec![
                (1, RawLine::Text(b"a".to_vec())),
                (2, RawLine::Text(b"bb".to_vec())),
                (3, RawLine::Text(Vec::new())),
                (4, RawLine::Text(b"last".to_vec())),
            ]
        );
        assert!(
            split(&[b"x\n"], 10).len() == 1,
            "no empty line after the last newline"
        );
    }

    #[test]
    fn a_line_over_the_bound_is_skipped_and_measured_and_the_next_one_is_read() {
        let lines = split(&[b"12345", b"678", b"90\nok\n"], 8);
        assert_eq!(
            lines,
            vec![
                (1, RawLine::TooLong(10)),
                (2, RawLine::Text(b"ok".to_vec()))
            ]
        );
        assert_eq!(split(&[b"123456789"], 8), vec![(1, RawLine::TooLong(9))]);
        assert_eq!(
            split(&[b"12345678\n"], 8),
            vec![(1, RawLine::Text(b"12345678".to_vec()))]
        );
    }

    proptest! {
        #[test]
        fn chunking_does_not_change_the_lines(
            data in proptest::collection::vec(prop_oneof![Just(b'\n'), Just(b'\r'), any::<u8>()], 0..200),
            cuts in proptest::collection::vec(0_usize..200, 0..8),
            max in 1_usize..20,
        ) {
            let whole = split(&[&data], max);
            let mut cuts: Vec<usize> = cuts.into_iter().map(|c| c.min(data.len())).collect();
            cuts.sort_unstable();
            let mut chunks: Vec<&[u8]> = Vec::new();
            let mut from = 0;
            for cut in cuts {
                chunks.push(&data[from..cut]);
                from = cut;
            }
            chunks.push(&data[from..]);
            prop_assert_eq!(split(&chunks, max), whole);
        }
    }

    #[test]
    fn the_tail_keeps_the_end_and_says_when_it_cut() {
        let mut tail = Tail::new(10);
        tail.push(b"hello\n");
        assert_eq!(tail.quote(), "hello");
        for _ in 0..100 {
            tail.push(b"0123456789");
        }
        tail.push(b"\nthe end");
        assert!(tail.text().len() <= 10);
        assert!(tail.text().ends_with("the end"));
        assert!(tail.quote().starts_with('…'), "{}", tail.quote());
        let mut big = Tail::new(STDERR_TAIL_BYTES);
        big.push(&b"x".repeat(100_000));
        big.push(b"\nlast line\n");
        assert!(big.quote().len() <= QUOTED_STDERR_BYTES + 4);
        assert!(big.quote().ends_with("last line"));
    }
}
