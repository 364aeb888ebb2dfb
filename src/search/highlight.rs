//! Where a hit matched, as byte ranges in each field's original text.

use super::*;

/// What highlighting needs of a query, made once for all of its hits.
pub(super) struct Highlighter<'q> {
    q: &'q Query,
    terms: Vec<memmem::Finder<'q>>,
    phrase: Option<memmem::Finder<'q>>,
}

impl<'q> Highlighter<'q> {
    pub(super) fn new(q: &'q Query) -> Highlighter<'q> {
        Highlighter {
            q,
            terms: q
                .terms
                .iter()
                .map(|t| memmem::Finder::new(t.text.as_bytes()))
                .collect(),
            phrase: q.phrase.as_deref().map(memmem::Finder::new),
        }
    }
}

/// Where the query matched in each field of a hit, in original byte offsets. `hay`, the hit's
/// folded fields as an index holds them, when given, spares folding again (with a way back to
/// the original) the fields where no term occurs.
pub(super) fn highlights(
    inc: &Incident,
    st: &Statement,
    h: &Highlighter,
    hay: Option<&str>,
    rank: MatchRank,
    levels: &[Level],
) -> Vec<FieldMatch> {
    let q = h.q;
    // A term found only through a typo may light any field; otherwise a field lights only
    // where a term occurs as typed.
    let typo = q
        .terms
        .iter()
        .enumerate()
        .any(|(t, term)| term.fuzzable && levels.get(t).is_none_or(|&l| l == Level::None));
    // Each field's folded text, when the hay splits into exactly one part a field (a field
    // holding the separator itself makes more).
    let mut parts = [""; Field::ALL.len()];
    let known = !typo
        && hay.is_some_and(|hay| {
            let mut n = 0;
            for part in hay.split(SEP) {
                if n < parts.len() {
                    parts[n] = part;
                }
                n += 1;
            }
            n == parts.len()
        });
    let mut matcher = None;
    let mut out = Vec::new();
    let mut folding = String::new();
    let mut origin = Vec::new();
    for (k, field) in Field::ALL.into_iter().enumerate() {
        // The field as folded, and its original text once it was needed to fold it.
        let (text, mut original) = if known {
            (parts[k], None)
        } else {
            let original = field.text(inc, st);
            folding.clear();
            fold_field(&original, &mut folding, None);
            (folding.as_str(), Some(original))
        };
        if text.is_empty() {
            continue;
        }
        let mut folded_ranges: Vec<Range<usize>> = Vec::new();
        if rank == MatchRank::Phrase
            && let Some(p) = &q.phrase
        {
            let f = h.phrase.as_ref().expect("a phrase has its finder");
            for at in f.find_iter(text.as_bytes()) {
                if boundary_before(text, at) {
                    folded_ranges.push(at..at + p.len());
                }
            }
        }
        for (t, term) in q.terms.iter().enumerate() {
            let level = levels.get(t).copied().unwrap_or(Level::None);
            if level == Level::None {
                if term.fuzzable {
                    let matcher =
                        matcher.get_or_insert_with(|| SkimMatcherV2::default().ignore_case());
                    typo_ranges(text, term, matcher, &mut folded_ranges);
                }
                continue;
            }
            for at in h.terms[t].find_iter(text.as_bytes()) {
                if level_at(text, at, term.text.len()) >= level {
                    folded_ranges.push(at..at + term.text.len());
                }
            }
        }
        if folded_ranges.is_empty() {
            continue;
        }
        let original = original.get_or_insert_with(|| field.text(inc, st));
        let mut ranges: Vec<Range<usize>> = if folds_in_place(original) {
            // Each folded byte is the original byte at the same offset.
            folded_ranges
        } else {
            origin.clear();
            let mut refolded = String::with_capacity(text.len());
            fold_field(original, &mut refolded, Some(&mut origin));
            debug_assert_eq!(refolded, text);
            folded_ranges
                .into_iter()
                .map(|r| {
                    let start = origin[r.start] as usize;
                    let last = origin[r.end - 1] as usize;
                    let end = last + original[last..].chars().next().map_or(0, char::len_utf8);
                    start..end
                })
                .collect()
        };
        ranges.sort_by_key(|r| (r.start, r.end));
        let mut merged: Vec<Range<usize>> = Vec::with_capacity(ranges.len());
        for r in ranges {
            match merged.last_mut() {
                Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
                _ => merged.push(r),
            }
        }
        out.push(FieldMatch {
            field,
            ranges: merged,
        });
    }
    out
}

/// Whether folding `s` only lowercases it, byte for byte: ASCII with no whitespace but single
/// spaces, which folding keeps as they are.
fn folds_in_place(s: &str) -> bool {
    let b = s.as_bytes();
    b.is_ascii()
        && b.iter().enumerate().all(|(i, &c)| {
            let space = c.is_ascii_whitespace() || c == b'\x0b';
            !space || (c == b' ' && (i == 0 || b[i - 1] != b' '))
        })
}
