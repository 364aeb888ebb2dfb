//! Saved copies of what an outlet published (a source's `snapshot`): finding one safely inside
//! the corpus folder, reading it within a size limit, checking its recorded SHA-256, and
//! turning it into the text a quote is compared against (for HTML, the page's visible text,
//! through html5ever's tokenizer).
//!
//! The comparison form is what `verify` searches: whitespace runs are one space, typographic
//! quotes and apostrophes are straight ones, `…` is `...`, ligatures are spelled out, soft
//! hyphens and zero-width characters vanish, and the space French typography puts inside
//! guillemets and before `: ; ! ?` is optional. Case, accents and every other character count.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::fs;
use std::io::{self, Read};
use std::path::{Component, Path, PathBuf};

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{
    BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};
use sha2::{Digest, Sha256};

use crate::check::{Diagnostic, Severity};
use crate::model::{Incident, Source};
use crate::store::Corpus;

/// The largest saved copy the program reads or records: 20 MB.
pub const MAX_BYTES: u64 = 20 * 1024 * 1024;

/// What is wrong with a saved copy, each naming the file.
#[derive(Debug, thiserror::Error)]
pub enum SnapshotError {
    #[error("{}: the saved copy is missing: put the file there, or fix `snapshot`", .0.display())]
    Missing(PathBuf),
    #[error(
        "{}: the saved copy leads outside the corpus folder (to {}): keep snapshots inside it",
        .0.display(), .1.display()
    )]
    OutsideCorpus(PathBuf, PathBuf),
    #[error("{}: the saved copy is not a regular file: save the page as a file", .0.display())]
    NotAFile(PathBuf),
    #[error(
        "{}: the saved copy is {} bytes, over the 20 MB limit: save only the article's text",
        .0.display(), .1
    )]
    TooLarge(PathBuf, u64),
    #[error("{}: cannot read the saved copy: {}", .0.display(), .1)]
    Unreadable(PathBuf, io::Error),
    #[error(
        "{}: the saved copy is a PDF: save the text extracted from it (`pdftotext FILE`) instead",
        .0.display()
    )]
    Pdf(PathBuf),
    #[error(
        "{}: the saved copy is not UTF-8 text (binary, or another encoding): save the page's \
         text or HTML as UTF-8",
        .0.display()
    )]
    NotText(PathBuf),
    #[error(
        "{}: the saved copy changed since it was recorded: its SHA-256 is {actual}, the record \
         says {recorded}; restore the copy, or record the new hash if the change is meant",
        .path.display()
    )]
    HashMismatch {
        path: PathBuf,
        recorded: String,
        actual: String,
    },
}

/// Why a `snapshot` value cannot name a file inside the corpus folder, judged from the text
/// alone; `None` when it can.
pub fn path_problem(path: &str) -> Option<&'static str> {
    if path.trim().is_empty() {
        return Some("is empty");
    }
    if path
        .chars()
        .any(|c| c.is_control() || crate::text::is_unsafe(c))
    {
        return Some("holds control characters");
    }
    if path.contains('\\') {
        return Some("uses `\\`");
    }
    let bytes = path.as_bytes();
    if path.starts_with('/') || (bytes.len() >= 2 && bytes[1] == b':') {
        return Some("is an absolute path");
    }
    if path.ends_with('/') {
        return Some("names a folder");
    }
    for part in path.split('/') {
        match part {
            "" => return Some("has an empty part (`//`)"),
            ".." => return Some("climbs out with `..`"),
            "." => return Some("has a `.` part"),
            _ => {}
        }
    }
    if Path::new(path)
        .components()
        .any(|c| !matches!(c, Component::Normal(_)))
    {
        return Some("is not a plain relative path");
    }
    None
}

/// The SHA-256 of some bytes, as lowercase hexadecimal.
pub fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let mut out = String::with_capacity(64);
    for b in digest {
        out.push_str(&format!("{b:02x}"));
    }
    out
}

