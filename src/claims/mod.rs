//! Claim analysis, the crate's language layer: what a statement claims and how two statements
//! differ in it, in English and French. [`crate::diff`], [`crate::suggest`],
//! [`crate::timeline`] and `match` all read statements through here.
//!
//! - [`tokenize`]: a text into words, numbers, spaces and punctuation, with byte offsets.
//! - [`lexicon`]: the word lists, read from the tables in `src/claims/lexicon/` (data a
//!   linguist extends without reading Rust; the format is in that folder's README).
//! - [`analysis`]: a text's words and the markers among them (negations and what they deny,
//!   restrictions, hedges, time words, quantities, numbers, opposed words).
//! - [`terms`]: the words a statement is about: stems, stop words, shared concepts.
//! - [`compare`]: the changes that matter between two statements, and how alike they are.
//! - [`evidence`]: how much those changes count as a contradiction, for `suggest` and `match`.

pub mod analysis;
pub mod compare;
pub mod evidence;
pub mod lexicon;
pub mod terms;
pub mod tokenize;

pub use analysis::{Analysis, Category, Marker, Opposed, Word, analyze, analyze_tokens};
pub use compare::{
    ChangeKind, ClaimChange, Compared, agree_through_negation, changes, comparable, english, flips,
    similarity,
};
pub use terms::{content_terms, is_content, is_stopword, negated_heads, negated_stems, stem};
pub use tokenize::{Fnv, Token, TokenKind, WordMap, tokenize};

/// How much of a text is read for its claims: the first 256 KiB (some 40,000 words, a long
/// report). A statement past that is read up to there, so that one 175 MB statement costs
/// what a long report costs, in `suggest`, `timeline`, `match` and the diff's list of changes
/// (the word diff itself runs under its own deadline).
pub const MAX_ANALYSED_BYTES: usize = 256 * 1024;

/// The part of a text that is read for its claims: at most [`MAX_ANALYSED_BYTES`], cut at a
/// character boundary.
pub fn analysed_part(text: &str) -> &str {
    if text.len() <= MAX_ANALYSED_BYTES {
        return text;
    }
    let mut end = MAX_ANALYSED_BYTES;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// The items sorted, each once.
pub(crate) fn sorted_unique<T: Ord>(items: impl Iterator<Item = T>) -> Vec<T> {
    let mut v: Vec<T> = items.collect();
    v.sort_unstable();
    v.dedup();
    v
}
