//! Exporting 100k generated statements: the whole `onrecord export --format jsonl` and
//! `--format sqlite --out` processes, timed from start to exit, beside `onrecord list` (which
//! only loads the corpus) and the export functions alone on an already loaded corpus.
//! `cargo bench --bench export` (add `-- DIR` to measure an existing corpus folder instead).
//!
//! Targets over 100k statements: jsonl within 1 s, sqlite within 5 s, whole process.

use std::fs::File;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use onrecord::query::Filter;

mod common;
use common::{load_average, ms};

const RUNS: usize = 5;

/// Best and median of `RUNS` timings, in milliseconds.
fn summary(mut times: Vec<Duration>) -> String {
    times.sort();
    format!(
        "best {:>7.1} ms  median {:>7.1} ms",
        ms(times[0]),
        ms(times[times.len() / 2])
    )
}

/// Runs the binary with `args`, standard output to `stdout`, and times the whole process.
fn time_process(args: &[&str], stdout: &Path) -> Duration {
    let out = File::create(stdout).expect("an output file");
    let t = Instant::now();
    let status = Command::new(env!("CARGO_BIN_EXE_onrecord"))
        .args(args)
        .stdout(out)
        .stderr(Stdio::null())
        .status()
        .expect("onrecord runs");
    let elapsed = t.elapsed();
    assert!(status.success(), "onrecord {args:?} failed");
    elapsed
}

fn measure(dir: &Path, scratch: &Path) {
    let corpus = onrecord::store::load(dir).expect("the corpus loads");
    let statements = corpus.statement_count();
    let d = dir.to_str().expect("a UTF-8 path");
    let jsonl = scratch.join("out.jsonl");
    let db = scratch.join("out.db");
    let db = db.to_str().expect("a UTF-8 path");
    let null = scratch.join("stdout");
    println!(
        "{statements} statements in {} files, {}; load average {}",
        corpus.files,
        dir.display(),
        load_average()
    );

    let cases: [(&str, Vec<&str>, &Path); 3] = [
        ("list (load only)", vec!["list", "--dir", d], &null),
        (
            "export --format jsonl",
            vec!["export", "--dir", d, "--format", "jsonl"],
            &jsonl,
        ),
        (
            "export --format sqlite --out",
            vec!["export", "--dir", d, "--format", "sqlite", "--out", db],
            &null,
        ),
    ];
    for (name, args, stdout) in &cases {
        let times = (0..RUNS).map(|_| time_process(args, stdout)).collect();
        println!("  process  {name:<30} {}", summary(times));
    }

    let filter = Filter::default();
    let times = (0..RUNS)
        .map(|_| {
            let t = Instant::now();
            onrecord::export::write_jsonl(std::io::sink(), &corpus, &filter).expect("jsonl");
            t.elapsed()
        })
        .collect();
    println!(
        "  function {:<30} {}",
        "write_jsonl (to a sink)",
        summary(times)
    );
    let times = (0..RUNS)
        .map(|_| {
            let t = Instant::now();
            onrecord::export::write_sqlite(Path::new(db), &corpus, &filter).expect("sqlite");
            t.elapsed()
        })
        .collect();
    println!("  function {:<30} {}", "write_sqlite", summary(times));
}

fn main() {
    let corpus = common::corpus(100_000);
    let scratch = tempfile::tempdir().expect("a temporary folder");
    measure(&corpus.dir, scratch.path());
}
