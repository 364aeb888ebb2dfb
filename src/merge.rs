//! Merging three versions of an incident file entry by entry, as git's merge driver for
//! incident files (`onrecord merge-file`).
//!
//! Each version is cut into pieces (see [`split`]): top-level keys, entries by `id` (a verdict
//! without an `id` by its pair), other tables, and the end of the file. A piece changed on one
//! side only takes that change; added on either side it is kept, ours first, each side's own
//! order kept, placed after the piece it followed; removed on one side and untouched on the
//! other it goes. Only a piece changed differently on both sides (or added on both with
//! different text, or changed on one and removed on the other) is a conflict, and only it is
//! put between conflict markers. A piece nobody changed is given back byte for byte.
//!
//! Record text cannot forge a conflict marker: a line of a multi-line string that would read as
//! one (`=======`, `<<<<<<<`, ...) is written, in a file left with conflicts, with its first
//! character as a `\uXXXX` escape, which reads back as the same text.

pub mod split;

use std::borrow::Cow;
use std::collections::HashMap;

use toml_parser::Source;
use toml_parser::lexer::TokenKind;

use split::{Key, Piece};

/// How to merge: the incident the file holds (to read bare references), and the conflict
/// markers' size and labels.
#[derive(Debug, Clone)]
pub struct Options {
    pub incident: String,
    pub marker_size: usize,
    pub ours_label: String,
    pub theirs_label: String,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            incident: String::new(),
            marker_size: 7,
            ours_label: "ours".into(),
            theirs_label: "theirs".into(),
        }
    }
}

/// A merge's result: the text, and what conflicts it holds.
#[derive(Debug, Clone)]
pub struct Merged {
    pub text: String,
    /// One description for each piece left between conflict markers.
    pub conflicts: Vec<String>,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum MergeError {
    #[error("{which} is not valid TOML ({message})")]
    NotToml {
        which: &'static str,
        message: String,
    },
    #[error("{0}")]
    Unsupported(String),
}

struct Version<'a> {
    bom: bool,
    text: &'a str,
    pieces: Vec<Piece>,
    index: HashMap<(Key, u32), usize>,
    /// Every verdict by its pair, whether or not it also has an id.
    pairs: HashMap<Key, usize>,
}

impl<'a> Version<'a> {
    fn new(which: &'static str, raw: &'a str, incident: &str) -> Result<Self, MergeError> {
        let (bom, text) = match raw.strip_prefix('\u{feff}') {
            Some(t) => (true, t),
            None => (false, raw),
        };
        if let Err(e) = toml::de::DeTable::parse(text) {
            let at = e
                .span()
                .map(|s| {
                    let line = text[..s.start.min(text.len())].matches('\n').count() + 1;
                    format!("line {line}: ")
                })
                .unwrap_or_default();
            return Err(MergeError::NotToml {
                which,
                message: format!("{at}{}", e.message().trim().replace('\n', " ")),
            });
        }
        let pieces = split::split(text, incident)
            .map_err(|e| MergeError::Unsupported(format!("{which}: {e}")))?;
        let mut index = HashMap::with_capacity(pieces.len());
        let mut pairs = HashMap::new();
        for (i, p) in pieces.iter().enumerate() {
            index.insert((p.key.clone(), p.nth), i);
            if let Some(pair) = pair_of(p) {
                pairs.entry(pair.clone()).or_insert(i);
            }
        }
        Ok(Version {
            bom,
            text,
            pieces,
            index,
            pairs,
        })
    }

    fn find(&self, p: &Piece) -> Option<usize> {
        self.index
            .get(&(p.key.clone(), p.nth))
            .copied()
            .or_else(|| pair_of(p).and_then(|pair| self.pairs.get(pair).copied()))
    }

    fn text(&self, i: usize) -> &'a str {
        &self.text[self.pieces[i].span.clone()]
    }

    fn crlf(&self) -> bool {
        self.text
            .find('\n')
            .is_some_and(|i| self.text[..i].ends_with('\r'))
    }
}

fn pair_of(p: &Piece) -> Option<&Key> {
    match &p.key {
        k @ Key::Pair(..) => Some(k),
        _ => p.pair.as_ref(),
    }
}