/// The file a `snapshot` value names under `root`, checked to be a regular file inside the
/// corpus folder once links are followed.
pub fn resolve(root: &Path, rel: &str) -> Result<PathBuf, SnapshotError> {
    let shown = root.join(rel);
    if path_problem(rel).is_some() {
        return Err(SnapshotError::OutsideCorpus(shown.clone(), shown));
    }
    let real_root =
        fs::canonicalize(root).map_err(|e| SnapshotError::Unreadable(shown.clone(), e))?;
    let real = match fs::canonicalize(&shown) {
        Ok(p) => p,
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            return Err(SnapshotError::Missing(shown));
        }
        Err(e) => return Err(SnapshotError::Unreadable(shown, e)),
    };
    if !real.starts_with(&real_root) {
        return Err(SnapshotError::OutsideCorpus(shown, real));
    }
    match fs::metadata(&real) {
        Ok(m) if !m.is_file() => Err(SnapshotError::NotAFile(shown)),
        Ok(m) if m.len() > MAX_BYTES => Err(SnapshotError::TooLarge(shown, m.len())),
        Ok(_) => Ok(real),
        Err(e) => Err(SnapshotError::Unreadable(shown, e)),
    }
}

/// A file's bytes, refusing anything but a regular file of at most [`MAX_BYTES`]; `shown` is
/// the name errors give.
pub fn read_limited(real: &Path, shown: &Path) -> Result<Vec<u8>, SnapshotError> {
    let meta = fs::metadata(real).map_err(|e| SnapshotError::Unreadable(shown.into(), e))?;
    if !meta.is_file() {
        return Err(SnapshotError::NotAFile(shown.into()));
    }
    if meta.len() > MAX_BYTES {
        return Err(SnapshotError::TooLarge(shown.into(), meta.len()));
    }
    let file = fs::File::open(real).map_err(|e| SnapshotError::Unreadable(shown.into(), e))?;
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(MAX_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| SnapshotError::Unreadable(shown.into(), e))?;
    if bytes.len() as u64 > MAX_BYTES {
        return Err(SnapshotError::TooLarge(shown.into(), bytes.len() as u64));
    }
    Ok(bytes)
}

/// A saved copy, read and checked, in the form quotes are compared against.
#[derive(Debug, Clone)]
pub struct Snapshot {
    /// The corpus folder joined with the `snapshot` value, as errors and reports name it.
    pub path: PathBuf,
    /// The SHA-256 of its bytes.
    pub sha256: String,
    /// Whether it was read as HTML (and `text` is its visible text).
    pub html: bool,
    /// The comparison form of its (visible) text.
    pub text: String,
}

/// The visible text of a saved copy's bytes: UTF-8 text as it is, HTML through a real HTML5
/// tokenizer. Refuses PDFs and anything that is not UTF-8 text.
pub fn decode(bytes: &[u8], shown: &Path) -> Result<(String, bool), SnapshotError> {
    if bytes.starts_with(b"%PDF-") {
        return Err(SnapshotError::Pdf(shown.into()));
    }
    let text = std::str::from_utf8(bytes).map_err(|_| SnapshotError::NotText(shown.into()))?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    // Text files hold no NUL nor a run of other C0 controls; binary data almost always does.
    let controls = text
        .bytes()
        .take(64 * 1024)
        .filter(|&b| b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0c))
        .count();
    if text.contains('\0') || controls > 8 {
        return Err(SnapshotError::NotText(shown.into()));
    }
    if looks_like_html(shown, text) {
        Ok((visible_text(text), true))
    } else {
        Ok((text.to_string(), false))
    }
}

/// Reads the saved copy a source names and checks it against its recorded hash. `None` when
/// the source names no saved copy.
pub fn load(root: &Path, source: &Source) -> Option<Result<Snapshot, SnapshotError>> {
    let rel = source.snapshot.as_deref()?;
    Some((|| {
        let shown = root.join(rel);
        let real = resolve(root, rel)?;
        let bytes = read_limited(&real, &shown)?;
        let actual = sha256_hex(&bytes);
        if let Some(recorded) = &source.sha256
            && !recorded.eq_ignore_ascii_case(&actual)
        {
            return Err(SnapshotError::HashMismatch {
                path: shown,
                recorded: recorded.clone(),
                actual,
            });
        }
        let (text, html) = decode(&bytes, &shown)?;
        Ok(Snapshot {
            path: shown,
            sha256: actual,
            html,
            text: comparable(&text),
        })
    })())
}

