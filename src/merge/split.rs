//! An incident file's text cut into the pieces a merge works on: each top-level key, each
//! `[[sources]]`, `[[statements]]` and `[[contradictions]]` entry, each other `[table]`, and
//! what trails the last of them. The pieces are byte spans that cover the text exactly, so the
//! file is their concatenation and a piece nobody changed is given back byte for byte.
//!
//! A piece starts right after the last line of the piece before it: the blank lines and
//! comments above a key or a header belong to it, which is what keeps an entry appended after
//! a blank line from touching the entry above it.

use std::ops::Range;

use toml_parser::Source;
use toml_parser::lexer::{Token, TokenKind};

use crate::model::StatementRef;

/// The arrays of tables whose entries are merged one by one.
pub const ENTRY_KINDS: [&str; 3] = ["sources", "statements", "contradictions"];

/// What names a piece across the three versions of a file.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Key {
    /// A top-level `key = value`, by its key as written (dotted keys whole).
    Top(String),
    /// A `[table]` that is not part of an entry, by its header's key.
    Table(String),
    /// An entry of `ENTRY_KINDS[.0]`, by its `id`.
    Entry(usize, String),
    /// A `[[contradictions]]` entry without an `id`, by its two statements in a fixed order.
    Pair(String, String),
    /// An entry with neither: by its whole text, so that any change to it reads as the entry
    /// removed and another added.
    Unnamed(usize, String),
    /// Blank lines and comments after the last piece.
    Trailer,
}

impl Key {
    /// Where the piece goes: top-level keys first, then tables and entries, then the trailer.
    pub fn region(&self) -> u8 {
        match self {
            Key::Top(_) => 0,
            Key::Trailer => 2,
            _ => 1,
        }
    }

    /// How a person would name the piece in a message.
    pub fn describe(&self) -> String {
        match self {
            Key::Top(k) => format!("the top-level key `{k}`"),
            Key::Table(t) => format!("the table [{t}]"),
            Key::Entry(kind, id) => format!("the [[{}]] entry `{id}`", ENTRY_KINDS[*kind]),
            Key::Pair(a, b) => format!("the verdict about `{a}` and `{b}`"),
            Key::Unnamed(kind, _) => format!("an [[{}]] entry without an id", ENTRY_KINDS[*kind]),
            Key::Trailer => "the end of the file".into(),
        }
    }
}

