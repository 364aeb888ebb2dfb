//! Drawing the whole screen from the state: the too-small message, the open view, and the
//! status line. Read-only: drawing never changes the state.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use super::app::{App, Areas, MIN_HEIGHT, MIN_WIDTH, View};
use super::{browse, diff, failed, form, help, safe, search, suggest, tag, timeline};

/// Draws the screen.
pub fn draw(frame: &mut Frame, app: &App) {
    let area = frame.area();
    let Some(areas) = Areas::new(area.width, area.height) else {
        too_small(frame, area);
        return;
    };
    match app.view {
        View::Browse => browse::draw(frame, app, &areas),
        View::Help => help::draw(frame, app, areas.body),
        View::Failed => failed::draw(frame, app, areas.body),
        View::Search => search::draw(frame, app, areas.body),
        View::Diff => diff::draw(frame, app, areas.body),
        View::Timeline => timeline::draw(frame, app, areas.body),
        View::Form => {
            browse::draw(frame, app, &areas);
            form::draw(frame, app, areas.body);
        }
        View::Suggest => suggest::draw(frame, app, areas.body),
        View::Tag => {
            match app.tag.as_ref().map(|t| t.over) {
                Some(View::Diff) => diff::draw(frame, app, areas.body),
                Some(View::Suggest) => suggest::draw(frame, app, areas.body),
                _ => browse::draw(frame, app, &areas),
            }
            tag::draw(frame, app, areas.body);
        }
    }
    status(frame, app, areas.status);
}

fn too_small(frame: &mut Frame, area: Rect) {
    let text = format!("terminal too small: make it at least {MIN_WIDTH}×{MIN_HEIGHT}");
    let line = safe::fit(&text, usize::from(area.width));
    frame.render_widget(
        Paragraph::new(line),
        Rect::new(area.x, area.y, area.width, 1.min(area.height)),
    );
}

/// A bordered pane, its border lit when it has the focus.
/// A dialog's area: at most `width` × `height`, centred in `body`, cleared for drawing on.
pub fn dialog(frame: &mut Frame, body: Rect, width: u16, height: u16) -> Rect {
    let width = body.width.saturating_sub(4).min(width);
    let height = body.height.saturating_sub(2).min(height);
    let area = Rect::new(
        body.x + (body.width - width) / 2,
        body.y + (body.height - height) / 2,
        width,
        height,
    );
    frame.render_widget(Clear, area);
    area
}

pub fn pane<'a>(app: &App, title: String, focused: bool) -> Block<'a> {
    let theme = &app.config.theme;
    let style = if focused {
        Style::new().fg(theme.accent)
    } else {
        Style::new().fg(theme.muted)
    };
    Block::new()
        .borders(Borders::ALL)
        .border_style(style)
        .title(Span::styled(
            title,
            style.add_modifier(if focused {
                Modifier::BOLD
            } else {
                Modifier::empty()
            }),
        ))
}

fn status(frame: &mut Frame, app: &App, area: Rect) {
    let theme = &app.config.theme;
    let failed = app.corpus.failed.len();
    let (n, m) = (app.corpus.incidents.len(), app.index.statements);
    let mut spans = vec![Span::raw(if let Some(files) = app.loading {
        format!(" loading {files} files…")
    } else if area.width >= 100 {
        let plural =
            |k: usize, one: &str, many: &str| format!("{k} {}", if k == 1 { one } else { many });
        format!(
            " {} · {}",
            plural(n, "incident", "incidents"),
            plural(m, "statement", "statements")
        )
    } else {
        format!(" {n} inc · {m} st")
    })];
    if failed > 0 {
        spans.push(Span::styled(
            format!(" · {failed} failed"),
            Style::new().fg(theme.error).add_modifier(Modifier::BOLD),
        ));
    }
    spans.push(Span::styled(" │ ", Style::new().fg(theme.muted)));
    match &app.message {
        Some(m) => spans.push(Span::styled(
            safe::line(&m.text).into_owned(),
            if m.error {
                Style::new().fg(theme.error)
            } else {
                Style::new().fg(theme.accent)
            },
        )),
        None => {
            for (i, (key, name)) in app.config.keymap.hints(app.mode()).into_iter().enumerate() {
                if i > 0 {
                    spans.push(Span::raw("  "));
                }
                spans.push(Span::styled(key, Style::new().fg(theme.accent)));
                spans.push(Span::raw(format!(" {name}")));
            }
        }
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}
