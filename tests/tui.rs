//! The terminal interface: state tests (keys in, state out, no terminal), snapshots of every
//! view drawn in memory, and an end-to-end run of the real binary inside tmux.

mod common;

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use onrecord::model::StatementRef;
use onrecord::store;
use onrecord::tui::app::{FieldValue, FormKind, Pane, TagField, View};
use onrecord::tui::{Action, App, Config, Effect, perform_inline, render_to_string, update};

const FIXTURES: &str = "tests/fixtures/tui";

fn app(width: u16, height: u16) -> App {
    let corpus = store::load(Path::new(FIXTURES)).unwrap();
    // The fixtures are in this repository: what git says of them changes with every commit.
    let config = Config {
        hide_git_history: true,
        ..Config::default()
    };
    let mut app = App::new(corpus, config);
    update(&mut app, Action::Resize(width, height));
    app
}

fn selected(app: &App) -> (String, String) {
    let (inc, st) = app.selected_statement().unwrap();
    (inc.id.clone(), st.id.clone())
}

// ---- state ------------------------------------------------------------------------------

#[test]
fn incidents_are_newest_first_and_statements_in_date_order() {
    let app = app(80, 24);
    let ids: Vec<&str> = app
        .index
        .incidents
        .iter()
        .map(|&i| app.corpus.incidents[i].id.as_str())
        .collect();
    assert_eq!(
        ids,
        [
            "acme-widgets-recall",
            "globex-corp-layoffs",
            "initech-hostile"
        ]
    );
    let inc = app.selected_incident().unwrap();
    let order: Vec<&str> = app
        .statement_order
        .iter()
        .map(|&s| inc.statements[s].id.as_str())
        .collect();
    assert_eq!(
        order,
        ["launch-claim", "spokesperson-softens", "recall-notice"]
    );
}

#[test]
fn moving_through_panes_with_keys() {
    let mut app = app(80, 24);
    assert_eq!(app.focus, Pane::Incidents);
    app.press("j");
    assert_eq!(selected(&app).0, "globex-corp-layoffs");
    app.press("Down");
    assert_eq!(selected(&app).0, "initech-hostile");
    app.press("j");
    assert_eq!(selected(&app).0, "initech-hostile", "stays on the last row");
    app.press("g");
    assert_eq!(selected(&app).0, "acme-widgets-recall");
    app.press("l");
    assert_eq!(app.focus, Pane::Statements);
    app.press("G");
    assert_eq!(selected(&app).1, "recall-notice");
    app.press("k");
    assert_eq!(selected(&app).1, "spokesperson-softens");
    app.press("Tab");
    assert_eq!(app.focus, Pane::Detail);
    app.press("shift-Tab");
    assert_eq!(app.focus, Pane::Statements);
    app.press("h");
    assert_eq!(app.focus, Pane::Incidents);
    app.press("End");
    assert_eq!(selected(&app).0, "initech-hostile");
    assert_eq!(
        selected(&app).1,
        "escape-attempt",
        "a new incident starts at its first statement"
    );
}

#[test]
fn help_and_failed_open_and_close() {
    let mut app = app(80, 24);
    app.press("?");
    assert_eq!(app.view(), View::Help);
    app.press("Esc");
    assert_eq!(app.view(), View::Browse);
    app.press("!");
    assert_eq!(app.view(), View::Failed);
    app.press("?");
    assert_eq!(app.view(), View::Help);
    app.press("Esc");
    assert_eq!(
        app.view(),
        View::Failed,
        "help goes back where it came from"
    );
    app.press("Esc");
    assert_eq!(app.view(), View::Browse);
    assert_eq!(app.press("q"), Some(Effect::Quit));
}

#[test]
fn effects_come_back_as_values() {
    let mut app = app(80, 24);
    assert_eq!(app.press("r"), Some(Effect::Reload(None)));
    let Some(Effect::Edit { path, line }) = app.press("e") else {
        panic!("e opens the editor")
    };
    assert!(
        path.ends_with("acme-widgets-recall.toml"),
        "{}",
        path.display()
    );
    assert_eq!(
        line, 13,
        "the line of the statement's [[statements]] header"
    );
    let Some(Effect::Copy(text)) = app.press("y") else {
        panic!("y copies")
    };
    assert!(text.starts_with("“Our mug has never overheated"), "{text}");
    assert!(text.contains("Wile E. Coyote, head of product"), "{text}");
    assert!(text.contains("The Daily Planet, 2025-01-15"), "{text}");
    assert!(
        text.contains("https://example.org/daily-planet/acme-mug"),
        "{text}"
    );
    assert!(app.message.as_ref().unwrap().text.contains("Copied"));
    app.press("j");
    assert_eq!(app.message, None, "the next key clears the message");
}

#[test]
fn a_copied_hostile_record_carries_no_escape() {
    let mut app = app(80, 24);
    app.press("G");
    let Some(Effect::Copy(text)) = app.press("y") else {
        panic!("y copies")
    };
    assert!(!text.contains('\x1b') && !text.contains('\x07'), "{text:?}");
    assert!(!text.contains('\u{202E}'), "{text:?}");
    assert!(text.contains("␛]52;c;cHduZWQ=␇"), "{text:?}");
}

#[test]
fn the_mouse_selects_and_scrolls() {
    let mut app = app(80, 24);
    let areas = app.areas().unwrap();
    // The second row inside the incidents pane.
    update(&mut app, Action::Click(2, areas.incidents.y + 2));
    assert_eq!(selected(&app).0, "globex-corp-layoffs");
    update(
        &mut app,
        Action::Click(areas.statements.x + 3, areas.statements.y + 2),
    );
    assert_eq!(app.focus, Pane::Statements);
    assert_eq!(selected(&app).1, "notice-filed");
    update(&mut app, Action::Scroll(2, 3, 3));
    assert_eq!(app.focus, Pane::Incidents);
    assert_eq!(selected(&app).0, "initech-hostile");
    update(&mut app, Action::Scroll(2, 3, -3));
    assert_eq!(selected(&app).0, "acme-widgets-recall");
}

#[test]
fn reload_keeps_the_selection() {
    let mut app = app(80, 24);
    app.press("j");
    app.press("l");
    app.press("j");
    let before = selected(&app);
    app.replace_corpus(store::load(Path::new(FIXTURES)).unwrap());
    assert_eq!(selected(&app), before);
}

#[test]
fn a_bad_config_is_an_error_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config.toml");
    std::fs::write(&path, "[keys]\nquit = \"hyper-q\"\n").unwrap();
    let e = onrecord::tui::config::load(&path).unwrap_err().to_string();
    assert!(e.contains("config.toml") && e.contains("hyper-q"), "{e}");
    // `x` skips a suggestion: taking it for quit is a conflict, named, not a silent loss.
    std::fs::write(&path, "tagged_by = \"Desk\"\n[keys]\nquit = \"x\"\n").unwrap();
    let e = onrecord::tui::config::load(&path).unwrap_err().to_string();
    assert!(e.contains("`x` is bound to both `skip` and `quit`"), "{e}");
    std::fs::write(&path, "tagged_by = \"Desk\"\n[keys]\nquit = \"Z\"\n").unwrap();
    let c = onrecord::tui::config::load(&path).unwrap();
    let corpus = store::load(Path::new(FIXTURES)).unwrap();
    let mut app = App::new(corpus, c);
    assert_eq!(app.press("q"), None);
    assert_eq!(app.press("Z"), Some(Effect::Quit));
    assert!(onrecord::tui::config::load(&dir.path().join("none.toml")).is_ok());
}

#[test]
fn any_size_draws_without_panicking() {
    let mut app = app(80, 24);
    for (w, h) in [
        (1, 1),
        (2, 1),
        (1, 5),
        (39, 9),
        (40, 10),
        (41, 11),
        (300, 3),
        (17, 80),
    ] {
        update(&mut app, Action::Resize(w, h));
        for key in ["j", "l", "G", "Tab", "j", "?", "Esc", "!", "Esc"] {
            app.press(key);
            let screen = render_to_string(&app, w, h);
            assert_eq!(screen.lines().count(), usize::from(h));
        }
    }
}

/// Types into the search box, answering each query on the spot as the worker would.
fn type_text(app: &mut App, text: &str) {
    for c in text.chars() {
        if let Some(effect) = update(app, Action::Input(c)) {
            perform_inline(app, effect);
        }
    }
}

