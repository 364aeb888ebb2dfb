//! The Markdown export, ready to paste into an article draft: per incident its title and
//! company, a timeline table (date, speaker, kind, the quote, a source link), then each verdict
//! with both statements side by side and the note.
//!
//! Record text is untrusted here as everywhere: control characters are shown visibly (through
//! [`crate::text`]), and every character Markdown or HTML would act on is escaped, so that no
//! record can add a heading, a link, an image, raw HTML or a table column. Links are made only
//! to `http` and `https` addresses, percent-encoded.

use std::fmt::Write as _;
use std::io::Write;

use super::{ExportError, Selection, Summary};
use crate::model::{Contradiction, Incident, Statement};
use crate::query::Filter;
use crate::store::Corpus;
use crate::text::one_line;

pub fn write_markdown(
    mut w: impl Write,
    corpus: &Corpus,
    filter: &Filter,
) -> Result<Summary, ExportError> {
    let selection = Selection::new(corpus, filter);
    for (n, sel) in selection.incidents.iter().enumerate() {
        if n > 0 {
            w.write_all(b"\n")?;
        }
        let mut page = String::new();
        incident(&mut page, sel.incident, &sel.statements);
        verdicts(&mut page, corpus, &sel.contradictions);
        w.write_all(page.as_bytes())?;
    }
    w.flush()?;
    Ok(selection.summary())
}

fn incident(out: &mut String, inc: &Incident, statements: &[&Statement]) {
    let _ = writeln!(out, "## {}\n", inline(&inc.title));
    let _ = writeln!(out, "**{}** · `{}`\n", inline(&inc.company), inc.id);
    if let Some(summary) = &inc.summary {
        for para in paragraphs(summary) {
            let _ = writeln!(out, "{para}\n");
        }
    }
    out.push_str("| Date | Speaker | Kind | Quote | Source |\n");
    out.push_str("| --- | --- | --- | --- | --- |\n");
    let mut ordered = statements.to_vec();
    ordered.sort_by_key(|s| s.date);
    for st in ordered {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} |",
            st.date.human(),
            speaker(st),
            st.kind,
            quote(st),
            source_link(inc, st),
        );
    }
}

fn verdicts(out: &mut String, corpus: &Corpus, contradictions: &[&Contradiction]) {
    if contradictions.is_empty() {
        return;
    }
    out.push_str("\n### Verdicts\n");
    for c in contradictions {
        let _ = writeln!(
            out,
            "\n#### {}: `{}` → `{}`\n",
            c.verdict, c.between[0], c.between[1]
        );
        let pair = [
            corpus.statement(&c.between[0]),
            corpus.statement(&c.between[1]),
        ];
        let head = pair.map(|s| match s {
            Some((_, st)) => format!("{} · {} · {}", st.date.human(), speaker(st), st.kind),
            None => "(not in the corpus)".to_string(),
        });
        let body = pair.map(|s| s.map(|(_, st)| quote(st)).unwrap_or_default());
        let _ = writeln!(out, "| {} | {} |", head[0], head[1]);
        out.push_str("| --- | --- |\n");
        let _ = writeln!(out, "| {} | {} |", body[0], body[1]);
        if let Some(claim) = &c.claim {
            let _ = writeln!(out, "\n**Claim:** {}", inline_text(claim));
        }
        if let Some(note) = &c.note {
            let _ = writeln!(out, "\n**Note:** {}", inline_text(note));
        }
        if let Some(by) = &c.tagged_by {
            let at = c
                .tagged_at
                .map(|t| format!(" on {}", t.format("%Y-%m-%d")))
                .unwrap_or_default();
            let _ = writeln!(out, "\n*Tagged by {}{at}.*", inline(by));
        }
    }
}

/// The statement's words, and its translation in italics below them.
fn quote(st: &Statement) -> String {
    let mut out = cell(&st.text);
    if let Some(t) = &st.translation {
        let _ = write!(out, "<br>*{}*", cell(t));
    }
    out
}

fn speaker(st: &Statement) -> String {
    match &st.role {
        Some(role) => format!("{} ({})", inline(&st.speaker), inline(role)),
        None => inline(&st.speaker),
    }
}

