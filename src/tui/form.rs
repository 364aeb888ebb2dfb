//! The record form, drawn over the browse view: a new statement for the selected incident, or
//! a new incident. What validation found is shown beside the field it names.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::app::{App, FormKind};
use super::draw::pane;
use super::safe;

/// What each field wants, shown while it is empty.
fn hint(name: &str) -> &'static str {
    match name {
        "speaker" => "who said it",
        "date" => "2024-11-09, 2024-11 or 2024",
        "kind" => "quote, paraphrase or document",
        "channel" => "where: interview, press release, terms…",
        "source" => "the id of one of the incident's sources",
        "lang" => "language code: fr, en…",
        "text" => "the words, as published",
        "translation" => "in English, when the text is not",
        "id" => "a slug: lowercase letters, digits and dashes",
        "company" => "the company the incident is about",
        "title" => "one line",
        "tags" => "comma-separated",
        _ => "",
    }
}

pub fn draw(frame: &mut Frame, app: &App, body: Rect) {
    let Some(f) = &app.form else { return };
    let theme = &app.config.theme;
    let area = super::draw::dialog(frame, body, 100, 20);
    let title = match &f.kind {
        FormKind::Statement { incident } => format!(
            " Add a statement to {} (Enter saves, Esc cancels) ",
            safe::line(incident)
        ),
        FormKind::Incident => " New incident (Enter saves, Esc cancels) ".to_string(),
    };
    let block = pane(app, title, true);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let w = usize::from(inner.width);
    let mut lines = Vec::new();
    for (i, (name, value)) in f.fields.iter().enumerate() {
        let focused = i == f.focus;
        let label = if focused {
            Style::new().fg(theme.accent).add_modifier(Modifier::BOLD)
        } else {
            Style::new().fg(theme.muted)
        };
        let problem = f.problems.iter().find(|(field, _)| field == name);
        let mut spans = vec![Span::styled(format!("{name:<12}"), label)];
        if value.is_empty() && !focused {
            spans.push(Span::styled(hint(name), Style::new().fg(theme.muted)));
        } else {
            // The end of a long value, where the typing is.
            let room = w.saturating_sub(14);
            let v = safe::line(value);
            let shown = if safe::width(&v) > room {
                let chars: Vec<char> = v.chars().collect();
                let mut start = chars.len();
                while start > 0
                    && safe::width(&chars[start - 1..].iter().collect::<String>()) < room
                {
                    start -= 1;
                }
                format!("…{}", chars[start + 1..].iter().collect::<String>())
            } else {
                v.into_owned()
            };
            spans.push(Span::raw(shown));
            if focused {
                spans.push(Span::styled("▏", Style::new().fg(theme.accent)));
            }
        }
        lines.push(Line::from(spans));
        if let Some((_, message)) = problem {
            for l in safe::wrap(&safe::line(message), w.saturating_sub(14)) {
                lines.push(Line::styled(
                    format!("{:<12}{l}", ""),
                    Style::new().fg(theme.error),
                ));
            }
        }
    }
    for (field, message) in &f.problems {
        if !f.fields.iter().any(|(n, _)| n == field) {
            for l in safe::wrap(&safe::line(&format!("{field}: {message}")), w) {
                lines.push(Line::styled(l, Style::new().fg(theme.error)));
            }
        }
    }
    if f.confirm_discard {
        lines.push(Line::styled(
            "Discard this form? Esc again discards; any other key keeps it.",
            Style::new().fg(theme.error),
        ));
    }
    if let Some(e) = &f.error {
        for l in safe::wrap(&safe::line(e), w) {
            lines.push(Line::styled(l, Style::new().fg(theme.error)));
        }
    }
    frame.render_widget(Paragraph::new(lines), inner);
}
