//! The interface with 100k statements: time to the first frame (load, index, draw), the time
//! one frame takes to draw, and (once search is in) a search keystroke's time to results.
//!
//! `cargo bench --bench tui` generates 100k statements into a temporary folder;
//! `cargo bench --bench tui -- DIR` measures an existing corpus instead. Frames are drawn on
//! ratatui's in-memory backend at 120×40, so the figure is the program's own work; one real
//! start of the release binary in tmux times the first frame as a user sees it.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use onrecord::tui::worker::Worker;
use onrecord::tui::{Action, App, Config, Effect, draw_offscreen, offscreen, redraw, update};

mod common;
use common::ms;

fn percentile(samples: &mut [Duration], p: f64) -> Duration {
    samples.sort();
    common::percentile(samples, p)
}

fn frames(app: &mut App, keys: &[&str], n: usize) -> Vec<Duration> {
    let mut terminal = offscreen(120, 40);
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        app.press(keys[i % keys.len()]);
        // A frame as the event loop draws it: the screen, then its layout handed to update.
        let t = Instant::now();
        redraw(&mut terminal, app);
        out.push(t.elapsed());
    }
    out
}

/// Sends a search to the worker and applies its answer.
fn search(worker: &Worker, app: &mut App, effect: Option<Effect>) {
    let Some(Effect::Search {
        generation,
        filter,
        text,
    }) = effect
    else {
        return;
    };
    worker.ask(generation, filter, text);
    while let Some((g, hits, took)) = worker.wait() {
        update(app, Action::Results(g, hits, took));
        if g == generation {
            break;
        }
    }
}

fn main() {
    // The interface loads through the cache, as the program does (warm: the first load below
    // writes the snapshot), in a temporary cache folder; ONRECORD_NO_CACHE=1 measures it
    // without.
    let cache = tempfile::tempdir().expect("a temporary cache folder");
    // SAFETY: no other thread has started yet.
    unsafe { std::env::set_var("XDG_CACHE_HOME", cache.path()) };
    let cached = !onrecord::cache::disabled_by_env();
    onrecord::cache::enable(cached);
    println!("cache: {}", if cached { "on, warm" } else { "off" });
    let corpus = common::corpus(100_000);
    run(&corpus.dir, cache.path(), cached);
}

