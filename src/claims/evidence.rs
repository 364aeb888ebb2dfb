//! How much what changed between two texts counts as evidence that the later contradicts the
//! earlier, and the reasons in words. `suggest` and `match` weigh a pair here.
//!
//! A long text is first narrowed to its sentence that shares the most words with the other
//! text: a statement that says five things contradicts another through one of them, and a
//! hedge or a number in a sentence about something else is no evidence at all.

use std::collections::HashSet;

use super::analysis::{Analysis, Category, Marker, analyze};
use super::compare::{ChangeKind, ClaimChange, agree_through_negation, changes, numbers_conflict};
use super::terms::{is_content, negated_heads, negated_near, negated_stems};

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
fn focus<'t>(text: &'t str, x: &Analysis, other: &Words) -> Option<(&'t str, Analysis)> {
    let s = sentences(text, x);
    if s.len() < 2 {
        return None;
    }
    let shared = |r: &std::ops::Range<usize>| {
        let mut seen: HashSet<&str> = HashSet::new();
        r.clone()
            .filter(|&i| other.contains(x.stems[i].as_str()) && seen.insert(&x.stems[i]))
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

/// A set of words, hashed as words are elsewhere in the analysis.
type Words<'a> = HashSet<&'a str, std::hash::BuildHasherDefault<super::tokenize::Fnv>>;

/// The words two sorted, unique lists share, in order.
fn common<'a>(a: &'a [String], b: &'a [String]) -> impl Iterator<Item = &'a str> {
    let (mut i, mut j) = (0, 0);
    std::iter::from_fn(move || {
        while i < a.len() && j < b.len() {
            match a[i].cmp(&b[j]) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    i += 1;
                    j += 1;
                    return Some(a[i - 1].as_str());
                }
            }
        }
        None
    })
}

/// The cosine of two texts' content words (sorted, unique).
fn cosine(a: &[String], b: &[String]) -> f64 {
    let common = common(a, b).count() as f64;
    let denom = ((a.len() * b.len()) as f64).sqrt();
    if denom == 0.0 { 0.0 } else { common / denom }
}

/// The stems of the words a quantity marker bears on: the content words right after it, in
/// its clause ("tous nos magasins": magasins).
fn quantified<'x>(x: &'x Analysis, m: &Marker) -> Vec<&'x str> {
    (m.last + 1..x.words.len().min(m.last + 4))
        .take_while(|&i| !x.words[i].clause_start)
        .filter(|&i| is_content(&x.words[i].key))
        .map(|i| x.stems[i].as_str())
        .collect()
}

/// What the quantities of these classes bear on in the text: "tous nos magasins" bears
/// "all" on magasins.
fn nouns<'x>(x: &'x Analysis, classes: &[&str]) -> HashSet<&'x str> {
    x.of(Category::Quantity)
        .filter(|m| classes.contains(&m.class))
        .flat_map(|m| quantified(x, m))
        .collect()
}

/// Whether the earlier text says "all" of something where the later says only "some" or
/// "most" of the same thing, the shape of a walk-back: "tous nos magasins" then "certains
/// magasins", not "toute l'Europe" then "certaines langues". "Some" then "all" is no
/// contradiction: all includes some.
fn all_against_part(a: &Analysis, b: &Analysis) -> bool {
    let (ca, cb) = (a.classes(Category::Quantity), b.classes(Category::Quantity));
    let part = |c: &[&str]| c.contains(&"some") || c.contains(&"most");
    let meet = |x: &Analysis, y: &Analysis| {
        let all = nouns(x, &["all"]);
        nouns(y, &["some", "most"]).iter().any(|n| all.contains(n))
    };
    // "Not all" is no "all".
    ca.contains(&"all") && !cb.contains(&"all") && part(&cb) && meet(a, b) && !only_not_all(a)
}

/// Whether one text says "all" or "most" of something and the other "few" of the same thing
/// ("most dogs", "few dogs"; "la plupart des magasins", "peu de magasins"): they cannot both
/// hold.
fn many_against_few(a: &Analysis, b: &Analysis) -> bool {
    let meet = |x: &Analysis, y: &Analysis| {
        let many = nouns(x, &["all", "most"]);
        nouns(y, &["few"]).iter().any(|n| many.contains(n))
    };
    meet(a, b) || meet(b, a)
}

