//! Where things go on the screen, computed from its size alone: the browse view's panes, the
//! search and suggestion views' lists, and the record of what the last frame drew
//! ([`Drawn`]) that `update` reads to clamp scrolling. Shared by drawing, by `update` and by
//! the mouse, so the three never disagree.

use ratatui::layout::Rect;

/// The smallest terminal the panes fit in; below it the screen says so on one line.
pub const MIN_WIDTH: u16 = 40;
pub const MIN_HEIGHT: u16 = 10;

/// Where each part of the screen goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Areas {
    pub incidents: Rect,
    pub statements: Rect,
    pub detail: Rect,
    /// Everything above the status line: where full-screen views go.
    pub body: Rect,
    pub status: Rect,
}

impl Areas {
    /// The layout of a terminal of `width` × `height`; `None` when it is too small.
    pub fn new(width: u16, height: u16) -> Option<Areas> {
        if width < MIN_WIDTH || height < MIN_HEIGHT {
            return None;
        }
        let body = Rect::new(0, 0, width, height - 1);
        let status = Rect::new(0, height - 1, width, 1);
        let left = (width * 2 / 5).clamp(20, 56);
        let incidents = Rect::new(0, 0, left, body.height);
        let right_w = width - left;
        let top = (body.height * 9 / 20).max(4);
        let statements = Rect::new(left, 0, right_w, top);
        let detail = Rect::new(left, top, right_w, body.height - top);
        Some(Areas {
            incidents,
            statements,
            detail,
            body,
            status,
        })
    }
}

/// Rows a bordered pane shows.
pub fn inner_rows(r: Rect) -> usize {
    usize::from(r.height.saturating_sub(2))
}

/// The search box, at the top of the body.
pub fn search_input(body: Rect) -> Rect {
    Rect::new(body.x, body.y, body.width, 3.min(body.height))
}

/// Where the search results go inside the screen's body.
pub fn search_results(body: Rect) -> Rect {
    let rest = body.height.saturating_sub(3);
    let h = (rest / 2).max(3.min(rest));
    Rect::new(body.x, body.y + 3, body.width, h)
}

/// The selected result in full, under the results.
pub fn search_preview(body: Rect) -> Rect {
    let r = search_results(body);
    Rect::new(
        body.x,
        r.bottom(),
        body.width,
        body.bottom().saturating_sub(r.bottom()),
    )
}

/// Where the ranked suggestions go inside the screen's body.
pub fn suggestion_list(body: Rect) -> Rect {
    Rect::new(
        body.x,
        body.y,
        body.width,
        (body.height / 2).max(3.min(body.height)),
    )
}

/// Where the timeline's list goes: the whole body, or its top half when a claim's timeline
/// shows what changed from the claim below.
pub fn timeline_list(body: Rect, claim: bool) -> Rect {
    if claim { suggestion_list(body) } else { body }
}

/// A dialog's area: at most `width` × `height`, centred in `body`.
pub fn centred(body: Rect, width: u16, height: u16) -> Rect {
    let width = body.width.saturating_sub(4).min(width);
    let height = body.height.saturating_sub(2).min(height);
    Rect::new(
        body.x + (body.width - width) / 2,
        body.y + (body.height - height) / 2,
        width,
        height,
    )
}

/// Adjusts `offset` so that row `selected` is among the `rows` shown, and so that a list that
/// fits leaves no empty rows at its end while earlier rows are scrolled away.
pub fn keep_visible(selected: usize, offset: &mut usize, rows: usize, len: usize) {
    let rows = rows.max(1);
    *offset = (*offset).min(len.saturating_sub(rows));
    if selected < *offset {
        *offset = selected;
    } else if selected >= *offset + rows {
        *offset = selected + 1 - rows;
    }
}

/// How much of a scrolled text the last frame drew: its length in lines at the width it was
/// drawn, and the rows it had.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Extent {
    pub lines: usize,
    pub rows: usize,
}

impl Extent {
    /// The furthest a scroll offset may go.
    pub fn max_scroll(&self) -> usize {
        self.lines.saturating_sub(self.rows)
    }
}

/// What the last frame drew, recorded by drawing and handed to `update` as an action, so
/// that scrolling is clamped to what is really on screen without `update` laying out text.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Drawn {
    /// The full statement in the browse view.
    pub detail: Extent,
    pub help: Extent,
    pub failed: Extent,
    pub diff: Extent,
    /// The incident's details.
    pub incident: Extent,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keep_visible_clamps_after_growing() {
        // 12 rows, the last selected, 4 shown: offset 8. The window grows to 20 rows.
        let mut offset = 8;
        keep_visible(11, &mut offset, 20, 12);
        assert_eq!(offset, 0, "every row fits again");
        let mut offset = 0;
        keep_visible(11, &mut offset, 4, 12);
        assert_eq!(offset, 8);
        keep_visible(2, &mut offset, 4, 12);
        assert_eq!(offset, 2);
    }
}
