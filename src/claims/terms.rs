//! The words a statement is about: stems, stop words, and the concepts that meet across
//! English and French ("tarifs" and "prices"). Two statements that share enough of these
//! speak of the same thing.

use std::sync::OnceLock;

use super::analysis::{Analysis, Category};
use super::lexicon;
use super::sorted_unique;
use super::tokenize::{TokenKind, WordMap, tokenize};
use crate::fold::fold;
use crate::model::Statement;

/// Concepts by exact word, and by prefix.
type ConceptIndex = (
    WordMap<&'static str, &'static str>,
    Vec<(&'static str, &'static str)>,
);

fn concept(word: &str) -> Option<&'static str> {
    static INDEX: OnceLock<ConceptIndex> = OnceLock::new();
    let (exact, prefixes) = INDEX.get_or_init(|| {
        let mut exact = WordMap::default();
        let mut prefixes = Vec::new();
        for &(name, p) in &lexicon::get().concepts {
            match p.strip_suffix('*') {
                Some(prefix) => prefixes.push((prefix, name)),
                None => {
                    exact.insert(p, name);
                }
            }
        }
        (exact, prefixes)
    });
    if let Some(c) = exact.get(word) {
        return Some(c);
    }
    prefixes
        .iter()
        .find(|(p, _)| word.starts_with(p))
        .map(|&(_, c)| c)
}

/// A crude stem, shared by English and French, so that "vendons", "vendrons" and "vendre"
/// meet, as do "sells" and "selling". Good enough to tell two statements speak of one thing.
pub fn stem(word: &str) -> String {
    let lx = lexicon::get();
    if let Some(&s) = lx.irregular.get(word) {
        return s.to_string();
    }
    if let Some(c) = concept(word) {
        return c.to_string();
    }
    // Twice, so that "customers" and "customer" both end at "custom".
    let mut w = word;
    for _ in 0..2 {
        match lx
            .suffixes
            .iter()
            .find_map(|s| w.strip_suffix(s).filter(|rest| rest.chars().count() >= 4))
        {
            Some(rest) => w = rest,
            None => break,
        }
    }
    w.to_string()
}

/// Whether a folded word carries no subject of its own ("the", "nous", "pas").
pub fn is_stopword(word: &str) -> bool {
    lexicon::get().stopwords.contains(word)
}

/// Whether a folded word could say what a statement is about: not a stop word, not a number,
/// three letters or more.
pub fn is_content(word: &str) -> bool {
    word.len() >= 3
        && !word
            .bytes()
            .all(|b| b.is_ascii_digit() || b == b'.' || b == b',')
        && !is_stopword(word)
}

pub fn content_terms(a: &Analysis) -> Vec<String> {
    a.content.clone()
}

/// [`content_terms`], found from the words, once per analysis.
pub(crate) fn find_content_terms(a: &Analysis) -> Vec<String> {
    sorted_unique(
        a.words
            .iter()
            .zip(&a.stems)
            .filter(|(w, _)| !w.number && is_content(&w.key))
            .map(|(_, s)| s.clone()),
    )
}

/// The word each negation denies first, stemmed: the verb of "ne vendons pas", "do not sell",
/// past an auxiliary ("n'a pas perdu": perdu). A negation that is a determiner ("no", "none
/// of", "aucun") denies what its noun does, so every word it reaches is its head: "None of
/// our products use it" denies "use".
pub fn negated_heads(a: &Analysis) -> Vec<String> {
    negated_near(a, 1)
}

/// The first `n` content words each negation denies, stemmed (all of them for a determiner,
/// see [`negated_heads`]).
pub fn negated_near(a: &Analysis, n: usize) -> Vec<String> {
    const DETERMINERS: &[&str] = &[
        "no", "none", "aucun", "aucune", "nul", "nulle", "neither", "nobody", "personne",
    ];
    sorted_unique(a.of(Category::Negation).flat_map(|m| {
        let all = DETERMINERS.contains(&a.words[m.last].key.as_str());
        let mut content: Vec<usize> = m
            .scope
            .iter()
            .copied()
            .filter(|&i| is_content(&a.words[i].key))
            .collect();
        if content.is_empty() {
            content.extend(m.scope.first());
        }
        content.truncate(if all { usize::MAX } else { n });
        content.into_iter().map(|i| a.stems[i].clone())
    }))
}

/// The stems of every word a negation in the text reaches.
pub fn negated_stems(a: &Analysis) -> Vec<String> {
    sorted_unique(
        a.of(Category::Negation)
            .flat_map(|m| m.scope.iter())
            .map(|&i| a.stems[i].clone()),
    )
}

/// Interned stems, with the first word seen for each as written (lowercased), to show people.
#[derive(Default)]
pub struct Interner {
    pub ids: std::collections::HashMap<String, u32>,
    /// By id: the word as first seen.
    pub shown: Vec<String>,
}

impl Interner {
    pub fn id(&mut self, stem: String, surface: &str) -> u32 {
        if let Some(&id) = self.ids.get(&stem) {
            return id;
        }
        let id = self.shown.len() as u32;
        self.shown.push(surface.to_string());
        self.ids.insert(stem, id);
        id
    }
}

fn push_terms(text: &str, terms: &mut Interner, out: &mut Vec<u32>) {
    let text = super::analysed_part(text);
    for t in tokenize(text) {
        if t.kind != TokenKind::Word {
            continue;
        }
        let written = t.text(text);
        let key = fold(written);
        if is_content(&key) {
            out.push(terms.id(stem(&key), &written.to_lowercase()));
        }
    }
}

/// A statement's terms, from its text and translation: sorted, unique ids.
pub fn statement_terms(st: &Statement, terms: &mut Interner) -> Vec<u32> {
    let mut v = Vec::new();
    push_terms(&st.text, terms, &mut v);
    if let Some(t) = &st.translation {
        push_terms(t, terms, &mut v);
    }
    v.sort_unstable();
    v.dedup();
    v
}

/// The terms two sorted id lists share.
pub fn shared(a: &[u32], b: &[u32]) -> Vec<u32> {
    let (mut i, mut j, mut out) = (0, 0, Vec::new());
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                out.push(a[i]);
                i += 1;
                j += 1;
            }
        }
    }
    out
}
