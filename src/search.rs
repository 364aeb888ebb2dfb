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
//!
//! This file owns the public types, the index and the scan; `matching` folds fields and says
//! how a term is found, `typo` forgives typos, `highlight` maps matches back to the original
//! text.

use std::borrow::Cow;
use std::cmp::Reverse;
use std::collections::HashMap;
use std::ops::Range;
use std::sync::OnceLock;

use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;
use memchr::memmem;
use rayon::prelude::*;
use serde::Serialize;

use crate::fold::fold_char;
use crate::model::{Incident, Statement};
use crate::query::Filter;
use crate::store::{Corpus, Position};

mod highlight;
mod matching;
mod typo;

use highlight::*;
use matching::*;
use typo::*;

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
    /// Where the statement is in the corpus searched.
    pub position: Position,
    /// Higher is better; hits are sorted by it, then newest first.
    pub score: i64,
    pub rank: MatchRank,
    /// Only fields with at least one range.
    pub matches: Vec<FieldMatch>,
}

impl Hit {
    pub fn get<'a>(&self, corpus: &'a Corpus) -> (&'a Incident, &'a Statement) {
        corpus.at(self.position)
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

/// How many hashed byte pairs an index tells apart.
const PAIR_HASHES: usize = 512;

fn pair_hash(a: u8, b: u8) -> usize {
    ((u32::from(a) << 8 | u32::from(b)).wrapping_mul(0x9E37_79B1) >> 23) as usize
}

/// A set of hashed byte pairs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Pairs([u64; PAIR_HASHES / 64]);

impl Pairs {
    fn of(s: &str) -> Pairs {
        let mut p = Pairs::default();
        for w in s.as_bytes().windows(2) {
            let h = pair_hash(w[0], w[1]);
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

    fn hashes(&self) -> impl Iterator<Item = usize> + '_ {
        (0..PAIR_HASHES).filter(|&h| self.0[h / 64] & (1 << (h % 64)) != 0)
    }
}

/// Every statement's fields folded once, for searching many times.
///
/// Statements are kept newest first, so that scanning in order meets ties in the order they
/// rank and can stop once enough hits of the best possible score are found.
///
/// An index belongs to the corpus it was built from: pass that same corpus to every search,
/// and build a new index when the corpus is reloaded.
#[derive(Debug)]
pub struct SearchIndex {
    /// Newest first; ties in corpus order (incident id, then file order).
    entries: Vec<Position>,
    /// Every entry's folded fields, in [`Field::ALL`] order, separated by [`SEP`], one entry
    /// after the other: one block, so a scan reads memory in order.
    text: String,
    /// Where each entry's folded text ends in `text`; it starts where the previous one ends.
    ends: Vec<u32>,
    /// For each hashed pair of adjacent bytes, the entries whose folded text holds it. A term
    /// cannot be in an entry that lacks one of its pairs, so a few of these sets, intersected,
    /// rule out most entries without reading their text. Built by [`SearchIndex::prepare`]:
    /// a single search reads every entry faster than it could build them.
    pairs: OnceLock<Vec<Bits>>,
    /// For each entry, how each ASCII letter or digit occurs in its folded text, so that a
    /// one-letter term (which nearly every entry holds) is placed without reading the text.
    /// Built by [`SearchIndex::prepare`].
    letters: OnceLock<Vec<Letters>>,
    /// Corpus order (each incident's statements after the previous incident's) to entry.
    entry_of: Vec<u32>,
    /// Where each incident's statements start in corpus order.
    starts: Vec<u32>,
    /// Built the first time a query needs typos looked for.
    vocabulary: OnceLock<Vocabulary>,
}

/// Folded text for some entries.
#[derive(Default)]
struct Part {
    text: String,
    ends: Vec<u32>,
}

/// Appends a statement's folded fields, in [`Field::ALL`] order, separated by [`SEP`]: the
/// text every search scans, and the cache's snapshot keeps. `incident` is the incident's
/// title and company already folded ([`fold_incident`]), when they are.
pub(crate) fn fold_statement(
    inc: &Incident,
    st: &Statement,
    incident: Option<(&str, &str)>,
    out: &mut String,
) {
    for (k, field) in Field::ALL.iter().enumerate() {
        if k > 0 {
            out.push(SEP);
        }
        match (field, incident) {
            (Field::Title, Some((title, _))) => out.push_str(title),
            (Field::Company, Some((_, company))) => out.push_str(company),
            _ => fold_field(&field.text(inc, st), out, None),
        }
    }
}

fn part_of(corpus: &Corpus, entries: &[Position], titles: &[String], companies: &[String]) -> Part {
    let mut part = Part::default();
    for &e in entries {
        let (inc, st) = corpus.at(e);
        let i = e.incident;
        fold_statement(inc, st, Some((&titles[i], &companies[i])), &mut part.text);
        part.ends.push(part.text.len() as u32);
    }
    part
}

/// Every statement, newest first, ties in corpus order (incident id, then file order); for
/// each statement in corpus order its place in that order; and where each incident's
/// statements start in corpus order.
fn newest_first(corpus: &Corpus) -> (Vec<Position>, Vec<u32>, Vec<u32>) {
    let mut starts = Vec::with_capacity(corpus.incidents.len());
    let mut entries = Vec::with_capacity(corpus.statement_count());
    for (i, inc) in corpus.incidents.iter().enumerate() {
        starts.push(entries.len() as u32);
        for j in 0..inc.statements.len() {
            entries.push(Position {
                incident: i,
                statement: j,
            });
        }
    }
    // Dates are compared by their sort key, worked out once a statement rather than twice a
    // comparison. Stable, so ties stay in corpus order.
    let key = |e: Position| corpus.at(e).1.date.sort_key();
    let mut order: Vec<u32> = (0..entries.len() as u32).collect();
    order.sort_by_cached_key(|&e| Reverse(key(entries[e as usize])));
    let mut entry_of = vec![0u32; entries.len()];
    for (k, &e) in order.iter().enumerate() {
        entry_of[e as usize] = k as u32;
    }
    let entries = order.iter().map(|&e| entries[e as usize]).collect();
    (entries, entry_of, starts)
}

impl SearchIndex {
    pub fn new(corpus: &Corpus) -> SearchIndex {
        let (entries, entry_of, starts) = newest_first(corpus);
        // An incident's fields are the same for each of its statements: fold them once.
        let titles: Vec<String> = corpus.incidents.iter().map(|i| folded(&i.title)).collect();
        let companies: Vec<String> = corpus
            .incidents
            .iter()
            .map(|i| folded(&i.company))
            .collect();
        // One part a core: each part is a string, and more of them would only cost copying.
        let parts: Vec<Part> = if entries.len() < 4096 {
            vec![part_of(corpus, &entries, &titles, &companies)]
        } else {
            let chunk = entries.len().div_ceil(rayon::current_num_threads());
            entries
                .par_chunks(chunk)
                .map(|part| part_of(corpus, part, &titles, &companies))
                .collect()
        };
        let mut text = String::with_capacity(parts.iter().map(|p| p.text.len()).sum());
        let mut ends = Vec::with_capacity(entries.len());
        for part in parts {
            let offset = text.len() as u32;
            text.push_str(&part.text);
            ends.extend(part.ends.iter().map(|e| e + offset));
        }
        SearchIndex {
            entries,
            text,
            ends,
            pairs: OnceLock::new(),
            letters: OnceLock::new(),
            entry_of,
            starts,
            vocabulary: OnceLock::new(),
        }
    }

    /// Builds what makes a search fast enough for every keystroke: which statements hold
    /// each byte pair, how each letter occurs in each statement (for one-letter terms), and
    /// the corpus's vocabulary, which tells a search when nothing left
    /// can rank higher (and which the first query with a typo would build anyway). A single
    /// search does without. An interface may call it on a background thread after loading.
    pub fn prepare(&self) {
        self.pairs.get_or_init(|| self.build_pairs());
        self.letters.get_or_init(|| {
            (0..self.entries.len())
                .into_par_iter()
                .map(|e| Letters::of(self.hay(e)))
                .collect()
        });
        self.vocabulary();
    }

    /// For each hashed byte pair, the entries whose folded text holds it; built on every
    /// core, each thread filling whole words of the sets for its own entries.
    fn build_pairs(&self) -> Vec<Bits> {
        let n = self.entries.len();
        let chunk = (n.div_ceil(rayon::current_num_threads()).div_ceil(64) * 64).max(64);
        let fill = |start: usize| {
            let end = (start + chunk).min(n);
            let mut sets = vec![Bits::new(end - start); PAIR_HASHES];
            for e in start..end {
                for w in self.hay(e).as_bytes().windows(2) {
                    sets[pair_hash(w[0], w[1])].set(e - start);
                }
            }
            sets
        };
        let starts: Vec<usize> = (0..n).step_by(chunk).collect();
        let parts: Vec<Vec<Bits>> = starts.into_par_iter().map(fill).collect();
        let mut sets = vec![Bits::new(n); PAIR_HASHES];
        for (k, part) in parts.into_iter().enumerate() {
            let first = k * chunk / 64;
            for (set, local) in sets.iter_mut().zip(part) {
                set.0[first..first + local.0.len()].copy_from_slice(&local.0);
            }
        }
        sets
    }

    /// Entry `e`'s folded text.
    fn hay(&self, e: usize) -> &str {
        let start = if e == 0 { 0 } else { self.ends[e - 1] as usize };
        &self.text[start..self.ends[e] as usize]
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
                    bits.set(self.entry_of[start + j] as usize);
                }
            }
        }
        Some(bits)
    }

    /// The entries that may hold every term: those allowed that have each of the terms'
    /// byte pairs. `None` when that is every entry.
    fn candidates(&self, q: &Query, allowed: Option<&Bits>) -> Option<Bits> {
        let pairs = q
            .terms
            .iter()
            .fold(Pairs::default(), |p, t| p.union(Pairs::of(&t.text)));
        let sets = self.pairs.get();
        let mut hashes = pairs.hashes().filter(|_| sets.is_some());
        let mut bits = match (allowed, sets.zip(hashes.next())) {
            (None, None) => return None,
            (Some(a), _) => a.clone(),
            (None, Some((sets, h))) => sets[h].clone(),
        };
        for h in hashes {
            bits.and(&sets.expect("only when built")[h]);
        }
        Some(bits)
    }

    /// Ranks the entries of `narrowed` (or every allowed entry) against `q`. Returns the hits
    /// and, when every candidate was looked at, the entries where every term was found
    /// exactly, for the next keystroke to narrow.
    fn run(
        &self,
        corpus: &Corpus,
        q: &Query,
        allowed: Option<&Bits>,
        narrowed: Option<&[u32]>,
        limit: usize,
    ) -> (Vec<Hit>, Option<Vec<u32>>) {
        if limit == 0 {
            return (Vec::new(), None);
        }
        if q.terms.is_empty() {
            let hits = (0..self.entries.len() as u32)
                .filter(|&e| allowed.is_none_or(|a| a.get(e as usize)))
                .take(limit)
                .map(|e| self.hit(corpus, e, MatchRank::Words, 0, q, &[]))
                .collect();
            return (hits, None);
        }
        // Entries come newest first, so once `limit` of them reach the best score the query
        // can get, no later one can rank above them.
        let mut scan = Scan::new(q, self.best_score(q), limit);
        scan.letters = self.letters.get().map(Vec::as_slice);
        let candidates = self.candidates(q, allowed);
        let all = 0..self.entries.len() as u32;
        let order: Box<dyn Iterator<Item = u32>> = match (narrowed, &candidates) {
            (Some(list), Some(c)) => Box::new(list.iter().copied().filter(|&e| c.get(e as usize))),
            (Some(list), None) => Box::new(list.iter().copied()),
            (None, Some(c)) => Box::new(c.ones().map(|e| e as u32)),
            (None, None) => Box::new(all),
        };
        for e in order {
            if !scan.add(e, self.hay(e as usize)) {
                break;
            }
        }
        if scan.scored.len() < limit {
            self.typos(q, allowed, &scan.matched, &mut scan.scored);
        }
        let h = Highlighter::new(q);
        let hits = top(std::mem::take(&mut scan.scored), limit)
            .into_iter()
            .map(|(Reverse(score), e)| {
                let levels = scan.levels_of(e, self.hay(e as usize));
                self.highlighted(corpus, e, rank_of(score), score, &h, &levels)
            })
            .collect();
        (hits, (!scan.stopped).then_some(scan.matched))
    }

    /// The best score any statement could get for `q`: knowing the corpus's words (once the
    /// vocabulary is built), a term that is no word of the corpus can never be found whole.
    fn best_score(&self, q: &Query) -> i64 {
        let Some(vocabulary) = self.vocabulary.get() else {
            return best_score_unknown(q);
        };
        let levels: Vec<Level> = q
            .terms
            .iter()
            .map(|t| vocabulary.best_level(&t.text))
            .collect();
        // Inside the phrase every term but the last is followed by a space, so is whole.
        if let Some((last, before)) = levels.split_last()
            && q.phrase.is_some()
            && before.iter().all(|&l| l == Level::Whole)
            && *last >= Level::Prefix
        {
            return base(MatchRank::Phrase) + if *last == Level::Whole { 2 } else { 1 };
        }
        levels_score(&levels)
    }

    /// Adds to `scored` the allowed entries, not already there, where every term is found
    /// exactly or through a word within a typo or two of it.
    fn typos(
        &self,
        q: &Query,
        allowed: Option<&Bits>,
        exact: &[u32],
        scored: &mut Vec<(Reverse<i64>, u32)>,
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
            let hay = self.hay(e);
            if others.iter().any(|f| f.find(hay.as_bytes()).is_none()) {
                continue;
            }
            let score = base(MatchRank::Fuzzy) + total;
            scored.push((Reverse(score), e as u32));
        }
    }

    fn vocabulary(&self) -> &Vocabulary {
        self.vocabulary.get_or_init(|| {
            let mut ids: HashMap<&str, u32> = HashMap::new();
            let mut words: Vec<Box<str>> = Vec::new();
            let mut postings: Vec<Vec<u32>> = Vec::new();
            for e in 0..self.entries.len() {
                for w in self.hay(e).split(|c: char| !is_word_char(c)) {
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
            let mut sorted: Vec<u32> = (0..words.len() as u32).collect();
            sorted.sort_unstable_by(|&a, &b| words[a as usize].cmp(&words[b as usize]));
            Vocabulary {
                sorted,
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
        self.highlighted(corpus, e, rank, score, &Highlighter::new(q), levels)
    }

    /// As [`SearchIndex::hit`], with the query's highlighter made once for all its hits.
    fn highlighted(
        &self,
        corpus: &Corpus,
        e: u32,
        rank: MatchRank,
        score: i64,
        h: &Highlighter,
        levels: &[Level],
    ) -> Hit {
        let position = self.entries[e as usize];
        let (inc, st) = corpus.at(position);
        let hay = self.hay(e as usize);
        Hit {
            position,
            score,
            rank,
            matches: highlights(inc, st, h, Some(hay), rank, levels),
        }
    }
}

fn make_hit(
    corpus: &Corpus,
    position: Position,
    rank: MatchRank,
    score: i64,
    q: &Query,
    levels: &[Level],
) -> Hit {
    let (inc, st) = corpus.at(position);
    let matches = if q.terms.is_empty() {
        Vec::new()
    } else {
        highlights(inc, st, &Highlighter::new(q), None, rank, levels)
    };
    Hit {
        position,
        score,
        rank,
        matches,
    }
}

/// Scores entries one at a time, newest first, against a query, and says when no entry
/// left could rank among the best `limit`.
struct Scan<'q> {
    finders: Vec<memmem::Finder<'q>>,
    /// For each term, its letter when it is one ASCII letter or digit.
    single: Vec<Option<u32>>,
    /// The index's letters table, when built, to place one-letter terms.
    letters: Option<&'q [Letters]>,
    phrase: Option<memmem::Finder<'q>>,
    /// The best score the query can get.
    best: i64,
    limit: usize,
    at_best: usize,
    levels: Vec<Level>,
    /// Entries where every term was found.
    matched: Vec<u32>,
    scored: Vec<(Reverse<i64>, u32)>,
    /// Whether the scan stopped before the last entry.
    stopped: bool,
}

impl<'q> Scan<'q> {
    fn new(q: &'q Query, best: i64, limit: usize) -> Scan<'q> {
        Scan {
            finders: q
                .terms
                .iter()
                .map(|t| memmem::Finder::new(t.text.as_bytes()))
                .collect(),
            single: q.terms.iter().map(|t| letter_bit(&t.text)).collect(),
            letters: None,
            phrase: q.phrase.as_deref().map(memmem::Finder::new),
            best,
            limit,
            at_best: 0,
            levels: Vec::with_capacity(q.terms.len()),
            matched: Vec::new(),
            scored: Vec::new(),
            stopped: false,
        }
    }

    /// Scores entry `e`, whose folded text is `hay`; false when the scan may stop.
    fn add(&mut self, e: u32, hay: &str) -> bool {
        self.levels.clear();
        for t in 0..self.finders.len() {
            let level = self.level(t, e, hay);
            if level == Level::None {
                return true;
            }
            self.levels.push(level);
        }
        self.matched.push(e);
        let score = exact_score(hay, &self.levels, self.phrase.as_ref());
        self.scored.push((Reverse(score), e));
        if score >= self.best {
            self.at_best += 1;
            self.stopped = self.at_best >= self.limit;
        }
        !self.stopped
    }

    /// How each term was found in `hay`.
    fn levels(&self, hay: &str) -> Vec<Level> {
        self.finders.iter().map(|f| term_level(hay, f)).collect()
    }

    /// How each term was found in entry `e`, whose folded text is `hay`.
    fn levels_of(&self, e: u32, hay: &str) -> Vec<Level> {
        (0..self.finders.len())
            .map(|t| self.level(t, e, hay))
            .collect()
    }

    /// How term `t` was found in entry `e`: from the letters table for a one-letter term
    /// when there is one, else by reading `hay`.
    fn level(&self, t: usize, e: u32, hay: &str) -> Level {
        match (self.single[t], self.letters) {
            (Some(bit), Some(letters)) => letters[e as usize].level(bit),
            _ => term_level(hay, &self.finders[t]),
        }
    }
}

/// The best score for `q` when nothing is known of the corpus's words.
fn best_score_unknown(q: &Query) -> i64 {
    match q.phrase {
        Some(_) => base(MatchRank::Phrase) + 2,
        None => base(MatchRank::Words),
    }
}

/// Searches once, for a command that runs one search and exits: statements are read newest
/// first and folded as they are read, and reading stops as soon as no statement left could
/// rank among the best `limit`, so a common query never folds the whole corpus. Ranks as
/// [`SearchIndex::search`] does; when fewer than `limit` statements match exactly (so typos
/// must be looked for), what it folded becomes the index that looks for them.
pub fn search_once(corpus: &Corpus, query: &str, filter: &Filter, limit: usize) -> Vec<Hit> {
    let q = Query::parse(query);
    if limit == 0 {
        return Vec::new();
    }
    let (order, entry_of, starts) = newest_first(corpus);
    let passes = |&e: &Position| {
        let (inc, st) = corpus.at(e);
        filter.is_empty() || filter.matches(inc, st)
    };
    if q.terms.is_empty() {
        return order
            .iter()
            .filter(|e| passes(e))
            .take(limit)
            .map(|&e| make_hit(corpus, e, MatchRank::Words, 0, &q, &[]))
            .collect();
    }
    let mut scan = Scan::new(&q, best_score_unknown(&q), limit);
    // Every statement read so far, folded, laid out as an index lays it out.
    let mut text = String::new();
    let mut ends: Vec<u32> = Vec::new();
    for (k, e) in order.iter().enumerate() {
        let start = text.len();
        let (inc, st) = corpus.at(*e);
        fold_statement(inc, st, None, &mut text);
        ends.push(text.len() as u32);
        if passes(e) && !scan.add(k as u32, &text[start..]) {
            break;
        }
    }
    let index = SearchIndex {
        entries: order,
        text,
        ends,
        pairs: OnceLock::new(),
        letters: OnceLock::new(),
        entry_of,
        starts,
        vocabulary: OnceLock::new(),
    };
    if scan.scored.len() < limit {
        // Every statement was read, so the index is whole.
        let allowed = index.allowed(corpus, filter);
        index.typos(&q, allowed.as_ref(), &scan.matched, &mut scan.scored);
    }
    top(std::mem::take(&mut scan.scored), limit)
        .into_iter()
        .map(|(Reverse(score), e)| {
            let levels = scan.levels(index.hay(e as usize));
            index.hit(corpus, e, rank_of(score), score, &q, &levels)
        })
        .collect()
}

/// An incident's title and company folded, as [`fold_statement`] takes them.
pub(crate) fn fold_incident(inc: &Incident) -> (String, String) {
    (folded(&inc.title), folded(&inc.company))
}

/// A statement [`rank_folded`] ranked, to be made a [`Hit`] once its record is read.
#[derive(Debug, Clone)]
pub struct Ranked {
    /// Its place in the list given to [`rank_folded`].
    pub entry: u32,
    score: i64,
    rank: MatchRank,
    levels: Vec<Level>,
}

impl Ranked {
    /// The hit, with what matched lit, for the statement `st` of `inc`, which must be the one
    /// whose folded text was at [`Ranked::entry`]; `position` is where the caller keeps it.
    pub fn hit(&self, query: &str, position: Position, inc: &Incident, st: &Statement) -> Hit {
        let q = Query::parse(query);
        let matches = if q.terms.is_empty() {
            Vec::new()
        } else {
            highlights(
                inc,
                st,
                &Highlighter::new(&q),
                None,
                self.rank,
                &self.levels,
            )
        };
        Hit {
            position,
            score: self.score,
            rank: self.rank,
            matches,
        }
    }
}

/// [`search_once`] with no filter, over statements already folded ([`fold_statement`]),
/// given newest first with ties in corpus order (incident id, then file order): the same
/// scan, the same early stop, the same typo pass over the same text, so the same statements
/// in the same order with the same scores. Only the ranking: the caller reads the records of
/// the few statements that rank, to print them.
pub fn rank_folded(hays: &[&str], query: &str, limit: usize) -> Vec<Ranked> {
    let q = Query::parse(query);
    if limit == 0 {
        return Vec::new();
    }
    if q.terms.is_empty() {
        return (0..hays.len().min(limit) as u32)
            .map(|entry| Ranked {
                entry,
                score: 0,
                rank: MatchRank::Words,
                levels: Vec::new(),
            })
            .collect();
    }
    let mut scan = Scan::new(&q, best_score_unknown(&q), limit);
    for (k, hay) in hays.iter().enumerate() {
        if !scan.add(k as u32, hay) {
            break;
        }
    }
    if scan.scored.len() < limit {
        // As `search_once`: every statement was read, and their folded text, laid out as an
        // index lays it out, is what the typo pass builds its vocabulary from. With no filter
        // the index's positions are never looked at, only counted.
        let mut text = String::with_capacity(hays.iter().map(|h| h.len()).sum());
        let mut ends = Vec::with_capacity(hays.len());
        for hay in hays {
            text.push_str(hay);
            ends.push(text.len() as u32);
        }
        let index = SearchIndex {
            entries: vec![
                Position {
                    incident: 0,
                    statement: 0
                };
                hays.len()
            ],
            text,
            ends,
            pairs: OnceLock::new(),
            entry_of: Vec::new(),
            starts: Vec::new(),
            vocabulary: OnceLock::new(),
            letters: OnceLock::new(),
        };
        index.typos(&q, None, &scan.matched, &mut scan.scored);
    }
    top(std::mem::take(&mut scan.scored), limit)
        .into_iter()
        .map(|(Reverse(score), e)| Ranked {
            entry: e,
            score,
            rank: rank_of(score),
            levels: scan.levels(hays[e as usize]),
        })
        .collect()
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
fn top(mut scored: Vec<(Reverse<i64>, u32)>, limit: usize) -> Vec<(Reverse<i64>, u32)> {
    if scored.len() > limit {
        scored.select_nth_unstable(limit - 1);
        scored.truncate(limit);
    }
    scored.sort_unstable();
    scored
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
    fn and(&mut self, other: &Bits) {
        for (a, b) in self.0.iter_mut().zip(&other.0) {
            *a &= b;
        }
    }
    /// The members, in increasing order.
    fn ones(&self) -> impl Iterator<Item = usize> + '_ {
        self.0.iter().enumerate().flat_map(|(k, &word)| {
            let mut w = word;
            std::iter::from_fn(move || {
                (w != 0).then(|| {
                    let bit = w.trailing_zeros() as usize;
                    w &= w - 1;
                    k * 64 + bit
                })
            })
        })
    }
}

/// Searches as the reporter types: when the query grows (each earlier word still inside a
/// word of the new query) and the filter is unchanged, only the statements the previous query
/// found are searched again.
///
/// [`Searcher::new`] calls [`SearchIndex::prepare`] (a few hundred milliseconds on 100k
/// statements, once per index); call that on a background thread after loading to have it
/// ready before the first keystroke.
#[derive(Debug)]
pub struct Searcher<'a> {
    index: &'a SearchIndex,
    filter: Option<(Filter, Option<Bits>)>,
    last: Option<(Query, Vec<u32>)>,
}

impl<'a> Searcher<'a> {
    pub fn new(index: &'a SearchIndex) -> Self {
        index.prepare();
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
        self.last = found.map(|found| (q, found));
        hits
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_with_or_without_origins_gives_the_same_text() {
        // Search folds without origins (the index, the snapshot) and highlights with them:
        // both must give the same bytes, or a highlight would land off its match.
        let texts = [
            "",
            " ",
            "Nous ne VENDONS pas\n\n les  données\t!",
            "  Œuvre, Straße, ﬁn « ne vendons » — l\u{2019}été\u{a0}2024 ",
            "\u{2003}İstanbul\u{1f}ǅ ΣΑΣ x\r\n",
            "tab\tend\u{b}v\u{c}f",
            "a  b \n c\n d e\u{a0} f é g",
            " a\u{a0} \u{a0}b",
        ];
        for text in texts {
            for prefix in ["", "x", "x "] {
                let (mut plain, mut traced) = (prefix.to_string(), prefix.to_string());
                let mut origin = Vec::new();
                fold_field(text, &mut plain, None);
                fold_field(text, &mut traced, Some(&mut origin));
                assert_eq!(plain, traced, "{text:?} after {prefix:?}");
                assert_eq!(origin.len(), traced.len() - prefix.len(), "{text:?}");
            }
        }
    }

    #[test]
    fn bit_sets_list_their_members_in_order() {
        let mut a = Bits::new(200);
        for i in [0, 63, 64, 130, 199] {
            a.set(i);
        }
        assert_eq!(a.ones().collect::<Vec<_>>(), [0, 63, 64, 130, 199]);
        let mut b = Bits::new(200);
        b.set(64);
        b.set(199);
        b.set(5);
        a.and(&b);
        assert_eq!(a.ones().collect::<Vec<_>>(), [64, 199]);
        assert!(a.get(199) && !a.get(0));
    }
}