#[test]
fn search_narrows_as_you_type_and_enter_jumps() {
    let mut app = app(80, 24);
    app.press("j");
    let before = selected(&app);
    let effect = app.press("/").expect("opening search asks for results");
    perform_inline(&mut app, effect);
    assert_eq!(app.view(), View::Search);
    assert_eq!(
        app.search.hits.len(),
        7,
        "an empty box lists every statement"
    );
    type_text(&mut app, "overh");
    assert_eq!(app.search.input.text(), "overh");
    let found: Vec<_> = app
        .search
        .hits
        .iter()
        .map(|h| {
            app.corpus.incidents[h.position.incident].statements[h.position.statement]
                .id
                .clone()
        })
        .collect();
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(found.contains(&"launch-claim".to_string()), "{found:?}");
    app.press("Down");
    assert_eq!(app.search.selected, 1);
    app.press("Esc");
    assert_eq!(app.view(), View::Browse);
    assert_eq!(selected(&app), before, "Esc returns to where you were");
    let effect = app.press("/").unwrap();
    perform_inline(&mut app, effect);
    assert_eq!(
        app.search.input.text(),
        "overh",
        "the box keeps what was typed"
    );
    let effect = app.press("ctrl-u").unwrap();
    perform_inline(&mut app, effect);
    type_text(&mut app, "company:globex reduce");
    assert_eq!(app.search.hits.len(), 1);
    app.press("Enter");
    assert_eq!(app.view(), View::Browse);
    assert_eq!(app.focus, Pane::Statements);
    assert_eq!(
        selected(&app),
        (
            "globex-corp-layoffs".to_string(),
            "notice-filed".to_string()
        )
    );
}

#[test]
fn a_bad_filter_token_says_why_and_keeps_the_results() {
    let mut app = app(80, 24);
    let effect = app.press("/").unwrap();
    perform_inline(&mut app, effect);
    type_text(&mut app, "overh");
    assert_eq!(app.search.hits.len(), 2);
    type_text(&mut app, " since:2024-1");
    assert!(app.search.error.as_ref().unwrap().contains("2024-11"));
    assert_eq!(
        app.search.hits.len(),
        2,
        "the last good query's results stay"
    );
    let effect = app.press("Backspace");
    assert!(effect.is_none(), "`since:2024-` is still a bad date");
    let effect = app.press("Backspace").unwrap();
    perform_inline(&mut app, effect);
    assert_eq!(app.search.error, None);
}

#[test]
fn stale_search_answers_are_dropped() {
    let mut app = app(80, 24);
    let old = app.press("/").unwrap();
    type_text(&mut app, "x");
    let Effect::Search { generation, .. } = old else {
        panic!("a search")
    };
    update(
        &mut app,
        Action::Results(generation, Vec::new(), Default::default()),
    );
    assert!(
        !app.search.hits.is_empty(),
        "an older answer does not replace a newer one"
    );
}

fn copy_fixtures() -> tempfile::TempDir {
    common::copy_of(FIXTURES)
}

#[test]
fn mark_diff_and_tag_a_pair() {
    let dir = copy_fixtures();
    let corpus = store::load(dir.path()).unwrap();
    let config = onrecord::tui::config::parse("tagged_by = \"Test Desk\"").unwrap();
    let mut app = App::new(corpus, config);
    update(&mut app, Action::Resize(100, 30));
    app.press("j");
    app.press("l");
    assert_eq!(app.press("d"), None);
    assert!(
        app.message.as_ref().unwrap().error,
        "d without a mark says what to do"
    );
    app.press("m");
    app.press("j");
    app.press("d");
    assert_eq!(app.view(), View::Diff);
    let d = app.diff().unwrap();
    assert_eq!(app.reference(d.a).statement, "no-layoffs", "earlier first");
    assert!(
        d.diff
            .changes
            .iter()
            .any(|c| c.describe().contains("negation")),
        "{:?}",
        d.diff.changes
    );
    app.press("t");
    assert_eq!(app.view(), View::Tag);
    // The verdict is a list: the arrows choose in it, and only in it.
    app.press("Down");
    assert_eq!(app.tag().unwrap().verdict, 1);
    app.press("Up");
    assert_eq!(app.tag().unwrap().verdict, 0);
    app.press("Tab");
    app.press("Tab");
    assert_eq!(app.tag().unwrap().field, TagField::Claim);
    for c in "no layoffs".chars() {
        update(&mut app, Action::Input(c));
    }
    // A stray Esc on a half-filled dialog asks first.
    app.press("Esc");
    assert_eq!(app.view(), View::Tag);
    assert!(app.tag().unwrap().confirm_discard);
    app.press("Tab");
    assert!(!app.tag().unwrap().confirm_discard);
    assert_eq!(app.tag().unwrap().claim.text(), "no layoffs");
    // In a text field the arrows move the cursor; they never change the verdict.
    for key in ["Down", "Down", "Left", "Right", "Up"] {
        app.press(key);
    }
    assert_eq!(
        app.tag().unwrap().verdict,
        0,
        "the verdict is still the first"
    );
    // Someone else edits the file meanwhile: the save is refused, the dialog keeps its text.
    let file = dir.path().join("globex-corp-layoffs.toml");
    let mut text = std::fs::read_to_string(&file).unwrap();
    text.push_str("\n# edited elsewhere\n");
    std::fs::write(&file, &text).unwrap();
    // The focus is in the note, where Enter is a line break: Ctrl-S saves from any field.
    let effect = app.press("ctrl-s").unwrap();
    perform_inline(&mut app, effect);
    let t = app.tag().unwrap();
    assert!(t.changed_on_disk, "{:?}", t.error);
    assert!(
        t.error.as_ref().unwrap().contains("Press C-r to reload"),
        "{:?}",
        t.error
    );
    assert_eq!(t.claim.text(), "no layoffs");
    assert_eq!(app.press("ctrl-s"), None, "no save until a reload");
    let effect = app.press("ctrl-r").unwrap();
    perform_inline(&mut app, effect);
    let effect = app.press("ctrl-s").unwrap();
    perform_inline(&mut app, effect);
    assert_eq!(app.tag().map(|t| t.error.clone()), None);
    assert_eq!(app.view(), View::Diff);
    let written = std::fs::read_to_string(&file).unwrap();
    assert!(written.contains("# edited elsewhere"), "{written}");
    assert!(written.contains("verdict = \"contradicts\""), "{written}");
    assert!(written.contains("claim = \"no layoffs\""), "{written}");
    assert!(written.contains("tagged_by = \"Test Desk\""), "{written}");
    assert_eq!(
        app.corpus.contradictions().count(),
        2,
        "reloaded after the save"
    );

    // Tagging the pair again shows the verdict on record, and never replaces it without a
    // second Enter.
    app.press("t");
    let t = app.tag().unwrap();
    let old = t
        .on_record
        .as_ref()
        .expect("the verdict on record is shown");
    assert_eq!(old.verdict, onrecord::model::Verdict::Contradicts);
    assert_eq!(old.by.as_deref(), Some("Test Desk"));
    assert_eq!(
        t.claim.text(),
        "no layoffs",
        "its claim is there to keep or edit"
    );
    app.press("Right");
    assert_eq!(app.press("Enter"), None, "the first Enter only asks");
    let t = app.tag().expect("the dialog stays open");
    assert!(t.confirm_replace);
    assert!(
        t.error
            .as_ref()
            .unwrap()
            .contains("already has a verdict (contradicts)"),
        "{:?}",
        t.error
    );
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        written,
        "nothing written yet"
    );
    let effect = app.press("Enter").unwrap();
    perform_inline(&mut app, effect);
    assert_eq!(app.view(), View::Diff);
    let replaced = std::fs::read_to_string(&file).unwrap();
    assert!(
        !replaced.contains("verdict = \"contradicts\""),
        "{replaced}"
    );
    assert_eq!(
        app.corpus.contradictions().count(),
        2,
        "replaced, not added"
    );
}

#[test]
fn timeline_lists_an_organization_by_date() {
    let mut app = app(100, 30);
    app.press("l");
    app.press("T");
    assert_eq!(app.view(), View::Timeline);
    assert_eq!(app.timeline.title, "Acme Widgets");
    let dates: Vec<_> = app.timeline.items.iter().map(|(_, e)| e.date).collect();
    assert!(!dates.is_empty());
    assert!(dates.windows(2).all(|w| w[0] <= w[1]), "{dates:?}");
    app.press("G");
    let last = app.timeline.items.last().unwrap().0;
    app.press("Enter");
    assert_eq!(app.view(), View::Browse);
    assert_eq!(app.selected_pos(), Some(last));
}