/// One piece: its key (with a number when the same key occurs more than once in a file) and
/// its bytes.
#[derive(Debug, Clone)]
pub struct Piece {
    pub key: Key,
    pub nth: u32,
    pub span: Range<usize>,
    /// Where the piece's own content starts, after the blank lines and comments above it.
    pub content_start: usize,
    /// For a verdict named by its `id`: its pair too, so that it is still found in a version
    /// written before it had an id.
    pub pair: Option<Key>,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SplitError {
    #[error("[[{0}]] is not an array of tables onrecord knows how to merge entry by entry")]
    UnknownArray(String),
}

/// Cuts `text` (without a byte-order mark) into pieces. `incident` reads bare references in a
/// `between`. The text must be valid TOML; what is not is cut as well as it can be.
pub fn split(text: &str, incident: &str) -> Result<Vec<Piece>, SplitError> {
    let tokens = Source::new(text).lex().into_vec();
    let mut cx = Splitter {
        text,
        incident,
        tokens: &tokens,
        i: 0,
        boundary: 0,
        pieces: Vec::new(),
        open: Open::Top,
    };
    cx.run()?;
    let end = cx.boundary;
    let mut pieces: Vec<Piece> = Vec::with_capacity(cx.pieces.len() + 1);
    let found = std::mem::take(&mut cx.pieces);
    for (n, (key, start, content_start, fields)) in found.iter().enumerate() {
        let stop = found.get(n + 1).map_or(end, |next| next.1);
        let pair = match (key, &fields.between) {
            (Key::Unnamed(2, _), Some((a, b))) => Some(Key::Pair(a.clone(), b.clone())),
            _ => None,
        };
        let key = match (key, fields) {
            (Key::Unnamed(kind, _), Fields { id: Some(id), .. }) => Key::Entry(*kind, id.clone()),
            (Key::Unnamed(2, _), _) if pair.is_some() => pair.clone().expect("checked"),
            (Key::Unnamed(kind, _), _) => {
                Key::Unnamed(*kind, text[*content_start..stop].trim_end().to_string())
            }
            (k, _) => k.clone(),
        };
        let pair = pair.filter(|p| *p != key);
        pieces.push(Piece {
            key,
            nth: 0,
            span: *start..stop,
            content_start: *content_start,
            pair,
        });
    }
    if end < text.len() || pieces.is_empty() {
        pieces.push(Piece {
            key: Key::Trailer,
            nth: 0,
            span: end..text.len(),
            content_start: end,
            pair: None,
        });
    }
    // The same key twice in one file (a duplicate id, which `check` reports): number them so
    // that each still has a name of its own.
    let mut seen: std::collections::HashMap<Key, u32> = std::collections::HashMap::new();
    for p in &mut pieces {
        let n = seen.entry(p.key.clone()).or_insert(0);
        p.nth = *n;
        *n += 1;
    }
    Ok(pieces)
}

#[derive(Debug, Default, Clone)]
struct Fields {
    id: Option<String>,
    between: Option<(String, String)>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Open {
    /// No header yet: key-value lines are top-level keys.
    Top,
    /// An entry of this kind; `sub` once one of its sub-tables started.
    Entry { kind: usize, sub: bool },
    /// A table that is not an entry.
    Table,
}

struct Splitter<'a> {
    text: &'a str,
    incident: &'a str,
    tokens: &'a [Token],
    i: usize,
    /// The end of the last line with content: the next piece starts here.
    boundary: usize,
    /// Each piece's key, start, content start and the fields that name an entry.
    pieces: Vec<(Key, usize, usize, Fields)>,
    open: Open,
}

impl Splitter<'_> {
    fn kind(&self, i: usize) -> TokenKind {
        self.tokens.get(i).map_or(TokenKind::Eof, |t| t.kind())
    }

    fn raw(&self, i: usize) -> &str {
        let span = self.tokens[i].span();
        &self.text[span.start()..span.end()]
    }

    fn skip_whitespace(&mut self) {
        while self.kind(self.i) == TokenKind::Whitespace {
            self.i += 1;
        }
    }

    /// Moves past the end of the current line (its newline included) and returns the offset
    /// there.
    fn end_of_line(&mut self) -> usize {
        loop {
            match self.kind(self.i) {
                TokenKind::Eof => return self.text.len(),
                TokenKind::Newline => {
                    let end = self.tokens[self.i].span().end();
                    self.i += 1;
                    return end;
                }
                _ => self.i += 1,
            }
        }
    }

    fn run(&mut self) -> Result<(), SplitError> {
        loop {
            self.skip_whitespace();
            let first = self.i;
            match self.kind(first) {
                TokenKind::Eof => return Ok(()),
                TokenKind::Newline | TokenKind::Comment => {
                    self.end_of_line();
                }
                TokenKind::LeftSquareBracket => self.header()?,
                _ => self.key_value(),
            }
        }
    }

    /// The segments of a key, from the tokens at `self.i` up to (not including) a token of
    /// kind `stop`, decoded.
    fn key_path(&mut self, stop: TokenKind) -> Vec<String> {
        let mut path = Vec::new();
        loop {
            match self.kind(self.i) {
                TokenKind::Eof | TokenKind::Newline => break,
                k if k == stop => break,
                TokenKind::Whitespace | TokenKind::Dot => {}
                TokenKind::BasicString | TokenKind::LiteralString => {
                    path.push(decode_string(self.raw(self.i)).unwrap_or_default())
                }
                _ => path.push(self.raw(self.i).to_string()),
            }
            self.i += 1;
        }
        path
    }

