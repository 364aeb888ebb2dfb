//! Which key does what, as data: one table of (mode, key, action) that dispatches key events,
//! generates the help screen and the status line's hints, and that the config file can rebind.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::action::Action;

/// Which view or dialog is on top, and so which set of keys is live: the one list of views.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum View {
    Browse,
    Search,
    Diff,
    Tag,
    Timeline,
    Suggest,
    Form,
    Incident,
    Filter,
    Confirm,
    Help,
    Failed,
}

/// The name the config code knows the views by.
pub use View as Mode;

impl View {
    pub const ALL: [View; 12] = [
        View::Browse,
        View::Search,
        View::Diff,
        View::Tag,
        View::Timeline,
        View::Suggest,
        View::Form,
        View::Incident,
        View::Filter,
        View::Confirm,
        View::Help,
        View::Failed,
    ];

    /// Whether characters no key binds are typed into a text box.
    pub fn takes_text(self) -> bool {
        matches!(self, View::Search | View::Tag | View::Form | View::Filter)
    }

    pub fn title(self) -> &'static str {
        match self {
            View::Browse => "Browsing",
            View::Search => {
                "Searching (type to narrow; company: speaker: tag: kind: since: until: incident: filter)"
            }
            View::Diff => "Diff of two statements",
            View::Tag => "Tagging a verdict (type into the claim and note fields)",
            View::Timeline => "Timeline of an organization",
            View::Suggest => "Suggested contradictions",
            View::Form => "Recording a statement or an incident (type into the fields)",
            View::Incident => "An incident's summary, tags and sources",
            View::Filter => {
                "Filtering the incident list (type; company: tag: verdicts, or words of the title)"
            }
            View::Confirm => "A question before a change",
            View::Help => "Help",
            View::Failed => "Files that failed to load",
        }
    }
}

/// A key with its modifiers, as the config file writes it: `j`, `G`, `?`, `ctrl-d`, `Down`,
/// `PageUp`, `Enter`, `Esc`, `Tab`, `shift-Tab`, `Space`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key {
    pub code: KeyCode,
    pub ctrl: bool,
    pub alt: bool,
}

impl Key {
    /// Parses a key as the config file writes it.
    pub fn parse(spec: &str) -> Option<Key> {
        let mut ctrl = false;
        let mut alt = false;
        let mut shift = false;
        let mut rest = spec;
        loop {
            let lower = rest.to_ascii_lowercase();
            if let Some(r) = lower.strip_prefix("ctrl-") {
                ctrl = true;
                rest = &rest[rest.len() - r.len()..];
            } else if let Some(r) = lower.strip_prefix("alt-") {
                alt = true;
                rest = &rest[rest.len() - r.len()..];
            } else if let Some(r) = lower.strip_prefix("shift-") {
                shift = true;
                rest = &rest[rest.len() - r.len()..];
            } else {
                break;
            }
        }
        let mut chars = rest.chars();
        let code = match (chars.next(), chars.next()) {
            (Some(c), None) => KeyCode::Char(if ctrl { c.to_ascii_lowercase() } else { c }),
            _ => match rest.to_ascii_lowercase().as_str() {
                "up" => KeyCode::Up,
                "down" => KeyCode::Down,
                "left" => KeyCode::Left,
                "right" => KeyCode::Right,
                "pageup" => KeyCode::PageUp,
                "pagedown" => KeyCode::PageDown,
                "home" => KeyCode::Home,
                "end" => KeyCode::End,
                "enter" => KeyCode::Enter,
                "esc" => KeyCode::Esc,
                "tab" if shift => KeyCode::BackTab,
                "tab" => KeyCode::Tab,
                "backtab" => KeyCode::BackTab,
                "space" => KeyCode::Char(' '),
                "backspace" => KeyCode::Backspace,
                "delete" => KeyCode::Delete,
                f if f.starts_with('f') => KeyCode::F(f[1..].parse().ok()?),
                _ => return None,
            },
        };
        Some(Key { code, ctrl, alt })
    }