#[test]
fn suggestions_diff_accept_and_dismiss() {
    let dir = copy_fixtures();
    // A denial and, later, the opposite: a candidate for any suggester.
    std::fs::write(
        dir.path().join("globex-data.toml"),
        "title = \"Globex data\"\ncompany = \"Globex Corp\"\n\n\
         [[statements]]\nid = \"denial\"\ndate = 2024-01-02\nspeaker = \"Globex\"\n\
         url = \"https://example.org/a\"\n\
         text = \"Globex does not sell customer data to advertisers.\"\n\n\
         [[statements]]\nid = \"terms\"\ndate = 2024-03-04\nspeaker = \"Globex\"\n\
         url = \"https://example.org/b\"\n\
         text = \"Globex sells customer data to advertisers.\"\n",
    )
    .unwrap();
    let corpus = store::load(dir.path()).unwrap();
    let config = onrecord::tui::config::parse("tagged_by = \"Test Desk\"").unwrap();
    let mut app = App::new(corpus, config);
    update(&mut app, Action::Resize(100, 30));
    app.press("j");
    assert_eq!(app.selected_incident().unwrap().company, "Globex Corp");
    app.press("s");
    assert_eq!(app.view(), View::Suggest);
    assert!(
        !app.suggestions.items.is_empty(),
        "the reversed denial is a candidate"
    );
    let pair = app.suggestions.items[0].suggestion.between.clone();
    app.press("Enter");
    assert_eq!(app.view(), View::Diff);
    app.press("Esc");
    assert_eq!(
        app.view(),
        View::Suggest,
        "Esc from the diff returns to the suggestions"
    );
    app.press("a");
    assert_eq!(app.view(), View::Tag);
    app.press("Esc");
    assert_eq!(
        app.view(),
        View::Suggest,
        "an untouched dialog closes at once"
    );
    // x skips for this session: nothing is written.
    let before = std::fs::read(dir.path().join("globex-data.toml")).unwrap();
    let count = app.suggestions.items.len();
    assert_eq!(app.press("x"), None);
    assert_eq!(app.suggestions.items.len(), count - 1);
    assert_eq!(
        std::fs::read(dir.path().join("globex-data.toml")).unwrap(),
        before
    );
    app.press("Esc");
    app.press("s");
    assert!(
        !app.suggestions
            .items
            .iter()
            .any(|s| s.suggestion.between == pair),
        "a skipped pair stays skipped in this session"
    );
    app.skipped.clear();
    app.press("Esc");
    app.press("s");
    assert_eq!(app.suggestions.items[0].suggestion.between, pair);
    // X writes `unrelated`, after saying so.
    assert_eq!(app.press("X"), None, "X asks first");
    assert_eq!(app.view(), View::Confirm);
    let effect = app.press("y").expect("yes dismisses");
    perform_inline(&mut app, effect);
    assert_eq!(app.view(), View::Suggest);
    let written = std::fs::read_to_string(dir.path().join("globex-data.toml")).unwrap();
    assert!(written.contains("verdict = \"unrelated\""), "{written}");
    assert!(
        !app.suggestions
            .items
            .iter()
            .any(|s| s.suggestion.between == pair),
        "a judged pair is no longer suggested"
    );
}

fn type_into(app: &mut App, text: &str) {
    for c in text.chars() {
        update(app, Action::Input(c));
    }
}

/// Tabs to the form field called `name`.
fn to_field(app: &mut App, name: &str) {
    for _ in 0..20 {
        let f = app.form().unwrap();
        if f.focused_field().is_some_and(|fd| fd.name == name) {
            return;
        }
        app.press("Tab");
    }
    panic!("no field {name}");
}

#[test]
fn the_form_validates_before_writing_and_saves_through_the_write_path() {
    let dir = copy_fixtures();
    let corpus = store::load(dir.path()).unwrap();
    let mut app = App::new(corpus, Config::default());
    update(&mut app, Action::Resize(100, 30));
    app.press("a");
    assert_eq!(app.view(), View::Form);
    // An untouched form closes at once.
    app.press("Esc");
    assert_eq!(app.view(), View::Browse);
    app.press("a");
    type_into(&mut app, "Road Runner");
    to_field(&mut app, "date");
    type_into(&mut app, "last tuesday");
    to_field(&mut app, "lang");
    type_into(&mut app, "en");
    to_field(&mut app, "text");
    type_into(&mut app, "Meep meep.");
    // Enter in a multi-line field is a line break, not a save.
    assert_eq!(app.press("Enter"), None);
    type_into(&mut app, "Meep.");
    let before = std::fs::read(dir.path().join("acme-widgets-recall.toml")).unwrap();
    assert_eq!(app.press("ctrl-s"), None, "problems stop the save");
    let form = app.form().expect("the form stays open");
    assert!(
        form.problems.iter().any(|(f, _)| f == "date"),
        "{:?}",
        form.problems
    );
    assert_eq!(
        std::fs::read(dir.path().join("acme-widgets-recall.toml")).unwrap(),
        before,
        "nothing is written while there are problems"
    );
    // A stray Esc does not lose the form.
    app.press("Esc");
    assert_eq!(app.view(), View::Form);
    app.press("Tab");
    assert!(!app.form().unwrap().confirm_discard);
    to_field(&mut app, "date");
    app.press("ctrl-u");
    type_into(&mut app, "2025-04-01");
    // Neither source nor URL: allowed, but the form says so and waits for a second save.
    assert_eq!(app.press("Enter"), None);
    let form = app.form().unwrap();
    assert!(
        form.warned && !form.warnings.is_empty(),
        "{:?}",
        form.warnings
    );
    // The source is picked from the incident's sources, by outlet.
    to_field(&mut app, "source");
    for _ in 0..5 {
        if app.form().unwrap().value("source") == "daily-planet" {
            break;
        }
        app.press("Right");
    }
    assert_eq!(app.form().unwrap().value("source"), "daily-planet");
    to_field(&mut app, "tags");
    type_into(&mut app, "denial, mug");
    let effect = app.press("Enter").expect("no warning left: the form saves");
    perform_inline(&mut app, effect);
    assert!(
        app.form().is_none(),
        "{:?}",
        app.form().map(|f| f.problems.clone())
    );
    assert_eq!(app.view(), View::Browse);
    let (inc, st) = app.selected_statement().unwrap();
    assert_eq!(inc.id, "acme-widgets-recall");
    assert_eq!(
        st.text, "Meep meep.\nMeep.",
        "the new statement is selected, its lines kept"
    );
    assert_eq!(st.tags, ["denial", "mug"]);
    assert_eq!(st.source.as_deref(), Some("daily-planet"));
    let check = common::onrecord()
        .args(["--dir"])
        .arg(dir.path())
        .arg("check")
        .output()
        .unwrap();
    let out = String::from_utf8_lossy(&check.stdout);
    // The fixture's own verdict has no id (a warning of its own); the new statement adds none.
    assert!(
        !out.lines()
            .any(|l| l.contains("acme-widgets-recall.toml") && !l.contains("verdict has no `id`")),
        "{out}"
    );

    app.press("n");
    type_into(&mut app, "hooli-outage");
    app.press("Tab");
    type_into(&mut app, "Hooli");
    app.press("Tab");
    type_into(&mut app, "Hooli says the outage was brief");
    let effect = app.press("Enter").unwrap();
    perform_inline(&mut app, effect);
    assert!(dir.path().join("hooli-outage.toml").exists());
    assert_eq!(app.selected_incident().unwrap().id, "hooli-outage");

    // u takes back the last write of this session, after asking.
    app.press("u");
    assert_eq!(app.view(), View::Confirm);
    let effect = app.press("y").unwrap();
    perform_inline(&mut app, effect);
    assert!(!dir.path().join("hooli-outage.toml").exists());
    app.press("u");
    let effect = app.press("y").unwrap();
    perform_inline(&mut app, effect);
    assert_eq!(
        std::fs::read(dir.path().join("acme-widgets-recall.toml")).unwrap(),
        before,
        "the statement's file is back as it was"
    );
    app.press("u");
    assert_eq!(app.view(), View::Browse, "nothing left to undo");
    assert!(app.message.as_ref().unwrap().error);
}

#[test]
fn a_second_hand_statement_names_whom_its_source_credits() {
    let dir = copy_fixtures();
    let file = dir.path().join("acme-widgets-recall.toml");
    let mut text = std::fs::read_to_string(&file).unwrap();
    text.push_str("\n[[sources]]\nid = \"wire\"\noutlet = \"Acme Wire\"\n");
    std::fs::write(&file, text).unwrap();
    let corpus = store::load(dir.path()).unwrap();
    let mut app = App::new(corpus, Config::default());
    update(&mut app, Action::Resize(100, 30));
    app.press("a");
    type_into(&mut app, "Road Runner");
    set_field(&mut app, "date", "2025-04-01");
    set_field(&mut app, "text", "Meep meep.");
    // Read on the wire, which credits The Daily Planet.
    to_field(&mut app, "source");
    while app.form().unwrap().value("source") != "wire" {
        app.press("Right");
    }
    to_field(&mut app, "via");
    assert_eq!(
        app.form().unwrap().value("via"),
        "",
        "first-hand unless chosen"
    );
    app.press("Right");
    assert_eq!(app.form().unwrap().value("via"), "daily-planet");
    let effect = app.press("ctrl-s").expect("the form saves");
    perform_inline(&mut app, effect);
    assert_eq!(
        app.view(),
        View::Browse,
        "{:?}",
        app.form().map(|f| &f.problems)
    );
    let inc = app.corpus.incident("acme-widgets-recall").unwrap();
    let st = inc
        .statements
        .iter()
        .find(|s| s.speaker == "Road Runner")
        .expect("written and read back");
    assert_eq!(
        (st.source.as_deref(), st.via.as_deref()),
        (Some("wire"), Some("daily-planet"))
    );

    // Editing it shows the credit, and choosing none takes it off.
    let edited = onrecord::tui::app::Form::edit(inc, st);
    assert_eq!(edited.value("via"), "daily-planet");
    let r = StatementRef::new(&inc.id, &st.id);
    let fields = onrecord::write::NewStatement {
        date: "2025-04-01".into(),
        speaker: "Road Runner".into(),
        text: "Meep meep.".into(),
        source: Some("wire".into()),
        via: None,
        ..Default::default()
    };
    onrecord::write::edit_statement(&app.corpus, &r, &fields, None).unwrap();
    let again = store::load(dir.path()).unwrap();
    let st = again
        .incident("acme-widgets-recall")
        .unwrap()
        .statement(&r.statement)
        .unwrap();
    assert_eq!(st.via, None);
}

