//! `update`: the one place the state changes. It never touches the terminal or the disk;
//! what needs them comes back as an [`Effect`] for the event loop to perform, and what the
//! effect found comes back here as an action (results, a corpus loaded, a write done, the
//! editor closed). Keys go to the view or dialog on top of the stack.

use super::action::{Action, Effect, Loaded, Payload, Write, Wrote};
use super::app::{
    App, Confirm, DiffView, FieldValue, Form, FormKind, Layer, Message, NEW_SOURCE, OnRecord, Pane,
    TagDialog, TagField, View, field, position,
};
use super::input::TextField;
use super::layout::{inner_rows, keep_visible, search_results, suggestion_list, timeline_list};
use super::safe;
use crate::model::{Incident, Statement, StatementRef, Verdict};
use crate::store::Position;
use crate::write::WriteError;

/// Applies one action to the state.
pub fn update(app: &mut App, action: Action) -> Option<Effect> {
    // Any key but Esc takes back a pending "discard?"; what comes from elsewhere does not.
    if !matches!(
        action,
        Action::Back
            | Action::Paused()
            | Action::Settled()
            | Action::History(..)
            | Action::Matched(..)
            | Action::Drawn(_)
    ) {
        if let Some(t) = app.tag_mut() {
            t.confirm_discard = false;
        }
        if let Some(f) = app.form_mut() {
            f.confirm_discard = false;
        }
    }
    // Events, whatever is on top.
    match action {
        Action::Results(generation, hits, took) => {
            // An answer to a query typed over since, or to a corpus since reloaded, is stale.
            if generation == app.search.generation {
                app.search.answered = generation;
                app.search.hits = hits;
                app.search.took = took;
                app.search.selected = 0;
                app.search.offset = 0;
            }
            return None;
        }
        Action::Resize(w, h) => {
            app.size = (w, h);
            app.scroll_into_view();
            return None;
        }
        Action::Drawn(drawn) => {
            app.drawn = drawn;
            clamp_scrolling(app);
            return None;
        }
        Action::Loaded(payload) => return loaded(app, payload),
        Action::Wrote(payload) => return wrote(app, payload),
        Action::EditorExited(Ok(())) => return Some(Effect::Reload(None)),
        Action::EditorExited(Err(e)) => return note(app, &e, true),
        Action::Click(x, y) => {
            click(app, x, y);
            return None;
        }
        Action::Scroll(x, y, rows) => {
            if app.view() == View::Browse
                && let Some(pane) = pane_at(app, x, y)
            {
                app.focus = pane;
            }
            step(app, isize::from(rows));
            return None;
        }
        Action::Paused() => return said_before(app),
        Action::Settled() => {
            let (file, statement) = app.history_due()?;
            app.asking_history = Some((file.clone(), statement.clone()));
            return Some(Effect::History { file, statement });
        }
        Action::History(file, statement, line) => {
            let key = (file, statement);
            if app.asking_history.as_ref() == Some(&key) {
                app.asking_history = None;
            }
            app.last_changed.insert(key, line);
            return None;
        }
        Action::Matched(generation, found) => {
            let asked = app.stack.iter_mut().find_map(|l| match l {
                Layer::Form(f) if f.said.generation == generation => Some(f),
                _ => None,
            });
            if let Some(f) = asked
                && let Some(found) = found.take()
            {
                f.said.matches = found;
                f.said.pending = false;
            }
            return None;
        }
        Action::Quit => return Some(Effect::Quit),
        Action::Help => {
            if app.view() != View::Help {
                app.push(Layer::Help { scroll: 0 });
            }
            return None;
        }
        _ => {}
    }
    match app.view() {
        View::Tag => tag_key(app, action),
        View::Form => form_key(app, action),
        View::Confirm => confirm_key(app, action),
        View::Search => search_key(app, action),
        View::Filter => filter_key(app, action),
        _ => view_key(app, action),
    }
}

/// Keeps every scroll offset within what the last frame drew.
fn clamp_scrolling(app: &mut App) {
    let d = app.drawn;
    app.detail_scroll = app.detail_scroll.min(d.detail.max_scroll());
    for l in &mut app.stack {
        match l {
            Layer::Help { scroll } => *scroll = (*scroll).min(d.help.max_scroll()),
            Layer::Incident { scroll } => *scroll = (*scroll).min(d.incident.max_scroll()),
            Layer::Diff(diff) => diff.scroll = diff.scroll.min(d.diff.max_scroll()),
            _ => {}
        }
    }
}

/// A corpus read from disk replaces the one shown, keeping the selection.
fn loaded(app: &mut App, payload: Payload<Loaded>) -> Option<Effect> {
    let loaded = payload.take()?;
    let first = app.loading.take().is_some();
    match loaded.corpus {
        Ok(corpus) => {
            app.replace_corpus(corpus);
            if let Some(t) = app.tag_mut() {
                t.changed_on_disk = false;
                t.confirm_replace = false;
                t.error = None;
            }
            if let Some(f) = app.form_mut() {
                f.changed_on_disk = false;
                f.error = None;
            }
            if let Some(r) = &loaded.select {
                app.go_to_ref(r);
            }
            let failed = app.corpus.failed.len();
            let n = app.corpus.incidents.len();
            if let Some(text) = loaded.message {
                note(app, &text, false);
            } else if !first && app.message.is_none() {
                let text = format!(
                    "Reloaded {n} incident{} in {} ms{}",
                    if n == 1 { "" } else { "s" },
                    loaded.took.as_millis(),
                    if failed > 0 {
                        format!(
                            "; {failed} failed to load ({} lists them)",
                            key(app, View::Browse, Action::Failed)
                        )
                    } else {
                        String::new()
                    }
                );
                note(app, &text, failed > 0);
            }
            // A search typed before the (re)load asks again, against the corpus now loaded.
            if app.stack.iter().any(|l| l.view() == View::Search) {
                return query(app);
            }
            None
        }
        Err(e) => note(app, &e.to_string(), true),
    }
}

