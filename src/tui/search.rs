//! The search view: the search box, the results across the whole corpus with the matched
//! characters lit, and the selected result in full.

use std::ops::Range;

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_segmentation::UnicodeSegmentation;

use super::app::App;
use super::layout::{inner_rows, search_input, search_preview, search_results};
use super::safe::{self, fit};
use super::widgets::{kind_badge, mark, muted_on, pane, short_date, statement_lines};
use crate::search::{Field, Hit};

/// `text` cut to `cells` cells with the byte `ranges` lit. When the first match lies far in,
/// the start is cut (`…`) so the match shows. Each piece is sanitized on its own, so the
/// ranges of the original text stay true.
pub fn lit<'a>(
    text: &str,
    ranges: &[Range<usize>],
    cells: usize,
    plain: Style,
    hit: Style,
) -> Vec<Span<'a>> {
    // Line breaks become spaces byte for byte, so the match ranges stay on the same bytes.
    let text = text.replace(['\r', '\n'], " ");
    let mut start = 0;
    let mut spans = Vec::new();
    let mut used = 0;
    if let Some(first) = ranges.first()
        && first.start <= text.len()
        && safe::width(&safe::line(&text[..first.start])) > cells / 2
    {
        // Keep a little of what comes before the match, for context.
        let back = cells / 4;
        start = text[..first.start]
            .char_indices()
            .rev()
            .nth(back)
            .map_or(0, |(i, _)| i);
        spans.push(Span::styled("…", plain));
        used = 1;
    }
    let mut pieces: Vec<(&str, bool)> = Vec::new();
    let mut at = start;
    for r in ranges {
        let (s, e) = (r.start.max(at).min(text.len()), r.end.min(text.len()));
        if s >= e || !text.is_char_boundary(s) || !text.is_char_boundary(e) {
            continue;
        }
        if s > at {
            pieces.push((&text[at..s], false));
        }
        pieces.push((&text[s..e], true));
        at = e;
    }
    if at < text.len() {
        pieces.push((&text[at..], false));
    }
    'outer: for (piece, matched) in pieces {
        let piece = safe::line(piece);
        let mut out = String::new();
        for g in piece.graphemes(true) {
            let w = safe::width(g);
            if used + w > cells {
                if !out.is_empty() {
                    spans.push(Span::styled(out, if matched { hit } else { plain }));
                }
                if let Some(last) = spans.last_mut() {
                    let mut s = last.content.to_string();
                    if used + 1 > cells {
                        s.pop();
                    }
                    s.push('…');
                    last.content = s.into();
                }
                break 'outer;
            }
            out.push_str(g);
            used += w;
        }
        if !out.is_empty() {
            spans.push(Span::styled(out, if matched { hit } else { plain }));
        }
    }
    spans
}

fn row<'a>(app: &App, hit: &Hit, width: usize, selected: bool) -> Line<'a> {
    let theme = &app.config.theme;
    let (inc, st) = hit.get(&app.corpus);
    let lit_style = Style::new()
        .fg(theme.accent)
        .add_modifier(Modifier::BOLD | Modifier::UNDERLINED);
    let mut spans = vec![
        Span::styled(
            format!("{} ", fit(&short_date(&st.date), 10)),
            muted_on(app, selected),
        ),
        kind_badge(st.kind, theme),
        Span::raw(" "),
        mark(app, hit.position),
    ];
    let mut used = 19;
    // Which incident each hit is in, where there is room for it.
    if width >= 110 {
        spans.push(Span::styled(
            format!("{} ", fit(&inc.id, 16)),
            muted_on(app, selected),
        ));
        used += 17;
    }
    if width >= 100 {
        let mut company = lit(
            &inc.company,
            hit.ranges(Field::Company),
            14,
            Style::new().fg(theme.accent),
            lit_style,
        );
        let w: usize = company.iter().map(|s| safe::width(&s.content)).sum();
        company.push(Span::raw(" ".repeat(15 - w.min(14))));
        spans.extend(company);
        used += 15;
    }
    let speaker_w = 16.min(width.saturating_sub(used) / 3);
    let mut speaker = lit(
        &st.speaker,
        hit.ranges(Field::Speaker),
        speaker_w,
        Style::new(),
        lit_style,
    );
    let w: usize = speaker.iter().map(|s| safe::width(&s.content)).sum();
    speaker.push(Span::raw(" ".repeat(speaker_w + 1 - w.min(speaker_w))));
    spans.extend(speaker);
    used += speaker_w + 1;
    let (text, ranges) = match (hit.ranges(Field::Text), &st.translation) {
        ([], Some(tr)) if !hit.ranges(Field::Translation).is_empty() => {
            (tr.as_str(), hit.ranges(Field::Translation))
        }
        (r, _) => (st.text.as_str(), r),
    };
    spans.extend(lit(
        text,
        ranges,
        width.saturating_sub(used),
        Style::new(),
        lit_style,
    ));
    Line::from(spans)
}