#[test]
fn undo_refuses_a_file_changed_since() {
    let dir = copy_fixtures();
    let corpus = store::load(dir.path()).unwrap();
    let mut app = App::new(corpus, Config::default());
    update(&mut app, Action::Resize(100, 30));
    app.press("n");
    type_into(&mut app, "hooli-outage");
    app.press("Tab");
    type_into(&mut app, "Hooli");
    app.press("Tab");
    type_into(&mut app, "Hooli says the outage was brief");
    let effect = app.press("Enter").unwrap();
    perform_inline(&mut app, effect);
    let file = dir.path().join("hooli-outage.toml");
    let mut text = std::fs::read_to_string(&file).unwrap();
    text.push_str("# a colleague's edit\n");
    std::fs::write(&file, &text).unwrap();
    app.press("u");
    let effect = app.press("y").unwrap();
    perform_inline(&mut app, effect);
    assert_eq!(std::fs::read_to_string(&file).unwrap(), text, "left alone");
    let m = app.message.as_ref().unwrap();
    assert!(m.error && m.text.contains("changed since"), "{m:?}");
}

/// The top form's kind, when a form is on top.
fn form_kind(app: &App) -> Option<FormKind> {
    app.form().map(|f| f.kind.clone())
}

/// Sets the text field called `name` of the top form to `text`.
fn set_field(app: &mut App, name: &str, text: &str) {
    to_field(app, name);
    app.press("ctrl-u");
    type_into(app, text);
}

#[test]
fn a_new_source_is_added_from_the_statement_form() {
    let dir = copy_fixtures();
    let corpus = store::load(dir.path()).unwrap();
    let mut app = App::new(corpus, Config::default());
    update(&mut app, Action::Resize(100, 30));
    let file = dir.path().join("acme-widgets-recall.toml");
    let before = std::fs::read(&file).unwrap();
    let copies = dir.path().join("sources/acme-widgets-recall");
    app.press("a");
    type_into(&mut app, "Road Runner");
    to_field(&mut app, "source");
    // "new source…" is the picker's last choice: one step left of `none`.
    app.press("Left");
    assert!(app.form().unwrap().on_new_source());
    assert!(app.message.as_ref().unwrap().text.contains("opens a form"));
    app.press("Enter");
    assert_eq!(
        form_kind(&app),
        Some(FormKind::Source {
            incident: "acme-widgets-recall".into()
        })
    );

    // Every problem is named in the form, and nothing is written.
    let outside = tempfile::tempdir().unwrap();
    let big = outside.path().join("big.txt");
    std::fs::File::create(&big)
        .unwrap()
        .set_len(21 * 1024 * 1024)
        .unwrap();
    let missing = outside.path().join("missing.html");
    for (field, typed, problem, says) in [
        ("outlet", "", "outlet", "outlet"),
        ("published", "last tuesday", "published", "not a date"),
        (
            "snapshot",
            missing.to_str().unwrap(),
            "snapshot",
            "missing.html",
        ),
        ("snapshot", "..", "snapshot", "not a file"),
        (
            "snapshot",
            big.to_str().unwrap(),
            "snapshot",
            "over the 20 MB limit",
        ),
    ] {
        set_field(&mut app, "outlet", "Acme Gazette");
        set_field(&mut app, "published", "2025-04-01");
        set_field(&mut app, "snapshot", "");
        set_field(&mut app, field, typed);
        if let Some(effect) = app.press("ctrl-s") {
            perform_inline(&mut app, effect);
        }
        let f = app.form().unwrap();
        assert!(
            matches!(f.kind, FormKind::Source { .. }),
            "the source form stays open"
        );
        assert!(
            f.problems
                .iter()
                .any(|(name, m)| name == problem && m.contains(says)),
            "{typed:?}: {:?}",
            f.problems
        );
        assert_eq!(std::fs::read(&file).unwrap(), before, "{typed:?}");
        assert!(!copies.exists(), "{typed:?}: no copy is left behind");
    }

    // A good one is written, its copy kept with its hash, and chosen in the statement form.
    let article = outside.path().join("article.txt");
    std::fs::write(&article, "Road Runner said: meep meep.\n").unwrap();
    set_field(&mut app, "published", "2025-04-01");
    set_field(&mut app, "lang", "en");
    set_field(&mut app, "url", "https://gazette.example/meep");
    set_field(&mut app, "snapshot", article.to_str().unwrap());
    let effect = app.press("Enter").expect("the source form saves");
    perform_inline(&mut app, effect);
    assert_eq!(
        form_kind(&app),
        Some(FormKind::Statement {
            incident: "acme-widgets-recall".into()
        }),
        "{:?}",
        app.form().map(|f| (&f.problems, &f.error))
    );
    let form = app.form().unwrap();
    assert_eq!(form.value("source"), "acme-gazette");
    assert_eq!(
        form.value("speaker"),
        "Road Runner",
        "what was typed is kept"
    );
    let copy = copies.join("article.txt");
    assert_eq!(
        std::fs::read(&copy).unwrap(),
        std::fs::read(&article).unwrap()
    );
    let inc = app.corpus.incident("acme-widgets-recall").unwrap();
    let src = inc
        .source("acme-gazette")
        .expect("the corpus was read again");
    assert_eq!(
        src.snapshot.as_deref(),
        Some("sources/acme-widgets-recall/article.txt")
    );
    assert_eq!(src.sha256.as_ref().map(String::len), Some(64));
    assert!(app.message.as_ref().unwrap().text.contains("acme-gazette"));

    // u takes the source back: the entry and the copy it made.
    app.press("Esc");
    app.press("Esc");
    assert_eq!(app.view(), View::Browse);
    app.press("u");
    let effect = app.press("y").unwrap();
    perform_inline(&mut app, effect);
    assert_eq!(std::fs::read(&file).unwrap(), before);
    assert!(!copy.exists(), "the copy the write made is gone too");
}

#[test]
fn the_form_shows_what_was_said_before_once_typing_pauses() {
    let mut app = app(100, 30);
    app.press("a");
    to_field(&mut app, "text");
    // Typing never asks: the keystroke path does no matching.
    for c in "Our mug has always overheated in tests.".chars() {
        assert_eq!(update(&mut app, Action::Input(c)), None);
    }
    assert!(app.form().unwrap().said.asked.is_none());
    assert!(app.said_before_due());
    // A pause asks, for the incident's company by default.
    let effect = update(&mut app, Action::Paused()).expect("a pause asks");
    let Effect::Match { filter, .. } = &effect else {
        panic!("{effect:?}")
    };
    assert_eq!(filter.company, ["acme widgets"]);
    assert!(!app.said_before_due(), "asked once, not on every pause");
    perform_inline(&mut app, effect);
    let said = &app.form().unwrap().said;
    assert!(!said.pending);
    let first = said.matches.first().expect("the launch claim matches");
    assert_eq!(
        first.reference.to_string(),
        "acme-widgets-recall#launch-claim"
    );
    assert!(said.matches.len() <= onrecord::tui::app::SAID_BEFORE);
    snapshot("said_before", &app);

    // An answer to an older question is dropped.
    let generation = app.form().unwrap().said.generation;
    update(
        &mut app,
        Action::Matched(
            generation - 1,
            onrecord::tui::action::Payload::new(Vec::new()),
        ),
    );
    assert!(!app.form().unwrap().said.matches.is_empty());

    // Another organization: only its statements are compared.
    to_field(&mut app, "organization");
    type_into(&mut app, "Globex");
    let effect = update(&mut app, Action::Paused()).unwrap();
    let Effect::Match { filter, .. } = &effect else {
        panic!("{effect:?}")
    };
    assert_eq!(filter.organization, ["globex"]);
    assert!(filter.company.is_empty());
    perform_inline(&mut app, effect);
    let said = &app.form().unwrap().said;
    assert!(said.matches.is_empty(), "{:?}", said.matches);
    // An emptied text empties the panel, without asking.
    to_field(&mut app, "text");
    app.press("ctrl-u");
    assert_eq!(update(&mut app, Action::Paused()), None);
    assert!(app.form().unwrap().said.matches.is_empty());
}

#[test]
fn paste_lands_in_the_field_and_nowhere_else() {
    let dir = copy_fixtures();
    let corpus = store::load(dir.path()).unwrap();
    let mut app = App::new(corpus, Config::default());
    update(&mut app, Action::Resize(100, 30));
    let before = std::fs::read(dir.path().join("acme-widgets-recall.toml")).unwrap();
    // Outside a text field a paste does nothing, and says so.
    assert_eq!(update(&mut app, Action::Paste("a\nq".into())), None);
    assert_eq!(app.view(), View::Browse);
    assert!(app.message.as_ref().unwrap().text.contains("Paste ignored"));
    app.press("a");
    to_field(&mut app, "text");
    assert_eq!(
        update(
            &mut app,
            Action::Paste("We never said that.\r\nNot once.".into())
        ),
        None
    );
    let f = app.form().unwrap();
    let Some(FieldValue::Text(t)) = f.focused_field().map(|fd| &fd.value) else {
        panic!("a text field")
    };
    assert_eq!(t.text(), "We never said that.\nNot once.");
    to_field(&mut app, "speaker");
    update(&mut app, Action::Paste("Wile E.\nCoyote".into()));
    assert_eq!(app.form().unwrap().value("speaker"), "Wile E. Coyote");
    assert_eq!(
        std::fs::read(dir.path().join("acme-widgets-recall.toml")).unwrap(),
        before,
        "a paste never saves"
    );
}

