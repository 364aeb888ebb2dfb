//! `update`: the one place the state changes. It never touches the terminal or the disk;
//! what needs them comes back as an [`Effect`] for the event loop to perform.

use super::action::{Action, Effect};
use super::app::{
    App, Form, Message, Pane, Pos, TagDialog, TagField, View, inner_rows, keep_visible, position,
};
use super::{browse, failed, help, safe};
use crate::model::{Incident, Statement, Verdict};

/// Applies one action to the state.
pub fn update(app: &mut App, action: Action) -> Option<Effect> {
    if action != Action::Back
        && let Some(t) = &mut app.tag
    {
        t.confirm_discard = false;
    }
    if action != Action::Dismiss {
        app.confirm_dismiss = false;
    }
    if action != Action::Back
        && let Some(f) = &mut app.form
    {
        f.confirm_discard = false;
    }
    match action {
        Action::Quit => return Some(Effect::Quit),
        Action::Help => {
            if app.view != View::Help {
                app.back = app.view;
            }
            app.view = View::Help;
            app.help_scroll = 0;
        }
        Action::Failed => {
            app.view = View::Failed;
            app.failed_scroll = 0;
        }
        Action::Back => match app.view {
            View::Help => app.view = app.back,
            View::Failed | View::Search | View::Timeline | View::Suggest => app.view = View::Browse,
            View::Diff => app.view = app.diff_back,
            View::Form => {
                let Some(f) = &mut app.form else {
                    app.view = View::Browse;
                    return None;
                };
                if !f.is_blank() && !f.confirm_discard {
                    f.confirm_discard = true;
                } else {
                    app.form = None;
                    app.view = View::Browse;
                }
            }
            View::Tag => {
                let Some(t) = &mut app.tag else {
                    app.view = View::Browse;
                    return None;
                };
                let dirty = !t.claim.trim().is_empty() || !t.note.trim().is_empty();
                if dirty && !t.confirm_discard {
                    t.confirm_discard = true;
                } else {
                    app.view = t.over;
                    app.tag = None;
                }
            }
            View::Browse => {
                app.message = None;
                app.focus = match app.focus {
                    Pane::Detail => Pane::Statements,
                    _ => Pane::Incidents,
                };
            }
        },
        Action::Reload => return Some(Effect::Reload),
        Action::Search => {
            app.view = View::Search;
            return query(app);
        }
        Action::Input(c) if app.view == View::Form => {
            if let Some(v) = form_field(app) {
                v.push(c);
            }
        }
        Action::DeleteChar if app.view == View::Form => {
            if let Some(v) = form_field(app) {
                v.pop();
            }
        }
        Action::ClearInput if app.view == View::Form => {
            if let Some(v) = form_field(app) {
                v.clear();
            }
        }
        Action::NextField | Action::PrevField if app.view == View::Form => {
            if let Some(f) = &mut app.form {
                let n = f.fields.len();
                f.focus = if action == Action::NextField {
                    (f.focus + 1) % n
                } else {
                    (f.focus + n - 1) % n
                };
            }
        }
        Action::Save if app.view == View::Form => {
            let f = app.form.as_mut()?;
            if f.changed_on_disk {
                f.error = Some(
                    "The file changed on disk since it was loaded: press Ctrl-R to reload, then \
                     Enter to save"
                        .into(),
                );
                return None;
            }
            return Some(Effect::SaveForm);
        }
        Action::AddStatement => {
            let Some(inc) = app.selected_incident() else {
                return note(
                    app,
                    "Select an incident to add a statement to, or n for a new one",
                    true,
                );
            };
            let mut form = Form::statement(&inc.id);
            form.fields[2].1 = "quote".into();
            app.form = Some(form);
            app.view = View::Form;
        }
        Action::NewIncident => {
            app.form = Some(Form::incident());
            app.view = View::Form;
        }
        Action::Input(c) => {
            if app.view == View::Tag {
                if let Some(field) = tag_field(app) {
                    field.push(c);
                }
                return None;
            }
            app.search.input.push(c);
            return query(app);
        }
        Action::DeleteChar => {
            if app.view == View::Tag {
                if let Some(field) = tag_field(app) {
                    field.pop();
                }
                return None;
            }
            app.search.input.pop();
            return query(app);
        }
        Action::ClearInput => {
            if app.view == View::Tag {
                if let Some(field) = tag_field(app) {
                    field.clear();
                }
                return None;
            }
            app.search.input.clear();
            return query(app);
        }
        Action::Timeline => {
            let Some((_, st)) = app.selected_statement() else {
                return note(
                    app,
                    "Select a statement first: T shows what its organization said",
                    true,
                );
            };
            let org = st.organization.clone();
            app.open_timeline(&org);
            app.view = View::Timeline;
        }
        Action::Suggest => {
            let Some(inc) = app.selected_incident() else {
                return note(app, "No incident selected", true);
            };
            let company = inc.company.clone();
            app.open_suggestions(&company);
            app.view = View::Suggest;
        }
        Action::Accept => {
            if let Some(s) = app.suggestions.items.get(app.suggestions.selected) {
                let (a, b) = (s.a, s.b);
                open_tag(app, a, b, 0);
            }
        }
        Action::Dismiss => {
            let s = app.suggestions.items.get(app.suggestions.selected)?;
            if !app.confirm_dismiss {
                app.confirm_dismiss = true;
                return note(app, "Press x again to tag this pair `unrelated`", false);
            }
            app.confirm_dismiss = false;
            return Some(Effect::Tag {
                a: s.suggestion.between[0].clone(),
                b: s.suggestion.between[1].clone(),
                verdict: Verdict::Unrelated,
                claim: None,
                note: None,
            });
        }
        Action::Mark => {
            if app.view == View::Timeline {
                if let Some((pos, _)) = app.timeline.items.get(app.timeline.selected) {
                    let r = app.reference(*pos);
                    let text = format!("Marked {r}: Esc, select another statement, then d or t");
                    app.marked = Some(r);
                    return note(app, &text, false);
                }
                return None;
            }
            if let Some(pos) = app.selected_pos() {
                let r = app.reference(pos);
                let text = format!("Marked {r}: select another statement, then d diffs, t tags");
                app.marked = Some(r);
                return note(app, &text, false);
            }
        }
        Action::Diff if app.view == View::Suggest => {
            if let Some(s) = app.suggestions.items.get(app.suggestions.selected) {
                let (a, b) = (s.a, s.b);
                app.diff = Some(app.diff_of(a, b));
                app.diff_back = View::Suggest;
                app.view = View::Diff;
            }
        }
        Action::Diff => {
            app.diff_back = View::Browse;
            let Some((a, b)) = pair(app) else {
                return note(
                    app,
                    "Mark a statement with m, select another, then press d",
                    true,
                );
            };
            app.diff = Some(app.diff_of(a, b));
            app.view = View::Diff;
        }
        Action::Tag => {
            let pair = match (&app.diff, app.view) {
                (Some(d), View::Diff) => Some((d.a, d.b)),
                _ => pair(app),
            };
            let Some((a, b)) = pair else {
                return note(
                    app,
                    "Mark a statement with m, select another, then press t",
                    true,
                );
            };
            open_tag(app, a, b, 0);
        }
        Action::NextField | Action::PrevField => {
            if let Some(t) = &mut app.tag {
                let forward = action == Action::NextField;
                t.field = match (t.field, forward) {
                    (TagField::Verdict, true) | (TagField::Note, false) => TagField::Claim,
                    (TagField::Claim, true) | (TagField::Verdict, false) => TagField::Note,
                    (TagField::Note, true) | (TagField::Claim, false) => TagField::Verdict,
                };
            }
        }
        Action::NextChoice | Action::PrevChoice => {
            if let Some(t) = &mut app.tag {
                let n = Verdict::ALL.len();
                t.verdict = if action == Action::NextChoice {
                    (t.verdict + 1) % n
                } else {
                    (t.verdict + n - 1) % n
                };
            }
        }
        Action::Save => {
            let t = app.tag.as_mut()?;
            if t.changed_on_disk {
                t.error = Some(
                    "The file changed on disk since it was loaded: press Ctrl-R to reload, then \
                     Enter to save"
                        .into(),
                );
                return None;
            }
            let opt = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
            return Some(Effect::Tag {
                a: t.a.clone(),
                b: t.b.clone(),
                verdict: Verdict::ALL[t.verdict],
                claim: opt(&t.claim),
                note: opt(&t.note),
            });
        }
        Action::Results(generation, hits, took) => {
            // An answer to a query typed over since, or to a corpus since reloaded, is stale.
            if generation == app.search.generation {
                app.search.answered = generation;
                app.search.hits = hits;
                app.search.took = took;
                app.search.selected = 0;
                app.search.offset = 0;
            }
        }
        Action::Open if app.view == View::Timeline => {
            if let Some((pos, _)) = app.timeline.items.get(app.timeline.selected) {
                let pos = *pos;
                app.view = View::Browse;
                app.focus = Pane::Statements;
                app.go_to(pos);
            }
        }
        Action::Open => {
            if let Some(hit) = app.search.hits.get(app.search.selected) {
                let pos = (hit.incident, hit.statement);
                app.view = View::Browse;
                app.focus = Pane::Statements;
                app.go_to(pos);
            }
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
            let what = format!("Copied {}#{} with its citation", inc.id, st.id);
            note(app, &what, false);
            return Some(Effect::Copy(text));
        }
        Action::Up => step(app, -1),
        Action::Down => step(app, 1),
        Action::PageUp => {
            let page = page(app);
            step(app, -(page as isize));
        }
        Action::PageDown => {
            let page = page(app);
            step(app, page as isize);
        }
        Action::Top => step(app, isize::MIN / 2),
        Action::Bottom => step(app, isize::MAX / 2),
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
        Action::Resize(w, h) => {
            app.size = (w, h);
            app.scroll_into_view();
        }
        Action::Click(x, y) => click(app, x, y),
        Action::Scroll(x, y, rows) => {
            if app.view == View::Browse
                && let Some(pane) = pane_at(app, x, y)
            {
                app.focus = pane;
            }
            step(app, isize::from(rows));
        }
    }
    None
}

