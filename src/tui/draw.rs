//! Drawing the whole screen from the state: the too-small message, the top full-screen view
//! with the dialogs stacked over it, and the status line. Read-only: drawing never changes
//! the state; it returns what it laid out ([`Drawn`]) for `update` to clamp scrolling with.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::app::{App, Confirm, Layer};
use super::layout::{Areas, Drawn, MIN_HEIGHT, MIN_WIDTH};
use super::widgets::{dialog, pane};
use super::{browse, diff, failed, form, help, incident, safe, search, suggest, tag, timeline};

/// Draws the screen; returns what it laid out.
pub fn draw(frame: &mut Frame, app: &App) -> Drawn {
    let mut drawn = app.drawn;
    let area = frame.area();
    let Some(areas) = Areas::new(area.width, area.height) else {
        too_small(frame, area);
        return drawn;
    };
    // From the top-most full-screen view up: dialogs are drawn over what is under them.
    let base = app.stack.iter().rposition(|l| !l.is_dialog()).unwrap_or(0);
    for layer in &app.stack[base..] {
        match layer {
            Layer::Browse => drawn.detail = browse::draw(frame, app, &areas),
            Layer::Search => search::draw(frame, app, areas.body),
            Layer::Diff(d) => drawn.diff = diff::draw(frame, app, d, areas.body),
            Layer::Timeline => timeline::draw(frame, app, areas.body),
            Layer::Suggest => suggest::draw(frame, app, areas.body),
            Layer::Failed { selected } => failed::draw(frame, app, *selected, areas.body),
            Layer::Help { scroll } => drawn.help = help::draw(frame, app, *scroll, areas.body),
            Layer::Incident { scroll } => {
                drawn.incident = incident::draw(frame, app, *scroll, areas.body)
            }
            Layer::Filter { .. } => browse::filter(frame, app, &areas),
            Layer::Tag(t) => tag::draw(frame, app, t, areas.body),
            Layer::Form(f) => form::draw(frame, app, f, areas.body),
            Layer::Confirm(c) => confirm(frame, app, c, areas.body),
        }
    }
    status(frame, app, areas.status);
    drawn
}

fn too_small(frame: &mut Frame, area: Rect) {
    let text = format!("terminal too small: make it at least {MIN_WIDTH}×{MIN_HEIGHT}");
    let line = safe::fit(&text, usize::from(area.width));
    frame.render_widget(
        Paragraph::new(line),
        Rect::new(area.x, area.y, area.width, 1.min(area.height)),
    );
}

/// The question before a change, with its two answers.
fn confirm(frame: &mut Frame, app: &App, c: &Confirm, body: Rect) {
    let theme = &app.config.theme;
    let w = 70.min(body.width.saturating_sub(4));
    let text = safe::wrap(&safe::line(&c.question), usize::from(w.saturating_sub(2)));
    let area = dialog(frame, body, w, text.len() as u16 + 4);
    let block = pane(app, " Are you sure? ".into(), true);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let mut lines: Vec<Line> = text.into_iter().map(Line::raw).collect();
    lines.push(Line::default());
    let mut answer = Vec::new();
    for (key, name) in app.config.keymap.hints(super::keymap::View::Confirm) {
        answer.push(Span::styled(key, Style::new().fg(theme.accent)));
        answer.push(Span::raw(format!(" {name}  ")));
    }
    lines.push(Line::from(answer));
    super::widgets::render_lines(frame, inner, lines);
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
    // The mark stays in sight until it is cleared.
    if let Some(m) = &app.marked {
        spans.push(Span::styled(" │ ", Style::new().fg(theme.muted)));
        spans.push(Span::styled(
            format!("▶ {}", safe::line(&m.to_string())),
            Style::new().fg(theme.accent).add_modifier(Modifier::BOLD),
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
            for (i, (key, name)) in app.config.keymap.hints(app.view()).into_iter().enumerate() {
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
