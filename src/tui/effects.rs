//! Performing what `update` asks for: reading the corpus, writing through the write path,
//! searching, the clipboard and the editor. Each effect's result comes back as an action for
//! `update`; nothing here changes the state. [`turn`] runs an action and every effect that
//! follows from it: the event loop and the tests both go through it, the tests with
//! [`Offline`] in place of the terminal.

use std::io;
use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

use super::action::{Action, Effect, Loaded, Payload, Write, Written, Wrote};
use super::app::{App, UndoStep};
use super::update::update;
use crate::model::fingerprint;
use crate::query::Filter;

/// What effects need from outside the program's own state: the search thread, the terminal
/// (for the clipboard) and the editor.
pub trait Outside {
    /// Starts a search; the answer comes back now (as an action) or later, from the loop.
    fn search(
        &mut self,
        app: &App,
        generation: u64,
        filter: Filter,
        text: String,
    ) -> Option<Action>;
    /// Starts matching a statement being typed against the record; the answer comes back now
    /// (as an action) or later, from the loop.
    fn match_quote(&mut self, app: &App, question: Question) -> Option<Action>;
    /// Starts finding who last changed a statement; the answer comes back now (as an
    /// action) or later, from the loop.
    fn history(&mut self, file: &Path, statement: &str) -> Option<Action>;
    /// Sends text to the clipboard.
    fn copy(&mut self, text: &str) -> io::Result<()>;
    /// Runs the editor on a file at a line, and says how it went.
    fn edit(&mut self, path: &Path, line: u32) -> io::Result<Result<(), String>>;
}

/// The outside world for tests and benchmarks: searches answered on the spot, copies and
/// editor runs recorded instead of made.
#[derive(Debug, Default)]
pub struct Offline {
    pub copied: Vec<String>,
    pub edited: Vec<(std::path::PathBuf, u32)>,
}

impl Outside for Offline {
    fn search(
        &mut self,
        app: &App,
        generation: u64,
        filter: Filter,
        text: String,
    ) -> Option<Action> {
        let started = Instant::now();
        let index = crate::search::SearchIndex::new(&app.corpus);
        let hits = index.search(&app.corpus, &text, &filter, super::worker::LIMIT);
        Some(Action::Results(generation, hits, started.elapsed()))
    }

    fn match_quote(&mut self, app: &App, question: Question) -> Option<Action> {
        Some(question.answer(&app.corpus))
    }

    fn history(&mut self, file: &Path, statement: &str) -> Option<Action> {
        Some(last_changed(file, statement))
    }

    fn copy(&mut self, text: &str) -> io::Result<()> {
        self.copied.push(text.to_string());
        Ok(())
    }

    fn edit(&mut self, path: &Path, line: u32) -> io::Result<Result<(), String>> {
        self.edited.push((path.to_path_buf(), line));
        Ok(Ok(()))
    }
}

/// How long reading a statement's history may take before the line is left out.
const HISTORY_BUDGET: std::time::Duration = std::time::Duration::from_millis(300);

/// "last changed by X on D" for a statement, as an action for `update`.
pub fn last_changed(file: &Path, statement: &str) -> Action {
    let line = crate::git::history::last_changed_line(file, statement, HISTORY_BUDGET);
    Action::History(file.to_path_buf(), statement.to_string(), line)
}

/// A question for the "said before?" panel, as [`Effect::Match`] asks it.
#[derive(Debug, Clone)]
pub struct Question {
    pub generation: u64,
    pub text: String,
    pub filter: Filter,
    pub except: Option<crate::model::StatementRef>,
}

impl Question {
    /// The statements on record that say the same as the text, or the opposite, as an action
    /// for `update`.
    pub fn answer(self, corpus: &crate::store::Corpus) -> Action {
        let limit = super::app::SAID_BEFORE;
        let mut found = crate::matching::match_quote(corpus, &self.text, &self.filter, limit + 1);
        found.retain(|m| Some(&m.reference) != self.except.as_ref());
        found.truncate(limit);
        Action::Matched(self.generation, Payload::new(found))
    }
}

