//! Claim matching: a new quote against the record. Which statements already say the same
//! thing, or the opposite, ranked by how alike they are, each with the reasons `suggest` gives
//! (a negation flipped, a number changed…). Used by `onrecord match` and, before a statement
//! is saved, by the interface's "said before?" panel.

use std::collections::HashMap;

use rayon::prelude::*;
use serde::Serialize;

use crate::claims::evidence::assess;
use crate::claims::terms::{is_content, stem};
use crate::claims::{ClaimChange, TokenKind, analyze, tokenize};
use crate::fold::fold;
use crate::model::{Date, Statement, StatementRef};
use crate::query::Filter;
use crate::store::Corpus;

/// A statement is shown when it is at least this alike to the quote (the cosine of their
/// content words).
pub const MIN_SIMILARITY: f64 = 0.3;

/// What a statement on record says about the quote.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Relation {
    /// It says the same thing, or near enough: nothing that changed weighs as a contradiction.
    Same,
    /// It says the opposite: what changed weighs as `suggest` weighs a contradiction.
    Opposite,
    /// It speaks of the same thing, but is not alike enough to say the same.
    Related,
}

/// A statement that does not contradict the quote says the same when at least this alike.
pub const SAME_SIMILARITY: f64 = 0.6;

/// One statement on record that the quote matches.
#[derive(Debug, Clone, Serialize)]
pub struct Match {
    #[serde(rename = "ref")]
    pub reference: StatementRef,
    pub date: Date,
    pub organization: String,
    pub speaker: String,
    pub text: String,
    pub relation: Relation,
    /// How alike the quote and the statement are, 0 to 1.
    pub similarity: f64,
    /// What changed between the statement (earlier) and the quote, in plain words; empty when
    /// nothing that matters did.
    pub reasons: Vec<String>,
    /// The words both are about.
    pub shared_terms: Vec<String>,
}

/// The content stems of a text, sorted and unique, with the word first seen for each.
fn terms(text: &str, memo: &mut HashMap<String, String>) -> Vec<(String, String)> {
    // A long statement is read as far as claims are read anywhere.
    let text = crate::claims::analysed_part(text);
    let mut out: Vec<(String, String)> = Vec::new();
    for t in tokenize(text)
        .into_iter()
        .filter(|t| t.kind == TokenKind::Word)
    {
        let written = t.text(text);
        let key = fold(written);
        if !is_content(&key) {
            continue;
        }
        let s = memo.entry(key).or_insert_with_key(|k| stem(k)).clone();
        out.push((s, written.to_lowercase()));
    }
    out.sort();
    out.dedup_by(|a, b| a.0 == b.0);
    out
}

/// Stems numbered as they are met, and each folded word's stem remembered: a statement's
/// words become numbers without a string for each.
#[derive(Default)]
struct StemIds {
    by_word: HashMap<String, u32>,
    by_stem: HashMap<String, u32>,
}

impl StemIds {
    fn of_stem(&mut self, stem: &str) -> u32 {
        let next = self.by_stem.len() as u32;
        *self.by_stem.entry(stem.to_string()).or_insert(next)
    }

    fn of_word(&mut self, word: String) -> u32 {
        if let Some(&id) = self.by_word.get(&word) {
            return id;
        }
        let id = self.of_stem(&stem(&word));
        self.by_word.insert(word, id);
        id
    }
}

/// The quote's stems as numbered by `ids`, with each one's place in the quote's [`terms`],
/// sorted by number.
fn quote_ids(quote: &[(String, String)], ids: &mut StemIds) -> Vec<(u32, usize)> {
    let mut v: Vec<(u32, usize)> = quote
        .iter()
        .enumerate()
        .map(|(k, (s, _))| (ids.of_stem(s), k))
        .collect();
    v.sort_unstable();
    v
}

/// The content stems of a text, numbered, sorted and unique.
fn stem_ids(text: &str, ids: &mut StemIds) -> Vec<u32> {
    // A long statement is read as far as claims are read anywhere.
    let text = crate::claims::analysed_part(text);
    let mut out: Vec<u32> = tokenize(text)
        .into_iter()
        .filter(|t| t.kind == TokenKind::Word)
        .filter_map(|t| {
            let key = fold(t.text(text));
            is_content(&key).then(|| ids.of_word(key))
        })
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// How alike a text's stems are to the quote's (the cosine of the two sets), and the places in
/// the quote's terms of the stems they share, in the quote's order.
fn cosine(a: &[u32], quote: &[(u32, usize)]) -> (f64, Vec<usize>) {
    let (mut i, mut j, mut shared) = (0, 0, Vec::new());
    while i < a.len() && j < quote.len() {
        match a[i].cmp(&quote[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                shared.push(quote[j].1);
                i += 1;
                j += 1;
            }
        }
    }
    shared.sort_unstable();
    let denom = ((a.len() * quote.len()) as f64).sqrt();
    let sim = if denom == 0.0 {
        0.0
    } else {
        shared.len() as f64 / denom
    };
    (sim, shared)
}

/// The text of `st` closest to the quote (its `text` or its `translation`), with its
/// likeness and the words they share (places in the quote's terms).
fn closest<'a>(
    st: &'a Statement,
    quote: &[(u32, usize)],
    ids: &mut StemIds,
) -> (&'a str, f64, Vec<usize>) {
    let (sim, shared) = cosine(&stem_ids(&st.text, ids), quote);
    let mut best = (st.text.as_str(), sim, shared);
    if let Some(tr) = &st.translation {
        let (sim, shared) = cosine(&stem_ids(tr, ids), quote);
        if sim > best.1 {
            best = (tr.as_str(), sim, shared);
        }
    }
    best
}