/// A write came back: on success the dialog that asked for it closes and the corpus is read
/// again; a failure stays in the dialog, with what was typed.
fn wrote(app: &mut App, payload: Payload<Wrote>) -> Option<Effect> {
    let Wrote { write, result } = payload.take()?;
    let undo = key(app, View::Browse, Action::Undo);
    match result {
        Ok(written) => {
            let path = written.outcome.path.display().to_string();
            let (text, select) = match &write {
                Write::Statement { incident, .. } => {
                    let r =
                        StatementRef::new(incident, written.outcome.id.clone().unwrap_or_default());
                    (format!("Wrote {r} to {path} ({undo} undoes)"), Some(r))
                }
                Write::Incident { id, .. } => (
                    format!("Wrote {path} ({undo} undoes)"),
                    Some(StatementRef::new(id, "")),
                ),
                Write::Tag { request, .. } => (
                    format!(
                        "Tagged {} and {} {} in {path} ({undo} undoes)",
                        request.a, request.b, request.verdict
                    ),
                    None,
                ),
                Write::Untag { a, b, .. } => (
                    format!("Removed the verdict on {a} and {b} from {path} ({undo} undoes)"),
                    None,
                ),
                Write::EditStatement { statement, .. } => (
                    format!("Changed {statement} in {path} ({undo} undoes)"),
                    Some(statement.clone()),
                ),
                Write::RemoveStatement { statement, .. } => (
                    format!("Removed {statement} from {path} ({undo} undoes)"),
                    Some(StatementRef::new(&statement.incident, "")),
                ),
                Write::RemoveIncident { .. } => (format!("Removed {path} ({undo} undoes)"), None),
                Write::Source { incident, .. } => (
                    format!(
                        "Added the source {} to {incident} in {path} ({undo} undoes)",
                        written.outcome.id.as_deref().unwrap_or_default()
                    ),
                    None,
                ),
                Write::Undo(step) => (format!("Undid: {} ({path})", step.what), None),
            };
            match &write {
                Write::Undo(_) => {
                    app.undo.pop();
                }
                _ => app.undo.extend(written.undo),
            }
            // The dialog that asked for the write is done.
            match write {
                Write::Statement { .. } | Write::Incident { .. } | Write::EditStatement { .. } => {
                    app.stack.retain(|l| !matches!(l, Layer::Form(_)));
                }
                Write::Tag { .. } => app.stack.retain(|l| !matches!(l, Layer::Tag(_))),
                // The source form closes; the statement form it was opened from has the new
                // source chosen.
                Write::Source { source, .. } => {
                    if let Some(at) = app.stack.iter().rposition(|l| {
                        matches!(l, Layer::Form(f) if matches!(f.kind, FormKind::Source { .. }))
                    }) {
                        app.stack.remove(at);
                    }
                    if let (Some(f), Some(id)) = (app.form_mut(), written.outcome.id.as_deref()) {
                        f.pick_new_source(id, &source.outlet);
                    }
                }
                _ => {}
            }
            if app.stack.is_empty() {
                app.stack.push(Layer::Browse);
            }
            app.message = Some(Message { text, error: false });
            Some(Effect::Reload(select))
        }
        Err(e) => {
            write_failed(app, &write, e);
            None
        }
    }
}

fn write_failed(app: &mut App, write: &Write, e: WriteError) {
    let changed = matches!(e, WriteError::ChangedOnDisk(_));
    match write {
        Write::Tag { request, .. } if app.tag().is_some() => {
            let reload = key(app, View::Tag, Action::Reload);
            let keep = key(app, View::Tag, Action::Back);
            let on_record = app
                .corpus
                .contradictions()
                .find(|(_, c)| c.involves_pair(&request.a, &request.b))
                .map(|(_, c)| on_record(c));
            let Some(t) = app.tag_mut() else { return };
            t.changed_on_disk = changed;
            t.error = Some(match &e {
                WriteError::ChangedOnDisk(_) => {
                    t.confirm_replace = false;
                    format!("{e} Press {reload} to reload, then save again.")
                }
                WriteError::AlreadyTagged(old) => {
                    t.confirm_replace = true;
                    if t.on_record.is_none() {
                        t.on_record = on_record;
                    }
                    format!(
                        "This pair already has a verdict ({}) in {}. Save again to replace it, \
                         {keep} to keep it.",
                        old.verdict,
                        old.path.display()
                    )
                }
                _ => e.to_string(),
            });
        }
        Write::Statement { .. }
        | Write::Incident { .. }
        | Write::EditStatement { .. }
        | Write::Source { .. }
            if app.form().is_some() =>
        {
            let reload = key(app, View::Form, Action::Reload);
            let Some(f) = app.form_mut() else { return };
            f.changed_on_disk = changed;
            match e {
                WriteError::Invalid(problems) => {
                    f.problems = problems;
                    f.error = Some("Nothing was written: fix the fields in red.".into());
                }
                e if changed => {
                    f.error = Some(format!("{e} Press {reload} to reload, then save again."))
                }
                e => f.error = Some(e.to_string()),
            }
        }
        Write::Undo(step) => {
            let text = if changed {
                format!(
                    "Not undone: {} changed since this session wrote it; nothing was written",
                    step.path.display()
                )
            } else {
                format!("Not undone: {e}")
            };
            app.undo.pop();
            note(app, &text, true);
        }
        _ => {
            let reload = key(app, View::Browse, Action::Reload);
            note(app, &format!("{e} ({reload} reloads)"), true);
        }
    }
}

/// Edits a text field with an editing action; `None` when the action is not an edit.
/// Returns whether the text changed.
fn edit_text(field: &mut TextField, action: &Action) -> Option<bool> {
    let before = field.text().len();
    let before_text = (before < 4096).then(|| field.text().to_string());
    match action {
        Action::Input(c) => field.insert(c.encode_utf8(&mut [0; 4])),
        Action::Paste(s) => field.insert(s),
        Action::DeleteChar => field.backspace(),
        Action::DeleteForward => field.delete(),
        Action::DeleteWord => field.delete_word(),
        Action::ClearInput => field.clear(),
        Action::CursorLeft => field.left(),
        Action::CursorRight => field.right(),
        Action::WordLeft => field.word_left(),
        Action::WordRight => field.word_right(),
        Action::LineStart => field.home(),
        Action::LineEnd => field.end(),
        Action::Up if field.multiline => {
            field.up();
        }
        Action::Down if field.multiline => {
            field.down();
        }
        Action::Up | Action::Down => {}
        Action::Submit if field.multiline => field.insert("\n"),
        _ => return None,
    }
    let changed = match before_text {
        Some(t) => t != field.text(),
        None => before != field.text().len() || matches!(action, Action::Input(_)),
    };
    Some(changed)
}

