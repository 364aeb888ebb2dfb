//! The tag dialog, drawn over the view it was opened from: the two statements, the verdict to
//! choose, the claim and the note, and the error of the last save.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::app::{App, TagField};
use super::draw::pane;
use super::safe;
use crate::model::Verdict;

pub fn draw(frame: &mut Frame, app: &App, body: Rect) {
    let Some(t) = &app.tag else { return };
    let theme = &app.config.theme;
    let area = super::draw::dialog(frame, body, 90, 16);
    let block = pane(
        app,
        " Tag a verdict (Enter saves, Esc cancels) ".into(),
        true,
    );
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let w = usize::from(inner.width);
    let text_of = |r: &crate::model::StatementRef| {
        app.corpus
            .statement(r)
            .map(|(_, s)| safe::first_line(&s.text, w.saturating_sub(4)))
            .unwrap_or_default()
    };
    let focus = |f: TagField| {
        if t.field == f {
            Style::new().fg(theme.accent).add_modifier(Modifier::BOLD)
        } else {
            Style::new().fg(theme.muted)
        }
    };
    let mut lines = vec![
        Line::styled(
            safe::line(&t.a.to_string()).into_owned(),
            Style::new().fg(theme.muted),
        ),
        Line::raw(format!("  {}", text_of(&t.a))),
        Line::styled(
            safe::line(&t.b.to_string()).into_owned(),
            Style::new().fg(theme.muted),
        ),
        Line::raw(format!("  {}", text_of(&t.b))),
        Line::default(),
    ];
    let v = Verdict::ALL[t.verdict];
    lines.push(Line::from(vec![
        Span::styled("verdict  ", focus(TagField::Verdict)),
        Span::styled("◀ ", Style::new().fg(theme.muted)),
        Span::styled(
            v.to_string(),
            Style::new()
                .fg(super::browse::verdict_color(v, theme))
                .add_modifier(Modifier::BOLD),
        ),
        Span::styled(
            format!(
                " ▶  ({}/{}, ←/→ to change)",
                t.verdict + 1,
                Verdict::ALL.len()
            ),
            Style::new().fg(theme.muted),
        ),
    ]));
    lines.push(Line::styled(
        format!("         {}", Verdict::ALL[t.verdict].meaning()),
        Style::new().fg(theme.muted),
    ));
    let field = |name: &str, value: &str, f: TagField| {
        let shown = safe::fit(value, w.saturating_sub(10));
        let cursor = if t.field == f { "▏" } else { "" };
        Line::from(vec![
            Span::styled(format!("{name:<9}"), focus(f)),
            Span::raw(format!("{}{cursor}", shown.trim_end())),
        ])
    };
    lines.push(field("claim", &t.claim, TagField::Claim));
    lines.push(field("note", &t.note, TagField::Note));
    lines.push(Line::styled(
        format!("tagged by {}", safe::line(app.tagger())),
        Style::new().fg(theme.muted),
    ));
    if t.confirm_discard {
        lines.push(Line::styled(
            "Discard what you typed? Esc again discards; any other key keeps it.",
            Style::new().fg(theme.error),
        ));
    }
    if let Some(e) = &t.error {
        for l in safe::wrap(&safe::line(e), w) {
            lines.push(Line::styled(l, Style::new().fg(theme.error)));
        }
    }
    frame.render_widget(Paragraph::new(lines), inner);
}
