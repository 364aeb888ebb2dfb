//! The interface's one state: the corpus with the indexes browsing needs, what is selected and
//! scrolled where, which view is open, and the message of the last action. `update` changes it;
//! the views only read it.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use ratatui::layout::Rect;

use crossterm::event::KeyCode;

use super::action::{Action, Effect};
use super::config::Config;
use super::keymap::{Key, Mode};
use crate::model::{Contradiction, Incident, Statement, StatementRef};
use crate::search::Hit;
use crate::store::Corpus;

/// Which view fills the screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    Browse,
    Help,
    Failed,
    Search,
    Diff,
    Tag,
    Timeline,
    Suggest,
    Form,
}

/// Which pane of the browse view takes the movement keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pane {
    Incidents,
    Statements,
    Detail,
}

/// A statement's place: its incident's index in `corpus.incidents` and its own index there.
pub type Pos = (usize, usize);

/// What browsing looks up on every frame, built once per load so a frame never scans the
/// corpus.
#[derive(Debug, Default)]
pub struct Index {
    /// Incident indexes, newest first (by their latest statement).
    pub incidents: Vec<usize>,
    /// For each statement that a verdict names: the verdicts, as (incident, contradiction).
    pub verdicts: HashMap<Pos, Vec<Pos>>,
    /// How many statements the corpus holds.
    pub statements: usize,
}

impl Index {
    pub fn new(corpus: &Corpus) -> Index {
        let mut incidents: Vec<usize> = (0..corpus.incidents.len()).collect();
        let latest: Vec<_> = corpus
            .incidents
            .iter()
            .map(|i| i.date_range().map(|(_, b)| *b))
            .collect();
        incidents.sort_by(|&a, &b| latest[b].cmp(&latest[a]).then(a.cmp(&b)));
        let mut verdicts: HashMap<Pos, Vec<Pos>> = HashMap::new();
        for (ii, inc) in corpus.incidents.iter().enumerate() {
            for (ci, c) in inc.contradictions.iter().enumerate() {
                for r in &c.between {
                    if let Some(pos) = position(corpus, r) {
                        verdicts.entry(pos).or_default().push((ii, ci));
                    }
                }
            }
        }
        Index {
            incidents,
            verdicts,
            statements: corpus.statement_count(),
        }
    }
}

/// Where a reference points in the corpus.
pub fn position(corpus: &Corpus, r: &StatementRef) -> Option<Pos> {
    let ii = corpus
        .incidents
        .binary_search_by(|i| i.id.as_str().cmp(&r.incident))
        .ok()?;
    let si = corpus.incidents[ii]
        .statements
        .iter()
        .position(|s| s.id == r.statement)?;
    Some((ii, si))
}

/// A line under the panes saying what the last action did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub text: String,
    pub error: bool,
}

/// The smallest terminal the panes fit in; below it the screen says so on one line.
pub const MIN_WIDTH: u16 = 40;
pub const MIN_HEIGHT: u16 = 10;

/// Where each part of the screen goes, shared by drawing and by the mouse.
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

/// The search box and what it found.
#[derive(Debug, Default)]
pub struct Search {
    pub input: String,
    /// Counts queries and reloads; results of an older one are dropped when they arrive.
    pub generation: u64,
    /// The generation the shown hits answer.
    pub answered: u64,
    pub hits: Vec<Hit>,
    /// Position in `hits`.
    pub selected: usize,
    pub offset: usize,
    /// The search box's filter tokens do not parse: why.
    pub error: Option<String>,
    /// How long the shown hits took to find.
    pub took: Duration,
}

impl Search {
    /// Whether a query is out and its answer has not come back.
    pub fn pending(&self) -> bool {
        self.answered < self.generation
    }
}

/// Two statements side by side, earlier first, and their word diff.
#[derive(Debug, Clone)]
pub struct DiffView {
    pub a: Pos,
    pub b: Pos,
    pub diff: crate::diff::StatementDiff,
    pub scroll: usize,
}

/// A list of statements or pairs with a selection: the timeline's and the suggestions'.
#[derive(Debug, Clone)]
pub struct Listing<T> {
    /// What the list is of, for its title.
    pub title: String,
    pub items: Vec<T>,
    pub selected: usize,
    pub offset: usize,
}

impl<T> Default for Listing<T> {
    fn default() -> Self {
        Listing {
            title: String::new(),
            items: Vec::new(),
            selected: 0,
            offset: 0,
        }
    }
}

/// A suggested pair, with the positions of its statements.
#[derive(Debug, Clone)]
pub struct Suggested {
    pub a: Pos,
    pub b: Pos,
    pub suggestion: crate::suggest::Suggestion,
}

/// What a form records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormKind {
    /// A statement added to this incident.
    Statement {
        incident: String,
    },
    Incident,
}