fn tmux(socket: &str, args: &[&str]) -> String {
    let out = Command::new("tmux")
        .args(["-L", socket])
        .args(args)
        .output()
        .expect("tmux runs");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Times the real program in tmux at 120×40: from the command to the first frame on screen,
/// and to the frame that shows the loaded corpus. Includes tmux's own polling.
fn real_start(dir: &Path, incidents: usize, cache: &Path, cached: bool) {
    if Command::new("tmux").arg("-V").output().is_err() {
        println!("real start in tmux: skipped, tmux is not installed");
        return;
    }
    let socket = format!("onrecord-bench-{}", std::process::id());
    tmux(
        &socket,
        &[
            "-f",
            "/dev/null",
            "new-session",
            "-d",
            "-x",
            "120",
            "-y",
            "40",
            "sh",
        ],
    );
    std::thread::sleep(Duration::from_millis(300));
    let command = format!(
        "env XDG_CONFIG_HOME=/nonexistent XDG_CACHE_HOME={} ONRECORD_NO_CACHE={} {} --dir {}",
        cache.display(),
        if cached { "0" } else { "1" },
        env!("CARGO_BIN_EXE_onrecord"),
        dir.display()
    );
    let start = Instant::now();
    tmux(&socket, &["respawn-pane", "-k", &command]);
    let loaded = format!("{incidents} incidents");
    let (mut first, mut full) = (None, None);
    while start.elapsed() < Duration::from_secs(60) && full.is_none() {
        let screen = tmux(&socket, &["capture-pane", "-p"]);
        if first.is_none() && screen.contains("Incidents") {
            first = Some(start.elapsed());
        }
        if screen.contains(&loaded) {
            full = Some(start.elapsed());
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    tmux(&socket, &["kill-server"]);
    match (first, full) {
        (Some(a), Some(b)) => println!(
            "real start in tmux (release binary): first frame {:.0} ms, loaded corpus on screen \
             {:.0} ms after the command",
            ms(a),
            ms(b)
        ),
        _ => println!("real start in tmux: the screen never showed the corpus"),
    }
}

fn run(dir: &Path, cache: &Path, cached: bool) {
    // Warm the page cache so the figure is the program's, not the disk's.
    drop(onrecord::store::load(dir).expect("the corpus loads"));

    // As `onrecord` starts: the first frame is drawn while the corpus loads on another
    // thread, then the full frame once it is in.
    let start = Instant::now();
    let loader = {
        let dir = dir.to_path_buf();
        std::thread::spawn(move || onrecord::store::load(&dir).expect("the corpus loads"))
    };
    let mut app = App::new(Default::default(), Config::default());
    app.loading = Some(0);
    update(&mut app, Action::Resize(120, 40));
    let mut terminal = offscreen(120, 40);
    draw_offscreen(&mut terminal, &app);
    let first = start.elapsed();
    let corpus = loader.join().expect("the loader finishes");
    let loaded = start.elapsed();
    let incidents = corpus.incidents.len();
    let statements = corpus.statement_count();
    app.loading = None;
    app.replace_corpus(corpus);
    let indexed = start.elapsed();
    draw_offscreen(&mut terminal, &app);
    let full = start.elapsed();
    println!(
        "corpus: {incidents} incidents, {statements} statements ({})",
        dir.display()
    );
    real_start(dir, incidents, cache, cached);
    println!(
        "first frame (loading…): {:.1} ms after start; first full frame: {:.1} ms (load {:.1} ms, \
         index {:.1} ms, draw {:.2} ms)",
        ms(first),
        ms(full),
        ms(loaded),
        ms(indexed - loaded),
        ms(full - indexed)
    );

    let mut browse = frames(&mut app, &["j"], 2000);
    app.press("G");
    let mut bottom = frames(&mut app, &["k", "j"], 500);
    app.press("l");
    let mut statements_pane = frames(&mut app, &["j", "j", "k"], 500);
    app.press("?");
    let mut help = frames(&mut app, &["j"], 200);
    app.press("Esc");

    // Search: each keystroke goes to the worker thread; timed from the key to the results
    // applied and the frame that shows them drawn.
    let worker = Worker::start(app.corpus.clone());
    let t = Instant::now();
    worker.ask(0, Default::default(), "warmup".into());
    worker.wait();
    println!(
        "search index ready {:.0} ms after the worker started",
        ms(t.elapsed())
    );
    let mut keystrokes = Vec::new();
    // The parts of each keystroke: matching, on the worker; the key's update; the hand-over
    // to the worker and back with the results applied, matching left out; the frame.
    let mut matching = Vec::new();
    let (mut keying, mut handing, mut drawing) = (Vec::new(), Vec::new(), Vec::new());
    let mut terminal = offscreen(120, 40);
    for query in [
        "donnees clients vend",
        "will never sell cust",
        "company:hooli jamais",
    ] {
        let opened = app.press("/");
        search(&worker, &mut app, opened);
        for c in query.chars() {
            let t = Instant::now();
            let effect = update(&mut app, Action::Input(c));
            let asked = t.elapsed();
            search(&worker, &mut app, effect);
            let answered = t.elapsed();
            matching.push(app.search.took);
            draw_offscreen(&mut terminal, &app);
            let drawn = t.elapsed();
            keystrokes.push(drawn);
            keying.push(asked);
            handing.push((answered - asked).saturating_sub(app.search.took));
            drawing.push(drawn - answered);
        }
        app.press("ctrl-u");
        app.press("Esc");
    }
    let opened = app.press("/");
    search(&worker, &mut app, opened);
    let mut results = frames(&mut app, &["Down"], 300);
    app.press("Esc");

    // The form's "said before?" panel: one answer, asked after a pause in typing, on its
    // own thread; timed for statements of several incidents, each against its company.
    let mut said = Vec::new();
    for inc in app
        .corpus
        .incidents
        .iter()
        .step_by(app.corpus.incidents.len() / 20 + 1)
    {
        let Some(st) = inc.statements.first() else {
            continue;
        };
        let mut filter = onrecord::query::Filter::default();
        filter
            .add("company", &inc.company)
            .expect("a company filter");
        let question = onrecord::tui::effects::Question {
            generation: 1,
            text: st.text.clone(),
            filter,
            except: None,
        };
        let t = Instant::now();
        question.answer(&app.corpus);
        said.push(t.elapsed());
    }
    for (name, samples) in [
        ("draw: browse, moving through incidents", &mut browse),
        ("draw: browse, at the end of the list", &mut bottom),
        (
            "draw: browse, moving through statements",
            &mut statements_pane,
        ),
        ("draw: help", &mut help),
        ("draw: search view, 1000 results", &mut results),
        ("search keystroke to results drawn", &mut keystrokes),
        ("search keystroke, matching alone", &mut matching),
        ("search keystroke, the key's update", &mut keying),
        (
            "search keystroke, hand-over and results applied (matching left out)",
            &mut handing,
        ),
        ("search keystroke, the frame that shows them", &mut drawing),
        (
            "form: a \"said before?\" answer, against a company",
            &mut said,
        ),
    ] {
        let mean = samples.iter().sum::<Duration>() / samples.len() as u32;
        println!(
            "{name}: mean {:.3} ms, p50 {:.3} ms, p95 {:.3} ms, max {:.3} ms over {} samples",
            ms(mean),
            ms(percentile(samples, 0.5)),
            ms(percentile(samples, 0.95)),
            ms(percentile(samples, 1.0)),
            samples.len()
        );
    }
}
