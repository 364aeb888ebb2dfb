//! Finding statements as the reporter types: matching over a statement's text, translation,
//! speaker, organization, tags and its incident's title and company; ranking; and the byte
//! ranges that matched in each field's original text, so a display can light them.
//!
//! Every field is folded once ([`SearchIndex::new`], through [`crate::fold`]) so that case,
//! accents, ligatures and typographic quotes never decide a match. A query is folded the same
//! way. Each word of the query, and each "quoted phrase", must be found; a statement ranks by
//! the worst way one of them was found:
//!
//! 1. [`MatchRank::Phrase`]: the whole query, as typed, starts a run of words in one field;
//! 2. [`MatchRank::Words`]: every word found as a whole word;
//! 3. [`MatchRank::Prefix`]: every word found at least at the start of a word;
//! 4. [`MatchRank::Fuzzy`]: some word found only inside a word, or only with a typo.
//!
//! Ties go to the newest statement. Typos are looked for only when the exact passes found
//! fewer hits than asked for, since a typo hit always ranks below an exact one: a word of the
//! corpus matches a query word when `fuzzy-matcher`'s skim algorithm finds the query word in it
//! with at most a third of its letters dropped, or when the two are one edit apart (two for
//! words of nine letters or more), which catches swapped and wrong letters that a
//! subsequence matcher cannot.

use std::borrow::Cow;
use std::cmp::Reverse;
use std::collections::HashMap;
use std::ops::Range;
use std::sync::OnceLock;

use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;
use memchr::memmem;
use serde::Serialize;

use crate::fold::fold_char;
use crate::model::{Incident, Statement};
use crate::query::Filter;
use crate::store::Corpus;

/// A field a query is matched against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Field {
    Text,
    Translation,
    Speaker,
    Organization,
    Title,
    Company,
    Tags,
}

impl Field {
    pub const ALL: [Field; 7] = [
        Field::Text,
        Field::Translation,
        Field::Speaker,
        Field::Organization,
        Field::Title,
        Field::Company,
        Field::Tags,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Field::Text => "text",
            Field::Translation => "translation",
            Field::Speaker => "speaker",
            Field::Organization => "organization",
            Field::Title => "title",
            Field::Company => "company",
            Field::Tags => "tags",
        }
    }

    /// The original text of this field, which [`FieldMatch::ranges`] index into. A missing
    /// translation is empty; tags are the statement's, then its incident's that it does not
    /// repeat, joined by single spaces.
    pub fn text<'a>(self, inc: &'a Incident, st: &'a Statement) -> Cow<'a, str> {
        match self {
            Field::Text => Cow::Borrowed(&st.text),
            Field::Translation => Cow::Borrowed(st.translation.as_deref().unwrap_or("")),
            Field::Speaker => Cow::Borrowed(&st.speaker),
            Field::Organization => Cow::Borrowed(&st.organization),
            Field::Title => Cow::Borrowed(&inc.title),
            Field::Company => Cow::Borrowed(&inc.company),
            Field::Tags => {
                let mut tags: Vec<&str> = st.tags.iter().map(String::as_str).collect();
                for t in &inc.tags {
                    if !tags.contains(&t.as_str()) {
                        tags.push(t);
                    }
                }
                Cow::Owned(tags.join(" "))
            }
        }
    }
}

/// How well a statement matched; better ranks sort first. Compare with `>`: `Phrase` is the
/// greatest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum MatchRank {
    /// Some word found only inside a word, or only with a typo.
    Fuzzy,
    /// Every word found, at least at the start of a word.
    Prefix,
    /// Every word found as a whole word.
    Words,
    /// The whole query found as a run of words.
    Phrase,
}

impl MatchRank {
    pub fn as_str(self) -> &'static str {
        match self {
            MatchRank::Fuzzy => "fuzzy",
            MatchRank::Prefix => "prefix",
            MatchRank::Words => "words",
            MatchRank::Phrase => "phrase",
        }
    }
}