/// A form being filled in: its fields in order, as (name, value), the field being typed in,
/// and what validation or the last save said.
#[derive(Debug, Clone)]
pub struct Form {
    pub kind: FormKind,
    pub fields: Vec<(&'static str, String)>,
    pub focus: usize,
    /// Problems found before writing, as (field, message).
    pub problems: Vec<(String, String)>,
    pub error: Option<String>,
    pub changed_on_disk: bool,
    pub confirm_discard: bool,
}

impl Form {
    pub fn statement(incident: &str) -> Form {
        let fields = [
            "speaker",
            "date",
            "kind",
            "channel",
            "source",
            "lang",
            "text",
            "translation",
        ];
        Form {
            kind: FormKind::Statement {
                incident: incident.to_string(),
            },
            fields: fields.iter().map(|f| (*f, String::new())).collect(),
            focus: 0,
            problems: Vec::new(),
            error: None,
            changed_on_disk: false,
            confirm_discard: false,
        }
    }

    pub fn incident() -> Form {
        Form {
            kind: FormKind::Incident,
            fields: ["id", "company", "title", "tags"]
                .iter()
                .map(|f| (*f, String::new()))
                .collect(),
            ..Form::statement("")
        }
    }

    pub fn value(&self, name: &str) -> &str {
        self.fields
            .iter()
            .find(|(n, _)| *n == name)
            .map_or("", |(_, v)| v.trim())
    }

    pub fn is_blank(&self) -> bool {
        self.fields.iter().all(|(_, v)| v.trim().is_empty())
    }
}

/// Which field of the tag dialog takes keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TagField {
    Verdict,
    Claim,
    Note,
}

/// The tag dialog: a verdict on two statements, being filled in.
#[derive(Debug, Clone)]
pub struct TagDialog {
    pub a: StatementRef,
    pub b: StatementRef,
    /// Index into `Verdict::ALL`.
    pub verdict: usize,
    pub claim: String,
    pub note: String,
    pub field: TagField,
    /// The view under the dialog, to go back to.
    pub over: View,
    /// Why the last save failed; kept until the next save, never lost.
    pub error: Option<String>,
    /// The file changed on disk since loading: saving waits for a reload.
    pub changed_on_disk: bool,
    /// Esc was pressed once on a half-filled dialog.
    pub confirm_discard: bool,
    /// The pair already has a verdict and the user was told: the next save replaces it.
    pub confirm_replace: bool,
}

/// The interface's state.
pub struct App {
    /// Who tagging writes as when the config does not say, found once (it may ask git).
    pub default_tagger: std::sync::OnceLock<String>,
    /// Shared with the search worker, which reads it on its own thread.
    pub corpus: Arc<Corpus>,
    pub index: Index,
    pub config: Config,
    pub view: View,
    /// Where `Back` from help goes.
    pub back: View,
    pub focus: Pane,
    /// Position in `index.incidents`.
    pub incident: usize,
    pub incident_offset: usize,
    /// The selected incident's statement indexes in date order.
    pub statement_order: Vec<usize>,
    /// Position in `statement_order`.
    pub statement: usize,
    pub statement_offset: usize,
    pub detail_scroll: usize,
    pub help_scroll: usize,
    pub failed_scroll: usize,
    /// The terminal's size, columns × rows.
    pub size: (u16, u16),
    pub message: Option<Message>,
    pub search: Search,
    /// While the corpus loads in the background: how many files it has.
    pub loading: Option<usize>,
    /// The statement `m` marked.
    pub marked: Option<StatementRef>,
    pub diff: Option<DiffView>,
    pub tag: Option<TagDialog>,
    /// Where Esc from the diff goes back to.
    pub diff_back: View,
    pub timeline: Listing<(Pos, crate::timeline::TimelineEntry)>,
    pub suggestions: Listing<Suggested>,
    /// `x` was pressed once on this suggestion.
    pub confirm_dismiss: bool,
    pub form: Option<Form>,
}

impl App {
    /// The name written as `tagged_by`: the config's, else `write::default_tagger`'s.
    pub fn tagger(&self) -> &str {
        match &self.config.tagged_by {
            Some(name) => name,
            None => self
                .default_tagger
                .get_or_init(|| crate::write::default_tagger(&self.corpus.root)),
        }
    }

    pub fn new(corpus: Corpus, config: Config) -> App {
        let index = Index::new(&corpus);
        let mut app = App {
            default_tagger: std::sync::OnceLock::new(),
            corpus: Arc::new(corpus),
            index,
            config,
            view: View::Browse,
            back: View::Browse,
            focus: Pane::Incidents,
            incident: 0,
            incident_offset: 0,
            statement_order: Vec::new(),
            statement: 0,
            statement_offset: 0,
            detail_scroll: 0,
            help_scroll: 0,
            failed_scroll: 0,
            size: (80, 24),
            message: None,
            search: Search::default(),
            loading: None,
            marked: None,
            diff: None,
            tag: None,
            diff_back: View::Browse,
            timeline: Listing::default(),
            suggestions: Listing::default(),
            confirm_dismiss: false,
            form: None,
        };
        app.select_incident(0);
        app
    }

