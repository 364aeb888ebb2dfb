//! Comparing two statements for what they claim: which texts to set side by side (the texts,
//! or their English versions across languages), the changes that matter between two analysed
//! texts (a negation gained or lost, a restriction, a hedge or time word, a quantity or a
//! number that changed, opposed words), and how alike two statements are.
//!
//! What is found here is the domain's: it is never made safe for a terminal here. Whoever
//! prints a [`ClaimChange`] passes it through [`crate::text`] (the command line) or the interface's
//! own sanitizer.

use std::collections::HashSet;

use serde::Serialize;

use super::analysis::{Analysis, Category, Marker, Opposed, analyze};
use super::terms::{
    Interner, content_terms, negated_heads, negated_stems, shared, statement_terms,
};
use super::tokenize::WordMap;
use crate::model::Statement;

/// Which texts of the two statements were compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Compared {
    /// Both `text`s, in the same language.
    Text,
    /// Texts in different languages, compared through their English versions (a `translation`,
    /// or the `text` itself when it is English).
    Translation,
}
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ChangeKind {
    NegationLost,
    NegationGained,
    RestrictionAdded,
    RestrictionDropped,
    Hedge,
    Time,
    Quantity,
    Number,
    Opposed,
    /// A name (a place, a person, a country) in the place of another, in the same role.
    Entity,
}

/// One change that matters, with the words on each side (empty when a side has none).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ClaimChange {
    pub kind: ChangeKind,
    pub a: String,
    pub b: String,
}

impl ClaimChange {
    /// In plain words: "negation lost: 'do not sell' → 'may sell'". The words are the record's
    /// own, unsanitized: make them safe where they are printed.
    pub fn describe(&self) -> String {
        let what = match self.kind {
            ChangeKind::NegationLost => "negation lost",
            ChangeKind::NegationGained => "negation gained",
            ChangeKind::RestrictionAdded => "restriction added",
            ChangeKind::RestrictionDropped => "restriction dropped",
            ChangeKind::Hedge => "modality changed",
            ChangeKind::Time => "time changed",
            ChangeKind::Quantity => "quantity changed",
            ChangeKind::Number => "number changed",
            ChangeKind::Opposed => "opposed words",
            ChangeKind::Entity => "name changed",
        };
        let side = |s: &str| {
            if s.is_empty() {
                "(none)".to_string()
            } else {
                format!("'{s}'")
            }
        };
        format!("{what}: {} → {}", side(&self.a), side(&self.b))
    }
}

/// The primary language subtag, lowercased: "fr" for "fr-FR".
fn language(st: &Statement) -> Option<String> {
    st.lang
        .as_deref()
        .map(|l| l.split(['-', '_']).next().unwrap_or(l).to_ascii_lowercase())
}

/// The statement in English, when there is one: its text if it is English, else its
/// translation (which docs/format.md's examples give in English).
pub fn english(st: &Statement) -> Option<&str> {
    match language(st).as_deref() {
        Some("en") | None => Some(&st.text),
        Some(_) => st.translation.as_deref(),
    }
}

/// The two texts to compare: both `text`s when the languages agree (or are not known), both
/// English versions when they differ and both have one, else both texts anyway.
pub fn comparable<'a>(a: &'a Statement, b: &'a Statement) -> (Compared, &'a str, &'a str) {
    let (la, lb) = (language(a), language(b));
    if la == lb || la.is_none() || lb.is_none() {
        return (Compared::Text, &a.text, &b.text);
    }
    match (english(a), english(b)) {
        (Some(x), Some(y)) => (Compared::Translation, x, y),
        _ => (Compared::Text, &a.text, &b.text),
    }
}

