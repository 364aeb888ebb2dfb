//! The interface's one state: the corpus with the indexes browsing needs, what is selected and
//! scrolled where, the stack of open views and dialogs, and the message of the last action.
//! `update` changes it; drawing only reads it.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use crossterm::event::KeyCode;

use super::action::{Action, Effect};
use super::config::Config;
use super::input::TextField;
use super::keymap::Key;
pub use super::keymap::View;
use super::layout::{Areas, Drawn, inner_rows, keep_visible};
use crate::model::{Contradiction, Incident, Statement, StatementRef, Verdict};
use crate::search::Hit;
use crate::store::{Corpus, Position};

/// One entry of the stack of open views: the full-screen views, and the dialogs drawn over
/// them. Keys go to the top one; Esc closes it.
#[derive(Debug, Clone)]
pub enum Layer {
    Browse,
    Search,
    Diff(DiffView),
    Timeline,
    Suggest,
    /// The files that failed to load; one is selected.
    Failed {
        selected: usize,
    },
    Help {
        scroll: usize,
    },
    /// The selected incident's summary, tags and sources.
    Incident {
        scroll: usize,
    },
    /// The incident list's filter being typed; what it had before, for Esc.
    Filter {
        before: String,
    },
    Tag(Box<TagDialog>),
    Form(Box<Form>),
    Confirm(Confirm),
}

impl Layer {
    /// Which keys are live while this layer is on top.
    pub fn view(&self) -> View {
        match self {
            Layer::Browse => View::Browse,
            Layer::Search => View::Search,
            Layer::Diff(_) => View::Diff,
            Layer::Timeline => View::Timeline,
            Layer::Suggest => View::Suggest,
            Layer::Failed { .. } => View::Failed,
            Layer::Help { .. } => View::Help,
            Layer::Incident { .. } => View::Incident,
            Layer::Filter { .. } => View::Filter,
            Layer::Tag(_) => View::Tag,
            Layer::Form(_) => View::Form,
            Layer::Confirm(_) => View::Confirm,
        }
    }

    /// Drawn over the layer below it rather than instead of it.
    pub fn is_dialog(&self) -> bool {
        matches!(
            self,
            Layer::Tag(_)
                | Layer::Form(_)
                | Layer::Confirm(_)
                | Layer::Incident { .. }
                | Layer::Filter { .. }
        )
    }
}

/// A question asked before a change that writes or cannot be taken back lightly: `y` or
/// Enter performs `then`, Esc or `n` drops it.
#[derive(Debug, Clone)]
pub struct Confirm {
    pub question: String,
    pub then: Effect,
}

/// Which pane of the browse view takes the movement keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pane {
    Incidents,
    Statements,
    Detail,
}

/// A verdict's place: its incident's index in `corpus.incidents` and its index in that
/// incident's contradictions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VerdictAt {
    pub incident: usize,
    pub contradiction: usize,
}

/// How the incident list is ordered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Sort {
    /// Newest first, by the latest statement.
    #[default]
    Date,
    /// Most statements first.
    Statements,
    /// Most verdicts first.
    Verdicts,
}

impl Sort {
    pub fn next(self) -> Sort {
        match self {
            Sort::Date => Sort::Statements,
            Sort::Statements => Sort::Verdicts,
            Sort::Verdicts => Sort::Date,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Sort::Date => "newest first",
            Sort::Statements => "most statements first",
            Sort::Verdicts => "most verdicts first",
        }
    }
}

/// Which incidents the list shows: `company:NAME`, `tag:TAG`, `verdicts` (only those with
/// one), and words that the title or company must contain; all folded, so `temu` finds
/// `Temu`.
pub fn incident_matches(inc: &Incident, filter: &str) -> bool {
    use crate::fold::fold;
    filter.split_whitespace().all(|token| {
        let token = fold(token);
        if let Some(company) = token.strip_prefix("company:") {
            fold(&inc.company).contains(company)
        } else if let Some(tag) = token.strip_prefix("tag:") {
            inc.tags.iter().any(|t| fold(t) == tag)
        } else if token == "verdicts" || token == "has:verdicts" {
            !inc.contradictions.is_empty()
        } else {
            fold(&inc.title).contains(&token) || fold(&inc.company).contains(&token)
        }
    })
}

