//! Pieces more than one view draws: bordered panes and dialogs, the kind badge, verdict
//! colours, dates, the mark, a statement in full, a text field with its cursor, and the
//! style of a selected row. Views import from here, never from each other.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear};

use super::app::App;
use super::config::Theme;
use super::input::TextField;
use super::layout::centred;
use super::safe;
use crate::model::{Date, Kind, Verdict};
use crate::store::Position;

/// A bordered pane, its border lit when it has the focus.
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

/// A dialog's area: at most `width` × `height`, centred in `body`, cleared for drawing on.
pub fn dialog(frame: &mut Frame, body: Rect, width: u16, height: u16) -> Rect {
    let area = centred(body, width, height);
    frame.render_widget(Clear, area);
    area
}

/// The badge that tells a quote from reported speech from a document, always five cells.
pub fn kind_badge(kind: Kind, theme: &Theme) -> Span<'static> {
    let (text, color) = match kind {
        Kind::Quote => ("quote", theme.quote),
        Kind::Paraphrase => ("para ", theme.paraphrase),
        Kind::Document => ("doc  ", theme.document),
    };
    Span::styled(text, Style::new().fg(color))
}

pub fn verdict_color(v: Verdict, theme: &Theme) -> Color {
    match v {
        Verdict::Contradicts | Verdict::PartlyContradicts => theme.contradicts,
        Verdict::WalksBack => theme.paraphrase,
        Verdict::Consistent => theme.consistent,
        Verdict::Unrelated => theme.muted,
    }
}

/// A date as a list shows it, keeping its precision but not the time of day.
pub fn short_date(d: &Date) -> String {
    match d {
        Date::DateTime(dt) => dt.format("%Y-%m-%d").to_string(),
        d => d.iso(),
    }
}

/// The style of the selected row: the selection's background, bold when its list has the
/// focus.
pub fn selected_style(app: &App, focused: bool) -> Style {
    let s = Style::new().bg(app.config.theme.selected);
    if focused {
        s.add_modifier(Modifier::BOLD)
    } else {
        s
    }
}

/// The colour of secondary text (dates, counts) in a row: muted, except on the selected row,
/// whose background is the muted colour's neighbour, where it would not be read.
pub fn muted_on(app: &App, selected: bool) -> Style {
    if selected {
        Style::new().fg(Color::Reset)
    } else {
        Style::new().fg(app.config.theme.muted)
    }
}

/// The mark beside the marked statement in every list, two cells.
pub fn mark(app: &App, pos: Position) -> Span<'static> {
    if app.is_marked(pos) {
        Span::styled(
            "▶ ",
            Style::new()
                .fg(app.config.theme.accent)
                .add_modifier(Modifier::BOLD),
        )
    } else {
        Span::raw("  ")
    }
}

/// A labelled field, its value wrapped under the label's column.
fn field(out: &mut Vec<Line<'static>>, name: &str, value: &str, width: u16, theme: &Theme) {
    let text = safe::block(value.trim());
    for (i, l) in safe::wrap(&text, usize::from(width).saturating_sub(9))
        .into_iter()
        .enumerate()
    {
        let head = if i == 0 {
            label(name, theme)
        } else {
            Span::raw(" ".repeat(9))
        };
        out.push(Line::from(vec![head, Span::raw(l)]));
    }
}

fn label(name: &str, theme: &Theme) -> Span<'static> {
    Span::styled(format!("{name:<9}"), Style::new().fg(theme.muted))
}

