//! The browse view: incidents on the left, the selected incident's statements on the right in
//! date order, the selected statement in full below them. Only the rows on screen are built.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::app::{App, Areas, Pane, Pos, inner_rows};
use super::config::Theme;
use super::draw::pane;
use super::safe::{self, fit};
use crate::fold::fold;
use crate::model::{Date, Incident, Kind, Verdict};

pub fn draw(frame: &mut Frame, app: &App, areas: &Areas) {
    incidents(frame, app, areas.incidents);
    statements(frame, app, areas.statements);
    detail(frame, app, areas.detail);
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

fn selected_style(app: &App, focused: bool) -> Style {
    let s = Style::new().bg(app.config.theme.selected);
    if focused {
        s.add_modifier(Modifier::BOLD)
    } else {
        s
    }
}

fn range(inc: &Incident, wide: bool) -> String {
    match inc.date_range() {
        None => "-".into(),
        Some((a, b)) if wide && short_date(a) != short_date(b) => {
            format!("{}…{}", short_date(a), short_date(b))
        }
        Some((_, b)) if wide => short_date(b),
        Some((_, b)) => short_date(b).chars().take(7).collect(),
    }
}

fn incidents(frame: &mut Frame, app: &App, area: Rect) {
    let theme = &app.config.theme;
    let focused = app.focus == Pane::Incidents;
    let total = app.index.incidents.len();
    let title = format!(" Incidents {}/{} ", (app.incident + 1).min(total), total);
    let block = pane(app, title, focused);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let width = usize::from(inner.width);
    let wide = width >= 60;
    let date_w = if wide { 21 } else { 7 };
    let rows = inner_rows(area);
    let lines: Vec<Line> = app
        .index
        .incidents
        .iter()
        .enumerate()
        .skip(app.incident_offset)
        .take(rows)
        .map(|(at, &ii)| {
            let inc = &app.corpus.incidents[ii];
            let counts = format!(" {}s {}v", inc.statements.len(), inc.contradictions.len());
            let rest = width.saturating_sub(date_w + 1 + counts.len());
            // Most titles name the company already; then the room goes to the title.
            let company = if fold(&inc.title).contains(&fold(&inc.company)) {
                String::new()
            } else {
                safe::line(&inc.company).into_owned()
            };
            let company_w = safe::width(&company).min((rest / 2).max(6)).min(rest);
            let title_w = rest.saturating_sub(company_w + usize::from(company_w > 0));
            let line = Line::from(vec![
                Span::styled(
                    format!("{} ", fit(&range(inc, wide), date_w)),
                    Style::new().fg(theme.muted),
                ),
                Span::styled(
                    if company_w > 0 {
                        format!("{} ", fit(&company, company_w))
                    } else {
                        String::new()
                    },
                    Style::new().fg(theme.accent),
                ),
                Span::raw(fit(&inc.title, title_w)),
                Span::styled(counts, Style::new().fg(theme.muted)),
            ]);
            if at == app.incident {
                line.style(selected_style(app, focused))
            } else {
                line
            }
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}

fn verdict_marker(app: &App, pos: (usize, usize)) -> Span<'static> {
    let theme = &app.config.theme;
    let strongest = app.verdicts(pos).map(|(_, c)| c.verdict).min();
    match strongest {
        Some(v) => Span::styled("●", Style::new().fg(verdict_color(v, theme))),
        None => Span::raw(" "),
    }
}

fn statements(frame: &mut Frame, app: &App, area: Rect) {
    let theme = &app.config.theme;
    let focused = app.focus == Pane::Statements;
    let total = app.statement_order.len();
    let title = match app.selected_incident() {
        Some(inc) => format!(
            " {} — {} ({}/{}) ",
            safe::line(&inc.company),
            safe::first_line(&inc.title, 40),
            (app.statement + 1).min(total),
            total
        ),
        None => " Statements ".into(),
    };
    let block = pane(app, title, focused);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let Some(&ii) = app.index.incidents.get(app.incident) else {
        frame.render_widget(
            Paragraph::new(if app.loading.is_some() {
                "Loading…"
            } else {
                "No incidents loaded. Add one with `onrecord new`, or press ! to see the files \
                 that failed to load."
            }),
            inner,
        );
        return;
    };
    let inc = &app.corpus.incidents[ii];
    let width = usize::from(inner.width);
    let speaker_w = (width / 5).clamp(6, 22);
    let rows = inner_rows(area);
    let lines: Vec<Line> = app
        .statement_order
        .iter()
        .enumerate()
        .skip(app.statement_offset)
        .take(rows)
        .map(|(at, &si)| {
            let st = &inc.statements[si];
            let rest = width.saturating_sub(10 + 1 + 5 + 1 + 1 + 1 + speaker_w + 1);
            let line = Line::from(vec![
                Span::styled(
                    format!("{} ", fit(&short_date(&st.date), 10)),
                    Style::new().fg(theme.muted),
                ),
                kind_badge(st.kind, theme),
                Span::raw(" "),
                verdict_marker(app, (ii, si)),
                Span::raw(" "),
                Span::styled(
                    format!("{} ", fit(&st.speaker, speaker_w)),
                    Style::new().fg(theme.accent),
                ),
                Span::raw(safe::first_line(&st.text, rest)),
            ]);
            if at == app.statement {
                line.style(selected_style(app, focused))
            } else {
                line
            }
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}

fn label(name: &str, theme: &Theme) -> Span<'static> {
    Span::styled(format!("{name:<9}"), Style::new().fg(theme.muted))
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

/// The selected statement in full, wrapped to `width` cells: shared with `update`, which
/// needs to know how far it may scroll.
pub fn detail_lines(app: &App, width: u16) -> Vec<Line<'static>> {
    statement_lines(app, app.selected_pos(), width)
}

/// The statement at `pos` in full, wrapped to `width` cells.
pub fn statement_lines(app: &App, pos: Option<Pos>, width: u16) -> Vec<Line<'static>> {
    let theme = &app.config.theme;
    let Some(pos) = pos else {
        return vec![Line::from("No statement selected.")];
    };
    let inc = &app.corpus.incidents[pos.0];
    let st = &inc.statements[pos.1];
    let w = usize::from(width.max(1));
    let mut out: Vec<Line<'static>> = Vec::new();
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
    out.push(Line::from(vec![
        kind_badge(st.kind, theme),
        Span::styled(
            format!(" {} ", st.date.human()),
            Style::new().fg(theme.muted),
        ),
    ]));
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
        format!(
            "{}#{}  {}:{}",
            inc.id,
            st.id,
            safe::line(&inc.path.display().to_string()),
            st.line
        ),
        Style::new().fg(theme.muted),
    ));
    let budget = std::time::Duration::from_millis(300);
    if !app.config.hide_git_history
        && let Some(l) = crate::git::history::last_changed_line(&inc.path, &st.id, budget)
    {
        out.push(Line::styled(l, Style::new().fg(theme.muted)));
    }
    out
}

fn detail(frame: &mut Frame, app: &App, area: Rect) {
    let focused = app.focus == Pane::Detail;
    let block = pane(app, " Statement ".into(), focused);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let lines = detail_lines(app, inner.width);
    let rows = usize::from(inner.height);
    let skip = app.detail_scroll.min(lines.len().saturating_sub(rows));
    let visible: Vec<Line> = lines.into_iter().skip(skip).take(rows).collect();
    frame.render_widget(Paragraph::new(visible), inner);
}