/// Where a query matched in one field of a statement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldMatch {
    pub field: Field,
    /// Byte offsets into the field's original, unfolded text ([`Field::text`]), half-open,
    /// always on character boundaries, sorted and never overlapping.
    pub ranges: Vec<Range<usize>>,
}

/// One matching statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    /// Index into `corpus.incidents`.
    pub incident: usize,
    /// Index into that incident's `statements`.
    pub statement: usize,
    /// Higher is better; hits are sorted by it, then newest first.
    pub score: i64,
    pub rank: MatchRank,
    /// Only fields with at least one range.
    pub matches: Vec<FieldMatch>,
}

impl Hit {
    pub fn get<'a>(&self, corpus: &'a Corpus) -> (&'a Incident, &'a Statement) {
        let inc = &corpus.incidents[self.incident];
        (inc, &inc.statements[self.statement])
    }

    /// The ranges that matched in one field, empty when none did.
    pub fn ranges(&self, field: Field) -> &[Range<usize>] {
        self.matches
            .iter()
            .find(|m| m.field == field)
            .map_or(&[], |m| &m.ranges)
    }
}

/// Separates fields in a statement's folded text, so that no phrase spans two of them.
const SEP: char = '\u{1f}';

/// Rank bases: a hit's score is its rank's base plus how well it matched within the rank.
const BASE: [i64; 4] = [1_000_000, 2_000_000, 3_000_000, 4_000_000];
/// Within the fuzzy rank, a word found inside a word beats any typo.
const INFIX: i64 = 500_000;

fn base(rank: MatchRank) -> i64 {
    BASE[rank as usize]
}

/// One statement's folded fields.
#[derive(Debug)]
struct Entry {
    incident: u32,
    statement: u32,
    /// The folded fields in [`Field::ALL`] order, separated by [`SEP`].
    hay: Box<str>,
    /// Which pairs of adjacent bytes `hay` holds, hashed: a term with a pair the entry lacks
    /// cannot be in it, which rules out most entries without reading their text.
    pairs: Pairs,
    /// Position in newest-first order.
    newest: u32,
}

/// A 512-bit set of hashed byte pairs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Pairs([u64; 8]);

impl Pairs {
    fn of(s: &str) -> Pairs {
        let mut p = Pairs::default();
        for w in s.as_bytes().windows(2) {
            let h =
                ((u32::from(w[0]) << 8 | u32::from(w[1])).wrapping_mul(0x9E37_79B1) >> 23) as usize;
            p.0[h / 64] |= 1 << (h % 64);
        }
        p
    }

    fn union(mut self, other: Pairs) -> Pairs {
        for (a, b) in self.0.iter_mut().zip(other.0) {
            *a |= b;
        }
        self
    }

    fn contains(&self, other: &Pairs) -> bool {
        self.0.iter().zip(&other.0).all(|(a, b)| a & b == *b)
    }
}

/// Every statement's fields folded once, for searching many times.
#[derive(Debug)]
pub struct SearchIndex {
    entries: Vec<Entry>,
    /// Entry index of each incident's first statement.
    starts: Vec<u32>,
    /// Entry indexes, newest first.
    by_date: Vec<u32>,
    /// Built the first time a query needs typos looked for.
    vocabulary: OnceLock<Vocabulary>,
}

