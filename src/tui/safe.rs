//! The one door record text goes through on its way to the screen. Every view takes record
//! text through [`line`] or [`block`] and lays out columns with [`fit`].
//!
//! On top of `crate::text` (controls, escape sequences, bidi overrides shown visibly), this
//! drops the zero-width joiner and the variation selectors: terminals disagree with each other
//! and with the layout about how wide a joined emoji or a VS16 emoji is, and a column whose
//! width the terminal sees differently from the layout breaks every column after it.
//! Combining marks stay: they join their base character's cell.

use std::borrow::Cow;

use ratatui::buffer::CellWidth;
use unicode_segmentation::UnicodeSegmentation;

fn is_width_ambiguous(c: char) -> bool {
    matches!(c, '\u{200D}' | '\u{FE0E}' | '\u{FE0F}')
}

fn strip(s: Cow<'_, str>) -> Cow<'_, str> {
    if s.chars().any(is_width_ambiguous) {
        Cow::Owned(s.chars().filter(|&c| !is_width_ambiguous(c)).collect())
    } else {
        s
    }
}

/// Record text for one line of the screen: line breaks shown as `⏎`.
pub fn line(s: &str) -> Cow<'_, str> {
    strip(crate::text::one_line(s))
}

/// Record text that may run over several lines.
pub fn block(s: &str) -> Cow<'_, str> {
    strip(crate::text::sanitize(s))
}

/// How many cells the screen gives already-safe text, counted as the drawing code counts.
pub fn width(s: &str) -> usize {
    s.graphemes(true)
        .filter(|g| !g.contains(char::is_control))
        .map(|g| usize::from(g.cell_width()))
        .sum()
}

/// Record text cut or padded to exactly `cells` cells, on one line. A cut ends in `…`; a wide
/// character that would straddle the edge is left out, never split. Reads the text only as
/// far as it takes to know whether it fits: a long statement costs what a short one does.
pub fn fit(s: &str, cells: usize) -> String {
    let s = line(s);
    let mut out = String::with_capacity(cells + 4);
    // What fits in `cells - 1`, leaving room for the `…` should the text not fit.
    let mut short: Option<(usize, usize)> = None;
    let (mut used, mut total, mut full) = (0, 0, true);
    for g in s.graphemes(true) {
        let w = usize::from(g.cell_width());
        if !g.contains(char::is_control) {
            total += w;
        }
        if total > cells {
            break;
        }
        if full && used + w > cells.saturating_sub(1) && short.is_none() {
            short = Some((out.len(), used));
        }
        if full && used + w <= cells {
            out.push_str(g);
            used += w;
        } else {
            full = false;
        }
    }
    if total > cells {
        let (len, w) = short.unwrap_or((out.len(), used));
        out.truncate(len);
        used = w;
        if cells > 0 {
            out.push('…');
            used += 1;
        }
    }
    out.extend(std::iter::repeat_n(' ', cells.saturating_sub(used)));
    out
}

/// Record text on one line, at most `cells` cells, keeping its end: a cut starts with `…`.
/// For a path, whose file name matters most. Not padded.
pub fn fit_end(s: &str, cells: usize) -> String {
    let s = line(s);
    if width(&s) <= cells {
        return s.into_owned();
    }
    let mut kept: Vec<&str> = Vec::new();
    let mut used = 0;
    for g in s.graphemes(true).rev() {
        let w = usize::from(g.cell_width());
        if used + w + 1 > cells {
            break;
        }
        kept.push(g);
        used += w;
    }
    if cells == 0 {
        return String::new();
    }
    std::iter::once("…").chain(kept.into_iter().rev()).collect()
}

/// The first line of record text, safe, at most `cells` cells (not padded).
pub fn first_line(s: &str, cells: usize) -> String {
    let first = s.trim_start().lines().next().unwrap_or("");
    let more = s.trim().lines().nth(1).is_some();
    let mut out = fit(first, cells);
    out.truncate(out.trim_end().len());
    if more && !out.ends_with('…') && width(&out) < cells {
        out.push('…');
    }
    out
}

