//! The word lists the analysis reads, loaded from the tables in `src/claims/lexicon/`. They are
//! data, not code: a linguist extends them without reading Rust (the format is in that folder's
//! README). The tables are compiled into the program and read once, on first use.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use super::analysis::Category;
use super::tokenize::Fnv;

/// A set of words, hashed as words are elsewhere in the analysis.
pub type WordSet = HashSet<&'static str, std::hash::BuildHasherDefault<Fnv>>;

/// A phrase of `markers.tsv`.
#[derive(Debug, Clone)]
pub struct MarkerPhrase {
    pub category: Category,
    pub class: &'static str,
    pub phrase: &'static str,
}

/// A pair of `opposed.tsv`: the two sides' names and patterns.
#[derive(Debug, Clone)]
pub struct OpposedPair {
    pub name: &'static str,
    pub left: Vec<&'static str>,
    pub right: Vec<&'static str>,
}

/// Every table, read.
#[derive(Debug)]
pub struct Lexicon {
    pub negators: WordSet,
    pub negation_ends: WordSet,
    pub clause_words: WordSet,
    pub auxiliaries: WordSet,
    pub fillers: WordSet,
    pub pas_nouns: WordSet,
    pub elisions: Vec<&'static str>,
    /// Tried in this order.
    pub suffixes: Vec<&'static str>,
    /// In file order: the first listed wins a tie.
    pub markers: Vec<MarkerPhrase>,
    /// In file order; a pair's index is its place here.
    pub opposed: Vec<OpposedPair>,
    /// (concept, pattern), in file order.
    pub concepts: Vec<(&'static str, &'static str)>,
    pub irregular: HashMap<&'static str, &'static str>,
    pub stopwords: WordSet,
    /// Number words and the numbers they name.
    pub numbers: super::tokenize::WordMap<&'static str, f64>,
    /// (bound, phrase split into words), in file order.
    pub bounds: Vec<(Bound, Vec<&'static str>)>,
}

/// How a word before a number bounds it (`bounds.tsv`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bound {
    MoreThan,
    AtLeast,
    LessThan,
    AtMost,
    About,
    Exactly,
}

/// The tables as compiled in: (file name, text).
pub const TABLES: &[(&str, &str)] = &[
    ("grammar.tsv", include_str!("lexicon/grammar.tsv")),
    ("markers.tsv", include_str!("lexicon/markers.tsv")),
    ("opposed.tsv", include_str!("lexicon/opposed.tsv")),
    ("concepts.tsv", include_str!("lexicon/concepts.tsv")),
    ("irregular.tsv", include_str!("lexicon/irregular.tsv")),
    ("stopwords.tsv", include_str!("lexicon/stopwords.tsv")),
    ("numbers.tsv", include_str!("lexicon/numbers.tsv")),
    ("bounds.tsv", include_str!("lexicon/bounds.tsv")),
];

/// A table row that does not read: which file, which line, and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("src/claims/lexicon/{file}:{line}: {message}")]
pub struct TableError {
    pub file: &'static str,
    pub line: usize,
    pub message: String,
}

/// The rows of a table: tab-separated columns, `#` comments and blank lines skipped, each
/// with its line number. Every row must have `columns` columns.
fn rows(
    file: &'static str,
    text: &'static str,
    columns: usize,
) -> Result<Vec<(usize, Vec<&'static str>)>, TableError> {
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let cols: Vec<&'static str> = line.split('\t').collect();
        if cols.len() != columns || cols.iter().any(|c| c.trim().is_empty() || c.trim() != *c) {
            return Err(TableError {
                file,
                line: n + 1,
                message: format!(
                    "expected {columns} non-empty columns separated by one tab each, found {:?}",
                    line
                ),
            });
        }
        out.push((n + 1, cols));
    }
    Ok(out)
}

fn table(file: &str) -> &'static str {
    TABLES
        .iter()
        .find(|(f, _)| *f == file)
        .map(|(_, t)| *t)
        .unwrap_or_default()
}

fn category(name: &str) -> Option<Category> {
    Some(match name {
        "restriction" => Category::Restriction,
        "time" => Category::Time,
        "hedge" => Category::Hedge,
        "quantity" => Category::Quantity,
        _ => return None,
    })
}

