//! The terminal interface that `onrecord` opens with no command on a terminal.
//!
//! Shaped as one state ([`App`]) with a stack of views and dialogs, one [`Action`] enum, a
//! keymap that is data ([`keymap::Keymap`]), [`update`] as the one place the state changes,
//! and a read-only [`draw::draw`] that records what it laid out for `update`. Effects (the
//! disk, the search thread, `$EDITOR`, the clipboard) are performed in [`effects`] and come
//! back as actions. This module and its children are the only ones that know about ratatui
//! and crossterm.

pub mod action;
pub mod app;
pub mod browse;
pub mod config;
pub mod diff;
pub mod draw;
pub mod effects;
pub mod failed;
pub mod form;
pub mod help;
pub mod incident;
pub mod input;
pub mod keymap;
pub mod layout;
pub mod safe;
pub mod search;
pub mod suggest;
pub mod tag;
pub mod timeline;
pub mod update;
pub mod widgets;
pub mod worker;

use std::io::{self, Write};
use std::path::Path;
use std::sync::Arc;
use std::sync::mpsc::{self, Receiver};
use std::time::Duration;

use crossterm::event::{
    self, DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
    Event, KeyEventKind, MouseButton, MouseEventKind,
};
use crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use ratatui::Terminal;
use ratatui::backend::{CrosstermBackend, TestBackend};

pub use action::{Action, Effect};
pub use app::App;
pub use config::{Config, ConfigError};
pub use effects::{Offline, Outside, settle, turn};
pub use update::update;

use crate::store::{self, Corpus, StoreError};
use keymap::Key;

#[derive(Debug, thiserror::Error)]
pub enum TuiError {
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("the terminal: {0}")]
    Io(#[from] io::Error),
}

/// Reads the config and the corpus in `dir`, then runs the interface until the user quits.
pub fn run(dir: &Path) -> Result<(), TuiError> {
    let config = match config::path() {
        Some(p) => config::load(&p)?,
        None => Config::default(),
    };
    // A folder that cannot be read is an error before the screen is taken; the files
    // themselves load on another thread while the first frame shows.
    let files = store::incident_files(dir)?.len();
    let (tx, loaded) = mpsc::channel();
    let load_dir = dir.to_path_buf();
    std::thread::Builder::new()
        .name("load".into())
        .spawn(move || {
            let _ = tx.send(effects::reload(&load_dir, None));
        })?;
    let mut app = App::new(Corpus::default(), config);
    app.dir = dir.to_path_buf();
    app.loading = Some(files);
    let mut terminal = enter()?;
    install_panic_hook();
    let result = event_loop(&mut terminal, &mut app, loaded);
    leave();
    result
}

type Term = Terminal<CrosstermBackend<io::Stdout>>;

fn enter() -> io::Result<Term> {
    enable_raw_mode()?;
    let mut out = io::stdout();
    if let Err(e) = crossterm::execute!(
        out,
        EnterAlternateScreen,
        EnableMouseCapture,
        EnableBracketedPaste
    ) {
        leave();
        return Err(e);
    }
    Terminal::new(CrosstermBackend::new(out)).inspect_err(|_| leave())
}

/// Gives the terminal back as it was: cooked mode, the main screen, no mouse reports, no
/// bracketed paste, a visible cursor. Safe to call twice.
fn leave() {
    let _ = disable_raw_mode();
    let _ = crossterm::execute!(
        io::stdout(),
        DisableBracketedPaste,
        DisableMouseCapture,
        LeaveAlternateScreen,
        crossterm::cursor::Show
    );
}

/// A panic restores the terminal before the message prints, so the message can be read and
/// the shell still works.
fn install_panic_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        leave();
        previous(info);
    }));
}

/// The real outside: the search thread, the terminal for OSC 52, and the editor.
struct Live<'a> {
    terminal: &'a mut Term,
    worker: &'a worker::Worker,
    /// The corpus the search thread has.
    searching: &'a mut Arc<Corpus>,
    /// Where answers worked out on their own threads come back ("said before?", history).
    back: &'a std::sync::mpsc::Sender<Action>,
}

impl Live<'_> {
    /// Hands the search thread the corpus shown, when it changed.
    fn sync(&mut self, app: &App) {
        if !Arc::ptr_eq(self.searching, &app.corpus) {
            *self.searching = app.corpus.clone();
            self.worker.use_corpus(app.corpus.clone());
        }
    }
}