/// Two pieces are the same when their text is, but for a final line ending (the last piece of
/// a file may lack one, and gains one when something is appended after it).
fn same(a: &str, b: &str) -> bool {
    fn trim(s: &str) -> &str {
        let s = s.strip_suffix('\n').unwrap_or(s);
        s.strip_suffix('\r').unwrap_or(s)
    }
    trim(a) == trim(b)
}

enum Out<'a> {
    /// A piece's text, its key, and whether it is theirs.
    Take(&'a str, &'a Key, bool),
    Conflict {
        ours: Option<&'a str>,
        theirs: Option<&'a str>,
        what: String,
    },
}

/// One piece of the result, in ours' order.
struct Slot<'a> {
    out: Option<Out<'a>>,
    /// Added by ours: a piece added by theirs after the same anchor goes after it.
    ours_added: bool,
}

/// Merges `ours` and `theirs`, two versions of the incident file `base`.
pub fn merge(base: &str, ours: &str, theirs: &str, opts: &Options) -> Result<Merged, MergeError> {
    // Each version is read on its own thread: reading is most of a merge's time.
    let (base, ours, theirs) = std::thread::scope(|s| {
        let b = s.spawn(|| Version::new("the common ancestor", base, &opts.incident));
        let t = s.spawn(|| Version::new("their version", theirs, &opts.incident));
        let o = Version::new("our version", ours, &opts.incident);
        (joined(b), o, joined(t))
    });
    // Errors in the order a person reads the versions: ours, theirs, the ancestor.
    let ours = ours?;
    let theirs = theirs?;
    let base = base?;

    let mut parts: Vec<Out> = Vec::new();
    for region in 0..=2 {
        merge_region(&base, &ours, &theirs, region, &mut parts);
    }
    let conflicts: Vec<String> = parts
        .iter()
        .filter_map(|o| match o {
            Out::Conflict { what, .. } => Some(what.clone()),
            Out::Take(..) => None,
        })
        .collect();

    let parts_keys: Vec<(&Key, bool)> = parts
        .iter()
        .filter_map(|p| match p {
            Out::Take(_, k, theirs) => Some((*k, *theirs)),
            Out::Conflict { .. } => None,
        })
        .collect();
    let nl = if ours.crlf() { "\r\n" } else { "\n" };
    let defuse_all = !conflicts.is_empty();
    let mut text = String::with_capacity(ours.text.len() + theirs.text.len() / 8 + 16);
    if if ours.bom == base.bom {
        theirs.bom
    } else {
        ours.bom
    } {
        text.push('\u{feff}');
    }
    let push = |text: &mut String, piece: &str| {
        if !text.is_empty() && !text.ends_with('\n') && !piece.is_empty() {
            text.push_str(nl);
        }
        if defuse_all {
            text.push_str(&defuse(piece));
        } else {
            text.push_str(piece);
        }
    };
    let marker = |c: char| c.to_string().repeat(opts.marker_size.max(1));
    for part in &parts {
        match part {
            Out::Take(s, ..) => push(&mut text, s),
            Out::Conflict { ours, theirs, .. } => {
                if !text.is_empty() && !text.ends_with('\n') {
                    text.push_str(nl);
                }
                text.push_str(&format!("{} {}{nl}", marker('<'), opts.ours_label));
                let side = |text: &mut String, s: &Option<&str>| {
                    if let Some(s) = s {
                        push(text, s);
                        if !text.ends_with('\n') {
                            text.push_str(nl);
                        }
                    }
                };
                side(&mut text, ours);
                text.push_str(&format!("{}{nl}", marker('=')));
                side(&mut text, theirs);
                text.push_str(&format!("{} {}{nl}", marker('>'), opts.theirs_label));
            }
        }
    }
    if conflicts.is_empty()
        && may_clash(&parts_keys)
        && let Err(e) = toml::de::DeTable::parse(text.trim_start_matches('\u{feff}'))
    {
        return Err(MergeError::Unsupported(format!(
            "merged entry by entry, the file would not be valid TOML ({})",
            e.message().trim().replace('\n', " ")
        )));
    }
    Ok(Merged { text, conflicts })
}

