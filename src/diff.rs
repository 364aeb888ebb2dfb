//! Word diff of two statements, and the changes that matter called out in words: a negation
//! gained or lost, a restriction, a hedge or time word, a quantity or a number that changed.
//!
//! The diff runs on folded tokens (case and accents do not count as changes) with the `similar`
//! crate's patience algorithm (words that occur once on each side anchor the alignment, which
//! keeps a reworded sentence readable; Myers fills the gaps), always under a deadline: an exact diff of two long unrelated texts
//! can take many seconds, and past the deadline a coarser diff is as useful to a reader.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use serde::Serialize;
use similar::{Algorithm, DiffTag, capture_diff_slices_deadline};

pub use crate::claims::compare::{
    ChangeKind, ClaimChange, Compared, agree_through_negation, changes, comparable, english,
};
use crate::claims::{Token, TokenKind, WordMap, analyze_tokens, tokenize};
use crate::model::Statement;

/// How long the word diff may search for the smallest diff before settling for a coarser one.
pub const DEADLINE: Duration = Duration::from_millis(60);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum OpKind {
    Equal,
    Delete,
    Insert,
}

/// A run of text the two statements share, or that only one has.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Op {
    pub op: OpKind,
    pub text: String,
}

/// A word diff and its changes.
#[derive(Debug, Clone, Serialize)]
pub struct StatementDiff {
    pub compared: Compared,
    pub ops: Vec<Op>,
    pub changes: Vec<ClaimChange>,
}

/// Diffs two statements, choosing the texts as [`comparable`] does.
pub fn diff_statements(a: &Statement, b: &Statement) -> StatementDiff {
    let (compared, x, y) = comparable(a, b);
    let (ops, changes) = diff_texts(x, y);
    StatementDiff {
        compared,
        ops,
        changes,
    }
}

/// Texts longer than this (together) are read on threads of their own while the words are
/// aligned.
const PARALLEL_BYTES: usize = 64 * 1024;

/// Word diff of two texts and the changes that matter between them.
pub fn diff_texts(a: &str, b: &str) -> (Vec<Op>, Vec<ClaimChange>) {
    let (ta, tb) = (tokenize(a), tokenize(b));
    let (ops, read_a, read_b) = if a.len() + b.len() > PARALLEL_BYTES {
        std::thread::scope(|s| {
            let first = s.spawn(|| analyze_tokens(a, &ta));
            let second = s.spawn(|| analyze_tokens(b, &tb));
            let ops = word_diff_tokens(a, &ta, b, &tb, DEADLINE, SENTENCE_DIFF_TOKENS);
            let read_a = first.join().unwrap_or_else(|_| analyze_tokens(a, &ta));
            let read_b = second.join().unwrap_or_else(|_| analyze_tokens(b, &tb));
            (ops, read_a, read_b)
        })
    } else {
        (
            word_diff_tokens(a, &ta, b, &tb, DEADLINE, SENTENCE_DIFF_TOKENS),
            analyze_tokens(a, &ta),
            analyze_tokens(b, &tb),
        )
    };
    let changes = changes(a, &read_a, b, &read_b);
    (ops, changes)
}

/// Above this many tokens, sentences are aligned first and words only within the sentences
/// that changed: a word diff of a long revised document would otherwise run out of time and
/// show one block removed and one added.
const SENTENCE_DIFF_TOKENS: usize = 20_000;

/// Token ranges, one a sentence: each ends after `.`, `!`, `?`, `;` or a line break.
fn sentences(text: &str, toks: &[Token]) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, t) in toks.iter().enumerate() {
        let s = t.text(text);
        let ends = match t.kind {
            TokenKind::Punct => matches!(s, "." | "!" | "?" | ";" | "…"),
            TokenKind::Space => s.contains('\n'),
            _ => false,
        };
        if ends {
            out.push(start..i + 1);
            start = i + 1;
        }
    }
    if start < toks.len() {
        out.push(start..toks.len());
    }
    out
}

