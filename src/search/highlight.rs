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
    // Where each field's folded text starts in the hay, when the hay splits into exactly one
    // part a field (a field holding the separator itself makes more) and no term holds the
    // separator (so none can match across two fields).
    let mut parts = [(0, 0); Field::ALL.len()];
    let whole = hay.filter(|hay| {
        if typo || q.terms.iter().any(|t| t.text.contains(SEP)) {
            return false;
        }
        let mut n = 0;
        let mut at = 0;
        for part in hay.split(SEP) {
            if n < parts.len() {
                parts[n] = (at, at + part.len());
            }
            at += part.len() + SEP.len_utf8();
            n += 1;
        }
        n == parts.len()
    });
    // The matches in the whole hay, in folded offsets; a match never spans a separator, and
    // the separator is no word character, so each is found as it would be in its field.
    let mut in_hay = Vec::new();
    if let Some(hay) = whole {
        exact_ranges(hay, h, rank, levels, &mut in_hay);
        in_hay.sort_by_key(|r: &Range<usize>| r.start);
    }
    let mut matcher = None;
    let mut out = Vec::new();
    let mut folding = String::new();
    let mut origin = Vec::new();
    for (k, field) in Field::ALL.into_iter().enumerate() {
        let mut folded_ranges: Vec<Range<usize>> = Vec::new();
        // The field as folded, and its original text once it was needed to fold it.
        let (text, mut original) = if let Some(hay) = whole {
            let (start, end) = parts[k];
            folded_ranges.extend(
                in_hay
                    .iter()
                    .filter(|r| start <= r.start && r.end <= end)
                    .map(|r| r.start - start..r.end - start),
            );
            (&hay[start..end], None)
        } else {
            let original = field.text(inc, st);
            folding.clear();
            fold_field(&original, &mut folding, None);
            (folding.as_str(), Some(original))
        };
        if text.is_empty() {
            continue;
        }
        if whole.is_none() {
            exact_ranges(text, h, rank, levels, &mut folded_ranges);
            for (t, term) in q.terms.iter().enumerate() {
                if term.fuzzable && levels.get(t).is_none_or(|&l| l == Level::None) {
                    let matcher =
                        matcher.get_or_insert_with(|| SkimMatcherV2::default().ignore_case());
                    typo_ranges(text, term, matcher, &mut folded_ranges);
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
            origin.reserve(text.len());
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

/// Where the phrase (for a phrase hit) and each term found as typed occur in folded `text`
/// at least as well as they were found in the hit.
fn exact_ranges(
    text: &str,
    h: &Highlighter,
    rank: MatchRank,
    levels: &[Level],
    out: &mut Vec<Range<usize>>,
) {
    if rank == MatchRank::Phrase
        && let Some(f) = &h.phrase
    {
        for at in f.find_iter(text.as_bytes()) {
            if boundary_before(text, at) {
                out.push(at..at + f.needle().len());
            }
        }
    }
    for (t, f) in h.terms.iter().enumerate() {
        let level = levels.get(t).copied().unwrap_or(Level::None);
        if level == Level::None {
            continue;
        }
        let len = f.needle().len();
        for at in f.find_iter(text.as_bytes()) {
            if level_at(text, at, len) >= level {
                out.push(at..at + len);
            }
        }
    }
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
