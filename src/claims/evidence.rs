//! How much what changed between two texts counts as evidence that the later contradicts the
//! earlier, and the reasons in words. `suggest` and `match` weigh a pair here.
//!
//! A long text is first narrowed to its sentence that shares the most words with the other
//! text: a statement that says five things contradicts another through one of them, and a
//! hedge or a number in a sentence about something else is no evidence at all.

use std::collections::HashSet;

use super::analysis::{Analysis, analyze};
use super::compare::{ChangeKind, ClaimChange, agree_through_negation, changes, numbers_conflict};
use super::terms::{content_terms, negated_heads, negated_stems};

/// What changed must weigh at least this much: a hedge appearing on one side alone does not.
pub const MIN_EVIDENCE: f64 = 0.5;

/// A pair judged: its score, 0 to 1, and what changed, strongest first.
#[derive(Debug, Clone)]
pub struct Assessment {
    pub score: f64,
    pub changes: Vec<ClaimChange>,
    /// How alike the compared sentences are, 0 to 1.
    pub similarity: f64,
}

/// Sentence ranges of a text, as word index ranges of its analysis: a sentence ends where a
/// `.`, `!`, `?` or a line break stands between two words.
fn sentences(text: &str, x: &Analysis) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    for i in 1..x.words.len() {
        let between = &text[x.words[i - 1].end..x.words[i].start];
        if between.contains(['.', '!', '?', '\n']) {
            out.push(start..i);
            start = i;
        }
    }
    if start < x.words.len() {
        out.push(start..x.words.len());
    }
    out
}

/// The sentence of `text` that shares the most content words with `other`, as its own text
/// and analysis; `None` when the text is one sentence.
fn focus<'t>(text: &'t str, x: &Analysis, other: &HashSet<String>) -> Option<(&'t str, Analysis)> {
    let s = sentences(text, x);
    if s.len() < 2 {
        return None;
    }
    let shared = |r: &std::ops::Range<usize>| {
        let mut seen: HashSet<&str> = HashSet::new();
        r.clone()
            .filter(|&i| other.contains(&x.stems[i]) && seen.insert(&x.stems[i]))
            .count()
    };
    // When two sentences share as much with the other text, neither is the one it is about:
    // the whole text is compared.
    let counts: Vec<usize> = s.iter().map(shared).collect();
    let top = counts.iter().copied().max()?;
    if counts.iter().filter(|&&c| c == top).count() > 1 {
        return None;
    }
    let best = s[counts.iter().position(|&c| c == top)?].clone();
    let part = &text[x.words[best.start].start..x.words[best.end - 1].end];
    Some((part, analyze(part)))
}

/// The cosine of two texts' content words.
fn cosine(a: &[String], b: &[String]) -> f64 {
    let bs: HashSet<&String> = b.iter().collect();
    let common = a.iter().filter(|t| bs.contains(t)).count() as f64;
    let denom = ((a.len() * b.len()) as f64).sqrt();
    if denom == 0.0 { 0.0 } else { common / denom }
}

/// Whether one text says "all" where the other says only "some" or "most".
fn all_against_part(a: &Analysis, b: &Analysis) -> bool {
    use super::analysis::Category;
    let (ca, cb) = (a.classes(Category::Quantity), b.classes(Category::Quantity));
    let part = |c: &[&str]| c.contains(&"some") || c.contains(&"most");
    (ca.contains(&"all") && !cb.contains(&"all") && part(&cb))
        || (cb.contains(&"all") && !ca.contains(&"all") && part(&ca))
}

/// How much a change counts as evidence of a contradiction.
fn weight(
    c: &ClaimChange,
    shared: &HashSet<&str>,
    pair: (&str, &Analysis, &str, &Analysis),
    alike: f64,
) -> f64 {
    let (ta, a, tb, b) = pair;
    let both = !c.a.is_empty() && !c.b.is_empty();
    match c.kind {
        ChangeKind::NegationLost | ChangeKind::NegationGained if agree_through_negation(a, b) => {
            0.1
        }
        ChangeKind::NegationLost | ChangeKind::NegationGained => {
            // A negation that bears on a word both statements use is the strongest sign.
            let (denier, phrase) = if c.kind == ChangeKind::NegationLost {
                (a, &c.a)
            } else {
                (b, &c.b)
            };
            // "sans"/"without" qualifies a phrase rather than denying the claim; and a
            // negation whose words the other text never uses denies something else.
            let first = crate::fold::fold(phrase.split(' ').next().unwrap_or_default());
            if !both {
                0.2
            } else if first == "sans" || first == "without" {
                0.3
            } else if negated_heads(denier)
                .iter()
                .any(|s| shared.contains(s.as_str()))
            {
                1.0
            } else if negated_stems(denier)
                .iter()
                .any(|s| shared.contains(s.as_str()))
            {
                0.5
            } else {
                0.3
            }
        }
        ChangeKind::Opposed => 0.8,
        // A name replaced in a sentence that otherwise says the same thing.
        ChangeKind::Entity if alike >= 0.4 => 0.6,
        ChangeKind::Entity => 0.3,
        ChangeKind::RestrictionAdded | ChangeKind::RestrictionDropped if both => 0.6,
        // A later "only" narrows what was said: the shape of a walk-back. An "only" the
        // later text leaves out is usually just left out.
        ChangeKind::RestrictionAdded => 0.5,
        ChangeKind::RestrictionDropped => 0.2,
        ChangeKind::Time if both => 0.7,
        ChangeKind::Time => 0.25,
        // "all" against "some" or "most" disagrees; "several" against "many" hardly does.
        ChangeKind::Quantity if both && all_against_part(a, b) => 0.5,
        ChangeKind::Quantity if both => 0.2,
        ChangeKind::Quantity => 0.2,
        ChangeKind::Number if numbers_conflict(ta, a, tb, b).is_some() => 0.6,
        // Numbers that are not about the same thing: a date beside a count.
        ChangeKind::Number => 0.15,
        ChangeKind::Hedge if both => 0.45,
        ChangeKind::Hedge => 0.15,
    }
}