/// Statements on record that say what `quote` says, or the opposite, most alike first, at most
/// `limit`. Only statements the filter keeps are considered.
pub fn match_quote(corpus: &Corpus, quote: &str, filter: &Filter, limit: usize) -> Vec<Match> {
    let mut memo = HashMap::new();
    let q = terms(quote, &mut memo);
    if q.is_empty() || limit == 0 {
        return Vec::new();
    }
    let statements: Vec<(&str, &Statement)> = corpus
        .incidents
        .iter()
        .flat_map(|inc| inc.statements.iter().map(move |st| (inc, st)))
        .filter(|(inc, st)| filter.matches(inc, st))
        .map(|(inc, st)| (inc.id.as_str(), st))
        .collect();
    // Likeness first, on threads: it is the part that reads every statement.
    // Every statement on every core (rayon), each worker with its own numbering of stems.
    let mut alike: Vec<(f64, usize, &str, Vec<usize>)> = statements
        .par_iter()
        .enumerate()
        .map_init(
            || {
                let mut ids = StemIds::default();
                let qi = quote_ids(&q, &mut ids);
                (ids, qi)
            },
            |(ids, qi), (k, (_, st))| {
                let (text, sim, shared) = closest(st, qi, ids);
                (sim >= MIN_SIMILARITY).then_some((sim, k, text, shared))
            },
        )
        .flatten()
        .collect();
    alike.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    alike.truncate(limit);
    let qa = analyze(quote);
    alike
        .into_iter()
        .map(|(sim, at, text, shared)| {
            let (incident, st) = statements[at];
            let judged = assess(text, &analyze(text), quote, &qa, sim);
            let (relation, reasons) = match &judged {
                Some(j) => (
                    Relation::Opposite,
                    j.changes.iter().map(ClaimChange::describe).collect(),
                ),
                None if sim >= SAME_SIMILARITY => (Relation::Same, Vec::new()),
                None => (Relation::Related, Vec::new()),
            };
            Match {
                reference: StatementRef::new(incident, &st.id),
                date: st.date,
                organization: st.organization.clone(),
                speaker: st.speaker.clone(),
                text: st.text.clone(),
                relation,
                similarity: (sim * 1000.0).round() / 1000.0,
                reasons,
                shared_terms: shared.into_iter().map(|k| q[k].1.clone()).collect(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Incident, Kind};

    fn st(id: &str, org: &str, text: &str) -> Statement {
        Statement {
            id: id.into(),
            date: Date::parse("2022-01-01").unwrap(),
            speaker: "Spokesperson".into(),
            organization: org.into(),
            role: None,
            kind: Kind::Quote,
            channel: None,
            source: None,
            via: None,
            url: None,
            lang: Some("en".into()),
            text: text.into(),
            translation: None,
            tags: vec![],
            note: None,
            line: 1,
        }
    }

    fn corpus() -> Corpus {
        Corpus {
            incidents: vec![Incident {
                id: "acme".into(),
                path: "acme.toml".into(),
                fingerprint: 0,
                title: "t".into(),
                company: "Acme Widgets".into(),
                summary: None,
                tags: vec![],
                sources: vec![],
                statements: vec![
                    st(
                        "deny",
                        "Acme Widgets",
                        "We do not sell customer data to advertisers.",
                    ),
                    st("plant", "Acme Widgets", "The Springfield plant stays open."),
                    st(
                        "globex",
                        "Globex",
                        "We never sell customer data to advertisers.",
                    ),
                ],
                contradictions: vec![],
            }],
            ..Corpus::default()
        }
    }

    #[test]
    fn a_quote_finds_what_it_repeats_and_what_it_denies() {
        let c = corpus();
        let found = match_quote(
            &c,
            "We sell customer data to advertisers.",
            &Filter::default(),
            10,
        );
        let refs: Vec<String> = found.iter().map(|m| m.reference.to_string()).collect();
        assert!(refs.contains(&"acme#deny".to_string()), "{found:#?}");
        assert!(!refs.contains(&"acme#plant".to_string()), "{found:#?}");
        let deny = found
            .iter()
            .find(|m| m.reference.statement == "deny")
            .unwrap();
        assert_eq!(deny.relation, Relation::Opposite);
        assert!(deny.reasons[0].starts_with("negation lost"), "{deny:?}");

        let same = match_quote(
            &c,
            "We do not sell customer data to advertisers",
            &Filter::default(),
            10,
        );
        assert_eq!(same[0].reference.to_string(), "acme#deny");
        assert_eq!(same[0].relation, Relation::Same);
        assert!(same[0].similarity > 0.9);
    }

    #[test]
    fn nothing_alike_matches_nothing() {
        let c = corpus();
        assert!(match_quote(&c, "Quarterly weather in Ohio", &Filter::default(), 10).is_empty());
        assert!(match_quote(&c, "", &Filter::default(), 10).is_empty());
        assert_eq!(
            match_quote(&c, "customer data advertisers", &Filter::default(), 1).len(),
            1
        );
    }
}