/// What browsing looks up on every frame, built once per load so a frame never scans the
/// corpus.
#[derive(Debug, Default)]
pub struct Index {
    /// Incident indexes in the list's order, the filter applied.
    pub incidents: Vec<usize>,
    /// For each statement that a verdict names: the verdicts.
    pub verdicts: HashMap<Position, Vec<VerdictAt>>,
    /// How many statements the corpus holds.
    pub statements: usize,
}

impl Index {
    pub fn new(corpus: &Corpus) -> Index {
        Index::build(corpus, "", Sort::Date)
    }

    /// The index with the incident list filtered and sorted.
    pub fn build(corpus: &Corpus, filter: &str, sort: Sort) -> Index {
        let mut incidents: Vec<usize> = (0..corpus.incidents.len())
            .filter(|&i| filter.trim().is_empty() || incident_matches(&corpus.incidents[i], filter))
            .collect();
        let latest: Vec<_> = corpus
            .incidents
            .iter()
            .map(|i| i.date_range().map(|(_, b)| *b))
            .collect();
        let by_date = |a: usize, b: usize| latest[b].cmp(&latest[a]).then(a.cmp(&b));
        let inc = |i: usize| &corpus.incidents[i];
        match sort {
            Sort::Date => incidents.sort_by(|&a, &b| by_date(a, b)),
            Sort::Statements => incidents.sort_by(|&a, &b| {
                inc(b)
                    .statements
                    .len()
                    .cmp(&inc(a).statements.len())
                    .then(by_date(a, b))
            }),
            Sort::Verdicts => incidents.sort_by(|&a, &b| {
                inc(b)
                    .contradictions
                    .len()
                    .cmp(&inc(a).contradictions.len())
                    .then(by_date(a, b))
            }),
        }
        let mut verdicts: HashMap<Position, Vec<VerdictAt>> = HashMap::new();
        for (ii, inc) in corpus.incidents.iter().enumerate() {
            for (ci, c) in inc.contradictions.iter().enumerate() {
                for r in &c.between {
                    if let Some(pos) = position(corpus, r) {
                        verdicts.entry(pos).or_default().push(VerdictAt {
                            incident: ii,
                            contradiction: ci,
                        });
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
pub fn position(corpus: &Corpus, r: &StatementRef) -> Option<Position> {
    let ii = corpus
        .incidents
        .binary_search_by(|i| i.id.as_str().cmp(&r.incident))
        .ok()?;
    let si = corpus.incidents[ii]
        .statements
        .iter()
        .position(|s| s.id == r.statement)?;
    Some(Position {
        incident: ii,
        statement: si,
    })
}

/// A line under the panes saying what the last action did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub text: String,
    pub error: bool,
}

/// The search box and what it found.
#[derive(Debug, Default)]
pub struct Search {
    pub input: TextField,
    /// The box was just opened on the previous query: typing replaces it.
    pub fresh: bool,
    /// Queries opened with Enter, oldest first.
    pub history: Vec<String>,
    /// Where ↑ has got to in `history`.
    pub recalled: Option<usize>,
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

/// Two statements side by side, earlier first, and their word diff, computed once when the
/// pair is opened.
#[derive(Debug, Clone)]
pub struct DiffView {
    pub a: Position,
    pub b: Position,
    pub diff: Arc<crate::diff::StatementDiff>,
    pub scroll: usize,
    /// The diff laid out at the width it was last drawn at: drawing lays out a pair once per
    /// width, not once per frame (a long statement takes long to lay out).
    pub laid: RefCell<Option<(u16, Arc<Vec<ratatui::text::Line<'static>>>)>>,
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
    pub a: Position,
    pub b: Position,
    pub suggestion: crate::suggest::Suggestion,
}

/// What a form records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormKind {
    /// A statement added to this incident.
    Statement {
        incident: String,
    },
    /// A statement recorded already, its fields changed in place.
    Edit {
        statement: StatementRef,
    },
    Incident,
    /// A source added to this incident, from the statement form's picker; the statement
    /// form under it gets the new source chosen.
    Source {
        incident: String,
    },
}

/// The names of the forms' fields: what a form's [`Field`] is called, what `Form::value`
/// asks for, and what the write path's problems name.
pub mod field {
    pub const SPEAKER: &str = "speaker";
    pub const ROLE: &str = "role";
    pub const ORGANIZATION: &str = "organization";
    pub const DATE: &str = "date";
    pub const KIND: &str = "kind";
    pub const CHANNEL: &str = "channel";
    pub const SOURCE: &str = "source";
    pub const VIA: &str = "via";
    pub const URL: &str = "url";
    pub const LANG: &str = "lang";
    pub const TEXT: &str = "text";
    pub const TRANSLATION: &str = "translation";
    pub const TAGS: &str = "tags";
    pub const NOTE: &str = "note";
    pub const ID: &str = "id";
    pub const COMPANY: &str = "company";
    pub const TITLE: &str = "title";
    pub const OUTLET: &str = "outlet";
    pub const PUBLISHED: &str = "published";
    pub const SNAPSHOT: &str = "snapshot";
}

/// The source picker's last choice: a source the file does not have yet.
pub const NEW_SOURCE: &str = "\u{0}new";

/// A field's value: typed text, or one of a list of choices.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldValue {
    Text(TextField),
    /// (value written, label shown), and which is chosen.
    Choice {
        options: Vec<(String, String)>,
        at: usize,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    pub name: &'static str,
    pub value: FieldValue,
}

/// A form being filled in: its fields in order, the field being typed in, and what
/// validation or the last save said.
#[derive(Debug, Clone)]
pub struct Form {
    pub kind: FormKind,
    pub fields: Vec<Field>,
    pub focus: usize,
    /// Problems found before writing, as (field, message): nothing is written while any.
    pub problems: Vec<(String, String)>,
    /// What `check` would warn about; shown before writing, and a second save writes anyway.
    pub warnings: Vec<String>,
    /// The warnings were shown: the next save writes.
    pub warned: bool,
    pub error: Option<String>,
    pub changed_on_disk: bool,
    pub confirm_discard: bool,
    /// Something was typed or chosen since the form opened.
    pub touched: bool,
    /// The "said before?" panel of a statement form.
    pub said: SaidBefore,
}

/// What the record already says of a statement being typed: statements that say the same,
/// or the opposite. Asked after a pause in typing, never on a keystroke.
#[derive(Debug, Clone, Default)]
pub struct SaidBefore {
    /// What was last asked: the text, and whose statements it was compared with.
    pub asked: Option<(String, String)>,
    /// The answer to wait for; older answers are dropped.
    pub generation: u64,
    /// An answer is on its way.
    pub pending: bool,
    pub matches: Vec<crate::matching::Match>,
}

/// The "said before?" panel shows at most this many statements.
pub const SAID_BEFORE: usize = 3;

fn text(name: &'static str, multiline: bool) -> Field {
    Field {
        name,
        value: FieldValue::Text(TextField::new(multiline)),
    }
}

fn choice(name: &'static str, options: Vec<(String, String)>) -> Field {
    Field {
        name,
        value: FieldValue::Choice { options, at: 0 },
    }
}

impl Form {
    /// A statement for `inc`: its sources offered by outlet.
    pub fn statement(inc: &Incident) -> Form {
        let kinds = ["quote", "paraphrase", "document"]
            .map(|k| (k.to_string(), k.to_string()))
            .to_vec();
        let mut sources = vec![(String::new(), "none".to_string())];
        sources.extend(inc.sources.iter().map(|s| {
            (
                s.id.clone(),
                format!("{} ({})", crate::text::one_line(&s.outlet), s.id),
            )
        }));
        // Whom the source credits, when it reports another outlet's words: any source the
        // incident already has.
        let mut via = sources.clone();
        via[0].1 = "none (read first-hand)".to_string();
        sources.push((NEW_SOURCE.to_string(), "new source…".to_string()));
        Form {
            kind: FormKind::Statement {
                incident: inc.id.clone(),
            },
            fields: vec![
                text(field::SPEAKER, false),
                text(field::ROLE, false),
                text(field::ORGANIZATION, false),
                text(field::DATE, false),
                choice(field::KIND, kinds),
                text(field::CHANNEL, false),
                choice(field::SOURCE, sources),
                choice(field::VIA, via),
                text(field::URL, false),
                text(field::LANG, false),
                text(field::TEXT, true),
                text(field::TRANSLATION, true),
                text(field::TAGS, false),
                text(field::NOTE, true),
            ],
            focus: 0,
            problems: Vec::new(),
            warnings: Vec::new(),
            warned: false,
            error: None,
            changed_on_disk: false,
            confirm_discard: false,
            touched: false,
            said: SaidBefore::default(),
        }
    }

    /// The statement `st` of `inc`, to change its fields.
    pub fn edit(inc: &Incident, st: &Statement) -> Form {
        let mut form = Form::statement(inc);
        form.kind = FormKind::Edit {
            statement: StatementRef::new(&inc.id, &st.id),
        };
        let org = (st.organization != inc.company).then(|| st.organization.clone());
        let values: [(&str, Option<String>); 11] = [
            (field::SPEAKER, Some(st.speaker.clone())),
            (field::ROLE, st.role.clone()),
            (field::ORGANIZATION, org),
            (field::DATE, Some(st.date.iso())),
            (field::CHANNEL, st.channel.clone()),
            (field::URL, st.url.clone()),
            (field::LANG, st.lang.clone()),
            (field::TEXT, Some(st.text.clone())),
            (field::TRANSLATION, st.translation.clone()),
            (field::TAGS, Some(st.tags.join(", "))),
            (field::NOTE, st.note.clone()),
        ];
        for field in &mut form.fields {
            match &mut field.value {
                FieldValue::Text(t) => {
                    if let Some((_, Some(v))) = values.iter().find(|(n, _)| *n == field.name) {
                        t.set(v);
                    }
                }
                FieldValue::Choice { options, at } => {
                    let wanted = match field.name {
                        field::KIND => st.kind.as_str().to_string(),
                        field::SOURCE => st.source.clone().unwrap_or_default(),
                        field::VIA => st.via.clone().unwrap_or_default(),
                        _ => continue,
                    };
                    if let Some(i) = options.iter().position(|(v, _)| *v == wanted) {
                        *at = i;
                    }
                }
            }
        }
        form
    }

    /// A new source for `incident`: who published it, where and when, and a file to keep as
    /// the saved copy of what they published.
    pub fn source(incident: &str) -> Form {
        Form {
            kind: FormKind::Source {
                incident: incident.to_string(),
            },
            fields: vec![
                text(field::OUTLET, false),
                text(field::URL, false),
                text(field::PUBLISHED, false),
                text(field::LANG, false),
                text(field::SNAPSHOT, false),
            ],
            ..Form::incident()
        }
    }

    /// Adds a source just written to the source picker, before "new source…", and chooses it;
    /// the `via` picker offers it too.
    pub fn pick_new_source(&mut self, id: &str, outlet: &str) {
        let label = format!("{} ({id})", crate::text::one_line(outlet));
        for field in &mut self.fields {
            let FieldValue::Choice { options, at } = &mut field.value else {
                continue;
            };
            match field.name {
                field::SOURCE => {
                    let place = options
                        .iter()
                        .position(|(v, _)| v == NEW_SOURCE)
                        .unwrap_or(options.len());
                    options.insert(place, (id.to_string(), label.clone()));
                    *at = place;
                    self.touched = true;
                    self.warned = false;
                }
                field::VIA => options.push((id.to_string(), label.clone())),
                _ => {}
            }
        }
    }

    pub fn incident() -> Form {
        Form {
            kind: FormKind::Incident,
            fields: vec![
                text(field::ID, false),
                text(field::COMPANY, false),
                text(field::TITLE, false),
                text(field::TAGS, false),
            ],
            focus: 0,
            problems: Vec::new(),
            warnings: Vec::new(),
            warned: false,
            error: None,
            changed_on_disk: false,
            confirm_discard: false,
            touched: false,
            said: SaidBefore::default(),
        }
    }

    /// A field's value, trimmed: the typed text, or the chosen option's value.
    pub fn value(&self, name: &str) -> &str {
        match self
            .fields
            .iter()
            .find(|f| f.name == name)
            .map(|f| &f.value)
        {
            Some(FieldValue::Text(t)) => t.text().trim(),
            Some(FieldValue::Choice { options, at }) => {
                options.get(*at).map_or("", |(v, _)| v.as_str())
            }
            None => "",
        }
    }

    /// The field with the focus.
    pub fn focused_field(&self) -> Option<&Field> {
        self.fields.get(self.focus)
    }

    pub fn focused(&mut self) -> Option<&mut FieldValue> {
        self.fields.get_mut(self.focus).map(|f| &mut f.value)
    }

    /// What the "said before?" panel compares: the statement's text, and whose words they
    /// are (the organization typed, else the incident's company). `None` for forms that
    /// record no statement.
    pub fn said_query(&self, corpus: &Corpus) -> Option<(String, String)> {
        let incident = match &self.kind {
            FormKind::Statement { incident } => incident,
            FormKind::Edit { statement } => &statement.incident,
            FormKind::Incident | FormKind::Source { .. } => return None,
        };
        let whose = match self.value(field::ORGANIZATION) {
            "" => corpus.incident(incident).map(|i| i.company.clone())?,
            org => org.to_string(),
        };
        Some((self.value(field::TEXT).to_string(), whose))
    }

    /// The source picker has the focus, on "new source…".
    pub fn on_new_source(&self) -> bool {
        self.fields.get(self.focus).is_some_and(|f| {
            f.name == field::SOURCE
                && matches!(&f.value, FieldValue::Choice { options, at }
                    if options.get(*at).is_some_and(|(v, _)| v == NEW_SOURCE))
        })
    }

    /// Moves the focus to the field called `name`.
    pub fn focus_on(&mut self, name: &str) {
        if let Some(at) = self.fields.iter().position(|f| f.name == name) {
            self.focus = at;
        }
    }
}

/// Which field of the tag dialog takes keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TagField {
    Verdict,
    Reviewed,
    Claim,
    Note,
}

/// A verdict the pair already has, as the file records it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OnRecord {
    pub verdict: Verdict,
    pub claim: Option<String>,
    pub note: Option<String>,
    pub by: Option<String>,
    pub at: Option<String>,
}

/// The tag dialog: a verdict on two statements, being filled in.
#[derive(Debug, Clone)]
pub struct TagDialog {
    /// The earlier statement.
    pub a: StatementRef,
    /// The later statement.
    pub b: StatementRef,
    /// Index into `Verdict::ALL`.
    pub verdict: usize,
    pub claim: TextField,
    pub note: TextField,
    /// Which statement's claim is under review: the later one (`b`) unless switched. The
    /// ClaimReview export reviews that statement.
    pub reviewed_later: bool,
    pub field: TagField,
    /// The verdict on record for this pair when the dialog opened.
    pub on_record: Option<OnRecord>,
    /// Why the last save failed; kept until the next save, never lost.
    pub error: Option<String>,
    /// The file changed on disk since loading: saving waits for a reload.
    pub changed_on_disk: bool,
    /// Esc was pressed once on a touched dialog.
    pub confirm_discard: bool,
    /// The pair already has a verdict and the user was told: the next save replaces it.
    pub confirm_replace: bool,
    /// Something was typed or chosen since the dialog opened.
    pub touched: bool,
}

impl TagDialog {
    /// The reviewed statement.
    pub fn reviewed(&self) -> &StatementRef {
        if self.reviewed_later {
            &self.b
        } else {
            &self.a
        }
    }
}

/// What `u` can take back: a file as it was before a write made here, and a hash of what
/// the write left, so that a file changed since is never rolled back over someone's work.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UndoStep {
    pub path: PathBuf,
    /// The bytes before the write; `None` when the write created the file.
    pub before: Option<Arc<Vec<u8>>>,
    /// The fingerprint of the file right after the write; `None` when the write removed it.
    pub after: Option<u64>,
    /// Files the write created beside `path` (a source's saved copy), with their
    /// fingerprints: removed too, when still as the write left them.
    pub created: Vec<(PathBuf, u64)>,
    /// What the write did, for the confirmation and the message.
    pub what: String,
}

/// The interface's state.
pub struct App {
    /// Who tagging writes as when the config does not say, found once (it may ask git).
    pub default_tagger: std::sync::OnceLock<String>,
    /// The corpus folder, read again on reload.
    pub dir: PathBuf,
    /// Shared with the search worker, which reads it on its own thread.
    pub corpus: Arc<Corpus>,
    pub index: Index,
    pub config: Config,
    /// The open views, the browse view at the bottom; keys go to the top one.
    pub stack: Vec<Layer>,
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
    /// The terminal's size, columns × rows.
    pub size: (u16, u16),
    /// What the last frame drew, for clamping scrolling.
    pub drawn: Drawn,
    pub message: Option<Message>,
    pub search: Search,
    /// While the corpus loads in the background: how many files it has.
    pub loading: Option<usize>,
    /// The statement `m` marked.
    pub marked: Option<StatementRef>,
    pub timeline: Listing<(Position, crate::timeline::TimelineEntry)>,
    /// The claim the timeline is set against, when it is a claim's timeline.
    pub timeline_claim: Option<StatementRef>,
    pub suggestions: Listing<Suggested>,
    /// Suggested pairs skipped with `x`, for this session only.
    pub skipped: HashSet<[StatementRef; 2]>,
    /// Writes made in this session, newest last.
    pub undo: Vec<UndoStep>,
    /// The incident list's filter (see [`incident_matches`]) and order.
    pub incident_filter: TextField,
    pub incident_sort: Sort,
    /// Counts questions to the "said before?" panel, so a late answer finds its form.
    pub said_generation: u64,
    /// Who last changed each statement shown, by file and id, as git says (`None`: git has
    /// nothing to say); asked off the drawing thread, forgotten on reload.
    pub last_changed: HashMap<(PathBuf, String), Option<String>>,
    /// The statement whose history is being asked.
    pub asking_history: Option<(PathBuf, String)>,
}

impl App {
    /// The name written as `tagged_by`: the config's, else `write::default_tagger`'s.
    pub fn tagger(&self) -> &str {
        match &self.config.tagged_by {
            Some(name) => name,
            None => self
                .default_tagger
                .get_or_init(|| crate::write::default_tagger(&self.dir)),
        }
    }

    pub fn new(corpus: Corpus, config: Config) -> App {
        let index = Index::new(&corpus);
        let mut app = App {
            default_tagger: std::sync::OnceLock::new(),
            dir: corpus.root.clone(),
            corpus: Arc::new(corpus),
            index,
            config,
            stack: vec![Layer::Browse],
            focus: Pane::Incidents,
            incident: 0,
            incident_offset: 0,
            statement_order: Vec::new(),
            statement: 0,
            statement_offset: 0,
            detail_scroll: 0,
            size: (80, 24),
            drawn: Drawn::default(),
            message: None,
            search: Search::default(),
            loading: None,
            marked: None,
            timeline: Listing::default(),
            timeline_claim: None,
            suggestions: Listing::default(),
            skipped: HashSet::new(),
            undo: Vec::new(),
            incident_filter: TextField::new(false),
            incident_sort: Sort::Date,
            said_generation: 0,
            last_changed: HashMap::new(),
            asking_history: None,
        };
        app.select_incident(0);
        app
    }

    /// The view whose keys are live: the top of the stack.
    pub fn view(&self) -> View {
        self.top().view()
    }

    pub fn top(&self) -> &Layer {
        self.stack.last().unwrap_or(&Layer::Browse)
    }

    pub fn top_mut(&mut self) -> &mut Layer {
        if self.stack.is_empty() {
            self.stack.push(Layer::Browse);
        }
        let last = self.stack.len() - 1;
        &mut self.stack[last]
    }

    /// Opens a view or dialog over the current one.
    pub fn push(&mut self, layer: Layer) {
        self.stack.push(layer);
    }

    /// Closes the top view or dialog; the browse view never closes.
    pub fn pop(&mut self) -> Option<Layer> {
        (self.stack.len() > 1).then(|| self.stack.pop()).flatten()
    }

    /// Closes everything over the browse view.
    pub fn to_browse(&mut self) {
        self.stack.truncate(1);
    }

    /// The open tag dialog, if it is on the stack.
    pub fn tag(&self) -> Option<&TagDialog> {
        self.stack.iter().rev().find_map(|l| match l {
            Layer::Tag(t) => Some(&**t),
            _ => None,
        })
    }

    pub fn tag_mut(&mut self) -> Option<&mut TagDialog> {
        self.stack.iter_mut().rev().find_map(|l| match l {
            Layer::Tag(t) => Some(&mut **t),
            _ => None,
        })
    }

    /// The open form, if it is on the stack.
    pub fn form(&self) -> Option<&Form> {
        self.stack.iter().rev().find_map(|l| match l {
            Layer::Form(f) => Some(&**f),
            _ => None,
        })
    }

    pub fn form_mut(&mut self) -> Option<&mut Form> {
        self.stack.iter_mut().rev().find_map(|l| match l {
            Layer::Form(f) => Some(&mut **f),
            _ => None,
        })
    }

    /// The open diff, if it is on the stack.
    pub fn diff(&self) -> Option<&DiffView> {
        self.stack.iter().rev().find_map(|l| match l {
            Layer::Diff(d) => Some(d),
            _ => None,
        })
    }

    /// The open statement form's "said before?" panel is behind what was typed: the event
    /// loop asks once typing pauses.
    pub fn said_before_due(&self) -> bool {
        let Some(Layer::Form(f)) = self.stack.last() else {
            return false;
        };
        !f.said.pending
            && f.said_query(&self.corpus)
                .is_some_and(|q| f.said.asked.as_ref() != Some(&q))
    }

    /// The selected statement, when who last changed it is not known yet nor being asked.
    pub fn history_due(&self) -> Option<(PathBuf, String)> {
        if self.config.hide_git_history || self.asking_history.is_some() {
            return None;
        }
        let (inc, st) = self.selected_statement()?;
        let key = (inc.path.clone(), st.id.clone());
        (!self.last_changed.contains_key(&key)).then_some(key)
    }

    /// An answer for a "said before?" panel is on its way.
    pub fn said_pending(&self) -> bool {
        self.stack
            .iter()
            .any(|l| matches!(l, Layer::Form(f) if f.said.pending))
    }

    /// Dispatches a key through the keymap; unbound keys do nothing. Ctrl-C quits from
    /// anywhere, whatever the config binds.
    pub fn key(&mut self, key: Key) -> Option<Effect> {
        self.message = None;
        if key.ctrl && key.code == KeyCode::Char('c') {
            return super::update::update(self, Action::Quit);
        }
        let view = self.view();
        let action = match self.config.keymap.lookup(view, key) {
            Some(a) => a,
            None => match key.code {
                KeyCode::Char(c) if view.takes_text() && !key.ctrl && !key.alt => Action::Input(c),
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

    /// Fills the timeline with a claim and what its organization said from then on, each
    /// compared with it (what `onrecord timeline REF` prints).
    pub fn open_claim_timeline(&mut self, claim: &StatementRef) {
        let items = crate::timeline::claim_timeline(&self.corpus, claim)
            .unwrap_or_default()
            .into_iter()
            .filter_map(|e| Some((position(&self.corpus, &e.reference)?, e)))
            .collect();
        self.timeline = Listing {
            title: format!("the claim {claim}"),
            items,
            selected: 0,
            offset: 0,
        };
        self.timeline_claim = Some(claim.clone());
    }

    /// Fills the timeline with what `organization` said, by date.
    pub fn open_timeline(&mut self, organization: &str) {
        self.timeline_claim = None;
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

    /// Fills the suggestions with candidate contradictions among `company`'s statements,
    /// leaving out the pairs skipped in this session.
    pub fn open_suggestions(&mut self, company: &str) {
        let mut filter = crate::query::Filter::default();
        if filter.add("company", company).is_err() {
            filter = crate::query::Filter::default();
        }
        let items = crate::suggest::suggest(&self.corpus, &filter, 200)
            .into_iter()
            .filter(|s| !self.skipped.contains(&s.between))
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
    pub fn diff_of(&self, a: Position, b: Position) -> DiffView {
        let st = |p: Position| self.corpus.at(p).1;
        let (a, b) = if st(b).date < st(a).date {
            (b, a)
        } else {
            (a, b)
        };
        DiffView {
            a,
            b,
            diff: Arc::new(crate::diff::diff_statements(st(a), st(b))),
            scroll: 0,
            laid: RefCell::new(None),
        }
    }

    pub fn reference(&self, pos: Position) -> StatementRef {
        let (inc, st) = self.corpus.at(pos);
        StatementRef::new(&inc.id, &st.id)
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
    pub fn go_to(&mut self, pos: Position) {
        let Some(at) = self.index.incidents.iter().position(|&i| i == pos.incident) else {
            return;
        };
        self.select_incident(at);
        if let Some(p) = self
            .statement_order
            .iter()
            .position(|&s| s == pos.statement)
        {
            self.statement = p;
        }
        self.scroll_into_view();
    }

    pub fn selected_pos(&self) -> Option<Position> {
        let &incident = self.index.incidents.get(self.incident)?;
        let &statement = self.statement_order.get(self.statement)?;
        Some(Position {
            incident,
            statement,
        })
    }

    pub fn selected_statement(&self) -> Option<(&Incident, &Statement)> {
        Some(self.corpus.at(self.selected_pos()?))
    }

    /// Whether the statement at `pos` is the marked one.
    pub fn is_marked(&self, pos: Position) -> bool {
        self.marked.as_ref().is_some_and(|m| {
            let (inc, st) = self.corpus.at(pos);
            m.incident == inc.id && m.statement == st.id
        })
    }

    /// The verdicts that name the statement at `pos`.
    pub fn verdicts(&self, pos: Position) -> impl Iterator<Item = (&Incident, &Contradiction)> {
        self.index
            .verdicts
            .get(&pos)
            .into_iter()
            .flatten()
            .map(|v| {
                let inc = &self.corpus.incidents[v.incident];
                (inc, &inc.contradictions[v.contradiction])
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

    /// Builds the index again with the list's filter and order, keeping the selected
    /// incident when it is still listed.
    pub fn reindex(&mut self) {
        let keep = self.selected_incident().map(|i| i.id.clone());
        self.index = Index::build(
            &self.corpus,
            self.incident_filter.text(),
            self.incident_sort,
        );
        let at = keep.and_then(|id| {
            self.index
                .incidents
                .iter()
                .position(|&i| self.corpus.incidents[i].id == id)
        });
        match at {
            // Still listed: keep the statement selected too.
            Some(at) => {
                self.incident = at;
                self.incident_offset = 0;
            }
            None => self.select_incident(0),
        }
        self.scroll_into_view();
    }

    /// Swaps in a freshly loaded corpus, keeping the selection where the same ids still exist.
    pub fn replace_corpus(&mut self, corpus: Corpus) {
        let incident = self.selected_incident().map(|i| i.id.clone());
        let statement = self.selected_statement().map(|(_, s)| s.id.clone());
        // Open diffs hold positions in the old corpus: keep their references.
        let diff_refs: Vec<Option<(StatementRef, StatementRef)>> = self
            .stack
            .iter()
            .map(|l| match l {
                Layer::Diff(d) => Some((self.reference(d.a), self.reference(d.b))),
                _ => None,
            })
            .collect();
        self.corpus = Arc::new(corpus);
        // A reload follows a write or an edit: what git said of a file may be out of date.
        self.last_changed.clear();
        self.index = Index::build(
            &self.corpus,
            self.incident_filter.text(),
            self.incident_sort,
        );
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
        for l in &mut self.stack {
            if let Layer::Failed { selected } = l {
                *selected = 0;
            }
        }
        // The timeline and suggestions hold positions in the old corpus: build them again.
        if let Some(claim) = self.timeline_claim.clone() {
            self.open_claim_timeline(&claim);
        } else if !self.timeline.items.is_empty() {
            let company = self.timeline.title.clone();
            self.open_timeline(&company);
        }
        if !self.suggestions.items.is_empty()
            || self.stack.iter().any(|l| l.view() == View::Suggest)
        {
            let company = self.suggestions.title.clone();
            let keep = self.suggestions.selected;
            self.open_suggestions(&company);
            self.suggestions.selected = keep.min(self.suggestions.items.len().saturating_sub(1));
        }
        // A diff is recomputed from its references, or closed when one is gone.
        let mut i = 0;
        while i < self.stack.len() {
            if let Some(Some((a, b))) = diff_refs.get(i) {
                match (position(&self.corpus, a), position(&self.corpus, b)) {
                    (Some(pa), Some(pb)) => {
                        let scroll = match &self.stack[i] {
                            Layer::Diff(d) => d.scroll,
                            _ => 0,
                        };
                        let mut d = self.diff_of(pa, pb);
                        d.scroll = scroll;
                        self.stack[i] = Layer::Diff(d);
                    }
                    _ => {
                        // Everything above a gone diff was opened from it.
                        self.stack.truncate(i);
                        break;
                    }
                }
            }
            i += 1;
        }
        if self.stack.is_empty() {
            self.stack.push(Layer::Browse);
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
            self.index.incidents.len(),
        );
        keep_visible(
            self.statement,
            &mut self.statement_offset,
            inner_rows(areas.statements),
            self.statement_order.len(),
        );
        let body = areas.body;
        let s = &mut self.search;
        keep_visible(
            s.selected,
            &mut s.offset,
            inner_rows(super::layout::search_results(body)),
            s.hits.len(),
        );
        let rows = inner_rows(super::layout::timeline_list(
            body,
            self.timeline_claim.is_some(),
        ));
        let l = &mut self.timeline;
        keep_visible(l.selected, &mut l.offset, rows, l.items.len());
        let l = &mut self.suggestions;
        keep_visible(
            l.selected,
            &mut l.offset,
            inner_rows(super::layout::suggestion_list(body)),
            l.items.len(),
        );
    }
}