/// Where `b` speaks of a word a marker of `a` bears on: the phrase in `a` stretched to that
/// word ("ne vendrons pas de données"), and the word in `b` with the one before it
/// ("plusieurs données", "may sell"), so that a reader sees what took the marker's place.
fn counterpart(
    a: &Analysis,
    a_text: &str,
    m: &Marker,
    b: &Analysis,
    b_text: &str,
    b_stems: &WordMap<&str, usize>,
) -> Option<(String, String)> {
    for &i in &m.scope {
        let s = a.stems[i].as_str();
        if s.len() < 4 {
            continue;
        }
        let Some(&j) = b_stems.get(s) else {
            continue;
        };
        let first = if j > 0 && !b.words[j].clause_start {
            j - 1
        } else {
            j
        };
        let mine = if i > m.last {
            a.span(a_text, m.first, i)
        } else {
            a.phrase(a_text, m)
        };
        return Some((mine.to_string(), b.span(b_text, first, j).to_string()));
    }
    None
}

/// The first marker of a category in `a` that has a counterpart in `b`, else the first one
/// alone: (its phrase, the counterpart or "").
fn with_counterpart(
    a: &Analysis,
    a_text: &str,
    c: Category,
    b: &Analysis,
    b_text: &str,
) -> (String, String) {
    // Where each stem first appears in `b`, so that long texts are not scanned per marker.
    let mut b_stems: WordMap<&str, usize> = WordMap::default();
    for (j, s) in b.stems.iter().enumerate() {
        b_stems.entry(s.as_str()).or_insert(j);
    }
    a.of(c)
        .find_map(|m| counterpart(a, a_text, m, b, b_text, &b_stems))
        .or_else(|| {
            a.of(c)
                .next()
                .map(|m| (a.phrase(a_text, m).to_string(), String::new()))
        })
        .unwrap_or_default()
}

/// The distinct phrases of a category, the first few of them: a long document may hold
/// thousands.
fn all_phrases(a: &Analysis, text: &str, c: Category) -> String {
    const SHOWN: usize = 5;
    let mut v: Vec<&str> = Vec::new();
    let mut more = false;
    for m in a.of(c) {
        let p = a.phrase(text, m);
        if !v.contains(&p) {
            if v.len() == SHOWN {
                more = true;
                break;
            }
            v.push(p);
        }
    }
    let mut s = v.join(", ");
    if more {
        s.push_str(", …");
    }
    s
}

/// The changes that matter between two analysed texts, `a` the earlier.
pub fn changes(a_text: &str, a: &Analysis, b_text: &str, b: &Analysis) -> Vec<ClaimChange> {
    let mut out = Vec::new();
    let (na, nb) = (a.has(Category::Negation), b.has(Category::Negation));
    if na && !nb {
        let (x, y) = with_counterpart(a, a_text, Category::Negation, b, b_text);
        out.push(ClaimChange {
            kind: ChangeKind::NegationLost,
            a: x,
            b: y,
        });
    } else if nb && !na {
        let (y, x) = with_counterpart(b, b_text, Category::Negation, a, a_text);
        out.push(ClaimChange {
            kind: ChangeKind::NegationGained,
            a: x,
            b: y,
        });
    }
    let (ra, rb) = (a.has(Category::Restriction), b.has(Category::Restriction));
    if rb && !ra {
        let (y, x) = with_counterpart(b, b_text, Category::Restriction, a, a_text);
        out.push(ClaimChange {
            kind: ChangeKind::RestrictionAdded,
            a: x,
            b: y,
        });
    } else if ra && !rb {
        let (x, y) = with_counterpart(a, a_text, Category::Restriction, b, b_text);
        out.push(ClaimChange {
            kind: ChangeKind::RestrictionDropped,
            a: x,
            b: y,
        });
    }
    for (category, kind) in [
        (Category::Hedge, ChangeKind::Hedge),
        (Category::Time, ChangeKind::Time),
        (Category::Quantity, ChangeKind::Quantity),
    ] {
        let (ca, cb) = (a.classes(category), b.classes(category));
        if ca != cb {
            out.push(ClaimChange {
                kind,
                a: all_phrases(a, a_text, category),
                b: all_phrases(b, b_text, category),
            });
        }
    }
    let (xa, xb) = (a.amounts(), b.amounts());
    if xa != xb && !xa.is_empty() && !xb.is_empty() {
        out.push(ClaimChange {
            kind: ChangeKind::Number,
            a: all_phrases(a, a_text, Category::Number),
            b: all_phrases(b, b_text, Category::Number),
        });
    }
    let (oa, ob) = (a.opposed(), b.opposed());
    let mut seen = Vec::new();
    for x in oa {
        let stands = |v: &[Opposed], side| v.iter().any(|o| o.pair == x.pair && o.side == side);
        if seen.contains(&x.pair) || stands(oa, !x.side) || stands(ob, x.side) {
            continue;
        }
        // The same word, denied on one side only, is a negation change, reported as such.
        let Some(y) = ob
            .iter()
            .find(|o| o.pair == x.pair && o.side != x.side && a.stems[x.word] != b.stems[o.word])
        else {
            continue;
        };
        seen.push(x.pair);
        out.push(ClaimChange {
            kind: ChangeKind::Opposed,
            a: a.span(a_text, x.word, x.word).to_string(),
            b: b.span(b_text, y.word, y.word).to_string(),
        });
    }
    if let Some((x, y)) = entity_replaced(a_text, a, b_text, b) {
        out.push(ClaimChange {
            kind: ChangeKind::Entity,
            a: x,
            b: y,
        });
    }
    out
}

