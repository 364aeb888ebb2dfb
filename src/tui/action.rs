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
        /// Quit the interface
        Quit => "quit",
        /// Move up one row
        Up => "up",
        /// Move down one row
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
        /// Open the statement in $EDITOR at its line, then reload
        Edit => "edit",
        /// Copy the statement with its citation to the clipboard (OSC 52)
        Copy => "copy",
        /// Close this view and go back
        Back => "back",
        /// Search the whole corpus as you type
        Search => "search",
        /// Open the selected result in its incident
        Open => "open",
        /// Delete the character before the cursor
        DeleteChar => "delete-char",
        /// Clear the search box or the field being typed in
        ClearInput => "clear",
        /// Mark the statement, to diff or tag it against another
        Mark => "mark",
        /// Diff the marked statement against this one, word by word
        Diff => "diff",
        /// Tag a verdict on the marked statement and this one, or on the pair diffed
        Tag => "tag",
        /// Go to the next field of the dialog
        NextField => "next-field",
        /// Go to the previous field of the dialog
        PrevField => "previous-field",
        /// Choose the next verdict
        NextChoice => "next-choice",
        /// Choose the previous verdict
        PrevChoice => "previous-choice",
        /// Save the verdict through the write path
        Save => "save",
        /// Show what the selected statement's organization said, by date
        Timeline => "timeline",
        /// Show suggested contradictions for the selected incident's company
        Suggest => "suggest",
        /// Accept the suggestion: open the tag dialog on the pair
        Accept => "accept",
        /// Dismiss the suggestion as unrelated (asks first)
        Dismiss => "dismiss",
        /// Add a statement to the selected incident, through a form
        AddStatement => "add",
        /// Start a new incident, through a form
        NewIncident => "new",
    }
    events {
        /// Type a character into the search box
        Input(char),
        /// Search results arrived for a query: its generation, the hits, how long they took
        Results(u64, Vec<crate::search::Hit>, std::time::Duration),
        /// The terminal is now this many columns and rows
        Resize(u16, u16),
        /// A mouse click at this column and row
        Click(u16, u16),
        /// The mouse wheel turned at this column and row: rows to scroll, down when positive
        Scroll(u16, u16, i16),
    }
}

/// Work that touches the world outside the state, returned by `update` and performed by the
/// event loop, so that `update` stays a plain function tests can call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Leave the interface.
    Quit,
    /// Read the corpus from disk again.
    Reload,
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
    /// Validate the open form and write it, unless its file changed on disk since loading.
    SaveForm,
    /// Write this verdict, unless its file changed on disk since it was loaded.
    Tag {
        a: crate::model::StatementRef,
        b: crate::model::StatementRef,
        verdict: crate::model::Verdict,
        claim: Option<String>,
        note: Option<String>,
    },
}