/// Whether every negation of the text denies an "all" ("not all dogs", "pas tous les
/// magasins", "not every store"): that says "some are not", which only a text saying "all"
/// of the same thing contradicts.
fn only_not_all(x: &Analysis) -> bool {
    let all_after = |m: &Marker| {
        x.of(Category::Quantity)
            .any(|q| q.class == "all" && q.first > m.last && q.first <= m.last + 2)
    };
    let mut negations = x.of(Category::Negation).peekable();
    negations.peek().is_some() && negations.all(all_after)
}

/// Whether every negation of the text stands in a conditional clause ("si les déchets ne sont
/// pas éliminés", "if it does not rain"): a condition denies nothing.
fn negations_conditional(x: &Analysis) -> bool {
    const CONDITIONS: &[&str] = &["si", "s'", "if", "unless", "whether"];
    let conditional = |m: &Marker| {
        let mut k = m.first;
        loop {
            if CONDITIONS.contains(&x.words[k].key.as_str()) {
                return true;
            }
            if x.words[k].clause_start || k == 0 {
                return false;
            }
            k -= 1;
        }
    };
    let mut negations = x.of(Category::Negation).peekable();
    negations.peek().is_some() && negations.all(conditional)
}

/// Whether `other` says of a word that `denier` denies that it stops ("cesser de vendre",
/// "stop selling" against "ne vendra plus"): the two agree, unless `denier` denies the
/// stopping too. The stopping words are the `stop`
/// side of `start/stop` in `opposed.tsv`.
fn stops_what_is_denied(denier: &Analysis, other: &Analysis) -> bool {
    let lx = super::lexicon::get();
    let Some(stop) = lx.opposed.iter().find(|p| p.name == "start/stop") else {
        return false;
    };
    let denied: HashSet<String> = negated_stems(denier).into_iter().collect();
    // "n'avait pas l'intention d'arrêter d'acheter" denies the stopping itself: no agreement.
    (0..other.words.len()).any(|i| {
        !denied.contains(&other.stems[i])
            && stop
                .right
                .iter()
                .any(|p| super::analysis::matches_pattern(&other.words[i].key, p))
            && (i + 1..other.words.len().min(i + 4))
                .take_while(|&k| !other.words[k].clause_start)
                .any(|k| is_content(&other.words[k].key) && denied.contains(&other.stems[k]))
    })
}

/// Whether `other` states the word of stem `stem` that `denier` denies, rather than only
/// naming it: the same word, or another form that is not a noun complement after "de" or
/// "of" ("ne changent pas" is not stated by "les opérations de changement de sexe"; "n'augmenterons
/// pas" is by "la hausse de 8 %").
fn stated(other: &Analysis, denier: &Analysis, stem: &str) -> bool {
    let forms: HashSet<&str> = denier
        .of(Category::Negation)
        .flat_map(|m| m.scope.iter().copied())
        .filter(|&i| denier.stems[i] == stem)
        .map(|i| denier.words[i].key.as_str())
        .collect();
    (0..other.words.len())
        .filter(|&j| other.stems[j] == stem)
        .any(|j| {
            forms.contains(other.words[j].key.as_str())
                || j == 0
                || !matches!(
                    other.words[j - 1].key.as_str(),
                    "de" | "d'" | "du" | "des" | "of"
                )
        })
}

