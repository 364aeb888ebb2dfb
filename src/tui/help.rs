//! The help view: every key of every mode, generated from the keymap that dispatches them.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};

use super::app::App;
use super::keymap::View;
use super::layout::Extent;
use super::safe::{fit, wrap};
use super::widgets::pane;

/// The help text, wrapped to `width` cells.
pub fn lines(app: &App, width: u16) -> Vec<Line<'static>> {
    let text_w = usize::from(width).saturating_sub(21).max(10);
    let theme = &app.config.theme;
    let mut out = Vec::new();
    for mode in View::ALL {
        if !out.is_empty() {
            out.push(Line::default());
        }
        out.push(Line::styled(
            mode.title(),
            Style::new().fg(theme.accent).add_modifier(Modifier::BOLD),
        ));
        for (keys, action) in app.config.keymap.describe(mode) {
            let keys: Vec<String> = keys.iter().map(|k| k.label()).collect();
            for (i, text) in wrap(action.help(), text_w).into_iter().enumerate() {
                let keys = if i == 0 {
                    keys.join(" ")
                } else {
                    String::new()
                };
                out.push(Line::from(vec![
                    Span::styled(
                        format!("  {} ", fit(&keys, 18)),
                        Style::new().fg(theme.accent),
                    ),
                    Span::raw(text),
                ]));
            }
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
    out.push(Line::default());
    out.push(Line::styled(
        "Anywhere",
        Style::new().fg(theme.accent).add_modifier(Modifier::BOLD),
    ));
    out.push(Line::raw("  C-c quits, whatever the config binds"));
    out.push(Line::raw(
        "  a paste goes into the field being typed in, line breaks kept where the field has lines",
    ));
    out
}

pub fn draw(frame: &mut Frame, app: &App, scroll: usize, area: Rect) -> Extent {
    let title = format!(
        " Keys ({} closes) ",
        app.config
            .keymap
            .key_for(View::Help, super::action::Action::Back)
    );
    let block = pane(app, title, true);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let rows = usize::from(inner.height);
    let all = lines(app, inner.width);
    let extent = Extent {
        lines: all.len(),
        rows,
    };
    let skip = scroll.min(extent.max_scroll());
    let visible: Vec<Line> = all.into_iter().skip(skip).take(rows).collect();
    super::widgets::render_lines(frame, inner, visible);
    extent
}
