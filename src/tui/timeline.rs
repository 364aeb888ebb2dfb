//! The timeline view: what one organization said, by date, across incidents.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::action::Action;
use super::app::App;
use super::keymap::View;
use super::layout::inner_rows;
use super::safe::{self, fit};
use super::widgets::{kind_badge, mark, muted_on, pane, short_date};

pub fn draw(frame: &mut Frame, app: &App, area: Rect) {
    let theme = &app.config.theme;
    let l = &app.timeline;
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
    let lines: Vec<Line> = l
        .items
        .iter()
        .enumerate()
        .skip(l.offset)
        .take(inner_rows(area))
        .map(|(at, (pos, e))| {
            let rest = width.saturating_sub(11 + 6 + 2 + inc_w + 1 + speaker_w + 1);
            let muted = muted_on(app, at == l.selected);
            let line = Line::from(vec![
                Span::styled(format!("{} ", fit(&short_date(&e.date), 10)), muted),
                kind_badge(e.kind, theme),
                Span::raw(" "),
                mark(app, *pos),
                Span::styled(
                    format!("{} ", fit(&app.corpus.incidents[pos.0].id, inc_w)),
                    muted,
                ),
                Span::styled(
                    format!("{} ", fit(&e.speaker, speaker_w)),
                    Style::new().fg(theme.accent),
                ),
                Span::raw(safe::first_line(&e.text, rest)),
            ]);
            if at == l.selected {
                line.style(Style::new().bg(theme.selected))
            } else {
                line
            }
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}