/// Safe text broken into lines of at most `cells` cells, at spaces where it can, inside a
/// word where one word is wider than the line.
pub fn wrap(text: &str, cells: usize) -> Vec<String> {
    let cells = cells.max(1);
    let mut out = Vec::new();
    for para in text.split('\n') {
        let mut line = String::new();
        let mut used = 0;
        for word in para.split(' ') {
            let w = width(word);
            if used > 0 && used + 1 + w <= cells {
                line.push(' ');
                line.push_str(word);
                used += 1 + w;
                continue;
            }
            if used > 0 {
                out.push(std::mem::take(&mut line));
                used = 0;
            }
            for g in word.graphemes(true) {
                let gw = usize::from(g.cell_width());
                if used + gw > cells && used > 0 {
                    out.push(std::mem::take(&mut line));
                    used = 0;
                }
                line.push_str(g);
                used += gw;
            }
        }
        out.push(line);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_text_shows_visibly() {
        assert_eq!(line("a\x1b]52;c;aGk=\x07b"), "a␛]52;c;aGk=␇b");
        assert_eq!(line("x\u{202E}y"), "x<U+202E>y");
        assert_eq!(line("one\ntwo"), "one⏎two");
        assert_eq!(block("one\ntwo"), "one\ntwo");
        assert_eq!(line("👩\u{200D}💻\u{FE0F}"), "👩💻");
    }

    #[test]
    fn fit_counts_cells_not_chars() {
        assert_eq!(fit("abc", 5), "abc  ");
        assert_eq!(fit("abcdef", 4), "abc…");
        assert_eq!(width(&fit("日本語テキスト", 6)), 6);
        assert_eq!(fit("日本語テキスト", 6), "日本… ");
        assert_eq!(width(&fit("日本語", 4)), 4);
        // Combining marks ride on their base character.
        assert_eq!(width(&fit("e\u{301}te\u{301}", 3)), 3);
        assert_eq!(fit("e\u{301}te\u{301}", 3), "e\u{301}te\u{301}");
        assert_eq!(fit("x", 0), "");
    }

    /// `fit` as it was written first: the whole text measured, then cut.
    fn fit_measuring_all(s: &str, cells: usize) -> String {
        let s = line(s);
        let total = width(&s);
        let budget = if total > cells {
            cells.saturating_sub(1)
        } else {
            cells
        };
        let (mut out, mut used) = (String::new(), 0);
        for g in s.graphemes(true) {
            let w = usize::from(g.cell_width());
            if used + w > budget {
                break;
            }
            out.push_str(g);
            used += w;
        }
        if total > cells && cells > 0 {
            out.push('…');
            used += 1;
        }
        out.extend(std::iter::repeat_n(' ', cells.saturating_sub(used)));
        out
    }

    #[test]
    fn fit_reads_no_further_than_it_needs_and_cuts_the_same() {
        let texts = [
            "",
            "a",
            "abcdef",
            "日本語テキスト",
            "a日b本c",
            "e\u{301}te\u{301}x",
            "a\x1b[31mred\x07b",
            "one\ntwo\tthree",
            "👩\u{200D}💻\u{FE0F} ok",
            "x\u{202E}y",
        ];
        for text in texts {
            for cells in 0..16 {
                assert_eq!(
                    fit(text, cells),
                    fit_measuring_all(text, cells),
                    "{text:?} in {cells}"
                );
            }
        }
    }

    #[test]
    fn fit_end_keeps_the_end() {
        assert_eq!(fit_end("dir/file.toml:12", 20), "dir/file.toml:12");
        assert_eq!(fit_end("dir/file.toml:12", 10), "…e.toml:12");
        assert_eq!(width(&fit_end("日本語/ファイル:3", 7)), 7);
        assert_eq!(fit_end("a\x1bb", 10), "a␛b");
        assert_eq!(fit_end("abc", 0), "");
    }

    #[test]
    fn wrap_breaks_at_spaces_and_inside_long_words() {
        assert_eq!(wrap("aa bb cc", 5), vec!["aa bb", "cc"]);
        assert_eq!(wrap("abcdefg", 3), vec!["abc", "def", "g"]);
        assert_eq!(wrap("日本語", 4), vec!["日本", "語"]);
        assert_eq!(wrap("a\n\nb", 4), vec!["a", "", "b"]);
    }
}