fn joined<'a>(
    h: std::thread::ScopedJoinHandle<'_, Result<Version<'a>, MergeError>>,
) -> Result<Version<'a>, MergeError> {
    h.join().unwrap_or_else(|_| {
        Err(MergeError::Unsupported(
            "a version could not be read".into(),
        ))
    })
}

/// Whether pieces of a clean merge could define one key twice, so that the result must be read
/// again to be sure it is TOML. Entries by themselves cannot: each comes from a valid version
/// and names only itself. A top-level key or a table can, when it comes from the other side or
/// is named like an array of entries.
fn may_clash(pieces: &[(&Key, bool)]) -> bool {
    pieces.iter().any(|(k, theirs)| match k {
        Key::Top(name) | Key::Table(name) => {
            let first = name.split('.').next().unwrap_or_default();
            *theirs || split::ENTRY_KINDS.contains(&first)
        }
        _ => false,
    })
}

fn merge_region<'a>(
    base: &'a Version<'a>,
    ours: &'a Version<'a>,
    theirs: &'a Version<'a>,
    region: u8,
    parts: &mut Vec<Out<'a>>,
) {
    let mut slots: Vec<Slot<'a>> = Vec::new();
    // Where each of theirs' pieces is in `slots`, when ours has it too.
    let mut theirs_slot: HashMap<usize, usize> = HashMap::new();
    for (oi, op) in ours.pieces.iter().enumerate() {
        if op.key.region() != region {
            continue;
        }
        let o = ours.text(oi);
        let b = base.find(op).map(|i| base.text(i));
        let ti = theirs.find(op);
        let t = ti.map(|i| theirs.text(i));
        let what = || op.key.describe();
        let out = match (b, t) {
            (Some(b), Some(t)) => {
                if same(o, t) || same(t, b) {
                    Some(Out::Take(o, &op.key, false))
                } else if same(o, b) {
                    Some(Out::Take(t, &op.key, true))
                } else {
                    Some(Out::Conflict {
                        ours: Some(o),
                        theirs: Some(t),
                        what: format!("{} was changed on both sides", what()),
                    })
                }
            }
            (Some(b), None) if same(o, b) => None,
            (Some(_), None) => Some(Out::Conflict {
                ours: Some(o),
                theirs: None,
                what: format!("{} was changed on our side and removed on theirs", what()),
            }),
            (None, Some(t)) if same(o, t) => Some(Out::Take(o, &op.key, false)),
            (None, Some(t)) => Some(Out::Conflict {
                ours: Some(o),
                theirs: Some(t),
                what: format!("{} was added on both sides, differently", what()),
            }),
            (None, None) => Some(Out::Take(o, &op.key, false)),
        };
        if let Some(ti) = ti {
            theirs_slot.insert(ti, slots.len());
        }
        slots.push(Slot {
            out,
            ours_added: b.is_none() && t.is_none(),
        });
    }

    // Theirs' pieces that ours does not have, each in the gap after the piece it followed
    // (gap k is before slot k).
    let mut gaps: Vec<Vec<Out<'a>>> = (0..=slots.len()).map(|_| Vec::new()).collect();
    let mut last_gap: Option<usize> = None;
    for (ti, tp) in theirs.pieces.iter().enumerate() {
        if tp.key.region() != region {
            continue;
        }
        if let Some(&slot) = theirs_slot.get(&ti) {
            last_gap = Some(slot + 1);
            continue;
        }
        if ours.find(tp).is_some() {
            continue;
        }
        let t = theirs.text(ti);
        let out = match base.find(tp).map(|i| base.text(i)) {
            Some(b) if same(t, b) => continue,
            Some(_) => Out::Conflict {
                ours: None,
                theirs: Some(t),
                what: format!(
                    "{} was removed on our side and changed on theirs",
                    tp.key.describe()
                ),
            },
            None => Out::Take(t, &tp.key, true),
        };
        // After what ours added at the same place: ours first.
        let mut gap = last_gap.unwrap_or(0);
        if gaps[gap].is_empty() {
            while gap < slots.len() && slots[gap].ours_added {
                gap += 1;
            }
        }
        gaps[gap].push(out);
        last_gap = Some(gap);
    }

    let mut gaps = gaps.into_iter();
    for slot in slots {
        parts.extend(gaps.next().into_iter().flatten());
        parts.extend(slot.out);
    }
    parts.extend(gaps.flatten());
}

