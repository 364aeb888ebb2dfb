//! Searching as the reporter types: 20-character queries typed one key at a time over the
//! generated 100k-statement corpus, timing each keystroke to the ranked top 50.
//! `cargo bench --bench search` (add `-- DIR` to measure an existing folder instead).
//!
//! Prints the index build time, the time to build the typo vocabulary, and per-keystroke
//! p50, p95 and max, through a `Searcher` (narrowing from the previous keystroke) and
//! through a fresh `SearchIndex::search` each time. Each query is typed several times: the
//! figures over every keystroke of every round are wall-clock as a reporter would feel them;
//! "best" takes each keystroke's fastest round first, which leaves out most of the time spent
//! waiting for a core when other programs keep the machine busy.

use std::path::Path;
use std::time::{Duration, Instant};

use onrecord::query::parse_query;
use onrecord::search::{SearchIndex, Searcher};

mod common;
use common::{load_average, ms, percentile};

/// Exactly 20 characters each: words the generator writes, with and without typos, and one
/// with a filter token.
const QUERIES: &[&str] = &[
    "donnees clients vend",
    "will never sell cust",
    "donnes clinets vendo",
    "localisaton utilisat",
    "company:hooli jamais",
];
const ROUNDS: usize = 5;
const LIMIT: usize = 50;

/// Times `f`, wall-clock.
fn timed<T>(f: impl FnOnce() -> T) -> (T, Duration) {
    let t = Instant::now();
    let out = f();
    (out, t.elapsed())
}

/// `times[round][keystroke]`.
fn summary(label: &str, times: &[Vec<Duration>]) {
    let keys = times.first().map_or(0, Vec::len);
    let best: Vec<Duration> = (0..keys)
        .map(|k| times.iter().map(|r| r[k]).min().unwrap_or_default())
        .collect();
    for (kind, mut t) in [("all", times.concat()), ("best", best)] {
        t.sort();
        println!(
            "  {label:<28} {kind:<4} keystrokes {:>4}  p50 {:>6.2} ms  p95 {:>6.2} ms  max {:>6.2} ms",
            t.len(),
            ms(percentile(&t, 0.5)),
            ms(percentile(&t, 0.95)),
            ms(*t.last().unwrap()),
        );
    }
}

fn main() {
    let corpus = common::corpus(100_000);
    run(&corpus.dir);
}

fn run(dir: &Path) {
    println!("load average before: {}", load_average());
    let t = Instant::now();
    let corpus = onrecord::store::load(dir).expect("the corpus loads");
    println!(
        "{}: {} statements in {} files, loaded in {:.0} ms",
        dir.display(),
        corpus.statement_count(),
        corpus.incidents.len(),
        ms(t.elapsed())
    );
    let (index, wall) = timed(|| SearchIndex::new(&corpus));
    println!("index built in {:.0} ms (on every core)", ms(wall));
    let ((), wall) = timed(|| index.prepare());
    println!(
        "byte pairs and vocabulary (SearchIndex::prepare) built in {:.0} ms",
        ms(wall)
    );

    let mut all_narrowing = Vec::new();
    let mut all_fresh = Vec::new();
    for typed in QUERIES {
        let mut narrowing: Vec<Vec<Duration>> = Vec::new();
        let mut fresh: Vec<Vec<Duration>> = Vec::new();
        let mut last_hits = 0;
        let mut last_rank = None;
        for _ in 0..ROUNDS {
            let mut searcher = Searcher::new(&index);
            narrowing.push(Vec::new());
            fresh.push(Vec::new());
            for end in typed.char_indices().map(|(i, c)| i + c.len_utf8()) {
                let Ok((filter, words)) = parse_query(&typed[..end]) else {
                    continue;
                };
                let (hits, wall) = timed(|| searcher.search(&corpus, &words, &filter, LIMIT));
                narrowing.last_mut().unwrap().push(wall);
                let (again, wall) = timed(|| index.search(&corpus, &words, &filter, LIMIT));
                fresh.last_mut().unwrap().push(wall);
                assert_eq!(hits, again, "narrowing changed the results of {typed:?}");
                last_hits = hits.len();
                last_rank = hits.first().map(|h| h.rank);
            }
        }
        println!(
            "{typed:?}: {last_hits} hits at the last key, best {}",
            last_rank.map_or("-", |r| r.as_str())
        );
        summary("narrowing (Searcher)", &narrowing);
        summary("fresh (SearchIndex::search)", &fresh);
        all_narrowing.push(narrowing);
        all_fresh.push(fresh);
    }
    println!("all queries:");
    // Every query's keystrokes side by side, round by round.
    let join = |per_query: Vec<Vec<Vec<Duration>>>| -> Vec<Vec<Duration>> {
        (0..ROUNDS)
            .map(|r| per_query.iter().flat_map(|q| q[r].clone()).collect())
            .collect()
    };
    summary("narrowing (Searcher)", &join(all_narrowing));
    summary("fresh (SearchIndex::search)", &join(all_fresh));
    println!("load average after: {}", load_average());
}