/// Whether word `i` is written with a capital and does not open a sentence: a name.
fn is_name(text: &str, x: &Analysis, i: usize) -> bool {
    let w = &x.words[i];
    if w.number
        || !text[w.start..]
            .chars()
            .next()
            .is_some_and(char::is_uppercase)
    {
        return false;
    }
    let before = match i.checked_sub(1) {
        Some(p) => &text[x.words[p].end..w.start],
        None => return false,
    };
    !before.contains(['.', '!', '?', '\n', ':', '"', '«', '“'])
}

/// The words of a name starting at `i`, capitalized words joined as written ("New York").
fn name_end(text: &str, x: &Analysis, i: usize) -> usize {
    let mut j = i;
    while j + 1 < x.words.len() && is_name(text, x, j + 1) && !x.words[j + 1].clause_start {
        j += 1;
    }
    j
}

/// A name in `b` that takes the place of another name of `a` in the same role: both follow
/// the same two words ("est né à Paris", "est né à Londres"), and neither text names the
/// other's. The two names as written.
pub fn entity_replaced(
    a_text: &str,
    a: &Analysis,
    b_text: &str,
    b: &Analysis,
) -> Option<(String, String)> {
    // A text has few names: whether the other text uses a name's word is a scan of its
    // words, with no set built for each pair.
    fn says(x: &Analysis, key: &str) -> bool {
        x.words.iter().any(|w| w.key == key)
    }
    fn context(x: &Analysis, i: usize) -> Option<(&str, &str)> {
        let (p1, p2) = (i.checked_sub(1)?, i.checked_sub(2)?);
        (!x.words[i].clause_start && !x.words[p1].clause_start)
            .then(|| (x.words[p2].key.as_str(), x.words[p1].key.as_str()))
    }
    // The names of `a` with their context first: most texts have none, and then the words
    // of the two texts need no sets.
    let named: Vec<(usize, (&str, &str))> = (0..a.words.len())
        .filter(|&i| is_name(a_text, a, i))
        .filter_map(|i| Some((i, context(a, i)?)))
        .collect();
    if named.is_empty() {
        return None;
    }
    let mut at: WordMap<(&str, &str), Vec<usize>> = WordMap::default();
    for (i, c) in named {
        if !says(b, &a.words[i].key) {
            at.entry(c).or_default().push(i);
        }
    }
    if at.is_empty() {
        return None;
    }
    for j in 0..b.words.len() {
        if !is_name(b_text, b, j) || says(a, &b.words[j].key) {
            continue;
        }
        let Some(c) = context(b, j) else {
            continue;
        };
        // Two function words alone ("de la") say little about a role.
        if super::terms::is_stopword(c.0) && super::terms::is_stopword(c.1) {
            continue;
        }
        let name_b = b.span(b_text, j, name_end(b_text, b, j));
        for &i in at.get(&c).into_iter().flatten() {
            let name_a = a.span(a_text, i, name_end(a_text, a, i));
            // "Auschwitz-Birkenau" and "Auschwitz Birkenau" are one name; an initial or an
            // acronym ("J.-C.", "UE") is too short to tell.
            let squeeze = |s: &str| -> String {
                crate::fold::fold(s)
                    .chars()
                    .filter(|c| c.is_alphanumeric())
                    .collect()
            };
            let (sa, sb) = (squeeze(name_a), squeeze(name_b));
            if sa.chars().count() >= 3
                && sb.chars().count() >= 3
                && !sa.contains(&sb)
                && !sb.contains(&sa)
            {
                return Some((name_a.to_string(), name_b.to_string()));
            }
        }
    }
    None
}