/// What the interface shows beside a source: whether its saved copy is there and unchanged.
#[derive(Debug)]
pub enum SnapshotStatus {
    /// The source names no saved copy.
    None,
    /// The saved copy is there, readable, and its SHA-256 is the one recorded.
    Verified,
    /// The saved copy is there and readable, but no `sha256` is recorded to check it against.
    Unhashed,
    /// Something is wrong with it.
    Problem(SnapshotError),
}

/// Whether a source's saved copy verifies: there, inside the corpus, readable text, and
/// unchanged since its hash was recorded.
pub fn status(root: &Path, source: &Source) -> SnapshotStatus {
    match load(root, source) {
        None => SnapshotStatus::None,
        Some(Err(e)) => SnapshotStatus::Problem(e),
        Some(Ok(_)) if source.sha256.is_none() => SnapshotStatus::Unhashed,
        Some(Ok(_)) => SnapshotStatus::Verified,
    }
}

/// `check`'s diagnostics about saved copies: each problem at its source's `snapshot` line, and
/// a warning, with the hash to record, for a copy whose `sha256` is missing. Reads every
/// saved copy, so it runs only for `check` and `verify`, not on every load.
pub fn diagnostics(corpus: &Corpus) -> Vec<Diagnostic> {
    let sources: Vec<(&Incident, &Source)> = corpus
        .incidents
        .iter()
        .flat_map(|i| i.sources.iter().map(move |s| (i, s)))
        .filter(|(_, s)| s.snapshot.is_some())
        .collect();
    let results = in_parallel(&sources, |(_, s)| {
        load(&corpus.root, s).map(|r| r.map(|snap| snap.sha256))
    });
    let mut out = Vec::new();
    for ((inc, source), result) in sources.iter().zip(results) {
        let at = |severity, message: String| Diagnostic {
            path: inc.path.clone(),
            line: source.snapshot_line.max(source.line),
            column: 1,
            severity,
            message,
        };
        match result {
            Some(Err(e)) => out.push(at(Severity::Error, format!("source `{}`: {e}", source.id))),
            Some(Ok(hash)) if source.sha256.is_none() => out.push(at(
                Severity::Warning,
                format!(
                    "source `{}` has a `snapshot` but no `sha256`: record sha256 = \"{hash}\" so \
                     that a changed copy is noticed",
                    source.id
                ),
            )),
            _ => {}
        }
    }
    out
}

/// Runs `f` over `items` on up to as many threads as the machine has cores, keeping order.
pub(crate) fn in_parallel<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(8);
    if threads <= 1 || items.len() < 16 {
        return items.iter().map(&f).collect();
    }
    let chunk = items.len().div_ceil(threads);
    let f = &f;
    std::thread::scope(|scope| {
        let handles: Vec<_> = items
            .chunks(chunk)
            .map(|part| scope.spawn(move || part.iter().map(f).collect::<Vec<R>>()))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("a snapshot thread panicked"))
            .collect()
    })
}

fn looks_like_html(path: &Path, text: &str) -> bool {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    if matches!(ext.as_deref(), Some("html" | "htm" | "xhtml")) {
        return true;
    }
    if matches!(ext.as_deref(), Some("txt" | "text" | "md")) {
        return false;
    }
    let head: String = text
        .trim_start()
        .chars()
        .take(15)
        .collect::<String>()
        .to_ascii_lowercase();
    head.starts_with("<!doctype html") || head.starts_with("<html")
}

/// Elements whose content is never shown.
fn hidden(name: &str) -> bool {
    matches!(
        name,
        "script" | "style" | "template" | "noscript" | "iframe" | "noembed" | "noframes"
    )
}

/// Elements that break the flow of text: words on either side never run together.
fn breaks_text(name: &str) -> bool {
    matches!(
        name,
        "address"
            | "article"
            | "aside"
            | "blockquote"
            | "body"
            | "br"
            | "caption"
            | "dd"
            | "details"
            | "dialog"
            | "div"
            | "dl"
            | "dt"
            | "fieldset"
            | "figcaption"
            | "figure"
            | "footer"
            | "form"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "head"
            | "header"
            | "hr"
            | "html"
            | "img"
            | "li"
            | "main"
            | "nav"
            | "ol"
            | "option"
            | "p"
            | "pre"
            | "section"
            | "summary"
            | "table"
            | "tbody"
            | "td"
            | "tfoot"
            | "th"
            | "thead"
            | "title"
            | "tr"
            | "ul"
    )
}