/// Weighs what changed from `a` (earlier) to `b`, each given with its analysis. `similarity`
/// is how alike the two statements are as a whole (the caller's measure, which may weigh
/// words by rarity); the compared sentences' own likeness counts when it is higher. `None`
/// when nothing that changed weighs enough.
pub fn assess(
    ta: &str,
    aa: &Analysis,
    tb: &str,
    ab: &Analysis,
    similarity: f64,
) -> Option<Assessment> {
    let (terms_a, terms_b) = (content_terms(aa), content_terms(ab));
    let (set_a, set_b): (HashSet<String>, HashSet<String>) = (
        terms_a.iter().cloned().collect(),
        terms_b.iter().cloned().collect(),
    );
    // Narrow the text of more sentences first, then the other to what it kept.
    let kept = |f: &Option<(&str, Analysis)>, whole: &HashSet<String>| -> HashSet<String> {
        f.as_ref().map_or_else(
            || whole.clone(),
            |(_, x)| content_terms(x).into_iter().collect(),
        )
    };
    let (fa, fb) = if sentences(ta, aa).len() >= sentences(tb, ab).len() {
        let fa = focus(ta, aa, &set_b);
        let fb = focus(tb, ab, &kept(&fa, &set_a));
        (fa, fb)
    } else {
        let fb = focus(tb, ab, &set_a);
        let fa = focus(ta, aa, &kept(&fb, &set_b));
        (fa, fb)
    };
    let (ta, aa) = fa.as_ref().map_or((ta, aa), |(t, x)| (*t, x));
    let (tb, ab) = fb.as_ref().map_or((tb, ab), |(t, x)| (*t, x));
    let (ca, cb) = (content_terms(aa), content_terms(ab));
    let shared: HashSet<&str> = {
        let cbs: HashSet<&str> = cb.iter().map(String::as_str).collect();
        ca.iter()
            .map(String::as_str)
            .filter(|s| cbs.contains(s))
            .collect()
    };
    let found = changes(ta, aa, tb, ab);
    if found.is_empty() {
        return None;
    }
    let alike = cosine(&ca, &cb);
    let mut weighted: Vec<(f64, ClaimChange)> = found
        .into_iter()
        .map(|c| (weight(&c, &shared, (ta, aa, tb, ab), alike), c))
        .collect();
    weighted.sort_by(|x, y| y.0.total_cmp(&x.0));
    // The strongest change counts fully, the others less and less.
    let evidence: f64 = weighted
        .iter()
        .enumerate()
        .map(|(i, (w, _))| w / (1 + i) as f64)
        .sum();
    if evidence < MIN_EVIDENCE || (shared.len() < 2 && evidence < 0.8) {
        return None;
    }
    let similarity = similarity.max(alike);
    let score = similarity.sqrt() * (1.0 - (-1.5 * evidence).exp());
    Some(Assessment {
        score: (score * 1000.0).round() / 1000.0,
        changes: weighted.into_iter().map(|(_, c)| c).collect(),
        similarity,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn judge(a: &str, b: &str) -> Option<Assessment> {
        assess(a, &analyze(a), b, &analyze(b), 0.0)
    }

    #[test]
    fn a_long_text_is_judged_by_its_sentence_about_the_other() {
        let later = "We sell customer data to advertisers.";
        let earlier = "Our stores open at nine. We do not sell customer data to advertisers. \
                       Prices may rise next year.";
        let j = judge(earlier, later).expect("a contradiction");
        assert_eq!(j.changes[0].kind, ChangeKind::NegationLost, "{j:?}");
        assert!(
            j.changes.iter().all(|c| c.kind != ChangeKind::Hedge),
            "the hedge is in another sentence: {j:?}"
        );
    }

    #[test]
    fn what_one_side_leaves_out_is_no_contradiction() {
        assert!(
            judge(
                "We only use names, and all stores close at nine.",
                "We use names."
            )
            .is_none()
        );
        assert!(judge("In 2019 we had 40 stores.", "We had 40 stores.").is_none());
        assert!(judge("We will close all stores.", "We will close some stores.").is_some());
    }
}

#[cfg(test)]
mod regression {
    use super::*;

    #[test]
    fn a_denial_against_the_one_sentence_that_speaks_of_it() {
        let a = "Our mug has never overheated, not once, in any test.";
        let b = "Acme Widgets is recalling 12,000 self-heating mugs.\nSome units may overheat when left on for more than two hours.";
        let j = assess(a, &analyze(a), b, &analyze(b), 0.2);
        assert!(j.is_some(), "{:?}", changes(a, &analyze(a), b, &analyze(b)));
    }
}
