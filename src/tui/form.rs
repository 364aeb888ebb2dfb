//! The record form, drawn over the browse view: a new statement for the selected incident, or
//! a new incident. Text fields wrap to show their whole value; list fields (kind, source)
//! show their choice. What validation found is shown beside the field it names, and what
//! `check` would warn about above the save.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};

use super::action::Action;
use super::app::{App, FieldValue, Form, FormKind, field};
use super::keymap::View;
use super::safe;
use super::widgets::{dialog, pane, place_cursor, text_field};

/// What each field wants, shown while it is empty.
fn hint(name: &str) -> &'static str {
    match name {
        field::SPEAKER => "who said it",
        field::ROLE => "their title: head of product…",
        field::ORGANIZATION => "whose words these are, when not the incident's company",
        field::DATE => "2024-11-09, 2024-11 or 2024",
        field::CHANNEL => "where: interview, press release, terms…",
        field::URL => "where it was published",
        field::LANG => "language code: fr, en…",
        field::TEXT => "the words, as published",
        field::TRANSLATION => "in English, when the text is not",
        field::NOTE => "for the desk",
        field::ID => "a slug: lowercase letters, digits and dashes",
        field::COMPANY => "the company the incident is about",
        field::TITLE => "one line",
        field::TAGS => "comma-separated",
        field::OUTLET => "who published it: Le Monde, AFP, the company's blog…",
        field::PUBLISHED => "when: 2024-11-09, 2024-11 or 2024",
        field::SNAPSHOT => "a file to keep as the saved copy (text or HTML, up to 20 MB)",
        _ => "",
    }
}

fn key(app: &App, action: Action) -> String {
    app.config.keymap.key_for(View::Form, action)
}

pub fn draw(frame: &mut Frame, app: &App, f: &Form, body: Rect) {
    let theme = &app.config.theme;
    let area = dialog(frame, body, 100, 30);
    let keys = format!(
        "{} saves, {} cancels",
        key(app, Action::Save),
        key(app, Action::Back)
    );
    let title = match &f.kind {
        FormKind::Statement { incident } => {
            format!(" Add a statement to {} ({keys}) ", safe::line(incident))
        }
        FormKind::Edit { statement } => {
            format!(" Change {} ({keys}) ", safe::line(&statement.to_string()))
        }
        FormKind::Incident => format!(" New incident ({keys}) "),
        FormKind::Source { incident } => {
            format!(" A new source for {} ({keys}) ", safe::line(incident))
        }
    };
    let block = pane(app, title, true);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let w = usize::from(inner.width);
    let mut lines: Vec<Line> = Vec::new();
    let mut cursor = None;
    let mut focus_row = 0;
    for (i, field) in f.fields.iter().enumerate() {
        let name = field.name;
        let focused = i == f.focus;
        let style = if focused {
            Style::new().fg(theme.accent).add_modifier(Modifier::BOLD)
        } else {
            Style::new().fg(theme.muted)
        };
        let label = Span::styled(format!("{name:<13}"), style);
        if focused {
            focus_row = lines.len();
        }
        match &field.value {
            FieldValue::Text(t) if t.text().is_empty() && !focused => {
                lines.push(Line::from(vec![
                    label,
                    Span::styled(
                        match &field.value {
                            FieldValue::Text(t) if t.multiline => {
                                format!("{} ({}: a new line)", hint(name), key(app, Action::Submit))
                            }
                            _ => hint(name).to_string(),
                        },
                        Style::new().fg(theme.muted),
                    ),
                ]));
            }
            FieldValue::Text(t) => {
                let (rows, at) = text_field(t, label, 13, w, focused);
                if let Some((r, c)) = at {
                    cursor = Some((lines.len() + r, c));
                }
                lines.extend(rows);
            }
            FieldValue::Choice { options, at } => {
                let chosen = options.get(*at).map_or("", |(_, l)| l.as_str());
                let mut spans = vec![label];
                if focused {
                    spans.push(Span::styled("◀ ", Style::new().fg(theme.muted)));
                }
                spans.push(Span::raw(safe::line(chosen).into_owned()));
                if focused {
                    let open = if f.on_new_source() {
                        format!(", {} opens its form", key(app, Action::Submit))
                    } else {
                        String::new()
                    };
                    spans.push(Span::styled(
                        format!(" ▶  ({}/{}, arrows choose{open})", at + 1, options.len()),
                        Style::new().fg(theme.muted),
                    ));
                }
                lines.push(Line::from(spans));
            }
        }
        if let Some((_, message)) = f.problems.iter().find(|(field, _)| field == name) {
            for l in safe::wrap(&safe::line(message), w.saturating_sub(13)) {
                lines.push(Line::styled(
                    format!("{:<13}{l}", ""),
                    Style::new().fg(theme.error),
                ));
            }
        }
    }
    // What stops or holds the save, at the foot of the dialog where it always shows.
    let mut foot: Vec<Line> = Vec::new();
    for (field, message) in &f.problems {
        if !f.fields.iter().any(|fd| fd.name == field) {
            for l in safe::wrap(&safe::line(&format!("{field}: {message}")), w) {
                foot.push(Line::styled(l, Style::new().fg(theme.error)));
            }
        }
    }
    if f.warned {
        for warning in &f.warnings {
            for l in safe::wrap(&safe::line(warning), w) {
                foot.push(Line::styled(l, Style::new().fg(theme.paraphrase)));
            }
        }
    }
    if f.confirm_discard {
        foot.push(Line::styled(
            format!(
                "Discard this form? {} again discards; any other key keeps it.",
                key(app, Action::Back)
            ),
            Style::new().fg(theme.error),
        ));
    }
    if let Some(e) = &f.error {
        for l in safe::wrap(&safe::line(e), w) {
            foot.push(Line::styled(l, Style::new().fg(theme.error)));
        }
    }
    let total = usize::from(inner.height);
    let foot_rows = foot.len().min(total / 2);
    let panel = said_before(app, f, w);
    let panel_rows = panel.len().min((total - foot_rows) / 3);
    let rows = total - foot_rows - panel_rows;
    // Scroll so the focused field shows when the form is taller than the dialog.
    let skip = focus_row
        .saturating_sub(rows / 3)
        .min(lines.len().saturating_sub(rows));
    if let Some((r, c)) = cursor
        && r >= skip
        && r - skip < rows
    {
        place_cursor(frame, inner, r - skip, c);
    }
    let fields = Rect::new(inner.x, inner.y, inner.width, rows as u16);
    let visible: Vec<Line> = lines.into_iter().skip(skip).take(rows).collect();
    // The panel follows the fields, a line apart, when they leave room.
    let panel_at = (visible.len() + 1).min(rows);
    let panel_rows = panel.len().min(total - foot_rows - panel_at);
    super::widgets::render_lines(frame, fields, visible);
    let middle = Rect::new(
        inner.x,
        inner.y + panel_at as u16,
        inner.width,
        panel_rows as u16,
    );
    super::widgets::render_lines(frame, middle, panel);
    let below = Rect::new(
        inner.x,
        inner.y + (total - foot_rows) as u16,
        inner.width,
        foot_rows as u16,
    );
    super::widgets::render_lines(frame, below, foot);
}