/// Collects the characters a reader sees. The tokenizer decodes entities and skips comments;
/// the sink tells it, as a tree builder would, which elements hold raw text, and leaves out
/// what is inside hidden ones.
struct TextSink {
    out: RefCell<String>,
    /// Inside a hidden element with raw content (`<script>`, `<style>`...).
    raw_hidden: Cell<bool>,
    /// How many `<template>` elements are open.
    templates: Cell<u32>,
}

impl TokenSink for TextSink {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        match token {
            Token::CharacterTokens(t) => {
                if !self.raw_hidden.get() && self.templates.get() == 0 {
                    self.out.borrow_mut().push_str(&t);
                }
            }
            Token::TagToken(tag) => {
                let name: &str = &tag.name;
                if breaks_text(name) {
                    self.out.borrow_mut().push('\n');
                }
                match (tag.kind, name) {
                    (TagKind::StartTag, "template") => self.templates.set(self.templates.get() + 1),
                    (TagKind::EndTag, "template") => {
                        self.templates.set(self.templates.get().saturating_sub(1))
                    }
                    (TagKind::EndTag, n) if hidden(n) => self.raw_hidden.set(false),
                    (TagKind::StartTag, "script") => {
                        self.raw_hidden.set(true);
                        return TokenSinkResult::RawData(RawKind::ScriptData);
                    }
                    (TagKind::StartTag, n) if hidden(n) => {
                        self.raw_hidden.set(true);
                        return TokenSinkResult::RawData(RawKind::Rawtext);
                    }
                    (TagKind::StartTag, "title" | "textarea") => {
                        return TokenSinkResult::RawData(RawKind::Rcdata);
                    }
                    (TagKind::StartTag, "xmp") => {
                        return TokenSinkResult::RawData(RawKind::Rawtext);
                    }
                    (TagKind::StartTag, "plaintext") => return TokenSinkResult::Plaintext,
                    _ => {}
                }
            }
            Token::NullCharacterToken
            | Token::CommentToken(_)
            | Token::DoctypeToken(_)
            | Token::EOFToken
            | Token::ParseError(_) => {}
        }
        TokenSinkResult::Continue
    }
}

/// The text an HTML page shows: entities decoded, tags, comments, scripts and styles left out,
/// block elements separated by a line break.
pub fn visible_text(html: &str) -> String {
    let sink = TextSink {
        out: RefCell::new(String::with_capacity(html.len() / 2)),
        raw_hidden: Cell::new(false),
        templates: Cell::new(0),
    };
    let tokenizer = Tokenizer::new(sink, TokenizerOpts::default());
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(html));
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    tokenizer.sink.out.take()
}

/// A text in the form quotes are compared in (see the module documentation).
pub fn comparable(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    // A space seen but not yet written: it is written before the next visible character,
    // unless that character is one French typography sets a space before.
    let mut space = false;
    // Just after an opening guillemet, where a space is optional.
    let mut opened = false;
    for c in text.chars() {
        if c.is_whitespace() {
            space = !out.is_empty() && !opened;
            continue;
        }
        let mapped: &str = match c {
            '\u{00AD}' | '\u{200B}' | '\u{2060}' | '\u{FEFF}' => continue,
            '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{02BC}' | '\u{2032}'
            | '\u{2039}' | '\u{203A}' => "'",
            '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2033}' | '«' | '»' => "\"",
            '…' => "...",
            'ﬁ' => "fi",
            'ﬂ' => "fl",
            'ﬀ' => "ff",
            'ﬃ' => "ffi",
            'ﬄ' => "ffl",
            _ => "",
        };
        let closes = matches!(c, '»' | '\u{203A}' | ':' | ';' | '!' | '?');
        if space && !closes {
            out.push(' ');
        }
        space = false;
        if mapped.is_empty() {
            out.push(c);
        } else {
            out.push_str(mapped);
        }
        opened = matches!(c, '«' | '\u{2039}');
    }
    out
}

