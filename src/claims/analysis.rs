//! A text read for its claims: its words (folded, stemmed, each with its place in the
//! original) and the markers among them — negations with the words they deny, restrictions,
//! hedges, time words, quantities, numbers — and the words of opposed pairs, in English and
//! French. The word lists come from [`super::lexicon`].
//!
//! Everything here works on folded words (see [`crate::fold`]), so "Définitivement" and
//! "definitivement" are one word.

use std::collections::HashSet;
use std::sync::OnceLock;

use super::lexicon::{self, Lexicon};
use super::sorted_unique;
use super::terms::stem;
use super::tokenize::{Token, TokenKind, WordMap, tokenize};
use crate::fold::fold;

/// A word of a text, folded, with its place in the original.
#[derive(Debug, Clone)]
pub struct Word {
    /// Folded: lowercase, no accents, plain apostrophes.
    pub key: String,
    pub start: usize,
    pub end: usize,
    pub number: bool,
    /// Punctuation or a clause-joining word comes before it, which ends a negation's reach.
    pub clause_start: bool,
}

/// The kinds of words that change what a sentence claims.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Category {
    Negation,
    Restriction,
    Hedge,
    Time,
    Quantity,
    Number,
}

/// One such word or phrase found in a text.
#[derive(Debug, Clone)]
pub struct Marker {
    pub category: Category,
    /// What it means, for comparing across languages: "temporary", "permanent", "all", "may"...
    pub class: &'static str,
    /// The words it covers, as indexes into [`Analysis::words`].
    pub first: usize,
    pub last: usize,
    /// For a negation, the words it denies (indexes into `words`).
    pub scope: Vec<usize>,
}

/// A text read for its claims.
#[derive(Debug, Clone, Default)]
pub struct Analysis {
    pub words: Vec<Word>,
    pub markers: Vec<Marker>,
    /// The words of opposed pairs, found once: [`Analysis::opposed`].
    pub opposed: Vec<Opposed>,
    /// Each word's [`stem`], by word index.
    pub stems: Vec<String>,
    /// The stems of its content words, sorted, each once, found once:
    /// [`super::terms::content_terms`].
    pub content: Vec<String>,
    /// Every number it states, found once: [`Analysis::amounts`].
    pub amounts: Vec<String>,
}

/// Words a negation's quoted phrase skips on its way to the word it denies.
fn is_filler(word: &str) -> bool {
    lexicon::get().fillers.contains(word)
}

/// A lexicon phrase split into its words, with its class and category.
struct SplitPhrase {
    parts: Vec<&'static str>,
    class: &'static str,
    category: Category,
}

/// The lexicon by first word, so that reading a text costs a lookup a word, not a scan of
/// every phrase: 100,000 statements are read for every `suggest`.
struct LexiconIndex {
    exact: WordMap<&'static str, Vec<SplitPhrase>>,
    /// Phrases whose first word is a prefix pattern (`pause*`).
    prefixed: Vec<SplitPhrase>,
}

impl LexiconIndex {
    /// The phrases whose first word matches this one.
    fn starting_with(&self, word: &str) -> Vec<&SplitPhrase> {
        let exact = self.exact.get(word).into_iter().flatten();
        exact
            .chain(
                self.prefixed
                    .iter()
                    .filter(|e| matches_pattern(word, e.parts[0])),
            )
            .collect()
    }
}

fn lexicon_index() -> &'static LexiconIndex {
    static INDEX: OnceLock<LexiconIndex> = OnceLock::new();
    INDEX.get_or_init(|| {
        let mut exact: WordMap<&'static str, Vec<SplitPhrase>> = WordMap::default();
        let mut prefixed = Vec::new();
        for m in &lexicon::get().markers {
            let parts: Vec<&'static str> = m.phrase.split(' ').collect();
            let first = parts[0];
            let e = SplitPhrase {
                parts,
                class: m.class,
                category: m.category,
            };
            if first.ends_with('*') {
                prefixed.push(e);
            } else {
                exact.entry(first).or_default().push(e);
            }
        }
        LexiconIndex { exact, prefixed }
    })
}

fn rest_at(words: &[Word], at: usize, rest: &[&str]) -> Option<usize> {
    for (k, part) in rest.iter().enumerate() {
        let w = words.get(at + 1 + k)?;
        if w.clause_start || !matches_pattern(&w.key, part) {
            return None;
        }
    }
    Some(1 + rest.len())
}