#[test]
fn text_fields_edit_anywhere() {
    let mut app = app(100, 30);
    app.press("l");
    app.press("m");
    app.press("j");
    app.press("t");
    app.press("Tab");
    app.press("Tab");
    type_into(&mut app, "mug safe");
    app.press("ctrl-Left");
    type_into(&mut app, "is ");
    app.press("Home");
    type_into(&mut app, "the ");
    app.press("End");
    app.press("Backspace");
    assert_eq!(app.tag().unwrap().claim.text(), "the mug is saf");
}

#[test]
fn the_mark_shows_and_clears() {
    let mut app = app(100, 30);
    app.press("l");
    app.press("m");
    let screen = render_to_string(&app, 100, 30);
    assert!(
        screen.contains("▶ acme-widgets-recall#launch-claim"),
        "{screen}"
    );
    assert_eq!(app.press("d"), None);
    assert!(
        app.message
            .as_ref()
            .unwrap()
            .text
            .contains("This is the marked statement"),
        "{:?}",
        app.message
    );
    app.press("m");
    assert_eq!(app.marked, None, "m again clears");
    let screen = render_to_string(&app, 100, 30);
    assert!(!screen.contains("▶ acme"), "{screen}");
}

#[test]
fn ctrl_c_quits_from_anywhere() {
    let config = onrecord::tui::config::parse("[keys]\nquit = \"Q\"").unwrap();
    let corpus = store::load(Path::new(FIXTURES)).unwrap();
    let mut app = App::new(corpus, config);
    for opener in ["?", "a", "/", "i"] {
        app.press(opener);
        assert_eq!(app.press("ctrl-c"), Some(Effect::Quit), "after {opener}");
        app.to_browse();
    }
}

#[test]
fn resizing_keeps_the_selection_and_clamps_offsets() {
    let dir = tempfile::tempdir().unwrap();
    onrecord::generate::generate(dir.path(), 200, 1).unwrap();
    let corpus = store::load(dir.path()).unwrap();
    let mut app = App::new(corpus, Config::default());
    update(&mut app, Action::Resize(60, 15));
    app.press("G");
    let n = app.index.incidents.len();
    assert_eq!(app.incident, n - 1);
    assert!(app.incident_offset > 0);
    update(&mut app, Action::Resize(200, 60));
    let rows = usize::from(app.areas().unwrap().incidents.height - 2);
    assert_eq!(
        app.incident_offset,
        n.saturating_sub(rows),
        "a taller list shows as many rows as fit"
    );
    update(&mut app, Action::Resize(60, 12));
    let rows = usize::from(app.areas().unwrap().incidents.height - 2);
    assert!(app.incident >= app.incident_offset && app.incident < app.incident_offset + rows);
}

#[test]
fn search_starts_fresh_and_recalls_history() {
    let mut app = app(100, 30);
    let effect = app.press("/").unwrap();
    perform_inline(&mut app, effect);
    type_text(&mut app, "mug");
    app.press("Enter");
    let effect = app.press("/").unwrap();
    perform_inline(&mut app, effect);
    assert_eq!(app.search.input.text(), "mug", "the last query, selected");
    type_text(&mut app, "layoffs");
    assert_eq!(app.search.input.text(), "layoffs", "typing replaces it");
    let effect = app.press("Up").expect("at the top, up recalls");
    perform_inline(&mut app, effect);
    assert_eq!(app.search.input.text(), "mug");
}

#[test]
fn the_incident_dialog_shows_summary_tags_and_sources() {
    let mut app = app(100, 30);
    app.press("i");
    assert_eq!(app.view(), View::Incident);
    let screen = render_to_string(&app, 100, 30);
    assert!(screen.contains("Sources"), "{screen}");
    assert!(screen.contains("The Daily Planet"), "{screen}");
    app.press("Esc");
    assert_eq!(app.view(), View::Browse);
}

// ---- snapshots --------------------------------------------------------------------------

fn snapshot(name: &str, app: &App) {
    let (w, h) = app.size;
    let screen = render_to_string(app, w, h);
    insta::assert_snapshot!(format!("{name}_{w}x{h}"), screen);
}

#[test]
fn snapshots_of_every_view() {
    for (w, h) in [(80, 24), (120, 40)] {
        let mut app = app(w, h);
        // The default name comes from the environment; a snapshot needs a fixed one.
        app.config.tagged_by = Some("Test Desk".into());
        snapshot("browse", &app);
        app.press("l");
        app.press("G");
        snapshot("browse_statement", &app);
        app.press("h");
        app.press("G");
        app.press("l");
        snapshot("browse_hostile", &app);
        app.press("j");
        snapshot("browse_wide", &app);
        let effect = app.press("/").unwrap();
        perform_inline(&mut app, effect);
        type_text(&mut app, "mug");
        // The time the search took is the one figure that differs between runs.
        app.search.took = Default::default();
        snapshot("search", &app);
        app.press("Esc");
        app.press("h");
        app.press("g");
        app.press("l");
        app.press("m");
        app.press("G");
        app.press("d");
        snapshot("diff", &app);
        app.press("t");
        snapshot("tag", &app);
        app.press("Esc");
        app.press("Esc");
        app.press("T");
        snapshot("timeline", &app);
        app.press("Esc");
        app.press("h");
        app.press("g");
        app.press("s");
        snapshot("suggestions", &app);
        app.press("Esc");
        app.press("a");
        update(&mut app, Action::Input('X'));
        snapshot("form", &app);
        app.press("Esc");
        app.press("Esc");
        app.press("?");
        snapshot("help", &app);
        app.press("Esc");
        app.press("!");
        snapshot("failed", &app);
    }
}

#[test]
fn snapshot_too_small() {
    let app = app(30, 5);
    snapshot("too_small", &app);
    let app1 = self::app(1, 1);
    assert_eq!(render_to_string(&app1, 1, 1), "…\n");
}

#[test]
fn hostile_text_said_before_stays_text() {
    let mut app = app(120, 40);
    app.press("G");
    assert_eq!(app.selected_incident().unwrap().company, "Initech");
    app.press("a");
    to_field(&mut app, "text");
    type_into(&mut app, "Yeah red copy title and desrever done");
    let effect = update(&mut app, Action::Paused()).unwrap();
    perform_inline(&mut app, effect);
    let said = &app.form().unwrap().said;
    assert!(
        said.matches
            .iter()
            .any(|m| m.reference.to_string() == "initech-hostile#escape-attempt"),
        "{:?}",
        said.matches
    );
    let screen = render_to_string(&app, 120, 40);
    assert!(screen.contains("said before?"), "{screen}");
    assert!(
        !screen.contains('\x1b') && !screen.contains('\x07') && !screen.contains('\u{202E}'),
        "{screen:?}"
    );
}

#[test]
fn hostile_text_stays_in_its_cell() {
    let mut app = app(120, 40);
    app.press("G");
    let screen = render_to_string(&app, 120, 40);
    assert!(!screen.contains('\x1b') && !screen.contains('\x07') && !screen.contains('\u{202E}'));
    // Every row of the screen is exactly as wide as the terminal, whatever the text holds.
    app.press("j");
    app.press("l");
    app.press("j");
    let screen = render_to_string(&app, 120, 40);
    for line in screen.lines() {
        assert!(
            onrecord::tui::safe::width(line) <= 120,
            "{line:?} is wider than the screen"
        );
    }
    // The statements pane's right border stays in one column on every row.
    let areas = app.areas().unwrap();
    let right = usize::from(areas.statements.x + areas.statements.width - 1);
    for line in screen.lines().take(usize::from(areas.statements.height)) {
        let col: usize = line
            .chars()
            .map(|c| c.to_string())
            .scan(0, |at, g| {
                let here = *at;
                *at += onrecord::tui::safe::width(&g);
                Some((here, g))
            })
            .find(|(at, _)| *at == right)
            .map(|(at, _)| at)
            .unwrap_or(0);
        assert_eq!(col, right, "{line:?}");
    }
}

// ---- end to end, in tmux ----------------------------------------------------------------

struct Tmux {
    socket: String,
    _dir: tempfile::TempDir,
}