    /// The key a terminal event stands for. Shift is part of the character (`G`), so it is
    /// dropped; Shift-Tab arrives as its own code.
    pub fn from_event(ev: &KeyEvent) -> Key {
        let code = match ev.code {
            KeyCode::Char(c) if ev.modifiers.contains(KeyModifiers::CONTROL) => {
                KeyCode::Char(c.to_ascii_lowercase())
            }
            c => c,
        };
        Key {
            code,
            ctrl: ev.modifiers.contains(KeyModifiers::CONTROL),
            alt: ev.modifiers.contains(KeyModifiers::ALT),
        }
    }

    /// How help and hints show it.
    pub fn label(&self) -> String {
        let base = match self.code {
            KeyCode::Char(' ') => "Space".to_string(),
            KeyCode::Char(c) => c.to_string(),
            KeyCode::Up => "↑".into(),
            KeyCode::Down => "↓".into(),
            KeyCode::Left => "←".into(),
            KeyCode::Right => "→".into(),
            KeyCode::PageUp => "PgUp".into(),
            KeyCode::PageDown => "PgDn".into(),
            KeyCode::Home => "Home".into(),
            KeyCode::End => "End".into(),
            KeyCode::Enter => "Enter".into(),
            KeyCode::Esc => "Esc".into(),
            KeyCode::Tab => "Tab".into(),
            KeyCode::BackTab => "S-Tab".into(),
            KeyCode::Backspace => "Bksp".into(),
            KeyCode::Delete => "Del".into(),
            KeyCode::F(n) => format!("F{n}"),
            other => format!("{other:?}"),
        };
        match (self.ctrl, self.alt) {
            (true, _) => format!("C-{base}"),
            (_, true) => format!("M-{base}"),
            _ => base,
        }
    }
}

/// One row of the table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Binding {
    pub mode: View,
    pub key: Key,
    pub action: Action,
    /// Shown in the status line's hints.
    pub hint: bool,
}

/// Keys that edit the text field with the focus: shared by every view that has one.
macro_rules! editing {
    ($mode:ident) => {
        [
            ($mode, "Left", A::CursorLeft, false),
            ($mode, "Right", A::CursorRight, false),
            ($mode, "ctrl-Left", A::WordLeft, false),
            ($mode, "alt-b", A::WordLeft, false),
            ($mode, "ctrl-Right", A::WordRight, false),
            ($mode, "alt-f", A::WordRight, false),
            ($mode, "Home", A::LineStart, false),
            ($mode, "ctrl-a", A::LineStart, false),
            ($mode, "End", A::LineEnd, false),
            ($mode, "ctrl-e", A::LineEnd, false),
            ($mode, "Backspace", A::DeleteChar, false),
            ($mode, "Delete", A::DeleteForward, false),
            ($mode, "ctrl-w", A::DeleteWord, false),
            ($mode, "ctrl-u", A::ClearInput, false),
        ]
    };
}