pub fn draw(frame: &mut Frame, app: &App, body: Rect) {
    let theme = &app.config.theme;
    let s = &app.search;

    let input = search_input(body);
    let block = pane(app, " Search ".into(), true);
    let inner = block.inner(input);
    frame.render_widget(block, input);
    // One row: the part of the query around the cursor.
    let room = usize::from(inner.width).saturating_sub(3).max(1);
    let text = safe::line(s.input.text());
    let at = safe::width(&safe::line(&s.input.text()[..s.input.cursor()]));
    let skip = at.saturating_sub(room.saturating_sub(1));
    let shown: String = {
        let mut used = 0;
        let mut out = String::new();
        for g in text.graphemes(true) {
            let w = safe::width(g);
            if used >= skip && used + w - skip <= room {
                out.push_str(g);
            }
            used += w;
        }
        out
    };
    // A query opened again is shown selected: typing replaces it.
    let typed = if s.fresh && !shown.is_empty() {
        Span::styled(shown, Style::new().bg(theme.selected))
    } else {
        Span::raw(shown)
    };
    frame.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled("/ ", Style::new().fg(theme.accent)),
            typed,
        ])),
        inner,
    );
    let cursor_x = inner.x + 2 + (at - skip) as u16;
    if cursor_x < inner.right() {
        frame.set_cursor_position(Position::new(cursor_x, inner.y));
    }

    let results = search_results(body);
    let title = match (&s.error, s.pending()) {
        (Some(e), _) => format!(" {} ", safe::line(e)),
        (None, true) if s.hits.is_empty() => " searching… ".to_string(),
        (None, pending) => format!(
            " {} result{}{} · {:.1} ms ",
            s.hits.len(),
            if s.hits.len() == 1 { "" } else { "s" },
            if pending { " (typing…)" } else { "" },
            s.took.as_secs_f64() * 1000.0
        ),
    };
    let block = pane(app, title, true);
    let block = if s.error.is_some() {
        block.border_style(Style::new().fg(theme.error))
    } else {
        block
    };
    let inner = block.inner(results);
    frame.render_widget(block, results);
    let width = usize::from(inner.width);
    let lines: Vec<Line> = s
        .hits
        .iter()
        .enumerate()
        .skip(s.offset)
        .take(inner_rows(results))
        .map(|(at, hit)| {
            let line = row(app, hit, width, at == s.selected);
            if at == s.selected {
                line.style(Style::new().bg(theme.selected))
            } else {
                line
            }
        })
        .collect();
    super::widgets::render_lines(frame, inner, lines);

    let preview = search_preview(body);
    let block = pane(
        app,
        format!(
            " Statement ({} opens it in its incident) ",
            app.config
                .keymap
                .key_for(super::keymap::View::Search, super::action::Action::Open)
        ),
        false,
    );
    let inner = block.inner(preview);
    frame.render_widget(block, preview);
    let pos = s.hits.get(s.selected).map(|h| h.position);
    let lines: Vec<Line> = if pos.is_some() {
        statement_lines(app, pos, inner.width)
    } else {
        vec![Line::raw("")]
    };
    let lines: Vec<Line> = lines.into_iter().take(usize::from(inner.height)).collect();
    super::widgets::render_lines(frame, inner, lines);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(spans: &[Span]) -> String {
        spans.iter().map(|s| s.content.as_ref()).collect()
    }

    #[test]
    #[allow(clippy::single_range_in_vec_init)]
    fn lit_keeps_ranges_and_cuts() {
        let (p, h) = (Style::new(), Style::new().add_modifier(Modifier::BOLD));
        let spans = lit("ne vendons pas", &[3..10], 20, p, h);
        assert_eq!(text(&spans), "ne vendons pas");
        assert_eq!(spans[1].content, "vendons");
        assert_eq!(spans[1].style, h);
        let spans = lit("ne vendons pas", &[3..10], 6, p, h);
        assert_eq!(text(&spans), "ne ve…");
        let long = format!("{} needle end", "x".repeat(50));
        let spans = lit(&long, &[51..57], 20, p, h);
        assert!(text(&spans).starts_with('…'), "{}", text(&spans));
        assert!(text(&spans).contains("needle"));
        let spans = lit("a\x1b]52;c;x\x07 b", &[0..1], 20, p, h);
        assert!(!text(&spans).contains('\x1b'));
    }
}