/// Every distinct folded word, and which statements hold it.
#[derive(Debug)]
struct Vocabulary {
    words: Vec<Box<str>>,
    lens: Vec<u8>,
    masks: Vec<u64>,
    postings: Vec<Vec<u32>>,
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

/// Folds `s` onto `out` with runs of whitespace made one space, so a phrase matches across
/// line breaks and double spaces. With `origin`, records for each output byte the byte offset
/// in `s` of the character it came from.
fn fold_field(s: &str, out: &mut String, mut origin: Option<&mut Vec<u32>>) {
    for (i, c) in s.char_indices() {
        let before = out.len();
        if c.is_whitespace() {
            if out.ends_with(' ') {
                continue;
            }
            out.push(' ');
        } else {
            fold_char(c, out);
        }
        if let Some(o) = origin.as_deref_mut() {
            o.extend(std::iter::repeat_n(i as u32, out.len() - before));
        }
    }
}

fn folded(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    fold_field(s, &mut out, None);
    out
}

/// Which letters a word holds, as bits: a word cannot be within `k` edits of another that
/// lacks more than `k` of its letters.
fn letter_mask(w: &str) -> u64 {
    w.chars().fold(0, |m, c| {
        let bit = match c {
            'a'..='z' => c as u32 - 'a' as u32,
            '0'..='9' => 26 + c as u32 - '0' as u32,
            _ => 36 + (c as u32 % 28),
        };
        m | 1 << bit
    })
}

/// The entries of some incidents, the first being `corpus.incidents[first]`.
fn entries_of(incidents: &[Incident], first: usize) -> Vec<Entry> {
    let mut entries = Vec::new();
    let mut hay = String::new();
    let (mut title, mut company) = (String::new(), String::new());
    for (i, inc) in incidents.iter().enumerate() {
        // An incident's fields are the same for each of its statements: fold them once.
        title.clear();
        fold_field(&inc.title, &mut title, None);
        company.clear();
        fold_field(&inc.company, &mut company, None);
        for (j, st) in inc.statements.iter().enumerate() {
            hay.clear();
            for (k, field) in Field::ALL.iter().enumerate() {
                if k > 0 {
                    hay.push(SEP);
                }
                match field {
                    Field::Title => hay.push_str(&title),
                    Field::Company => hay.push_str(&company),
                    _ => fold_field(&field.text(inc, st), &mut hay, None),
                }
            }
            entries.push(Entry {
                incident: (first + i) as u32,
                statement: j as u32,
                pairs: Pairs::of(&hay),
                hay: hay.as_str().into(),
                newest: 0,
            });
        }
    }
    entries
}

impl SearchIndex {
    pub fn new(corpus: &Corpus) -> SearchIndex {
        let mut starts = Vec::with_capacity(corpus.incidents.len());
        let mut n = 0u32;
        for inc in &corpus.incidents {
            starts.push(n);
            n += inc.statements.len() as u32;
        }
        let threads = std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .min(8);
        let chunk = corpus.incidents.len().div_ceil(threads).max(1);
        let entries: Vec<Entry> = if threads <= 1 || corpus.incidents.len() < 256 {
            entries_of(&corpus.incidents, 0)
        } else {
            std::thread::scope(|scope| {
                let handles: Vec<_> = corpus
                    .incidents
                    .chunks(chunk)
                    .enumerate()
                    .map(|(k, part)| scope.spawn(move || entries_of(part, k * chunk)))
                    .collect();
                handles
                    .into_iter()
                    .flat_map(|h| h.join().expect("an indexing thread panicked"))
                    .collect()
            })
        };
        let mut entries = entries;
        let mut by_date: Vec<u32> = (0..entries.len() as u32).collect();
        let date = |e: &Entry| {
            &corpus.incidents[e.incident as usize].statements[e.statement as usize].date
        };
        // Newest first; ties in corpus order, which is incident id then file order.
        by_date.sort_by(|&a, &b| date(&entries[b as usize]).cmp(date(&entries[a as usize])));
        for (pos, &e) in by_date.iter().enumerate() {
            entries[e as usize].newest = pos as u32;
        }
        SearchIndex {
            entries,
            starts,
            by_date,
            vocabulary: OnceLock::new(),
        }
    }

    /// Builds now what the first query with a typo would otherwise build: the corpus's
    /// vocabulary. An interface may call it on a background thread after loading.
    pub fn prepare_typos(&self) {
        self.vocabulary();
    }

    /// How many statements the index holds.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The best `limit` statements that match `query` and pass `filter`, best first. `query`
    /// is what is left of the search box after [`crate::query::parse_query`] took the filter
    /// tokens out; when it is empty, the statements that pass the filter, newest first.
    /// `corpus` must be the one the index was built from.
    pub fn search(&self, corpus: &Corpus, query: &str, filter: &Filter, limit: usize) -> Vec<Hit> {
        let allowed = self.allowed(corpus, filter);
        let q = Query::parse(query);
        self.run(corpus, &q, allowed.as_ref(), None, limit).0
    }

