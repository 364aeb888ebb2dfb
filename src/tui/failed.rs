//! The failed-files view: each file that did not load, with `path:line:col` and the message of
//! every error that kept it out. One file is selected; `e` opens it at its first error.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};

use super::action::Action;
use super::app::App;
use super::keymap::View;
use super::safe;
use super::widgets::pane;

/// Each error of a file that failed to load, wrapped to `width` cells, with the position of
/// its file in `corpus.failed`.
pub fn lines(app: &App, width: u16) -> Vec<(usize, Line<'static>)> {
    let theme = &app.config.theme;
    let failed = &app.corpus.failed;
    if failed.is_empty() {
        return vec![(0, Line::raw("Every file loaded."))];
    }
    let mut out = Vec::new();
    for (at, path) in failed.iter().enumerate() {
        let mut any = false;
        for d in app
            .corpus
            .diagnostics
            .iter()
            .filter(|d| d.is_error() && &d.path == path)
        {
            any = true;
            let place = format!(
                "{}:{}:{}:",
                safe::line(&d.path.display().to_string()),
                d.line,
                d.column
            );
            let text = format!("{place} {}", safe::line(&d.message));
            for (i, l) in safe::wrap(&text, usize::from(width))
                .into_iter()
                .enumerate()
            {
                if i == 0 && l.starts_with(&place) {
                    let rest = l[place.len()..].to_string();
                    out.push((
                        at,
                        Line::from(vec![
                            Span::styled(place.clone(), Style::new().fg(theme.error)),
                            Span::raw(rest),
                        ]),
                    ));
                } else {
                    out.push((at, Line::raw(format!("  {l}"))));
                }
            }
        }
        if !any {
            out.push((
                at,
                Line::styled(
                    format!("{}: did not load", safe::line(&path.display().to_string())),
                    Style::new().fg(theme.error),
                ),
            ));
        }
    }
    out
}

pub fn draw(frame: &mut Frame, app: &App, selected: usize, area: Rect) {
    let n = app.corpus.failed.len();
    let k = |a| app.config.keymap.key_for(View::Failed, a);
    let title = format!(
        " {n} file{} failed to load ({} opens the selected one at its error, {} reloads) ",
        if n == 1 { "" } else { "s" },
        k(Action::Edit),
        k(Action::Reload)
    );
    let block = pane(app, title, true);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let rows = usize::from(inner.height);
    let all = lines(app, inner.width.saturating_sub(2));
    // Keep the selected file's first line on screen.
    let first = all.iter().position(|(at, _)| *at == selected).unwrap_or(0);
    let last = all.iter().rposition(|(at, _)| *at == selected).unwrap_or(0);
    let skip = if last >= rows {
        (last + 1 - rows).min(first)
    } else {
        0
    };
    let style = Style::new()
        .bg(app.config.theme.selected)
        .add_modifier(Modifier::BOLD);
    let visible: Vec<Line> = all
        .into_iter()
        .skip(skip)
        .take(rows)
        .map(|(at, l)| {
            if at == selected && n > 0 {
                l.style(style)
            } else {
                l
            }
        })
        .collect();
    super::widgets::render_lines(frame, inner, visible);
}