/// The parts of a quote that must each be found, in order: a quote shortened with `[…]` or
/// `(…)` is its pieces, and an ellipsis that opens or ends it marks a cut, not words.
pub fn quote_parts(quote: &str) -> Vec<String> {
    let q = comparable(quote);
    let mut parts = Vec::new();
    let mut rest = q.as_str();
    loop {
        let cut = ["[...]", "(...)"]
            .iter()
            .filter_map(|m| rest.find(m).map(|i| (i, m.len())))
            .min();
        let (piece, next) = match cut {
            Some((i, len)) => (&rest[..i], Some(&rest[i + len..])),
            None => (rest, None),
        };
        let piece = piece
            .trim()
            .trim_start_matches("...")
            .trim_end_matches("...")
            .trim();
        if !piece.is_empty() {
            parts.push(piece.to_string());
        }
        match next {
            Some(n) => rest = n,
            None => break,
        }
    }
    parts
}

/// Whether every part of `quote` appears in `haystack` (a comparison form), in order.
pub fn contains_quote(haystack: &str, quote: &str) -> bool {
    let parts = quote_parts(quote);
    if parts.is_empty() {
        return false;
    }
    let mut from = 0;
    for part in &parts {
        match memchr::memmem::find(&haystack.as_bytes()[from..], part.as_bytes()) {
            Some(i) => from += i + part.len(),
            None => return false,
        }
    }
    true
}

/// Words for closeness: folded (case and accents ignored), with their byte ranges.
fn words(text: &str) -> Vec<(usize, usize, String)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text
        .char_indices()
        .chain(std::iter::once((text.len(), ' ')))
    {
        if c.is_alphanumeric() {
            start.get_or_insert(i);
        } else if let Some(s) = start.take() {
            out.push((s, i, crate::fold::fold(&text[s..i])));
        }
    }
    out
}

/// The passage of `haystack` as long as `quote` (in words) that shares most of its words: a
/// sliding window over the haystack's words, linear in its length.
pub fn closest_passage<'h>(haystack: &'h str, quote: &str) -> &'h str {
    let q = comparable(quote);
    let qwords = words(&q);
    let hwords = words(haystack);
    if qwords.is_empty() || hwords.is_empty() {
        return "";
    }
    let mut ids: HashMap<&str, usize> = HashMap::new();
    for (_, _, w) in &qwords {
        let n = ids.len();
        ids.entry(w.as_str()).or_insert(n);
    }
    let mut need = vec![0i32; ids.len()];
    for (_, _, w) in &qwords {
        need[ids[w.as_str()]] += 1;
    }
    let hid: Vec<Option<usize>> = hwords
        .iter()
        .map(|(_, _, w)| ids.get(w.as_str()).copied())
        .collect();
    let n = qwords.len().min(hwords.len());
    let mut have = vec![0i32; ids.len()];
    let mut matched = 0i32;
    let add = |id: Option<usize>, have: &mut Vec<i32>, matched: &mut i32, d: i32| {
        if let Some(id) = id {
            let before = have[id].min(need[id]);
            have[id] += d;
            *matched += have[id].min(need[id]) - before;
        }
    };
    for &id in &hid[..n] {
        add(id, &mut have, &mut matched, 1);
    }
    // Among windows sharing as many words, the one that starts and ends as the quote does.
    let (first, last) = (
        ids[qwords[0].2.as_str()],
        ids[qwords[qwords.len() - 1].2.as_str()],
    );
    let score = |matched: i32, start: usize| {
        matched * 4
            + 2 * i32::from(hid[start] == Some(first))
            + i32::from(hid[start + n - 1] == Some(last))
    };
    let (mut best, mut best_at) = (score(matched, 0), 0);
    for start in 1..=(hwords.len() - n) {
        add(hid[start - 1], &mut have, &mut matched, -1);
        add(hid[start + n - 1], &mut have, &mut matched, 1);
        let s = score(matched, start);
        if s > best {
            best = s;
            best_at = start;
        }
    }
    &haystack[hwords[best_at].0..hwords[best_at + n - 1].1]
}

