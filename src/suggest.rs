//! Candidate contradictions: pairs of statements of one organization, earlier and later, that
//! speak of the same thing and differ in what they claim about it.
//!
//! Diffing every pair is out of reach on a large corpus, so statements are indexed by the
//! words they are about (folded, stemmed, from `text` and `translation`, which also meets
//! French and English), and only pairs sharing rare enough words are scored. A pair's score
//! is how alike the two are (cosine of their words weighted by rarity within the
//! organization) times the weight of what changed between them: a negation flipped on a word
//! they share weighs most, a hedge that appears on one side least, so that "we do not sell"
//! then "we have never sold and never will" ranks below a real contradiction.

use std::collections::{HashMap, HashSet};

use rayon::prelude::*;
use serde::Serialize;

use crate::claims::evidence::assess;
use crate::claims::terms::{Interner as Terms, shared, statement_terms};
use crate::claims::{Analysis, ClaimChange, analyze, comparable};
use crate::fold::fold;
use crate::model::{Incident, Statement, StatementRef};
use crate::query::Filter;
use crate::store::Corpus;

/// A candidate contradiction for a person to judge.
#[derive(Debug, Clone, Serialize)]
pub struct Suggestion {
    /// Earlier, later.
    pub between: [StatementRef; 2],
    pub score: f64,
    /// What changed, in plain words.
    pub reasons: Vec<String>,
    /// The words both statements are about.
    pub shared_terms: Vec<String>,
}

/// A pair is scored only when it is at least this alike.
const MIN_SIMILARITY: f64 = 0.15;
/// Words more common than this within one organization are left out of the index (they still
/// count in the similarity): pairing on them would be quadratic and tell little.
const MAX_POSTINGS: usize = 200;
/// Each statement is weighed against at most its `NEIGHBOURS` nearest statements of the same
/// organization: those sharing the most rare words with it, each shared word weighing the
/// log of how rare it is within the organization. A pair is scored when either statement
/// has the other among its neighbours, so the costly comparison runs at most
/// `2 × NEIGHBOURS` times per statement and the work grows linearly with statements.
pub const NEIGHBOURS: usize = 24;

/// One statement's words, interned.
struct Profile {
    /// Sorted, unique term ids.
    terms: Vec<u32>,
}

fn profile(st: &Statement, terms: &mut Terms) -> Profile {
    Profile {
        terms: statement_terms(st, terms),
    }
}

/// Statements in the order a pair names them: by date, then incident, then file order.
type Key<'a> = (crate::model::Date, &'a str, usize);

struct Member<'a> {
    incident: &'a Incident,
    statement: &'a Statement,
    key: Key<'a>,
    matches: bool,
}

impl<'a> Member<'a> {
    fn id(&self) -> (&'a str, &'a str) {
        (&self.incident.id, &self.statement.id)
    }
}

/// What a pair of texts yields, in one direction.
struct Found {
    score: f64,
    reasons: Vec<String>,
    shared_terms: Vec<String>,
}

/// One text's analyses, made once however many pairs it is in: of its `text`, and of its
/// `translation` when it has one.
struct StatementAnalyses {
    text: Analysis,
    translation: Option<Analysis>,
}

impl StatementAnalyses {
    fn new(st: &Statement) -> StatementAnalyses {
        StatementAnalyses {
            text: analyze(&st.text),
            translation: st.translation.as_deref().map(analyze),
        }
    }

    /// The analysis of the text [`comparable`] chose for this statement.
    fn of(&self, st: &Statement, chosen: &str) -> &Analysis {
        match &self.translation {
            Some(t) if std::ptr::eq(chosen, st.translation.as_deref().unwrap_or_default()) => t,
            _ => &self.text,
        }
    }
}

/// How alike two texts are: the cosine of their term sets, from the count they share.
fn likeness(common: usize, a: usize, b: usize) -> f64 {
    common as f64 / ((a * b) as f64).sqrt()
}

/// The score of one pair of texts (`a` earlier), when what changed weighs enough.
fn weigh_pair(
    (a, analyses_a): (&Statement, &StatementAnalyses),
    (b, analyses_b): (&Statement, &StatementAnalyses),
    similarity: f64,
) -> Option<f64> {
    let (_, ta, tb) = comparable(a, b);
    let (aa, ab) = (analyses_a.of(a, ta), analyses_b.of(b, tb));
    Some(assess(ta, aa, tb, ab, similarity)?.score)
}

