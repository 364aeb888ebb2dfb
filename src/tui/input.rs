//! A text field being typed in: its text, the cursor, and whether it holds more than one
//! line. Every edit the interface makes to typed text goes through here, so the search box,
//! the tag dialog and the forms move and delete the same way.

use unicode_segmentation::UnicodeSegmentation;

use super::safe;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TextField {
    text: String,
    /// A byte offset into `text`, always on a grapheme boundary.
    cursor: usize,
    /// Enter and pasted line breaks make new lines; otherwise a pasted break is a space.
    pub multiline: bool,
}

impl TextField {
    pub fn new(multiline: bool) -> TextField {
        TextField {
            multiline,
            ..TextField::default()
        }
    }

    /// A field holding `text`, the cursor at its end.
    pub fn with(text: &str, multiline: bool) -> TextField {
        let mut f = TextField::new(multiline);
        f.insert(text);
        f
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn cursor(&self) -> usize {
        self.cursor
    }

    pub fn is_empty(&self) -> bool {
        self.text.trim().is_empty()
    }

    /// Replaces the text, the cursor at its end.
    pub fn set(&mut self, text: &str) {
        self.text.clear();
        self.cursor = 0;
        self.insert(text);
    }

    /// Inserts typed or pasted text at the cursor. Line breaks (`\r\n`, `\r`, `\n`) become
    /// `\n` in a multi-line field and a space in a one-line one; tabs become a space; other
    /// control characters are dropped, so nothing typed can reach a file as one.
    pub fn insert(&mut self, s: &str) {
        let s = s.replace("\r\n", "\n").replace('\r', "\n");
        let mut clean = String::with_capacity(s.len());
        for c in s.chars() {
            match c {
                '\n' if self.multiline => clean.push('\n'),
                '\n' | '\t' => clean.push(' '),
                c if c.is_control() => {}
                c => clean.push(c),
            }
        }
        self.text.insert_str(self.cursor, &clean);
        self.cursor += clean.len();
    }

    fn prev_boundary(&self) -> usize {
        self.text[..self.cursor]
            .grapheme_indices(true)
            .next_back()
            .map_or(0, |(i, _)| i)
    }

    fn next_boundary(&self) -> usize {
        self.text[self.cursor..]
            .graphemes(true)
            .next()
            .map_or(self.cursor, |g| self.cursor + g.len())
    }

    pub fn left(&mut self) {
        self.cursor = self.prev_boundary();
    }

    pub fn right(&mut self) {
        self.cursor = self.next_boundary();
    }

    /// To the start of the word before the cursor.
    pub fn word_left(&mut self) {
        let before = &self.text[..self.cursor];
        let trimmed = before.trim_end_matches(|c: char| !c.is_alphanumeric());
        self.cursor = trimmed
            .rfind(|c: char| !c.is_alphanumeric())
            .map_or(0, |i| {
                i + trimmed[i..].chars().next().map_or(1, char::len_utf8)
            });
    }

    /// To the end of the word after the cursor.
    pub fn word_right(&mut self) {
        let after = &self.text[self.cursor..];
        let skip = after.len()
            - after
                .trim_start_matches(|c: char| !c.is_alphanumeric())
                .len();
        let rest = &after[skip..];
        let word = rest
            .find(|c: char| !c.is_alphanumeric())
            .unwrap_or(rest.len());
        self.cursor += skip + word;
    }

    fn line_start(&self) -> usize {
        self.text[..self.cursor].rfind('\n').map_or(0, |i| i + 1)
    }

    fn line_end(&self) -> usize {
        self.text[self.cursor..]
            .find('\n')
            .map_or(self.text.len(), |i| self.cursor + i)
    }

    /// To the start of the line.
    pub fn home(&mut self) {
        self.cursor = self.line_start();
    }

    /// To the end of the line.
    pub fn end(&mut self) {
        self.cursor = self.line_end();
    }

    /// Up a line, keeping the column; false on the first line.
    pub fn up(&mut self) -> bool {
        let start = self.line_start();
        if start == 0 {
            return false;
        }
        let column = self.text[start..self.cursor].graphemes(true).count();
        let prev_start = self.text[..start - 1].rfind('\n').map_or(0, |i| i + 1);
        self.cursor = nth_boundary(&self.text, prev_start, start - 1, column);
        true
    }

    /// Down a line, keeping the column; false on the last line.
    pub fn down(&mut self) -> bool {
        let end = self.line_end();
        if end == self.text.len() {
            return false;
        }
        let column = self.text[self.line_start()..self.cursor]
            .graphemes(true)
            .count();
        let next_start = end + 1;
        let next_end = self.text[next_start..]
            .find('\n')
            .map_or(self.text.len(), |i| next_start + i);
        self.cursor = nth_boundary(&self.text, next_start, next_end, column);
        true
    }

    /// Deletes the character before the cursor.
    pub fn backspace(&mut self) {
        let at = self.prev_boundary();
        self.text.replace_range(at..self.cursor, "");
        self.cursor = at;
    }

    /// Deletes the character under the cursor.
    pub fn delete(&mut self) {
        let to = self.next_boundary();
        self.text.replace_range(self.cursor..to, "");
    }

    /// Deletes the word before the cursor.
    pub fn delete_word(&mut self) {
        let end = self.cursor;
        self.word_left();
        self.text.replace_range(self.cursor..end, "");
    }

    pub fn clear(&mut self) {
        self.text.clear();
        self.cursor = 0;
    }

    /// The text as the screen shows it, wrapped to `cells` cells a row, with the cursor's
    /// (row, column). Record-safe: controls are shown visibly, as everywhere else.
    pub fn layout(&self, cells: usize) -> (Vec<String>, (usize, usize)) {
        let cells = cells.max(2);
        let mut rows: Vec<String> = Vec::new();
        let mut at = (0, 0);
        let mut offset = 0;
        for (li, line) in self.text.split('\n').enumerate() {
            if li > 0 {
                offset += 1;
            }
            let mut row = String::new();
            let mut used = 0;
            let mut placed = false;
            // Where the row can break: after its last space, as (bytes, cells) of the row.
            let mut space: Option<(usize, usize)> = None;
            for (gi, g) in line.grapheme_indices(true) {
                let shown = safe::line(g);
                let w = safe::width(&shown);
                // One cell stays free at the end of a row for the cursor.
                if used + w > cells - 1 && used > 0 {
                    match space.take() {
                        // A word that does not fit goes to the next row whole.
                        Some((bytes, head)) if bytes < row.len() => {
                            let tail = row.split_off(bytes);
                            let r = rows.len();
                            rows.push(std::mem::replace(&mut row, tail));
                            used -= head;
                            if placed && at.0 == r && at.1 >= head {
                                at = (r + 1, at.1 - head);
                            }
                            if used + w > cells - 1 {
                                rows.push(std::mem::take(&mut row));
                                used = 0;
                            }
                        }
                        _ => {
                            rows.push(std::mem::take(&mut row));
                            used = 0;
                        }
                    }
                }
                if offset + gi == self.cursor {
                    at = (rows.len(), used);
                    placed = true;
                }
                row.push_str(&shown);
                used += w;
                if g == " " {
                    space = Some((row.len(), used));
                }
            }
            if !placed && self.cursor == offset + line.len() {
                at = (rows.len(), used);
            }
            rows.push(row);
            offset += line.len();
        }
        (rows, at)
    }
}

/// The byte offset of the `column`th grapheme of `text[start..end]`, or `end`.
fn nth_boundary(text: &str, start: usize, end: usize, column: usize) -> usize {
    text[start..end]
        .grapheme_indices(true)
        .nth(column)
        .map_or(end, |(i, _)| start + i)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edits_anywhere() {
        let mut f = TextField::with("hello world", false);
        f.home();
        f.insert("» ");
        assert_eq!(f.text(), "» hello world");
        f.word_right();
        f.word_right();
        f.backspace();
        assert_eq!(f.text(), "» hello worl");
        f.word_left();
        f.delete();
        assert_eq!(f.text(), "» hello orl");
        f.end();
        f.delete_word();
        assert_eq!(f.text(), "» hello ");
    }

    #[test]
    fn paste_keeps_breaks_only_where_lines_are_wanted() {
        let mut one = TextField::new(false);
        one.insert("first line\r\nsecond\tline\x1b[2J");
        assert_eq!(one.text(), "first line second line[2J");
        let mut many = TextField::new(true);
        many.insert("first line\r\nsecond line");
        assert_eq!(many.text(), "first line\nsecond line");
        assert!(many.up());
        assert_eq!(many.cursor(), "first line".len());
        assert!(!many.up());
        assert!(many.down());
        assert!(!many.down());
        many.home();
        assert_eq!(many.cursor(), "first line\n".len());
    }

    #[test]
    fn wide_characters_move_as_one() {
        let mut f = TextField::with("株式会社", false);
        f.left();
        f.backspace();
        assert_eq!(f.text(), "株式社");
        let (rows, at) = f.layout(4);
        assert_eq!(rows, ["株", "式", "社"]);
        assert_eq!(at, (2, 0));
    }

    #[test]
    fn layout_wraps_between_words() {
        let mut f = TextField::with("en France de", false);
        let (rows, at) = f.layout(9);
        assert_eq!(rows, ["en ", "France ", "de"]);
        assert_eq!(at, (2, 2));
        // The cursor in a word carried to the next row goes with it.
        f.home();
        for _ in 0..5 {
            f.right();
        }
        assert_eq!(f.layout(9).1, (1, 2));
        // A word longer than the row is cut inside it, as before.
        let f = TextField::with("a verylongword", false);
        assert_eq!(f.layout(6).0, ["a ", "veryl", "ongwo", "rd"]);
    }

    #[test]
    fn layout_wraps_and_places_the_cursor() {
        let f = TextField::with("abcdef\nxy", true);
        let (rows, at) = f.layout(4);
        assert_eq!(rows, ["abc", "def", "xy"]);
        assert_eq!(at, (2, 2));
    }
}