/// The text with every line of a multi-line string that would read as a conflict marker
/// escaped, so that it reads back the same but cannot be taken for one.
pub fn defuse(text: &str) -> Cow<'_, str> {
    if !text.lines().any(looks_like_marker) {
        return Cow::Borrowed(text);
    }
    let tokens = Source::new(text).lex().into_vec();
    let mut out = String::with_capacity(text.len() + 16);
    let mut at = 0;
    for t in &tokens {
        let span = t.span();
        let raw = &text[span.start()..span.end()];
        let rewritten = match t.kind() {
            TokenKind::MlBasicString if raw.lines().any(looks_like_marker) => {
                Some(escape_marker_lines(raw))
            }
            TokenKind::MlLiteralString if raw.lines().any(looks_like_marker) => literal_value(raw)
                .map(|v| escape_marker_lines(&crate::write::toml_string(&v, true))),
            _ => None,
        };
        if let Some(new) = rewritten {
            out.push_str(&text[at..span.start()]);
            out.push_str(&new);
            at = span.end();
        }
    }
    out.push_str(&text[at..]);
    Cow::Owned(out)
}

fn looks_like_marker(line: &str) -> bool {
    let Some(first) = line.chars().next() else {
        return false;
    };
    matches!(first, '<' | '=' | '>' | '|')
        && line.chars().take(7).filter(|&c| c == first).count() == 7
}

/// A multi-line basic string's raw text with the first character of each marker-like line
/// written as an escape.
fn escape_marker_lines(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len() + 16);
    for (i, line) in raw.split_inclusive('\n').enumerate() {
        if i > 0 && looks_like_marker(line) {
            let first = line.chars().next().expect("a marker line is not empty");
            out.push_str(&format!("\\u{:04X}", first as u32));
            out.push_str(&line[first.len_utf8()..]);
        } else {
            out.push_str(line);
        }
    }
    out
}