/// Runs an action through `update` and performs every effect that follows; true when the
/// interface should close.
pub fn turn(app: &mut App, action: Action, outside: &mut impl Outside) -> io::Result<bool> {
    let effect = update(app, action);
    settle(app, effect, outside)
}

/// Performs an effect and every effect that follows from it; true when the interface should
/// close.
pub fn settle(
    app: &mut App,
    mut effect: Option<Effect>,
    outside: &mut impl Outside,
) -> io::Result<bool> {
    while let Some(e) = effect.take() {
        if e == Effect::Quit {
            return Ok(true);
        }
        if let Some(action) = perform(app, e, outside)? {
            effect = update(app, action);
        }
    }
    Ok(false)
}

/// Performs one effect; what came of it, as an action.
pub fn perform(
    app: &App,
    effect: Effect,
    outside: &mut impl Outside,
) -> io::Result<Option<Action>> {
    Ok(match effect {
        Effect::Quit => None,
        Effect::Search {
            generation,
            filter,
            text,
        } => outside.search(app, generation, filter, text),
        Effect::Match {
            generation,
            text,
            filter,
            except,
        } => outside.match_quote(
            app,
            Question {
                generation,
                text,
                filter: *filter,
                except,
            },
        ),
        Effect::History { file, statement } => outside.history(&file, &statement),
        Effect::Reload(select) => Some(reload(&app.dir, select)),
        Effect::Copy(text) => {
            outside.copy(&text)?;
            None
        }
        Effect::Edit { path, line } => Some(Action::EditorExited(outside.edit(&path, line)?)),
        Effect::Write(w) => w.get().map(|w| Action::Wrote(Payload::new(write(app, w)))),
    })
}

/// Reads the corpus in `dir`.
pub fn reload(dir: &Path, select: Option<crate::model::StatementRef>) -> Action {
    let started = Instant::now();
    let corpus = crate::store::load(dir);
    Action::Loaded(Payload::new(Loaded {
        corpus,
        took: started.elapsed(),
        select,
        message: None,
    }))
}

/// The file's bytes now, if its fingerprint is the one the write will expect: what `u`
/// would put back.
fn before(path: &Path, expected: Option<u64>) -> Option<Arc<Vec<u8>>> {
    let bytes = std::fs::read(path).ok()?;
    expected
        .is_none_or(|e| e == fingerprint(&bytes))
        .then(|| Arc::new(bytes))
}

/// What a write left in `path`, to take it back later.
fn undo_step(path: &Path, before: Option<Arc<Vec<u8>>>, what: String) -> Option<UndoStep> {
    let after = Some(fingerprint(&std::fs::read(path).ok()?));
    Some(UndoStep {
        path: path.to_path_buf(),
        before,
        after,
        what,
        created: Vec::new(),
    })
}

/// Adds a source through the write path, as `onrecord source add` does: every problem found
/// before anything is written, its saved copy copied into `sources/<incident>/`.
fn add_source(
    app: &App,
    incident: &str,
    source: &crate::write::NewSource,
    expected: Option<u64>,
) -> Result<Written, crate::write::WriteError> {
    let corpus = &app.corpus;
    let problems = crate::write::validate_source(corpus, incident, source);
    if !problems.is_empty() {
        return Err(crate::write::WriteError::Invalid(problems));
    }
    let old = corpus
        .incident(incident)
        .and_then(|i| before(&i.path, expected));
    let added = crate::write::add_source(corpus, incident, source, expected)?;
    let what = format!("add source {} to {incident}", added.id);
    let undo = old.and_then(|old| {
        let mut step = undo_step(&added.path, Some(old), what)?;
        // A copy that was already there, identical, belongs to whoever put it there.
        if let Some((rel, _)) = added.snapshot.as_ref().filter(|_| !added.reused) {
            let copy = corpus.root.join(rel);
            let left = fingerprint(&std::fs::read(&copy).ok()?);
            step.created.push((copy, left));
        }
        Some(step)
    });
    Ok(Written {
        outcome: crate::write::WriteOutcome {
            path: added.path,
            id: Some(added.id),
        },
        undo,
    })
}

