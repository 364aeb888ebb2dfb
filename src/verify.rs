//! Every statement against its source's saved copy: a quote or a document must appear in it
//! verbatim (as `snapshot` compares), a paraphrase loosely; a statement whose source has no
//! saved copy is unverified. Each saved copy is read once, on as many threads as there are
//! cores; no output here (that is `cli::verify`'s).

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

use serde::Serialize;

use crate::check::LineIndex;
use crate::diff::{DEADLINE, Op, word_diff};
use crate::model::{Incident, Kind, Source, Statement};
use crate::snapshot::{self, Snapshot};
use crate::store::Corpus;

/// Below this share of its words found in the saved copy, a paraphrase is reported.
pub const PARAPHRASE_SHARE: f64 = 0.5;

/// What verifying one statement found.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "status", rename_all = "kebab-case")]
pub enum Outcome {
    /// Its text is in the saved copy, verbatim.
    Verified,
    /// A paraphrase not found verbatim, but with at least half its words in the saved copy.
    Loose { share: f64 },
    /// A paraphrase with less than half its words in the saved copy.
    Weak { share: f64 },
    /// A quote or document not in the saved copy, with the passage closest to it and a word
    /// diff from the statement's text to that passage.
    NotFound { closest: String, ops: Vec<Op> },
    /// The saved copy could not be used (missing, changed, not text...).
    Unusable { problem: String },
    /// The statement's source has no saved copy, or it names no source.
    Unverified { reason: String },
}

impl Outcome {
    /// A misquote or an unusable saved copy: what makes `verify` exit 1.
    pub fn is_error(&self) -> bool {
        matches!(self, Outcome::NotFound { .. } | Outcome::Unusable { .. })
    }
}

/// One statement's result.
#[derive(Debug, Clone)]
pub struct Checked<'c> {
    pub incident: &'c Incident,
    pub statement: &'c Statement,
    /// The saved copy it was compared with.
    pub snapshot: Option<PathBuf>,
    pub outcome: Outcome,
}

/// How many statements ended each way.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub verified: usize,
    pub unverified: usize,
    pub loose: usize,
    pub weak: usize,
    pub not_found: usize,
    pub unusable: usize,
}

impl Counts {
    pub fn of(results: &[Checked]) -> Counts {
        let mut c = Counts::default();
        for r in results {
            match r.outcome {
                Outcome::Verified => c.verified += 1,
                Outcome::Loose { .. } => c.loose += 1,
                Outcome::Weak { .. } => c.weak += 1,
                Outcome::NotFound { .. } => c.not_found += 1,
                Outcome::Unusable { .. } => c.unusable += 1,
                Outcome::Unverified { .. } => c.unverified += 1,
            }
        }
        c
    }
}

/// Verifies the statements `selected` keeps, in corpus order.
pub fn verify<'c>(
    corpus: &'c Corpus,
    selected: impl Fn(&Incident, &Statement) -> bool,
) -> Vec<Checked<'c>> {
    // The statements of each source that has a saved copy, to read each copy once.
    type Group<'c> = (&'c Incident, &'c Source, Vec<(usize, &'c Statement)>);
    let mut groups: Vec<Group<'c>> = Vec::new();
    let mut slots: Vec<Option<Checked<'c>>> = Vec::new();
    let mut group_of: HashMap<(usize, &str), usize> = HashMap::new();
    for (ii, inc) in corpus.incidents.iter().enumerate() {
        for st in &inc.statements {
            if !selected(inc, st) {
                continue;
            }
            let slot = slots.len();
            let source = st.source.as_deref().and_then(|id| inc.source(id));
            match source {
                Some(src) if src.snapshot.is_some() => {
                    let g = *group_of.entry((ii, src.id.as_str())).or_insert_with(|| {
                        groups.push((inc, src, Vec::new()));
                        groups.len() - 1
                    });
                    groups[g].2.push((slot, st));
                    slots.push(None);
                }
                _ => {
                    let reason = match (&st.source, source) {
                        (None, _) => "it names no source".to_string(),
                        (Some(id), _) => format!("source `{id}` has no saved copy"),
                    };
                    slots.push(Some(Checked {
                        incident: inc,
                        statement: st,
                        snapshot: None,
                        outcome: Outcome::Unverified { reason },
                    }));
                }
            }
        }
    }
    let checked = snapshot::in_parallel(&groups, |(inc, src, members)| {
        let loaded = snapshot::load(&corpus.root, src);
        let shown = corpus
            .root
            .join(src.snapshot.as_deref().unwrap_or_default());
        let mut words = None;
        members
            .iter()
            .map(|&(slot, st)| {
                let outcome = match &loaded {
                    Some(Ok(snap)) => compare(snap, st, &mut words),
                    Some(Err(e)) => Outcome::Unusable {
                        problem: e.to_string(),
                    },
                    None => unreachable!("grouped sources have a saved copy"),
                };
                (
                    slot,
                    Checked {
                        incident: inc,
                        statement: st,
                        snapshot: Some(shown.clone()),
                        outcome,
                    },
                )
            })
            .collect::<Vec<_>>()
    });
    for (slot, c) in checked.into_iter().flatten() {
        slots[slot] = Some(c);
    }
    slots.into_iter().flatten().collect()
}

/// One statement against a saved copy; `words` is the copy's word set, made on first need.
fn compare(snap: &Snapshot, st: &Statement, words: &mut Option<HashSet<String>>) -> Outcome {
    if snapshot::contains_quote(&snap.text, &st.text) {
        return Outcome::Verified;
    }
    match st.kind {
        Kind::Paraphrase => {
            let set = words.get_or_insert_with(|| snapshot::word_set(&snap.text));
            let share = snapshot::share_of_words(set, &st.text);
            if share < PARAPHRASE_SHARE {
                Outcome::Weak { share }
            } else {
                Outcome::Loose { share }
            }
        }
        Kind::Quote | Kind::Document => {
            let quote = snapshot::comparable(&st.text);
            let closest = snapshot::closest_passage(&snap.text, &quote).to_string();
            let ops = word_diff(&quote, &closest, DEADLINE);
            Outcome::NotFound { closest, ops }
        }
    }
}

/// Where a statement's `text` key is in its file, 1-based line and column, for reports that
/// point an editor at the words; the statement's header when the file cannot be read again.
pub fn text_position(inc: &Incident, st: &Statement) -> (u32, u32) {
    let fallback = (st.line, 1);
    let Some(index) = inc.statements.iter().position(|s| std::ptr::eq(s, st)) else {
        return fallback;
    };
    let Ok(text) = std::fs::read_to_string(&inc.path) else {
        return fallback;
    };
    let Ok(doc) = toml::de::DeTable::parse(&text) else {
        return fallback;
    };
    let key = doc
        .get_ref()
        .get("statements")
        .and_then(|v| v.get_ref().as_array())
        .and_then(|a| a.get(index))
        .and_then(|t| t.get_ref().as_table())
        .and_then(|t| t.get_key_value("text"))
        .map(|(k, _)| k.span().start);
    match key {
        Some(at) => LineIndex::new(&text).position(at),
        None => fallback,
    }
}