impl Outside for Live<'_> {
    fn search(
        &mut self,
        app: &App,
        generation: u64,
        filter: crate::query::Filter,
        text: String,
    ) -> Option<Action> {
        // A query after a reload searches the corpus now shown, never the one before.
        self.sync(app);
        self.worker.ask(generation, filter, text);
        None
    }

    fn match_quote(&mut self, app: &App, question: effects::Question) -> Option<Action> {
        // Off the drawing thread: matching reads every statement of the organization.
        let corpus = app.corpus.clone();
        let back = self.back.clone();
        let asked = question.clone();
        let started = std::thread::Builder::new()
            .name("said-before".into())
            .spawn(move || {
                let _ = back.send(asked.answer(&corpus));
            });
        // No thread to be had: answer here rather than never.
        started.is_err().then(|| question.answer(&app.corpus))
    }

    fn history(&mut self, file: &Path, statement: &str) -> Option<Action> {
        // git may take a while: a frame never waits for it.
        let back = self.back.clone();
        let (f, s) = (file.to_path_buf(), statement.to_string());
        let started = std::thread::Builder::new()
            .name("history".into())
            .spawn(move || {
                let _ = back.send(effects::last_changed(&f, &s));
            });
        started
            .is_err()
            .then(|| Action::History(file.to_path_buf(), statement.to_string(), None))
    }

    fn copy(&mut self, text: &str) -> io::Result<()> {
        let out = self.terminal.backend_mut();
        out.write_all(osc52(text).as_bytes())?;
        out.flush()
    }

    fn edit(&mut self, path: &Path, line: u32) -> io::Result<Result<(), String>> {
        leave();
        let status = run_editor(path, line);
        *self.terminal = enter()?;
        self.terminal.clear()?;
        Ok(status)
    }
}

/// Draws a frame and hands `update` what it laid out.
fn frame<B: ratatui::backend::Backend>(
    terminal: &mut Terminal<B>,
    app: &mut App,
) -> Result<(), B::Error> {
    let mut drawn = app.drawn;
    terminal.draw(|f| drawn = draw::draw(f, app))?;
    if drawn != app.drawn {
        update(app, Action::Drawn(drawn));
    }
    Ok(())
}

/// How long typing pauses before the "said before?" panel is asked: a keystroke never waits
/// for matching.
const SAID_BEFORE_PAUSE: Duration = Duration::from_millis(300);

fn event_loop(
    terminal: &mut Term,
    app: &mut App,
    loaded: Receiver<Action>,
) -> Result<(), TuiError> {
    let size = terminal.size()?;
    update(app, Action::Resize(size.width, size.height));
    let worker = worker::Worker::start(app.corpus.clone());
    let mut searching = app.corpus.clone();
    let (back, answers) = mpsc::channel();
    // When the last key (or other event) came: the "said before?" panel waits for a pause.
    let mut last_event = std::time::Instant::now();
    loop {
        if app.history_due().is_some() {
            let mut live = Live {
                terminal,
                worker: &worker,
                searching: &mut searching,
                back: &back,
            };
            if turn(app, Action::Settled(), &mut live)? {
                return Ok(());
            }
        }
        frame(terminal, app)?;
        let mut live = Live {
            terminal,
            worker: &worker,
            searching: &mut searching,
            back: &back,
        };
        if app.loading.is_some()
            && let Ok(action) = loaded.try_recv()
        {
            if turn(app, action, &mut live)? {
                return Ok(());
            }
        } else {
            // While a search or the corpus is on its way, wake often to pick it up;
            // otherwise sleep until the next event.
            let due = app.said_before_due();
            let paused = last_event.elapsed();
            let wait = if app.search.pending()
                || app.loading.is_some()
                || app.said_pending()
                || app.asking_history.is_some()
            {
                Duration::from_millis(4)
            } else if due {
                SAID_BEFORE_PAUSE.saturating_sub(paused)
            } else {
                Duration::from_secs(3600)
            };
            let mut ready = event::poll(wait)?;
            if !ready
                && due
                && last_event.elapsed() >= SAID_BEFORE_PAUSE
                && turn(app, Action::Paused(), &mut live)?
            {
                return Ok(());
            }
            // Handle every event already waiting before drawing again, so held keys never
            // queue up behind frames.
            while ready {
                last_event = std::time::Instant::now();
                let ev = event::read()?;
                if handle(app, ev, &mut live)? {
                    return Ok(());
                }
                ready = event::poll(Duration::ZERO)?;
            }
            while let Some((generation, hits, took)) = worker.answer() {
                update(app, Action::Results(generation, hits, took));
            }
            while let Ok(action) = answers.try_recv() {
                update(app, action);
            }
        }
        // The search thread searches whatever corpus is shown (a reload while searching
        // asks again, through `update`, and `sync` comes first).
        live.sync(app);
    }
}