/// Reads every table, or says which row does not read.
pub fn read() -> Result<Lexicon, TableError> {
    let mut lx = Lexicon {
        negators: WordSet::default(),
        negation_ends: WordSet::default(),
        clause_words: WordSet::default(),
        auxiliaries: WordSet::default(),
        fillers: WordSet::default(),
        pas_nouns: WordSet::default(),
        elisions: Vec::new(),
        suffixes: Vec::new(),
        markers: Vec::new(),
        opposed: Vec::new(),
        concepts: Vec::new(),
        irregular: HashMap::new(),
        stopwords: WordSet::default(),
        numbers: Default::default(),
        bounds: Vec::new(),
    };
    let bad = |file, line, message: String| TableError {
        file,
        line,
        message,
    };

    for (line, c) in rows("grammar.tsv", table("grammar.tsv"), 2)? {
        let word = c[1];
        match c[0] {
            "negator" => drop(lx.negators.insert(word)),
            "negation-end" => drop(lx.negation_ends.insert(word)),
            "clause" => drop(lx.clause_words.insert(word)),
            "auxiliary" => drop(lx.auxiliaries.insert(word)),
            "filler" => drop(lx.fillers.insert(word)),
            "pas-noun" => drop(lx.pas_nouns.insert(word)),
            "elision" => lx.elisions.push(word),
            "suffix" => lx.suffixes.push(word),
            other => {
                return Err(bad(
                    "grammar.tsv",
                    line,
                    format!(
                        "unknown role {other:?}: use negator, negation-end, clause, auxiliary, \
                         filler, pas-noun, elision or suffix"
                    ),
                ));
            }
        }
    }
    for (line, c) in rows("markers.tsv", table("markers.tsv"), 3)? {
        let Some(category) = category(c[0]) else {
            return Err(bad(
                "markers.tsv",
                line,
                format!(
                    "unknown category {:?}: use restriction, time, hedge or quantity",
                    c[0]
                ),
            ));
        };
        lx.markers.push(MarkerPhrase {
            category,
            class: c[1],
            phrase: c[2],
        });
    }
    for (line, c) in rows("opposed.tsv", table("opposed.tsv"), 3)? {
        let Some((left, right)) = c[0].split_once('/') else {
            return Err(bad(
                "opposed.tsv",
                line,
                format!("pair {:?} must be two names, left/right", c[0]),
            ));
        };
        let at = match lx.opposed.iter().position(|p| p.name == c[0]) {
            Some(at) => at,
            None => {
                lx.opposed.push(OpposedPair {
                    name: c[0],
                    left: Vec::new(),
                    right: Vec::new(),
                });
                lx.opposed.len() - 1
            }
        };
        let pair = &mut lx.opposed[at];
        if c[1] == left {
            pair.left.push(c[2]);
        } else if c[1] == right {
            pair.right.push(c[2]);
        } else {
            return Err(bad(
                "opposed.tsv",
                line,
                format!("side {:?} is neither {left:?} nor {right:?}", c[1]),
            ));
        }
    }
    for (_, c) in rows("concepts.tsv", table("concepts.tsv"), 2)? {
        lx.concepts.push((c[0], c[1]));
    }
    for (_, c) in rows("irregular.tsv", table("irregular.tsv"), 2)? {
        lx.irregular.insert(c[0], c[1]);
    }
    for (_, c) in rows("stopwords.tsv", table("stopwords.tsv"), 2)? {
        lx.stopwords.insert(c[1]);
    }
    for (line, c) in rows("numbers.tsv", table("numbers.tsv"), 2)? {
        let Ok(value) = c[1].parse::<f64>() else {
            return Err(bad(
                "numbers.tsv",
                line,
                format!("{:?} is not a number", c[1]),
            ));
        };
        lx.numbers.insert(c[0], value);
    }
    for (line, c) in rows("bounds.tsv", table("bounds.tsv"), 2)? {
        let bound = match c[0] {
            "more-than" => Bound::MoreThan,
            "at-least" => Bound::AtLeast,
            "less-than" => Bound::LessThan,
            "at-most" => Bound::AtMost,
            "about" => Bound::About,
            "exactly" => Bound::Exactly,
            other => {
                return Err(bad(
                    "bounds.tsv",
                    line,
                    format!(
                        "unknown bound {other:?}: use more-than, at-least, less-than, at-most, \
                         about or exactly"
                    ),
                ));
            }
        };
        lx.bounds.push((bound, c[1].split(' ').collect()));
    }
    Ok(lx)
}

/// The lexicon, read once. The tables are part of the program and a test reads them all, so a
/// row that does not read is a build that must not ship.
pub fn get() -> &'static Lexicon {
    static LEXICON: OnceLock<Lexicon> = OnceLock::new();
    LEXICON.get_or_init(|| read().unwrap_or_else(|e| panic!("{e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_table_reads() {
        let lx = read().unwrap();
        assert!(lx.negators.contains("not"));
        assert!(lx.negation_ends.contains("pas"));
        assert!(!lx.markers.is_empty() && !lx.opposed.is_empty());
        assert!(
            lx.opposed
                .iter()
                .all(|p| !p.left.is_empty() && !p.right.is_empty())
        );
        assert_eq!(lx.irregular.get("sold"), Some(&"sell"));
        assert_eq!(lx.numbers.get("huit"), Some(&8.0));
        assert!(
            lx.bounds
                .iter()
                .any(|(b, p)| *b == Bound::AtLeast && p == &["au", "moins"])
        );
    }

    #[test]
    fn a_bad_row_names_its_file_and_line() {
        let e = rows("markers.tsv", "# c\nonly\tonly\n", 3).unwrap_err();
        assert_eq!(e.line, 2);
        assert!(
            e.to_string()
                .starts_with("src/claims/lexicon/markers.tsv:2:"),
            "{e}"
        );
        assert!(rows("x", "a\t b\n", 2).is_err(), "stray space");
    }
}