/// The default table: view, key, action, and whether the status line shows it.
const DEFAULTS: &[&[(View, &str, Action, bool)]] = {
    use Action as A;
    use View::*;
    &[
        &[
            (Browse, "j", A::Down, true),
            (Browse, "Down", A::Down, false),
            (Browse, "k", A::Up, true),
            (Browse, "Up", A::Up, false),
            (Browse, "h", A::Left, false),
            (Browse, "Left", A::Left, false),
            (Browse, "l", A::Right, false),
            (Browse, "Right", A::Right, false),
            (Browse, "Enter", A::Right, false),
            (Browse, "Tab", A::FocusNext, true),
            (Browse, "shift-Tab", A::FocusPrev, false),
            (Browse, "PageDown", A::PageDown, false),
            (Browse, "ctrl-d", A::PageDown, false),
            (Browse, "PageUp", A::PageUp, false),
            (Browse, "ctrl-u", A::PageUp, false),
            (Browse, "g", A::Top, false),
            (Browse, "Home", A::Top, false),
            (Browse, "G", A::Bottom, false),
            (Browse, "End", A::Bottom, false),
            (Browse, "/", A::Search, true),
            (Browse, "m", A::Mark, true),
            (Browse, "d", A::Diff, true),
            (Browse, "t", A::Tag, true),
            (Browse, "U", A::Untag, false),
            (Browse, "T", A::Timeline, true),
            (Browse, "C", A::ClaimTimeline, false),
            (Browse, "i", A::IncidentInfo, false),
            (Browse, "f", A::FilterIncidents, false),
            (Browse, "o", A::SortIncidents, false),
            (Browse, "a", A::AddStatement, true),
            (Browse, "n", A::NewIncident, true),
            (Browse, "E", A::EditStatement, false),
            (Browse, "X", A::Delete, false),
            (Browse, "s", A::Suggest, true),
            (Browse, "u", A::Undo, false),
            (Browse, "y", A::Copy, true),
            (Browse, "e", A::Edit, true),
            (Browse, "r", A::Reload, true),
            (Browse, "!", A::Failed, true),
            (Browse, "Esc", A::Back, false),
            (Browse, "?", A::Help, true),
            (Browse, "q", A::Quit, true),
            (Search, "Esc", A::Back, true),
            (Search, "Enter", A::Open, true),
            (Search, "Down", A::Down, true),
            (Search, "ctrl-n", A::Down, false),
            (Search, "Up", A::Up, false),
            (Search, "ctrl-p", A::Up, false),
            (Search, "PageDown", A::PageDown, false),
            (Search, "PageUp", A::PageUp, false),
        ],
        &editing!(Search),
        &[
            (Diff, "j", A::Down, false),
            (Diff, "Down", A::Down, false),
            (Diff, "k", A::Up, false),
            (Diff, "Up", A::Up, false),
            (Diff, "PageDown", A::PageDown, false),
            (Diff, "PageUp", A::PageUp, false),
            (Diff, "t", A::Tag, true),
            (Diff, "U", A::Untag, false),
            (Diff, "Esc", A::Back, true),
            (Diff, "?", A::Help, true),
            (Diff, "q", A::Quit, true),
            (Tag, "Enter", A::Submit, true),
            (Tag, "ctrl-s", A::Save, true),
            (Tag, "Tab", A::NextField, true),
            (Tag, "shift-Tab", A::PrevField, false),
            (Tag, "Down", A::Down, false),
            (Tag, "Up", A::Up, false),
            (Tag, "ctrl-r", A::Reload, false),
            (Tag, "Esc", A::Back, true),
        ],
        &editing!(Tag),
        &[
            (Timeline, "j", A::Down, true),
            (Timeline, "Down", A::Down, false),
            (Timeline, "k", A::Up, true),
            (Timeline, "Up", A::Up, false),
            (Timeline, "PageDown", A::PageDown, false),
            (Timeline, "PageUp", A::PageUp, false),
            (Timeline, "g", A::Top, false),
            (Timeline, "G", A::Bottom, false),
            (Timeline, "Enter", A::Open, true),
            (Timeline, "m", A::Mark, true),
            (Timeline, "Esc", A::Back, true),
            (Timeline, "?", A::Help, true),
            (Timeline, "q", A::Quit, true),
            (Suggest, "j", A::Down, true),
            (Suggest, "Down", A::Down, false),
            (Suggest, "k", A::Up, true),
            (Suggest, "Up", A::Up, false),
            (Suggest, "PageDown", A::PageDown, false),
            (Suggest, "PageUp", A::PageUp, false),
            (Suggest, "g", A::Top, false),
            (Suggest, "G", A::Bottom, false),
            (Suggest, "Enter", A::Diff, true),
            (Suggest, "a", A::Accept, true),
            (Suggest, "x", A::Skip, true),
            (Suggest, "X", A::Dismiss, true),
            (Suggest, "Esc", A::Back, true),
            (Suggest, "?", A::Help, true),
            (Suggest, "q", A::Quit, true),
            (Form, "Enter", A::Submit, true),
            (Form, "ctrl-s", A::Save, true),
            (Form, "Tab", A::NextField, true),
            (Form, "shift-Tab", A::PrevField, false),
            (Form, "Down", A::Down, false),
            (Form, "Up", A::Up, false),
            (Form, "ctrl-r", A::Reload, false),
            (Form, "Esc", A::Back, true),
        ],
        &editing!(Form),
        &[
            (Incident, "j", A::Down, false),
            (Incident, "Down", A::Down, false),
            (Incident, "k", A::Up, false),
            (Incident, "Up", A::Up, false),
            (Incident, "PageDown", A::PageDown, false),
            (Incident, "PageUp", A::PageUp, false),
            (Incident, "Esc", A::Back, true),
            (Incident, "i", A::Back, false),
            (Incident, "q", A::Quit, true),
            (Filter, "Enter", A::Submit, true),
            (Filter, "Esc", A::Back, true),
        ],
        &editing!(Filter),
        &[
            (Confirm, "y", A::Confirm, true),
            (Confirm, "Enter", A::Confirm, false),
            (Confirm, "n", A::Back, true),
            (Confirm, "Esc", A::Back, false),
            (Help, "j", A::Down, false),
            (Help, "Down", A::Down, false),
            (Help, "k", A::Up, false),
            (Help, "Up", A::Up, false),
            (Help, "PageDown", A::PageDown, false),
            (Help, "ctrl-d", A::PageDown, false),
            (Help, "PageUp", A::PageUp, false),
            (Help, "ctrl-u", A::PageUp, false),
            (Help, "g", A::Top, false),
            (Help, "Home", A::Top, false),
            (Help, "G", A::Bottom, false),
            (Help, "End", A::Bottom, false),
            (Help, "Esc", A::Back, true),
            (Help, "?", A::Back, false),
            (Help, "q", A::Quit, true),
            (Failed, "j", A::Down, true),
            (Failed, "Down", A::Down, false),
            (Failed, "k", A::Up, true),
            (Failed, "Up", A::Up, false),
            (Failed, "PageDown", A::PageDown, false),
            (Failed, "PageUp", A::PageUp, false),
            (Failed, "g", A::Top, false),
            (Failed, "Home", A::Top, false),
            (Failed, "G", A::Bottom, false),
            (Failed, "End", A::Bottom, false),
            (Failed, "e", A::Edit, true),
            (Failed, "Enter", A::Edit, false),
            (Failed, "r", A::Reload, true),
            (Failed, "Esc", A::Back, true),
            (Failed, "!", A::Back, false),
            (Failed, "?", A::Help, true),
            (Failed, "q", A::Quit, true),
        ],
    ]
};