    fn header(&mut self) -> Result<(), SplitError> {
        let start_token = self.i;
        let line_start = self.tokens[start_token].span().start();
        let double = self.kind(self.i + 1) == TokenKind::LeftSquareBracket
            && self.tokens[self.i + 1].span().start() == self.tokens[self.i].span().end();
        self.i += if double { 2 } else { 1 };
        let path = self.key_path(TokenKind::RightSquareBracket);
        let end = self.end_of_line();
        let entry_kind = ENTRY_KINDS
            .iter()
            .position(|k| path.first().is_some_and(|p| p == k));
        match (double, path.len(), entry_kind) {
            (true, 1, Some(kind)) => {
                self.open(Key::Unnamed(kind, String::new()), line_start);
                self.open = Open::Entry { kind, sub: false };
            }
            // A sub-table of the entry above: part of it.
            (_, n, Some(kind))
                if n > 1 && matches!(self.open, Open::Entry { kind: k, .. } if k == kind) =>
            {
                self.open = Open::Entry { kind, sub: true };
            }
            (false, _, _) => {
                self.open(Key::Table(path.join(".")), line_start);
                self.open = Open::Table;
            }
            (true, _, _) => return Err(SplitError::UnknownArray(path.join("."))),
        }
        self.boundary = end;
        Ok(())
    }

    fn open(&mut self, key: Key, content_start: usize) {
        self.pieces
            .push((key, self.boundary, content_start, Fields::default()));
    }

    fn key_value(&mut self) {
        let line_start = self.tokens[self.i].span().start();
        let path = self.key_path(TokenKind::Equals);
        if self.kind(self.i) == TokenKind::Equals {
            self.i += 1;
        }
        self.skip_whitespace();
        let value_start = self.i;
        // The value runs to the end of the line, or further while brackets are open.
        let mut depth = 0usize;
        let mut value_end = self.i;
        let end = loop {
            match self.kind(self.i) {
                TokenKind::Eof => break self.text.len(),
                TokenKind::Newline if depth == 0 => {
                    let end = self.tokens[self.i].span().end();
                    self.i += 1;
                    break end;
                }
                TokenKind::LeftSquareBracket | TokenKind::LeftCurlyBracket => depth += 1,
                TokenKind::RightSquareBracket | TokenKind::RightCurlyBracket => {
                    depth = depth.saturating_sub(1)
                }
                _ => {}
            }
            if !matches!(
                self.kind(self.i),
                TokenKind::Whitespace | TokenKind::Comment | TokenKind::Newline
            ) {
                value_end = self.i + 1;
            }
            self.i += 1;
        };
        match self.open {
            Open::Top => {
                self.open(Key::Top(path.join(".")), line_start);
            }
            Open::Entry { kind, sub: false } if path.len() == 1 => {
                let value: Vec<usize> = (value_start..value_end)
                    .filter(|&i| self.kind(i) != TokenKind::Whitespace)
                    .collect();
                let id = match (path[0].as_str(), value.as_slice()) {
                    ("id", [v]) => self.string_at(*v),
                    _ => None,
                };
                let between = (path[0] == "between" && kind == 2)
                    .then(|| self.pair(&value))
                    .flatten();
                if let Some(p) = self.pieces.last_mut() {
                    p.3.id = id.or(p.3.id.take());
                    p.3.between = between.or(p.3.between.take());
                }
            }
            _ => {}
        }
        self.boundary = end;
    }

    fn string_at(&self, i: usize) -> Option<String> {
        match self.kind(i) {
            TokenKind::BasicString | TokenKind::LiteralString => decode_string(self.raw(i)),
            _ => None,
        }
    }

