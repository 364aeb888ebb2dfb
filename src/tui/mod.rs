//! The terminal interface that `onrecord` opens with no command on a terminal.
//!
//! Shaped as one state ([`App`]), one [`Action`] enum, a keymap that is data
//! ([`keymap::Keymap`]), [`update`] apart from a read-only [`draw::draw`], and the effects
//! (`$EDITOR`, the clipboard, reloading) performed here in the event loop. This module and its
//! children are the only ones that know about ratatui and crossterm.

pub mod action;
pub mod app;
pub mod browse;
pub mod config;
pub mod diff;
pub mod draw;
pub mod failed;
pub mod form;
pub mod help;
pub mod keymap;
pub mod safe;
pub mod search;
pub mod suggest;
pub mod tag;
pub mod timeline;
pub mod update;
pub mod worker;

use std::io::{self, Write};
use std::path::Path;
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

use crossterm::event::{
    self, DisableMouseCapture, EnableMouseCapture, Event, KeyEventKind, MouseButton, MouseEventKind,
};
use crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use ratatui::Terminal;
use ratatui::backend::{CrosstermBackend, TestBackend};

pub use action::{Action, Effect};
pub use app::App;
pub use config::{Config, ConfigError};
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
            let _ = tx.send(store::load(&load_dir));
        })?;
    let mut app = App::new(Corpus::default(), config);
    app.loading = Some(files);
    let mut terminal = enter()?;
    install_panic_hook();
    let result = event_loop(&mut terminal, &mut app, dir, loaded);
    leave();
    result
}

type Term = Terminal<CrosstermBackend<io::Stdout>>;

fn enter() -> io::Result<Term> {
    enable_raw_mode()?;
    let mut out = io::stdout();
    if let Err(e) = crossterm::execute!(out, EnterAlternateScreen, EnableMouseCapture) {
        leave();
        return Err(e);
    }
    Terminal::new(CrosstermBackend::new(out)).inspect_err(|_| leave())
}