/// Moves a choice by one, for the arrows on a list field.
fn choose(at: &mut usize, len: usize, action: &Action) -> bool {
    if len == 0 {
        return false;
    }
    match action {
        Action::Up | Action::CursorLeft => *at = (*at + len - 1) % len,
        Action::Down | Action::CursorRight => *at = (*at + 1) % len,
        _ => return false,
    }
    true
}

fn tag_key(app: &mut App, action: Action) -> Option<Effect> {
    let tagger = app.tagger().to_string();
    let t = app.tag_mut()?;
    match action {
        Action::Back => {
            if t.touched && !t.confirm_discard {
                t.confirm_discard = true;
            } else {
                app.pop();
            }
            None
        }
        Action::Reload => Some(Effect::Reload(None)),
        Action::NextField | Action::PrevField => {
            use TagField::*;
            let order = [Verdict, Reviewed, Claim, Note];
            let at = order.iter().position(|f| *f == t.field).unwrap_or(0);
            let n = order.len();
            t.field = order[if action == Action::NextField {
                (at + 1) % n
            } else {
                (at + n - 1) % n
            }];
            None
        }
        Action::Save => save_tag(app, tagger),
        Action::Submit if t.field != TagField::Note => save_tag(app, tagger),
        action => {
            match t.field {
                TagField::Verdict => {
                    if choose(&mut t.verdict, Verdict::ALL.len(), &action) {
                        t.touched = true;
                        t.confirm_replace = false;
                    }
                }
                TagField::Reviewed => {
                    if matches!(
                        action,
                        Action::Up
                            | Action::Down
                            | Action::CursorLeft
                            | Action::CursorRight
                            | Action::Input(' ')
                    ) {
                        t.reviewed_later = !t.reviewed_later;
                        t.touched = true;
                    }
                }
                TagField::Claim | TagField::Note => {
                    let field = if t.field == TagField::Claim {
                        &mut t.claim
                    } else {
                        &mut t.note
                    };
                    if edit_text(field, &action) == Some(true) {
                        t.touched = true;
                    }
                }
            }
            None
        }
    }
}

fn save_tag(app: &mut App, tagger: String) -> Option<Effect> {
    let (reload, keep) = (
        key(app, View::Tag, Action::Reload),
        key(app, View::Tag, Action::Back),
    );
    let t = app.tag()?;
    let (a, b) = (t.a.clone(), t.b.clone());
    let expected = crate::write::tag_target(&app.corpus, &a, &b)
        .ok()
        .map(|i| i.fingerprint);
    let t = app.tag_mut()?;
    if t.changed_on_disk {
        t.error = Some(format!(
            "The file changed on disk since it was loaded: press {reload} to reload, then save"
        ));
        return None;
    }
    // A verdict already on record is a colleague's decision: replacing it takes a second
    // save after the dialog has said what it would replace.
    if let Some(old) = &t.on_record
        && !t.confirm_replace
    {
        t.error = Some(format!(
            "This pair already has a verdict ({}). Save again to replace it, {keep} to keep it.",
            old.verdict
        ));
        t.confirm_replace = true;
        return None;
    }
    let opt = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
    // The file's default is the later statement: say which only when it is not, or when
    // replacing a verdict whose side the dialog shows.
    let reviewed = (!t.reviewed_later || t.on_record.is_some()).then(|| t.reviewed().clone());
    let request = crate::write::TagRequest {
        reviewed,
        a,
        b,
        verdict: Verdict::ALL[t.verdict],
        claim: opt(t.claim.text()),
        note: opt(t.note.text()),
        by: tagger,
        replace: t.confirm_replace,
    };
    Some(Effect::Write(Payload::new(Write::Tag {
        request,
        expected,
    })))
}

fn form_key(app: &mut App, action: Action) -> Option<Effect> {
    let f = app.form_mut()?;
    match action {
        Action::Back => {
            if f.touched && !f.confirm_discard {
                f.confirm_discard = true;
            } else {
                app.pop();
            }
            None
        }
        Action::Reload => Some(Effect::Reload(None)),
        Action::NextField | Action::PrevField => {
            let n = f.fields.len();
            f.focus = if action == Action::NextField {
                (f.focus + 1) % n
            } else {
                (f.focus + n - 1) % n
            };
            None
        }
        Action::Save => save_form(app),
        Action::Submit if f.on_new_source() => {
            open_source_form(app);
            None
        }
        Action::Submit if !matches!(f.focused(), Some(FieldValue::Text(t)) if t.multiline) => {
            save_form(app)
        }
        action => {
            let changed = match f.focused() {
                Some(FieldValue::Text(t)) => edit_text(t, &action) == Some(true),
                Some(FieldValue::Choice { options, at }) => choose(at, options.len(), &action),
                None => false,
            };
            if changed {
                f.touched = true;
                f.warned = false;
            }
            if changed && f.on_new_source() {
                let enter = key(app, View::Form, Action::Submit);
                return note(
                    app,
                    &format!("{enter} opens a form for the new source"),
                    false,
                );
            }
            None
        }
    }
}