    /// The keys live in the current view.
    pub fn mode(&self) -> Mode {
        match self.view {
            View::Browse => Mode::Browse,
            View::Help => Mode::Help,
            View::Failed => Mode::Failed,
            View::Search => Mode::Search,
            View::Diff => Mode::Diff,
            View::Tag => Mode::Tag,
            View::Timeline => Mode::Timeline,
            View::Suggest => Mode::Suggest,
            View::Form => Mode::Form,
        }
    }

    /// Dispatches a key through the keymap; unbound keys do nothing.
    pub fn key(&mut self, key: Key) -> Option<Effect> {
        self.message = None;
        let action = match self.config.keymap.lookup(self.mode(), key) {
            Some(a) => a,
            None => match key.code {
                KeyCode::Char(c) if self.mode().takes_text() && !key.ctrl && !key.alt => {
                    Action::Input(c)
                }
                _ => return None,
            },
        };
        super::update::update(self, action)
    }

    /// Dispatches a key written as the config file writes it (`j`, `ctrl-d`, `Enter`).
    pub fn press(&mut self, spec: &str) -> Option<Effect> {
        let key = Key::parse(spec).unwrap_or_else(|| panic!("`{spec}` is not a key"));
        self.key(key)
    }

    pub fn areas(&self) -> Option<Areas> {
        Areas::new(self.size.0, self.size.1)
    }

    pub fn selected_incident(&self) -> Option<&Incident> {
        let &i = self.index.incidents.get(self.incident)?;
        self.corpus.incidents.get(i)
    }

    /// Fills the timeline with what `organization` said, by date.
    pub fn open_timeline(&mut self, organization: &str) {
        let items = crate::timeline::company_timeline(&self.corpus, organization)
            .into_iter()
            .filter_map(|e| Some((position(&self.corpus, &e.reference)?, e)))
            .collect();
        self.timeline = Listing {
            title: organization.to_string(),
            items,
            selected: 0,
            offset: 0,
        };
    }

    /// Fills the suggestions with candidate contradictions among `company`'s statements.
    pub fn open_suggestions(&mut self, company: &str) {
        let mut filter = crate::query::Filter::default();
        if filter.add("company", company).is_err() {
            filter = crate::query::Filter::default();
        }
        let items = crate::suggest::suggest(&self.corpus, &filter, 200)
            .into_iter()
            .filter_map(|s| {
                Some(Suggested {
                    a: position(&self.corpus, &s.between[0])?,
                    b: position(&self.corpus, &s.between[1])?,
                    suggestion: s,
                })
            })
            .collect();
        self.suggestions = Listing {
            title: company.to_string(),
            items,
            selected: 0,
            offset: 0,
        };
    }

    /// The word diff of two statements, the earlier one first.
    pub fn diff_of(&self, a: Pos, b: Pos) -> DiffView {
        let st = |(ii, si): Pos| &self.corpus.incidents[ii].statements[si];
        let (a, b) = if st(b).date < st(a).date {
            (b, a)
        } else {
            (a, b)
        };
        DiffView {
            a,
            b,
            diff: crate::diff::diff_statements(st(a), st(b)),
            scroll: 0,
        }
    }

    pub fn reference(&self, (ii, si): Pos) -> StatementRef {
        let inc = &self.corpus.incidents[ii];
        StatementRef::new(&inc.id, &inc.statements[si].id)
    }

    /// Selects an incident, and the statement when the reference names one.
    pub fn go_to_ref(&mut self, r: &StatementRef) {
        if let Some(pos) = position(&self.corpus, r) {
            self.go_to(pos);
        } else if let Some(at) = self
            .index
            .incidents
            .iter()
            .position(|&i| self.corpus.incidents[i].id == r.incident)
        {
            self.select_incident(at);
            self.scroll_into_view();
        }
    }

    /// Selects a statement in the browse view, wherever it is.
    pub fn go_to(&mut self, (ii, si): Pos) {
        let Some(at) = self.index.incidents.iter().position(|&i| i == ii) else {
            return;
        };
        self.select_incident(at);
        if let Some(p) = self.statement_order.iter().position(|&s| s == si) {
            self.statement = p;
        }
        self.scroll_into_view();
    }

    pub fn selected_pos(&self) -> Option<Pos> {
        let &ii = self.index.incidents.get(self.incident)?;
        let &si = self.statement_order.get(self.statement)?;
        Some((ii, si))
    }

