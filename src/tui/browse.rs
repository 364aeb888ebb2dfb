//! The browse view: incidents on the left, the selected incident's statements on the right in
//! date order, the selected statement in full below them. Only the rows on screen are built.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::app::{App, Pane, Sort};
use super::layout::{Areas, Extent, inner_rows};
use super::safe::{self, fit};
use super::widgets::{
    kind_badge, mark, muted_on, pane, place_cursor, selected_style, short_date, statement_lines,
    text_field, verdict_color,
};
use crate::fold::fold;
use crate::model::Incident;
use crate::store::Position;

/// Draws the three panes; returns how much of the full statement there is to scroll.
pub fn draw(frame: &mut Frame, app: &App, areas: &Areas) -> Extent {
    incidents(frame, app, areas.incidents);
    statements(frame, app, areas.statements);
    detail(frame, app, areas.detail)
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
    let mut title = format!(" Incidents {}/{}", (app.incident + 1).min(total), total);
    let filter = app.incident_filter.text().trim();
    if !filter.is_empty() {
        title.push_str(&format!(" · {}", safe::line(filter)));
    }
    if app.incident_sort != Sort::Date {
        title.push_str(&format!(" · {}", app.incident_sort.name()));
    }
    title.push(' ');
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
            let muted = muted_on(app, at == app.incident);
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
                Span::styled(format!("{} ", fit(&range(inc, wide), date_w)), muted),
                Span::styled(
                    if company_w > 0 {
                        format!("{} ", fit(&company, company_w))
                    } else {
                        String::new()
                    },
                    Style::new().fg(theme.accent),
                ),
                Span::raw(fit(&inc.title, title_w)),
                Span::styled(counts, muted),
            ]);
            if at == app.incident {
                line.style(selected_style(app, focused))
            } else {
                line
            }
        })
        .collect();
    super::widgets::render_lines(frame, inner, lines);
}

fn verdict_marker(app: &App, pos: Position) -> Span<'static> {
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
            let pos = Position {
                incident: ii,
                statement: si,
            };
            let rest = width.saturating_sub(10 + 1 + 5 + 1 + 1 + 2 + speaker_w + 1);
            let line = Line::from(vec![
                Span::styled(
                    format!("{} ", fit(&short_date(&st.date), 10)),
                    muted_on(app, at == app.statement),
                ),
                kind_badge(st.kind, theme),
                Span::raw(" "),
                verdict_marker(app, pos),
                mark(app, pos),
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
    super::widgets::render_lines(frame, inner, lines);
}

fn detail(frame: &mut Frame, app: &App, area: Rect) -> Extent {
    let focused = app.focus == Pane::Detail;
    let mut block = pane(app, " Statement ".into(), focused);
    // Where the statement is, on the pane's edge: in view whatever the text's length or the
    // scroll, for an editor (`e` opens it there).
    if let Some((inc, st)) = app.selected_statement() {
        let place = format!("{}:{}", inc.path.display(), st.line);
        let room = usize::from(area.width.saturating_sub(4));
        block = block.title_bottom(
            Line::styled(
                format!(" {} ", safe::fit_end(&place, room)),
                Style::new().fg(app.config.theme.muted),
            )
            .right_aligned(),
        );
    }
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let lines = statement_lines(app, app.selected_pos(), inner.width);
    let rows = usize::from(inner.height);
    let extent = Extent {
        lines: lines.len(),
        rows,
    };
    let skip = app.detail_scroll.min(extent.max_scroll());
    let visible: Vec<Line> = lines.into_iter().skip(skip).take(rows).collect();
    super::widgets::render_lines(frame, inner, visible);
    extent
}

/// The incident filter being typed, over the foot of the incidents pane.
pub fn filter(frame: &mut Frame, app: &App, areas: &Areas) {
    let pane_area = areas.incidents;
    let h = 3.min(pane_area.height);
    let area = Rect::new(pane_area.x, pane_area.bottom() - h, pane_area.width, h);
    frame.render_widget(ratatui::widgets::Clear, area);
    let k = |a| app.config.keymap.key_for(super::keymap::View::Filter, a);
    let title = format!(
        " Filter ({} keeps, {} puts back) ",
        k(super::action::Action::Submit),
        k(super::action::Action::Back)
    );
    let block = pane(app, title, true);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let label = Span::styled("", Style::new());
    let (rows, cursor) = text_field(
        &app.incident_filter,
        label,
        0,
        usize::from(inner.width),
        true,
    );
    // One row: the last one, where the cursor is when typing at the end.
    let (row, col) = cursor.unwrap_or((0, 0));
    let shown: Vec<Line> = rows.into_iter().skip(row).take(1).collect();
    super::widgets::render_lines(frame, inner, shown);
    place_cursor(frame, inner, 0, col);
}