    /// Which entries pass the filter, as a bit set; `None` when all do.
    fn allowed(&self, corpus: &Corpus, filter: &Filter) -> Option<Bits> {
        if filter.is_empty() {
            return None;
        }
        let mut bits = Bits::new(self.entries.len());
        for (i, inc) in corpus.incidents.iter().enumerate() {
            if !filter.matches_incident(inc) {
                continue;
            }
            let start = self.starts.get(i).copied().unwrap_or(0) as usize;
            for (j, st) in inc.statements.iter().enumerate() {
                if filter.matches_statement(inc, st) {
                    bits.set(start + j);
                }
            }
        }
        Some(bits)
    }

    /// Ranks the entries of `narrowed` (or every allowed entry) against `q`. Returns the hits
    /// and the entries where every term was found exactly, for the next keystroke to narrow.
    fn run(
        &self,
        corpus: &Corpus,
        q: &Query,
        allowed: Option<&Bits>,
        narrowed: Option<&[u32]>,
        limit: usize,
    ) -> (Vec<Hit>, Vec<u32>) {
        if limit == 0 {
            return (Vec::new(), Vec::new());
        }
        if q.terms.is_empty() {
            let hits = self
                .by_date
                .iter()
                .filter(|&&e| allowed.is_none_or(|a| a.get(e as usize)))
                .take(limit)
                .map(|&e| self.hit(corpus, e, MatchRank::Words, 0, q, &[]))
                .collect();
            return (hits, Vec::new());
        }
        let finders: Vec<memmem::Finder> = q
            .terms
            .iter()
            .map(|t| memmem::Finder::new(t.text.as_bytes()))
            .collect();
        let phrase = q.phrase.as_deref().map(memmem::Finder::new);
        let pairs = q
            .terms
            .iter()
            .fold(Pairs::default(), |p, t| p.union(Pairs::of(&t.text)));
        let mut matched = Vec::new();
        let mut scored: Vec<(Reverse<i64>, u32, u32)> = Vec::new();
        let mut levels = Vec::with_capacity(q.terms.len());
        let mut consider = |e: u32| {
            let entry = &self.entries[e as usize];
            if !entry.pairs.contains(&pairs) {
                return;
            }
            levels.clear();
            for f in &finders {
                let level = term_level(&entry.hay, f);
                if level == Level::None {
                    return;
                }
                levels.push(level);
            }
            matched.push(e);
            let score = exact_score(&entry.hay, &levels, phrase.as_ref());
            scored.push((Reverse(score), entry.newest, e));
        };
        match narrowed {
            Some(list) => list.iter().for_each(|&e| consider(e)),
            None => (0..self.entries.len() as u32)
                .filter(|&e| allowed.is_none_or(|a| a.get(e as usize)))
                .for_each(consider),
        }
        if scored.len() < limit {
            self.typos(q, allowed, &matched, &mut scored);
        }
        let top = top(scored, limit);
        let hits = top
            .into_iter()
            .map(|(Reverse(score), _, e)| {
                let levels: Vec<Level> = finders
                    .iter()
                    .map(|f| term_level(&self.entries[e as usize].hay, f))
                    .collect();
                self.hit(corpus, e, rank_of(score), score, q, &levels)
            })
            .collect();
        (hits, matched)
    }