/// The live table: the defaults with the config file's changes.
#[derive(Debug, Clone)]
pub struct Keymap {
    pub bindings: Vec<Binding>,
}

impl Default for Keymap {
    fn default() -> Self {
        let bindings = DEFAULTS
            .iter()
            .flat_map(|part| part.iter())
            .map(|(mode, spec, action, hint)| Binding {
                mode: *mode,
                key: Key::parse(spec).unwrap_or_else(|| panic!("bad default key {spec}")),
                action: action.clone(),
                hint: *hint,
            })
            .collect();
        Keymap { bindings }
    }
}

impl Keymap {
    pub fn lookup(&self, mode: View, key: Key) -> Option<Action> {
        self.bindings
            .iter()
            .find(|b| b.mode == mode && b.key == key)
            .map(|b| b.action.clone())
    }

    /// The first key bound to `action` in `view`, as help shows it: what titles, hints and
    /// messages name, so that rebinding a key renames it everywhere. `?` when it has none.
    pub fn key_for(&self, view: View, action: Action) -> String {
        self.bindings
            .iter()
            .find(|b| b.mode == view && b.action == action)
            .map_or_else(|| "?".to_string(), |b| b.key.label())
    }

    /// The keys of `mode`, grouped by action in table order: what the help screen lists.
    pub fn describe(&self, mode: View) -> Vec<(Vec<Key>, Action)> {
        let mut out: Vec<(Vec<Key>, Action)> = Vec::new();
        for b in self.bindings.iter().filter(|b| b.mode == mode) {
            match out.iter_mut().find(|(_, a)| *a == b.action) {
                Some((keys, _)) => keys.push(b.key),
                None => out.push((vec![b.key], b.action.clone())),
            }
        }
        out
    }