/// Aligns sentences, then diffs the words of the sentences that differ, each step within
/// `budget`.
#[allow(clippy::too_many_arguments)]
fn sentence_first(
    a: &str,
    ta: &[Token],
    ka: &[u32],
    b: &str,
    tb: &[Token],
    kb: &[u32],
    deadline: Instant,
    budget: Duration,
) -> Vec<similar::DiffOp> {
    let (sa, sb) = (sentences(a, ta), sentences(b, tb));
    let mut ids: HashMap<&[u32], u32, std::hash::BuildHasherDefault<crate::claims::Fnv>> =
        HashMap::default();
    let mut ia = Vec::with_capacity(sa.len());
    for r in &sa {
        let n = ids.len() as u32;
        ia.push(*ids.entry(&ka[r.clone()]).or_insert(n));
    }
    let mut ib = Vec::with_capacity(sb.len());
    for r in &sb {
        let n = ids.len() as u32;
        ib.push(*ids.entry(&kb[r.clone()]).or_insert(n));
    }
    // Texts that share few sentences are not revisions of each other: aligning their
    // sentences would only spend the budget.
    let in_b: std::collections::HashSet<u32> = ib.iter().copied().collect();
    let shared = ia.iter().filter(|i| in_b.contains(i)).count();
    if shared * 10 < ia.len().min(ib.len()) {
        return similar::capture_diff_deadline(
            Algorithm::Myers,
            ka,
            0..ka.len(),
            kb,
            0..kb.len(),
            Some(deadline),
        );
    }
    let mut raw = Vec::new();
    // Aligning the sentences of a revision is quick; it gets more room than the words so that
    // a busy machine does not turn a revision into one block removed and one added.
    let aligned =
        capture_diff_slices_deadline(Algorithm::Patience, &ia, &ib, Some(deadline + 3 * budget));
    // The words of the sentences that differ get a budget of their own.
    let deadline = Instant::now() + budget;
    for op in aligned {
        let (tag, ra, rb) = op.as_tag_tuple();
        let first = |s: &[std::ops::Range<usize>], r: &std::ops::Range<usize>, len: usize| {
            s.get(r.start).map_or(len, |x| x.start)
        };
        let last = |s: &[std::ops::Range<usize>], r: &std::ops::Range<usize>, len: usize| {
            if r.is_empty() {
                first(s, r, len)
            } else {
                s[r.end - 1].end
            }
        };
        let (a0, a1) = (first(&sa, &ra, ka.len()), last(&sa, &ra, ka.len()));
        let (b0, b1) = (first(&sb, &rb, kb.len()), last(&sb, &rb, kb.len()));
        if tag == DiffTag::Equal {
            raw.push(similar::DiffOp::Equal {
                old_index: a0,
                new_index: b0,
                len: a1 - a0,
            });
        } else {
            raw.extend(similar::capture_diff_deadline(
                Algorithm::Myers,
                ka,
                a0..a1,
                kb,
                b0..b1,
                Some(deadline),
            ));
        }
    }
    raw
}

fn slice<'a>(s: &'a str, toks: &[Token], r: std::ops::Range<usize>) -> &'a str {
    if r.is_empty() {
        ""
    } else {
        &s[toks[r.start].start..toks[r.end - 1].end]
    }
}

enum Hunk {
    Equal(String),
    Change(String, String),
}

/// The word diff alone, giving up on a minimal diff once the alignment has taken `budget`.
pub fn word_diff(a: &str, b: &str, budget: Duration) -> Vec<Op> {
    word_diff_tokens(
        a,
        &tokenize(a),
        b,
        &tokenize(b),
        budget,
        SENTENCE_DIFF_TOKENS,
    )
}