/// Opens the tag dialog on two statements, over the current view.
fn open_tag(app: &mut App, a: Pos, b: Pos, verdict: usize) {
    let d = app.diff_of(a, b);
    app.tag = Some(TagDialog {
        a: app.reference(d.a),
        b: app.reference(d.b),
        verdict,
        claim: String::new(),
        note: String::new(),
        field: TagField::Verdict,
        over: app.view,
        error: None,
        changed_on_disk: false,
        confirm_discard: false,
        confirm_replace: false,
    });
    app.view = View::Tag;
}

/// The form field being typed in.
fn form_field(app: &mut App) -> Option<&mut String> {
    let f = app.form.as_mut()?;
    f.confirm_discard = false;
    let at = f.focus;
    f.fields.get_mut(at).map(|(_, v)| v)
}

/// The text field of the tag dialog that takes typing, if one has the focus.
fn tag_field(app: &mut App) -> Option<&mut String> {
    let t = app.tag.as_mut()?;
    t.confirm_discard = false;
    match t.field {
        TagField::Verdict => None,
        TagField::Claim => Some(&mut t.claim),
        TagField::Note => Some(&mut t.note),
    }
}

/// The marked statement and the selected one, when they are two different statements.
fn pair(app: &App) -> Option<(Pos, Pos)> {
    let marked = position(&app.corpus, app.marked.as_ref()?)?;
    let here = app.selected_pos()?;
    (marked != here).then_some((marked, here))
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
    match crate::query::parse_query(&app.search.input) {
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
    let rows = match (app.view, app.focus) {
        (View::Browse, Pane::Incidents) => inner_rows(areas.incidents),
        (View::Browse, Pane::Statements) => inner_rows(areas.statements),
        (View::Browse, Pane::Detail) => inner_rows(areas.detail),
        (View::Suggest, _) => inner_rows(super::suggest::list_area(areas.body)),
        (View::Search, _) => inner_rows(super::search::results_area(areas.body)),
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

/// Moves the focused selection or scroll position by `by` rows, clamped.
fn step(app: &mut App, by: isize) {
    let areas = app.areas();
    match app.view {
        View::Help => {
            let (width, rows) = areas.map_or((1, 1), |a| {
                (a.body.width.saturating_sub(2), inner_rows(a.body))
            });
            let max = help::lines(app, width).len().saturating_sub(rows);
            app.help_scroll = app.help_scroll.saturating_add_signed(by).min(max);
        }
        View::Failed => {
            let (width, rows) = areas.map_or((1, 1), |a| {
                (a.body.width.saturating_sub(4), inner_rows(a.body))
            });
            let max = failed::lines(app, width).len().saturating_sub(rows);
            app.failed_scroll = app.failed_scroll.saturating_add_signed(by).min(max);
        }
        View::Diff => {
            let (width, rows) = areas.map_or((1, 1), |a| {
                (a.body.width.saturating_sub(2), inner_rows(a.body))
            });
            let max = super::diff::lines(app, width).len().saturating_sub(rows);
            if let Some(d) = &mut app.diff {
                d.scroll = d.scroll.saturating_add_signed(by).min(max);
            }
        }
        View::Tag | View::Form => {}
        View::Timeline => {
            let rows = areas.map_or(1, |a| inner_rows(a.body));
            let l = &mut app.timeline;
            l.selected = moved(l.selected, by, l.items.len());
            keep_visible(l.selected, &mut l.offset, rows);
        }
        View::Suggest => {
            let rows = areas.map_or(1, |a| inner_rows(super::suggest::list_area(a.body)));
            let l = &mut app.suggestions;
            l.selected = moved(l.selected, by, l.items.len());
            keep_visible(l.selected, &mut l.offset, rows);
        }
        View::Search => {
            let rows = areas.map_or(1, |a| inner_rows(super::search::results_area(a.body)));
            let s = &mut app.search;
            s.selected = moved(s.selected, by, s.hits.len());
            keep_visible(s.selected, &mut s.offset, rows);
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
                let (width, rows) = areas.map_or((1, 1), |a| {
                    (a.detail.width.saturating_sub(2), inner_rows(a.detail))
                });
                let max = browse::detail_lines(app, width).len().saturating_sub(rows);
                app.detail_scroll = app.detail_scroll.saturating_add_signed(by).min(max);
            }
        },
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
    if app.view != View::Browse {
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
    let rows = inner_rows(areas.statements);
    keep_visible(app.statement, &mut app.statement_offset, rows);
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
