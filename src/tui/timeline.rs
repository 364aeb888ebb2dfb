//! The timeline view: what one organization said, by date, across incidents; or a claim set
//! against what its organization said from then on, each statement's likeness to the claim,
//! whether it flips it, the verdict on record, and below, what changed from the claim.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};

use super::action::Action;
use super::app::App;
use super::keymap::View;
use super::layout::{inner_rows, timeline_list};
use super::safe::{self, fit};
use super::widgets::{kind_badge, mark, muted_on, pane, short_date, verdict_color};
use crate::diff::Compared;

pub fn draw(frame: &mut Frame, app: &App, body: Rect) {
    let theme = &app.config.theme;
    let l = &app.timeline;
    let claim = app.timeline_claim.is_some();
    let area = timeline_list(body, claim);
    let k = |a| app.config.keymap.key_for(View::Timeline, a);
    let title = format!(
        " Timeline: {} ({} statements; {} opens, {} marks) ",
        safe::line(&l.title),
        l.items.len(),
        k(Action::Open),
        k(Action::Mark)
    );
    let block = pane(app, title, true);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let width = usize::from(inner.width);
    let inc_w = (width / 5).clamp(8, 24);
    let speaker_w = (width / 6).clamp(6, 20);
    let compare_w = if claim { 9 } else { 0 };
    let lines: Vec<Line> = l
        .items
        .iter()
        .enumerate()
        .skip(l.offset)
        .take(inner_rows(area))
        .map(|(at, (pos, e))| {
            let rest = width.saturating_sub(11 + 6 + 2 + compare_w + inc_w + 1 + speaker_w + 1);
            let muted = muted_on(app, at == l.selected);
            let mut spans = vec![
                Span::styled(format!("{} ", fit(&short_date(&e.date), 10)), muted),
                kind_badge(e.kind, theme),
                Span::raw(" "),
                mark(app, *pos),
            ];
            if claim {
                // Likeness to the claim, a flip, and the verdict on record: nine cells.
                let likeness = match (e.claim, e.similarity) {
                    (true, _) => "claim".to_string(),
                    (_, Some(s)) => format!("{s:.2} "),
                    _ => "     ".to_string(),
                };
                spans.push(Span::styled(format!("{likeness:<5}"), muted));
                spans.push(Span::styled(
                    if e.flips == Some(true) { " ⇄" } else { "  " },
                    Style::new().fg(theme.contradicts),
                ));
                spans.push(match e.verdict {
                    Some(v) => Span::styled(" ● ", Style::new().fg(verdict_color(v, theme))),
                    None => Span::raw("   "),
                });
            }
            spans.extend([
                Span::styled(
                    format!("{} ", fit(&app.corpus.incidents[pos.incident].id, inc_w)),
                    muted,
                ),
                Span::styled(
                    format!("{} ", fit(&e.speaker, speaker_w)),
                    Style::new().fg(theme.accent),
                ),
                Span::raw(safe::first_line(&e.text, rest)),
            ]);
            let line = Line::from(spans);
            if at == l.selected {
                line.style(Style::new().bg(theme.selected))
            } else {
                line
            }
        })
        .collect();
    super::widgets::render_lines(frame, inner, lines);
    if !claim {
        return;
    }
    let below = Rect::new(
        body.x,
        area.bottom(),
        body.width,
        body.bottom().saturating_sub(area.bottom()),
    );
    let block = pane(app, " What changed from the claim ".into(), false);
    let inner = block.inner(below);
    frame.render_widget(block, below);
    let Some((_, e)) = l.items.get(l.selected) else {
        return;
    };
    let w = usize::from(inner.width);
    let mut out: Vec<Line> = Vec::new();
    for l in safe::wrap(&safe::block(e.text.trim()), w) {
        out.push(Line::raw(l));
    }
    // Different languages are compared through their English: show it.
    if e.compared == Some(Compared::Translation)
        && let Some(tr) = &e.translation
    {
        for l in safe::wrap(&safe::block(tr.trim()), w.saturating_sub(2)) {
            out.push(Line::styled(
                format!("  {l}"),
                Style::new().add_modifier(Modifier::ITALIC),
            ));
        }
    }
    if e.claim {
        out.push(Line::styled(
            "This is the claim; the rest are compared with it.",
            Style::new().fg(theme.muted),
        ));
    } else if e.changes.is_empty() {
        out.push(Line::styled(
            "No negation, restriction, hedge, time or number changed.",
            Style::new().fg(theme.muted),
        ));
    }
    for c in &e.changes {
        for (i, l) in safe::wrap(&safe::line(c), w.saturating_sub(4))
            .into_iter()
            .enumerate()
        {
            out.push(Line::raw(format!(
                "{}{l}",
                if i == 0 { "  • " } else { "    " }
            )));
        }
    }
    let out: Vec<Line> = out.into_iter().take(usize::from(inner.height)).collect();
    super::widgets::render_lines(frame, inner, out);
}