/// Whether a folded word matches a pattern (`*` at the end: any word starting so).
pub fn matches_pattern(word: &str, pattern: &str) -> bool {
    match pattern.strip_suffix('*') {
        Some(prefix) => word.starts_with(prefix),
        None => word == pattern,
    }
}

/// Whether `words[at..]` starts with the phrase (folded words separated by spaces).
fn phrase_at(words: &[Word], at: usize, phrase: &str) -> Option<usize> {
    let mut i = at;
    for part in phrase.split(' ') {
        let w = words.get(i)?;
        if (i > at && w.clause_start) || !matches_pattern(&w.key, part) {
            return None;
        }
        i += 1;
    }
    Some(i - at)
}

/// Reads a text's words and the markers among them.
pub fn analyze(text: &str) -> Analysis {
    analyze_tokens(text, &tokenize(super::analysed_part(text)))
}

/// [`analyze`], from the text's tokens when they are at hand.
pub fn analyze_tokens(text: &str, tokens: &[Token]) -> Analysis {
    let lx = lexicon::get();
    // Only the part of a long text that is read for its claims.
    let read = super::analysed_part(text).len();
    let tokens = &tokens[..tokens.partition_point(|t| t.end <= read)];
    let mut words = Vec::with_capacity(tokens.len() / 2);
    let mut clause_start = true;
    // A long text repeats its words; each written form is folded once.
    let mut folded: WordMap<&str, String> = WordMap::default();
    for &t in tokens {
        match t.kind {
            TokenKind::Space => {}
            TokenKind::Punct => {
                let c = t.text(text);
                // Quotes, brackets and apostrophes do not end a clause; stops and commas do.
                if !matches!(
                    c,
                    "\"" | "'" | "«" | "»" | "“" | "”" | "‘" | "’" | "(" | ")" | "-" | "%"
                ) {
                    clause_start = true;
                }
                if c == "%" {
                    words.push(Word {
                        key: "%".into(),
                        start: t.start,
                        end: t.end,
                        number: false,
                        clause_start: false,
                    });
                }
            }
            TokenKind::Word | TokenKind::Number => {
                let written = t.text(text);
                let key = match folded.get(written) {
                    Some(k) => String::clone(k),
                    None => {
                        let mut k = fold(written);
                        // "né" (born) is not the "ne" of a negation.
                        if k == "ne" && !written.eq_ignore_ascii_case("ne") {
                            k = written.to_lowercase();
                        }
                        folded.insert(written, k.clone());
                        k
                    }
                };
                let joins = lx.clause_words.contains(key.as_str());
                words.push(Word {
                    key,
                    start: t.start,
                    end: t.end,
                    number: t.kind == TokenKind::Number,
                    clause_start: clause_start || joins,
                });
                clause_start = false;
            }
        }
    }
    let markers = find_markers(&words);
    let stems = {
        let mut memo: WordMap<&str, String> = WordMap::default();
        words
            .iter()
            .map(|w| memo.entry(&w.key).or_insert_with(|| stem(&w.key)).clone())
            .collect()
    };
    let mut a = Analysis {
        words,
        markers,
        opposed: Vec::new(),
        stems,
        content: Vec::new(),
        amounts: Vec::new(),
    };
    a.opposed = a.find_opposed();
    a.content = super::terms::find_content_terms(&a);
    a.amounts =
        sorted_unique((0..a.words.len()).filter_map(|i| a.amount(i).map(|v| v.to_string())));
    a
}

fn is_fr_ne(key: &str) -> bool {
    key == "ne" || key == "n'"
}

fn is_en_negator(lx: &Lexicon, key: &str) -> bool {
    lx.negators.contains(key) || key.ends_with("n't")
}

/// The words a negation at `from` (inclusive) reaches: up to four content words, not past the
/// end of the clause.
fn reach(words: &[Word], from: usize) -> Vec<usize> {
    let mut scope = Vec::new();
    let mut i = from;
    while i < words.len() && scope.len() < 4 {
        if words[i].clause_start {
            break;
        }
        if !is_filler(&words[i].key) {
            scope.push(i);
        }
        i += 1;
    }
    scope
}