    pub fn selected_statement(&self) -> Option<(&Incident, &Statement)> {
        let (ii, si) = self.selected_pos()?;
        let inc = &self.corpus.incidents[ii];
        Some((inc, &inc.statements[si]))
    }

    /// The verdicts that name the statement at `pos`.
    pub fn verdicts(&self, pos: Pos) -> impl Iterator<Item = (&Incident, &Contradiction)> {
        self.index
            .verdicts
            .get(&pos)
            .into_iter()
            .flatten()
            .map(|&(ii, ci)| {
                let inc = &self.corpus.incidents[ii];
                (inc, &inc.contradictions[ci])
            })
    }

    /// Selects the incident at this position of the list, and its first statement.
    pub fn select_incident(&mut self, at: usize) {
        self.incident = at.min(self.index.incidents.len().saturating_sub(1));
        self.statement_order = self
            .selected_incident()
            .map(|i| i.statements_by_date())
            .unwrap_or_default();
        self.statement = 0;
        self.statement_offset = 0;
        self.detail_scroll = 0;
    }

    /// Swaps in a freshly loaded corpus, keeping the selection where the same ids still exist.
    pub fn replace_corpus(&mut self, corpus: Corpus) {
        let incident = self.selected_incident().map(|i| i.id.clone());
        let statement = self.selected_statement().map(|(_, s)| s.id.clone());
        let old_ids: Vec<String> = self.corpus.incidents.iter().map(|i| i.id.clone()).collect();
        let old_statements: Vec<Vec<String>> = match &self.diff {
            Some(_) => self
                .corpus
                .incidents
                .iter()
                .map(|i| i.statements.iter().map(|s| s.id.clone()).collect())
                .collect(),
            None => Vec::new(),
        };
        self.corpus = Arc::new(corpus);
        self.index = Index::new(&self.corpus);
        // Hits index into the old corpus: drop them, and any answer still on its way.
        self.search.generation += 1;
        self.search.answered = self.search.generation;
        self.search.hits.clear();
        self.search.selected = 0;
        self.search.offset = 0;
        let at = incident
            .and_then(|id| {
                self.index
                    .incidents
                    .iter()
                    .position(|&i| self.corpus.incidents[i].id == id)
            })
            .unwrap_or(0);
        let keep_detail = self.detail_scroll;
        self.select_incident(at);
        if let Some(id) = statement
            && let Some(inc) = self.selected_incident()
            && let Some(p) = self
                .statement_order
                .iter()
                .position(|&s| inc.statements[s].id == id)
        {
            self.statement = p;
            self.detail_scroll = keep_detail;
        }
        self.failed_scroll = 0;
        // The timeline and suggestions hold positions in the old corpus: build them again.
        if !self.timeline.items.is_empty() {
            let company = self.timeline.title.clone();
            self.open_timeline(&company);
        }
        if !self.suggestions.items.is_empty() || self.view == View::Suggest {
            let company = self.suggestions.title.clone();
            let keep = self.suggestions.selected;
            self.open_suggestions(&company);
            self.suggestions.selected = keep.min(self.suggestions.items.len().saturating_sub(1));
        }
        // Positions point into the old corpus: the diff is recomputed from its references.
        if let Some(d) = self.diff.take() {
            let refs = [d.a, d.b].map(|(ii, si)| {
                (
                    old_ids.get(ii).cloned(),
                    old_statements.get(ii).and_then(|v| v.get(si).cloned()),
                )
            });
            if let [(Some(ia), Some(sa)), (Some(ib), Some(sb))] = refs {
                let a = StatementRef::new(ia, sa);
                let b = StatementRef::new(ib, sb);
                if let (Some(pa), Some(pb)) =
                    (position(&self.corpus, &a), position(&self.corpus, &b))
                {
                    self.diff = Some(self.diff_of(pa, pb));
                }
            }
            if self.diff.is_none() && self.view == View::Diff {
                self.view = View::Browse;
            }
        }
        self.scroll_into_view();
    }

    /// Moves list offsets so the selected rows are on screen.
    pub fn scroll_into_view(&mut self) {
        let Some(areas) = self.areas() else { return };
        keep_visible(
            self.incident,
            &mut self.incident_offset,
            inner_rows(areas.incidents),
        );
        keep_visible(
            self.statement,
            &mut self.statement_offset,
            inner_rows(areas.statements),
        );
    }
}

/// Adjusts `offset` so that row `selected` is among the `rows` shown.
pub fn keep_visible(selected: usize, offset: &mut usize, rows: usize) {
    let rows = rows.max(1);
    if selected < *offset {
        *offset = selected;
    } else if selected >= *offset + rows {
        *offset = selected + 1 - rows;
    }
}