/// The statement at `pos` in full, wrapped to `width` cells.
pub fn statement_lines(app: &App, pos: Option<Position>, width: u16) -> Vec<Line<'static>> {
    let theme = &app.config.theme;
    let Some(pos) = pos else {
        return vec![Line::from("No statement selected.")];
    };
    let (inc, st) = app.corpus.at(pos);
    let w = usize::from(width.max(1));
    let mut out: Vec<Line<'static>> = Vec::new();
    // Where the statement is comes first, so it shows at any width and any scroll.
    let place = format!(
        "{}:{}",
        safe::line(&inc.path.display().to_string()),
        st.line
    );
    let mut who = vec![Span::styled(
        safe::line(&st.speaker).into_owned(),
        Style::new().add_modifier(Modifier::BOLD),
    )];
    if let Some(role) = &st.role {
        who.push(Span::raw(format!(", {}", safe::line(role))));
    }
    if st.organization != st.speaker {
        who.push(Span::styled(
            format!(" ({})", safe::line(&st.organization)),
            Style::new().fg(theme.accent),
        ));
    }
    out.push(Line::from(who));
    let mut second = vec![
        kind_badge(st.kind, theme),
        Span::styled(
            format!(" {} ", st.date.human()),
            Style::new().fg(theme.muted),
        ),
    ];
    if app.is_marked(pos) {
        second.push(Span::styled(
            "▶ marked ",
            Style::new().fg(theme.accent).add_modifier(Modifier::BOLD),
        ));
    }
    out.push(Line::from(second));
    out.push(Line::default());
    let text = safe::block(st.text.trim());
    for l in safe::wrap(&text, w) {
        out.push(Line::from(l));
    }
    if let Some(tr) = &st.translation {
        out.push(Line::default());
        let lang = st
            .lang
            .as_deref()
            .map(|l| format!(" from {}", safe::line(l)));
        out.push(Line::styled(
            format!("Translation{}:", lang.unwrap_or_default()),
            Style::new().fg(theme.muted),
        ));
        for l in safe::wrap(&safe::block(tr.trim()), w) {
            out.push(Line::styled(l, Style::new().add_modifier(Modifier::ITALIC)));
        }
    }
    out.push(Line::default());
    if let Some(ch) = &st.channel {
        field(&mut out, "channel", ch, width, theme);
    }
    let source = st.source.as_deref().and_then(|id| inc.source(id));
    if let Some(src) = source {
        field(&mut out, "source", &src.outlet, width, theme);
    }
    if let Some(url) = st.url.as_deref().or(source.and_then(|s| s.url.as_deref())) {
        field(&mut out, "url", url, width, theme);
    }
    if !st.tags.is_empty() {
        field(&mut out, "tags", &st.tags.join(", "), width, theme);
    }
    if let Some(note) = &st.note {
        field(&mut out, "note", note, width, theme);
    }
    let here = crate::model::StatementRef::new(&inc.id, &st.id);
    for (_, c) in app.verdicts(pos) {
        let other = if c.between[0] == here {
            &c.between[1]
        } else {
            &c.between[0]
        };
        let other_text = app
            .corpus
            .statement(other)
            .map(|(_, s)| safe::first_line(&s.text, 200))
            .unwrap_or_default();
        out.push(Line::from(vec![
            label("verdict", theme),
            Span::styled(
                format!("● {}", c.verdict),
                Style::new().fg(verdict_color(c.verdict, theme)),
            ),
            Span::raw(format!(" {}", safe::line(&other.to_string()))),
        ]));
        field(&mut out, "", &other_text, width, theme);
        if let Some(claim) = &c.claim {
            field(&mut out, "  claim", claim, width, theme);
        }
        if let Some(note) = &c.note {
            field(&mut out, "  note", note, width, theme);
        }
    }
    out.push(Line::styled(
        format!("{}#{}", inc.id, st.id),
        Style::new().fg(theme.muted),
    ));
    // The file and line on a row of their own, wrapped rather than cut: they are what an
    // editor needs.
    for l in safe::wrap(&place, w) {
        out.push(Line::styled(l, Style::new().fg(theme.muted)));
    }
    // Asked off the drawing thread (a frame never waits for git): shown once known.
    if !app.config.hide_git_history
        && let Some(Some(l)) = app.last_changed.get(&(inc.path.clone(), st.id.clone()))
    {
        out.push(Line::styled(
            safe::line(l).into_owned(),
            Style::new().fg(theme.muted),
        ));
    }
    out
}

/// A text field's rows as the screen shows them, `label` before the first, wrapped to
/// `width` cells; with the focus, the cursor's screen position relative to the first row.
pub fn text_field(
    field: &TextField,
    label: Span<'static>,
    label_w: usize,
    width: usize,
    focused: bool,
) -> (Vec<Line<'static>>, Option<(usize, usize)>) {
    let (rows, (row, col)) = field.layout(width.saturating_sub(label_w));
    let lines = rows
        .into_iter()
        .enumerate()
        .map(|(i, r)| {
            let head = if i == 0 {
                label.clone()
            } else {
                Span::raw(" ".repeat(label_w))
            };
            Line::from(vec![head, Span::raw(r)])
        })
        .collect();
    (lines, focused.then_some((row, label_w + col)))
}

/// Draws laid-out lines one to a row from the top of `area`, each cut at its right edge, as a
/// `Paragraph` without wrapping draws them, without a paragraph's reflowing: the lines of a
/// list are built to fit already, and this is most of what a frame draws.
pub fn render_lines(frame: &mut Frame, area: Rect, lines: Vec<Line<'_>>) {
    for (row, line) in (area.y..area.bottom()).zip(lines) {
        frame.render_widget(line, Rect::new(area.x, row, area.width, 1));
    }
}

/// Places the terminal's cursor at (row, column) of `area`, when that is inside it.
pub fn place_cursor(frame: &mut Frame, area: Rect, row: usize, col: usize) {
    let (Ok(r), Ok(c)) = (u16::try_from(row), u16::try_from(col)) else {
        return;
    };
    if r < area.height && c < area.width {
        frame.set_cursor_position(ratatui::layout::Position::new(area.x + c, area.y + r));
    }
}

#[cfg(test)]
mod render_tests {
    use super::*;
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;
    use ratatui::widgets::Paragraph;

    fn drawn(lines: Vec<Line<'static>>, with_paragraph: bool) -> ratatui::buffer::Buffer {
        let mut t = Terminal::new(TestBackend::new(12, 5)).unwrap();
        let frame = t
            .draw(|f| {
                let area = Rect::new(1, 1, 9, 3);
                if with_paragraph {
                    f.render_widget(Paragraph::new(lines.clone()), area);
                } else {
                    render_lines(f, area, lines.clone());
                }
            })
            .unwrap();
        frame.buffer.clone()
    }

    #[test]
    fn lines_draw_as_a_paragraph_draws_them() {
        let sel = Style::new().bg(Color::Blue);
        let cases: Vec<Vec<Line<'static>>> = vec![
            vec![],
            vec![Line::raw("short")],
            vec![Line::raw("far too long for the area")],
            vec![
                Line::from(vec![
                    Span::styled("red ", Style::new().fg(Color::Red)),
                    Span::raw("plain text going on"),
                ])
                .style(sel),
                Line::raw("日本語テキスト"),
                Line::raw("abcdefgh日"),
                Line::raw("one row too many"),
            ],
            vec![Line::default().style(sel), Line::raw("e\u{301}te\u{301}")],
        ];
        for lines in cases {
            assert_eq!(
                drawn(lines.clone(), false),
                drawn(lines.clone(), true),
                "{lines:?}"
            );
        }
    }
}