fn find_markers(words: &[Word]) -> Vec<Marker> {
    let lx = lexicon::get();
    let mut markers = Vec::new();
    let mut used = vec![false; words.len()];
    // French negation brackets first: ne/n' ... pas|jamais|plus|rien..., and ne ... que.
    for i in 0..words.len() {
        if !is_fr_ne(&words[i].key) {
            continue;
        }
        let mut end = None;
        for j in i + 1..words.len().min(i + 7) {
            if words[j].clause_start {
                break;
            }
            let k = words[j].key.as_str();
            if lx.negation_ends.contains(k) {
                // "ne ... plus que" is a restriction; plain "ne ... plus" a negation.
                end = Some((
                    j,
                    k == "plus" && words.get(j + 1).is_some_and(|w| w.key == "que"),
                ));
                break;
            }
            if k == "que" || k == "qu'" {
                end = Some((j, true));
                break;
            }
        }
        match end {
            Some((j, true)) => {
                let j = if words[j].key == "plus" { j + 1 } else { j };
                used[i..=j].iter_mut().for_each(|u| *u = true);
                markers.push(Marker {
                    category: Category::Restriction,
                    class: "only",
                    first: i,
                    last: j,
                    scope: reach(words, j + 1),
                });
            }
            Some((mut j, false)) => {
                // "n'y a plus rien", "ne ... jamais aucun": one negation.
                while words
                    .get(j + 1)
                    .is_some_and(|w| lx.negation_ends.contains(w.key.as_str()))
                {
                    j += 1;
                }
                used[i..=j].iter_mut().for_each(|u| *u = true);
                let mut scope: Vec<usize> = (i + 1..j).collect();
                scope.extend(reach(words, j + 1));
                markers.push(Marker {
                    category: Category::Negation,
                    class: "not",
                    first: i,
                    last: j,
                    scope,
                });
            }
            None => {
                used[i] = true;
                // A "ne" alone denies only before pouvoir, savoir, oser and cesser ("ne peut
                // être", "ne cesse de"); elsewhere it is the expletive "ne" of "craignent
                // qu'elle ne soit", which denies nothing.
                let literary = words.get(i + 1).is_some_and(|w| {
                    ["peu", "pourr", "pu", "sai", "sau", "sach", "os", "cess"]
                        .iter()
                        .any(|p| w.key.starts_with(p))
                });
                if !literary {
                    continue;
                }
                markers.push(Marker {
                    category: Category::Negation,
                    class: "not",
                    first: i,
                    last: i,
                    scope: reach(words, i + 1),
                });
            }
        }
    }
    // Phrases of the lexicon, longest first at each place. The phrases a word may start are
    // found once per distinct word.
    let index = lexicon_index();
    let mut memo: WordMap<&str, Vec<&SplitPhrase>> = WordMap::default();
    for i in 0..words.len() {
        if used[i] {
            continue;
        }
        let key = words[i].key.as_str();
        let entries = memo.entry(key).or_insert_with(|| index.starting_with(key));
        let mut best: Option<(usize, &'static str, Category)> = None;
        for e in entries.iter() {
            if let Some(n) = rest_at(words, i, &e.parts[1..])
                && best.is_none_or(|(m, ..)| n > m)
            {
                best = Some((n, e.class, e.category));
            }
        }
        let Some((n, class, category)) = best else {
            continue;
        };
        let prev = i.checked_sub(1).map(|p| words[p].key.as_str());
        // "not only" and "non seulement" add, they do not restrict; "only temporarily" is a
        // time word, not a restriction.
        let time_follows = || {
            words.get(i + 1).is_some_and(|w| {
                !w.clause_start
                    && index.starting_with(&w.key).iter().any(|e| {
                        e.category == Category::Time
                            && rest_at(words, i + 1, &e.parts[1..]).is_some()
                    })
            })
        };
        if category == Category::Restriction
            && (matches!(prev, Some("not" | "non")) || time_follows())
        {
            continue;
        }
        // "could" and "may" in a question or a negation are not this statement's hedge only;
        // keep them, they are rare. "tout" in "pas du tout" is part of the negation.
        if category == Category::Quantity && matches!(prev, Some("du")) && key == "tout" {
            continue;
        }
        // "at most three" and "fewer than three" bound a number (see bounds.tsv); they do
        // not say "most" or "few".
        let before_number = || {
            words.get(i + n..i + n + 2).is_some_and(|w| {
                w.iter()
                    .any(|w| w.number || lx.numbers.contains_key(w.key.as_str()))
            })
        };
        if category == Category::Quantity
            && (matches!(prev, Some("at" | "au")) || (key == "fewer" && before_number()))
        {
            continue;
        }
        used[i..i + n].iter_mut().for_each(|u| *u = true);
        markers.push(Marker {
            category,
            class,
            first: i,
            last: i + n - 1,
            scope: Vec::new(),
        });
        // "won't" is a negation too.
        if key == "won't" {
            markers.push(Marker {
                category: Category::Negation,
                class: "not",
                first: i,
                last: i,
                scope: reach(words, i + 1),
            });
        }
    }
    // Single-word negations in both languages.
    for i in 0..words.len() {
        if used[i] {
            continue;
        }
        let k = words[i].key.as_str();
        let prev = i.checked_sub(1).map(|p| words[p].key.as_str());
        let negates = is_en_negator(lx, k)
            || matches!(
                k,
                "sans" | "aucun" | "aucune" | "rien" | "nul" | "nulle"
            )
            // Without "ne", "jamais" inside a clause is "ever": "la plus grande jamais vue".
            || (k == "jamais" && words[i].clause_start)
            || (k == "non" && words.get(i + 1).is_none_or(|w| w.key != "seulement"))
            || (k == "pas" && prev.is_none_or(|p| !lx.pas_nouns.contains(p)));
        if !negates {
            continue;
        }
        used[i] = true;
        let first = match prev {
            Some(p) if lx.auxiliaries.contains(p) && !words[i].clause_start => i - 1,
            _ => i,
        };
        markers.push(Marker {
            category: Category::Negation,
            class: "not",
            first,
            last: i,
            scope: reach(words, i + 1),
        });
    }
    // The French future after a subject or ne: "ne vendrons pas", "nous serons".
    for i in 1..words.len() {
        let k = words[i].key.as_str();
        let prev = words[i - 1].key.as_str();
        let subject = matches!(
            prev,
            "ne" | "n'"
                | "je"
                | "j'"
                | "tu"
                | "il"
                | "elle"
                | "on"
                | "nous"
                | "vous"
                | "ils"
                | "elles"
        );
        let future = ["rai", "ras", "rons", "rez", "ront"]
            .iter()
            .any(|e| k.len() > e.len() + 2 && k.ends_with(e))
            || (k.len() > 4 && k.ends_with("ra") && prev != "ne" && prev != "n'");
        if subject && future {
            markers.push(Marker {
                category: Category::Hedge,
                class: "will",
                first: i,
                last: i,
                scope: Vec::new(),
            });
        }
    }
    for (i, w) in words.iter().enumerate() {
        if w.number || (!used[i] && amount_at(words, i).is_some()) {
            markers.push(Marker {
                category: Category::Number,
                class: "number",
                first: i,
                last: i,
                scope: Vec::new(),
            });
        }
    }
    markers.sort_by_key(|m| (m.first, m.last));
    markers
}

/// A number written in digits: "1,000", "10.000" and "1000" are 1000; "27,5" and "27.5" are
/// 27.5.
pub fn parse_number(key: &str) -> Option<f64> {
    let mut s = key.to_string();
    for sep in [',', '.'] {
        let parts: Vec<&str> = s.split(sep).collect();
        if parts.len() < 2 {
            continue;
        }
        s = if parts[1..].iter().all(|p| p.len() == 3) {
            parts.concat()
        } else if parts.len() == 2 {
            format!("{}.{}", parts[0], parts[1])
        } else {
            return None;
        };
    }
    s.parse().ok()
}

/// Words that multiply the number word before them ("deux cents", "three hundred"): such a
/// compound is not read as a number.
const MULTIPLIERS: &[&str] = &[
    "cent",
    "cents",
    "mille",
    "hundred",
    "hundreds",
    "thousand",
    "thousands",
];

/// The number word `i` names, when it counts something: it comes before a word it counts,
/// is not part of a compound ("deux mille", "twenty five", "vingt et un"), and does not point
/// back at things already named ("les deux pays", "the two men").
fn amount_at(words: &[Word], i: usize) -> Option<f64> {
    let w = &words[i];
    if w.number {
        return parse_number(&w.key);
    }
    let lx = lexicon::get();
    let value = *lx.numbers.get(w.key.as_str())?;
    let next = words.get(i + 1)?;
    let compound = |x: &Word| x.number || lx.numbers.contains_key(x.key.as_str());
    if next.clause_start
        || compound(next)
        || MULTIPLIERS.contains(&next.key.as_str())
        || matches!(next.key.as_str(), "et" | "and")
        || i.checked_sub(1).is_some_and(|p| {
            !w.clause_start
                && (compound(&words[p])
                    || matches!(
                        words[p].key.as_str(),
                        "les"
                            | "ces"
                            | "ses"
                            | "leurs"
                            | "nos"
                            | "vos"
                            | "the"
                            | "these"
                            | "those"
                            | "its"
                            | "their"
                            | "our"
                    ))
        })
    {
        return None;
    }
    Some(value)
}

impl Analysis {
    /// The number word `i` stands for: digits ("1,000") or a number word counting something
    /// ("huit juges"), see `numbers.tsv`.
    pub fn amount(&self, i: usize) -> Option<f64> {
        amount_at(&self.words, i)
    }

    /// Every number the text states, digits or words, sorted and unique ("8" for both "huit"
    /// and "8").
    pub fn amounts(&self) -> &[String] {
        &self.amounts
    }

    /// What the words before number `i` let it be, as the least and the most it may be: "more
    /// than 3" (just above 3, no most), "about 40" (32 to 48), "40" (40 to 40).
    pub fn range(&self, i: usize) -> Option<(f64, f64)> {
        use super::lexicon::Bound;
        let v = self.amount(i)?;
        let bound = lexicon::get().bounds.iter().find_map(|(b, phrase)| {
            let start = i.checked_sub(phrase.len())?;
            let fits = phrase
                .iter()
                .enumerate()
                .all(|(k, p)| matches_pattern(&self.words[start + k].key, p))
                && (start + 1..=i).all(|k| !self.words[k].clause_start);
            fits.then_some(*b)
        });
        const STEP: f64 = 1e-6;
        Some(match bound {
            Some(Bound::MoreThan) => (v + STEP, f64::INFINITY),
            Some(Bound::AtLeast) => (v, f64::INFINITY),
            Some(Bound::LessThan) => (f64::NEG_INFINITY, v - STEP),
            Some(Bound::AtMost) => (f64::NEG_INFINITY, v),
            Some(Bound::About) => (v * 0.8, v * 1.2),
            Some(Bound::Exactly) | None => (v, v),
        })
    }

    /// The original text of words `first..=last`.
    pub fn span<'a>(&self, text: &'a str, first: usize, last: usize) -> &'a str {
        match (self.words.get(first), self.words.get(last)) {
            (Some(a), Some(b)) if a.start <= b.end => &text[a.start..b.end],
            _ => "",
        }
    }

    /// How a marker reads in the text: the marker and, for a negation or a restriction, the
    /// word it bears on ("do not sell", "ne vendons pas", "only use"), for a number its unit.
    pub fn phrase<'a>(&self, text: &'a str, m: &Marker) -> &'a str {
        let last = match m.category {
            Category::Negation | Category::Restriction => {
                let after = (m.last + 1..self.words.len().min(m.last + 4))
                    .take_while(|&i| !self.words[i].clause_start)
                    .find(|&i| !is_filler(&self.words[i].key));
                // French brackets already hold their verb: "ne vendons pas".
                let bracketed = m.last > m.first + 1 && is_fr_ne(&self.words[m.first].key);
                match after {
                    Some(a) if !bracketed || m.category == Category::Restriction => a,
                    _ => m.last,
                }
            }
            Category::Number => match self.words.get(m.last + 1) {
                Some(w) if !w.clause_start && !w.number => m.last + 1,
                _ => m.last,
            },
            _ => m.last,
        };
        self.span(text, m.first, last)
    }

    pub fn has(&self, category: Category) -> bool {
        self.markers.iter().any(|m| m.category == category)
    }

    pub fn of(&self, category: Category) -> impl Iterator<Item = &Marker> {
        self.markers.iter().filter(move |m| m.category == category)
    }

    /// The classes of one category present in the text, sorted and unique.
    pub fn classes(&self, category: Category) -> Vec<&'static str> {
        sorted_unique(self.of(category).map(|m| m.class))
    }

    /// Numbers as written, without thousands separators: "1,000" and "1000" are one number.
    pub fn numbers(&self) -> Vec<String> {
        sorted_unique(
            self.words
                .iter()
                .filter(|w| w.number)
                .map(|w| w.key.replace(',', "")),
        )
    }

    /// Every word of an opposed pair in the text: (pair index, side, word index, negated). A
    /// negated word stands for the other side: "will not close" says what "keep" says.
    pub fn opposed(&self) -> &[Opposed] {
        &self.opposed
    }

    fn find_opposed(&self) -> Vec<Opposed> {
        let negated: HashSet<usize> = self
            .of(Category::Negation)
            .flat_map(|m| m.scope.iter().copied())
            .collect();
        // The patterns whose first word a word matches, found once per distinct word: a long
        // document repeats the same few thousand words.
        let mut memo: WordMap<&str, Vec<(usize, bool, &'static str)>> = WordMap::default();
        let mut v = Vec::new();
        for i in 0..self.words.len() {
            let key = self.words[i].key.as_str();
            let candidates = memo.entry(key).or_insert_with(|| {
                let mut c = Vec::new();
                for (p, pair) in lexicon::get().opposed.iter().enumerate() {
                    for (side, patterns) in [(false, &pair.left), (true, &pair.right)] {
                        for &pat in patterns.iter() {
                            let first = pat.split(' ').next().unwrap_or(pat);
                            if matches_pattern(key, first) {
                                c.push((p, side, pat));
                            }
                        }
                    }
                }
                c
            });
            let mut found: Vec<(usize, bool)> = Vec::new();
            for &(p, side, pat) in candidates.iter() {
                if found.contains(&(p, side))
                    || (pat.contains(' ') && phrase_at(&self.words, i, pat).is_none())
                {
                    continue;
                }
                found.push((p, side));
                let negated = negated.contains(&i);
                v.push(Opposed {
                    pair: p,
                    side: side != negated,
                    word: i,
                    negated,
                });
            }
        }
        v
    }
}