    /// Adds to `scored` the allowed entries, not already there, where every term is found
    /// exactly or through a word within a typo or two of it.
    fn typos(
        &self,
        q: &Query,
        allowed: Option<&Bits>,
        exact: &[u32],
        scored: &mut Vec<(Reverse<i64>, u32, u32)>,
    ) {
        if !q.terms.iter().any(|t| t.fuzzable) {
            return;
        }
        let vocabulary = self.vocabulary();
        let n = self.entries.len();
        // For each fuzzable term, the best word quality in each entry (0: none).
        let mut per_term: Vec<Vec<u16>> = Vec::new();
        for t in q.terms.iter().filter(|t| t.fuzzable) {
            let mut best = vec![0u16; n];
            let words = vocabulary.matching(&t.text);
            if words.is_empty() {
                return;
            }
            for (w, quality) in words {
                for &e in &vocabulary.postings[w as usize] {
                    let b = &mut best[e as usize];
                    *b = (*b).max(quality);
                }
            }
            per_term.push(best);
        }
        let mut exact_bits = Bits::new(n);
        exact.iter().for_each(|&e| exact_bits.set(e as usize));
        let others: Vec<memmem::Finder> = q
            .terms
            .iter()
            .filter(|t| !t.fuzzable)
            .map(|t| memmem::Finder::new(t.text.as_bytes()))
            .collect();
        'entries: for e in 0..n {
            if exact_bits.get(e) || allowed.is_some_and(|a| !a.get(e)) {
                continue;
            }
            let mut total = 0i64;
            for best in &per_term {
                if best[e] == 0 {
                    continue 'entries;
                }
                total += i64::from(best[e]);
            }
            let hay = &self.entries[e].hay;
            if others.iter().any(|f| f.find(hay.as_bytes()).is_none()) {
                continue;
            }
            let score = base(MatchRank::Fuzzy) + total;
            scored.push((Reverse(score), self.entries[e].newest, e as u32));
        }
    }

    fn vocabulary(&self) -> &Vocabulary {
        self.vocabulary.get_or_init(|| {
            let mut ids: HashMap<&str, u32> = HashMap::new();
            let mut words: Vec<Box<str>> = Vec::new();
            let mut postings: Vec<Vec<u32>> = Vec::new();
            for (e, entry) in self.entries.iter().enumerate() {
                for w in entry.hay.split(|c: char| !is_word_char(c)) {
                    if w.is_empty() || w.len() > 255 {
                        continue;
                    }
                    let id = *ids.entry(w).or_insert_with(|| {
                        words.push(w.into());
                        postings.push(Vec::new());
                        words.len() as u32 - 1
                    });
                    let list = &mut postings[id as usize];
                    if list.last() != Some(&(e as u32)) {
                        list.push(e as u32);
                    }
                }
            }
            Vocabulary {
                lens: words
                    .iter()
                    .map(|w| w.chars().count().min(255) as u8)
                    .collect(),
                masks: words.iter().map(|w| letter_mask(w)).collect(),
                words,
                postings,
            }
        })
    }

    fn hit(
        &self,
        corpus: &Corpus,
        e: u32,
        rank: MatchRank,
        score: i64,
        q: &Query,
        levels: &[Level],
    ) -> Hit {
        let entry = &self.entries[e as usize];
        let (i, j) = (entry.incident as usize, entry.statement as usize);
        let inc = &corpus.incidents[i];
        let matches = if q.terms.is_empty() {
            Vec::new()
        } else {
            highlights(inc, &inc.statements[j], q, rank, levels)
        };
        Hit {
            incident: i,
            statement: j,
            score,
            rank,
            matches,
        }
    }
}