    /// The two references of `between = ["a", "b"]`, read as statements of this incident and
    /// put in a fixed order, so that the pair is the same whichever way it is written.
    fn pair(&self, value: &[usize]) -> Option<(String, String)> {
        let strings: Vec<String> = value
            .iter()
            .filter(|&&i| {
                !matches!(
                    self.kind(i),
                    TokenKind::Comment | TokenKind::Newline | TokenKind::Comma
                )
            })
            .filter_map(|&i| match self.kind(i) {
                TokenKind::LeftSquareBracket | TokenKind::RightSquareBracket => None,
                _ => Some(self.string_at(i)),
            })
            .collect::<Option<Vec<_>>>()?;
        let [a, b]: [String; 2] = strings.try_into().ok()?;
        let full = |s: &str| match StatementRef::parse(s, Some(self.incident)) {
            Ok(r) => r.to_string(),
            Err(_) => s.to_string(),
        };
        let (a, b) = (full(&a), full(&b));
        Some(if a <= b { (a, b) } else { (b, a) })
    }
}

/// A one-line string token's value.
fn decode_string(raw: &str) -> Option<String> {
    if let Some(inner) = raw.strip_prefix('\'').and_then(|r| r.strip_suffix('\'')) {
        return Some(inner.to_string());
    }
    let inner = raw.strip_prefix('"').and_then(|r| r.strip_suffix('"'))?;
    if !inner.contains('\\') {
        return Some(inner.to_string());
    }
    let table: toml::Table = toml::from_str(&format!("v = {raw}")).ok()?;
    table.get("v")?.as_str().map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(text: &str) -> Vec<(Key, String)> {
        let pieces = split(text, "inc").unwrap();
        let joined: String = pieces.iter().map(|p| &text[p.span.clone()]).collect();
        assert_eq!(joined, text, "the pieces cover the text");
        pieces
            .into_iter()
            .map(|p| (p.key, text[p.span].to_string()))
            .collect()
    }

    #[test]
    fn pieces_cover_the_file_with_their_comments() {
        let text = "# head\ntitle = \"t\"\ncompany = 'c'  # ok\n\n# the sources\n[[sources]]\nid = \"s\"\nurl = \"\"\"\n[[statements]]\nid = \"fake\"\n\"\"\"\n\n[[statements]]\nid = \"a\"\n[statements.extra]\nid = \"not-this\"\n\n[[contradictions]]\nbetween = [\"inc#b\", \"a\"]\n\n# end\n";
        let k = keys(text);
        let names: Vec<&Key> = k.iter().map(|(k, _)| k).collect();
        assert_eq!(
            names,
            [
                &Key::Top("title".into()),
                &Key::Top("company".into()),
                &Key::Entry(0, "s".into()),
                &Key::Entry(1, "a".into()),
                &Key::Pair("inc#a".into(), "inc#b".into()),
                &Key::Trailer,
            ]
        );
        assert_eq!(k[0].1, "# head\ntitle = \"t\"\n");
        assert!(k[2].1.starts_with("\n# the sources\n[[sources]]"));
        assert!(k[3].1.contains("[statements.extra]"));
        assert_eq!(k[5].1, "\n# end\n");
    }

    #[test]
    fn crlf_multiline_values_and_no_final_newline() {
        let text = "title = \"t\"\r\ntags = [\r\n  \"a\",\r\n]\r\n\r\n[[statements]]\r\nid = \"x\"\r\ntext = \"y\"";
        let k = keys(text);
        assert_eq!(k[1].0, Key::Top("tags".into()));
        assert_eq!(k[1].1, "tags = [\r\n  \"a\",\r\n]\r\n");
        assert_eq!(k[2].0, Key::Entry(1, "x".into()));
        assert!(k[2].1.ends_with("text = \"y\""));
    }

    #[test]
    fn unknown_arrays_of_tables_are_refused() {
        assert_eq!(
            split("[[other]]\na = 1\n", "inc").unwrap_err(),
            SplitError::UnknownArray("other".into())
        );
    }
}