/// A number of `b` that disagrees with a number of `a` about the same thing: both count the
/// same unit ("33 sièges", "40 sièges"; "3 %", "5 %"; "huit juges", "11 juges") or follow the
/// same two words ("en 1995", "en 1969" after the same verb), and the ranges their bounds
/// allow do not meet ("six dogs" and "more than three dogs" agree; "two dogs" and "more than
/// three dogs" do not). The two numbers with their units, as written.
pub fn numbers_conflict(
    a_text: &str,
    a: &Analysis,
    b_text: &str,
    b: &Analysis,
) -> Option<(String, String)> {
    let (na, nb) = (a.amounts(), b.amounts());
    fn unit(x: &Analysis, i: usize) -> Option<&str> {
        let n = x.words.get(i + 1)?;
        (!n.number && !n.clause_start && (n.key == "%" || super::terms::is_content(&n.key)))
            .then(|| x.stems[i + 1].as_str())
    }
    fn before(x: &Analysis, i: usize) -> Option<(&str, &str)> {
        let (p1, p2) = (i.checked_sub(1)?, i.checked_sub(2)?);
        (!x.words[i].clause_start && !x.words[p1].clause_start)
            .then(|| (x.stems[p2].as_str(), x.stems[p1].as_str()))
    }
    let stated = |x: &Analysis| -> Vec<(usize, String)> {
        (0..x.words.len())
            .filter_map(|i| x.amount(i).map(|v| (i, v.to_string())))
            .collect()
    };
    let (sa, sb) = (stated(a), stated(b));
    for (j, vb) in &sb {
        if na.contains(vb) {
            continue;
        }
        let (ub, cb) = (unit(b, *j), before(b, *j));
        for (i, va) in &sa {
            if nb.contains(va) {
                continue;
            }
            let same_thing =
                (ub.is_some() && unit(a, *i) == ub) || (cb.is_some() && before(a, *i) == cb);
            let apart = match (a.range(*i), b.range(*j)) {
                (Some((alo, ahi)), Some((blo, bhi))) => ahi < blo || bhi < alo,
                _ => false,
            };
            if same_thing && apart {
                let shown = |x: &Analysis, t: &str, k: usize| {
                    let last = if unit(x, k).is_some() { k + 1 } else { k };
                    x.span(t, k, last).to_string()
                };
                return Some((shown(a, a_text, *i), shown(b, b_text, *j)));
            }
        }
    }
    None
}

/// Whether the two texts say one thing in opposite words, one of them negated: "we will not
/// close the plant" and "we will keep the plant". A negation lost between such texts is a
/// rewording, not a reversal.
pub fn agree_through_negation(a: &Analysis, b: &Analysis) -> bool {
    let (oa, ob) = (a.opposed(), b.opposed());
    oa.iter().any(|x| {
        ob.iter()
            .any(|y| y.pair == x.pair && y.side == x.side && y.negated != x.negated)
    })
}