impl Vocabulary {
    /// The words a fuzzable term may stand for, with how well each matches (higher is better,
    /// never 0).
    fn matching(&self, term: &str) -> Vec<(u32, u16)> {
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
fn max_edits(len: usize) -> usize {
    match len {
        0..=3 => 0,
        4..=8 => 1,
        _ => 2,
    }
}

/// How well a corpus word stands for a query word that was not found as typed; 0 when it
/// does not. `missing` is how many of the term's letters the word lacks.
#[allow(clippy::too_many_arguments)]
fn word_quality(
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

/// How a term was found in a statement's folded text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Level {
    None,
    Infix,
    Prefix,
    Whole,
}

fn boundary_before(hay: &str, at: usize) -> bool {
    !hay[..at].chars().next_back().is_some_and(is_word_char)
}

fn boundary_after(hay: &str, at: usize) -> bool {
    !hay[at..].chars().next().is_some_and(is_word_char)
}

fn level_at(hay: &str, at: usize, len: usize) -> Level {
    match (boundary_before(hay, at), boundary_after(hay, at + len)) {
        (true, true) => Level::Whole,
        (true, false) => Level::Prefix,
        _ => Level::Infix,
    }
}

/// The best way a term occurs in `hay`.
fn term_level(hay: &str, finder: &memmem::Finder) -> Level {
    let len = finder.needle().len();
    let mut best = Level::None;
    for at in finder.find_iter(hay.as_bytes()) {
        best = best.max(level_at(hay, at, len));
        if best == Level::Whole {
            break;
        }
    }
    best
}

fn exact_score(hay: &str, levels: &[Level], phrase: Option<&memmem::Finder>) -> i64 {
    if let Some(f) = phrase {
        let len = f.needle().len();
        let mut best = 0;
        for at in f.find_iter(hay.as_bytes()) {
            if boundary_before(hay, at) {
                best = best.max(if boundary_after(hay, at + len) { 2 } else { 1 });
                if best == 2 {
                    break;
                }
            }
        }
        if best > 0 {
            return base(MatchRank::Phrase) + best;
        }
    }
    let worst = levels.iter().copied().min().unwrap_or(Level::Whole);
    let whole = levels.iter().filter(|&&l| l == Level::Whole).count() as i64;
    let prefix = levels.iter().filter(|&&l| l >= Level::Prefix).count() as i64;
    match worst {
        Level::Whole => base(MatchRank::Words),
        Level::Prefix => base(MatchRank::Prefix) + whole,
        _ => base(MatchRank::Fuzzy) + INFIX + whole + prefix,
    }
}

fn rank_of(score: i64) -> MatchRank {
    [
        MatchRank::Phrase,
        MatchRank::Words,
        MatchRank::Prefix,
        MatchRank::Fuzzy,
    ]
    .into_iter()
    .find(|&r| score >= base(r))
    .unwrap_or(MatchRank::Fuzzy)
}

/// The best `limit` of `scored`, in order.
fn top(mut scored: Vec<(Reverse<i64>, u32, u32)>, limit: usize) -> Vec<(Reverse<i64>, u32, u32)> {
    if scored.len() > limit {
        scored.select_nth_unstable(limit - 1);
        scored.truncate(limit);
    }
    scored.sort_unstable();
    scored
}

/// Where the query matched in each field of a hit, in original byte offsets.
fn highlights(
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

/// The words of a folded field that stand for a term only through a typo.
fn typo_ranges(text: &str, term: &Term, matcher: &SkimMatcherV2, out: &mut Vec<Range<usize>>) {
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

/// A query folded and split into what must be found.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Query {
    terms: Vec<Term>,
    /// The whole query as one run of words, when it has more than one.
    phrase: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Term {
    /// Folded.
    text: String,
    /// A single word long enough to forgive typos in, not quoted.
    fuzzable: bool,
}

impl Query {
    fn parse(query: &str) -> Query {
        let text = folded(query);
        let mut terms = Vec::new();
        for (i, part) in text.split('"').enumerate() {
            let quoted = i % 2 == 1;
            let trim = |s: &str| s.trim_matches(|c: char| !is_word_char(c)).to_string();
            if quoted {
                let phrase = trim(part);
                if !phrase.is_empty() {
                    terms.push(Term {
                        text: phrase,
                        fuzzable: false,
                    });
                }
            } else {
                for word in part.split(' ').map(trim).filter(|w| !w.is_empty()) {
                    let fuzzable =
                        word.chars().all(is_word_char) && max_edits(word.chars().count()) > 0;
                    terms.push(Term {
                        text: word,
                        fuzzable,
                    });
                }
            }
        }
        let words: Vec<&str> = terms.iter().map(|t| t.text.as_str()).collect();
        let phrase = words.join(" ");
        let phrase = (phrase.contains(' ')).then_some(phrase);
        Query { terms, phrase }
    }

    /// Whether every entry matching `self` exactly also matched `earlier` exactly, so this
    /// query may search only what the earlier one found.
    fn narrows(&self, earlier: &Query) -> bool {
        !earlier.terms.is_empty()
            && earlier
                .terms
                .iter()
                .all(|old| self.terms.iter().any(|new| new.text.contains(&old.text)))
    }
}

/// A set of entry indexes.
#[derive(Debug, Clone)]
struct Bits(Vec<u64>);

impl Bits {
    fn new(n: usize) -> Bits {
        Bits(vec![0; n.div_ceil(64)])
    }
    fn set(&mut self, i: usize) {
        self.0[i / 64] |= 1 << (i % 64);
    }
    fn get(&self, i: usize) -> bool {
        self.0[i / 64] & (1 << (i % 64)) != 0
    }
}

/// Searches as the reporter types: when the query grows (each earlier word still inside a
/// word of the new query) and the filter is unchanged, only the statements the previous query
/// found are searched again.
#[derive(Debug)]
pub struct Searcher<'a> {
    index: &'a SearchIndex,
    filter: Option<(Filter, Option<Bits>)>,
    last: Option<(Query, Vec<u32>)>,
}

impl<'a> Searcher<'a> {
    pub fn new(index: &'a SearchIndex) -> Self {
        Searcher {
            index,
            filter: None,
            last: None,
        }
    }

    /// As [`SearchIndex::search`].
    pub fn search(
        &mut self,
        corpus: &Corpus,
        query: &str,
        filter: &Filter,
        limit: usize,
    ) -> Vec<Hit> {
        if self.filter.as_ref().is_none_or(|(f, _)| f != filter) {
            self.filter = Some((filter.clone(), self.index.allowed(corpus, filter)));
            self.last = None;
        }
        let allowed = self.filter.as_ref().and_then(|(_, a)| a.as_ref());
        let q = Query::parse(query);
        let narrowed = match &self.last {
            Some((earlier, found)) if q.narrows(earlier) => Some(found.as_slice()),
            _ => None,
        };
        let (hits, found) = self.index.run(corpus, &q, allowed, narrowed, limit);
        self.last = (!q.terms.is_empty() && limit > 0).then_some((q, found));
        hits
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_split_into_words_and_phrases() {
        let q = Query::parse("Données  \"ne VENDONS pas\" clients,");
        let texts: Vec<&str> = q.terms.iter().map(|t| t.text.as_str()).collect();
        assert_eq!(texts, ["donnees", "ne vendons pas", "clients"]);
        assert!(!q.terms[1].fuzzable);
        assert_eq!(q.phrase.as_deref(), Some("donnees ne vendons pas clients"));
        assert_eq!(Query::parse("« ne vendons »").terms[0].text, "ne vendons");
        assert_eq!(Query::parse("  ").terms, []);
        assert_eq!(Query::parse("vendons").phrase, None);
    }

    #[test]
    fn a_growing_query_narrows() {
        let a = Query::parse("donn");
        let b = Query::parse("donnees cl");
        assert!(b.narrows(&a));
        assert!(!a.narrows(&b));
        assert!(!Query::parse("don").narrows(&a));
        assert!(!b.narrows(&Query::parse("")));
    }

    #[test]
    fn levels_follow_word_boundaries() {
        let f = |t: &str| memmem::Finder::new(t.as_bytes()).into_owned();
        assert_eq!(term_level("l'echec total", &f("echec")), Level::Whole);
        assert_eq!(term_level("echecs", &f("echec")), Level::Prefix);
        assert_eq!(term_level("mechecs echec", &f("echec")), Level::Whole);
        assert_eq!(term_level("mechecs", &f("echec")), Level::Infix);
        assert_eq!(term_level("rien", &f("echec")), Level::None);
    }

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

    #[test]
    fn folded_fields_keep_a_way_back() {
        let mut out = String::new();
        let mut origin = Vec::new();
        fold_field("Œuvre  des\ndonnées", &mut out, Some(&mut origin));
        assert_eq!(out, "oeuvre des donnees");
        assert_eq!(out.len(), origin.len());
        assert_eq!(origin[out.find("donnees").unwrap()], 12);
    }
}