/// The share of a paraphrase's distinct words (folded) that its source's text has anywhere.
pub fn share_of_words(words_of_source: &std::collections::HashSet<String>, text: &str) -> f64 {
    let mut distinct: Vec<String> = words(&comparable(text)).into_iter().map(|w| w.2).collect();
    distinct.sort();
    distinct.dedup();
    if distinct.is_empty() {
        return 1.0;
    }
    let found = distinct
        .iter()
        .filter(|w| words_of_source.contains(w.as_str()))
        .count();
    found as f64 / distinct.len() as f64
}

/// Every distinct folded word of a text.
pub fn word_set(text: &str) -> std::collections::HashSet<String> {
    words(text).into_iter().map(|w| w.2).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_shapes() {
        assert_eq!(path_problem("sources/acme/page.html"), None);
        assert_eq!(path_problem("page.txt"), None);
        for bad in [
            "",
            "/etc/passwd",
            "../x",
            "sources/../../x",
            "a//b",
            "./a",
            "a\\b",
            "C:/x",
            "a/",
            "a\u{1b}b",
        ] {
            assert!(path_problem(bad).is_some(), "{bad:?}");
        }
    }

    #[test]
    fn comparison_ignores_only_typography() {
        assert_eq!(
            comparable("  l’application\u{a0}\n « vendre »  "),
            "l'application \"vendre\""
        );
        assert_eq!(comparable("«vendre»"), comparable("« vendre »"));
        assert_eq!(comparable("pas !"), comparable("pas!"));
        assert_eq!(comparable("a\u{AD}b …"), "ab ...");
        assert_ne!(comparable("Vendre"), comparable("vendre"));
        assert_ne!(comparable("vendre"), comparable("véndre"));
        assert_ne!(comparable("no thing"), comparable("nothing"));
    }

    #[test]
    fn html_visible_text() {
        let html = "<!doctype html><html><head><title>T</title><style>p{x:1}</style>\
            <script>var s = '<p>Nous vendons</p>';</script></head><body><p>Nous ne \
            <b>vendons</b> pas&nbsp;&amp; ne vendrons&#160;pas</p><p>de donn&eacute;es</p>\
            <!-- Nous vendons --><template><p>caché</p></template><noscript>JS</noscript></body></html>";
        let text = comparable(&visible_text(html));
        assert!(
            text.contains("Nous ne vendons pas & ne vendrons pas de données"),
            "{text}"
        );
        assert!(!text.contains("Nous vendons"), "{text}");
        assert!(!text.contains("caché") && !text.contains("JS") && !text.contains("x:1"));
    }

    #[test]
    fn shortened_quotes_match_in_order() {
        let hay = comparable("Nous ne vendons pas, dit-il, et ne vendrons pas de données.");
        assert!(contains_quote(
            &hay,
            "Nous ne vendons pas […] et ne vendrons pas"
        ));
        assert!(contains_quote(&hay, "…ne vendrons pas de données"));
        assert!(!contains_quote(
            &hay,
            "et ne vendrons pas […] Nous ne vendons pas"
        ));
        assert!(!contains_quote(&hay, "[…]"));
    }

    #[test]
    fn the_closest_passage_shares_most_words() {
        let hay = comparable(
            "Le groupe affirme que le programme a connu un grand succès. Plus loin, un autre \
             sujet sans rapport. Nous ne vendons pas et ne vendrons pas de données clients.",
        );
        let p = closest_passage(
            &hay,
            "Nous ne vendons pas et ne vendrons jamais de données clients",
        );
        assert_eq!(
            p,
            "Nous ne vendons pas et ne vendrons pas de données clients"
        );
    }

    #[test]
    fn binary_and_pdf_are_refused() {
        let p = Path::new("x.txt");
        assert!(matches!(
            decode(b"%PDF-1.7 ...", p),
            Err(SnapshotError::Pdf(_))
        ));
        assert!(matches!(
            decode(&[0xff, 0xfe, 0, 1], p),
            Err(SnapshotError::NotText(_))
        ));
        assert!(matches!(decode(b"a\0b", p), Err(SnapshotError::NotText(_))));
        assert_eq!(decode("texte brut".as_bytes(), p).unwrap().0, "texte brut");
    }
}