    /// The status line's hints for `mode`: the first key of each hinted action, and its name.
    pub fn hints(&self, mode: View) -> Vec<(String, &'static str)> {
        let mut out: Vec<(String, &'static str)> = Vec::new();
        // Help and quit first: when the line is cut short, those two still show.
        let first = |b: &&Binding| !matches!(b.action, Action::Help | Action::Quit);
        let mut hinted: Vec<&Binding> = self
            .bindings
            .iter()
            .filter(|b| b.mode == mode && b.hint)
            .collect();
        hinted.sort_by_key(first);
        for b in hinted {
            if !out.iter().any(|(_, n)| *n == b.action.name()) {
                out.push((b.key.label(), b.action.name()));
            }
        }
        out
    }

    /// Binds `action` to `keys` instead of its default keys, in every mode where it had a
    /// binding. A key taken from another action in the same mode is taken away from it.
    pub fn rebind(&mut self, action: &str, keys: &[String]) -> Result<(), String> {
        let Some(action) = Action::from_name(action) else {
            let names: Vec<&str> = Action::KEYED.iter().map(|a| a.name()).collect();
            return Err(format!(
                "`{action}` is not an action; the actions are: {}",
                names.join(", ")
            ));
        };
        let mut parsed = Vec::new();
        for spec in keys {
            let key = Key::parse(spec).ok_or_else(|| {
                format!(
                    "`{spec}` is not a key; write a character (`j`, `G`, `?`), `ctrl-d`, \
                     `alt-x`, or a name: Up, Down, Left, Right, PageUp, PageDown, Home, End, \
                     Enter, Esc, Tab, shift-Tab, Space, Backspace, F1"
                )
            })?;
            parsed.push(key);
        }
        let mut modes: Vec<(View, bool)> = Vec::new();
        for b in self.bindings.iter().filter(|b| b.action == action) {
            if !modes.iter().any(|(m, _)| *m == b.mode) {
                modes.push((b.mode, b.hint));
            }
        }
        // Another action's binding of the same key stays: the config file reports the
        // conflict ([`Keymap::conflicts`]) rather than silently taking the key away.
        self.bindings.retain(|b| b.action != action);
        for (mode, hint) in modes {
            for (i, key) in parsed.iter().enumerate() {
                self.bindings.push(Binding {
                    mode,
                    key: *key,
                    action: action.clone(),
                    hint: hint && i == 0,
                });
            }
        }
        Ok(())
    }
}

impl Keymap {
    /// Every key bound to two different actions in one mode: mode, key, and both actions.
    pub fn conflicts(&self) -> Vec<(Mode, Key, Action, Action)> {
        let mut found = Vec::new();
        for (i, a) in self.bindings.iter().enumerate() {
            for b in &self.bindings[i + 1..] {
                if a.mode == b.mode && a.key == b.key && a.action != b.action {
                    found.push((a.mode, a.key, a.action.clone(), b.action.clone()));
                }
            }
        }
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_default_parses_and_no_key_is_bound_twice_in_a_mode() {
        let map = Keymap::default();
        for (i, a) in map.bindings.iter().enumerate() {
            for b in &map.bindings[i + 1..] {
                assert!(!(a.mode == b.mode && a.key == b.key), "{a:?} and {b:?}");
            }
        }
    }

    #[test]
    fn keys_parse() {
        assert_eq!(
            Key::parse("ctrl-d").map(|k| (k.code, k.ctrl)),
            Some((KeyCode::Char('d'), true))
        );
        assert_eq!(Key::parse("G").map(|k| k.code), Some(KeyCode::Char('G')));
        assert_eq!(
            Key::parse("shift-Tab").map(|k| k.code),
            Some(KeyCode::BackTab)
        );
        assert_eq!(
            Key::parse("PageDown").map(|k| k.code),
            Some(KeyCode::PageDown)
        );
        assert_eq!(Key::parse("F5").map(|k| k.code), Some(KeyCode::F(5)));
        assert_eq!(Key::parse("nonsense"), None);
    }

    #[test]
    fn rebinding_moves_a_key() {
        let mut map = Keymap::default();
        map.rebind("quit", &["x".into()]).unwrap();
        let x = Key::parse("x").unwrap();
        let q = Key::parse("q").unwrap();
        assert_eq!(map.lookup(View::Browse, x), Some(Action::Quit));
        assert_eq!(map.lookup(View::Browse, q), None);
        assert!(map.rebind("fly", &["x".into()]).is_err());
        assert!(map.rebind("quit", &["hyper-x".into()]).is_err());
    }
}
