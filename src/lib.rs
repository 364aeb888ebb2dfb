//! onrecord keeps what companies said on the record, one TOML file per incident, and sets a
//! claim beside what the same company said or did later.
//!
//! Which module owns what:
//! - [`model`]: incidents, sources, statements, verdicts, references and dates; no I/O.
//! - [`parse`]: one file's text into an incident, with a diagnostic for every broken rule.
//! - [`check`]: diagnostics, and the rules that span files.
//! - [`query`]: filters shared by every command and the search box.
//! - [`search`]: matching and ranking statements for a query, with what to highlight.
//! - [`store`]: finding and loading a corpus folder.
//! - [`snapshot`]: a source's saved copy: found safely, size-limited, hash-checked, its
//!   visible text in the form quotes are compared in.
//! - [`verify`]: every quote against its source's saved copy.
//! - [`fold`]: folding text for matching (case, accents, ligatures, quotes).
//! - [`text`]: making record text safe to print.
//! - [`output`]: the one JSON writer and the one CSV row writer every command prints with.
//! - [`export`]: the corpus, or a filtered part, as JSON, JSON Lines, CSV, Markdown,
//!   ClaimReview or SQLite.
//! - [`atomic`]: replacing or creating a file all at once, for the write path and exports.
//! - [`write`]: the one write path: tag, untag, new, add, atomic and locked.
//! - [`claims`]: claim analysis, the language layer: tokenizer, word lists (data tables),
//!   negations and other markers, stems, and the changes that matter between two statements.
//! - [`diff`]: word diff of two statements, and the changes that matter between them.
//! - [`suggest`]: candidate contradictions, ranked, with their reasons.
//! - [`matching`]: a new quote against the record: statements that say the same or the opposite.
//! - [`timeline`]: what an organization said by date, or a claim against what it said later.
//! - [`config`]: the config file's place, and its `[export]` settings.
//! - [`cli`]: one module per command, each printing to any `io::Write`.
//! - [`tui`]: the terminal interface; the only module that knows ratatui and crossterm.
//! - [`generate`]: a deterministic made-up corpus of any size, for benchmarks and tests.

pub mod atomic;
pub mod check;
pub mod claims;
pub mod cli;
pub mod config;
pub mod diff;
pub mod export;
pub mod fold;
pub mod generate;
pub mod matching;
pub mod model;
pub mod output;
pub mod parse;
pub mod query;
pub mod search;
pub mod snapshot;
pub mod store;
pub mod suggest;
pub mod text;
pub mod timeline;
pub mod tui;
pub mod verify;
pub mod write;

pub use check::{Diagnostic, Severity};
pub use model::{Contradiction, Date, Incident, Kind, Source, Statement, StatementRef, Verdict};
pub use store::Corpus;