/// Asks what the record says of the statement typed in the form on top, when its "said
/// before?" panel is behind the text; an empty text empties the panel.
fn said_before(app: &mut App) -> Option<Effect> {
    if !app.said_before_due() {
        return None;
    }
    app.said_generation += 1;
    let generation = app.said_generation;
    let corpus = app.corpus.clone();
    let f = app.form_mut()?;
    let (text, whose) = f.said_query(&corpus)?;
    f.said.asked = Some((text.clone(), whose.clone()));
    f.said.generation = generation;
    if text.is_empty() {
        f.said.matches.clear();
        return None;
    }
    let mut filter = crate::query::Filter::default();
    let field = if f.value(field::ORGANIZATION).is_empty() {
        "company"
    } else {
        "organization"
    };
    filter.add(field, &whose).ok()?;
    let except = match &f.kind {
        FormKind::Edit { statement } => Some(statement.clone()),
        _ => None,
    };
    f.said.pending = true;
    Some(Effect::Match {
        generation,
        text,
        filter: Box::new(filter),
        except,
    })
}

/// What `check` warns about in a statement that is otherwise fine to write.
fn statement_warnings(f: &Form) -> Vec<String> {
    let mut out = Vec::new();
    if f.value(field::SOURCE).is_empty() && f.value(field::URL).is_empty() {
        out.push(
            "No source and no URL: a reader cannot check where this was said. Save again to \
             write it anyway."
                .to_string(),
        );
    }
    if !f.value(field::LANG).is_empty()
        && f.value(field::LANG) != "en"
        && f.value(field::TRANSLATION).is_empty()
    {
        out.push("Not in English and no translation: diffs will compare it as it is.".into());
    }
    out
}

/// Validates the open form as `check` would, then asks for it to be written through the same
/// path as `onrecord add` / `onrecord new`. Problems stay in the form; nothing is written
/// while there are any.
fn save_form(app: &mut App) -> Option<Effect> {
    let reload = key(app, View::Form, Action::Reload);
    let f = app.form()?;
    if f.changed_on_disk {
        let f = app.form_mut()?;
        f.error = Some(format!(
            "The file changed on disk since it was loaded: press {reload} to reload, then save"
        ));
        return None;
    }
    let tags = |v: &str| -> Vec<String> {
        v.split(',')
            .map(|t| t.trim().to_string())
            .filter(|t| !t.is_empty())
            .collect()
    };
    let write = match &f.kind {
        FormKind::Statement { .. } | FormKind::Edit { .. } => {
            let (incident, editing) = match &f.kind {
                FormKind::Statement { incident } => (incident.clone(), None),
                FormKind::Edit { statement } => {
                    (statement.incident.clone(), Some(statement.clone()))
                }
                FormKind::Incident | FormKind::Source { .. } => unreachable!("matched above"),
            };
            let opt = |name: &str| Some(f.value(name).to_string()).filter(|v| !v.is_empty());
            let kind = crate::model::Kind::parse(f.value(field::KIND));
            let source = opt(field::SOURCE).filter(|s| s != NEW_SOURCE);
            let statement = crate::write::NewStatement {
                date: f.value(field::DATE).to_string(),
                speaker: f.value(field::SPEAKER).to_string(),
                text: text_value(f, field::TEXT),
                kind,
                lang: opt(field::LANG),
                translation: Some(text_value(f, field::TRANSLATION))
                    .filter(|t| !t.trim().is_empty()),
                channel: opt(field::CHANNEL),
                source,
                via: opt(field::VIA),
                url: opt(field::URL),
                role: opt(field::ROLE),
                organization: opt(field::ORGANIZATION),
                tags: tags(f.value(field::TAGS)),
                note: Some(text_value(f, field::NOTE)).filter(|t| !t.trim().is_empty()),
                ..crate::write::NewStatement::default()
            };
            let mut problems = crate::write::validate_statement(&app.corpus, &incident, &statement);
            if f.value(field::SOURCE) == NEW_SOURCE {
                let enter = key(app, View::Form, Action::Submit);
                problems.push((
                    field::SOURCE.into(),
                    format!("press {enter} here to add the new source first, or pick another"),
                ));
            }
            let warnings = statement_warnings(f);
            let warned = f.warned;
            let expected = app.corpus.incident(&incident).map(|i| i.fingerprint);
            let f = app.form_mut()?;
            f.problems = problems;
            if !f.problems.is_empty() {
                f.error = Some("Nothing was written: fix the fields in red.".into());
                return None;
            }
            f.warnings = warnings;
            if !f.warnings.is_empty() && !warned {
                f.warned = true;
                f.error = None;
                return None;
            }
            match editing {
                Some(r) => Write::EditStatement {
                    statement: r,
                    fields: statement,
                    expected,
                },
                None => Write::Statement {
                    incident,
                    statement,
                    expected,
                },
            }
        }
        FormKind::Source { incident } => {
            let opt = |name: &str| Some(f.value(name).to_string()).filter(|v| !v.is_empty());
            let source = crate::write::NewSource {
                id: None,
                outlet: f.value(field::OUTLET).to_string(),
                url: opt(field::URL),
                published: opt(field::PUBLISHED),
                lang: opt(field::LANG),
                snapshot: opt(field::SNAPSHOT).map(|p| home_path(&p)),
            };
            Write::Source {
                incident: incident.clone(),
                source,
                expected: app.corpus.incident(incident).map(|i| i.fingerprint),
            }
        }
        FormKind::Incident => Write::Incident {
            id: f.value(field::ID).to_string(),
            company: f.value(field::COMPANY).to_string(),
            title: f.value(field::TITLE).to_string(),
            tags: tags(f.value(field::TAGS)),
        },
    };
    Some(Effect::Write(Payload::new(write)))
}

/// A path as typed: `~/` at its start is the home folder, as in a shell.
fn home_path(typed: &str) -> std::path::PathBuf {
    match (typed.strip_prefix("~/"), std::env::var_os("HOME")) {
        (Some(rest), Some(home)) => std::path::Path::new(&home).join(rest),
        _ => std::path::PathBuf::from(typed),
    }
}

/// Opens the source form over the statement form, for the statement's incident.
fn open_source_form(app: &mut App) {
    let incident = match app.form().map(|f| &f.kind) {
        Some(FormKind::Statement { incident }) => incident.clone(),
        Some(FormKind::Edit { statement }) => statement.incident.clone(),
        _ => return,
    };
    app.push(Layer::Form(Box::new(Form::source(&incident))));
}

