//! `suggest` over a generated corpus of 100,000 statements, in process and as a whole
//! `onrecord suggest` process (time and peak memory), `onrecord match` with a quote on record
//! as a whole process, and a word diff of two 1 MB statements. Whole processes run with a warm
//! cache of their own (`XDG_CACHE_HOME` in a temporary folder).
//!
//! `cargo bench --bench suggest` (add `-- DIR` to measure an existing corpus folder instead of
//! generating one; `-- --organizations 20` generates the skewed shape instead, 20
//! organizations with 5,000 statements each and long-tailed prose, where pairs are many). The whole-process figure spawns target/release/onrecord, so build it
//! first: `cargo build --release`.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use onrecord::diff::diff_texts;
use onrecord::query::Filter;
use onrecord::suggest::suggest;

mod common;
use common::ms;

fn best_of<T>(runs: usize, mut f: impl FnMut() -> T) -> (Duration, Duration, T) {
    let mut times = Vec::with_capacity(runs);
    let mut last = None;
    for _ in 0..runs {
        let t = Instant::now();
        last = Some(f());
        times.push(t.elapsed());
    }
    times.sort();
    (times[0], times[runs / 2], last.expect("at least one run"))
}

/// Suggests in process, and gives back a statement's text for `match` to look up: the
/// first one of 60 to 200 bytes.
fn in_process(dir: &Path) -> Option<String> {
    let (load_best, load_median, corpus) = best_of(3, || onrecord::store::load(dir).unwrap());
    let n = corpus.statement_count();
    let filter = Filter::default();
    let (best, median, found) = best_of(5, || suggest(&corpus, &filter, 20));
    println!(
        "in process, {n} statements: load best {:.0} ms (median {:.0}); suggest --limit 20 best \
         {:.0} ms (median {:.0}), {} suggestions, top score {:.3}",
        ms(load_best),
        ms(load_median),
        ms(best),
        ms(median),
        found.len(),
        found.first().map_or(0.0, |s| s.score)
    );
    corpus
        .incidents
        .iter()
        .flat_map(|i| &i.statements)
        .map(|s| s.text.clone())
        .find(|t| (60..=200).contains(&t.len()))
}

/// The bytes of the corpus's `.toml` files.
fn corpus_bytes(dir: &Path) -> u64 {
    let mut total = 0;
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let path = e.path();
            match e.file_type() {
                Ok(t) if t.is_dir() => stack.push(path),
                Ok(_) if path.extension().is_some_and(|x| x == "toml") => {
                    total += e.metadata().map_or(0, |m| m.len());
                }
                _ => {}
            }
        }
    }
    total
}

/// The largest peak resident memory of the child processes waited for so far, in bytes.
fn children_peak_rss() -> u64 {
    // SAFETY: getrusage writes into the struct it is given, which lives on this stack.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let ok = unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage) } == 0;
    if ok { usage.ru_maxrss as u64 * 1024 } else { 0 }
}

/// Runs `onrecord --dir DIR ARGS` five times after one warm-up run (which also warms the
/// cache, kept in a folder of its own), and prints the best and median times.
fn timed(exe: &Path, dir: &Path, cache: &Path, args: &[&str], ok: &[i32]) {
    let run = || {
        let status = Command::new(exe)
            .arg("--dir")
            .arg(dir)
            .args(args)
            .env("XDG_CACHE_HOME", cache)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .expect("onrecord runs");
        assert!(
            status.code().is_some_and(|c| ok.contains(&c)),
            "onrecord {args:?} failed: {status}"
        );
    };
    run(); // warm the page cache and onrecord's own
    let (best, median, ()) = best_of(5, run);
    println!(
        "whole process `onrecord --dir {} {}` (warm cache): best {:.0} ms, median {:.0} ms",
        dir.display(),
        args.join(" "),
        ms(best),
        ms(median)
    );
}