/// Makes a write through the write path, keeping what it takes to undo it.
fn write(app: &App, w: Write) -> Wrote {
    let corpus = &app.corpus;
    let result = match &w {
        Write::Statement {
            incident,
            statement,
            expected,
        } => {
            let old = corpus
                .incident(incident)
                .and_then(|i| before(&i.path, *expected));
            crate::write::add_statement(corpus, incident, statement, *expected).map(|outcome| {
                let what = format!(
                    "add {}#{}",
                    incident,
                    outcome.id.clone().unwrap_or_default()
                );
                let undo = old.and_then(|old| undo_step(&outcome.path, Some(old), what));
                Written { outcome, undo }
            })
        }
        Write::Incident {
            id,
            company,
            title,
            tags,
        } => crate::write::new_incident(&app.dir, id, company, title, tags).map(|outcome| {
            let undo = undo_step(&outcome.path, None, format!("create incident {id}"));
            Written { outcome, undo }
        }),
        Write::Tag { request, expected } => {
            let old = crate::write::tag_target(corpus, &request.a, &request.b)
                .ok()
                .and_then(|i| before(&i.path, *expected));
            crate::write::tag(corpus, request, *expected).map(|outcome| {
                let what = format!("tag {} and {} {}", request.a, request.b, request.verdict);
                let undo = old.and_then(|old| undo_step(&outcome.path, Some(old), what));
                Written { outcome, undo }
            })
        }
        Write::Untag { a, b, expected } => {
            let old = crate::write::tag_target(corpus, a, b)
                .ok()
                .and_then(|i| before(&i.path, *expected));
            crate::write::untag(corpus, a, b, *expected).map(|outcome| {
                let what = format!("remove the verdict on {a} and {b}");
                let undo = old.and_then(|old| undo_step(&outcome.path, Some(old), what));
                Written { outcome, undo }
            })
        }
        Write::EditStatement {
            statement,
            fields,
            expected,
        } => {
            let old = corpus
                .incident(&statement.incident)
                .and_then(|i| before(&i.path, *expected));
            crate::write::edit_statement(corpus, statement, fields, *expected).map(|outcome| {
                let what = format!("change {statement}");
                let undo = old.and_then(|old| undo_step(&outcome.path, Some(old), what));
                Written { outcome, undo }
            })
        }
        Write::RemoveStatement {
            statement,
            expected,
        } => {
            let old = corpus
                .incident(&statement.incident)
                .and_then(|i| before(&i.path, *expected));
            crate::write::remove_statement(corpus, statement, *expected).map(|outcome| {
                let what = format!("remove {statement}");
                let undo = old.and_then(|old| undo_step(&outcome.path, Some(old), what));
                Written { outcome, undo }
            })
        }
        Write::RemoveIncident { id, expected } => {
            let old = corpus.incident(id).and_then(|i| before(&i.path, *expected));
            crate::write::remove_incident(corpus, id, *expected).map(|outcome| {
                let undo = old.map(|old| UndoStep {
                    path: outcome.path.clone(),
                    before: Some(old),
                    after: None,
                    what: format!("remove incident {id}"),
                    created: Vec::new(),
                });
                Written { outcome, undo }
            })
        }
        Write::Source {
            incident,
            source,
            expected,
        } => add_source(app, incident, source, *expected),
        Write::Undo(step) => crate::write::restore(
            &step.path,
            step.after,
            step.before.as_deref().map(|b| &b[..]),
        )
        .map(|outcome| {
            // The entry is gone: a copy it alone named goes too, unless changed since.
            for (copy, left) in &step.created {
                let _ = crate::write::restore(copy, Some(*left), None);
            }
            Written {
                outcome,
                undo: None,
            }
        }),
    };
    Wrote { write: w, result }
}
