//! The diff view: two statements, earlier first, their word diff with deletions and
//! insertions coloured, and the list of changes that matter (negation, restriction, hedge,
//! number).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use unicode_segmentation::UnicodeSegmentation;

use std::sync::Arc;

use super::action::Action;
use super::app::{App, DiffView};
use super::keymap::View;
use super::layout::Extent;
use super::safe;
use super::widgets::{kind_badge, pane, short_date, verdict_color};
use crate::diff::{Compared, OpKind};
use crate::store::Position;

/// Styled words laid into lines of at most `width` cells, breaking at spaces.
fn flow(words: Vec<(String, Style)>, width: usize) -> Vec<Line<'static>> {
    let width = width.max(1);
    let mut lines = Vec::new();
    let mut line: Vec<Span<'static>> = Vec::new();
    let mut used = 0;
    for (word, style) in words {
        if word == "\n" {
            lines.push(Line::from(std::mem::take(&mut line)));
            used = 0;
            continue;
        }
        let w = safe::width(&word);
        if used > 0 && used + 1 + w > width {
            lines.push(Line::from(std::mem::take(&mut line)));
            used = 0;
        }
        if used > 0 {
            line.push(Span::raw(" "));
            used += 1;
        }
        if w <= width {
            line.push(Span::styled(word, style));
            used += w;
            continue;
        }
        // A word wider than the line is cut across lines.
        let mut part = String::new();
        for g in word.graphemes(true) {
            let gw = safe::width(g);
            if used + gw > width {
                line.push(Span::styled(std::mem::take(&mut part), style));
                lines.push(Line::from(std::mem::take(&mut line)));
                used = 0;
            }
            part.push_str(g);
            used += gw;
        }
        line.push(Span::styled(part, style));
    }
    lines.push(Line::from(line));
    lines
}

fn header(app: &App, tag: &str, pos: Position, style: Style) -> Line<'static> {
    let theme = &app.config.theme;
    let (inc, st) = app.corpus.at(pos);
    Line::from(vec![
        Span::styled(format!("{tag} "), style.add_modifier(Modifier::BOLD)),
        Span::styled(
            format!("{} ", short_date(&st.date)),
            Style::new().fg(theme.muted),
        ),
        kind_badge(st.kind, theme),
        Span::raw(format!(" {} ", safe::line(&st.speaker))),
        Span::styled(
            format!("{}#{}", inc.id, st.id),
            Style::new().fg(theme.muted),
        ),
    ])
}

/// The whole diff, wrapped to `width` cells.
pub fn lines(app: &App, d: &DiffView, width: u16) -> Vec<Line<'static>> {
    let theme = &app.config.theme;
    let del = Style::new()
        .fg(theme.contradicts)
        .add_modifier(Modifier::CROSSED_OUT);
    let ins = Style::new()
        .fg(theme.consistent)
        .add_modifier(Modifier::UNDERLINED);
    let w = usize::from(width);
    let mut out = vec![
        header(app, "−", d.a, Style::new().fg(theme.contradicts)),
        header(app, "+", d.b, Style::new().fg(theme.consistent)),
    ];
    if d.diff.compared == Compared::Translation {
        out.push(Line::styled(
            "(different languages: compared through their English versions, below; the \
             originals first)",
            Style::new().fg(theme.muted),
        ));
        for (mark, pos) in [("−", d.a), ("+", d.b)] {
            let st = app.corpus.at(pos).1;
            let lang = st.lang.as_deref().map(safe::line).unwrap_or_default();
            let text = format!("{mark} ({lang}) {}", safe::block(st.text.trim()));
            for l in safe::wrap(&text, w) {
                out.push(Line::styled(l, Style::new().add_modifier(Modifier::ITALIC)));
            }
        }
    }
    out.push(Line::default());
    let mut words = Vec::new();
    for op in &d.diff.ops {
        let style = match op.op {
            OpKind::Equal => Style::new(),
            OpKind::Delete => del,
            OpKind::Insert => ins,
        };
        let start = words.len();
        let text = safe::block(&op.text);
        for (i, para) in text.split('\n').enumerate() {
            if i > 0 {
                words.push(("\n".to_string(), style));
            }
            words.extend(
                para.split(' ')
                    .filter(|w| !w.is_empty())
                    .map(|w| (w.to_string(), style)),
            );
        }
        // Brackets as `git diff --word-diff` writes them, so the diff reads without colour.
        let (open, close) = match op.op {
            OpKind::Equal => continue,
            OpKind::Delete => ("[-", "-]"),
            OpKind::Insert => ("{+", "+}"),
        };
        let run: Vec<usize> = (start..words.len())
            .filter(|&i| words[i].0 != "\n")
            .collect();
        if let (Some(&first), Some(&last)) = (run.first(), run.last()) {
            words[first].0.insert_str(0, open);
            words[last].0.push_str(close);
        }
    }
    out.extend(flow(words, w));
    out.push(Line::default());
    out.push(Line::styled(
        "Changes that matter",
        Style::new().fg(theme.accent).add_modifier(Modifier::BOLD),
    ));
    if d.diff.changes.is_empty() {
        out.push(Line::raw(
            "  none found: no negation, restriction, hedge, time or number changed",
        ));
    }
    for c in &d.diff.changes {
        for (i, l) in safe::wrap(&safe::line(&c.describe()), w.saturating_sub(4))
            .into_iter()
            .enumerate()
        {
            out.push(Line::raw(format!(
                "{}{l}",
                if i == 0 { "  • " } else { "    " }
            )));
        }
    }
    let (ra, rb) = (app.reference(d.a), app.reference(d.b));
    let verdicts: Vec<_> = app
        .corpus
        .contradictions()
        .filter(|(_, c)| c.involves_pair(&ra, &rb))
        .collect();
    if !verdicts.is_empty() {
        out.push(Line::default());
        for (_, c) in verdicts {
            out.push(Line::from(vec![
                Span::styled("Tagged ", Style::new().fg(theme.muted)),
                Span::styled(
                    format!("● {}", c.verdict),
                    Style::new().fg(verdict_color(c.verdict, theme)),
                ),
                Span::raw(
                    c.tagged_by
                        .as_deref()
                        .map(|b| format!(" by {}", safe::line(b)))
                        .unwrap_or_default(),
                ),
            ]));
        }
    }
    out
}

/// Draws the diff on top of the stack; returns how much there is to scroll.
pub fn draw(frame: &mut Frame, app: &App, d: &DiffView, area: Rect) -> Extent {
    let k = |a| app.config.keymap.key_for(View::Diff, a);
    let title = format!(
        " Diff ({} tags the pair, {} removes its verdict, {} goes back) ",
        k(Action::Tag),
        k(Action::Untag),
        k(Action::Back)
    );
    let block = pane(app, title, true);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    // Laid out once per pair and width: a frame only takes the rows it shows.
    let all = {
        let mut laid = d.laid.borrow_mut();
        match &*laid {
            Some((w, lines)) if *w == inner.width => lines.clone(),
            _ => {
                let lines = Arc::new(lines(app, d, inner.width));
                *laid = Some((inner.width, lines.clone()));
                lines
            }
        }
    };
    let rows = usize::from(inner.height);
    let extent = Extent {
        lines: all.len(),
        rows,
    };
    let skip = d.scroll.min(extent.max_scroll());
    let visible: Vec<Line> = all.iter().skip(skip).take(rows).cloned().collect();
    super::widgets::render_lines(frame, inner, visible);
    extent
}
