//! The tag dialog, drawn over the view it was opened from: the two statements, the verdict
//! already on record, the verdict to choose (a list), which statement is under review, the
//! claim and the note (text fields), and the error of the last save.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};

use super::action::Action;
use super::app::{App, TagDialog, TagField};
use super::keymap::View;
use super::safe;
use super::widgets::{dialog, pane, place_cursor, text_field, verdict_color};
use crate::model::Verdict;

fn key(app: &App, action: Action) -> String {
    app.config.keymap.key_for(View::Tag, action)
}

pub fn draw(frame: &mut Frame, app: &App, t: &TagDialog, body: Rect) {
    let theme = &app.config.theme;
    let area = dialog(frame, body, 90, 24);
    let title = format!(
        " Tag a verdict ({} or {} saves, {} cancels) ",
        key(app, Action::Submit),
        key(app, Action::Save),
        key(app, Action::Back)
    );
    let block = pane(app, title, true);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let w = usize::from(inner.width);
    let muted = Style::new().fg(theme.muted);
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
            muted
        }
    };
    let mut lines = Vec::new();
    for (r, later) in [(&t.a, false), (&t.b, true)] {
        let under_review = if later == t.reviewed_later {
            " (under review)"
        } else {
            ""
        };
        lines.push(Line::styled(
            format!(
                "{} {}{under_review}",
                if later { "later  " } else { "earlier" },
                safe::line(&r.to_string())
            ),
            muted,
        ));
        lines.push(Line::raw(format!("  {}", text_of(r))));
    }
    if let Some(old) = &t.on_record {
        let mut head = vec![
            Span::styled("on record ", muted),
            Span::styled(
                format!("● {}", old.verdict),
                Style::new().fg(verdict_color(old.verdict, theme)),
            ),
        ];
        let who = match (&old.by, &old.at) {
            (Some(by), Some(at)) => format!(" by {} on {at}", safe::line(by)),
            (Some(by), None) => format!(" by {}", safe::line(by)),
            (None, Some(at)) => format!(" on {at}"),
            (None, None) => String::new(),
        };
        head.push(Span::styled(who, muted));
        lines.push(Line::from(head));
        for (name, v) in [("claim", &old.claim), ("note", &old.note)] {
            if let Some(v) = v {
                lines.push(Line::styled(
                    format!("  {name} {}", safe::first_line(v, w.saturating_sub(9))),
                    muted,
                ));
            }
        }
    }
    lines.push(Line::default());
    let v = Verdict::ALL[t.verdict];
    lines.push(Line::from(vec![
        Span::styled("verdict  ", focus(TagField::Verdict)),
        Span::styled("◀ ", muted),
        Span::styled(
            v.to_string(),
            Style::new()
                .fg(verdict_color(v, theme))
                .add_modifier(Modifier::BOLD),
        ),
        Span::styled(
            format!(
                " ▶  ({}/{}{})",
                t.verdict + 1,
                Verdict::ALL.len(),
                if t.field == TagField::Verdict {
                    ", arrows choose"
                } else {
                    ""
                }
            ),
            muted,
        ),
    ]));
    lines.push(Line::styled(format!("         {}", v.meaning()), muted));
    lines.push(Line::from(vec![
        Span::styled("reviewed ", focus(TagField::Reviewed)),
        Span::raw(if t.reviewed_later {
            "the later statement"
        } else {
            "the earlier statement"
        }),
        Span::styled(
            if t.field == TagField::Reviewed {
                "  (arrows switch)"
            } else {
                ""
            },
            muted,
        ),
    ]));
    let mut cursor = None;
    for (name, f, field) in [
        ("claim", TagField::Claim, &t.claim),
        ("note", TagField::Note, &t.note),
    ] {
        let label = Span::styled(format!("{name:<9}"), focus(f));
        let (rows, at) = text_field(field, label, 9, w, t.field == f);
        if let Some((r, c)) = at {
            cursor = Some((lines.len() + r, c));
        }
        lines.extend(rows);
    }
    lines.push(Line::styled(
        format!(
            "tagged by {}; in the note, {} is a line break",
            safe::line(app.tagger()),
            key(app, Action::Submit)
        ),
        muted,
    ));
    if t.confirm_discard {
        lines.push(Line::styled(
            format!(
                "Discard what you typed? {} again discards; any other key keeps it.",
                key(app, Action::Back)
            ),
            Style::new().fg(theme.error),
        ));
    }
    if let Some(e) = &t.error {
        for l in safe::wrap(&safe::line(e), w) {
            lines.push(Line::styled(l, Style::new().fg(theme.error)));
        }
    }
    if let Some((r, c)) = cursor {
        place_cursor(frame, inner, r, c);
    }
    super::widgets::render_lines(frame, inner, lines);
}
