//! The incident dialog (`i`): the selected incident's title, company, summary, tags, its
//! sources by outlet with their URL and archived copy, and its counts.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};

use super::app::App;
use super::layout::Extent;
use super::safe;
use super::widgets::{dialog, pane, short_date};

/// The incident's details, wrapped to `width` cells.
pub fn lines(app: &App, width: u16) -> Vec<Line<'static>> {
    let Some(inc) = app.selected_incident() else {
        return vec![Line::raw("No incident selected.")];
    };
    let theme = &app.config.theme;
    let w = usize::from(width.max(1));
    let muted = Style::new().fg(theme.muted);
    let mut out = vec![
        Line::styled(
            safe::line(&inc.title).into_owned(),
            Style::new().add_modifier(Modifier::BOLD),
        ),
        Line::from(vec![
            Span::styled("company  ", muted),
            Span::styled(
                safe::line(&inc.company).into_owned(),
                Style::new().fg(theme.accent),
            ),
        ]),
    ];
    if !inc.tags.is_empty() {
        out.push(Line::from(vec![
            Span::styled("tags     ", muted),
            Span::raw(safe::line(&inc.tags.join(", ")).into_owned()),
        ]));
    }
    out.push(Line::styled(
        format!(
            "{} statements, {} verdicts, {} sources",
            inc.statements.len(),
            inc.contradictions.len(),
            inc.sources.len()
        ),
        muted,
    ));
    out.push(Line::default());
    match &inc.summary {
        Some(summary) => {
            for l in safe::wrap(&safe::block(summary.trim()), w) {
                out.push(Line::raw(l));
            }
        }
        None => out.push(Line::styled("No summary.", muted)),
    }
    out.push(Line::default());
    out.push(Line::styled(
        "Sources",
        Style::new().fg(theme.accent).add_modifier(Modifier::BOLD),
    ));
    if inc.sources.is_empty() {
        out.push(Line::styled("  none recorded", muted));
    }
    for s in &inc.sources {
        let mut head = vec![
            Span::raw(format!("  {} ", safe::line(&s.outlet))),
            Span::styled(format!("({})", safe::line(&s.id)), muted),
        ];
        if let Some(d) = &s.published {
            head.push(Span::styled(format!(" {}", short_date(d)), muted));
        }
        if let Some(l) = &s.lang {
            head.push(Span::styled(format!(" {}", safe::line(l)), muted));
        }
        out.push(Line::from(head));
        if let Some(url) = &s.url {
            for l in safe::wrap(&safe::line(url), w.saturating_sub(4)) {
                out.push(Line::raw(format!("    {l}")));
            }
        }
        match (&s.snapshot, &s.sha256) {
            (Some(path), Some(_)) => out.push(Line::styled(
                format!(
                    "    saved copy {} (hash recorded; `onrecord verify` checks it)",
                    safe::line(path)
                ),
                muted,
            )),
            (Some(path), None) => out.push(Line::styled(
                format!("    saved copy {} (no hash recorded)", safe::line(path)),
                Style::new().fg(theme.error),
            )),
            _ => out.push(Line::styled("    no saved copy", muted)),
        }
        match &s.archived {
            Some(a) => {
                for l in safe::wrap(&format!("archived {}", safe::line(a)), w.saturating_sub(4)) {
                    out.push(Line::styled(format!("    {l}"), muted));
                }
            }
            None => out.push(Line::styled("    no archived copy", muted)),
        }
    }
    out.push(Line::default());
    out.push(Line::styled(
        safe::line(&inc.path.display().to_string()).into_owned(),
        muted,
    ));
    out
}

pub fn draw(frame: &mut Frame, app: &App, scroll: usize, body: Rect) -> Extent {
    let area = dialog(frame, body, 90, 30);
    let title = format!(
        " Incident ({} closes) ",
        app.config
            .keymap
            .key_for(super::keymap::View::Incident, super::action::Action::Back)
    );
    let block = pane(app, title, true);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let all = lines(app, inner.width);
    let rows = usize::from(inner.height);
    let extent = Extent {
        lines: all.len(),
        rows,
    };
    let skip = scroll.min(extent.max_scroll());
    let visible: Vec<Line> = all.into_iter().skip(skip).take(rows).collect();
    super::widgets::render_lines(frame, inner, visible);
    extent
}