/// Scores one pair of texts (`a` earlier): the suggestion, when what changed weighs enough.
fn score_pair(
    (a, analyses_a): (&Statement, &StatementAnalyses),
    (b, analyses_b): (&Statement, &StatementAnalyses),
    shown: &[String],
    similarity: f64,
) -> Option<Found> {
    let (_, ta, tb) = comparable(a, b);
    let (aa, ab) = (analyses_a.of(a, ta), analyses_b.of(b, tb));
    let judged = assess(ta, aa, tb, ab, similarity)?;
    Some(Found {
        score: judged.score,
        reasons: judged.changes.iter().map(ClaimChange::describe).collect(),
        shared_terms: shown.to_vec(),
    })
}

/// A scored pair of distinct texts of one organization, in the directions their statements
/// take; every pair of statements saying those two texts takes its score. Only the score is
/// kept: the reasons are written again for the few pairs shown, so that a large archive's
/// millions of weighed pairs do not each hold their words.
///
/// Sixteen bytes a pair: scores are kept in thousandths, as [`assess`] rounds them.
struct Scored {
    group: u32,
    /// Indexes into the group's distinct texts.
    u: u32,
    v: u32,
    forward: Milli,
    backward: Milli,
}

/// A score in thousandths, [`Milli::NONE`] when the direction was not weighed or weighed
/// too little.
#[derive(Clone, Copy, PartialEq, Eq)]
struct Milli(u16);

impl Milli {
    const NONE: Milli = Milli(u16::MAX);

    fn new(score: Option<f64>) -> Milli {
        score.map_or(Milli::NONE, |s| Milli((s * 1000.0).round() as u16))
    }

    /// The score as [`assess`] gave it: `round(score × 1000) / 1000`.
    fn get(self) -> Option<f64> {
        (self != Milli::NONE).then(|| f64::from(self.0) / 1000.0)
    }
}

impl Scored {
    fn best(&self) -> f64 {
        self.forward
            .get()
            .into_iter()
            .chain(self.backward.get())
            .fold(f64::NEG_INFINITY, f64::max)
    }
}

/// One organization's words: each distinct text's term ids, and each id's word as shown.
struct Vocabulary {
    profiles: Vec<Profile>,
    shown: Vec<String>,
}

