//! The suggestions view: candidate contradictions, ranked, each with its reasons; the selected
//! pair's two statements below.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};

use super::action::Action;
use super::app::App;
use super::keymap::View;
use super::layout::{inner_rows, suggestion_list};
use super::safe::{self, fit};
use super::widgets::{kind_badge, pane, short_date};

pub fn draw(frame: &mut Frame, app: &App, body: Rect) {
    let theme = &app.config.theme;
    let l = &app.suggestions;
    let area = suggestion_list(body);
    let k = |a| app.config.keymap.key_for(View::Suggest, a);
    let title = format!(
        " Suggestions for {} ({}; {} diffs, {} accepts, {} skips, {} writes `unrelated`) ",
        safe::line(&l.title),
        l.items.len(),
        k(Action::Diff),
        k(Action::Accept),
        k(Action::Skip),
        k(Action::Dismiss)
    );
    let block = pane(app, title, true);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let width = usize::from(inner.width);
    let mut lines: Vec<Line> = l
        .items
        .iter()
        .enumerate()
        .skip(l.offset)
        .take(inner_rows(area))
        .map(|(at, s)| {
            let [a, b] = &s.suggestion.between;
            let reasons = s.suggestion.reasons.join("; ");
            let head = format!("{:>4.2} {} ⇄ {} ", s.suggestion.score, a, b);
            let rest = width.saturating_sub(safe::width(&head));
            let line = Line::from(vec![
                Span::styled(head, Style::new().fg(theme.accent)),
                Span::raw(fit(&reasons, rest)),
            ]);
            if at == l.selected {
                line.style(Style::new().bg(theme.selected))
            } else {
                line
            }
        })
        .collect();
    if l.items.is_empty() {
        lines.push(Line::raw(
            "No candidate contradictions left to review here.",
        ));
    }
    super::widgets::render_lines(frame, inner, lines);

    let below = Rect::new(
        body.x,
        area.bottom(),
        body.width,
        body.bottom() - area.bottom(),
    );
    let block = pane(app, " The pair ".into(), false);
    let inner = block.inner(below);
    frame.render_widget(block, below);
    let Some(s) = l.items.get(l.selected) else {
        return;
    };
    let w = usize::from(inner.width);
    let mut out: Vec<Line> = Vec::new();
    for pos in [s.a, s.b] {
        let st = app.corpus.at(pos).1;
        out.push(Line::from(vec![
            Span::styled(
                format!("{} ", short_date(&st.date)),
                Style::new().fg(theme.muted),
            ),
            kind_badge(st.kind, theme),
            Span::styled(
                format!(" {}", safe::line(&st.speaker)),
                Style::new().add_modifier(Modifier::BOLD),
            ),
        ]));
        for l in safe::wrap(&safe::block(st.text.trim()), w)
            .into_iter()
            .take(3)
        {
            out.push(Line::raw(l));
        }
        // Two languages: the English beside the original, so the pair can be read.
        let other = if pos == s.a { s.b } else { s.a };
        let other_lang = app.corpus.at(other).1.lang.as_deref();
        if st.lang.as_deref() != other_lang
            && let Some(tr) = &st.translation
        {
            for l in safe::wrap(&safe::block(tr.trim()), w.saturating_sub(2))
                .into_iter()
                .take(2)
            {
                out.push(Line::styled(
                    format!("  {l}"),
                    Style::new().add_modifier(Modifier::ITALIC),
                ));
            }
        }
    }
    if !s.suggestion.reasons.is_empty() {
        out.push(Line::styled("Why", Style::new().fg(theme.accent)));
        for r in &s.suggestion.reasons {
            out.push(Line::raw(format!("  • {}", safe::line(r))));
        }
    }
    let out: Vec<Line> = out.into_iter().take(usize::from(inner.height)).collect();
    super::widgets::render_lines(frame, inner, out);
}