/// Gives the terminal back as it was: cooked mode, the main screen, no mouse reports, a
/// visible cursor. Safe to call twice.
fn leave() {
    let _ = disable_raw_mode();
    let _ = crossterm::execute!(
        io::stdout(),
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

fn event_loop(
    terminal: &mut Term,
    app: &mut App,
    dir: &Path,
    loaded: Receiver<Result<Corpus, StoreError>>,
) -> Result<(), TuiError> {
    let size = terminal.size()?;
    update(app, Action::Resize(size.width, size.height));
    let worker = worker::Worker::start(app.corpus.clone());
    loop {
        terminal.draw(|f| draw::draw(f, app))?;
        if app.loading.is_some()
            && let Ok(result) = loaded.try_recv()
        {
            app.loading = None;
            match result {
                Ok(corpus) => {
                    app.replace_corpus(corpus);
                    worker.use_corpus(app.corpus.clone());
                    ask_again(app, &worker);
                }
                Err(e) => {
                    app.message = Some(app::Message {
                        text: e.to_string(),
                        error: true,
                    })
                }
            }
            continue;
        }
        // While a search or the corpus is on its way, wake often to pick it up; otherwise
        // sleep until the next event.
        let wait = if app.search.pending() || app.loading.is_some() {
            Duration::from_millis(4)
        } else {
            Duration::from_secs(3600)
        };
        let mut ready = event::poll(wait)?;
        // Handle every event already waiting before drawing again, so held keys never queue
        // up behind frames.
        while ready {
            let ev = event::read()?;
            if let Some(effect) = handle(app, ev)
                && perform(terminal, app, dir, &worker, effect)?
            {
                return Ok(());
            }
            ready = event::poll(Duration::ZERO)?;
        }
        while let Some((generation, hits, took)) = worker.answer() {
            update(app, Action::Results(generation, hits, took));
        }
    }
}

/// Turns a terminal event into an action and applies it.
pub fn handle(app: &mut App, ev: Event) -> Option<Effect> {
    match ev {
        Event::Key(k) if k.kind != KeyEventKind::Release => app.key(Key::from_event(&k)),
        Event::Mouse(m) => match m.kind {
            MouseEventKind::ScrollDown => update(app, Action::Scroll(m.column, m.row, 3)),
            MouseEventKind::ScrollUp => update(app, Action::Scroll(m.column, m.row, -3)),
            MouseEventKind::Down(MouseButton::Left) => update(app, Action::Click(m.column, m.row)),
            _ => None,
        },
        Event::Resize(w, h) => update(app, Action::Resize(w, h)),
        _ => None,
    }
}

/// A search typed before a (re)load asks again, against the corpus now loaded.
fn ask_again(app: &mut App, worker: &worker::Worker) {
    if app.view == app::View::Search
        && let Some(Effect::Search {
            generation,
            filter,
            text,
        }) = update::query(app)
    {
        worker.ask(generation, filter, text);
    }
}

/// Performs an effect; true when the interface should close.
fn perform(
    terminal: &mut Term,
    app: &mut App,
    dir: &Path,
    worker: &worker::Worker,
    effect: Effect,
) -> io::Result<bool> {
    match effect {
        Effect::Quit => return Ok(true),
        Effect::Search {
            generation,
            filter,
            text,
        } => worker.ask(generation, filter, text),
        Effect::Reload => {
            reload(app, dir);
            worker.use_corpus(app.corpus.clone());
            ask_again(app, worker);
        }
        Effect::SaveForm => {
            if let Some(written) = save_form(app) {
                reload(app, dir);
                worker.use_corpus(app.corpus.clone());
                app.go_to_ref(&written);
            }
        }
        effect @ Effect::Tag { .. } => {
            if save_tag(app, effect) {
                reload(app, dir);
                worker.use_corpus(app.corpus.clone());
            }
        }
        Effect::Copy(text) => {
            let out = terminal.backend_mut();
            out.write_all(osc52(&text).as_bytes())?;
            out.flush()?;
        }
        Effect::Edit { path, line } => {
            leave();
            let status = run_editor(&path, line);
            *terminal = enter()?;
            terminal.clear()?;
            match status {
                Ok(()) => {
                    reload(app, dir);
                    worker.use_corpus(app.corpus.clone());
                }
                Err(e) => {
                    app.message = Some(app::Message {
                        text: e,
                        error: true,
                    })
                }
            }
        }
    }
    Ok(false)
}

fn reload(app: &mut App, dir: &Path) {
    let started = Instant::now();
    app.message = Some(match store::load(dir) {
        Ok(corpus) => {
            app.replace_corpus(corpus);
            if let Some(t) = &mut app.tag {
                t.changed_on_disk = false;
                t.confirm_replace = false;
                t.confirm_replace = false;
                t.error = None;
            }
            if let Some(f) = &mut app.form {
                f.changed_on_disk = false;
                f.error = None;
            }
            let failed = app.corpus.failed.len();
            app::Message {
                text: format!(
                    "Reloaded {} incident{} in {} ms{}",
                    app.corpus.incidents.len(),
                    if app.corpus.incidents.len() == 1 {
                        ""
                    } else {
                        "s"
                    },
                    started.elapsed().as_millis(),
                    if failed > 0 {
                        format!("; {failed} failed to load (! lists them)")
                    } else {
                        String::new()
                    }
                ),
                error: failed > 0,
            }
        }
        Err(e) => app::Message {
            text: e.to_string(),
            error: true,
        },
    });
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

/// Validates the open form as `check` would and writes it through the same path as
/// `onrecord add` / `onrecord new`. Returns what to select once reloaded. Problems and errors
/// stay in the form; nothing is written while there are any.
pub fn save_form(app: &mut App) -> Option<crate::model::StatementRef> {
    use crate::write::{self, NewStatement, WriteError};
    let f = app.form.as_ref()?;
    let opt = |name: &str| Some(f.value(name).to_string()).filter(|v| !v.is_empty());
    let result = match &f.kind {
        app::FormKind::Statement { incident } => {
            let kind_text = f.value("kind");
            let kind = crate::model::Kind::parse(&kind_text.to_lowercase());
            let st = NewStatement {
                date: f.value("date").to_string(),
                speaker: f.value("speaker").to_string(),
                text: f.value("text").to_string(),
                kind,
                lang: opt("lang"),
                translation: opt("translation"),
                channel: opt("channel"),
                source: opt("source"),
                ..NewStatement::default()
            };
            let mut problems = write::validate_statement(&app.corpus, incident, &st);
            if kind.is_none() && !kind_text.is_empty() {
                problems.push((
                    "kind".into(),
                    format!("`{kind_text}` is not a kind: write quote, paraphrase or document"),
                ));
            }
            if !problems.is_empty() {
                let f = app.form.as_mut()?;
                f.problems = problems;
                f.error = Some("Nothing was written: fix the fields in red.".into());
                return None;
            }
            let expected = app.corpus.incident(incident).map(|i| i.fingerprint);
            write::add_statement(&app.corpus, incident, &st, expected)
                .map(|o| crate::model::StatementRef::new(incident, o.id.unwrap_or_default()))
        }
        app::FormKind::Incident => {
            let id = f.value("id").to_string();
            let tags: Vec<String> = f
                .value("tags")
                .split(',')
                .map(|t| t.trim().to_string())
                .filter(|t| !t.is_empty())
                .collect();
            write::new_incident(
                &app.corpus.root,
                &id,
                f.value("company"),
                f.value("title"),
                &tags,
            )
            .map(|_| crate::model::StatementRef::new(id, ""))
        }
    };
    match result {
        Ok(r) => {
            app.form = None;
            app.view = app::View::Browse;
            app.message = Some(app::Message {
                text: format!("Wrote {r}"),
                error: false,
            });
            Some(r)
        }
        Err(e) => {
            let f = app.form.as_mut()?;
            f.changed_on_disk = matches!(e, WriteError::ChangedOnDisk(_));
            match e {
                WriteError::Invalid(problems) => {
                    f.problems = problems;
                    f.error = Some("Nothing was written: fix the fields in red.".into());
                }
                e if f.changed_on_disk => {
                    f.error = Some(format!(
                        "{e} Press Ctrl-R to reload, then Enter to save again."
                    ))
                }
                e => f.error = Some(e.to_string()),
            }
            None
        }
    }
}

/// Writes a verdict through the same path as `onrecord tag`; true when it was written. A
/// failure stays in the dialog; a file changed on disk since loading is never overwritten.
pub fn save_tag(app: &mut App, effect: Effect) -> bool {
    let Effect::Tag {
        a,
        b,
        verdict,
        claim,
        note,
    } = effect
    else {
        return false;
    };
    let req = crate::write::TagRequest {
        a: a.clone(),
        b: b.clone(),
        verdict,
        claim,
        note,
        by: app.tagger().to_string(),
        // A verdict already on record is a colleague's decision: replacing it takes a second
        // Enter after the dialog has said what it would replace.
        replace: app.tag.as_ref().is_some_and(|t| t.confirm_replace),
        reviewed: None,
    };
    let expected = crate::write::tag_target(&app.corpus, &a, &b)
        .ok()
        .map(|i| i.fingerprint);
    match crate::write::tag(&app.corpus, &req, expected) {
        Ok(outcome) => {
            if let Some(t) = app.tag.take() {
                app.view = t.over;
            }
            app.message = Some(app::Message {
                text: format!("Tagged {a} and {b} {verdict} in {}", outcome.path.display()),
                error: false,
            });
            true
        }
        Err(e) => {
            match &mut app.tag {
                Some(t) => {
                    t.changed_on_disk = matches!(e, crate::write::WriteError::ChangedOnDisk(_));
                    t.error = Some(match &e {
                        crate::write::WriteError::ChangedOnDisk(_) => {
                            t.confirm_replace = false;
                            format!("{e} Press Ctrl-R to reload, then Enter to save again.")
                        }
                        crate::write::WriteError::AlreadyTagged(old) => {
                            t.confirm_replace = true;
                            // Keep the claim and note on record unless the user typed new ones.
                            if let Some((_, c)) = app
                                .corpus
                                .contradictions()
                                .find(|(_, c)| c.involves_pair(&a, &b))
                            {
                                if t.claim.is_empty() {
                                    t.claim = c.claim.clone().unwrap_or_default();
                                }
                                if t.note.is_empty() {
                                    t.note = c.note.clone().unwrap_or_default();
                                }
                            }
                            format!(
                                "This pair already has a verdict ({}) in {}; its claim and note \
                                 are shown. Press Enter again to replace it, Esc to keep it.",
                                old.verdict,
                                old.path.display()
                            )
                        }
                        _ => e.to_string(),
                    });
                }
                None => {
                    app.message = Some(app::Message {
                        text: format!("{e} (r reloads)"),
                        error: true,
                    })
                }
            }
            false
        }
    }
}

/// Performs an effect on the spot, the search included: what the event loop does, minus the
/// terminal, the editor and the worker thread. For tests and the benchmark.
pub fn perform_inline(app: &mut App, effect: Effect) {
    if effect == Effect::SaveForm {
        if let Some(written) = save_form(app) {
            reload_inline(app);
            app.go_to_ref(&written);
        }
        return;
    }
    if matches!(effect, Effect::Tag { .. }) {
        if save_tag(app, effect) {
            reload_inline(app);
        }
        return;
    }
    if effect == Effect::Reload {
        reload_inline(app);
        return;
    }
    if let Effect::Search {
        generation,
        filter,
        text,
    } = effect
    {
        let started = Instant::now();
        let index = crate::search::SearchIndex::new(&app.corpus);
        let hits = index.search(&app.corpus, &text, &filter, worker::LIMIT);
        update(app, Action::Results(generation, hits, started.elapsed()));
    }
}

fn reload_inline(app: &mut App) {
    let root = app.corpus.root.clone();
    if let Ok(corpus) = store::load(&root) {
        app.replace_corpus(corpus);
        if let Some(t) = &mut app.tag {
            t.changed_on_disk = false;
            t.confirm_replace = false;
        }
        if let Some(f) = &mut app.form {
            f.changed_on_disk = false;
        }
    }
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
    let Ok(frame) = terminal.draw(|f| draw::draw(f, app));
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
    let Ok(_) = terminal.draw(|f| draw::draw(f, app));
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