/// Candidate contradictions, best first, at most `limit`. A pair is considered when either
/// statement matches the filter; pairs that carry any verdict are never suggested.
pub fn suggest(corpus: &Corpus, filter: &Filter, limit: usize) -> Vec<Suggestion> {
    fn id(r: &StatementRef) -> (&str, &str) {
        (r.incident.as_str(), r.statement.as_str())
    }
    let judged: HashSet<Pair> = corpus
        .contradictions()
        .flat_map(|(_, c)| {
            let (a, b) = (id(&c.between[0]), id(&c.between[1]));
            [(a, b), (b, a)]
        })
        .collect();

    let mut by_org: HashMap<String, Vec<Member>> = HashMap::new();
    for inc in &corpus.incidents {
        for (i, st) in inc.statements.iter().enumerate() {
            by_org
                .entry(fold(st.organization.trim()))
                .or_default()
                .push(Member {
                    incident: inc,
                    statement: st,
                    key: (st.date, inc.id.as_str(), i),
                    matches: filter.matches(inc, st),
                });
        }
    }
    let mut groups: Vec<(String, Vec<Member>)> = by_org
        .into_iter()
        .filter(|(_, m)| m.len() > 1 && m.iter().any(|m| m.matches))
        .collect();
    groups.sort_by(|a, b| a.0.cmp(&b.0));

    // Statements saying the very same words are scored once, as one text.
    let mut texts: Vec<Vec<Vec<usize>>> = Vec::with_capacity(groups.len());
    let mut representatives: Vec<Vec<&Statement>> = Vec::with_capacity(groups.len());
    for (_, members) in groups.iter_mut() {
        members.sort_by(|a, b| a.key.cmp(&b.key));
        let mut seen: HashMap<(&str, Option<&str>, Option<&str>), usize> = HashMap::new();
        let mut same: Vec<Vec<usize>> = Vec::new();
        for (i, m) in members.iter().enumerate() {
            let st = m.statement;
            let key = (
                st.text.as_str(),
                st.translation.as_deref(),
                st.lang.as_deref(),
            );
            let k = *seen.entry(key).or_insert_with(|| {
                same.push(Vec::new());
                same.len() - 1
            });
            same[k].push(i);
        }
        representatives.push(same.iter().map(|s| members[s[0]].statement).collect());
        texts.push(same);
    }
    // Organizations are scored in parallel (rayon), the largest first so that one big
    // organization does not finish last alone.
    let mut by_size: Vec<usize> = (0..representatives.len()).collect();
    by_size.sort_by_key(|&g| std::cmp::Reverse(representatives[g].len()));
    let per_group: Vec<(usize, Vec<Scored>, Vocabulary)> = by_size
        .par_iter()
        .with_max_len(1)
        .map(|&g| {
            let members = &groups[g].1;
            // The earliest and latest saying of each text: a pair is weighed only in the
            // directions some pair of statements takes.
            let spans: Vec<(Key, Key)> = texts[g]
                .iter()
                .map(|s| (members[s[0]].key, members[s[s.len() - 1]].key))
                .collect();
            let (scored, vocabulary) = score_group(g, &representatives[g], &spans);
            (g, scored, vocabulary)
        })
        .collect();
    let mut vocabularies: Vec<Option<Vocabulary>> = (0..groups.len()).map(|_| None).collect();
    let mut scored: Vec<Scored> = Vec::new();
    for (g, s, v) in per_group {
        scored.extend(s);
        vocabularies[g] = Some(v);
    }
    scored.sort_by(|a, b| {
        b.best()
            .total_cmp(&a.best())
            .then_with(|| (a.group, a.u, a.v).cmp(&(b.group, b.u, b.v)))
    });

    // Every pair of statements saying two scored texts takes their score. Candidates are
    // borrowed until the best `limit` are known, since two common texts may stand for
    // thousands of pairs.
    let mut best: Vec<(f64, Pair, (&Scored, bool))> = Vec::new();
    // The last of the best `limit` so far, once there are that many: nothing that would sort
    // after it can enter.
    let mut cutoff: Option<(f64, Pair)> = None;
    for sc in &scored {
        if cutoff.is_some_and(|(score, _)| sc.best() < score) {
            break;
        }
        let members = &groups[sc.group as usize].1;
        let same = &texts[sc.group as usize];
        for &x in &same[sc.u as usize] {
            for &y in &same[sc.v as usize] {
                let (mx, my) = (&members[x], &members[y]);
                if !mx.matches && !my.matches {
                    continue;
                }
                let (first, second, forward) = if mx.key <= my.key {
                    (mx, my, true)
                } else {
                    (my, mx, false)
                };
                let Some(found) = (if forward { sc.forward } else { sc.backward }).get() else {
                    continue;
                };
                let pair = (first.id(), second.id());
                let worse =
                    |(score, last): (f64, Pair)| found < score || (found == score && pair > last);
                if cutoff.is_some_and(worse) || judged.contains(&pair) {
                    continue;
                }
                best.push((found, pair, (sc, forward)));
            }
            if best.len() >= limit.saturating_mul(2).max(1024) {
                order(&mut best, &mut cutoff, limit);
            }
        }
    }
    order(&mut best, &mut cutoff, limit);

    // The reasons of the pairs shown, weighed again: the same texts give the same result.
    let mut analyses: HashMap<(usize, usize), StatementAnalyses> = HashMap::new();
    let mut out = Vec::with_capacity(best.len());
    for (score, (a, b), (sc, forward)) in best {
        let (g, u, v) = (sc.group as usize, sc.u as usize, sc.v as usize);
        let Some(vocabulary) = &vocabularies[g] else {
            continue;
        };
        let texts = &representatives[g];
        for k in [u, v] {
            analyses
                .entry((g, k))
                .or_insert_with(|| StatementAnalyses::new(texts[k]));
        }
        let (pu, pv) = (&vocabulary.profiles[u].terms, &vocabulary.profiles[v].terms);
        let common = shared(pu, pv);
        let similarity = likeness(common.len(), pu.len(), pv.len());
        let mut shown: Vec<String> = common
            .iter()
            .map(|&t| vocabulary.shown[t as usize].clone())
            .collect();
        shown.sort();
        shown.dedup();
        let (x, y) = (
            (texts[u], &analyses[&(g, u)]),
            (texts[v], &analyses[&(g, v)]),
        );
        let (first, second) = if forward { (x, y) } else { (y, x) };
        let Some(found) = score_pair(first, second, &shown, similarity) else {
            continue;
        };
        debug_assert_eq!(found.score, score);
        out.push(Suggestion {
            between: [StatementRef::new(a.0, a.1), StatementRef::new(b.0, b.1)],
            score,
            reasons: found.reasons,
            shared_terms: found.shared_terms,
        });
    }
    out
}