fn whole_process(dir: &Path, quote: Option<String>) {
    let exe = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/release/onrecord");
    if !exe.exists() {
        println!(
            "whole process: skipped, build {} first (cargo build --release)",
            exe.display()
        );
        return;
    }
    let cache = tempfile::tempdir().expect("a cache folder");
    timed(
        &exe,
        dir,
        cache.path(),
        &["suggest", "--format", "json"],
        &[0],
    );
    let bytes = corpus_bytes(dir);
    let peak = children_peak_rss();
    println!(
        "  peak memory of a suggest process {:.0} MB: {:.2}x the corpus's {:.1} MB",
        peak as f64 / 1e6,
        peak as f64 / bytes.max(1) as f64,
        bytes as f64 / 1e6
    );
    // `match` with a quote that is on record, so that it finds the same and the opposite.
    if let Some(quote) = quote {
        timed(
            &exe,
            dir,
            cache.path(),
            &["match", &quote, "--format", "json"],
            &[0, 1],
        );
    }
}

/// About `bytes` of made-up prose, different for each seed: a few thousand invented words,
/// with the words that change a claim (negations, hedges, quantities, numbers) about as
/// frequent as in a long policy document, and a full stop every seventeen words.
fn prose(bytes: usize, seed: u64) -> String {
    const SYLLABLES: &[&str] = &[
        "da", "ne", "ri", "so", "lu", "ka", "mé", "to", "vi", "ré", "pa", "li", "mo", "sé", "ta",
    ];
    const MARKERS: &[&str] = &[
        "ne",
        "pas",
        "not",
        "never",
        "jamais",
        "may",
        "will",
        "all",
        "some",
        "only",
        "seulement",
        "temporairement",
        "permanently",
        "100",
        "euros",
        "n’utilisions",
        "l’étendue",
    ];
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut next = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    let vocabulary: Vec<String> = (0..3000)
        .map(|_| {
            let n = 2 + next() % 3;
            (0..n)
                .map(|_| SYLLABLES[(next() % SYLLABLES.len() as u64) as usize])
                .collect()
        })
        .collect();
    let mut out = String::with_capacity(bytes + 32);
    let mut n = 0u64;
    while out.len() < bytes {
        let r = next();
        if r.is_multiple_of(25) {
            out.push_str(MARKERS[((r >> 8) % MARKERS.len() as u64) as usize]);
        } else {
            out.push_str(&vocabulary[((r >> 8) % vocabulary.len() as u64) as usize]);
        }
        n += 1;
        out.push_str(if n.is_multiple_of(17) { ". " } else { " " });
    }
    out
}

/// `text` with one word in every `every` replaced, as a long document's later revision.
fn revised(text: &str, every: usize) -> String {
    text.split(' ')
        .enumerate()
        .map(|(i, w)| if i.is_multiple_of(every) { "jamais" } else { w })
        .collect::<Vec<_>>()
        .join(" ")
}

fn big_diffs() {
    let a = prose(1 << 20, 1);
    let b = revised(&a, 50);
    let c = prose(1 << 20, 2);
    for (what, x, y) in [("a revision", &a, &b), ("unrelated", &a, &c)] {
        let (best, median, (ops, changes)) = best_of(3, || diff_texts(x, y));
        println!(
            "diff of two 1 MB statements ({what}; {:.1} and {:.1} MB): best {:.0} ms, median \
             {:.0} ms ({} ops, {} changes)",
            x.len() as f64 / 1e6,
            y.len() as f64 / 1e6,
            ms(best),
            ms(median),
            ops.len(),
            changes.len()
        );
    }
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let tmp;
    let organizations = match args.as_slice() {
        [flag, n] if flag == "--organizations" => Some(n.parse().expect("--organizations N")),
        _ => None,
    };
    let dir: PathBuf = match args.first() {
        Some(dir) if organizations.is_none() => PathBuf::from(dir),
        _ => {
            tmp = tempfile::tempdir().expect("a temporary folder");
            let dir = tmp.path().join("corpus");
            let options = onrecord::generate::Options {
                statements: 100_000,
                seed: 1,
                organizations,
            };
            let g =
                onrecord::generate::generate_with(&dir, &options).expect("the corpus is written");
            println!(
                "generated {} statements{} in {} files ({:.1} MB) under {}",
                g.statements,
                organizations.map_or(String::new(), |n| format!(" of {n} organizations")),
                g.files,
                g.bytes as f64 / 1e6,
                dir.display()
            );
            dir
        }
    };
    // The diffs first, before a 100k corpus has been through memory.
    big_diffs();
    let quote = in_process(&dir);
    whole_process(&dir, quote);
}