/// A multi-line field's text as typed: inner line breaks kept, ends trimmed.
fn text_value(f: &Form, name: &str) -> String {
    f.fields
        .iter()
        .find(|fd| fd.name == name)
        .and_then(|fd| match &fd.value {
            FieldValue::Text(t) => Some(t.text().trim().to_string()),
            _ => None,
        })
        .unwrap_or_default()
}

/// Typing in the incident filter narrows the list at once; Enter keeps it, Esc puts back
/// what it was.
fn filter_key(app: &mut App, action: Action) -> Option<Effect> {
    match action {
        Action::Submit => {
            app.pop();
        }
        Action::Back => {
            if let Some(Layer::Filter { before }) = app.pop() {
                app.incident_filter.set(&before);
                app.reindex();
            }
        }
        action => {
            if edit_text(&mut app.incident_filter, &action) == Some(true) {
                app.reindex();
            }
        }
    }
    None
}

fn confirm_key(app: &mut App, action: Action) -> Option<Effect> {
    match action {
        Action::Confirm => match app.pop() {
            Some(Layer::Confirm(c)) => Some(c.then),
            _ => None,
        },
        Action::Back => {
            app.pop();
            note(app, "Nothing was changed", false)
        }
        _ => None,
    }
}

fn search_key(app: &mut App, action: Action) -> Option<Effect> {
    match action {
        Action::Back => {
            app.pop();
            None
        }
        Action::Open => {
            let hit = app.search.hits.get(app.search.selected)?;
            let pos = hit.position;
            remember_query(app);
            app.to_browse();
            app.focus = Pane::Statements;
            app.go_to(pos);
            None
        }
        Action::Up if app.search.selected == 0 => recall(app),
        Action::Up | Action::Down | Action::PageUp | Action::PageDown => {
            step(app, by(app, &action));
            None
        }
        action => {
            let s = &mut app.search;
            if s.fresh && matches!(action, Action::Input(_) | Action::Paste(_)) {
                s.input.clear();
            }
            if s.fresh && action == Action::DeleteChar {
                s.input.clear();
                s.fresh = false;
                return query(app);
            }
            s.fresh = false;
            s.recalled = None;
            match edit_text(&mut s.input, &action) {
                Some(true) => query(app),
                _ => None,
            }
        }
    }
}

/// ↑ at the top of the results: the query before this one, from the session's history.
fn recall(app: &mut App) -> Option<Effect> {
    let s = &mut app.search;
    if s.history.is_empty() {
        return None;
    }
    let at = match s.recalled {
        Some(0) => 0,
        Some(i) => i - 1,
        None => s.history.len() - 1,
    };
    s.recalled = Some(at);
    let text = s.history[at].clone();
    s.input.set(&text);
    s.fresh = true;
    query(app)
}

fn remember_query(app: &mut App) {
    let q = app.search.input.text().trim().to_string();
    if q.is_empty() {
        return;
    }
    app.search.history.retain(|h| *h != q);
    app.search.history.push(q);
}

fn by(app: &App, action: &Action) -> isize {
    match action {
        Action::Up => -1,
        Action::Down => 1,
        Action::PageUp => -(page(app) as isize),
        Action::PageDown => page(app) as isize,
        Action::Top => isize::MIN / 2,
        Action::Bottom => isize::MAX / 2,
        _ => 0,
    }
}

