//! The failed-files view: each file that did not load, with `path:line:col` and the message of
//! every error that kept it out.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::app::App;
use super::draw::pane;
use super::safe;

/// Each error of a file that failed to load, wrapped to `width` cells.
pub fn lines(app: &App, width: u16) -> Vec<Line<'static>> {
    let theme = &app.config.theme;
    let failed = &app.corpus.failed;
    if failed.is_empty() {
        return vec![Line::raw("Every file loaded.")];
    }
    let mut out = Vec::new();
    for path in failed {
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
                    out.push(Line::from(vec![
                        Span::styled(place.clone(), Style::new().fg(theme.error)),
                        Span::raw(rest),
                    ]));
                } else {
                    out.push(Line::raw(format!("  {l}")));
                }
            }
        }
        if !any {
            out.push(Line::styled(
                format!("{}: did not load", safe::line(&path.display().to_string())),
                Style::new().fg(theme.error),
            ));
        }
    }
    out
}

pub fn draw(frame: &mut Frame, app: &App, area: Rect) {
    let n = app.corpus.failed.len();
    let title = format!(
        " {n} file{} failed to load (r reloads) ",
        if n == 1 { "" } else { "s" }
    );
    let block = pane(app, title, true);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let rows = usize::from(inner.height);
    let all = lines(app, inner.width.saturating_sub(2));
    let skip = app.failed_scroll.min(all.len().saturating_sub(rows));
    let visible: Vec<Line> = all.into_iter().skip(skip).take(rows).collect();
    frame.render_widget(Paragraph::new(visible), inner);
}