impl Tmux {
    fn start(width: u16, height: u16, corpus: &Path) -> Tmux {
        let found = Command::new("tmux").arg("-V").output();
        assert!(
            found.is_ok_and(|o| o.status.success()),
            "tmux is required for the interface's end-to-end test: install it (apt-get install \
             tmux); .ci/run does"
        );
        let dir = tempfile::tempdir().unwrap();
        let conf = dir.path().join("tmux.conf");
        // set-clipboard on: an OSC 52 from the program becomes a tmux buffer we can read.
        std::fs::write(&conf, "set -g set-clipboard on\nset -g status off\n").unwrap();
        // An editor that only notes what it was asked to open.
        let editor = dir.path().join("editor");
        std::fs::write(
            &editor,
            format!("#!/bin/sh\necho \"$@\" > {}/edited\n", dir.path().display()),
        )
        .unwrap();
        std::fs::set_permissions(&editor, std::os::unix::fs::PermissionsExt::from_mode(0o755))
            .unwrap();
        static STARTED: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = STARTED.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let socket = format!("onrecord-test-{}-{n}", std::process::id());
        let bin = env!("CARGO_BIN_EXE_onrecord");
        let status = Command::new("tmux")
            .args(["-L", &socket, "-f"])
            .arg(&conf)
            .args(["new-session", "-d", "-x", &width.to_string(), "-y"])
            .arg(height.to_string())
            .arg(format!(
                "env XDG_CONFIG_HOME={} XDG_CACHE_HOME={} EDITOR={} TERM=xterm-256color {} --dir {}",
                dir.path().display(),
                dir.path().join("cache").display(),
                editor.display(),
                bin,
                corpus.display()
            ))
            .status()
            .unwrap();
        assert!(status.success());
        Tmux { socket, _dir: dir }
    }

    fn tmux(&self, args: &[&str]) -> String {
        let out = Command::new("tmux")
            .args(["-L", &self.socket])
            .args(args)
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn screen(&self) -> String {
        self.tmux(&["capture-pane", "-p"])
    }

    /// Waits until the screen shows `text`, or fails with what it shows.
    fn wait_for(&self, text: &str) -> String {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if screen.contains(text) {
                return screen;
            }
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "the screen never showed {text:?}:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys"];
        args.extend_from_slice(keys);
        self.tmux(&args);
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .args(["-L", &self.socket, "kill-server"])
            .status();
    }
}