/// The keys of the full-screen views and the incident dialog.
fn view_key(app: &mut App, action: Action) -> Option<Effect> {
    let view = app.view();
    match action {
        Action::Up
        | Action::Down
        | Action::PageUp
        | Action::PageDown
        | Action::Top
        | Action::Bottom => step(app, by(app, &action)),
        Action::Back if view == View::Browse => {
            app.message = None;
            app.focus = match app.focus {
                Pane::Detail => Pane::Statements,
                _ => Pane::Incidents,
            };
        }
        Action::Back => {
            app.pop();
        }
        Action::Failed => app.push(Layer::Failed { selected: 0 }),
        Action::Reload => return Some(Effect::Reload(None)),
        Action::Search => {
            app.push(Layer::Search);
            app.search.fresh = true;
            app.search.recalled = None;
            return query(app);
        }
        Action::AddStatement => {
            let Some(inc) = app.selected_incident() else {
                let text = format!(
                    "Select an incident to add a statement to, or {} for a new one",
                    key(app, View::Browse, Action::NewIncident)
                );
                return note(app, &text, true);
            };
            let form = Form::statement(inc);
            app.push(Layer::Form(Box::new(form)));
        }
        Action::NewIncident => app.push(Layer::Form(Box::new(Form::incident()))),
        Action::EditStatement => {
            let Some((inc, st)) = app.selected_statement() else {
                return note(app, "Select a statement to change", true);
            };
            let form = Form::edit(inc, st);
            app.push(Layer::Form(Box::new(form)));
        }
        Action::Delete => {
            let (question, write) = if app.focus == Pane::Incidents {
                let Some(inc) = app.selected_incident() else {
                    return note(app, "No incident selected", true);
                };
                (
                    format!(
                        "Remove the incident {} and its file {}, with its {} statements?",
                        inc.id,
                        inc.path.display(),
                        inc.statements.len()
                    ),
                    Write::RemoveIncident {
                        id: inc.id.clone(),
                        expected: Some(inc.fingerprint),
                    },
                )
            } else {
                let Some((inc, st)) = app.selected_statement() else {
                    return note(app, "Select a statement to remove", true);
                };
                let r = StatementRef::new(&inc.id, &st.id);
                (
                    format!(
                        "Remove the statement {r} (“{}”) from {}?",
                        safe::first_line(&st.text, 40),
                        inc.path.display()
                    ),
                    Write::RemoveStatement {
                        statement: r,
                        expected: Some(inc.fingerprint),
                    },
                )
            };
            let then = Effect::Write(Payload::new(write));
            app.push(Layer::Confirm(Confirm { question, then }));
        }
        Action::FilterIncidents => {
            let before = app.incident_filter.text().to_string();
            app.focus = Pane::Incidents;
            app.push(Layer::Filter { before });
        }
        Action::SortIncidents => {
            app.incident_sort = app.incident_sort.next();
            app.reindex();
            let text = format!("Incidents sorted {}", app.incident_sort.name());
            return note(app, &text, false);
        }
        Action::IncidentInfo => {
            if app.selected_incident().is_none() {
                return note(app, "No incident selected", true);
            }
            app.push(Layer::Incident { scroll: 0 });
        }
        Action::Timeline => {
            let Some((_, st)) = app.selected_statement() else {
                let text = format!(
                    "Select a statement first: {} shows what its organization said",
                    key(app, View::Browse, Action::Timeline)
                );
                return note(app, &text, true);
            };
            let org = st.organization.clone();
            app.open_timeline(&org);
            app.push(Layer::Timeline);
        }
        Action::ClaimTimeline => {
            let Some(pos) = app.selected_pos() else {
                return note(app, "Select a statement to set it as a claim", true);
            };
            let claim = app.reference(pos);
            app.open_claim_timeline(&claim);
            app.push(Layer::Timeline);
        }
        Action::Suggest => {
            let Some(inc) = app.selected_incident() else {
                return note(app, "No incident selected", true);
            };
            let company = inc.company.clone();
            app.open_suggestions(&company);
            app.push(Layer::Suggest);
        }
        Action::Accept => {
            if let Some(s) = app.suggestions.items.get(app.suggestions.selected) {
                let (a, b) = (s.a, s.b);
                open_tag(app, a, b);
            }
        }
        Action::Skip => {
            let l = &mut app.suggestions;
            if l.selected < l.items.len() {
                let s = l.items.remove(l.selected);
                l.selected = l.selected.min(l.items.len().saturating_sub(1));
                let [a, b] = &s.suggestion.between;
                let text = format!("Skipped {a} ⇄ {b} for this session; nothing was written");
                app.skipped.insert(s.suggestion.between);
                return note(app, &text, false);
            }
        }
        Action::Dismiss => {
            let s = app.suggestions.items.get(app.suggestions.selected)?;
            let [a, b] = s.suggestion.between.clone();
            let expected = crate::write::tag_target(&app.corpus, &a, &b)
                .ok()
                .map(|i| i.fingerprint);
            let question = format!(
                "Write the verdict `unrelated` on {a} and {b}? It is recorded in the file, \
                 tagged by {}.",
                app.tagger()
            );
            let request = crate::write::TagRequest {
                reviewed: None,
                a,
                b,
                verdict: Verdict::Unrelated,
                claim: None,
                note: None,
                by: app.tagger().to_string(),
                replace: false,
            };
            let then = Effect::Write(Payload::new(Write::Tag { request, expected }));
            app.push(Layer::Confirm(Confirm { question, then }));
        }
        Action::Mark => {
            let pos = match view {
                View::Timeline => app
                    .timeline
                    .items
                    .get(app.timeline.selected)
                    .map(|(p, _)| *p),
                _ => app.selected_pos(),
            };
            let pos = pos?;
            if app.is_marked(pos) {
                app.marked = None;
                return note(app, "Mark cleared", false);
            }
            let r = app.reference(pos);
            let text = format!(
                "Marked {r}: select another statement, then {} diffs, {} tags",
                key(app, View::Browse, Action::Diff),
                key(app, View::Browse, Action::Tag)
            );
            app.marked = Some(r);
            return note(app, &text, false);
        }
        Action::Diff if view == View::Suggest => {
            if let Some(s) = app.suggestions.items.get(app.suggestions.selected) {
                let d = app.diff_of(s.a, s.b);
                app.push(Layer::Diff(d));
            }
        }
        Action::Diff => {
            let (a, b) = match pair(app, Action::Diff) {
                Ok(p) => p,
                Err(why) => return note(app, &why, true),
            };
            let d = app.diff_of(a, b);
            app.push(Layer::Diff(d));
        }
        Action::Tag => {
            let (a, b) = match diff_pair(app).map_or_else(|| pair(app, Action::Tag), Ok) {
                Ok(p) => p,
                Err(why) => return note(app, &why, true),
            };
            open_tag(app, a, b);
        }
        Action::Untag => {
            let (a, b) = match diff_pair(app).map_or_else(|| pair(app, Action::Untag), Ok) {
                Ok(p) => p,
                Err(why) => return note(app, &why, true),
            };
            let (ra, rb) = (app.reference(a), app.reference(b));
            let Ok(holder) = crate::write::tag_target(&app.corpus, &ra, &rb) else {
                return note(app, "No verdict to remove", true);
            };
            let Some(c) = app
                .corpus
                .contradictions()
                .find(|(_, c)| c.involves_pair(&ra, &rb))
                .map(|(_, c)| c.verdict)
            else {
                return note(
                    app,
                    &format!("{ra} and {rb} have no verdict to remove"),
                    true,
                );
            };
            let question = format!(
                "Remove the verdict `{c}` on {ra} and {rb} from {}?",
                holder.path.display()
            );
            let expected = Some(holder.fingerprint);
            let then = Effect::Write(Payload::new(Write::Untag {
                a: ra,
                b: rb,
                expected,
            }));
            app.push(Layer::Confirm(Confirm { question, then }));
        }
        Action::Undo => {
            let Some(step) = app.undo.last().cloned() else {
                return note(app, "Nothing written in this session to undo", true);
            };
            let question = format!(
                "Undo: {}? {} goes back to how it was before.",
                step.what,
                step.path.display()
            );
            let then = Effect::Write(Payload::new(Write::Undo(step)));
            app.push(Layer::Confirm(Confirm { question, then }));
        }
        Action::Open if view == View::Timeline => {
            if let Some((pos, _)) = app.timeline.items.get(app.timeline.selected) {
                let pos = *pos;
                app.to_browse();
                app.focus = Pane::Statements;
                app.go_to(pos);
            }
        }
        Action::Edit if view == View::Failed => {
            let Layer::Failed { selected } = app.top() else {
                return None;
            };
            let path = app.corpus.failed.get(*selected)?.clone();
            let line = app
                .corpus
                .diagnostics
                .iter()
                .find(|d| d.is_error() && d.path == path)
                .map_or(1, |d| d.line);
            return Some(Effect::Edit { path, line });
        }
        Action::Edit => {
            let Some((inc, st)) = app.selected_statement() else {
                return note(app, "No statement selected to edit", true);
            };
            return Some(Effect::Edit {
                path: inc.path.clone(),
                line: st.line,
            });
        }
        Action::Copy => {
            let Some((inc, st)) = app.selected_statement() else {
                return note(app, "No statement selected to copy", true);
            };
            let text = citation(inc, st);
            // A terminal does not say whether it took an OSC 52 copy: say what was sent.
            let what = format!(
                "Copied {}#{} (sent to the terminal's clipboard, OSC 52): {}",
                inc.id,
                st.id,
                safe::first_line(&text, 60)
            );
            note(app, &what, false);
            return Some(Effect::Copy(text));
        }
        Action::FocusNext => {
            app.focus = match app.focus {
                Pane::Incidents => Pane::Statements,
                Pane::Statements => Pane::Detail,
                Pane::Detail => Pane::Incidents,
            }
        }
        Action::FocusPrev => {
            app.focus = match app.focus {
                Pane::Incidents => Pane::Detail,
                Pane::Statements => Pane::Incidents,
                Pane::Detail => Pane::Statements,
            }
        }
        Action::Left => {
            app.focus = match app.focus {
                Pane::Detail => Pane::Statements,
                _ => Pane::Incidents,
            }
        }
        Action::Right => {
            app.focus = match app.focus {
                Pane::Incidents if !app.statement_order.is_empty() => Pane::Statements,
                Pane::Incidents => Pane::Incidents,
                _ => Pane::Detail,
            }
        }
        Action::Paste(_) => {
            let text = format!(
                "Paste ignored: no text field has the focus ({} searches, {} adds a statement)",
                key(app, View::Browse, Action::Search),
                key(app, View::Browse, Action::AddStatement)
            );
            return note(app, &text, true);
        }
        _ => {}
    }
    None
}

