//! Searching as the reporter types: 20-character queries typed one key at a time over the
//! generated 100k-statement corpus, timing each keystroke to the ranked top 50.
//! `cargo bench --bench search` (add `-- DIR` to measure an existing folder instead).
//!
//! Prints the index build time, the time to build the typo vocabulary, and per-keystroke
//! p50, p95 and max, through a `Searcher` (narrowing from the previous keystroke) and
//! through a fresh `SearchIndex::search` each time.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use onrecord::query::parse_query;
use onrecord::search::{SearchIndex, Searcher};

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

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

fn summary(label: &str, mut times: Vec<Duration>) {
    times.sort();
    println!(
        "  {label:<28} keystrokes {:>4}  p50 {:>7.2} ms  p95 {:>7.2} ms  max {:>7.2} ms",
        times.len(),
        ms(percentile(&times, 0.5)),
        ms(percentile(&times, 0.95)),
        ms(*times.last().unwrap()),
    );
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let _tmp;
    let dir: PathBuf = match args.first() {
        Some(d) => PathBuf::from(d),
        None => {
            let tmp = tempfile::tempdir().expect("a temporary folder");
            let t = Instant::now();
            onrecord::generate::generate(tmp.path(), 100_000, 1).expect("the corpus generates");
            println!("generated 100k statements in {:.0} ms", ms(t.elapsed()));
            let path = tmp.path().to_path_buf();
            _tmp = tmp;
            path
        }
    };
    run(&dir);
}

fn run(dir: &Path) {
    let t = Instant::now();
    let corpus = onrecord::store::load(dir).expect("the corpus loads");
    println!(
        "{}: {} statements in {} files, loaded in {:.0} ms",
        dir.display(),
        corpus.statement_count(),
        corpus.incidents.len(),
        ms(t.elapsed())
    );
    let t = Instant::now();
    let index = SearchIndex::new(&corpus);
    println!("index built in {:.0} ms", ms(t.elapsed()));
    let t = Instant::now();
    index.prepare_typos();
    println!("typo vocabulary built in {:.0} ms", ms(t.elapsed()));

    let mut all_narrowing = Vec::new();
    let mut all_fresh = Vec::new();
    for typed in QUERIES {
        let mut narrowing = Vec::new();
        let mut fresh = Vec::new();
        let mut last_hits = 0;
        let mut last_rank = None;
        for _ in 0..ROUNDS {
            let mut searcher = Searcher::new(&index);
            for end in typed.char_indices().map(|(i, c)| i + c.len_utf8()) {
                let Ok((filter, words)) = parse_query(&typed[..end]) else {
                    continue;
                };
                let t = Instant::now();
                let hits = searcher.search(&corpus, &words, &filter, LIMIT);
                narrowing.push(t.elapsed());
                let t = Instant::now();
                let again = index.search(&corpus, &words, &filter, LIMIT);
                fresh.push(t.elapsed());
                assert_eq!(hits, again, "narrowing changed the results of {typed:?}");
                last_hits = hits.len();
                last_rank = hits.first().map(|h| h.rank);
            }
        }
        println!(
            "{typed:?}: {last_hits} hits at the last key, best {}",
            last_rank.map_or("-", |r| r.as_str())
        );
        summary("narrowing (Searcher)", narrowing.clone());
        summary("fresh (SearchIndex::search)", fresh.clone());
        all_narrowing.extend(narrowing);
        all_fresh.extend(fresh);
    }
    println!("all queries:");
    summary("narrowing (Searcher)", all_narrowing);
    summary("fresh (SearchIndex::search)", all_fresh);
}