/// Turns a terminal event into an action and runs it; true when the interface should close.
pub fn handle(app: &mut App, ev: Event, outside: &mut impl Outside) -> io::Result<bool> {
    let action = match ev {
        Event::Key(k) if k.kind != KeyEventKind::Release => {
            let effect = app.key(Key::from_event(&k));
            return settle(app, effect, outside);
        }
        Event::Paste(text) => {
            app.message = None;
            Action::Paste(text)
        }
        Event::Mouse(m) => match m.kind {
            MouseEventKind::ScrollDown => Action::Scroll(m.column, m.row, 3),
            MouseEventKind::ScrollUp => Action::Scroll(m.column, m.row, -3),
            MouseEventKind::Down(MouseButton::Left) => Action::Click(m.column, m.row),
            _ => return Ok(false),
        },
        Event::Resize(w, h) => Action::Resize(w, h),
        _ => return Ok(false),
    };
    turn(app, action, outside)
}

/// Runs `$VISUAL`, else `$EDITOR`, else `vi`, on the file at the line ([`editor_command`]),
/// without a shell.
fn run_editor(path: &Path, line: u32) -> Result<(), String> {
    let editor = ["VISUAL", "EDITOR"]
        .iter()
        .filter_map(std::env::var_os)
        .find(|v| !v.is_empty())
        .map(|v| v.to_string_lossy().into_owned())
        .unwrap_or_else(|| "vi".into());
    let shown = |s: &str| crate::text::one_line(s).into_owned();
    let (program, args) = editor_command(&editor, path, line)
        .ok_or_else(|| format!("$EDITOR `{}` is not a command line", shown(&editor)))?;
    let status = std::process::Command::new(&program)
        .args(&args)
        .status()
        .map_err(|e| {
            format!(
                "could not run the editor `{}`: {e} (set $EDITOR)",
                shown(&program)
            )
        })?;
    if status.success() {
        Ok(())
    } else {
        Err(format!(
            "the editor `{}` exited with {status}",
            shown(&program)
        ))
    }
}

/// The program and arguments that open `path` at `line` in `editor` (the value of `$EDITOR`),
/// split into words as a shell would (quotes, backslashes; nothing is run or expanded).
/// `vi`, `vim`, `nvim`, `nano`, `hx` and `emacs` get `+LINE -- PATH`, so that a path starting
/// with `-` or `+` is never read as an option; VS Code gets `--goto PATH:LINE`; others
/// `+LINE PATH`. `None` when the value is empty or its quotes are not closed.
pub fn editor_command(
    editor: &str,
    path: &Path,
    line: u32,
) -> Option<(String, Vec<std::ffi::OsString>)> {
    let mut words = shell_words(editor)?.into_iter();
    let program = words.next()?;
    let mut args: Vec<std::ffi::OsString> = words.map(Into::into).collect();
    let name = Path::new(&program)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let name = name.strip_suffix(".exe").unwrap_or(&name);
    match name {
        "code" | "code-insiders" | "codium" => {
            let mut target = path.as_os_str().to_owned();
            target.push(format!(":{line}"));
            args.push("--goto".into());
            args.push(target);
        }
        "vi" | "vim" | "nvim" | "nano" | "hx" | "emacs" => {
            args.push(format!("+{line}").into());
            args.push("--".into());
            args.push(path.into());
        }
        _ => {
            args.push(format!("+{line}").into());
            args.push(path.into());
        }
    }
    Some((program, args))
}

/// Splits a command line into words as a POSIX shell would for quoting: single quotes keep
/// everything, double quotes keep all but `\"` and `\\`, a backslash outside quotes escapes
/// the next character. `None` for an unclosed quote or no word at all.
fn shell_words(s: &str) -> Option<Vec<String>> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                in_word = true;
                loop {
                    match chars.next()? {
                        '\'' => break,
                        c => word.push(c),
                    }
                }
            }
            '"' => {
                in_word = true;
                loop {
                    match chars.next()? {
                        '"' => break,
                        '\\' => match chars.next()? {
                            c @ ('"' | '\\' | '$' | '`') => word.push(c),
                            c => {
                                word.push('\\');
                                word.push(c);
                            }
                        },
                        c => word.push(c),
                    }
                }
            }
            '\\' => {
                in_word = true;
                word.push(chars.next()?);
            }
            c if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            c => {
                in_word = true;
                word.push(c);
            }
        }
    }
    if in_word {
        words.push(word);
    }
    (!words.is_empty()).then_some(words)
}

