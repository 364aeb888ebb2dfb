//! Everything the interface can be asked to do. The keymap turns keys into these; `update`
//! carries them out. A variant's doc comment is also its help text, so the help screen and the
//! code cannot disagree.

/// Declares the actions: the ones a key can be bound to (with their name for the config file
/// and the status line), then the ones that come from other events and carry data.
macro_rules! actions {
    (
        keys { $( #[doc = $doc:literal] $name:ident => $label:literal, )* }
        events { $( #[doc = $edoc:literal] $ename:ident ( $($t:ty),* ), )* }
    ) => {
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub enum Action {
            $( #[doc = $doc] $name, )*
            $( #[doc = $edoc] $ename($($t),*), )*
        }

        impl Action {
            /// The actions a key can be bound to.
            pub const KEYED: &'static [Action] = &[$(Action::$name),*];

            /// Its name in the config file's `[keys]` table and in the status line's hints.
            pub fn name(&self) -> &'static str {
                match self {
                    $( Action::$name => $label, )*
                    _ => "",
                }
            }

            /// One line saying what it does: its doc comment.
            pub fn help(&self) -> &'static str {
                match self {
                    $( Action::$name => $doc.trim_ascii(), )*
                    $( Action::$ename { .. } => $edoc.trim_ascii(), )*
                }
            }

            /// The bindable action with this config name.
            pub fn from_name(name: &str) -> Option<Action> {
                Action::KEYED.iter().find(|a| a.name() == name).cloned()
            }
        }
    };
}

actions! {
    keys {
        /// Quit the interface (Ctrl-C quits from anywhere)
        Quit => "quit",
        /// Move up one row, or choose the previous option
        Up => "up",
        /// Move down one row, or choose the next option
        Down => "down",
        /// Move up a page
        PageUp => "page-up",
        /// Move down a page
        PageDown => "page-down",
        /// Go to the first row
        Top => "top",
        /// Go to the last row
        Bottom => "bottom",
        /// Focus the next pane: incidents, statements, the full statement
        FocusNext => "next-pane",
        /// Focus the previous pane
        FocusPrev => "previous-pane",
        /// Focus the pane on the left
        Left => "left",
        /// Focus the pane on the right, or open the selected row
        Right => "right",
        /// Show every key
        Help => "help",
        /// List the files that failed to load, with path:line:col and the message
        Failed => "failed",
        /// Read the corpus again from disk
        Reload => "reload",
        /// Open the statement (or the broken file) in $EDITOR at its line, then reload
        Edit => "edit",
        /// Copy the statement with its citation to the clipboard (OSC 52)
        Copy => "copy",
        /// Close this view or dialog and go back
        Back => "back",
        /// Search the whole corpus as you type; typing replaces the last query
        Search => "search",
        /// Open the selected result in its incident
        Open => "open",
        /// Delete the character before the cursor
        DeleteChar => "delete-char",
        /// Delete the character under the cursor
        DeleteForward => "delete-forward",
        /// Delete the word before the cursor
        DeleteWord => "delete-word",
        /// Clear the search box or the field being typed in
        ClearInput => "clear",
        /// Move the cursor left, or choose the previous option
        CursorLeft => "cursor-left",
        /// Move the cursor right, or choose the next option
        CursorRight => "cursor-right",
        /// Move the cursor to the previous word
        WordLeft => "word-left",
        /// Move the cursor to the next word
        WordRight => "word-right",
        /// Move the cursor to the start of the line
        LineStart => "line-start",
        /// Move the cursor to the end of the line
        LineEnd => "line-end",
        /// Mark the statement (again: clear the mark), to diff or tag it against another
        Mark => "mark",
        /// Diff the marked statement against this one, word by word
        Diff => "diff",
        /// Tag a verdict on the marked statement and this one, or on the pair diffed
        Tag => "tag",
        /// Remove the verdict on the marked statement and this one, or on the pair diffed (asks first)
        Untag => "untag",
        /// Go to the next field of the dialog
        NextField => "next-field",
        /// Go to the previous field of the dialog
        PrevField => "previous-field",
        /// Save or apply; in a multi-line field (text, translation, note), a line break
        Submit => "enter",
        /// Save from any field, through the write path
        Save => "save",
        /// Show what the selected statement's organization said, by date
        Timeline => "timeline",
        /// Set the selected statement as a claim against what its organization said later
        ClaimTimeline => "claim-timeline",
        /// Show suggested contradictions for the selected incident's company
        Suggest => "suggest",
        /// Accept the suggestion: open the tag dialog on the pair
        Accept => "accept",
        /// Skip the suggestion for this session; nothing is written
        Skip => "skip",
        /// Dismiss the suggestion by writing the verdict `unrelated` (asks first)
        Dismiss => "dismiss",
        /// Add a statement to the selected incident, through a form
        AddStatement => "add",
        /// Start a new incident, through a form
        NewIncident => "new",
        /// Change the selected statement's fields, through a form
        EditStatement => "edit-statement",
        /// Remove the selected statement, or the incident when the incident list has the focus (asks first)
        Delete => "delete",
        /// Show the selected incident's summary, tags and sources
        IncidentInfo => "incident",
        /// Filter the incident list: company:NAME, tag:TAG, verdicts, or words of the title
        FilterIncidents => "filter",
        /// Sort the incident list: newest first, most statements, most verdicts
        SortIncidents => "sort",
        /// Undo the last write made in this session, unless the file changed since (asks first)
        Undo => "undo",
        /// Yes: do what the question says
        Confirm => "confirm",
    }
    events {
        /// Type a character into the search box or the field with the focus
        Input(char),
        /// Text pasted from the terminal (bracketed paste): into the field with the focus
        Paste(String),
        /// Search results arrived for a query: its generation, the hits, how long they took
        Results(u64, Vec<crate::search::Hit>, std::time::Duration),
        /// The terminal is now this many columns and rows
        Resize(u16, u16),
        /// A mouse click at this column and row
        Click(u16, u16),
        /// The mouse wheel turned at this column and row: rows to scroll, down when positive
        Scroll(u16, u16, i16),
        /// What the last frame drew, for clamping scrolling
        Drawn(super::layout::Drawn),
        /// The corpus was read from disk (at start or on reload): what to select after
        Loaded(Payload<Loaded>),
        /// A write finished: what it was, and how it went
        Wrote(Payload<Wrote>),
        /// The editor closed: how it went
        EditorExited(Result<(), String>),
        /// No key came for a moment: what waits for a pause in typing is done now
        Paused(),
        /// The events waiting were handled: what follows the selection is asked now
        Settled(),
        /// Who last changed a statement, from git: its file, its id, the line to show
        History(std::path::PathBuf, String, Option<String>),
        /// Statements on record like the one being typed: the question's generation, the answer
        Matched(u64, Payload<Vec<crate::matching::Match>>),
    }
}

/// Data an effect hands back to `update` that is not worth comparing or cloning (a corpus,
/// a write's error): two payloads are equal only when they are the same one.
#[derive(Debug)]
pub struct Payload<T>(pub std::sync::Arc<std::sync::Mutex<Option<T>>>);

impl<T> Payload<T> {
    pub fn new(value: T) -> Payload<T> {
        Payload(std::sync::Arc::new(std::sync::Mutex::new(Some(value))))
    }

    /// The value, once.
    pub fn take(&self) -> Option<T> {
        self.0.lock().ok()?.take()
    }

    /// A copy of the value, leaving it in place.
    pub fn get(&self) -> Option<T>
    where
        T: Clone,
    {
        self.0.lock().ok()?.clone()
    }
}

impl<T> Clone for Payload<T> {
    fn clone(&self) -> Self {
        Payload(self.0.clone())
    }
}

impl<T> PartialEq for Payload<T> {
    fn eq(&self, other: &Self) -> bool {
        std::sync::Arc::ptr_eq(&self.0, &other.0)
    }
}

impl<T> Eq for Payload<T> {}

/// A corpus read from disk.
#[derive(Debug)]
pub struct Loaded {
    pub corpus: Result<crate::store::Corpus, crate::store::StoreError>,
    pub took: std::time::Duration,
    /// Select this statement (or incident) once loaded.
    pub select: Option<crate::model::StatementRef>,
    /// Say this rather than "Reloaded…".
    pub message: Option<String>,
}

/// A write to make through the write path.
#[derive(Debug, Clone)]
pub enum Write {
    Statement {
        incident: String,
        statement: crate::write::NewStatement,
        expected: Option<u64>,
    },
    Incident {
        id: String,
        company: String,
        title: String,
        tags: Vec<String>,
    },
    Tag {
        request: crate::write::TagRequest,
        expected: Option<u64>,
    },
    Untag {
        a: crate::model::StatementRef,
        b: crate::model::StatementRef,
        expected: Option<u64>,
    },
    EditStatement {
        statement: crate::model::StatementRef,
        fields: crate::write::NewStatement,
        expected: Option<u64>,
    },
    RemoveStatement {
        statement: crate::model::StatementRef,
        expected: Option<u64>,
    },
    RemoveIncident {
        id: String,
        expected: Option<u64>,
    },
    /// A `[[sources]]` entry, and its saved copy copied into the corpus.
    Source {
        incident: String,
        source: crate::write::NewSource,
        expected: Option<u64>,
    },
    Undo(super::app::UndoStep),
}

/// How a write went.
#[derive(Debug)]
pub struct Wrote {
    pub write: Write,
    pub result: Result<Written, crate::write::WriteError>,
}

/// A write that went through.
#[derive(Debug)]
pub struct Written {
    pub outcome: crate::write::WriteOutcome,
    /// How to take it back, when it can be.
    pub undo: Option<super::app::UndoStep>,
}

/// Work that touches the world outside the state, returned by `update` and performed by the
/// event loop; what comes of it comes back to `update` as an action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Leave the interface.
    Quit,
    /// Read the corpus from disk again, then select this statement or incident.
    Reload(Option<crate::model::StatementRef>),
    /// Run `$VISUAL` or `$EDITOR` on a file at a line, then reload.
    Edit { path: std::path::PathBuf, line: u32 },
    /// Put this text on the clipboard through the terminal (OSC 52).
    Copy(String),
    /// Search for this text among the statements that pass this filter, off the drawing
    /// thread; the answer comes back as [`Action::Results`] with the same generation.
    Search {
        generation: u64,
        filter: crate::query::Filter,
        text: String,
    },
    /// Find statements on record that say what `text` says, or the opposite, among those
    /// that pass the filter, leaving out `except` (the statement being changed); comes back
    /// as [`Action::Matched`].
    Match {
        generation: u64,
        text: String,
        filter: Box<crate::query::Filter>,
        except: Option<crate::model::StatementRef>,
    },
    /// Find who last changed a statement in git, off the drawing thread; comes back as
    /// [`Action::History`].
    History {
        file: std::path::PathBuf,
        statement: String,
    },
    /// Write through the write path, then reload; comes back as [`Action::Wrote`].
    Write(Payload<Write>),
}
