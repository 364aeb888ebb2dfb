//! The help view: every key of every mode, generated from the keymap that dispatches them.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::app::App;
use super::draw::pane;
use super::keymap::Mode;
use super::safe::fit;

/// The help text, one entry a line.
pub fn lines(app: &App) -> Vec<Line<'static>> {
    let theme = &app.config.theme;
    let mut out = Vec::new();
    for mode in Mode::ALL {
        if !out.is_empty() {
            out.push(Line::default());
        }
        out.push(Line::styled(
            mode.title(),
            Style::new().fg(theme.accent).add_modifier(Modifier::BOLD),
        ));
        for (keys, action) in app.config.keymap.describe(mode) {
            let keys: Vec<String> = keys.iter().map(|k| k.label()).collect();
            out.push(Line::from(vec![
                Span::styled(
                    format!("  {} ", fit(&keys.join(" "), 18)),
                    Style::new().fg(theme.accent),
                ),
                Span::raw(action.help()),
            ]));
        }
    }
    out.push(Line::default());
    out.push(Line::styled(
        "Mouse",
        Style::new().fg(theme.accent).add_modifier(Modifier::BOLD),
    ));
    out.push(Line::raw(
        "  the wheel moves the selection in the pane under it; a click selects a row",
    ));
    out
}

pub fn draw(frame: &mut Frame, app: &App, area: Rect) {
    let block = pane(app, " Keys (Esc closes) ".into(), true);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let rows = usize::from(inner.height);
    let all = lines(app);
    let skip = app.help_scroll.min(all.len().saturating_sub(rows));
    let visible: Vec<Line> = all.into_iter().skip(skip).take(rows).collect();
    frame.render_widget(Paragraph::new(visible), inner);
}