#[cfg(test)]
mod editor_tests {
    use super::*;

    fn cmd(editor: &str, path: &str) -> (String, Vec<String>) {
        let (p, a) = editor_command(editor, Path::new(path), 12).unwrap();
        (p, a.into_iter().map(|s| s.into_string().unwrap()).collect())
    }

    #[test]
    fn editors_that_read_double_dash_get_the_path_after_it() {
        for e in ["vi", "vim", "/usr/bin/nvim", "nano", "hx", "emacs"] {
            let (_, args) = cmd(e, "-rf.toml");
            assert_eq!(args, ["+12", "--", "-rf.toml"], "{e}");
        }
    }

    #[test]
    fn editor_is_split_like_a_shell_without_running_one() {
        let (p, args) = cmd("'/opt/My Editor/vim' -u 'NONE' \"a b\"", "x.toml");
        assert_eq!(p, "/opt/My Editor/vim");
        assert_eq!(args, ["-u", "NONE", "a b", "+12", "--", "x.toml"]);
        let (p, args) = cmd("my\\ editor $(rm -rf ~)", "x.toml");
        assert_eq!(p, "my editor");
        assert_eq!(args, ["$(rm", "-rf", "~)", "+12", "x.toml"]);
        assert!(editor_command("vim 'unclosed", Path::new("x"), 1).is_none());
        assert!(editor_command("   ", Path::new("x"), 1).is_none());
    }

    #[test]
    fn vs_code_gets_goto_file_and_line() {
        let (p, args) = cmd("code --wait", "a b.toml");
        assert_eq!(p, "code");
        assert_eq!(args, ["--wait", "--goto", "a b.toml:12"]);
    }
}

/// Performs an effect and everything that follows from it on the spot, the search included:
/// the event loop's own [`settle`], with [`Offline`] for the terminal. For tests and the
/// benchmark.
pub fn perform_inline(app: &mut App, effect: Effect) {
    let _ = settle(app, Some(effect), &mut Offline::default());
}

/// Draws a frame on an in-memory terminal and hands `update` what it laid out, as the event
/// loop does after every event.
pub fn redraw(terminal: &mut Terminal<TestBackend>, app: &mut App) {
    let Ok(()) = frame(terminal, app);
}

/// The OSC 52 sequence that asks the terminal to put `text` on the clipboard. The text is
/// base64 inside, so nothing in it can end the sequence early.
pub fn osc52(text: &str) -> String {
    format!("\x1b]52;c;{}\x07", base64(text.as_bytes()))
}

fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[(n >> (18 - 6 * i)) as usize & 63]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// The screen as text, drawn on an in-memory terminal of `width` × `height`: for tests and
/// the benchmark. A wide character's second cell is not repeated, as a terminal shows it.
pub fn render_to_string(app: &App, width: u16, height: u16) -> String {
    let mut terminal = match Terminal::new(TestBackend::new(width, height)) {
        Ok(t) => t,
        Err(never) => match never {},
    };
    let Ok(frame) = terminal.draw(|f| {
        draw::draw(f, app);
    });
    let buffer = frame.buffer.clone();
    let mut out = String::new();
    for y in 0..buffer.area.height {
        let mut skip = 0;
        let mut line = String::new();
        for x in 0..buffer.area.width {
            if skip > 0 {
                skip -= 1;
                continue;
            }
            let symbol = buffer[(x, y)].symbol();
            skip = safe::width(symbol).saturating_sub(1);
            line.push_str(symbol);
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// Draws one frame on an in-memory terminal, for the benchmark: the time this takes is the
/// time a real frame spends building the screen.
pub fn draw_offscreen(terminal: &mut Terminal<TestBackend>, app: &App) {
    let Ok(_) = terminal.draw(|f| {
        draw::draw(f, app);
    });
}

/// An in-memory terminal for [`draw_offscreen`].
pub fn offscreen(width: u16, height: u16) -> Terminal<TestBackend> {
    match Terminal::new(TestBackend::new(width, height)) {
        Ok(t) => t,
        Err(never) => match never {},
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_the_standard() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
        assert_eq!(osc52("hi"), "\x1b]52;c;aGk=\x07");
    }
}
