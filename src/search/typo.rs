//! Forgiving typos: which words of the corpus a query word may stand for, through
//! `fuzzy-matcher`'s skim algorithm (letters dropped) or an edit distance (letters swapped,
//! wrong or extra).

use super::*;

/// Every distinct folded word, and which statements hold it.
#[derive(Debug)]
pub(super) struct Vocabulary {
    pub(super) words: Vec<Box<str>>,
    /// Word ids in the words' order, to find a word or the words it starts.
    pub(super) sorted: Vec<u32>,
    pub(super) lens: Vec<u8>,
    pub(super) masks: Vec<u64>,
    pub(super) postings: Vec<Vec<u32>>,
}

/// Which letters a word holds, as bits: a word cannot be within `k` edits of another that
/// lacks more than `k` of its letters.
pub(super) fn letter_mask(w: &str) -> u64 {
    w.chars().fold(0, |m, c| {
        let bit = match c {
            'a'..='z' => c as u32 - 'a' as u32,
            '0'..='9' => 26 + c as u32 - '0' as u32,
            _ => 36 + (c as u32 % 28),
        };
        m | 1 << bit
    })
}

impl Vocabulary {
    /// The best way a term could be found in any statement: as a whole word when the corpus
    /// has that word, at the start of one when it has a word starting so.
    pub(super) fn best_level(&self, term: &str) -> Level {
        if !term.chars().all(is_word_char) {
            return Level::Whole;
        }
        let i = self
            .sorted
            .partition_point(|&w| &*self.words[w as usize] < term);
        match self.sorted.get(i).map(|&w| &*self.words[w as usize]) {
            Some(w) if w == term => Level::Whole,
            Some(w) if w.starts_with(term) => Level::Prefix,
            _ => Level::Infix,
        }
    }

    /// The words a fuzzable term may stand for, with how well each matches (higher is better,
    /// never 0).
    pub(super) fn matching(&self, term: &str) -> Vec<(u32, u16)> {
        let matcher = SkimMatcherV2::default().ignore_case();
        let t_len = term.chars().count();
        let edits = max_edits(t_len);
        let dropped = (t_len / 3).max(1);
        let t_mask = letter_mask(term);
        let mut out = Vec::new();
        for (w, word) in self.words.iter().enumerate() {
            let w_len = usize::from(self.lens[w]);
            let q = word_quality(
                term,
                t_len,
                word,
                w_len,
                (t_mask & !self.masks[w]).count_ones() as usize,
                edits,
                dropped,
                &matcher,
            );
            if q > 0 {
                out.push((w as u32, q));
            }
        }
        out
    }
}

/// How many edits a query word of this many letters may be from a corpus word.
pub(super) fn max_edits(len: usize) -> usize {
    match len {
        0..=3 => 0,
        4..=8 => 1,
        _ => 2,
    }
}

/// How well a corpus word stands for a query word that was not found as typed; 0 when it
/// does not. `missing` is how many of the term's letters the word lacks.
#[allow(clippy::too_many_arguments)]
pub(super) fn word_quality(
    term: &str,
    t_len: usize,
    word: &str,
    w_len: usize,
    missing: usize,
    edits: usize,
    dropped: usize,
    matcher: &SkimMatcherV2,
) -> u16 {
    if let Some(p) = word.find(term) {
        return if p == 0 { 900 } else { 800 };
    }
    if edits == 0 {
        return 0;
    }
    // The reporter skipped letters: the term is a subsequence of the word (or of its start).
    if missing == 0
        && w_len > t_len
        && let Some(s) = matcher.fuzzy_match(word, term)
    {
        let skipped = w_len - t_len;
        if skipped <= dropped {
            return 400 + s.clamp(0, 299) as u16 - 50 * skipped as u16;
        }
    }
    if missing > edits {
        return 0;
    }
    if w_len.abs_diff(t_len) <= edits {
        let d = strsim::osa_distance(term, word);
        if d <= edits {
            return 300 - 100 * d as u16;
        }
    }
    // As-you-type with a typo: the start of a longer word, one or two edits away.
    if w_len > t_len {
        let start: String = word.chars().take(t_len).collect();
        let d = strsim::osa_distance(term, &start);
        if d <= edits {
            return 150 - 50 * d as u16;
        }
    }
    0
}

/// The words of a folded field that stand for a term only through a typo.
pub(super) fn typo_ranges(
    text: &str,
    term: &Term,
    matcher: &SkimMatcherV2,
    out: &mut Vec<Range<usize>>,
) {
    let t_len = term.text.chars().count();
    let edits = max_edits(t_len);
    let dropped = (t_len / 3).max(1);
    let t_mask = letter_mask(&term.text);
    let mut at = 0;
    for w in text.split(|c: char| !is_word_char(c)) {
        let start = at;
        at += w.len()
            + text[start + w.len()..]
                .chars()
                .next()
                .map_or(0, char::len_utf8);
        if w.is_empty() {
            continue;
        }
        let missing = (t_mask & !letter_mask(w)).count_ones() as usize;
        let w_len = w.chars().count();
        if word_quality(
            &term.text, t_len, w, w_len, missing, edits, dropped, matcher,
        ) > 0
        {
            out.push(start..start + w.len());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typos_are_forgiven_within_limits() {
        let m = SkimMatcherV2::default().ignore_case();
        let q = |t: &str, w: &str| {
            let missing = (letter_mask(t) & !letter_mask(w)).count_ones() as usize;
            let (tl, wl) = (t.chars().count(), w.chars().count());
            word_quality(t, tl, w, wl, missing, max_edits(tl), (tl / 3).max(1), &m)
        };
        assert!(q("locaton", "location") > 0, "a dropped letter");
        assert!(q("lcation", "location") > 0);
        assert!(q("clinets", "clients") > 0, "swapped letters");
        assert!(q("vendpns", "vendons") > 0, "a wrong key");
        assert!(q("privaxy", "privacy") > 0);
        assert_eq!(q("cat", "car"), 0, "short words must match as typed");
        assert_eq!(q("location", "vacation"), 0);
        assert_eq!(q("donnees", "ordonnance"), 0);
        assert!(
            q("locaton", "location") > q("vendpns", "vendons"),
            "skim scores first"
        );
    }
}