/// A word of an opposed pair, as [`Analysis::opposed`] finds it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Opposed {
    pub pair: usize,
    /// The side it stands for, negation taken into account.
    pub side: bool,
    pub word: usize,
    pub negated: bool,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::claims::terms::{negated_stems, stem};

    fn phrases(s: &str, c: Category) -> Vec<String> {
        let a = analyze(s);
        a.of(c).map(|m| a.phrase(s, m).to_string()).collect()
    }

    #[test]
    fn english_negations() {
        assert_eq!(
            phrases("We do not sell data", Category::Negation),
            ["do not sell"]
        );
        assert_eq!(
            phrases("We don't sell data", Category::Negation),
            ["don't sell"]
        );
        assert_eq!(
            phrases("We have never sold it, without consent", Category::Negation),
            ["have never sold", "without consent"]
        );
        assert!(phrases("We sell data", Category::Negation).is_empty());
        assert_eq!(phrases("We won't", Category::Negation), ["won't"]);
        assert_eq!(phrases("We won't", Category::Hedge), ["won't"]);
    }

    #[test]
    fn french_negations_and_restrictions() {
        assert_eq!(
            phrases(
                "Nous ne vendons pas et ne vendrons pas de données clients",
                Category::Negation
            ),
            ["ne vendons pas", "ne vendrons pas"]
        );
        assert_eq!(
            phrases("nous n’utilisions que les noms", Category::Restriction),
            ["n’utilisions que les noms"]
        );
        assert!(phrases("nous n’utilisions que les noms", Category::Negation).is_empty());
        assert_eq!(phrases("sans frais", Category::Negation), ["sans frais"]);
        assert_eq!(
            phrases("il n'y a plus rien", Category::Negation),
            ["n'y a plus rien"]
        );
        assert_eq!(
            phrases("utilisé uniquement pour", Category::Restriction),
            ["uniquement pour"]
        );
        assert!(phrases("non seulement les noms", Category::Restriction).is_empty());
        assert!(phrases("We sell not only names", Category::Restriction).is_empty());
    }

    #[test]
    fn french_words_that_only_look_like_negations() {
        // Born, a step, "ever", the expletive "ne": none denies anything.
        for s in [
            "né le 25 février à Brooklyn",
            "le premier petit pas de l'humanité",
            "la plus grande introduction jamais réalisée",
            "ils craignent que la faune ne soit menacée",
        ] {
            assert!(!analyze(s).has(Category::Negation), "{s}");
        }
        for s in [
            "la paix ne peut être atteinte",
            "Jamais, nous ne vendrons",
            "c'est pas vrai",
        ] {
            assert!(analyze(s).has(Category::Negation), "{s}");
        }
    }

    #[test]
    fn negated_words_in_both_languages() {
        let a = analyze("Nous ne vendons pas et ne vendrons pas de données clients");
        let n = negated_stems(&a);
        assert!(
            n.contains(&stem("vendons")) && n.contains(&stem("donnees")),
            "{n:?}"
        );
        let a = analyze("We do not sell customer data, but we share it");
        let n = negated_stems(&a);
        assert!(
            n.contains(&"sell".to_string()) && !n.contains(&"share".to_string()),
            "{n:?}"
        );
    }

    #[test]
    fn hedges_and_time_words() {
        assert_eq!(
            phrases("supprimer temporairement", Category::Time),
            ["temporairement"]
        );
        assert_eq!(
            phrases("closed permanently", Category::Time),
            ["permanently"]
        );
        assert_eq!(
            analyze("utiliser à vie").classes(Category::Time),
            ["permanent"]
        );
        assert_eq!(analyze("for life").classes(Category::Time), ["permanent"]);
        // "à jamais" is forever, not a negation.
        let a = analyze("conservées à jamais");
        assert_eq!(a.classes(Category::Time), ["permanent"]);
        assert!(!a.has(Category::Negation));
        assert_eq!(analyze("we may sell").classes(Category::Hedge), ["may"]);
        assert_eq!(
            analyze("elle pourrait vendre").classes(Category::Hedge),
            ["may"]
        );
        assert_eq!(
            analyze("ne vendrons pas").classes(Category::Hedge),
            ["will"]
        );
        assert_eq!(analyze("we will sell").classes(Category::Hedge), ["will"]);
    }

    #[test]
    fn quantities_and_numbers() {
        assert_eq!(
            analyze("all of our stores").classes(Category::Quantity),
            ["all"]
        );
        assert_eq!(
            analyze("certains magasins").classes(Category::Quantity),
            ["some"]
        );
        assert_eq!(
            analyze("une partie de ses données").classes(Category::Quantity),
            ["some"]
        );
        assert_eq!(
            analyze("tous les magasins").classes(Category::Quantity),
            ["all"]
        );
        assert!(
            analyze("pas du tout")
                .classes(Category::Quantity)
                .is_empty()
        );
        assert_eq!(analyze("1,000 jobs and 1000 more").numbers(), ["1000"]);
        assert_eq!(
            phrases("minimum 100 euros", Category::Number),
            ["100 euros"]
        );
    }

    #[test]
    fn stems_meet_across_forms() {
        assert_eq!(stem("vendons"), stem("vendrons"));
        assert_eq!(stem("vendons"), stem("vendre"));
        assert_eq!(stem("sells"), stem("selling"));
        assert_eq!(stem("sold"), "sell");
        assert_eq!(stem("donnees"), stem("donnee"));
        assert_eq!(stem("tarifs"), stem("prices"));
        assert_eq!(stem("hausse"), stem("augmenterons"));
    }

    #[test]
    fn opposed_words() {
        let a = analyze("We will keep the plant open");
        let b = analyze("Nous fermons l'usine");
        let c = analyze("We will not close the plant");
        let sides = |x: &Analysis| -> Vec<(usize, bool)> {
            x.opposed().iter().map(|o| (o.pair, o.side)).collect()
        };
        assert!(sides(&a).contains(&(1, false)));
        assert!(sides(&b).contains(&(1, true)));
        assert!(sides(&c).contains(&(1, false)), "not closing is keeping");
        assert!(
            analyze("only temporarily")
                .markers
                .iter()
                .all(|m| m.category == Category::Time)
        );
    }
}