/// Two statements as (incident id, statement id), earlier first.
type Pair<'a> = ((&'a str, &'a str), (&'a str, &'a str));

/// Keeps the best `limit` candidates, best first, and notes the last of them once there are
/// that many.
fn order<'a, T>(
    best: &mut Vec<(f64, Pair<'a>, T)>,
    cutoff: &mut Option<(f64, Pair<'a>)>,
    limit: usize,
) {
    best.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    best.truncate(limit);
    if best.len() >= limit {
        *cutoff = best.last().map(|l| (l.0, l.1));
    }
}

/// Scores the pairs of distinct texts of one organization that share words, each in the
/// directions that its statements' dates call for (`spans`: each text's earliest and latest
/// saying).
fn score_group(
    group: usize,
    texts: &[&Statement],
    spans: &[(Key, Key)],
) -> (Vec<Scored>, Vocabulary) {
    let mut terms = Terms::default();
    let profiles: Vec<Profile> = texts.iter().map(|st| profile(st, &mut terms)).collect();
    let n = texts.len();
    let mut postings: Vec<Vec<u32>> = vec![Vec::new(); terms.shown.len()];
    for (i, p) in profiles.iter().enumerate() {
        for &t in &p.terms {
            postings[t as usize].push(i as u32);
        }
    }
    // Each statement's nearest neighbours by the rare words they share.
    let rarity: Vec<f32> = postings
        .iter()
        .map(|l| ((n as f32 + 1.0) / l.len().max(1) as f32).ln())
        .collect();
    let mut weight = vec![0f32; n];
    let mut touched: Vec<u32> = Vec::new();
    let mut pairs: Vec<(u32, u32)> = Vec::new();
    for (i, p) in profiles.iter().enumerate() {
        for &t in &p.terms {
            let list = &postings[t as usize];
            if list.len() > MAX_POSTINGS {
                continue;
            }
            for &j in list {
                if j as usize == i {
                    continue;
                }
                if weight[j as usize] == 0.0 {
                    touched.push(j);
                }
                weight[j as usize] += rarity[t as usize];
            }
        }
        if touched.len() > NEIGHBOURS {
            touched.select_nth_unstable_by(NEIGHBOURS - 1, |&x, &y| {
                weight[y as usize]
                    .total_cmp(&weight[x as usize])
                    .then(x.cmp(&y))
            });
        }
        for &j in touched.iter().take(NEIGHBOURS) {
            let (u, v) = (i.min(j as usize), i.max(j as usize));
            pairs.push((u as u32, v as u32));
        }
        for &j in &touched {
            weight[j as usize] = 0.0;
        }
        touched.clear();
    }
    pairs.sort_unstable();
    pairs.dedup();

    // The pairs alike enough, then the analyses of the texts in them, each made once, then
    // the pairs weighed: the last two on every core, for one organization may hold most of
    // the corpus.
    let alike: Vec<(usize, usize, f64)> = pairs
        .into_iter()
        .filter_map(|(i, j)| {
            let (i, j) = (i as usize, j as usize);
            let (pi, pj) = (&profiles[i].terms, &profiles[j].terms);
            let similarity = likeness(shared(pi, pj).len(), pi.len(), pj.len());
            (similarity >= MIN_SIMILARITY).then_some((i, j, similarity))
        })
        .collect();
    let mut needed = vec![false; n];
    for &(i, j, ..) in &alike {
        needed[i] = true;
        needed[j] = true;
    }
    let analyses: Vec<Option<StatementAnalyses>> = (0..n)
        .into_par_iter()
        .map(|k| needed[k].then(|| StatementAnalyses::new(texts[k])))
        .collect();
    let scored = alike
        .into_par_iter()
        .filter_map(|(i, j, similarity)| {
            let (Some(ri), Some(rj)) = (&analyses[i], &analyses[j]) else {
                return None;
            };
            let (a, b) = ((texts[i], ri), (texts[j], rj));
            // Forward when some saying of `i` comes no later than some saying of `j`, as
            // `suggest` orders a pair; backward when some saying of `j` comes first.
            let forward = (spans[i].0 <= spans[j].1)
                .then(|| weigh_pair(a, b, similarity))
                .flatten();
            let backward = (spans[j].0 < spans[i].1)
                .then(|| weigh_pair(b, a, similarity))
                .flatten();
            (forward.is_some() || backward.is_some()).then_some(Scored {
                group: group as u32,
                u: i as u32,
                v: j as u32,
                forward: Milli::new(forward),
                backward: Milli::new(backward),
            })
        })
        .collect();
    (
        scored,
        Vocabulary {
            profiles,
            shown: terms.shown,
        },
    )
}

pub use crate::claims::{flips, similarity};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Date, Kind};

    fn st(id: &str, date: &str, text: &str) -> Statement {
        Statement {
            id: id.into(),
            date: Date::parse(date).unwrap(),
            speaker: "Spokesperson".into(),
            organization: "Acme Widgets".into(),
            role: None,
            kind: Kind::Quote,
            channel: None,
            source: None,
            via: None,
            url: Some("https://example.com".into()),
            lang: Some("en".into()),
            text: text.into(),
            translation: None,
            tags: vec![],
            note: None,
            line: 1,
        }
    }

    fn corpus(statements: Vec<Statement>) -> Corpus {
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
                statements,
                contradictions: vec![],
            }],
            ..Corpus::default()
        }
    }

    #[test]
    fn contradiction_outranks_reaffirmation() {
        let c = corpus(vec![
            st(
                "claim",
                "2020-01-01",
                "We do not sell customer data to advertisers.",
            ),
            st(
                "again",
                "2021-01-01",
                "We have never sold customer data to advertisers and never will.",
            ),
            st(
                "sold",
                "2022-01-01",
                "We sell customer data to advertisers as part of our partner programme.",
            ),
            st(
                "weather",
                "2022-02-01",
                "Our new warehouse opens in the spring.",
            ),
        ]);
        let s = suggest(&c, &Filter::default(), 10);
        let pairs: Vec<(String, String)> = s
            .iter()
            .map(|s| {
                (
                    s.between[0].statement.clone(),
                    s.between[1].statement.clone(),
                )
            })
            .collect();
        assert!(pairs.contains(&("claim".into(), "sold".into())), "{s:#?}");
        assert_eq!(pairs[0].1, "sold", "{s:#?}");
        assert!(s[0].reasons[0].starts_with("negation lost"), "{s:#?}");
        assert!(s[0].shared_terms.contains(&"customer".to_string()));
        let reaffirm = pairs
            .iter()
            .position(|p| p == &("claim".into(), "again".into()));
        assert!(reaffirm.is_none_or(|r| r > 0));
        assert!(!pairs.iter().any(|(a, b)| a == "weather" || b == "weather"));
    }

    #[test]
    fn judged_pairs_are_never_suggested() {
        let mut c = corpus(vec![
            st("claim", "2020-01-01", "We do not sell customer data."),
            st("sold", "2022-01-01", "We sell customer data."),
        ]);
        assert_eq!(suggest(&c, &Filter::default(), 10).len(), 1);
        c.incidents[0]
            .contradictions
            .push(crate::model::Contradiction {
                id: None,
                reviewed: None,
                between: [
                    StatementRef::new("acme", "sold"),
                    StatementRef::new("acme", "claim"),
                ],
                verdict: crate::model::Verdict::Unrelated,
                claim: None,
                note: None,
                tagged_by: None,
                tagged_at: None,
                line: 1,
            });
        assert!(suggest(&c, &Filter::default(), 10).is_empty());
    }

    #[test]
    fn similarity_and_flips() {
        let a = st("a", "2020", "We do not sell customer data.");
        let b = st("b", "2021", "We sell customer data.");
        assert!(similarity(&a, &b) > 0.9);
        assert!(flips(&a, &b));
        assert!(!flips(&a, &a));
    }
}