/// How alike two statements are, 0 to 1: the cosine of the words they are about (from text
/// and translation, stemmed), unweighted. For a timeline, where there is no corpus to weigh
/// words against.
pub fn similarity(a: &Statement, b: &Statement) -> f64 {
    let mut terms = Interner::default();
    let (pa, pb) = (
        statement_terms(a, &mut terms),
        statement_terms(b, &mut terms),
    );
    let common = shared(&pa, &pb).len() as f64;
    let denom = ((pa.len() * pb.len()) as f64).sqrt();
    if denom == 0.0 { 0.0 } else { common / denom }
}

/// Whether the polarity flipped from `a` to `b`: one denies what the other states without
/// denying it ("ne vendons pas" and "vendre à vie"), judged on the word each negation denies
/// first, so that a shared "clients" elsewhere in the sentence does not count.
pub fn flips(a: &Statement, b: &Statement) -> bool {
    let (_, ta, tb) = comparable(a, b);
    let (aa, ab) = (analyze(ta), analyze(tb));
    let denied_in = |x: &Analysis, y: &Analysis| {
        let (nx, ny) = (negated_heads(x), negated_stems(y));
        let said: HashSet<String> = content_terms(y).into_iter().collect();
        nx.iter()
            .any(|s| s.len() >= 4 && said.contains(s) && !ny.contains(s))
    };
    denied_in(&aa, &ab) || denied_in(&ab, &aa)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(a: &str, b: &str) -> Vec<ChangeKind> {
        changes(a, &analyze(a), b, &analyze(b))
            .iter()
            .map(|c| c.kind)
            .collect()
    }

    #[test]
    fn a_name_in_the_same_role_is_a_change() {
        let (a, b) = (
            "The new plant will be built in Springfield.",
            "The new plant will be built in Shelbyville.",
        );
        assert_eq!(
            entity_replaced(a, &analyze(a), b, &analyze(b)),
            Some(("Springfield".into(), "Shelbyville".into()))
        );
        assert!(kinds(a, b).contains(&ChangeKind::Entity));
        // A name spelled two ways, an acronym, a name opening a sentence: no change.
        for (a, b) in [
            (
                "visited Auschwitz-Birkenau today",
                "visited Auschwitz Birkenau today",
            ),
            ("joins the European Union", "joins the EU"),
            ("Springfield is open.", "Shelbyville is open."),
        ] {
            assert!(
                entity_replaced(a, &analyze(a), b, &analyze(b)).is_none(),
                "{a} / {b}"
            );
        }
    }

    #[test]
    fn numbers_conflict_only_about_the_same_thing() {
        let conflict = |a: &str, b: &str| numbers_conflict(a, &analyze(a), b, &analyze(b));
        assert_eq!(
            conflict(
                "les conservateurs ont 33 sièges",
                "les conservateurs ont 40 sièges"
            ),
            Some(("33 sièges".into(), "40 sièges".into()))
        );
        assert!(conflict("founded in 1995 with 40 stores", "it has 12 employees").is_none());
        assert!(conflict("33 seats", "33 seats and 4 more").is_none());
        assert_eq!(
            conflict("huit juges ont été élus", "11 juges ont prêté serment"),
            Some(("huit juges".into(), "11 juges".into()))
        );
        // Bounds: ranges that meet agree, ranges apart conflict.
        assert!(conflict("there are six dogs", "more than three dogs").is_none());
        assert!(conflict("there are two dogs", "more than three dogs").is_some());
        assert!(conflict("au moins 10 magasins", "12 magasins").is_none());
        assert!(conflict("moins de 10 magasins", "12 magasins").is_some());
        assert!(conflict("about 40 stores", "42 stores").is_none());
        assert!(conflict("au plus 5 %", "7 %").is_some());
        // A compound is not read word by word.
        assert!(conflict("deux mille personnes", "deux personnes").is_none());
    }
}