/// The "said before?" panel: what the record already holds that says the same as the text
/// typed, or the opposite, most alike first, with the reasons; nothing until text is typed.
fn said_before(app: &App, f: &Form, w: usize) -> Vec<Line<'static>> {
    use crate::matching::Relation;
    let theme = &app.config.theme;
    let Some((text, whose)) = &f.said.asked else {
        return Vec::new();
    };
    if text.is_empty() {
        return Vec::new();
    }
    let muted = Style::new().fg(theme.muted);
    let head = if f.said.pending && f.said.matches.is_empty() {
        "looking…".to_string()
    } else if f.said.matches.is_empty() {
        "nothing on record says this, or the opposite".to_string()
    } else {
        format!("the closest on record, of {}", safe::line(whose))
    };
    let mut lines = vec![Line::from(vec![
        Span::styled(
            format!("{:<13}", "said before?"),
            Style::new().fg(theme.accent).add_modifier(Modifier::BOLD),
        ),
        Span::styled(safe::fit(&head, w.saturating_sub(13)), muted),
    ])];
    let room = w.saturating_sub(13);
    for m in &f.said.matches {
        let (relation, colour) = match m.relation {
            Relation::Same => ("says the same", theme.consistent),
            Relation::Opposite => ("says the opposite", theme.contradicts),
            Relation::Related => ("related", theme.muted),
        };
        let who = format!(
            "{} · {} · {}",
            m.reference,
            m.date.human(),
            safe::line(&m.speaker)
        );
        lines.push(Line::from(vec![
            Span::styled(format!(" {:.2}  ", m.similarity), muted),
            Span::styled(format!("{relation:<19}"), Style::new().fg(colour)),
            Span::raw(safe::fit(&who, room.saturating_sub(6))),
        ]));
        lines.push(Line::from(vec![
            Span::raw(format!("{:<7}", "")),
            Span::raw(safe::first_line(&m.text, w.saturating_sub(7))),
        ]));
        if !m.reasons.is_empty() {
            let reasons = format!("! {}", m.reasons.join("; "));
            lines.push(Line::from(vec![
                Span::raw(format!("{:<7}", "")),
                Span::styled(
                    safe::fit(&safe::line(&reasons), w.saturating_sub(7)),
                    Style::new().fg(theme.paraphrase),
                ),
            ]));
        }
    }
    lines
}