/// The pair of the diff on top, when the diff view has the keys.
fn diff_pair(app: &App) -> Option<(Position, Position)> {
    match app.top() {
        Layer::Diff(d) => Some((d.a, d.b)),
        _ => None,
    }
}

/// What the tag dialog shows of a verdict on record.
fn on_record(c: &crate::model::Contradiction) -> OnRecord {
    OnRecord {
        verdict: c.verdict,
        claim: c.claim.clone(),
        note: c.note.clone(),
        by: c.tagged_by.clone(),
        at: c.tagged_at.map(|t| t.format("%Y-%m-%d %H:%M").to_string()),
    }
}

/// Opens the tag dialog on two statements, over the current view: the verdict on record,
/// if any, is shown and its claim and note are filled in to be kept or edited.
fn open_tag(app: &mut App, a: Position, b: Position) {
    let d: DiffView = app.diff_of(a, b);
    let (ra, rb) = (app.reference(d.a), app.reference(d.b));
    let old = app
        .corpus
        .contradictions()
        .find(|(_, c)| c.involves_pair(&ra, &rb))
        .map(|(_, c)| on_record(c));
    let verdict = old
        .as_ref()
        .and_then(|o| Verdict::ALL.iter().position(|v| *v == o.verdict))
        .unwrap_or(0);
    // The side the verdict on record reviews; the later statement by default.
    let reviewed_later = app
        .corpus
        .contradictions()
        .find(|(_, c)| c.involves_pair(&ra, &rb))
        .is_none_or(|(_, c)| *c.reviewed().0 == rb);
    let claim = old.as_ref().and_then(|o| o.claim.as_deref()).unwrap_or("");
    let note = old.as_ref().and_then(|o| o.note.as_deref()).unwrap_or("");
    let dialog = TagDialog {
        a: ra,
        b: rb,
        verdict,
        claim: TextField::with(claim, false),
        note: TextField::with(note, true),
        reviewed_later,
        field: TagField::Verdict,
        on_record: old,
        error: None,
        changed_on_disk: false,
        confirm_discard: false,
        confirm_replace: false,
        touched: false,
    };
    app.push(Layer::Tag(Box::new(dialog)));
}

/// The marked statement and the selected one, when they are two different statements; else
/// what to do, for the key named `key`.
fn pair(app: &App, action: Action) -> Result<(Position, Position), String> {
    let key = app.config.keymap.key_for(View::Browse, action);
    let mark = app.config.keymap.key_for(View::Browse, Action::Mark);
    let Some(marked) = app.marked.as_ref() else {
        return Err(format!(
            "Mark a statement with {mark}, select another, then press {key}"
        ));
    };
    let Some(there) = position(&app.corpus, marked) else {
        return Err(format!(
            "The marked statement {marked} is no longer in the corpus: mark another with {mark}"
        ));
    };
    let Some(here) = app.selected_pos() else {
        return Err("Select a statement".into());
    };
    if there == here {
        return Err(format!(
            "This is the marked statement: select another one, then press {key} ({mark} here \
             clears the mark)"
        ));
    }
    Ok((there, here))
}

/// The key bound to `action` in `view`, for messages: rebinding renames it here too.
fn key(app: &App, view: View, action: Action) -> String {
    app.config.keymap.key_for(view, action)
}

fn note(app: &mut App, text: &str, error: bool) -> Option<Effect> {
    app.message = Some(Message {
        text: text.to_string(),
        error,
    });
    None
}

/// Sends the search box's text off to be searched, or shows why its filter tokens are wrong.
pub fn query(app: &mut App) -> Option<Effect> {
    match crate::query::parse_query(app.search.input.text()) {
        Ok((filter, text)) => {
            app.search.error = None;
            app.search.generation += 1;
            Some(Effect::Search {
                generation: app.search.generation,
                filter,
                text,
            })
        }
        Err(e) => {
            app.search.error = Some(e.to_string());
            None
        }
    }
}

