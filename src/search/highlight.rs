//! Where a hit matched, as byte ranges in each field's original text.

use super::*;

/// Where the query matched in each field of a hit, in original byte offsets.
pub(super) fn highlights(
    inc: &Incident,
    st: &Statement,
    q: &Query,
    rank: MatchRank,
    levels: &[Level],
) -> Vec<FieldMatch> {
    let matcher = SkimMatcherV2::default().ignore_case();
    let mut out = Vec::new();
    let mut text = String::new();
    let mut origin = Vec::new();
    for field in Field::ALL {
        let original = field.text(inc, st);
        if original.is_empty() {
            continue;
        }
        text.clear();
        origin.clear();
        fold_field(&original, &mut text, Some(&mut origin));
        let mut folded_ranges: Vec<Range<usize>> = Vec::new();
        if rank == MatchRank::Phrase
            && let Some(p) = &q.phrase
        {
            for (at, _) in text.match_indices(p.as_str()) {
                if boundary_before(&text, at) {
                    folded_ranges.push(at..at + p.len());
                }
            }
        }
        for (t, term) in q.terms.iter().enumerate() {
            let level = levels.get(t).copied().unwrap_or(Level::None);
            if level == Level::None {
                if term.fuzzable {
                    typo_ranges(&text, term, &matcher, &mut folded_ranges);
                }
                continue;
            }
            for (at, _) in text.match_indices(term.text.as_str()) {
                if level_at(&text, at, term.text.len()) >= level {
                    folded_ranges.push(at..at + term.text.len());
                }
            }
        }
        if folded_ranges.is_empty() {
            continue;
        }
        let mut ranges: Vec<Range<usize>> = folded_ranges
            .into_iter()
            .map(|r| {
                let start = origin[r.start] as usize;
                let last = origin[r.end - 1] as usize;
                let end = last + original[last..].chars().next().map_or(0, char::len_utf8);
                start..end
            })
            .collect();
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