fn source_link(inc: &Incident, st: &Statement) -> String {
    let source = st.source.as_deref().and_then(|s| inc.source(s));
    // "Le Parisien, as reported by AFP (Le Figaro)" when the source credits another outlet.
    let outlet = inc.credit(st).map(|c| inline(&c));
    let url = st
        .url
        .as_deref()
        .or_else(|| source.and_then(|s| s.url.as_deref()))
        .and_then(super::web_url);
    match (outlet, url) {
        (Some(o), Some(u)) => format!("[{o}](<{u}>)"),
        (None, Some(u)) => format!("[link](<{u}>)"),
        (Some(o), None) => o,
        (None, None) => "—".to_string(),
    }
}

/// Whether Markdown or HTML could read this character as markup inside a line (`@` too:
/// GitHub would notify a user named in a record).
fn is_markup(c: char) -> bool {
    matches!(
        c,
        '\\' | '`'
            | '*'
            | '_'
            | '['
            | ']'
            | '<'
            | '>'
            | '|'
            | '~'
            | '#'
            | '&'
            | '!'
            | '$'
            | '{'
            | '}'
            | '@'
    )
}

/// One line of record text as literal Markdown: controls shown visibly, markup escaped, and
/// what would start a block (a list, a heading, a rule) at the start of a line defused.
pub fn inline(s: &str) -> String {
    let safe = one_line(s.trim());
    let mut out = String::with_capacity(safe.len() + 8);
    for c in safe.chars() {
        if is_markup(c) {
            out.push('\\');
        }
        out.push(c);
    }
    // `-`, `+` and `=` start lists and underline headings; `1.` and `1)` start ordered lists.
    if out.starts_with(['-', '+', '=']) {
        out.insert(0, '\\');
    }
    let digits = out.bytes().take_while(u8::is_ascii_digit).count();
    if digits > 0 && matches!(out.as_bytes().get(digits), Some(b'.' | b')')) {
        out.insert(digits, '\\');
    }
    out
}

/// Text that may hold line breaks, for a table cell: each line escaped, joined by `<br>`.
pub fn cell(s: &str) -> String {
    let lines: Vec<String> = s.trim().lines().map(inline).collect();
    lines.join("<br>")
}

/// A note or claim as one paragraph: its lines joined by spaces.
fn inline_text(s: &str) -> String {
    paragraphs(s).join("<br><br>")
}

/// A free text's paragraphs (separated by blank lines), each as one escaped line.
fn paragraphs(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    for line in s.lines().chain(std::iter::once("")) {
        if line.trim().is_empty() {
            if !current.is_empty() {
                out.push(inline(&current.join(" ")));
                current.clear();
            }
        } else {
            current.push(line.trim());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_in_record_text_stays_text() {
        assert_eq!(inline("a | b"), "a \\| b");
        assert_eq!(
            inline("[x](javascript:alert(1))"),
            "\\[x\\](javascript:alert(1))"
        );
        assert_eq!(inline("<img src=x>"), "\\<img src=x\\>");
        assert_eq!(inline("# Title ##"), "\\# Title \\#\\#");
        assert_eq!(inline("- item"), "\\- item");
        assert_eq!(inline("=HYPERLINK(1)"), "\\=HYPERLINK(1)");
        assert_eq!(inline("1. first"), "1\\. first");
        assert_eq!(inline("2024) x"), "2024\\) x");
        assert_eq!(inline("&amp;"), "\\&amp;");
        assert_eq!(inline("données « ok »"), "données « ok »");
    }

    #[test]
    fn controls_show_and_lines_break_inside_a_cell() {
        assert_eq!(
            inline("a\x1b[31mb\u{202e}c"),
            "a␛\\[31mb<U+202E>c".replace('<', "\\<").replace('>', "\\>")
        );
        assert_eq!(cell("one\ntwo"), "one<br>two");
        assert!(!cell("a\r\nb\x07").chars().any(|c| c.is_control()));
    }

    #[test]
    fn links_only_to_the_web() {
        assert_eq!(crate::export::web_url("javascript:alert(1)"), None);
        assert_eq!(
            crate::export::web_url("https://example.com/a b|c>d"),
            Some("https://example.com/a%20b%7Cc%3Ed".into())
        );
    }
}