/// Whether two opposed words bear on the same thing: a content word within four words of
/// one is within four words of the other ("keep the Springfield plant open", "close the
/// Springfield plant"; not "l'augmentation des volumes", "réduit les prix").
fn opposed_share_context(a: &Analysis, wa: usize, b: &Analysis, wb: usize) -> bool {
    fn near(x: &Analysis, w: usize) -> HashSet<&str> {
        (w.saturating_sub(4)..x.words.len().min(w + 5))
            .filter(|&k| k != w && is_content(&x.words[k].key))
            .map(|k| x.stems[k].as_str())
            .collect()
    }
    let (na, nb) = (near(a, wa), near(b, wb));
    na.iter().any(|s| nb.contains(s))
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
            let (denier, other, phrase) = if c.kind == ChangeKind::NegationLost {
                (a, b, &c.a)
            } else {
                (b, a, &c.b)
            };
            // "sans"/"without" and "non" before a word qualify a phrase ("non domestiques")
            // rather than deny the claim; a negation in a condition denies nothing; "cesser
            // de vendre" says what "ne vendra plus" says; and a negation whose words the
            // other text never uses denies something else.
            let first = crate::fold::fold(phrase.split(' ').next().unwrap_or_default());
            if stops_what_is_denied(denier, other) {
                0.1
            } else if only_not_all(denier) {
                // "Not all" against "all" of the same thing is a contradiction; against
                // "some" or nothing, it is not.
                let (d, o) = (nouns(denier, &["all"]), nouns(other, &["all"]));
                if d.iter().any(|n| o.contains(n)) {
                    1.0
                } else {
                    0.2
                }
            } else if !both || negations_conditional(denier) {
                0.2
            } else if first == "sans" || first == "without" || first == "non" {
                0.3
            } else if negated_heads(denier)
                .iter()
                .any(|s| shared.contains(s.as_str()) && stated(other, denier, s))
            {
                1.0
            } else if negated_near(denier, 2)
                .iter()
                .any(|s| shared.contains(s.as_str()) && stated(other, denier, s))
            {
                0.5
            } else if negated_stems(denier)
                .iter()
                .any(|s| shared.contains(s.as_str()))
            {
                0.35
            } else {
                0.3
            }
        }
        ChangeKind::Opposed => {
            let (oa, ob) = (a.opposed(), b.opposed());
            let at = |x: &Analysis, o: &[super::analysis::Opposed], text: &str, shown: &str| {
                o.iter()
                    .map(|o| o.word)
                    .find(|&w| x.span(text, w, w) == shown)
            };
            match (at(a, oa, ta, &c.a), at(b, ob, tb, &c.b)) {
                (Some(wa), Some(wb)) if opposed_share_context(a, wa, b, wb) => 0.8,
                _ => 0.4,
            }
        }
        // A name replaced in a sentence that otherwise says the same thing.
        ChangeKind::Entity if alike >= 0.4 => 0.6,
        ChangeKind::Entity => 0.3,
        // A later "only" narrows what was said: the shape of a walk-back. An "only" the
        // later text leaves out is usually just left out.
        ChangeKind::RestrictionAdded if both => 0.6,
        ChangeKind::RestrictionAdded => 0.5,
        ChangeKind::RestrictionDropped if both => 0.3,
        ChangeKind::RestrictionDropped => 0.2,
        ChangeKind::Time if both => 0.7,
        ChangeKind::Time => 0.25,
        // "all" against "some" or "most" of the same thing disagrees; "several" against
        // "many" hardly does.
        ChangeKind::Quantity if both && many_against_few(a, b) => 0.6,
        ChangeKind::Quantity if both && all_against_part(a, b) => 0.5,
        ChangeKind::Quantity if both => 0.2,
        ChangeKind::Quantity => 0.2,
        ChangeKind::Number if numbers_conflict(ta, a, tb, b).is_some() => 0.6,
        // Numbers that are not about the same thing (a date beside a count), or whose ranges
        // meet ("six" and "more than three").
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
    fn words(x: &[String]) -> Words<'_> {
        x.iter().map(String::as_str).collect()
    }
    let (set_a, set_b) = (words(&aa.content), words(&ab.content));
    // Narrow the text of more sentences first, then the other to what it kept.
    let (fa, fb) = if sentences(ta, aa).len() >= sentences(tb, ab).len() {
        let fa = focus(ta, aa, &set_b);
        let fb = match &fa {
            Some((_, x)) => focus(tb, ab, &words(&x.content)),
            None => focus(tb, ab, &set_a),
        };
        (fa, fb)
    } else {
        let fb = focus(tb, ab, &set_a);
        let fa = match &fb {
            Some((_, x)) => focus(ta, aa, &words(&x.content)),
            None => focus(ta, aa, &set_b),
        };
        (fa, fb)
    };
    let (ta, aa) = fa.as_ref().map_or((ta, aa), |(t, x)| (*t, x));
    let (tb, ab) = fb.as_ref().map_or((tb, ab), |(t, x)| (*t, x));
    let (ca, cb) = (&aa.content, &ab.content);
    let shared: HashSet<&str> = common(ca, cb).collect();
    let found = changes(ta, aa, tb, ab);
    if found.is_empty() {
        return None;
    }
    let alike = cosine(ca, cb);
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
        // "All" includes "some": the later "all" contradicts nothing.
        assert!(judge("We will close some stores.", "We will close all stores.").is_none());
        // "All" and "some" of different things.
        assert!(
            judge(
                "Le cyrillique est utilisé dans toute l'Europe de l'Est.",
                "Le cyrillique est utilisé pour certaines langues de l'Est."
            )
            .is_none()
        );
    }

    #[test]
    fn quantifiers_that_cannot_both_hold() {
        for (a, b) in [
            (
                "All of our stores are open.",
                "None of our stores are open.",
            ),
            (
                "Some of our stores are open.",
                "None of our stores are open.",
            ),
            (
                "Most stores are open on Sunday.",
                "Few stores are open on Sunday.",
            ),
            (
                "La plupart des magasins sont ouverts le dimanche.",
                "Peu de magasins sont ouverts le dimanche.",
            ),
            (
                "Tous les magasins sont ouverts le dimanche.",
                "Aucun magasin n'est ouvert le dimanche.",
            ),
            (
                "At least five stores are open on Sunday.",
                "At most three stores are open on Sunday.",
            ),
        ] {
            assert!(judge(a, b).is_some(), "{a} / {b}");
        }
        // Ranges that meet: six stores are more than three.
        assert!(
            judge(
                "Acme has six stores open on Sunday.",
                "Acme has more than three stores open on Sunday."
            )
            .is_none()
        );
    }

    #[test]
    fn negations_that_deny_nothing_the_other_says() {
        // A condition.
        assert!(
            judge(
                "If the waste is not removed properly, it may leak into rivers.",
                "The waste is removed properly and leaks into rivers."
            )
            .is_none_or(|j| j.changes[0].kind != ChangeKind::NegationLost || j.score < 0.3)
        );
        // Stopping says what "no longer" says.
        assert!(
            judge(
                "Acme Widgets will stop selling its own brand of mugs.",
                "Acme Widgets will no longer sell its own brand of mugs."
            )
            .is_none()
        );
        // A verb denied, its noun named: "ne changent pas" is not stated by "le changement de".
        assert!(
            judge(
                "Les nouvelles règles ne changent pas la vie des abonnés.",
                "Les effets du changement de règles surprennent les abonnés."
            )
            .is_none()
        );
        // "Not all" says "some are not": only "all" contradicts it.
        assert!(
            judge(
                "Not all of our stores are open on Sunday.",
                "Some of our stores are open on Sunday."
            )
            .is_none()
        );
        assert!(
            judge(
                "All of our stores are open on Sunday.",
                "Not all of our stores are open on Sunday."
            )
            .is_some()
        );
        // But a verb denied past its auxiliary is the word denied: "n'a pas perdu".
        assert!(
            judge(
                "Acme Widgets a perdu le procès de juillet.",
                "Acme Widgets n'a pas perdu le procès de juillet."
            )
            .is_some_and(|j| j.changes[0].kind == ChangeKind::NegationGained)
        );
    }

    #[test]
    fn opposed_words_count_when_they_bear_on_the_same_thing() {
        let j = judge(
            "Acme will keep the Springfield plant open.",
            "Acme will close the Springfield plant.",
        )
        .expect("keep against close");
        assert_eq!(j.changes[0].kind, ChangeKind::Opposed);
        // Volumes rose, prices were cut: not one thing.
        assert!(
            judge(
                "Although Acme sells its mugs at lower prices, the increase in volumes lifted its profit by 25 percent.",
                "Acme cut mug prices to win back customers."
            )
            .is_none()
        );
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