/// Rows in the focused list or text, for PgUp/PgDn.
fn page(app: &App) -> usize {
    let Some(areas) = app.areas() else { return 1 };
    let rows = match (app.view(), app.focus) {
        (View::Browse, Pane::Incidents) => inner_rows(areas.incidents),
        (View::Browse, Pane::Statements) => inner_rows(areas.statements),
        (View::Browse, Pane::Detail) => inner_rows(areas.detail),
        (View::Suggest, _) => inner_rows(suggestion_list(areas.body)),
        (View::Search, _) => inner_rows(search_results(areas.body)),
        _ => inner_rows(areas.body),
    };
    rows.saturating_sub(1).max(1)
}

fn moved(at: usize, by: isize, len: usize) -> usize {
    if len == 0 {
        return 0;
    }
    at.saturating_add_signed(by).min(len - 1)
}

/// Moves the focused selection or scroll position by `by` rows, clamped to what the last
/// frame drew.
fn step(app: &mut App, by: isize) {
    let areas = app.areas();
    let drawn = app.drawn;
    let failed = app.corpus.failed.len();
    match app.top_mut() {
        Layer::Help { scroll } => {
            *scroll = scroll
                .saturating_add_signed(by)
                .min(drawn.help.max_scroll());
            return;
        }
        Layer::Incident { scroll } => {
            *scroll = scroll
                .saturating_add_signed(by)
                .min(drawn.incident.max_scroll());
            return;
        }
        Layer::Failed { selected } => {
            *selected = moved(*selected, by, failed);
            return;
        }
        Layer::Diff(d) => {
            d.scroll = d
                .scroll
                .saturating_add_signed(by)
                .min(drawn.diff.max_scroll());
            return;
        }
        _ => {}
    }
    match app.view() {
        View::Timeline => {
            let claim = app.timeline_claim.is_some();
            let rows = areas.map_or(1, |a| inner_rows(timeline_list(a.body, claim)));
            let l = &mut app.timeline;
            l.selected = moved(l.selected, by, l.items.len());
            keep_visible(l.selected, &mut l.offset, rows, l.items.len());
        }
        View::Suggest => {
            let rows = areas.map_or(1, |a| inner_rows(suggestion_list(a.body)));
            let l = &mut app.suggestions;
            l.selected = moved(l.selected, by, l.items.len());
            keep_visible(l.selected, &mut l.offset, rows, l.items.len());
        }
        View::Search => {
            let rows = areas.map_or(1, |a| inner_rows(search_results(a.body)));
            let s = &mut app.search;
            s.selected = moved(s.selected, by, s.hits.len());
            keep_visible(s.selected, &mut s.offset, rows, s.hits.len());
        }
        View::Browse => match app.focus {
            Pane::Incidents => {
                let at = moved(app.incident, by, app.index.incidents.len());
                if at != app.incident {
                    app.select_incident(at);
                }
                app.scroll_into_view();
            }
            Pane::Statements => {
                let at = moved(app.statement, by, app.statement_order.len());
                if at != app.statement {
                    app.statement = at;
                    app.detail_scroll = 0;
                }
                app.scroll_into_view();
            }
            Pane::Detail => {
                app.detail_scroll = app
                    .detail_scroll
                    .saturating_add_signed(by)
                    .min(drawn.detail.max_scroll());
            }
        },
        _ => {}
    }
}

fn pane_at(app: &App, x: u16, y: u16) -> Option<Pane> {
    let areas = app.areas()?;
    let p = ratatui::layout::Position::new(x, y);
    if areas.incidents.contains(p) {
        Some(Pane::Incidents)
    } else if areas.statements.contains(p) {
        Some(Pane::Statements)
    } else if areas.detail.contains(p) {
        Some(Pane::Detail)
    } else {
        None
    }
}

/// A click focuses the pane under it and selects the row under it.
fn click(app: &mut App, x: u16, y: u16) {
    if app.view() != View::Browse {
        return;
    }
    let (Some(pane), Some(areas)) = (pane_at(app, x, y), app.areas()) else {
        return;
    };
    app.focus = pane;
    let row_in = |r: ratatui::layout::Rect| {
        (y > r.y && y < r.bottom().saturating_sub(1)).then(|| usize::from(y - r.y - 1))
    };
    match pane {
        Pane::Incidents => {
            if let Some(row) = row_in(areas.incidents) {
                let at = app.incident_offset + row;
                if at < app.index.incidents.len() && at != app.incident {
                    app.select_incident(at);
                }
            }
        }
        Pane::Statements => {
            if let Some(row) = row_in(areas.statements) {
                let at = app.statement_offset + row;
                if at < app.statement_order.len() && at != app.statement {
                    app.statement = at;
                    app.detail_scroll = 0;
                }
            }
        }
        Pane::Detail => {}
    }
    app.scroll_into_view();
}

/// A statement as a reporter pastes it into a draft: the words, then who said them where and
/// when. Record text goes through the same sanitizing as the screen.
pub fn citation(inc: &Incident, st: &Statement) -> String {
    let mut who = vec![safe::line(&st.speaker).into_owned()];
    if let Some(role) = &st.role {
        who.push(safe::line(role).into_owned());
    }
    if st.organization != st.speaker {
        who.push(safe::line(&st.organization).into_owned());
    }
    let source = st.source.as_deref().and_then(|id| inc.source(id));
    let mut place = Vec::new();
    if let Some(channel) = &st.channel {
        place.push(safe::line(channel).into_owned());
    }
    if let Some(credit) = inc.credit(st) {
        place.push(safe::line(&credit).into_owned());
    }
    place.push(st.date.human());
    let url = st
        .url
        .as_deref()
        .or_else(|| source.and_then(|s| s.url.as_deref()));
    let mut out = match st.kind {
        crate::model::Kind::Quote => format!("“{}”", safe::block(st.text.trim())),
        _ => safe::block(st.text.trim()).into_owned(),
    };
    if let Some(tr) = &st.translation {
        out.push_str(&format!(" [{}]", safe::line(tr.trim())));
    }
    out.push_str(&format!("\n— {}; {}", who.join(", "), place.join(", ")));
    if st.kind != crate::model::Kind::Quote {
        out.push_str(&format!(" ({})", st.kind));
    }
    if let Some(url) = url {
        out.push_str(&format!(". {}", safe::line(url)));
    }
    out
}