#[test]
fn end_to_end_in_tmux() {
    let t = Tmux::start(100, 30, Path::new(FIXTURES));
    let screen = t.wait_for("3 incidents");
    assert!(screen.contains("Acme Widgets"), "{screen}");
    assert!(screen.contains("1 failed"), "{screen}");
    let title_before = t.tmux(&["display", "-p", "#{pane_title}"]);

    // The hostile record: shown, never obeyed.
    t.keys(&["G"]);
    let screen = t.wait_for("Bill Lumbergh␛[2J");
    assert!(screen.contains("␛]52;c;cHduZWQ=␇"), "{screen}");
    assert!(screen.contains("<U+202E>desrever"), "{screen}");
    assert_eq!(
        t.tmux(&["display", "-p", "#{pane_title}"]),
        title_before,
        "the record retitled the terminal"
    );
    assert_eq!(
        t.tmux(&["list-buffers"]),
        "",
        "the record wrote the clipboard"
    );
    // Every row keeps its borders where the layout put them: nothing moved the cursor.
    let rows: Vec<&str> = screen.lines().collect();
    assert_eq!(rows.len(), 30, "{screen}");
    assert!(
        rows[0].starts_with('┌') && rows[28].starts_with('└'),
        "{screen}"
    );
    for row in &rows[1..28] {
        assert!(row.starts_with('│'), "{row:?}\n{screen}");
        assert!(
            row.ends_with('│') || row.ends_with('┐') || row.ends_with('┘') || row.ends_with('┤'),
            "{row:?}\n{screen}"
        );
    }

    // Wide characters keep the columns: the right border is at the last column.
    t.keys(&["l", "j"]);
    let screen = t.wait_for("株式会社");
    for row in screen.lines().take(29) {
        let w: usize = onrecord::tui::safe::width(row);
        assert_eq!(w, 100, "{row:?}\n{screen}");
    }

    // y copies the statement with its citation through OSC 52, which tmux keeps as a buffer.
    t.keys(&["g", "h", "g", "y"]);
    t.wait_for("Copied acme-widgets-recall#launch-claim");
    let start = Instant::now();
    let buffer = loop {
        let b = t.tmux(&["show-buffer"]);
        if !b.is_empty() || start.elapsed() > Duration::from_secs(10) {
            break b;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(
        buffer.contains("Our mug has never overheated"),
        "{buffer:?}"
    );
    assert!(buffer.contains("The Daily Planet"), "{buffer:?}");

    // Search narrows as you type; Enter opens the statement in its incident.
    t.keys(&["/"]);
    t.wait_for("7 results");
    t.keys(&["-l", "workforce"]);
    t.wait_for("1 result ");
    t.keys(&["Enter"]);
    let screen = t.wait_for("Globex Corp — ");
    assert!(screen.contains("There will be no layoffs"), "{screen}");

    // e runs $EDITOR at the statement's line, then the interface comes back and reloads.
    t.keys(&["e"]);
    t.wait_for("Reloaded 3 incidents");
    let edited = std::fs::read_to_string(t._dir.path().join("edited")).unwrap();
    assert!(
        edited.trim().starts_with("+24 ") && edited.trim().ends_with("globex-corp-layoffs.toml"),
        "{edited}"
    );

    // Help lists keys from the keymap; a tiny terminal says so; q quits.
    t.keys(&["?"]);
    t.wait_for("Focus the pane on the left");
    t.keys(&["Escape"]);
    t.tmux(&["resize-window", "-x", "20", "-y", "5"]);
    t.wait_for("terminal too small");
    t.tmux(&["resize-window", "-x", "100", "-y", "30"]);
    t.wait_for("3 incidents");
    t.keys(&["q"]);
    let start = Instant::now();
    while t.tmux(&["list-panes"]).contains('[') && start.elapsed() < Duration::from_secs(10) {
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(!t.tmux(&["list-panes"]).contains('['), "q did not quit");
}

/// A corpus in a fresh git repository, its one file committed by "Ann Example".
fn corpus_in_git() -> tempfile::TempDir {
    let dir = copy_fixtures();
    let git = |args: &[&str]| {
        let ok = Command::new("git")
            .current_dir(dir.path())
            .args(args)
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_AUTHOR_DATE", "2025-03-04T10:00:00Z")
            .env("GIT_COMMITTER_DATE", "2025-03-04T10:00:00Z")
            .status()
            .unwrap()
            .success();
        assert!(ok, "git {args:?}");
    };
    git(&["init", "-q", "-b", "main"]);
    git(&["config", "user.name", "Ann Example"]);
    git(&["config", "user.email", "ann@example.org"]);
    git(&["add", "-A"]);
    git(&["commit", "-q", "-m", "The records"]);
    dir
}

#[test]
fn the_statement_pane_says_who_last_changed_it() {
    let dir = corpus_in_git();
    let corpus = store::load(dir.path()).unwrap();
    let mut app = App::new(corpus, Config::default());
    update(&mut app, Action::Resize(100, 30));
    // Asked once the keys settle, off the drawing thread; a frame only shows what came back.
    let before = onrecord::tui::widgets::statement_lines(&app, app.selected_pos(), 60);
    assert!(
        !before
            .iter()
            .any(|l| l.to_string().contains("last changed"))
    );
    let effect = update(&mut app, Action::Settled()).expect("the history is asked");
    assert!(matches!(effect, Effect::History { .. }), "{effect:?}");
    assert_eq!(update(&mut app, Action::Settled()), None, "asked once");
    perform_inline(&mut app, effect);
    assert!(app.history_due().is_none());
    let lines: Vec<String> = onrecord::tui::widgets::statement_lines(&app, app.selected_pos(), 60)
        .iter()
        .map(|l| l.to_string())
        .collect();
    assert_eq!(
        lines.last().map(|l| l.get(..41).unwrap_or(l)),
        Some("last changed by Ann Example on 2025-03-04"),
        "{lines:#?}"
    );
    // Turned off in the config, and outside a repository, there is no such line.
    app.config.hide_git_history = true;
    let lines = onrecord::tui::widgets::statement_lines(&app, app.selected_pos(), 60);
    assert!(!lines.iter().any(|l| l.to_string().contains("last changed")));
    let outside = copy_fixtures();
    let mut app = App::new(store::load(outside.path()).unwrap(), Config::default());
    if let Some(effect) = update(&mut app, Action::Settled()) {
        perform_inline(&mut app, effect);
    }
    let lines = onrecord::tui::widgets::statement_lines(&app, app.selected_pos(), 60);
    assert!(!lines.iter().any(|l| l.to_string().contains("last changed")));
}

#[test]
fn the_statement_pane_says_who_last_changed_it_in_tmux() {
    let dir = corpus_in_git();
    let t = Tmux::start(120, 40, dir.path());
    t.wait_for("last changed by Ann Example on 2025-03-04");
}

/// Waits until the tmux pane has closed.
fn wait_closed(t: &Tmux) {
    let start = Instant::now();
    while t.tmux(&["list-panes"]).contains('[') && start.elapsed() < Duration::from_secs(10) {
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(
        !t.tmux(&["list-panes"]).contains('['),
        "the interface did not quit"
    );
}

#[test]
fn paste_in_tmux_lands_in_the_field_as_text() {
    let dir = copy_fixtures();
    let t = Tmux::start(100, 30, dir.path());
    t.wait_for("3 incidents");
    let before = std::fs::read(dir.path().join("acme-widgets-recall.toml")).unwrap();
    // Outside a text field a paste does nothing: its "a" and "q" are not keys.
    t.tmux(&["set-buffer", "a quote\nq"]);
    t.tmux(&["paste-buffer", "-p"]);
    t.wait_for("Paste ignored");
    // A two-line quote pasted into the statement's text stays text, both lines of it.
    t.keys(&["a"]);
    t.wait_for("Add a statement to acme-widgets-recall");
    for _ in 0..9 {
        t.keys(&["Tab"]);
    }
    t.tmux(&["set-buffer", "We never sold data.\nWe never will."]);
    t.tmux(&["paste-buffer", "-p"]);
    let screen = t.wait_for("We never will.");
    assert!(screen.contains("We never sold data."), "{screen}");
    assert!(
        screen.contains("Add a statement"),
        "the form is still open:\n{screen}"
    );
    assert_eq!(
        std::fs::read(dir.path().join("acme-widgets-recall.toml")).unwrap(),
        before,
        "the line break did not save"
    );
    t.keys(&["C-c"]);
    wait_closed(&t);
}

#[test]
fn a_new_source_in_tmux_is_written_and_chosen() {
    let dir = copy_fixtures();
    let outside = tempfile::tempdir().unwrap();
    let article = outside.path().join("article.txt");
    std::fs::write(&article, "Road Runner said: meep meep.\n").unwrap();
    let t = Tmux::start(100, 30, dir.path());
    t.wait_for("3 incidents");
    t.keys(&["a"]);
    t.wait_for("Add a statement to acme-widgets-recall");
    for _ in 0..6 {
        t.keys(&["Tab"]);
    }
    t.keys(&["Left"]);
    t.wait_for("new source…");
    t.keys(&["Enter"]);
    t.wait_for("A new source for acme-widgets-recall");
    t.keys(&["-l", "Acme Gazette"]);
    t.keys(&["Tab", "Tab"]);
    t.keys(&["-l", "someday"]);
    t.keys(&["Tab", "Tab"]);
    t.keys(&["-l", article.to_str().unwrap()]);
    t.keys(&["Enter"]);
    t.wait_for("is not a date");
    assert!(!dir.path().join("sources").exists(), "nothing was copied");
    t.keys(&["BTab", "BTab", "C-u"]);
    t.keys(&["-l", "2025-04-01"]);
    t.keys(&["Enter"]);
    t.wait_for("Added the source acme-gazette");
    let screen = t.wait_for("Acme Gazette (acme-gazette)");
    assert!(screen.contains("Add a statement"), "{screen}");
    assert!(
        dir.path()
            .join("sources/acme-widgets-recall/article.txt")
            .exists()
    );
    let toml = std::fs::read_to_string(dir.path().join("acme-widgets-recall.toml")).unwrap();
    assert!(toml.contains("sha256 = "), "{toml}");
    t.keys(&["C-c"]);
    wait_closed(&t);
}

#[test]
fn said_before_in_tmux_shows_once_typing_pauses() {
    let t = Tmux::start(100, 30, Path::new(FIXTURES));
    t.wait_for("3 incidents");
    t.keys(&["a"]);
    t.wait_for("Add a statement to acme-widgets-recall");
    for _ in 0..10 {
        t.keys(&["Tab"]);
    }
    t.keys(&["-l", "Our mug has always overheated in tests."]);
    let screen = t.wait_for("says the opposite");
    assert!(
        screen.contains("acme-widgets-recall#launch-claim"),
        "{screen}"
    );
    t.keys(&["C-c"]);
    wait_closed(&t);
}

#[test]
fn resize_in_tmux_keeps_the_selection_in_view() {
    let dir = tempfile::tempdir().unwrap();
    onrecord::generate::generate(dir.path(), 200, 1).unwrap();
    let app = App::new(store::load(dir.path()).unwrap(), Config::default());
    let title = |at: usize| {
        let inc = &app.corpus.incidents[app.index.incidents[at]];
        inc.title.chars().take(12).collect::<String>()
    };
    let n = app.index.incidents.len();
    let (first, last) = (title(0), title(n - 1));
    let t = Tmux::start(60, 15, dir.path());
    t.wait_for(&format!("Incidents 1/{n}"));
    t.keys(&["G"]);
    let screen = t.wait_for(&format!("Incidents {n}/{n}"));
    assert!(!screen.contains(&first), "{screen}");
    t.tmux(&["resize-window", "-x", "200", "-y", "60"]);
    let start = Instant::now();
    let screen = loop {
        let screen = t.screen();
        if screen.lines().count() >= 60 || start.elapsed() > Duration::from_secs(10) {
            break screen;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    std::thread::sleep(Duration::from_millis(300));
    let screen = if screen.contains(&first) {
        screen
    } else {
        t.screen()
    };
    assert!(
        screen.contains(&first),
        "every row fits again, the first too:\n{screen}"
    );
    assert!(
        screen.contains(&last),
        "the selection is still shown:\n{screen}"
    );
    t.tmux(&["resize-window", "-x", "60", "-y", "12"]);
    std::thread::sleep(Duration::from_millis(300));
    let screen = t.wait_for(&format!("Incidents {n}/{n}"));
    assert!(
        screen.contains(&last),
        "the selection stays in view:\n{screen}"
    );
    t.keys(&["q"]);
    wait_closed(&t);
}

#[test]
fn undo_in_tmux_takes_back_the_last_write() {
    let dir = copy_fixtures();
    let t = Tmux::start(100, 30, dir.path());
    t.wait_for("3 incidents");
    t.keys(&["n"]);
    t.wait_for("New incident");
    t.keys(&["-l", "hooli-outage"]);
    t.keys(&["Tab"]);
    t.keys(&["-l", "Hooli"]);
    t.keys(&["Tab"]);
    t.keys(&["-l", "Hooli says the outage was brief"]);
    t.keys(&["Enter"]);
    t.wait_for("4 incidents");
    let file = dir.path().join("hooli-outage.toml");
    assert!(file.exists());
    t.keys(&["u"]);
    t.wait_for("Are you sure?");
    t.keys(&["y"]);
    t.wait_for("Undid: create incident hooli-outage");
    t.wait_for("3 incidents");
    assert!(!file.exists(), "the file the session created is gone");
    t.keys(&["u"]);
    t.wait_for("Nothing written in this session to undo");
    t.keys(&["q"]);
    wait_closed(&t);
}

#[test]
fn the_incident_list_filters_and_sorts() {
    let mut app = app(100, 30);
    app.press("f");
    assert_eq!(app.view(), View::Filter);
    type_into(&mut app, "company:globex");
    let listed = |app: &App| -> Vec<String> {
        app.index
            .incidents
            .iter()
            .map(|&i| app.corpus.incidents[i].id.clone())
            .collect()
    };
    assert_eq!(listed(&app), ["globex-corp-layoffs"], "filters as you type");
    app.press("Enter");
    assert_eq!(app.view(), View::Browse);
    assert_eq!(selected(&app).0, "globex-corp-layoffs");
    let screen = render_to_string(&app, 100, 30);
    assert!(
        screen.contains("Incidents 1/1 · company:globex"),
        "{screen}"
    );
    app.press("f");
    app.press("ctrl-u");
    type_into(&mut app, "verdicts");
    assert_eq!(listed(&app), ["acme-widgets-recall"]);
    app.press("Esc");
    assert_eq!(
        listed(&app),
        ["globex-corp-layoffs"],
        "Esc puts the filter back"
    );
    app.press("f");
    app.press("ctrl-u");
    app.press("Enter");
    assert_eq!(listed(&app).len(), 3);
    app.press("o");
    assert!(
        app.message
            .as_ref()
            .unwrap()
            .text
            .contains("most statements")
    );
    assert_eq!(
        listed(&app)[0],
        "acme-widgets-recall",
        "3 statements, the most"
    );
    app.press("o");
    assert_eq!(
        listed(&app)[0],
        "acme-widgets-recall",
        "1 verdict, the most"
    );
    app.press("o");
    assert_eq!(listed(&app)[0], "acme-widgets-recall", "newest first again");
}

#[test]
fn untag_asks_then_removes_the_verdict_and_undo_puts_it_back() {
    let dir = copy_fixtures();
    let corpus = store::load(dir.path()).unwrap();
    let mut app = App::new(corpus, Config::default());
    update(&mut app, Action::Resize(100, 30));
    let file = dir.path().join("acme-widgets-recall.toml");
    let before = std::fs::read_to_string(&file).unwrap();
    app.press("l");
    app.press("m");
    app.press("G");
    assert_eq!(app.press("U"), None);
    assert_eq!(app.view(), View::Confirm);
    app.press("n");
    assert_eq!(app.view(), View::Browse);
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        before,
        "n keeps it"
    );
    app.press("U");
    let effect = app.press("y").unwrap();
    perform_inline(&mut app, effect);
    assert_eq!(app.corpus.contradictions().count(), 0);
    assert!(
        !std::fs::read_to_string(&file)
            .unwrap()
            .contains("[[contradictions]]")
    );
    app.press("u");
    let effect = app.press("y").unwrap();
    perform_inline(&mut app, effect);
    assert_eq!(std::fs::read_to_string(&file).unwrap(), before);
    assert_eq!(app.corpus.contradictions().count(), 1);
}

#[test]
fn key_names_follow_the_keymap() {
    let config = onrecord::tui::config::parse("[keys]\nmark = \"M\"\ntag = \"ctrl-t\"\n").unwrap();
    let corpus = store::load(Path::new(FIXTURES)).unwrap();
    let mut app = App::new(corpus, config);
    update(&mut app, Action::Resize(120, 40));
    app.press("l");
    app.press("d");
    let m = &app.message.as_ref().unwrap().text;
    assert!(m.contains("Mark a statement with M"), "{m}");
    app.press("M");
    app.press("j");
    app.press("d");
    let screen = render_to_string(&app, 120, 40);
    assert!(screen.contains("C-t tags the pair"), "{screen}");

    // The form's hints and questions name the keys as bound.
    let config =
        onrecord::tui::config::parse("[keys]\nenter = \"ctrl-j\"\nback = \"ctrl-g\"\n").unwrap();
    let mut app = App::new(store::load(Path::new(FIXTURES)).unwrap(), config);
    update(&mut app, Action::Resize(120, 40));
    app.press("a");
    type_into(&mut app, "x");
    app.press("ctrl-g");
    let screen = render_to_string(&app, 120, 40);
    assert!(screen.contains("(C-j: a new line)"), "{screen}");
    assert!(screen.contains("C-g again discards"), "{screen}");
}

#[test]
fn a_claim_is_set_against_what_came_later() {
    let mut app = app(120, 40);
    app.press("l");
    app.press("C");
    assert_eq!(app.view(), View::Timeline);
    let items = &app.timeline.items;
    assert!(items[0].1.claim, "the claim first");
    assert!(items.len() >= 2 && items[1..].iter().all(|(_, e)| e.similarity.is_some()));
    app.press("j");
    let screen = render_to_string(&app, 120, 40);
    assert!(screen.contains("What changed from the claim"), "{screen}");
    app.press("Esc");
    assert_eq!(app.view(), View::Browse);
}

#[test]
fn edit_and_remove_statements_and_incidents_each_after_asking() {
    let dir = copy_fixtures();
    let corpus = store::load(dir.path()).unwrap();
    let mut app = App::new(corpus, Config::default());
    update(&mut app, Action::Resize(100, 30));
    let globex = dir.path().join("globex-corp-layoffs.toml");
    let before = std::fs::read_to_string(&globex).unwrap();
    app.press("j");
    app.press("l");
    // E opens the statement in a form, filled in; a change is written in place.
    app.press("E");
    assert_eq!(app.view(), View::Form);
    assert_eq!(app.form().unwrap().value("speaker"), selected_speaker(&app));
    to_field(&mut app, "note");
    type_into(&mut app, "Checked with the filing.");
    let effect = app.press("ctrl-s").expect("it saves");
    perform_inline(&mut app, effect);
    assert!(
        app.form().is_none(),
        "{:?}",
        app.form().map(|f| f.problems.clone())
    );
    let (_, st) = app.selected_statement().unwrap();
    assert_eq!(st.note.as_deref(), Some("Checked with the filing."));
    let edited = std::fs::read_to_string(&globex).unwrap();
    assert!(edited.contains("Checked with the filing."), "{edited}");
    assert_eq!(
        edited.lines().count(),
        before.lines().count() + 1,
        "only the note was added:\n{edited}"
    );
    // X removes the statement, after asking; u puts it back.
    let id = app.selected_statement().unwrap().1.id.clone();
    app.press("X");
    assert_eq!(app.view(), View::Confirm);
    let effect = app.press("y").unwrap();
    perform_inline(&mut app, effect);
    assert!(
        app.corpus
            .incident("globex-corp-layoffs")
            .unwrap()
            .statement(&id)
            .is_none()
    );
    app.press("u");
    let effect = app.press("y").unwrap();
    perform_inline(&mut app, effect);
    assert_eq!(std::fs::read_to_string(&globex).unwrap(), edited);
    // A statement a verdict names is not removed.
    app.press("h");
    app.press("g");
    app.press("l");
    app.press("X");
    let effect = app.press("y").unwrap();
    perform_inline(&mut app, effect);
    let m = app.message.as_ref().unwrap();
    assert!(
        m.error && m.text.contains("remove the verdict first"),
        "{m:?}"
    );
    // With the incident list focused, X removes the incident's file; u brings it back.
    app.press("h");
    app.press("j");
    assert_eq!(selected(&app).0, "globex-corp-layoffs");
    app.press("X");
    let effect = app.press("y").unwrap();
    perform_inline(&mut app, effect);
    assert!(!globex.exists());
    assert!(app.corpus.incident("globex-corp-layoffs").is_none());
    app.press("u");
    let effect = app.press("y").unwrap();
    perform_inline(&mut app, effect);
    assert_eq!(std::fs::read_to_string(&globex).unwrap(), edited);
}

fn selected_speaker(app: &App) -> String {
    app.selected_statement().unwrap().1.speaker.clone()
}

#[test]
fn the_reviewed_side_is_written_with_the_verdict() {
    let dir = copy_fixtures();
    let corpus = store::load(dir.path()).unwrap();
    let mut app = App::new(corpus, Config::default());
    update(&mut app, Action::Resize(100, 30));
    app.press("j");
    app.press("l");
    app.press("m");
    app.press("j");
    app.press("t");
    assert!(
        app.tag().unwrap().reviewed_later,
        "the later one by default"
    );
    app.press("Tab");
    app.press("Right");
    let t = app.tag().unwrap();
    assert!(!t.reviewed_later);
    assert_eq!(t.reviewed().statement, "no-layoffs");
    let effect = app.press("Enter").unwrap();
    perform_inline(&mut app, effect);
    let (_, c) = app
        .corpus
        .contradictions()
        .find(|(i, _)| i.id == "globex-corp-layoffs")
        .unwrap();
    assert_eq!(c.reviewed().0.statement, "no-layoffs");
    // Opened again, the dialog shows the side on record.
    app.press("t");
    assert!(!app.tag().unwrap().reviewed_later);
}

/// The README's key table names only keys the keymap binds, in the view it puts them in.
#[test]
fn the_readme_key_table_matches_the_keymap() {
    use onrecord::tui::keymap::Keymap;
    for doc in ["README.md", "docs/interface.md"] {
        let text = std::fs::read_to_string(doc).unwrap();
        let table = text
            .split("| view | keys | does |")
            .nth(1)
            .expect("the key table");
        key_table_matches(doc, table, &Keymap::default());
    }
}

fn key_table_matches(doc: &str, table: &str, map: &onrecord::tui::keymap::Keymap) {
    use onrecord::tui::keymap::Key;
    let mut view = None;
    let mut checked = 0;
    for row in table.lines().skip(2).take_while(|l| l.starts_with('|')) {
        let cells: Vec<&str> = row.split('|').map(str::trim).collect();
        if !cells[1].is_empty() {
            view = Some(match cells[1] {
                "browse" => View::Browse,
                "search" => View::Search,
                "diff" => View::Diff,
                "tag dialog" => View::Tag,
                "form" => View::Form,
                "filter" => View::Filter,
                "question" => View::Confirm,
                "timeline" => View::Timeline,
                "suggestions" => View::Suggest,
                "failed files" => View::Failed,
                other => panic!("a view the table names and the keymap does not: {other}"),
            });
        }
        let view = view.unwrap();
        for token in cells[2].split('`').skip(1).step_by(2) {
            let bound = map.bindings.iter().any(|b| {
                b.mode == view && (b.key.label() == token || Key::parse(token) == Some(b.key))
            });
            assert!(bound, "{doc}: `{token}` is not a key of {view:?}");
            checked += 1;
        }
    }
    assert!(checked > 50, "{checked}");
}

#[test]
fn a_diff_across_languages_shows_the_originals() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("globex-data.toml"),
        "title = \"Globex data\"\ncompany = \"Globex Corp\"\n\n\
         [[statements]]\nid = \"denial\"\ndate = 2024-01-02\nspeaker = \"Globex\"\n\
         url = \"https://example.org/a\"\nlang = \"fr\"\n\
         text = \"Nous ne vendons pas les données.\"\n\
         translation = \"We do not sell the data.\"\n\n\
         [[statements]]\nid = \"terms\"\ndate = 2024-03-04\nspeaker = \"Globex\"\n\
         url = \"https://example.org/b\"\nlang = \"en\"\n\
         text = \"We may sell the data.\"\n",
    )
    .unwrap();
    let mut app = App::new(store::load(dir.path()).unwrap(), Config::default());
    update(&mut app, Action::Resize(120, 40));
    app.press("l");
    app.press("m");
    app.press("j");
    app.press("d");
    assert_eq!(app.view(), View::Diff);
    let d = app.diff().unwrap();
    assert_eq!(d.diff.compared, onrecord::diff::Compared::Translation);
    let screen = render_to_string(&app, 120, 40);
    assert!(
        screen.contains("(fr) Nous ne vendons pas les données."),
        "{screen}"
    );
    assert!(screen.contains("(en) We may sell the data."), "{screen}");
}