/// The value of a multi-line literal string token.
fn literal_value(raw: &str) -> Option<String> {
    let table: toml::Table = toml::from_str(&format!("v = {raw}")).ok()?;
    table.get("v")?.as_str().map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str =
        "title = \"t\"\ncompany = \"Acme Widgets\"\n\n[[statements]]\nid = \"a\"\ntext = \"one\"\n";

    fn run(base: &str, ours: &str, theirs: &str) -> Merged {
        merge(base, ours, theirs, &Options::default()).unwrap()
    }

    #[test]
    fn both_sides_append() {
        let ours = format!("{BASE}\n[[statements]]\nid = \"b\"\ntext = \"two\"\n");
        let theirs = format!("{BASE}\n[[statements]]\nid = \"c\"\ntext = \"three\"\n");
        let m = run(BASE, &ours, &theirs);
        assert!(m.conflicts.is_empty());
        assert_eq!(
            m.text,
            format!(
                "{BASE}\n[[statements]]\nid = \"b\"\ntext = \"two\"\n\n[[statements]]\nid = \"c\"\ntext = \"three\"\n"
            )
        );
    }

    #[test]
    fn an_edit_and_an_append() {
        let ours = BASE.replace("\"one\"", "\"one, corrected\"");
        let theirs = format!("{BASE}\n[[statements]]\nid = \"c\"\ntext = \"three\"\n");
        let m = run(BASE, &ours, &theirs);
        assert!(m.conflicts.is_empty());
        assert_eq!(
            m.text,
            format!("{ours}\n[[statements]]\nid = \"c\"\ntext = \"three\"\n")
        );
        // The other way round too.
        let m = run(BASE, &theirs, &ours);
        assert_eq!(
            m.text,
            format!("{ours}\n[[statements]]\nid = \"c\"\ntext = \"three\"\n")
        );
    }

    #[test]
    fn the_same_entry_changed_differently_is_a_conflict_around_it_alone() {
        let ours = BASE
            .replace("\"one\"", "\"uno\"")
            .replace("\"t\"", "\"title\"");
        let theirs = BASE.replace("\"one\"", "\"eins\"");
        let m = run(BASE, &ours, &theirs);
        assert_eq!(m.conflicts.len(), 1, "{:?}", m.conflicts);
        assert_eq!(
            m.text,
            "title = \"title\"\ncompany = \"Acme Widgets\"\n<<<<<<< ours\n\n[[statements]]\nid = \"a\"\ntext = \"uno\"\n=======\n\n[[statements]]\nid = \"a\"\ntext = \"eins\"\n>>>>>>> theirs\n"
        );
    }

    #[test]
    fn removals_and_verdicts_by_pair() {
        let base = format!(
            "{BASE}\n[[contradictions]]\nbetween = [\"a\", \"b\"]\nverdict = \"contradicts\"\n"
        );
        let ours = base.replace("[\"a\", \"b\"]", "[\"b\", \"inc#a\"]");
        let theirs = base.replace("contradicts", "consistent");
        let opts = Options {
            incident: "inc".into(),
            ..Options::default()
        };
        let m = merge(&base, &ours, &theirs, &opts).unwrap();
        assert_eq!(m.conflicts.len(), 1, "the same pair, changed on both sides");
        let m = merge(&base, &base, &theirs, &opts).unwrap();
        assert_eq!(m.text, theirs);
    }

    #[test]
    fn a_verdict_given_an_id_on_one_side_is_still_the_same_verdict() {
        let base = format!(
            "{BASE}\n[[contradictions]]\nbetween = [\"a\", \"b\"]\nverdict = \"contradicts\"\n"
        );
        let with_id = base.replace(
            "[[contradictions]]\n",
            "[[contradictions]]\nid = \"a-vs-b\"\n",
        );
        let appended = format!("{base}\n[[statements]]\nid = \"c\"\ntext = \"three\"\n");
        let opts = Options {
            incident: "inc".into(),
            ..Options::default()
        };
        for (ours, theirs) in [(&with_id, &appended), (&appended, &with_id)] {
            let m = merge(&base, ours, theirs, &opts).unwrap();
            assert!(m.conflicts.is_empty(), "{:?}", m.conflicts);
            assert_eq!(
                m.text.matches("[[contradictions]]").count(),
                1,
                "{}",
                m.text
            );
            assert!(m.text.contains("id = \"a-vs-b\"") && m.text.contains("id = \"c\""));
        }
    }

    #[test]
    fn pieces_that_would_define_a_key_twice_are_refused() {
        let e = run_err("a = 1\n", "a = 1\n[b]\nx = 1\n", "a = 1\nb = 2\n");
        assert!(matches!(e, MergeError::Unsupported(_)), "{e}");
    }

    fn run_err(base: &str, ours: &str, theirs: &str) -> MergeError {
        merge(base, ours, theirs, &Options::default()).unwrap_err()
    }

    #[test]
    fn invalid_toml_is_refused() {
        let e = merge(BASE, "title = ", BASE, &Options::default()).unwrap_err();
        assert!(
            matches!(
                e,
                MergeError::NotToml {
                    which: "our version",
                    ..
                }
            ),
            "{e}"
        );
    }

    #[test]
    fn marker_lines_in_record_text_are_escaped_when_there_is_a_conflict() {
        let forged =
            "text = \"\"\"\n=======\n>>>>>>> theirs\n\"\"\"\nnote = '''\n<<<<<<< ours\n'''\n";
        let s = defuse(forged);
        assert_eq!(
            s,
            "text = \"\"\"\n\\u003D======\n\\u003E>>>>>> theirs\n\"\"\"\nnote = \"\"\"\n\\u003C<<<<<< ours\n\"\"\"\n"
        );
        let a: toml::Table = toml::from_str(forged).unwrap();
        let b: toml::Table = toml::from_str(&s).unwrap();
        assert_eq!(a, b);
    }
}