fn word_diff_tokens<'t>(
    a: &'t str,
    ta: &[Token],
    b: &'t str,
    tb: &[Token],
    budget: Duration,
    sentence_diff_tokens: usize,
) -> Vec<Op> {
    // Tokens become numbers, equal when their folded forms are; any run of space is one space.
    let mut ids: WordMap<String, u32> = WordMap::default();
    // The same written token folds the same way: look it up as written first.
    let mut written: WordMap<&'t str, u32> = WordMap::default();
    let mut buf = String::new();
    let mut intern = |raw: &'_ str, space: bool| -> u32 {
        buf.clear();
        if space {
            buf.push(' ');
        } else {
            for c in raw.chars() {
                crate::fold::fold_char(c, &mut buf);
            }
        }
        if let Some(&id) = ids.get(buf.as_str()) {
            return id;
        }
        let id = ids.len() as u32;
        ids.insert(buf.clone(), id);
        id
    };
    let mut keys = |s: &'t str, toks: &[Token], written: &mut WordMap<&'t str, u32>| -> Vec<u32> {
        toks.iter()
            .map(|t| {
                let raw = t.text(s);
                if t.kind == TokenKind::Space {
                    return intern(raw, true);
                }
                *written.entry(raw).or_insert_with(|| intern(raw, false))
            })
            .collect()
    };
    let ka = keys(a, ta, &mut written);
    let kb = keys(b, tb, &mut written);
    let deadline = Instant::now() + budget;
    let raw = if ka.len() + kb.len() > sentence_diff_tokens {
        sentence_first(a, ta, &ka, b, tb, &kb, deadline, budget)
    } else {
        capture_diff_slices_deadline(Algorithm::Patience, &ka, &kb, Some(deadline))
    };

    let mut hunks: Vec<Hunk> = Vec::new();
    for op in raw {
        let (tag, ra, rb) = op.as_tag_tuple();
        let (da, db) = (slice(a, ta, ra), slice(b, tb, rb));
        match (tag, hunks.last_mut()) {
            (DiffTag::Equal, Some(Hunk::Equal(e))) => e.push_str(db),
            (DiffTag::Equal, _) => hunks.push(Hunk::Equal(db.to_string())),
            (_, Some(Hunk::Change(x, y))) => {
                x.push_str(da);
                y.push_str(db);
            }
            _ => hunks.push(Hunk::Change(da.to_string(), db.to_string())),
        }
    }
    // A lone space between two changes reads better inside them: `[-a b-]{+c d+}`.
    let mut merged: Vec<Hunk> = Vec::with_capacity(hunks.len());
    let mut it = hunks.into_iter().peekable();
    while let Some(h) = it.next() {
        if let Hunk::Equal(e) = &h
            && e.chars().all(|c| c == ' ')
            && matches!(merged.last(), Some(Hunk::Change(..)))
            && matches!(it.peek(), Some(Hunk::Change(..)))
        {
            let Some(Hunk::Change(nx, ny)) = it.next() else {
                unreachable!("peeked a change")
            };
            if let Some(Hunk::Change(x, y)) = merged.last_mut() {
                x.push_str(e);
                x.push_str(&nx);
                y.push_str(e);
                y.push_str(&ny);
            }
            continue;
        }
        merged.push(h);
    }
    let mut ops = Vec::with_capacity(merged.len() * 2);
    for h in merged {
        match h {
            Hunk::Equal(text) => ops.push(Op {
                op: OpKind::Equal,
                text,
            }),
            Hunk::Change(x, y) => {
                if !x.is_empty() {
                    ops.push(Op {
                        op: OpKind::Delete,
                        text: x,
                    });
                }
                if !y.is_empty() {
                    ops.push(Op {
                        op: OpKind::Insert,
                        text: y,
                    });
                }
            }
        }
    }
    ops
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(ops: &[Op]) -> String {
        ops.iter()
            .map(|o| match o.op {
                OpKind::Equal => o.text.clone(),
                OpKind::Delete => format!("[-{}-]", o.text),
                OpKind::Insert => format!("{{+{}+}}", o.text),
            })
            .collect()
    }

    fn kinds(a: &str, b: &str) -> Vec<ChangeKind> {
        diff_texts(a, b).1.iter().map(|c| c.kind).collect()
    }

    #[test]
    fn word_diff_marks_what_changed() {
        let (ops, _) = diff_texts(
            "We do not sell customer data.",
            "We may sell customer data.",
        );
        assert_eq!(render(&ops), "We [-do not-]{+may+} sell customer data.");
    }

    #[test]
    fn case_and_accents_are_not_changes() {
        let (ops, _) = diff_texts("Données clients", "donnees CLIENTS");
        assert_eq!(ops.len(), 1);
        assert_eq!(ops[0].op, OpKind::Equal);
    }

    #[test]
    fn elisions_and_punctuation_diff_as_their_own_tokens() {
        let (ops, _) = diff_texts(
            "nous n’utilisions que les noms",
            "nous utilisions les noms, les photos",
        );
        assert_eq!(
            render(&ops),
            "nous [-n’-]utilisions[- que-] les noms{+, les photos+}"
        );
    }

    #[test]
    fn numbers_change_as_a_whole() {
        let (ops, changes) = diff_texts("a minimum of 100 euros", "a minimum of 1,000 euros");
        assert_eq!(render(&ops), "a minimum of [-100-]{+1,000+} euros");
        assert_eq!(changes[0].kind, ChangeKind::Number);
        assert_eq!(
            changes[0].describe(),
            "number changed: '100 euros' → '1,000 euros'"
        );
    }

    #[test]
    fn negation_lost_is_described_with_its_counterpart() {
        let (_, changes) = diff_texts("We do not sell customer data", "We may sell customer data");
        assert_eq!(
            changes[0].describe(),
            "negation lost: 'do not sell' → 'may sell'"
        );
        assert!(changes.iter().any(|c| c.kind == ChangeKind::Hedge));
    }

    #[test]
    fn french_negation_gained() {
        let (_, changes) = diff_texts(
            "acheter et utiliser à vie plusieurs données personnelles de ses clients",
            "Nous ne vendons pas et ne vendrons pas de données clients",
        );
        let c = &changes[0];
        assert_eq!(c.kind, ChangeKind::NegationGained);
        assert_eq!(c.b, "ne vendrons pas de données");
        assert_eq!(c.a, "plusieurs données");
        let k: Vec<ChangeKind> = changes.iter().map(|c| c.kind).collect();
        assert!(k.contains(&ChangeKind::Time), "à vie is gone: {changes:?}");
    }

    #[test]
    fn reaffirmation_keeps_its_polarity() {
        let k = kinds(
            "We do not sell data",
            "We have never sold data and never will",
        );
        assert!(!k.contains(&ChangeKind::NegationLost) && !k.contains(&ChangeKind::NegationGained));
    }

    #[test]
    fn restriction_time_quantity_opposed() {
        assert!(
            kinds("we use your data", "we only use your names")
                .contains(&ChangeKind::RestrictionAdded)
        );
        assert!(
            kinds("supprimé temporairement", "supprimé définitivement").contains(&ChangeKind::Time)
        );
        assert!(
            kinds("all stores will close", "some stores will close")
                .contains(&ChangeKind::Quantity)
        );
        assert!(
            kinds("we will keep the plant", "we will close the plant")
                .contains(&ChangeKind::Opposed)
        );
        assert!(kinds("the same words", "the same words").is_empty());
    }

    #[test]
    fn long_revisions_diff_sentence_by_sentence() {
        let a: String = (0..30)
            .map(|i| format!("Sentence {i} says alpha{i}. "))
            .collect();
        let b = a.replace("alpha15.", "beta15.").replace("Sentence 20 ", "");
        let (ta, tb) = (tokenize(&a), tokenize(&b));
        let ops = word_diff_tokens(&a, &ta, &b, &tb, Duration::from_secs(3600), 10);
        let changed: Vec<&Op> = ops.iter().filter(|o| o.op != OpKind::Equal).collect();
        assert_eq!(changed.len(), 3, "{changed:?}");
        assert_eq!(changed[0].text, "alpha15");
        assert_eq!(changed[1].text, "beta15");
        assert_eq!(changed[2].text, "Sentence 20 ");
        let rebuilt: String = ops
            .iter()
            .filter(|o| o.op != OpKind::Delete)
            .map(|o| o.text.as_str())
            .collect();
        assert_eq!(rebuilt, b);
    }

    #[test]
    fn unrelated_long_texts_finish_under_the_deadline() {
        let a: String = (0..20_000).map(|i| format!("alpha{i} ")).collect();
        let b: String = (0..20_000).map(|i| format!("beta{i} ")).collect();
        let ops = word_diff(&a, &b, DEADLINE);
        let deleted: String = ops
            .iter()
            .filter(|o| o.op != OpKind::Insert)
            .map(|o| o.text.as_str())
            .collect();
        assert_eq!(deleted.trim_end(), a.trim_end());
    }
}
